/*
 * ws2-uring: <strsafe.h>, the Windows SDK's bounded string functions.
 *
 * Every function takes the destination's size (in characters for StringCch*, in bytes for
 * StringCb*) and returns an HRESULT: S_OK; STRSAFE_E_INSUFFICIENT_BUFFER when the result did not
 * fit, the destination then holding as much as fits, terminated; STRSAFE_E_INVALID_PARAMETER
 * for a size of zero or above STRSAFE_MAX_CCH characters (the destination is emptied when it has
 * room for the terminator). WCHAR strings are 16-bit, as on Windows.
 */
#ifndef WS2_URING_STRSAFE_H
#define WS2_URING_STRSAFE_H
#define _STRSAFE_H_INCLUDED_

#include <windows.h>

#define STRSAFE_MAX_CCH 2147483647
#define STRSAFE_E_INSUFFICIENT_BUFFER ((HRESULT)0x8007007AL)
#define STRSAFE_E_INVALID_PARAMETER ((HRESULT)0x80070057L)
#define STRSAFE_E_END_OF_FILE ((HRESULT)0x80070026L)

typedef char *STRSAFE_LPSTR;
typedef const char *STRSAFE_LPCSTR;
typedef WCHAR *STRSAFE_LPWSTR;
typedef const WCHAR *STRSAFE_LPCWSTR;

#ifdef __cplusplus
extern "C" {
#endif

/* ---- workers over characters of size 1 (A) and 2 (W) ---- */
static inline HRESULT ws2_uring_ss_validate_(size_t cch)
{
    return (cch == 0 || cch > STRSAFE_MAX_CCH) ? STRSAFE_E_INVALID_PARAMETER : S_OK;
}

/* Copy at most `max` characters of src (stopping at its terminator) into dst of cch. */
static inline HRESULT ws2_uring_ss_copyA_(char *dst, size_t cch, const char *src, size_t max)
{
    size_t k = 0;
    HRESULT hr = ws2_uring_ss_validate_(cch);
    if (FAILED(hr)) {
        if (cch && dst)
            dst[0] = '\0';
        return hr;
    }
    if (!src)
        src = "";
    while (k < max && src[k] && k < cch - 1) {
        dst[k] = src[k];
        k++;
    }
    dst[k] = '\0';
    return (k < max && src[k]) ? STRSAFE_E_INSUFFICIENT_BUFFER : S_OK;
}

static inline HRESULT ws2_uring_ss_copyW_(WCHAR *dst, size_t cch, const WCHAR *src, size_t max)
{
    static const WCHAR empty[1] = {0};
    size_t k = 0;
    HRESULT hr = ws2_uring_ss_validate_(cch);
    if (FAILED(hr)) {
        if (cch && dst)
            dst[0] = 0;
        return hr;
    }
    if (!src)
        src = empty;
    while (k < max && src[k] && k < cch - 1) {
        dst[k] = src[k];
        k++;
    }
    dst[k] = 0;
    return (k < max && src[k]) ? STRSAFE_E_INSUFFICIENT_BUFFER : S_OK;
}

static inline HRESULT ws2_uring_ss_lengthA_(const char *s, size_t max, size_t *len)
{
    size_t n = 0;
    if (s && max <= STRSAFE_MAX_CCH)
        while (n < max && s[n])
            n++;
    if (!s || max > STRSAFE_MAX_CCH || n == max) {
        if (len)
            *len = 0;
        return STRSAFE_E_INVALID_PARAMETER;
    }
    if (len)
        *len = n;
    return S_OK;
}

static inline HRESULT ws2_uring_ss_lengthW_(const WCHAR *s, size_t max, size_t *len)
{
    size_t n = 0;
    if (s && max <= STRSAFE_MAX_CCH)
        while (n < max && s[n])
            n++;
    if (!s || max > STRSAFE_MAX_CCH || n == max) {
        if (len)
            *len = 0;
        return STRSAFE_E_INVALID_PARAMETER;
    }
    if (len)
        *len = n;
    return S_OK;
}

/* ---- Copy ---- */
static inline HRESULT StringCchCopyA(STRSAFE_LPSTR dst, size_t cch, STRSAFE_LPCSTR src)
{
    return ws2_uring_ss_copyA_(dst, cch, src, STRSAFE_MAX_CCH);
}

static inline HRESULT StringCbCopyA(STRSAFE_LPSTR dst, size_t cb, STRSAFE_LPCSTR src)
{
    return ws2_uring_ss_copyA_(dst, cb, src, STRSAFE_MAX_CCH);
}

static inline HRESULT StringCchCopyW(STRSAFE_LPWSTR dst, size_t cch, STRSAFE_LPCWSTR src)
{
    return ws2_uring_ss_copyW_(dst, cch, src, STRSAFE_MAX_CCH);
}

static inline HRESULT StringCbCopyW(STRSAFE_LPWSTR dst, size_t cb, STRSAFE_LPCWSTR src)
{
    return ws2_uring_ss_copyW_(dst, cb / sizeof(WCHAR), src, STRSAFE_MAX_CCH);
}

/* ---- CopyN: at most cchToCopy characters of the source ---- */
static inline HRESULT StringCchCopyNA(STRSAFE_LPSTR dst, size_t cch, STRSAFE_LPCSTR src, size_t n)
{
    if (n > STRSAFE_MAX_CCH) {
        if (dst && cch && cch <= STRSAFE_MAX_CCH)
            dst[0] = '\0';
        return STRSAFE_E_INVALID_PARAMETER;
    }
    return ws2_uring_ss_copyA_(dst, cch, src, n);
}

static inline HRESULT StringCbCopyNA(STRSAFE_LPSTR dst, size_t cb, STRSAFE_LPCSTR src, size_t cbn)
{
    return StringCchCopyNA(dst, cb, src, cbn);
}

static inline HRESULT StringCchCopyNW(STRSAFE_LPWSTR dst, size_t cch, STRSAFE_LPCWSTR src, size_t n)
{
    if (n > STRSAFE_MAX_CCH) {
        if (dst && cch && cch <= STRSAFE_MAX_CCH)
            dst[0] = 0;
        return STRSAFE_E_INVALID_PARAMETER;
    }
    return ws2_uring_ss_copyW_(dst, cch, src, n);
}

static inline HRESULT StringCbCopyNW(STRSAFE_LPWSTR dst, size_t cb, STRSAFE_LPCWSTR src, size_t cbn)
{
    return StringCchCopyNW(dst, cb / sizeof(WCHAR), src, cbn / sizeof(WCHAR));
}

/* ---- Cat: the destination must be terminated within its size ---- */
static inline HRESULT StringCchCatA(STRSAFE_LPSTR dst, size_t cch, STRSAFE_LPCSTR src)
{
    size_t d;
    HRESULT hr = ws2_uring_ss_validate_(cch);
    if (FAILED(hr))
        return hr;
    hr = ws2_uring_ss_lengthA_(dst, cch, &d);
    if (FAILED(hr))
        return hr;
    return ws2_uring_ss_copyA_(dst + d, cch - d, src, STRSAFE_MAX_CCH);
}

static inline HRESULT StringCbCatA(STRSAFE_LPSTR dst, size_t cb, STRSAFE_LPCSTR src)
{
    return StringCchCatA(dst, cb, src);
}

static inline HRESULT StringCchCatW(STRSAFE_LPWSTR dst, size_t cch, STRSAFE_LPCWSTR src)
{
    size_t d;
    HRESULT hr = ws2_uring_ss_validate_(cch);
    if (FAILED(hr))
        return hr;
    hr = ws2_uring_ss_lengthW_(dst, cch, &d);
    if (FAILED(hr))
        return hr;
    return ws2_uring_ss_copyW_(dst + d, cch - d, src, STRSAFE_MAX_CCH);
}

static inline HRESULT StringCbCatW(STRSAFE_LPWSTR dst, size_t cb, STRSAFE_LPCWSTR src)
{
    return StringCchCatW(dst, cb / sizeof(WCHAR), src);
}

/* ---- Length: the length without the terminator, which must lie within cchMax ---- */
static inline HRESULT StringCchLengthA(STRSAFE_LPCSTR s, size_t cchMax, size_t *pcch)
{
    return ws2_uring_ss_lengthA_(s, cchMax, pcch);
}

static inline HRESULT StringCbLengthA(STRSAFE_LPCSTR s, size_t cbMax, size_t *pcb)
{
    return ws2_uring_ss_lengthA_(s, cbMax, pcb);
}

static inline HRESULT StringCchLengthW(STRSAFE_LPCWSTR s, size_t cchMax, size_t *pcch)
{
    return ws2_uring_ss_lengthW_(s, cchMax, pcch);
}

static inline HRESULT StringCbLengthW(STRSAFE_LPCWSTR s, size_t cbMax, size_t *pcb)
{
    size_t n = 0;
    HRESULT hr = ws2_uring_ss_lengthW_(s, cbMax / sizeof(WCHAR), &n);
    if (pcb)
        *pcb = n * sizeof(WCHAR);
    return hr;
}

/* ---- Printf ---- */
static inline HRESULT StringCchVPrintfA(STRSAFE_LPSTR dst, size_t cch, STRSAFE_LPCSTR fmt, va_list ap)
{
    int n;
    HRESULT hr = ws2_uring_ss_validate_(cch);
    if (FAILED(hr)) {
        if (cch && dst)
            dst[0] = '\0';
        return hr;
    }
    n = vsnprintf(dst, cch, fmt, ap);
    if (n < 0) {
        dst[cch - 1] = '\0';
        return STRSAFE_E_INSUFFICIENT_BUFFER;
    }
    return (size_t)n >= cch ? STRSAFE_E_INSUFFICIENT_BUFFER : S_OK;
}

static inline HRESULT StringCbVPrintfA(STRSAFE_LPSTR dst, size_t cb, STRSAFE_LPCSTR fmt, va_list ap)
{
    return StringCchVPrintfA(dst, cb, fmt, ap);
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static inline HRESULT StringCchPrintfA(STRSAFE_LPSTR dst, size_t cch, STRSAFE_LPCSTR fmt, ...)
{
    va_list ap;
    HRESULT hr;
    va_start(ap, fmt);
    hr = StringCchVPrintfA(dst, cch, fmt, ap);
    va_end(ap);
    return hr;
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static inline HRESULT StringCbPrintfA(STRSAFE_LPSTR dst, size_t cb, STRSAFE_LPCSTR fmt, ...)
{
    va_list ap;
    HRESULT hr;
    va_start(ap, fmt);
    hr = StringCchVPrintfA(dst, cb, fmt, ap);
    va_end(ap);
    return hr;
}

#ifdef __cplusplus
} /* extern "C" */
#endif

/* ---- the TCHAR names ---- */
#ifdef UNICODE
#define StringCchCopy StringCchCopyW
#define StringCbCopy StringCbCopyW
#define StringCchCopyN StringCchCopyNW
#define StringCbCopyN StringCbCopyNW
#define StringCchCat StringCchCatW
#define StringCbCat StringCbCatW
#define StringCchLength StringCchLengthW
#define StringCbLength StringCbLengthW
/* StringCchPrintfW and the other wide formatting functions are not provided. */
#else
#define StringCchCopy StringCchCopyA
#define StringCbCopy StringCbCopyA
#define StringCchCopyN StringCchCopyNA
#define StringCbCopyN StringCbCopyNA
#define StringCchCat StringCchCatA
#define StringCbCat StringCbCatA
#define StringCchLength StringCchLengthA
#define StringCbLength StringCbLengthA
#define StringCchPrintf StringCchPrintfA
#define StringCbPrintf StringCbPrintfA
#define StringCchVPrintf StringCchVPrintfA
#define StringCbVPrintf StringCbVPrintfA
#endif

/* As the Windows SDK does, the unbounded functions these replace are made unusable after
 * <strsafe.h> (a use names an undeclared identifier) unless STRSAFE_NO_DEPRECATE is defined. */
#ifndef STRSAFE_NO_DEPRECATE
#undef strcpy
#define strcpy strcpy_is_deprecated_use_StringCchCopyA
#undef wcscpy
#define wcscpy wcscpy_is_deprecated_use_StringCchCopyW
#undef strcat
#define strcat strcat_is_deprecated_use_StringCchCatA
#undef wcscat
#define wcscat wcscat_is_deprecated_use_StringCchCatW
#undef sprintf
#define sprintf sprintf_is_deprecated_use_StringCchPrintfA
#undef swprintf
#define swprintf swprintf_is_deprecated_use_StringCchPrintfW
#undef vsprintf
#define vsprintf vsprintf_is_deprecated_use_StringCchVPrintfA
#undef vswprintf
#define vswprintf vswprintf_is_deprecated_use_StringCchVPrintfW
#undef _snprintf
#define _snprintf _snprintf_is_deprecated_use_StringCchPrintfA
#undef _snwprintf
#define _snwprintf _snwprintf_is_deprecated_use_StringCchPrintfW
#undef _vsnprintf
#define _vsnprintf _vsnprintf_is_deprecated_use_StringCchVPrintfA
#undef _vsnwprintf
#define _vsnwprintf _vsnwprintf_is_deprecated_use_StringCchVPrintfW
#undef lstrcpy
#define lstrcpy lstrcpy_is_deprecated_use_StringCchCopy
#undef lstrcpyA
#define lstrcpyA lstrcpyA_is_deprecated_use_StringCchCopyA
#undef lstrcpyW
#define lstrcpyW lstrcpyW_is_deprecated_use_StringCchCopyW
#undef lstrcat
#define lstrcat lstrcat_is_deprecated_use_StringCchCat
#undef lstrcatA
#define lstrcatA lstrcatA_is_deprecated_use_StringCchCatA
#undef lstrcatW
#define lstrcatW lstrcatW_is_deprecated_use_StringCchCatW
#undef _tcscpy
#define _tcscpy _tcscpy_is_deprecated_use_StringCchCopy
#undef _ftcscpy
#define _ftcscpy _ftcscpy_is_deprecated_use_StringCchCopy
#undef _tcscat
#define _tcscat _tcscat_is_deprecated_use_StringCchCat
#undef _ftcscat
#define _ftcscat _ftcscat_is_deprecated_use_StringCchCat
#undef wsprintf
#define wsprintf wsprintf_is_deprecated_use_StringCchPrintf
#undef wsprintfA
#define wsprintfA wsprintfA_is_deprecated_use_StringCchPrintfA
#undef wsprintfW
#define wsprintfW wsprintfW_is_deprecated_use_StringCchPrintfW
#undef wvsprintf
#define wvsprintf wvsprintf_is_deprecated_use_StringCchVPrintf
#undef wvsprintfA
#define wvsprintfA wvsprintfA_is_deprecated_use_StringCchVPrintfA
#undef wvsprintfW
#define wvsprintfW wvsprintfW_is_deprecated_use_StringCchVPrintfW
#undef _stprintf
#define _stprintf _stprintf_is_deprecated_use_StringCchPrintf
#undef _sntprintf
#define _sntprintf _sntprintf_is_deprecated_use_StringCchPrintf
#undef _vstprintf
#define _vstprintf _vstprintf_is_deprecated_use_StringCchVPrintf
#undef _vsntprintf
#define _vsntprintf _vsntprintf_is_deprecated_use_StringCchVPrintf
#undef gets
#define gets gets_is_deprecated_use_StringCchGetsA
#undef _getws
#define _getws _getws_is_deprecated_use_StringCchGetsW
#undef _getts
#define _getts _getts_is_deprecated_use_StringCchGets
#endif /* STRSAFE_NO_DEPRECATE */

#endif /* WS2_URING_STRSAFE_H */
