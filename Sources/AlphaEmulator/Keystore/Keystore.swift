#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import DurableFile
import HalRPC
import Logging
import Synchronization

/// The emulator's two keystores (docs/wire-protocol.md §4.3, §5.2): token keys persisted one file each
/// in the state directory, volatile keys in memory only.
///
/// Reads take a short lock and never wait for the disk. Every change to a token key is
/// written to its file (atomically, see ``DurableFile``) *before* it becomes visible in memory,
/// under one writer lock, so what the process answers never runs ahead of what a crash would
/// leave on disk.
final class Keystore: Sendable {
    /// The directory of token key files; `nil` keeps token keys in memory (in-process tests).
    let directory: String?
    private let logger: Logger
    private let state = Mutex<State>(State())
    /// Serialises token writes: read-modify-write-commit of one change at a time.
    private let writer = Mutex<Void>(())

    private struct State {
        var token: [KeyName: KeyRecord] = [:]
        var volatile: [KeyName: KeyRecord] = [:]
    }

    /// Loads the token keys found in `directory/keys`; corrupt files are reported and skipped.
    /// The largest key file read: a sealed RSA-4096 key or hashsig key record is kilobytes.
    static let fileLimit = 1 << 20

    /// - Throws: ``DurableFileError`` when the directory cannot be created or listed.
    init(directory: String?, logger: Logger) throws(DurableFileError) {
        self.directory = directory.map { $0 + "/keys" }
        self.logger = logger
        guard let keys = self.directory else { return }
        try DurableFile.makeDirectories(keys)
        var loaded: [KeyName: KeyRecord] = [:]
        for file in try DurableFile.list(keys) {
            let path = keys + "/" + file
            if DurableFile.isTemporary(file) {
                // An interrupted write: the rename never happened, the old file (if any) rules.
                // No other writer can be mid-write: the state directory's lock is ours.
                _ = try? DurableFile.remove(path)
                continue
            }
            guard file.hasSuffix(".key") else { continue }
            do {
                guard let bytes = try DurableFile.read(path, limit: Self.fileLimit) else { continue }
                let record = try KeyRecord(sealedFile: bytes)
                guard file == "\(record.name).key", record.isToken else {
                    throw StorageFormatError.malformed("file name or flags do not match its contents")
                }
                loaded[record.name] = record
            } catch {
                logger.error("corrupt key file skipped", metadata: ["emulator.file": "\(path)", "emulator.reason": "\(error)"])
            }
        }
        state.withLock { $0.token = loaded }
        logger.info("token keystore loaded", metadata: ["emulator.keys": "\(loaded.count)"])
    }

    // MARK: - Reading

    /// The key named `name`, token keystore first (docs/wire-protocol.md §4.3 PKEY_OPEN).
    func record(_ name: KeyName) -> KeyRecord? {
        state.withLock { $0.token[name] ?? $0.volatile[name] }
    }

    /// Every key of one keystore in ascending UUID order (the order PKEY_MATCH walks).
    func records(token: Bool) -> [KeyRecord] {
        let all = state.withLock { token ? Array($0.token.values) : Array($0.volatile.values) }
        return all.sorted { $0.name < $1.name }
    }

    /// Every hashsig private key (all live in the token keystore).
    var hashsigRecords: [KeyRecord] {
        state.withLock { Array($0.token.values) }.filter { $0.material.hashsig != nil }.sorted { $0.name < $1.name }
    }

    /// Whether a hashsig key with top-tree identifier `identifier` exists (docs/wire-protocol.md §8.7
    /// import step 2).
    func containsHashsigKey(identifier: [UInt8]) -> Bool {
        state.withLock { state in
            state.token.values.contains { $0.material.hashsig?.identifier == identifier }
        }
    }

    /// Token entries not in use (docs/wire-protocol.md §8.4).
    var freeTokenEntries: Int {
        state.withLock { state in
            KeystoreCapacity.tokenEntries - KeystoreCapacity.pinEntries - state.token.values.reduce(0) { $0 + $1.entries }
        }
    }

    /// Volatile entries not in use: volatile keys, and the lower hashsig levels every hashsig
    /// key keeps there, (L − 1)(2^h + 1) each (docs/wire-protocol.md §8.4).
    var freeVolatileEntries: Int {
        state.withLock { state in
            let lower = state.token.values.reduce(0) { sum, record in
                guard let hashsig = record.material.hashsig else { return sum }
                return sum + HashsigParameters.lowerLevelEntries(hashsig)
            }
            return KeystoreCapacity.volatileEntries - lower - state.volatile.values.reduce(0) { $0 + $1.entries }
        }
    }

    /// A fresh random (version 4) UUID not used by any key and not the reserved all-zero name.
    func freshName() -> KeyName {
        while true {
            let name = KeyName(UUID())
            if name != .zero, record(name) == nil { return name }
        }
    }

    // MARK: - Changing

    /// Stores a new key.
    /// - Throws: `HAL_ERROR_NO_KEY_INDEX_SLOTS` when its keystore is full,
    ///   `HAL_ERROR_KEYSTORE_ACCESS` when the file cannot be written (nothing changes then).
    func insert(_ record: KeyRecord) throws(HALError) {
        if record.isToken {
            try writer.withLock { (_: inout Void) throws(HALError) in
                guard freeTokenEntries >= record.entries else { throw .noKeyIndexSlots }
                try persist(record)
                state.withLock { $0.token[record.name] = record }
            }
        } else {
            try state.withLock { (state: inout State) throws(HALError) in
                let used = state.volatile.values.reduce(0) { $0 + $1.entries }
                guard used + record.entries <= KeystoreCapacity.volatileEntries else { throw .noKeyIndexSlots }
                state.volatile[record.name] = record
            }
        }
    }

    /// Changes a key: `body` edits a copy; a token key's file is rewritten before the change
    /// takes effect.
    /// - Throws: `HAL_ERROR_KEY_NOT_FOUND` if the key is gone, whatever `body` throws (nothing
    ///   changes then), `HAL_ERROR_KEYSTORE_ACCESS` when the file cannot be written.
    func update<R>(_ name: KeyName, _ body: (inout KeyRecord) throws(HALError) -> R) throws(HALError) -> R {
        try writer.withLock { (_: inout Void) throws(HALError) -> R in
            if var record = state.withLock({ $0.token[name] }) {
                let result = try body(&record)
                try persist(record)
                state.withLock { $0.token[name] = record }
                return result
            }
            return try state.withLock { (state: inout State) throws(HALError) -> R in
                guard var record = state.volatile[name] else { throw .keyNotFound }
                let result = try body(&record)
                state.volatile[name] = record
                return result
            }
        }
    }

    /// Deletes a key; returns it, or `nil` if it was already gone.
    /// - Throws: `HAL_ERROR_KEYSTORE_ACCESS` when a token file cannot be removed.
    @discardableResult
    func remove(_ name: KeyName) throws(HALError) -> KeyRecord? {
        try writer.withLock { (_: inout Void) throws(HALError) -> KeyRecord? in
            if let record = state.withLock({ $0.token[name] }) {
                if directory != nil {
                    do {
                        try DurableFile.remove(path(name))
                    } catch {
                        logger.error("cannot delete key file", metadata: ["emulator.reason": "\(error)"])
                        throw .keystoreAccess
                    }
                }
                state.withLock { _ = $0.token.removeValue(forKey: name) }
                return record
            }
            return state.withLock { $0.volatile.removeValue(forKey: name) }
        }
    }

    /// Deletes the volatile keys `client` created (LOGOUT cleanup, docs/wire-protocol.md §6).
    /// - Returns: their names.
    func removeVolatileKeys(ownedBy client: ClientHandle) -> [KeyName] {
        state.withLock { state in
            let names = state.volatile.values.filter { $0.owner == client }.map(\.name)
            for name in names { state.volatile[name] = nil }
            return names
        }
    }

    private func path(_ name: KeyName) -> String { (directory ?? "") + "/\(name).key" }

    private func persist(_ record: KeyRecord) throws(HALError) {
        guard directory != nil else { return }
        do {
            try DurableFile.replace(path(record.name), with: record.sealedFile)
        } catch {
            logger.error("cannot write key file", metadata: ["emulator.reason": "\(error)"])
            throw .keystoreAccess
        }
    }
}
