/* GetSystemInfo layout and values as Windows x64 gives them, the tick count, the performance
 * counter, the system time as a FILETIME, the current process. */
#include "testutil.h"
#include <stddef.h>
#include <time.h>

static int popcount64(ULONG_PTR m)
{
    int n = 0;
    while (m) {
        n += (int)(m & 1);
        m >>= 1;
    }
    return n;
}

int main(void)
{
    SYSTEM_INFO si, nsi;
    ULONGLONG t64a, t64b;
    DWORD t32;
    LARGE_INTEGER f, f2, c1, c2;
    FILETIME ft;
    ULONGLONG ftv, unix_100ns;
    DWORD start;

    ok(sizeof(SYSTEM_INFO) == 48, "sizeof(SYSTEM_INFO) %u", (unsigned)sizeof(SYSTEM_INFO));
    ok(offsetof(SYSTEM_INFO, dwPageSize) == 4, "dwPageSize offset");
    ok(offsetof(SYSTEM_INFO, lpMinimumApplicationAddress) == 8, "lpMinimumApplicationAddress offset");
    ok(offsetof(SYSTEM_INFO, dwActiveProcessorMask) == 24, "dwActiveProcessorMask offset");
    ok(offsetof(SYSTEM_INFO, dwNumberOfProcessors) == 32, "dwNumberOfProcessors offset");
    ok(offsetof(SYSTEM_INFO, dwProcessorType) == 36, "dwProcessorType offset");
    ok(offsetof(SYSTEM_INFO, dwAllocationGranularity) == 40, "dwAllocationGranularity offset");
    ok(offsetof(SYSTEM_INFO, wProcessorLevel) == 44, "wProcessorLevel offset");
    ok(offsetof(SYSTEM_INFO, wProcessorRevision) == 46, "wProcessorRevision offset");
    ok(PROCESSOR_ARCHITECTURE_AMD64 == 9 && PROCESSOR_AMD_X8664 == 8664, "constants");

    memset(&si, 0xcc, sizeof(si));
    GetSystemInfo(&si);
    ok(si.wProcessorArchitecture == PROCESSOR_ARCHITECTURE_AMD64, "architecture %u",
       si.wProcessorArchitecture);
    ok(si.dwPageSize == 4096, "page size %lu", (unsigned long)si.dwPageSize);
    ok(si.dwAllocationGranularity == 65536, "granularity %lu", (unsigned long)si.dwAllocationGranularity);
    ok(si.lpMinimumApplicationAddress == (LPVOID)0x10000, "min address %p", si.lpMinimumApplicationAddress);
    ok((ULONG_PTR)si.lpMaximumApplicationAddress >= 0x7ffffffeffffULL, "max address %p",
       si.lpMaximumApplicationAddress);
    ok(si.dwNumberOfProcessors >= 1 && si.dwNumberOfProcessors <= 64, "processors %lu",
       (unsigned long)si.dwNumberOfProcessors);
    ok(popcount64(si.dwActiveProcessorMask) == (int)si.dwNumberOfProcessors,
       "mask %llx for %lu processors", (unsigned long long)si.dwActiveProcessorMask,
       (unsigned long)si.dwNumberOfProcessors);
    ok(si.dwProcessorType == PROCESSOR_AMD_X8664, "processor type %lu", (unsigned long)si.dwProcessorType);
    ok(si.wProcessorLevel >= 6, "processor level %u", si.wProcessorLevel);

    memset(&nsi, 0xcc, sizeof(nsi));
    GetNativeSystemInfo(&nsi);
    ok(nsi.wProcessorArchitecture == si.wProcessorArchitecture && nsi.dwPageSize == si.dwPageSize &&
           nsi.dwNumberOfProcessors == si.dwNumberOfProcessors &&
           nsi.wProcessorLevel == si.wProcessorLevel && nsi.wProcessorRevision == si.wProcessorRevision,
       "GetNativeSystemInfo differs from GetSystemInfo");

    /* Tick counts: milliseconds, the 32-bit one the low half of the 64-bit one. */
    t64a = GetTickCount64();
    t32 = GetTickCount();
    ok((DWORD)(t32 - (DWORD)t64a) < 1000, "GetTickCount %lu vs GetTickCount64 %llu", (unsigned long)t32, t64a);
    /* Read on the tick count, the interval may fall short by TU_CLOCK_SLACK_MS (testutil.h). */
    Sleep(100);
    t64b = GetTickCount64();
    ok(t64b - t64a + TU_CLOCK_SLACK_MS >= 100 && t64b - t64a < 2000, "100 ms sleep measured as %llu ms", t64b - t64a);

    /* Performance counter: constant frequency, monotonic counter. */
    ok(QueryPerformanceFrequency(&f) == TRUE && f.QuadPart > 0, "QueryPerformanceFrequency");
    ok(QueryPerformanceFrequency(&f2) && f2.QuadPart == f.QuadPart, "frequency changed");
    ok(QueryPerformanceCounter(&c1) == TRUE, "QueryPerformanceCounter");
    start = GetTickCount();
    while (GetTickCount() - start < 50)
        ;
    ok(QueryPerformanceCounter(&c2) && c2.QuadPart > c1.QuadPart, "counter did not move");
    ok((c2.QuadPart - c1.QuadPart) * 1000 / f.QuadPart + TU_CLOCK_SLACK_MS >= 50 &&
           (c2.QuadPart - c1.QuadPart) * 1000 / f.QuadPart < 2000,
       "50 ms measured as %lld ms", (long long)((c2.QuadPart - c1.QuadPart) * 1000 / f.QuadPart));

    /* FILETIME: 100 ns units since 1601; compare with the C library's time(). */
    GetSystemTimeAsFileTime(&ft);
    ftv = ((ULONGLONG)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
    unix_100ns = (ULONGLONG)time(NULL) * 10000000ULL;
    ok(ftv > 116444736000000000ULL, "FILETIME %llu before 1970", ftv);
    if (ftv > 116444736000000000ULL) {
        ULONGLONG d = ftv - 116444736000000000ULL;
        ULONGLONG diff = d > unix_100ns ? d - unix_100ns : unix_100ns - d;
        ok(diff < 50000000ULL, "FILETIME and time() differ by %llu x 100 ns", diff);
    }

    ok(GetCurrentProcessId() != 0, "GetCurrentProcessId");
    ok(GetCurrentProcess() == (HANDLE)(LONG_PTR)-1, "GetCurrentProcess %p", (void *)GetCurrentProcess());
#ifndef _WIN32
    ok(GetCurrentProcessId() == (DWORD)getpid(), "GetCurrentProcessId is the pid");
#endif
    return test_done();
}
