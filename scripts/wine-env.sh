#!/usr/bin/env bash
# Run a Windows program under Wine the way the Wine test suite does:
#   scripts/wine-env.sh prog.exe [args...]
# Uses the Wine prefix of the test build (build/wine/wineprefix, or $WINEPREFIX if set),
# creating it on first use, with Wine's debug output off.
# Build the program with e.g.:
#   x86_64-w64-mingw32-gcc -std=c11 -Wall -Wextra -D__USE_MINGW_ANSI_STDIO=1 -I c-tests \
#       c-tests/test_x.c -o /tmp/x.exe -lws2_32 -lmswsock -static
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ "$#" -ge 1 ] || { echo "usage: $0 PROGRAM.exe [ARGS...]" >&2; exit 2; }

WINE="${WS2_WINE_LAUNCHER:-}"
if [ -z "$WINE" ]; then
    if [ -x /usr/lib/wine/wine64 ]; then
        WINE=/usr/lib/wine/wine64
    else
        WINE="$(command -v wine64 || command -v wine || true)"
    fi
fi
[ -n "$WINE" ] || { echo "wine-env: wine64 not found (Debian package wine64)" >&2; exit 1; }

export WINEPREFIX="${WINEPREFIX:-$REPO/build/wine/wineprefix}"
export WINEDEBUG="${WINEDEBUG:--all}"
export WINEDLLOVERRIDES="${WINEDLLOVERRIDES:-mscoree,mshtml=}"
if [ ! -f "$WINEPREFIX/.ws2-prefix-ready" ]; then
    echo "wine-env: creating the Wine prefix $WINEPREFIX" >&2
    mkdir -p "$WINEPREFIX"
    "$WINE" wineboot -i >/dev/null 2>&1
    touch "$WINEPREFIX/.ws2-prefix-ready"
fi
exec "$WINE" "$@"
