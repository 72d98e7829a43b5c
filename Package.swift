// swift-tools-version:6.2

import PackageDescription

let package = Package(
    name: "swift-spanlog",
    products: [
        .library(name: "SpanLog", targets: ["SpanLog"]),
        .library(name: "SpanLogReader", targets: ["SpanLogReader"]),
        .executable(name: "spanlog-demo", targets: ["SpanLogDemo"]),
        .executable(name: "spanlog", targets: ["spanlog"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
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
                "CZlib",
            ]
        ),
        .executableTarget(
            name: "SpanLogDemo",
            dependencies: [
                "SpanLog",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
        .target(name: "CSpanLogReader"),
        .target(
            name: "SpanLogReader",
            dependencies: ["CZlib", "CSpanLogReader"]
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
