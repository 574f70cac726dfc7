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
            for r in records { if let t = r.tokens[name]?.first { c[t, default: 0] += 1 } }
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
              let token = a.tokens[name]?.first, let tf = share(of: token, in: name),
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

    /// A scorer.
    public init(model: MatchModel, termFrequencies: TermFrequencies? = nil) {
        self.model = model
        self.termFrequencies = termFrequencies
    }

    /// The score of `a` against `b`, whose comparison is `v`; `withinAgency` when both are one agency's.
    /// Co-located pairs are not adjusted: their name weights already come from what people at one
    /// address share (``MatchModel/householdU``), where a family's surname is common by definition.
    public func score(_ a: EncodedRecord, _ b: EncodedRecord, _ v: ComparisonVector, withinAgency: Bool = false) -> Double {
        var s = model.score(v, withinAgency: withinAgency)
        guard let tf = termFrequencies, !v.isCoLocated else { return s }
        for (field, _) in TermFrequencies.adjusted where v[field] == 0 {
            if let adjusted = tf.exactWeight(field, model: model, a) { s += adjusted - model.weight(field, level: 0) }
        }
        return s
    }
}
