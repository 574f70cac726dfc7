import Foundation
import LinkCrypto
import Normalisation
import Testing
@testable import Tokenisation

@Suite("Tokenising an extract into a signed batch")
struct BatchTests {
    /// A synthetic extract (invented people) with one row of each rejection kind.
    static let extract = """
        record_id,forename,surname,date_of_birth,sex,address_line_1,postcode,nhs_number,cp_notes\r
        P1,Oliver,Smith,12/03/2012,M,14 High Street,SW1A 1AA,9434765919,s47 strategy\r
        P2,Amelia,O'Brien,03-Feb-2009,F,"Flat 2, 7 Church Rd",M1 4BT,,\r
        P3,Kate,Williams,30/02/2015,F,3 Queens Gdns,CF10 1AA,,\r
        P4,Jack,Taylor,15/06/2011,M,1 Kings Cres,NE1 7RU,1234567890,\r
        P5,,,,,,,,\r
        P6,Tom,Short\r
        P7,Muhammad,Khan,21/07/2015,M,22A Station Rd,b152tt,,\r

        """

    struct Fixture {
        let dir: URL
        let options: TokeniseOptions
        let hub: X25519.PrivateKey
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
    }

    static func fixture(invalidValues: InvalidValuePolicy = .rejectRow) throws -> Fixture {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mashlink-batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(extract.utf8).write(to: dir.appendingPathComponent("extract.csv"))
        let hub = X25519.PrivateKey()
        let header = ["record_id", "forename", "surname", "date_of_birth", "sex", "address_line_1", "postcode", "nhs_number", "cp_notes"]
        var schema = SchemaSuggestion.suggest(header: header)
        schema.invalidValues = invalidValues
        let options = TokeniseOptions(
            agency: "police", schema: schema, linkageKey: .generate(),
            signingKey: Ed25519.PrivateKey(), hubReleaseKey: hub.publicKey, batchDate: CalendarDate(year: 2026, month: 11, day: 23)!)
        return Fixture(dir: dir, options: options, hub: hub)
    }

    @Test("every row lands in the batch or the rejects file, with row numbers and reasons")
    func summaryAndRejects() throws {
        let f = try Self.fixture()
        defer { try? FileManager.default.removeItem(at: f.dir) }
        var reported: [Int] = []
        let summary = try Tokeniser.run(
            inputPath: f.path("extract.csv"), batchPath: f.path("batch.mlb"), rejectsPath: f.path("rejects.csv"), options: f.options,
            progress: { reported.append($0) })
        #expect(summary.read == 7 && summary.tokenised == 3 && summary.rejected == 4)
        #expect(reported.last == 7)
        // The agency's reference map: header plus one line per tokenised row.
        let refs = try String(contentsOfFile: summary.referencesPath, encoding: .utf8).split(separator: "\n")
        #expect(refs.count == 4 && refs[0] == "record_id,reference" && refs[1].hasPrefix("P1,"))
        #expect(summary.description == "read 7, tokenised 3, rejected 4 → \(f.path("rejects.csv"))")

        var rejects = try CSVReader(path: f.path("rejects.csv"))
        var rows: [(String, String, String)] = []
        while let row = try rejects.next() { rows.append((row.fields[0], row.fields[1], row.fields[2])) }
        #expect(rows.map(\.0) == ["4", "5", "6", "7"])
        #expect(rows.map(\.2) == ["P3", "P4", "P5", "P6"])
        #expect(rows[0].1.contains("date of birth") && rows[1].1.contains("NHS") && rows[2].1.contains("no usable identifier"))

        let reader = try BatchReader(path: f.path("batch.mlb"), expectedSigner: f.options.signingKey.publicKey)
        var records: [EncodedRecord] = []
        while let r = try reader.next() { records.append(r) }
        #expect(records.count == 3)
        #expect(reader.contentDigest == summary.contentDigest)
        #expect(reader.header.agency == "police" && reader.header.linkageKeyID == f.options.linkageKey.keyID)
        #expect(reader.header.schemaDigest == f.options.schema.digest)
        #expect(records[0].payload[.cp] != nil)
    }

    @Test("under omitField, rows with an invalid date of birth or NHS number are in the batch and listed in the rejects file")
    func omitField() throws {
        let f = try Self.fixture(invalidValues: .omitField)
        defer { try? FileManager.default.removeItem(at: f.dir) }
        let summary = try Tokeniser.run(
            inputPath: f.path("extract.csv"), batchPath: f.path("batch.mlb"), rejectsPath: f.path("rejects.csv"), options: f.options)
        #expect(summary.read == 7 && summary.tokenised == 5 && summary.tokenisedWithout == 2 && summary.rejected == 2)
        #expect(summary.description == "read 7, tokenised 5 (2 without an invalid value), rejected 2 → \(f.path("rejects.csv"))")
        var rejects = try CSVReader(path: f.path("rejects.csv"))
        var rows: [(String, String)] = []
        while let row = try rejects.next() { rows.append((row.fields[0], row.fields[1])) }
        #expect(rows.map(\.0) == ["4", "5", "6", "7"])
        #expect(rows[0].1.hasPrefix("tokenised without the date of birth") && rows[1].1.hasPrefix("tokenised without the NHS number"))
        #expect(!rows[2].1.hasPrefix("tokenised without") && !rows[3].1.hasPrefix("tokenised without"))
        let reader = try BatchReader(path: f.path("batch.mlb"), expectedSigner: f.options.signingKey.publicKey)
        var records: [EncodedRecord] = []
        while let r = try reader.next() { records.append(r) }
        #expect(records.count == 5)
        // P3's impossible date and P4's failed check digit are left out; only P1 then has an NHS number.
        #expect(records.filter { $0.tokens[TokenName.dob] == nil }.count == 1 && records.filter { $0.tokens[TokenName.nhs] != nil }.count == 1)
    }

    @Test("no identifier from the extract appears anywhere in the batch")
    func noIdentifiers() throws {
        let f = try Self.fixture()
        defer { try? FileManager.default.removeItem(at: f.dir) }
        _ = try Tokeniser.run(
            inputPath: f.path("extract.csv"), batchPath: f.path("batch.mlb"), rejectsPath: f.path("rejects.csv"), options: f.options)
        let batch = try String(contentsOfFile: f.path("batch.mlb"), encoding: .utf8)
        // Every input value, as typed and as normalised, of five or more characters (shorter strings turn
        // up by chance inside base64; 5 characters do so with probability about 1e-5 in a batch this size).
        let values = [
            "Oliver", "oliver", "Smith", "smith", "O'Brien", "obrien", "Amelia", "amelia", "Muhammad", "muhammad",
            "Williams", "williams", "SW1A 1AA", "sw1a1aa", "SW1A1AA", "9434765919", "12/03/2012", "20120312", "2012-03-12",
            "14 High Street", "high street", "Church Rd", "church road", "s47 strategy", "b152tt", "B152TT",
        ]
        for value in values { #expect(!batch.contains(value), "found an input value in the batch") }
        // Record ids would appear as whole JSON strings.
        for id in ["P1", "P2", "P7"] { #expect(!batch.contains("\"\(id)\""), "found a record id in the batch") }
    }

    @Test("altered, truncated, extended or wrongly signed batches are refused")
    func tamper() throws {
        let f = try Self.fixture()
        defer { try? FileManager.default.removeItem(at: f.dir) }
        _ = try Tokeniser.run(
            inputPath: f.path("extract.csv"), batchPath: f.path("batch.mlb"), rejectsPath: f.path("rejects.csv"), options: f.options)
        let original = try String(contentsOfFile: f.path("batch.mlb"), encoding: .utf8)
        var lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)

        func readAll(_ text: String, signer: Ed25519.PublicKey? = nil) throws {
            let p = f.path("variant-\(UUID().uuidString).mlb")
            try Data(text.utf8).write(to: URL(fileURLWithPath: p))
            let reader = try BatchReader(path: p, expectedSigner: signer ?? f.options.signingKey.publicKey)
            while try reader.next() != nil {}
        }

        try readAll(original)
        // A record changed but still well formed: a child relabelled as an adult.
        var altered = lines
        altered[1] = lines[1].replacingOccurrences(of: "\"age\":\"child\"", with: "\"age\":\"adult\"")
        #expect(altered[1] != lines[1])
        #expect(catchError { try readAll(altered.joined(separator: "\n")) }?.contains("altered after signing") == true)
        // A dropped record.
        var dropped = lines
        dropped.remove(at: 2)
        #expect(catchError { try readAll(dropped.joined(separator: "\n")) }?.contains("altered") == true)
        // No trailer.
        let truncated = lines.prefix(lines.count - 2).joined(separator: "\n") + "\n"
        #expect(catchError { try readAll(truncated) }?.contains("truncated") == true)
        // Another agency's key.
        #expect(catchError { try readAll(original, signer: Ed25519.PrivateKey().publicKey) }?.contains("registered with key") == true)
        // Data after the trailer.
        lines.append("{}")
        #expect(catchError { try readAll(lines.joined(separator: "\n")) }?.contains("after the trailer") == true)
    }

    @Test("a flipped bit at any byte of the batch fails verification")
    func everyByte() throws {
        let f = try Self.fixture()
        defer { try? FileManager.default.removeItem(at: f.dir) }
        _ = try Tokeniser.run(
            inputPath: f.path("extract.csv"), batchPath: f.path("batch.mlb"), rejectsPath: f.path("rejects.csv"), options: f.options)
        let original = try Array(Data(contentsOf: URL(fileURLWithPath: f.path("batch.mlb"))))
        let path = f.path("flipped.mlb")
        var accepted: [Int] = []
        for i in original.indices {
            var bytes = original
            bytes[i] ^= 0x01
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                let reader = try BatchReader(path: path, expectedSigner: f.options.signingKey.publicKey)
                while try reader.next() != nil {}
                accepted.append(i)
            } catch {}
        }
        print("batch bit-flip test: \(original.count) positions flipped, \(accepted.count) accepted")
        #expect(accepted.isEmpty, "flips accepted at \(accepted.prefix(10))")
        #expect(original.count > 1000)
    }

    @Test("a whole input that yields nothing is an error and leaves no batch")
    func unusable() throws {
        let f = try Self.fixture()
        defer { try? FileManager.default.removeItem(at: f.dir) }
        try Data("record_id,forename,surname,date_of_birth,sex,address_line_1,postcode,nhs_number,cp_notes\nP1,,,,,,,,\n".utf8)
            .write(to: URL(fileURLWithPath: f.path("empty.csv")))
        #expect(throws: TokenisationError.self) {
            try Tokeniser.run(inputPath: f.path("empty.csv"), batchPath: f.path("b.mlb"), rejectsPath: f.path("r.csv"), options: f.options)
        }
        #expect(!FileManager.default.fileExists(atPath: f.path("b.mlb")))
        #expect(!FileManager.default.fileExists(atPath: f.path("b.mlb.partial")))
        #expect(FileManager.default.fileExists(atPath: f.path("r.csv")))
    }

    func catchError(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch { return String(describing: error) }
    }
}

@Suite("Record line serialisation")
struct RecordLineTests {
    @Test("the hand-written record line is exactly JSONEncoder's sorted-keys form and decodes back")
    func canonical() throws {
        let hub = X25519.PrivateKey()
        let sealer = try PayloadSealer(tiers: [.cp, .cin], hubReleaseKey: hub.publicKey, agency: "a", batchID: "b")
        let header = ["id", "forename", "surname", "dob", "postcode", "cin_notes", "cp_notes"]
        let encoder = try RecordEncoder(
            schema: SchemaSuggestion.suggest(header: header), header: header, key: .generate(), sealer: sealer,
            batchDate: CalendarDate(year: 2026, month: 11, day: 23)!)
        for row in [["1", "Bill", "Jones-Evans", "01/12/1958", "LS1 1UR", "x", "y"], ["2", "Ann", "", "", "", "", ""]] {
            let record = try encoder.encode(row).get()
            var line: [UInt8] = []
            RecordLine.serialise(record, into: &line)
            let e = JSONEncoder()
            e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            #expect(line == Array(try e.encode(RecordLine(record))) + [0x0a])
            let decoded = try JSONDecoder().decode(RecordLine.self, from: Data(line)).record(bloomBits: 1024, lineNumber: 2)
            #expect(decoded == record)
        }
    }
}

@Suite("Referral queries")
struct QueryTests {
    @Test("a query encodes like a batch record, is signed, and is refused where a batch is expected")
    func query() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mashlink-query-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = LinkageKey.generate(), signer = Ed25519.PrivateKey()
        let date = CalendarDate(year: 2026, month: 11, day: 23)!
        let header = ["id", "forename", "surname", "dob", "postcode"]
        let batchEncoder = try RecordEncoder(
            schema: SchemaSuggestion.suggest(header: header), header: header, key: key, sealer: nil, batchDate: date)
        let stored = try batchEncoder.encode(["L1", "William", "OBrien", "2012-03-12", "sw1a1aa"]).get()

        let path = dir.appendingPathComponent("q.mlq").path
        let query = try QueryTokeniser.write(
            subject: [.givenName: "Bill", .surname: "O'Brien", .dateOfBirth: "12/03/2012", .postcode: "SW1A 1AA"], to: path,
            agency: "csc", schema: SchemaSuggestion.suggest(header: header), linkageKey: key, signingKey: signer, date: date)
        #expect(query.tokens[TokenName.surname] == stored.tokens[TokenName.surname])
        #expect(query.tokens[TokenName.dob] == stored.tokens[TokenName.dob])
        #expect(query.tokens[TokenName.postcode] == stored.tokens[TokenName.postcode])
        #expect(query.tokens[TokenName.givenCanonical] == stored.tokens[TokenName.givenCanonical])
        #expect(query.payload.isEmpty)

        let reader = try BatchReader(path: path, expectedSigner: signer.publicKey, format: BatchHeader.queryFormatName)
        #expect(try reader.next() == query)
        #expect(try reader.next() == nil)
        #expect(reader.header.fieldDigests["surname"] == SchemaSuggestion.suggest(header: header).fieldDigests["surname"])
        #expect(throws: TokenisationError.self) { try BatchReader(path: path, expectedSigner: signer.publicKey) }
        #expect(throws: TokenisationError.self) {
            try QueryTokeniser.write(
                subject: [.surname: "Smith", .dateOfBirth: "30/02/2015"], to: dir.appendingPathComponent("bad.mlq").path,
                agency: "csc", schema: SchemaSuggestion.suggest(header: header), linkageKey: key, signingKey: signer, date: date)
        }
    }

}

@Suite("Reading batch lines fast")
struct CanonicalLineTests {
    @Test("the fast line parser reads exactly what JSONDecoder reads, and anything else falls back to it")
    func canonicalParser() throws {
        let f = try BatchTests.fixture()
        defer { try? FileManager.default.removeItem(at: f.dir) }
        _ = try Tokeniser.run(inputPath: f.path("extract.csv"), batchPath: f.path("batch.mlb"), rejectsPath: f.path("rejects.csv"), options: f.options)
        let lines = try String(contentsOfFile: f.path("batch.mlb"), encoding: .utf8).split(separator: "\n").dropFirst().dropLast()
        #expect(lines.count == 3)
        for line in lines {
            let bytes = Array(line.utf8)
            let fast = try #require(RecordLine(canonical: bytes[...]))
            let slow = try JSONDecoder().decode(RecordLine.self, from: Data(bytes))
            let a = try fast.record(bloomBits: 1024, lineNumber: 1), b = try slow.record(bloomBits: 1024, lineNumber: 1)
            #expect(a == b)
            // The one-pass decoder builds the same record straight from the bytes, and refuses what is not canonical.
            #expect(CanonicalRecordDecoder.decode(bytes[...], bloomBits: 1024) == b)
            #expect(CanonicalRecordDecoder.decode(bytes[...], bloomBits: 512) == nil, "filters of another length")
            #expect(CanonicalRecordDecoder.decode(Array(line.replacingOccurrences(of: ",\"ref\":", with: ", \"ref\":").utf8)[...], bloomBits: 1024) == nil)
            #expect(CanonicalRecordDecoder.decode(bytes.dropLast(), bloomBits: 1024) == nil)
            // A base64 value with a character outside the alphabet, or cut short, is refused.
            let token = try #require(line.range(of: "[\"")).upperBound
            var broken = Array(line.utf8)
            broken[line.utf8.distance(from: line.utf8.startIndex, to: token)] = UInt8(ascii: "*")
            #expect(CanonicalRecordDecoder.decode(broken[...], bloomBits: 1024) == nil)
            // A last digit before the padding whose unused bits are set decodes to the same bytes
            // in a lax decoder: refused, so a record has one encoding.
            if let pad = line.range(of: #"=="]"#) {
                var lax = Array(line.utf8)
                let at = line.utf8.distance(from: line.utf8.startIndex, to: pad.lowerBound) - 1
                lax[at] = lax[at] == UInt8(ascii: "B") ? UInt8(ascii: "C") : UInt8(ascii: "B")
                #expect(CanonicalRecordDecoder.decode(lax[...], bloomBits: 1024) == nil)
            }
            let cut = line.replacingOccurrences(of: #"=="]"#, with: #"="]"#)
            if cut != line { #expect(CanonicalRecordDecoder.decode(Array(cut.utf8)[...], bloomBits: 1024) == nil) }
            // The same JSON with a space, reordered keys or an escape is not canonical: nil, so the reader falls back.
            #expect(RecordLine(canonical: Array(line.replacingOccurrences(of: ",\"ref\":", with: ", \"ref\":").utf8)[...]) == nil)
            #expect(RecordLine(canonical: Array(line.replacingOccurrences(of: "\"ref\":\"", with: "\"ref\":\"\\u0030").utf8)[...]) == nil)
            #expect(RecordLine(canonical: bytes.dropLast()) == nil)
        }
    }
}
