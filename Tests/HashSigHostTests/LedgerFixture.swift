import CryptechHex
import EtcdLedger
import EtcdTestSupport
import Foundation
import HalRPC
import HashSig
@testable import HashSigHost

/// A ledger with one H10 key registered on board A, `[0, 1024)`, next index 1 (as after key
/// generation with L = 2): a file in a temporary directory, or (with `location`) an etcd
/// ledger.
struct LedgerFixture {
    let directory: TemporaryDirectory
    /// The ledger's file, or its etcd location.
    let path: String
    let publicKey: HSS.PublicKey
    let key: KeyIdentity
    let ledger: ShareLedger

    init(levels: Int = 2, location: String? = nil) async throws {
        directory = try TemporaryDirectory()
        path = location ?? directory.file("shares.jsonl")
        let top = try LMS.PublicKey(lmsType: .sha256M32H10, lmotsType: .sha256N32W4,
                                    identifier: (0..<16).map { UInt8($0) },
                                    root: (0..<32).map { UInt8(0xA0 &+ $0) })
        publicKey = try HSS.PublicKey(levels: levels, topPublicKey: top)
        key = KeyIdentity(publicKey)
        ledger = try await ShareLedger(store: Self.store(path), clock: testClock)
        try await ledger.append(.keyRegistered(KeyRegistration(
            publicKey: Hex.encode(publicKey.bytes), board: board("A"), keyName: "11111111-2222-4333-8444-555555555555",
            range: leaves(0, 1024), next: 1, label: "firmware signing")), key: key)
    }

    /// A new instance, as another process (or host) would open it.
    func reopen() async throws -> ShareLedger { try await ShareLedger(store: Self.store(path), clock: testClock) }

    static func store(_ location: String) throws -> any LedgerStore {
        try LedgerLocation.store(for: location, lockTTL: EtcdTestCluster.minimumLeaseSeconds)
    }

    /// What the store holds, as JSON lines (a file's bytes; an etcd ledger's records).
    func storedBytes() async throws -> [UInt8] { try await Self.store(path).read().bytes }

    /// Runs `body` on a fixture in each kind of store: one ledger suite, two stores.
    static func with(_ kind: LedgerStoreKind, levels: Int = 2, _ body: (LedgerFixture) async throws -> Void) async throws {
        switch kind {
        case .file:
            let fixture = try await LedgerFixture(levels: levels)
            defer { fixture.cleanup() }
            try await body(fixture)
        case .etcd:
            try await EtcdTestCluster.with(members: 1) { cluster in
                let location = "etcd://" + cluster.endpoints.map(\.description).joined(separator: ",") + "/ledger-test"
                let fixture = try await LedgerFixture(levels: levels, location: location)
                defer { fixture.cleanup() }
                try await body(fixture)
            }
        }
    }

    func bytes() throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }

    func write(_ bytes: [UInt8]) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }

    /// Records a transfer from A all the way to `state`.
    @discardableResult
    func transfer(_ id: String, to destination: String, _ range: LeafRange, upTo state: TransferState,
                  digest: SHA256Digest? = nil, on ledger: ShareLedger? = nil) async throws -> SHA256Digest {
        let ledger = ledger ?? self.ledger
        let digest = digest ?? SHA256Digest(of: Array(id.utf8))
        var events: [LedgerEvent] = [.planned(TransferPlanned(
            transfer: id, plan: "P-" + id, request: "exact \(destination):\(range.count)", source: board("A"),
            destination: board(destination), range: range, method: .sx1))]
        if state != .planned { events.append(.exporting(TransferExporting(transfer: id))) }
        if [.exported, .imported, .verified].contains(state) {
            events.append(.exported(TransferExported(transfer: id, blobDigest: digest, share: range, reportedByBoard: true)))
        }
        if [.imported, .verified].contains(state) {
            events.append(.imported(TransferImported(transfer: id, keyName: "key-on-\(destination)", blobDigest: digest)))
        }
        if state == .verified {
            events.append(.verified(TransferVerified(transfer: id, boardRange: range, testSignatureIndex: range.start + 1)))
        }
        try await ledger.append(events, key: key)
        return digest
    }

    func cleanup() { directory.cleanup() }
}

/// The stores the ledger suite runs against.
enum LedgerStoreKind: String, CaseIterable, Sendable {
    case file, etcd
}
