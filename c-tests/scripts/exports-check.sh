#!/usr/bin/env bash
# Export check: the functions the public headers declare and the dynamic symbols
# libws2_32.so defines must be the same set, and none of the library's symbols may be a name
# glibc defines (the library must never interpose libc).
#
#   1. Header side: the headers are run through the C preprocessor with the export markers
#      (WINSOCK_API_LINKAGE, WINBASEAPI) turned into a recognisable token; every marked
#      prototype gives a link name -- its asm label (ws2_socket for socket) or else the
#      declared name (WSAStartup; ws2_select, which `select` expands to).
#   2. Library side: nm -D --defined-only target/release/libws2_32.so.
#   3. Both directions are compared, and both sets are checked against the symbols defined by
#      glibc's libraries (libc.so.6, and libm/libresolv/libpthread/libdl/librt/libanl).
#
# Environment: WS2_SOURCE_DIR (repository root), WS2_LIB_DIR (directory with libws2_32.so),
# WS2_WORK_DIR (scratch), CC.
set -eu
set -o pipefail

here="$(cd "$(dirname "$0")" && pwd)"
src="${WS2_SOURCE_DIR:-$(cd "$here/../.." && pwd)}"
libdir="${WS2_LIB_DIR:-$src/target/release}"
work="${WS2_WORK_DIR:-$(mktemp -d)}"
cc="${CC:-cc}"
lib="$libdir/libws2_32.so"
mkdir -p "$work"

# ---- header side
headers='#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <mstcpip.h>
#include <ws2def.h>
#include <ws2ipdef.h>
#include <winsock.h>
#include <windows.h>
#include <strsafe.h>
#include <tchar.h>'
printf '%s\n' "$headers" > "$work/exports-headers.c"
"$cc" -E -P -DWINSOCK_API_LINKAGE=WS2_EXPORT_MARK_ -DWINBASEAPI=WS2_EXPORT_MARK_ \
    -I "$src/include" "$work/exports-headers.c" > "$work/exports-headers.i"

# One marked prototype per line (the headers' convention); print "linkname declared-name".
grep 'WS2_EXPORT_MARK_' "$work/exports-headers.i" | awk '
{
    line = $0
    paren = index(line, "(")
    if (paren == 0) { print "BAD " line > "/dev/stderr"; next }
    head = substr(line, 1, paren - 1)
    sub(/[ \t]+$/, "", head)
    n = split(head, w, /[ \t*]+/)
    name = w[n]
    link = name
    if (match(line, /__asm__\("[^"]*"\)/)) {
        link = substr(line, RSTART + 9, RLENGTH - 11)
    }
    print link, name
}' | sort -u > "$work/exports-declared.txt"

awk '{print $1}' "$work/exports-declared.txt" | sort -u > "$work/exports-header-syms.txt"
nh=$(wc -l < "$work/exports-header-syms.txt")
if [ "$nh" -lt 10 ]; then
    echo "exports-check: FAIL: found only $nh marked prototypes in the headers" >&2
    exit 1
fi

# ---- glibc's defined symbols
: > "$work/exports-glibc.txt"
for g in libc.so.6 libm.so.6 libresolv.so.2 libpthread.so.0 libdl.so.2 librt.so.1 libanl.so.1; do
    for d in /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu /lib64 /usr/lib64 /lib /usr/lib; do
        if [ -e "$d/$g" ]; then
            nm -D --defined-only "$d/$g" | awk 'NF >= 3 {print $3}' | sed 's/@.*//' >> "$work/exports-glibc.txt"
            break
        fi
    done
done
sort -u -o "$work/exports-glibc.txt" "$work/exports-glibc.txt"
if ! grep -qx 'malloc' "$work/exports-glibc.txt"; then
    echo "exports-check: FAIL: could not read glibc's symbols (nm -D libc.so.6)" >&2
    exit 1
fi

status=0

# Header link names that glibc also defines would bind the program to glibc.
comm -12 "$work/exports-header-syms.txt" "$work/exports-glibc.txt" > "$work/exports-header-clash.txt"
if [ -s "$work/exports-header-clash.txt" ]; then
    echo "exports-check: FAIL: headers bind these functions to names glibc defines:" >&2
    sed 's/^/    /' "$work/exports-header-clash.txt" >&2
    status=1
fi

# ---- library side
if [ ! -f "$lib" ]; then
    echo "exports-check: FAIL: $lib not found (cargo build --release)" >&2
    exit 1
fi
nm -D --defined-only "$lib" | awk 'NF >= 3 {print $3}' | sed 's/@.*//' |
    grep -v -x -E '_init|_fini|_edata|_end|__bss_start' | sort -u > "$work/exports-lib-syms.txt"
nl=$(wc -l < "$work/exports-lib-syms.txt")
echo "exports-check: headers declare $nh functions; $lib defines $nl dynamic symbols"

comm -12 "$work/exports-lib-syms.txt" "$work/exports-glibc.txt" > "$work/exports-lib-clash.txt"
if [ -s "$work/exports-lib-clash.txt" ]; then
    echo "exports-check: FAIL: the library defines names glibc defines (it would interpose libc):" >&2
    sed 's/^/    /' "$work/exports-lib-clash.txt" >&2
    status=1
fi

comm -23 "$work/exports-header-syms.txt" "$work/exports-lib-syms.txt" > "$work/exports-missing.txt"
comm -13 "$work/exports-header-syms.txt" "$work/exports-lib-syms.txt" > "$work/exports-undeclared.txt"
if [ -s "$work/exports-missing.txt" ]; then
    echo "exports-check: FAIL: declared in the headers but not exported by the library (symbol  <- header name):" >&2
    while read -r s; do
        printf '    %-28s <- %s\n' "$s" "$(awk -v s="$s" '$1 == s {print $2}' "$work/exports-declared.txt" | paste -sd, -)"
    done < "$work/exports-missing.txt" >&2
    status=1
fi
if [ -s "$work/exports-undeclared.txt" ]; then
    echo "exports-check: FAIL: exported by the library but declared in no header:" >&2
    sed 's/^/    /' "$work/exports-undeclared.txt" >&2
    status=1
fi

if [ "$status" -eq 0 ]; then
    echo "exports-check: PASS: $nh functions, declared and exported alike; no glibc names"
fi
exit "$status"
