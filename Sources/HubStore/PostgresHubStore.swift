import Foundation
public import Logging
public import LinkCrypto
import NIOCore
import PostgresNIO
import Tokenisation

/// The production store: PostgreSQL through postgres-nio's pooled `PostgresClient`. The same
/// tables, the same refusals and the same one-transaction-per-mutation rule as ``SQLiteHubStore``.
public final class PostgresHubStore: HubStore {
    public let backend = StoreBackend.postgres
    let client: PostgresClient
    private let runner: Task<Void, Never>
    let logger: Logger
    let caches = StoreCaches()

    /// Connects to `url` (`postgres://USER:PASSWORD@HOST[:PORT]/DATABASE[?sslmode=…&sslrootcert=…]`)
    /// and runs pending migrations; refuses a database written by a newer mashlink. TLS is off by
    /// default only for a loopback host and fully verified otherwise (see ``PostgresTLS``).
    public init(url: String, logger: Logger = Logger(label: "mashlink.store")) async throws(StoreError) {
        guard let parts = URLComponents(string: url), let host = parts.host, let user = parts.user,
              parts.path.count > 1 else { throw .invalidURL(url) }
        let mode = try PostgresTLS.mode(host: host, query: parts.queryItems ?? [])
        let database = String(parts.path.dropFirst()), port = parts.port ?? 5432
        try await mode.probe(host: host, port: port, username: user, password: parts.password, database: database, logger: logger)
        let config = PostgresClient.Configuration(
            host: host, port: port, username: user, password: parts.password, database: database, tls: try mode.configuration())
        // The pool's own chatter (including a warning when a query is queued before `run()` has
        // started, which is harmless) stays out of the operator's log; failures still reach callers.
        var background = logger
        background.logLevel = .error
        let client = PostgresClient(configuration: config, backgroundLogger: background)
        self.client = client
        self.logger = logger
        runner = Task { await client.run() }
        try await migrate()
    }

    func wrap<T>(_ body: () async throws -> T) async throws(StoreError) -> T {
        do { return try await body() } catch let error as PostgresTransactionError {
            // The transaction was rolled back; what matters is why.
            if let cause = error.closureError { throw storeError(cause) }
            throw .database(error.commitError != nil ? "the commit failed" : "the transaction could not be started")
        } catch { throw storeError(error) }
    }

    private func migrate() async throws(StoreError) {
        let migrations = Schema.migrations(for: .postgres)
        try await wrap {
            try await client.withTransaction(logger: logger) { conn in
                try await conn.query(PostgresQuery(unsafeSQL: Schema.versionTable), logger: logger)
                // One migrator at a time, even with several hubs starting together.
                try await conn.query("LOCK TABLE mashlink_schema IN EXCLUSIVE MODE", logger: logger)
                var version = 0
                for try await v in try await conn.query("SELECT version FROM mashlink_schema", logger: logger).decode(Int.self) { version = v }
                guard version <= migrations.count else { throw StoreError.newerSchema(found: version, known: migrations.count) }
                for step in migrations.dropFirst(version) {
                    for sql in step { try await conn.query(PostgresQuery(unsafeSQL: sql), logger: logger) }
                }
                try await conn.query("DELETE FROM mashlink_schema", logger: logger)
                try await conn.query("INSERT INTO mashlink_schema (version) VALUES (\(migrations.count))", logger: logger)
            }
        }
    }

    public func schemaVersion() async throws(StoreError) -> Int {
        try await wrap {
            var version = 0
            for try await v in try await client.query("SELECT version FROM mashlink_schema", logger: logger).decode(Int.self) { version = v }
            return version
        }
    }

    public func registerAgency(name: String, signingKey: Ed25519.PublicKey) async throws(StoreError) {
        let pem = signingKey.pemRepresentation, keyID = signingKey.keyID, now = Timestamps.now()
        try await wrap {
            try await client.withTransaction(logger: logger) { conn in
                for try await _ in try await conn.query("SELECT 1 FROM agencies WHERE name = \(name)", logger: logger).decode(Int.self) {
                    throw StoreError.agencyExists(name)
                }
                try await conn.query(
                    "INSERT INTO agencies (name, signing_key_id, signing_key_pem, registered_at) VALUES (\(name), \(keyID), \(pem), \(now))",
                    logger: logger)
            }
        }
    }

    public func agencies() async throws(StoreError) -> [RegisteredAgency] {
        let rows = try await wrap {
            var rows: [(String, String)] = []
            for try await row in try await client.query("SELECT name, signing_key_pem FROM agencies ORDER BY name", logger: logger).decode((String, String).self) {
                rows.append(row)
            }
            return rows
        }
        return try rows.map { (name, pem) throws(StoreError) in try caches.agency(name, pem: pem) }
    }

    public func ingest(batchAt path: String) async throws(StoreError) -> IngestReceipt {
        let peek: BatchHeader
        do { peek = try BatchHeader.read(atPath: path) } catch { throw .invalidBatch(error.description) }
        guard let agency = try await agencies().first(where: { $0.name == peek.agency }) else { throw .unknownAgency(peek.agency) }
        let key = agency.signingKey, now = Timestamps.now(), logger = self.logger
        return try await wrap {
            try await client.withTransaction(logger: logger) { conn in
                // Ingests one at a time: batch tags are numbered in order, one current batch per agency.
                try await conn.query("LOCK TABLE batches IN SHARE ROW EXCLUSIVE MODE", logger: logger)
                let reader = try BatchReader(path: path, expectedSigner: key)
                let header = reader.header
                let rules = IngestRules(header: header)
                try rules.checkBefore(
                    batchIDSeen: try await Self.exists(conn, "SELECT 1 FROM batches WHERE batch_id = \(header.batchID)", logger),
                    indexKey: try await Self.firstString(conn, "SELECT linkage_key_id FROM batches WHERE status = 'current' LIMIT 1", logger))
                let headerJSON = try rules.headerJSON
                try await conn.query(
                    """
                    INSERT INTO batches (batch_id, agency, content_digest, linkage_key_id, schema_digest, header, record_count, status, ingested_at, tag)
                    VALUES (\(header.batchID), \(header.agency), \("pending:" + header.batchID), \(header.linkageKeyID), \(header.schemaDigest), \(headerJSON), 0, 'superseded', \(now),
                            (SELECT COALESCE(MAX(tag), 0) + 1 FROM batches))
                    """, logger: logger)
                // Records go in many-row INSERTs: one round trip per chunk, not per record.
                var chunk: [(record: EncodedRecord, line: ArraySlice<UInt8>)] = []
                var count = 0
                func flush() async throws {
                    guard !chunk.isEmpty else { return }
                    var bindings = PostgresBindings(capacity: chunk.count * 4)
                    var values: [String] = []
                    for (i, (r, line)) in chunk.enumerated() {
                        bindings.append(header.batchID)
                        bindings.append(r.reference)
                        bindings.append(r.ageBand?.rawValue)
                        bindings.append(ByteBuffer(bytes: line))
                        values.append("($\(i * 4 + 1), $\(i * 4 + 2), $\(i * 4 + 3), $\(i * 4 + 4))")
                    }
                    try await conn.query(
                        PostgresQuery(unsafeSQL: "INSERT INTO records (batch_id, reference, age_band, line) VALUES " + values.joined(separator: ", "), binds: bindings),
                        logger: logger)
                    count += chunk.count
                    chunk.removeAll(keepingCapacity: true)
                }
                while let next = try reader.nextWithLine() {
                    chunk.append(next)
                    if chunk.count == 1_000 { try await flush() }
                }
                try await flush()
                guard let digest = reader.contentDigest else { throw StoreError.invalidBatch("the batch did not finish verifying") }
                try rules.checkAfter(digestSeen: try await Self.exists(conn, "SELECT 1 FROM batches WHERE content_digest = \(digest)", logger))
                let previous = try await Self.firstString(conn, "SELECT batch_id FROM batches WHERE agency = \(header.agency) AND status = 'current'", logger)
                try await conn.query("UPDATE batches SET status = 'superseded' WHERE agency = \(header.agency) AND status = 'current'", logger: logger)
                try await conn.query(
                    "UPDATE batches SET status = 'current', content_digest = \(digest), record_count = \(count) WHERE batch_id = \(header.batchID)",
                    logger: logger)
                return IngestReceipt(batchID: header.batchID, agency: header.agency, records: count, superseded: previous)
            }
        }
    }

    static func exists(_ conn: PostgresConnection, _ query: PostgresQuery, _ logger: Logger) async throws -> Bool {
        for try await _ in try await conn.query(query, logger: logger).decode(Int.self) { return true }
        return false
    }

    static func firstString(_ conn: PostgresConnection, _ query: PostgresQuery, _ logger: Logger) async throws -> String? {
        for try await s in try await conn.query(query, logger: logger).decode(String.self) { return s }
        return nil
    }

    public func batches() async throws(StoreError) -> [StoredBatch] {
        try await wrap {
            var out: [StoredBatch] = []
            let rows = try await client.query(
                "SELECT batch_id, agency, content_digest, linkage_key_id, record_count, status, ingested_at, purged_at FROM batches ORDER BY ingested_at DESC, batch_id",
                logger: logger)
            for try await (id, agency, digest, key, count, status, at, purged) in rows.decode((String, String, String, String, Int, String, String, String?).self) {
                out.append(StoredBatch(
                    batchID: id, agency: agency, contentDigest: digest, linkageKeyID: key, recordCount: count,
                    status: purged != nil ? .purged : BatchStatus(rawValue: status) ?? .superseded, ingestedAt: at))
            }
            return out
        }
    }

    public func check() async throws(StoreError) -> IntegrityReport {
        try await wrap {
            var counts: [StoreInvariants.BatchCount] = []
            let rows = try await client.query(
                "SELECT b.batch_id, b.record_count, b.status, b.content_digest, (SELECT COUNT(*) FROM records r WHERE r.batch_id = b.batch_id)::BIGINT, b.purged_at FROM batches b",
                logger: logger)
            for try await (id, declared, status, digest, stored, purged) in rows.decode((String, Int, String, String, Int, String?).self) {
                counts.append(StoreInvariants.BatchCount(batchID: id, declared: declared, status: status, digest: digest, stored: stored, purged: purged != nil))
            }
            var current: [(String, Int)] = []
            let perAgency = try await client.query("SELECT agency, COUNT(*)::BIGINT FROM batches WHERE status = 'current' GROUP BY agency", logger: logger)
            for try await row in perAgency.decode((String, Int).self) { current.append(row) }
            var orphans = 0
            for try await n in try await client.query("SELECT COUNT(*)::BIGINT \(unescaped: StoreInvariants.orphanIndexEntriesClause)", logger: logger).decode(Int.self) { orphans = n }
            let (batches, records, problems) = StoreInvariants.check(counts: counts, currentPerAgency: current, orphanIndexEntries: orphans)
            return IntegrityReport(problems: problems, batches: batches, records: records)
        }
    }

    public func close() async {
        runner.cancel()
        _ = await runner.value
    }
}
