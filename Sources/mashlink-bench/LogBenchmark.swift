import ArgumentParser
import Disclosure
import Foundation
import HubStore
import LinkCrypto
import TransparencyLog

/// The disclosure log: durable appends per second on a store (one entry a transaction, and grouped),
/// proof sizes and times at a large tree, and the DPO's offline verify of a large export.
struct LogBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Disclosure-log figures: durable appends/s (single and grouped), proofs and verify at a million entries.",
        discussion: "Example:\n  mashlink-bench log --database sqlite:///tmp/log-bench.db --appends 2000 --group 100 --entries 1000000")
    @Option(help: "The store to append to (a fresh one is best).") var database = "sqlite:///tmp/mashlink-log-bench.db"
    @Option(help: "Entries appended one a transaction.") var appends = 2_000
    @Option(help: "Entries a transaction in the grouped run.") var group = 100
    @Option(help: "Entries in the in-memory tree and the export verified.") var entries = 1_000_000

    func run() async throws {
        print("machine: \(machineDescription())")
        let store = try await HubStores.open(database)
        let log = try await DisclosureLog.open(store: store, logKey: Ed25519.PrivateKey())
        let single = try await seconds {
            for i in 0..<appends { try await log.append([Self.entry(i)]) }
        }
        print("mashlink log-append-single \(store.backend.rawValue) \(Int(Double(appends) / single)) entries/s (\(appends) transactions, each with a signed checkpoint)")
        let groups = max(1, appends * 10 / group)
        let grouped = try await seconds {
            for g in 0..<groups { try await log.append((0..<group).map { Self.entry(g * group + $0) }) }
        }
        print("mashlink log-append-grouped \(store.backend.rawValue) \(Int(Double(groups * group) / grouped)) entries/s (\(groups) transactions of \(group))")
        await store.close()

        // A large log in memory: proofs, then the audit of the whole export.
        let signer = try NoteSigner(name: "mashlink.bench/disclosure-log", privateKey: Ed25519.PrivateKey())
        var bytes: [[UInt8]] = []
        bytes.reserveCapacity(entries)
        var tree = MerkleTree()
        let build = try await seconds {
            for i in 0..<entries {
                let e = Self.entry(i).canonicalBytes
                bytes.append(e)
                tree.append(e)
            }
        }
        print("mashlink log-tree-build \(entries) entries \(String(format: "%.2f", build)) s")
        let n = tree.count
        var proofLength = 0
        let inclusion = try await seconds {
            for k in 0..<1_000 { proofLength = try tree.inclusionProof(index: UInt64(k * 997) % n, treeSize: n).count }
        }
        print("mashlink log-inclusion-proof \(n) entries \(String(format: "%.1f", inclusion * 1e3)) µs/proof, \(proofLength) hashes (\(proofLength * 32) bytes)")
        var consistencyLength = 0
        let consistency = try await seconds {
            for k in 1...1_000 { consistencyLength = try tree.consistencyProof(from: UInt64(k * 991) % n + 1, to: n).count }
        }
        print("mashlink log-consistency-proof \(n) entries \(String(format: "%.1f", consistency * 1e3)) µs/proof, up to \(consistencyLength) hashes")
        let note = try Checkpoint(origin: signer.name, size: n, rootHash: tree.root).signed(by: signer)
        var report: AuditReport?
        let verify = try await seconds {
            report = Audit.verify(entries: bytes, checkpoint: note, origin: signer.name, verifier: signer.verifier)
        }
        print("mashlink log-verify \(n) entries \(String(format: "%.2f", verify)) s (\(report?.passed == true ? "passed" : "FAILED"), \(report?.releases ?? 0) releases replayed)")
    }

    /// Entry `i` of a synthetic workflow: received, proposed, confirmed, release logged, completed.
    static func entry(_ i: Int) -> LogEntry {
        // One referral a minute from 2026-01-01, its five entries a second apart: times never run backwards.
        let referral = "ref-\(i / 5)", minute = i / 5
        let day = minute / 1440, month = min(12, day / 28 + 1), dayOfMonth = day % 28 + 1, year = 2026 + day / (28 * 12)
        let at = String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", year, month, dayOfMonth, (minute / 60) % 24, minute % 60, i % 5)
        let kinds: [LogEntry.Kind] = [.referralReceived, .thresholdProposed, .thresholdConfirmed, .releaseLogged, .releaseCompleted]
        var e = LogEntry(kind: kinds[i % 5], referral: referral, at: at, user: i % 5 == 2 ? "manager" : "practitioner")
        if (1...3).contains(i % 5) { e.threshold = .childInNeed }
        if i % 5 >= 3 { e.release = "rel-\(i / 5)" }
        if i % 5 == 3 {
            e.lawfulBasis = Threshold.childInNeed.policy.lawfulBasis
            e.agency = "police"
            e.record = String(format: "%032x", i)
            e.ageBand = .child
            e.tiers = [.cin]
            e.payloadDigests = ["cin": String(repeating: "ab", count: 32)]
            e.proposedBy = "practitioner"
            e.confirmedBy = "manager"
        }
        return e
    }

    private func seconds(_ body: () async throws -> Void) async throws -> Double {
        let start = ContinuousClock.now
        try await body()
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
