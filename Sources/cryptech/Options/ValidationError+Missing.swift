import ArgumentParser

extension ValidationError {
    /// The usage error for an option required in some modes only (a key file unless a board is
    /// given), in the words ArgumentParser uses for a missing required option, so that both
    /// read and end alike.
    static func missing(_ synopsis: String, unless alternative: String) -> ValidationError {
        ValidationError("Missing expected argument '\(synopsis)' (or give \(alternative))")
    }
}
