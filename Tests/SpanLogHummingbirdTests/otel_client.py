"""An HTTP client instrumented with the official OpenTelemetry Python SDK.

Starts a client span, injects its W3C `traceparent` into a GET request to
http://127.0.0.1:<port><path> (the SDK's own propagator), and prints one JSON line:
{"trace_id": ..., "span_id": ..., "status": ..., "x_trace_id": ..., "traceparent": ...}

Usage: python3 otel_client.py <port> <path>
"""
import json
import sys
import urllib.error
import urllib.request

from opentelemetry import trace
from opentelemetry.propagate import inject
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter


def main() -> int:
    port, path = int(sys.argv[1]), sys.argv[2]
    provider = TracerProvider()
    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    tracer = trace.get_tracer("spanlog-interop-client")

    with tracer.start_as_current_span("interop.client", kind=trace.SpanKind.CLIENT) as span:
        headers = {}
        inject(headers)
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status = response.status
                response_headers = response.headers
        except urllib.error.HTTPError as error:
            status = error.code
            response_headers = error.headers
        context = span.get_span_context()
        result = {
            "trace_id": format(context.trace_id, "032x"),
            "span_id": format(context.span_id, "016x"),
            "sent_traceparent": headers.get("traceparent"),
            "status": status,
            "x_trace_id": response_headers.get("X-Trace-Id"),
            "traceparent": response_headers.get("traceparent"),
        }
    provider.shutdown()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
