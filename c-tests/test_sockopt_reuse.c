/* SO_REUSEADDR and SO_EXCLUSIVEADDRUSE and what they do to a second bind on the same port:
 * WSAEADDRINUSE without options, WSAEACCES when only the second socket asks for reuse, both
 * sockets with SO_REUSEADDR sharing the address, the two options excluding each other, and the
 * exclusive-use rules across wildcard/specific and IPv4/IPv6 binds. */
#include "testutil.h"

static struct sockaddr_in v4_any, v4_loop;
static struct sockaddr_in6 v6_any, v6_loop, v6_mapped_any, v6_mapped_loop;

static void set_port(unsigned short port)
{
    memset(&v4_any, 0, sizeof(v4_any));
    v4_any.sin_family = AF_INET;
    v4_any.sin_port = htons(port);
    v4_loop = v4_any;
    v4_loop.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    memset(&v6_any, 0, sizeof(v6_any));
    v6_any.sin6_family = AF_INET6;
    v6_any.sin6_port = htons(port);
    v6_loop = v6_any;
    v6_loop.sin6_addr.s6_addr[15] = 1;
    v6_mapped_any = v6_any;
    v6_mapped_any.sin6_addr.s6_addr[10] = 0xff;
    v6_mapped_any.sin6_addr.s6_addr[11] = 0xff;
    v6_mapped_loop = v6_mapped_any;
    v6_mapped_loop.sin6_addr.s6_addr[12] = 127;
    v6_mapped_loop.sin6_addr.s6_addr[15] = 1;
}

/* A TCP port that is free right now on all addresses (bound then released). */
static unsigned short free_port(void)
{
    struct sockaddr_in6 a;
    int len = sizeof(a), v = 0;
    unsigned short port = 0;
    SOCKET s = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);

    setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, (char *)&v, sizeof(v));
    memset(&a, 0, sizeof(a));
    a.sin6_family = AF_INET6;
    if (!bind(s, (struct sockaddr *)&a, sizeof(a)) && !getsockname(s, (struct sockaddr *)&a, &len))
        port = ntohs(a.sin6_port);
    closesocket(s);
    return port;
}

static int set_opt(SOCKET s, int name, int value)
{
    return setsockopt(s, SOL_SOCKET, name, (const char *)&value, sizeof(value));
}

static void test_plain_conflicts(void)
{
    SOCKET s1, s2;
    int r, e;

    set_port(free_port());

    /* No options: the same specific address twice is WSAEADDRINUSE. */
    s1 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    s2 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(bind(s1, (struct sockaddr *)&v4_loop, sizeof(v4_loop)) == 0, "bind 1 err %d", WSAGetLastError());
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(bind(s2, (struct sockaddr *)&v4_loop, sizeof(v4_loop)), SOCKET_ERROR, WSAEADDRINUSE);
    closesocket(s1);
    closesocket(s2);

    /* The wildcard address twice, too. */
    s1 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    s2 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(bind(s1, (struct sockaddr *)&v4_any, sizeof(v4_any)) == 0, "bind any 1 err %d", WSAGetLastError());
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(bind(s2, (struct sockaddr *)&v4_any, sizeof(v4_any)), SOCKET_ERROR, WSAEADDRINUSE);
    closesocket(s1);
    closesocket(s2);

    /* Also when the first one is listening. */
    s1 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    s2 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(bind(s1, (struct sockaddr *)&v4_loop, sizeof(v4_loop)) == 0, "bind 1 err %d", WSAGetLastError());
    ok(listen(s1, 1) == 0, "listen err %d", WSAGetLastError());
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(bind(s2, (struct sockaddr *)&v4_loop, sizeof(v4_loop)), SOCKET_ERROR, WSAEADDRINUSE);
    closesocket(s1);
    closesocket(s2);

    /* IPv6 loopback, no options. */
    s1 = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    s2 = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    ok(bind(s1, (struct sockaddr *)&v6_loop, sizeof(v6_loop)) == 0, "bind6 1 err %d", WSAGetLastError());
    WSASetLastError(0xdeadbeef);
    r = bind(s2, (struct sockaddr *)&v6_loop, sizeof(v6_loop));
    e = WSAGetLastError();
    ok(r == SOCKET_ERROR && e == WSAEADDRINUSE, "bind6 2: r %d err %d", r, e);
    closesocket(s1);
    closesocket(s2);
}

static void test_reuse_second_only(void)
{
    int af;

    for (af = 0; af < 2; af++) {
        struct sockaddr *loop = af ? (struct sockaddr *)&v6_loop : (struct sockaddr *)&v4_loop;
        int len = af ? (int)sizeof(v6_loop) : (int)sizeof(v4_loop);
        int family = af ? AF_INET6 : AF_INET;
        SOCKET s1, s2;

        set_port(free_port());
        s1 = socket(family, SOCK_STREAM, IPPROTO_TCP);
        s2 = socket(family, SOCK_STREAM, IPPROTO_TCP);
        ok(bind(s1, loop, len) == 0, "af %d bind 1 err %d", family, WSAGetLastError());
        ok(set_opt(s2, SO_REUSEADDR, 1) == 0, "af %d set err %d", family, WSAGetLastError());
        /* Taking over an address bound without SO_REUSEADDR is denied. */
        WSASetLastError(0xdeadbeef);
        ok_wsa_fail(bind(s2, loop, len), SOCKET_ERROR, WSAEACCES);
        closesocket(s1);
        closesocket(s2);
    }
}

static void test_reuse_both(void)
{
    int af;

    for (af = 0; af < 2; af++) {
        struct sockaddr *loop = af ? (struct sockaddr *)&v6_loop : (struct sockaddr *)&v4_loop;
        int len = af ? (int)sizeof(v6_loop) : (int)sizeof(v4_loop);
        int family = af ? AF_INET6 : AF_INET;
        struct sockaddr_storage peer;
        SOCKET s1, s2, c, a;
        int v, vlen, plen;

        set_port(free_port());
        s1 = socket(family, SOCK_STREAM, IPPROTO_TCP);
        ok(set_opt(s1, SO_REUSEADDR, 1) == 0, "af %d set 1 err %d", family, WSAGetLastError());
        ok(bind(s1, loop, len) == 0, "af %d bind 1 err %d", family, WSAGetLastError());

        /* A second socket without the option cannot join... */
        s2 = socket(family, SOCK_STREAM, IPPROTO_TCP);
        v = 0x1234;
        vlen = sizeof(v);
        ok(getsockopt(s2, SOL_SOCKET, SO_REUSEADDR, (char *)&v, &vlen) == 0 && v == 0, "af %d default %#x",
           family, v);
        ok(bind(s2, loop, len) == SOCKET_ERROR, "af %d bind 2 without option succeeded", family);

        /* ... with it, it can. */
        ok(set_opt(s2, SO_REUSEADDR, 1) == 0, "af %d set 2 err %d", family, WSAGetLastError());
        ok(bind(s2, loop, len) == 0, "af %d bind 2 with option err %d", family, WSAGetLastError());

        /* The first socket to listen gets the connection. */
        ok(listen(s1, 1) == 0, "af %d listen err %d", family, WSAGetLastError());
        c = socket(family, SOCK_STREAM, IPPROTO_TCP);
        ok(connect(c, loop, len) == 0, "af %d connect err %d", family, WSAGetLastError());
        plen = sizeof(peer);
        a = accept(s1, (struct sockaddr *)&peer, &plen);
        ok(a != INVALID_SOCKET, "af %d accept err %d", family, WSAGetLastError());
        closesocket(a);
        closesocket(c);
        closesocket(s1);
        closesocket(s2);
    }
}

static void test_mutually_exclusive(void)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    int v, len;

    ok(set_opt(s, SO_REUSEADDR, 1) == 0, "set SO_REUSEADDR err %d", WSAGetLastError());
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(set_opt(s, SO_EXCLUSIVEADDRUSE, 1), SOCKET_ERROR, WSAEINVAL);
    v = 0x55;
    len = sizeof(v);
    ok(getsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (char *)&v, &len) == 0 && v == 0,
       "SO_EXCLUSIVEADDRUSE after refused set: %#x", v);

    ok(set_opt(s, SO_REUSEADDR, 0) == 0, "clear SO_REUSEADDR err %d", WSAGetLastError());
    ok(set_opt(s, SO_EXCLUSIVEADDRUSE, 1) == 0, "set SO_EXCLUSIVEADDRUSE err %d", WSAGetLastError());
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(set_opt(s, SO_REUSEADDR, 1), SOCKET_ERROR, WSAEINVAL);
    v = 0x55;
    len = sizeof(v);
    ok(getsockopt(s, SOL_SOCKET, SO_REUSEADDR, (char *)&v, &len) == 0 && v == 0,
       "SO_REUSEADDR after refused set: %#x", v);
    closesocket(s);
}

enum { LOOP, ANY, MAPPED_LOOP, MAPPED_ANY };

struct bind_desc {
    int af;            /* AF_INET or AF_INET6 */
    int any;           /* LOOP, ANY, MAPPED_LOOP (::ffff:127.0.0.1) or MAPPED_ANY (::ffff:0.0.0.0) */
    int exclusive;     /* SO_EXCLUSIVEADDRUSE set */
};

static void check_pair(unsigned int idx, struct bind_desc a, struct bind_desc b, int expect)
{
    struct bind_desc d[2];
    SOCKET s[2];
    int i, r, e, v;

    d[0] = a;
    d[1] = b;
    set_port(free_port());
    for (i = 0; i < 2; i++) {
        s[i] = socket(d[i].af, SOCK_STREAM, IPPROTO_TCP);
        if (d[i].exclusive)
            ok(set_opt(s[i], SO_EXCLUSIVEADDRUSE, 1) == 0, "case %u: set exclusive err %d", idx,
               WSAGetLastError());
        if (d[i].af == AF_INET6) {
            v = 0;
            ok(setsockopt(s[i], IPPROTO_IPV6, IPV6_V6ONLY, (char *)&v, sizeof(v)) == 0,
               "case %u: v6only err %d", idx, WSAGetLastError());
        }
    }
    for (i = 0; i < 2; i++) {
        const struct sockaddr *addr;
        int len;
        if (d[i].af == AF_INET) {
            addr = (const struct sockaddr *)(d[i].any ? &v4_any : &v4_loop);
            len = sizeof(struct sockaddr_in);
        } else {
            addr = (const struct sockaddr *)(d[i].any == ANY ? &v6_any
                                             : d[i].any == MAPPED_ANY ? &v6_mapped_any
                                             : d[i].any == MAPPED_LOOP ? &v6_mapped_loop : &v6_loop);
            len = sizeof(struct sockaddr_in6);
        }
        WSASetLastError(0xdeadbeef);
        r = bind(s[i], addr, len);
        e = WSAGetLastError();
        if (i == 0)
            ok(r == 0, "case %u: first bind err %d", idx, e);
        else if (expect)
            ok(r == SOCKET_ERROR && e == expect, "case %u: second bind r %d err %d want %d", idx, r, e, expect);
        else
            ok(r == 0, "case %u: second bind failed err %d", idx, e);
    }
    closesocket(s[0]);
    closesocket(s[1]);
}

static void test_exclusive(void)
{
    /* The first socket binds; the second gets the listed error, or succeeds (0). IPv6 sockets
     * have IPV6_V6ONLY off. */
    static const struct { struct bind_desc a, b; int expect; } cases[] = {
        {{AF_INET, ANY, 1}, {AF_INET, LOOP, 0}, WSAEACCES},
        {{AF_INET6, ANY, 1}, {AF_INET, LOOP, 0}, WSAEACCES},
        {{AF_INET, ANY, 0}, {AF_INET, LOOP, 1}, 0},
        {{AF_INET, ANY, 1}, {AF_INET, LOOP, 1}, WSAEACCES},
        {{AF_INET, LOOP, 1}, {AF_INET, ANY, 0}, 0},
        {{AF_INET, LOOP, 0}, {AF_INET, ANY, 1}, WSAEADDRINUSE},
        {{AF_INET, LOOP, 0}, {AF_INET6, ANY, 1}, WSAEADDRINUSE},
        {{AF_INET6, LOOP, 0}, {AF_INET, ANY, 1}, 0},
        {{AF_INET6, LOOP, 1}, {AF_INET, LOOP, 1}, 0},
        {{AF_INET6, MAPPED_LOOP, 0}, {AF_INET, ANY, 1}, WSAEADDRINUSE},
        {{AF_INET6, ANY, 1}, {AF_INET, ANY, 0}, WSAEACCES},
        {{AF_INET6, ANY, 0}, {AF_INET, ANY, 1}, 0},
        {{AF_INET, ANY, 0}, {AF_INET, ANY, 1}, WSAEADDRINUSE},
        {{AF_INET, ANY, 0}, {AF_INET, ANY, 0}, WSAEADDRINUSE},
        {{AF_INET6, ANY, 0}, {AF_INET, ANY, 0}, 0},
        {{AF_INET6, MAPPED_ANY, 0}, {AF_INET, ANY, 0}, WSAEADDRINUSE},
        {{AF_INET6, MAPPED_LOOP, 0}, {AF_INET, LOOP, 0}, WSAEADDRINUSE},
        {{AF_INET, LOOP, 0}, {AF_INET6, MAPPED_LOOP, 0}, WSAEADDRINUSE},
        {{AF_INET, LOOP, 1}, {AF_INET, LOOP, 0}, WSAEADDRINUSE},
        {{AF_INET, LOOP, 0}, {AF_INET, LOOP, 1}, WSAEADDRINUSE},
    };
    unsigned int i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        check_pair(i, cases[i].a, cases[i].b, cases[i].expect);
}

static void test_exclusive_dual_stack_vs_reuse(void)
{
    struct sockaddr_in6 a6;
    struct sockaddr_in a4;
    SOCKET v6, v4;
    int v;

    set_port(free_port());
    a6 = v6_any;
    a4 = v4_any;

    /* A dual-stack [::] socket with SO_EXCLUSIVEADDRUSE keeps an IPv4 SO_REUSEADDR socket off
     * 0.0.0.0 on the same port. */
    v6 = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    v = 0;
    ok(setsockopt(v6, IPPROTO_IPV6, IPV6_V6ONLY, (char *)&v, sizeof(v)) == 0, "v6only err %d", WSAGetLastError());
    ok(set_opt(v6, SO_EXCLUSIVEADDRUSE, 1) == 0, "exclusive err %d", WSAGetLastError());
    ok(bind(v6, (struct sockaddr *)&a6, sizeof(a6)) == 0, "bind v6 err %d", WSAGetLastError());
    v = 2;
    {
        int len = sizeof(v);
        ok(getsockopt(v6, IPPROTO_IPV6, IPV6_V6ONLY, (char *)&v, &len) == 0 && v == 0,
           "IPV6_V6ONLY after bind %d", v);
    }
    v4 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(set_opt(v4, SO_REUSEADDR, 1) == 0, "reuse err %d", WSAGetLastError());
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(bind(v4, (struct sockaddr *)&a4, sizeof(a4)), SOCKET_ERROR, WSAEACCES);
    closesocket(v4);
    closesocket(v6);
}

int main(void)
{
    tu_startup();
    test_plain_conflicts();
    test_reuse_second_only();
    test_reuse_both();
    test_mutually_exclusive();
    test_exclusive();
    test_exclusive_dual_stack_vs_reuse();
    WSACleanup();
    return test_done();
}
