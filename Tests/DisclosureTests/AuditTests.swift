import Foundation
import LinkCrypto
import Testing
import Tokenisation
import TransparencyLog
@testable import Disclosure

/// Exports made in memory: entries signed into a checkpoint by a test log key, as the hub would.
struct ExportMaker {
    let key = Ed25519.PrivateKey()
    let origin = "mashlink.test/disclosure-log"
    var signer: NoteSigner { try! NoteSigner(name: origin, privateKey: key) }
    var verifier: NoteVerifier { signer.verifier }

    func checkpoint(_ entries: [[UInt8]], signer other: NoteSigner? = nil) -> String {
        var tree = MerkleTree()
        for e in entries { tree.append(e) }
        return try! Checkpoint(origin: origin, size: tree.count, rootHash: tree.root).signed(by: other ?? signer)
    }

    func audit(_ entries: [LogEntry], previous: String? = nil) -> AuditReport {
        let bytes = entries.map(\.canonicalBytes)
        return Audit.verify(entries: bytes, checkpoint: checkpoint(bytes), origin: origin, verifier: verifier, previous: previous)
    }
}

/// A referral's entries up to a release, at increasing times.
func referralEntries(threshold: Threshold = .childProtection, proposer: String = "pat", confirmer: String = "mo", tiers: [PayloadTier] = [.cin, .cp], age: AgeBand = .child) -> [LogEntry] {
    var clock = 0
    func at() -> String {
        clock += 1
        return "2026-12-01T10:00:\(String(format: "%02d", clock))Z"
    }
    var received = LogEntry(kind: .referralReceived, referral: "ref-1", at: at(), user: proposer)
    received.reason = nil
    var proposed = LogEntry(kind: .thresholdProposed, referral: "ref-1", at: at(), user: proposer)
    proposed.threshold = threshold
    var confirmed = LogEntry(kind: .thresholdConfirmed, referral: "ref-1", at: at(), user: confirmer)
    confirmed.threshold = threshold
    var logged = LogEntry(kind: .releaseLogged, referral: "ref-1", at: at(), user: proposer)
    logged.release = "rel-1"
    logged.threshold = threshold
    logged.lawfulBasis = threshold.policy.lawfulBasis
    logged.agency = "police"
    logged.record = "a1b2"
    logged.ageBand = age
    logged.tiers = tiers
    logged.payloadDigests = Dictionary(uniqueKeysWithValues: tiers.map { ($0.rawValue, String(repeating: "0", count: 64)) })
    logged.proposedBy = proposer
    logged.confirmedBy = confirmer
    var done = LogEntry(kind: .releaseCompleted, referral: "ref-1", at: at(), user: proposer)
    done.release = "rel-1"
    return [received, proposed, confirmed, logged, done]
}

@Suite("Disclosure-log audit")
struct AuditTests {
    let maker = ExportMaker()

    @Test("a well-formed log passes: signature, root, and every release within policy")
    func clean() {
        let report = maker.audit(referralEntries())
        #expect(report.passed && report.findings.isEmpty, "\(report.findings)")
        #expect(report.entries == 5 && report.releases == 1 && report.checkpoint?.size == 5)
    }

    @Test("a changed, removed or reordered entry is caught by the root; a checkpoint by another key is refused")
    func tampering() {
        let entries = referralEntries().map(\.canonicalBytes)
        let note = maker.checkpoint(entries)
        var changed = entries
        changed[1] = LogEntry(kind: .thresholdProposed, referral: "ref-2", at: "2026-12-01T10:00:02Z", user: "pat").canonicalBytes
        for export in [changed, Array(entries.dropLast()), [entries[1], entries[0]] + entries[2...]] {
            let report = Audit.verify(entries: export, checkpoint: note, origin: maker.origin, verifier: maker.verifier)
            #expect(!report.passed)
        }
        let forged = maker.checkpoint(entries, signer: try! NoteSigner(name: maker.origin, privateKey: Ed25519.PrivateKey()))
        let report = Audit.verify(entries: entries, checkpoint: forged, origin: maker.origin, verifier: maker.verifier)
        #expect(!report.passed && report.findings.contains { $0.message.contains("does not verify") })
        // A non-canonical encoding of an entry is refused as an entry.
        var spaced = entries
        spaced[0] = Array(String(decoding: entries[0], as: UTF8.self).replacingOccurrences(of: ",", with: ", ").utf8)
        let respaced = Audit.verify(entries: spaced, checkpoint: maker.checkpoint(spaced), origin: maker.origin, verifier: maker.verifier)
        #expect(respaced.findings.contains { $0.entry == 0 && $0.message.contains("canonical") })
    }

    @Test("truncation or rewriting against a checkpoint the DPO saved earlier is caught; an honest extension passes")
    func previousCheckpoint() {
        let entries = referralEntries()
        let saved = maker.checkpoint(entries.map(\.canonicalBytes))
        var later = entries
        later.append(LogEntry(kind: .referralClosed, referral: "ref-1", at: "2026-12-01T11:00:00Z", user: "mo"))
        #expect(maker.audit(later, previous: saved).passed)
        let truncated = maker.audit(Array(entries.prefix(3)), previous: saved)
        #expect(truncated.findings.contains { $0.message.contains("truncated") })
        var rewritten = later
        rewritten[0].user = "someone-else"
        #expect(maker.audit(rewritten, previous: saved).findings.contains { $0.message.contains("rewritten") })
    }

    @Test("policy: four-eyes, tiers within the threshold, the lawful basis, child/adult fit, rejected links, unconfirmed thresholds")
    func policy() {
        func messages(_ entries: [LogEntry]) -> [String] { maker.audit(entries).findings.filter { $0.severity == .error }.map(\.message) }
        #expect(messages(referralEntries(proposer: "mo", confirmer: "mo")).contains { $0.contains("four-eyes") })
        #expect(messages(referralEntries(threshold: .childInNeed, tiers: [.cin, .cp])).contains { $0.contains("not within") })
        #expect(messages(referralEntries(threshold: .adultSafeguarding, tiers: [.s42], age: .child)).contains { $0.contains("no reason recorded") })
        var withReason = referralEntries(threshold: .adultSafeguarding, tiers: [.s42], age: .child)
        withReason[3].reason = "17, transition to adult services"
        #expect(messages(withReason).isEmpty)
        var basis = referralEntries()
        basis[3].lawfulBasis = "Care Act 2014 s42"
        #expect(messages(basis).contains { $0.contains("lawful basis") })
        var rejected = referralEntries()
        var reject = LogEntry(kind: .linkRejected, referral: "ref-1", at: "2026-12-01T10:00:03Z", user: "mo")
        reject.agency = "police"
        reject.record = "a1b2"
        rejected.insert(reject, at: 3)
        #expect(messages(rejected).contains { $0.contains("rejected") })
        var unconfirmed = referralEntries()
        unconfirmed.remove(at: 2)
        #expect(messages(unconfirmed).contains { $0.contains("no confirmed threshold") })
        var twice = referralEntries()
        twice.append(twice[4])
        #expect(messages(twice).contains { $0.contains("already completed") })
    }

    @Test("a logged release never completed or voided is a warning, not a failure; time running backwards is an error")
    func pendingAndTime() {
        let report = maker.audit(Array(referralEntries().dropLast()))
        #expect(report.passed && report.findings.count == 1 && report.findings[0].severity == .warning)
        var backwards = referralEntries()
        backwards[2].at = "2026-12-01T09:00:00Z"
        #expect(!maker.audit(backwards).passed)
    }
}

@Suite("Disclosure report")
struct DisclosureReportTests {
    @Test("counts, decision times, the release table in CSV and JSON, and an HTML page with charts")
    func report() throws {
        let maker = ExportMaker()
        var entries = referralEntries()
        // A second referral with a release at s17, the next day, still pending.
        var more = referralEntries(threshold: .childInNeed, tiers: [.cin]).map { e -> LogEntry in
            var e = e
            e.referral = "ref-2"
            e.at = e.at.replacingOccurrences(of: "2026-12-01", with: "2026-12-02")
            e.release = e.release.map { _ in "rel-2" }
            return e
        }
        more.removeLast()
        // Priorities and due times: ref-1 red, decided within its time; ref-2 amber, due before its decision.
        entries[0].priority = "red"
        entries[0].due = "2026-12-01T14:00:00Z"
        more[0].priority = "amber"
        more[0].due = "2026-12-02T10:00:02Z"
        entries += more
        let audit = maker.audit(entries)
        let all = DisclosureReport(entries: entries, audit: audit, from: "2026-12-01", to: "2026-12-31")
        #expect(all.releases.count == 2 && all.byThreshold == ["s47": 1, "s17": 1] && all.byDay == ["2026-12-01": 1, "2026-12-02": 1])
        #expect(all.releases.map(\.status) == ["completed", "pending"] && all.passed)
        #expect(all.timeliness == ["red": .init(decided: 1, late: 0), "amber": .init(decided: 1, late: 1)])
        #expect(all.html().contains("red 1 of 1 on time · amber 0 of 1 on time"))
        #expect(all.decisions == 2 && all.medianDecisionHours.map { abs($0 - 2.0 / 3600) < 1e-9 } == true)
        let firstDay = DisclosureReport(entries: entries, audit: audit, from: "2026-12-01", to: "2026-12-01")
        #expect(firstDay.releases.count == 1 && firstDay.decisions == 1)
        let csv = all.csv().split(separator: "\n")
        #expect(csv.count == 3 && csv[0].hasPrefix("at,referral,agency,record,threshold"))
        #expect(csv[1].contains("\"Children Act 1989 s47; UK GDPR Art 6(1)(e), 9(2)(g); DPA 2018 Sch 1 para 18\""))
        let decoded = try JSONDecoder().decode(DisclosureReport.self, from: Data(all.json().utf8))
        #expect(decoded.releases == all.releases)
        let html = all.html()
        #expect(html.contains("<svg") && html.contains("Log verification: passed") && html.contains("@media print"))
        // Each chart's bars are SVG elements (a bar chart once rendered as the debug text of another string type).
        #expect(html.contains("<text x=\"0\" y=\"15\">2026-12-01</text><rect x=\"150\"") && !html.contains("SQL("), "\(html)")
        #expect(html.contains("warning (entry 8)"), "the pending release is listed as a finding")
    }
}

@Suite("Disclosure-log tampering, exhaustively")
struct TamperTests {
    /// An export of three referrals (15 entries), a checkpoint saved after the first, and the latest.
    static func export(_ maker: ExportMaker) -> (entries: [[UInt8]], saved: String, latest: String) {
        var entries: [LogEntry] = []
        for (n, minute) in ["10", "11", "12"].enumerated() {
            entries += referralEntries().map { e in
                var e = e
                e.referral = "ref-\(n)"
                e.at = e.at.replacingOccurrences(of: "T10:", with: "T\(minute):")
                e.release = e.release.map { "\($0)-\(n)" }
                return e
            }
        }
        let bytes = entries.map(\.canonicalBytes)
        return (bytes, maker.checkpoint(Array(bytes.prefix(5))), maker.checkpoint(bytes))
    }

    @Test("every byte flipped in sampled entries, every entry dropped, every adjacent pair swapped, every truncation and an old checkpoint are all caught")
    func everyChange() {
        let maker = ExportMaker()
        let (entries, saved, latest) = Self.export(maker)
        func fails(_ export: [[UInt8]], _ note: String = latest) -> Bool {
            !Audit.verify(entries: export, checkpoint: note, origin: maker.origin, verifier: maker.verifier, previous: saved).passed
        }
        #expect(!fails(entries), "the untouched export passes")
        var changes = 0, caught = 0
        func tally(_ failed: Bool) {
            changes += 1
            if failed { caught += 1 }
        }
        for i in [0, 3, 7, 14] {
            for j in entries[i].indices {
                for bit in [0, 5] {
                    var export = entries
                    export[i][j] ^= 1 << bit
                    tally(fails(export))
                }
            }
        }
        for i in entries.indices { tally(fails(Array(entries[..<i] + entries[(i + 1)...]))) }
        for i in entries.indices.dropLast() { tally(fails(Array(entries[..<i]) + [entries[i + 1], entries[i]] + entries[(i + 2)...])) }
        // Truncated, with the latest checkpoint, or with a checkpoint re-made over the shorter log by the hub's key.
        for n in 0..<entries.count {
            tally(fails(Array(entries.prefix(n))))
            if n < 5 { tally(fails(Array(entries.prefix(n)), maker.checkpoint(Array(entries.prefix(n))))) }
        }
        // A checkpoint swapped for the earlier one, or for one over different entries.
        tally(fails(entries, saved))
        var other = entries
        other[2] = LogEntry(kind: .referralClosed, referral: "ref-0", at: "2026-12-01T10:00:03Z", user: "mo").canonicalBytes
        tally(fails(entries, maker.checkpoint(other)))
        #expect(changes > 1_000)
        #expect(caught == changes, "\(changes - caught) of \(changes) changes were not caught")
    }
}

@Suite("Canonical log entries")
struct CanonicalEntryTests {
    @Test("canonical bytes are sorted, compact JSON that any reader decodes back to the same entry, escapes included")
    func roundTrip() throws {
        var e = referralEntries()[3]
        e.reason = "said \"no\" \\ twice\nthen\tleft \u{1} — ok"
        let bytes = e.canonicalBytes
        #expect(try LogEntry(canonical: bytes) == e)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(object["reason"] as? String == e.reason && object["v"] as? Int == 1)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(!text.contains(" \"") && !text.contains(": ") && text.hasPrefix("{\"ageBand\":\"child\",\"agency\":\"police\",\"at\":"))
        #expect(text.contains(#"\u0001"#) && text.contains(#"\n"#) && text.contains(#"\""#))
        // The same entry written another way (JSONEncoder's spacing or key order) is not canonical.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted]
        #expect(throws: DisclosureError.self) { try LogEntry(canonical: Array(try encoder.encode(e))) }
    }

    @Test("times must be YYYY-MM-DDTHH:MM:SSZ")
    func times() {
        #expect(Timestamps.isWellFormed("2026-12-01T10:00:59Z"))
        for bad in ["2026-12-01T10:00:59.5Z", "2026-12-01 10:00:59Z", "2026-13-01T10:00:59Z", "2026-12-01T10:00:59+00:00", ""] {
            #expect(!Timestamps.isWellFormed(bad), "\(bad)")
        }
        #expect(Timestamps.isWellFormed(Timestamps.now()))
    }
}
