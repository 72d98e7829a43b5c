// swift-tools-version:6.2

import PackageDescription

import struct Foundation.URL

// SpanLog's metrics backend beside swift-otel 1.6.0's, in one package-benchmark run
// (docs/performance.md, "Metrics"). A package of its own, so that neither SpanLog nor the
// Benchmarks package (whose allocation thresholds CI checks) resolves or builds swift-otel.
// swift-otel is built with its OTLPHTTP trait only (1.6.0 does not build with none: its
// configuration code calls Foundation that only its OTLP files import); only its metrics
// factory is measured, with the exporter set to none.
//
//   cd Benchmarks/Tools/MetricsDuel && swift package benchmark
let spanLogPackage = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .lastPathComponent.lowercased()

let package = Package(
    name: "MetricsDuel",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "../../.."),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-otel/swift-otel", from: "1.6.0", traits: ["OTLPHTTP"]),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "MetricsDuel",
            dependencies: [
                .product(name: "SpanLog", package: spanLogPackage),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/MetricsDuel",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ]
)
