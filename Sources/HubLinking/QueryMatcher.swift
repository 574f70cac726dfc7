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
    public var candidateRead = Duration.zero, scoring = Duration.zero, returnedRead = Duration.zero, clusters = Duration.zero
    /// `decoded`: candidates with no stored profile (or one of another layout), decoded from their lines.
    public var blockKeys = 0, blockMembers = 0, candidates = 0, cacheHits = 0, decoded = 0, returned = 0

    public init() {}

    /// Adds `other`'s times and counts to these.
    public mutating func add(_ other: QueryProfile) {
        model += other.model; keys += other.keys; blockLookup += other.blockLookup; batches += other.batches
        candidateRead += other.candidateRead; scoring += other.scoring; returnedRead += other.returnedRead; clusters += other.clusters
        blockKeys += other.blockKeys; blockMembers += other.blockMembers; candidates += other.candidates; cacheHits += other.cacheHits
        decoded += other.decoded
        returned += other.returned
    }
}

/// Matches one referral query (a tokenised subject) against the store's current records: the
/// persisted blocking index finds candidates, the stored model and term counts score them, exactly
/// as an incremental link scores a new record.
///
/// Candidates are compared through their stored comparison profiles (``ComparisonProfiles``, written
/// by link runs), read from the profile table alone: a candidate's line (about 2 KB of JSON) is read
/// and decoded only for the few records returned, or for a record no link has profiled yet.
///
/// Queries run in parallel. The model and term counts are decoded once per link run (they can be
/// megabytes), and candidates' profiles are kept in a bounded cache: a stored record never changes
/// (a new extract is a new batch), and the broad blocks that most candidates come from are met
/// again (on the benchmark's random queries 17–18% of reads came from it; docs/benchmarks.md).
public final class QueryMatcher: Sendable {
    private let store: any HubStore
    private let scorerCache = Mutex<(generation: Int, scorer: Scorer)?>(nil)
    private let cache: ProfileCache
    private let blocking: BlockingConfiguration

    /// A matcher over `store`, keeping up to `cachedRecords` candidates' comparison profiles
    /// (about 0.7 KB each). `blocking` must be the configuration the store's link runs use
    /// (``LinkOptions/blocking``).
    public init(store: any HubStore, cachedRecords: Int = 100_000, blocking: BlockingConfiguration = .standard) {
        self.store = store
        cache = ProfileCache(capacity: cachedRecords)
        self.blocking = blocking
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
        let blocker = Blocker(configuration: blocking, filterBits: filterBits)
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
        let blockSizes = lookup.blockSizes()
        var shared: [Int64: SharedKeys] = [:], sufficient = Set<Int64>(), batchOf: [Int64: String] = [:]
        for m in lookup.members where agencyOf[m.batchID] != nil {
            shared[m.recordID, default: SharedKeys()].add(narrow: !configuration.isBroad(left: 1, right: blockSizes[m.block, default: 0]))
            batchOf[m.recordID] = m.batchID
            if let pass = passOf[m.key], configuration.sufficientPasses.contains(pass) { sufficient.insert(m.recordID) }
        }
        let kept = shared.compactMap { configuration.keeps($0.value, sufficient: sufficient.contains($0.key)) ? $0.key : nil }
        mark(\.keys)
        var (bytes, missing) = cache.lookup(kept, batchOf: batchOf)
        let hits = bytes.count
        var decoded = 0
        if !missing.isEmpty {
            var read = try await wrap { () async throws(StoreError) in try await store.profileBytes(ids: missing) }
            // A record no link has written a profile for (or one of another layout) is decoded
            // from its line; the query path only reads, so the next link run stores it.
            let unprofiled = missing.filter { read[$0].map(ComparisonProfiles.isStoredFormat) != true }
            if !unprofiled.isEmpty {
                let records = try await wrap { () async throws(StoreError) in try await store.records(ids: unprofiled) }
                for r in records { read[r.id] = ComparisonProfiles.stored(r.record) }
                decoded = records.count
            }
            let fresh = missing.compactMap { id in read[id].map { (id: id, batchID: batchOf[id]!, profile: $0) } }
            cache.insert(fresh)
            bytes += fresh
        }
        mark(\.candidateRead)
        guard let profiles = ComparisonProfiles(stored: bytes.map(\.profile)) else {
            throw .corruptState("a stored comparison profile does not decode: run `mashlink-hub link --full` to rewrite them")
        }
        let profileOfQuery = ComparisonProfiles(query), adjustments = scorer.adjustments([query])
        var scored: [(id: Int64, score: Double, vector: ComparisonVector)] = []
        for k in bytes.indices {
            let v = Comparator.compare(profileOfQuery, 0, profiles, k)
            let score = scorer.score(v, adjustments: adjustments, left: 0)
            if model.band(score) != .nonMatch { scored.append((bytes[k].id, score, v)) }
        }
        mark(\.scoring)
        // Only what is returned is read whole: its reference, age band and payload tiers.
        let returned = Dictionary(
            try await wrap { () async throws(StoreError) in try await store.records(ids: scored.map(\.id)) }.map { ($0.id, $0) },
            uniquingKeysWith: { a, _ in a })
        mark(\.returnedRead)
        let clusters = try await wrap { () async throws(StoreError) in try await store.clusterMembers(of: scored.map(\.id)) }
        mark(\.clusters)
        profile.blockKeys += passOf.count
        profile.blockMembers += lookup.members.count
        profile.candidates += bytes.count
        profile.cacheHits += hits
        profile.decoded += decoded
        profile.returned += scored.count
        let clusterOf = Dictionary(clusters.map { ($0.recordID, $0.cluster) }, uniquingKeysWith: { a, _ in a })
        return try scored.map { (id, score, v) throws(HubLinkingError) in
            guard let c = returned[id], c.batchID == batchOf[id] else { throw .corruptState("a matched record is no longer stored; try the query again") }
            return QueryMatch(
                recordID: c.id, batchID: c.batchID, agency: agencyOf[c.batchID] ?? "", reference: c.record.reference,
                ageBand: c.record.ageBand, score: score, band: model.band(score), evidence: model.evidence(v),
                cluster: clusterOf[c.id], tiers: Set(c.record.payload.keys))
        }.sorted { ($0.score, $1.reference, $1.recordID) > ($1.score, $0.reference, $0.recordID) }
    }

    private func wrap<T>(_ body: () async throws(StoreError) -> T) async throws(HubLinkingError) -> T {
        do { return try await body() } catch { throw .store(error) }
    }
}

/// Candidates' stored comparison profiles by store id, bounded: two generations of at most half
/// the capacity each (a lookup in the older one moves the entry to the newer; when the newer fills,
/// the older is dropped), so the profiles in use stay and the memory is capped. A hit must name the
/// batch the index gave for the id, so an id reused after a purge can never return another
/// batch's profile.
final class ProfileCache: Sendable {
    typealias Entry = (id: Int64, batchID: String, profile: [UInt8])
    private struct Generations {
        var young: [Int64: Entry] = [:], old: [Int64: Entry] = [:]
    }
    private let half: Int
    private let state = Mutex(Generations())

    init(capacity: Int) { half = max(0, capacity / 2) }

    /// The cached profiles among `ids`, and the ids to read.
    func lookup(_ ids: [Int64], batchOf: [Int64: String]) -> (found: [Entry], missing: [Int64]) {
        guard half > 0 else { return ([], ids) }
        return state.withLock { s in
            var found: [Entry] = [], missing: [Int64] = []
            found.reserveCapacity(ids.count)
            for id in ids {
                if let e = s.young[id], e.batchID == batchOf[id] {
                    found.append(e)
                } else if let e = s.old[id], e.batchID == batchOf[id] {
                    found.append(e)
                    Self.put(e, into: &s, half: half)
                } else {
                    missing.append(id)
                }
            }
            return (found, missing)
        }
    }

    /// Keeps `read`.
    func insert(_ read: [Entry]) {
        guard half > 0 else { return }
        state.withLock { s in for e in read { Self.put(e, into: &s, half: half) } }
    }

    private static func put(_ e: Entry, into s: inout Generations, half: Int) {
        if s.young.count >= half {
            s.old = s.young
            s.young = [:]
            s.young.reserveCapacity(half)
        }
        s.young[e.id] = e
    }
}
