/// A day in the proleptic Gregorian calendar, with no time or time zone.
///
/// Dates of birth are calendar days, not instants: using Foundation's `Date` would bring a time zone into
/// a value that has none. Only real dates can be made (the initialiser fails for 30 February).
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The year, for example 2011.
    public let year: Int
    /// The month, 1 to 12.
    public let month: Int
    /// The day of the month, 1 to 28, 29, 30 or 31.
    public let day: Int

    /// Creates a date, or returns nil when there is no such day (month 13, 30 February, 29 February 2023).
    public init?(year: Int, month: Int, day: Int) {
        guard year >= 1, year <= 9999, (1...12).contains(month),
              day >= 1, day <= CalendarDate.daysInMonth(month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// True for Gregorian leap years: divisible by 4, except centuries not divisible by 400.
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// The number of days in `month` of `year` (0 when `month` is not 1 to 12).
    public static func daysInMonth(_ month: Int, year: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: return 31
        case 4, 6, 9, 11: return 30
        case 2: return isLeapYear(year) ? 29 : 28
        default: return 0
        }
    }

    /// ISO 8601 form, "2011-02-03".
    public var iso8601: String {
        "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// Compact form, "20110203".
    public var compact: String {
        "\(pad(year, 4))\(pad(month, 2))\(pad(day, 2))"
    }

    /// The ISO 8601 form.
    public var description: String { iso8601 }

    /// The date with day and month exchanged, when that is also a real date and differs from this one.
    public var dayMonthSwapped: CalendarDate? {
        guard day != month else { return nil }
        return CalendarDate(year: year, month: day, day: month)
    }

    /// Earlier dates sort first.
    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
