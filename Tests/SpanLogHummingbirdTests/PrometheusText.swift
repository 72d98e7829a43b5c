import Foundation

/// A strict-enough reader of the Prometheus text exposition format (0.0.4) for tests: every
/// line is a `# HELP`/`# TYPE` comment or `name{label="value",…} number`.
struct PrometheusText {
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    var samples: [Sample] = []
    var types: [String: String] = [:]

    init(parsing text: String) throws {
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = String(rawLine)
            if line.hasPrefix("# TYPE ") {
                let parts = line.dropFirst(7).split(separator: " ")
                guard parts.count == 2 else { throw TestFailure(description: "bad TYPE line: \(line)") }
                self.types[String(parts[0])] = String(parts[1])
                continue
            }
            if line.hasPrefix("#") { continue }
            self.samples.append(try Self.sample(line))
        }
    }

    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        self.samples.first { sample in
            sample.name == name && labels.allSatisfy { key, value in sample.labels[key] == value }
        }?.value
    }

    private static func sample(_ line: String) throws -> Sample {
        var name = ""
        var labels: [String: String] = [:]
        var index = line.startIndex
        while index < line.endIndex, line[index] != "{", line[index] != " " {
            name.append(line[index])
            index = line.index(after: index)
        }
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" }) else {
            throw TestFailure(description: "bad metric name in: \(line)")
        }
        if index < line.endIndex, line[index] == "{" {
            index = line.index(after: index)
            while index < line.endIndex, line[index] != "}" {
                var key = ""
                while index < line.endIndex, line[index] != "=" {
                    key.append(line[index])
                    index = line.index(after: index)
                }
                index = line.index(after: index)
                guard index < line.endIndex, line[index] == "\"" else { throw TestFailure(description: "bad label in: \(line)") }
                index = line.index(after: index)
                var value = ""
                while index < line.endIndex, line[index] != "\"" {
                    if line[index] == "\\" { index = line.index(after: index) }
                    value.append(line[index])
                    index = line.index(after: index)
                }
                guard index < line.endIndex else { throw TestFailure(description: "unterminated label in: \(line)") }
                index = line.index(after: index)
                labels[key.trimmingCharacters(in: .init(charactersIn: ","))] = value
                if index < line.endIndex, line[index] == "," { index = line.index(after: index) }
            }
            guard index < line.endIndex else { throw TestFailure(description: "unterminated labels in: \(line)") }
            index = line.index(after: index)
        }
        let rest = line[index...].split(separator: " ")
        guard let first = rest.first, let value = Double(first) ?? (first == "+Inf" ? .infinity : nil) else {
            throw TestFailure(description: "bad value in: \(line)")
        }
        return Sample(name: name, labels: labels, value: value)
    }
}
