public import Foundation
public import Tokenisation

/// A Fellegi–Sunter model: for each field and level, m = P(level | same person) and
/// u = P(level | different people), plus the prior share of matches among candidate pairs.
/// Saved as JSON and reused for incremental linking.
public struct MatchModel: Sendable, Codable, Hashable {
    /// m probabilities by field name and level.
    public var m: [String: [Double]]
    /// u probabilities by field name and level.
    public var u: [String: [Double]]
    /// Prior probability that a pair of records from two agencies is a match.
    public var prior: Double
    /// Prior probability that two records of one agency are one person (a duplicate); `nil` when
    /// the model was trained without within-agency pairs. Usually far below ``prior``: an agency
    /// rarely holds one person twice, so a duplicate needs stronger evidence than a cross-agency match.
    public var withinAgencyPrior: Double?
    /// u probabilities among *different people at the same address* (by field name), used for every
    /// field but location when a pair is co-located (``ComparisonVector/isCoLocated``). Co-resident
    /// family members share surname and address and often sex, and twins share a date of birth, so
    /// against the population those agreements are strong evidence, but between people at one
    /// address they are weak. This is how the model accounts for the dependence between location and
    /// the other fields, and what keeps siblings and twins apart. `nil` scores against the population.
    public var householdU: [String: [Double]]?
    /// Score (log2 odds) at or above which a pair is a match.
    public var matchThreshold: Double
    /// Score at or above which a pair is possible (a person reviews); below it, a non-match.
    public var possibleThreshold: Double

    /// Default thresholds, from the model's own posterior: a match needs a posterior probability of
    /// at least 0.99 (odds 99:1) under a model that is conservative by construction (household
    /// members scored against each other, monotone weights, term-frequency adjustment), a possible
    /// needs even odds. Measured precision at this threshold is in docs/matching.md. Overridable per MASH.
    public static let defaultMatchThreshold = log2(99.0)
    /// See ``defaultMatchThreshold``.
    public static let defaultPossibleThreshold = 0.0

    /// Makes a model.
    public init(
        m: [String: [Double]], u: [String: [Double]], prior: Double, withinAgencyPrior: Double? = nil,
        householdU: [String: [Double]]? = nil, matchThreshold: Double = defaultMatchThreshold,
        possibleThreshold: Double = defaultPossibleThreshold
    ) {
        self.m = m
        self.u = u
        self.prior = prior
        self.withinAgencyPrior = withinAgencyPrior
        self.householdU = householdU
        self.matchThreshold = matchThreshold
        self.possibleThreshold = possibleThreshold
    }

    /// Decodes a saved model and checks that it was trained on this build's comparison levels: a model
    /// from a build with other levels would weigh a level by another level's probabilities.
    public static func decoded(from json: Data) throws(MatchModelError) -> MatchModel {
        let model: MatchModel
        do { model = try JSONDecoder().decode(MatchModel.self, from: json) } catch { throw .malformed }
        for field in ComparedField.allCases {
            guard model.m[field.rawValue] != nil, model.u[field.rawValue] != nil else { throw .fieldMissing(field.rawValue) }
            for table in [model.m, model.u, model.householdU ?? [:]] {
                if let row = table[field.rawValue], row.count != field.levels.count {
                    throw .levelsChanged(field: field.rawValue, trained: row.count, current: field.levels.count)
                }
            }
        }
        return model
    }

    /// The weight (log2 m/u) of `field` at `level`; `coLocated` takes u among different people at
    /// one address (``householdU``) for every field but location itself.
    ///
    /// Weights are kept monotone: a level never weighs less than a weaker level of the same field
    /// (levels are ordered strongest first), so a level the data rarely shows, such as a transposed
    /// date of birth in a file without any, cannot count against a pair more than disagreement does.
    public func weight(_ field: ComparedField, level: Int, coLocated: Bool = false) -> Double {
        let household = coLocated && field != .location ? householdU?[field.rawValue] : nil
        guard let mf = m[field.rawValue], let uf = household ?? u[field.rawValue], level < mf.count, mf.count == uf.count else { return 0 }
        var w = -Double.infinity
        for k in stride(from: mf.count - 1, through: level, by: -1) { w = max(w, log2(mf[k] / uf[k])) }
        return w
    }

    /// The prior log2 odds for a pair across two agencies, or inside one.
    public func priorWeight(withinAgency: Bool = false) -> Double {
        let p = withinAgency ? withinAgencyPrior ?? prior : prior
        return log2(p / (1 - p))
    }

    /// The pair's score: prior log2 odds plus the weight of every present field.
    public func score(_ v: ComparisonVector, withinAgency: Bool = false) -> Double {
        var s = priorWeight(withinAgency: withinAgency)
        let coLocated = v.isCoLocated
        for (i, field) in ComparedField.allCases.enumerated() {
            if let l = v.level(at: i) { s += weight(field, level: l, coLocated: coLocated) }
        }
        return s
    }

    /// The band of a score.
    public func band(_ score: Double) -> MatchBand {
        score >= matchThreshold ? .match : score >= possibleThreshold ? .possible : .nonMatch
    }

    /// Identifier-free evidence for a pair: each present field's level and weight, strongest first.
    public func evidence(_ v: ComparisonVector) -> [Evidence] {
        let coLocated = v.isCoLocated
        return ComparedField.allCases.enumerated().compactMap { i, field in
            v.levels[i].map { Evidence(field: field, level: field.levels[$0], weight: weight(field, level: $0, coLocated: coLocated)) }
        }.sorted { abs($0.weight) > abs($1.weight) }
    }
}

/// Why a saved model cannot be used.
public enum MatchModelError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The JSON is not a model.
    case malformed
    /// The model was trained with a different number of comparison levels for `field` than this
    /// build compares (it was saved by another version).
    case levelsChanged(field: String, trained: Int, current: Int)
    /// The model has no probabilities for a field this build compares (it was saved by an older version).
    case fieldMissing(String)

    public var description: String {
        switch self {
        case .malformed: "the model file is not a mashlink match model (JSON with m, u, prior and thresholds)"
        case .levelsChanged(let field, let trained, let current):
            "the model was trained with \(trained) comparison levels for \(field) and this version compares \(current); re-train it with a full link"
        case .fieldMissing(let field): "the model has no probabilities for \(field), which this version compares; re-train it with a full link"
        }
    }
}

/// Where a pair falls.
public enum MatchBand: String, Sendable, Hashable, Codable {
    case match, possible, nonMatch = "non-match"
}

/// One line of a pair's evidence waterfall, e.g. "surname: phonetic, +6.2".
public struct Evidence: Sendable, Hashable, CustomStringConvertible {
    /// The field compared.
    public let field: ComparedField
    /// The agreement level, in words.
    public let level: String
    /// Its weight in bits (log2 m/u).
    public let weight: Double

    public var description: String {
        "\(field.rawValue): \(level), \(weight >= 0 ? "+" : "")\((weight * 10).rounded() / 10)"
    }
}

/// Estimates a ``MatchModel`` from the data alone: u from random pairs, m and the priors by EM, and
/// u among co-resident people from pairs inside one agency at one address.
public enum ModelTrainer {
    /// u probabilities from `samples` random left–right pairs (nearly all of which are non-matches).
    /// With `left` and `right` the same records, pairs of a record with itself are skipped.
    public static func estimateU(left: [EncodedRecord], right: [EncodedRecord], samples: Int = 50_000, seed: UInt64 = 1) -> [String: [Double]] {
        var counts = emptyCounts()
        var generator = SplitMix64(seed: seed)
        guard !left.isEmpty, !right.isEmpty else { return [:] }
        for _ in 0..<samples {
            let i = Int(generator.next() % UInt64(left.count)), j = Int(generator.next() % UInt64(right.count))
            let a = left[i], b = right[j]
            if i == j && a == b { continue }
            add(Comparator.compare(a, b), to: &counts)
        }
        return normalised(counts)
    }

    /// u probabilities from `samples` random pairs of records of two different agencies (drawn from
    /// all records, so each agency counts by its size, and a field one agency lacks is learned from
    /// the agencies that hold it); with a single agency, random pairs inside it.
    /// `profiles`, if given, are the agencies' ``ComparisonProfiles`` (a linker has them already),
    /// compared instead of laying out each sampled record again.
    public static func estimateU(
        _ agencies: [[EncodedRecord]], profiles: [ComparisonProfiles]? = nil, samples: Int = 50_000, seed: UInt64 = 1
    ) -> [String: [Double]] {
        let kept = agencies.indices.filter { !agencies[$0].isEmpty }
        guard kept.count > 1 else { return kept.first.map { estimateU(left: agencies[$0], right: agencies[$0], samples: samples, seed: seed) } ?? [:] }
        var owner: [Int] = [], index: [Int] = []
        for a in kept {
            owner += [Int](repeating: a, count: agencies[a].count)
            index += Array(agencies[a].indices)
        }
        let compare = comparer(agencies, profiles)
        var counts = emptyCounts()
        var generator = SplitMix64(seed: seed)
        var drawn = 0
        while drawn < samples {
            let i = Int(generator.next() % UInt64(owner.count)), j = Int(generator.next() % UInt64(owner.count))
            guard owner[i] != owner[j] else { continue }
            drawn += 1
            add(compare(owner[i], index[i], owner[j], index[j]), to: &counts)
        }
        return normalised(counts)
    }

    /// Compares record `i` of agency `a` with record `j` of agency `b`: through `profiles` when
    /// given, else from the records.
    private static func comparer(
        _ agencies: [[EncodedRecord]], _ profiles: [ComparisonProfiles]?
    ) -> (Int, Int, Int, Int) -> ComparisonVector {
        if let profiles {
            precondition(profiles.map(\.count) == agencies.map(\.count), "one profile per record, agency by agency")
            return { a, i, b, j in Comparator.compare(profiles[a], i, profiles[b], j) }
        }
        return { a, i, b, j in Comparator.compare(agencies[a][i], agencies[b][j]) }
    }

    /// What different people at one address share, before any data is seen: most have the same
    /// surname, few the same or an equivalent given name (a parent and child named alike), almost none
    /// each other's names transposed, some a
    /// similar-looking one (Ella and Bella), twins the same date of birth (about
    /// 1.5% of births are twins, so roughly 0.3% of co-resident pairs; taken as 0.5% to stay on the
    /// safe side); sex is even. Blended with what
    /// the data shows (``estimateHouseholdU(_:profiles:model:pseudoCount:maximumPairs:iterations:)``), so a batch without
    /// households (or a small one) is still scored as if co-resident people were family, which is the
    /// safe assumption in safeguarding.
    public static let householdPrior: [ComparedField: [Double]] = [
        .givenName: [0.01, 0.001, 0.001, 0.01, 0.01, 0.02, 0.03, 0.01, 0.04, 0.868],
        .surname: [0.60, 0.05, 0.02, 0.03, 0.02, 0.28],
        .dateOfBirth: [0.005, 0.002, 0.01, 0.005, 0.005, 0.973],
        .sex: [0.5, 0.5],
        .nhsNumber: [0.001, 0.999],
        .otherIdentifier: [0.001, 0.002, 0.997],
        .middleNames: [0.05, 0.07, 0.88],
    ]

    /// u among different people at one address, from pairs of records *inside one agency* that are
    /// co-located (siblings, parents and children, twins, flatmates), blended with ``householdPrior``
    /// weighted as `pseudoCount` pairs. Some co-located pairs are one person twice (a duplicate);
    /// with a `model`, EM on the co-located pairs separates them, its m held and u among household
    /// members and the share of duplicates estimated (a MAP estimate, the prior blended in at every
    /// step), so an agency with many duplicates does not teach "household" what duplicates look
    /// like. Without a model, a pair counts 0 if it ``looksLikeOnePerson(_:)``, else 1. Only pairs
    /// with both dates of birth count: without one, a parent and child of one name look like a
    /// duplicate. At most `maximumPairs` pairs are compared, and at most 50 per postcode, so the work
    /// stays linear in the records.
    public static func estimateHouseholdU(
        _ agencies: [[EncodedRecord]], profiles: [ComparisonProfiles]? = nil, model: MatchModel? = nil, pseudoCount: Double = 1_000,
        maximumPairs: Int = 200_000, iterations: Int = 20
    ) -> [String: [Double]] {
        var vectors: [ComparisonVector] = []
        var compared = 0
        let compare = comparer(agencies, profiles)
        outer: for (a, records) in agencies.enumerated() {
            var byPostcode: [Token: [Int]] = [:]
            for (i, r) in records.enumerated() { if let pc = r.tokenTable.firstToken(named: TokenName.postcode) { byPostcode[pc, default: []].append(i) } }
            // In token order, not the dictionary's (which differs from run to run): once the cap is
            // reached, which households were sampled must not depend on the process.
            for (_, group) in byPostcode.sorted(by: { $0.key < $1.key }) where group.count > 1 {
                var inGroup = 0
                for x in group.indices {
                    for y in group.indices where y > x {
                        guard inGroup < 50, compared < maximumPairs else { continue }
                        inGroup += 1
                        compared += 1
                        let v = compare(a, group[x], a, group[y])
                        if v.isCoLocated, v[.dateOfBirth] != nil { vectors.append(v) }
                    }
                }
                if compared >= maximumPairs { break outer }
            }
        }
        let fields = ComparedField.allCases.enumerated().filter { householdPrior[$0.element] != nil }
        func blended(_ counts: [[Double]]) -> [String: [Double]] {
            var out: [String: [Double]] = [:]
            for (i, field) in fields {
                let prior = householdPrior[field]!
                let seen = counts[i].reduce(0, +)
                out[field.rawValue] = zip(counts[i], prior).map { ($0 + pseudoCount * $1) / (seen + pseudoCount) }
            }
            return out
        }
        let patterns = sortedPatterns(vectors)
        guard let model else {
            var counts = emptyCounts()
            for (v, n) in patterns where !looksLikeOnePerson(v) { v.forEachLevel { i, l in counts[i][l] += n } }
            return blended(counts)
        }
        var household = blended(emptyCounts())
        var share = 0.5
        for _ in 0..<iterations {
            var counts = emptyCounts()
            var duplicates = 0.0, total = 0.0
            for (v, n) in patterns {
                // log2 of P(v | one person) / P(v | two people at one address), over every field but location.
                var ratio = 0.0
                for (i, field) in fields {
                    guard let l = v.level(at: i), let m = model.m[field.rawValue], let u = household[field.rawValue], l < m.count, l < u.count else { continue }
                    ratio += log2(max(m[l], 1e-6) / max(u[l], 1e-6))
                }
                let p = 1 / (1 + (1 - share) / share * exp2(-ratio))
                duplicates += p * n
                total += n
                v.forEachLevel { i, l in counts[i][l] += (1 - p) * n }
            }
            household = blended(counts)
            share = clamp(duplicates / max(total, 1), 1e-6, 1 - 1e-6)
        }
        return household
    }

    /// At least two of: given name similar (exact to Dice ≥ 0.8), date of birth exact or transposed,
    /// same NHS number, same other identifier. Different people at one address almost never agree on
    /// two of these (twins share only the date of birth); a duplicate record usually does.
    static func looksLikeOnePerson(_ v: ComparisonVector) -> Bool {
        let agreements = [(v[.givenName] ?? 99) <= Comparator.GivenLevel.similar.rawValue, (v[.dateOfBirth] ?? 99) <= 1, v[.nhsNumber] == 0, v[.otherIdentifier] == 0]
        return agreements.filter { $0 }.count >= 2
    }

    /// Fits m and the priors by expectation–maximisation (Winkler's EM for Fellegi–Sunter) on the
    /// candidate pairs' comparisons, starting u from the random-pair estimate. u is re-estimated on
    /// the candidates during EM because candidate non-matches share a blocking key and so agree far
    /// more often than random pairs: holding u at the random-pair values lets the "match" class
    /// absorb them. No labels are used.
    ///
    /// m and u are learned from `vectors` (pairs across two agencies, or inside the only agency).
    /// `withinAgencyVectors` (pairs inside one agency, when several are linked) only estimate their
    /// own prior, with m and u held: duplicates are rare, and letting the many within-agency
    /// near-misses (same given name, same district) into m would teach EM the wrong class.
    /// `fixedM`, if given, holds m (from ``trainM(sessions:u:)``) and EM estimates only u and the priors;
    /// u of the fields named in `heldU` stays at the random-pair values.
    ///
    /// The model it returns scores against the whole population, as Fellegi–Sunter intends: m from
    /// EM, u from random pairs (so agreeing on a blocking field counts as the evidence it is),
    /// `householdU` for co-located pairs, and each prior = estimated matches / all pairs of its kind
    /// (`possiblePairs`, `withinAgencyPossiblePairs`).
    public static func train(
        vectors: some Sequence<ComparisonVector>, u: [String: [Double]], possiblePairs: Int,
        withinAgencyVectors: some Sequence<ComparisonVector> = [ComparisonVector](), withinAgencyPossiblePairs: Int = 0,
        householdU: [String: [Double]]? = nil, fixedM: [String: [Double]]? = nil, heldU: Set<ComparedField> = [], iterations: Int = 30
    ) -> MatchModel {
        train(
            patterns: counts(vectors), u: u, possiblePairs: possiblePairs, withinAgencyPatterns: counts(withinAgencyVectors),
            withinAgencyPossiblePairs: withinAgencyPossiblePairs, householdU: householdU, fixedM: fixedM, heldU: heldU,
            iterations: iterations)
    }

    /// ``train(vectors:u:possiblePairs:withinAgencyVectors:withinAgencyPossiblePairs:householdU:fixedM:heldU:iterations:)``
    /// on the vectors' counts (each distinct vector with how many pairs have it): EM reads nothing
    /// else, so a caller can count the vectors as it makes them and keep none.
    public static func train(
        patterns: [ComparisonVector: Double], u: [String: [Double]], possiblePairs: Int,
        withinAgencyPatterns: [ComparisonVector: Double] = [:], withinAgencyPossiblePairs: Int = 0,
        householdU: [String: [Double]]? = nil, fixedM: [String: [Double]]? = nil, heldU: Set<ComparedField> = [], iterations: Int = 30
    ) -> MatchModel {
        let patterns = sorted(patterns), withinPatterns = sorted(withinAgencyPatterns)
        var m: [String: [Double]] = [:]
        for field in ComparedField.allCases { m[field.rawValue] = startingM(field) }
        var model = MatchModel(m: fixedM ?? m, u: u, prior: 0.1)
        var matches = 0.0
        for _ in 0..<iterations {
            var mCounts = emptyCounts(), uCounts = emptyCounts()
            var total = 0.0
            matches = 0
            for (v, count) in patterns {
                let p = 1 / (1 + exp2(-model.score(v)))
                matches += p * count
                total += count
                v.forEachLevel { i, l in
                    mCounts[i][l] += p * count
                    uCounts[i][l] += (1 - p) * count
                }
            }
            if fixedM == nil { model.m = normalised(mCounts) }
            let fresh = normalised(uCounts)
            for field in ComparedField.allCases where !heldU.contains(field) { model.u[field.rawValue] = fresh[field.rawValue] }
            model.prior = clamp(matches / max(total, 1), 1e-6, 1 - 1e-6)
        }
        // The within-agency share of duplicates, with m and u held.
        var withinMatches: Double?
        if !withinPatterns.isEmpty {
            let total = withinPatterns.reduce(0) { $0 + $1.count }
            var share = 0.01
            for _ in 0..<iterations {
                model.withinAgencyPrior = share
                let found = withinPatterns.reduce(0.0) { $0 + $1.count / (1 + exp2(-model.score($1.vector, withinAgency: true))) }
                share = clamp(found / total, 1e-6, 1 - 1e-6)
                withinMatches = found
            }
        }
        model.u = u
        model.householdU = householdU
        model.prior = clamp(matches / Double(max(possiblePairs, 1)), 1e-12, 0.5)
        model.withinAgencyPrior = withinMatches.map { clamp($0 / Double(max(withinAgencyPossiblePairs, 1)), 1e-12, 0.5) }
        return model
    }

    /// m estimated in training sessions, each on pairs that share one blocking key (Splink's
    /// approach): a session blocked on a field cannot tell EM what matches look like on that field
    /// (every pair agrees on it), so each field's m comes from the sessions that leave it free,
    /// averaged. Training on all candidate pairs at once lets the largest group of look-alikes
    /// (people who share a surname and an area) become EM's "match" class; a session on one date of
    /// birth learns names, a session on names learns the date of birth. A session in which EM finds
    /// fewer than ``minimumSessionMatches`` matches is skipped; a field no session teaches keeps
    /// EM's starting values (most matches agree), never a uniform row, which would make
    /// disagreement on it cost nothing.
    public static func trainM(sessions: [TrainingSession], u: [String: [Double]]) -> [String: [Double]] {
        var sums: [String: [Double]] = [:], counts: [String: Int] = [:]
        for session in sessions where !session.vectors.isEmpty {
            let trained = train(vectors: session.vectors, u: u, possiblePairs: session.vectors.count, heldU: session.heldU)
            // m read off a handful of matches is noise (a session of sixteen namesakes, none of them
            // one person, teaches that every match disagrees): such a session teaches nothing.
            guard trained.prior * Double(session.vectors.count) >= minimumSessionMatches else { continue }
            let m = trained.m
            for (i, field) in ComparedField.allCases.enumerated() where !session.blindFields.contains(field) {
                // A level row learned from no pair at all says nothing.
                guard let row = m[field.rawValue], session.vectors.contains(where: { $0.level(at: i) != nil }) else { continue }
                sums[field.rawValue] = zip(sums[field.rawValue] ?? row.map { _ in 0 }, row).map(+)
                counts[field.rawValue, default: 0] += 1
            }
        }
        var out: [String: [Double]] = [:]
        for field in ComparedField.allCases {
            if let sum = sums[field.rawValue], let n = counts[field.rawValue] { out[field.rawValue] = sum.map { $0 / Double(n) } }
            else { out[field.rawValue] = startingM(field) }
        }
        return out
    }

    /// The fewest matches (EM's estimate) a training session needs before its m counts.
    static let minimumSessionMatches = 20.0

    /// EM's starting m for a field: 0.85 exact (0.95 for a two-level field), 0.05 different, the rest spread between.
    static func startingM(_ field: ComparedField) -> [Double] {
        let n = field.levels.count
        var start = [Double](repeating: 0.10 / Double(max(n - 2, 1)), count: n)
        start[0] = n == 2 ? 0.95 : 0.85
        start[n - 1] = 0.05
        return start
    }

    /// Distinct vectors with their counts, in a fixed order, so training gives the same model
    /// (to the last bit) however the pairs were produced.
    static func sortedPatterns(_ vectors: some Sequence<ComparisonVector>) -> [(vector: ComparisonVector, count: Double)] {
        sorted(counts(vectors))
    }

    /// How many times each distinct vector occurs.
    static func counts(_ vectors: some Sequence<ComparisonVector>) -> [ComparisonVector: Double] {
        var counts: [ComparisonVector: Double] = [:]
        for v in vectors { counts[v, default: 0] += 1 }
        return counts
    }

    /// Counts in packed order: the fields' lexicographic order with a missing level lowest.
    static func sorted(_ counts: [ComparisonVector: Double]) -> [(vector: ComparisonVector, count: Double)] {
        counts.map { ($0.key, $0.value) }.sorted { $0.vector.packed < $1.vector.packed }
    }

    static func clamp(_ x: Double, _ low: Double, _ high: Double) -> Double { min(max(x, low), high) }

    static func emptyCounts() -> [[Double]] { ComparedField.allCases.map { [Double](repeating: 0, count: $0.levels.count) } }

    static func add(_ v: ComparisonVector, to counts: inout [[Double]]) {
        v.forEachLevel { i, l in counts[i][l] += 1 }
    }

    /// Each field's counts as probabilities, floored at 1e-6 so no level is impossible. The floor is
    /// a probability, not a pseudo-count, so a level that neither m nor u ever saw weighs 0 rather
    /// than log2 of the ratio of their sample sizes.
    static func normalised(_ counts: [[Double]]) -> [String: [Double]] {
        var out: [String: [Double]] = [:]
        for (i, field) in ComparedField.allCases.enumerated() {
            let sum = counts[i].reduce(0, +)
            guard sum > 0 else {
                out[field.rawValue] = counts[i].map { _ in 1 / Double(counts[i].count) }
                continue
            }
            let row = counts[i].map { max($0 / sum, 1e-6) }
            let total = row.reduce(0, +)
            out[field.rawValue] = row.map { $0 / total }
        }
        return out
    }
}

/// Resolves scored cross-agency pairs one-to-one: a record of one agency is rarely two people in
/// another agency's extract, so each record keeps only its best-scoring partner, taken greedily from
/// the highest score down. Pairs that lose keep their score but drop out of the match band.
public enum OneToOne {
    /// The indices of `pairs` kept, given their `scores`. Pairs are taken best first, equal scores in
    /// the order given, so a pair never changes whether a better one is kept: a caller may leave out
    /// pairs below the bands it keeps.
    public static func keep(_ pairs: [CandidatePair], scores: [Double]) -> Set<Int> {
        var usedLeft = Set<Int>(), usedRight = Set<Int>(), kept = Set<Int>()
        for i in pairs.indices.sorted(by: { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }) {
            let p = pairs[i]
            guard !usedLeft.contains(p.left), !usedRight.contains(p.right) else { continue }
            usedLeft.insert(p.left)
            usedRight.insert(p.right)
            kept.insert(i)
        }
        return kept
    }
}

/// Pairs that share one blocking key, for learning m of the fields the key leaves free (see
/// ``ModelTrainer/trainM(sessions:u:)``).
public struct TrainingSession: Sendable {
    /// The pairs' comparisons, with the blind fields missing.
    public var vectors: [ComparisonVector]
    /// Fields the key fixes or confounds; they learn nothing here.
    public var blindFields: Set<ComparedField>
    /// Fields whose u EM holds at the random-pair values: those about which the key says nothing
    /// among different people (people of one name are no likelier than any two to share a date of
    /// birth). Needed where a field is nearly all EM has to go on: free to move u, EM can make u
    /// equal m, and the field then weighs nothing.
    public var heldU: Set<ComparedField>

    public init(vectors: [ComparisonVector], blindFields: Set<ComparedField>, heldU: Set<ComparedField> = []) {
        self.vectors = vectors
        self.blindFields = blindFields
        self.heldU = heldU
    }
}
