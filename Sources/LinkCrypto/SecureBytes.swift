import COpenSSL

/// Secret bytes (keys, shared secrets) held in memory that is wiped when the last copy is dropped.
///
/// A value type with an immutable, reference-counted buffer: copies share the buffer, and the
/// buffer is overwritten with `OPENSSL_cleanse` when the last reference goes. Swift arrays cannot
/// promise that (they may be copied or moved by the runtime), which is why key bytes live here.
/// Equality is constant-time.
public struct SecureBytes: Sendable {
    private let storage: Storage

    /// Copies `bytes` into wiped-on-release memory.
    public init(_ bytes: some Collection<UInt8>) {
        storage = Storage(count: bytes.count)
        storage.buffer.copyBytes(from: bytes)
    }

    /// `count` bytes from the operating system's secure random generator (through `RAND_bytes`).
    public init(randomCount count: Int) {
        storage = Storage(count: count)
        if count > 0 {
            // RAND_bytes only fails when the generator cannot be seeded; continuing would leak keys.
            guard RAND_bytes(storage.buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(count)) == 1 else {
                fatalError("secure random generator failed: \(openSSLError("RAND_bytes"))")
            }
        }
    }

    /// Fills a fresh buffer of `count` bytes with `body`; used to receive secrets from libcrypto without an intermediate array.
    init<E: Error>(count: Int, _ body: (UnsafeMutableRawBufferPointer) throws(E) -> Void) throws(E) {
        storage = Storage(count: count)
        try body(storage.buffer)
    }

    /// The number of bytes.
    public var count: Int { storage.buffer.count }

    /// Calls `body` with the bytes; the pointer must not escape.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(storage.buffer))
    }

    /// A copy of the bytes as an ordinary array: only for encoding into a protected container.
    public var unprotectedBytes: [UInt8] { Array(storage.buffer) }

    private final class Storage: @unchecked Sendable {
        // Written only in the initialisers above, before the value is shared.
        let buffer: UnsafeMutableRawBufferPointer
        private let allocation: UnsafeMutableRawBufferPointer

        init(count: Int) {
            // Always allocate at least one byte so the base address is never nil.
            allocation = .allocate(byteCount: max(count, 1), alignment: 16)
            allocation.initializeMemory(as: UInt8.self, repeating: 0)
            buffer = UnsafeMutableRawBufferPointer(rebasing: allocation[0..<count])
        }

        deinit {
            OPENSSL_cleanse(allocation.baseAddress, allocation.count)
            allocation.deallocate()
        }
    }
}

extension SecureBytes: Equatable {
    /// Constant-time comparison (lengths are not secret).
    public static func == (lhs: SecureBytes, rhs: SecureBytes) -> Bool {
        lhs.withUnsafeBytes { l in rhs.withUnsafeBytes { r in ConstantTime.equal(l, r) } }
    }
}

/// A symmetric key: AEAD keys, HMAC keys, HKDF output used as a key.
public struct SymmetricKey: Sendable, Equatable {
    /// The key bytes, wiped when dropped.
    public let bytes: SecureBytes

    /// Wraps existing key bytes (for example from a key file or HKDF).
    public init(_ bytes: SecureBytes) { self.bytes = bytes }

    /// Copies raw key bytes.
    public init(_ bytes: some Collection<UInt8>) { self.bytes = SecureBytes(bytes) }

    /// A fresh random key of `byteCount` bytes.
    public init(randomByteCount byteCount: Int) { self.bytes = SecureBytes(randomCount: byteCount) }

    /// The key length in bytes.
    public var count: Int { bytes.count }
}
