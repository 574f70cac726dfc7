import Foundation
public import Tokenisation

/// A Fellegi–Sunter model: for each field and level, m = P(level | same person) and
/// u = P(level | different people), plus the prior share of matches among candidate pairs.
/// Saved as JSON and reused for incremental linking.
public struct MatchModel: Sendable, Codable, Hashable {
    /// m probabilities by field name and level.
    public var m: [String: [Double]]
    /// u probabilities by field name and level.
    public var u: [String: [Double]]
    /// Prior probability that a candidate pair is a match.
    public var prior: Double
    /// Score (log2 odds) at or above which a pair is a match.
    public var matchThreshold: Double
    /// Score at or above which a pair is possible (a person reviews); below it, a non-match.
    public var possibleThreshold: Double

    /// Default thresholds, chosen for precision: a match needs posterior odds of at least 1000:1
    /// (≈ 0.999), a possible needs even odds. Overridable per MASH.
    public static let defaultMatchThreshold = log2(1000.0)
    /// See ``defaultMatchThreshold``.
    public static let defaultPossibleThreshold = 0.0

    /// The weight (log2 m/u) of `field` at `level`.
    public func weight(_ field: ComparedField, level: Int) -> Double {
        guard let mf = m[field.rawValue], let uf = u[field.rawValue], level < mf.count, level < uf.count else { return 0 }
        return log2(mf[level] / uf[level])
    }

    /// The pair's score: prior log2 odds plus the weight of every present field.
    public func score(_ v: ComparisonVector) -> Double {
        var s = log2(prior / (1 - prior))
        for (i, field) in ComparedField.allCases.enumerated() { if let l = v.levels[i] { s += weight(field, level: l) } }
        return s
    }

    /// The band of a score.
    public func band(_ score: Double) -> MatchBand {
        score >= matchThreshold ? .match : score >= possibleThreshold ? .possible : .nonMatch
    }

    /// Identifier-free evidence for a pair: each present field's level and weight, strongest first.
    public func evidence(_ v: ComparisonVector) -> [Evidence] {
        ComparedField.allCases.enumerated().compactMap { i, field in
            v.levels[i].map { Evidence(field: field, level: field.levels[$0], weight: weight(field, level: $0)) }
        }.sorted { abs($0.weight) > abs($1.weight) }
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

/// Estimates a ``MatchModel`` from the data alone: u from random pairs, m and the prior by EM.
public enum ModelTrainer {
    /// u probabilities from `samples` random left–right pairs (nearly all of which are non-matches).
    public static func estimateU(left: [EncodedRecord], right: [EncodedRecord], samples: Int = 50_000, seed: UInt64 = 1) -> [String: [Double]] {
        var counts = ComparedField.allCases.map { [Double](repeating: 0, count: $0.levels.count) }
        var generator = SplitMix64(seed: seed)
        guard !left.isEmpty, !right.isEmpty else { return [:] }
        for _ in 0..<samples {
            let a = left[Int(generator.next() % UInt64(left.count))], b = right[Int(generator.next() % UInt64(right.count))]
            for (i, l) in Comparator.compare(a, b).levels.enumerated() { if let l { counts[i][l] += 1 } }
        }
        return normalised(counts)
    }

    /// Fits m, u and the prior to `vectors` (the candidate pairs' comparisons) by expectation–maximisation
    /// (Winkler's EM for Fellegi–Sunter), starting u from the random-pair estimate. u is re-estimated
    /// on the candidates because candidate non-matches share a blocking key and so agree far more often
    /// than random pairs: holding u at the random-pair values lets the "match" class absorb them.
    /// No labels are used.
    ///
    /// The model it returns scores against the whole population, as Fellegi–Sunter intends: m from
    /// EM, u from random pairs (so agreeing on a blocking field counts as the evidence it is), and the
    /// prior = estimated matches / all `possiblePairs` (left × right).
    public static func train(
        vectors: [ComparisonVector], u: [String: [Double]], possiblePairs: Int, iterations: Int = 30
    ) -> MatchModel {
        var patterns: [ComparisonVector: Double] = [:]
        for v in vectors { patterns[v, default: 0] += 1 }
        var m: [String: [Double]] = [:]
        for field in ComparedField.allCases {
            let n = field.levels.count
            // Start from "matches mostly agree": 0.85 exact, 0.05 different, the rest spread between.
            var start = [Double](repeating: 0.10 / Double(max(n - 2, 1)), count: n)
            start[0] = n == 2 ? 0.95 : 0.85
            start[n - 1] = 0.05
            m[field.rawValue] = start
        }
        var model = MatchModel(
            m: m, u: u, prior: 0.1, matchThreshold: MatchModel.defaultMatchThreshold,
            possibleThreshold: MatchModel.defaultPossibleThreshold)
        for _ in 0..<iterations {
            var mCounts = ComparedField.allCases.map { [Double](repeating: 0, count: $0.levels.count) }
            var uCounts = mCounts
            var matchMass = 0.0, total = 0.0
            for (v, count) in patterns {
                let p = 1 / (1 + exp2(-model.score(v)))
                matchMass += p * count
                total += count
                for (i, l) in v.levels.enumerated() {
                    if let l {
                        mCounts[i][l] += p * count
                        uCounts[i][l] += (1 - p) * count
                    }
                }
            }
            model.m = normalised(mCounts)
            model.u = normalised(uCounts)
            model.prior = min(max(matchMass / max(total, 1), 1e-6), 1 - 1e-6)
        }
        let matches = model.prior * Double(vectors.count)
        model.u = u
        model.prior = min(max(matches / Double(max(possiblePairs, 1)), 1e-12), 0.5)
        return model
    }

    /// Each field's counts as probabilities, with a small floor so no level is impossible.
    static func normalised(_ counts: [[Double]]) -> [String: [Double]] {
        var out: [String: [Double]] = [:]
        for (i, field) in ComparedField.allCases.enumerated() {
            let row = counts[i].map { $0 + 1e-3 }
            let sum = row.reduce(0, +)
            out[field.rawValue] = row.map { $0 / sum }
        }
        return out
    }
}

/// Resolves scored cross-agency pairs one-to-one: a record of one agency is rarely two people in
/// another agency's extract, so each record keeps only its best-scoring partner, taken greedily from
/// the highest score down. Pairs that lose keep their score but drop out of the match band.
public enum OneToOne {
    /// The indices of `pairs` kept, given their `scores`.
    public static func keep(_ pairs: [CandidatePair], scores: [Double]) -> Set<Int> {
        var usedLeft = Set<Int>(), usedRight = Set<Int>(), kept = Set<Int>()
        for i in pairs.indices.sorted(by: { scores[$0] > scores[$1] }) {
            let p = pairs[i]
            guard !usedLeft.contains(p.left), !usedRight.contains(p.right) else { continue }
            usedLeft.insert(p.left)
            usedRight.insert(p.right)
            kept.insert(i)
        }
        return kept
    }
}
