public import Foundation

/// A referral's RAG priority: how urgently the MASH must decide its route.
public enum Priority: String, Sendable, Hashable, Codable, CaseIterable {
    case red, amber, green
}

/// How long a MASH allows for a decision at each priority, and its working week. Working Together
/// 2023 expects a decision on the route within one working day; each MASH sets its own figures.
public struct Timescales: Sendable, Hashable, Codable {
    /// A span of time: working hours (counted only inside the working week) or clock hours.
    public struct Span: Sendable, Hashable, Codable {
        public var hours: Double
        public var working: Bool

        public init(hours: Double, working: Bool) {
            self.hours = hours
            self.working = working
        }
    }

    public var red: Span, amber: Span, green: Span
    /// Working days (1 = Sunday … 7 = Saturday, as `Calendar` numbers them) and hours.
    public var workingDays: Set<Int>
    public var dayStartHour: Int, dayEndHour: Int
    /// The time zone the working week is in.
    public var timeZone: String

    /// The defaults: red 4 working hours, amber 24 hours, green 72 hours; Monday to Friday,
    /// 09:00 to 17:00, UK time.
    public static let standard = Timescales(
        red: Span(hours: 4, working: true), amber: Span(hours: 24, working: false), green: Span(hours: 72, working: false),
        workingDays: [2, 3, 4, 5, 6], dayStartHour: 9, dayEndHour: 17, timeZone: "Europe/London")

    /// Makes timescales.
    public init(red: Span, amber: Span, green: Span, workingDays: Set<Int>, dayStartHour: Int, dayEndHour: Int, timeZone: String) {
        self.red = red
        self.amber = amber
        self.green = green
        self.workingDays = workingDays
        self.dayStartHour = dayStartHour
        self.dayEndHour = dayEndHour
        self.timeZone = timeZone
    }

    /// Checks the figures make sense.
    public func validate() throws(WorkflowError) {
        guard [red, amber, green].allSatisfy({ $0.hours > 0 && $0.hours <= 24 * 30 }) else { throw .badRequest("each timescale must be between 0 and 720 hours") }
        guard !workingDays.isEmpty, workingDays.isSubset(of: 1...7) else { throw .badRequest("working days are numbered 1 (Sunday) to 7 (Saturday)") }
        guard (0..<24).contains(dayStartHour), (1...24).contains(dayEndHour), dayStartHour < dayEndHour else {
            throw .badRequest("the working day must start before it ends, within 0 to 24 hours")
        }
        guard TimeZone(identifier: timeZone) != nil else { throw .badRequest("unknown time zone '\(timeZone)'") }
    }

    /// When a referral of `priority` received at `received` is due.
    public func due(_ priority: Priority, receivedAt received: Date) -> Date {
        let span = switch priority {
        case .red: red
        case .amber: amber
        case .green: green
        }
        guard span.working else { return received.addingTimeInterval(span.hours * 3600) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? .gmt
        var remaining = span.hours * 3600, t = received
        // Walk day by day: skip non-working time, spend working time until none remains.
        for _ in 0..<(366 * 2) {
            let day = calendar.startOfDay(for: t)
            let start = calendar.date(bySettingHour: dayStartHour, minute: 0, second: 0, of: day) ?? day
            let end = dayEndHour == 24 ? calendar.date(byAdding: .day, value: 1, to: day) ?? day
                : calendar.date(bySettingHour: dayEndHour, minute: 0, second: 0, of: day) ?? day
            if workingDays.contains(calendar.component(.weekday, from: day)), t < end {
                let from = max(t, start), available = end.timeIntervalSince(from)
                if remaining <= available { return from.addingTimeInterval(remaining) }
                remaining -= available
            }
            t = calendar.date(byAdding: .day, value: 1, to: day) ?? day.addingTimeInterval(86400)
        }
        return t
    }
}
