import LinkCrypto

/// Bloom-filter encoding parameters for one field. They are part of the schema digest: two
/// agencies' filters are comparable only if every parameter agrees.
public struct BloomParameters: Sendable, Hashable, Codable {
    /// Filter length in bits (multiple of 64, at most 65,536).
    public var bits: Int
    /// Bit positions set per q-gram.
    public var hashes: Int
    /// q-gram length (2 = bigrams).
    public var q: Int

    /// Makes a parameter set; ``validate()`` checks it.
    public init(bits: Int = 1024, hashes: Int = 20, q: Int = 2) {
        self.bits = bits
        self.hashes = hashes
        self.q = q
    }

    /// Throws if the parameters cannot be used.
    public func validate() throws(TokenisationError) {
        guard bits >= 64, bits <= 65_536, bits % 64 == 0 else {
            throw .invalidSchema("bloom bits must be a multiple of 64 between 64 and 65536")
        }
        guard (1...64).contains(hashes) else { throw .invalidSchema("bloom hashes must be between 1 and 64") }
        guard (1...4).contains(q) else { throw .invalidSchema("bloom q must be between 1 and 4") }
    }
}

/// Keyed encoders for one purpose: exact tokens (truncated HMAC-SHA256) and Bloom filters whose bit
/// positions come from HMAC-SHA256 of each q-gram ("random hashing": independent positions per
/// q-gram, avoiding the double-hashing pattern that published attacks exploit).
///
/// Holds reusable HMAC contexts, so it is not `Sendable`: each tokenising task makes its own.
public final class KeyedEncoder {
    /// Token length in bytes: 128 bits, so accidental collisions are negligible at any agency's scale.
    public static let tokenByteCount = 16

    private let tokenContext: HMACSHA256Context
    private let bloomContext: HMACSHA256Context
    private var scratch = [UInt8](repeating: 0, count: 32)

    /// An encoder for `purpose` (for example `surname`) under `key`.
    public init(key: LinkageKey, purpose: String) {
        tokenContext = HMACSHA256Context(key: key.subkey("token/\(purpose)"))
        bloomContext = HMACSHA256Context(key: key.subkey("bloom/\(purpose)"))
    }

    /// The keyed token of a normalised value.
    public func token(_ value: String) -> Token {
        Token(bytes: Array(tokenContext.authenticationCode(for: value.utf8).prefix(Self.tokenByteCount)))
    }

    /// A Bloom filter of the q-grams of `value`, padded with `_` at both ends so that first and last letters count.
    /// `salt` (for example a birth year) is mixed into every position when filters are salted.
    public func bloom(_ values: [String], parameters: BloomParameters, salt: String = "") -> BloomFilter {
        bloom(grams: values.filter { !$0.isEmpty }.flatMap { Self.qgrams($0, q: parameters.q) }, parameters: parameters, salt: salt)
    }

    /// A Bloom filter of already-formed q-grams (the record-level filter prefixes each with its field).
    public func bloom(grams: [String], parameters: BloomParameters, salt: String = "") -> BloomFilter {
        var filter = BloomFilter(bitCount: parameters.bits)
        for gram in grams {
            var produced = 0
            var round: UInt8 = 0
            while produced < parameters.hashes {
                var input = Array(gram.utf8)
                input.append(0x1f)
                input.append(round)
                input += salt.utf8
                scratch.withUnsafeMutableBytes { bloomContext.authenticate(input, into: $0) }
                var i = 0
                while i < 32 && produced < parameters.hashes {
                    let position = Int(scratch[i]) << 8 | Int(scratch[i + 1])
                    filter.set(position % parameters.bits)
                    produced += 1
                    i += 2
                }
                round &+= 1
            }
        }
        return filter
    }

    /// The padded q-grams of `value`, in order. Repeats are kept: a repeated q-gram sets the same bits again.
    public static func qgrams(_ value: String, q: Int) -> [String] {
        let pad = [Unicode.Scalar](repeating: "_", count: max(q - 1, 0))
        let scalars = pad + Array(value.unicodeScalars) + pad
        guard scalars.count >= q else { return [String(String.UnicodeScalarView(scalars))] }
        var grams: [String] = []
        grams.reserveCapacity(scalars.count - q + 1)
        for i in 0...(scalars.count - q) {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[i..<(i + q)])
            grams.append(String(view))
        }
        return grams
    }
}

/// A keyed token: 16 bytes of HMAC-SHA256 output. Equal tokens mean equal normalised values under one linkage key.
public struct Token: Sendable, Hashable, Comparable {
    /// The token bytes.
    public let bytes: [UInt8]

    /// Wraps token bytes.
    public init(bytes: [UInt8]) { self.bytes = bytes }

    public static func < (lhs: Token, rhs: Token) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }
}
