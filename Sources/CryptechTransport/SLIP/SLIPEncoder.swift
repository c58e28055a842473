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
    /// Runs of ordinary bytes are found sixteen at a time and copied in bulk, because
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
            if n - i >= 16 {
                let v = src.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
                let special = (v .== SIMD16(repeating: SLIP.end)) .| (v .== SIMD16(repeating: SLIP.esc))
                if !any(special) {
                    out.storeBytes(of: v, toByteOffset: o, as: SIMD16<UInt8>.self)
                    i += 16
                    o += 16
                    continue
                }
            }
            // Slow path: up to the end of this 16-byte window (or of the payload), byte by byte.
            let stop = min(n, i + 16)
            while i < stop {
                let b = src.load(fromByteOffset: i, as: UInt8.self)
                if b == SLIP.end {
                    out.storeBytes(of: SLIP.esc, toByteOffset: o, as: UInt8.self)
                    out.storeBytes(of: SLIP.escEnd, toByteOffset: o + 1, as: UInt8.self)
                    o += 2
                } else if b == SLIP.esc {
                    out.storeBytes(of: SLIP.esc, toByteOffset: o, as: UInt8.self)
                    out.storeBytes(of: SLIP.escEsc, toByteOffset: o + 1, as: UInt8.self)
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
