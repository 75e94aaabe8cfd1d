/*
 * ws2-uring: internal header, included first by <winsock2.h>. Not for direct use.
 *
 * Resolves the names that Winsock and glibc both define (see the comment at the top of
 * <winsock2.h> for the whole scheme):
 *
 *   1. Include, once and up front, every glibc header that defines one of the clashing names
 *      (fd_set, FD_SET.., FD_SETSIZE, struct timeval, u_long, socklen_t, struct pollfd, POLL*,
 *      select, gethostname). Their include guards turn any later inclusion by the program into
 *      a no-op, so glibc's definitions can never appear after ours.
 *   2. Rename the Windows versions with object-like macros (fd_set -> ws2_fd_set,
 *      timeval -> ws2_timeval, u_long -> ws2_u_long, ...) so that from here on the program's
 *      code names the Windows types. glibc's declarations already parsed keep glibc's types.
 *   3. A program's own `#define FD_SETSIZE n` made before the first Winsock header survives;
 *      glibc's FD_SETSIZE (1024) is recognised and replaced by the Windows default of 64.
 */
#ifndef WS2_URING_COMPAT_H
#define WS2_URING_COMPAT_H

/* Tell glibc's FD_SETSIZE (defined as __FD_SETSIZE) from one the program set itself: expand
 * FD_SETSIZE while __FD_SETSIZE temporarily means a sentinel. */
#if defined(FD_SETSIZE) && defined(__FD_SETSIZE)
#pragma push_macro("__FD_SETSIZE")
#undef __FD_SETSIZE
#define __FD_SETSIZE (-7919)
#if (FD_SETSIZE) == (-7919)
#define WS2_URING_GLIBC_FD_SETSIZE_ 1
#endif
#pragma pop_macro("__FD_SETSIZE")
#ifdef WS2_URING_GLIBC_FD_SETSIZE_
#undef FD_SETSIZE
#undef WS2_URING_GLIBC_FD_SETSIZE_
#endif
#endif

/* Step 1: glibc headers that define clashing names, included before any renaming. */
#pragma push_macro("FD_SETSIZE")
#undef FD_SETSIZE
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>
#include <sys/time.h>
#include <sys/select.h>
#include <sys/resource.h>
#include <unistd.h>
#include <poll.h>
#undef FD_SETSIZE
#pragma pop_macro("FD_SETSIZE")

/* Step 2: the Windows meanings. */
#ifndef FD_SETSIZE
#define FD_SETSIZE 64
#endif

#undef FD_SET
#undef FD_CLR
#undef FD_ISSET
#undef FD_ZERO

#undef POLLIN
#undef POLLPRI
#undef POLLOUT
#undef POLLERR
#undef POLLHUP
#undef POLLNVAL
#undef POLLRDNORM
#undef POLLRDBAND
#undef POLLWRNORM
#undef POLLWRBAND
#undef POLLMSG
#undef POLLREMOVE
#undef POLLRDHUP

#define fd_set ws2_fd_set
#define timeval ws2_timeval
#define pollfd ws2_pollfd
#define u_long ws2_u_long
#define socklen_t ws2_socklen_t

/* Functions glibc declares under the same name with other types: the Windows versions are
 * reached through these macros (the library exports ws2_select / ws2_gethostname). */
#undef select
#define select ws2_select
#undef gethostname
#define gethostname ws2_gethostname

/* BSD unsigned types, Windows sizes (u_long is 32-bit). glibc defines the first three with
 * the same types when its misc extensions are on. */
#ifndef __u_char_defined
#ifndef WS2_URING_BSD_TYPES_
#define WS2_URING_BSD_TYPES_
typedef unsigned char u_char;
typedef unsigned short u_short;
typedef unsigned int u_int;
#endif
#endif
typedef unsigned int ws2_u_long;
__extension__ typedef unsigned long long u_int64;
typedef int ws2_socklen_t;

/* Windows programs name the library's exported functions with their Windows names; the
 * POSIX-named ones are bound to the prefixed symbols the library exports. */
#define WS2_URING_SYMBOL(name) __asm__(#name)

#endif /* WS2_URING_COMPAT_H */
