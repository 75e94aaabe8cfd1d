/* WSAStartup / WSACleanup: version negotiation, the WSADATA Windows fills, reference counting,
 * WSANOTINITIALISED before startup and after the final cleanup, and sockets destroyed by the
 * final cleanup. Each behaviour is what Windows does (MS docs, Wine's Windows-validated tests). */
#include "testutil.h"

struct version_case {
    WORD requested;
    WORD negotiated; /* wVersion Windows writes, also when it refuses */
};

static const struct version_case versions[] = {
    {MAKEWORD(0, 0), MAKEWORD(2, 2)},
    {MAKEWORD(0, 1), MAKEWORD(2, 2)},
    {MAKEWORD(1, 0), MAKEWORD(1, 0)},
    {MAKEWORD(1, 1), MAKEWORD(1, 1)},
    {MAKEWORD(1, 2), MAKEWORD(1, 1)},
    {MAKEWORD(1, 0xff), MAKEWORD(1, 1)},
    {MAKEWORD(2, 0), MAKEWORD(2, 0)},
    {MAKEWORD(2, 1), MAKEWORD(2, 1)},
    {MAKEWORD(2, 2), MAKEWORD(2, 2)},
    {MAKEWORD(2, 3), MAKEWORD(2, 2)},
    {MAKEWORD(2, 0xff), MAKEWORD(2, 2)},
    {MAKEWORD(3, 0), MAKEWORD(2, 2)},
    {MAKEWORD(3, 5), MAKEWORD(2, 2)},
    {MAKEWORD(0xff, 0), MAKEWORD(2, 2)},
};

/* Every call made before WSAStartup fails with WSANOTINITIALISED. */
static void test_not_initialised(const char *when)
{
    struct sockaddr_in a;
    struct addrinfo *res = NULL;
    char name[256];
    int len = sizeof(a), r;
    SOCKET s;

    a = tu_lo4(0);

    WSASetLastError(0xdead);
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(s == INVALID_SOCKET && WSAGetLastError() == WSANOTINITIALISED,
       "%s: socket: got %llu error %d", when, (unsigned long long)s, WSAGetLastError());

    WSASetLastError(0xdead);
    s = WSASocketA(AF_INET, SOCK_DGRAM, 0, NULL, 0, 0);
    ok(s == INVALID_SOCKET && WSAGetLastError() == WSANOTINITIALISED,
       "%s: WSASocketA: got %llu error %d", when, (unsigned long long)s, WSAGetLastError());

    WSASetLastError(0xdead);
    s = WSASocketW(0, 0, 0, NULL, 0, 0);
    ok(s == INVALID_SOCKET && WSAGetLastError() == WSANOTINITIALISED,
       "%s: WSASocketW: got %llu error %d", when, (unsigned long long)s, WSAGetLastError());

    WSASetLastError(0xdead);
    ok(gethostbyname("localhost") == NULL && WSAGetLastError() == WSANOTINITIALISED,
       "%s: gethostbyname: error %d", when, WSAGetLastError());


    WSASetLastError(0xdead);
    ok_wsa_fail(closesocket(INVALID_SOCKET), SOCKET_ERROR, WSANOTINITIALISED);

#ifdef WS2_URING
    /* Windows checks the startup count first in every function (MS docs list
     * WSANOTINITIALISED for each); Wine skips that check for these and fails them
     * differently (or not at all), so they are asserted on our side only. */
    WSASetLastError(0xdead);
    r = gethostname(name, sizeof(name));
    ok(r == SOCKET_ERROR && WSAGetLastError() == WSANOTINITIALISED,
       "%s: gethostname: got %d error %d", when, r, WSAGetLastError());

    /* getaddrinfo returns the error code itself. */
    r = getaddrinfo("127.0.0.1", "80", NULL, &res);
    ok(r == WSANOTINITIALISED, "%s: getaddrinfo: got %d", when, r);
    if (r == 0 && res)
        freeaddrinfo(res);

    WSASetLastError(0xdead);
    ok_wsa_fail(bind(INVALID_SOCKET, (struct sockaddr *)&a, sizeof(a)), SOCKET_ERROR,
                WSANOTINITIALISED);
    WSASetLastError(0xdead);
    ok_wsa_fail(getsockname(INVALID_SOCKET, (struct sockaddr *)&a, &len), SOCKET_ERROR,
                WSANOTINITIALISED);
#else
    (void)name;
    (void)res;
    (void)len;
    (void)r;
#endif
    WSASetLastError(0xdead);
    ok_wsa_fail(WSACleanup(), SOCKET_ERROR, WSANOTINITIALISED);
}

static void test_versions(void)
{
    unsigned int i;

    for (i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
        WORD v = versions[i].requested;
        int want = LOBYTE(v) ? 0 : WSAVERNOTSUPPORTED;
        WSADATA d;
        int r;

        memset(&d, 0xcc, sizeof(d));
        d.lpVendorInfo = (char *)(ULONG_PTR)0xdeadbeef;
        r = WSAStartup(v, &d);
        ok(r == want, "version %#x: WSAStartup returned %d, want %d", v, r, want);
        ok(d.wVersion == versions[i].negotiated, "version %#x: wVersion %#x, want %#x", v,
           d.wVersion, versions[i].negotiated);
        ok(d.wHighVersion == MAKEWORD(2, 2), "version %#x: wHighVersion %#x", v, d.wHighVersion);
        ok(!strcmp(d.szDescription, "WinSock 2.0"), "version %#x: szDescription \"%.40s\"", v,
           d.szDescription);
        ok(!strcmp(d.szSystemStatus, "Running"), "version %#x: szSystemStatus \"%.40s\"", v,
           d.szSystemStatus);
        ok(d.iMaxSockets == (LOBYTE(v) == 1 ? 32767 : 0), "version %#x: iMaxSockets %u", v,
           (unsigned)d.iMaxSockets);
        ok(d.iMaxUdpDg == (LOBYTE(v) == 1 ? 65467 : 0), "version %#x: iMaxUdpDg %u", v,
           (unsigned)d.iMaxUdpDg);
        ok(d.lpVendorInfo == (char *)(ULONG_PTR)0xdeadbeef, "version %#x: lpVendorInfo %p", v,
           (void *)d.lpVendorInfo);

        if (r == 0) {
            /* A second startup counts again: two cleanups are needed. */
            r = WSAStartup(v, &d);
            ok(r == 0, "version %#x: second WSAStartup returned %d", v, r);
            WSASetLastError(0xdeadbeef);
            r = WSACleanup();
            ok(r == 0, "version %#x: first WSACleanup returned %d", v, r);
#ifdef WS2_URING
            /* Windows clears the last error on a successful WSACleanup (Wine does not). */
            ok(WSAGetLastError() == 0, "version %#x: WSACleanup left error %d", v,
               WSAGetLastError());
#endif
            r = WSACleanup();
            ok(r == 0, "version %#x: second WSACleanup returned %d", v, r);
        }
        /* A refused startup did not count. */
        WSASetLastError(0xdeadbeef);
        ok_wsa_fail(WSACleanup(), SOCKET_ERROR, WSANOTINITIALISED);

        /* NULL lpWSAData: WSAEFAULT, after version validation; nothing counted. */
        r = WSAStartup(v, NULL);
        ok(r == (LOBYTE(v) ? WSAEFAULT : WSAVERNOTSUPPORTED),
           "version %#x: WSAStartup(NULL) returned %d", v, r);
        WSASetLastError(0xdeadbeef);
        ok_wsa_fail(WSACleanup(), SOCKET_ERROR, WSANOTINITIALISED);
    }
}

static void test_refcount(void)
{
    WSADATA d;
    SOCKET s;

    ok(WSAStartup(MAKEWORD(2, 2), &d) == 0, "startup 1");
    ok(WSAStartup(MAKEWORD(2, 2), &d) == 0, "startup 2");
    ok(WSAStartup(MAKEWORD(1, 1), &d) == 0, "startup 3 (other version)");
    ok(d.wVersion == MAKEWORD(1, 1), "startup 3 negotiated %#x", d.wVersion);
    ok(WSACleanup() == 0, "cleanup 1 of 3");
    ok(WSACleanup() == 0, "cleanup 2 of 3");

    /* Still initialised: one startup remains. */
    s = socket(AF_INET, SOCK_STREAM, 0);
    ok(s != INVALID_SOCKET, "socket after 2 of 3 cleanups: error %d", WSAGetLastError());
    if (s != INVALID_SOCKET)
        ok(closesocket(s) == 0, "closesocket: error %d", WSAGetLastError());

    ok(WSACleanup() == 0, "cleanup 3 of 3");
    WSASetLastError(0);
    s = socket(AF_INET, SOCK_STREAM, 0);
    ok(s == INVALID_SOCKET && WSAGetLastError() == WSANOTINITIALISED,
       "socket after final cleanup: got %llu error %d", (unsigned long long)s, WSAGetLastError());
    WSASetLastError(0);
    ok_wsa_fail(WSACleanup(), SOCKET_ERROR, WSANOTINITIALISED);
}

/* Sockets still open at the final WSACleanup are destroyed: after a new WSAStartup their
 * handles are not sockets any more. */
static void test_cleanup_destroys_sockets(void)
{
    SOCKET c, srv, u;
    struct sockaddr_in a;
    int len = sizeof(a);
    char buf[4];

    tu_startup();
    ok(tu_tcp_pair(&c, &srv) == 0, "tcp pair: error %d", WSAGetLastError());
    u = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    ok(u != INVALID_SOCKET, "udp socket: error %d", WSAGetLastError());
    ok(send(c, "TEST", 4, 0) == 4, "send before cleanup: error %d", WSAGetLastError());
    ok(WSACleanup() == 0, "final cleanup");

#ifdef WS2_URING
    /* Between the final cleanup and a new startup every call is WSANOTINITIALISED on
     * Windows (Wine does not check the startup count in send/recv). */
    WSASetLastError(0);
    ok_wsa_fail(send(c, "TEST", 4, 0), SOCKET_ERROR, WSANOTINITIALISED);
    WSASetLastError(0);
    ok_wsa_fail(recv(srv, buf, sizeof(buf), 0), SOCKET_ERROR, WSANOTINITIALISED);
#endif
    WSASetLastError(0);
    ok_wsa_fail(closesocket(c), SOCKET_ERROR, WSANOTINITIALISED);

    tu_startup();
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(send(c, "TEST", 4, 0), SOCKET_ERROR, WSAENOTSOCK);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(recv(srv, buf, sizeof(buf), 0), SOCKET_ERROR, WSAENOTSOCK);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getsockname(u, (struct sockaddr *)&a, &len), SOCKET_ERROR, WSAENOTSOCK);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getsockname(c, (struct sockaddr *)&a, &len), SOCKET_ERROR, WSAENOTSOCK);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(closesocket(srv), SOCKET_ERROR, WSAENOTSOCK);
    ok(WSACleanup() == 0, "cleanup");
}

int main(void)
{
    /* Nothing has started Winsock yet in this process. */
    test_not_initialised("before any WSAStartup");
    test_versions();
    test_refcount();
    test_not_initialised("after the final WSACleanup");
    test_cleanup_destroys_sockets();
    return test_done();
}
