import Testing
@testable import LinkCrypto

@Suite("Keystream: AES-256-CTR")
struct KeyStreamTests {
    /// AES-GCM with a 96-bit IV encrypts with AES-CTR from the counter block IV ‖ 00000002 (NIST SP
    /// 800-38D, section 7.1), so every valid 256-bit-key Wycheproof AES-GCM vector is also a published
    /// AES-256-CTR vector: ciphertext = plaintext XOR keystream.
    @Test("agrees with every valid 96-bit-IV AES-256-GCM vector of Wycheproof aes_gcm_test.json, read as CTR")
    func wycheproofAsCTR() throws {
        let file = try fixture("wycheproof/aes_gcm_test.json", as: WycheproofFile<AEADTests.Group>.self)
        var checked = 0
        for group in file.testGroups where group.keySize == 256 && group.ivSize == 96 {
            for test in group.tests where test.result == .valid {
                let msg = try hex(test.msg), ct = try hex(test.ct)
                guard !msg.isEmpty else { continue }
                let stream = try KeyStream.aes256CTR(key: SymmetricKey(try hex(test.key)), counterBlock: try hex(test.iv) + [0, 0, 0, 2], count: msg.count)
                #expect(zip(msg, stream).map { $0 ^ $1 } == ct, "tcId \(test.tcId)")
                checked += 1
            }
        }
        print("AES-256-CTR: \(checked) Wycheproof AES-256-GCM vectors agree as counter-mode keystreams")
        #expect(checked >= 20)
    }

    @Test("the counter runs on across blocks, the same key gives the same stream, and wrong sizes are refused")
    func properties() throws {
        let key = SymmetricKey(randomByteCount: 32)
        let long = try KeyStream.aes256CTR(key: key, count: 100)
        #expect(try KeyStream.aes256CTR(key: key, count: 100) == long)
        #expect(try KeyStream.aes256CTR(key: key, count: 7) == Array(long.prefix(7)))
        // Starting at counter block 1 is the stream from byte 16 on.
        #expect(try KeyStream.aes256CTR(key: key, counterBlock: [UInt8](repeating: 0, count: 15) + [1], count: 84) == Array(long.dropFirst(16)))
        #expect(try KeyStream.aes256CTR(key: SymmetricKey(randomByteCount: 32), count: 100) != long)
        #expect(try KeyStream.aes256CTR(key: key, count: 0).isEmpty)
        #expect(throws: CryptoError.invalidKeySize(expected: 32, actual: 16)) { try KeyStream.aes256CTR(key: SymmetricKey(randomByteCount: 16), count: 1) }
        #expect(throws: CryptoError.invalidNonceSize(expected: 16, actual: 12)) {
            try KeyStream.aes256CTR(key: key, counterBlock: [UInt8](repeating: 0, count: 12), count: 1)
        }
    }
}
