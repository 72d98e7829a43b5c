/// Reads protocol buffers wire format field by field, for the few answers the exporter looks
/// into (a gRPC status's `RetryInfo`, an export response's `partial_success`). Malformed input
/// ends the reading and sets ``isMalformed``; it never traps.
///
/// ```swift
/// var reader = ProtobufReader([0x08, 0x96, 0x01])
/// while let field = reader.nextField() {
///     if field.number == 1, field.wireType == 0 { print(reader.varint() ?? 0) }  // 150
/// }
/// ```
struct ProtobufReader {
    private let bytes: [UInt8]
    private var index: Int
    /// Whether reading stopped at input that is not protobuf wire format.
    private(set) var isMalformed = false

    init(_ bytes: some Collection<UInt8>) {
        self.bytes = Array(bytes)
        self.index = 0
    }

    /// The next field's number and wire type, or `nil` at the end (or on malformed input).
    mutating func nextField() -> (number: Int, wireType: UInt8)? {
        guard self.index < self.bytes.count, let key = self.varint() else { return nil }
        return (Int(key >> 3), UInt8(key & 7))
    }

    mutating func varint() -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while self.index < self.bytes.count, shift < 64 {
            let byte = self.bytes[self.index]
            self.index += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
        self.index = self.bytes.count
        self.isMalformed = true
        return nil
    }

    /// A length-delimited field's bytes.
    mutating func lengthDelimited() -> ArraySlice<UInt8>? {
        guard let length = self.varint(), length <= UInt64(self.bytes.count - self.index) else {
            self.index = self.bytes.count
            self.isMalformed = true
            return nil
        }
        let start = self.index
        self.index += Int(length)
        return self.bytes[start..<self.index]
    }

    /// Skips a field of `wireType`; `false` on a wire type it cannot skip.
    mutating func skip(_ wireType: UInt8) -> Bool {
        switch wireType {
        case 0: return self.varint() != nil
        case 1: return self.advance(8)
        case 2: return self.lengthDelimited() != nil
        case 5: return self.advance(4)
        default:
            self.index = self.bytes.count
            self.isMalformed = true
            return false
        }
    }

    private mutating func advance(_ count: Int) -> Bool {
        guard self.bytes.count - self.index >= count else {
            self.index = self.bytes.count
            self.isMalformed = true
            return false
        }
        self.index += count
        return true
    }
}

/// The gRPC form of `Retry-After`: `google.rpc.RetryInfo.retry_delay` inside the
/// `grpc-status-details-bin` trailer (`google.rpc.Status`: details 3, each an `Any` with
/// type_url 1 and value 2; `RetryInfo`: retry_delay 1; `Duration`: seconds 1, nanos 2).
///
/// ```swift
/// let delay = GRPCRetryInfo.retryDelay(statusDetails: trailerBytes)  // e.g. .delay(.seconds(1))
/// ```
enum GRPCRetryInfo {
    static let typeURL = "type.googleapis.com/google.rpc.RetryInfo"

    static func retryDelay(statusDetails: [UInt8]) -> RetryAfter? {
        var status = ProtobufReader(statusDetails)
        while let field = status.nextField() {
            guard field.number == 3, field.wireType == 2 else {
                guard status.skip(field.wireType) else { return nil }
                continue
            }
            guard let any = status.lengthDelimited() else { return nil }
            var reader = ProtobufReader(any)
            var typeURL = ""
            var value: ArraySlice<UInt8>?
            while let anyField = reader.nextField() {
                if anyField.number == 1, anyField.wireType == 2, let text = reader.lengthDelimited() {
                    typeURL = String(decoding: text, as: UTF8.self)
                } else if anyField.number == 2, anyField.wireType == 2 {
                    value = reader.lengthDelimited()
                } else if !reader.skip(anyField.wireType) {
                    break
                }
            }
            if typeURL == Self.typeURL, let value, let delay = Self.duration(inRetryInfo: value) {
                return delay
            }
        }
        return nil
    }

    private static func duration(inRetryInfo bytes: ArraySlice<UInt8>) -> RetryAfter? {
        var retryInfo = ProtobufReader(bytes)
        while let field = retryInfo.nextField() {
            guard field.number == 1, field.wireType == 2, let durationBytes = retryInfo.lengthDelimited() else {
                guard retryInfo.skip(field.wireType) else { return nil }
                continue
            }
            var duration = ProtobufReader(durationBytes)
            var seconds: Int64 = 0
            var nanos: Int64 = 0
            while let part = duration.nextField() {
                if part.number == 1, part.wireType == 0, let value = duration.varint() {
                    seconds = Int64(bitPattern: value)
                } else if part.number == 2, part.wireType == 0, let value = duration.varint() {
                    nanos = Int64(Int32(truncatingIfNeeded: value))
                } else if !duration.skip(part.wireType) {
                    break
                }
            }
            return RetryAfter.grpcDelay(seconds: seconds, nanos: nanos)
        }
        return nil
    }
}
