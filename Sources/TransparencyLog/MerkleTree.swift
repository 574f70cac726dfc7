/// An append-only RFC 6962 / RFC 9162 Merkle tree over log entries, held in memory.
///
/// It keeps the hash of every complete, aligned subtree (2^h leaves starting at a multiple of 2^h):
/// about 2n hashes for n leaves (64 bytes a leaf, one flat buffer per level), updated with O(log n)
/// hashing per append. A root, inclusion proof or consistency proof at any size needs O(log n)
/// subtrees, each memoised or, on the right border of a size that is not a power of two,
/// recomposed from O(log n) memoised ones: O(log² n) hashing, and no leaf is hashed again.
///
/// The log's store persists the leaves; a hub rebuilds the tree at start-up with
/// ``init(leafHashes:)``. Pure logic: no I/O.
public struct MerkleTree: Sendable, Hashable {
    /// `levels[h]` holds, 32 bytes each, the hashes of leaves `i·2^h ..< (i+1)·2^h` for i = 0, 1, …;
    /// `levels[0]` are the leaf hashes.
    private var levels: [[UInt8]] = [[]]

    /// An empty tree.
    public init() {}

    /// A tree over already-hashed leaves, in log order (for example as the store kept them).
    /// Throws if a hash is not 32 bytes.
    public init(leafHashes: some Sequence<[UInt8]>) throws(LogError) {
        for (i, hash) in leafHashes.enumerated() {
            try MerkleHashing.check(hash, "leaf hash \(i)")
            appendHash(hash)
        }
    }

    /// The number of leaves.
    public var count: UInt64 { UInt64(levels[0].count / MerkleHashing.hashByteCount) }

    /// Appends the entry `data` (hashed as an RFC 6962 leaf) and returns its 0-based index.
    @discardableResult
    public mutating func append(_ data: some Collection<UInt8>) -> UInt64 {
        appendHash(MerkleHashing.leafHash(data))
    }

    /// Appends a leaf by its leaf hash (SHA-256(0x00 || data), computed elsewhere) and returns its index.
    @discardableResult
    public mutating func append(leafHash: [UInt8]) throws(LogError) -> UInt64 {
        try MerkleHashing.check(leafHash, "leaf hash")
        return appendHash(leafHash)
    }

    /// The leaf hash at `index`.
    public func leafHash(at index: UInt64) throws(LogError) -> [UInt8] {
        guard index < count else { throw .indexOutOfRange(index: index, treeSize: count) }
        return node(level: 0, Int(index))
    }

    /// The root of the whole tree.
    public var root: [UInt8] { subtreeHash(start: 0, size: count) }

    /// The root of the tree of the first `size` leaves (`MTH(D[0:size])`); SHA-256 of nothing for 0.
    public func root(size: UInt64) throws(LogError) -> [UInt8] {
        guard size <= count else { throw .treeSizeOutOfRange(size: size, available: count) }
        return subtreeHash(start: 0, size: size)
    }

    /// The inclusion proof (audit path) of leaf `index` in the tree of the first `treeSize` leaves,
    /// from the leaf's sibling up to a child of the root (RFC 9162 section 2.1.3.1, `PATH`).
    public func inclusionProof(index: UInt64, treeSize: UInt64) throws(LogError) -> [[UInt8]] {
        guard treeSize <= count else { throw .treeSizeOutOfRange(size: treeSize, available: count) }
        guard index < treeSize else { throw .indexOutOfRange(index: index, treeSize: treeSize) }
        // PATH(m, D[n]) unrolled from the top: each step records the sibling subtree it leaves.
        var topDown: [[UInt8]] = []
        var (m, start, n) = (index, UInt64(0), treeSize)
        while n > 1 {
            let k = MerkleHashing.splitPoint(n)
            if m < k {
                topDown.append(subtreeHash(start: start + k, size: n - k))
                n = k
            } else {
                topDown.append(subtreeHash(start: start, size: k))
                (m, start, n) = (m - k, start + k, n - k)
            }
        }
        return topDown.reversed()
    }

    /// The consistency proof that the tree of the first `firstSize` leaves is a prefix of the tree
    /// of the first `secondSize` (RFC 9162 section 2.1.4.1, `PROOF`). Empty when the sizes are equal
    /// or `firstSize` is 0, where there is nothing to prove.
    public func consistencyProof(from firstSize: UInt64, to secondSize: UInt64) throws(LogError) -> [[UInt8]] {
        guard secondSize <= count else { throw .treeSizeOutOfRange(size: secondSize, available: count) }
        guard firstSize <= secondSize else { throw .sizesOutOfOrder(first: firstSize, second: secondSize) }
        guard firstSize > 0 else { return [] }
        // SUBPROOF(m, D[n], b) unrolled from the top.
        var topDown: [[UInt8]] = []
        var (m, start, n, wholeTree) = (firstSize, UInt64(0), secondSize, true)
        while m != n {
            let k = MerkleHashing.splitPoint(n)
            if m <= k {
                topDown.append(subtreeHash(start: start + k, size: n - k))
                n = k
            } else {
                topDown.append(subtreeHash(start: start, size: k))
                (m, start, n, wholeTree) = (m - k, start + k, n - k, false)
            }
        }
        // SUBPROOF(m, D[m], false) = {MTH(D[m])}: the old subtree is not the old tree itself.
        if !wholeTree { topDown.append(subtreeHash(start: start, size: m)) }
        return topDown.reversed()
    }

    // MARK: - Internals

    @discardableResult
    private mutating func appendHash(_ hash: [UInt8]) -> UInt64 {
        let index = Int(count)
        levels[0].append(contentsOf: hash)
        // Each trailing 1 bit of the index completes one more subtree above the new leaf.
        var (level, i) = (0, index)
        while i & 1 == 1 {
            let parent = MerkleHashing.nodeHash(node(level: level, i - 1), node(level: level, i))
            level += 1
            if levels.count == level { levels.append([]) }
            levels[level].append(contentsOf: parent)
            i >>= 1
        }
        return UInt64(index)
    }

    /// The `i`th stored hash of `level`.
    private func node(level: Int, _ i: Int) -> [UInt8] {
        let size = MerkleHashing.hashByteCount
        return Array(levels[level][i * size ..< (i + 1) * size])
    }

    /// `MTH(D[start ..< start+size])` over leaves this tree holds (`start + size ≤ count`).
    private func subtreeHash(start: UInt64, size: UInt64) -> [UInt8] {
        if size == 0 { return MerkleHashing.emptyTreeRoot }
        if size & (size - 1) == 0, start % size == 0 {
            return node(level: size.trailingZeroBitCount, Int(start / size))
        }
        let k = MerkleHashing.splitPoint(size)
        return MerkleHashing.nodeHash(subtreeHash(start: start, size: k), subtreeHash(start: start + k, size: size - k))
    }
}
