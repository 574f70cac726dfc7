import Testing
@testable import LinkCrypto

@Suite("HPKE (RFC 9180)")
struct HPKETests {
    struct File: Decodable {
        let vectors: [Vector]
    }

    struct Vector: Decodable {
        let mode: UInt8; let kem_id: UInt16; let kdf_id: UInt16; let aead_id: UInt16
        let info: String; let ikmR: String; let ikmE: String
        let ikmS: String?; let skSm: String?; let pkSm: String?
        let skRm: String; let skEm: String; let pkRm: String; let pkEm: String; let enc: String
        let shared_secret: String; let key: String; let base_nonce: String; let exporter_secret: String
        let encryptions: [Encryption]
        let exports: [Export]
        struct Encryption: Decodable { let aad: String; let ct: String; let nonce: String; let pt: String }
        struct Export: Decodable { let exporter_context: String; let L: Int; let exported_value: String }
    }

    @Test("every base- and auth-mode vector for AEAD ids 1-3: key derivation, all encryptions both ways, all exports")
    func vectors() throws {
        let file = try fixture("rfc9180/hpke_x25519_sha256.json", as: File.self)
        var encryptions = 0, exports = 0, contexts = 0
        for v in file.vectors {
            #expect(v.kem_id == HPKE.kemID && v.kdf_id == HPKE.kdfID)
            let suite = try #require(HPKE.CipherSuite(aeadID: v.aead_id))
            let mode = try #require(HPKE.Mode(rawValue: v.mode))

            let recipient = try HPKE.deriveKeyPair(inputKeyMaterial: try hex(v.ikmR))
            let ephemeral = try HPKE.deriveKeyPair(inputKeyMaterial: try hex(v.ikmE))
            #expect(recipient.rawRepresentation.unprotectedBytes == (try hex(v.skRm)))
            #expect(recipient.publicKey.rawRepresentation == (try hex(v.pkRm)))
            #expect(ephemeral.publicKey.rawRepresentation == (try hex(v.pkEm)))
            var sender: X25519.PrivateKey?
            if mode == .auth {
                let s = try HPKE.deriveKeyPair(inputKeyMaterial: try hex(try #require(v.ikmS)))
                #expect(s.rawRepresentation.unprotectedBytes == (try hex(try #require(v.skSm))))
                #expect(s.publicKey.rawRepresentation == (try hex(try #require(v.pkSm))))
                sender = s
            }

            let info = try hex(v.info)
            var sealer = try HPKE.Sender(
                recipient: recipient.publicKey, suite: suite, info: info, sender: sender, ephemeral: ephemeral)
            #expect(sealer.encapsulatedKey == (try hex(v.enc)))
            var opener = try HPKE.Recipient(
                encapsulatedKey: try hex(v.enc), recipient: recipient, suite: suite, info: info, sender: sender?.publicKey)
            // The vectors give encryptions in sequence order from sequence number 0.
            for e in v.encryptions {
                let ct = try sealer.seal(try hex(e.pt), associatedData: try hex(e.aad))
                #expect(ct == (try hex(e.ct)), "mode \(v.mode) aead \(v.aead_id) encryption \(encryptions)")
                #expect(try opener.open(try hex(e.ct), associatedData: try hex(e.aad)) == (try hex(e.pt)))
                encryptions += 1
            }
            for x in v.exports {
                let expected = try hex(x.exported_value)
                #expect(try sealer.export(exporterContext: try hex(x.exporter_context), length: x.L).unprotectedBytes == expected)
                #expect(try opener.export(exporterContext: try hex(x.exporter_context), length: x.L).unprotectedBytes == expected)
                exports += 1
            }
            contexts += 1
        }
        print("RFC 9180 HPKE: checked \(contexts) contexts, \(encryptions) encryptions (seal and open), \(exports) exports")
        #expect(contexts == 6 && encryptions == 6 * 257 && exports == 18)
    }

    @Test("single-shot seal/open in base and auth mode; wrong sender or info fails", arguments: [
        HPKE.CipherSuite.x25519SHA256AES128GCM, .x25519SHA256AES256GCM, .x25519SHA256ChaChaPoly,
    ])
    func singleShot(suite: HPKE.CipherSuite) throws {
        let hub = X25519.PrivateKey()
        let agency = X25519.PrivateKey()
        let payload = Array(repeating: UInt8(0x41), count: 200)
        let info = Array("mashlink tier cp".utf8)
        let base = try HPKE.seal(payload, to: hub.publicKey, suite: suite, info: info)
        #expect(try HPKE.open(base.ciphertext, encapsulatedKey: base.encapsulatedKey, recipient: hub, suite: suite, info: info) == payload)
        #expect(throws: CryptoError.authenticationFailed) {
            try HPKE.open(base.ciphertext, encapsulatedKey: base.encapsulatedKey, recipient: hub, suite: suite, info: Array("tier cin".utf8))
        }
        let auth = try HPKE.seal(payload, to: hub.publicKey, suite: suite, info: info, sender: agency)
        #expect(try HPKE.open(
            auth.ciphertext, encapsulatedKey: auth.encapsulatedKey, recipient: hub, suite: suite, info: info,
            sender: agency.publicKey) == payload)
        #expect(throws: CryptoError.authenticationFailed) {
            try HPKE.open(auth.ciphertext, encapsulatedKey: auth.encapsulatedKey, recipient: hub, suite: suite, info: info,
                          sender: X25519.PrivateKey().publicKey)
        }
        #expect(throws: CryptoError.truncatedCiphertext(minimum: 32, actual: 31)) {
            try HPKE.open(base.ciphertext, encapsulatedKey: base.encapsulatedKey.prefix(31), recipient: hub, suite: suite)
        }
    }

    @Test("envelope: wrong recipient, truncation and tampering each give their own error")
    func envelope() throws {
        let hub = X25519.PrivateKey()
        let payload = Array("safeguarding note".utf8)
        let envelope = try HPKE.Envelope.seal(payload, to: hub.publicKey, info: Array("cp".utf8))
        #expect(try envelope.open(with: hub, info: Array("cp".utf8)) == payload)

        let other = X25519.PrivateKey()
        #expect(throws: CryptoError.wrongRecipientKey(expected: hub.publicKey.keyID, actual: other.publicKey.keyID)) {
            try envelope.open(with: other, info: Array("cp".utf8))
        }
        #expect(throws: CryptoError.truncatedCiphertext(minimum: 59, actual: 50)) {
            try HPKE.Envelope(bytes: Array(envelope.bytes.prefix(50))).open(with: hub, info: Array("cp".utf8))
        }
        var tampered = envelope.bytes
        tampered[tampered.count - 3] ^= 0x10
        #expect(throws: CryptoError.authenticationFailed) {
            try HPKE.Envelope(bytes: tampered).open(with: hub, info: Array("cp".utf8))
        }
        // The header is authenticated: switching the declared AEAD fails rather than decrypting differently.
        var relabelled = envelope.bytes
        relabelled[2] = 0x03
        #expect(throws: CryptoError.authenticationFailed) {
            try HPKE.Envelope(bytes: relabelled).open(with: hub, info: Array("cp".utf8))
        }
    }
}
