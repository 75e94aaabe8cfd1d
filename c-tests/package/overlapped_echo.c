/* A Windows Winsock program as a user writes it: WSAStartup, a loopback TCP connection, an
 * overlapped WSASend/WSARecv echo signalled through event objects, WSACleanup. Prints
 * "overlapped echo ok: <n> bytes" on success. Built by c-tests/package/CMakeLists.txt through
 * the installed CMake package, and with pkg-config, by c-tests/scripts/cmake-package.sh. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <windows.h>
#include <stdio.h>
#include <string.h>

static int fail(const char *what)
{
    printf("FAILED: %s: error %d\n", what, WSAGetLastError());
    return 1;
}

/* Waits for the pending overlapped operation ov on s and returns its byte count, or -1. */
static int wait_done(SOCKET s, WSAOVERLAPPED *ov)
{
    DWORD bytes = 0, flags = 0;

    if (WSAWaitForMultipleEvents(1, &ov->hEvent, TRUE, 10000, FALSE) != WSA_WAIT_EVENT_0)
        return -1;
    if (!WSAGetOverlappedResult(s, ov, &bytes, FALSE, &flags))
        return -1;
    return (int)bytes;
}

/* Finishes one overlapped call on s (rc: its return value, now: the byte count it reported)
 * and returns its byte count, or -1. */
static int finish(SOCKET s, WSAOVERLAPPED *ov, int rc, DWORD now)
{
    if (rc == 0)
        return (int)now; /* completed at once */
    if (WSAGetLastError() != WSA_IO_PENDING)
        return -1;
    return wait_done(s, ov);
}

int main(void)
{
    static const char msg[] = "hello through the installed ws2-uring";
    const int len = (int)sizeof(msg) - 1;
    WSADATA wsa;
    struct sockaddr_in addr;
    int addrlen = sizeof(addr), n, got, rc;
    SOCKET l, c, s;
    char echo[128], back[128];
    WSABUF buf, rbuf;
    WSAOVERLAPPED ov, ovr;
    DWORD now, flags;

    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return fail("WSAStartup");
    if (wsa.wVersion != MAKEWORD(2, 2)) {
        printf("FAILED: WSAStartup gave version %#x\n", wsa.wVersion);
        return 1;
    }

    l = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    if (l == INVALID_SOCKET)
        return fail("WSASocket (listener)");
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(l, (struct sockaddr *)&addr, sizeof(addr)) == SOCKET_ERROR)
        return fail("bind");
    if (listen(l, SOMAXCONN) == SOCKET_ERROR)
        return fail("listen");
    if (getsockname(l, (struct sockaddr *)&addr, &addrlen) == SOCKET_ERROR)
        return fail("getsockname");

    c = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    if (c == INVALID_SOCKET)
        return fail("WSASocket (client)");
    if (connect(c, (struct sockaddr *)&addr, sizeof(addr)) == SOCKET_ERROR)
        return fail("connect");
    s = accept(l, NULL, NULL);
    if (s == INVALID_SOCKET)
        return fail("accept");

    memset(&ov, 0, sizeof(ov));
    memset(&ovr, 0, sizeof(ovr));
    ov.hEvent = WSACreateEvent();
    ovr.hEvent = WSACreateEvent();
    if (ov.hEvent == WSA_INVALID_EVENT || ovr.hEvent == WSA_INVALID_EVENT)
        return fail("WSACreateEvent");

    /* The server's receive is posted first: with no data yet it goes pending. */
    rbuf.buf = echo;
    rbuf.len = (ULONG)sizeof(echo);
    flags = 0;
    if (WSARecv(s, &rbuf, 1, NULL, &flags, &ovr, NULL) != SOCKET_ERROR ||
        WSAGetLastError() != WSA_IO_PENDING)
        return fail("WSARecv (server) did not go pending");

    /* Client -> server: an overlapped send completes the pending receive. */
    buf.buf = (char *)msg;
    buf.len = (ULONG)len;
    now = 0;
    rc = WSASend(c, &buf, 1, &now, 0, &ov, NULL);
    n = finish(c, &ov, rc, now);
    if (n != len)
        return fail("WSASend (client)");
    n = wait_done(s, &ovr);
    if (n <= 0)
        return fail("WSARecv (server)");
    /* A stream receive completes with what has arrived: read on until the message is in. */
    for (got = n; got < len; got += n) {
        WSAResetEvent(ovr.hEvent);
        rbuf.buf = echo + got;
        rbuf.len = (ULONG)(sizeof(echo) - (size_t)got);
        now = 0;
        flags = 0;
        rc = WSARecv(s, &rbuf, 1, &now, &flags, &ovr, NULL);
        if (rc == SOCKET_ERROR && WSAGetLastError() != WSA_IO_PENDING)
            return fail("WSARecv (server, rest)");
        n = finish(s, &ovr, rc, now);
        if (n <= 0)
            return fail("WSARecv (server, rest)");
    }

    /* Server -> client: the echo. */
    WSAResetEvent(ov.hEvent);
    buf.buf = echo;
    buf.len = (ULONG)len;
    now = 0;
    rc = WSASend(s, &buf, 1, &now, 0, &ov, NULL);
    n = finish(s, &ov, rc, now);
    if (n != len)
        return fail("WSASend (server)");
    for (got = 0; got < len; got += n) {
        WSAResetEvent(ovr.hEvent);
        rbuf.buf = back + got;
        rbuf.len = (ULONG)(sizeof(back) - (size_t)got);
        now = 0;
        flags = 0;
        rc = WSARecv(c, &rbuf, 1, &now, &flags, &ovr, NULL);
        n = finish(c, &ovr, rc, now);
        if (n <= 0)
            return fail("WSARecv (client)");
    }
    if (memcmp(back, msg, (size_t)len) != 0) {
        printf("FAILED: the echo differs from the message\n");
        return 1;
    }

    WSACloseEvent(ov.hEvent);
    WSACloseEvent(ovr.hEvent);
    closesocket(s);
    closesocket(c);
    closesocket(l);
    if (WSACleanup() != 0)
        return fail("WSACleanup");
    printf("overlapped echo ok: %d bytes\n", len);
    return 0;
}
