/*
 * ws2-uring: <strsafe.h>, the Windows SDK's bounded string functions.
 *
 * Every function takes the destination's size (in characters for StringCch*, in bytes for
 * StringCb*) and returns an HRESULT: S_OK; STRSAFE_E_INSUFFICIENT_BUFFER when the result did not
 * fit, the destination then holding as much as fits, terminated; STRSAFE_E_INVALID_PARAMETER
 * for a size of zero or above STRSAFE_MAX_CCH characters (a Copy or Printf then empties a
 * destination that has room for the terminator). The Ex forms also give the end of the result
 * and the room left from its terminator (on success and on truncation) and take the
 * STRSAFE_* flags, as the current Windows SDK defines them. WCHAR strings are 16-bit, as on
 * Windows; the formatting functions are A only.
 */
#ifndef WS2_URING_STRSAFE_H
#define WS2_URING_STRSAFE_H
#define _STRSAFE_H_INCLUDED_

#include <windows.h>

#define STRSAFE_MAX_CCH 2147483647
#define STRSAFE_E_INSUFFICIENT_BUFFER ((HRESULT)0x8007007AL)
#define STRSAFE_E_INVALID_PARAMETER ((HRESULT)0x80070057L)
#define STRSAFE_E_END_OF_FILE ((HRESULT)0x80070026L)

/* dwFlags of the Ex functions. The low byte is the fill pattern of STRSAFE_FILL_BEHIND_NULL and
 * STRSAFE_FILL_ON_FAILURE. */
#define STRSAFE_IGNORE_NULLS 0x00000100
#define STRSAFE_FILL_BEHIND_NULL 0x00000200
#define STRSAFE_FILL_ON_FAILURE 0x00000400
#define STRSAFE_NULL_ON_FAILURE 0x00000800
#define STRSAFE_NO_TRUNCATION 0x00001000
#define STRSAFE_VALID_FLAGS                                                                      \
    (0x000000FF | STRSAFE_IGNORE_NULLS | STRSAFE_FILL_BEHIND_NULL | STRSAFE_FILL_ON_FAILURE | \
     STRSAFE_NULL_ON_FAILURE | STRSAFE_NO_TRUNCATION)
#define STRSAFE_FILL_BYTE(x) ((DWORD)(((x) & 0x000000FF) | STRSAFE_FILL_BEHIND_NULL))
#define STRSAFE_FAILURE_BYTE(x) ((DWORD)(((x) & 0x000000FF) | STRSAFE_FILL_ON_FAILURE))
#define STRSAFE_GET_FILL_PATTERN(dwFlags) ((int)((dwFlags) & 0x000000FF))
#define STRSAFE_MAX_LENGTH (STRSAFE_MAX_CCH - 1)

typedef char *STRSAFE_LPSTR;
typedef const char *STRSAFE_LPCSTR;
typedef WCHAR *STRSAFE_LPWSTR;
typedef const WCHAR *STRSAFE_LPCWSTR;

#ifdef __cplusplus
extern "C" {
#endif

/* ---- one implementation for characters of `cs` bytes: 1 (A) or sizeof(WCHAR) (W) ---- */
static inline void ws2_uring_ss_term_(void *s, size_t i, size_t cs)
{
    memset((unsigned char *)s + i * cs, 0, cs);
}

/* The length of s, whose terminator must lie within its first `max` characters; 0 and
 * STRSAFE_E_INVALID_PARAMETER otherwise. */
static inline HRESULT ws2_uring_ss_length_(const void *s, size_t max, size_t cs, size_t *len)
{
    size_t n = 0;
    if (s && max <= STRSAFE_MAX_CCH)
        while (n < max && ws2_uring_code_unit_(s, n, cs))
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

/* Every Copy, CopyN, Cat, CatN and Printf function, plain (flags 0) and Ex, is this. dst holds cch
 * characters, cb bytes (cb % cs is the odd byte of a StringCb*W size). `cat`: append at dst's
 * length instead of writing at its start. The source is at most n characters of src, or with
 * `ap` the formatting of src (A only). On return *at is the terminator's index and *left the
 * characters from it to the end of dst, which the caller reports for S_OK and
 * STRSAFE_E_INSUFFICIENT_BUFFER only. NULL sources are empty strings (Windows faults on them
 * without STRSAFE_IGNORE_NULLS). */
static inline HRESULT ws2_uring_ss_ex_(void *dst, size_t cch, size_t cb, size_t cs, int cat, const void *src,
                                       size_t n, va_list *ap, DWORD flags, size_t *at, size_t *left)
{
    const WCHAR zero = 0; /* an empty string of either character size */
    unsigned char *d = (unsigned char *)dst;
    size_t len = 0, room, k = 0;
    HRESULT hr = S_OK;
    int pattern = STRSAFE_GET_FILL_PATTERN(flags);

    *at = 0;
    *left = 0;
    /* The destination: 1 to STRSAFE_MAX_CCH characters, or with STRSAFE_IGNORE_NULLS also none
     * (then possibly NULL). A Copy or Printf to a bad size empties a destination that has one
     * character; a Cat leaves it alone. */
    if (cch > STRSAFE_MAX_CCH || (cch == 0 && !(flags & STRSAFE_IGNORE_NULLS)) || (!d && cch)) {
        if (!cat && d && cch)
            ws2_uring_ss_term_(d, 0, cs);
        return STRSAFE_E_INVALID_PARAMETER;
    }
    /* A Cat destination must be terminated within its size. */
    if (cat && cch && FAILED(ws2_uring_ss_length_(d, cch, cs, &len)))
        return STRSAFE_E_INVALID_PARAMETER;
    room = cch - len;
    *at = len;
    *left = room;
    if (!src)
        src = &zero;

    if (n > STRSAFE_MAX_LENGTH || (flags & ~(DWORD)STRSAFE_VALID_FLAGS)) {
        hr = STRSAFE_E_INVALID_PARAMETER;
        if (!cat && cch)
            ws2_uring_ss_term_(d, 0, cs);
    } else if (room == 0) {
        /* No room at all: only a non-empty source is an error. */
        if (n && ws2_uring_code_unit_(src, 0, cs))
            hr = d ? STRSAFE_E_INSUFFICIENT_BUFFER : STRSAFE_E_INVALID_PARAMETER;
    } else if (ap) {
        int r = vsnprintf((char *)d, room, (const char *)src, *ap);
        if (r < 0 || (size_t)r >= room) {
            k = room - 1;
            hr = STRSAFE_E_INSUFFICIENT_BUFFER;
        } else {
            k = (size_t)r;
        }
        ws2_uring_ss_term_(d, k, cs);
    } else {
        while (k < n && k + 1 < room && ws2_uring_code_unit_(src, k, cs)) {
            memcpy(d + (len + k) * cs, (const unsigned char *)src + k * cs, cs);
            k++;
        }
        if (k < n && k + 1 == room && ws2_uring_code_unit_(src, k, cs))
            hr = STRSAFE_E_INSUFFICIENT_BUFFER;
        ws2_uring_ss_term_(d, len + k, cs);
    }
    *at = len + k;
    *left = room - k;

    if (SUCCEEDED(hr)) {
        /* STRSAFE_FILL_BEHIND_NULL: the pattern byte in every byte after the terminator. */
        size_t rest = *left * cs + cb % cs;
        if ((flags & STRSAFE_FILL_BEHIND_NULL) && rest > cs)
            memset(d + (*at + 1) * cs, pattern, rest - cs);
    } else if (d && cb) {
        if (cch && (flags & STRSAFE_NO_TRUNCATION)) {
            /* The destination as it was: empty for a copy, the original string for a Cat. */
            *at = len;
            *left = cch - len;
            ws2_uring_ss_term_(d, len, cs);
        }
        if (flags & STRSAFE_FILL_ON_FAILURE) {
            /* The whole buffer filled, its last character the terminator. */
            memset(d, pattern, cb);
            if (pattern == 0) {
                *at = 0;
                *left = cch;
            } else if (cch) {
                *at = cch - 1;
                *left = 1;
                ws2_uring_ss_term_(d, cch - 1, cs);
            }
        }
        if (cch && (flags & STRSAFE_NULL_ON_FAILURE)) {
            *at = 0;
            *left = cch;
            ws2_uring_ss_term_(d, 0, cs);
        }
    }
    return hr;
}

/* Report the end pointer and the remaining count (characters, or bytes: unit = cs and the odd
 * byte of a StringCb*W size) as the Ex functions do: on success and on truncation. */
static inline HRESULT ws2_uring_ss_outA_(HRESULT hr, char *dst, size_t at, size_t left, size_t odd, char **end,
                                         size_t *rem)
{
    if (SUCCEEDED(hr) || hr == STRSAFE_E_INSUFFICIENT_BUFFER) {
        if (end)
            *end = dst ? dst + at : dst;
        if (rem)
            *rem = left + odd;
    }
    return hr;
}

static inline HRESULT ws2_uring_ss_outW_(HRESULT hr, WCHAR *dst, size_t at, size_t left, size_t unit, size_t odd,
                                         WCHAR **end, size_t *rem)
{
    if (SUCCEEDED(hr) || hr == STRSAFE_E_INSUFFICIENT_BUFFER) {
        if (end)
            *end = dst ? dst + at : dst;
        if (rem)
            *rem = left * unit + odd;
    }
    return hr;
}

/* The body of an A function: cch characters (= bytes), remaining counted in them. */
#define WS2_URING_SS_A_(dst, cch, cat, src, n, ap, flags, end, rem)                                   \
    size_t ws2_at_, ws2_left_;                                                                       \
    HRESULT ws2_hr_ = ws2_uring_ss_ex_((dst), (cch), (cch), 1, (cat), (src), (n), (ap), (flags), &ws2_at_, \
                                       &ws2_left_);                                                  \
    return ws2_uring_ss_outA_(ws2_hr_, (dst), ws2_at_, ws2_left_, 0, (end), (rem))

/* The body of a W function of cch characters (`bytes` 0) or of cb bytes (`bytes` 1). */
#define WS2_URING_SS_W_(dst, size, bytes, cat, src, n, flags, end, rem)                               \
    size_t ws2_cch_ = (bytes) ? (size) / sizeof(WCHAR) : (size);                                      \
    size_t ws2_cb_ = (bytes) ? (size) : ws2_cch_ * sizeof(WCHAR);                                     \
    size_t ws2_at_, ws2_left_;                                                                       \
    HRESULT ws2_hr_ = ws2_uring_ss_ex_((dst), ws2_cch_, ws2_cb_, sizeof(WCHAR), (cat), (src), (n), NULL, \
                                       (flags), &ws2_at_, &ws2_left_);                              \
    return ws2_uring_ss_outW_(ws2_hr_, (dst), ws2_at_, ws2_left_, (bytes) ? sizeof(WCHAR) : 1,          \
                              (bytes) ? ws2_cb_ % sizeof(WCHAR) : 0, (end), (rem))

/* ---- Copy ---- */
static inline HRESULT StringCchCopyExA(STRSAFE_LPSTR dst, size_t cch, STRSAFE_LPCSTR src, STRSAFE_LPSTR *end,
                                       size_t *rem, DWORD flags)
{
    WS2_URING_SS_A_(dst, cch, 0, src, STRSAFE_MAX_LENGTH, NULL, flags, end, rem);
}

static inline HRESULT StringCbCopyExA(STRSAFE_LPSTR dst, size_t cb, STRSAFE_LPCSTR src, STRSAFE_LPSTR *end,
                                      size_t *rem, DWORD flags)
{
    WS2_URING_SS_A_(dst, cb, 0, src, STRSAFE_MAX_LENGTH, NULL, flags, end, rem);
}

static inline HRESULT StringCchCopyExW(STRSAFE_LPWSTR dst, size_t cch, STRSAFE_LPCWSTR src, STRSAFE_LPWSTR *end,
                                       size_t *rem, DWORD flags)
{
    WS2_URING_SS_W_(dst, cch, 0, 0, src, STRSAFE_MAX_LENGTH, flags, end, rem);
}

static inline HRESULT StringCbCopyExW(STRSAFE_LPWSTR dst, size_t cb, STRSAFE_LPCWSTR src, STRSAFE_LPWSTR *end,
                                      size_t *rem, DWORD flags)
{
    WS2_URING_SS_W_(dst, cb, 1, 0, src, STRSAFE_MAX_LENGTH, flags, end, rem);
}

static inline HRESULT StringCchCopyA(STRSAFE_LPSTR dst, size_t cch, STRSAFE_LPCSTR src)
{
    return StringCchCopyExA(dst, cch, src, NULL, NULL, 0);
}

static inline HRESULT StringCbCopyA(STRSAFE_LPSTR dst, size_t cb, STRSAFE_LPCSTR src)
{
    return StringCbCopyExA(dst, cb, src, NULL, NULL, 0);
}

static inline HRESULT StringCchCopyW(STRSAFE_LPWSTR dst, size_t cch, STRSAFE_LPCWSTR src)
{
    return StringCchCopyExW(dst, cch, src, NULL, NULL, 0);
}

static inline HRESULT StringCbCopyW(STRSAFE_LPWSTR dst, size_t cb, STRSAFE_LPCWSTR src)
{
    return StringCbCopyExW(dst, cb, src, NULL, NULL, 0);
}

/* ---- CopyN: at most cchToCopy characters (cbToCopy bytes) of the source ---- */
static inline HRESULT StringCchCopyNExA(STRSAFE_LPSTR dst, size_t cch, STRSAFE_LPCSTR src, size_t n,
                                        STRSAFE_LPSTR *end, size_t *rem, DWORD flags)
{
    WS2_URING_SS_A_(dst, cch, 0, src, n, NULL, flags, end, rem);
}

static inline HRESULT StringCbCopyNExA(STRSAFE_LPSTR dst, size_t cb, STRSAFE_LPCSTR src, size_t cbn,
                                       STRSAFE_LPSTR *end, size_t *rem, DWORD flags)
{
    WS2_URING_SS_A_(dst, cb, 0, src, cbn, NULL, flags, end, rem);
}

static inline HRESULT StringCchCopyNExW(STRSAFE_LPWSTR dst, size_t cch, STRSAFE_LPCWSTR src, size_t n,
                                        STRSAFE_LPWSTR *end, size_t *rem, DWORD flags)
{
    WS2_URING_SS_W_(dst, cch, 0, 0, src, n, flags, end, rem);
}

static inline HRESULT StringCbCopyNExW(STRSAFE_LPWSTR dst, size_t cb, STRSAFE_LPCWSTR src, size_t cbn,
                                       STRSAFE_LPWSTR *end, size_t *rem, DWORD flags)
{
    WS2_URING_SS_W_(dst, cb, 1, 0, src, cbn / sizeof(WCHAR), flags, end, rem);
}

static inline HRESULT StringCchCopyNA(STRSAFE_LPSTR dst, size_t cch, STRSAFE_LPCSTR src, size_t n)
{
    return StringCchCopyNExA(dst, cch, src, n, NULL, NULL, 0);
}

static inline HRESULT StringCbCopyNA(STRSAFE_LPSTR dst, size_t cb, STRSAFE_LPCSTR src, size_t cbn)
{
    return StringCbCopyNExA(dst, cb, src, cbn, NULL, NULL, 0);
}

static inline HRESULT StringCchCopyNW(STRSAFE_LPWSTR dst, size_t cch, STRSAFE_LPCWSTR src, size_t n)
{
    return StringCchCopyNExW(dst, cch, src, n, NULL, NULL, 0);
}

static inline HRESULT StringCbCopyNW(STRSAFE_LPWSTR dst, size_t cb, STRSAFE_LPCWSTR src, size_t cbn)
{
    return StringCbCopyNExW(dst, cb, src, cbn, NULL, NULL, 0);
}

/* ---- Cat: the destination must be terminated within its size ---- */
static inline HRESULT StringCchCatExA(STRSAFE_LPSTR dst, size_t cch, STRSAFE_LPCSTR src, STRSAFE_LPSTR *end,
                                      size_t *rem, DWORD flags)
{
    WS2_URING_SS_A_(dst, cch, 1, src, STRSAFE_MAX_LENGTH, NULL, flags, end, rem);
}

static inline HRESULT StringCbCatExA(STRSAFE_LPSTR dst, size_t cb, STRSAFE_LPCSTR src, STRSAFE_LPSTR *end,
                                     size_t *rem, DWORD flags)
{
    WS2_URING_SS_A_(dst, cb, 1, src, STRSAFE_MAX_LENGTH, NULL, flags, end, rem);
}

static inline HRESULT StringCchCatExW(STRSAFE_LPWSTR dst, size_t cch, STRSAFE_LPCWSTR src, STRSAFE_LPWSTR *end,
                                      size_t *rem, DWORD flags)
{
    WS2_URING_SS_W_(dst, cch, 0, 1, src, STRSAFE_MAX_LENGTH, flags, end, rem);
}

static inline HRESULT StringCbCatExW(STRSAFE_LPWSTR dst, size_t cb, STRSAFE_LPCWSTR src, STRSAFE_LPWSTR *end,
                                     size_t *rem, DWORD flags)
{
    WS2_URING_SS_W_(dst, cb, 1, 1, src, STRSAFE_MAX_LENGTH, flags, end, rem);
}

static inline HRESULT StringCchCatA(STRSAFE_LPSTR dst, size_t cch, STRSAFE_LPCSTR src)
{
    return StringCchCatExA(dst, cch, src, NULL, NULL, 0);
}

static inline HRESULT StringCbCatA(STRSAFE_LPSTR dst, size_t cb, STRSAFE_LPCSTR src)
{
    return StringCbCatExA(dst, cb, src, NULL, NULL, 0);
}

static inline HRESULT StringCchCatW(STRSAFE_LPWSTR dst, size_t cch, STRSAFE_LPCWSTR src)
{
    return StringCchCatExW(dst, cch, src, NULL, NULL, 0);
}

static inline HRESULT StringCbCatW(STRSAFE_LPWSTR dst, size_t cb, STRSAFE_LPCWSTR src)
{
    return StringCbCatExW(dst, cb, src, NULL, NULL, 0);
}

/* ---- CatN: at most cchToAppend characters (cbToAppend bytes) of the source ---- */
static inline HRESULT StringCchCatNExA(STRSAFE_LPSTR dst, size_t cch, STRSAFE_LPCSTR src, size_t n,
                                       STRSAFE_LPSTR *end, size_t *rem, DWORD flags)
{
    WS2_URING_SS_A_(dst, cch, 1, src, n, NULL, flags, end, rem);
}

static inline HRESULT StringCbCatNExA(STRSAFE_LPSTR dst, size_t cb, STRSAFE_LPCSTR src, size_t cbn,
                                      STRSAFE_LPSTR *end, size_t *rem, DWORD flags)
{
    WS2_URING_SS_A_(dst, cb, 1, src, cbn, NULL, flags, end, rem);
}

static inline HRESULT StringCchCatNExW(STRSAFE_LPWSTR dst, size_t cch, STRSAFE_LPCWSTR src, size_t n,
                                       STRSAFE_LPWSTR *end, size_t *rem, DWORD flags)
{
    WS2_URING_SS_W_(dst, cch, 0, 1, src, n, flags, end, rem);
}

static inline HRESULT StringCbCatNExW(STRSAFE_LPWSTR dst, size_t cb, STRSAFE_LPCWSTR src, size_t cbn,
                                      STRSAFE_LPWSTR *end, size_t *rem, DWORD flags)
{
    WS2_URING_SS_W_(dst, cb, 1, 1, src, cbn / sizeof(WCHAR), flags, end, rem);
}

static inline HRESULT StringCchCatNA(STRSAFE_LPSTR dst, size_t cch, STRSAFE_LPCSTR src, size_t n)
{
    return StringCchCatNExA(dst, cch, src, n, NULL, NULL, 0);
}

static inline HRESULT StringCbCatNA(STRSAFE_LPSTR dst, size_t cb, STRSAFE_LPCSTR src, size_t cbn)
{
    return StringCbCatNExA(dst, cb, src, cbn, NULL, NULL, 0);
}

static inline HRESULT StringCchCatNW(STRSAFE_LPWSTR dst, size_t cch, STRSAFE_LPCWSTR src, size_t n)
{
    return StringCchCatNExW(dst, cch, src, n, NULL, NULL, 0);
}

static inline HRESULT StringCbCatNW(STRSAFE_LPWSTR dst, size_t cb, STRSAFE_LPCWSTR src, size_t cbn)
{
    return StringCbCatNExW(dst, cb, src, cbn, NULL, NULL, 0);
}

/* ---- Length: the length without the terminator, which must lie within cchMax ---- */
static inline HRESULT StringCchLengthA(STRSAFE_LPCSTR s, size_t cchMax, size_t *pcch)
{
    return ws2_uring_ss_length_(s, cchMax, 1, pcch);
}

static inline HRESULT StringCbLengthA(STRSAFE_LPCSTR s, size_t cbMax, size_t *pcb)
{
    return ws2_uring_ss_length_(s, cbMax, 1, pcb);
}

static inline HRESULT StringCchLengthW(STRSAFE_LPCWSTR s, size_t cchMax, size_t *pcch)
{
    return ws2_uring_ss_length_(s, cchMax, sizeof(WCHAR), pcch);
}

static inline HRESULT StringCbLengthW(STRSAFE_LPCWSTR s, size_t cbMax, size_t *pcb)
{
    size_t n = 0;
    HRESULT hr = ws2_uring_ss_length_(s, cbMax / sizeof(WCHAR), sizeof(WCHAR), &n);
    if (pcb)
        *pcb = n * sizeof(WCHAR);
    return hr;
}

/* ---- Printf (A only) ---- */
static inline HRESULT StringCchVPrintfExA(STRSAFE_LPSTR dst, size_t cch, STRSAFE_LPSTR *end, size_t *rem,
                                          DWORD flags, STRSAFE_LPCSTR fmt, va_list ap)
{
    va_list ws2_ap_;
    size_t ws2_at_, ws2_left_;
    HRESULT ws2_hr_;
    va_copy(ws2_ap_, ap);
    ws2_hr_ = ws2_uring_ss_ex_(dst, cch, cch, 1, 0, fmt, STRSAFE_MAX_LENGTH, &ws2_ap_, flags, &ws2_at_, &ws2_left_);
    va_end(ws2_ap_);
    return ws2_uring_ss_outA_(ws2_hr_, dst, ws2_at_, ws2_left_, 0, end, rem);
}

static inline HRESULT StringCbVPrintfExA(STRSAFE_LPSTR dst, size_t cb, STRSAFE_LPSTR *end, size_t *rem,
                                         DWORD flags, STRSAFE_LPCSTR fmt, va_list ap)
{
    return StringCchVPrintfExA(dst, cb, end, rem, flags, fmt, ap);
}

static inline HRESULT StringCchVPrintfA(STRSAFE_LPSTR dst, size_t cch, STRSAFE_LPCSTR fmt, va_list ap)
{
    return StringCchVPrintfExA(dst, cch, NULL, NULL, 0, fmt, ap);
}

static inline HRESULT StringCbVPrintfA(STRSAFE_LPSTR dst, size_t cb, STRSAFE_LPCSTR fmt, va_list ap)
{
    return StringCchVPrintfExA(dst, cb, NULL, NULL, 0, fmt, ap);
}

#if defined(__GNUC__)
__attribute__((format(printf, 6, 7)))
#endif
static inline HRESULT StringCchPrintfExA(STRSAFE_LPSTR dst, size_t cch, STRSAFE_LPSTR *end, size_t *rem,
                                         DWORD flags, STRSAFE_LPCSTR fmt, ...)
{
    va_list ap;
    HRESULT hr;
    va_start(ap, fmt);
    hr = StringCchVPrintfExA(dst, cch, end, rem, flags, fmt, ap);
    va_end(ap);
    return hr;
}

#if defined(__GNUC__)
__attribute__((format(printf, 6, 7)))
#endif
static inline HRESULT StringCbPrintfExA(STRSAFE_LPSTR dst, size_t cb, STRSAFE_LPSTR *end, size_t *rem,
                                        DWORD flags, STRSAFE_LPCSTR fmt, ...)
{
    va_list ap;
    HRESULT hr;
    va_start(ap, fmt);
    hr = StringCchVPrintfExA(dst, cb, end, rem, flags, fmt, ap);
    va_end(ap);
    return hr;
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static inline HRESULT StringCchPrintfA(STRSAFE_LPSTR dst, size_t cch, STRSAFE_LPCSTR fmt, ...)
{
    va_list ap;
    HRESULT hr;
    va_start(ap, fmt);
    hr = StringCchVPrintfExA(dst, cch, NULL, NULL, 0, fmt, ap);
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
    hr = StringCchVPrintfExA(dst, cb, NULL, NULL, 0, fmt, ap);
    va_end(ap);
    return hr;
}

#undef WS2_URING_SS_A_
#undef WS2_URING_SS_W_

#ifdef __cplusplus
} /* extern "C" */
#endif

/* ---- the TCHAR names ---- */
#ifdef UNICODE
#define StringCchCopy StringCchCopyW
#define StringCbCopy StringCbCopyW
#define StringCchCopyEx StringCchCopyExW
#define StringCbCopyEx StringCbCopyExW
#define StringCchCopyN StringCchCopyNW
#define StringCbCopyN StringCbCopyNW
#define StringCchCopyNEx StringCchCopyNExW
#define StringCbCopyNEx StringCbCopyNExW
#define StringCchCat StringCchCatW
#define StringCbCat StringCbCatW
#define StringCchCatEx StringCchCatExW
#define StringCbCatEx StringCbCatExW
#define StringCchCatN StringCchCatNW
#define StringCbCatN StringCbCatNW
#define StringCchCatNEx StringCchCatNExW
#define StringCbCatNEx StringCbCatNExW
#define StringCchLength StringCchLengthW
#define StringCbLength StringCbLengthW
/* StringCchPrintfW and the other wide formatting functions are not provided. */
#else
#define StringCchCopy StringCchCopyA
#define StringCbCopy StringCbCopyA
#define StringCchCopyEx StringCchCopyExA
#define StringCbCopyEx StringCbCopyExA
#define StringCchCopyN StringCchCopyNA
#define StringCbCopyN StringCbCopyNA
#define StringCchCopyNEx StringCchCopyNExA
#define StringCbCopyNEx StringCbCopyNExA
#define StringCchCat StringCchCatA
#define StringCbCat StringCbCatA
#define StringCchCatEx StringCchCatExA
#define StringCbCatEx StringCbCatExA
#define StringCchCatN StringCchCatNA
#define StringCbCatN StringCbCatNA
#define StringCchCatNEx StringCchCatNExA
#define StringCbCatNEx StringCbCatNExA
#define StringCchLength StringCchLengthA
#define StringCbLength StringCbLengthA
#define StringCchPrintf StringCchPrintfA
#define StringCbPrintf StringCbPrintfA
#define StringCchVPrintf StringCchVPrintfA
#define StringCbVPrintf StringCbVPrintfA
#define StringCchPrintfEx StringCchPrintfExA
#define StringCbPrintfEx StringCbPrintfExA
#define StringCchVPrintfEx StringCchVPrintfExA
#define StringCbVPrintfEx StringCbVPrintfExA
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
