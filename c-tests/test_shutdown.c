/* shutdown: SD_SEND (peer reads end of stream, later sends fail with WSAESHUTDOWN), SD_RECEIVE
 * (receives fail with WSAESHUTDOWN, sending still works), SD_BOTH, repeated calls, a bad `how`,
 * unconnected and listening sockets (WSAENOTCONN), UDP sockets, names after shutdown. */
#include "testutil.h"

static void test_unconnected(void)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    struct sockaddr_in a;

    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(shutdown(s, SD_SEND), SOCKET_ERROR, WSAENOTCONN);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(shutdown(s, SD_RECEIVE), SOCKET_ERROR, WSAENOTCONN);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(shutdown(s, SD_BOTH), SOCKET_ERROR, WSAENOTCONN);

    /* A listening socket is not connected either. */
    tu_listen_loopback(s, &a);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(shutdown(s, SD_SEND), SOCKET_ERROR, WSAENOTCONN);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(shutdown(s, SD_RECEIVE), SOCKET_ERROR, WSAENOTCONN);
    closesocket(s);
}

#define OK_SHUTDOWN(s, how)                                                                      \
    do {                                                                                         \
        int r_;                                                                                  \
        WSASetLastError(0xdeadbeef);                                                             \
        r_ = shutdown((s), (how));                                                               \
        ok(r_ == 0 && WSAGetLastError() == 0, "shutdown(" #s ", " #how "): got %d error %d", r_, \
           WSAGetLastError());                                                                   \
    } while (0)

static void test_send_side(void)
{
    SOCKET c, s;
    char b[8];
    int n;

    ok(tu_tcp_pair(&c, &s) == 0, "tcp pair: error %d", WSAGetLastError());
    ok(send(c, "last", 4, 0) == 4, "send before shutdown");
    OK_SHUTDOWN(c, SD_SEND);
    OK_SHUTDOWN(c, SD_SEND); /* again: still fine */

    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(send(c, "test", 5, 0), SOCKET_ERROR, WSAESHUTDOWN);

    /* The peer gets the data sent before, then the end of the stream, repeatedly. */
    n = recv(s, b, sizeof(b), 0);
    ok(n == 4 && !memcmp(b, "last", 4), "data before SD_SEND: got %d", n);
    n = recv(s, b, sizeof(b), 0);
    ok(n == 0, "peer recv after SD_SEND: got %d error %d", n, WSAGetLastError());
    n = recv(s, b, sizeof(b), 0);
    ok(n == 0, "peer recv again: got %d", n);

    /* The other direction still works. */
    ok(send(s, "back", 4, 0) == 4, "peer send after SD_SEND: error %d", WSAGetLastError());
    n = recv(c, b, sizeof(b), 0);
    ok(n == 4 && !memcmp(b, "back", 4), "recv on the half-closed side: got %d", n);

    /* A shut down socket is still connected. */
    {
        struct sockaddr_in a;
        int len = sizeof(a);
        ok(getpeername(c, (struct sockaddr *)&a, &len) == 0, "getpeername after SD_SEND: error %d",
           WSAGetLastError());
        WSASetLastError(0xdeadbeef);
        ok_wsa_fail(connect(c, (struct sockaddr *)&a, sizeof(a)), SOCKET_ERROR, WSAEISCONN);
    }
    closesocket(c);
    closesocket(s);
}

static void test_receive_side(void)
{
    SOCKET c, s;
    char b[8];
    int n;

    ok(tu_tcp_pair(&c, &s) == 0, "tcp pair: error %d", WSAGetLastError());
    OK_SHUTDOWN(s, SD_RECEIVE);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(recv(s, b, sizeof(b), 0), SOCKET_ERROR, WSAESHUTDOWN);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(recv(s, b, sizeof(b), 0), SOCKET_ERROR, WSAESHUTDOWN);

    /* Sending from the receive-shut side still works. */
    ok(send(s, "test", 5, 0) == 5, "send after SD_RECEIVE: error %d", WSAGetLastError());
    n = recv(c, b, sizeof(b), 0);
    ok(n == 5 && !strcmp(b, "test"), "peer got %d", n);

    /* Now the client stops receiving too. */
    OK_SHUTDOWN(c, SD_RECEIVE);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(recv(c, b, sizeof(b), 0), SOCKET_ERROR, WSAESHUTDOWN);

    /* Bad `how` values. */
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(shutdown(c, 3), SOCKET_ERROR, WSAEINVAL);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(shutdown(c, -1), SOCKET_ERROR, WSAEINVAL);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(shutdown(c, 0xdeadbeef), SOCKET_ERROR, WSAEINVAL);

    closesocket(c);
    closesocket(s);
}

static void test_both(void)
{
    struct sockaddr_in ca, sa, a;
    SOCKET c, s;
    char b[8];
    int n, len;

    ok(tu_tcp_pair(&c, &s) == 0, "tcp pair: error %d", WSAGetLastError());
    len = sizeof(ca);
    getsockname(c, (struct sockaddr *)&ca, &len);
    len = sizeof(sa);
    getsockname(s, (struct sockaddr *)&sa, &len);

    OK_SHUTDOWN(c, SD_BOTH);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(recv(c, b, sizeof(b), 0), SOCKET_ERROR, WSAESHUTDOWN);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(send(c, "test", 5, 0), SOCKET_ERROR, WSAESHUTDOWN);

    n = recv(s, b, sizeof(b), 0);
    ok(n == 0, "peer recv after SD_BOTH: got %d error %d", n, WSAGetLastError());

    OK_SHUTDOWN(s, SD_BOTH);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(recv(s, b, sizeof(b), 0), SOCKET_ERROR, WSAESHUTDOWN);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(send(s, "test", 5, 0), SOCKET_ERROR, WSAESHUTDOWN);

    /* Names survive the shutdown (Windows-validated; Wine 8 loses the peer name after
     * SD_BOTH). */
#ifdef WS2_URING
    len = sizeof(a);
    ok(getpeername(c, (struct sockaddr *)&a, &len) == 0 && !memcmp(&a, &sa, sizeof(sa)),
       "getpeername(client) after SD_BOTH: error %d", WSAGetLastError());
    len = sizeof(a);
    ok(getpeername(s, (struct sockaddr *)&a, &len) == 0 && !memcmp(&a, &ca, sizeof(ca)),
       "getpeername(server) after SD_BOTH: error %d", WSAGetLastError());
#else
    (void)sa;
#endif
    len = sizeof(a);
    ok(getsockname(c, (struct sockaddr *)&a, &len) == 0 && !memcmp(&a, &ca, sizeof(ca)),
       "getsockname(client) after SD_BOTH: error %d", WSAGetLastError());
    closesocket(c);
    closesocket(s);
}

static void test_udp(void)
{
    struct sockaddr_in sa;
    SOCKET c, s;
    char b[8];

    c = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    s = tu_udp_socket(&sa);

    /* A datagram socket can be shut down without a connection. */
    OK_SHUTDOWN(s, SD_RECEIVE);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(recvfrom(s, b, sizeof(b), 0, NULL, NULL), SOCKET_ERROR, WSAESHUTDOWN);

    ok(sendto(c, "test", 5, 0, (struct sockaddr *)&sa, sizeof(sa)) == 5, "sendto: error %d",
       WSAGetLastError());
    OK_SHUTDOWN(c, SD_SEND);
    OK_SHUTDOWN(c, SD_SEND);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(sendto(c, "test", 5, 0, (struct sockaddr *)&sa, sizeof(sa)), SOCKET_ERROR,
                WSAESHUTDOWN);
    closesocket(c);
    closesocket(s);
}

int main(void)
{
    tu_startup();
    test_unconnected();
    test_send_side();
    test_receive_side();
    test_both();
    test_udp();
    WSACleanup();
    return test_done();
}
