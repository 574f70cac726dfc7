import Foundation
import Testing
@testable import LinkCrypto

@Suite("X25519 and Ed25519")
struct Curve25519Tests {
    struct X25519Group: Decodable {
        let tests: [Test]
        struct Test: Decodable {
            let tcId: Int; let flags: [String]; let `public`: String; let `private`: String; let shared: String
            let result: WycheproofResult
        }
    }

    struct EdGroup: Decodable {
        let publicKey: PublicKey
        let publicKeyPem: String
        let tests: [Test]
        struct PublicKey: Decodable { let pk: String }
        struct Test: Decodable { let tcId: Int; let msg: String; let sig: String; let result: WycheproofResult }
    }

    struct RFC7748: Decodable {
        struct ScalarMult: Decodable { let scalar: String; let u: String; let output: String }
        struct Iterated: Decodable { let iterations: Int; let k: String }
        struct DH: Decodable {
            let alice_private: String; let alice_public: String; let bob_private: String; let bob_public: String; let shared: String
        }
        let scalarmult: [ScalarMult]
        let iterated: [Iterated]
        let dh: DH
    }

    struct RFC8032: Decodable {
        struct Case: Decodable { let test: String; let secret: String; let `public`: String; let message: String; let signature: String }
        let cases: [Case]
    }

    @Test("Wycheproof x25519_test.json: valid agree; acceptable agree except low-order, which are refused")
    func x25519Wycheproof() throws {
        let file = try fixture("wycheproof/x25519_test.json", as: WycheproofFile<X25519Group>.self)
        var computed = 0, refusedLowOrder = 0
        for test in file.testGroups.flatMap(\.tests) {
            let priv = try X25519.PrivateKey(rawRepresentation: SecureBytes(try hex(test.private)))
            let lowOrder = test.flags.contains("LowOrderPublic") || test.flags.contains("ZeroSharedSecret")
            let peer = try hex(test.public)
            let result = Result { () throws(CryptoError) in
                try priv.sharedSecret(with: X25519.PublicKey(rawRepresentation: peer))
            }
            switch result {
            case .success(let shared):
                #expect(!lowOrder, "tcId \(test.tcId): low-order point should be refused")
                #expect(shared.unprotectedBytes == (try hex(test.shared)), "tcId \(test.tcId)")
                computed += 1
            case .failure(let error):
                // Documented choice: only an all-zero shared secret may be refused, and it must be.
                #expect(lowOrder && test.result == .acceptable, "tcId \(test.tcId) refused: \(error)")
                if case .invalidPublicKey = error {} else { Issue.record("tcId \(test.tcId): unexpected \(error)") }
                refusedLowOrder += 1
            }
        }
        print("Wycheproof X25519: \(computed) computed and matched, \(refusedLowOrder) low-order refused, of \(file.numberOfTests)")
        #expect(computed == 264 + 223 && refusedLowOrder == 31)
    }

    @Test("RFC 7748: section 5.2 scalar multiplication, iterated test, section 6.1 key agreement")
    func rfc7748() throws {
        let file = try fixture("rfc/rfc7748_x25519.json", as: RFC7748.self)
        for v in file.scalarmult {
            let priv = try X25519.PrivateKey(rawRepresentation: SecureBytes(try hex(v.scalar)))
            #expect(try priv.sharedSecret(with: X25519.PublicKey(rawRepresentation: try hex(v.u))).unprotectedBytes == (try hex(v.output)))
        }
        // Iterated: k, u start at 9; each round k' = X25519(k, u), u' = k.
        let slow = ProcessInfo.processInfo.environment["MASHLINK_SLOW_VECTORS"] == "1"
        var ran = 0
        var k = [UInt8](repeating: 0, count: 32), u = [UInt8](repeating: 0, count: 32)
        k[0] = 9
        u[0] = 9
        var done = 0
        for target in file.iterated.sorted(by: { $0.iterations < $1.iterations }) {
            if target.iterations > 1000 && !slow {
                print("RFC 7748 iterated \(target.iterations) rounds: not run (set MASHLINK_SLOW_VECTORS=1; takes minutes)")
                continue
            }
            while done < target.iterations {
                let priv = try X25519.PrivateKey(rawRepresentation: SecureBytes(k))
                let next = try priv.sharedSecret(with: X25519.PublicKey(rawRepresentation: u)).unprotectedBytes
                u = k
                k = next
                done += 1
            }
            #expect(k == (try hex(target.k)), "after \(target.iterations) iterations")
            ran += 1
        }
        let alice = try X25519.PrivateKey(rawRepresentation: SecureBytes(try hex(file.dh.alice_private)))
        let bob = try X25519.PrivateKey(rawRepresentation: SecureBytes(try hex(file.dh.bob_private)))
        #expect(alice.publicKey.rawRepresentation == (try hex(file.dh.alice_public)))
        #expect(bob.publicKey.rawRepresentation == (try hex(file.dh.bob_public)))
        #expect(try alice.sharedSecret(with: bob.publicKey).unprotectedBytes == (try hex(file.dh.shared)))
        #expect(try bob.sharedSecret(with: alice.publicKey) == alice.sharedSecret(with: bob.publicKey))
        print("RFC 7748 X25519: checked \(file.scalarmult.count) scalar multiplications, \(ran) iterated targets, 1 key agreement")
        #expect(ran >= 2)
    }

    @Test("Wycheproof ed25519_test.json: every verification verdict agrees")
    func ed25519Wycheproof() throws {
        let file = try fixture("wycheproof/ed25519_test.json", as: WycheproofFile<EdGroup>.self)
        var checked = 0
        for group in file.testGroups {
            let key = try Ed25519.PublicKey(rawRepresentation: try hex(group.publicKey.pk))
            let fromPEM = try Ed25519.PublicKey(pemRepresentation: group.publicKeyPem)
            #expect(fromPEM == key)
            for test in group.tests {
                let ok = key.isValidSignature(try hex(test.sig), for: try hex(test.msg))
                #expect(ok == (test.result == .valid), "tcId \(test.tcId)")
                checked += 1
            }
        }
        print("Wycheproof Ed25519: checked \(checked) of \(file.numberOfTests) vectors, all agree")
        #expect(checked == 151)
    }

    @Test("RFC 8032 section 7.1: public key derivation and deterministic signatures")
    func rfc8032() throws {
        let file = try fixture("rfc/rfc8032_ed25519.json", as: RFC8032.self)
        for c in file.cases {
            let priv = try Ed25519.PrivateKey(rawRepresentation: SecureBytes(try hex(c.secret)))
            #expect(priv.publicKey.rawRepresentation == (try hex(c.public)), "TEST \(c.test)")
            let sig = priv.signature(for: try hex(c.message))
            #expect(sig == (try hex(c.signature)), "TEST \(c.test)")
            #expect(priv.publicKey.isValidSignature(sig, for: try hex(c.message)))
        }
        print("RFC 8032 Ed25519: checked \(file.cases.count) cases")
        #expect(file.cases.count == 5)
    }

    @Test("PEM round trips (PKCS#8 and SPKI) and malformed PEM is refused clearly")
    func pem() throws {
        let ed = Ed25519.PrivateKey()
        let edBack = try Ed25519.PrivateKey(pemRepresentation: ed.pemRepresentation)
        #expect(edBack.publicKey == ed.publicKey)
        #expect(ed.pemRepresentation.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        #expect(try Ed25519.PublicKey(pemRepresentation: ed.publicKey.pemRepresentation) == ed.publicKey)

        let x = X25519.PrivateKey()
        #expect(try X25519.PrivateKey(pemRepresentation: x.pemRepresentation).publicKey == x.publicKey)
        #expect(try X25519.PublicKey(pemRepresentation: x.publicKey.pemRepresentation) == x.publicKey)

        // Wrong algorithm, corrupted body, no PEM at all: each a malformedPEM with its own reason.
        #expect(throws: CryptoError.self) { try X25519.PrivateKey(pemRepresentation: ed.pemRepresentation) }
        var corrupted = ed.pemRepresentation
        corrupted.remove(at: corrupted.index(corrupted.startIndex, offsetBy: 40))
        let errors: [CryptoError] = [
            catchError { () throws(CryptoError) in _ = try X25519.PrivateKey(pemRepresentation: ed.pemRepresentation) },
            catchError { () throws(CryptoError) in _ = try Ed25519.PrivateKey(pemRepresentation: corrupted) },
            catchError { () throws(CryptoError) in _ = try Ed25519.PublicKey(pemRepresentation: "not a key") },
        ].compactMap { $0 }
        #expect(errors.count == 3)
        for error in errors {
            guard case .malformedPEM = error else { Issue.record("expected malformedPEM, got \(error)"); continue }
        }
        #expect(Set(errors.map(\.description)).count == 3, "each malformed-PEM case should say what is wrong")
    }

    @Test("signatures fail on any change and under another key")
    func signatureNegative() {
        let key = Ed25519.PrivateKey()
        let msg = Array("batch digest".utf8)
        var sig = key.signature(for: msg)
        #expect(key.publicKey.isValidSignature(sig, for: msg))
        #expect(!Ed25519.PrivateKey().publicKey.isValidSignature(sig, for: msg))
        #expect(!key.publicKey.isValidSignature(sig, for: Array("batch digesT".utf8)))
        #expect(!key.publicKey.isValidSignature(sig.prefix(63), for: msg))
        sig[0] ^= 0x80
        #expect(!key.publicKey.isValidSignature(sig, for: msg))
    }
}

func catchError(_ body: () throws(CryptoError) -> Void) -> CryptoError? {
    do { try body(); return nil } catch { return error }
}
