#!/usr/bin/env bash
# The installed package, seen from a user project: scripts/install.sh puts the already built
# library, the headers, the CMake package and the pkg-config file under a temporary prefix
# (staged with DESTDIR, then checked in place), and a Windows Winsock program
# (c-tests/package/overlapped_echo.c: loopback TCP echo over overlapped I/O) is built
#   1. by the CMake project c-tests/package/ with find_package(ws2uring) and ws2uring::ws2_32,
#   2. with cc $(pkg-config --cflags --libs ws2_32),
# and each build runs and must print its success line, using the installed library.
#
# Environment (set by c-tests/CMakeLists.txt): WS2_SOURCE_DIR, WS2_LIB_DIR, WS2_WORK_DIR, CC.
set -euo pipefail

SRC="${WS2_SOURCE_DIR:?WS2_SOURCE_DIR not set}"
BUILT="${WS2_LIB_DIR:?WS2_LIB_DIR not set}"
WORK="${WS2_WORK_DIR:-$(mktemp -d)}"
CC="${CC:-cc}"
[ -f "$BUILT/libws2_32.so" ] || { echo "cmake-package: $BUILT/libws2_32.so not found" >&2; exit 1; }
command -v cmake >/dev/null || { echo "cmake-package: cmake not found" >&2; exit 1; }
PKG_CONFIG="$(command -v pkg-config || command -v pkgconf || true)"
[ -n "$PKG_CONFIG" ] || { echo "cmake-package: pkg-config not found" >&2; exit 1; }

PREFIX="$WORK/prefix"
STAGE="$WORK/stage"
rm -rf "$PREFIX" "$STAGE" "$WORK/build" "$WORK/pc"
mkdir -p "$WORK/pc"
EXPECT='overlapped echo ok: 37 bytes'

fail() { echo "cmake-package: FAILED: $*" >&2; exit 1; }

# 1. A staged install (DESTDIR): every file lands under the stage, and the files name the
#    final prefix, not the stage.
DESTDIR="$STAGE" bash "$SRC/scripts/install.sh" --prefix "$PREFIX" --lib-dir "$BUILT" >/dev/null
for f in include/ws2-uring/winsock2.h include/ws2-uring/WinSock2.h include/ws2-uring/ws2_uring/synch.h \
         lib/libws2_32.so lib/libmswsock.so lib/cmake/ws2uring/ws2uringConfig.cmake \
         lib/cmake/ws2uring/ws2uringConfigVersion.cmake lib/pkgconfig/ws2_32.pc; do
    [ -e "$STAGE$PREFIX/$f" ] || fail "DESTDIR install lacks $f"
done
[ ! -e "$PREFIX" ] || fail "DESTDIR install wrote to the prefix itself"
grep -qx "prefix=$PREFIX" "$STAGE$PREFIX/lib/pkgconfig/ws2_32.pc" || fail "staged ws2_32.pc does not name $PREFIX"
if grep -rq "$STAGE" "$STAGE$PREFIX/lib/pkgconfig" "$STAGE$PREFIX/lib/cmake"; then
    fail "installed package files name the staging directory"
fi
# The headers are the source tree's, byte for byte.
diff -r "$SRC/include" "$STAGE$PREFIX/include/ws2-uring" -x 'WinSock2.h' -x 'Winsock2.h' -x 'WinSock.h' \
    -x 'WS2tcpip.h' -x 'Ws2tcpip.h' -x 'MSWSock.h' -x 'Mswsock.h' -x 'Windows.h' -x 'WS2def.h' \
    -x 'Ws2def.h' -x 'Ws2ipdef.h' -x 'MSTcpIP.h' -x 'Mstcpip.h' >/dev/null \
    || fail "installed headers differ from include/"
cmp -s "$BUILT/libws2_32.so" "$STAGE$PREFIX/lib/libws2_32.so" || fail "installed library differs from the build"
echo "cmake-package: DESTDIR install ok"

# 2. The install proper.
bash "$SRC/scripts/install.sh" --prefix "$PREFIX" --lib-dir "$BUILT"

# 3. CMake: find_package(ws2uring) and the imported targets.
cmake -S "$SRC/c-tests/package" -B "$WORK/build" -DCMAKE_PREFIX_PATH="$PREFIX" \
    -DCMAKE_C_COMPILER="$CC" -DCMAKE_BUILD_TYPE=Release >"$WORK/cmake-configure.log" 2>&1 \
    || { cat "$WORK/cmake-configure.log" >&2; fail "configuring c-tests/package"; }
cmake --build "$WORK/build" >"$WORK/cmake-build.log" 2>&1 \
    || { cat "$WORK/cmake-build.log" >&2; fail "building c-tests/package"; }
prog="$WORK/build/overlapped_echo"
# The program names the library, not a path, and runs with the installed copy (rpath).
needed="$(LC_ALL=C readelf -d "$prog" | sed -n 's/.*(NEEDED).*\[\(libws2_32[^]]*\)\].*/\1/p')"
[ "$needed" = "libws2_32.so" ] || fail "CMake build records '$needed' as the library, want libws2_32.so"
LC_ALL=C ldd "$prog" | grep -q "libws2_32.so => $PREFIX/lib/libws2_32.so" \
    || { LC_ALL=C ldd "$prog" >&2; fail "CMake build does not load $PREFIX/lib/libws2_32.so"; }
out="$(timeout 30 "$prog" 2>&1)" || fail "CMake build: program failed: $out"
[ "$out" = "$EXPECT" ] || fail "CMake build printed '$out', want '$EXPECT'"
echo "cmake-package: CMake (find_package(ws2uring), ws2uring::ws2_32): $out"

# A version the package does not satisfy is refused.
mkdir -p "$WORK/build-v"
printf 'cmake_minimum_required(VERSION 3.16)\nproject(v C)\nfind_package(ws2uring 1.0 REQUIRED)\n' \
    >"$WORK/build-v/CMakeLists.txt"
if cmake -S "$WORK/build-v" -B "$WORK/build-v/b" -DCMAKE_PREFIX_PATH="$PREFIX" >/dev/null 2>&1; then
    fail "find_package(ws2uring 1.0) accepted version 0.x"
fi

# 4. pkg-config.
export PKG_CONFIG_PATH="$PREFIX/lib/pkgconfig"
flags="$("$PKG_CONFIG" --cflags --libs ws2_32 | sed 's/ *$//')"
[ "$flags" = "-I$PREFIX/include/ws2-uring -L$PREFIX/lib -lws2_32" ] \
    || fail "pkg-config --cflags --libs ws2_32 gave '$flags'"
# shellcheck disable=SC2086 # the flags are words
"$CC" -std=c11 -Wall -Wextra -Werror "$SRC/c-tests/package/overlapped_echo.c" -o "$WORK/pc/overlapped_echo" \
    $("$PKG_CONFIG" --cflags --libs ws2_32 mswsock) "-Wl,-rpath,$PREFIX/lib"
out="$(timeout 30 "$WORK/pc/overlapped_echo" 2>&1)" || fail "pkg-config build: program failed: $out"
[ "$out" = "$EXPECT" ] || fail "pkg-config build printed '$out', want '$EXPECT'"
echo "cmake-package: pkg-config (cc \$(pkg-config --cflags --libs ws2_32)): $out"

# The header names as the Windows SDK spells them resolve in the installed include directory.
printf '#include <WinSock2.h>\n#include <WS2tcpip.h>\n#include <MSWSock.h>\n#include <Windows.h>\n#include <MSTcpIP.h>\n#include <Ws2def.h>\n#include <Ws2ipdef.h>\nint main(void) { WSADATA w; return WSAStartup(MAKEWORD(2, 2), &w) == 0 ? WSACleanup() : 1; }\n' \
    >"$WORK/pc/sdk_names.c"
# shellcheck disable=SC2086
"$CC" -std=c11 -Wall -Wextra -Werror "$WORK/pc/sdk_names.c" -o "$WORK/pc/sdk_names" \
    $("$PKG_CONFIG" --cflags --libs ws2_32) "-Wl,-rpath,$PREFIX/lib" || fail "SDK header spellings do not resolve"
"$WORK/pc/sdk_names" || fail "sdk_names failed"
echo "cmake-package: SDK header spellings (WinSock2.h, WS2tcpip.h, MSWSock.h, Windows.h, ...) resolve"

# 5. The installed tree is relocatable for CMake: moved elsewhere, it still configures and links.
mv "$PREFIX" "$WORK/moved"
cmake -S "$SRC/c-tests/package" -B "$WORK/build-moved" -DCMAKE_PREFIX_PATH="$WORK/moved" \
    -DCMAKE_C_COMPILER="$CC" >"$WORK/cmake-moved.log" 2>&1 \
    || { cat "$WORK/cmake-moved.log" >&2; fail "configuring against the moved prefix"; }
grep -q "ws2uring_DIR:PATH=$WORK/moved/lib/cmake/ws2uring" "$WORK/build-moved/CMakeCache.txt" \
    || fail "the moved package was not the one found"
cmake --build "$WORK/build-moved" >"$WORK/cmake-moved-build.log" 2>&1 \
    || { cat "$WORK/cmake-moved-build.log" >&2; fail "building against the moved prefix"; }
out="$(timeout 30 "$WORK/build-moved/overlapped_echo" 2>&1)" || fail "moved prefix: program failed: $out"
[ "$out" = "$EXPECT" ] || fail "moved prefix: program printed '$out'"
rm -rf "$WORK/moved"
echo "cmake-package: relocated prefix ok"
echo "cmake-package: ok"
