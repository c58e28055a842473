#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Which processes a client accepts as the muxd serving a Unix socket, checked by the uid the
/// kernel reports for the socket's peer (``PeerCredentials``) before anything is sent.
///
/// Why: the reference socket path `/tmp/.cryptech_muxd.rpc` can be bound by any local user
/// before the daemon starts, and whoever serves it receives every client's requests, LOGIN
/// PINs included. A daemon worth trusting runs as root, as the client's own user, or as an
/// account set aside for it; anyone else is refused.
///
/// ``standard`` accepts root, the calling process's own uid, the account ``daemonAccount``
/// (`cryptech`, which the systemd unit in `tools/` runs the daemon as) when the system has it,
/// and the user named by ``uidVariable`` (`CRYPTECH_MUXD_UID`, a uid or an account name) when
/// it is set. ``users(_:)`` accepts root, the own uid and the given uids, and reads neither the
/// environment nor the account database.
public struct PeerTrust: Sendable, Hashable {
    /// `CRYPTECH_MUXD_UID`: one more user (uid or account name) whose daemon is accepted.
    public static let uidVariable = "CRYPTECH_MUXD_UID"
    /// The account the systemd unit runs the daemon as; accepted by ``standard`` when it exists.
    public static let daemonAccount = "cryptech"

    var trustedUIDs: Set<UInt32>
    /// Also accept ``daemonAccount`` and the user named by ``uidVariable``.
    var consultsSystem: Bool
    /// Accept root and the process's own uid (off only in tests, to see a refusal on a socket
    /// the test itself serves).
    var acceptsRootAndSelf: Bool

    /// Root, the own uid, the `cryptech` account, and `CRYPTECH_MUXD_UID`.
    public static let standard = PeerTrust(trustedUIDs: [], consultsSystem: true, acceptsRootAndSelf: true)

    /// Root, the own uid, and `uids`; nothing read from the environment or the accounts.
    public static func users(_ uids: Set<UInt32>) -> PeerTrust {
        PeerTrust(trustedUIDs: uids, consultsSystem: false, acceptsRootAndSelf: true)
    }

    /// Exactly `uids`, not even root or the own uid: lets a test see a refusal from a socket
    /// it serves itself.
    static func only(_ uids: Set<UInt32>) -> PeerTrust {
        PeerTrust(trustedUIDs: uids, consultsSystem: false, acceptsRootAndSelf: false)
    }

    /// The uids accepted for a connection to `endpoint`, each with why.
    /// - Parameters:
    ///   - endpoint: the socket path, named in the error when ``uidVariable`` is invalid.
    ///   - ownUID: the calling process's uid.
    ///   - environment: where ``uidVariable`` is looked up.
    ///   - accountID: looks up an account's uid by name; `nil`: the system's account database.
    /// - Throws: ``TransportError`` (`invalidArgument`) when ``uidVariable`` names neither a
    ///   uid nor an account.
    public func accepted(
        for endpoint: String,
        ownUID: UInt32 = getuid(),
        environment: [String: String] = ProcessInfo.processInfo.environment,
        accountID: ((String) -> UInt32?)? = nil
    ) throws(TransportError) -> AcceptedPeers {
        let accountID = accountID ?? userID(named:)
        var reasons: [UInt32: String] = [:]
        func add(_ uid: UInt32, _ why: String) {
            if reasons[uid] == nil { reasons[uid] = why }
        }
        if acceptsRootAndSelf {
            add(0, "root")
            add(ownUID, "this process's user")
        }
        for uid in trustedUIDs.sorted() { add(uid, "configured") }
        if consultsSystem {
            if let uid = accountID(Self.daemonAccount) { add(uid, "account \(Self.daemonAccount)") }
            if let text = environment[Self.uidVariable], !text.isEmpty {
                if let uid = UInt32(text) {
                    add(uid, Self.uidVariable)
                } else if let uid = accountID(text) {
                    add(uid, "\(Self.uidVariable)=\(text)")
                } else {
                    throw TransportError(.invalidArgument, endpoint: endpoint,
                                         "\(Self.uidVariable)='\(text)' is neither a uid nor an account name")
                }
            }
        }
        return AcceptedPeers(reasons: reasons)
    }
}

/// The uids a client accepts as its daemon, each with the reason, from ``PeerTrust``.
public struct AcceptedPeers: Sendable, Hashable, CustomStringConvertible {
    /// uid → why it is accepted ("root", "this process's user", "account cryptech", …).
    public var reasons: [UInt32: String]

    /// - Parameter reasons: each accepted uid with why it is accepted.
    public init(reasons: [UInt32: String]) {
        self.reasons = reasons
    }

    /// Whether a daemon running as `peer` is accepted.
    public func admits(_ peer: PeerCredentials) -> Bool { reasons[peer.uid] != nil }

    /// The refusal of a daemon running as `peer` on `endpoint`: it names the peer, what would
    /// be accepted, and how to accept it if it is genuine.
    public func refusal(of peer: PeerCredentials, endpoint: String) -> TransportError {
        TransportError(
            .untrustedPeer, endpoint: endpoint,
            "served by \(peer), which is not a trusted daemon (accepted: \(self)); nothing was sent. "
                + "Another user may have bound this socket first. If cryptech-muxd really runs as uid \(peer.uid), "
                + "set \(PeerTrust.uidVariable)=\(peer.uid)",
            peer: peer)
    }

    /// The accepted uids with their reasons, in uid order, or `nobody`: what a refusal quotes.
    public var description: String {
        reasons.isEmpty ? "nobody" : reasons.sorted { $0.key < $1.key }.map { "uid \($0.key) (\($0.value))" }.joined(separator: ", ")
    }
}
