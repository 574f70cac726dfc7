public import LinkCrypto
import Tokenisation

/// The hub's store: agencies and their keys, verified batches and their tokenised records. One
/// protocol, two implementations: ``SQLiteHubStore`` (GRDB, the embedded default) and
/// ``PostgresHubStore`` (postgres-nio, for a county-wide deployment). Both hold no identifier:
/// records are kept in the canonical, signed batch-line form (tokens, filters, sealed payloads).
///
/// Every mutation is one transaction, so a crash at any point leaves the store as it was before
/// the call or as it is after it, never between.
public protocol HubStore: Sendable {
    /// Which backend this is, for messages and metrics.
    var backend: StoreBackend { get }

    /// Registers an agency with its signing public key. Refused if the name is taken.
    func registerAgency(name: String, signingKey: Ed25519.PublicKey) async throws(StoreError)

    /// Every registered agency, by name.
    func agencies() async throws(StoreError) -> [RegisteredAgency]

    /// Verifies the batch at `path` against its agency's registered key and stores it in one
    /// transaction: wholly or not at all. Refuses an unregistered agency, a replayed batch (same
    /// batch id or same content), and a linkage key other than the index's. The batch becomes the
    /// agency's current one; its previous batch is kept, superseded, until purged.
    func ingest(batchAt path: String) async throws(StoreError) -> IngestReceipt

    /// Every stored batch, newest first.
    func batches() async throws(StoreError) -> [StoredBatch]

    /// Checks the store's integrity: the database's own check and mashlink's invariants (record
    /// counts, one current batch per agency, records decode). Problems are listed, not thrown.
    func check() async throws(StoreError) -> IntegrityReport

    // MARK: Linking
    // What the store keeps for linking: a blocking index over the current records, the links and
    // clusters found, and the state a later incremental link reuses. The store treats the model and
    // term counts as opaque bytes; the linker (module `HubLinking`) encodes them.

    /// The state of the last full link, or nil before the first.
    func linkingState() async throws(StoreError) -> LinkingState?

    /// The last link run's generation and the linkage key id of what it linked, without the model
    /// and term counts (what a reader checks before reusing a cached model); nil before the first.
    func linkingGeneration() async throws(StoreError) -> (generation: Int, linkageKeyID: String)?

    /// The current batch of every agency, by agency name, with whether it has been linked.
    func currentBatches() async throws(StoreError) -> [CurrentBatch]

    /// The records of one batch, with their store ids, in reference order.
    func records(inBatch batchID: String) async throws(StoreError) -> [StoredRecord]

    /// The records with these ids (any order; unknown ids are left out).
    func records(ids: [Int64]) async throws(StoreError) -> [StoredRecord]

    /// The records with these ids as an incremental link compares them: reference and stored
    /// comparison profile, without the record line (any order; unknown ids are left out).
    func profiles(ids: [Int64]) async throws(StoreError) -> [StoredProfile]

    /// The stored comparison profiles of these records alone, by record id, reading only the
    /// profile table (records without one are left out). A referral query, which takes each
    /// candidate's batch from the blocking index, needs nothing else of most candidates.
    func profileBytes(ids: [Int64]) async throws(StoreError) -> [Int64: [UInt8]]

    /// The indexed records of *current* batches under each of `keys`, leaving out every block that
    /// holds more than `maximumPerBatch` records of one batch (those are listed as oversized).
    func blockMembers(keys: [Int64], maximumPerBatch: Int) async throws(StoreError) -> BlockLookup

    /// Every member of every cluster that holds one of `records`.
    func clusterMembers(of records: [Int64]) async throws(StoreError) -> [ClusterMember]

    /// Ids of the records of `agency`'s superseded batches that still have links or a cluster: what
    /// an incremental link of its new batch removes.
    func staleRecords(of agency: String) async throws(StoreError) -> [Int64]

    /// Stored links with both ends among `records`.
    func links(among records: [Int64]) async throws(StoreError) -> [StoredLink]

    /// The highest cluster number in use (0 when none).
    func largestCluster() async throws(StoreError) -> Int64

    /// Writes a link run in one transaction. Refused, with nothing written, if another link run
    /// wrote since this one read the state (`expectedGeneration`), or a batch it linked is no
    /// longer current.
    func saveLinks(_ run: LinkRun) async throws(StoreError)

    /// Every stored link and cluster, by agency and record reference (what `links.csv` and
    /// `clusters.csv` hold).
    func linkExport() async throws(StoreError) -> LinkExport

    // MARK: Disclosure log
    // The store keeps the log's entries (canonical bytes, opaque to it) and signed checkpoints; the
    // `Disclosure` module builds the tree, signs and proves.

    /// Appends `entries` (with their leaf hashes) at index `expectedSize` onwards, and the checkpoint
    /// signed over the log as it will be, in one durable transaction. Refused, with nothing
    /// written, if the log no longer has `expectedSize` entries (another writer appended).
    /// With `referral`, the referral is written in the same transaction (refused, with nothing
    /// written, if it is no longer at the version the writer read).
    func appendLog(_ entries: [LogRow], expectedSize: UInt64, checkpoint: String, referral: ReferralWrite?) async throws(StoreError)

    /// Entries from index `start`, in order, at most `limit`.
    func logEntries(from start: UInt64, limit: Int) async throws(StoreError) -> [LogRow]

    /// Every leaf hash, in index order: what the log's tree is rebuilt from.
    func logLeafHashes() async throws(StoreError) -> [[UInt8]]

    /// The checkpoint of the largest size, if any.
    func latestCheckpoint() async throws(StoreError) -> (size: UInt64, note: String)?

    /// The checkpoint signed at exactly `size`, if one was.
    func checkpoint(size: UInt64) async throws(StoreError) -> String?

    // MARK: People, sessions, agency requests and referrals (the service's state)

    /// Adds a user. Refused if the name is taken.
    func addUser(_ user: UserRow) async throws(StoreError)

    /// The user called `name`, if any.
    func user(named name: String) async throws(StoreError) -> UserRow?

    /// Every user, by name.
    func users() async throws(StoreError) -> [UserRow]

    /// Replaces a user's login state, password hash and disabled time (its name, role and
    /// creation time stay).
    func updateUser(_ user: UserRow) async throws(StoreError)

    /// Stores a new session.
    func addSession(_ session: SessionRow) async throws(StoreError)

    /// The session whose token hashes to `tokenHash`, revoked or expired ones included.
    func session(tokenHash: String) async throws(StoreError) -> SessionRow?

    /// Revokes one session (`tokenHash`), or every session of `user`.
    func revokeSessions(tokenHash: String?, user: String?, at: String) async throws(StoreError)

    /// Records an agency request's nonce; false if that agency already used it (a replay). Nonces
    /// seen before `forgetBefore` are forgotten: requests that old are refused by their timestamp.
    func useNonce(agency: String, nonce: String, seenAt: String, forgetBefore: String) async throws(StoreError) -> Bool

    /// The referral `id`, if any.
    func referral(id: String) async throws(StoreError) -> ReferralRow?

    /// Referrals, oldest first: all of them, or only those assigned to `assignee`.
    func referrals(assignedTo assignee: String?) async throws(StoreError) -> [ReferralRow]

    // MARK: Operations

    /// Deletes the records of superseded batches whose links are gone (their agency's newer batch
    /// has been linked), with their index entries; each batch's row stays, so it can never be
    /// replayed. Batches still linked are left and reported.
    func purgeSuperseded() async throws(StoreError) -> PurgeReport

    /// The schema version the store is at.
    func schemaVersion() async throws(StoreError) -> Int

    /// Closes the store; further calls fail.
    func close() async
}

extension HubStore {
    /// Appends to the disclosure log with no referral written alongside.
    public func appendLog(_ entries: [LogRow], expectedSize: UInt64, checkpoint: String) async throws(StoreError) {
        try await appendLog(entries, expectedSize: expectedSize, checkpoint: checkpoint, referral: nil)
    }
}

/// The two storage backends.
public enum StoreBackend: String, Sendable {
    case sqlite, postgres
}

/// An agency as registered at the hub.
public struct RegisteredAgency: Sendable, Hashable {
    /// The agency's name, as in its batch headers.
    public let name: String
    /// Its registered signing key.
    public let signingKey: Ed25519.PublicKey
}

/// A stored batch, as the operator sees it: no record, no identifier.
public struct StoredBatch: Sendable, Hashable {
    /// The batch id from its header.
    public let batchID: String
    /// The agency that made it.
    public let agency: String
    /// SHA-256 of its signed content (hex).
    public let contentDigest: String
    /// The linkage key id it was made under.
    public let linkageKeyID: String
    /// Records it holds.
    public let recordCount: Int
    /// Current (linked) or superseded (kept for audit until purged).
    public let status: BatchStatus
    /// When the hub stored it (ISO 8601, UTC).
    public let ingestedAt: String
}

/// Whether a batch is the one its agency's records are linked from.
public enum BatchStatus: String, Sendable {
    case current, superseded
    /// Superseded and purged: the row stays (so the batch can never be replayed), its records are gone.
    case purged
}

/// What an ingest did.
public struct IngestReceipt: Sendable, Hashable {
    /// The batch stored.
    public let batchID: String
    /// Its agency.
    public let agency: String
    /// Records stored.
    public let records: Int
    /// The batch it superseded, if the agency had one.
    public let superseded: String?
}

/// The outcome of ``HubStore/check()``.
public struct IntegrityReport: Sendable, Hashable {
    /// Problems found; empty when the store is consistent.
    public let problems: [String]
    /// Batches and records examined.
    public let batches: Int, records: Int

    /// True when nothing is wrong.
    public var isConsistent: Bool { problems.isEmpty }
}

/// Why the store refused or failed. Each case says what to do.
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The database URL is not one mashlink understands.
    case invalidURL(String)
    /// The PostgreSQL server could not be reached, or refused the connection.
    case unreachable(String)
    /// The PostgreSQL URL's TLS settings are wrong.
    case invalidTLS(String)
    /// The database was written by a newer mashlink.
    case newerSchema(found: Int, known: Int)
    /// The batch's agency is not registered.
    case unknownAgency(String)
    /// The agency name is already registered.
    case agencyExists(String)
    /// This batch (by id or by content) is already stored.
    case replayedBatch(batchID: String, reason: String)
    /// The batch was made under another linkage key than the index's.
    case wrongLinkageKey(batch: String, index: String)
    /// The batch failed verification or could not be read.
    case invalidBatch(String)
    /// A link run could not be saved because the store changed while it ran.
    case linkRunStale(String)
    /// Entries could not be appended to the disclosure log because another writer appended first.
    case logAppendStale(String)
    /// A backup or restore could not be made or failed its check.
    case backup(String)
    /// The user name is already taken.
    case userExists(String)
    /// The user does not exist.
    case unknownUser(String)
    /// A referral changed since it was read (or already exists).
    case referralStale(String)
    /// The database failed.
    case database(String)

    /// `url` with any password replaced, so a message never carries a credential.
    static func redacted(_ url: String) -> String {
        guard let scheme = url.range(of: "://"), let at = url.range(of: "@", range: scheme.upperBound..<url.endIndex) else { return url }
        let userInfo = url[scheme.upperBound..<at.lowerBound]
        guard let colon = userInfo.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":•••" + String(url[at.lowerBound...])
    }

    public var description: String {
        switch self {
        case .invalidURL(let url):
            "database URL '\(Self.redacted(url))' is not understood: use sqlite://PATH (default sqlite://./mashlink.db) or postgres://USER:PASSWORD@HOST:PORT/DATABASE"
        case .unreachable(let why):
            "cannot connect to PostgreSQL at \(why); check the host, port, user, password and TLS settings (sslmode, sslrootcert) in the database URL"
        case .invalidTLS(let why):
            "the PostgreSQL TLS settings were refused: \(why)"
        case .newerSchema(let found, let known):
            "the store is at schema version \(found) but this mashlink knows only up to \(known): upgrade mashlink, or restore a backup made by this version"
        case .unknownAgency(let name):
            "agency '\(name)' is not registered: register it with 'mashlink-hub agency add \(name) --signing-key PUB' before ingesting its batches"
        case .agencyExists(let name):
            "agency '\(name)' is already registered; to change its key, rotate it instead of registering again"
        case .replayedBatch(let id, let reason):
            "batch \(id) was refused: \(reason). A batch is ingested once; ask the agency for a new extract if its data changed"
        case .wrongLinkageKey(let batch, let index):
            "the batch was made under linkage key \(batch) but this hub's index uses \(index): the agency must re-tokenise under the current key (or, during a rotation, every agency uploads under the new key before the index is swapped)"
        case .invalidBatch(let why):
            "the batch was refused and nothing was stored: \(why)"
        case .linkRunStale(let why):
            "the link run was not saved: \(why). Nothing was written; run 'mashlink-hub link' again"
        case .logAppendStale(let why):
            "nothing was appended to the disclosure log: \(why). Reopen the log and try again; nothing was released"
        case .backup(let why):
            "backup or restore failed: \(why)"
        case .userExists(let name):
            "user '\(name)' already exists; choose another name, or disable the old account first"
        case .unknownUser(let name):
            "there is no user '\(name)': add one with 'mashlink-hub user add NAME --role ROLE'"
        case .referralStale(let why):
            "the referral changed while this was decided (\(why)); nothing was written: reload it and decide again"
        case .database(let why):
            "the database failed (\(why)); nothing from this call was kept. Check the database is reachable and run 'mashlink-hub check'"
        }
    }
}
