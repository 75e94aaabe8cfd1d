/* WSAPoll events: the Windows POLL* values and WSAPOLLFD layout, a listener with and without a
 * pending connection, connected sockets, data, urgent data (plain and inline), peer close
 * (POLLHUP without POLLRDNORM), reset (POLLERR|POLLHUP), a refused connect, UDP, POLLHUP and
 * POLLERR reported without being asked for, timeouts, and a socket closed during the wait. */
#include "testutil.h"
#include <pthread.h>
#include <stddef.h>

#define ALL (POLLRDNORM | POLLRDBAND | POLLWRNORM)

/* Poll one socket for `mask` (1 s timeout); checks the result count against revents and that
 * revents is `expect`. */
#define check_poll(s, mask, expect) check_poll_(__LINE__, s, mask, expect)
static void check_poll_(int line, SOCKET s, short mask, short expect)
{
    WSAPOLLFD p;
    int r;

    p.fd = s;
    p.events = mask;
    p.revents = (short)0xdead;
    r = WSAPoll(&p, 1, 1000);
    tu_ok(r == (p.revents ? 1 : 0), __FILE__, line, "WSAPoll returned %d with revents %#x", r,
          (unsigned short)p.revents);
    tu_ok(p.revents == expect, __FILE__, line, "revents %#x want %#x (events %#x)", (unsigned short)p.revents,
          (unsigned short)expect, (unsigned short)mask);
}

static void test_values(void)
{
    ok(POLLRDNORM == 0x0100, "POLLRDNORM %#x", POLLRDNORM);
    ok(POLLRDBAND == 0x0200, "POLLRDBAND %#x", POLLRDBAND);
    ok(POLLIN == 0x0300, "POLLIN %#x", POLLIN);
    ok(POLLPRI == 0x0400, "POLLPRI %#x", POLLPRI);
    ok(POLLWRNORM == 0x0010, "POLLWRNORM %#x", POLLWRNORM);
    ok(POLLOUT == 0x0010, "POLLOUT %#x", POLLOUT);
    ok(POLLWRBAND == 0x0020, "POLLWRBAND %#x", POLLWRBAND);
    ok(POLLERR == 0x0001, "POLLERR %#x", POLLERR);
    ok(POLLHUP == 0x0002, "POLLHUP %#x", POLLHUP);
    ok(POLLNVAL == 0x0004, "POLLNVAL %#x", POLLNVAL);
    ok(sizeof(WSAPOLLFD) == 16, "sizeof(WSAPOLLFD) %d", (int)sizeof(WSAPOLLFD));
    ok(offsetof(WSAPOLLFD, fd) == 0, "fd offset %d", (int)offsetof(WSAPOLLFD, fd));
    ok(offsetof(WSAPOLLFD, events) == 8, "events offset %d", (int)offsetof(WSAPOLLFD, events));
    ok(offsetof(WSAPOLLFD, revents) == 10, "revents offset %d", (int)offsetof(WSAPOLLFD, revents));
    ok(sizeof(((WSAPOLLFD *)0)->events) == 2, "events size");
}

static void test_stream(void)
{
    struct sockaddr_in addr;
    SOCKET l, c, s;
    WSAPOLLFD fds[3];
    u_long one = 1;
    char buf[16];
    int r, v;

    l = tu_listener(&addr);

    /* Idle listener: 0, revents cleared. */
    fds[0].fd = l;
    fds[0].events = ALL;
    fds[0].revents = (short)0xdead;
    r = WSAPoll(fds, 1, 0);
    ok(r == 0 && fds[0].revents == 0, "idle listener: r %d revents %#x", r, (unsigned short)fds[0].revents);

    /* A pending connection: POLLRDNORM. */
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ioctlsocket(c, FIONBIO, &one);
    connect(c, (struct sockaddr *)&addr, sizeof(addr));
    fds[0].events = POLLIN;
    fds[0].revents = (short)0xdead;
    r = WSAPoll(fds, 1, 1000);
    ok(r == 1 && fds[0].revents == POLLRDNORM, "pending: r %d revents %#x", r, (unsigned short)fds[0].revents);
    fds[0].revents = (short)0xdead;
    r = WSAPoll(fds, 1, 0);
    ok(r == 1 && fds[0].revents == POLLRDNORM, "pending again: r %d revents %#x", r,
       (unsigned short)fds[0].revents);
    fds[0].events = POLLRDBAND | POLLWRNORM;
    fds[0].revents = (short)0xdead;
    r = WSAPoll(fds, 1, 0);
    ok(r == 0 && fds[0].revents == 0, "pending, other events: r %d revents %#x", r, (unsigned short)fds[0].revents);

    s = accept(l, NULL, NULL);
    ok(s != INVALID_SOCKET, "accept err %d", WSAGetLastError());
    ioctlsocket(s, FIONBIO, &one);

    /* Connected: both writable, listener idle; the count is 2. */
    fds[0].fd = l;
    fds[1].fd = s;
    fds[2].fd = c;
    fds[0].events = fds[1].events = fds[2].events = ALL;
    fds[0].revents = fds[1].revents = fds[2].revents = (short)0xdead;
    r = WSAPoll(fds, 3, 1000);
    ok(r == 2, "connected: r %d", r);
    ok(fds[0].revents == 0 && fds[1].revents == POLLWRNORM && fds[2].revents == POLLWRNORM,
       "connected revents %#x %#x %#x", (unsigned short)fds[0].revents, (unsigned short)fds[1].revents,
       (unsigned short)fds[2].revents);

    /* Data. */
    ok(send(s, "1234", 4, 0) == 4, "send err %d", WSAGetLastError());
    check_poll(c, POLLRDNORM | POLLRDBAND, POLLRDNORM);
    check_poll(c, ALL, POLLRDNORM | POLLWRNORM);
    check_poll(c, POLLWRNORM, POLLWRNORM);
    check_poll(s, ALL, POLLWRNORM);
    ok(recv(c, buf, sizeof(buf), 0) == 4, "recv");
    check_poll(c, ALL, POLLWRNORM);

    /* Urgent data: POLLRDBAND. */
    ok(send(c, "A", 1, MSG_OOB) == 1, "send OOB err %d", WSAGetLastError());
    check_poll(c, ALL, POLLWRNORM);
    check_poll(s, POLLRDNORM | POLLRDBAND, POLLRDBAND);
    check_poll(s, ALL, POLLWRNORM | POLLRDBAND);
    check_poll(s, POLLRDNORM, 0);
    ok(recv(s, buf, 1, MSG_OOB) == 1 && buf[0] == 'A', "recv OOB");
    check_poll(s, ALL, POLLWRNORM);

    closesocket(c);
    closesocket(s);

    /* Inline urgent data looks like normal data. */
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(connect(c, (struct sockaddr *)&addr, sizeof(addr)) == 0, "connect err %d", WSAGetLastError());
    s = accept(l, NULL, NULL);
    v = 1;
    ok(setsockopt(s, SOL_SOCKET, SO_OOBINLINE, (char *)&v, sizeof(v)) == 0, "SO_OOBINLINE err %d",
       WSAGetLastError());
    ok(send(c, "B", 1, MSG_OOB) == 1, "send OOB err %d", WSAGetLastError());
    check_poll(s, POLLRDNORM | POLLRDBAND, POLLRDNORM);
    check_poll(s, ALL, POLLWRNORM | POLLRDNORM);
    ok(recv(s, buf, 1, 0) == 1 && buf[0] == 'B', "recv inline OOB");
    closesocket(c);
    closesocket(s);

    /* Peer closes: POLLHUP, even with no events asked; no POLLRDNORM. */
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(connect(c, (struct sockaddr *)&addr, sizeof(addr)) == 0, "connect err %d", WSAGetLastError());
    s = accept(l, NULL, NULL);
    closesocket(c);
    check_poll(s, 0, POLLHUP);
    check_poll(s, ALL, POLLWRNORM | POLLHUP);
    check_poll(s, POLLRDNORM, POLLHUP);
    ok(recv(s, buf, sizeof(buf), 0) == 0, "recv after peer close");
    closesocket(s);

    /* Peer shuts down sending with data still queued: data and hangup together. */
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(connect(c, (struct sockaddr *)&addr, sizeof(addr)) == 0, "connect err %d", WSAGetLastError());
    s = accept(l, NULL, NULL);
    ok(send(c, "data", 5, 0) == 5, "send err %d", WSAGetLastError());
    check_poll(c, ALL, POLLWRNORM);
    check_poll(s, POLLRDNORM | POLLRDBAND, POLLRDNORM);
    check_poll(s, ALL, POLLWRNORM | POLLRDNORM);
    ok(shutdown(c, SD_SEND) == 0, "shutdown err %d", WSAGetLastError());
    check_poll(c, ALL, POLLWRNORM);
#ifdef WS2_URING
    /* Windows adds POLLHUP once the FIN is in; Wine's test marks these todo. */
    check_poll(s, 0, POLLHUP);
    check_poll(s, ALL, POLLWRNORM | POLLRDNORM | POLLHUP);
#endif
    closesocket(c);
    closesocket(s);

    /* Reset: POLLERR and POLLHUP, asked for or not. */
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(connect(c, (struct sockaddr *)&addr, sizeof(addr)) == 0, "connect err %d", WSAGetLastError());
    s = accept(l, NULL, NULL);
    tu_reset_close(c);
    check_poll(s, ALL, POLLERR | POLLHUP | POLLWRNORM);
    check_poll(s, 0, POLLERR | POLLHUP);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(send(s, "x", 1, 0), SOCKET_ERROR, WSAECONNRESET);
    closesocket(s);

    closesocket(l);
}

static void test_shutdown(void)
{
    struct sockaddr_in addr;
    SOCKET l = tu_listener(&addr), c, s;

    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(connect(c, (struct sockaddr *)&addr, sizeof(addr)) == 0, "connect err %d", WSAGetLastError());
    s = accept(l, NULL, NULL);

    ok(shutdown(c, SD_RECEIVE) == 0, "SD_RECEIVE err %d", WSAGetLastError());
    check_poll(c, ALL, POLLWRNORM);
    ok(shutdown(c, SD_SEND) == 0, "SD_SEND err %d", WSAGetLastError());
    check_poll(c, ALL, POLLWRNORM);
#ifdef WS2_URING
    /* Windows reports the peer's FIN as POLLHUP; Wine's test marks these todo. */
    check_poll(s, 0, POLLHUP);
    check_poll(s, ALL, POLLWRNORM | POLLHUP);
#endif
    closesocket(c);
    closesocket(s);
    closesocket(l);
}

static void test_refused(void)
{
    struct sockaddr_in a;
    WSAPOLLFD p;
    u_long one = 1;
    SOCKET c;
    int len = sizeof(a), r, e;

    a = tu_lo4(tu_unused_port(SOCK_STREAM, NULL));

    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ioctlsocket(c, FIONBIO, &one);
    WSASetLastError(0xdeadbeef);
    r = connect(c, (struct sockaddr *)&a, sizeof(a));
    ok(r == SOCKET_ERROR && WSAGetLastError() == WSAEWOULDBLOCK, "connect: r %d err %d", r, WSAGetLastError());

    p.fd = c;
    p.events = ALL;
    p.revents = (short)0xdead;
    r = WSAPoll(&p, 1, 5000);
    ok(r == 1, "refused: WSAPoll %d", r);
    ok(p.revents & POLLERR, "refused: revents %#x lacks POLLERR", (unsigned short)p.revents);
#ifdef WS2_URING
    /* Windows 10 2004 and later: POLLWRNORM | POLLHUP | POLLERR; Wine reports POLLERR alone (its
     * test marks this todo). */
    ok(p.revents == (POLLWRNORM | POLLHUP | POLLERR), "refused: revents %#x", (unsigned short)p.revents);
#endif
    e = 0xdeadbeef;
    len = sizeof(e);
    ok(getsockopt(c, SOL_SOCKET, SO_ERROR, (char *)&e, &len) == 0 && e == WSAECONNREFUSED, "SO_ERROR %d", e);
    e = 0xdeadbeef;
    len = sizeof(e);
    ok(getsockopt(c, SOL_SOCKET, SO_ERROR, (char *)&e, &len) == 0 && e == WSAECONNREFUSED, "SO_ERROR again %d", e);
    closesocket(c);
}

static void test_udp(void)
{
    SOCKET c = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP), s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    struct sockaddr_in a;
    int len = sizeof(a);

    check_poll(c, ALL, POLLWRNORM);
    check_poll(s, ALL, POLLWRNORM);
    a = tu_lo4(0);
    ok(bind(c, (struct sockaddr *)&a, sizeof(a)) == 0, "bind err %d", WSAGetLastError());
    ok(getsockname(c, (struct sockaddr *)&a, &len) == 0, "getsockname err %d", WSAGetLastError());
    check_poll(c, ALL, POLLWRNORM);
    ok(sendto(s, "data", 5, 0, (struct sockaddr *)&a, sizeof(a)) == 5, "sendto err %d", WSAGetLastError());
    check_poll(c, POLLRDNORM | POLLRDBAND, POLLRDNORM);
    check_poll(c, ALL, POLLWRNORM | POLLRDNORM);
    check_poll(s, ALL, POLLWRNORM);
    closesocket(c);
    closesocket(s);
}

static void test_timeouts(void)
{
    SOCKET c, s;
    WSAPOLLFD p;
    unsigned long long t0, dt;
    int r;

    if (tu_tcp_pair(&c, &s)) {
        ok(0, "tcp pair failed");
        return;
    }
    p.fd = s;
    p.events = POLLRDNORM;

    /* 0: immediate. */
    p.revents = (short)0xdead;
    t0 = tu_now_ms();
    r = WSAPoll(&p, 1, 0);
    dt = tu_now_ms() - t0;
    ok(r == 0 && p.revents == 0, "timeout 0: r %d revents %#x", r, (unsigned short)p.revents);
    ok(dt < 100, "timeout 0 took %llu ms", dt);

    /* 150 ms. */
    p.revents = (short)0xdead;
    t0 = tu_now_ms();
    r = WSAPoll(&p, 1, 150);
    dt = tu_now_ms() - t0;
    ok(r == 0 && p.revents == 0, "timeout 150: r %d revents %#x", r, (unsigned short)p.revents);
    ok(dt >= 120 && dt < 1500, "150 ms timeout took %llu ms", dt);

    /* Infinite wait on a ready socket returns at once. */
    p.events = POLLWRNORM;
    p.revents = (short)0xdead;
    t0 = tu_now_ms();
    r = WSAPoll(&p, 1, -1);
    dt = tu_now_ms() - t0;
    ok(r == 1 && p.revents == POLLWRNORM, "infinite, ready: r %d revents %#x", r, (unsigned short)p.revents);
    ok(dt < 1000, "ready socket waited %llu ms", dt);
    closesocket(c);
    closesocket(s);
}

struct closer { SOCKET s; };

static void *close_later(void *arg)
{
    struct closer *c = arg;
    tu_sleep_ms(300);
    closesocket(c->s);
    return NULL;
}

static void test_closed_while_polling(void)
{
    struct closer cl;
    pthread_t th;
    WSAPOLLFD p;
    SOCKET c, s;
    int r;

    if (tu_tcp_pair(&c, &s)) {
        ok(0, "tcp pair failed");
        return;
    }
    cl.s = c;
    pthread_create(&th, NULL, close_later, &cl);
    p.fd = c;
    p.events = POLLRDNORM | POLLRDBAND;
    p.revents = (short)0xdead;
    r = WSAPoll(&p, 1, 2000);
    ok(r == 1, "closed while polling: r %d", r);
    ok(p.revents == POLLNVAL, "closed while polling: revents %#x", (unsigned short)p.revents);
    pthread_join(th, NULL);
    closesocket(s);
}

int main(void)
{
    tu_startup();
    test_values();
    test_stream();
    test_shutdown();
    test_refused();
    test_udp();
    test_timeouts();
    test_closed_while_polling();
    WSACleanup();
    return test_done();
}
