public import Tokenisation

/// The state a full link leaves for incremental ones.
public struct LinkingState: Sendable, Hashable {
    /// Bumped by every link run, so that two runs cannot interleave their writes.
    public let generation: Int
    /// The trained model (JSON, as `MatchModel` encodes it).
    public let model: [UInt8]
    /// The term counts scored with (see `HubLinking`'s encoding).
    public let termCounts: [UInt8]
    /// The linkage key id of the records linked.
    public let linkageKeyID: String
    /// When the model was trained (ISO 8601, UTC).
    public let trainedAt: String

    /// Makes a state.
    public init(generation: Int, model: [UInt8], termCounts: [UInt8], linkageKeyID: String, trainedAt: String) {
        self.generation = generation
        self.model = model
        self.termCounts = termCounts
        self.linkageKeyID = linkageKeyID
        self.trainedAt = trainedAt
    }
}

/// An agency's current batch, as linking sees it.
public struct CurrentBatch: Sendable {
    /// The batch id.
    public let batchID: String
    /// The batch header (public material).
    public let header: BatchHeader
    /// True once its records have been linked.
    public let linked: Bool
    /// Its agency.
    public var agency: String { header.agency }
}

/// A stored record with its store id and batch.
public struct StoredRecord: Sendable {
    /// The store's id of the record (stable; what links and clusters refer to).
    public let id: Int64
    /// The batch it came in.
    public let batchID: String
    /// The record.
    public let record: EncodedRecord
}

/// A stored record as an incremental link compares it: its ids, its reference (the order a full
/// link reads records in) and its stored comparison profile, if a link has written one.
public struct StoredProfile: Sendable {
    /// The store's id of the record.
    public let id: Int64
    /// The batch it came in.
    public let batchID: String
    /// Its record reference.
    public let reference: String
    /// Its profile's stored bytes (opaque to the store), or nil when none was written yet.
    public let profile: [UInt8]?

    /// Makes a row.
    public init(id: Int64, batchID: String, reference: String, profile: [UInt8]?) {
        self.id = id
        self.batchID = batchID
        self.reference = reference
        self.profile = profile
    }
}

/// One entry of the blocking index: a key and a record under it, with the record's batch.
public struct BlockMember: Sendable, Hashable {
    public let key: Int64
    public let recordID: Int64
    public let batchID: String
}

/// What ``LinkingStore/blockMembers(keys:maximumPerBatch:)`` found.
public struct BlockLookup: Sendable {
    /// Members of the blocks within the cap.
    public let members: [BlockMember]
    /// Blocks over the cap, as (key, batch).
    public let oversized: [(key: Int64, batchID: String)]
}

/// A stored link between two records (by store id), in the match or possible band.
public struct StoredLink: Sendable, Hashable {
    /// The link's band.
    public enum Band: String, Sendable {
        case match, possible
    }

    public let left: Int64, right: Int64
    /// Score (log2 odds).
    public let score: Double
    public let band: Band

    /// Makes a link.
    public init(left: Int64, right: Int64, score: Double, band: Band) {
        self.left = left
        self.right = right
        self.score = score
        self.band = band
    }
}

/// A record's cluster (person) number.
public struct ClusterAssignment: Sendable, Hashable {
    public let recordID: Int64
    public let cluster: Int64

    /// Makes an assignment.
    public init(recordID: Int64, cluster: Int64) {
        self.recordID = recordID
        self.cluster = cluster
    }
}

/// A member of a stored cluster, with its batch.
public struct ClusterMember: Sendable, Hashable {
    public let recordID: Int64
    public let cluster: Int64
    public let batchID: String
}

/// What one link run writes.
public struct LinkRun: Sendable {
    /// A full link replaces every link, cluster and index entry; an incremental one adds a batch.
    public enum Scope: Sendable, Hashable {
        case full(batches: [String])
        case batch(String, agency: String)
    }

    public var scope: Scope
    /// The generation read before the run (nil when there was no state).
    public var expectedGeneration: Int?
    /// A full link's new state (model and term counts; generation is set by the store).
    public var state: LinkingState?
    /// Index entries to add, by batch, as (key, record id).
    public var blockKeys: [(batchID: String, entries: [(key: Int64, record: Int64)])]
    /// Links to add (a full link: all of them).
    public var links: [StoredLink]
    /// Cluster numbers to set (a full link: every record's).
    public var clusters: [ClusterAssignment]
    /// Comparison profiles to keep (or replace), by record id: opaque bytes that later incremental
    /// links read with ``HubStore/profiles(ids:)`` instead of decoding the records.
    public var profiles: [(record: Int64, profile: [UInt8])]

    /// Makes a run.
    public init(
        scope: Scope, expectedGeneration: Int?, state: LinkingState?, blockKeys: [(batchID: String, entries: [(key: Int64, record: Int64)])],
        links: [StoredLink], clusters: [ClusterAssignment], profiles: [(record: Int64, profile: [UInt8])] = []
    ) {
        self.scope = scope
        self.expectedGeneration = expectedGeneration
        self.state = state
        self.blockKeys = blockKeys
        self.links = links
        self.clusters = clusters
        self.profiles = profiles
    }
}

/// Stored links and clusters by agency and record reference.
public struct LinkExport: Sendable {
    public struct Link: Sendable, Hashable {
        public let leftAgency: String, leftRecord: String, rightAgency: String, rightRecord: String
        public let score: Double
        public let band: StoredLink.Band
    }

    public let links: [Link]
    public let clusters: [(agency: String, record: String, cluster: Int64)]
}

/// What ``HubStore/purgeSuperseded()`` did.
public struct PurgeReport: Sendable, Hashable {
    /// Batches purged and the records deleted with them.
    public let batches: [String], records: Int
    /// Superseded batches kept because their records are still linked (link first, then purge).
    public let stillLinked: [String]
}

/// One stored disclosure-log entry.
public struct LogRow: Sendable, Hashable {
    /// Its 0-based index in the log.
    public let index: UInt64
    /// The entry's canonical bytes (the leaf data).
    public let entry: [UInt8]
    /// SHA-256(0x00 ‖ entry).
    public let leafHash: [UInt8]

    /// Makes a row.
    public init(index: UInt64, entry: [UInt8], leafHash: [UInt8]) {
        self.index = index
        self.entry = entry
        self.leafHash = leafHash
    }
}
