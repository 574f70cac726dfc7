/// A c2sp.org/tlog-checkpoint: the log's signed statement of its tree size and root hash.
///
/// The note text is `<origin>\n<tree size>\n<base64 root hash>\n` followed by optional extension
/// lines, each non-empty and ending in a newline. The size is ASCII decimal without leading zeros
/// (`0` for the empty tree); the root is the 32-byte RFC 6962 root. The checkpoint is signed as a
/// c2sp.org/signed-note (``SignedNote``), by a key whose name should be the origin.
public struct Checkpoint: Sendable, Hashable {
    /// The log's identity, a schema-less URL such as `mashlink.example/disclosure-log`.
    public let origin: String
    /// The number of leaves in the tree.
    public let size: UInt64
    /// The RFC 6962 root of the first ``size`` leaves.
    public let rootHash: [UInt8]
    /// Extension lines (without newlines). The spec advises against them: monitors cannot audit them.
    public let extensions: [String]

    /// A checkpoint to sign. Throws if the origin is empty or holds a newline or control character,
    /// the root is not 32 bytes, or an extension line is empty or holds one.
    public init(origin: String, size: UInt64, rootHash: [UInt8], extensions: [String] = []) throws(LogError) {
        try Self.checkLine(origin, "the origin")
        try MerkleHashing.check(rootHash, "root hash")
        for line in extensions { try Self.checkLine(line, "an extension line") }
        self.origin = origin
        self.size = size
        self.rootHash = rootHash
        self.extensions = extensions
    }

    /// Parses checkpoint note text (the signed body, ending in a newline). Nothing is verified.
    public init(text: String) throws(LogError) {
        guard text.utf8.last == 0x0a else { throw .malformedCheckpoint("the text does not end with a newline") }
        let lines = text.utf8.dropLast().split(separator: 0x0a, omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
        guard lines.count >= 3 else { throw .malformedCheckpoint("it has \(lines.count) lines; origin, size and root are needed") }
        guard let size = CanonicalDecimal.parse(lines[1]) else {
            throw .malformedCheckpoint("the tree size '\(lines[1])' is not a decimal number without leading zeros")
        }
        guard let root = Base64.decode(lines[2]) else { throw .malformedCheckpoint("the root hash is not canonical base64") }
        guard root.count == MerkleHashing.hashByteCount else {
            throw .malformedCheckpoint("the root hash is \(root.count) bytes, not 32")
        }
        guard !lines[0].isEmpty else { throw .malformedCheckpoint("the origin line is empty") }
        for line in lines.dropFirst(3) where line.isEmpty { throw .malformedCheckpoint("an extension line is empty") }
        try self.init(origin: lines[0], size: size, rootHash: root, extensions: Array(lines.dropFirst(3)))
    }

    /// The note text: origin, size, base64 root and extension lines, each ending in a newline.
    public var text: String {
        ([origin, String(size), Base64.encode(rootHash)] + extensions).map { $0 + "\n" }.joined()
    }

    /// The signed note (``SignedNote/encoded``) of this checkpoint, signed by each of `signers`.
    /// The hub signs with its log key, named as the origin.
    public func signed(by signers: NoteSigner...) -> String {
        SignedNote(validText: text, signers: signers).encoded
    }

    /// Opens a signed checkpoint for the log `origin`: verifies the note against `verifiers`
    /// (``SignedNote/verify(with:)``), parses its text and checks the origin. The text is read only
    /// once a trusted signature has verified.
    public static func open(_ note: some Collection<UInt8>, origin: String, verifiers: [NoteVerifier]) throws(LogError) -> Checkpoint {
        let signed = try SignedNote(parsing: note)
        try signed.verify(with: verifiers)
        let checkpoint = try Checkpoint(text: signed.text)
        guard NoteText.sameBytes(checkpoint.origin, origin) else { throw .originMismatch(expected: origin, actual: checkpoint.origin) }
        return checkpoint
    }

    /// Opens a signed checkpoint given as text, as the byte form does.
    public static func open(_ note: String, origin: String, verifiers: [NoteVerifier]) throws(LogError) -> Checkpoint {
        try open(Array(note.utf8), origin: origin, verifiers: verifiers)
    }

    /// Verifies that `later` (a checkpoint of the same log) extends this one, by the consistency
    /// proof between their sizes: what an auditor runs against each tree head it saved before, to
    /// catch a truncated or rewritten log.
    public func verifyExtended(by later: Checkpoint, proof: [[UInt8]]) throws(LogError) {
        guard NoteText.sameBytes(later.origin, origin) else { throw .originMismatch(expected: origin, actual: later.origin) }
        try MerkleVerification.verifyConsistency(
            firstSize: size, secondSize: later.size, firstRoot: rootHash, secondRoot: later.rootHash, proof: proof)
    }

    private static func checkLine(_ line: String, _ what: String) throws(LogError) {
        guard !line.isEmpty else { throw .malformedCheckpoint("\(what) is empty") }
        guard !line.utf8.contains(where: { $0 < 0x20 }) else {
            throw .malformedCheckpoint("\(what) contains a newline or control character")
        }
    }
}
