/* socket / WSASocketA / WSASocketW: AF_INET and AF_INET6 stream and datagram sockets, protocol 0
 * and explicit, the Windows error for each bad family/type/protocol combination (including
 * AF_UNSPEC), creation flags, SO_TYPE, and IPV6_V6ONLY on by default. */
#include "testutil.h"

struct create_case {
    int family, type, protocol;
    int error;    /* 0: success */
    int ret_type; /* SO_TYPE of the created socket */
    int wine_differs;
};

static const struct create_case cases[] = {
    {0xdead, SOCK_STREAM, IPPROTO_TCP, WSAEAFNOSUPPORT, 0, 0},
    {-1, SOCK_STREAM, IPPROTO_TCP, WSAEAFNOSUPPORT, 0, 0},
    {AF_INET, 0xdead, IPPROTO_TCP, WSAESOCKTNOSUPPORT, 0, 0},
    {AF_INET, -1, IPPROTO_TCP, WSAESOCKTNOSUPPORT, 0, 0},
    {AF_INET, SOCK_STREAM, 0xdead, WSAEPROTONOSUPPORT, 0, 0},
    {AF_INET, SOCK_STREAM, -1, WSAEPROTONOSUPPORT, 0, 0},
    {0xdead, 0xdead, IPPROTO_TCP, WSAESOCKTNOSUPPORT, 0, 0},
    /* Windows answers WSAEAFNOSUPPORT here (validated on Windows); Wine 8 answers
     * WSAEPROTONOSUPPORT, so this row runs on our side only. */
    {0xdead, SOCK_STREAM, 0xdead, WSAEAFNOSUPPORT, 0, 1},
    {AF_INET, 0xdead, 0xdead, WSAESOCKTNOSUPPORT, 0, 0},
    {0xdead, SOCK_STREAM, IPPROTO_UDP, WSAEAFNOSUPPORT, 0, 0},

    {AF_INET, SOCK_STREAM, 0, 0, SOCK_STREAM, 0},
    {AF_INET, SOCK_DGRAM, 0, 0, SOCK_DGRAM, 0},
    {AF_INET, SOCK_STREAM, IPPROTO_TCP, 0, SOCK_STREAM, 0},
    {AF_INET, SOCK_DGRAM, IPPROTO_UDP, 0, SOCK_DGRAM, 0},
    {AF_INET, 0xdead, 0, WSAESOCKTNOSUPPORT, 0, 0},
    {AF_INET, 0, IPPROTO_TCP, 0, SOCK_STREAM, 0},
    {AF_INET, 0, IPPROTO_UDP, 0, SOCK_DGRAM, 0},
    {AF_INET, 0, 0xdead, WSAEPROTONOSUPPORT, 0, 0},
    {AF_INET, 0, 0, 0, SOCK_STREAM, 0},
    {AF_INET, SOCK_STREAM, IPPROTO_UDP, WSAEPROTONOSUPPORT, 0, 0},
    {AF_INET, SOCK_DGRAM, IPPROTO_TCP, WSAEPROTONOSUPPORT, 0, 0},

    {AF_INET6, SOCK_STREAM, 0, 0, SOCK_STREAM, 0},
    {AF_INET6, SOCK_DGRAM, 0, 0, SOCK_DGRAM, 0},
    {AF_INET6, SOCK_STREAM, IPPROTO_TCP, 0, SOCK_STREAM, 0},
    {AF_INET6, SOCK_DGRAM, IPPROTO_UDP, 0, SOCK_DGRAM, 0},
    {AF_INET6, 0, IPPROTO_TCP, 0, SOCK_STREAM, 0},
    {AF_INET6, 0, IPPROTO_UDP, 0, SOCK_DGRAM, 0},
    {AF_INET6, SOCK_STREAM, IPPROTO_UDP, WSAEPROTONOSUPPORT, 0, 0},
    {AF_INET6, SOCK_DGRAM, IPPROTO_TCP, WSAEPROTONOSUPPORT, 0, 0},
    {AF_INET6, 0xdead, 0, WSAESOCKTNOSUPPORT, 0, 0},

    {AF_UNSPEC, SOCK_STREAM, IPPROTO_TCP, 0, SOCK_STREAM, 0},
    {AF_UNSPEC, SOCK_STREAM, 0xdead, WSAEPROTONOSUPPORT, 0, 0},
    {AF_UNSPEC, 0xdead, IPPROTO_UDP, WSAESOCKTNOSUPPORT, 0, 0},
    {AF_UNSPEC, SOCK_STREAM, 0, WSAEINVAL, 0, 0},
    {AF_UNSPEC, SOCK_DGRAM, 0, WSAEINVAL, 0, 0},
    {AF_UNSPEC, 0xdead, 0, WSAEINVAL, 0, 0},
    {AF_UNSPEC, 0, IPPROTO_TCP, 0, SOCK_STREAM, 0},
    {AF_UNSPEC, 0, IPPROTO_UDP, 0, SOCK_DGRAM, 0},
    {AF_UNSPEC, 0, 0xdead, WSAEPROTONOSUPPORT, 0, 0},
    {AF_UNSPEC, 0, 0, WSAEINVAL, 0, 0},
};

enum creator { BY_SOCKET, BY_WSASOCKETA, BY_WSASOCKETW };
static const char *const creator_name[] = {"socket", "WSASocketA", "WSASocketW"};

static SOCKET create(enum creator how, int af, int type, int proto, DWORD flags)
{
    switch (how) {
    case BY_SOCKET:
        return socket(af, type, proto);
    case BY_WSASOCKETA:
        return WSASocketA(af, type, proto, NULL, 0, flags);
    default:
        return WSASocketW(af, type, proto, NULL, 0, flags);
    }
}

static int so_type(SOCKET s)
{
    int type = 0xdead, len = sizeof(type);
    if (getsockopt(s, SOL_SOCKET, SO_TYPE, (char *)&type, &len))
        return -WSAGetLastError();
    return len == sizeof(int) ? type : -1000 - len;
}

static void test_table(enum creator how)
{
    unsigned int i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct create_case *c = &cases[i];
        SOCKET s;
        int err;

#ifndef WS2_URING
        if (c->wine_differs)
            continue;
#endif
        WSASetLastError(0xdeadbeef);
        s = create(how, c->family, c->type, c->protocol, 0);
        err = WSAGetLastError();
        if (c->error) {
            ok(s == INVALID_SOCKET && err == c->error,
               "%s(%d, %d, %d): got %llu error %d, want error %d", creator_name[how], c->family,
               c->type, c->protocol, (unsigned long long)s, err, c->error);
            if (s != INVALID_SOCKET)
                closesocket(s);
        } else {
            ok(s != INVALID_SOCKET, "%s(%d, %d, %d): failed with error %d", creator_name[how],
               c->family, c->type, c->protocol, err);
            if (s == INVALID_SOCKET)
                continue;
            ok(err == 0, "%s(%d, %d, %d): success left last error %d", creator_name[how], c->family,
               c->type, c->protocol, err);
            ok(so_type(s) == c->ret_type, "%s(%d, %d, %d): SO_TYPE %d, want %d", creator_name[how],
               c->family, c->type, c->protocol, so_type(s), c->ret_type);
            ok(closesocket(s) == 0, "closesocket: error %d", WSAGetLastError());
        }
    }
}

static void test_flags(void)
{
    static const DWORD flags[] = {0, WSA_FLAG_OVERLAPPED, WSA_FLAG_NO_HANDLE_INHERIT,
                                  WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT};
    unsigned int i;

    for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
        SOCKET a = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, flags[i]);
        SOCKET w = WSASocketW(AF_INET6, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, flags[i]);
        ok(a != INVALID_SOCKET, "WSASocketA flags %#x: error %d", (unsigned)flags[i],
           WSAGetLastError());
        ok(w != INVALID_SOCKET, "WSASocketW flags %#x: error %d", (unsigned)flags[i],
           WSAGetLastError());
        ok(so_type(a) == SOCK_STREAM, "flags %#x: SO_TYPE %d", (unsigned)flags[i], so_type(a));
        ok(so_type(w) == SOCK_DGRAM, "flags %#x: SO_TYPE %d", (unsigned)flags[i], so_type(w));
        closesocket(a);
        closesocket(w);
    }

    /* A socket made without WSA_FLAG_OVERLAPPED still does blocking I/O end to end. */
    {
        SOCKET l = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, 0);
        SOCKET c = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_NO_HANDLE_INHERIT);
        SOCKET srv;
        struct sockaddr_in a;
        char buf[4];

        tu_listen_loopback(l, &a);
        ok(!connect(c, (struct sockaddr *)&a, sizeof(a)), "connect: error %d", WSAGetLastError());
        srv = accept(l, NULL, NULL);
        ok(srv != INVALID_SOCKET, "accept: error %d", WSAGetLastError());
        ok(send(c, "ping", 4, 0) == 4, "send: error %d", WSAGetLastError());
        ok(recv(srv, buf, 4, 0) == 4 && !memcmp(buf, "ping", 4), "recv: error %d",
           WSAGetLastError());
        closesocket(srv);
        closesocket(c);
        closesocket(l);
    }
}

static void test_v6only_default(void)
{
    static const int types[] = {SOCK_STREAM, SOCK_DGRAM};
    unsigned int i;

    for (i = 0; i < 2; i++) {
        SOCKET s = socket(AF_INET6, types[i], 0);
        int v = 2, len = sizeof(v);
        ok(s != INVALID_SOCKET, "AF_INET6 type %d: error %d", types[i], WSAGetLastError());
        ok(getsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, (char *)&v, &len) == 0,
           "getsockopt(IPV6_V6ONLY): error %d", WSAGetLastError());
        ok(v == 1, "AF_INET6 type %d: IPV6_V6ONLY default %d, want 1", types[i], v);
        /* Windows reports IPV6_V6ONLY as a one-byte option. */
        ok(len == 1, "IPV6_V6ONLY length %d, want 1", len);
        closesocket(s);
    }
}

/* Sockets of the AF_INET6 family report family 23 in their addresses. */
static void test_af_inet6_value(void)
{
    SOCKET s = socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
    struct sockaddr_in6 a;
    int len = sizeof(a);

    ok(AF_INET6 == 23, "AF_INET6 is %d", AF_INET6);
    memset(&a, 0, sizeof(a));
    a.sin6_family = AF_INET6;
    a.sin6_addr.s6_addr[15] = 1; /* ::1 */
    ok(bind(s, (struct sockaddr *)&a, sizeof(a)) == 0, "bind ::1: error %d", WSAGetLastError());
    memset(&a, 0xcc, sizeof(a));
    ok(getsockname(s, (struct sockaddr *)&a, &len) == 0, "getsockname: error %d",
       WSAGetLastError());
    ok(a.sin6_family == 23 && len == (int)sizeof(struct sockaddr_in6),
       "family %d len %d", a.sin6_family, len);
    closesocket(s);
}

int main(void)
{
    tu_startup();
    test_table(BY_SOCKET);
    test_table(BY_WSASOCKETA);
    test_table(BY_WSASOCKETW);
    test_flags();
    test_v6only_default();
    test_af_inet6_value();
    tu_check_tcp_pair();
    WSACleanup();
    return test_done();
}
