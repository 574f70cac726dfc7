import Foundation
import Testing
import Tokenisation

@Suite("CSV large file")
struct CSVLargeFileTests {
    static let rowCount = 200_000

    static func fields(_ n: Int) -> [String] {
        [
            String(n),
            n % 7 == 0 ? "Zoë" : "Given\(n)",
            n % 10 == 0 ? "O'Neil, \"Jr\" \(n)" : "Surname\(n)",
            "19\(10 + n % 90)-0\(1 + n % 9)-1\(n % 10)",
            n % 1_000 == 0 ? "two\r\nlines" : "",
        ]
    }

    @Test("200,000 rows written to a file read back in full, one at a time")
    func twoHundredThousandRows() throws {
        let folder = try CSVFixture.makeFolder()
        defer { CSVFixture.removeFolder(folder) }
        let path = folder + "/large.csv"
        let writer = try CSVWriter(path: path, byteOrderMark: true)
        try writer.write(row: ["id", "given_name", "surname", "date_of_birth", "notes"])
        for n in 0..<Self.rowCount { try writer.write(row: Self.fields(n)) }
        try writer.close()

        var reader = try CSVReader(path: path)
        #expect(reader.header == ["id", "given_name", "surname", "date_of_birth", "notes"])
        var count = 0
        var problems = 0
        var mismatches = 0
        var line = 2
        var lineMismatches = 0
        while let row = try reader.next() {
            if row.problem != nil { problems += 1 }
            // Every row is checked against what was written; a few are also checked by value below.
            if row.fields != Self.fields(count) || row.number != count + 2 { mismatches += 1 }
            if row.line != line { lineMismatches += 1 }
            line += count % 1_000 == 0 ? 2 : 1
            switch count {
            case 0:
                #expect(row.fields == ["0", "Zoë", "O'Neil, \"Jr\" 0", "1910-01-10", "two\r\nlines"])
                #expect(row.number == 2 && row.line == 2)
            case 1:
                #expect(row.fields == ["1", "Given1", "Surname1", "1911-02-11", ""])
                #expect(row.number == 3 && row.line == 4)
            case Self.rowCount - 1:
                #expect(row.fields[0] == "199999" && row.fields[2] == "Surname199999")
                #expect(row.number == Self.rowCount + 1)
                #expect(row.line == Self.rowCount + 1 + Self.rowCount / 1_000)
            default:
                break
            }
            count += 1
        }
        #expect(count == Self.rowCount)
        #expect(problems == 0)
        #expect(mismatches == 0)
        #expect(lineMismatches == 0)
    }
}
