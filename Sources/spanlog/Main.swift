import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Entry point: runs ``SpanLogCommand`` and maps every failure to grep's exit status 2 with one
/// line on stderr (argument-parser's own default for usage errors is 64).
@main
enum SpanLogMain {
    static func main() {
        do {
            var command = try SpanLogCommand.parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            Terminal.standardOutput.flush()
            exit(code.rawValue)
        } catch {
            Terminal.standardOutput.flush()
            if SpanLogCommand.exitCode(for: error) == .success {
                SpanLogCommand.exit(withError: error)
            }
            var message = SpanLogCommand.fullMessage(for: error).trimmingSuffix()
            if message.hasPrefix("Error: ") { message.removeFirst("Error: ".count) }
            Terminal.standardError.write("spanlog: " + message + "\n")
            exit(ExitStatus.error.rawValue)
        }
    }
}

extension String {
    func trimmingSuffix() -> String {
        var text = Substring(self)
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return String(text)
    }
}
