public import LinkCrypto

/// The public half of a note-signing key: a key name, its 32-bit key id and an Ed25519 public key
/// (c2sp.org/signed-note, signature type 0x01).
///
/// A DPO or agency is given it as one line, the verifier key (``verifierKey``):
/// `<name>+<8 hex digits of the key id>+<base64(0x01 || 32-byte public key)>`, the form of
/// golang.org/x/mod/sumdb/note.
public struct NoteVerifier: Sendable, Hashable {
    /// The signed-note signature type byte for Ed25519.
    public static let ed25519SignatureType: UInt8 = 0x01

    /// The key name, for a log key conventionally the log's origin (`mashlink.example/disclosure-log`).
    public let name: String
    /// The key id: the first four bytes, big-endian, of SHA-256(name || 0x0A || 0x01 || public key).
    public let keyID: UInt32
    /// The Ed25519 public key.
    public let publicKey: Ed25519.PublicKey

    /// The verifier for `publicKey` under `name`. Throws if the name is not a valid key name.
    public init(name: String, publicKey: Ed25519.PublicKey) throws(LogError) {
        guard NoteText.isValidKeyName(name) else { throw .invalidKeyName(name) }
        self.name = name
        self.publicKey = publicKey
        keyID = Self.keyID(name: name, publicKey: publicKey)
    }

    /// Reads a verifier key line. Throws unless the name is valid, the key id is 8 hex digits and
    /// matches the key, and the key is a canonical base64 Ed25519 key with type byte 0x01.
    public init(verifierKey: String) throws(LogError) {
        let parts = verifierKey.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformedVerifierKey("it does not have three '+'-separated parts") }
        let name = String(parts[0])
        guard NoteText.isValidKeyName(name) else { throw .invalidKeyName(name) }
        guard parts[1].utf8.count == 8, let idBytes = Hex.decode(parts[1]) else {
            throw .malformedVerifierKey("the key id is not 8 hex digits")
        }
        let id = idBytes.reduce(0) { $0 << 8 | UInt32($1) }
        guard let key = Base64.decode(parts[2]) else { throw .malformedVerifierKey("the key is not canonical base64") }
        guard key.first == Self.ed25519SignatureType else {
            throw .malformedVerifierKey("the key type is not Ed25519 (0x01)")
        }
        guard key.count == 33 else { throw .malformedVerifierKey("an Ed25519 key is 32 bytes, this one is \(key.count - 1)") }
        let publicKey: Ed25519.PublicKey
        do { publicKey = try Ed25519.PublicKey(rawRepresentation: key.dropFirst()) } catch {
            throw .malformedVerifierKey("the Ed25519 public key was refused (\(error))")
        }
        try self.init(name: name, publicKey: publicKey)
        guard keyID == id else {
            throw .malformedVerifierKey("the key id \(parts[1]) does not match the name and key (it should be \(KeyIDFormat.hex(keyID)))")
        }
    }

    /// The one-line verifier key `<name>+<hex key id>+<base64(0x01 || public key)>`.
    public var verifierKey: String {
        "\(name)+\(KeyIDFormat.hex(keyID))+\(Base64.encode([Self.ed25519SignatureType] + publicKey.rawRepresentation))"
    }

    /// The signed-note key id of an Ed25519 key: SHA-256(name || 0x0A || 0x01 || public key)[:4], big-endian.
    public static func keyID(name: String, publicKey: Ed25519.PublicKey) -> UInt32 {
        let digest = SHA256.hash(Array(name.utf8) + [0x0a, ed25519SignatureType] + publicKey.rawRepresentation)
        return digest.prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// True if `signature` (the 64 bytes after the key id) is this key's signature of `text`.
    func isValid(_ signature: [UInt8], for text: String) -> Bool {
        publicKey.isValidSignature(signature, for: Array(text.utf8))
    }
}

/// A note-signing key: an Ed25519 private key under a key name. The hub signs its log's checkpoints
/// with one whose name is the log's origin.
public struct NoteSigner: Sendable {
    /// The key name.
    public let name: String
    /// The key id (see ``NoteVerifier/keyID``).
    public let keyID: UInt32
    private let privateKey: Ed25519.PrivateKey
    /// The matching verifier, to give out as ``NoteVerifier/verifierKey``.
    public let verifier: NoteVerifier

    /// A signer for `privateKey` under `name`. Throws if the name is not a valid key name.
    public init(name: String, privateKey: Ed25519.PrivateKey) throws(LogError) {
        verifier = try NoteVerifier(name: name, publicKey: privateKey.publicKey)
        self.name = name
        self.privateKey = privateKey
        keyID = verifier.keyID
    }

    /// This key's signature of the note text `text` (which includes its final newline).
    func signature(for text: String) -> NoteSignature {
        NoteSignature(keyName: name, keyID: keyID, signature: privateKey.signature(for: Array(text.utf8)))
    }
}
