// swift-tools-version:6.2

import PackageDescription

let package = Package(
    name: "swift-spanlog",
    products: [
        .library(name: "SpanLog", targets: ["SpanLog"]),
        .library(name: "SpanLogReader", targets: ["SpanLogReader"]),
        .library(name: "SpanLogOTLP", targets: ["SpanLogOTLP"]),
        .library(name: "SpanLogHummingbird", targets: ["SpanLogHummingbird"]),
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
        .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.9.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0", traits: []),
    ],
    targets: [
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "SpanLog",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                "CZlib",
                "SpanLogIndex",
            ]
        ),
        // The trace-id index format (docs/format.md): written by SpanLog's file sink, read by
        // SpanLogReader. No dependencies beyond zlib and two libc wrappers.
        .target(
            name: "SpanLogIndex",
            dependencies: ["CZlib", "CSpanLogReader"]
        ),
        // OTLP exporter for spans and logs; depends on SpanLog, never the other way round.
        .target(
            name: "SpanLogOTLP",
            dependencies: [
                "SpanLog",
                "CZlib",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "GRPCCore", package: "grpc-swift-2", condition: .when(traits: ["OTLPGRPC"])),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport", condition: .when(traits: ["OTLPGRPC"])),
            ]
        ),
        .target(
            name: "SpanLogHummingbird",
            dependencies: [
                "SpanLog",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "SpanLogDemo",
            dependencies: [
                "SpanLog",
                "SpanLogHummingbird",
                "SpanLogOTLP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                "CZlib",
            ]
        ),
        // The hello-route server behind Benchmarks/http-wrk.sh (docs/performance.md, "HTTP middleware").
        .executableTarget(
            name: "SpanLogHTTPBenchServer",
            dependencies: [
                "SpanLog",
                "SpanLogHummingbird",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        // A helper the file sink's tests run as a child process (killed with SIGKILL, or run
        // under RLIMIT_FSIZE); also the quick throughput harness behind docs/performance.md.
        .executableTarget(
            name: "SpanLogFileSinkCrashChild",
            dependencies: ["SpanLog"],
            path: "Tests/CrashChild"
        ),
        .target(name: "CSpanLogReader"),
        .target(
            name: "SpanLogReader",
            dependencies: ["CZlib", "CSpanLogReader", "SpanLogIndex"]
        ),
        .executableTarget(
            name: "spanlog",
            dependencies: [
                "SpanLogReader",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "SpanLogReaderTests",
            dependencies: [
                "SpanLogReader",
                "SpanLogIndex",
                "SpanLog",
                "CZlib",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
            ]
        ),
        .testTarget(
            name: "SpanLogTests",
            dependencies: [
                "SpanLog",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
            ]
        ),
        // The OTLP exporter's measurements (docs/performance.md, "OTLP exporter"); run by hand.
        .executableTarget(
            name: "SpanLogOTLPBench",
            dependencies: [
                "SpanLog",
                "SpanLogOTLP",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            path: "Tests/OTLPBench"
        ),
        .testTarget(
            name: "SpanLogOTLPTests",
            dependencies: [
                "SpanLog",
                "SpanLogOTLP",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
            ],
            exclude: ["Receiver"]
        ),
        .testTarget(
            name: "SpanLogHummingbirdTests",
            dependencies: [
                "SpanLog",
                "SpanLogHummingbird",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                "CZlib",
            ],
            exclude: ["requirements.txt", "otel_client.py"]
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
