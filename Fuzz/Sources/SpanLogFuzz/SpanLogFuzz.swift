internal import CLibFuzzer
internal import Foundation

/// The fuzz program: `SpanLogFuzz <target> [arguments]`.
///
/// - Built with `-sanitize=fuzzer,address -DSPANLOG_FUZZER` (`Fuzz/run.sh`), the arguments after
///   the target are libFuzzer's: flags and corpus folders.
/// - Built plainly, the arguments are files and folders whose files are run once each: the
///   corpus as a regression set.
/// - `SpanLogFuzz seeds <folder>` writes the generated seed corpus (`Fuzz/Corpus`).
@main
enum SpanLogFuzz {
    /// The target being run; set once, before the first input.
    nonisolated(unsafe) static var target: FuzzTarget = .json

    /// Where libFuzzer's re-executed children (`-fork`, `-jobs`) find the target, since they get
    /// libFuzzer's arguments only.
    static let targetVariable = "SPANLOG_FUZZ_TARGET"

    static func main() {
        var arguments = CommandLine.arguments
        let program = arguments.removeFirst()
        if arguments.first == "seeds" {
            guard arguments.count == 2 else { usage() }
            SeedCorpus.write(to: arguments[1])
            return
        }
        if let name = arguments.first, let target = FuzzTarget(rawValue: name) {
            arguments.removeFirst()
            self.target = target
            setenv(self.targetVariable, name, 1)
        } else if let name = ProcessInfo.processInfo.environment[self.targetVariable], let target = FuzzTarget(rawValue: name) {
            self.target = target
        } else {
            usage()
        }
        #if SPANLOG_FUZZER
        exit(runLibFuzzer(program: program, arguments: arguments))
        #else
        exit(replay(arguments))
        #endif
    }

    /// Runs one input through the selected target.
    static func run(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        self.target.run(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))
        return 0
    }

    #if SPANLOG_FUZZER
    /// Hands the program name and libFuzzer's arguments to libFuzzer's driver.
    static func runLibFuzzer(program: String, arguments: [String]) -> CInt {
        var argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
        var argc = CInt(argv.count - 1)
        return argv.withUnsafeMutableBufferPointer { buffer in
            var pointer = buffer.baseAddress
            return LLVMFuzzerRunDriver(&argc, &pointer) { data, size in SpanLogFuzz.run(data, size) }
        }
    }
    #endif

    /// Runs every file named, and every file in every folder named, once; 0 when all ran (a
    /// crash ends the process).
    static func replay(_ paths: [String]) -> CInt {
        let files = FileManager.default
        var inputs: [String] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard files.fileExists(atPath: path, isDirectory: &isFolder) else {
                printError("SpanLogFuzz: \(path): no such file or folder")
                return 2
            }
            if isFolder.boolValue {
                let names = (try? files.contentsOfDirectory(atPath: path)) ?? []
                inputs += names.filter { !$0.hasPrefix(".") }.sorted().map { path + "/" + $0 }
            } else {
                inputs.append(path)
            }
        }
        for input in inputs {
            guard let data = files.contents(atPath: input) else {
                printError("SpanLogFuzz: \(input): cannot be read")
                return 2
            }
            let bytes = [UInt8](data)
            _ = bytes.withUnsafeBufferPointer { self.run($0.baseAddress, $0.count) }
        }
        print("\(self.target.rawValue): \(inputs.count) inputs replayed, no crash")
        return 0
    }

    static func usage() -> Never {
        let targets = FuzzTarget.allCases.map { "  \($0.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0)) \($0.summary)" }
        printError("""
            usage: SpanLogFuzz <target> [libFuzzer flags] [corpus folders]   (the -sanitize=fuzzer build)
                   SpanLogFuzz <target> <files or folders>...                (the plain build: replays them)
                   SpanLogFuzz seeds <corpus folder>                         (writes the seed corpus)
            targets:
            \(targets.joined(separator: "\n"))
            """)
        exit(2)
    }
}

/// libFuzzer's entry point. The fuzzer build links libFuzzer's own `main` object, which needs
/// it; the program's `main` (above) runs instead and calls `LLVMFuzzerRunDriver`.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    SpanLogFuzz.run(data, size)
}

/// Writes `message` and a newline to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Stops the process (a crash libFuzzer records) when a property every input must keep fails.
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("property violated: \(message())") }
}
