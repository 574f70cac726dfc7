import Foundation
import Logging
import NIOCore
import PostgresNIO
import Tokenisation

extension PostgresHubStore {
    public func linkingState() async throws(StoreError) -> LinkingState? {
        try await wrap {
            let rows = try await client.query(
                "SELECT generation, model, term_counts, linkage_key_id, trained_at FROM link_state WHERE id = 1", logger: logger)
            for try await (generation, model, counts, key, at) in rows.decode((Int, String, ByteBuffer, String, String).self) {
                return LinkingState(
                    generation: generation, model: Array(model.utf8), termCounts: Array(counts.readableBytesView), linkageKeyID: key, trainedAt: at)
            }
            return nil
        }
    }

    public func linkingGeneration() async throws(StoreError) -> (generation: Int, linkageKeyID: String)? {
        try await wrap {
            for try await (generation, key) in try await client.query("SELECT generation, linkage_key_id FROM link_state WHERE id = 1", logger: logger)
                .decode((Int, String).self)
            {
                return (generation, key)
            }
            return nil
        }
    }

    public func currentBatches() async throws(StoreError) -> [CurrentBatch] {
        let rows = try await wrap {
            var out: [(String, String, Bool)] = []
            let rows = try await client.query("SELECT batch_id, header, linked_at FROM batches WHERE status = 'current' ORDER BY agency", logger: logger)
            for try await (id, header, linked) in rows.decode((String, String, String?).self) { out.append((id, header, linked != nil)) }
            return out
        }
        return try rows.map { (id, json, linked) throws(StoreError) in CurrentBatch(batchID: id, header: try caches.header(json), linked: linked) }
    }

    /// Bloom-filter length of every batch, to decode its records.
    private func bloomBits() async throws(StoreError) -> [String: Int] {
        let headers = try await wrap {
            var out: [(String, String)] = []
            for try await row in try await client.query("SELECT batch_id, header FROM batches", logger: logger).decode((String, String).self) { out.append(row) }
            return out
        }
        return try caches.bloomBits(headers)
    }

    public func records(inBatch batchID: String) async throws(StoreError) -> [StoredRecord] {
        let bits = try await bloomBits()
        guard let width = bits[batchID] else { return [] }
        let rows = try await wrap {
            var out: [(Int64, [UInt8])] = []
            let rows = try await client.query("SELECT id, line FROM records WHERE batch_id = \(batchID) ORDER BY reference", logger: logger)
            for try await (id, line) in rows.decode((Int64, ByteBuffer).self) { out.append((id, Array(line.readableBytesView))) }
            return out
        }
        return try rows.map { (id, line) throws(StoreError) in try LinkRunRules.decode(id: id, batchID: batchID, line: line, bloomBits: width) }
    }

    public func records(ids: [Int64]) async throws(StoreError) -> [StoredRecord] {
        let bits = try await bloomBits()
        let rows = try await wrap {
            var out: [(Int64, String, [UInt8])] = []
            for chunk in ids.chunks(of: 10_000) {
                let rows = try await client.query("SELECT id, batch_id, line FROM records WHERE id = ANY(\(Array(chunk)))", logger: logger)
                for try await (id, batch, line) in rows.decode((Int64, String, ByteBuffer).self) { out.append((id, batch, Array(line.readableBytesView))) }
            }
            return out
        }
        return try rows.map { (id, batch, line) throws(StoreError) in
            try LinkRunRules.decode(id: id, batchID: batch, line: line, bloomBits: bits[batch] ?? 0)
        }
    }

    public func profiles(ids: [Int64]) async throws(StoreError) -> [StoredProfile] {
        try await wrap {
            var out: [StoredProfile] = []
            out.reserveCapacity(ids.count)
            for chunk in ids.sorted().chunks(of: 10_000) {
                let rows = try await client.query(
                    "SELECT r.id, r.batch_id, r.reference, p.profile FROM records r LEFT JOIN record_profiles p ON p.record_id = r.id WHERE r.id = ANY(\(Array(chunk)))",
                    logger: logger)
                for try await (id, batch, reference, profile) in rows.decode((Int64, String, String, ByteBuffer?).self) {
                    out.append(StoredProfile(id: id, batchID: batch, reference: reference, profile: profile.map { Array($0.readableBytesView) }))
                }
            }
            return out
        }
    }

    public func profileBytes(ids: [Int64]) async throws(StoreError) -> [Int64: [UInt8]] {
        try await wrap {
            var out: [Int64: [UInt8]] = [:]
            out.reserveCapacity(ids.count)
            for chunk in ids.sorted().chunks(of: 10_000) {
                let rows = try await client.query("SELECT record_id, profile FROM record_profiles WHERE record_id = ANY(\(Array(chunk)))", logger: logger)
                for try await (id, profile) in rows.decode((Int64, ByteBuffer).self) { out[id] = Array(profile.readableBytesView) }
            }
            return out
        }
    }

    public func blockMembers(keys: [Int64], maximumPerBatch: Int) async throws(StoreError) -> BlockLookup {
        let (rows, tags) = try await wrap {
            var tags: [Int64: String] = [:]
            let current = try await client.query("SELECT tag, batch_id FROM batches WHERE status = 'current' AND tag IS NOT NULL", logger: logger)
            for try await (tag, id) in current.decode((Int64, String).self) { tags[tag] = id }
            var out: [(key: Int64, tag: Int64, record: Int64, size: Int)] = []
            for chunk in Array(Set(keys)).sorted().chunks(of: 20_000) where !tags.isEmpty {
                var binds = PostgresBindings()
                binds.append(Array(chunk))
                binds.append(Array(tags.keys))
                binds.append(maximumPerBatch)
                let query = PostgresQuery(unsafeSQL: LinkRunRules.blockLookupSQL(keys: "= ANY($1)", tags: "= ANY($2)", maximum: "$3"), binds: binds)
                for try await (key, tag, record, n) in try await client.query(query, logger: logger).decode((Int64, Int64, Int64, Int).self) {
                    out.append((key, tag, record, n))
                }
            }
            return (out, tags)
        }
        return LinkRunRules.lookup(rows: rows, batchOfTag: tags, maximum: maximumPerBatch)
    }

    public func clusterMembers(of records: [Int64]) async throws(StoreError) -> [ClusterMember] {
        try await wrap {
            var out: [ClusterMember] = []
            let rows = try await client.query(
                "SELECT c.record_id, c.cluster, r.batch_id FROM clusters c JOIN records r ON r.id = c.record_id WHERE c.cluster IN (SELECT cluster FROM clusters WHERE record_id = ANY(\(Array(Set(records)))))",
                logger: logger)
            for try await (id, cluster, batch) in rows.decode((Int64, Int64, String).self) { out.append(ClusterMember(recordID: id, cluster: cluster, batchID: batch)) }
            return out
        }
    }

    public func staleRecords(of agency: String) async throws(StoreError) -> [Int64] {
        try await wrap {
            try await client.withConnection { conn in try await Self.staleRecords(conn, agency, logger) }
        }
    }

    private static func staleRecords(_ conn: PostgresConnection, _ agency: String, _ logger: Logger) async throws -> [Int64] {
        var out: [Int64] = []
        let rows = try await conn.query(
            "SELECT r.id FROM records r JOIN batches b ON b.batch_id = r.batch_id WHERE b.agency = \(agency) AND b.status = 'superseded' AND b.linked_at IS NOT NULL",
            logger: logger)
        for try await id in rows.decode(Int64.self) { out.append(id) }
        return out
    }

    public func links(among records: [Int64]) async throws(StoreError) -> [StoredLink] {
        let ids = Array(Set(records))
        return try await wrap {
            var out: [StoredLink] = []
            let rows = try await client.query(
                "SELECT left_id, right_id, score, band FROM links WHERE left_id = ANY(\(ids)) AND right_id = ANY(\(ids))", logger: logger)
            for try await (left, right, score, band) in rows.decode((Int64, Int64, Double, String).self) {
                if let band = StoredLink.Band(rawValue: band) { out.append(StoredLink(left: left, right: right, score: score, band: band)) }
            }
            return out
        }
    }

    public func largestCluster() async throws(StoreError) -> Int64 {
        try await wrap {
            for try await n in try await client.query("SELECT COALESCE(MAX(cluster), 0)::BIGINT FROM clusters", logger: logger).decode(Int64.self) { return n }
            return 0
        }
    }

    public func saveLinks(_ run: LinkRun) async throws(StoreError) {
        let now = Timestamps.now(), logger = self.logger
        try await wrap {
            try await client.withTransaction(logger: logger) { conn in
                // One link run at a time: the state row is the lock.
                try await conn.query("LOCK TABLE link_state IN EXCLUSIVE MODE", logger: logger)
                var stored: Int?
                for try await g in try await conn.query("SELECT generation FROM link_state WHERE id = 1", logger: logger).decode(Int.self) { stored = g }
                try LinkRunRules.checkGeneration(expected: run.expectedGeneration, stored: stored)
                var current: [String: Bool] = [:]
                for try await (id, linked) in try await conn.query("SELECT batch_id, linked_at FROM batches WHERE status = 'current' FOR UPDATE", logger: logger).decode((String, String?).self) {
                    current[id] = linked != nil
                }
                try LinkRunRules.checkBatches(run.scope, current: current)
                switch run.scope {
                case .full(let batches):
                    try await conn.query("DELETE FROM block_keys", logger: logger)
                    try await conn.query("DELETE FROM links", logger: logger)
                    try await conn.query("DELETE FROM clusters", logger: logger)
                    try await conn.query("UPDATE batches SET linked_at = NULL", logger: logger)
                    try await conn.query("UPDATE batches SET linked_at = \(now) WHERE batch_id = ANY(\(batches))", logger: logger)
                case .batch(let id, let agency):
                    let stale = try await Self.staleRecords(conn, agency, logger)
                    try await conn.query("DELETE FROM links WHERE left_id = ANY(\(stale)) OR right_id = ANY(\(stale))", logger: logger)
                    try await conn.query("DELETE FROM clusters WHERE record_id = ANY(\(stale))", logger: logger)
                    try await conn.query("UPDATE batches SET linked_at = NULL WHERE agency = \(agency) AND status = 'superseded'", logger: logger)
                    try await conn.query("UPDATE batches SET linked_at = \(now) WHERE batch_id = \(id)", logger: logger)
                }
                // Bulk rows go as arrays, unnested by the server: one round trip per 50,000 rows.
                for (batch, entries) in run.blockKeys {
                    var tag: Int64?
                    for try await t in try await conn.query("SELECT tag FROM batches WHERE batch_id = \(batch)", logger: logger).decode(Int64.self) { tag = t }
                    guard let tag else { throw StoreError.linkRunStale("batch \(batch) is not stored") }
                    for chunk in entries.chunks(of: 50_000) {
                        let keys = chunk.map(\.key), records = chunk.map(\.record)
                        try await conn.query(
                            "INSERT INTO block_keys (key, tag, record_id) SELECT k, \(tag), r FROM unnest(\(keys)::BIGINT[], \(records)::BIGINT[]) AS t(k, r) ON CONFLICT DO NOTHING",
                            logger: logger)
                    }
                }
                for chunk in run.profiles.chunks(of: 5_000) {
                    let ids = chunk.map(\.record), profiles = chunk.map { ByteBuffer(bytes: $0.profile) }
                    try await conn.query(
                        "INSERT INTO record_profiles (record_id, profile) SELECT * FROM unnest(\(ids)::BIGINT[], \(profiles)::BYTEA[]) ON CONFLICT (record_id) DO UPDATE SET profile = EXCLUDED.profile",
                        logger: logger)
                }
                for chunk in run.links.chunks(of: 50_000) {
                    let left = chunk.map(\.left), right = chunk.map(\.right), score = chunk.map(\.score), band = chunk.map(\.band.rawValue)
                    try await conn.query(
                        "INSERT INTO links (left_id, right_id, score, band) SELECT * FROM unnest(\(left)::BIGINT[], \(right)::BIGINT[], \(score)::DOUBLE PRECISION[], \(band)::TEXT[])",
                        logger: logger)
                }
                for chunk in run.clusters.chunks(of: 50_000) {
                    let ids = chunk.map(\.recordID), clusters = chunk.map(\.cluster)
                    try await conn.query(
                        "INSERT INTO clusters (record_id, cluster) SELECT * FROM unnest(\(ids)::BIGINT[], \(clusters)::BIGINT[]) ON CONFLICT (record_id) DO UPDATE SET cluster = EXCLUDED.cluster",
                        logger: logger)
                }
                if let state = run.state {
                    let generation = (run.expectedGeneration ?? 0) + 1, model = String(decoding: state.model, as: UTF8.self)
                    try await conn.query("DELETE FROM link_state", logger: logger)
                    try await conn.query(
                        "INSERT INTO link_state (id, generation, model, term_counts, linkage_key_id, trained_at) VALUES (1, \(generation), \(model), \(ByteBuffer(bytes: state.termCounts)), \(state.linkageKeyID), \(state.trainedAt))",
                        logger: logger)
                } else {
                    try await conn.query("UPDATE link_state SET generation = generation + 1", logger: logger)
                }
            }
        }
    }

    public func linkExport() async throws(StoreError) -> LinkExport {
        try await wrap {
            var links: [LinkExport.Link] = []
            for try await (la, lr, ra, rr, score, band) in try await client.query(PostgresQuery(unsafeSQL: LinkExportSQL.links), logger: logger)
                .decode((String, String, String, String, Double, String).self) {
                if let band = StoredLink.Band(rawValue: band) {
                    links.append(LinkExport.Link(leftAgency: la, leftRecord: lr, rightAgency: ra, rightRecord: rr, score: score, band: band))
                }
            }
            var clusters: [(agency: String, record: String, cluster: Int64)] = []
            for try await row in try await client.query(PostgresQuery(unsafeSQL: LinkExportSQL.clusters), logger: logger).decode((String, String, Int64).self) {
                clusters.append((agency: row.0, record: row.1, cluster: row.2))
            }
            return LinkExport(links: links, clusters: clusters)
        }
    }
}

extension PostgresHubStore {
    public func purgeSuperseded() async throws(StoreError) -> PurgeReport {
        let now = Timestamps.now(), logger = self.logger
        return try await wrap {
            try await client.withTransaction(logger: logger) { conn in
                var rows: [(String, Int64?, String?)] = []
                let query = try await conn.query(
                    "SELECT batch_id, tag, linked_at FROM batches WHERE status = 'superseded' AND purged_at IS NULL ORDER BY ingested_at FOR UPDATE",
                    logger: logger)
                for try await row in query.decode((String, Int64?, String?).self) { rows.append(row) }
                var purged: [String] = [], kept: [String] = [], records = 0
                for (id, tag, linked) in rows {
                    guard linked == nil else {
                        kept.append(id)
                        continue
                    }
                    if let tag { try await conn.query("DELETE FROM block_keys WHERE tag = \(tag)", logger: logger) }
                    try await conn.query(
                        "DELETE FROM links WHERE left_id IN (SELECT id FROM records WHERE batch_id = \(id)) OR right_id IN (SELECT id FROM records WHERE batch_id = \(id))",
                        logger: logger)
                    try await conn.query("DELETE FROM clusters WHERE record_id IN (SELECT id FROM records WHERE batch_id = \(id))", logger: logger)
                    try await conn.query("DELETE FROM record_profiles WHERE record_id IN (SELECT id FROM records WHERE batch_id = \(id))", logger: logger)
                    for try await n in try await conn.query(
                        "WITH gone AS (DELETE FROM records WHERE batch_id = \(id) RETURNING 1) SELECT COUNT(*)::BIGINT FROM gone", logger: logger
                    ).decode(Int.self) { records += n }
                    try await conn.query("UPDATE batches SET purged_at = \(now) WHERE batch_id = \(id)", logger: logger)
                    purged.append(id)
                }
                return PurgeReport(batches: purged, records: records, stillLinked: kept)
            }
        }
    }
}
