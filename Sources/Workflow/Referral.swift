public import Disclosure
import Matching
public import Tokenisation

/// Where a referral is in the MASH workflow.
public enum ReferralState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Raised by an agency; not yet matched.
    case received
    /// Matched against the agencies' records; awaiting a proposed threshold.
    case matched
    /// A practitioner proposed a threshold; awaiting a manager.
    case proposed
    /// A manager (not the proposer) confirmed the threshold: releases may happen.
    case confirmed
    /// A manager rejected the proposed threshold; the practitioner proposes again.
    case rejected
    /// Information was released under the confirmed threshold.
    case released
    /// The outcome (the route decided) is recorded.
    case outcomeRecorded = "outcome_recorded"
    case closed
}

/// One agency record a referral matched, and how it stands. No identifier: a reference and evidence.
public struct ReferralMatch: Sendable, Hashable, Codable {
    public var recordID: Int64
    public var batchID: String
    public var agency: String
    public var reference: String
    public var ageBand: AgeBand?
    public var score: Double
    /// `match` or `possible` as scored.
    public var band: String
    public var evidence: [EvidenceLine]
    public var cluster: Int64?
    public var tiers: [PayloadTier]
    /// The link's standing: as scored, or confirmed or rejected by a person.
    public var standing: LinkStanding
    public var decidedBy: String?
}

/// One line of a match's evidence waterfall.
public struct EvidenceLine: Sendable, Hashable, Codable {
    public var field: String, level: String
    public var weight: Double
}

/// A threshold decision: who, when, and the reason given.
public struct ThresholdDecision: Sendable, Hashable, Codable {
    public var threshold: Threshold
    public var user: String
    public var at: String
    public var reason: String?
}

/// A release made for a referral, as the log recorded it.
public struct ReleaseRecord: Sendable, Hashable, Codable {
    public var release: String
    public var agency: String, reference: String, batchID: String
    public var recordID: Int64
    public var tiers: [PayloadTier]
    public var loggedIndex: UInt64
    public var at: String
    public var completed: Bool
}

/// One step of a referral's history.
public struct ReferralStep: Sendable, Hashable, Codable {
    /// The state the referral was in after the step.
    public var state: ReferralState
    public var at: String
    public var user: String?
    /// What the step was, when that is not just the state reached (an assignment, a link decision).
    public var note: String?

    public init(state: ReferralState, at: String, user: String?, note: String? = nil) {
        self.state = state
        self.at = at
        self.user = user
        self.note = note
    }
}

/// A referral: the workflow document the store keeps. It holds the matched records' references,
/// evidence and decisions, never an identifier and never a released payload.
public struct Referral: Sendable, Hashable, Codable {
    public var id: String
    /// The agency that raised it.
    public var agency: String
    public var state: ReferralState
    public var priority: Priority
    public var receivedAt: String, dueAt: String
    public var assignee: String?
    /// The subject's age band, as the query encoded it.
    public var ageBand: AgeBand?
    public var matches: [ReferralMatch]
    public var proposal: ThresholdDecision?
    public var confirmation: ThresholdDecision?
    public var rejection: ThresholdDecision?
    public var releases: [ReleaseRecord]
    public var outcome: String?
    public var history: [ReferralStep]
    /// The store's version this document was read at (not part of the document).
    public var version: Int64 = 0

    enum CodingKeys: String, CodingKey {
        case id, agency, state, priority, receivedAt, dueAt, assignee, ageBand, matches, proposal, confirmation, rejection, releases, outcome, history
    }

    /// True when the decision is overdue at `now` (a log-form time) and not yet taken.
    public func isOverdue(at now: String) -> Bool {
        [.received, .matched, .proposed, .rejected].contains(state) && now > dueAt
    }
}
