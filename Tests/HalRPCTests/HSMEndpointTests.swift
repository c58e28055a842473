import HalRPC
import Testing

/// libhal-compatible configuration from options and the environment.
@Suite struct HSMEndpointTests {
    @Test func defaultsToTheMuxdSocket() throws {
        #expect(try HSMEndpoint.resolve(environment: [:]) == .muxd(socketPath: "/tmp/.cryptech_muxd.rpc"))
        #expect(try HSMEndpoint.resolve(environment: ["CRYPTECH_RPC_CLIENT_SOCKET_NAME": "/run/m.sock"]) == .muxd(socketPath: "/run/m.sock"))
        #expect(try HSMEndpoint.resolve(environment: ["CRYPTECH_RPC_CLIENT_SOCKET_NAME": ""]) == .muxd(socketPath: "/tmp/.cryptech_muxd.rpc"))
        #expect(try HSMEndpoint.resolve(socket: "/x", environment: ["CRYPTECH_RPC_CLIENT_SOCKET_NAME": "/y"]) == .muxd(socketPath: "/x"))
    }

    @Test func deviceVariableAloneDoesNotChooseSerial() throws {
        // The muxd reads the same variable; a client must not grab its port.
        let environment = ["CRYPTECH_RPC_CLIENT_SERIAL_DEVICE": "/dev/ttyUSB3"]
        #expect(try HSMEndpoint.resolve(environment: environment) == .muxd(socketPath: "/tmp/.cryptech_muxd.rpc"))
    }

    @Test func serialFromOptionsAndEnvironment() throws {
        #expect(try HSMEndpoint.resolve(device: "/dev/ttyUSB1", environment: [:]) == .serial(devicePath: "/dev/ttyUSB1", speed: 921_600))
        let environment = ["CRYPTECH_RPC_CLIENT_SERIAL_DEVICE": "/dev/ttyUSB3", "CRYPTECH_RPC_CLIENT_SERIAL_SPEED": "115200"]
        #expect(try HSMEndpoint.resolve(speed: 921_600, environment: environment) == .serial(devicePath: "/dev/ttyUSB3", speed: 921_600))
        #expect(try HSMEndpoint.resolve(device: "/dev/ttyACM0", environment: environment) == .serial(devicePath: "/dev/ttyACM0", speed: 115_200))
        #expect(try HSMEndpoint.resolve(speed: 115_200, environment: [:]) == .serial(devicePath: "/dev/ttyUSB0", speed: 115_200))
    }

    @Test func badConfigurationsAreRefused() {
        #expect(throws: HSMEndpointError.conflictingOptions) { try HSMEndpoint.resolve(socket: "/s", device: "/d", environment: [:]) }
        #expect(throws: HSMEndpointError.badSpeed("fast")) {
            try HSMEndpoint.resolve(device: "/d", environment: ["CRYPTECH_RPC_CLIENT_SERIAL_SPEED": "fast"])
        }
        #expect(throws: HSMEndpointError.badSpeed("0")) { try HSMEndpoint.resolve(speed: 0, environment: [:]) }
    }

    @Test func connectorsAndClientWordChecks() {
        let muxd = HSMEndpoint.muxd(socketPath: "/tmp/m")
        let serial = HSMEndpoint.serial(devicePath: "/dev/ttyUSB0", speed: 921_600)
        #expect(muxd.connector().endpoint == "/tmp/m" && serial.connector().endpoint == "/dev/ttyUSB0")
        #expect(!muxd.echoesClientWord && serial.echoesClientWord)
        #expect(serial.description == "/dev/ttyUSB0 at 921600 baud")
    }
}
