import Foundation
import Testing
import Tokenisation

/// Shared helpers for the CSV tests.
enum CSVFixture {
    struct Parsed: Equatable, Sendable {
        var header: [String]
        var rows: [CSVRow]
        var fields: [[String]] { rows.map(\.fields) }
    }

    static func parse(
        _ text: String,
        separator: Unicode.Scalar = ",",
        chunkSize: Int = CSVReader.defaultChunkSize,
        maxRowBytes: Int = CSVReader.defaultMaxRowBytes
    ) throws(CSVError) -> Parsed {
        try parse(bytes: Array(text.utf8), separator: separator, chunkSize: chunkSize, maxRowBytes: maxRowBytes)
    }

    static func parse(
        bytes: [UInt8],
        separator: Unicode.Scalar = ",",
        chunkSize: Int = CSVReader.defaultChunkSize,
        maxRowBytes: Int = CSVReader.defaultMaxRowBytes
    ) throws(CSVError) -> Parsed {
        var reader = try CSVReader(bytes: bytes, separator: separator, chunkSize: chunkSize, maxRowBytes: maxRowBytes)
        var rows: [CSVRow] = []
        while let row = try reader.next() { rows.append(row) }
        return Parsed(header: reader.header, rows: rows)
    }

    static func parse(path: String, chunkSize: Int = CSVReader.defaultChunkSize) throws(CSVError) -> Parsed {
        var reader = try CSVReader(path: path, chunkSize: chunkSize)
        var rows: [CSVRow] = []
        while let row = try reader.next() { rows.append(row) }
        return Parsed(header: reader.header, rows: rows)
    }

    /// A new empty folder for one test's files; remove it with `removeFolder`.
    static func makeFolder() throws -> String {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("mashlink-csv-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    static func removeFolder(_ folder: String) {
        try? FileManager.default.removeItem(atPath: folder)
    }

    static func permissions(of path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }
}

@Suite("CSV reader")
struct CSVReaderTests {
    @Test("header and rows, with spreadsheet row numbers and physical lines")
    func headerAndRows() throws {
        let parsed = try CSVFixture.parse("id,surname\n1,Smith\n2,Jones\n")
        #expect(parsed.header == ["id", "surname"])
        #expect(parsed.rows == [
            CSVRow(fields: ["1", "Smith"], number: 2, line: 2),
            CSVRow(fields: ["2", "Jones"], number: 3, line: 3),
        ])
    }

    @Test("LF, CRLF and lone CR line endings read alike", arguments: ["\n", "\r\n", "\r"])
    func lineEndings(newline: String) throws {
        let text = ["id,name", "1,Ann", "2,Bob"].joined(separator: newline) + newline
        let parsed = try CSVFixture.parse(text)
        #expect(parsed.header == ["id", "name"])
        #expect(parsed.rows == [
            CSVRow(fields: ["1", "Ann"], number: 2, line: 2),
            CSVRow(fields: ["2", "Bob"], number: 3, line: 3),
        ])
    }

    @Test("mixed line endings in one file, including CRLF split as CR then LF")
    func mixedLineEndings() throws {
        let parsed = try CSVFixture.parse("a,b\r\n1,2\n3,4\r5,6\r\n")
        #expect(parsed.fields == [["1", "2"], ["3", "4"], ["5", "6"]])
        #expect(parsed.rows.map(\.line) == [2, 3, 4])
    }

    @Test("a UTF-8 byte-order mark at the start is skipped; elsewhere it is data")
    func byteOrderMark() throws {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let parsed = try CSVFixture.parse(bytes: bom + Array("id,name\r\n1,\u{FEFF}x\r\n".utf8))
        #expect(parsed.header == ["id", "name"])
        #expect(parsed.header[0].unicodeScalars.count == 2)
        #expect(parsed.fields == [["1", "\u{FEFF}x"]])
        try #require(parsed.rows.count == 1)
        #expect(parsed.rows[0].problem == nil)
        // Without a BOM the first name is untouched.
        #expect(try CSVFixture.parse("id,name\n1,a\n").header == ["id", "name"])
    }

    @Test("a quoted field may hold the separator")
    func quotedComma() throws {
        let parsed = try CSVFixture.parse("id,name,town\n1,\"Smith, John\",\"Leeds,,\"\n")
        #expect(parsed.fields == [["1", "Smith, John", "Leeds,,"]])
        try #require(parsed.rows.count == 1)
        #expect(parsed.rows[0].problem == nil)
    }

    @Test("doubled quotes inside a quoted field are one quote")
    func escapedQuotes() throws {
        let parsed = try CSVFixture.parse("a,b,c\n\"say \"\"hi\"\"\",\"\"\"\"\"\",\"\"\"x\"\n")
        #expect(parsed.fields == [["say \"hi\"", "\"\"", "\"x"]])
        try #require(parsed.rows.count == 1)
        #expect(parsed.rows[0].problem == nil)
    }

    @Test("a quoted field spanning lines keeps its newlines; row numbers and lines advance correctly")
    func quotedNewlines() throws {
        let text = "id,notes\n1,\"line one\nline two\r\nline three\rfour\"\n2,x\n\n3,\"\"\n"
        let parsed = try CSVFixture.parse(text)
        #expect(parsed.rows == [
            CSVRow(fields: ["1", "line one\nline two\r\nline three\rfour"], number: 2, line: 2),
            CSVRow(fields: ["2", "x"], number: 3, line: 6),
            CSVRow(fields: ["3", ""], number: 5, line: 8),
        ])
    }

    @Test("empty fields, quoted or not, and a trailing separator")
    func emptyFields() throws {
        let parsed = try CSVFixture.parse("a,b,c\n,,\n\"\",,\"\"\nx,,\n,y,")
        #expect(parsed.fields == [["", "", ""], ["", "", ""], ["x", "", ""], ["", "y", ""]])
        #expect(parsed.rows.allSatisfy { $0.problem == nil })
    }

    @Test("a last row with or without a trailing newline reads the same")
    func trailingNewline() throws {
        let with = try CSVFixture.parse("a,b\n1,2\n3,4\n")
        let without = try CSVFixture.parse("a,b\n1,2\n3,4")
        let withCRLF = try CSVFixture.parse("a,b\r\n1,2\r\n3,4\r\n")
        let quotedWithout = try CSVFixture.parse("a,b\n1,2\n3,\"4\"")
        #expect(with == without)
        #expect(with == withCRLF)
        #expect(with == quotedWithout)
        #expect(with.fields == [["1", "2"], ["3", "4"]])
    }

    @Test("blank lines are skipped but count in row numbers and lines")
    func blankLines() throws {
        let parsed = try CSVFixture.parse("a,b\n\n1,2\n\r\n\r3,4\n\n\n")
        #expect(parsed.rows == [
            CSVRow(fields: ["1", "2"], number: 3, line: 3),
            CSVRow(fields: ["3", "4"], number: 6, line: 6),
        ])
    }

    @Test("blank lines before the header")
    func blankLinesBeforeHeader() throws {
        var reader = try CSVReader(bytes: Array("\n\r\nid\n7\n".utf8))
        #expect(reader.header == ["id"])
        #expect(reader.headerLine == 3)
        #expect(try reader.next() == CSVRow(fields: ["7"], number: 4, line: 4))
        #expect(try reader.next() == nil)
    }

    @Test("a line of spaces is a row, not a blank line")
    func whitespaceLineIsARow() throws {
        let parsed = try CSVFixture.parse("a,b\n  \n1,2\n")
        try #require(parsed.rows.count == 2)
        #expect(parsed.rows[0] == CSVRow(fields: ["  "], number: 2, line: 2,
                                         problem: .columnCount(expected: 2, actual: 1)))
        #expect(parsed.rows[1] == CSVRow(fields: ["1", "2"], number: 3, line: 3))
    }

    @Test("rows with the wrong number of fields are reported with their row number and the next rows still parse")
    func wrongColumnCount() throws {
        let parsed = try CSVFixture.parse("a,b,c\n1,2,3\n4,5\n\n6,7,8,9\n10,11,12\n")
        #expect(parsed.rows == [
            CSVRow(fields: ["1", "2", "3"], number: 2, line: 2),
            CSVRow(fields: ["4", "5"], number: 3, line: 3, problem: .columnCount(expected: 3, actual: 2)),
            CSVRow(fields: ["6", "7", "8", "9"], number: 5, line: 5, problem: .columnCount(expected: 3, actual: 4)),
            CSVRow(fields: ["10", "11", "12"], number: 6, line: 6),
        ])
    }

    static let invalidUTF8Sequences: [[UInt8]] = [
        [0x80],                    // lone continuation byte
        [0xC3],                    // truncated two-byte sequence
        [0xC0, 0xAF],              // overlong encoding of "/"
        [0xED, 0xA0, 0x80],        // UTF-16 surrogate
        [0xF4, 0x90, 0x80, 0x80],  // beyond U+10FFFF
        [0xF0, 0x9F, 0x98],        // truncated four-byte sequence (emoji without its last byte)
        [0xFF],                    // never valid
        [0xE9],                    // Latin-1 "é", the usual mistake
    ]

    @Test("invalid UTF-8 is reported with its column, and the stream goes on", arguments: invalidUTF8Sequences)
    func invalidUTF8(sequence: [UInt8]) throws {
        let bytes = Array("id,name,town\n1,Ab".utf8) + sequence + Array("c,Leeds\n2,Zoë,York\n".utf8)
        let parsed = try CSVFixture.parse(bytes: bytes)
        try #require(parsed.rows.count == 2)
        let bad = parsed.rows[0]
        #expect(bad.problem == .invalidUTF8(column: 1, name: "name"))
        #expect(bad.number == 2 && bad.line == 2)
        #expect(bad.fields[0] == "1" && bad.fields[2] == "Leeds")
        #expect(bad.fields[1].hasPrefix("Ab") && bad.fields[1].hasSuffix("c") && bad.fields[1].contains("\u{FFFD}"))
        #expect(parsed.rows[1] == CSVRow(fields: ["2", "Zoë", "York"], number: 3, line: 3))
    }

    @Test("valid multi-byte UTF-8 is not a problem")
    func validUTF8() throws {
        let parsed = try CSVFixture.parse("name,town\nZoë Ní Bhriain,Llanfair 👍🏽\n王秀英,\"København, DK\"\n")
        #expect(parsed.fields == [["Zoë Ní Bhriain", "Llanfair 👍🏽"], ["王秀英", "København, DK"]])
        #expect(parsed.rows.allSatisfy { $0.problem == nil })
    }

    @Test("only the first invalid column is reported")
    func firstInvalidColumn() throws {
        let bytes = Array("a,b,c\nx,".utf8) + [0xFF] + Array(",".utf8) + [0xFE] + Array("\n".utf8)
        let parsed = try CSVFixture.parse(bytes: bytes)
        try #require(parsed.rows.count == 1)
        #expect(parsed.rows[0].problem == .invalidUTF8(column: 1, name: "b"))
        #expect(parsed.rows[0].fields == ["x", "\u{FFFD}", "\u{FFFD}"])
    }

    @Test("a quoted field still open at the end of the file is reported")
    func unterminatedQuote() throws {
        let parsed = try CSVFixture.parse("id,notes\n1,ok\n2,\"never closed\n3,more\n")
        #expect(parsed.rows == [
            CSVRow(fields: ["1", "ok"], number: 2, line: 2),
            CSVRow(fields: ["2", "never closed\n3,more\n"], number: 3, line: 3,
                   problem: .unterminatedQuote(column: 1, name: "notes")),
        ])
    }

    @Test("a stray quote in an unquoted field, or text after a closing quote, is reported and kept literally")
    func strayQuote() throws {
        let parsed = try CSVFixture.parse("id,name\n1,O\"Brien\n2,\"Smith\"son\n3,ok\n4,a\"\"b\n")
        #expect(parsed.rows == [
            CSVRow(fields: ["1", "O\"Brien"], number: 2, line: 2, problem: .strayQuote(column: 1, name: "name")),
            CSVRow(fields: ["2", "Smithson"], number: 3, line: 3, problem: .strayQuote(column: 1, name: "name")),
            CSVRow(fields: ["3", "ok"], number: 4, line: 4),
            CSVRow(fields: ["4", "a\"\"b"], number: 5, line: 5, problem: .strayQuote(column: 1, name: "name")),
        ])
    }

    @Test("a space before an opening quote makes the quote stray (RFC 4180: spaces are data)")
    func spaceBeforeQuote() throws {
        let parsed = try CSVFixture.parse("a,b\n1, \"x,y\"\n")
        try #require(parsed.rows.count == 1)
        #expect(parsed.rows[0].problem == .strayQuote(column: 1, name: "b"))
    }

    @Test("problems are ranked: a stray quote outranks a wrong column count, which is the last resort")
    func problemPriority() throws {
        let parsed = try CSVFixture.parse("a,b,c\n1,x\"y\n")
        try #require(parsed.rows.count == 1)
        #expect(parsed.rows[0].problem == .strayQuote(column: 1, name: "b"))
        let extra = try CSVFixture.parse("a\n1,\"x\"y\n")
        try #require(extra.rows.count == 1)
        #expect(extra.rows[0].problem == .strayQuote(column: 1, name: nil))
    }

    @Test("a space before an opening quote in the header is a header problem")
    func headerSpaceBeforeQuote() {
        #expect(throws: CSVError.malformedHeader(line: 1, problem: .strayQuote(column: 2, name: nil))) {
            try CSVFixture.parse(" id ,\tSurname, \"given name \" \n1,2,3\n")
        }
    }

    @Test("header names are trimmed, data fields are not")
    func headerTrimmedDataNot() throws {
        let parsed = try CSVFixture.parse(" id ,\tSurname\u{00A0},\"given name \"\n 1 ,2,3\n")
        #expect(parsed.header == ["id", "Surname", "given name"])
        #expect(parsed.fields == [[" 1 ", "2", "3"]])
    }

    @Test("a duplicate header name is an error, also after trimming", arguments: [
        ("id,name,id\n1,2,3\n", "id"),
        ("name, name\n", "name"),
        ("a,,b,\n", ""),
    ])
    func duplicateHeader(text: String, name: String) {
        #expect(throws: CSVError.duplicateHeader(name)) { try CSVFixture.parse(text) }
    }

    @Test("an empty file, or one without a header row, is an error", arguments: [
        [UInt8](), Array("\n".utf8), Array("\r\n\n\r".utf8), [0xEF, 0xBB, 0xBF], [0xEF, 0xBB, 0xBF, 0x0A],
        Array(" \n".utf8), Array(",\"\"\n".utf8),
    ])
    func emptyFile(bytes: [UInt8]) {
        #expect(throws: CSVError.empty) { try CSVFixture.parse(bytes: bytes) }
    }

    @Test("a malformed header row is an error naming its line")
    func malformedHeader() {
        #expect(throws: CSVError.malformedHeader(line: 1, problem: .unterminatedQuote(column: 1, name: nil))) {
            try CSVFixture.parse("id,\"name\n1,2\n")
        }
        #expect(throws: CSVError.malformedHeader(line: 2, problem: .invalidUTF8(column: 0, name: nil))) {
            try CSVFixture.parse(bytes: [0x0A, 0xFF, 0x2C, 0x61, 0x0A])
        }
        #expect(throws: CSVError.malformedHeader(line: 1, problem: .strayQuote(column: 0, name: nil))) {
            try CSVFixture.parse("i\"d,name\n")
        }
    }

    @Test("a header-only file has no rows")
    func headerOnly() throws {
        let parsed = try CSVFixture.parse("id,name")
        #expect(parsed.header == ["id", "name"])
        #expect(parsed.rows.isEmpty)
    }

    @Test("the separator is configurable", arguments: [";", "\t", "|"] as [Unicode.Scalar])
    func separator(separator: Unicode.Scalar) throws {
        let s = String(separator)
        let text = "id\(s)name\n1\(s)\"a\(s)b, c\"\n2\(s)x,y\n"
        let parsed = try CSVFixture.parse(text, separator: separator)
        #expect(parsed.header == ["id", "name"])
        #expect(parsed.fields == [["1", "a\(s)b, c"], ["2", "x,y"]])
        #expect(parsed.rows.allSatisfy { $0.problem == nil })
    }

    @Test("next() keeps returning nil after the end")
    func nilAfterEnd() throws {
        var reader = try CSVReader(bytes: Array("a\n1".utf8))
        #expect(try reader.next()?.fields == ["1"])
        #expect(try reader.next() == nil)
        #expect(try reader.next() == nil)
    }

    @Test("a row longer than the limit is cut and reported; the next rows are fine")
    func rowTooLong() throws {
        let long = String(repeating: "x", count: 500)
        let parsed = try CSVFixture.parse("a,b\n1,\(long)\n2,ok\n", maxRowBytes: 100)
        try #require(parsed.rows.count == 2)
        #expect(parsed.rows[0].problem == .rowTooLong(limit: 100))
        #expect(parsed.rows[0].fields.count == 2)
        #expect(parsed.rows[0].fields[1].utf8.count < 100)
        #expect(parsed.rows[1] == CSVRow(fields: ["2", "ok"], number: 3, line: 3))
    }

    @Test("a row of very many fields is bounded too")
    func tooManyFields() throws {
        let parsed = try CSVFixture.parse("a\n" + String(repeating: ",", count: 10_000) + "\nz\n", maxRowBytes: 1_000)
        try #require(parsed.rows.count == 2)
        #expect(parsed.rows[0].problem == .rowTooLong(limit: 1_000))
        #expect(parsed.rows[0].fields.count < 100)
        #expect(parsed.rows[1].fields == ["z"])
    }

    @Test("an unclosed quote with a small limit keeps memory bounded and still reports the quote")
    func unterminatedQuoteBounded() throws {
        let rest = String(repeating: "3,more\n", count: 1_000)
        let parsed = try CSVFixture.parse("a,b\n1,ok\n2,\"open\n" + rest, maxRowBytes: 256)
        try #require(parsed.rows.count == 2)
        #expect(parsed.rows[1].problem == .unterminatedQuote(column: 1, name: "b"))
        #expect(parsed.rows[1].fields.joined().utf8.count <= 256)
    }

    @Test("reads a file by path, in tiny chunks too")
    func readsFile() throws {
        let folder = try CSVFixture.makeFolder()
        defer { CSVFixture.removeFolder(folder) }
        let path = folder + "/extract.csv"
        let text = "\u{FEFF}id,name\r\n1,\"Smith, J\"\r\n2,\"multi\r\nline\"\r\n3,Zoë"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let big = try CSVFixture.parse(path: path)
        #expect(big.header == ["id", "name"])
        #expect(big.fields == [["1", "Smith, J"], ["2", "multi\r\nline"], ["3", "Zoë"]])
        #expect(big.rows.map(\.line) == [2, 3, 5])
        for chunkSize in [1, 2, 3, 7] {
            #expect(try CSVFixture.parse(path: path, chunkSize: chunkSize) == big)
        }
    }

    @Test("a missing file or a folder is an I/O error that names the path")
    func fileErrors() throws {
        let folder = try CSVFixture.makeFolder()
        defer { CSVFixture.removeFolder(folder) }
        let missing = folder + "/missing.csv"
        do {
            _ = try CSVFixture.parse(path: missing)
            Issue.record("expected an error")
        } catch {
            guard case .io(let path, let reason) = error else { Issue.record("wrong error \(error)"); return }
            #expect(path == missing)
            #expect(reason.contains("no such file"))
        }
        do {
            _ = try CSVFixture.parse(path: folder)
            Issue.record("expected an error")
        } catch {
            guard case .io(let path, let reason) = error else { Issue.record("wrong error \(error)"); return }
            #expect(path == folder)
            #expect(reason.contains("folder"))
        }
    }
}
