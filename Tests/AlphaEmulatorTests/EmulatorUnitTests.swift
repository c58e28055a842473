#if canImport(Glibc)
import Glibc
#endif
@testable import AlphaEmulator
import CryptechTransport
import DurableFile
import Foundation
import HalRPC
import Logging
import Testing

/// Pure parts of the emulator, without a process: storage format, handle numbering, the
/// console dialogue, the throttle and the fault generator.
@Suite("Emulator units")
struct EmulatorUnitTests {
    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test("handle numbering: slot | counter << 16 | flag, counter wraps modulo 0x7FFF")
    func handles() {
        var numbering = HandleNumbering()
        #expect(numbering.next(slot: 0, flagged: true) == 0x8001_0000)
        #expect(numbering.next(slot: 3, flagged: false) == 0x0002_0003)
        var table = SlotTable<Int>(capacity: 2)
        let a = table.allocate(1, flagged: false)!
        let b = table.allocate(2, flagged: false)!
        #expect(table.allocate(3, flagged: false) == nil)
        #expect(table.entry(a) == 1 && table.entry(b) == 2)
        table.release(a)
        let c = table.allocate(4, flagged: false)!
        #expect(c & 0xFFFF == a & 0xFFFF && c != a, "a reused slot gets a new handle")
        #expect(table.entry(a) == nil)
        for _ in 0..<0x8000 { _ = numbering.next(slot: 0, flagged: false) }
        #expect(numbering.next(slot: 0, flagged: false) >> 16 < 0x7FFF)
    }

    @Test("unpredictable handle numbering (SX1): the flag is the top bit, never 0, never a live handle")
    func unpredictableHandles() {
        var numbering = HandleNumbering(unpredictable: true)
        var seen: Set<UInt32> = []
        for index in 0..<2000 {
            let flagged = index % 2 == 0
            let value = numbering.next(slot: 0, flagged: flagged) { seen.contains($0) }
            #expect((value & 0x8000_0000 != 0) == flagged)
            #expect(value & 0x7FFF_FFFF != 0)
            #expect(seen.insert(value).inserted, "a value already handed out")
        }
        // Counters are not what the values follow: a thousand slot-0 handles of the reference
        // differ by one counter step each; these do not.
        let values = seen.filter { $0 & 0x8000_0000 == 0 }.sorted()
        #expect(zip(values, values.dropFirst()).contains { $1 - $0 != 0x1_0000 })
        var table = SlotTable<Int>(capacity: 3, unpredictable: true)
        let a = table.allocate(1, flagged: true)!
        let b = table.allocate(2, flagged: false)!
        #expect(table.entry(a) == 1 && table.entry(b) == 2 && a != b)
        table.release(a)
        #expect(table.entry(a) == nil && table.entry(b) == 2)
        table.releaseAll { $0 == 2 }
        #expect(table.entries.isEmpty && table.entry(b) == nil)
    }

    @Test("PIN back-off: doubles per wrong PIN up to 64 times the first with SX1, always the first on the reference")
    func pinBackOff() {
        let first = Duration.milliseconds(100)
        let doubling = (1...9).map { PINCheckGate.pause(afterWrongPINs: $0, first: first, doubles: true) }
        #expect(doubling == [1, 2, 4, 8, 16, 32, 64, 64, 64].map { first * $0 })
        #expect((1...9).allSatisfy { PINCheckGate.pause(afterWrongPINs: $0, first: first, doubles: false) == first })
        #expect(PINCheckGate.pause(afterWrongPINs: 50, first: .zero, doubles: true) == .zero)
    }

    @Test("key files round-trip; a flipped bit is refused; the keystore skips a corrupt file")
    func storage() throws {
        let name = KeyName(bytes: (1...16).map { UInt8($0) })!
        let record = KeyRecord(
            name: name, type: .hashsigPrivate, curve: .none, flags: [.digitalSignature, .token, .exportable],
            material: .hashsig(HashsigKeyRecord(
                levels: 2, lmsType: .sha256N32H5, lmotsType: .sha256N32W8, identifier: [UInt8](repeating: 1, count: 16),
                root: [UInt8](repeating: 2, count: 32), seed: [UInt8](repeating: 3, count: 32), isExportableSeed: true,
                rangeStart: 0, rangeEnd: 32, nextIndex: 5)),
            attributes: [Attribute(type: AttributeType(rawValue: 9), value: [1, 2, 3])], owner: ClientHandle(rawValue: 7), entries: 34)
        let file = record.sealedFile
        let back = try KeyRecord(sealedFile: file)
        #expect(back.name == name && back.flags == record.flags && back.entries == 34)
        #expect(back.material.hashsig == record.material.hashsig)
        #expect(back.attributes == record.attributes)
        for position in [0, 10, file.count / 2, file.count - 1] {
            var broken = file
            broken[position] ^= 0x10
            #expect(throws: StorageFormatError.self) { _ = try KeyRecord(sealedFile: broken) }
        }
        #expect(throws: StorageFormatError.self) { _ = try KeyRecord(sealedFile: Array(file.dropLast())) }

        let directory = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let keystore = try Keystore(directory: directory, logger: Self.logger)
        try keystore.insert(record)
        let second = KeyRecord(name: KeyName(bytes: [UInt8](repeating: 9, count: 16))!, type: .ecPublic, curve: .p256,
                           flags: .token, material: .der([1, 2, 3]), attributes: [], owner: .zero, entries: 1)
        try keystore.insert(second)
        #expect(keystore.freeTokenEntries == 2048 - 1 - 35)
        // Corrupt the first file on disk: a reload reports it and keeps only the second.
        let path = directory + "/keys/\(name).key"
        var bytes = try #require(try DurableFile.read(path, limit: Keystore.fileLimit))
        bytes[20] ^= 1
        try DurableFile.replace(path, with: bytes)
        let reloaded = try Keystore(directory: directory, logger: Self.logger)
        #expect(reloaded.record(name) == nil)
        #expect(reloaded.record(second.name)?.material.der == [1, 2, 3])
        // A leftover temporary file from an interrupted write is ignored and removed.
        let leftover = directory + "/keys/.\(second.name).key.tmp-1-ab"
        try DurableFile.replace(leftover, with: [0])
        _ = try Keystore(directory: directory, logger: Self.logger)
        #expect(try DurableFile.read(leftover, limit: 1) == nil)
    }

    @Test("keystore fsync order: a new state directory's entries are fsynced; a key is on disk (temporary, fsync, rename, fsync of the directory) before it is visible, and its removal is fsynced")
    func keystoreFsyncOrder() throws {
        let parent = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let directory = parent + "/state"
        let trace = DurableTrace()
        let record = KeyRecord(name: KeyName(bytes: [UInt8](repeating: 5, count: 16))!, type: .ecPublic, curve: .p256,
                               flags: .token, material: .der([1, 2, 3]), attributes: [], owner: .zero, entries: 1)
        let keystore = try DurableFile.$trace.withValue(trace) {
            try Keystore(directory: directory, logger: Self.logger)
        }
        let parentName = DurableFile.baseName(parent)
        #expect(trace.operations == ["mkdir state", "fsync-dir \(parentName)", "mkdir keys", "fsync-dir state"])
        let insert = DurableTrace()
        try DurableFile.$trace.withValue(insert) {
            try keystore.insert(record)
            insert.record("visible \(keystore.record(record.name) != nil)")
        }
        let file = "\(record.name).key"
        #expect(insert.operations == ["create .\(file).tmp", "write .\(file).tmp", "fsync .\(file).tmp",
                                      "rename-to-\(file) .\(file).tmp", "fsync-dir keys", "visible true"])
        let removal = DurableTrace()
        try DurableFile.$trace.withValue(removal) { try keystore.remove(record.name) }
        #expect(removal.operations == ["unlink \(file)", "fsync-dir keys"])
    }

    @Test("PIN file: factory state, set PINs, corrupt file falls back to factory")
    func pins() throws {
        let directory = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let users = try UserDirectory(stateDirectory: directory, logger: Self.logger)
        #expect(try users.verify(PINRecord.factoryWheelPIN, for: .wheel))
        #expect(try !users.verify(PIN("whatever"), for: .normal))
        try users.initialize(.normal, pin: PIN("1234"))
        let again = try UserDirectory(stateDirectory: directory, logger: Self.logger)
        #expect(try again.verify(PIN("1234"), for: .normal))
        #expect(try !again.verify(PIN("12345"), for: .normal))
        var bytes = try #require(try DurableFile.read(directory + "/pins", limit: 1 << 16))
        bytes[bytes.count - 1] ^= 1
        try DurableFile.replace(directory + "/pins", with: bytes)
        let factory = try UserDirectory(stateDirectory: directory, logger: Self.logger)
        #expect(try !factory.verify(PIN("1234"), for: .normal))
        #expect(try factory.verify(PINRecord.factoryWheelPIN, for: .wheel))
    }

    @Test("console dialogue: prompts, password not echoed, Ctrl-U, the muxd probe")
    func console() {
        var session = ConsoleSession()
        let verify: ConsoleSession.Verifier = { user, pin in user == .wheel && pin == PIN("sesame-1") }
        #expect(String(decoding: session.banner(), as: UTF8.self).hasSuffix("Username: "))
        let probe = session.receive(hex("C0 15 C0 00 00 00 00 00 00 00 00 C0 15 0D"), verify: verify)
        #expect(String(decoding: probe, as: UTF8.self).contains("Username: "))
        let user = String(decoding: session.receive(Array("whee\u{7F}el\r".utf8), verify: verify), as: UTF8.self)
        #expect(user.contains("Password: "))
        let password = String(decoding: session.receive(Array("sesame-1\r\n".utf8), verify: verify), as: UTF8.self)
        #expect(!password.contains("sesame"))
        #expect(password.hasSuffix("cryptech> "))
        let unknown = String(decoding: session.receive(Array("frob\r".utf8), verify: verify), as: UTF8.self)
        #expect(unknown.contains("Unknown command: frob"))
        let cleared = String(decoding: session.receive(Array("junk\u{15}help\r".utf8), verify: verify), as: UTF8.self)
        #expect(cleared.contains("Commands:"))
        #expect(String(decoding: session.receive(Array("logout\r".utf8), verify: verify), as: UTF8.self).hasSuffix("Username: "))
        _ = session.receive(Array("wheel\r".utf8), verify: verify)
        #expect(String(decoding: session.receive(Array("wrong\r".utf8), verify: verify), as: UTF8.self).contains("Access denied"))
    }

    @Test("fault plans: parsing, and the same seed gives the same faults")
    func faults() throws {
        let plan = try FaultPlan(parsing: "drop=0.25,corrupt=0.5,delay=20,seed=42")
        #expect(plan.dropProbability == 0.25 && plan.corruptProbability == 0.5 && plan.delay == .milliseconds(20) && plan.seed == 42)
        #expect(throws: EmulatorOptionError.self) { try FaultPlan(parsing: "drop=1.5") }
        #expect(throws: EmulatorOptionError.self) { try FaultPlan(parsing: "lose=0.1") }
        #expect(throws: EmulatorOptionError.self) { try FaultPlan(parsing: "delay=-1") }
        var first = FaultInjector(plan: plan)
        var second = FaultInjector(plan: plan)
        let reply = [UInt8](repeating: 0x55, count: 16)
        var drops = 0
        for _ in 0..<1000 {
            let decision = first.apply(to: reply)
            #expect(decision == second.apply(to: reply))
            if decision == .drop { drops += 1 }
        }
        #expect((150...350).contains(drops))
    }

    @Test("throttle: the long-run rate is baud / 10 bytes per second")
    func throttle() {
        let clock = ContinuousClock()
        var now = clock.now
        var throttle = LineThrottle(baud: 921_600, now: now)
        var sent = 0
        // Simulate a writer that wakes when told and sends what it may, for one second.
        let end = now + .seconds(1)
        while now < end {
            let allowed = throttle.available(at: now)
            throttle.consume(allowed)
            sent += allowed
            now += max(.microseconds(100), throttle.wait(for: 16384, at: now))
        }
        // One second of line time plus the burst the bucket starts with.
        #expect(abs(Double(sent) - 92_160 - throttle.burst) < 92_160 * 0.01)
    }

    @Test("in process: SoftwareAlpha serves an HSMClient on its pty")
    func inProcess() async throws {
        let alpha = try SoftwareAlpha(configuration: EmulatorConfiguration(wrongPINDelay: .zero), logger: Self.logger)
        alpha.start()
        defer { alpha.stop() }
        let client = HSMClient(connector: SerialConnector(path: alpha.rpcPath))
        #expect(try await client.getVersion() == 0x0101_0100)
        try await client.login(user: .wheel, pin: PINRecord.factoryWheelPIN)
        let key = try await client.generateECKey(curve: .p256, flags: [.digitalSignature, .token])
        #expect(try await key.keyType() == .ecPrivate)
        await client.close()
    }
}
