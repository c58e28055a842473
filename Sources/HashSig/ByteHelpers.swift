/// Calls `body` with the bytes of `message` in contiguous memory, copying only when the
/// collection has no contiguous storage.
@inline(__always)
func withContiguousBytes<Message: Collection<UInt8>, R, E: Error>(
    _ message: Message, _ body: (UnsafeRawBufferPointer) throws(E) -> R
) throws(E) -> R {
    let direct: Result<R, E>? = message.withContiguousStorageIfAvailable { buffer in
        Result { () throws(E) -> R in try body(UnsafeRawBufferPointer(buffer)) }
    }
    if let direct { return try direct.get() }
    let copy = Array(message)
    let result: Result<R, E> = copy.withUnsafeBytes { buffer in
        Result { () throws(E) -> R in try body(buffer) }
    }
    return try result.get()
}

/// Compares two 32-byte values (public data: no constant-time need).
@inline(__always)
func equal32(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer) -> Bool {
    for offset in stride(from: 0, to: 32, by: 8)
    where a.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        != b.loadUnaligned(fromByteOffset: offset, as: UInt64.self) {
        return false
    }
    return true
}
