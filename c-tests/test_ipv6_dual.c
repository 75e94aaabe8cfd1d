/* IPv6 on loopback and dual-stack sockets: TCP and UDP round trips over [::1] with the addresses
 * accept/getpeername/getsockname/recvfrom report (family 23, 28 bytes, scope id 0); a dual-stack
 * listener ([::], IPV6_V6ONLY 0 before bind) accepting an IPv4 client, whose address it reports
 * as the IPv4-mapped ::ffff:127.0.0.1; an IPv6-only listener (the default) refusing an IPv4
 * client; an IPv6 socket reaching an IPv4 listener or UDP socket through ::ffff:127.0.0.1 only
 * when IPV6_V6ONLY is 0. */
#include "testutil.h"

static const unsigned char loop6[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
static const unsigned char mapped_loop[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1};

static void set_v6only(SOCKET s, int v)
{
    int got = -1, len = sizeof(got);
    ok(setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, (char *)&v, sizeof(v)) == 0,
       "setsockopt(IPV6_V6ONLY, %d): error %d", v, WSAGetLastError());
    got = 0;
    ok(getsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, (char *)&got, &len) == 0 && got == v,
       "IPV6_V6ONLY reads %d after setting %d (error %d)", got, v, WSAGetLastError());
}

/* A name returned in a SOCKADDR_STORAGE: AF_INET6 (23), 28 bytes, the given address and port,
 * flowinfo and scope id 0. */
static void check_name6(const char *what, const SOCKADDR_STORAGE *st, int len,
                        const unsigned char *bytes, u_short port_net)
{
    const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)st;
    ok(len == 28 && len == (int)sizeof(struct sockaddr_in6), "%s: length %d, want 28", what, len);
    ok(a->sin6_family == 23, "%s: family %d, want 23", what, a->sin6_family);
    ok(!memcmp(a->sin6_addr.s6_addr, bytes, 16), "%s: address differs (byte 10 %02x, 15 %02x)",
       what, a->sin6_addr.s6_addr[10], a->sin6_addr.s6_addr[15]);
    ok(a->sin6_port == port_net, "%s: port %d, want %d", what, ntohs(a->sin6_port), ntohs(port_net));
    ok(a->sin6_flowinfo == 0 && a->sin6_scope_id == 0, "%s: flowinfo %u scope id %u", what,
       (unsigned)a->sin6_flowinfo, (unsigned)a->sin6_scope_id);
}

static void check_name4(const char *what, const SOCKADDR_STORAGE *st, int len, u_short port_net)
{
    const struct sockaddr_in *a = (const struct sockaddr_in *)st;
    ok(len == 16, "%s: length %d, want 16", what, len);
    ok(a->sin_family == AF_INET && a->sin_addr.s_addr == htonl(INADDR_LOOPBACK) &&
           a->sin_port == port_net,
       "%s: family %d addr %08x port %d, want 2 7f000001 %d", what, a->sin_family,
       (unsigned)ntohl(a->sin_addr.s_addr), ntohs(a->sin_port), ntohs(port_net));
}

static u_short local_port(SOCKET s)
{
    SOCKADDR_STORAGE st;
    int len = sizeof(st);
    memset(&st, 0, sizeof(st));
    ok(getsockname(s, (struct sockaddr *)&st, &len) == 0, "getsockname: error %d", WSAGetLastError());
    /* sin_port and sin6_port are at the same offset. */
    return ((struct sockaddr_in *)&st)->sin_port;
}

static void exchange(SOCKET a, SOCKET b, const char *what)
{
    char buf[32];
    int n;
    ok(send(a, "ping6", 5, 0) == 5, "%s: send a->b error %d", what, WSAGetLastError());
    n = recv(b, buf, sizeof(buf), 0);
    ok(n == 5 && !memcmp(buf, "ping6", 5), "%s: recv on b got %d error %d", what, n, WSAGetLastError());
    ok(send(b, "pong!!", 6, 0) == 6, "%s: send b->a error %d", what, WSAGetLastError());
    n = recv(a, buf, sizeof(buf), 0);
    ok(n == 6 && !memcmp(buf, "pong!!", 6), "%s: recv on a got %d error %d", what, n, WSAGetLastError());
}

static SOCKET listener6(const unsigned char *bytes, int v6only, u_short *port_net)
{
    struct sockaddr_in6 a = tu_addr6(bytes, 0);
    SOCKET l = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    ok(l != INVALID_SOCKET, "AF_INET6 socket: error %d", WSAGetLastError());
    if (v6only >= 0)
        set_v6only(l, v6only);
    ok(bind(l, (struct sockaddr *)&a, sizeof(a)) == 0, "bind AF_INET6: error %d", WSAGetLastError());
    ok(listen(l, 4) == 0, "listen AF_INET6: error %d", WSAGetLastError());
    *port_net = local_port(l);
    return l;
}

static void test_tcp_loopback6(void)
{
    SOCKADDR_STORAGE st;
    u_short lport, cport;
    SOCKET l, c, s;
    struct sockaddr_in6 dst;
    int len, v = -1;

    l = listener6(loop6, -1, &lport);
    /* IPv6 sockets are IPv6-only unless told otherwise. */
    len = sizeof(v);
    v = 0;
    ok(getsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, (char *)&v, &len) == 0 && v == 1,
       "IPV6_V6ONLY default %d, want 1", v);

    memset(&st, 0xcc, sizeof(st));
    len = sizeof(st);
    ok(getsockname(l, (struct sockaddr *)&st, &len) == 0, "getsockname listener: error %d",
       WSAGetLastError());
    check_name6("listener name", &st, len, loop6, lport);

    c = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    dst = tu_addr6(loop6, lport);
    WSASetLastError(0xdeadbeef);
    ok(connect(c, (struct sockaddr *)&dst, sizeof(dst)) == 0, "connect [::1]: error %d",
       WSAGetLastError());
    cport = local_port(c);
    ok(cport != 0, "client port 0");

    memset(&st, 0xcc, sizeof(st));
    len = sizeof(st);
    s = accept(l, (struct sockaddr *)&st, &len);
    ok(s != INVALID_SOCKET, "accept [::1]: error %d", WSAGetLastError());
    check_name6("accept peer", &st, len, loop6, cport);

    memset(&st, 0xcc, sizeof(st));
    len = sizeof(st);
    ok(getpeername(s, (struct sockaddr *)&st, &len) == 0, "getpeername server: error %d",
       WSAGetLastError());
    check_name6("server getpeername", &st, len, loop6, cport);

    memset(&st, 0xcc, sizeof(st));
    len = sizeof(st);
    ok(getsockname(s, (struct sockaddr *)&st, &len) == 0, "getsockname server: error %d",
       WSAGetLastError());
    check_name6("server getsockname", &st, len, loop6, lport);

    memset(&st, 0xcc, sizeof(st));
    len = sizeof(st);
    ok(getpeername(c, (struct sockaddr *)&st, &len) == 0, "getpeername client: error %d",
       WSAGetLastError());
    check_name6("client getpeername", &st, len, loop6, lport);

    memset(&st, 0xcc, sizeof(st));
    len = sizeof(st);
    ok(getsockname(c, (struct sockaddr *)&st, &len) == 0, "getsockname client: error %d",
       WSAGetLastError());
    check_name6("client getsockname", &st, len, loop6, cport);

    exchange(c, s, "tcp [::1]");
    closesocket(s);
    closesocket(c);
    closesocket(l);
}

static SOCKET udp6(const unsigned char *bytes, int v6only, u_short *port_net)
{
    struct sockaddr_in6 a = tu_addr6(bytes, 0);
    SOCKET u = socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
    ok(u != INVALID_SOCKET, "AF_INET6 UDP socket: error %d", WSAGetLastError());
    if (v6only >= 0)
        set_v6only(u, v6only);
    ok(bind(u, (struct sockaddr *)&a, sizeof(a)) == 0, "bind UDP AF_INET6: error %d",
       WSAGetLastError());
    *port_net = local_port(u);
    return u;
}

static void test_udp_loopback6(void)
{
    SOCKADDR_STORAGE st;
    struct sockaddr_in6 dst;
    u_short pa, pb;
    SOCKET a, b;
    char buf[32];
    int n, len;

    a = udp6(loop6, -1, &pa);
    b = udp6(loop6, -1, &pb);

    dst = tu_addr6(loop6, pb);
    ok(sendto(a, "dgram6", 6, 0, (struct sockaddr *)&dst, sizeof(dst)) == 6,
       "sendto [::1]: error %d", WSAGetLastError());
    memset(&st, 0xcc, sizeof(st));
    len = sizeof(st);
    n = recvfrom(b, buf, sizeof(buf), 0, (struct sockaddr *)&st, &len);
    ok(n == 6 && !memcmp(buf, "dgram6", 6), "recvfrom [::1]: got %d error %d", n, WSAGetLastError());
    check_name6("recvfrom [::1]", &st, len, loop6, pa);

    /* Reply to the address recvfrom gave. */
    ok(sendto(b, "reply", 5, 0, (struct sockaddr *)&st, len) == 5, "sendto reply: error %d",
       WSAGetLastError());
    memset(&st, 0xcc, sizeof(st));
    len = sizeof(st);
    n = recvfrom(a, buf, sizeof(buf), 0, (struct sockaddr *)&st, &len);
    ok(n == 5 && !memcmp(buf, "reply", 5), "recvfrom reply: got %d error %d", n, WSAGetLastError());
    check_name6("recvfrom reply", &st, len, loop6, pb);

    /* A connected IPv6 UDP socket reports its peer the same way. */
    ok(connect(a, (struct sockaddr *)&dst, sizeof(dst)) == 0, "connect UDP [::1]: error %d",
       WSAGetLastError());
    memset(&st, 0xcc, sizeof(st));
    len = sizeof(st);
    ok(getpeername(a, (struct sockaddr *)&st, &len) == 0, "getpeername UDP: error %d",
       WSAGetLastError());
    check_name6("UDP getpeername", &st, len, loop6, pb);
    ok(send(a, "conn", 4, 0) == 4, "send connected UDP: error %d", WSAGetLastError());
    n = recv(b, buf, sizeof(buf), 0);
    ok(n == 4 && !memcmp(buf, "conn", 4), "recv connected UDP: got %d", n);

    closesocket(a);
    closesocket(b);
}

/* [::] with IPV6_V6ONLY 0: IPv4 clients are accepted and reported as ::ffff:127.0.0.1. */
static void test_dual_stack_listener(void)
{
    SOCKADDR_STORAGE st;
    struct sockaddr_in dst4;
    struct sockaddr_in6 dst6;
    u_short lport, cport;
    SOCKET l, c, s;
    int len;

    l = listener6(in6addr_any.s6_addr, 0, &lport);

    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    dst4 = tu_lo4(lport);
    WSASetLastError(0xdeadbeef);
    ok(connect(c, (struct sockaddr *)&dst4, sizeof(dst4)) == 0,
       "IPv4 connect to a dual-stack listener: error %d", WSAGetLastError());
    cport = local_port(c);

    memset(&st, 0xcc, sizeof(st));
    len = sizeof(st);
    s = accept(l, (struct sockaddr *)&st, &len);
    ok(s != INVALID_SOCKET, "accept IPv4 client on [::]: error %d", WSAGetLastError());
    check_name6("dual-stack accept peer", &st, len, mapped_loop, cport);

    memset(&st, 0xcc, sizeof(st));
    len = sizeof(st);
    ok(getpeername(s, (struct sockaddr *)&st, &len) == 0, "getpeername accepted: error %d",
       WSAGetLastError());
    check_name6("dual-stack accepted getpeername", &st, len, mapped_loop, cport);

    memset(&st, 0xcc, sizeof(st));
    len = sizeof(st);
    ok(getsockname(s, (struct sockaddr *)&st, &len) == 0, "getsockname accepted: error %d",
       WSAGetLastError());
    check_name6("dual-stack accepted getsockname", &st, len, mapped_loop, lport);

    /* The IPv4 client sees a plain IPv4 peer. */
    memset(&st, 0xcc, sizeof(st));
    len = sizeof(st);
    ok(getpeername(c, (struct sockaddr *)&st, &len) == 0, "getpeername IPv4 client: error %d",
       WSAGetLastError());
    check_name4("IPv4 client getpeername", &st, len, lport);

    exchange(c, s, "IPv4 client on a dual-stack listener");
    closesocket(s);
    closesocket(c);

    /* The same listener still takes IPv6 clients. */
    c = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    dst6 = tu_addr6(loop6, lport);
    ok(connect(c, (struct sockaddr *)&dst6, sizeof(dst6)) == 0,
       "IPv6 connect to a dual-stack listener: error %d", WSAGetLastError());
    cport = local_port(c);
    memset(&st, 0xcc, sizeof(st));
    len = sizeof(st);
    s = accept(l, (struct sockaddr *)&st, &len);
    ok(s != INVALID_SOCKET, "accept IPv6 client on [::]: error %d", WSAGetLastError());
    check_name6("dual-stack accept IPv6 peer", &st, len, loop6, cport);
    exchange(c, s, "IPv6 client on a dual-stack listener");
    closesocket(s);
    closesocket(c);
    closesocket(l);
}

/* [::] with IPV6_V6ONLY left at 1: an IPv4 client finds nobody listening on that port. */
static void test_v6only_listener_refuses_v4(void)
{
    struct sockaddr_in dst4;
    u_short lport;
    SOCKET l, c;

    l = listener6(in6addr_any.s6_addr, -1, &lport);
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    dst4 = tu_lo4(lport);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(connect(c, (struct sockaddr *)&dst4, sizeof(dst4)), SOCKET_ERROR, WSAECONNREFUSED);
    closesocket(c);
    closesocket(l);
}

/* An IPv6 socket reaches an IPv4 listener through ::ffff:127.0.0.1 when IPV6_V6ONLY is 0. */
static void test_v6_client_to_v4_listener(void)
{
    SOCKADDR_STORAGE st;
    struct sockaddr_in la;
    struct sockaddr_in6 dst6;
    SOCKET l, c, s;
    u_short cport;
    int len, r;

    la = tu_lo4(0);
    l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    len = sizeof(la);
    ok(bind(l, (struct sockaddr *)&la, sizeof(la)) == 0 && listen(l, 4) == 0 &&
           getsockname(l, (struct sockaddr *)&la, &len) == 0,
       "IPv4 listener: error %d", WSAGetLastError());
    dst6 = tu_addr6(mapped_loop, la.sin_port);

    /* IPv6-only (the default): the IPv4-mapped destination cannot be reached. Windows' error
     * code for this is not documented (Wine reports WSAENETUNREACH), so only the failure is
     * checked. */
    c = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    WSASetLastError(0xdeadbeef);
    r = connect(c, (struct sockaddr *)&dst6, sizeof(dst6));
    ok(r == SOCKET_ERROR && WSAGetLastError() != 0 && WSAGetLastError() != (int)0xdeadbeef,
       "IPv6-only connect to ::ffff:127.0.0.1: got %d error %d, want a failure", r,
       WSAGetLastError());
    closesocket(c);

    c = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    set_v6only(c, 0);
    WSASetLastError(0xdeadbeef);
    ok(connect(c, (struct sockaddr *)&dst6, sizeof(dst6)) == 0,
       "dual-stack connect to ::ffff:127.0.0.1: error %d", WSAGetLastError());
    cport = local_port(c);

    memset(&st, 0xcc, sizeof(st));
    len = sizeof(st);
    ok(getpeername(c, (struct sockaddr *)&st, &len) == 0, "getpeername dual-stack client: error %d",
       WSAGetLastError());
    check_name6("dual-stack client getpeername", &st, len, mapped_loop, la.sin_port);
    memset(&st, 0xcc, sizeof(st));
    len = sizeof(st);
    ok(getsockname(c, (struct sockaddr *)&st, &len) == 0, "getsockname dual-stack client: error %d",
       WSAGetLastError());
    check_name6("dual-stack client getsockname", &st, len, mapped_loop, cport);

    /* The IPv4 listener sees a plain IPv4 peer. */
    memset(&st, 0xcc, sizeof(st));
    len = sizeof(st);
    s = accept(l, (struct sockaddr *)&st, &len);
    ok(s != INVALID_SOCKET, "accept on the IPv4 listener: error %d", WSAGetLastError());
    check_name4("IPv4 listener accept peer", &st, len, cport);

    exchange(c, s, "dual-stack client to an IPv4 listener");
    closesocket(s);
    closesocket(c);
    closesocket(l);
}

/* UDP between a dual-stack IPv6 socket and an IPv4 socket. */
static void test_udp_dual_stack(void)
{
    SOCKADDR_STORAGE st;
    struct sockaddr_in a4;
    struct sockaddr_in6 dst6;
    SOCKET u4, u6;
    u_short p6;
    char buf[32];
    int n, len;

    a4 = tu_lo4(0);
    u4 = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    len = sizeof(a4);
    ok(bind(u4, (struct sockaddr *)&a4, sizeof(a4)) == 0 &&
           getsockname(u4, (struct sockaddr *)&a4, &len) == 0,
       "IPv4 UDP socket: error %d", WSAGetLastError());
    u6 = udp6(in6addr_any.s6_addr, 0, &p6);

    dst6 = tu_addr6(mapped_loop, a4.sin_port);
    ok(sendto(u6, "to-v4", 5, 0, (struct sockaddr *)&dst6, sizeof(dst6)) == 5,
       "dual-stack sendto ::ffff:127.0.0.1: error %d", WSAGetLastError());
    memset(&st, 0xcc, sizeof(st));
    len = sizeof(st);
    n = recvfrom(u4, buf, sizeof(buf), 0, (struct sockaddr *)&st, &len);
    ok(n == 5 && !memcmp(buf, "to-v4", 5), "IPv4 recvfrom: got %d error %d", n, WSAGetLastError());
    check_name4("IPv4 recvfrom from a dual-stack socket", &st, len, p6);

    ok(sendto(u4, "to-v6!", 6, 0, (struct sockaddr *)&st, len) == 6, "IPv4 sendto reply: error %d",
       WSAGetLastError());
    memset(&st, 0xcc, sizeof(st));
    len = sizeof(st);
    n = recvfrom(u6, buf, sizeof(buf), 0, (struct sockaddr *)&st, &len);
    ok(n == 6 && !memcmp(buf, "to-v6!", 6), "dual-stack recvfrom: got %d error %d", n,
       WSAGetLastError());
    check_name6("dual-stack recvfrom an IPv4 sender", &st, len, mapped_loop, a4.sin_port);

    closesocket(u6);
    closesocket(u4);
}

int main(void)
{
    tu_startup();
    test_tcp_loopback6();
    test_udp_loopback6();
    test_dual_stack_listener();
    test_v6only_listener_refuses_v4();
    test_v6_client_to_v4_listener();
    test_udp_dual_stack();
    WSACleanup();
    return test_done();
}
