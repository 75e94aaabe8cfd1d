/* Overlapped WSARecv on TCP with an event object: data already present completes at once (returns
 * 0, count and flags written, Internal/InternalHigh set, event signalled); otherwise the call
 * returns SOCKET_ERROR/WSA_IO_PENDING with Internal == STATUS_PENDING, leaves the count alone,
 * resets the event, and completes when data arrives. Pending receives fill in the order posted; a
 * stream receive completes when the data is exhausted; scatter fills the WSABUFs in order without
 * holes; dwBufferCount 0 is WSAEINVAL; a zero-length receive completes with 0 bytes and consumes
 * nothing; graceful close completes a pending receive with 0 bytes, a reset with WSAECONNRESET
 * (GetOverlappedResult: ERROR_NETNAME_DELETED); MSG_PEEK and MSG_OOB; a non-blocking socket goes
 * pending rather than WSAEWOULDBLOCK. */
#include "testutil.h"

#define WAIT_MS 3000

static int pair(SOCKET *c, SOCKET *s)
{
    if (tu_tcp_pair(c, s)) {
        ok(0, "tcp pair: error %d", WSAGetLastError());
        return -1;
    }
    return 0;
}

static void send_str(SOCKET s, const char *data, int len)
{
    int n = send(s, data, len, 0);
    ok(n == len, "send %d bytes: got %d error %d", len, n, WSAGetLastError());
}

/* Post a receive that must go pending: checks the return, the error, that the count was left
 * alone, Internal == STATUS_PENDING and that the event is not signalled. */
#define post_pending(s, bufs, count, flags, ov) post_pending_at(__LINE__, s, bufs, count, flags, ov)
static void post_pending_at(int line, SOCKET s, WSABUF *bufs, DWORD count, DWORD *flags, OVERLAPPED *ov)
{
    DWORD n = 0xdeadbeef;
    int r;
    WSASetLastError(0xdeadbeef);
    r = WSARecv(s, bufs, count, &n, flags, ov, NULL);
    tu_ok(r == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, __FILE__, line,
          "WSARecv: got %d error %d, want SOCKET_ERROR WSA_IO_PENDING", r, WSAGetLastError());
    tu_ok(n == 0xdeadbeef, __FILE__, line, "WSARecv pending: count written (%u)", (unsigned)n);
    tu_ok(ov_status(ov) == T_STATUS_PENDING, __FILE__, line, "pending: Internal %#x, want STATUS_PENDING",
          (unsigned)ov_status(ov));
    tu_ok(!HasOverlappedIoCompleted(ov), __FILE__, line, "pending: HasOverlappedIoCompleted is true");
    if (ov->hEvent)
        tu_ok(WaitForSingleObject(ov->hEvent, 0) == WAIT_TIMEOUT, __FILE__, line,
              "pending: event is signalled");
}

/* Wait for the operation's event, then check WSAGetOverlappedResult gives TRUE with `want` bytes
 * and flags 0, and Internal/InternalHigh hold STATUS_SUCCESS and the count. */
#define expect_done(s, ov, want) expect_done_at(__LINE__, s, ov, want)
static void expect_done_at(int line, SOCKET s, OVERLAPPED *ov, DWORD want)
{
    DWORD n = 0xdeadbeef, fl = 0xdeadbeef, w;
    BOOL b;
    w = WaitForSingleObject(ov->hEvent, WAIT_MS);
    tu_ok(w == WAIT_OBJECT_0, __FILE__, line, "event not signalled within %d ms (wait %u)", WAIT_MS, (unsigned)w);
    tu_ok(ov_status(ov) == T_STATUS_SUCCESS && ov->InternalHigh == want, __FILE__, line,
          "Internal %#x InternalHigh %u, want 0 and %u", (unsigned)ov_status(ov), (unsigned)ov->InternalHigh,
          (unsigned)want);
    tu_ok(HasOverlappedIoCompleted(ov), __FILE__, line, "HasOverlappedIoCompleted is false after completion");
    WSASetLastError(0xdeadbeef);
    b = WSAGetOverlappedResult(s, ov, &n, FALSE, &fl);
    tu_ok(b && n == want && fl == 0, __FILE__, line,
          "WSAGetOverlappedResult: got %d bytes %u flags %#x error %d, want TRUE %u 0", b, (unsigned)n,
          (unsigned)fl, WSAGetLastError(), (unsigned)want);
}

/* Data already present: the call completes at once and still signals the event. */
static void test_immediate(void)
{
    SOCKET c, s;
    HANDLE ev = WSACreateEvent();
    OVERLAPPED ov;
    WSABUF wb;
    char buf[32];
    DWORD n = 0xdeadbeef, fl = 0;
    int r;

    if (pair(&c, &s))
        return;
    send_str(c, "hello", 5);
    ok(tu_wait_for(s, 'r', WAIT_MS) == 1, "data not readable");
    init_ov(&ov, ev);
    memset(buf, 0, sizeof(buf));
    wb.buf = buf;
    wb.len = sizeof(buf);
    WSASetLastError(0xdeadbeef);
    r = WSARecv(s, &wb, 1, &n, &fl, &ov, NULL);
    ok(r == 0, "immediate WSARecv: got %d error %d, want 0", r, WSAGetLastError());
    ok(n == 5 && fl == 0, "immediate WSARecv: count %u flags %#x, want 5 0", (unsigned)n, (unsigned)fl);
    ok(!memcmp(buf, "hello", 5), "immediate WSARecv: wrong data '%.5s'", buf);
    ok(ov_status(&ov) == T_STATUS_SUCCESS && ov.InternalHigh == 5, "immediate: Internal %#x InternalHigh %u",
       (unsigned)ov_status(&ov), (unsigned)ov.InternalHigh);
    ok(WaitForSingleObject(ev, 0) == WAIT_OBJECT_0, "immediate completion did not signal the event");
    expect_done(s, &ov, 5);

    closesocket(c);
    closesocket(s);
    WSACloseEvent(ev);
}

/* No data: pending (event reset at the start even if it was set), then data completes it. */
static void test_pending(void)
{
    SOCKET c, s;
    HANDLE ev = WSACreateEvent();
    OVERLAPPED ov;
    WSABUF wb;
    char buf[32];
    DWORD n, fl = 0;
    BOOL b;

    if (pair(&c, &s))
        return;
    /* WSAGetOverlappedResult's documentation: the function that starts the operation resets hEvent
     * to the nonsignaled state. */
    ok(WSASetEvent(ev), "WSASetEvent failed");
    init_ov(&ov, ev);
    memset(buf, 0, sizeof(buf));
    wb.buf = buf;
    wb.len = sizeof(buf);
    post_pending(s, &wb, 1, &fl, &ov);
    ok(ov.InternalHigh == 0xdeadbeef, "pending: InternalHigh %#x changed", (unsigned)ov.InternalHigh);

    n = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    b = WSAGetOverlappedResult(s, &ov, &n, FALSE, &fl);
    ok(!b && WSAGetLastError() == WSA_IO_INCOMPLETE, "WSAGetOverlappedResult pending: got %d error %d", b,
       WSAGetLastError());

    tu_sleep_ms(100);
    ok(WaitForSingleObject(ev, 0) == WAIT_TIMEOUT, "receive completed without data");
    send_str(c, "abcdefg", 7);
    expect_done(s, &ov, 7);
    ok(!memcmp(buf, "abcdefg", 7), "wrong data '%.7s'", buf);
    ok(fl == 0, "lpFlags changed at completion: %#x", (unsigned)fl);

    closesocket(c);
    closesocket(s);
    WSACloseEvent(ev);
}

/* Two pending 16-byte receives then one 32-byte send: bytes 0-15 go to the first. */
static void test_fifo(void)
{
    static const char msg[33] = "0123456789ABCDEFghijklmnopqrstuv";
    SOCKET c, s;
    HANDLE ev[2];
    OVERLAPPED ov[2];
    WSABUF wb[2];
    char buf[2][16];
    DWORD fl[2] = {0, 0};
    int i;

    if (pair(&c, &s))
        return;
    for (i = 0; i < 2; i++) {
        ev[i] = WSACreateEvent();
        init_ov(&ov[i], ev[i]);
        memset(buf[i], 0, 16);
        wb[i].buf = buf[i];
        wb[i].len = 16;
        post_pending(s, &wb[i], 1, &fl[i], &ov[i]);
    }
    send_str(c, msg, 32);
    for (i = 0; i < 2; i++) {
        expect_done(s, &ov[i], 16);
        ok(!memcmp(buf[i], msg + 16 * i, 16), "receive %d got '%.16s', want '%.16s'", i, buf[i], msg + 16 * i);
        WSACloseEvent(ev[i]);
    }
    closesocket(c);
    closesocket(s);
}

/* A stream receive completes when the data is exhausted, not when the buffer is full. */
static void test_exhausted(void)
{
    SOCKET c, s;
    HANDLE ev = WSACreateEvent();
    OVERLAPPED ov;
    WSABUF wb;
    char buf[100];
    DWORD fl = 0;

    if (pair(&c, &s))
        return;
    init_ov(&ov, ev);
    memset(buf, 0, sizeof(buf));
    wb.buf = buf;
    wb.len = sizeof(buf);
    post_pending(s, &wb, 1, &fl, &ov);
    send_str(c, "0123456789", 10);
    expect_done(s, &ov, 10);
    ok(!memcmp(buf, "0123456789", 10) && buf[10] == 0, "wrong data '%.11s'", buf);
    closesocket(c);
    closesocket(s);
    WSACloseEvent(ev);
}

/* Scatter: the WSABUFs fill in array order and are packed without holes. */
static void test_scatter(void)
{
    SOCKET c, s;
    HANDLE ev = WSACreateEvent();
    OVERLAPPED ov;
    WSABUF wb[3];
    char b0[8], b1[8], b2[8];
    DWORD n, fl = 0;
    int r;

    if (pair(&c, &s))
        return;

    /* pending, the data fills all three */
    memset(b0, '.', 8);
    memset(b1, '.', 8);
    memset(b2, '.', 8);
    wb[0].buf = b0;
    wb[0].len = 3;
    wb[1].buf = b1;
    wb[1].len = 4;
    wb[2].buf = b2;
    wb[2].len = 5;
    init_ov(&ov, ev);
    post_pending(s, wb, 3, &fl, &ov);
    send_str(c, "abcdefghijkl", 12);
    expect_done(s, &ov, 12);
    ok(!memcmp(b0, "abc.", 4) && !memcmp(b1, "defg.", 5) && !memcmp(b2, "hijkl.", 6),
       "pending scatter: got '%.4s' '%.5s' '%.6s'", b0, b1, b2);

    /* immediate, the data fills the first buffer and part of the second */
    memset(b0, '.', 8);
    memset(b1, '.', 8);
    memset(b2, '.', 8);
    wb[0].len = 4;
    wb[1].len = 4;
    wb[2].len = 4;
    send_str(c, "uvwxyz", 6);
    ok(tu_wait_for(s, 'r', WAIT_MS) == 1, "data not readable");
    tu_sleep_ms(50);
    init_ov(&ov, ev);
    n = 0xdeadbeef;
    r = WSARecv(s, wb, 3, &n, &fl, &ov, NULL);
    ok(r == 0 && n == 6, "immediate scatter: got %d count %u error %d, want 0 6", r, (unsigned)n,
       WSAGetLastError());
    ok(!memcmp(b0, "uvwx.", 5) && !memcmp(b1, "yz..", 4) && !memcmp(b2, "....", 4),
       "immediate scatter: got '%.5s' '%.4s' '%.4s'", b0, b1, b2);
    expect_done(s, &ov, 6);

    closesocket(c);
    closesocket(s);
    WSACloseEvent(ev);
}

/* dwBufferCount 0 is WSAEINVAL, with no completion. Windows behaviour per Wine's test_empty_recv in
 * dlls/ws2_32/tests/sock.c (validated on Windows); the Wine 8.0 we run differs (it posts the
 * receive, WSA_IO_PENDING), so this runs on our side only. */
static void test_zero_count(void)
{
#ifdef WS2_URING
    SOCKET c, s;
    HANDLE ev = WSACreateEvent();
    OVERLAPPED ov;
    WSABUF wb;
    char buf[4];
    DWORD fl = 0;
    int r;

    if (pair(&c, &s))
        return;
    wb.buf = buf;
    wb.len = sizeof(buf);
    init_ov(&ov, ev);
    WSASetLastError(0xdeadbeef);
    r = WSARecv(s, NULL, 0, NULL, &fl, &ov, NULL);
    ok_wsa_fail(r, SOCKET_ERROR, WSAEINVAL);
    init_ov(&ov, ev);
    WSASetLastError(0xdeadbeef);
    r = WSARecv(s, &wb, 0, NULL, &fl, &ov, NULL);
    ok_wsa_fail(r, SOCKET_ERROR, WSAEINVAL);
    send_str(c, "x", 1);
    ok(WaitForSingleObject(ev, 200) == WAIT_TIMEOUT, "a failed WSARecv signalled its event");
    r = recv(s, buf, sizeof(buf), 0);
    ok(r == 1 && buf[0] == 'x', "the failed WSARecv consumed data: recv got %d", r);
    closesocket(c);
    closesocket(s);
    WSACloseEvent(ev);
#endif
}

/* A zero-length receive waits for data, completes with 0 bytes and consumes nothing; with data
 * already there it completes at once (Wine's test_empty_recv). */
static void test_zero_length(void)
{
    SOCKET c, s;
    HANDLE ev = WSACreateEvent();
    OVERLAPPED ov;
    WSABUF wb;
    char buf[8];
    DWORD n, fl = 0;
    int r;

    if (pair(&c, &s))
        return;
    wb.buf = buf;
    wb.len = 0;
    init_ov(&ov, ev);
    post_pending(s, &wb, 1, &fl, &ov);
    tu_sleep_ms(100);
    ok(WaitForSingleObject(ev, 0) == WAIT_TIMEOUT, "zero-length receive completed without data");
    send_str(c, "data", 5);
    expect_done(s, &ov, 0);

    init_ov(&ov, ev);
    n = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    r = WSARecv(s, &wb, 1, &n, &fl, &ov, NULL);
    ok(r == 0 && n == 0, "zero-length receive with data present: got %d count %u error %d, want 0 0", r,
       (unsigned)n, WSAGetLastError());
    expect_done(s, &ov, 0);

    memset(buf, 0, sizeof(buf));
    r = recv(s, buf, sizeof(buf), 0);
    ok(r == 5 && !strcmp(buf, "data"), "recv after zero-length receives: got %d '%s', want 5 'data'", r, buf);
    closesocket(c);
    closesocket(s);
    WSACloseEvent(ev);
}

/* Graceful close by the peer completes a pending receive with 0 bytes. */
static void test_graceful_close(void)
{
    SOCKET c, s;
    HANDLE ev = WSACreateEvent();
    OVERLAPPED ov;
    WSABUF wb;
    char buf[16];
    DWORD fl = 0;

    if (pair(&c, &s))
        return;
    wb.buf = buf;
    wb.len = sizeof(buf);
    init_ov(&ov, ev);
    post_pending(s, &wb, 1, &fl, &ov);
    closesocket(c);
    expect_done(s, &ov, 0);
    closesocket(s);
    WSACloseEvent(ev);
}

/* A reset completes every pending receive with STATUS_CONNECTION_RESET: WSAGetOverlappedResult
 * gives WSAECONNRESET, GetOverlappedResult ERROR_NETNAME_DELETED (Wine's test_WSARecv), 0 bytes. */
static void test_reset(void)
{
    SOCKET c, s;
    HANDLE ev[2];
    OVERLAPPED ov[2];
    WSABUF wb[2];
    char buf[2][16];
    DWORD n, fl = 0;
    BOOL b;
    int i;

    if (pair(&c, &s))
        return;
    for (i = 0; i < 2; i++) {
        ev[i] = WSACreateEvent();
        init_ov(&ov[i], ev[i]);
        wb[i].buf = buf[i];
        wb[i].len = 16;
        post_pending(s, &wb[i], 1, &fl, &ov[i]);
    }
    tu_reset_close(c);
    for (i = 0; i < 2; i++) {
        ok(WaitForSingleObject(ev[i], WAIT_MS) == WAIT_OBJECT_0, "receive %d: not completed by the reset", i);
        ok(ov_status(&ov[i]) == T_STATUS_CONNECTION_RESET && ov[i].InternalHigh == 0,
           "receive %d: Internal %#x InternalHigh %u, want STATUS_CONNECTION_RESET 0", i,
           (unsigned)ov_status(&ov[i]), (unsigned)ov[i].InternalHigh);
        ok(HasOverlappedIoCompleted(&ov[i]), "receive %d: HasOverlappedIoCompleted false", i);
        n = 0xdeadbeef;
        WSASetLastError(0xdeadbeef);
        b = WSAGetOverlappedResult(s, &ov[i], &n, FALSE, &fl);
        ok(!b && WSAGetLastError() == WSAECONNRESET, "receive %d: WSAGetOverlappedResult got %d error %d, want "
           "FALSE WSAECONNRESET", i, b, WSAGetLastError());
        n = 0xdeadbeef;
        SetLastError(0xdeadbeef);
        b = GetOverlappedResult((HANDLE)s, &ov[i], &n, FALSE);
        ok(!b && GetLastError() == ERROR_NETNAME_DELETED && n == 0,
           "receive %d: GetOverlappedResult got %d error %d bytes %u, want FALSE ERROR_NETNAME_DELETED 0", i, b,
           (int)GetLastError(), (unsigned)n);
        WSACloseEvent(ev[i]);
    }
    closesocket(s);
}

/* MSG_PEEK in lpFlags: the data is copied and stays queued. */
static void test_peek(void)
{
    SOCKET c, s;
    HANDLE ev = WSACreateEvent();
    OVERLAPPED ov;
    WSABUF wb;
    char buf[16];
    DWORD n = 0xdeadbeef, fl = MSG_PEEK;
    int r;

    if (pair(&c, &s))
        return;
    send_str(c, "peekdata", 8);
    ok(tu_wait_for(s, 'r', WAIT_MS) == 1, "data not readable");
    tu_sleep_ms(50);
    memset(buf, 0, sizeof(buf));
    wb.buf = buf;
    wb.len = sizeof(buf);
    init_ov(&ov, ev);
    r = WSARecv(s, &wb, 1, &n, &fl, &ov, NULL);
    ok(r == 0 && n == 8 && !memcmp(buf, "peekdata", 8), "MSG_PEEK WSARecv: got %d count %u '%.8s' error %d", r,
       (unsigned)n, buf, WSAGetLastError());
    ok(ov_status(&ov) == T_STATUS_SUCCESS && ov.InternalHigh == 8, "MSG_PEEK: Internal %#x InternalHigh %u",
       (unsigned)ov_status(&ov), (unsigned)ov.InternalHigh);
    ok(WaitForSingleObject(ev, 0) == WAIT_OBJECT_0, "MSG_PEEK: event not signalled");
    memset(buf, 0, sizeof(buf));
    r = recv(s, buf, sizeof(buf), 0);
    ok(r == 8 && !memcmp(buf, "peekdata", 8), "recv after MSG_PEEK: got %d '%.8s', want 8 'peekdata'", r, buf);
    closesocket(c);
    closesocket(s);
    WSACloseEvent(ev);
}

/* MSG_OOB in lpFlags with an urgent byte queued (SO_OOBINLINE off): it reads the urgent byte only;
 * the normal data stays in the stream. */
static void test_oob(void)
{
    SOCKET c, s;
    HANDLE ev = WSACreateEvent();
    OVERLAPPED ov;
    WSABUF wb;
    char buf[16];
    DWORD n = 0xdeadbeef, fl = MSG_OOB;
    int r;

    if (pair(&c, &s))
        return;
    send_str(c, "ab", 2);
    r = send(c, "X", 1, MSG_OOB);
    ok(r == 1, "send MSG_OOB: got %d error %d", r, WSAGetLastError());
    ok(tu_wait_for(s, 'e', WAIT_MS) == 1, "urgent data not reported in exceptfds");
    memset(buf, 0, sizeof(buf));
    wb.buf = buf;
    wb.len = sizeof(buf);
    init_ov(&ov, ev);
    r = WSARecv(s, &wb, 1, &n, &fl, &ov, NULL);
    ok(r == 0 && n == 1 && buf[0] == 'X', "MSG_OOB WSARecv: got %d count %u '%c' error %d, want 0 1 'X'", r,
       (unsigned)n, buf[0], WSAGetLastError());
    ok(ov_status(&ov) == T_STATUS_SUCCESS && ov.InternalHigh == 1, "MSG_OOB: Internal %#x InternalHigh %u",
       (unsigned)ov_status(&ov), (unsigned)ov.InternalHigh);
    ok(WaitForSingleObject(ev, 0) == WAIT_OBJECT_0, "MSG_OOB: event not signalled");
    memset(buf, 0, sizeof(buf));
    r = recv(s, buf, sizeof(buf), 0);
    ok(r == 2 && !memcmp(buf, "ab", 2), "normal data after MSG_OOB: got %d '%.2s', want 2 'ab'", r, buf);
    closesocket(c);
    closesocket(s);
    WSACloseEvent(ev);
}

/* A non-blocking socket: an overlapped receive goes pending, never WSAEWOULDBLOCK (Wine's
 * test_nonblocking_async_recv); the plain receive does give WSAEWOULDBLOCK. */
static void test_nonblocking(void)
{
    SOCKET c, s;
    HANDLE ev = WSACreateEvent();
    OVERLAPPED ov;
    WSABUF wb;
    char buf[8];
    DWORD n = 0xdeadbeef, fl = 0;
    int r;

    if (pair(&c, &s))
        return;
    ok(tu_set_nonblocking(s, 1) == 0, "FIONBIO: error %d", WSAGetLastError());
    memset(buf, 0, sizeof(buf));
    wb.buf = buf;
    wb.len = sizeof(buf);
    WSASetLastError(0xdeadbeef);
    r = WSARecv(s, &wb, 1, &n, &fl, NULL, NULL);
    ok_wsa_fail(r, SOCKET_ERROR, WSAEWOULDBLOCK);
    init_ov(&ov, ev);
    post_pending(s, &wb, 1, &fl, &ov);
    send_str(c, "data", 4);
    expect_done(s, &ov, 4);
    ok(!memcmp(buf, "data", 4), "wrong data '%.4s'", buf);
    closesocket(c);
    closesocket(s);
    WSACloseEvent(ev);
}

int main(void)
{
    tu_startup();
    test_immediate();
    test_pending();
    test_fifo();
    test_exhausted();
    test_scatter();
    test_zero_count();
    test_zero_length();
    test_graceful_close();
    test_reset();
    test_peek();
    test_oob();
    test_nonblocking();
    tu_check_tcp_pair();
    WSACleanup();
    return test_done();
}
