import LinkCrypto

/// RFC 6962 / RFC 9162 section 2.1.1 Merkle tree hashing with SHA-256.
///
/// The one-byte prefixes keep leaves and interior nodes apart, so that no leaf can be passed off as
/// a subtree (a second-preimage attack on the tree).
public enum MerkleHashing {
    /// Every hash in the tree is a SHA-256 digest of this many bytes.
    public static let hashByteCount = 32

    /// The root of the empty tree: SHA-256 of nothing (RFC 9162 section 2.1.1, `MTH({})`).
    public static let emptyTreeRoot: [UInt8] = SHA256.hash([UInt8]())

    /// The leaf hash of a log entry: SHA-256(0x00 || `data`).
    public static func leafHash(_ data: some Collection<UInt8>) -> [UInt8] {
        var input: [UInt8] = [0x00]
        input.reserveCapacity(data.count + 1)
        input.append(contentsOf: data)
        return SHA256.hash(input)
    }

    /// The hash of an interior node: SHA-256(0x01 || `left` || `right`). The children are taken as
    /// given; verifiers check that they are 32 bytes before they get here.
    public static func nodeHash(_ left: some Collection<UInt8>, _ right: some Collection<UInt8>) -> [UInt8] {
        var input: [UInt8] = [0x01]
        input.reserveCapacity(left.count + right.count + 1)
        input.append(contentsOf: left)
        input.append(contentsOf: right)
        return SHA256.hash(input)
    }

    /// The largest power of two strictly smaller than `n` (`n` ≥ 2): the size of the left subtree
    /// of a tree of `n` leaves.
    static func splitPoint(_ n: UInt64) -> UInt64 {
        precondition(n >= 2, "a tree of fewer than two leaves has no split")
        return UInt64(1) << (63 - (n - 1).leadingZeroBitCount)
    }

    /// Throws unless `hash` is exactly 32 bytes; `what` names it in the error.
    static func check(_ hash: some Collection<UInt8>, _ what: @autoclosure () -> String) throws(LogError) {
        guard hash.count == hashByteCount else { throw .invalidHashLength(what: what(), length: hash.count) }
    }
}
