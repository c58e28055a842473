import HalRPC
import Logging

// The PIN file, `<state-dir>/pins`, sealed (see SealedRecord):
//   body = (u32 user ‖ u32 iterations ‖ salt(16) ‖ hash(64)) × 3, users 1, 2, 3 in order.
// The board keeps these in the token keystore's block under the all-zero UUID.

/// The stored PIN records of NORMAL, SO and WHEEL.
struct PINStore: Sendable {
    static let fileMagic = "CTPN"
    static let users: [User] = [.normal, .securityOfficer, .wheel]

    private(set) var records: [User: PINRecord]

    /// A factory board: WHEEL has the compiled-in PIN, SO and NORMAL are unset (docs/wire-protocol.md §6).
    static func factory() throws(HALError) -> PINStore {
        let salt = try randomBytes(PINRecord.saltLength)
        let wheel = try PINRecord.derive(PINRecord.factoryWheelPIN, salt: salt, iterations: PINRecord.factoryWheelIterations)
        return PINStore(records: [.normal: .unset, .securityOfficer: .unset, .wheel: wheel])
    }

    subscript(user: User) -> PINRecord { records[user] ?? .unset }

    mutating func set(_ record: PINRecord, for user: User) { records[user] = record }

    var sealedFile: [UInt8] {
        var body: [UInt8] = []
        for user in Self.users {
            let record = self[user]
            body.appendStorageUInt32(user.rawValue)
            body.appendStorageUInt32(record.iterations)
            body += record.salt
            body += record.hash
        }
        return SealedRecord.seal(body, magic: Self.fileMagic)
    }

    init(records: [User: PINRecord]) { self.records = records }

    init(sealedFile bytes: [UInt8]) throws(StorageFormatError) {
        var reader = StorageReader(try SealedRecord.open(bytes, magic: Self.fileMagic))
        var records: [User: PINRecord] = [:]
        for user in Self.users {
            guard try reader.uint32() == user.rawValue else { throw .malformed("PIN records out of order") }
            let iterations = try reader.uint32()
            let salt = try reader.fixed(PINRecord.saltLength)
            records[user] = PINRecord(iterations: iterations, salt: salt, hash: try reader.fixed(PINRecord.hashLength))
        }
        try reader.finish()
        self.records = records
    }
}
