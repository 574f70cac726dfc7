#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
private let systemRead = Glibc.read
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
private let systemRead = Darwin.read
#endif

/// A private key at rest: wrapped under a passphrase with scrypt and AES-256-GCM, in a small,
/// versioned text format that shows which key it holds without the passphrase.
///
/// ```
/// mashlink-key-file: 1
/// key-type: x25519
/// key-id: 3f2a…
/// kdf: scrypt n=131072 r=8 p=1
/// salt: <hex, 16 bytes>
/// aead: AES-256-GCM
/// sealed: <hex: nonce ‖ ciphertext ‖ tag>
/// ```
/// Every line before `sealed:` is authenticated as associated data, so a changed header fails
/// to open exactly as a wrong passphrase does. Files are written with mode 0600 and never overwritten.
public struct PassphraseKeyFile: Sendable, Hashable {
    /// The format version this build writes and reads.
    public static let formatVersion = 1

    /// What the wrapped secret is.
    public enum KeyType: String, Sendable, Hashable, CaseIterable {
        /// An X25519 private key (the hub release key).
        case x25519
        /// An Ed25519 private key (an agency signing key, the hub log key).
        case ed25519
        /// A symmetric secret (the agencies' linkage key).
        case symmetric
    }

    /// What the wrapped secret is.
    public let keyType: KeyType
    /// The public identifier of the key (public-key id or linkage-key id), readable without the passphrase.
    public let keyID: String
    /// The scrypt cost the file was wrapped with.
    public let parameters: Scrypt.Parameters
    /// The scrypt salt.
    public let salt: [UInt8]
    /// `nonce ‖ ciphertext ‖ tag` of the secret under AES-256-GCM.
    public let sealed: [UInt8]

    /// Wraps `secret` under `passphrase` with a fresh salt and nonce.
    public static func wrap(
        _ secret: SecureBytes, keyType: KeyType, keyID: String, passphrase: String,
        parameters: Scrypt.Parameters = .keyFile
    ) throws(CryptoError) -> PassphraseKeyFile {
        guard !passphrase.isEmpty else { throw .invalidParameters(reason: "the passphrase is empty; choose a passphrase") }
        guard keyID.allSatisfy({ $0.isHexDigit }) else { throw .invalidParameters(reason: "key id must be hex") }
        let salt = SecureRandom.bytes(count: 16)
        let header = Self.header(keyType: keyType, keyID: keyID, parameters: parameters, salt: salt)
        let wrappingKey = try Scrypt.deriveKey(passphrase: Array(passphrase.utf8), salt: salt, parameters: parameters, length: 32)
        let sealed = try secret.withUnsafeBytes { (bytes) throws(CryptoError) in
            try AEAD.aes256GCM.sealCombined(bytes, key: SymmetricKey(wrappingKey), associatedData: Array(header.utf8))
        }
        return PassphraseKeyFile(keyType: keyType, keyID: keyID, parameters: parameters, salt: salt, sealed: sealed)
    }

    /// Unwraps the secret. Throws ``CryptoError/wrongPassphrase`` if the passphrase is wrong or the file was altered.
    public func unwrap(passphrase: String) throws(CryptoError) -> SecureBytes {
        let header = Self.header(keyType: keyType, keyID: keyID, parameters: parameters, salt: salt)
        let wrappingKey = try Scrypt.deriveKey(passphrase: Array(passphrase.utf8), salt: salt, parameters: parameters, length: 32)
        do {
            var plain = try AEAD.aes256GCM.openCombined(sealed, key: SymmetricKey(wrappingKey), associatedData: Array(header.utf8))
            defer { for i in plain.indices { plain[i] = 0 } }
            return SecureBytes(plain)
        } catch .authenticationFailed {
            throw .wrongPassphrase
        }
    }

    /// The file's text.
    public var serialized: String {
        Self.header(keyType: keyType, keyID: keyID, parameters: parameters, salt: salt) + "sealed: \(Hex.encode(sealed))\n"
    }

    /// Parses a key file's text.
    public init(parsing text: String) throws(CryptoError) {
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            guard let colon = line.firstIndex(of: ":") else {
                throw .unsupportedKeyFile(reason: "a line has no 'name: value' form; is this a mashlink key file?")
            }
            fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingSpaces
        }
        guard let version = fields["mashlink-key-file"] else {
            throw .unsupportedKeyFile(reason: "no 'mashlink-key-file' line; this is not a mashlink key file")
        }
        guard version == String(Self.formatVersion) else {
            throw .unsupportedKeyFile(reason: "format version \(version) is not known to this build (it reads \(Self.formatVersion)); upgrade mashlink")
        }
        guard let typeName = fields["key-type"], let type = KeyType(rawValue: typeName) else {
            throw .unsupportedKeyFile(reason: "missing or unknown key-type")
        }
        guard let keyID = fields["key-id"], keyID.allSatisfy({ $0.isHexDigit }) else {
            throw .unsupportedKeyFile(reason: "missing or malformed key-id")
        }
        guard fields["aead"] == "AES-256-GCM" else { throw .unsupportedKeyFile(reason: "aead must be AES-256-GCM") }
        guard let kdf = fields["kdf"], let parameters = Self.parseKDF(kdf) else {
            throw .unsupportedKeyFile(reason: "kdf line must read 'scrypt n=<N> r=<r> p=<p>'")
        }
        guard let salt = fields["salt"].flatMap(Hex.decode), salt.count == 16 else {
            throw .unsupportedKeyFile(reason: "salt must be 16 bytes of hex")
        }
        guard let sealed = fields["sealed"].flatMap(Hex.decode) else {
            throw .unsupportedKeyFile(reason: "sealed must be hex")
        }
        self.init(keyType: type, keyID: keyID, parameters: parameters, salt: salt, sealed: sealed)
    }

    private init(keyType: KeyType, keyID: String, parameters: Scrypt.Parameters, salt: [UInt8], sealed: [UInt8]) {
        self.keyType = keyType
        self.keyID = keyID
        self.parameters = parameters
        self.salt = salt
        self.sealed = sealed
    }

    private static func header(keyType: KeyType, keyID: String, parameters p: Scrypt.Parameters, salt: [UInt8]) -> String {
        """
        mashlink-key-file: \(formatVersion)
        key-type: \(keyType.rawValue)
        key-id: \(keyID)
        kdf: scrypt n=\(p.n) r=\(p.r) p=\(p.p)
        salt: \(Hex.encode(salt))
        aead: AES-256-GCM

        """
    }

    private static func parseKDF(_ text: String) -> Scrypt.Parameters? {
        let parts = text.split(separator: " ")
        guard parts.count == 4, parts[0] == "scrypt" else { return nil }
        var values: [String: UInt64] = [:]
        for part in parts.dropFirst() {
            let kv = part.split(separator: "=")
            guard kv.count == 2, let v = UInt64(kv[1]) else { return nil }
            values[String(kv[0])] = v
        }
        guard let n = values["n"], let r = values["r"], let p = values["p"] else { return nil }
        return Scrypt.Parameters(n: n, r: r, p: p)
    }

    // MARK: Files

    /// Writes the file at `path` with mode 0600. Refuses to overwrite an existing file, so a key is never lost by accident.
    public func write(toPath path: String) throws(CryptoError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            let reason = errno == EEXIST ? "already exists; move it away first (keys are never overwritten)" : String(cString: strerror(errno))
            throw .keyFileIO(path: path, reason: reason)
        }
        defer { close(fd) }
        // The umask may have narrowed the mode; make sure it is exactly 0600.
        fchmod(fd, 0o600)
        let bytes = Array(serialized.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { systemWrite(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw .keyFileIO(path: path, reason: String(cString: strerror(errno))) }
            offset += n
        }
        guard fsync(fd) == 0 else { throw .keyFileIO(path: path, reason: "fsync failed: \(String(cString: strerror(errno)))") }
    }

    /// Reads and parses the file at `path`.
    public static func read(fromPath path: String) throws(CryptoError) -> PassphraseKeyFile {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .keyFileIO(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if n < 0 { throw .keyFileIO(path: path, reason: String(cString: strerror(errno))) }
            if n == 0 { break }
            bytes += chunk[..<n]
            guard bytes.count < 1 << 20 else { throw .keyFileIO(path: path, reason: "larger than 1 MiB; not a key file") }
        }
        return try PassphraseKeyFile(parsing: String(decoding: bytes, as: UTF8.self))
    }
}

extension X25519.PrivateKey {
    /// This key wrapped under `passphrase`, identified by its public key id.
    public func wrapped(passphrase: String, parameters: Scrypt.Parameters = .keyFile) throws(CryptoError) -> PassphraseKeyFile {
        try .wrap(rawRepresentation, keyType: .x25519, keyID: publicKey.keyID, passphrase: passphrase, parameters: parameters)
    }

    /// Unwraps an X25519 key file.
    public init(keyFile: PassphraseKeyFile, passphrase: String) throws(CryptoError) {
        guard keyFile.keyType == .x25519 else {
            throw .unsupportedKeyFile(reason: "holds a \(keyFile.keyType.rawValue) key, not an x25519 key")
        }
        try self.init(rawRepresentation: keyFile.unwrap(passphrase: passphrase))
    }
}

extension Ed25519.PrivateKey {
    /// This key wrapped under `passphrase`, identified by its public key id.
    public func wrapped(passphrase: String, parameters: Scrypt.Parameters = .keyFile) throws(CryptoError) -> PassphraseKeyFile {
        try .wrap(rawRepresentation, keyType: .ed25519, keyID: publicKey.keyID, passphrase: passphrase, parameters: parameters)
    }

    /// Unwraps an Ed25519 key file.
    public init(keyFile: PassphraseKeyFile, passphrase: String) throws(CryptoError) {
        guard keyFile.keyType == .ed25519 else {
            throw .unsupportedKeyFile(reason: "holds a \(keyFile.keyType.rawValue) key, not an ed25519 key")
        }
        try self.init(rawRepresentation: keyFile.unwrap(passphrase: passphrase))
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed())
    }
}
