import COpenSSL

/// A libcrypto call that failed: the call's name and the first entry of OpenSSL's error queue.
///
/// Like swift-system's `Errno`, it names the C function so that a log line says exactly what
/// failed. It never carries key material: OpenSSL's error strings hold only library, reason and
/// source location.
public struct OpenSSLError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The libcrypto function that failed, e.g. `"EVP_PKEY_sign"`.
    public let function: String
    /// The packed error code from `ERR_get_error` (0 if the queue was empty).
    public let code: UInt
    /// OpenSSL's text for `code` (`ERR_error_string_n`), empty if the queue was empty.
    public let reason: String

    /// - Parameters:
    ///   - function: the libcrypto function that failed.
    ///   - code: the packed code from `ERR_get_error`, 0 for none.
    ///   - reason: OpenSSL's text for `code`, empty for none.
    public init(function: String, code: UInt, reason: String) {
        self.function = function
        self.code = code
        self.reason = reason
    }

    /// The error for `function`, taken from this thread's OpenSSL error queue, which is then
    /// cleared so that a later failure does not report this one's cause.
    ///
    /// Call it right after the failing call, before any `await`: the queue is per thread.
    static func capture(_ function: String) -> OpenSSLError {
        let code = ERR_get_error()
        var reason = ""
        if code != 0 {
            var text = [CChar](repeating: 0, count: 256)
            reason = text.withUnsafeMutableBufferPointer { buffer in
                ERR_error_string_n(code, buffer.baseAddress, buffer.count)
                return String(cString: buffer.baseAddress!)
            }
        }
        ERR_clear_error()
        return OpenSSLError(function: function, code: code, reason: reason)
    }

    /// `function failed`, followed by OpenSSL's reason when the queue held one.
    public var description: String {
        reason.isEmpty ? "\(function) failed" : "\(function) failed: \(reason)"
    }
}
