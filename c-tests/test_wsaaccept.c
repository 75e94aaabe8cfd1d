/* WSAAccept: without a condition function, with CF_ACCEPT, CF_REJECT (WSAECONNREFUSED, the
 * client loses the connection), CF_DEFER (WSATRY_AGAIN, the connection stays queued), an invalid
 * condition result, the caller/callee ids the condition function receives, address out
 * parameters, and the errors for bad sockets. */
#include "testutil.h"

struct cond_record {
    int calls;
    int result;                  /* what the condition function returns */
    DWORD_PTR data;              /* dwCallbackData seen */
    int caller_len, callee_len;  /* WSABUF lengths */
    struct sockaddr_in caller, callee;
    int caller_null, callee_null;
    int same_thread;
};

static _Thread_local int in_wsaaccept_thread;
static struct cond_record rec;

static int CALLBACK condition(LPWSABUF caller_id, LPWSABUF caller_data, LPQOS sqos, LPQOS gqos,
                              LPWSABUF callee_id, LPWSABUF callee_data, GROUP *g,
                              DWORD_PTR callback_data)
{
    (void)caller_data;
    (void)sqos;
    (void)gqos;
    (void)callee_data;
    (void)g;
    rec.calls++;
    rec.data = callback_data;
    rec.same_thread = in_wsaaccept_thread;
    rec.caller_null = caller_id == NULL;
    rec.callee_null = callee_id == NULL;
    if (caller_id) {
        rec.caller_len = (int)caller_id->len;
        if (caller_id->buf && caller_id->len >= sizeof(struct sockaddr_in))
            memcpy(&rec.caller, caller_id->buf, sizeof(struct sockaddr_in));
    }
    if (callee_id) {
        rec.callee_len = (int)callee_id->len;
        if (callee_id->buf && callee_id->len >= sizeof(struct sockaddr_in))
            memcpy(&rec.callee, callee_id->buf, sizeof(struct sockaddr_in));
    }
    return rec.result;
}

static SOCKET client(const struct sockaddr_in *to, struct sockaddr_in *local)
{
    SOCKET c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    int len = sizeof(*local);
    ok(connect(c, (const struct sockaddr *)to, sizeof(*to)) == 0, "connect: error %d",
       WSAGetLastError());
    getsockname(c, (struct sockaddr *)local, &len);
    return c;
}

static void test_plain(void)
{
    struct sockaddr_in la, ca;
    SOCKADDR_STORAGE ss;
    SOCKET l, c, a;
    int len;
    char b;

    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAAccept(INVALID_SOCKET, NULL, NULL, NULL, 0), INVALID_SOCKET, WSAENOTSOCK);
    a = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAAccept(a, NULL, NULL, NULL, 0), INVALID_SOCKET, WSAEINVAL);
    closesocket(a);

    l = tu_listener(&la);

    /* No condition function, no address. */
    c = client(&la, &ca);
    a = WSAAccept(l, NULL, NULL, NULL, 0);
    ok(a != INVALID_SOCKET, "WSAAccept(NULL...): error %d", WSAGetLastError());
    ok(send(c, "x", 1, 0) == 1 && recv(a, &b, 1, 0) == 1 && b == 'x', "data over WSAAccept socket");
    closesocket(a);
    closesocket(c);

    /* With an address buffer. */
    c = client(&la, &ca);
    memset(&ss, 0, sizeof(ss));
    len = sizeof(ss);
    a = WSAAccept(l, (struct sockaddr *)&ss, &len, NULL, 0);
    ok(a != INVALID_SOCKET, "WSAAccept(addr): error %d", WSAGetLastError());
    ok(len == (int)sizeof(struct sockaddr_in), "address length %d", len);
    ok(ss.ss_family == AF_INET && ((struct sockaddr_in *)&ss)->sin_port == ca.sin_port,
       "peer family %d port %d, client port %d", ss.ss_family,
       ntohs(((struct sockaddr_in *)&ss)->sin_port), ntohs(ca.sin_port));
    closesocket(a);
    closesocket(c);

    /* A zero length: WSAEFAULT and the length stays 0. */
    c = client(&la, &ca);
    len = 0;
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAAccept(l, (struct sockaddr *)&ss, &len, NULL, 0), INVALID_SOCKET, WSAEFAULT);
    ok(len == 0, "length after WSAEFAULT: %d", len);
    closesocket(c);
    closesocket(l);
}

static void test_condition_accept(void)
{
    struct sockaddr_in la, ca;
    SOCKET l, c, a;
    char b;

    l = tu_listener(&la);
    c = client(&la, &ca);
    memset(&rec, 0, sizeof(rec));
    rec.result = CF_ACCEPT;
    in_wsaaccept_thread = 1;
    a = WSAAccept(l, NULL, NULL, condition, (DWORD_PTR)0x12345678);
    in_wsaaccept_thread = 0;
    ok(a != INVALID_SOCKET, "CF_ACCEPT: error %d", WSAGetLastError());
    ok(rec.calls == 1, "condition called %d times", rec.calls);
    ok(rec.same_thread, "condition ran on another thread");
    ok(rec.data == (DWORD_PTR)0x12345678, "callback data %#llx", (unsigned long long)rec.data);
    ok(!rec.caller_null && rec.caller_len == (int)sizeof(struct sockaddr_in),
       "caller id null %d len %d", rec.caller_null, rec.caller_len);
    ok(rec.caller.sin_family == AF_INET && rec.caller.sin_port == ca.sin_port &&
           rec.caller.sin_addr.s_addr == htonl(INADDR_LOOPBACK),
       "caller id family %d port %d (client %d) addr %08x", rec.caller.sin_family,
       ntohs(rec.caller.sin_port), ntohs(ca.sin_port), (unsigned)ntohl(rec.caller.sin_addr.s_addr));
    ok(!rec.callee_null && rec.callee_len == (int)sizeof(struct sockaddr_in),
       "callee id null %d len %d", rec.callee_null, rec.callee_len);
    ok(rec.callee.sin_family == AF_INET && rec.callee.sin_port == la.sin_port &&
           rec.callee.sin_addr.s_addr == htonl(INADDR_LOOPBACK),
       "callee id family %d port %d (listener %d) addr %08x", rec.callee.sin_family,
       ntohs(rec.callee.sin_port), ntohs(la.sin_port), (unsigned)ntohl(rec.callee.sin_addr.s_addr));
    ok(send(a, "y", 1, 0) == 1 && recv(c, &b, 1, 0) == 1 && b == 'y', "data over accepted socket");
    closesocket(a);
    closesocket(c);
    closesocket(l);
}

static void test_condition_reject(void)
{
    struct sockaddr_in la, ca;
    SOCKET l, c, a, c2;
    char b;
    int r;

    l = tu_listener(&la);
    c = client(&la, &ca);
    memset(&rec, 0, sizeof(rec));
    rec.result = CF_REJECT;
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAAccept(l, NULL, NULL, condition, 0), INVALID_SOCKET, WSAECONNREFUSED);
    ok(rec.calls == 1, "CF_REJECT: condition called %d times", rec.calls);

    /* The rejected client's connection is gone: it reads no data, only the end of the
     * connection (reset or closed). */
    r = recv(c, &b, 1, 0);
    ok(r == 0 || (r == SOCKET_ERROR && WSAGetLastError() == WSAECONNRESET),
       "rejected client recv: got %d error %d", r, WSAGetLastError());
    closesocket(c);

    /* The rejected connection left the queue: the next client is the next one accepted. */
    c2 = client(&la, &ca);
    rec.result = CF_ACCEPT;
    rec.calls = 0;
    a = WSAAccept(l, NULL, NULL, condition, 0);
    ok(a != INVALID_SOCKET, "accept after reject: error %d", WSAGetLastError());
    ok(rec.caller.sin_port == ca.sin_port, "accepted port %d, want the second client %d",
       ntohs(rec.caller.sin_port), ntohs(ca.sin_port));
    closesocket(a);
    closesocket(c2);
    closesocket(l);
}

static void test_condition_defer(void)
{
    struct sockaddr_in la, ca;
    SOCKET l, c, a;
    char b;

    l = tu_listener(&la);
    c = client(&la, &ca);
    memset(&rec, 0, sizeof(rec));
    rec.result = CF_DEFER;
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAAccept(l, NULL, NULL, condition, 0), INVALID_SOCKET, WSATRY_AGAIN);
    ok(rec.calls == 1, "CF_DEFER: condition called %d times", rec.calls);

    /* Deferred again: the same connection is offered again. */
    rec.calls = 0;
    memset(&rec.caller, 0, sizeof(rec.caller));
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAAccept(l, NULL, NULL, condition, 0), INVALID_SOCKET, WSATRY_AGAIN);
    ok(rec.calls == 1 && rec.caller.sin_port == ca.sin_port, "re-offered port %d, want %d",
       ntohs(rec.caller.sin_port), ntohs(ca.sin_port));

    /* A plain accept takes the deferred connection. */
    a = accept(l, NULL, NULL);
    ok(a != INVALID_SOCKET, "accept after CF_DEFER: error %d", WSAGetLastError());
    ok(send(c, "z", 1, 0) == 1 && recv(a, &b, 1, 0) == 1 && b == 'z', "data after defer");
    closesocket(a);
    closesocket(c);
    closesocket(l);
}

static void test_condition_invalid(void)
{
#ifdef WS2_URING
    /* A condition result other than CF_ACCEPT/CF_REJECT/CF_DEFER: WSAEINVAL (MS docs,
     * WSAAccept). Wine accepts the connection. */
    struct sockaddr_in la, ca;
    SOCKET l, c;

    l = tu_listener(&la);
    c = client(&la, &ca);
    memset(&rec, 0, sizeof(rec));
    rec.result = 42;
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAAccept(l, NULL, NULL, condition, 0), INVALID_SOCKET, WSAEINVAL);
    closesocket(c);
    closesocket(l);
#endif
}

static void test_nonblocking(void)
{
    struct sockaddr_in la;
    SOCKET l = tu_listener(&la);
    u_long one = 1;

    ok(ioctlsocket(l, FIONBIO, &one) == 0, "FIONBIO: error %d", WSAGetLastError());
    memset(&rec, 0, sizeof(rec));
    rec.result = CF_ACCEPT;
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAAccept(l, NULL, NULL, condition, 0), INVALID_SOCKET, WSAEWOULDBLOCK);
    ok(rec.calls == 0, "condition called %d times with nothing queued", rec.calls);
    closesocket(l);
}

int main(void)
{
    tu_startup();
    test_plain();
    test_condition_accept();
    test_condition_reject();
    test_condition_defer();
    test_condition_invalid();
    test_nonblocking();
    tu_check_tcp_pair();
    WSACleanup();
    return test_done();
}
