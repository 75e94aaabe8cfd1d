#!/usr/bin/env bash
# Builds the library and the benchmark programs, runs every echo server against
# loadgen side by side, and writes bench/results.md.
#
# Settings (environment):
#   BENCH_SECONDS   measured seconds per run            (default 5)
#   BENCH_WARMUP    warm-up seconds per run, not counted (default 1)
#   BENCH_REPEATS   runs per cell; the run with the median msgs/s is reported (default 3)
#   BENCH_SERVERS   servers to run (default "epoll uring event routine iocp";
#                   also available: event-wine routine-wine iocp-wine, the mingw builds under Wine)
#   BENCH_CONNS     connection counts (default "1 16 256")
#   BENCH_SIZES     message sizes in bytes (default "64 4096")
#   BENCH_THREADS   loadgen client threads (default 1)
#   BENCH_SERVER_CPU / BENCH_CLIENT_CPU  CPUs for taskset (default 0 / 1)
#   BENCH_PORT      first TCP port; each server start takes the next one (default 19500)
#   BENCH_OUT       output file (default bench/results.md)
#   BENCH_NO_CARGO  1: do not run cargo build (use the library as it is)
set -u -o pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
BUILD=$HERE/build
LIBDIR=$ROOT/target/release

DURATION=${BENCH_SECONDS:-5}
WARMUP=${BENCH_WARMUP:-1}
REPEATS=${BENCH_REPEATS:-3}
SERVERS=${BENCH_SERVERS:-"epoll uring event routine iocp"}
CONNS=${BENCH_CONNS:-"1 16 256"}
SIZES=${BENCH_SIZES:-"64 4096"}
THREADS=${BENCH_THREADS:-1}
SERVER_CPU=${BENCH_SERVER_CPU:-0}
CLIENT_CPU=${BENCH_CLIENT_CPU:-1}
PORT=${BENCH_PORT:-19500}
OUT=${BENCH_OUT:-$HERE/results.md}
WINE=${WINE:-/usr/lib/wine/wine64}

COMMAND="BENCH_SECONDS=$DURATION BENCH_WARMUP=$WARMUP BENCH_REPEATS=$REPEATS BENCH_SERVERS=\"$SERVERS\" BENCH_CONNS=\"$CONNS\" BENCH_SIZES=\"$SIZES\" BENCH_THREADS=$THREADS bench/run.sh"

mkdir -p "$BUILD"
log() { printf '[bench] %s\n' "$*" >&2; }

# ---------------------------------------------------------------- cleanup
SERVER_PID=""
stop_server() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null
        for _ in $(seq 50); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$SERVER_PID" 2>/dev/null
        wait "$SERVER_PID" 2>/dev/null
        SERVER_PID=""
    fi
}
trap 'stop_server' EXIT
trap 'stop_server; exit 130' INT TERM

# ---------------------------------------------------------------- build
declare -A BUILT      # server -> "" when built, else the reason it is not
CFLAGS="-std=c11 -O2 -Wall -Wextra -Werror"

LIB_NOTE=""
if [ "${BENCH_NO_CARGO:-0}" != 1 ]; then
    log "cargo build --release"
    if ! (cd "$ROOT" && cargo build --release) >"$BUILD/cargo.log" 2>&1; then
        log "cargo build failed (bench/build/cargo.log)"
        LIB_NOTE="cargo build --release failed (bench/build/cargo.log); "
    fi
fi
# The servers link against a private copy of the library, so that a rebuild of target/ while
# the benchmark runs cannot mix two versions in one table.
LIB_OK=0
mkdir -p "$BUILD/lib"
if [ -f "$LIBDIR/libws2_32.so" ] && cp "$LIBDIR/libws2_32.so" "$BUILD/lib/.libws2_32.so.new" &&
    mv -f "$BUILD/lib/.libws2_32.so.new" "$BUILD/lib/libws2_32.so"; then
    LIB_OK=1
    LIB_NOTE+="library: target/release/libws2_32.so built $(date -u -r "$LIBDIR/libws2_32.so" '+%Y-%m-%d %H:%M:%S UTC'), sha256 $(sha256sum "$BUILD/lib/libws2_32.so" | cut -c1-12)"
else
    LIB_NOTE+="library: none (target/release/libws2_32.so missing)"
fi

build_c() { # name, output, extra args...
    local name=$1 out=$2
    shift 2
    if cc $CFLAGS "$@" -o "$out" >"$BUILD/$name.log" 2>&1; then
        BUILT[$name]=""
    else
        BUILT[$name]="build failed (bench/build/$name.log)"
        log "$name: ${BUILT[$name]}"
    fi
}

build_c loadgen "$BUILD/loadgen" "$HERE/loadgen.c" -lpthread
[ -z "${BUILT[loadgen]}" ] || { cat "$BUILD/loadgen.log" >&2; exit 1; }
build_c epoll "$BUILD/epoll_server" "$HERE/epoll_server.c"
build_c uring "$BUILD/uring_server" "$HERE/uring_server.c" -luring
for s in event routine iocp; do
    if [ $LIB_OK = 1 ]; then
        build_c $s "$BUILD/${s}_server" -I "$ROOT/include" "$HERE/${s}_server.c" \
            -L "$BUILD/lib" -lws2_32 -lpthread -Wl,-rpath,"$BUILD/lib"
        if [ -n "${BUILT[$s]}" ] && grep -q "undefined reference" "$BUILD/$s.log"; then
            BUILT[$s]="not built: library lacks $(grep -o "undefined reference to \`[A-Za-z0-9_]*'" "$BUILD/$s.log" |
                sed "s/.*\`\(.*\)'/\1/" | sort -u | head -5 | tr '\n' ' ')"
        fi
    else
        BUILT[$s]="not built: no library"
    fi
    if command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 &&
        x86_64-w64-mingw32-gcc $CFLAGS -D__USE_MINGW_ANSI_STDIO=1 "$HERE/${s}_server.c" \
            -o "$BUILD/${s}_server.exe" -lws2_32 -static -lpthread >"$BUILD/$s-mingw.log" 2>&1; then
        BUILT[$s-wine]=""
    else
        BUILT[$s-wine]="mingw build failed (bench/build/$s-mingw.log)"
    fi
done

server_cmd() { # name port
    case $1 in
    epoll) echo "$BUILD/epoll_server $2" ;;
    uring) echo "$BUILD/uring_server $2" ;;
    event) echo "$BUILD/event_server $2" ;;
    routine) echo "$BUILD/routine_server $2" ;;
    iocp) echo "$BUILD/iocp_server $2" ;;
    event-wine) echo "$WINE $BUILD/event_server.exe $2" ;;
    routine-wine) echo "$WINE $BUILD/routine_server.exe $2" ;;
    iocp-wine) echo "$WINE $BUILD/iocp_server.exe $2" ;;
    *) return 1 ;;
    esac
}

port_listening() {
    if command -v ss >/dev/null 2>&1; then
        ss -Hltn "sport = :$1" 2>/dev/null | grep -q LISTEN
    else
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
    fi
}

# Starts server $1 on a fresh port; sets SERVER_PID and SPORT. Returns 1 on failure.
start_server() {
    local name=$1 cmd
    PORT=$((PORT + 1))
    SPORT=$PORT
    cmd=$(server_cmd "$name" "$SPORT") || return 1
    WINEDEBUG=-all taskset -c "$SERVER_CPU" $cmd >"$BUILD/server-$name.log" 2>&1 &
    SERVER_PID=$!
    local tries=100
    case $name in *-wine) tries=600 ;; esac
    for _ in $(seq $tries); do
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            wait "$SERVER_PID" 2>/dev/null
            SERVER_PID=""
            return 1
        fi
        port_listening "$SPORT" && return 0
        sleep 0.1
    done
    stop_server
    return 1
}

cpu_ticks() { # utime + stime of a process, in clock ticks
    awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0
}

# ---------------------------------------------------------------- runs
# Order: cell, then repeat, then server, with a fresh server process per run. Servers compared
# in a cell are measured minutes apart at most and alternately, so drifting background load on
# the machine hits them alike.
declare -A MSGS P50 P99 CPU STATUS RUNS ERRS DIED
RAW=""
TICKS=$(getconf CLK_TCK)

RUNNABLE=""
for srv in $SERVERS; do
    if ! server_cmd "$srv" 0 >/dev/null; then
        log "unknown server '$srv'"
        for c in $CONNS; do for s in $SIZES; do STATUS[$srv,$c,$s]="unknown server"; done; done
    elif [ -n "${BUILT[$srv]-}" ]; then
        for c in $CONNS; do for s in $SIZES; do STATUS[$srv,$c,$s]="${BUILT[$srv]}"; done; done
    else
        RUNNABLE+=" $srv"
    fi
done

cpu_busy() { # busy and total jiffies of all CPUs, and steal
    awk '/^cpu / { t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, t, $9 }' /proc/stat
}
read -r B0 T0 S0 <<<"$(cpu_busy)"
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)

for c in $CONNS; do
    for s in $SIZES; do
        for r in $(seq "$REPEATS"); do
            for srv in $RUNNABLE; do
                key=$srv,$c,$s
                [ "${DIED[$key]-0}" = 1 ] && continue
                if ! start_server "$srv"; then
                    DIED[$key]=1
                    STATUS[$key]="server failed to start (bench/build/server-$srv.log)"
                    log "$srv conns=$c size=$s: ${STATUS[$key]}"
                    continue
                fi
                t0=$(date +%s.%N)
                k0=$(cpu_ticks "$SERVER_PID")
                line=$(taskset -c "$CLIENT_CPU" "$BUILD/loadgen" -t "$THREADS" 127.0.0.1 "$SPORT" "$c" "$s" \
                    "$DURATION" "$WARMUP" 2>>"$BUILD/loadgen-stderr.log")
                k1=$(cpu_ticks "$SERVER_PID")
                t1=$(date +%s.%N)
                cpu=$(awk -v a="$k0" -v b="$k1" -v t0="$t0" -v t1="$t1" -v hz="$TICKS" \
                    'BEGIN { printf "%.0f", (b - a) / hz / (t1 - t0) * 100 }')
                RAW+="$srv run $r: ${line:-no output} server_cpu=${cpu}%"$'\n'
                log "$srv run $r: ${line:-no output} server_cpu=${cpu}%"
                if ! kill -0 "$SERVER_PID" 2>/dev/null; then
                    DIED[$key]=1
                    STATUS[$key]="server died (bench/build/server-$srv.log)"
                fi
                stop_server
                m=$(sed -n 's/.*msgs_per_s=\([0-9.]*\).*/\1/p' <<<"$line")
                p50=$(sed -n 's/.*p50_us=\([0-9.]*\).*/\1/p' <<<"$line")
                p99=$(sed -n 's/.*p99_us=\([0-9.]*\).*/\1/p' <<<"$line")
                e=$(sed -n 's/.*errors=\([0-9]*\).*/\1/p' <<<"$line")
                if [ -z "$m" ] || [ -z "$e" ] || [ "$e" != 0 ]; then
                    ERRS[$key]=$((${ERRS[$key]-0} + 1))
                fi
                [ -n "$m" ] && RUNS[$key]+="$m $p50 $p99 $cpu"$'\n'
            done
        done
        for srv in $RUNNABLE; do
            key=$srv,$c,$s
            runs=${RUNS[$key]-}
            n=$(grep -c . <<<"$runs")
            if [ "$n" -gt 0 ]; then
                med=$(grep . <<<"$runs" | sort -n -k1,1 | sed -n "$(((n + 1) / 2))p")
                read -r MSGS[$key] P50[$key] P99[$key] CPU[$key] <<<"$med"
            fi
            if [ "${DIED[$key]-0}" != 1 ]; then
                STATUS[$key]=ok
                [ "${ERRS[$key]-0}" -gt 0 ] && STATUS[$key]="loadgen errors in ${ERRS[$key]}/$REPEATS runs"
            fi
        done
    done
done

read -r B1 T1 S1 <<<"$(cpu_busy)"
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)
BUSY=$(awk -v b="$((B1 - B0))" -v t="$((T1 - T0))" 'BEGIN { if (t > 0) printf "%.0f", b / t * 100; else print 0 }')
STEAL=$(awk -v s="$((S1 - S0))" -v t="$((T1 - T0))" 'BEGIN { if (t > 0) printf "%.1f", s / t * 100; else print 0 }')

# ---------------------------------------------------------------- report
ratio() { # a b -> a/b with 2 decimals, or "-"
    if [ -n "${1:-}" ] && [ -n "${2:-}" ]; then
        awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "-" }'
    else
        printf -- "-"
    fi
}
base() { # server conns size -> msgs if that run is ok
    local k=$1,$2,$3
    [ "${STATUS[$k]-}" = ok ] && printf '%s' "${MSGS[$k]-}"
}
basep99() {
    local k=$1,$2,$3
    [ "${STATUS[$k]-}" = ok ] && printf '%s' "${P99[$k]-}"
}

model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
commit=$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(cd "$ROOT" && git status --porcelain 2>/dev/null | grep -q . && echo " (with uncommitted changes)")
{
    echo "# ws2-uring benchmark: loopback TCP echo"
    echo
    echo "- Date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "- Machine: $(nproc) CPUs, ${model:-unknown}, kernel $(uname -r)"
    echo "- Source: commit $commit$dirty; $LIB_NOTE"
    echo "- Command: \`$COMMAND\`"
    echo "- Server pinned to CPU $SERVER_CPU, loadgen to CPU $CLIENT_CPU (taskset); loadgen threads: $THREADS;" \
        "each run ${DURATION} s measured after ${WARMUP} s warm-up; $REPEATS runs per cell, the run with the" \
        "median msgs/s reported; servers alternate run by run within a cell."
    echo "- Load average before / after: $LOAD0 / $LOAD1; all CPUs busy ${BUSY}% over the runs, steal ${STEAL}%"
    echo
    echo "| server | conns | size | msgs/s | p50 µs | p99 µs | × epoll | × liburing | p99 × epoll | server CPU | status |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    for c in $CONNS; do
        for s in $SIZES; do
            for srv in $SERVERS; do
                k=$srv,$c,$s
                m=${MSGS[$k]-}
                if [ -n "$m" ]; then
                    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s%% | %s |\n' "$srv" "$c" "$s" "$m" \
                        "${P50[$k]}" "${P99[$k]}" "$(ratio "$m" "$(base epoll "$c" "$s")")" \
                        "$(ratio "$m" "$(base uring "$c" "$s")")" \
                        "$(ratio "${P99[$k]}" "$(basep99 epoll "$c" "$s")")" "${CPU[$k]}" "${STATUS[$k]-}"
                else
                    printf '| %s | %s | %s | - | - | - | - | - | - | - | %s |\n' "$srv" "$c" "$s" "${STATUS[$k]-no result}"
                fi
            done
        done
    done
    echo
    echo "msgs/s: echoed messages per second over all connections (one message in flight per"
    echo "connection). p50/p99: round-trip latency percentiles. × epoll, × liburing: msgs/s divided by"
    echo "the epoll / liburing server's in the same cell. p99 × epoll: p99 divided by the epoll server's"
    echo "(lower is better). server CPU: the server process's CPU time over the wall time of the runs"
    echo "(100% = one CPU busy; well under 100% means the load generator, not the server, is the limit)."
    echo
    echo "<details><summary>All runs</summary>"
    echo
    echo '```'
    printf '%s' "$RAW"
    echo '```'
    echo "</details>"
} >"$OUT"
log "wrote $OUT"
cat "$OUT"
