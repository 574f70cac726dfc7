import Foundation
import Tokenisation
public import TransparencyLog

/// One thing an audit found wrong (or worth a look).
public struct AuditFinding: Sendable, Hashable, CustomStringConvertible {
    /// An error fails the audit; a warning is reported but does not.
    public enum Severity: String, Sendable, Hashable {
        case error, warning
    }

    public let severity: Severity
    /// The entry it is about, if one.
    public let entry: UInt64?
    public let message: String

    public var description: String { "\(severity.rawValue)\(entry.map { " (entry \($0))" } ?? ""): \(message)" }
}

/// The outcome of ``Audit/verify(entries:checkpoint:origin:verifier:previous:)``.
public struct AuditReport: Sendable {
    /// The checkpoint verified (nil if it did not verify).
    public let checkpoint: Checkpoint?
    /// Entries examined and releases among them.
    public let entries: Int, releases: Int
    /// Everything found, in entry order.
    public let findings: [AuditFinding]

    /// True when no finding is an error.
    public var passed: Bool { !findings.contains { $0.severity == .error } }
}

/// The DPO's offline audit of a log export, trusting nothing but the hub's log public key and the
/// checkpoints the DPO saved: signatures, the recomputed root, consistency with an earlier
/// checkpoint, and the release policy replayed over the entries.
public enum Audit {
    /// Verifies `entries` (each entry's exact bytes, in log order) against `checkpoint`, and, if
    /// given, that `previous` (a checkpoint saved earlier) is a prefix of it.
    public static func verify(
        entries: [[UInt8]], checkpoint note: String, origin: String, verifier: NoteVerifier, previous: String? = nil
    ) -> AuditReport {
        var findings: [AuditFinding] = []
        func fail(_ entry: UInt64?, _ message: String) { findings.append(AuditFinding(severity: .error, entry: entry, message: message)) }

        // The log itself.
        var tree = MerkleTree()
        for e in entries { tree.append(e) }
        let checkpoint: Checkpoint?
        do {
            let c = try Checkpoint.open(note, origin: origin, verifiers: [verifier])
            checkpoint = c
            if c.size != tree.count {
                fail(nil, "the checkpoint covers \(c.size) entries but the export holds \(tree.count): the export is incomplete or has entries the checkpoint does not")
            } else if c.rootHash != tree.root {
                fail(nil, "the entries do not hash to the checkpoint's root: an entry was changed, removed, added or reordered")
            }
        } catch {
            checkpoint = nil
            fail(nil, "the checkpoint does not verify under the hub's log key: \(error)")
        }
        if let previous {
            do {
                let old = try Checkpoint.open(previous, origin: origin, verifiers: [verifier])
                if old.size > tree.count {
                    fail(nil, "the log has \(tree.count) entries but a checkpoint saved earlier covers \(old.size): the log was truncated")
                } else if (try? tree.root(size: old.size)) != old.rootHash {
                    fail(nil, "the first \(old.size) entries no longer hash to the root of the checkpoint saved earlier: the log was rewritten")
                }
            } catch {
                fail(nil, "the earlier checkpoint does not verify under the hub's log key: \(error)")
            }
        }

        // The entries, and the policy over them.
        var decoded: [(UInt64, LogEntry)] = []
        for (i, bytes) in entries.enumerated() {
            do { decoded.append((UInt64(i), try LogEntry(canonical: bytes))) } catch { fail(UInt64(i), "\(error)") }
        }
        findings += PolicyReplay.findings(decoded)
        return AuditReport(
            checkpoint: checkpoint, entries: entries.count, releases: decoded.filter { $0.1.kind == .releaseLogged }.count,
            findings: findings.sorted { ($0.entry ?? 0, $0.severity == .error ? 0 : 1) < ($1.entry ?? 0, $1.severity == .error ? 0 : 1) })
    }
}

/// The release policy replayed over the log, in order: what each release rested on must have been
/// logged before it.
enum PolicyReplay {
    struct Referral {
        var proposed: (threshold: Threshold, user: String?)?
        var confirmed: (threshold: Threshold, user: String?)?
        var rejectedLinks = Set<String>()
    }

    static func findings(_ entries: [(UInt64, LogEntry)]) -> [AuditFinding] {
        var out: [AuditFinding] = []
        func fail(_ i: UInt64, _ m: String) { out.append(AuditFinding(severity: .error, entry: i, message: m)) }
        var referrals: [String: Referral] = [:]
        var releases: [String: (index: UInt64, done: Bool)] = [:]
        var completed: [String: String] = [:]
        var lastTime: String?
        for (i, e) in entries {
            // Times are written YYYY-MM-DDTHH:MM:SSZ, so their order is their byte order.
            if Timestamps.isWellFormed(e.at) {
                if let lastTime, e.at < lastTime { fail(i, "its time \(e.at) is earlier than the entry before it: entries were reordered or the clock was wrong") }
                lastTime = e.at
            } else { fail(i, "its time '\(e.at)' is not a UTC time of the form YYYY-MM-DDTHH:MM:SSZ") }
            var r = referrals[e.referral] ?? Referral()
            let linkKey = "\(e.agency ?? "")/\(e.record ?? "")"
            switch e.kind {
            case .thresholdProposed:
                if let t = e.threshold { r.proposed = (t, e.user) } else { fail(i, "a proposed threshold without a threshold") }
                r.confirmed = nil
            case .thresholdConfirmed:
                guard let t = e.threshold else { fail(i, "a confirmed threshold without a threshold"); break }
                guard let p = r.proposed else { fail(i, "threshold confirmed for referral \(e.referral) but never proposed"); break }
                if p.threshold != t { fail(i, "the confirmed threshold \(t.rawValue) is not the one proposed (\(p.threshold.rawValue))") }
                if p.user == nil || p.user == e.user { fail(i, "the threshold was confirmed by the person who proposed it (four-eyes)") }
                r.confirmed = (t, e.user)
            case .thresholdRejected:
                r.confirmed = nil
            case .linkRejected:
                r.rejectedLinks.insert(linkKey)
            case .linkConfirmed:
                r.rejectedLinks.remove(linkKey)
            case .releaseLogged:
                let id = e.release ?? ""
                if id.isEmpty || releases[id] != nil { fail(i, "a release without a unique release id") }
                releases[id] = (i, false)
                guard let c = r.confirmed, let p = r.proposed else { fail(i, "a release for referral \(e.referral) with no confirmed threshold before it"); break }
                if e.threshold != c.threshold { fail(i, "released at \(e.threshold?.rawValue ?? "no threshold") but the confirmed threshold is \(c.threshold.rawValue)") }
                if e.proposedBy != p.user || e.confirmedBy != c.user || p.user == c.user {
                    fail(i, "the release does not rest on a threshold proposed and confirmed by two different people")
                }
                let policy = c.threshold.policy
                let tiers = Set(e.tiers ?? [])
                if tiers.isEmpty || !tiers.isSubset(of: policy.tiers) {
                    fail(i, "released tiers \((e.tiers ?? []).map(\.rawValue).joined(separator: ",")) are not within \(policy.title)'s (\(policy.tiers.sorted().map(\.rawValue).joined(separator: ",")))")
                }
                if e.lawfulBasis != policy.lawfulBasis { fail(i, "the lawful basis recorded is not \(policy.title)'s") }
                if r.rejectedLinks.contains(linkKey) { fail(i, "released after the link to this record was rejected") }
                if !policy.fits(e.ageBand), (e.reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                    fail(i, "\(policy.title) released for a record whose age band is \(e.ageBand?.rawValue ?? "unknown"), with no reason recorded")
                }
                if e.payloadDigests.map({ Set($0.keys) }) != Set(tiers.map(\.rawValue)) { fail(i, "the payload digests do not name exactly the tiers released") }
            case .releaseCompleted, .releaseVoided:
                guard let id = e.release, let logged = releases[id] else { fail(i, "\(e.kind.rawValue) for a release that was never logged"); break }
                if logged.done { fail(i, "\(e.kind.rawValue) for a release already completed or voided") }
                releases[id] = (logged.index, true)
                if e.kind == .releaseCompleted { completed[id] = e.referral }
            case .releaseViewed:
                guard let id = e.release, completed[id] == e.referral else {
                    fail(i, "a release was viewed that was never completed for referral \(e.referral)"); break
                }
            default: break
            }
            referrals[e.referral] = r
        }
        for (id, r) in releases where !r.done {
            out.append(AuditFinding(severity: .warning, entry: r.index, message: "release \(id) was logged but neither completed nor voided"))
        }
        return out
    }
}

