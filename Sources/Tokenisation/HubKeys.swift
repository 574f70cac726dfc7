import Foundation
public import LinkCrypto

/// The hub's own keys (DESIGN.md section 3): the X25519 release key agencies seal payloads to, and
/// the Ed25519 log key that signs disclosure-log tree heads. Private halves are passphrase-wrapped
/// (mode 0600); public halves are SPKI PEM, for agencies and the DPO.
public enum HubKeys {
    /// File names inside the hub's key folder.
    public static let releaseKey = "hub-release.key", releasePublic = "hub-release.pub.pem"
    /// See ``releaseKey``.
    public static let logKey = "hub-log.key", logPublic = "hub-log.pub.pem"

    /// Makes both key pairs in `directory` (created if needed). Refuses to overwrite any key file.
    public static func create(
        in directory: String, passphrase: String, parameters: Scrypt.Parameters = .keyFile
    ) throws(TokenisationError) -> (release: X25519.PublicKey, log: Ed25519.PublicKey) {
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw .io(path: directory, reason: "cannot be created; check the parent folder is writable")
        }
        func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
        for name in [releaseKey, releasePublic, logKey, logPublic] where FileManager.default.fileExists(atPath: path(name)) {
            throw .io(path: path(name), reason: "already exists: this hub already has keys; move them away only if you mean to replace them")
        }
        let release = X25519.PrivateKey(), log = Ed25519.PrivateKey()
        try AgencyKeys.crypto { () throws(CryptoError) in
            try release.wrapped(passphrase: passphrase, parameters: parameters).write(toPath: path(releaseKey))
            try log.wrapped(passphrase: passphrase, parameters: parameters).write(toPath: path(logKey))
        }
        try AgencyKeys.writePublic(release.publicKey.pemRepresentation, to: path(releasePublic))
        try AgencyKeys.writePublic(log.publicKey.pemRepresentation, to: path(logPublic))
        return (release.publicKey, log.publicKey)
    }

    /// The hub's release key (private), unwrapped from `directory` with `passphrase`.
    public static func releaseKey(in directory: String, passphrase: String) throws(TokenisationError) -> X25519.PrivateKey {
        let path = (directory as NSString).appendingPathComponent(releaseKey)
        return try AgencyKeys.crypto { () throws(CryptoError) in try X25519.PrivateKey(keyFile: try PassphraseKeyFile.read(fromPath: path), passphrase: passphrase) }
    }

    /// The hub's log key (private), unwrapped from `directory` with `passphrase`.
    public static func logKey(in directory: String, passphrase: String) throws(TokenisationError) -> Ed25519.PrivateKey {
        let path = (directory as NSString).appendingPathComponent(logKey)
        return try AgencyKeys.crypto { () throws(CryptoError) in try Ed25519.PrivateKey(keyFile: try PassphraseKeyFile.read(fromPath: path), passphrase: passphrase) }
    }
}
