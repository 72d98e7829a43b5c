#!/usr/bin/env bash
# What writing trace indexes costs the file sink: the same traced records (pre-encoded, eight per
# trace) written flat out into 4 MiB files with writesTraceIndex on and off, runs alternating,
# process CPU seconds (caller + writer thread) and ns per record until shutdown() has closed the
# last file. Prints every run and the medians. (package-benchmark's CPU metric counts in 10 ms
# steps, too coarse for a few per cent: filesink_27MB_traced_level_1_index_{on,off} in Benchmarks/
# is the same pair at that resolution.)
#
# Usage: Benchmarks/sink-index-cost.sh [runs per side, default 7] [records per run, default 3000000]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-7}"
RECORDS="${2:-3000000}"
if [[ -z "${SKIP_BUILD:-}" ]]; then
    swift build -c release --product SpanLogFileSinkCrashChild >&2
fi
CHILD="$(swift build -c release --show-bin-path)/SpanLogFileSinkCrashChild"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/spanlog-index-cost.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

for ((run = 1; run <= RUNS; run++)); do
    for side in off on; do
        rm -rf "$WORK/logs"
        "$CHILD" bench-index "$WORK/logs" "$side" "$RECORDS" | tee -a "$WORK/results"
    done
done
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for side in off on; do
    cpu=$(grep "index $side " "$WORK/results" | awk '{ print $4 }' | median)
    ns=$(grep "index $side " "$WORK/results" | awk '{ print $6 }' | median)
    printf 'index %-3s  median CPU %.3f s  median %.1f ns/record\n' "$side" "$cpu" "$ns"
    eval "cpu_$side=$cpu; ns_$side=$ns"
done
awk -v a="$cpu_off" -v b="$cpu_on" -v c="$ns_off" -v d="$ns_on" \
    'BEGIN { printf "cost of the index: CPU %+.1f %%, time per record %+.1f %%\n", (b / a - 1) * 100, (d / c - 1) * 100 }'
