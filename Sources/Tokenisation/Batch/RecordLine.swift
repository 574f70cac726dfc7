import Foundation
import LinkCrypto

/// The JSON form of one ``EncodedRecord`` line: short keys, base64 values, sorted keys, so that the same
/// record always serialises to the same bytes.
struct RecordLine: Codable {
    var ref: String
    var age: AgeBand?
    /// Token name → base64 tokens.
    var t: [String: [String]]
    /// Filter name → base64 filter bytes.
    var f: [String: String]
    /// Tier → base64 HPKE envelope.
    var p: [String: String]

    init(_ record: EncodedRecord) {
        ref = record.reference
        age = record.ageBand
        t = record.tokens.mapValues { $0.map { Data($0.bytes).base64EncodedString() } }
        f = record.filters.mapValues { Data($0.bytes).base64EncodedString() }
        p = Dictionary(uniqueKeysWithValues: record.payload.map { ($0.key.rawValue, Data($0.value).base64EncodedString()) })
    }

    func record(bloomBits: Int, lineNumber: Int) throws(TokenisationError) -> EncodedRecord {
        func bad(_ why: String) -> TokenisationError { .invalidBatch("line \(lineNumber): \(why)") }
        guard ref.count == 32, ref.allSatisfy(\.isHexDigit) else { throw bad("record reference is not 32 hex digits") }
        var tokens: [String: [Token]] = [:]
        for (name, values) in t {
            var list: [Token] = []
            for v in values {
                guard let d = Data(base64Encoded: v), d.count == KeyedEncoder.tokenByteCount else { throw bad("token '\(name)' is malformed") }
                list.append(Token(bytes: Array(d)))
            }
            tokens[name] = list
        }
        var filters: [String: BloomFilter] = [:]
        for (name, value) in f {
            guard let d = Data(base64Encoded: value), let filter = BloomFilter(bytes: Array(d)), filter.bitCount == bloomBits else {
                throw bad("Bloom filter '\(name)' is malformed or not \(bloomBits) bits")
            }
            filters[name] = filter
        }
        var payload: [PayloadTier: [UInt8]] = [:]
        for (name, value) in p {
            guard let tier = PayloadTier(rawValue: name) else { throw bad("unknown payload tier '\(name)'") }
            guard let d = Data(base64Encoded: value) else { throw bad("payload tier '\(name)' is not base64") }
            payload[tier] = Array(d)
        }
        return EncodedRecord(reference: ref, ageBand: age, tokens: tokens, filters: filters, payload: payload)
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()
}
