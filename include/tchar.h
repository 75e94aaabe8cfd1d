/*
 * ws2-uring: <tchar.h>, the generic-text mappings of Microsoft's C runtime.
 *
 * The single-byte (SBCS, ANSI) mapping: every _t/_tcs name is the char function of the C
 * library or of the Microsoft CRT (<windows.h> provides _stricmp, _snprintf, strcpy_s, ...).
 * The wide mapping (_UNICODE) and the multibyte one (_MBCS) are not provided: wchar_t is 32-bit
 * on Linux, so the wide C library cannot serve 16-bit Windows strings; they fail to compile.
 */
#ifndef WS2_URING_TCHAR_H
#define WS2_URING_TCHAR_H
#define _INC_TCHAR

#if defined(_UNICODE)
#error "ws2-uring <tchar.h>: only the ANSI mapping is provided (_UNICODE is not supported)"
#endif

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <windows.h>

typedef char _TCHAR;
typedef char _TSCHAR;
typedef unsigned char _TUCHAR;
typedef char _TXCHAR;
typedef int _TINT;
#ifndef _TCHAR_DEFINED
#define _TCHAR_DEFINED
#endif

#define __T(x) x
#define _T(x) __T(x)
#define _TEXT(x) __T(x)
#define _TEOF EOF

/* entry points */
#define _tmain main
#define _tWinMain WinMain

/* formatted I/O */
#define _tprintf printf
#define _ftprintf fprintf
#ifndef _stprintf /* <strsafe.h> may have withdrawn it */
#define _stprintf sprintf
#endif
#ifndef _sntprintf /* <strsafe.h> may have withdrawn it */
#define _sntprintf _snprintf
#endif
#define _stprintf_s sprintf_s
#define _sntprintf_s _snprintf_s
#define _vtprintf vprintf
#define _vftprintf vfprintf
#ifndef _vstprintf /* <strsafe.h> may have withdrawn it */
#define _vstprintf vsprintf
#endif
#ifndef _vsntprintf /* <strsafe.h> may have withdrawn it */
#define _vsntprintf _vsnprintf
#endif
#define _vstprintf_s vsprintf_s
#define _vsntprintf_s _vsnprintf_s
#define _tscanf scanf
#define _ftscanf fscanf
#define _stscanf sscanf

/* unformatted I/O */
#define _fgettc fgetc
#define _fgettchar getchar
#define _fgetts fgets
#define _fputtc fputc
#define _fputtchar putchar
#define _fputts fputs
#define _gettc getc
#define _gettchar getchar
#define _puttc putc
#define _puttchar putchar
#define _ungettc ungetc
#define _putts puts

/* files, environment, processes */
#define _tfopen fopen
#define _tfreopen freopen
#define _tremove remove
#define _trename rename
#define _tperror perror
#define _tgetenv getenv
#define _tsystem system
#define _ttmpnam tmpnam

/* string conversion */
#define _ttoi atoi
#define _ttol atol
#define _ttoi64 atoll
#define _tstoi atoi
#define _tstol atol
#define _tstoi64 atoll
#define _tstof atof
#define _ttof atof
#define _tcstod strtod
#define _tcstol strtol
#define _tcstoul strtoul
#define _tcstoi64 strtoll
#define _tcstoui64 strtoull
#define _itot _itoa
#define _ltot _ltoa
#define _ultot _ultoa
#define _i64tot _i64toa
#define _ui64tot _ui64toa
#define _itot_s _itoa_s
#define _ltot_s _ltoa_s
#define _ultot_s _ultoa_s

/* strings */
#ifndef _tcscat /* <strsafe.h> may have withdrawn it */
#define _tcscat strcat
#endif
#define _tcscat_s strcat_s
#define _tcschr strchr
#define _tcscmp strcmp
#define _tcscoll strcoll
#ifndef _tcscpy /* <strsafe.h> may have withdrawn it */
#define _tcscpy strcpy
#endif
#define _tcscpy_s strcpy_s
#define _tcscspn strcspn
#define _tcsdup _strdup
#define _tcsftime strftime
#define _tcsicmp _stricmp
#define _tcsicoll _stricmp
#define _tcslen strlen
#define _tcsclen strlen
#define _tcsnlen ws2_uring_tcsnlen_
#define _tcslwr _strlwr
#define _tcsupr _strupr
#define _tcsncat strncat
#define _tcsncat_s strncat_s
#define _tcsnccat strncat
#define _tcsncmp strncmp
#define _tcsnccmp strncmp
#define _tcsncpy strncpy
#define _tcsncpy_s strncpy_s
#define _tcsnccpy strncpy
#define _tcsnicmp _strnicmp
#define _tcsncicmp _strnicmp
#define _tcspbrk strpbrk
#define _tcsrchr strrchr
#define _tcsspn strspn
#define _tcsstr strstr
#define _tcstok strtok
#define _tcsxfrm strxfrm

/* characters */
#define _istalnum isalnum
#define _istalpha isalpha
#define _istcntrl iscntrl
#define _istdigit isdigit
#define _istgraph isgraph
#define _istlower islower
#define _istprint isprint
#define _istpunct ispunct
#define _istspace isspace
#define _istupper isupper
#define _istxdigit isxdigit
#define _istascii(c) ((unsigned)(c) < 0x80)
#define _totlower tolower
#define _totupper toupper

/* _tcsnlen: the length, at most max (strnlen is POSIX, not C11). */
static inline size_t ws2_uring_tcsnlen_(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        n++;
    return n;
}

#endif /* WS2_URING_TCHAR_H */
