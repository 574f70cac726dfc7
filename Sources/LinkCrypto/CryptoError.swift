/// Everything that can go wrong in ``LinkCrypto``.
///
/// Each case says what went wrong and, through ``description``, what to do about it.
/// No case ever carries key material, plaintext or personal data.
public enum CryptoError: Error, Equatable, Sendable {
    /// A key had the wrong length for the algorithm.
    case invalidKeySize(expected: Int, actual: Int)
    /// A nonce had the wrong length for the algorithm.
    case invalidNonceSize(expected: Int, actual: Int)
    /// The ciphertext is shorter than its fixed overhead (nonce, tag or encapsulated key), so it was truncated.
    case truncatedCiphertext(minimum: Int, actual: Int)
    /// The authentication tag did not verify: the ciphertext, its associated data or the key is not the one it was sealed with.
    case authenticationFailed
    /// A sealed message names a recipient key other than the one offered to open it.
    case wrongRecipientKey(expected: String, actual: String)
    /// A public key was refused (wrong length, low-order point or all-zero shared secret).
    case invalidPublicKey(reason: String)
    /// A PEM document could not be read as the expected key type.
    case malformedPEM(reason: String)
    /// A passphrase-wrapped key file could not be opened with the passphrase given.
    case wrongPassphrase
    /// A key file is not in a format or version this build understands.
    case unsupportedKeyFile(reason: String)
    /// A key file could not be read or written.
    case keyFileIO(path: String, reason: String)
    /// Requested output is longer than the construction allows (for example HKDF beyond 255 blocks).
    case outputTooLong(maximum: Int, requested: Int)
    /// Parameters are outside the range this build accepts (for example scrypt cost).
    case invalidParameters(reason: String)
    /// An HPKE context has sealed or opened as many messages as its nonce space allows.
    case messageLimitReached
    /// libcrypto reported a failure that is not one of the cases above.
    case openSSL(operation: String, detail: String)
}

extension CryptoError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .invalidKeySize(expected, actual):
            return "key is \(actual) bytes but this algorithm needs \(expected); check that the right key file was given"
        case let .invalidNonceSize(expected, actual):
            return "nonce is \(actual) bytes but this algorithm needs \(expected)"
        case let .truncatedCiphertext(minimum, actual):
            return "ciphertext is \(actual) bytes, shorter than the \(minimum)-byte minimum: it was truncated in transit or storage; fetch it again"
        case .authenticationFailed:
            return "authentication failed: the data was altered, or it was sealed under a different key or associated data; do not use it"
        case let .wrongRecipientKey(expected, actual):
            return "sealed for key \(expected) but opened with key \(actual); open it with the key it was sealed to"
        case let .invalidPublicKey(reason):
            return "public key refused: \(reason)"
        case let .malformedPEM(reason):
            return "PEM could not be read: \(reason); check that the file is the expected key in PEM form"
        case .wrongPassphrase:
            return "the key file could not be opened: wrong passphrase, or the file was altered"
        case let .unsupportedKeyFile(reason):
            return "key file not understood: \(reason)"
        case let .keyFileIO(path, reason):
            return "key file \(path): \(reason)"
        case let .outputTooLong(maximum, requested):
            return "requested \(requested) bytes of output; at most \(maximum) are allowed"
        case let .invalidParameters(reason):
            return "invalid parameters: \(reason)"
        case .messageLimitReached:
            return "this encryption context has reached its message limit; set up a new one"
        case let .openSSL(operation, detail):
            return "libcrypto failed in \(operation): \(detail)"
        }
    }
}
