import COpenSSL

/// scrypt (RFC 7914) through libcrypto's `EVP_PBE_scrypt`: turns an operator's passphrase into a
/// key-wrapping key that is expensive to guess.
public enum Scrypt {
    /// Cost parameters. `n` must be a power of two greater than 1.
    public struct Parameters: Sendable, Hashable, Codable {
        /// CPU/memory cost (a power of two).
        public var n: UInt64
        /// Block size.
        public var r: UInt64
        /// Parallelism.
        public var p: UInt64

        /// Makes a parameter set; checked when used.
        public init(n: UInt64, r: UInt64, p: UInt64) {
            self.n = n
            self.r = r
            self.p = p
        }

        /// The default for key files: N = 2^17, r = 8, p = 1 (128 MiB, well under a second),
        /// OWASP's recommendation for scrypt in 2023.
        public static let keyFile = Parameters(n: 1 << 17, r: 8, p: 1)

        /// Memory the derivation needs: 128 · r · N bytes, plus 128 · r · p.
        public var memoryByteCount: UInt64 { 128 * r * n + 128 * r * p }
    }

    /// The largest memory this build lets scrypt use: 1.25 GiB, so that a hostile key file cannot
    /// exhaust the machine but RFC 7914's largest vector (1 GiB) still runs.
    public static let maximumMemoryByteCount: UInt64 = 1_342_177_280

    /// Derives `length` bytes from `passphrase` and `salt`.
    public static func deriveKey(
        passphrase: some Collection<UInt8>, salt: some Collection<UInt8>, parameters: Parameters, length: Int
    ) throws(CryptoError) -> SecureBytes {
        let p = parameters
        guard p.n > 1, p.n & (p.n - 1) == 0 else { throw .invalidParameters(reason: "scrypt N must be a power of two above 1") }
        guard p.r > 0, p.p > 0, p.r * p.p < (1 << 30) else { throw .invalidParameters(reason: "scrypt r·p must be below 2^30") }
        guard p.memoryByteCount <= maximumMemoryByteCount else {
            throw .invalidParameters(reason: "scrypt parameters need \(p.memoryByteCount) bytes, above the \(maximumMemoryByteCount)-byte limit")
        }
        guard length > 0 else { throw .invalidParameters(reason: "scrypt output length must be at least 1 byte") }
        let passphrase = Array(passphrase), salt = Array(salt)
        return try SecureBytes(count: length) { (out) throws(CryptoError) in
            let ok = passphrase.withUnsafeBytes { pass in
                salt.withUnsafeBytes { saltBytes in
                    EVP_PBE_scrypt(
                        UnsafeRawPointer(pass.nonNilBase).assumingMemoryBound(to: CChar.self), pass.count,
                        saltBytes.nonNilBase, saltBytes.count, p.n, p.r, p.p, maximumMemoryByteCount + 1,
                        out.baseAddress!.assumingMemoryBound(to: UInt8.self), length)
                }
            }
            guard ok == 1 else { throw openSSLError("EVP_PBE_scrypt") }
        }
    }
}
