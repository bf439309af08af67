// swift-tools-version:6.2
import PackageDescription

// The layers of DESIGN.md §2. Each target may import only the ones listed in
// its dependencies; keep it that way so the architecture stays visible.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "stranded",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "stranded", targets: ["stranded"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.1.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
        // Latency percentiles in the benchmark programs.
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
    ],
    targets: [
        // libpq, as the system provides it (Debian: libpq-dev).
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"]), .brew(["libpq"])]
        ),
        // The only code that talks to libpq.
        .target(
            name: "Postgres",
            dependencies: [
                "CLibPQ",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The domain: pure, synchronous, Foundation only.
        .target(name: "StrandedCore", swiftSettings: swiftSettings),
        // SHA-256 blocks on the processor's SHA instructions, where it has them.
        .target(name: "CSHA256"),
        .target(name: "WardListImport", dependencies: ["StrandedCore", "CSHA256"], swiftSettings: swiftSettings),
        .target(
            name: "Store",
            dependencies: ["Postgres", "StrandedCore"],
            resources: [.copy("Migrations")],
            swiftSettings: swiftSettings
        ),
        .target(name: "Reports", dependencies: ["StrandedCore"], swiftSettings: swiftSettings),
        .target(
            name: "Workflow",
            dependencies: [
                "Store", "Reports", "WardListImport", "StrandedCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Web",
            dependencies: [
                "Workflow", "Store", "Reports", "StrandedCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                // The HL7 v2 listener (MLLP over TCP) runs on NIO directly.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Resources/templates"), .copy("Resources/static"), .copy("Resources/formats")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "stranded",
            dependencies: [
                "Web", "Workflow", "Store", "Postgres", "Reports", "WardListImport", "StrandedCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        // Benchmarks: real programs that print figures (release builds).
        .executableTarget(
            name: "stranded-bench",
            dependencies: [
                "BenchmarkSupport", "Workflow", "Store", "Postgres", "WardListImport", "StrandedCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/ImportBenchmark",
            swiftSettings: swiftSettings
        ),

        .executableTarget(
            name: "stranded-review-bench",
            dependencies: [
                "BenchmarkSupport", "Workflow", "Store", "Postgres", "WardListImport", "StrandedCore", "Web",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "Benchmarks/ReviewBenchmark",
            swiftSettings: swiftSettings
        ),

        // What the benchmark programs share: a keep-alive HTTP client, a load generator, latency histograms.
        .target(
            name: "BenchmarkSupport",
            dependencies: [
                "Postgres", "Store", "WardListImport", "Web", "Workflow",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "Benchmarks/Support",
            swiftSettings: swiftSettings
        ),

        .executableTarget(
            name: "stranded-meeting-bench",
            dependencies: [
                "BenchmarkSupport", "Workflow", "Store", "Postgres", "StrandedCore", "Web",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/MeetingBenchmark",
            swiftSettings: swiftSettings
        ),

        .executableTarget(
            name: "stranded-trends-bench",
            dependencies: [
                "Workflow", "Store", "Postgres", "Reports", "WardListImport", "StrandedCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/TrendsBenchmark",
            swiftSettings: swiftSettings
        ),

        .executableTarget(
            name: "stranded-reddays-bench",
            dependencies: [
                "BenchmarkSupport", "Workflow", "Store", "Postgres", "WardListImport", "StrandedCore", "Web",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "Benchmarks/RedDayBenchmark",
            swiftSettings: swiftSettings
        ),

        .executableTarget(
            name: "stranded-feed-bench",
            dependencies: [
                "BenchmarkSupport", "Web", "Workflow", "Store", "Postgres", "StrandedCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/FeedBenchmark",
            swiftSettings: swiftSettings
        ),

        // Shared by the test targets: one throwaway cluster per run, a fresh database per test.
        .target(
            name: "TestSupport",
            dependencies: ["Postgres", "Store", .product(name: "Logging", package: "swift-log")],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "Store", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "StrandedCoreTests", dependencies: ["StrandedCore"], swiftSettings: swiftSettings),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Postgres", "StrandedCore", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "WorkflowTests",
            dependencies: ["Workflow", "Store", "Postgres", "WardListImport", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "WardListImportTests", dependencies: ["WardListImport", "StrandedCore"], swiftSettings: swiftSettings),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "StrandedCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "WebTests",
            dependencies: [
                "Web", "Store", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
