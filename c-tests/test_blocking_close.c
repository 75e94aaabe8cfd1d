/* A thread blocked in recv, recvfrom, accept or WSAAccept on a socket that another thread
 * closes returns SOCKET_ERROR / INVALID_SOCKET with WSAEINTR ("A blocking operation was
 * interrupted"), promptly; the handle is gone afterwards and a TCP peer sees the connection end. */
#include "testutil.h"
#include <pthread.h>
#include <stdatomic.h>

enum op { OP_RECV, OP_RECVFROM, OP_ACCEPT, OP_WSAACCEPT };
static const char *const op_name[] = {"recv", "recvfrom", "accept", "WSAAccept"};

struct blocker {
    SOCKET s;
    enum op op;
    atomic_int entered;
    atomic_int done;
    long long ret;
    int error;
    long long returned_at;
};

static void *blocker_thread(void *p)
{
    struct blocker *b = p;
    char buf[16];
    struct sockaddr_in from;
    int len = sizeof(from);

    WSASetLastError(0);
    atomic_store(&b->entered, 1);
    switch (b->op) {
    case OP_RECV:
        b->ret = recv(b->s, buf, sizeof(buf), 0);
        break;
    case OP_RECVFROM:
        b->ret = recvfrom(b->s, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
        break;
    case OP_ACCEPT:
        b->ret = (long long)accept(b->s, NULL, NULL);
        break;
    case OP_WSAACCEPT:
        b->ret = (long long)WSAAccept(b->s, NULL, NULL, NULL, 0);
        break;
    }
    b->error = WSAGetLastError();
    b->returned_at = (long long)tu_now_ms();
    atomic_store(&b->done, 1);
    return NULL;
}

/* Start a blocker on s, close s from this thread, check how the blocked call ended. */
static void close_under(SOCKET s, enum op op)
{
    struct blocker b;
    pthread_t t;
    long long closed_at;
    int i, r;

    memset(&b, 0, sizeof(b));
    b.s = s;
    b.op = op;
    atomic_init(&b.entered, 0);
    atomic_init(&b.done, 0);
    ok(pthread_create(&t, NULL, blocker_thread, &b) == 0, "pthread_create");
    while (!atomic_load(&b.entered))
        tu_sleep_ms(1);
    tu_sleep_ms(200); /* let the call block */
    ok(!atomic_load(&b.done), "%s returned before the close (ret %lld error %d)", op_name[op],
       b.ret, b.error);

    closed_at = (long long)tu_now_ms();
    r = closesocket(s);
    ok(r == 0, "%s: closesocket while blocked returned %d error %d", op_name[op], r,
       WSAGetLastError());

    for (i = 0; i < 300 && !atomic_load(&b.done); i++)
        tu_sleep_ms(10);
    ok(atomic_load(&b.done), "%s still blocked 3 s after closesocket", op_name[op]);
    if (!atomic_load(&b.done)) {
        /* Do not join a thread that may never return. */
        pthread_detach(t);
        return;
    }
    pthread_join(t, NULL);

    if (op == OP_ACCEPT || op == OP_WSAACCEPT)
        ok((SOCKET)b.ret == INVALID_SOCKET, "%s returned %lld, want INVALID_SOCKET", op_name[op],
           b.ret);
    else
        ok(b.ret == SOCKET_ERROR, "%s returned %lld, want SOCKET_ERROR", op_name[op], b.ret);
#ifdef WS2_URING
    /* Windows reports the interrupted blocking call as WSAEINTR (10004, "A blocking operation
     * was interrupted by a call to WSACancelBlockingCall", the error Windows programs see when
     * a listener or connection is closed under a blocking accept or receive). Wine 8 reports
     * WSAEINVAL for receives and ERROR_OPERATION_ABORTED for accepts. */
    ok(b.error == WSAEINTR, "%s error %d, want WSAEINTR", op_name[op], b.error);
#endif
    ok(b.returned_at - closed_at < 1000, "%s returned %lld ms after closesocket", op_name[op],
       b.returned_at - closed_at);

    /* The handle is gone. */
    WSASetLastError(0);
    ok_wsa_fail(closesocket(s), SOCKET_ERROR, WSAENOTSOCK);
}

int main(void)
{
    SOCKET c, s, u;
    struct sockaddr_in a;
    char b[4];
    int n;

    tu_startup();

    /* recv on a connected TCP socket; the peer then sees the end of the stream. */
    ok(tu_tcp_pair(&c, &s) == 0, "tcp pair: error %d", WSAGetLastError());
    close_under(s, OP_RECV);
    n = recv(c, b, sizeof(b), 0);
    ok(n == 0 || (n == SOCKET_ERROR && WSAGetLastError() == WSAECONNRESET),
       "peer of the closed socket: recv got %d error %d", n, WSAGetLastError());
    closesocket(c);

    /* recvfrom on a bound UDP socket. */
    u = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    a = tu_lo4(0);
    ok(bind(u, (struct sockaddr *)&a, sizeof(a)) == 0, "udp bind: error %d", WSAGetLastError());
    close_under(u, OP_RECVFROM);

    /* accept and WSAAccept on a listening socket. */
    close_under(tu_listener(&a), OP_ACCEPT);
    close_under(tu_listener(&a), OP_WSAACCEPT);

    /* Two threads blocked on the same socket are both released. */
    {
        struct blocker b1, b2;
        pthread_t t1, t2;
        int i;

        ok(tu_tcp_pair(&c, &s) == 0, "tcp pair: error %d", WSAGetLastError());
        memset(&b1, 0, sizeof(b1));
        memset(&b2, 0, sizeof(b2));
        b1.s = b2.s = s;
        b1.op = b2.op = OP_RECV;
        pthread_create(&t1, NULL, blocker_thread, &b1);
        pthread_create(&t2, NULL, blocker_thread, &b2);
        while (!atomic_load(&b1.entered) || !atomic_load(&b2.entered))
            tu_sleep_ms(1);
        tu_sleep_ms(200);
        ok(closesocket(s) == 0, "closesocket: error %d", WSAGetLastError());
        for (i = 0; i < 300 && !(atomic_load(&b1.done) && atomic_load(&b2.done)); i++)
            tu_sleep_ms(10);
        ok(atomic_load(&b1.done) && atomic_load(&b2.done), "not every blocked recv returned");
        if (atomic_load(&b1.done) && atomic_load(&b2.done)) {
            pthread_join(t1, NULL);
            pthread_join(t2, NULL);
            ok(b1.ret == SOCKET_ERROR && b2.ret == SOCKET_ERROR, "returns %lld %lld", b1.ret,
               b2.ret);
#ifdef WS2_URING
            ok(b1.error == WSAEINTR && b2.error == WSAEINTR, "errors %d %d", b1.error, b2.error);
#endif
        }
        closesocket(c);
    }

    WSACleanup();
    return test_done();
}
