import COpenSSL

/// X25519 Diffie-Hellman (RFC 7748): the hub release key that agencies seal payloads to.
public enum X25519 {
    /// An X25519 private key.
    public struct PrivateKey: Sendable {
        let key: EVPKey

        /// A new random key.
        public init() { key = .generate(.x25519) }

        /// A key from its 32 raw bytes (RFC 7748 scalar; clamping is applied by the algorithm).
        public init(rawRepresentation: SecureBytes) throws(CryptoError) {
            key = try .privateKey(.x25519, raw: rawRepresentation)
        }

        /// A key from a PKCS#8 `PRIVATE KEY` PEM block.
        public init(pemRepresentation: String) throws(CryptoError) {
            key = try .fromPEM(pemRepresentation, algorithm: .x25519, isPrivate: true)
        }

        /// The 32 raw private bytes.
        public var rawRepresentation: SecureBytes { key.rawPrivate }
        /// PKCS#8 `PRIVATE KEY` PEM. Store it only wrapped (see ``PassphraseKeyFile``).
        public var pemRepresentation: String { key.privatePEM }
        /// The matching public key.
        public var publicKey: PublicKey { PublicKey(unchecked: key.rawPublic) }

        /// The raw X25519 shared secret with `peer`. Refuses a low-order peer key whose result
        /// would be all zeros (RFC 7748 section 6.1 allows the check; mashlink requires it).
        public func sharedSecret(with peer: PublicKey) throws(CryptoError) -> SecureBytes {
            let peerKey = try EVPKey.publicKey(.x25519, raw: peer.rawRepresentation)
            guard let ctx = EVP_PKEY_CTX_new(key.pointer, nil) else { throw openSSLError("EVP_PKEY_CTX_new") }
            defer { EVP_PKEY_CTX_free(ctx) }
            guard EVP_PKEY_derive_init(ctx) == 1 else { throw openSSLError("EVP_PKEY_derive_init") }
            guard EVP_PKEY_derive_set_peer(ctx, peerKey.pointer) == 1 else {
                clearOpenSSLErrors()
                throw .invalidPublicKey(reason: "libcrypto refused the X25519 peer key")
            }
            return try SecureBytes(count: 32) { (out) throws(CryptoError) in
                var length = 32
                guard EVP_PKEY_derive(ctx, out.baseAddress!.assumingMemoryBound(to: UInt8.self), &length) == 1, length == 32 else {
                    clearOpenSSLErrors()
                    throw .invalidPublicKey(reason: "low-order X25519 point: the shared secret would be all zeros")
                }
            }
        }
    }

    /// An X25519 public key.
    public struct PublicKey: Sendable, Hashable {
        /// The 32 raw bytes (RFC 7748 u-coordinate).
        public let rawRepresentation: [UInt8]

        init(unchecked raw: [UInt8]) { rawRepresentation = raw }

        /// A key from its 32 raw bytes.
        public init(rawRepresentation: some Collection<UInt8>) throws(CryptoError) {
            _ = try EVPKey.publicKey(.x25519, raw: rawRepresentation)
            self.rawRepresentation = Array(rawRepresentation)
        }

        /// A key from a SubjectPublicKeyInfo `PUBLIC KEY` PEM block.
        public init(pemRepresentation: String) throws(CryptoError) {
            rawRepresentation = try EVPKey.fromPEM(pemRepresentation, algorithm: .x25519, isPrivate: false).rawPublic
        }

        /// SubjectPublicKeyInfo `PUBLIC KEY` PEM.
        public var pemRepresentation: String {
            // The raw bytes were checked when this value was made.
            try! EVPKey.publicKey(.x25519, raw: rawRepresentation).publicPEM
        }

        /// A short identifier: hex of the first 8 bytes of SHA-256 over the raw key.
        public var keyID: String { KeyID.of(rawRepresentation) }
    }
}

/// Ed25519 signatures (RFC 8032, pure mode): agency batch signatures and the hub's log checkpoints.
public enum Ed25519 {
    /// Signature length in bytes.
    public static let signatureByteCount = 64

    /// An Ed25519 private (signing) key.
    public struct PrivateKey: Sendable {
        let key: EVPKey

        /// A new random key.
        public init() { key = .generate(.ed25519) }

        /// A key from its 32-byte seed.
        public init(rawRepresentation: SecureBytes) throws(CryptoError) {
            key = try .privateKey(.ed25519, raw: rawRepresentation)
        }

        /// A key from a PKCS#8 `PRIVATE KEY` PEM block.
        public init(pemRepresentation: String) throws(CryptoError) {
            key = try .fromPEM(pemRepresentation, algorithm: .ed25519, isPrivate: true)
        }

        /// The 32-byte seed.
        public var rawRepresentation: SecureBytes { key.rawPrivate }
        /// PKCS#8 `PRIVATE KEY` PEM. Store it only wrapped (see ``PassphraseKeyFile``).
        public var pemRepresentation: String { key.privatePEM }
        /// The matching public key.
        public var publicKey: PublicKey { PublicKey(unchecked: key.rawPublic) }

        /// The deterministic 64-byte signature of `message`.
        public func signature(for message: some Collection<UInt8>) -> [UInt8] {
            guard let ctx = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new failed") }
            defer { EVP_MD_CTX_free(ctx) }
            var signature = [UInt8](repeating: 0, count: Ed25519.signatureByteCount)
            var length = signature.count
            let ok = withBytes(message) { input in
                EVP_DigestSignInit(ctx, nil, nil, nil, key.pointer) == 1
                    && EVP_DigestSign(ctx, &signature, &length, input.nonNilBase, input.count) == 1
            }
            // Signing with a valid key into a 64-byte buffer cannot fail short of memory exhaustion.
            precondition(ok && length == Ed25519.signatureByteCount, "Ed25519 signing failed: \(openSSLError("EVP_DigestSign"))")
            return signature
        }
    }

    /// An Ed25519 public (verification) key.
    public struct PublicKey: Sendable, Hashable {
        /// The 32 raw bytes.
        public let rawRepresentation: [UInt8]
        private let key: EVPKey

        init(unchecked raw: [UInt8]) {
            rawRepresentation = raw
            key = try! EVPKey.publicKey(.ed25519, raw: raw)
        }

        /// A key from its 32 raw bytes.
        public init(rawRepresentation: some Collection<UInt8>) throws(CryptoError) {
            key = try EVPKey.publicKey(.ed25519, raw: rawRepresentation)
            self.rawRepresentation = Array(rawRepresentation)
        }

        /// A key from a SubjectPublicKeyInfo `PUBLIC KEY` PEM block.
        public init(pemRepresentation: String) throws(CryptoError) {
            key = try EVPKey.fromPEM(pemRepresentation, algorithm: .ed25519, isPrivate: false)
            rawRepresentation = key.rawPublic
        }

        /// SubjectPublicKeyInfo `PUBLIC KEY` PEM.
        public var pemRepresentation: String { key.publicPEM }

        /// A short identifier: hex of the first 8 bytes of SHA-256 over the raw key.
        public var keyID: String { KeyID.of(rawRepresentation) }

        /// True only if `signature` is a valid, canonical signature of `message` under this key
        /// (libcrypto refuses s ≥ L and non-canonical points).
        public func isValidSignature(_ signature: some Collection<UInt8>, for message: some Collection<UInt8>) -> Bool {
            guard signature.count == Ed25519.signatureByteCount else { return false }
            guard let ctx = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new failed") }
            defer { EVP_MD_CTX_free(ctx) }
            let signature = Array(signature)
            let ok = withBytes(message) { input in
                EVP_DigestVerifyInit(ctx, nil, nil, nil, key.pointer) == 1
                    && EVP_DigestVerify(ctx, signature, signature.count, input.nonNilBase, input.count) == 1
            }
            if !ok { clearOpenSSLErrors() }
            return ok
        }

        public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool { lhs.rawRepresentation == rhs.rawRepresentation }
        public func hash(into hasher: inout Hasher) { hasher.combine(rawRepresentation) }
    }
}

/// Short, stable identifiers for public keys and other public values.
public enum KeyID {
    /// Lower-case hex of the first 8 bytes of SHA-256 over `bytes`.
    public static func of(_ bytes: some Collection<UInt8>) -> String {
        Hex.encode(SHA256.hash(bytes).prefix(8))
    }
}

/// Lower-case hexadecimal.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// `bytes` as lower-case hex.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of a hex string (either case), or nil if it is not hex of even length.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(chars.count / 2)
        var i = 0
        while i < chars.count {
            guard let hi = nibble(chars[i]), let lo = nibble(chars[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
