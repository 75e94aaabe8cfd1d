/* Critical sections: InitializeCriticalSection(AndSpinCount/Ex), EnterCriticalSection,
 * TryEnterCriticalSection, LeaveCriticalSection, DeleteCriticalSection.
 * - The Win64 layout is 40 bytes (DebugInfo 0, LockCount 8, RecursionCount 12, OwningThread 16,
 *   LockSemaphore 24, SpinCount 32); layout-compare.sh compares it with mingw-w64's too.
 * - A free section shows LockCount -1, RecursionCount 0 and OwningThread NULL; the owner shows
 *   RecursionCount = its entries and OwningThread = its thread id (MS docs RTL_CRITICAL_SECTION
 *   fields as debuggers read them; Wine's RtlEnterCriticalSection keeps them the same way).
 * - Recursive: the owner enters again (EnterCriticalSection or TryEnterCriticalSection) and must
 *   leave as many times (MS docs EnterCriticalSection, LeaveCriticalSection).
 * - TryEnterCriticalSection returns FALSE while another thread owns the section and TRUE once it
 *   is free (MS docs TryEnterCriticalSection).
 * - EnterCriticalSection blocks while another thread owns the section, and the wait is not
 *   alertable: APCs queued meanwhile run only at the thread's next alertable wait.
 * - InitializeCriticalSectionAndSpinCount and InitializeCriticalSectionEx return TRUE (MS docs:
 *   they always succeed on Vista and later).
 * - Mutual exclusion: 4 threads x 100000 increments under the section lose nothing. */
#define TU_WATCHDOG_MS 30000
#include "testutil.h"
#include <pthread.h>
#include <stddef.h>


static CRITICAL_SECTION cs;

static void check_free(const char *what)
{
    ok(cs.LockCount == -1 && cs.RecursionCount == 0 && cs.OwningThread == NULL,
       "%s: LockCount %d RecursionCount %d OwningThread %p, want -1 0 NULL", what, (int)cs.LockCount,
       (int)cs.RecursionCount, (void *)cs.OwningThread);
}

static void check_owned(LONG depth, const char *what)
{
    ok(cs.RecursionCount == depth && cs.OwningThread == (HANDLE)(ULONG_PTR)GetCurrentThreadId(),
       "%s: RecursionCount %d OwningThread %p, want %d and this thread (%u)", what, (int)cs.RecursionCount,
       (void *)cs.OwningThread, (int)depth, (unsigned)GetCurrentThreadId());
}

static void test_layout_fields(void)
{
    stage = "layout";
    ok(sizeof(CRITICAL_SECTION) == 40, "sizeof(CRITICAL_SECTION) %u", (unsigned)sizeof(CRITICAL_SECTION));
    ok(offsetof(CRITICAL_SECTION, LockCount) == 8 && offsetof(CRITICAL_SECTION, RecursionCount) == 12 &&
           offsetof(CRITICAL_SECTION, OwningThread) == 16 && offsetof(CRITICAL_SECTION, LockSemaphore) == 24 &&
           offsetof(CRITICAL_SECTION, SpinCount) == 32,
       "CRITICAL_SECTION offsets");
}

/* ---- helpers on another thread ---- */
static DWORD WINAPI try_enter_proc(LPVOID p)
{
    BOOL got = TryEnterCriticalSection(&cs);
    (void)p;
    if (got)
        LeaveCriticalSection(&cs);
    return (DWORD)got;
}

static DWORD try_from_other_thread(void)
{
    DWORD code = 0xffff;
    HANDLE h = CreateThread(NULL, 0, try_enter_proc, NULL, 0, NULL);
    ok(h != NULL, "CreateThread: error %d", (int)GetLastError());
    ok(WaitForSingleObject(h, 5000) == WAIT_OBJECT_0, "TryEnter thread did not end");
    GetExitCodeThread(h, &code);
    CloseHandle(h);
    return code;
}

static void test_recursion(void)
{
    stage = "recursion";
    InitializeCriticalSection(&cs);
    check_free("after InitializeCriticalSection");
    EnterCriticalSection(&cs);
    check_owned(1, "entered once");
    EnterCriticalSection(&cs);
    EnterCriticalSection(&cs);
    check_owned(3, "entered three times");
    ok(TryEnterCriticalSection(&cs) == TRUE, "TryEnterCriticalSection by the owner failed");
    check_owned(4, "entered four times");
    ok(try_from_other_thread() == FALSE, "another thread entered an owned section");
    LeaveCriticalSection(&cs);
    LeaveCriticalSection(&cs);
    LeaveCriticalSection(&cs);
    check_owned(1, "three leaves of four");
    ok(try_from_other_thread() == FALSE, "another thread entered before the last leave");
    LeaveCriticalSection(&cs);
    check_free("after the last leave");
    ok(try_from_other_thread() == TRUE, "another thread could not enter the free section");
    check_free("after the other thread left");
    DeleteCriticalSection(&cs);
}

/* ---- a thread blocked in EnterCriticalSection ---- */
static volatile LONG order[4];
static volatile LONG order_n;
static volatile DWORD blocked_sleep;

static void CALLBACK order_apc(ULONG_PTR data)
{
    order[order_n++ & 3] = (LONG)data;
}

static DWORD WINAPI blocked_proc(LPVOID p)
{
    (void)p;
    EnterCriticalSection(&cs);
    order[order_n++ & 3] = 1; /* entered */
    LeaveCriticalSection(&cs);
    blocked_sleep = SleepEx(0, TRUE);
    return 0;
}

static void test_blocking(void)
{
    HANDLE h;
    DWORD r;

    stage = "blocking enter";
    InitializeCriticalSection(&cs);
    EnterCriticalSection(&cs);
    order_n = 0;
    h = CreateThread(NULL, 0, blocked_proc, NULL, 0, NULL);
    ok(h != NULL, "CreateThread: error %d", (int)GetLastError());
    Sleep(50);
    ok(order_n == 0, "the thread entered an owned section");
    ok(QueueUserAPC(order_apc, h, 2) != 0, "QueueUserAPC: error %d", (int)GetLastError());
    Sleep(50);
    ok(order_n == 0, "EnterCriticalSection ran an APC (it is not alertable)");
    r = WaitForSingleObject(h, 0);
    ok(r == WAIT_TIMEOUT, "the blocked thread ended (%u)", (unsigned)r);
    LeaveCriticalSection(&cs);
    r = WaitForSingleObject(h, 5000);
    ok(r == WAIT_OBJECT_0, "the thread did not get the section after the leave (%u)", (unsigned)r);
    ok(order_n == 2 && order[0] == 1 && order[1] == 2, "order: %d events, %d then %d; want enter then APC",
       (int)order_n, (int)order[0], (int)order[1]);
    ok(blocked_sleep == WAIT_IO_COMPLETION, "the thread's SleepEx(0, TRUE): %u", (unsigned)blocked_sleep);
    CloseHandle(h);
    check_free("after the blocked thread left");
    DeleteCriticalSection(&cs);
}

/* ---- contention ---- */
enum { THREADS = 4, ROUNDS = 100000 };
static volatile long counter;
static volatile LONG inside;
static volatile LONG overlaps;

static DWORD WINAPI adder_proc(LPVOID p)
{
    int i;
    (void)p;
    for (i = 0; i < ROUNDS; i++) {
        EnterCriticalSection(&cs);
        if (inside++)
            overlaps++;
        counter = counter + 1;
        if (i % 7 == 0) {
            EnterCriticalSection(&cs); /* recursion under contention */
            counter = counter + 0;
            LeaveCriticalSection(&cs);
        }
        inside--;
        LeaveCriticalSection(&cs);
    }
    return 0;
}

static void run_contention(const char *what)
{
    HANDLE h[THREADS];
    unsigned long long t0 = tu_now_ms();
    int i;

    counter = 0;
    inside = 0;
    overlaps = 0;
    for (i = 0; i < THREADS; i++) {
        h[i] = CreateThread(NULL, 0, adder_proc, NULL, 0, NULL);
        ok(h[i] != NULL, "%s: CreateThread %d: error %d", what, i, (int)GetLastError());
    }
    ok(WaitForMultipleObjects(THREADS, h, TRUE, 20000) == WAIT_OBJECT_0, "%s: adders did not finish", what);
    for (i = 0; i < THREADS; i++)
        CloseHandle(h[i]);
    ok(counter == (long)THREADS * ROUNDS && overlaps == 0, "%s: counter %ld, want %ld; %d overlaps", what,
       (long)counter, (long)THREADS * ROUNDS, (int)overlaps);
    check_free(what);
    if (tu_now_ms() - t0 > 10000)
        fprintf(stderr, "%s: took %llu ms\n", what, tu_now_ms() - t0);
}

static void test_contention(void)
{
    BOOL b;

    stage = "contention, no spin";
    InitializeCriticalSection(&cs);
    run_contention("InitializeCriticalSection");
    DeleteCriticalSection(&cs);

    stage = "contention, spin";
    b = InitializeCriticalSectionAndSpinCount(&cs, 4000);
    ok(b == TRUE, "InitializeCriticalSectionAndSpinCount: %d, want TRUE", b);
    check_free("after InitializeCriticalSectionAndSpinCount");
    run_contention("InitializeCriticalSectionAndSpinCount(4000)");
    DeleteCriticalSection(&cs);

    stage = "contention, Ex";
    b = InitializeCriticalSectionEx(&cs, 1000, 0);
    ok(b == TRUE, "InitializeCriticalSectionEx: %d, want TRUE", b);
    run_contention("InitializeCriticalSectionEx(1000, 0)");
    DeleteCriticalSection(&cs);
}

/* Initialize makes any bytes a free section; a deleted section can be initialised again. */
static void test_reinit(void)
{
    BOOL b;

    stage = "reinit";
    memset(&cs, 0xab, sizeof(cs));
    InitializeCriticalSection(&cs);
    check_free("Initialize over garbage");
    EnterCriticalSection(&cs);
    check_owned(1, "entered after Initialize over garbage");
    LeaveCriticalSection(&cs);
    DeleteCriticalSection(&cs);

    memset(&cs, 0, sizeof(cs));
    b = InitializeCriticalSectionEx(&cs, 0, CRITICAL_SECTION_NO_DEBUG_INFO);
    ok(b == TRUE, "InitializeCriticalSectionEx(NO_DEBUG_INFO): %d", b);
    check_free("InitializeCriticalSectionEx(NO_DEBUG_INFO)");
    ok(TryEnterCriticalSection(&cs) == TRUE, "TryEnter on a free section failed");
    check_owned(1, "TryEnter");
    LeaveCriticalSection(&cs);
    check_free("after TryEnter and leave");
    DeleteCriticalSection(&cs);

    b = InitializeCriticalSectionAndSpinCount(&cs, 0);
    ok(b == TRUE, "InitializeCriticalSectionAndSpinCount(0): %d", b);
    EnterCriticalSection(&cs);
    LeaveCriticalSection(&cs);
    check_free("spin count 0");
    DeleteCriticalSection(&cs);
}

/* SetCriticalSectionSpinCount returns the previous spin count; the flag bits of an
 * InitializeCriticalSectionEx request are not part of it (MS docs SetCriticalSectionSpinCount,
 * InitializeCriticalSectionEx; on a multiprocessor machine, which the test machines are). */
static void test_spin_count(void)
{
    DWORD prev;

    ok(InitializeCriticalSectionAndSpinCount(&cs, 4000) == TRUE, "InitializeCriticalSectionAndSpinCount(4000)");
    prev = SetCriticalSectionSpinCount(&cs, 100);
    ok(prev == 4000, "SetCriticalSectionSpinCount: previous %lu, want 4000", (unsigned long)prev);
    prev = SetCriticalSectionSpinCount(&cs, 0);
    ok(prev == 100, "SetCriticalSectionSpinCount: previous %lu, want 100", (unsigned long)prev);
    EnterCriticalSection(&cs);
    LeaveCriticalSection(&cs);
    DeleteCriticalSection(&cs);

    ok(InitializeCriticalSectionEx(&cs, 250, CRITICAL_SECTION_NO_DEBUG_INFO) == TRUE, "InitializeCriticalSectionEx");
    prev = SetCriticalSectionSpinCount(&cs, 1);
    ok(prev == 250, "spin count without the flag bits: %lu, want 250", (unsigned long)prev);
    DeleteCriticalSection(&cs);
}

int main(void)
{
    pthread_t dog;

    tu_startup();
    pthread_create(&dog, NULL, watchdog, NULL);
    test_layout_fields();
    test_recursion();
    test_blocking();
    test_contention();
    test_reinit();
    test_spin_count();
    finished = 1;
    pthread_join(dog, NULL);
    WSACleanup();
    return test_done();
}
