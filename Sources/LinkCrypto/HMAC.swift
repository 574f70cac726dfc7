import COpenSSL

/// HMAC-SHA256 (RFC 2104) through libcrypto's EVP_MAC.
///
/// For one message, ``authenticationCode(for:using:)``. For many messages under one key
/// (tokenising a million records), make a ``HMACSHA256Context`` once and reuse it: it keeps
/// the keyed inner and outer hash states, so each message costs only its own compression.
public enum HMACSHA256 {
    /// Tag length in bytes.
    public static let byteCount = 32

    /// The HMAC-SHA256 of `message` under `key`, set up afresh for this one call.
    public static func authenticationCode(for message: some Collection<UInt8>, using key: SymmetricKey) -> [UInt8] {
        HMACSHA256Context(key: key).authenticationCode(for: message)
    }

    /// True if `code` is the full 32-byte HMAC-SHA256 of `message` under `key`; compared in constant time.
    public static func isValidAuthenticationCode(
        _ code: some Collection<UInt8>, for message: some Collection<UInt8>, using key: SymmetricKey
    ) -> Bool {
        ConstantTime.equal(authenticationCode(for: message, using: key), code)
    }
}

/// A keyed HMAC-SHA256 context for hashing many messages under one key.
///
/// Keyed once; each call restarts from the precomputed inner/outer states that libcrypto keeps
/// (`EVP_MAC_init` with no key). A context is mutable state, so it is not `Sendable`: give each
/// task its own (``HMACSHA256Context/init(key:)`` is cheap next to the work it saves).
public final class HMACSHA256Context {
    private let context: OpaquePointer

    /// Keys a new context with `key` (any length; HMAC hashes keys longer than a block).
    public init(key: SymmetricKey) {
        guard let ctx = EVP_MAC_CTX_new(FetchedAlgorithms.shared.hmac) else {
            fatalError("EVP_MAC_CTX_new failed: \(openSSLError("EVP_MAC_CTX_new"))")
        }
        context = ctx
        let ok = key.bytes.withUnsafeBytes { keyBytes in
            mashlink_param_digest_sha256().withParams { params in EVP_MAC_init(ctx, keyBytes.nonNilBase, keyBytes.count, params) }
        }
        precondition(ok == 1, "EVP_MAC_init failed: \(openSSLError("EVP_MAC_init"))")
    }

    deinit { EVP_MAC_CTX_free(context) }

    /// The HMAC-SHA256 of `message` under this context's key.
    public func authenticationCode(for message: some Collection<UInt8>) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: HMACSHA256.byteCount)
        out.withUnsafeMutableBytes { authenticate(message, into: $0) }
        return out
    }

    /// Writes the HMAC-SHA256 of `message` into `output` (at least 32 bytes), avoiding an allocation per call.
    public func authenticate(_ message: some Collection<UInt8>, into output: UnsafeMutableRawBufferPointer) {
        withBytes(message) { authenticate(raw: $0, into: output) }
    }

    /// The same for an array: a concrete overload, so the tokenising hot path pays no generic dispatch.
    public func authenticate(_ message: [UInt8], into output: UnsafeMutableRawBufferPointer) {
        message.withUnsafeBytes { authenticate(raw: $0, into: output) }
    }

    /// The HMAC-SHA256 of the UTF-8 bytes of `string`.
    public func authenticationCode(for string: String) -> [UInt8] {
        var string = string
        var out = [UInt8](repeating: 0, count: HMACSHA256.byteCount)
        string.withUTF8 { utf8 in out.withUnsafeMutableBytes { authenticate(raw: UnsafeRawBufferPointer(utf8), into: $0) } }
        return out
    }

    private func authenticate(raw input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        precondition(output.count >= HMACSHA256.byteCount, "HMAC output buffer shorter than 32 bytes")
        var written = 0
        // A nil key restarts from the keyed state; none of these can fail on a keyed context.
        let ok = EVP_MAC_init(context, nil, 0, nil) == 1
            && EVP_MAC_update(context, input.nonNilBase, input.count) == 1
            && EVP_MAC_final(context, output.baseAddress!.assumingMemoryBound(to: UInt8.self), &written, output.count) == 1
        precondition(ok && written == HMACSHA256.byteCount, "HMAC failed: \(openSSLError("EVP_MAC"))")
    }
}

extension OSSL_PARAM {
    /// Calls `body` with a two-element, end-terminated parameter list holding `self`.
    func withParams<R>(_ body: (UnsafePointer<OSSL_PARAM>) -> R) -> R {
        let list = [self, OSSL_PARAM_construct_end()]
        return list.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
