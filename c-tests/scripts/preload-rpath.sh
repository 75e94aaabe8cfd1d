#!/usr/bin/env bash
# LD_PRELOAD over an existing build: a Windows-style program (c-tests/stub/program.c) built and
# linked against another copy of libws2_32.so (an "older" installation in its own directory,
# recorded in the program's rpath) must, when run with this library in LD_PRELOAD, have every
# Winsock call served by the preloaded copy, and work. Which copy served each call is read from
# the dynamic loader's own record (LD_DEBUG=bindings): without the preload the calls bind to
# the old copy, with it they bind to the preloaded one and none to the old copy.
#
# Environment (set by c-tests/CMakeLists.txt): WS2_SOURCE_DIR, WS2_LIB_DIR, WS2_WORK_DIR, CC.
set -euo pipefail

SRC="${WS2_SOURCE_DIR:?WS2_SOURCE_DIR not set}"
LIB="${WS2_LIB_DIR:?WS2_LIB_DIR not set}/libws2_32.so"
WORK="${WS2_WORK_DIR:-$(mktemp -d)}"
CC="${CC:-cc}"
OLD="$WORK/old-install/lib"
[ -f "$LIB" ] || { echo "preload-rpath: $LIB not found" >&2; exit 1; }
rm -rf "$WORK/old-install" "$WORK/program" "$WORK"/*.out "$WORK"/*.bindings*
mkdir -p "$OLD"

fail() { echo "preload-rpath: FAILED: $*" >&2; exit 1; }

# 1. The older copy: a separate file in its own directory (a copy of the library, as an earlier
#    installation would be), and the program built against it with its directory as rpath.
cp "$LIB" "$OLD/libws2_32.so"
"$CC" -std=c11 -Wall -Wextra -Werror -I "$SRC/include" "$SRC/c-tests/stub/program.c" \
    -o "$WORK/program" -L "$OLD" -lws2_32 "-Wl,-rpath,$OLD"
OLD_REAL="$(readlink -f "$OLD/libws2_32.so")"
NEW_REAL="$(readlink -f "$LIB")"
[ "$OLD_REAL" != "$NEW_REAL" ] || fail "the old copy and the library are the same file"

# The Winsock names the program imports (the headers bind POSIX-named ones to ws2_*).
mapfile -t imports < <(LC_ALL=C nm -D --undefined-only "$WORK/program" | awk '{print $2}' |
    sed 's/@.*//' | grep -E '^(WSA|ws2_|closesocket|ioctlsocket|__WSAFDIsSet)' | sort -u)
[ "${#imports[@]}" -gt 5 ] || fail "the program imports only ${#imports[@]} Winsock names: ${imports[*]:-}"
echo "preload-rpath: the program imports ${#imports[@]} Winsock names"

# Prints the file each imported Winsock name was bound to, one "name file" line each.
bound_to() {
    sed -n "s/.*binding file .* \[[0-9]*\] to \(.*\) \[[0-9]*\]: normal symbol \`\([^'\`]*\)'.*/\2 \1/p" "$@" |
        sed 's/@[^ ]*//' | sort -u
}

# 2. Without the preload: the program runs on the old copy.
rc=0
LD_DEBUG=bindings LD_DEBUG_OUTPUT="$WORK/plain.bindings" timeout 30 "$WORK/program" \
    >"$WORK/plain.out" 2>&1 || rc=$?
[ "$rc" -eq 0 ] && [ "$(cat "$WORK/plain.out")" = "ok" ] || {
    cat "$WORK/plain.out" >&2; fail "the program does not work on the old copy (status $rc)"; }
bound_to "$WORK"/plain.bindings.* >"$WORK/plain.map"
for name in "${imports[@]}"; do
    file="$(awk -v n="$name" '$1 == n {print $2}' "$WORK/plain.map" | head -n1)"
    [ -n "$file" ] || continue # not called on this run
    [ "$(readlink -f "$file")" = "$OLD_REAL" ] || fail "without the preload, $name bound to $file"
done
grep -q "^WSAStartup " "$WORK/plain.map" || fail "no binding of WSAStartup recorded without the preload"
echo "preload-rpath: without the preload, WSAStartup is served by $(awk '$1 == "WSAStartup" {print $2}' "$WORK/plain.map")"

# 3. With this library preloaded: every Winsock call is served by it, none by the old copy,
#    and the program still works.
rc=0
LD_PRELOAD="$LIB" LD_DEBUG=bindings LD_DEBUG_OUTPUT="$WORK/preload.bindings" \
    timeout 30 "$WORK/program" >"$WORK/preload.out" 2>&1 || rc=$?
cat "$WORK/preload.out"
[ "$rc" -eq 0 ] && [ "$(cat "$WORK/preload.out")" = "ok" ] \
    || fail "with LD_PRELOAD=$LIB the program exited with status $rc"
bound_to "$WORK"/preload.bindings.* >"$WORK/preload.map"
served=0
for name in "${imports[@]}"; do
    file="$(awk -v n="$name" '$1 == n {print $2}' "$WORK/preload.map" | head -n1)"
    [ -n "$file" ] || continue
    [ "$(readlink -f "$file")" = "$NEW_REAL" ] || fail "with the preload, $name bound to $file, not $LIB"
    served=$((served + 1))
done
grep -q "^WSAStartup " "$WORK/preload.map" || fail "no binding of WSAStartup recorded with the preload"
if grep -q " $OLD/libws2_32.so\$" "$WORK/preload.map"; then
    fail "with the preload, some names still bound to the old copy: $(grep " $OLD/" "$WORK/preload.map" | tr '\n' ' ')"
fi
echo "preload-rpath: with LD_PRELOAD, $served Winsock calls bound to $LIB, none to the old copy"
echo "preload-rpath: ok"
