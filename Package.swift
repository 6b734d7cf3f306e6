// swift-tools-version:6.2
import PackageDescription

// One target per concern; imports point down this list (see docs/design.md).
let package = Package(
    name: "winnow",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "winnow", targets: ["winnow"]),
        // libFuzzer targets: `make fuzz` (docs/design.md §Fuzzing); a replay tool in an ordinary build.
        .executable(name: "winnow-fuzz", targets: ["winnow-fuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CPCRE2", pkgConfig: "libpcre2-8", providers: [.apt(["libpcre2-dev"])]),
        .systemLibrary(name: "CUchardet", pkgConfig: "uchardet", providers: [.apt(["libuchardet-dev"])]),
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CXXHash", pkgConfig: "libxxhash", providers: [.apt(["libxxhash-dev"])]),
        .target(name: "CSpawn"),
        .systemLibrary(name: "CLibFuzzer"),

        .target(name: "WinnowJSON"),
        .target(name: "WinnowCache", dependencies: ["CXXHash"]),
        .target(name: "WinnowDiagnostics", dependencies: ["WinnowJSON"]),
        .target(name: "WinnowYAML", dependencies: ["CYAML", "WinnowDiagnostics"]),
        .target(name: "WinnowText", dependencies: ["WinnowCache"]),
        .target(name: "WinnowCharset", dependencies: ["CUchardet", "WinnowText"]),
        .target(name: "WinnowFormats", dependencies: ["WinnowCharset", "WinnowText", "CSpawn", "CArchive", "CLibXML2"]),
        .target(name: "WinnowMatching", dependencies: ["CPCRE2", "WinnowCache", "WinnowText"]),
        .target(name: "WinnowCondition", dependencies: ["WinnowDiagnostics"]),
        .target(name: "WinnowGazetteer", dependencies: ["WinnowCache", "WinnowDiagnostics", "WinnowFiles", "WinnowMatching", "WinnowText"]),
        .target(name: "WinnowRules", dependencies: [
            "WinnowDiagnostics", "WinnowFiles", "WinnowYAML", "WinnowText", "WinnowCharset", "WinnowFormats", "WinnowMatching", "WinnowCondition", "WinnowGazetteer",
            "WinnowCache",
        ]),
        .target(name: "WinnowEngine", dependencies: [
            "WinnowRules", "WinnowText", "WinnowFormats", "WinnowMatching", "WinnowGazetteer",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "WinnowEvaluation", dependencies: ["WinnowJSON"]),
        .target(name: "WinnowFiles"),
        .target(name: "WinnowInbox", dependencies: ["WinnowFiles", "WinnowJSON"]),
        .target(name: "WinnowOutput", dependencies: [
            "WinnowDiagnostics", "WinnowEngine", "WinnowFiles", "WinnowFormats", "WinnowJSON",
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
        .target(name: "WinnowService", dependencies: [
            "WinnowDiagnostics", "WinnowFiles", "WinnowYAML", "WinnowText", "WinnowCharset", "WinnowFormats", "WinnowRules", "WinnowEngine",
            "WinnowInbox", "WinnowOutput", "WinnowEvaluation",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        ]),
        .executableTarget(name: "winnow", dependencies: [
            "WinnowService",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .target(name: "WinnowFuzzing", dependencies: [
            "WinnowDiagnostics", "WinnowYAML", "WinnowText", "WinnowCharset", "WinnowFormats", "WinnowCondition", "WinnowGazetteer", "WinnowEngine",
        ]),
        .executableTarget(name: "winnow-fuzz", dependencies: ["CLibFuzzer", "WinnowFuzzing"]),

        .target(name: "WinnowTestSupport", path: "Tests/WinnowTestSupport"),
        .testTarget(name: "WinnowJSONTests", dependencies: ["WinnowJSON"]),
        .testTarget(name: "WinnowYAMLTests", dependencies: ["WinnowYAML", "WinnowTestSupport"]),
        .testTarget(name: "WinnowTextTests", dependencies: ["WinnowText"]),
        .testTarget(name: "WinnowCharsetTests", dependencies: ["WinnowCharset", "WinnowText", "WinnowTestSupport"]),
        .testTarget(name: "WinnowFormatsTests", dependencies: ["WinnowFormats", "WinnowCharset", "WinnowText", "WinnowTestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "WinnowMatchingTests", dependencies: ["WinnowCache", "WinnowMatching"]),
        .testTarget(name: "WinnowConditionTests", dependencies: ["WinnowCondition"]),
        .testTarget(name: "WinnowGazetteerTests", dependencies: ["WinnowCache", "WinnowDiagnostics", "WinnowGazetteer", "WinnowMatching", "WinnowText", "WinnowTestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "WinnowRulesTests", dependencies: ["WinnowRules", "WinnowEngine", "WinnowFormats", "WinnowMatching", "WinnowTestSupport"],
                    exclude: ["Diagnostics"]),
        .testTarget(name: "WinnowEvaluationTests", dependencies: ["WinnowEvaluation"]),
        .testTarget(name: "WinnowInboxTests", dependencies: ["WinnowInbox", "WinnowFiles", "WinnowTestSupport"]),
        .testTarget(name: "WinnowOutputTests", dependencies: ["WinnowOutput", "WinnowTestSupport"]),
        .testTarget(name: "WinnowServiceTests", dependencies: ["WinnowService", "WinnowRules", "WinnowDiagnostics", "WinnowFormats", "WinnowTestSupport"]),
        .testTarget(name: "WinnowFuzzingTests", dependencies: ["WinnowFormats", "WinnowFuzzing", "WinnowTestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: [
            "winnow", "WinnowTestSupport", .product(name: "Crypto", package: "swift-crypto"),
        ], exclude: ["Fixtures"]),
    ]
)
