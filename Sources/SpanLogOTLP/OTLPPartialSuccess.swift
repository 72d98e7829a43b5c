/// The `partial_success` of an `Export…ServiceResponse`: how many items the collector rejected
/// of a request it accepted, and why. Read from every successful reply, protobuf (HTTP and
/// gRPC: `partial_success` = 1; in it `rejected_spans` / `rejected_log_records` /
/// `rejected_data_points` = 1, an int64, and `error_message` = 2) or OTLP/JSON
/// (`partialSuccess`, `rejectedSpans`…, `errorMessage`; the int64 as a number or a decimal
/// string). The reading is bounded and never traps: an answer that is neither is `.unreadable`.
///
/// ```swift
/// switch OTLPPartialSuccess.read(reply, signal: .traces) {
/// case .none: break
/// case .partial(let partial): print(partial.rejected, partial.message)
/// case .unreadable(let why): print(why)
/// }
/// ```
struct OTLPPartialSuccess: Sendable, Equatable {
    /// Items rejected (0 with a message: a warning from the collector).
    var rejected: Int64
    /// The collector's message, made printable and at most ``messageLimit`` characters.
    var message: String

    /// What a reply said.
    enum Outcome: Sendable, Equatable {
        /// No partial success (or an empty one): everything was taken.
        case none
        case partial(OTLPPartialSuccess)
        /// Neither protobuf nor OTLP/JSON of the response: why.
        case unreadable(String)
    }

    /// The longest message kept.
    static let messageLimit = 200
    /// The largest reply read (a real `Export…ServiceResponse` is a few hundred bytes).
    static let replyLimit = 64 * 1024
    /// How deep JSON may nest.
    static let depthLimit = 16

    static func read(_ reply: OTLPReply, signal: OTLPSignal) -> Outcome {
        if reply.bytes.isEmpty { return .none }
        guard reply.bytes.count <= Self.replyLimit else { return .unreadable("a \(reply.bytes.count)-byte reply, more than the \(Self.replyLimit) read") }
        switch reply.encoding {
        case .protobuf: return Self.readProtobuf(reply.bytes)
        case .json: return Self.readJSON(reply.bytes, signal: signal)
        }
    }

    // MARK: protobuf

    static func readProtobuf(_ bytes: [UInt8]) -> Outcome {
        var response = ProtobufReader(bytes)
        var result: OTLPPartialSuccess?
        while let field = response.nextField() {
            guard field.number > 0 else { return .unreadable("not an export response (protobuf field number 0)") }
            if field.number == 1 && field.wireType == 2 {
                guard let inner = response.lengthDelimited() else { break }
                var partial = ProtobufReader(inner)
                var found = OTLPPartialSuccess(rejected: 0, message: "")
                while let part = partial.nextField() {
                    guard part.number > 0 else { return .unreadable("not an export response (protobuf field number 0)") }
                    if part.number == 1 && part.wireType == 0 {
                        guard let value = partial.varint() else { break }
                        found.rejected = Int64(bitPattern: value)
                    } else if part.number == 2 && part.wireType == 2 {
                        guard let text = partial.lengthDelimited() else { break }
                        found.message = Self.printable(String(decoding: text.prefix(4 * Self.messageLimit), as: UTF8.self), limit: Self.messageLimit)
                    } else if !partial.skip(part.wireType) {
                        break
                    }
                }
                if partial.isMalformed { return .unreadable("the partial_success is not protobuf wire format") }
                result = found
            } else if !response.skip(field.wireType) {
                break
            }
        }
        if response.isMalformed { return .unreadable("the reply is not protobuf wire format (\(Self.hexPrefix(bytes)))") }
        return Self.outcome(result)
    }

    // MARK: JSON

    static func readJSON(_ bytes: [UInt8], signal: OTLPSignal) -> Outcome {
        var parser = MiniJSON(bytes, depthLimit: Self.depthLimit)
        guard let document = parser.parseDocument() else {
            return .unreadable("the reply is not JSON (\(parser.problem ?? "malformed"))")
        }
        guard case .object(let members) = document else { return .unreadable("the JSON reply is not an object") }
        guard let partialValue = Self.member(members, "partialSuccess", "partial_success") else { return .none }
        guard case .object(let partial) = partialValue else {
            if case .null = partialValue { return .none }
            return .unreadable("partialSuccess is not an object")
        }
        var found = OTLPPartialSuccess(rejected: 0, message: "")
        let (camel, snake): (String, String)
        switch signal {
        case .traces: (camel, snake) = ("rejectedSpans", "rejected_spans")
        case .logs: (camel, snake) = ("rejectedLogRecords", "rejected_log_records")
        case .metrics: (camel, snake) = ("rejectedDataPoints", "rejected_data_points")
        }
        if let value = Self.member(partial, camel, snake) {
            switch value {
            case .number(let text), .string(let text):
                guard let count = Int64(text) else { return .unreadable("\(camel) \(Self.printable(text, limit: 40)) is not a 64-bit integer") }
                found.rejected = count
            case .null:
                break
            default:
                return .unreadable("\(camel) is neither a number nor a string")
            }
        }
        if let value = Self.member(partial, "errorMessage", "error_message") {
            switch value {
            case .string(let text): found.message = Self.printable(text, limit: Self.messageLimit)
            case .null: break
            default: return .unreadable("errorMessage is not a string")
            }
        }
        return Self.outcome(found)
    }

    private static func member(_ members: [(String, MiniJSON.Value)], _ names: String...) -> MiniJSON.Value? {
        members.last(where: { names.contains($0.0) })?.1
    }

    private static func outcome(_ found: OTLPPartialSuccess?) -> Outcome {
        guard let found, found.rejected != 0 || !found.message.isEmpty else { return .none }
        return .partial(found)
    }

    // MARK: text

    /// `text` on one line: control characters as `\u{XX}`, cut to `limit` characters with `…`.
    static func printable(_ text: String, limit: Int) -> String {
        var result = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count >= limit {
                result += "…"
                break
            }
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
            count += 1
        }
        return result
    }

    static func hexPrefix(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        var text = ""
        for byte in bytes.prefix(16) {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xF)])
        }
        return "starts " + text + (bytes.count > 16 ? "…" : "")
    }
}
