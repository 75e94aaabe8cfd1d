/* Slim reader/writer locks and condition variables.
 * - SRWLOCK_INIT and a zero-filled SRWLOCK are unlocked; shared holders coexist, an exclusive
 *   holder excludes everyone; TryAcquire* return TRUE/FALSE without blocking (MS docs
 *   TryAcquireSRWLockExclusive, TryAcquireSRWLockShared, InitializeSRWLock).
 * - SleepConditionVariableCS/SRW release the lock, sleep and hold it again on return, also when
 *   the wait times out: FALSE with ERROR_TIMEOUT (MS docs SleepConditionVariableCS,
 *   SleepConditionVariableSRW). A recursively entered critical section is held again at its
 *   full recursion count. CONDITION_VARIABLE_LOCKMODE_SHARED sleeps with the lock shared.
 * - WakeConditionVariable wakes a sleeper; WakeAllConditionVariable wakes every sleeper. */
#define TU_WATCHDOG_MS 20000
#include "testutil.h"

static SRWLOCK g_lock = SRWLOCK_INIT;
static CONDITION_VARIABLE g_cv = CONDITION_VARIABLE_INIT;
static CRITICAL_SECTION g_cs;
static volatile LONG g_counter, g_ready, g_awake, g_go;

#define WORKERS 4
#define ROUNDS 20000

static DWORD WINAPI add_exclusive(LPVOID p)
{
    (void)p;
    for (int i = 0; i < ROUNDS; i++) {
        AcquireSRWLockExclusive(&g_lock);
        LONG v = g_counter;
        if ((i & 255) == 0)
            SwitchToThread();
        g_counter = v + 1;
        ReleaseSRWLockExclusive(&g_lock);
        if ((i & 7) == 0) {
            AcquireSRWLockShared(&g_lock);
            ReleaseSRWLockShared(&g_lock);
        }
    }
    return 0;
}

static DWORD WINAPI try_from_other(LPVOID p)
{
    (void)p;
    DWORD r = 0;
    if (TryAcquireSRWLockExclusive(&g_lock)) {
        r |= 1;
        ReleaseSRWLockExclusive(&g_lock);
    }
    if (TryAcquireSRWLockShared(&g_lock)) {
        r |= 2;
        ReleaseSRWLockShared(&g_lock);
    }
    return r;
}

static DWORD run(LPTHREAD_START_ROUTINE f)
{
    DWORD code = 99;
    HANDLE t = CreateThread(NULL, 0, f, NULL, 0, NULL);
    WaitForSingleObject(t, 5000);
    GetExitCodeThread(t, &code);
    CloseHandle(t);
    return code;
}

static DWORD WINAPI cs_sleeper(LPVOID p)
{
    (void)p;
    EnterCriticalSection(&g_cs);
    InterlockedIncrement(&g_ready);
    while (!g_go)
        SleepConditionVariableCS(&g_cv, &g_cs, INFINITE);
    InterlockedIncrement(&g_awake);
    LeaveCriticalSection(&g_cs);
    return 0;
}

static DWORD WINAPI srw_shared_sleeper(LPVOID p)
{
    (void)p;
    AcquireSRWLockShared(&g_lock);
    InterlockedIncrement(&g_ready);
    while (!g_go)
        SleepConditionVariableSRW(&g_cv, &g_lock, INFINITE, CONDITION_VARIABLE_LOCKMODE_SHARED);
    InterlockedIncrement(&g_awake);
    ReleaseSRWLockShared(&g_lock);
    return 0;
}

static void wait_ready(LONG n)
{
    for (int i = 0; i < 500 && g_ready < n; i++)
        Sleep(10);
}

int main(void)
{
    SRWLOCK zero;
    memset(&zero, 0, sizeof zero);
    ok(sizeof(SRWLOCK) == sizeof(void *) && sizeof(CONDITION_VARIABLE) == sizeof(void *), "one pointer each");
    ok(TryAcquireSRWLockExclusive(&zero) == TRUE, "zero-filled lock is free");
    ReleaseSRWLockExclusive(&zero);
    InitializeSRWLock(&zero);
    ok(TryAcquireSRWLockShared(&zero) == TRUE && TryAcquireSRWLockShared(&zero) == TRUE, "two shared holders");
    ok(TryAcquireSRWLockExclusive(&zero) == FALSE, "exclusive refused while shared");
    ReleaseSRWLockShared(&zero);
    ReleaseSRWLockShared(&zero);
    ok(TryAcquireSRWLockExclusive(&zero) == TRUE, "free again");
    ok(TryAcquireSRWLockShared(&zero) == FALSE, "shared refused while exclusive");
    ReleaseSRWLockExclusive(&zero);

    AcquireSRWLockExclusive(&g_lock);
    ok(run(try_from_other) == 0, "other thread: both tries fail while exclusive");
    ReleaseSRWLockExclusive(&g_lock);
    AcquireSRWLockShared(&g_lock);
    ok(run(try_from_other) == 2, "other thread: shared succeeds, exclusive fails while shared");
    ReleaseSRWLockShared(&g_lock);
    ok(run(try_from_other) == 3, "other thread: both succeed when free");

    /* mutual exclusion under contention */
    HANDLE t[WORKERS];
    for (int i = 0; i < WORKERS; i++)
        t[i] = CreateThread(NULL, 0, add_exclusive, NULL, 0, NULL);
    ok(WaitForMultipleObjects(WORKERS, t, TRUE, 15000) == WAIT_OBJECT_0, "workers end");
    for (int i = 0; i < WORKERS; i++)
        CloseHandle(t[i]);
    ok(g_counter == WORKERS * ROUNDS, "no lost update: %ld", (long)g_counter);

    /* timeouts hold the lock again */
    InitializeConditionVariable(&g_cv);
    InitializeCriticalSection(&g_cs);
    EnterCriticalSection(&g_cs);
    EnterCriticalSection(&g_cs);
    SetLastError(0xdeadbeef);
    unsigned long long t0 = tu_now_ms();
    ok(SleepConditionVariableCS(&g_cv, &g_cs, 50) == FALSE && GetLastError() == ERROR_TIMEOUT,
       "CS sleep timeout: FALSE, ERROR_TIMEOUT (%lu)", (unsigned long)GetLastError());
    unsigned long long slept = tu_now_ms() - t0;
    /* GetTickCount (the clock of tu_now_ms on Windows) moves in steps of up to 16 ms. */
    ok(slept + 16 >= 50, "slept 50 ms (%llu measured)", slept);
    ok(g_cs.RecursionCount == 2 && g_cs.OwningThread == (HANDLE)(ULONG_PTR)GetCurrentThreadId(),
       "section held again at recursion 2 (%ld)", (long)g_cs.RecursionCount);
    SetLastError(0xdeadbeef);
    ok(SleepConditionVariableCS(&g_cv, &g_cs, 0) == FALSE && GetLastError() == ERROR_TIMEOUT, "zero timeout");
    LeaveCriticalSection(&g_cs);
    LeaveCriticalSection(&g_cs);

    AcquireSRWLockExclusive(&g_lock);
    SetLastError(0xdeadbeef);
    ok(SleepConditionVariableSRW(&g_cv, &g_lock, 30, 0) == FALSE && GetLastError() == ERROR_TIMEOUT,
       "SRW sleep timeout: FALSE, ERROR_TIMEOUT");
    ok(TryAcquireSRWLockShared(&g_lock) == FALSE, "held exclusively again");
    ReleaseSRWLockExclusive(&g_lock);
    AcquireSRWLockShared(&g_lock);
    SetLastError(0xdeadbeef);
    ok(SleepConditionVariableSRW(&g_cv, &g_lock, 10, CONDITION_VARIABLE_LOCKMODE_SHARED) == FALSE &&
           GetLastError() == ERROR_TIMEOUT,
       "shared SRW sleep timeout");
    ok(TryAcquireSRWLockExclusive(&g_lock) == FALSE, "held shared again");
    ReleaseSRWLockShared(&g_lock);

    /* Wake one, then all (CS) */
    g_ready = g_awake = g_go = 0;
    HANDLE s[3];
    for (int i = 0; i < 3; i++)
        s[i] = CreateThread(NULL, 0, cs_sleeper, NULL, 0, NULL);
    wait_ready(3);
    EnterCriticalSection(&g_cs);
    g_go = 1;
    LeaveCriticalSection(&g_cs);
    WakeConditionVariable(&g_cv);
    for (int i = 0; i < 200 && g_awake < 1; i++)
        Sleep(5);
    ok(g_awake >= 1, "WakeConditionVariable woke a sleeper");
    WakeAllConditionVariable(&g_cv);
    ok(WaitForMultipleObjects(3, s, TRUE, 5000) == WAIT_OBJECT_0 && g_awake == 3, "WakeAll woke the rest");
    for (int i = 0; i < 3; i++)
        CloseHandle(s[i]);

    /* shared SRW sleepers: all hold the lock shared together after WakeAll */
    g_ready = g_awake = g_go = 0;
    for (int i = 0; i < 3; i++)
        s[i] = CreateThread(NULL, 0, srw_shared_sleeper, NULL, 0, NULL);
    wait_ready(3);
    AcquireSRWLockExclusive(&g_lock);
    g_go = 1;
    ReleaseSRWLockExclusive(&g_lock);
    WakeAllConditionVariable(&g_cv);
    ok(WaitForMultipleObjects(3, s, TRUE, 5000) == WAIT_OBJECT_0 && g_awake == 3, "shared SRW sleepers woken");
    for (int i = 0; i < 3; i++)
        CloseHandle(s[i]);
    DeleteCriticalSection(&g_cs);
    return test_done();
}
