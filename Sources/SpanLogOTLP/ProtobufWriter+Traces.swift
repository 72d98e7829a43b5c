import SpanLog
import Tracing

/// `ExportTraceServiceRequest` (`opentelemetry/proto/collector/trace/v1`) and the messages of
/// `opentelemetry/proto/trace/v1/trace.proto`, by field number:
///
/// - `ExportTraceServiceRequest`: resource_spans 1. `ResourceSpans`: resource 1, scope_spans 2.
///   `ScopeSpans`: scope 1, spans 2.
/// - `Span`: trace_id 1, span_id 2, trace_state 3, parent_span_id 4, name 5, kind 6,
///   start_time_unix_nano 7 (fixed64), end_time_unix_nano 8 (fixed64), attributes 9,
///   dropped_attributes_count 10, events 11, dropped_events_count 12, links 13,
///   dropped_links_count 14, status 15, flags 16 (fixed32).
/// - `Span.Event`: time_unix_nano 1 (fixed64), name 2, attributes 3.
/// - `Span.Link`: trace_id 1, span_id 2, trace_state 3, attributes 4.
/// - `Status`: message 2, code 3 (UNSET 0, OK 1, ERROR 2).
extension ProtobufWriter {
    mutating func traceRequest(_ spans: [SpanRecord]) {
        for group in groupedByResource(spans) {
            self.message(field: 1) { resourceSpans in
                resourceSpans.resource(field: 1, group.resource)
                resourceSpans.message(field: 2) { scopeSpans in
                    scopeSpans.scope(field: 1)
                    for span in group.spans {
                        scopeSpans.message(field: 2) { $0.span(span) }
                    }
                }
            }
        }
    }

    /// The body of one `Span`.
    mutating func span(_ span: SpanRecord) {
        let context = span.context
        self.id128(field: 1, high: context.traceID.high, low: context.traceID.low)
        self.id64(field: 2, context.spanID.rawValue)
        if !context.traceState.isEmpty {
            self.string(field: 3, context.traceState)
        }
        if let parent = context.parentSpanID {
            self.id64(field: 4, parent.rawValue)
        }
        self.string(field: 5, span.name)
        self.uint64(field: 6, UInt64(span.kind.otlpNumber))
        self.fixed64(field: 7, span.start.unsignedNanosecondsSinceEpoch)
        self.fixed64(field: 8, span.end.unsignedNanosecondsSinceEpoch)
        self.attributes(field: 9, span.attributes)
        if span.droppedAttributeCount > 0 { self.uint64(field: 10, UInt64(span.droppedAttributeCount)) }
        for event in span.events {
            self.message(field: 11) { writer in
                writer.fixed64(field: 1, event.nanosecondsSinceEpoch)
                writer.string(field: 2, event.name)
                writer.attributes(field: 3, event.attributes)
            }
        }
        if span.droppedEventCount > 0 { self.uint64(field: 12, UInt64(span.droppedEventCount)) }
        for link in span.links {
            self.message(field: 13) { writer in
                writer.id128(field: 1, high: link.traceID.high, low: link.traceID.low)
                writer.id64(field: 2, link.spanID.rawValue)
                writer.attributes(field: 4, link.attributes)
            }
        }
        if span.droppedLinkCount > 0 { self.uint64(field: 14, UInt64(span.droppedLinkCount)) }
        if let status = span.status {
            self.message(field: 15) { writer in
                if let message = status.message, !message.isEmpty {
                    writer.string(field: 2, message)
                }
                writer.uint64(field: 3, status.code == .ok ? 1 : 2)
            }
        }
        self.fixed32(field: 16, UInt32(context.traceFlags.rawValue))
    }
}

extension SpanKind {
    /// OTLP's `Span.SpanKind`: internal 1, server 2, client 3, producer 4, consumer 5.
    var otlpNumber: Int {
        switch self {
        case .internal: return 1
        case .server: return 2
        case .client: return 3
        case .producer: return 4
        case .consumer: return 5
        }
    }
}
