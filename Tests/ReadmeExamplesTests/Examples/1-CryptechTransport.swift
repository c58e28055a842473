import CryptechTransport

/// SLIP framing as every link to a board uses it: encode a payload, decode it back.
func slipRoundTrip(_ payload: [UInt8]) -> [UInt8]? {
    let wire = SLIPEncoder.encode(payload)  // END, payload with END/ESC escaped, END
    var decoder = SLIPDecoder()
    var frames: [[UInt8]] = []
    decoder.decode(wire) { event in
        if case .frame(let frame) = event { frames.append(frame) }
    }
    return frames.first
}
