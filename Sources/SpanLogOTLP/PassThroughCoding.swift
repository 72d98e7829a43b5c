#if OTLPGRPC
import GRPCCore

/// Hands gRPC the request bytes the OTLP encoder already wrote, unchanged.
///
/// ```swift
/// let serializer = PassThroughSerializer()
/// ```
struct PassThroughSerializer: MessageSerializer {
    func serialize<Bytes: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Bytes {
        Bytes(message)
    }
}

/// Keeps the response bytes as they came (the exporter does not decode `Export…ServiceResponse`).
///
/// ```swift
/// let deserializer = PassThroughDeserializer()
/// ```
struct PassThroughDeserializer: MessageDeserializer {
    func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> [UInt8] {
        serializedMessageBytes.withUnsafeBytes { Array($0) }
    }
}
#endif
