/* Socket handles: never 0 or INVALID_SOCKET, distinct while open, WSAENOTSOCK once closed (also
 * after new sockets exist), closesocket twice, CloseHandle on a socket, CloseHandle on a bogus
 * handle, and the reserved values 0 / INVALID_SOCKET. */
#include "testutil.h"

#define MANY 500

static int cmp_socket(const void *a, const void *b)
{
    SOCKET x = *(const SOCKET *)a, y = *(const SOCKET *)b;
    return x < y ? -1 : x > y;
}

static void test_many(void)
{
    static SOCKET s[MANY], sorted[MANY];
    int i, created = 0, bad = 0, dups = 0;

    for (i = 0; i < MANY; i++) {
        s[i] = socket(AF_INET, (i & 1) ? SOCK_DGRAM : SOCK_STREAM, 0);
        if (s[i] == INVALID_SOCKET)
            break;
        created++;
        if (s[i] == 0)
            bad++;
    }
    ok(created == MANY, "created %d of %d sockets, error %d", created, MANY, WSAGetLastError());
    ok(bad == 0, "%d sockets had the value 0", bad);

    memcpy(sorted, s, sizeof(SOCKET) * (size_t)created);
    qsort(sorted, (size_t)created, sizeof(SOCKET), cmp_socket);
    for (i = 1; i < created; i++)
        if (sorted[i] == sorted[i - 1])
            dups++;
    ok(dups == 0, "%d duplicate handle values among %d open sockets", dups, created);

    /* Every one of them works. */
    bad = 0;
    for (i = 0; i < created; i++) {
        int type = 0, len = sizeof(type);
        if (getsockopt(s[i], SOL_SOCKET, SO_TYPE, (char *)&type, &len) ||
            type != ((i & 1) ? SOCK_DGRAM : SOCK_STREAM))
            bad++;
    }
    ok(bad == 0, "%d sockets gave a wrong SO_TYPE", bad);

    bad = 0;
    for (i = 0; i < created; i++)
        if (closesocket(s[i]) != 0)
            bad++;
    ok(bad == 0, "%d closesocket calls failed", bad);
}

static int in_set(SOCKET v, const SOCKET *set, int n)
{
    int i;
    for (i = 0; i < n; i++)
        if (set[i] == v)
            return 1;
    return 0;
}

static void test_stale(void)
{
    SOCKET old, fresh[32];
    struct sockaddr_in a;
    int len = sizeof(a), i, n = 0;
    char b = 0;

    old = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(old != INVALID_SOCKET, "socket: error %d", WSAGetLastError());
    ok(closesocket(old) == 0, "closesocket: error %d", WSAGetLastError());

    WSASetLastError(0);
    ok_wsa_fail(getsockname(old, (struct sockaddr *)&a, &len), SOCKET_ERROR, WSAENOTSOCK);
    WSASetLastError(0);
    ok_wsa_fail(send(old, &b, 1, 0), SOCKET_ERROR, WSAENOTSOCK);
    WSASetLastError(0);
    ok_wsa_fail(listen(old, 1), SOCKET_ERROR, WSAENOTSOCK);
    WSASetLastError(0);
    ok_wsa_fail(closesocket(old), SOCKET_ERROR, WSAENOTSOCK);

    /* New sockets may take the same value (Windows reuses handle values); while the old value
     * does not name a new socket it stays invalid. */
    for (i = 0; i < 32; i++) {
        fresh[i] = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
        if (fresh[i] != INVALID_SOCKET)
            n++;
    }
    ok(n == 32, "created %d fresh sockets", n);
    if (!in_set(old, fresh, n)) {
        WSASetLastError(0);
        ok_wsa_fail(getsockname(old, (struct sockaddr *)&a, &len), SOCKET_ERROR, WSAENOTSOCK);
        WSASetLastError(0);
        ok_wsa_fail(recv(old, &b, 1, 0), SOCKET_ERROR, WSAENOTSOCK);
        WSASetLastError(0);
        ok_wsa_fail(closesocket(old), SOCKET_ERROR, WSAENOTSOCK);
    } else {
        int type = 0, tl = sizeof(type);
        /* The value now names a fresh UDP socket, which must behave as that socket. */
        ok(getsockopt(old, SOL_SOCKET, SO_TYPE, (char *)&type, &tl) == 0 && type == SOCK_DGRAM,
           "reused value is not the new UDP socket: type %d error %d", type, WSAGetLastError());
    }
    for (i = 0; i < n; i++)
        closesocket(fresh[i]);

    /* Close, then close again on every fresh value: each second close fails. */
    for (i = 0; i < n; i++) {
        WSASetLastError(0);
        ok_wsa_fail(closesocket(fresh[i]), SOCKET_ERROR, WSAENOTSOCK);
    }
}

static void test_reserved_values(void)
{
    struct sockaddr_in a;
    int len = sizeof(a);
    char b;

    WSASetLastError(0);
    ok_wsa_fail(closesocket(INVALID_SOCKET), SOCKET_ERROR, WSAENOTSOCK);
    WSASetLastError(0);
    ok_wsa_fail(closesocket(0), SOCKET_ERROR, WSAENOTSOCK);
    WSASetLastError(0);
    ok_wsa_fail(closesocket((SOCKET)0xdeadbeef), SOCKET_ERROR, WSAENOTSOCK);
    WSASetLastError(0);
    ok_wsa_fail(listen(0, 0), SOCKET_ERROR, WSAENOTSOCK);
    WSASetLastError(0);
    ok_wsa_fail(listen((SOCKET)0xdeadbeef, 0), SOCKET_ERROR, WSAENOTSOCK);
    WSASetLastError(0);
    ok_wsa_fail(getsockname(INVALID_SOCKET, (struct sockaddr *)&a, &len), SOCKET_ERROR,
                WSAENOTSOCK);
    WSASetLastError(0);
    ok_wsa_fail(getpeername(0, (struct sockaddr *)&a, &len), SOCKET_ERROR, WSAENOTSOCK);
    WSASetLastError(0);
    ok_wsa_fail(recv(0, &b, 1, 0), SOCKET_ERROR, WSAENOTSOCK);
    WSASetLastError(0);
    ok_wsa_fail(send(INVALID_SOCKET, &b, 1, 0), SOCKET_ERROR, WSAENOTSOCK);
    WSASetLastError(0);
    ok_wsa_fail(shutdown(INVALID_SOCKET, SD_BOTH), SOCKET_ERROR, WSAENOTSOCK);
    WSASetLastError(0);
    ok_wsa_fail(accept(INVALID_SOCKET, NULL, NULL), INVALID_SOCKET, WSAENOTSOCK);
}

static void test_closehandle(void)
{
    SOCKET s, c, srv;
    struct sockaddr_in a;
    int len = sizeof(a), r;
    char buf[8];
    BOOL ret;

    /* CloseHandle closes a socket: it is gone for every socket call afterwards. */
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(s != INVALID_SOCKET, "socket: error %d", WSAGetLastError());
    SetLastError(0xdeadbeef);
    ret = CloseHandle((HANDLE)s);
    ok(ret == TRUE, "CloseHandle(socket) returned %d error %d", ret, (int)GetLastError());
    WSASetLastError(0);
    ok_wsa_fail(getsockname(s, (struct sockaddr *)&a, &len), SOCKET_ERROR, WSAENOTSOCK);
    /* Closing it again through CloseHandle: the handle is invalid (checked before anything
     * else could take the value). */
    SetLastError(0);
    ret = CloseHandle((HANDLE)s);
    ok(ret == FALSE && GetLastError() == ERROR_INVALID_HANDLE,
       "CloseHandle(closed socket) returned %d error %d", ret, (int)GetLastError());
#ifdef WS2_URING
    /* Wine keeps a socket closed by CloseHandle in its own socket list and lets closesocket
     * succeed; on Windows the handle is gone and closesocket fails with WSAENOTSOCK. */
    WSASetLastError(0);
    ok_wsa_fail(closesocket(s), SOCKET_ERROR, WSAENOTSOCK);
#endif

    /* CloseHandle on a connected socket: the peer sees the connection end. */
    ok(tu_tcp_pair(&c, &srv) == 0, "tcp pair: error %d", WSAGetLastError());
    ok(send(c, "hi", 2, 0) == 2, "send: error %d", WSAGetLastError());
    ret = CloseHandle((HANDLE)c);
    ok(ret == TRUE, "CloseHandle(connected socket) returned %d error %d", ret, (int)GetLastError());
    r = recv(srv, buf, sizeof(buf), 0);
    ok(r == 2 && !memcmp(buf, "hi", 2), "recv after peer CloseHandle: got %d error %d", r,
       WSAGetLastError());
    r = recv(srv, buf, sizeof(buf), 0);
    ok(r == 0, "recv at end of stream: got %d error %d", r, WSAGetLastError());
    ok(closesocket(srv) == 0, "closesocket(srv): error %d", WSAGetLastError());

    /* A value that was never a handle. */
    SetLastError(0);
    ret = CloseHandle((HANDLE)(ULONG_PTR)0x0badf00c);
    ok(ret == FALSE && GetLastError() == ERROR_INVALID_HANDLE,
       "CloseHandle(bogus) returned %d error %d", ret, (int)GetLastError());
}

int main(void)
{
    tu_startup();
    test_many();
    test_stale();
    test_reserved_values();
    test_closehandle();
    WSACleanup();
    return test_done();
}
