#!/usr/bin/env bash
# -lmswsock resolves to the library: a program that links with -lws2_32 -lmswsock, and one
# that links with -lmswsock alone, both build and run (libmswsock.so is a linker script).
set -eu
src="${WS2_SOURCE_DIR:?}"
lib="${WS2_LIB_DIR:?}"
work="${WS2_WORK_DIR:-$(mktemp -d)}"
cc="${CC:-cc}"
mkdir -p "$work"
[ -f "$lib/libmswsock.so" ] || { echo "no $lib/libmswsock.so"; exit 1; }
cat > "$work/mswsock_prog.c" <<'C'
#include <winsock2.h>
#include <mswsock.h>
#include <stdio.h>
int main(void)
{
    WSADATA d;
    SOCKET s;
    if (WSAStartup(MAKEWORD(2, 2), &d))
        return 1;
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (s == INVALID_SOCKET)
        return 2;
    closesocket(s);
    WSACleanup();
    puts("ok");
    return 0;
}
C
n=0
for libs in "-lws2_32 -lmswsock" "-lmswsock"; do
    "$cc" -std=c11 -Wall -Wextra -Werror -I "$src/include" "$work/mswsock_prog.c" \
        -o "$work/mswsock_prog" -L "$lib" $libs -Wl,-rpath,"$lib"
    out=$("$work/mswsock_prog")
    [ "$out" = ok ] || { echo "linked with $libs: printed '$out'"; exit 1; }
    n=$((n + 1))
done
echo "link-mswsock: $n link lines built and ran"
