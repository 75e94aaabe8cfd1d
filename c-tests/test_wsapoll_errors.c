/* WSAPoll argument errors and invalid entries: a NULL array, negative and bogus fd entries
 * (POLLNVAL, not counted), all entries invalid (WSAENOTSOCK), closed sockets, and requested
 * events outside POLLRDNORM | POLLRDBAND | POLLWRNORM (WSAEINVAL). */
#include "testutil.h"

#define ALL (POLLRDNORM | POLLRDBAND | POLLWRNORM)
#define BOGUS ((SOCKET)0xabacab)

static void test_null_array(void)
{
    /* No entries: WSAEINVAL. A NULL array with entries: WSAEFAULT. */
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAPoll(NULL, 0, 0), SOCKET_ERROR, WSAEINVAL);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAPoll(NULL, 0, 1), SOCKET_ERROR, WSAEINVAL);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAPoll(NULL, 1, 0), SOCKET_ERROR, WSAEFAULT);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAPoll(NULL, 1, 1), SOCKET_ERROR, WSAEFAULT);
}

static void test_invalid_entries(void)
{
    struct sockaddr_in addr;
    SOCKET l = tu_listener(&addr), closed;
    WSAPOLLFD fds[3];
    int r;

    /* A negative fd next to a valid socket: no error, POLLNVAL in that entry, not counted. */
    fds[0].fd = (SOCKET)-1;
    fds[0].events = POLLERR;
    fds[0].revents = (short)0xdead;
    fds[1].fd = l;
    fds[1].events = POLLIN;
    fds[1].revents = (short)0xdead;
    WSASetLastError(0xdeadbeef);
    r = WSAPoll(fds, 2, 0);
    ok(r == 0, "negative fd: r %d", r);
    ok(WSAGetLastError() == 0, "negative fd: last error %d", WSAGetLastError());
    ok(fds[0].revents == POLLNVAL, "negative fd revents %#x", (unsigned short)fds[0].revents);
    ok(fds[1].revents == 0, "listener revents %#x", (unsigned short)fds[1].revents);

    /* A value that is not a socket, next to a valid one. */
    fds[0].fd = l;
    fds[0].events = POLLIN;
    fds[0].revents = (short)0xdead;
    fds[1].fd = BOGUS;
    fds[1].events = POLLIN;
    fds[1].revents = (short)0xdead;
    WSASetLastError(0xdeadbeef);
    r = WSAPoll(fds, 2, 0);
    ok(r == 0, "bogus socket: r %d", r);
    ok(WSAGetLastError() == 0, "bogus socket: last error %d", WSAGetLastError());
    ok(fds[0].revents == 0, "listener revents %#x", (unsigned short)fds[0].revents);
    ok(fds[1].revents == POLLNVAL, "bogus revents %#x", (unsigned short)fds[1].revents);

    /* The same with a socket that was closed. */
    closed = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    closesocket(closed);
    fds[1].fd = closed;
    fds[1].events = POLLIN;
    fds[0].revents = fds[1].revents = (short)0xdead;
    WSASetLastError(0xdeadbeef);
    r = WSAPoll(fds, 2, 0);
    ok(r == 0, "closed socket: r %d", r);
    ok(WSAGetLastError() == 0, "closed socket: last error %d", WSAGetLastError());
    ok(fds[0].revents == 0, "listener revents %#x", (unsigned short)fds[0].revents);
    ok(fds[1].revents == POLLNVAL, "closed revents %#x", (unsigned short)fds[1].revents);

    /* A bogus entry asking for an invalid flag, next to a valid socket. */
    fds[0].fd = l;
    fds[0].events = POLLIN;
    fds[0].revents = (short)0xdead;
    fds[1].fd = BOGUS;
    fds[1].events = POLLERR;
    fds[1].revents = (short)0xdead;
    WSASetLastError(0xdeadbeef);
    r = WSAPoll(fds, 2, 0);
    ok(fds[0].revents == 0, "listener revents %#x", (unsigned short)fds[0].revents);
#ifdef WS2_URING
    /* Windows rejects the call and leaves revents 0; Wine's test marks these todo. */
    ok(r == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "bogus+POLLERR: r %d err %d", r, WSAGetLastError());
    ok(fds[1].revents == 0, "bogus+POLLERR revents %#x", (unsigned short)fds[1].revents);
#endif

    /* Nothing valid at all: WSAENOTSOCK, every entry POLLNVAL. */
    fds[0].fd = (SOCKET)-1;
    fds[0].events = POLLERR;
    fds[0].revents = (short)0xdead;
    fds[1].fd = BOGUS;
    fds[1].events = POLLERR;
    fds[1].revents = (short)0xdead;
    WSASetLastError(0xdeadbeef);
    r = WSAPoll(fds, 2, 0);
    ok(r == SOCKET_ERROR && WSAGetLastError() == WSAENOTSOCK, "all invalid: r %d err %d", r, WSAGetLastError());
    ok(fds[0].revents == POLLNVAL && fds[1].revents == POLLNVAL, "all invalid revents %#x %#x",
       (unsigned short)fds[0].revents, (unsigned short)fds[1].revents);

    fds[0].fd = (SOCKET)-1;
    fds[0].events = POLLERR;
    fds[0].revents = (short)0xdead;
    fds[1].fd = closed;
    fds[1].events = POLLERR;
    fds[1].revents = (short)0xdead;
    WSASetLastError(0xdeadbeef);
    r = WSAPoll(fds, 2, 0);
    ok(r == SOCKET_ERROR && WSAGetLastError() == WSAENOTSOCK, "negative+closed: r %d err %d", r, WSAGetLastError());
    ok(fds[0].revents == POLLNVAL && fds[1].revents == POLLNVAL, "negative+closed revents %#x %#x",
       (unsigned short)fds[0].revents, (unsigned short)fds[1].revents);

    /* A negative entry does not disturb a ready one: the listener with a pending connection. */
    {
        SOCKET c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), s;
        ok(connect(c, (struct sockaddr *)&addr, sizeof(addr)) == 0, "connect err %d", WSAGetLastError());
        fds[0].fd = (SOCKET)-1;
        fds[0].events = POLLIN;
        fds[0].revents = (short)0xdead;
        fds[1].fd = l;
        fds[1].events = POLLIN;
        fds[1].revents = (short)0xdead;
        fds[2].fd = (SOCKET)-5;
        fds[2].events = 0;
        fds[2].revents = (short)0xdead;
        r = WSAPoll(fds, 3, 1000);
        ok(r == 1, "negative entries with a ready listener: r %d", r);
        ok(fds[1].revents == POLLRDNORM, "ready listener revents %#x", (unsigned short)fds[1].revents);
        ok(fds[0].revents == POLLNVAL && fds[2].revents == POLLNVAL, "negative revents %#x %#x",
           (unsigned short)fds[0].revents, (unsigned short)fds[2].revents);
        s = accept(l, NULL, NULL);
        closesocket(s);
        closesocket(c);
    }
    closesocket(l);
}

static void test_invalid_flags(void)
{
    static const short bad[] = {POLLERR, POLLHUP, POLLNVAL, 0x8, POLLWRBAND, 0x40, 0x80, POLLPRI,
                                0x800, 0x1000, 0x2000, 0x4000, (short)0x8000};
    struct sockaddr_in addr;
    SOCKET l = tu_listener(&addr), c, s;
    WSAPOLLFD p;
    unsigned int i;
    int r;

    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(connect(c, (struct sockaddr *)&addr, sizeof(addr)) == 0, "connect err %d", WSAGetLastError());
    s = accept(l, NULL, NULL);

    /* Only POLLRDNORM, POLLRDBAND and POLLWRNORM may be asked for. */
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        p.fd = l;
        p.events = bad[i];
        p.revents = (short)0xdead;
        WSASetLastError(0xdeadbeef);
        r = WSAPoll(&p, 1, 0);
#ifdef WS2_URING
        /* Windows fails these with WSAEINVAL; Wine accepts them (its test marks this todo). */
        ok(r == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "listener events %#x: r %d err %d",
           (unsigned short)bad[i], r, WSAGetLastError());
#else
        (void)r;
#endif
        p.fd = s;
        p.events = bad[i];
        p.revents = (short)0xdead;
        WSASetLastError(0xdeadbeef);
        r = WSAPoll(&p, 1, 0);
#ifdef WS2_URING
        ok(r == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "connected events %#x: r %d err %d",
           (unsigned short)bad[i], r, WSAGetLastError());
#endif
    }

    /* The valid ones, alone and together, are accepted. */
    p.fd = s;
    p.events = POLLRDNORM;
    p.revents = (short)0xdead;
    ok(WSAPoll(&p, 1, 0) == 0 && p.revents == 0, "POLLRDNORM alone: revents %#x", (unsigned short)p.revents);
    p.events = POLLRDBAND;
    p.revents = (short)0xdead;
    ok(WSAPoll(&p, 1, 0) == 0 && p.revents == 0, "POLLRDBAND alone: revents %#x", (unsigned short)p.revents);
    p.events = POLLWRNORM;
    p.revents = (short)0xdead;
    ok(WSAPoll(&p, 1, 0) == 1 && p.revents == POLLWRNORM, "POLLWRNORM alone: revents %#x",
       (unsigned short)p.revents);
    p.events = POLLIN | POLLOUT;
    p.revents = (short)0xdead;
    ok(WSAPoll(&p, 1, 0) == 1 && p.revents == POLLWRNORM, "POLLIN|POLLOUT: revents %#x",
       (unsigned short)p.revents);
    p.events = 0;
    p.revents = (short)0xdead;
    ok(WSAPoll(&p, 1, 0) == 0 && p.revents == 0, "no events: revents %#x", (unsigned short)p.revents);

    closesocket(c);
    closesocket(s);
    closesocket(l);
}

int main(void)
{
    tu_startup();
    test_null_array();
    test_invalid_entries();
    test_invalid_flags();
    WSACleanup();
    return test_done();
}
