// swift-tools-version:6.0
import PackageDescription

/// libFuzzer targets for bulletin's readers (`make fuzz`): built apart from the product, with
/// `-sanitize=fuzzer,address`, so an ordinary `swift build` never builds them.
let package = Package(
    name: "bulletin-fuzz",
    dependencies: [.package(name: "bulletin", path: "..")],
    targets: [
        .executableTarget(name: "bulletin-fuzz", dependencies: [.product(name: "BulletinReaders", package: "bulletin")]),
    ]
)
