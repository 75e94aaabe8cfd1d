/* ws2-uring: internal header, included by <windows.h>. Not for direct use.
 *
 * The pieces of Microsoft's C runtime and of the Win32 string API that Windows programs use
 * without thinking of them as Windows-only: _countof, __declspec(thread), the case-insensitive
 * comparisons, the lstr* functions, the _snprintf family with the Microsoft CRT's truncation
 * rules, the bounds-checked *_s functions, _itoa, errno_t/rsize_t, S_OK/SUCCEEDED/FAILED.
 *
 * Everything is static inline: no export of the library is involved. The *_s functions report
 * bad arguments through their documented errno_t / -1 results and empty the destination; no
 * invalid parameter handler is invoked (Windows would call it, and by default end the process).
 */
#ifndef WS2_URING_CRT_H
#define WS2_URING_CRT_H

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- __declspec: the Microsoft attribute syntax, mapped to GCC's ---- */
#ifndef __declspec
#define __declspec(x) WS2_URING_DECLSPEC_##x
#ifdef __cplusplus
#define WS2_URING_DECLSPEC_thread thread_local
#else
#define WS2_URING_DECLSPEC_thread _Thread_local
#endif
#define WS2_URING_DECLSPEC_dllimport
#define WS2_URING_DECLSPEC_dllexport __attribute__((visibility("default")))
#define WS2_URING_DECLSPEC_noreturn __attribute__((noreturn))
#define WS2_URING_DECLSPEC_noinline __attribute__((noinline))
#define WS2_URING_DECLSPEC_nothrow __attribute__((nothrow))
#define WS2_URING_DECLSPEC_deprecated __attribute__((deprecated))
#define WS2_URING_DECLSPEC_selectany __attribute__((weak))
#define WS2_URING_DECLSPEC_novtable
#define WS2_URING_DECLSPEC_noalias
#define WS2_URING_DECLSPEC_restrict
#define WS2_URING_DECLSPEC_align(n) __attribute__((aligned(n)))
#define WS2_URING_DECLSPEC_uuid(s)
#endif

/* ---- types, constants, macros of the Microsoft CRT ---- */
#ifndef _ERRNO_T_DEFINED
#define _ERRNO_T_DEFINED
typedef int errno_t;
#endif
#ifndef _RSIZE_T_DEFINED
#define _RSIZE_T_DEFINED
typedef size_t rsize_t;
#endif
#ifndef _TRUNCATE
#define _TRUNCATE ((size_t)-1)
#endif
#ifndef STRUNCATE
#define STRUNCATE 80
#endif
#ifndef _countof
#define _countof(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* ---- HRESULT helpers ---- */
#ifndef SUCCEEDED
#define SUCCEEDED(hr) (((HRESULT)(hr)) >= 0)
#endif
#ifndef FAILED
#define FAILED(hr) (((HRESULT)(hr)) < 0)
#endif
#ifndef S_OK
#define S_OK ((HRESULT)0L)
#endif
#ifndef S_FALSE
#define S_FALSE ((HRESULT)1L)
#endif
#ifndef E_INVALIDARG
#define E_INVALIDARG ((HRESULT)0x80070057L)
#endif
#ifndef E_OUTOFMEMORY
#define E_OUTOFMEMORY ((HRESULT)0x8007000EL)
#endif
#ifndef E_FAIL
#define E_FAIL ((HRESULT)0x80004005L)
#endif
#ifndef HRESULT_FROM_WIN32
#define HRESULT_FROM_WIN32(x) \
    ((HRESULT)(x) <= 0 ? ((HRESULT)(x)) : ((HRESULT)(((x) & 0x0000FFFF) | (7 << 16) | 0x80000000)))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- case-insensitive comparison (ASCII case folding, as the CRT in the "C" locale) ---- */
static inline int ws2_uring_lower_(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

static inline int ws2_uring_upper_(int c)
{
    return (c >= 'a' && c <= 'z') ? c - ('a' - 'A') : c;
}

static inline int _strnicmp(const char *a, const char *b, size_t n)
{
    const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
    for (; n; n--, p++, q++) {
        int d = ws2_uring_lower_(*p) - ws2_uring_lower_(*q);
        if (d || !*p)
            return d;
    }
    return 0;
}

static inline int _stricmp(const char *a, const char *b)
{
    return _strnicmp(a, b, (size_t)-1);
}

static inline char *_strlwr(char *s)
{
    char *p;
    for (p = s; *p; p++)
        *p = (char)ws2_uring_lower_((unsigned char)*p);
    return s;
}

static inline char *_strupr(char *s)
{
    char *p;
    for (p = s; *p; p++)
        *p = (char)ws2_uring_upper_((unsigned char)*p);
    return s;
}

static inline char *_strdup(const char *s)
{
    size_t n;
    char *d;
    if (!s)
        return NULL;
    n = strlen(s) + 1;
    d = (char *)malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

#ifndef _strcmpi
#define _strcmpi _stricmp
#endif
#ifndef stricmp
#define stricmp _stricmp
#endif
#ifndef strcmpi
#define strcmpi _stricmp
#endif
#ifndef strnicmp
#define strnicmp _strnicmp
#endif
#ifndef strlwr
#define strlwr _strlwr
#endif
#ifndef strupr
#define strupr _strupr
#endif

/* ---- the _snprintf family: Microsoft's truncation rules ----
 * The output is count characters at most; when it fills the buffer exactly no terminator is
 * written, and when it does not fit the result is -1 (the first count characters written).
 * A NULL buffer with a count of 0 gives the length the output needs. */
static inline int _vsnprintf(char *buf, size_t count, const char *fmt, va_list ap)
{
    va_list ap2;
    int n;
    char *tmp;
    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return -1;
    if (!buf) { /* a NULL buffer with a count of 0 asks for the length */
        if (count)
            errno = EINVAL;
        return count ? -1 : n;
    }
    if ((size_t)n < count)
        return vsnprintf(buf, count, fmt, ap);
    if (count == 0)
        return (size_t)n == 0 ? 0 : -1;
    tmp = (char *)malloc((size_t)n + 1);
    if (!tmp) {
        vsnprintf(buf, count, fmt, ap);
        return -1;
    }
    vsnprintf(tmp, (size_t)n + 1, fmt, ap);
    memcpy(buf, tmp, count);
    free(tmp);
    return (size_t)n == count ? n : -1;
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static inline int _snprintf(char *buf, size_t count, const char *fmt, ...)
{
    va_list ap;
    int r;
    va_start(ap, fmt);
    r = _vsnprintf(buf, count, fmt, ap);
    va_end(ap);
    return r;
}

/* vsprintf_s / sprintf_s: the length written; -1 with errno EINVAL for a missing buffer or
 * format, -1 with errno ERANGE and an empty buffer when the output does not fit. */
static inline int vsprintf_s(char *buf, size_t size, const char *fmt, va_list ap)
{
    int n;
    if (!buf || !size || !fmt) {
        if (buf && size)
            buf[0] = '\0';
        errno = EINVAL;
        return -1;
    }
    n = vsnprintf(buf, size, fmt, ap);
    if (n < 0 || (size_t)n >= size) {
        buf[0] = '\0';
        errno = n < 0 ? EINVAL : ERANGE;
        return -1;
    }
    return n;
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static inline int sprintf_s(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int r;
    va_start(ap, fmt);
    r = vsprintf_s(buf, size, fmt, ap);
    va_end(ap);
    return r;
}

/* _vsnprintf_s / _snprintf_s: at most `count` characters (all that fit with _TRUNCATE), always
 * terminated; -1 when the output was cut at `count` or at the buffer's end with _TRUNCATE; -1
 * with errno ERANGE and an empty buffer when `count` characters do not fit the buffer. */
static inline int _vsnprintf_s(char *buf, size_t size, size_t count, const char *fmt, va_list ap)
{
    int n;
    size_t limit;
    if (!fmt || (!buf && (size || count)) || (buf && !size)) {
        if (buf && size)
            buf[0] = '\0';
        errno = EINVAL;
        return -1;
    }
    if (!buf)
        return 0;
    limit = count == _TRUNCATE || count >= size ? size - 1 : count;
    n = vsnprintf(buf, limit + 1, fmt, ap);
    if (n < 0) {
        buf[0] = '\0';
        errno = EINVAL;
        return -1;
    }
    if ((size_t)n <= limit)
        return n;
    if (count == _TRUNCATE || count < size)
        return -1;
    buf[0] = '\0';
    errno = ERANGE;
    return -1;
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static inline int _snprintf_s(char *buf, size_t size, size_t count, const char *fmt, ...)
{
    va_list ap;
    int r;
    va_start(ap, fmt);
    r = _vsnprintf_s(buf, size, count, fmt, ap);
    va_end(ap);
    return r;
}

/* ---- bounds-checked copies ---- */
static inline errno_t strcpy_s(char *dst, rsize_t size, const char *src)
{
    size_t n;
    if (!dst || !size)
        return EINVAL;
    if (!src) {
        dst[0] = '\0';
        return EINVAL;
    }
    n = strlen(src);
    if (n >= size) {
        dst[0] = '\0';
        return ERANGE;
    }
    memcpy(dst, src, n + 1);
    return 0;
}

static inline errno_t strncpy_s(char *dst, size_t size, const char *src, size_t count)
{
    size_t n = 0;
    if (!dst && !size && !count)
        return 0;
    if (!dst || !size)
        return EINVAL;
    if (!count) {
        dst[0] = '\0';
        return 0;
    }
    if (!src) {
        dst[0] = '\0';
        return EINVAL;
    }
    while (n < count && src[n])
        n++;
    if (n >= size) {
        if (count == _TRUNCATE) {
            memcpy(dst, src, size - 1);
            dst[size - 1] = '\0';
            return STRUNCATE;
        }
        dst[0] = '\0';
        return ERANGE;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
    return 0;
}

static inline errno_t strcat_s(char *dst, rsize_t size, const char *src)
{
    size_t d = 0, n;
    if (!dst || !size)
        return EINVAL;
    if (!src) {
        dst[0] = '\0';
        return EINVAL;
    }
    while (d < size && dst[d])
        d++;
    if (d == size) {
        dst[0] = '\0';
        return EINVAL;
    }
    n = strlen(src);
    if (n >= size - d) {
        dst[0] = '\0';
        return ERANGE;
    }
    memcpy(dst + d, src, n + 1);
    return 0;
}

static inline errno_t strncat_s(char *dst, size_t size, const char *src, size_t count)
{
    size_t d = 0, n = 0;
    if (!dst && !size && !count)
        return 0;
    if (!dst || !size)
        return EINVAL;
    if (!src && count) {
        dst[0] = '\0';
        return EINVAL;
    }
    while (d < size && dst[d])
        d++;
    if (d == size) {
        dst[0] = '\0';
        return EINVAL;
    }
    while (n < count && src[n])
        n++;
    if (n >= size - d) {
        if (count == _TRUNCATE) {
            memcpy(dst + d, src, size - d - 1);
            dst[size - 1] = '\0';
            return STRUNCATE;
        }
        dst[0] = '\0';
        return ERANGE;
    }
    memcpy(dst + d, src, n);
    dst[d + n] = '\0';
    return 0;
}

/* ---- integer to text: radix 2..36, a sign only for negative values in radix 10 ---- */
static inline size_t ws2_uring_utoa_(unsigned long long v, int neg, char *out, int radix)
{
    char tmp[72];
    size_t n = 0, k = 0;
    do {
        unsigned d = (unsigned)(v % (unsigned)radix);
        tmp[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
        v /= (unsigned)radix;
    } while (v);
    if (neg)
        out[k++] = '-';
    while (n)
        out[k++] = tmp[--n];
    out[k] = '\0';
    return k;
}

static inline errno_t ws2_uring_itoa_s_(long long v, unsigned long long uv, char *buf, size_t size, int radix)
{
    char tmp[72];
    size_t n;
    if (!buf || !size)
        return EINVAL;
    if (radix < 2 || radix > 36) {
        buf[0] = '\0';
        return EINVAL;
    }
    if (radix == 10 && v < 0)
        n = ws2_uring_utoa_(0ULL - (unsigned long long)v, 1, tmp, radix);
    else
        n = ws2_uring_utoa_(uv, 0, tmp, radix);
    if (n >= size) {
        buf[0] = '\0';
        return ERANGE;
    }
    memcpy(buf, tmp, n + 1);
    return 0;
}

static inline errno_t _itoa_s(int v, char *buf, size_t size, int radix)
{
    return ws2_uring_itoa_s_(v, (unsigned int)v, buf, size, radix);
}

static inline errno_t _ltoa_s(long v, char *buf, size_t size, int radix)
{
    /* long is 32-bit on Windows: the value is converted as Windows' 32-bit long would be. */
    return ws2_uring_itoa_s_((int)v, (unsigned int)v, buf, size, radix);
}

static inline errno_t _ultoa_s(unsigned long v, char *buf, size_t size, int radix)
{
    return ws2_uring_itoa_s_(0, (unsigned int)v, buf, size, radix);
}

static inline errno_t _i64toa_s(long long v, char *buf, size_t size, int radix)
{
    return ws2_uring_itoa_s_(v, (unsigned long long)v, buf, size, radix);
}

static inline errno_t _ui64toa_s(unsigned long long v, char *buf, size_t size, int radix)
{
    return ws2_uring_itoa_s_(0, v, buf, size, radix);
}

/* _itoa and friends: the buffer must hold the result (33 characters cover radix 2). */
static inline char *_itoa(int v, char *buf, int radix)
{
    _itoa_s(v, buf, 33, radix);
    return buf;
}

static inline char *_ltoa(long v, char *buf, int radix)
{
    _ltoa_s(v, buf, 33, radix);
    return buf;
}

static inline char *_ultoa(unsigned long v, char *buf, int radix)
{
    _ultoa_s(v, buf, 33, radix);
    return buf;
}

static inline char *_i64toa(long long v, char *buf, int radix)
{
    _i64toa_s(v, buf, 65, radix);
    return buf;
}

static inline char *_ui64toa(unsigned long long v, char *buf, int radix)
{
    _ui64toa_s(v, buf, 65, radix);
    return buf;
}

#ifndef itoa
#define itoa _itoa
#endif
#ifndef ltoa
#define ltoa _ltoa
#endif

/* ---- lstr*: the Win32 string functions ---- */
static inline int lstrlenA(LPCSTR s)
{
    return s ? (int)strlen(s) : 0;
}

static inline int lstrlenW(LPCWSTR s)
{
    int n = 0;
    if (!s)
        return 0;
    while (s[n])
        n++;
    return n;
}

static inline LPSTR lstrcpyA(LPSTR dst, LPCSTR src)
{
    if (!dst || !src)
        return NULL;
    return strcpy(dst, src);
}

static inline LPWSTR lstrcpyW(LPWSTR dst, LPCWSTR src)
{
    LPWSTR d = dst;
    if (!dst || !src)
        return NULL;
    while ((*d++ = *src++))
        ;
    return dst;
}

/* lstrcpyn: at most n - 1 characters and a terminator. */
static inline LPSTR lstrcpynA(LPSTR dst, LPCSTR src, int n)
{
    int k = 0;
    if (!dst || (!src && n > 0))
        return NULL;
    if (n <= 0)
        return dst;
    while (k < n - 1 && src[k]) {
        dst[k] = src[k];
        k++;
    }
    dst[k] = '\0';
    return dst;
}

static inline LPWSTR lstrcpynW(LPWSTR dst, LPCWSTR src, int n)
{
    int k = 0;
    if (!dst || (!src && n > 0))
        return NULL;
    if (n <= 0)
        return dst;
    while (k < n - 1 && src[k]) {
        dst[k] = src[k];
        k++;
    }
    dst[k] = 0;
    return dst;
}

static inline LPSTR lstrcatA(LPSTR dst, LPCSTR src)
{
    if (!dst || !src)
        return NULL;
    return strcat(dst, src);
}

static inline LPWSTR lstrcatW(LPWSTR dst, LPCWSTR src)
{
    if (!dst || !src)
        return NULL;
    lstrcpyW(dst + lstrlenW(dst), src);
    return dst;
}

/* lstrcmp compares as CompareString in the user's locale (a word sort), not by code value:
 * symbols before digits before letters, letters alphabetically regardless of case, and for
 * strings equal that way, lower case before upper case. This is that order over ASCII; other
 * code units (bytes for the A forms, UTF-16 units for the W forms) sort after ASCII by value. */
static inline int ws2_uring_sort_weight_(unsigned c)
{
    if (c >= 'a' && c <= 'z')
        return 0x200 + (int)(c - 'a') * 2;
    if (c >= 'A' && c <= 'Z')
        return 0x200 + (int)(c - 'A') * 2;
    if (c >= '0' && c <= '9')
        return 0x100 + (int)(c - '0');
    return c < 0x80 ? (int)c : 0x300 + (int)c;
}

/* Code unit i of a string of 1-byte (char) or 2-byte (WCHAR) units, as an unsigned value. */
static inline unsigned ws2_uring_code_unit_(const void *s, size_t i, size_t unit)
{
    return unit == 1 ? (unsigned)((const unsigned char *)s)[i] : (unsigned)((const WCHAR *)s)[i];
}

/* The lstrcmp order over strings of `unit`-byte code units; NULL compares as "". */
static inline int ws2_uring_lstrcmp_(const void *a, const void *b, size_t unit, int ignore_case)
{
    const WCHAR zero = 0; /* an empty string of either unit size */
    const void *p = a ? a : (const void *)&zero;
    const void *q = b ? b : (const void *)&zero;
    unsigned cp, cq;
    int wp, wq;
    size_t i;
    for (i = 0;; i++) {
        cp = ws2_uring_code_unit_(p, i, unit);
        cq = ws2_uring_code_unit_(q, i, unit);
        wp = cp ? ws2_uring_sort_weight_(cp) : -1;
        wq = cq ? ws2_uring_sort_weight_(cq) : -1;
        if (wp != wq)
            return wp < wq ? -1 : 1;
        if (!cp)
            break;
    }
    if (ignore_case)
        return 0;
    for (i = 0; (cp = ws2_uring_code_unit_(p, i, unit)) != 0; i++) {
        cq = ws2_uring_code_unit_(q, i, unit);
        if (cp != cq) /* same letter, different case: lower case first */
            return (cp >= 'a' && cp <= 'z') ? -1 : 1;
    }
    return 0;
}

static inline int lstrcmpA(LPCSTR a, LPCSTR b)
{
    return ws2_uring_lstrcmp_(a, b, 1, 0);
}

static inline int lstrcmpiA(LPCSTR a, LPCSTR b)
{
    return ws2_uring_lstrcmp_(a, b, 1, 1);
}

static inline int lstrcmpW(LPCWSTR a, LPCWSTR b)
{
    return ws2_uring_lstrcmp_(a, b, sizeof(WCHAR), 0);
}

static inline int lstrcmpiW(LPCWSTR a, LPCWSTR b)
{
    return ws2_uring_lstrcmp_(a, b, sizeof(WCHAR), 1);
}

#ifdef UNICODE
#define lstrlen lstrlenW
#define lstrcpy lstrcpyW
#define lstrcpyn lstrcpynW
#define lstrcat lstrcatW
#define lstrcmp lstrcmpW
#define lstrcmpi lstrcmpiW
#else
#define lstrlen lstrlenA
#define lstrcpy lstrcpyA
#define lstrcpyn lstrcpynA
#define lstrcat lstrcatA
#define lstrcmp lstrcmpA
#define lstrcmpi lstrcmpiA
#endif

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* WS2_URING_CRT_H */
