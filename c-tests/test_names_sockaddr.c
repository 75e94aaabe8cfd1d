/* getsockname / getpeername: unbound and unconnected sockets, argument validation order, short
 * and long buffers (namelen kept on WSAEFAULT, set to the address size on success), zeroed
 * sin_zero, IPv6 names (family 23, 28 bytes), UDP peers. */
#include "testutil.h"

static void test_getsockname_v4(void)
{
    static const unsigned char zeros[8] = {0};
    struct sockaddr_in set = tu_addr4(INADDR_ANY, 0), get;
    SOCKADDR_STORAGE big;
    SOCKET s;
    int len, r;

    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

    /* Unbound: WSAEINVAL, nothing written. */
    get = set;
    len = sizeof(get);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getsockname(s, (struct sockaddr *)&get, &len), SOCKET_ERROR, WSAEINVAL);
    ok(!memcmp(&get, &set, sizeof(get)), "unbound getsockname changed the buffer");

    ok(bind(s, (struct sockaddr *)&set, sizeof(set)) == 0, "bind: error %d", WSAGetLastError());

    memset(&get, 0xcc, sizeof(get));
    len = sizeof(get);
    WSASetLastError(0xdeadbeef);
    r = getsockname(s, (struct sockaddr *)&get, &len);
    ok(r == 0 && WSAGetLastError() == 0, "getsockname: got %d error %d", r, WSAGetLastError());
    ok(len == (int)sizeof(struct sockaddr_in), "namelen %d", len);
    ok(get.sin_family == AF_INET && get.sin_port != 0 && get.sin_addr.s_addr == INADDR_ANY,
       "name family %d port %d addr %08x", get.sin_family, ntohs(get.sin_port),
       (unsigned)get.sin_addr.s_addr);
    ok(!memcmp(get.sin_zero, zeros, 8), "sin_zero not zeroed");

    /* One byte short: WSAEFAULT, namelen unchanged. */
    len = sizeof(get) - 1;
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getsockname(s, (struct sockaddr *)&get, &len), SOCKET_ERROR, WSAEFAULT);
    ok(len == (int)sizeof(get) - 1, "namelen after WSAEFAULT: %d", len);
    len = 0;
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getsockname(s, (struct sockaddr *)&get, &len), SOCKET_ERROR, WSAEFAULT);
    ok(len == 0, "namelen 0 after WSAEFAULT: %d", len);

    /* A larger buffer: namelen becomes 16, the rest is not written. */
    memset(&big, 0xcc, sizeof(big));
    len = sizeof(big);
    ok(getsockname(s, (struct sockaddr *)&big, &len) == 0, "getsockname(storage): error %d",
       WSAGetLastError());
    ok(len == (int)sizeof(struct sockaddr_in), "namelen with a large buffer: %d", len);
    ok(((unsigned char *)&big)[sizeof(struct sockaddr_in)] == 0xcc &&
           ((unsigned char *)&big)[sizeof(big) - 1] == 0xcc,
       "bytes past the name were written");

    /* NULL arguments: WSAEFAULT. */
    len = sizeof(get);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getsockname(s, NULL, &len), SOCKET_ERROR, WSAEFAULT);
#ifdef WS2_URING
    /* Wine 8 dereferences a NULL namelen and crashes. */
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getsockname(s, (struct sockaddr *)&get, NULL), SOCKET_ERROR, WSAEFAULT);
#endif
    closesocket(s);

    /* A specific address reads back as bound. */
    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    set = tu_addr4(INADDR_LOOPBACK, 0);
    WSASetLastError(0xdeadbeef);
    len = sizeof(get);
    ok_wsa_fail(getsockname(s, (struct sockaddr *)&get, &len), SOCKET_ERROR, WSAEINVAL);
    ok(bind(s, (struct sockaddr *)&set, sizeof(set)) == 0, "bind udp: error %d", WSAGetLastError());
    len = sizeof(get);
    ok(getsockname(s, (struct sockaddr *)&get, &len) == 0 &&
           get.sin_addr.s_addr == htonl(INADDR_LOOPBACK) && get.sin_port != 0,
       "udp name %08x:%d error %d", (unsigned)ntohl(get.sin_addr.s_addr), ntohs(get.sin_port),
       WSAGetLastError());
    closesocket(s);
}

static void test_getsockname_v6(void)
{
    struct sockaddr_in6 set, get;
    SOCKET s;
    int len;

    memset(&set, 0, sizeof(set));
    set.sin6_family = AF_INET6;
    set.sin6_addr.s6_addr[15] = 1;
    s = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    len = sizeof(get);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getsockname(s, (struct sockaddr *)&get, &len), SOCKET_ERROR, WSAEINVAL);
    ok(bind(s, (struct sockaddr *)&set, sizeof(set)) == 0, "bind [::1]: error %d",
       WSAGetLastError());

    memset(&get, 0xcc, sizeof(get));
    len = sizeof(get);
    ok(getsockname(s, (struct sockaddr *)&get, &len) == 0, "getsockname: error %d",
       WSAGetLastError());
    ok(len == 28 && (int)sizeof(struct sockaddr_in6) == 28, "AF_INET6 namelen %d", len);
    ok(get.sin6_family == 23, "AF_INET6 family %d", get.sin6_family);
    ok(get.sin6_port != 0 && !memcmp(&get.sin6_addr, &set.sin6_addr, 16), "AF_INET6 port %d",
       ntohs(get.sin6_port));
    ok(get.sin6_flowinfo == 0 && get.sin6_scope_id == 0, "flowinfo %u scope %u",
       (unsigned)get.sin6_flowinfo, (unsigned)get.sin6_scope_id);

    /* The old 24-byte sockaddr_in6 and a sockaddr_in are too short. */
    len = 24;
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getsockname(s, (struct sockaddr *)&get, &len), SOCKET_ERROR, WSAEFAULT);
    ok(len == 24, "namelen after WSAEFAULT: %d", len);
    len = sizeof(struct sockaddr_in);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getsockname(s, (struct sockaddr *)&get, &len), SOCKET_ERROR, WSAEFAULT);
    closesocket(s);
}

static void test_getpeername_args(void)
{
    struct sockaddr_in sa = tu_addr4(INADDR_LOOPBACK, 139), out;
    SOCKADDR_STORAGE ss;
    SOCKET s;
    int len;

    /* The socket is checked first. */
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getpeername(INVALID_SOCKET, NULL, NULL), SOCKET_ERROR, WSAENOTSOCK);

    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    /* Then the connection (Windows-validated; Wine 8 checks the buffers first). */
#ifdef WS2_URING
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getpeername(s, NULL, NULL), SOCKET_ERROR, WSAENOTCONN);
#endif
    len = sizeof(out);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getpeername(s, (struct sockaddr *)&out, &len), SOCKET_ERROR, WSAENOTCONN);
    /* sendto does not connect. */
    ok(sendto(s, "hi", 2, 0, (struct sockaddr *)&sa, sizeof(sa)) == 2, "sendto: error %d",
       WSAGetLastError());
#ifdef WS2_URING
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getpeername(s, NULL, NULL), SOCKET_ERROR, WSAENOTCONN);
#endif
    len = sizeof(out);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getpeername(s, (struct sockaddr *)&out, &len), SOCKET_ERROR, WSAENOTCONN);

    ok(connect(s, (struct sockaddr *)&sa, sizeof(sa)) == 0, "connect udp: error %d",
       WSAGetLastError());
    /* Then the buffers. */
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getpeername(s, NULL, NULL), SOCKET_ERROR, WSAEFAULT);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getpeername(s, (struct sockaddr *)&out, NULL), SOCKET_ERROR, WSAEFAULT);
    len = 0;
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getpeername(s, NULL, &len), SOCKET_ERROR, WSAEFAULT);
    ok(len == 0, "namelen after WSAEFAULT: %d", len);
    len = 0;
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getpeername(s, (struct sockaddr *)&ss, &len), SOCKET_ERROR, WSAEFAULT);
    ok(len == 0, "namelen after WSAEFAULT: %d", len);
    len = sizeof(struct sockaddr_in) - 1;
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getpeername(s, (struct sockaddr *)&ss, &len), SOCKET_ERROR, WSAEFAULT);
    ok(len == (int)sizeof(struct sockaddr_in) - 1, "namelen after WSAEFAULT: %d", len);

    len = sizeof(ss);
    WSASetLastError(0xdeadbeef);
    ok(getpeername(s, (struct sockaddr *)&ss, &len) == 0, "getpeername: error %d",
       WSAGetLastError());
    ok(!memcmp(&sa, &ss, sizeof(sa)), "peer differs from the connect address");
    ok(len == (int)sizeof(sa), "namelen %d", len);
    closesocket(s);
}

static void test_getpeername_tcp(void)
{
    struct sockaddr_in la = tu_addr4(INADDR_LOOPBACK, 0), ca, p;
    SOCKET l, c, srv;
    int len;

    l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    len = sizeof(p);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getpeername(l, (struct sockaddr *)&p, &len), SOCKET_ERROR, WSAENOTCONN);
    len = sizeof(la);
    ok(!bind(l, (struct sockaddr *)&la, sizeof(la)) && !listen(l, 1) &&
           !getsockname(l, (struct sockaddr *)&la, &len),
       "listener: error %d", WSAGetLastError());
    len = sizeof(p);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getpeername(l, (struct sockaddr *)&p, &len), SOCKET_ERROR, WSAENOTCONN);

    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(connect(c, (struct sockaddr *)&la, sizeof(la)) == 0, "connect: error %d", WSAGetLastError());
    srv = accept(l, NULL, NULL);
    len = sizeof(ca);
    getsockname(c, (struct sockaddr *)&ca, &len);

    len = sizeof(p);
    WSASetLastError(0xdeadbeef);
    ok(getpeername(c, (struct sockaddr *)&p, &len) == 0 && WSAGetLastError() == 0,
       "getpeername(client): error %d", WSAGetLastError());
    ok(len == 16 && !memcmp(&p, &la, sizeof(p)), "client's peer is the listener address");
    len = sizeof(p);
    ok(getpeername(srv, (struct sockaddr *)&p, &len) == 0 && !memcmp(&p, &ca, sizeof(p)),
       "server's peer is the client's name: error %d", WSAGetLastError());
    len = sizeof(p);
    ok(getsockname(srv, (struct sockaddr *)&p, &len) == 0 && !memcmp(&p, &la, sizeof(p)),
       "server's name is the listener's: error %d", WSAGetLastError());

    len = 8;
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getpeername(c, (struct sockaddr *)&p, &len), SOCKET_ERROR, WSAEFAULT);
    ok(len == 8, "namelen after WSAEFAULT: %d", len);

    closesocket(srv);
    closesocket(c);
    closesocket(l);
}

static void test_getpeername_v6(void)
{
    struct sockaddr_in6 la, ca, p;
    SOCKET l, c, srv;
    int len;

    l = tu_listener6(&la);
    c = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    ok(connect(c, (struct sockaddr *)&la, sizeof(la)) == 0, "connect [::1]: error %d",
       WSAGetLastError());
    srv = accept(l, NULL, NULL);
    len = sizeof(ca);
    ok(getsockname(c, (struct sockaddr *)&ca, &len) == 0 && len == 28 && ca.sin6_family == 23,
       "client name len %d family %d", len, ca.sin6_family);

    memset(&p, 0xcc, sizeof(p));
    len = sizeof(p);
    ok(getpeername(srv, (struct sockaddr *)&p, &len) == 0, "getpeername: error %d",
       WSAGetLastError());
    ok(len == 28 && p.sin6_family == 23 && p.sin6_port == ca.sin6_port &&
           !memcmp(&p.sin6_addr, &la.sin6_addr, 16),
       "AF_INET6 peer len %d family %d port %d", len, p.sin6_family, ntohs(p.sin6_port));
    len = 24;
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getpeername(srv, (struct sockaddr *)&p, &len), SOCKET_ERROR, WSAEFAULT);
    closesocket(srv);
    closesocket(c);
    closesocket(l);
}

int main(void)
{
    tu_startup();
    test_getsockname_v4();
    test_getsockname_v6();
    test_getpeername_args();
    test_getpeername_tcp();
    test_getpeername_v6();
    tu_check_tcp_pair();
    WSACleanup();
    return test_done();
}
