import Foundation
public import HubStore
public import Matching
import Tokenisation

/// Links the records held in a hub store, fully or incrementally.
///
/// A **full** link reads every agency's current batch, trains a model (or reuses one), scores,
/// clusters, and replaces every stored link, cluster and blocking-index entry, keeping the model
/// and the term counts it scored with. An **incremental** link takes one newly ingested batch,
/// looks its blocking keys up in the persisted index (no other record is read unless it shares a
/// key), scores the candidates with the stored model and term counts, and re-clusters only the
/// persons it touched. With the same model and counts, it finds exactly the links a full link
/// would find for that batch (tested); the model and frequencies are refreshed only by a full link,
/// which is an operator command.
public enum StoreLinker {
    /// Links what needs linking: everything if `full` or if nothing was ever linked, otherwise each
    /// current batch not yet linked, one at a time. Returns a summary per run.
    public static func link(_ store: any HubStore, full: Bool = false, options: LinkOptions = LinkOptions()) async throws(HubLinkingError) -> [LinkRunSummary] {
        let current = try await wrap { () async throws(StoreError) in try await store.currentBatches() }
        guard !current.isEmpty else { throw .nothingToLink }
        for (i, a) in current.enumerated() {
            for b in current[..<i] {
                do { try a.header.checkLinkable(with: b.header) } catch { throw .unlinkable(error.description) }
            }
        }
        let state = try await wrap { () async throws(StoreError) in try await store.linkingState() }
        if full || state == nil || state?.linkageKeyID != current[0].header.linkageKeyID {
            return [try await fullLink(store, current: current, state: state, options: options)]
        }
        var summaries: [LinkRunSummary] = []
        for batch in current where !batch.linked {
            // Each run bumps the generation, so read the state afresh.
            guard let state = try await wrap({ () async throws(StoreError) in try await store.linkingState() }) else { throw .corruptState("the linking state disappeared") }
            summaries.append(try await incremental(store, batch: batch, current: current, state: state, options: options))
        }
        return summaries
    }

    static func fullLink(_ store: any HubStore, current: [CurrentBatch], state: LinkingState?, options: LinkOptions) async throws(HubLinkingError) -> LinkRunSummary {
        var clock = StageTimer()
        var agencies: [AgencyRecords] = [], ids: [String: [String: Int64]] = [:]
        var idsInOrder: [[Int64]] = []
        for batch in current {
            let records = try await wrap { () async throws(StoreError) in try await store.records(inBatch: batch.batchID) }
            agencies.append(AgencyRecords(agency: batch.agency, records: records.map(\.record)))
            ids[batch.agency] = Dictionary(uniqueKeysWithValues: records.map { ($0.record.reference, $0.id) })
            idsInOrder.append(records.map(\.id))
        }
        clock.lap("reading")
        let blocker = Blocker(configuration: options.blocking, filterBits: current[0].header.bloom.bits)
        let result = Linker.link(
            agencies, blocker: blocker, model: options.model, matchThreshold: options.matchThreshold,
            possibleThreshold: options.possibleThreshold, termFrequencyAdjustment: options.termFrequencyAdjustment,
            withinAgency: options.withinAgency, threads: options.threads)
        for (stage, seconds) in result.statistics.stageSeconds { clock.add(stage, seconds) }
        var links: [StoredLink] = []
        for l in result.links {
            guard let left = ids[l.leftAgency]?[l.leftRecord], let right = ids[l.rightAgency]?[l.rightRecord] else { continue }
            links.append(StoredLink(left: left, right: right, score: l.score, band: l.band == .match ? .match : .possible))
        }
        let clusters = result.clusters.compactMap { c in ids[c.agency]?[c.record].map { ClusterAssignment(recordID: $0, cluster: Int64(c.cluster)) } }
        var keys: [(batchID: String, entries: [(key: Int64, record: Int64)])] = []
        var profiles: [(record: Int64, profile: [UInt8])] = []
        for (a, agency) in agencies.enumerated() {
            var entries: [(key: Int64, record: Int64)] = []
            for (r, record) in agency.records.enumerated() {
                for key in Set(blocker.keys(of: record).map(\.storageKey)) { entries.append((key, idsInOrder[a][r])) }
            }
            keys.append((current[a].batchID, entries))
            profiles += storedProfiles(agency.records, ids: idsInOrder[a])
        }
        let model = try encode(result.model)
        let newState = LinkingState(
            generation: 0, model: model, termCounts: TermCountsCoding.encode(result.termFrequencies),
            linkageKeyID: current[0].header.linkageKeyID, trainedAt: Timestamps.now())
        clock.lap("indexing")
        try await wrap { () async throws(StoreError) in
            try await store.saveLinks(LinkRun(
                scope: .full(batches: current.map(\.batchID)), expectedGeneration: state?.generation, state: newState,
                blockKeys: keys, links: links, clusters: clusters, profiles: profiles))
        }
        clock.lap("saving")
        return LinkRunSummary(
            kind: .full, records: result.statistics.records, candidatePairs: result.statistics.candidatePairs,
            matches: links.filter { $0.band == .match }.count, possibles: links.filter { $0.band == .possible }.count,
            clustersWritten: clusters.count, oversizedBlocks: result.statistics.oversizedBlocks,
            refusedMerges: result.statistics.refusedMerges, stageSeconds: clock.stages)
    }

    static func incremental(
        _ store: any HubStore, batch: CurrentBatch, current: [CurrentBatch], state: LinkingState, options: LinkOptions
    ) async throws(HubLinkingError) -> LinkRunSummary {
        var clock = StageTimer()
        var model: MatchModel
        do { model = try MatchModel.decoded(from: Data(state.model)) } catch { throw .corruptState("the stored model cannot be used: \(error)") }
        if let t = options.matchThreshold { model.matchThreshold = t }
        if let t = options.possibleThreshold { model.possibleThreshold = t }
        let frequencies = options.termFrequencyAdjustment ? try TermCountsCoding.decode(state.termCounts) : nil
        let scorer = Scorer(model: model, termFrequencies: frequencies)
        let blocker = Blocker(configuration: options.blocking, filterBits: batch.header.bloom.bits)
        let cap = blocker.configuration.maximumBlockSize
        let agencyOfBatch = Dictionary(uniqueKeysWithValues: current.map { ($0.batchID, $0.agency) })

        // The new records and their blocking keys.
        let fresh = try await wrap { () async throws(StoreError) in try await store.records(inBatch: batch.batchID) }
        let newRecords = fresh.map(\.record)
        // Each record's keys once, as 64-bit index keys, with the pass each belongs to.
        var storageKeys: [Set<Int64>] = [], passOf: [Int64: String] = [:]
        for record in newRecords {
            var keys = Set<Int64>()
            for k in Set(blocker.keys(of: record)) {
                keys.insert(k.storageKey)
                passOf[k.storageKey] = k.passFamily
            }
            storageKeys.append(keys)
        }
        var newSide: [Int64: [Int]] = [:]
        for (i, keys) in storageKeys.enumerated() { for k in keys { newSide[k, default: []].append(i) } }
        var oversized: [String: Int] = [:]
        let lookupKeys = newSide.filter { $0.value.count <= cap }.map(\.key)
        let lookup = try await wrap { () async throws(StoreError) in try await store.blockMembers(keys: lookupKeys, maximumPerBatch: cap) }
        for (key, batchID) in lookup.oversized where batchID != batch.batchID { oversized[passOf[key] ?? "?", default: 0] += 1 }
        for (key, members) in newSide where members.count > cap { oversized[passOf[key] ?? "?", default: 0] += 1 }
        clock.lap("blocking")

        // Pairs (new record, stored record) with the keys they share, kept as the blocker keeps
        // them (enough shared keys, or one of a sufficient pass); only their records are read.
        let others = current.filter { $0.agency != batch.agency }
        let members = lookup.members.filter { $0.batchID != batch.batchID && agencyOfBatch[$0.batchID] != nil }
        let configuration = blocker.configuration
        let blockSizes = lookup.blockSizes()
        var shared: [StoredPair: SharedKeys] = [:], sufficient = Set<StoredPair>()
        for m in members {
            guard let lefts = newSide[m.key] else { continue }
            let alone = passOf[m.key].map { configuration.sufficientPasses.contains($0) } ?? false
            let narrow = !configuration.isBroad(left: lefts.count, right: blockSizes[m.block, default: 0])
            for i in lefts {
                let pair = StoredPair(new: i, stored: m.recordID)
                shared[pair, default: SharedKeys()].add(narrow: narrow)
                if alone { sufficient.insert(pair) }
            }
        }
        let keptPairs = shared.compactMap { configuration.keeps($0.value, sufficient: sufficient.contains($0.key)) ? $0.key : nil }
        clock.lap("pairing")
        let (otherProfiles, otherIDs, newProfileRows) = try await candidateProfiles(
            store, ids: Array(Set(keptPairs.map(\.stored))), others: others)
        var local: [Int64: (agency: Int, index: Int)] = [:]
        for (a, ids) in otherIDs.enumerated() { for (j, id) in ids.enumerated() { local[id] = (a, j) } }
        var pairLists = [[CandidatePair]](repeating: [], count: others.count)
        for pair in keptPairs {
            guard let (a, j) = local[pair.stored] else { continue }
            pairLists[a].append(CandidatePair(left: pair.new, right: j))
        }
        let pairs = pairLists.map { $0.sorted { ($0.left, $0.right) < ($1.left, $1.right) } }
        clock.lap("reading")
        let freshProfiles = ComparisonProfiles(newRecords)
        let scoring = Linker.scoreIncrement(
            newRecords, profiles: freshProfiles, against: otherProfiles, pairs: pairs, scorer: scorer, blocker: blocker,
            withinAgency: options.withinAgency, threads: options.threads ?? ProcessInfo.processInfo.activeProcessorCount)
        for (pass, n) in scoring.oversizedBlocks { oversized[pass, default: 0] += n }
        clock.lap("scoring")

        // Links, with the left end in the agency that sorts first (as a full link writes them).
        let newIDs = fresh.map(\.id)
        var links: [StoredLink] = []
        func stored(_ p: IncrementalScoring.Pair, left: Int64, right: Int64) -> StoredLink {
            StoredLink(left: left, right: right, score: p.score, band: p.band == .match ? .match : .possible)
        }
        for (a, pairs) in scoring.cross.enumerated() {
            let newFirst = batch.agency < others[a].agency
            for p in pairs {
                let x = newIDs[p.left], y = otherIDs[a][p.right]
                links.append(newFirst ? stored(p, left: x, right: y) : stored(p, left: y, right: x))
            }
        }
        for p in scoring.duplicates { links.append(stored(p, left: newIDs[p.left], right: newIDs[p.right])) }

        let clusters = try await recluster(
            store, agency: batch.agency, newIDs: newIDs, otherIDs: otherIDs, otherAgencies: others.map(\.agency),
            scoring: scoring, newLinks: links, agencyOfBatch: agencyOfBatch)
        // Runners-up of one-to-one that clustering put in the same person, as a full link keeps them.
        let personOf = Dictionary(clusters.assignments.map { ($0.recordID, $0.cluster) }, uniquingKeysWith: { a, _ in a })
        for (a, pairs) in scoring.displaced.enumerated() {
            let newFirst = batch.agency < others[a].agency
            for p in pairs {
                let x = newIDs[p.left], y = otherIDs[a][p.right]
                guard let cx = personOf[x], cx == personOf[y] else { continue }
                links.append(newFirst ? stored(p, left: x, right: y) : stored(p, left: y, right: x))
            }
        }
        clock.lap("clustering")
        let entries = storageKeys.enumerated().flatMap { i, keys in keys.map { (key: $0, record: newIDs[i]) } }
        let keys = [(batchID: batch.batchID, entries: entries)]
        let profiles = newIDs.indices.map { (record: newIDs[$0], profile: freshProfiles.stored($0)) } + newProfileRows
        try await wrap { () async throws(StoreError) in
            try await store.saveLinks(LinkRun(
                scope: .batch(batch.batchID, agency: batch.agency), expectedGeneration: state.generation, state: nil,
                blockKeys: keys, links: links, clusters: clusters.assignments, profiles: profiles))
        }
        clock.lap("saving")
        return LinkRunSummary(
            kind: .incremental(batchID: batch.batchID, agency: batch.agency), records: newRecords.count,
            candidatePairs: scoring.candidatePairs, matches: links.filter { $0.band == .match }.count,
            possibles: links.filter { $0.band == .possible }.count, clustersWritten: clusters.assignments.count,
            oversizedBlocks: oversized, refusedMerges: clusters.refused, stageSeconds: clock.stages)
    }

    /// The stored profiles of `records` (in their order), to keep with a link run.
    static func storedProfiles(_ records: [EncodedRecord], ids: [Int64]) -> [(record: Int64, profile: [UInt8])] {
        let profiles = ComparisonProfiles(records)
        return ids.indices.map { (record: ids[$0], profile: profiles.stored($0)) }
    }

    /// The comparison profiles of the stored records `ids`, per agency of `others`, in reference
    /// order within each agency (as a full link reads them), with their ids. Records whose profile
    /// is missing or of another layout are decoded from their lines, and their profiles returned
    /// as the third element so that the run stores them.
    static func candidateProfiles(
        _ store: any HubStore, ids: [Int64], others: [CurrentBatch]
    ) async throws(HubLinkingError) -> ([ComparisonProfiles], [[Int64]], [(record: Int64, profile: [UInt8])]) {
        let rows = try await wrap { () async throws(StoreError) in try await store.profiles(ids: ids) }
        var bytes: [Int64: [UInt8]] = [:]
        var missing: [Int64] = []
        for row in rows {
            if let p = row.profile, ComparisonProfiles.isStoredFormat(p) { bytes[row.id] = p } else { missing.append(row.id) }
        }
        var rebuilt: [(record: Int64, profile: [UInt8])] = []
        if !missing.isEmpty {
            let records = try await wrap { () async throws(StoreError) in try await store.records(ids: missing) }
            rebuilt = storedProfiles(records.map(\.record), ids: records.map(\.id))
            for (id, p) in rebuilt { bytes[id] = p }
        }
        let agencyIndex = Dictionary(uniqueKeysWithValues: others.enumerated().map { ($0.element.batchID, $0.offset) })
        var perAgency = [[(id: Int64, reference: String)]](repeating: [], count: others.count)
        for row in rows {
            guard let a = agencyIndex[row.batchID], bytes[row.id] != nil else { continue }
            perAgency[a].append((row.id, row.reference))
        }
        var profiles: [ComparisonProfiles] = [], idLists: [[Int64]] = []
        for list in perAgency {
            let sorted = list.sorted { $0.reference < $1.reference }
            guard let p = ComparisonProfiles(stored: sorted.map { bytes[$0.id]! }) else {
                throw .corruptState("a stored comparison profile does not decode")
            }
            profiles.append(p)
            idLists.append(sorted.map(\.id))
        }
        return (profiles, idLists, rebuilt)
    }

    /// Re-clusters the persons an incremental link touched: the new records, the stored records
    /// they matched, every member of those records' clusters, and every member of a cluster that
    /// held one of the agency's superseded records (which leave). Stored match links among them and
    /// the new ones are clustered afresh; each resulting person keeps the cluster number most of its
    /// members had, so numbers stay stable where the person did not change.
    static func recluster(
        _ store: any HubStore, agency: String, newIDs: [Int64], otherIDs: [[Int64]], otherAgencies: [String],
        scoring: IncrementalScoring, newLinks: [StoredLink], agencyOfBatch: [String: String]
    ) async throws(HubLinkingError) -> (assignments: [ClusterAssignment], refused: Int) {
        let matched = scoring.cross.enumerated().flatMap { a, pairs in pairs.filter { $0.band == .match }.map { otherIDs[a][$0.right] } }
        let stale = Set(try await wrap { () async throws(StoreError) in try await store.staleRecords(of: agency) })
        let existing = try await wrap { () async throws(StoreError) in try await store.clusterMembers(of: matched + Array(stale)) }
        var nodes: [Int64] = newIDs, nodeAgency: [String] = newIDs.map { _ in agency }, previous: [Int64: Int64] = [:]
        var seen = Set(newIDs)
        for m in existing where !stale.contains(m.recordID) && !seen.contains(m.recordID) {
            guard let a = agencyOfBatch[m.batchID] else { continue }
            seen.insert(m.recordID)
            nodes.append(m.recordID)
            nodeAgency.append(a)
            previous[m.recordID] = m.cluster
        }
        // A matched record without a cluster row (not expected) still joins.
        for (a, pairs) in scoring.cross.enumerated() {
            for p in pairs where p.band == .match && !seen.contains(otherIDs[a][p.right]) {
                let id = otherIDs[a][p.right]
                seen.insert(id)
                nodes.append(id)
                nodeAgency.append(otherAgencies[a])
            }
        }
        let storedIDs = Array(nodes.dropFirst(newIDs.count))
        let storedLinks = try await wrap { () async throws(StoreError) in try await store.links(among: storedIDs) }
        let index = Dictionary(uniqueKeysWithValues: nodes.enumerated().map { ($0.element, $0.offset) })
        let agencyNames = Array(Set(nodeAgency)).sorted()
        guard agencyNames.count <= 64 else { throw .tooManyAgencies(agencyNames.count) }
        let agencyNumber = Dictionary(uniqueKeysWithValues: agencyNames.enumerated().map { ($0.element, $0.offset) })
        var duplicates: [PersonClustering.Edge] = [], cross: [PersonClustering.Edge] = []
        for l in storedLinks.filter({ $0.band == .match }) + newLinks.filter({ $0.band == .match }) {
            guard let x = index[l.left], let y = index[l.right] else { continue }
            let edge = PersonClustering.Edge(x: x, y: y, score: l.score)
            if nodeAgency[x] == nodeAgency[y] { duplicates.append(edge) } else { cross.append(edge) }
        }
        var conflicts: [(Int, Int)] = []
        for (a, pairs) in scoring.crossConflicts.enumerated() {
            for p in pairs { if let y = index[otherIDs[a][p.right]] { conflicts.append((p.left, y)) } }
        }
        for p in scoring.duplicateConflicts { conflicts.append((p.left, p.right)) }
        let (representative, refused) = PersonClustering.cluster(
            agencyOf: nodeAgency.map { agencyNumber[$0] ?? 0 }, duplicates: duplicates, cross: cross, conflicts: conflicts)

        // Number the persons: each keeps the number most of its members had, if still free.
        var groups: [Int: [Int]] = [:]
        for (i, r) in representative.enumerated() { groups[r, default: []].append(i) }
        var next = try await wrap { () async throws(StoreError) in try await store.largestCluster() }
        var taken = Set<Int64>(), assignments: [ClusterAssignment] = []
        for members in groups.values.sorted(by: { ($0.count, nodes[$0[0]]) > ($1.count, nodes[$1[0]]) }) {
            var votes: [Int64: Int] = [:]
            for i in members { if let c = previous[nodes[i]] { votes[c, default: 0] += 1 } }
            let choice = votes.filter { !taken.contains($0.key) }.max { ($0.value, -$0.key) < ($1.value, -$1.key) }?.key
            let cluster: Int64
            if let choice { cluster = choice } else {
                next += 1
                cluster = next
            }
            taken.insert(cluster)
            for i in members { assignments.append(ClusterAssignment(recordID: nodes[i], cluster: cluster)) }
        }
        return (assignments, refused)
    }

    /// The term frequencies kept in a stored ``LinkingState`` (its `termCounts`).
    public static func termFrequencies(fromStored bytes: [UInt8]) throws(HubLinkingError) -> TermFrequencies {
        try TermCountsCoding.decode(bytes)
    }

    private static func encode(_ model: MatchModel) throws(HubLinkingError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do { return Array(try encoder.encode(model)) } catch { throw .corruptState("the model does not encode") }
    }

    private static func wrap<T>(_ body: () async throws(StoreError) -> T) async throws(HubLinkingError) -> T {
        do { return try await body() } catch { throw .store(error) }
    }
}

/// A candidate pair before the stored side is read: a new record's index and a stored record's id.
struct StoredPair: Hashable {
    let new: Int
    let stored: Int64
}
