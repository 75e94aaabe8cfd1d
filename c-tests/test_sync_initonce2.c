/* InitOnceBeginInitialize and InitOnceComplete, and how they share an INIT_ONCE with
 * InitOnceExecuteOnce (MS docs InitOnceBeginInitialize, InitOnceComplete, "Using One-Time
 * Initialization"; the error codes are those Wine's kernel32 sync tests and ReactOS's InitOnce
 * apitest check against Windows).
 * - Synchronous: the first caller gets TRUE with *fPending TRUE and must complete; the others
 *   block until it does and then get TRUE, *fPending FALSE and the context. When it completes
 *   with INIT_ONCE_INIT_FAILED one of the blocked threads becomes the initialiser.
 * - INIT_ONCE_CHECK_ONLY never begins or blocks: done gives TRUE, *fPending FALSE and the
 *   context; not done gives FALSE with ERROR_GEN_FAILURE and leaves *fPending alone; combined
 *   with INIT_ONCE_ASYNC it is ERROR_INVALID_PARAMETER.
 * - INIT_ONCE_ASYNC: any number of callers are pending at once, none blocks; the first
 *   InitOnceComplete(INIT_ONCE_ASYNC) wins and later ones fail with ERROR_GEN_FAILURE. A
 *   synchronous begin during an asynchronous one, or an asynchronous begin during a synchronous
 *   one, fails with ERROR_INVALID_PARAMETER.
 * - InitOnceComplete: INIT_ONCE_INIT_FAILED with a context or with INIT_ONCE_ASYNC, and a
 *   context with a low INIT_ONCE_CTX_RESERVED_BITS bit set, are ERROR_INVALID_PARAMETER and
 *   change nothing; completing when no initialisation is under way is ERROR_GEN_FAILURE.
 * - InitOnceExecuteOnce and Begin/Complete interoperate on one INIT_ONCE. */
#define TU_WATCHDOG_MS 30000
#include "testutil.h"
#include <pthread.h>

static int g_target = 7, g_other = 9;

#define CHECK_FAIL(call, err)                                                                    \
    do {                                                                                         \
        BOOL r_;                                                                                 \
        SetLastError(0xdeadbeef);                                                                \
        r_ = (call);                                                                             \
        ok(r_ == FALSE && GetLastError() == (DWORD)(err), "%s: got %d error %lu, want FALSE %lu", #call, \
           (int)r_, (unsigned long)GetLastError(), (unsigned long)(err));                        \
    } while (0)

/* TRUE when `o` is completed with context `want` (checked without beginning anything). */
static int done_with(INIT_ONCE *o, void *want)
{
    BOOL pending = 0x55;
    void *ctx = NULL;
    return InitOnceBeginInitialize(o, INIT_ONCE_CHECK_ONLY, &pending, &ctx) == TRUE && pending == FALSE &&
           ctx == want;
}

/* TRUE when `o` is not completed (CHECK_ONLY fails with ERROR_GEN_FAILURE). */
static int not_done(INIT_ONCE *o)
{
    BOOL pending = 0x55;
    void *ctx = &g_other;
    SetLastError(0xdeadbeef);
    return InitOnceBeginInitialize(o, INIT_ONCE_CHECK_ONLY, &pending, &ctx) == FALSE &&
           GetLastError() == ERROR_GEN_FAILURE && pending == 0x55 && ctx == &g_other;
}

static volatile LONG g_cb_calls;
static BOOL WINAPI cb_target(PINIT_ONCE once, PVOID param, PVOID *ctx)
{
    (void)once;
    (void)param;
    InterlockedIncrement(&g_cb_calls);
    *ctx = &g_target;
    return TRUE;
}

static BOOL WINAPI cb_fail(PINIT_ONCE once, PVOID param, PVOID *ctx)
{
    (void)once;
    (void)param;
    (void)ctx;
    InterlockedIncrement(&g_cb_calls);
    return FALSE;
}

static void test_sync_single_thread(void)
{
    INIT_ONCE o = INIT_ONCE_STATIC_INIT;
    BOOL pending = FALSE;
    void *ctx = &g_other;

    stage = "sync, one thread";
    ok(INIT_ONCE_CHECK_ONLY == 1 && INIT_ONCE_ASYNC == 2 && INIT_ONCE_INIT_FAILED == 4 &&
           INIT_ONCE_CTX_RESERVED_BITS == 2,
       "INIT_ONCE_* values");
    ok(not_done(&o), "fresh: CHECK_ONLY fails with ERROR_GEN_FAILURE");
    CHECK_FAIL(InitOnceComplete(&o, INIT_ONCE_INIT_FAILED, NULL), ERROR_GEN_FAILURE);
    CHECK_FAIL(InitOnceComplete(&o, 0, &g_target), ERROR_GEN_FAILURE);
    CHECK_FAIL(InitOnceComplete(&o, INIT_ONCE_ASYNC, &g_target), ERROR_GEN_FAILURE);

    ok(InitOnceBeginInitialize(&o, 0, &pending, &ctx) == TRUE && pending == TRUE, "first begin: pending %d",
       pending);
    ok(ctx == &g_other, "pending: lpContext not written");
    ok(not_done(&o), "running: CHECK_ONLY fails with ERROR_GEN_FAILURE");
    CHECK_FAIL(InitOnceBeginInitialize(&o, INIT_ONCE_CHECK_ONLY | INIT_ONCE_ASYNC, &pending, &ctx),
               ERROR_INVALID_PARAMETER);
    CHECK_FAIL(InitOnceBeginInitialize(&o, INIT_ONCE_ASYNC, &pending, &ctx), ERROR_INVALID_PARAMETER);

    /* refused completions change nothing */
    CHECK_FAIL(InitOnceComplete(&o, INIT_ONCE_INIT_FAILED, &g_target), ERROR_INVALID_PARAMETER);
    CHECK_FAIL(InitOnceComplete(&o, INIT_ONCE_INIT_FAILED | INIT_ONCE_ASYNC, NULL), ERROR_INVALID_PARAMETER);
    CHECK_FAIL(InitOnceComplete(&o, 0, (char *)&g_target + 1), ERROR_INVALID_PARAMETER);
    CHECK_FAIL(InitOnceComplete(&o, 0, (char *)&g_target + 2), ERROR_INVALID_PARAMETER);
    ok(not_done(&o), "still running after refused completions");

    /* a failed attempt lets the next caller initialise */
    ok(InitOnceComplete(&o, INIT_ONCE_INIT_FAILED, NULL) == TRUE, "INIT_FAILED: %lu", (unsigned long)GetLastError());
    ok(not_done(&o), "after INIT_FAILED: not done");
    pending = FALSE;
    ok(InitOnceBeginInitialize(&o, 0, &pending, NULL) == TRUE && pending == TRUE, "begin again: pending");
    ok(InitOnceComplete(&o, 0, &g_target) == TRUE, "complete: %lu", (unsigned long)GetLastError());
    ok(done_with(&o, &g_target), "CHECK_ONLY after completion: TRUE, not pending, context");

    pending = TRUE;
    ctx = NULL;
    ok(InitOnceBeginInitialize(&o, 0, &pending, &ctx) == TRUE && pending == FALSE && ctx == &g_target,
       "begin when done: pending %d ctx %p", pending, ctx);
    pending = TRUE;
    ctx = NULL;
    ok(InitOnceBeginInitialize(&o, INIT_ONCE_ASYNC, &pending, &ctx) == TRUE && pending == FALSE &&
           ctx == &g_target,
       "async begin when done: pending %d ctx %p", pending, ctx);
    pending = TRUE;
    ok(InitOnceBeginInitialize(&o, 0, &pending, NULL) == TRUE && pending == FALSE, "NULL lpContext when done");
    CHECK_FAIL(InitOnceBeginInitialize(&o, INIT_ONCE_CHECK_ONLY | INIT_ONCE_ASYNC, &pending, &ctx),
               ERROR_INVALID_PARAMETER);
    CHECK_FAIL(InitOnceComplete(&o, 0, &g_other), ERROR_GEN_FAILURE);
    CHECK_FAIL(InitOnceComplete(&o, INIT_ONCE_ASYNC, &g_other), ERROR_GEN_FAILURE);
    CHECK_FAIL(InitOnceComplete(&o, INIT_ONCE_INIT_FAILED, NULL), ERROR_GEN_FAILURE);
    ok(done_with(&o, &g_target), "completion kept");

    /* NULL is a valid context */
    InitOnceInitialize(&o);
    ok(InitOnceBeginInitialize(&o, 0, &pending, NULL) == TRUE && pending == TRUE, "begin for NULL context");
    ok(InitOnceComplete(&o, 0, NULL) == TRUE, "complete with NULL");
    ok(done_with(&o, NULL), "done with NULL context");
}

static void test_async_single_thread(void)
{
    INIT_ONCE o;
    BOOL pending = FALSE;
    void *ctx = &g_other;

    stage = "async, one thread";
    InitOnceInitialize(&o);
    ok(InitOnceBeginInitialize(&o, INIT_ONCE_ASYNC, &pending, &ctx) == TRUE && pending == TRUE,
       "async begin: pending");
    pending = FALSE;
    ok(InitOnceBeginInitialize(&o, INIT_ONCE_ASYNC, &pending, &ctx) == TRUE && pending == TRUE,
       "second async begin: pending too, no blocking");
    ok(ctx == &g_other, "pending: lpContext not written");
    CHECK_FAIL(InitOnceBeginInitialize(&o, 0, &pending, &ctx), ERROR_INVALID_PARAMETER);
    ok(not_done(&o), "async running: CHECK_ONLY fails");
    CHECK_FAIL(InitOnceBeginInitialize(&o, INIT_ONCE_CHECK_ONLY | INIT_ONCE_ASYNC, &pending, &ctx),
               ERROR_INVALID_PARAMETER);
    CHECK_FAIL(InitOnceComplete(&o, INIT_ONCE_INIT_FAILED, NULL), ERROR_INVALID_PARAMETER);
    CHECK_FAIL(InitOnceComplete(&o, INIT_ONCE_INIT_FAILED | INIT_ONCE_ASYNC, NULL), ERROR_INVALID_PARAMETER);
    CHECK_FAIL(InitOnceComplete(&o, 0, &g_target), ERROR_INVALID_PARAMETER);
    CHECK_FAIL(InitOnceComplete(&o, INIT_ONCE_ASYNC, (char *)&g_target + 1), ERROR_INVALID_PARAMETER);
    ok(not_done(&o), "still running after refused completions");

    /* InitOnceExecuteOnce is synchronous: it cannot join an asynchronous initialisation */
    g_cb_calls = 0;
    ctx = &g_other;
    ok(InitOnceExecuteOnce(&o, cb_target, NULL, &ctx) == FALSE && g_cb_calls == 0 && ctx == &g_other,
       "ExecuteOnce during async initialisation: FALSE, callback not run (%ld)", (long)g_cb_calls);

    ok(InitOnceComplete(&o, INIT_ONCE_ASYNC, &g_target) == TRUE, "first async complete wins: %lu",
       (unsigned long)GetLastError());
    CHECK_FAIL(InitOnceComplete(&o, INIT_ONCE_ASYNC, &g_other), ERROR_GEN_FAILURE);
    CHECK_FAIL(InitOnceComplete(&o, INIT_ONCE_INIT_FAILED | INIT_ONCE_ASYNC, NULL), ERROR_INVALID_PARAMETER);
    ok(done_with(&o, &g_target), "the winner's context");
    pending = TRUE;
    ctx = NULL;
    ok(InitOnceBeginInitialize(&o, INIT_ONCE_ASYNC, &pending, &ctx) == TRUE && pending == FALSE &&
           ctx == &g_target,
       "async begin when done: context");
}

static void test_interop(void)
{
    INIT_ONCE o = INIT_ONCE_STATIC_INIT;
    BOOL pending = FALSE;
    void *ctx = NULL;

    stage = "interop";
    /* completed by Begin/Complete, read by ExecuteOnce */
    ok(InitOnceBeginInitialize(&o, 0, &pending, &ctx) == TRUE && pending == TRUE, "begin");
    ok(InitOnceComplete(&o, 0, &g_target) == TRUE, "complete");
    g_cb_calls = 0;
    ok(InitOnceExecuteOnce(&o, cb_fail, NULL, &ctx) == TRUE && ctx == &g_target && g_cb_calls == 0,
       "ExecuteOnce after Complete: TRUE, the context, no callback");

    /* completed by ExecuteOnce, read by Begin */
    InitOnceInitialize(&o);
    g_cb_calls = 0;
    ok(InitOnceExecuteOnce(&o, cb_target, NULL, &ctx) == TRUE && ctx == &g_target && g_cb_calls == 1,
       "ExecuteOnce runs");
    pending = TRUE;
    ctx = NULL;
    ok(InitOnceBeginInitialize(&o, 0, &pending, &ctx) == TRUE && pending == FALSE && ctx == &g_target,
       "Begin after ExecuteOnce: not pending, context");
    ok(done_with(&o, &g_target), "CHECK_ONLY after ExecuteOnce");
    CHECK_FAIL(InitOnceComplete(&o, 0, &g_other), ERROR_GEN_FAILURE);

    /* a failed ExecuteOnce leaves it to Begin */
    InitOnceInitialize(&o);
    ok(InitOnceExecuteOnce(&o, cb_fail, NULL, &ctx) == FALSE, "failing callback");
    ok(InitOnceBeginInitialize(&o, 0, &pending, &ctx) == TRUE && pending == TRUE, "Begin after a failure: pending");
    ok(InitOnceComplete(&o, INIT_ONCE_INIT_FAILED, NULL) == TRUE, "fail again");
    g_cb_calls = 0;
    ok(InitOnceExecuteOnce(&o, cb_target, NULL, &ctx) == TRUE && ctx == &g_target && g_cb_calls == 1,
       "ExecuteOnce after INIT_FAILED runs the callback");
}

/* ---- synchronous, several threads: they block until the initialiser completes ---- */
static INIT_ONCE g_sync = INIT_ONCE_STATIC_INIT;
static volatile LONG g_started, g_returned, g_initialisers, g_bad;

static DWORD WINAPI sync_waiter(LPVOID p)
{
    BOOL pending = 0x55;
    void *ctx = NULL;
    InterlockedIncrement(&g_started);
    if (p) {
        /* InitOnceExecuteOnce blocks the same way */
        if (!InitOnceExecuteOnce(&g_sync, cb_target, NULL, &ctx) || ctx != &g_target)
            InterlockedIncrement(&g_bad);
        InterlockedIncrement(&g_returned);
        return 0;
    }
    if (!InitOnceBeginInitialize(&g_sync, 0, &pending, &ctx)) {
        InterlockedIncrement(&g_bad);
        InterlockedIncrement(&g_returned);
        return 0;
    }
    InterlockedIncrement(&g_returned);
    if (pending) {
        /* this thread took over after the failed attempt */
        InterlockedIncrement(&g_initialisers);
        Sleep(50);
        if (!InitOnceComplete(&g_sync, 0, &g_target))
            InterlockedIncrement(&g_bad);
    } else if (ctx != &g_target) {
        InterlockedIncrement(&g_bad);
    }
    return 0;
}

static void test_sync_threads(void)
{
    HANDLE t[6];
    BOOL pending = FALSE;
    void *ctx = NULL;
    int i;

    stage = "sync, threads";
    ok(InitOnceBeginInitialize(&g_sync, 0, &pending, &ctx) == TRUE && pending == TRUE, "main begins");
    g_cb_calls = 0;
    for (i = 0; i < 6; i++)
        t[i] = CreateThread(NULL, 0, sync_waiter, (i % 3 == 2) ? (LPVOID)1 : NULL, 0, NULL);
    for (i = 0; i < 400 && g_started < 6; i++)
        Sleep(5);
    Sleep(200);
    ok(g_started == 6 && g_returned == 0, "others block while it runs: started %ld returned %ld",
       (long)g_started, (long)g_returned);

    /* main gives up: exactly one blocked thread becomes the initialiser */
    ok(InitOnceComplete(&g_sync, INIT_ONCE_INIT_FAILED, NULL) == TRUE, "main fails its attempt");
    ok(WaitForMultipleObjects(6, t, TRUE, 10000) == WAIT_OBJECT_0, "all threads return");
    for (i = 0; i < 6; i++)
        CloseHandle(t[i]);
    ok(g_returned == 6 && g_bad == 0, "all got TRUE and the context: returned %ld bad %ld", (long)g_returned,
       (long)g_bad);
    ok(g_initialisers + g_cb_calls == 1, "one initialiser took over: Begin %ld, ExecuteOnce %ld",
       (long)g_initialisers, (long)g_cb_calls);
    ok(done_with(&g_sync, &g_target), "done with the context");

    /* completing releases blocked threads with the context */
    stage = "sync, threads, complete";
    InitOnceInitialize(&g_sync);
    g_started = g_returned = g_initialisers = g_bad = g_cb_calls = 0;
    ok(InitOnceBeginInitialize(&g_sync, 0, &pending, &ctx) == TRUE && pending == TRUE, "main begins again");
    for (i = 0; i < 6; i++)
        t[i] = CreateThread(NULL, 0, sync_waiter, (i % 3 == 2) ? (LPVOID)1 : NULL, 0, NULL);
    for (i = 0; i < 400 && g_started < 6; i++)
        Sleep(5);
    Sleep(200);
    ok(g_returned == 0, "blocked: returned %ld", (long)g_returned);
    ok(InitOnceComplete(&g_sync, 0, &g_target) == TRUE, "main completes");
    ok(WaitForMultipleObjects(6, t, TRUE, 10000) == WAIT_OBJECT_0, "all threads return");
    for (i = 0; i < 6; i++)
        CloseHandle(t[i]);
    ok(g_returned == 6 && g_bad == 0 && g_initialisers == 0 && g_cb_calls == 0,
       "all got the context, none initialised: returned %ld bad %ld init %ld cb %ld", (long)g_returned,
       (long)g_bad, (long)g_initialisers, (long)g_cb_calls);
}

/* ---- asynchronous, several threads: all pending at once, the first completion wins ---- */
static INIT_ONCE g_async = INIT_ONCE_STATIC_INIT;
static volatile LONG g_async_begun, g_async_pending, g_async_won, g_async_lost, g_async_bad;
static int g_async_ctx[4];

static DWORD WINAPI async_racer(LPVOID p)
{
    int idx = (int)(INT_PTR)p, i;
    BOOL pending = FALSE;
    void *ctx = NULL;
    if (!InitOnceBeginInitialize(&g_async, INIT_ONCE_ASYNC, &pending, &ctx))
        InterlockedIncrement(&g_async_bad);
    if (pending)
        InterlockedIncrement(&g_async_pending);
    InterlockedIncrement(&g_async_begun);
    /* complete only once every racer has begun, so all are pending at the same time */
    for (i = 0; i < 2000 && g_async_begun < 4; i++)
        Sleep(1);
    SetLastError(0xdeadbeef);
    if (InitOnceComplete(&g_async, INIT_ONCE_ASYNC, &g_async_ctx[idx]))
        InterlockedIncrement(&g_async_won);
    else if (GetLastError() == ERROR_GEN_FAILURE)
        InterlockedIncrement(&g_async_lost);
    else
        InterlockedIncrement(&g_async_bad);
    return 0;
}

static void test_async_threads(void)
{
    HANDLE t[4];
    BOOL pending = TRUE;
    void *ctx = NULL;
    int i, which = -1;

    stage = "async, threads";
    for (i = 0; i < 4; i++)
        t[i] = CreateThread(NULL, 0, async_racer, (LPVOID)(INT_PTR)i, 0, NULL);
    ok(WaitForMultipleObjects(4, t, TRUE, 10000) == WAIT_OBJECT_0, "racers end");
    for (i = 0; i < 4; i++)
        CloseHandle(t[i]);
    ok(g_async_pending == 4 && g_async_bad == 0, "all four pending at once: %ld (bad %ld)", (long)g_async_pending,
       (long)g_async_bad);
    ok(g_async_won == 1 && g_async_lost == 3, "one completion wins, three get ERROR_GEN_FAILURE: %ld/%ld",
       (long)g_async_won, (long)g_async_lost);
    ok(InitOnceBeginInitialize(&g_async, INIT_ONCE_CHECK_ONLY, &pending, &ctx) == TRUE && pending == FALSE,
       "done");
    for (i = 0; i < 4; i++)
        if (ctx == &g_async_ctx[i])
            which = i;
    ok(which >= 0, "the context is one racer's: %p", ctx);
}

int main(void)
{
    pthread_t dog;
    pthread_create(&dog, NULL, watchdog, NULL);
    test_sync_single_thread();
    test_async_single_thread();
    test_interop();
    test_sync_threads();
    test_async_threads();
    finished = 1;
    pthread_join(dog, NULL);
    return test_done();
}
