import Foundation

/// The first line of a batch: who made it, under which keys and schema. Everything in it is public.
public struct BatchHeader: Sendable, Hashable, Codable {
    /// The batch format this build writes.
    public static let currentVersion = 1
    /// The format name, so that a wrong file is recognised at once.
    public static let formatName = "mashlink-batch"
    /// The format name of a referral query: the same layout, one record, no payload.
    public static let queryFormatName = "mashlink-query"

    /// Always ``formatName``.
    public var format: String
    /// The batch format version.
    public var version: Int
    /// A fresh random id (replays are refused by it and by the content digest).
    public var batchID: String
    /// The agency's registered name at the hub.
    public var agency: String
    /// When the batch was made (ISO 8601, UTC).
    public var createdAt: String
    /// The date age bands were computed on (ISO 8601 date).
    public var batchDate: String
    /// The id of the linkage key every token is keyed by.
    public var linkageKeyID: String
    /// The id of the agency's Ed25519 signing key.
    public var signingKeyID: String
    /// The id of the hub release key payloads are sealed to.
    public var hubReleaseKeyID: String
    /// The linkage schema's canonical digest.
    public var schemaDigest: String
    /// Per-field encoding digests: the hub compares a field across batches only where these agree.
    public var fieldDigests: [String: String]
    /// Bloom-filter parameters, so the hub can check filter lengths.
    public var bloom: BloomParameters
    /// Per payload tier, the base64 HPKE encapsulated key of that tier's payload key (see ``PayloadSealer``).
    public var payloadKeys: [String: String]

    /// Makes a header for a new batch.
    public init(
        batchID: String, agency: String, createdAt: String, batchDate: String, linkageKeyID: String, signingKeyID: String,
        hubReleaseKeyID: String, schema: LinkageSchema, payloadKeys: [PayloadTier: [UInt8]] = [:],
        format: String = BatchHeader.formatName
    ) {
        self.format = format
        version = Self.currentVersion
        self.batchID = batchID
        self.agency = agency
        self.createdAt = createdAt
        self.batchDate = batchDate
        self.linkageKeyID = linkageKeyID
        self.signingKeyID = signingKeyID
        self.hubReleaseKeyID = hubReleaseKeyID
        schemaDigest = schema.digest
        fieldDigests = schema.fieldDigests
        bloom = schema.bloom
        self.payloadKeys = Dictionary(uniqueKeysWithValues: payloadKeys.map { ($0.key.rawValue, Data($0.value).base64EncodedString()) })
    }

    /// The header as one line of canonical (key-sorted) JSON.
    func line() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Plain strings and integers always encode.
        return Array(try! encoder.encode(self)) + [0x0a]
    }
}

/// The last line of a batch: the record count, the SHA-256 of every byte before this line, and the
/// agency's Ed25519 signature over both.
struct BatchTrailer: Codable {
    struct Body: Codable {
        var records: Int
        var digest: String
        var signature: String
    }
    var trailer: Body

    /// The exact bytes signed: a domain label, the content digest and the record count.
    static func signedMessage(digest: String, records: Int) -> [UInt8] {
        Array("mashlink-batch-v1\n\(digest)\n\(records)\n".utf8)
    }
}

extension BatchHeader {
    /// Reads only the header line of the batch at `path` (nothing is verified: use ``BatchReader`` for that).
    public static func read(atPath path: String) throws(TokenisationError) -> BatchHeader {
        try decode(firstLineOf: LineReader(path: path)).header
    }

    /// Decodes the first line from `lines` as a header; returns the line too, since the reader hashes it.
    static func decode(firstLineOf lines: LineReader) throws(TokenisationError) -> (header: BatchHeader, line: [UInt8]) {
        guard let first = try lines.next() else { throw .invalidBatch("the file is empty; it is not a mashlink batch") }
        do { return (try JSONDecoder().decode(BatchHeader.self, from: Data(first)), first) } catch {
            throw .invalidBatch("the first line is not a mashlink batch header; is this the right file?")
        }
    }

    /// Checks that `self` and `other` can be linked: same linkage key, and the same encoding for every
    /// field both compare. Throws with what differs and what to do.
    public func checkLinkable(with other: BatchHeader) throws(TokenisationError) {
        guard linkageKeyID == other.linkageKeyID else {
            throw .invalidBatch("batches from \(agency) and \(other.agency) were made under different linkage keys (\(linkageKeyID), \(other.linkageKeyID)); every agency must tokenise under the current key")
        }
        let differing = Set(fieldDigests.keys).intersection(other.fieldDigests.keys).filter { fieldDigests[$0] != other.fieldDigests[$0] }
        guard differing.isEmpty else {
            throw .invalidBatch("batches from \(agency) and \(other.agency) encode \(differing.sorted().joined(separator: ", ")) differently (schema Bloom or hardening settings, or mashlink version); re-tokenise with the agreed schema")
        }
    }
}
