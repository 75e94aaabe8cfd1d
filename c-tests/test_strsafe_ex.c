/* <strsafe.h> Ex forms: StringCch/StringCb CopyEx, CopyNEx, CatEx, CatNEx (A and W), PrintfEx and
 * VPrintfEx (A), the plain CatN forms, and the TCHAR names. Each call is checked for its HRESULT,
 * the destination's contents, the end pointer (the terminator) and the remaining count
 * (characters for StringCch*, bytes for StringCb*, counting the terminator), reported on S_OK and
 * STRSAFE_E_INSUFFICIENT_BUFFER and left alone on STRSAFE_E_INVALID_PARAMETER; and every flag:
 * STRSAFE_IGNORE_NULLS, STRSAFE_FILL_BEHIND_NULL / STRSAFE_FILL_BYTE, STRSAFE_FILL_ON_FAILURE /
 * STRSAFE_FAILURE_BYTE, STRSAFE_NULL_ON_FAILURE, STRSAFE_NO_TRUNCATION, and bad flags. */
#include "testutil.h"
#include <strsafe.h>

#define T_INSUFFICIENT ((HRESULT)0x8007007A)
#define T_INVALID ((HRESULT)0x80070057)
#define T_BAD_FLAG 0x00002000 /* not one of the STRSAFE_* flags */

/* Sentinels for the outputs, to see that a failure leaves them alone. */
static char a_sentinel[1];
static WCHAR w_sentinel[1];
#define T_REM_SENTINEL ((size_t)12345)

/* Check an A call's HRESULT, result string, end pointer (as an index into buf; -1 for NULL) and
 * remaining count. */
static void check_a(int line, const char *what, HRESULT hr, HRESULT want_hr, const char *buf, const char *want,
                    const char *end, long want_end, size_t rem, size_t want_rem)
{
    long got_end = end == NULL ? -1 : end == a_sentinel ? -2 : (long)(end - buf);
    ok(hr == want_hr, "line %d %s: hr %08lx, want %08lx", line, what, (unsigned long)hr, (unsigned long)want_hr);
    if (want)
        ok(strcmp(buf, want) == 0, "line %d %s: '%s', want '%s'", line, what, buf, want);
    ok(got_end == want_end, "line %d %s: end at %ld, want %ld", line, what, got_end, want_end);
    ok(rem == want_rem, "line %d %s: remaining %lu, want %lu", line, what, (unsigned long)rem,
       (unsigned long)want_rem);
}
#define CHECK_A(what, hr, want_hr, buf, want, end, want_end, rem, want_rem) \
    check_a(__LINE__, what, hr, want_hr, buf, want, end, want_end, rem, want_rem)

static void check_w(int line, const char *what, HRESULT hr, HRESULT want_hr, const WCHAR *buf, const char *want,
                    const WCHAR *end, long want_end, size_t rem, size_t want_rem)
{
    long got_end = end == NULL ? -1 : end == w_sentinel ? -2 : (long)(end - buf);
    ok(hr == want_hr, "line %d %s: hr %08lx, want %08lx", line, what, (unsigned long)hr, (unsigned long)want_hr);
    if (want)
        ok(tu_wide_eq(buf, want), "line %d %s: wrong string, want '%s'", line, what, want);
    ok(got_end == want_end, "line %d %s: end at %ld, want %ld", line, what, got_end, want_end);
    ok(rem == want_rem, "line %d %s: remaining %lu, want %lu", line, what, (unsigned long)rem,
       (unsigned long)want_rem);
}
#define CHECK_W(what, hr, want_hr, buf, want, end, want_end, rem, want_rem) \
    check_w(__LINE__, what, hr, want_hr, buf, want, end, want_end, rem, want_rem)

/* Put an ASCII string in buf (<strsafe.h> makes strcpy unusable, as the SDK does). */
static void set_a(char *buf, const char *s)
{
    memcpy(buf, s, strlen(s) + 1);
}

/* 1 if n bytes at p all equal b. */
static int all_bytes(const void *p, size_t n, unsigned char b)
{
    const unsigned char *q = (const unsigned char *)p;
    size_t i;
    for (i = 0; i < n; i++)
        if (q[i] != b)
            return 0;
    return 1;
}

static void test_flag_values(void)
{
    ok(STRSAFE_IGNORE_NULLS == 0x100 && STRSAFE_FILL_BEHIND_NULL == 0x200 && STRSAFE_FILL_ON_FAILURE == 0x400 &&
           STRSAFE_NULL_ON_FAILURE == 0x800 && STRSAFE_NO_TRUNCATION == 0x1000,
       "flag values");
    ok(STRSAFE_FILL_BYTE(0x2A) == 0x22A && STRSAFE_FILL_BYTE(0x1FF) == 0x2FF, "STRSAFE_FILL_BYTE");
    ok(STRSAFE_FAILURE_BYTE(0x23) == 0x423, "STRSAFE_FAILURE_BYTE");
}

static void test_copy_ex_a(void)
{
    char buf[8];
    char *end;
    size_t rem;
    HRESULT hr;

    end = a_sentinel;
    rem = T_REM_SENTINEL;
    hr = StringCchCopyExA(buf, sizeof(buf), "abc", &end, &rem, 0);
    CHECK_A("StringCchCopyExA", hr, S_OK, buf, "abc", end, 3, rem, 5);
    hr = StringCchCopyExA(buf, sizeof(buf), "1234567", &end, &rem, 0);
    CHECK_A("StringCchCopyExA exact fit", hr, S_OK, buf, "1234567", end, 7, rem, 1);
    hr = StringCchCopyExA(buf, sizeof(buf), "", &end, &rem, 0);
    CHECK_A("StringCchCopyExA empty source", hr, S_OK, buf, "", end, 0, rem, 8);
    hr = StringCchCopyExA(buf, sizeof(buf), "123456789", &end, &rem, 0);
    CHECK_A("StringCchCopyExA truncation", hr, T_INSUFFICIENT, buf, "1234567", end, 7, rem, 1);
    hr = StringCchCopyExA(buf, sizeof(buf), "xyz", NULL, NULL, 0);
    ok(hr == S_OK && strcmp(buf, "xyz") == 0, "StringCchCopyExA without the optional outputs");

    /* StringCb: a byte count, the same as characters for char. */
    hr = StringCbCopyExA(buf, 4, "abcdef", &end, &rem, 0);
    CHECK_A("StringCbCopyExA truncation", hr, T_INSUFFICIENT, buf, "abc", end, 3, rem, 1);
    hr = StringCbCopyExA(buf, sizeof(buf), "ab", &end, &rem, 0);
    CHECK_A("StringCbCopyExA", hr, S_OK, buf, "ab", end, 2, rem, 6);

    /* STRSAFE_FILL_BEHIND_NULL: on success every byte after the terminator gets the low byte. */
    memset(buf, 'x', sizeof(buf));
    hr = StringCchCopyExA(buf, sizeof(buf), "ab", &end, &rem, STRSAFE_FILL_BYTE('*'));
    CHECK_A("FILL_BEHIND_NULL", hr, S_OK, buf, "ab", end, 2, rem, 6);
    ok(all_bytes(buf + 3, 5, '*'), "FILL_BEHIND_NULL fills the rest with '*'");
    memset(buf, 'x', sizeof(buf));
    hr = StringCchCopyExA(buf, sizeof(buf), "ab", &end, &rem, STRSAFE_FILL_BEHIND_NULL);
    CHECK_A("FILL_BEHIND_NULL pattern 0", hr, S_OK, buf, "ab", end, 2, rem, 6);
    ok(all_bytes(buf + 3, 5, 0), "FILL_BEHIND_NULL alone fills with zero bytes");
    /* ... and not on failure: the truncated result stays. */
    hr = StringCchCopyExA(buf, 4, "abcdef", &end, &rem, STRSAFE_FILL_BYTE('*'));
    CHECK_A("FILL_BEHIND_NULL on truncation", hr, T_INSUFFICIENT, buf, "abc", end, 3, rem, 1);

    /* STRSAFE_FILL_ON_FAILURE: the whole buffer filled, its last byte the terminator. */
    memset(buf, 'x', sizeof(buf));
    hr = StringCchCopyExA(buf, 4, "abcdef", &end, &rem, STRSAFE_FAILURE_BYTE('#'));
    CHECK_A("FILL_ON_FAILURE '#'", hr, T_INSUFFICIENT, buf, "###", end, 3, rem, 1);
    ok(buf[4] == 'x', "FILL_ON_FAILURE stays within the size");
    memset(buf, 'x', sizeof(buf));
    hr = StringCchCopyExA(buf, 4, "abcdef", &end, &rem, STRSAFE_FILL_ON_FAILURE);
    CHECK_A("FILL_ON_FAILURE pattern 0", hr, T_INSUFFICIENT, buf, "", end, 0, rem, 4);
    ok(all_bytes(buf, 4, 0) && buf[4] == 'x', "FILL_ON_FAILURE pattern 0 zeroes the buffer");
    hr = StringCchCopyExA(buf, sizeof(buf), "ok", &end, &rem, STRSAFE_FAILURE_BYTE('#'));
    CHECK_A("FILL_ON_FAILURE on success", hr, S_OK, buf, "ok", end, 2, rem, 6);

    /* STRSAFE_NULL_ON_FAILURE and STRSAFE_NO_TRUNCATION: an empty string instead of a truncated
     * one; the bytes after the first are those of the truncated copy. */
    hr = StringCchCopyExA(buf, 4, "abcdef", &end, &rem, STRSAFE_NULL_ON_FAILURE);
    CHECK_A("NULL_ON_FAILURE", hr, T_INSUFFICIENT, buf, "", end, 0, rem, 4);
    hr = StringCchCopyExA(buf, 4, "abcdef", &end, &rem, STRSAFE_NO_TRUNCATION);
    CHECK_A("NO_TRUNCATION", hr, T_INSUFFICIENT, buf, "", end, 0, rem, 4);
    hr = StringCchCopyExA(buf, 4, "abc", &end, &rem, STRSAFE_NO_TRUNCATION);
    CHECK_A("NO_TRUNCATION when it fits", hr, S_OK, buf, "abc", end, 3, rem, 1);
    /* Both fill flags: NULL_ON_FAILURE applies last. */
    memset(buf, 'x', sizeof(buf));
    hr = StringCchCopyExA(buf, 4, "abcdef", &end, &rem, STRSAFE_FAILURE_BYTE('#') | STRSAFE_NULL_ON_FAILURE);
    CHECK_A("FILL_ON_FAILURE | NULL_ON_FAILURE", hr, T_INSUFFICIENT, buf, "", end, 0, rem, 4);
    ok(buf[1] == '#' && buf[2] == '#' && buf[3] == 0, "the fill stays behind the first terminator");

    /* STRSAFE_IGNORE_NULLS: NULL strings are empty, a NULL destination is allowed with size 0. */
    hr = StringCchCopyExA(buf, sizeof(buf), NULL, &end, &rem, STRSAFE_IGNORE_NULLS);
    CHECK_A("IGNORE_NULLS NULL source", hr, S_OK, buf, "", end, 0, rem, 8);
    end = a_sentinel;
    rem = T_REM_SENTINEL;
    hr = StringCchCopyExA(NULL, 0, NULL, &end, &rem, STRSAFE_IGNORE_NULLS);
    ok(hr == S_OK && end == NULL && rem == 0, "IGNORE_NULLS NULL to NULL: %08lx %p %lu", (unsigned long)hr,
       (void *)end, (unsigned long)rem);
    hr = StringCchCopyExA(NULL, 0, "", &end, &rem, STRSAFE_IGNORE_NULLS);
    ok(hr == S_OK && end == NULL && rem == 0, "IGNORE_NULLS empty to NULL: %08lx", (unsigned long)hr);
    end = a_sentinel;
    rem = T_REM_SENTINEL;
    hr = StringCchCopyExA(NULL, 0, "a", &end, &rem, STRSAFE_IGNORE_NULLS);
    CHECK_A("IGNORE_NULLS data to a NULL destination", hr, T_INVALID, buf, NULL, end, -2, rem, T_REM_SENTINEL);
    hr = StringCchCopyExA(NULL, 5, "a", &end, &rem, STRSAFE_IGNORE_NULLS);
    CHECK_A("IGNORE_NULLS NULL destination with a size", hr, T_INVALID, buf, NULL, end, -2, rem, T_REM_SENTINEL);
    memset(buf, 'x', sizeof(buf));
    hr = StringCchCopyExA(buf, 0, "a", &end, &rem, STRSAFE_IGNORE_NULLS);
    CHECK_A("IGNORE_NULLS size 0", hr, T_INSUFFICIENT, buf, NULL, end, 0, rem, 0);
    ok(buf[0] == 'x', "size 0 writes nothing");
    hr = StringCchCopyExA(buf, 0, "", &end, &rem, STRSAFE_IGNORE_NULLS);
    CHECK_A("IGNORE_NULLS size 0, nothing to copy", hr, S_OK, buf, NULL, end, 0, rem, 0);

    /* Bad flags and sizes: STRSAFE_E_INVALID_PARAMETER, the outputs untouched. */
    set_a(buf, "keep");
    end = a_sentinel;
    rem = T_REM_SENTINEL;
    hr = StringCchCopyExA(buf, sizeof(buf), "abc", &end, &rem, T_BAD_FLAG);
    CHECK_A("bad flag", hr, T_INVALID, buf, NULL, end, -2, rem, T_REM_SENTINEL);
    hr = StringCchCopyExA(buf, sizeof(buf), "abc", &end, &rem, T_BAD_FLAG | STRSAFE_NULL_ON_FAILURE);
    CHECK_A("bad flag with NULL_ON_FAILURE", hr, T_INVALID, buf, "", end, -2, rem, T_REM_SENTINEL);
    hr = StringCchCopyExA(buf, (size_t)STRSAFE_MAX_CCH + 1, "abc", &end, &rem, 0);
    CHECK_A("size above STRSAFE_MAX_CCH", hr, T_INVALID, buf, NULL, end, -2, rem, T_REM_SENTINEL);
#ifndef __MINGW32__
    /* The current SDK rejects a size of 0 without STRSAFE_IGNORE_NULLS; mingw-w64's strsafe.h
     * (an older SDK's behaviour) reports STRSAFE_E_INSUFFICIENT_BUFFER instead. */
    hr = StringCchCopyExA(buf, 0, "abc", &end, &rem, 0);
    CHECK_A("size 0", hr, T_INVALID, buf, NULL, end, -2, rem, T_REM_SENTINEL);
    hr = StringCbCopyExA(buf, 0, "abc", &end, &rem, 0);
    CHECK_A("StringCbCopyExA size 0", hr, T_INVALID, buf, NULL, end, -2, rem, T_REM_SENTINEL);
#endif
}

static void test_copy_n_ex_a(void)
{
    char buf[8];
    char *end = a_sentinel;
    size_t rem = T_REM_SENTINEL;
    HRESULT hr;

    hr = StringCchCopyNExA(buf, sizeof(buf), "abcdef", 3, &end, &rem, 0);
    CHECK_A("StringCchCopyNExA", hr, S_OK, buf, "abc", end, 3, rem, 5);
    hr = StringCchCopyNExA(buf, sizeof(buf), "ab", 5, &end, &rem, 0);
    CHECK_A("StringCchCopyNExA short source", hr, S_OK, buf, "ab", end, 2, rem, 6);
    hr = StringCchCopyNExA(buf, sizeof(buf), "abc", 0, &end, &rem, 0);
    CHECK_A("StringCchCopyNExA nothing", hr, S_OK, buf, "", end, 0, rem, 8);
    hr = StringCchCopyNExA(buf, 4, "abcdef", 5, &end, &rem, 0);
    CHECK_A("StringCchCopyNExA truncation", hr, T_INSUFFICIENT, buf, "abc", end, 3, rem, 1);
    hr = StringCchCopyNExA(buf, 4, "abcdef", 3, &end, &rem, 0);
    CHECK_A("StringCchCopyNExA exactly the room", hr, S_OK, buf, "abc", end, 3, rem, 1);
    hr = StringCbCopyNExA(buf, sizeof(buf), "abcdef", 2, &end, &rem, 0);
    CHECK_A("StringCbCopyNExA", hr, S_OK, buf, "ab", end, 2, rem, 6);
    hr = StringCbCopyNExA(buf, 3, "abcdef", 4, &end, &rem, 0);
    CHECK_A("StringCbCopyNExA truncation", hr, T_INSUFFICIENT, buf, "ab", end, 2, rem, 1);

    memset(buf, 'x', sizeof(buf));
    hr = StringCchCopyNExA(buf, sizeof(buf), "abcdef", 2, &end, &rem, STRSAFE_FILL_BYTE('-'));
    CHECK_A("CopyNEx FILL_BEHIND_NULL", hr, S_OK, buf, "ab", end, 2, rem, 6);
    ok(all_bytes(buf + 3, 5, '-'), "CopyNEx fills behind the terminator");
    hr = StringCchCopyNExA(buf, 4, "abcdef", 5, &end, &rem, STRSAFE_FAILURE_BYTE('#'));
    CHECK_A("CopyNEx FILL_ON_FAILURE", hr, T_INSUFFICIENT, buf, "###", end, 3, rem, 1);
    hr = StringCchCopyNExA(buf, 4, "abcdef", 5, &end, &rem, STRSAFE_NULL_ON_FAILURE);
    CHECK_A("CopyNEx NULL_ON_FAILURE", hr, T_INSUFFICIENT, buf, "", end, 0, rem, 4);
    hr = StringCchCopyNExA(buf, 4, "abcdef", 5, &end, &rem, STRSAFE_NO_TRUNCATION);
    CHECK_A("CopyNEx NO_TRUNCATION", hr, T_INSUFFICIENT, buf, "", end, 0, rem, 4);
    hr = StringCchCopyNExA(buf, sizeof(buf), NULL, 3, &end, &rem, STRSAFE_IGNORE_NULLS);
    CHECK_A("CopyNEx IGNORE_NULLS", hr, S_OK, buf, "", end, 0, rem, 8);
    hr = StringCchCopyNExA(buf, 0, "abc", 0, &end, &rem, STRSAFE_IGNORE_NULLS);
    CHECK_A("CopyNEx size 0, count 0", hr, S_OK, buf, NULL, end, 0, rem, 0);

    end = a_sentinel;
    rem = T_REM_SENTINEL;
    hr = StringCchCopyNExA(buf, sizeof(buf), "abc", 2, &end, &rem, T_BAD_FLAG);
    CHECK_A("CopyNEx bad flag", hr, T_INVALID, buf, NULL, end, -2, rem, T_REM_SENTINEL);
    hr = StringCchCopyNExA(buf, sizeof(buf), "abc", (size_t)STRSAFE_MAX_CCH + 1, &end, &rem, 0);
    CHECK_A("CopyNEx count above STRSAFE_MAX_CCH", hr, T_INVALID, buf, NULL, end, -2, rem, T_REM_SENTINEL);
#ifndef __MINGW32__
    /* The current SDK allows at most STRSAFE_MAX_CCH - 1 characters to copy; mingw-w64's header
     * (an older SDK's behaviour) also accepts STRSAFE_MAX_CCH. */
    hr = StringCchCopyNExA(buf, sizeof(buf), "abc", STRSAFE_MAX_CCH, &end, &rem, 0);
    CHECK_A("CopyNEx count STRSAFE_MAX_CCH", hr, T_INVALID, buf, NULL, end, -2, rem, T_REM_SENTINEL);
#endif
}

static void test_cat_ex_a(void)
{
    char buf[8];
    char raw[4] = {'a', 'b', 'c', 'd'};
    char *end = a_sentinel;
    size_t rem = T_REM_SENTINEL;
    HRESULT hr;

    set_a(buf, "ab");
    hr = StringCchCatExA(buf, sizeof(buf), "cd", &end, &rem, 0);
    CHECK_A("StringCchCatExA", hr, S_OK, buf, "abcd", end, 4, rem, 4);
    hr = StringCchCatExA(buf, sizeof(buf), "efg", &end, &rem, 0);
    CHECK_A("StringCchCatExA exact fit", hr, S_OK, buf, "abcdefg", end, 7, rem, 1);
    hr = StringCchCatExA(buf, sizeof(buf), "", &end, &rem, 0);
    CHECK_A("StringCchCatExA empty onto a full buffer", hr, S_OK, buf, "abcdefg", end, 7, rem, 1);
    hr = StringCchCatExA(buf, sizeof(buf), "h", &end, &rem, 0);
    CHECK_A("StringCchCatExA onto a full buffer", hr, T_INSUFFICIENT, buf, "abcdefg", end, 7, rem, 1);
    set_a(buf, "abcde");
    hr = StringCbCatExA(buf, sizeof(buf), "fghij", &end, &rem, 0);
    CHECK_A("StringCbCatExA truncation", hr, T_INSUFFICIENT, buf, "abcdefg", end, 7, rem, 1);

    /* Flags on a Cat: the original string stays under NO_TRUNCATION. */
    set_a(buf, "ab");
    hr = StringCchCatExA(buf, 5, "cdef", &end, &rem, STRSAFE_NO_TRUNCATION);
    CHECK_A("CatEx NO_TRUNCATION", hr, T_INSUFFICIENT, buf, "ab", end, 2, rem, 3);
    hr = StringCchCatExA(buf, 5, "cd", &end, &rem, STRSAFE_NO_TRUNCATION);
    CHECK_A("CatEx NO_TRUNCATION when it fits", hr, S_OK, buf, "abcd", end, 4, rem, 1);
    set_a(buf, "ab");
    hr = StringCchCatExA(buf, 5, "cdef", &end, &rem, STRSAFE_NULL_ON_FAILURE);
    CHECK_A("CatEx NULL_ON_FAILURE", hr, T_INSUFFICIENT, buf, "", end, 0, rem, 5);
    memset(buf, 'x', sizeof(buf));
    set_a(buf, "ab");
    hr = StringCchCatExA(buf, 5, "cdef", &end, &rem, STRSAFE_FAILURE_BYTE('#'));
    CHECK_A("CatEx FILL_ON_FAILURE", hr, T_INSUFFICIENT, buf, "####", end, 4, rem, 1);
    ok(buf[5] == 'x', "CatEx FILL_ON_FAILURE stays within the size");
    set_a(buf, "ab");
    hr = StringCchCatExA(buf, 5, "cdef", &end, &rem, STRSAFE_FAILURE_BYTE('#') | STRSAFE_NO_TRUNCATION);
    CHECK_A("CatEx FILL_ON_FAILURE | NO_TRUNCATION", hr, T_INSUFFICIENT, buf, "####", end, 4, rem, 1);
    memset(buf, 'x', sizeof(buf));
    set_a(buf, "ab");
    hr = StringCchCatExA(buf, sizeof(buf), "c", &end, &rem, STRSAFE_FILL_BYTE('*'));
    CHECK_A("CatEx FILL_BEHIND_NULL", hr, S_OK, buf, "abc", end, 3, rem, 5);
    ok(all_bytes(buf + 4, 4, '*'), "CatEx fills behind the new terminator");
    hr = StringCchCatExA(buf, sizeof(buf), NULL, &end, &rem, STRSAFE_IGNORE_NULLS);
    CHECK_A("CatEx IGNORE_NULLS NULL source", hr, S_OK, buf, "abc", end, 3, rem, 5);
    end = a_sentinel;
    rem = T_REM_SENTINEL;
    hr = StringCchCatExA(NULL, 0, NULL, &end, &rem, STRSAFE_IGNORE_NULLS);
    ok(hr == S_OK && end == NULL && rem == 0, "CatEx IGNORE_NULLS NULL onto NULL: %08lx", (unsigned long)hr);
#ifndef __MINGW32__
    /* The current SDK takes a size of 0 under STRSAFE_IGNORE_NULLS as an empty destination;
     * mingw-w64's header (an older SDK's behaviour) measures it and reports an invalid one. */
    hr = StringCchCatExA(buf, 0, "x", &end, &rem, STRSAFE_IGNORE_NULLS);
    CHECK_A("CatEx IGNORE_NULLS size 0", hr, T_INSUFFICIENT, buf, "abc", end, 0, rem, 0);
#endif

    /* A bad flag leaves a Cat destination alone; an unterminated destination is invalid. */
    set_a(buf, "ab");
    end = a_sentinel;
    rem = T_REM_SENTINEL;
    hr = StringCchCatExA(buf, sizeof(buf), "cd", &end, &rem, T_BAD_FLAG);
    CHECK_A("CatEx bad flag", hr, T_INVALID, buf, "ab", end, -2, rem, T_REM_SENTINEL);
    hr = StringCchCatExA(buf, sizeof(buf), "cd", &end, &rem, T_BAD_FLAG | STRSAFE_NULL_ON_FAILURE);
    CHECK_A("CatEx bad flag with NULL_ON_FAILURE", hr, T_INVALID, buf, "", end, -2, rem, T_REM_SENTINEL);
    hr = StringCchCatExA(raw, sizeof(raw), "x", &end, &rem, 0);
    CHECK_A("CatEx unterminated destination", hr, T_INVALID, buf, NULL, end, -2, rem, T_REM_SENTINEL);
    ok(memcmp(raw, "abcd", 4) == 0, "CatEx leaves an unterminated destination alone");
}

static void test_cat_n_a(void)
{
    char buf[8];
    char *end = a_sentinel;
    size_t rem = T_REM_SENTINEL;
    HRESULT hr;

    set_a(buf, "ab");
    hr = StringCchCatNA(buf, sizeof(buf), "cdef", 2);
    ok(hr == S_OK && strcmp(buf, "abcd") == 0, "StringCchCatNA: %08lx '%s'", (unsigned long)hr, buf);
    hr = StringCchCatNA(buf, sizeof(buf), "efghij", 5);
    ok(hr == T_INSUFFICIENT && strcmp(buf, "abcdefg") == 0, "StringCchCatNA truncation: %08lx '%s'",
       (unsigned long)hr, buf);
    set_a(buf, "a");
    hr = StringCbCatNA(buf, sizeof(buf), "bcd", 0);
    ok(hr == S_OK && strcmp(buf, "a") == 0, "StringCbCatNA count 0: %08lx", (unsigned long)hr);
    hr = StringCbCatNA(buf, sizeof(buf), "bcd", 9);
    ok(hr == S_OK && strcmp(buf, "abcd") == 0, "StringCbCatNA short source: %08lx", (unsigned long)hr);
    hr = StringCchCatNA(buf, 0, "x", 1);
    ok(hr == T_INVALID, "StringCchCatNA size 0: %08lx", (unsigned long)hr);

    set_a(buf, "ab");
    hr = StringCchCatNExA(buf, sizeof(buf), "cdef", 2, &end, &rem, 0);
    CHECK_A("StringCchCatNExA", hr, S_OK, buf, "abcd", end, 4, rem, 4);
    set_a(buf, "ab");
    hr = StringCchCatNExA(buf, 4, "cdef", 3, &end, &rem, 0);
    CHECK_A("StringCchCatNExA truncation", hr, T_INSUFFICIENT, buf, "abc", end, 3, rem, 1);
    set_a(buf, "ab");
    hr = StringCchCatNExA(buf, 4, "cdef", 3, &end, &rem, STRSAFE_NO_TRUNCATION);
    CHECK_A("CatNEx NO_TRUNCATION", hr, T_INSUFFICIENT, buf, "ab", end, 2, rem, 2);
    hr = StringCchCatNExA(buf, 4, "cdef", 1, &end, &rem, STRSAFE_NO_TRUNCATION);
    CHECK_A("CatNEx count fits", hr, S_OK, buf, "abc", end, 3, rem, 1);
    hr = StringCchCatNExA(buf, 4, "def", 0, &end, &rem, 0);
    CHECK_A("CatNEx count 0 onto a full buffer", hr, S_OK, buf, "abc", end, 3, rem, 1);
    set_a(buf, "ab");
    hr = StringCbCatNExA(buf, sizeof(buf), "cdef", 3, &end, &rem, STRSAFE_FILL_BYTE('+'));
    CHECK_A("StringCbCatNExA FILL_BEHIND_NULL", hr, S_OK, buf, "abcde", end, 5, rem, 3);
    ok(all_bytes(buf + 6, 2, '+'), "CatNEx fills behind the terminator");
    set_a(buf, "ab");
    hr = StringCbCatNExA(buf, 4, "cdef", 3, &end, &rem, STRSAFE_NULL_ON_FAILURE);
    CHECK_A("StringCbCatNExA NULL_ON_FAILURE", hr, T_INSUFFICIENT, buf, "", end, 0, rem, 4);
    set_a(buf, "ab");
    end = a_sentinel;
    rem = T_REM_SENTINEL;
    hr = StringCchCatNExA(buf, sizeof(buf), "cd", 1, &end, &rem, T_BAD_FLAG);
    CHECK_A("CatNEx bad flag", hr, T_INVALID, buf, "ab", end, -2, rem, T_REM_SENTINEL);
}

static HRESULT vprintf_ex(char *buf, size_t size, int bytes, char **end, size_t *rem, DWORD flags,
                          const char *fmt, ...)
{
    va_list ap;
    HRESULT hr;
    va_start(ap, fmt);
    hr = bytes ? StringCbVPrintfExA(buf, size, end, rem, flags, fmt, ap)
               : StringCchVPrintfExA(buf, size, end, rem, flags, fmt, ap);
    va_end(ap);
    return hr;
}

static void test_printf_ex(void)
{
    char buf[8];
    char *end = a_sentinel;
    size_t rem = T_REM_SENTINEL;
    HRESULT hr;

    hr = StringCchPrintfExA(buf, sizeof(buf), &end, &rem, 0, "%d-%s", 12, "ab");
    CHECK_A("StringCchPrintfExA", hr, S_OK, buf, "12-ab", end, 5, rem, 3);
    hr = StringCchPrintfExA(buf, sizeof(buf), &end, &rem, 0, "%s", "1234567");
    CHECK_A("StringCchPrintfExA exact fit", hr, S_OK, buf, "1234567", end, 7, rem, 1);
    hr = StringCchPrintfExA(buf, sizeof(buf), &end, &rem, 0, "%s", "123456789");
    CHECK_A("StringCchPrintfExA truncation", hr, T_INSUFFICIENT, buf, "1234567", end, 7, rem, 1);
    hr = StringCbPrintfExA(buf, 4, &end, &rem, 0, "%d", 123456);
    CHECK_A("StringCbPrintfExA truncation", hr, T_INSUFFICIENT, buf, "123", end, 3, rem, 1);
    hr = StringCbPrintfExA(buf, sizeof(buf), &end, &rem, 0, "%c", 'z');
    CHECK_A("StringCbPrintfExA", hr, S_OK, buf, "z", end, 1, rem, 7);

    memset(buf, 'x', sizeof(buf));
    hr = StringCchPrintfExA(buf, sizeof(buf), &end, &rem, STRSAFE_FILL_BYTE('*'), "%d", 42);
    CHECK_A("PrintfEx FILL_BEHIND_NULL", hr, S_OK, buf, "42", end, 2, rem, 6);
    ok(all_bytes(buf + 3, 5, '*'), "PrintfEx fills behind the terminator");
    memset(buf, 'x', sizeof(buf));
    hr = StringCchPrintfExA(buf, 4, &end, &rem, STRSAFE_FAILURE_BYTE('#'), "%s", "toolong");
    CHECK_A("PrintfEx FILL_ON_FAILURE", hr, T_INSUFFICIENT, buf, "###", end, 3, rem, 1);
    hr = StringCchPrintfExA(buf, 4, &end, &rem, STRSAFE_NULL_ON_FAILURE, "%s", "toolong");
    CHECK_A("PrintfEx NULL_ON_FAILURE", hr, T_INSUFFICIENT, buf, "", end, 0, rem, 4);
    hr = StringCchPrintfExA(buf, 4, &end, &rem, STRSAFE_NO_TRUNCATION, "%s", "toolong");
    CHECK_A("PrintfEx NO_TRUNCATION", hr, T_INSUFFICIENT, buf, "", end, 0, rem, 4);
    hr = StringCchPrintfExA(NULL, 0, &end, &rem, STRSAFE_IGNORE_NULLS, "%s", "");
    ok(hr == T_INVALID, "PrintfEx IGNORE_NULLS, NULL destination and a format: %08lx", (unsigned long)hr);
    hr = StringCchPrintfExA(buf, 0, &end, &rem, STRSAFE_IGNORE_NULLS, "%d", 1);
    CHECK_A("PrintfEx IGNORE_NULLS size 0", hr, T_INSUFFICIENT, buf, NULL, end, 0, rem, 0);
    set_a(buf, "keep");
    end = a_sentinel;
    rem = T_REM_SENTINEL;
    hr = StringCchPrintfExA(buf, sizeof(buf), &end, &rem, T_BAD_FLAG, "%d", 1);
    CHECK_A("PrintfEx bad flag", hr, T_INVALID, buf, NULL, end, -2, rem, T_REM_SENTINEL);

    hr = vprintf_ex(buf, sizeof(buf), 0, &end, &rem, 0, "%c%c%c", 'x', 'y', 'z');
    CHECK_A("StringCchVPrintfExA", hr, S_OK, buf, "xyz", end, 3, rem, 5);
    hr = vprintf_ex(buf, 3, 1, &end, &rem, STRSAFE_NULL_ON_FAILURE, "%s", "long");
    CHECK_A("StringCbVPrintfExA NULL_ON_FAILURE", hr, T_INSUFFICIENT, buf, "", end, 0, rem, 3);
    hr = vprintf_ex(buf, 3, 1, &end, &rem, 0, "%s", "long");
    CHECK_A("StringCbVPrintfExA truncation", hr, T_INSUFFICIENT, buf, "lo", end, 2, rem, 1);
}

static void test_wide(void)
{
    WCHAR w[8], src[16];
    WCHAR *end = w_sentinel;
    size_t rem = T_REM_SENTINEL;
    HRESULT hr;
    size_t i;

    tu_widen(src, "abc");
    hr = StringCchCopyExW(w, _countof(w), src, &end, &rem, 0);
    CHECK_W("StringCchCopyExW", hr, S_OK, w, "abc", end, 3, rem, 5);
    /* StringCb*W: sizes and the remaining count in bytes. */
    hr = StringCbCopyExW(w, sizeof(w), src, &end, &rem, 0);
    CHECK_W("StringCbCopyExW", hr, S_OK, w, "abc", end, 3, rem, 5 * sizeof(WCHAR));
    tu_widen(src, "abcdefghij");
    hr = StringCchCopyExW(w, _countof(w), src, &end, &rem, 0);
    CHECK_W("StringCchCopyExW truncation", hr, T_INSUFFICIENT, w, "abcdefg", end, 7, rem, 1);
    hr = StringCbCopyExW(w, 4 * sizeof(WCHAR), src, &end, &rem, 0);
    CHECK_W("StringCbCopyExW truncation", hr, T_INSUFFICIENT, w, "abc", end, 3, rem, sizeof(WCHAR));
    hr = StringCchCopyExW(w, 4, src, &end, &rem, STRSAFE_NO_TRUNCATION);
    CHECK_W("CopyExW NO_TRUNCATION", hr, T_INSUFFICIENT, w, "", end, 0, rem, 4);
    hr = StringCchCopyExW(w, 4, src, &end, &rem, STRSAFE_NULL_ON_FAILURE);
    CHECK_W("CopyExW NULL_ON_FAILURE", hr, T_INSUFFICIENT, w, "", end, 0, rem, 4);
    hr = StringCchCopyExW(w, 4, src, &end, &rem, STRSAFE_FAILURE_BYTE(0x41));
    ok(hr == T_INSUFFICIENT && w[0] == 0x4141 && w[1] == 0x4141 && w[2] == 0x4141 && w[3] == 0 && end == w + 3 &&
           rem == 1,
       "CopyExW FILL_ON_FAILURE fills bytes: %08lx %04x %04x", (unsigned long)hr, (unsigned)w[0], (unsigned)w[3]);
    for (i = 0; i < _countof(w); i++)
        w[i] = 'x';
    tu_widen(src, "ab");
    hr = StringCbCopyExW(w, sizeof(w), src, &end, &rem, STRSAFE_FILL_BYTE(0x2A));
    CHECK_W("CopyExW FILL_BEHIND_NULL", hr, S_OK, w, "ab", end, 2, rem, 6 * sizeof(WCHAR));
    ok(all_bytes(w + 3, 5 * sizeof(WCHAR), 0x2A), "CopyExW fills the bytes behind the terminator");
    hr = StringCchCopyExW(w, _countof(w), NULL, &end, &rem, STRSAFE_IGNORE_NULLS);
    CHECK_W("CopyExW IGNORE_NULLS", hr, S_OK, w, "", end, 0, rem, 8);
    end = w_sentinel;
    rem = T_REM_SENTINEL;
    hr = StringCchCopyExW(w, _countof(w), src, &end, &rem, T_BAD_FLAG);
    CHECK_W("CopyExW bad flag", hr, T_INVALID, w, NULL, end, -2, rem, T_REM_SENTINEL);

    tu_widen(src, "abcdef");
    hr = StringCchCopyNExW(w, _countof(w), src, 2, &end, &rem, 0);
    CHECK_W("StringCchCopyNExW", hr, S_OK, w, "ab", end, 2, rem, 6);
    hr = StringCbCopyNExW(w, sizeof(w), src, 3 * sizeof(WCHAR), &end, &rem, 0);
    CHECK_W("StringCbCopyNExW counts bytes", hr, S_OK, w, "abc", end, 3, rem, 5 * sizeof(WCHAR));
    hr = StringCbCopyNExW(w, 3 * sizeof(WCHAR), src, 5 * sizeof(WCHAR), &end, &rem, STRSAFE_NO_TRUNCATION);
    CHECK_W("StringCbCopyNExW NO_TRUNCATION", hr, T_INSUFFICIENT, w, "", end, 0, rem, 3 * sizeof(WCHAR));

    tu_widen(w, "ab");
    tu_widen(src, "cd");
    hr = StringCchCatExW(w, _countof(w), src, &end, &rem, 0);
    CHECK_W("StringCchCatExW", hr, S_OK, w, "abcd", end, 4, rem, 4);
    tu_widen(src, "efghij");
    hr = StringCbCatExW(w, sizeof(w), src, &end, &rem, 0);
    CHECK_W("StringCbCatExW truncation", hr, T_INSUFFICIENT, w, "abcdefg", end, 7, rem, sizeof(WCHAR));
    tu_widen(w, "ab");
    hr = StringCchCatExW(w, 5, src, &end, &rem, STRSAFE_NO_TRUNCATION);
    CHECK_W("CatExW NO_TRUNCATION", hr, T_INSUFFICIENT, w, "ab", end, 2, rem, 3);
    hr = StringCbCatExW(w, 5 * sizeof(WCHAR), src, &end, &rem, STRSAFE_NULL_ON_FAILURE);
    CHECK_W("CatExW NULL_ON_FAILURE", hr, T_INSUFFICIENT, w, "", end, 0, rem, 5 * sizeof(WCHAR));

    tu_widen(w, "ab");
    tu_widen(src, "cdef");
    hr = StringCchCatNW(w, _countof(w), src, 2);
    ok(hr == S_OK && tu_wide_eq(w, "abcd"), "StringCchCatNW: %08lx", (unsigned long)hr);
    hr = StringCbCatNW(w, sizeof(w), src, 4 * sizeof(WCHAR));
    ok(hr == T_INSUFFICIENT && tu_wide_eq(w, "abcdcde"), "StringCbCatNW truncation: %08lx", (unsigned long)hr);
    tu_widen(w, "ab");
    hr = StringCchCatNExW(w, _countof(w), src, 3, &end, &rem, 0);
    CHECK_W("StringCchCatNExW", hr, S_OK, w, "abcde", end, 5, rem, 3);
    tu_widen(w, "ab");
    hr = StringCbCatNExW(w, 4 * sizeof(WCHAR), src, 3 * sizeof(WCHAR), &end, &rem, STRSAFE_NO_TRUNCATION);
    CHECK_W("StringCbCatNExW NO_TRUNCATION", hr, T_INSUFFICIENT, w, "ab", end, 2, rem, 2 * sizeof(WCHAR));
    hr = StringCbCatNExW(w, 4 * sizeof(WCHAR), src, 1 * sizeof(WCHAR), &end, &rem, 0);
    CHECK_W("StringCbCatNExW", hr, S_OK, w, "abc", end, 3, rem, sizeof(WCHAR));
}

static void test_tchar_names(void)
{
    char buf[8];
    char *end;
    size_t rem;
    HRESULT hr;

    hr = StringCchCopyEx(buf, sizeof(buf), "ab", &end, &rem, 0);
    CHECK_A("StringCchCopyEx", hr, S_OK, buf, "ab", end, 2, rem, 6);
    hr = StringCbCopyEx(buf, sizeof(buf), "abc", &end, &rem, 0);
    CHECK_A("StringCbCopyEx", hr, S_OK, buf, "abc", end, 3, rem, 5);
    hr = StringCchCopyNEx(buf, sizeof(buf), "abc", 1, &end, &rem, 0);
    CHECK_A("StringCchCopyNEx", hr, S_OK, buf, "a", end, 1, rem, 7);
    hr = StringCbCopyNEx(buf, sizeof(buf), "abc", 2, &end, &rem, 0);
    CHECK_A("StringCbCopyNEx", hr, S_OK, buf, "ab", end, 2, rem, 6);
    hr = StringCchCatEx(buf, sizeof(buf), "c", &end, &rem, 0);
    CHECK_A("StringCchCatEx", hr, S_OK, buf, "abc", end, 3, rem, 5);
    hr = StringCbCatEx(buf, sizeof(buf), "d", &end, &rem, 0);
    CHECK_A("StringCbCatEx", hr, S_OK, buf, "abcd", end, 4, rem, 4);
    hr = StringCchCatN(buf, sizeof(buf), "ef", 1);
    ok(hr == S_OK && strcmp(buf, "abcde") == 0, "StringCchCatN");
    hr = StringCbCatN(buf, sizeof(buf), "fg", 1);
    ok(hr == S_OK && strcmp(buf, "abcdef") == 0, "StringCbCatN");
    hr = StringCchCatNEx(buf, sizeof(buf), "gh", 1, &end, &rem, 0);
    CHECK_A("StringCchCatNEx", hr, S_OK, buf, "abcdefg", end, 7, rem, 1);
    hr = StringCbCatNEx(buf, sizeof(buf), "h", 1, &end, &rem, 0);
    CHECK_A("StringCbCatNEx", hr, T_INSUFFICIENT, buf, "abcdefg", end, 7, rem, 1);
    hr = StringCchPrintfEx(buf, sizeof(buf), &end, &rem, 0, "%d", 5);
    CHECK_A("StringCchPrintfEx", hr, S_OK, buf, "5", end, 1, rem, 7);
    hr = StringCbPrintfEx(buf, sizeof(buf), &end, &rem, 0, "%d", 56);
    CHECK_A("StringCbPrintfEx", hr, S_OK, buf, "56", end, 2, rem, 6);
}

int main(void)
{
    test_flag_values();
    test_copy_ex_a();
    test_copy_n_ex_a();
    test_cat_ex_a();
    test_cat_n_a();
    test_printf_ex();
    test_wide();
    test_tchar_names();
    return test_done();
}
