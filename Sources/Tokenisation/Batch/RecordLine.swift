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

    /// The record as one line of JSON with sorted keys, written directly: this runs once per record
    /// on the tokenising hot path, where JSONEncoder cost more than all the hashing. Every string
    /// written is hex, base64 or a fixed name, so none needs escaping. Decodes with ``RecordLine``.
    static func serialise(_ record: EncodedRecord, into out: inout [UInt8]) {
        func string(_ s: String) {
            out.append(0x22)
            out.append(contentsOf: s.utf8)
            out.append(0x22)
        }
        func base64(_ bytes: [UInt8]) { string(Data(bytes).base64EncodedString()) }
        out.append(UInt8(ascii: "{"))
        if let age = record.ageBand {
            string("age")
            out.append(UInt8(ascii: ":"))
            string(age.rawValue)
            out.append(UInt8(ascii: ","))
        }
        string("f")
        out.append(contentsOf: Array(":{".utf8))
        for (n, (name, filter)) in record.filters.sorted(by: { $0.key < $1.key }).enumerated() {
            if n > 0 { out.append(UInt8(ascii: ",")) }
            string(name)
            out.append(UInt8(ascii: ":"))
            base64(filter.bytes)
        }
        out.append(contentsOf: Array("},".utf8))
        string("p")
        out.append(contentsOf: Array(":{".utf8))
        for (n, (tier, sealed)) in record.payload.sorted(by: { $0.key < $1.key }).enumerated() {
            if n > 0 { out.append(UInt8(ascii: ",")) }
            string(tier.rawValue)
            out.append(UInt8(ascii: ":"))
            base64(sealed)
        }
        out.append(contentsOf: Array("},".utf8))
        string("ref")
        out.append(UInt8(ascii: ":"))
        string(record.reference)
        out.append(UInt8(ascii: ","))
        string("t")
        out.append(contentsOf: Array(":{".utf8))
        var n = 0
        record.tokenTable.forEachName { name, tokens in
            if n > 0 { out.append(UInt8(ascii: ",")) }
            n += 1
            string(name)
            out.append(contentsOf: Array(":[".utf8))
            for (m, token) in tokens.enumerated() {
                if m > 0 { out.append(UInt8(ascii: ",")) }
                base64(token.bytes)
            }
            out.append(UInt8(ascii: "]"))
        }
        out.append(contentsOf: Array("}}\n".utf8))
    }
}

/// Reading a record back from its batch line: the hub's store keeps each record as the line the
/// agency signed (``BatchReader/nextWithLine()``), so nothing is re-modelled on the way in.
public enum RecordLineCodec {
    /// The record in `line`, whose filters must have `bloomBits` bits.
    public static func decode(_ line: [UInt8], bloomBits: Int) throws(TokenisationError) -> EncodedRecord {
        if let record = CanonicalRecordDecoder.decode(line[...], bloomBits: bloomBits) { return record }
        let parsed: RecordLine
        if let fast = RecordLine(canonical: line[...]) { parsed = fast } else {
            do { parsed = try JSONDecoder().decode(RecordLine.self, from: Data(line)) } catch {
                throw .invalidBatch("a stored record is not a record line; run mashlink-hub check")
            }
        }
        return try parsed.record(bloomBits: bloomBits, lineNumber: 0)
    }
}

extension RecordLine {
    /// Parses a line in exactly the canonical form ``serialise(_:into:)`` writes (sorted keys, no
    /// spaces, no escapes), several times faster than JSONDecoder; `nil` for anything else, which
    /// the reader then hands to JSONDecoder, so any valid line still reads.
    init?(canonical line: ArraySlice<UInt8>) {
        var p = line.startIndex
        let end = line.last == 0x0a ? line.endIndex - 1 : line.endIndex
        func expect(_ literal: String) -> Bool {
            let start = p
            for b in literal.utf8 {
                guard p < end, line[p] == b else {
                    p = start
                    return false
                }
                p += 1
            }
            return true
        }
        func string() -> String? {
            guard p < end, line[p] == 0x22 else { return nil }
            p += 1
            let start = p
            while p < end, line[p] != 0x22 {
                guard line[p] != 0x5c else { return nil }
                p += 1
            }
            guard p < end else { return nil }
            let s = String(decoding: line[start..<p], as: UTF8.self)
            p += 1
            return s
        }
        func object<V>(_ value: () -> V?) -> [String: V]? {
            guard expect("{") else { return nil }
            var out: [String: V] = [:]
            if p < end, line[p] == UInt8(ascii: "}") { p += 1; return out }
            while true {
                guard let key = string(), expect(":"), let v = value() else { return nil }
                out[key] = v
                if p < end, line[p] == UInt8(ascii: ",") { p += 1; continue }
                return expect("}") ? out : nil
            }
        }
        func array() -> [String]? {
            guard expect("[") else { return nil }
            var out: [String] = []
            if p < end, line[p] == UInt8(ascii: "]") { p += 1; return out }
            while true {
                guard let s = string() else { return nil }
                out.append(s)
                if p < end, line[p] == UInt8(ascii: ",") { p += 1; continue }
                return expect("]") ? out : nil
            }
        }
        guard expect("{") else { return nil }
        var age: AgeBand?
        if expect("\"age\":") {
            guard let a = string().flatMap(AgeBand.init(rawValue:)), expect(",") else { return nil }
            age = a
        }
        guard expect("\"f\":"), let f = object(string), expect(",\"p\":"), let payload = object(string),
              expect(",\"ref\":"), let ref = string(), expect(",\"t\":"), let t = object(array), expect("}"), p == end
        else { return nil }
        self.ref = ref
        self.age = age
        self.t = t
        self.f = f
        self.p = payload
    }
}
