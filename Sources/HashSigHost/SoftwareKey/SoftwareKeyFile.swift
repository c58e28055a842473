import DurableFile
import Foundation
import HashSig

/// A software HSS private key kept in a file, used so that no one-time key is ever used twice:
/// each signature reads the key, signs, and saves the advanced key — durably (`DurableFile`:
/// temporary file, fsync, rename, fsync of the directory) before the signature is returned —
/// all under the key file's lock, so two processes never sign from one state.
///
/// The lock is on a sidecar file, `KEY.lock` beside the key (mode 0600, never removed): the key
/// file itself is replaced at every save. A process that dies holding it releases it.
public struct SoftwareKeyFile: Sendable {
    /// The key file, symbolic links resolved (a save replaces the link's target, not the link).
    public let path: String

    /// How long a second process waits for a key another one is using.
    public static let lockWait: Duration = .seconds(30)
    /// The largest key file read: a serialized key is a few hundred bytes per level.
    public static let sizeLimit = 1 << 20

    /// - Parameter path: the key file; symbolic links are resolved now, so a save replaces the
    ///   target and keeps the link.
    public init(path: String) {
        self.path = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    }

    /// Signs `message` with the key's next one-time key.
    /// - Returns: the signature and the key's state after it.
    /// - Throws: ``SoftwareKeyError``: the key is unchanged unless the signature was returned.
    public func sign(_ message: [UInt8]) throws(SoftwareKeyError) -> (signature: HSS.Signature, state: HSS.SigningState) {
        try withLock { () throws(SoftwareKeyError) in
            guard let encoded = try file({ () throws(DurableFileError) in try DurableFile.read(path, limit: Self.sizeLimit) }) else {
                throw .missing(path: path)
            }
            let key: HSS.PrivateKey
            do {
                key = try HSS.PrivateKey(serializedRepresentation: encoded)
            } catch {
                throw .malformed(path: path, reason: "\(error)")
            }
            let signature: HSS.Signature
            do {
                signature = try key.sign(message)
            } catch HashSigError.keyExhausted {
                throw .exhausted(path: path)
            } catch {
                throw .signingFailed(path: path, reason: "\(error)")
            }
            // The advanced state is on disk before the signature exists anywhere else.
            try save(key)
            return (signature, key.signingState)
        }
    }

    /// Writes a new key. Refuses to replace an existing file unless `replacing`; a replacement
    /// is made under the lock, so it never races a signer saving the old key.
    public func create(_ key: HSS.PrivateKey, replacing: Bool) throws(SoftwareKeyError) {
        if !replacing, FileManager.default.fileExists(atPath: path) { throw .exists(path: path) }
        try withLock { () throws(SoftwareKeyError) in
            if !replacing, FileManager.default.fileExists(atPath: path) { throw .exists(path: path) }
            try save(key)
        }
    }

    private func save(_ key: HSS.PrivateKey) throws(SoftwareKeyError) {
        try file { () throws(DurableFileError) in try DurableFile.replace(path, with: key.serializedRepresentation, mode: .ownerReadWrite) }
    }

    private func withLock<T>(_ body: () throws(SoftwareKeyError) -> T) throws(SoftwareKeyError) -> T {
        let lock = try file { () throws(DurableFileError) in try LockedFile(path: path + ".lock", wait: .upTo(Self.lockWait)) }
        defer { lock.release() }
        return try body()
    }

    private func file<T>(_ body: () throws(DurableFileError) -> T) throws(SoftwareKeyError) -> T {
        do {
            return try body()
        } catch {
            if case .busy = error.reason { throw .inUse(path: path, waited: Self.lockWait) }
            throw .file(error)
        }
    }
}

/// Why a software key file could not be used.
public enum SoftwareKeyError: Error, Hashable, Sendable, CustomStringConvertible {
    /// There is no key file at the path.
    case missing(path: String)
    /// The file is not a serialized HSS private key.
    case malformed(path: String, reason: String)
    /// The key has no one-time key left; the file is unchanged.
    case exhausted(path: String)
    /// Signing failed for another reason; the file is unchanged.
    case signingFailed(path: String, reason: String)
    /// `create` without `replacing` found a file there.
    case exists(path: String)
    /// Another process held the key's lock for all of `waited`.
    case inUse(path: String, waited: Duration)
    /// Reading, locking or saving the file failed; if a save failed, no signature was returned.
    case file(DurableFileError)

    /// One line naming the key file and what went wrong.
    public var description: String {
        switch self {
        case .missing(let path): "key file \(path) does not exist"
        case .malformed(let path, let reason): "key file \(path): \(reason)"
        case .exhausted(let path): "key \(path) is exhausted: no one-time keys left"
        case .signingFailed(let path, let reason): "signing with \(path) failed: \(reason)"
        case .exists(let path): "\(path) exists; a key file is never overwritten without --force"
        case .inUse(let path, let waited): "key file \(path) is in use by another process (its lock \(path).lock has been held for \(waited))"
        case .file(let error): error.description
        }
    }
}
