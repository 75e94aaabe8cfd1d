#!/usr/bin/env bash
# No libc interposition, seen from a ported program: a Windows-style C program
# (c-tests/stub/program.c) is linked against a stand-in libws2_32.so that exports every name the
# real library exports, each one aborting. Run as is, it must abort (so it really is bound to
# the stand-in); run with the real library in LD_PRELOAD, every Winsock call must reach the
# real library and the program must succeed. This holds only if the headers bind each Winsock
# name to a symbol the library exports, and the preloaded library resolves in front.
#
# Environment (set by c-tests/CMakeLists.txt): WS2_SOURCE_DIR, WS2_LIB_DIR, WS2_WORK_DIR, CC.
set -euo pipefail

SRC="${WS2_SOURCE_DIR:?WS2_SOURCE_DIR not set}"
LIB="${WS2_LIB_DIR:?WS2_LIB_DIR not set}/libws2_32.so"
WORK="${WS2_WORK_DIR:-$(mktemp -d)}"
CC="${CC:-cc}"
STUB_DIR="$WORK/stub"
[ -f "$LIB" ] || { echo "preload-stub: $LIB not found" >&2; exit 1; }
rm -rf "$STUB_DIR"
mkdir -p "$STUB_DIR"

# 1. The stand-in, generated from the real library's exports so it stays in sync with them.
bash "$SRC/c-tests/stub/gen-stub.sh" "$LIB" >"$STUB_DIR/stub.c"
exports="$(grep -c '^WS2_STUB_' "$STUB_DIR/stub.c" || true)"
echo "preload-stub: stand-in for $exports exported names"
[ "$exports" -gt 0 ] || { echo "preload-stub: $LIB exports nothing" >&2; exit 1; }
"$CC" -shared -fPIC -w -Wl,-soname,libws2_32.so -o "$STUB_DIR/libws2_32.so" "$STUB_DIR/stub.c"

# Each program, built with the project's headers against the stand-in, must abort when run as
# is (the first Winsock call lands in the stand-in) and succeed with the real library preloaded
# (every call reaches it). stub/program.c covers the blocking calls, select and name lookup;
# package/overlapped_echo.c covers overlapped WSASend/WSARecv, event objects and waits.
check_program() {
    local name="$1" src="$2" want="$3" rc
    rm -f "$WORK/$name"
    # 2. The program, built with the project's headers against the stand-in.
    "$CC" -std=c11 -Wall -Wextra -Werror -I "$SRC/include" "$src" \
        -o "$WORK/$name" -L "$STUB_DIR" -lws2_32 "-Wl,-rpath,$STUB_DIR"

    # 3. Without the real library: the first Winsock call lands in the stand-in and aborts.
    rc=0
    # (The shell's own "Aborted" notice goes to /dev/null; the program's output to the .out file.)
    { (ulimit -c 0; exec timeout 30 "$WORK/$name") >"$WORK/$name.plain.out" 2>&1; } 2>/dev/null || rc=$?
    if [ "$rc" -ne 134 ]; then # 128 + SIGABRT
        echo "preload-stub: FAILED: $name: without LD_PRELOAD the program should abort in the" \
             "stand-in, but it exited with status $rc:" >&2
        cat "$WORK/$name.plain.out" >&2
        exit 1
    fi
    echo "preload-stub: $name: without the preload it aborts in the stand-in (status 134), as it should"

    # 4. With the real library preloaded: every call must reach it.
    rc=0
    LD_PRELOAD="$LIB" timeout 30 "$WORK/$name" >"$WORK/$name.preload.out" 2>&1 || rc=$?
    cat "$WORK/$name.preload.out"
    if [ "$rc" -ne 0 ] || [ "$(cat "$WORK/$name.preload.out")" != "$want" ]; then
        echo "preload-stub: FAILED: $name: with LD_PRELOAD=$LIB the program exited with status $rc" >&2
        exit 1
    fi
}

check_program program "$SRC/c-tests/stub/program.c" "ok"
check_program overlapped_echo "$SRC/c-tests/package/overlapped_echo.c" "overlapped echo ok: 37 bytes"
echo "preload-stub: ok"
