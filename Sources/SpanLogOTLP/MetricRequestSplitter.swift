import SpanLog

/// Cuts a metrics snapshot into request-sized parts — at most `maxDataPoints` points and about
/// `maxBytes` encoded bytes each — keeping the order of metrics and points (a metric with many
/// points is continued in the next part under the same name). Points that cannot be encoded
/// (a value of the wrong kind for their metric, a histogram whose bucket counts do not match its
/// bounds) are left out and counted.
///
/// ```swift
/// let split = MetricRequestSplitter(maxDataPoints: 2048, maxBytes: 2 << 20).split(snapshot)
/// for part in split.parts { send(encoder.encode(part)) }
/// ```
struct MetricRequestSplitter {
    /// The parts and what was left out.
    struct Result {
        var parts: [MetricsSnapshot] = []
        /// Points per part, in the same order.
        var pointCounts: [Int] = []
        /// Points left out because they could not be encoded.
        var invalidPoints = 0
        /// Why the last of them was left out.
        var lastProblem: String?
    }

    let maxDataPoints: Int
    let maxBytes: Int

    init(maxDataPoints: Int, maxBytes: Int) {
        self.maxDataPoints = max(1, maxDataPoints)
        self.maxBytes = max(1, maxBytes)
    }

    func split(_ snapshot: MetricsSnapshot) -> Result {
        var result = Result()
        var current: [MetricStream] = []
        var points = 0
        var bytes = Self.resourceBytes(snapshot.resource)

        func closePart() {
            guard points > 0 else { return }
            result.parts.append(MetricsSnapshot(resource: snapshot.resource, metrics: current))
            result.pointCounts.append(points)
            current = []
            points = 0
            bytes = Self.resourceBytes(snapshot.resource)
        }

        for stream in snapshot.metrics {
            let streamBytes = 32 + stream.name.utf8.count + stream.unit.utf8.count + stream.description.utf8.count
            var piece = stream
            piece.points = []
            for point in stream.points {
                if let problem = Self.problem(point, in: stream) {
                    result.invalidPoints += 1
                    result.lastProblem = "metric \"\(stream.name)\": \(problem)"
                    continue
                }
                let pointBytes = Self.estimatedBytes(point)
                if points > 0, points + 1 > self.maxDataPoints || bytes + pointBytes + (piece.points.isEmpty ? streamBytes : 0) > self.maxBytes {
                    if !piece.points.isEmpty { current.append(piece) }
                    piece.points = []
                    closePart()
                }
                bytes += pointBytes + (piece.points.isEmpty ? streamBytes : 0)
                piece.points.append(point)
                points += 1
            }
            if !piece.points.isEmpty { current.append(piece) }
        }
        closePart()
        return result
    }

    /// Why `point` cannot be encoded in `stream`, or `nil`.
    static func problem(_ point: MetricPoint, in stream: MetricStream) -> String? {
        switch (stream.kind, point.value) {
        case (.histogram, .histogram(let histogram)):
            if histogram.bucketCounts.count != histogram.bounds.count + 1 {
                return "a histogram point has \(histogram.bucketCounts.count) bucket counts for \(histogram.bounds.count) bounds (needs bounds + 1)"
            }
            return nil
        case (.histogram, _):
            return "a histogram has a number point"
        case (_, .histogram):
            return "a sum or gauge has a histogram point"
        default:
            return nil
        }
    }

    /// A generous estimate of a point's encoded size (protobuf or JSON).
    static func estimatedBytes(_ point: MetricPoint) -> Int {
        var bytes = 64
        for attribute in point.attributes {
            bytes += 48 + attribute.key.utf8.count + attribute.value.utf8.count
        }
        if case .histogram(let histogram) = point.value {
            bytes += 96 + 24 * (histogram.bounds.count + histogram.bucketCounts.count)
        }
        bytes += 160 * point.exemplars.count
        return bytes
    }

    private static func resourceBytes(_ resource: SpanLogResource) -> Int {
        var bytes = 128 + resource.serviceName.utf8.count
        for (key, value) in resource.attributes {
            bytes += 48 + key.utf8.count + value.utf8.count
        }
        return bytes
    }
}
