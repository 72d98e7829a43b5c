/// The typed accessors: each reads one variable, returns the default when it is unset or
/// empty, and the default with one warning when its value cannot be used. Numbers are always
/// checked against a range before anything computes with them.
///
/// ```swift
/// var reader = EnvironmentReader(EnvironmentReader.processEnvironment())
/// let enabled = reader.bool("TELEMETRY_ENABLED", default: false)
/// let level = reader.integer("LOG_GZIP_LEVEL", default: 1, range: 1...9)
/// let headers = reader.keyValueList("OTEL_EXPORTER_OTLP_HEADERS", item: "name=value", using: "the other headers", disclosure: .hidden)
/// ```
extension EnvironmentReader {
    /// `true`, `1`, `yes`, `on` or `false`, `0`, `no`, `off` (any case).
    package mutating func bool(_ name: String, default fallback: Bool) -> Bool {
        guard let value = self.raw(name) else { return fallback }
        switch value.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default:
            self.warn(name, value, "is not true or false", using: String(fallback))
            return fallback
        }
    }

    /// One of `Value`'s raw values (any case).
    package mutating func choice<Value: RawRepresentable & CaseIterable>(_ name: String, default fallback: Value) -> Value
    where Value.RawValue == String {
        guard let value = self.raw(name) else { return fallback }
        return self.choice(name, value, default: fallback)
    }

    /// `value`, a part of `name`'s value (e.g. the first item of a list), as one of `Value`'s
    /// raw values (any case).
    package mutating func choice<Value: RawRepresentable & CaseIterable>(_ name: String, _ value: String, default fallback: Value) -> Value
    where Value.RawValue == String {
        if let parsed = Value(rawValue: value.lowercased()) { return parsed }
        let allowed = Value.allCases.map(\.rawValue).joined(separator: ", ")
        self.warn(name, value, "is not one of \(allowed)", using: fallback.rawValue)
        return fallback
    }

    /// A decimal integer in `range`.
    ///
    /// - Parameters:
    ///   - raisingToMinimum: a positive value below `range` is raised to its lower bound (with a
    ///     warning) instead of replaced by the default.
    ///   - fallbackText: what the warning says is used, when the default's number alone does not
    ///     say it.
    package mutating func integer(
        _ name: String, default fallback: Int, range: ClosedRange<Int>, raisingToMinimum: Bool = false, fallbackText: String? = nil
    ) -> Int {
        self.number(name, default: fallback, range: range, unit: "an integer", raisingToMinimum: raisingToMinimum, fallbackText: fallbackText)
    }

    /// A duration in whole milliseconds, in `range`.
    package mutating func milliseconds(_ name: String, default fallback: Int, range: ClosedRange<Int>) -> Int {
        self.number(name, default: fallback, range: range, unit: "a whole number of milliseconds", raisingToMinimum: false, fallbackText: nil)
    }

    private mutating func number(
        _ name: String, default fallback: Int, range: ClosedRange<Int>, unit: String, raisingToMinimum: Bool, fallbackText: String?
    ) -> Int {
        guard let value = self.raw(name) else { return fallback }
        guard let parsed = Int(value) else {
            self.warn(name, value, "is not \(unit) from \(range.lowerBound) to \(range.upperBound)", using: fallbackText ?? String(fallback))
            return fallback
        }
        if raisingToMinimum, parsed > 0, parsed < range.lowerBound {
            self.warn(name, value, "is below the minimum of \(range.lowerBound)", using: String(range.lowerBound))
            return range.lowerBound
        }
        guard range.contains(parsed) else {
            self.warn(name, value, "is not \(unit) from \(range.lowerBound) to \(range.upperBound)", using: fallbackText ?? String(fallback))
            return fallback
        }
        return parsed
    }

    /// A number from 0.0 to 1.0 (a sampling ratio).
    package mutating func ratio(_ name: String, default fallback: Double) -> Double {
        guard let value = self.raw(name) else { return fallback }
        guard let parsed = Double(value), parsed.isFinite, (0...1).contains(parsed) else {
            self.warn(name, value, "is not a number from 0.0 to 1.0", using: String(fallback))
            return fallback
        }
        return parsed
    }

    /// Text that `isUsable` accepts; otherwise `fallback` and a warning saying the value
    /// `problem`.
    package mutating func string(_ name: String, default fallback: String, where isUsable: (String) -> Bool, problem: String) -> String {
        guard let value = self.raw(name) else { return fallback }
        guard isUsable(value) else {
            self.warn(name, value, problem, using: fallback)
            return fallback
        }
        return value
    }

    /// A URL that `parse` accepts, read from `name` (or given as `text`, e.g. a value that came
    /// from code); `nil` when there is none, or after a warning saying it `problem` when `parse`
    /// rejects it. The warning shows the URL only when it has neither user info nor a query.
    package mutating func url<Parsed>(
        _ name: String, text: String? = nil, parse: (String) -> Parsed?, problem: String, using fallback: String
    ) -> Parsed? {
        guard let value = text ?? self.raw(name) else { return nil }
        guard let parsed = parse(value) else {
            self.warn(name, value, problem, using: fallback, disclosure: Self.disclosure(ofURL: value))
            return nil
        }
        return parsed
    }

    /// Whether a warning may show `url`: not when it may carry credentials (user info before
    /// an `@`, or a query, where tokens are often put).
    package static func disclosure(ofURL url: String) -> Disclosure {
        url.contains("@") || url.contains("?") ? .hidden : .shown
    }

    /// The comma-separated items of `name`'s value, each trimmed; `nil` when it is unset or empty.
    package func list(_ name: String) -> [String]? {
        self.raw(name).map { $0.split(separator: ",").map { String($0).trimmingASCIIWhitespace() } }
    }

    /// `key=value,key2=value2` with percent-encoded values (W3C Baggage style, as OpenTelemetry
    /// reads `OTEL_RESOURCE_ATTRIBUTES` and `OTEL_EXPORTER_OTLP_HEADERS`): the pairs in order,
    /// keys and values trimmed and values decoded. An item that is not `item` (e.g. "key=value")
    /// is left out with a warning; with `disclosure: .hidden` the warning says which item, not
    /// what it holds.
    package mutating func keyValueList(
        _ name: String, item itemForm: String, using fallback: String, disclosure: Disclosure = .shown
    ) -> [(key: String, value: String)] {
        guard let value = self.raw(name) else { return [] }
        var pairs: [(key: String, value: String)] = []
        for (index, part) in value.split(separator: ",").enumerated() {
            let item = String(part).trimmingASCIIWhitespace()
            guard let equals = item.firstIndex(of: "="),
                case let key = String(item[..<equals]).trimmingASCIIWhitespace(), !key.isEmpty,
                let decoded = String(item[item.index(after: equals)...]).trimmingASCIIWhitespace().percentDecoded()
            else {
                let problem = "is not \(itemForm) (value percent-encoded)"
                if disclosure == .hidden {
                    self.warn(name, item, "has an item (number \(index + 1)) that \(problem)", using: fallback, disclosure: .hidden)
                } else {
                    self.warn(name, item, problem, using: fallback)
                }
                continue
            }
            pairs.append((key, decoded))
        }
        return pairs
    }
}
