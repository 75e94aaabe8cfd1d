/* Waiting on event objects: WSAWaitForMultipleEvents, WaitForSingleObject(Ex) and
 * WaitForMultipleObjects(Ex), with the Windows rules:
 * - wait-any returns WAIT_OBJECT_0 (= WSA_WAIT_EVENT_0) + the lowest signalled index and
 *   consumes only that object (an auto-reset event); the others are untouched;
 * - wait-all returns WAIT_OBJECT_0 only when every object is signalled, and changes no object's
 *   state until then; it then consumes every auto-reset event together;
 * - timeout 0 tests and returns at once, a finite timeout does not return early, INFINITE waits
 *   for another thread's SetEvent;
 * - a count of 0 or above 64 fails with WAIT_FAILED and ERROR_INVALID_PARAMETER
 *   (= WSA_INVALID_PARAMETER); a bogus or closed handle anywhere in the array fails with
 *   ERROR_INVALID_HANDLE (= WSA_INVALID_HANDLE) before anything is waited for or consumed;
 * - the low two bits of a handle value are ignored (Windows handle values are multiples of 4);
 * - a wait that succeeds or times out leaves the last error alone.
 * Sources: MS docs nf-winsock2-wsawaitformultipleevents, nf-synchapi-waitforsingleobjectex,
 * nf-synchapi-waitformultipleobjectsex; Wine's Windows-validated dlls/kernel32/tests/sync.c
 * (test_WaitForSingleObject, test_WaitForMultipleObjects).
 * Not tested: duplicate handles in a wait-all array and NULL handles in the array (no
 * Windows-validated result in Wine's tests), a NULL array with a nonzero count. */
#define TU_WATCHDOG_MS 10000
#include "testutil.h"
#include <pthread.h>

#define BOGUS_HANDLE ((HANDLE)(ULONG_PTR)0xdeadbee0)
#define NEV 64


/* The wait under test, one of four entry points over the same array. */
enum waiter_kind { W_WSA, W_WFMO, W_WFMOEX, W_WFMOEX_ALERTABLE };
static const char *const kind_name[] = {"WSAWaitForMultipleEvents", "WaitForMultipleObjects",
                                        "WaitForMultipleObjectsEx", "WaitForMultipleObjectsEx(alertable)"};

static DWORD wait_n(enum waiter_kind k, DWORD n, const HANDLE *h, BOOL all, DWORD ms)
{
    switch (k) {
    case W_WSA:
        return WSAWaitForMultipleEvents(n, h, all, ms, FALSE);
    case W_WFMO:
        return WaitForMultipleObjects(n, h, all, ms);
    case W_WFMOEX:
        return WaitForMultipleObjectsEx(n, h, all, ms, FALSE);
    default:
        return WaitForMultipleObjectsEx(n, h, all, ms, TRUE);
    }
}

/* The last error of the wait under test (WSAGetLastError for the WSA call). */
static int wait_error(enum waiter_kind k)
{
    return k == W_WSA ? WSAGetLastError() : (int)GetLastError();
}

static void close_all(HANDLE *h, int n)
{
    int i;
    for (i = 0; i < n; i++)
        CloseHandle(h[i]);
}

/* Wait-any: the lowest signalled index wins; manual-reset events stay signalled. */
static void test_wait_any_lowest(enum waiter_kind k)
{
    const char *name = kind_name[k];
    HANDLE h[4];
    DWORD r;
    int i;

    stage = "wait-any lowest index";
    for (i = 0; i < 4; i++)
        h[i] = CreateEventA(NULL, TRUE, FALSE, NULL);
    r = wait_n(k, 4, h, FALSE, 0);
    ok(r == WAIT_TIMEOUT, "%s: none set: got %u, want WAIT_TIMEOUT", name, (unsigned)r);
    SetEvent(h[3]);
    r = wait_n(k, 4, h, FALSE, 0);
    ok(r == WAIT_OBJECT_0 + 3, "%s: [3] set: got %u, want WAIT_OBJECT_0+3", name, (unsigned)r);
    SetEvent(h[1]);
    for (i = 0; i < 3; i++) {
        r = wait_n(k, 4, h, FALSE, 0);
        ok(r == WAIT_OBJECT_0 + 1, "%s: [1],[3] set, try %d: got %u, want WAIT_OBJECT_0+1", name, i,
           (unsigned)r);
    }
    ResetEvent(h[1]);
    r = wait_n(k, 4, h, FALSE, 0);
    ok(r == WAIT_OBJECT_0 + 3, "%s: [1] reset: got %u, want WAIT_OBJECT_0+3", name, (unsigned)r);
    /* The WSA names are the same numbers. */
    ok(WSA_WAIT_EVENT_0 == WAIT_OBJECT_0 && WSA_WAIT_TIMEOUT == WAIT_TIMEOUT && WSA_WAIT_FAILED == WAIT_FAILED,
       "WSA wait codes differ from the kernel ones");
    close_all(h, 4);
}

/* Wine's test_WaitForMultipleObjects: 64 signalled events, [0] manual reset, the rest auto reset.
 * A wait-any keeps returning 0 until [0] is reset, then returns 1, 2, ... 63 in turn (each wait
 * consumes exactly the one auto-reset event it returns), then times out. */
static void test_wait_any_64(enum waiter_kind k)
{
    const char *name = kind_name[k];
    HANDLE h[NEV];
    DWORD r;
    int i, bad = 0;

    stage = "wait-any 64";
    for (i = 0; i < NEV; i++) {
        h[i] = CreateEventW(NULL, i == 0, TRUE, NULL);
        ok(h[i] != NULL, "CreateEventW #%d: error %d", i, (int)GetLastError());
    }
    r = wait_n(k, NEV, h, FALSE, 0);
    ok(r == WAIT_OBJECT_0, "%s: 64 set: got %u, want WAIT_OBJECT_0", name, (unsigned)r);
    r = wait_n(k, NEV, h, FALSE, 0);
    ok(r == WAIT_OBJECT_0, "%s: 64 set, again: got %u, want WAIT_OBJECT_0 (manual reset)", name, (unsigned)r);
    ResetEvent(h[0]);
    for (i = 1; i < NEV; i++) {
        r = wait_n(k, NEV, h, FALSE, 0);
        if (r != WAIT_OBJECT_0 + (DWORD)i && bad++ < 3)
            ok(0, "%s: round %d: got %u, want WAIT_OBJECT_0+%d", name, i, (unsigned)r, i);
    }
    ok(bad == 0, "%s: %d of 63 rounds returned the wrong index", name, bad);
    r = wait_n(k, NEV, h, FALSE, 0);
    ok(r == WAIT_TIMEOUT, "%s: all consumed: got %u, want WAIT_TIMEOUT", name, (unsigned)r);

    /* Only the last of 64 set. */
    SetEvent(h[NEV - 1]);
    r = wait_n(k, NEV, h, FALSE, 0);
    ok(r == WAIT_OBJECT_0 + NEV - 1, "%s: only [63] set: got %u, want WAIT_OBJECT_0+63", name, (unsigned)r);
    r = wait_n(k, NEV, h, FALSE, 0);
    ok(r == WAIT_TIMEOUT, "%s: [63] consumed: got %u, want WAIT_TIMEOUT", name, (unsigned)r);

    /* Wait-all over 64: fails until the last is set, then consumes the auto-reset ones. */
    for (i = 0; i < NEV - 1; i++)
        SetEvent(h[i]);
    r = wait_n(k, NEV, h, TRUE, 0);
    ok(r == WAIT_TIMEOUT, "%s: wait-all, 63 of 64 set: got %u, want WAIT_TIMEOUT", name, (unsigned)r);
    SetEvent(h[NEV - 1]);
    r = wait_n(k, NEV, h, TRUE, 0);
    ok(r == WAIT_OBJECT_0, "%s: wait-all, 64 set: got %u, want WAIT_OBJECT_0", name, (unsigned)r);
    for (i = 1, bad = 0; i < NEV; i++)
        if (WaitForSingleObject(h[i], 0) != WAIT_TIMEOUT)
            bad++;
    ok(bad == 0, "%s: wait-all left %d auto-reset events signalled", name, bad);
    r = WaitForSingleObject(h[0], 0);
    ok(r == WAIT_OBJECT_0, "%s: wait-all reset the manual-reset event: got %u", name, (unsigned)r);
    close_all(h, NEV);
}

/* Wait-all: nothing changes until all are set; then every auto-reset event is consumed. */
static void test_wait_all(enum waiter_kind k)
{
    const char *name = kind_name[k];
    HANDLE h[3];
    DWORD r;
    int i;

    stage = "wait-all";
    for (i = 0; i < 3; i++)
        h[i] = CreateEventA(NULL, FALSE, FALSE, NULL); /* auto reset */
    SetEvent(h[0]);
    SetEvent(h[2]);
    r = wait_n(k, 3, h, TRUE, 0);
    ok(r == WAIT_TIMEOUT, "%s: wait-all, 2 of 3 set: got %u, want WAIT_TIMEOUT", name, (unsigned)r);
    r = wait_n(k, 3, h, TRUE, 50);
    ok(r == WAIT_TIMEOUT, "%s: wait-all 50 ms, 2 of 3 set: got %u, want WAIT_TIMEOUT", name, (unsigned)r);
    /* The two set events were not consumed by the failed waits: setting the third satisfies it. */
    SetEvent(h[1]);
    r = wait_n(k, 3, h, TRUE, 0);
    ok(r == WAIT_OBJECT_0, "%s: wait-all, 3 of 3 set: got %u, want WAIT_OBJECT_0", name, (unsigned)r);
    for (i = 0; i < 3; i++) {
        r = WaitForSingleObject(h[i], 0);
        ok(r == WAIT_TIMEOUT, "%s: after wait-all, auto-reset [%d] still signalled (%u)", name, i, (unsigned)r);
    }
    r = wait_n(k, 3, h, TRUE, 0);
    ok(r == WAIT_TIMEOUT, "%s: wait-all again: got %u, want WAIT_TIMEOUT", name, (unsigned)r);

    /* Mixed: manual-reset ones stay set, auto-reset ones are consumed. */
    CloseHandle(h[1]);
    h[1] = CreateEventA(NULL, TRUE, TRUE, NULL);
    SetEvent(h[0]);
    SetEvent(h[2]);
    r = wait_n(k, 3, h, TRUE, 0);
    ok(r == WAIT_OBJECT_0, "%s: mixed wait-all: got %u, want WAIT_OBJECT_0", name, (unsigned)r);
    ok(WaitForSingleObject(h[0], 0) == WAIT_TIMEOUT, "%s: mixed wait-all left auto [0] set", name);
    ok(WaitForSingleObject(h[1], 0) == WAIT_OBJECT_0, "%s: mixed wait-all reset manual [1]", name);
    ok(WaitForSingleObject(h[2], 0) == WAIT_TIMEOUT, "%s: mixed wait-all left auto [2] set", name);

    /* A single event with wait-all is a plain wait. */
    SetEvent(h[0]);
    r = wait_n(k, 1, h, TRUE, 0);
    ok(r == WAIT_OBJECT_0, "%s: wait-all on one set event: got %u", name, (unsigned)r);
    close_all(h, 3);
}

/* Bad counts and handles fail before anything is waited for or consumed. */
static void test_errors(enum waiter_kind k)
{
    const char *name = kind_name[k];
    HANDLE h[NEV + 1];
    HANDLE pair[2];
    DWORD r;
    int i, e;

    stage = "errors";
    for (i = 0; i < NEV + 1; i++)
        h[i] = CreateEventA(NULL, TRUE, TRUE, NULL);

    SetLastError(0xdeadbeef);
    r = wait_n(k, 0, h, FALSE, 0);
    e = wait_error(k);
    ok(r == WAIT_FAILED && e == ERROR_INVALID_PARAMETER, "%s: count 0: got %u error %d, want WAIT_FAILED %d",
       name, (unsigned)r, e, (int)ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    r = wait_n(k, 0, h, TRUE, 0);
    e = wait_error(k);
    ok(r == WAIT_FAILED && e == ERROR_INVALID_PARAMETER, "%s: count 0, wait-all: got %u error %d", name,
       (unsigned)r, e);
    SetLastError(0xdeadbeef);
    r = wait_n(k, 0, NULL, FALSE, 0);
    e = wait_error(k);
    ok(r == WAIT_FAILED && e == ERROR_INVALID_PARAMETER, "%s: count 0, NULL array: got %u error %d", name,
       (unsigned)r, e);
    SetLastError(0xdeadbeef);
    r = wait_n(k, NEV + 1, h, FALSE, 0);
    e = wait_error(k);
    ok(r == WAIT_FAILED && e == ERROR_INVALID_PARAMETER, "%s: count 65: got %u error %d, want WAIT_FAILED %d",
       name, (unsigned)r, e, (int)ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    r = wait_n(k, 0xffffffffu, h, FALSE, 0);
    e = wait_error(k);
    ok(r == WAIT_FAILED && e == ERROR_INVALID_PARAMETER, "%s: count 0xffffffff: got %u error %d", name,
       (unsigned)r, e);
    /* 64 is allowed. */
    r = wait_n(k, NEV, h, FALSE, 0);
    ok(r == WAIT_OBJECT_0, "%s: count 64: got %u, want WAIT_OBJECT_0", name, (unsigned)r);
    close_all(h, NEV + 1);

    /* A bogus handle after a non-signalled event. */
    pair[0] = CreateEventA(NULL, FALSE, FALSE, NULL);
    pair[1] = BOGUS_HANDLE;
    SetLastError(0xdeadbeef);
    r = wait_n(k, 2, pair, FALSE, 0);
    e = wait_error(k);
    ok(r == WAIT_FAILED && e == ERROR_INVALID_HANDLE, "%s: bogus [1]: got %u error %d, want WAIT_FAILED %d",
       name, (unsigned)r, e, (int)ERROR_INVALID_HANDLE);
    /* ... with a timeout: fails at once rather than waiting. */
    SetLastError(0xdeadbeef);
    r = wait_n(k, 2, pair, FALSE, 2000);
    e = wait_error(k);
    ok(r == WAIT_FAILED && e == ERROR_INVALID_HANDLE, "%s: bogus [1], 2 s timeout: got %u error %d", name,
       (unsigned)r, e);
    /* ... after a signalled auto-reset event: still fails, and the event is not consumed. */
    SetEvent(pair[0]);
    SetLastError(0xdeadbeef);
    r = wait_n(k, 2, pair, FALSE, 0);
    e = wait_error(k);
    ok(r == WAIT_FAILED && e == ERROR_INVALID_HANDLE, "%s: signalled [0], bogus [1]: got %u error %d", name,
       (unsigned)r, e);
    r = WaitForSingleObject(pair[0], 0);
    ok(r == WAIT_OBJECT_0, "%s: the failed wait consumed the signalled event (%u)", name, (unsigned)r);
    /* ... first in the array, and with wait-all. */
    pair[1] = pair[0];
    pair[0] = BOGUS_HANDLE;
    SetLastError(0xdeadbeef);
    r = wait_n(k, 2, pair, FALSE, 0);
    e = wait_error(k);
    ok(r == WAIT_FAILED && e == ERROR_INVALID_HANDLE, "%s: bogus [0]: got %u error %d", name, (unsigned)r, e);
    SetLastError(0xdeadbeef);
    r = wait_n(k, 2, pair, TRUE, 0);
    e = wait_error(k);
    ok(r == WAIT_FAILED && e == ERROR_INVALID_HANDLE, "%s: bogus [0], wait-all: got %u error %d", name,
       (unsigned)r, e);
    CloseHandle(pair[1]);

    /* A closed handle. */
    pair[0] = CreateEventA(NULL, TRUE, TRUE, NULL);
    pair[1] = CreateEventA(NULL, TRUE, FALSE, NULL);
    CloseHandle(pair[1]);
    SetLastError(0xdeadbeef);
    r = wait_n(k, 2, pair, FALSE, 0);
    e = wait_error(k);
    ok(r == WAIT_FAILED && e == ERROR_INVALID_HANDLE, "%s: closed [1]: got %u error %d", name, (unsigned)r, e);
    SetLastError(0xdeadbeef);
    r = wait_n(k, 1, &pair[1], FALSE, 0);
    e = wait_error(k);
    ok(r == WAIT_FAILED && e == ERROR_INVALID_HANDLE, "%s: closed alone: got %u error %d", name, (unsigned)r, e);
    CloseHandle(pair[0]);
}

/* Timeouts: 0 returns at once, a finite one is not cut short. */
static void test_timeouts(enum waiter_kind k)
{
    const char *name = kind_name[k];
    HANDLE h[2];
    unsigned long long t0, dt;
    DWORD r;

    stage = "timeouts";
    h[0] = CreateEventA(NULL, TRUE, FALSE, NULL);
    h[1] = WSACreateEvent();
    t0 = tu_now_ms();
    r = wait_n(k, 2, h, FALSE, 0);
    dt = tu_now_ms() - t0;
    ok(r == WAIT_TIMEOUT, "%s: timeout 0: got %u, want WAIT_TIMEOUT", name, (unsigned)r);
    ok(dt < 1000, "%s: timeout 0 took %llu ms", name, dt);
    t0 = tu_now_ms();
    r = wait_n(k, 2, h, FALSE, 200);
    dt = tu_now_ms() - t0;
    ok(r == WAIT_TIMEOUT, "%s: timeout 200: got %u, want WAIT_TIMEOUT", name, (unsigned)r);
    ok(dt + TU_CLOCK_SLACK_MS >= 200 && dt < 3000, "%s: timeout 200 took %llu ms", name, dt);
    t0 = tu_now_ms();
    r = wait_n(k, 2, h, TRUE, 200);
    dt = tu_now_ms() - t0;
    ok(r == WAIT_TIMEOUT, "%s: wait-all timeout 200: got %u, want WAIT_TIMEOUT", name, (unsigned)r);
    ok(dt + TU_CLOCK_SLACK_MS >= 200 && dt < 3000, "%s: wait-all timeout 200 took %llu ms", name, dt);
    close_all(h, 2);
}

/* ---- another thread sets the events while this one waits ---- */
struct setter {
    HANDLE ev[3];
    int delay_ms[3];
    int n;
};

static void *setter_thread(void *p)
{
    struct setter *s = p;
    int i, slept = 0;
    for (i = 0; i < s->n; i++) {
        tu_sleep_ms(s->delay_ms[i] - slept);
        slept = s->delay_ms[i];
        SetEvent(s->ev[i]);
    }
    return NULL;
}

static void test_setter_thread(enum waiter_kind k)
{
    const char *name = kind_name[k];
    struct setter s;
    HANDLE h[3];
    pthread_t t;
    unsigned long long t0, dt;
    DWORD r;
    int i;

    /* Wait-any, INFINITE: woken by the thread setting [2]. */
    stage = "setter: wait-any INFINITE";
    for (i = 0; i < 3; i++)
        h[i] = CreateEventA(NULL, FALSE, FALSE, NULL);
    memset(&s, 0, sizeof(s));
    s.n = 1;
    s.ev[0] = h[2];
    s.delay_ms[0] = 100;
    t0 = tu_now_ms();
    ok(pthread_create(&t, NULL, setter_thread, &s) == 0, "pthread_create");
    r = wait_n(k, 3, h, FALSE, INFINITE);
    dt = tu_now_ms() - t0;
    pthread_join(t, NULL);
    ok(r == WAIT_OBJECT_0 + 2, "%s: INFINITE, [2] set by a thread: got %u, want WAIT_OBJECT_0+2", name,
       (unsigned)r);
    ok(dt >= 85, "%s: INFINITE wait returned after %llu ms, before the thread set the event (~100 ms)", name,
       dt);
    r = WaitForSingleObject(h[2], 0);
    ok(r == WAIT_TIMEOUT, "%s: the wait did not consume auto-reset [2] (%u)", name, (unsigned)r);

    /* Wait-all with a long timeout: returns only once the last of three is set. */
    stage = "setter: wait-all";
    memset(&s, 0, sizeof(s));
    s.n = 3;
    for (i = 0; i < 3; i++) {
        s.ev[i] = h[i];
        s.delay_ms[i] = 50 + 75 * i;
    }
    t0 = tu_now_ms();
    ok(pthread_create(&t, NULL, setter_thread, &s) == 0, "pthread_create");
    r = wait_n(k, 3, h, TRUE, 5000);
    dt = tu_now_ms() - t0;
    pthread_join(t, NULL);
    ok(r == WAIT_OBJECT_0, "%s: wait-all, set one by one by a thread: got %u, want WAIT_OBJECT_0", name,
       (unsigned)r);
    ok(dt + TU_CLOCK_SLACK_MS >= 200, "%s: wait-all returned after %llu ms, before the last event was set (~200 ms)", name, dt);
    for (i = 0; i < 3; i++)
        ok(WaitForSingleObject(h[i], 0) == WAIT_TIMEOUT, "%s: wait-all left auto-reset [%d] set", name, i);
    close_all(h, 3);
}

/* WaitForSingleObject and WaitForSingleObjectEx on the same events. */
static void test_single(void)
{
    HANDLE man, aut;
    WSAEVENT wsa;
    DWORD r;
    unsigned long long t0, dt;
    struct setter s;
    pthread_t t;

    stage = "single-object waits";
    man = CreateEventA(NULL, TRUE, TRUE, NULL);
    aut = CreateEventW(NULL, FALSE, TRUE, NULL);
    wsa = WSACreateEvent();

    r = WaitForSingleObject(man, 0);
    ok(r == WAIT_OBJECT_0, "WaitForSingleObject(manual set): got %u", (unsigned)r);
    r = WaitForSingleObjectEx(man, 0, FALSE);
    ok(r == WAIT_OBJECT_0, "WaitForSingleObjectEx(manual set): got %u", (unsigned)r);
    r = WaitForSingleObjectEx(man, 0, TRUE);
    ok(r == WAIT_OBJECT_0, "WaitForSingleObjectEx(manual set, alertable): got %u", (unsigned)r);
    r = WaitForSingleObjectEx(aut, 0, FALSE);
    ok(r == WAIT_OBJECT_0, "WaitForSingleObjectEx(auto set): got %u", (unsigned)r);
    r = WaitForSingleObject(aut, 0);
    ok(r == WAIT_TIMEOUT, "WaitForSingleObject(auto consumed): got %u", (unsigned)r);
    r = WaitForSingleObject(wsa, 0);
    ok(r == WAIT_TIMEOUT, "WaitForSingleObject(WSA event clear): got %u", (unsigned)r);
    WSASetEvent(wsa);
    r = WaitForSingleObjectEx(wsa, 100, FALSE);
    ok(r == WAIT_OBJECT_0, "WaitForSingleObjectEx(WSA event set): got %u", (unsigned)r);

    t0 = tu_now_ms();
    r = WaitForSingleObjectEx(aut, 200, FALSE);
    dt = tu_now_ms() - t0;
    ok(r == WAIT_TIMEOUT, "WaitForSingleObjectEx 200 ms: got %u", (unsigned)r);
    ok(dt + TU_CLOCK_SLACK_MS >= 200 && dt < 3000, "WaitForSingleObjectEx 200 ms took %llu ms", dt);

    /* INFINITE, set by another thread. */
    memset(&s, 0, sizeof(s));
    s.n = 1;
    s.ev[0] = aut;
    s.delay_ms[0] = 100;
    stage = "single-object INFINITE";
    t0 = tu_now_ms();
    ok(pthread_create(&t, NULL, setter_thread, &s) == 0, "pthread_create");
    r = WaitForSingleObject(aut, INFINITE);
    dt = tu_now_ms() - t0;
    pthread_join(t, NULL);
    ok(r == WAIT_OBJECT_0, "WaitForSingleObject(INFINITE) set by a thread: got %u", (unsigned)r);
    ok(dt >= 85, "WaitForSingleObject(INFINITE) returned after %llu ms (set at ~100 ms)", dt);

    /* The last error survives a satisfied or timed-out wait (Wine's test_WaitForSingleObject). */
    SetLastError(0xdeadbeef);
    r = WaitForSingleObject(man, 0);
    ok(r == WAIT_OBJECT_0 && GetLastError() == 0xdeadbeef, "satisfied wait: got %u, last error %d",
       (unsigned)r, (int)GetLastError());
    SetLastError(0xdeadbeef);
    r = WaitForSingleObject(aut, 0);
    ok(r == WAIT_TIMEOUT && GetLastError() == 0xdeadbeef, "timed-out wait: got %u, last error %d", (unsigned)r,
       (int)GetLastError());

    /* Bogus handles, with each value of the low two bits (Wine's test_WaitForSingleObject). */
    {
        int bits;
        for (bits = 0; bits < 4; bits++) {
            HANDLE bad = (HANDLE)((ULONG_PTR)BOGUS_HANDLE | (ULONG_PTR)bits);
            SetLastError(0xdeadbeef);
            r = WaitForSingleObject(bad, 0);
            ok(r == WAIT_FAILED && GetLastError() == ERROR_INVALID_HANDLE,
               "WaitForSingleObject(0xdeadbee0|%d): got %u error %d", bits, (unsigned)r, (int)GetLastError());
            SetLastError(0xdeadbeef);
            r = WaitForSingleObjectEx(bad, 0, TRUE);
            ok(r == WAIT_FAILED && GetLastError() == ERROR_INVALID_HANDLE,
               "WaitForSingleObjectEx(0xdeadbee0|%d): got %u error %d", bits, (unsigned)r, (int)GetLastError());
        }
    }
    /* Valid handles with the low two bits set name the same object (Windows handle values are
     * multiples of 4 and the low bits are ignored): Wine's test_WaitForSingleObject. */
    {
        int bits;
        for (bits = 1; bits < 4; bits++) {
            HANDLE m = (HANDLE)((ULONG_PTR)man | (ULONG_PTR)bits);
            HANDLE a = (HANDLE)((ULONG_PTR)aut | (ULONG_PTR)bits);
            SetLastError(0xdeadbeef);
            r = WaitForSingleObject(m, 0);
            ok(r == WAIT_OBJECT_0 && GetLastError() == 0xdeadbeef,
               "WaitForSingleObject(set handle|%d): got %u error %d", bits, (unsigned)r, (int)GetLastError());
            SetLastError(0xdeadbeef);
            r = WaitForSingleObject(a, 0);
            ok(r == WAIT_TIMEOUT && GetLastError() == 0xdeadbeef,
               "WaitForSingleObject(clear handle|%d): got %u error %d", bits, (unsigned)r, (int)GetLastError());
        }
    }

    /* A closed handle. */
    CloseHandle(aut);
    SetLastError(0xdeadbeef);
    r = WaitForSingleObjectEx(aut, 0, FALSE);
    ok(r == WAIT_FAILED && GetLastError() == ERROR_INVALID_HANDLE, "WaitForSingleObjectEx(closed): got %u error %d",
       (unsigned)r, (int)GetLastError());
    CloseHandle(man);
    WSACloseEvent(wsa);
}

int main(void)
{
    pthread_t dog;
    int k;

    tu_startup();
    pthread_create(&dog, NULL, watchdog, NULL);
    test_single();
    for (k = W_WSA; k <= W_WFMOEX_ALERTABLE; k++) {
        test_wait_any_lowest((enum waiter_kind)k);
        test_wait_any_64((enum waiter_kind)k);
        test_wait_all((enum waiter_kind)k);
        test_errors((enum waiter_kind)k);
    }
    /* The slower ones on two entry points each. */
    test_timeouts(W_WSA);
    test_timeouts(W_WFMOEX);
    test_setter_thread(W_WSA);
    test_setter_thread(W_WFMO);
    finished = 1;
    pthread_join(dog, NULL);
    WSACleanup();
    return test_done();
}
