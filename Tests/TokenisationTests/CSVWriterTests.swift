import Foundation
import Testing
import Tokenisation

@Suite("CSV writer")
struct CSVWriterTests {
    @Test("fields are quoted only when they contain the separator, a quote, CR or LF")
    func quoting() {
        let line = CSVWriter.encode(row: ["plain", "a,b", "say \"hi\"", "line\nbreak", "cr\rx", "", " spaced ", "Zoë"])
        #expect(line == "plain,\"a,b\",\"say \"\"hi\"\"\",\"line\nbreak\",\"cr\rx\",, spaced ,Zoë\n")
        #expect(CSVWriter.encode(row: ["a;b", "c,d"], separator: ";") == "\"a;b\";c,d\n")
    }

    @Test("a row of one empty field (or none) is written as \"\" so it is not read back as a blank line")
    func emptyRow() {
        #expect(CSVWriter.encode(row: [""]) == "\"\"\n")
        #expect(CSVWriter.encode(row: []) == "\"\"\n")
        #expect(CSVWriter.encode(row: ["", ""]) == ",\n")
    }

    static let awkwardRows: [[String]] = [
        ["\u{FEFF}starts with a BOM", "x"],
        ["", ""],
        [""],
        ["\"", "\"\""],
        ["a,b", "c\r\nd"],
        ["\r", "\n"],
        ["Zoë Ní Bhriain", "王秀英 👍🏽"],
        ["trailing space ", " leading"],
        ["O'Neil", "=1+1"],
    ]

    @Test("whatever the writer writes, the reader reads back unchanged")
    func roundTrip() throws {
        let folder = try CSVFixture.makeFolder()
        defer { CSVFixture.removeFolder(folder) }
        let path = folder + "/out.csv"
        let writer = try CSVWriter(path: path)
        for row in Self.awkwardRows { try writer.write(row: row) }
        try writer.close()

        var reader = try CSVReader(path: path)
        #expect(reader.header == Self.awkwardRows[0].map { $0.trimmingCharacters(in: .whitespaces) })
        #expect(reader.header[0].unicodeScalars.first == "\u{FEFF}")
        var read: [[String]] = []
        while let row = try reader.next() { read.append(row.fields) }
        #expect(read == Array(Self.awkwardRows.dropFirst()))
    }

    @Test("a byte-order mark can be written first; the reader skips it")
    func byteOrderMark() throws {
        let folder = try CSVFixture.makeFolder()
        defer { CSVFixture.removeFolder(folder) }
        let path = folder + "/bom.csv"
        let writer = try CSVWriter(path: path, byteOrderMark: true)
        try writer.write(row: ["id", "name"])
        try writer.write(row: ["1", "Zoë"])
        try writer.close()
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF, UInt8(ascii: "i")]))
        let parsed = try CSVFixture.parse(path: path)
        #expect(parsed.header == ["id", "name"])
        #expect(parsed.fields == [["1", "Zoë"]])
    }

    @Test("the file is created with mode 0600 by default, whatever the umask allows")
    func permissions() throws {
        let folder = try CSVFixture.makeFolder()
        defer { CSVFixture.removeFolder(folder) }
        let path = folder + "/private.csv"
        let writer = try CSVWriter(path: path)
        try writer.close()
        #expect(try CSVFixture.permissions(of: path) == 0o600)
        let publicPath = folder + "/public.csv"
        try CSVWriter(path: publicPath, permissions: 0o640).close()
        #expect(try CSVFixture.permissions(of: publicPath) == 0o640)
    }

    @Test("an existing file is never overwritten unless asked, and a replacement gets mode 0600")
    func existingFile() throws {
        let folder = try CSVFixture.makeFolder()
        defer { CSVFixture.removeFolder(folder) }
        let path = folder + "/exists.csv"
        try Data("old\n".utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        do {
            _ = try CSVWriter(path: path)
            Issue.record("expected an error")
        } catch {
            guard case .io(let errorPath, let reason) = error else { Issue.record("wrong error \(error)"); return }
            #expect(errorPath == path)
            #expect(reason.contains("already exists"))
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")

        let writer = try CSVWriter(path: path, replacingExisting: true)
        try writer.write(row: ["new"])
        try writer.close()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new\n")
        #expect(try CSVFixture.permissions(of: path) == 0o600)
    }

    @Test("a missing folder is an I/O error")
    func missingFolder() throws {
        let folder = try CSVFixture.makeFolder()
        defer { CSVFixture.removeFolder(folder) }
        #expect(throws: CSVError.self) { try CSVWriter(path: folder + "/no/such/folder.csv") }
    }

    @Test("writes are buffered until flush or close; writing after close is an error; close twice is fine")
    func bufferingAndClose() throws {
        let folder = try CSVFixture.makeFolder()
        defer { CSVFixture.removeFolder(folder) }
        let path = folder + "/buffered.csv"
        let writer = try CSVWriter(path: path)
        try writer.write(row: ["a", "b"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).isEmpty)
        try writer.flush()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "a,b\n")
        try writer.close()
        try writer.close()
        #expect(throws: CSVError.self) { try writer.write(row: ["c"]) }
    }

    @Test("a large output crosses the buffer threshold intact")
    func largeOutput() throws {
        let folder = try CSVFixture.makeFolder()
        defer { CSVFixture.removeFolder(folder) }
        let path = folder + "/large.csv"
        let writer = try CSVWriter(path: path)
        try writer.write(row: ["n", "text"])
        for n in 0..<20_000 { try writer.write(row: [String(n), "value, \"\(n)\""]) }
        try writer.close()
        let parsed = try CSVFixture.parse(path: path)
        #expect(parsed.rows.count == 20_000)
        #expect(parsed.rows[12_345].fields == ["12345", "value, \"12345\""])
        #expect(parsed.rows.allSatisfy { $0.problem == nil })
    }
}

@Suite("Rejects file")
struct CSVRejectsTests {
    @Test("rejects round-trip: row number, reason and original fields come back through CSVReader")
    func roundTrip() throws {
        let folder = try CSVFixture.makeFolder()
        defer { CSVFixture.removeFolder(folder) }
        let extract = Array("id,name,town\n1,\"Smith, J\",Leeds\n2,Short\n3,O\"Brien,\"York\nNorth\"\n4,Zo".utf8)
            + [0xC3] + Array(",Hull\n5,a,b,c,d\n6,\"Never,closed\n".utf8)
        var reader = try CSVReader(bytes: extract)
        let rejectsPath = folder + "/rejects.csv"
        let rejects = try RejectsWriter(path: rejectsPath, extractHeader: reader.header)
        var rejected: [CSVRow] = []
        var accepted: [CSVRow] = []
        while let row = try reader.next() {
            if row.problem != nil {
                try rejects.write(row)
                rejected.append(row)
            } else {
                accepted.append(row)
            }
        }
        // The caller may reject a clean row for its own reason.
        try #require(accepted.count == 1)
        try rejects.write(accepted[0], reason: "date of birth is not a date")
        try rejects.close()
        #expect(rejects.count == 6)
        #expect(rejected.map(\.number) == [3, 4, 5, 6, 7])
        #expect(try CSVFixture.permissions(of: rejectsPath) == 0o600)

        let back = try CSVFixture.parse(path: rejectsPath)
        #expect(back.header == ["row", "reason", "id", "name", "town"])
        try #require(back.rows.count == 6)
        let expectedReasons = rejected.map { $0.problem!.description } + ["date of birth is not a date"]
        #expect(back.rows.map { $0.fields[1] } == expectedReasons)
        #expect(back.rows.map { $0.fields[0] } == ["3", "4", "5", "6", "7", "2"])
        // Short rows are padded to the header; long rows keep every field.
        #expect(back.rows[0].fields == ["3", expectedReasons[0], "2", "Short", ""])
        #expect(back.rows[1].fields == ["4", expectedReasons[1], "3", "O\"Brien", "York\nNorth"])
        #expect(back.rows[2].fields == ["5", expectedReasons[2], "4", "Zo\u{FFFD}", "Hull"])
        #expect(back.rows[3].fields == ["6", expectedReasons[3], "5", "a", "b", "c", "d"])
        #expect(back.rows[3].problem == .columnCount(expected: 5, actual: 7))
        #expect(back.rows[4].fields == ["7", expectedReasons[4], "6", "Never,closed\n", ""])
        #expect(back.rows[5].fields == ["2", "date of birth is not a date", "1", "Smith, J", "Leeds"])
        #expect(back.rows.enumerated().allSatisfy { $0.offset == 3 || $0.element.problem == nil })
    }

    @Test("the rejects file starts with a byte-order mark so Excel shows names correctly")
    func byteOrderMark() throws {
        let folder = try CSVFixture.makeFolder()
        defer { CSVFixture.removeFolder(folder) }
        let path = folder + "/rejects.csv"
        let rejects = try RejectsWriter(path: path, extractHeader: ["id"])
        try rejects.close()
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(bytes == [0xEF, 0xBB, 0xBF] + Array("row,reason,id\n".utf8))
    }

    @Test("extract columns called row or reason are renamed so the rejects header stays unique")
    func headerCollision() throws {
        let folder = try CSVFixture.makeFolder()
        defer { CSVFixture.removeFolder(folder) }
        let path = folder + "/rejects.csv"
        let rejects = try RejectsWriter(path: path, extractHeader: ["row", "reason", "row (original)", "name"])
        #expect(rejects.header == ["row", "reason", "row (original)", "reason (original)",
                                   "row (original) (original)", "name"])
        try rejects.write(CSVRow(fields: ["1", "2", "3", "4"], number: 9, line: 12), reason: "test")
        try rejects.close()
        let back = try CSVFixture.parse(path: path)
        #expect(back.header == rejects.header)
        #expect(back.fields == [["9", "test", "1", "2", "3", "4"]])
    }

    @Test("the rejects file is not overwritten unless asked")
    func noOverwrite() throws {
        let folder = try CSVFixture.makeFolder()
        defer { CSVFixture.removeFolder(folder) }
        let path = folder + "/rejects.csv"
        try RejectsWriter(path: path, extractHeader: ["a"]).close()
        #expect(throws: CSVError.self) { try RejectsWriter(path: path, extractHeader: ["a"]) }
        try RejectsWriter(path: path, extractHeader: ["b"], replacingExisting: true).close()
        #expect(try CSVFixture.parse(path: path).header == ["row", "reason", "b"])
    }
}
