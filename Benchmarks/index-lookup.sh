#!/usr/bin/env bash
# spanlog grep with the trace-id index (<file>.idx beside each .jsonl.gz) against a full scan
# (spanlog grep --no-index) and zgrep -F, on rotated .gz logs of one or more sizes.
#
# Usage: Benchmarks/index-lookup.sh [uncompressed GiB list, default "1 10"]
#   Benchmarks/index-lookup.sh                 # 1 GiB and 10 GiB
#   Benchmarks/index-lookup.sh "0.25 1"        # fractional sizes are fine
#   SPANLOG_BIN=.build/release/spanlog Benchmarks/index-lookup.sh "1"
#
# 1. Builds `spanlog` in release mode (skip with SPANLOG_BIN=/path/to/spanlog).
# 2. Generates the largest size once with the GENERATOR below (Python, stdlib only, 2 processes,
#    GEN_PROCESSES to change): SpanLog JSON lines (docs/format.md) from a rolling pool of 200
#    active traces, each 5–60 records (logs, child spans, and its root span last) over 0.5–5 s of
#    log time; a finished trace is replaced by a new random id. Timestamps increase monotonically.
#    gzip level 1 in ~1 MiB members, 64 MiB uncompressed per file, named
#    <name>-<yyyyMMdd'T'HHmmss'Z'>-<seq>.jsonl.gz. Every file is independent and deterministic
#    (seed and start time derived from its index). A smaller size is a directory of hard links
#    to the first files. The present needle is a trace of the middle file of the smallest size;
#    the absent needle is a random id.
# 3. Per size: `spanlog index <dir>` once (time, total .idx bytes), then spanlog grep with the
#    index (present and absent id, best of 5, wall clock in ms), spanlog grep --no-index and
#    zgrep -F (best of 3 below 5 GiB, 1 run from 5 GiB; FULL_SCAN_RUNS to change). Checks that
#    every tool prints the same number of lines for the present id (the number the generator
#    wrote) and none for the absent one, then prints a table. Page cache is warm (files were
#    just written). The temporary directory is removed on exit.
set -euo pipefail

SIZES="${1:-1 10}"
GEN_PROCESSES="${GEN_PROCESSES:-2}"
INDEX_RUNS=5
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/spanlog-index-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

FILE_MIB=64
for size in $SIZES; do
    [[ "$size" =~ ^([0-9]+\.?[0-9]*|\.[0-9]+)$ ]] && awk -v s="$size" 'BEGIN { exit !(s > 0) }' || {
        echo "not a size in GiB: '$size' (usage: $0 [\"1 10\"])" >&2
        exit 2
    }
done
read -r -a SIZES <<<"$(printf '%s\n' $SIZES | sort -g -u | tr '\n' ' ')"
# files_for <GiB>: how many 64 MiB files hold that much (the last one of the largest size is partial)
files_for() { awk -v s="$1" -v f="$FILE_MIB" 'BEGIN { n = s * 1024 / f; printf "%d\n", (n == int(n)) ? n : int(n) + 1 }'; }
LARGEST="${SIZES[${#SIZES[@]} - 1]}"
TOTAL_BYTES="$(awk -v s="$LARGEST" 'BEGIN { printf "%.0f\n", s * 1073741824 }')"
NEEDLE_FILE=$(( $(files_for "${SIZES[0]}") / 2 ))

if [[ -z "${SPANLOG_BIN:-}" ]]; then
    echo "building spanlog (release)…" >&2
    (cd "$ROOT" && swift build -c release --product spanlog >&2)
    SPANLOG_BIN="$(cd "$ROOT" && swift build -c release --show-bin-path)/spanlog"
fi

# now_us: sets NOW_US to the wall clock in microseconds (bash 5's EPOCHREALTIME: no fork).
now_us() {
    if [[ -n "${EPOCHREALTIME:-}" ]]; then
        NOW_US="${EPOCHREALTIME/[.,]/}"
    else
        NOW_US=$(( $(date +%s%N) / 1000 ))
    fi
}

DATA="$WORK/data"
mkdir -p "$DATA"
echo "generating ${LARGEST} GiB of logs in $DATA with $GEN_PROCESSES processes…" >&2
now_us; gen_start=$NOW_US
# ---------------------------------------------------------------------------------------------
# GENERATOR (Python): writes the benchmark's rotated .jsonl.gz files, a manifest (name,
# uncompressed bytes, lines per file) and the needle (a trace id of file NEEDLE_FILE and its
# number of records). Not part of SpanLog.
# ---------------------------------------------------------------------------------------------
python3 - "$DATA" "$TOTAL_BYTES" "$NEEDLE_FILE" "$GEN_PROCESSES" "$WORK/needle" <<'PY'
import heapq, multiprocessing, os, random, sys, time, zlib

directory, total_bytes, needle_file, processes, needle_path = (
    sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
FILE_LIMIT = 64 << 20
MEMBER_LIMIT = 1 << 20
POOL = 200                       # active traces at any time
FILE_WINDOW_S = 180              # log time given to each file; a full one covers ~105 s
BASE_S = 1795618800              # 2026-11-25T15:00:00Z
SEED = 0x5EED

loggers = ["api", "db", "cache", "auth", "payments", "worker"]
messages = ["request received", "user signed in", "query executed", "cache miss", "token refreshed",
            "payment authorised", "job finished", "retrying upstream call", "response sent"]
routes = ["/users/{id}", "/orders", "/orders/{id}/items", "/health", "/login"]
levels = ["debug", "info", "info", "info", "info", "notice", "warning", "error"]
children = [("db.query", "client", "postgres"), ("cache.get", "client", "redis"),
            ("http.client", "client", "inventory"), ("render", "internal", "checkout")]

log_template = ('{"timestamp":"%s","record":"log","level":"%s","logger":"%s","message":"%s",'
                '"trace_id":"%s","span_id":"%s","trace_flags":"01","user":"%d","request_id":"%016x"}\n')
root_template = ('{"timestamp":"%s","record":"span","level":"%s","name":"http.server","kind":"server","trace_id":"%s",'
                 '"span_id":"%s","trace_flags":"01","start":"%s","end":"%s","duration_ns":%d,"status":"%s",'
                 '"service":"checkout","attributes":{"http.method":"GET","http.route":"%s","http.status_code":%d},'
                 '"events":[],"links":[]}\n')
child_template = ('{"timestamp":"%s","record":"span","level":"%s","name":"%s","kind":"%s","trace_id":"%s",'
                  '"span_id":"%s","parent_span_id":"%s","trace_flags":"01","start":"%s","end":"%s","duration_ns":%d,'
                  '"status":"%s","service":"checkout","attributes":{"peer.service":"%s"},"events":[],"links":[]}\n')

def stamp(ns):
    seconds, fraction = divmod(ns, 1_000_000_000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + ".%09dZ" % fraction

def file_name(index):
    return "app-%s-%04d.jsonl.gz" % (time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(BASE_S + index * FILE_WINDOW_S)), index + 1)

def generate(index):
    """Writes file `index`; returns (name, bytes, lines, needle or None)."""
    rng = random.Random(SEED * 1_000_003 + index)
    limit = min(FILE_LIMIT, total_bytes - index * FILE_LIMIT)
    start_ns = (BASE_S + index * FILE_WINDOW_S) * 1_000_000_000
    window_end = start_ns + FILE_WINDOW_S * 1_000_000_000

    def new_trace(t0):
        # [trace id, root span id, record times, next record, child span records' indices, span ids, start]
        n = rng.randint(5, 60)
        duration = rng.randint(500_000_000, 5_000_000_000)
        times = sorted(t0 + rng.randrange(duration) for _ in range(n - 1))
        times.append(t0 + duration)
        spans = ["%016x" % rng.getrandbits(64) for _ in range(1 + n // 12)]
        child_records = set(rng.sample(range(n - 1), len(spans) - 1))
        return ["%032x" % (rng.getrandbits(128) | 1), spans[0], times, 0, child_records, spans, t0]

    traces = []
    heap = []
    for slot in range(POOL):
        trace = new_trace(start_ns + rng.randrange(3_000_000_000))
        traces.append(trace)
        heap.append((trace[2][0], slot))
    heapq.heapify(heap)

    path = os.path.join(directory, file_name(index))
    out = open(path, "wb")
    member, member_bytes, file_bytes, lines = [], 0, 0, 0
    needle, needle_count, needle_slot, last = None, 0, -1, 0
    cached_second, cached_prefix = -1, ""
    while file_bytes < limit:
        now, slot = heapq.heappop(heap)
        if now <= last:
            now = last + 1
        last = now
        seconds, fraction = divmod(now, 1_000_000_000)
        if seconds != cached_second:
            cached_second = seconds
            cached_prefix = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds))
        timestamp = "%s.%09dZ" % (cached_prefix, fraction)
        trace = traces[slot]
        trace_id, root, times, position, child_records, spans, t0 = trace
        if position == len(times) - 1:
            duration = now - t0
            status = "error" if rng.random() < 0.02 else "ok"
            line = root_template % (timestamp, "error" if status == "error" else "info", trace_id, root,
                                    stamp(t0), timestamp, duration, status, rng.choice(routes),
                                    500 if status == "error" else 200)
        elif position in child_records:
            span = spans[1 + sorted(child_records).index(position)]
            duration = rng.randint(100_000, max(100_000, now - t0))
            name, kind, peer = rng.choice(children)
            status = "error" if rng.random() < 0.02 else "ok"
            line = child_template % (timestamp, "error" if status == "error" else "info", name, kind, trace_id,
                                     span, root, stamp(now - duration), timestamp, duration, status, peer)
        else:
            line = log_template % (timestamp, rng.choice(levels), rng.choice(loggers), rng.choice(messages),
                                   trace_id, rng.choice(spans), rng.randint(1, 99999), rng.getrandbits(64))
        if slot == needle_slot:
            needle_count += 1
        position += 1
        if position < len(times):
            trace[3] = position
            heapq.heappush(heap, (times[position], slot))
        else:
            if slot == needle_slot:
                needle, needle_slot = (trace_id, needle_count), -2
            trace = new_trace(now + rng.randrange(1_000_000))
            traces[slot] = trace
            heapq.heappush(heap, (trace[2][0], slot))
            # The needle: the first trace with >= 20 records started after the middle of the file.
            if index == needle_file and needle_slot == -1 and file_bytes >= limit // 2 and len(trace[2]) >= 20:
                needle_slot, needle_count = slot, 0
        member.append(line)
        member_bytes += len(line)
        file_bytes += len(line)
        lines += 1
        if member_bytes >= MEMBER_LIMIT or file_bytes >= limit:
            compressor = zlib.compressobj(1, zlib.DEFLATED, 31)
            out.write(compressor.compress("".join(member).encode()) + compressor.flush())
            member, member_bytes = [], 0
    out.close()
    if last >= window_end:
        raise SystemExit("%s: records run past the file's time window (%d s); raise FILE_WINDOW_S" % (path, FILE_WINDOW_S))
    if index == needle_file and needle is None:
        raise SystemExit("%s: no complete needle trace in the second half of the file" % path)
    return file_name(index), file_bytes, lines, needle

if __name__ == "__main__":
    count = (total_bytes + FILE_LIMIT - 1) // FILE_LIMIT
    results = []
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        for result in pool.imap_unordered(generate, range(count)):
            results.append(result)
            print("\r  %d/%d files" % (len(results), count), end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    results.sort()
    with open(os.path.join(directory, "manifest"), "w") as manifest:
        for name, size, lines, _ in results:
            manifest.write("%s %d %d\n" % (name, size, lines))
    needle = next(n for *_, n in results if n is not None)
    with open(needle_path, "w") as f:
        f.write("%s %d\n" % needle)
PY
# ----------------------------------------------------------------------------- end GENERATOR
now_us; gen_us=$((NOW_US - gen_start))
mapfile -t ALL_FILES < <(cut -d' ' -f1 "$DATA/manifest")
read -r PRESENT EXPECTED <"$WORK/needle"
ABSENT="$(python3 -c 'import os; print(os.urandom(16).hex())')"
printf 'generated %d files in %.1f s; present id %s (%d records, file %d), absent id %s\n' \
    "${#ALL_FILES[@]}" "$(awk -v u="$gen_us" 'BEGIN { print u / 1e6 }')" "$PRESENT" "$EXPECTED" \
    "$((NEEDLE_FILE + 1))" "$ABSENT" >&2

# best_ms <runs> <command…>: runs the command (no shell in between, stdout to a file) <runs>
# times; sets BEST_US (least wall-clock microseconds) and LINES (stdout lines of the last run).
# Exit status 0 or 1 (found / not found) is fine; anything else aborts the benchmark.
best_ms() {
    local runs="$1" run rc start
    shift
    BEST_US=""
    for ((run = 0; run < runs; run++)); do
        now_us; start=$NOW_US
        rc=0
        "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
        now_us
        if ((rc > 1)); then
            echo "failed (exit $rc): $*" >&2
            cat "$WORK/err" >&2
            exit 1
        fi
        if [[ -z "$BEST_US" ]] || ((NOW_US - start < BEST_US)); then BEST_US=$((NOW_US - start)); fi
    done
    LINES="$(wc -l <"$WORK/out")"
}

# wall <µs>: "12.3 ms" under a second, "4.56 s" from a second.
wall() { awk -v u="$1" 'BEGIN { if (u < 1e6) printf "%.1f ms", u / 1e3; else printf "%.2f s", u / 1e6 }'; }
# ratio <zgrep µs> <tool µs>: how many times faster than zgrep.
ratio() { awk -v z="$1" -v t="$2" 'BEGIN { r = z / t; printf (r >= 100 ? "%.0f×" : (r >= 10 ? "%.1f×" : "%.2f×")), r }'; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
row() { printf '| %-46s | %6s | %10s | %8s |\n' "$1" "$2" "$3" "$4"; }

status=0
for size in "${SIZES[@]}"; do
    count="$(files_for "$size")"
    ((count > ${#ALL_FILES[@]})) && count=${#ALL_FILES[@]}
    dir="$WORK/${size}GiB"
    mkdir "$dir"
    for name in "${ALL_FILES[@]:0:count}"; do ln "$DATA/$name" "$dir/$name"; done
    FILES=("$dir"/*.jsonl.gz)
    compressed="$(du -cb "${FILES[@]}" | tail -1 | cut -f1)"
    uncompressed="$(head -n "$count" "$DATA/manifest" | awk '{ s += $2 } END { printf "%.0f\n", s }')"
    load="$(cut -d' ' -f1-3 /proc/loadavg)"
    full_runs="${FULL_SCAN_RUNS:-$(awk -v s="$size" 'BEGIN { print (s >= 5 ? 1 : 3) }')}"
    echo "${size} GiB: indexing $count files…" >&2

    now_us; start=$NOW_US
    "$SPANLOG_BIN" index "$dir" >"$WORK/index.log" 2>&1 || { cat "$WORK/index.log" >&2; echo "spanlog index failed" >&2; exit 1; }
    now_us; index_us=$((NOW_US - start))
    sed 's/^/  spanlog index: /' "$WORK/index.log" >&2
    index_files="$(find "$dir" -maxdepth 1 -name '*.idx' | wc -l)"
    index_bytes="$(find "$dir" -maxdepth 1 -name '*.idx' -printf '%s\n' | awk '{ s += $1 } END { printf "%.0f\n", s }')"
    ((index_files == count)) || echo "warning: $index_files .idx files for $count log files" >&2

    best_ms "$INDEX_RUNS" "$SPANLOG_BIN" grep "$PRESENT" "$dir"; t_present=$BEST_US n_present=$LINES
    best_ms "$INDEX_RUNS" "$SPANLOG_BIN" grep "$ABSENT" "$dir"; t_absent=$BEST_US n_absent=$LINES
    echo "${size} GiB: full scans ($full_runs run(s) each)…" >&2
    best_ms "$full_runs" "$SPANLOG_BIN" grep --no-index "$PRESENT" "$dir"; t_scan=$BEST_US n_scan=$LINES
    best_ms "$full_runs" zgrep -F "$PRESENT" "${FILES[@]}"; t_zgrep=$BEST_US n_zgrep=$LINES

    if [[ "$n_present" != "$EXPECTED" || "$n_scan" != "$EXPECTED" || "$n_zgrep" != "$EXPECTED" || "$n_absent" != 0 ]]; then
        echo "mismatch at ${size} GiB: expected $EXPECTED lines; spanlog grep (index) $n_present," \
             "--no-index $n_scan, zgrep -F $n_zgrep; absent id: $n_absent (expected 0)" >&2
        status=1
    fi

    echo
    echo "### ${size} GiB"
    echo
    echo "$count files, $(mib "$compressed") MiB gzip, $(mib "$uncompressed") MiB uncompressed;" \
         "index: $index_files .idx files, $index_bytes bytes ($(awk -v i="$index_bytes" -v c="$compressed" 'BEGIN { printf "%.2f", 100 * i / c }') % of gzip)," \
         "built in $(wall "$index_us"); load average before: $load"
    echo
    row "tool" "lines" "wall" "vs zgrep"
    row "---" "---:" "---:" "---:"
    row "spanlog grep (index, best of $INDEX_RUNS)" "$n_present" "$(wall "$t_present")" "$(ratio "$t_zgrep" "$t_present")"
    row "spanlog grep absent id (index, best of $INDEX_RUNS)" "$n_absent" "$(wall "$t_absent")" "$(ratio "$t_zgrep" "$t_absent")"
    row "spanlog grep --no-index (best of $full_runs)" "$n_scan" "$(wall "$t_scan")" "$(ratio "$t_zgrep" "$t_scan")"
    row "zgrep -F (best of $full_runs)" "$n_zgrep" "$(wall "$t_zgrep")" "1.00×"
done
exit "$status"
