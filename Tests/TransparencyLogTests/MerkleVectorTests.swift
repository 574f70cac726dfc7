import Testing
@testable import TransparencyLog

/// `Fixtures/rfc6962.json`: the transparency-dev/merkle reference tree of 8 leaves, in hex.
@Suite("RFC 6962 reference tree")
struct MerkleVectorTests {
    struct File: Decodable {
        struct HasherCase: Decodable {
            let desc: String
            let empty_tree_root: String?
            let leaf_input: String?
            let leaf_hash: String?
            let left: String?
            let right: String?
            let node_hash: String?
        }
        struct NodeHashes: Decodable { let levels: [[String]] }
        struct Root: Decodable { let tree_size: UInt64; let root: String }
        struct Inclusion: Decodable {
            let leaf_index: UInt64; let tree_size: UInt64; let leaf_input: String; let leaf_hash: String
            let root: String; let path: [String]
        }
        struct Consistency: Decodable {
            let size1: UInt64; let size2: UInt64; let root1: String; let root2: String; let proof: [String]
        }
        let hasher_cases: [HasherCase]
        let leaf_inputs: [String]
        let leaf_hashes: [String]
        let node_hashes: NodeHashes
        let roots: [Root]
        let inclusion_proofs: [Inclusion]
        let consistency_proofs: [Consistency]
    }

    let file: File
    let tree: MerkleTree

    init() throws {
        file = try fixture("rfc6962.json", as: File.self)
        var tree = MerkleTree()
        for (i, input) in file.leaf_inputs.enumerated() {
            #expect(tree.append(try hex(input)) == UInt64(i))
        }
        self.tree = tree
    }

    @Test("the 4 hasher cases: empty root, empty leaf, a leaf, a node")
    func hasherCases() throws {
        var checked = 0
        for c in file.hasher_cases {
            if let root = c.empty_tree_root {
                #expect(MerkleHashing.emptyTreeRoot == (try hex(root)), "\(c.desc)")
                #expect(MerkleTree().root == (try hex(root)), "\(c.desc)")
            } else if let input = c.leaf_input, let leaf = c.leaf_hash {
                #expect(MerkleHashing.leafHash(try hex(input)) == (try hex(leaf)), "\(c.desc)")
            } else if let left = c.left, let right = c.right, let node = c.node_hash {
                #expect(MerkleHashing.nodeHash(try hex(left), try hex(right)) == (try hex(node)), "\(c.desc)")
            } else {
                Issue.record("hasher case not understood: \(c.desc)")
            }
            checked += 1
        }
        #expect(checked == 4)
    }

    @Test("leaf hashes of the 8 reference inputs")
    func leafHashes() throws {
        #expect(file.leaf_hashes.count == 8)
        for (i, expected) in file.leaf_hashes.enumerated() {
            #expect(try tree.leafHash(at: UInt64(i)) == (try hex(expected)), "leaf \(i)")
            #expect(MerkleHashing.leafHash(try hex(file.leaf_inputs[i])) == (try hex(expected)), "leaf \(i)")
        }
    }

    @Test("every complete-subtree hash equals the root of that range")
    func nodeHashes() throws {
        var checked = 0
        for (height, level) in file.node_hashes.levels.enumerated() {
            let width = 1 << height
            for (i, expected) in level.enumerated() {
                // A complete subtree of the first (i+1)·2^h leaves, seen as a tree of its own.
                let leaves = try (i * width..<(i + 1) * width).map { try hex(file.leaf_hashes[$0]) }
                let sub = try MerkleTree(leafHashes: leaves)
                #expect(sub.root == (try hex(expected)), "level \(height) node \(i)")
                checked += 1
            }
        }
        #expect(checked == 8 + 4 + 2 + 1)
    }

    @Test("roots for tree sizes 0-8")
    func roots() throws {
        #expect(file.roots.map(\.tree_size) == Array(0...8))
        for r in file.roots {
            #expect(try tree.root(size: r.tree_size) == (try hex(r.root)), "size \(r.tree_size)")
        }
        #expect(tree.root == (try hex(file.roots[8].root)))
        #expect(throws: LogError.treeSizeOutOfRange(size: 9, available: 8)) { try tree.root(size: 9) }
    }

    @Test("the 5 reference inclusion proofs: generated equal, and verified")
    func inclusionProofs() throws {
        #expect(file.inclusion_proofs.count == 5)
        for p in file.inclusion_proofs {
            let expected = try p.path.map(hex)
            let leafHash = try hex(p.leaf_hash)
            #expect(MerkleHashing.leafHash(try hex(p.leaf_input)) == leafHash)
            #expect(try tree.inclusionProof(index: p.leaf_index, treeSize: p.tree_size) == expected,
                    "leaf \(p.leaf_index) of \(p.tree_size)")
            try MerkleVerification.verifyInclusion(
                leafHash: leafHash, index: p.leaf_index, treeSize: p.tree_size, proof: expected, root: try hex(p.root))
        }
    }

    @Test("the 5 reference consistency proofs: generated equal, and verified")
    func consistencyProofs() throws {
        #expect(file.consistency_proofs.count == 5)
        for p in file.consistency_proofs {
            let expected = try p.proof.map(hex)
            #expect(try tree.consistencyProof(from: p.size1, to: p.size2) == expected, "\(p.size1) → \(p.size2)")
            try MerkleVerification.verifyConsistency(
                firstSize: p.size1, secondSize: p.size2, firstRoot: try hex(p.root1), secondRoot: try hex(p.root2), proof: expected)
        }
    }
}
