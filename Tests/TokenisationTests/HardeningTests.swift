import Foundation
import LinkCrypto
import Normalisation
import Testing
@testable import Tokenisation

@Suite("Filter hardening (issue 9)")
struct HardeningTests {
    static let key = LinkageKey.generate()
    static let header = ["id", "forename", "surname", "dob", "address", "postcode"]
    static let date = CalendarDate(year: 2026, month: 12, day: 1)!
    static let row = ["r1", "Jane", "Okafor", "1990-04-12", "12 High Street", "AB1 2CD"]

    static func encode(_ hardening: Hardening, row: [String] = row) throws -> EncodedRecord {
        var schema = SchemaSuggestion.suggest(header: header)
        schema.hardening = hardening
        let encoder = try RecordEncoder(schema: schema, header: header, key: key, sealer: nil, batchDate: date)
        return try encoder.encode(row).get()
    }

    @Test("a schema written before the new settings decodes with them off and keeps its digest")
    func compatibility() throws {
        let old = Data(#"{"version": 1, "columns": [{"column": "id", "field": "recordID"}, {"column": "s", "field": "surname"}], "bloom": {"bits": 1024, "hashes": 20, "q": 2}, "hardening": {"saltWithBirthYear": true}}"#.utf8)
        let schema = try LinkageSchema.decode(old)
        #expect(schema.hardening == Hardening(saltWithBirthYear: true))
        // The digest rule as documented in docs/formats.md, unchanged.
        let text = "mashlink-field-encoding-v1|surname|bloom=1024,20,2|salt-birth-year=true|normalisation=\(RecordEncoder.normalisationVersion)"
        #expect(schema.fieldDigests["surname"] == Hex.encode(SHA256.hash(Array(text.utf8))))
        let json = String(decoding: schema.encoded(), as: UTF8.self)
        #expect(!json.contains("xorFold") && !json.contains("flipEpsilon") && !json.contains("recordFilterOnly"))
        var folded = schema
        folded.hardening.xorFold = true
        #expect(folded.digest != schema.digest)
        #expect(try LinkageSchema.decode(folded.encoded()) == folded)
        var flipped = schema
        flipped.hardening.flipEpsilon = 3
        #expect(flipped.digest != schema.digest && flipped.digest != folded.digest)
    }

    @Test("bad settings are refused")
    func invalid() {
        var s = SchemaSuggestion.suggest(header: Self.header)
        s.hardening.flipEpsilon = 0
        #expect(throws: TokenisationError.self) { try s.validate() }
        s.hardening.flipEpsilon = nil
        s.hardening.xorFold = true
        s.bloom.bits = 65_536
        #expect(throws: TokenisationError.self) { try s.validate() }
    }

    @Test("XOR-folding keeps the stored length and XORs the halves of a filter built at twice it")
    func folding() throws {
        let plain = try Self.encode(Hardening())
        let folded = try Self.encode(Hardening(xorFold: true))
        #expect(folded.filters["surname"]?.bitCount == 1024)
        #expect(folded.filters["surname"] != plain.filters["surname"])
        // The folded filter is exactly the fold of the double-length one.
        let wide = KeyedEncoder(key: Self.key, purpose: "surname").bloom(["okafor"], parameters: BloomParameters(bits: 2048))
        #expect(folded.filters["surname"] == wide.xorFolded())
        var f = BloomFilter(bitCount: 128)
        f.set(3); f.set(67); f.set(5)
        let g = f.xorFolded()
        #expect(g.bitCount == 64 && g.isSet(5) && !g.isSet(3) && g.popcount == 1)
    }

    @Test("BLIP flips about the chosen share of bits, the same ones each time a record is tokenised")
    func flipping() throws {
        let plain = try Self.encode(Hardening())
        let eps = 3.0
        let a = try Self.encode(Hardening(flipEpsilon: eps))
        let b = try Self.encode(Hardening(flipEpsilon: eps))
        #expect(a == b)
        var flipped = 0, total = 0
        for name in ["given", "surname", "address", "record"] {
            let x = plain.filters[name]!, y = a.filters[name]!
            for (u, v) in zip(x.words, y.words) { flipped += (u ^ v).nonzeroBitCount }
            total += x.bitCount
            #expect(y.popcount == y.words.reduce(0) { $0 + $1.nonzeroBitCount })
        }
        let p = 1 / (1 + exp(eps))
        let share = Double(flipped) / Double(total)
        #expect(abs(share - p) < 0.02, "flipped \(share), expected \(p)")
        // Another record with the same name gets other flips.
        let other = try Self.encode(Hardening(flipEpsilon: eps), row: ["r2"] + Self.row.dropFirst())
        #expect(other.filters["surname"] != a.filters["surname"])
        #expect(other.tokens == a.tokens)
    }

    @Test("record-level-only sends the composite filter and no field filters; tokens are unchanged")
    func recordOnly() throws {
        let plain = try Self.encode(Hardening())
        let r = try Self.encode(Hardening(recordFilterOnly: true))
        #expect(Set(r.filters.keys) == ["record"])
        #expect(r.filters["record"] == plain.filters["record"])
        #expect(r.tokens == plain.tokens)
    }

    @Test("salted name tokens agree only within one birth year; other tokens are unchanged")
    func saltedNameTokens() throws {
        let plain = try Self.encode(Hardening())
        let salted = try Self.encode(Hardening(saltNameTokens: true))
        let again = try Self.encode(Hardening(saltNameTokens: true), row: ["r2"] + Self.row.dropFirst())
        let otherYear = try Self.encode(Hardening(saltNameTokens: true), row: ["r3", "Jane", "Okafor", "1991-04-12", "12 High Street", "AB1 2CD"])
        for name in [TokenName.given, TokenName.surname, TokenName.surnamePhonetic, TokenName.givenPhonetic] {
            #expect(salted.tokens[name] != plain.tokens[name], "\(name)")
            #expect(salted.tokens[name] == again.tokens[name], "\(name)")
            #expect(salted.tokens[name] != otherYear.tokens[name], "\(name)")
        }
        for name in [TokenName.dob, TokenName.postcode, TokenName.blockSurnameYear] {
            #expect(salted.tokens[name] == plain.tokens[name], "\(name)")
        }
        #expect(salted.filters == plain.filters)
    }
}
