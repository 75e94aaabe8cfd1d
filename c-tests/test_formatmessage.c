/* FormatMessageA/W: system texts of Winsock and Win32 error codes (with their "\r\n"), buffer
 * size rules, FORMAT_MESSAGE_ALLOCATE_BUFFER, IGNORE_INSERTS, MAX_WIDTH_MASK, and inserts from
 * a string template with a va_list or an argument array. */
#include "testutil.h"

struct msg {
    DWORD id;
    const char *text;
};

/* Windows' English texts (Microsoft's System Error Codes pages). */
static const struct msg msgs[] = {
    { 0, "The operation completed successfully.\r\n" },
    { ERROR_INVALID_HANDLE, "The handle is invalid.\r\n" },
    { ERROR_INVALID_PARAMETER, "The parameter is incorrect.\r\n" },
    { ERROR_INSUFFICIENT_BUFFER, "The data area passed to a system call is too small.\r\n" },
    { ERROR_OPERATION_ABORTED,
      "The I/O operation has been aborted because of either a thread exit or an application request.\r\n" },
    { ERROR_IO_INCOMPLETE, "Overlapped I/O event is not in a signaled state.\r\n" },
    { ERROR_IO_PENDING, "Overlapped I/O operation is in progress.\r\n" },
    { WSAEINTR, "A blocking operation was interrupted by a call to WSACancelBlockingCall.\r\n" },
    { WSAEFAULT, "The system detected an invalid pointer address in attempting to use a pointer argument in a call.\r\n" },
    { WSAEINVAL, "An invalid argument was supplied.\r\n" },
    { WSAEWOULDBLOCK, "A non-blocking socket operation could not be completed immediately.\r\n" },
    { WSAENOTSOCK, "An operation was attempted on something that is not a socket.\r\n" },
    { WSAEADDRINUSE, "Only one usage of each socket address (protocol/network address/port) is normally permitted.\r\n" },
    { WSAECONNRESET, "An existing connection was forcibly closed by the remote host.\r\n" },
    { WSAECONNREFUSED, "No connection could be made because the target machine actively refused it.\r\n" },
    { WSANOTINITIALISED, "Either the application has not called WSAStartup, or WSAStartup failed.\r\n" },
    { WSAHOST_NOT_FOUND, "No such host is known.\r\n" },
    { 11031, "A reserved policy element was found in the QOS provider-specific buffer.\r\n" },
};

static DWORD fmt_va(DWORD flags, const char *tmpl, char *buf, DWORD size, ...)
{
    va_list ap;
    DWORD r;
    va_start(ap, size);
    r = FormatMessageA(flags | FORMAT_MESSAGE_FROM_STRING, tmpl, 0, 0, buf, size, &ap);
    va_end(ap);
    return r;
}

static DWORD fmt_va_w(const WCHAR *tmpl, WCHAR *buf, DWORD size, ...)
{
    va_list ap;
    DWORD r;
    va_start(ap, size);
    r = FormatMessageW(FORMAT_MESSAGE_FROM_STRING, tmpl, 0, 0, buf, size, &ap);
    va_end(ap);
    return r;
}

static void test_system(void)
{
    char buf[512];
    WCHAR wbuf[512];
    char *alloc = NULL;
    size_t i;
    DWORD r, len;
    int wine = tu_on_wine();

    for (i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
        memset(buf, 'x', sizeof(buf));
        SetLastError(0xdeadbeef);
        r = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, msgs[i].id, 0, buf,
                           sizeof(buf), NULL);
        /* Wine's message table lacks most WSAE texts (Windows has all of them). */
        if (wine && r == 0 && GetLastError() == ERROR_MR_MID_NOT_FOUND)
            continue;
        ok(r > 2 && r == strlen(buf), "%lu: returned %lu, strlen %u", (unsigned long)msgs[i].id, (unsigned long)r,
           (unsigned)strlen(buf));
        ok(r > 2 && buf[r - 2] == '\r' && buf[r - 1] == '\n', "%lu: no trailing CRLF", (unsigned long)msgs[i].id);
        /* Wine's message table words every one of these that it has differently from Windows
         * ("Invalid argument." for WSAEINVAL, ...): the text is asserted except under Wine. */
        if (!wine)
            ok(strcmp(buf, msgs[i].text) == 0, "%lu: got \"%s\"", (unsigned long)msgs[i].id, buf);
    }

    /* Every WSAE code from 10004 to 10071 that Windows defines has a text. */
    {
        static const DWORD wsa[] = { 10004, 10009, 10013, 10014, 10022, 10024, 10035, 10036, 10037, 10038, 10039,
                                     10040, 10041, 10042, 10043, 10044, 10045, 10046, 10047, 10048, 10049, 10050,
                                     10051, 10052, 10053, 10054, 10055, 10056, 10057, 10058, 10059, 10060, 10061,
                                     10062, 10063, 10064, 10065, 10066, 10067, 10068, 10069, 10070, 10071, 10091,
                                     10092, 10093, 10101, 10102, 10103, 10104, 10105, 10106, 10107, 10108, 10109,
                                     10110, 10111, 10112, 11001, 11002, 11003, 11004 };
        for (i = 0; i < sizeof(wsa) / sizeof(wsa[0]); i++) {
            r = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, wsa[i], 0, buf,
                               sizeof(buf), NULL);
            /* Windows has a text for each of these; Wine's table lacks most. */
            if (wine)
                continue;
            ok(r > 2 && buf[r - 1] == '\n', "WSA code %lu: returned %lu error %lu", (unsigned long)wsa[i],
               (unsigned long)r, (unsigned long)GetLastError());
        }
    }

    /* Unknown id. */
    SetLastError(0xdeadbeef);
    r = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, 0x2000000u + 12345u, 0,
                       buf, sizeof(buf), NULL);
    ok(r == 0 && GetLastError() == ERROR_MR_MID_NOT_FOUND, "unknown id: %lu error %lu", (unsigned long)r,
       (unsigned long)GetLastError());

    /* Too small a buffer: the text plus its terminator must fit. */
    len = (DWORD)strlen("An invalid argument was supplied.\r\n");
    SetLastError(0xdeadbeef);
    r = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, WSAEINVAL, 0, buf, 5, NULL);
    ok(r == 0 && GetLastError() == ERROR_INSUFFICIENT_BUFFER, "5-char buffer: %lu error %lu", (unsigned long)r,
       (unsigned long)GetLastError());
    if (!wine) {
        r = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, WSAEINVAL, 0, buf, len,
                           NULL);
        ok(r == 0 && GetLastError() == ERROR_INSUFFICIENT_BUFFER, "buffer without room for NUL: %lu",
           (unsigned long)r);
        r = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, WSAEINVAL, 0, buf,
                           len + 1, NULL);
        ok(r == len, "exact buffer: %lu, want %lu", (unsigned long)r, (unsigned long)len);
    }

    /* ALLOCATE_BUFFER: lpBuffer is a pointer to the pointer, freed with LocalFree. */
    r = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS | FORMAT_MESSAGE_ALLOCATE_BUFFER,
                       NULL, WSAECONNRESET, 0, (LPSTR)&alloc, 0, NULL);
    ok(r > 0 && alloc != NULL && r == strlen(alloc), "ALLOCATE_BUFFER: %lu", (unsigned long)r);
    if (alloc) {
        ok(LocalSize(alloc) >= r + 1, "allocated %lu for %lu chars", (unsigned long)LocalSize(alloc),
           (unsigned long)r);
        if (!wine)
            ok(strcmp(alloc, "An existing connection was forcibly closed by the remote host.\r\n") == 0,
               "allocated text \"%s\"", alloc);
        ok(LocalFree(alloc) == NULL, "LocalFree of the message");
    }

    /* MAX_WIDTH_MASK: the line break at the end becomes a space. */
    {
        char plain[512];
        DWORD pl = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
                                  ERROR_INVALID_HANDLE, 0, plain, sizeof(plain), NULL);
        r = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS | FORMAT_MESSAGE_MAX_WIDTH_MASK,
                           NULL, ERROR_INVALID_HANDLE, 0, buf, sizeof(buf), NULL);
        ok(pl > 2 && r == pl - 1 && strncmp(buf, plain, pl - 2) == 0 && buf[pl - 2] == ' ',
           "MAX_WIDTH_MASK: %lu \"%s\"", (unsigned long)r, buf);
        if (!wine)
            ok(strcmp(buf, "The handle is invalid. ") == 0, "MAX_WIDTH_MASK text \"%s\"", buf);

        /* The W variant produces the same text in UTF-16. */
        pl = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, ERROR_INVALID_PARAMETER,
                            0, plain, sizeof(plain), NULL);
        r = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, ERROR_INVALID_PARAMETER,
                           0, wbuf, sizeof(wbuf) / sizeof(wbuf[0]), NULL);
        ok(r == pl && tu_wide_eq(wbuf, plain), "FormatMessageW: %lu", (unsigned long)r);
        if (!wine)
            ok(tu_wide_eq(wbuf, "The parameter is incorrect.\r\n"), "FormatMessageW text");
    }
    r = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, ERROR_INVALID_PARAMETER, 0,
                       wbuf, 4, NULL);
    ok(r == 0 && GetLastError() == ERROR_INSUFFICIENT_BUFFER, "FormatMessageW small buffer: error %lu",
       (unsigned long)GetLastError());
}

static void test_inserts(void)
{
    char buf[256];
    WCHAR wt[64], wbuf[64];
    DWORD_PTR arr[4];
    DWORD r;

    r = fmt_va(0, "%1 and %2", buf, sizeof(buf), "alpha", "beta");
    ok(r == 14 && strcmp(buf, "alpha and beta") == 0, "va_list strings: %lu \"%s\"", (unsigned long)r, buf);
    r = fmt_va(0, "%2 then %1", buf, sizeof(buf), "one", "two");
    ok(strcmp(buf, "two then one") == 0, "reordered inserts: \"%s\"", buf);
    r = fmt_va(0, "n=%1!d! x=%2!x! u=%3!u! pad=[%4!5d!] left=[%5!-4s!]", buf, sizeof(buf), -42, 255, 7u, 12, "ab");
    ok(strcmp(buf, "n=-42 x=ff u=7 pad=[   12] left=[ab  ]") == 0, "numeric formats: \"%s\"", buf);
    r = fmt_va(0, "100%% sure%.%!%nnext", buf, sizeof(buf));
    ok(strcmp(buf, "100% sure.!\r\nnext") == 0, "escapes: \"%s\"", buf);
    r = fmt_va(0, "stop%0here", buf, sizeof(buf));
    ok(r == 4 && strcmp(buf, "stop") == 0, "%%0 ends the message: \"%s\"", buf);
    r = fmt_va(0, "line1\r\nline2", buf, sizeof(buf));
    ok(strcmp(buf, "line1\r\nline2") == 0, "line breaks kept at width 0: \"%s\"", buf);
    r = fmt_va(FORMAT_MESSAGE_MAX_WIDTH_MASK, "line1\r\nline2%n", buf, sizeof(buf));
    ok(strcmp(buf, "line1 line2\r\n") == 0, "MAX_WIDTH_MASK on a template: \"%s\"", buf);

    /* IGNORE_INSERTS copies the inserts unchanged. */
    r = FormatMessageA(FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_IGNORE_INSERTS, "a %1 b %2!d! c", 0, 0, buf,
                       sizeof(buf), NULL);
    ok(strcmp(buf, "a %1 b %2!d! c") == 0, "IGNORE_INSERTS: \"%s\"", buf);

    /* IGNORE_INSERTS still applies %n, %r, %t and %0; other escapes stay as written. */
    r = FormatMessageA(FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_IGNORE_INSERTS, "a%%b%nc%0d", 0, 0, buf,
                       sizeof(buf), NULL);
    ok(r == 7 && strcmp(buf, "a%%b\r\nc") == 0, "escapes with IGNORE_INSERTS: %lu \"%s\"", (unsigned long)r, buf);

    /* A '%' ending the template and an unterminated !fmt! are invalid. */
    SetLastError(0xdeadbeef);
    r = fmt_va(0, "a%", buf, sizeof(buf));
    ok(r == 0 && GetLastError() == ERROR_INVALID_PARAMETER, "trailing %%: %lu error %lu", (unsigned long)r,
       (unsigned long)GetLastError());
    SetLastError(0xdeadbeef);
    r = fmt_va(0, "x%1!s", buf, sizeof(buf), "y");
    ok(r == 0 && GetLastError() == ERROR_INVALID_PARAMETER, "unterminated format: %lu error %lu",
       (unsigned long)r, (unsigned long)GetLastError());
    r = fmt_va(0, "a%zb", buf, sizeof(buf));
    ok(r == 3 && strcmp(buf, "azb") == 0, "unknown escape: \"%s\"", buf);

    /* More conversions: 64-bit, zero padding, alternate form, sign, characters, precision. */
    r = fmt_va(0, "%1!I64d! %2!08x! %3!#x! %4!+d!", buf, sizeof(buf), (LONGLONG)-5000000000LL, 0xbeef, 255, 3);
    ok(strcmp(buf, "-5000000000 0000beef 0xff +3") == 0, "conversions: \"%s\"", buf);
    r = fmt_va(0, "%1!c!%2!5.3s!|", buf, sizeof(buf), 'Z', "abcdef");
    ok(strcmp(buf, "Z  abc|") == 0, "char and precision: \"%s\"", buf);
    r = fmt_va(0, "[%1!*.*s!]", buf, sizeof(buf), 6, 2, "abcdef");
    ok(strcmp(buf, "[    ab]") == 0, "* width and precision: \"%s\"", buf);
    r = fmt_va(0, "%1", buf, sizeof(buf), (char *)NULL);
    ok(r == 6 && strcmp(buf, "(null)") == 0, "NULL string insert: \"%s\"", buf);

    /* A width other than 0 and 0xff wraps lines at the last space before it. */
    r = fmt_va(10, "aaa bbb ccc ddd eee fff", buf, sizeof(buf));
    ok(strcmp(buf, "aaa bbb\r\nccc ddd\r\neee fff") == 0, "width 10: \"%s\"", buf);
    r = fmt_va(10, "aaaaaaaaaaaaaaa bb", buf, sizeof(buf));
    ok(strcmp(buf, "aaaaaaaaaa\r\naaaaa bb") == 0, "width 10, long word: \"%s\"", buf);
    r = fmt_va(10, "aa\r\nbb cc", buf, sizeof(buf));
    ok(strcmp(buf, "aa bb cc") == 0, "width 10, template break: \"%s\"", buf);

    /* ARGUMENT_ARRAY: an array of DWORD_PTR. */
    arr[0] = (DWORD_PTR) "x";
    arr[1] = 17;
    arr[2] = (DWORD_PTR) "yz";
    r = FormatMessageA(FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_ARGUMENT_ARRAY, "%1-%2!u!-%3", 0, 0, buf,
                       sizeof(buf), (va_list *)arr);
    ok(r == 7 && strcmp(buf, "x-17-yz") == 0, "ARGUMENT_ARRAY: %lu \"%s\"", (unsigned long)r, buf);

    /* A too-small buffer for a template. */
    SetLastError(0xdeadbeef);
    r = fmt_va(0, "%1", buf, 3, "long text");
    ok(r == 0 && GetLastError() == ERROR_INSUFFICIENT_BUFFER, "small buffer: %lu error %lu", (unsigned long)r,
       (unsigned long)GetLastError());

    /* W template with a wide insert. */
    tu_widen(wt, "<%1>");
    {
        WCHAR wins[8];
        tu_widen(wins, "wide");
        r = fmt_va_w(wt, wbuf, 64, wins);
        ok(r == 6 && tu_wide_eq(wbuf, "<wide>"), "FormatMessageW insert: %lu", (unsigned long)r);
    }
}

int main(void)
{
    test_system();
    test_inserts();
    return test_done();
}
