/* WSAConnect with NULL caller/callee data and QOS: TCP over IPv4 and IPv6, refusal, WSAEISCONN,
 * a listening socket, non-blocking mode, UDP default peers, and name validation. */
#include "testutil.h"

static void test_tcp(void)
{
    struct sockaddr_in la, peer, closed;
    SOCKET l, c, a;
    char b[8];
    int r, len;

    l = tu_listener(&la);

    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSASetLastError(0xdeadbeef);
    r = WSAConnect(c, (struct sockaddr *)&la, sizeof(la), NULL, NULL, NULL, NULL);
    ok(r == 0, "WSAConnect: got %d error %d", r, WSAGetLastError());
    a = accept(l, NULL, NULL);
    ok(a != INVALID_SOCKET, "accept: error %d", WSAGetLastError());
    len = sizeof(peer);
    ok(getpeername(c, (struct sockaddr *)&peer, &len) == 0 && !memcmp(&peer, &la, sizeof(la)),
       "getpeername after WSAConnect: error %d", WSAGetLastError());
    ok(send(c, "wsa", 3, 0) == 3, "send: error %d", WSAGetLastError());
    r = recv(a, b, sizeof(b), 0);
    ok(r == 3 && !memcmp(b, "wsa", 3), "data after WSAConnect: got %d", r);

    /* Connected already. */
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAConnect(c, (struct sockaddr *)&la, sizeof(la), NULL, NULL, NULL, NULL),
                SOCKET_ERROR, WSAEISCONN);
    closesocket(a);
    closesocket(c);

    /* A listening socket cannot connect. */
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAConnect(l, (struct sockaddr *)&la, sizeof(la), NULL, NULL, NULL, NULL),
                SOCKET_ERROR, WSAEINVAL);

    /* Refused. */
    {
        SOCKET tmp = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        closed = la;
        closed.sin_port = 0;
        bind(tmp, (struct sockaddr *)&closed, sizeof(closed));
        len = sizeof(closed);
        getsockname(tmp, (struct sockaddr *)&closed, &len);
        closesocket(tmp);
    }
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAConnect(c, (struct sockaddr *)&closed, sizeof(closed), NULL, NULL, NULL, NULL),
                SOCKET_ERROR, WSAECONNREFUSED);
    closesocket(c);

    /* Bad sockets and names. */
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAConnect(INVALID_SOCKET, (struct sockaddr *)&la, sizeof(la), NULL, NULL, NULL,
                           NULL),
                SOCKET_ERROR, WSAENOTSOCK);
#ifdef WS2_URING
    /* A name shorter than a sockaddr_in: WSAEFAULT (Wine 8 does not check). */
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAConnect(c, (struct sockaddr *)&la, sizeof(la) - 1, NULL, NULL, NULL, NULL),
                SOCKET_ERROR, WSAEFAULT);
    closesocket(c);
#endif

    /* Non-blocking: WSAEWOULDBLOCK, then connected. */
    {
        c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        tu_set_nonblocking(c, 1);
        WSASetLastError(0xdeadbeef);
        ok_wsa_fail(WSAConnect(c, (struct sockaddr *)&la, sizeof(la), NULL, NULL, NULL, NULL),
                    SOCKET_ERROR, WSAEWOULDBLOCK);
        ok(tu_wait_for(c, 'w', 2000) == 1, "non-blocking WSAConnect did not complete");
        WSASetLastError(0xdeadbeef);
        ok_wsa_fail(WSAConnect(c, (struct sockaddr *)&la, sizeof(la), NULL, NULL, NULL, NULL),
                    SOCKET_ERROR, WSAEISCONN);
        a = accept(l, NULL, NULL);
        ok(a != INVALID_SOCKET, "accept: error %d", WSAGetLastError());
        closesocket(a);
        closesocket(c);
    }
    closesocket(l);
}

static void test_tcp6(void)
{
    struct sockaddr_in6 la;
    SOCKET l, c, a;

    l = tu_listener6(&la);
    c = WSASocketW(AF_INET6, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    ok(WSAConnect(c, (struct sockaddr *)&la, sizeof(la), NULL, NULL, NULL, NULL) == 0,
       "WSAConnect [::1]: error %d", WSAGetLastError());
    a = accept(l, NULL, NULL);
    ok(a != INVALID_SOCKET, "accept AF_INET6: error %d", WSAGetLastError());
    closesocket(a);
    closesocket(c);
    closesocket(l);
}

static void test_udp(void)
{
    struct sockaddr_in b, peer;
    SOCKET sa, sb;
    char buf[8];
    int len, n;

    sb = tu_udp_socket(&b);

    sa = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    ok(WSAConnect(sa, (struct sockaddr *)&b, sizeof(b), NULL, NULL, NULL, NULL) == 0,
       "WSAConnect udp: error %d", WSAGetLastError());
    len = sizeof(peer);
    ok(getpeername(sa, (struct sockaddr *)&peer, &len) == 0 && !memcmp(&peer, &b, sizeof(b)),
       "udp peer after WSAConnect: error %d", WSAGetLastError());
    ok(send(sa, "dg", 2, 0) == 2, "send on WSAConnect'ed udp: error %d", WSAGetLastError());
    n = recv(sb, buf, sizeof(buf), 0);
    ok(n == 2 && !memcmp(buf, "dg", 2), "udp datagram: got %d", n);
    /* A datagram socket may connect again. */
    ok(WSAConnect(sa, (struct sockaddr *)&b, sizeof(b), NULL, NULL, NULL, NULL) == 0,
       "second WSAConnect udp: error %d", WSAGetLastError());
    closesocket(sa);
    closesocket(sb);
}

int main(void)
{
    tu_startup();
    test_tcp();
    test_tcp6();
    test_udp();
    tu_check_tcp_pair();
    WSACleanup();
    return test_done();
}
