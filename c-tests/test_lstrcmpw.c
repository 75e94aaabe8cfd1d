/* lstrcmpW and lstrcmpiW: the same word-sort order as lstrcmpA/lstrcmpiA (symbols before digits
 * before letters, letters alphabetically regardless of case, then lower case before upper case),
 * -1/0/1, over UTF-16 strings. */
#include "testutil.h"

static int sign(int v)
{
    return (v > 0) - (v < 0);
}

/* lstrcmpW / lstrcmpiW of two ASCII strings widened to WCHAR. */
static int cmpw(const char *a, const char *b, int ignore_case)
{
    WCHAR wa[32], wb[32];
    tu_widen(wa, a);
    tu_widen(wb, b);
    return ignore_case ? lstrcmpiW(wa, wb) : lstrcmpW(wa, wb);
}

static void test_lstrcmpw(void)
{
    ok(cmpw("abc", "abc", 0) == 0, "lstrcmpW equal");
    ok(cmpw("abc", "abd", 0) == -1, "lstrcmpW less gives -1: %d", cmpw("abc", "abd", 0));
    ok(cmpw("abd", "abc", 0) == 1, "lstrcmpW greater gives 1: %d", cmpw("abd", "abc", 0));
    /* A word sort, not code-unit order. */
    ok(cmpw("a", "B", 0) == -1, "lstrcmpW a < B (code-unit order would say otherwise)");
    ok(cmpw("B", "a", 0) == 1, "lstrcmpW B > a");
    ok(cmpw("a", "A", 0) == -1, "lstrcmpW lower case before upper case: %d", cmpw("a", "A", 0));
    ok(cmpw("A", "a", 0) == 1, "lstrcmpW upper case after lower case");
    ok(cmpw("abc", "ab", 0) == 1, "lstrcmpW longer after its prefix");
    ok(cmpw("ab", "abc", 0) == -1, "lstrcmpW prefix first");
    ok(cmpw("1", "a", 0) == -1, "lstrcmpW digits before letters");
    ok(cmpw("9", "A", 0) == -1, "lstrcmpW digits before upper-case letters");
    ok(cmpw("2", "10", 0) == 1, "lstrcmpW digits compare as characters, not numbers");
    ok(cmpw("", "a", 0) == -1, "lstrcmpW empty first");
    ok(cmpw("", "", 0) == 0, "lstrcmpW both empty");
    ok(cmpw("Apple", "apple", 0) == 1, "lstrcmpW case decides only among otherwise equal strings");
    ok(cmpw("apple", "Banana", 0) == -1, "lstrcmpW apple < Banana");
    ok(cmpw("Apple", "banana", 0) == -1, "lstrcmpW Apple < banana");
}

static void test_lstrcmpiw(void)
{
    ok(cmpw("HeLLo", "hello", 1) == 0, "lstrcmpiW equal ignoring case");
    ok(cmpw("a", "B", 1) == -1, "lstrcmpiW a < B");
    ok(cmpw("B", "a", 1) == 1, "lstrcmpiW B > a");
    ok(cmpw("Zeta", "alpha", 1) == 1, "lstrcmpiW Zeta > alpha");
    ok(sign(cmpw("abc", "ABCD", 1)) == -1, "lstrcmpiW prefix first");
    ok(cmpw("1", "a", 1) == -1, "lstrcmpiW digits before letters");
    ok(cmpw("", "", 1) == 0, "lstrcmpiW both empty");
}

static void test_tchar_names(void)
{
#ifdef UNICODE
    WCHAR x[2] = {'x', 0}, X[2] = {'X', 0};
    ok(lstrcmp(x, x) == 0 && lstrcmpi(X, x) == 0 && lstrcmp(x, X) == -1, "TCHAR names map to W");
#else
    ok(lstrcmp("x", "x") == 0 && lstrcmpi("X", "x") == 0 && lstrcmp("x", "X") == -1, "TCHAR names map to A");
#endif
}

int main(void)
{
    test_lstrcmpw();
    test_lstrcmpiw();
    test_tchar_names();
    return test_done();
}
