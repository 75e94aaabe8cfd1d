#!/usr/bin/env bash
# Include-order matrix for the public headers (include/*.h): compiles many small translation
# units as C11 and C++17 with -Wall -Wextra -Werror and requires every one to compile:
#   - each of the 8 headers alone;
#   - all 8 together in several orders;
#   - each header before, between and after the glibc headers a Winsock program typically
#     also includes (<stdio.h> <stdlib.h> <string.h> <time.h> <unistd.h> <pthread.h>
#     <errno.h> <signal.h>), in two orders of those;
#   - a "uses" unit (struct timeval, fd_set, FD_SET, select, gethostname, u_long, socklen_t,
#     WSAPOLLFD/POLL*) with static assertions on the Windows sizes, with <winsock2.h> and with
#     <ws2tcpip.h> at every position among the glibc headers (also as gnu11, where glibc
#     defines more of the clashing names);
#   - C++: <functional> after <winsock2.h> with std::bind next to Winsock's bind, and the
#     common C++ library headers before and after the Winsock headers;
#   - FD_SETSIZE chosen by the program before the first include;
#   - <strsafe.h> and <tchar.h> alone, with the other headers and around the glibc headers;
#   - every Windows spelling of a header (include/WinSock2.h, ...) preprocesses exactly as the
#     lower-case header it names.
#
# Environment: WS2_SOURCE_DIR (repository root), WS2_WORK_DIR (scratch), CC, CXX.
set -eu
set -o pipefail

here="$(cd "$(dirname "$0")" && pwd)"
src="${WS2_SOURCE_DIR:-$(cd "$here/../.." && pwd)}"
work="${WS2_WORK_DIR:-$(mktemp -d)}"
cc="${CC:-cc}"
cxx="${CXX:-c++}"
inc="$src/include"
units="$work/include-matrix"
rm -rf "$units"
mkdir -p "$units"

ours=(winsock2.h ws2tcpip.h mswsock.h windows.h winsock.h ws2def.h ws2ipdef.h mstcpip.h)
libc=(stdio.h stdlib.h string.h time.h unistd.h pthread.h errno.h signal.h)
libc_rev=(signal.h errno.h pthread.h unistd.h time.h string.h stdlib.h stdio.h)

n=0
# unit NAME LANG(c|cxx|gnu) BODY HEADER...
unit() {
    local name="$1" lang="$2" body="$3" ext=c
    shift 3
    [ "$lang" = cxx ] && ext=cpp
    n=$((n + 1))
    local f
    f="$units/$(printf '%04d' "$n")_${name}.${lang}.${ext}"
    {
        local h
        for h in "$@"; do
            case "$h" in
                '#'*) echo "$h" ;;
                *) echo "#include <$h>" ;;
            esac
        done
        echo '#ifndef WS2_URING'
        echo '#error not the ws2-uring headers'
        echo '#endif'
        case "$body" in
            plain) echo 'int ws2_matrix_unit;' ;;
            *) cat "$units/$body" ;;
        esac
    } > "$f"
}

cat > "$units/use.body" <<'EOF'
#ifdef __cplusplus
#define WS2_SA(c) static_assert((c), #c)
#else
#define WS2_SA(c) _Static_assert((c), #c)
#endif
WS2_SA(sizeof(struct timeval) == 8);
WS2_SA(sizeof(TIMEVAL) == 8);
WS2_SA(sizeof(u_long) == 4);
WS2_SA(sizeof(ULONG) == 4);
WS2_SA(sizeof(DWORD) == 4);
WS2_SA(sizeof(LONG) == 4);
WS2_SA(sizeof(fd_set) == 520);
WS2_SA(sizeof(FD_SET) == 520);
WS2_SA(FD_SETSIZE == 64);
WS2_SA(sizeof(SOCKET) == 8);
WS2_SA(sizeof(WSADATA) == 408);
WS2_SA(sizeof(WSAOVERLAPPED) == 32);
WS2_SA(sizeof(WSAPOLLFD) == 16);
WS2_SA(POLLIN == 0x300 && POLLOUT == 0x10 && POLLERR == 1 && POLLHUP == 2 && POLLNVAL == 4);
WS2_SA(AF_INET6 == 23 && SOL_SOCKET == 0xffff);
int ws2_matrix_use(SOCKET s);
int ws2_matrix_use(SOCKET s)
{
    fd_set rd, wr;
    FD_SET *pset = &wr;
    struct timeval tv;
    char host[256];
    u_long nbio = 1;
    WSAPOLLFD pfd;
    int r;
    tv.tv_sec = 1;
    tv.tv_usec = 0;
    FD_ZERO(&rd);
    FD_ZERO(pset);
    FD_SET(s, &rd);
    FD_SET(s, pset);
    FD_CLR(s, pset);
    if (ioctlsocket(s, FIONBIO, &nbio) != 0)
        return -1;
    if (gethostname(host, (int)sizeof(host)) != 0)
        return -1;
    r = select(0, &rd, pset, NULL, &tv);
    pfd.fd = s;
    pfd.events = POLLIN;
    pfd.revents = 0;
    r += WSAPoll(&pfd, 1, 0);
    return r + (FD_ISSET(s, &rd) ? 1 : 0) + (int)htons(80) + (int)sizeof(socklen_t);
}
EOF

cat > "$units/bind.body" <<'EOF'
static int ws2_add(int a, int b) { return a + b; }
int ws2_matrix_bind(SOCKET s, const struct sockaddr_in *sin);
int ws2_matrix_bind(SOCKET s, const struct sockaddr_in *sin)
{
    auto f = std::bind(ws2_add, std::placeholders::_1, 2);
    std::function<int(int)> g = f;
    return g(1) + bind(s, (const struct sockaddr *)sin, (int)sizeof(*sin)) +
           connect(s, (const struct sockaddr *)sin, (int)sizeof(*sin));
}
EOF

cat > "$units/fdsetsize.body" <<'EOF'
#ifdef __cplusplus
static_assert(FD_SETSIZE == 1024, "FD_SETSIZE");
static_assert(sizeof(fd_set) == 8 + 8 * 1024, "fd_set");
#else
_Static_assert(FD_SETSIZE == 1024, "FD_SETSIZE");
_Static_assert(sizeof(fd_set) == 8 + 8 * 1024, "fd_set");
#endif
EOF

for lang in c cxx; do
    # each header alone
    for h in "${ours[@]}"; do
        unit "alone_${h%.h}" "$lang" plain "$h"
    done
    # all together, several orders
    unit all_forward "$lang" plain "${ours[@]}"
    unit all_reverse "$lang" plain mstcpip.h ws2ipdef.h ws2def.h winsock.h windows.h mswsock.h ws2tcpip.h winsock2.h
    for r in 1 2 3 4 5 6 7; do
        rot=("${ours[@]:$r}" "${ours[@]:0:$r}")
        unit "all_rot$r" "$lang" plain "${rot[@]}"
    done
    # each header before, between and after the glibc headers (two orders of those)
    for h in "${ours[@]}"; do
        for order in fwd rev; do
            if [ "$order" = fwd ]; then l=("${libc[@]}"); else l=("${libc_rev[@]}"); fi
            unit "${h%.h}_before_libc_$order" "$lang" plain "$h" "${l[@]}"
            unit "${h%.h}_between_libc_$order" "$lang" plain "${l[@]:0:4}" "$h" "${l[@]:4}"
            unit "${h%.h}_after_libc_$order" "$lang" plain "${l[@]}" "$h"
        done
    done
done

# the "uses" unit with <winsock2.h> / <ws2tcpip.h> at every position among the glibc headers
for lang in c gnu cxx; do
    for h in winsock2.h ws2tcpip.h; do
        for pos in 0 1 2 3 4 5 6 7 8; do
            unit "use_${h%.h}_at$pos" "$lang" use.body "${libc[@]:0:$pos}" "$h" "${libc[@]:$pos}"
        done
        unit "use_${h%.h}_rev_mid" "$lang" use.body "${libc_rev[@]:0:4}" "$h" "${libc_rev[@]:4}"
    done
    unit use_windows_first "$lang" use.body windows.h stdlib.h winsock2.h ws2tcpip.h mswsock.h
    unit use_lean_windows "$lang" use.body '#define WIN32_LEAN_AND_MEAN' stdlib.h windows.h winsock2.h
    # FD_SETSIZE set by the program before the first include
    unit fdsetsize_first "$lang" fdsetsize.body '#define FD_SETSIZE 1024' winsock2.h stdlib.h sys/select.h unistd.h
    unit fdsetsize_before_winsock "$lang" fdsetsize.body '#define FD_SETSIZE 1024' winsock2.h ws2tcpip.h stdio.h
done
# FD_SETSIZE redefined by the program right before the Winsock header, after glibc set its own
unit fdsetsize_after_glibc gnu fdsetsize.body stdlib.h '#undef FD_SETSIZE' '#define FD_SETSIZE 1024' winsock2.h

# C++: std::bind next to Winsock's bind; common library headers around the Winsock headers
unit cxx_functional_after cxx bind.body winsock2.h functional
unit cxx_functional_before cxx bind.body functional ws2tcpip.h
unit cxx_stdlib_around cxx bind.body string vector algorithm winsock2.h ws2tcpip.h mswsock.h \
    functional thread mutex chrono iostream cstdlib cstring map memory
unit cxx_stdlib_first cxx bind.body iostream thread mutex condition_variable functional \
    cstdio cstdlib windows.h ws2tcpip.h
unit cxx_use_stdlib cxx use.body cstdio cstdlib cstring ctime winsock2.h ws2tcpip.h functional thread

# <strsafe.h> and <tchar.h>: alone, after and before the Winsock headers, around glibc's
for lang in c cxx; do
    for h in strsafe.h tchar.h; do
        unit "alone_${h%.h}" "$lang" plain "$h"
        unit "${h%.h}_after_all" "$lang" plain "${ours[@]}" "$h"
        unit "${h%.h}_before_all" "$lang" plain "$h" "${ours[@]}"
        unit "${h%.h}_before_libc" "$lang" plain "$h" "${libc[@]}"
        unit "${h%.h}_after_libc" "$lang" plain "${libc_rev[@]}" "$h"
    done
    unit tchar_strsafe "$lang" plain tchar.h strsafe.h
    unit strsafe_tchar "$lang" plain strsafe.h tchar.h
done

# The Windows spellings: each file must preprocess exactly as the lower-case header it names.
spell_fail=0
for f in "$inc"/*.h; do
    b="$(basename "$f")"
    lower="$(printf '%s' "$b" | tr 'A-Z' 'a-z')"
    [ "$b" = "$lower" ] && continue
    if [ ! -f "$inc/$lower" ] || [ -L "$f" ]; then
        echo "include-matrix: $b: no regular file $lower next to it, or $b is a symlink" >&2
        spell_fail=1
        continue
    fi
    printf '#include <%s>\n' "$b" > "$units/spelling.c"
    printf '#include <%s>\n' "$lower" > "$units/lower.c"
    if ! "$cc" -E -P -I "$inc" "$units/spelling.c" > "$units/spelling.i" 2> "$units/spelling.log" ||
        ! "$cc" -E -P -I "$inc" "$units/lower.c" > "$units/lower.i" 2>> "$units/spelling.log" ||
        ! cmp -s "$units/spelling.i" "$units/lower.i"; then
        echo "include-matrix: <$b> does not preprocess as <$lower>" >&2
        spell_fail=1
    fi
done
rm -f "$units"/spelling.* "$units"/lower.*
if [ "$spell_fail" -ne 0 ]; then
    exit 1
fi

# compile everything, two at a time
cat > "$units/compile-one.sh" <<EOF
#!/bin/sh
f="\$1"
case "\$f" in
    *.cxx.cpp) set -- $cxx -x c++ -std=c++17 ;;
    *.gnu.c) set -- $cc -x c -std=gnu11 ;;
    *) set -- $cc -x c -std=c11 ;;
esac
case "\$f" in
    *_use_*|*use_*|*_bind*|*functional*|*stdlib_*) out="-c -o \$f.o" ;;
    *) out="-fsyntax-only" ;;
esac
if ! "\$@" -Wall -Wextra -Werror \$out -I "$inc" "\$f" > "\$f.log" 2>&1; then
    touch "\$f.fail"
    exit 0
fi
# Units that call Winsock functions must reference the library's symbols, never glibc's.
if [ -f "\$f.o" ]; then
    undef=\$(nm -u "\$f.o" | awk '{print \$2}')
    for bad in select gethostname htons bind connect; do
        if echo "\$undef" | grep -qx "\$bad"; then
            echo "references glibc's \$bad instead of ws2_\$bad" >> "\$f.log"
            touch "\$f.fail"
            exit 0
        fi
    done
    case "\$f" in
        *use_*) want="ws2_select ws2_gethostname ws2_htons ioctlsocket WSAPoll __WSAFDIsSet" ;;
        *) want="ws2_bind ws2_connect" ;;
    esac
    for w in \$want; do
        if ! echo "\$undef" | grep -qx "\$w"; then
            echo "does not reference \$w" >> "\$f.log"
            touch "\$f.fail"
            exit 0
        fi
    done
fi
touch "\$f.ok"
EOF
chmod +x "$units/compile-one.sh"
find "$units" -name '*.c' -o -name '*.cpp' | sort | xargs -P 2 -n 1 "$units/compile-one.sh"

total=$(find "$units" \( -name '*.c' -o -name '*.cpp' \) | wc -l)
okc=$(find "$units" -name '*.ok' | wc -l)
failc=$(find "$units" -name '*.fail' | wc -l)
echo "include-matrix: $okc of $total translation units compiled ($failc failed)"
if [ "$failc" -ne 0 ] || [ "$okc" -ne "$total" ]; then
    for f in $(find "$units" -name '*.fail' | sort); do
        u="${f%.fail}"
        echo "---- FAILED: $(basename "$u")" >&2
        sed 's/^/    /' "$u" >&2
        echo "  compiler output:" >&2
        head -n 30 "$u.log" | sed 's/^/    /' >&2
    done
    exit 1
fi
echo "include-matrix: PASS"
