import HTTPTypes
import Instrumentation
import SpanLog
import SpanLogHummingbird
import Testing

@Suite("HTTPFields propagation")
struct PropagationTests {
    @Test("extract then inject round-trips traceparent and tracestate")
    func roundTrip() {
        var incoming = HTTPFields()
        incoming[HTTPField.Name("traceparent")!] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        incoming[HTTPField.Name("tracestate")!] = "vendor=value"
        var context = ServiceContext.topLevel
        TraceContextPropagator().extract(incoming, into: &context, using: HTTPFieldsExtractor())
        #expect(context.spanContext?.traceID.description == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(context.spanContext?.spanID.description == "00f067aa0ba902b7")

        var outgoing = HTTPFields()
        TraceContextPropagator().inject(context, into: &outgoing, using: HTTPFieldsInjector())
        #expect(outgoing[HTTPField.Name("traceparent")!] == "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
        #expect(outgoing[HTTPField.Name("tracestate")!] == "vendor=value")
    }

    @Test("a malformed traceparent is ignored")
    func malformed() {
        var incoming = HTTPFields()
        incoming[HTTPField.Name("traceparent")!] = "00-zzzz-00f067aa0ba902b7-01"
        var context = ServiceContext.topLevel
        TraceContextPropagator().extract(incoming, into: &context, using: HTTPFieldsExtractor())
        #expect(context.spanContext == nil)
    }
}
