public import Tokenisation

/// The byte form of one record's ``ComparisonProfiles`` entry, which a store keeps beside the
/// record so that an incremental link reads a stored record's comparison data without decoding its
/// whole line (at a million records that took the incremental link's scoring from 10.3 s to
/// 1.5 s).
///
/// It holds nothing the record does not: the compared tokens as 64-bit digests of their keyed
/// HMAC bytes and the compared filters' words. The first four bytes name the layout
/// (``ComparisonProfiles/storedFormat``), derived from a layout version and the compared token and filter names, so a
/// profile written under another set of comparisons is refused and rebuilt from the record.
///
/// Layout, little-endian: format (4 bytes); per slot the end of its tokens (2 bytes each); per
/// filter its word count (2 bytes) and popcount (4 bytes); the token digests (8 bytes each); the
/// filter words (8 bytes each).
extension ComparisonProfiles {
    /// The layout tag: FNV-1a (32-bit) of a layout version and the compared token and filter
    /// names in order. Change the version when the byte layout or the token digest changes.
    public static let storedFormat: UInt32 = {
        var h: UInt32 = 0x811c_9dc5
        for byte in (["profile-layout-1"] + names + Filter.allCases.map(\.name)).joined(separator: ",").utf8 {
            h = (h ^ UInt32(byte)) &* 0x0100_0193
        }
        return h
    }()

    /// True when `bytes` begin with this build's ``storedFormat`` (a profile it can read).
    public static func isStoredFormat(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 4 && (0..<4).allSatisfy { bytes[$0] == UInt8(truncatingIfNeeded: storedFormat >> (8 * $0)) }
    }

    /// The stored form of `record`'s profile.
    public static func stored(_ record: EncodedRecord) -> [UInt8] {
        ComparisonProfiles(record).stored(0)
    }

    /// The stored form of record `r`'s profile.
    public func stored(_ r: Int) -> [UInt8] {
        let first = Int(tokenStart[r]), end = Int(tokenStart[r + 1])
        var out: [UInt8] = []
        out.reserveCapacity(4 + Self.slotCount * 2 + Self.filterCount * 6 + (end - first) * 8 + 3 * 16 * 8)
        func put<T: FixedWidthInteger>(_ v: T) {
            var x = v.littleEndian
            for _ in 0..<MemoryLayout<T>.size {
                out.append(UInt8(truncatingIfNeeded: x))
                x >>= 8
            }
        }
        put(Self.storedFormat)
        for s in 0..<Self.slotCount { put(slotEnds[r * Self.slotCount + s]) }
        for f in 0..<Self.filterCount {
            let info = filterInfo[r * Self.filterCount + f]
            put(UInt16(info >> 20 & 0xfff))
            put(UInt32(info & 0xf_ffff))
        }
        for i in first..<end { put(digests[i]) }
        for f in 0..<Self.filterCount {
            let info = filterInfo[r * Self.filterCount + f]
            guard info != 0 else { continue }
            let start = Int(info >> 32)
            for k in 0..<Int(info >> 20 & 0xfff) { put(filterWords[start + k]) }
        }
        return out
    }

    /// Profiles read back from their stored forms, in order; nil when any of them is not of
    /// ``storedFormat`` or is malformed (the caller decodes those records instead).
    public init?(stored profiles: [[UInt8]]) {
        var slotEnds = [UInt16](), tokenStart = [UInt32](), digests = [UInt64](), filterInfo = [UInt64](), filterWords = [UInt64]()
        slotEnds.reserveCapacity(profiles.count * Self.slotCount)
        tokenStart.reserveCapacity(profiles.count + 1)
        filterInfo.reserveCapacity(profiles.count * Self.filterCount)
        for bytes in profiles {
            var at = 0
            func get<T: FixedWidthInteger>(_: T.Type) -> T? {
                let size = MemoryLayout<T>.size
                guard at + size <= bytes.count else { return nil }
                var x: T = 0
                for k in (0..<size).reversed() { x = x << 8 | T(bytes[at + k]) }
                at += size
                return x
            }
            guard get(UInt32.self) == Self.storedFormat else { return nil }
            tokenStart.append(UInt32(digests.count))
            var previous: UInt16 = 0
            for _ in 0..<Self.slotCount {
                guard let end = get(UInt16.self), end >= previous else { return nil }
                slotEnds.append(end)
                previous = end
            }
            var sizes: [(words: Int, popcount: Int)] = []
            for _ in 0..<Self.filterCount {
                guard let words = get(UInt16.self), let popcount = get(UInt32.self), words < 1 << 12,
                    words == 0 ? popcount == 0 : (popcount > 0 && Int(popcount) <= Int(words) * 64)
                else { return nil }
                sizes.append((Int(words), Int(popcount)))
            }
            guard bytes.count - at == (Int(previous) + sizes.reduce(0) { $0 + $1.words }) * 8 else { return nil }
            for _ in 0..<Int(previous) { digests.append(get(UInt64.self)!) }
            for size in sizes {
                guard size.words > 0 else {
                    filterInfo.append(0)
                    continue
                }
                filterInfo.append(UInt64(filterWords.count) << 32 | UInt64(size.words) << 20 | UInt64(size.popcount))
                for _ in 0..<size.words { filterWords.append(get(UInt64.self)!) }
            }
            guard digests.count < 1 << 32, filterWords.count < 1 << 32 else { return nil }
        }
        tokenStart.append(UInt32(digests.count))
        self.init(slotEnds: slotEnds, tokenStart: tokenStart, digests: digests, filterInfo: filterInfo, filterWords: filterWords)
    }
}
