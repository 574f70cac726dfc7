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

    @Test("Bloom filter bits of 'ann': 1024 bits (10-bit fields) and 960 bits (16-bit fields mod 960), 20 hashes")
    func bloom() {
        let encoder = KeyedEncoder(key: Self.key, purpose: "given")
        let filter = encoder.bloom(["ann"], parameters: BloomParameters())
        let expected = [
            0, 17, 26, 28, 35, 42, 43, 49, 52, 55, 59, 86, 87, 114, 153, 169, 173, 181, 184, 185, 192, 193, 216, 225, 240, 260,
            277, 286, 293, 359, 360, 361, 369, 385, 388, 393, 394, 423, 425, 468, 495, 529, 535, 558, 572, 581, 583, 609, 620,
            653, 697, 699, 715, 745, 748, 764, 775, 782, 787, 803, 830, 842, 843, 858, 891, 892, 900, 920, 944, 948, 953, 957,
            960, 980, 1001, 1014,
        ]
        #expect((0..<1024).filter { filter.isSet($0) } == expected)
        let odd = encoder.bloom(["ann"], parameters: BloomParameters(bits: 960))
        let expected960 = [
            1, 2, 3, 53, 65, 69, 96, 107, 108, 128, 156, 174, 181, 188, 240, 249, 267, 274, 289, 301, 303, 308, 313, 325, 338,
            367, 384, 387, 394, 403, 408, 413, 414, 416, 417, 419, 424, 454, 457, 462, 489, 498, 503, 507, 522, 532, 537, 553,
            554, 571, 582, 602, 604, 610, 614, 663, 664, 674, 758, 794, 812, 814, 815, 827, 828, 848, 861, 878, 887, 898, 907,
            919, 939, 948, 949,
        ]
        #expect((0..<960).filter { odd.isSet($0) } == expected960)
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
