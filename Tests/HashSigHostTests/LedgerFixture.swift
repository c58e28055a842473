import Foundation
import HashSig
@testable import HashSigHost

/// A ledger in a temporary directory with one H10 key registered on board A, `[0, 1024)`,
/// next index 1 (as after key generation with L = 2).
struct LedgerFixture {
    let directory: TemporaryDirectory
    let path: String
    let publicKey: HSS.PublicKey
    let key: KeyIdentity
    let ledger: ShareLedger

    init(levels: Int = 2) async throws {
        directory = try TemporaryDirectory()
        path = directory.file("shares.jsonl")
        let top = try LMS.PublicKey(lmsType: .sha256M32H10, lmotsType: .sha256N32W4,
                                    identifier: (0..<16).map { UInt8($0) },
                                    root: (0..<32).map { UInt8(0xA0 &+ $0) })
        publicKey = try HSS.PublicKey(levels: levels, topPublicKey: top)
        key = KeyIdentity(publicKey)
        ledger = try await ShareLedger(path: path, clock: testClock)
        try await ledger.append(.keyRegistered(KeyRegistration(
            publicKey: Hex.encode(publicKey.bytes), board: board("A"), keyName: "11111111-2222-4333-8444-555555555555",
            range: leaves(0, 1024), next: 1, label: "firmware signing")), key: key)
    }

    func reopen() async throws -> ShareLedger { try await ShareLedger(path: path, clock: testClock) }

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
