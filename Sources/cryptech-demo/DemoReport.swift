import Foundation
import HalRPC
import HashSigHost

/// The demo's closing report.
struct DemoReport {
    struct Board {
        var name: BoardName
        var endpoint: String
        /// The leaves asked for (`--shares`).
        var asked: UInt32?
        var range: LeafRange
        /// Top-level leaves used (each gives the board one lower tree of signatures).
        var used: UInt32
        var left: UInt32
        var signatures: Int
    }

    struct Timings {
        var keygen: Duration = .zero
        var export: Duration = .zero
        var signing: Duration = .zero
        var verification: Duration = .zero
    }

    /// The ledger in etcd, as the report shows it: its head and the head key's revision.
    struct SharedLedger {
        var head: LedgerHead
        var revision: Int64
    }

    /// This host's site (`--site`), when there are several.
    var site: String?
    /// `nil` for a ledger file.
    var sharedLedger: SharedLedger?
    var key: KeyIdentity
    /// Whether this run generated the key (else another site did, and this one took it from the ledger).
    var generatedHere: Bool
    var parameters: String
    var leafCount: UInt32
    var boards: [Board]
    /// How the shares were made: SX1, or bisection on the stock firmware.
    var shareMethod: String
    var signatures: Int
    var verified: Int
    var audit: SignatureAuditor
    var timings: Timings
    var ledgerPath: String
    var journalPath: String
    var publicKeyPath: String
    var keysKept: Bool

    func render() -> String {
        var lines: [String] = []
        lines.append("")
        lines.append("cryptech demo report" + (site.map { ", site \($0)" } ?? ""))
        lines.append("  key          \(key) (\(parameters), \(leafCount) top-level leaves), "
                     + (generatedHere ? "generated in \(seconds(timings.keygen))" : "generated at another site, taken from the ledger"))
        lines.append("  shares       exported and imported in \(seconds(timings.export)) by \(shareMethod); top-level leaves per board:")
        let table = [["board", "where", "asked", "share", "used", "left", "signatures"]] + boards.map {
            [$0.name.rawValue, $0.endpoint, $0.asked.map(String.init) ?? "-", "\($0.range) (\($0.range.count))", "\($0.used)", "\($0.left)",
             "\($0.signatures)"]
        }
        let widths = (0..<table[0].count).map { column in table.map { $0[column].count }.max() ?? 0 }
        for row in table {
            let padded = zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
            lines.append("    " + padded.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression))
        }
        let used = boards.reduce(0) { $0 + Int($1.used) }
        let left = boards.reduce(0) { $0 + Int($1.left) }
        lines.append("    total: \(used) used, \(left) left of \(leafCount) (each top-level leaf signs one lower tree of \(leafCount) signatures)")
        lines.append("  signatures   \(signatures) through the signer pool in \(seconds(timings.signing)): \(rate(signatures, timings.signing)) signatures/s")
        lines.append("  verified     \(verified) of \(signatures) on the host in \(seconds(timings.verification)): \(rate(verified, timings.verification)) verifications/s")
        let alarms = audit.findings.filter(\.isAlarm).count
        lines.append("  audit        \(audit.valid) of \(audit.audited) valid; " + (alarms == 0
            ? "clean: every signature inside its board's share, no one-time key used twice"
            : "\(alarms) alarms:"))
        for finding in audit.findings { lines.append("    \(finding)") }
        if let sharedLedger {
            lines.append("  ledger       \(ledgerPath) (shared by every site's host)")
            lines.append("  ledger head  \(sharedLedger.head), etcd revision \(sharedLedger.revision)")
        } else {
            lines.append("  ledger       \(ledgerPath) (kept after the demo)")
        }
        lines.append("  journal      \(journalPath)")
        lines.append("  public key   \(publicKeyPath)")
        lines.append("  keys         " + (keysKept ? "left on the boards (--keep-keys)" : "deleted from the boards (and the key-encryption keys the export made); the ledger keeps the record"))
        lines.append("  look again   cryptech share status --ledger \(ledgerPath)")
        lines.append("               cryptech share audit --ledger \(ledgerPath) --journal \(journalPath)")
        return lines.joined(separator: "\n")
    }

    private func seconds(_ duration: Duration) -> String {
        String(format: "%.2f s", Self.seconds(duration))
    }

    private func rate(_ count: Int, _ duration: Duration) -> String {
        let elapsed = Self.seconds(duration)
        return elapsed > 0 ? String(format: "%.0f", Double(count) / elapsed) : "-"
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
