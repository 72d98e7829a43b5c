public import CoreMetrics
public import HTTPTypes
public import Prometheus
import Synchronization

/// Request count and duration, by method, route template and status class, through
/// swift-metrics. ``SpanLogTracingMiddleware`` records one observation per request.
///
/// In Prometheus text format (the `prom` and `hybrid` backends):
///
/// - `http_server_requests_total{method,route,status_class}` — a counter;
/// - `http_server_request_duration_seconds{method,route,status_class}` — a histogram
///   (`_bucket`, `_sum`, `_count`).
///
/// `route` is the route template (`/users/{id}`), or `unmatched` when no route matched, so the
/// number of series stays bounded; `status_class` is `1xx` … `5xx`.
///
/// ```swift
/// let registry = PrometheusCollectorRegistry()
/// let metrics = HTTPServerMetrics(registry: registry)
/// router.add(middleware: SpanLogTracingMiddleware(tracer: tracer, metrics: metrics))
/// ```
public final class HTTPServerMetrics: Sendable {
    /// The request counter's name.
    public static let requestsTotal = "http_server_requests_total"
    /// The duration histogram's name.
    public static let requestDurationSeconds = "http_server_request_duration_seconds"
    /// The route label of requests no route matched.
    public static let unmatchedRoute = "unmatched"

    private struct Key: Hashable {
        var method: String
        var route: String
        var statusClass: Int
    }

    private struct Series: @unchecked Sendable {
        // swift-metrics' Counter and Timer are thread-safe classes.
        let count: CoreMetrics.Counter
        let duration: CoreMetrics.Timer
    }

    private let factory: any MetricsFactory
    private let series = Mutex<[Key: Series]>([:])

    /// Creates the metrics on `factory` (by default the bootstrapped `MetricsSystem.factory`).
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    /// Creates the metrics in a Prometheus registry.
    public convenience init(registry: PrometheusCollectorRegistry) {
        self.init(factory: PrometheusMetricsFactory(registry: registry))
    }

    /// Records one request.
    public func record(method: HTTPRequest.Method, route: String?, status: Int, duration: Duration) {
        let key = Key(method: method.rawValue, route: route ?? Self.unmatchedRoute, statusClass: min(max(status / 100, 1), 5))
        let series = self.series.withLock { cache -> Series in
            if let existing = cache[key] { return existing }
            let dimensions = [("method", key.method), ("route", key.route), ("status_class", "\(key.statusClass)xx")]
            let created = Series(
                count: CoreMetrics.Counter(label: Self.requestsTotal, dimensions: dimensions, factory: self.factory),
                duration: CoreMetrics.Timer(label: Self.requestDurationSeconds, dimensions: dimensions, factory: self.factory)
            )
            cache[key] = created
            return created
        }
        series.count.increment()
        series.duration.recordNanoseconds(duration.totalNanoseconds)
    }
}

extension Duration {
    var totalNanoseconds: Int64 {
        let (seconds, attoseconds) = self.components
        return seconds &* 1_000_000_000 &+ attoseconds / 1_000_000_000
    }
}
