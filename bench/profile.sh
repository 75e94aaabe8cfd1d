#!/usr/bin/env bash
# Where one echo server's time goes: runs SERVER (epoll, uring, event, routine, ...) pinned to
# CPU 0 under loadgen pinned to CPU 1, and reports syscalls and context switches per echoed
# message (perf stat on syscall tracepoints) and the hottest symbols (perf record, cpu-clock).
#
#   bench/profile.sh SERVER [conns] [size] [seconds]      (after bench/run.sh has built bench/build/)
#
# Needs perf (Debian: linux-perf). Output: a summary on stdout; perf data in bench/build/perf.SERVER.data.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUILD=$HERE/build
SERVER=${1:?usage: bench/profile.sh SERVER [conns] [size] [seconds]}
CONNS=${2:-16}
SIZE=${3:-64}
SECS=${4:-3}
PORT=${BENCH_PORT:-19900}
[ -x "$BUILD/${SERVER}_server" ] || { echo "profile: $BUILD/${SERVER}_server missing: run bench/run.sh first" >&2; exit 1; }

run_once() { # run_once PERF-ARGS... : server under perf, loadgen beside it; prints loadgen's line
    LD_LIBRARY_PATH="$BUILD/lib" taskset -c 0 "$BUILD/${SERVER}_server" "$PORT" &
    local sp=$!
    for _ in $(seq 50); do ss -ltn "sport = :$PORT" | grep -q LISTEN && break; sleep 0.1; done
    perf "$@" -p "$sp" -- sleep "$SECS" >/dev/null 2>&1 &
    local pp=$!
    taskset -c 1 "$BUILD/loadgen" 127.0.0.1 "$PORT" "$CONNS" "$SIZE" "$SECS" 0
    wait "$pp" || true
    kill "$sp" 2>/dev/null; wait "$sp" 2>/dev/null || true
    PORT=$((PORT + 1))
}

events=context-switches
for s in sendmsg recvmsg sendto recvfrom poll ppoll epoll_wait io_uring_enter read write futex; do
    events+=",syscalls:sys_enter_$s"
done
line=$(run_once stat -e "$events" -o "$BUILD/perf-stat.$SERVER.txt")
echo "$line"
msgs=$(sed -nE 's/.*msgs_per_s=([0-9]+).*/\1/p' <<<"$line")
total=$((msgs * SECS))
echo "per echoed message ($total messages):"
awk -v n="$total" '$2 ~ /^(syscalls:sys_enter_|context-switches)/ && $1 != "<not" {
        gsub(",", "", $1); if ($1 > 0) printf "  %-28s %6.3f\n", $2, $1 / n }' "$BUILD/perf-stat.$SERVER.txt" |
    sed 's/syscalls:sys_enter_//'

run_once record -F 2000 -g -o "$BUILD/perf.$SERVER.data" >/dev/null
echo "hottest symbols (share of the server's samples):"
perf report -i "$BUILD/perf.$SERVER.data" --no-children --sort dso,sym --stdio -g none 2>/dev/null |
    grep -E '^ +[0-9]' | head -25
