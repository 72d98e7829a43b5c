import ArgumentParser

/// grep's convention: 0 found, 1 nothing found, 2 error.
enum ExitStatus: Int32 {
    case found = 0
    case notFound = 1
    case error = 2

    var exitCode: ExitCode { ExitCode(self.rawValue) }

    /// The status of a command that found `found` things and met errors or not.
    static func of(found: Bool, errors: Bool) -> ExitStatus {
        errors ? .error : (found ? .found : .notFound)
    }
}
