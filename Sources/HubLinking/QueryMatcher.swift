import Foundation
public import HubStore
public import Matching
public import Tokenisation

/// One stored record a referral query matched, with its identifier-free evidence.
public struct QueryMatch: Sendable, Hashable {
    /// The record's store id, batch and agency, and its opaque reference.
    public let recordID: Int64
    public let batchID: String
    public let agency: String
    public let reference: String
    public let ageBand: AgeBand?
    /// The pair's score (log2 odds) and band: only match and possible are returned.
    public let score: Double
    public let band: MatchBand
    /// Each compared field's level and weight, strongest first (the waterfall a practitioner reads).
    public let evidence: [Evidence]
    /// The person (cluster) the record belongs to, if linking clustered it.
    public let cluster: Int64?
    /// The payload tiers the record carries.
    public let tiers: Set<PayloadTier>
}

/// Matches one referral query (a tokenised subject) against the store's current records: the
/// persisted blocking index finds candidates, the stored model and term counts score them, exactly
/// as an incremental link scores a new record. Reads only candidate records; the model and term
/// counts are decoded once per link run (they can be megabytes) and kept until the next.
public actor QueryMatcher {
    private let store: any HubStore
    private var cached: (generation: Int, scorer: Scorer)?

    /// A matcher over `store`.
    public init(store: any HubStore) { self.store = store }

    /// The linkage key id the store was last linked under (nil before the first link).
    public func linkageKeyID() async throws(HubLinkingError) -> String? {
        try await wrap { () async throws(StoreError) in try await store.linkingGeneration()?.linkageKeyID }
    }

    private func scorer() async throws(HubLinkingError) -> Scorer {
        guard let now = try await wrap({ () async throws(StoreError) in try await store.linkingGeneration() }) else { throw .notLinkedYet }
        if let cached, cached.generation == now.generation { return cached.scorer }
        guard let state = try await wrap({ () async throws(StoreError) in try await store.linkingState() }) else { throw .notLinkedYet }
        let model: MatchModel
        do { model = try JSONDecoder().decode(MatchModel.self, from: Data(state.model)) } catch {
            throw .corruptState("the stored model does not decode")
        }
        let scorer = Scorer(model: model, termFrequencies: try TermCountsCoding.decode(state.termCounts))
        cached = (state.generation, scorer)
        return scorer
    }

    /// The current records in the match or possible band for `query`, best first.
    public func match(_ query: EncodedRecord, filterBits: Int) async throws(HubLinkingError) -> [QueryMatch] {
        let scorer = try await scorer()
        let model = scorer.model
        let blocker = Blocker(filterBits: filterBits)
        let configuration = blocker.configuration
        var passOf: [Int64: String] = [:]
        for k in Set(blocker.keys(of: query)) { passOf[k.storageKey] = k.passFamily }
        let lookup = try await wrap { () async throws(StoreError) in
            try await store.blockMembers(keys: Array(passOf.keys), maximumPerBatch: configuration.maximumBlockSize)
        }
        let current = try await wrap { () async throws(StoreError) in try await store.currentBatches() }
        let agencyOf = Dictionary(uniqueKeysWithValues: current.map { ($0.batchID, $0.agency) })
        var shared: [Int64: Int] = [:], sufficient = Set<Int64>()
        for m in lookup.members where agencyOf[m.batchID] != nil {
            shared[m.recordID, default: 0] += 1
            if let pass = passOf[m.key], configuration.sufficientPasses.contains(pass) { sufficient.insert(m.recordID) }
        }
        let kept = shared.compactMap { configuration.keeps(sharedKeys: $0.value, sufficient: sufficient.contains($0.key)) ? $0.key : nil }
        let candidates = try await wrap { () async throws(StoreError) in try await store.records(ids: kept) }
        let profile = ComparisonProfile(query)
        var scored: [(StoredRecord, Double, ComparisonVector)] = []
        for c in candidates {
            let v = Comparator.compare(profile, ComparisonProfile(c.record))
            let score = scorer.score(query, c.record, v)
            if model.band(score) != .nonMatch { scored.append((c, score, v)) }
        }
        let clusters = try await wrap { () async throws(StoreError) in try await store.clusterMembers(of: scored.map(\.0.id)) }
        let clusterOf = Dictionary(clusters.map { ($0.recordID, $0.cluster) }, uniquingKeysWith: { a, _ in a })
        return scored.map { c, score, v in
            QueryMatch(
                recordID: c.id, batchID: c.batchID, agency: agencyOf[c.batchID] ?? "", reference: c.record.reference,
                ageBand: c.record.ageBand, score: score, band: model.band(score), evidence: model.evidence(v),
                cluster: clusterOf[c.id], tiers: Set(c.record.payload.keys))
        }.sorted { ($0.score, $1.reference) > ($1.score, $0.reference) }
    }

    private func wrap<T>(_ body: () async throws(StoreError) -> T) async throws(HubLinkingError) -> T {
        do { return try await body() } catch { throw .store(error) }
    }
}
