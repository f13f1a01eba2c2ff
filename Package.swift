// swift-tools-version:6.0
import PackageDescription

/// bulletin: the district education bureau's nightly epidemic-reporting pipeline.
///
/// Stages flow one way: ingest → validate → aggregate → report, orchestrated
/// by BulletinPipeline and driven by the thin `bulletin` command.
/// bulletin's modules instantiate the generic types they name through their metadata accessors, not
/// from mangled names: a mangled name is resolved at run time, and each first resolution checks the
/// type's conformances by scanning every conformance record of the binary (~75k instructions each;
/// those of these modules were 1.7 % of a warm night's instructions, and are paid again by every parse
/// worker). Release builds only.
let direct: [SwiftSetting] = [.unsafeFlags(["-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors"],
                                           .when(configuration: .release))]
/// The hot modules also skip Swift's dynamic exclusivity checks in release builds (about 6 % of a cold
/// day's CPU); debug builds and the tests keep them.
let unchecked: [SwiftSetting] = direct + [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "bulletin",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "bulletin", targets: ["bulletin"]),
        .executable(name: "bulletin-sample", targets: ["bulletin-sample"]),
        // The readers and validation alone, for the fuzzing package under Fuzz/.
        .library(name: "BulletinReaders", targets: ["BulletinIngest", "BulletinValidate"]),
        // Every stage and the generator, for the benchmark package under Benchmarks/.
        .library(name: "BulletinStages", targets: [
            "BulletinCore", "BulletinIngest", "BulletinValidate", "BulletinAggregate", "BulletinReport", "BulletinPipeline",
            "BulletinSample",
        ]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    ],
    targets: [
        // OpenSSL's libcrypto, fenced: only BulletinCore's LibCrypto.swift imports it (file digests, pseudonyms).
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),
        // Shared vocabulary: dates, positions, the forms of forms.md, the rule catalog, pipeline parameters.
        .target(name: "BulletinCore", dependencies: ["COpenSSL"], swiftSettings: unchecked),
        // libxml2, fenced: only the XML readers of BulletinIngest import it, privately.
        .systemLibrary(name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0",
                       providers: [.apt(["libxml2-dev"])]),
        // FreeXL, fenced: only the .xls reader of BulletinIngest imports it, privately.
        .systemLibrary(name: "CFreeXL", path: "Sources/CFreeXL", pkgConfig: "freexl",
                       providers: [.apt(["libfreexl-dev"])]),
        // libdeflate, fenced: only BulletinIngest's WholeInflater.swift imports it, privately (.xlsx members).
        .systemLibrary(name: "CLibDeflate", path: "Sources/CLibDeflate", pkgConfig: "libdeflate",
                       providers: [.apt(["libdeflate-dev"])]),
        // Bytes → sheets of text cells with positions: CSV, XML Spreadsheet 2003, .xlsx and .xls.
        .target(name: "BulletinIngest", dependencies: [
            "BulletinCore", "CLibXML2", "CFreeXL", "CLibDeflate", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ], swiftSettings: unchecked),
        // Sheets → typed records of each form, or rejects with reasons.
        .target(name: "BulletinValidate", dependencies: [
            "BulletinCore", "BulletinIngest",
        ], swiftSettings: unchecked),
        // Typed records of one date → figures and anomalies.
        .target(name: "BulletinAggregate", dependencies: ["BulletinCore", "BulletinValidate"], swiftSettings: unchecked),
        // cairo and pango, fenced: only the PDF renderer imports them, privately. Opened with dlopen when a
        // PDF is first asked for (a process that draws none never maps them), so nothing links them. The
        // target also defines zlib's deflateInit_ (cairo's PDF streams at level 1: cairo has no setting),
        // which the executable exports so that cairo, opened later, finds it before zlib's.
        .target(name: "CPangoCairo", path: "Sources/CPangoCairo",
                linkerSettings: [.unsafeFlags(["-Xlinker", "--export-dynamic-symbol=deflateInit_"])]),
        // Figures and anomalies → summary.json, anomalies.csv, rejects.csv, manifest.json, bulletin.html/.pdf;
        // and the blank form templates (.xlsx through ZIPFoundation) and the forms' Table Schemas.
        .target(name: "BulletinReport", dependencies: [
            "BulletinCore", "BulletinValidate", "BulletinAggregate", "CPangoCairo",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ], swiftSettings: direct),
        // Landing folder, pipeline definition, a run for one date, atomic output.
        .target(name: "BulletinPipeline", dependencies: [
            "BulletinCore", "BulletinIngest", "BulletinValidate", "BulletinAggregate", "BulletinReport",
            .product(name: "Yams", package: "Yams"),
            .product(name: "GRDB", package: "GRDB.swift"),
        ], swiftSettings: direct),
        .executableTarget(name: "bulletin", dependencies: [
            "BulletinCore", "BulletinPipeline", "BulletinValidate", "BulletinIngest", "BulletinReport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: direct),
        // The realistic sample district with planted problems and its truth.
        .target(name: "BulletinSample", dependencies: [
            "BulletinCore", "BulletinIngest", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        .executableTarget(name: "bulletin-sample", dependencies: [
            "BulletinSample",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Shared by the test targets: records, form rows by column, generated districts, output readers,
        // the built binary. A plain target under Tests/ that no product exports.
        .target(name: "BulletinTestSupport", dependencies: [
            "BulletinCore", "BulletinIngest", "BulletinValidate", "BulletinAggregate", "BulletinSample",
        ], path: "Tests/BulletinTestSupport"),
        .testTarget(name: "BulletinIngestTests", dependencies: [
            "BulletinIngest", "BulletinCore", "BulletinTestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        .testTarget(name: "BulletinValidateTests", dependencies: ["BulletinValidate", "BulletinIngest", "BulletinCore", "BulletinTestSupport"],
                    exclude: ["Regressions"]),
        .testTarget(name: "BulletinAggregateTests", dependencies: [
            "BulletinAggregate", "BulletinValidate", "BulletinIngest", "BulletinCore", "BulletinTestSupport",
        ]),
        .testTarget(name: "EndToEndTests", dependencies: [
            "BulletinSample", "BulletinCore", "BulletinPipeline", "bulletin", "BulletinTestSupport",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"), .product(name: "GRDB", package: "GRDB.swift"),
        ],
                    exclude: ["Snapshots"]),
    ]
)
