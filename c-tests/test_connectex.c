/* ConnectEx and DisconnectEx (through SIO_GET_EXTENSION_FUNCTION_POINTER):
 * - ConnectEx on an unbound socket fails at once with WSAEINVAL, without an OVERLAPPED with
 *   ERROR_INVALID_PARAMETER, on a connected socket with WSAEISCONN; on a bound socket it succeeds
 *   (pending, or TRUE at once) and completes with 0 bytes; with send data the completion reports
 *   the bytes sent and the peer receives them; SO_UPDATE_CONNECT_CONTEXT, then getpeername and
 *   getsockname give the connection's addresses and send/recv work;
 * - to a port with no listener it completes with a failure: GetOverlappedResult FALSE
 *   ERROR_CONNECTION_REFUSED, WSAGetOverlappedResult FALSE WSAECONNREFUSED;
 * - a second ConnectEx while one is pending fails at once with WSAEINVAL;
 * - through a completion port: one packet with the bytes sent;
 * - DisconnectEx: not connected WSAENOTCONN; overlapped it goes pending and completes with 0 bytes;
 *   without an OVERLAPPED it returns TRUE (twice too); afterwards send fails with WSAESHUTDOWN,
 *   connect with WSAEISCONN, the peer reads end of stream and can still send to us;
 * - DisconnectEx(TF_REUSE_SOCKET): the socket is then reused by ConnectEx to another listener and,
 *   after another reuse, as the accept socket of AcceptEx (our side only: Wine 8.0 does not
 *   implement reuse).
 * Sources: MS docs LPFN_CONNECTEX, LPFN_DISCONNECTEX, SO_UPDATE_CONNECT_CONTEXT, AcceptEx; Wine
 * dlls/ws2_32/tests/sock.c test_connect (ConnectEx part), test_DisconnectEx,
 * test_connect_completion_port. */
#include "testutil.h"
#include <mswsock.h>

#define WAIT_MS 3000
/* A refused loopback connection takes Windows about 2 s (it retries the SYN). */
#define REFUSED_WAIT_MS 6000
#define ADDRLEN ((DWORD)sizeof(struct sockaddr_in) + 16)
#define T_STATUS_CONNECTION_REFUSED 0xC0000236u

static LPFN_CONNECTEX pConnectEx;
static LPFN_DISCONNECTEX pDisconnectEx;
static LPFN_ACCEPTEX pAcceptEx;

static void load(void)
{
    GUID g1 = WSAID_CONNECTEX, g2 = WSAID_DISCONNECTEX, g3 = WSAID_ACCEPTEX;
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    DWORD n = 0;
    int r;
    r = WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &g1, sizeof(g1), &pConnectEx, sizeof(pConnectEx), &n, NULL,
                 NULL);
    ok(r == 0 && pConnectEx && n == sizeof(pConnectEx), "WSAID_CONNECTEX: got %d error %d", r, WSAGetLastError());
    r = WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &g2, sizeof(g2), &pDisconnectEx, sizeof(pDisconnectEx), &n,
                 NULL, NULL);
    ok(r == 0 && pDisconnectEx, "WSAID_DISCONNECTEX: got %d error %d", r, WSAGetLastError());
    r = WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &g3, sizeof(g3), &pAcceptEx, sizeof(pAcceptEx), &n, NULL,
                 NULL);
    ok(r == 0 && pAcceptEx, "WSAID_ACCEPTEX: got %d error %d", r, WSAGetLastError());
    closesocket(s);
    if (!pConnectEx || !pDisconnectEx || !pAcceptEx) {
        test_done();
        exit(1);
    }
}

static SOCKET bound_socket(void)
{
    struct sockaddr_in a = tu_lo4(0);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(bind(s, (struct sockaddr *)&a, sizeof(a)) == 0, "bind: error %d", WSAGetLastError());
    return s;
}

static struct sockaddr_in addr_of(SOCKET s, int peer)
{
    struct sockaddr_in a;
    int len = sizeof(a);
    memset(&a, 0, sizeof(a));
    if (peer)
        ok(getpeername(s, (struct sockaddr *)&a, &len) == 0, "getpeername: error %d", WSAGetLastError());
    else
        ok(getsockname(s, (struct sockaddr *)&a, &len) == 0, "getsockname: error %d", WSAGetLastError());
    return a;
}

static int same4(const struct sockaddr_in *a, const struct sockaddr_in *b)
{
    return a->sin_family == b->sin_family && a->sin_port == b->sin_port && a->sin_addr.s_addr == b->sin_addr.s_addr;
}

/* Start a ConnectEx that succeeds (pending or at once) and wait for it: want_sent bytes. */
#define connect_ok(s, to, data, len, ov) connect_ok_at(__LINE__, s, to, data, len, ov)
static void connect_ok_at(int line, SOCKET s, const struct sockaddr_in *to, const char *data, DWORD len,
                          OVERLAPPED *ov)
{
    DWORD n = 0xdeadbeef;
    BOOL b;
    WSASetLastError(0xdeadbeef);
    b = pConnectEx(s, (const struct sockaddr *)to, sizeof(*to), (PVOID)data, len, &n, ov);
    tu_ok(b || WSAGetLastError() == ERROR_IO_PENDING, __FILE__, line,
          "ConnectEx: got %d error %d, want TRUE or ERROR_IO_PENDING", b, WSAGetLastError());
    if (b)
        tu_ok(n == len, __FILE__, line, "ConnectEx at once: sent %u, want %u", (unsigned)n, (unsigned)len);
    tu_ok(WaitForSingleObject(ov->hEvent, WAIT_MS) == WAIT_OBJECT_0, __FILE__, line, "ConnectEx did not complete");
    n = 0xdeadbeef;
    b = GetOverlappedResult((HANDLE)s, ov, &n, FALSE);
    tu_ok(b && n == len, __FILE__, line, "GetOverlappedResult: got %d sent %u error %u, want TRUE %u", b,
          (unsigned)n, (unsigned)GetLastError(), (unsigned)len);
}

static void test_connect(void)
{
    struct sockaddr_in la, a;
    SOCKET l = tu_listener(&la), s, acc;
    OVERLAPPED ov;
    DWORD n;
    BOOL b;
    char buf[16];

    init_ov(&ov, CreateEventA(NULL, TRUE, FALSE, NULL));

    /* unbound */
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSASetLastError(0xdeadbeef);
    b = pConnectEx(s, (struct sockaddr *)&la, sizeof(la), NULL, 0, &n, &ov);
    ok(!b && WSAGetLastError() == WSAEINVAL, "ConnectEx unbound: got %d error %d, want WSAEINVAL", b,
       WSAGetLastError());
    ok(WaitForSingleObject(ov.hEvent, 0) == WAIT_TIMEOUT, "a failed ConnectEx set its event");
    closesocket(s);
    WSASetLastError(0xdeadbeef);
    b = pConnectEx(INVALID_SOCKET, (struct sockaddr *)&la, sizeof(la), NULL, 0, &n, &ov);
    ok(!b && WSAGetLastError() == WSAENOTSOCK, "ConnectEx(INVALID_SOCKET): got %d error %d, want WSAENOTSOCK", b,
       WSAGetLastError());

    /* bound, no OVERLAPPED */
    s = bound_socket();
    WSASetLastError(0xdeadbeef);
    b = pConnectEx(s, (struct sockaddr *)&la, sizeof(la), NULL, 0, &n, NULL);
    ok(!b && WSAGetLastError() == ERROR_INVALID_PARAMETER,
       "ConnectEx without OVERLAPPED: got %d error %d, want ERROR_INVALID_PARAMETER", b, WSAGetLastError());

    /* bound: connects */
    init_ov(&ov, ov.hEvent);
    connect_ok(s, &la, NULL, 0, &ov);
    acc = accept(l, NULL, NULL);
    ok(acc != INVALID_SOCKET, "accept: error %d", WSAGetLastError());
    ok(setsockopt(s, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0) == 0, "SO_UPDATE_CONNECT_CONTEXT: error %d",
       WSAGetLastError());
    a = addr_of(s, 1);
    ok(same4(&a, &la), "getpeername after ConnectEx is not the listener's address");
    a = addr_of(s, 0);
    {
        struct sockaddr_in pa = addr_of(acc, 1);
        ok(same4(&a, &pa), "getsockname after ConnectEx is not the acceptor's peer");
    }
    ok(send(s, "hi", 2, 0) == 2, "send: error %d", WSAGetLastError());
    ok(tu_recv_all(acc, buf, 2) == 2 && !memcmp(buf, "hi", 2), "acceptor got '%.2s'", buf);
    ok(send(acc, "yo", 2, 0) == 2, "send back: error %d", WSAGetLastError());
    ok(tu_recv_all(s, buf, 2) == 2 && !memcmp(buf, "yo", 2), "connector got '%.2s'", buf);

    /* a connected socket */
    init_ov(&ov, ov.hEvent);
    ResetEvent(ov.hEvent);
    WSASetLastError(0xdeadbeef);
    b = pConnectEx(s, (struct sockaddr *)&la, sizeof(la), NULL, 0, &n, &ov);
    ok(!b && WSAGetLastError() == WSAEISCONN, "ConnectEx connected: got %d error %d, want WSAEISCONN", b,
       WSAGetLastError());
    WSASetLastError(0xdeadbeef);
    b = pConnectEx(acc, (struct sockaddr *)&la, sizeof(la), NULL, 0, &n, &ov);
    ok(!b && WSAGetLastError() == WSAEISCONN, "ConnectEx on an accepted socket: got %d error %d, want WSAEISCONN",
       b, WSAGetLastError());
    ok(WaitForSingleObject(ov.hEvent, 0) == WAIT_TIMEOUT, "a failed ConnectEx set its event");
    closesocket(s);
    closesocket(acc);

    closesocket(l);
    CloseHandle(ov.hEvent);
}

static void test_send_data(void)
{
    static char big[3000];
    struct sockaddr_in la;
    SOCKET l = tu_listener(&la), s, acc;
    OVERLAPPED ov;
    char buf[3000];
    int i;

    for (i = 0; i < (int)sizeof(big); i++)
        big[i] = (char)(i * 7 + 1);
    init_ov(&ov, CreateEventA(NULL, TRUE, FALSE, NULL));
    s = bound_socket();
    connect_ok(s, &la, "123", 3, &ov);
    acc = accept(l, NULL, NULL);
    memset(buf, 0, sizeof(buf));
    ok(tu_recv_all(acc, buf, 3) == 3 && !memcmp(buf, "123", 3), "acceptor got '%.3s'", buf);
    closesocket(s);
    closesocket(acc);

    s = bound_socket();
    init_ov(&ov, ov.hEvent);
    ResetEvent(ov.hEvent);
    connect_ok(s, &la, big, sizeof(big), &ov);
    acc = accept(l, NULL, NULL);
    ok(tu_recv_all(acc, buf, sizeof(big)) == (int)sizeof(big) && !memcmp(buf, big, sizeof(big)),
       "acceptor did not get the 3000 bytes");
    closesocket(s);
    closesocket(acc);
    closesocket(l);
    CloseHandle(ov.hEvent);
}

static void test_refused(void)
{
    struct sockaddr_in to = tu_lo4(tu_unused_port(SOCK_STREAM, NULL));
    SOCKET s = bound_socket();
    OVERLAPPED ov;
    DWORD n = 0xdeadbeef, fl = 0;
    BOOL b;

    init_ov(&ov, CreateEventA(NULL, TRUE, FALSE, NULL));
    WSASetLastError(0xdeadbeef);
    b = pConnectEx(s, (struct sockaddr *)&to, sizeof(to), NULL, 0, &n, &ov);
    ok(!b && WSAGetLastError() == ERROR_IO_PENDING, "ConnectEx to a closed port: got %d error %d, want pending", b,
       WSAGetLastError());
    ok(WaitForSingleObject(ov.hEvent, REFUSED_WAIT_MS) == WAIT_OBJECT_0, "refused ConnectEx did not complete");
    n = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    b = GetOverlappedResult((HANDLE)s, &ov, &n, FALSE);
    ok(!b && GetLastError() == ERROR_CONNECTION_REFUSED && n == 0,
       "GetOverlappedResult: got %d error %u bytes %u, want FALSE ERROR_CONNECTION_REFUSED 0", b,
       (unsigned)GetLastError(), (unsigned)n);
    WSASetLastError(0xdeadbeef);
    b = WSAGetOverlappedResult(s, &ov, &n, FALSE, &fl);
    ok(!b && WSAGetLastError() == WSAECONNREFUSED, "WSAGetOverlappedResult: got %d error %d, want WSAECONNREFUSED",
       b, WSAGetLastError());
    ok(ov_status(&ov) == T_STATUS_CONNECTION_REFUSED, "Internal %#x, want STATUS_CONNECTION_REFUSED",
       (unsigned)ov_status(&ov));
    closesocket(s);
    CloseHandle(ov.hEvent);
}

/* A second ConnectEx while the first is pending. The first is kept pending by a listener whose
 * backlog is full (on Linux the SYN is then dropped and retried; Windows refuses it, after ~2 s of
 * retries, which is long enough too). */
static void test_connect_pending(void)
{
    struct sockaddr_in la;
    SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), fill[8], s;
    OVERLAPPED ov, ov2;
    DWORD n;
    BOOL b;
    int i, len = sizeof(la), nfill = 0;

    la = tu_lo4(0);
    bind(l, (struct sockaddr *)&la, sizeof(la));
    listen(l, 1);
    getsockname(l, (struct sockaddr *)&la, &len);
    /* fill the backlog with connections nobody accepts */
    for (i = 0; i < 8; i++) {
        fill[i] = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        tu_set_nonblocking(fill[i], 1);
        connect(fill[i], (struct sockaddr *)&la, sizeof(la));
        nfill++;
        if (tu_wait_for(fill[i], 'w', 300) != 1)
            break; /* this one did not connect: the backlog is full */
    }
    init_ov(&ov, CreateEventA(NULL, TRUE, FALSE, NULL));
    init_ov(&ov2, CreateEventA(NULL, TRUE, FALSE, NULL));
    s = bound_socket();
    WSASetLastError(0xdeadbeef);
    b = pConnectEx(s, (struct sockaddr *)&la, sizeof(la), NULL, 0, &n, &ov);
    ok(!b && WSAGetLastError() == ERROR_IO_PENDING, "ConnectEx to a full backlog: got %d error %d, want pending", b,
       WSAGetLastError());
    if (WaitForSingleObject(ov.hEvent, 100) == WAIT_TIMEOUT) {
        WSASetLastError(0xdeadbeef);
        b = pConnectEx(s, (struct sockaddr *)&la, sizeof(la), NULL, 0, &n, &ov2);
        ok(!b, "second ConnectEx while one is pending succeeded");
        /* WSAEINVAL, not connect()'s WSAEALREADY: AFD refuses a connect request on an endpoint
         * that has one pending with STATUS_INVALID_PARAMETER (Wine's server/sock.c follows
         * Windows there: a pending request is STATUS_INVALID_PARAMETER, and only a synchronous
         * connect() on a connecting socket maps to WSAEALREADY). */
        ok(WSAGetLastError() == WSAEINVAL, "second ConnectEx: error %d, want WSAEINVAL", WSAGetLastError());
        ok(WaitForSingleObject(ov2.hEvent, 0) == WAIT_TIMEOUT, "the refused second ConnectEx set its event");
    } else {
        ok(0, "ConnectEx to a full backlog completed at once");
    }
    closesocket(s);
    ok(WaitForSingleObject(ov.hEvent, WAIT_MS) == WAIT_OBJECT_0, "closesocket did not complete the ConnectEx");
    for (i = 0; i < nfill; i++)
        closesocket(fill[i]);
    closesocket(l);
    CloseHandle(ov.hEvent);
    CloseHandle(ov2.hEvent);
}

static void test_port(void)
{
    struct sockaddr_in la;
    SOCKET l = tu_listener(&la), s, acc;
    HANDLE port;
    OVERLAPPED ov, *o = NULL;
    DWORD n = 0xdeadbeef;
    ULONG_PTR k = 0;
    BOOL b;

    s = bound_socket();
    port = CreateIoCompletionPort((HANDLE)s, NULL, 55, 0);
    init_ov(&ov, NULL);
    WSASetLastError(0xdeadbeef);
    b = pConnectEx(s, (struct sockaddr *)&la, sizeof(la), (PVOID) "four", 4, &n, &ov);
    ok(b || WSAGetLastError() == ERROR_IO_PENDING, "ConnectEx: got %d error %d", b, WSAGetLastError());
    n = 0xdeadbeef;
    b = GetQueuedCompletionStatus(port, &n, &k, &o, WAIT_MS);
    ok(b && n == 4 && k == 55 && o == &ov, "ConnectEx packet: got %d bytes %u key %llu ov %p error %u", b,
       (unsigned)n, (unsigned long long)k, (void *)o, (unsigned)GetLastError());
    b = GetQueuedCompletionStatus(port, &n, &k, &o, 100);
    ok(!b && GetLastError() == WAIT_TIMEOUT, "a second packet for one ConnectEx");
    acc = accept(l, NULL, NULL);
    closesocket(acc);
    closesocket(s);
    closesocket(l);
    CloseHandle(port);
}

static void test_disconnect(void)
{
    struct sockaddr_in la, a;
    SOCKET l = tu_listener(&la), c, s;
    OVERLAPPED ov;
    DWORD n;
    BOOL b;
    char buf[8];
    int r;

    init_ov(&ov, CreateEventA(NULL, TRUE, FALSE, NULL));
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSASetLastError(0xdeadbeef);
    b = pDisconnectEx(c, &ov, 0, 0);
    ok(!b && WSAGetLastError() == WSAENOTCONN, "DisconnectEx unconnected: got %d error %d, want WSAENOTCONN", b,
       WSAGetLastError());
    WSASetLastError(0xdeadbeef);
    b = pDisconnectEx(INVALID_SOCKET, &ov, 0, 0);
    ok(!b && WSAGetLastError() == WSAENOTSOCK, "DisconnectEx(INVALID_SOCKET): got %d error %d", b,
       WSAGetLastError());

    /* overlapped */
    ok(connect(c, (struct sockaddr *)&la, sizeof(la)) == 0, "connect: error %d", WSAGetLastError());
    s = accept(l, NULL, NULL);
    WSASetLastError(0xdeadbeef);
    b = pDisconnectEx(c, &ov, 0, 0);
    ok(!b && WSAGetLastError() == ERROR_IO_PENDING, "DisconnectEx: got %d error %d, want pending", b,
       WSAGetLastError());
    ok(WaitForSingleObject(ov.hEvent, WAIT_MS) == WAIT_OBJECT_0, "DisconnectEx did not complete");
    n = 0xdeadbeef;
    b = GetOverlappedResult((HANDLE)c, &ov, &n, FALSE);
    ok(b && n == 0, "DisconnectEx result: got %d bytes %u error %u", b, (unsigned)n, (unsigned)GetLastError());
    WSASetLastError(0xdeadbeef);
    r = send(c, "test", 5, 0);
    ok_wsa_fail(r, SOCKET_ERROR, WSAESHUTDOWN);
    WSASetLastError(0xdeadbeef);
    r = connect(c, (struct sockaddr *)&la, sizeof(la));
    ok_wsa_fail(r, SOCKET_ERROR, WSAEISCONN);
    ok(recv(s, buf, sizeof(buf), 0) == 0, "peer did not read end of stream");
    ok(send(s, "back", 5, 0) == 5, "peer send: error %d", WSAGetLastError());
    memset(buf, 0, sizeof(buf));
    ok(recv(c, buf, sizeof(buf), 0) == 5 && !strcmp(buf, "back"), "after DisconnectEx recv got '%s'", buf);
    a = addr_of(c, 1);
    ok(same4(&a, &la), "getpeername after DisconnectEx");
    closesocket(c);
    closesocket(s);

    /* without an OVERLAPPED */
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(connect(c, (struct sockaddr *)&la, sizeof(la)) == 0, "connect: error %d", WSAGetLastError());
    s = accept(l, NULL, NULL);
    WSASetLastError(0xdeadbeef);
    ok(pDisconnectEx(c, NULL, 0, 0), "DisconnectEx(NULL): error %d", WSAGetLastError());
    ok(pDisconnectEx(c, NULL, 0, 0), "second DisconnectEx(NULL): error %d", WSAGetLastError());
    WSASetLastError(0xdeadbeef);
    r = send(c, "test", 5, 0);
    ok_wsa_fail(r, SOCKET_ERROR, WSAESHUTDOWN);
    ok(recv(s, buf, sizeof(buf), 0) == 0, "peer did not read end of stream");
    closesocket(c);
    closesocket(s);

    closesocket(l);
    CloseHandle(ov.hEvent);
}

/* TF_REUSE_SOCKET: the socket goes back to a state where ConnectEx and AcceptEx take it (MS docs
 * LPFN_DISCONNECTEX). The peer closes first, so that our side's connection ends without
 * TIME_WAIT. Wine 8.0 does not implement reuse (its DisconnectEx ignores the flag and the socket
 * stays connected), so this runs on our side only. */
static void test_reuse(void)
{
#ifdef WS2_URING
    struct sockaddr_in la1, la2, la3, a;
    SOCKET l1 = tu_listener(&la1), l2 = tu_listener(&la2), l3 = tu_listener(&la3), c, s, s2;
    OVERLAPPED ov;
    DWORD n;
    BOOL b;
    char buf[2 * ADDRLEN + 8];

    init_ov(&ov, CreateEventA(NULL, TRUE, FALSE, NULL));
    c = bound_socket();
    connect_ok(c, &la1, NULL, 0, &ov);
    setsockopt(c, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0);
    s = accept(l1, NULL, NULL);
    closesocket(s);
    ok(recv(c, buf, sizeof(buf), 0) == 0, "end of stream from the first peer");

    /* disconnect for reuse, then ConnectEx to another listener */
    init_ov(&ov, ov.hEvent);
    ResetEvent(ov.hEvent);
    WSASetLastError(0xdeadbeef);
    b = pDisconnectEx(c, &ov, TF_REUSE_SOCKET, 0);
    ok(b || WSAGetLastError() == ERROR_IO_PENDING, "DisconnectEx(TF_REUSE_SOCKET): got %d error %d", b,
       WSAGetLastError());
    ok(WaitForSingleObject(ov.hEvent, WAIT_MS) == WAIT_OBJECT_0, "DisconnectEx(TF_REUSE_SOCKET) did not complete");
    ok(GetOverlappedResult((HANDLE)c, &ov, &n, FALSE), "DisconnectEx(TF_REUSE_SOCKET): error %u",
       (unsigned)GetLastError());
    init_ov(&ov, ov.hEvent);
    ResetEvent(ov.hEvent);
    connect_ok(c, &la2, "re", 2, &ov);
    setsockopt(c, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0);
    a = addr_of(c, 1);
    ok(same4(&a, &la2), "reused socket is not connected to the second listener");
    s = accept(l2, NULL, NULL);
    ok(tu_recv_all(s, buf, 2) == 2 && !memcmp(buf, "re", 2), "second listener got '%.2s'", buf);
    closesocket(s);
    ok(recv(c, buf, sizeof(buf), 0) == 0, "end of stream from the second peer");

    /* reuse again, as the accept socket of AcceptEx */
    init_ov(&ov, ov.hEvent);
    ResetEvent(ov.hEvent);
    b = pDisconnectEx(c, &ov, TF_REUSE_SOCKET, 0);
    ok(b || WSAGetLastError() == ERROR_IO_PENDING, "second DisconnectEx(TF_REUSE_SOCKET): got %d error %d", b,
       WSAGetLastError());
    ok(WaitForSingleObject(ov.hEvent, WAIT_MS) == WAIT_OBJECT_0, "DisconnectEx did not complete");
    init_ov(&ov, ov.hEvent);
    ResetEvent(ov.hEvent);
    WSASetLastError(0xdeadbeef);
    b = pAcceptEx(l3, c, buf, 0, ADDRLEN, ADDRLEN, &n, &ov);
    ok(!b && WSAGetLastError() == ERROR_IO_PENDING, "AcceptEx into a reused socket: got %d error %d", b,
       WSAGetLastError());
    s2 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(connect(s2, (struct sockaddr *)&la3, sizeof(la3)) == 0, "connect: error %d", WSAGetLastError());
    ok(WaitForSingleObject(ov.hEvent, WAIT_MS) == WAIT_OBJECT_0, "AcceptEx into a reused socket did not complete");
    ok(GetOverlappedResult((HANDLE)l3, &ov, &n, FALSE) && n == 0, "AcceptEx result: error %u",
       (unsigned)GetLastError());
    ok(setsockopt(c, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&l3, sizeof(l3)) == 0,
       "SO_UPDATE_ACCEPT_CONTEXT: error %d", WSAGetLastError());
    ok(send(s2, "ok", 2, 0) == 2 && tu_recv_all(c, buf, 2) == 2 && !memcmp(buf, "ok", 2),
       "data over the reused accepted socket");
    closesocket(s2);
    closesocket(c);
    closesocket(l1);
    closesocket(l2);
    closesocket(l3);
    CloseHandle(ov.hEvent);
#endif
}

int main(void)
{
    tu_startup();
    load();
    test_connect();
    test_send_data();
    test_refused();
    test_connect_pending();
    test_port();
    test_disconnect();
    test_reuse();
    tu_check_tcp_pair();
    WSACleanup();
    return test_done();
}
