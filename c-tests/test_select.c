/* select() with the Windows fd_set: readability (data, pending connection, graceful close,
 * reset), writability, urgent data in exceptfds, timeouts (0, short, NULL), the return value
 * counting set memberships, sets rewritten to the ready sockets, invalid arguments, nfds being
 * ignored, large sets, and sockets closed while another thread selects on them. */
#include "testutil.h"
#include <pthread.h>

#define ZERO3() do { FD_ZERO(&rd); FD_ZERO(&wr); FD_ZERO(&ex); } while (0)
#define SET3(s) do { FD_SET(s, &rd); FD_SET(s, &wr); FD_SET(s, &ex); } while (0)

static void test_unconnected_and_timeouts(void)
{
    SOCKET a = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), b = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    fd_set rd, wr, ex;
    struct timeval tv;
    unsigned long long t0, dt;
    int r;

    /* Fresh TCP sockets are in no state: timeout 0 returns 0 at once and empties the sets. */
    ZERO3();
    SET3(a);
    SET3(b);
    tv.tv_sec = 0;
    tv.tv_usec = 0;
    t0 = tu_now_ms();
    r = select(0, &rd, &wr, &ex, &tv);
    dt = tu_now_ms() - t0;
    ok(r == 0, "fresh sockets: select %d err %d", r, WSAGetLastError());
    ok(dt < 100, "timeout 0 took %llu ms", dt);
    ok(rd.fd_count == 0 && wr.fd_count == 0 && ex.fd_count == 0, "sets not emptied: %u %u %u", rd.fd_count,
       wr.fd_count, ex.fd_count);
    ok(!FD_ISSET(a, &rd) && !FD_ISSET(b, &wr) && !FD_ISSET(a, &ex), "fresh socket reported");

    /* 500 microseconds. */
    ZERO3();
    SET3(a);
    tv.tv_sec = 0;
    tv.tv_usec = 500;
    r = select(0, &rd, &wr, &ex, &tv);
    ok(r == 0, "500us: select %d", r);

    /* 150 ms elapse; the timeval is left as it was. */
    ZERO3();
    SET3(a);
    tv.tv_sec = 0;
    tv.tv_usec = 150000;
    t0 = tu_now_ms();
    r = select(0, &rd, &wr, &ex, &tv);
    dt = tu_now_ms() - t0;
    ok(r == 0, "150ms: select %d", r);
    ok(dt >= 120 && dt < 1500, "150 ms timeout took %llu ms", dt);
    ok(tv.tv_sec == 0 && tv.tv_usec == 150000, "timeval changed to %ld.%06ld", (long)tv.tv_sec, (long)tv.tv_usec);

    /* Only a read set, 1 ms. */
    ZERO3();
    SET3(a);
    tv.tv_sec = 0;
    tv.tv_usec = 1000;
    r = select(0, &rd, NULL, NULL, &tv);
    ok(r == 0, "1ms read-only: select %d", r);

    /* An unbound UDP socket is writable only. */
    {
        SOCKET u = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
        ZERO3();
        SET3(u);
        tv.tv_sec = 0;
        tv.tv_usec = 250000;
        r = select(0, &rd, &wr, &ex, &tv);
        ok(r == 1, "unbound udp: select %d", r);
        ok(FD_ISSET(u, &wr) && !FD_ISSET(u, &rd) && !FD_ISSET(u, &ex), "unbound udp sets %u %u %u", rd.fd_count,
           wr.fd_count, ex.fd_count);
        closesocket(u);
    }
    closesocket(a);
    closesocket(b);
}

static void test_invalid(void)
{
    SOCKET a, b, c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    fd_set rd, wr, ex;
    struct timeval tv = {0, 0};
    int r;

    /* No sets, or only empty ones. */
    WSASetLastError(0);
    ok_wsa_fail(select(0, NULL, NULL, NULL, &tv), SOCKET_ERROR, WSAEINVAL);
    ZERO3();
    WSASetLastError(0);
    ok_wsa_fail(select(0, &rd, &wr, &ex, &tv), SOCKET_ERROR, WSAEINVAL);
    WSASetLastError(0);
    ok_wsa_fail(select(0, &rd, NULL, NULL, &tv), SOCKET_ERROR, WSAEINVAL);

    /* INVALID_SOCKET in any one set. */
    ZERO3();
    FD_SET(INVALID_SOCKET, &rd);
    WSASetLastError(0);
    ok_wsa_fail(select(0, &rd, &wr, &ex, &tv), SOCKET_ERROR, WSAENOTSOCK);
    ZERO3();
    FD_SET(INVALID_SOCKET, &wr);
    WSASetLastError(0);
    ok_wsa_fail(select(0, &rd, &wr, &ex, &tv), SOCKET_ERROR, WSAENOTSOCK);
    ZERO3();
    FD_SET(INVALID_SOCKET, &ex);
    WSASetLastError(0);
    ok_wsa_fail(select(0, &rd, &wr, &ex, &tv), SOCKET_ERROR, WSAENOTSOCK);

    /* A closed socket next to a good one: WSAENOTSOCK and the sets are left alone. */
    if (tu_tcp_pair(&a, &b)) {
        ok(0, "tcp pair failed");
        return;
    }
    closesocket(a);
    ZERO3();
    SET3(b);
    SET3(a);
    tv.tv_sec = 1;
    WSASetLastError(0xdeadbeef);
    r = select(0, &rd, NULL, &ex, &tv);
    ok(r == SOCKET_ERROR && WSAGetLastError() == WSAENOTSOCK, "closed socket: r %d err %d", r, WSAGetLastError());
    ok(rd.fd_count == 2 && ex.fd_count == 2, "sets changed: %u %u", rd.fd_count, ex.fd_count);
    ok(rd.fd_array[0] == b && rd.fd_array[1] == a, "read set reordered");
    closesocket(b);

    /* A closed never-connected socket alone. */
    closesocket(c);
    ZERO3();
    FD_SET(c, &wr);
    WSASetLastError(0);
    tv.tv_sec = 0;
    ok_wsa_fail(select(0, NULL, &wr, NULL, &tv), SOCKET_ERROR, WSAENOTSOCK);
}

static void test_ready_states(void)
{
    struct sockaddr_in addr;
    SOCKET l, c, s;
    fd_set rd, wr, ex;
    struct timeval tv = {1, 250000};
    char buf[16];
    int r, v;

    l = tu_listener(&addr);

    /* Nothing pending on the listener. */
    ZERO3();
    SET3(l);
    tv.tv_sec = 0;
    tv.tv_usec = 100000;
    r = select(0, &rd, &wr, &ex, &tv);
    ok(r == 0, "idle listener: select %d", r);

    /* A pending connection makes the listener readable, nothing else. */
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(connect(c, (struct sockaddr *)&addr, sizeof(addr)) == 0, "connect err %d", WSAGetLastError());
    ZERO3();
    SET3(l);
    tv.tv_sec = 1;
    tv.tv_usec = 250000;
    r = select(0, &rd, &wr, &ex, &tv);
    ok(r == 1, "pending connection: select %d", r);
    ok(FD_ISSET(l, &rd) && wr.fd_count == 0 && ex.fd_count == 0, "pending connection sets %u %u %u", rd.fd_count,
       wr.fd_count, ex.fd_count);
    s = accept(l, NULL, NULL);
    ok(s != INVALID_SOCKET, "accept err %d", WSAGetLastError());

    /* Both ends writable; the listener is idle again. Each membership counts once. */
    ZERO3();
    SET3(l);
    SET3(c);
    SET3(s);
    r = select(0, &rd, &wr, &ex, &tv);
    ok(r == 2, "connected pair: select %d", r);
    ok(FD_ISSET(c, &wr) && FD_ISSET(s, &wr), "pair not writable");
    ok(rd.fd_count == 0 && ex.fd_count == 0 && wr.fd_count == 2, "pair sets %u %u %u", rd.fd_count, wr.fd_count,
       ex.fd_count);

    /* Data arrives: readable and writable, 2 memberships. */
    ok(send(c, "1234", 4, 0) == 4, "send err %d", WSAGetLastError());
    ZERO3();
    FD_SET(s, &rd);
    r = select(0, &rd, NULL, NULL, &tv);
    ok(r == 1 && FD_ISSET(s, &rd), "data: select %d", r);
    ZERO3();
    SET3(s);
    r = select(0, &rd, &wr, &ex, &tv);
    ok(r == 2, "data, all sets: select %d", r);
    ok(FD_ISSET(s, &rd) && FD_ISSET(s, &wr) && !FD_ISSET(s, &ex), "data sets %u %u %u", rd.fd_count, wr.fd_count,
       ex.fd_count);

    /* The set keeps only the ready ones: an idle socket listed first is dropped. */
    ZERO3();
    FD_SET(c, &rd);
    FD_SET(s, &rd);
    r = select(0, &rd, NULL, NULL, &tv);
    ok(r == 1 && rd.fd_count == 1 && rd.fd_array[0] == s, "rewrite: r %d count %u", r, rd.fd_count);
    ok(recv(s, buf, sizeof(buf), 0) == 4, "recv");

    /* NULL timeout with a ready socket returns at once. */
    ZERO3();
    FD_SET(c, &wr);
    r = select(0, NULL, &wr, NULL, NULL);
    ok(r == 1 && FD_ISSET(c, &wr), "NULL timeout: select %d", r);

    /* nfds is ignored. */
    ZERO3();
    FD_SET(c, &wr);
    r = select(-1, NULL, &wr, NULL, &tv);
    ok(r == 1, "nfds -1: select %d", r);
    ZERO3();
    FD_SET(c, &wr);
    r = select(123456, NULL, &wr, NULL, &tv);
    ok(r == 1, "nfds 123456: select %d", r);

    /* The same socket listed twice counts once; the count drops to 1, later slots untouched. */
    FD_ZERO(&wr);
    wr.fd_count = 2;
    wr.fd_array[0] = c;
    wr.fd_array[1] = c;
    r = select(0, NULL, &wr, NULL, &tv);
    ok(r == 1, "duplicate entry: select %d", r);
    ok(wr.fd_count == 1 && wr.fd_array[0] == c && wr.fd_array[1] == c, "duplicate entry set: count %u",
       wr.fd_count);

    /* One fd_set passed as both read and write set. */
    FD_ZERO(&rd);
    FD_SET(c, &rd);
    r = select(0, &rd, &rd, NULL, &tv);
    ok(r == 1 && FD_ISSET(c, &rd), "shared set: select %d", r);
    FD_ZERO(&rd);
    FD_SET(c, &rd);
    FD_SET(s, &rd);
    r = select(0, &rd, &rd, NULL, &tv);
    ok(r == 2 && FD_ISSET(c, &rd) && FD_ISSET(s, &rd), "shared set of two: select %d", r);

    /* Urgent data: exceptfds, and not readfds. */
    ok(send(c, "A", 1, MSG_OOB) == 1, "send OOB err %d", WSAGetLastError());
    ZERO3();
    SET3(l);
    FD_SET(s, &rd);
    FD_SET(s, &ex);
    r = select(0, &rd, &wr, &ex, &tv);
    ok(r == 1, "OOB: select %d", r);
    ok(FD_ISSET(s, &ex) && !FD_ISSET(s, &rd), "OOB sets %u %u", rd.fd_count, ex.fd_count);
    buf[0] = 0;
    ok(recv(s, buf, sizeof(buf), MSG_OOB) == 1 && buf[0] == 'A', "recv OOB");
    closesocket(c);
    closesocket(s);

    /* With SO_OOBINLINE the urgent byte is ordinary data: readfds, not exceptfds. */
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(connect(c, (struct sockaddr *)&addr, sizeof(addr)) == 0, "connect err %d", WSAGetLastError());
    s = accept(l, NULL, NULL);
    v = 1;
    ok(setsockopt(s, SOL_SOCKET, SO_OOBINLINE, (char *)&v, sizeof(v)) == 0, "SO_OOBINLINE err %d",
       WSAGetLastError());
    ok(send(c, "B", 1, MSG_OOB) == 1, "send OOB err %d", WSAGetLastError());
    ZERO3();
    FD_SET(s, &rd);
    FD_SET(s, &ex);
    r = select(0, &rd, NULL, &ex, &tv);
    ok(r == 1 && FD_ISSET(s, &rd) && !FD_ISSET(s, &ex), "inline OOB: select %d sets %u %u", r, rd.fd_count,
       ex.fd_count);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(recv(s, buf, sizeof(buf), MSG_OOB), SOCKET_ERROR, WSAEINVAL);
    ok(recv(s, buf, sizeof(buf), 0) == 1 && buf[0] == 'B', "recv inline OOB");

    /* Graceful close by the peer: readable, then recv gives 0. */
    closesocket(c);
    ZERO3();
    SET3(l);
    FD_SET(s, &rd);
    r = select(0, &rd, &wr, &ex, &tv);
    ok(r == 1 && FD_ISSET(s, &rd), "peer closed: select %d", r);
    ok(recv(s, buf, sizeof(buf), 0) == 0, "recv after close");
    closesocket(s);

    /* Reset by the peer: readable and writable, not in exceptfds. */
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(connect(c, (struct sockaddr *)&addr, sizeof(addr)) == 0, "connect err %d", WSAGetLastError());
    s = accept(l, NULL, NULL);
    tu_reset_close(c);
    ZERO3();
    FD_SET(s, &rd);
    r = select(0, &rd, NULL, NULL, &tv);
    ok(r == 1, "reset, read set: select %d", r);
    ZERO3();
    SET3(s);
    tv.tv_sec = 0;
    tv.tv_usec = 0;
    r = select(0, &rd, &wr, &ex, &tv);
    ok(r == 2, "reset: select %d", r);
    ok(FD_ISSET(s, &rd) && FD_ISSET(s, &wr) && !FD_ISSET(s, &ex), "reset sets %u %u %u", rd.fd_count, wr.fd_count,
       ex.fd_count);
    ZERO3();
    FD_SET(s, &ex);
    r = select(0, NULL, NULL, &ex, &tv);
    ok(r == 0, "reset, except only: select %d", r);
    closesocket(s);

    closesocket(l);
}

static void test_large_set(void)
{
    enum { N = 100 };
    struct big_set { u_int fd_count; SOCKET fd_array[N]; } *set;
    SOCKET socks[N];
    struct timeval tv = {0, 0};
    unsigned int i, wrong = 0;
    int r;

    /* Windows takes sets larger than FD_SETSIZE when the caller allocates them. */
    set = malloc(sizeof(*set));
    set->fd_count = N;
    for (i = 0; i < N; i += 2) {
        if (tu_tcp_pair(&socks[i], &socks[i + 1])) {
            ok(0, "tcp pair %u failed", i);
            free(set);
            return;
        }
        set->fd_array[i] = socks[i];
        set->fd_array[i + 1] = socks[i + 1];
    }
    r = select(0, NULL, (fd_set *)set, NULL, &tv);
    ok(r == N, "large set: select %d err %d", r, WSAGetLastError());
    ok(set->fd_count == N, "large set count %u", set->fd_count);
    for (i = 0; i < N; i++) {
        if (set->fd_array[i] != socks[i])
            wrong++;
        closesocket(socks[i]);
    }
    ok(wrong == 0, "%u entries out of place", wrong);
    free(set);
}

struct closer { SOCKET s; int delay_ms; };

static void *close_later(void *arg)
{
    struct closer *c = arg;
    tu_sleep_ms(c->delay_ms);
    closesocket(c->s);
    return NULL;
}

static void test_closed_while_selecting(void)
{
    struct closer cl;
    pthread_t th;
    SOCKET a, b;
    fd_set rd, ex;
    struct timeval tv = {3, 0};
    int r;

    /* A connected socket closed by another thread: select reports it readable. */
    if (tu_tcp_pair(&a, &b)) {
        ok(0, "tcp pair failed");
        return;
    }
    cl.s = a;
    cl.delay_ms = 300;
    pthread_create(&th, NULL, close_later, &cl);
    FD_ZERO(&rd);
    FD_ZERO(&ex);
    FD_SET(a, &rd);
    FD_SET(a, &ex);
    r = select(0, &rd, NULL, &ex, &tv);
    ok(r == 1 && FD_ISSET(a, &rd), "closed while selecting: select %d", r);
    pthread_join(th, NULL);
    closesocket(b);

    /* Only in exceptfds: WSAENOTSOCK, and the set does not keep it. */
    if (tu_tcp_pair(&a, &b)) {
        ok(0, "tcp pair failed");
        return;
    }
    cl.s = a;
    pthread_create(&th, NULL, close_later, &cl);
    FD_ZERO(&ex);
    FD_SET(a, &ex);
    WSASetLastError(0xdeadbeef);
    r = select(0, NULL, NULL, &ex, &tv);
    ok(r == SOCKET_ERROR && WSAGetLastError() == WSAENOTSOCK, "except-only close: r %d err %d", r,
       WSAGetLastError());
    ok(!FD_ISSET(a, &ex), "closed socket left in exceptfds");
    pthread_join(th, NULL);
    closesocket(b);

    /* A listener closed while selecting: select returns 1. */
    {
        struct sockaddr_in addr;
        SOCKET l = tu_listener(&addr);
        cl.s = l;
        pthread_create(&th, NULL, close_later, &cl);
        FD_ZERO(&rd);
        FD_SET(l, &rd);
        r = select(0, &rd, NULL, NULL, &tv);
        ok(r == 1, "listener closed while selecting: select %d", r);
        pthread_join(th, NULL);
    }
}

int main(void)
{
    tu_startup();
    test_unconnected_and_timeouts();
    test_invalid();
    test_ready_states();
    test_large_set();
    test_closed_while_selecting();
    WSACleanup();
    return test_done();
}
