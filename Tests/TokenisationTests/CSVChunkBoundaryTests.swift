import Testing
import Tokenisation

/// Every input is read with tiny chunks (so every byte boundary falls between two reads: inside
/// a CRLF, a doubled quote, a UTF-8 sequence, the byte-order mark) and must give exactly what one
/// large chunk gives: the same header, fields, row numbers, lines, problems and errors.
@Suite("CSV chunk boundaries")
struct CSVChunkBoundaryTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: [UInt8]
        var maxRowBytes = CSVReader.defaultMaxRowBytes
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "plain LF", bytes: Array("id,name\n1,Ann\n2,Bob\n".utf8)),
        Case(name: "BOM and CRLF", bytes: [0xEF, 0xBB, 0xBF] + Array("id,name\r\n1,Ann\r\n2,Bob".utf8)),
        Case(name: "BOM only", bytes: [0xEF, 0xBB, 0xBF]),
        Case(name: "partial BOM is data", bytes: [0xEF, 0xBB] + Array("a\n1\n".utf8)),
        Case(name: "lone CR and CR at end", bytes: Array("a,b\r1,2\r\r3,4\r".utf8)),
        Case(name: "quoted newlines of every kind",
             bytes: Array("id,notes\r\n1,\"a\r\nb\nc\rd\r\"\r\n2,\"\r\"\n\n3,x".utf8)),
        Case(name: "escaped quotes everywhere",
             bytes: Array("a,b\n\"\"\"\",\"x\"\"\"\"y\"\n\"\"\"\"\"\",\"\"\n".utf8)),
        Case(name: "multi-byte UTF-8",
             bytes: Array("name,town\nZoë Ní Bhriain,👍🏽 Llanfair\n王秀英,\"København, 🇬🇧\"\n".utf8)),
        Case(name: "invalid UTF-8 inside valid text",
             bytes: Array("a,b\nZo".utf8) + [0xC3] + Array(",ok\n".utf8) + [0xF0, 0x9F, 0x98] + Array(",\"".utf8)
                + [0xE9] + Array("\"\nfine,row\n".utf8)),
        Case(name: "blank lines and wrong column counts",
             bytes: Array("a,b,c\n\n\r\n1,2\n\r\r\n4,5,6,7\n8,9,10".utf8)),
        Case(name: "stray quotes", bytes: Array("a,b\n1,x\"y\n\"q\"z,2\n3,\"ok\"\n".utf8)),
        Case(name: "unterminated quote", bytes: Array("a,b\n1,2\n3,\"open\r\n4,5\n".utf8)),
        Case(name: "unterminated quote after a doubled quote", bytes: Array("a,b\n3,\"open\"\"".utf8)),
        Case(name: "trailing separators and empty fields", bytes: Array("a,b,c\n,,\n\"\",,\"\"\nx,,".utf8)),
        Case(name: "row too long", bytes: Array(("a,b\n1," + String(repeating: "é", count: 40) + "\n2,ok\n").utf8),
             maxRowBytes: 41),
        Case(name: "empty file", bytes: []),
        Case(name: "blank lines only", bytes: Array("\r\n\n\r".utf8)),
        Case(name: "duplicate header", bytes: Array("id, id\r\n1,2\r\n".utf8)),
        Case(name: "malformed header", bytes: Array("id,\"name\n1,2".utf8)),
        Case(name: "header only, no newline", bytes: Array("id,name".utf8)),
        Case(name: "separator at a boundary inside quotes", bytes: Array("a,b\n\",\",\",,\"\n".utf8)),
    ]

    static func read(_ testCase: Case, chunkSize: Int) -> Result<CSVFixture.Parsed, CSVError> {
        Result { () throws(CSVError) -> CSVFixture.Parsed in
            try CSVFixture.parse(bytes: testCase.bytes, chunkSize: chunkSize, maxRowBytes: testCase.maxRowBytes)
        }
    }

    @Test("tiny chunks give the same result as one large chunk", arguments: cases, [1, 2, 3, 4, 5, 7, 13])
    func sameResult(testCase: Case, chunkSize: Int) {
        let expected = Self.read(testCase, chunkSize: 1 << 20)
        let actual = Self.read(testCase, chunkSize: chunkSize)
        #expect(actual == expected)
    }

    @Test("the cases really exercise rows, problems and errors")
    func casesAreMeaningful() throws {
        // Guards against the comparison above passing because everything fails the same way.
        let results = Self.cases.map { Self.read($0, chunkSize: 1 << 20) }
        let rows = results.compactMap { try? $0.get() }.flatMap(\.rows)
        #expect(rows.count >= 25)
        #expect(rows.contains { $0.problem == nil })
        #expect(rows.contains { if case .invalidUTF8 = $0.problem { true } else { false } })
        #expect(rows.contains { if case .strayQuote = $0.problem { true } else { false } })
        #expect(rows.contains { if case .unterminatedQuote = $0.problem { true } else { false } })
        #expect(rows.contains { if case .columnCount = $0.problem { true } else { false } })
        #expect(rows.contains { if case .rowTooLong = $0.problem { true } else { false } })
        #expect(results.filter { if case .failure = $0 { true } else { false } }.count == 6)
        // Spot-check one multi-line case by value.
        let quoted = try Self.read(Self.cases[5], chunkSize: 1 << 20).get()
        #expect(quoted.rows == [
            CSVRow(fields: ["1", "a\r\nb\nc\rd\r"], number: 2, line: 2),
            CSVRow(fields: ["2", "\r"], number: 3, line: 7),
            CSVRow(fields: ["3", "x"], number: 5, line: 10),
        ])
    }
}
