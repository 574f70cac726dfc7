public import Tokenisation

/// How candidate pairs are found without comparing every record with every other.
///
/// Several keyed blocking passes are unioned: two records become a candidate pair if they share a
/// value in any pass. The passes use tokens the agencies already computed (the hub never sees clear
/// values), plus Hamming-LSH bands over the record-level Bloom filter so that records with a typo
/// in every blocking field can still meet.
public struct BlockingConfiguration: Sendable, Hashable {
    /// Token names whose values form blocking keys. `dob.swapped` is keyed like `dob`, so listing it
    /// lets a transposed day and month meet the true date.
    public var tokenPasses: [String]
    /// Number of LSH bands over the `record` filter (0 turns LSH off).
    public var lshBands: Int
    /// Bits sampled per band: more bits, fewer and purer candidates.
    public var lshBitsPerBand: Int
    /// A block with more records than this on either side is skipped (and counted), so that a common
    /// value cannot make candidate generation quadratic.
    public var maximumBlockSize: Int
    /// A pair becomes a candidate only if the two records share at least this many blocking keys
    /// (or one key of a ``sufficientPasses`` pass). This is meta-blocking by common blocks
    /// (Papadakis et al.): two records of one person share many keys (date of birth, name
    /// composites, most LSH bands), while two strangers who meet in one broad block (a common
    /// surname and initial, one LSH band) share one. It cuts candidates as the store grows, but it
    /// cost 2–6 points of recall on FEBRL (docs/matching.md), so the standard configuration keeps 1.
    public var minimumSharedKeys: Int
    /// Passes whose key alone makes a candidate (an identifier such as the NHS number).
    public var sufficientPasses: Set<String>
    /// A block holding more records than this on either side is *broad*: a pair that meets only in
    /// broad blocks becomes a candidate only if it shares at least two keys (or one of a
    /// ``sufficientPasses`` pass). Meta-blocking weighted by block size (Papadakis et al.'s ECBS
    /// weights the same way): meeting among 300 namesakes of one common surname and initial is
    /// weaker evidence, and costs 300 comparisons, where meeting in a block of three is neither.
    /// `Int.max` turns it off.
    public var broadBlockSize: Int

    /// The default passes: full date of birth (and its swap), NHS number, any other identifier the
    /// agencies share, house number with postcode, the three composite keys, and the unordered pair
    /// of given name and surname (so transposed names meet whatever else differs); 24 LSH bands of 24
    /// bits; blocks capped at 500 records a side.
    public static let standard = BlockingConfiguration(
        tokenPasses: [
            TokenName.dob, TokenName.dobSwapped, TokenName.nhs, TokenName.other, TokenName.houseAndPostcode,
            TokenName.blockSurnameYear, TokenName.blockGivenDistrict, TokenName.blockSurnameInitial, TokenName.namesUnordered,
        ],
        lshBands: 24, lshBitsPerBand: 24, maximumBlockSize: 500)

    /// Makes a configuration; by default one shared key makes a candidate.
    public init(
        tokenPasses: [String], lshBands: Int, lshBitsPerBand: Int, maximumBlockSize: Int, minimumSharedKeys: Int = 1,
        sufficientPasses: Set<String> = [], broadBlockSize: Int = .max
    ) {
        self.tokenPasses = tokenPasses
        self.lshBands = lshBands
        self.lshBitsPerBand = lshBitsPerBand
        self.maximumBlockSize = maximumBlockSize
        self.minimumSharedKeys = minimumSharedKeys
        self.sufficientPasses = sufficientPasses
        self.broadBlockSize = broadBlockSize
    }

    /// True when a pair sharing `sharedKeys` keys, `narrowKeys` of them in blocks no larger than
    /// ``broadBlockSize`` (`sufficient`: one of them from a sufficient pass), is a candidate. The
    /// one rule, for the blocker here and the hub's persisted index.
    public func keeps(sharedKeys: Int, narrowKeys: Int, sufficient: Bool) -> Bool {
        sufficient || (sharedKeys >= minimumSharedKeys && (narrowKeys > 0 || sharedKeys >= 2))
    }

    /// As ``keeps(sharedKeys:narrowKeys:sufficient:)``, for keys counted one at a time.
    public func keeps(_ shared: SharedKeys, sufficient: Bool) -> Bool {
        keeps(sharedKeys: shared.total, narrowKeys: shared.narrow, sufficient: sufficient)
    }

    /// True when a block of `left` records on one side and `right` on the other is broad.
    @inline(__always)
    public func isBroad(left: Int, right: Int) -> Bool { left > broadBlockSize || right > broadBlockSize }

}

/// The blocking keys two records share, counted as they are met: all of them, and those in blocks
/// that are not broad (``BlockingConfiguration/broadBlockSize``).
public struct SharedKeys: Sendable, Hashable {
    /// Keys shared.
    public private(set) var total = 0
    /// Keys shared in blocks no larger than the broad size.
    public private(set) var narrow = 0

    /// No key yet.
    public init() {}

    /// Counts one more shared key, from a narrow block or a broad one.
    public mutating func add(narrow isNarrow: Bool) {
        total += 1
        if isNarrow { narrow += 1 }
    }
}

/// A candidate pair: an index into the left set and one into the right set.
///
/// Held as two 32-bit indices (8 bytes, not 16): a million-record link holds a couple of hundred
/// million of them.
public struct CandidatePair: Sendable, Hashable {
    private let leftIndex: UInt32, rightIndex: UInt32

    /// Index of the left record.
    public var left: Int { Int(leftIndex) }
    /// Index of the right record.
    public var right: Int { Int(rightIndex) }

    /// Makes a pair; both indices are below 2^32.
    public init(left: Int, right: Int) {
        leftIndex = UInt32(left)
        rightIndex = UInt32(right)
    }
}

/// The outcome of blocking: the pairs, and what was skipped so an operator can see it.
public struct BlockingResult: Sendable {
    /// Unique candidate pairs, sorted.
    public let pairs: [CandidatePair]
    /// Blocks skipped for exceeding ``BlockingConfiguration/maximumBlockSize``, by pass name.
    public let oversizedBlocks: [String: Int]
}

/// Builds blocking keys and candidate pairs. Work is linear in the records plus the pairs produced:
/// there is no all-pairs pass, and capped blocks bound the pairs any one key can add.
///
/// Inside, keys are packed (a key space and up to 16 bytes in two words) and blocks are found by
/// sorting: one record's keys cost no allocation each, and no dictionary of arrays is built.
public struct Blocker: Sendable {
    /// The configuration in use.
    public let configuration: BlockingConfiguration
    private let bandPositions: [[Int]]
    /// The key space of each token pass (`dob.swapped` shares `dob`'s); LSH band `b` is space
    /// `tokenSpaceCount + b`.
    private let spaceOfPass: [Int]
    /// The ``TokenTable`` place of each token pass's name.
    private let placeOfPass: [Int?]
    private let tokenSpaceCount: Int
    /// Per space: the pass name reported for oversized blocks, and whether one shared key suffices.
    private let spaceFamily: [String]
    private let spaceSufficient: [Bool]

    /// A blocker for `configuration`, with LSH bit samples drawn deterministically for filters of `filterBits` bits.
    public init(configuration: BlockingConfiguration = .standard, filterBits: Int = 1024) {
        self.configuration = configuration
        var generator = SplitMix64(seed: 0x6d61_7368_6c69_6e6b)
        bandPositions = (0..<configuration.lshBands).map { _ in
            (0..<configuration.lshBitsPerBand).map { _ in Int(generator.next() % UInt64(filterBits)) }
        }
        var spaces: [String] = []
        spaceOfPass = configuration.tokenPasses.map { pass in
            let space = Self.space(of: pass)
            if let i = spaces.firstIndex(of: space) { return i }
            spaces.append(space)
            return spaces.count - 1
        }
        tokenSpaceCount = spaces.count
        placeOfPass = configuration.tokenPasses.map(TokenTable.place(of:))
        spaceFamily = spaces + Array(repeating: "lsh", count: configuration.lshBands)
        spaceSufficient = spaces.map { configuration.sufficientPasses.contains($0) }
            + (0..<configuration.lshBands).map { configuration.sufficientPasses.contains("lsh\($0)") }
    }

    /// dob.swapped shares dob's key space, so it joins dob's blocks.
    private static func space(of pass: String) -> String { pass == TokenName.dobSwapped ? TokenName.dob : pass }

    /// The blocking keys of one record: pass name (LSH bands as `lsh<i>`) with the key bytes.
    public func keys(of record: EncodedRecord) -> [BlockKey] {
        var keys: [BlockKey] = []
        for pass in configuration.tokenPasses {
            let space = Self.space(of: pass)
            for token in record.tokenTable.tokens(named: pass) { keys.append(BlockKey(pass: space, value: token.bytes)) }
        }
        if let filter = record.filterSet.filter(named: "record"), !filter.isEmpty {
            for (band, positions) in bandPositions.enumerated() {
                keys.append(BlockKey(pass: "lsh\(band)", value: Self.sampledBits(filter, positions)))
            }
        }
        return keys
    }

    /// An LSH band's key: the filter's bits at `positions`, bit i at byte i / 8, bit i % 8.
    private static func sampledBits(_ filter: BloomFilter, _ positions: [Int]) -> [UInt8] {
        var value = [UInt8](repeating: 0, count: (positions.count + 7) / 8)
        for (i, p) in positions.enumerated() where filter.isSet(p) { value[i >> 3] |= 1 << UInt8(i & 7) }
        return value
    }

    /// One record's distinct keys, packed (the same keys as ``keys(of:)``, in another form).
    func packedKeys(of record: EncodedRecord, into keys: inout [PackedKey]) {
        keys.removeAll(keepingCapacity: true)
        let table = record.tokenTable
        for (p, pass) in configuration.tokenPasses.enumerated() {
            guard let place = placeOfPass[p] else {
                for token in table.tokens(named: pass) { keys.append(PackedKey(token, space: spaceOfPass[p])) }
                continue
            }
            for i in table.range(ofPlace: place) { keys.append(PackedKey(table.token(at: i), space: spaceOfPass[p])) }
        }
        if let filter = record.filterSet.filter(named: "record"), !filter.isEmpty {
            for (band, positions) in bandPositions.enumerated() {
                let space = tokenSpaceCount + band
                if positions.count <= 128 {
                    var low: UInt64 = 0, high: UInt64 = 0
                    for (i, p) in positions.enumerated() where filter.isSet(p) {
                        if i < 64 { low |= 1 << UInt64(i) } else { high |= 1 << UInt64(i - 64) }
                    }
                    keys.append(PackedKey(space: UInt32(space) | UInt32((positions.count + 7) / 8) << 24, low: low, high: high))
                } else {
                    keys.append(PackedKey(space: space, bytes: Self.sampledBits(filter, positions)))
                }
            }
        }
        keys.sort()
        var w = 0
        for k in keys.indices where w == 0 || keys[w - 1] != keys[k] {
            keys[w] = keys[k]
            w += 1
        }
        keys.removeLast(keys.count - w)
    }

    /// Every (key, record index) of `records`, sorted by key: what a set of records brings to blocking.
    /// Build it once per agency and reuse it for every pair of agencies.
    public func keyed(_ records: [EncodedRecord]) -> KeyedRecords {
        var entries: [KeyedRecords.Entry] = []
        var keys: [PackedKey] = []
        for (i, record) in records.enumerated() {
            packedKeys(of: record, into: &keys)
            for k in keys { entries.append(.init(k, record: i)) }
        }
        entries.sort { ($0.space, $0.key, $0.record) < ($1.space, $1.key, $1.record) }
        // Grown by doubling, the array may hold twice what it needs, for as long as blocking runs.
        var exact: [KeyedRecords.Entry] = []
        exact.reserveCapacity(entries.count)
        exact.append(contentsOf: entries)
        return KeyedRecords(entries: exact)
    }

    /// Candidate pairs between `left` and `right` (two agencies' records).
    public func candidates(left: [EncodedRecord], right: [EncodedRecord]) -> BlockingResult {
        candidates(left: keyed(left), right: keyed(right))
    }

    /// Candidate pairs between two agencies' keyed records whose left record is in `leftRecords`
    /// (every left record by default).
    ///
    /// Splitting a task by ranges of left records gives, range after range, exactly the pairs of the
    /// whole task in the same order, while only one range's raw pairs are held: a million-record
    /// link makes a task's hundred million pairs a few million at a time, on every core. An
    /// oversized block is counted by the range holding its first left record, so the ranges' counts
    /// add up to the whole task's.
    public func candidates(left: KeyedRecords, right: KeyedRecords, leftRecords: Range<Int>? = nil) -> BlockingResult {
        var pairs: [UInt64] = [], broad: [UInt64] = [], sufficient: [UInt64] = []
        var oversized: [String: Int] = [:]
        let l = left.entries, r = right.entries
        let range = leftRecords.map { UInt32(clamping: $0.lowerBound)..<UInt32(clamping: $0.upperBound) } ?? 0..<UInt32.max
        Self.forEachSharedBlock(l, r) { lefts, rights in
            let first = l[lefts.lowerBound]
            guard lefts.count <= configuration.maximumBlockSize, rights.count <= configuration.maximumBlockSize else {
                if range.contains(first.record) { oversized[spaceFamily[Int(first.space)], default: 0] += 1 }
                return
            }
            let alone = spaceSufficient[Int(first.space)]
            let isBroad = configuration.isBroad(left: lefts.count, right: rights.count)
            for x in lefts where range.contains(l[x].record) {
                for y in rights {
                    let pair = UInt64(l[x].record) << 32 | UInt64(r[y].record)
                    if isBroad { broad.append(pair) } else { pairs.append(pair) }
                    if alone { sufficient.append(pair) }
                }
            }
        }
        return result(narrow: &pairs, broad: &broad, sufficient: sufficient, oversized: oversized)
    }

    /// How many pairs, duplicates included, blocking `left` against `right` (or, with `right` nil,
    /// `left` against itself) makes before they are merged: one pass over the keys, making nothing,
    /// so that a caller can decide how finely to split the work.
    public func rawPairCount(left: KeyedRecords, right: KeyedRecords?) -> Int {
        let cap = configuration.maximumBlockSize
        var total = 0
        guard let right else {
            Self.forEachBlock(left.entries) { if $0.count <= cap { total += $0.count * ($0.count - 1) / 2 } }
            return total
        }
        Self.forEachSharedBlock(left.entries, right.entries) { lefts, rights in
            if lefts.count <= cap && rights.count <= cap { total += lefts.count * rights.count }
        }
        return total
    }

    /// Calls `body` with the entry ranges of every block that both sorted entry lists hold.
    @inline(__always)
    private static func forEachSharedBlock(
        _ l: [KeyedRecords.Entry], _ r: [KeyedRecords.Entry], _ body: (Range<Int>, Range<Int>) -> Void
    ) {
        var i = 0, j = 0
        while i < l.count && j < r.count {
            if l[i].block < r[j].block { i += 1; continue }
            if r[j].block < l[i].block { j += 1; continue }
            let block = l[i].block
            var iEnd = i + 1, jEnd = j + 1
            while iEnd < l.count && l[iEnd].block == block { iEnd += 1 }
            while jEnd < r.count && r[jEnd].block == block { jEnd += 1 }
            body(i..<iEnd, j..<jEnd)
            (i, j) = (iEnd, jEnd)
        }
    }

    /// Calls `body` with the entry range of every block of one sorted entry list.
    @inline(__always)
    private static func forEachBlock(_ e: [KeyedRecords.Entry], _ body: (Range<Int>) -> Void) {
        var i = 0
        while i < e.count {
            var end = i + 1
            while end < e.count && e[end].block == e[i].block { end += 1 }
            body(i..<end)
            i = end
        }
    }

    /// Candidate pairs inside one agency's `records` (possible duplicates), each pair once with
    /// `left < right`.
    public func candidates(within records: [EncodedRecord]) -> BlockingResult {
        candidates(within: keyed(records))
    }

    /// Candidate pairs inside one agency's keyed records, each pair once with `left < right`, whose
    /// left record is in `leftRecords` (every record by default; see
    /// ``candidates(left:right:leftRecords:)`` for why a task is split).
    public func candidates(within keyed: KeyedRecords, leftRecords: Range<Int>? = nil) -> BlockingResult {
        var pairs: [UInt64] = [], broad: [UInt64] = [], sufficient: [UInt64] = []
        var oversized: [String: Int] = [:]
        let e = keyed.entries
        let range = leftRecords.map { UInt32(clamping: $0.lowerBound)..<UInt32(clamping: $0.upperBound) } ?? 0..<UInt32.max
        Self.forEachBlock(e) { block in
            guard block.count > 1 else { return }
            let first = e[block.lowerBound]
            guard block.count <= configuration.maximumBlockSize else {
                if range.contains(first.record) { oversized[spaceFamily[Int(first.space)], default: 0] += 1 }
                return
            }
            let alone = spaceSufficient[Int(first.space)]
            let isBroad = configuration.isBroad(left: block.count, right: block.count)
            // Entries of one key are sorted by record, so each pair comes out with left < right.
            for x in block where range.contains(e[x].record) {
                for y in (x + 1)..<block.upperBound {
                    let pair = UInt64(e[x].record) << 32 | UInt64(e[y].record)
                    if isBroad { broad.append(pair) } else { pairs.append(pair) }
                    if alone { sufficient.append(pair) }
                }
            }
        }
        return result(narrow: &pairs, broad: &broad, sufficient: sufficient, oversized: oversized)
    }

    /// The kept pairs, sorted: a pair's shared keys in narrow and in broad blocks are the lengths
    /// of its runs in the two sorted arrays, walked together. Both are sorted in place (a copy would
    /// double the largest arrays blocking holds).
    private func result(
        narrow: inout [UInt64], broad: inout [UInt64], sufficient: [UInt64], oversized: [String: Int]
    ) -> BlockingResult {
        narrow.sort()
        broad.sort()
        let sufficientSet = Set(sufficient)
        var kept: [CandidatePair] = []
        var i = 0, j = 0
        while i < narrow.count || j < broad.count {
            let pair = j == broad.count || (i < narrow.count && narrow[i] <= broad[j]) ? narrow[i] : broad[j]
            var narrowKeys = 0, broadKeys = 0
            while i < narrow.count && narrow[i] == pair { i += 1; narrowKeys += 1 }
            while j < broad.count && broad[j] == pair { j += 1; broadKeys += 1 }
            let alone = !sufficientSet.isEmpty && sufficientSet.contains(pair)
            if configuration.keeps(sharedKeys: narrowKeys + broadKeys, narrowKeys: narrowKeys, sufficient: alone) {
                kept.append(CandidatePair(left: Int(pair >> 32), right: Int(pair & 0xffff_ffff)))
            }
        }
        return BlockingResult(pairs: kept, oversizedBlocks: oversized)
    }
}

/// One set of records' blocking keys, sorted by key (``Blocker/keyed(_:)``).
public struct KeyedRecords: Sendable {
    /// One record's key: the packed key hashed to 64 bits (with its key space), the record, and the
    /// key space again, which orders the entries (a space's blocks together, as the pairs they make
    /// are then nearly sorted already) and names oversized blocks. 16 bytes, not 32: a million
    /// records bring 30 million keys.
    /// Two keys that hash alike join one block, which can only add candidates (each still scored),
    /// never lose one; at 2^-64 a pair of keys it does not happen in practice.
    struct Entry: Sendable {
        let key: UInt64
        let record: UInt32
        let space: UInt16

        init(_ packed: PackedKey, record: Int) {
            key = Self.mix(Self.mix(Self.mix(UInt64(packed.space)) ^ packed.high) ^ packed.low)
            self.record = UInt32(record)
            space = UInt16(packed.spaceIndex)
        }

        /// The block the entry belongs to.
        @inline(__always)
        var block: (UInt16, UInt64) { (space, key) }

        /// SplitMix64's finaliser (Steele, Lea and Flood 2014): every input bit reaches every output bit.
        private static func mix(_ x: UInt64) -> UInt64 {
            var z = x &+ 0x9e37_79b9_7f4a_7c15
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }
    }
    let entries: [Entry]
}

/// A blocking key packed into three words: the key space (with the value's length in the top
/// byte) and up to 16 value bytes; a longer value is hashed into the 16 bytes, which can only
/// merge two blocks (adding candidates, each still scored) and never drops one.
struct PackedKey: Hashable, Comparable, Sendable {
    let space: UInt32
    let low: UInt64, high: UInt64

    init(space: UInt32, low: UInt64, high: UInt64) {
        self.space = space
        self.low = low
        self.high = high
    }

    /// The key of `token` in key space `space`.
    init(_ token: Token, space: Int) {
        self = token.isStandard
            ? PackedKey(space: UInt32(space) | 16 << 24, low: token.low, high: token.high)
            : PackedKey(space: space, bytes: token.bytes)
    }

    init(space: Int, bytes: [UInt8]) {
        var low: UInt64 = 0, high: UInt64 = 0
        if bytes.count <= 16 {
            for (i, b) in bytes.enumerated() {
                if i < 8 { low |= UInt64(b) << UInt64(8 * i) } else { high |= UInt64(b) << UInt64(8 * (i - 8)) }
            }
        } else {
            low = 0xcbf2_9ce4_8422_2325
            high = 0x8422_2325_cbf2_9ce4
            for b in bytes {
                low = (low ^ UInt64(b)) &* 0x0000_0100_0000_01b3
                high = (high ^ UInt64(b)) &* 0x0000_0100_0000_01b3 ^ 0x5bd1_e995
            }
        }
        self.init(space: UInt32(space) | UInt32(min(bytes.count, 255)) << 24, low: low, high: high)
    }

    /// The key space, without the length byte.
    var spaceIndex: Int { Int(space & 0x00ff_ffff) }

    static func < (a: PackedKey, b: PackedKey) -> Bool { (a.space, a.high, a.low) < (b.space, b.high, b.low) }
}

/// One blocking key: the pass it belongs to and its value.
public struct BlockKey: Sendable, Hashable {
    /// The pass (token name, or `lsh<band>`).
    public let pass: String
    /// The key bytes (a token, or the sampled filter bits).
    public let value: [UInt8]

    /// The pass, with every LSH band counted as `lsh`.
    public var passFamily: String { pass.hasPrefix("lsh") ? "lsh" : pass }
}

/// Blocking quality against known true pairs (FEBRL's links, a labelled sample).
public struct BlockingMetrics: Sendable {
    /// Share of true pairs that are candidates.
    public let pairsCompleteness: Double
    /// 1 − candidates / all possible pairs.
    public let reductionRatio: Double
    /// Candidate pairs produced.
    public let candidateCount: Int

    /// Measures `result` against `truePairs` for sets of `leftCount` × `rightCount` records.
    public init(result: BlockingResult, truePairs: Set<CandidatePair>, leftCount: Int, rightCount: Int) {
        let found = result.pairs.reduce(0) { $0 + (truePairs.contains($1) ? 1 : 0) }
        pairsCompleteness = truePairs.isEmpty ? 0 : Double(found) / Double(truePairs.count)
        reductionRatio = 1 - Double(result.pairs.count) / Double(max(leftCount * rightCount, 1))
        candidateCount = result.pairs.count
    }
}

/// SplitMix64 (Steele, Lea and Flood 2014): a tiny deterministic generator for LSH bit sampling,
/// which must be the same on every run so that blocking keys are stable. Not for anything secret.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
