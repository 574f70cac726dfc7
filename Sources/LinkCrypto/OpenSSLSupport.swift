import COpenSSL

/// Drains libcrypto's thread-local error queue into a ``CryptoError``.
///
/// Every failed libcrypto call leaves entries on the queue; leaving them there would
/// attach stale errors to a later, unrelated failure.
func openSSLError(_ operation: String) -> CryptoError {
    var detail: [String] = []
    while true {
        let code = ERR_get_error()
        if code == 0 { break }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        detail.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
    return .openSSL(operation: operation, detail: detail.isEmpty ? "no detail from libcrypto" : detail.joined(separator: "; "))
}

/// Clears the error queue after a failure that is reported as a more specific ``CryptoError``.
func clearOpenSSLErrors() {
    ERR_clear_error()
}

/// An algorithm fetched once from the default provider and shared: fetched algorithm
/// objects are immutable and reference counted, so sharing them across threads is safe.
final class FetchedAlgorithms: @unchecked Sendable {
    static let shared = FetchedAlgorithms()

    let hmac: OpaquePointer
    let hkdf: OpaquePointer
    let sha256: OpaquePointer
    let aes128GCM: OpaquePointer
    let aes256GCM: OpaquePointer
    let chaCha20Poly1305: OpaquePointer
    let aes256CTR: OpaquePointer

    private init() {
        guard let hmac = EVP_MAC_fetch(nil, "HMAC", nil),
              let hkdf = EVP_KDF_fetch(nil, "HKDF", nil),
              let sha256 = EVP_MD_fetch(nil, "SHA256", nil),
              let aes128GCM = EVP_CIPHER_fetch(nil, "AES-128-GCM", nil),
              let aes256GCM = EVP_CIPHER_fetch(nil, "AES-256-GCM", nil),
              let chaCha = EVP_CIPHER_fetch(nil, "ChaCha20-Poly1305", nil),
              let aes256CTR = EVP_CIPHER_fetch(nil, "AES-256-CTR", nil)
        else {
            // Without these the default provider is broken: nothing in mashlink can work.
            fatalError("libcrypto's default provider lacks HMAC, HKDF, SHA256, AES-GCM, AES-CTR or ChaCha20-Poly1305: \(openSSLError("fetch"))")
        }
        self.hmac = hmac
        self.hkdf = hkdf
        self.sha256 = sha256
        self.aes128GCM = aes128GCM
        self.aes256GCM = aes256GCM
        self.chaCha20Poly1305 = chaCha
        self.aes256CTR = aes256CTR
    }
}

/// The libcrypto this process runs with, for benchmark and diagnostic output.
public enum OpenSSLVersion {
    /// For example "OpenSSL 3.0.19 27 Jan 2026".
    public static var text: String { String(cString: OpenSSL_version(OPENSSL_VERSION)) }
}
