/// Verification of RFC 9162 inclusion and consistency proofs by someone who holds only hashes: an
/// agency checking a receipt, or a DPO's offline audit.
///
/// Every hash given (leaf hash, roots, each proof element) must be exactly 32 bytes, and the root of
/// a tree of size 0 must be SHA-256 of nothing; anything else is refused with a ``LogError`` that
/// says what did not hold. The proof length is checked against the index and sizes before any
/// hashing, so a truncated or padded proof is reported as such.
public enum MerkleVerification {
    /// Verifies that `leafHash` is the leaf at `index` in the tree of `treeSize` leaves whose root
    /// is `root`, by the inclusion proof `proof` (RFC 9162 section 2.1.3.2).
    public static func verifyInclusion(
        leafHash: [UInt8], index: UInt64, treeSize: UInt64, proof: [[UInt8]], root: [UInt8]
    ) throws(LogError) {
        try MerkleHashing.check(root, "root")
        let computed = try rootFromInclusionProof(leafHash: leafHash, index: index, treeSize: treeSize, proof: proof)
        guard computed == root else { throw .inclusionRootMismatch }
    }

    /// The root that `proof` leads to from `leafHash` at `index` in a tree of `treeSize` leaves
    /// (RFC 9162 section 2.1.3.2, steps 1-4). Compare it with a trusted root, or use
    /// ``verifyInclusion(leafHash:index:treeSize:proof:root:)``.
    public static func rootFromInclusionProof(
        leafHash: [UInt8], index: UInt64, treeSize: UInt64, proof: [[UInt8]]
    ) throws(LogError) -> [UInt8] {
        guard index < treeSize else { throw .indexOutOfRange(index: index, treeSize: treeSize) }
        try MerkleHashing.check(leafHash, "leaf hash")
        try checkElements(proof)
        let expected = inclusionProofLength(index: index, treeSize: treeSize)
        guard proof.count == expected else { throw .wrongProofLength(expected: expected, actual: proof.count) }

        var (fn, sn, r) = (index, treeSize - 1, leafHash)
        for p in proof {
            guard sn > 0 else { throw .wrongProofLength(expected: expected, actual: proof.count) }
            if fn & 1 == 1 || fn == sn {
                r = MerkleHashing.nodeHash(p, r)
                while fn & 1 == 0 && fn != 0 { (fn, sn) = (fn >> 1, sn >> 1) }
            } else {
                r = MerkleHashing.nodeHash(r, p)
            }
            (fn, sn) = (fn >> 1, sn >> 1)
        }
        guard sn == 0 else { throw .wrongProofLength(expected: expected, actual: proof.count) }
        return r
    }

    /// Verifies that the tree of `firstSize` leaves with root `firstRoot` is a prefix of the tree of
    /// `secondSize` leaves with root `secondRoot`, by the consistency proof `proof`.
    ///
    /// For `0 < firstSize < secondSize` this is RFC 9162 section 2.1.4.2. RFC 9162 leaves the other
    /// cases open; mashlink decides them so: equal sizes need an empty proof and equal roots; a first
    /// size of 0 needs an empty proof and `firstRoot` equal to the empty-tree root (every tree extends
    /// the empty tree); a first size larger than the second is refused.
    public static func verifyConsistency(
        firstSize: UInt64, secondSize: UInt64, firstRoot: [UInt8], secondRoot: [UInt8], proof: [[UInt8]]
    ) throws(LogError) {
        try MerkleHashing.check(firstRoot, "first root")
        try MerkleHashing.check(secondRoot, "second root")
        try checkElements(proof)
        guard firstSize <= secondSize else { throw .sizesOutOfOrder(first: firstSize, second: secondSize) }
        if firstSize == 0 || firstSize == secondSize {
            guard proof.isEmpty else { throw .wrongProofLength(expected: 0, actual: proof.count) }
            if firstSize == 0 {
                guard firstRoot == MerkleHashing.emptyTreeRoot else { throw .notEmptyTreeRoot }
            }
            if secondSize == 0 {
                guard secondRoot == MerkleHashing.emptyTreeRoot else { throw .notEmptyTreeRoot }
            }
            if firstSize == secondSize, firstRoot != secondRoot { throw .consistencySecondRootMismatch }
            return
        }
        let expected = consistencyProofLength(firstSize: firstSize, secondSize: secondSize)
        guard proof.count == expected else { throw .wrongProofLength(expected: expected, actual: proof.count) }

        // Step 2: a first tree that is a complete subtree is its own starting node.
        let path = firstSize & (firstSize - 1) == 0 ? [firstRoot] + proof : proof
        var (fn, sn) = (firstSize - 1, secondSize - 1)
        while fn & 1 == 1 { (fn, sn) = (fn >> 1, sn >> 1) }
        var (fr, sr) = (path[0], path[0])
        for c in path.dropFirst() {
            guard sn > 0 else { throw .wrongProofLength(expected: expected, actual: proof.count) }
            if fn & 1 == 1 || fn == sn {
                fr = MerkleHashing.nodeHash(c, fr)
                sr = MerkleHashing.nodeHash(c, sr)
                while fn & 1 == 0 && fn != 0 { (fn, sn) = (fn >> 1, sn >> 1) }
            } else {
                sr = MerkleHashing.nodeHash(sr, c)
            }
            (fn, sn) = (fn >> 1, sn >> 1)
        }
        guard sn == 0 else { throw .wrongProofLength(expected: expected, actual: proof.count) }
        guard fr == firstRoot else { throw .consistencyFirstRootMismatch }
        guard sr == secondRoot else { throw .consistencySecondRootMismatch }
    }

    // MARK: - Proof lengths

    /// The number of hashes in the inclusion proof of `index` in a tree of `treeSize` (`index < treeSize`):
    /// the levels below where the paths to `index` and to the last leaf part, plus the left-hand
    /// border subtrees above.
    static func inclusionProofLength(index: UInt64, treeSize: UInt64) -> Int {
        let inner = UInt64.bitWidth - (index ^ (treeSize - 1)).leadingZeroBitCount
        return inner + (inner >= UInt64.bitWidth ? 0 : (index >> UInt64(inner)).nonzeroBitCount)
    }

    /// The number of hashes in the consistency proof from `firstSize` to `secondSize` (`0 < firstSize < secondSize`).
    static func consistencyProofLength(firstSize: UInt64, secondSize: UInt64) -> Int {
        let shift = firstSize.trailingZeroBitCount
        let lastOld = firstSize - 1
        let inner = UInt64.bitWidth - (lastOld ^ (secondSize - 1)).leadingZeroBitCount
        let border = (lastOld >> UInt64(inner)).nonzeroBitCount
        let seed = firstSize == UInt64(1) << UInt64(shift) ? 0 : 1
        return seed + (inner - shift) + border
    }

    private static func checkElements(_ proof: [[UInt8]]) throws(LogError) {
        for (i, element) in proof.enumerated() { try MerkleHashing.check(element, "proof hash \(i)") }
    }
}
