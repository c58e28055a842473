import COpenSSL

extension Array where Element == UInt8 {
    /// Overwrites the bytes with zeros through `OPENSSL_cleanse`, which the compiler may not
    /// drop, then empties the array.
    ///
    /// Best effort: copies Swift made earlier (copy-on-write, resizing) are out of reach, so
    /// secret bytes are kept in few, short-lived arrays and wiped when done.
    public mutating func zeroise() {
        withUnsafeMutableBytes { buffer in
            if let base = buffer.baseAddress, buffer.count > 0 { OPENSSL_cleanse(base, buffer.count) }
        }
        removeAll()
    }
}
