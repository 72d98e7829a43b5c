#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads typed values out of an environment dictionary: the one reader behind every part of
/// SpanLog configured from environment variables (`TelemetryConfiguration`, the file sink, the
/// OTLP exporters). A value it cannot use never throws: it becomes one warning in ``warnings``,
/// and the default is used. Every warning has one format (``warning(_:value:_:using:)``):
///
/// ```
/// NAME=value <what is wrong>; using <what is used instead>
/// NAME (value not shown) <what is wrong>; using <what is used instead>
/// ```
///
/// The second form is for variables that may hold secrets (header lists, URLs with user info
/// or a query): their values never reach a warning.
///
/// ```swift
/// var reader = EnvironmentReader(["LOG_FLUSH_MS": "0"])
/// let flush = reader.milliseconds("LOG_FLUSH_MS", default: 1000, range: 1...3_600_000)
/// // flush == 1000
/// // reader.warnings == ["LOG_FLUSH_MS=0 is not a whole number of milliseconds from 1 to 3600000; using 1000"]
/// ```
package struct EnvironmentReader {
    /// What a warning shows of the bad value.
    package enum Disclosure: Sendable {
        /// The value as it is, quoted and escaped when it holds spaces, quotes or control
        /// characters.
        case shown
        /// Nothing: the variable may hold a secret.
        case hidden
    }

    /// The environment the values come from.
    package let environment: [String: String]
    /// One line per value that could not be used, in the order they were read.
    package private(set) var warnings: [String] = []

    /// A reader of `environment`.
    package init(_ environment: [String: String]) {
        self.environment = environment
    }

    /// The process environment as a dictionary, read without Foundation.
    package static func processEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let string = String(cString: entry)
            if let equals = string.firstIndex(of: "=") {
                result[String(string[..<equals])] = String(string[string.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }

    /// The value without surrounding spaces, tabs and line breaks; `nil` when the variable is
    /// unset, empty or only white space.
    package func raw(_ name: String) -> String? {
        guard let value = self.environment[name] else { return nil }
        let trimmed = value.trimmingASCIIWhitespace()
        return trimmed.isEmpty ? nil : trimmed
    }

    /// Adds one warning: `name`'s `value` (or the part of it that is wrong) `problem` (a phrase
    /// such as "is not one of a, b"), and `fallback` (what is used instead) is in force.
    package mutating func warn(
        _ name: String, _ value: String, _ problem: String, using fallback: String, disclosure: Disclosure = .shown
    ) {
        self.warnings.append(Self.warning(name, value: disclosure == .hidden ? nil : value, problem, using: fallback))
    }

    /// The one warning format: `NAME=value problem; using fallback`, or, when `value` is nil,
    /// `NAME (value not shown) problem; using fallback`. Variables named `…_HEADERS` never show
    /// their value.
    package static func warning(_ name: String, value: String?, _ problem: String, using fallback: String) -> String {
        let subject: String
        if let value, !name.hasSuffix("_HEADERS") {
            subject = "\(name)=\(Self.displayed(value))"
        } else {
            subject = "\(name) (value not shown)"
        }
        // The fallback can come from outside too (a service name used as the file name):
        // no control character reaches the line, whichever part it is in.
        return Self.withControlCharactersEscaped("\(subject) \(problem); using \(fallback)")
    }

    /// `text` with C0 controls, DEL and C1 controls written as `\u{XX}` escapes: one line, no
    /// terminal commands.
    static func withControlCharactersEscaped(_ text: String) -> String {
        let isControl: (Unicode.Scalar) -> Bool = { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var escaped = ""
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                escaped += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// `value` as it is when it is printable ASCII without spaces, quotes or backslashes;
    /// otherwise quoted with Swift's escapes, so that no value can break a warning line apart.
    static func displayed(_ value: String) -> String {
        let plain = !value.isEmpty && value.unicodeScalars.allSatisfy { scalar in
            (0x21...0x7E).contains(scalar.value) && scalar != "\"" && scalar != "\\"
        }
        return plain ? value : value.debugDescription
    }
}
