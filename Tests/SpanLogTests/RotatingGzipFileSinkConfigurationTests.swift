import SpanLog
import Testing

@Suite("RotatingGzipFileSink.Configuration.fromEnvironment")
struct RotatingGzipFileSinkConfigurationTests {
    typealias Configuration = RotatingGzipFileSink.Configuration

    @Test func noDirectoryMeansNoFileSink() {
        #expect(Configuration.fromEnvironment([:], defaultFileName: "svc", warn: { _ in Issue.record("no warning expected") }) == nil)
        #expect(Configuration.fromEnvironment(["LOG_DIR": ""], defaultFileName: "svc", warn: { _ in }) == nil)
    }

    @Test func defaults() throws {
        let configuration = try #require(Configuration.fromEnvironment(["LOG_DIR": "/var/log/svc"], defaultFileName: "svc", warn: { Issue.record("unexpected: \($0)") }))
        #expect(configuration == Configuration(directory: "/var/log/svc", fileName: "svc"))
        #expect(configuration.rotateBytes == 67_108_864)
        #expect(configuration.rotateInterval == .daily)
        #expect(configuration.retainFiles == 30)
        #expect(configuration.retainDays == nil)
        #expect(configuration.flushIntervalMilliseconds == 1000)
        #expect(configuration.gzipLevel == 1)
        #expect(configuration.queuePolicy == .block)
        #expect(configuration.writesTraceIndex)
    }

    @Test func everyVariable() throws {
        let configuration = try #require(Configuration.fromEnvironment([
            "LOG_DIR": "/logs", "LOG_FILE_NAME": "api", "LOG_ROTATE_BYTES": "1048576",
            "LOG_ROTATE_INTERVAL": "Hourly", "LOG_RETAIN_FILES": "7", "LOG_RETAIN_DAYS": "14",
            "LOG_FLUSH_MS": "250", "LOG_GZIP_LEVEL": "6", "LOG_QUEUE_POLICY": "drop", "LOG_TRACE_INDEX": "off",
        ], defaultFileName: "svc", warn: { Issue.record("unexpected: \($0)") }))
        #expect(configuration == Configuration(
            directory: "/logs", fileName: "api", rotateBytes: 1_048_576, rotateInterval: .hourly,
            retainFiles: 7, retainDays: 14, flushIntervalMilliseconds: 250, gzipLevel: 6, queuePolicy: .drop,
            writesTraceIndex: false))
    }

    @Test func invalidValuesWarnOnceEachAndUseTheDefault() throws {
        var warnings: [String] = []
        let configuration = try #require(Configuration.fromEnvironment([
            "LOG_DIR": "/logs", "LOG_FILE_NAME": "a/b", "LOG_ROTATE_BYTES": "abc",
            "LOG_ROTATE_INTERVAL": "weekly", "LOG_RETAIN_FILES": "-3", "LOG_RETAIN_DAYS": "soon",
            "LOG_FLUSH_MS": "0", "LOG_GZIP_LEVEL": "11", "LOG_QUEUE_POLICY": "maybe",
            "LOG_TRACE_INDEX": "sometimes",
        ], defaultFileName: "svc", warn: { warnings.append($0) }))
        #expect(configuration == Configuration(directory: "/logs", fileName: "svc"))
        #expect(warnings == [
            "LOG_FILE_NAME=a/b is not a usable file name (empty, '.', '..' or containing '/'); using svc",
            "LOG_ROTATE_BYTES=abc is not an integer from 4096 to 1099511627776; using 67108864",
            "LOG_ROTATE_INTERVAL=weekly is not one of none, hourly, daily; using daily",
            "LOG_RETAIN_FILES=-3 is not an integer from 1 to 100000; using 30",
            "LOG_RETAIN_DAYS=soon is not an integer from 0 to 36500; using 0 (files are kept regardless of age)",
            "LOG_FLUSH_MS=0 is not a whole number of milliseconds from 1 to 3600000; using 1000",
            "LOG_GZIP_LEVEL=11 is not an integer from 1 to 9; using 1",
            "LOG_QUEUE_POLICY=maybe is not one of block, drop; using block",
            "LOG_TRACE_INDEX=sometimes is not true or false; using true",
        ])
    }

    @Test func tooSmallRotationIsRaisedToTheMinimum() throws {
        var warnings: [String] = []
        let configuration = try #require(Configuration.fromEnvironment(
            ["LOG_DIR": "/logs", "LOG_ROTATE_BYTES": "100", "LOG_RETAIN_DAYS": "0"], defaultFileName: "svc", warn: { warnings.append($0) }))
        #expect(configuration.rotateBytes == 4096)
        #expect(configuration.retainDays == nil)
        #expect(warnings == ["LOG_ROTATE_BYTES=100 is below the minimum of 4096; using 4096"])
    }

    @Test func numbersOutsideTheirRangeWarnAndUseTheDefault() throws {
        var warnings: [String] = []
        let configuration = try #require(Configuration.fromEnvironment([
            "LOG_DIR": "/logs", "LOG_ROTATE_BYTES": "1099511627777", "LOG_RETAIN_FILES": "100001",
            "LOG_RETAIN_DAYS": "36501", "LOG_FLUSH_MS": "9223372036854775807", "LOG_GZIP_LEVEL": "99999999999999999999",
        ], defaultFileName: "svc", warn: { warnings.append($0) }))
        // Each would overflow or misbehave where it is multiplied (days and milliseconds into
        // seconds and nanoseconds); the defaults are used instead.
        #expect(configuration == Configuration(directory: "/logs", fileName: "svc"))
        #expect(warnings == [
            "LOG_ROTATE_BYTES=1099511627777 is not an integer from 4096 to 1099511627776; using 67108864",
            "LOG_RETAIN_FILES=100001 is not an integer from 1 to 100000; using 30",
            "LOG_RETAIN_DAYS=36501 is not an integer from 0 to 36500; using 0 (files are kept regardless of age)",
            "LOG_FLUSH_MS=9223372036854775807 is not a whole number of milliseconds from 1 to 3600000; using 1000",
            "LOG_GZIP_LEVEL=99999999999999999999 is not an integer from 1 to 9; using 1",
        ])
    }

    @Test func theLargestValuesInRangeAreUsed() throws {
        let configuration = try #require(Configuration.fromEnvironment([
            "LOG_DIR": " /logs ", "LOG_ROTATE_BYTES": "1099511627776", "LOG_RETAIN_FILES": "100000",
            "LOG_RETAIN_DAYS": "36500", "LOG_FLUSH_MS": "3600000", "LOG_ROTATE_INTERVAL": " none ",
        ], defaultFileName: "svc", warn: { Issue.record("unexpected: \($0)") }))
        #expect(configuration.directory == "/logs")
        #expect(configuration.rotateBytes == 1 << 40)
        #expect(configuration.retainFiles == 100_000)
        #expect(configuration.retainDays == 36_500)
        #expect(configuration.flushIntervalMilliseconds == 3_600_000)
        #expect(configuration.rotateInterval == RotatingGzipFileSink.Configuration.RotateInterval.none)
    }
}
