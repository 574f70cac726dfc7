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
        case .givenName: ["exact", "given name and surname transposed", "one's given name is the other's surname", "nickname, spelling variant or other given name", "phonetic", "similar (Dice ≥ 0.8)", "one letter apart", "short form (one name's letter pairs within the other's)", "somewhat similar (Dice ≥ 0.6)", "different"]
        case .surname: ["exact", "one part agrees", "phonetic", "similar (Dice ≥ 0.8)", "somewhat similar (Dice ≥ 0.6)", "different"]
        case .dateOfBirth: ["exact", "day and month transposed", "same year and month", "same day and month, another year", "one digit apart", "different"]
        case .sex: ["same", "different"]
        case .location: ["same house and postcode", "same postcode, similar address", "same postcode", "similar address or same postcode sector", "same postcode district", "different"]
        case .nhsNumber: ["same", "different"]
        case .otherIdentifier: ["same", "one character apart", "different"]
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

/// Records laid out for comparison in a few flat arrays: each compared token as a 64-bit digest, a
/// range per token name, and the given-name, surname and address Bloom filters' words side by side.
///
/// Comparing a pair is integer equality and popcounts over these arrays, with no string-keyed
/// lookup and no reference counting: a record held as its own token table and filters costs eight
/// retains and eight releases each time a pair is read, shared between threads (a fifth of the
/// time of a million-record link went there). Built once per agency: about 500 bytes a record
/// with 1024-bit filters.
///
/// A token is compared by a 64-bit digest of its 16 bytes (keyed HMAC output, so the digest is
/// uniform): two different tokens agree with probability 2^-64, about once in 10^9 million-record
/// links. A filter that is missing or has no bit set is left out (it is no evidence either way).
public struct ComparisonProfiles: Sendable {
    /// The token names compared, in slot order.
    static let names: [String] = [
        TokenName.given, TokenName.givenCanonical, TokenName.givenPhonetic, TokenName.givenEdit, TokenName.middle, TokenName.middleInitial,
        TokenName.surname, TokenName.surnamePart, TokenName.surnamePhonetic, TokenName.namesUnordered, TokenName.givenAsSurname,
        TokenName.dob, TokenName.dobSwapped, TokenName.dobYearMonth, TokenName.dobMonthDay, TokenName.dobEdit, TokenName.sex,
        TokenName.houseAndPostcode, TokenName.postcode, TokenName.postcodeSector, TokenName.postcodeDistrict,
        TokenName.nhs, TokenName.other, TokenName.otherEdit, TokenName.otherScheme,
    ]
    enum Slot: Int {
        case given, givenCanonical, givenPhonetic, givenEdit, middle, middleInitial, surname, surnamePart, surnamePhonetic, namesUnordered, givenAsSurname
        case dob, dobSwapped, dobYearMonth, dobMonthDay, dobEdit, sex, houseAndPostcode, postcode, postcodeSector, postcodeDistrict
        case nhs, other, otherEdit, otherScheme
    }
    /// The filters compared, in filter-slot order.
    enum Filter: Int, CaseIterable {
        case given, surname, address
        var name: String { ["given", "surname", "address"][rawValue] }
    }
    static let slotCount = names.count
    static let filterCount = Filter.allCases.count
    /// The table place of each slot's name.
    private static let places: [Int] = names.map { TokenTable.place(of: $0)! }
    private static let filterPlaces: [Int] = Filter.allCases.map { FilterSet.place(of: $0.name)! }

    /// Per record and slot, the end of the slot's tokens counted from the record's first token.
    let slotEnds: [UInt16]
    /// Per record, its first token in ``digests``; one more at the end.
    let tokenStart: [UInt32]
    /// Every compared token's digest, record after record, slot after slot.
    let digests: [UInt64]
    /// Per record and filter: the first word in ``filterWords`` (32 bits), the word count (12 bits)
    /// and the popcount (20 bits); zero when the record has no such filter, or an empty one.
    let filterInfo: [UInt64]
    let filterWords: [UInt64]
    /// The number of records.
    public let count: Int

    /// The profiles of `records`, in order.
    public init(_ records: [EncodedRecord]) {
        var slotEnds = [UInt16](), tokenStart = [UInt32](), digests = [UInt64](), filterInfo = [UInt64](), filterWords = [UInt64]()
        slotEnds.reserveCapacity(records.count * Self.slotCount)
        tokenStart.reserveCapacity(records.count + 1)
        filterInfo.reserveCapacity(records.count * Self.filterCount)
        for record in records {
            let table = record.tokenTable, first = digests.count
            tokenStart.append(UInt32(first))
            for place in Self.places {
                for i in table.range(ofPlace: place) {
                    let w = table.words(at: i)
                    digests.append(w.high &* 0x9e37_79b9_7f4a_7c15 ^ w.low)
                }
                slotEnds.append(UInt16(digests.count - first))
            }
            let filters = record.filterSet
            for place in Self.filterPlaces {
                guard let f = filters.filter(atPlace: place), !f.isEmpty else {
                    filterInfo.append(0)
                    continue
                }
                precondition(f.words.count < 1 << 12 && f.popcount < 1 << 20, "a compared filter has fewer than 262,144 bits")
                filterInfo.append(UInt64(filterWords.count) << 32 | UInt64(f.words.count) << 20 | UInt64(f.popcount))
                filterWords.append(contentsOf: f.words)
            }
        }
        tokenStart.append(UInt32(digests.count))
        precondition(digests.count < 1 << 32 && filterWords.count < 1 << 32, "one agency's profiles hold fewer than 2^32 tokens and filter words")
        self.init(slotEnds: slotEnds, tokenStart: tokenStart, digests: digests, filterInfo: filterInfo, filterWords: filterWords)
    }

    init(slotEnds: [UInt16], tokenStart: [UInt32], digests: [UInt64], filterInfo: [UInt64], filterWords: [UInt64]) {
        self.slotEnds = slotEnds
        self.tokenStart = tokenStart
        self.digests = digests
        self.filterInfo = filterInfo
        self.filterWords = filterWords
        count = tokenStart.count - 1
    }

    /// The profile of one record.
    public init(_ record: EncodedRecord) { self.init([record]) }

    /// The indices in ``digests`` of record `r`'s tokens in `slot`.
    @inline(__always)
    func range(_ r: Int, _ slot: Slot) -> Range<Int> {
        let base = Int(tokenStart[r]), s = r * Self.slotCount + slot.rawValue
        return (base + (slot.rawValue == 0 ? 0 : Int(slotEnds[s - 1])))..<(base + Int(slotEnds[s]))
    }

    @inline(__always)
    func has(_ r: Int, _ slot: Slot) -> Bool { !range(r, slot).isEmpty }

    /// True when record `r`'s tokens in `slot` and record `o` of `other` in `otherSlot` share one.
    @inline(__always)
    func shares(_ r: Int, _ slot: Slot, with other: ComparisonProfiles, _ o: Int, _ otherSlot: Slot) -> Bool {
        let b = other.range(o, otherSlot)
        guard !b.isEmpty else { return false }
        for i in range(r, slot) {
            let x = digests[i]
            for j in b where other.digests[j] == x { return true }
        }
        return false
    }

    /// The popcount of record `r`'s `filter` (0 when it has none).
    @inline(__always)
    func popcount(_ r: Int, _ filter: Filter) -> Int { Int(filterInfo[r * Self.filterCount + filter.rawValue] & 0xf_ffff) }

    /// The bits set in both record `r`'s and record `o`'s `filter`, or nil when either lacks it or
    /// their lengths differ.
    @inline(__always)
    func intersection(_ r: Int, with other: ComparisonProfiles, _ o: Int, _ filter: Filter) -> Int? {
        let x = filterInfo[r * Self.filterCount + filter.rawValue], y = other.filterInfo[o * Self.filterCount + filter.rawValue]
        let words = Int(x >> 20 & 0xfff)
        guard x != 0, y != 0, words == Int(y >> 20 & 0xfff) else { return nil }
        let xs = Int(x >> 32), ys = Int(y >> 32)
        var both = 0
        for k in 0..<words { both &+= (filterWords[xs + k] & other.filterWords[ys + k]).nonzeroBitCount }
        return both
    }

    /// Dice similarity of the two records' `filter`, or nil when either lacks it or their lengths differ.
    @inline(__always)
    func dice(_ r: Int, with other: ComparisonProfiles, _ o: Int, _ filter: Filter) -> Double? {
        guard let both = intersection(r, with: other, o, filter) else { return nil }
        return 2 * Double(both) / Double(popcount(r, filter) + other.popcount(o, filter))
    }
}

/// Compares two encoded records field by field, using only keyed tokens and Bloom filters.
public enum Comparator {
    /// The comparison vector of `a` and `b`.
    public static func compare(_ a: EncodedRecord, _ b: EncodedRecord) -> ComparisonVector {
        compare(ComparisonProfiles(a), 0, ComparisonProfiles(b), 0)
    }

    /// The comparison vector of record `i` of `a` and record `j` of `b` (the fast path linking uses).
    @inline(__always)
    public static func compare(_ a: ComparisonProfiles, _ i: Int, _ b: ComparisonProfiles, _ j: Int) -> ComparisonVector {
        let given = level(of: .givenName, a, i, b, j)
        // Transposed or crossed names are one piece of evidence, carried by the given-name level:
        // the surname is then not compared again.
        let surname = given == GivenLevel.transposed.rawValue || given == GivenLevel.crossed.rawValue ? nil : level(of: .surname, a, i, b, j)
        return ComparisonVector(levels: [
            given, surname, level(of: .dateOfBirth, a, i, b, j), level(of: .sex, a, i, b, j),
            level(of: .location, a, i, b, j), level(of: .nhsNumber, a, i, b, j), level(of: .otherIdentifier, a, i, b, j),
            level(of: .middleNames, a, i, b, j),
        ])
    }

    static func level(of field: ComparedField, _ a: ComparisonProfiles, _ i: Int, _ b: ComparisonProfiles, _ j: Int) -> Int? {
        func has(_ slot: ComparisonProfiles.Slot) -> Bool { a.has(i, slot) && b.has(j, slot) }
        func shares(_ x: ComparisonProfiles.Slot, _ y: ComparisonProfiles.Slot) -> Bool { a.shares(i, x, with: b, j, y) }
        switch field {
        case .givenName:
            guard has(.given) else { return nil }
            if shares(.given, .given) { return GivenLevel.exact.rawValue }
            // The same unordered pair of names with different given names: each side's given name is the other's surname.
            if shares(.namesUnordered, .namesUnordered) { return GivenLevel.transposed.rawValue }
            // One name in the other field, the other name changed (the fields swapped at entry, a
            // family name recorded first, and a spelling or a surname that differs as well).
            if !shares(.surname, .surname), shares(.givenAsSurname, .surname) || shares(.surname, .givenAsSurname) { return GivenLevel.crossed.rawValue }
            if shares(.givenCanonical, .givenCanonical) || shares(.given, .middle) || shares(.middle, .given) { return GivenLevel.variant.rawValue }
            if shares(.givenPhonetic, .givenPhonetic) { return GivenLevel.phonetic.rawValue }
            return givenSimilarity(a, i, b, j).rawValue
        case .surname:
            guard has(.surname) else { return nil }
            if shares(.surname, .surname) { return 0 }
            if shares(.surnamePart, .surname) || shares(.surname, .surnamePart) || shares(.surnamePart, .surnamePart) { return 1 }
            if shares(.surnamePhonetic, .surnamePhonetic) { return 2 }
            let d = a.dice(i, with: b, j, .surname) ?? 0
            return d >= 0.8 ? 3 : d >= 0.6 ? 4 : 5
        case .dateOfBirth:
            guard has(.dob) else { return nil }
            if shares(.dob, .dob) { return 0 }
            if shares(.dobSwapped, .dob) || shares(.dob, .dobSwapped) { return 1 }
            if shares(.dobYearMonth, .dobYearMonth) { return 2 }
            if shares(.dobMonthDay, .dobMonthDay) { return 3 }
            // A month keyed wrong, a digit dropped or added, two digits swapped.
            if shares(.dobEdit, .dobEdit) { return 4 }
            return 5
        case .sex:
            guard has(.sex) else { return nil }
            return shares(.sex, .sex) ? 0 : 1
        case .location:
            if shares(.houseAndPostcode, .houseAndPostcode) { return 0 }
            let bothPostcode = has(.postcode)
            let address = a.dice(i, with: b, j, .address)
            guard bothPostcode || address != nil else { return nil }
            let similarAddress = (address ?? 0) >= 0.8
            if bothPostcode && shares(.postcode, .postcode) { return similarAddress ? 1 : 2 }
            if similarAddress || shares(.postcodeSector, .postcodeSector) { return 3 }
            if shares(.postcodeDistrict, .postcodeDistrict) { return 4 }
            return 5
        case .nhsNumber:
            guard has(.nhs) else { return nil }
            return shares(.nhs, .nhs) ? 0 : 1
        case .otherIdentifier:
            guard has(.other) else { return nil }
            if shares(.other, .other) { return 0 }
            // Identifiers of different schemes (a pupil number, a police id) cannot disagree.
            if has(.otherScheme), !shares(.otherScheme, .otherScheme) { return nil }
            return shares(.otherEdit, .otherEdit) ? 1 : 2
        case .middleNames:
            guard has(.middle) else { return nil }
            if shares(.middle, .middle) { return 0 }
            // First and middle names recorded the other way round are the given name's evidence
            // already. Only one way round ("Oliver Lucas" and "Harry Oliver": each side's middle names
            // and the other's first name disagree) is how twins named after each other look, so it
            // counts as different middle names.
            let crossed = (shares(.middle, .given), shares(.given, .middle))
            if crossed.0 && crossed.1 { return nil }
            if crossed.0 || crossed.1 { return 2 }
            return shares(.middleInitial, .middleInitial) ? 1 : 2
        }
    }

    /// The given-name levels by name, strongest first, in the order of
    /// ``ComparedField/levels`` (`ScoringTests` holds the two to each other), so that adding a
    /// level renumbers every later one in one place.
    enum GivenLevel: Int, CaseIterable {
        case exact
        /// Given name and surname transposed (the surname is then not compared).
        case transposed
        /// One side's given name is the other's surname and the other two names differ: one piece
        /// of evidence, and the surname is not compared again (it would compare a given name with
        /// a surname).
        case crossed
        case variant, phonetic, similar, oneLetter, shortForm, somewhatSimilar, different
    }

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
    private static func givenSimilarity(_ a: ComparisonProfiles, _ i: Int, _ b: ComparisonProfiles, _ j: Int) -> GivenLevel {
        guard let both = a.intersection(i, with: b, j, .given).map(Double.init) else {
            return a.shares(i, .givenEdit, with: b, j, .givenEdit) ? .oneLetter : .different
        }
        let x = Double(a.popcount(i, .given)), y = Double(b.popcount(j, .given))
        let dice = 2 * both / (x + y)
        if dice >= 0.8 { return .similar }
        if a.shares(i, .givenEdit, with: b, j, .givenEdit) { return .oneLetter }
        if both / min(x, y) >= shortFormOverlap { return .shortForm }
        return dice >= 0.6 ? .somewhatSimilar : .different
    }
}
