import Foundation
public import LinkCrypto

/// Password hashing with scrypt (RFC 7914, through OpenSSL), in a self-describing text form
/// `scrypt$N$r$p$SALT$HASH` (salt and hash base64) so parameters can be raised later without
/// invalidating stored hashes.
public struct PasswordHasher: Sendable {
    /// The parameters new hashes use.
    public let parameters: Scrypt.Parameters

    /// Production parameters: N = 2^15, r = 8, p = 1 (32 MiB, about a tenth of a second here),
    /// OWASP's scrypt recommendation for interactive logins.
    public static let interactive = Scrypt.Parameters(n: 1 << 15, r: 8, p: 1)

    /// Makes a hasher.
    public init(parameters: Scrypt.Parameters = PasswordHasher.interactive) { self.parameters = parameters }

    /// The shortest password accepted (NCSC guidance: length over complexity rules).
    public static let minimumLength = 12

    /// Hashes `password` with a fresh salt. Refuses a password shorter than ``minimumLength``.
    public func hash(_ password: String) throws(WorkflowError) -> String {
        guard password.count >= Self.minimumLength else { throw .weakPassword(minimum: Self.minimumLength) }
        let salt = SecureRandom.bytes(count: 16)
        let derived = try derive(password, salt: salt, parameters: parameters)
        return ["scrypt", String(parameters.n), String(parameters.r), String(parameters.p), Data(salt).base64EncodedString(), Data(derived).base64EncodedString()]
            .joined(separator: "$")
    }

    /// True when `password` is the one `stored` was made from (compared in constant time).
    public func verify(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "scrypt", let n = UInt64(parts[1]), let r = UInt64(parts[2]), let p = UInt64(parts[3]),
              let salt = Data(base64Encoded: String(parts[4])), let expected = Data(base64Encoded: String(parts[5])), expected.count == 32
        else { return false }
        guard let derived = try? derive(password, salt: Array(salt), parameters: Scrypt.Parameters(n: n, r: r, p: p)) else { return false }
        return ConstantTime.equal(derived, expected)
    }

    private func derive(_ password: String, salt: [UInt8], parameters: Scrypt.Parameters) throws(WorkflowError) -> [UInt8] {
        do {
            let key = try Scrypt.deriveKey(passphrase: Array(password.utf8), salt: salt, parameters: parameters, length: 32)
            return key.unprotectedBytes
        } catch { throw .crypto(error.description) }
    }
}
