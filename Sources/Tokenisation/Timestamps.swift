public import Foundation

/// Times as mashlink writes them in batch headers, the store and the disclosure log:
/// `YYYY-MM-DDTHH:MM:SSZ`, UTC, whole seconds (RFC 3339's internet date-time, the form
/// `ISO8601DateFormatter` writes by default). Formatted and parsed directly: a Foundation
/// formatter is costly to make and a hub stamps several times on every request.
public enum Timestamps {
    /// The time now.
    public static func now() -> String { string(Date()) }

    /// `date` in the written form (seconds rounded down).
    public static func string(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var out = [UInt8]()
        out.reserveCapacity(20)
        func put(_ value: Int32, digits: Int) {
            var divisor: Int32 = 1
            for _ in 1..<digits { divisor *= 10 }
            var v = value
            while divisor > 0 {
                out.append(UInt8(48 + v / divisor))
                v %= divisor
                divisor /= 10
            }
        }
        put(parts.tm_year + 1900, digits: 4); out.append(0x2d)
        put(parts.tm_mon + 1, digits: 2); out.append(0x2d)
        put(parts.tm_mday, digits: 2); out.append(0x54)
        put(parts.tm_hour, digits: 2); out.append(0x3a)
        put(parts.tm_min, digits: 2); out.append(0x3a)
        put(parts.tm_sec, digits: 2); out.append(0x5a)
        return String(decoding: out, as: UTF8.self)
    }

    /// True when `text` has the written form with plausible fields (month 1–12, day 1–31, hour,
    /// minute, second up to a leap second): the cheap check an audit makes on every log entry.
    public static func isWellFormed(_ text: String) -> Bool { fields(Array(text.utf8)) != nil }

    /// The time `text` names, or nil unless it is exactly in the written form and a real time
    /// (2023-02-30T00:00:00Z is refused).
    public static func date(_ text: String) -> Date? {
        guard let f = fields(Array(text.utf8)) else { return nil }
        var parts = tm()
        parts.tm_year = f.year - 1900
        parts.tm_mon = f.month - 1
        parts.tm_mday = f.day
        parts.tm_hour = f.hour
        parts.tm_min = f.minute
        parts.tm_sec = f.second
        let date = Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
        // timegm normalises an impossible day (or a leap second) into the next: refuse it instead.
        return string(date) == text ? date : nil
    }

    private static func fields(_ u: [UInt8]) -> (year: Int32, month: Int32, day: Int32, hour: Int32, minute: Int32, second: Int32)? {
        guard u.count == 20, u[4] == 0x2d, u[7] == 0x2d, u[10] == 0x54, u[13] == 0x3a, u[16] == 0x3a, u[19] == 0x5a else { return nil }
        func number(_ range: Range<Int>) -> Int32? {
            var v: Int32 = 0
            for i in range {
                guard (0x30...0x39).contains(u[i]) else { return nil }
                v = v * 10 + Int32(u[i] - 0x30)
            }
            return v
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        return (year, month, day, hour, minute, second)
    }
}
