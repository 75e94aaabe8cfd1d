#!/usr/bin/env bash
# Layout/value comparison: builds c-tests/test_layout.c twice -- with mingw-w64 against the
# Windows headers (run under Wine) and natively against this project's include/ -- and
# requires the two printed tables (sizes, offsets, constant values) to be identical.
#
# Environment (set by ctest; defaults for running by hand from the repository):
#   WS2_SOURCE_DIR  repository root                        (default: this script's ../..)
#   WS2_MINGW_CC    mingw-w64 C compiler                   (default: x86_64-w64-mingw32-gcc)
#   WS2_WINE        Wine launcher                          (default: /usr/lib/wine/wine64)
#   WS2_WORK_DIR    scratch directory                      (default: a fresh mktemp -d)
#   CC              native C compiler                      (default: cc)
#   WINEPREFIX      Wine prefix (default: $WS2_WORK_DIR/wineprefix, created on first use)
# test_layout calls no library function, so WS2_LIB_DIR is not needed.
set -eu
set -o pipefail

here="$(cd "$(dirname "$0")" && pwd)"
src="${WS2_SOURCE_DIR:-$(cd "$here/../.." && pwd)}"
mingw_cc="${WS2_MINGW_CC:-x86_64-w64-mingw32-gcc}"
wine="${WS2_WINE:-/usr/lib/wine/wine64}"
work="${WS2_WORK_DIR:-$(mktemp -d)}"
cc="${CC:-cc}"
mkdir -p "$work"

test_src="$src/c-tests/test_layout.c"

echo "layout-compare: native build ($cc, include/)"
"$cc" -std=c11 -Wall -Wextra -Werror -I "$src/include" -I "$src/c-tests" \
    "$test_src" -o "$work/test_layout.native"

echo "layout-compare: mingw-w64 build ($mingw_cc)"
"$mingw_cc" -std=c11 -Wall -Wextra -Werror -D__USE_MINGW_ANSI_STDIO=1 -I "$src/c-tests" \
    "$test_src" -o "$work/test_layout.exe" -static

"$work/test_layout.native" > "$work/native.txt"

export WINEPREFIX="${WINEPREFIX:-$work/wineprefix}"
export WINEDEBUG="${WINEDEBUG:--all}"
export WINEDLLOVERRIDES="${WINEDLLOVERRIDES:-mscoree,mshtml=}"
if [ ! -f "$WINEPREFIX/.ws2-prefix-ready" ]; then
    echo "layout-compare: creating Wine prefix $WINEPREFIX"
    mkdir -p "$WINEPREFIX"
    "$wine" wineboot -i > /dev/null 2>&1
    touch "$WINEPREFIX/.ws2-prefix-ready"
fi
"$wine" "$work/test_layout.exe" | tr -d '\r' > "$work/wine.txt"

native_n=$(wc -l < "$work/native.txt")
wine_n=$(wc -l < "$work/wine.txt")
echo "layout-compare: $wine_n items from mingw-w64/Wine, $native_n items from ws2-uring"

if [ "$wine_n" -lt 150 ]; then
    echo "layout-compare: FAIL: too few items from the Wine run" >&2
    exit 1
fi
if diff -u --label mingw-w64 --label ws2-uring "$work/wine.txt" "$work/native.txt" > "$work/layout.diff"; then
    echo "layout-compare: PASS: all $native_n items identical"
    exit 0
fi
echo "layout-compare: FAIL: items differ (- mingw-w64/Wine, + ws2-uring):" >&2
cat "$work/layout.diff" >&2
exit 1
