#!/usr/bin/env bash
# `spanlog grep` without a trace id and `spanlog traces`, against `zcat | jq` and `zgrep -F`, on
# the same rotated .gz logs (issue 19).
#
# Usage: Benchmarks/search-vs-jq.sh [uncompressed MiB, default 1024] [runs per tool, default 3]
#
# 1. Builds `spanlog` in release mode (skip with SPANLOG_BIN=/path/to/spanlog).
# 2. Generates rotated logs (Python, stdlib only): SpanLog log and span records, gzip level 1 in
#    ~1 MiB members, a new file every 64 MiB uncompressed, the records spread evenly over the
#    10 hours before now (so `--since 1h` keeps about a tenth); `spanlog index` then writes the
#    trace indexes the file sink writes when it closes a file.
# 3. Times (best of N, wall clock) `spanlog grep --level error` over everything and with
#    `--since 1h`, `zgrep -F '"level":"error"'`, `zcat | jq -c 'select(.level=="error")'` (one
#    run: it is slow), and `spanlog traces --slowest` with and without `--since 1h`; checks the
#    full scans find the same lines, and prints a table. The directory is removed on exit.
set -euo pipefail

SIZE_MIB="${1:-1024}"
RUNS="${2:-3}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/spanlog-search-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

if [[ -z "${SPANLOG_BIN:-}" ]]; then
    echo "building spanlog (release)…" >&2
    (cd "$ROOT" && swift build -c release --product spanlog >&2)
    SPANLOG_BIN="$(cd "$ROOT" && swift build -c release --show-bin-path)/spanlog"
fi
command -v jq >/dev/null || { echo "jq is needed (apt-get install jq)" >&2; exit 1; }

echo "generating ${SIZE_MIB} MiB of logs in $WORK…" >&2
generation_start=$(date +%s)
python3 - "$WORK" "$SIZE_MIB" <<'PY'
import os, random, sys, time, zlib

directory, size_mib = sys.argv[1], int(sys.argv[2])
target = size_mib << 20
random.seed(19)
hours = 10
end_ns = (int(time.time()) - 60) * 1_000_000_000
begin_ns = end_ns - hours * 3600 * 1_000_000_000
# About 330 bytes a line on average: spread the lines evenly over the hours.
step_ns = max(1, (end_ns - begin_ns) // max(1, target // 330))

seconds_text = {}
def stamp(ns):
    seconds, fraction = divmod(ns, 1_000_000_000)
    text = seconds_text.get(seconds)
    if text is None:
        text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds))
        seconds_text.clear()
        seconds_text[seconds] = text
    return "%s.%09dZ" % (text, fraction)

loggers = ["api", "db", "cache", "auth", "payments", "worker"]
messages = ["request received", "user signed in", "query executed", "cache miss", "token refreshed",
            "payment authorised", "job finished", "retrying upstream call", "response sent"]
routes = ["/users/{id}", "/checkout", "/orders/{id}/items", "/health", "/login"]
levels = ["debug", "info", "info", "info", "info", "notice", "warning", "error"]
log_line = ('{"timestamp":"%s","record":"log","level":"%s","logger":"%s","source":"App","message":"%s",'
            '"trace_id":"%s","span_id":"%s","trace_flags":"01","user":"%d","request_id":"%016x"}\n')
span_line = ('{"timestamp":"%s","record":"span","level":"%s","name":"%s","kind":"%s","trace_id":"%s",'
             '"span_id":"%s",%s"trace_flags":"01","start":"%s","end":"%s","duration_ns":%d,"status":"%s",'
             '"service":"checkout","attributes":{"http.method":"GET","http.route":"%s","http.status_code":%d},'
             '"events":[],"links":[]}\n')

def new_trace():
    return {"id": "%032x" % random.getrandbits(128), "root": "%016x" % random.getrandbits(64),
            "left": random.randint(4, 24), "route": random.choice(routes)}

active = [new_trace() for _ in range(200)]
written = file_bytes = member_bytes = 0
file_index = 0
now = begin_ns
member = []

def open_file(index, ns):
    name = "checkout-%s-%04d.jsonl.gz" % (time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(ns // 1_000_000_000)), index + 1)
    return open(os.path.join(directory, name), "wb")

out = open_file(0, now)
def flush():
    global member, member_bytes
    if member:
        compressor = zlib.compressobj(1, zlib.DEFLATED, 31)
        out.write(compressor.compress("".join(member).encode()) + compressor.flush())
    member, member_bytes = [], 0

while written < target:
    now += step_ns
    slot = random.randrange(len(active))
    trace = active[slot]
    trace["left"] -= 1
    if trace["left"] == 0:
        duration = random.randint(1_000_000, 3_000_000_000)
        status = "error" if random.random() < 0.02 else "ok"
        line = span_line % (stamp(now), "error" if status == "error" else "info", "http.server", "server", trace["id"],
                            trace["root"], "", stamp(now - duration), stamp(now), duration, status, trace["route"],
                            500 if status == "error" else 200)
        active[slot] = new_trace()
    elif trace["left"] % 5 == 0:
        duration = random.randint(100_000, 200_000_000)
        line = span_line % (stamp(now), "info", "db.query", "client", trace["id"], "%016x" % random.getrandbits(64),
                            '"parent_span_id":"%s",' % trace["root"], stamp(now - duration), stamp(now), duration,
                            "ok", trace["route"], 200)
    else:
        line = log_line % (stamp(now), random.choice(levels), random.choice(loggers), random.choice(messages),
                           trace["id"], trace["root"], random.randint(1, 99999), random.getrandbits(64))
    member.append(line)
    size = len(line)
    member_bytes += size
    written += size
    file_bytes += size
    if member_bytes >= 1 << 20:
        flush()
    if file_bytes >= 64 << 20 and written < target:
        flush()
        out.close()
        file_index += 1
        out = open_file(file_index, now)
        file_bytes = 0
flush()
out.close()
PY
echo "generated in $(( $(date +%s) - generation_start )) s; indexing…" >&2
"$SPANLOG_BIN" index "$WORK" >&2

FILES=("$WORK"/*.jsonl.gz)
COMPRESSED="$(du -cb "${FILES[@]}" | tail -1 | cut -f1)"
UNCOMPRESSED="$(zcat "${FILES[@]}" | wc -c)"
mib=$((UNCOMPRESSED >> 20))
echo "files: ${#FILES[@]}, compressed $((COMPRESSED >> 20)) MiB, uncompressed $mib MiB" >&2

# best_of <runs> <shell command>: "wall cpu lines" of the run with the least wall-clock time.
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

export SPANLOG_BIN WORK
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
read -r t_full c_full n_full < <(best_of "$RUNS" '"$SPANLOG_BIN" grep "$WORK" --level error; [[ $? -le 1 ]]')
read -r t_since c_since n_since < <(best_of "$RUNS" '"$SPANLOG_BIN" grep "$WORK" --level error --since 1h; [[ $? -le 1 ]]')
read -r t_count c_count n_count_lines < <(best_of "$RUNS" '"$SPANLOG_BIN" grep "$WORK" --level error --count > "$WORK/count"; [[ $? -le 1 ]]')
read -r t_zgrep c_zgrep n_zgrep < <(best_of "$RUNS" 'zgrep -F "\"level\":\"error\"" "$WORK"/*.jsonl.gz; [[ $? -le 1 ]]')
read -r t_jq c_jq n_jq < <(best_of 1 'zcat "$WORK"/*.jsonl.gz | jq -c "select(.level==\"error\")"')
read -r t_traces c_traces n_traces < <(best_of "$RUNS" '"$SPANLOG_BIN" traces "$WORK" --slowest --since 1h; [[ $? -le 1 ]]')
read -r t_traces_all c_traces_all n_traces_all < <(best_of "$RUNS" '"$SPANLOG_BIN" traces "$WORK" --slowest; [[ $? -le 1 ]]')
n_count="$(cat "$WORK/count")"

if [[ "$n_full" != "$n_zgrep" || "$n_full" != "$n_jq" || "$n_full" != "$n_count" ]]; then
    echo "mismatch: spanlog $n_full, --count $n_count, zgrep $n_zgrep, jq $n_jq lines" >&2
    exit 1
fi
row() { printf '| %-48s | %7s | %7s | %7s | %9s | %9s |\n' "$1" "$2" "$3" "$4" "$5" "$6"; }
speed() { echo "scale=0; $mib / $1" | bc -l; }
ratio() { printf '%.2f' "$(echo "$t_zgrep / $1" | bc -l)"; }
echo
echo "$(date -u +%Y-%m-%dT%H:%MZ): ${#FILES[@]} files, $((COMPRESSED >> 20)) MiB gzip, $mib MiB uncompressed over 10 h; best of $RUNS runs (jq: 1); load average before: $load_before"
echo
row "command" "lines" "wall s" "CPU s" "MiB/s" "vs zgrep"
row "---" "---:" "---:" "---:" "---:" "---:"
row "spanlog grep --level error (full scan)" "$n_full" "$t_full" "$c_full" "$(speed "$t_full")" "$(ratio "$t_full")×"
row "spanlog grep --level error --count" "$n_count" "$t_count" "$c_count" "$(speed "$t_count")" "$(ratio "$t_count")×"
row "spanlog grep --level error --since 1h" "$n_since" "$t_since" "$c_since" "-" "$(ratio "$t_since")×"
row "zgrep -F '\"level\":\"error\"'" "$n_zgrep" "$t_zgrep" "$c_zgrep" "$(speed "$t_zgrep")" "1.00×"
row "zcat | jq -c 'select(.level==\"error\")'" "$n_jq" "$t_jq" "$c_jq" "$(speed "$t_jq")" "$(ratio "$t_jq")×"
row "spanlog traces --slowest --since 1h" "$n_traces" "$t_traces" "$c_traces" "-" "$(ratio "$t_traces")×"
row "spanlog traces --slowest (full scan)" "$n_traces_all" "$t_traces_all" "$c_traces_all" "$(speed "$t_traces_all")" "$(ratio "$t_traces_all")×"
