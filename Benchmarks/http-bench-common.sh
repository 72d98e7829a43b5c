# Helpers shared by http-wrk.sh and http-duel.sh (sourced, not run).

# server_port <output file> <label>: waits up to 10 s for the bench server's "port <n>" line
# and prints n; exits the script if the server did not start.
server_port() {
    local found=""
    for _ in $(seq 1 200); do
        found=$(sed -n 's/^port \([0-9]*\)$/\1/p' "$1" 2>/dev/null | head -n1)
        [[ -n "$found" ]] && break
        sleep 0.05
    done
    [[ -n "$found" ]] || { echo "server ($2) did not start: $(cat "$1")" >&2; exit 1; }
    echo "$found"
}

# cpu_ticks <pid>: utime + stime of the process (all threads), in clock ticks
cpu_ticks() {
    awk '{print $14 + $15}' "/proc/$1/stat"
}

# median: of the numbers on standard input (one line, space separated)
median() {
    tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'
}

# mode_arguments <mode> <log directory>: the bench server's arguments for a mode, one word a line
#   none, control   no middleware          off, context, floor   those bench server modes
#   2%              2 % sampling, LOG_SPANS=sampled, span records to a gzip file sink in the directory
#   2%-all          the same with LOG_SPANS=all    100%   every request sampled and written
mode_arguments() {
    case "$1" in
        none | control) printf '%s\n' none ;;
        off | context | floor) printf '%s\n' "$1" ;;
        "2%") printf '%s\n' ratio 0.02 "$2" sampled ;;
        "2%-all") printf '%s\n' ratio 0.02 "$2" all ;;
        "100%") printf '%s\n' ratio 1.0 "$2" all ;;
        *) echo "unknown mode $1" >&2; exit 2 ;;
    esac
}

# bench_server: checks for wrk, builds SpanLogHTTPBenchServer (Benchmarks/Tools/HTTPBenchServer, in the
# Benchmarks package) in release mode unless SKIP_BUILD is set, and prints its path (SERVER, when
# set, names another build of it).
bench_server() {
    command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
    if [[ -z "${SKIP_BUILD:-}" ]]; then
        swift build --package-path Benchmarks -c release --product SpanLogHTTPBenchServer >&2
    fi
    local path=${SERVER:-$(swift build --package-path Benchmarks -c release --show-bin-path)/SpanLogHTTPBenchServer}
    [[ -x "$path" ]] || { echo "missing $path" >&2; exit 1; }
    echo "$path"
}
