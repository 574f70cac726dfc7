import Disclosure
import Foundation
import LinkCrypto
import Testing
import Tokenisation
import TransparencyLog
@testable import HubStore

extension StoreTests {
    /// A hub releasing payloads is killed with SIGKILL at random points (an exit test: a child
    /// process that kills itself after a random delay while it releases). After each kill the log
    /// opens and checks out, every payload the child handed over is logged, and releases left
    /// between log and decrypt are pending and can be voided: never an unlogged decrypt.
    @Suite("Crash safety of releases")
    struct ReleaseCrashTests {
        @Test("release killed at 20 random points: every handed-over payload was logged first, the log stays sound", arguments: Backends.all)
        func killedWhileReleasing(_ backend: StoreBackend) async throws {
            let (store, url) = try await Backends.fresh(backend)
            var f = try BatchFactory()
            let path = try f.batch("police", rows: BatchFactory.rows(40, first: 50))
            try await store.registerAgency(name: "police", signingKey: f.signing["police"]!.publicKey)
            _ = try await store.ingest(batchAt: path)
            let logKey = Ed25519.PrivateKey()
            let log = try await DisclosureLog.open(store: store, logKey: logKey)
            var proposed = LogEntry(kind: .thresholdProposed, referral: "ref-c", user: "pat")
            proposed.threshold = .childProtection
            var confirmed = LogEntry(kind: .thresholdConfirmed, referral: "ref-c", user: "mo")
            confirmed.threshold = .childProtection
            try await log.append([proposed, confirmed])
            await store.close()
            let dir = f.dir.appendingPathComponent("handed-over").path
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let logHex = Hex.encode(Array(logKey.rawRepresentation.withUnsafeBytes { Array($0) }))
            let releaseHex = Hex.encode(Array(f.hub.rawRepresentation.withUnsafeBytes { Array($0) }))
            var generator = SystemRandomNumberGenerator()
            for _ in 0..<20 {
                let delay = Int.random(in: 30_000...900_000, using: &generator)
                await #expect(processExitsWith: .signal(SIGKILL)) { [url = url as String, dir = dir as String, delay = delay as Int, logHex = logHex as String, releaseHex = releaseHex as String] in
                    Thread.detachNewThread {
                        usleep(UInt32(delay))
                        kill(getpid(), SIGKILL)
                    }
                    let store = try await HubStores.open(url)
                    let log = try await DisclosureLog.open(store: store, logKey: try Ed25519.PrivateKey(rawRepresentation: SecureBytes(Hex.decode(logHex)!)))
                    let releaseKey = try X25519.PrivateKey(rawRepresentation: SecureBytes(Hex.decode(releaseHex)!))
                    let batch = try await store.currentBatches()[0]
                    let records = try await store.records(inBatch: batch.batchID).filter { $0.record.ageBand == .child }
                    while true {
                        for r in records {
                            let subject = ReleaseSubject(
                                referral: "ref-c", header: batch.header, record: r.record,
                                request: ReleaseRequest(confirmedThreshold: .childProtection, proposedBy: "pat", confirmedBy: "mo", link: .match, ageBand: nil, availableTiers: []),
                                user: "pat")
                            let released = try await Releases.release(subject, releaseKey: releaseKey, log: log)
                            // Handing the payload over: only after release() returned.
                            _ = FileManager.default.createFile(atPath: dir + "/" + released.release, contents: released.tiers[.cp].map { Data($0) })
                        }
                    }
                }
                // After the kill: the log opens against its checkpoint and checks out.
                let reopened = try await HubStores.open(url)
                let again = try await DisclosureLog.open(store: reopened, logKey: logKey)
                #expect(try await LogIntegrity.check(reopened).problems.isEmpty)
                let entries = try await again.entries().map(\.entry)
                let logged = Set(entries.filter { $0.kind == .releaseLogged }.compactMap(\.release))
                // (A kill during the write can leave Foundation's temporary file behind: not a hand-over.)
                let handedOver = try FileManager.default.contentsOfDirectory(atPath: dir).filter { !$0.hasPrefix(".") }
                let unlogged = handedOver.filter { !logged.contains($0) }
                #expect(unlogged.isEmpty, "\(unlogged.count) payloads were handed over without their release being logged")
                for (_, pending) in try await Releases.pending(again) {
                    #expect(!handedOver.contains(pending.release ?? ""), "a handed-over release is still pending")
                    try await Releases.void(pending.release!, user: "ops", reason: "hub stopped mid-release", log: again)
                }
                let audit = Audit.verify(
                    entries: try await again.entries().map(\.entry.canonicalBytes), checkpoint: await again.checkpoint, origin: again.origin,
                    verifier: try NoteVerifier(verifierKey: again.verifierKey))
                #expect(audit.passed && audit.findings.isEmpty, "\(audit.findings)")
                await reopened.close()
            }
            let finalCount = try FileManager.default.contentsOfDirectory(atPath: dir).filter { !$0.hasPrefix(".") }.count
            #expect(finalCount > 0, "some releases completed across the runs")
        }
    }
}
