#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads typed values out of an environment dictionary. Every value it cannot use becomes one
/// warning naming the variable, the bad value and what is used instead; nothing throws.
struct EnvironmentReader {
    let environment: [String: String]
    private(set) var warnings: [String] = []

    init(_ environment: [String: String]) {
        self.environment = environment
    }

    /// The trimmed value, or nil when unset or empty.
    func raw(_ name: String) -> String? {
        guard let value = self.environment[name] else { return nil }
        let trimmed = value.trimmingASCIIWhitespace()
        return trimmed.isEmpty ? nil : trimmed
    }

    mutating func warn(_ name: String, _ value: String, _ expectation: String, using fallback: String) {
        self.warnings.append("\(name)=\(value.debugDescription) \(expectation); using \(fallback)")
    }

    mutating func bool(_ name: String, default fallback: Bool) -> Bool {
        guard let value = self.raw(name) else { return fallback }
        switch value.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default:
            self.warn(name, value, "is not a boolean (true/false)", using: String(fallback))
            return fallback
        }
    }

    mutating func choice<Value: RawRepresentable>(_ name: String, default fallback: Value) -> Value
    where Value.RawValue == String, Value: CaseIterable {
        guard let value = self.raw(name) else { return fallback }
        if let parsed = Value(rawValue: value.lowercased()) { return parsed }
        let allowed = Value.allCases.map(\.rawValue).joined(separator: "|")
        self.warn(name, value, "is not one of \(allowed)", using: fallback.rawValue)
        return fallback
    }

    mutating func integer(_ name: String, default fallback: Int, range: ClosedRange<Int>) -> Int {
        guard let value = self.raw(name) else { return fallback }
        guard let parsed = Int(value), range.contains(parsed) else {
            self.warn(name, value, "is not an integer in \(range.lowerBound)...\(range.upperBound)", using: String(fallback))
            return fallback
        }
        return parsed
    }

    mutating func ratio(_ name: String) -> Double? {
        guard let value = self.raw(name) else { return nil }
        guard let parsed = Double(value), parsed.isFinite, (0...1).contains(parsed) else {
            self.warnings.append("\(name)=\(value.debugDescription) is not a number in 0.0...1.0; ignored")
            return nil
        }
        return parsed
    }
}

extension String {
    func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = self.firstIndex(where: { !isSpace($0) }), let last = self.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}

/// The process environment as a dictionary, read without Foundation.
func processEnvironment() -> [String: String] {
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
