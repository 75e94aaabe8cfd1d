/* AcceptEx and GetAcceptExSockaddrs (through SIO_GET_EXTENSION_FUNCTION_POINTER and by name from
 * mswsock):
 * - dwReceiveDataLength 0: pending (FALSE, ERROR_IO_PENDING, Internal STATUS_PENDING) until a
 *   connection comes, then TRUE with 0 bytes; > 0: still pending after the connection, completes
 *   when the first data arrives with bytes = the count received, the data at the buffer's start;
 *   a peer that closes before sending completes it with 0 bytes;
 * - GetAcceptExSockaddrs: local = the listener's address, remote = the client's getsockname, both
 *   of length sizeof(sockaddr_in) (sockaddr_in6 on IPv6);
 * - SO_UPDATE_ACCEPT_CONTEXT, then getsockname/getpeername/send/recv/shutdown on the accepted
 *   socket work;
 * - errors at once: INVALID_SOCKET for either socket WSAENOTSOCK, no OVERLAPPED
 *   ERROR_INVALID_PARAMETER, remote address length 0 WSAEFAULT, an acceptor already being
 *   accepted into WSAEINVAL (and connect on it WSAEINVAL); a local address length too small
 *   (3) goes pending and fails when a connection comes with ERROR_INSUFFICIENT_BUFFER
 *   (STATUS_BUFFER_TOO_SMALL);
 * - a bound, a connected or a UDP acceptor and a listener that does not listen are WSAEINVAL at
 *   once on Windows (our side only: Wine 8.0 posts them);
 * - closing the listener or the acceptor completes a pending AcceptEx with ERROR_OPERATION_ABORTED;
 *   CancelIo on the acceptor does not cancel it (it was issued on the listener), CancelIoEx on the
 *   listener does; both also end an AcceptEx that has its connection and waits for the first data;
 * - through a completion port (associated listener: its key, 0 or n bytes) and through an event.
 * Sources: MS docs AcceptEx, GetAcceptExSockaddrs, SO_UPDATE_ACCEPT_CONTEXT; Wine
 * dlls/ws2_32/tests/sock.c test_AcceptEx and test_completion_port (error codes, which cases Wine
 * marks todo). */
#include "testutil.h"
#include <mswsock.h>

#define WAIT_MS 3000
#define ADDRLEN ((DWORD)sizeof(struct sockaddr_in) + 16)
#define ADDRLEN6 ((DWORD)sizeof(struct sockaddr_in6) + 16)
#define T_STATUS_BUFFER_TOO_SMALL 0xC0000023u

static LPFN_ACCEPTEX pAcceptEx;
static LPFN_GETACCEPTEXSOCKADDRS pGetAcceptExSockaddrs;

static void load(void)
{
    GUID g1 = WSAID_ACCEPTEX, g2 = WSAID_GETACCEPTEXSOCKADDRS;
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    DWORD n = 0;
    int r;
    r = WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &g1, sizeof(g1), &pAcceptEx, sizeof(pAcceptEx), &n, NULL,
                 NULL);
    ok(r == 0 && pAcceptEx && n == sizeof(pAcceptEx), "WSAID_ACCEPTEX: got %d error %d size %u", r,
       WSAGetLastError(), (unsigned)n);
    r = WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &g2, sizeof(g2), &pGetAcceptExSockaddrs,
                 sizeof(pGetAcceptExSockaddrs), &n, NULL, NULL);
    ok(r == 0 && pGetAcceptExSockaddrs, "WSAID_GETACCEPTEXSOCKADDRS: got %d error %d", r, WSAGetLastError());
    closesocket(s);
    if (!pAcceptEx || !pGetAcceptExSockaddrs) {
        printf("no AcceptEx\n");
        exit(1);
    }
}

/* Post an AcceptEx that must go pending. */
#define accept_pending(l, a, buf, rlen, llen, rmlen, ov) accept_pending_at(__LINE__, l, a, buf, rlen, llen, rmlen, ov)
static void accept_pending_at(int line, SOCKET l, SOCKET a, char *buf, DWORD rlen, DWORD llen, DWORD rmlen,
                              OVERLAPPED *ov)
{
    DWORD n = 0xdeadbeef;
    BOOL b;
    WSASetLastError(0xdeadbeef);
    b = pAcceptEx(l, a, buf, rlen, llen, rmlen, &n, ov);
    tu_ok(!b && WSAGetLastError() == ERROR_IO_PENDING, __FILE__, line,
          "AcceptEx: got %d error %d, want FALSE ERROR_IO_PENDING", b, WSAGetLastError());
    tu_ok(ov_status(ov) == T_STATUS_PENDING, __FILE__, line, "AcceptEx pending: Internal %#x",
          (unsigned)ov_status(ov));
}

/* Wait for ov's event; GetOverlappedResult on the listener must give TRUE and want bytes. */
#define expect_accepted(l, ov, want) expect_accepted_at(__LINE__, l, ov, want)
static void expect_accepted_at(int line, SOCKET l, OVERLAPPED *ov, DWORD want)
{
    DWORD n = 0xdeadbeef;
    BOOL b;
    tu_ok(WaitForSingleObject(ov->hEvent, WAIT_MS) == WAIT_OBJECT_0, __FILE__, line, "AcceptEx did not complete");
    b = GetOverlappedResult((HANDLE)l, ov, &n, FALSE);
    tu_ok(b && n == want, __FILE__, line, "GetOverlappedResult: got %d bytes %u error %u, want TRUE %u", b,
          (unsigned)n, (unsigned)GetLastError(), (unsigned)want);
    tu_ok(ov_status(ov) == T_STATUS_SUCCESS && ov->InternalHigh == want, __FILE__, line,
          "Internal %#x InternalHigh %u", (unsigned)ov_status(ov), (unsigned)ov->InternalHigh);
}

/* Wait for ov's event; GetOverlappedResult must fail with err, 0 bytes. */
#define expect_failed(l, ov, err) expect_failed_at(__LINE__, l, ov, err)
static void expect_failed_at(int line, SOCKET l, OVERLAPPED *ov, DWORD err)
{
    DWORD n = 0xdeadbeef;
    BOOL b;
    tu_ok(WaitForSingleObject(ov->hEvent, WAIT_MS) == WAIT_OBJECT_0, __FILE__, line, "AcceptEx did not complete");
    SetLastError(0xdeadbeef);
    b = GetOverlappedResult((HANDLE)l, ov, &n, FALSE);
    tu_ok(!b && GetLastError() == err && n == 0, __FILE__, line,
          "GetOverlappedResult: got %d bytes %u error %u, want FALSE 0 %u", b, (unsigned)n, (unsigned)GetLastError(),
          (unsigned)err);
}

static SOCKET connect_to(const struct sockaddr_in *a)
{
    SOCKET c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(connect(c, (const struct sockaddr *)a, sizeof(*a)) == 0, "connect: error %d", WSAGetLastError());
    return c;
}

static struct sockaddr_in local_of(SOCKET s)
{
    struct sockaddr_in a;
    int len = sizeof(a);
    memset(&a, 0, sizeof(a));
    ok(getsockname(s, (struct sockaddr *)&a, &len) == 0, "getsockname: error %d", WSAGetLastError());
    return a;
}

static int same4(const struct sockaddr *sa, const struct sockaddr_in *b)
{
    const struct sockaddr_in *a = (const struct sockaddr_in *)sa;
    return a && a->sin_family == AF_INET && a->sin_port == b->sin_port && a->sin_addr.s_addr == b->sin_addr.s_addr;
}

/* Check the addresses AcceptEx wrote into buf. */
#define check_addrs(buf, rlen, l_addr, c_addr) check_addrs_at(__LINE__, buf, rlen, l_addr, c_addr)
static void check_addrs_at(int line, char *buf, DWORD rlen, const struct sockaddr_in *l_addr,
                           const struct sockaddr_in *c_addr)
{
    struct sockaddr *loc = NULL, *rem = NULL;
    int llen = -1, rmlen = -1;
    pGetAcceptExSockaddrs(buf, rlen, ADDRLEN, ADDRLEN, &loc, &llen, &rem, &rmlen);
    tu_ok(llen == (int)sizeof(struct sockaddr_in) && rmlen == (int)sizeof(struct sockaddr_in), __FILE__, line,
          "GetAcceptExSockaddrs lengths %d %d, want %d", llen, rmlen, (int)sizeof(struct sockaddr_in));
    tu_ok(same4(loc, l_addr), __FILE__, line, "local address is not the listener's");
    tu_ok(same4(rem, c_addr), __FILE__, line, "remote address is not the client's");
    /* both point into the buffer, after the received data */
    tu_ok((char *)loc >= buf + rlen && (char *)loc < buf + rlen + 2 * ADDRLEN && (char *)rem >= buf + rlen &&
              (char *)rem < buf + rlen + 2 * ADDRLEN,
          __FILE__, line, "addresses %p %p outside the buffer %p + %u", (void *)loc, (void *)rem, (void *)buf,
          (unsigned)rlen);
}

static void test_no_data(void)
{
    struct sockaddr_in la, ca, a;
    SOCKET l = tu_listener(&la), acc, c;
    OVERLAPPED ov;
    char buf[2 * ADDRLEN + 64], data[16];
    int len;

    init_ov(&ov, CreateEventA(NULL, TRUE, FALSE, NULL));
    acc = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(buf, 0xcc, sizeof(buf));
    accept_pending(l, acc, buf, 0, ADDRLEN, ADDRLEN, &ov);
    ok(WaitForSingleObject(ov.hEvent, 100) == WAIT_TIMEOUT, "AcceptEx completed without a connection");
    c = connect_to(&la);
    ca = local_of(c);
    expect_accepted(l, &ov, 0);
    check_addrs(buf, 0, &la, &ca);

    ok(setsockopt(acc, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&l, sizeof(l)) == 0,
       "SO_UPDATE_ACCEPT_CONTEXT: error %d", WSAGetLastError());
    len = sizeof(a);
    ok(getpeername(acc, (struct sockaddr *)&a, &len) == 0 && len == sizeof(a) && same4((struct sockaddr *)&a, &ca),
       "getpeername on the accepted socket: error %d len %d", WSAGetLastError(), len);
    len = sizeof(a);
    ok(getsockname(acc, (struct sockaddr *)&a, &len) == 0 && same4((struct sockaddr *)&a, &la),
       "getsockname on the accepted socket: error %d", WSAGetLastError());
    ok(send(acc, "ping", 4, 0) == 4, "send on the accepted socket: error %d", WSAGetLastError());
    memset(data, 0, sizeof(data));
    ok(tu_recv_all(c, data, 4) == 4 && !memcmp(data, "ping", 4), "client got '%.4s'", data);
    ok(send(c, "pong!", 5, 0) == 5, "client send: error %d", WSAGetLastError());
    ok(tu_recv_all(acc, data, 5) == 5 && !memcmp(data, "pong!", 5), "accepted socket got '%.5s'", data);
    ok(shutdown(acc, SD_SEND) == 0, "shutdown on the accepted socket: error %d", WSAGetLastError());
    ok(recv(c, data, sizeof(data), 0) == 0, "client did not see the shutdown");

    closesocket(c);
    closesocket(acc);
    closesocket(l);
    CloseHandle(ov.hEvent);
}

static void test_with_data(void)
{
    struct sockaddr_in la, ca;
    SOCKET l = tu_listener(&la), acc, c;
    OVERLAPPED ov;
    char buf[64 + 2 * ADDRLEN];

    init_ov(&ov, CreateEventA(NULL, TRUE, FALSE, NULL));
    acc = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(buf, 0xcc, sizeof(buf));
    accept_pending(l, acc, buf, 64, ADDRLEN, ADDRLEN, &ov);
    c = connect_to(&la);
    ca = local_of(c);
    /* connected, but no data: still pending */
    ok(WaitForSingleObject(ov.hEvent, 200) == WAIT_TIMEOUT, "AcceptEx with a buffer completed without data");
    ok(ov_status(&ov) == T_STATUS_PENDING, "Internal %#x, want STATUS_PENDING", (unsigned)ov_status(&ov));
    ok(send(c, "0123456789", 10, 0) == 10, "send: error %d", WSAGetLastError());
    expect_accepted(l, &ov, 10);
    ok(!memcmp(buf, "0123456789", 10), "received data '%.10s'", buf);
    check_addrs(buf, 64, &la, &ca);
    closesocket(c);
    closesocket(acc);

    /* the peer closes before sending anything: completes with 0 bytes */
    init_ov(&ov, ov.hEvent);
    ResetEvent(ov.hEvent);
    acc = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    accept_pending(l, acc, buf, 64, ADDRLEN, ADDRLEN, &ov);
    c = connect_to(&la);
    closesocket(c);
    expect_accepted(l, &ov, 0);
    closesocket(acc);

    closesocket(l);
    CloseHandle(ov.hEvent);
}

/* AcceptEx and GetAcceptExSockaddrs called by name (mswsock exports them). */
static void test_by_name(void)
{
    struct sockaddr_in la, ca;
    SOCKET l = tu_listener(&la), acc, c;
    OVERLAPPED ov;
    char buf[32 + 2 * ADDRLEN];
    DWORD n = 0xdeadbeef;
    BOOL b;
    struct sockaddr *loc = NULL, *rem = NULL;
    int llen = 0, rmlen = 0;

    init_ov(&ov, CreateEventA(NULL, TRUE, FALSE, NULL));
    acc = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSASetLastError(0xdeadbeef);
    b = AcceptEx(l, acc, buf, 32, ADDRLEN, ADDRLEN, &n, &ov);
    ok(!b && WSAGetLastError() == ERROR_IO_PENDING, "AcceptEx by name: got %d error %d", b, WSAGetLastError());
    c = connect_to(&la);
    ca = local_of(c);
    ok(send(c, "abc", 3, 0) == 3, "send: error %d", WSAGetLastError());
    expect_accepted(l, &ov, 3);
    GetAcceptExSockaddrs(buf, 32, ADDRLEN, ADDRLEN, &loc, &llen, &rem, &rmlen);
    ok(same4(loc, &la) && same4(rem, &ca) && llen == (int)sizeof(la) && rmlen == (int)sizeof(ca),
       "GetAcceptExSockaddrs by name: wrong addresses (lengths %d %d)", llen, rmlen);
    ok(!memcmp(buf, "abc", 3), "data '%.3s'", buf);
    closesocket(c);
    closesocket(acc);
    closesocket(l);
    CloseHandle(ov.hEvent);
}

static void test_ipv6(void)
{
    struct sockaddr_in6 la, ca;
    struct sockaddr *loc = NULL, *rem = NULL;
    int llen = 0, rmlen = 0, len = sizeof(ca);
    SOCKET l = tu_listener6(&la), acc, c;
    OVERLAPPED ov;
    char buf[2 * ADDRLEN6];

    init_ov(&ov, CreateEventA(NULL, TRUE, FALSE, NULL));
    acc = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    accept_pending(l, acc, buf, 0, ADDRLEN6, ADDRLEN6, &ov);
    c = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    ok(connect(c, (struct sockaddr *)&la, sizeof(la)) == 0, "connect [::1]: error %d", WSAGetLastError());
    getsockname(c, (struct sockaddr *)&ca, &len);
    expect_accepted(l, &ov, 0);
    pGetAcceptExSockaddrs(buf, 0, ADDRLEN6, ADDRLEN6, &loc, &llen, &rem, &rmlen);
    ok(llen == (int)sizeof(struct sockaddr_in6) && rmlen == (int)sizeof(struct sockaddr_in6), "lengths %d %d",
       llen, rmlen);
    ok(loc && loc->sa_family == AF_INET6 && ((struct sockaddr_in6 *)loc)->sin6_port == la.sin6_port &&
           !memcmp(&((struct sockaddr_in6 *)loc)->sin6_addr, &la.sin6_addr, 16),
       "local address is not the listener's");
    ok(rem && rem->sa_family == AF_INET6 && ((struct sockaddr_in6 *)rem)->sin6_port == ca.sin6_port &&
           !memcmp(&((struct sockaddr_in6 *)rem)->sin6_addr, &ca.sin6_addr, 16),
       "remote address is not the client's");
    closesocket(c);
    closesocket(acc);
    closesocket(l);
    CloseHandle(ov.hEvent);
}

static void test_errors(void)
{
    struct sockaddr_in la;
    SOCKET l = tu_listener(&la), acc, acc2, c;
    OVERLAPPED ov, ov2;
    char buf[2 * ADDRLEN + 16];
    DWORD n;
    BOOL b;
    int r;

    init_ov(&ov, CreateEventA(NULL, TRUE, FALSE, NULL));
    init_ov(&ov2, CreateEventA(NULL, TRUE, FALSE, NULL));
    acc = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

    WSASetLastError(0xdeadbeef);
    b = pAcceptEx(INVALID_SOCKET, acc, buf, 0, ADDRLEN, ADDRLEN, &n, &ov);
    ok(!b && WSAGetLastError() == WSAENOTSOCK, "invalid listener: got %d error %d, want WSAENOTSOCK", b,
       WSAGetLastError());
    WSASetLastError(0xdeadbeef);
    b = pAcceptEx(l, INVALID_SOCKET, buf, 0, ADDRLEN, ADDRLEN, &n, &ov);
    ok(!b && WSAGetLastError() == WSAENOTSOCK, "invalid acceptor: got %d error %d, want WSAENOTSOCK", b,
       WSAGetLastError());
    WSASetLastError(0xdeadbeef);
    b = pAcceptEx(l, acc, buf, 0, ADDRLEN, ADDRLEN, &n, NULL);
    ok(!b && WSAGetLastError() == ERROR_INVALID_PARAMETER, "no OVERLAPPED: got %d error %d, want "
       "ERROR_INVALID_PARAMETER", b, WSAGetLastError());
    init_ov(&ov, ov.hEvent);
    WSASetLastError(0xdeadbeef);
    b = pAcceptEx(l, acc, buf, 0, ADDRLEN, 0, &n, &ov);
    ok(!b && WSAGetLastError() == WSAEFAULT, "remote address length 0: got %d error %d, want WSAEFAULT", b,
       WSAGetLastError());
    ok(WaitForSingleObject(ov.hEvent, 0) == WAIT_TIMEOUT, "a failed AcceptEx set its event");

    /* the same acceptor twice; connect on an acceptor being accepted into */
    accept_pending(l, acc, buf, 0, ADDRLEN, ADDRLEN, &ov);
    WSASetLastError(0xdeadbeef);
    b = pAcceptEx(l, acc, buf, 0, ADDRLEN, ADDRLEN, &n, &ov2);
    ok(!b && WSAGetLastError() == WSAEINVAL, "acceptor already in use: got %d error %d, want WSAEINVAL", b,
       WSAGetLastError());
    WSASetLastError(0xdeadbeef);
    r = connect(acc, (struct sockaddr *)&la, sizeof(la));
    ok_wsa_fail(r, SOCKET_ERROR, WSAEINVAL);
    ok(WaitForSingleObject(ov2.hEvent, 0) == WAIT_TIMEOUT, "the refused AcceptEx set its event");
    c = connect_to(&la);
    expect_accepted(l, &ov, 0);
    closesocket(c);
    closesocket(acc);

    /* local address length too small: pending, then ERROR_INSUFFICIENT_BUFFER when a client comes */
    acc = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    init_ov(&ov, ov.hEvent);
    ResetEvent(ov.hEvent);
    accept_pending(l, acc, buf, 0, 3, ADDRLEN, &ov);
    c = connect_to(&la);
    expect_failed(l, &ov, ERROR_INSUFFICIENT_BUFFER);
    ok(ov_status(&ov) == T_STATUS_BUFFER_TOO_SMALL, "Internal %#x, want STATUS_BUFFER_TOO_SMALL",
       (unsigned)ov_status(&ov));
    closesocket(acc);
    closesocket(c);

#ifdef WS2_URING
    /* Windows refuses these at once with WSAEINVAL (Wine's test_AcceptEx, run on Windows; Wine 8.0
     * itself marks them todo: it posts the AcceptEx and returns ERROR_IO_PENDING). */
    {
        struct sockaddr_in lo = tu_lo4(0);
        SOCKET nl = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

        acc = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        bind(acc, (struct sockaddr *)&lo, sizeof(lo));
        init_ov(&ov, ov.hEvent);
        ResetEvent(ov.hEvent); /* set by the failed AcceptEx above */
        WSASetLastError(0xdeadbeef);
        b = pAcceptEx(l, acc, buf, 0, ADDRLEN, ADDRLEN, &n, &ov);
        ok(!b && WSAGetLastError() == WSAEINVAL, "bound acceptor: got %d error %d, want WSAEINVAL", b,
           WSAGetLastError());
        closesocket(acc);

        tu_tcp_pair(&acc, &acc2);
        WSASetLastError(0xdeadbeef);
        b = pAcceptEx(l, acc, buf, 0, ADDRLEN, ADDRLEN, &n, &ov);
        ok(!b && WSAGetLastError() == WSAEINVAL, "connected acceptor: got %d error %d, want WSAEINVAL", b,
           WSAGetLastError());
        closesocket(acc);
        closesocket(acc2);

        acc = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
        WSASetLastError(0xdeadbeef);
        b = pAcceptEx(l, acc, buf, 0, ADDRLEN, ADDRLEN, &n, &ov);
        ok(!b && WSAGetLastError() == WSAEINVAL, "UDP acceptor: got %d error %d, want WSAEINVAL", b,
           WSAGetLastError());
        closesocket(acc);

        bind(nl, (struct sockaddr *)&lo, sizeof(lo));
        acc = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        WSASetLastError(0xdeadbeef);
        b = pAcceptEx(nl, acc, buf, 0, ADDRLEN, ADDRLEN, &n, &ov);
        ok(!b && WSAGetLastError() == WSAEINVAL, "listener not listening: got %d error %d, want WSAEINVAL", b,
           WSAGetLastError());
        ok(WaitForSingleObject(ov.hEvent, 0) == WAIT_TIMEOUT, "a refused AcceptEx set its event");
        closesocket(acc);
        closesocket(nl);
    }
#else
    (void)acc2;
#endif

    closesocket(l);
    CloseHandle(ov.hEvent);
    CloseHandle(ov2.hEvent);
}

static void test_cancel_close(void)
{
    struct sockaddr_in la;
    SOCKET l = tu_listener(&la), acc;
    OVERLAPPED ov;
    char buf[64 + 2 * ADDRLEN];

    init_ov(&ov, CreateEventA(NULL, TRUE, FALSE, NULL));

    /* closing the acceptor */
    acc = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    accept_pending(l, acc, buf, 64, ADDRLEN, ADDRLEN, &ov);
    closesocket(acc);
    expect_failed(l, &ov, ERROR_OPERATION_ABORTED);
    ok(ov_status(&ov) == T_STATUS_CANCELLED, "Internal %#x, want STATUS_CANCELLED", (unsigned)ov_status(&ov));

    /* CancelIo on the acceptor does nothing; CancelIoEx on the listener cancels */
    acc = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    init_ov(&ov, ov.hEvent);
    ResetEvent(ov.hEvent);
    accept_pending(l, acc, buf, 64, ADDRLEN, ADDRLEN, &ov);
    CancelIo((HANDLE)acc);
    ok(WaitForSingleObject(ov.hEvent, 300) == WAIT_TIMEOUT, "CancelIo on the acceptor completed the AcceptEx");
    ok(CancelIoEx((HANDLE)l, &ov), "CancelIoEx(listener): error %u", (unsigned)GetLastError());
    expect_failed(l, &ov, ERROR_OPERATION_ABORTED);
    closesocket(acc);

    /* closing the listener */
    acc = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    init_ov(&ov, ov.hEvent);
    ResetEvent(ov.hEvent);
    accept_pending(l, acc, buf, 0, ADDRLEN, ADDRLEN, &ov);
    closesocket(l);
    expect_failed(l, &ov, ERROR_OPERATION_ABORTED);
    closesocket(acc);
    CloseHandle(ov.hEvent);
}

/* An AcceptEx with a receive buffer that has its connection and waits for the first data is
 * still the listener's operation: CancelIoEx on the listener and closing the listener end it
 * with ERROR_OPERATION_ABORTED. */
static void test_cancel_connected(void)
{
    struct sockaddr_in la;
    SOCKET l = tu_listener(&la), acc, c;
    OVERLAPPED ov;
    char buf[64 + 2 * ADDRLEN];

    init_ov(&ov, CreateEventA(NULL, TRUE, FALSE, NULL));

    acc = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    accept_pending(l, acc, buf, 64, ADDRLEN, ADDRLEN, &ov);
    c = connect_to(&la);
    ok(WaitForSingleObject(ov.hEvent, 300) == WAIT_TIMEOUT, "AcceptEx completed before any data");
    ok(CancelIoEx((HANDLE)l, &ov), "CancelIoEx(listener) after the connection: error %u", (unsigned)GetLastError());
    expect_failed(l, &ov, ERROR_OPERATION_ABORTED);
    ok(ov_status(&ov) == T_STATUS_CANCELLED, "Internal %#x, want STATUS_CANCELLED", (unsigned)ov_status(&ov));
    SetLastError(0xdeadbeef);
    ok(!CancelIoEx((HANDLE)l, &ov) && GetLastError() == ERROR_NOT_FOUND,
       "CancelIoEx again: error %u, want ERROR_NOT_FOUND", (unsigned)GetLastError());
    closesocket(c);
    closesocket(acc);

    acc = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    init_ov(&ov, ov.hEvent);
    ResetEvent(ov.hEvent);
    accept_pending(l, acc, buf, 64, ADDRLEN, ADDRLEN, &ov);
    c = connect_to(&la);
    ok(WaitForSingleObject(ov.hEvent, 300) == WAIT_TIMEOUT, "AcceptEx completed before any data");
    closesocket(l);
    expect_failed(l, &ov, ERROR_OPERATION_ABORTED);
    closesocket(c);
    closesocket(acc);
    CloseHandle(ov.hEvent);
}

static void test_port(void)
{
    struct sockaddr_in la, ca;
    SOCKET l = tu_listener(&la), acc, c;
    OVERLAPPED ov, *o;
    HANDLE port;
    char buf[64 + 2 * ADDRLEN];
    DWORD n;
    ULONG_PTR k;
    BOOL b;

    port = CreateIoCompletionPort((HANDLE)l, NULL, 77, 0);
    ok(port != NULL, "CreateIoCompletionPort(listener): error %u", (unsigned)GetLastError());

    /* no receive buffer */
    acc = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    init_ov(&ov, NULL);
    accept_pending(l, acc, buf, 0, ADDRLEN, ADDRLEN, &ov);
    b = GetQueuedCompletionStatus(port, &n, &k, &o, 100);
    ok(!b && GetLastError() == WAIT_TIMEOUT && o == NULL, "packet before the connection");
    c = connect_to(&la);
    ca = local_of(c);
    n = 0xdeadbeef;
    k = 0;
    o = NULL;
    b = GetQueuedCompletionStatus(port, &n, &k, &o, WAIT_MS);
    ok(b && n == 0 && k == 77 && o == &ov, "AcceptEx packet: got %d bytes %u key %llu ov %p error %u", b,
       (unsigned)n, (unsigned long long)k, (void *)o, (unsigned)GetLastError());
    check_addrs(buf, 0, &la, &ca);
    closesocket(c);
    closesocket(acc);

    /* with a receive buffer */
    acc = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    init_ov(&ov, NULL);
    accept_pending(l, acc, buf, 64, ADDRLEN, ADDRLEN, &ov);
    c = connect_to(&la);
    ca = local_of(c);
    b = GetQueuedCompletionStatus(port, &n, &k, &o, 200);
    ok(!b && GetLastError() == WAIT_TIMEOUT, "packet before the data");
    ok(send(c, "hello", 5, 0) == 5, "send: error %d", WSAGetLastError());
    n = 0xdeadbeef;
    b = GetQueuedCompletionStatus(port, &n, &k, &o, WAIT_MS);
    ok(b && n == 5 && k == 77 && o == &ov, "AcceptEx packet: got %d bytes %u key %llu ov %p error %u", b,
       (unsigned)n, (unsigned long long)k, (void *)o, (unsigned)GetLastError());
    ok(!memcmp(buf, "hello", 5), "data '%.5s'", buf);
    check_addrs(buf, 64, &la, &ca);
    closesocket(c);
    closesocket(acc);

    /* closing the listener: an aborted packet */
    acc = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    init_ov(&ov, NULL);
    accept_pending(l, acc, buf, 0, ADDRLEN, ADDRLEN, &ov);
    closesocket(l);
    n = 0xdeadbeef;
    o = NULL;
    SetLastError(0xdeadbeef);
    b = GetQueuedCompletionStatus(port, &n, &k, &o, WAIT_MS);
    ok(!b && GetLastError() == ERROR_OPERATION_ABORTED && n == 0 && k == 77 && o == &ov,
       "after closing the listener: got %d error %u bytes %u key %llu ov %p", b, (unsigned)GetLastError(),
       (unsigned)n, (unsigned long long)k, (void *)o);
    closesocket(acc);
    CloseHandle(port);
}

int main(void)
{
    tu_startup();
    load();
    test_no_data();
    test_with_data();
    test_by_name();
    test_ipv6();
    test_errors();
    test_cancel_close();
    test_cancel_connected();
    test_port();
    tu_check_tcp_pair();
    WSACleanup();
    return test_done();
}
