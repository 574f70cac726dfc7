import COpenSSL

/// Secure random bytes from libcrypto's DRBG, seeded by the operating system.
public enum SecureRandom {
    /// `count` random bytes for public values (nonces, salts, identifiers). Use ``SecureBytes/init(randomCount:)`` for secrets.
    public static func bytes(count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        guard count > 0 else { return out }
        let ok = out.withUnsafeMutableBytes { RAND_bytes($0.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(count)) }
        // A generator that cannot produce randomness must stop the process rather than hand out predictable nonces.
        guard ok == 1 else { fatalError("secure random generator failed: \(openSSLError("RAND_bytes"))") }
        return out
    }
}

/// Comparisons whose running time does not depend on where the inputs differ.
public enum ConstantTime {
    /// True if `a` and `b` hold the same bytes. Time depends only on the lengths.
    public static func equal(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        let l = Array(a), r = Array(b)
        return l.withUnsafeBytes { lb in r.withUnsafeBytes { rb in equal(lb, rb) } }
    }

    static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        guard a.count > 0 else { return true }
        return CRYPTO_memcmp(a.baseAddress, b.baseAddress, a.count) == 0
    }
}
