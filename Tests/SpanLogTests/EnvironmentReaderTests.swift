import SpanLog
import Testing

@Suite("EnvironmentReader: one reader, one warning format")
struct EnvironmentReaderTests {
    @Test("the format: NAME=value problem; using fallback, the value quoted when it is not plain")
    func format() {
        #expect(EnvironmentReader.warning("LOG_FORMAT", value: "xml", "is not one of json, text, auto", using: "auto")
            == "LOG_FORMAT=xml is not one of json, text, auto; using auto")
        #expect(EnvironmentReader.warning("LOG_LEVEL", value: "very loud", "is not a level", using: "info")
            == #"LOG_LEVEL="very loud" is not a level; using info"#)
        // A line break in a value cannot split the warning line.
        let injected = EnvironmentReader.warning("LOG_LEVEL", value: "x\nspanlog: forged", "is not a level", using: "info")
        #expect(!injected.contains("\n"))
        #expect(injected == #"LOG_LEVEL="x\nspanlog: forged" is not a level; using info"#)
    }

    @Test("a fallback taken from outside (the service name as the file name) cannot put control characters in a warning (fuzz finding)")
    func fallbackEscaped() {
        var warnings: [String] = []
        _ = RotatingGzipFileSink.Configuration.fromEnvironment(
            ["LOG_DIR": "/tmp", "LOG_FILE_NAME": ".."],
            defaultFileName: "svc\u{1B}]0;title\u{07}\u{9B}31m\nforged",
            warn: { warnings.append($0) }
        )
        #expect(warnings.count == 1)
        for warning in warnings {
            #expect(!warning.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }, "\(warning.debugDescription)")
            #expect(warning.contains("\\u{1B}]0;title\\u{7}\\u{9B}31m\\u{A}forged"), "\(warning)")
        }
    }

    @Test("secret values are never shown: hidden values, every …_HEADERS variable, URLs with user info or a query")
    func secretsAreNotShown() {
        #expect(EnvironmentReader.warning("OTEL_ENDPOINT", value: nil, "is not a URL", using: "no export")
            == "OTEL_ENDPOINT (value not shown) is not a URL; using no export")
        #expect(EnvironmentReader.warning("OTEL_EXPORTER_OTLP_LOGS_HEADERS", value: "api-key=hunter2", "is bad", using: "none")
            == "OTEL_EXPORTER_OTLP_LOGS_HEADERS (value not shown) is bad; using none")

        var reader = EnvironmentReader([
            "WITH_USER": "ftp://admin:hunter2@collector:21",
            "WITH_QUERY": "ftp://collector:21/?token=hunter2",
            "PLAIN": "ftp://collector:21",
            "SECRET_LIST": "authorization=Bearer%ZZhunter2,ok=1",
        ])
        let reject: (String) -> Int? = { _ in nil }
        #expect(reader.url("WITH_USER", parse: reject, problem: "is not http", using: "nothing") == nil)
        #expect(reader.url("WITH_QUERY", parse: reject, problem: "is not http", using: "nothing") == nil)
        #expect(reader.url("PLAIN", parse: reject, problem: "is not http", using: "nothing") == nil)
        let pairs = reader.keyValueList("SECRET_LIST", item: "name=value", using: "the other headers", disclosure: .hidden)
        #expect(pairs.map(\.key) == ["ok"])
        #expect(reader.warnings == [
            "WITH_USER (value not shown) is not http; using nothing",
            "WITH_QUERY (value not shown) is not http; using nothing",
            "PLAIN=ftp://collector:21 is not http; using nothing",
            "SECRET_LIST (value not shown) has an item (number 1) that is not name=value (value percent-encoded); using the other headers",
        ])
        #expect(!reader.warnings.contains { $0.contains("hunter2") })
    }

    @Test("numbers: outside the range (or too large for Int) is the default with a warning; the bounds themselves are used")
    func ranges() {
        var reader = EnvironmentReader([
            "ABOVE": "3600001", "BELOW": "-1", "HUGE": "99999999999999999999", "TOP": "3600000", "BOTTOM": "0",
            "SMALL": "100", "RATIO": "1.5", "NAN": "nan",
        ])
        #expect(reader.milliseconds("ABOVE", default: 1000, range: 0...3_600_000) == 1000)
        #expect(reader.milliseconds("BELOW", default: 1000, range: 0...3_600_000) == 1000)
        #expect(reader.integer("HUGE", default: 7, range: 1...9) == 7)
        #expect(reader.milliseconds("TOP", default: 1000, range: 0...3_600_000) == 3_600_000)
        #expect(reader.milliseconds("BOTTOM", default: 1000, range: 0...3_600_000) == 0)
        #expect(reader.integer("SMALL", default: 8192, range: 4096...65536, raisingToMinimum: true) == 4096)
        #expect(reader.ratio("RATIO", default: 0.5) == 0.5)
        #expect(reader.ratio("NAN", default: 0.5) == 0.5)
        #expect(reader.integer("UNSET", default: 3, range: 1...9) == 3)
        #expect(reader.warnings == [
            "ABOVE=3600001 is not a whole number of milliseconds from 0 to 3600000; using 1000",
            "BELOW=-1 is not a whole number of milliseconds from 0 to 3600000; using 1000",
            "HUGE=99999999999999999999 is not an integer from 1 to 9; using 7",
            "SMALL=100 is below the minimum of 4096; using 4096",
            "RATIO=1.5 is not a number from 0.0 to 1.0; using 0.5",
            "NAN=nan is not a number from 0.0 to 1.0; using 0.5",
        ])
    }

    @Test("one trim and one percent-decoder: empty or blank is unset, escapes must be whole")
    func text() {
        let reader = EnvironmentReader(["BLANK": " \t\r\n", "PADDED": "\t on \r\n", "LIST": " a , b ,c"])
        #expect(reader.raw("BLANK") == nil)
        #expect(reader.raw("PADDED") == "on")
        #expect(reader.list("LIST") == ["a", "b", "c"])
        #expect("a%20b%C3%A9".percentDecoded() == "a bé")
        #expect("a%2".percentDecoded() == nil)
        #expect("%FF".percentDecoded() == nil)
    }
}
