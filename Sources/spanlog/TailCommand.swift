import ArgumentParser
import SpanLogReader
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `spanlog tail [-f] <dir>`: the last records of each service's newest file, and with `-f`
/// everything written after them, across rotations.
struct TailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Print the last records of each service's newest log file; with -f, keep following them across rotations.",
        discussion: """
            A gzip file is written as whole members per flush: following re-reads the complete members \
            appended since the last look. Each service's files (the same name before the rotation stamp) \
            are followed on their own: a file is left for the next one of the same service only, after \
            it was read to its end. Stop with Ctrl-C.
            """
    )

    @Argument(help: ArgumentHelp("The log directory (or one file).", valueName: "dir"))
    var directory: String

    @Flag(name: .shortAndLong, help: "Keep reading as the logs grow and rotate.")
    var follow = false

    @Option(name: [.customShort("n"), .long], help: ArgumentHelp("How many records to print first.", valueName: "n"))
    var lines: Int = 10

    @Option(help: ArgumentHelp("How often to look for new data when following, in milliseconds.", valueName: "ms"))
    var interval: Int = 250

    @Flag(help: "One readable line per record instead of JSON (colour on a terminal).")
    var pretty = false

    func validate() throws {
        guard self.lines >= 0 else { throw ValidationError("-n must not be negative") }
        guard (10...60_000).contains(self.interval) else { throw ValidationError("--interval must be between 10 and 60000 ms") }
    }

    func run() throws {
        var status = stat()
        guard stat(self.directory, &status) == 0 else {
            throw ValidationError("\(self.directory): no such file or directory")
        }
        let reporter = IssueReporter()
        let follower = LogFollower(directory: self.directory, initialLines: self.lines, issues: reporter.handler)
        let formatter = PrettyFormatter(style: TerminalStyle(enabled: Terminal.standardOutput.wantsColor))
        let pretty = self.pretty
        var printed = 0
        let emit: (UnsafeRawBufferPointer) -> Void = { bytes in
            if pretty, let record = try? LogLine(bytes: bytes, location: .init(fileIndex: 0, offset: 0)) {
                Terminal.standardOutput.writeLine(formatter.format(record))
            } else {
                Terminal.standardOutput.writeLine(TerminalText.escapedJSONLine(String(decoding: bytes, as: UTF8.self)))
            }
        }
        printed += follower.poll(emit)
        Terminal.standardOutput.flush()
        guard self.follow else {
            if follower.currentFile == nil, !reporter.hadErrors {
                Terminal.standardError.writeLine("spanlog: no log files in \(self.directory)")
            }
            throw ExitStatus.of(found: printed > 0, errors: reporter.hadErrors).exitCode
        }
        while true {
            usleep(UInt32(self.interval) * 1000)
            // Whoever read the output is gone (`tail -f | head`, a closed terminal): stop even
            // when nothing new is written.
            if Terminal.standardOutput.readerHasGone { throw ExitStatus.of(found: printed > 0, errors: reporter.hadErrors).exitCode }
            if follower.poll(emit) > 0 {
                Terminal.standardOutput.flush()
            }
        }
    }
}
