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
