#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOPosix

/// A close-on-exec duplicate of `descriptor`, or -1 with `errno` set.
///
/// Every descriptor of a tty must be close-on-exec: a child process that inherits one keeps
/// the device (and its `flock`) open after this process closed it, so the next open of the
/// port fails as busy for as long as the child lives.
func duplicateCloseOnExec(_ descriptor: CInt) -> CInt {
    fcntl(descriptor, F_DUPFD_CLOEXEC, 0)
}

extension NIOPipeBootstrap {
    /// Hands a tty or pty descriptor to the event loop for both directions.
    ///
    /// NIO's `takingOwnershipOfDescriptor(inputOutput:)` makes its output descriptor with a
    /// plain `dup`, which is not close-on-exec (see `duplicateCloseOnExec(_:)`); this makes
    /// it close-on-exec. Ownership: the channel owns `descriptor` from this call on, on success
    /// and on failure alike.
    public func takingOwnershipOfTerminal(_ descriptor: CInt) -> EventLoopFuture<any Channel> {
        let output = duplicateCloseOnExec(descriptor)
        guard output >= 0 else {
            let error = IOError(errnoCode: errno, reason: "fcntl(F_DUPFD_CLOEXEC)")
            close(descriptor)
            return MultiThreadedEventLoopGroup.singleton.next().makeFailedFuture(error)
        }
        return takingOwnershipOfDescriptors(input: descriptor, output: output)
    }
}

extension SerialPort {
    /// A close-on-exec duplicate of the port's descriptor for an event loop to own; the port
    /// keeps its own (for the lock and for restoring settings on close).
    /// - Throws: ``TransportError`` naming the device.
    public func duplicateDescriptor() throws(TransportError) -> CInt {
        let copy = duplicateCloseOnExec(descriptor)
        guard copy >= 0 else { throw .system("fcntl(F_DUPFD_CLOEXEC)", errno: errno, endpoint: path) }
        return copy
    }
}
