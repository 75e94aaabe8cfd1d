/* SO_RCVTIMEO / SO_SNDTIMEO as DWORD milliseconds: defaults, round trips, blocking calls timing
 * out with WSAETIMEDOUT, non-blocking sockets ignoring them, and the options an accepted socket
 * inherits from its listener. */
#include "testutil.h"

static DWORD get_timeo(SOCKET s, int name, int *len, int *ret)
{
    DWORD v = 0xdeadbeef;
    *len = sizeof(v);
    *ret = getsockopt(s, SOL_SOCKET, name, (char *)&v, len);
    return v;
}

static int set_timeo(SOCKET s, int name, DWORD ms)
{
    return setsockopt(s, SOL_SOCKET, name, (const char *)&ms, sizeof(ms));
}

static void test_round_trip(void)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    DWORD v;
    int len, r;

    v = get_timeo(s, SO_RCVTIMEO, &len, &r);
    ok(r == 0 && v == 0 && len == 4, "SO_RCVTIMEO default: r %d v %u len %d", r, (unsigned)v, len);
    v = get_timeo(s, SO_SNDTIMEO, &len, &r);
    ok(r == 0 && v == 0 && len == 4, "SO_SNDTIMEO default: r %d v %u len %d", r, (unsigned)v, len);

    ok(set_timeo(s, SO_RCVTIMEO, 63000) == 0, "set SO_RCVTIMEO err %d", WSAGetLastError());
    v = get_timeo(s, SO_RCVTIMEO, &len, &r);
    ok(r == 0 && v == 63000 && len == 4, "SO_RCVTIMEO 63000: r %d v %u len %d", r, (unsigned)v, len);

    ok(set_timeo(s, SO_RCVTIMEO, 1500) == 0, "set SO_RCVTIMEO err %d", WSAGetLastError());
    v = get_timeo(s, SO_RCVTIMEO, &len, &r);
    ok(r == 0 && v == 1500, "SO_RCVTIMEO 1500: r %d v %u", r, (unsigned)v);

    ok(set_timeo(s, SO_RCVTIMEO, 0) == 0, "set SO_RCVTIMEO 0 err %d", WSAGetLastError());
    v = get_timeo(s, SO_RCVTIMEO, &len, &r);
    ok(r == 0 && v == 0, "SO_RCVTIMEO 0: r %d v %u", r, (unsigned)v);

    ok(set_timeo(s, SO_SNDTIMEO, 997000) == 0, "set SO_SNDTIMEO err %d", WSAGetLastError());
    v = get_timeo(s, SO_SNDTIMEO, &len, &r);
    ok(r == 0 && v == 997000 && len == 4, "SO_SNDTIMEO 997000: r %d v %u len %d", r, (unsigned)v, len);

    ok(set_timeo(s, SO_SNDTIMEO, 250) == 0, "set SO_SNDTIMEO err %d", WSAGetLastError());
    v = get_timeo(s, SO_SNDTIMEO, &len, &r);
    ok(r == 0 && v == 250, "SO_SNDTIMEO 250: r %d v %u", r, (unsigned)v);

    /* The two are independent. */
    v = get_timeo(s, SO_RCVTIMEO, &len, &r);
    ok(r == 0 && v == 0, "SO_RCVTIMEO after SO_SNDTIMEO: r %d v %u", r, (unsigned)v);

    /* A larger buffer is accepted by getsockopt; the reported length is 4. */
    {
        unsigned long long big = 0xffffffffffffffffULL;
        len = sizeof(big);
        r = getsockopt(s, SOL_SOCKET, SO_SNDTIMEO, (char *)&big, &len);
        ok(r == 0 && len == 4 && (DWORD)big == 250, "8-byte get: r %d len %d low %u", r, len, (unsigned)(DWORD)big);
    }

    closesocket(s);
}

static void test_recv_timeout(void)
{
    SOCKET c, s;
    unsigned long long t0, dt;
    char buf[16];
    int r, e;

    if (tu_tcp_pair(&c, &s)) {
        ok(0, "tcp pair failed");
        return;
    }
    ok(set_timeo(s, SO_RCVTIMEO, 300) == 0, "set SO_RCVTIMEO err %d", WSAGetLastError());

    /* Data already queued is returned at once. */
    ok(send(c, "abc", 3, 0) == 3, "send err %d", WSAGetLastError());
    r = recv(s, buf, sizeof(buf), 0);
    ok(r == 3, "recv with data %d err %d", r, WSAGetLastError());

    /* Nothing queued: the call fails with WSAETIMEDOUT after about the timeout. */
    WSASetLastError(0xdeadbeef);
    t0 = tu_now_ms();
    r = recv(s, buf, sizeof(buf), 0);
    e = WSAGetLastError();
    dt = tu_now_ms() - t0;
    ok(r == SOCKET_ERROR && e == WSAETIMEDOUT, "recv timeout: r %d err %d", r, e);
    ok(dt + TU_CLOCK_SLACK_MS >= 200 && dt < 3000, "recv timeout took %llu ms", dt);
    closesocket(c);
    closesocket(s);

    /* Same for a UDP recvfrom. */
    {
        SOCKET u = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
        struct sockaddr_in a, from;
        int fromlen = sizeof(from);

        a = tu_lo4(0);
        ok(bind(u, (struct sockaddr *)&a, sizeof(a)) == 0, "udp bind err %d", WSAGetLastError());
        ok(set_timeo(u, SO_RCVTIMEO, 250) == 0, "udp set err %d", WSAGetLastError());
        WSASetLastError(0xdeadbeef);
        t0 = tu_now_ms();
        r = recvfrom(u, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen);
        e = WSAGetLastError();
        dt = tu_now_ms() - t0;
        ok(r == SOCKET_ERROR && e == WSAETIMEDOUT, "recvfrom timeout: r %d err %d", r, e);
        ok(dt >= 150 && dt < 3000, "recvfrom timeout took %llu ms", dt);
        closesocket(u);
    }
}

static void test_nonblocking_ignores_timeout(void)
{
    SOCKET c, s;
    u_long one = 1;
    unsigned long long t0, dt;
    char buf[4];
    int r, e;

    if (tu_tcp_pair(&c, &s)) {
        ok(0, "tcp pair failed");
        return;
    }
    ok(set_timeo(s, SO_RCVTIMEO, 2000) == 0, "set err %d", WSAGetLastError());
    ok(ioctlsocket(s, FIONBIO, &one) == 0, "FIONBIO err %d", WSAGetLastError());
    WSASetLastError(0xdeadbeef);
    t0 = tu_now_ms();
    r = recv(s, buf, sizeof(buf), 0);
    e = WSAGetLastError();
    dt = tu_now_ms() - t0;
    ok(r == SOCKET_ERROR && e == WSAEWOULDBLOCK, "nonblocking recv: r %d err %d", r, e);
    ok(dt < 1000, "nonblocking recv waited %llu ms", dt);
    closesocket(c);
    closesocket(s);
}

static void test_send_timeout(void)
{
    static char chunk[65536];
    SOCKET c, s;
    DWORD small = 4096;
    int i, r = 0, e = 0;

    if (tu_tcp_pair(&c, &s)) {
        ok(0, "tcp pair failed");
        return;
    }
    setsockopt(c, SOL_SOCKET, SO_SNDBUF, (char *)&small, sizeof(small));
    setsockopt(s, SOL_SOCKET, SO_RCVBUF, (char *)&small, sizeof(small));
    ok(set_timeo(c, SO_SNDTIMEO, 200) == 0, "set SO_SNDTIMEO err %d", WSAGetLastError());

    /* The peer never reads: sends eventually block, then time out. */
    for (i = 0; i < 512; i++) {
        WSASetLastError(0xdeadbeef);
        r = send(c, chunk, sizeof(chunk), 0);
        if (r == SOCKET_ERROR) {
            e = WSAGetLastError();
            break;
        }
    }
    ok(r == SOCKET_ERROR && e == WSAETIMEDOUT, "send timeout: r %d err %d after %d sends", r, e, i);
    closesocket(c);
    closesocket(s);
}

static void test_inherited(void)
{
    static const struct { int level, name, value; const char *label; } opts[] = {
        {SOL_SOCKET, SO_RCVTIMEO, 0x123, "SO_RCVTIMEO"},
        {SOL_SOCKET, SO_SNDTIMEO, 0x123, "SO_SNDTIMEO"},
        {SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR"},
        {SOL_SOCKET, SO_KEEPALIVE, 1, "SO_KEEPALIVE"},
        {SOL_SOCKET, SO_OOBINLINE, 1, "SO_OOBINLINE"},
        {SOL_SOCKET, SO_SNDBUF, 0x123, "SO_SNDBUF"},
        {SOL_SOCKET, SO_RCVBUF, 0x123, "SO_RCVBUF"},
        {IPPROTO_TCP, TCP_NODELAY, 1, "TCP_NODELAY"},
    };
    struct sockaddr_in a;
    SOCKET l, c, s;
    unsigned int i;
    int v, len = sizeof(a);

    l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
        ok(setsockopt(l, opts[i].level, opts[i].name, (const char *)&opts[i].value, sizeof(int)) == 0,
           "listener %s err %d", opts[i].label, WSAGetLastError());
    tu_listen_loopback(l, &a);
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(connect(c, (struct sockaddr *)&a, sizeof(a)) == 0, "connect err %d", WSAGetLastError());
    s = accept(l, NULL, NULL);
    ok(s != INVALID_SOCKET, "accept err %d", WSAGetLastError());

    for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
        v = 0;
        len = sizeof(v);
        ok(getsockopt(s, opts[i].level, opts[i].name, (char *)&v, &len) == 0, "accepted %s err %d",
           opts[i].label, WSAGetLastError());
        ok(v == opts[i].value, "accepted %s = %#x, want %#x", opts[i].label, v, opts[i].value);
    }
    closesocket(s);
    closesocket(c);
    closesocket(l);
}

int main(void)
{
    tu_startup();
    test_round_trip();
    test_recv_timeout();
    test_nonblocking_ignores_timeout();
    test_send_timeout();
    test_inherited();
    WSACleanup();
    return test_done();
}
