public import Foundation
public import Disclosure
import HubLinking
public import HubStore
public import LinkCrypto
import Matching
public import Tokenisation

/// What a practitioner reads from a release: the opened tiers of one agency record, as text.
public struct ReleasedInformation: Sendable, Hashable {
    public let release: String
    public let agency: String, reference: String
    public let tiers: [PayloadTier: String]
}

/// The outcome of a release request: what was released and, for records not released, why.
public struct ReleaseOutcome: Sendable {
    public let referral: Referral
    public let released: [ReleasedInformation]
    /// Records not released, by reference, with the policy's reasons.
    public let withheld: [(reference: String, reasons: [String])]
}

/// The referral workflow over the store and the disclosure log: raising a referral from an
/// agency's signed query, the people's steps (``ReferralMachine``), and releases through
/// ``Releases``. Every step checks the person's role and, for a practitioner, the assignment;
/// every step's log entries and the referral are written in one transaction.
public struct ReferralWorkflow: Sendable {
    let store: any HubStore
    let log: DisclosureLog
    let releaseKey: X25519.PrivateKey?
    let matcher: QueryMatcher
    public let timescales: Timescales
    let clock: @Sendable () -> Date

    /// Makes the workflow. Without `releaseKey` everything works but releases, which are refused.
    /// Referral matching keeps up to `cachedRecords` candidates' comparison profiles in memory (about 0.7 KB each).
    public init(
        store: any HubStore, log: DisclosureLog, releaseKey: X25519.PrivateKey?, timescales: Timescales = .standard,
        cachedRecords: Int = 100_000, clock: @escaping @Sendable () -> Date = Date.init
    ) {
        self.store = store
        self.log = log
        self.releaseKey = releaseKey
        matcher = QueryMatcher(store: store, cachedRecords: cachedRecords)
        self.timescales = timescales
        self.clock = clock
    }

    /// The time now, as the log writes it.
    public var now: String { Timestamps.string(clock()) }

    // MARK: Raising a referral

    /// Raises a referral from the signed query at `path`, sent by `agency` (already authenticated):
    /// verifies the query under the agency's key, matches it against the store, and logs it
    /// received and matched with its priority and due time.
    public func receive(queryAt path: String, agency: String, priority: Priority) async throws(WorkflowError) -> Referral {
        guard let registered = try await wrap({ () async throws(StoreError) in try await store.agencies() }).first(where: { $0.name == agency }) else {
            throw .agencyRequestRefused("agency '\(agency)' is not registered")
        }
        let query: EncodedRecord, header: BatchHeader
        do {
            let reader = try BatchReader(path: path, expectedSigner: registered.signingKey, format: BatchHeader.queryFormatName)
            header = reader.header
            guard header.agency == agency else { throw WorkflowError.badRequest("the query was made by agency '\(header.agency)', not '\(agency)'") }
            guard let record = try reader.next() else { throw WorkflowError.badRequest("the query holds no subject") }
            guard try reader.next() == nil else { throw WorkflowError.badRequest("a query holds one subject") }
            query = record
        } catch let error as WorkflowError {
            throw error
        } catch {
            throw .badRequest("the query was refused: \(error)")
        }
        let matches: [QueryMatch]
        do {
            if let indexKey = try await matcher.linkageKeyID(), indexKey != header.linkageKeyID {
                throw WorkflowError.badRequest("the query was made under linkage key \(header.linkageKeyID) but the hub's index uses \(indexKey): re-tokenise it under the current key")
            }
            matches = try await matcher.match(query, filterBits: header.bloom.bits)
        } catch let error as WorkflowError { throw error } catch { throw .linking(error as? HubLinkingError ?? .corruptState("\(error)")) }
        let received = clock(), at = Timestamps.string(received)
        let due = Timestamps.string(timescales.due(priority, receivedAt: received))
        var referral = Referral(
            id: header.batchID, agency: agency, state: .matched, priority: priority, receivedAt: at, dueAt: due, assignee: nil,
            ageBand: query.ageBand,
            matches: matches.map { m in
                ReferralMatch(
                    recordID: m.recordID, batchID: m.batchID, agency: m.agency, reference: m.reference, ageBand: m.ageBand, score: m.score,
                    band: m.band == .match ? "match" : "possible",
                    evidence: m.evidence.map { EvidenceLine(field: $0.field.rawValue, level: $0.level, weight: $0.weight) },
                    cluster: m.cluster, tiers: m.tiers.sorted(), standing: m.band == .match ? .match : .possible, decidedBy: nil)
            },
            proposal: nil, confirmation: nil, rejection: nil, releases: [], outcome: nil,
            history: [ReferralStep(state: .received, at: at, user: nil), ReferralStep(state: .matched, at: at, user: nil)])
        var receivedEntry = LogEntry(kind: .referralReceived, referral: referral.id, at: at)
        receivedEntry.agency = agency
        receivedEntry.ageBand = query.ageBand
        receivedEntry.priority = priority.rawValue
        receivedEntry.due = due
        var matchedEntry = LogEntry(kind: .referralMatched, referral: referral.id, at: at)
        let strong = matches.filter { $0.band == .match }.count
        matchedEntry.reason = "\(strong) record(s) in the match band, \(matches.count - strong) possible, across \(Set(matches.map(\.agency)).count) agencies"
        try await append([receivedEntry, matchedEntry], writing: &referral, new: true)
        return referral
    }

    // MARK: Reading

    /// The referrals `principal` may see: a manager all, a practitioner those assigned to them.
    public func referrals(for principal: Sessions.Principal) async throws(WorkflowError) -> [Referral] {
        try require(principal, .viewReferrals)
        let rows = try await wrap { () async throws(StoreError) in
            try await store.referrals(assignedTo: principal.role == .practitioner ? principal.user : nil)
        }
        return try rows.map(decode)
    }

    /// One referral, if `principal` may see it.
    public func referral(_ id: String, for principal: Sessions.Principal) async throws(WorkflowError) -> Referral {
        try require(principal, .viewReferrals)
        let r = try await load(id)
        if principal.role == .practitioner, r.assignee != principal.user { throw .notAssigned }
        return r
    }

    // MARK: Steps

    /// Takes `action` on referral `id` as `principal`.
    @discardableResult
    public func perform(_ action: ReferralAction, on id: String, by principal: Sessions.Principal) async throws(WorkflowError) -> Referral {
        try require(principal, action.capability)
        var referral = try await load(id)
        if principal.role == .practitioner, referral.assignee != principal.user { throw .notAssigned }
        if case .assign(let practitioner) = action {
            guard let user = try await wrap({ () async throws(StoreError) in try await store.user(named: practitioner) }), user.role == Role.practitioner.rawValue,
                  user.disabledAt == nil
            else { throw .badRequest("a referral is assigned to an enabled practitioner") }
        }
        let (next, entries) = try ReferralMachine.apply(action, to: referral, by: principal.user, at: now)
        let version = referral.version
        referral = next
        referral.version = version
        try await append(entries, writing: &referral, new: false)
        return referral
    }

    /// Releases, under the confirmed threshold, every matched record that may be released and has
    /// not been: each is decided by ``ReleasePolicy``, logged durably with the referral, and only
    /// then opened. Records the policy withholds are listed with its reasons.
    public func release(_ id: String, by principal: Sessions.Principal) async throws(WorkflowError) -> ReleaseOutcome {
        try require(principal, .release)
        guard let releaseKey else { throw .releaseRefused(["the hub was started without its release key; an operator must restart it with the key"]) }
        var referral = try await load(id)
        if principal.role == .practitioner, referral.assignee != principal.user { throw .notAssigned }
        let allowed: [ReferralState] = [.confirmed, .released]
        guard allowed.contains(referral.state) else { throw .invalidTransition(from: referral.state, action: "released", allowed: allowed) }
        guard let proposal = referral.proposal, let confirmation = referral.confirmation else { throw .releaseRefused(["the threshold is not confirmed"]) }
        let current = try await wrap { () async throws(StoreError) in try await store.currentBatches() }
        let headers = Dictionary(uniqueKeysWithValues: current.map { ($0.batchID, $0.header) })
        let done = Set(referral.releases.map(\.recordID))
        let pending = referral.matches.filter { !done.contains($0.recordID) }
        let records = try await wrap { () async throws(StoreError) in try await store.records(ids: pending.map(\.recordID)) }
        let recordByID = Dictionary(uniqueKeysWithValues: records.map { ($0.id, $0) })
        var released: [ReleasedInformation] = [], withheld: [(String, [String])] = []
        for match in pending {
            guard let header = headers[match.batchID], let stored = recordByID[match.recordID] else {
                withheld.append((match.reference, ["the record's batch has been superseded by a newer extract from \(match.agency); the referral must be matched again"]))
                continue
            }
            let request = ReleaseRequest(
                confirmedThreshold: confirmation.threshold, proposedBy: proposal.user, confirmedBy: confirmation.user, link: match.standing,
                ageBand: stored.record.ageBand, mismatchReason: confirmation.reason, availableTiers: Set(stored.record.payload.keys))
            let tiers: [PayloadTier]
            switch ReleasePolicy.decide(request) {
            case .refuse(let reasons):
                withheld.append((match.reference, reasons.map(\.description)))
                continue
            case .release(let t, _, _): tiers = t
            }
            let subject = ReleaseSubject(referral: referral.id, header: header, record: stored.record, request: request, user: principal.user)
            // The referral's two writes, made in the transactions of the logged and completed entries.
            let base = referral, at = now
            let writes = ReleaseWrites(base: base, match: match, tiers: tiers, at: at, user: principal.user)
            let payload: ReleasedPayload
            do {
                payload = try await Releases.release(subject, releaseKey: releaseKey, log: log, referral: { writes.write(for: $0, loggedIndex: $1) })
            } catch { throw .disclosure(error) }
            referral = writes.referral(release: payload.release, completedAt: payload.loggedIndex)
            released.append(ReleasedInformation(
                release: payload.release, agency: match.agency, reference: match.reference,
                tiers: payload.tiers.mapValues { String(decoding: $0, as: UTF8.self) }))
        }
        if released.isEmpty, !withheld.isEmpty { throw .releaseRefused(withheld.flatMap { $0.1 }) }
        return ReleaseOutcome(referral: referral, released: released, withheld: withheld)
    }

    /// The information released for referral `id`, opened again for `principal` to read; each
    /// view is logged (`release.viewed`) before anything is opened.
    public func releasedInformation(_ id: String, for principal: Sessions.Principal) async throws(WorkflowError) -> [ReleasedInformation] {
        try require(principal, .readReleased)
        guard let releaseKey else { throw .releaseRefused(["the hub was started without its release key"]) }
        let referral = try await load(id)
        if principal.role == .practitioner, referral.assignee != principal.user { throw .notAssigned }
        let completed = referral.releases.filter(\.completed)
        guard !completed.isEmpty else { return [] }
        let batches = try await wrap { () async throws(StoreError) in try await store.currentBatches() }
        let headers = Dictionary(uniqueKeysWithValues: batches.map { ($0.batchID, $0.header) })
        let records = try await wrap { () async throws(StoreError) in try await store.records(ids: completed.map(\.recordID)) }
        let recordByID = Dictionary(uniqueKeysWithValues: records.map { ($0.id, $0) })
        var out: [ReleasedInformation] = []
        for r in completed {
            guard let header = headers[r.batchID], let stored = recordByID[r.recordID] else { continue }
            let logged: LogEntry
            do {
                guard let e = try await log.entries(from: r.loggedIndex, limit: 1).first?.entry, e.release == r.release else {
                    throw WorkflowError.notFound("the logged release")
                }
                logged = e
            } catch let error as WorkflowError { throw error } catch { throw .disclosure(error as? DisclosureError ?? .logTampered("unreadable entry")) }
            let request = ReleaseRequest(
                confirmedThreshold: referral.confirmation?.threshold, proposedBy: referral.proposal?.user, confirmedBy: referral.confirmation?.user,
                link: .match, ageBand: stored.record.ageBand, availableTiers: Set(stored.record.payload.keys))
            let subject = ReleaseSubject(referral: referral.id, header: header, record: stored.record, request: request, user: principal.user)
            let tiers: [PayloadTier: [UInt8]]
            do { tiers = try await Releases.view(logged, subject: subject, releaseKey: releaseKey, log: log) } catch { throw .disclosure(error) }
            out.append(ReleasedInformation(release: r.release, agency: r.agency, reference: r.reference, tiers: tiers.mapValues { String(decoding: $0, as: UTF8.self) }))
        }
        return out
    }

    // MARK: Support

    func require(_ principal: Sessions.Principal, _ capability: Capability) throws(WorkflowError) {
        guard Access.allows(principal.role, capability) else { throw .forbidden(principal.role, capability) }
    }

    func load(_ id: String) async throws(WorkflowError) -> Referral {
        guard let row = try await wrap({ () async throws(StoreError) in try await store.referral(id: id) }) else { throw .notFound("referral \(id)") }
        return try decode(row)
    }

    func decode(_ row: ReferralRow) throws(WorkflowError) -> Referral {
        do {
            var r = try JSONDecoder().decode(Referral.self, from: Data(row.document))
            r.version = row.version
            return r
        } catch { throw .store(.database("a stored referral does not decode; run mashlink-hub check")) }
    }

    /// Appends `entries` and writes `referral` (at its next version) in one transaction.
    private func append(_ entries: [LogEntry], writing referral: inout Referral, new: Bool) async throws(WorkflowError) {
        let write = ReferralWrites.write(referral, expected: new ? nil : referral.version, at: now)
        do { try await log.append(entries, referral: write) } catch { throw .disclosure(error) }
        referral.version = write.row.version
    }

    private func wrap<T>(_ body: () async throws(StoreError) -> T) async throws(WorkflowError) -> T {
        do { return try await body() } catch { throw .store(error) }
    }
}

/// The referral writes a release makes: with its logged entry (the release recorded, not yet
/// completed) and with its completion.
struct ReleaseWrites: Sendable {
    let base: Referral, match: ReferralMatch, tiers: [PayloadTier], at: String, user: String

    /// The referral once release `id` is logged, and (with `loggedIndex`) completed.
    func referral(release id: String, completedAt loggedIndex: UInt64?) -> Referral {
        var r = base
        r.releases.append(ReleaseRecord(
            release: id, agency: match.agency, reference: match.reference, batchID: match.batchID, recordID: match.recordID,
            tiers: tiers, loggedIndex: loggedIndex ?? 0, at: at, completed: loggedIndex != nil))
        if r.state == .confirmed {
            r.state = .released
            r.history.append(ReferralStep(state: .released, at: at, user: user))
        }
        r.version = base.version + (loggedIndex == nil ? 1 : 2)
        return r
    }

    func write(for entry: LogEntry, loggedIndex: UInt64?) -> ReferralWrite? {
        guard let id = entry.release else { return nil }
        switch entry.kind {
        case .releaseLogged: return ReferralWrites.write(referral(release: id, completedAt: nil), expected: base.version, at: at)
        case .releaseCompleted:
            guard let loggedIndex else { return nil }
            return ReferralWrites.write(referral(release: id, completedAt: loggedIndex), expected: base.version + 1, at: at)
        default: return nil
        }
    }
}

enum ReferralWrites {
    static func write(_ referral: Referral, expected: Int64?, at: String) -> ReferralWrite {
        let document = (try? JSONCoder.encoder.encode(referral)).map { Array($0) } ?? []
        let row = ReferralRow(
            id: referral.id, version: (expected ?? 0) + 1, agency: referral.agency, state: referral.state.rawValue, assignee: referral.assignee,
            dueAt: referral.dueAt, receivedAt: referral.receivedAt, updatedAt: at, document: document)
        return ReferralWrite(row: row, expectedVersion: expected)
    }
}

enum JSONCoder {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()
}
