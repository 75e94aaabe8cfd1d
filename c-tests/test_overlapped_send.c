/* Overlapped WSASend on TCP with event objects: a send with room in the buffers completes at once
 * (returns 0, count written, Internal/InternalHigh set, event signalled); 64 overlapped sends of
 * 64 KiB each with distinct contents, posted while the receiver reads nothing, leave in the order
 * posted, arrive byte-exact, and each completes with 65536 bytes; gather over several WSABUFs
 * (zero-length ones included) sends the buffers in array order; after shutdown(SD_SEND) the call
 * fails at once with WSAESHUTDOWN and no completion. */
#include "testutil.h"

#define WAIT_MS 5000
#define NSENDS 64
#define CHUNK 65536

/* Byte j of send i: differs between sends and along each send. */
static unsigned char pattern(int i, int j)
{
    return (unsigned char)(i * 37 + j * 7 + (j >> 8) * 3 + (j >> 16));
}

static void test_immediate(void)
{
    SOCKET c, s;
    HANDLE ev = WSACreateEvent();
    OVERLAPPED ov;
    WSABUF wb;
    char buf[16];
    DWORD n = 0xdeadbeef, fl = 0xdeadbeef;
    BOOL b;
    int r;

    if (tu_tcp_pair(&c, &s)) {
        ok(0, "tcp pair: error %d", WSAGetLastError());
        return;
    }
    init_ov(&ov, ev);
    wb.buf = (char *)"hello";
    wb.len = 5;
    WSASetLastError(0xdeadbeef);
    r = WSASend(c, &wb, 1, &n, 0, &ov, NULL);
    ok(r == 0 && n == 5, "immediate WSASend: got %d count %u error %d, want 0 5", r, (unsigned)n,
       WSAGetLastError());
    ok(ov_status(&ov) == T_STATUS_SUCCESS && ov.InternalHigh == 5, "immediate send: Internal %#x InternalHigh %u",
       (unsigned)ov_status(&ov), (unsigned)ov.InternalHigh);
    ok(HasOverlappedIoCompleted(&ov), "immediate send: HasOverlappedIoCompleted false");
    ok(WaitForSingleObject(ev, 0) == WAIT_OBJECT_0, "immediate send did not signal the event");
    n = 0xdeadbeef;
    b = WSAGetOverlappedResult(c, &ov, &n, FALSE, &fl);
    ok(b && n == 5 && fl == 0, "WSAGetOverlappedResult: got %d bytes %u flags %#x error %d, want TRUE 5 0", b,
       (unsigned)n, (unsigned)fl, WSAGetLastError());
    memset(buf, 0, sizeof(buf));
    r = tu_recv_all(s, buf, 5);
    ok(r == 5 && !memcmp(buf, "hello", 5), "receiver got %d '%.5s'", r, buf);
    closesocket(c);
    closesocket(s);
    WSACloseEvent(ev);
}

/* A connected pair whose sender has a 64 KiB send buffer and whose receiver has a 64 KiB receive
 * buffer (set before the connection, so a 4 MiB burst cannot all be buffered). */
static int small_buffer_pair(SOCKET *c, SOCKET *s)
{
    struct sockaddr_in a;
    int v = CHUNK;
    SOCKET l = tu_listener(&a);
    *c = *s = INVALID_SOCKET;
    ok(setsockopt(l, SOL_SOCKET, SO_RCVBUF, (char *)&v, sizeof(v)) == 0, "SO_RCVBUF: error %d", WSAGetLastError());
    *c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(setsockopt(*c, SOL_SOCKET, SO_SNDBUF, (char *)&v, sizeof(v)) == 0, "SO_SNDBUF: error %d", WSAGetLastError());
    if (connect(*c, (struct sockaddr *)&a, sizeof(a))) {
        ok(0, "connect: error %d", WSAGetLastError());
        closesocket(l);
        return -1;
    }
    *s = accept(l, NULL, NULL);
    closesocket(l);
    ok(*s != INVALID_SOCKET, "accept: error %d", WSAGetLastError());
    return *s == INVALID_SOCKET ? -1 : 0;
}

static void test_many_large(void)
{
    SOCKET c, s;
    static unsigned char out[NSENDS][CHUNK];
    static unsigned char in[NSENDS * CHUNK];
    static OVERLAPPED ov[NSENDS];
    HANDLE ev[NSENDS];
    WSABUF wb;
    DWORD n, fl, w;
    int i, j, r, pending = 0, got = 0, bad = -1, failed_posts = 0;
    unsigned long long t0;

    if (small_buffer_pair(&c, &s))
        return;
    for (i = 0; i < NSENDS; i++) {
        for (j = 0; j < CHUNK; j++)
            out[i][j] = pattern(i, j);
        ev[i] = WSACreateEvent();
        init_ov(&ov[i], ev[i]);
    }

    /* Post all 64 before the receiver reads anything. */
    for (i = 0; i < NSENDS; i++) {
        wb.buf = (char *)out[i];
        wb.len = CHUNK;
        n = 0xdeadbeef;
        WSASetLastError(0xdeadbeef);
        r = WSASend(c, &wb, 1, &n, 0, &ov[i], NULL);
        if (r == 0) {
            if (n != CHUNK)
                ok(0, "send %d completed at once with %u bytes, want %d", i, (unsigned)n, CHUNK);
        } else if (WSAGetLastError() == WSA_IO_PENDING) {
            pending++;
            if (n != 0xdeadbeef)
                ok(0, "send %d pending: count written (%u)", i, (unsigned)n);
        } else {
            failed_posts++;
            ok(0, "send %d: got %d error %d", i, r, WSAGetLastError());
        }
    }
    ok(failed_posts == 0, "%d sends failed to post", failed_posts);
    printf("%d of %d sends went pending\n", pending, NSENDS);
    /* 4 MiB cannot fit in 64 KiB buffers on each side: some sends must be waiting. */
    ok(pending > 0, "no send went pending (all %d completed at once)", NSENDS);

    /* Now read everything. */
    t0 = tu_now_ms();
    while (got < NSENDS * CHUNK && tu_now_ms() - t0 < WAIT_MS) {
        if (tu_wait_for(s, 'r', 1000) != 1)
            continue;
        r = recv(s, (char *)in + got, NSENDS * CHUNK - got, 0);
        if (r <= 0) {
            ok(0, "recv: got %d error %d after %d bytes", r, WSAGetLastError(), got);
            break;
        }
        got += r;
    }
    ok(got == NSENDS * CHUNK, "received %d bytes, want %d", got, NSENDS * CHUNK);
    for (i = 0; i < NSENDS && bad < 0; i++)
        for (j = 0; j < CHUNK; j++)
            if (in[i * CHUNK + j] != pattern(i, j)) {
                bad = i * CHUNK + j;
                break;
            }
    ok(bad < 0, "stream differs at byte %d (send %d offset %d): got %#x want %#x", bad, bad / CHUNK, bad % CHUNK,
       bad < 0 ? 0 : in[bad], bad < 0 ? 0 : pattern(bad / CHUNK, bad % CHUNK));

    w = WSAWaitForMultipleEvents(NSENDS, ev, TRUE, WAIT_MS, FALSE);
    ok(w == WSA_WAIT_EVENT_0, "not all sends completed: WSAWaitForMultipleEvents gave %u", (unsigned)w);
    for (i = 0; i < NSENDS; i++) {
        BOOL b;
        n = 0xdeadbeef;
        fl = 0xdeadbeef;
        b = WSAGetOverlappedResult(c, &ov[i], &n, FALSE, &fl);
        if (!b || n != CHUNK || ov_status(&ov[i]) != T_STATUS_SUCCESS || ov[i].InternalHigh != CHUNK)
            ok(0, "send %d: WSAGetOverlappedResult %d bytes %u error %d, Internal %#x InternalHigh %u", i, b,
               (unsigned)n, WSAGetLastError(), (unsigned)ov_status(&ov[i]), (unsigned)ov[i].InternalHigh);
        WSACloseEvent(ev[i]);
    }
    closesocket(c);
    closesocket(s);
}

/* Gather: the buffers go out in array order; a zero-length buffer contributes nothing. */
static void test_gather(void)
{
    SOCKET c, s;
    HANDLE ev = WSACreateEvent();
    OVERLAPPED ov;
    WSABUF wb[4];
    char buf[16];
    DWORD n = 0xdeadbeef;
    int r;

    if (tu_tcp_pair(&c, &s)) {
        ok(0, "tcp pair: error %d", WSAGetLastError());
        return;
    }
    wb[0].buf = (char *)"ab";
    wb[0].len = 2;
    wb[1].buf = (char *)"zz";
    wb[1].len = 0;
    wb[2].buf = (char *)"cde";
    wb[2].len = 3;
    wb[3].buf = (char *)"fghi";
    wb[3].len = 4;
    init_ov(&ov, ev);
    r = WSASend(c, wb, 4, &n, 0, &ov, NULL);
    ok(r == 0 && n == 9, "gather WSASend: got %d count %u error %d, want 0 9", r, (unsigned)n, WSAGetLastError());
    ok(WaitForSingleObject(ev, WAIT_MS) == WAIT_OBJECT_0, "gather send: event not signalled");
    ok(ov_status(&ov) == T_STATUS_SUCCESS && ov.InternalHigh == 9, "gather send: Internal %#x InternalHigh %u",
       (unsigned)ov_status(&ov), (unsigned)ov.InternalHigh);
    memset(buf, 0, sizeof(buf));
    r = tu_recv_all(s, buf, 9);
    ok(r == 9 && !memcmp(buf, "abcdefghi", 9), "receiver got %d '%.9s', want 9 'abcdefghi'", r, buf);
    closesocket(c);
    closesocket(s);
    WSACloseEvent(ev);
}

/* After shutdown(SD_SEND): WSAESHUTDOWN at once, and the event is never signalled. */
static void test_after_shutdown(void)
{
    SOCKET c, s;
    HANDLE ev = WSACreateEvent();
    OVERLAPPED ov;
    WSABUF wb;
    DWORD n = 0xdeadbeef;
    int r;

    if (tu_tcp_pair(&c, &s)) {
        ok(0, "tcp pair: error %d", WSAGetLastError());
        return;
    }
    ok(shutdown(c, SD_SEND) == 0, "shutdown: error %d", WSAGetLastError());
    wb.buf = (char *)"late";
    wb.len = 4;
    init_ov(&ov, ev);
    WSASetLastError(0xdeadbeef);
    r = WSASend(c, &wb, 1, &n, 0, &ov, NULL);
    ok_wsa_fail(r, SOCKET_ERROR, WSAESHUTDOWN);
    ok(WaitForSingleObject(ev, 200) == WAIT_TIMEOUT, "failed WSASend signalled its event");
    WSASetLastError(0xdeadbeef);
    r = WSASend(c, &wb, 1, &n, 0, NULL, NULL);
    ok_wsa_fail(r, SOCKET_ERROR, WSAESHUTDOWN);
    /* The peer sees only the end of the stream. */
    {
        char buf[8];
        ok(tu_wait_for(s, 'r', WAIT_MS) == 1, "peer: end of stream not readable");
        r = recv(s, buf, sizeof(buf), 0);
        ok(r == 0, "peer recv: got %d error %d, want 0", r, WSAGetLastError());
    }
    closesocket(c);
    closesocket(s);
    WSACloseEvent(ev);
}

int main(void)
{
    tu_startup();
    test_immediate();
    test_many_large();
    test_gather();
    test_after_shutdown();
    tu_check_tcp_pair();
    WSACleanup();
    return test_done();
}
