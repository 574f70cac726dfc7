import Foundation
public import Tokenisation

/// Everything the release decision looks at for one linked record. No identifier: references,
/// user names, bands and tiers.
public struct ReleaseRequest: Sendable, Hashable {
    /// The threshold decided for the referral, once confirmed (nil while only proposed).
    public var confirmedThreshold: Threshold?
    /// Who proposed it and who confirmed it (four-eyes: they must differ).
    public var proposedBy: String?, confirmedBy: String?
    /// How the record was linked to the referral's subject.
    public var link: LinkStanding
    /// The record's age band at its batch date (nil when its date of birth was not known).
    public var ageBand: AgeBand?
    /// The recorded reason for releasing at a threshold that does not fit the age band, if any.
    public var mismatchReason: String?
    /// The tiers the record's payload holds.
    public var availableTiers: Set<PayloadTier>

    /// Makes a request.
    public init(
        confirmedThreshold: Threshold?, proposedBy: String?, confirmedBy: String?, link: LinkStanding, ageBand: AgeBand?,
        mismatchReason: String? = nil, availableTiers: Set<PayloadTier>
    ) {
        self.confirmedThreshold = confirmedThreshold
        self.proposedBy = proposedBy
        self.confirmedBy = confirmedBy
        self.link = link
        self.ageBand = ageBand
        self.mismatchReason = mismatchReason
        self.availableTiers = availableTiers
    }
}

/// Where a link between the referral's subject and an agency record stands.
public enum LinkStanding: String, Sendable, Hashable, Codable {
    /// Scored in the match band: releasable without review.
    case match
    /// Scored in the possible band and not yet reviewed: not releasable.
    case possible
    /// Possible, and confirmed by a person: releasable.
    case confirmedByPerson = "confirmed"
    /// Rejected by a person: never releasable.
    case rejected
}

/// The outcome of ``ReleasePolicy/decide(_:)``.
public enum ReleaseDecision: Sendable, Hashable {
    /// Release these tiers, recording this lawful basis; `mismatchReason` is logged with it when the
    /// threshold does not fit the record's age band.
    case release(tiers: [PayloadTier], lawfulBasis: String, mismatchReason: String?)
    /// Nothing may be released, for these reasons (each says what would allow it).
    case refuse([ReleaseRefusal])

    /// True for a release.
    public var allows: Bool { if case .release = self { true } else { false } }
}

/// Why a release was refused, and what would allow it.
public enum ReleaseRefusal: Sendable, Hashable, CustomStringConvertible {
    case notConfirmed
    case confirmedByProposer
    case thresholdReleasesNothing(Threshold)
    case linkNotConfirmed
    case linkRejected
    case ageBandMismatch(Threshold, AgeBand?)
    case noTierAvailable(Threshold)

    public var description: String {
        switch self {
        case .notConfirmed:
            "the threshold is not confirmed: a manager must confirm the proposed threshold first"
        case .confirmedByProposer:
            "the threshold was confirmed by the person who proposed it: another manager must confirm it (four-eyes)"
        case .thresholdReleasesNothing(let t):
            "\(t.policy.title) releases no information; a statutory threshold (s17, s47 or s42) is needed"
        case .linkNotConfirmed:
            "the link is in the possible band: a person must review its evidence and confirm it first"
        case .linkRejected:
            "the link was rejected by a person: this record is not the referral's subject"
        case .ageBandMismatch(let t, let band):
            "\(t.policy.title) is for \(t.policy.subject == .adult ? "adults" : "children"), but the record is \(band.map { $0 == .adult ? "an adult's" : "a child's" } ?? "of unknown age"): record a reason to release anyway"
        case .noTierAvailable(let t):
            "the record holds none of the tiers \(t.policy.title) may release"
        }
    }
}

/// The one function that decides whether a linked record's payload may be released, and which
/// tiers. It checks everything and lists every reason it refuses, so a practitioner sees at once
/// what is missing.
public enum ReleasePolicy {
    /// Decides `request`.
    public static func decide(_ request: ReleaseRequest) -> ReleaseDecision {
        var refusals: [ReleaseRefusal] = []
        guard let threshold = request.confirmedThreshold, request.confirmedBy != nil else { return .refuse([.notConfirmed]) }
        if request.proposedBy == nil || request.proposedBy == request.confirmedBy { refusals.append(.confirmedByProposer) }
        let policy = threshold.policy
        if policy.tiers.isEmpty { refusals.append(.thresholdReleasesNothing(threshold)) }
        switch request.link {
        case .match, .confirmedByPerson: break
        case .possible: refusals.append(.linkNotConfirmed)
        case .rejected: refusals.append(.linkRejected)
        }
        let reason = request.mismatchReason.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        let fits = policy.fits(request.ageBand)
        if !fits, reason == nil { refusals.append(.ageBandMismatch(threshold, request.ageBand)) }
        let tiers = policy.tiers.intersection(request.availableTiers).sorted()
        if !policy.tiers.isEmpty, tiers.isEmpty { refusals.append(.noTierAvailable(threshold)) }
        guard refusals.isEmpty else { return .refuse(refusals) }
        return .release(tiers: tiers, lawfulBasis: policy.lawfulBasis, mismatchReason: fits ? nil : reason)
    }
}
