import Matching
import Tokenisation

/// The binary form of term counts kept in the store between link runs: for each token name (sorted),
/// its UTF-8 length (UInt16) and bytes, its entry count (UInt32), then per entry the token's length
/// (UInt16), bytes and count (UInt32); integers big-endian. Compact (a million records' names take a
/// few megabytes) and strict to read.
enum TermCountsCoding {
    static func encode(_ frequencies: TermFrequencies?) -> [UInt8] {
        var out: [UInt8] = []
        for (name, counts) in (frequencies?.counts ?? [:]).sorted(by: { $0.key < $1.key }) {
            append16(&out, name.utf8.count)
            out += name.utf8
            append32(&out, counts.count)
            for (token, count) in counts.sorted(by: { $0.key < $1.key }) {
                append16(&out, token.bytes.count)
                out += token.bytes
                append32(&out, count)
            }
        }
        return out
    }

    static func decode(_ bytes: [UInt8]) throws(HubLinkingError) -> TermFrequencies {
        var reader = Reader(bytes: bytes)
        var counts: [String: [Token: Int]] = [:]
        while !reader.atEnd {
            let name = String(decoding: try reader.take(try reader.int(2)), as: UTF8.self)
            var entries: [Token: Int] = [:]
            for _ in 0..<(try reader.int(4)) {
                let token = Token(bytes: Array(try reader.take(try reader.int(2))))
                entries[token] = try reader.int(4)
            }
            counts[name] = entries
        }
        return TermFrequencies(counts: counts)
    }

    private static func append16(_ out: inout [UInt8], _ n: Int) {
        out += [UInt8(truncatingIfNeeded: n >> 8), UInt8(truncatingIfNeeded: n)]
    }

    private static func append32(_ out: inout [UInt8], _ n: Int) {
        out += [UInt8(truncatingIfNeeded: n >> 24), UInt8(truncatingIfNeeded: n >> 16), UInt8(truncatingIfNeeded: n >> 8), UInt8(truncatingIfNeeded: n)]
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0
        var atEnd: Bool { offset == bytes.count }

        mutating func take(_ n: Int) throws(HubLinkingError) -> ArraySlice<UInt8> {
            guard n >= 0, bytes.count - offset >= n else { throw .corruptState("the stored term counts are truncated") }
            defer { offset += n }
            return bytes[offset..<(offset + n)]
        }

        mutating func int(_ width: Int) throws(HubLinkingError) -> Int {
            try take(width).reduce(0) { $0 << 8 | Int($1) }
        }
    }
}
