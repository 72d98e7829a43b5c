#!/usr/bin/env bash
# spanlog grep against zgrep -F and zcat | grep -F on the same rotated .gz logs.
#
# Usage: Benchmarks/grep-vs-zgrep.sh [uncompressed MiB, default 1024] [runs per tool, default 3]
#
# 1. Builds `spanlog` in release mode (skip with SPANLOG_BIN=/path/to/spanlog).
# 2. Generates rotated logs in a temporary directory with the GENERATOR below (Python, stdlib
#    only): SpanLog JSON lines (log and span records, docs/format.md), many traces interleaved,
#    gzip level 1 in ~1 MiB members (one member per flush, as RotatingGzipFileSink writes them),
#    a new file every 64 MiB uncompressed, named <name>-<yyyyMMdd'T'HHmmss'Z'>-<seq>.jsonl.gz.
#    One trace (the needle) has a few dozen records spread over all files.
# 3. Times each tool (best of N runs, wall clock), checks they all find the same number of lines,
#    and prints a table. The temporary directory is removed on exit.
set -euo pipefail

SIZE_MIB="${1:-1024}"
RUNS="${2:-3}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/spanlog-grep-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

if [[ -z "${SPANLOG_BIN:-}" ]]; then
    echo "building spanlog (release)…" >&2
    (cd "$ROOT" && swift build -c release --product spanlog >&2)
    SPANLOG_BIN="$(cd "$ROOT" && swift build -c release --show-bin-path)/spanlog"
fi

NEEDLE="$(python3 -c 'import os; print(os.urandom(16).hex())')"

echo "generating ${SIZE_MIB} MiB of logs in $WORK…" >&2
# ---------------------------------------------------------------------------------------------
# GENERATOR (Python): writes the benchmark's rotated .jsonl.gz files. Not part of SpanLog.
# ---------------------------------------------------------------------------------------------
python3 - "$WORK" "$SIZE_MIB" "$NEEDLE" <<'PY'
import os, random, sys, zlib, datetime

directory, size_mib, needle = sys.argv[1], int(sys.argv[2]), sys.argv[3]
target = size_mib << 20
file_limit = 64 << 20
member_limit = 1 << 20
random.seed(42)

def hexid(n):
    return os.urandom(n).hex()

loggers = ["api", "db", "cache", "auth", "payments", "worker"]
messages = ["request received", "user signed in", "query executed", "cache miss", "token refreshed",
            "payment authorised", "job finished", "retrying upstream call", "response sent"]
routes = ["/users/{id}", "/orders", "/orders/{id}/items", "/health", "/login"]
levels = ["debug", "info", "info", "info", "info", "notice", "warning", "error"]
start = datetime.datetime(2026, 11, 25, 15, 0, 0, tzinfo=datetime.timezone.utc)
epoch_ns = int(start.timestamp()) * 1_000_000_000

def stamp(ns):
    seconds, fraction = divmod(ns, 1_000_000_000)
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S") + ".%09dZ" % fraction

log_template = ('{"timestamp":"%s","record":"log","level":"%s","logger":"%s","message":"%s",'
                '"trace_id":"%s","span_id":"%s","trace_flags":"01","user":"%d","request_id":"%s"}\n')
span_template = ('{"timestamp":"%s","record":"span","level":"%s","name":"%s","kind":"server","trace_id":"%s",'
                 '"span_id":"%s","trace_flags":"01","start":"%s","end":"%s","duration_ns":%d,"status":"%s",'
                 '"service":"checkout","attributes":{"http.method":"GET","http.route":"%s","http.status_code":%d},'
                 '"events":[],"links":[]}\n')

pool = [(hexid(16), hexid(8)) for _ in range(4000)]
written = 0
file_index = 0
now = epoch_ns
needle_every = max(1, target // 40 // 330)
line_number = 0

def open_file(index):
    t = start + datetime.timedelta(minutes=index)
    name = "app-%s-%04d.jsonl.gz" % (t.strftime("%Y%m%dT%H%M%SZ"), index + 1)
    return open(os.path.join(directory, name), "wb")

out = open_file(0)
file_bytes = 0
member = []
member_bytes = 0

def flush_member():
    global member, member_bytes
    if member:
        compressor = zlib.compressobj(1, zlib.DEFLATED, 31)
        out.write(compressor.compress("".join(member).encode()) + compressor.flush())
    member = []
    member_bytes = 0

while written < target:
    now += random.randint(10_000, 400_000)
    line_number += 1
    if line_number % needle_every == 0:
        trace, span = needle, "00f067aa0ba902b7"
    else:
        trace, span = random.choice(pool)
    if line_number % 9 == 0:
        duration = random.randint(100_000, 900_000_000)
        status = "error" if line_number % 97 == 0 else "ok"
        line = span_template % (stamp(now), "error" if status == "error" else "info", "http.server", trace, span,
                                stamp(now - duration), stamp(now), duration, status, random.choice(routes),
                                500 if status == "error" else 200)
    else:
        line = log_template % (stamp(now), random.choice(levels), random.choice(loggers), random.choice(messages),
                               trace, span, random.randint(1, 99999), hexid(8))
    member.append(line)
    member_bytes += len(line)
    written += len(line)
    file_bytes += len(line)
    if member_bytes >= member_limit:
        flush_member()
    if file_bytes >= file_limit and written < target:
        flush_member()
        out.close()
        file_index += 1
        out = open_file(file_index)
        file_bytes = 0
flush_member()
out.close()
PY
# ----------------------------------------------------------------------------- end GENERATOR

FILES=("$WORK"/*.jsonl.gz)
COMPRESSED="$(du -cb "${FILES[@]}" | tail -1 | cut -f1)"
UNCOMPRESSED="$(zcat "${FILES[@]}" | wc -c)"
echo "files: ${#FILES[@]}, compressed $((COMPRESSED >> 20)) MiB, uncompressed $((UNCOMPRESSED >> 20)) MiB, needle $NEEDLE" >&2

# best_of <runs> <shell command>: prints "wall cpu lines" for the run with the least wall-clock
# time; cpu is user + system seconds of the command and its children (both processes of a pipe).
best_of() {
    local runs="$1" command="$2"
    local best="" best_cpu="" lines=""
    for ((run = 0; run < runs; run++)); do
        lines="$(/usr/bin/time -f '%e %U %S' -o "$WORK/time" bash -c "$command" | wc -l)"
        read -r elapsed user system < <(tail -1 "$WORK/time")
        if [[ -z "$best" ]] || (( $(echo "$elapsed < $best" | bc -l) )); then
            best="$elapsed"
            best_cpu="$(echo "$user + $system" | bc -l)"
        fi
    done
    printf '%.2f %.2f %s\n' "$best" "$best_cpu" "$lines"
}

export SPANLOG_BIN NEEDLE WORK
read -r t_spanlog c_spanlog n_spanlog < <(best_of "$RUNS" '"$SPANLOG_BIN" grep "$NEEDLE" "$WORK"; [[ $? -le 1 ]]')
read -r t_spanlog1 c_spanlog1 n_spanlog1 < <(best_of "$RUNS" '"$SPANLOG_BIN" grep --threads 1 "$NEEDLE" "$WORK"; [[ $? -le 1 ]]')
read -r t_zgrep c_zgrep n_zgrep < <(best_of "$RUNS" 'zgrep -F "$NEEDLE" "$WORK"/*.jsonl.gz; [[ $? -le 1 ]]')
read -r t_zcat c_zcat n_zcat < <(best_of "$RUNS" 'zcat "$WORK"/*.jsonl.gz | grep -F "$NEEDLE"; [[ $? -le 1 ]]')

if [[ "$n_spanlog" != "$n_zgrep" || "$n_spanlog" != "$n_zcat" || "$n_spanlog" != "$n_spanlog1" ]]; then
    echo "mismatch: spanlog $n_spanlog, spanlog --threads 1 $n_spanlog1, zgrep $n_zgrep, zcat|grep $n_zcat lines" >&2
    exit 1
fi

mib=$((UNCOMPRESSED >> 20))
row() { printf '| %-26s | %6s | %8s | %8s | %12s | %9s |\n' "$1" "$2" "$3" "$4" "$5" "$6"; }
speed() { echo "scale=0; $mib / $1" | bc -l; }
ratio() { printf '%.2f' "$(echo "$t_zgrep / $1" | bc -l)"; }
echo
echo "${#FILES[@]} files, $((COMPRESSED >> 20)) MiB gzip, $mib MiB uncompressed; $n_spanlog matching lines; best of $RUNS runs; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
row "tool" "lines" "wall s" "CPU s" "MiB/s (wall)" "vs zgrep"
row "---" "---:" "---:" "---:" "---:" "---:"
row "spanlog grep (2 threads)" "$n_spanlog" "$t_spanlog" "$c_spanlog" "$(speed "$t_spanlog")" "$(ratio "$t_spanlog")×"
row "spanlog grep --threads 1" "$n_spanlog1" "$t_spanlog1" "$c_spanlog1" "$(speed "$t_spanlog1")" "$(ratio "$t_spanlog1")×"
row "zgrep -F" "$n_zgrep" "$t_zgrep" "$c_zgrep" "$(speed "$t_zgrep")" "1.00×"
row "zcat | grep -F" "$n_zcat" "$t_zcat" "$c_zcat" "$(speed "$t_zcat")" "$(ratio "$t_zcat")×"
