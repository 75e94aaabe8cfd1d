#!/usr/bin/env bash
# Tracing (WS2_TRACE): every export has its trace line (scripts/trace-shims.py --check), and a
# small program run with WS2_TRACE=1 WS2_TRACE_FILE=F writes one line per call with its
# arguments, result and error, the io_uring submission of a pending WSARecv on that call's line
# and the completion with the same user_data on a line of its own; without WS2_TRACE nothing is
# written anywhere.
# Environment (set by c-tests/CMakeLists.txt): WS2_SOURCE_DIR, WS2_LIB_DIR, WS2_WORK_DIR, CC.
set -euo pipefail
SRC="${WS2_SOURCE_DIR:?}"
LIBDIR="${WS2_LIB_DIR:?}"
WORK="${WS2_WORK_DIR:-$(mktemp -d)}"
CC="${CC:-cc}"
mkdir -p "$WORK"
fail() { echo "trace: FAILED: $*" >&2; [ -f "$WORK/trace.log" ] && cat "$WORK/trace.log" >&2; exit 1; }

python3 "$SRC/scripts/trace-shims.py" --check "$SRC/src" || fail "exports without a trace line"

"$CC" -std=c11 -Wall -Wextra -Werror -I "$SRC/include" "$SRC/c-tests/trace/trace_prog.c" \
    -o "$WORK/trace_prog" -L "$LIBDIR" -lws2_32 "-Wl,-rpath,$LIBDIR"

# Off: no file, nothing on stderr.
rm -f "$WORK/trace.log" "$WORK/off.err"
timeout 30 "$WORK/trace_prog" >/dev/null 2>"$WORK/off.err" || fail "program failed (tracing off)"
[ ! -s "$WORK/off.err" ] || fail "stderr not empty with tracing off: $(cat "$WORK/off.err")"
WS2_TRACE_FILE="$WORK/trace.log" timeout 30 "$WORK/trace_prog" >/dev/null 2>&1 || fail "program failed"
[ ! -e "$WORK/trace.log" ] || fail "WS2_TRACE_FILE written although WS2_TRACE is unset"

# On.
WS2_TRACE=1 WS2_TRACE_FILE="$WORK/trace.log" timeout 30 "$WORK/trace_prog" >/dev/null 2>"$WORK/on.err" \
    || fail "program failed (tracing on)"
[ ! -s "$WORK/on.err" ] || fail "stderr not empty with WS2_TRACE_FILE set"
log="$WORK/trace.log"
line() { grep -E "^[0-9a-f]{8}:trace:ws2 $1" "$log" | head -1; }

[ -n "$(line 'WSAStartup\(requested=514, data=0x[0-9a-f]+\) -> 0 ok$')" ] || fail "WSAStartup line"
[ -n "$(line 'socket\(af=2, ty=1, proto=6\) -> 0x[0-9a-f]+ ok$')" ] || fail "socket line"
[ -n "$(line 'bind\(s=0x[0-9a-f]+, name=0x[0-9a-f]+, len=16\) -> 0 ok$')" ] || fail "bind line"
[ -n "$(line 'closesocket\(s=0x7ffff0\) -> -1 WSAENOTSOCK\(10038\)$')" ] || fail "failing closesocket line"
recv="$(line 'WSARecv\(')"
[ -n "$recv" ] || fail "no WSARecv line"
echo "$recv" | grep -Eq -- '-> -1 (WSA|ERROR)_IO_PENDING\(997\) \[ring: (RECV|RECVMSG|POLL_ADD\(IN\)) fd=[0-9]+ ud=0x[0-9a-f]+\]$' \
    || fail "WSARecv line lacks its result or its ring submission: $recv"
ud="$(echo "$recv" | sed -n 's/.*ud=\(0x[0-9a-f]*\)\]$/\1/p')"
grep -Eq "^[0-9a-f]{8}:trace:ws2 ring: CQE ud=$ud res=" "$log" || fail "no completion line for ud=$ud"
# Order: the calls appear in the order the program made them.
order="$(grep -oE 'ws2 (WSAStartup|socket|bind|listen|connect|accept|WSARecv|send|closesocket|WSACleanup)\(' "$log" \
         | sed 's/ws2 //; s/($//' | uniq | tr '\n' ' ')"
want="WSAStartup socket bind listen socket connect accept WSARecv send closesocket WSACleanup "
[ "$order" = "$want" ] || fail "calls out of order: got '$order', want '$want'"
# Exports outside the boundary show their value: WSAGetLastError after the failing closesocket.
grep -A1 -E 'closesocket\(s=0x7ffff0\)' "$log" | grep -Eq 'WSAGetLastError\(\) -> 10038$' \
    || fail "WSAGetLastError line after the failing closesocket"
# Every line is whole: prefix, channel, text.
bad="$(grep -cvE '^[0-9a-f]{8}:trace:ws2 ' "$log" || true)"
[ "$bad" -eq 0 ] || fail "$bad malformed lines"
echo "trace: OK ($(wc -l <"$log") lines)"
