/// How long a client waits for one reply: a fixed allowance plus a margin times the work the
/// request asks for.
///
/// The work is what a reference Alpha is expected to take (``RPCFunction/expectedWork(for:)``):
/// derived from the request where it says how much there is to do (the levels and tree
/// heights of a hashsig key, the modulus of an RSA key), otherwise set so that the deadline
/// is the function's ``RPCTimeout`` class duration. ``BoardPace`` lengthens it for a board
/// measured slower than that.
public enum RPCDeadline {
    /// Covers the link (a 16 KiB reply is under 0.2 s at 921600 baud), a few cheap requests
    /// of other clients queued ahead at the board, and a loaded host.
    public static let allowance = Duration.seconds(5)
    /// Expected times vary (a prime search is random, a board's flash erases vary); the
    /// deadline waits this many times the expected work.
    public static let margin = 4.0

    /// The deadline for work expected to take `expected`.
    public static func deadline(expected: Duration) -> Duration {
        allowance + expected * margin
    }

    /// The work whose deadline is exactly `duration` (the inverse of ``deadline(expected:)``).
    static func work(filling duration: Duration) -> Duration {
        duration > allowance ? (duration - allowance) / margin : .zero
    }

    /// SHA-256 compressions per second an Alpha is assumed to manage in hashsig key
    /// generation (the FPGA hash core driven over the FMC bus). An assumption, not a
    /// measurement: ``BoardPace`` lengthens deadlines on a board that turns out slower.
    public static let assumedHashRate = 20_000.0
}

extension RPCFunction {
    /// What a reference Alpha is expected to take for `request`: by default the work that makes
    /// the deadline the ``timeoutClass`` duration.
    public static func expectedWork(for request: Request) -> Duration {
        RPCDeadline.work(filling: timeoutClass.duration)
    }

    /// The deadline for `request` on a board not yet measured.
    public static func derivedDeadline(for request: Request) -> Duration {
        RPCDeadline.deadline(expected: expectedWork(for: request))
    }
}

extension RPC.PKeyGenerateHashsig {
    /// The board builds one LMS tree per level (libhal `hal_hashsig_key_gen`): per leaf an
    /// LM-OTS public key, `p` hash chains of `2^w - 1` steps (RFC 8554 §4.3), and the tree
    /// hashes above it. Unknown type codes count as the largest (the board refuses them at once
    /// anyway).
    public static func expectedWork(for request: Request) -> Duration {
        let height = (5...25).contains(5 * (Int(request.lmsType.rawValue) - 4)) ? 5 * (Int(request.lmsType.rawValue) - 4) : 25
        let (chains, width): (Double, Double) = switch request.lmotsType {
        case .sha256N32W1: (265, 1)
        case .sha256N32W2: (133, 2)
        case .sha256N32W4: (67, 4)
        default: (34, 8)
        }
        let perLeaf = chains * (Double(1 << Int(width)) - 1) + 2
        let leaves = Double(max(1, min(Int(request.levels), 8))) * Double(1 << height)
        return .seconds(leaves * perLeaf / RPCDeadline.assumedHashRate)
    }
}

extension RPC.PKeyGenerateRSA {
    /// Finding two primes grows roughly with the cube of the modulus length; about half a
    /// minute for 2048 bits on an Alpha (the FPGA modexp core).
    public static func expectedWork(for request: Request) -> Duration {
        let scale = Double(max(request.keyLength, 512)) / 2048
        return .seconds(30 * scale * scale * scale)
    }
}
