#!/usr/bin/env bash
# A/B of two library builds under one Windows-style server binary: alternating runs on the same
# machine, medians per build. Run bench/run.sh once first (it builds bench/build/).
#
#   bench/ab.sh SERVER CONNS SIZE SECONDS ROUNDS LIBDIR_A LIBDIR_B
#
# SERVER is iocp, event or routine; each LIBDIR holds a libws2_32.so (the servers' RUNPATH is
# overridden by LD_LIBRARY_PATH). Each round runs A, B, B, A (server on CPU 0, loadgen on CPU 1),
# so slow drifts of the machine weigh on both. Prints every run, then per build the median
# msgs/s and the median p99.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUILD=$HERE/build
SERVER=${1:?usage: bench/ab.sh SERVER CONNS SIZE SECONDS ROUNDS LIBDIR_A LIBDIR_B}
CONNS=$2 SIZE=$3 SECS=$4 ROUNDS=$5 A=$6 B=$7
PORT=${BENCH_PORT:-22000}
[ -x "$BUILD/${SERVER}_server" ] || { echo "ab: $BUILD/${SERVER}_server missing: run bench/run.sh first" >&2; exit 1; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT

run() { # run NAME LIBDIR
    PORT=$((PORT + 1))
    LD_LIBRARY_PATH="$2" taskset -c 0 "$BUILD/${SERVER}_server" "$PORT" >/dev/null 2>&1 &
    local sp=$!
    for _ in $(seq 50); do ss -ltn "sport = :$PORT" | grep -q LISTEN && break; sleep 0.1; done
    local line
    line=$(taskset -c 1 "$BUILD/loadgen" 127.0.0.1 "$PORT" "$CONNS" "$SIZE" "$SECS" 1)
    kill "$sp" 2>/dev/null
    wait "$sp" 2>/dev/null || true
    echo "$1 $line" | tee -a "$out"
}

for _ in $(seq "$ROUNDS"); do
    run A "$A"
    run B "$B"
    run B "$B"
    run A "$A"
done
# median FIELD BUILD: the median of one loadgen field over a build's runs.
median() {
    grep "^$2 " "$out" | sed -nE "s/.* $1=([0-9.]+).*/\1/p" | sort -n |
        awk '{v[NR] = $1} END { if (NR) printf "%.1f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
for v in A B; do
    echo "$v: $(grep -c "^$v " "$out") runs, median $(median msgs_per_s "$v") msgs/s, median p99 $(median p99_us "$v") us"
done
