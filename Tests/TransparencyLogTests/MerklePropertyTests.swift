import Testing
@testable import TransparencyLog

/// Randomised checks over trees of 1-70 leaves against a direct transcription of the RFC 9162
/// definitions (no memoising), and against tampering.
@Suite("Merkle tree properties")
struct MerklePropertyTests {
    static let maxLeaves = 70

    let leaves: [[UInt8]]
    let tree: MerkleTree

    init() {
        var rng = SplitMix64(seed: 0x6d61_7368_6c69_6e6b)
        leaves = (0..<Self.maxLeaves).map { _ in
            (0..<Int.random(in: 0...40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        }
        var tree = MerkleTree()
        for entry in leaves { tree.append(entry) }
        self.tree = tree
    }

    // MARK: Reference definitions (RFC 9162 sections 2.1.1, 2.1.3.1, 2.1.4.1), quadratic on purpose.

    static func mth(_ d: ArraySlice<[UInt8]>) -> [UInt8] {
        switch d.count {
        case 0: return MerkleHashing.emptyTreeRoot
        case 1: return MerkleHashing.leafHash(d[d.startIndex])
        default:
            var k = 1
            while k * 2 < d.count { k *= 2 }
            return MerkleHashing.nodeHash(mth(d.prefix(k)), mth(d.dropFirst(k)))
        }
    }

    static func path(_ m: Int, _ d: ArraySlice<[UInt8]>) -> [[UInt8]] {
        guard d.count > 1 else { return [] }
        var k = 1
        while k * 2 < d.count { k *= 2 }
        return m < k ? path(m, d.prefix(k)) + [mth(d.dropFirst(k))] : path(m - k, d.dropFirst(k)) + [mth(d.prefix(k))]
    }

    static func subproof(_ m: Int, _ d: ArraySlice<[UInt8]>, _ b: Bool) -> [[UInt8]] {
        if m == d.count { return b ? [] : [mth(d)] }
        var k = 1
        while k * 2 < d.count { k *= 2 }
        return m <= k ? subproof(m, d.prefix(k), b) + [mth(d.dropFirst(k))] : subproof(m - k, d.dropFirst(k), false) + [mth(d.prefix(k))]
    }

    func root(_ n: Int) -> [UInt8] { Self.mth(leaves.prefix(n)) }

    static func flipping(_ proof: [[UInt8]], element: Int, bit: Int) -> [[UInt8]] {
        var tampered = proof
        tampered[element][bit / 8] ^= UInt8(1) << UInt8(bit % 8)
        return tampered
    }

    static func fails(_ body: () throws(LogError) -> Void) -> Bool {
        do { try body(); return false } catch { return true }
    }

    // MARK: Tests

    @Test("roots at every size 0-70 equal the RFC definition")
    func roots() throws {
        for n in 0...Self.maxLeaves {
            #expect(try tree.root(size: UInt64(n)) == root(n), "size \(n)")
        }
        #expect(tree.count == UInt64(Self.maxLeaves))
        let rebuilt = try MerkleTree(leafHashes: leaves.map { MerkleHashing.leafHash($0) })
        #expect(rebuilt == tree)
    }

    @Test("every inclusion proof equals PATH, verifies, and fails when a bit, the index or the size is wrong")
    func inclusion() throws {
        var rng = SplitMix64(seed: 1)
        var proofs = 0, tamperings = 0
        for n in 1...Self.maxLeaves {
            let size = UInt64(n)
            let treeRoot = root(n)
            for i in 0..<n {
                let leafHash = MerkleHashing.leafHash(leaves[i])
                let proof = try tree.inclusionProof(index: UInt64(i), treeSize: size)
                #expect(proof == Self.path(i, leaves.prefix(n)), "leaf \(i) of \(n)")
                try MerkleVerification.verifyInclusion(leafHash: leafHash, index: UInt64(i), treeSize: size, proof: proof, root: treeRoot)
                proofs += 1

                for element in proof.indices {
                    let bad = Self.flipping(proof, element: element, bit: Int.random(in: 0..<256, using: &rng))
                    #expect(Self.fails { () throws(LogError) in
                        try MerkleVerification.verifyInclusion(leafHash: leafHash, index: UInt64(i), treeSize: size, proof: bad, root: treeRoot)
                    }, "flipped bit in element \(element), leaf \(i) of \(n)")
                    tamperings += 1
                }
                let flippedLeaf = Self.flipping([leafHash], element: 0, bit: Int.random(in: 0..<256, using: &rng))[0]
                #expect(Self.fails { () throws(LogError) in
                    try MerkleVerification.verifyInclusion(leafHash: flippedLeaf, index: UInt64(i), treeSize: size, proof: proof, root: treeRoot)
                })
                for wrongIndex in Set([i - 1, i + 1, i ^ 1, i ^ 2, n]) where wrongIndex >= 0 && wrongIndex != i {
                    #expect(Self.fails { () throws(LogError) in
                        try MerkleVerification.verifyInclusion(leafHash: leafHash, index: UInt64(wrongIndex), treeSize: size, proof: proof, root: treeRoot)
                    }, "index \(wrongIndex) for leaf \(i) of \(n)")
                    tamperings += 1
                }
                // A wrong size is checked against that size's own root, as a signed checkpoint would
                // carry it. (With the original root, a proof can fit a smaller tree of the same shape:
                // the RFC 9162 algorithm binds the root, and the checkpoint binds size to root.)
                for wrongSize in Set([n - 1, n + 1, n * 2, n / 2]) where wrongSize != n && wrongSize <= Self.maxLeaves {
                    #expect(Self.fails { () throws(LogError) in
                        try MerkleVerification.verifyInclusion(
                            leafHash: leafHash, index: UInt64(i), treeSize: UInt64(wrongSize), proof: proof, root: root(wrongSize))
                    }, "size \(wrongSize) for leaf \(i) of \(n)")
                    tamperings += 1
                }
            }
        }
        #expect(proofs == Self.maxLeaves * (Self.maxLeaves + 1) / 2)
        #expect(tamperings > proofs * 4)
    }

    @Test("every consistency proof equals PROOF, verifies, and fails when a bit, a size or a root is wrong")
    func consistency() throws {
        var rng = SplitMix64(seed: 2)
        var proofs = 0
        for n in 0...Self.maxLeaves {
            for m in 0...n {
                let (first, second) = (UInt64(m), UInt64(n))
                let (root1, root2) = (root(m), root(n))
                let proof = try tree.consistencyProof(from: first, to: second)
                #expect(proof == (m == 0 ? [] : Self.subproof(m, leaves.prefix(n), true)), "\(m) → \(n)")
                try MerkleVerification.verifyConsistency(firstSize: first, secondSize: second, firstRoot: root1, secondRoot: root2, proof: proof)
                proofs += 1

                for element in proof.indices {
                    let bad = Self.flipping(proof, element: element, bit: Int.random(in: 0..<256, using: &rng))
                    #expect(Self.fails { () throws(LogError) in
                        try MerkleVerification.verifyConsistency(firstSize: first, secondSize: second, firstRoot: root1, secondRoot: root2, proof: bad)
                    }, "flipped bit in element \(element), \(m) → \(n)")
                }
                // From size 0 nothing is proved (every tree extends the empty one), so the size and
                // root tamperings below apply only to a non-empty first tree.
                guard m > 0 else { continue }
                for wrongFirst in Set([m - 1, m + 1]) where wrongFirst > 0 && wrongFirst <= n && wrongFirst != m {
                    #expect(Self.fails { () throws(LogError) in
                        try MerkleVerification.verifyConsistency(
                            firstSize: UInt64(wrongFirst), secondSize: second, firstRoot: root(wrongFirst), secondRoot: root2, proof: proof)
                    }, "first size \(wrongFirst) for \(m) → \(n)")
                }
                for wrongSecond in Set([n - 1, n + 1]) where wrongSecond >= m && wrongSecond <= Self.maxLeaves && wrongSecond != n {
                    #expect(Self.fails { () throws(LogError) in
                        try MerkleVerification.verifyConsistency(
                            firstSize: first, secondSize: UInt64(wrongSecond), firstRoot: root1, secondRoot: root(wrongSecond), proof: proof)
                    }, "second size \(wrongSecond) for \(m) → \(n)")
                }
                if m != n {
                    let flippedRoot = Self.flipping([root1], element: 0, bit: Int.random(in: 0..<256, using: &rng))[0]
                    #expect(Self.fails { () throws(LogError) in
                        try MerkleVerification.verifyConsistency(firstSize: first, secondSize: second, firstRoot: flippedRoot, secondRoot: root2, proof: proof)
                    }, "wrong first root for \(m) → \(n)")
                    #expect(Self.fails { () throws(LogError) in
                        try MerkleVerification.verifyConsistency(firstSize: first, secondSize: second, firstRoot: root1, secondRoot: root1, proof: proof)
                    }, "first root as second root for \(m) → \(n)")
                }
            }
        }
        #expect(proofs == (Self.maxLeaves + 1) * (Self.maxLeaves + 2) / 2)
    }

    @Test("a larger tree: sampled proofs at random sizes verify against its roots")
    func largerTree() throws {
        var rng = SplitMix64(seed: 3)
        var big = MerkleTree()
        for i in 0..<4099 { big.append(Array("entry \(i)".utf8)) }
        for _ in 0..<64 {
            let n = UInt64.random(in: 1...big.count, using: &rng)
            let m = UInt64.random(in: 0...n, using: &rng)
            let i = UInt64.random(in: 0..<n, using: &rng)
            try MerkleVerification.verifyInclusion(
                leafHash: try big.leafHash(at: i), index: i, treeSize: n, proof: try big.inclusionProof(index: i, treeSize: n), root: try big.root(size: n))
            try MerkleVerification.verifyConsistency(
                firstSize: m, secondSize: n, firstRoot: try big.root(size: m), secondRoot: try big.root(size: n), proof: try big.consistencyProof(from: m, to: n))
        }
    }

    @Test("requests outside the tree and hashes of the wrong length are refused")
    func refusals() throws {
        var small = MerkleTree()
        small.append([1])
        #expect(throws: LogError.indexOutOfRange(index: 1, treeSize: 1)) { try small.inclusionProof(index: 1, treeSize: 1) }
        #expect(throws: LogError.treeSizeOutOfRange(size: 2, available: 1)) { try small.inclusionProof(index: 0, treeSize: 2) }
        #expect(throws: LogError.sizesOutOfOrder(first: 1, second: 0)) { try small.consistencyProof(from: 1, to: 0) }
        #expect(throws: LogError.invalidHashLength(what: "leaf hash", length: 31)) { try small.append(leafHash: [UInt8](repeating: 0, count: 31)) }
        #expect(throws: LogError.invalidHashLength(what: "leaf hash 0", length: 0)) { try MerkleTree(leafHashes: [[]]) }
        let leaf = try small.leafHash(at: 0)
        #expect(throws: LogError.wrongProofLength(expected: 0, actual: 1)) {
            try MerkleVerification.verifyInclusion(leafHash: leaf, index: 0, treeSize: 1, proof: [leaf], root: leaf)
        }
        #expect(throws: LogError.invalidHashLength(what: "proof hash 0", length: 33)) {
            try MerkleVerification.verifyInclusion(leafHash: leaf, index: 0, treeSize: 2, proof: [leaf + [0]], root: leaf)
        }
        #expect(throws: LogError.inclusionRootMismatch) {
            try MerkleVerification.verifyInclusion(leafHash: leaf, index: 0, treeSize: 1, proof: [], root: MerkleHashing.emptyTreeRoot)
        }
        // Every tree extends the empty tree, but only from the real empty root.
        try MerkleVerification.verifyConsistency(firstSize: 0, secondSize: 1, firstRoot: MerkleHashing.emptyTreeRoot, secondRoot: leaf, proof: [])
        #expect(throws: LogError.notEmptyTreeRoot) {
            try MerkleVerification.verifyConsistency(firstSize: 0, secondSize: 1, firstRoot: leaf, secondRoot: leaf, proof: [])
        }
    }
}
