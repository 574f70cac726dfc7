import Disclosure
import Foundation
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
