/* A Windows-style socket program for c-tests/scripts/preload-stub.sh. It is linked against a
 * stand-in libws2_32.so whose every function aborts, then run with the real library in
 * LD_PRELOAD: it can only succeed if every Winsock call it makes (bound by the headers to the
 * library's exported names) reaches the preloaded library. Prints "ok" on success. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <stdio.h>
#include <string.h>

static int fail(const char *what)
{
    printf("FAILED: %s: error %d\n", what, WSAGetLastError());
    return 1;
}

int main(void)
{
    struct addrinfo hints, *res = NULL;
    struct sockaddr_in addr;
    int addrlen = sizeof(addr), n, got = 0;
    SOCKET l, c, s;
    char buf[64];
    fd_set rd;
    struct timeval tv;
    WSADATA wsa;

    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return fail("WSAStartup");

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST;
    if (getaddrinfo("127.0.0.1", "0", &hints, &res) != 0 || !res)
        return fail("getaddrinfo");

    l = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
    if (l == INVALID_SOCKET)
        return fail("socket");
    if (bind(l, res->ai_addr, (int)res->ai_addrlen) == SOCKET_ERROR)
        return fail("bind");
    freeaddrinfo(res);
    if (listen(l, 1) == SOCKET_ERROR)
        return fail("listen");
    if (getsockname(l, (struct sockaddr *)&addr, &addrlen) == SOCKET_ERROR)
        return fail("getsockname");
    if (addr.sin_family != AF_INET || addr.sin_addr.s_addr != htonl(INADDR_LOOPBACK) ||
        ntohs(addr.sin_port) == 0) {
        printf("FAILED: getsockname gave an unexpected address\n");
        return 1;
    }

    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (c == INVALID_SOCKET)
        return fail("socket (client)");
    if (connect(c, (struct sockaddr *)&addr, sizeof(addr)) == SOCKET_ERROR)
        return fail("connect");
    s = accept(l, NULL, NULL);
    if (s == INVALID_SOCKET)
        return fail("accept");

    if (send(c, "hello, winsock", 14, 0) != 14)
        return fail("send");
    FD_ZERO(&rd);
    FD_SET(s, &rd);
    tv.tv_sec = 5;
    tv.tv_usec = 0;
    if (select(0, &rd, NULL, NULL, &tv) != 1 || !FD_ISSET(s, &rd))
        return fail("select");
    while (got < 14) {
        n = recv(s, buf + got, (int)sizeof(buf) - got, 0);
        if (n <= 0)
            return fail("recv");
        got += n;
    }
    if (memcmp(buf, "hello, winsock", 14) != 0) {
        printf("FAILED: recv gave the wrong bytes\n");
        return 1;
    }

    if (closesocket(c) == SOCKET_ERROR || closesocket(s) == SOCKET_ERROR ||
        closesocket(l) == SOCKET_ERROR)
        return fail("closesocket");
    if (WSACleanup() != 0)
        return fail("WSACleanup");
    printf("ok\n");
    return 0;
}
