import Disclosure
import Foundation
import GRDB
import LinkCrypto
import PostgresNIO
import Testing
import Tokenisation
import TransparencyLog
@testable import HubStore

extension StoreTests {
    @Suite("Disclosure log and releases, on every backend")
    struct DisclosureLogTests {
        static func entry(_ kind: LogEntry.Kind, _ user: String, threshold: Threshold? = nil) -> LogEntry {
            var e = LogEntry(kind: kind, referral: "ref-7", user: user)
            e.threshold = threshold
            return e
        }

        @Test("concurrent appends (as a busy hub makes them) all commit, in one order, and the log verifies", arguments: Backends.all)
        func concurrentAppends(_ backend: StoreBackend) async throws {
            let (store, _) = try await Backends.fresh(backend)
            let log = try await DisclosureLog.open(store: store, logKey: Ed25519.PrivateKey())
            let indices = try await withThrowingTaskGroup(of: [UInt64].self) { group in
                for i in 0..<40 {
                    group.addTask { try await log.append([Self.entry(.referralReceived, "user\(i)"), Self.entry(.referralMatched, "user\(i)")]) }
                }
                var all: [UInt64] = []
                for try await i in group { all += i }
                return all
            }
            #expect(indices.sorted() == Array(0..<80))
            let stored = try await log.entries()
            #expect(stored.count == 80)
            let verifier = try NoteVerifier(verifierKey: log.verifierKey)
            let report = Audit.verify(entries: stored.map(\.entry.canonicalBytes), checkpoint: await log.checkpoint, origin: log.origin, verifier: verifier)
            #expect(report.checkpoint?.size == 80 && !report.findings.contains { $0.message.contains("root") || $0.message.contains("covers") }, "\(report.findings)")
            await store.close()
        }

        @Test("entries survive a reopen; receipts and consistency proofs verify offline with the public key alone", arguments: Backends.all)
        func appendReopenProve(_ backend: StoreBackend) async throws {
            let (store, url) = try await Backends.fresh(backend)
            let key = Ed25519.PrivateKey()
            let log = try await DisclosureLog.open(store: store, logKey: key)
            #expect(await log.size == 0)
            let verifier = try NoteVerifier(verifierKey: log.verifierKey)
            let empty = await log.checkpoint
            let first = try await log.append([Self.entry(.referralReceived, "pat"), Self.entry(.thresholdProposed, "pat", threshold: .childInNeed)])
            #expect(first == [0, 1])
            let saved = await log.checkpoint
            try await log.append([Self.entry(.thresholdConfirmed, "mo", threshold: .childInNeed)])
            await store.close()

            let reopened = try await HubStores.open(url)
            let again = try await DisclosureLog.open(store: reopened, logKey: key)
            #expect(await again.size == 3)
            let latest = try Checkpoint.open(await again.checkpoint, origin: again.origin, verifiers: [verifier])
            #expect(latest.size == 3)
            for i in 0..<UInt64(3) {
                let bundle = try ProofBundle(parsing: try await again.receipt(for: i).encoded)
                let entry = try #require(bundle.extra)
                try bundle.verify(entry: entry, origin: again.origin, verifiers: [verifier])
                #expect(try LogEntry(canonical: entry).referral == "ref-7")
            }
            for old in [empty, saved] {
                let c = try Checkpoint.open(old, origin: again.origin, verifiers: [verifier])
                try c.verifyExtended(by: latest, proof: try await again.consistencyProof(from: c.size))
            }
            let integrity = try await LogIntegrity.check(reopened, verifier: verifier)
            #expect(integrity.entries == 3 && integrity.problems.isEmpty)
            // Every entry exported audits clean (no release, no policy finding).
            let entries = try await again.entries().map(\.entry.canonicalBytes)
            let report = Audit.verify(entries: entries, checkpoint: await again.checkpoint, origin: again.origin, verifier: verifier, previous: saved)
            #expect(report.passed && report.findings.isEmpty, "\(report.findings)")
            await reopened.close()
        }

        @Test("a writer whose view is stale appends nothing; the database refuses to change or delete log rows; a rewritten log refuses to open", arguments: Backends.all)
        func staleAndTamper(_ backend: StoreBackend) async throws {
            let (store, url) = try await Backends.fresh(backend)
            let key = Ed25519.PrivateKey()
            let a = try await DisclosureLog.open(store: store, logKey: key)
            let b = try await DisclosureLog.open(store: store, logKey: key)
            try await a.append([Self.entry(.referralReceived, "pat")])
            await #expect(throws: DisclosureError.self) { try await b.append([Self.entry(.referralReceived, "mo")]) }
            #expect(try await store.logLeafHashes().count == 1)
            await store.close()
            // The append-only guard, then an attacker who removes it and rewrites an entry.
            await #expect(throws: (any Error).self) { try await RawSQL.execute(url, "UPDATE log_entries SET entry = 'x'") }
            await #expect(throws: (any Error).self) { try await RawSQL.execute(url, "DELETE FROM log_entries") }
            let forged = LogEntry(kind: .referralReceived, referral: "ref-8", at: "2026-12-01T00:00:00Z", user: "pat").canonicalBytes
            let hash = MerkleHashing.leafHash(forged)
            if backend == .sqlite {
                try await RawSQL.execute(url, "DROP TRIGGER log_entries_no_update")
                try await RawSQL.execute(url, "UPDATE log_entries SET entry = '\(String(decoding: forged, as: UTF8.self))', leaf_hash = X'\(Hex.encode(hash))'")
            } else {
                try await RawSQL.execute(url, "DROP TRIGGER log_entries_append_only ON log_entries")
                try await RawSQL.execute(url, "UPDATE log_entries SET entry = '\(String(decoding: forged, as: UTF8.self))', leaf_hash = '\\x\(Hex.encode(hash))'")
            }
            let reopened = try await HubStores.open(url)
            let integrity = try await LogIntegrity.check(reopened)
            #expect(integrity.problems == ["the log's entries do not hash to the latest checkpoint's root"])
            do {
                _ = try await DisclosureLog.open(store: reopened, logKey: key)
                Issue.record("a rewritten log opened")
            } catch { #expect(error.description.contains("was altered")) }
            await reopened.close()
        }

        @Test("a release is logged before it is opened, opens only the threshold's tiers, audits clean, and a pending release is voided, never left unlogged", arguments: Backends.all)
        func releaseFlow(_ backend: StoreBackend) async throws {
            let (store, _) = try await Backends.fresh(backend)
            var f = try BatchFactory()
            // Born 2000-2009: children on the batch date.
            let rows = BatchFactory.rows(10, first: 50)
            let path = try f.batch("police", rows: rows)
            try await store.registerAgency(name: "police", signingKey: f.signing["police"]!.publicKey)
            _ = try await store.ingest(batchAt: path)
            let batch = try await store.currentBatches()[0]
            let record = try #require(try await store.records(inBatch: batch.batchID).first { $0.record.ageBand == .child }).record
            let log = try await DisclosureLog.open(store: store, logKey: Ed25519.PrivateKey())
            try await log.append([Self.entry(.thresholdProposed, "pat", threshold: .childProtection), Self.entry(.thresholdConfirmed, "mo", threshold: .childProtection)])

            func subject(proposer: String = "pat") -> ReleaseSubject {
                ReleaseSubject(
                    referral: "ref-7", header: batch.header, record: record,
                    request: ReleaseRequest(confirmedThreshold: .childProtection, proposedBy: proposer, confirmedBy: "mo", link: .match, ageBand: nil, availableTiers: []),
                    user: "pat")
            }
            // Refused: nothing logged.
            await #expect(throws: DisclosureError.self) { try await Releases.release(subject(proposer: "mo"), releaseKey: f.hub, log: log) }
            #expect(await log.size == 2)
            // Released: logged, opened, completed.
            let released = try await Releases.release(subject(), releaseKey: f.hub, log: log)
            #expect(Array(released.tiers.keys) == [.cp] && String(decoding: released.tiers[.cp]!, as: UTF8.self).contains(#""cp_notes":"note 5"#))
            let entries = try await log.entries()
            #expect(entries.map(\.entry.kind) == [.thresholdProposed, .thresholdConfirmed, .releaseLogged, .releaseCompleted])
            #expect(entries[2].index == released.loggedIndex && entries[2].entry.tiers == [.cp] && entries[2].entry.record == record.reference)
            // The hub stops between logging and opening (here: the key it holds is not the release key).
            do {
                _ = try await Releases.release(subject(), releaseKey: X25519.PrivateKey(), log: log)
                Issue.record("a release opened with the wrong key")
            } catch { #expect(error.description.contains("is logged but its payload could not be opened")) }
            let pending = try await Releases.pending(log)
            #expect(pending.count == 1)
            let verifier = try NoteVerifier(verifierKey: log.verifierKey)
            let midway = Audit.verify(entries: try await log.entries().map(\.entry.canonicalBytes), checkpoint: await log.checkpoint, origin: log.origin, verifier: verifier)
            #expect(midway.passed && midway.findings.map(\.severity) == [.warning])
            let id = try #require(pending[0].entry.release)
            try await Releases.void(id, user: "mo", reason: "opened in error", log: log)
            #expect(try await Releases.pending(log).isEmpty)
            await #expect(throws: DisclosureError.self) { try await Releases.complete(id, subject: subject(), releaseKey: f.hub, log: log) }
            let final = Audit.verify(entries: try await log.entries().map(\.entry.canonicalBytes), checkpoint: await log.checkpoint, origin: log.origin, verifier: verifier)
            #expect(final.passed && final.findings.isEmpty && final.releases == 2, "\(final.findings)")
            // The agency's receipt for its release.
            let receipt = try await log.receipt(for: released.loggedIndex)
            try receipt.verify(entry: receipt.extra!, origin: log.origin, verifiers: [verifier])
            await store.close()
        }
    }
}

/// Raw SQL against a test database, bypassing the store.
enum RawSQL {
    static func execute(_ url: String, _ sql: String) async throws {
        if url.hasPrefix("sqlite://") {
            let db = try DatabaseQueue(path: String(url.dropFirst("sqlite://".count)))
            try await db.write { try $0.execute(sql: sql) }
        } else {
            try await PostgresReset.withClient(url) { client in _ = try await client.query(PostgresQuery(unsafeSQL: sql)) }
        }
    }
}
