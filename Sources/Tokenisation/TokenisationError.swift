public import LinkCrypto

/// What can go wrong while tokenising. Messages never contain identifiers or field values.
public enum TokenisationError: Error, Sendable, Equatable {
    /// The linkage key is missing, the wrong size, or its file is damaged.
    case invalidLinkageKey(String)
    /// The linkage schema cannot be used.
    case invalidSchema(String)
    /// The input file cannot be used at all (not one usable row, no header, unreadable).
    case unusableInput(String)
    /// A batch file is malformed, altered or signed by someone else.
    case invalidBatch(String)
    /// A cryptographic operation failed.
    case crypto(CryptoError)
    /// A file could not be read or written.
    case io(path: String, reason: String)
}

extension TokenisationError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .invalidLinkageKey(let why): "linkage key: \(why)"
        case .invalidSchema(let why): "linkage schema: \(why)"
        case .unusableInput(let why): "input: \(why)"
        case .invalidBatch(let why): "batch: \(why)"
        case .crypto(let error): error.description
        case .io(let path, let reason): "\(path): \(reason)"
        }
    }
}
