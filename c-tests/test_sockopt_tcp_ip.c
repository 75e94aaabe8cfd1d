/* IPPROTO_TCP, IPPROTO_IP and IPPROTO_IPV6 options: TCP_NODELAY lengths and values, IP_TTL,
 * IPV6_V6ONLY (on by default, dual-stack listeners taking IPv4-mapped connections, the option on
 * IPv4 sockets). */
#include "testutil.h"

static void test_nodelay(void)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    int v, len, r;

    /* Off by default; reported in one byte. */
    v = 0;
    len = sizeof(v);
    r = getsockopt(s, IPPROTO_TCP, TCP_NODELAY, (char *)&v, &len);
    ok(r == 0 && v == 0 && len == 1, "TCP_NODELAY default: r %d v %#x len %d", r, v, len);

    /* Any positive optlen works for set. */
    v = 1;
    ok(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (char *)&v, 1) == 0, "set len 1 err %d", WSAGetLastError());
    v = 0xff;
    len = sizeof(v);
    r = getsockopt(s, IPPROTO_TCP, TCP_NODELAY, (char *)&v, &len);
    ok(r == 0 && v == 1, "after len 1: r %d v %#x", r, v);
    v = 0;
    ok(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (char *)&v, sizeof(v)) == 0, "reset err %d", WSAGetLastError());

    v = 1;
    ok(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (char *)&v, 4) == 0, "set len 4 err %d", WSAGetLastError());
    v = 0xff;
    len = sizeof(v);
    r = getsockopt(s, IPPROTO_TCP, TCP_NODELAY, (char *)&v, &len);
    ok(r == 0 && v == 1, "after len 4: r %d v %#x", r, v);
    v = 0;
    ok(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (char *)&v, sizeof(v)) == 0, "reset err %d", WSAGetLastError());

    {
        char big[42];
        memset(big, 0, sizeof(big));
        big[0] = 1;
        ok(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, big, sizeof(big)) == 0, "set len 42 err %d",
           WSAGetLastError());
    }
    v = 0xff;
    len = sizeof(v);
    r = getsockopt(s, IPPROTO_TCP, TCP_NODELAY, (char *)&v, &len);
    ok(r == 0 && v == 1, "after len 42: r %d v %#x", r, v);
    v = 0;
    ok(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (char *)&v, sizeof(v)) == 0, "reset err %d", WSAGetLastError());

    /* optlen 0 is WSAEFAULT and changes nothing. */
    v = 1;
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (char *)&v, 0), SOCKET_ERROR, WSAEFAULT);
    v = 0xff;
    len = sizeof(v);
    r = getsockopt(s, IPPROTO_TCP, TCP_NODELAY, (char *)&v, &len);
    ok(r == 0 && v == 0, "after len 0: r %d v %#x", r, v);

    /* Only the low byte counts: 0x100 turns it off. */
    v = 0x100;
    ok(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (char *)&v, 4) == 0, "set 0x100 err %d", WSAGetLastError());
    v = 0xff;
    len = sizeof(v);
    r = getsockopt(s, IPPROTO_TCP, TCP_NODELAY, (char *)&v, &len);
    ok(r == 0 && v == 0, "after 0x100: r %d v %#x", r, v);

    /* The option applies to a connected socket too. */
    closesocket(s);
    {
        SOCKET c, sv;
        if (tu_tcp_pair(&c, &sv) == 0) {
            v = 1;
            ok(setsockopt(c, IPPROTO_TCP, TCP_NODELAY, (char *)&v, sizeof(v)) == 0, "connected set err %d",
               WSAGetLastError());
            v = 0;
            len = sizeof(v);
            r = getsockopt(c, IPPROTO_TCP, TCP_NODELAY, (char *)&v, &len);
            ok(r == 0 && v == 1 && len == 1, "connected get: r %d v %#x len %d", r, v, len);
            closesocket(c);
            closesocket(sv);
        } else {
            ok(0, "tcp pair failed");
        }
    }
}

static void test_ttl(void)
{
    SOCKET u = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    SOCKET t = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    int v, len, r;

    v = 0;
    len = sizeof(v);
    r = getsockopt(u, IPPROTO_IP, IP_TTL, (char *)&v, &len);
    ok(r == 0 && len == 4, "IP_TTL default: r %d len %d", r, len);
    ok(v >= 1 && v <= 255, "IP_TTL default %d", v);

    v = 77;
    ok(setsockopt(u, IPPROTO_IP, IP_TTL, (char *)&v, sizeof(v)) == 0, "set IP_TTL err %d", WSAGetLastError());
    v = 0;
    len = sizeof(v);
    r = getsockopt(u, IPPROTO_IP, IP_TTL, (char *)&v, &len);
    ok(r == 0 && v == 77 && len == 4, "IP_TTL: r %d v %d len %d", r, v, len);

    v = 200;
    ok(setsockopt(t, IPPROTO_IP, IP_TTL, (char *)&v, sizeof(v)) == 0, "set tcp IP_TTL err %d",
       WSAGetLastError());
    v = 0;
    len = sizeof(v);
    r = getsockopt(t, IPPROTO_IP, IP_TTL, (char *)&v, &len);
    ok(r == 0 && v == 200, "tcp IP_TTL: r %d v %d", r, v);

    /* Out of range. */
    v = 0x100;
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(setsockopt(u, IPPROTO_IP, IP_TTL, (char *)&v, sizeof(v)), SOCKET_ERROR, WSAEINVAL);
    v = 0;
    len = sizeof(v);
    r = getsockopt(u, IPPROTO_IP, IP_TTL, (char *)&v, &len);
    ok(r == 0 && v == 77, "IP_TTL kept after bad set: r %d v %d", r, v);

    closesocket(u);
    closesocket(t);
}

static int get_v6only(SOCKET s, int *len)
{
    return tu_get_int(s, IPPROTO_IPV6, IPV6_V6ONLY, 0, len);
}

static void test_v6only_default(void)
{
    SOCKET t = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    SOCKET u = socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
    int v, len;

    /* On by default, reported in one byte. */
    v = get_v6only(t, &len);
    ok(v == 1 && len == 1, "tcp6 IPV6_V6ONLY default %d len %d", v, len);
    v = get_v6only(u, &len);
    ok(v == 1 && len == 1, "udp6 IPV6_V6ONLY default %d len %d", v, len);

    v = 0;
    ok(setsockopt(t, IPPROTO_IPV6, IPV6_V6ONLY, (char *)&v, sizeof(v)) == 0, "clear err %d", WSAGetLastError());
    v = get_v6only(t, &len);
    ok(v == 0, "tcp6 IPV6_V6ONLY after clear %d", v);
    v = 1;
    ok(setsockopt(t, IPPROTO_IPV6, IPV6_V6ONLY, (char *)&v, sizeof(v)) == 0, "set err %d", WSAGetLastError());
    v = get_v6only(t, &len);
    ok(v == 1, "tcp6 IPV6_V6ONLY after set %d", v);

    closesocket(t);
    closesocket(u);
}

/* A [::] listener; returns its port (host order) or 0. */
static SOCKET listen6(int v6only, unsigned short *port)
{
    struct sockaddr_in6 a;
    int len = sizeof(a);
    SOCKET l = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);

    *port = 0;
    if (l == INVALID_SOCKET)
        return l;
    ok(setsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, (char *)&v6only, sizeof(v6only)) == 0, "v6only %d err %d",
       v6only, WSAGetLastError());
    memset(&a, 0, sizeof(a));
    a.sin6_family = AF_INET6;
    ok(bind(l, (struct sockaddr *)&a, sizeof(a)) == 0, "bind [::] err %d", WSAGetLastError());
    ok(listen(l, 4) == 0, "listen err %d", WSAGetLastError());
    ok(getsockname(l, (struct sockaddr *)&a, &len) == 0, "getsockname err %d", WSAGetLastError());
    *port = ntohs(a.sin6_port);
    return l;
}

static void test_dual_stack(void)
{
    static const unsigned char mapped_loopback[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1};
    struct sockaddr_in6 peer6;
    struct sockaddr_in a4;
    unsigned short port;
    SOCKET l, c, s;
    char buf[8];
    int len, r;

    /* IPV6_V6ONLY off: an IPv4 client reaches the [::] listener, seen as ::ffff:127.0.0.1. */
    l = listen6(0, &port);
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    a4 = tu_lo4(0);
    a4.sin_port = htons(port);
    r = connect(c, (struct sockaddr *)&a4, sizeof(a4));
    ok(r == 0, "v4 connect to dual-stack listener err %d", WSAGetLastError());
    memset(&peer6, 0, sizeof(peer6));
    len = sizeof(peer6);
    s = accept(l, (struct sockaddr *)&peer6, &len);
    ok(s != INVALID_SOCKET, "accept err %d", WSAGetLastError());
    ok(len == (int)sizeof(struct sockaddr_in6), "accept addrlen %d", len);
    ok(peer6.sin6_family == AF_INET6, "accept family %d", peer6.sin6_family);
    ok(!memcmp(&peer6.sin6_addr, mapped_loopback, 16), "peer is not ::ffff:127.0.0.1");
    if (s != INVALID_SOCKET) {
        ok(send(c, "ping", 4, 0) == 4, "send err %d", WSAGetLastError());
        r = recv(s, buf, sizeof(buf), 0);
        ok(r == 4 && !memcmp(buf, "ping", 4), "recv %d", r);
        len = sizeof(peer6);
        ok(getsockname(s, (struct sockaddr *)&peer6, &len) == 0, "getsockname err %d", WSAGetLastError());
        ok(peer6.sin6_family == AF_INET6 && !memcmp(&peer6.sin6_addr, mapped_loopback, 16),
           "accepted local address is not ::ffff:127.0.0.1");
        closesocket(s);
    }
    closesocket(c);
    closesocket(l);

    /* IPV6_V6ONLY on: nothing listens for IPv4 on that port. */
    l = listen6(1, &port);
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    a4.sin_port = htons(port);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(connect(c, (struct sockaddr *)&a4, sizeof(a4)), SOCKET_ERROR, WSAECONNREFUSED);
    closesocket(c);

    /* ... while an IPv6 client over ::1 gets in. */
    c = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    memset(&peer6, 0, sizeof(peer6));
    peer6.sin6_family = AF_INET6;
    peer6.sin6_addr.s6_addr[15] = 1;
    peer6.sin6_port = htons(port);
    ok(connect(c, (struct sockaddr *)&peer6, sizeof(peer6)) == 0, "v6 connect err %d", WSAGetLastError());
    s = accept(l, NULL, NULL);
    ok(s != INVALID_SOCKET, "v6 accept err %d", WSAGetLastError());
    closesocket(s);
    closesocket(c);

    /* With V6ONLY on the [::] listener, an IPv4 socket can bind 0.0.0.0 on the same port. */
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(&a4, 0, sizeof(a4));
    a4.sin_family = AF_INET;
    a4.sin_port = htons(port);
    ok(bind(c, (struct sockaddr *)&a4, sizeof(a4)) == 0, "v4 bind beside v6only listener err %d",
       WSAGetLastError());
    closesocket(c);
    closesocket(l);
}

static void test_v6only_on_ipv4(void)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    struct sockaddr_in a;
    int v, len, r;

    /* An IPv4 socket accepts IPV6_V6ONLY until it is bound. */
    v = 0;
    ok(setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, (char *)&v, sizeof(v)) == 0, "v4 set 0 err %d",
       WSAGetLastError());
    v = 1;
    ok(setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, (char *)&v, sizeof(v)) == 0, "v4 set 1 err %d",
       WSAGetLastError());
#ifdef WS2_URING
    /* Windows reports the value on an IPv4 socket; Wine fails (its test marks this todo). */
    v = 2;
    len = sizeof(v);
    r = getsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, (char *)&v, &len);
    ok(r == 0 && v == 1, "v4 get: r %d v %d", r, v);
#endif

    a = tu_lo4(0);
    ok(bind(s, (struct sockaddr *)&a, sizeof(a)) == 0, "bind err %d", WSAGetLastError());

    v = 0;
    r = setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, (char *)&v, sizeof(v));
    ok(r == SOCKET_ERROR, "v4 set 0 after bind succeeded");
    v = 1;
    r = setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, (char *)&v, sizeof(v));
    ok(r == SOCKET_ERROR, "v4 set 1 after bind succeeded");
    (void)len;
    closesocket(s);
}

struct validity { int name; int get_error; const char *label; };

/* getsockopt with a large zeroed buffer must give `get_error`; when it succeeds, setting the
 * value just read back must succeed and leave the last error 0. */
static void check_validity(const char *what, SOCKET s, int level, const struct validity *v, unsigned int n)
{
    unsigned int i;
    char value[256];
    int count, r, e;

    for (i = 0; i < n; i++) {
        memset(value, 0, sizeof(value));
        count = sizeof(value);
        WSASetLastError(0);
        r = getsockopt(s, level, v[i].name, value, &count);
        e = WSAGetLastError();
        ok(r == (v[i].get_error ? SOCKET_ERROR : 0) && e == v[i].get_error, "%s %s get: r %d err %d want %d",
           what, v[i].label, r, e, v[i].get_error);
        if (v[i].get_error || r)
            continue;
        WSASetLastError(0);
        r = setsockopt(s, level, v[i].name, value, count);
        e = WSAGetLastError();
        ok(r == 0 && e == 0, "%s %s set back: r %d err %d", what, v[i].label, r, e);
    }
}

static void test_validity(void)
{
    static const struct validity v4_tcp[] = {
        {-1, WSAENOPROTOOPT, "-1"},
        {IP_TOS, 0, "IP_TOS"},
        {IP_TTL, 0, "IP_TTL"},
        {IP_MULTICAST_IF, WSAEINVAL, "IP_MULTICAST_IF"},
        {IP_MULTICAST_TTL, WSAEINVAL, "IP_MULTICAST_TTL"},
        {IP_MULTICAST_LOOP, WSAEINVAL, "IP_MULTICAST_LOOP"},
        {IP_ADD_MEMBERSHIP, WSAENOPROTOOPT, "IP_ADD_MEMBERSHIP"},
        {IP_DROP_MEMBERSHIP, WSAENOPROTOOPT, "IP_DROP_MEMBERSHIP"},
    };
    static const struct validity v4_udp[] = {
        {-1, WSAENOPROTOOPT, "-1"},
        {IP_TOS, 0, "IP_TOS"},
        {IP_TTL, 0, "IP_TTL"},
        {IP_MULTICAST_IF, 0, "IP_MULTICAST_IF"},
        {IP_MULTICAST_TTL, 0, "IP_MULTICAST_TTL"},
        {IP_MULTICAST_LOOP, 0, "IP_MULTICAST_LOOP"},
        {IP_ADD_MEMBERSHIP, WSAENOPROTOOPT, "IP_ADD_MEMBERSHIP"},
        {IP_DROP_MEMBERSHIP, WSAENOPROTOOPT, "IP_DROP_MEMBERSHIP"},
    };
    static const struct validity v6_tcp[] = {
        {-1, WSAENOPROTOOPT, "-1"},
        {IPV6_UNICAST_HOPS, 0, "IPV6_UNICAST_HOPS"},
        {IPV6_MULTICAST_IF, WSAEINVAL, "IPV6_MULTICAST_IF"},
        {IPV6_MULTICAST_HOPS, WSAEINVAL, "IPV6_MULTICAST_HOPS"},
        {IPV6_MULTICAST_LOOP, WSAEINVAL, "IPV6_MULTICAST_LOOP"},
        {IPV6_ADD_MEMBERSHIP, WSAENOPROTOOPT, "IPV6_ADD_MEMBERSHIP"},
        {IPV6_DROP_MEMBERSHIP, WSAENOPROTOOPT, "IPV6_DROP_MEMBERSHIP"},
        {IPV6_V6ONLY, 0, "IPV6_V6ONLY"},
    };
    static const struct validity v6_udp[] = {
        {-1, WSAENOPROTOOPT, "-1"},
        {IPV6_UNICAST_HOPS, 0, "IPV6_UNICAST_HOPS"},
        {IPV6_MULTICAST_IF, 0, "IPV6_MULTICAST_IF"},
        {IPV6_MULTICAST_HOPS, 0, "IPV6_MULTICAST_HOPS"},
        {IPV6_MULTICAST_LOOP, 0, "IPV6_MULTICAST_LOOP"},
        {IPV6_ADD_MEMBERSHIP, WSAENOPROTOOPT, "IPV6_ADD_MEMBERSHIP"},
        {IPV6_DROP_MEMBERSHIP, WSAENOPROTOOPT, "IPV6_DROP_MEMBERSHIP"},
        {IPV6_V6ONLY, 0, "IPV6_V6ONLY"},
    };
    SOCKET s;

    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    check_validity("tcp4", s, IPPROTO_IP, v4_tcp, sizeof(v4_tcp) / sizeof(v4_tcp[0]));
    closesocket(s);
    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    check_validity("udp4", s, IPPROTO_IP, v4_udp, sizeof(v4_udp) / sizeof(v4_udp[0]));
    closesocket(s);
    s = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    check_validity("tcp6", s, IPPROTO_IPV6, v6_tcp, sizeof(v6_tcp) / sizeof(v6_tcp[0]));
    closesocket(s);
    s = socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
    check_validity("udp6", s, IPPROTO_IPV6, v6_udp, sizeof(v6_udp) / sizeof(v6_udp[0]));
    closesocket(s);
}

int main(void)
{
    tu_startup();
    test_nodelay();
    test_ttl();
    test_v6only_default();
    test_dual_stack();
    test_v6only_on_ipv4();
    test_validity();
    WSACleanup();
    return test_done();
}
