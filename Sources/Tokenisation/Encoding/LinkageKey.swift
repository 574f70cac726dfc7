public import LinkCrypto

/// The secret every agency holds and the hub never sees. All tokens, Bloom-filter positions and
/// record references are keyed by subkeys derived from it, one per purpose, so that two encodings
/// of the same value for different purposes cannot be correlated.
public struct LinkageKey: Sendable {
    /// Length of the secret in bytes.
    public static let byteCount = 32
    private static let salt = Array("mashlink-linkage-v1".utf8)

    /// The 32-byte secret.
    public let secret: SecureBytes

    /// Wraps an existing secret (from a key file).
    public init(secret: SecureBytes) throws(TokenisationError) {
        guard secret.count == Self.byteCount else {
            throw .invalidLinkageKey("a linkage key is \(Self.byteCount) bytes; this one is \(secret.count). Check the key file.")
        }
        self.secret = secret
    }

    /// A fresh random linkage key. One agency makes it and shares it with the others out of band.
    public static func generate() -> LinkageKey {
        // 32 random bytes always satisfy the length check.
        try! LinkageKey(secret: SecureBytes(randomCount: byteCount))
    }

    /// A public identifier of the key: batches name it so the hub never mixes encodings made under different keys.
    public var keyID: String {
        Hex.encode(derive("key-id").bytes.unprotectedBytes.prefix(8))
    }

    /// The subkey for one purpose, e.g. `token/surname` or `bloom/given`.
    public func subkey(_ purpose: String) -> SymmetricKey {
        derive(purpose)
    }

    private func derive(_ purpose: String) -> SymmetricKey {
        // 32 bytes is far below HKDF's output limit.
        try! HKDFSHA256.deriveKey(
            inputKeyMaterial: secret, salt: Self.salt, info: Array(purpose.utf8), outputByteCount: 32)
    }

    /// This key wrapped under a passphrase, for storage on the agency's machine.
    public func wrapped(passphrase: String, parameters: Scrypt.Parameters = .keyFile) throws(CryptoError) -> PassphraseKeyFile {
        try .wrap(secret, keyType: .symmetric, keyID: keyID, passphrase: passphrase, parameters: parameters)
    }

    /// Unwraps a linkage key file and checks that its key id matches the secret inside.
    public init(keyFile: PassphraseKeyFile, passphrase: String) throws(TokenisationError) {
        guard keyFile.keyType == .symmetric else {
            throw .invalidLinkageKey("the key file holds a \(keyFile.keyType.rawValue) key, not a linkage key")
        }
        let secret: SecureBytes
        do { secret = try keyFile.unwrap(passphrase: passphrase) } catch { throw .crypto(error) }
        try self.init(secret: secret)
        guard keyID == keyFile.keyID else {
            throw .invalidLinkageKey("the key file's key id does not match its contents; the file is damaged")
        }
    }
}
