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
            linkingMigration(for: backend),
            logMigration(for: backend),
            workflowMigration(for: backend),
            profileMigration(for: backend),
            blockIndexMigration(for: backend),
        ]
    }

    /// Version 6: the blocking index without its foreign key to `records`. A full link writes an
    /// entry for every blocking key of every record (about 45 per record: 45 million at a million
    /// records), and checking each one's record was found to be most of a full link's saving time
    /// on SQLite (a rowid lookup in random record order, in a table of 2 KB rows larger than the
    /// memory map). Entries are written only by link runs, for records they read from the store,
    /// and deleted with their batch's records (`purge`), and `mashlink-hub check` counts entries
    /// whose record is missing, so the invariant is still checked, once, instead of 45 million times.
    /// SQLite cannot drop a constraint, so the table is copied (on the million-record benchmark store
    /// the migration and a `check` took 138 s together, most of it the check: docs/store.md).
    private static func blockIndexMigration(for backend: StoreBackend) -> [String] {
        backend == .sqlite
            ? [
                "CREATE TABLE block_keys_v6 (key INTEGER NOT NULL, tag INTEGER NOT NULL, record_id INTEGER NOT NULL, PRIMARY KEY (key, tag, record_id)) WITHOUT ROWID",
                "INSERT INTO block_keys_v6 (key, tag, record_id) SELECT key, tag, record_id FROM block_keys ORDER BY key, tag, record_id",
                "DROP TABLE block_keys",
                "ALTER TABLE block_keys_v6 RENAME TO block_keys",
            ]
            : ["ALTER TABLE block_keys DROP CONSTRAINT block_keys_record_id_fkey"]
    }

    /// Version 5: each record's comparison profile (``LinkRun/profiles``), written by link runs
    /// (a full link: every record's; an incremental one: the new batch's), so that an incremental link reads a stored record's compared
    /// tokens and filters (digests and filter words: no identifier) without decoding its line. A
    /// record without one, or with one of another layout, is decoded from its line as before.
    private static func profileMigration(for backend: StoreBackend) -> [String] {
        let sqlite = backend == .sqlite
        return [
            "CREATE TABLE record_profiles (record_id \(sqlite ? "INTEGER" : "BIGINT") PRIMARY KEY REFERENCES records(id), profile \(sqlite ? "BLOB" : "BYTEA") NOT NULL)"
        ]
    }

    /// Version 4: the service's people, sessions and referrals, and the nonces of agency requests.
    /// A session is kept by the hash of its token (a stolen database holds no usable session); a
    /// referral as its workflow document with the columns the service looks it up by. No identifier
    /// in any of them: users are staff login names, referrals hold tokens and record references.
    private static func workflowMigration(for backend: StoreBackend) -> [String] {
        let int = backend == .sqlite ? "INTEGER" : "BIGINT"
        return [
            """
            CREATE TABLE users (
                name TEXT PRIMARY KEY,
                role TEXT NOT NULL CHECK (role IN ('practitioner', 'manager', 'operator', 'dpo')),
                password_hash TEXT NOT NULL,
                failed_logins \(int) NOT NULL DEFAULT 0,
                locked_until TEXT,
                disabled_at TEXT,
                created_at TEXT NOT NULL)
            """,
            """
            CREATE TABLE sessions (
                token_hash TEXT PRIMARY KEY,
                user_name TEXT NOT NULL REFERENCES users(name),
                csrf_hash TEXT NOT NULL,
                created_at TEXT NOT NULL,
                expires_at TEXT NOT NULL,
                revoked_at TEXT)
            """,
            "CREATE INDEX sessions_by_user ON sessions (user_name)",
            "CREATE TABLE request_nonces (agency TEXT NOT NULL, nonce TEXT NOT NULL, seen_at TEXT NOT NULL, PRIMARY KEY (agency, nonce))",
            "CREATE INDEX request_nonces_by_time ON request_nonces (seen_at)",
            """
            CREATE TABLE referrals (
                id TEXT PRIMARY KEY,
                version \(int) NOT NULL,
                agency TEXT NOT NULL,
                state TEXT NOT NULL,
                assignee TEXT,
                due_at TEXT NOT NULL,
                received_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                document TEXT NOT NULL)
            """,
            "CREATE INDEX referrals_by_assignee ON referrals (assignee, received_at)",
        ]
    }

    /// Version 3: the disclosure log. Entries are leaves of the log's Merkle tree, numbered from 0,
    /// kept with their leaf hashes; checkpoints are the signed tree heads. Both are append-only: the
    /// database refuses to change or delete a row (the tree and the DPO's saved checkpoints catch
    /// anyone who gets past that).
    private static func logMigration(for backend: StoreBackend) -> [String] {
        let sqlite = backend == .sqlite
        let int = sqlite ? "INTEGER" : "BIGINT", blob = sqlite ? "BLOB" : "BYTEA"
        let tables = [
            "CREATE TABLE log_entries (idx \(int) PRIMARY KEY CHECK (idx >= 0), entry TEXT NOT NULL, leaf_hash \(blob) NOT NULL, appended_at TEXT NOT NULL)",
            "CREATE TABLE log_checkpoints (size \(int) PRIMARY KEY CHECK (size >= 0), note TEXT NOT NULL, signed_at TEXT NOT NULL)",
        ]
        let guards: [String] = sqlite
            ? ["log_entries", "log_checkpoints"].flatMap { table in
                ["UPDATE", "DELETE"].map { op in
                    "CREATE TRIGGER \(table)_no_\(op.lowercased()) BEFORE \(op) ON \(table) BEGIN SELECT RAISE(ABORT, 'the disclosure log is append-only'); END"
                }
            }
            : [
                """
                CREATE OR REPLACE FUNCTION mashlink_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'the disclosure log is append-only'; END $$
                """,
            ] + ["log_entries", "log_checkpoints"].map { table in
                "CREATE TRIGGER \(table)_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON \(table) FOR EACH STATEMENT EXECUTE FUNCTION mashlink_append_only()"
            }
        // A purged batch keeps its row (header, content digest: a purged batch can never be
        // replayed) but not its records.
        return tables + guards + ["ALTER TABLE batches ADD COLUMN purged_at TEXT"]
    }

    /// Version 2: records get a stable integer id (what the blocking index, links and clusters
    /// refer to), and the tables an incremental link needs: the persisted blocking index, links,
    /// clusters, and the linking state (model and term frequencies of the last full link).
    private static func linkingMigration(for backend: StoreBackend) -> [String] {
        let sqlite = backend == .sqlite
        let int = sqlite ? "INTEGER" : "BIGINT", real = sqlite ? "REAL" : "DOUBLE PRECISION", blob = sqlite ? "BLOB" : "BYTEA"
        let records: [String] = sqlite
            ? [
                // SQLite keeps a rowid only while it is an INTEGER PRIMARY KEY (VACUUM may renumber
                // an implicit one), so the table is rebuilt with one.
                """
                CREATE TABLE records_v2 (
                    id INTEGER PRIMARY KEY,
                    batch_id TEXT NOT NULL REFERENCES batches(batch_id),
                    reference TEXT NOT NULL,
                    age_band TEXT,
                    line BLOB NOT NULL,
                    UNIQUE (batch_id, reference))
                """,
                "INSERT INTO records_v2 (batch_id, reference, age_band, line) SELECT batch_id, reference, age_band, line FROM records ORDER BY batch_id, reference",
                "DROP TABLE records",
                "ALTER TABLE records_v2 RENAME TO records",
            ]
            : [
                "ALTER TABLE records ADD COLUMN id BIGINT GENERATED ALWAYS AS IDENTITY",
                "ALTER TABLE records DROP CONSTRAINT records_pkey",
                "ALTER TABLE records ADD PRIMARY KEY (id)",
                "ALTER TABLE records ADD CONSTRAINT records_batch_reference UNIQUE (batch_id, reference)",
            ]
        return records + [
            // When the batch's records were last linked; NULL while they are not (not yet, or
            // superseded and their links removed).
            "ALTER TABLE batches ADD COLUMN linked_at TEXT",
            // A small number per batch, so the blocking index can say whose a record is without a join.
            "ALTER TABLE batches ADD COLUMN tag \(int)",
            "UPDATE batches SET tag = n.n FROM (SELECT batch_id, ROW_NUMBER() OVER (ORDER BY ingested_at, batch_id) AS n FROM batches) n WHERE n.batch_id = batches.batch_id",
            "CREATE UNIQUE INDEX batches_by_tag ON batches (tag)",
            // The blocking index: key, then batch, then record, so one range scan finds a block by batch.
            "CREATE TABLE block_keys (key \(int) NOT NULL, tag \(int) NOT NULL, record_id \(int) NOT NULL REFERENCES records(id), PRIMARY KEY (key, tag, record_id))" + (sqlite ? " WITHOUT ROWID" : ""),
            """
            CREATE TABLE links (
                left_id \(int) NOT NULL REFERENCES records(id),
                right_id \(int) NOT NULL REFERENCES records(id),
                score \(real) NOT NULL,
                band TEXT NOT NULL CHECK (band IN ('match', 'possible')),
                PRIMARY KEY (left_id, right_id))
            """,
            "CREATE INDEX links_by_right ON links (right_id)",
            "CREATE TABLE clusters (record_id \(int) PRIMARY KEY REFERENCES records(id), cluster \(int) NOT NULL)",
            "CREATE INDEX clusters_by_cluster ON clusters (cluster)",
            """
            CREATE TABLE link_state (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                generation \(int) NOT NULL,
                model TEXT NOT NULL,
                term_counts \(blob) NOT NULL,
                linkage_key_id TEXT NOT NULL,
                trained_at TEXT NOT NULL)
            """,
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
