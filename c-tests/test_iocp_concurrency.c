/* ws2-test: native-only */
/* The concurrency value of a completion port (CreateIoCompletionPort's NumberOfConcurrentThreads):
 * the port releases a waiting thread only while fewer than that many threads that took a packet
 * from it are running. A thread that took a packet counts as running until it waits again
 * (GetQueuedCompletionStatus again, or any other wait) or exits (MS docs "I/O Completion Ports":
 * "the system allows only that many threads ... to run"; CreateIoCompletionPort:
 * NumberOfConcurrentThreads).
 * Checks, with a port of concurrency 1 and two threads waiting on it: two packets posted at once
 * release one thread only while that thread runs on (it spins without waiting); once it waits in
 * GetQueuedCompletionStatus again, the other thread gets the second packet. With concurrency 2 both
 * are released at once.
 * Native-only: Wine 8.0 does not implement the limit (it releases both threads at once; checked
 * by hand with this file's mingw build). */
#include "testutil.h"
#include <pthread.h>

struct worker {
    HANDLE port;
    int id;
    int spin_ms;            /* after taking a packet: run (spin) this long unless released */
    BOOL got;
    ULONG_PTR key;
    unsigned long long t_got; /* tu_now_ms() when the packet came */
};

static int g_release; /* set (atomically) to let a spinning worker go back to waiting */

static void *worker_thread(void *arg)
{
    struct worker *w = arg;
    DWORD n;
    OVERLAPPED *o;
    unsigned long long t0;
    w->got = GetQueuedCompletionStatus(w->port, &n, &w->key, &o, 3000);
    w->t_got = tu_now_ms();
    if (!w->got)
        return NULL;
    /* run without waiting: busy, so the port counts this thread as running */
    t0 = tu_now_ms();
    while (!__atomic_load_n(&g_release, __ATOMIC_ACQUIRE) && tu_now_ms() - t0 < (unsigned long long)w->spin_ms)
        ;
    /* wait on the port again: the port may now release another thread */
    GetQueuedCompletionStatus(w->port, &n, &w->key, &o, 300);
    return NULL;
}

static int count_got(struct worker *w)
{
    return (__atomic_load_n(&w[0].t_got, __ATOMIC_ACQUIRE) != 0 && w[0].got) +
           (__atomic_load_n(&w[1].t_got, __ATOMIC_ACQUIRE) != 0 && w[1].got);
}

static void run(DWORD concurrency)
{
    struct worker w[2];
    pthread_t th[2];
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, concurrency);
    unsigned long long t_release;
    int i, first, second;

    ok(port != NULL, "CreateIoCompletionPort(concurrency %u): error %u", (unsigned)concurrency,
       (unsigned)GetLastError());
    __atomic_store_n(&g_release, 0, __ATOMIC_RELEASE);
    for (i = 0; i < 2; i++) {
        memset(&w[i], 0, sizeof(w[i]));
        w[i].port = port;
        w[i].id = i;
        w[i].spin_ms = 2000;
        pthread_create(&th[i], NULL, worker_thread, &w[i]);
    }
    tu_sleep_ms(200); /* both wait in GetQueuedCompletionStatus */
    ok(PostQueuedCompletionStatus(port, 1, 100, NULL), "Post: error %u", (unsigned)GetLastError());
    ok(PostQueuedCompletionStatus(port, 2, 200, NULL), "Post: error %u", (unsigned)GetLastError());
    tu_sleep_ms(400);
    if (concurrency == 1)
        ok(count_got(w) == 1, "concurrency 1: %d threads released while the first runs, want 1", count_got(w));
    else
        ok(count_got(w) == 2, "concurrency 2: %d threads released, want 2", count_got(w));
    t_release = tu_now_ms();
    __atomic_store_n(&g_release, 1, __ATOMIC_RELEASE);
    for (i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    ok(w[0].got && w[1].got, "both threads got a packet: %d %d", w[0].got, w[1].got);
    first = w[0].t_got <= w[1].t_got ? 0 : 1;
    second = 1 - first;
    /* (the second wait times out and leaves key alone) */
    if (concurrency == 1)
        ok(w[first].key == 100 && w[second].key == 200, "keys: first released %llu, second %llu, want 100 200",
           (unsigned long long)w[first].key, (unsigned long long)w[second].key);
    else
        ok(w[first].key + w[second].key == 300 && w[first].key != w[second].key, "keys %llu %llu",
           (unsigned long long)w[first].key, (unsigned long long)w[second].key);
    if (concurrency == 1)
        ok(w[second].t_got >= t_release, "concurrency 1: second thread released %lld ms before the first waited again",
           (long long)(t_release - w[second].t_got));
    else
        ok(w[second].t_got < t_release, "concurrency 2: second thread released only after the first waited again");
    CloseHandle(port);
}

int main(void)
{
    tu_startup();
    run(1);
    run(2);
    WSACleanup();
    return test_done();
}
