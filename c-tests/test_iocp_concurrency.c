/* ws2-test: native-only */
/* The concurrency value of a completion port (CreateIoCompletionPort's NumberOfConcurrentThreads):
 * the port releases a waiting thread only while fewer than that many threads that took a packet
 * from it are running (MS docs "I/O Completion Ports": "the system allows only that many threads
 * ... to run"). A thread that took a packet counts as running until it calls
 * GetQueuedCompletionStatus on the port again (or exits); that call first stops counting it,
 * then gives it a queued packet at once if the limit allows: the thread that comes back takes
 * the queued packet itself, without blocking, and a thread that waits meanwhile is not released
 * (the kernel queue's remove operation, KeRemoveQueue, which GetQueuedCompletionStatus is).
 * Checks, with a port of concurrency 1 and two threads waiting on it: of two packets posted at
 * once only one is handed out while its thread runs on (it spins without waiting); when that
 * thread calls GetQueuedCompletionStatus again it gets the second packet at once, and the other
 * thread is never released. With concurrency 2 both threads are released at once.
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
    BOOL got2;              /* the second GetQueuedCompletionStatus, after running */
    ULONG_PTR key2;
    unsigned long long t_asked2, t_got2;
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
    /* come back to the port: the queued packet, if any, is this thread's at once */
    w->t_asked2 = tu_now_ms();
    w->got2 = GetQueuedCompletionStatus(w->port, &n, &w->key2, &o, 300);
    w->t_got2 = tu_now_ms();
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
    __atomic_store_n(&g_release, 1, __ATOMIC_RELEASE);
    for (i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    if (concurrency == 1) {
        first = w[0].got ? 0 : 1;
        second = 1 - first;
        ok(w[first].got && w[first].key == 100, "concurrency 1: first released got %d key %llu, want key 100",
           w[first].got, (unsigned long long)w[first].key);
        ok(w[first].got2 && w[first].key2 == 200, "concurrency 1: the thread that came back got %d key %llu, want "
           "the queued packet 200", w[first].got2, (unsigned long long)w[first].key2);
        ok(w[first].t_got2 - w[first].t_asked2 < 150, "concurrency 1: the queued packet took %llu ms, want at once",
           w[first].t_got2 - w[first].t_asked2);
        ok(!w[second].got, "concurrency 1: the other waiting thread was released (key %llu)",
           (unsigned long long)w[second].key);
    } else {
        ok(w[0].got && w[1].got, "concurrency 2: both threads got a packet: %d %d", w[0].got, w[1].got);
        ok(w[0].key + w[1].key == 300 && w[0].key != w[1].key, "keys %llu %llu", (unsigned long long)w[0].key,
           (unsigned long long)w[1].key);
        ok(!w[0].got2 && !w[1].got2, "concurrency 2: a third packet appeared");
    }
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
