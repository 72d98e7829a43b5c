import Foundation
import Logging
import SpanLog
import Testing

@Suite("ConsoleSink")
struct ConsoleSinkTests {
    @Test("16 tasks × 10k records through one sink: exactly 160k whole lines, per-task order kept")
    func concurrentWholeLines() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("out.jsonl").path
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        #expect(fd >= 0)
        // A small queue so that callers really do wait for the writer thread.
        let sink = ConsoleSink(fileDescriptor: fd, queueBytes: 64 * 1024)
        let pipeline = LogPipeline(sinks: [sink])
        let logger = Logger(label: "load") { SpanLogHandler(label: $0, pipeline: pipeline) }
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<16 {
                group.addTask {
                    for index in 0..<10_000 {
                        logger.info("record", metadata: ["task": "\(task)", "i": "\(index)", "pad": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"])
                    }
                }
            }
        }
        sink.shutdown()
        close(fd)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.last == "")
        #expect(lines.count - 1 == 160_000)
        var next = [Int](repeating: 0, count: 16)
        for line in lines.dropLast() {
            let object = try #require(parseJSONObject(String(line)))
            let task = Int(object["task"] as! String)!
            let index = Int(object["i"] as! String)!
            #expect(index == next[task])
            next[task] = index + 1
        }
        #expect(next == [Int](repeating: 10_000, count: 16))
        #expect(sink.droppedRecords == 0)
    }

    @Test("flush() returns after the bytes reached the file; writes after shutdown still arrive")
    func flushAndShutdown() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("out.log").path
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        defer { close(fd) }
        let sink = ConsoleSink(fileDescriptor: fd)
        let pipeline = LogPipeline(sinks: [sink])
        let logger = Logger(label: "f") { SpanLogHandler(label: $0, pipeline: pipeline) }
        logger.info("one")
        pipeline.flush()
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("\"one\""))
        pipeline.shutdown()
        logger.info("after-shutdown")
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("\"after-shutdown\""))
    }

    @Test("drop policy: a full queue drops and counts, and the count is reported in the stream")
    func dropPolicy() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A FIFO nobody reads until we say so keeps the writer thread stuck, so the queue fills.
        let fifo = directory.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let readFD = open(fifo, O_RDONLY | O_NONBLOCK)
        let writeFD = open(fifo, O_WRONLY)
        #expect(readFD >= 0 && writeFD >= 0)
        _ = fcntl(readFD, F_SETFL, 0)
        defer { close(readFD) }
        let sink = ConsoleSink(fileDescriptor: writeFD, queueBytes: 4096, queuePolicy: .drop)
        let pipeline = LogPipeline(sinks: [sink])
        let logger = Logger(label: "d") { SpanLogHandler(label: $0, pipeline: pipeline) }
        let payload = String(repeating: "p", count: 900)
        for index in 0..<2000 { logger.info("r\(index)", metadata: ["p": .string(payload)]) }
        let dropped = sink.droppedRecords
        #expect(dropped > 0)
        // Drain the FIFO on a thread of its own (not a task: the cooperative pool may be busy
        // with other tests for longer than the sink's shutdown waits) while the sink shuts down.
        let drained = DrainedBytes()
        let reader = Thread {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = read(readFD, &buffer, buffer.count)
                if count <= 0 { break }
                drained.append(buffer[0..<count])
            }
            drained.finish()
        }
        reader.start()
        sink.shutdown()
        close(writeFD)
        let text = String(decoding: drained.waitForEnd(), as: UTF8.self)
        let objects = text.split(separator: "\n").compactMap { parseJSONObject(String($0)) }
        let written = objects.filter { $0["logger"] as? String == "d" }.count
        let reported = objects.filter { $0["logger"] as? String == "spanlog" }.compactMap { $0["spanlog.dropped_records"] as? Int }.reduce(0, +)
        #expect(written + Int(dropped) == 2000)
        #expect(reported == Int(dropped))
    }
}

/// Bytes a reader thread collects, and a wait for its end.
private final class DrainedBytes: @unchecked Sendable {
    private let condition = NSCondition()
    private var data = Data()
    private var ended = false

    func append(_ bytes: ArraySlice<UInt8>) {
        self.condition.withLock { self.data.append(contentsOf: bytes) }
    }

    func finish() {
        self.condition.withLock {
            self.ended = true
            self.condition.broadcast()
        }
    }

    func waitForEnd() -> Data {
        self.condition.withLock {
            while !self.ended { self.condition.wait() }
            return self.data
        }
    }
}
