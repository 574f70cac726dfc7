import Testing
@testable import TransparencyLog

/// `Fixtures/merkle.json`: the 196 transparency-dev/merkle verification probes (base64; a null
/// proof is an empty proof; `wantErr` means verification must fail).
@Suite("RFC 6962 verification probes")
struct MerkleProbeTests {
    struct File: Decodable {
        struct Inclusion: Decodable {
            let leafIdx: UInt64; let treeSize: UInt64; let root: String; let leafHash: String
            let proof: [String]?; let desc: String; let wantErr: Bool; let source: String
        }
        struct Consistency: Decodable {
            let size1: UInt64; let size2: UInt64; let root1: String; let root2: String
            let proof: [String]?; let desc: String; let wantErr: Bool; let source: String
        }
        let inclusion: [Inclusion]
        let consistency: [Consistency]
    }

    /// The one probe mashlink answers differently, by design. It checks sizes 1 = 1 with an empty
    /// proof and two equal 12-byte "roots" ("don't care 2"), and expects success; mashlink refuses
    /// every hash that is not 32 bytes (``LogError/invalidHashLength(what:length:)``), in this path
    /// too. RFC 9162 section 2.1.4.2 does not define equal sizes; see `docs/transparency-log.md`.
    static let refusedByDesign = "testdata/consistency/additional/sizes-are-equal-one-and-proof-is-empty.json"

    struct Outcome { let source: String; let desc: String; let wantErr: Bool; let error: LogError? }

    @Test("all 196 probes: every wantErr probe fails, every good one passes (one documented exception)")
    func allProbes() throws {
        let file = try fixture("merkle.json", as: File.self)
        var outcomes: [Outcome] = []
        for p in file.inclusion {
            let (proof, leafHash, root) = (try (p.proof ?? []).map(base64), try base64(p.leafHash), try base64(p.root))
            let result = Result { () throws(LogError) in
                try MerkleVerification.verifyInclusion(leafHash: leafHash, index: p.leafIdx, treeSize: p.treeSize, proof: proof, root: root)
            }
            outcomes.append(Outcome(source: p.source, desc: p.desc, wantErr: p.wantErr, error: result.failure))
        }
        for p in file.consistency {
            let (proof, root1, root2) = (try (p.proof ?? []).map(base64), try base64(p.root1), try base64(p.root2))
            let result = Result { () throws(LogError) in
                try MerkleVerification.verifyConsistency(firstSize: p.size1, secondSize: p.size2, firstRoot: root1, secondRoot: root2, proof: proof)
            }
            outcomes.append(Outcome(source: p.source, desc: p.desc, wantErr: p.wantErr, error: result.failure))
        }
        #expect(file.inclusion.count == 98)
        #expect(file.consistency.count == 98)
        #expect(outcomes.count == 196)
        #expect(outcomes.filter(\.wantErr).count == 184)

        let disagreeing = outcomes.filter { ($0.error != nil) != $0.wantErr }
        for o in disagreeing where o.source != Self.refusedByDesign {
            Issue.record("\(o.source) (\(o.desc)): wantErr \(o.wantErr), got \(o.error.map(String.init(describing:)) ?? "success")")
        }
        #expect(disagreeing.map(\.source) == [Self.refusedByDesign])
        if let exception = disagreeing.first {
            #expect(exception.error == .invalidHashLength(what: "first root", length: 12))
        }
        print("merkle.json: ran \(outcomes.count) probes (\(outcomes.filter(\.wantErr).count) wantErr); \(outcomes.count - disagreeing.count) agree, 1 refused by design (12-byte roots)")
    }

    @Test("the intent of the exception holds with 32-byte roots: equal sizes, equal roots, empty proof verify")
    func equalSizesWithRealRoots() throws {
        let root = MerkleHashing.leafHash([0x2a])
        try MerkleVerification.verifyConsistency(firstSize: 1, secondSize: 1, firstRoot: root, secondRoot: root, proof: [])
        try MerkleVerification.verifyConsistency(
            firstSize: 0, secondSize: 0, firstRoot: MerkleHashing.emptyTreeRoot, secondRoot: MerkleHashing.emptyTreeRoot, proof: [])
        #expect(throws: LogError.notEmptyTreeRoot) {
            try MerkleVerification.verifyConsistency(firstSize: 0, secondSize: 0, firstRoot: root, secondRoot: root, proof: [])
        }
    }
}

extension Result {
    /// The error, if this is a failure.
    var failure: Failure? {
        if case .failure(let error) = self { error } else { nil }
    }
}
