/* Semaphores and mixed waits: CreateSemaphoreA/W/ExA, ReleaseSemaphore, OpenSemaphoreA, and
 * WaitForSingleObject / WaitForMultipleObjects over events, mutexes, semaphores and threads.
 * - A wait takes one unit of a semaphore's count; ReleaseSemaphore adds lReleaseCount and
 *   gives the previous count; a release that would pass the maximum fails with
 *   ERROR_TOO_MANY_POSTS and leaves the count as it was; an initial count below 0 or above
 *   the maximum, or a maximum <= 0, fails with ERROR_INVALID_PARAMETER (MS docs
 *   CreateSemaphoreW, ReleaseSemaphore).
 * - Wait-any reports the lowest satisfied index; wait-all takes every object at once (an
 *   auto-reset event is reset, a semaphore decremented, a mutex owned) and, while not
 *   satisfied, takes nothing (MS docs WaitForMultipleObjects).
 * - A release by another thread ends a wait. */
#define TU_WATCHDOG_MS 20000
#include "testutil.h"
#include <stdio.h>

static HANDLE g_sem, g_mutex;

static DWORD WINAPI release_later(LPVOID p)
{
    (void)p;
    Sleep(50);
    return ReleaseSemaphore(g_sem, 1, NULL) ? 0 : 1;
}

static DWORD WINAPI quick(LPVOID p)
{
    (void)p;
    return 5;
}

static DWORD WINAPI mutex_free_elsewhere(LPVOID p)
{
    (void)p;
    return WaitForSingleObject(g_mutex, 0);
}

int main(void)
{
    LONG prev = -5;
    HANDLE s = CreateSemaphoreA(NULL, 2, 3, NULL);
    ok(s != NULL, "CreateSemaphoreA(2, 3)");
    ok(WaitForSingleObject(s, 0) == WAIT_OBJECT_0, "take 1");
    ok(WaitForSingleObject(s, 0) == WAIT_OBJECT_0, "take 2");
    ok(WaitForSingleObject(s, 0) == WAIT_TIMEOUT, "count 0: timeout");
    ok(ReleaseSemaphore(s, 1, &prev) && prev == 0, "release 1, previous 0 (%ld)", (long)prev);
    prev = -5;
    SetLastError(0xdeadbeef);
    ok(!ReleaseSemaphore(s, 3, &prev) && GetLastError() == ERROR_TOO_MANY_POSTS,
       "1 + 3 > 3: ERROR_TOO_MANY_POSTS (%lu)", (unsigned long)GetLastError());
    /* lReleaseCount must be greater than zero (MS docs ReleaseSemaphore); the kernel refuses
     * other counts with STATUS_INVALID_PARAMETER before it looks at the handle. Wine deviates
     * (0 succeeds, -1 gives ERROR_TOO_MANY_POSTS), so these two checks are skipped under
     * Wine. */
    if (!tu_on_wine()) {
        BOOL r;
        SetLastError(0xdeadbeef);
        r = ReleaseSemaphore(s, 0, NULL);
        ok(!r && GetLastError() == ERROR_INVALID_PARAMETER, "release count 0: %d, ERROR_INVALID_PARAMETER (%lu)", r,
           (unsigned long)GetLastError());
        SetLastError(0xdeadbeef);
        r = ReleaseSemaphore(s, -1, NULL);
        ok(!r && GetLastError() == ERROR_INVALID_PARAMETER, "release count -1: %d, ERROR_INVALID_PARAMETER (%lu)", r,
           (unsigned long)GetLastError());
    }
    ok(ReleaseSemaphore(s, 2, &prev) && prev == 1, "failed release changed nothing: previous 1 (%ld)", (long)prev);
    ok(WaitForSingleObject(s, 0) == WAIT_OBJECT_0 && WaitForSingleObject(s, 0) == WAIT_OBJECT_0 &&
           WaitForSingleObject(s, 0) == WAIT_OBJECT_0 && WaitForSingleObject(s, 0) == WAIT_TIMEOUT,
       "count was 3");
    SetLastError(0xdeadbeef);
    ok(!ReleaseMutex(s) && GetLastError() == ERROR_INVALID_HANDLE, "ReleaseMutex(semaphore): ERROR_INVALID_HANDLE");

    SetLastError(0xdeadbeef);
    ok(CreateSemaphoreA(NULL, -1, 1, NULL) == NULL && GetLastError() == ERROR_INVALID_PARAMETER, "initial -1");
    SetLastError(0xdeadbeef);
    ok(CreateSemaphoreA(NULL, 2, 1, NULL) == NULL && GetLastError() == ERROR_INVALID_PARAMETER, "initial > max");
    SetLastError(0xdeadbeef);
    ok(CreateSemaphoreA(NULL, 0, 0, NULL) == NULL && GetLastError() == ERROR_INVALID_PARAMETER, "max 0");
    SetLastError(0xdeadbeef);
    ok(CreateSemaphoreW(NULL, 0, -3, NULL) == NULL && GetLastError() == ERROR_INVALID_PARAMETER, "max < 0 (W)");

    /* a release by another thread ends the wait */
    g_sem = s;
    HANDLE t = CreateThread(NULL, 0, release_later, NULL, 0, NULL);
    ok(WaitForSingleObject(s, 5000) == WAIT_OBJECT_0, "woken by ReleaseSemaphore in another thread");
    ok(WaitForSingleObject(t, 5000) == WAIT_OBJECT_0, "releaser ends");
    CloseHandle(t);
    ok(CloseHandle(s), "CloseHandle semaphore");

    /* Ex and names */
    char name[64];
    snprintf(name, sizeof name, "ws2-sync-sem-%lu", (unsigned long)GetCurrentThreadId());
    s = CreateSemaphoreExA(NULL, 1, 5, name, 0, SEMAPHORE_ALL_ACCESS);
    ok(s != NULL, "CreateSemaphoreExA named");
    SetLastError(0xdeadbeef);
    HANDLE s2 = CreateSemaphoreA(NULL, 0, 1, name);
    ok(s2 != NULL && GetLastError() == ERROR_ALREADY_EXISTS, "same name: ERROR_ALREADY_EXISTS");
    HANDLE s3 = OpenSemaphoreA(SEMAPHORE_ALL_ACCESS, FALSE, name);
    ok(s3 != NULL, "OpenSemaphoreA");
    ok(ReleaseSemaphore(s3, 4, &prev) && prev == 1, "one object: previous 1 (%ld)", (long)prev);
    ok(!ReleaseSemaphore(s2, 1, NULL) && GetLastError() == ERROR_TOO_MANY_POSTS, "maximum 5 kept from the first create");
    CloseHandle(s3);
    CloseHandle(s2);
    CloseHandle(s);

    /* ---- mixed waits ---- */
    HANDLE ev = CreateEventA(NULL, FALSE, FALSE, NULL); /* auto reset, not set */
    HANDLE sem = CreateSemaphoreA(NULL, 1, 1, NULL);
    HANDLE mx = CreateMutexA(NULL, FALSE, NULL);
    HANDLE th = CreateThread(NULL, 0, quick, NULL, 0, NULL);
    ok(ev && sem && mx && th, "objects");
    HANDLE two[2] = {ev, sem};
    ok(WaitForMultipleObjects(2, two, TRUE, 50) == WAIT_TIMEOUT, "wait-all, event not set: timeout");
    ok(WaitForMultipleObjects(2, two, FALSE, 0) == WAIT_OBJECT_0 + 1, "wait-any: the semaphore, index 1");
    ok(WaitForSingleObject(sem, 0) == WAIT_TIMEOUT, "wait-any took one unit");
    ok(ReleaseSemaphore(sem, 1, NULL), "put it back");
    ok(WaitForMultipleObjects(2, two, TRUE, 0) == WAIT_TIMEOUT, "unsatisfied wait-all");
    ok(WaitForSingleObject(sem, 0) == WAIT_OBJECT_0, "unsatisfied wait-all took nothing");
    ok(ReleaseSemaphore(sem, 1, NULL), "put it back");
    ok(SetEvent(ev), "SetEvent");
    HANDLE four[4] = {ev, sem, mx, th};
    ok(WaitForMultipleObjectsEx(4, four, TRUE, 5000, FALSE) == WAIT_OBJECT_0, "wait-all of event, semaphore, mutex, thread");
    ok(WaitForSingleObject(ev, 0) == WAIT_TIMEOUT, "auto-reset event consumed");
    ok(WaitForSingleObject(sem, 0) == WAIT_TIMEOUT, "semaphore decremented");
    g_mutex = mx;
    HANDLE t2 = CreateThread(NULL, 0, mutex_free_elsewhere, NULL, 0, NULL);
    DWORD code = 0;
    ok(WaitForSingleObject(t2, 5000) == WAIT_OBJECT_0 && GetExitCodeThread(t2, &code) && code == WAIT_TIMEOUT,
       "mutex owned by the wait-all caller (%lu)", (unsigned long)code);
    CloseHandle(t2);
    ok(ReleaseMutex(mx), "wait-all caller releases the mutex");
    ok(WaitForSingleObjectEx(th, 0, TRUE) == WAIT_OBJECT_0, "thread handle stays signalled");
    CloseHandle(th);
    CloseHandle(mx);
    CloseHandle(sem);
    CloseHandle(ev);
    return test_done();
}
