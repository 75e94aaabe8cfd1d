/*
 * ws2-uring: <ws2tcpip.h> -- TCP/IP specific Winsock 2 definitions: getaddrinfo and friends
 * (ANSI and wide), getnameinfo, inet_pton/inet_ntop, EAI_* codes, IPv6 address helpers.
 * Windows values and Win64 layouts. Pulls in <winsock2.h>, <ws2ipdef.h> and <mstcpip.h>.
 */
#ifndef _WS2TCPIP_H_
#define _WS2TCPIP_H_

#include <winsock2.h>
#include <ws2ipdef.h>
#include <mstcpip.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- I/O control codes ---- */
#define SIO_GET_INTERFACE_LIST _IOR('t', 127, u_long)
#define SIO_GET_INTERFACE_LIST_EX _IOR('t', 126, u_long)
#define SIO_SET_MULTICAST_FILTER _IOW('t', 125, u_long)
#define SIO_GET_MULTICAST_FILTER _IOW('t', 124 | IOC_IN, u_long)
#define SIOCSIPMSFILTER SIO_SET_MULTICAST_FILTER
#define SIOCGIPMSFILTER SIO_GET_MULTICAST_FILTER
#define SIOCSMSFILTER _IOW('t', 126, u_long)
#define SIOCGMSFILTER _IOW('t', 127 | IOC_IN, u_long)
#define SIO_IDEAL_SEND_BACKLOG_QUERY _IOR('t', 123, u_long)
#define SIO_IDEAL_SEND_BACKLOG_CHANGE _IO('t', 122)

#define SS_PORT(ssp) (((struct sockaddr_in *)(ssp))->sin_port)

/* ---- IPv6 address tests (in6addr_any and in6addr_loopback are in <ws2ipdef.h>) ---- */
static inline int IN6_IS_ADDR_UNSPECIFIED(const IN6_ADDR *a)
{
    static const UCHAR zero[16] = { 0 };
    return memcmp(a->s6_bytes, zero, 16) == 0;
}
static inline int IN6_IS_ADDR_LOOPBACK(const IN6_ADDR *a)
{
    static const UCHAR loop[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
    return memcmp(a->s6_bytes, loop, 16) == 0;
}
static inline int IN6_IS_ADDR_MULTICAST(const IN6_ADDR *a)
{
    return a->s6_bytes[0] == 0xff;
}
static inline int IN6_IS_ADDR_LINKLOCAL(const IN6_ADDR *a)
{
    return a->s6_bytes[0] == 0xfe && (a->s6_bytes[1] & 0xc0) == 0x80;
}
static inline int IN6_IS_ADDR_SITELOCAL(const IN6_ADDR *a)
{
    return a->s6_bytes[0] == 0xfe && (a->s6_bytes[1] & 0xc0) == 0xc0;
}
static inline int IN6_IS_ADDR_V4MAPPED(const IN6_ADDR *a)
{
    static const UCHAR prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
    return memcmp(a->s6_bytes, prefix, 12) == 0;
}
static inline int IN6_IS_ADDR_V4COMPAT(const IN6_ADDR *a)
{
    static const UCHAR zero[12] = { 0 };
    return memcmp(a->s6_bytes, zero, 12) == 0 &&
           !(a->s6_bytes[12] == 0 && a->s6_bytes[13] == 0 && a->s6_bytes[14] == 0 &&
             (a->s6_bytes[15] == 0 || a->s6_bytes[15] == 1));
}
static inline int IN6_IS_ADDR_MC_NODELOCAL(const IN6_ADDR *a)
{
    return IN6_IS_ADDR_MULTICAST(a) && (a->s6_bytes[1] & 0xf) == 1;
}
static inline int IN6_IS_ADDR_MC_LINKLOCAL(const IN6_ADDR *a)
{
    return IN6_IS_ADDR_MULTICAST(a) && (a->s6_bytes[1] & 0xf) == 2;
}
static inline int IN6_IS_ADDR_MC_SITELOCAL(const IN6_ADDR *a)
{
    return IN6_IS_ADDR_MULTICAST(a) && (a->s6_bytes[1] & 0xf) == 5;
}
static inline int IN6_IS_ADDR_MC_ORGLOCAL(const IN6_ADDR *a)
{
    return IN6_IS_ADDR_MULTICAST(a) && (a->s6_bytes[1] & 0xf) == 8;
}
static inline int IN6_IS_ADDR_MC_GLOBAL(const IN6_ADDR *a)
{
    return IN6_IS_ADDR_MULTICAST(a) && (a->s6_bytes[1] & 0xf) == 0xe;
}
static inline void IN6_SET_ADDR_UNSPECIFIED(IN6_ADDR *a)
{
    memset(a->s6_bytes, 0, sizeof(IN6_ADDR));
}
static inline void IN6_SET_ADDR_LOOPBACK(IN6_ADDR *a)
{
    memset(a->s6_bytes, 0, sizeof(IN6_ADDR));
    a->s6_bytes[15] = 1;
}
static inline int IN6ADDR_ISANY(const SOCKADDR_IN6 *a)
{
    return a->sin6_family == AF_INET6 && IN6_IS_ADDR_UNSPECIFIED(&a->sin6_addr);
}
static inline int IN6ADDR_ISLOOPBACK(const SOCKADDR_IN6 *a)
{
    return a->sin6_family == AF_INET6 && IN6_IS_ADDR_LOOPBACK(&a->sin6_addr);
}
static inline void IN6ADDR_SETANY(SOCKADDR_IN6 *a)
{
    memset(a, 0, sizeof(*a));
    a->sin6_family = AF_INET6;
}
static inline void IN6ADDR_SETLOOPBACK(SOCKADDR_IN6 *a)
{
    memset(a, 0, sizeof(*a));
    a->sin6_family = AF_INET6;
    a->sin6_addr.s6_bytes[15] = 1;
}

/* ---- getaddrinfo errors (Winsock error codes) ---- */
#define EAI_AGAIN WSATRY_AGAIN
#define EAI_BADFLAGS WSAEINVAL
#define EAI_FAIL WSANO_RECOVERY
#define EAI_FAMILY WSAEAFNOSUPPORT
#define EAI_MEMORY WSA_NOT_ENOUGH_MEMORY
#define EAI_NOSECURENAME WSA_SECURE_HOST_NOT_FOUND
#define EAI_NONAME WSAHOST_NOT_FOUND
#define EAI_SERVICE WSATYPE_NOT_FOUND
#define EAI_SOCKTYPE WSAESOCKTNOSUPPORT
#define EAI_IPSECPOLICY WSA_IPSEC_NAME_POLICY_ERROR
#define EAI_NODATA EAI_NONAME /* as in the Windows SDK */

#ifdef UNICODE
typedef ADDRINFOW ADDRINFOT, *PADDRINFOT;
typedef ADDRINFOEXW ADDRINFOEX, *PADDRINFOEX;
#else
typedef ADDRINFOA ADDRINFOT, *PADDRINFOT;
typedef ADDRINFOEXA ADDRINFOEX, *PADDRINFOEX;
#endif
typedef ADDRINFOA ADDRINFO, *LPADDRINFO;

#define GAI_STRERROR_BUFFER_SIZE 1024

/* ---- functions (socklen_t is int, see <winsock2.h>) ---- */
WINSOCK_API_LINKAGE INT WSAAPI getaddrinfo(PCSTR pNodeName, PCSTR pServiceName, const ADDRINFOA *pHints, PADDRINFOA *ppResult) WS2_URING_SYMBOL(ws2_getaddrinfo);
WINSOCK_API_LINKAGE VOID WSAAPI freeaddrinfo(PADDRINFOA pAddrInfo) WS2_URING_SYMBOL(ws2_freeaddrinfo);
WINSOCK_API_LINKAGE INT WSAAPI getnameinfo(const SOCKADDR *pSockaddr, socklen_t SockaddrLength, PCHAR pNodeBuffer, DWORD NodeBufferSize, PCHAR pServiceBuffer, DWORD ServiceBufferSize, INT Flags) WS2_URING_SYMBOL(ws2_getnameinfo);
WINSOCK_API_LINKAGE INT WSAAPI inet_pton(INT Family, PCSTR pszAddrString, PVOID pAddrBuf) WS2_URING_SYMBOL(ws2_inet_pton);
WINSOCK_API_LINKAGE PCSTR WSAAPI inet_ntop(INT Family, const VOID *pAddr, PSTR pStringBuf, size_t StringBufSize) WS2_URING_SYMBOL(ws2_inet_ntop);

WINSOCK_API_LINKAGE INT WSAAPI GetAddrInfoW(PCWSTR pNodeName, PCWSTR pServiceName, const ADDRINFOW *pHints, PADDRINFOW *ppResult);
WINSOCK_API_LINKAGE VOID WSAAPI FreeAddrInfoW(PADDRINFOW pAddrInfo);
WINSOCK_API_LINKAGE INT WSAAPI GetNameInfoW(const SOCKADDR *pSockaddr, socklen_t SockaddrLength, PWCHAR pNodeBuffer, DWORD NodeBufferSize, PWCHAR pServiceBuffer, DWORD ServiceBufferSize, INT Flags);
WINSOCK_API_LINKAGE INT WSAAPI InetPtonW(INT Family, PCWSTR pszAddrString, PVOID pAddrBuf);
WINSOCK_API_LINKAGE PCWSTR WSAAPI InetNtopW(INT Family, const VOID *pAddr, PWSTR pStringBuf, size_t StringBufSize);
WINSOCK_API_LINKAGE char *WSAAPI gai_strerrorA(int ecode);
WINSOCK_API_LINKAGE WCHAR *WSAAPI gai_strerrorW(int ecode);

#define GetAddrInfoA getaddrinfo
#define FreeAddrInfoA freeaddrinfo
#define GetNameInfoA getnameinfo
#define InetPtonA inet_pton
#define InetNtopA inet_ntop

#ifdef UNICODE
#define GetAddrInfo GetAddrInfoW
#define FreeAddrInfo FreeAddrInfoW
#define GetNameInfo GetNameInfoW
#define InetPton InetPtonW
#define InetNtop InetNtopW
#define gai_strerror gai_strerrorW
#else
#define GetAddrInfo GetAddrInfoA
#define FreeAddrInfo FreeAddrInfoA
#define GetNameInfo GetNameInfoA
#define InetPton InetPtonA
#define InetNtop InetNtopA
#define gai_strerror gai_strerrorA
#endif

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* _WS2TCPIP_H_ */
