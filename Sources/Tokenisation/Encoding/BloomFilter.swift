/// A Bloom filter of `bitCount` bits stored in 64-bit words, so that similarity is a popcount.
public struct BloomFilter: Sendable, Hashable {
    /// The bits, least significant bit of word 0 first.
    public private(set) var words: [UInt64]
    /// The filter length in bits (a multiple of 64).
    public let bitCount: Int
    /// The number of set bits, kept as bits are set so that Dice needs one popcount a word.
    public private(set) var popcount: Int

    /// An empty filter of `bitCount` bits (rounded up to a multiple of 64).
    public init(bitCount: Int) {
        let wordCount = (bitCount + 63) / 64
        self.bitCount = wordCount * 64
        words = [UInt64](repeating: 0, count: wordCount)
        popcount = 0
    }

    /// A filter from its serialised bytes (little-endian words), as ``bytes`` produces.
    public init?(bytes: [UInt8]) {
        guard !bytes.isEmpty, bytes.count % 8 == 0 else { return nil }
        var words = [UInt64](repeating: 0, count: bytes.count / 8)
        for i in words.indices {
            var w: UInt64 = 0
            for b in 0..<8 { w |= UInt64(bytes[i * 8 + b]) << (8 * UInt64(b)) }
            words[i] = w
        }
        self.words = words
        bitCount = bytes.count * 8
        popcount = words.reduce(0) { $0 + $1.nonzeroBitCount }
    }

    /// A filter from its words (least significant bit of word 0 first).
    public init?(words: [UInt64]) {
        guard !words.isEmpty else { return nil }
        self.words = words
        bitCount = words.count * 64
        popcount = words.reduce(0) { $0 + $1.nonzeroBitCount }
    }

    /// Sets bit `position` (taken modulo the length).
    public mutating func set(_ position: Int) {
        let p = position % bitCount
        let bit: UInt64 = 1 << UInt64(p & 63)
        if words[p >> 6] & bit == 0 {
            words[p >> 6] |= bit
            popcount += 1
        }
    }

    /// Flips bit `position` (taken modulo the length).
    public mutating func toggle(_ position: Int) {
        let p = position % bitCount
        let bit: UInt64 = 1 << UInt64(p & 63)
        words[p >> 6] ^= bit
        popcount += words[p >> 6] & bit == 0 ? -1 : 1
    }

    /// The filter's two halves XORed into one of half the length (XOR-folding, Schnell, Borgs and
    /// Encarnação 2016). The length must be a multiple of 128.
    public func xorFolded() -> BloomFilter {
        precondition(words.count % 2 == 0, "only a filter of an even number of words can be folded")
        let half = words.count / 2
        var folded = BloomFilter(bitCount: bitCount / 2)
        for i in 0..<half { folded.words[i] = words[i] ^ words[half + i] }
        folded.popcount = folded.words.reduce(0) { $0 + $1.nonzeroBitCount }
        return folded
    }

    /// True if bit `position` is set.
    public func isSet(_ position: Int) -> Bool {
        let p = position % bitCount
        return words[p >> 6] & (1 << UInt64(p & 63)) != 0
    }

    /// True if no bit is set (the field was empty).
    public var isEmpty: Bool { popcount == 0 }

    /// The Dice coefficient 2|A∧B| / (|A| + |B|); 0 when both are empty.
    public func dice(_ other: BloomFilter) -> Double {
        precondition(other.words.count == words.count, "Bloom filters of different lengths cannot be compared")
        let total = popcount + other.popcount
        guard total > 0 else { return 0 }
        return 2 * Double(intersectionCount(other)) / Double(total)
    }

    /// |A∧B|, the bits set in both: what Dice and the overlap coefficient |A∧B| / min(|A|, |B|) (how
    /// nearly one name's q-grams are all in the other's, as a short form's are in the full name) are made of.
    public func intersectionCount(_ other: BloomFilter) -> Int {
        precondition(other.words.count == words.count, "Bloom filters of different lengths cannot be compared")
        var both = 0
        for (x, y) in zip(words, other.words) { both &+= (x & y).nonzeroBitCount }
        return both
    }

    /// Serialised form: the words as little-endian bytes.
    public var bytes: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(words.count * 8)
        for w in words {
            for b in 0..<8 { out.append(UInt8(truncatingIfNeeded: w >> (8 * UInt64(b)))) }
        }
        return out
    }
}
