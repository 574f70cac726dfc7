/// Hybrid Public Key Encryption, RFC 9180, with DHKEM(X25519, HKDF-SHA256) and HKDF-SHA256,
/// composed from libcrypto's X25519, HKDF and AEAD (the system's OpenSSL 3.0 has no HPKE of its own).
///
/// Agencies seal each payload tier to the hub's release key in base mode, or in auth mode to
/// bind the agency's own X25519 key. Only the modes mashlink needs are offered: base and auth.
public enum HPKE {
    /// The KEM, fixed to DHKEM(X25519, HKDF-SHA256) (0x0020).
    public static let kemID: UInt16 = 0x0020
    /// The KDF, fixed to HKDF-SHA256 (0x0001).
    public static let kdfID: UInt16 = 0x0001
    /// Length of the encapsulated key (an X25519 public key).
    public static let encapsulatedKeyByteCount = 32

    /// An HPKE cipher suite: the AEAD varies, KEM and KDF are fixed.
    public struct CipherSuite: Sendable, Hashable {
        /// The AEAD used for the payload.
        public let aead: AEAD
        /// The RFC 9180 AEAD identifier.
        public let aeadID: UInt16

        /// DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM.
        public static let x25519SHA256AES128GCM = CipherSuite(aead: .aes128GCM, aeadID: 0x0001)
        /// DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM.
        public static let x25519SHA256AES256GCM = CipherSuite(aead: .aes256GCM, aeadID: 0x0002)
        /// DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305.
        public static let x25519SHA256ChaChaPoly = CipherSuite(aead: .chaCha20Poly1305, aeadID: 0x0003)

        /// The suite with the given RFC 9180 AEAD id, if supported.
        public init?(aeadID: UInt16) {
            switch aeadID {
            case 0x0001: self = .x25519SHA256AES128GCM
            case 0x0002: self = .x25519SHA256AES256GCM
            case 0x0003: self = .x25519SHA256ChaChaPoly
            default: return nil
            }
        }

        private init(aead: AEAD, aeadID: UInt16) {
            self.aead = aead
            self.aeadID = aeadID
        }

        var suiteID: [UInt8] { Array("HPKE".utf8) + bigEndian(kemID) + bigEndian(kdfID) + bigEndian(aeadID) }
    }

    /// RFC 9180 modes. PSK modes are not offered: mashlink has no pre-shared keys to put in them.
    public enum Mode: UInt8, Sendable {
        /// Anyone holding the recipient's public key can seal.
        case base = 0x00
        /// The sender also authenticates with its own X25519 key.
        case auth = 0x02
    }

    // MARK: Single-shot

    /// Seals one message to `recipient`: returns the encapsulated key and the ciphertext (with tag).
    /// Pass `sender` to use auth mode.
    public static func seal(
        _ plaintext: some Collection<UInt8>, to recipient: X25519.PublicKey, suite: CipherSuite,
        info: some Collection<UInt8> = [UInt8](), associatedData: some Collection<UInt8> = [UInt8](),
        sender: X25519.PrivateKey? = nil
    ) throws(CryptoError) -> (encapsulatedKey: [UInt8], ciphertext: [UInt8]) {
        var context = try Sender(recipient: recipient, suite: suite, info: info, sender: sender)
        return (context.encapsulatedKey, try context.seal(plaintext, associatedData: associatedData))
    }

    /// Opens one message sealed by ``seal(_:to:suite:info:associatedData:sender:)``.
    /// Pass the sender's public key for auth mode.
    public static func open(
        _ ciphertext: some Collection<UInt8>, encapsulatedKey: some Collection<UInt8>,
        recipient: X25519.PrivateKey, suite: CipherSuite, info: some Collection<UInt8> = [UInt8](),
        associatedData: some Collection<UInt8> = [UInt8](), sender: X25519.PublicKey? = nil
    ) throws(CryptoError) -> [UInt8] {
        var context = try Recipient(
            encapsulatedKey: encapsulatedKey, recipient: recipient, suite: suite, info: info, sender: sender)
        return try context.open(ciphertext, associatedData: associatedData)
    }

    // MARK: Contexts

    /// The sender's side of an HPKE context: seals several messages in order under one encapsulation.
    public struct Sender: Sendable {
        /// Send this with the ciphertexts; the recipient needs it to set up its context.
        public let encapsulatedKey: [UInt8]
        private var schedule: KeySchedule

        /// Sets up a context to `recipient`, in auth mode if `sender` is given.
        public init(
            recipient: X25519.PublicKey, suite: CipherSuite, info: some Collection<UInt8> = [UInt8](),
            sender: X25519.PrivateKey? = nil
        ) throws(CryptoError) {
            try self.init(recipient: recipient, suite: suite, info: info, sender: sender, ephemeral: X25519.PrivateKey())
        }

        /// Deterministic set-up from a given ephemeral key: for known-answer tests only.
        init(
            recipient: X25519.PublicKey, suite: CipherSuite, info: some Collection<UInt8>, sender: X25519.PrivateKey?,
            ephemeral: X25519.PrivateKey
        ) throws(CryptoError) {
            let enc = ephemeral.publicKey.rawRepresentation
            var dh = try ephemeral.sharedSecret(with: recipient).unprotectedBytes
            var kemContext = enc + recipient.rawRepresentation
            if let sender {
                dh += try sender.sharedSecret(with: recipient).unprotectedBytes
                kemContext += sender.publicKey.rawRepresentation
            }
            let shared = try DHKEM.extractAndExpand(dh: SecureBytes(dh), kemContext: kemContext)
            wipe(&dh)
            encapsulatedKey = enc
            schedule = try KeySchedule(
                mode: sender == nil ? .base : .auth, sharedSecret: shared, info: Array(info), suite: suite)
        }

        /// Seals the next message. Messages must be opened in the order they were sealed.
        public mutating func seal(
            _ plaintext: some Collection<UInt8>, associatedData: some Collection<UInt8> = [UInt8]()
        ) throws(CryptoError) -> [UInt8] {
            let nonce = try schedule.nextNonce()
            return try schedule.suite.aead.seal(plaintext, key: schedule.key, nonce: nonce, associatedData: associatedData)
        }

        /// RFC 9180 secret export: `length` bytes bound to this context and `exporterContext`.
        public func export(exporterContext: some Collection<UInt8>, length: Int) throws(CryptoError) -> SecureBytes {
            try schedule.export(exporterContext: Array(exporterContext), length: length)
        }
    }

    /// The recipient's side of an HPKE context: opens messages in the order they were sealed.
    public struct Recipient: Sendable {
        private var schedule: KeySchedule

        /// Sets up a context from the sender's encapsulated key, in auth mode if `sender` is given.
        public init(
            encapsulatedKey: some Collection<UInt8>, recipient: X25519.PrivateKey, suite: CipherSuite,
            info: some Collection<UInt8> = [UInt8](), sender: X25519.PublicKey? = nil
        ) throws(CryptoError) {
            guard encapsulatedKey.count == HPKE.encapsulatedKeyByteCount else {
                throw .truncatedCiphertext(minimum: HPKE.encapsulatedKeyByteCount, actual: encapsulatedKey.count)
            }
            let ephemeral = try X25519.PublicKey(rawRepresentation: encapsulatedKey)
            let recipientPublic = recipient.publicKey.rawRepresentation
            var dh = try recipient.sharedSecret(with: ephemeral).unprotectedBytes
            var kemContext = Array(encapsulatedKey) + recipientPublic
            if let sender {
                dh += try recipient.sharedSecret(with: sender).unprotectedBytes
                kemContext += sender.rawRepresentation
            }
            let shared = try DHKEM.extractAndExpand(dh: SecureBytes(dh), kemContext: kemContext)
            wipe(&dh)
            schedule = try KeySchedule(
                mode: sender == nil ? .base : .auth, sharedSecret: shared, info: Array(info), suite: suite)
        }

        /// Opens the next message.
        public mutating func open(
            _ ciphertext: some Collection<UInt8>, associatedData: some Collection<UInt8> = [UInt8]()
        ) throws(CryptoError) -> [UInt8] {
            let nonce = try schedule.nextNonce()
            return try schedule.suite.aead.open(ciphertext, key: schedule.key, nonce: nonce, associatedData: associatedData)
        }

        /// RFC 9180 secret export, as on the sender's side.
        public func export(exporterContext: some Collection<UInt8>, length: Int) throws(CryptoError) -> SecureBytes {
            try schedule.export(exporterContext: Array(exporterContext), length: length)
        }
    }

    /// RFC 9180 section 7.1.3 DeriveKeyPair for X25519: a key pair from input keying material.
    public static func deriveKeyPair(inputKeyMaterial: some Collection<UInt8>) throws(CryptoError) -> X25519.PrivateKey {
        try DHKEM.deriveKeyPair(ikm: Array(inputKeyMaterial))
    }
}

// MARK: - RFC 9180 internals

private let hpkeVersionLabel = Array("HPKE-v1".utf8)

private func bigEndian(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xff)] }

private func wipe(_ bytes: inout [UInt8]) {
    for i in bytes.indices { bytes[i] = 0 }
}

/// LabeledExtract and LabeledExpand (RFC 9180 section 4) over HKDF-SHA256.
private struct Labeled {
    let suiteID: [UInt8]

    func extract(salt: [UInt8], label: String, ikm: [UInt8]) -> SymmetricKey {
        HKDFSHA256.extract(salt: salt, inputKeyMaterial: SecureBytes(hpkeVersionLabel + suiteID + Array(label.utf8) + ikm))
    }

    func extract(salt: [UInt8], label: String, ikm: SecureBytes) -> SymmetricKey {
        extract(salt: salt, label: label, ikm: ikm.unprotectedBytes)
    }

    func expand(prk: SymmetricKey, label: String, info: [UInt8], length: Int) throws(CryptoError) -> SecureBytes {
        guard length <= 0xffff else { throw .outputTooLong(maximum: 0xffff, requested: length) }
        let labeledInfo = bigEndian(UInt16(length)) + hpkeVersionLabel + suiteID + Array(label.utf8) + info
        return try HKDFSHA256.expand(pseudoRandomKey: prk, info: labeledInfo, outputByteCount: length)
    }
}

private enum DHKEM {
    static let labeled = Labeled(suiteID: Array("KEM".utf8) + bigEndian(HPKE.kemID))

    static func extractAndExpand(dh: SecureBytes, kemContext: [UInt8]) throws(CryptoError) -> SecureBytes {
        let prk = labeled.extract(salt: [], label: "eae_prk", ikm: dh)
        return try labeled.expand(prk: prk, label: "shared_secret", info: kemContext, length: 32)
    }

    static func deriveKeyPair(ikm: [UInt8]) throws(CryptoError) -> X25519.PrivateKey {
        let prk = labeled.extract(salt: [], label: "dkp_prk", ikm: ikm)
        let sk = try labeled.expand(prk: prk, label: "sk", info: [], length: 32)
        return try X25519.PrivateKey(rawRepresentation: sk)
    }
}

/// The key schedule (RFC 9180 section 5.1) and the per-message nonce sequence.
private struct KeySchedule: Sendable {
    let suite: HPKE.CipherSuite
    let key: SymmetricKey
    let baseNonce: [UInt8]
    let exporterSecret: SymmetricKey
    private var sequence: UInt64 = 0
    private var exhausted = false

    init(mode: HPKE.Mode, sharedSecret: SecureBytes, info: [UInt8], suite: HPKE.CipherSuite) throws(CryptoError) {
        let labeled = Labeled(suiteID: suite.suiteID)
        // No PSK modes: psk and psk_id are empty.
        let pskIDHash = labeled.extract(salt: [], label: "psk_id_hash", ikm: [UInt8]())
        let infoHash = labeled.extract(salt: [], label: "info_hash", ikm: info)
        let context = [mode.rawValue] + pskIDHash.bytes.unprotectedBytes + infoHash.bytes.unprotectedBytes
        let secret = labeled.extract(salt: sharedSecret.unprotectedBytes, label: "secret", ikm: [UInt8]())
        self.suite = suite
        key = SymmetricKey(try labeled.expand(prk: secret, label: "key", info: context, length: suite.aead.keyByteCount))
        baseNonce = try labeled.expand(prk: secret, label: "base_nonce", info: context, length: suite.aead.nonceByteCount)
            .unprotectedBytes
        exporterSecret = SymmetricKey(try labeled.expand(prk: secret, label: "exp", info: context, length: 32))
    }

    /// base_nonce XOR I2OSP(seq, Nn), then seq += 1; refuses to wrap.
    mutating func nextNonce() throws(CryptoError) -> [UInt8] {
        guard !exhausted else { throw .messageLimitReached }
        var nonce = baseNonce
        var seq = sequence
        var i = nonce.count - 1
        while seq != 0 {
            nonce[i] ^= UInt8(seq & 0xff)
            seq >>= 8
            i -= 1
        }
        if sequence == UInt64.max { exhausted = true } else { sequence += 1 }
        return nonce
    }

    func export(exporterContext: [UInt8], length: Int) throws(CryptoError) -> SecureBytes {
        try Labeled(suiteID: suite.suiteID).expand(prk: exporterSecret, label: "sec", info: exporterContext, length: length)
    }
}

extension HPKE {
    /// A self-describing single-shot HPKE message, as mashlink stores sealed payloads:
    /// `version (1) ‖ aead id (2) ‖ recipient key id (8) ‖ encapsulated key (32) ‖ ciphertext`.
    ///
    /// The recipient key id lets the opener say "sealed to another key" instead of a bare
    /// authentication failure, and the header is bound into the AEAD as associated data.
    public struct Envelope: Sendable, Hashable {
        /// Format version of the envelope.
        public static let version: UInt8 = 1
        static let headerByteCount = 1 + 2 + 8 + HPKE.encapsulatedKeyByteCount

        /// The serialised envelope.
        public let bytes: [UInt8]

        /// Wraps serialised envelope bytes (checked when opened).
        public init(bytes: [UInt8]) { self.bytes = bytes }

        /// Seals `plaintext` to `recipient`. `info` binds the message to its purpose (for example the tier name).
        public static func seal(
            _ plaintext: some Collection<UInt8>, to recipient: X25519.PublicKey,
            suite: CipherSuite = .x25519SHA256AES256GCM, info: some Collection<UInt8> = [UInt8]()
        ) throws(CryptoError) -> Envelope {
            var context = try Sender(recipient: recipient, suite: suite, info: info)
            let keyID = Hex.decode(recipient.keyID)!
            let header = [version] + bigEndian(suite.aeadID) + keyID + context.encapsulatedKey
            return Envelope(bytes: header + (try context.seal(plaintext, associatedData: header)))
        }

        /// Opens the envelope with `recipient`. Throws ``CryptoError/wrongRecipientKey(expected:actual:)``
        /// if it was sealed to another key, ``CryptoError/truncatedCiphertext(minimum:actual:)`` if cut short,
        /// ``CryptoError/authenticationFailed`` if altered.
        public func open(with recipient: X25519.PrivateKey, info: some Collection<UInt8> = [UInt8]()) throws(CryptoError) -> [UInt8] {
            let minimum = Self.headerByteCount + 16
            guard bytes.count >= minimum else { throw .truncatedCiphertext(minimum: minimum, actual: bytes.count) }
            guard bytes[0] == Self.version else {
                throw .invalidParameters(reason: "HPKE envelope version \(bytes[0]) is not known to this build; upgrade mashlink")
            }
            let aeadID = UInt16(bytes[1]) << 8 | UInt16(bytes[2])
            guard let suite = CipherSuite(aeadID: aeadID) else {
                throw .invalidParameters(reason: "HPKE envelope uses AEAD id \(aeadID), which this build does not support")
            }
            let sealedTo = Hex.encode(bytes[3..<11])
            let ours = recipient.publicKey.keyID
            guard sealedTo == ours else { throw .wrongRecipientKey(expected: sealedTo, actual: ours) }
            let header = Array(bytes[..<Self.headerByteCount])
            var context = try Recipient(
                encapsulatedKey: bytes[11..<Self.headerByteCount], recipient: recipient, suite: suite, info: info)
            return try context.open(bytes[Self.headerByteCount...], associatedData: header)
        }
    }
}
