/// Why an NHS number was refused. Messages never contain the input.
public enum NHSNumberError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The field was empty or only spaces.
    case empty
    /// The text has characters other than digits, spaces and hyphens.
    case invalidCharacters
    /// There are not exactly 10 digits.
    case wrongLength
    /// All ten digits are the same (0000000000, 1111111111 ...): placeholders that pass the checksum.
    case repeatedDigit
    /// The check digit (the tenth) does not match the modulus-11 check of the first nine, or no check digit is possible.
    case invalidCheckDigit

    /// What is wrong and what to do, without the input value.
    public var description: String {
        switch self {
        case .empty:
            return "NHS number is empty; supply it or leave the record out of NHS-number matching"
        case .invalidCharacters:
            return "NHS number has characters other than digits, spaces and hyphens; check the source record"
        case .wrongLength:
            return "NHS number does not have exactly 10 digits; check the source record"
        case .repeatedDigit:
            return "NHS number is one digit repeated ten times, a placeholder rather than a real number; leave it out"
        case .invalidCheckDigit:
            return "NHS number fails its check-digit test, so a digit was mistyped; check the source record"
        }
    }
}

/// A validated 10-digit NHS number (England, Wales and Isle of Man).
///
/// Input may contain spaces and hyphens ("943 476 5919", "943-476-5919"). The tenth digit must equal the
/// modulus-11 check of the first nine: multiply them by weights 10 down to 2, sum, take the remainder mod 11,
/// and subtract it from 11; a result of 11 means check digit 0 and a result of 10 means the number is invalid.
/// A number made of one repeated digit is refused even though it passes that check (every such number does,
/// because the weights sum to 54 ≡ −1 mod 11): systems use them as "unknown" placeholders, and linking on a
/// placeholder would join unrelated people.
public struct NHSNumber: Sendable, Hashable, CustomStringConvertible {
    /// The ten digits, no separators: "9434765919".
    public let digits: String

    /// Parses and validates `text`.
    public init(_ text: String) throws(NHSNumberError) {
        var values: [Int] = []
        var sawAnything = false
        for char in text {
            if char.isWhitespace { continue }
            sawAnything = true
            if char == "-" { continue }
            guard char.isASCII, let value = char.wholeNumberValue else { throw .invalidCharacters }
            values.append(value)
        }
        guard sawAnything else { throw .empty }
        guard values.count == 10 else { throw .wrongLength }
        guard Set(values).count > 1 else { throw .repeatedDigit }
        guard NHSNumber.checkDigit(ofFirstNine: Array(values.prefix(9))) == values[9] else { throw .invalidCheckDigit }
        digits = values.map(String.init).joined()
    }

    /// The modulus-11 check digit for nine digits, or nil when the check gives 10 (no valid number has these nine digits).
    public static func checkDigit(ofFirstNine digits: [Int]) -> Int? {
        guard digits.count == 9 else { return nil }
        var sum = 0
        for (index, digit) in digits.enumerated() {
            sum += digit * (10 - index)
        }
        let check = 11 - sum % 11
        switch check {
        case 11: return 0
        case 10: return nil
        default: return check
        }
    }

    /// The usual 3-3-4 display form: "943 476 5919".
    public var formatted: String {
        let chars = Array(digits)
        return "\(String(chars[0..<3])) \(String(chars[3..<6])) \(String(chars[6..<10]))"
    }

    /// The digits only.
    public var description: String { digits }
}
