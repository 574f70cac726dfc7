import Foundation
public import Tokenisation

/// Pattern mining on Bloom-filter bit positions, after Christen, Ranbaduge, Vatsalan and Schnell,
/// "Precise and fast cryptanalysis for Bloom filter based privacy-preserving record linkage" (IEEE
/// TKDE 2018) and their pattern-mining attack (PAKDD 2017).
///
/// Every record holding a q-gram has all of that q-gram's bit positions set, so the positions of a
/// frequent q-gram form a *pattern*: a set of about `hashes` columns whose intersection is (nearly)
/// as large as each column's core. The attack
/// 1. mines patterns: from the most frequent uncovered position, greedily intersects the column with
///    the column that keeps the most records, until `hashes` positions are taken or the intersection
///    halves (the q-gram's positions are used up);
/// 2. assigns patterns to the reference list's q-grams: first by frequency rank, then refined in
///    rounds by each pattern's co-occurrence with the most frequent patterns, compared with the
///    q-grams' co-occurrence in the reference list (so "starts with j" and "ends with a" are told
///    apart by what else they occur with, not only by their counts);
/// 3. re-identifies: each record's filter holds the q-grams whose patterns it contains; the guesses
///    are the reference values whose identified q-grams differ least from those (ties: the more frequent).
///
/// It uses only what the hub holds: the filters and the batch header's `bits`, `hashes` and `q`.
public struct PatternMiningAttack: Sendable {
    /// The batch's Bloom parameters (`hashes` bounds a pattern, `q` makes the reference q-grams).
    public var bloom: BloomParameters
    /// The most patterns mined.
    public var maxPatterns: Int
    /// A pattern must be set in at least this share of the filters.
    public var minimumSupport: Double
    /// Rounds of co-occurrence refinement.
    public var rounds: Int
    /// Frequent patterns whose co-occurrence describes the others.
    public var anchors: Int

    /// An attack on filters made with `bloom`.
    public init(bloom: BloomParameters, maxPatterns: Int = 200, minimumSupport: Double = 0.003, rounds: Int = 6, anchors: Int = 30) {
        self.bloom = bloom
        self.maxPatterns = maxPatterns
        self.minimumSupport = minimumSupport
        self.rounds = rounds
        self.anchors = anchors
    }

    /// One field encoded in the attacked filters: its q-gram tag (`""` for a field-level filter,
    /// `"g:"` or `"s:"` in a record-level one) and the reference list's values of it.
    public struct Field: Sendable {
        /// The prefix of this field's q-grams in the filter.
        public var tag: String
        /// The reference list's values (repeats kept: frequencies matter).
        public var reference: [String]

        /// A field with `tag` and `reference` values.
        public init(tag: String, reference: [String]) {
            self.tag = tag
            self.reference = reference
        }
    }

    /// What the attack found, for reports and tests.
    public struct Outcome: Sendable {
        /// Guesses per field (in `fields` order), per record (nil filter: no guesses).
        public var guesses: [[[String]]]
        /// Patterns mined.
        public var patterns: Int
        /// Each q-gram the attack believes it found, with the bit positions it assigned to it
        /// (tests compare them with the true positions of an unkeyed encoding).
        public var assignment: [String: [Int]]
    }

    /// Runs the attack on one filter per record.
    public func run(filters: [BloomFilter?], fields: [Field], guesses: Int) -> Outcome {
        let present = filters.indices.filter { filters[$0].map { !$0.isEmpty } ?? false }
        let empty = Outcome(guesses: fields.map { _ in filters.map { _ in [] } }, patterns: 0, assignment: [:])
        guard let first = present.first.flatMap({ filters[$0] }) else { return empty }
        let n = present.count
        let bits = first.bitCount
        var cols = [BitSet](repeating: BitSet(count: n), count: bits)
        for (row, r) in present.enumerated() {
            let f = filters[r]!
            for (w, word) in f.words.enumerated() where word != 0 {
                var x = word
                while x != 0 {
                    let b = x.trailingZeroBitCount
                    cols[w * 64 + b].insert(row)
                    x &= x - 1
                }
            }
        }
        let patterns = mine(cols: cols, records: n)
        guard !patterns.isEmpty else { return empty }

        // The reference list's q-grams, tagged, with the persons holding each.
        let persons = fields.map(\.reference.count).max() ?? 0
        var gramPersons: [String: BitSet] = [:]
        for field in fields {
            for (j, value) in field.reference.enumerated() where !value.isEmpty {
                for g in Set(KeyedEncoder.qgrams(value, q: bloom.q)) { gramPersons[field.tag + g, default: BitSet(count: persons)].insert(j) }
            }
        }
        let gramCounts = gramPersons.mapValues(\.count)
        let grams = gramCounts.keys.sorted { gramCounts[$0]! != gramCounts[$1]! ? gramCounts[$0]! > gramCounts[$1]! : $0 < $1 }
            .prefix(patterns.count * 2)
        let gramSets = grams.map { gramPersons[$0]! }
        let assignment = assign(patterns: patterns, records: n, grams: Array(grams), gramSets: gramSets, persons: persons)

        // Re-identification per field.
        var out: [[[String]]] = []
        for field in fields {
            let tagged = assignment.filter { grams[$0.value].hasPrefix(field.tag) }
            let known = tagged.map { (pattern: $0.key, gram: String(grams[$0.value].dropFirst(field.tag.count))) }.sorted { $0.pattern < $1.pattern }
            var gramIndex: [String: Int] = [:]
            for (i, k) in known.enumerated() { gramIndex[k.gram] = i }
            let words = (known.count + 63) / 64
            let table = FrequencyTable(field.reference.filter { !$0.isEmpty })
            let valueBits: [[UInt64]] = table.values.map { v in
                var b = [UInt64](repeating: 0, count: words)
                for g in KeyedEncoder.qgrams(v, q: bloom.q) { if let i = gramIndex[g] { b[i >> 6] |= 1 << UInt64(i & 63) } }
                return b
            }
            var cache: [[UInt64]: [String]] = [:]
            var perRecord = [[String]](repeating: [], count: filters.count)
            for (row, r) in present.enumerated() {
                var b = [UInt64](repeating: 0, count: words)
                for (i, k) in known.enumerated() where patterns[k.pattern].records.contains(row) { b[i >> 6] |= 1 << UInt64(i & 63) }
                if let hit = cache[b] { perRecord[r] = hit; continue }
                var scored: [(mismatch: Int, rank: Int)] = []
                scored.reserveCapacity(valueBits.count)
                for (v, vb) in valueBits.enumerated() {
                    var d = 0
                    for w in 0..<words { d += (vb[w] ^ b[w]).nonzeroBitCount }
                    scored.append((d, v))
                }
                scored.sort { $0.mismatch != $1.mismatch ? $0.mismatch < $1.mismatch : $0.rank < $1.rank }
                let top = scored.prefix(guesses).map { table.values[$0.rank] }
                cache[b] = top
                perRecord[r] = top
            }
            out.append(perRecord)
        }
        var byGram: [String: [Int]] = [:]
        for (p, g) in assignment { byGram[grams[g]] = patterns[p].positions.sorted() }
        return Outcome(guesses: out, patterns: patterns.count, assignment: byGram)
    }

    struct Pattern {
        var positions: [Int]
        var records: BitSet
        var support: Int
    }

    /// Step 1: patterns of co-set positions, most supported first.
    func mine(cols: [BitSet], records n: Int) -> [Pattern] {
        let counts = cols.map(\.count)
        let order = counts.indices.sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
        let minimum = max(3, Int((minimumSupport * Double(n)).rounded(.up)))
        let enough = max(2, bloom.hashes / 2)
        var covered = [Bool](repeating: false, count: cols.count)
        var patterns: [Pattern] = []
        for seed in order where !covered[seed] {
            guard counts[seed] >= minimum, patterns.count < maxPatterns else { break }
            var set = cols[seed]
            var size = counts[seed]
            var positions = [seed]
            var taken = [Bool](repeating: false, count: cols.count)
            taken[seed] = true
            while positions.count < bloom.hashes {
                var best = -1, bestCount = -1
                for q in order {
                    if counts[q] <= bestCount { break }
                    if taken[q] { continue }
                    let c = set.intersectionCount(cols[q])
                    if c > bestCount { bestCount = c; best = q }
                }
                guard best >= 0, bestCount >= minimum else { break }
                if positions.count >= enough && bestCount * 2 < size { break }
                set = set.intersection(cols[best])
                size = bestCount
                positions.append(best)
                taken[best] = true
            }
            covered[seed] = true
            guard positions.count >= enough, size >= minimum else { continue }
            // The same q-gram reached from another seed: keep the first.
            let duplicate = patterns.contains { p in
                let shared = Set(p.positions).intersection(positions).count
                return shared * 2 >= min(p.positions.count, positions.count)
            }
            for p in positions { covered[p] = true }
            if !duplicate { patterns.append(Pattern(positions: positions, records: set, support: size)) }
        }
        return patterns.sorted { $0.support > $1.support }
    }

    /// Step 2: pattern index → gram index, one to one.
    func assign(patterns: [Pattern], records n: Int, grams: [String], gramSets: [BitSet], persons m: Int) -> [Int: Int] {
        let pShare = patterns.map { Double($0.support) / Double(n) }
        let gCount = gramSets.map(\.count)
        let gShare = gCount.map { Double($0) / Double(max(m, 1)) }
        var assignment: [Int: Int] = [:]
        for i in 0..<min(patterns.count, grams.count) { assignment[i] = i }
        let a = min(anchors, patterns.count)
        // Co-occurrence of each pattern with each anchor pattern, as a share of the pattern's records.
        let pCo: [[Double]] = patterns.map { p in
            (0..<a).map { Double(p.records.intersectionCount(patterns[$0].records)) / Double(max(p.support, 1)) }
        }
        // Only co-occurrence with the anchors' grams is needed: every pair of grams would be grams² bit operations.
        func gCo(_ g: Int, _ anchorGram: Int) -> Double {
            Double(gramSets[g].intersectionCount(gramSets[anchorGram])) / Double(max(gCount[g], 1))
        }
        for _ in 0..<rounds {
            let anchorGrams = (0..<a).map { assignment[$0] ?? 0 }
            var pairs: [(d: Double, p: Int, g: Int)] = []
            pairs.reserveCapacity(patterns.count * grams.count)
            for g in grams.indices {
                let co = anchorGrams.map { gCo(g, $0) }
                for p in patterns.indices {
                    var d = abs(log(pShare[p]) - log(max(gShare[g], 1e-9)))
                    for i in 0..<a where i != p && anchorGrams[i] != g { d += abs(pCo[p][i] - co[i]) }
                    pairs.append((d, p, g))
                }
            }
            pairs.sort { $0.d != $1.d ? $0.d < $1.d : ($0.p, $0.g) < ($1.p, $1.g) }
            var next: [Int: Int] = [:]
            var usedG = Set<Int>()
            for pair in pairs where next[pair.p] == nil && !usedG.contains(pair.g) {
                next[pair.p] = pair.g
                usedG.insert(pair.g)
                if next.count == patterns.count { break }
            }
            if next == assignment { break }
            assignment = next
        }
        return assignment
    }
}
