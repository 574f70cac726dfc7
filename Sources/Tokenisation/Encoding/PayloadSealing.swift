import Foundation
public import LinkCrypto

/// Seals safeguarding payload tiers for one batch.
///
/// One HPKE encapsulation to the hub's release key per tier per batch (DHKEM(X25519, HKDF-SHA256),
/// HKDF-SHA256, AES-256-GCM, base mode); the HPKE exporter gives that tier's payload key, and each
/// record's tier is sealed under it with AES-256-GCM, a random nonce, and associated data binding
/// agency, batch id, record reference and tier. Only the holder of the hub release key can recover a
/// tier key; a payload cannot be moved to another record, tier or batch without failing to open.
///
/// One encapsulation per tier rather than per record keeps sealing at a microsecond a record
/// (an X25519 key generation and agreement per record would cost ~125 µs). The hub holds the
/// release key either way, so per-record encapsulation would not narrow what it can open.
public struct PayloadSealer: Sendable {
    /// The encapsulated key for each tier, carried in the batch header.
    public let encapsulatedKeys: [PayloadTier: [UInt8]]
    private let keys: [PayloadTier: SymmetricKey]
    private let agency: String
    private let batchID: String

    /// Sets up one payload key per tier in `tiers`, encapsulated to `hubReleaseKey`.
    public init(tiers: Set<PayloadTier>, hubReleaseKey: X25519.PublicKey, agency: String, batchID: String) throws(TokenisationError) {
        var enc: [PayloadTier: [UInt8]] = [:]
        var keys: [PayloadTier: SymmetricKey] = [:]
        for tier in tiers {
            do {
                let sender = try HPKE.Sender(
                    recipient: hubReleaseKey, suite: .x25519SHA256AES256GCM,
                    info: Self.encapsulationInfo(agency: agency, batchID: batchID, tier: tier))
                enc[tier] = sender.encapsulatedKey
                keys[tier] = SymmetricKey(try sender.export(exporterContext: Self.exporterContext, length: 32))
            } catch { throw .crypto(error) }
        }
        encapsulatedKeys = enc
        self.keys = keys
        self.agency = agency
        self.batchID = batchID
    }

    /// Seals one record's tier.
    public func seal(_ plaintext: [UInt8], reference: String, tier: PayloadTier) throws(TokenisationError) -> [UInt8] {
        guard let key = keys[tier] else { throw .invalidSchema("no payload key for tier \(tier.rawValue)") }
        do {
            return try AEAD.aes256GCM.sealCombined(
                plaintext, key: key, associatedData: Self.associatedData(agency: agency, batchID: batchID, reference: reference, tier: tier))
        } catch { throw .crypto(error) }
    }

    static let exporterContext = Array("mashlink-payload-key-v1".utf8)

    static func encapsulationInfo(agency: String, batchID: String, tier: PayloadTier) -> [UInt8] {
        Array("mashlink-payload-v1|\(agency)|\(batchID)|\(tier.rawValue)".utf8)
    }

    static func associatedData(agency: String, batchID: String, reference: String, tier: PayloadTier) -> [UInt8] {
        Array("mashlink-payload-v1|\(agency)|\(batchID)|\(reference)|\(tier.rawValue)".utf8)
    }
}

/// Opens payload tiers of one batch with the hub's release key: the hub's side of ``PayloadSealer``.
/// The disclosure module calls it only after a release is logged.
public struct PayloadOpener: Sendable {
    private let keys: [PayloadTier: SymmetricKey]
    private let agency: String
    private let batchID: String

    /// Recovers the tier keys named in `header` with the release key.
    public init(header: BatchHeader, hubReleaseKey: X25519.PrivateKey) throws(TokenisationError) {
        guard header.hubReleaseKeyID == hubReleaseKey.publicKey.keyID else {
            throw .invalidBatch("payloads are sealed to hub release key \(header.hubReleaseKeyID), not \(hubReleaseKey.publicKey.keyID); use the release key the batch names")
        }
        var keys: [PayloadTier: SymmetricKey] = [:]
        for (name, encoded) in header.payloadKeys {
            guard let tier = PayloadTier(rawValue: name), let enc = Data(base64Encoded: encoded) else {
                throw .invalidBatch("payload key for '\(name)' is malformed")
            }
            do {
                let recipient = try HPKE.Recipient(
                    encapsulatedKey: Array(enc), recipient: hubReleaseKey, suite: .x25519SHA256AES256GCM,
                    info: PayloadSealer.encapsulationInfo(agency: header.agency, batchID: header.batchID, tier: tier))
                keys[tier] = SymmetricKey(try recipient.export(exporterContext: PayloadSealer.exporterContext, length: 32))
            } catch { throw .crypto(error) }
        }
        self.keys = keys
        agency = header.agency
        batchID = header.batchID
    }

    /// Opens one record's tier.
    public func open(_ sealed: [UInt8], reference: String, tier: PayloadTier) throws(TokenisationError) -> [UInt8] {
        guard let key = keys[tier] else { throw .invalidBatch("the batch carries no payload key for tier \(tier.rawValue)") }
        do {
            return try AEAD.aes256GCM.openCombined(
                sealed, key: key,
                associatedData: PayloadSealer.associatedData(agency: agency, batchID: batchID, reference: reference, tier: tier))
        } catch { throw .crypto(error) }
    }
}
