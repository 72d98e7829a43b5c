import Foundation
import SpanLog
import Testing

private typealias Support = FileSinkTestSupport

/// Real files, real gzip: every file is checked with `gzip -t` and read with `gzip -dc`.
/// Serialized: several tests measure time (flush windows, outage limits) on a 2-core machine.
@Suite("RotatingGzipFileSink", .serialized)
struct RotatingGzipFileSinkTests {
    static var stress: Bool { ProcessInfo.processInfo.environment["SPANLOG_STRESS"] == "1" }

    @Test("8 concurrent writers, ≥ 50 rotations: nothing lost, duplicated, reordered or split", .timeLimit(.minutes(5)))
    func concurrentWritersAcrossRotations() async throws {
        let directory = try Support.makeTemporaryDirectory("concurrent")
        defer { Support.removeTree(directory) }
        let tasks = 8
        let perTask = Self.stress ? 100_000 : 10_000
        let sink = RotatingGzipFileSink(configuration: .init(
            directory: directory, fileName: "app", rotateBytes: Self.stress ? 32 * 1024 : 4096,
            rotateInterval: .none, retainFiles: 1_000_000, flushIntervalMilliseconds: 20,
            queueBytes: 256 * 1024))
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    for seq in 0..<perTask {
                        Support.write(sink, #"{"task":\#(task),"seq":\#(seq),"pad":"abcdefghijklmnopqrstuvwxyz-\#(seq % 97)"}"#)
                    }
                }
            }
        }
        sink.shutdown()
        #expect(sink.droppedRecords == 0)

        let files = Support.logFiles(directory)
        #expect(files.count >= 51, "expected at least 50 rotations, got \(files.count) files")
        var next = [Int](repeating: 0, count: tasks)
        for file in files {
            #expect(try Support.gzipTest(file), "gzip -t failed for \(file)")
            // `records` fails if a file does not end on a whole record (a record split in two).
            for record in try Support.records(file) {
                let task = try #require(record["task"] as? Int)
                let seq = try #require(record["seq"] as? Int)
                #expect(seq == next[task], "task \(task): expected seq \(next[task]), found \(seq) in \(file)")
                next[task] = seq + 1
            }
        }
        #expect(next == [Int](repeating: perTask, count: tasks))
        print("concurrency test: \(tasks) × \(perTask) records in \(files.count) files")
    }

    @Test("kill -9 at random moments: files stay gzip, only the last flush window is lost", .timeLimit(.minutes(3)))
    func crashLosesOnlyTheLastFlushWindow() throws {
        let child = try Support.crashChildPath()
        let directory = try Support.makeTemporaryDirectory("crash")
        defer { Support.removeTree(directory) }
        let runs = Self.stress ? 20 : 4
        var lastFlushed: [Int] = []
        var tornAfterKill = 0
        for run in 0..<runs {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: child)
            process.arguments = ["crash", directory, "\(run)"]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32.random(in: 100_000...400_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal)
            let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let flushed = stdout.split(separator: "\n").compactMap { line -> Int? in
                line.hasPrefix("flushed ") ? Int(line.dropFirst("flushed ".count)) : nil
            }
            lastFlushed.append(flushed.last ?? -1)

            // Right after the kill: every file but the newest is whole; the newest is whole too
            // unless the kill cut a write short (a torn member, repaired by the next start).
            let files = Support.logFiles(directory)
            for file in files.dropLast() {
                #expect(try Support.gzipTest(file), "after kill \(run): gzip -t failed for \(file)")
            }
            if let newest = files.last, try !Support.gzipTest(newest) { tornAfterKill += 1 }
        }

        // A sink starting on the directory repairs the newest file.
        let repairer = RotatingGzipFileSink(configuration: .init(directory: directory, fileName: "crash"))
        repairer.flush()
        repairer.shutdown()

        var seen = [Int](repeating: 0, count: runs)  // next expected seq per run
        for file in Support.logFiles(directory) {
            #expect(try Support.gzipTest(file), "gzip -t failed for \(file)")
            for record in try Support.records(file) {
                guard let runText = record["run"] as? String, let run = Int(runText) else {
                    #expect(record["logger"] as? String == "spanlog", "unexpected record \(record)")
                    continue
                }
                let seq = try #require(record["seq"] as? Int)
                #expect(seq == seen[run], "run \(run): expected seq \(seen[run]), found \(seq)")
                seen[run] = seq + 1
            }
        }
        for run in 0..<runs {
            // Everything up to the last flush the child saw complete is there; what is missing is
            // only the tail after it.
            #expect(seen[run] > lastFlushed[run], "run \(run): last flushed \(lastFlushed[run]), found only up to \(seen[run] - 1)")
        }
        print("crash test: \(runs) kills, \(tornAfterKill) left a torn tail, last flushed per run \(lastFlushed), records kept per run \(seen)")
    }

    @Test("hourly rotation on UTC boundaries and retention by count follow the injected clock")
    func hourlyRotationAndCountRetention() throws {
        let directory = try Support.makeTemporaryDirectory("hourly")
        defer { Support.removeTree(directory) }
        let clock = ManualClock("2026-11-25T10:15:00Z")
        let sink = RotatingGzipFileSink(
            configuration: .init(directory: directory, fileName: "app", rotateInterval: .hourly, retainFiles: 3),
            clock: { clock.now() })
        defer { sink.shutdown() }
        func log(_ message: String) {
            Support.write(sink, #"{"message":"\#(message)"}"#)
            sink.flush()
        }
        log("a1")
        clock.set("2026-11-25T10:59:59Z")
        log("a2")
        #expect(Support.logFiles(directory).map { ($0 as NSString).lastPathComponent } == ["app-20261125T101500Z-0001.jsonl.gz"])
        clock.set("2026-11-25T11:00:00Z")
        log("b1")
        clock.set("2026-11-25T12:30:00Z")
        log("c1")
        #expect(Support.logFiles(directory).count == 3)
        clock.set("2026-11-25T13:30:05Z")
        log("d1")
        let names = Support.logFiles(directory).map { ($0 as NSString).lastPathComponent }
        #expect(names == [
            "app-20261125T110000Z-0001.jsonl.gz",
            "app-20261125T123000Z-0001.jsonl.gz",
            "app-20261125T133005Z-0001.jsonl.gz",
        ], "the oldest file goes first when more than 3 exist")
        let messages = try Support.logFiles(directory).map { try Support.records($0).compactMap { $0["message"] as? String } }
        #expect(messages == [["b1"], ["c1"], ["d1"]])
    }

    @Test("daily rotation at UTC midnight and retention by age")
    func dailyRotationAndAgeRetention() throws {
        let directory = try Support.makeTemporaryDirectory("daily")
        defer { Support.removeTree(directory) }
        let clock = ManualClock("2026-11-25T10:00:00Z")
        let sink = RotatingGzipFileSink(
            configuration: .init(directory: directory, fileName: "svc", rotateInterval: .daily, retainFiles: 100, retainDays: 1),
            clock: { clock.now() })
        defer { sink.shutdown() }
        func log(_ message: String) {
            Support.write(sink, #"{"message":"\#(message)"}"#)
            sink.flush()
        }
        log("day0")
        clock.set("2026-11-25T23:59:59Z")
        log("day0-late")
        clock.set("2026-11-26T00:00:00Z")
        log("day1")
        var names = Support.logFiles(directory).map { ($0 as NSString).lastPathComponent }
        #expect(names == ["svc-20261125T100000Z-0001.jsonl.gz", "svc-20261126T000000Z-0001.jsonl.gz"])
        // The first file ended at 2026-11-26T00:00; 24 h later it is not yet older than a day.
        clock.set("2026-11-27T00:00:00Z")
        log("day2")
        #expect(Support.logFiles(directory).count == 3)
        // A day and an hour after the first file ended (and the second is only an hour old).
        clock.set("2026-11-28T01:00:00Z")
        log("day3")
        names = Support.logFiles(directory).map { ($0 as NSString).lastPathComponent }
        #expect(names == [
            "svc-20261127T000000Z-0001.jsonl.gz",
            "svc-20261128T010000Z-0001.jsonl.gz",
        ])
        for file in Support.logFiles(directory) { #expect(try Support.gzipTest(file)) }
    }

    @Test("a restart starts a new file and never touches the old ones, even if the clock went back")
    func restartAppendsANewFile() throws {
        let directory = try Support.makeTemporaryDirectory("restart")
        defer { Support.removeTree(directory) }
        let clock = ManualClock("2026-11-25T15:04:05Z")
        for (index, message) in ["first", "second"].enumerated() {
            let sink = RotatingGzipFileSink(configuration: .init(directory: directory, fileName: "app"), clock: { clock.now() })
            Support.write(sink, #"{"message":"\#(message)"}"#)
            sink.shutdown()
            #expect(Support.logFiles(directory).count == index + 1)
        }
        let before = try Support.logFiles(directory).map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        clock.set("2026-11-24T00:00:00Z")  // the clock went back a day
        let sink = RotatingGzipFileSink(configuration: .init(directory: directory, fileName: "app"), clock: { clock.now() })
        Support.write(sink, #"{"message":"third"}"#)
        sink.shutdown()
        let files = Support.logFiles(directory)
        #expect(files.map { ($0 as NSString).lastPathComponent } == [
            "app-20261125T150405Z-0001.jsonl.gz",
            "app-20261125T150405Z-0002.jsonl.gz",
            "app-20261125T150405Z-0003.jsonl.gz",
        ], "names keep sorting in write order")
        #expect(try files.prefix(2).map { try Data(contentsOf: URL(fileURLWithPath: $0)) } == before)
        let messages = try files.map { try Support.records($0).compactMap { $0["message"] as? String } }
        #expect(messages == [["first"], ["second"], ["third"]])
    }

    @Test("a torn last member is cut off at start, reported, and nothing else is rewritten")
    func tornTailIsRepairedOnStart() throws {
        let directory = try Support.makeTemporaryDirectory("torn")
        defer { Support.removeTree(directory) }
        let clock = ManualClock("2026-11-25T15:04:05Z")
        let first = RotatingGzipFileSink(configuration: .init(directory: directory, fileName: "app"), clock: { clock.now() })
        for index in 0..<3 {
            Support.write(first, #"{"message":"kept \#(index)"}"#)
            first.flush()  // one member each
        }
        first.shutdown()
        let path = try #require(Support.logFiles(directory).first)
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))

        // Half of another member, as a write cut short by SIGKILL leaves it.
        let extra = try Support.makeTemporaryDirectory("torn-member")
        defer { Support.removeTree(extra) }
        let extraSink = RotatingGzipFileSink(configuration: .init(directory: extra, fileName: "x"), clock: { clock.now() })
        for index in 0..<50 { Support.write(extraSink, #"{"message":"lost \#(index)"}"#) }
        extraSink.shutdown()
        let member = try Data(contentsOf: URL(fileURLWithPath: try #require(Support.logFiles(extra).first)))
        let torn = member.prefix(member.count / 2)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: torn)
        try handle.close()
        #expect(try !Support.gzipTest(path))

        let second = RotatingGzipFileSink(configuration: .init(directory: directory, fileName: "app"), clock: { clock.now() })
        Support.write(second, #"{"message":"after restart"}"#)
        second.shutdown()

        let files = Support.logFiles(directory)
        #expect(files.count == 2)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == whole, "cut back to exactly its whole members")
        for file in files { #expect(try Support.gzipTest(file)) }
        #expect(try Support.records(path).compactMap { $0["message"] as? String } == ["kept 0", "kept 1", "kept 2"])
        let newRecords = try Support.records(files[1])
        let warning = try #require(newRecords.first { $0["spanlog.repaired_file"] != nil })
        #expect(warning["level"] as? String == "warning")
        #expect(warning["spanlog.repaired_file"] as? String == (path as NSString).lastPathComponent)
        #expect(warning["spanlog.dropped_bytes"] as? Int == torn.count)
        #expect(newRecords.compactMap { $0["message"] as? String }.contains("after restart"))
    }

    @Test("a newest file with no whole member is removed at start, and reported")
    func tornOnlyFileIsRemoved() throws {
        let directory = try Support.makeTemporaryDirectory("torn-only")
        defer { Support.removeTree(directory) }
        let clock = ManualClock("2026-11-25T15:04:05Z")
        let first = RotatingGzipFileSink(configuration: .init(directory: directory, fileName: "app"), clock: { clock.now() })
        Support.write(first, #"{"message":"kept"}"#)
        first.shutdown()
        let kept = try #require(Support.logFiles(directory).first)
        let keptBytes = try Data(contentsOf: URL(fileURLWithPath: kept))
        // The next file was created and killed during its first write.
        let tornPath = directory + "/app-20261125T150405Z-0002.jsonl.gz"
        _ = FileManager.default.createFile(atPath: tornPath, contents: keptBytes.prefix(9))

        let second = RotatingGzipFileSink(configuration: .init(directory: directory, fileName: "app"), clock: { clock.now() })
        Support.write(second, #"{"message":"after restart"}"#)
        second.shutdown()
        let names = Support.logFiles(directory).map { ($0 as NSString).lastPathComponent }
        // The empty name is free again, so the new file takes it.
        #expect(names == ["app-20261125T150405Z-0001.jsonl.gz", "app-20261125T150405Z-0002.jsonl.gz"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: kept)) == keptBytes)
        let records = try Support.records(tornPath)
        let warning = try #require(records.first)
        #expect(warning["spanlog.repaired_file"] as? String == "app-20261125T150405Z-0002.jsonl.gz")
        #expect(warning["spanlog.dropped_bytes"] as? Int == 9)
        #expect((warning["message"] as? String)?.contains("removed") == true)
    }

    @Test("another sink's files in the same directory are never repaired, rotated away or deleted")
    func otherNamesAreLeftAlone() throws {
        let directory = try Support.makeTemporaryDirectory("neighbours")
        defer { Support.removeTree(directory) }
        let clock = ManualClock("2026-11-25T10:00:00Z")
        // A neighbour whose name starts with ours, with a torn tail, and an unrelated file.
        let neighbour = directory + "/app-worker-20261125T090000Z-0001.jsonl.gz"
        let unrelated = directory + "/notes.txt"
        _ = FileManager.default.createFile(atPath: neighbour, contents: Data([0x1f, 0x8b, 0x08, 0x00, 0x01]))
        _ = FileManager.default.createFile(atPath: unrelated, contents: Data("keep me\n".utf8))
        let sink = RotatingGzipFileSink(
            configuration: .init(directory: directory, fileName: "app", rotateInterval: .hourly, retainFiles: 1, retainDays: 1),
            clock: { clock.now() })
        for hour in 10..<14 {
            clock.set("2026-11-2\(hour == 13 ? 8 : 5)T\(hour):00:00Z")
            Support.write(sink, #"{"message":"h\#(hour)"}"#)
            sink.flush()
        }
        sink.shutdown()
        #expect(try Data(contentsOf: URL(fileURLWithPath: neighbour)) == Data([0x1f, 0x8b, 0x08, 0x00, 0x01]))
        #expect(try String(contentsOfFile: unrelated, encoding: .utf8) == "keep me\n")
        let ours = Support.logFiles(directory).map { ($0 as NSString).lastPathComponent }.filter { !$0.hasPrefix("app-worker-") }
        #expect(ours == ["app-20261128T130000Z-0001.jsonl.gz"], "retainFiles 1 keeps only the active file")
    }

    @Test("a newest file that is a symlink is neither repaired nor written through")
    func symlinkIsRefused() throws {
        let directory = try Support.makeTemporaryDirectory("symlink")
        defer { Support.removeTree(directory) }
        let target = directory + "-target"
        _ = FileManager.default.createFile(atPath: target, contents: Data("not a log\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: target) }
        try FileManager.default.createSymbolicLink(atPath: directory + "/app-20261125T150405Z-0001.jsonl.gz", withDestinationPath: target)
        let clock = ManualClock("2026-11-25T15:04:05Z")
        let sink = RotatingGzipFileSink(configuration: .init(directory: directory, fileName: "app"), clock: { clock.now() })
        Support.write(sink, #"{"message":"hello"}"#)
        sink.shutdown()
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "not a log\n")
        let written = directory + "/app-20261125T150405Z-0002.jsonl.gz"
        #expect(try FileManager.default.attributesOfItem(atPath: written)[.type] as? FileAttributeType == .typeRegular)
        #expect(try Support.records(written).compactMap { $0["message"] as? String } == ["hello"])
    }

    @Test("files are 0640 in a 0750 directory")
    func permissions() throws {
        let parent = try Support.makeTemporaryDirectory("perm")
        defer { Support.removeTree(parent) }
        let directory = parent + "/nested/logs"
        let sink = RotatingGzipFileSink(configuration: .init(directory: directory, fileName: "app"))
        Support.write(sink, #"{"message":"hello"}"#)
        sink.shutdown()
        let file = try #require(Support.logFiles(directory).first)
        let fileMode = try #require(FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int)
        let directoryMode = try #require(FileManager.default.attributesOfItem(atPath: directory)[.posixPermissions] as? Int)
        let mask = Int(umask(0o022))
        umask(mode_t(mask))
        #expect(fileMode == 0o640 & ~mask)
        #expect(directoryMode == 0o750 & ~mask)
    }

    @Test("the drop policy counts exactly what it drops and reports it in the file", .timeLimit(.minutes(2)))
    func dropPolicyCountsExactly() async throws {
        let directory = try Support.makeTemporaryDirectory("drop")
        defer { Support.removeTree(directory) }
        let sink = RotatingGzipFileSink(configuration: .init(
            directory: directory, fileName: "app", rotateBytes: 64 * 1024, rotateInterval: .none,
            retainFiles: 100_000, gzipLevel: 9, queuePolicy: .drop, queueBytes: 4096))
        let tasks = 4
        let perTask = 20_000
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    for seq in 0..<perTask {
                        Support.write(sink, #"{"task":\#(task),"seq":\#(seq),"text":"some text to compress \#(seq * 7919 % 10007)"}"#)
                    }
                }
            }
        }
        sink.shutdown()
        let dropped = Int(sink.droppedRecords)
        #expect(dropped > 0, "a 4 KiB queue against 4 writers at full speed must drop")
        var kept = 0
        var reported = 0
        for file in Support.logFiles(directory) {
            #expect(try Support.gzipTest(file))
            for record in try Support.records(file) {
                if record["task"] != nil {
                    kept += 1
                } else {
                    reported += try #require(record["spanlog.dropped_records"] as? Int)
                }
            }
        }
        #expect(kept + dropped == tasks * perTask)
        #expect(reported == dropped)
    }

    @Test("flush(fsync:) and records written after shutdown are counted")
    func flushWithFsyncAndWritesAfterShutdown() throws {
        let directory = try Support.makeTemporaryDirectory("fsync")
        defer { Support.removeTree(directory) }
        let sink = RotatingGzipFileSink(configuration: .init(directory: directory, fileName: "app", flushIntervalMilliseconds: 60_000))
        Support.write(sink, #"{"message":"durable"}"#)
        sink.flush(fsync: true)
        // Visible on disk before shutdown although the flush interval is a minute.
        let file = try #require(Support.logFiles(directory).first)
        #expect(try Support.records(file).compactMap { $0["message"] as? String } == ["durable"])
        sink.shutdown()
        Support.write(sink, #"{"message":"too late"}"#)
        #expect(sink.droppedRecords == 1)
    }
}
