/* InitOnceExecuteOnce and the Interlocked family.
 * - The callback runs once, also when several threads call at the same time; the others block
 *   until it has finished and get the same context (MS docs InitOnceExecuteOnce).
 * - A callback that returns FALSE makes the call return FALSE, and a later call runs it again.
 * - The context written by the callback comes back through lpContext, here and in later calls.
 * - Interlocked: Increment/Decrement return the new value; Exchange, ExchangeAdd, And, Or, Xor
 *   return the old value; CompareExchange returns the old value and stores only on a match;
 *   the 64-bit and pointer forms likewise (MS docs InterlockedIncrement, InterlockedAnd, ...). */
#define TU_WATCHDOG_MS 20000
#include "testutil.h"

static INIT_ONCE g_once = INIT_ONCE_STATIC_INIT;
static volatile LONG g_calls, g_fail_next;
static int g_value = 42;

static BOOL WINAPI init_cb(PINIT_ONCE once, PVOID param, PVOID *ctx)
{
    (void)once;
    InterlockedIncrement(&g_calls);
    Sleep(30);
    if (InterlockedExchange(&g_fail_next, 0))
        return FALSE;
    *ctx = param;
    return TRUE;
}

static DWORD WINAPI racer(LPVOID p)
{
    (void)p;
    PVOID ctx = NULL;
    BOOL r = InitOnceExecuteOnce(&g_once, init_cb, &g_value, &ctx);
    return (r && ctx == &g_value) ? 1 : 0;
}

static volatile LONG g_count;
static DWORD WINAPI adder(LPVOID p)
{
    (void)p;
    for (int i = 0; i < 100000; i++)
        InterlockedIncrement(&g_count);
    return 0;
}

int main(void)
{
    PVOID ctx = (PVOID)1;
    INIT_ONCE local;
    InitOnceInitialize(&local);
    ok(sizeof(INIT_ONCE) == sizeof(void *), "INIT_ONCE is one pointer");

    /* failure, then retry */
    g_fail_next = 1;
    ok(InitOnceExecuteOnce(&local, init_cb, &g_value, &ctx) == FALSE, "failing callback: FALSE");
    ok(g_calls == 1, "ran once");
    ctx = NULL;
    ok(InitOnceExecuteOnce(&local, init_cb, &g_value, &ctx) == TRUE && ctx == &g_value, "retried, context out");
    ok(g_calls == 2, "ran again after the failure");
    ctx = NULL;
    ok(InitOnceExecuteOnce(&local, init_cb, NULL, &ctx) == TRUE && ctx == &g_value, "done: context kept");
    ok(InitOnceExecuteOnce(&local, init_cb, NULL, NULL) == TRUE, "NULL lpContext");
    ok(g_calls == 2, "not run once done");

    /* contention */
    g_calls = 0;
    HANDLE t[4];
    for (int i = 0; i < 4; i++)
        t[i] = CreateThread(NULL, 0, racer, NULL, 0, NULL);
    ok(WaitForMultipleObjects(4, t, TRUE, 5000) == WAIT_OBJECT_0, "racers end");
    for (int i = 0; i < 4; i++) {
        DWORD c = 0;
        GetExitCodeThread(t[i], &c);
        ok(c == 1, "racer %d saw TRUE and the context", i);
        CloseHandle(t[i]);
    }
    ok(g_calls == 1, "callback ran once under contention (%ld)", (long)g_calls);

    /* Interlocked, 32 bits */
    volatile LONG v = 5;
    ok(InterlockedIncrement(&v) == 6 && v == 6, "Increment returns the new value");
    ok(InterlockedDecrement(&v) == 5 && v == 5, "Decrement returns the new value");
    ok(InterlockedExchange(&v, 9) == 5 && v == 9, "Exchange returns the old value");
    ok(InterlockedExchangeAdd(&v, -4) == 9 && v == 5, "ExchangeAdd returns the old value");
    ok(InterlockedCompareExchange(&v, 7, 4) == 5 && v == 5, "CompareExchange mismatch: no store");
    ok(InterlockedCompareExchange(&v, 7, 5) == 5 && v == 7, "CompareExchange match: stored");
    ok(InterlockedAnd(&v, 3) == 7 && v == 3, "And returns the old value");
    ok(InterlockedOr(&v, 8) == 3 && v == 11, "Or returns the old value");
    ok(InterlockedXor(&v, 1) == 11 && v == 10, "Xor returns the old value");
    v = 0x7fffffff;
    ok(InterlockedIncrement(&v) == (LONG)0x80000000, "32-bit wrap");
    ok(sizeof(LONG) == 4, "LONG is 32 bits");

    /* 64 bits */
    volatile LONG64 w = 0x100000000LL;
    ok(InterlockedIncrement64(&w) == 0x100000001LL, "Increment64");
    ok(InterlockedDecrement64(&w) == 0x100000000LL, "Decrement64");
    ok(InterlockedExchange64(&w, 3) == 0x100000000LL && w == 3, "Exchange64");
    ok(InterlockedExchangeAdd64(&w, 0x200000000LL) == 3 && w == 0x200000003LL, "ExchangeAdd64");
    ok(InterlockedCompareExchange64(&w, 1, 0x200000003LL) == 0x200000003LL && w == 1, "CompareExchange64");
    ok(InterlockedAnd64(&w, 0) == 1 && w == 0, "And64");
    ok(InterlockedOr64(&w, 0x300000000LL) == 0 && w == 0x300000000LL, "Or64");
    ok(InterlockedXor64(&w, 0x100000000LL) == 0x300000000LL && w == 0x200000000LL, "Xor64");

    /* pointers */
    int a = 0, b = 0;
    PVOID volatile ptr = &a;
    ok(InterlockedExchangePointer(&ptr, &b) == &a && ptr == &b, "ExchangePointer");
    ok(InterlockedCompareExchangePointer(&ptr, &a, &a) == &b && ptr == &b, "CompareExchangePointer mismatch");
    ok(InterlockedCompareExchangePointer(&ptr, &a, &b) == &b && ptr == &a, "CompareExchangePointer match");
    MemoryBarrier();
    YieldProcessor();

    /* atomicity */
    for (int i = 0; i < 4; i++)
        t[i] = CreateThread(NULL, 0, adder, NULL, 0, NULL);
    ok(WaitForMultipleObjects(4, t, TRUE, 10000) == WAIT_OBJECT_0, "adders end");
    for (int i = 0; i < 4; i++)
        CloseHandle(t[i]);
    ok(g_count == 400000, "no lost increment (%ld)", (long)g_count);
    return test_done();
}
