import Foundation
import LinkCrypto
import Normalisation
import Testing
@testable import Tokenisation

@Suite("Keyed encoders and record encoding")
struct EncoderTests {
    static let key = LinkageKey.generate()
    static let hub = X25519.PrivateKey()
    static let header = ["id", "forename", "surname", "dob", "sex", "address", "postcode", "nhs", "cp_notes"]
    static let date = CalendarDate(year: 2026, month: 11, day: 23)!
    static let sealer = try! PayloadSealer(tiers: [.cp], hubReleaseKey: hub.publicKey, agency: "police", batchID: "b1")

    static func encoder(_ schema: LinkageSchema? = nil) throws -> RecordEncoder {
        try RecordEncoder(
            schema: schema ?? SchemaSuggestion.suggest(header: header), header: header, key: key, sealer: sealer, batchDate: date)
    }

    @Test("tokens are keyed: the same value under another linkage key or purpose gives another token")
    func keyedTokens() {
        let a = KeyedEncoder(key: Self.key, purpose: "surname")
        let b = KeyedEncoder(key: LinkageKey.generate(), purpose: "surname")
        let c = KeyedEncoder(key: Self.key, purpose: "given")
        #expect(a.token("smith") == a.token("smith"))
        #expect(a.token("smith") != b.token("smith"))
        #expect(a.token("smith") != c.token("smith"))
        #expect(a.token("smith").bytes.count == 16)
    }

    @Test("q-gram positions looked up from the encoder's cache set exactly the bits hashing them does, also once the cache is full")
    func positionCache() {
        let parameters = BloomParameters()
        let used = KeyedEncoder(key: Self.key, purpose: "record")
        let first = used.bloom(["oliver", "olivia"], parameters: parameters, salt: "1990")
        #expect(used.bloom(["oliver", "olivia"], parameters: parameters, salt: "1990") == first, "the second time is read from the cache")
        #expect(used.bloom(["oliver", "olivia"], parameters: parameters, salt: "1991") != first, "the salt is part of what is cached")
        // Fill the cache past its bound with tagged q-grams, then compare with an encoder that has cached nothing.
        for i in 0..<(KeyedEncoder.maximumCachedGrams / 3 + 10) { _ = used.bloom(tagged: [(tag: "t\(i)", value: "ab")], parameters: parameters) }
        let fresh = KeyedEncoder(key: Self.key, purpose: "record")
        #expect(used.bloom(["oliver", "olivia"], parameters: parameters, salt: "1990") == fresh.bloom(["oliver", "olivia"], parameters: parameters, salt: "1990"))
        #expect(used.bloom(tagged: [(tag: "late", value: "zq")], parameters: parameters) == fresh.bloom(tagged: [(tag: "late", value: "zq")], parameters: parameters))
        #expect(used.bloom(tagged: [(tag: "t1", value: "ab")], parameters: parameters) == fresh.bloom(tagged: [(tag: "t1", value: "ab")], parameters: parameters))
    }

    @Test("a token keeps its bytes inline: they round-trip, order is byte order, and another length is kept as it is")
    func tokenStorage() {
        var g = SystemRandomNumberGenerator()
        let tokens = (0..<200).map { _ in Token(bytes: (0..<16).map { _ in UInt8.random(in: 0...255, using: &g) }) }
        for t in tokens { #expect(Token(bytes: t.bytes) == t && t.isStandard) }
        #expect(tokens.sorted().map(\.bytes) == tokens.map(\.bytes).sorted { $0.lexicographicallyPrecedes($1) })
        let short = Token(bytes: [1, 2, 3])
        #expect(short.bytes == [1, 2, 3] && !short.isStandard && short != Token(bytes: [1, 2, 3] + [UInt8](repeating: 0, count: 13)))
        #expect(Token(bytes: [0xff] + [UInt8](repeating: 0, count: 15)).high == 0xff00_0000_0000_0000)
    }

    @Test("Bloom filters: similar names are close, different names far, and k bits per q-gram at most")
    func bloom() {
        let e = KeyedEncoder(key: Self.key, purpose: "surname")
        let p = BloomParameters()
        let smith = e.bloom(["smith"], parameters: p), smyth = e.bloom(["smyth"], parameters: p)
        let jones = e.bloom(["jones"], parameters: p)
        #expect(smith.dice(smith) == 1)
        #expect(smith.dice(smyth) > 0.5)
        #expect(smith.dice(jones) < 0.3)
        #expect(smith.popcount <= 6 * p.hashes && smith.popcount > p.hashes)
        #expect(BloomFilter(bytes: smith.bytes) == smith)
        // Salting by birth year makes the same name in different years unrelated.
        #expect(e.bloom(["smith"], parameters: p, salt: "1990").dice(e.bloom(["smith"], parameters: p, salt: "1991")) < 0.3)
        #expect(KeyedEncoder.qgrams("ann", q: 2) == ["_a", "an", "nn", "n_"])
    }

    @Test("variant spellings of one person share exact and variant tokens")
    func variants() throws {
        let enc = try Self.encoder()
        let a = try enc.encode(["1", "Mohammed", "O'Brien", "21/07/2015", "M", "22a Station Road", "B15 2TT", "", ""]).get()
        let b = try enc.encode(["2", "Muhammad", "OBrien", "2015-07-21", "male", "22A Station Rd", "b152tt", "", ""]).get()
        #expect(a.tokens[TokenName.surname] == b.tokens[TokenName.surname])
        #expect(a.tokens[TokenName.dob] == b.tokens[TokenName.dob])
        #expect(a.tokens[TokenName.postcode] == b.tokens[TokenName.postcode])
        #expect(a.tokens[TokenName.houseAndPostcode] == b.tokens[TokenName.houseAndPostcode])
        #expect(a.tokens[TokenName.given] != b.tokens[TokenName.given])
        #expect(a.tokens[TokenName.givenCanonical] == b.tokens[TokenName.givenCanonical])
        #expect(a.ageBand == .child)
        #expect(a.reference != b.reference && a.reference.count == 32)

        let bill = try enc.encode(["3", "Bill", "Smith", "12/03/1960", "M", "", "", "", ""]).get()
        let william = try enc.encode(["4", "William", "Smith", "03/12/1960", "M", "", "", "", ""]).get()
        #expect(bill.tokens[TokenName.givenCanonical] == william.tokens[TokenName.givenCanonical])
        #expect(bill.tokens[TokenName.dobSwapped] == william.tokens[TokenName.dob])
        #expect(bill.ageBand == .adult)

        // A surname part is keyed like a surname, so "Jones-Evans" meets "Evans".
        let double = try enc.encode(["5", "Ann", "Jones-Evans", "", "", "", "", "", ""]).get()
        let single = try enc.encode(["6", "Ann", "Evans", "", "", "", "", "", ""]).get()
        #expect(double.tokens[TokenName.surnamePart]?.contains(single.tokens[TokenName.surname]![0]) == true)
    }

    @Test("bad identifiers reject the row with a reason that holds no value", arguments: [
        (["1", "Kate", "Williams", "30/02/2015", "", "", "", "", ""], "date of birth"),
        (["1", "Kate", "Williams", "14/05/2040", "", "", "", "", ""], "date of birth"),
        (["1", "Jack", "Taylor", "15/06/2011", "", "", "", "1234567890", ""], "NHS number"),
        (["1", "", "", "", "F", "", "", "", "notes"], "no usable identifier"),
        (["", "Jack", "Taylor", "15/06/2011", "", "", "", "", ""], "record id"),
    ])
    func rejections(row: [String], expected: String) throws {
        var schema = SchemaSuggestion.suggest(header: Self.header)
        schema.invalidValues = .rejectRow
        let result = try Self.encoder(schema).encode(row)
        guard case .failure(let rejection) = result else { Issue.record("row should be rejected"); return }
        #expect(rejection.reason.contains(expected))
        for value in row where value.count > 2 { #expect(!rejection.reason.contains(value)) }
    }

    @Test("the given-name deletion neighbourhood: the name and each one-letter deletion, none for names under three letters")
    func deletionNeighbourhood() {
        #expect(RecordEncoder.deletionNeighbourhood("jack") == ["jack", "ack", "jck", "jak", "jac"])
        #expect(RecordEncoder.deletionNeighbourhood("anna") == ["anna", "nna", "ana", "ann"])
        #expect(RecordEncoder.deletionNeighbourhood("al").isEmpty)
        // One substitution, insertion or transposition apart: a shared form.
        for (a, b) in [("karen", "kareh"), ("dafydd", "dafpydd"), ("hawa", "hwaa")] {
            #expect(!Set(RecordEncoder.deletionNeighbourhood(a)).isDisjoint(with: RecordEncoder.deletionNeighbourhood(b)), "\(a) / \(b)")
        }
        #expect(Set(RecordEncoder.deletionNeighbourhood("oliver")).isDisjoint(with: RecordEncoder.deletionNeighbourhood("olivia")))
    }

    @Test("with invalidValues omitField, an invalid date of birth or NHS number is left out and the row kept, saying why", arguments: [
        (["1", "Kate", "Williams", "30/02/2015", "", "", "", "", ""], "date of birth", TokenName.dob),
        (["1", "Kate", "Williams", "14/05/2040", "", "", "", "", ""], "date of birth", TokenName.dob),
        (["1", "Jack", "Taylor", "15/06/2011", "", "", "", "1234567890", ""], "NHS number", TokenName.nhs),
    ])
    func omittedValues(row: [String], expected: String, token: String) throws {
        let schema = SchemaSuggestion.suggest(header: Self.header)
        #expect(schema.invalidValues == .omitField)
        var omitted: [String] = []
        let record = try Self.encoder(schema).encode(row, omitted: &omitted).get()
        #expect(record.tokens[token] == nil && record.tokens[TokenName.surname] != nil)
        #expect(omitted.count == 1 && omitted[0].hasPrefix("tokenised without the \(expected)"))
        for value in row where value.count > 2 { #expect(!omitted[0].contains(value)) }
        // Rows with nothing usable are still rejected whatever the policy.
        let onlyInvalid = ["2", "", "", token == TokenName.dob ? row[3] : "", "", "", "", token == TokenName.nhs ? row[7] : "", ""]
        guard case .failure = try Self.encoder(schema).encode(onlyInvalid) else {
            Issue.record("a row whose only identifiers are invalid must be rejected"); return
        }
    }

    @Test("payload tiers are sealed to the hub, bound to agency, batch, record and tier")
    func payload() throws {
        let schema = SchemaSuggestion.suggest(header: Self.header)
        #expect(schema.columns(for: .cp) == ["cp_notes"])
        let record = try Self.encoder(schema).encode(["9", "Amy", "Hall", "01/01/2012", "F", "", "", "", "s47 enquiry open"]).get()
        let sealed = try #require(record.payload[.cp])
        #expect(record.payload[.cin] == nil)

        let header = BatchHeader(
            batchID: "b1", agency: "police", createdAt: "", batchDate: "", linkageKeyID: "", signingKeyID: "",
            hubReleaseKeyID: Self.hub.publicKey.keyID, schema: schema, payloadKeys: Self.sealer.encapsulatedKeys)
        let opener = try PayloadOpener(header: header, hubReleaseKey: Self.hub)
        let plain = try opener.open(sealed, reference: record.reference, tier: .cp)
        #expect(String(decoding: plain, as: UTF8.self) == #"{"cp_notes":"s47 enquiry open"}"#)
        // Moved to another record, or presented under another batch or agency: refused.
        #expect(throws: TokenisationError.crypto(.authenticationFailed)) {
            try opener.open(sealed, reference: String(repeating: "0", count: 32), tier: .cp)
        }
        var other = header
        other.batchID = "b2"
        #expect(throws: TokenisationError.self) { try PayloadOpener(header: other, hubReleaseKey: Self.hub).open(sealed, reference: record.reference, tier: .cp) }
        // The wrong release key is named, not guessed at.
        #expect(throws: TokenisationError.self) { try PayloadOpener(header: header, hubReleaseKey: X25519.PrivateKey()) }
    }
}

@Suite("Linkage schema")
struct SchemaTests {
    @Test("suggest recognises common column names and payload tiers")
    func suggest() {
        let s = SchemaSuggestion.suggest(header: [
            "Person ID", "First_Name", "Last Name", "DOB", "Gender", "Address 1", "Post Code", "NHS No", "payload_s42", "notes",
        ])
        #expect(s.columns(for: .recordID) == ["Person ID"])
        #expect(s.columns(for: .givenName) == ["First_Name"])
        #expect(s.columns(for: .surname) == ["Last Name"])
        #expect(s.columns(for: .dateOfBirth) == ["DOB"])
        #expect(s.columns(for: .sex) == ["Gender"])
        #expect(s.columns(for: .addressLine) == ["Address 1"])
        #expect(s.columns(for: .postcode) == ["Post Code"])
        #expect(s.columns(for: .nhsNumber) == ["NHS No"])
        #expect(s.columns(for: .s42) == ["payload_s42"])
        #expect(s.columns.first { $0.column == "notes" }?.field == nil)
    }

    @Test("digest ignores column names and payload but changes with encoding parameters")
    func digest() throws {
        let a = SchemaSuggestion.suggest(header: ["id", "forename", "surname", "dob", "cp_x"])
        let b = SchemaSuggestion.suggest(header: ["rec_id", "first_name", "last_name", "date_of_birth"])
        #expect(a.digest == b.digest)
        var c = a
        c.bloom.bits = 512
        #expect(c.digest != a.digest)
        #expect(c.fieldDigests["surname"] != a.fieldDigests["surname"])
        var d = a
        d.hardening.saltWithBirthYear = true
        #expect(d.digest != a.digest)
        #expect(try LinkageSchema.decode(a.encoded()) == a)
    }

    @Test("invalid schemas are refused with what to fix")
    func invalid() {
        #expect(throws: TokenisationError.self) { try LinkageSchema(columns: [ColumnRole(column: "x", field: .sex)]).validate() }
        let s = SchemaSuggestion.suggest(header: ["id", "surname"])
        #expect(throws: TokenisationError.self) { try s.validate(header: ["id"]) }
        var bad = s
        bad.bloom.bits = 100
        #expect(throws: TokenisationError.self) { try bad.validate() }
        #expect(throws: TokenisationError.self) { try LinkageSchema.decode(Data("{\"version\":1}".utf8)) }
    }
}

@Suite("JSON text")
struct JSONTextTests {
    @Test("payload objects escape quotes, backslashes, newlines and control characters and parse back exactly")
    func escaping() throws {
        let members = [("a_notes", "said \"no\"\\ then\nleft\r\t\u{01} — café"), ("b", "")]
        let bytes = JSONText.object(members)
        let parsed = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: String]
        #expect(parsed == Dictionary(uniqueKeysWithValues: members))
        #expect(String(decoding: bytes, as: UTF8.self).hasPrefix(#"{"a_notes":"said \"no\"\\ then\nleft\r\t\u0001"#))
    }
}
