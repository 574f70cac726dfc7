public import HubStore
public import LinkCrypto
public import TransparencyLog

/// The hub's disclosure log: an append-only RFC 6962 log of ``LogEntry``s kept in the store, with a
/// checkpoint signed by the hub log key at every append.
///
/// The tree is rebuilt from the stored leaf hashes when the log opens, and checked against the last
/// signed checkpoint: a database whose log was rewritten refuses to open. An append returns only
/// once the entries and their checkpoint are committed, so a caller that releases after `append`
/// never releases anything unlogged.
public actor DisclosureLog {
    /// The log's origin (its name in checkpoints, and the signing key's name).
    public nonisolated let origin: String
    /// The verifier key a DPO or agency is given (`<origin>+<key id>+<key>`).
    public nonisolated let verifierKey: String
    private let store: any HubStore
    private let signer: NoteSigner
    private let verifier: NoteVerifier
    private var tree: MerkleTree
    private var latest: String
    private var needsReload = false
    /// One append at a time: an actor is re-entrant at each `await`, and an append that grew the
    /// tree must commit before the next one reads the tree's size.
    private var appending = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// The origin a hub uses unless configured otherwise: names the log by its key, so two hubs'
    /// logs never share a name.
    public static func defaultOrigin(for key: Ed25519.PublicKey) -> String { "mashlink/disclosure-log/\(key.keyID)" }

    /// Opens the log in `store`, signing with `logKey`; checks the stored entries against the last
    /// checkpoint, and signs a first (empty) checkpoint for a new log.
    public static func open(store: any HubStore, logKey: Ed25519.PrivateKey, origin: String? = nil) async throws(DisclosureError) -> DisclosureLog {
        let origin = origin ?? defaultOrigin(for: logKey.publicKey)
        let signer: NoteSigner
        do { signer = try NoteSigner(name: origin, privateKey: logKey) } catch { throw .log(error) }
        let hashes: [[UInt8]]
        let last: (size: UInt64, note: String)?
        do {
            hashes = try await store.logLeafHashes()
            last = try await store.latestCheckpoint()
        } catch { throw .store(error) }
        let tree: MerkleTree
        do { tree = try MerkleTree(leafHashes: hashes) } catch { throw .logTampered("a stored leaf hash is not 32 bytes") }
        let log = DisclosureLog(origin: origin, store: store, signer: signer, tree: tree, latest: last?.note ?? "")
        if let last {
            try await log.checkStored(last)
        } else {
            guard tree.count == 0 else { throw .logTampered("the log holds entries but no checkpoint") }
            try await log.append([])
        }
        return log
    }

    private init(origin: String, store: any HubStore, signer: NoteSigner, tree: MerkleTree, latest: String) {
        self.origin = origin
        self.store = store
        self.signer = signer
        verifier = signer.verifier
        verifierKey = signer.verifier.verifierKey
        self.tree = tree
        self.latest = latest
    }

    private func checkStored(_ last: (size: UInt64, note: String)) throws(DisclosureError) {
        let checkpoint: Checkpoint
        do { checkpoint = try Checkpoint.open(last.note, origin: origin, verifiers: [verifier]) } catch {
            throw .logTampered("the last checkpoint does not verify under this hub's log key: \(error)")
        }
        guard checkpoint.size == last.size, checkpoint.size <= tree.count else {
            throw .logTampered("the last checkpoint covers \(checkpoint.size) entries but the log holds \(tree.count)")
        }
        let root: [UInt8]
        do { root = try tree.root(size: checkpoint.size) } catch { throw .log(error) }
        guard root == checkpoint.rootHash else { throw .logTampered("the entries do not hash to the checkpoint's root") }
    }

    /// The number of entries.
    public var size: UInt64 { tree.count }

    /// The latest signed checkpoint (a C2SP signed note).
    public var checkpoint: String { latest }

    /// Appends `entries` and signs a checkpoint over the new tree, durably, in one transaction,
    /// writing `referral` in the same transaction if given. Returns each entry's index. Throws (and
    /// the log and the referral are unchanged) if the store refuses.
    @discardableResult
    public func append(_ entries: [LogEntry], referral: ReferralWrite? = nil) async throws(DisclosureError) -> [UInt64] {
        if appending { await withCheckedContinuation { waiting.append($0) } } else { appending = true }
        defer { if waiting.isEmpty { appending = false } else { waiting.removeFirst().resume() } }
        guard !needsReload else { throw .logTampered("an earlier append failed and the log could not be reloaded; reopen it") }
        // The tree grows in place (copying it would cost O(n) an append); if the store refuses,
        // it is rebuilt from what the store holds.
        let before = tree.count
        var rows: [LogRow] = []
        for entry in entries {
            let bytes = entry.canonicalBytes
            let index = tree.append(bytes)
            rows.append(LogRow(index: index, entry: bytes, leafHash: MerkleHashing.leafHash(bytes)))
        }
        do {
            let note = try Checkpoint(origin: origin, size: tree.count, rootHash: tree.root).signed(by: signer)
            try await store.appendLog(rows, expectedSize: before, checkpoint: note, referral: referral)
            latest = note
        } catch {
            await reload()
            if let error = error as? StoreError { throw .store(error) }
            throw .log(error as? LogError ?? .malformedCheckpoint("the checkpoint could not be signed"))
        }
        return rows.map(\.index)
    }

    /// Rebuilds the tree and the latest checkpoint from the store after a failed append.
    private func reload() async {
        do {
            tree = try MerkleTree(leafHashes: try await store.logLeafHashes())
            latest = try await store.latestCheckpoint()?.note ?? latest
            needsReload = false
        } catch { needsReload = true }
    }

    /// Entries from `start`, at most `limit`, each decoded.
    public func entries(from start: UInt64 = 0, limit: Int = .max) async throws(DisclosureError) -> [(index: UInt64, entry: LogEntry)] {
        let rows: [LogRow]
        do { rows = try await store.logEntries(from: start, limit: limit) } catch { throw .store(error) }
        return try rows.map { row throws(DisclosureError) in (row.index, try LogEntry(canonical: row.entry)) }
    }

    /// A receipt for entry `index`: a c2sp.org/tlog-proof bundle against the latest checkpoint, with
    /// the entry itself (base64) as its `extra` data so the bundle is self-contained.
    public func receipt(for index: UInt64) async throws(DisclosureError) -> ProofBundle {
        let rows: [LogRow]
        do { rows = try await store.logEntries(from: index, limit: 1) } catch { throw .store(error) }
        guard let row = rows.first, row.index == index else { throw .log(.indexOutOfRange(index: index, treeSize: tree.count)) }
        do {
            return try ProofBundle(
                index: index, proof: try tree.inclusionProof(index: index, treeSize: tree.count), checkpoint: latest, extra: row.entry)
        } catch { throw .log(error) }
    }

    /// The consistency proof from the tree of `size` entries to the current one.
    public func consistencyProof(from size: UInt64) throws(DisclosureError) -> [[UInt8]] {
        do { return try tree.consistencyProof(from: size, to: tree.count) } catch { throw .log(error) }
    }
}
