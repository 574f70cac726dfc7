import Testing
import Tokenisation
@testable import Disclosure

@Suite("Release policy")
struct ReleasePolicyTests {
    func request(
        _ threshold: Threshold?, link: LinkStanding = .match, age: AgeBand? = .child, reason: String? = nil,
        proposer: String? = "pat", confirmer: String? = "mo", tiers: Set<PayloadTier> = [.cin, .cp, .s42]
    ) -> ReleaseRequest {
        ReleaseRequest(
            confirmedThreshold: threshold, proposedBy: proposer, confirmedBy: threshold == nil ? nil : confirmer, link: link,
            ageBand: age, mismatchReason: reason, availableTiers: tiers)
    }

    @Test("each statutory threshold releases exactly the tiers of the brief's table, with its lawful basis")
    func table() {
        let expected: [(Threshold, AgeBand, [PayloadTier], String)] = [
            (.childInNeed, .child, [.cin], "Children Act 1989 s17"),
            (.childProtection, .child, [.cin, .cp], "Children Act 1989 s47"),
            (.adultSafeguarding, .adult, [.s42], "Care Act 2014 s42 (and s45)"),
        ]
        for (threshold, age, tiers, act) in expected {
            guard case .release(let got, let basis, let reason) = ReleasePolicy.decide(request(threshold, age: age)) else {
                Issue.record("\(threshold) refused")
                continue
            }
            #expect(got == tiers)
            #expect(basis.hasPrefix(act) && basis.hasSuffix("UK GDPR Art 6(1)(e), 9(2)(g); DPA 2018 Sch 1 para 18"))
            #expect(reason == nil)
        }
    }

    /// The brief's table, written out here on its own: what each threshold may release, and for whom.
    static let brief: [Threshold: (tiers: Set<PayloadTier>, for: AgeBand?)] = [
        .none: ([], nil), .earlyHelp: ([], nil), .childInNeed: ([.cin], .child), .childProtection: ([.cin, .cp], .child),
        .adultSafeguarding: ([.s42], .adult),
    ]

    @Test("every threshold × age band × recorded reason × link standing × tiers held gives the brief's outcome", arguments: Threshold.allCases)
    func everyCombination(_ threshold: Threshold) throws {
        let (allowed, forAge) = try #require(Self.brief[threshold])
        var releases = 0, refusals = 0
        for age in [AgeBand.child, .adult, nil] {
            for reason in [nil, "  ", "care leaver, open plan"] {
                for link in [LinkStanding.match, .confirmedByPerson, .possible, .rejected] {
                    for mask in 0..<(1 << PayloadTier.allCases.count) {
                        let held = Set(PayloadTier.allCases.enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element))
                        var expected: [ReleaseRefusal] = []
                        if allowed.isEmpty { expected.append(.thresholdReleasesNothing(threshold)) }
                        if link == .possible { expected.append(.linkNotConfirmed) }
                        if link == .rejected { expected.append(.linkRejected) }
                        let fits = forAge == nil || forAge == age
                        let recorded = reason.map { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? false
                        if !fits, !recorded { expected.append(.ageBandMismatch(threshold, age)) }
                        let tiers = allowed.intersection(held)
                        if !allowed.isEmpty, tiers.isEmpty { expected.append(.noTierAvailable(threshold)) }
                        let got = ReleasePolicy.decide(request(threshold, link: link, age: age, reason: reason, tiers: held))
                        if expected.isEmpty {
                            releases += 1
                            #expect(got == .release(tiers: tiers.sorted(), lawfulBasis: threshold.policy.lawfulBasis, mismatchReason: fits ? nil : reason),
                                    "\(threshold) age \(String(describing: age)) reason \(String(describing: reason)) link \(link) held \(held.sorted())")
                        } else {
                            refusals += 1
                            #expect(got == .refuse(expected), "\(threshold) age \(String(describing: age)) reason \(String(describing: reason)) link \(link) held \(held.sorted())")
                        }
                    }
                }
            }
        }
        // Every combination was decided one way or the other, and a statutory threshold releases in some.
        #expect(releases + refusals == 3 * 3 * 4 * 8)
        #expect((releases > 0) == !allowed.isEmpty)
    }

    @Test("no further action and early help release nothing")
    func nonStatutory() {
        for t in [Threshold.none, .earlyHelp] {
            #expect(ReleasePolicy.decide(request(t)) == .refuse([.thresholdReleasesNothing(t)]))
        }
    }

    @Test("no release without a confirmed threshold, or when the confirmer is the proposer")
    func fourEyes() {
        #expect(ReleasePolicy.decide(request(nil)) == .refuse([.notConfirmed]))
        #expect(ReleasePolicy.decide(request(.childProtection, proposer: "pat", confirmer: "pat")) == .refuse([.confirmedByProposer]))
        #expect(ReleasePolicy.decide(request(.childProtection, proposer: nil)) == .refuse([.confirmedByProposer]))
    }

    @Test("a possible link needs a person's confirmation; a rejected one never releases")
    func links() {
        #expect(ReleasePolicy.decide(request(.childInNeed, link: .possible)) == .refuse([.linkNotConfirmed]))
        #expect(ReleasePolicy.decide(request(.childInNeed, link: .rejected)) == .refuse([.linkRejected]))
        #expect(ReleasePolicy.decide(request(.childInNeed, link: .confirmedByPerson)).allows)
    }

    @Test("a child threshold for an adult's record, s42 for a child's, or either for an unknown age needs a recorded reason")
    func ageBands() {
        #expect(ReleasePolicy.decide(request(.childProtection, age: .adult)) == .refuse([.ageBandMismatch(.childProtection, .adult)]))
        #expect(ReleasePolicy.decide(request(.adultSafeguarding, age: .child)) == .refuse([.ageBandMismatch(.adultSafeguarding, .child)]))
        #expect(ReleasePolicy.decide(request(.childInNeed, age: nil)) == .refuse([.ageBandMismatch(.childInNeed, nil)]))
        #expect(ReleasePolicy.decide(request(.childInNeed, age: .adult, reason: "   ")) == .refuse([.ageBandMismatch(.childInNeed, .adult)]))
        let reason = "care leaver aged 18, open s17 plan"
        #expect(ReleasePolicy.decide(request(.childInNeed, age: .adult, reason: reason))
            == .release(tiers: [.cin], lawfulBasis: Threshold.childInNeed.policy.lawfulBasis, mismatchReason: reason))
        // A reason on a fitting record is not logged as a mismatch.
        #expect(ReleasePolicy.decide(request(.childInNeed, reason: reason))
            == .release(tiers: [.cin], lawfulBasis: Threshold.childInNeed.policy.lawfulBasis, mismatchReason: nil))
    }

    @Test("only tiers the record holds are released; none held is a refusal; every reason is listed at once")
    func tiersAndReasons() {
        #expect(ReleasePolicy.decide(request(.childProtection, tiers: [.cp, .s42])) == .release(tiers: [.cp], lawfulBasis: Threshold.childProtection.policy.lawfulBasis, mismatchReason: nil))
        #expect(ReleasePolicy.decide(request(.adultSafeguarding, age: .adult, tiers: [.cin])) == .refuse([.noTierAvailable(.adultSafeguarding)]))
        let many = ReleasePolicy.decide(request(.adultSafeguarding, link: .possible, age: .child, proposer: "mo", confirmer: "mo", tiers: []))
        #expect(many == .refuse([.confirmedByProposer, .linkNotConfirmed, .ageBandMismatch(.adultSafeguarding, .child), .noTierAvailable(.adultSafeguarding)]))
        guard case .refuse(let reasons) = many else { return }
        #expect(reasons.allSatisfy { !$0.description.isEmpty })
        #expect(ReleaseRefusal.ageBandMismatch(.adultSafeguarding, .child).description.contains("for adults, but the record is a child's"))
    }
}
