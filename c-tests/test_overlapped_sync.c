/* WSARecv/WSASend/WSARecvFrom/WSASendTo used synchronously: with lpOverlapped NULL a blocking
 * receive waits for data and a non-blocking one fails with WSAEWOULDBLOCK; SO_RCVTIMEO ends a
 * blocking WSARecv with WSAETIMEDOUT (count untouched) but does not apply to an overlapped receive;
 * on a socket made by WSASocket without WSA_FLAG_OVERLAPPED an lpOverlapped does not make the call
 * asynchronous: it completes before returning (0, count written, Internal/InternalHigh set, event
 * signalled), and it blocks for data even in non-blocking mode, where the same call without
 * lpOverlapped gives WSAEWOULDBLOCK (Wine's test_nonblocking_async_recv, validated on Windows). */
#include "testutil.h"
#include <pthread.h>

#define WAIT_MS 3000
#define DELAY_MS 200

/* ---- a send (or sendto) made by another thread after a delay ---- */
struct delayed_send {
    SOCKET s;
    const char *data;
    int len;
    const struct sockaddr_in *to;
    pthread_t thread;
};

static void *delayed_send_main(void *arg)
{
    struct delayed_send *d = arg;
    tu_sleep_ms(DELAY_MS);
    if (d->to)
        sendto(d->s, d->data, d->len, 0, (const struct sockaddr *)d->to, sizeof(*d->to));
    else
        send(d->s, d->data, d->len, 0);
    return NULL;
}

static void start_delayed_send(struct delayed_send *d, SOCKET s, const char *data, int len,
                               const struct sockaddr_in *to)
{
    d->s = s;
    d->data = data;
    d->len = len;
    d->to = to;
    ok(pthread_create(&d->thread, NULL, delayed_send_main, d) == 0, "pthread_create failed");
}

/* ---- a WSARecv run on another thread, so a call that blocks can be observed ---- */
struct recv_call {
    SOCKET s;
    OVERLAPPED *ov;
    char buf[32];
    int r, err;
    DWORD n;
    volatile int done;
    pthread_t thread;
};

static void *recv_call_main(void *arg)
{
    struct recv_call *c = arg;
    WSABUF wb;
    DWORD fl = 0;
    wb.buf = c->buf;
    wb.len = sizeof(c->buf);
    c->n = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    c->r = WSARecv(c->s, &wb, 1, &c->n, &fl, c->ov, NULL);
    c->err = WSAGetLastError();
    c->done = 1;
    return NULL;
}

static void start_recv_call(struct recv_call *c, SOCKET s, OVERLAPPED *ov)
{
    memset(c->buf, 0, sizeof(c->buf));
    c->s = s;
    c->ov = ov;
    c->done = 0;
    ok(pthread_create(&c->thread, NULL, recv_call_main, c) == 0, "pthread_create failed");
}

/* Wait up to ms for the call to return; 1 if it did (then joined). */
static int finish_recv_call(struct recv_call *c, int ms)
{
    unsigned long long t0 = tu_now_ms();
    while (!c->done && tu_now_ms() - t0 < (unsigned long long)ms)
        tu_sleep_ms(5);
    if (!c->done) {
        pthread_detach(c->thread);
        return 0;
    }
    pthread_join(c->thread, NULL);
    return 1;
}

/* A TCP pair whose receiving end (*r) was made by WSASocket with dwFlags 0 (no
 * WSA_FLAG_OVERLAPPED); *w is the accepted peer. */
static int non_overlapped_pair(SOCKET *r, SOCKET *w)
{
    struct sockaddr_in a;
    SOCKET l = tu_listener(&a);
    *w = INVALID_SOCKET;
    *r = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, 0);
    ok(*r != INVALID_SOCKET, "WSASocketW(dwFlags 0): error %d", WSAGetLastError());
    if (*r == INVALID_SOCKET || connect(*r, (struct sockaddr *)&a, sizeof(a))) {
        ok(0, "connect: error %d", WSAGetLastError());
        closesocket(l);
        return -1;
    }
    *w = accept(l, NULL, NULL);
    closesocket(l);
    ok(*w != INVALID_SOCKET, "accept: error %d", WSAGetLastError());
    return *w == INVALID_SOCKET ? -1 : 0;
}

/* lpOverlapped NULL on TCP: blocking receive waits for data; non-blocking gives WSAEWOULDBLOCK;
 * WSASend completes with its count. */
static void test_sync_tcp(void)
{
    SOCKET c, s;
    WSABUF wb;
    char buf[32];
    DWORD n, fl = 0;
    struct delayed_send d;
    unsigned long long t0, el;
    int r;

    if (tu_tcp_pair(&c, &s)) {
        ok(0, "tcp pair: error %d", WSAGetLastError());
        return;
    }
    memset(buf, 0, sizeof(buf));
    wb.buf = buf;
    wb.len = sizeof(buf);
    t0 = tu_now_ms();
    start_delayed_send(&d, c, "blocked", 7, NULL);
    n = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    r = WSARecv(s, &wb, 1, &n, &fl, NULL, NULL);
    el = tu_now_ms() - t0;
    ok(r == 0 && n == 7 && fl == 0 && !memcmp(buf, "blocked", 7),
       "blocking WSARecv: got %d count %u flags %#x '%.7s' error %d, want 0 7 0 'blocked'", r, (unsigned)n,
       (unsigned)fl, buf, WSAGetLastError());
    ok(el >= DELAY_MS - 20, "blocking WSARecv returned after %llu ms, before the data was sent", el);
    pthread_join(d.thread, NULL);

    wb.buf = (char *)"reply";
    wb.len = 5;
    n = 0xdeadbeef;
    r = WSASend(s, &wb, 1, &n, 0, NULL, NULL);
    ok(r == 0 && n == 5, "WSASend: got %d count %u error %d, want 0 5", r, (unsigned)n, WSAGetLastError());
    memset(buf, 0, sizeof(buf));
    r = tu_recv_all(c, buf, 5);
    ok(r == 5 && !memcmp(buf, "reply", 5), "peer got %d '%.5s'", r, buf);

    ok(tu_set_nonblocking(s, 1) == 0, "FIONBIO: error %d", WSAGetLastError());
    wb.buf = buf;
    wb.len = sizeof(buf);
    WSASetLastError(0xdeadbeef);
    r = WSARecv(s, &wb, 1, &n, &fl, NULL, NULL);
    ok_wsa_fail(r, SOCKET_ERROR, WSAEWOULDBLOCK);

    closesocket(c);
    closesocket(s);
}

/* SO_RCVTIMEO: a blocking WSARecv ends with WSAETIMEDOUT after the timeout, count untouched
 * (Wine's test_timeout); an overlapped WSARecv on the same socket is not timed. */
static void test_rcvtimeo_on(SOCKET c, SOCKET s, const char *what, int overlapped_too)
{
    DWORD t = DELAY_MS, n, fl = 0;
    WSABUF wb;
    char buf[8];
    unsigned long long t0, el;
    int r;

    ok(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (char *)&t, sizeof(t)) == 0, "%s: SO_RCVTIMEO: error %d", what,
       WSAGetLastError());
    wb.buf = buf;
    wb.len = sizeof(buf);
    n = 0xdeadbeef;
    t0 = tu_now_ms();
    WSASetLastError(0xdeadbeef);
    r = WSARecv(s, &wb, 1, &n, &fl, NULL, NULL);
    el = tu_now_ms() - t0;
    ok(r == SOCKET_ERROR && WSAGetLastError() == WSAETIMEDOUT && n == 0xdeadbeef,
       "%s: timed-out WSARecv: got %d error %d count %u, want SOCKET_ERROR WSAETIMEDOUT and the count untouched", what,
       r, WSAGetLastError(), (unsigned)n);
    ok(el >= DELAY_MS - 10 && el < WAIT_MS, "%s: WSARecv timed out after %llu ms, want about %d", what, el, DELAY_MS);

    if (overlapped_too) {
        HANDLE ev = WSACreateEvent();
        OVERLAPPED ov;
        init_ov(&ov, ev);
        WSASetLastError(0xdeadbeef);
        r = WSARecv(s, &wb, 1, NULL, &fl, &ov, NULL);
        ok(r == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, "%s: overlapped WSARecv: got %d error %d", what,
           r, WSAGetLastError());
        ok(WaitForSingleObject(ev, 2 * DELAY_MS) == WAIT_TIMEOUT, "%s: overlapped receive ended by SO_RCVTIMEO", what);
        send(c, "a", 1, 0);
        ok(WaitForSingleObject(ev, WAIT_MS) == WAIT_OBJECT_0, "%s: overlapped receive not completed", what);
        ok(ov_status(&ov) == T_STATUS_SUCCESS && ov.InternalHigh == 1, "%s: Internal %#x InternalHigh %u", what,
           (unsigned)ov_status(&ov), (unsigned)ov.InternalHigh);
        WSACloseEvent(ev);
    }
}

static void test_rcvtimeo(void)
{
    SOCKET c, s;

    if (tu_tcp_pair(&c, &s)) {
        ok(0, "tcp pair: error %d", WSAGetLastError());
        return;
    }
    test_rcvtimeo_on(c, s, "socket()", 1);
    closesocket(c);
    closesocket(s);

    /* Windows honours SO_RCVTIMEO on sockets without WSA_FLAG_OVERLAPPED too; Wine 8.0 does not
     * (its receive blocks forever), so this runs on our side only. */
#ifdef WS2_URING
    if (non_overlapped_pair(&s, &c))
        return;
    test_rcvtimeo_on(c, s, "WSASocket(dwFlags 0)", 0);
    closesocket(c);
    closesocket(s);
#endif
}

/* A socket without WSA_FLAG_OVERLAPPED given an lpOverlapped. */
static void test_non_overlapped_socket(void)
{
    SOCKET r, w;
    HANDLE ev = WSACreateEvent();
    OVERLAPPED ov;
    WSABUF wb;
    char buf[32];
    DWORD n, fl = 0;
    BOOL b;
    int ret;
    struct recv_call call;

    if (non_overlapped_pair(&r, &w))
        return;

    /* Data present: completes before returning, still reported through the OVERLAPPED. */
    send(w, "data", 4, 0);
    ok(tu_wait_for(r, 'r', WAIT_MS) == 1, "data not readable");
    tu_sleep_ms(50);
    memset(buf, 0, sizeof(buf));
    wb.buf = buf;
    wb.len = sizeof(buf);
    init_ov(&ov, ev);
    n = 0xdeadbeef;
    ret = WSARecv(r, &wb, 1, &n, &fl, &ov, NULL);
    ok(ret == 0 && n == 4 && !memcmp(buf, "data", 4), "WSARecv with lpOverlapped: got %d count %u '%.4s' error %d, "
       "want 0 4 'data'", ret, (unsigned)n, buf, WSAGetLastError());
    ok(ov_status(&ov) == T_STATUS_SUCCESS && ov.InternalHigh == 4, "Internal %#x InternalHigh %u, want 0 4",
       (unsigned)ov_status(&ov), (unsigned)ov.InternalHigh);
    ok(WaitForSingleObject(ev, 0) == WAIT_OBJECT_0, "event not signalled");
    n = 0xdeadbeef;
    b = GetOverlappedResult((HANDLE)r, &ov, &n, FALSE);
    ok(b && n == 4, "GetOverlappedResult: got %d bytes %u error %d, want TRUE 4", b, (unsigned)n, (int)GetLastError());

    /* WSASend with lpOverlapped completes before returning too. */
    wb.buf = (char *)"back";
    wb.len = 4;
    init_ov(&ov, ev);
    n = 0xdeadbeef;
    ret = WSASend(r, &wb, 1, &n, 0, &ov, NULL);
    ok(ret == 0 && n == 4, "WSASend with lpOverlapped: got %d count %u error %d, want 0 4", ret, (unsigned)n,
       WSAGetLastError());
    ok(ov_status(&ov) == T_STATUS_SUCCESS && ov.InternalHigh == 4, "WSASend: Internal %#x InternalHigh %u",
       (unsigned)ov_status(&ov), (unsigned)ov.InternalHigh);
    memset(buf, 0, sizeof(buf));
    ret = tu_recv_all(w, buf, 4);
    ok(ret == 4 && !memcmp(buf, "back", 4), "peer got %d '%.4s'", ret, buf);

    /* Non-blocking mode: without lpOverlapped WSAEWOULDBLOCK; with lpOverlapped the call blocks
     * until data arrives. */
    ok(tu_set_nonblocking(r, 1) == 0, "FIONBIO: error %d", WSAGetLastError());
    wb.buf = buf;
    wb.len = sizeof(buf);
    WSASetLastError(0xdeadbeef);
    ret = WSARecv(r, &wb, 1, &n, &fl, NULL, NULL);
    ok_wsa_fail(ret, SOCKET_ERROR, WSAEWOULDBLOCK);

    init_ov(&ov, ev);
    start_recv_call(&call, r, &ov);
    tu_sleep_ms(DELAY_MS);
    ok(!call.done, "WSARecv with lpOverlapped on a non-overlapped socket returned (%d, error %d) without data",
       call.r, call.err);
    send(w, "late", 4, 0);
    if (finish_recv_call(&call, WAIT_MS)) {
        ok(call.r == 0 && call.n == 4 && !memcmp(call.buf, "late", 4),
           "blocked WSARecv: got %d count %u '%.4s' error %d, want 0 4 'late'", call.r, (unsigned)call.n, call.buf,
           call.err);
        n = 0xdeadbeef;
        b = GetOverlappedResult((HANDLE)r, &ov, &n, FALSE);
        ok(b && n == 4, "GetOverlappedResult: got %d bytes %u error %d, want TRUE 4", b, (unsigned)n,
           (int)GetLastError());
    } else {
        ok(0, "WSARecv with lpOverlapped did not return within %d ms of the data", WAIT_MS);
    }

    closesocket(r);
    closesocket(w);
    WSACloseEvent(ev);
}

/* WSASendTo/WSARecvFrom with lpOverlapped NULL. */
static void test_sync_udp(void)
{
    struct sockaddr_in a1, a2, from;
    int fromlen;
    SOCKET u1 = tu_udp_socket(&a1), u2 = tu_udp_socket(&a2);
    WSABUF wb;
    char buf[32];
    DWORD n, fl = 0;
    struct delayed_send d;
    unsigned long long t0, el;
    int r;

    wb.buf = (char *)"sync-dgram";
    wb.len = 10;
    n = 0xdeadbeef;
    r = WSASendTo(u1, &wb, 1, &n, 0, (struct sockaddr *)&a2, sizeof(a2), NULL, NULL);
    ok(r == 0 && n == 10, "WSASendTo: got %d count %u error %d, want 0 10", r, (unsigned)n, WSAGetLastError());

    memset(buf, 0, sizeof(buf));
    memset(&from, 0xcc, sizeof(from));
    fromlen = sizeof(from);
    wb.buf = buf;
    wb.len = sizeof(buf);
    n = 0xdeadbeef;
    r = WSARecvFrom(u2, &wb, 1, &n, &fl, (struct sockaddr *)&from, &fromlen, NULL, NULL);
    ok(r == 0 && n == 10 && fl == 0 && !memcmp(buf, "sync-dgram", 10),
       "WSARecvFrom: got %d count %u flags %#x '%.10s' error %d", r, (unsigned)n, (unsigned)fl, buf, WSAGetLastError());
    ok(fromlen == (int)sizeof(from) && from.sin_family == AF_INET && from.sin_port == a1.sin_port &&
       from.sin_addr.s_addr == htonl(INADDR_LOOPBACK),
       "WSARecvFrom: from length %d family %d port %u, want %d AF_INET %u", fromlen, from.sin_family,
       ntohs(from.sin_port), (int)sizeof(from), ntohs(a1.sin_port));

    /* Blocking: waits for the datagram. */
    t0 = tu_now_ms();
    start_delayed_send(&d, u1, "waited", 6, &a2);
    fromlen = sizeof(from);
    n = 0xdeadbeef;
    r = WSARecvFrom(u2, &wb, 1, &n, &fl, (struct sockaddr *)&from, &fromlen, NULL, NULL);
    el = tu_now_ms() - t0;
    ok(r == 0 && n == 6 && !memcmp(buf, "waited", 6), "blocking WSARecvFrom: got %d count %u error %d", r,
       (unsigned)n, WSAGetLastError());
    ok(el >= DELAY_MS - 20, "blocking WSARecvFrom returned after %llu ms, before the datagram was sent", el);
    pthread_join(d.thread, NULL);

    /* Non-blocking: WSAEWOULDBLOCK. */
    ok(tu_set_nonblocking(u2, 1) == 0, "FIONBIO: error %d", WSAGetLastError());
    fromlen = sizeof(from);
    WSASetLastError(0xdeadbeef);
    r = WSARecvFrom(u2, &wb, 1, &n, &fl, (struct sockaddr *)&from, &fromlen, NULL, NULL);
    ok_wsa_fail(r, SOCKET_ERROR, WSAEWOULDBLOCK);

    closesocket(u1);
    closesocket(u2);
}

int main(void)
{
    tu_startup();
    test_sync_tcp();
    test_rcvtimeo();
    test_non_overlapped_socket();
    test_sync_udp();
    tu_check_tcp_pair();
    WSACleanup();
    return test_done();
}
