import Foundation
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

/// A scored pair of records. Across two agencies it is a link; inside one agency
/// (`leftAgency == rightAgency`) it is a possible duplicate.
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

/// What linking did, for the operator's summary: no identifiers, only counts and times.
public struct LinkStatistics: Sendable {
    /// Records linked, over all agencies.
    public var records = 0
    /// Candidate pairs scored (across agencies and inside them).
    public var candidatePairs = 0
    /// Blocks skipped for being larger than the cap, by pass.
    public var oversizedBlocks: [String: Int] = [:]
    /// Cluster merges refused because the two clusters held a pair scored as a non-match.
    public var refusedMerges = 0
    /// Seconds per stage, in order: blocking (each agency's keys, the comparison profiles),
    /// comparing and training (when no model is given: every task's pairs made and compared, their
    /// vectors counted, the model trained), scoring (each task's pairs made again, compared and
    /// scored), clustering (the pairs inside one component checked for disagreement, then merged).
    public var stageSeconds: [(stage: String, seconds: Double)] = []
}

/// The result of linking: every pair in the match or possible band, and the persons (clusters).
public struct LinkResult: Sendable {
    /// Links in the match or possible band, one per pair.
    public let links: [Link]
    /// Cluster number of every record, keyed by agency and reference.
    public let clusters: [(agency: String, record: String, cluster: Int)]
    /// The model trained on this data (or the one reused).
    public let model: MatchModel
    /// The term frequencies scored with, if adjusting (computed from these records, or the ones reused).
    public let termFrequencies: TermFrequencies?
    /// Counts and times.
    public let statistics: LinkStatistics
}

/// Links several agencies' records (or finds duplicates inside one): blocking and comparison for
/// every pair of agencies and inside each, one model trained on all candidate pairs, one-to-one
/// resolution per agency pair, then clustering.
public enum Linker {
    /// Links `agencies`. `model`, if given, is reused instead of training a new one;
    /// `matchThreshold` and `possibleThreshold`, if given, override the model's band thresholds.
    /// `withinAgency` also looks for duplicates inside each agency (always on for a single agency).
    /// `threads` bounds the worker threads used for blocking and comparison (default: every core).
    /// `termFrequencies`, if given, are scored with instead of counting these records' tokens (an
    /// incremental link reuses those of the last full one).
    public static func link(
        _ agencies: [AgencyRecords], blocker: Blocker = Blocker(), model: MatchModel? = nil,
        matchThreshold: Double? = nil, possibleThreshold: Double? = nil, termFrequencyAdjustment: Bool = true,
        termFrequencies: TermFrequencies? = nil, withinAgency: Bool = true, threads: Int? = nil
    ) -> LinkResult {
        let threads = threads ?? ProcessInfo.processInfo.activeProcessorCount
        precondition(agencies.count <= 64, "Linker links at most 64 agencies at once")
        var stats = LinkStatistics()
        var clock = StageClock()
        let within = withinAgency || agencies.count == 1

        // Blocking: one task per pair of agencies, and one inside each agency. Each agency's keys are
        // built once. A task's candidate pairs are made in shards (ranges of its left records) when a
        // pass needs them and dropped after it: a million-record link holds a few shards' pairs at a
        // time, never all of them with their vectors, and the shards of every task run on every core.
        let tasks: [(a: Int, b: Int)] = agencies.indices.flatMap { a in
            agencies.indices.filter { $0 > a || (within && $0 == a) }.map { (a: a, b: $0) }
        }
        let keyed = Parallel.map(agencies.count, threads: threads) { blocker.keyed(agencies[$0].records) }
        let shards = Parallel.map(tasks.count, threads: threads) { t in
            let (a, b) = tasks[t]
            let raw = blocker.rawPairCount(left: keyed[a], right: a == b ? nil : keyed[b])
            return Shards.ranges(records: agencies[a].records.count, rawPairs: raw, threads: threads).map { (task: t, left: $0) }
        }.flatMap { $0 }
        /// The candidate pairs of shard `s`, sorted; the shards of a task, in order, are its pairs.
        @Sendable func candidates(_ s: Int) -> BlockingResult {
            let (a, b) = tasks[shards[s].task]
            return a == b
                ? blocker.candidates(within: keyed[a], leftRecords: shards[s].left)
                : blocker.candidates(left: keyed[a], right: keyed[b], leftRecords: shards[s].left)
        }
        let profiles = Parallel.map(agencies.count, threads: threads) { ComparisonProfiles(agencies[$0].records) }
        stats.records = agencies.reduce(0) { $0 + $1.records.count }
        stats.stageSeconds.append(("blocking", clock.lap()))

        // Training reads each task's comparisons as counts of distinct vectors (a few thousand of
        // them), so the vectors themselves are not kept; scoring compares the pairs again.
        var trained: MatchModel
        if let model {
            trained = model
        } else {
            let counted = Parallel.map(shards.count, threads: threads) { s in
                let (a, b) = tasks[shards[s].task], left = profiles[a], right = profiles[b]
                var counts: [ComparisonVector: Double] = [:]
                for p in candidates(s).pairs { counts[Comparator.compare(left, p.left, right, p.right), default: 0] += 1 }
                return counts
            }
            var patterns = [[ComparisonVector: Double]](repeating: [:], count: tasks.count)
            for (s, counts) in counted.enumerated() { patterns[shards[s].task].merge(counts, uniquingKeysWith: +) }
            stats.stageSeconds.append(("comparing", clock.lap()))
            trained = train(agencies, profiles: profiles, tasks: tasks, patterns: patterns, threads: threads)
            stats.stageSeconds.append(("training", clock.lap()))
        }
        if let matchThreshold { trained.matchThreshold = matchThreshold }
        if let possibleThreshold { trained.possibleThreshold = possibleThreshold }

        let scorer = Scorer(
            model: trained,
            termFrequencies: termFrequencyAdjustment ? termFrequencies ?? TermFrequencies(agencies.flatMap(\.records)) : nil)
        let adjustments = Parallel.map(agencies.count, threads: threads) { scorer.adjustments(agencies[$0].records) }
        let model = trained
        /// Scores shard `s`'s pairs, compared afresh: `body` gets each pair and its score. (What a pair
        /// reads is fetched once a shard, not once a pair: each fetch is a retain and a release.)
        @Sendable func scoreEach(_ s: Int, _ pairs: [CandidatePair], _ body: (CandidatePair, Double) -> Void) {
            let (a, b) = tasks[shards[s].task]
            let left = profiles[a], right = profiles[b], adjusted = adjustments[a], within = a == b
            for p in pairs {
                let v = Comparator.compare(left, p.left, right, p.right)
                body(p, scorer.score(v, adjustments: adjusted, left: p.left, withinAgency: within))
            }
        }
        let offsets = agencies.reduce(into: [0]) { $0.append($0.last! + $1.records.count) }
        let total = offsets[agencies.count]
        // Each shard keeps only its pairs in the match or possible band: one-to-one takes pairs best
        // first, so a pair below both bands never changes which of the others it keeps.
        let scored = Parallel.map(shards.count, threads: threads) { s in
            let blocked = candidates(s)
            var kept: [(pair: CandidatePair, score: Double)] = []
            scoreEach(s, blocked.pairs) { p, score in if model.band(score) != .nonMatch { kept.append((p, score)) } }
            return (kept: kept, candidates: blocked.pairs.count, oversized: blocked.oversizedBlocks)
        }
        var links: [Link] = []
        var crossEdges: [Edge] = [], withinEdges: [Edge] = []
        // Match-band pairs that lost one-to-one: kept as links if clustering puts both in one person.
        var displaced: [(task: Int, pair: CandidatePair, score: Double)] = []
        var first = 0
        for (t, (a, b)) in tasks.enumerated() {
            var end = first
            while end < shards.count && shards[end].task == t { end += 1 }
            defer { first = end }
            let banded = scored[first..<end].flatMap(\.kept)
            for part in scored[first..<end] {
                stats.candidatePairs += part.candidates
                stats.oversizedBlocks.merge(part.oversized, uniquingKeysWith: +)
            }
            let left = agencies[a].records, right = agencies[b].records
            // One-to-one across agencies; inside one agency a record may have several duplicates.
            var kept = [Bool](repeating: a == b, count: banded.count)
            if a != b { for i in OneToOne.keep(banded.map(\.pair), scores: banded.map(\.score)) { kept[i] = true } }
            for (i, (p, score)) in banded.enumerated() {
                let band = trained.band(score)
                guard kept[i] else {
                    if band == .match { displaced.append((t, p, score)) }
                    continue
                }
                links.append(Link(
                    leftAgency: agencies[a].agency, leftRecord: left[p.left].reference, rightAgency: agencies[b].agency,
                    rightRecord: right[p.right].reference, score: score, band: band))
                if band == .match {
                    let e = Edge(score: score, x: offsets[a] + p.left, y: offsets[b] + p.right)
                    if a == b { withinEdges.append(e) } else { crossEdges.append(e) }
                }
            }
        }
        stats.stageSeconds.append(("scoring", clock.lap()))

        // Explicit disagreement between records that could end up in one cluster: only records that
        // match edges connect can, so a non-match pair matters only inside one connected component
        // (at a million records there are tens of millions of non-match pairs, and few inside one).
        // The tasks are blocked once more and only pairs inside one component are scored again.
        let component: [Int] = {
            var parent = Array(0..<total)
            func find(_ x: Int) -> Int {
                var x = x
                while parent[x] != x {
                    parent[x] = parent[parent[x]]
                    x = parent[x]
                }
                return x
            }
            for e in crossEdges + withinEdges {
                let (rx, ry) = (find(e.x), find(e.y))
                if rx != ry { parent[max(rx, ry)] = min(rx, ry) }
            }
            return (0..<total).map(find)
        }()
        let disagreeing = Parallel.map(shards.count, threads: threads) { s in
            let (a, b) = tasks[shards[s].task]
            let (first, second) = (offsets[a], offsets[b])
            let inside = candidates(s).pairs.filter { component[first + $0.left] == component[second + $0.right] }
            var found: [PairKey] = []
            scoreEach(s, inside) { p, score in if score < model.possibleThreshold { found.append(PairKey(first + p.left, second + p.right)) } }
            return found
        }
        let conflicts = Set(disagreeing.joined())
        var agencyOf = [Int](repeating: 0, count: total)
        for (i, a) in agencies.enumerated() { for j in 0..<a.records.count { agencyOf[offsets[i] + j] = i } }
        var clustering = Clustering(agencyOf: agencyOf, conflicts: conflicts)
        clustering.merge(withinEdges, requireDisjointAgencies: false)
        clustering.merge(crossEdges, requireDisjointAgencies: true)
        stats.refusedMerges = clustering.refused
        // One-to-one keeps a record's best partner in each other agency; when that agency holds the
        // person twice (two of its records linked as duplicates), the runner-up is the same person
        // too, and its link is kept once clustering has put all three together.
        for (t, p, score) in displaced {
            let (a, b) = tasks[t]
            guard clustering.root(offsets[a] + p.left) == clustering.root(offsets[b] + p.right) else { continue }
            links.append(Link(
                leftAgency: agencies[a].agency, leftRecord: agencies[a].records[p.left].reference, rightAgency: agencies[b].agency,
                rightRecord: agencies[b].records[p.right].reference, score: score, band: .match))
        }

        var clusterNumber: [Int: Int] = [:]
        var clusters: [(String, String, Int)] = []
        for (i, a) in agencies.enumerated() {
            for (j, record) in a.records.enumerated() {
                let root = clustering.root(offsets[i] + j)
                let n = clusterNumber[root] ?? (clusterNumber.count + 1)
                clusterNumber[root] = n
                clusters.append((a.agency, record.reference, n))
            }
        }
        stats.stageSeconds.append(("clustering", clock.lap()))
        return LinkResult(
            links: links.sorted { ($0.leftAgency, $0.leftRecord, $0.rightAgency, $0.rightRecord) < ($1.leftAgency, $1.leftRecord, $1.rightAgency, $1.rightRecord) },
            clusters: clusters.map { (agency: $0.0, record: $0.1, cluster: $0.2) }, model: trained,
            termFrequencies: scorer.termFrequencies, statistics: stats)
    }

    /// Trains a model on the candidate pairs, given as each task's counts of distinct comparison
    /// vectors: u from random pairs (of records of two different agencies, or inside the only one),
    /// u among co-located people from pairs inside each agency, m and the priors by EM.
    static func train(
        _ agencies: [AgencyRecords], profiles: [ComparisonProfiles], tasks: [(a: Int, b: Int)], patterns: [[ComparisonVector: Double]],
        threads: Int = 1
    ) -> MatchModel {
        let u = ModelTrainer.estimateU(agencies.map(\.records), profiles: profiles)
        var cross: [ComparisonVector: Double] = [:], inside: [ComparisonVector: Double] = [:]
        var crossPossible = 0, insidePossible = 0
        for (t, (a, b)) in tasks.enumerated() {
            let n = agencies[a].records.count, m = agencies[b].records.count
            if a == b {
                inside.merge(patterns[t], uniquingKeysWith: +)
                insidePossible += n * (n - 1) / 2
            } else {
                cross.merge(patterns[t], uniquingKeysWith: +)
                crossPossible += n * m
            }
        }
        let onlyInside = cross.isEmpty
        let m = ModelTrainer.trainM(sessions: trainingSessions(agencies, profiles: profiles, tasks: tasks, primaryIsWithin: onlyInside, threads: threads), u: u)
        var model = ModelTrainer.train(
            patterns: onlyInside ? inside : cross, u: u, possiblePairs: onlyInside ? insidePossible : crossPossible,
            withinAgencyPatterns: onlyInside ? [:] : inside, withinAgencyPossiblePairs: insidePossible,
            fixedM: m)
        // A single agency: its pairs are all within-agency pairs.
        if onlyInside, !inside.isEmpty { model.withinAgencyPrior = model.prior }
        model.householdU = ModelTrainer.estimateHouseholdU(agencies.map(\.records), profiles: profiles, model: model)
        return model
    }
}

extension Linker {
    /// The training sessions for m (Splink's approach: each session blocks on one key and learns m
    /// for the fields the key leaves free).
    ///
    /// - Pairs sharing a date of birth teach names, location, sex and identifiers.
    /// - Pairs sharing a whole name teach the date of birth, location (and middle names,
    ///   identifiers). This session is kept *tight*: the same surname code and initial, the same
    ///   first given name and surname (`names.unordered`), and the same given-name form and postcode
    ///   district (the given name + district blocking key), each only where both records carry it.
    ///   Names and sex are blind here: the key fixes the names, and given names fix sex.
    ///
    /// Both hold u at the random-pair values for the fields the key says nothing about among
    /// different people (``TrainingSession/heldU``): people born on one day are no likelier than
    /// any two to share a surname or an address, people of one name no likelier to share a date of
    /// birth. Given names are the exception (names follow birth cohorts), and so is location in the
    /// name session (the district is shared by construction). Left free to move u on every field, EM
    /// drifts as the population grows and true pairs become a small share of each session: it takes
    /// some other look-alike group (same-sex namesakes, people of one district) for its "match" class.
    /// With a looser name key and free u, EM learned on 200,000 UK-style records that a quarter of
    /// matches disagree on the date of birth (the truth is 0.1%), and at a million records namesakes
    /// in one postcode sector were linked (precision 0.973).
    ///
    /// Across agencies, or inside the only one; at most `maximumPairs` a session.
    static func trainingSessions(
        _ agencies: [AgencyRecords], profiles: [ComparisonProfiles], tasks: [(a: Int, b: Int)], primaryIsWithin: Bool,
        maximumPairs: Int = 300_000, threads: Int = 1
    ) -> [TrainingSession] {
        let sessions: [(pass: String, alsoShared: [String], blind: Set<ComparedField>, heldU: Set<ComparedField>)] = [
            (TokenName.dob, [], [.dateOfBirth], [.surname, .location, .sex, .nhsNumber, .otherIdentifier, .middleNames]),
            (TokenName.blockSurnameInitial, [TokenName.namesUnordered, TokenName.blockGivenDistrict], [.givenName, .surname, .sex],
             [.dateOfBirth, .nhsNumber, .otherIdentifier, .middleNames]),
        ]
        return sessions.map { session in
            let blocker = Blocker(configuration: BlockingConfiguration(tokenPasses: [session.pass], lshBands: 0, lshBitsPerBand: 0, maximumBlockSize: 200))
            let chosen = tasks.filter { ($0.a == $0.b) == primaryIsWithin }
            let perTask = maximumPairs / max(chosen.count, 1)
            let vectors = Parallel.map(chosen.count, threads: threads) { c in
                let (a, b) = chosen[c]
                let left = agencies[a].records, right = agencies[b].records
                var pairs = a == b ? blocker.candidates(within: left).pairs : blocker.candidates(left: left, right: right).pairs
                if !session.alsoShared.isEmpty {
                    let places = session.alsoShared.map { TokenTable.place(of: $0)! }
                    pairs = pairs.filter { sharesCarriedKeys(left[$0.left].tokenTable, right[$0.right].tokenTable, places) }
                }
                let stride = max(1, pairs.count / max(perTask, 1))
                let leftProfiles = profiles[a], rightProfiles = profiles[b]
                return Swift.stride(from: 0, to: pairs.count, by: stride).map { i in
                    var v = Comparator.compare(leftProfiles, pairs[i].left, rightProfiles, pairs[i].right)
                    for (k, field) in ComparedField.allCases.enumerated() where session.blind.contains(field) { v.setLevel(nil, at: k) }
                    return v
                }
            }.flatMap { $0 }
            return TrainingSession(vectors: vectors, blindFields: session.blind, heldU: session.heldU)
        }
    }

    /// True when, for each token-table place that both tables carry tokens at, they share a token there.
    static func sharesCarriedKeys(_ x: TokenTable, _ y: TokenTable, _ places: [Int]) -> Bool {
        places.allSatisfy { !x.hasTokens(atPlace: $0) || !y.hasTokens(atPlace: $0) || x.shares($0, with: y, $0) }
    }
}

/// How a task's candidate pairs are split into shards of left records.
enum Shards {
    /// Raw pairs (duplicates included, before they are merged) a shard aims at: 4 million is 32 MB
    /// of pairs while blocking, so a few shards in flight cost little beside the records.
    static let rawPairsPerShard = 4_000_000
    /// Below this many raw pairs a task is one shard: splitting it would cost more than it saves.
    static let parallelFrom = 100_000

    /// Ranges of `0..<records`, in order, covering it, for a task making `rawPairs` raw pairs: one
    /// range if the task is small, otherwise enough that each makes about ``rawPairsPerShard``, and at
    /// least one per thread.
    static func ranges(records: Int, rawPairs: Int, threads: Int) -> [Range<Int>] {
        guard records > 0 else { return [0..<0] }
        let wanted = rawPairs < parallelFrom ? 1 : max(threads, (rawPairs + rawPairsPerShard - 1) / rawPairsPerShard)
        let count = min(records, wanted)
        return (0..<count).map { (records * $0 / count)..<(records * ($0 + 1) / count) }
    }
}

/// A match-band edge between two records, by their global index.
struct Edge {
    let score: Double
    let x: Int, y: Int
}

/// An unordered pair of global record indices.
struct PairKey: Hashable {
    let low: Int, high: Int
    init(_ a: Int, _ b: Int) { (low, high) = a < b ? (a, b) : (b, a) }
}

/// Clustering of match-band edges, strongest first, with two guards: a merge that would put two
/// records of one agency into one person is refused unless they were linked as duplicates inside
/// that agency, and a merge is refused when any pair across the two clusters was compared and
/// scored below the possible band (explicit evidence that they are different people). So a chain
/// of links cannot glue together people whose own records disagree.
struct Clustering {
    private var parent: [Int]
    private var size: [Int]
    /// Members of each cluster as a circular list: `next[x]` is the next member after `x`.
    private var next: [Int]
    /// Agencies present in each cluster (bit per agency), kept at the root.
    private var agencies: [UInt64]
    private let conflicts: Set<PairKey>
    private(set) var refused = 0

    /// `agencyOf[x]` is record x's agency index (below 64).
    init(agencyOf: [Int], conflicts: Set<PairKey>) {
        parent = Array(agencyOf.indices)
        size = [Int](repeating: 1, count: agencyOf.count)
        next = Array(agencyOf.indices)
        agencies = agencyOf.map { 1 << UInt64($0) }
        self.conflicts = conflicts
    }

    mutating func root(_ x: Int) -> Int {
        var x = x
        while parent[x] != x {
            parent[x] = parent[parent[x]]
            x = parent[x]
        }
        return x
    }

    private func members(_ root: Int) -> [Int] {
        var out = [root], x = next[root]
        while x != root {
            out.append(x)
            x = next[x]
        }
        return out
    }

    private func conflict(_ x: Int, _ y: Int) -> Bool {
        guard !conflicts.isEmpty else { return false }
        let ys = members(y)
        return members(x).contains { a in ys.contains { conflicts.contains(PairKey(a, $0)) } }
    }

    mutating func merge(_ edges: [Edge], requireDisjointAgencies: Bool) {
        for e in edges.sorted(by: { $0.score > $1.score }) {
            let x = root(e.x), y = root(e.y)
            guard x != y else { continue }
            if requireDisjointAgencies && agencies[x] & agencies[y] != 0 { continue }
            if conflict(x, y) {
                refused += 1
                continue
            }
            let (big, small) = size[x] >= size[y] ? (x, y) : (y, x)
            parent[small] = big
            size[big] += size[small]
            agencies[big] |= agencies[small]
            next.swapAt(big, small)
        }
    }
}

/// Times the stages of a run.
struct StageClock {
    private var last = ContinuousClock.now

    mutating func lap() -> Double {
        let now = ContinuousClock.now
        let d = now - last
        last = now
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
