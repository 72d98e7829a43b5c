// swift-tools-version:6.2

import PackageDescription

import struct Foundation.URL

// A path dependency is identified by its folder's name, which is whatever the clone is called.
let spanLogPackage = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .lastPathComponent.lowercased()

// SpanLog's fuzz targets (docs/reliability.md), in a package of their own so that SpanLog's
// users never build them. One executable, `SpanLogFuzz <target> [libFuzzer arguments]`:
// - built by run.sh with `-sanitize=fuzzer,address` and `-DSPANLOG_FUZZER`, it is a libFuzzer
//   binary;
// - built plainly (`swift build -Xswiftc -enable-testing`), it replays the files and folders it
//   is given, so each corpus is also a regression set.
// The parsers are internal or package: `@testable import` reaches them, so every build needs
// `-Xswiftc -enable-testing`.
let package = Package(
    name: "SpanLogFuzz",
    dependencies: [
        // Without the OTLPGRPC trait: the parsers fuzzed here are the same, and the build skips
        // gRPC (see docs/reliability.md).
        .package(path: "..", traits: []),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
    ],
    targets: [
        // Declares libFuzzer's entry point for a program with its own main.
        .target(name: "CLibFuzzer"),
        .executableTarget(
            name: "SpanLogFuzz",
            dependencies: [
                "CLibFuzzer",
                .product(name: "SpanLog", package: spanLogPackage),
                .product(name: "SpanLogReader", package: spanLogPackage),
                .product(name: "SpanLogOTLP", package: spanLogPackage),
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
            ]
        ),
    ]
)

for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    target.swiftSettings = settings
}
