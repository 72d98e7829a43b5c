#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
internal import SpanLogFormat

/// Writes one line, prefixed `spanlog: `, to standard error: for problems that must be seen even
/// when logging itself is what failed.
func reportToStandardError(_ message: String) {
    var line = "spanlog: " + message + "\n"
    line.withUTF8 { _ = FileDescriptorIO.writeAll(STDERR_FILENO, UnsafeRawBufferPointer($0)) }
}
