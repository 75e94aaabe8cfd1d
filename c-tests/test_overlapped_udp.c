/* Overlapped datagram I/O (UDP over 127.0.0.1) with event objects: a pending WSARecvFrom writes
 * lpFrom/lpFromlen at completion with the sender's address; an overlapped WSASendTo completes with
 * its count; a datagram larger than the buffers completes with STATUS_BUFFER_OVERFLOW in Internal,
 * the buffers holding its first part, WSAGetOverlappedResult FALSE/WSAEMSGSIZE with the count of
 * bytes stored and no MSG_PARTIAL (UDP is not a MSG_PARTIAL protocol), GetOverlappedResult
 * ERROR_MORE_DATA, and the rest of the datagram discarded; several pending receives each take one
 * whole datagram, in order. */
#include "testutil.h"

#define WAIT_MS 3000

static void send_dgram(SOCKET from, const struct sockaddr_in *to, const char *data, int len)
{
    int n = sendto(from, data, len, 0, (const struct sockaddr *)to, sizeof(*to));
    ok(n == len, "sendto %d bytes: got %d error %d", len, n, WSAGetLastError());
}

/* A pending WSARecvFrom gets the datagram and the sender's address at completion. */
static void test_recvfrom_pending(void)
{
    struct sockaddr_in a1, a2;
    struct sockaddr_in6 from; /* larger than a sockaddr_in: the length must shrink to 16 */
    int fromlen = sizeof(from);
    SOCKET u1 = tu_udp_socket(&a1), u2 = tu_udp_socket(&a2);
    HANDLE ev = WSACreateEvent();
    OVERLAPPED ov;
    WSABUF wb;
    char buf[64];
    DWORD n = 0xdeadbeef, fl = 0;
    BOOL b;
    int r;

    memset(&from, 0xcc, sizeof(from));
    memset(buf, 0, sizeof(buf));
    wb.buf = buf;
    wb.len = sizeof(buf);
    init_ov(&ov, ev);
    WSASetLastError(0xdeadbeef);
    r = WSARecvFrom(u2, &wb, 1, &n, &fl, (struct sockaddr *)&from, &fromlen, &ov, NULL);
    ok(r == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, "WSARecvFrom: got %d error %d, want pending", r,
       WSAGetLastError());
    ok(n == 0xdeadbeef, "pending WSARecvFrom wrote the count (%u)", (unsigned)n);
    ok(ov_status(&ov) == T_STATUS_PENDING, "pending: Internal %#x", (unsigned)ov_status(&ov));
    ok(WaitForSingleObject(ev, 0) == WAIT_TIMEOUT, "pending: event signalled");

    send_dgram(u1, &a2, "datagram", 8);
    ok(WaitForSingleObject(ev, WAIT_MS) == WAIT_OBJECT_0, "WSARecvFrom not completed");
    ok(ov_status(&ov) == T_STATUS_SUCCESS && ov.InternalHigh == 8, "completed: Internal %#x InternalHigh %u",
       (unsigned)ov_status(&ov), (unsigned)ov.InternalHigh);
    n = 0xdeadbeef;
    fl = 0xdeadbeef;
    b = WSAGetOverlappedResult(u2, &ov, &n, FALSE, &fl);
    ok(b && n == 8 && fl == 0, "WSAGetOverlappedResult: got %d bytes %u flags %#x error %d, want TRUE 8 0", b,
       (unsigned)n, (unsigned)fl, WSAGetLastError());
    ok(!memcmp(buf, "datagram", 8), "wrong data '%.8s'", buf);
    ok(fromlen == (int)sizeof(struct sockaddr_in), "lpFromlen %d, want %d", fromlen, (int)sizeof(struct sockaddr_in));
    {
        struct sockaddr_in *f = (struct sockaddr_in *)&from;
        ok(f->sin_family == AF_INET && f->sin_port == a1.sin_port && f->sin_addr.s_addr == htonl(INADDR_LOOPBACK),
           "lpFrom: family %d port %u addr %#x, want AF_INET %u 127.0.0.1", f->sin_family, ntohs(f->sin_port),
           (unsigned)ntohl(f->sin_addr.s_addr), ntohs(a1.sin_port));
    }

    closesocket(u1);
    closesocket(u2);
    WSACloseEvent(ev);
}

/* An overlapped WSASendTo completes at once with its count and signals its event. */
static void test_sendto(void)
{
    struct sockaddr_in a1, a2, from;
    int fromlen = sizeof(from);
    SOCKET u1 = tu_udp_socket(&a1), u2 = tu_udp_socket(&a2);
    HANDLE ev = WSACreateEvent();
    OVERLAPPED ov;
    WSABUF wb[2];
    char buf[64];
    DWORD n = 0xdeadbeef, fl = 0xdeadbeef;
    BOOL b;
    int r;

    wb[0].buf = (char *)"over";
    wb[0].len = 4;
    wb[1].buf = (char *)"lapped";
    wb[1].len = 6;
    init_ov(&ov, ev);
    WSASetLastError(0xdeadbeef);
    r = WSASendTo(u1, wb, 2, &n, 0, (struct sockaddr *)&a2, sizeof(a2), &ov, NULL);
    ok(r == 0 && n == 10, "WSASendTo: got %d count %u error %d, want 0 10", r, (unsigned)n, WSAGetLastError());
    ok(WaitForSingleObject(ev, WAIT_MS) == WAIT_OBJECT_0, "WSASendTo: event not signalled");
    ok(ov_status(&ov) == T_STATUS_SUCCESS && ov.InternalHigh == 10, "WSASendTo: Internal %#x InternalHigh %u",
       (unsigned)ov_status(&ov), (unsigned)ov.InternalHigh);
    n = 0xdeadbeef;
    b = WSAGetOverlappedResult(u1, &ov, &n, FALSE, &fl);
    ok(b && n == 10 && fl == 0, "WSAGetOverlappedResult: got %d bytes %u flags %#x, want TRUE 10 0", b, (unsigned)n,
       (unsigned)fl);

    ok(tu_wait_for(u2, 'r', WAIT_MS) == 1, "datagram not readable");
    memset(buf, 0, sizeof(buf));
    r = recvfrom(u2, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen);
    ok(r == 10 && !memcmp(buf, "overlapped", 10), "recvfrom: got %d '%.10s', want one datagram 'overlapped'", r,
       buf);
    ok(from.sin_port == a1.sin_port, "recvfrom: sender port %u, want %u", ntohs(from.sin_port), ntohs(a1.sin_port));

#ifdef WS2_URING
    /* A datagram to port 0 is accepted and delivered nowhere (as sendto does, Windows-validated
     * in test_udp.c): the overlapped send completes at once with its byte count. Wine 8 answers
     * WSAEINVAL. */
    {
        struct sockaddr_in zero = a2;
        zero.sin_port = 0;
        init_ov(&ov, ev);
        n = 0xdeadbeef;
        r = WSASendTo(u1, wb, 2, &n, 0, (struct sockaddr *)&zero, sizeof(zero), &ov, NULL);
        ok(r == 0 && n == 10, "WSASendTo port 0: got %d count %u error %d, want 0 10", r, (unsigned)n,
           WSAGetLastError());
        ok(WaitForSingleObject(ev, WAIT_MS) == WAIT_OBJECT_0, "WSASendTo port 0: event not signalled");
        ok(ov_status(&ov) == T_STATUS_SUCCESS && ov.InternalHigh == 10,
           "WSASendTo port 0: Internal %#x InternalHigh %u", (unsigned)ov_status(&ov), (unsigned)ov.InternalHigh);
    }
#endif

    closesocket(u1);
    closesocket(u2);
    WSACloseEvent(ev);
}

/* A datagram larger than the buffers, receive pending when it arrives. */
static void test_truncated_pending(void)
{
    struct sockaddr_in a1, a2, from;
    int fromlen = sizeof(from);
    SOCKET u1 = tu_udp_socket(&a1), u2 = tu_udp_socket(&a2);
    HANDLE ev = WSACreateEvent();
    OVERLAPPED ov;
    WSABUF wb[2];
    char b0[8], b1[8], buf[64];
    DWORD n = 0xdeadbeef, fl = 0;
    BOOL b;
    int r;

    memset(b0, '.', sizeof(b0));
    memset(b1, '.', sizeof(b1));
    wb[0].buf = b0;
    wb[0].len = 3;
    wb[1].buf = b1;
    wb[1].len = 2;
    init_ov(&ov, ev);
    WSASetLastError(0xdeadbeef);
    r = WSARecvFrom(u2, wb, 2, &n, &fl, (struct sockaddr *)&from, &fromlen, &ov, NULL);
    ok(r == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, "WSARecvFrom: got %d error %d, want pending", r,
       WSAGetLastError());
    send_dgram(u1, &a2, "0123456789", 10);
    send_dgram(u1, &a2, "next", 4);

    ok(WaitForSingleObject(ev, WAIT_MS) == WAIT_OBJECT_0, "truncated receive not completed");
    ok(ov_status(&ov) == T_STATUS_BUFFER_OVERFLOW && ov.InternalHigh == 5,
       "truncated: Internal %#x InternalHigh %u, want STATUS_BUFFER_OVERFLOW 5", (unsigned)ov_status(&ov),
       (unsigned)ov.InternalHigh);
    ok(HasOverlappedIoCompleted(&ov), "truncated: HasOverlappedIoCompleted false");
    ok(!memcmp(b0, "012.", 4) && !memcmp(b1, "34.", 3), "truncated: buffers hold '%.4s' '%.3s'", b0, b1);
    n = 0xdeadbeef;
    fl = 0;
    WSASetLastError(0xdeadbeef);
    b = WSAGetOverlappedResult(u2, &ov, &n, FALSE, &fl);
    ok(!b && WSAGetLastError() == WSAEMSGSIZE && n == 5,
       "WSAGetOverlappedResult: got %d error %d bytes %u, want FALSE WSAEMSGSIZE 5", b, WSAGetLastError(),
       (unsigned)n);
    ok(fl == 0, "WSAGetOverlappedResult flags %#x: UDP does not report MSG_PARTIAL", (unsigned)fl);
    n = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    b = GetOverlappedResult((HANDLE)u2, &ov, &n, FALSE);
    ok(!b && GetLastError() == ERROR_MORE_DATA && n == 5,
       "GetOverlappedResult: got %d error %d bytes %u, want FALSE ERROR_MORE_DATA 5", b, (int)GetLastError(),
       (unsigned)n);

    /* The rest of the big datagram is gone: the next receive gets the next datagram. */
    ok(tu_wait_for(u2, 'r', WAIT_MS) == 1, "second datagram not readable");
    memset(buf, 0, sizeof(buf));
    r = recv(u2, buf, sizeof(buf), 0);
    ok(r == 4 && !memcmp(buf, "next", 4), "after truncation: recv got %d '%.4s', want 4 'next'", r, buf);

    closesocket(u1);
    closesocket(u2);
    WSACloseEvent(ev);
}

/* A datagram larger than the buffers, already queued when the receive is posted. The operation
 * completes (Internal STATUS_BUFFER_OVERFLOW, event signalled), so by WSARecvFrom's documentation
 * ("any other error code indicates ... no completion indication will occur") the only consistent
 * return is SOCKET_ERROR with WSA_IO_PENDING, the count left alone; the result comes from
 * WSAGetOverlappedResult. Wine 8.0 returns WSAEMSGSIZE here while still signalling the event. */
static void test_truncated_immediate(void)
{
    struct sockaddr_in a1, a2;
    SOCKET u1 = tu_udp_socket(&a1), u2 = tu_udp_socket(&a2);
    HANDLE ev = WSACreateEvent();
    OVERLAPPED ov;
    WSABUF wb;
    char buf[8];
    DWORD n = 0xdeadbeef, fl = 0;
    BOOL b;
    int r, err;

    send_dgram(u1, &a2, "abcdefghij", 10);
    ok(tu_wait_for(u2, 'r', WAIT_MS) == 1, "datagram not readable");
    memset(buf, '.', sizeof(buf));
    wb.buf = buf;
    wb.len = 4;
    init_ov(&ov, ev);
    WSASetLastError(0xdeadbeef);
    r = WSARecvFrom(u2, &wb, 1, &n, &fl, NULL, NULL, &ov, NULL);
    err = WSAGetLastError();
#ifdef WS2_URING
    ok(r == SOCKET_ERROR && err == WSA_IO_PENDING, "truncated WSARecvFrom: got %d error %d, want SOCKET_ERROR "
       "WSA_IO_PENDING", r, err);
#else
    ok(r == SOCKET_ERROR && (err == WSA_IO_PENDING || err == WSAEMSGSIZE), "truncated WSARecvFrom: got %d error %d",
       r, err);
#endif
    ok(n == 0xdeadbeef, "truncated WSARecvFrom wrote the count (%u)", (unsigned)n);
    ok(WaitForSingleObject(ev, WAIT_MS) == WAIT_OBJECT_0, "truncated receive: event not signalled");
    ok(ov_status(&ov) == T_STATUS_BUFFER_OVERFLOW && ov.InternalHigh == 4,
       "truncated: Internal %#x InternalHigh %u, want STATUS_BUFFER_OVERFLOW 4", (unsigned)ov_status(&ov),
       (unsigned)ov.InternalHigh);
    ok(!memcmp(buf, "abcd....", 8), "truncated: buffer holds '%.8s'", buf);
    n = 0xdeadbeef;
    fl = 0;
    WSASetLastError(0xdeadbeef);
    b = WSAGetOverlappedResult(u2, &ov, &n, FALSE, &fl);
    ok(!b && WSAGetLastError() == WSAEMSGSIZE && n == 4 && fl == 0,
       "WSAGetOverlappedResult: got %d error %d bytes %u flags %#x, want FALSE WSAEMSGSIZE 4 0", b,
       WSAGetLastError(), (unsigned)n, (unsigned)fl);

    closesocket(u1);
    closesocket(u2);
    WSACloseEvent(ev);
}

/* Several pending receives: each takes exactly one datagram, in the order they were posted. */
static void test_boundaries(void)
{
    static const char *msgs[3] = {"five5", "ten-bytes!", "fifteen-bytes.."};
    struct sockaddr_in a1, a2;
    SOCKET u1 = tu_udp_socket(&a1), u2 = tu_udp_socket(&a2);
    HANDLE ev[3];
    OVERLAPPED ov[3];
    WSABUF wb[3];
    char buf[3][100];
    DWORD fl[3] = {0, 0, 0};
    int i, r;

    for (i = 0; i < 3; i++) {
        ev[i] = WSACreateEvent();
        init_ov(&ov[i], ev[i]);
        memset(buf[i], 0, sizeof(buf[i]));
        wb[i].buf = buf[i];
        wb[i].len = sizeof(buf[i]);
        WSASetLastError(0xdeadbeef);
        r = WSARecvFrom(u2, &wb[i], 1, NULL, &fl[i], NULL, NULL, &ov[i], NULL);
        ok(r == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, "receive %d: got %d error %d, want pending", i,
           r, WSAGetLastError());
    }
    for (i = 0; i < 3; i++)
        send_dgram(u1, &a2, msgs[i], (int)strlen(msgs[i]));
    for (i = 0; i < 3; i++) {
        DWORD n = 0xdeadbeef, f = 0xdeadbeef;
        BOOL b;
        int len = (int)strlen(msgs[i]);
        ok(WaitForSingleObject(ev[i], WAIT_MS) == WAIT_OBJECT_0, "receive %d not completed", i);
        b = WSAGetOverlappedResult(u2, &ov[i], &n, FALSE, &f);
        ok(b && n == (DWORD)len && f == 0 && !memcmp(buf[i], msgs[i], len),
           "receive %d: got %d bytes %u flags %#x '%s', want TRUE %d 0 '%s'", i, b, (unsigned)n, (unsigned)f, buf[i],
           len, msgs[i]);
        WSACloseEvent(ev[i]);
    }
    closesocket(u1);
    closesocket(u2);
}

int main(void)
{
    tu_startup();
    test_recvfrom_pending();
    test_sendto();
    test_truncated_pending();
    test_truncated_immediate();
    test_boundaries();
    tu_check_tcp_pair();
    WSACleanup();
    return test_done();
}
