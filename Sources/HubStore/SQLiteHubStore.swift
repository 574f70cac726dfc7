import Foundation
import GRDB
public import LinkCrypto
import Tokenisation

/// The embedded store: one SQLite file through GRDB, in WAL mode (a `DatabasePool`), foreign keys
/// on. A MASH runs it on one server with nothing to install.
public final class SQLiteHubStore: HubStore {
    public let backend = StoreBackend.sqlite
    let pool: DatabasePool
    let caches = StoreCaches()

    /// Opens (creating if needed) the database at `path` and runs pending migrations; refuses a
    /// database written by a newer mashlink.
    public init(path: String) async throws(StoreError) {
        do {
            var configuration = Configuration()
            configuration.foreignKeysEnabled = true
            configuration.prepareDatabase { db in
                // 16 KiB pages for a new file (an existing one keeps its own): a record line of
                // about 2.3 KB wasted most of a 4 KiB page, and a large batch or a full link is one
                // transaction, whose every page read searches the write-ahead log's index of the
                // pages written so far (sqlite.org/wal.html: WAL suits large transactions badly):
                // four times fewer, larger pages make that index four times shorter.
                try db.execute(sql: "PRAGMA page_size = 16384")
                // Up to 128 MiB of page cache a connection (grown only as used): a large batch's
                // index pages stay in memory instead of spilling to the WAL while the ingest runs.
                try db.execute(sql: "PRAGMA cache_size = -131072")
                // Reads through a memory map (up to the library's limit, 2 GiB on Debian's build)
                // instead of a read system call and a copy a page: a referral query reads a few
                // hundred scattered records.
                try db.execute(sql: "PRAGMA mmap_size = 2147418112")
            }
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch { throw .database("cannot open the SQLite database at \(path)") }
        try await migrate()
    }

    private func migrate() async throws(StoreError) {
        let migrations = Schema.migrations(for: .sqlite)
        try await write { db in
            try db.execute(sql: Schema.versionTable)
            let version = try Int.fetchOne(db, sql: "SELECT version FROM mashlink_schema") ?? 0
            guard version <= migrations.count else { throw StoreError.newerSchema(found: version, known: migrations.count) }
            for step in migrations.dropFirst(version) { for sql in step { try db.execute(sql: sql) } }
            if version == 0 { try db.execute(sql: "INSERT INTO mashlink_schema (version) VALUES (?)", arguments: [migrations.count]) }
            else { try db.execute(sql: "UPDATE mashlink_schema SET version = ?", arguments: [migrations.count]) }
        }
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do { return try await pool.write(body) } catch { throw storeError(error) }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do { return try await pool.read(body) } catch { throw storeError(error) }
    }

    public func schemaVersion() async throws(StoreError) -> Int {
        try await read { db in try Int.fetchOne(db, sql: "SELECT version FROM mashlink_schema") ?? 0 }
    }

    public func registerAgency(name: String, signingKey: Ed25519.PublicKey) async throws(StoreError) {
        let pem = signingKey.pemRepresentation, keyID = signingKey.keyID, now = Timestamps.now()
        try await write { db in
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM agencies WHERE name = ?", arguments: [name]) == nil else {
                throw StoreError.agencyExists(name)
            }
            try db.execute(
                sql: "INSERT INTO agencies (name, signing_key_id, signing_key_pem, registered_at) VALUES (?, ?, ?, ?)",
                arguments: [name, keyID, pem, now])
        }
    }

    public func agencies() async throws(StoreError) -> [RegisteredAgency] {
        let rows = try await read { db in try Row.fetchAll(db, sql: "SELECT name, signing_key_pem FROM agencies ORDER BY name").map { ($0[0] as String, $0[1] as String) } }
        return try rows.map { (name, pem) throws(StoreError) in try caches.agency(name, pem: pem) }
    }

    public func ingest(batchAt path: String) async throws(StoreError) -> IngestReceipt {
        let peek: BatchHeader
        do { peek = try BatchHeader.read(atPath: path) } catch { throw .invalidBatch(error.description) }
        guard let agency = try await agencies().first(where: { $0.name == peek.agency }) else { throw .unknownAgency(peek.agency) }
        let key = agency.signingKey, now = Timestamps.now()
        return try await write { db in
            let reader = try BatchReader(path: path, expectedSigner: key)
            let rules = IngestRules(header: reader.header)
            let header = reader.header
            try rules.checkBefore(
                batchIDSeen: try Int.fetchOne(db, sql: "SELECT 1 FROM batches WHERE batch_id = ?", arguments: [header.batchID]) != nil,
                indexKey: try String.fetchOne(db, sql: "SELECT linkage_key_id FROM batches WHERE status = 'current' LIMIT 1"))
            // The batch row first (records refer to it), as superseded until every record verified.
            try db.execute(
                sql: "INSERT INTO batches (batch_id, agency, content_digest, linkage_key_id, schema_digest, header, record_count, status, ingested_at, tag) VALUES (?, ?, ?, ?, ?, ?, 0, 'superseded', ?, (SELECT COALESCE(MAX(tag), 0) + 1 FROM batches))",
                arguments: [header.batchID, header.agency, "pending:" + header.batchID, header.linkageKeyID, header.schemaDigest, try rules.headerJSON, now])
            let insert = try db.cachedStatement(sql: "INSERT INTO records (batch_id, reference, age_band, line) VALUES (?, ?, ?, ?)")
            var count = 0
            while let (record, line) = try reader.nextWithLine() {
                try insert.execute(arguments: [header.batchID, record.reference, record.ageBand?.rawValue, Data(line)])
                count += 1
            }
            guard let digest = reader.contentDigest else { throw StoreError.invalidBatch("the batch did not finish verifying") }
            try rules.checkAfter(digestSeen: try Int.fetchOne(db, sql: "SELECT 1 FROM batches WHERE content_digest = ?", arguments: [digest]) != nil)
            let previous = try String.fetchOne(db, sql: "SELECT batch_id FROM batches WHERE agency = ? AND status = 'current'", arguments: [header.agency])
            try db.execute(sql: "UPDATE batches SET status = 'superseded' WHERE agency = ? AND status = 'current'", arguments: [header.agency])
            try db.execute(
                sql: "UPDATE batches SET status = 'current', content_digest = ?, record_count = ? WHERE batch_id = ?",
                arguments: [digest, count, header.batchID])
            return IngestReceipt(batchID: header.batchID, agency: header.agency, records: count, superseded: previous)
        }
    }

    public func batches() async throws(StoreError) -> [StoredBatch] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT batch_id, agency, content_digest, linkage_key_id, record_count, status, ingested_at, purged_at FROM batches ORDER BY ingested_at DESC, batch_id").map {
                StoredBatch(
                    batchID: $0[0], agency: $0[1], contentDigest: $0[2], linkageKeyID: $0[3], recordCount: $0[4],
                    status: ($0[7] as String?) != nil ? .purged : BatchStatus(rawValue: $0[5]) ?? .superseded, ingestedAt: $0[6])
            }
        }
    }

    public func check() async throws(StoreError) -> IntegrityReport {
        try await read { db in
            var problems = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }.map { "SQLite: \($0)" }
            problems += try String.fetchAll(db, sql: "PRAGMA foreign_key_check").map { "foreign key: \($0)" }
            let (batches, records, invariants) = StoreInvariants.check(
                counts: try Row.fetchAll(db, sql: "SELECT b.batch_id, b.record_count, b.status, b.content_digest, (SELECT COUNT(*) FROM records r WHERE r.batch_id = b.batch_id), b.purged_at FROM batches b").map {
                    StoreInvariants.BatchCount(batchID: $0[0], declared: $0[1], status: $0[2], digest: $0[3], stored: $0[4], purged: ($0[5] as String?) != nil)
                },
                currentPerAgency: try Row.fetchAll(db, sql: "SELECT agency, COUNT(*) FROM batches WHERE status = 'current' GROUP BY agency").map { ($0[0] as String, $0[1] as Int) },
                orphanIndexEntries: try Int.fetchOne(db, sql: "SELECT COUNT(*) " + StoreInvariants.orphanIndexEntriesClause) ?? 0)
            problems += invariants
            return IntegrityReport(problems: problems, batches: batches, records: records)
        }
    }

    public func close() async {
        try? pool.close()
    }
}

/// mashlink's own invariants, checked the same way on both backends.
enum StoreInvariants {
    struct BatchCount {
        let batchID: String
        let declared: Int
        let status: String
        let digest: String
        let stored: Int
        let purged: Bool
    }

    /// The FROM and WHERE clauses of a count of blocking-index entries whose record is not stored
    /// (the index has no foreign key since schema v6).
    static let orphanIndexEntriesClause = "FROM block_keys k WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.id = k.record_id)"

    static func check(counts: [BatchCount], currentPerAgency: [(String, Int)], orphanIndexEntries: Int) -> (Int, Int, [String]) {
        var problems: [String] = []
        if orphanIndexEntries > 0 { problems.append("\(orphanIndexEntries) blocking-index entries name a record that is not stored (run `mashlink-hub link --full` to rebuild the index)") }
        for c in counts {
            if c.purged {
                if c.stored != 0 { problems.append("batch \(c.batchID) is purged but still holds \(c.stored) records") }
            } else if c.declared != c.stored { problems.append("batch \(c.batchID) declares \(c.declared) records but holds \(c.stored)") }
            if c.digest.hasPrefix("pending:") { problems.append("batch \(c.batchID) was never completed") }
            if BatchStatus(rawValue: c.status) == nil { problems.append("batch \(c.batchID) has an unknown status") }
        }
        for (agency, n) in currentPerAgency where n > 1 { problems.append("agency \(agency) has \(n) current batches") }
        return (counts.count, counts.reduce(0) { $0 + $1.stored }, problems)
    }
}

