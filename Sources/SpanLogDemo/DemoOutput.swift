import Foundation

/// Writes one line to standard output at once (unbuffered), so progress reaches a pipe as it is
/// printed and interleaves cleanly with the console sink's records.
func say(_ line: String = "") {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
