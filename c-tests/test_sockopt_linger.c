/* SO_LINGER (a 4-byte struct of two u_shorts) and SO_DONTLINGER: layout, defaults, round trips,
 * the link between the two, UDP sockets, inheritance by accept, and what the peer sees after a
 * graceful close versus a zero-timeout linger (reset). */
#include "testutil.h"

static int get_linger(SOCKET s, struct linger *l, int *len)
{
    memset(l, 0xcc, sizeof(*l));
    *len = sizeof(*l);
    return getsockopt(s, SOL_SOCKET, SO_LINGER, (char *)l, len);
}

static int get_dontlinger(SOCKET s, int *len)
{
    return tu_get_int(s, SOL_SOCKET, SO_DONTLINGER, 0xdead, len);
}

static void test_layout_and_default(void)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    struct linger l;
    int len, r, d;

    ok(sizeof(struct linger) == 4, "sizeof(linger) %d", (int)sizeof(struct linger));
    ok(sizeof(l.l_onoff) == 2 && sizeof(l.l_linger) == 2, "linger fields %d/%d", (int)sizeof(l.l_onoff),
       (int)sizeof(l.l_linger));

    r = get_linger(s, &l, &len);
    ok(r == 0, "get SO_LINGER err %d", WSAGetLastError());
    ok(len == 4, "SO_LINGER optlen %d", len);
    ok(l.l_onoff == 0, "default l_onoff %u", l.l_onoff);

    d = get_dontlinger(s, &len);
    ok(d == 1, "default SO_DONTLINGER %d", d);
    ok(len == 4, "SO_DONTLINGER optlen %d", len);

    /* A larger buffer is fine; 4 bytes are reported. */
    {
        unsigned char big[16];
        memset(big, 0xcc, sizeof(big));
        len = sizeof(big);
        r = getsockopt(s, SOL_SOCKET, SO_LINGER, (char *)big, &len);
        ok(r == 0 && len == 4, "big SO_LINGER get: r %d len %d", r, len);
    }
    closesocket(s);
}

static void test_round_trip(void)
{
    static const struct linger vals[] = {{0, 0}, {0, 73}, {1, 0}, {5, 189}, {1, 65535}};
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    struct linger l;
    unsigned int i;
    int len, r;

    for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
        l = vals[i];
        r = setsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&l, sizeof(l));
        ok(r == 0, "set linger %u err %d", i, WSAGetLastError());
        r = get_linger(s, &l, &len);
        ok(r == 0 && len == 4, "get linger %u: r %d len %d", i, r, len);
        ok(!l.l_onoff == !vals[i].l_onoff, "linger %u: l_onoff %u want %u", i, l.l_onoff, vals[i].l_onoff);
        if (vals[i].l_onoff)
            ok(l.l_linger == vals[i].l_linger, "linger %u: l_linger %u want %u", i, l.l_linger,
               vals[i].l_linger);
        r = get_dontlinger(s, &len);
        ok(r == !vals[i].l_onoff, "linger %u: SO_DONTLINGER %d", i, r);
    }

    /* SO_DONTLINGER drives l_onoff. */
    l.l_onoff = 1;
    l.l_linger = 7;
    ok(setsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&l, sizeof(l)) == 0, "set err %d", WSAGetLastError());
    {
        int v = 1;
        ok(setsockopt(s, SOL_SOCKET, SO_DONTLINGER, (char *)&v, sizeof(v)) == 0, "set SO_DONTLINGER err %d",
           WSAGetLastError());
    }
    r = get_linger(s, &l, &len);
    ok(r == 0 && l.l_onoff == 0, "after SO_DONTLINGER 1: r %d l_onoff %u", r, l.l_onoff);
    ok(get_dontlinger(s, &len) == 1, "SO_DONTLINGER should read 1");
    {
        int v = 0;
        ok(setsockopt(s, SOL_SOCKET, SO_DONTLINGER, (char *)&v, sizeof(v)) == 0, "clear SO_DONTLINGER err %d",
           WSAGetLastError());
    }
    r = get_linger(s, &l, &len);
    ok(r == 0 && l.l_onoff != 0, "after SO_DONTLINGER 0: r %d l_onoff %u", r, l.l_onoff);
    ok(get_dontlinger(s, &len) == 0, "SO_DONTLINGER should read 0");

    /* A 2-byte buffer is too short for SO_LINGER. */
    l.l_onoff = 1;
    l.l_linger = 1;
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(setsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&l, 2), SOCKET_ERROR, WSAEFAULT);
    len = 2;
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&l, &len), SOCKET_ERROR, WSAEFAULT);
    closesocket(s);
}

static void test_udp(void)
{
    SOCKET u = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    struct sockaddr_in a;
    struct linger l;
    int len;

    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    ok(bind(u, (struct sockaddr *)&a, sizeof(a)) == 0, "bind err %d", WSAGetLastError());

    /* Linger is a connection property: UDP sockets do not have it. */
    WSASetLastError(0xdeadbeef);
    len = sizeof(l);
    ok_wsa_fail(getsockopt(u, SOL_SOCKET, SO_LINGER, (char *)&l, &len), SOCKET_ERROR, WSAENOPROTOOPT);
    closesocket(u);
}

static void test_inherit(void)
{
    struct sockaddr_in a;
    struct linger l;
    SOCKET ls, c, s;
    int len = sizeof(a), r;

    ls = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    l.l_onoff = 1;
    l.l_linger = 555;
    ok(setsockopt(ls, SOL_SOCKET, SO_LINGER, (char *)&l, sizeof(l)) == 0, "set err %d", WSAGetLastError());
    tu_listen_loopback(ls, &a);
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(connect(c, (struct sockaddr *)&a, sizeof(a)) == 0, "connect err %d", WSAGetLastError());
    s = accept(ls, NULL, NULL);
    ok(s != INVALID_SOCKET, "accept err %d", WSAGetLastError());
    r = get_linger(s, &l, &len);
    ok(r == 0 && l.l_onoff == 1 && l.l_linger == 555, "accepted linger: r %d on %u linger %u", r, l.l_onoff,
       l.l_linger);
    closesocket(s);
    closesocket(c);
    closesocket(ls);
}

static void test_close_effects(void)
{
    struct linger l;
    SOCKET c, s;
    char buf[8];
    int r, e;

    /* Default close: the peer reads what was sent, then 0. */
    if (tu_tcp_pair(&c, &s)) {
        ok(0, "tcp pair failed");
        return;
    }
    ok(send(c, "bye", 3, 0) == 3, "send err %d", WSAGetLastError());
    ok(closesocket(c) == 0, "closesocket err %d", WSAGetLastError());
    r = recv(s, buf, sizeof(buf), 0);
    ok(r == 3 && !memcmp(buf, "bye", 3), "recv data before close: %d", r);
    r = recv(s, buf, sizeof(buf), 0);
    ok(r == 0, "recv after graceful close: %d err %d", r, WSAGetLastError());
    closesocket(s);

    /* l_onoff 1 with l_linger 0: closesocket resets the connection. */
    if (tu_tcp_pair(&c, &s)) {
        ok(0, "tcp pair failed");
        return;
    }
    l.l_onoff = 1;
    l.l_linger = 0;
    WSASetLastError(0xdeadbeef);
    r = setsockopt(c, SOL_SOCKET, SO_LINGER, (char *)&l, sizeof(l));
    ok(r == 0 && WSAGetLastError() == 0, "set abortive linger: r %d err %d", r, WSAGetLastError());
    ok(closesocket(c) == 0, "closesocket err %d", WSAGetLastError());
    /* Wait until the reset has arrived. */
    ok(tu_wait_for(s, 'r', 2000) == 1, "reset not reported readable");
#ifdef WS2_URING
    /* Windows fails the receive with WSAECONNRESET; Wine 8 reports end of stream instead. */
    WSASetLastError(0xdeadbeef);
    r = recv(s, buf, sizeof(buf), 0);
    e = WSAGetLastError();
    ok(r == SOCKET_ERROR && e == WSAECONNRESET, "recv after reset: r %d err %d", r, e);
#endif
    WSASetLastError(0xdeadbeef);
    r = send(s, "x", 1, 0);
    e = WSAGetLastError();
    ok(r == SOCKET_ERROR && e == WSAECONNRESET, "send after reset: r %d err %d", r, e);
    closesocket(s);
}

int main(void)
{
    tu_startup();
    test_layout_and_default();
    test_round_trip();
    test_udp();
    test_inherit();
    test_close_effects();
    WSACleanup();
    return test_done();
}
