public import Tokenisation

/// One agency's new batch scored against records already linked, for an incremental link: the
/// caller (the hub, from its persisted blocking index) supplies the candidate pairs between the new
/// records and each other agency's; duplicates inside the new batch are blocked here.
public struct IncrementalScoring: Sendable {
    /// A scored pair in the match or possible band: `left` indexes the new records, `right` the
    /// other agency's (or, for a duplicate, the new records too, with `left < right`).
    public struct Pair: Sendable, Hashable {
        public let left: Int, right: Int
        public let score: Double
        public let band: MatchBand
    }

    /// Per other agency, the pairs kept (one-to-one, as in a full link) in the match or possible band.
    public let cross: [[Pair]]
    /// Per other agency, match-band pairs that lost one-to-one to a stronger pair of the same record.
    /// The caller keeps them as links where clustering puts both records in one person (the other
    /// side holds that person twice), as a full link does.
    public let displaced: [[Pair]]
    /// Per other agency, compared pairs scored below the possible band: explicit evidence of two
    /// different people, which clustering respects.
    public let crossConflicts: [[CandidatePair]]
    /// Duplicates inside the new batch (match or possible band).
    public let duplicates: [Pair]
    /// Pairs inside the new batch scored below the possible band.
    public let duplicateConflicts: [CandidatePair]
    /// Candidate pairs compared in all.
    public let candidatePairs: Int
    /// Blocks inside the new batch skipped for being over the cap, by pass.
    public let oversizedBlocks: [String: Int]
}

extension Linker {
    /// Scores `new` (one agency's records) against `others` (each another agency's candidate
    /// records) over `pairs[k]` (candidate pairs with `others[k]`), and inside `new` when
    /// `withinAgency`. Scoring, one-to-one resolution and bands are those of ``link(_:blocker:model:matchThreshold:possibleThreshold:termFrequencyAdjustment:termFrequencies:withinAgency:threads:)``,
    /// so with the same model, term frequencies and candidate pairs an incremental link finds the
    /// links a full one would.
    ///
    /// The other agencies' records come as their ``ComparisonProfiles`` (all that scoring reads of
    /// them), which a store can keep so that it need not decode whole records; `newProfiles`, when
    /// the caller has built them, must be `ComparisonProfiles(new)`.
    public static func scoreIncrement(
        _ new: [EncodedRecord], profiles newProfiles: ComparisonProfiles? = nil, against others: [ComparisonProfiles], pairs: [[CandidatePair]],
        scorer: Scorer, blocker: Blocker, withinAgency: Bool, threads: Int
    ) -> IncrementalScoring {
        let newProfiles = newProfiles ?? ComparisonProfiles(new)
        precondition(others.count == pairs.count, "one list of candidate pairs per other agency")
        precondition(newProfiles.count == new.count, "one profile per new record")
        let model = scorer.model
        let adjustments = scorer.adjustments(new)
        /// Scores of `pairs` of a new record (left) with one of `rightProfiles`.
        func scored(_ rightProfiles: ComparisonProfiles, _ pairs: [CandidatePair], within: Bool) -> [Double] {
            Parallel.chunked(pairs, threads: threads) { p in
                scorer.score(Comparator.compare(newProfiles, p.left, rightProfiles, p.right), adjustments: adjustments, left: p.left, withinAgency: within)
            }
        }
        var cross: [[IncrementalScoring.Pair]] = [], crossConflicts: [[CandidatePair]] = [], displaced: [[IncrementalScoring.Pair]] = []
        for (k, other) in others.enumerated() {
            let scores = scored(other, pairs[k], within: false)
            let kept = OneToOne.keep(pairs[k], scores: scores)
            var out: [IncrementalScoring.Pair] = [], conflicts: [CandidatePair] = [], lost: [IncrementalScoring.Pair] = []
            for (i, p) in pairs[k].enumerated() {
                let band = model.band(scores[i])
                if band != .nonMatch, kept.contains(i) { out.append(.init(left: p.left, right: p.right, score: scores[i], band: band)) }
                if band == .match, !kept.contains(i) { lost.append(.init(left: p.left, right: p.right, score: scores[i], band: band)) }
                if scores[i] < model.possibleThreshold { conflicts.append(p) }
            }
            cross.append(out)
            crossConflicts.append(conflicts)
            displaced.append(lost)
        }
        var duplicates: [IncrementalScoring.Pair] = [], duplicateConflicts: [CandidatePair] = []
        var oversized: [String: Int] = [:], within = 0
        if withinAgency {
            let blocked = blocker.candidates(within: new)
            oversized = blocked.oversizedBlocks
            within = blocked.pairs.count
            let scores = scored(newProfiles, blocked.pairs, within: true)
            for (i, p) in blocked.pairs.enumerated() {
                let band = model.band(scores[i])
                if band != .nonMatch { duplicates.append(.init(left: p.left, right: p.right, score: scores[i], band: band)) }
                if scores[i] < model.possibleThreshold { duplicateConflicts.append(p) }
            }
        }
        return IncrementalScoring(
            cross: cross, displaced: displaced, crossConflicts: crossConflicts, duplicates: duplicates, duplicateConflicts: duplicateConflicts,
            candidatePairs: pairs.reduce(within) { $0 + $1.count }, oversizedBlocks: oversized)
    }
}

/// Clustering of match-band links into persons, for callers that hold links rather than records
/// (the hub re-clusters only the persons an incremental link touched). The same guards as a full
/// link: two records of one agency join only through a duplicate link, and a merge is refused when
/// any pair across the two clusters was scored below the possible band.
public enum PersonClustering {
    /// A match-band link between nodes `x` and `y`.
    public struct Edge: Sendable, Hashable {
        public let x: Int, y: Int
        public let score: Double

        /// Makes an edge.
        public init(x: Int, y: Int, score: Double) {
            self.x = x
            self.y = y
            self.score = score
        }
    }

    /// Clusters nodes `0..<agencyOf.count` (`agencyOf[i]` is node i's agency, below 64), strongest
    /// links first. Returns a representative node per node (equal for one person) and how many
    /// merges were refused.
    public static func cluster(
        agencyOf: [Int], duplicates: [Edge], cross: [Edge], conflicts: [(Int, Int)]
    ) -> (representative: [Int], refusedMerges: Int) {
        precondition(agencyOf.allSatisfy { (0..<64).contains($0) }, "at most 64 agencies")
        var clustering = Clustering(agencyOf: agencyOf, conflicts: Set(conflicts.map { PairKey($0.0, $0.1) }))
        clustering.merge(duplicates.map { Matching.Edge(score: $0.score, x: $0.x, y: $0.y) }, requireDisjointAgencies: false)
        clustering.merge(cross.map { Matching.Edge(score: $0.score, x: $0.x, y: $0.y) }, requireDisjointAgencies: true)
        return (agencyOf.indices.map { clustering.root($0) }, clustering.refused)
    }
}

extension BlockKey {
    /// A 64-bit key for a persisted blocking index: FNV-1a over the pass name and the key bytes. Not
    /// secret and not collision-free: two keys that collide only put more records in one block,
    /// which adds candidate pairs (each still scored on its evidence) and never drops one.
    public var storageKey: Int64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in pass.utf8 {
            h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3
        }
        h = (h ^ 0xff) &* 0x0000_0100_0000_01b3
        for b in value {
            h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3
        }
        return Int64(bitPattern: h)
    }
}
