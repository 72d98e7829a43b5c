import Foundation
import PythonPeers

/// A CA, a server certificate for 127.0.0.1 and localhost, a client certificate, a key that
/// matches neither, another CA and an encrypted key, made fresh by
/// `Receiver/make_test_certificates.py` (Python `cryptography`, no `openssl` command) in a
/// directory of their own, removed by ``remove()``.
struct TestCertificates {
    let directory: URL

    var ca: String { self.path("ca.pem") }
    var otherCA: String { self.path("other-ca.pem") }
    var server: String { self.path("server.pem") }
    var serverKey: String { self.path("server-key.pem") }
    var client: String { self.path("client.pem") }
    var clientKey: String { self.path("client-key.pem") }
    var wrongKey: String { self.path("wrong-key.pem") }
    var encryptedKey: String { self.path("encrypted-key.pem") }
    /// A file that exists but is not PEM.
    var notPEM: String { self.path("not-pem.txt") }
    /// A path where no file is.
    var missing: String { self.path("no-such-file.pem") }

    func path(_ name: String) -> String { self.directory.appendingPathComponent(name).path }

    /// One set of files for the whole test process (made once: each Python start costs a second
    /// on a busy machine), or `nil` when Python peers are skipped on purpose. Nobody removes
    /// them: they are a few kilobytes in the temporary directory.
    static func shared() async throws -> TestCertificates? {
        try await Self.sharedFiles.value
    }

    private static let sharedFiles = Task { try await TestCertificates.make() }

    /// Makes the files, or returns `nil` when Python peers are skipped on purpose.
    static func make() async throws -> TestCertificates? {
        guard let python = try await PythonPeers.interpreter() else { return nil }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("spanlog-tls-\(UUID().uuidString)")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Receiver/make_test_certificates.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, directory.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Bounded: four EC keys take milliseconds; give it 60 s on a busy machine.
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw ReceiverError("make_test_certificates.py did not finish within 60 s")
        }
        guard process.terminationStatus == 0 else {
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw ReceiverError("make_test_certificates.py failed: \(text)")
        }
        let certificates = TestCertificates(directory: directory)
        try Data("this is not a PEM file\n".utf8).write(to: URL(fileURLWithPath: certificates.notPEM))
        return certificates
    }

    func remove() {
        try? FileManager.default.removeItem(at: self.directory)
    }
}
