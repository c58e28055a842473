// swift-tools-version:6.1
import PackageDescription

// Module map: see ../shared/design.md ("Modules"). One module per concern;
// executables are thin mains over their libraries.
let package = Package(
    name: "swift-cryptech",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "DurableFile", targets: ["DurableFile"]),
        .library(name: "CryptechTransport", targets: ["CryptechTransport"]),
        .library(name: "HalRPC", targets: ["HalRPC"]),
        .library(name: "HashSig", targets: ["HashSig"]),
        .library(name: "HashSigHost", targets: ["HashSigHost"]),
        .library(name: "AlphaEmulator", targets: ["AlphaEmulator"]),
        .library(name: "CryptechMuxd", targets: ["CryptechMuxd"]),
        .library(name: "EtcdClient", targets: ["EtcdClient"]),
        .library(name: "EtcdLedger", targets: ["EtcdLedger"]),
        .library(name: "CryptechMetrics", targets: ["CryptechMetrics"]),
        .executable(name: "cryptech", targets: ["cryptech"]),
        .executable(name: "cryptech-muxd", targets: ["cryptech-muxd"]),
        .executable(name: "cryptech-emulator", targets: ["cryptech-emulator"]),
        .executable(name: "cryptech-bench", targets: ["cryptech-bench"]),
        .executable(name: "cryptech-demo", targets: ["cryptech-demo"]),
        .executable(name: "cryptech-hil", targets: ["cryptech-hil"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.29.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // Only a command plugin (`swift package generate-documentation`, run by tools/docs):
        // no target depends on it, so it adds nothing to `swift build`.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "CLibUSB",
            pkgConfig: "libusb-1.0",
            providers: [.apt(["libusb-1.0-0-dev"])]
        ),
        // Crash-safe state files: atomic replace, locked appends with torn-tail detection,
        // directory fsync, bounded reads. Everything that writes state goes through it.
        .target(name: "DurableFile", dependencies: [.product(name: "SystemPackage", package: "swift-system")]),
        // termios2 (arbitrary baud rates) and TIOCSSERIAL: kernel structs Glibc does not expose.
        .target(name: "CSerialSupport"),
        // Hex text, below every module that writes it (HashSig and the transport share nothing else).
        .target(name: "CryptechHex"),
        .target(
            name: "CryptechTransport",
            dependencies: [
                "CLibUSB",
                "CSerialSupport",
                "CryptechHex",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        .target(
            name: "HalRPC",
            dependencies: ["CryptechHex", "CryptechTransport", .product(name: "Logging", package: "swift-log")]
        ),
        .target(name: "HashSig", dependencies: ["COpenSSL", "CryptechHex"]),
        // Verifies a board's ECDSA signature (r ‖ s): the emulator's PKEY_VERIFY and the host's
        // ledger checkpoints share it.
        .target(name: "CryptechECDSA", dependencies: ["COpenSSL"]),
        // The exit-status table of every executable: its own small target, so that each
        // executable (and the tests that run them) shares it without linking the stack.
        .target(
            name: "CryptechExitStatus",
            dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // An etcd v3 client over etcd's HTTP/JSON gateway (why not gRPC: Sources/EtcdClient/README.md):
        // the store the share ledger can live in across hosts and sites.
        .target(
            name: "EtcdClient",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["README.md"]
        ),
        .target(
            name: "HashSigHost",
            dependencies: [
                "CryptechHex", "CryptechTransport", "DurableFile", "HalRPC", "HashSig", "CryptechECDSA", "COpenSSL",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        // The share ledger kept in etcd (HashSigHost's LedgerStore over EtcdClient), for boards
        // at several hosts or sites.
        .target(name: "EtcdLedger", dependencies: ["EtcdClient", "HashSigHost", .product(name: "Logging", package: "swift-log")]),
        .target(
            name: "AlphaEmulator",
            dependencies: [
                "DurableFile", "HalRPC", "HashSig", "CryptechECDSA", "COpenSSL", "CryptechTransport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "CryptechMuxd",
            dependencies: [
                "HalRPC", "CryptechTransport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Metrics exposition for an HSM host: a Prometheus text file replaced atomically at an
        // interval (node_exporter's textfile collector), and an opt-in HTTP endpoint on loopback.
        .target(
            name: "CryptechMetrics",
            dependencies: [
                "DurableFile",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "cryptech",
            dependencies: [
                "CryptechExitStatus", "CryptechHex", "CryptechMetrics", "CryptechTransport", "DurableFile", "EtcdClient", "EtcdLedger", "HalRPC", "HashSig",
                "HashSigHost",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        .executableTarget(
            name: "cryptech-muxd",
            dependencies: [
                "CryptechExitStatus", "CryptechMetrics", "CryptechMuxd", "CryptechTransport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "cryptech-emulator",
            dependencies: [
                "AlphaEmulator", "CryptechExitStatus", "HalRPC",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "cryptech-bench",
            dependencies: [
                "CryptechExitStatus", "CryptechTransport", "EtcdClient", "EtcdLedger", "EtcdTestSupport", "HalRPC", "HashSig", "HashSigHost",
                "AlphaEmulator", "CryptechMuxd", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The whole story on boards or software Alphas; tools/demo starts the processes.
        .executableTarget(
            name: "cryptech-demo",
            dependencies: [
                "CryptechExitStatus", "CryptechHex", "EtcdClient", "EtcdLedger", "HalRPC", "HashSig", "HashSigHost",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The hardware-in-the-loop suite: one suite, run against real boards or software Alphas.
        .executableTarget(
            name: "cryptech-hil",
            dependencies: [
                "AlphaEmulator", "CryptechExitStatus", "CryptechHex", "CryptechMuxd", "CryptechTransport", "HalRPC", "HashSig", "HashSigHost",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "CryptechTransportTests",
            dependencies: [
                "BlockingWork", "CryptechTransport", "RandomInputs", "TestProcesses",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "DurableFileTests",
            dependencies: ["BlockingWork", "DurableFile", .product(name: "SystemPackage", package: "swift-system")]
        ),
        .testTarget(
            name: "HalRPCTests",
            dependencies: ["CryptechHex", "HalRPC", "CryptechTransport", "RandomInputs", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "CryptechMuxdTests",
            dependencies: [
                "BlockingWork", "CryptechMuxd", "CryptechTransport", "HalRPC", "HashSig", "AlphaEmulator",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "AlphaEmulatorTests",
            dependencies: [
                "AlphaEmulator", "CryptechHex", "DurableFile", "HalRPC", "HashSig", "CryptechTransport", "RFC8554Vectors", "RandomInputs",
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Crypto/make_fixtures.py"]
        ),
        .testTarget(
            name: "HashSigHostTests",
            dependencies: [
                "AlphaEmulator", "BlockingWork", "CryptechExitStatus", "CryptechHex", "DurableFile", "HashSigHost", "HashSig", "HalRPC", "CryptechTransport",
                "RFC8554Vectors", "RandomInputs", "EtcdClient", "EtcdLedger", "EtcdTestSupport", "TestProcesses",
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ]
        ),
        // Runs the built executables; depends on nothing of the stack so it links fast.
        .testTarget(name: "CryptechCLITests", dependencies: ["CryptechExitStatus", "RFC8554Vectors", "TestProcesses"]),
        .testTarget(
            name: "CryptechMetricsTests",
            dependencies: ["CryptechMetrics", .product(name: "CoreMetrics", package: "swift-metrics")]
        ),
        .testTarget(name: "HashSigTests", dependencies: ["CryptechHex", "HashSig", "RFC8554Vectors", "RandomInputs"]),
        // Test support, not a product: the RFC 8554 vectors and their one reader.
        .target(name: "RFC8554Vectors", dependencies: ["CryptechHex"], path: "Tests/Support/RFC8554Vectors", exclude: ["rfc8554"]),
        // Test support, not a product: blocking waits kept off the cooperative pool.
        .target(
            name: "BlockingWork",
            dependencies: [.product(name: "SystemPackage", package: "swift-system")],
            path: "Tests/Support/BlockingWork"
        ),
        // Test support: running a program to its end, both output streams read at once.
        .target(name: "TestProcesses", path: "Tests/Support/TestProcesses"),
        // Test support: the seeded random inputs of every random-input (fuzz) suite.
        .target(name: "RandomInputs", path: "Tests/Support/RandomInputs"),
        // Test and benchmark support, not a product: real three-member etcd clusters on loopback.
        .target(
            name: "EtcdTestSupport",
            dependencies: ["EtcdClient", "TestProcesses", .product(name: "AsyncHTTPClient", package: "async-http-client")],
            path: "Tests/Support/EtcdTestSupport"
        ),
        .testTarget(name: "EtcdClientTests", dependencies: ["EtcdClient", "EtcdTestSupport"]),
        // The README's code blocks (each file under Examples/ is one block) and the DocC
        // catalogues' examples (those, and CatalogueExamples/), compiled and run.
        .testTarget(
            name: "ReadmeExamplesTests",
            dependencies: [
                "AlphaEmulator", "CryptechECDSA", "CryptechExitStatus", "CryptechMetrics", "CryptechMuxd",
                "CryptechTransport", "DurableFile", "EtcdClient", "EtcdLedger", "EtcdTestSupport", "HalRPC",
                "HashSig", "HashSigHost",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)
