import Disclosure
import Foundation
import LinkCrypto
import Testing
import Tokenisation
@testable import Workflow

@Suite("Referral state machine")
struct ReferralMachineTests {
    static func referral(ageBand: AgeBand? = .child) -> Referral {
        let match = ReferralMatch(
            recordID: 7, batchID: "b1", agency: "health", reference: "ref7", ageBand: ageBand, score: 9, band: "possible", evidence: [],
            cluster: nil, tiers: [.cin, .cp], standing: .possible, decidedBy: nil)
        return Referral(
            id: "r1", agency: "police", state: .matched, priority: .red, receivedAt: "2026-12-01T09:00:00Z", dueAt: "2026-12-01T13:00:00Z",
            assignee: "prac", ageBand: ageBand, matches: [match], proposal: nil, confirmation: nil, rejection: nil, releases: [], outcome: nil,
            history: [])
    }

    @Test("a referral walks matched → proposed → rejected → proposed → confirmed → outcome → closed, each step logged")
    func happyPath() throws {
        var r = Self.referral()
        var kinds: [LogEntry.Kind] = []
        func step(_ a: ReferralAction, _ user: String) throws {
            let (next, entries) = try ReferralMachine.apply(a, to: r, by: user, at: "2026-12-01T10:00:00Z")
            r = next
            kinds += entries.map(\.kind)
            #expect(entries.allSatisfy { $0.referral == "r1" && $0.user == user })
        }
        try step(.propose(.childInNeed, reason: nil), "prac")
        try step(.reject(reason: "needs s47"), "mgr")
        #expect(r.state == .rejected)
        try step(.propose(.childProtection, reason: nil), "prac")
        try step(.decideLink(recordID: 7, confirm: true), "prac")
        try step(.confirm(reason: nil), "mgr")
        #expect(r.state == .confirmed && r.confirmation?.threshold == .childProtection && r.matches[0].standing == .confirmedByPerson)
        try step(.recordOutcome("section 47 enquiry"), "prac")
        try step(.close, "prac")
        #expect(r.state == .closed)
        #expect(kinds == [.thresholdProposed, .thresholdRejected, .thresholdProposed, .linkConfirmed, .thresholdConfirmed, .outcomeRecorded, .referralClosed])
    }

    @Test("refusals: four-eyes, an age-band mismatch without a reason, a step out of order, an empty rejection")
    func refusals() throws {
        let proposed = try ReferralMachine.apply(.propose(.adultSafeguarding, reason: nil), to: Self.referral(), by: "mgr1", at: "2026-12-01T10:00:00Z").0
        #expect(throws: WorkflowError.self) { try ReferralMachine.apply(.confirm(reason: nil), to: proposed, by: "mgr1", at: "t") }
        do {
            _ = try ReferralMachine.apply(.confirm(reason: nil), to: proposed, by: "mgr1", at: "t")
        } catch { #expect(error.description.contains("four-eyes")) }
        // s42 for a child: refused without a reason, accepted with one (and the reason is logged).
        #expect(throws: WorkflowError.self) { try ReferralMachine.apply(.confirm(reason: "  "), to: proposed, by: "mgr2", at: "t") }
        let (confirmed, entries) = try ReferralMachine.apply(.confirm(reason: "turns 18 next week; adult services lead"), to: proposed, by: "mgr2", at: "t")
        #expect(confirmed.state == .confirmed && entries[0].reason == "turns 18 next week; adult services lead" && entries[0].proposedBy == "mgr1")
        #expect(throws: WorkflowError.self) { try ReferralMachine.apply(.close, to: confirmed, by: "prac", at: "t") }
        #expect(throws: WorkflowError.self) { try ReferralMachine.apply(.reject(reason: ""), to: proposed, by: "mgr2", at: "t") }
        #expect(throws: WorkflowError.self) { try ReferralMachine.apply(.propose(.childInNeed, reason: nil), to: proposed, by: "prac", at: "t") }
    }

    @Test("every action is refused in every state it is not allowed in")
    func allowedStates() throws {
        let actions: [ReferralAction] = [.assign(to: "p"), .propose(.none, reason: nil), .confirm(reason: nil), .reject(reason: "x"), .decideLink(recordID: 7, confirm: false), .recordOutcome("o"), .close]
        for action in actions {
            for state in ReferralState.allCases where !ReferralMachine.allowedStates(for: action).contains(state) {
                var r = Self.referral()
                r.state = state
                #expect(throws: WorkflowError.self, "\(action) in \(state)") { try ReferralMachine.apply(action, to: r, by: "u", at: "t") }
            }
        }
    }

    @Test("roles: practitioners propose and release, managers decide thresholds, operators and DPOs see no referral")
    func access() {
        #expect(Access.allows(.practitioner, .release) && !Access.allows(.practitioner, .decideThreshold))
        #expect(Access.allows(.manager, .decideThreshold) && !Access.allows(.manager, .release) && !Access.allows(.manager, .readReleased))
        for c in [Capability.viewReferrals, .release, .readReleased] {
            #expect(!Access.allows(.operator, c) && !Access.allows(.dpo, c))
        }
        #expect(Access.allows(.dpo, .viewLog) && !Access.allows(.operator, .viewLog))
    }
}

@Suite("Timescales")
struct TimescalesTests {
    static func date(_ s: String) -> Date { Timestamps.date(s)! }

    @Test("red counts working hours: Friday 15:00 UK time + 4 working hours is Monday 11:00; amber and green are clock hours")
    func due() {
        let t = Timescales.standard
        // 2026-12-04 is a Friday; UK time is UTC in December.
        #expect(t.due(.red, receivedAt: Self.date("2026-12-04T15:00:00Z")) == Self.date("2026-12-07T11:00:00Z"))
        // Before the working day starts: the clock starts at 09:00.
        #expect(t.due(.red, receivedAt: Self.date("2026-12-01T07:30:00Z")) == Self.date("2026-12-01T13:00:00Z"))
        // Saturday: Monday 13:00.
        #expect(t.due(.red, receivedAt: Self.date("2026-12-05T10:00:00Z")) == Self.date("2026-12-07T13:00:00Z"))
        #expect(t.due(.amber, receivedAt: Self.date("2026-12-04T15:00:00Z")) == Self.date("2026-12-05T15:00:00Z"))
        #expect(t.due(.green, receivedAt: Self.date("2026-12-04T15:00:00Z")) == Self.date("2026-12-07T15:00:00Z"))
        // British Summer Time: 09:00 in London is 08:00 UTC.
        #expect(t.due(.red, receivedAt: Self.date("2026-07-01T06:00:00Z")) == Self.date("2026-07-01T12:00:00Z"))
    }

    @Test("invalid timescales are refused")
    func validate() throws {
        try Timescales.standard.validate()
        var t = Timescales.standard
        t.dayStartHour = 18
        #expect(throws: WorkflowError.self) { try t.validate() }
        t = .standard
        t.timeZone = "Mars/Olympus"
        #expect(throws: WorkflowError.self) { try t.validate() }
    }
}

@Suite("Passwords and agency request signatures")
struct CredentialTests {
    @Test("scrypt hashes verify only their own password, carry their parameters, and refuse short passwords")
    func passwords() throws {
        let hasher = PasswordHasher(parameters: .init(n: 1 << 10, r: 8, p: 1))
        let h = try hasher.hash("correct horse battery staple")
        #expect(h.hasPrefix("scrypt$1024$8$1$"))
        #expect(hasher.verify("correct horse battery staple", against: h))
        #expect(!hasher.verify("correct horse battery stapler", against: h))
        #expect(try hasher.hash("correct horse battery staple") != h, "a fresh salt each time")
        #expect(!hasher.verify("x", against: "scrypt$garbage"))
        #expect(throws: WorkflowError.self) { try hasher.hash("short") }
    }

    @Test("a signed request covers method, path, agency, time, nonce and body digest: changing any breaks the signature")
    func signatures() throws {
        let key = Ed25519.PrivateKey()
        let headers = AgencyRequest.sign(method: "POST", path: "/api/v1/batches", agency: "police", body: Array("batch".utf8), key: key)
        let signature = try #require(Data(base64Encoded: headers[AgencyRequest.Header.signature]!))
        let request = AgencyRequest(
            method: "POST", path: "/api/v1/batches", agency: "police", timestamp: headers[AgencyRequest.Header.timestamp]!,
            nonce: headers[AgencyRequest.Header.nonce]!, contentSHA256: headers[AgencyRequest.Header.contentSHA256]!)
        #expect(key.publicKey.isValidSignature(Array(signature), for: request.signedBytes))
        for changed in [\AgencyRequest.method, \.path, \.agency, \.timestamp, \.nonce, \.contentSHA256] {
            var r = request
            r[keyPath: changed] = "0000000000000000000000000000000000000000000000000000000000000000"
            #expect(!key.publicKey.isValidSignature(Array(signature), for: r.signedBytes))
        }
    }
}
