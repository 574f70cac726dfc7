/// Why a postcode was refused. Messages never contain the input.
public enum UKPostcodeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The field was empty or only spaces.
    case empty
    /// The text has characters other than letters, digits and spaces.
    case invalidCharacters
    /// Without spaces the postcode is not 5 to 7 characters long.
    case wrongLength
    /// The outward code (first half) does not follow any UK pattern (A9, A99, AA9, AA99, A9A, AA9A) or uses a
    /// letter not allowed in its position.
    case invalidOutwardCode
    /// The inward code (last three characters) is not a digit followed by two allowed letters.
    case invalidInwardCode
    /// A "BFPO nnnn" British Forces Post Office number: not a geographic postcode, so it is not linked on.
    case bfpoNotSupported

    /// What is wrong and what to do, without the input value.
    public var description: String {
        switch self {
        case .empty:
            return "postcode is empty; supply it or leave the record out of postcode matching"
        case .invalidCharacters:
            return "postcode has characters other than letters, digits and spaces; check the source record"
        case .wrongLength:
            return "postcode is not 5 to 7 letters and digits long; check that it is a complete UK postcode"
        case .invalidOutwardCode:
            return "postcode's first part is not a valid UK outward code (A9, A99, AA9, AA99, A9A or AA9A); check the source record"
        case .invalidInwardCode:
            return "postcode's last three characters are not a valid inward code (a digit then two letters, not C, I, K, M, O or V)"
        case .bfpoNotSupported:
            return "BFPO numbers are not geographic postcodes and are not used for matching; leave the postcode field out"
        }
    }
}

/// A validated UK postcode in normalised form ("SW1A 1AA").
///
/// Accepts any case, with or without the space, and with stray spaces inside ("sw1a1aa", " SW 1A 1AA ").
/// Validation follows the published format rules: outward code A9, A99, AA9, AA99, A9A or AA9A, inward code 9AA;
/// first letter not Q, V or X; second letter not I, J or Z; third-position letter (A9A) one of ABCDEFGHJKPSTUW;
/// fourth-position letter (AA9A) one of ABEHMNPRVWXY; inward letters not C, I, K, M, O or V.
/// The non-geographic "GIR 0AA" is accepted. "BFPO nnnn" numbers are refused with
/// ``UKPostcodeError/bfpoNotSupported``; BFPO's own "BF1 nAA" postcodes pass as ordinary postcodes.
/// It checks the format, not that the postcode exists (that needs a postcode directory, which this module does not ship).
public struct UKPostcode: Sendable, Hashable, CustomStringConvertible {
    /// The outward code, "SW1A".
    public let outward: String
    /// The inward code, "1AA".
    public let inward: String

    /// Parses and validates `text`.
    public init(_ text: String) throws(UKPostcodeError) {
        var compact = ""
        for char in text {
            if char.isWhitespace { continue }
            guard char.isASCII, char.isLetter || char.isNumber else { throw .invalidCharacters }
            compact.append(Character(char.uppercased()))
        }
        guard !compact.isEmpty else { throw .empty }
        if compact.hasPrefix("BFPO"), compact.dropFirst(4).allSatisfy(\.isNumber) {
            throw .bfpoNotSupported
        }
        guard (5...7).contains(compact.count) else { throw .wrongLength }
        let chars = Array(compact)
        let outward = String(chars.dropLast(3))
        let inward = String(chars.suffix(3))
        if outward == "GIR", inward == "0AA" {
            self.outward = outward
            self.inward = inward
            return
        }
        guard UKPostcode.isValidOutward(Array(outward)) else { throw .invalidOutwardCode }
        guard UKPostcode.isValidInward(Array(inward)) else { throw .invalidInwardCode }
        self.outward = outward
        self.inward = inward
    }

    /// The normalised form, "SW1A 1AA".
    public var normalised: String { "\(outward) \(inward)" }

    /// Without the space, "SW1A1AA".
    public var compact: String { outward + inward }

    /// The postcode area: the leading letters, "SW".
    public var area: String { String(outward.prefix(while: \.isLetter)) }

    /// The postcode district, taken here to be the whole outward code, "SW1A".
    public var district: String { outward }

    /// The postcode sector: outward code, space, first digit of the inward code, "SW1A 1".
    public var sector: String { "\(outward) \(inward.prefix(1))" }

    /// The normalised form.
    public var description: String { normalised }

    // MARK: - Rules

    static let firstLetters = Set("ABCDEFGHIJKLMNOPRSTUWYZ")  // not Q, V, X
    static let secondLetters = Set("ABCDEFGHKLMNOPQRSTUVWXY")  // not I, J, Z
    static let thirdLetters = Set("ABCDEFGHJKPSTUW")  // A9A
    static let fourthLetters = Set("ABEHMNPRVWXY")  // AA9A
    static let inwardLetters = Set("ABDEFGHJLNPQRSTUWXYZ")  // not C, I, K, M, O, V

    static func isValidOutward(_ c: [Character]) -> Bool {
        func digit(_ i: Int) -> Bool { c[i].isASCII && c[i].isNumber }
        guard let first = c.first, firstLetters.contains(first) else { return false }
        switch c.count {
        case 2:  // A9
            return digit(1)
        case 3:  // A99, AA9, A9A
            if digit(1), digit(2) { return true }
            if secondLetters.contains(c[1]), digit(2) { return true }
            return digit(1) && thirdLetters.contains(c[2])
        case 4:  // AA99, AA9A
            guard secondLetters.contains(c[1]), digit(2) else { return false }
            return digit(3) || fourthLetters.contains(c[3])
        default:
            return false
        }
    }

    static func isValidInward(_ c: [Character]) -> Bool {
        c.count == 3 && c[0].isASCII && c[0].isNumber && inwardLetters.contains(c[1]) && inwardLetters.contains(c[2])
    }
}
