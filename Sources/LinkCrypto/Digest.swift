import COpenSSL

/// SHA-256 (FIPS 180-4) through libcrypto: content digests, key identifiers, Merkle tree hashing.
public enum SHA256 {
    /// Digest length in bytes.
    public static let byteCount = 32

    /// The SHA-256 digest of `data`.
    public static func hash(_ data: some Collection<UInt8>) -> [UInt8] {
        withBytes(data) { input in
            var out = [UInt8](repeating: 0, count: byteCount)
            var outLength: UInt32 = 0
            let ok = out.withUnsafeMutableBufferPointer {
                EVP_Digest(input.nonNilBase, input.count, $0.baseAddress, &outLength, FetchedAlgorithms.shared.sha256, nil)
            }
            // SHA-256 of in-memory data cannot fail short of memory exhaustion.
            precondition(ok == 1 && outLength == byteCount, "EVP_Digest failed: \(openSSLError("EVP_Digest"))")
            return out
        }
    }

    /// Streaming SHA-256 for data that does not fit in memory at once (batch files).
    /// Mutable state, so not `Sendable`; ``finalize()`` may be called once.
    public final class Hasher {
        private let context: OpaquePointer
        private var finalized = false

        /// Starts a new digest.
        public init() {
            guard let ctx = EVP_MD_CTX_new(), EVP_DigestInit_ex2(ctx, FetchedAlgorithms.shared.sha256, nil) == 1 else {
                fatalError("EVP_DigestInit_ex2 failed: \(openSSLError("EVP_DigestInit_ex2"))")
            }
            context = ctx
        }

        /// Adds `data` to the digest.
        public func update(_ data: some Collection<UInt8>) {
            precondition(!finalized, "SHA256.Hasher used after finalize()")
            withBytes(data) { input in
                precondition(EVP_DigestUpdate(context, input.nonNilBase, input.count) == 1, "EVP_DigestUpdate failed")
            }
        }

        /// Finishes the digest. The hasher cannot be used afterwards.
        public func finalize() -> [UInt8] {
            precondition(!finalized, "SHA256.Hasher finalized twice")
            finalized = true
            var out = [UInt8](repeating: 0, count: SHA256.byteCount)
            var outLength: UInt32 = 0
            let ok = out.withUnsafeMutableBufferPointer { EVP_DigestFinal_ex(context, $0.baseAddress, &outLength) }
            precondition(ok == 1, "EVP_DigestFinal_ex failed")
            return out
        }

        deinit { EVP_MD_CTX_free(context) }
    }
}
