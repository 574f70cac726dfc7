import Foundation
import GRDB
import Tokenisation

extension SQLiteHubStore {
    public func linkingState() async throws(StoreError) -> LinkingState? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT generation, model, term_counts, linkage_key_id, trained_at FROM link_state WHERE id = 1").map {
                LinkingState(
                    generation: $0[0], model: Array(($0[1] as String).utf8), termCounts: Array($0[2] as Data),
                    linkageKeyID: $0[3], trainedAt: $0[4])
            }
        }
    }

    public func linkingGeneration() async throws(StoreError) -> (generation: Int, linkageKeyID: String)? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT generation, linkage_key_id FROM link_state WHERE id = 1").map { (generation: $0[0] as Int, linkageKeyID: $0[1] as String) }
        }
    }

    public func currentBatches() async throws(StoreError) -> [CurrentBatch] {
        let rows = try await read { db in
            try Row.fetchAll(db, sql: "SELECT batch_id, header, linked_at FROM batches WHERE status = 'current' ORDER BY agency").map {
                ($0[0] as String, $0[1] as String, ($0[2] as String?) != nil)
            }
        }
        return try rows.map { (id, json, linked) throws(StoreError) in CurrentBatch(batchID: id, header: try caches.header(json), linked: linked) }
    }

    /// Bloom-filter length of every batch, to decode its records.
    private func bloomBits() async throws(StoreError) -> [String: Int] {
        let headers = try await read { db in
            try Row.fetchAll(db, sql: "SELECT batch_id, header FROM batches").map { ($0[0] as String, $0[1] as String) }
        }
        return try caches.bloomBits(headers)
    }

    public func records(inBatch batchID: String) async throws(StoreError) -> [StoredRecord] {
        let bits = try await bloomBits()
        guard let width = bits[batchID] else { return [] }
        let rows = try await read { db in
            try Row.fetchAll(db, sql: "SELECT id, line FROM records WHERE batch_id = ? ORDER BY reference", arguments: [batchID]).map {
                ($0[0] as Int64, Array($0[1] as Data))
            }
        }
        return try rows.map { (id, line) throws(StoreError) in try LinkRunRules.decode(id: id, batchID: batchID, line: line, bloomBits: width) }
    }

    public func records(ids: [Int64]) async throws(StoreError) -> [StoredRecord] {
        let bits = try await bloomBits()
        let rows = try await read { db in
            var rows: [(Int64, String, [UInt8])] = []
            for chunk in ids.chunks(of: 500) {
                let list = chunk.map(String.init).joined(separator: ",")
                rows += try Row.fetchAll(db, sql: "SELECT id, batch_id, line FROM records WHERE id IN (\(list))").map {
                    ($0[0] as Int64, $0[1] as String, Array($0[2] as Data))
                }
            }
            return rows
        }
        return try rows.map { (id, batch, line) throws(StoreError) in
            try LinkRunRules.decode(id: id, batchID: batch, line: line, bloomBits: bits[batch] ?? 0)
        }
    }

    public func profiles(ids: [Int64]) async throws(StoreError) -> [StoredProfile] {
        try await read { db in
            var rows: [StoredProfile] = []
            rows.reserveCapacity(ids.count)
            for chunk in ids.sorted().chunks(of: 500) {
                let list = chunk.map(String.init).joined(separator: ",")
                let sql = "SELECT r.id, r.batch_id, r.reference, p.profile FROM records r LEFT JOIN record_profiles p ON p.record_id = r.id WHERE r.id IN (\(list))"
                for row in try Row.fetchAll(db, sql: sql) {
                    rows.append(StoredProfile(id: row[0], batchID: row[1], reference: row[2], profile: (row[3] as Data?).map { Array($0) }))
                }
            }
            return rows
        }
    }

    public func profileBytes(ids: [Int64]) async throws(StoreError) -> [Int64: [UInt8]] {
        try await read { db in
            var out: [Int64: [UInt8]] = [:]
            out.reserveCapacity(ids.count)
            for chunk in ids.sorted().chunks(of: 500) {
                let list = chunk.map(String.init).joined(separator: ",")
                for row in try Row.fetchAll(db, sql: "SELECT record_id, profile FROM record_profiles WHERE record_id IN (\(list))") {
                    out[row[0]] = Array(row[1] as Data)
                }
            }
            return out
        }
    }

    public func blockMembers(keys: [Int64], maximumPerBatch: Int) async throws(StoreError) -> BlockLookup {
        let (rows, tags) = try await read { db in
            let tags = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT tag, batch_id FROM batches WHERE status = 'current' AND tag IS NOT NULL").map {
                ($0[0] as Int64, $0[1] as String)
            })
            let tagList = "IN (" + tags.keys.map(String.init).joined(separator: ",") + ")"
            var rows: [(key: Int64, tag: Int64, record: Int64, size: Int)] = []
            for chunk in Array(Set(keys)).sorted().chunks(of: 500) where !tags.isEmpty {
                let sql = LinkRunRules.blockLookupSQL(
                    keys: "IN (" + chunk.map(String.init).joined(separator: ",") + ")", tags: tagList, maximum: String(maximumPerBatch))
                rows += try Row.fetchAll(db, sql: sql).map { (key: $0[0], tag: $0[1], record: $0[2], size: $0[3]) }
            }
            return (rows, tags)
        }
        return LinkRunRules.lookup(rows: rows, batchOfTag: tags, maximum: maximumPerBatch)
    }

    public func clusterMembers(of records: [Int64]) async throws(StoreError) -> [ClusterMember] {
        try await read { db in
            var clusters = Set<Int64>()
            for chunk in Array(Set(records)).chunks(of: 500) {
                clusters.formUnion(try Int64.fetchAll(db, sql: "SELECT cluster FROM clusters WHERE record_id IN (\(chunk.map(String.init).joined(separator: ",")))"))
            }
            var out: [ClusterMember] = []
            for chunk in Array(clusters).chunks(of: 500) {
                out += try Row.fetchAll(
                    db, sql: "SELECT c.record_id, c.cluster, r.batch_id FROM clusters c JOIN records r ON r.id = c.record_id WHERE c.cluster IN (\(chunk.map(String.init).joined(separator: ",")))"
                ).map { ClusterMember(recordID: $0[0], cluster: $0[1], batchID: $0[2]) }
            }
            return out
        }
    }

    public func staleRecords(of agency: String) async throws(StoreError) -> [Int64] {
        try await read { db in try Self.staleRecords(db, agency) }
    }

    private static func staleRecords(_ db: Database, _ agency: String) throws -> [Int64] {
        try Int64.fetchAll(
            db,
            sql: "SELECT r.id FROM records r JOIN batches b ON b.batch_id = r.batch_id WHERE b.agency = ? AND b.status = 'superseded' AND b.linked_at IS NOT NULL",
            arguments: [agency])
    }

    public func links(among records: [Int64]) async throws(StoreError) -> [StoredLink] {
        let set = Set(records)
        return try await read { db in
            var out: [StoredLink] = []
            for chunk in Array(set).chunks(of: 500) {
                out += try Row.fetchAll(db, sql: "SELECT left_id, right_id, score, band FROM links WHERE left_id IN (\(chunk.map(String.init).joined(separator: ",")))").compactMap {
                    let right: Int64 = $0[1]
                    guard set.contains(right), let band = StoredLink.Band(rawValue: $0[3]) else { return nil }
                    return StoredLink(left: $0[0], right: right, score: $0[2], band: band)
                }
            }
            return out
        }
    }

    public func largestCluster() async throws(StoreError) -> Int64 {
        try await read { db in try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(cluster), 0) FROM clusters") ?? 0 }
    }

    public func saveLinks(_ run: LinkRun) async throws(StoreError) {
        let now = Timestamps.now()
        try await write { db in
            try LinkRunRules.checkGeneration(expected: run.expectedGeneration, stored: try Int.fetchOne(db, sql: "SELECT generation FROM link_state WHERE id = 1"))
            let current = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT batch_id, linked_at FROM batches WHERE status = 'current'").map {
                ($0[0] as String, ($0[1] as String?) != nil)
            })
            try LinkRunRules.checkBatches(run.scope, current: current)
            switch run.scope {
            case .full(let batches):
                try db.execute(sql: "DELETE FROM block_keys")
                try db.execute(sql: "DELETE FROM links")
                try db.execute(sql: "DELETE FROM clusters")
                try db.execute(sql: "UPDATE batches SET linked_at = NULL")
                for id in batches { try db.execute(sql: "UPDATE batches SET linked_at = ? WHERE batch_id = ?", arguments: [now, id]) }
            case .batch(let id, let agency):
                // The agency's superseded records stop matching: their links and clusters go.
                for chunk in try Self.staleRecords(db, agency).chunks(of: 500) {
                    let list = chunk.map(String.init).joined(separator: ",")
                    try db.execute(sql: "DELETE FROM links WHERE left_id IN (\(list)) OR right_id IN (\(list))")
                    try db.execute(sql: "DELETE FROM clusters WHERE record_id IN (\(list))")
                }
                try db.execute(sql: "UPDATE batches SET linked_at = NULL WHERE agency = ? AND status = 'superseded'", arguments: [agency])
                try db.execute(sql: "UPDATE batches SET linked_at = ? WHERE batch_id = ?", arguments: [now, id])
            }
            let key = try db.cachedStatement(sql: "INSERT OR IGNORE INTO block_keys (key, tag, record_id) VALUES (?, ?, ?)")
            var rows: [(key: Int64, tag: Int64, record: Int64)] = []
            rows.reserveCapacity(run.blockKeys.reduce(0) { $0 + $1.entries.count })
            for (batch, entries) in run.blockKeys {
                guard let tag = try Int64.fetchOne(db, sql: "SELECT tag FROM batches WHERE batch_id = ?", arguments: [batch]) else {
                    throw StoreError.linkRunStale("batch \(batch) is not stored")
                }
                for entry in entries { rows.append((entry.key, tag, entry.record)) }
            }
            // In index order across every batch: the b-tree is appended to rather than split at
            // random (sorted one batch at a time, a full link's later batches landed all over an
            // index larger than the page cache).
            rows.sort { ($0.key, $0.tag, $0.record) < ($1.key, $1.tag, $1.record) }
            for row in rows { try key.execute(arguments: [row.key, row.tag, row.record]) }
            let profile = try db.cachedStatement(
                sql: "INSERT INTO record_profiles (record_id, profile) VALUES (?, ?) ON CONFLICT (record_id) DO UPDATE SET profile = excluded.profile")
            for p in run.profiles.sorted(by: { $0.record < $1.record }) { try profile.execute(arguments: [p.record, Data(p.profile)]) }
            let link = try db.cachedStatement(sql: "INSERT INTO links (left_id, right_id, score, band) VALUES (?, ?, ?, ?)")
            for l in run.links.sorted(by: { ($0.left, $0.right) < ($1.left, $1.right) }) { try link.execute(arguments: [l.left, l.right, l.score, l.band.rawValue]) }
            let cluster = try db.cachedStatement(
                sql: "INSERT INTO clusters (record_id, cluster) VALUES (?, ?) ON CONFLICT (record_id) DO UPDATE SET cluster = excluded.cluster")
            for c in run.clusters.sorted(by: { $0.recordID < $1.recordID }) { try cluster.execute(arguments: [c.recordID, c.cluster]) }
            if let state = run.state {
                try db.execute(sql: "DELETE FROM link_state")
                try db.execute(
                    sql: "INSERT INTO link_state (id, generation, model, term_counts, linkage_key_id, trained_at) VALUES (1, ?, ?, ?, ?, ?)",
                    arguments: [(run.expectedGeneration ?? 0) + 1, String(decoding: state.model, as: UTF8.self), Data(state.termCounts), state.linkageKeyID, state.trainedAt])
            } else {
                try db.execute(sql: "UPDATE link_state SET generation = generation + 1")
            }
        }
    }

    public func linkExport() async throws(StoreError) -> LinkExport {
        try await read { db in
            let links = try Row.fetchAll(db, sql: LinkExportSQL.links).compactMap { row -> LinkExport.Link? in
                guard let band = StoredLink.Band(rawValue: row[5]) else { return nil }
                return LinkExport.Link(leftAgency: row[0], leftRecord: row[1], rightAgency: row[2], rightRecord: row[3], score: row[4], band: band)
            }
            let clusters = try Row.fetchAll(db, sql: LinkExportSQL.clusters).map { (agency: $0[0] as String, record: $0[1] as String, cluster: $0[2] as Int64) }
            return LinkExport(links: links, clusters: clusters)
        }
    }
}

/// The export queries, the same on both backends.
enum LinkExportSQL {
    static let links = """
        SELECT ba.agency, a.reference, bb.agency, b.reference, l.score, l.band
        FROM links l
        JOIN records a ON a.id = l.left_id JOIN batches ba ON ba.batch_id = a.batch_id
        JOIN records b ON b.id = l.right_id JOIN batches bb ON bb.batch_id = b.batch_id
        ORDER BY ba.agency, a.reference, bb.agency, b.reference
        """
    static let clusters = """
        SELECT b.agency, r.reference, c.cluster
        FROM clusters c JOIN records r ON r.id = c.record_id JOIN batches b ON b.batch_id = r.batch_id
        ORDER BY b.agency, r.reference
        """
}

extension SQLiteHubStore {
    public func purgeSuperseded() async throws(StoreError) -> PurgeReport {
        let now = Timestamps.now()
        return try await write { db in
            let rows = try Row.fetchAll(db, sql: "SELECT batch_id, tag, linked_at FROM batches WHERE status = 'superseded' AND purged_at IS NULL ORDER BY ingested_at")
            var purged: [String] = [], kept: [String] = [], records = 0
            for row in rows {
                let id: String = row[0]
                guard (row[2] as String?) == nil else {
                    kept.append(id)
                    continue
                }
                if let tag = row[1] as Int64? { try db.execute(sql: "DELETE FROM block_keys WHERE tag = ?", arguments: [tag]) }
                let ids = "SELECT id FROM records WHERE batch_id = ?"
                try db.execute(sql: "DELETE FROM links WHERE left_id IN (\(ids)) OR right_id IN (\(ids))", arguments: [id, id])
                try db.execute(sql: "DELETE FROM clusters WHERE record_id IN (\(ids))", arguments: [id])
                try db.execute(sql: "DELETE FROM record_profiles WHERE record_id IN (\(ids))", arguments: [id])
                try db.execute(sql: "DELETE FROM records WHERE batch_id = ?", arguments: [id])
                records += db.changesCount
                try db.execute(sql: "UPDATE batches SET purged_at = ? WHERE batch_id = ?", arguments: [now, id])
                purged.append(id)
            }
            return PurgeReport(batches: purged, records: records, stillLinked: kept)
        }
    }
}
