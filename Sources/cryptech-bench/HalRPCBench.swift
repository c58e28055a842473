import HalRPC

/// RPC codec throughput: a PKEY_SIGN request encoded and its reply, carrying a 4 KiB
/// signature, decoded strictly, per message pair.
enum HalRPCBench {
    static func run() {
        let request = RPC.PKeySign.Request(
            pkey: PKeyHandle(rawValue: 0x8001_0000), hash: .noHandle, input: [UInt8](repeating: 0xAB, count: 32),
            signatureMaximum: UInt32(RPCLimits.maximumResultOpaque))
        var rng = SystemRandomNumberGenerator()
        let signature = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let reply = RPC.PKeySign.encodeReply(.init(signature: signature), client: .zero)
        let rate = Bench.rate {
            let frame = RPC.PKeySign.encodeRequest(request, client: .zero)
            guard case .success(let decoded)? = try? RPC.PKeySign.decodeReply(reply, for: request, client: .zero) else {
                fatalError("PKEY_SIGN reply did not decode")
            }
            return frame.count &+ decoded.signature.count
        }
        BenchFigure(name: "halrpc.codec.pkey_sign_4k", value: rate, unit: "msg/s").print()
    }
}
