import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
internal import SpanLogFormat

/// Buffered, thread-safe writing to stdout and stderr, and whether they are terminals.
final class Terminal: Sendable {
    static let standardOutput = Terminal(fileDescriptor: 1)
    static let standardError = Terminal(fileDescriptor: 2)

    let fileDescriptor: Int32
    let isTerminal: Bool
    private let buffer = Mutex<[UInt8]>([])

    init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
        self.isTerminal = isatty(fileDescriptor) == 1
    }

    /// Colour only on a terminal, and never when `NO_COLOR` is set.
    var wantsColor: Bool {
        self.isTerminal && getenv("NO_COLOR") == nil && getenv("TERM").map { String(cString: $0) } != "dumb"
    }

    /// The terminal's width in columns when this output is a terminal: `TIOCGWINSZ`, else
    /// `COLUMNS`; `nil` for a pipe or a file (their lines are not cut).
    var columns: Int? {
        guard self.isTerminal else { return nil }
        var size = winsize()
        if ioctl(self.fileDescriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        guard let text = getenv("COLUMNS").map({ String(cString: $0) }), let value = Int(text), value > 0 else { return nil }
        return value
    }

    /// Appends text; stderr is written through at once, stdout in 64 KiB pieces.
    func write(_ text: String) {
        self.buffer.withLock { buffer in
            buffer.append(contentsOf: text.utf8)
            if self.fileDescriptor == 2 || buffer.count >= 65_536 {
                Self.writeAll(self.fileDescriptor, buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
    }

    /// Appends one line (a newline is added).
    func writeLine(_ text: String) {
        self.write(text + "\n")
    }

    /// Whether this output is a pipe whose reader has closed it, or a terminal that hung up
    /// (`POLLERR`/`POLLHUP` on the descriptor), found without writing.
    var readerHasGone: Bool {
        var entry = pollfd(fd: self.fileDescriptor, events: 0, revents: 0)
        return poll(&entry, 1, 0) == 1 && (Int32(entry.revents) & (POLLERR | POLLHUP)) != 0
    }

    func flush() {
        self.buffer.withLock { buffer in
            Self.writeAll(self.fileDescriptor, buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }

    private static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) {
        // A reader that went away (`spanlog … | head`) ends the command quietly.
        if FileDescriptorIO.writeAll(descriptor, bytes) == EPIPE { exit(0) }
    }
}
