import Testing
@testable import LinkCrypto

@Suite("HMAC-SHA256")
struct HMACTests {
    struct RFCFile: Decodable {
        struct Case: Decodable {
            let `case`: Int; let key: String; let data: String
            let hmac_sha256: String?
            let hmac_sha256_truncated_128: String?
        }
        let cases: [Case]
    }

    struct Group: Decodable {
        let keySize: Int
        let tagSize: Int
        let tests: [Test]
        struct Test: Decodable { let tcId: Int; let key: String; let msg: String; let tag: String; let result: WycheproofResult }
    }

    @Test("RFC 4231 cases 1-7, one-shot and reused context")
    func rfc4231() throws {
        let file = try fixture("rfc/rfc4231_hmac_sha256.json", as: RFCFile.self)
        var checked = 0
        for c in file.cases {
            let key = SymmetricKey(try hex(c.key))
            let expected = try hex(try #require(c.hmac_sha256 ?? c.hmac_sha256_truncated_128))
            // Case 5 publishes only the first 128 bits of the tag.
            let oneShot = HMACSHA256.authenticationCode(for: try hex(c.data), using: key)
            let context = HMACSHA256Context(key: key)
            let reused = context.authenticationCode(for: try hex(c.data))
            let again = context.authenticationCode(for: try hex(c.data))
            #expect(Array(oneShot.prefix(expected.count)) == expected, "RFC 4231 case \(c.case)")
            #expect(reused == oneShot && again == oneShot, "reused context differs in case \(c.case)")
            checked += 1
        }
        print("RFC 4231 HMAC-SHA256: checked \(checked) cases")
        #expect(checked == 7)
    }

    @Test("Wycheproof hmac_sha256_test.json: every vector agrees")
    func wycheproof() throws {
        let file = try fixture("wycheproof/hmac_sha256_test.json", as: WycheproofFile<Group>.self)
        var checked = 0, valid = 0
        for group in file.testGroups {
            for test in group.tests {
                let key = SymmetricKey(try hex(test.key))
                let tag = try hex(test.tag)
                let full = HMACSHA256Context(key: key).authenticationCode(for: try hex(test.msg))
                // Truncated-tag groups (tagSize 128) compare the leftmost tagSize bits, as RFC 2104 section 5 defines.
                let accepted = tag.count == group.tagSize / 8 && ConstantTime.equal(full.prefix(group.tagSize / 8), tag)
                #expect(accepted == (test.result == .valid), "tcId \(test.tcId)")
                if test.result == .valid {
                    valid += 1
                    if tag.count == 32 {
                        #expect(HMACSHA256.isValidAuthenticationCode(tag, for: try hex(test.msg), using: key))
                    }
                }
                checked += 1
            }
        }
        print("Wycheproof HMAC-SHA256: checked \(checked) of \(file.numberOfTests) vectors (\(valid) valid), all agree")
        #expect(checked == file.numberOfTests && checked == 174)
    }

    @Test("the reused context gives the same code as one-shot across many messages")
    func contextReuse() {
        let key = SymmetricKey(randomByteCount: 32)
        let context = HMACSHA256Context(key: key)
        for n in 0..<200 {
            let message = Array("field-\(n)".utf8)
            #expect(context.authenticationCode(for: message) == HMACSHA256.authenticationCode(for: message, using: key))
        }
        #expect(context.authenticationCode(for: "ab".utf8) != context.authenticationCode(for: "ba".utf8))
    }
}
