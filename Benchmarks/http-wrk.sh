#!/usr/bin/env bash
# Requests per second of a hello route on loopback, measured with wrk, for:
#   none     no middleware
#   off      SpanLogTracingMiddleware with telemetry off (NoOpTracer)
#   context  no tracer: a middleware that only puts a span context into the task-local ServiceContext
#            around the handler, the floor under any middleware whose requests' log lines carry ids
#   floor    context plus the X-Trace-Id response header: the least a middleware meeting the issue can do
#   2%       SpanLogTracingMiddleware, SpanLogTracer sampling 2 %, sampled spans written to a gzip file (LOG_SPANS=sampled)
#   2%-all   the same, every span written (LOG_SPANS=all, the library default: unsampled spans are recorded too)
#   100%     100 % sampling, every span written to the gzip file
# The modes run interleaved, ROUNDS times each (default 3), DURATION seconds per run (default 5);
# the table shows each mode's median and its share of the no-middleware median, and the server's
# CPU time per request (user + system, all threads, from /proc/<pid>/stat).
# A second table (skip with SKIP_IN_PROCESS=1) calls the router in-process, without sockets,
# IN_PROCESS_ITERATIONS times (default 300000) per run: the middleware's own cost per request.
#
#   Benchmarks/http-wrk.sh                 # builds SpanLogHTTPBenchServer in release mode first
#   SKIP_BUILD=1 ROUNDS=5 DURATION=10 CONNECTIONS=32 Benchmarks/http-wrk.sh
#   PIN=1 Benchmarks/http-wrk.sh           # server on CPU 0, wrk on CPU 1 (taskset): far less spread
# On a shared VM even pinned runs move by ±15 % between rounds: Benchmarks/http-duel.sh runs each mode
# side by side with the no-middleware server instead, which settles a few per cent.
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/http-bench-common.sh

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-1}
SERVER_PIN=()
WRK_PIN=()
if [[ -n "${PIN:-}" ]]; then
    SERVER_PIN=(taskset -c 0)
    WRK_PIN=(taskset -c 1)
fi

SERVER=$(bench_server)

WORK=$(mktemp -d)
SERVER_PID=""
cleanup() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -INT "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# run_mode <label> <server arguments...>: prints requests/s
run_mode() {
    local label=$1; shift
    local out="$WORK/server-$label.out"
    "${SERVER_PIN[@]}" "$SERVER" "$@" >"$out" 2>&1 &
    SERVER_PID=$!
    local port
    port=$(server_port "$out" "$label")
    "${WRK_PIN[@]}" wrk -t1 -c"$CONNECTIONS" -d1s "http://127.0.0.1:$port/" >/dev/null   # warm-up
    local before after report rps requests
    before=$(cpu_ticks "$SERVER_PID")
    report=$("${WRK_PIN[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" "http://127.0.0.1:$port/")
    after=$(cpu_ticks "$SERVER_PID")
    rps=$(echo "$report" | awk '/^Requests\/sec:/ {print $2}')
    requests=$(echo "$report" | awk '/requests in/ {print $1}')
    kill -INT "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
    # server CPU (user + system, all threads) per request, in microseconds
    echo "$rps $(awk -v t=$((after - before)) -v n="$requests" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", t * 1e6 / hz / n}')"
}

declare -A results cpu
modes=("none" "off" "context" "floor" "2%" "2%-all" "100%")
for round in $(seq 1 "$ROUNDS"); do
    for mode in "${modes[@]}"; do
        rm -rf "$WORK/logs"
        mapfile -t args < <(mode_arguments "$mode" "$WORK/logs")
        out=$(run_mode "${mode//%/pc}" "${args[@]}")
        read -r rps us <<<"$out"
        results[$mode]="${results[$mode]:-} $rps"
        cpu[$mode]="${cpu[$mode]:-} $us"
        echo "round $round  $mode  $rps req/s  $us µs CPU/request" >&2
    done
done

base=$(echo "${results[none]}" | median)
basecpu=$(echo "${cpu[none]}" | median)
echo
echo "| mode | requests/s (median of $ROUNDS × ${DURATION} s) | vs. no middleware | server CPU µs/request (median) | vs. no middleware |"
echo "|---|---|---|---|---|"
for mode in "${modes[@]}"; do
    m=$(echo "${results[$mode]}" | median)
    c=$(echo "${cpu[$mode]}" | median)
    share=$(awk -v m="$m" -v b="$base" 'BEGIN {printf "%.1f %%", 100*m/b}')
    cshare=$(awk -v m="$c" -v b="$basecpu" 'BEGIN {printf "%+.1f %%", 100*(m-b)/b}')
    echo "| $mode | $m | $share | $c | $cshare |"
done

[[ -n "${SKIP_IN_PROCESS:-}" ]] && exit 0
ITERATIONS=${IN_PROCESS_ITERATIONS:-300000}
declare -A wall cpuns
for round in $(seq 1 "$ROUNDS"); do
    for mode in "${modes[@]}"; do
        rm -rf "$WORK/logs"
        mapfile -t args < <(mode_arguments "$mode" "$WORK/logs")
        line=$(BENCH_IN_PROCESS=$ITERATIONS "$SERVER" "${args[@]}")
        w=$(echo "$line" | awk '{print $2}')
        c=$(echo "$line" | awk '{print $4}')
        wall[$mode]="${wall[$mode]:-} $w"
        cpuns[$mode]="${cpuns[$mode]:-} $c"
        echo "in-process round $round  $mode  wall $w ns  cpu $c ns" >&2
    done
done
basewall=$(echo "${wall[none]}" | median)
basecpuns=$(echo "${cpuns[none]}" | median)
echo
echo "| mode (in-process, $ITERATIONS requests × $ROUNDS) | wall ns/request | added | CPU ns/request (all threads) | added |"
echo "|---|---|---|---|---|"
for mode in "${modes[@]}"; do
    w=$(echo "${wall[$mode]}" | median)
    c=$(echo "${cpuns[$mode]}" | median)
    echo "| $mode | $w | $(awk -v m="$w" -v b="$basewall" 'BEGIN {printf "%+d", m-b}') | $c | $(awk -v m="$c" -v b="$basecpuns" 'BEGIN {printf "%+d", m-b}') |"
done
