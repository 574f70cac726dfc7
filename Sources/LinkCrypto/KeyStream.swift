import COpenSSL

/// Deterministic pseudo-random bytes under a secret key: AES-256 in counter mode (NIST SP 800-38A)
/// run over zeros, through libcrypto's EVP_CIPHER.
///
/// For randomness that must be the same each time and unpredictable without the key (BLIP's bit
/// flips), where an HMAC per 32 bytes would cost a hundred times more. It is not encryption: it
/// authenticates nothing, and one key must serve one stream (derive a fresh key per use).
public enum KeyStream {
    /// `count` bytes of AES-256-CTR keystream under `key` (32 bytes), starting at the 16-byte
    /// `counterBlock` (incremented as a 128-bit big-endian number, as SP 800-38A and libcrypto do).
    public static func aes256CTR(key: SymmetricKey, counterBlock: [UInt8] = [UInt8](repeating: 0, count: 16), count: Int) throws(CryptoError) -> [UInt8] {
        guard key.bytes.count == 32 else { throw .invalidKeySize(expected: 32, actual: key.bytes.count) }
        guard counterBlock.count == 16 else { throw .invalidNonceSize(expected: 16, actual: counterBlock.count) }
        guard count > 0 else { return [] }
        guard let ctx = EVP_CIPHER_CTX_new() else { throw openSSLError("EVP_CIPHER_CTX_new") }
        defer { EVP_CIPHER_CTX_free(ctx) }
        try key.bytes.withUnsafeBytes { (keyBytes) throws(CryptoError) in
            guard EVP_EncryptInit_ex2(ctx, FetchedAlgorithms.shared.aes256CTR, keyBytes.nonNilBase, counterBlock, nil) == 1 else {
                throw openSSLError("EVP_EncryptInit_ex2")
            }
        }
        let zeros = [UInt8](repeating: 0, count: count)
        var output = [UInt8](repeating: 0, count: count)
        try output.withUnsafeMutableBufferPointer { (out) throws(CryptoError) in
            var written: Int32 = 0
            guard EVP_EncryptUpdate(ctx, out.baseAddress, &written, zeros, Int32(count)) == 1, Int(written) == count else {
                throw openSSLError("EVP_EncryptUpdate")
            }
        }
        return output
    }
}
