import Testing
import Normalisation

struct DateOfBirthTests {
    static let today = CalendarDate(year: 2025, month: 6, day: 15)!

    static func date(_ y: Int, _ m: Int, _ d: Int) -> CalendarDate { CalendarDate(year: y, month: m, day: d)! }

    @Test(arguments: [
        "03/02/2011", "3/2/2011", "03-02-2011", "03.02.2011", "2011-02-03", "2011/02/03", "20110203",
        "3 Feb 2011", "03-Feb-2011", "3 February 2011", "3rd February 2011", "03 FEB 2011", "3 feb, 2011",
        "  03/02/2011  ", "3.Feb.2011", "2011-2-3",
        // Date-time columns as database exports write them: the time of day is ignored.
        "2011-02-03 00:00:00", "2011-02-03T00:00:00", "2011-02-03T00:00:00.000Z", "2011-02-03 00:00:00.0000000",
        "03/02/2011 00:00", "03/02/2011 12:00:00 AM", "3 Feb 2011 00:00", "2011-02-03T10:00", "2011-02-03T00:00:00+01:00",
    ])
    func everyAcceptedFormatGivesTheSameDate(text: String) throws {
        let parsed = try DateOfBirth.parse(text, referenceDate: Self.today)
        #expect(parsed.date == Self.date(2011, 2, 3), "\(text)")
    }

    @Test func numericDatesAreDayFirst() throws {
        #expect(try DateOfBirth.parse("12/10/1990", referenceDate: Self.today).date == Self.date(1990, 10, 12))
        #expect(try DateOfBirth.parse("31/12/1999", referenceDate: Self.today).date == Self.date(1999, 12, 31))
        #expect(throws: DateOfBirthError.impossibleDate) { try DateOfBirth.parse("12/31/1999", referenceDate: Self.today) }
    }

    @Test func leapYears() throws {
        #expect(try DateOfBirth.parse("29/02/2024", referenceDate: Self.today).date == Self.date(2024, 2, 29))
        #expect(try DateOfBirth.parse("2000-02-29", referenceDate: Self.today).date == Self.date(2000, 2, 29))
        #expect(throws: DateOfBirthError.impossibleDate) { try DateOfBirth.parse("29/02/2023", referenceDate: Self.today) }
        #expect(throws: DateOfBirthError.impossibleDate) { try DateOfBirth.parse("1900-02-29", referenceDate: Self.today) }
        #expect(CalendarDate.isLeapYear(2000))
        #expect(!CalendarDate.isLeapYear(1900))
        #expect(CalendarDate.isLeapYear(2024))
        #expect(!CalendarDate.isLeapYear(2023))
    }

    @Test(arguments: ["2023-02-30", "31/04/2010", "00/01/2010", "10/13/2010", "0 Jan 2010", "32 Jan 2010", "20100001"])
    func impossibleDatesAreRejected(text: String) {
        #expect(throws: DateOfBirthError.impossibleDate, "\(text)") { try DateOfBirth.parse(text, referenceDate: Self.today) }
    }

    @Test func futureAndPre1900DatesAreRejected() throws {
        #expect(throws: DateOfBirthError.inFuture) { try DateOfBirth.parse("16/06/2025", referenceDate: Self.today) }
        #expect(try DateOfBirth.parse("15/06/2025", referenceDate: Self.today).date == Self.today)
        #expect(throws: DateOfBirthError.before1900) { try DateOfBirth.parse("31/12/1899", referenceDate: Self.today) }
        #expect(try DateOfBirth.parse("01/01/1900", referenceDate: Self.today).date == DateOfBirth.earliest)
    }

    @Test(arguments: ["03/02/11", "3-2-11", "3 Feb 11", "110203"])
    func twoDigitYearsAreRejected(text: String) {
        #expect(throws: DateOfBirthError.twoDigitYear, "\(text)") { try DateOfBirth.parse(text, referenceDate: Self.today) }
    }

    @Test(arguments: ["", "   "])
    func emptyInputIsRejected(text: String) {
        #expect(throws: DateOfBirthError.empty) { try DateOfBirth.parse(text, referenceDate: Self.today) }
    }

    @Test(arguments: [
        "yesterday", "03/02-2011", "03/02/011", "2011-02", "Feb 3 2011", "3 Febr 2011", "2011-02-03T1000", "2011-02-03 00:00 tomorrow", "2011-02-03T0:0",
        "03 / 02 / 2011", "1/2/3/2011", "2011020", "٠٣/٠٢/٢٠١١",
    ])
    func unrecognisedFormatsAreRejected(text: String) {
        #expect(throws: DateOfBirthError.unrecognisedFormat, "\(text)") { try DateOfBirth.parse(text, referenceDate: Self.today) }
    }

    @Test func swappedFormIsOfferedOnlyWhenValidAndDifferent() throws {
        #expect(try DateOfBirth.parse("03/02/2011", referenceDate: Self.today).swapped == Self.date(2011, 3, 2))
        #expect(try DateOfBirth.parse("13/02/2011", referenceDate: Self.today).swapped == nil)  // month 13
        #expect(try DateOfBirth.parse("05/05/2011", referenceDate: Self.today).swapped == nil)  // same
        #expect(try DateOfBirth.parse("30/01/2011", referenceDate: Self.today).swapped == nil)  // month 30
        // Swap would be in the future relative to the reference date.
        #expect(try DateOfBirth.parse("07/06/2025", referenceDate: Self.today).swapped == nil)
        #expect(try DateOfBirth.parse("06/05/2025", referenceDate: Self.today).swapped == Self.date(2025, 6, 5))
    }

    @Test func errorMessagesNeverContainTheInput() {
        let inputs = ["29/02/2023", "16/06/2025", "31/12/1899", "03/02/11", "no date 1987", ""]
        for input in inputs {
            do {
                _ = try DateOfBirth.parse(input, referenceDate: Self.today)
                Issue.record("expected an error")
            } catch {
                #expect(!error.description.isEmpty)
                if !input.isEmpty {
                    #expect(!error.description.contains(input))
                }
                for number in ["2023", "2025", "1899", "1987"] where input.contains(number) {
                    #expect(!error.description.contains(number), "message leaks part of the input")
                }
            }
        }
    }

    @Test func calendarDateBasics() {
        #expect(CalendarDate(year: 2023, month: 2, day: 29) == nil)
        #expect(CalendarDate(year: 2023, month: 13, day: 1) == nil)
        #expect(CalendarDate(year: 2023, month: 4, day: 31) == nil)
        #expect(Self.date(2011, 2, 3).iso8601 == "2011-02-03")
        #expect(Self.date(2011, 2, 3).compact == "20110203")
        #expect(Self.date(2011, 2, 3) < Self.date(2011, 3, 2))
        #expect(Self.date(2011, 2, 3).dayMonthSwapped == Self.date(2011, 3, 2))
        #expect(CalendarDate.daysInMonth(2, year: 2024) == 29)
    }
}
