/* <tchar.h> in its ANSI mapping: _T/_TEXT, _TCHAR/TCHAR/LPTSTR, _tmain, and the _t/_tcs names
 * reaching the char functions of the C runtime. */
#include "testutil.h"
#include <tchar.h>

static int call_vstprintf(_TCHAR *buf, const _TCHAR *fmt, ...)
{
    va_list ap;
    int r;
    va_start(ap, fmt);
    r = _vstprintf(buf, fmt, ap);
    va_end(ap);
    return r;
}

static void test_types(void)
{
    const _TCHAR *lit = _T("text");
    LPCTSTR c = TEXT("const");
    TCHAR tbuf[8];
    LPTSTR p = tbuf;

    ok(sizeof(_TCHAR) == 1 && sizeof(TCHAR) == 1, "ANSI TCHAR is one byte");
    ok(sizeof(_T("ab")) == 3 && sizeof(_TEXT("ab")) == 3, "_T and _TEXT give char literals");
    ok(strcmp(lit, "text") == 0 && strcmp(c, "const") == 0, "literals");
    _tcscpy(p, _T("lp"));
    ok(strcmp(tbuf, "lp") == 0, "LPTSTR");
    ok(_TEOF == EOF, "_TEOF");
}

static void test_strings(void)
{
    _TCHAR buf[32], fmt[64];
    _TCHAR *d, *tok;
    char *end;
    int r;

    ok(_tcslen(_T("hello")) == 5, "_tcslen");
    _tcscpy(buf, _T("abc"));
    _tcscat(buf, _T("def"));
    ok(_tcscmp(buf, _T("abcdef")) == 0, "_tcscpy/_tcscat/_tcscmp");
    ok(_tcsicmp(buf, _T("ABCDEF")) == 0, "_tcsicmp");
    ok(_tcsnicmp(buf, _T("ABCxyz"), 3) == 0, "_tcsnicmp");
    ok(_tcsncmp(buf, _T("abcxyz"), 3) == 0 && _tcsncmp(buf, _T("abcxyz"), 4) < 0, "_tcsncmp");
    memset(buf, 'z', sizeof(buf));
    _tcsncpy(buf, _T("ab"), 5);
    ok(memcmp(buf, "ab\0\0\0z", 6) == 0, "_tcsncpy pads with terminators up to the count");
    _tcscpy(buf, _T("a.b.c"));
    ok(_tcschr(buf, _T('.')) == buf + 1 && _tcsrchr(buf, _T('.')) == buf + 3, "_tcschr/_tcsrchr");
    ok(_tcsstr(buf, _T("b.c")) == buf + 2 && _tcsstr(buf, _T("x")) == NULL, "_tcsstr");
    ok(_tcsspn(buf, _T("a.")) == 2 && _tcscspn(buf, _T("c")) == 4, "_tcsspn/_tcscspn");
    tok = _tcstok(buf, _T("."));
    ok(tok && _tcscmp(tok, _T("a")) == 0, "_tcstok");
    d = _tcsdup(_T("dup"));
    ok(d && _tcscmp(d, _T("dup")) == 0, "_tcsdup");
    free(d);
    _tcscpy(buf, _T("MiXed"));
    ok(_tcscmp(_tcsupr(buf), _T("MIXED")) == 0 && _tcscmp(_tcslwr(buf), _T("mixed")) == 0, "_tcsupr/_tcslwr");

    ok(_ttoi(_T("  -42x")) == -42 && _tstoi(_T("17")) == 17 && _ttol(_T("99")) == 99, "_ttoi/_tstoi/_ttol");
    ok(_tcstol(_T("ff"), &end, 16) == 255 && *end == 0, "_tcstol");
    ok(_tcstoul(_T("4000000000"), NULL, 10) == 4000000000UL, "_tcstoul");
    ok(_totupper(_T('a')) == 'A' && _totlower(_T('Q')) == 'q', "_totupper/_totlower");
    ok(_istspace(_T(' ')) && !_istspace(_T('x')) && _istdigit(_T('7')) && !_istdigit(_T('a')),
       "_istspace/_istdigit");
    ok(_istalpha(_T('k')) && _istalnum(_T('5')) && _istupper(_T('K')) && _istlower(_T('k')) && _istxdigit(_T('F')),
       "_istalpha/_istalnum/_istupper/_istlower/_istxdigit");

    r = _stprintf(buf, _T("%d-%s"), 5, _T("x"));
    ok(r == 3 && _tcscmp(buf, _T("5-x")) == 0, "_stprintf: %d", r);
    memset(buf, 'z', sizeof(buf));
    r = _sntprintf(buf, 3, _T("%s"), _T("abcdef"));
    ok(r == -1 && memcmp(buf, "abcz", 4) == 0, "_sntprintf follows _snprintf: %d", r);
    _tcscpy(fmt, _T("%s/%d"));
    r = call_vstprintf(buf, fmt, _T("v"), 9);
    ok(r == 3 && _tcscmp(buf, _T("v/9")) == 0, "_vstprintf: %d", r);
    r = _stscanf(_T("12 ab"), _T("%d %31s"), &r, buf);
    ok(r == 2 && _tcscmp(buf, _T("ab")) == 0, "_stscanf");
}

static void test_files(void)
{
    char path[MAX_PATH], name[MAX_PATH], line[32];
    FILE *f;

    ok(GetTempPathA(sizeof(path), path) != 0, "GetTempPathA");
    ok(GetTempFileNameA(path, "tch", 0, name) != 0, "GetTempFileNameA: %lu", (unsigned long)GetLastError());
    f = _tfopen(name, _T("w"));
    ok(f != NULL, "_tfopen for writing");
    if (!f)
        return;
    _ftprintf(f, _T("%s %d\n"), _T("line"), 1);
    _fputts(_T("second\n"), f);
    fclose(f);
    f = _tfopen(name, _T("r"));
    ok(f != NULL, "_tfopen for reading");
    if (f) {
        ok(_fgetts(line, sizeof(line), f) && _tcscmp(line, _T("line 1\n")) == 0, "_ftprintf/_fgetts: %s", line);
        ok(_fgetts(line, sizeof(line), f) && _tcscmp(line, _T("second\n")) == 0, "_fputts: %s", line);
        fclose(f);
    }
    ok(_tremove(name) == 0, "_tremove");
}

int _tmain(int argc, _TCHAR **argv)
{
    ok(argc >= 1 && argv[0] != NULL, "_tmain gets argc/argv");
    test_types();
    test_strings();
    test_files();
    _tprintf(_T("%s\n"), _T("_tprintf works"));
    return test_done();
}
