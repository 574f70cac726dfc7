/// Calls `body` with the bytes of `bytes`, without a copy when the collection is contiguous
/// (arrays, slices, native strings' UTF-8 views).
@inline(__always)
func withBytes<C: Collection<UInt8>, R, E: Error>(
    _ bytes: C, _ body: (UnsafeRawBufferPointer) throws(E) -> R
) throws(E) -> R {
    let contiguous: Result<R, E>? = bytes.withContiguousStorageIfAvailable { buffer in
        Result { () throws(E) -> R in try body(UnsafeRawBufferPointer(buffer)) }
    }
    if let contiguous { return try contiguous.get() }
    return try Array(bytes).withUnsafeBytes { buffer in
        Result { () throws(E) -> R in try body(buffer) }
    }.get()
}

extension UnsafeRawBufferPointer {
    /// A base address that is never nil, as libcrypto wants even for zero-length input.
    var nonNilBase: UnsafePointer<UInt8> {
        if let base = baseAddress { return base.assumingMemoryBound(to: UInt8.self) }
        return UnsafePointer(emptyByte)
    }
}

/// A one-byte static buffer to point at for empty inputs.
nonisolated(unsafe) private let emptyByte: UnsafeMutablePointer<UInt8> = {
    let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
    p.initialize(to: 0)
    return p
}()
