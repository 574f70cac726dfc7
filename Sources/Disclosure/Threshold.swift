public import Tokenisation

/// The threshold a MASH decides a referral at. Only the three statutory ones release anything; the
/// others record a decision (no further action, or early help) without disclosure.
public enum Threshold: String, Sendable, Hashable, Codable, CaseIterable {
    /// No further action: nothing is released.
    case none
    /// Early help (a non-statutory offer of support): nothing is released.
    case earlyHelp = "early_help"
    /// Child in Need, Children Act 1989 s17.
    case childInNeed = "s17"
    /// Child Protection, Children Act 1989 s47.
    case childProtection = "s47"
    /// Adult safeguarding enquiry, Care Act 2014 s42.
    case adultSafeguarding = "s42"

    /// The policy row for this threshold.
    public var policy: ThresholdPolicy { ThresholdPolicy.table[self]! }
}

/// Who a threshold is for.
public enum Subject: String, Sendable, Hashable, Codable {
    case child, adult, either
}

/// One row of the release table (DESIGN.md section 6): the lawful basis recorded with a release at
/// this threshold, the payload tiers it may release, and who it applies to.
public struct ThresholdPolicy: Sendable, Hashable {
    /// The threshold.
    public let threshold: Threshold
    /// What a person reads: "Child Protection (Children Act 1989 s47)".
    public let title: String
    /// The lawful basis written into every log entry of a release at this threshold.
    public let lawfulBasis: String
    /// The payload tiers a release at this threshold may open.
    public let tiers: Set<PayloadTier>
    /// Children, adults, or either.
    public let subject: Subject

    /// The processing conditions shared by every statutory threshold.
    static let sharedBasis = "UK GDPR Art 6(1)(e), 9(2)(g); DPA 2018 Sch 1 para 18"

    /// The table, as data.
    public static let table: [Threshold: ThresholdPolicy] = [
        .none: ThresholdPolicy(threshold: .none, title: "No further action", lawfulBasis: "", tiers: [], subject: .either),
        .earlyHelp: ThresholdPolicy(threshold: .earlyHelp, title: "Early help", lawfulBasis: "", tiers: [], subject: .either),
        .childInNeed: ThresholdPolicy(
            threshold: .childInNeed, title: "Child in Need (Children Act 1989 s17)",
            lawfulBasis: "Children Act 1989 s17; " + sharedBasis, tiers: [.cin], subject: .child),
        .childProtection: ThresholdPolicy(
            threshold: .childProtection, title: "Child Protection (Children Act 1989 s47)",
            lawfulBasis: "Children Act 1989 s47; " + sharedBasis, tiers: [.cin, .cp], subject: .child),
        .adultSafeguarding: ThresholdPolicy(
            threshold: .adultSafeguarding, title: "Adult safeguarding (Care Act 2014 s42)",
            lawfulBasis: "Care Act 2014 s42 (and s45); " + sharedBasis, tiers: [.s42], subject: .adult),
    ]

    /// True when the threshold is for people of `band`. An unknown age (no date of birth in the
    /// record) fits no child- or adult-only threshold: it needs a recorded reason like a mismatch.
    public func fits(_ band: AgeBand?) -> Bool {
        switch (subject, band) {
        case (.either, _): true
        case (.child, .child?), (.adult, .adult?): true
        default: false
        }
    }
}
