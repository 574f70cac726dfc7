public import Tokenisation

/// One agency's records, as read from its verified batch.
public struct AgencyRecords: Sendable {
    /// The agency's name.
    public let agency: String
    /// Its records.
    public let records: [EncodedRecord]

    /// Wraps an agency's records.
    public init(agency: String, records: [EncodedRecord]) {
        self.agency = agency
        self.records = records
    }
}

/// A scored pair of records from two agencies.
public struct Link: Sendable, Hashable {
    /// Left agency and record reference.
    public let leftAgency: String, leftRecord: String
    /// Right agency and record reference.
    public let rightAgency: String, rightRecord: String
    /// Score (log2 odds).
    public let score: Double
    /// Band of the score.
    public let band: MatchBand
}

/// The result of linking: every pair in the match or possible band, and the persons (clusters).
public struct LinkResult: Sendable {
    /// Links in the match or possible band, one per pair.
    public let links: [Link]
    /// Cluster number of every record, keyed by agency and reference.
    public let clusters: [(agency: String, record: String, cluster: Int)]
    /// The model trained on this data.
    public let model: MatchModel
}

/// Links several agencies' records: blocking and scoring for every pair of agencies, one model
/// trained on all candidate pairs, one-to-one resolution per agency pair, then clustering.
public enum Linker {
    /// Links `agencies` (at least two). `model`, if given, is reused instead of training a new one;
    /// `matchThreshold` and `possibleThreshold`, if given, override the model's band thresholds.
    public static func link(
        _ agencies: [AgencyRecords], blocker: Blocker = Blocker(), model: MatchModel? = nil,
        matchThreshold: Double? = nil, possibleThreshold: Double? = nil, termFrequencyAdjustment: Bool = true
    ) -> LinkResult {
        var candidates: [(a: Int, b: Int, pairs: [CandidatePair], vectors: [ComparisonVector])] = []
        var possible = 0
        for a in agencies.indices {
            for b in agencies.indices where b > a {
                let pairs = blocker.candidates(left: agencies[a].records, right: agencies[b].records).pairs
                let vectors = pairs.map { Comparator.compare(agencies[a].records[$0.left], agencies[b].records[$0.right]) }
                candidates.append((a, b, pairs, vectors))
                possible += agencies[a].records.count * agencies[b].records.count
            }
        }
        var trained = model ?? {
            var uSamples: [String: [Double]] = [:]
            // u from random pairs across the first two agencies that have records (population-level disagreement).
            if let first = agencies.firstIndex(where: { !$0.records.isEmpty }),
               let second = agencies.indices.first(where: { $0 != first && !agencies[$0].records.isEmpty }) {
                uSamples = ModelTrainer.estimateU(left: agencies[first].records, right: agencies[second].records)
            }
            return ModelTrainer.train(vectors: candidates.flatMap(\.vectors), u: uSamples, possiblePairs: possible)
        }()
        if let matchThreshold { trained.matchThreshold = matchThreshold }
        if let possibleThreshold { trained.possibleThreshold = possibleThreshold }
        let scorer = Scorer(
            model: trained, termFrequencies: termFrequencyAdjustment ? TermFrequencies(agencies.flatMap(\.records)) : nil)

        var links: [Link] = []
        var union = UnionFind()
        var offsets: [Int] = []
        var total = 0
        for a in agencies {
            offsets.append(total)
            total += a.records.count
        }
        union.reset(total)
        var agencyOf = [Int](repeating: 0, count: total)
        for (i, a) in agencies.enumerated() { for j in 0..<a.records.count { agencyOf[offsets[i] + j] = i } }

        var matchEdges: [(score: Double, x: Int, y: Int)] = []
        for c in candidates {
            let left = agencies[c.a].records, right = agencies[c.b].records
            let scores = zip(c.pairs, c.vectors).map { scorer.score(left[$0.0.left], right[$0.0.right], $0.1) }
            for i in OneToOne.keep(c.pairs, scores: scores) {
                let band = trained.band(scores[i])
                guard band != .nonMatch else { continue }
                let p = c.pairs[i]
                let l = agencies[c.a], r = agencies[c.b]
                links.append(Link(
                    leftAgency: l.agency, leftRecord: l.records[p.left].reference, rightAgency: r.agency,
                    rightRecord: r.records[p.right].reference, score: scores[i], band: band))
                if band == .match { matchEdges.append((scores[i], offsets[c.a] + p.left, offsets[c.b] + p.right)) }
            }
        }
        // Clusters: strongest links first; a merge that would put two records of one agency in one
        // person is refused, so weak chains cannot glue different people together.
        var agenciesIn = (0..<total).map { Set([agencyOf[$0]]) }
        for e in matchEdges.sorted(by: { $0.score > $1.score }) {
            let x = union.find(e.x), y = union.find(e.y)
            guard x != y, agenciesIn[x].isDisjoint(with: agenciesIn[y]) else { continue }
            let root = union.union(x, y)
            agenciesIn[root] = agenciesIn[x].union(agenciesIn[y])
        }
        var clusterNumber: [Int: Int] = [:]
        var clusters: [(String, String, Int)] = []
        for (i, a) in agencies.enumerated() {
            for (j, record) in a.records.enumerated() {
                let root = union.find(offsets[i] + j)
                let n = clusterNumber[root] ?? (clusterNumber.count + 1)
                clusterNumber[root] = n
                clusters.append((a.agency, record.reference, n))
            }
        }
        return LinkResult(
            links: links.sorted { ($0.leftAgency, $0.leftRecord, $0.rightAgency) < ($1.leftAgency, $1.leftRecord, $1.rightAgency) },
            clusters: clusters.map { (agency: $0.0, record: $0.1, cluster: $0.2) }, model: trained)
    }
}

/// Disjoint sets with path halving and union by size.
struct UnionFind {
    private var parent: [Int] = []
    private var size: [Int] = []

    mutating func reset(_ n: Int) {
        parent = Array(0..<n)
        size = [Int](repeating: 1, count: n)
    }

    mutating func find(_ x: Int) -> Int {
        var x = x
        while parent[x] != x {
            parent[x] = parent[parent[x]]
            x = parent[x]
        }
        return x
    }

    /// Joins the sets of roots `a` and `b`; returns the new root.
    mutating func union(_ a: Int, _ b: Int) -> Int {
        let (big, small) = size[a] >= size[b] ? (a, b) : (b, a)
        parent[small] = big
        size[big] += size[small]
        return big
    }
}
