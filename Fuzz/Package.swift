// swift-tools-version:6.1
import PackageDescription

// libFuzzer targets, one per decoder of untrusted bytes. A package of its own because they are
// built with -sanitize=fuzzer, which must not touch the main package's executables, and with
// -enable-testing, for the decoders that are internal. tools/fuzz builds and runs them.
let package = Package(
    name: "swift-cryptech-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "swift-cryptech", path: "..")],
    targets: [
        // libFuzzer's entry point, for mains that must do their own setup first.
        .target(name: "CFuzzDriver"),
        .target(name: "FuzzDriver", dependencies: ["CFuzzDriver"]),
        .executableTarget(name: "alpha-request", dependencies: ["FuzzDriver", cryptech("AlphaEmulator"), cryptech("HalRPC")]),
        .executableTarget(name: "der", dependencies: ["FuzzDriver", cryptech("HalRPC")]),
        .executableTarget(name: "hss-public-key", dependencies: ["FuzzDriver", cryptech("HashSig")]),
        .executableTarget(name: "hss-signature", dependencies: ["FuzzDriver", cryptech("HashSig")]),
        .executableTarget(name: "ledger", dependencies: ["FuzzDriver", cryptech("HalRPC"), cryptech("HashSig"), cryptech("HashSigHost")]),
        .executableTarget(name: "journal", dependencies: ["FuzzDriver", cryptech("HashSigHost")]),
        .executableTarget(name: "slip", dependencies: ["FuzzDriver", cryptech("CryptechTransport")]),
    ]
)

func cryptech(_ product: String) -> Target.Dependency {
    .product(name: product, package: "swift-cryptech")
}
