import Tokenisation

/// What both backends check and compute the same way when linking.
enum LinkRunRules {
    /// Refuses a run that read another generation than the store holds now.
    static func checkGeneration(expected: Int?, stored: Int?) throws(StoreError) {
        guard expected == stored else {
            throw .linkRunStale("another link run finished while this one ran (generation \(stored.map(String.init) ?? "none"), expected \(expected.map(String.init) ?? "none"))")
        }
    }

    /// Refuses a run whose batches are no longer current (a newer batch arrived while it ran), or,
    /// for an incremental run, whose batch is already linked.
    static func checkBatches(_ scope: LinkRun.Scope, current: [String: Bool]) throws(StoreError) {
        switch scope {
        case .full(let batches):
            if let gone = batches.first(where: { current[$0] == nil }) {
                throw .linkRunStale("batch \(gone) was superseded while linking")
            }
        case .batch(let id, _):
            guard let linked = current[id] else { throw .linkRunStale("batch \(id) was superseded while linking") }
            guard !linked else { throw .linkRunStale("batch \(id) was already linked by another run") }
        }
    }

    /// The SQL shape of a block lookup: rows (key, record, batch, block size, rank within block),
    /// where only the first row of an oversized block is returned. `keys` is the backend's
    /// placeholder for the key list.
    static func blockLookupSQL(keys: String, maximum: String) -> String {
        """
        SELECT key, record_id, batch_id, n FROM (
            SELECT k.key, k.record_id, r.batch_id,
                   COUNT(*) OVER (PARTITION BY k.key, r.batch_id) AS n,
                   ROW_NUMBER() OVER (PARTITION BY k.key, r.batch_id ORDER BY k.record_id) AS rank
            FROM block_keys k
            JOIN records r ON r.id = k.record_id
            JOIN batches b ON b.batch_id = r.batch_id AND b.status = 'current'
            WHERE k.key \(keys)) blocks
        WHERE n <= \(maximum) OR rank = 1
        """
    }

    /// Splits lookup rows into members and oversized blocks.
    static func lookup(rows: [(key: Int64, record: Int64, batch: String, size: Int)], maximum: Int) -> BlockLookup {
        var members: [BlockMember] = [], oversized: [(key: Int64, batchID: String)] = []
        for row in rows {
            if row.size > maximum { oversized.append((row.key, row.batch)) } else {
                members.append(BlockMember(key: row.key, recordID: row.record, batchID: row.batch))
            }
        }
        return BlockLookup(members: members, oversized: oversized)
    }

    /// Decodes a stored line with its batch's Bloom-filter length.
    static func decode(id: Int64, batchID: String, line: [UInt8], bloomBits: Int) throws(StoreError) -> StoredRecord {
        do { return StoredRecord(id: id, batchID: batchID, record: try RecordLineCodec.decode(line, bloomBits: bloomBits)) } catch {
            throw .database("stored record \(id) does not decode (\(error.description)); run mashlink-hub check")
        }
    }
}

extension Array {
    /// The array in slices of at most `size` elements (SQL parameter lists are bounded).
    func chunks(of size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
