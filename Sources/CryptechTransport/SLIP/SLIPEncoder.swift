/// Encodes payloads as SLIP frames (`END, escaped payload, END`).
public enum SLIPEncoder {
    /// The most bytes one payload of `count` bytes can take on the wire.
    @inlinable
    public static func maximumEncodedLength(_ count: Int) -> Int { 2 * count + 2 }

    /// Returns the SLIP frame of `payload`.
    public static func encode(_ payload: UnsafeRawBufferPointer) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: maximumEncodedLength(payload.count)) { out, count in
            count = encodeRaw(payload, into: UnsafeMutableRawBufferPointer(out))
        }
    }

    /// Returns the SLIP frame of `payload`.
    public static func encode(_ payload: [UInt8]) -> [UInt8] {
        payload.withUnsafeBytes { encode($0) }
    }

    /// Appends the SLIP frame of `payload` to `output`, so that several frames can leave in
    /// one write.
    public static func append(_ payload: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        let start = output.count
        let room = maximumEncodedLength(payload.count)
        output.append(contentsOf: repeatElement(0, count: room))
        let produced = output.withUnsafeMutableBytes { out in
            encodeRaw(payload, into: UnsafeMutableRawBufferPointer(rebasing: out[start...]))
        }
        output.removeLast(room - produced)
    }

    /// Encodes `payload` into `output`, which must hold at least
    /// `maximumEncodedLength(payload.count)` bytes; returns the bytes written.
    ///
    /// Runs of ordinary bytes are found eight at a time and copied in bulk, because
    /// random payloads contain END or ESC only once in 128 bytes on average.
    public static func encodeRaw(_ payload: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int {
        precondition(output.count >= maximumEncodedLength(payload.count), "SLIP output buffer too small")
        guard let out = output.baseAddress else { return 0 }
        var o = 0
        out.storeBytes(of: SLIP.end, toByteOffset: o, as: UInt8.self)
        o += 1
        guard let src = payload.baseAddress else {
            out.storeBytes(of: SLIP.end, toByteOffset: o, as: UInt8.self)
            return o + 1
        }
        let n = payload.count
        var i = 0
        while i < n {
            if n - i >= 8 {
                let word = src.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                if !SLIP.containsSpecialByte(word) {
                    out.storeBytes(of: word, toByteOffset: o, as: UInt64.self)
                    i += 8
                    o += 8
                    continue
                }
            }
            // This word holds END or ESC (or is the tail): byte by byte up to its end.
            let stop = min(n, i + 8)
            while i < stop {
                let b = src.load(fromByteOffset: i, as: UInt8.self)
                if b == SLIP.end || b == SLIP.esc {
                    out.storeBytes(of: SLIP.esc, toByteOffset: o, as: UInt8.self)
                    out.storeBytes(of: b == SLIP.end ? SLIP.escEnd : SLIP.escEsc, toByteOffset: o + 1, as: UInt8.self)
                    o += 2
                } else {
                    out.storeBytes(of: b, toByteOffset: o, as: UInt8.self)
                    o += 1
                }
                i += 1
            }
        }
        out.storeBytes(of: SLIP.end, toByteOffset: o, as: UInt8.self)
        return o + 1
    }
}
