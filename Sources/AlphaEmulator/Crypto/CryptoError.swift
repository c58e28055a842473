import HalRPC

/// Every error the emulator's cryptographic backend throws.
///
/// Each case says what went wrong in the emulator's own terms; ``halError`` is the status the
/// board answers with for it (docs/wire-protocol.md §5.1), so an RPC handler can `catch let error as
/// CryptoError` and reply `error.halError`.
public enum CryptoError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A libcrypto call failed for a reason that is not the caller's input.
    case openSSL(OpenSSLError)
    /// The random generator failed (`RAND_bytes`).
    case randomGeneratorFailure(OpenSSLError)
    /// An argument is outside what the operation accepts (a digest algorithm the RPC hash
    /// functions do not serve, an RSA key length not a multiple of 8, an empty exponent, a
    /// ciphertext that no key wrap could have produced...).
    case invalidArgument(String)
    /// A key type, size or parameter set the board does not support: an unknown algorithm OID,
    /// an unnamed or unknown curve, an RSA size outside 1024...4096 bits.
    case unsupportedKey(String)
    /// DER that does not parse, or parses into something the structure does not allow.
    case malformedDER(DERError)
    /// Key DER that is well-formed ASN.1 but that OpenSSL refuses as a key of its type.
    case malformedKey(OpenSSLError)
    /// An EC public point that is not on its curve.
    case keyNotOnCurve(Curve)
    /// The input does not fit: more than an RSA modulus can carry with PKCS#1 v1.5 padding.
    case inputTooLong(length: Int, maximum: Int)
    /// RFC 5649 unwrap: the integrity check value's first half is not `A6 59 59 A6`.
    case keyWrapBadMagic
    /// RFC 5649 unwrap: the length in the integrity check value is out of range for the
    /// ciphertext.
    case keyWrapBadLength
    /// RFC 5649 unwrap: the padding bytes are not zero.
    case keyWrapBadPadding

    /// The board's status for this error.
    public var halError: HALError {
        switch self {
        case .openSSL: .impossible
        case .randomGeneratorFailure: .csprngBroken
        case .invalidArgument: .badArguments
        case .unsupportedKey: .unsupportedKey
        case .malformedDER, .malformedKey: .asn1ParseFailed
        case .keyNotOnCurve: .keyNotOnCurve
        // docs/wire-protocol.md does not say what the board answers here; "does not fit" is the closest.
        case .inputTooLong: .resultTooLong
        case .keyWrapBadMagic: .keywrapBadMagic
        case .keyWrapBadLength: .keywrapBadLength
        case .keyWrapBadPadding: .keywrapBadPadding
        }
    }

    /// One line in the emulator's terms, for its log; the client sees only ``halError``.
    public var description: String {
        switch self {
        case .openSSL(let error): error.description
        case .randomGeneratorFailure(let error): "random generator failed: \(error)"
        case .invalidArgument(let reason): "invalid argument: \(reason)"
        case .unsupportedKey(let reason): "unsupported key: \(reason)"
        case .malformedDER(let error): "malformed DER: \(error)"
        case .malformedKey(let error): "malformed key: \(error)"
        case .keyNotOnCurve(let curve): "public point not on \(curve)"
        case let .inputTooLong(length, maximum): "input of \(length) bytes longer than the \(maximum) allowed"
        case .keyWrapBadMagic: "key unwrap failed: bad integrity value"
        case .keyWrapBadLength: "key unwrap failed: encoded length out of range"
        case .keyWrapBadPadding: "key unwrap failed: non-zero padding"
        }
    }
}
