import CryptechMetrics
import Testing

@Suite struct LoopbackAddressTests {
    @Test("Loopback addresses parse, with their port", arguments: [
        ("127.0.0.1:9187", "127.0.0.1", 9187), ("127.1.2.3:0", "127.1.2.3", 0), ("[::1]:65535", "::1", 65535),
    ])
    func loopback(_ text: String, _ host: String, _ port: Int) throws {
        let address = try LoopbackAddress(parsing: text)
        #expect(address.host == host)
        #expect(address.port == port)
        #expect(address.description == text)
    }

    @Test("Anything off loopback, a name, or a bad port is refused with the reason", arguments: [
        ("0.0.0.0:9187", LoopbackAddress.ParseError.notLoopback("0.0.0.0")),
        ("192.168.1.10:9187", .notLoopback("192.168.1.10")),
        ("[::]:9187", .notLoopback("::")),
        ("[::ffff:127.0.0.1]:9187", .notLoopback("::ffff:127.0.0.1")),
        ("localhost:9187", .notLoopback("localhost")),
        ("127.0.0.1:65536", .badPort("65536")),
        ("127.0.0.1:", .badPort("")),
        ("127.0.0.1", .malformed("127.0.0.1")),
        ("[::1]9187", .malformed("[::1]9187")),
    ])
    func refused(_ text: String, _ error: LoopbackAddress.ParseError) {
        #expect(throws: error) { _ = try LoopbackAddress(parsing: text) }
    }
}
