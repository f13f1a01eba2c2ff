// swift-tools-version:6.0
import PackageDescription

/// libFuzzer targets for bulletin's readers (`make fuzz`): built apart from the product, with
/// `-sanitize=fuzzer,address`, so an ordinary `swift build` never builds them.
let package = Package(
    name: "bulletin-fuzz",
    dependencies: [
        .package(name: "bulletin", path: ".."),
        // Wraps the `xlsxdiff` target's inputs in workbooks.
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
    ],
    targets: [
        .executableTarget(name: "bulletin-fuzz", dependencies: [
            .product(name: "BulletinReaders", package: "bulletin"), .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
    ]
)
