/* Windows macros and keywords: _countof, min/max, UNREFERENCED_PARAMETER, __declspec(thread)
 * (one variable per thread), SUCCEEDED/FAILED and S_OK. */
#include "testutil.h"

/* Windows code spells a thread-local variable __declspec(thread) (MSVC). mingw's GCC ignores that
 * attribute (a compiler limitation, not Windows behaviour) and spells it __thread: the Wine build
 * uses that spelling, so both sides check the same per-thread semantics. */
#if defined(_WIN32) && defined(__GNUC__)
#define T_THREAD_LOCAL __thread
#else
#define T_THREAD_LOCAL __declspec(thread)
#endif

static T_THREAD_LOCAL int tls_counter;
T_THREAD_LOCAL int tls_shared_name = 5;

static DWORD WINAPI thread_main(LPVOID arg)
{
    int k;
    UNREFERENCED_PARAMETER(arg);
    /* A new thread starts with the initial values, whatever the main thread did. */
    if (tls_counter != 0 || tls_shared_name != 5)
        return 1;
    for (k = 0; k < 1000; k++)
        tls_counter++;
    tls_shared_name = 7;
    return tls_counter == 1000 && tls_shared_name == 7 ? 0 : 2;
}

static int unused_param(int a, int b)
{
    UNREFERENCED_PARAMETER(b);
    return a;
}

static void test_macros(void)
{
    int arr[17];
    char name[MAX_PATH];
    HRESULT ok_hr = S_OK, bad_hr = (HRESULT)0x80070057;

    ok(_countof(arr) == 17, "_countof int[17]");
    ok(_countof(name) == 260, "_countof char[MAX_PATH]");
    ok(ARRAYSIZE(arr) == 17, "ARRAYSIZE");
    ok(min(3, 9) == 3 && max(3, 9) == 9, "min/max");
    ok(min(-1, 1) == -1 && max(-5, -7) == -5, "min/max negative");
    ok(unused_param(4, 5) == 4, "UNREFERENCED_PARAMETER");
    ok(S_OK == 0, "S_OK is 0");
    ok(SUCCEEDED(ok_hr) && !FAILED(ok_hr), "SUCCEEDED(S_OK)");
    ok(SUCCEEDED((HRESULT)1) && !FAILED((HRESULT)1), "S_FALSE succeeds");
    ok(FAILED(bad_hr) && !SUCCEEDED(bad_hr), "FAILED(0x80070057)");
}

static void test_thread_local(void)
{
    HANDLE th;
    DWORD code = 99;

    tls_counter = 123;
    tls_shared_name = 11;
    th = CreateThread(NULL, 0, thread_main, NULL, 0, NULL);
    ok(th != NULL, "CreateThread: %lu", (unsigned long)GetLastError());
    if (!th)
        return;
    ok(WaitForSingleObject(th, 10000) == WAIT_OBJECT_0, "thread exits");
    ok(GetExitCodeThread(th, &code) && code == 0, "the thread saw its own variables: %lu", (unsigned long)code);
    CloseHandle(th);
    ok(tls_counter == 123 && tls_shared_name == 11, "the main thread's values are untouched: %d %d", tls_counter,
       tls_shared_name);
}

int main(void)
{
    test_macros();
    test_thread_local();
    return test_done();
}
