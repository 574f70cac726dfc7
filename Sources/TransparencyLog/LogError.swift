/// Everything that can go wrong in ``TransparencyLog``: a proof, checkpoint, note or bundle that does
/// not verify or does not parse, or a request outside the tree.
///
/// Each case says what went wrong and, through ``description``, what it means for the person who
/// sees it. No case carries leaf data: only sizes, indices, key names and key ids, which are public.
public enum LogError: Error, Sendable, Equatable {
    /// A hash (leaf hash, root, proof element) is not exactly 32 bytes. `what` names which one.
    case invalidHashLength(what: String, length: Int)
    /// A leaf index is not inside the tree of the given size.
    case indexOutOfRange(index: UInt64, treeSize: UInt64)
    /// A tree size is larger than the tree that was asked for it (only `available` leaves exist).
    case treeSizeOutOfRange(size: UInt64, available: UInt64)
    /// A consistency check was asked from a larger tree to a smaller one.
    case sizesOutOfOrder(first: UInt64, second: UInt64)
    /// A proof has the wrong number of hashes for its index and tree size(s).
    case wrongProofLength(expected: Int, actual: Int)
    /// The root recomputed from an inclusion proof is not the expected root.
    case inclusionRootMismatch
    /// The old root recomputed from a consistency proof is not the old tree's root.
    case consistencyFirstRootMismatch
    /// The new root recomputed from a consistency proof is not the new tree's root.
    case consistencySecondRootMismatch
    /// A root that must be the root of the empty tree (SHA-256 of nothing) is not.
    case notEmptyTreeRoot
    /// A signed note is not in the c2sp.org/signed-note format.
    case malformedNote(String)
    /// A key name is empty or contains a Unicode space or a plus sign.
    case invalidKeyName(String)
    /// A verifier key string (`<name>+<hex key id>+<base64 key>`) cannot be read.
    case malformedVerifierKey(String)
    /// A known key's signature on a note does not verify.
    case invalidSignature(keyName: String, keyID: UInt32)
    /// No signature on a note is by a key the verifier was given.
    case noKnownSignature
    /// A note has more signature lines than a verifier accepts.
    case tooManySignatures(limit: Int)
    /// A note's text is not a c2sp.org/tlog-checkpoint body.
    case malformedCheckpoint(String)
    /// A checkpoint names a different log than the one expected.
    case originMismatch(expected: String, actual: String)
    /// A proof bundle is not in the c2sp.org/tlog-proof format.
    case malformedProofBundle(String)
}

extension LogError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .invalidHashLength(what, length):
            "\(what) is \(length) bytes, not a 32-byte SHA-256 hash; the proof or checkpoint is damaged or from another kind of log"
        case let .indexOutOfRange(index, treeSize):
            "leaf index \(index) is not in a tree of \(treeSize) leaves"
        case let .treeSizeOutOfRange(size, available):
            "tree size \(size) was asked for, but the log holds only \(available) leaves"
        case let .sizesOutOfOrder(first, second):
            "tree size \(first) cannot be consistent with the smaller size \(second): a log never shrinks; the later tree head may be a truncated or rewritten log"
        case let .wrongProofLength(expected, actual):
            "proof has \(actual) hashes but \(expected) are needed for this index and tree size; it was truncated, padded or made for another position"
        case .inclusionRootMismatch:
            "inclusion proof does not lead to the signed root: the entry is not in this tree at that index, or the proof or entry was altered"
        case .consistencyFirstRootMismatch:
            "consistency proof does not reproduce the earlier root: the earlier tree head is not a prefix of this log (rewritten history) or the proof is wrong"
        case .consistencySecondRootMismatch:
            "consistency proof does not reproduce the later root: the later tree head does not extend the earlier one (rewritten history) or the proof is wrong"
        case .notEmptyTreeRoot:
            "a tree of size 0 must have the root SHA-256 of nothing (e3b0c442…); this one does not"
        case let .malformedNote(why):
            "signed note: \(why)"
        case let .invalidKeyName(name):
            "key name '\(name)' is not allowed: it must be non-empty with no spaces and no '+'"
        case let .malformedVerifierKey(why):
            "verifier key: \(why); a verifier key is one line '<name>+<8 hex digits>+<base64 key>'"
        case let .invalidSignature(keyName, keyID):
            "the signature by known key \(keyName)+\(KeyIDFormat.hex(keyID)) does not verify: the note was altered after signing; do not trust it"
        case .noKnownSignature:
            "the note carries no signature by any key given to verify it; check that the right log public key was given"
        case let .tooManySignatures(limit):
            "the note has more than \(limit) signatures; it is refused unread"
        case let .malformedCheckpoint(why):
            "checkpoint: \(why)"
        case let .originMismatch(expected, actual):
            "checkpoint is for log '\(actual)', not the expected '\(expected)'"
        case let .malformedProofBundle(why):
            "proof bundle: \(why)"
        }
    }
}

/// Formatting of 32-bit note key ids.
enum KeyIDFormat {
    /// `id` as 8 lower-case hex digits, as in a verifier key.
    static func hex(_ id: UInt32) -> String {
        let digits = String(id, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}
