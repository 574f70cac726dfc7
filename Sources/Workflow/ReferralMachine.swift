import Foundation
public import Disclosure

/// A step a person takes on a referral.
public enum ReferralAction: Sendable, Hashable {
    /// A manager assigns the referral to a practitioner.
    case assign(to: String)
    /// The assigned practitioner proposes a threshold.
    case propose(Threshold, reason: String?)
    /// A manager (not the proposer) confirms the proposed threshold; `reason` is needed when the
    /// threshold does not fit the subject's age band.
    case confirm(reason: String?)
    /// A manager rejects the proposed threshold, saying why.
    case reject(reason: String)
    /// A person confirms or rejects a matched record as the subject (needed for the possible band).
    case decideLink(recordID: Int64, confirm: Bool)
    /// The practitioner records the outcome (the route decided).
    case recordOutcome(String)
    case close

    /// What the action needs the person's role to allow.
    public var capability: Capability {
        switch self {
        case .assign: .assignReferral
        case .propose: .proposeThreshold
        case .confirm, .reject: .decideThreshold
        case .decideLink: .decideLink
        case .recordOutcome: .recordOutcome
        case .close: .closeReferral
        }
    }

    var name: String {
        switch self {
        case .assign: "assigned"
        case .propose: "given a proposed threshold"
        case .confirm: "confirmed"
        case .reject: "rejected"
        case .decideLink: "given a link decision"
        case .recordOutcome: "given an outcome"
        case .close: "closed"
        }
    }
}

/// The referral workflow as an explicit state machine: which action is allowed in which state,
/// what it changes, and the disclosure-log entries it writes. Pure: no store, no clock.
///
/// received → matched → proposed → confirmed | rejected (→ proposed again) → released →
/// outcome recorded → closed. A threshold that releases nothing goes from confirmed straight to
/// its outcome.
public enum ReferralMachine {
    /// The states each action is allowed in.
    public static func allowedStates(for action: ReferralAction) -> [ReferralState] {
        switch action {
        case .assign: [.received, .matched, .proposed, .confirmed, .rejected, .released, .outcomeRecorded]
        case .propose: [.matched, .rejected]
        case .confirm, .reject: [.proposed]
        case .decideLink: [.matched, .proposed, .confirmed, .rejected, .released]
        case .recordOutcome: [.confirmed, .released]
        case .close: [.outcomeRecorded]
        }
    }

    /// Applies `action` by `user` at `at` (log-form time): the referral as it becomes and the log
    /// entries that record it. Throws, changing nothing, when the action is not allowed.
    public static func apply(_ action: ReferralAction, to referral: Referral, by user: String, at: String) throws(WorkflowError) -> (Referral, [LogEntry]) {
        let allowed = allowedStates(for: action)
        guard allowed.contains(referral.state) else { throw .invalidTransition(from: referral.state, action: action.name, allowed: allowed) }
        var r = referral
        var entries: [LogEntry] = []
        var note: String?
        func entry(_ kind: LogEntry.Kind) -> LogEntry { LogEntry(kind: kind, referral: r.id, at: at, user: user) }
        func clean(_ s: String?) -> String? {
            guard let t = s?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty else { return nil }
            return t
        }
        switch action {
        case .assign(let practitioner):
            r.assignee = practitioner
            note = "assigned to \(practitioner)"
        case .propose(let threshold, let reason):
            r.proposal = ThresholdDecision(threshold: threshold, user: user, at: at, reason: clean(reason))
            r.confirmation = nil
            r.rejection = nil
            r.state = .proposed
            var e = entry(.thresholdProposed)
            e.threshold = threshold
            e.ageBand = r.ageBand
            e.reason = clean(reason)
            entries.append(e)
        case .confirm(let reason):
            guard let proposal = r.proposal else { throw .badRequest("no threshold was proposed") }
            guard proposal.user != user else { throw .fourEyes }
            let policy = proposal.threshold.policy
            if !policy.fits(r.ageBand), clean(reason) == nil { throw .ageBandMismatch(proposal.threshold, r.ageBand?.rawValue ?? "unknown") }
            let mismatch = policy.fits(r.ageBand) ? nil : clean(reason)
            r.confirmation = ThresholdDecision(threshold: proposal.threshold, user: user, at: at, reason: mismatch)
            r.state = .confirmed
            var e = entry(.thresholdConfirmed)
            e.threshold = proposal.threshold
            e.lawfulBasis = policy.lawfulBasis.isEmpty ? nil : policy.lawfulBasis
            e.ageBand = r.ageBand
            e.proposedBy = proposal.user
            e.reason = mismatch
            entries.append(e)
        case .reject(let reason):
            guard let proposal = r.proposal else { throw .badRequest("no threshold was proposed") }
            guard proposal.user != user else { throw .fourEyes }
            guard let why = clean(reason) else { throw .badRequest("a rejection needs a reason") }
            r.rejection = ThresholdDecision(threshold: proposal.threshold, user: user, at: at, reason: why)
            r.state = .rejected
            var e = entry(.thresholdRejected)
            e.threshold = proposal.threshold
            e.proposedBy = proposal.user
            e.reason = why
            entries.append(e)
        case .decideLink(let recordID, let confirm):
            guard let i = r.matches.firstIndex(where: { $0.recordID == recordID }) else { throw .notFound("that matched record") }
            guard r.matches[i].standing != (confirm ? .confirmedByPerson : .rejected) else { throw .badRequest("the link already stands so") }
            if confirm, r.matches[i].standing != .possible { throw .badRequest("only a link in the possible band or one rejected earlier needs confirming") }
            r.matches[i].standing = confirm ? .confirmedByPerson : .rejected
            note = "\(r.matches[i].agency) record link \(confirm ? "confirmed" : "rejected")"
            r.matches[i].decidedBy = user
            var e = entry(confirm ? .linkConfirmed : .linkRejected)
            e.agency = r.matches[i].agency
            e.record = r.matches[i].reference
            e.batch = r.matches[i].batchID
            entries.append(e)
        case .recordOutcome(let outcome):
            guard let text = clean(outcome) else { throw .badRequest("the outcome is empty") }
            r.outcome = text
            r.state = .outcomeRecorded
            var e = entry(.outcomeRecorded)
            e.threshold = r.confirmation?.threshold
            e.reason = text
            entries.append(e)
        case .close:
            r.state = .closed
            entries.append(entry(.referralClosed))
        }
        r.history.append(ReferralStep(state: r.state, at: at, user: user, note: note))
        return (r, entries)
    }
}
