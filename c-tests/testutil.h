/* Shared helpers for the C tests. Portable Windows C: the same source builds against
 * ws2-uring's headers on Linux and with mingw-w64 for Wine. A test is one executable whose
 * main() returns test_done(): 0 when every check passed. */
#ifndef WS2_TESTUTIL_H
#define WS2_TESTUTIL_H

#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* A connected TCP pair over 127.0.0.1 (blocking sockets). Returns 0 on success. */
static inline int tu_tcp_pair(SOCKET *client, SOCKET *server)
{
    struct sockaddr_in a;
    int len = sizeof(a);
    SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    *client = *server = INVALID_SOCKET;
    if (l == INVALID_SOCKET)
        return -1;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
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

/* Print the summary line and give main()'s return value. */
static inline int test_done(void)
{
    printf("%d checks, %d failed\n", tu_checks, tu_failures);
    fflush(stdout);
    return tu_failures ? 1 : 0;
}

#endif
