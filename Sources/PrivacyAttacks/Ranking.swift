/// Values with their counts, most frequent first (ties by value, so runs are reproducible).
struct FrequencyTable<Value: Hashable & Comparable> {
    /// Distinct values, most frequent first.
    let values: [Value]
    /// Count of each value in ``values`` order.
    let counts: [Int]

    init(_ items: some Sequence<Value>) {
        var counts: [Value: Int] = [:]
        for v in items { counts[v, default: 0] += 1 }
        let sorted = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        values = sorted.map(\.key)
        self.counts = sorted.map(\.value)
    }
}

/// Ranks `0..<count` by distance from `rank` (the rank itself, then rank+1, rank−1, …): the order in
/// which a frequency attacker tries plain values for the encoded value at `rank`. A rank past the
/// plain list starts from its last value.
func ranksNear(_ rank: Int, count: Int, limit: Int) -> [Int] {
    var out: [Int] = []
    guard count > 0 else { return out }
    let rank = min(rank, count - 1)
    var d = 0
    while out.count < limit && d < count {
        if rank + d < count { out.append(rank + d) }
        if d > 0, rank - d >= 0, out.count < limit { out.append(rank - d) }
        if rank + d >= count && rank - d < 0 { break }
        d += 1
    }
    return out
}

/// A fixed-length set of record indices as 64-bit words.
struct BitSet: Hashable {
    var words: [UInt64]

    init(count: Int) { words = [UInt64](repeating: 0, count: (count + 63) / 64) }

    mutating func insert(_ i: Int) { words[i >> 6] |= 1 << UInt64(i & 63) }
    func contains(_ i: Int) -> Bool { words[i >> 6] & (1 << UInt64(i & 63)) != 0 }
    var count: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    func intersectionCount(_ other: BitSet) -> Int {
        var n = 0
        for i in words.indices { n &+= (words[i] & other.words[i]).nonzeroBitCount }
        return n
    }

    func subtracting(_ other: BitSet) -> BitSet {
        var out = self
        for i in words.indices { out.words[i] &= ~other.words[i] }
        return out
    }

    func intersection(_ other: BitSet) -> BitSet {
        var out = self
        for i in words.indices { out.words[i] &= other.words[i] }
        return out
    }
}
