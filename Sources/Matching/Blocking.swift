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
        sufficientPasses: Set<String> = []
    ) {
        self.tokenPasses = tokenPasses
        self.lshBands = lshBands
        self.lshBitsPerBand = lshBitsPerBand
        self.maximumBlockSize = maximumBlockSize
        self.minimumSharedKeys = minimumSharedKeys
        self.sufficientPasses = sufficientPasses
    }

    /// True when a pair sharing `sharedKeys` keys (`sufficient`: one of them from a sufficient pass)
    /// is a candidate. The one rule, for the blocker here and the hub's persisted index.
    public func keeps(sharedKeys: Int, sufficient: Bool) -> Bool { sharedKeys >= minimumSharedKeys || sufficient }

    /// The pairs kept: `counts[pair]` keys shared in all, `sufficient` those that met in a sufficient pass.
    func kept(_ counts: [CandidatePair: Int], sufficient: Set<CandidatePair>) -> [CandidatePair] {
        counts.compactMap { keeps(sharedKeys: $0.value, sufficient: sufficient.contains($0.key)) ? $0.key : nil }
            .sorted { ($0.left, $0.right) < ($1.left, $1.right) }
    }
}

/// A candidate pair: an index into the left set and one into the right set.
public struct CandidatePair: Sendable, Hashable {
    /// Index of the left record.
    public let left: Int
    /// Index of the right record.
    public let right: Int

    /// Makes a pair.
    public init(left: Int, right: Int) {
        self.left = left
        self.right = right
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
public struct Blocker: Sendable {
    /// The configuration in use.
    public let configuration: BlockingConfiguration
    private let bandPositions: [[Int]]

    /// A blocker for `configuration`, with LSH bit samples drawn deterministically for filters of `filterBits` bits.
    public init(configuration: BlockingConfiguration = .standard, filterBits: Int = 1024) {
        self.configuration = configuration
        var generator = SplitMix64(seed: 0x6d61_7368_6c69_6e6b)
        bandPositions = (0..<configuration.lshBands).map { _ in
            (0..<configuration.lshBitsPerBand).map { _ in Int(generator.next() % UInt64(filterBits)) }
        }
    }

    /// The blocking keys of one record: pass name (LSH bands as `lsh<i>`) with the key bytes.
    public func keys(of record: EncodedRecord) -> [BlockKey] {
        var keys: [BlockKey] = []
        for pass in configuration.tokenPasses {
            // dob.swapped shares dob's key space, so it joins dob's blocks.
            let space = pass == TokenName.dobSwapped ? TokenName.dob : pass
            for token in record.tokens[pass] ?? [] { keys.append(BlockKey(pass: space, value: token.bytes)) }
        }
        if let filter = record.filters["record"], !filter.isEmpty {
            for (band, positions) in bandPositions.enumerated() {
                var value = [UInt8](repeating: 0, count: (positions.count + 7) / 8)
                for (i, p) in positions.enumerated() where filter.isSet(p) { value[i >> 3] |= 1 << UInt8(i & 7) }
                keys.append(BlockKey(pass: "lsh\(band)", value: value))
            }
        }
        return keys
    }

    /// Candidate pairs between `left` and `right` (two agencies' records).
    public func candidates(left: [EncodedRecord], right: [EncodedRecord]) -> BlockingResult {
        let index = self.index(right)
        var leftBlocks: [BlockKey: [Int]] = [:]
        for (i, record) in left.enumerated() {
            for key in Set(keys(of: record)) where index[key] != nil { leftBlocks[key, default: []].append(i) }
        }
        var counts: [CandidatePair: Int] = [:], sufficient = Set<CandidatePair>()
        var oversized: [String: Int] = [:]
        for (key, lefts) in leftBlocks {
            let rights = index[key]!
            guard lefts.count <= configuration.maximumBlockSize, rights.count <= configuration.maximumBlockSize else {
                oversized[key.passFamily, default: 0] += 1
                continue
            }
            let alone = configuration.sufficientPasses.contains(key.pass)
            for l in lefts {
                for r in rights {
                    let pair = CandidatePair(left: l, right: r)
                    counts[pair, default: 0] += 1
                    if alone { sufficient.insert(pair) }
                }
            }
        }
        return BlockingResult(pairs: configuration.kept(counts, sufficient: sufficient), oversizedBlocks: oversized)
    }

    /// Candidate pairs inside one agency's `records` (possible duplicates), each pair once with
    /// `left < right`.
    public func candidates(within records: [EncodedRecord]) -> BlockingResult {
        var counts: [CandidatePair: Int] = [:], sufficient = Set<CandidatePair>()
        var oversized: [String: Int] = [:]
        for (key, block) in index(records) where block.count > 1 {
            guard block.count <= configuration.maximumBlockSize else {
                oversized[key.passFamily, default: 0] += 1
                continue
            }
            let alone = configuration.sufficientPasses.contains(key.pass)
            for x in block.indices {
                for y in block.indices where y > x {
                    let pair = CandidatePair(left: block[x], right: block[y])
                    counts[pair, default: 0] += 1
                    if alone { sufficient.insert(pair) }
                }
            }
        }
        return BlockingResult(pairs: configuration.kept(counts, sufficient: sufficient), oversizedBlocks: oversized)
    }

    /// Record indices by blocking key.
    private func index(_ records: [EncodedRecord]) -> [BlockKey: [Int]] {
        var index: [BlockKey: [Int]] = [:]
        for (i, record) in records.enumerated() {
            for key in Set(keys(of: record)) { index[key, default: []].append(i) }
        }
        return index
    }
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
