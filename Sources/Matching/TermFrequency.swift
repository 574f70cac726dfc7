import Foundation
public import Tokenisation

/// How common each exact name token is among the records being linked, so that agreeing on a common
/// surname counts for less than agreeing on a rare one (term-frequency adjustment).
///
/// The hub computes it from the tokens it already holds; it learns nothing new by doing so (the
/// frequencies of keyed tokens are visible to it anyway — see the threat model).
public struct TermFrequencies: Sendable {
    /// Fields adjusted, with the token each record's exact agreement is decided on.
    static let adjusted: [(field: ComparedField, token: String)] = [(.givenName, TokenName.given), (.surname, TokenName.surname)]
    /// How many records carry each exact token, by token name: what the hub keeps between link runs
    /// so that an incremental link scores with the frequencies of the last full one.
    public let counts: [String: [Token: Int]]
    private let totals: [String: Int]

    /// Counts the exact tokens of `records` (all agencies together).
    public init(_ records: [EncodedRecord]) {
        var counts: [String: [Token: Int]] = [:]
        for (_, name) in Self.adjusted {
            var c: [Token: Int] = [:]
            for r in records { if let t = r.tokenTable.firstToken(named: name) { c[t, default: 0] += 1 } }
            counts[name] = c
        }
        self.init(counts: counts)
    }

    /// Frequencies from saved counts (see ``counts``).
    public init(counts: [String: [Token: Int]]) {
        self.counts = counts
        totals = counts.mapValues { $0.values.reduce(0, +) }
    }

    /// The share of records with `token` under token name `name`, if known.
    public func share(of token: Token, in name: String) -> Double? {
        guard let n = counts[name]?[token] else { return nil }
        return Double(n) / Double(max(totals[name] ?? 0, 1))
    }

    /// The adjusted weight of exact agreement on `field` between `a` and `b`: log2(m_exact / share of the
    /// agreed value), floored by the model's own u so that a value seen once cannot outweigh everything.
    func exactWeight(_ field: ComparedField, model: MatchModel, _ a: EncodedRecord) -> Double? {
        guard let name = Self.adjusted.first(where: { $0.field == field })?.token,
              let token = a.tokenTable.firstToken(named: name), let tf = share(of: token, in: name),
              let m = model.m[field.rawValue]?.first, let u = model.u[field.rawValue]?.first else { return nil }
        // A common value weighs less than the model's average exact agreement; a rare one more, but
        // at most 2 bits more (share floored at u/4), so one unusual spelling cannot decide a pair.
        let floor = u / 4
        return log2(m / max(tf, floor))
    }
}

/// Scores pairs with a model and, optionally, term-frequency adjustment.
public struct Scorer: Sendable {
    /// The model.
    public let model: MatchModel
    /// Term frequencies, if adjusting.
    public let termFrequencies: TermFrequencies?

    /// Every ``MatchModel/weight(_:level:coLocated:)``, worked out once: not co-located first, then
    /// co-located; a field's levels from `field × levelStride`. Scoring tens of millions of pairs
    /// reads this flat table instead of the model's dictionaries (same values, same sums).
    private let weights: [Double]
    private let levelStride: Int
    private let priors: (cross: Double, within: Double)

    /// A scorer.
    public init(model: MatchModel, termFrequencies: TermFrequencies? = nil) {
        self.model = model
        self.termFrequencies = termFrequencies
        let stride = ComparedField.allCases.map(\.levels.count).max() ?? 0
        var table = [Double](repeating: 0, count: 2 * ComparedField.allCases.count * stride)
        for coLocated in [false, true] {
            for (i, field) in ComparedField.allCases.enumerated() {
                for level in field.levels.indices {
                    table[(coLocated ? ComparedField.allCases.count * stride : 0) + i * stride + level] =
                        model.weight(field, level: level, coLocated: coLocated)
                }
            }
        }
        weights = table
        levelStride = stride
        priors = (model.priorWeight(withinAgency: false), model.priorWeight(withinAgency: true))
    }

    /// The model's score of `v` (``MatchModel/score(_:withinAgency:)``), from the precomputed table.
    func modelScore(_ v: ComparisonVector, withinAgency: Bool) -> Double {
        var s = withinAgency ? priors.within : priors.cross
        let base = v.isCoLocated ? ComparedField.allCases.count * levelStride : 0
        v.forEachLevel { i, l in s += weights[base + i * levelStride + l] }
        return s
    }

    /// The score of `a` against `b`, whose comparison is `v`; `withinAgency` when both are one agency's.
    /// Co-located pairs are not adjusted: their name weights already come from what people at one
    /// address share (``MatchModel/householdU``), where a family's surname is common by definition.
    public func score(_ a: EncodedRecord, _ b: EncodedRecord, _ v: ComparisonVector, withinAgency: Bool = false) -> Double {
        var s = modelScore(v, withinAgency: withinAgency)
        guard termFrequencies != nil, !v.isCoLocated else { return s }
        for (i, (field, _)) in TermFrequencies.adjusted.enumerated() where v[field] == 0 { s += adjustment(i, a) }
        return s
    }

    /// What term frequencies change in the score of a pair whose left record is `a` and which agrees
    /// exactly on the `i`th adjusted field: the record's adjusted weight less the model's (0 where
    /// the record's token is not counted).
    private func adjustment(_ i: Int, _ a: EncodedRecord) -> Double {
        guard let adjusted = termFrequencies?.exactWeight(TermFrequencies.adjusted[i].field, model: model, a) else { return 0 }
        return adjusted - weights[Self.adjustedIndex[i] * levelStride]
    }

    /// Every record's term-frequency adjustments, worked out once (two numbers a record), so that
    /// scoring a hundred million pairs adds them instead of looking each token up in the counts.
    /// ``score(_:_:adjustments:left:withinAgency:)`` with these gives exactly ``score(_:_:_:withinAgency:)``.
    public func adjustments(_ records: [EncodedRecord]) -> ScoreAdjustments {
        let n = TermFrequencies.adjusted.count
        guard termFrequencies != nil else { return ScoreAdjustments(values: [], stride: n) }
        var values = [Double](repeating: 0, count: records.count * n)
        for (r, record) in records.enumerated() { for i in 0..<n { values[r * n + i] = adjustment(i, record) } }
        return ScoreAdjustments(values: values, stride: n)
    }

    /// The score of a pair whose comparison is `v` and whose left record is record `left` of the
    /// records `adjustments` were worked out for.
    @inline(__always)
    public func score(_ v: ComparisonVector, adjustments: ScoreAdjustments, left: Int, withinAgency: Bool = false) -> Double {
        var s = modelScore(v, withinAgency: withinAgency)
        guard !adjustments.values.isEmpty, !v.isCoLocated else { return s }
        for i in 0..<adjustments.stride where v.level(at: Self.adjustedIndex[i]) == 0 { s += adjustments.values[left * adjustments.stride + i] }
        return s
    }

    /// The index in ``ComparedField/allCases`` of each term-frequency-adjusted field.
    private static let adjustedIndex = TermFrequencies.adjusted.map { ComparedField.allCases.firstIndex(of: $0.field)! }
}

/// Each record's term-frequency adjustments (``Scorer/adjustments(_:)``).
public struct ScoreAdjustments: Sendable {
    let values: [Double]
    let stride: Int
}
