import COpenSSL

/// An authenticated cipher with associated data: AES-128-GCM, AES-256-GCM or ChaCha20-Poly1305,
/// all with 96-bit nonces and 128-bit tags, through libcrypto's EVP_CIPHER.
///
/// mashlink uses AES-256-GCM for key files and HPKE's AEADs for sealed payloads. Other nonce and
/// tag sizes are refused on purpose: they are either weaker or unusual enough to be a mistake.
public struct AEAD: Sendable, Hashable {
    /// The algorithm's name, as libcrypto and the docs spell it.
    public let name: String
    /// Key length in bytes.
    public let keyByteCount: Int
    /// Nonce length in bytes (always 12).
    public let nonceByteCount = 12
    /// Tag length in bytes (always 16).
    public let tagByteCount = 16
    private let kind: Kind

    private enum Kind: Hashable { case aes128GCM, aes256GCM, chaCha20Poly1305 }

    private init(_ kind: Kind, name: String, keyByteCount: Int) {
        self.kind = kind
        self.name = name
        self.keyByteCount = keyByteCount
    }

    /// AES-128-GCM (HPKE AEAD id 0x0001).
    public static let aes128GCM = AEAD(.aes128GCM, name: "AES-128-GCM", keyByteCount: 16)
    /// AES-256-GCM (HPKE AEAD id 0x0002).
    public static let aes256GCM = AEAD(.aes256GCM, name: "AES-256-GCM", keyByteCount: 32)
    /// ChaCha20-Poly1305 (RFC 8439; HPKE AEAD id 0x0003).
    public static let chaCha20Poly1305 = AEAD(.chaCha20Poly1305, name: "ChaCha20-Poly1305", keyByteCount: 32)

    private var cipher: OpaquePointer {
        switch kind {
        case .aes128GCM: FetchedAlgorithms.shared.aes128GCM
        case .aes256GCM: FetchedAlgorithms.shared.aes256GCM
        case .chaCha20Poly1305: FetchedAlgorithms.shared.chaCha20Poly1305
        }
    }

    /// Encrypts and authenticates `plaintext`, authenticating `associatedData` too.
    /// Returns ciphertext followed by the 16-byte tag. Never reuse a nonce under one key.
    public func seal(
        _ plaintext: some Collection<UInt8>, key: SymmetricKey, nonce: some Collection<UInt8>,
        associatedData: some Collection<UInt8> = [UInt8]()
    ) throws(CryptoError) -> [UInt8] {
        try checkSizes(key: key, nonce: nonce.count)
        guard let ctx = EVP_CIPHER_CTX_new() else { throw openSSLError("EVP_CIPHER_CTX_new") }
        defer { EVP_CIPHER_CTX_free(ctx) }
        let nonce = Array(nonce)
        var output = [UInt8](repeating: 0, count: plaintext.count + tagByteCount)
        let cipher = cipher
        let tagByteCount = tagByteCount
        try key.bytes.withUnsafeBytes { (keyBytes) throws(CryptoError) in
            guard EVP_EncryptInit_ex2(ctx, cipher, keyBytes.nonNilBase, nonce, nil) == 1 else {
                throw openSSLError("EVP_EncryptInit_ex2")
            }
        }
        try withBytes(associatedData) { (aad) throws(CryptoError) in
            var ignored: Int32 = 0
            guard aad.isEmpty || EVP_EncryptUpdate(ctx, nil, &ignored, aad.nonNilBase, Int32(aad.count)) == 1 else {
                throw openSSLError("EVP_EncryptUpdate(aad)")
            }
        }
        try withBytes(plaintext) { (input) throws(CryptoError) in
            try output.withUnsafeMutableBufferPointer { (out) throws(CryptoError) in
                var written: Int32 = 0
                if !input.isEmpty {
                    guard EVP_EncryptUpdate(ctx, out.baseAddress, &written, input.nonNilBase, Int32(input.count)) == 1 else {
                        throw openSSLError("EVP_EncryptUpdate")
                    }
                }
                var finalWritten: Int32 = 0
                guard EVP_EncryptFinal_ex(ctx, out.baseAddress! + Int(written), &finalWritten) == 1 else {
                    throw openSSLError("EVP_EncryptFinal_ex")
                }
                guard EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, Int32(tagByteCount), out.baseAddress! + input.count) == 1 else {
                    throw openSSLError("EVP_CTRL_AEAD_GET_TAG")
                }
            }
        }
        return output
    }

    /// Checks the tag and decrypts `ciphertextAndTag` (as ``seal(_:key:nonce:associatedData:)`` made it).
    /// Throws ``CryptoError/truncatedCiphertext(minimum:actual:)`` if there is no room for a tag and
    /// ``CryptoError/authenticationFailed`` if anything was altered or the key is wrong.
    public func open(
        _ ciphertextAndTag: some Collection<UInt8>, key: SymmetricKey, nonce: some Collection<UInt8>,
        associatedData: some Collection<UInt8> = [UInt8]()
    ) throws(CryptoError) -> [UInt8] {
        try checkSizes(key: key, nonce: nonce.count)
        let sealed = Array(ciphertextAndTag)
        guard sealed.count >= tagByteCount else {
            throw .truncatedCiphertext(minimum: tagByteCount, actual: sealed.count)
        }
        guard let ctx = EVP_CIPHER_CTX_new() else { throw openSSLError("EVP_CIPHER_CTX_new") }
        defer { EVP_CIPHER_CTX_free(ctx) }
        let nonce = Array(nonce)
        let bodyCount = sealed.count - tagByteCount
        var tag = Array(sealed[bodyCount...])
        var plaintext = [UInt8](repeating: 0, count: bodyCount)
        let cipher = cipher
        try key.bytes.withUnsafeBytes { (keyBytes) throws(CryptoError) in
            guard EVP_DecryptInit_ex2(ctx, cipher, keyBytes.nonNilBase, nonce, nil) == 1 else {
                throw openSSLError("EVP_DecryptInit_ex2")
            }
        }
        try withBytes(associatedData) { (aad) throws(CryptoError) in
            var ignored: Int32 = 0
            guard aad.isEmpty || EVP_DecryptUpdate(ctx, nil, &ignored, aad.nonNilBase, Int32(aad.count)) == 1 else {
                throw openSSLError("EVP_DecryptUpdate(aad)")
            }
        }
        var written: Int32 = 0
        if bodyCount > 0 {
            let ok = sealed.withUnsafeBufferPointer { input in
                plaintext.withUnsafeMutableBufferPointer { out in
                    EVP_DecryptUpdate(ctx, out.baseAddress, &written, input.baseAddress, Int32(bodyCount))
                }
            }
            guard ok == 1 else { throw openSSLError("EVP_DecryptUpdate") }
        }
        guard EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, Int32(tagByteCount), &tag) == 1 else {
            throw openSSLError("EVP_CTRL_AEAD_SET_TAG")
        }
        var finalWritten: Int32 = 0
        // Final writes nothing for these stream-like modes; the scratch byte gives it a valid address.
        var scratch: UInt8 = 0
        let verified = EVP_DecryptFinal_ex(ctx, &scratch, &finalWritten)
        guard verified == 1 else {
            clearOpenSSLErrors()
            // Do not hand back unauthenticated plaintext, even partially.
            for i in plaintext.indices { plaintext[i] = 0 }
            throw .authenticationFailed
        }
        return plaintext
    }

    /// Seals with a fresh random nonce and returns `nonce ‖ ciphertext ‖ tag`, for stored data where
    /// a random nonce per message is safe (fewer than 2^32 messages per key).
    public func sealCombined(
        _ plaintext: some Collection<UInt8>, key: SymmetricKey, associatedData: some Collection<UInt8> = [UInt8]()
    ) throws(CryptoError) -> [UInt8] {
        let nonce = SecureRandom.bytes(count: nonceByteCount)
        return try nonce + seal(plaintext, key: key, nonce: nonce, associatedData: associatedData)
    }

    /// Opens `nonce ‖ ciphertext ‖ tag` as made by ``sealCombined(_:key:associatedData:)``.
    public func openCombined(
        _ combined: some Collection<UInt8>, key: SymmetricKey, associatedData: some Collection<UInt8> = [UInt8]()
    ) throws(CryptoError) -> [UInt8] {
        let combined = Array(combined)
        let minimum = nonceByteCount + tagByteCount
        guard combined.count >= minimum else { throw .truncatedCiphertext(minimum: minimum, actual: combined.count) }
        return try open(
            combined[nonceByteCount...], key: key, nonce: combined[..<nonceByteCount], associatedData: associatedData)
    }

    private func checkSizes(key: SymmetricKey, nonce: Int) throws(CryptoError) {
        guard key.count == keyByteCount else { throw .invalidKeySize(expected: keyByteCount, actual: key.count) }
        guard nonce == nonceByteCount else { throw .invalidNonceSize(expected: nonceByteCount, actual: nonce) }
    }
}
