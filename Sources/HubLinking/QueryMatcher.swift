import Foundation
import Synchronization
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

/// Where one or more referral queries spent their time, and how much they read: for the
/// benchmark and for operators' metrics. Counts and durations only.
public struct QueryProfile: Sendable {
    public var model = Duration.zero, keys = Duration.zero, blockLookup = Duration.zero, batches = Duration.zero
    public var candidateRead = Duration.zero, scoring = Duration.zero, clusters = Duration.zero
    public var blockKeys = 0, blockMembers = 0, candidates = 0, cacheHits = 0, returned = 0

    public init() {}

    /// Adds `other`'s times and counts to these.
    public mutating func add(_ other: QueryProfile) {
        model += other.model; keys += other.keys; blockLookup += other.blockLookup; batches += other.batches
        candidateRead += other.candidateRead; scoring += other.scoring; clusters += other.clusters
        blockKeys += other.blockKeys; blockMembers += other.blockMembers; candidates += other.candidates; cacheHits += other.cacheHits
        returned += other.returned
    }
}

/// Matches one referral query (a tokenised subject) against the store's current records: the
/// persisted blocking index finds candidates, the stored model and term counts score them, exactly
/// as an incremental link scores a new record.
///
/// Queries run in parallel. The model and term counts are decoded once per link run (they can be
/// megabytes), and decoded candidate records are kept in a bounded cache: a stored record never
/// changes (a new extract is a new batch), and the broad blocks that most candidates come from are
/// met again (on the benchmark's random queries 17–18% of reads came from it; docs/benchmarks.md).
public final class QueryMatcher: Sendable {
    private let store: any HubStore
    private let scorerCache = Mutex<(generation: Int, scorer: Scorer)?>(nil)
    private let records: RecordCache

    /// A matcher over `store`, keeping up to `cachedRecords` decoded records (about 2 KB each).
    public init(store: any HubStore, cachedRecords: Int = 50_000) {
        self.store = store
        records = RecordCache(capacity: cachedRecords)
    }

    /// The linkage key id the store was last linked under (nil before the first link).
    public func linkageKeyID() async throws(HubLinkingError) -> String? {
        try await wrap { () async throws(StoreError) in try await store.linkingGeneration()?.linkageKeyID }
    }

    private func scorer() async throws(HubLinkingError) -> Scorer {
        guard let now = try await wrap({ () async throws(StoreError) in try await store.linkingGeneration() }) else { throw .notLinkedYet }
        if let cached = scorerCache.withLock({ $0 }), cached.generation == now.generation { return cached.scorer }
        guard let state = try await wrap({ () async throws(StoreError) in try await store.linkingState() }) else { throw .notLinkedYet }
        let model: MatchModel
        do { model = try MatchModel.decoded(from: Data(state.model)) } catch { throw .corruptState("the stored model cannot be used: \(error)") }
        let scorer = Scorer(model: model, termFrequencies: try TermCountsCoding.decode(state.termCounts))
        scorerCache.withLock { $0 = (state.generation, scorer) }
        return scorer
    }

    /// The current records in the match or possible band for `query`, best first (ties by
    /// reference, then store id, so the order never depends on where a record was read from).
    public func match(_ query: EncodedRecord, filterBits: Int) async throws(HubLinkingError) -> [QueryMatch] {
        var profile = QueryProfile()
        return try await match(query, filterBits: filterBits, profile: &profile)
    }

    /// As ``match(_:filterBits:)``, adding to `profile` where the time went and how many rows each
    /// step read (counts only: nothing about the subject).
    public func match(_ query: EncodedRecord, filterBits: Int, profile: inout QueryProfile) async throws(HubLinkingError) -> [QueryMatch] {
        var lap = ContinuousClock.now
        func mark(_ phase: WritableKeyPath<QueryProfile, Duration>) {
            let now = ContinuousClock.now
            profile[keyPath: phase] += now - lap
            lap = now
        }
        let scorer = try await scorer()
        mark(\.model)
        let model = scorer.model
        let blocker = Blocker(filterBits: filterBits)
        let configuration = blocker.configuration
        var passOf: [Int64: String] = [:]
        for k in Set(blocker.keys(of: query)) { passOf[k.storageKey] = k.passFamily }
        mark(\.keys)
        let lookup = try await wrap { () async throws(StoreError) in
            try await store.blockMembers(keys: Array(passOf.keys), maximumPerBatch: configuration.maximumBlockSize)
        }
        mark(\.blockLookup)
        let current = try await wrap { () async throws(StoreError) in try await store.currentBatches() }
        mark(\.batches)
        let agencyOf = Dictionary(uniqueKeysWithValues: current.map { ($0.batchID, $0.agency) })
        var shared: [Int64: Int] = [:], sufficient = Set<Int64>(), batchOf: [Int64: String] = [:]
        for m in lookup.members where agencyOf[m.batchID] != nil {
            shared[m.recordID, default: 0] += 1
            batchOf[m.recordID] = m.batchID
            if let pass = passOf[m.key], configuration.sufficientPasses.contains(pass) { sufficient.insert(m.recordID) }
        }
        let kept = shared.compactMap { configuration.keeps(sharedKeys: $0.value, sufficient: sufficient.contains($0.key)) ? $0.key : nil }
        mark(\.keys)
        var (candidates, missing) = records.lookup(kept, batchOf: batchOf)
        let hits = candidates.count
        if !missing.isEmpty {
            let read = try await wrap { () async throws(StoreError) in try await store.records(ids: missing) }
            records.insert(read)
            candidates += read
        }
        mark(\.candidateRead)
        let profileOfQuery = ComparisonProfiles(query), profiles = ComparisonProfiles(candidates.map(\.record))
        var scored: [(StoredRecord, Double, ComparisonVector)] = []
        for (k, c) in candidates.enumerated() {
            let v = Comparator.compare(profileOfQuery, 0, profiles, k)
            let score = scorer.score(query, c.record, v)
            if model.band(score) != .nonMatch { scored.append((c, score, v)) }
        }
        mark(\.scoring)
        let clusters = try await wrap { () async throws(StoreError) in try await store.clusterMembers(of: scored.map(\.0.id)) }
        mark(\.clusters)
        profile.blockKeys += passOf.count
        profile.blockMembers += lookup.members.count
        profile.candidates += candidates.count
        profile.cacheHits += hits
        profile.returned += scored.count
        let clusterOf = Dictionary(clusters.map { ($0.recordID, $0.cluster) }, uniquingKeysWith: { a, _ in a })
        return scored.map { c, score, v in
            QueryMatch(
                recordID: c.id, batchID: c.batchID, agency: agencyOf[c.batchID] ?? "", reference: c.record.reference,
                ageBand: c.record.ageBand, score: score, band: model.band(score), evidence: model.evidence(v),
                cluster: clusterOf[c.id], tiers: Set(c.record.payload.keys))
        }.sorted { ($0.score, $1.reference, $1.recordID) > ($1.score, $0.reference, $0.recordID) }
    }

    private func wrap<T>(_ body: () async throws(StoreError) -> T) async throws(HubLinkingError) -> T {
        do { return try await body() } catch { throw .store(error) }
    }
}

/// Decoded stored records by store id, bounded: two generations of at most half the capacity each
/// (a lookup in the older one moves the record to the newer; when the newer fills, the older is
/// dropped), so the records in use stay and the memory is capped. A hit must name the batch the
/// index gave for the id, so an id reused after a purge can never return another batch's record.
final class RecordCache: Sendable {
    private struct Generations {
        var young: [Int64: StoredRecord] = [:], old: [Int64: StoredRecord] = [:]
    }
    private let half: Int
    private let state = Mutex(Generations())

    init(capacity: Int) { half = max(0, capacity / 2) }

    /// The cached records among `ids`, and the ids to read.
    func lookup(_ ids: [Int64], batchOf: [Int64: String]) -> (found: [StoredRecord], missing: [Int64]) {
        guard half > 0 else { return ([], ids) }
        return state.withLock { s in
            var found: [StoredRecord] = [], missing: [Int64] = []
            found.reserveCapacity(ids.count)
            for id in ids {
                if let r = s.young[id], r.batchID == batchOf[id] {
                    found.append(r)
                } else if let r = s.old[id], r.batchID == batchOf[id] {
                    found.append(r)
                    Self.put(r, into: &s, half: half)
                } else {
                    missing.append(id)
                }
            }
            return (found, missing)
        }
    }

    /// Keeps `read`.
    func insert(_ read: [StoredRecord]) {
        guard half > 0 else { return }
        state.withLock { s in for r in read { Self.put(r, into: &s, half: half) } }
    }

    private static func put(_ r: StoredRecord, into s: inout Generations, half: Int) {
        if s.young.count >= half {
            s.old = s.young
            s.young = [:]
            s.young.reserveCapacity(half)
        }
        s.young[r.id] = r
    }
}
