import HalRPC
import Testing

/// Every function's request and reply, through the shared descriptions, in all four
/// directions: encode then decode gives the same value.
@Suite struct RoundTripTests {
    @Test(arguments: Samples.all)
    func requestAndReplyRoundTrip(_ sample: Sample) {
        sample.checkRoundTrip()
    }

    @Test func everyFunctionHasASample() {
        let covered = Set(Samples.all.map(\.function))
        #expect(covered == Set(FunctionNumber.allCases))
    }

    @Test func absentShareCountRoundTripsAsAbsent() throws {
        let old = RPC.PKeyExport.Request(pkey: Samples.pkey, kekek: Samples.pkey, pkcs8Maximum: 5480, kekMaximum: 512)
        let new = RPC.PKeyExport.Request(pkey: Samples.pkey, kekek: Samples.pkey, pkcs8Maximum: 5480, kekMaximum: 512, shareCount: 0)
        let oldFrame = RPC.PKeyExport.encodeRequest(old, client: .zero)
        let newFrame = RPC.PKeyExport.encodeRequest(new, client: .zero)
        #expect(oldFrame.count == 24)
        #expect(newFrame == oldFrame + [0, 0, 0, 0])
        #expect(try RPC.PKeyExport.decodeRequest(oldFrame).1.shareCount == nil)
        #expect(try RPC.PKeyExport.decodeRequest(newFrame).1.shareCount == 0)
    }

    @Test func shareRangeFollowsOnlyARequestWithShareCount() throws {
        let reply = RPC.PKeyExport.Reply(pkcs8: [1], kek: [2], shareRange: LeafRange(512..<1024))
        let frame = RPC.PKeyExport.encodeReply(reply, client: .zero)
        let old = RPC.PKeyExport.Request(pkey: Samples.pkey, kekek: Samples.pkey, pkcs8Maximum: 5480, kekMaximum: 512)
        var new = old
        new.shareCount = 512
        #expect(try RPC.PKeyExport.decodeReply(frame, for: new) == .success(reply))
        #expect(throws: RPCReplyError.malformed(.trailingBytes(offset: 28, count: 8))) {
            try RPC.PKeyExport.decodeReply(frame, for: old)
        }
        var legacy = reply
        legacy.shareRange = nil
        let legacyFrame = RPC.PKeyExport.encodeReply(legacy, client: .zero)
        #expect(try RPC.PKeyExport.decodeReply(legacyFrame, for: new) == .success(legacy))
    }

    @Test func aShareRangeEndingBelowItsStartIsMalformed() throws {
        var request = RPC.PKeyExport.Request(pkey: Samples.pkey, kekek: Samples.pkey, pkcs8Maximum: 5480, kekMaximum: 512)
        request.shareCount = 512
        // The words of [1024, 512): no board reports a share like that.
        let frame = RPC.PKeyExport.encodeReply(.init(pkcs8: [1], kek: [2]), client: .zero) + [0, 0, 4, 0, 0, 0, 2, 0]
        #expect(throws: RPCReplyError.malformed(.rangeEndsBeforeStart(offset: 28, start: 1024, end: 512))) {
            try RPC.PKeyExport.decodeReply(frame, for: request)
        }
    }

    @Test func keyNameBytesAndTextAgree() {
        let name = KeyName(uuidString: "00112233-4455-6677-8899-AABBCCDDEEFF")!
        #expect(name.bytes == bytes("00112233445566778899AABBCCDDEEFF"))
        #expect(name.description == "00112233-4455-6677-8899-aabbccddeeff")
        #expect(KeyName(name.uuid) == name)
        #expect(KeyName(bytes: name.bytes) == name)
        #expect(KeyName(bytes: [1, 2, 3]) == nil)
        #expect(KeyName.zero < name)
        #expect(KeyName(bytes: bytes("00112233445566778899AABBCCDDEF00"))! > name)
        #expect(KeyName(bytes: bytes("01000000000000000000000000000000"))! > KeyName(bytes: bytes("00FFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"))!)
    }

    @Test func pinNeverShowsItsOctets() {
        let pin = PIN("correct horse")
        for text in [pin.description, pin.debugDescription, String(describing: pin), String(reflecting: pin),
                     String(describing: RPC.Login.Request(user: .wheel, pin: pin))] {
            #expect(!text.contains("horse"), "\(text)")
        }
    }
}
