/// Why a date of birth was refused. Messages never contain the input (they go to logs and rejects files).
public enum DateOfBirthError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The field was empty or only spaces.
    case empty
    /// The text is not in any accepted format.
    case unrecognisedFormat
    /// The year has two digits, so the century is unknown.
    case twoDigitYear
    /// The parts are in an accepted format but name no real day (month 13, 30 February, 29 February in a common year).
    case impossibleDate
    /// The date is after the reference date.
    case inFuture
    /// The date is before 1 January 1900.
    case before1900

    /// What is wrong and what to do, without the input value.
    public var description: String {
        switch self {
        case .empty:
            return "date of birth is empty; supply it or leave the record out of date-of-birth matching"
        case .unrecognisedFormat:
            return "date of birth is not in an accepted format; use dd/mm/yyyy, yyyy-mm-dd, yyyymmdd or '3 Feb 2011'"
        case .twoDigitYear:
            return "date of birth has a two-digit year, which is ambiguous (19xx or 20xx, and a child and a grandparent "
                + "can share it); supply the four-digit year"
        case .impossibleDate:
            return "date of birth is not a real calendar date (day or month out of range, or 29 February in a "
                + "non-leap year); check the source record"
        case .inFuture:
            return "date of birth is after the reference date; check the source record and the reference date"
        case .before1900:
            return "date of birth is before 1900-01-01, which is treated as a placeholder or an entry error; check the source record"
        }
    }
}

/// A parsed, validated date of birth and its day/month-swapped alternative.
public struct ParsedDateOfBirth: Sendable, Hashable {
    /// The date as written (UK day-first order for numeric dates).
    public let date: CalendarDate
    /// The date with day and month exchanged, when that is also a valid date of birth (real, not in the future,
    /// not before 1900) and differs from `date`. Offered for every format, because the swap may have happened
    /// upstream (a US-ordered system) before the text reached us; it is a candidate for fuzzy matching only.
    public let swapped: CalendarDate?

    /// Creates a parsed value.
    public init(date: CalendarDate, swapped: CalendarDate?) {
        self.date = date
        self.swapped = swapped
    }
}

/// Parses and validates UK-style dates of birth.
///
/// Accepted (surrounding spaces ignored):
/// - `dd/mm/yyyy`, `d/m/yyyy`, `dd-mm-yyyy`, `dd.mm.yyyy` (day first; both separators the same)
/// - ISO `yyyy-mm-dd` (also with `/` or `.`)
/// - `yyyymmdd`
/// - `d MMM yyyy` and `d MMMM yyyy` with English month names or abbreviations ("3 Feb 2011", "03-Feb-2011",
///   "3rd February 2011"), separated by spaces, `-`, `/`, `.` or `,`
///
/// A trailing time of day is ignored ("2012-11-20 00:00:00", "2012-11-20T00:00:00Z"), as written by
/// exports of date-time columns.
///
/// Two-digit years are refused (``DateOfBirthError/twoDigitYear``): "01/02/03" could be 1903 or 2003.
/// Then the date must be real, on or after 1900-01-01 and not after the supplied reference date.
public enum DateOfBirth {
    /// The earliest accepted date of birth.
    public static let earliest = CalendarDate(year: 1900, month: 1, day: 1)!

    /// Parses `text` and validates it against `referenceDate` (normally today, supplied by the caller so that
    /// results are reproducible).
    public static func parse(_ text: String, referenceDate: CalendarDate) throws(DateOfBirthError) -> ParsedDateOfBirth {
        let (year, month, day) = try fields(of: text)
        guard let date = CalendarDate(year: year, month: month, day: day) else { throw .impossibleDate }
        try validate(date, referenceDate: referenceDate)
        var swapped: CalendarDate?
        if let candidate = date.dayMonthSwapped, (try? validate(candidate, referenceDate: referenceDate)) != nil {
            swapped = candidate
        }
        return ParsedDateOfBirth(date: date, swapped: swapped)
    }

    /// Checks the range rules only: not before 1900-01-01, not after `referenceDate`.
    public static func validate(_ date: CalendarDate, referenceDate: CalendarDate) throws(DateOfBirthError) {
        if date < earliest { throw .before1900 }
        if date > referenceDate { throw .inFuture }
    }

    // MARK: - Parsing

    static let monthNames: [String: Int] = [
        "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5,
        "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
        "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
    ]

    static let ordinalSuffixes: Set<String> = ["st", "nd", "rd", "th"]

    private enum Part: Equatable {
        case number(String)
        case word(String)
        case separator(Character)
    }

    /// Splits into runs of ASCII digits, runs of ASCII letters (lower-cased) and single separator characters.
    private static func lex(_ text: String) -> [Part]? {
        var parts: [Part] = []
        var run = ""
        var runIsDigits = false
        func flush() {
            if !run.isEmpty { parts.append(runIsDigits ? .number(run) : .word(run)) }
            run = ""
        }
        for char in text {
            if char.isASCII, char.isNumber {
                if !runIsDigits { flush() }
                runIsDigits = true
                run.append(char)
            } else if char.isASCII, char.isLetter {
                if runIsDigits { flush() }
                runIsDigits = false
                run.append(Character(char.lowercased()))
            } else if "/-., ".contains(char) || char.isWhitespace {
                flush()
                parts.append(.separator(char.isWhitespace ? " " : char))
            } else {
                return nil
            }
        }
        flush()
        return parts
    }

    /// Year, month and day fields, before calendar validation.
    private static func fields(of text: String) throws(DateOfBirthError) -> (Int, Int, Int) {
        let trimmed = withoutTimeOfDay(text.trimmingWhitespace())
        guard !trimmed.isEmpty else { throw .empty }
        guard let parts = lex(trimmed) else { throw .unrecognisedFormat }
        let values = parts.filter { if case .separator = $0 { return false } else { return true } }
        let separators = parts.compactMap { part -> Character? in
            if case let .separator(c) = part { return c } else { return nil }
        }

        // yyyymmdd (or a six-digit form with a two-digit year).
        if values.count == 1, case let .number(digits) = values[0] {
            if digits.count == 8 {
                return (int(digits.prefix(4)), int(digits.dropFirst(4).prefix(2)), int(digits.suffix(2)))
            }
            if digits.count == 6 { throw .twoDigitYear }
            throw .unrecognisedFormat
        }

        // Month-name forms: d MMM yyyy, with an optional ordinal suffix on the day.
        var items = values
        if items.count == 4, case .number = items[0], case let .word(suffix) = items[1], ordinalSuffixes.contains(suffix) {
            items.remove(at: 1)
        }
        if items.count == 3, case let .number(d) = items[0], case let .word(name) = items[1], case let .number(y) = items[2] {
            guard let month = monthNames[name], d.count <= 2, separators.allSatisfy({ "/-., ".contains($0) }) else {
                throw .unrecognisedFormat
            }
            if y.count == 2 { throw .twoDigitYear }
            guard y.count == 4 else { throw .unrecognisedFormat }
            return (int(y), month, int(d))
        }

        // Numeric forms: exactly number, separator, number, separator, number, with the same separator twice.
        guard parts.count == 5, separators.count == 2, separators[0] == separators[1], "/-.".contains(separators[0]),
              case let .number(a) = parts[0], case let .number(b) = parts[2], case let .number(c) = parts[4] else {
            throw .unrecognisedFormat
        }
        if a.count == 4, (1...2).contains(b.count), (1...2).contains(c.count) {
            return (int(a), int(b), int(c))  // ISO year-month-day
        }
        guard (1...2).contains(a.count), (1...2).contains(b.count) else { throw .unrecognisedFormat }
        if c.count == 2 { throw .twoDigitYear }
        guard c.count == 4 else { throw .unrecognisedFormat }
        return (int(c), int(b), int(a))  // UK day/month/year
    }

    /// `text` without a trailing time of day, as database exports write a date held in a date-time
    /// column ("2012-11-20 00:00:00", "2012-11-20T00:00:00.000Z", "20/11/2012 00:00", "20/11/2012
    /// 12:00:00 AM"). The time must be a whole time (hh:mm, optional :ss and fraction, optional
    /// AM/PM, optional Z or ±hh:mm offset) after a space or `T`; the date is taken as written (an
    /// offset is not applied). Anything else is left for the date grammar to accept or refuse.
    static func withoutTimeOfDay(_ text: String) -> String {
        let chars = Array(text)
        // The time starts after a space or a `T` that follows a digit.
        for start in chars.indices where start > 0 && chars[start - 1].isASCII && chars[start - 1].isNumber
            && (chars[start] == " " || chars[start] == "T") && isTimeOfDay(chars[(start + 1)...]) {
            return String(chars[..<start]).trimmingWhitespace()
        }
        return text
    }

    /// hh:mm, optional :ss and fraction, optional AM/PM, optional Z or ±hh:mm, and nothing else.
    private static func isTimeOfDay(_ text: ArraySlice<Character>) -> Bool {
        var rest = text
        func digits(_ count: ClosedRange<Int>) -> Bool {
            let run = rest.prefix { $0.isASCII && $0.isNumber }
            guard count.contains(run.count) else { return false }
            rest = rest.dropFirst(run.count)
            return true
        }
        func take(_ c: Character) -> Bool {
            guard rest.first == c else { return false }
            rest = rest.dropFirst()
            return true
        }
        guard digits(1...2), take(":"), digits(2...2) else { return false }
        if take(":") { guard digits(2...2) else { return false } }
        if take(".") { guard digits(1...9) else { return false } }
        _ = take(" ")
        if let a = rest.first, let m = rest.dropFirst().first, "AaPp".contains(a), "Mm".contains(m) { rest = rest.dropFirst(2) }
        if take("Z") { return rest.isEmpty }
        if take("+") || take("-") {
            guard digits(2...2) else { return false }
            _ = take(":")
            guard digits(2...2) else { return false }
        }
        return rest.isEmpty
    }

    private static func int<S: StringProtocol>(_ digits: S) -> Int {
        Int(digits) ?? 0
    }
}

extension String {
    /// The string without leading and trailing whitespace (no Foundation needed).
    func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return String(slice)
    }
}
