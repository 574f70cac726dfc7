import Testing
@testable import LinkCrypto

@Suite("AEAD: AES-GCM and ChaCha20-Poly1305")
struct AEADTests {
    struct Group: Decodable {
        let keySize: Int
        let ivSize: Int
        let tagSize: Int
        let tests: [Test]
        struct Test: Decodable {
            let tcId: Int; let key: String; let iv: String; let aad: String; let msg: String; let ct: String; let tag: String
            let result: WycheproofResult
        }
    }

    /// Runs every vector of a Wycheproof AEAD file. Vectors with a key or nonce size `AEAD` does not offer
    /// must be refused with the matching size error; all others must agree with the file's verdict.
    func runWycheproof(_ path: String, pick: (Int) -> AEAD?) throws -> (agreed: Int, refused: Int, total: Int) {
        let file = try fixture(path, as: WycheproofFile<Group>.self)
        var agreed = 0, refused = 0
        for group in file.testGroups {
            for test in group.tests {
                let key = SymmetricKey(try hex(test.key))
                let nonce = try hex(test.iv), aad = try hex(test.aad), msg = try hex(test.msg)
                let sealed = try hex(test.ct) + hex(test.tag)
                guard let aead = pick(group.keySize), group.ivSize == 96, group.tagSize == 128 else {
                    // Stated rule: sizes outside mashlink's AEAD set are refused, never guessed at.
                    let aead = pick(group.keySize) ?? .aes256GCM
                    #expect(throws: CryptoError.self, "tcId \(test.tcId) should be refused") {
                        _ = try aead.open(sealed, key: key, nonce: nonce, associatedData: aad)
                    }
                    refused += 1
                    continue
                }
                let opened = Result { () throws(CryptoError) in try aead.open(sealed, key: key, nonce: nonce, associatedData: aad) }
                switch (test.result, opened) {
                case (.valid, .success(let plain)):
                    #expect(plain == msg, "tcId \(test.tcId) plaintext")
                    #expect(try aead.seal(msg, key: key, nonce: nonce, associatedData: aad) == sealed, "tcId \(test.tcId) seal")
                case (.invalid, .failure(let error)):
                    #expect(error == .authenticationFailed, "tcId \(test.tcId): \(error)")
                default:
                    Issue.record("tcId \(test.tcId): verdict \(test.result) but open gave \(opened)")
                }
                agreed += 1
            }
        }
        #expect(agreed + refused == file.numberOfTests)
        return (agreed, refused, file.numberOfTests)
    }

    @Test("Wycheproof aes_gcm_test.json: 96-bit IV, 128/256-bit key vectors agree; the rest are refused")
    func aesGCM() throws {
        let r = try runWycheproof("wycheproof/aes_gcm_test.json") { bits in
            bits == 128 ? .aes128GCM : bits == 256 ? .aes256GCM : nil
        }
        print("Wycheproof AES-GCM: \(r.agreed) vectors agree, \(r.refused) refused by rule (AES-192 or IV ≠ 96 bits), \(r.total) in file")
        #expect(r.agreed == 133 && r.refused == 183)
    }

    @Test("Wycheproof chacha20_poly1305_test.json: 96-bit nonce vectors agree; the rest are refused")
    func chaCha() throws {
        let r = try runWycheproof("wycheproof/chacha20_poly1305_test.json") { $0 == 256 ? .chaCha20Poly1305 : nil }
        print("Wycheproof ChaCha20-Poly1305: \(r.agreed) vectors agree, \(r.refused) refused by rule (nonce ≠ 96 bits), \(r.total) in file")
        #expect(r.agreed == 316 && r.refused == 9)
    }

    @Test("bad input gives distinct errors: truncated, wrong tag, wrong key, wrong sizes", arguments: [AEAD.aes256GCM, .chaCha20Poly1305, .aes128GCM])
    func badInput(aead: AEAD) throws {
        let key = SymmetricKey(randomByteCount: aead.keyByteCount)
        let aad = Array("tier=cp".utf8)
        let box = try aead.sealCombined(Array("payload".utf8), key: key, associatedData: aad)
        #expect(try aead.openCombined(box, key: key, associatedData: aad) == Array("payload".utf8))

        #expect(throws: CryptoError.truncatedCiphertext(minimum: 28, actual: 20)) {
            try aead.openCombined(box.prefix(20), key: key, associatedData: aad)
        }
        var flipped = box
        flipped[flipped.count - 1] ^= 1
        #expect(throws: CryptoError.authenticationFailed) { try aead.openCombined(flipped, key: key, associatedData: aad) }
        #expect(throws: CryptoError.authenticationFailed) {
            try aead.openCombined(box, key: SymmetricKey(randomByteCount: aead.keyByteCount), associatedData: aad)
        }
        #expect(throws: CryptoError.authenticationFailed) { try aead.openCombined(box, key: key, associatedData: Array("tier=cin".utf8)) }
        #expect(throws: CryptoError.invalidKeySize(expected: aead.keyByteCount, actual: 7)) {
            try aead.seal([1], key: SymmetricKey([UInt8](repeating: 1, count: 7)), nonce: [UInt8](repeating: 0, count: 12))
        }
        #expect(throws: CryptoError.invalidNonceSize(expected: 12, actual: 8)) {
            try aead.seal([1], key: key, nonce: [UInt8](repeating: 0, count: 8))
        }
    }

    @Test("empty plaintext and empty associated data round-trip")
    func empty() throws {
        let key = SymmetricKey(randomByteCount: 32)
        let box = try AEAD.aes256GCM.sealCombined([UInt8](), key: key)
        #expect(box.count == 28)
        #expect(try AEAD.aes256GCM.openCombined(box, key: key).isEmpty)
    }
}
