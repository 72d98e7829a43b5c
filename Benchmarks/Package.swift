// swift-tools-version:6.2

import PackageDescription

import class Foundation.ProcessInfo
import struct Foundation.URL

// A path dependency is identified by its folder's name, which is whatever the clone is called.
let spanLogPackage = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .lastPathComponent.lowercased()

// Everything that measures SpanLog lives in this package, so that SpanLog's users never build it:
// - SpanLogBenchmarks (package-benchmark): swift package benchmark; CI checks allocations with
//   swift package benchmark thresholds check
// - SpanLogHTTPBenchServer: the hello-route server behind http-wrk.sh and http-duel.sh
// - SpanLogOTLPBench: the OTLP exporter's measurements (docs/performance.md, "OTLP exporter")
// The two tools live under Tools/: package-benchmark runs every executable target whose folder
// sits directly in a folder named Benchmarks as a benchmark.
let spanLog: Target.Dependency = .product(name: "SpanLog", package: spanLogPackage)
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")
let tracing: Target.Dependency = .product(name: "Tracing", package: "swift-distributed-tracing")

let package = Package(
    name: "SpanLogBenchmarks",
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
    ],
    targets: [
        .executableTarget(
            name: "SpanLogBenchmarks",
            dependencies: [
                spanLog, logging, tracing, .product(name: "Benchmark", package: "benchmark"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            path: "Benchmarks/SpanLogBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        ),
        .executableTarget(
            name: "SpanLogHTTPBenchServer",
            dependencies: [
                spanLog, logging, tracing,
                .product(name: "SpanLogHummingbird", package: spanLogPackage),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Tools/HTTPBenchServer"
        ),
        .executableTarget(
            name: "SpanLogOTLPBench",
            dependencies: [spanLog, logging, tracing, .product(name: "SpanLogOTLP", package: spanLogPackage)],
            path: "Tools/OTLPBench"
        ),
    ]
)

for target in package.targets where target.name != "SpanLogBenchmarks" {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    target.swiftSettings = settings
}
