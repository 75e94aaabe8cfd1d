#!/usr/bin/env bash
# The demo: build libws2_32.so, compile the bundled Windows echo server and client
# (examples/echo_server.c, examples/echo_client.c, unchanged Windows C) against it, and run them
# over loopback: one I/O completion port server (AcceptEx, worker threads, WSARecv/WSASend), three
# client processes at once with four connections each, every echoed byte checked. Needs only
# cargo and a C compiler. Exits 0 only if every client verified every message and the server
# served every connection without an error.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$REPO/build/demo"
CLIENTS=3
CONNECTIONS=4 # per client
MESSAGES=(2000 1500 1000)
CC="${CC:-cc}"

cd "$REPO"
echo "== cargo build --release"
cargo build --release
mkdir -p "$OUT"

for prog in echo_server echo_client; do
    cmd=("$CC" -I include -O2 -Wall -Wextra "examples/$prog.c" -o "$OUT/$prog"
         -L target/release -lws2_32 "-Wl,-rpath,$REPO/target/release")
    echo "== ${cmd[*]}"
    "${cmd[@]}"
done

rm -f "$OUT"/*.log
# Exists before the server starts, so the port loop below never reads a missing file.
: >"$OUT/server.log"
echo "== starting echo_server on 127.0.0.1 (a free port) for $((CLIENTS * CONNECTIONS)) connections"
timeout 30 "$OUT/echo_server" 0 "$((CLIENTS * CONNECTIONS))" 127.0.0.1 >"$OUT/server.log" 2>&1 &
server_pid=$!

port=""
for _ in $(seq 100); do
    port="$(sed -n 's/^listening on .*:\([0-9][0-9]*\)$/\1/p' "$OUT/server.log")"
    [ -n "$port" ] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$port" ]; then
    echo "demo: the server did not start:" >&2
    cat "$OUT/server.log" >&2
    kill "$server_pid" 2>/dev/null || true
    exit 1
fi

echo "== running $CLIENTS echo_client processes ($CONNECTIONS connections each) against port $port"
client_pids=()
for i in $(seq "$CLIENTS"); do
    timeout 20 "$OUT/echo_client" "$port" "${MESSAGES[$((i - 1))]}" 127.0.0.1 "$CONNECTIONS" \
        >"$OUT/client$i.log" 2>&1 &
    client_pids+=($!)
done

status=0
client_status=()
for i in $(seq "$CLIENTS"); do
    rc=0
    wait "${client_pids[$((i - 1))]}" || rc=$?
    client_status+=("$rc")
    [ "$rc" -eq 0 ] || status=1
done
server_status=0
wait "$server_pid" || server_status=$?

echo
echo "--- echo_server (exit $server_status)"
cat "$OUT/server.log"
for i in $(seq "$CLIENTS"); do
    echo "--- echo_client $i (exit ${client_status[$((i - 1))]})"
    cat "$OUT/client$i.log"
done
echo

if [ "$status" -ne 0 ] || [ "$server_status" -ne 0 ]; then
    echo "demo: FAILED (a client or the server reported an error; exit 124 means it timed out)"
    exit 1
fi
echo "demo: OK: $CLIENTS clients, $((CLIENTS * CONNECTIONS)) connections, every message echoed and verified"
