import Disclosure
import Foundation
import GRDB
import HubLinking
import LinkCrypto
import Testing
import Tokenisation
@testable import HubStore

extension StoreTests {
    @Suite("Purge, backup and restore")
    struct MaintenanceTests {
        @Test("purge deletes a superseded batch's records only once its agency's new batch is linked, and the batch can never be replayed", arguments: Backends.all)
        func purge(_ backend: StoreBackend) async throws {
            let (store, _) = try await Backends.fresh(backend)
            var f = try BatchFactory()
            let police = try f.batch("police", rows: BatchFactory.rows(60))
            let health1 = try f.batch("health", rows: BatchFactory.rows(50, first: 20), name: "h1")
            let health2 = try f.batch("health", rows: BatchFactory.rows(45, first: 25), name: "h2")
            for a in ["police", "health"] { try await store.registerAgency(name: a, signingKey: f.signing[a]!.publicKey) }
            _ = try await store.ingest(batchAt: police)
            let first = try await store.ingest(batchAt: health1)
            _ = try await StoreLinker.link(store)
            _ = try await store.ingest(batchAt: health2)
            let early = try await store.purgeSuperseded()
            #expect(early.batches.isEmpty && early.stillLinked == [first.batchID], "a still-linked batch is kept")
            _ = try await StoreLinker.link(store)
            let report = try await store.purgeSuperseded()
            #expect(report.batches == [first.batchID] && report.records == 50 && report.stillLinked.isEmpty)
            #expect(try await store.batches().first { $0.batchID == first.batchID }?.status == .purged)
            #expect(try await store.records(inBatch: first.batchID).isEmpty)
            let check = try await store.check()
            #expect(check.isConsistent, "\(check.problems)")
            do {
                _ = try await store.ingest(batchAt: health1)
                Issue.record("a purged batch was ingested again")
            } catch { #expect(error.description.contains("already stored")) }
            #expect(try await store.linkExport().clusters.count == 60 + 45)
            #expect(try await store.purgeSuperseded().batches.isEmpty, "nothing is purged twice")
            await store.close()
        }

        @Test("the blocking index has no foreign key to records (schema v6), and the integrity check counts entries whose record is not stored", arguments: Backends.all)
        func orphanIndexEntries(_ backend: StoreBackend) async throws {
            let (store, url) = try await Backends.linked(backend, police: 40, health: 40, healthFirst: 10)
            #expect(try await store.check().isConsistent)
            // Under schema v5 the foreign key refused this entry; the check now finds it.
            try await SchemaTamper.execute(url, "INSERT INTO block_keys (key, tag, record_id) VALUES (7, 1, 987654321)")
            let report = try await store.check()
            #expect(report.problems.count == 1 && report.problems[0].hasPrefix("1 blocking-index entries name a record that is not stored"), "\(report.problems)")
            try await SchemaTamper.execute(url, "DELETE FROM block_keys WHERE record_id = 987654321")
            #expect(try await store.check().isConsistent)
            await store.close()
        }

        @Test("a version 5 SQLite store migrates through version 6 with its blocking index intact and without its foreign key")
        func blockIndexMigration() async throws {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hubstore-v5-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let path = dir.appendingPathComponent("hub.db").path
            let entries: [[Int64]] = [[-9, 1, 1], [3, 1, 2], [3, 1, 1], [Int64.max, 1, 2]]
            do {
                let db = try DatabaseQueue(path: path)
                try await db.write { db in
                    try db.execute(sql: Schema.versionTable)
                    for step in Schema.migrations(for: .sqlite).prefix(5) { for sql in step { try db.execute(sql: sql) } }
                    try db.execute(sql: "INSERT INTO mashlink_schema (version) VALUES (5)")
                    try db.execute(sql: "INSERT INTO agencies VALUES ('police', 'k', 'pem', '2026-12-03T00:00:00Z')")
                    try db.execute(sql: """
                        INSERT INTO batches (batch_id, agency, content_digest, linkage_key_id, schema_digest, header, record_count, status, ingested_at, tag)
                        VALUES ('b1', 'police', 'd1', 'lk', 'sd', '{}', 2, 'current', '2026-12-03T00:00:00Z', 1)
                        """)
                    try db.execute(sql: "INSERT INTO records (id, batch_id, reference, line) VALUES (1, 'b1', 'r1', x'00'), (2, 'b1', 'r2', x'00')")
                    for e in entries { try db.execute(sql: "INSERT INTO block_keys VALUES (?, ?, ?)", arguments: [e[0], e[1], e[2]]) }
                }
                try db.close()
            }
            let store = try await SQLiteHubStore(path: path)
            #expect(try await store.schemaVersion() == Schema.currentVersion && Schema.currentVersion >= 6)
            let members = try await store.blockMembers(keys: [-9, 3, Int64.max], maximumPerBatch: 10).members
            #expect(Set(members.map { [$0.key, $0.recordID] }) == Set(entries.map { [$0[0], $0[2]] }))
            #expect(try await store.check().isConsistent)
            await store.close()
            let db = try DatabaseQueue(path: path)
            let foreignKeys = try db.read { try Row.fetchAll($0, sql: "PRAGMA foreign_key_list(block_keys)") }
            #expect(foreignKeys.isEmpty)
        }

        @Test("a backup is a checked snapshot; restore refuses to overwrite without --replace, refuses a damaged file, and brings the store back")
        func backupRestore() async throws {
            let (store, url) = try await Backends.fresh(.sqlite)
            var f = try BatchFactory()
            let police = try f.batch("police", rows: BatchFactory.rows(40))
            let later = try f.batch("police", rows: BatchFactory.rows(30, first: 100), name: "later")
            try await store.registerAgency(name: "police", signingKey: f.signing["police"]!.publicKey)
            _ = try await store.ingest(batchAt: police)
            let log = try await DisclosureLog.open(store: store, logKey: Ed25519.PrivateKey())
            try await log.append([LogEntry(kind: .referralReceived, referral: "ref-1", user: "pat")])
            let sqlite = try #require(store as? SQLiteHubStore)
            let file = f.dir.appendingPathComponent("backup.db").path
            let made = try await sqlite.backup(to: file)
            #expect(made.records == 40 && made.batches == 1 && made.logEntries == 1 && made.schemaVersion == Schema.currentVersion)
            await #expect(throws: StoreError.self) { try await sqlite.backup(to: file) }
            // The store moves on after the backup.
            _ = try await store.ingest(batchAt: later)
            await store.close()
            let path = String(url.dropFirst("sqlite://".count))
            do {
                _ = try await SQLiteHubStore.restore(from: file, to: path, replacing: false)
                Issue.record("restore overwrote a store without --replace")
            } catch { #expect(error.description.contains("--replace")) }
            let damaged = f.dir.appendingPathComponent("damaged.db").path
            var bytes = try Data(contentsOf: URL(fileURLWithPath: file))
            bytes.replaceSubrange(0..<16, with: Data(repeating: 0x41, count: 16))
            try bytes.write(to: URL(fileURLWithPath: damaged))
            await #expect(throws: StoreError.self) { try await SQLiteHubStore.restore(from: damaged, to: path, replacing: true) }
            let restored = try await SQLiteHubStore.restore(from: file, to: path, replacing: true)
            #expect(restored.records == 40 && restored.batches == 1 && restored.logEntries == 1)
            let reopened = try await HubStores.open(url)
            let count = try await reopened.batches().count, consistent = try await reopened.check().isConsistent
            #expect(count == 1 && consistent)
            await reopened.close()
        }
    }
}
