public import Tokenisation

/// A field the hub compares, with its agreement levels from strongest to weakest. The last level is
/// always disagreement; a field missing on either side has no level (it adds no evidence either way).
///
/// Postcode, house number and address line are one field, `location`: they say nearly the same
/// thing, and counting them as independent evidence is how linkers merge co-resident family members.
public enum ComparedField: String, CaseIterable, Sendable, Hashable, Codable {
    case givenName, surname, dateOfBirth, sex, location, nhsNumber, otherIdentifier
    /// Middle names (and given names after the first): evidence that keeps apart siblings with the
    /// same first name and birthday (rare) and, more often, confirms a nickname or short form.
    case middleNames

    static let locationIndex = allCases.firstIndex(of: .location)!

    /// Level names, strongest first; used in evidence ("surname phonetic").
    public var levels: [String] {
        switch self {
        case .givenName: ["exact", "given name and surname transposed", "nickname, spelling variant or other given name", "phonetic", "similar (Dice ≥ 0.8)", "one letter apart", "short form (one name's letter pairs within the other's)", "somewhat similar (Dice ≥ 0.6)", "different"]
        case .surname: ["exact", "one part agrees", "phonetic", "similar (Dice ≥ 0.8)", "somewhat similar (Dice ≥ 0.6)", "different"]
        case .dateOfBirth: ["exact", "day and month transposed", "same year and month", "same day and month, another year", "different"]
        case .sex: ["same", "different"]
        case .location: ["same house and postcode", "same postcode, similar address", "same postcode", "similar address or same postcode sector", "same postcode district", "different"]
        case .nhsNumber: ["same", "different"]
        case .otherIdentifier: ["same", "different"]
        case .middleNames: ["same", "same initial", "different"]
        }
    }
}

/// The agreement level of every compared field for one pair: `nil` where a side lacks the field.
///
/// Held in one 64-bit word, a byte a field (the level plus one, 0 for missing; the first field in
/// the most significant byte, so integer order is the fields' order): linking keeps one vector per
/// candidate pair, tens of millions at a million records, so a vector must cost no allocation.
public struct ComparisonVector: Sendable, Hashable {
    /// The packed levels.
    private(set) var packed: UInt64 = 0

    static let fieldCount = ComparedField.allCases.count

    /// Makes a vector from levels in ``ComparedField/allCases`` order (each below 255).
    public init(levels: [Int?]) {
        precondition(levels.count == Self.fieldCount && Self.fieldCount <= 8, "one level (or nil) per compared field")
        for (i, l) in levels.enumerated() { setLevel(l, at: i) }
    }

    /// Level index per field, in ``ComparedField/allCases`` order.
    public var levels: [Int?] {
        get { (0..<Self.fieldCount).map(level(at:)) }
        set { self = ComparisonVector(levels: newValue) }
    }

    /// The level of the field at `index` in ``ComparedField/allCases``.
    @inline(__always)
    public func level(at index: Int) -> Int? {
        let b = Int(truncatingIfNeeded: packed >> UInt64(56 - 8 * index)) & 0xff
        return b == 0 ? nil : b - 1
    }

    /// Sets the level of the field at `index` in ``ComparedField/allCases``.
    public mutating func setLevel(_ level: Int?, at index: Int) {
        precondition(level.map { (0..<255).contains($0) } ?? true, "a level is below 255")
        let shift = UInt64(56 - 8 * index)
        packed = packed & ~(0xff << shift) | UInt64(level.map { $0 + 1 } ?? 0) << shift
    }

    /// The level of `field`.
    public subscript(field: ComparedField) -> Int? { level(at: ComparedField.allCases.firstIndex(of: field)!) }

    /// True when the two records share a household address (same house number and postcode):
    /// their other fields are then scored against what co-resident different people share
    /// (``MatchModel/householdU``), not against the population. A similar address line on the
    /// same postcode is not enough: "12 Grange Close" and "14 Grange Close" are neighbours.
    public var isCoLocated: Bool { level(at: ComparedField.locationIndex) == 0 }

    /// Calls `body` with the index and level of every field present.
    @inline(__always)
    func forEachLevel(_ body: (Int, Int) -> Void) {
        for i in 0..<Self.fieldCount { if let l = level(at: i) { body(i, l) } }
    }
}

/// One record laid out for comparison: its ``TokenTable`` (every token as two words, a range per
/// token name) and its three Bloom filters. Built once per record from storage the record already
/// holds, so that comparing a pair is integer equality and popcounts, with no string-keyed lookup
/// and no copy of the tokens.
public struct ComparisonProfile: Sendable {
    /// The token names compared, in slot order.
    static let names: [String] = [
        TokenName.given, TokenName.givenCanonical, TokenName.givenPhonetic, TokenName.givenEdit, TokenName.middle, TokenName.middleInitial,
        TokenName.surname, TokenName.surnamePart, TokenName.surnamePhonetic, TokenName.namesUnordered,
        TokenName.dob, TokenName.dobSwapped, TokenName.dobYearMonth, TokenName.dobMonthDay, TokenName.sex,
        TokenName.houseAndPostcode, TokenName.postcode, TokenName.postcodeSector, TokenName.postcodeDistrict,
        TokenName.nhs, TokenName.other, TokenName.otherScheme,
    ]
    enum Slot: Int {
        case given, givenCanonical, givenPhonetic, givenEdit, middle, middleInitial, surname, surnamePart, surnamePhonetic, namesUnordered
        case dob, dobSwapped, dobYearMonth, dobMonthDay, sex, houseAndPostcode, postcode, postcodeSector, postcodeDistrict, nhs, other, otherScheme
    }
    /// The table place of each slot's name.
    private static let places: [Int] = names.map { TokenTable.place(of: $0)! }

    private static let filterPlaces = (
        given: FilterSet.place(of: "given")!, surname: FilterSet.place(of: "surname")!, address: FilterSet.place(of: "address")!)

    private let table: TokenTable
    private let filters: FilterSet

    /// The profile of `record`.
    public init(_ record: EncodedRecord) {
        table = record.tokenTable
        filters = record.filterSet
    }

    var given: BloomFilter? { filters.filter(atPlace: Self.filterPlaces.given) }
    var surname: BloomFilter? { filters.filter(atPlace: Self.filterPlaces.surname) }
    var address: BloomFilter? { filters.filter(atPlace: Self.filterPlaces.address) }

    @inline(__always)
    func has(_ slot: Slot) -> Bool { table.hasTokens(atPlace: Self.places[slot.rawValue]) }

    @inline(__always)
    func shares(_ slot: Slot, with other: ComparisonProfile, _ otherSlot: Slot) -> Bool {
        table.shares(Self.places[slot.rawValue], with: other.table, Self.places[otherSlot.rawValue])
    }
}

/// Compares two encoded records field by field, using only keyed tokens and Bloom filters.
public enum Comparator {
    /// The comparison vector of `a` and `b`.
    public static func compare(_ a: EncodedRecord, _ b: EncodedRecord) -> ComparisonVector {
        compare(ComparisonProfile(a), ComparisonProfile(b))
    }

    /// The comparison vector of two records' profiles (the fast path linking uses).
    public static func compare(_ a: ComparisonProfile, _ b: ComparisonProfile) -> ComparisonVector {
        let given = level(of: .givenName, a, b)
        // Transposed names are one piece of evidence, carried by the given-name level: the
        // surname is then not compared again.
        let surname = given == transposedLevel ? nil : level(of: .surname, a, b)
        return ComparisonVector(levels: [
            given, surname, level(of: .dateOfBirth, a, b), level(of: .sex, a, b),
            level(of: .location, a, b), level(of: .nhsNumber, a, b), level(of: .otherIdentifier, a, b),
            level(of: .middleNames, a, b),
        ])
    }

    static func diceLevel(_ x: BloomFilter?, _ y: BloomFilter?) -> Double? {
        guard let x, let y, x.bitCount == y.bitCount, !x.isEmpty, !y.isEmpty else { return nil }
        return x.dice(y)
    }

    static func level(of field: ComparedField, _ a: ComparisonProfile, _ b: ComparisonProfile) -> Int? {
        switch field {
        case .givenName:
            guard a.has(.given), b.has(.given) else { return nil }
            if a.shares(.given, with: b, .given) { return 0 }
            // The same unordered pair of names with different given names: each side's given name is the other's surname.
            if a.shares(.namesUnordered, with: b, .namesUnordered) { return transposedLevel }
            if a.shares(.givenCanonical, with: b, .givenCanonical) || a.shares(.given, with: b, .middle) || a.shares(.middle, with: b, .given) { return 2 }
            if a.shares(.givenPhonetic, with: b, .givenPhonetic) { return 3 }
            return givenSimilarity(a, b)
        case .surname:
            guard a.has(.surname), b.has(.surname) else { return nil }
            if a.shares(.surname, with: b, .surname) { return 0 }
            if a.shares(.surnamePart, with: b, .surname) || a.shares(.surname, with: b, .surnamePart) || a.shares(.surnamePart, with: b, .surnamePart) { return 1 }
            if a.shares(.surnamePhonetic, with: b, .surnamePhonetic) { return 2 }
            return dice(a.surname, b.surname, from: 3)
        case .dateOfBirth:
            guard a.has(.dob), b.has(.dob) else { return nil }
            if a.shares(.dob, with: b, .dob) { return 0 }
            if a.shares(.dobSwapped, with: b, .dob) || a.shares(.dob, with: b, .dobSwapped) { return 1 }
            if a.shares(.dobYearMonth, with: b, .dobYearMonth) { return 2 }
            if a.shares(.dobMonthDay, with: b, .dobMonthDay) { return 3 }
            return 4
        case .sex:
            guard a.has(.sex), b.has(.sex) else { return nil }
            return a.shares(.sex, with: b, .sex) ? 0 : 1
        case .location:
            if a.shares(.houseAndPostcode, with: b, .houseAndPostcode) { return 0 }
            let bothPostcode = a.has(.postcode) && b.has(.postcode)
            let address = diceLevel(a.address, b.address)
            guard bothPostcode || address != nil else { return nil }
            let similarAddress = (address ?? 0) >= 0.8
            if bothPostcode && a.shares(.postcode, with: b, .postcode) { return similarAddress ? 1 : 2 }
            if similarAddress || a.shares(.postcodeSector, with: b, .postcodeSector) { return 3 }
            if a.shares(.postcodeDistrict, with: b, .postcodeDistrict) { return 4 }
            return 5
        case .nhsNumber:
            guard a.has(.nhs), b.has(.nhs) else { return nil }
            return a.shares(.nhs, with: b, .nhs) ? 0 : 1
        case .otherIdentifier:
            guard a.has(.other), b.has(.other) else { return nil }
            if a.shares(.other, with: b, .other) { return 0 }
            // Identifiers of different schemes (a pupil number, a police id) cannot disagree.
            if a.has(.otherScheme), b.has(.otherScheme), !a.shares(.otherScheme, with: b, .otherScheme) { return nil }
            return 1
        case .middleNames:
            guard a.has(.middle), b.has(.middle) else { return nil }
            if a.shares(.middle, with: b, .middle) { return 0 }
            // First and middle names recorded the other way round are the given name's evidence
            // already. Only one way round ("Oliver Lucas" and "Harry Oliver": each side's middle names
            // and the other's first name disagree) is how twins named after each other look, so it
            // counts as different middle names.
            let crossed = (a.shares(.middle, with: b, .given), a.shares(.given, with: b, .middle))
            if crossed.0 && crossed.1 { return nil }
            if crossed.0 || crossed.1 { return 2 }
            return a.shares(.middleInitial, with: b, .middleInitial) ? 1 : 2
        }
    }

    /// The given-name level of a pair whose given name and surname are transposed.
    static let transposedLevel = 1

    /// The overlap coefficient at or above which one given name is taken for a short form of the
    /// other (Seun and Oluwaseun, Tom and Tomasz, Bayo and Adebayo): its letter pairs are nearly all
    /// in the longer name. Set so that under BLIP at ε = 4 a four-pair name inside a longer one
    /// still passes and names sharing three of four pairs (Ian, Brian) do not; `ScoringTests`
    /// checks both. Like every level it is only evidence: its weight is learned, and it is weak at
    /// one address, where siblings can have names inside each other's (Ella, Isabella).
    static let shortFormOverlap = 0.7

    /// Given-name levels below phonetic: similar (Dice ≥ 0.8), one letter apart (a shared
    /// deletion-neighbourhood token), short form, somewhat similar (Dice ≥ 0.6), different.
    /// Dice and the overlap coefficient come from one intersection count.
    private static func givenSimilarity(_ a: ComparisonProfile, _ b: ComparisonProfile) -> Int {
        guard let x = a.given, let y = b.given, x.bitCount == y.bitCount, !x.isEmpty, !y.isEmpty else {
            return a.shares(.givenEdit, with: b, .givenEdit) ? 5 : 8
        }
        let both = Double(x.intersectionCount(y))
        let dice = 2 * both / Double(x.popcount + y.popcount)
        if dice >= 0.8 { return 4 }
        if a.shares(.givenEdit, with: b, .givenEdit) { return 5 }
        if both / Double(min(x.popcount, y.popcount)) >= shortFormOverlap { return 6 }
        return dice >= 0.6 ? 7 : 8
    }

    private static func dice(_ x: BloomFilter?, _ y: BloomFilter?, from first: Int) -> Int {
        let d = diceLevel(x, y) ?? 0
        return d >= 0.8 ? first : d >= 0.6 ? first + 1 : first + 2
    }
}
