/* send / recv on TCP: byte-exact round trips of 0, 1, 64 KiB and 1 MiB (a blocking send sends
 * everything in one call), MSG_PEEK, MSG_WAITALL, graceful close (recv 0), abortive close
 * (WSAECONNRESET), unconnected sockets (WSAENOTCONN), bad flags and buffers, SO_RCVTIMEO. */
#include "testutil.h"
#include <pthread.h>

/* Wait until at least n bytes can be peeked (bounded). */
static int wait_readable(SOCKET s, int n)
{
    char tmp[64];
    int i, r = 0;
    for (i = 0; i < 400; i++) {
        r = recv(s, tmp, n, MSG_PEEK);
        if (r >= n || r <= 0)
            return r;
        tu_sleep_ms(5);
    }
    return r;
}

static unsigned char pattern(size_t i)
{
    return (unsigned char)((i * 131u + (i >> 11) * 7u + 13u) & 0xff);
}

struct reader {
    SOCKET s;
    size_t want;
    size_t got;
    size_t first_bad; /* index of the first wrong byte, or (size_t)-1 */
    int chunk;
    int error;
};

static void *reader_thread(void *p)
{
    struct reader *r = p;
    char *buf = malloc((size_t)r->chunk);
    r->first_bad = (size_t)-1;
    while (r->got < r->want) {
        int n = recv(r->s, buf, r->chunk, 0);
        int i;
        if (n <= 0) {
            r->error = n == 0 ? -1 : WSAGetLastError();
            break;
        }
        for (i = 0; i < n; i++)
            if ((unsigned char)buf[i] != pattern(r->got + (size_t)i) && r->first_bad == (size_t)-1)
                r->first_bad = r->got + (size_t)i;
        r->got += (size_t)n;
    }
    free(buf);
    return NULL;
}

static void round_trip(SOCKET c, SOCKET s, size_t size, int chunk)
{
    char *buf = malloc(size ? size : 1);
    struct reader r;
    pthread_t t;
    size_t i;
    int sent;

    for (i = 0; i < size; i++)
        buf[i] = (char)pattern(i);
    memset(&r, 0, sizeof(r));
    r.s = s;
    r.want = size;
    r.chunk = chunk;
    if (size)
        pthread_create(&t, NULL, reader_thread, &r);
    WSASetLastError(0xdeadbeef);
    sent = send(c, buf, (int)size, 0);
    ok(sent == (int)size, "send(%u bytes) returned %d error %d", (unsigned)size, sent,
       WSAGetLastError());
    if (size) {
        pthread_join(t, NULL);
        ok(r.got == size && r.error == 0, "received %u of %u bytes, error %d", (unsigned)r.got,
           (unsigned)size, r.error);
        ok(r.first_bad == (size_t)-1, "%u bytes: first wrong byte at %lld", (unsigned)size,
           (long long)r.first_bad);
    }
    free(buf);
}

static void test_round_trips(void)
{
    SOCKET c, s;
    char b[4];
    int n;

    ok(tu_tcp_pair(&c, &s) == 0, "tcp pair: error %d", WSAGetLastError());

    /* A zero-byte send succeeds and delivers nothing. */
    WSASetLastError(0xdeadbeef);
    ok(send(c, b, 0, 0) == 0, "send(0 bytes): error %d", WSAGetLastError());
    ok(send(c, "Q", 1, 0) == 1, "send(1 byte): error %d", WSAGetLastError());
    n = recv(s, b, sizeof(b), 0);
    ok(n == 1 && b[0] == 'Q', "after a zero-byte send the first byte is 'Q': got %d", n);

    round_trip(c, s, 1, 1);
    round_trip(c, s, 65536, 65536);
    round_trip(c, s, 1024 * 1024, 4096);
    round_trip(s, c, 1024 * 1024, 65536); /* the other direction */
    round_trip(c, s, 3 * 1024 * 1024 + 17, 100000);

    closesocket(c);
    closesocket(s);
}

static void test_peek(void)
{
    SOCKET c, s;
    char b[16];
    int n;

    ok(tu_tcp_pair(&c, &s) == 0, "tcp pair: error %d", WSAGetLastError());
    ok(send(c, "0123456789", 10, 0) == 10, "send");
    ok(wait_readable(s, 10) == 10, "wait for the data");

    memset(b, 0, sizeof(b));
    n = recv(s, b, 4, MSG_PEEK);
    ok(n == 4 && !memcmp(b, "0123", 4), "peek 4: got %d \"%.4s\"", n, b);
    memset(b, 0, sizeof(b));
    n = recv(s, b, sizeof(b), MSG_PEEK);
    ok(n == 10 && !memcmp(b, "0123456789", 10), "peek all: got %d", n);
    /* Peeking consumed nothing. */
    memset(b, 0, sizeof(b));
    n = recv(s, b, 3, 0);
    ok(n == 3 && !memcmp(b, "012", 3), "read 3 after peeks: got %d \"%.3s\"", n, b);
    n = recv(s, b, 3, MSG_PEEK);
    ok(n == 3 && !memcmp(b, "345", 3), "peek after a read: got %d \"%.3s\"", n, b);
    n = recv(s, b, sizeof(b), 0);
    ok(n == 7 && !memcmp(b, "3456789", 7), "read the rest: got %d", n);
    closesocket(c);
    closesocket(s);
}

#ifdef WS2_URING
struct slow_sender {
    SOCKET s;
    int pieces;
    int delay_ms;
    int close_after;
};

static void *slow_sender_thread(void *p)
{
    struct slow_sender *w = p;
    int i;
    for (i = 0; i < w->pieces; i++) {
        char ch = (char)('a' + i);
        tu_sleep_ms(w->delay_ms);
        send(w->s, &ch, 1, 0);
    }
    if (w->close_after)
        shutdown(w->s, SD_SEND);
    return NULL;
}
#endif

static void test_waitall(void)
{
#ifdef WS2_URING
    /* Wine 8 ignores MSG_WAITALL (a blocking recv returns the first bytes that arrive);
     * Windows waits for a full buffer, the end of the stream or an error (MS docs, recv). */
    struct slow_sender w;
    pthread_t t;
    SOCKET c, s;
    char b[16];
    int n;

    ok(tu_tcp_pair(&c, &s) == 0, "tcp pair: error %d", WSAGetLastError());

    /* Five bytes arriving one at a time: MSG_WAITALL returns all five at once. */
    w.s = c;
    w.pieces = 5;
    w.delay_ms = 30;
    w.close_after = 0;
    pthread_create(&t, NULL, slow_sender_thread, &w);
    memset(b, 0, sizeof(b));
    n = recv(s, b, 5, MSG_WAITALL);
    pthread_join(t, NULL);
    ok(n == 5 && !memcmp(b, "abcde", 5), "MSG_WAITALL: got %d \"%.5s\"", n, b);

    /* The peer ends the stream early: MSG_WAITALL returns what arrived. */
    w.pieces = 3;
    w.close_after = 1;
    pthread_create(&t, NULL, slow_sender_thread, &w);
    memset(b, 0, sizeof(b));
    n = recv(s, b, 10, MSG_WAITALL);
    pthread_join(t, NULL);
    ok(n == 3 && !memcmp(b, "abc", 3), "MSG_WAITALL cut short by shutdown: got %d error %d", n,
       WSAGetLastError());
    n = recv(s, b, 10, MSG_WAITALL);
    ok(n == 0, "MSG_WAITALL at end of stream: got %d", n);

    closesocket(c);
    closesocket(s);
#endif
}

static void test_waitall_flags(void)
{
#ifdef WS2_URING
    /* MSG_WAITALL with MSG_PEEK or MSG_OOB, or on a non-blocking socket: WSAEOPNOTSUPP
     * (MS docs, recv). Wine 8 does not implement MSG_WAITALL (it peeks, waits for urgent data,
     * or returns what is there), so these run on our side only. */
    SOCKET c, s;
    char b[8];
    u_long one = 1;
    int n;

    ok(tu_tcp_pair(&c, &s) == 0, "tcp pair: error %d", WSAGetLastError());
    ok(send(c, "abc", 3, 0) == 3, "send");
    ok(wait_readable(s, 3) == 3, "wait for data");
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(recv(s, b, 3, MSG_WAITALL | MSG_PEEK), SOCKET_ERROR, WSAEOPNOTSUPP);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(recv(s, b, 3, MSG_WAITALL | MSG_OOB), SOCKET_ERROR, WSAEOPNOTSUPP);
    ok(ioctlsocket(s, FIONBIO, &one) == 0, "FIONBIO: error %d", WSAGetLastError());
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(recv(s, b, 3, MSG_WAITALL), SOCKET_ERROR, WSAEOPNOTSUPP);
    n = recv(s, b, 3, 0);
    ok(n == 3 && !memcmp(b, "abc", 3), "data after the refused calls: got %d", n);
    closesocket(c);
    closesocket(s);
#endif
}

static void test_close(void)
{
    static const struct linger abortive = {1, 0};
    SOCKET c, s;
    char b[8];
    int n;

    /* Graceful close: data first, then 0, then 0 again. */
    ok(tu_tcp_pair(&c, &s) == 0, "tcp pair: error %d", WSAGetLastError());
    ok(send(c, "bye", 3, 0) == 3, "send");
    ok(closesocket(c) == 0, "closesocket: error %d", WSAGetLastError());
    n = tu_recv_all(s, b, 3);
    ok(n == 3 && !memcmp(b, "bye", 3), "data before close: got %d", n);
    WSASetLastError(0xdeadbeef);
    n = recv(s, b, sizeof(b), 0);
    ok(n == 0 && WSAGetLastError() == 0, "recv after graceful close: got %d error %d", n,
       WSAGetLastError());
    n = recv(s, b, sizeof(b), 0);
    ok(n == 0, "second recv after graceful close: got %d", n);
    /* Sending towards a closed peer eventually fails; the first send is accepted locally. */
    closesocket(s);

    /* Abortive close (linger on, timeout 0): the peer gets WSAECONNRESET. */
    ok(tu_tcp_pair(&c, &s) == 0, "tcp pair: error %d", WSAGetLastError());
    WSASetLastError(0xdeadbeef);
    ok(setsockopt(c, SOL_SOCKET, SO_LINGER, (const char *)&abortive, sizeof(abortive)) == 0 &&
           WSAGetLastError() == 0,
       "SO_LINGER {1,0}: error %d", WSAGetLastError());
    ok(closesocket(c) == 0, "abortive closesocket: error %d", WSAGetLastError());
#ifdef WS2_URING
    /* Windows: WSAECONNRESET ("An existing connection was forcibly closed by the remote
     * host"); Wine 8 reports the reset as an end of stream (0) to a synchronous recv. */
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(recv(s, b, sizeof(b), 0), SOCKET_ERROR, WSAECONNRESET);
#endif
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(send(s, "data", 5, 0), SOCKET_ERROR, WSAECONNRESET);
    closesocket(s);
}

static void test_unconnected(void)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    struct sockaddr_in a;
    char b[4];

    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(recv(s, b, sizeof(b), 0), SOCKET_ERROR, WSAENOTCONN);
#ifdef WS2_URING
    /* send on a stream socket that is not connected: WSAENOTCONN (MS docs, send); Wine 8
     * answers WSAECONNRESET. */
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(send(s, "x", 1, 0), SOCKET_ERROR, WSAENOTCONN);
#endif

    /* Bound but not connected. */
    a = tu_lo4(0);
    ok(bind(s, (struct sockaddr *)&a, sizeof(a)) == 0, "bind: error %d", WSAGetLastError());
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(recv(s, b, sizeof(b), 0), SOCKET_ERROR, WSAENOTCONN);
#ifdef WS2_URING
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(send(s, "x", 1, 0), SOCKET_ERROR, WSAENOTCONN);

    /* Listening: still not connected (Wine 8 blocks in recv on a listening socket). */
    ok(listen(s, 1) == 0, "listen: error %d", WSAGetLastError());
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(recv(s, b, sizeof(b), 0), SOCKET_ERROR, WSAENOTCONN);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(send(s, "x", 1, 0), SOCKET_ERROR, WSAENOTCONN);
#endif
    closesocket(s);
}

static void test_bad_args(void)
{
    SOCKET c, s;
    char b[8];
    int n;

    ok(tu_tcp_pair(&c, &s) == 0, "tcp pair: error %d", WSAGetLastError());

    /* A NULL buffer with a length, a negative length. */
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(send(c, NULL, 4, 0), SOCKET_ERROR, WSAEFAULT);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(recv(s, b, -1, 0), SOCKET_ERROR, WSAEFAULT);

    /* Flags the call does not support: Windows fails with WSAEOPNOTSUPP (reported for send
     * with MSG_WAITALL and for receives with stray flag bits), although the docs name
     * WSAEINVAL for unknown flags. Wine 8 hands the flags to the kernel (a receive with an
     * unknown bit blocks), so these run on our side only. */
#ifdef WS2_URING
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(recv(s, b, sizeof(b), 0x10000), SOCKET_ERROR, WSAEOPNOTSUPP);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(send(c, "x", 1, MSG_WAITALL), SOCKET_ERROR, WSAEOPNOTSUPP);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(send(c, "x", 1, 0x10000), SOCKET_ERROR, WSAEOPNOTSUPP);
#endif

    /* The connection still works after the rejected calls. */
    ok(send(c, "ok", 2, 0) == 2, "send after bad calls: error %d", WSAGetLastError());
    n = tu_recv_all(s, b, 2);
    ok(n == 2 && !memcmp(b, "ok", 2), "recv after bad calls: got %d error %d", n,
       WSAGetLastError());

    /* A NULL buffer with length 0 is a valid empty receive when data is there. */
    ok(send(c, "d", 1, 0) == 1, "send");
    ok(wait_readable(s, 1) == 1, "wait for data");
    n = recv(s, NULL, 0, 0);
    ok(n == 0, "recv(NULL, 0) with data pending: got %d error %d", n, WSAGetLastError());
    n = recv(s, b, sizeof(b), 0);
    ok(n == 1 && b[0] == 'd', "the byte is still there: got %d", n);

    closesocket(c);
    closesocket(s);
}

static void test_rcvtimeo(void)
{
    SOCKET c, s;
    DWORD t = 200, got = 0;
    int len = sizeof(got);
    unsigned long long start, elapsed;
    char b[4];

    ok(tu_tcp_pair(&c, &s) == 0, "tcp pair: error %d", WSAGetLastError());
    ok(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&t, sizeof(t)) == 0,
       "SO_RCVTIMEO: error %d", WSAGetLastError());
    ok(getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (char *)&got, &len) == 0 && got == 200 &&
           len == (int)sizeof(DWORD),
       "SO_RCVTIMEO reads back %u (len %d)", (unsigned)got, len);

    start = tu_now_ms();
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(recv(s, b, sizeof(b), 0), SOCKET_ERROR, WSAETIMEDOUT);
    elapsed = tu_now_ms() - start;
    ok(elapsed >= 150 && elapsed < 2000, "recv timed out after %llu ms, want about 200", elapsed);

    /* The timeout does not apply when data is there. */
    {
        SOCKET c2, s2;
        ok(tu_tcp_pair(&c2, &s2) == 0, "tcp pair 2");
        setsockopt(s2, SOL_SOCKET, SO_RCVTIMEO, (const char *)&t, sizeof(t));
        send(c2, "abc", 3, 0);
        start = tu_now_ms();
        ok(wait_readable(s2, 3) == 3 && tu_recv_all(s2, b, 3) == 3,
           "recv with data and a timeout: error %d",
           WSAGetLastError());
        ok(tu_now_ms() - start < 150, "recv with data waited %llu ms", tu_now_ms() - start);
        closesocket(c2);
        closesocket(s2);
    }
    closesocket(c);
    closesocket(s);
}

int main(void)
{
    tu_startup();
    test_round_trips();
    test_peek();
    test_waitall();
    test_waitall_flags();
    test_close();
    test_unconnected();
    test_bad_args();
    test_rcvtimeo();
    WSACleanup();
    return test_done();
}
