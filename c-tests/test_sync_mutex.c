/* Mutexes and named objects: CreateMutexA/W, CreateMutexExA, ReleaseMutex, OpenMutexA,
 * named events, waits on mutexes, abandoned mutexes.
 * - A mutex is recursive: its owner's waits succeed at once and each needs a ReleaseMutex;
 *   a release by a thread that does not own it fails with ERROR_NOT_OWNER (MS docs
 *   ReleaseMutex, CreateMutexW bInitialOwner).
 * - A mutex whose owner exits without releasing it is abandoned: the next wait gets it with
 *   WAIT_ABANDONED (0x80), in WaitForMultipleObjects WAIT_ABANDONED_0 + index, and owns it
 *   (MS docs WaitForSingleObject, WaitForMultipleObjects). A satisfied wait-all that takes an
 *   abandoned mutex returns WAIT_ABANDONED_0 whatever the mutex's index: the docs give the
 *   range WAIT_ABANDONED_0 .. + nCount - 1, and the kernel reports STATUS_ABANDONED for the
 *   whole wait (Wine's server does the same).
 * - Names: a second Create with the name of a live object of the same type returns a new
 *   handle to that object and sets ERROR_ALREADY_EXISTS; a new object sets the last error to
 *   0; the name of an object of another type fails with ERROR_INVALID_HANDLE; OpenMutex of an
 *   unknown name fails with ERROR_FILE_NOT_FOUND; the name goes with the last handle (MS docs
 *   CreateMutexW, CreateEventW, OpenMutexW).
 * - ReleaseMutex on a handle that is not a mutex: ERROR_INVALID_HANDLE. */
#define TU_WATCHDOG_MS 20000
#include "testutil.h"
#include <stdio.h>

static HANDLE g_mutex;

static DWORD WINAPI try_release(LPVOID p)
{
    (void)p;
    DWORD r = WaitForSingleObject(g_mutex, 0);
    SetLastError(0xdeadbeef);
    BOOL rel = ReleaseMutex(g_mutex);
    DWORD err = GetLastError();
    return (r == WAIT_TIMEOUT ? 1u : 0u) | (!rel && err == ERROR_NOT_OWNER ? 2u : 0u);
}

static DWORD WINAPI take_and_exit(LPVOID p)
{
    (void)p;
    return WaitForSingleObject(g_mutex, 1000) == WAIT_OBJECT_0 ? 7 : 0;
}

static DWORD WINAPI take_and_exit_thread(LPVOID p)
{
    (void)p;
    if (WaitForSingleObject(g_mutex, 1000) == WAIT_OBJECT_0)
        ExitThread(9);
    return 0;
}

static DWORD WINAPI wait_blocked(LPVOID p)
{
    (void)p;
    DWORD r = WaitForSingleObject(g_mutex, 5000);
    if (r == WAIT_OBJECT_0 && ReleaseMutex(g_mutex))
        return 1;
    return 100 + r;
}

static volatile LONG g_counter, g_inside, g_overlap;

/* Mutual exclusion through WaitForSingleObject/ReleaseMutex, with recursion inside. */
static DWORD WINAPI contend(LPVOID p)
{
    (void)p;
    for (int i = 0; i < 2000; i++) {
        if (WaitForSingleObject(g_mutex, 10000) != WAIT_OBJECT_0)
            return 1;
        if (InterlockedIncrement(&g_inside) != 1)
            InterlockedIncrement(&g_overlap);
        if ((i & 15) == 0) {
            if (WaitForSingleObject(g_mutex, 0) != WAIT_OBJECT_0 || !ReleaseMutex(g_mutex))
                return 2;
        }
        g_counter = g_counter + 1;
        InterlockedDecrement(&g_inside);
        if (!ReleaseMutex(g_mutex))
            return 3;
    }
    return 0;
}

static DWORD run(LPTHREAD_START_ROUTINE f)
{
    DWORD code = 0;
    HANDLE t = CreateThread(NULL, 0, f, NULL, 0, NULL);
    ok(t != NULL, "CreateThread");
    ok(WaitForSingleObject(t, 5000) == WAIT_OBJECT_0, "thread ends");
    ok(GetExitCodeThread(t, &code), "GetExitCodeThread");
    CloseHandle(t);
    return code;
}

int main(void)
{
    char name[64], other[64];
    HANDLE m, m2, e, s;

    /* ---- initially owned, recursive, release counts ---- */
    g_mutex = m = CreateMutexA(NULL, TRUE, NULL);
    ok(m != NULL, "CreateMutexA owned");
    ok(WaitForSingleObject(m, 0) == WAIT_OBJECT_0, "owner waits again (recursion 2)");
    ok(run(try_release) == 3, "other thread: wait times out, release ERROR_NOT_OWNER");
    ok(ReleaseMutex(m), "release 1");
    ok(run(try_release) == 3, "still owned after one of two releases");
    ok(ReleaseMutex(m), "release 2");
    SetLastError(0xdeadbeef);
    ok(!ReleaseMutex(m) && GetLastError() == ERROR_NOT_OWNER, "third release: ERROR_NOT_OWNER (%lu)",
       (unsigned long)GetLastError());
    ok(run(take_and_exit) == 7, "free mutex is taken by another thread");

    /* ---- abandoned ---- */
    ok(WaitForSingleObject(m, 1000) == WAIT_ABANDONED, "abandoned mutex: WAIT_ABANDONED");
    ok(ReleaseMutex(m), "the waiter owns the abandoned mutex");
    ok(WaitForSingleObject(m, 0) == WAIT_OBJECT_0, "no longer abandoned");
    ok(ReleaseMutex(m), "release");
    ok(run(take_and_exit) == 7, "abandon again");
    e = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE hs[2] = {e, m};
    ok(WaitForMultipleObjects(2, hs, FALSE, 1000) == WAIT_ABANDONED_0 + 1, "wait-any: WAIT_ABANDONED_0 + 1");
    ok(ReleaseMutex(m), "release");

    /* ExitThread while owning also abandons */
    ok(run(take_and_exit_thread) == 9, "thread took the mutex and called ExitThread");
    ok(WaitForSingleObject(m, 1000) == WAIT_ABANDONED, "abandoned through ExitThread");
    ok(ReleaseMutex(m), "release");

    /* wait-all with an abandoned mutex: not satisfied while the event is unset, and the
     * mutex stays abandoned for the wait that takes it */
    ok(run(take_and_exit) == 7, "abandon again");
    ok(WaitForMultipleObjects(2, hs, TRUE, 20) == WAIT_TIMEOUT, "wait-all: event unset, timeout");
    ok(SetEvent(e), "SetEvent");
    DWORD wr = WaitForMultipleObjects(2, hs, TRUE, 1000);
    ok(wr == WAIT_ABANDONED_0, "wait-all taking an abandoned mutex: WAIT_ABANDONED_0 (%#lx)", (unsigned long)wr);
    ok(ReleaseMutex(m), "release");
    ok(ResetEvent(e), "ResetEvent");

    /* a thread blocked on the mutex wakes when the owner releases it */
    ok(WaitForSingleObject(m, 0) == WAIT_OBJECT_0, "main owns");
    HANDLE bt = CreateThread(NULL, 0, wait_blocked, NULL, 0, NULL);
    Sleep(50);
    DWORD bcode = 0;
    ok(GetExitCodeThread(bt, &bcode) && bcode == STILL_ACTIVE, "waiter blocked while main owns");
    ok(ReleaseMutex(m), "main releases");
    ok(WaitForSingleObject(bt, 5000) == WAIT_OBJECT_0 && GetExitCodeThread(bt, &bcode) && bcode == 1,
       "waiter got the mutex (%lu)", (unsigned long)bcode);
    CloseHandle(bt);
    ok(CloseHandle(m), "CloseHandle mutex");
    SetLastError(0xdeadbeef);
    ok(!ReleaseMutex(e) && GetLastError() == ERROR_INVALID_HANDLE, "ReleaseMutex(event): ERROR_INVALID_HANDLE");
    ok(CloseHandle(e), "CloseHandle event");

    /* ---- contention ---- */
    g_mutex = m = CreateMutexA(NULL, FALSE, NULL);
    HANDLE ct[4];
    for (int i = 0; i < 4; i++)
        ct[i] = CreateThread(NULL, 0, contend, NULL, 0, NULL);
    ok(WaitForMultipleObjects(4, ct, TRUE, 15000) == WAIT_OBJECT_0, "contending threads end");
    for (int i = 0; i < 4; i++) {
        DWORD c = 99;
        ok(GetExitCodeThread(ct[i], &c) && c == 0, "contender %d: %lu", i, (unsigned long)c);
        CloseHandle(ct[i]);
    }
    ok(g_counter == 8000 && g_overlap == 0, "mutual exclusion: %ld increments, %ld overlaps", (long)g_counter,
       (long)g_overlap);
    ok(WaitForSingleObject(m, 0) == WAIT_OBJECT_0 && ReleaseMutex(m), "free after the contention");
    CloseHandle(m);

    /* ---- CreateMutexEx ---- */
    m = CreateMutexExA(NULL, NULL, CREATE_MUTEX_INITIAL_OWNER, MUTEX_ALL_ACCESS);
    ok(m != NULL, "CreateMutexExA initial owner");
    g_mutex = m;
    ok(run(try_release) == 3, "CreateMutexEx owner flag honoured");
    ok(ReleaseMutex(m), "release");
    CloseHandle(m);

    /* ---- names ---- */
    snprintf(name, sizeof name, "ws2-sync-mutex-%lu", (unsigned long)GetCurrentThreadId());
    snprintf(other, sizeof other, "ws2-sync-none-%lu", (unsigned long)GetCurrentThreadId());
    SetLastError(0xdeadbeef);
    m = CreateMutexA(NULL, FALSE, name);
    ok(m != NULL && GetLastError() == 0, "new named mutex: last error 0 (%lu)", (unsigned long)GetLastError());
    SetLastError(0xdeadbeef);
    m2 = CreateMutexA(NULL, FALSE, name);
    ok(m2 != NULL && m2 != m && GetLastError() == ERROR_ALREADY_EXISTS, "same name: ERROR_ALREADY_EXISTS (%lu)",
       (unsigned long)GetLastError());
    ok(WaitForSingleObject(m, 0) == WAIT_OBJECT_0, "take through the first handle");
    ok(ReleaseMutex(m2), "release through the second handle: same object");
    SetLastError(0xdeadbeef);
    e = CreateEventA(NULL, TRUE, FALSE, name);
    ok(e == NULL && GetLastError() == ERROR_INVALID_HANDLE, "event with a mutex's name: ERROR_INVALID_HANDLE (%lu)",
       (unsigned long)GetLastError());
    SetLastError(0xdeadbeef);
    s = CreateSemaphoreA(NULL, 0, 1, name);
    ok(s == NULL && GetLastError() == ERROR_INVALID_HANDLE, "semaphore with a mutex's name: ERROR_INVALID_HANDLE");
    HANDLE o = OpenMutexA(MUTEX_ALL_ACCESS, FALSE, name);
    ok(o != NULL, "OpenMutexA finds it");
    ok(WaitForSingleObject(o, 0) == WAIT_OBJECT_0 && ReleaseMutex(m), "opened handle names the same mutex");
    CloseHandle(o);
    SetLastError(0xdeadbeef);
    ok(OpenMutexA(MUTEX_ALL_ACCESS, FALSE, other) == NULL && GetLastError() == ERROR_FILE_NOT_FOUND,
       "OpenMutexA unknown name: ERROR_FILE_NOT_FOUND (%lu)", (unsigned long)GetLastError());
    CloseHandle(m);
    CloseHandle(m2);
    SetLastError(0xdeadbeef);
    ok(OpenMutexA(MUTEX_ALL_ACCESS, FALSE, name) == NULL && GetLastError() == ERROR_FILE_NOT_FOUND,
       "the name went with the last handle");

    /* named events: same object, W name */
    WCHAR wname[64];
    snprintf(name, sizeof name, "ws2-sync-event-%lu", (unsigned long)GetCurrentThreadId());
    tu_widen(wname, name);
    e = CreateEventA(NULL, TRUE, FALSE, name);
    ok(e != NULL, "named event");
    SetLastError(0xdeadbeef);
    HANDLE e2 = CreateEventW(NULL, FALSE, FALSE, wname);
    ok(e2 != NULL && GetLastError() == ERROR_ALREADY_EXISTS, "CreateEventW with the same name: ERROR_ALREADY_EXISTS");
    ok(SetEvent(e2), "SetEvent through the second handle");
    ok(WaitForSingleObject(e, 0) == WAIT_OBJECT_0, "first handle sees it");
    ok(WaitForSingleObject(e, 0) == WAIT_OBJECT_0, "still manual reset (existing object kept its type)");
    HANDLE e3 = OpenEventA(EVENT_ALL_ACCESS, FALSE, name);
    ok(e3 != NULL && ResetEvent(e3) && WaitForSingleObject(e, 0) == WAIT_TIMEOUT, "OpenEventA: same event");
    SetLastError(0xdeadbeef);
    ok(OpenMutexA(MUTEX_ALL_ACCESS, FALSE, name) == NULL && GetLastError() == ERROR_INVALID_HANDLE,
       "OpenMutexA of an event's name: ERROR_INVALID_HANDLE (%lu)", (unsigned long)GetLastError());
    CloseHandle(e3);
    CloseHandle(e2);
    CloseHandle(e);

    /* namespaces: "Local\\x" is "x"; "Global\\x" is another object; other backslashes name
     * a directory that does not exist (ERROR_PATH_NOT_FOUND) */
    char local[96], global[96], bad[96];
    snprintf(name, sizeof name, "ws2-sync-ns-%lu", (unsigned long)GetCurrentThreadId());
    snprintf(local, sizeof local, "Local\\%s", name);
    snprintf(global, sizeof global, "Global\\%s", name);
    snprintf(bad, sizeof bad, "nodir\\%s", name);
    m = CreateMutexA(NULL, FALSE, name);
    SetLastError(0xdeadbeef);
    m2 = CreateMutexA(NULL, FALSE, local);
    ok(m2 != NULL && GetLastError() == ERROR_ALREADY_EXISTS, "Local\\ prefix: same object (%lu)", (unsigned long)GetLastError());
    SetLastError(0xdeadbeef);
    HANDLE g = CreateMutexA(NULL, FALSE, global);
    ok(g != NULL && GetLastError() == 0, "Global\\ prefix: another object (%lu)", (unsigned long)GetLastError());
    SetLastError(0xdeadbeef);
    ok(CreateMutexA(NULL, FALSE, bad) == NULL && GetLastError() == ERROR_PATH_NOT_FOUND,
       "unknown directory: ERROR_PATH_NOT_FOUND (%lu)", (unsigned long)GetLastError());
    CloseHandle(g);
    CloseHandle(m2);
    CloseHandle(m);

    /* W mutex */
    snprintf(name, sizeof name, "ws2-sync-wmutex-%lu", (unsigned long)GetCurrentThreadId());
    tu_widen(wname, name);
    m = CreateMutexW(NULL, TRUE, wname);
    ok(m != NULL, "CreateMutexW");
    m2 = OpenMutexW(SYNCHRONIZE, FALSE, wname);
    ok(m2 != NULL && ReleaseMutex(m2), "OpenMutexW names the owned mutex");
    CloseHandle(m2);
    CloseHandle(m);
    return test_done();
}
