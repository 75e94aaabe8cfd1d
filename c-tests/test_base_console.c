/* GetStdHandle, WriteConsoleA/W and GetConsoleMode: the standard handles are distinct and
 * valid, an unknown id fails with ERROR_INVALID_HANDLE, console writes to a redirected handle
 * fail with ERROR_INVALID_HANDLE; on our side a terminal (a pseudo-terminal made by the test)
 * receives the text, UTF-16 written as UTF-8, and the count is in characters. */
#ifndef _WIN32
#define _XOPEN_SOURCE 700
#endif
#include "testutil.h"
#ifndef _WIN32
#include <fcntl.h>
#include <unistd.h>
#endif

int main(void)
{
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE), out = GetStdHandle(STD_OUTPUT_HANDLE),
           err = GetStdHandle(STD_ERROR_HANDLE), bad;
    DWORD n = 0xdeadbeef, mode = 0xdeadbeef;

    ok(STD_INPUT_HANDLE == (DWORD)-10 && STD_OUTPUT_HANDLE == (DWORD)-11 && STD_ERROR_HANDLE == (DWORD)-12,
       "STD_*_HANDLE values");
    ok(out != INVALID_HANDLE_VALUE && out != NULL, "GetStdHandle(STD_OUTPUT_HANDLE) %p", out);
    ok(err != INVALID_HANDLE_VALUE && err != NULL && err != out, "GetStdHandle(STD_ERROR_HANDLE) %p", err);
    ok(in != INVALID_HANDLE_VALUE && in != out && in != err, "GetStdHandle(STD_INPUT_HANDLE) %p", in);
    ok(GetStdHandle(STD_OUTPUT_HANDLE) == out, "GetStdHandle not stable");
    SetLastError(0xdeadbeef);
    bad = GetStdHandle((DWORD)-13);
    ok(bad == INVALID_HANDLE_VALUE && GetLastError() == ERROR_INVALID_HANDLE, "GetStdHandle(-13): %p error %lu",
       bad, (unsigned long)GetLastError());

    /* Redirected output (ctest captures it) is no console. */
    if (!tu_isatty(1)) {
        SetLastError(0xdeadbeef);
        ok(WriteConsoleA(out, "x", 1, &n, NULL) == FALSE && GetLastError() == ERROR_INVALID_HANDLE,
           "WriteConsoleA to a redirected handle: error %lu", (unsigned long)GetLastError());
        SetLastError(0xdeadbeef);
        ok(GetConsoleMode(out, &mode) == FALSE && GetLastError() == ERROR_INVALID_HANDLE,
           "GetConsoleMode of a redirected handle: error %lu", (unsigned long)GetLastError());
    }

#ifndef _WIN32
    {
        /* Put a pseudo-terminal behind standard output and read what the console calls write. */
        int master = posix_openpt(O_RDWR | O_NOCTTY), slave = -1, saved = dup(1);
        char got[64];
        ssize_t r;
        size_t have = 0;
        WCHAR w[4];
        if (master >= 0 && grantpt(master) == 0 && unlockpt(master) == 0)
            slave = open(ptsname(master), O_RDWR | O_NOCTTY);
        ok(slave >= 0, "pseudo-terminal");
        if (slave >= 0) {
            fflush(stdout);
            dup2(slave, 1);
            n = 0;
            ok(WriteConsoleA(out, "hello", 5, &n, NULL) == TRUE && n == 5, "WriteConsoleA: n %lu error %lu",
               (unsigned long)n, (unsigned long)GetLastError());
            w[0] = 0x00e9; /* e acute: 2 bytes of UTF-8 */
            w[1] = 0x20ac; /* euro sign: 3 bytes */
            w[2] = '!';
            n = 0;
            ok(WriteConsoleW(out, w, 3, &n, NULL) == TRUE && n == 3, "WriteConsoleW: n %lu", (unsigned long)n);
            ok(GetConsoleMode(out, &mode) == TRUE &&
                   (mode & (ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT)) ==
                       (ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT),
               "GetConsoleMode(terminal) %lx", (unsigned long)mode);
            dup2(saved, 1);
            {
                unsigned long long t0 = tu_now_ms();
                fcntl(master, F_SETFL, O_NONBLOCK);
                while (have < 11 && tu_now_ms() - t0 < 2000) {
                    r = read(master, got + have, sizeof(got) - 1 - have);
                    if (r > 0)
                        have += (size_t)r;
                    else
                        tu_sleep_ms(10);
                }
            }
            got[have] = 0;
            ok(have == 11 && memcmp(got, "hello\xc3\xa9\xe2\x82\xac!", 11) == 0, "terminal got %u bytes \"%s\"",
               (unsigned)have, got);
            close(slave);
        }
        if (master >= 0)
            close(master);
        close(saved);
    }
#endif
    return test_done();
}
