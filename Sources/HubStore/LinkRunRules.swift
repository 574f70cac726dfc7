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

    /// The SQL of a block lookup: rows (key, batch tag, record, block size), where an oversized
    /// block gives only its first row. The index's primary key is (key, tag, record), so this is a
    /// range scan per key with no join. `keys` and `tags` are the backend's placeholders for lists.
    static func blockLookupSQL(keys: String, tags: String, maximum: String) -> String {
        """
        SELECT key, tag, record_id, n FROM (
            SELECT key, tag, record_id,
                   COUNT(*) OVER (PARTITION BY key, tag) AS n,
                   ROW_NUMBER() OVER (PARTITION BY key, tag ORDER BY record_id) AS rank
            FROM block_keys
            WHERE key \(keys) AND tag \(tags)) blocks
        WHERE n <= \(maximum) OR rank = 1
        """
    }

    /// Splits lookup rows into members and oversized blocks, naming batches by id.
    static func lookup(rows: [(key: Int64, tag: Int64, record: Int64, size: Int)], batchOfTag: [Int64: String], maximum: Int) -> BlockLookup {
        var members: [BlockMember] = [], oversized: [(key: Int64, batchID: String)] = []
        for row in rows {
            guard let batch = batchOfTag[row.tag] else { continue }
            if row.size > maximum { oversized.append((row.key, batch)) } else {
                members.append(BlockMember(key: row.key, recordID: row.record, batchID: batch))
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
