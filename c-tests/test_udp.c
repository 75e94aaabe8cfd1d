/* UDP: sendto/recvfrom round trips with addresses (IPv4, IPv6), message boundaries, zero-length
 * datagrams, a datagram larger than the buffer (WSAEMSGSIZE, buffer filled with its first bytes,
 * the rest dropped), fromlen handling, sending without a destination, the implicit bind of
 * sendto, connected UDP (filtering, re-connect, AF_UNSPEC disconnect), unbound receives. */
#include "testutil.h"

/* Wait (bounded) until a datagram is queued on s. */
static void wait_datagram(SOCKET s)
{
    ok(tu_wait_for(s, 'r', 2000) == 1, "no datagram arrived within 2 s");
}

static void test_round_trip(void)
{
    struct sockaddr_in a, b, from;
    SOCKET sa, sb;
    char buf[64];
    int n, len;

    sa = tu_udp_socket(&a);
    sb = tu_udp_socket(&b);

    WSASetLastError(0xdeadbeef);
    n = sendto(sa, "hello", 5, 0, (struct sockaddr *)&b, sizeof(b));
    ok(n == 5 && WSAGetLastError() == 0, "sendto: got %d error %d", n, WSAGetLastError());
    memset(&from, 0xcc, sizeof(from));
    len = sizeof(from);
    WSASetLastError(0xdeadbeef);
    n = recvfrom(sb, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
    ok(n == 5 && !memcmp(buf, "hello", 5) && WSAGetLastError() == 0,
       "recvfrom: got %d error %d", n, WSAGetLastError());
    ok(len == (int)sizeof(struct sockaddr_in), "fromlen %d", len);
    ok(from.sin_family == AF_INET && from.sin_port == a.sin_port &&
           from.sin_addr.s_addr == htonl(INADDR_LOOPBACK),
       "from family %d port %d (sender %d) addr %08x", from.sin_family, ntohs(from.sin_port),
       ntohs(a.sin_port), (unsigned)ntohl(from.sin_addr.s_addr));

    /* Message boundaries are kept. */
    ok(sendto(sa, "one", 3, 0, (struct sockaddr *)&b, sizeof(b)) == 3, "sendto one");
    ok(sendto(sa, "two!", 4, 0, (struct sockaddr *)&b, sizeof(b)) == 4, "sendto two");
    n = recvfrom(sb, buf, sizeof(buf), 0, NULL, NULL);
    ok(n == 3 && !memcmp(buf, "one", 3), "first datagram: got %d", n);
    n = recv(sb, buf, sizeof(buf), 0);
    ok(n == 4 && !memcmp(buf, "two!", 4), "second datagram: got %d", n);

    /* A zero-length datagram is sent and received as such. */
    WSASetLastError(0xdeadbeef);
    ok(sendto(sa, buf, 0, 0, (struct sockaddr *)&b, sizeof(b)) == 0, "zero-length sendto: error %d",
       WSAGetLastError());
    ok(sendto(sa, "after", 5, 0, (struct sockaddr *)&b, sizeof(b)) == 5, "sendto after");
    len = sizeof(from);
    memset(&from, 0, sizeof(from));
    n = recvfrom(sb, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
    ok(n == 0 && from.sin_port == a.sin_port, "zero-length datagram: got %d from port %d", n,
       ntohs(from.sin_port));
    n = recv(sb, buf, sizeof(buf), 0);
    ok(n == 5 && !memcmp(buf, "after", 5), "datagram after the empty one: got %d", n);

    /* A large datagram. */
    {
        static char big[60000], rbig[60000];
        int i;
        for (i = 0; i < (int)sizeof(big); i++)
            big[i] = (char)(i * 7);
        ok(sendto(sa, big, sizeof(big), 0, (struct sockaddr *)&b, sizeof(b)) == (int)sizeof(big),
           "sendto 60000 bytes: error %d", WSAGetLastError());
        n = recv(sb, rbig, sizeof(rbig), 0);
        ok(n == (int)sizeof(big) && !memcmp(big, rbig, sizeof(big)), "60000-byte datagram: got %d",
           n);
    }
    closesocket(sa);
    closesocket(sb);
}

static void test_truncation(void)
{
    struct sockaddr_in a, b, from;
    SOCKET sa, sb;
    char buf[16];
    int n, len;

    sa = tu_udp_socket(&a);
    sb = tu_udp_socket(&b);

    ok(sendto(sa, "0123456789ABCDEF", 16, 0, (struct sockaddr *)&b, sizeof(b)) == 16, "sendto 16");
    ok(sendto(sa, "next", 4, 0, (struct sockaddr *)&b, sizeof(b)) == 4, "sendto next");
    memset(buf, '.', sizeof(buf));
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(recv(sb, buf, 10, 0), SOCKET_ERROR, WSAEMSGSIZE);
    ok(!memcmp(buf, "0123456789", 10) && buf[10] == '.', "truncated buffer \"%.16s\"", buf);
    /* The rest of that datagram is gone. */
    n = recv(sb, buf, sizeof(buf), 0);
    ok(n == 4 && !memcmp(buf, "next", 4), "datagram after the truncated one: got %d \"%.4s\"", n, buf);

    /* The same through recvfrom. */
    ok(sendto(sa, "abcdefgh", 8, 0, (struct sockaddr *)&b, sizeof(b)) == 8, "sendto 8");
    memset(buf, '.', sizeof(buf));
    len = sizeof(from);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(recvfrom(sb, buf, 3, 0, (struct sockaddr *)&from, &len), SOCKET_ERROR, WSAEMSGSIZE);
    ok(!memcmp(buf, "abc", 3) && buf[3] == '.', "recvfrom truncated \"%.8s\"", buf);

    /* MSG_PEEK of a datagram larger than the buffer also reports WSAEMSGSIZE and keeps it. */
    ok(sendto(sa, "peekaboo", 8, 0, (struct sockaddr *)&b, sizeof(b)) == 8, "sendto peekaboo");
    wait_datagram(sb);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(recv(sb, buf, 4, MSG_PEEK), SOCKET_ERROR, WSAEMSGSIZE);
    ok(!memcmp(buf, "peek", 4), "peeked \"%.4s\"", buf);
    n = recv(sb, buf, sizeof(buf), 0);
    ok(n == 8 && !memcmp(buf, "peekaboo", 8), "datagram kept after peek: got %d", n);

    closesocket(sa);
    closesocket(sb);
}

static void test_fromlen(void)
{
    struct sockaddr_in a, b;
    char addrbuf[1024];
    SOCKET sa, sb;
    char buf[16];
    int n, len;

    sa = tu_udp_socket(&a);
    sb = tu_udp_socket(&b);

    /* A fromlen too small for the address: the address buffer is not written. */
    ok(sendto(sa, "x", 1, 0, (struct sockaddr *)&b, sizeof(b)) == 1, "sendto");
    wait_datagram(sb);
    addrbuf[0] = 'A';
    len = 1;
    n = recvfrom(sb, buf, sizeof(buf), 0, (struct sockaddr *)addrbuf, &len);
#ifdef WS2_URING
    /* Windows fails the call with WSAEFAULT, writes no address and keeps the datagram queued
     * (Windows-validated); Wine 8 receives it and writes the address. */
    ok(addrbuf[0] == 'A', "address buffer written with fromlen 1");
    ok(n == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "fromlen 1: got %d error %d", n,
       WSAGetLastError());
    len = sizeof(addrbuf);
    n = recvfrom(sb, buf, sizeof(buf), 0, (struct sockaddr *)addrbuf, &len);
    ok(n == 1 && buf[0] == 'x', "datagram still queued after WSAEFAULT: got %d", n);
#endif

    /* A large fromlen: only the address is written, fromlen becomes its size. */
    ok(sendto(sa, "y", 1, 0, (struct sockaddr *)&b, sizeof(b)) == 1, "sendto");
    memset(addrbuf, 'B', sizeof(addrbuf));
    len = sizeof(addrbuf);
    n = recvfrom(sb, buf, sizeof(buf), 0, (struct sockaddr *)addrbuf, &len);
    ok(n == 1 && buf[0] == 'y', "recvfrom: got %d", n);
    ok(len == (int)sizeof(struct sockaddr_in), "fromlen %d", len);
#ifdef WS2_URING
    /* Only the 16-byte address is written (Windows-validated for the end of the buffer);
     * Wine 8 writes past it. */
    ok(addrbuf[sizeof(addrbuf) - 1] == 'B', "the end of the address buffer was written");
    ok(addrbuf[sizeof(struct sockaddr_in)] == 'B', "bytes past the address were written");
#endif

    closesocket(sa);
    closesocket(sb);
}

static void test_destinations(void)
{
    struct sockaddr_in b, name, zero;
    SOCKET s, sb;
    int len;

    sb = tu_udp_socket(&b);
    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);

    /* Unbound and unconnected: no name yet. */
    len = sizeof(name);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getsockname(s, (struct sockaddr *)&name, &len), SOCKET_ERROR, WSAEINVAL);

#ifdef WS2_URING
    /* send without a connected peer: WSAENOTCONN (Windows-validated); Wine 8 answers
     * WSAEINVAL. */
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(send(s, "data", 4, 0), SOCKET_ERROR, WSAENOTCONN);
    /* sendto without a destination on an unconnected datagram socket: WSAEDESTADDRREQ
     * (MS docs, sendto: "A destination address is required"); Wine answers WSAENOTCONN. */
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(sendto(s, "data", 4, 0, NULL, 0), SOCKET_ERROR, WSAEDESTADDRREQ);
    /* A destination shorter than a sockaddr_in: WSAEFAULT. */
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(sendto(s, "data", 4, 0, (struct sockaddr *)&b, sizeof(b) - 1), SOCKET_ERROR,
                WSAEFAULT);
    /* The wildcard address is not a destination (MS docs, sendto: WSAEADDRNOTAVAIL). */
    memset(&zero, 0, sizeof(zero));
    zero.sin_family = AF_INET;
    zero.sin_port = b.sin_port;
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(sendto(s, "data", 4, 0, (struct sockaddr *)&zero, sizeof(zero)), SOCKET_ERROR,
                WSAEADDRNOTAVAIL);
#else
    (void)zero;
#endif

#ifdef WS2_URING
    /* Port 0 on loopback is a valid destination (Windows-validated); Wine 8 answers
     * WSAEINVAL. */
    {
        struct sockaddr_in p0 = b;
        p0.sin_port = 0;
        ok(sendto(s, "zero", 4, 0, (struct sockaddr *)&p0, sizeof(p0)) == 4,
           "sendto port 0: error %d", WSAGetLastError());
    }
#endif
    ok(sendto(s, "real", 4, 0, (struct sockaddr *)&b, sizeof(b)) == 4, "sendto: error %d",
       WSAGetLastError());

    /* sendto bound the socket implicitly, to the wildcard address. */
    len = sizeof(name);
    ok(getsockname(s, (struct sockaddr *)&name, &len) == 0, "getsockname after sendto: error %d",
       WSAGetLastError());
    ok(name.sin_family == AF_INET && name.sin_port != 0 && name.sin_addr.s_addr == INADDR_ANY,
       "implicit bind: family %d port %d addr %08x", name.sin_family, ntohs(name.sin_port),
       (unsigned)ntohl(name.sin_addr.s_addr));

    /* Still not connected. */
    len = sizeof(name);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getpeername(s, (struct sockaddr *)&name, &len), SOCKET_ERROR, WSAENOTCONN);
    closesocket(s);
    closesocket(sb);
}

static void test_connected(void)
{
    struct sockaddr_in a, b, c, peer, unspec;
    SOCKET sa, sb, sc;
    char buf[16];
    int n, len;

    sa = tu_udp_socket(&a);
    sb = tu_udp_socket(&b);
    sc = tu_udp_socket(&c);

    ok(connect(sa, (struct sockaddr *)&b, sizeof(b)) == 0, "connect udp: error %d",
       WSAGetLastError());
    len = sizeof(peer);
    ok(getpeername(sa, (struct sockaddr *)&peer, &len) == 0 && !memcmp(&peer, &b, sizeof(b)),
       "getpeername: error %d", WSAGetLastError());
    ok(send(sa, "to-b", 4, 0) == 4, "send on connected udp: error %d", WSAGetLastError());
    n = recv(sb, buf, sizeof(buf), 0);
    ok(n == 4 && !memcmp(buf, "to-b", 4), "peer received %d", n);

    /* A connected datagram socket only receives from its peer. */
    ok(sendto(sc, "from-c", 6, 0, (struct sockaddr *)&a, sizeof(a)) == 6, "sendto from c");
    ok(sendto(sb, "from-b", 6, 0, (struct sockaddr *)&a, sizeof(a)) == 6, "sendto from b");
    n = recv(sa, buf, sizeof(buf), 0);
    ok(n == 6 && !memcmp(buf, "from-b", 6), "connected socket received \"%.6s\" (%d)", buf, n);

    /* sendto with an explicit address on a connected UDP socket sends there. */
    ok(sendto(sa, "expl", 4, 0, (struct sockaddr *)&c, sizeof(c)) == 4,
       "sendto on connected udp: error %d", WSAGetLastError());
    n = recv(sc, buf, sizeof(buf), 0);
    ok(n == 4 && !memcmp(buf, "expl", 4), "explicit destination got %d", n);

    /* Re-connecting moves the association. */
    ok(connect(sa, (struct sockaddr *)&c, sizeof(c)) == 0, "re-connect: error %d",
       WSAGetLastError());
    ok(send(sa, "to-c", 4, 0) == 4, "send after re-connect");
    n = recv(sc, buf, sizeof(buf), 0);
    ok(n == 4 && !memcmp(buf, "to-c", 4), "c received %d", n);

    /* Connecting to AF_UNSPEC dissolves the association. */
    memset(&unspec, 0, sizeof(unspec));
    unspec.sin_family = AF_UNSPEC;
    ok(connect(sa, (struct sockaddr *)&unspec, sizeof(unspec)) == 0, "connect AF_UNSPEC: error %d",
       WSAGetLastError());
    len = sizeof(peer);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getpeername(sa, (struct sockaddr *)&peer, &len), SOCKET_ERROR, WSAENOTCONN);
#ifdef WS2_URING
    /* Wine 8 answers WSAEINVAL. */
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(send(sa, "x", 1, 0), SOCKET_ERROR, WSAENOTCONN);
#endif

    closesocket(sa);
    closesocket(sb);
    closesocket(sc);
}

static void test_unbound_recv(void)
{
#ifdef WS2_URING
    /* recv on a datagram socket that was never bound: WSAEINVAL (Windows-validated; Wine
     * differs). */
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    u_long one = 1;
    char b[4];
    ioctlsocket(s, FIONBIO, &one);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(recv(s, b, sizeof(b), 0), SOCKET_ERROR, WSAEINVAL);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(recvfrom(s, b, sizeof(b), 0, NULL, NULL), SOCKET_ERROR, WSAEINVAL);
    closesocket(s);
#endif
}

static void test_ipv6(void)
{
    struct sockaddr_in6 a, b, from;
    SOCKET sa, sb;
    char buf[16];
    int n, len;

    memset(&a, 0, sizeof(a));
    a.sin6_family = AF_INET6;
    a.sin6_addr.s6_addr[15] = 1;
    b = a;
    sa = socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
    sb = socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
    len = sizeof(a);
    ok(!bind(sa, (struct sockaddr *)&a, sizeof(a)) && !getsockname(sa, (struct sockaddr *)&a, &len),
       "bind a: error %d", WSAGetLastError());
    len = sizeof(b);
    ok(!bind(sb, (struct sockaddr *)&b, sizeof(b)) && !getsockname(sb, (struct sockaddr *)&b, &len),
       "bind b: error %d", WSAGetLastError());

    ok(sendto(sa, "six", 3, 0, (struct sockaddr *)&b, sizeof(b)) == 3, "sendto [::1]: error %d",
       WSAGetLastError());
    memset(&from, 0xcc, sizeof(from));
    len = sizeof(from);
    n = recvfrom(sb, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
    ok(n == 3 && !memcmp(buf, "six", 3), "recvfrom [::1]: got %d error %d", n, WSAGetLastError());
    ok(len == (int)sizeof(struct sockaddr_in6) && from.sin6_family == 23 &&
           from.sin6_port == a.sin6_port && from.sin6_addr.s6_addr[15] == 1 &&
           from.sin6_flowinfo == 0,
       "IPv6 from: len %d family %d port %d", len, from.sin6_family, ntohs(from.sin6_port));

    /* A fromlen that fits a sockaddr_in but not a sockaddr_in6. */
    ok(sendto(sa, "x", 1, 0, (struct sockaddr *)&b, sizeof(b)) == 1, "sendto");
    tu_sleep_ms(20);
#ifdef WS2_URING
    len = sizeof(struct sockaddr_in);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(recvfrom(sb, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len), SOCKET_ERROR,
                WSAEFAULT);
#endif
    closesocket(sa);
    closesocket(sb);
}

int main(void)
{
    tu_startup();
    test_round_trip();
    test_truncation();
    test_fromlen();
    test_destinations();
    test_connected();
    test_unbound_recv();
    test_ipv6();
    tu_check_tcp_pair();
    WSACleanup();
    return test_done();
}
