import Testing
import Tokenisation
@testable import Matching

@Suite("Stored comparison profiles")
struct StoredProfilesTests {
    static let rows = [
        ["1", "William", "O'Brien", "12/03/2012", "M", "SW1A 1AA", "14 High Street", "9434765919"],
        ["2", "Bill", "OBrien", "03/12/2012", "male", "SW1A 1AB", "14 High St", ""],
        ["3", "Willem", "Smyth", "1990-01-01", "F", "M1 4BT", "", ""],
        ["4", "Willem", "Smyth", "1990-01-01", "F", "", "", ""],
        ["5", "Aisha", "Khan-Patel", "2001-07-30", "F", "LS6 2QT", "Flat 3, 22 Cardigan Road", ""],
    ]

    @Test("profiles read back from their stored bytes compare exactly as those built from the records")
    func roundTrip() throws {
        let records = try Self.rows.map(ScoringTests.record)
        let built = ComparisonProfiles(records)
        let read = try #require(ComparisonProfiles(stored: records.map(ComparisonProfiles.stored)))
        #expect(read.count == records.count)
        for i in records.indices {
            #expect(read.stored(i) == built.stored(i))
            for j in records.indices {
                #expect(Comparator.compare(read, i, built, j) == Comparator.compare(built, i, built, j))
                #expect(Comparator.compare(built, i, read, j) == Comparator.compare(built, i, built, j))
            }
        }
        // A record without an address or postcode has no address filter: still round-trips.
        #expect(Comparator.compare(read, 3, read, 0)[.location] == nil)
        #expect(ComparisonProfiles(stored: [])?.count == 0)
    }

    @Test("bytes of another layout, truncated or with extra bytes are refused, not misread")
    func refused() throws {
        let good = ComparisonProfiles.stored(try ScoringTests.record(Self.rows[0]))
        #expect(ComparisonProfiles.isStoredFormat(good))
        var otherLayout = good
        otherLayout[0] ^= 1
        #expect(!ComparisonProfiles.isStoredFormat(otherLayout))
        #expect(ComparisonProfiles(stored: [good, otherLayout]) == nil)
        #expect(ComparisonProfiles(stored: [Array(good.dropLast())]) == nil)
        #expect(ComparisonProfiles(stored: [good + [0]]) == nil)
        #expect(ComparisonProfiles(stored: [Array(good.prefix(3))]) == nil)
        #expect(!ComparisonProfiles.isStoredFormat([]))
    }
}
