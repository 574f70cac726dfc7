import COpenSSL

/// HKDF-SHA256 (RFC 5869) through libcrypto's EVP_KDF, with extract and expand as separate steps
/// (HPKE needs them apart) and together.
public enum HKDFSHA256 {
    /// The longest output HKDF-SHA256 can produce: 255 blocks of 32 bytes.
    public static let maximumOutputByteCount = 255 * 32

    /// HKDF-Extract: a 32-byte pseudorandom key from input keying material and an optional salt.
    public static func extract(salt: some Collection<UInt8>, inputKeyMaterial: SecureBytes) -> SymmetricKey {
        // Extract always yields exactly one digest of output, so it cannot hit the length limit.
        let prk = try! derive(mode: EVP_KDF_HKDF_MODE_EXTRACT_ONLY, key: inputKeyMaterial, salt: Array(salt), info: [], count: 32)
        return SymmetricKey(prk)
    }

    /// HKDF-Expand: `outputByteCount` bytes from a pseudorandom key and context `info`.
    public static func expand(
        pseudoRandomKey: SymmetricKey, info: some Collection<UInt8>, outputByteCount: Int
    ) throws(CryptoError) -> SecureBytes {
        try derive(mode: EVP_KDF_HKDF_MODE_EXPAND_ONLY, key: pseudoRandomKey.bytes, salt: [], info: Array(info), count: outputByteCount)
    }

    /// Extract then expand: the usual way to turn a master secret into a purpose-bound subkey.
    public static func deriveKey(
        inputKeyMaterial: SecureBytes, salt: some Collection<UInt8>, info: some Collection<UInt8>, outputByteCount: Int
    ) throws(CryptoError) -> SymmetricKey {
        SymmetricKey(try derive(
            mode: EVP_KDF_HKDF_MODE_EXTRACT_AND_EXPAND, key: inputKeyMaterial, salt: Array(salt), info: Array(info),
            count: outputByteCount))
    }

    private static func derive(
        mode: Int32, key: SecureBytes, salt: [UInt8], info: [UInt8], count: Int
    ) throws(CryptoError) -> SecureBytes {
        if mode != EVP_KDF_HKDF_MODE_EXTRACT_ONLY {
            guard count <= maximumOutputByteCount else {
                throw .outputTooLong(maximum: maximumOutputByteCount, requested: count)
            }
        }
        guard count > 0 else { throw .invalidParameters(reason: "HKDF output length must be at least 1 byte") }
        guard let ctx = EVP_KDF_CTX_new(FetchedAlgorithms.shared.hkdf) else { throw openSSLError("EVP_KDF_CTX_new") }
        defer { EVP_KDF_CTX_free(ctx) }
        var mode = mode
        let ok: Int32 = withUnsafeMutablePointer(to: &mode) { modePointer in
            key.withUnsafeBytes { keyBytes in
                salt.withUnsafeBytes { saltBytes in
                    info.withUnsafeBytes { infoBytes in
                        var params: [OSSL_PARAM] = [
                            mashlink_param_hkdf_mode(modePointer),
                            mashlink_param_digest_sha256(),
                            // libcrypto wants a key even when it is empty (RFC 5869 allows an empty IKM).
                            mashlink_param_hkdf_key(keyBytes.nonNilBase, keyBytes.count),
                        ]
                        if !saltBytes.isEmpty { params.append(mashlink_param_hkdf_salt(saltBytes.nonNilBase, saltBytes.count)) }
                        if !infoBytes.isEmpty { params.append(mashlink_param_hkdf_info(infoBytes.nonNilBase, infoBytes.count)) }
                        params.append(OSSL_PARAM_construct_end())
                        return params.withUnsafeBufferPointer { EVP_KDF_CTX_set_params(ctx, $0.baseAddress) }
                    }
                }
            }
        }
        guard ok == 1 else { throw openSSLError("EVP_KDF_CTX_set_params") }
        return try SecureBytes(count: count) { (out) throws(CryptoError) in
            guard EVP_KDF_derive(ctx, out.baseAddress!.assumingMemoryBound(to: UInt8.self), count, nil) == 1 else {
                throw openSSLError("EVP_KDF_derive")
            }
        }
    }
}
