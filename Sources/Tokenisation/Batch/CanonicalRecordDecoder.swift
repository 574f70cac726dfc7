/// Decodes a record line in exactly the canonical form ``RecordLine/serialise(_:into:)`` writes
/// straight into an ``EncodedRecord``: one pass over the bytes, base64 decoded in place, names
/// interned from the known token, filter and tier names. It allocates only what the record keeps,
/// which is what makes reading a million stored records (ingest verification, linking) cheap.
/// Returns nil for anything it does not recognise; the caller falls back to the general path.
enum CanonicalRecordDecoder {
    /// Names that occur in lines, interned so that decoding a name does not allocate a string.
    private static let names: [[UInt8]: String] = {
        let tokens = [
            TokenName.given, TokenName.givenCanonical, TokenName.givenPhonetic, TokenName.middle, TokenName.surname,
            TokenName.surnamePart, TokenName.surnamePhonetic, TokenName.dob, TokenName.dobSwapped, TokenName.dobYearMonth,
            TokenName.sex, TokenName.postcode, TokenName.postcodeSector, TokenName.postcodeDistrict, TokenName.houseAndPostcode,
            TokenName.nhs, TokenName.other, TokenName.blockSurnameYear, TokenName.blockGivenDistrict, TokenName.blockSurnameInitial,
        ]
        let all = Set(tokens + ["given", "surname", "address", "record"] + PayloadTier.allCases.map(\.rawValue))
        return Dictionary(uniqueKeysWithValues: all.map { (Array($0.utf8), $0) })
    }()

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
            let key = Array(bytes[r])
            return CanonicalRecordDecoder.names[key] ?? String(decoding: key, as: UTF8.self)
        }

        /// A quoted canonical base64 string, decoded.
        mutating func base64() -> [UInt8]? {
            guard let r = quoted(), r.count % 4 == 0 else { return nil }
            let table = CanonicalRecordDecoder.base64
            var padding = 0
            if r.count > 0, bytes[r.upperBound - 1] == 0x3d { padding += 1 }
            if r.count > 1, bytes[r.upperBound - 2] == 0x3d { padding += 1 }
            var out = [UInt8]()
            out.reserveCapacity(r.count / 4 * 3 - padding)
            var i = r.lowerBound
            while i < r.upperBound {
                let last = i + 4 == r.upperBound
                let a = table[Int(bytes[i])], b = table[Int(bytes[i + 1])]
                let c = last && padding == 2 ? 0 : table[Int(bytes[i + 2])]
                let d = last && padding >= 1 ? 0 : table[Int(bytes[i + 3])]
                guard a | b | c | d != 0xff, (a | b | c | d) & 0xc0 == 0 else { return nil }
                out.append(a << 2 | b >> 4)
                if !(last && padding == 2) { out.append(b << 4 | c >> 2) } else if b & 0x0f != 0 { return nil }
                if !(last && padding >= 1) { out.append(c << 6 | d) } else if padding == 1, c & 0x03 != 0 { return nil }
                i += 4
            }
            return out
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
                    guard let n = name(), byte(UInt8(ascii: ":")), let b = base64(), let f = BloomFilter(bytes: b), f.bitCount == bloomBits else { return nil }
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
            guard expect(",\"t\":{") else { return nil }
            if !byte(UInt8(ascii: "}")) {
                repeat {
                    guard let n = name(), expect(":[") else { return nil }
                    var list: [Token] = []
                    if !byte(UInt8(ascii: "]")) {
                        repeat {
                            guard let b = base64(), b.count == KeyedEncoder.tokenByteCount else { return nil }
                            list.append(Token(bytes: b))
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
