#!/usr/bin/env bash
# The example programs (examples/*.c) as real processes with their command lines: each is built
# with cc against this library and with mingw-w64 for Windows (examples/Makefile's two targets);
# the native programs run over loopback (servers on a free port, clients against them), then the
# Windows builds run the same way under Wine. Every program must exit 0, which each does only
# when every byte it sent came back verified; the servers must have served every client.
set -euo pipefail
src="${WS2_SOURCE_DIR:?}"
lib="${WS2_LIB_DIR:?}"
work="${WS2_WORK_DIR:-$(mktemp -d)}"
cc="${CC:-cc}"
mingw="${WS2_MINGW_CC:-x86_64-w64-mingw32-gcc}"
wine="${WS2_WINE:-/usr/lib/wine/wine64}"
mkdir -p "$work"
progs=(echo_server echo_client simple_server simple_client overlap_server iocp_server wsapoll sendmsg)

for p in "${progs[@]}"; do
    "$cc" -O2 -Wall -Wextra -Werror -I "$src/include" "$src/examples/$p.c" -o "$work/$p" \
        -L "$lib" -lws2_32 -Wl,-rpath,"$lib"
    "$mingw" -O2 -Wall -Wextra -Werror -D__USE_MINGW_ANSI_STDIO=1 "$src/examples/$p.c" \
        -o "$work/$p.exe" -lws2_32 -lmswsock -static
done
echo "built ${#progs[@]} programs natively and with mingw-w64"

server_pid=""
# A server still running when the script stops (a failure) is stopped with it.
trap 'if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi' EXIT

runs=0
RUN=() # the launcher prefix: empty natively, the Wine launcher for the .exe builds
EXE=""

# start_server NAME SED-EXPR ARGS...: start program NAME in the background, wait for the port
# it prints (extracted by SED-EXPR); sets server_pid and port.
start_server() {
    local name="$1" expr="$2"
    shift 2
    # Empty the log first: the background job truncates it only once it runs, and the loop
    # below must never read the port of the previous run of the same server.
    : >"$work/$name.log"
    timeout 40 "${RUN[@]}" "$work/$name$EXE" "$@" >"$work/$name.log" 2>&1 &
    server_pid=$!
    port=""
    for _ in $(seq 200); do
        # (the Windows builds end their lines with CR LF)
        port="$(tr -d '\r' <"$work/$name.log" | sed -n "$expr" | head -n 1)"
        [ -n "$port" ] && return 0
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.05
    done
    echo "$name$EXE did not start:"
    cat "$work/$name.log"
    exit 1
}

# finish NAME: wait for the background server, which must exit 0.
finish() {
    local rc=0
    wait "$server_pid" || rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "$1$EXE exited $rc:"
        cat "$work/$1.log"
        exit 1
    fi
    runs=$((runs + 1))
}

# client NAME ARGS...: run a client in the foreground; it must exit 0.
client() {
    local name="$1" rc=0
    shift
    timeout 30 "${RUN[@]}" "$work/$name$EXE" "$@" >"$work/$name.client.log" 2>&1 || rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "$name$EXE $* exited $rc:"
        cat "$work/$name.client.log"
        exit 1
    fi
    runs=$((runs + 1))
}

run_all() {
    start_server echo_server 's/^listening on .*:\([0-9][0-9]*\)$/\1/p' 0 6 127.0.0.1 2
    client echo_client "$port" 150 127.0.0.1 3 &
    c1=$!
    client echo_client "$port" 100 127.0.0.1 3
    wait "$c1"
    runs=$((runs + 1))
    finish echo_server

    for proto in TCP UDP; do
        for addr in 127.0.0.1 ::1; do
            n=1
            [ "$proto" = UDP ] && n=5
            start_server simple_server 's/.* bound to address .* and port \([0-9][0-9]*\)$/\1/p' \
                -p "$proto" -i "$addr" -e 0 -n "$n"
            client simple_client -p "$proto" -n "$addr" -e "$port" -l 5 -b 1000
            finish simple_server
        done
    done

    start_server overlap_server 's/^Listening on .*:\([0-9][0-9]*\)$/\1/p' -i 127.0.0.1 -e 0 -n 2
    client simple_client -p TCP -n 127.0.0.1 -e "$port" -l 20 -b 3000
    client simple_client -p TCP -n 127.0.0.1 -e "$port" -l 20 -b 7
    finish overlap_server

    start_server iocp_server 's/^listening on .*:\([0-9][0-9]*\) with.*$/\1/p' -i ::1 -e 0 -n 3 -t 2
    client echo_client "$port" 60 ::1 3
    finish iocp_server

    client wsapoll -i 127.0.0.1 -n 300000
    client wsapoll -i ::1 -n 100000
    client sendmsg -i 127.0.0.1 -n 20
    client sendmsg -i ::1 -n 20 -b 4000
}

# ctrl_c_stop NAME SED-EXPR ARGS...: start server NAME waiting for more clients than will come,
# serve one echo_client connection, then send it SIGINT (Ctrl-C, which reaches the program's
# SetConsoleCtrlHandler handler): it must stop cleanly, exit 0 and say why it stopped. Native
# only: under Wine a background process has no console to deliver CTRL_C_EVENT to.
ctrl_c_stop() {
    local name="$1" expr="$2"
    shift 2
    start_server "$name" "$expr" "$@"
    client echo_client "$port" 20 127.0.0.1 1
    kill -INT "$server_pid"
    finish "$name"
    if ! grep -q 'stop requested from the console' "$work/$name.log"; then
        echo "$name: no console stop in its log:"
        cat "$work/$name.log"
        exit 1
    fi
}

run_all
ctrl_c_stop echo_server 's/^listening on .*:\([0-9][0-9]*\)$/\1/p' 0 5 127.0.0.1 2
ctrl_c_stop iocp_server 's/^listening on .*:\([0-9][0-9]*\) with.*$/\1/p' \
    -i 127.0.0.1 -e 0 -n 5 -t 2
native_runs=$runs
echo "native: $native_runs program runs passed"

if [ ! -x "$wine" ]; then
    echo "example-programs: $wine not found: the Windows builds were not run"
    exit 1
fi
export WINEPREFIX="$work/wineprefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
if [ ! -f "$WINEPREFIX/.ws2-prefix-ready" ]; then
    mkdir -p "$WINEPREFIX"
    "$wine" wineboot -i >/dev/null 2>&1
    touch "$WINEPREFIX/.ws2-prefix-ready"
fi
RUN=("$wine")
EXE=".exe"
runs=0
run_all
echo "wine: $runs program runs passed"
echo "example-programs: $native_runs native and $runs Wine runs, every byte verified"
