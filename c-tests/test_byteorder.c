/* htons/htonl/ntohs/ntohl and the socket-bound WSAHtons/WSAHtonl/WSANtohs/WSANtohl. */
#include "testutil.h"

static void test_plain(void)
{
    unsigned char b[4];
    u_long l;
    u_short s;

    ok(htons(0x1234) == 0x3412, "htons(0x1234) = %#x", htons(0x1234));
    ok(ntohs(0x3412) == 0x1234, "ntohs(0x3412) = %#x", ntohs(0x3412));
    ok(htonl(0x01020304) == 0x04030201, "htonl = %#lx", (unsigned long)htonl(0x01020304));
    ok(ntohl(0x04030201) == 0x01020304, "ntohl = %#lx", (unsigned long)ntohl(0x04030201));
    ok(htons(0) == 0 && htons(0xffff) == 0xffff, "htons edge values");
    ok(htonl(0xffffffff) == 0xffffffff && htonl(0) == 0, "htonl edge values");
    ok(ntohs(htons(0xbeef)) == 0xbeef, "ntohs(htons(x)) != x");
    ok(ntohl(htonl(0xdeadbeef)) == 0xdeadbeef, "ntohl(htonl(x)) != x");

    /* Network order is big-endian in memory. */
    l = htonl(0x0a0b0c0d);
    memcpy(b, &l, 4);
    ok(b[0] == 0x0a && b[1] == 0x0b && b[2] == 0x0c && b[3] == 0x0d, "htonl bytes %02x %02x %02x %02x", b[0], b[1],
       b[2], b[3]);
    s = htons(0x0a0b);
    memcpy(b, &s, 2);
    ok(b[0] == 0x0a && b[1] == 0x0b, "htons bytes %02x %02x", b[0], b[1]);
    ok(sizeof(u_long) == 4 && sizeof(u_short) == 2, "u_long %d u_short %d", (int)sizeof(u_long), (int)sizeof(u_short));
}

static void test_wsa(void)
{
    SOCKET sock = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    SOCKET udp = socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
    u_long l;
    u_short s;
    int ret;

    ok(sock != INVALID_SOCKET && udp != INVALID_SOCKET, "socket: %d", WSAGetLastError());

    l = 0;
    WSASetLastError(1234);
    ret = WSAHtonl(sock, 0x01020304, &l);
    ok(ret == 0 && l == htonl(0x01020304), "WSAHtonl: ret %d value %#lx", ret, (unsigned long)l);
    s = 0;
    ret = WSAHtons(sock, 0x1234, &s);
    ok(ret == 0 && s == htons(0x1234), "WSAHtons: ret %d value %#x", ret, s);
    l = 0;
    ret = WSANtohl(udp, 0x04030201, &l);
    ok(ret == 0 && l == ntohl(0x04030201), "WSANtohl: ret %d value %#lx", ret, (unsigned long)l);
    s = 0;
    ret = WSANtohs(udp, 0x3412, &s);
    ok(ret == 0 && s == ntohs(0x3412), "WSANtohs: ret %d value %#x", ret, s);

    WSASetLastError(0);
    ret = WSAHtonl(sock, 1, NULL);
    ok_wsa_fail(ret, SOCKET_ERROR, WSAEFAULT);
    WSASetLastError(0);
    ret = WSAHtons(sock, 1, NULL);
    ok_wsa_fail(ret, SOCKET_ERROR, WSAEFAULT);
#ifdef WS2_URING
    /* Windows documents SOCKET_ERROR with WSAEFAULT; Wine returns WSAEFAULT itself. */
    WSASetLastError(0);
    ret = WSANtohl(sock, 1, NULL);
    ok_wsa_fail(ret, SOCKET_ERROR, WSAEFAULT);
    WSASetLastError(0);
    ret = WSANtohs(sock, 1, NULL);
    ok_wsa_fail(ret, SOCKET_ERROR, WSAEFAULT);

    /* Windows documents WSAENOTSOCK for a descriptor that is not a socket; Wine does not
     * check the socket. */
    WSASetLastError(0);
    ret = WSAHtonl((SOCKET)0x7ffffff0, 1, &l);
    ok_wsa_fail(ret, SOCKET_ERROR, WSAENOTSOCK);
    WSASetLastError(0);
    ret = WSAHtons(INVALID_SOCKET, 1, &s);
    ok_wsa_fail(ret, SOCKET_ERROR, WSAENOTSOCK);
    WSASetLastError(0);
    ret = WSANtohl(0, 1, &l);
    ok_wsa_fail(ret, SOCKET_ERROR, WSAENOTSOCK);
    closesocket(udp);
    WSASetLastError(0);
    ret = WSANtohs(udp, 1, &s);
    ok_wsa_fail(ret, SOCKET_ERROR, WSAENOTSOCK);
#else
    closesocket(udp);
#endif
    closesocket(sock);
}

#ifdef WS2_URING
/* Windows documents WSANOTINITIALISED for the WSA byte-order calls; Wine does not check. */
static void test_before_startup(void)
{
    u_long l = 0;
    int ret;
    WSASetLastError(0);
    ret = WSAHtonl((SOCKET)4, 1, &l);
    ok_wsa_fail(ret, SOCKET_ERROR, WSANOTINITIALISED);
    /* The plain functions need no initialisation. */
    ok(htonl(1) == ntohl(1) && htons(2) == ntohs(2), "plain byte order before WSAStartup");
}
#endif

int main(void)
{
#ifdef WS2_URING
    test_before_startup();
#endif
    test_plain();
    tu_startup();
    test_wsa();
    WSACleanup();
    return test_done();
}
