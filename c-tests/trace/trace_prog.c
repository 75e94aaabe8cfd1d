/* Driven by c-tests/scripts/trace.sh: a few Winsock calls whose trace lines the script checks.
 * An overlapped WSARecv pends (no data yet), then completes when the peer sends. */
#include <winsock2.h>
#include <windows.h>
#include <stdio.h>

int main(void)
{
    WSADATA wsa;
    struct sockaddr_in a;
    int len = sizeof(a);
    SOCKET l, c, s;
    char buf[64];
    WSABUF wb;
    WSAOVERLAPPED ov;
    DWORD got = 0, flags = 0;

    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return 1;
    l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 1) ||
        getsockname(l, (struct sockaddr *)&a, &len))
        return 2;
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (connect(c, (struct sockaddr *)&a, sizeof(a)))
        return 3;
    s = accept(l, NULL, NULL);
    if (s == INVALID_SOCKET)
        return 4;

    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    wb.buf = buf;
    wb.len = sizeof(buf);
    if (WSARecv(s, &wb, 1, NULL, &flags, &ov, NULL) != SOCKET_ERROR || WSAGetLastError() != WSA_IO_PENDING)
        return 5;
    if (send(c, "hello", 5, 0) != 5)
        return 6;
    if (!WSAGetOverlappedResult(s, &ov, &got, TRUE, &flags) || got != 5)
        return 7;
    if (closesocket((SOCKET)0x7ffff0) != SOCKET_ERROR || WSAGetLastError() != WSAENOTSOCK)
        return 8;
    WSACloseEvent(ov.hEvent);
    closesocket(s);
    closesocket(c);
    closesocket(l);
    WSACleanup();
    printf("trace_prog: done\n");
    return 0;
}
