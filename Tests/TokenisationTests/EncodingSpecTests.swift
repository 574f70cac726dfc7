import LinkCrypto
import Testing
@testable import Tokenisation

/// The encodings as docs/formats.md specifies them, checked against values computed independently
/// (Python's `hmac` and `cryptography` HKDF, from the spec, not from this code) for the linkage key
/// 00 01 02 … 1f. If one of these changes, batches made by different versions no longer link:
/// bump `RecordEncoder.normalisationVersion` or the format version instead.
@Suite("Encoding specification (independent known answers)")
struct EncodingSpecTests {
    static let key = try! LinkageKey(secret: SecureBytes((0..<32).map { UInt8($0) }))

    @Test("key id, surname token and record reference")
    func tokens() {
        #expect(Self.key.keyID == "70ca4a1bc4366956")
        #expect(Hex.encode(KeyedEncoder(key: Self.key, purpose: "surname").token("obrien").bytes) == "20aaa246fff0b544d53185f2010b2a39")
    }

    @Test("Bloom filter bits of 'ann' (bigrams, 1024 bits, 20 hashes)")
    func bloom() {
        let filter = KeyedEncoder(key: Self.key, purpose: "given").bloom(["ann"], parameters: BloomParameters())
        let expected = [
            0, 10, 26, 30, 47, 52, 53, 87, 93, 156, 166, 171, 173, 176, 201, 221, 249, 252, 262, 286, 294, 299, 300, 302, 323,
            326, 339, 344, 354, 361, 362, 367, 395, 398, 424, 434, 450, 468, 480, 489, 494, 507, 508, 515, 517, 528, 530, 547,
            558, 577, 581, 635, 664, 684, 692, 704, 714, 722, 727, 730, 770, 796, 800, 822, 823, 825, 843, 865, 879, 887, 892,
            897, 949, 963, 985, 994, 1013, 1019,
        ]
        #expect((0..<1024).filter { filter.isSet($0) } == expected)
    }

    @Test("record reference of agency id P-0001")
    func reference() throws {
        let header = ["id", "surname"]
        let encoder = try RecordEncoder(
            schema: SchemaSuggestion.suggest(header: header), header: header, key: Self.key, sealer: nil,
            batchDate: .init(year: 2026, month: 1, day: 1)!)
        #expect(encoder.reference(forRecordID: "P-0001") == "2607b10ce402ca7b2a020ca2e4b939d6")
    }
}
