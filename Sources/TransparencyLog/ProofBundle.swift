/// A c2sp.org/tlog-proof@v1: an offline-verifiable proof that one entry is in the log, a receipt an
/// agency keeps for a release of its data.
///
/// ```
/// c2sp.org/tlog-proof@v1
/// extra <base64 opaque data>          (optional)
/// index <0-based leaf index>
/// <base64 inclusion proof hash>       (zero or more, leaf's sibling first)
///
/// <signed checkpoint, verbatim>
/// ```
///
/// Followed as written in the spec: the header line, the optional `extra` line (not authenticated,
/// and not used by ``verify(leafHash:origin:verifiers:)``), the index in canonical decimal, one
/// 32-byte hash per line in canonical base64, an empty line, then the checkpoint note. The entry
/// itself is not in the bundle: the verifier supplies it (or its leaf hash), as the spec intends.
public struct ProofBundle: Sendable, Hashable {
    /// The first line of every bundle.
    public static let header = "c2sp.org/tlog-proof@v1"

    /// The entry's 0-based index in the log.
    public let index: UInt64
    /// The inclusion proof of the entry in the checkpoint's tree.
    public let proof: [[UInt8]]
    /// The signed checkpoint note, exactly as the log signed it.
    public let checkpoint: String
    /// Opaque extra data; unauthenticated, so never trusted by itself.
    public let extra: [UInt8]?

    /// A bundle from its parts (the hub makes one per release). Throws if a proof hash is not 32
    /// bytes or `checkpoint` is not a syntactically valid signed note.
    public init(index: UInt64, proof: [[UInt8]], checkpoint: String, extra: [UInt8]? = nil) throws(LogError) {
        for (i, hash) in proof.enumerated() { try MerkleHashing.check(hash, "proof hash \(i)") }
        _ = try SignedNote(parsing: checkpoint)
        self.index = index
        self.proof = proof
        self.checkpoint = checkpoint
        self.extra = extra
    }

    /// Parses the UTF-8 bytes of a bundle. Nothing is verified: call ``verify(leafHash:origin:verifiers:)``.
    public init(parsing bytes: some Collection<UInt8>) throws(LogError) {
        var lines = LineCursor(Array(bytes))
        guard try lines.next() == Self.header else { throw .malformedProofBundle("the first line is not '\(Self.header)'") }
        var line = try lines.next()
        var extra: [UInt8]?
        if line.hasPrefix("extra ") {
            guard let data = Base64.decode(line.dropFirst("extra ".count)) else {
                throw .malformedProofBundle("the extra data is not canonical base64")
            }
            extra = data
            line = try lines.next()
        }
        guard line.hasPrefix("index "), let index = CanonicalDecimal.parse(line.dropFirst("index ".count)) else {
            throw .malformedProofBundle("the line after the header must be 'index N', N decimal without leading zeros")
        }
        var proof: [[UInt8]] = []
        while true {
            let hashLine = try lines.next()
            if hashLine.isEmpty { break }
            guard let hash = Base64.decode(hashLine) else { throw .malformedProofBundle("proof hash \(proof.count) is not canonical base64") }
            proof.append(hash)
        }
        guard NoteText.isValidUTF8(lines.remainder) else { throw .malformedProofBundle("the checkpoint is not valid UTF-8") }
        let checkpoint = String(decoding: lines.remainder, as: UTF8.self)
        do { try self.init(index: index, proof: proof, checkpoint: checkpoint, extra: extra) } catch {
            throw .malformedProofBundle(error.description)
        }
    }

    /// Parses a bundle given as text, as the byte form does.
    public init(parsing text: String) throws(LogError) {
        try self.init(parsing: Array(text.utf8))
    }

    /// The bundle as text.
    public var encoded: String {
        var out = Self.header + "\n"
        if let extra { out += "extra \(Base64.encode(extra))\n" }
        out += "index \(index)\n"
        for hash in proof { out += Base64.encode(hash) + "\n" }
        return out + "\n" + checkpoint
    }

    /// Verifies the bundle for the entry with leaf hash `leafHash`: the checkpoint must be signed by
    /// one of `verifiers` for the log `origin`, and the proof must put the entry at ``index`` in the
    /// checkpoint's tree. Returns the checkpoint, for the caller to check consistency with others.
    @discardableResult
    public func verify(leafHash: [UInt8], origin: String, verifiers: [NoteVerifier]) throws(LogError) -> Checkpoint {
        let head = try Checkpoint.open(checkpoint, origin: origin, verifiers: verifiers)
        try MerkleVerification.verifyInclusion(leafHash: leafHash, index: index, treeSize: head.size, proof: proof, root: head.rootHash)
        return head
    }

    /// Verifies the bundle for the entry `entry` (its bytes as logged); see ``verify(leafHash:origin:verifiers:)``.
    @discardableResult
    public func verify(entry: some Collection<UInt8>, origin: String, verifiers: [NoteVerifier]) throws(LogError) -> Checkpoint {
        try verify(leafHash: MerkleHashing.leafHash(entry), origin: origin, verifiers: verifiers)
    }
}

/// Reads newline-terminated lines off the front of a byte buffer.
private struct LineCursor {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The next line without its newline; throws if no newline-terminated line is left.
    mutating func next() throws(LogError) -> String {
        guard let newline = bytes[position...].firstIndex(of: 0x0a) else {
            throw .malformedProofBundle("it ends before the checkpoint")
        }
        defer { position = newline + 1 }
        return String(decoding: bytes[position..<newline], as: UTF8.self)
    }

    /// Everything not yet read.
    var remainder: ArraySlice<UInt8> { bytes[position...] }
}
