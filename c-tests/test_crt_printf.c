/* The Microsoft CRT's formatting functions: _snprintf/_vsnprintf (no terminator when the output
 * fills the buffer, -1 when it does not fit), sprintf_s/vsprintf_s, _snprintf_s with _TRUNCATE
 * and with a count. Only cases that do not call the invalid parameter handler on Windows. */
#include "testutil.h"

static int call_vsnprintf(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    int r;
    va_start(ap, fmt);
    r = _vsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return r;
}

static int call_vsprintf_s(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    int r;
    va_start(ap, fmt);
    r = vsprintf_s(buf, n, fmt, ap);
    va_end(ap);
    return r;
}

static void test_snprintf(void)
{
    char buf[16];
    int r;

    memset(buf, 'x', sizeof(buf));
    r = _snprintf(buf, 8, "%d-%s", 42, "ab");
    ok(r == 5 && strcmp(buf, "42-ab") == 0, "_snprintf fits: %d '%s'", r, buf);

    /* Exactly filling the count: the count is returned and no terminator written. */
    memset(buf, 'x', sizeof(buf));
    r = _snprintf(buf, 5, "%s", "hello");
    ok(r == 5, "_snprintf exact fit returns 5, got %d", r);
    ok(memcmp(buf, "hellox", 6) == 0, "_snprintf exact fit writes no terminator");

    /* Longer than the count: -1, the first count characters written, no terminator. */
    memset(buf, 'x', sizeof(buf));
    r = _snprintf(buf, 4, "%d", 1234567);
    ok(r == -1, "_snprintf truncation returns -1, got %d", r);
    ok(memcmp(buf, "1234x", 5) == 0, "_snprintf truncation writes count characters only");

    memset(buf, 'x', sizeof(buf));
    r = call_vsnprintf(buf, 3, "%s", "abcdef");
    ok(r == -1 && memcmp(buf, "abcx", 4) == 0, "_vsnprintf truncation: %d", r);
    r = _snprintf(NULL, 0, "%d", 123456);
    ok(r == 6, "_snprintf(NULL, 0) gives the length needed, got %d", r);
    r = call_vsnprintf(buf, sizeof(buf), "%u/%x", 7u, 255u);
    ok(r == 4 && strcmp(buf, "7/ff") == 0, "_vsnprintf fits: %d '%s'", r, buf);
}

static void test_sprintf_s(void)
{
    char buf[16];
    int r;

    memset(buf, 'x', sizeof(buf));
    r = sprintf_s(buf, sizeof(buf), "%s:%d", "port", 80);
    ok(r == 7 && strcmp(buf, "port:80") == 0, "sprintf_s: %d '%s'", r, buf);
    r = sprintf_s(buf, 8, "%s", "1234567");
    ok(r == 7 && strcmp(buf, "1234567") == 0, "sprintf_s output plus terminator exactly fills: %d", r);
    r = call_vsprintf_s(buf, sizeof(buf), "%c%c", 'o', 'k');
    ok(r == 2 && strcmp(buf, "ok") == 0, "vsprintf_s: %d '%s'", r, buf);
    r = sprintf_s(buf, sizeof(buf), "%s", "");
    ok(r == 0 && buf[0] == 0, "sprintf_s empty output");
}

static void test_snprintf_s(void)
{
    char buf[8];
    int r;

    memset(buf, 'x', sizeof(buf));
    r = _snprintf_s(buf, sizeof(buf), _TRUNCATE, "%s", "abc");
    ok(r == 3 && strcmp(buf, "abc") == 0, "_snprintf_s _TRUNCATE fits: %d", r);

    memset(buf, 'x', sizeof(buf));
    r = _snprintf_s(buf, sizeof(buf), _TRUNCATE, "%s", "abcdefghij");
    ok(r == -1, "_snprintf_s _TRUNCATE truncation returns -1, got %d", r);
    ok(strcmp(buf, "abcdefg") == 0, "_snprintf_s _TRUNCATE keeps what fits, terminated: '%s'", buf);

    memset(buf, 'x', sizeof(buf));
    r = _snprintf_s(buf, sizeof(buf), _TRUNCATE, "%s", "abcdefg");
    ok(r == 7 && strcmp(buf, "abcdefg") == 0, "_snprintf_s _TRUNCATE exact fit: %d", r);

    /* A count smaller than the buffer: at most count characters, terminated, -1 when cut. */
    memset(buf, 'x', sizeof(buf));
    r = _snprintf_s(buf, sizeof(buf), 3, "%s", "abcdef");
    ok(r == -1 && strcmp(buf, "abc") == 0, "_snprintf_s count 3: %d '%s'", r, buf);
    memset(buf, 'x', sizeof(buf));
    r = _snprintf_s(buf, sizeof(buf), 3, "%s", "ab");
    ok(r == 2 && strcmp(buf, "ab") == 0, "_snprintf_s count 3, short output: %d", r);
}

int main(void)
{
    test_snprintf();
    test_sprintf_s();
    test_snprintf_s();
    return test_done();
}
