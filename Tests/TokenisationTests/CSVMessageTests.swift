import Foundation
import Testing
@testable import Tokenisation

/// Messages go to screens and logs, so they must never carry a field value (personal data).
@Suite("CSV messages")
struct CSVMessageTests {
    /// Values that stand for personal data; none may appear in any message.
    static let secrets = ["Smythe-Secret", "Ζωή", "1984-02-29", "SW1A2AA", "9434765919", "Flat 7b"]

    @Test("row problems never include field values, and name the column and what to do")
    func rowProblemsHaveNoFieldValues() throws {
        let s = Self.secrets
        var bytes = Array("nhs_number,surname,given_name,dob,postcode\n".utf8)
        bytes += Array("\(s[4]),\(s[0]),\(s[1]),\(s[2])\n".utf8)                                 // too few
        bytes += Array("\(s[4]),\(s[0]),\(s[1]),\(s[2]),\(s[3]),\(s[5])\n".utf8)                 // too many
        bytes += Array("\(s[4]),\(s[0])".utf8) + [0xFF] + Array(",\(s[1]),\(s[2]),\(s[3])\n".utf8) // bad UTF-8
        bytes += Array("\(s[4]),\(s[0])\"x,\(s[1]),\(s[2]),\(s[3])\n".utf8)                      // stray quote
        bytes += Array("\(s[4]),\(s[0]),\(s[1]),\(s[2]),\(s[3])\(String(repeating: "z", count: 300))\n".utf8) // too long
        bytes += Array("\(s[4]),\(s[0]),\"\(s[1]),\(s[2]),\(s[3])\n".utf8)                       // unterminated
        var reader = try CSVReader(bytes: bytes, maxRowBytes: 250)
        var problems: [CSVRowProblem] = []
        while let row = try reader.next() {
            guard let problem = row.problem else { Issue.record("row \(row.number) should have a problem"); continue }
            problems.append(problem)
            let message = problem.description
            for value in Self.secrets + row.fields.filter({ $0.count >= 4 }) {
                #expect(!message.contains(value), "message for row \(row.number) leaks a field value")
            }
        }
        try #require(problems == [
            .columnCount(expected: 5, actual: 4),
            .columnCount(expected: 5, actual: 6),
            .invalidUTF8(column: 1, name: "surname"),
            .strayQuote(column: 1, name: "surname"),
            .rowTooLong(limit: 250),
            .unterminatedQuote(column: 2, name: "given_name"),
        ])
        #expect(problems[0].description.contains("4 fields") && problems[0].description.contains("5 columns"))
        #expect(problems[2].description.contains("column 2 (B, \"surname\")"))
        #expect(problems[2].description.contains("UTF-8"))
        #expect(problems[5].description.contains("column 3 (C, \"given_name\")"))
        for problem in problems {
            let message = problem.description
            #expect(["export", "check", "correct", "add"].contains { message.lowercased().contains($0) },
                    "message should say what to do: \(message)")
        }
    }

    @Test("file-level errors never include field values")
    func errorsHaveNoFieldValues() throws {
        let s = Self.secrets
        let errors: [CSVError] = [
            Self.error(reading: []),
            Self.error(reading: Array("\"\(s[0]),\(s[1])\n".utf8)),
            Self.error(reading: Array("\(s[0])".utf8) + [0xC3] + Array(",x\n".utf8)),
            Self.error(reading: Array("id,na\"me,\(s[2])\n".utf8)),
            Self.error(reading: Array("id,id\n\(s[3]),\(s[4])\n".utf8)),
        ]
        if case .malformedHeader(let line, .unterminatedQuote) = errors[1] { #expect(line == 1) } else {
            Issue.record("unexpected \(errors[1])")
        }
        for error in errors {
            for value in s { #expect(!error.description.contains(value)) }
        }
        #expect(errors[4].description.contains("\"id\""))
        #expect(CSVError.duplicateHeader("").description.contains("without a name"))
    }

    @Test("an I/O error names the path and the cause, nothing else")
    func ioMessage() {
        let message = CSVError.io(path: "/data/extract.csv", reason: "no such file; check the path").description
        #expect(message == "/data/extract.csv: no such file; check the path")
    }

    @Test("columns are shown 1-based with their spreadsheet letter", arguments: [
        (0, "A"), (1, "B"), (25, "Z"), (26, "AA"), (27, "AB"), (51, "AZ"), (52, "BA"), (701, "ZZ"), (702, "AAA"),
    ])
    func spreadsheetLetters(index: Int, letters: String) {
        #expect(csvSpreadsheetColumnLetters(index) == letters)
        #expect(csvColumnLabel(index, nil) == "column \(index + 1) (\(letters))")
    }

    static func error(reading bytes: [UInt8]) -> CSVError {
        do {
            _ = try CSVFixture.parse(bytes: bytes)
            Issue.record("expected an error")
            return .empty
        } catch {
            return error
        }
    }
}
