/// An int64 as etcd's HTTP/JSON gateway writes it: proto3's JSON mapping puts 64-bit integers
/// in strings (`"revision":"5"`), and reads either form. Absent fields are zero in proto3, so
/// every user reads `value ?? 0`.
struct GatewayInt64: Codable, Sendable, Hashable {
    let value: Int64

    init(_ value: Int64) { self.value = value }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            guard let value = Int64(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an int64: \(text)")
            }
            self.value = value
        } else {
            self.value = try container.decode(Int64.self)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(String(value))
    }
}

extension Optional where Wrapped == GatewayInt64 {
    /// proto3: an absent integer is zero.
    var orZero: Int64 { self?.value ?? 0 }
}
