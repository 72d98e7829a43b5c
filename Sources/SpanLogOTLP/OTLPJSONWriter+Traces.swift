import SpanLog
import Tracing

/// `ExportTraceServiceRequest` in OTLP/JSON: `{"resourceSpans":[{"resource":…,"scopeSpans":[{
/// "scope":…,"spans":[…]}]}]}`, with `traceId`/`spanId`/`parentSpanId` in hex, `kind` and
/// `status.code` as integers and the times as decimal strings.
extension OTLPJSONWriter {
    mutating func traceRequest(_ spans: [SpanRecord]) {
        self.object { request in
            request.key("resourceSpans")
            request.array { list in
                for group in groupedByResource(spans) {
                    list.arrayElement()
                    list.object { resourceSpans in
                        resourceSpans.resource(group.resource)
                        resourceSpans.key("scopeSpans")
                        resourceSpans.array { scopes in
                            scopes.arrayElement()
                            scopes.object { scopeSpans in
                                scopeSpans.scope()
                                scopeSpans.key("spans")
                                scopeSpans.array { spanList in
                                    for span in group.spans {
                                        spanList.arrayElement()
                                        spanList.object { $0.span(span) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The members of one `Span` object.
    mutating func span(_ span: SpanRecord) {
        let context = span.context
        self.key("traceId")
        self.hex128(high: context.traceID.high, low: context.traceID.low)
        self.key("spanId")
        self.hex64(context.spanID.rawValue)
        if !context.traceState.isEmpty {
            self.key("traceState")
            self.string(context.traceState)
        }
        if let parent = context.parentSpanID {
            self.key("parentSpanId")
            self.hex64(parent.rawValue)
        }
        self.key("flags")
        self.integer(Int(context.traceFlags.rawValue))
        self.key("name")
        self.string(span.name)
        self.key("kind")
        self.integer(span.kind.otlpNumber)
        self.key("startTimeUnixNano")
        self.uint64String(span.start.unsignedNanosecondsSinceEpoch)
        self.key("endTimeUnixNano")
        self.uint64String(span.end.unsignedNanosecondsSinceEpoch)
        self.attributes(span.attributes)
        if span.droppedAttributeCount > 0 {
            self.key("droppedAttributesCount")
            self.integer(span.droppedAttributeCount)
        }
        if span.droppedEventCount > 0 {
            self.key("droppedEventsCount")
            self.integer(span.droppedEventCount)
        }
        if span.droppedLinkCount > 0 {
            self.key("droppedLinksCount")
            self.integer(span.droppedLinkCount)
        }
        if !span.events.isEmpty {
            self.key("events")
            self.array { events in
                for event in span.events {
                    events.arrayElement()
                    events.object { writer in
                        writer.key("timeUnixNano")
                        writer.uint64String(event.nanosecondsSinceEpoch)
                        writer.key("name")
                        writer.string(event.name)
                        writer.attributes(event.attributes)
                    }
                }
            }
        }
        if !span.links.isEmpty {
            self.key("links")
            self.array { links in
                for link in span.links {
                    links.arrayElement()
                    links.object { writer in
                        writer.key("traceId")
                        writer.hex128(high: link.traceID.high, low: link.traceID.low)
                        writer.key("spanId")
                        writer.hex64(link.spanID.rawValue)
                        writer.attributes(link.attributes)
                    }
                }
            }
        }
        if let status = span.status {
            self.key("status")
            self.object { writer in
                if let message = status.message, !message.isEmpty {
                    writer.key("message")
                    writer.string(message)
                }
                writer.key("code")
                writer.integer(status.code == .ok ? 1 : 2)
            }
        }
    }
}
