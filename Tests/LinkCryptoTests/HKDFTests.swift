import Testing
@testable import LinkCrypto

@Suite("HKDF-SHA256")
struct HKDFTests {
    struct RFCFile: Decodable {
        struct Case: Decodable {
            let `case`: Int; let ikm: String; let salt: String; let info: String; let length: Int; let prk: String; let okm: String
        }
        let cases: [Case]
    }

    struct Group: Decodable {
        let tests: [Test]
        struct Test: Decodable {
            let tcId: Int; let ikm: String; let salt: String; let info: String; let size: Int; let okm: String
            let result: WycheproofResult
        }
    }

    @Test("RFC 5869 A.1-A.3: PRK from extract, OKM from expand and from deriveKey")
    func rfc5869() throws {
        let file = try fixture("rfc/rfc5869_hkdf_sha256.json", as: RFCFile.self)
        for c in file.cases {
            let ikm = SecureBytes(try hex(c.ikm))
            let prk = HKDFSHA256.extract(salt: try hex(c.salt), inputKeyMaterial: ikm)
            #expect(prk.bytes.unprotectedBytes == (try hex(c.prk)), "case \(c.case) PRK")
            let okm = try HKDFSHA256.expand(pseudoRandomKey: prk, info: try hex(c.info), outputByteCount: c.length)
            #expect(okm.unprotectedBytes == (try hex(c.okm)), "case \(c.case) OKM")
            let derived = try HKDFSHA256.deriveKey(
                inputKeyMaterial: ikm, salt: try hex(c.salt), info: try hex(c.info), outputByteCount: c.length)
            #expect(derived.bytes.unprotectedBytes == (try hex(c.okm)))
        }
        print("RFC 5869 HKDF-SHA256: checked \(file.cases.count) cases")
        #expect(file.cases.count == 3)
    }

    @Test("Wycheproof hkdf_sha256_test.json: every vector agrees; over-long output is refused")
    func wycheproof() throws {
        let file = try fixture("wycheproof/hkdf_sha256_test.json", as: WycheproofFile<Group>.self)
        var checked = 0, refused = 0
        for test in file.testGroups.flatMap(\.tests) {
            let ikm = SecureBytes(try hex(test.ikm))
            do {
                let okm = try HKDFSHA256.deriveKey(
                    inputKeyMaterial: ikm, salt: try hex(test.salt), info: try hex(test.info), outputByteCount: test.size)
                #expect(test.result == .valid, "tcId \(test.tcId) should have been refused")
                #expect(okm.bytes.unprotectedBytes == (try hex(test.okm)), "tcId \(test.tcId)")
            } catch let error as CryptoError {
                #expect(test.result == .invalid, "tcId \(test.tcId) refused: \(error)")
                #expect(error == .outputTooLong(maximum: 8160, requested: test.size))
                refused += 1
            }
            checked += 1
        }
        print("Wycheproof HKDF-SHA256: checked \(checked) of \(file.numberOfTests) vectors (\(refused) refused as invalid), all agree")
        #expect(checked == 86 && refused == 3)
    }
}
