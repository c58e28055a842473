import DurableFile

/// Replaces `directory/state` and appends a line to `directory/journal`, each durable when its
/// call returns; answers the state as read back.
func recordState(_ state: [UInt8], journalLine: String, directory: String) throws(DurableFileError) -> [UInt8]? {
    try DurableFile.makeDirectories(directory)
    try DurableFile.replace(directory + "/state", with: state)  // the old file or the new, never a mix

    let journal = try LockedFile(path: directory + "/journal", wait: .upTo(.seconds(5)))
    defer { journal.release() }
    guard try journal.tail() == .clean else { return nil }  // a crash cut the last line short: repair first
    try journal.append(Array((journalLine + "\n").utf8))

    return try DurableFile.read(directory + "/state", limit: 1 << 20)  // a longer file is an error
}
