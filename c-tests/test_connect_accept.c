/* connect and accept: connection refused (also to a port only UDP uses), WSAEISCONN, a listening
 * socket cannot connect, name validation (WSAEFAULT), the wildcard address, accept on sockets
 * that do not listen, the peer address accept returns (IPv4 and IPv6), NULL and short address
 * buffers. */
#include "testutil.h"

static void test_refused(void)
{
    struct sockaddr_in a;
    SOCKET s, udp;

    a = tu_lo4(tu_unused_port(SOCK_STREAM, NULL));
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(connect(s, (struct sockaddr *)&a, sizeof(a)), SOCKET_ERROR, WSAECONNREFUSED);
    /* A refused socket is not connected. */
    {
        struct sockaddr_in p;
        int len = sizeof(p);
        WSASetLastError(0xdeadbeef);
        ok_wsa_fail(getpeername(s, (struct sockaddr *)&p, &len), SOCKET_ERROR, WSAENOTCONN);
    }
    closesocket(s);

    /* A port only a UDP socket uses refuses TCP. */
    a = tu_lo4(tu_unused_port(SOCK_DGRAM, &udp));
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(connect(s, (struct sockaddr *)&a, sizeof(a)), SOCKET_ERROR, WSAECONNREFUSED);
    closesocket(s);
    closesocket(udp);

    /* A bound but not listening TCP port refuses too. */
    a = tu_lo4(tu_unused_port(SOCK_STREAM, &udp));
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(connect(s, (struct sockaddr *)&a, sizeof(a)), SOCKET_ERROR, WSAECONNREFUSED);
    closesocket(s);
    closesocket(udp);
}

static void test_connect_states(void)
{
    struct sockaddr_in la, other;
    SOCKET l, c, srv, l2;
    int len;

    l = tu_listener(&la);

    /* A listening socket cannot connect. */
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(connect(l, (struct sockaddr *)&la, sizeof(la)), SOCKET_ERROR, WSAEINVAL);

    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSASetLastError(0xdeadbeef);
    ok(connect(c, (struct sockaddr *)&la, sizeof(la)) == 0, "connect: error %d", WSAGetLastError());
    srv = accept(l, NULL, NULL);
    ok(srv != INVALID_SOCKET, "accept: error %d", WSAGetLastError());

    /* Connecting again, to the same or another address: WSAEISCONN on either end. */
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(connect(c, (struct sockaddr *)&la, sizeof(la)), SOCKET_ERROR, WSAEISCONN);
    l2 = tu_listener(&other);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(connect(c, (struct sockaddr *)&other, sizeof(other)), SOCKET_ERROR, WSAEISCONN);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(connect(srv, (struct sockaddr *)&other, sizeof(other)), SOCKET_ERROR, WSAEISCONN);
    /* A connected socket cannot be bound. */
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(bind(c, (struct sockaddr *)&other, sizeof(other)), SOCKET_ERROR, WSAEINVAL);

    /* connect gave the client an implicit local address. */
    {
        struct sockaddr_in local;
        len = sizeof(local);
        ok(getsockname(c, (struct sockaddr *)&local, &len) == 0 && local.sin_port != 0 &&
               local.sin_addr.s_addr == htonl(INADDR_LOOPBACK),
           "implicit bind: port %d addr %08x error %d", ntohs(local.sin_port),
           (unsigned)ntohl(local.sin_addr.s_addr), WSAGetLastError());
    }
    closesocket(srv);
    closesocket(c);

    /* A client bound to a chosen local port keeps it. */
    {
        struct sockaddr_in local = tu_lo4(tu_unused_port(SOCK_STREAM, NULL)), got, peer;
        c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        ok(bind(c, (struct sockaddr *)&local, sizeof(local)) == 0, "bind client: error %d",
           WSAGetLastError());
        ok(connect(c, (struct sockaddr *)&la, sizeof(la)) == 0, "connect bound client: error %d",
           WSAGetLastError());
        len = sizeof(peer);
        srv = accept(l, (struct sockaddr *)&peer, &len);
        ok(srv != INVALID_SOCKET, "accept: error %d", WSAGetLastError());
        len = sizeof(got);
        ok(getsockname(c, (struct sockaddr *)&got, &len) == 0 && got.sin_port == local.sin_port,
           "client port %d, bound %d", ntohs(got.sin_port), ntohs(local.sin_port));
        ok(peer.sin_port == local.sin_port, "accept saw port %d, want %d", ntohs(peer.sin_port),
           ntohs(local.sin_port));
        closesocket(srv);
        closesocket(c);
    }

    closesocket(l2);
    closesocket(l);
}

static void test_connect_names(void)
{
    struct sockaddr_in la, a;
    SOCKADDR_STORAGE ss;
    SOCKET l, c, srv;

    l = tu_listener(&la);
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

#ifdef WS2_URING
    /* Name validation happens before any connection attempt and leaves the socket usable.
     * Wine 8 does not validate (a NULL name crashes it, short lengths reach the kernel and a
     * wildcard destination is connected to like loopback), so these run on our side only. */
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(connect(c, NULL, sizeof(la)), SOCKET_ERROR, WSAEFAULT);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(connect(c, (struct sockaddr *)&la, 0), SOCKET_ERROR, WSAEFAULT);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(connect(c, (struct sockaddr *)&la, sizeof(la) - 1), SOCKET_ERROR, WSAEFAULT);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(connect(c, (struct sockaddr *)&la, 4), SOCKET_ERROR, WSAEFAULT);

    /* The wildcard address is not a destination (MS docs, connect: WSAEADDRNOTAVAIL for
     * INADDR_ANY), with port 0 or a listening port. */
    a = tu_lo4(0);
    a.sin_addr.s_addr = htonl(INADDR_ANY);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(connect(c, (struct sockaddr *)&a, sizeof(a)), SOCKET_ERROR, WSAEADDRNOTAVAIL);
    a.sin_port = la.sin_port;
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(connect(c, (struct sockaddr *)&a, sizeof(a)), SOCKET_ERROR, WSAEADDRNOTAVAIL);
#else
    (void)a;
#endif

    /* A name buffer longer than sockaddr_in is fine. */
    memset(&ss, 0, sizeof(ss));
    memcpy(&ss, &la, sizeof(la));
    ok(connect(c, (struct sockaddr *)&ss, sizeof(ss)) == 0, "connect with a long name: error %d",
       WSAGetLastError());
    srv = accept(l, NULL, NULL);
    ok(srv != INVALID_SOCKET, "accept: error %d", WSAGetLastError());
    closesocket(srv);
    closesocket(c);
    closesocket(l);
}

static void test_accept_args(void)
{
    struct sockaddr_in la, ca, pa;
    SOCKADDR_STORAGE ss, empty;
    SOCKET l, c, srv, u;
    int len;

    l = tu_listener(&la);

    /* accept needs a listening stream socket. */
    u = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(accept(u, NULL, NULL), INVALID_SOCKET, WSAEINVAL);
    {
        struct sockaddr_in b = tu_lo4(0);
        bind(u, (struct sockaddr *)&b, sizeof(b));
    }
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(accept(u, NULL, NULL), INVALID_SOCKET, WSAEINVAL);
    closesocket(u);
    u = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(accept(u, NULL, NULL), INVALID_SOCKET, WSAEOPNOTSUPP);
    closesocket(u);

    /* The peer address, with a large buffer: the length becomes sizeof(sockaddr_in). */
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(connect(c, (struct sockaddr *)&la, sizeof(la)) == 0, "connect: error %d", WSAGetLastError());
    len = sizeof(ca);
    getsockname(c, (struct sockaddr *)&ca, &len);
    memset(&ss, 0xcc, sizeof(ss));
    len = sizeof(ss);
    WSASetLastError(0xdeadbeef);
    srv = accept(l, (struct sockaddr *)&ss, &len);
    ok(srv != INVALID_SOCKET, "accept: error %d", WSAGetLastError());
    ok(srv != 0 && srv != l && srv != c, "accepted handle %llu", (unsigned long long)srv);
    ok(len == (int)sizeof(struct sockaddr_in), "address length %d", len);
    memcpy(&pa, &ss, sizeof(pa));
    ok(pa.sin_family == AF_INET && pa.sin_port == ca.sin_port &&
           pa.sin_addr.s_addr == htonl(INADDR_LOOPBACK),
       "peer family %d port %d (client %d) addr %08x", pa.sin_family, ntohs(pa.sin_port),
       ntohs(ca.sin_port), (unsigned)ntohl(pa.sin_addr.s_addr));
    /* The accepted socket's names mirror the client's. */
    len = sizeof(pa);
    ok(getpeername(srv, (struct sockaddr *)&pa, &len) == 0 && pa.sin_port == ca.sin_port,
       "getpeername(accepted): port %d error %d", ntohs(pa.sin_port), WSAGetLastError());
    len = sizeof(pa);
    ok(getsockname(srv, (struct sockaddr *)&pa, &len) == 0 && pa.sin_port == la.sin_port,
       "getsockname(accepted): port %d error %d", ntohs(pa.sin_port), WSAGetLastError());
    closesocket(srv);
    closesocket(c);

    /* NULL address and length. */
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    connect(c, (struct sockaddr *)&la, sizeof(la));
    srv = accept(l, NULL, NULL);
    ok(srv != INVALID_SOCKET, "accept(NULL, NULL): error %d", WSAGetLastError());
    closesocket(srv);
    closesocket(c);

    /* An address buffer without a length: accepted, the buffer untouched. */
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    connect(c, (struct sockaddr *)&la, sizeof(la));
    memset(&ss, 0, sizeof(ss));
    memset(&empty, 0, sizeof(empty));
    srv = accept(l, (struct sockaddr *)&ss, NULL);
    ok(srv != INVALID_SOCKET, "accept(addr, NULL): error %d", WSAGetLastError());
    ok(!memcmp(&ss, &empty, sizeof(ss)), "accept(addr, NULL) wrote the address");
    closesocket(srv);
    closesocket(c);

    /* A zero length: WSAEFAULT, the length unchanged. */
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    connect(c, (struct sockaddr *)&la, sizeof(la));
    len = 0;
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(accept(l, (struct sockaddr *)&ss, &len), INVALID_SOCKET, WSAEFAULT);
    ok(len == 0, "length after WSAEFAULT: %d", len);
    closesocket(c);

    closesocket(l);
}

static void test_accept_v6(void)
{
    struct sockaddr_in6 la, pa, ca;
    SOCKET l, c, srv;
    int len;

    l = tu_listener6(&la);
    c = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    ok(connect(c, (struct sockaddr *)&la, sizeof(la)) == 0, "connect [::1]: error %d",
       WSAGetLastError());
    len = sizeof(ca);
    getsockname(c, (struct sockaddr *)&ca, &len);

    memset(&pa, 0xcc, sizeof(pa));
    len = sizeof(pa);
    srv = accept(l, (struct sockaddr *)&pa, &len);
    ok(srv != INVALID_SOCKET, "accept AF_INET6: error %d", WSAGetLastError());
    ok(len == (int)sizeof(struct sockaddr_in6), "AF_INET6 peer length %d", len);
    ok(pa.sin6_family == 23 && pa.sin6_port == ca.sin6_port && pa.sin6_addr.s6_addr[15] == 1 &&
           pa.sin6_flowinfo == 0,
       "AF_INET6 peer family %d port %d flowinfo %u", pa.sin6_family, ntohs(pa.sin6_port),
       (unsigned)pa.sin6_flowinfo);
    closesocket(srv);
    closesocket(c);

    /* A sockaddr_in-sized buffer is too small for an AF_INET6 peer. */
    c = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    connect(c, (struct sockaddr *)&la, sizeof(la));
    len = sizeof(struct sockaddr_in);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(accept(l, (struct sockaddr *)&pa, &len), INVALID_SOCKET, WSAEFAULT);
    closesocket(c);
    closesocket(l);
}

/* Connect to an AF_INET6 listener from an AF_INET6 client through getaddrinfo-free names, and
 * an AF_INET socket to an AF_INET6 address. */
static void test_connect_family(void)
{
#ifdef WS2_URING
    /* WSAEAFNOSUPPORT ("An address incompatible with the requested protocol was used") is the
     * Windows answer for a destination of the other family; Wine 8 answers differently. */
    struct sockaddr_in6 a6;
    SOCKET c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(&a6, 0, sizeof(a6));
    a6.sin6_family = AF_INET6;
    a6.sin6_addr.s6_addr[15] = 1;
    a6.sin6_port = htons(9);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(connect(c, (struct sockaddr *)&a6, sizeof(a6)), SOCKET_ERROR, WSAEAFNOSUPPORT);
    closesocket(c);
#endif
}

int main(void)
{
    tu_startup();
    test_refused();
    test_connect_states();
    test_connect_names();
    test_accept_args();
    test_accept_v6();
    test_connect_family();
    tu_check_tcp_pair();
    WSACleanup();
    return test_done();
}
