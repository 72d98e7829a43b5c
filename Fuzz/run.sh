#!/usr/bin/env bash
# Builds SpanLog's fuzz targets (libFuzzer + AddressSanitizer) and runs each one for a bounded
# time; fails on any crash, leak, timeout or out-of-memory. See docs/reliability.md.
#
#   Fuzz/run.sh                      every target, SPANLOG_FUZZ_SECONDS each (default 30)
#   Fuzz/run.sh json gzip            only these targets
#   Fuzz/run.sh --replay [targets]   each target's corpus run once (a regression check)
#
# Settings (environment): SPANLOG_FUZZ_SECONDS (per target, default 30), SPANLOG_FUZZ_RSS_MB
# (default 2048), SPANLOG_FUZZ_TIMEOUT (seconds per input, default 10), SPANLOG_FUZZ_NICE
# (default 15: the build and the runs yield to other work on the machine).
#
# The corpus grows in Fuzz/.build/fuzz-runs/<time>/<target>/corpus: Fuzz/Corpus keeps the seeds
# and fixed reproducers only. A crash's input is kept in that run's <target>/artifacts folder.
set -euo pipefail
cd "$(dirname "$0")"

seconds=${SPANLOG_FUZZ_SECONDS:-30}
rss_mb=${SPANLOG_FUZZ_RSS_MB:-2048}
timeout=${SPANLOG_FUZZ_TIMEOUT:-10}
niceness=${SPANLOG_FUZZ_NICE:-15}
all_targets=(json gzip trace-index trace-context retry-after environment)

replay=0
if [ "${1:-}" = "--replay" ]; then replay=1; shift; fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")

scratch=.build
build_start=$SECONDS
nice -n "$niceness" swift build -c release --scratch-path "$scratch" --product SpanLogFuzz \
  -Xswiftc -enable-testing -Xswiftc -sanitize=fuzzer,address -Xswiftc -DSPANLOG_FUZZER \
  -Xcc -fsanitize=fuzzer-no-link,address
echo "fuzz build: $((SECONDS - build_start)) s"
binary="$scratch/release/SpanLogFuzz"

runs="$scratch/fuzz-runs/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$runs"
export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=0:${ASAN_OPTIONS:-}"
# Swift's own crash handler trips over AddressSanitizer; libFuzzer reports the crash instead.
export SWIFT_BACKTRACE="enable=no"

failed=()
report=$(printf '%-14s %12s %9s %8s  %s' target executions exec/s corpus result)
for target in "${targets[@]}"; do
  [ -d "Corpus/$target" ] || { echo "no corpus for target '$target' (targets: ${all_targets[*]})"; exit 2; }
  work="$runs/$target"
  mkdir -p "$work/corpus" "$work/artifacts"
  options=(-rss_limit_mb="$rss_mb" -timeout="$timeout" -print_final_stats=1 -artifact_prefix="$work/artifacts/")
  [ -f "Corpus/$target.dict" ] && options+=(-dict="Corpus/$target.dict")
  if [ "$replay" = 1 ]; then
    options+=(-runs=0)
  else
    options+=(-max_total_time="$seconds")
  fi
  echo "==> $target"
  set +e
  # New inputs go to the first folder (the run's own); the seeds are only read.
  nice -n "$niceness" "$binary" "$target" "${options[@]}" "$work/corpus" "Corpus/$target" >"$work/log" 2>&1
  status=$?
  set -e
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log" | tail -1)
  corpus=$(grep -o 'corp: [0-9]*' "$work/log" | tail -1 | cut -d' ' -f2)
  if [ "$status" -eq 0 ] && [ -z "$(ls -A "$work/artifacts")" ]; then
    result="no crash"
  else
    result="FAILED (exit $status): $(grep -m1 -E 'ERROR: |Fatal error|property violated|ALARM|out-of-memory|deadly signal' "$work/log" | cut -c1-160)"
    failed+=("$target")
    tail -40 "$work/log"
    ls "$work/artifacts"/* 2>/dev/null | sed 's/^/reproducer: Fuzz\//'
  fi
  line=$(printf '%-14s %12s %9s %8s  %s' "$target" "${executions:-?}" "${speed:-?}" "${corpus:-?}" "$result")
  echo "$line"
  report+=$'\n'"$line"
done

echo
echo "$report"
echo "logs: Fuzz/$runs"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing failed: ${failed[*]}"
  exit 1
fi
