// swift-tools-version:6.2
import PackageDescription

// libFuzzer targets for the service's parsers (see README.md here and scripts/fuzz).
//
// A package of its own, so the main build never pays for it: it compiles only
// the pure layers it fuzzes (StrandedCore, WardListImport and its CSHA256,
// through symlinks to the main package's sources) and no third-party package,
// so it needs no dependency resolution. Build it with `-sanitize=fuzzer,address`:
//
//     swift build --package-path Fuzz --scratch-path .build-fuzz -c release \
//         -Xswiftc -sanitize=fuzzer,address -Xswiftc -g
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// One executable per fuzz target: `fuzz-<name>` from Targets/<name>.
func fuzzTarget(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(name: "fuzz-\(name)", dependencies: ["FuzzSupport"] + dependencies, path: "Targets/\(name)", swiftSettings: swiftSettings)
}

let package = Package(
    name: "stranded-fuzz",
    platforms: [.macOS(.v15)],
    targets: [
        .target(name: "StrandedCore", swiftSettings: swiftSettings),
        .target(name: "CSHA256"),
        .target(name: "WardListImport", dependencies: ["StrandedCore", "CSHA256"], swiftSettings: swiftSettings),
        .target(name: "FuzzSupport", path: "Support", swiftSettings: swiftSettings),
        fuzzTarget("ward-list", ["WardListImport", "StrandedCore"]),
        fuzzTarget("nhs-number", ["StrandedCore"]),
        fuzzTarget("date", ["StrandedCore"]),
        fuzzTarget("cycle-configuration", ["StrandedCore"]),
        fuzzTarget("level1-json", ["StrandedCore"]),
        fuzzTarget("level1-form", ["StrandedCore"]),
        fuzzTarget("red-day-file", ["WardListImport", "StrandedCore"]),
        fuzzTarget("stay-file", ["WardListImport", "StrandedCore"]),
    ]
)
