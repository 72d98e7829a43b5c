#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOSSL
import SpanLogFormat

/// The TLS files of an ``OTLPExporterConfiguration/TLS``, loaded and checked once, when the
/// exporter is made: what the transports hand to NIOSSL (AsyncHTTPClient) and to grpc-swift,
/// and the problems found, each with its fallback. A problem never turns TLS off.
///
/// ```swift
/// let (material, problems) = OTLPTLSMaterial.load(configuration.tls)
/// for problem in problems { print(problem.setting, problem.path, problem.problem, problem.fallback) }
/// ```
struct OTLPTLSMaterial: Sendable {
    /// Which file a problem concerns.
    enum Setting: Sendable {
        case certificate, clientCertificate, clientKey
    }

    /// A file that cannot be used, and what is used instead.
    struct Problem: Sendable {
        let setting: Setting
        let path: String
        let problem: String
        let fallback: String
    }

    /// CA certificates to trust instead of the system's store; `nil` for the system's.
    var trustRoots: [NIOSSLCertificate]?
    /// The client's chain, leaf first; empty without mTLS.
    var clientChain: [NIOSSLCertificate] = []
    /// The client's key; `nil` without mTLS.
    var clientKey: NIOSSLPrivateKey?
    /// The files' checked bytes, for grpc-swift's TLS configuration.
    var trustRootsPEM: [UInt8]?
    var clientChainPEM: [UInt8] = []
    var clientKeyPEM: [UInt8] = []

    /// The largest file read (a CA bundle of a few hundred certificates fits).
    static let maximumFileSize = 1 << 20
    static let systemStore = "the system trust store (still TLS)"
    static let noClientCertificate = "no client certificate (still TLS)"

    /// Loads and checks the files `tls` names.
    static func load(_ tls: OTLPExporterConfiguration.TLS) -> (OTLPTLSMaterial, [Problem]) {
        var material = OTLPTLSMaterial()
        var problems: [Problem] = []
        if let path = tls.certificateFile {
            switch Self.certificates(at: path) {
            case .success(let (certificates, bytes)):
                material.trustRoots = certificates
                material.trustRootsPEM = bytes
            case .failure(let problem): problems.append(Problem(setting: .certificate, path: path, problem: problem.text, fallback: Self.systemStore))
            }
        }
        switch (tls.clientCertificateFile, tls.clientKeyFile) {
        case (nil, nil):
            break
        case (let path?, nil):
            problems.append(Problem(setting: .clientCertificate, path: path, problem: "is set without a client key", fallback: Self.noClientCertificate))
        case (nil, let path?):
            problems.append(Problem(setting: .clientKey, path: path, problem: "is set without a client certificate", fallback: Self.noClientCertificate))
        case (let certificatePath?, let keyPath?):
            let chain: [NIOSSLCertificate]
            let chainBytes: [UInt8]
            switch Self.certificates(at: certificatePath) {
            case .success(let (certificates, bytes)):
                chain = certificates
                chainBytes = bytes
            case .failure(let problem):
                problems.append(Problem(setting: .clientCertificate, path: certificatePath, problem: problem.text, fallback: Self.noClientCertificate))
                return (material, problems)
            }
            let key: NIOSSLPrivateKey
            let keyBytes: [UInt8]
            switch Self.privateKey(at: keyPath) {
            case .success(let (loaded, bytes)):
                key = loaded
                keyBytes = bytes
            case .failure(let problem):
                problems.append(Problem(setting: .clientKey, path: keyPath, problem: problem.text, fallback: Self.noClientCertificate))
                return (material, problems)
            }
            guard Self.keyMatches(key, chain[0]) else {
                problems.append(Problem(
                    setting: .clientKey, path: keyPath,
                    problem: "does not match the client certificate \(certificatePath.debugDescription)",
                    fallback: Self.noClientCertificate))
                return (material, problems)
            }
            material.clientChain = chain
            material.clientKey = key
            material.clientChainPEM = chainBytes
            material.clientKeyPEM = keyBytes
        }
        return (material, problems)
    }

    /// Why a file could not be used.
    struct FileProblem: Error {
        let text: String
    }

    /// The PEM certificates in the file at `path` (at least one), and the file's bytes.
    static func certificates(at path: String) -> Result<([NIOSSLCertificate], [UInt8]), FileProblem> {
        let bytes: [UInt8]
        switch Self.contents(of: path) {
        case .success(let read): bytes = read
        case .failure(let problem): return .failure(problem)
        }
        guard Self.contains(bytes, Array("-----BEGIN CERTIFICATE-----".utf8)) else {
            return .failure(FileProblem(text: "is not a PEM file with a certificate (no -----BEGIN CERTIFICATE----- line)"))
        }
        guard let certificates = try? NIOSSLCertificate.fromPEMBytes(bytes), !certificates.isEmpty else {
            return .failure(FileProblem(text: "holds a PEM certificate that cannot be parsed"))
        }
        return .success((certificates, bytes))
    }

    /// The unencrypted PEM private key in the file at `path`, and the file's bytes.
    static func privateKey(at path: String) -> Result<(NIOSSLPrivateKey, [UInt8]), FileProblem> {
        let bytes: [UInt8]
        switch Self.contents(of: path) {
        case .success(let read): bytes = read
        case .failure(let problem): return .failure(problem)
        }
        guard Self.contains(bytes, Array("-----BEGIN ".utf8)), Self.contains(bytes, Array(" PRIVATE KEY-----".utf8)) else {
            return .failure(FileProblem(text: "is not a PEM file with a private key (no -----BEGIN … PRIVATE KEY----- line)"))
        }
        if Self.contains(bytes, Array("-----BEGIN ENCRYPTED PRIVATE KEY-----".utf8)) || Self.contains(bytes, Array("Proc-Type: 4,ENCRYPTED".utf8)) {
            return .failure(FileProblem(text: "holds an encrypted private key (only unencrypted keys are supported)"))
        }
        // A passphrase callback that refuses: BoringSSL's default would prompt on stdin.
        let refuse: NIOSSLPassphraseCallback<[UInt8]> = { _ in throw FileProblem(text: "encrypted") }
        guard let key = try? NIOSSLPrivateKey(bytes: bytes, format: .pem, passphraseCallback: refuse) else {
            return .failure(FileProblem(text: "holds a PEM private key that cannot be parsed"))
        }
        return .success((key, bytes))
    }

    /// Whether `key` belongs to `certificate`: BoringSSL checks the pair when a context is made
    /// with both.
    static func keyMatches(_ key: NIOSSLPrivateKey, _ certificate: NIOSSLCertificate) -> Bool {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateChain = [.certificate(certificate)]
        configuration.privateKey = .privateKey(key)
        return (try? NIOSSLContext(configuration: configuration)) != nil
    }

    /// The file's bytes, at most ``maximumFileSize``.
    static func contents(of path: String) -> Result<[UInt8], FileProblem> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { return .failure(FileProblem(text: "cannot be read (\(Self.errorText(errno)))")) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return .failure(FileProblem(text: "cannot be read (\(Self.errorText(errno)))")) }
        guard (status.st_mode & S_IFMT) == S_IFREG else { return .failure(FileProblem(text: "is not a regular file")) }
        var buffer = [UInt8](repeating: 0, count: Self.maximumFileSize + 1)
        let count = buffer.withUnsafeMutableBytes { FileDescriptorIO.readAll(descriptor, into: $0) }
        guard count >= 0 else { return .failure(FileProblem(text: "cannot be read (\(Self.errorText(errno)))")) }
        guard count <= Self.maximumFileSize else { return .failure(FileProblem(text: "is larger than 1 MiB")) }
        guard count > 0 else { return .failure(FileProblem(text: "is empty")) }
        buffer.removeSubrange(count...)
        return .success(buffer)
    }

    static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, bytes.count >= needle.count else { return false }
        for start in 0...(bytes.count - needle.count) where bytes[start] == needle[0] {
            if bytes[start..<(start + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }

    static func errorText(_ code: Int32) -> String {
        let text = strerror(code).map { String(cString: $0) } ?? "error \(code)"
        return code == ENOENT ? "\(text), ENOENT" : code == EACCES ? "\(text), EACCES" : "\(text), errno \(code)"
    }
}
