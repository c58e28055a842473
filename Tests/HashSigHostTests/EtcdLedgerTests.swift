#if canImport(Glibc)
import Glibc
#endif
import BlockingWork
import EtcdClient
import EtcdLedger
import EtcdTestSupport
import Foundation
import HalRPC
import Testing
@testable import HashSigHost

/// The share ledger in a real three-member etcd cluster on loopback, used the way two hosts at
/// two sites use it: each its own process or its own client, racing, paused, cut off.
@Suite("Share ledger in etcd, across hosts", .serialized,
       .enabled(if: try BuiltExecutables.present(EmulatorBoard.executable, CryptechCLI.executable), "build cryptech-emulator and cryptech first"))
struct EtcdLedgerTests {
    static func location(_ cluster: EtcdTestCluster, _ prefix: String, order: [Int]? = nil) -> String {
        let endpoints = (order ?? Array(cluster.endpoints.indices)).map { cluster.endpoints[$0].description }
        return "etcd://" + endpoints.joined(separator: ",") + prefix
    }

    /// A planned transfer of the top `count` leaves of A that `ledger` sees as free.
    static func planTop(_ count: UInt32, _ id: String, to destination: String, in ledger: ShareLedger, key: KeyIdentity) throws -> LedgerEvent {
        let state = try ledger.state(of: key)
        let holding = try #require(state.holdings[board("A")])
        let top = state.unfinishedTransfers(from: board("A")).map(\.range.start).min() ?? holding.range.end
        return .planned(TransferPlanned(transfer: id, plan: "P-" + id, request: "race", source: board("A"), destination: board(destination),
                                        range: LeafRange((top - count)..<top), method: .sx1))
    }

    @Test("Two hosts appending from the same head at the same moment: one extends the chain, the other re-reads and is refused; 50 races of appends and 50 of the export lock")
    func races() async throws {
        try await EtcdTestCluster.with(members: 3) { cluster in
            let fixture = try await LedgerFixture(location: Self.location(cluster, "/races"))
            defer { fixture.cleanup() }
            // Two hosts: each its own client, each asking a different member first.
            let hosts = [
                try await ShareLedger(store: LedgerFixture.store(Self.location(cluster, "/races", order: [0, 1, 2]))),
                try await ShareLedger(store: LedgerFixture.store(Self.location(cluster, "/races", order: [1, 2, 0]))),
            ]
            for round in 1...50 {
                for host in hosts { try await host.refresh() }
                #expect(hosts[0].head == hosts[1].head)
                // Both see the same free top of A and plan it, under different transfer ids.
                let events = try hosts.enumerated().map { index, host in
                    // A board receives one share at a time: each round its own destination.
                    try Self.planTop(4, "T\(round)-\(index)", to: "D\(round)", in: host, key: fixture.key)
                }
                async let first = attempt { () async throws(LedgerError) in try await hosts[0].append(events[0], key: fixture.key) }
                async let second = attempt { () async throws(LedgerError) in try await hosts[1].append(events[1], key: fixture.key) }
                let outcomes = await [first, second]
                let won = outcomes.filter { if case .success = $0 { true } else { false } }.count
                #expect(won == 1, "round \(round): \(outcomes)")
                for case .failure(let error) in outcomes {
                    guard case .inconsistent = error else { Issue.record("round \(round): refused with \(error)"); continue }
                }
            }
            for round in 1...50 {
                async let first = attempt { () async throws(LedgerError) in try await hosts[0].lockForExport() }
                async let second = attempt { () async throws(LedgerError) in try await hosts[1].lockForExport() }
                let outcomes = await [first, second]
                #expect(outcomes.filter { if case .success = $0 { true } else { false } }.count == 1, "round \(round): \(outcomes)")
                for case .failure(let error) in outcomes {
                    guard case .busy = error else { Issue.record("round \(round): \(error)"); continue }
                }
                for host in hosts { await host.releaseExportLock() }
            }
            // A third host reads one chain holding 50 planned ranges, none overlapping.
            let reader = try await fixture.reopen()
            let state = try reader.state(of: fixture.key)
            #expect(state.orderedTransfers.count == 50)
            let ranges = state.orderedTransfers.map(\.range).sorted()
            for (a, b) in zip(ranges, ranges.dropFirst()) { #expect(a.end <= b.start, "\(a) and \(b) overlap") }
            #expect(reader.head.records == 51)
        }
    }

    @Test("A lock holder paused past its lease (SIGSTOP) neither touches the board nor writes the ledger after SIGCONT",
          arguments: [ExportStep.exporting, .exportReplied])
    func pausedHolder(at step: ExportStep) async throws {
        try await EtcdTestCluster.with(members: 3) { cluster in
            let location = Self.location(cluster, "/paused")
            try await BoardFixture.with(["A", "B"], lms: .sha256N32H5, ledgerLocation: location) { fixture in
                var arguments = ["share", "export", "--ledger", location, "--pin-env", ShareCrashTests.pinVariable,
                                 "--etcd-lock-ttl", "\(EtcdTestCluster.minimumLeaseSeconds)", "--from", "A", "--shares", "A:24,B:8"]
                for board in fixture.boards { arguments += ["--board", "\(board.name)=\(board.ttyPath)"] }
                for board in fixture.boards { await board.release() }
                let paused = try StartedCLI(arguments, environment: [
                    ShareCrashTests.pinVariable: String(decoding: EmulatorBoard.pin.bytes, as: UTF8.self),
                    "CRYPTECH_TEST_STOP_AT": step.rawValue,
                ])
                try await paused.waitUntilStopped()
                // Its lease runs out: etcd deletes the lock key, and another host takes the lock.
                let other = try await ShareLedger(store: LedgerFixture.store(location))
                try await waitForLock(on: other)
                let transfer = try #require(try other.state(of: fixture.key).orderedTransfers.first)
                if step == .exportReplied {
                    // As the other host's recovery finds it: the source gave the share up, no blob.
                    try await other.append(.burned(RangeBurned(transfer: transfer.id, board: board("A"), range: transfer.range,
                                                               reason: "test: exported by a paused host")), key: fixture.key)
                }
                let records = other.records
                await other.releaseExportLock()

                let run = try await paused.resume()
                #expect(run.status == 1, "\(run.output)")
                #expect(run.output.contains("the export lock was lost"), "\(run.output)")
                #expect(try await fixture.reopenedStateRecords() == records)
                // Paused before the export request: the source still holds the whole range.
                for board in fixture.boards { try await board.reacquire() }
                let source = try #require(try await BoardHashsigKey.find(fixture.key, on: fixture.board("A").link))
                let report = try await source.report()
                await source.close()
                #expect(report?.range == (step == .exporting ? LeafRange(0..<32) : LeafRange(0..<24)), "\(run.output)")
            }
        }
    }

    /// Takes the export lock for `ledger`, once the paused holder's lease has run out.
    private func waitForLock(on ledger: ShareLedger) async throws {
        for _ in 0..<240 {
            do {
                try await ledger.lockForExport()
                try await ledger.refresh()
                return
            } catch .busy {
                try await Task.sleep(for: .milliseconds(250))
            }
        }
        Issue.record("the paused holder's lock was never freed")
    }

    @Test("Two of three members stopped: the export fails with no quorum naming the members, writes nothing, and touches no board")
    func noQuorum() async throws {
        try await EtcdTestCluster.with(members: 3) { cluster in
            let location = Self.location(cluster, "/quorum")
            let fixture = try await LedgerFixture(location: location)
            defer { fixture.cleanup() }
            let before = fixture.ledger.records
            await cluster.stop(1)
            await cluster.stop(2)
            // A board that records whether anyone connected.
            let board = try ListeningSocket(path: fixture.directory.file("board.sock"))
            defer { board.close() }
            let run = try CryptechCLI.run(["share", "export", "--ledger", location, "--pin-env", ShareCrashTests.pinVariable,
                                           "--from", "A", "--shares", "A:1000,B:24", "--board", "A=socket:\(board.path)",
                                           "--board", "B=socket:\(board.path)"],
                                          environment: [ShareCrashTests.pinVariable: "fffffffffffffffffffffffffffffffffffffff"])
            #expect(run.status == 3, "\(run.output)")
            #expect(run.output.contains("cannot be reached, nothing was written"), "\(run.output)")
            for endpoint in cluster.endpoints { #expect(run.output.contains(endpoint.description), "\(run.output)") }
            #expect(!board.wasConnected)
            try await cluster.restart(1)
            #expect(try await fixture.reopen().records == before)
        }
    }

    @Test("A member stopped in the middle of an export is survived: the client fails over and the export completes")
    func memberLost() async throws {
        try await EtcdTestCluster.with(members: 3) { cluster in
            let location = Self.location(cluster, "/member")
            try await BoardFixture.with(["A", "B"], lms: .sha256N32H5, ledgerLocation: location) { fixture in
                var arguments = ["share", "export", "--ledger", location, "--pin-env", ShareCrashTests.pinVariable,
                                 "--from", "A", "--shares", "A:24,B:8"]
                for board in fixture.boards { arguments += ["--board", "\(board.name)=\(board.ttyPath)"] }
                for board in fixture.boards { await board.release() }
                let run = try StartedCLI(arguments, environment: [
                    ShareCrashTests.pinVariable: String(decoding: EmulatorBoard.pin.bytes, as: UTF8.self),
                    "CRYPTECH_TEST_STOP_AT": ExportStep.exporting.rawValue,
                ])
                try await run.waitUntilStopped()
                // The member the client asks first.
                await cluster.stop(0)
                let result = try await run.resume()
                #expect(result.status == 0, "\(result.output)")
                let state = try await fixture.reopenedState()
                #expect(state.orderedTransfers.map(\.state) == [.verified])
            }
        }
    }
}

/// How `body` ended, as a value (both sides of a race are looked at).
func attempt<T>(_ body: () async throws(LedgerError) -> T) async -> Result<T, LedgerError> {
    do {
        return .success(try await body())
    } catch {
        return .failure(error)
    }
}

extension BoardFixture {
    func reopenedStateRecords() async throws -> [LedgerRecord] {
        try await ShareLedger(store: LedgerLocation.store(for: ledger.path)).records
    }
}

/// `cryptech` started and left running, to be stopped and continued.
final class StartedCLI: Sendable {
    private let process: Process
    private let output: Pipe

    init(_ arguments: [String], environment: [String: String]) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: CryptechCLI.executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// Waits until the process has stopped itself (state `T` in /proc), or ended.
    func waitUntilStopped() async throws {
        let path = "/proc/\(process.processIdentifier)/stat"
        for _ in 0..<1200 {
            guard process.isRunning else { Issue.record("it ended instead of stopping"); return }
            if let stat = try? String(contentsOfFile: path, encoding: .utf8), let close = stat.lastIndex(of: ")"),
               stat[stat.index(close, offsetBy: 2)] == "T" {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("it never stopped")
    }

    /// SIGCONT, then waits for it to end.
    func resume() async throws -> CryptechCLI.Run {
        kill(process.processIdentifier, SIGCONT)
        let (output, process) = (self.output, self.process)
        return try await offThePool {
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return CryptechCLI.Run(status: process.terminationStatus, killed: false, output: text)
        }
    }
}

/// A Unix socket that listens and never accepts: `wasConnected` tells whether anybody tried.
final class ListeningSocket: Sendable {
    let path: String
    private let descriptor: Int32

    init(path: String) throws {
        self.path = path
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.prefix(buffer.count - 1).enumerated() { buffer[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, listen(descriptor, 8) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    }

    /// Whether a connection is waiting to be accepted.
    var wasConnected: Bool {
        let accepted = accept(descriptor, nil, nil)
        if accepted >= 0 { Glibc.close(accepted) }
        return accepted >= 0
    }

    func close() {
        Glibc.close(descriptor)
        unlink(path)
    }
}
