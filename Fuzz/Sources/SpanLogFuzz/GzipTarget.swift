internal import Foundation
@testable import SpanLogFormat
@testable import SpanLogReader

/// The gzip member reader (`SpanLogFormat/GzipMemberReader`): the input is a log file's
/// contents, gzip or not, whole or torn.
///
/// It is read three ways, as SpanLog reads files: the file sink's repair scan
/// (`GzipMemberReader.scanMembers`), the reader (`LogFileReader`, every line decoded as a
/// record), and the member reader driven in small input and output steps, which must find the
/// same whole members as the scan.
enum GzipTarget {
    /// Input step sizes for the stepped read, used in turn.
    static let inputSteps = [1, 13, 512, 3, 4096]
    /// Output space per step in the stepped read.
    static let outputStep = 509
    /// Decompressed bytes after which the stepped read gives up (and the comparison is skipped).
    static let outputLimit = 32 << 20

    static func run(_ input: UnsafeRawBufferPointer) {
        let path = ScratchFolder.write(input, as: "gzip-input.jsonl.gz")
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0, let scan = GzipMemberReader.scanMembers(fd: descriptor) else {
            fatalError("SpanLogFuzz: cannot scan \(path)")
        }
        close(descriptor)
        require(scan.fileBytes == input.count && scan.validBytes <= scan.fileBytes, "scan out of the file: \(scan)")
        if let stepped = self.membersInSmallSteps(input) {
            require(
                stepped.members == scan.members && stepped.validBytes == scan.validBytes,
                "stepped read found \(stepped.members) members in \(stepped.validBytes) bytes, the scan \(scan.members) in \(scan.validBytes)")
        }
        self.readRecords(path, fileBytes: UInt64(input.count))
    }

    /// Whole members and the bytes they cover, read with `inputSteps` and `outputStep` until
    /// damage or the end; nil past `outputLimit`.
    static func membersInSmallSteps(_ input: UnsafeRawBufferPointer) -> (members: Int, validBytes: Int)? {
        guard let gzip = GzipMemberReader() else { fatalError("SpanLogFuzz: zlib could not be initialised") }
        let output = UnsafeMutableRawBufferPointer.allocate(byteCount: self.outputStep, alignment: 16)
        defer { output.deallocate() }
        var offset = 0
        var members = 0
        var validBytes = 0
        var produced = 0
        var step = 0
        while offset < input.count {
            let size = min(self.inputSteps[step % self.inputSteps.count], input.count - offset)
            step += 1
            let result = gzip.inflate(UnsafeRawBufferPointer(rebasing: input[offset..<(offset + size)]), into: output)
            require(result.consumed <= size && result.produced <= output.count, "inflate reported more than it was given: \(result)")
            offset += result.consumed
            produced += result.produced
            if produced > self.outputLimit { return nil }
            switch result.event {
            case .memberEnded:
                members += 1
                validBytes = offset
            case .progressed:
                continue
            case .stalled:
                if result.consumed == 0 && result.produced == 0 && offset + size >= input.count { return (members, validBytes) }
            case .damaged:
                return (members, validBytes)
            }
        }
        return (members, validBytes)
    }

    /// Reads the file as `spanlog` does, decoding every line; member ends must rise within the
    /// file and the decompressed offsets of lines must rise too.
    static func readRecords(_ path: String, fileBytes: UInt64) {
        let reader: LogFileReader
        do throws(ReadIssue) {
            reader = try LogFileReader(path: path) { _ in }
        } catch {
            fatalError("SpanLogFuzz: cannot open \(path): \(error)")
        }
        var lastMemberEnd: UInt64 = 0
        reader.memberEnded = { end, _ in
            require(end > lastMemberEnd && end <= fileBytes, "member end \(end) after \(lastMemberEnd), file of \(fileBytes) bytes")
            lastMemberEnd = end
        }
        var nextLineOffset: UInt64 = 0
        let consume: (UnsafeRawBufferPointer, UInt64) -> Void = { block, blockOffset in
            LineSplitter.forEachLine(in: block, startingAt: blockOffset) { line, offset in
                require(offset >= nextLineOffset, "line at \(offset) before the previous line's end \(nextLineOffset)")
                nextLineOffset = offset + UInt64(line.count)
                if let record = try? LogLine(bytes: line, location: .init(fileIndex: 0, offset: offset)) {
                    JSONTarget.readEveryField(of: record)
                }
            }
        }
        while reader.readAvailable(consume) > 0 {}
        reader.finish(consume)
        require(reader.bytesRead == fileBytes, "read \(reader.bytesRead) of \(fileBytes) bytes")
    }
}
