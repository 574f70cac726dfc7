import COpenSSL

/// Owns one libcrypto `EVP_PKEY`. Keys are immutable once made and libcrypto allows concurrent
/// read-only use of one `EVP_PKEY` from several threads, so sharing it is safe.
final class EVPKey: @unchecked Sendable {
    enum Algorithm {
        case x25519, ed25519
        var nid: Int32 { self == .x25519 ? EVP_PKEY_X25519 : EVP_PKEY_ED25519 }
        var name: String { self == .x25519 ? "X25519" : "Ed25519" }
    }

    let pointer: OpaquePointer
    let algorithm: Algorithm

    private init(_ pointer: OpaquePointer, _ algorithm: Algorithm) {
        self.pointer = pointer
        self.algorithm = algorithm
    }

    deinit { EVP_PKEY_free(pointer) }

    static func generate(_ algorithm: Algorithm) -> EVPKey {
        guard let ctx = EVP_PKEY_CTX_new_id(algorithm.nid, nil) else { fatalError("EVP_PKEY_CTX_new_id failed") }
        defer { EVP_PKEY_CTX_free(ctx) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(ctx) == 1, EVP_PKEY_keygen(ctx, &key) == 1, let key else {
            fatalError("\(algorithm.name) key generation failed: \(openSSLError("EVP_PKEY_keygen"))")
        }
        return EVPKey(key, algorithm)
    }

    static func privateKey(_ algorithm: Algorithm, raw: SecureBytes) throws(CryptoError) -> EVPKey {
        guard raw.count == 32 else { throw .invalidKeySize(expected: 32, actual: raw.count) }
        let key = raw.withUnsafeBytes { EVP_PKEY_new_raw_private_key(algorithm.nid, nil, $0.nonNilBase, 32) }
        guard let key else { throw openSSLError("EVP_PKEY_new_raw_private_key") }
        return EVPKey(key, algorithm)
    }

    static func publicKey(_ algorithm: Algorithm, raw: some Collection<UInt8>) throws(CryptoError) -> EVPKey {
        guard raw.count == 32 else {
            throw .invalidPublicKey(reason: "\(algorithm.name) public keys are 32 bytes, this one is \(raw.count)")
        }
        let key = withBytes(raw) { EVP_PKEY_new_raw_public_key(algorithm.nid, nil, $0.nonNilBase, 32) }
        guard let key else {
            clearOpenSSLErrors()
            throw .invalidPublicKey(reason: "libcrypto refused the \(algorithm.name) public key")
        }
        return EVPKey(key, algorithm)
    }

    var rawPublic: [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var length = 32
        let ok = EVP_PKEY_get_raw_public_key(pointer, &out, &length)
        precondition(ok == 1 && length == 32, "EVP_PKEY_get_raw_public_key failed")
        return out
    }

    var rawPrivate: SecureBytes {
        // The key was made as a 32-byte private key, so reading it back cannot fail.
        try! SecureBytes(count: 32) { (out) throws(CryptoError) in
            var length = 32
            guard EVP_PKEY_get_raw_private_key(pointer, out.baseAddress!.assumingMemoryBound(to: UInt8.self), &length) == 1,
                  length == 32 else { throw openSSLError("EVP_PKEY_get_raw_private_key") }
        }
    }

    // MARK: PEM

    /// PKCS#8 `PRIVATE KEY` PEM (unencrypted; mashlink wraps private keys with ``PassphraseKeyFile`` at rest).
    var privatePEM: String {
        pem { bio in PEM_write_bio_PrivateKey(bio, pointer, nil, nil, 0, nil, nil) }
    }

    /// SubjectPublicKeyInfo `PUBLIC KEY` PEM.
    var publicPEM: String {
        pem { bio in PEM_write_bio_PUBKEY(bio, pointer) }
    }

    private func pem(_ write: (OpaquePointer) -> Int32) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { fatalError("BIO_new failed") }
        defer { BIO_free(bio) }
        precondition(write(bio) == 1, "PEM write failed: \(openSSLError("PEM_write"))")
        var data: UnsafeMutablePointer<CChar>?
        let length = mashlink_BIO_get_mem_data(bio, &data)
        guard let data, length > 0 else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
    }

    static func fromPEM(_ pem: String, algorithm: Algorithm, isPrivate: Bool) throws(CryptoError) -> EVPKey {
        let kind = isPrivate ? "PRIVATE KEY" : "PUBLIC KEY"
        guard pem.contains("-----BEGIN \(kind)-----") else {
            throw .malformedPEM(reason: "expected a '-----BEGIN \(kind)-----' block for an \(algorithm.name) key")
        }
        var bytes = Array(pem.utf8)
        let key: OpaquePointer? = bytes.withUnsafeMutableBytes { buffer in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return nil }
            defer { BIO_free(bio) }
            return isPrivate ? PEM_read_bio_PrivateKey(bio, nil, nil, nil) : PEM_read_bio_PUBKEY(bio, nil, nil, nil)
        }
        guard let key else {
            clearOpenSSLErrors()
            throw .malformedPEM(reason: "the \(kind) block is not valid base64 DER (truncated or corrupted)")
        }
        guard EVP_PKEY_get_id(key) == algorithm.nid else {
            EVP_PKEY_free(key)
            throw .malformedPEM(reason: "the \(kind) block holds a key of another algorithm, not \(algorithm.name)")
        }
        return EVPKey(key, algorithm)
    }
}
