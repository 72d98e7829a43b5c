internal import Foundation
@testable import SpanLogFormat

/// The seed corpus (`Fuzz/Corpus/<target>/`): small inputs that reach each parser's main paths,
/// valid and broken. `SpanLogFuzz seeds Fuzz/Corpus` writes them (generated ones included:
/// gzip members and trace indexes are made by SpanLog's own writers), leaving other files
/// (crash reproducers, inputs the fuzzer kept) alone.
enum SeedCorpus {
    static func write(to folder: String) {
        let seeds: [(FuzzTarget, [(String, [UInt8])])] = [
            (.json, self.texts(self.jsonLines) + [("invalid-utf8", Array(#"{"m":""#.utf8) + [0xC3, 0x28, 0xFF, 0xED, 0xA0, 0x80, 0xF4, 0x90] + Array(#""}"#.utf8))]),
            (.gzip, self.gzipFiles()),
            (.traceIndex, self.traceIndexes()),
            (.traceContext, self.texts(self.traceContexts)),
            (.retryAfter, self.texts(self.retryAfterValues)),
            (.environment, self.texts(self.environments)),
        ]
        for (target, files) in seeds {
            let targetFolder = folder + "/" + target.rawValue
            try? FileManager.default.createDirectory(atPath: targetFolder, withIntermediateDirectories: true)
            for (index, (name, bytes)) in files.enumerated() {
                let path = targetFolder + "/seed-" + (index < 10 ? "0" : "") + "\(index)-\(name)"
                guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { fatalError("cannot write \(path)") }
            }
            print("\(target.rawValue): \(files.count) seeds in \(targetFolder)")
        }
    }

    static func texts(_ texts: [(String, String)]) -> [(String, [UInt8])] {
        texts.map { ($0.0, Array($0.1.utf8)) }
    }

    // MARK: - json

    static let logRecord = #"{"timestamp":"2026-12-02T10:00:00.123456789Z","record":"log","level":"info","logger":"checkout","source":"Checkout","message":"order placed","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7","trace_flags":"03","order":"42"}"#
    static let spanRecord = #"{"timestamp":"2026-12-02T10:00:01Z","record":"span","name":"http.server","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7","parent_span_id":"b7ad6b7169203331","kind":"server","status":"error","start":"2026-12-02T10:00:00Z","end":"2026-12-02T10:00:01.5Z","attributes":{"http.route":"/orders/{id}","http.status_code":500},"events":[{"name":"exception","timestamp":"2026-12-02T10:00:01Z","attributes":{"exception.message":"boom"}}]}"#

    static let jsonLines: [(String, String)] = [
        ("log-record", logRecord),
        ("span-record", spanRecord),
        ("two-lines-crlf", logRecord + "\r\n" + spanRecord + "\r\n"),
        ("nested-meta", #"{"record":"log","level":"debug","meta":{"user":{"id":7,"tags":["a","b",null,true,false]}},"timestamp":"2026-12-02T10:00:00+01:00"}"#),
        ("escapes", #"{"message":"tab\t quote\" slash\/ backslash\\ \b\f\n\r \u00e9 \u20AC \ud83d\ude00 \udc00 \ud800x","record":"log"}"#),
        ("numbers", #"[0,-0,1.5,-1.5e10,1E-5,1e308,1e-400,123456789012345678901234567890,9223372036854775807,-9223372036854775808,9223372036854775808]"#),
        ("duration", #"{"record":"span","duration_ns":18446744073709551615,"start":"0001-01-01T00:00:00Z","end":"9999-12-31T23:59:59.999999999Z"}"#),
        ("far-times", #"{"record":"span","timestamp":"1677-09-21T00:12:43.145224191Z","start":"2262-04-11T23:47:16.854775808Z","end":"1970-01-01T00:00:00Z"}"#),
        ("odd-times", #"{"record":"log","timestamp":"2026-02-30T24:00:60.9999999999-23:59","level":"CRITICAL"}"#),
        ("levels", #"{"record":"log","level":"warning"}"# + "\n" + #"{"record":"log","level":"trace"}"# + "\n" + #"{"record":"log","level":"nonsense"}"#),
        ("duplicate-keys", #"{"record":"log","record":"span","trace_id":1,"trace_id":"x"}"#),
        ("empty-values", #"{}"# + "\n" + #"[]"# + "\n" + #""""# + "\n" + "null\n true \n"),
        ("deep-511", String(repeating: "[", count: 511) + String(repeating: "]", count: 511)),
        ("deep-513", String(repeating: #"{"a":"#, count: 513) + "1" + String(repeating: "}", count: 513)),
        ("trailing-comma", #"{"record":"log","level":"info",}"#),
        ("unterminated", #"{"record":"log","message":"never ends"#),
        ("control-char", "{\"message\":\"a\u{01}b\"}"),
        ("bad-escape", #"{"message":"\x41 \u12G4"}"#),
        ("after-value", #"{"record":"log"} {"record":"log"}"#),
        ("whitespace", " \t\r\n {\"record\" : \"log\" , \"level\" :\"error\" } \t"),
        ("dotted-field", #"{"record":"span","attributes":{"db.system":"postgresql"},"a":{"b":{"c":"d"}},"a.b":1}"#),
        ("non-ascii", "{\"message\":\"caf\u{E9} \u{1F600} \u{9B}[31m\"}"),
    ]

    // MARK: - gzip

    static func gzipFiles() -> [(String, [UInt8])] {
        let writer = GzipMemberWriter(level: 6)
        let records = Array((logRecord + "\n" + spanRecord + "\n").utf8)
        let member = writer.member(of: records)
        let second = writer.member(of: Array((logRecord + "\n").utf8))
        let noNewline = writer.member(of: Array(logRecord.utf8))
        let empty = writer.member(of: [])
        let stored = GzipMemberWriter(level: 0).member(of: Array((logRecord + "\n").utf8))
        var damaged = member
        damaged[member.count / 2] ^= 0xFF
        var badCRC = second
        badCRC[second.count - 8] ^= 0x01
        var badLength = second
        badLength[second.count - 1] ^= 0x01
        return [
            ("one-member", member),
            ("three-members", member + second + member),
            ("empty-member", empty + member),
            ("no-final-newline", noNewline + second),
            ("stored-block", stored),
            ("torn-last-member", member + Array(second.prefix(second.count / 2))),
            ("torn-trailer", Array(member.dropLast(3))),
            ("damaged-then-good", damaged + second),
            ("trailing-garbage", member + Array("garbage\n".utf8)),
            ("trailing-zeros", member + [UInt8](repeating: 0, count: 64)),
            ("bad-crc", badCRC + member),
            ("bad-length", badLength),
            ("header-fields", self.withHeaderFields(second)),
            ("magic-only", [0x1F, 0x8B]),
            ("first-magic-byte", [0x1F]),
            ("plain-lines", records),
            ("plain-no-newline", Array(logRecord.utf8)),
            ("binary", [0x00, 0x01, 0x02, 0xFF, 0x1F, 0x8B, 0x08, 0x00]),
            ("not-json-text", Array("hello world\n".utf8)),
            ("empty", []),
        ]
    }

    /// `member` with FEXTRA, FNAME, FCOMMENT and FHCRC in its header (RFC 1952), which
    /// SpanLog's writer never sets.
    static func withHeaderFields(_ member: [UInt8]) -> [UInt8] {
        var header = Array(member[0..<10])
        header[3] = 0x04 | 0x08 | 0x10 | 0x02
        header += [4, 0, 0x41, 0x42, 2, 0]  // FEXTRA: subfield "AB", 2 bytes... cut short on purpose at 4
        header += Array("name.jsonl".utf8) + [0]
        header += Array("a comment".utf8) + [0]
        let crc = self.crc32(header)
        header += [UInt8(crc & 0xFF), UInt8((crc >> 8) & 0xFF)]
        return header + Array(member[10...])
    }

    /// CRC-32 (IEEE, as gzip uses), bit by bit.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    // MARK: - trace-index

    /// Mode byte (see ``TraceIndexTarget``) + index bytes.
    static func traceIndexes() -> [(String, [UInt8])] {
        let log = ReferenceLog.shared
        let perMember = log.indexPerMember
        let whole = log.indexWhole
        let header = TraceIndexLayout.headerSize
        var zeroBlooms = perMember
        let blockCount = Int(perMember[header - 16]) // blocks count field (u32 at 48)
        let bloomStart = header + blockCount * TraceIndexLayout.blockEntrySize
        for offset in bloomStart..<(perMember.count - 4) { zeroBlooms[offset] = 0 }
        var badVersion = perMember
        badVersion[8] = 2
        var fewerBlocks = Array(perMember)
        fewerBlocks[header - 16] = UInt8(max(blockCount - 1, 0))
        var noTimes = perMember
        for block in 0..<blockCount {  // earliest = Int64.min, latest = Int64.max: times unknown
            let entry = header + block * TraceIndexLayout.blockEntrySize
            noTimes.replaceSubrange((entry + 24)..<(entry + 32), with: [0, 0, 0, 0, 0, 0, 0, 0x80])
            noTimes.replaceSubrange((entry + 32)..<(entry + 40), with: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])
        }
        return [
            ("per-member-trace-a", [0] + perMember),
            ("per-member-trace-b", [2] + perMember),
            ("per-member-time-range", [4] + perMember),
            ("per-member-absent", [6] + perMember),
            ("per-member-as-is", [1] + perMember),
            ("whole-file", [0] + whole),
            ("whole-file-time-range", [4] + whole),
            ("zero-blooms", [0] + zeroBlooms),
            ("bad-checksum", [1] + Array(perMember.dropLast(4)) + [0, 0, 0, 0]),
            ("bad-version", [0] + badVersion),
            ("fewer-blocks", [0] + fewerBlocks),
            ("times-unknown", [4] + noTimes),
            ("header-only", [0] + Array(perMember.prefix(header)) + [0, 0, 0, 0]),
            ("truncated", [1] + Array(perMember.prefix(header / 2))),
            ("empty", [0]),
        ]
    }

    // MARK: - trace-context

    /// A `traceparent` line, then optionally a `tracestate` line.
    static let traceContexts: [(String, String)] = [
        ("sampled", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
        ("random-flag", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03\nrojo=00f067aa0ba902b7,congo=t61rcWkgMzE"),
        ("all-flags", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-ff\n"),
        ("uppercase", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01"),
        ("whitespace", " \t00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00\t "),
        ("future-version", "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-holds"),
        ("future-version-bad", "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x"),
        ("version-ff", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
        ("version-00-long", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-"),
        ("zero-trace", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"),
        ("zero-span", "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"),
        ("bad-hex", "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01"),
        ("short", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0"),
        ("tenant-keys", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\nt61@vendor=x, 1tenant@v=y ,a_b-c*d/e=z,,  ,"),
        ("bad-members", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\nUpper=1,=v,k=,k=v=w,k=a b ,k=ok,k=again"),
        ("no-equals", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\nrojo=1,congo"),
        ("33-members", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\n" + (0..<33).map { "k\($0)=v" }.joined(separator: ",")),
        ("long-key", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\n" + String(repeating: "k", count: 257) + "=v," + String(repeating: "k", count: 256) + "=" + String(repeating: "v", count: 256)),
        ("trace-id-alone", "4bf92f3577b34da6a3ce929d0e0e4736\n00f067aa0ba902b7"),
        ("non-ascii", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-\u{E9}1\nk=\u{E9}"),
    ]

    // MARK: - retry-after

    static let retryAfterValues: [(String, String)] = [
        ("seconds", "120"),
        ("zero", "0"),
        ("spaces", " \t 5 \t"),
        ("maximum", "2147483647"),
        ("past-maximum", "2147483648"),
        ("eleven-digits", "99999999999"),
        ("twenty-digits", "18446744073709551616"),
        ("negative", "-1"),
        ("fraction", "1.5"),
        ("imf-fixdate", "Wed, 21 Oct 2026 07:28:00 GMT"),
        ("epoch", "Thu, 01 Jan 1970 00:00:00 GMT"),
        ("before-epoch", "Fri, 31 Dec 1969 23:59:59 GMT"),
        ("year-99999", "Sun, 06 Nov 99999 08:49:37 GMT"),
        ("year-2262", "Fri, 11 Apr 2262 23:47:17 GMT"),
        ("big-fields", "Sun, 99 Nov 1994 99:99:99 GMT"),
        ("bad-month", "Sun, 06 Xyz 1994 08:49:37 GMT"),
        ("rfc850", "Sunday, 06-Nov-94 08:49:37 GMT"),
        ("asctime", "Sun Nov  6 08:49:37 1994"),
        ("not-gmt", "Sun, 06 Nov 1994 08:49:37 PST"),
        ("empty", ""),
    ]

    // MARK: - environment

    static let environments: [(String, String)] = [
        ("telemetry-on", "TELEMETRY_ENABLED=true\nOTEL_SERVICE_NAME=checkout\nOTEL_EXPORTER=otlp\nOTEL_ENDPOINT=http://collector:4317\nLOG_LEVEL=info,db=debug"),
        ("file-sink", "LOG_DIR=/var/log/checkout\nLOG_FILE_NAME=checkout\nLOG_ROTATE_BYTES=1048576\nLOG_ROTATE_INTERVAL=hourly\nLOG_RETAIN_FILES=10\nLOG_RETAIN_DAYS=7\nLOG_FLUSH_MS=250\nLOG_GZIP_LEVEL=6\nLOG_QUEUE_POLICY=drop\nLOG_TRACE_INDEX=false"),
        ("file-sink-extremes", "LOG_DIR= /tmp \nLOG_ROTATE_BYTES=9223372036854775807\nLOG_RETAIN_DAYS=9223372036854775807\nLOG_FLUSH_MS=-1\nLOG_RETAIN_FILES=0\nLOG_GZIP_LEVEL=10\nLOG_FILE_NAME=..\nLOG_ROTATE_BYTES=100"),
        ("otlp-http", "OTEL_EXPORTER_OTLP_ENDPOINT=https://collector.example:4318/base/\nOTEL_EXPORTER_OTLP_PROTOCOL=http/json\nOTEL_EXPORTER_OTLP_HEADERS=api-key=s%20ecret,x=y\nOTEL_EXPORTER_OTLP_TIMEOUT=5000\nOTEL_EXPORTER_OTLP_COMPRESSION=gzip\nOTEL_LOGS_EXPORTER=otlp,console"),
        ("otlp-signals", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=http://[::1]:4318/v1/traces\nOTEL_EXPORTER_OTLP_LOGS_ENDPOINT=http://user:pw@host:1/v1/logs?token=1\nOTEL_EXPORTER_OTLP_TRACES_PROTOCOL=grpc\nOTEL_EXPORTER_OTLP_LOGS_HEADERS=broken,=v,k=%zz\nOTEL_EXPORTER_OTLP_TRACES_TIMEOUT=99999999999999999999"),
        ("otlp-bad-endpoint", "OTEL_ENDPOINT=ftp://collector\nOTEL_EXPORTER=otlp\nOTEL_EXPORTER_OTLP_ENDPOINT=http://host:99999\nOTEL_EXPORTER_OTLP_PROTOCOL=carrier-pigeon"),
        ("samplers", "OTEL_TRACES_SAMPLER=parentbased_traceidratio\nOTEL_TRACES_SAMPLER_ARG=0.25\nOTEL_TRACE_SAMPLE=nan\nOTEL_SDK_DISABLED=maybe"),
        ("batching", "OTEL_BSP_SCHEDULE_DELAY=0\nOTEL_BSP_MAX_QUEUE_SIZE=10000001\nOTEL_BSP_MAX_EXPORT_BATCH_SIZE=+5\nOTEL_BSP_EXPORT_TIMEOUT=1e3\nOTEL_BLRP_SCHEDULE_DELAY=3600000\nOTEL_BLRP_MAX_QUEUE_SIZE=1\nOTEL_BLRP_MAX_EXPORT_BATCH_SIZE=0x10\nOTEL_BLRP_EXPORT_TIMEOUT= 30000 "),
        ("resource", "OTEL_RESOURCE_ATTRIBUTES=service.name=api,deployment.environment=prod%2Ceu,bad,=x,k=%E2%82%AC\nTELEMETRY_BACKEND=hybrid\nTELEMETRY_SLOW_REQUEST_MS=86400001\nLOG_SPANS=sampled\nLOG_FORMAT=TEXT"),
        ("levels", "LOG_LEVEL=db=debug,warning,http=verbose,=info,TRACE"),
        ("control-characters", "OTEL_SERVICE_NAME=a\u{1B}[31mred\nLOG_LEVEL=\u{7F}\u{9B}\nOTEL_EXPORTER_OTLP_HEADERS=k=\u{1B}secret\u{07}"),
        ("no-equals", "TELEMETRY_ENABLED\nLOG_DIR\n=\n==\nOTEL_TRACES_EXPORTER=,,none"),
    ]
}
