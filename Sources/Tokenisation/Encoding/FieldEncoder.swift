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

    /// Bits per position read from the HMAC output: log2(bits) for a power of two, else 16 (then reduced modulo bits).
    public var positionBitWidth: Int {
        bits & (bits - 1) == 0 ? bits.trailingZeroBitCount : 16
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
    private var input: [UInt8] = []
    /// The filter positions of each q-gram seen, by gram, salt and filter shape. A q-gram (two
    /// letters, tagged with its field) is not personal data, and there are a few thousand of them,
    /// so the HMACs a record's filters cost (about 70) are nearly all looked up instead. Bounded:
    /// once full, new q-grams are hashed every time (a salt per birth year can make many).
    private var positions: [PositionKey: [Int32]] = [:]
    static let maximumCachedGrams = 16_384

    private struct PositionKey: Hashable {
        let input: [UInt8]
        let bits: Int, hashes: Int
    }

    /// An encoder for `purpose` (for example `surname`) under `key`.
    public init(key: LinkageKey, purpose: String) {
        tokenContext = HMACSHA256Context(key: key.subkey("token/\(purpose)"))
        bloomContext = HMACSHA256Context(key: key.subkey("bloom/\(purpose)"))
    }

    /// The keyed token of a normalised value.
    public func token(_ value: String) -> Token {
        Token(bytes: tokenContext.authenticationCode(for: value).prefix(Self.tokenByteCount))
    }

    /// A Bloom filter of the q-grams of `value`, padded with `_` at both ends so that first and last letters count.
    /// `salt` (for example a birth year) is mixed into every position when filters are salted.
    public func bloom(_ values: [String], parameters: BloomParameters, salt: String = "") -> BloomFilter {
        var filter = BloomFilter(bitCount: parameters.bits)
        for value in values where !value.isEmpty {
            Self.forEachQGram(value, q: parameters.q, prefix: []) { add($0, to: &filter, parameters: parameters, salt: salt) }
        }
        return filter
    }

    /// A Bloom filter of several fields' q-grams, each prefixed with its field tag (the record-level filter),
    /// so that "ann" in a given name and "ann" in a street set different bits.
    public func bloom(tagged values: [(tag: String, value: String)], parameters: BloomParameters, salt: String = "") -> BloomFilter {
        var filter = BloomFilter(bitCount: parameters.bits)
        for (tag, value) in values where !value.isEmpty {
            Self.forEachQGram(value, q: parameters.q, prefix: Array(tag.utf8) + [UInt8(ascii: ":")]) {
                add($0, to: &filter, parameters: parameters, salt: salt)
            }
        }
        return filter
    }

    /// Sets the `hashes` positions of one q-gram. Positions are read as consecutive `w`-bit fields
    /// (big-endian bit order) of HMAC(gram ‖ 0x1f ‖ round ‖ salt), where `w = log2(bits)` when `bits` is a
    /// power of two (uniform, no modulo) and 16 otherwise (taken modulo `bits`); `round` counts up when one
    /// 256-bit output holds too few fields. With 1024 bits, one HMAC gives 25 positions, so the usual 20 cost one HMAC.
    private func add(_ gram: [UInt8], to filter: inout BloomFilter, parameters: BloomParameters, salt: String) {
        input.removeAll(keepingCapacity: true)
        input.append(contentsOf: gram)
        input.append(0x1f)
        let roundIndex = input.count
        input.append(0)
        input.append(contentsOf: salt.utf8)
        let key = PositionKey(input: input, bits: parameters.bits, hashes: parameters.hashes)
        if let known = positions[key] {
            for p in known { filter.set(Int(p)) }
            return
        }
        let width = parameters.positionBitWidth
        let perRound = 256 / width
        var found: [Int32] = []
        found.reserveCapacity(parameters.hashes)
        var round: UInt8 = 0
        while found.count < parameters.hashes {
            input[roundIndex] = round
            scratch.withUnsafeMutableBytes { bloomContext.authenticate(input, into: $0) }
            var field = 0
            while field < perRound && found.count < parameters.hashes {
                found.append(Int32(Self.bits(of: scratch, from: field * width, count: width) % parameters.bits))
                field += 1
            }
            round &+= 1
        }
        for p in found { filter.set(Int(p)) }
        if positions.count < Self.maximumCachedGrams { positions[key] = found }
    }

    /// `count` (≤ 16) bits of `bytes` starting at bit `start`, most significant bit first.
    static func bits(of bytes: [UInt8], from start: Int, count: Int) -> Int {
        let byte = start >> 3
        // Three bytes always cover a field of up to 16 bits starting anywhere in the first byte.
        var window = Int(bytes[byte]) << 16
        if byte + 1 < bytes.count { window |= Int(bytes[byte + 1]) << 8 }
        if byte + 2 < bytes.count { window |= Int(bytes[byte + 2]) }
        let shift = 24 - (start & 7) - count
        return (window >> shift) & ((1 << count) - 1)
    }

    /// Calls `body` with the UTF-8 bytes of each padded q-gram of `value` (over Unicode scalars), after `prefix`.
    static func forEachQGram(_ value: String, q: Int, prefix: [UInt8], _ body: ([UInt8]) -> Void) {
        let pad = [Unicode.Scalar](repeating: "_", count: max(q - 1, 0))
        let scalars = pad + Array(value.unicodeScalars) + pad
        var gram = prefix
        guard scalars.count >= q else {
            for s in scalars { gram.append(contentsOf: String(s).utf8) }
            body(gram)
            return
        }
        for i in 0...(scalars.count - q) {
            gram.removeSubrange(prefix.count...)
            for s in scalars[i..<(i + q)] {
                if s.isASCII { gram.append(UInt8(s.value)) } else { gram.append(contentsOf: String(s).utf8) }
            }
            body(gram)
        }
    }

    /// The padded q-grams of `value`, in order (repeats kept: they set the same bits again).
    public static func qgrams(_ value: String, q: Int) -> [String] {
        var grams: [String] = []
        forEachQGram(value, q: q, prefix: []) { grams.append(String(decoding: $0, as: UTF8.self)) }
        return grams
    }
}

/// A keyed token: 16 bytes of HMAC-SHA256 output. Equal tokens mean equal normalised values under one linkage key.
///
/// The 16 bytes are held inline as two words, so a token costs no allocation and compares and
/// hashes as two integers: a record carries about forty, and the hub holds millions of records.
/// A token of any other length (only hand-made test data has one) keeps its bytes in an array.
public struct Token: Sendable, Hashable, Comparable {
    /// The first and last eight bytes, most significant byte first (so integer order is byte order).
    public let high: UInt64, low: UInt64
    private let other: [UInt8]?

    /// Wraps token bytes.
    public init(bytes: some Collection<UInt8>) {
        guard bytes.count == KeyedEncoder.tokenByteCount else {
            (high, low, other) = (0, 0, Array(bytes))
            return
        }
        var h: UInt64 = 0, l: UInt64 = 0
        for (i, b) in bytes.enumerated() {
            if i < 8 { h = h << 8 | UInt64(b) } else { l = l << 8 | UInt64(b) }
        }
        (high, low, other) = (h, l, nil)
    }

    /// A 16-byte token from its two words.
    public init(high: UInt64, low: UInt64) { (self.high, self.low, other) = (high, low, nil) }

    /// The token bytes.
    public var bytes: [UInt8] {
        if let other { return other }
        var out = [UInt8](repeating: 0, count: 16)
        for i in 0..<8 {
            let shift = UInt64(56 - 8 * i)
            out[i] = UInt8(truncatingIfNeeded: high >> shift)
            out[i + 8] = UInt8(truncatingIfNeeded: low >> shift)
        }
        return out
    }

    /// True for a token of the usual 16 bytes (then ``high`` and ``low`` are all of it).
    public var isStandard: Bool { other == nil }

    public static func < (lhs: Token, rhs: Token) -> Bool {
        switch (lhs.other, rhs.other) {
        case (nil, nil): (lhs.high, lhs.low) < (rhs.high, rhs.low)
        default: lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
        }
    }
}
