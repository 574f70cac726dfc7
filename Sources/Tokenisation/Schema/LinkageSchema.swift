public import Foundation
import LinkCrypto

/// What an input column holds, and so how it is normalised and encoded.
public enum FieldKind: String, Sendable, Hashable, Codable, CaseIterable {
    case givenName, middleNames, surname, formerSurname, sex, dateOfBirth
    case addressLine, houseNumber, postcode, nhsNumber, otherIdentifier
    /// The agency's own record identifier: used only to derive the opaque record reference.
    case recordID
}

/// The safeguarding payload tiers a threshold can release (DESIGN.md section 6).
public enum PayloadTier: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Child in Need, Children Act 1989 s17.
    case cin
    /// Child Protection, Children Act 1989 s47.
    case cp
    /// Adult safeguarding, Care Act 2014 s42.
    case s42

    public static func < (lhs: PayloadTier, rhs: PayloadTier) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One input column's role: an identifier field, a payload tier, or ignored.
public struct ColumnRole: Sendable, Hashable, Codable {
    /// The CSV header name.
    public var column: String
    /// The identifier kind, if the column is an identifier.
    public var field: FieldKind?
    /// The payload tier, if the column is safeguarding information to seal.
    public var tier: PayloadTier?
    /// For an `otherIdentifier` column, the identifier's scheme ("upn", "pnc", "nino", or an
    /// agreed local name), if known. Records holding identifiers of different schemes (a pupil
    /// number beside a police id) say nothing about each other on this field, rather than
    /// disagreeing. Absent: the identifier is compared with every other.
    public var scheme: String?

    /// A column holding an identifier (`scheme` only for ``FieldKind/otherIdentifier``).
    public init(column: String, field: FieldKind, scheme: String? = nil) {
        self.column = column
        self.field = field
        self.scheme = scheme
    }

    /// A column holding payload for `tier`.
    public init(column: String, tier: PayloadTier) {
        self.column = column
        self.tier = tier
    }

    /// A column that is read but never leaves the agency.
    public init(ignoring column: String) { self.column = column }
}

/// Hardening applied to Bloom filters (and, with ``saltNameTokens``, to the name tokens); measured
/// against the published attacks in docs/privacy.md.
///
/// Every setting added after the first schema version is optional: a schema without it decodes
/// with the setting off, encodes without it, and keeps its digest.
public struct Hardening: Sendable, Hashable, Codable {
    /// Salt every filter position with the record's birth year, so equal names in different
    /// birth years give unrelated filters (Niedermeyer et al. 2014; weakens frequency attacks).
    public var saltWithBirthYear: Bool
    /// XOR-fold every filter (Schnell, Borgs and Encarnação 2016): it is built at twice `bloom.bits`
    /// and its two halves are XORed, so a stored bit no longer says which q-gram set it. Absent: off.
    public var xorFold: Bool?
    /// Randomised response on every filter bit (BLIP, Schnell and Borgs 2016): each bit is flipped
    /// with probability 1 / (1 + e^ε). The flips are keyed by the linkage key and the record, so
    /// re-tokenising a record gives the same filter (no averaging across uploads). Absent: off.
    public var flipEpsilon: Double?
    /// Send only the record-level composite filter (`record`), not the field-level `given`,
    /// `surname` and `address` filters. Absent: both are sent.
    public var recordFilterOnly: Bool?
    /// Salt the name tokens (`given`, `given.canonical`, `given.phonetic`, `given.edit`, `middle`, `middle.initial`, `surname`,
    /// `surname.part`, `surname.phonetic` and the name-based blocking keys) with the birth year, so
    /// the hub no longer sees one histogram per name field. Two records agree on a name token only
    /// if their birth years agree too. Absent: off.
    public var saltNameTokens: Bool?

    /// No hardening unless asked for.
    public init(
        saltWithBirthYear: Bool = false, xorFold: Bool? = nil, flipEpsilon: Double? = nil, recordFilterOnly: Bool? = nil,
        saltNameTokens: Bool? = nil
    ) {
        self.saltWithBirthYear = saltWithBirthYear
        self.xorFold = xorFold
        self.flipEpsilon = flipEpsilon
        self.recordFilterOnly = recordFilterOnly
        self.saltNameTokens = saltNameTokens
    }

    /// What `schema suggest` writes: BLIP on every filter bit at epsilon 4. Measured
    /// (docs/privacy.md): it takes every filter attack to 0% of full names on both data sets at no
    /// cost in recall; the exact name tokens' frequencies remain, a residual the threat model records.
    public static let standard = Hardening(flipEpsilon: 4)

    /// The strongest hardening measured: `standard` plus name tokens salted with the birth year,
    /// which also removes the exact-token residual, at a cost in recall (a pair whose birth years
    /// differ no longer shares a name token). Not the default: see docs/threat-model.md.
    public static let recommended = Hardening(flipEpsilon: 4, saltNameTokens: true)

    /// The probability that BLIP flips a bit, or nil when it is off.
    public var flipProbability: Double? {
        flipEpsilon.map { 1 / (1 + exp($0)) }
    }

    /// Throws if a setting cannot be used with `bloom`.
    public func validate(bloom: BloomParameters) throws(TokenisationError) {
        if let flipEpsilon {
            guard flipEpsilon.isFinite, flipEpsilon > 0 else { throw .invalidSchema("hardening flipEpsilon must be a positive number") }
        }
        if xorFold == true, bloom.bits > 32_768 {
            throw .invalidSchema("an XOR-folded filter is built at twice bloom bits, so bits can be at most 32768")
        }
    }

    /// The digest text of the settings after `salt-birth-year`: empty for every setting off, so
    /// schemas written before these settings existed keep their digests.
    var digestSuffix: String {
        var text = ""
        if xorFold == true { text += "|xor-fold=true" }
        if let flipEpsilon { text += "|flip-epsilon=\(flipEpsilon)" }
        if recordFilterOnly == true { text += "|record-filter-only=true" }
        if saltNameTokens == true { text += "|salt-name-tokens=true" }
        return text
    }
}

/// What the tokeniser does with a row whose date of birth or NHS number fails validation (an
/// impossible date, a failed check digit).
public enum InvalidValuePolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// The whole row goes to the rejects file and is not in the batch.
    case rejectRow
    /// The row is tokenised without the invalid value (that field is then missing, which counts
    /// neither for nor against a match) and is also listed in the rejects file with the reason, so
    /// the data officer can correct the source. A person with one mistyped value is still found.
    case omitField
}

/// The linkage schema: which column is which, and how identifiers are encoded.
///
/// Stored as JSON (see `docs/formats.md`). Its canonical digest travels in every batch; the hub
/// links two batches only where the encodings of the fields they compare agree.
public struct LinkageSchema: Sendable, Hashable, Codable {
    /// The schema format version.
    public static let currentVersion = 1

    /// Format version of this document.
    public var version: Int
    /// Role of each input column, in header order.
    public var columns: [ColumnRole]
    /// Bloom-filter parameters (one set for every fuzzy field).
    public var bloom: BloomParameters
    /// Filter hardening.
    public var hardening: Hardening
    /// What to do with an invalid date of birth or NHS number; absent means ``InvalidValuePolicy/rejectRow``.
    /// It changes which rows are in a batch, not how values are encoded, so it is not in the digest.
    public var invalidValues: InvalidValuePolicy?

    /// Makes a schema; ``validate(header:)`` checks it against an input.
    public init(columns: [ColumnRole], bloom: BloomParameters = .init(), hardening: Hardening = .init()) {
        version = Self.currentVersion
        self.columns = columns
        self.bloom = bloom
        self.hardening = hardening
    }

    /// The columns holding `kind`.
    public func columns(for kind: FieldKind) -> [String] {
        columns.filter { $0.field == kind }.map(\.column)
    }

    /// The columns holding payload for `tier`.
    public func columns(for tier: PayloadTier) -> [String] {
        columns.filter { $0.tier == tier }.map(\.column)
    }

    /// The identifier kinds present.
    public var fieldKinds: Set<FieldKind> { Set(columns.compactMap(\.field)) }

    /// Checks the schema on its own and, if given, against the input's header.
    public func validate(header: [String]? = nil) throws(TokenisationError) {
        guard version == Self.currentVersion else {
            throw .invalidSchema("schema version \(version) is not known to this build (it reads \(Self.currentVersion))")
        }
        try bloom.validate()
        try hardening.validate(bloom: bloom)
        for role in columns where role.field != nil && role.tier != nil {
            throw .invalidSchema("column '\(role.column)' is both an identifier and a payload tier; choose one")
        }
        let names = columns.map(\.column)
        guard Set(names).count == names.count else { throw .invalidSchema("a column is listed twice") }
        let comparable: Set<FieldKind> = [.givenName, .surname, .dateOfBirth, .postcode, .nhsNumber, .addressLine]
        guard !fieldKinds.intersection(comparable).isEmpty else {
            throw .invalidSchema("no identifier column (given name, surname, date of birth, postcode, address or NHS number); nothing could be linked")
        }
        if let header {
            let present = Set(header)
            let missing = names.filter { !present.contains($0) }
            guard missing.isEmpty else {
                throw .invalidSchema("columns \(missing.joined(separator: ", ")) are in the schema but not in the file's header; fix the schema or the extract")
            }
        }
    }

    // MARK: Digests

    /// Digest of how one field kind is encoded. Two batches can compare a field only if these agree.
    public func encodingDigest(for kind: FieldKind) -> String {
        let text = "mashlink-field-encoding-v1|\(kind.rawValue)|bloom=\(bloom.bits),\(bloom.hashes),\(bloom.q)|salt-birth-year=\(hardening.saltWithBirthYear)\(hardening.digestSuffix)|normalisation=\(RecordEncoder.normalisationVersion)"
        return Hex.encode(SHA256.hash(Array(text.utf8)))
    }

    /// Digests of every identifier kind the schema compares (record ids are never compared).
    public var fieldDigests: [String: String] {
        var out: [String: String] = [:]
        for kind in fieldKinds where kind != .recordID { out[kind.rawValue] = encodingDigest(for: kind) }
        return out
    }

    /// The schema's canonical digest: SHA-256 over the sorted field digests. Column names and payload
    /// columns do not enter it, so agencies with different headers but the same encodings agree.
    public var digest: String {
        let lines = fieldDigests.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\n")
        return Hex.encode(SHA256.hash(Array(lines.utf8)))
    }

    // MARK: JSON

    /// Reads a schema from JSON.
    public static func decode(_ data: Data) throws(TokenisationError) -> LinkageSchema {
        do {
            return try JSONDecoder().decode(LinkageSchema.self, from: data)
        } catch {
            throw .invalidSchema("not a valid schema document (\(Self.describe(error))); see docs/formats.md")
        }
    }

    /// The schema as pretty, key-sorted JSON.
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain value types to JSON cannot fail.
        return try! encoder.encode(self)
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "missing '\(key.stringValue)'"
        case DecodingError.dataCorrupted(let context): context.debugDescription
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        default: "unreadable JSON"
        }
    }
}
