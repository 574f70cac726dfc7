import Testing
@testable import TransparencyLog

@Suite("Proof bundles (c2sp.org/tlog-proof)")
struct ProofBundleTests {
    static let origin = "mashlink.example/disclosure-log"

    @Test("the Python-made bundle: encoded byte-identically, parsed, verified for its entry")
    func pythonFixture() throws {
        let f = try CheckpointFixture.load()
        let verifier = try NoteVerifier(verifierKey: f.verifier_key)
        let proof = try f.bundle.proof_hex.map(hex)
        let made = try ProofBundle(index: f.bundle.index, proof: proof, checkpoint: f.checkpoints[0].note)
        #expect(made.encoded == f.bundle.text)

        let parsed = try ProofBundle(parsing: f.bundle.text)
        #expect(parsed == made)
        #expect(parsed.extra == nil)
        let head = try parsed.verify(entry: try hex(f.bundle.leaf_input_hex), origin: Self.origin, verifiers: [verifier])
        #expect(head.size == 8)
        try parsed.verify(leafHash: MerkleHashing.leafHash(try hex(f.bundle.leaf_input_hex)), origin: Self.origin, verifiers: [verifier])

        #expect(throws: LogError.inclusionRootMismatch) {
            try parsed.verify(entry: try hex("3031"), origin: Self.origin, verifiers: [verifier])
        }
        #expect(throws: LogError.noKnownSignature) {
            try parsed.verify(entry: try hex(f.bundle.leaf_input_hex), origin: Self.origin, verifiers: [try randomSigner(Self.origin).verifier])
        }
        #expect(throws: LogError.originMismatch(expected: "other.example/log", actual: Self.origin)) {
            try parsed.verify(entry: try hex(f.bundle.leaf_input_hex), origin: "other.example/log", verifiers: [verifier])
        }
        let moved = try ProofBundle(parsing: f.bundle.text.replacingOccurrences(of: "index 5\n", with: "index 4\n"))
        #expect(throws: LogError.self) { try moved.verify(entry: try hex(f.bundle.leaf_input_hex), origin: Self.origin, verifiers: [verifier]) }
        let resized = f.bundle.text.replacingOccurrences(of: "\n8\n", with: "\n9\n")
        #expect(throws: LogError.invalidSignature(keyName: f.key_name, keyID: verifier.keyID)) {
            try ProofBundle(parsing: resized).verify(entry: try hex(f.bundle.leaf_input_hex), origin: Self.origin, verifiers: [verifier])
        }
    }

    @Test("every entry of a log gets a receipt that verifies, with extra data round-tripped")
    func receipts() throws {
        let hub = try randomSigner(Self.origin)
        var tree = MerkleTree()
        let entries = (0..<21).map { Array("{\"release\":\($0)}".utf8) }
        for entry in entries { tree.append(entry) }
        let note = try Checkpoint(origin: Self.origin, size: tree.count, rootHash: tree.root).signed(by: hub)
        for (i, entry) in entries.enumerated() {
            let extra: [UInt8]? = i.isMultiple(of: 2) ? Array("referral \(i)".utf8) : nil
            let bundle = try ProofBundle(index: UInt64(i), proof: try tree.inclusionProof(index: UInt64(i), treeSize: tree.count), checkpoint: note, extra: extra)
            let parsed = try ProofBundle(parsing: bundle.encoded)
            #expect(parsed == bundle)
            #expect(parsed.extra == extra)
            try parsed.verify(entry: entry, origin: Self.origin, verifiers: [hub.verifier])
            #expect(throws: LogError.self) { try parsed.verify(entry: entries[(i + 1) % entries.count], origin: Self.origin, verifiers: [hub.verifier]) }
        }
    }

    @Test("bundles that are not in the tlog-proof format are refused")
    func malformed() throws {
        let f = try CheckpointFixture.load()
        let good = f.bundle.text
        let firstHash = Base64.encode(try hex(f.bundle.proof_hex[0]))
        let bad: [(String, String)] = [
            (good.replacingOccurrences(of: "@v1", with: "@v2"), "wrong header"),
            (good.replacingOccurrences(of: "index 5", with: "index 05"), "leading zero"),
            (good.replacingOccurrences(of: "index 5", with: "index  5"), "two spaces"),
            (good.replacingOccurrences(of: "index 5\n", with: ""), "no index"),
            (good.replacingOccurrences(of: "index 5\n", with: "index 5\nextra AAAA\n"), "extra after index"),
            (good.replacingOccurrences(of: "\(firstHash)\n", with: "\(firstHash.dropLast())\n"), "unpadded hash"),
            (good.replacingOccurrences(of: "\(firstHash)\n", with: "AAAA\n"), "3-byte hash"),
            (good.replacingOccurrences(of: "\n\n\(f.key_name)\n", with: "\n\(f.key_name)\n"), "no blank line before the checkpoint"),
            (String(good.prefix(while: { $0 != "\n" })) + "\nindex 5\n\n", "no checkpoint"),
            (good.replacingOccurrences(of: "\n", with: "\r\n"), "CRLF"),
            ("", "empty"),
        ]
        for (text, why) in bad {
            let result = Result { () throws(LogError) in try ProofBundle(parsing: text) }
            if case .failure(.malformedProofBundle) = result {} else { Issue.record("\(why): \(result)") }
        }
        let withExtra = good.replacingOccurrences(of: "index 5\n", with: "extra \(Base64.encode(Array("hi".utf8)))\nindex 5\n")
        #expect(try ProofBundle(parsing: withExtra).extra == Array("hi".utf8))
        #expect(throws: LogError.self) { try ProofBundle(index: 0, proof: [[1, 2]], checkpoint: f.checkpoints[0].note) }
        #expect(throws: LogError.self) { try ProofBundle(index: 0, proof: [], checkpoint: "not a note") }
    }
}
