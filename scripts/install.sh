#!/usr/bin/env bash
# Installs ws2-uring for C and C++ users under a prefix:
#
#   <prefix>/include/ws2-uring/          the Windows headers (the whole include/ tree), with the
#                                         spellings the Windows SDK uses (WinSock2.h, ...) as links
#   <prefix>/<libdir>/libws2_32.so        the library
#   <prefix>/<libdir>/libmswsock.so       linker script: -lmswsock resolves to libws2_32
#   <prefix>/<libdir>/cmake/ws2uring/     CMake package: find_package(ws2uring), ws2uring::ws2_32
#   <prefix>/<libdir>/pkgconfig/ws2_32.pc pkg-config: pkg-config --cflags --libs ws2_32
#
# Usage: bash scripts/install.sh [--prefix DIR] [--libdir DIR] [--lib-dir DIR] [--destdir DIR]
#   --prefix DIR   installation prefix (default /usr/local)
#   --libdir DIR   library directory, relative to the prefix (default lib)
#   --lib-dir DIR  take libws2_32.so from DIR instead of building it (default: target/release of
#                  this checkout, built with `cargo build --release` when it is missing)
#   --destdir DIR  staging root prepended to every path (also read from $DESTDIR); the installed
#                  files still name the prefix, as for a package build
set -euo pipefail

SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PREFIX=/usr/local
LIBDIR=lib
BUILT=""
DEST="${DESTDIR:-}"

usage() { sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) PREFIX="${2:?--prefix needs a directory}"; shift 2 ;;
        --prefix=*) PREFIX="${1#*=}"; shift ;;
        --libdir) LIBDIR="${2:?--libdir needs a directory}"; shift 2 ;;
        --libdir=*) LIBDIR="${1#*=}"; shift ;;
        --lib-dir) BUILT="${2:?--lib-dir needs a directory}"; shift 2 ;;
        --lib-dir=*) BUILT="${1#*=}"; shift ;;
        --destdir) DEST="${2:?--destdir needs a directory}"; shift 2 ;;
        --destdir=*) DEST="${1#*=}"; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "install.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done

case "$PREFIX" in
    /*) ;;
    *) echo "install.sh: --prefix must be an absolute path, got '$PREFIX'" >&2; exit 2 ;;
esac
PREFIX="${PREFIX%/}"
[ -n "$PREFIX" ] || PREFIX=/
case "$LIBDIR" in
    /*|*..*|"") echo "install.sh: --libdir must be a relative path below the prefix" >&2; exit 2 ;;
esac
LIBDIR="${LIBDIR%/}"
DEST="${DEST%/}"

# The library: the given build, or this checkout's release build (built when missing).
if [ -z "$BUILT" ]; then
    BUILT="$SRC/target/release"
    if [ ! -f "$BUILT/libws2_32.so" ]; then
        echo "install.sh: building the release library (cargo build --release)"
        (cd "$SRC" && cargo build --release)
    fi
fi
[ -f "$BUILT/libws2_32.so" ] || { echo "install.sh: $BUILT/libws2_32.so not found" >&2; exit 1; }

VERSION="$(sed -n 's/^version *= *"\([^"]*\)".*/\1/p' "$SRC/Cargo.toml" | head -n1)"
[ -n "$VERSION" ] || { echo "install.sh: no version in $SRC/Cargo.toml" >&2; exit 1; }

INCDIR_REL=include/ws2-uring
ROOT="$DEST$PREFIX"
ROOT="${ROOT%/}"
INC="$ROOT/$INCDIR_REL"
LIB="$ROOT/$LIBDIR"
CMAKEDIR="$LIB/cmake/ws2uring"
PCDIR="$LIB/pkgconfig"

mkdir -p "$INC" "$LIB" "$CMAKEDIR" "$PCDIR"

# Headers: the whole include/ tree, replacing an earlier installation.
rm -rf "$INC"
mkdir -p "$INC"
cp -R "$SRC/include/." "$INC/"
find "$INC" -type d -exec chmod 755 {} +
find "$INC" -type f -exec chmod 644 {} +
# The Windows SDK spells some header names in mixed case and Windows' file system ignores case;
# Windows sources use either. Links make the SDK spellings resolve too.
for pair in WinSock2.h:winsock2.h Winsock2.h:winsock2.h WinSock.h:winsock.h \
            WS2tcpip.h:ws2tcpip.h Ws2tcpip.h:ws2tcpip.h MSWSock.h:mswsock.h Mswsock.h:mswsock.h \
            Windows.h:windows.h WS2def.h:ws2def.h Ws2def.h:ws2def.h Ws2ipdef.h:ws2ipdef.h \
            MSTcpIP.h:mstcpip.h Mstcpip.h:mstcpip.h; do
    link="${pair%%:*}" target="${pair#*:}"
    if [ -f "$INC/$target" ] && [ ! -e "$INC/$link" ]; then
        ln -s "$target" "$INC/$link"
    fi
done

# The library and the -lmswsock linker script.
install -m 755 "$BUILT/libws2_32.so" "$LIB/libws2_32.so"
printf '/* GNU ld script: the mswsock functions are in libws2_32. */\nINPUT(-lws2_32)\n' \
    >"$LIB/libmswsock.so"
chmod 644 "$LIB/libmswsock.so"

# The CMake package locates itself: the prefix is found from the file's own directory, so the
# installed tree can be moved or staged with DESTDIR. Depth of <libdir>/cmake/ws2uring below it:
depth="$(printf '%s/cmake/ws2uring' "$LIBDIR" | awk -F/ '{print NF}')"
up="$(for _ in $(seq "$depth"); do printf '/..'; done)"
subst() {
    sed -e "s|@WS2_VERSION@|$VERSION|g" \
        -e "s|@WS2_PREFIX@|$PREFIX|g" \
        -e "s|@WS2_LIBDIR@|$LIBDIR|g" \
        -e "s|@WS2_INCLUDEDIR@|$INCDIR_REL|g" \
        -e "s|@WS2_CMAKE_TO_PREFIX@|$up|g" "$1" >"$2"
    chmod 644 "$2"
}
subst "$SRC/cmake/ws2uringConfig.cmake.in" "$CMAKEDIR/ws2uringConfig.cmake"
subst "$SRC/cmake/ws2uringConfigVersion.cmake.in" "$CMAKEDIR/ws2uringConfigVersion.cmake"
subst "$SRC/pkgconfig/ws2_32.pc.in" "$PCDIR/ws2_32.pc"
# -lmswsock through pkg-config too.
subst "$SRC/pkgconfig/mswsock.pc.in" "$PCDIR/mswsock.pc"

echo "install.sh: ws2-uring $VERSION installed under $ROOT"
echo "  headers     $INC"
echo "  library     $LIB/libws2_32.so"
echo "  CMake       $CMAKEDIR (find_package(ws2uring), target ws2uring::ws2_32)"
echo "  pkg-config  $PCDIR/ws2_32.pc"
