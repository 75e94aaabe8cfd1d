/* Shared helpers for the C tests. Portable Windows C: the same source builds against
 * ws2-uring's headers on Linux and with mingw-w64 for Wine. A test is one executable whose
 * main() returns test_done(): 0 when every check passed. */
#ifndef WS2_TESTUTIL_H
#define WS2_TESTUTIL_H

/* tu_now_ms and tu_sleep_ms use POSIX clock_gettime and nanosleep on our side, which a C11 build
 * declares only when asked before the first system header: every test includes this header
 * first (the #error below catches one that does not). mingw uses GetTickCount and Sleep. */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#if defined(_FEATURES_H)
#error "include testutil.h before any system header"
#endif
#define _POSIX_C_SOURCE 200809L
#endif

#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifndef _WIN32
#include <time.h>
#endif
#ifdef _WIN32
#include <io.h>
#else
#include <unistd.h>
#endif

static int tu_checks;
static int tu_failures;

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static inline void tu_ok(int cond, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    tu_checks++;
    if (cond)
        return;
    tu_failures++;
    fprintf(stderr, "%s:%d: check failed: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
}

/* ok(condition, "printf format", ...) */
#define ok(cond, ...) tu_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

/* Assert a Winsock call failed with `err`: `ret` is what it returned, `fail` its failure value. */
#define ok_wsa_fail(ret, fail, err)                                                          \
    do {                                                                                     \
        long long tu_r_ = (long long)(ret);                                                  \
        int tu_e_ = WSAGetLastError();                                                       \
        ok(tu_r_ == (long long)(fail) && tu_e_ == (err), "%s: got ret %lld error %d, want %lld error %d", \
           #ret, tu_r_, tu_e_, (long long)(fail), (int)(err));                               \
    } while (0)

/* Start Winsock 2.2 or exit. */
static inline void tu_startup(void)
{
    WSADATA d;
    int r = WSAStartup(MAKEWORD(2, 2), &d);
    if (r != 0) {
        fprintf(stderr, "WSAStartup failed: %d\n", r);
        exit(2);
    }
}

/* 127.0.0.1 with a port in network byte order (as getsockname gives it). */
static inline struct sockaddr_in tu_lo4(u_short port_net)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = port_net;
    return a;
}

/* An IPv4 address from an address and a port both in host byte order. */
static inline struct sockaddr_in tu_addr4(u_long addr_host, u_short port_host)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(addr_host);
    a.sin_port = htons(port_host);
    return a;
}

/* An IPv6 address from 16 address bytes and a port in network byte order. */
static inline struct sockaddr_in6 tu_addr6(const unsigned char *bytes16, u_short port_net)
{
    struct sockaddr_in6 a;
    memset(&a, 0, sizeof(a));
    a.sin6_family = AF_INET6;
    memcpy(a.sin6_addr.s6_addr, bytes16, 16);
    a.sin6_port = port_net;
    return a;
}

/* Eight host-order 16-bit words of an IPv6 address as its 16 bytes. */
static inline void tu_words_to_bytes(unsigned char *b, const unsigned short *w)
{
    int k;
    for (k = 0; k < 8; k++) {
        b[2 * k] = (unsigned char)(w[k] >> 8);
        b[2 * k + 1] = (unsigned char)w[k];
    }
}

/* 1 if 16 IPv6 address bytes are the eight host-order words `w`. */
static inline int tu_words_match(const unsigned char *b, const unsigned short *w)
{
    int k;
    for (k = 0; k < 8; k++)
        if ((unsigned short)((b[2 * k] << 8) | b[2 * k + 1]) != w[k])
            return 0;
    return 1;
}

/* Copy an ASCII string into a WCHAR buffer, terminator included. */
static inline void tu_widen(WCHAR *dst, const char *src)
{
    while ((*dst++ = (WCHAR)(unsigned char)*src++))
        ;
}

/* 1 if a WCHAR string equals an ASCII string. */
static inline int tu_wide_eq(const WCHAR *w, const char *s)
{
    while (*s)
        if (*w++ != (WCHAR)(unsigned char)*s++)
            return 0;
    return *w == 0;
}

/* Whether C runtime file descriptor `fd` (0 standard input, 1 standard output) is a terminal. */
static inline int tu_isatty(int fd)
{
#ifdef _WIN32
    return _isatty(fd);
#else
    return isatty(fd);
#endif
}

/* True when the Windows build runs under Wine, for the few checks where Wine is known to
 * differ from Windows (each such check says why); always false on our side. */
static inline int tu_on_wine(void)
{
#ifdef _WIN32
    HMODULE h = GetModuleHandleA("ntdll.dll");
    return h && GetProcAddress(h, "wine_get_version") != NULL;
#else
    return 0;
#endif
}

/* How far an interval read with tu_now_ms may fall short of the true one. On Windows the clock
 * is GetTickCount, which moves in steps of the system timer (10 to 16 ms, as Microsoft
 * documents), so each of the two readings may lag by one step. Here it is CLOCK_MONOTONIC
 * truncated to milliseconds: one millisecond. A check that a wait of N ms lasted at least N
 * reads `dt + TU_CLOCK_SLACK_MS >= N`. */
#ifdef _WIN32
#define TU_CLOCK_SLACK_MS 32
#else
#define TU_CLOCK_SLACK_MS 1
#endif

/* Milliseconds on a clock that only moves forward, for measuring intervals. */
static inline unsigned long long tu_now_ms(void)
{
#ifdef _WIN32
    return GetTickCount();
#else
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (unsigned long long)ts.tv_sec * 1000u + (unsigned long long)ts.tv_nsec / 1000000u;
#endif
}

/* Sleep for `ms` milliseconds. */
static inline void tu_sleep_ms(int ms)
{
#ifdef _WIN32
    Sleep((DWORD)ms);
#else
    struct timespec ts;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (long)(ms % 1000) * 1000000L;
    nanosleep(&ts, NULL);
#endif
}

/* select() on one socket for `what` ('r' read, 'w' write, 'e' except), waiting up to `ms`;
 * returns select's result. */
static inline int tu_wait_for(SOCKET s, char what, int ms)
{
    fd_set set;
    struct timeval tv;
    FD_ZERO(&set);
    FD_SET(s, &set);
    tv.tv_sec = ms / 1000;
    tv.tv_usec = (ms % 1000) * 1000;
    return select(0, what == 'r' ? &set : NULL, what == 'w' ? &set : NULL, what == 'e' ? &set : NULL,
                  &tv);
}

/* Turn non-blocking mode on or off (ioctlsocket FIONBIO); returns ioctlsocket's result. */
static inline int tu_set_nonblocking(SOCKET s, u_long on)
{
    return ioctlsocket(s, FIONBIO, &on);
}

/* getsockopt into an int pre-filled with `fill`: the value, or -1 when the call fails; *len gets
 * the returned option length. */
static inline int tu_get_int(SOCKET s, int level, int name, int fill, int *len)
{
    int v = fill;
    *len = sizeof(v);
    if (getsockopt(s, level, name, (char *)&v, len))
        return -1;
    return v;
}

/* The socket's pending error (SO_ERROR), or -1 when getsockopt fails. */
static inline int tu_so_error(SOCKET s)
{
    int len;
    return tu_get_int(s, SOL_SOCKET, SO_ERROR, (int)0xdeadbeef, &len);
}

/* Receive exactly n bytes (blocking): the count received, fewer at end of stream or on an
 * error, or recv's own result (0 or SOCKET_ERROR) when nothing came. */
static inline int tu_recv_all(SOCKET s, char *buf, int n)
{
    int got = 0;
    while (got < n) {
        int r = recv(s, buf + got, n - got, 0);
        if (r <= 0)
            return got ? got : r;
        got += r;
    }
    return got;
}

/* A port nothing listens on, in network byte order: a loopback socket of `type` is bound to get
 * one, then kept open in *keep (the port stays taken by that type) or closed when keep is NULL. */
static inline u_short tu_unused_port(int type, SOCKET *keep)
{
    struct sockaddr_in a = tu_lo4(0);
    int len = sizeof(a);
    SOCKET s = socket(AF_INET, type, 0);
    bind(s, (struct sockaddr *)&a, sizeof(a));
    getsockname(s, (struct sockaddr *)&a, &len);
    if (keep)
        *keep = s;
    else
        closesocket(s);
    return a.sin_port;
}

/* tu_listen_loopback(l, &addr): bind the TCP socket l to 127.0.0.1 at an ephemeral port and
 * listen (backlog 5); addr gets its address. Each step is checked at the caller's line; gives l. */
#define tu_listen_loopback(l, addr) tu_listen_loopback_at(__FILE__, __LINE__, l, addr)
static inline SOCKET tu_listen_loopback_at(const char *file, int line, SOCKET l, struct sockaddr_in *a)
{
    int len = sizeof(*a);
    *a = tu_lo4(0);
    tu_ok(l != INVALID_SOCKET, file, line, "listener: socket error %d", WSAGetLastError());
    tu_ok(bind(l, (struct sockaddr *)a, sizeof(*a)) == 0, file, line, "listener: bind error %d",
          WSAGetLastError());
    tu_ok(listen(l, 5) == 0, file, line, "listener: listen error %d", WSAGetLastError());
    tu_ok(getsockname(l, (struct sockaddr *)a, &len) == 0, file, line, "listener: getsockname error %d",
          WSAGetLastError());
    return l;
}

/* tu_listener(&addr): a new TCP socket listening on 127.0.0.1, as tu_listen_loopback. */
#define tu_listener(addr) tu_listen_loopback(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), addr)

/* tu_listener6(&addr): a new TCP socket listening on [::1] at an ephemeral port, as tu_listener. */
#define tu_listener6(addr) tu_listener6_at(__FILE__, __LINE__, addr)
static inline SOCKET tu_listener6_at(const char *file, int line, struct sockaddr_in6 *a)
{
    SOCKET l = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    int len = sizeof(*a);
    memset(a, 0, sizeof(*a));
    a->sin6_family = AF_INET6;
    a->sin6_addr.s6_addr[15] = 1;
    tu_ok(l != INVALID_SOCKET, file, line, "AF_INET6 listener: socket error %d", WSAGetLastError());
    tu_ok(bind(l, (struct sockaddr *)a, sizeof(*a)) == 0, file, line, "AF_INET6 listener: bind error %d",
          WSAGetLastError());
    tu_ok(listen(l, 5) == 0, file, line, "AF_INET6 listener: listen error %d", WSAGetLastError());
    tu_ok(getsockname(l, (struct sockaddr *)a, &len) == 0, file, line,
          "AF_INET6 listener: getsockname error %d", WSAGetLastError());
    return l;
}

/* tu_udp_socket(&addr): a new UDP socket bound to 127.0.0.1 at an ephemeral port; addr gets its
 * address. Each step is checked at the caller's line. */
#define tu_udp_socket(addr) tu_udp_socket_at(__FILE__, __LINE__, addr)
static inline SOCKET tu_udp_socket_at(const char *file, int line, struct sockaddr_in *a)
{
    SOCKET u = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    int len = sizeof(*a);
    *a = tu_lo4(0);
    tu_ok(u != INVALID_SOCKET, file, line, "udp socket: error %d", WSAGetLastError());
    tu_ok(bind(u, (struct sockaddr *)a, sizeof(*a)) == 0, file, line, "udp socket: bind error %d",
          WSAGetLastError());
    tu_ok(getsockname(u, (struct sockaddr *)a, &len) == 0, file, line, "udp socket: getsockname error %d",
          WSAGetLastError());
    return u;
}

/* tu_reset_close(s): close s abortively (SO_LINGER on, timeout 0) so that its peer sees a reset;
 * setting the option is checked at the caller's line. */
#define tu_reset_close(s) tu_reset_close_at(__FILE__, __LINE__, s)
static inline void tu_reset_close_at(const char *file, int line, SOCKET s)
{
    struct linger lg;
    lg.l_onoff = 1;
    lg.l_linger = 0;
    tu_ok(setsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&lg, sizeof(lg)) == 0, file, line,
          "SO_LINGER {1,0}: error %d", WSAGetLastError());
    closesocket(s);
}

/* A connected TCP pair over 127.0.0.1 (blocking sockets). Returns 0 on success. */
static inline int tu_tcp_pair(SOCKET *client, SOCKET *server)
{
    struct sockaddr_in a;
    int len = sizeof(a);
    SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    *client = *server = INVALID_SOCKET;
    if (l == INVALID_SOCKET)
        return -1;
    a = tu_lo4(0);
    if (bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 1) ||
        getsockname(l, (struct sockaddr *)&a, &len)) {
        closesocket(l);
        return -1;
    }
    *client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (*client == INVALID_SOCKET || connect(*client, (struct sockaddr *)&a, sizeof(a))) {
        closesocket(l);
        return -1;
    }
    *server = accept(l, NULL, NULL);
    closesocket(l);
    return *server == INVALID_SOCKET ? -1 : 0;
}

/* tu_check_tcp_pair(): check, at the caller's line, that a loopback TCP pair can still be made
 * (a test's last check that the stack works after all it did); the pair is closed again. */
#define tu_check_tcp_pair() tu_check_tcp_pair_at(__FILE__, __LINE__)
static inline void tu_check_tcp_pair_at(const char *file, int line)
{
    SOCKET c, s;
    tu_ok(tu_tcp_pair(&c, &s) == 0, file, line, "tcp pair: error %d", WSAGetLastError());
    closesocket(c);
    closesocket(s);
}

/* NTSTATUS values an OVERLAPPED's Internal holds (ntstatus.h), read straight from it. */
#define T_STATUS_SUCCESS 0x00000000u
#define T_STATUS_PENDING 0x00000103u
#define T_STATUS_BUFFER_OVERFLOW 0x80000005u
#define T_STATUS_IO_TIMEOUT 0xC00000B5u
#define T_STATUS_CANCELLED 0xC0000120u
#define T_STATUS_LOCAL_DISCONNECT 0xC000013Bu
#define T_STATUS_REMOTE_DISCONNECT 0xC000013Cu
#define T_STATUS_INVALID_CONNECTION 0xC0000140u
#define T_STATUS_CONNECTION_RESET 0xC000020Du
#define T_STATUS_CONNECTION_ABORTED 0xC0000241u

/* The status in an OVERLAPPED (Internal, as a DWORD). */
static inline DWORD ov_status(const OVERLAPPED *ov)
{
    return (DWORD)ov->Internal;
}

/* A fresh OVERLAPPED for event ev, with Internal/InternalHigh poisoned so a test sees what the
 * library writes. */
static inline void init_ov(OVERLAPPED *ov, HANDLE ev)
{
    memset(ov, 0, sizeof(*ov));
    ov->Internal = 0xdeadbeef;
    ov->InternalHigh = 0xdeadbeef;
    ov->hEvent = ev;
}

#ifdef TU_WATCHDOG_MS
/* A watchdog thread for tests that wait (define TU_WATCHDOG_MS before including this header
 * and start `watchdog` with pthread_create): a wait that never returns fails the test after
 * TU_WATCHDOG_MS, naming the stage it was in, instead of hanging it. */
static volatile const char *stage = "start";
static volatile int finished;

static inline void *watchdog(void *arg)
{
    int ms;
    (void)arg;
    for (ms = 0; ms < TU_WATCHDOG_MS && !finished; ms += 50)
        tu_sleep_ms(50);
    if (!finished) {
        fprintf(stderr, "hung in stage '%s'\n", (const char *)stage);
        fflush(stderr);
        _Exit(3);
    }
    return NULL;
}
#endif

/* Print the summary line and give main()'s return value. */
static inline int test_done(void)
{
    printf("%d checks, %d failed\n", tu_checks, tu_failures);
    fflush(stdout);
    return tu_failures ? 1 : 0;
}

#endif
