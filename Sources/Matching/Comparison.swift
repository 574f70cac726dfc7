public import Tokenisation

/// A field the hub compares, with its agreement levels from strongest to weakest. The last level is
/// always disagreement; a field missing on either side has no level (it adds no evidence either way).
///
/// Postcode, house number and address line are one field, `location`: they say nearly the same
/// thing, and counting them as independent evidence is how linkers merge co-resident family members.
public enum ComparedField: String, CaseIterable, Sendable, Hashable, Codable {
    case givenName, surname, dateOfBirth, sex, location, nhsNumber, otherIdentifier

    static let locationIndex = allCases.firstIndex(of: .location)!

    /// Level names, strongest first; used in evidence ("surname phonetic").
    public var levels: [String] {
        switch self {
        case .givenName: ["exact", "nickname, spelling variant or other given name", "phonetic", "similar (Dice ≥ 0.8)", "somewhat similar (Dice ≥ 0.6)", "different"]
        case .surname: ["exact", "one part agrees", "phonetic", "similar (Dice ≥ 0.8)", "somewhat similar (Dice ≥ 0.6)", "different"]
        case .dateOfBirth: ["exact", "day and month transposed", "same year and month", "different"]
        case .sex: ["same", "different"]
        case .location: ["same house and postcode", "same postcode, similar address", "same postcode", "similar address or same postcode sector", "same postcode district", "different"]
        case .nhsNumber: ["same", "different"]
        case .otherIdentifier: ["same", "different"]
        }
    }
}

/// The agreement level of every compared field for one pair: `nil` where a side lacks the field.
public struct ComparisonVector: Sendable, Hashable {
    /// Level index per field, in ``ComparedField/allCases`` order.
    public var levels: [Int?]

    /// Makes a vector from levels in ``ComparedField/allCases`` order.
    public init(levels: [Int?]) { self.levels = levels }

    /// The level of `field`.
    public subscript(field: ComparedField) -> Int? { levels[ComparedField.allCases.firstIndex(of: field)!] }

    /// True when the two records share a household address (same house number and postcode):
    /// their other fields are then scored against what co-resident different people share
    /// (``MatchModel/householdU``), not against the population. A similar address line on the
    /// same postcode is not enough: "12 Grange Close" and "14 Grange Close" are neighbours.
    public var isCoLocated: Bool { levels[ComparedField.locationIndex] == 0 }
}

/// Compares two encoded records field by field, using only keyed tokens and Bloom filters.
public enum Comparator {
    /// The comparison vector of `a` and `b`.
    public static func compare(_ a: EncodedRecord, _ b: EncodedRecord) -> ComparisonVector {
        ComparisonVector(levels: ComparedField.allCases.map { level(of: $0, a, b) })
    }

    static func shares(_ a: EncodedRecord, _ nameA: String, _ b: EncodedRecord, _ nameB: String) -> Bool {
        guard let x = a.tokens[nameA], let y = b.tokens[nameB] else { return false }
        return x.contains { y.contains($0) }
    }

    static func has(_ r: EncodedRecord, _ name: String) -> Bool { !(r.tokens[name]?.isEmpty ?? true) }

    static func diceLevel(_ a: EncodedRecord, _ b: EncodedRecord, filter: String) -> Double? {
        guard let x = a.filters[filter], let y = b.filters[filter], x.bitCount == y.bitCount, !x.isEmpty, !y.isEmpty else { return nil }
        return x.dice(y)
    }

    static func level(of field: ComparedField, _ a: EncodedRecord, _ b: EncodedRecord) -> Int? {
        switch field {
        case .givenName:
            guard has(a, TokenName.given), has(b, TokenName.given) else { return nil }
            if shares(a, TokenName.given, b, TokenName.given) { return 0 }
            if shares(a, TokenName.givenCanonical, b, TokenName.givenCanonical) || shares(a, TokenName.given, b, TokenName.middle)
                || shares(a, TokenName.middle, b, TokenName.given) { return 1 }
            if shares(a, TokenName.givenPhonetic, b, TokenName.givenPhonetic) { return 2 }
            return dice(a, b, filter: "given", from: 3)
        case .surname:
            guard has(a, TokenName.surname), has(b, TokenName.surname) else { return nil }
            if shares(a, TokenName.surname, b, TokenName.surname) { return 0 }
            if shares(a, TokenName.surnamePart, b, TokenName.surname) || shares(a, TokenName.surname, b, TokenName.surnamePart)
                || shares(a, TokenName.surnamePart, b, TokenName.surnamePart) { return 1 }
            if shares(a, TokenName.surnamePhonetic, b, TokenName.surnamePhonetic) { return 2 }
            return dice(a, b, filter: "surname", from: 3)
        case .dateOfBirth:
            guard has(a, TokenName.dob), has(b, TokenName.dob) else { return nil }
            if shares(a, TokenName.dob, b, TokenName.dob) { return 0 }
            if shares(a, TokenName.dobSwapped, b, TokenName.dob) || shares(a, TokenName.dob, b, TokenName.dobSwapped) { return 1 }
            if shares(a, TokenName.dobYearMonth, b, TokenName.dobYearMonth) { return 2 }
            return 3
        case .sex:
            guard has(a, TokenName.sex), has(b, TokenName.sex) else { return nil }
            return shares(a, TokenName.sex, b, TokenName.sex) ? 0 : 1
        case .location:
            if shares(a, TokenName.houseAndPostcode, b, TokenName.houseAndPostcode) { return 0 }
            let bothPostcode = has(a, TokenName.postcode) && has(b, TokenName.postcode)
            let address = diceLevel(a, b, filter: "address")
            guard bothPostcode || address != nil else { return nil }
            let similarAddress = (address ?? 0) >= 0.8
            if bothPostcode && shares(a, TokenName.postcode, b, TokenName.postcode) { return similarAddress ? 1 : 2 }
            if similarAddress || shares(a, TokenName.postcodeSector, b, TokenName.postcodeSector) { return 3 }
            if shares(a, TokenName.postcodeDistrict, b, TokenName.postcodeDistrict) { return 4 }
            return 5
        case .nhsNumber:
            guard has(a, TokenName.nhs), has(b, TokenName.nhs) else { return nil }
            return shares(a, TokenName.nhs, b, TokenName.nhs) ? 0 : 1
        case .otherIdentifier:
            guard has(a, TokenName.other), has(b, TokenName.other) else { return nil }
            return shares(a, TokenName.other, b, TokenName.other) ? 0 : 1
        }
    }

    private static func dice(_ a: EncodedRecord, _ b: EncodedRecord, filter: String, from first: Int) -> Int {
        let d = diceLevel(a, b, filter: filter) ?? 0
        return d >= 0.8 ? first : d >= 0.6 ? first + 1 : first + 2
    }
}
