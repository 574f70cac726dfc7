import LinkCrypto
import Testing
@testable import TransparencyLog

@Suite("Signed notes and verifier keys")
struct SignedNoteTests {
    // The worked example in the package documentation of golang.org/x/mod/sumdb/note (note.go),
    // the reference implementation of c2sp.org/signed-note: a signer key, its verifier key, and the
    // note it signs. Checked independently with Python `cryptography` (see Fixtures/README.md).
    static let goSignerKey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
    static let goVerifierKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
    static let goText = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
    static let goNote = goText + "\n\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"

    @Test("the golang.org/x/mod/sumdb/note example: verifier key, verification, byte-identical signing")
    func goExample() throws {
        let verifier = try NoteVerifier(verifierKey: Self.goVerifierKey)
        #expect(verifier.name == "PeterNeumann")
        #expect(verifier.keyID == 0xc74f_20a3)
        #expect(verifier.verifierKey == Self.goVerifierKey)

        let note = try SignedNote(parsing: Self.goNote)
        #expect(note.text == Self.goText)
        #expect(try note.verify(with: [verifier]) == [verifier])

        let encodedSeed = Self.goSignerKey.dropFirst("PRIVATE+KEY+PeterNeumann+c74f20a3+".count)
        let seed = try #require(Base64.decode(encodedSeed))
        #expect(seed.first == 0x01 && seed.count == 33)
        let signer = try NoteSigner(name: "PeterNeumann", privateKey: Ed25519.PrivateKey(rawRepresentation: SecureBytes(seed.dropFirst())))
        #expect(signer.verifier == verifier)
        #expect(try SignedNote(signing: Self.goText, with: [signer]).encoded == Self.goNote)
    }

    @Test("verifier keys that are malformed or do not match their key are refused")
    func badVerifierKeys() throws {
        let good = Self.goVerifierKey
        let cases: [(String, String)] = [
            ("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "key id off by one"),
            ("PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "upper-case hex is read, so this one must pass"),
            ("Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "space in the name"),
            ("+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "empty name"),
            ("PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "7-digit key id"),
            ("PeterNeumann+-74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "sign in the key id"),
            ("PeterNeumann+c74f20a3+ApNc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "key type 0x02"),
            ("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10Q=", "31-byte key"),
            ("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW\n", "trailing newline"),
            ("PeterNeumann+c74f20a3", "no key"),
            ("PeterNeumann", "no parts"),
        ]
        for (key, why) in cases {
            let result = Result { () throws(LogError) in try NoteVerifier(verifierKey: key) }
            if why.hasSuffix("must pass") {
                #expect(try result.get().verifierKey == good, "\(why)")
            } else {
                #expect(result.failure != nil, "\(why)")
            }
        }
        #expect(throws: LogError.invalidKeyName("a+b")) { try randomSigner("a+b") }
        #expect(throws: LogError.invalidKeyName("")) { try randomSigner("") }
        #expect(throws: LogError.invalidKeyName("tab\there")) { try randomSigner("tab\there") }
        #expect(throws: LogError.invalidKeyName("nbsp\u{00A0}here")) { try randomSigner("nbsp\u{00A0}here") }
    }

    @Test("unknown keys are ignored, a known key's bad signature refuses the note, no known key refuses it")
    func verificationRules() throws {
        let log = try randomSigner("mashlink.example/disclosure-log")
        let witness = try randomSigner("witness.example/w1")
        let impostor = try randomSigner("mashlink.example/disclosure-log")  // same name, other key
        let text = "a\nb\n"

        let both = try SignedNote(signing: text, with: [witness, log])
        #expect(try both.verify(with: [log.verifier]) == [log.verifier])
        #expect(try both.verify(with: [log.verifier, witness.verifier]) == [witness.verifier, log.verifier])
        #expect(throws: LogError.noKnownSignature) { try SignedNote(signing: text, with: [witness]).verify(with: [log.verifier]) }
        #expect(throws: LogError.noKnownSignature) { try SignedNote(signing: text, with: [impostor]).verify(with: [log.verifier]) }
        #expect(throws: LogError.noKnownSignature) { try both.verify(with: []) }

        // A line that claims the log's name and key id but carries another signature.
        let forged = try SignedNote(signing: "other\n", with: [log]).signatures[0].line
        let mixed = try SignedNote(parsing: text + "\n" + both.signatures.map(\.line).joined() + forged)
        #expect(throws: LogError.invalidSignature(keyName: log.name, keyID: log.keyID)) { try mixed.verify(with: [log.verifier]) }
        // ...which is harmless to a verifier that does not know the log's key.
        #expect(try mixed.verify(with: [witness.verifier]) == [witness.verifier])
    }

    @Test("notes that are not in the signed-note format are refused")
    func malformedNotes() throws {
        let signer = try randomSigner("k.example")
        let good = try SignedNote(signing: "x\ny\n", with: [signer]).encoded
        let line = try SignedNote(parsing: good).signatures[0].line
        let bad: [(String, [UInt8])] = [
            ("no blank line", Array("x\ny\n\(line)".utf8)),
            ("no final newline", Array(good.utf8.dropLast())),
            ("tab", Array("x\ty\n\n\(line)".utf8)),
            ("carriage return", Array(good.replacingOccurrences(of: "\n\n", with: "\r\n\n").utf8)),
            ("not UTF-8", Array("x\n".utf8) + [0xff] + Array("\n\n\(line)".utf8)),
            ("hyphens for the em dash", Array(good.replacingOccurrences(of: "\u{2014} ", with: "-- ").utf8)),
            ("en dash", Array(good.replacingOccurrences(of: "\u{2014}", with: "\u{2013}").utf8)),
            ("no space after the dash", Array(good.replacingOccurrences(of: "\u{2014} ", with: "\u{2014}").utf8)),
            ("base64 without padding", Array(String(good.dropLast(2)).utf8) + [0x0a]),
            ("signature of 4 bytes", Array("x\n\n\u{2014} k.example AAAAAA==\n".utf8)),
            ("empty", []),
        ]
        for (why, bytes) in bad {
            let result = Result { () throws(LogError) in try SignedNote(parsing: bytes) }
            #expect(result.failure != nil, "\(why)")
        }
        // A blank line among the signatures makes the lines before it part of the text, so the
        // signature no longer covers the text.
        let shifted = try SignedNote(parsing: good + "\n" + line)
        #expect(shifted.text == "x\ny\n\n" + line && shifted.signatures.count == 1)
        #expect(throws: LogError.invalidSignature(keyName: signer.name, keyID: signer.keyID)) { try shifted.verify(with: [signer.verifier]) }

        let many = "x\n\n" + String(repeating: line, count: SignedNote.maximumSignatures + 1)
        #expect(throws: LogError.tooManySignatures(limit: 100)) { try SignedNote(parsing: many) }
        let enough = try SignedNote(parsing: "x\n\n" + String(repeating: line, count: SignedNote.maximumSignatures))
        #expect(enough.signatures.count == 100)

        #expect(throws: LogError.self) { try SignedNote(signing: "no newline", with: [signer]) }
        #expect(throws: LogError.self) { try SignedNote(signing: "tab\t\n", with: [signer]) }
        #expect(throws: LogError.self) { try SignedNote(signing: "x\n", with: []) }
    }

    @Test("the text is split at the last blank line and may hold blank lines itself")
    func blankLinesInText() throws {
        let signer = try randomSigner("k.example")
        let text = "para one\n\npara two\n\n"
        let note = try SignedNote(signing: text, with: [signer])
        let parsed = try SignedNote(parsing: note.encoded)
        #expect(parsed.text == text)
        #expect(parsed == note)
        try parsed.verify(with: [signer.verifier])
    }
}
