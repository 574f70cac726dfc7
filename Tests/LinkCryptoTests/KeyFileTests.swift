import Foundation
import Testing
@testable import LinkCrypto

@Suite("scrypt and passphrase-wrapped key files")
struct KeyFileTests {
    struct RFC7914: Decodable {
        struct Case: Decodable {
            let `case`: Int; let password: String; let salt: String; let N: UInt64; let r: UInt64; let p: UInt64
            let dklen: Int; let dk: String
        }
        let cases: [Case]
    }

    /// Cheap parameters for tests; the default (N = 2^17) is exercised once below.
    static let fast = Scrypt.Parameters(n: 1 << 10, r: 8, p: 1)

    @Test("RFC 7914 section 12: all four vectors (the fourth needs 1 GiB)")
    func rfc7914() throws {
        let file = try fixture("rfc/rfc7914_scrypt.json", as: RFC7914.self)
        for c in file.cases {
            let dk = try Scrypt.deriveKey(
                passphrase: try hex(c.password), salt: try hex(c.salt), parameters: .init(n: c.N, r: c.r, p: c.p), length: c.dklen)
            #expect(dk.unprotectedBytes == (try hex(c.dk)), "RFC 7914 vector \(c.case)")
        }
        print("RFC 7914 scrypt: checked \(file.cases.count) vectors")
        #expect(file.cases.count == 4)
    }

    @Test("scrypt refuses parameters that are not a power of two or need too much memory")
    func scryptLimits() {
        #expect(throws: CryptoError.self) { try Scrypt.deriveKey(passphrase: [1], salt: [2], parameters: .init(n: 1000, r: 8, p: 1), length: 32) }
        #expect(throws: CryptoError.self) { try Scrypt.deriveKey(passphrase: [1], salt: [2], parameters: .init(n: 1 << 22, r: 8, p: 1), length: 32) }
    }

    @Test("key files round-trip for each key type; wrong passphrase and altered files are refused")
    func roundTrip() throws {
        let release = X25519.PrivateKey()
        let file = try release.wrapped(passphrase: "correct horse", parameters: Self.fast)
        #expect(file.keyID == release.publicKey.keyID)
        let parsed = try PassphraseKeyFile(parsing: file.serialized)
        #expect(parsed == file)
        #expect(try X25519.PrivateKey(keyFile: parsed, passphrase: "correct horse").publicKey == release.publicKey)
        #expect(throws: CryptoError.wrongPassphrase) { try X25519.PrivateKey(keyFile: parsed, passphrase: "correct horsE") }
        #expect(throws: CryptoError.self) { try Ed25519.PrivateKey(keyFile: parsed, passphrase: "correct horse") }

        // A header changed after wrapping (here the declared key id) no longer opens.
        // (Two leading digits that differ from the real ones: a key id that already starts "00" must still change.)
        let prefix = file.keyID.hasPrefix("00") ? "11" : "00"
        let altered = file.serialized.replacingOccurrences(of: "key-id: \(file.keyID)", with: "key-id: \(prefix)\(file.keyID.dropFirst(2))")
        #expect(altered != file.serialized)
        #expect(throws: CryptoError.wrongPassphrase) { try PassphraseKeyFile(parsing: altered).unwrap(passphrase: "correct horse") }

        let signing = Ed25519.PrivateKey()
        let signingFile = try signing.wrapped(passphrase: "pw", parameters: Self.fast)
        #expect(try Ed25519.PrivateKey(keyFile: signingFile, passphrase: "pw").publicKey == signing.publicKey)

        let linkage = SecureBytes(randomCount: 32)
        let linkageFile = try PassphraseKeyFile.wrap(linkage, keyType: .symmetric, keyID: "abcd", passphrase: "pw", parameters: Self.fast)
        #expect(try linkageFile.unwrap(passphrase: "pw") == linkage)
    }

    @Test("the default key-file cost opens its own file")
    func defaultCost() throws {
        let key = Ed25519.PrivateKey()
        let file = try key.wrapped(passphrase: "operator passphrase")
        #expect(file.parameters == .keyFile)
        #expect(try Ed25519.PrivateKey(keyFile: file, passphrase: "operator passphrase").publicKey == key.publicKey)
    }

    @Test("files are written 0600, never overwritten, and unknown versions are refused")
    func files() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mashlink-keyfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("release.key").path
        let file = try X25519.PrivateKey().wrapped(passphrase: "pw", parameters: Self.fast)
        try file.write(toPath: path)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try PassphraseKeyFile.read(fromPath: path) == file)
        #expect(throws: CryptoError.self) { try file.write(toPath: path) }

        let future = file.serialized.replacingOccurrences(of: "mashlink-key-file: 1", with: "mashlink-key-file: 9")
        let error = catchError { () throws(CryptoError) in _ = try PassphraseKeyFile(parsing: future) }
        guard case .unsupportedKeyFile(let reason) = error else { Issue.record("expected unsupportedKeyFile, got \(String(describing: error))"); return }
        #expect(reason.contains("version 9"))
        #expect(throws: CryptoError.self) { try PassphraseKeyFile(parsing: "-----BEGIN PRIVATE KEY-----\nabc") }
    }
}

@Suite("random and constant-time compare")
struct PrimitivesTests {
    @Test("random bytes differ between calls and have the requested length")
    func random() {
        let a = SecureRandom.bytes(count: 32), b = SecureRandom.bytes(count: 32)
        #expect(a.count == 32 && a != b)
        #expect(SecureBytes(randomCount: 32) != SecureBytes(randomCount: 32))
        #expect(SecureRandom.bytes(count: 0).isEmpty)
    }

    @Test("constant-time equality agrees with ordinary equality")
    func constantTime() {
        #expect(ConstantTime.equal([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equal([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equal([1, 2, 3], [1, 2]))
        #expect(ConstantTime.equal([UInt8](), [UInt8]()))
    }

    @Test("SHA-256 of 'abc' (FIPS 180-2 appendix B.1) and streaming equals one-shot")
    func sha256() {
        #expect(Hex.encode(SHA256.hash(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let hasher = SHA256.Hasher()
        hasher.update(Array("a".utf8))
        hasher.update(Array("bc".utf8))
        #expect(hasher.finalize() == SHA256.hash(Array("abc".utf8)))
    }

    @Test("hex round trip and refusal of bad hex")
    func hexCoding() {
        #expect(Hex.decode("00ff10AB") == [0, 255, 16, 171])
        #expect(Hex.encode([0, 255, 16, 171]) == "00ff10ab")
        #expect(Hex.decode("abc") == nil && Hex.decode("zz") == nil)
    }
}
