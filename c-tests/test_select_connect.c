/* select() and non-blocking connect: a successful connect shows up in writefds with SO_ERROR 0,
 * a refused one in exceptfds only with SO_ERROR WSAECONNREFUSED (which reading does not clear),
 * a blocking connect that failed, and reusing a socket whose connect failed. */
#include "testutil.h"

static SOCKET nb_socket(void)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(tu_set_nonblocking(s, 1) == 0, "FIONBIO err %d", WSAGetLastError());
    return s;
}

#define ZERO3() do { FD_ZERO(&rd); FD_ZERO(&wr); FD_ZERO(&ex); } while (0)
#define SET3(s) do { FD_SET(s, &rd); FD_SET(s, &wr); FD_SET(s, &ex); } while (0)

static void test_success(void)
{
    struct sockaddr_in a;
    int r, e;
    SOCKET l = tu_listener(&a), c, s;
    fd_set rd, wr, ex;
    struct timeval tv = {2, 0};


    c = nb_socket();
    WSASetLastError(0xdeadbeef);
    r = connect(c, (struct sockaddr *)&a, sizeof(a));
    e = WSAGetLastError();
    ok(r == 0 || (r == SOCKET_ERROR && e == WSAEWOULDBLOCK), "nonblocking connect: r %d err %d", r, e);

    /* The listener becomes readable. */
    ZERO3();
    SET3(l);
    r = select(0, &rd, &wr, &ex, &tv);
    ok(r == 1 && FD_ISSET(l, &rd), "listener: select %d", r);
    s = accept(l, NULL, NULL);
    ok(s != INVALID_SOCKET, "accept err %d", WSAGetLastError());

    /* The connector (and the accepted socket) become writable. */
    ZERO3();
    SET3(l);
    SET3(c);
    SET3(s);
    r = select(0, &rd, &wr, &ex, &tv);
    ok(r == 2, "connected: select %d", r);
    ok(FD_ISSET(c, &wr) && FD_ISSET(s, &wr) && ex.fd_count == 0 && rd.fd_count == 0, "connected sets %u %u %u",
       rd.fd_count, wr.fd_count, ex.fd_count);
    ok(tu_so_error(c) == 0, "SO_ERROR after success %d", tu_so_error(c));

    /* Connecting a connected socket. */
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(connect(c, (struct sockaddr *)&a, sizeof(a)), SOCKET_ERROR, WSAEISCONN);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(connect(s, (struct sockaddr *)&a, sizeof(a)), SOCKET_ERROR, WSAEISCONN);
    /* ... and a listening one. */
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(connect(l, (struct sockaddr *)&a, sizeof(a)), SOCKET_ERROR, WSAEINVAL);

    /* Before any data, the connector is not readable. */
    ZERO3();
    FD_SET(c, &rd);
    tv.tv_sec = 0;
    tv.tv_usec = 100000;
    r = select(0, &rd, NULL, NULL, &tv);
    ok(r == 0, "connector readable without data: %d", r);

    closesocket(c);
    closesocket(s);
    closesocket(l);
}

static void test_refused(void)
{
    struct sockaddr_in a;
    fd_set rd, wr, ex;
    struct timeval tv = {5, 0};
    SOCKET c;
    int r, e;

    a = tu_lo4(tu_unused_port(SOCK_STREAM, NULL));

    c = nb_socket();
    WSASetLastError(0xdeadbeef);
    r = connect(c, (struct sockaddr *)&a, sizeof(a));
    e = WSAGetLastError();
    ok(r == SOCKET_ERROR && e == WSAEWOULDBLOCK, "refused nonblocking connect: r %d err %d", r, e);

    /* The failure is reported in exceptfds only. */
    ZERO3();
    SET3(c);
    r = select(0, &rd, &wr, &ex, &tv);
    ok(FD_ISSET(c, &ex) && !FD_ISSET(c, &wr), "refused sets %u %u %u", rd.fd_count, wr.fd_count, ex.fd_count);
#ifdef WS2_URING
    /* Windows reports exceptfds alone; Wine 8 also marks the socket readable. */
    ok(r == 1, "refused: select %d err %d", r, WSAGetLastError());
    ok(!FD_ISSET(c, &rd), "refused socket reported readable");
#endif
    ok(tv.tv_sec == 5 && tv.tv_usec == 0, "timeval changed");

    /* SO_ERROR holds the WSA code and is not cleared by reading it. */
    e = tu_so_error(c);
    ok(e == WSAECONNREFUSED, "SO_ERROR %d", e);
    e = tu_so_error(c);
    ok(e == WSAECONNREFUSED, "SO_ERROR read again %d", e);

    /* Still reported on the next select. */
    ZERO3();
    SET3(c);
    r = select(0, &rd, &wr, &ex, &tv);
    ok(r == 1 && FD_ISSET(c, &ex), "refused, again: select %d", r);

    /* Only writefds asked: nothing to report. */
    ZERO3();
    FD_SET(c, &wr);
    tv.tv_sec = 0;
    tv.tv_usec = 100000;
    r = select(0, NULL, &wr, NULL, &tv);
    ok(r == 0, "refused, write set only: select %d", r);

    /* Calling connect again does not reset the error... */
    WSASetLastError(0xdeadbeef);
    r = connect(c, (struct sockaddr *)&a, sizeof(a));
    e = WSAGetLastError();
    ok(r == SOCKET_ERROR, "second refused connect succeeded");
#ifdef WS2_URING
    /* Windows starts a new attempt (WSAEWOULDBLOCK); Wine 8 fails it with WSAECONNABORTED. */
    ok(e == WSAEWOULDBLOCK, "second refused connect err %d", e);
#endif
    e = tu_so_error(c);
    ok(e == WSAECONNREFUSED, "SO_ERROR after second connect %d", e);
    ZERO3();
    SET3(c);
    tv.tv_sec = 5;
    tv.tv_usec = 0;
    r = select(0, &rd, &wr, &ex, &tv);
    ok(r == 1 && FD_ISSET(c, &ex), "second refusal: select %d", r);

    /* ... but a successful connection does. */
    {
        struct sockaddr_in la;
        SOCKET l = tu_listener(&la), s;
        WSASetLastError(0xdeadbeef);
        r = connect(c, (struct sockaddr *)&la, sizeof(la));
        e = WSAGetLastError();
        ok(r == SOCKET_ERROR && e == WSAEWOULDBLOCK, "connect after refusal: r %d err %d", r, e);
        ZERO3();
        SET3(c);
        tv.tv_sec = 2;
        r = select(0, &rd, &wr, &ex, &tv);
        ok(r == 1 && FD_ISSET(c, &wr), "connect after refusal: select %d sets %u %u %u", r, rd.fd_count,
           wr.fd_count, ex.fd_count);
        ok(tu_so_error(c) == 0, "SO_ERROR after successful retry %d", tu_so_error(c));
        s = accept(l, NULL, NULL);
        ok(s != INVALID_SOCKET, "accept err %d", WSAGetLastError());
        closesocket(s);
        closesocket(l);
    }
    closesocket(c);
}

static void test_blocking_refused(void)
{
    struct sockaddr_in a;
    fd_set rd, wr, ex;
    struct timeval tv = {0, 0};
    SOCKET c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    int r;

    a = tu_lo4(tu_unused_port(SOCK_STREAM, NULL));

    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(connect(c, (struct sockaddr *)&a, sizeof(a)), SOCKET_ERROR, WSAECONNREFUSED);

    /* After a synchronous failure the socket still reports in exceptfds. */
    ZERO3();
    SET3(c);
    r = select(0, &rd, &wr, &ex, &tv);
    ok(r == 1 && FD_ISSET(c, &ex), "after blocking refusal: select %d sets %u %u %u", r, rd.fd_count, wr.fd_count,
       ex.fd_count);
#ifdef WS2_URING
    /* Windows leaves SO_ERROR at 0 after a synchronous failure; Wine's test marks this todo. */
    ok(tu_so_error(c) == 0, "SO_ERROR after blocking refusal %d", tu_so_error(c));
#endif
    closesocket(c);

    /* A write set alone with a refused connection times out with 0. */
    c = nb_socket();
    connect(c, (struct sockaddr *)&a, sizeof(a));
    {
        fd_set only;
        struct timeval t = {0, 50000};
        FD_ZERO(&only);
        FD_SET(c, &only);
        /* Give the refusal time to arrive first. */
        ZERO3();
        FD_SET(c, &ex);
        tv.tv_sec = 2;
        ok(select(0, NULL, NULL, &ex, &tv) == 1, "refusal not reported");
        r = select(0, NULL, &only, NULL, &t);
        ok(r == 0, "write-only select after refusal %d", r);
    }
    closesocket(c);
}

int main(void)
{
    tu_startup();
    test_success();
    test_refused();
    test_blocking_refused();
    WSACleanup();
    return test_done();
}
