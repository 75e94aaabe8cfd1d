/* <strsafe.h>: the StringCch and StringCb functions and their HRESULTs (S_OK,
 * STRSAFE_E_INSUFFICIENT_BUFFER with the destination truncated and terminated,
 * STRSAFE_E_INVALID_PARAMETER for a zero or oversized size), A and W, and the TCHAR names. */
#include "testutil.h"
#include <strsafe.h>

#define T_INSUFFICIENT ((HRESULT)0x8007007A)
#define T_INVALID ((HRESULT)0x80070057)

static HRESULT call_vprintf(char *buf, size_t cch, int bytes, const char *fmt, ...)
{
    va_list ap;
    HRESULT hr;
    va_start(ap, fmt);
    hr = bytes ? StringCbVPrintfA(buf, cch, fmt, ap) : StringCchVPrintfA(buf, cch, fmt, ap);
    va_end(ap);
    return hr;
}

static void test_constants(void)
{
    ok(STRSAFE_E_INSUFFICIENT_BUFFER == T_INSUFFICIENT, "STRSAFE_E_INSUFFICIENT_BUFFER");
    ok(STRSAFE_E_INVALID_PARAMETER == T_INVALID, "STRSAFE_E_INVALID_PARAMETER");
    ok(STRSAFE_MAX_CCH == 2147483647, "STRSAFE_MAX_CCH");
    ok(FAILED(STRSAFE_E_INSUFFICIENT_BUFFER) && SUCCEEDED(S_OK), "FAILED/SUCCEEDED");
}

static void test_copy(void)
{
    char buf[8];
    HRESULT hr;

    hr = StringCchCopyA(buf, sizeof(buf), "abc");
    ok(hr == S_OK && strcmp(buf, "abc") == 0, "StringCchCopyA: %08lx", (unsigned long)hr);
    hr = StringCchCopyA(buf, sizeof(buf), "1234567");
    ok(hr == S_OK && strcmp(buf, "1234567") == 0, "StringCchCopyA exact fit: %08lx", (unsigned long)hr);
    hr = StringCchCopyA(buf, sizeof(buf), "123456789");
    ok(hr == T_INSUFFICIENT, "StringCchCopyA too long: %08lx", (unsigned long)hr);
    ok(strcmp(buf, "1234567") == 0, "StringCchCopyA truncates and terminates: '%s'", buf);
    hr = StringCbCopyA(buf, 4, "abcdef");
    ok(hr == T_INSUFFICIENT && strcmp(buf, "abc") == 0, "StringCbCopyA truncation: %08lx '%s'", (unsigned long)hr,
       buf);

    memset(buf, 'x', sizeof(buf));
    hr = StringCchCopyA(buf, 0, "abc");
    ok(hr == T_INVALID, "StringCchCopyA size 0: %08lx", (unsigned long)hr);
    ok(buf[0] == 'x', "StringCchCopyA size 0 writes nothing");
    hr = StringCbCopyA(buf, 0, "abc");
    ok(hr == T_INVALID, "StringCbCopyA size 0: %08lx", (unsigned long)hr);
    hr = StringCchCopyA(buf, (size_t)STRSAFE_MAX_CCH + 1, "abc");
    ok(hr == T_INVALID, "StringCchCopyA oversized: %08lx", (unsigned long)hr);

    hr = StringCchCopyNA(buf, sizeof(buf), "abcdef", 3);
    ok(hr == S_OK && strcmp(buf, "abc") == 0, "StringCchCopyNA 3: %08lx '%s'", (unsigned long)hr, buf);
    hr = StringCchCopyNA(buf, sizeof(buf), "ab", 5);
    ok(hr == S_OK && strcmp(buf, "ab") == 0, "StringCchCopyNA short source: %08lx", (unsigned long)hr);
    hr = StringCchCopyNA(buf, 4, "abcdef", 5);
    ok(hr == T_INSUFFICIENT && strcmp(buf, "abc") == 0, "StringCchCopyNA truncation: %08lx '%s'", (unsigned long)hr,
       buf);
    hr = StringCbCopyNA(buf, sizeof(buf), "abcdef", 2);
    ok(hr == S_OK && strcmp(buf, "ab") == 0, "StringCbCopyNA: %08lx '%s'", (unsigned long)hr, buf);
    hr = StringCchCopyNA(buf, sizeof(buf), "abc", (size_t)STRSAFE_MAX_CCH + 1);
    ok(hr == T_INVALID, "StringCchCopyNA oversized count: %08lx", (unsigned long)hr);
}

static void test_cat(void)
{
    char buf[8];
    HRESULT hr;

    memcpy(buf, "ab", 3);
    hr = StringCchCatA(buf, sizeof(buf), "cd");
    ok(hr == S_OK && strcmp(buf, "abcd") == 0, "StringCchCatA: %08lx '%s'", (unsigned long)hr, buf);
    hr = StringCchCatA(buf, sizeof(buf), "efg");
    ok(hr == S_OK && strcmp(buf, "abcdefg") == 0, "StringCchCatA exact fit: %08lx", (unsigned long)hr);
    memcpy(buf, "abcde", 6);
    hr = StringCbCatA(buf, sizeof(buf), "fghij");
    ok(hr == T_INSUFFICIENT && strcmp(buf, "abcdefg") == 0, "StringCbCatA truncation: %08lx '%s'",
       (unsigned long)hr, buf);
    hr = StringCchCatA(buf, 0, "x");
    ok(hr == T_INVALID, "StringCchCatA size 0: %08lx", (unsigned long)hr);
    memset(buf, 'x', sizeof(buf));
    hr = StringCchCatA(buf, sizeof(buf), "y");
    ok(hr == T_INVALID, "StringCchCatA unterminated destination: %08lx", (unsigned long)hr);
}

static void test_length(void)
{
    size_t n = 99;
    char raw[4] = {'a', 'b', 'c', 'd'};
    HRESULT hr;

    hr = StringCchLengthA("hello", 10, &n);
    ok(hr == S_OK && n == 5, "StringCchLengthA: %08lx %u", (unsigned long)hr, (unsigned)n);
    hr = StringCchLengthA("hello", 6, &n);
    ok(hr == S_OK && n == 5, "StringCchLengthA terminator at the limit: %08lx %u", (unsigned long)hr, (unsigned)n);
    n = 99;
    hr = StringCchLengthA("hello", 5, &n);
    ok(hr == T_INVALID && n == 0, "StringCchLengthA longer than the limit: %08lx %u", (unsigned long)hr,
       (unsigned)n);
    hr = StringCchLengthA(raw, sizeof(raw), NULL);
    ok(hr == T_INVALID, "StringCchLengthA unterminated, NULL length: %08lx", (unsigned long)hr);
    n = 99;
    hr = StringCchLengthA(NULL, 10, &n);
    ok(hr == T_INVALID && n == 0, "StringCchLengthA NULL string: %08lx %u", (unsigned long)hr, (unsigned)n);
    hr = StringCchLengthA("x", (size_t)STRSAFE_MAX_CCH + 1, &n);
    ok(hr == T_INVALID, "StringCchLengthA oversized limit: %08lx", (unsigned long)hr);
    hr = StringCbLengthA("four", 16, &n);
    ok(hr == S_OK && n == 4, "StringCbLengthA: %08lx %u", (unsigned long)hr, (unsigned)n);
    hr = StringCchLength("tchar", 16, &n);
    ok(hr == S_OK && n == 5, "StringCchLength (TCHAR name): %08lx", (unsigned long)hr);
}

static void test_printf(void)
{
    char buf[8];
    HRESULT hr;

    hr = StringCchPrintfA(buf, sizeof(buf), "%d:%s", 42, "ab");
    ok(hr == S_OK && strcmp(buf, "42:ab") == 0, "StringCchPrintfA: %08lx '%s'", (unsigned long)hr, buf);
    hr = StringCchPrintfA(buf, sizeof(buf), "%s", "1234567");
    ok(hr == S_OK && strcmp(buf, "1234567") == 0, "StringCchPrintfA exact fit: %08lx", (unsigned long)hr);
    hr = StringCchPrintfA(buf, sizeof(buf), "%s", "12345678");
    ok(hr == T_INSUFFICIENT && strcmp(buf, "1234567") == 0, "StringCchPrintfA truncation: %08lx '%s'",
       (unsigned long)hr, buf);
    hr = StringCbPrintfA(buf, 4, "%d", 123456);
    ok(hr == T_INSUFFICIENT && strcmp(buf, "123") == 0, "StringCbPrintfA truncation: %08lx '%s'",
       (unsigned long)hr, buf);
    hr = StringCchPrintfA(buf, 0, "%d", 1);
    ok(hr == T_INVALID, "StringCchPrintfA size 0: %08lx", (unsigned long)hr);
    hr = call_vprintf(buf, sizeof(buf), 0, "%c%c%c", 'x', 'y', 'z');
    ok(hr == S_OK && strcmp(buf, "xyz") == 0, "StringCchVPrintfA: %08lx", (unsigned long)hr);
    hr = call_vprintf(buf, 3, 1, "%s", "long");
    ok(hr == T_INSUFFICIENT && strcmp(buf, "lo") == 0, "StringCbVPrintfA truncation: %08lx '%s'",
       (unsigned long)hr, buf);
    hr = StringCchPrintf(buf, sizeof(buf), "%u", 7u);
    ok(hr == S_OK && strcmp(buf, "7") == 0, "StringCchPrintf (TCHAR name): %08lx", (unsigned long)hr);
    hr = StringCbCopy(buf, sizeof(buf), "t");
    ok(hr == S_OK && strcmp(buf, "t") == 0, "StringCbCopy (TCHAR name)");
    hr = StringCchCat(buf, sizeof(buf), "u");
    ok(hr == S_OK && strcmp(buf, "tu") == 0, "StringCchCat (TCHAR name)");
}

static void test_wide(void)
{
    WCHAR w[8], src[16];
    size_t n = 99;
    HRESULT hr;

    tu_widen(src, "abc");
    hr = StringCchCopyW(w, _countof(w), src);
    ok(hr == S_OK && tu_wide_eq(w, "abc"), "StringCchCopyW: %08lx", (unsigned long)hr);
    tu_widen(src, "defghij");
    hr = StringCchCatW(w, _countof(w), src);
    ok(hr == T_INSUFFICIENT && tu_wide_eq(w, "abcdefg"), "StringCchCatW truncation: %08lx", (unsigned long)hr);
    hr = StringCbCopyW(w, 3 * sizeof(WCHAR), src);
    ok(hr == T_INSUFFICIENT && tu_wide_eq(w, "de"), "StringCbCopyW counts bytes: %08lx", (unsigned long)hr);
    hr = StringCbCatW(w, sizeof(w), src);
    ok(hr == T_INSUFFICIENT && tu_wide_eq(w, "dedefgh"), "StringCbCatW: %08lx", (unsigned long)hr);
    hr = StringCchCopyNW(w, _countof(w), src, 2);
    ok(hr == S_OK && tu_wide_eq(w, "de"), "StringCchCopyNW: %08lx", (unsigned long)hr);
    hr = StringCbCopyNW(w, sizeof(w), src, 3 * sizeof(WCHAR));
    ok(hr == S_OK && tu_wide_eq(w, "def"), "StringCbCopyNW counts bytes: %08lx", (unsigned long)hr);
    hr = StringCchLengthW(src, 16, &n);
    ok(hr == S_OK && n == 7, "StringCchLengthW: %08lx %u", (unsigned long)hr, (unsigned)n);
    hr = StringCbLengthW(src, sizeof(src), &n);
    ok(hr == S_OK && n == 7 * sizeof(WCHAR), "StringCbLengthW gives bytes: %08lx %u", (unsigned long)hr,
       (unsigned)n);
    hr = StringCchLengthW(src, 7, &n);
    ok(hr == T_INVALID && n == 0, "StringCchLengthW longer than the limit: %08lx", (unsigned long)hr);
    hr = StringCchCopyW(w, 0, src);
    ok(hr == T_INVALID, "StringCchCopyW size 0: %08lx", (unsigned long)hr);
}

int main(void)
{
    test_constants();
    test_copy();
    test_cat();
    test_length();
    test_printf();
    test_wide();
    return test_done();
}
