/* Event objects: WSACreateEvent / WSASetEvent / WSAResetEvent / WSACloseEvent and CreateEventA/W,
 * SetEvent, ResetEvent, CloseHandle, with the Windows semantics:
 * - WSACreateEvent gives a manual-reset event that starts non-signalled; the WSA calls return
 *   TRUE on success and FALSE with WSA_INVALID_HANDLE for a NULL, bogus or closed handle.
 * - CreateEventA/W (unnamed) honour bManualReset and bInitialState. An auto-reset event is
 *   consumed by exactly one satisfied wait (a second wait with timeout 0 times out) and does not
 *   count: setting it twice releases one wait. A manual-reset event stays signalled for any
 *   number of waits until ResetEvent. SetEvent on a set event and ResetEvent on a clear one
 *   succeed.
 * - Both kinds are one object kind: WSACloseEvent closes a CreateEvent event, CloseHandle a
 *   WSACreateEvent event, SetEvent sets a WSACreateEvent event and WSASetEvent a CreateEvent one.
 * - SetEvent / ResetEvent / CloseHandle / WaitForSingleObject on a bogus or closed handle fail
 *   with ERROR_INVALID_HANDLE. A wait that succeeds or times out leaves the last error alone
 *   (Wine's Windows-validated test_WaitForSingleObject in dlls/kernel32/tests/sync.c).
 * - SetEvent from another thread wakes a waiter; an auto-reset event releases exactly one of two
 *   waiters per SetEvent, a manual-reset event releases all of them.
 * Sources: MS docs nf-winsock2-wsacreateevent, -wsacloseevent, -wsasetevent, -wsaresetevent,
 * synchapi nf-synchapi-createeventa / -setevent / -resetevent; Wine dlls/kernel32/tests/sync.c. */
#define TU_WATCHDOG_MS 10000
#include "testutil.h"
#include <pthread.h>

/* A handle value that names nothing (the value Wine's sync tests use). */
#define BOGUS_HANDLE ((HANDLE)(ULONG_PTR)0xdeadbee0)


/* A zero-timeout wait on h (it consumes a signalled auto-reset event). */
static DWORD poll_wait(HANDLE h)
{
    return WaitForSingleObject(h, 0);
}

static void test_wsacreateevent(void)
{
    WSAEVENT e;
    BOOL b;
    DWORD r;

    stage = "wsacreateevent";
    e = WSACreateEvent();
    ok(e != WSA_INVALID_EVENT, "WSACreateEvent: NULL, error %d", WSAGetLastError());
    /* Manual reset, initially non-signalled. */
    r = poll_wait(e);
    ok(r == WAIT_TIMEOUT, "new WSA event: wait gave %u, want WAIT_TIMEOUT", (unsigned)r);
    r = WSAWaitForMultipleEvents(1, &e, FALSE, 0, FALSE);
    ok(r == WSA_WAIT_TIMEOUT, "new WSA event: WSAWaitForMultipleEvents gave %u, want WSA_WAIT_TIMEOUT",
       (unsigned)r);

    b = WSASetEvent(e);
    ok(b == TRUE, "WSASetEvent: got %d, error %d", b, WSAGetLastError());
    r = poll_wait(e);
    ok(r == WAIT_OBJECT_0, "set WSA event: first wait gave %u, want WAIT_OBJECT_0", (unsigned)r);
    r = poll_wait(e);
    ok(r == WAIT_OBJECT_0, "set WSA event (manual reset): second wait gave %u, want WAIT_OBJECT_0",
       (unsigned)r);
    r = WSAWaitForMultipleEvents(1, &e, FALSE, 0, FALSE);
    ok(r == WSA_WAIT_EVENT_0, "set WSA event: WSAWaitForMultipleEvents gave %u, want WSA_WAIT_EVENT_0",
       (unsigned)r);

    /* Setting a set event succeeds and changes nothing. */
    b = WSASetEvent(e);
    ok(b == TRUE, "WSASetEvent on a set event: got %d, error %d", b, WSAGetLastError());
    r = poll_wait(e);
    ok(r == WAIT_OBJECT_0, "WSA event set twice: wait gave %u, want WAIT_OBJECT_0", (unsigned)r);

    b = WSAResetEvent(e);
    ok(b == TRUE, "WSAResetEvent: got %d, error %d", b, WSAGetLastError());
    r = poll_wait(e);
    ok(r == WAIT_TIMEOUT, "reset WSA event: wait gave %u, want WAIT_TIMEOUT", (unsigned)r);
    /* Resetting a clear event succeeds. */
    b = WSAResetEvent(e);
    ok(b == TRUE, "WSAResetEvent on a clear event: got %d, error %d", b, WSAGetLastError());
    r = poll_wait(e);
    ok(r == WAIT_TIMEOUT, "WSA event reset twice: wait gave %u, want WAIT_TIMEOUT", (unsigned)r);

    /* Two events are two objects. */
    {
        WSAEVENT e2 = WSACreateEvent();
        ok(e2 != WSA_INVALID_EVENT && e2 != e, "second WSACreateEvent: %p (first %p)", e2, e);
        WSASetEvent(e2);
        r = poll_wait(e);
        ok(r == WAIT_TIMEOUT, "setting another event signalled this one: wait gave %u", (unsigned)r);
        ok(WSACloseEvent(e2) == TRUE, "WSACloseEvent(e2): error %d", WSAGetLastError());
    }

    b = WSACloseEvent(e);
    ok(b == TRUE, "WSACloseEvent: got %d, error %d", b, WSAGetLastError());
    /* Closing it again: the handle is gone. */
    WSASetLastError(0xdead);
    b = WSACloseEvent(e);
    ok_wsa_fail(b, FALSE, WSA_INVALID_HANDLE);
}

static void test_wsa_bad_handles(void)
{
    BOOL b;

    stage = "wsa bad handles";
    WSASetLastError(0xdead);
    b = WSACloseEvent(NULL);
    ok_wsa_fail(b, FALSE, WSA_INVALID_HANDLE);
    WSASetLastError(0xdead);
    b = WSACloseEvent(WSA_INVALID_EVENT);
    ok_wsa_fail(b, FALSE, WSA_INVALID_HANDLE);
    WSASetLastError(0xdead);
    b = WSACloseEvent(BOGUS_HANDLE);
    ok_wsa_fail(b, FALSE, WSA_INVALID_HANDLE);
    WSASetLastError(0xdead);
    b = WSASetEvent(BOGUS_HANDLE);
    ok_wsa_fail(b, FALSE, WSA_INVALID_HANDLE);
    WSASetLastError(0xdead);
    b = WSAResetEvent(BOGUS_HANDLE);
    ok_wsa_fail(b, FALSE, WSA_INVALID_HANDLE);
    WSASetLastError(0xdead);
    b = WSASetEvent(NULL);
    ok_wsa_fail(b, FALSE, WSA_INVALID_HANDLE);
    WSASetLastError(0xdead);
    b = WSAResetEvent(NULL);
    ok_wsa_fail(b, FALSE, WSA_INVALID_HANDLE);
    /* WSA_INVALID_HANDLE is the Win32 ERROR_INVALID_HANDLE. */
    ok(WSA_INVALID_HANDLE == ERROR_INVALID_HANDLE && WSA_INVALID_HANDLE == 6, "WSA_INVALID_HANDLE is %d",
       (int)WSA_INVALID_HANDLE);
}

static void test_kernel_bad_handles(void)
{
    BOOL b;
    DWORD r;

    stage = "kernel bad handles";
    SetLastError(0xdeadbeef);
    b = SetEvent(BOGUS_HANDLE);
    ok(b == FALSE && GetLastError() == ERROR_INVALID_HANDLE, "SetEvent(bogus): got %d error %d", b,
       (int)GetLastError());
    SetLastError(0xdeadbeef);
    b = ResetEvent(BOGUS_HANDLE);
    ok(b == FALSE && GetLastError() == ERROR_INVALID_HANDLE, "ResetEvent(bogus): got %d error %d", b,
       (int)GetLastError());
    SetLastError(0xdeadbeef);
    b = SetEvent(NULL);
    ok(b == FALSE && GetLastError() == ERROR_INVALID_HANDLE, "SetEvent(NULL): got %d error %d", b,
       (int)GetLastError());
    SetLastError(0xdeadbeef);
    b = CloseHandle(BOGUS_HANDLE);
    ok(b == FALSE && GetLastError() == ERROR_INVALID_HANDLE, "CloseHandle(bogus): got %d error %d", b,
       (int)GetLastError());
    SetLastError(0xdeadbeef);
    r = WaitForSingleObject(BOGUS_HANDLE, 0);
    ok(r == WAIT_FAILED && GetLastError() == ERROR_INVALID_HANDLE,
       "WaitForSingleObject(bogus): got %u error %d", (unsigned)r, (int)GetLastError());
}

/* CreateEventA or CreateEventW (wide != 0) with a NULL name. */
static HANDLE create_event(int wide, BOOL manual, BOOL initial)
{
    return wide ? CreateEventW(NULL, manual, initial, NULL) : CreateEventA(NULL, manual, initial, NULL);
}

static void test_createevent_kinds(int wide)
{
    const char *fn = wide ? "CreateEventW" : "CreateEventA";
    HANDLE h;
    DWORD r;
    int i, bad;

    stage = wide ? "CreateEventW kinds" : "CreateEventA kinds";

    /* Manual reset, non-signalled. */
    h = create_event(wide, TRUE, FALSE);
    ok(h != NULL, "%s(manual, clear): NULL, error %d", fn, (int)GetLastError());
    r = poll_wait(h);
    ok(r == WAIT_TIMEOUT, "%s(manual, clear): wait gave %u, want WAIT_TIMEOUT", fn, (unsigned)r);
    ok(SetEvent(h) == TRUE, "%s(manual, clear): SetEvent error %d", fn, (int)GetLastError());
    for (i = 0, bad = 0; i < 100; i++)
        if (poll_wait(h) != WAIT_OBJECT_0)
            bad++;
    ok(bad == 0, "%s(manual): %d of 100 waits on the set event failed", fn, bad);
    ok(ResetEvent(h) == TRUE, "%s(manual): ResetEvent error %d", fn, (int)GetLastError());
    r = poll_wait(h);
    ok(r == WAIT_TIMEOUT, "%s(manual): wait after ResetEvent gave %u", fn, (unsigned)r);
    ok(CloseHandle(h) == TRUE, "%s(manual, clear): CloseHandle error %d", fn, (int)GetLastError());

    /* Manual reset, signalled. */
    h = create_event(wide, TRUE, TRUE);
    ok(h != NULL, "%s(manual, set): NULL, error %d", fn, (int)GetLastError());
    r = poll_wait(h);
    ok(r == WAIT_OBJECT_0, "%s(manual, set): first wait gave %u, want WAIT_OBJECT_0", fn, (unsigned)r);
    r = poll_wait(h);
    ok(r == WAIT_OBJECT_0, "%s(manual, set): second wait gave %u, want WAIT_OBJECT_0", fn, (unsigned)r);
    ok(CloseHandle(h) == TRUE, "%s(manual, set): CloseHandle error %d", fn, (int)GetLastError());

    /* Auto reset, non-signalled. */
    h = create_event(wide, FALSE, FALSE);
    ok(h != NULL, "%s(auto, clear): NULL, error %d", fn, (int)GetLastError());
    r = poll_wait(h);
    ok(r == WAIT_TIMEOUT, "%s(auto, clear): wait gave %u, want WAIT_TIMEOUT", fn, (unsigned)r);
    ok(SetEvent(h) == TRUE, "%s(auto): SetEvent error %d", fn, (int)GetLastError());
    r = poll_wait(h);
    ok(r == WAIT_OBJECT_0, "%s(auto): wait after SetEvent gave %u, want WAIT_OBJECT_0", fn, (unsigned)r);
    r = poll_wait(h);
    ok(r == WAIT_TIMEOUT, "%s(auto): second wait gave %u, want WAIT_TIMEOUT (consumed)", fn, (unsigned)r);
    /* Setting twice does not count: one wait is released. */
    ok(SetEvent(h) == TRUE, "%s(auto): SetEvent #1 error %d", fn, (int)GetLastError());
    ok(SetEvent(h) == TRUE, "%s(auto): SetEvent on a set event: error %d", fn, (int)GetLastError());
    r = poll_wait(h);
    ok(r == WAIT_OBJECT_0, "%s(auto, set twice): first wait gave %u", fn, (unsigned)r);
    r = poll_wait(h);
    ok(r == WAIT_TIMEOUT, "%s(auto, set twice): second wait gave %u, want WAIT_TIMEOUT", fn, (unsigned)r);
    /* ResetEvent clears a set auto-reset event without a wait. */
    ok(SetEvent(h) == TRUE, "%s(auto): SetEvent error %d", fn, (int)GetLastError());
    ok(ResetEvent(h) == TRUE, "%s(auto): ResetEvent error %d", fn, (int)GetLastError());
    r = poll_wait(h);
    ok(r == WAIT_TIMEOUT, "%s(auto): wait after SetEvent+ResetEvent gave %u", fn, (unsigned)r);
    ok(ResetEvent(h) == TRUE, "%s(auto): ResetEvent on a clear event: error %d", fn, (int)GetLastError());
    ok(CloseHandle(h) == TRUE, "%s(auto, clear): CloseHandle error %d", fn, (int)GetLastError());

    /* Auto reset, signalled: one wait consumes it. */
    h = create_event(wide, FALSE, TRUE);
    ok(h != NULL, "%s(auto, set): NULL, error %d", fn, (int)GetLastError());
    r = poll_wait(h);
    ok(r == WAIT_OBJECT_0, "%s(auto, set): first wait gave %u, want WAIT_OBJECT_0", fn, (unsigned)r);
    r = poll_wait(h);
    ok(r == WAIT_TIMEOUT, "%s(auto, set): second wait gave %u, want WAIT_TIMEOUT", fn, (unsigned)r);
    ok(CloseHandle(h) == TRUE, "%s(auto, set): CloseHandle error %d", fn, (int)GetLastError());

    /* Any nonzero BOOL means TRUE. */
    h = create_event(wide, 2, 5);
    ok(h != NULL, "%s(2, 5): NULL, error %d", fn, (int)GetLastError());
    r = poll_wait(h);
    ok(r == WAIT_OBJECT_0, "%s(2, 5): first wait gave %u, want WAIT_OBJECT_0", fn, (unsigned)r);
    r = poll_wait(h);
    ok(r == WAIT_OBJECT_0, "%s(2, 5) is manual reset: second wait gave %u", fn, (unsigned)r);
    CloseHandle(h);
}

static void test_closehandle(void)
{
    HANDLE h;
    DWORD r;
    BOOL b;

    stage = "closehandle";
    h = CreateEventA(NULL, TRUE, TRUE, NULL);
    ok(h != NULL, "CreateEventA: error %d", (int)GetLastError());
    b = CloseHandle(h);
    ok(b == TRUE, "CloseHandle(event): got %d error %d", b, (int)GetLastError());
    /* The handle no longer names anything. */
    SetLastError(0xdeadbeef);
    r = WaitForSingleObject(h, 0);
    ok(r == WAIT_FAILED && GetLastError() == ERROR_INVALID_HANDLE,
       "wait on a closed event: got %u error %d", (unsigned)r, (int)GetLastError());
    SetLastError(0xdeadbeef);
    b = SetEvent(h);
    ok(b == FALSE && GetLastError() == ERROR_INVALID_HANDLE, "SetEvent on a closed event: got %d error %d",
       b, (int)GetLastError());
    SetLastError(0xdeadbeef);
    b = ResetEvent(h);
    ok(b == FALSE && GetLastError() == ERROR_INVALID_HANDLE,
       "ResetEvent on a closed event: got %d error %d", b, (int)GetLastError());
    SetLastError(0xdeadbeef);
    b = CloseHandle(h);
    ok(b == FALSE && GetLastError() == ERROR_INVALID_HANDLE, "CloseHandle twice: got %d error %d", b,
       (int)GetLastError());
}

/* WSA events and kernel events are the same kind of object. */
static void test_mixed_kinds(void)
{
    HANDLE h;
    WSAEVENT e;
    DWORD r;
    BOOL b;

    stage = "mixed kinds";
    /* WSACloseEvent on an event from CreateEventA. */
    h = CreateEventA(NULL, FALSE, FALSE, NULL);
    ok(h != NULL, "CreateEventA: error %d", (int)GetLastError());
    b = WSASetEvent(h);
    ok(b == TRUE, "WSASetEvent on a CreateEvent event: got %d error %d", b, WSAGetLastError());
    r = poll_wait(h);
    ok(r == WAIT_OBJECT_0, "CreateEvent event set by WSASetEvent: wait gave %u", (unsigned)r);
    r = poll_wait(h);
    ok(r == WAIT_TIMEOUT, "auto-reset event set by WSASetEvent stays auto reset: wait gave %u", (unsigned)r);
    b = SetEvent(h);
    ok(b == TRUE, "SetEvent: error %d", (int)GetLastError());
    b = WSAResetEvent(h);
    ok(b == TRUE, "WSAResetEvent on a CreateEvent event: got %d error %d", b, WSAGetLastError());
    r = poll_wait(h);
    ok(r == WAIT_TIMEOUT, "CreateEvent event reset by WSAResetEvent: wait gave %u", (unsigned)r);
    b = WSACloseEvent(h);
    ok(b == TRUE, "WSACloseEvent on a CreateEvent event: got %d error %d", b, WSAGetLastError());
    SetLastError(0xdeadbeef);
    b = CloseHandle(h);
    ok(b == FALSE && GetLastError() == ERROR_INVALID_HANDLE,
       "CloseHandle after WSACloseEvent: got %d error %d", b, (int)GetLastError());

    /* CloseHandle, SetEvent, ResetEvent on an event from WSACreateEvent. */
    e = WSACreateEvent();
    ok(e != WSA_INVALID_EVENT, "WSACreateEvent: error %d", WSAGetLastError());
    b = SetEvent(e);
    ok(b == TRUE, "SetEvent on a WSA event: got %d error %d", b, (int)GetLastError());
    r = WSAWaitForMultipleEvents(1, &e, TRUE, 0, FALSE);
    ok(r == WSA_WAIT_EVENT_0, "WSA event set by SetEvent: WSAWaitForMultipleEvents gave %u", (unsigned)r);
    b = ResetEvent(e);
    ok(b == TRUE, "ResetEvent on a WSA event: got %d error %d", b, (int)GetLastError());
    r = WaitForSingleObject(e, 0);
    ok(r == WAIT_TIMEOUT, "WSA event reset by ResetEvent: wait gave %u", (unsigned)r);
    b = CloseHandle(e);
    ok(b == TRUE, "CloseHandle on a WSA event: got %d error %d", b, (int)GetLastError());
    WSASetLastError(0xdead);
    b = WSACloseEvent(e);
    ok_wsa_fail(b, FALSE, WSA_INVALID_HANDLE);
}

/* A successful or timed-out wait leaves the last error as it was. */
static void test_lasterror_kept(void)
{
    HANDLE set = CreateEventA(NULL, TRUE, TRUE, NULL);
    HANDLE clear = CreateEventA(NULL, TRUE, FALSE, NULL);
    DWORD r;

    stage = "last error kept";
    SetLastError(0xdeadbeef);
    r = WaitForSingleObject(set, 0);
    ok(r == WAIT_OBJECT_0 && GetLastError() == 0xdeadbeef, "signalled wait: got %u, last error %d",
       (unsigned)r, (int)GetLastError());
    SetLastError(0xdeadbeef);
    r = WaitForSingleObject(clear, 0);
    ok(r == WAIT_TIMEOUT && GetLastError() == 0xdeadbeef, "timed-out wait: got %u, last error %d",
       (unsigned)r, (int)GetLastError());
    CloseHandle(set);
    CloseHandle(clear);
}

/* ---- cross-thread wake-ups ---- */
struct waiter {
    HANDLE ev;
    DWORD timeout;
    DWORD result;
    unsigned long long waited_ms;
    int done;
};

static pthread_mutex_t waiter_lock = PTHREAD_MUTEX_INITIALIZER;

static void *waiter_thread(void *p)
{
    struct waiter *w = p;
    unsigned long long t0 = tu_now_ms();
    DWORD r = WaitForSingleObject(w->ev, w->timeout);
    pthread_mutex_lock(&waiter_lock);
    w->result = r;
    w->waited_ms = tu_now_ms() - t0;
    w->done = 1;
    pthread_mutex_unlock(&waiter_lock);
    return NULL;
}

static int waiter_done(struct waiter *w)
{
    int d;
    pthread_mutex_lock(&waiter_lock);
    d = w->done;
    pthread_mutex_unlock(&waiter_lock);
    return d;
}

/* Poll (up to `ms`) until `count` of the n waiters are done; gives how many are. */
static int wait_done_count(struct waiter *w, int n, int count, int ms)
{
    int k, got = 0;
    unsigned long long t0 = tu_now_ms();
    for (;;) {
        for (k = 0, got = 0; k < n; k++)
            got += waiter_done(&w[k]);
        if (got >= count || tu_now_ms() - t0 >= (unsigned long long)ms)
            return got;
        tu_sleep_ms(5);
    }
}

static void test_thread_wakeup(void)
{
    struct waiter w[2];
    pthread_t t[2];
    int n, k;

    /* One waiter on a manual-reset event, woken by SetEvent from this thread. */
    stage = "thread wakeup (one waiter)";
    memset(w, 0, sizeof(w));
    w[0].ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    w[0].timeout = 5000;
    ok(pthread_create(&t[0], NULL, waiter_thread, &w[0]) == 0, "pthread_create");
    tu_sleep_ms(150);
    ok(!waiter_done(&w[0]), "waiter returned before SetEvent (result %u)", (unsigned)w[0].result);
    ok(SetEvent(w[0].ev) == TRUE, "SetEvent: error %d", (int)GetLastError());
    pthread_join(t[0], NULL);
    ok(w[0].result == WAIT_OBJECT_0, "woken waiter: got %u, want WAIT_OBJECT_0", (unsigned)w[0].result);
    ok(w[0].waited_ms >= 100 && w[0].waited_ms < 4000, "woken waiter waited %llu ms (set after ~150 ms)",
       w[0].waited_ms);
    CloseHandle(w[0].ev);

    /* Two waiters on an auto-reset event: each SetEvent releases exactly one. */
    stage = "thread wakeup (auto reset, two waiters)";
    memset(w, 0, sizeof(w));
    w[0].ev = w[1].ev = CreateEventA(NULL, FALSE, FALSE, NULL);
    w[0].timeout = w[1].timeout = 5000;
    for (k = 0; k < 2; k++)
        ok(pthread_create(&t[k], NULL, waiter_thread, &w[k]) == 0, "pthread_create %d", k);
    tu_sleep_ms(150);
    ok(wait_done_count(w, 2, 1, 0) == 0, "a waiter returned before SetEvent");
    ok(SetEvent(w[0].ev) == TRUE, "SetEvent #1: error %d", (int)GetLastError());
    n = wait_done_count(w, 2, 1, 3000);
    ok(n == 1, "auto-reset SetEvent #1: %d waiters released, want 1", n);
    tu_sleep_ms(200);
    n = wait_done_count(w, 2, 2, 0);
    ok(n == 1, "auto-reset SetEvent #1: %d waiters released after 200 ms more, want 1", n);
    ok(SetEvent(w[0].ev) == TRUE, "SetEvent #2: error %d", (int)GetLastError());
    for (k = 0; k < 2; k++)
        pthread_join(t[k], NULL);
    for (k = 0; k < 2; k++)
        ok(w[k].result == WAIT_OBJECT_0, "auto-reset waiter %d: got %u, want WAIT_OBJECT_0", k,
           (unsigned)w[k].result);
    /* Both releases consumed the event. */
    ok(poll_wait(w[0].ev) == WAIT_TIMEOUT, "auto-reset event still signalled after releasing two waiters");
    CloseHandle(w[0].ev);

    /* Two waiters on a manual-reset event: one SetEvent releases both. */
    stage = "thread wakeup (manual reset, two waiters)";
    memset(w, 0, sizeof(w));
    w[0].ev = w[1].ev = WSACreateEvent();
    w[0].timeout = w[1].timeout = 5000;
    for (k = 0; k < 2; k++)
        ok(pthread_create(&t[k], NULL, waiter_thread, &w[k]) == 0, "pthread_create %d", k);
    tu_sleep_ms(150);
    ok(WSASetEvent(w[0].ev) == TRUE, "WSASetEvent: error %d", WSAGetLastError());
    for (k = 0; k < 2; k++)
        pthread_join(t[k], NULL);
    for (k = 0; k < 2; k++)
        ok(w[k].result == WAIT_OBJECT_0, "manual-reset waiter %d: got %u, want WAIT_OBJECT_0", k,
           (unsigned)w[k].result);
    ok(poll_wait(w[0].ev) == WAIT_OBJECT_0, "manual-reset event no longer signalled after the waits");
    WSACloseEvent(w[0].ev);

    /* A waiter that is never woken times out, no earlier than its timeout. */
    stage = "thread wakeup (timeout)";
    memset(w, 0, sizeof(w));
    w[0].ev = CreateEventW(NULL, FALSE, FALSE, NULL);
    w[0].timeout = 200;
    ok(pthread_create(&t[0], NULL, waiter_thread, &w[0]) == 0, "pthread_create");
    pthread_join(t[0], NULL);
    ok(w[0].result == WAIT_TIMEOUT, "unwoken waiter: got %u, want WAIT_TIMEOUT", (unsigned)w[0].result);
    ok(w[0].waited_ms + TU_CLOCK_SLACK_MS >= 200, "200 ms wait returned after %llu ms", w[0].waited_ms);
    CloseHandle(w[0].ev);
}

int main(void)
{
    pthread_t dog;

    tu_startup();
    pthread_create(&dog, NULL, watchdog, NULL);
    test_wsacreateevent();
    test_wsa_bad_handles();
    test_kernel_bad_handles();
    test_createevent_kinds(0);
    test_createevent_kinds(1);
    test_closehandle();
    test_mixed_kinds();
    test_lasterror_kept();
    test_thread_wakeup();
    finished = 1;
    pthread_join(dog, NULL);
    WSACleanup();
    return test_done();
}
