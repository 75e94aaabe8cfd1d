/* Urgent (out-of-band) data on TCP, one byte per MSG_OOB send: with SO_OOBINLINE off (the
 * default) the byte is read with recv(MSG_OOB) (also peeked), never appears in the normal stream,
 * a normal recv does not span the mark, select reports it in exceptfds, SIOCATMARK is TRUE
 * before it arrives and after it is read; with SO_OOBINLINE on it arrives in the normal stream,
 * recv(MSG_OOB) fails with WSAEINVAL, select reports readability and SIOCATMARK stays TRUE;
 * MSG_OOB on a UDP socket fails with WSAEOPNOTSUPP for send, sendto, recv and recvfrom. */
#include "testutil.h"

static u_long atmark(SOCKET s)
{
    u_long v = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    ok(ioctlsocket(s, SIOCATMARK, &v) == 0, "ioctlsocket(SIOCATMARK): error %d", WSAGetLastError());
    return v;
}

static void send_all(SOCKET s, const char *data, int len, int flags, const char *what)
{
    int n;
    WSASetLastError(0xdeadbeef);
    n = send(s, data, len, flags);
    ok(n == len, "send %s: got %d error %d", what, n, WSAGetLastError());
}

/* Read until `want` bytes are in or the peer stops sending (bounded by select). */
static int recv_bytes(SOCKET s, char *buf, int want)
{
    int got = 0, n;
    while (got < want && tu_wait_for(s, 'r', 2000) == 1) {
        n = recv(s, buf + got, want - got, 0);
        if (n <= 0)
            break;
        got += n;
    }
    return got;
}

static void test_oob_separate(void)
{
    SOCKET c, s;
    char buf[16];
    int n, v, len;
    u_long mark;

    if (tu_tcp_pair(&c, &s)) {
        ok(0, "tcp pair: error %d", WSAGetLastError());
        return;
    }

    v = -1;
    len = sizeof(v);
    ok(getsockopt(s, SOL_SOCKET, SO_OOBINLINE, (char *)&v, &len) == 0 && v == 0,
       "SO_OOBINLINE default %d (error %d)", v, WSAGetLastError());

    /* Nothing urgent yet: at the mark. */
    mark = atmark(s);
    ok(mark != 0 && mark != 0xdeadbeef, "SIOCATMARK before urgent data: %lu, want TRUE",
       (unsigned long)mark);

    send_all(c, "abc", 3, 0, "abc");
    send_all(c, "X", 1, MSG_OOB, "urgent X");
    send_all(c, "def", 3, 0, "def");

    /* The urgent byte is reported in exceptfds. (SIOCATMARK while it is unread is not checked:
     * Windows documents that case only for SO_OOBINLINE sockets.) */
    ok(tu_wait_for(s, 'e', 2000) == 1, "select: urgent data not in exceptfds within 2 s");

    /* It can be peeked, then read; it jumps the queue of normal data. */
    memset(buf, 0, sizeof(buf));
    WSASetLastError(0xdeadbeef);
    n = recv(s, buf, sizeof(buf), MSG_OOB | MSG_PEEK);
    ok(n == 1 && buf[0] == 'X', "recv(MSG_OOB|MSG_PEEK): got %d '%c' error %d", n, buf[0],
       WSAGetLastError());
    memset(buf, 0, sizeof(buf));
    WSASetLastError(0xdeadbeef);
    n = recv(s, buf, sizeof(buf), MSG_OOB);
    ok(n == 1 && buf[0] == 'X', "recv(MSG_OOB): got %d '%c' error %d", n, buf[0], WSAGetLastError());

    mark = atmark(s);
    ok(mark != 0 && mark != 0xdeadbeef, "SIOCATMARK after reading the urgent byte: %lu, want TRUE",
       (unsigned long)mark);

    /* The normal stream has a gap where the byte was: a recv stops at the mark, the next one
     * continues after it. */
    memset(buf, 0, sizeof(buf));
    n = recv(s, buf, sizeof(buf), 0);
    ok(n == 3 && !memcmp(buf, "abc", 3), "recv before the mark: got %d \"%.*s\"", n, n > 0 ? n : 0,
       buf);
    memset(buf, 0, sizeof(buf));
    n = recv_bytes(s, buf, 3);
    ok(n == 3 && !memcmp(buf, "def", 3), "recv after the mark: got %d \"%.3s\"", n, buf);

    closesocket(c);
    closesocket(s);
}

/* Normal data read before the urgent byte: the stream still skips it. */
static void test_oob_read_normal_first(void)
{
    SOCKET c, s;
    char buf[16];
    int n;

    if (tu_tcp_pair(&c, &s)) {
        ok(0, "tcp pair: error %d", WSAGetLastError());
        return;
    }
    send_all(c, "12", 2, 0, "12");
    send_all(c, "U", 1, MSG_OOB, "urgent U");
    send_all(c, "34", 2, 0, "34");
    ok(tu_wait_for(s, 'e', 2000) == 1, "select: urgent data not in exceptfds within 2 s");

    memset(buf, 0, sizeof(buf));
    n = recv(s, buf, sizeof(buf), 0);
    ok(n == 2 && !memcmp(buf, "12", 2), "recv before the mark: got %d \"%.*s\"", n, n > 0 ? n : 0, buf);
    memset(buf, 0, sizeof(buf));
    n = recv(s, buf, 1, MSG_OOB);
    ok(n == 1 && buf[0] == 'U', "recv(MSG_OOB) after the normal data: got %d '%c' error %d", n, buf[0],
       WSAGetLastError());
    memset(buf, 0, sizeof(buf));
    n = recv_bytes(s, buf, 2);
    ok(n == 2 && !memcmp(buf, "34", 2), "recv after the mark: got %d \"%.2s\"", n, buf);

    /* Nothing else is queued: no urgent byte left in the normal stream. */
    ok(tu_wait_for(s, 'r', 200) == 0, "data left after the stream: the urgent byte leaked");
    closesocket(c);
    closesocket(s);
}

static void test_oob_inline(void)
{
    SOCKET c, s;
    char buf[16];
    int n, v, len;
    u_long mark;

    if (tu_tcp_pair(&c, &s)) {
        ok(0, "tcp pair: error %d", WSAGetLastError());
        return;
    }
    v = 1;
    ok(setsockopt(s, SOL_SOCKET, SO_OOBINLINE, (char *)&v, sizeof(v)) == 0,
       "setsockopt(SO_OOBINLINE): error %d", WSAGetLastError());
    v = 0;
    len = sizeof(v);
    ok(getsockopt(s, SOL_SOCKET, SO_OOBINLINE, (char *)&v, &len) == 0 && v == 1,
       "SO_OOBINLINE reads %d", v);
    mark = atmark(s);
    ok(mark != 0 && mark != 0xdeadbeef, "SIOCATMARK with SO_OOBINLINE: %lu, want TRUE",
       (unsigned long)mark);

    send_all(c, "ab", 2, 0, "ab");
    send_all(c, "X", 1, MSG_OOB, "urgent X");
    send_all(c, "cd", 2, 0, "cd");

    /* Inline urgent data is normal data for select. */
    ok(tu_wait_for(s, 'r', 2000) == 1, "select: inline data not readable within 2 s");
    /* With SO_OOBINLINE set, SIOCATMARK always reports TRUE. */
    mark = atmark(s);
    ok(mark != 0 && mark != 0xdeadbeef, "SIOCATMARK with inline urgent data queued: %lu, want TRUE",
       (unsigned long)mark);
    ok(tu_wait_for(s, 'e', 100) == 0, "select: inline urgent data reported in exceptfds");

    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(recv(s, buf, sizeof(buf), MSG_OOB), SOCKET_ERROR, WSAEINVAL);

    /* The first recv stops before the urgent byte; the rest holds it in order. */
    memset(buf, 0, sizeof(buf));
    n = recv(s, buf, sizeof(buf), 0);
    ok(n == 2 && !memcmp(buf, "ab", 2), "inline recv before the mark: got %d \"%.*s\"", n,
       n > 0 ? n : 0, buf);
    memset(buf, 0, sizeof(buf));
    n = recv_bytes(s, buf, 3);
    ok(n == 3 && !memcmp(buf, "Xcd", 3), "inline stream after the mark: got %d \"%.3s\"", n, buf);

    closesocket(c);
    closesocket(s);
}

static void test_oob_udp(void)
{
    struct sockaddr_in a;
    SOCKET u;
    char buf[8];

    u = tu_udp_socket(&a);
    ok(connect(u, (struct sockaddr *)&a, sizeof(a)) == 0, "UDP connect: error %d", WSAGetLastError());

    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(send(u, "x", 1, MSG_OOB), SOCKET_ERROR, WSAEOPNOTSUPP);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(sendto(u, "x", 1, MSG_OOB, (struct sockaddr *)&a, sizeof(a)), SOCKET_ERROR,
                WSAEOPNOTSUPP);
    /* Nothing was sent by the failed calls; a normal datagram is queued for the receive tests. */
    ok(send(u, "y", 1, 0) == 1, "UDP send: error %d", WSAGetLastError());
    ok(tu_wait_for(u, 'r', 2000) == 1, "UDP datagram did not arrive");
#ifdef WS2_URING
    /* recv's documentation: MSG_OOB on a socket that is not stream-style fails with
     * WSAEOPNOTSUPP. Wine differs (it ignores MSG_OOB and returns the datagram), so this is
     * checked on our side only. Non-blocking, so a wrong answer cannot hang the test. */
    {
        u_long nb = 1;
        int len;
        ok(ioctlsocket(u, FIONBIO, &nb) == 0, "FIONBIO: error %d", WSAGetLastError());
        WSASetLastError(0xdeadbeef);
        ok_wsa_fail(recv(u, buf, sizeof(buf), MSG_OOB), SOCKET_ERROR, WSAEOPNOTSUPP);
        len = sizeof(a);
        WSASetLastError(0xdeadbeef);
        ok_wsa_fail(recvfrom(u, buf, sizeof(buf), MSG_OOB, (struct sockaddr *)&a, &len),
                    SOCKET_ERROR, WSAEOPNOTSUPP);
        nb = 0;
        ok(ioctlsocket(u, FIONBIO, &nb) == 0, "FIONBIO: error %d", WSAGetLastError());
    }
#endif
    /* The datagram is still there and is the only one. */
    ok(tu_wait_for(u, 'r', 2000) == 1 && recv(u, buf, sizeof(buf), 0) == 1 && buf[0] == 'y',
       "UDP datagram after the MSG_OOB failures");
    ok(tu_wait_for(u, 'r', 100) == 0, "a failed MSG_OOB send queued a datagram");
    closesocket(u);
}

int main(void)
{
    tu_startup();
    test_oob_separate();
    test_oob_read_normal_first();
    test_oob_inline();
    test_oob_udp();
    WSACleanup();
    return test_done();
}
