// swift-tools-version:6.0
import PackageDescription

/// The benchmark (`make bench`): built apart from the product, so building or testing bulletin
/// never builds it.
let package = Package(
    name: "bulletin-bench",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "bulletin", path: ".."),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .executableTarget(name: "bulletin-bench", dependencies: [
            .product(name: "BulletinStages", package: "bulletin"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
    ]
)
