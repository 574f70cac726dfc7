import Tokenisation

/// The store's versioned schema, the same tables on both backends. A migration is appended, never
/// edited; the store records the version it is at and refuses to open at a newer one.
enum Schema {
    /// Migrations in order; version n is the n-th (from 1).
    static func migrations(for backend: StoreBackend) -> [[String]] {
        let blob = backend == .sqlite ? "BLOB" : "BYTEA"
        return [
            [
                "CREATE TABLE agencies (name TEXT PRIMARY KEY, signing_key_id TEXT NOT NULL, signing_key_pem TEXT NOT NULL, registered_at TEXT NOT NULL)",
                """
                CREATE TABLE batches (
                    batch_id TEXT PRIMARY KEY,
                    agency TEXT NOT NULL REFERENCES agencies(name),
                    content_digest TEXT NOT NULL UNIQUE,
                    linkage_key_id TEXT NOT NULL,
                    schema_digest TEXT NOT NULL,
                    header TEXT NOT NULL,
                    record_count INTEGER NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('current', 'superseded')),
                    ingested_at TEXT NOT NULL)
                """,
                "CREATE UNIQUE INDEX one_current_batch_per_agency ON batches (agency) WHERE status = 'current'",
                """
                CREATE TABLE records (
                    batch_id TEXT NOT NULL REFERENCES batches(batch_id),
                    reference TEXT NOT NULL,
                    age_band TEXT,
                    line \(blob) NOT NULL,
                    PRIMARY KEY (batch_id, reference))
                """,
            ],
        ]
    }

    /// The newest version this build knows.
    static var currentVersion: Int { migrations(for: .sqlite).count }

    /// Creates the version table, if missing.
    static let versionTable = "CREATE TABLE IF NOT EXISTS mashlink_schema (version INTEGER NOT NULL)"
}

/// The checks every ingest makes before and after reading records, shared by both backends so they
/// refuse the same batches with the same messages.
struct IngestRules {
    let header: BatchHeader

    /// Before reading records (the agency is known to be registered): the batch id is new, and the
    /// linkage key is the index's (`indexKey` is nil while the store holds no batch).
    func checkBefore(batchIDSeen: Bool, indexKey: String?) throws(StoreError) {
        guard !batchIDSeen else { throw .replayedBatch(batchID: header.batchID, reason: "a batch with this id is already stored") }
        if let indexKey, indexKey != header.linkageKeyID { throw .wrongLinkageKey(batch: header.linkageKeyID, index: indexKey) }
    }

    /// After every record verified: the content is new.
    func checkAfter(digestSeen: Bool) throws(StoreError) {
        guard !digestSeen else {
            throw .replayedBatch(batchID: header.batchID, reason: "a batch with the same content is already stored under another id")
        }
    }

    /// The header as stored (canonical JSON: public material only).
    var headerJSON: String {
        get throws(StoreError) {
            do { return String(decoding: try JSONCoding.encoder.encode(header), as: UTF8.self) } catch { throw .database("cannot encode the batch header") }
        }
    }
}
