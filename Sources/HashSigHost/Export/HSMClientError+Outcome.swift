import HalRPC

extension Error {
    /// Whether a state-changing request (export, import, sign) may have been carried out even
    /// though no proper answer arrived: a timeout after the request went out, a lost link, a
    /// reply that could not be read. Such a request is never re-sent blindly.
    var mayHaveReachedBoard: Bool {
        switch self as? HSMClientError {
        case .timeout(_, _, let requestSent)?: requestSent
        case .transport?, .unexpectedReply?, .damagedReply?, .replyLost?: true
        case .device?, .requestTooLarge?, .invalidArgument?: false
        case nil: !(self is CancellationError)
        }
    }
}
