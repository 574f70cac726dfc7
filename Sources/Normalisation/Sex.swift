/// A person's recorded sex, normalised to the ISO/IEC 5218 categories.
///
/// Accepted spellings (case, spaces and punctuation ignored):
/// - male: "m", "male", "man", "boy", "1"
/// - female: "f", "female", "woman", "girl", "2"
/// - not known: "0", "u", "unknown", "not known", "not stated", empty text, and anything unrecognised
/// - not applicable: "9", "n/a", "not applicable"
/// Unrecognised input becomes `.unknown` rather than an error: an unusable sex must not block a record, it only
/// means sex is not used to match it.
public enum Sex: String, Sendable, Hashable, CaseIterable {
    /// ISO 5218 code 1.
    case male
    /// ISO 5218 code 2.
    case female
    /// ISO 5218 code 0, and anything not recognised.
    case unknown
    /// ISO 5218 code 9.
    case notApplicable

    /// Normalises a recorded value; see the type's table.
    public init(normalising text: String) {
        self = Sex.spellings[TextFolding.compact(text)] ?? .unknown
    }

    /// The ISO/IEC 5218 code: 0 not known, 1 male, 2 female, 9 not applicable.
    public var iso5218Code: Int {
        switch self {
        case .unknown: return 0
        case .male: return 1
        case .female: return 2
        case .notApplicable: return 9
        }
    }

    /// True for `.male` and `.female`, the only values worth comparing between records.
    public var isKnown: Bool { self == .male || self == .female }

    static let spellings: [String: Sex] = [
        "m": .male, "male": .male, "man": .male, "boy": .male, "1": .male,
        "f": .female, "female": .female, "woman": .female, "girl": .female, "2": .female,
        "0": .unknown, "u": .unknown, "unknown": .unknown, "notknown": .unknown, "notstated": .unknown,
        "9": .notApplicable, "na": .notApplicable, "notapplicable": .notApplicable,
    ]
}
