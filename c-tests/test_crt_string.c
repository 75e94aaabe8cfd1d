/* C runtime and Win32 string functions: _stricmp family, _strlwr/_strupr, _strdup, lstr*. */
#include "testutil.h"

static int sign(int v)
{
    return (v > 0) - (v < 0);
}

static void test_stricmp(void)
{
    char s[16];
    char *d;

    ok(_stricmp("Hello", "hELLO") == 0, "_stricmp equal ignoring case");
    ok(_stricmp("abc", "ABD") < 0, "_stricmp abc < ABD");
    ok(_stricmp("ABD", "abc") > 0, "_stricmp ABD > abc");
    ok(_stricmp("ab", "ABC") < 0, "_stricmp prefix sorts first");
    ok(_stricmp("", "") == 0, "_stricmp empty");
    /* The comparison folds to lower case: "_" (0x5F) sorts before "a" (0x61). */
    ok(_stricmp("_", "A") < 0, "_stricmp compares the lower-case forms: '_' < 'a'");
    ok(_strnicmp("HelloWorld", "hELLOthere", 5) == 0, "_strnicmp first 5 equal");
    ok(_strnicmp("HelloWorld", "hELLOthere", 6) > 0, "_strnicmp 6th differs (w > t)");
    ok(_strnicmp("abc", "xyz", 0) == 0, "_strnicmp count 0");
    ok(_strnicmp("ab", "abc", 5) < 0, "_strnicmp shorter string first");
    ok(_strcmpi("MiXeD", "mixed") == 0, "_strcmpi");

    strcpy(s, "MiXeD 12!");
    ok(_strlwr(s) == s && strcmp(s, "mixed 12!") == 0, "_strlwr: %s", s);
    ok(_strupr(s) == s && strcmp(s, "MIXED 12!") == 0, "_strupr: %s", s);

    d = _strdup("copy me");
    ok(d != NULL && strcmp(d, "copy me") == 0, "_strdup");
    free(d);
}

static void test_lstr(void)
{
    char buf[16];
    WCHAR w[16], w2[16];

    ok(lstrlenA(NULL) == 0, "lstrlenA(NULL) is 0");
    ok(lstrlenA("") == 0, "lstrlenA empty");
    ok(lstrlenA("socket") == 6, "lstrlenA");
    ok(lstrlenW(NULL) == 0, "lstrlenW(NULL) is 0");
    tu_widen(w, "wide");
    ok(lstrlenW(w) == 4, "lstrlenW");

    ok(lstrcpyA(buf, "abc") == buf && strcmp(buf, "abc") == 0, "lstrcpyA");
    ok(lstrcatA(buf, "def") == buf && strcmp(buf, "abcdef") == 0, "lstrcatA");

    memset(buf, 'x', sizeof(buf));
    ok(lstrcpynA(buf, "abcdef", 4) == buf && strcmp(buf, "abc") == 0, "lstrcpynA copies n-1 and terminates: %s",
       buf);
    ok(buf[4] == 'x', "lstrcpynA writes nothing after the terminator");
    ok(lstrcpynA(buf, "ab", 10) == buf && strcmp(buf, "ab") == 0, "lstrcpynA short source");
    memset(buf, 'x', sizeof(buf));
    ok(lstrcpynA(buf, "abc", 1) == buf && buf[0] == 0 && buf[1] == 'x', "lstrcpynA n=1 gives an empty string");

    ok(lstrcpyW(w2, w) == w2 && tu_wide_eq(w2, "wide"), "lstrcpyW");
    tu_widen(w, "er");
    ok(lstrcatW(w2, w) == w2 && tu_wide_eq(w2, "wideer"), "lstrcatW");
    ok(lstrcpynW(w, w2, 3) == w && tu_wide_eq(w, "wi"), "lstrcpynW");

    ok(lstrcmpA("abc", "abc") == 0, "lstrcmpA equal");
    ok(lstrcmpA("abc", "abd") == -1, "lstrcmpA less gives -1: %d", lstrcmpA("abc", "abd"));
    ok(lstrcmpA("abd", "abc") == 1, "lstrcmpA greater gives 1");
    /* A word sort, not byte order: letters regardless of case first, then lower before upper. */
    ok(lstrcmpA("a", "B") == -1, "lstrcmpA a < B (byte order would say otherwise)");
    ok(lstrcmpA("B", "a") == 1, "lstrcmpA B > a");
    ok(lstrcmpA("a", "A") == -1, "lstrcmpA lower case before upper case: %d", lstrcmpA("a", "A"));
    ok(lstrcmpA("abc", "ab") == 1, "lstrcmpA longer after its prefix");
    ok(lstrcmpA("1", "a") == -1, "lstrcmpA digits before letters");
    ok(lstrcmpA("", "a") == -1, "lstrcmpA empty first");
    ok(lstrcmpiA("HeLLo", "hello") == 0, "lstrcmpiA equal");
    ok(lstrcmpiA("a", "B") == -1, "lstrcmpiA a < B");
    ok(lstrcmpiA("Zeta", "alpha") == 1, "lstrcmpiA Zeta > alpha");
    ok(sign(lstrcmpiA("abc", "ABCD")) == -1, "lstrcmpiA prefix first");
    ok(lstrlen("four") == 4 && lstrcmp("x", "x") == 0 && lstrcmpi("X", "x") == 0, "TCHAR names");
}

int main(void)
{
    test_stricmp();
    test_lstr();
    return test_done();
}
