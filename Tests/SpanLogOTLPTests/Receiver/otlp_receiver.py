#!/usr/bin/env python3
"""A small OTLP receiver for SpanLogOTLP's tests.

It serves OTLP/HTTP (POST /v1/traces, /v1/logs and /v1/metrics, protobuf or JSON bodies,
optionally gzip) and OTLP/gRPC (TraceService/Export, LogsService/Export and
MetricsService/Export) on 127.0.0.1, decodes every request
with the official classes from the `opentelemetry-proto` package, and appends one JSON line per
accepted request to --out:

    {"signal": "traces", "transport": "http", "content_type": "...", "content_encoding": "gzip",
     "request": <MessageToDict of the request, ids as lowercase hex>}

Metrics lines also carry "metrics": one entry per Metric, flattened for the tests:
    {"name", "unit", "type" (sum, gauge, histogram, ...), "temporality" (1 delta, 2 cumulative),
     "monotonic", "points": [{"attributes": {k: v}, "start", "time", "value" (as_int or
     as_double), "count", "sum", "min", "max", "bucket_counts", "bounds",
     "exemplars": [{"trace_id", "span_id" (hex), "time", "value"}]}]}

On start it prints one line to stdout: {"http_port": N, "grpc_port": M}.

Fault modes:
  --fail N --fail-status S   answer S (HTTP) or UNAVAILABLE (gRPC) to the first N requests,
                             then accept; failed requests are not recorded
  --retry-after VALUE        send Retry-After: VALUE (gRPC: RetryInfo of VALUE seconds, which must
                             then be an integer, up to 2^64 - 1) with those failures; any text
                             for HTTP, e.g. an HTTP date
  --retry-after-always       send it on successful HTTP replies too
  --mode hang                read requests and never answer
  --mode garbage             answer HTTP requests with bytes that are not HTTP, then close
  --mode garbage-ok          answer HTTP requests 200 with a body that is no export response

Security and answers:
  --tls-cert F --tls-key F   serve HTTP and gRPC over TLS with this certificate and key (PEM)
  --tls-client-ca F          and require a client certificate signed by this CA (mTLS)
  --auth-token T             refuse (HTTP 401, gRPC UNAUTHENTICATED) every request without
                             `authorization: Bearer T`; refused requests are recorded as
                             {"signal": ..., "transport": ..., "refused": "unauthenticated"}
  --partial-reject N         accept, but answer partial_success with N rejected items and
  --partial-message M        this error_message

--summary records only counts ({"signal": ..., "transport": ..., "items": N}) instead of the
decoded request, so that the receiver keeps up in throughput measurements.
"""

import argparse
import base64
import gzip
import json
import socketserver
import ssl
import sys
import threading
import time
from concurrent import futures
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import grpc
from google.protobuf import json_format
from opentelemetry.proto.collector.logs.v1 import logs_service_pb2
from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2

ID_KEYS = ("traceId", "spanId", "parentSpanId")

SIGNALS = {
    "/v1/traces": ("traces", trace_service_pb2.ExportTraceServiceRequest, trace_service_pb2.ExportTraceServiceResponse),
    "/v1/logs": ("logs", logs_service_pb2.ExportLogsServiceRequest, logs_service_pb2.ExportLogsServiceResponse),
    "/v1/metrics": ("metrics", metrics_service_pb2.ExportMetricsServiceRequest, metrics_service_pb2.ExportMetricsServiceResponse),
}


# The rejected_<items> field of each signal's ExportXPartialSuccess.
REJECTED_FIELDS = {"traces": "rejected_spans", "logs": "rejected_log_records", "metrics": "rejected_data_points"}


def export_response(signal, response_class, args):
    """The response message, with a partial_success when --partial-reject asks for one."""
    response = response_class()
    if args.partial_reject:
        setattr(response.partial_success, REJECTED_FIELDS[signal], args.partial_reject)
        response.partial_success.error_message = args.partial_message
    return response


class State:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.failures_left = args.fail
        self.requests = 0
        self.out = open(args.out, "a", encoding="utf-8")

    def should_fail(self):
        with self.lock:
            self.requests += 1
            if self.failures_left > 0:
                self.failures_left -= 1
                return True
            return False

    def authorized(self, signal, transport, value):
        """Whether `value` (the authorization header) carries the token; records a refusal."""
        if self.args.auth_token is None or value == "Bearer " + self.args.auth_token:
            return True
        with self.lock:
            self.out.write(json.dumps({"signal": signal, "transport": transport, "refused": "unauthenticated"}) + "\n")
            self.out.flush()
        return False

    def record(self, signal, transport, message, content_type="", content_encoding=""):
        if self.args.summary:
            if signal == "traces":
                items = sum(len(scope.spans) for resource in message.resource_spans for scope in resource.scope_spans)
            elif signal == "metrics":
                items = sum(len(metric["points"]) for metric in metric_summaries(message))
            else:
                items = sum(len(scope.log_records) for resource in message.resource_logs for scope in resource.scope_logs)
            with self.lock:
                self.out.write(json.dumps({"signal": signal, "transport": transport, "items": items}) + "\n")
                self.out.flush()
            return
        request = json_format.MessageToDict(message, use_integers_for_enums=True)
        ids_to_hex(request)
        entry = {
            "signal": signal,
            "transport": transport,
            "content_type": content_type,
            "content_encoding": content_encoding,
            "request": request,
        }
        if signal == "metrics":
            entry["metrics"] = metric_summaries(message)
        line = json.dumps(entry)
        with self.lock:
            self.out.write(line + "\n")
            self.out.flush()


def metric_summaries(message):
    """Every Metric of an ExportMetricsServiceRequest, flattened (see the module docstring)."""
    summaries = []
    for resource_metrics in message.resource_metrics:
        for scope_metrics in resource_metrics.scope_metrics:
            for metric in scope_metrics.metrics:
                kind = metric.WhichOneof("data")
                data = getattr(metric, kind) if kind else None
                summary = {
                    "name": metric.name,
                    "unit": metric.unit,
                    "type": kind,
                    "temporality": getattr(data, "aggregation_temporality", 0),
                    "monotonic": getattr(data, "is_monotonic", False),
                    "points": [metric_point(point, kind) for point in (data.data_points if data is not None else [])],
                }
                summaries.append(summary)
    return summaries


def metric_point(point, kind):
    """One NumberDataPoint or HistogramDataPoint as a plain dictionary."""
    entry = {
        "attributes": {item.key: json_format.MessageToDict(item.value) for item in point.attributes},
        "start": point.start_time_unix_nano,
        "time": point.time_unix_nano,
        "exemplars": [{
            "trace_id": exemplar.trace_id.hex(),
            "span_id": exemplar.span_id.hex(),
            "time": exemplar.time_unix_nano,
            "value": getattr(exemplar, exemplar.WhichOneof("value")) if exemplar.WhichOneof("value") else None,
        } for exemplar in point.exemplars],
    }
    if kind == "histogram":
        entry.update({
            "count": point.count,
            "sum": point.sum if point.HasField("sum") else None,
            "min": point.min if point.HasField("min") else None,
            "max": point.max if point.HasField("max") else None,
            "bucket_counts": list(point.bucket_counts),
            "bounds": list(point.explicit_bounds),
        })
    else:
        which = point.WhichOneof("value")
        entry["value"] = getattr(point, which) if which else None
        entry["value_type"] = which
    return entry


def ids_to_hex(value):
    """MessageToDict writes bytes as base64; OTLP ids are compared as hex."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ID_KEYS and isinstance(item, str):
                value[key] = base64.b64decode(item).hex()
            else:
                ids_to_hex(item)
    elif isinstance(value, list):
        for item in value:
            ids_to_hex(item)


def ids_to_base64(value):
    """OTLP/JSON carries ids as hex; protobuf's JSON parser expects base64."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ID_KEYS and isinstance(item, str):
                value[key] = base64.b64encode(bytes.fromhex(item)).decode("ascii")
            else:
                ids_to_base64(item)
    elif isinstance(value, list):
        for item in value:
            ids_to_base64(item)


def make_http_handler(state):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            mode = state.args.mode
            if mode == "hang":
                while True:
                    time.sleep(3600)
            if mode == "garbage":
                self.wfile.write(b"\x00\xffnot http at all\r\n\r\n\x01\x02")
                self.wfile.flush()
                self.close_connection = True
                return
            if self.path not in SIGNALS:
                self.reply(404, b"unknown path", "text/plain")
                return
            if mode == "garbage-ok":
                self.reply(200, b"\xff\xfe<html>not an export response", "application/x-protobuf")
                return
            if not state.authorized(SIGNALS[self.path][0], "http", self.headers.get("Authorization")):
                self.reply(401, b"token expired", "text/plain")
                return
            if state.should_fail():
                self.reply(state.args.fail_status, b"try again", "text/plain", self.retry_after())
                return
            signal, request_class, response_class = SIGNALS[self.path]
            encoding = self.headers.get("Content-Encoding", "")
            content_type = self.headers.get("Content-Type", "")
            try:
                if encoding == "gzip":
                    body = gzip.decompress(body)
                message = request_class()
                if content_type.startswith("application/json"):
                    document = json.loads(body)
                    ids_to_base64(document)
                    json_format.ParseDict(document, message)
                else:
                    message.ParseFromString(body)
            except Exception as error:  # noqa: BLE001 - report any decoding failure to the client
                self.reply(400, ("cannot decode: %s" % error).encode(), "text/plain")
                return
            state.record(signal, "http", message, content_type, encoding)
            response = export_response(signal, response_class, state.args)
            if content_type.startswith("application/json"):
                self.reply(200, json_format.MessageToJson(response).encode(), "application/json")
            else:
                self.reply(200, response.SerializeToString(), "application/x-protobuf")

        def retry_after(self):
            return {"Retry-After": state.args.retry_after} if state.args.retry_after is not None else {}

        def reply(self, status, payload, content_type, extra=None):
            if status == 200 and state.args.retry_after_always:
                extra = self.retry_after()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(payload)

    return Handler


def retry_info_status(seconds):
    """google.rpc.Status{code: UNAVAILABLE, details: [Any(RetryInfo{retry_delay: seconds})]},
    written by hand (the google.rpc classes are not in opentelemetry-proto)."""
    def field(number, payload):
        return bytes([number << 3 | 2]) + varint(len(payload)) + payload

    def varint(value):
        out = b""
        while value >= 0x80:
            out += bytes([value & 0x7F | 0x80])
            value >>= 7
        return out + bytes([value])

    duration = bytes([0x08]) + varint(seconds)
    retry_info = field(1, duration)
    any_message = field(1, b"type.googleapis.com/google.rpc.RetryInfo") + field(2, retry_info)
    return bytes([0x08, 14]) + field(2, b"try again") + field(3, any_message)


def make_grpc_handlers(state):
    def handler(signal, response_class):
        def export(request, context):
            if state.args.mode == "hang":
                while context.is_active():
                    time.sleep(0.05)
                return response_class()
            metadata = dict(context.invocation_metadata())
            if not state.authorized(signal, "grpc", metadata.get("authorization")):
                context.abort(grpc.StatusCode.UNAUTHENTICATED, "token expired")
            if state.should_fail():
                if state.args.retry_after is not None:
                    context.set_trailing_metadata([("grpc-status-details-bin", retry_info_status(int(state.args.retry_after)))])
                context.abort(grpc.StatusCode.UNAVAILABLE, "try again")
            state.record(signal, "grpc", request)
            return export_response(signal, response_class, state.args)
        return export

    return [
        grpc.method_handlers_generic_handler("opentelemetry.proto.collector.trace.v1.TraceService", {
            "Export": grpc.unary_unary_rpc_method_handler(
                handler("traces", trace_service_pb2.ExportTraceServiceResponse),
                request_deserializer=trace_service_pb2.ExportTraceServiceRequest.FromString,
                response_serializer=trace_service_pb2.ExportTraceServiceResponse.SerializeToString),
        }),
        grpc.method_handlers_generic_handler("opentelemetry.proto.collector.logs.v1.LogsService", {
            "Export": grpc.unary_unary_rpc_method_handler(
                handler("logs", logs_service_pb2.ExportLogsServiceResponse),
                request_deserializer=logs_service_pb2.ExportLogsServiceRequest.FromString,
                response_serializer=logs_service_pb2.ExportLogsServiceResponse.SerializeToString),
        }),
        grpc.method_handlers_generic_handler("opentelemetry.proto.collector.metrics.v1.MetricsService", {
            "Export": grpc.unary_unary_rpc_method_handler(
                handler("metrics", metrics_service_pb2.ExportMetricsServiceResponse),
                request_deserializer=metrics_service_pb2.ExportMetricsServiceRequest.FromString,
                response_serializer=metrics_service_pb2.ExportMetricsServiceResponse.SerializeToString),
        }),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    parser.add_argument("--http-port", type=int, default=0)
    parser.add_argument("--grpc-port", type=int, default=0)
    parser.add_argument("--mode", choices=["ok", "hang", "garbage", "garbage-ok"], default="ok")
    parser.add_argument("--fail", type=int, default=0)
    parser.add_argument("--fail-status", type=int, default=503)
    parser.add_argument("--retry-after", default=None)
    parser.add_argument("--retry-after-always", action="store_true")
    parser.add_argument("--summary", action="store_true", help="record counts only")
    parser.add_argument("--tls-cert", default=None)
    parser.add_argument("--tls-key", default=None)
    parser.add_argument("--tls-client-ca", default=None)
    parser.add_argument("--auth-token", default=None)
    parser.add_argument("--partial-reject", type=int, default=0)
    parser.add_argument("--partial-message", default="")
    parser.add_argument("--max-seconds", type=float, default=300, help="exit after this long in any case")
    args = parser.parse_args()
    state = State(args)

    ThreadingHTTPServer.daemon_threads = True
    socketserver.TCPServer.allow_reuse_address = True
    http_server = ThreadingHTTPServer(("127.0.0.1", args.http_port), make_http_handler(state))
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        if args.tls_client_ca:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(args.tls_client_ca)
        http_server.socket = context.wrap_socket(http_server.socket, server_side=True)
        # A failed handshake is the client's problem: note it, without a traceback.
        http_server.handle_error = lambda request, address: print("TLS or connection error from %s: %s" % (address, sys.exc_info()[1]), file=sys.stderr)
    threading.Thread(target=http_server.serve_forever, daemon=True).start()

    grpc_server = grpc.server(futures.ThreadPoolExecutor(max_workers=8), handlers=make_grpc_handlers(state))
    if args.tls_cert:
        with open(args.tls_cert, "rb") as cert, open(args.tls_key, "rb") as key:
            pair = (key.read(), cert.read())
        client_ca = open(args.tls_client_ca, "rb").read() if args.tls_client_ca else None
        credentials = grpc.ssl_server_credentials([pair], root_certificates=client_ca, require_client_auth=client_ca is not None)
        grpc_port = grpc_server.add_secure_port("127.0.0.1:%d" % args.grpc_port, credentials)
    else:
        grpc_port = grpc_server.add_insecure_port("127.0.0.1:%d" % args.grpc_port)
    grpc_server.start()

    print(json.dumps({"http_port": http_server.server_address[1], "grpc_port": grpc_port}), flush=True)
    # Stop when the test closes stdin or the time limit passes, whichever comes first.
    deadline = time.monotonic() + args.max_seconds
    watcher = threading.Thread(target=lambda: sys.stdin.read(), daemon=True)
    watcher.start()
    while watcher.is_alive() and time.monotonic() < deadline:
        watcher.join(0.2)
    grpc_server.stop(0)
    http_server.shutdown()


if __name__ == "__main__":
    main()
