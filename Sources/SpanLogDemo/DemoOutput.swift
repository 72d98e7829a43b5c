import Foundation

/// Writes `text` and `terminator` to standard output at once (unbuffered), so progress reaches a
/// pipe as it is printed and interleaves cleanly with the console sink's records.
func say(_ text: String = "", terminator: String = "\n") {
    FileHandle.standardOutput.write(Data((text + terminator).utf8))
}
