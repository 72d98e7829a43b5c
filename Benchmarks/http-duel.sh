#!/usr/bin/env bash
# The middleware's share of a hello route's throughput, measured side by side: the no-middleware
# server and one other mode's server run at the same time, both pinned to CPU 0, each loaded by
# its own wrk (-t1 -c16) on CPU 1 for DURATION seconds. Both servers see the same machine at the
# same moment, so a neighbour slowing the VM down slows both; each one's server CPU time per
# request (user + system, all threads, /proc/<pid>/stat) is taken over the same window, and
#
#   share = CPU µs per request without middleware / CPU µs per request of the mode
#
# is the mode's requests/s relative to no middleware on equal CPU (the servers are CPU-bound).
# The raw requests/s ratio is shown too; it also carries how the scheduler happened to split
# the core between the two servers in that round.
#
# Sequential runs (Benchmarks/http-wrk.sh) on this 2-core VM moved by up to 20 % between rounds of
# the same mode; these duels repeat to within a few per cent (the control row, a second
# no-middleware server, reads 99.5–102 %).
#
# Modes (MODES, default all): control, off, context, floor, 2%, 2%-all, 100% — as in
# http-wrk.sh, plus
#   control  a second no-middleware server: what the method reads when nothing differs
#   floor    the `context` middleware that also adds the X-Trace-Id header: the least a middleware
#            meeting the issue can do with ServiceContext and HTTP types (no span, no random ids)
#
#   Benchmarks/http-duel.sh                          # builds SpanLogHTTPBenchServer (release), 5 rounds × 5 s
#   SKIP_BUILD=1 ROUNDS=9 DURATION=5 MODES="floor 2%" Benchmarks/http-duel.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/http-bench-common.sh

ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-16}
read -r -a modes <<<"${MODES:-control off context floor 2% 2%-all 100%}"

command -v taskset >/dev/null || { echo "taskset is not installed (util-linux)" >&2; exit 1; }
SERVER=$(bench_server)

WORK=$(mktemp -d)
declare -A pid port
stop_all() {
    for p in "${pid[@]}"; do kill -INT "$p" 2>/dev/null || true; done
    for p in "${pid[@]}"; do wait "$p" 2>/dev/null || true; done
    pid=(); port=()
}
cleanup() {
    stop_all
    rm -rf "$WORK"
}
trap cleanup EXIT

# start <name> <server arguments...>: starts one server on CPU 0 and waits for its port
start() {
    local name=$1; shift
    taskset -c 0 "$SERVER" "$@" >"$WORK/$name.out" 2>&1 &
    pid[$name]=$!
    port[$name]=$(server_port "$WORK/$name.out" "$name")
}

# start_mode <mode>: the mode's server, named "mode"
start_mode() {
    rm -rf "$WORK/logs"
    local args
    mapfile -t args < <(mode_arguments "$1" "$WORK/logs")
    [[ ${#args[@]} -gt 0 ]] || exit 2
    start mode "${args[@]}"
}

# load <seconds>: one wrk per server at once, on CPU 1
load() {
    taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"$1s" "http://127.0.0.1:${port[none]}/" >"$WORK/wrk-none" &
    local base_wrk=$!
    taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"$1s" "http://127.0.0.1:${port[mode]}/" >"$WORK/wrk-mode" &
    local mode_wrk=$!
    wait "$base_wrk" "$mode_wrk"
}

# Each duel starts both servers afresh and warms them up together, so that neither has run
# longer or more recently than the other (a server kept loaded between duels ran ~1.5 % faster
# than a fresh copy of itself).
hz=$(getconf CLK_TCK)
declare -A shares rates
for round in $(seq 1 "$ROUNDS"); do
    for mode in "${modes[@]}"; do
        start none none
        start_mode "$mode"
        load 1
        base_before=$(cpu_ticks "${pid[none]}"); mode_before=$(cpu_ticks "${pid[mode]}")
        load "$DURATION"
        base_after=$(cpu_ticks "${pid[none]}"); mode_after=$(cpu_ticks "${pid[mode]}")
        stop_all
        base_requests=$(awk '/requests in/ {print $1}' "$WORK/wrk-none")
        mode_requests=$(awk '/requests in/ {print $1}' "$WORK/wrk-mode")
        read -r share rate base_us mode_us < <(awk -v bt=$((base_after - base_before)) -v mt=$((mode_after - mode_before)) \
            -v bn="$base_requests" -v mn="$mode_requests" -v hz="$hz" \
            'BEGIN {bu = bt * 1e6 / hz / bn; mu = mt * 1e6 / hz / mn; printf "%.4f %.4f %.2f %.2f\n", bu / mu, mn / bn, bu, mu}')
        shares[$mode]="${shares[$mode]:-} $share"
        rates[$mode]="${rates[$mode]:-} $rate"
        echo "round $round  $mode  share $share  requests ratio $rate  CPU µs/request none $base_us, $mode $mode_us" >&2
    done
done

spread() { tr ' ' '\n' | grep -v '^$' | sort -g | awk 'NR==1 {lo=$1} {hi=$1} END {printf "%.1f–%.1f %%", 100*lo, 100*hi}'; }
echo
echo "| mode | share of no middleware (median of $ROUNDS duels × ${DURATION} s, equal CPU) | range | requests/s ratio (median) |"
echo "|---|---:|---:|---:|"
for mode in "${modes[@]}"; do
    s=$(echo "${shares[$mode]}" | median)
    r=$(echo "${rates[$mode]}" | median)
    printf "| %s | %.1f %% | %s | %.1f %% |\n" "$mode" "$(awk -v x="$s" 'BEGIN {print 100*x}')" "$(echo "${shares[$mode]}" | spread)" "$(awk -v x="$r" 'BEGIN {print 100*x}')"
done
