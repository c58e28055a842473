import AlphaEmulator
import HalRPC
import Logging

/// A software Alpha in this process: a pseudo-terminal that clients open like a board's
/// USB serial port (`alpha.rpcPath`), the board's RPC server behind it.
func startSoftwareAlpha(stateDirectory: String, userPIN: PIN, logger: Logger) throws -> SoftwareAlpha {
    let alpha = try SoftwareAlpha(
        configuration: EmulatorConfiguration(stateDirectory: stateDirectory, initialPINs: [(.normal, userPIN)]),
        logger: logger)
    alpha.start()  // alpha.stop() ends it; token keys and PINs stay in stateDirectory
    return alpha
}
