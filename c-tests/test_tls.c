/* Thread-local storage slots and SwitchToThread.
 * - TlsAlloc gives an index whose value is 0 in every thread; TlsGetValue returns the calling
 *   thread's value and sets the last error to ERROR_SUCCESS, so a stored 0 is told from a
 *   failure; each thread has its own value (MS docs TlsAlloc, TlsGetValue, TlsSetValue).
 * - A process has at least TLS_MINIMUM_AVAILABLE (64) indexes, 1088 on current Windows; when
 *   none is left TlsAlloc returns TLS_OUT_OF_INDEXES (MS docs "Thread Local Storage").
 * - TlsFree of an index that is not allocated, and TlsGetValue/TlsSetValue of an index beyond
 *   the slots, fail with ERROR_INVALID_PARAMETER.
 * - An index freed and allocated again reads 0 in every thread.
 * - SwitchToThread does not touch the last error. */
#define TU_WATCHDOG_MS 20000
#include "testutil.h"

static DWORD g_idx;

static DWORD WINAPI other(LPVOID p)
{
    (void)p;
    DWORD r = 0;
    SetLastError(0xdeadbeef);
    if (TlsGetValue(g_idx) == NULL && GetLastError() == ERROR_SUCCESS)
        r |= 1;
    if (TlsSetValue(g_idx, (LPVOID)(ULONG_PTR)0x5678) && TlsGetValue(g_idx) == (LPVOID)(ULONG_PTR)0x5678)
        r |= 2;
    return r;
}

static DWORD run(void)
{
    DWORD code = 0;
    HANDLE t = CreateThread(NULL, 0, other, NULL, 0, NULL);
    WaitForSingleObject(t, 5000);
    GetExitCodeThread(t, &code);
    CloseHandle(t);
    return code;
}

static DWORD g_all[2000];

int main(void)
{
    g_idx = TlsAlloc();
    ok(g_idx != TLS_OUT_OF_INDEXES, "TlsAlloc");
    SetLastError(0xdeadbeef);
    ok(TlsGetValue(g_idx) == NULL && GetLastError() == ERROR_SUCCESS, "fresh slot: NULL, ERROR_SUCCESS");
    ok(TlsSetValue(g_idx, (LPVOID)(ULONG_PTR)0x1234), "TlsSetValue");
    SetLastError(0xdeadbeef);
    ok(TlsGetValue(g_idx) == (LPVOID)(ULONG_PTR)0x1234 && GetLastError() == ERROR_SUCCESS, "value back");
    ok(run() == 3, "another thread starts at NULL and has its own value");
    ok(TlsGetValue(g_idx) == (LPVOID)(ULONG_PTR)0x1234, "ours unchanged");

    SetLastError(0xdeadbeef);
    ok(TlsGetValue(5000) == NULL && GetLastError() == ERROR_INVALID_PARAMETER, "TlsGetValue(5000): ERROR_INVALID_PARAMETER");
    SetLastError(0xdeadbeef);
    ok(!TlsSetValue(5000, NULL) && GetLastError() == ERROR_INVALID_PARAMETER, "TlsSetValue(5000): ERROR_INVALID_PARAMETER");
    SetLastError(0xdeadbeef);
    ok(!TlsFree(5000) && GetLastError() == ERROR_INVALID_PARAMETER, "TlsFree(5000): ERROR_INVALID_PARAMETER");

    ok(TlsFree(g_idx), "TlsFree");
    SetLastError(0xdeadbeef);
    ok(!TlsFree(g_idx) && GetLastError() == ERROR_INVALID_PARAMETER, "double TlsFree: ERROR_INVALID_PARAMETER (%lu)",
       (unsigned long)GetLastError());

    /* exhaust: at least 1088 - (indexes the runtime holds) */
    int n = 0;
    DWORD i;
    while (n < 2000 && (i = TlsAlloc()) != TLS_OUT_OF_INDEXES)
        g_all[n++] = i;
    ok(n >= 1088 - 16 && n <= 1088, "indexes: %d (Windows: 1088 per process)", n);
    ok(n < 2000 && TlsAlloc() == TLS_OUT_OF_INDEXES, "then TLS_OUT_OF_INDEXES");
    int distinct = 1;
    for (int k = 0; k < n; k++)
        if (g_all[k] >= 1088)
            distinct = 0;
    ok(distinct, "every index below 1088");
    for (int k = 0; k < n; k++)
        TlsSetValue(g_all[k], (LPVOID)(ULONG_PTR)(k + 1));
    ok(TlsGetValue(g_all[n - 1]) == (LPVOID)(ULONG_PTR)n, "the last slot holds its value");
    DWORD reuse = g_all[n / 2];
    ok(TlsFree(reuse), "free one");
    g_idx = TlsAlloc();
    ok(g_idx == reuse, "freed index handed out again");
    SetLastError(0xdeadbeef);
    ok(TlsGetValue(g_idx) == NULL && GetLastError() == ERROR_SUCCESS, "reallocated index reads NULL");
    ok(run() == 3, "and NULL in another thread");
    for (int k = 0; k < n; k++)
        ok(TlsFree(g_all[k]), "free %d", k);

    SetLastError(0xdeadbeef);
    SwitchToThread();
    ok(GetLastError() == 0xdeadbeef, "SwitchToThread leaves the last error alone");
    return test_done();
}
