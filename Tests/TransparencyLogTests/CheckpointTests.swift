import LinkCrypto
import Testing
@testable import TransparencyLog

@Suite("Checkpoints")
struct CheckpointTests {
    static let origin = "mashlink.example/disclosure-log"

    @Test("the Python-made fixture: same key id and verifier key, byte-identical signatures, and it verifies")
    func pythonFixture() throws {
        let f = try CheckpointFixture.load()
        let signer = try f.signer()
        #expect(signer.verifier.publicKey.rawRepresentation == (try hex(f.public_key_hex)))
        #expect(KeyIDFormat.hex(signer.keyID) == f.key_id_hex)
        #expect(signer.verifier.verifierKey == f.verifier_key)
        let verifier = try NoteVerifier(verifierKey: f.verifier_key)
        #expect(verifier == signer.verifier)

        #expect(f.checkpoints.count == 3)
        for entry in f.checkpoints {
            let checkpoint = try Checkpoint(origin: entry.origin, size: entry.size, rootHash: try hex(entry.root_hex), extensions: entry.extensions)
            #expect(checkpoint.text == entry.text, "size \(entry.size)")
            #expect(checkpoint.signed(by: signer) == entry.note, "size \(entry.size)")
            let opened = try Checkpoint.open(entry.note, origin: Self.origin, verifiers: [verifier])
            #expect(opened == checkpoint, "size \(entry.size)")
            #expect(try Checkpoint(text: entry.text) == checkpoint)
        }
    }

    @Test("sign then open round-trips, with and without extension lines")
    func roundTrip() throws {
        let signer = try randomSigner(Self.origin)
        var tree = MerkleTree()
        for i in 0..<13 { tree.append(Array("entry \(i)".utf8)) }
        for extensions in [[], ["ext one", "ext two"]] {
            let checkpoint = try Checkpoint(origin: Self.origin, size: tree.count, rootHash: tree.root, extensions: extensions)
            let note = checkpoint.signed(by: signer)
            #expect(try Checkpoint.open(note, origin: Self.origin, verifiers: [signer.verifier]) == checkpoint)
            #expect(try Checkpoint.open(Array(note.utf8), origin: Self.origin, verifiers: [signer.verifier]) == checkpoint)
        }
    }

    @Test("a tampered size, root, origin or extension fails the signature; a wrong expected origin is named")
    func tampering() throws {
        let f = try CheckpointFixture.load()
        let verifier = try NoteVerifier(verifierKey: f.verifier_key)
        let note = f.checkpoints[0].note
        let root = f.checkpoints[0].text.split(separator: "\n")[2]
        let flippedRoot = try #require(Base64.decode(root)).enumerated().map { $0.offset == 0 ? $0.element ^ 1 : $0.element }
        let tampered = [
            note.replacingOccurrences(of: "\n8\n", with: "\n9\n"),
            note.replacingOccurrences(of: String(root), with: Base64.encode(flippedRoot)),
            note.replacingOccurrences(of: "mashlink.example/disclosure-log\n8", with: "mashlink.example/disclosure-lol\n8"),
            note.replacingOccurrences(of: "=\n\n", with: "=\nsmuggled\n\n"),
        ]
        for (i, text) in tampered.enumerated() {
            #expect(text != note)
            #expect(throws: LogError.invalidSignature(keyName: f.key_name, keyID: verifier.keyID), "tampering \(i)") {
                try Checkpoint.open(text, origin: Self.origin, verifiers: [verifier])
            }
        }
        #expect(throws: LogError.originMismatch(expected: "mashlink.example/other-log", actual: Self.origin)) {
            try Checkpoint.open(note, origin: "mashlink.example/other-log", verifiers: [verifier])
        }
    }

    @Test("a wrong key fails; an unknown key alone fails; extra unknown signatures are ignored")
    func keys() throws {
        let f = try CheckpointFixture.load()
        let hub = try f.signer()
        let otherHubKey = try randomSigner(Self.origin)
        let witness = try randomSigner("witness.example/w1")
        let checkpoint = try Checkpoint(text: f.checkpoints[0].text)

        #expect(throws: LogError.noKnownSignature) {
            try Checkpoint.open(checkpoint.signed(by: otherHubKey), origin: Self.origin, verifiers: [hub.verifier])
        }
        #expect(throws: LogError.noKnownSignature) {
            try Checkpoint.open(checkpoint.signed(by: witness), origin: Self.origin, verifiers: [hub.verifier])
        }
        for note in [checkpoint.signed(by: hub, witness), checkpoint.signed(by: witness, hub), checkpoint.signed(by: otherHubKey, hub, witness)] {
            #expect(try Checkpoint.open(note, origin: Self.origin, verifiers: [hub.verifier]) == checkpoint)
        }
        // The fixture note with a witness cosignature appended still opens, byte for byte as signed.
        let witnessLine = try #require(checkpoint.signed(by: witness).split(separator: "\n").last)
        let cosigned = f.checkpoints[0].note + witnessLine + "\n"
        #expect(try Checkpoint.open(cosigned, origin: Self.origin, verifiers: [hub.verifier]) == checkpoint)
        #expect(try SignedNote(parsing: cosigned).signatures.count == 2)
    }

    @Test("signed notes whose text is not a checkpoint are refused")
    func malformedBodies() throws {
        let signer = try randomSigner(Self.origin)
        let root = Base64.encode(MerkleHashing.emptyTreeRoot)
        let bodies: [(String, String)] = [
            ("\(Self.origin)\n08\n\(root)\n", "leading zero"),
            ("\(Self.origin)\n+8\n\(root)\n", "plus sign"),
            ("\(Self.origin)\n-1\n\(root)\n", "negative"),
            ("\(Self.origin)\n 8\n\(root)\n", "space"),
            ("\(Self.origin)\n0x8\n\(root)\n", "hex"),
            ("\(Self.origin)\n18446744073709551616\n\(root)\n", "beyond UInt64"),
            ("\(Self.origin)\n\n\(root)\n", "empty size"),
            ("\(Self.origin)\n8\n\(Base64.encode(MerkleHashing.emptyTreeRoot.dropLast()))\n", "31-byte root"),
            ("\(Self.origin)\n8\n\(Base64.encode(MerkleHashing.emptyTreeRoot + [0]))\n", "33-byte root"),
            ("\(Self.origin)\n8\n\(root.dropLast())\n", "unpadded root"),
            ("\(Self.origin)\n8\n\(Hex.encode(MerkleHashing.emptyTreeRoot))\n", "hex root"),
            ("\(Self.origin)\n8\n", "no root"),
            ("\n8\n\(root)\n", "empty origin"),
            ("\(Self.origin)\n8\n\(root)\n\nextension after a blank line\n", "empty extension line"),
        ]
        for (body, why) in bodies {
            let note = try SignedNote(signing: body, with: [signer]).encoded
            let result = Result { () throws(LogError) in try Checkpoint.open(note, origin: Self.origin, verifiers: [signer.verifier]) }
            if case .failure(.malformedCheckpoint) = result {} else { Issue.record("\(why): \(result)") }
        }
        #expect(try Checkpoint.open(
            SignedNote(signing: "\(Self.origin)\n18446744073709551615\n\(root)\n", with: [signer]).encoded,
            origin: Self.origin, verifiers: [signer.verifier]).size == UInt64.max)
        #expect(throws: LogError.self) { try Checkpoint(origin: "", size: 0, rootHash: MerkleHashing.emptyTreeRoot) }
        #expect(throws: LogError.self) { try Checkpoint(origin: "a\nb", size: 0, rootHash: MerkleHashing.emptyTreeRoot) }
        #expect(throws: LogError.self) { try Checkpoint(origin: "a", size: 0, rootHash: []) }
        #expect(throws: LogError.self) { try Checkpoint(origin: "a", size: 0, rootHash: MerkleHashing.emptyTreeRoot, extensions: [""]) }
    }

    @Test("a later checkpoint extends an earlier one by a consistency proof; a rewritten log does not")
    func extendedBy() throws {
        var tree = MerkleTree()
        for i in 0..<10 { tree.append(Array("release \(i)".utf8)) }
        let early = try Checkpoint(origin: Self.origin, size: 4, rootHash: try tree.root(size: 4))
        let late = try Checkpoint(origin: Self.origin, size: 10, rootHash: tree.root)
        try early.verifyExtended(by: late, proof: try tree.consistencyProof(from: 4, to: 10))

        var rewritten = MerkleTree()
        for i in 0..<10 { rewritten.append(Array((i == 2 ? "altered" : "release \(i)").utf8)) }
        let forked = try Checkpoint(origin: Self.origin, size: 10, rootHash: rewritten.root)
        // Size 4 is a complete subtree, so the proof starts from the saved root and the rewrite shows
        // in the later root; from size 5 the proof must also rebuild the earlier root, and cannot.
        #expect(throws: LogError.consistencySecondRootMismatch) {
            try early.verifyExtended(by: forked, proof: try rewritten.consistencyProof(from: 4, to: 10))
        }
        let early5 = try Checkpoint(origin: Self.origin, size: 5, rootHash: try tree.root(size: 5))
        #expect(throws: LogError.consistencyFirstRootMismatch) {
            try early5.verifyExtended(by: forked, proof: try rewritten.consistencyProof(from: 5, to: 10))
        }
        #expect(throws: LogError.sizesOutOfOrder(first: 10, second: 4)) { try late.verifyExtended(by: early, proof: []) }
        let elsewhere = try Checkpoint(origin: "other.example/log", size: 10, rootHash: tree.root)
        #expect(throws: LogError.originMismatch(expected: Self.origin, actual: "other.example/log")) {
            try early.verifyExtended(by: elsewhere, proof: try tree.consistencyProof(from: 4, to: 10))
        }
    }
}
