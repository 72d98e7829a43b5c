// swift-tools-version:6.2

import PackageDescription

// The products SpanLog's targets use, named once.
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")
let tracing: Target.Dependency = .product(name: "Tracing", package: "swift-distributed-tracing")
let instrumentation: Target.Dependency = .product(name: "Instrumentation", package: "swift-distributed-tracing")
let coreMetrics: Target.Dependency = .product(name: "CoreMetrics", package: "swift-metrics")
let metrics: Target.Dependency = .product(name: "Metrics", package: "swift-metrics")
let prometheus: Target.Dependency = .product(name: "Prometheus", package: "swift-prometheus")
let serviceLifecycle: Target.Dependency = .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let hummingbird: Target.Dependency = .product(name: "Hummingbird", package: "hummingbird")
let httpTypes: Target.Dependency = .product(name: "HTTPTypes", package: "swift-http-types")
let nioCore: Target.Dependency = .product(name: "NIOCore", package: "swift-nio")
/// Swift's own and SpanLog's tracing API, which every module that makes or reads spans needs.
let tracingAPI: [Target.Dependency] = [logging, tracing, instrumentation]


let package = Package(
    name: "swift-spanlog",
    products: [
        .library(name: "SpanLog", targets: ["SpanLog"]),
        .library(name: "SpanLogReader", targets: ["SpanLogReader"]),
        .library(name: "SpanLogOTLP", targets: ["SpanLogOTLP"]),
        .library(name: "SpanLogHummingbird", targets: ["SpanLogHummingbird"]),
        // For users' tests of their own logging and tracing (like swift-log's InMemoryLogging).
        .library(name: "SpanLogTesting", targets: ["SpanLogTesting"]),
        .executable(name: "spanlog-demo", targets: ["SpanLogDemo"]),
        .executable(name: "spanlog", targets: ["spanlog"]),
    ],
    traits: [
        .trait(name: "OTLPGRPC", description: "OTLP/gRPC transport in SpanLogOTLP (grpc-swift-2 with its NIO HTTP/2 transport)"),
        .default(enabledTraits: ["OTLPGRPC"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // SpanLogOTLP: OTLP/HTTP over AsyncHTTPClient, OTLP/gRPC (trait OTLPGRPC) over grpc-swift-2.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // SpanLogOTLP: loading and checking the PEM files of OTEL_EXPORTER_OTLP_CERTIFICATE & co.
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.9.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0", traits: []),
        // Tests only: the resource attribute names are checked against its constants (host.*,
        // process.*, k8s.* need the Experimental trait, which asks for a pinned minor version).
        .package(url: "https://github.com/swift-otel/swift-otel-semantic-conventions", .upToNextMinor(from: "1.44.0"), traits: ["Experimental"]),
    ],
    targets: [
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "SpanLog",
            dependencies: tracingAPI + [coreMetrics, metrics, prometheus, serviceLifecycle, "SpanLogFormat"]
        ),
        // The on-disk contract between SpanLog's file sink and SpanLogReader (docs/format.md): the
        // record time, rotated file names, the trace index. No dependencies beyond zlib and C.
        .target(
            name: "SpanLogFormat",
            dependencies: ["CZlib", "CSpanLogFormat"]
        ),
        // OTLP exporter for spans and logs; depends on SpanLog, never the other way round.
        .target(
            name: "SpanLogOTLP",
            dependencies: [
                "SpanLog",
                "SpanLogFormat",
                logging,
                tracing,
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                nioCore,
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "GRPCCore", package: "grpc-swift-2", condition: .when(traits: ["OTLPGRPC"])),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport", condition: .when(traits: ["OTLPGRPC"])),
            ]
        ),
        .target(
            name: "SpanLogHummingbird",
            dependencies: tracingAPI + ["SpanLog", hummingbird, httpTypes, coreMetrics, metrics, prometheus]
        ),
        .executableTarget(
            name: "SpanLogDemo",
            dependencies: tracingAPI + [
                "SpanLog",
                "SpanLogHummingbird",
                "SpanLogOTLP",
                hummingbird,
                httpTypes,
                serviceLifecycle,
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                nioCore,
                "SpanLogReader",
            ]
        ),
        .target(
            name: "SpanLogTesting",
            dependencies: ["SpanLog", "SpanLogReader", logging, tracing]
        ),
        .target(name: "CSpanLogFormat"),
        .target(
            name: "SpanLogReader",
            dependencies: ["CSpanLogFormat", "SpanLogFormat"]
        ),
        .executableTarget(
            name: "spanlog",
            dependencies: [
                "SpanLogReader",
                "SpanLogFormat",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Test support: not products, built for the tests only.
        // The Python peers (OpenTelemetry SDK, OTLP receiver), provisioned by the tests themselves.
        .target(
            name: "PythonPeers",
            path: "Tests/PythonPeers",
            exclude: ["requirements.txt"]
        ),
        // A helper the file sink's tests run as a child process (killed with SIGKILL, or run
        // under RLIMIT_FSIZE); also the quick throughput harness behind docs/performance.md.
        .executableTarget(
            name: "SpanLogFileSinkCrashChild",
            dependencies: ["SpanLog", logging],
            path: "Tests/CrashChild"
        ),
        .testTarget(
            name: "SpanLogReaderTests",
            dependencies: ["SpanLogReader", "SpanLogFormat", "SpanLog", "SpanLogTesting", "CZlib", logging, instrumentation]
        ),
        .testTarget(
            name: "SpanLogTests",
            dependencies: tracingAPI + [
                "SpanLog", "SpanLogTesting", "PythonPeers", coreMetrics, prometheus,
                .product(name: "OTelSemanticConventions", package: "swift-otel-semantic-conventions"),
            ]
        ),
        .testTarget(
            name: "SpanLogTestingTests",
            dependencies: tracingAPI + ["SpanLog", "SpanLogTesting"]
        ),
        .testTarget(
            name: "SpanLogOTLPTests",
            dependencies: tracingAPI + ["SpanLog", "SpanLogOTLP", "PythonPeers", coreMetrics],
            exclude: ["Receiver"]
        ),
        .testTarget(
            name: "SpanLogHummingbirdTests",
            dependencies: tracingAPI + [
                "SpanLog",
                "SpanLogHummingbird",
                "SpanLogTesting",
                "PythonPeers",
                hummingbird,
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                nioCore,
                httpTypes,
                prometheus,
                "CZlib",
            ],
            exclude: ["otel_client.py"]
        ),
    ]
)

for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    // The same upcoming features apple/swift-log switches on.
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    target.swiftSettings = settings
}
