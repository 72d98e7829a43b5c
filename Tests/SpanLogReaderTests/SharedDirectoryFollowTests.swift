import Foundation
import SpanLogReader
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("tail -f in a directory several services share")
struct SharedDirectoryFollowTests {
    /// Records of two services written alternately into one directory, each rotating on its own.
    final class TwoServices {
        let directory: TemporaryDirectory
        private(set) var written: [String] = []
        private var counter = 0
        private var fileOf: [String: String] = [:]
        private var rotations: [String: Int] = [:]
        let trace = randomHex(32)

        init() throws {
            self.directory = try TemporaryDirectory("spanlog-shared")
        }

        /// The service's current file name: its own rotation count picks the stamp, so the two
        /// services' files interleave in time.
        func fileName(_ service: String) -> String {
            let rotation = self.rotations[service, default: 0]
            let minute = rotation * 2 + (service == "alpha" ? 0 : 1)
            return "\(service)-20261125T15\(String(format: "%02d", minute))00Z-0001.jsonl.gz"
        }

        /// One record from `service`, flushed as its own member.
        func write(_ service: String) throws {
            let line = logRecord(at: DamageTests.base + Int64(self.counter), message: "\(service) \(self.counter)", trace: self.trace, span: nil)
            self.counter += 1
            let name = self.fileName(service)
            if FileManager.default.fileExists(atPath: self.directory.file(name)) {
                try self.directory.append(name, gzipMember(line + "\n"))
            } else {
                try self.directory.write(name, gzipMember(line + "\n"))
            }
            self.written.append(line)
        }

        func rotate(_ service: String) {
            self.rotations[service, default: 0] += 1
        }
    }

    static func messages(_ lines: [String]) -> [String] {
        lines.compactMap { try? LogLine(text: $0).message }
    }

    @Test("each service's active file is followed until its own successor appears and it is drained: nothing skipped, nothing twice")
    func twoServicesAlternately() throws {
        let services = try TwoServices()
        try services.write("alpha")
        let issues = IssueLog()
        let follower = LogFollower(directory: services.directory.path, initialLines: 10, issues: issues.handler)
        var seen: [String] = []
        let collect: (UnsafeRawBufferPointer) -> Void = { seen.append(String(decoding: $0, as: UTF8.self)) }
        follower.poll(collect)
        for step in 0..<24 {
            // Alternate writers; each rotates every fifth record of its own, and sometimes a
            // service writes twice between polls.
            try services.write(step % 2 == 0 ? "beta" : "alpha")
            if step % 3 == 0 { try services.write("alpha") }
            if step % 5 == 4 { services.rotate(step % 2 == 0 ? "beta" : "alpha") }
            follower.poll(collect)
        }
        follower.poll(collect)
        #expect(Set(seen).count == seen.count, "a record printed twice")
        #expect(Set(Self.messages(seen)) == Set(Self.messages(services.written)),
                "missing: \(Set(Self.messages(services.written)).subtracting(Self.messages(seen)).sorted())")
        // Within one service, records come in the order written.
        for service in ["alpha", "beta"] {
            let mine = Self.messages(seen).filter { $0.hasPrefix(service) }
            #expect(mine == Self.messages(services.written).filter { $0.hasPrefix(service) })
        }
        #expect(follower.followedFiles.count == 2)
        #expect(issues.issues.isEmpty, "\(issues.issues)")
    }

    @Test("the first poll shows the last lines of each service's newest file")
    func initialLinesPerService() throws {
        let services = try TwoServices()
        for _ in 0..<4 {
            try services.write("alpha")
            try services.write("beta")
        }
        let follower = LogFollower(directory: services.directory.path, initialLines: 2, issues: { _ in })
        var seen: [String] = []
        follower.poll { seen.append(String(decoding: $0, as: UTF8.self)) }
        #expect(Self.messages(seen) == ["alpha 4", "alpha 6", "beta 5", "beta 7"])
    }

    @Test("a service that appears later is printed whole, from its oldest file, even when it rotated before the next look")
    func serviceAppearingLater() throws {
        let services = try TwoServices()
        try services.write("alpha")
        let follower = LogFollower(directory: services.directory.path, initialLines: 10, issues: { _ in })
        var seen: [String] = []
        follower.poll { seen.append(String(decoding: $0, as: UTF8.self)) }
        try services.write("beta")
        try services.write("beta")
        services.rotate("beta")
        try services.write("beta")
        try services.write("alpha")
        follower.poll { seen.append(String(decoding: $0, as: UTF8.self)) }
        #expect(Self.messages(seen) == ["alpha 0", "alpha 4", "beta 1", "beta 2", "beta 3"])
    }

    @Test("spanlog tail -f prints the records of both services as they are written")
    func commandLine() throws {
        let services = try TwoServices()
        try services.write("alpha")
        let tail = try SpanLogBinary.Running(["tail", "-f", "--interval", "20", services.directory.path])
        defer { tail.stop() }
        var received: [String] { tail.lines }
        func waitFor(_ count: Int) { tail.waitFor(lines: count) }
        waitFor(1)
        try services.write("beta")      // a newer file of another service appears
        waitFor(2)
        try services.write("alpha")     // alpha's file is still active
        waitFor(3)
        services.rotate("beta")
        try services.write("beta")
        try services.write("alpha")
        waitFor(5)
        // Between two looks, the services' new records come service by service.
        #expect(Self.messages(received).sorted() == Self.messages(services.written).sorted())
        #expect(Self.messages(received).prefix(3) == ["alpha 0", "beta 1", "alpha 2"])
    }
}
