/* getsockopt/setsockopt at SOL_SOCKET: values, defaults, read-only options, SO_ERROR,
 * SO_CONNECT_TIME, SO_PROTOCOL_INFOA, unknown options and levels, bad pointers and lengths,
 * closed sockets. */
#include "testutil.h"
#include <mswsock.h>

static SOCKET tcp_socket(void) { return socket(AF_INET, SOCK_STREAM, IPPROTO_TCP); }
static SOCKET udp_socket(void) { return socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP); }

/* getsockopt into a DWORD pre-filled with `fill`; returns the call's result, *len gets optlen. */
static int get_dword(SOCKET s, int level, int name, DWORD fill, DWORD *value, int *len)
{
    *value = fill;
    *len = sizeof(*value);
    return getsockopt(s, level, name, (char *)value, len);
}

static int set_dword(SOCKET s, int level, int name, DWORD value)
{
    return setsockopt(s, level, name, (const char *)&value, sizeof(value));
}

static void test_so_type(void)
{
    SOCKET t = tcp_socket(), u = udp_socket();
    DWORD v;
    int len, r;

    r = get_dword(t, SOL_SOCKET, SO_TYPE, 0xdeadbeef, &v, &len);
    ok(r == 0, "SO_TYPE tcp: %d err %d", r, WSAGetLastError());
    ok(v == SOCK_STREAM, "SO_TYPE tcp value %u", (unsigned)v);
    ok(len == 4, "SO_TYPE optlen %d", len);

    r = get_dword(u, SOL_SOCKET, SO_TYPE, 0xdeadbeef, &v, &len);
    ok(r == 0, "SO_TYPE udp: %d err %d", r, WSAGetLastError());
    ok(v == SOCK_DGRAM, "SO_TYPE udp value %u", (unsigned)v);
    ok(len == 4, "SO_TYPE optlen %d", len);

    /* SO_TYPE is read-only; on a TCP socket setting it is an unknown option. */
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(set_dword(t, SOL_SOCKET, SO_TYPE, SOCK_STREAM), SOCKET_ERROR, WSAENOPROTOOPT);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(set_dword(t, SOL_SOCKET, SO_TYPE, SOCK_DGRAM), SOCKET_ERROR, WSAENOPROTOOPT);

    closesocket(t);
    closesocket(u);
}

static void test_bool_options(void)
{
    SOCKET t = tcp_socket(), u = udp_socket();
    DWORD v;
    int len, r;

    /* SO_REUSEADDR: off by default, 4-byte result. */
    r = get_dword(t, SOL_SOCKET, SO_REUSEADDR, 0xdeadbeef, &v, &len);
    ok(r == 0 && v == 0 && len == 4, "SO_REUSEADDR default: r %d v %#x len %d", r, (unsigned)v, len);
    ok(set_dword(t, SOL_SOCKET, SO_REUSEADDR, 1) == 0, "set SO_REUSEADDR err %d", WSAGetLastError());
    r = get_dword(t, SOL_SOCKET, SO_REUSEADDR, 0xdeadbeef, &v, &len);
    ok(r == 0 && v == 1 && len == 4, "SO_REUSEADDR on: r %d v %#x len %d", r, (unsigned)v, len);
    ok(set_dword(t, SOL_SOCKET, SO_REUSEADDR, 0) == 0, "clear SO_REUSEADDR err %d", WSAGetLastError());
    r = get_dword(t, SOL_SOCKET, SO_REUSEADDR, 0xdeadbeef, &v, &len);
    ok(r == 0 && v == 0, "SO_REUSEADDR off: r %d v %#x", r, (unsigned)v);

    /* SO_EXCLUSIVEADDRUSE: off by default, 4-byte result. */
    r = get_dword(t, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, 0xdeadbeef, &v, &len);
    ok(r == 0 && v == 0 && len == 4, "SO_EXCLUSIVEADDRUSE default: r %d v %#x len %d", r, (unsigned)v, len);
    ok(set_dword(t, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, 1) == 0, "set SO_EXCLUSIVEADDRUSE err %d",
       WSAGetLastError());
    r = get_dword(t, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, 0xdeadbeef, &v, &len);
    ok(r == 0 && v == 1 && len == 4, "SO_EXCLUSIVEADDRUSE on: r %d v %#x len %d", r, (unsigned)v, len);

    /* SO_KEEPALIVE is reported in a single byte: only the low byte is written and
     * optlen comes back as 1. */
    r = get_dword(t, SOL_SOCKET, SO_KEEPALIVE, 0xdeadbeef, &v, &len);
    ok(r == 0, "get SO_KEEPALIVE err %d", WSAGetLastError());
    ok(v == 0xdeadbe00, "SO_KEEPALIVE default %#x", (unsigned)v);
    ok(len == 1, "SO_KEEPALIVE optlen %d", len);
    ok(set_dword(t, SOL_SOCKET, SO_KEEPALIVE, 1) == 0, "set SO_KEEPALIVE err %d", WSAGetLastError());
    r = get_dword(t, SOL_SOCKET, SO_KEEPALIVE, 0, &v, &len);
    ok(r == 0 && v == 1 && len == 1, "SO_KEEPALIVE on: r %d v %#x len %d", r, (unsigned)v, len);
    ok(set_dword(t, SOL_SOCKET, SO_KEEPALIVE, 0) == 0, "clear SO_KEEPALIVE err %d", WSAGetLastError());
    r = get_dword(t, SOL_SOCKET, SO_KEEPALIVE, 0, &v, &len);
    ok(r == 0 && v == 0, "SO_KEEPALIVE off: r %d v %#x", r, (unsigned)v);

    /* SO_OOBINLINE: 4-byte BOOL. */
    r = get_dword(t, SOL_SOCKET, SO_OOBINLINE, 0xdeadbeef, &v, &len);
    ok(r == 0 && v == 0 && len == 4, "SO_OOBINLINE default: r %d v %#x len %d", r, (unsigned)v, len);
    ok(set_dword(t, SOL_SOCKET, SO_OOBINLINE, 1) == 0, "set SO_OOBINLINE err %d", WSAGetLastError());
    r = get_dword(t, SOL_SOCKET, SO_OOBINLINE, 0xdeadbeef, &v, &len);
    ok(r == 0 && v == 1 && len == 4, "SO_OOBINLINE on: r %d v %#x len %d", r, (unsigned)v, len);

    /* SO_BROADCAST on UDP: 4-byte BOOL. */
    r = get_dword(u, SOL_SOCKET, SO_BROADCAST, 0xdeadbeef, &v, &len);
    ok(r == 0 && v == 0 && len == 4, "SO_BROADCAST default: r %d v %#x len %d", r, (unsigned)v, len);
    ok(set_dword(u, SOL_SOCKET, SO_BROADCAST, 1) == 0, "set SO_BROADCAST err %d", WSAGetLastError());
    r = get_dword(u, SOL_SOCKET, SO_BROADCAST, 0xdeadbeef, &v, &len);
    ok(r == 0 && v == 1 && len == 4, "SO_BROADCAST on: r %d v %#x len %d", r, (unsigned)v, len);
    ok(set_dword(u, SOL_SOCKET, SO_BROADCAST, 0) == 0, "clear SO_BROADCAST err %d", WSAGetLastError());
    r = get_dword(u, SOL_SOCKET, SO_BROADCAST, 0xdeadbeef, &v, &len);
    ok(r == 0 && v == 0, "SO_BROADCAST off: r %d v %#x", r, (unsigned)v);

    closesocket(t);
    closesocket(u);
}

static void test_buffers(void)
{
    SOCKET t = tcp_socket();
    DWORD v;
    int len, r;

    /* Windows keeps exactly what was set, including 0. */
    ok(set_dword(t, SOL_SOCKET, SO_SNDBUF, 4096) == 0, "set SO_SNDBUF err %d", WSAGetLastError());
    r = get_dword(t, SOL_SOCKET, SO_SNDBUF, 0xdeadbeef, &v, &len);
    ok(r == 0 && v == 4096 && len == 4, "SO_SNDBUF: r %d v %u len %d", r, (unsigned)v, len);

    ok(set_dword(t, SOL_SOCKET, SO_RCVBUF, 4096) == 0, "set SO_RCVBUF err %d", WSAGetLastError());
    r = get_dword(t, SOL_SOCKET, SO_RCVBUF, 0xdeadbeef, &v, &len);
    ok(r == 0 && v == 4096 && len == 4, "SO_RCVBUF: r %d v %u len %d", r, (unsigned)v, len);

    ok(set_dword(t, SOL_SOCKET, SO_RCVBUF, 0) == 0, "set SO_RCVBUF 0 err %d", WSAGetLastError());
    r = get_dword(t, SOL_SOCKET, SO_RCVBUF, 0xdeadbeef, &v, &len);
    ok(r == 0 && v == 0, "SO_RCVBUF 0: r %d v %u", r, (unsigned)v);

    ok(set_dword(t, SOL_SOCKET, SO_SNDBUF, 0) == 0, "set SO_SNDBUF 0 err %d", WSAGetLastError());
    r = get_dword(t, SOL_SOCKET, SO_SNDBUF, 0xdeadbeef, &v, &len);
    ok(r == 0 && v == 0, "SO_SNDBUF 0: r %d v %u", r, (unsigned)v);

    ok(set_dword(t, SOL_SOCKET, SO_RCVBUF, 65536) == 0, "set SO_RCVBUF 64k err %d", WSAGetLastError());
    r = get_dword(t, SOL_SOCKET, SO_RCVBUF, 0xdeadbeef, &v, &len);
    ok(r == 0 && v == 65536, "SO_RCVBUF 64k: r %d v %u", r, (unsigned)v);

    closesocket(t);
}

static void test_acceptconn(void)
{
    SOCKET t = tcp_socket();
    struct sockaddr_in a;
    DWORD v;
    int len, r;

    a = tu_lo4(0);
    ok(bind(t, (struct sockaddr *)&a, sizeof(a)) == 0, "bind err %d", WSAGetLastError());

    r = get_dword(t, SOL_SOCKET, SO_ACCEPTCONN, 0xdeadbeef, &v, &len);
    ok(r == 0 && v == 0 && len == 4, "SO_ACCEPTCONN before listen: r %d v %#x len %d", r, (unsigned)v, len);

    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(set_dword(t, SOL_SOCKET, SO_ACCEPTCONN, 1), SOCKET_ERROR, WSAENOPROTOOPT);

    ok(listen(t, 1) == 0, "listen err %d", WSAGetLastError());
    r = get_dword(t, SOL_SOCKET, SO_ACCEPTCONN, 0xdeadbeef, &v, &len);
    ok(r == 0 && v == 1 && len == 4, "SO_ACCEPTCONN listening: r %d v %#x len %d", r, (unsigned)v, len);

    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(set_dword(t, SOL_SOCKET, SO_ACCEPTCONN, 0), SOCKET_ERROR, WSAENOPROTOOPT);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(set_dword(t, SOL_SOCKET, SO_ACCEPTCONN, 1), SOCKET_ERROR, WSAENOPROTOOPT);

    closesocket(t);
}

static void test_so_error(void)
{
    SOCKET t = tcp_socket();
    int i, len, r;

    len = sizeof(i);
    i = 0xdead;
    r = getsockopt(t, SOL_SOCKET, SO_ERROR, (char *)&i, &len);
    ok(r == 0 && i == 0 && len == 4, "SO_ERROR fresh: r %d v %d len %d", r, i, len);

    /* Setting SO_ERROR succeeds and clears the last error. */
    WSASetLastError(0xdeadbeef);
    i = 1234;
    r = setsockopt(t, SOL_SOCKET, SO_ERROR, (char *)&i, sizeof(i));
    ok(r == 0, "set SO_ERROR: %d", r);
    ok(WSAGetLastError() == 0, "set SO_ERROR last error %d", WSAGetLastError());

    WSASetLastError(0xdeadbeef);
    i = 4321;
    len = sizeof(i);
    r = getsockopt(t, SOL_SOCKET, SO_ERROR, (char *)&i, &len);
    ok(r == 0, "get SO_ERROR: %d", r);
    ok(WSAGetLastError() == 0, "get SO_ERROR last error %d", WSAGetLastError());
#ifdef WS2_URING
    /* Windows reports the stored value; Wine keeps none (its own test marks this todo). */
    ok(i == 1234, "SO_ERROR after set: %d", i);
#endif

    /* A one-byte buffer is too small. */
    WSASetLastError(0xdeadbeef);
    len = 1;
    ok_wsa_fail(getsockopt(t, SOL_SOCKET, SO_ERROR, (char *)&i, &len), SOCKET_ERROR, WSAEFAULT);

    closesocket(t);
}

static void test_max_msg_size(void)
{
    SOCKET u = udp_socket();
    struct sockaddr_in a;
    int v, len, r;

    a = tu_addr4(INADDR_ANY, 0);
    ok(bind(u, (struct sockaddr *)&a, sizeof(a)) == 0, "bind err %d", WSAGetLastError());

    v = 0;
    len = sizeof(v);
    r = getsockopt(u, SOL_SOCKET, SO_MAX_MSG_SIZE, (char *)&v, &len);
    ok(r == 0, "SO_MAX_MSG_SIZE err %d", WSAGetLastError());
    ok(v == 65507 || v == 65527, "SO_MAX_MSG_SIZE %d", v);
    ok(len == 4, "SO_MAX_MSG_SIZE optlen %d", len);
    closesocket(u);
}

static void test_unknown(void)
{
    static const unsigned int bad_levels[] = {0xffffffff, 0x1234ffff, 0x8000ffff, 0x00008000, 0x00000800};
    SOCKET t = tcp_socket(), u = udp_socket();
    unsigned int i;
    int v, len, r;

    /* An unknown option at SOL_SOCKET. */
    WSASetLastError(0xdeadbeef);
    v = 0;
    len = sizeof(v);
    ok_wsa_fail(getsockopt(t, SOL_SOCKET, 0x7777, (char *)&v, &len), SOCKET_ERROR, WSAENOPROTOOPT);
    WSASetLastError(0xdeadbeef);
    v = 1;
    ok_wsa_fail(setsockopt(t, SOL_SOCKET, 0x7777, (char *)&v, sizeof(v)), SOCKET_ERROR, WSAENOPROTOOPT);

    /* Unknown levels are WSAEINVAL and leave the buffer alone. */
    for (i = 0; i < sizeof(bad_levels) / sizeof(bad_levels[0]); i++) {
        WSASetLastError(0xdeadbeef);
        v = 0x5a5a;
        len = sizeof(v);
        r = getsockopt(u, (int)bad_levels[i], SO_MAX_MSG_SIZE, (char *)&v, &len);
        ok(r == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "get level %#x: r %d err %d", bad_levels[i],
           r, WSAGetLastError());
        ok(v == 0x5a5a, "get level %#x wrote %#x", bad_levels[i], v);
    }
    WSASetLastError(0xdeadbeef);
    v = 63000;
    ok_wsa_fail(setsockopt(t, (int)0xffffffff, SO_RCVTIMEO, (char *)&v, sizeof(v)), SOCKET_ERROR, WSAEINVAL);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(setsockopt(t, 0x8000, SO_RCVTIMEO, (char *)&v, sizeof(v)), SOCKET_ERROR, WSAEINVAL);

    closesocket(t);
    closesocket(u);
}

static void test_bad_pointers(void)
{
    SOCKET t = tcp_socket();
    int v, len;

    /* NULL optval with a length, or with 0. */
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(setsockopt(t, SOL_SOCKET, SO_LINGER, NULL, sizeof(struct linger)), SOCKET_ERROR, WSAEFAULT);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(setsockopt(t, SOL_SOCKET, SO_LINGER, NULL, 0), SOCKET_ERROR, WSAEFAULT);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(setsockopt(t, SOL_SOCKET, SO_DONTLINGER, NULL, sizeof(BOOL)), SOCKET_ERROR, WSAEFAULT);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(setsockopt(t, SOL_SOCKET, SO_DONTLINGER, NULL, 0), SOCKET_ERROR, WSAEFAULT);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(setsockopt(t, SOL_SOCKET, SO_RCVBUF, NULL, sizeof(int)), SOCKET_ERROR, WSAEFAULT);

    /* A value passed where a pointer belongs. */
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(setsockopt(t, SOL_SOCKET, SO_DONTROUTE, (char *)1, 1), SOCKET_ERROR, WSAEFAULT);

    /* getsockopt with NULL optval or NULL optlen. */
    WSASetLastError(0xdeadbeef);
    len = sizeof(int);
    ok_wsa_fail(getsockopt(t, SOL_SOCKET, SO_RCVBUF, NULL, &len), SOCKET_ERROR, WSAEFAULT);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getsockopt(t, SOL_SOCKET, SO_RCVBUF, (char *)&v, NULL), SOCKET_ERROR, WSAEFAULT);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getsockopt(t, SOL_SOCKET, SO_REUSEADDR, NULL, NULL), SOCKET_ERROR, WSAEFAULT);

    closesocket(t);
}

static void test_not_socket(void)
{
    SOCKET t = tcp_socket();
    int v, len, r;

    closesocket(t);
    WSASetLastError(0xdeadbeef);
    v = 1234;
    len = sizeof(v);
    r = getsockopt(t, SOL_SOCKET, SO_ERROR, (char *)&v, &len);
    ok(r == SOCKET_ERROR && WSAGetLastError() == WSAENOTSOCK, "closed get: r %d err %d", r, WSAGetLastError());
    ok(v == 1234, "closed get wrote %d", v);

    WSASetLastError(0xdeadbeef);
    v = 1;
    ok_wsa_fail(setsockopt(t, SOL_SOCKET, SO_REUSEADDR, (char *)&v, sizeof(v)), SOCKET_ERROR, WSAENOTSOCK);

    WSASetLastError(0xdeadbeef);
    len = sizeof(v);
    ok_wsa_fail(getsockopt(INVALID_SOCKET, SOL_SOCKET, SO_TYPE, (char *)&v, &len), SOCKET_ERROR, WSAENOTSOCK);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(setsockopt(INVALID_SOCKET, SOL_SOCKET, SO_KEEPALIVE, (char *)&v, sizeof(v)), SOCKET_ERROR,
                WSAENOTSOCK);
}

static void test_connect_time(void)
{
    SOCKET client, server, fresh = tcp_socket();
    DWORD v;
    int len, r;

    /* Not connected: 0xffffffff. */
    r = get_dword(fresh, SOL_SOCKET, SO_CONNECT_TIME, 0, &v, &len);
    ok(r == 0, "SO_CONNECT_TIME unconnected err %d", WSAGetLastError());
    ok(v == 0xffffffff, "SO_CONNECT_TIME unconnected %#x", (unsigned)v);
    ok(len == 4, "SO_CONNECT_TIME optlen %d", len);
    closesocket(fresh);

    if (tu_tcp_pair(&client, &server)) {
        ok(0, "tcp pair failed");
        return;
    }
    /* Connected: whole seconds since the connection was made. */
    r = get_dword(client, SOL_SOCKET, SO_CONNECT_TIME, 0xdeadbeef, &v, &len);
    ok(r == 0, "SO_CONNECT_TIME client err %d", WSAGetLastError());
    ok(v < 2, "SO_CONNECT_TIME client %u", (unsigned)v);
    r = get_dword(server, SOL_SOCKET, SO_CONNECT_TIME, 0xdeadbeef, &v, &len);
    ok(r == 0, "SO_CONNECT_TIME server err %d", WSAGetLastError());
    ok(v < 2, "SO_CONNECT_TIME server %u", (unsigned)v);
    closesocket(client);
    closesocket(server);
}

static void test_protocol_info(void)
{
    static const struct { int af, type, proto; } socks[] = {
        {AF_INET, SOCK_STREAM, IPPROTO_TCP},
        {AF_INET, SOCK_DGRAM, IPPROTO_UDP},
        {AF_INET6, SOCK_STREAM, IPPROTO_TCP},
        {AF_INET6, SOCK_DGRAM, IPPROTO_UDP},
    };
    WSAPROTOCOL_INFOA info[2];
    unsigned int i;
    SOCKET s;
    int len, r;

    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getsockopt(INVALID_SOCKET, SOL_SOCKET, SO_PROTOCOL_INFOA, NULL, NULL), SOCKET_ERROR, WSAENOTSOCK);

    s = tcp_socket();
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOA, NULL, NULL), SOCKET_ERROR, WSAEFAULT);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOA, (char *)info, NULL), SOCKET_ERROR, WSAEFAULT);
    len = sizeof(info[0]);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOA, NULL, &len), SOCKET_ERROR, WSAEFAULT);

    /* Too short: WSAEFAULT and optlen reports the size needed. */
    len = sizeof(info[0]) / 2;
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOA, (char *)info, &len), SOCKET_ERROR, WSAEFAULT);
    ok(len == (int)sizeof(info[0]), "short SO_PROTOCOL_INFOA optlen %d", len);

    /* Larger than needed: accepted, optlen left as passed. */
    len = sizeof(info);
    r = getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOA, (char *)info, &len);
    ok(r == 0, "big SO_PROTOCOL_INFOA err %d", WSAGetLastError());
    ok(len == (int)sizeof(info), "big SO_PROTOCOL_INFOA optlen %d", len);
    closesocket(s);

    for (i = 0; i < sizeof(socks) / sizeof(socks[0]); i++) {
        s = socket(socks[i].af, socks[i].type, socks[i].proto);
        ok(s != INVALID_SOCKET, "socket %u err %d", i, WSAGetLastError());
        memset(info, 0, sizeof(info));
        len = sizeof(info[0]);
        r = getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOA, (char *)info, &len);
        ok(r == 0, "SO_PROTOCOL_INFOA %u err %d", i, WSAGetLastError());
        ok(len == (int)sizeof(info[0]), "SO_PROTOCOL_INFOA %u optlen %d", i, len);
        ok(info[0].iAddressFamily == socks[i].af, "%u: family %d", i, info[0].iAddressFamily);
        ok(info[0].iSocketType == socks[i].type, "%u: type %d", i, info[0].iSocketType);
        ok(info[0].iProtocol == socks[i].proto, "%u: protocol %d", i, info[0].iProtocol);
        ok(info[0].szProtocol[0] != 0, "%u: empty szProtocol", i);
        closesocket(s);
    }
}

int main(void)
{
    tu_startup();
    test_so_type();
    test_bool_options();
    test_buffers();
    test_acceptconn();
    test_so_error();
    test_max_msg_size();
    test_unknown();
    test_bad_pointers();
    test_not_socket();
    test_connect_time();
    test_protocol_info();
    WSACleanup();
    return test_done();
}
