/// The cluster could not be started or driven; the message says why, with the member's log.
public struct EtcdTestClusterError: Error, CustomStringConvertible {
    public let message: String
    /// A member could not bind its port (another process took it after it was drawn).
    let isPortTaken: Bool

    public init(message: String) {
        self.init(message: message, isPortTaken: false)
    }

    init(message: String, isPortTaken: Bool) {
        self.message = message
        self.isPortTaken = isPortTaken
    }

    public var description: String { message }
}
