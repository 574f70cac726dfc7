import Foundation
public import LinkCrypto

/// Creating and loading the key files an agency keeps: the shared linkage key and its own signing key,
/// both passphrase-wrapped (mode 0600), and public keys as SPKI PEM.
public enum AgencyKeys {
    /// Makes a new linkage key and writes it wrapped to `path`. Refuses to overwrite.
    public static func createLinkageKey(
        at path: String, passphrase: String, parameters: Scrypt.Parameters = .keyFile
    ) throws(TokenisationError) -> LinkageKey {
        let key = LinkageKey.generate()
        try crypto { () throws(CryptoError) in try key.wrapped(passphrase: passphrase, parameters: parameters).write(toPath: path) }
        return key
    }

    /// Makes a new Ed25519 key, writes it wrapped to `path` and its public half to `publicPath`.
    public static func createSigningKey(
        at path: String, publicPath: String, passphrase: String, parameters: Scrypt.Parameters = .keyFile
    ) throws(TokenisationError) -> Ed25519.PrivateKey {
        let key = Ed25519.PrivateKey()
        try crypto { () throws(CryptoError) in try key.wrapped(passphrase: passphrase, parameters: parameters).write(toPath: path) }
        try writePublic(key.publicKey.pemRepresentation, to: publicPath)
        return key
    }

    /// Writes public PEM text, refusing to overwrite.
    public static func writePublic(_ pem: String, to path: String) throws(TokenisationError) {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw .io(path: path, reason: "already exists; move it away first")
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(pem.utf8), attributes: [.posixPermissions: 0o644]) else {
            throw .io(path: path, reason: "cannot be written; check the folder exists and is writable")
        }
    }

    /// Loads and unwraps the linkage key.
    public static func linkageKey(at path: String, passphrase: String) throws(TokenisationError) -> LinkageKey {
        try LinkageKey(keyFile: keyFile(path), passphrase: passphrase)
    }

    /// Loads and unwraps the agency's signing key.
    public static func signingKey(at path: String, passphrase: String) throws(TokenisationError) -> Ed25519.PrivateKey {
        let file = try keyFile(path)
        return try crypto { () throws(CryptoError) in try Ed25519.PrivateKey(keyFile: file, passphrase: passphrase) }
    }

    /// Reads an X25519 public key (the hub release key) from SPKI PEM.
    public static func hubReleaseKey(at path: String) throws(TokenisationError) -> X25519.PublicKey {
        let pem = try text(path)
        return try crypto { () throws(CryptoError) in try X25519.PublicKey(pemRepresentation: pem) }
    }

    /// Reads an Ed25519 public key (an agency's signing key) from SPKI PEM.
    public static func signingPublicKey(at path: String) throws(TokenisationError) -> Ed25519.PublicKey {
        let pem = try text(path)
        return try crypto { () throws(CryptoError) in try Ed25519.PublicKey(pemRepresentation: pem) }
    }

    static func crypto<T>(_ body: () throws(CryptoError) -> T) throws(TokenisationError) -> T {
        do { return try body() } catch { throw .crypto(error) }
    }

    private static func keyFile(_ path: String) throws(TokenisationError) -> PassphraseKeyFile {
        do { return try PassphraseKeyFile.read(fromPath: path) } catch { throw .crypto(error) }
    }

    private static func text(_ path: String) throws(TokenisationError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .io(path: path, reason: "cannot be read; check the path")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
