// swift-tools-version:6.2

import PackageDescription

import class Foundation.ProcessInfo
import struct Foundation.URL

// A path dependency is identified by its folder's name, which is whatever the clone is called.
let spanLogPackage = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .lastPathComponent.lowercased()

// package-benchmark lives in its own package so that SpanLog's users never build it.
// Run from this folder:  swift package benchmark
// CI checks allocations: swift package benchmark thresholds check
let package = Package(
    name: "SpanLogBenchmarks",
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "SpanLogBenchmarks",
            dependencies: [
                .product(name: "SpanLog", package: spanLogPackage),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/SpanLogBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        )
    ]
)
