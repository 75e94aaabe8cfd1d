/* GetConsoleMode and SetConsoleMode (MS docs GetConsoleMode, SetConsoleMode).
 * - A handle that is no console (a disk file, INVALID_HANDLE_VALUE, redirected standard input or
 *   output) fails with ERROR_INVALID_HANDLE for both.
 * - On our side a terminal (a pseudo-terminal made by the test, put behind standard input and
 *   output) is the console: input modes map onto its settings (ENABLE_PROCESSED_INPUT = ISIG,
 *   ENABLE_LINE_INPUT = ICANON, ENABLE_ECHO_INPUT = ECHO) and read back; echo without line
 *   input and unknown input bits fail with ERROR_INVALID_PARAMETER although, as in the Windows
 *   console host, the mode is applied; output modes are kept and read back, unknown output bits
 *   fail with ERROR_INVALID_PARAMETER and change nothing. */
#ifndef _WIN32
#define _XOPEN_SOURCE 700
#endif
#include "testutil.h"
#ifndef _WIN32
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>
#endif

#define CHECK_FAIL(call, err)                                                                    \
    do {                                                                                         \
        BOOL r_;                                                                                 \
        SetLastError(0xdeadbeef);                                                                \
        r_ = (call);                                                                             \
        ok(r_ == FALSE && GetLastError() == (DWORD)(err), "%s: got %d error %lu, want FALSE %lu", #call, \
           (int)r_, (unsigned long)GetLastError(), (unsigned long)(err));                        \
    } while (0)

int main(void)
{
    char dir[MAX_PATH], path[MAX_PATH];
    DWORD mode = 0xdeadbeef;
    HANDLE f, out = GetStdHandle(STD_OUTPUT_HANDLE);

    /* A disk file is no console. */
    ok(GetTempPathA(sizeof(dir), dir) > 0, "GetTempPathA: error %lu", (unsigned long)GetLastError());
    ok(GetTempFileNameA(dir, "ws2", 0, path) != 0, "GetTempFileNameA: error %lu", (unsigned long)GetLastError());
    f = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    ok(f != INVALID_HANDLE_VALUE, "CreateFileA: %lu", (unsigned long)GetLastError());
    if (f != INVALID_HANDLE_VALUE) {
        CHECK_FAIL(GetConsoleMode(f, &mode), ERROR_INVALID_HANDLE);
        ok(mode == 0xdeadbeef, "mode untouched: %lx", (unsigned long)mode);
        CHECK_FAIL(SetConsoleMode(f, ENABLE_PROCESSED_INPUT | ENABLE_LINE_INPUT), ERROR_INVALID_HANDLE);
        CHECK_FAIL(SetConsoleMode(f, ENABLE_PROCESSED_OUTPUT), ERROR_INVALID_HANDLE);
        CHECK_FAIL(SetConsoleMode(f, 0), ERROR_INVALID_HANDLE);
        CloseHandle(f);
    }
    DeleteFileA(path);
    CHECK_FAIL(GetConsoleMode(INVALID_HANDLE_VALUE, &mode), ERROR_INVALID_HANDLE);
    CHECK_FAIL(SetConsoleMode(INVALID_HANDLE_VALUE, ENABLE_PROCESSED_OUTPUT), ERROR_INVALID_HANDLE);

    /* Redirected output (ctest captures it) is no console: the handle is checked before the
     * mode, so even an invalid mode gives ERROR_INVALID_HANDLE. */
    if (!tu_isatty(1)) {
        CHECK_FAIL(GetConsoleMode(out, &mode), ERROR_INVALID_HANDLE);
        CHECK_FAIL(SetConsoleMode(out, ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT), ERROR_INVALID_HANDLE);
        CHECK_FAIL(SetConsoleMode(out, 0x8000), ERROR_INVALID_HANDLE);
    }
    if (!tu_isatty(0)) {
        HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
        CHECK_FAIL(GetConsoleMode(in, &mode), ERROR_INVALID_HANDLE);
        CHECK_FAIL(SetConsoleMode(in, ENABLE_PROCESSED_INPUT | ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT),
                   ERROR_INVALID_HANDLE);
        CHECK_FAIL(SetConsoleMode(in, ENABLE_ECHO_INPUT), ERROR_INVALID_HANDLE);
    }

#ifndef _WIN32
    {
        /* A pseudo-terminal behind standard input and output is the console. */
        int master = posix_openpt(O_RDWR | O_NOCTTY), slave = -1, saved_in = dup(0), saved_out = dup(1);
        HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
        struct termios t;
        if (master >= 0 && grantpt(master) == 0 && unlockpt(master) == 0)
            slave = open(ptsname(master), O_RDWR | O_NOCTTY);
        ok(slave >= 0, "pseudo-terminal");
        if (slave >= 0) {
            fflush(stdout);
            dup2(slave, 0);
            dup2(slave, 1);

            /* input: the three modes that are terminal settings */
            ok(SetConsoleMode(in, ENABLE_PROCESSED_INPUT | ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT) == TRUE,
               "set cooked input: %lu", (unsigned long)GetLastError());
            mode = 0;
            ok(GetConsoleMode(in, &mode) == TRUE &&
                   mode == (ENABLE_PROCESSED_INPUT | ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT),
               "cooked read back: %lx", (unsigned long)mode);
            tcgetattr(slave, &t);
            ok((t.c_lflag & (ISIG | ICANON | ECHO)) == (ISIG | ICANON | ECHO), "terminal: ISIG ICANON ECHO");

            ok(SetConsoleMode(in, 0) == TRUE, "set raw input: %lu", (unsigned long)GetLastError());
            mode = 0xdeadbeef;
            ok(GetConsoleMode(in, &mode) == TRUE && mode == 0, "raw read back: %lx", (unsigned long)mode);
            tcgetattr(slave, &t);
            ok((t.c_lflag & (ISIG | ICANON | ECHO)) == 0 && t.c_cc[VMIN] == 1 && t.c_cc[VTIME] == 0,
               "terminal: no ISIG ICANON ECHO, a read waits for one byte");

            ok(SetConsoleMode(in, ENABLE_LINE_INPUT) == TRUE, "set line input only");
            ok(GetConsoleMode(in, &mode) == TRUE && mode == ENABLE_LINE_INPUT, "line only read back: %lx",
               (unsigned long)mode);
            ok(SetConsoleMode(in, ENABLE_PROCESSED_INPUT) == TRUE, "set processed input only");
            ok(GetConsoleMode(in, &mode) == TRUE && mode == ENABLE_PROCESSED_INPUT, "processed only read back: %lx",
               (unsigned long)mode);

            /* modes with no terminal setting are kept */
            ok(SetConsoleMode(in, ENABLE_LINE_INPUT | ENABLE_WINDOW_INPUT | ENABLE_VIRTUAL_TERMINAL_INPUT) == TRUE,
               "window and VT input");
            ok(GetConsoleMode(in, &mode) == TRUE &&
                   mode == (ENABLE_LINE_INPUT | ENABLE_WINDOW_INPUT | ENABLE_VIRTUAL_TERMINAL_INPUT),
               "window and VT input read back: %lx", (unsigned long)mode);
            ok(SetConsoleMode(in, ENABLE_LINE_INPUT | ENABLE_EXTENDED_FLAGS | ENABLE_INSERT_MODE) == TRUE,
               "extended flags");
            ok(GetConsoleMode(in, &mode) == TRUE &&
                   mode == (ENABLE_LINE_INPUT | ENABLE_EXTENDED_FLAGS | ENABLE_INSERT_MODE),
               "extended flags read back: %lx", (unsigned long)mode);

            /* echo needs line input: refused, but applied (as the console host does) */
            CHECK_FAIL(SetConsoleMode(in, ENABLE_PROCESSED_INPUT | ENABLE_ECHO_INPUT), ERROR_INVALID_PARAMETER);
            ok(GetConsoleMode(in, &mode) == TRUE && mode == (ENABLE_PROCESSED_INPUT | ENABLE_ECHO_INPUT),
               "refused mode still applied: %lx", (unsigned long)mode);
            CHECK_FAIL(SetConsoleMode(in, ENABLE_LINE_INPUT | 0x8000), ERROR_INVALID_PARAMETER);
            ok(GetConsoleMode(in, &mode) == TRUE && mode == ENABLE_LINE_INPUT, "unknown bit not kept: %lx",
               (unsigned long)mode);

            /* output: the documented modes are kept and read back */
            ok(GetConsoleMode(out, &mode) == TRUE &&
                   mode == (ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT),
               "initial output mode: %lx", (unsigned long)mode);
            ok(SetConsoleMode(out, ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT |
                                       ENABLE_VIRTUAL_TERMINAL_PROCESSING) == TRUE,
               "VT processing: %lu", (unsigned long)GetLastError());
            ok(GetConsoleMode(out, &mode) == TRUE &&
                   mode == (ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT | ENABLE_VIRTUAL_TERMINAL_PROCESSING),
               "VT processing read back: %lx", (unsigned long)mode);
            CHECK_FAIL(SetConsoleMode(out, ENABLE_PROCESSED_OUTPUT | 0x20), ERROR_INVALID_PARAMETER);
            ok(GetConsoleMode(out, &mode) == TRUE &&
                   mode == (ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT | ENABLE_VIRTUAL_TERMINAL_PROCESSING),
               "refused output mode not applied: %lx", (unsigned long)mode);
            ok(SetConsoleMode(out, ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT) == TRUE, "restore output mode");

            dup2(saved_in, 0);
            dup2(saved_out, 1);
            close(slave);
        }
        if (master >= 0)
            close(master);
        close(saved_in);
        close(saved_out);
    }
#endif
    return test_done();
}
