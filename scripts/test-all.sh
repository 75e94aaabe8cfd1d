#!/usr/bin/env bash
# Run every test of ws2-uring (the README's test command; .ci/run calls it):
#   1. cargo test                  Rust unit tests
#   2. cargo build --release       target/release/libws2_32.so
#   3. native C suite              c-tests/ built against include/ + libws2_32.so, run by ctest
#   4. Wine C suite                the same sources built with mingw-w64, run under Wine by ctest
# Needs: cargo, a C compiler, cmake, wine64, x86_64-w64-mingw32-gcc (Debian: cmake wine64
# gcc-mingw-w64-x86-64; `bash .ci/run` installs them and runs this script).
#
# A step that cannot run (a build or configure error, cargo test failing) stops the run at once.
# Failing C tests do not stop it: both suites run so the final count covers both. The last line is
# `N passed, N failed` (C tests over both ctest runs); the exit status is non-zero if anything failed.
# Build directories: <repo>/build/native and <repo>/build/wine. Runs from any directory.
set -uo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$REPO/build"
JOBS="${WS2_JOBS:-2}"
mkdir -p "$BUILD"

SUMMARY=()
C_PASSED=0
C_FAILED=0
FAILED=0
WINESERVER=""
WINEPREFIX_DIR="$BUILD/wine/wineprefix"

say() { printf '\n=== %s\n' "$*"; }

print_summary() {
    printf '\n=== summary\n'
    local line
    for line in "${SUMMARY[@]}"; do
        printf '%s\n' "$line"
    done
    printf '%d passed, %d failed\n' "$C_PASSED" "$C_FAILED"
}

# Stop now: a step could not run.
die() {
    printf '\ntest-all: FAILED: %s\n' "$*" >&2
    SUMMARY+=("FAILED: $*")
    print_summary
    exit 1
}

stop_wineserver() {
    if [ -n "$WINESERVER" ]; then
        WINEPREFIX="$WINEPREFIX_DIR" "$WINESERVER" -k >/dev/null 2>&1 || true
        WINESERVER=""
    fi
}
trap stop_wineserver EXIT
trap 'stop_wineserver; exit 130' INT TERM

find_tool() { # find_tool NAME [extra dirs...] -> prints the path
    local name="$1" dir
    shift
    for dir in "$@"; do
        if [ -x "$dir/$name" ]; then
            printf '%s\n' "$dir/$name"
            return 0
        fi
    done
    command -v "$name" 2>/dev/null
}

# ---------------------------------------------------------------- prerequisites
# The Wine launcher: /usr/lib/wine/wine64 (Debian's wine64 package), else wine64 or wine on PATH.
WINE="${WS2_WINE_LAUNCHER:-$(find_tool wine64 /usr/lib/wine || find_tool wine || true)}"
# The wineserver that belongs to that launcher (same directory), else /usr/lib/wine, else PATH.
WINESERVER_BIN=""
if [ -n "$WINE" ]; then
    WINESERVER_BIN="$(find_tool wineserver "$(dirname "$WINE")" /usr/lib/wine || true)"
fi
missing=()
command -v cargo >/dev/null || missing+=("cargo (https://rustup.rs)")
command -v cc >/dev/null || missing+=("cc (gcc)")
command -v cmake >/dev/null && command -v ctest >/dev/null || missing+=("cmake")
command -v x86_64-w64-mingw32-gcc >/dev/null || missing+=("x86_64-w64-mingw32-gcc (gcc-mingw-w64-x86-64)")
[ -n "$WINE" ] || missing+=("wine64")
[ -n "$WINESERVER_BIN" ] || missing+=("wineserver (wine64)")
if [ "${#missing[@]}" -gt 0 ]; then
    printf 'test-all: missing: %s\n' "${missing[*]}" >&2
    printf 'install them with: sudo apt-get install -y --no-install-recommends cmake wine64 gcc-mingw-w64-x86-64\n' >&2
    printf '(or run `bash .ci/run`, which installs them and then runs this script)\n' >&2
    die "prerequisites missing"
fi

cd "$REPO" || die "cannot cd to $REPO"

# A build tree configured from another checkout cannot be reused.
for dir in "$BUILD/native" "$BUILD/wine"; do
    if [ -f "$dir/CMakeCache.txt" ] &&
        ! grep -qxF "CMAKE_HOME_DIRECTORY:INTERNAL=$REPO/c-tests" "$dir/CMakeCache.txt"; then
        echo "test-all: removing $dir (configured from another source tree)"
        rm -rf "$dir"
    fi
done

# ctest output -> "P F" (passed, failed); nothing if the summary line is absent.
ctest_counts() {
    local log="$1" line failed total
    if grep -q 'No tests were found' "$log"; then
        echo "0 0"
        return
    fi
    line="$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1)"
    [ -n "$line" ] || return 0
    failed="$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")"
    total="$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\2/' <<<"$line")"
    echo "$((total - failed)) $failed"
}

# Configure, build and run one C suite. run_suite NAME BUILD_DIR [cmake args...]
run_suite() {
    local name="$1" dir="$2" log counts p f rc
    shift 2
    say "$name: configure"
    cmake -S "$REPO/c-tests" -B "$dir" "$@" || die "$name: cmake configure"
    say "$name: build"
    cmake --build "$dir" -j "$JOBS" || die "$name: build (cmake --build $dir)"
    say "$name: ctest"
    log="$dir/ctest.log"
    (cd "$dir" && ctest --output-on-failure -j "$JOBS") 2>&1 | tee "$log"
    rc="${PIPESTATUS[0]}"
    counts="$(ctest_counts "$log")"
    if [ -z "$counts" ]; then
        die "$name: ctest did not run (exit $rc, see $log)"
    fi
    read -r p f <<<"$counts"
    C_PASSED=$((C_PASSED + p))
    C_FAILED=$((C_FAILED + f))
    if [ "$f" -ne 0 ] || [ "$rc" -ne 0 ]; then
        FAILED=1
        SUMMARY+=("$name: $p passed, $f failed  (FAILED; log: $log)")
    else
        SUMMARY+=("$name: $p passed, $f failed")
    fi
}

# ---------------------------------------------------------------- 1. cargo test
say "cargo test"
cargo_log="$BUILD/cargo-test.log"
cargo test 2>&1 | tee "$cargo_log"
rc="${PIPESTATUS[0]}"
rust_p=0
rust_f=0
while read -r p f; do
    rust_p=$((rust_p + p))
    rust_f=$((rust_f + f))
done < <(sed -nE 's/^test result: [A-Za-z]+\. ([0-9]+) passed; ([0-9]+) failed.*/\1 \2/p' "$cargo_log")
[ "$rc" -eq 0 ] || die "cargo test (exit $rc, $rust_f Rust tests failed)"
SUMMARY+=("cargo test: $rust_p passed, $rust_f failed")

# ---------------------------------------------------------------- 2. the library
say "cargo build --release"
cargo build --release || die "cargo build --release"
[ -f "$REPO/target/release/libws2_32.so" ] || die "cargo build --release gave no target/release/libws2_32.so"

# ---------------------------------------------------------------- 3. native suite
run_suite "native ctest" "$BUILD/native" -DWS2_LIB_DIR="$REPO/target/release"

# ---------------------------------------------------------------- 4. Wine suite
# One Wine prefix inside the build tree, created once; one persistent wineserver for the run
# (each test would otherwise start and stop its own).
mkdir -p "$WINEPREFIX_DIR"
export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
WINEPREFIX="$WINEPREFIX_DIR" "$WINESERVER_BIN" -k >/dev/null 2>&1 || true
WINEPREFIX="$WINEPREFIX_DIR" "$WINESERVER_BIN" -p || die "wineserver -p ($WINESERVER_BIN)"
WINESERVER="$WINESERVER_BIN"
if [ ! -f "$WINEPREFIX_DIR/.ws2-prefix-ready" ]; then
    say "wine: initialising the prefix $WINEPREFIX_DIR (wineboot -i)"
    (cd "$WINEPREFIX_DIR" && WINEPREFIX="$WINEPREFIX_DIR" "$WINE" wineboot -i) \
        >"$BUILD/wine/wineboot.log" 2>&1 || die "wineboot -i (see $BUILD/wine/wineboot.log)"
    touch "$WINEPREFIX_DIR/.ws2-prefix-ready"
fi
# Start Wine's background services now, with their output detached: otherwise the first test
# starts them and they hold ctest's output pipe open until that test times out.
(cd "$WINEPREFIX_DIR" && WINEPREFIX="$WINEPREFIX_DIR" "$WINE" cmd /c exit) </dev/null >/dev/null 2>&1 || true
run_suite "wine ctest" "$BUILD/wine" -DWS2_WINE=ON \
    -DCMAKE_TOOLCHAIN_FILE="$REPO/cmake/mingw-w64.cmake" \
    -DWS2_WINE_LAUNCHER="$WINE" -DWS2_WINEPREFIX="$WINEPREFIX_DIR"
stop_wineserver

print_summary
exit "$FAILED"
