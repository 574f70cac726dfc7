/// A MASH staff role. Each sees and does only what its job needs; no role sees an identifier.
public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
    /// Works referrals assigned to them: reviews matches, proposes a threshold, reads what is
    /// released, records the outcome.
    case practitioner
    /// Assigns referrals, may propose a threshold itself, and confirms or rejects proposed
    /// thresholds (never one it proposed: four-eyes).
    case manager
    /// Runs the hub: agencies, batches, linking, users. Sees no referral content.
    case `operator`
    /// The data-protection officer: the disclosure log, its checkpoints and exports.
    case dpo
}

/// Something a person may do through the service.
public enum Capability: String, Sendable, Hashable, CaseIterable {
    case viewReferrals, assignReferral, proposeThreshold, decideThreshold, decideLink, release, readReleased, recordOutcome, closeReferral
    case viewOperations, viewLog
}

/// Who may do what, as data: the table `docs/api.md` documents and the tests check route by route.
public enum Access {
    /// Capabilities by role.
    public static let table: [Role: Set<Capability>] = [
        .practitioner: [.viewReferrals, .proposeThreshold, .decideLink, .release, .readReleased, .recordOutcome, .closeReferral],
        .manager: [.viewReferrals, .assignReferral, .proposeThreshold, .decideThreshold, .decideLink],
        .operator: [.viewOperations],
        .dpo: [.viewLog],
    ]

    /// True when `role` has `capability`.
    public static func allows(_ role: Role, _ capability: Capability) -> Bool { table[role]?.contains(capability) ?? false }
}
