/* The bounds-checked copies strcpy_s, strncpy_s (with _TRUNCATE), strcat_s, strncat_s and the
 * integer conversions _itoa/_itoa_s, errno_t and rsize_t. Only results that do not call the
 * invalid parameter handler on Windows are checked. */
#include "testutil.h"

#define T_STRUNCATE 80

static void test_copies(void)
{
    char buf[8];
    errno_t e;
    rsize_t size = sizeof(buf);

    ok(sizeof(errno_t) == sizeof(int), "errno_t is an int");
    ok(sizeof(rsize_t) == sizeof(size_t), "rsize_t is a size_t");
    ok(STRUNCATE == T_STRUNCATE, "STRUNCATE is 80");
    ok(_TRUNCATE == (size_t)-1, "_TRUNCATE is (size_t)-1");

    e = strcpy_s(buf, size, "abc");
    ok(e == 0 && strcmp(buf, "abc") == 0, "strcpy_s: %d", e);
    e = strcpy_s(buf, size, "1234567");
    ok(e == 0 && strcmp(buf, "1234567") == 0, "strcpy_s exact fit: %d", e);

    e = strcat_s(buf, size, "");
    ok(e == 0 && strcmp(buf, "1234567") == 0, "strcat_s empty source: %d", e);
    strcpy(buf, "ab");
    e = strcat_s(buf, size, "cdefg");
    ok(e == 0 && strcmp(buf, "abcdefg") == 0, "strcat_s exact fit: %d '%s'", e, buf);

    memset(buf, 'x', sizeof(buf));
    e = strncpy_s(buf, sizeof(buf), "abcdef", 3);
    ok(e == 0 && strcmp(buf, "abc") == 0, "strncpy_s count 3: %d '%s'", e, buf);
    e = strncpy_s(buf, sizeof(buf), "ab", 5);
    ok(e == 0 && strcmp(buf, "ab") == 0, "strncpy_s short source: %d", e);
    e = strncpy_s(buf, sizeof(buf), "abcdefghij", _TRUNCATE);
    ok(e == STRUNCATE, "strncpy_s _TRUNCATE truncation gives STRUNCATE, got %d", e);
    ok(strcmp(buf, "abcdefg") == 0, "strncpy_s _TRUNCATE keeps what fits: '%s'", buf);
    e = strncpy_s(buf, sizeof(buf), "abcdefg", _TRUNCATE);
    ok(e == 0 && strcmp(buf, "abcdefg") == 0, "strncpy_s _TRUNCATE exact fit: %d", e);
    e = strncpy_s(buf, sizeof(buf), "xyz", 0);
    ok(e == 0 && buf[0] == 0, "strncpy_s count 0 gives an empty string: %d", e);
    e = strncpy_s(NULL, 0, NULL, 0);
    ok(e == 0, "strncpy_s(NULL, 0, NULL, 0) succeeds: %d", e);

    strcpy(buf, "abc");
    e = strncat_s(buf, sizeof(buf), "defghij", 2);
    ok(e == 0 && strcmp(buf, "abcde") == 0, "strncat_s count 2: %d '%s'", e, buf);
    e = strncat_s(buf, sizeof(buf), "fghij", _TRUNCATE);
    ok(e == STRUNCATE && strcmp(buf, "abcdefg") == 0, "strncat_s _TRUNCATE: %d '%s'", e, buf);
}

static void test_itoa(void)
{
    char buf[40];
    char small[3];
    errno_t e;

    ok(_itoa(-1234, buf, 10) == buf && strcmp(buf, "-1234") == 0, "_itoa -1234: %s", buf);
    ok(strcmp(_itoa(255, buf, 16), "ff") == 0, "_itoa hex: %s", buf);
    ok(strcmp(_itoa(5, buf, 2), "101") == 0, "_itoa binary: %s", buf);
    ok(strcmp(_itoa(-1, buf, 16), "ffffffff") == 0, "_itoa negative hex is unsigned: %s", buf);
    ok(strcmp(_itoa(0, buf, 10), "0") == 0, "_itoa 0");
    ok(strcmp(_itoa(35, buf, 36), "z") == 0, "_itoa radix 36: %s", buf);
    ok(strcmp(_itoa(-2147483647 - 1, buf, 10), "-2147483648") == 0, "_itoa INT_MIN: %s", buf);
    e = _itoa_s(-42, buf, sizeof(buf), 10);
    ok(e == 0 && strcmp(buf, "-42") == 0, "_itoa_s: %d %s", e, buf);
    e = _itoa_s(99, small, sizeof(small), 10);
    ok(e == 0 && strcmp(small, "99") == 0, "_itoa_s exact fit: %d", e);
}

int main(void)
{
    test_copies();
    test_itoa();
    return test_done();
}
