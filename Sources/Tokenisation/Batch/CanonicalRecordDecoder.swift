/// Decodes a record line in exactly the canonical form ``RecordLine/serialise(_:into:)`` writes
/// straight into an ``EncodedRecord``: one pass over the bytes, base64 decoded in place, names
/// interned from the known token, filter and tier names. It allocates only what the record keeps,
/// which is what makes reading a million stored records (ingest verification, linking) cheap.
/// Returns nil for anything it does not recognise; the caller falls back to the general path.
enum CanonicalRecordDecoder {
    /// Names that occur in lines, interned so that decoding a name allocates nothing: by byte
    /// length, each with its bytes and its string.
    private static let namesByLength: [[([UInt8], String)]] = {
        let all = Set(TokenTable.names + FilterSet.names + PayloadTier.allCases.map(\.rawValue))
        var table = [[([UInt8], String)]](repeating: [], count: (all.map(\.utf8.count).max() ?? 0) + 1)
        for name in all.sorted() { table[name.utf8.count].append((Array(name.utf8), name)) }
        return table
    }()

    /// Base64 digit values; 0xff for a byte that is not a digit.
    private static let base64: [UInt8] = {
        var table = [UInt8](repeating: 0xff, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()

    static func decode(_ line: ArraySlice<UInt8>, bloomBits: Int) -> EncodedRecord? {
        var reader = Reader(bytes: line)
        return reader.record(bloomBits: bloomBits)
    }

    private struct Reader {
        let bytes: ArraySlice<UInt8>
        var p: Int
        let end: Int
        let digits = CanonicalRecordDecoder.base64
        let names = CanonicalRecordDecoder.namesByLength

        init(bytes: ArraySlice<UInt8>) {
            self.bytes = bytes
            p = bytes.startIndex
            end = bytes.last == 0x0a ? bytes.endIndex - 1 : bytes.endIndex
        }

        mutating func expect(_ literal: StaticString) -> Bool {
            let n = literal.utf8CodeUnitCount
            guard end - p >= n else { return false }
            let ok = literal.withUTF8Buffer { lit in (0..<n).allSatisfy { bytes[p + $0] == lit[$0] } }
            if ok { p += n }
            return ok
        }

        mutating func byte(_ b: UInt8) -> Bool {
            guard p < end, bytes[p] == b else { return false }
            p += 1
            return true
        }

        /// A quoted run without escapes, as a range of `bytes`.
        mutating func quoted() -> Range<Int>? {
            guard byte(0x22) else { return nil }
            let start = p
            while p < end, bytes[p] != 0x22 {
                guard bytes[p] != 0x5c else { return nil }
                p += 1
            }
            guard p < end else { return nil }
            defer { p += 1 }
            return start..<p
        }

        mutating func name() -> String? {
            guard let r = quoted() else { return nil }
            if r.count < names.count {
                search: for (key, name) in names[r.count] {
                    for i in 0..<key.count where bytes[r.lowerBound + i] != key[i] { continue search }
                    return name
                }
            }
            return String(decoding: bytes[r], as: UTF8.self)
        }

        /// The decoded length of the canonical base64 run `r` (nil if it cannot be one).
        func decodedCount(_ r: Range<Int>) -> Int? {
            guard r.count % 4 == 0 else { return nil }
            var padding = 0
            if r.count > 0, bytes[r.upperBound - 1] == 0x3d { padding += 1 }
            if r.count > 1, bytes[r.upperBound - 2] == 0x3d { padding += 1 }
            return r.count / 4 * 3 - padding
        }

        /// Decodes the canonical base64 run `r` of decoded length `n`, handing each byte and its
        /// offset to `emit`; false if a digit is invalid or the padding bits are not zero.
        func decodeBase64(_ r: Range<Int>, count n: Int, _ emit: (Int, UInt8) -> Void) -> Bool {
            var i = r.lowerBound, o = 0
            while i < r.upperBound {
                let a = digits[Int(bytes[i])], b = digits[Int(bytes[i + 1])]
                let c = o + 1 < n ? digits[Int(bytes[i + 2])] : 0
                let d = o + 2 < n ? digits[Int(bytes[i + 3])] : 0
                guard (a | b | c | d) & 0xc0 == 0 else { return false }
                emit(o, a << 2 | b >> 4)
                if o + 1 < n { emit(o + 1, b << 4 | c >> 2) } else if b & 0x0f != 0 { return false }
                if o + 2 < n { emit(o + 2, c << 6 | d) } else if o + 1 < n, c & 0x03 != 0 { return false }
                i += 4
                o += 3
            }
            return true
        }

        /// A quoted canonical base64 string, decoded.
        mutating func base64() -> [UInt8]? {
            guard let r = quoted(), let n = decodedCount(r) else { return nil }
            var out = [UInt8](repeating: 0, count: n)
            guard decodeBase64(r, count: n, { out[$0] = $1 }) else { return nil }
            return out
        }

        /// A quoted canonical base64 string of exactly a token's 16 bytes, decoded straight into a
        /// ``Token``'s two big-endian words (no array in between).
        mutating func base64Token() -> Token? {
            guard let r = quoted(), decodedCount(r) == KeyedEncoder.tokenByteCount else { return nil }
            var high: UInt64 = 0, low: UInt64 = 0
            guard decodeBase64(r, count: KeyedEncoder.tokenByteCount, { i, b in
                if i < 8 { high |= UInt64(b) << UInt64(56 - 8 * i) } else { low |= UInt64(b) << UInt64(56 - 8 * (i - 8)) }
            }) else { return nil }
            return Token(high: high, low: low)
        }

        /// A quoted canonical base64 string, decoded straight into little-endian 64-bit words
        /// (a Bloom filter's serialised form); nil unless it is a whole number of words.
        mutating func base64Words() -> [UInt64]? {
            guard let r = quoted(), let n = decodedCount(r), n > 0, n % 8 == 0 else { return nil }
            var words = [UInt64](repeating: 0, count: n / 8)
            guard decodeBase64(r, count: n, { words[$0 >> 3] |= UInt64($1) << UInt64(($0 & 7) * 8) }) else { return nil }
            return words
        }

        mutating func record(bloomBits: Int) -> EncodedRecord? {
            guard byte(UInt8(ascii: "{")) else { return nil }
            var age: AgeBand?
            if expect("\"age\":") {
                guard let r = quoted(), let a = AgeBand(rawValue: String(decoding: bytes[r], as: UTF8.self)), byte(UInt8(ascii: ",")) else { return nil }
                age = a
            }
            var filters: [String: BloomFilter] = [:]
            guard expect("\"f\":{") else { return nil }
            if !byte(UInt8(ascii: "}")) {
                repeat {
                    guard let n = name(), byte(UInt8(ascii: ":")), let w = base64Words(), let f = BloomFilter(words: w), f.bitCount == bloomBits else { return nil }
                    filters[n] = f
                } while byte(UInt8(ascii: ","))
                guard byte(UInt8(ascii: "}")) else { return nil }
            }
            var payload: [PayloadTier: [UInt8]] = [:]
            guard expect(",\"p\":{") else { return nil }
            if !byte(UInt8(ascii: "}")) {
                repeat {
                    guard let n = name(), let tier = PayloadTier(rawValue: n), byte(UInt8(ascii: ":")), let b = base64() else { return nil }
                    payload[tier] = b
                } while byte(UInt8(ascii: ","))
                guard byte(UInt8(ascii: "}")) else { return nil }
            }
            guard expect(",\"ref\":"), let r = quoted(), r.count == 32,
                  bytes[r].allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) || (0x41...0x46).contains($0) })
            else { return nil }
            let reference = String(decoding: bytes[r], as: UTF8.self)
            var tokens: [String: [Token]] = [:]
            tokens.reserveCapacity(24)
            guard expect(",\"t\":{") else { return nil }
            if !byte(UInt8(ascii: "}")) {
                repeat {
                    guard let n = name(), expect(":[") else { return nil }
                    var list: [Token] = []
                    if !byte(UInt8(ascii: "]")) {
                        repeat {
                            guard let token = base64Token() else { return nil }
                            list.append(token)
                        } while byte(UInt8(ascii: ","))
                        guard byte(UInt8(ascii: "]")) else { return nil }
                    }
                    tokens[n] = list
                } while byte(UInt8(ascii: ","))
                guard byte(UInt8(ascii: "}")) else { return nil }
            }
            guard byte(UInt8(ascii: "}")), p == end else { return nil }
            return EncodedRecord(reference: reference, ageBand: age, tokens: tokens, filters: filters, payload: payload)
        }
    }
}
