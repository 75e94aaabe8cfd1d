/* GetLastError / SetLastError / WSAGetLastError / WSASetLastError: one thread-local value.
 * A new thread starts at 0, threads do not see each other's value, failing socket calls set it
 * in the calling thread only, and the successful calls Windows clears it on (per Wine's
 * Windows-validated tests) set it to 0. */
#define _POSIX_C_SOURCE 200809L
#include "testutil.h"
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#define NTHREADS 4
#define ROUNDS 2000

struct thread_arg {
    int index;
    int initial;          /* GetLastError() when the thread started */
    int mismatches;       /* rounds where the thread read another thread's value */
    int notsock_ok;       /* a failing call set WSAENOTSOCK in this thread */
    int final_value;
};

static atomic_int start_flag;
static atomic_int done_count;

static void *worker(void *p)
{
    struct thread_arg *a = p;
    int i;
    DWORD mine = 0x10000u + (DWORD)a->index;

    a->initial = (int)GetLastError();
    while (!atomic_load(&start_flag))
        sched_yield(); /* wait until every thread runs */
    for (i = 0; i < ROUNDS; i++) {
        if (i & 1)
            SetLastError(mine + (DWORD)i);
        else
            WSASetLastError((int)(mine + (DWORD)i));
        if (WSAGetLastError() != (int)(mine + (DWORD)i) || GetLastError() != mine + (DWORD)i)
            a->mismatches++;
    }
    /* A failing Winsock call sets this thread's value. */
    {
        char b;
        int r = recv(INVALID_SOCKET, &b, 1, 0);
        a->notsock_ok = (r == SOCKET_ERROR && WSAGetLastError() == WSAENOTSOCK &&
                         GetLastError() == WSAENOTSOCK);
    }
    SetLastError(mine);
    a->final_value = (int)GetLastError();
    atomic_fetch_add(&done_count, 1);
    return NULL;
}

static void test_same_value(void)
{
    static const DWORD values[] = {0, 1, WSAEWOULDBLOCK, WSAENOTSOCK, ERROR_IO_PENDING,
                                   0x7fffffff, 0xdeadbeef, 0xffffffff};
    unsigned int i;

    for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        SetLastError(values[i]);
        ok(GetLastError() == values[i], "SetLastError(%#x): GetLastError %#x", (unsigned)values[i],
           (unsigned)GetLastError());
        ok(WSAGetLastError() == (int)values[i], "SetLastError(%#x): WSAGetLastError %#x",
           (unsigned)values[i], (unsigned)WSAGetLastError());
        WSASetLastError((int)values[i] ^ 0x55);
        ok(GetLastError() == (values[i] ^ 0x55u), "WSASetLastError(%#x): GetLastError %#x",
           (unsigned)(values[i] ^ 0x55u), (unsigned)GetLastError());
        ok(WSAGetLastError() == (int)(values[i] ^ 0x55u), "WSASetLastError(%#x): WSAGetLastError %#x",
           (unsigned)(values[i] ^ 0x55u), (unsigned)WSAGetLastError());
    }
}

static void test_threads(void)
{
    pthread_t t[NTHREADS];
    struct thread_arg a[NTHREADS];
    DWORD main_value;
    int i, main_wsa_value;

    atomic_store(&start_flag, 0);
    atomic_store(&done_count, 0);
    for (i = 0; i < NTHREADS; i++) {
        memset(&a[i], 0, sizeof(a[i]));
        a[i].index = i;
        a[i].initial = -1;
        ok(pthread_create(&t[i], NULL, worker, &a[i]) == 0, "pthread_create %d", i);
    }
    /* The main thread's value, set while the workers run; checked before pthread_join (the
     * thread library's own calls may touch the caller's last error). */
    SetLastError(0x2222);
    atomic_store(&start_flag, 1);
    while (atomic_load(&done_count) < NTHREADS)
        sched_yield();
    main_value = GetLastError();
    main_wsa_value = WSAGetLastError();
    for (i = 0; i < NTHREADS; i++)
        pthread_join(t[i], NULL);

    for (i = 0; i < NTHREADS; i++) {
        ok(a[i].initial == 0, "thread %d started with last error %d, want 0", i, a[i].initial);
        ok(a[i].mismatches == 0, "thread %d saw %d foreign values", i, a[i].mismatches);
        ok(a[i].notsock_ok, "thread %d: failing recv did not set WSAENOTSOCK", i);
        ok(a[i].final_value == 0x10000 + i, "thread %d final value %#x", i,
           (unsigned)a[i].final_value);
    }
    ok(main_value == 0x2222, "main thread value changed by workers: %#x", (unsigned)main_value);
    ok(main_wsa_value == 0x2222, "main thread WSA value changed by workers: %#x",
       (unsigned)main_wsa_value);
}

/* A failing call stores its error in both views. */
static void test_failure_sets(void)
{
    char b;
    SetLastError(0);
    ok(send(INVALID_SOCKET, &b, 1, 0) == SOCKET_ERROR, "send on INVALID_SOCKET");
    ok(GetLastError() == WSAENOTSOCK, "GetLastError after failed send: %d", (int)GetLastError());
    ok(WSAGetLastError() == WSAENOTSOCK, "WSAGetLastError after failed send: %d",
       WSAGetLastError());
}

#define CHECK_CLEARED(call_ok, what)                                                    \
    ok((call_ok) && WSAGetLastError() == 0, "%s: success with last error %d, want 0", what, \
       WSAGetLastError())

/* The successful calls Windows sets the last error to 0 on. */
static void test_success_clears(void)
{
    SOCKET s, u, c, srv;
    struct sockaddr_in a, ua, from;
    int len, val, r;
    char buf[16];

    a = tu_lo4(0);

    WSASetLastError(0xdeadbeef);
    s = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, 0);
    CHECK_CLEARED(s != INVALID_SOCKET, "WSASocketA");
    closesocket(s);

    WSASetLastError(0xdeadbeef);
    s = WSASocketW(AF_INET, SOCK_DGRAM, 0, NULL, 0, WSA_FLAG_OVERLAPPED);
    CHECK_CLEARED(s != INVALID_SOCKET, "WSASocketW");
    closesocket(s);

    u = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    WSASetLastError(0xdeadbeef);
    r = bind(u, (struct sockaddr *)&a, sizeof(a));
    CHECK_CLEARED(r == 0, "bind");

    len = sizeof(ua);
    WSASetLastError(0xdeadbeef);
    r = getsockname(u, (struct sockaddr *)&ua, &len);
    CHECK_CLEARED(r == 0, "getsockname");

    val = 1;
    WSASetLastError(0xdeadbeef);
    r = setsockopt(u, SOL_SOCKET, SO_BROADCAST, (char *)&val, sizeof(val));
    CHECK_CLEARED(r == 0, "setsockopt");

    len = sizeof(val);
    WSASetLastError(0xdeadbeef);
    r = getsockopt(u, SOL_SOCKET, SO_RCVTIMEO, (char *)&val, &len);
    CHECK_CLEARED(r == 0 && val == 0, "getsockopt(SO_RCVTIMEO)");
#ifdef WS2_URING
    /* Windows clears it for every successful getsockopt; Wine leaves it for SO_TYPE. */
    len = sizeof(val);
    WSASetLastError(0xdeadbeef);
    r = getsockopt(u, SOL_SOCKET, SO_TYPE, (char *)&val, &len);
    CHECK_CLEARED(r == 0 && val == SOCK_DGRAM, "getsockopt(SO_TYPE)");
#endif

    WSASetLastError(0xdeadbeef);
    r = sendto(u, "hello", 5, 0, (struct sockaddr *)&ua, sizeof(ua));
    CHECK_CLEARED(r == 5, "sendto");

    len = sizeof(from);
    WSASetLastError(0xdeadbeef);
    r = recvfrom(u, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
    CHECK_CLEARED(r == 5, "recvfrom");
    closesocket(u);

    ok(tu_tcp_pair(&c, &srv) == 0, "tcp pair");
    WSASetLastError(0xdeadbeef);
    r = send(c, "ab", 2, 0);
    CHECK_CLEARED(r == 2, "send");

    WSASetLastError(0xdeadbeef);
    r = recv(srv, buf, 2, 0);
    CHECK_CLEARED(r == 2, "recv");

    WSASetLastError(0xdeadbeef);
    r = shutdown(c, SD_SEND);
    CHECK_CLEARED(r == 0, "shutdown");

    WSASetLastError(0xdeadbeef);
    r = recv(srv, buf, sizeof(buf), 0);
    CHECK_CLEARED(r == 0, "recv at end of stream");

    closesocket(c);
    closesocket(srv);
}

int main(void)
{
    tu_startup();
    test_same_value();
    test_failure_sets();
    test_threads();
    test_success_clears();
    WSACleanup();
    return test_done();
}
