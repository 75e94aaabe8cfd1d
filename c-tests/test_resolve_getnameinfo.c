/* getnameinfo / GetNameInfoW: numeric hosts (IPv4, IPv6 with scope, embedded IPv4) and
 * services, service names, reverse lookup of local addresses, argument errors. No real
 * DNS: reverse lookups only for loopback. */
#include "testutil.h"

/* An IPv6 address from eight host-order words, a scope id and a host-order port. */
static struct sockaddr_in6 v6(const unsigned short *w, unsigned int scope, unsigned short port)
{
    struct sockaddr_in6 sin6;
    unsigned char b[16];
    tu_words_to_bytes(b, w);
    sin6 = tu_addr6(b, htons(port));
    sin6.sin6_scope_id = scope;
    return sin6;
}

static void test_numeric(void)
{
    static const unsigned short loop6[8] = {0, 0, 0, 0, 0, 0, 0, 1};
    static const unsigned short link[8] = {0xfe80, 0, 0, 0, 0, 0, 0, 0x1234};
    static const unsigned short mapped[8] = {0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304};
    static const unsigned short doc[8] = {0x2001, 0xdb8, 0, 0, 1, 0, 0, 1};
    struct sockaddr_in sin;
    struct sockaddr_in6 sin6;
    char host[NI_MAXHOST], serv[NI_MAXSERV];
    int ret;

    ok(NI_MAXHOST == 1025 && NI_MAXSERV == 32, "NI_MAXHOST %d NI_MAXSERV %d", NI_MAXHOST, NI_MAXSERV);
    ok(NI_NOFQDN == 1 && NI_NUMERICHOST == 2 && NI_NAMEREQD == 4 && NI_NUMERICSERV == 8 && NI_DGRAM == 16,
       "NI_* values");

    sin = tu_addr4(0x7f000001, 80);
    ret = getnameinfo((struct sockaddr *)&sin, sizeof(sin), host, sizeof(host), serv, sizeof(serv),
                      NI_NUMERICHOST | NI_NUMERICSERV);
    ok(ret == 0 && !strcmp(host, "127.0.0.1") && !strcmp(serv, "80"), "127.0.0.1:80: ret %d \"%s\" \"%s\"", ret,
       host, serv);

    sin = tu_addr4(0xc0a801fd, 65535);
    ret = getnameinfo((struct sockaddr *)&sin, sizeof(sin), host, sizeof(host), serv, sizeof(serv),
                      NI_NUMERICHOST | NI_NUMERICSERV);
    ok(ret == 0 && !strcmp(host, "192.168.1.253") && !strcmp(serv, "65535"), "192.168.1.253: \"%s\" \"%s\"", host,
       serv);

    /* Only the host, only the service. */
    ret = getnameinfo((struct sockaddr *)&sin, sizeof(sin), host, sizeof(host), NULL, 0, NI_NUMERICHOST);
    ok(ret == 0 && !strcmp(host, "192.168.1.253"), "host only: ret %d", ret);
    ret = getnameinfo((struct sockaddr *)&sin, sizeof(sin), NULL, 0, serv, sizeof(serv), NI_NUMERICSERV);
    ok(ret == 0 && !strcmp(serv, "65535"), "service only: ret %d", ret);

    sin6 = v6(loop6, 0, 443);
    ret = getnameinfo((struct sockaddr *)&sin6, sizeof(sin6), host, sizeof(host), serv, sizeof(serv),
                      NI_NUMERICHOST | NI_NUMERICSERV);
    ok(ret == 0 && !strcmp(host, "::1") && !strcmp(serv, "443"), "[::1]:443: ret %d \"%s\" \"%s\"", ret, host, serv);

    sin6 = v6(link, 1234, 0);
    ret = getnameinfo((struct sockaddr *)&sin6, sizeof(sin6), host, sizeof(host), serv, sizeof(serv),
                      NI_NUMERICHOST | NI_NUMERICSERV);
    ok(ret == 0 && !strcmp(host, "fe80::1234%1234") && !strcmp(serv, "0"), "scope: ret %d \"%s\" \"%s\"", ret, host,
       serv);

    sin6 = v6(mapped, 0, 0);
    ret = getnameinfo((struct sockaddr *)&sin6, sizeof(sin6), host, sizeof(host), NULL, 0, NI_NUMERICHOST);
    ok(ret == 0 && !strcmp(host, "::ffff:1.2.3.4"), "mapped: ret %d \"%s\"", ret, host);

    sin6 = v6(doc, 0, 0);
    ret = getnameinfo((struct sockaddr *)&sin6, sizeof(sin6), host, sizeof(host), NULL, 0, NI_NUMERICHOST);
    ok(ret == 0 && !strcmp(host, "2001:db8::1:0:0:1"), "zero runs: ret %d \"%s\"", ret, host);
}

static void test_services(void)
{
    struct sockaddr_in sin;
    char serv[NI_MAXSERV];
    int ret;

    sin = tu_addr4(0x7f000001, 80);
    ret = getnameinfo((struct sockaddr *)&sin, sizeof(sin), NULL, 0, serv, sizeof(serv), 0);
    ok(ret == 0 && !strcmp(serv, "http"), "port 80: ret %d \"%s\"", ret, serv);
    sin = tu_addr4(0x7f000001, 53);
    ret = getnameinfo((struct sockaddr *)&sin, sizeof(sin), NULL, 0, serv, sizeof(serv), NI_DGRAM);
    ok(ret == 0 && !strcmp(serv, "domain"), "port 53/udp: ret %d \"%s\"", ret, serv);
    sin = tu_addr4(0x7f000001, 23);
    ret = getnameinfo((struct sockaddr *)&sin, sizeof(sin), NULL, 0, serv, sizeof(serv), 0);
    ok(ret == 0 && !strcmp(serv, "telnet"), "port 23: ret %d \"%s\"", ret, serv);
    /* No service on the port: the number (Vista and later). */
    sin = tu_addr4(0x7f000001, 65000);
    ret = getnameinfo((struct sockaddr *)&sin, sizeof(sin), NULL, 0, serv, sizeof(serv), 0);
    ok(ret == 0 && !strcmp(serv, "65000"), "port 65000: ret %d \"%s\"", ret, serv);
    sin = tu_addr4(0x7f000001, 0);
    ret = getnameinfo((struct sockaddr *)&sin, sizeof(sin), NULL, 0, serv, sizeof(serv), 0);
    ok(ret == 0 && !strcmp(serv, "0"), "port 0: ret %d \"%s\"", ret, serv);
    sin = tu_addr4(0x7f000001, 80);
    ret = getnameinfo((struct sockaddr *)&sin, sizeof(sin), NULL, 0, serv, sizeof(serv), NI_NUMERICSERV);
    ok(ret == 0 && !strcmp(serv, "80"), "NI_NUMERICSERV: ret %d \"%s\"", ret, serv);
}

static void test_reverse(void)
{
    struct sockaddr_in sin;
    char host[NI_MAXHOST], name[256];
    int ret;

    ok(gethostname(name, sizeof(name)) == 0, "gethostname");
    sin = tu_addr4(0x7f000001, 0);
    host[0] = 0;
    ret = getnameinfo((struct sockaddr *)&sin, sizeof(sin), host, sizeof(host), NULL, 0, 0);
    ok(ret == 0 && host[0], "reverse 127.0.0.1: ret %d \"%s\"", ret, host);
    ret = getnameinfo((struct sockaddr *)&sin, sizeof(sin), host, sizeof(host), NULL, 0, NI_NAMEREQD);
    ok(ret == 0 && host[0] && strcmp(host, "127.0.0.1"), "NI_NAMEREQD 127.0.0.1: ret %d \"%s\"", ret, host);
#ifdef WS2_URING
    /* Windows names its loopback address after the machine (Wine asks the host's resolver,
     * which usually says "localhost"). */
    ok(!strcmp(host, name), "reverse 127.0.0.1 = \"%s\", machine \"%s\"", host, name);
#endif
}

static void test_errors(void)
{
    struct sockaddr_in sin = tu_addr4(0x7f000001, 80);
    struct sockaddr_in6 sin6;
    char host[NI_MAXHOST], serv[NI_MAXSERV];
    int ret;

    memset(&sin6, 0, sizeof(sin6));
    sin6.sin6_family = 12345;
    ret = getnameinfo((struct sockaddr *)&sin6, sizeof(sin6), host, sizeof(host), serv, sizeof(serv),
                      NI_NUMERICHOST);
    ok(ret == WSAEAFNOSUPPORT, "unknown family: ret %d", ret);

#ifdef WS2_URING
    /* Documented Windows errors that Wine does not produce (it passes the arguments to the
     * host's getnameinfo, or crashes on NULL); the error is also the last error. */
    WSASetLastError(0);
    ret = getnameinfo((struct sockaddr *)&sin, sizeof(sin), NULL, 0, NULL, 0, 0);
    ok(ret == WSAHOST_NOT_FOUND && WSAGetLastError() == WSAHOST_NOT_FOUND, "no buffers: ret %d", ret);
    WSASetLastError(0);
    ret = getnameinfo(NULL, sizeof(sin), host, sizeof(host), NULL, 0, 0);
    ok(ret == WSAEFAULT && WSAGetLastError() == WSAEFAULT, "NULL address: ret %d", ret);
    ret = getnameinfo((struct sockaddr *)&sin, sizeof(sin) - 1, host, sizeof(host), NULL, 0, NI_NUMERICHOST);
    ok(ret == WSAEFAULT, "short sockaddr_in: ret %d", ret);
    sin6.sin6_family = AF_INET6;
    ret = getnameinfo((struct sockaddr *)&sin6, sizeof(sin6) - 4, host, sizeof(host), NULL, 0, NI_NUMERICHOST);
    ok(ret == WSAEFAULT, "short sockaddr_in6: ret %d", ret);
    ret = getnameinfo((struct sockaddr *)&sin, sizeof(sin), host, 0, NULL, 0, NI_NUMERICHOST);
    ok(ret == WSAEINVAL, "host buffer of size 0: ret %d", ret);
    ret = getnameinfo((struct sockaddr *)&sin, sizeof(sin), NULL, 0, serv, 0, NI_NUMERICSERV);
    ok(ret == WSAEINVAL, "service buffer of size 0: ret %d", ret);
    WSASetLastError(1234);
    ret = getnameinfo((struct sockaddr *)&sin, sizeof(sin), host, sizeof(host), NULL, 0, NI_NUMERICHOST);
    ok(ret == 0 && WSAGetLastError() == 0, "success: ret %d error %d", ret, WSAGetLastError());
#else
    (void)serv;
    (void)sin;
#endif
}

static void test_wide(void)
{
    static const unsigned short loop6[8] = {0, 0, 0, 0, 0, 0, 0, 1};
    struct sockaddr_in sin = tu_addr4(0x0a000001, 8080);
    struct sockaddr_in6 sin6 = v6(loop6, 3, 80);
    WCHAR host[NI_MAXHOST], serv[NI_MAXSERV];
    int ret;

    ret = GetNameInfoW((struct sockaddr *)&sin, sizeof(sin), host, NI_MAXHOST, serv, NI_MAXSERV,
                       NI_NUMERICHOST | NI_NUMERICSERV);
    ok(ret == 0 && tu_wide_eq(host, "10.0.0.1") && tu_wide_eq(serv, "8080"), "GetNameInfoW IPv4: ret %d", ret);
    ret = GetNameInfoW((struct sockaddr *)&sin6, sizeof(sin6), host, NI_MAXHOST, serv, NI_MAXSERV, NI_NUMERICHOST);
    ok(ret == 0 && tu_wide_eq(host, "::1%3") && tu_wide_eq(serv, "http"), "GetNameInfoW IPv6: ret %d", ret);
    sin6.sin6_family = 12345;
    ret = GetNameInfoW((struct sockaddr *)&sin6, sizeof(sin6), host, NI_MAXHOST, NULL, 0, NI_NUMERICHOST);
    ok(ret == WSAEAFNOSUPPORT, "GetNameInfoW unknown family: ret %d", ret);
}

#ifdef WS2_URING
/* Windows documents WSANOTINITIALISED; Wine answers anyway. */
static void test_before_startup(void)
{
    struct sockaddr_in sin = tu_addr4(0x7f000001, 80);
    char host[64];
    int ret = getnameinfo((struct sockaddr *)&sin, sizeof(sin), host, sizeof(host), NULL, 0, NI_NUMERICHOST);
    ok(ret == WSANOTINITIALISED, "before WSAStartup: ret %d", ret);
}
#endif

int main(void)
{
#ifdef WS2_URING
    test_before_startup();
#endif
    tu_startup();
    test_numeric();
    test_services();
    test_reverse();
    test_errors();
    test_wide();
    WSACleanup();
    return test_done();
}
