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
/// 2. assigns patterns to the reference list's q-grams: first by frequency rank, then refined by a
///    local search that makes the patterns' co-occurrence match the q-grams' co-occurrence in the
///    reference list (so "starts with j" and "ends with a" are told apart by what else they occur
///    with, not only by their counts);
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
    /// Sweeps of the co-occurrence refinement, in fours.
    public var rounds: Int
    /// Split the closure of always-co-occurring q-grams (step 1).
    public var splitClosures: Bool
    /// Assign by local search on the co-occurrence matrices rather than by anchors (step 2).
    public var localSearch: Bool
    /// The shares of a pattern's positions a filter must have set to be taken to hold its q-gram
    /// when re-identifying (step 3), each tried; below 1 tolerates flipped or cancelled bits.
    public var memberships: [Double]

    /// An attack on filters made with `bloom`.
    public init(bloom: BloomParameters, maxPatterns: Int = 200, minimumSupport: Double = 0.003, rounds: Int = 6, splitClosures: Bool = false, localSearch: Bool = true,
        memberships: [Double] = [1, 0.8]
    ) {
        self.bloom = bloom
        self.maxPatterns = maxPatterns
        self.minimumSupport = minimumSupport
        self.rounds = rounds
        self.splitClosures = splitClosures
        self.localSearch = localSearch
        self.memberships = memberships
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
        /// Each q-gram the attack believes it found, with the bit positions it assigned to it.
        public var assignment: [String: [Int]]
        /// The share of filters (over all fields) whose identified q-grams are exactly those of
        /// their first guess: how the attacker, who has no truth, tells a good run from a bad one.
        public var consistency: Double
    }

    /// Runs the attack with each combination of ``splitClosures`` and ``localSearch`` and keeps the
    /// outcome the attacker would trust most: the highest ``Outcome/consistency`` (no truth used).
    public func runBest(filters: [BloomFilter?], fields: [Field], guesses: Int) -> Outcome {
        var best: Outcome?
        for split in [false, true] {
            for local in [true, false] {
                var variant = self
                variant.splitClosures = split
                variant.localSearch = local
                let outcome = variant.run(filters: filters, fields: fields, guesses: guesses)
                if best == nil || outcome.consistency > best!.consistency { best = outcome }
            }
        }
        return best!
    }

    /// Runs the attack on one filter per record.
    public func run(filters: [BloomFilter?], fields: [Field], guesses: Int) -> Outcome {
        let present = filters.indices.filter { filters[$0].map { !$0.isEmpty } ?? false }
        let empty = Outcome(guesses: fields.map { _ in filters.map { _ in [] } }, patterns: 0, assignment: [:], consistency: 0)
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
        let patterns = splitClosures ? mine(cols: cols, records: n) : mineGreedy(cols: cols, records: n)
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
        let assignment = localSearch
            ? assign(patterns: patterns, records: n, grams: Array(grams), gramSets: gramSets, persons: persons)
            : assignByAnchors(patterns: patterns, records: n, grams: Array(grams), gramSets: gramSets, persons: persons)

        // Re-identification per field, at each membership threshold; the attacker keeps the one
        // under which the most filters match a reference value exactly.
        func reidentify(_ membership: Double) -> (out: [[[String]]], exact: Int) {
        var out: [[[String]]] = []
        var exact = 0
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
            var cache: [[UInt64]: (top: [String], exact: Bool)] = [:]
            var perRecord = [[String]](repeating: [], count: filters.count)
            for r in present {
                var b = [UInt64](repeating: 0, count: words)
                let f = filters[r]!
                for (i, k) in known.enumerated() {
                    let positions = patterns[k.pattern].positions
                    // Tolerant of a few unset positions (BLIP's flips, XOR-folding's cancellations).
                    let set = positions.reduce(0) { $0 + (f.isSet($1) ? 1 : 0) }
                    if Double(set) >= membership * Double(positions.count) { b[i >> 6] |= 1 << UInt64(i & 63) }
                }
                if let hit = cache[b] {
                    perRecord[r] = hit.top
                    if hit.exact { exact += 1 }
                    continue
                }
                var scored: [(mismatch: Int, rank: Int)] = []
                scored.reserveCapacity(valueBits.count)
                for (v, vb) in valueBits.enumerated() {
                    var d = 0
                    for w in 0..<words { d += (vb[w] ^ b[w]).nonzeroBitCount }
                    scored.append((d, v))
                }
                scored.sort { $0.mismatch != $1.mismatch ? $0.mismatch < $1.mismatch : $0.rank < $1.rank }
                let top = scored.prefix(guesses).map { table.values[$0.rank] }
                let isExact = scored.first?.mismatch == 0
                cache[b] = (top, isExact)
                if isExact { exact += 1 }
                perRecord[r] = top
            }
            out.append(perRecord)
        }
        return (out, exact)
        }
        var best = reidentify(memberships[0])
        for m in memberships.dropFirst() {
            let next = reidentify(m)
            if next.exact > best.exact { best = next }
        }
        let (out, exact) = best
        var byGram: [String: [Int]] = [:]
        for (p, g) in assignment { byGram[grams[g]] = patterns[p].positions.sorted() }
        let consistency = Double(exact) / Double(max(n * fields.count, 1))
        return Outcome(guesses: out, patterns: patterns.count, assignment: byGram, consistency: consistency)
    }

    struct Pattern {
        var positions: [Int]
        var records: BitSet
        var support: Int
    }

    /// Step 1: patterns of co-set positions, most supported first.
    ///
    /// Q-grams that always occur together in the data (those of a very common name) all hold the
    /// records the greedy step converges to; their positions (the *closure*) are then told apart by
    /// the records outside that core, where each q-gram has other holders of its own.
    func mine(cols: [BitSet], records n: Int) -> [Pattern] {
        let counts = cols.map(\.count)
        let order = counts.indices.sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
        let minimum = max(3, Int((minimumSupport * Double(n)).rounded(.up)))
        let enough = max(2, bloom.hashes / 2)
        var covered = [Bool](repeating: false, count: cols.count)
        var patterns: [Pattern] = []
        func add(_ positions: [Int]) {
            var set = cols[positions[0]]
            for p in positions.dropFirst() { set = set.intersection(cols[p]) }
            let size = set.count
            guard size >= minimum else { return }
            let duplicate = patterns.contains { p in
                Set(p.positions).intersection(positions).count * 2 >= min(p.positions.count, positions.count)
            }
            if !duplicate { patterns.append(Pattern(positions: positions, records: set, support: size)) }
        }
        for seed in order where !covered[seed] {
            guard counts[seed] >= minimum, patterns.count < maxPatterns else { break }
            covered[seed] = true
            let (positions, set, size) = Self.grow(seed: seed, among: order, columns: cols, counts: counts, length: bloom.hashes, enough: enough, minimum: minimum)
            guard positions.count >= enough, size >= minimum else { continue }
            let closure = order.filter { set.intersectionCount(cols[$0]) * 100 >= size * 97 }
            for p in closure { covered[p] = true }
            guard closure.count * 2 > bloom.hashes * 3 else {
                add(positions)
                continue
            }
            var remaining = closure
            var failed = Set<Int>()
            while remaining.count >= enough, patterns.count < maxPatterns {
                var excess: [Int: BitSet] = [:]
                for p in remaining { excess[p] = cols[p].subtracting(set) }
                let local = remaining.sorted { excess[$0]!.count != excess[$1]!.count ? excess[$0]!.count > excess[$1]!.count : $0 < $1 }
                // A seed whose excess is another q-gram's (a collision) grows nowhere: try the next.
                guard let first = local.first(where: { !failed.contains($0) && excess[$0]!.count >= minimum }) else {
                    add(remaining)  // the rest always occur together: one pattern
                    break
                }
                var columns = cols, countsHere = counts
                for p in local {
                    columns[p] = excess[p]!
                    countsHere[p] = excess[p]!.count
                }
                let (part, _, _) = Self.grow(seed: first, among: local, columns: columns, counts: countsHere, length: bloom.hashes, enough: enough, minimum: minimum)
                guard part.count >= enough else {
                    failed.insert(first)
                    continue
                }
                add(part)
                remaining.removeAll { part.contains($0) }
            }
        }
        return patterns.sorted { $0.support > $1.support }
    }

    /// From `seed`, repeatedly adds the position of `among` (ordered by `counts`, most first) whose
    /// column keeps the most of the running intersection, until `length` positions are taken or,
    /// after `enough`, the intersection would halve.
    static func grow(
        seed: Int, among order: [Int], columns cols: [BitSet], counts: [Int], length: Int, enough: Int, minimum: Int
    ) -> (positions: [Int], set: BitSet, size: Int) {
        var set = cols[seed]
        var size = counts[seed]
        var positions = [seed]
        var taken = Set([seed])
        while positions.count < length {
            var best = -1, bestCount = -1
            for q in order {
                if counts[q] <= bestCount { break }
                if taken.contains(q) { continue }
                let c = set.intersectionCount(cols[q])
                if c > bestCount { bestCount = c; best = q }
            }
            guard best >= 0, bestCount >= minimum else { break }
            if positions.count >= enough && bestCount * 2 < size { break }
            set = set.intersection(cols[best])
            size = bestCount
            positions.append(best)
            taken.insert(best)
        }
        return (positions, set, size)
    }

    /// Step 2: pattern index → gram index, one to one. Starts from frequency rank, then moves
    /// patterns to other q-grams (or swaps two) while that brings the patterns' co-occurrence matrix
    /// (the share of filters holding both of two patterns) closer to the q-grams' co-occurrence in
    /// the reference list: a local search on the quadratic assignment between the two matrices.
    func assign(patterns: [Pattern], records n: Int, grams: [String], gramSets: [BitSet], persons m: Int) -> [Int: Int] {
        let np = patterns.count, ng = grams.count
        guard np > 0, ng > 0 else { return [:] }
        var jp = [Double](repeating: 0, count: np * np)
        for a in 0..<np {
            for b in a..<np {
                let v = Double(patterns[a].records.intersectionCount(patterns[b].records)) / Double(n)
                jp[a * np + b] = v
                jp[b * np + a] = v
            }
        }
        var jg = [Double](repeating: 0, count: ng * ng)
        for g in 0..<ng {
            for h in g..<ng {
                let v = Double(gramSets[g].intersectionCount(gramSets[h])) / Double(max(m, 1))
                jg[g * ng + h] = v
                jg[h * ng + g] = v
            }
        }
        var of = [Int](repeating: -1, count: np)   // pattern → gram
        var holder = [Int](repeating: -1, count: ng)  // gram → pattern
        for a in 0..<min(np, ng) { of[a] = a; holder[a] = a }
        // The cost of pattern a holding gram g, against every other pattern as currently assigned
        // (pattern `except` left out, and `swapPartner` taken to hold `swapGram`).
        func cost(_ a: Int, _ g: Int, except: Int = -1, swapPartner: Int = -1, swapGram: Int = -1) -> Double {
            var c = abs(jp[a * np + a] - jg[g * ng + g])
            for b in 0..<np where b != a && b != except {
                let h = b == swapPartner ? swapGram : of[b]
                guard h >= 0 else { continue }
                c += 2 * abs(jp[a * np + b] - jg[g * ng + h])
            }
            return c
        }
        for _ in 0..<(rounds * 4) {
            var improved = false
            for a in 0..<np {
                let g = of[a]
                guard g >= 0 else { continue }
                for g2 in 0..<ng where g2 != g {
                    let b = holder[g2]
                    let delta: Double
                    if b < 0 {
                        delta = cost(a, g2) - cost(a, g)
                    } else {
                        // Swap: a takes g2, b takes g; the a–b term is counted once.
                        let before = cost(a, g, except: b) + cost(b, g2, except: a) + 2 * abs(jp[a * np + b] - jg[g * ng + g2])
                        let after = cost(a, g2, except: b) + cost(b, g, except: a) + 2 * abs(jp[a * np + b] - jg[g2 * ng + g])
                        delta = after - before
                    }
                    if delta < -1e-12 {
                        of[a] = g2
                        holder[g2] = a
                        holder[g] = b
                        if b >= 0 { of[b] = g }
                        improved = true
                        break
                    }
                }
            }
            if !improved { break }
        }
        var out: [Int: Int] = [:]
        for a in 0..<np where of[a] >= 0 { out[a] = of[a] }
        return out
    }
    /// Step 1 without the closure split (the first version, kept for comparison).
    func mineGreedy(cols: [BitSet], records n: Int) -> [Pattern] {
        let counts = cols.map(\.count)
        let order = counts.indices.sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
        let minimum = max(3, Int((minimumSupport * Double(n)).rounded(.up)))
        let enough = max(2, bloom.hashes / 2)
        var covered = [Bool](repeating: false, count: cols.count)
        var patterns: [Pattern] = []
        for seed in order where !covered[seed] {
            guard counts[seed] >= minimum, patterns.count < maxPatterns else { break }
            let (positions, set, size) = Self.grow(
                seed: seed, among: order, columns: cols, counts: counts, length: bloom.hashes, enough: enough, minimum: minimum)
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

    /// Step 2 by anchors: frequency rank, then co-occurrence with the most frequent patterns.
    func assignByAnchors(patterns: [Pattern], records n: Int, grams: [String], gramSets: [BitSet], persons m: Int) -> [Int: Int] {
        let pShare = patterns.map { Double($0.support) / Double(n) }
        let gCount = gramSets.map(\.count)
        let gShare = gCount.map { Double($0) / Double(max(m, 1)) }
        var assignment: [Int: Int] = [:]
        for i in 0..<min(patterns.count, grams.count) { assignment[i] = i }
        let a = min(30, patterns.count)
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
