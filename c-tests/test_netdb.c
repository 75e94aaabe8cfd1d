/* The database calls with Windows layouts and rules: gethostname/GetHostNameW,
 * gethostbyname (own name, "", NULL, localhost, numeric), gethostbyaddr, getservbyname/
 * getservbyport, getprotobyname/getprotobynumber; per-thread result storage; WSAStartup. */
#include "testutil.h"
#include <ctype.h>
#include <pthread.h>
#include <stddef.h>

static void test_before_startup(void)
{
    struct hostent *he;
    WSASetLastError(0xdeadbeef);
    he = gethostbyname("localhost");
    ok_wsa_fail(he, NULL, WSANOTINITIALISED);
#ifdef WS2_URING
    /* Windows documents WSANOTINITIALISED for these too; Wine answers them anyway. */
    {
        char name[256];
        int ret;
        WSASetLastError(0);
        ret = gethostname(name, sizeof(name));
        ok_wsa_fail(ret, SOCKET_ERROR, WSANOTINITIALISED);
        WSASetLastError(0);
        ok_wsa_fail(getservbyname("http", "tcp"), NULL, WSANOTINITIALISED);
        WSASetLastError(0);
        ok_wsa_fail(getprotobynumber(6), NULL, WSANOTINITIALISED);
        WSASetLastError(0);
        ok_wsa_fail(gethostbyaddr("\x7f\0\0\x01", 4, AF_INET), NULL, WSANOTINITIALISED);
    }
#endif
}

static void test_gethostname(void)
{
    char name[256];
    WCHAR wname[256];
    int ret, len, k;

    WSASetLastError(0xdeadbeef);
    ret = gethostname(NULL, 256);
    ok_wsa_fail(ret, SOCKET_ERROR, WSAEFAULT);

    ret = gethostname(name, sizeof(name));
    ok(ret == 0, "gethostname: error %d", WSAGetLastError());
    len = (int)strlen(name);
    ok(len > 0, "empty host name");

    /* The buffer must hold the name and its NUL; a short one is left untouched. */
    strcpy(name, "deadbeef");
    WSASetLastError(0xdeadbeef);
    ret = gethostname(name, len);
    ok_wsa_fail(ret, SOCKET_ERROR, WSAEFAULT);
    ok(!strcmp(name, "deadbeef"), "short buffer was written: %s", name);
    ret = gethostname(name, len + 1);
    ok(ret == 0 && (int)strlen(name) == len, "gethostname(len + 1): ret %d, \"%s\"", ret, name);

    WSASetLastError(0xdeadbeef);
    ret = GetHostNameW(NULL, 256);
    ok_wsa_fail(ret, SOCKET_ERROR, WSAEFAULT);
    ret = GetHostNameW(wname, 256);
    ok(ret == 0, "GetHostNameW: error %d", WSAGetLastError());
    for (k = 0; k < len && wname[k] == (WCHAR)(unsigned char)name[k]; k++)
        ;
    ok(k == len && wname[len] == 0, "GetHostNameW differs from gethostname at %d", k);
    wname[0] = 'x';
    WSASetLastError(0xdeadbeef);
    ret = GetHostNameW(wname, len);
    ok_wsa_fail(ret, SOCKET_ERROR, WSAEFAULT);
    ok(wname[0] == 'x', "short wide buffer was written");
    ret = GetHostNameW(wname, len + 1);
    ok(ret == 0 && wname[len] == 0, "GetHostNameW(len + 1): ret %d", ret);
}

/* Windows' layout: aliases array right after the structure, then the address array, then
 * the first address. */
static void check_layout(const struct hostent *h, const char *what)
{
    char *p = (char *)(h + 1);
    char **q;
    int n;
    ok((char *)h->h_aliases == p, "%s: h_aliases at +%d", what, (int)((char *)h->h_aliases - (char *)h));
    for (q = h->h_aliases, n = 1; *q; q++)
        n++;
    p += n * sizeof(char *);
    ok((char *)h->h_addr_list == p, "%s: h_addr_list at +%d", what, (int)((char *)h->h_addr_list - (char *)h));
    for (q = h->h_addr_list, n = 1; *q; q++)
        n++;
    p += n * sizeof(char *);
    ok(h->h_addr_list[0] == p, "%s: first address at +%d", what, (int)(h->h_addr_list[0] - (char *)h));
}

struct host_thread {
    struct hostent *he;
    unsigned char first[4];
};

static void *host_thread_proc(void *param)
{
    struct host_thread *t = param;
    t->he = gethostbyname("10.20.30.40");
    if (t->he)
        memcpy(t->first, t->he->h_addr_list[0], 4);
    return NULL;
}

static void test_gethostbyname(void)
{
    struct hostent *he, *he2;
    char name[256];
    struct host_thread t;
    pthread_t thread;
    int count;

    ok(gethostname(name, sizeof(name)) == 0, "gethostname");

    /* The machine's own name: its IPv4 addresses. */
    he = gethostbyname(name);
    ok(he != NULL, "gethostbyname(own name) error %d", WSAGetLastError());
    if (he) {
        ok(he->h_addrtype == AF_INET && he->h_length == 4, "own name: type %d length %d", he->h_addrtype,
           he->h_length);
        ok(he->h_name && he->h_name[0], "own name: empty h_name");
        for (count = 0; he->h_addr_list[count]; count++)
            ;
        ok(count >= 1, "own name: no address");
        check_layout(he, "own name");
    }
    /* "" and NULL name the local host too. */
    he = gethostbyname("");
    ok(he != NULL && he->h_addrtype == AF_INET && he->h_addr_list[0], "gethostbyname(\"\") error %d",
       WSAGetLastError());
    he = gethostbyname(NULL);
    ok(he != NULL && he->h_addrtype == AF_INET && he->h_addr_list[0], "gethostbyname(NULL) error %d",
       WSAGetLastError());

    he = gethostbyname("localhost");
    ok(he != NULL, "gethostbyname(localhost) error %d", WSAGetLastError());
    if (he) {
        static const unsigned char loopback[4] = {127, 0, 0, 1};
        ok(he->h_addrtype == AF_INET && he->h_length == 4, "localhost: type %d length %d", he->h_addrtype,
           he->h_length);
        ok(!memcmp(he->h_addr_list[0], loopback, 4), "localhost: %u.%u.%u.%u", (unsigned char)he->h_addr_list[0][0],
           (unsigned char)he->h_addr_list[0][1], (unsigned char)he->h_addr_list[0][2],
           (unsigned char)he->h_addr_list[0][3]);
        check_layout(he, "localhost");
    }

    he = gethostbyname("127.0.0.1");
    ok(he != NULL, "gethostbyname(127.0.0.1) error %d", WSAGetLastError());
    if (he) {
        ok(!strcmp(he->h_name, "127.0.0.1"), "numeric h_name %s", he->h_name);
        ok(he->h_addr_list[0] && !memcmp(he->h_addr_list[0], "\x7f\0\0\x01", 4) && !he->h_addr_list[1],
           "numeric address list");
        ok(he->h_aliases && !he->h_aliases[0], "numeric aliases");
        check_layout(he, "127.0.0.1");
    }

    /* One structure per thread: the next call reuses it; another thread has its own. */
    he = gethostbyname("1.2.3.4");
    he2 = gethostbyname("5.6.7.8");
    ok(he == he2, "second call returned another structure");
    ok(he2 && !memcmp(he2->h_addr_list[0], "\x05\x06\x07\x08", 4), "second call's address");
    memset(&t, 0, sizeof(t));
    ok(pthread_create(&thread, NULL, host_thread_proc, &t) == 0, "pthread_create");
    pthread_join(thread, NULL);
    ok(t.he != NULL && !memcmp(t.first, "\x0a\x14\x1e\x28", 4), "thread's lookup");
    ok(he2 && !memcmp(he2->h_addr_list[0], "\x05\x06\x07\x08", 4), "this thread's result was changed");
}

static void test_gethostbyaddr(void)
{
    static const unsigned char loopback[4] = {127, 0, 0, 1};
    struct hostent *he;

    he = gethostbyaddr((const char *)loopback, 4, AF_INET);
    ok(he != NULL, "gethostbyaddr(127.0.0.1) error %d", WSAGetLastError());
    if (he) {
        ok(he->h_name && he->h_name[0], "empty h_name");
        ok(he->h_addrtype == AF_INET && he->h_length == 4, "type %d length %d", he->h_addrtype, he->h_length);
        ok(he->h_addr_list[0] && !memcmp(he->h_addr_list[0], loopback, 4), "address list");
        check_layout(he, "gethostbyaddr");
    }
#ifdef WS2_URING
    /* Windows documents these argument errors; Wine passes the arguments to the host. */
    WSASetLastError(0);
    ok_wsa_fail(gethostbyaddr(NULL, 4, AF_INET), NULL, WSAEFAULT);
    WSASetLastError(0);
    ok_wsa_fail(gethostbyaddr((const char *)loopback, 3, AF_INET), NULL, WSAEFAULT);
    WSASetLastError(0);
    ok_wsa_fail(gethostbyaddr((const char *)loopback, 4, 12345), NULL, WSAEAFNOSUPPORT);
    {
        unsigned char v6[16] = {0};
        v6[15] = 1;
        he = gethostbyaddr((const char *)v6, 16, AF_INET6);
        ok(he && he->h_addrtype == AF_INET6 && he->h_length == 16 && !memcmp(he->h_addr_list[0], v6, 16),
           "gethostbyaddr(::1): error %d", WSAGetLastError());
    }
#endif
}

#define SERV_THREADS 3
#define SERV_QUERIES 100

static void *serv_thread_proc(void *param)
{
    int *failures = param, i;
    for (i = 0; i < SERV_QUERIES; i++) {
        struct servent *a = getservbyname("domain", "udp");
        int a_ok = a && a->s_port == htons(53) && !strcmp(a->s_proto, "udp") && !strcmp(a->s_name, "domain");
        struct servent *b = getservbyname("telnet", "tcp");
        int b_ok = b && b->s_port == htons(23) && !strcmp(b->s_proto, "tcp") && !strcmp(b->s_name, "telnet");
        if (!a_ok || !b_ok || a != b)
            (*failures)++;
    }
    return NULL;
}

static void test_services(void)
{
    struct servent *se, *se2;
    pthread_t threads[SERV_THREADS];
    int failures[SERV_THREADS] = {0}, i;

    ok(offsetof(struct servent, s_proto) == 16 && offsetof(struct servent, s_port) == 24 &&
           sizeof(struct servent) == 32,
       "Win64 servent layout");

    se = getservbyname("http", "tcp");
    ok(se != NULL, "getservbyname(http, tcp) error %d", WSAGetLastError());
    if (se) {
        ok(se->s_port == htons(80), "http port %u", ntohs(se->s_port));
        ok(!strcmp(se->s_name, "http"), "http name %s", se->s_name);
        ok(!strcmp(se->s_proto, "tcp"), "http proto %s", se->s_proto);
        ok(se->s_aliases != NULL, "http aliases");
    }
    se = getservbyname("HTTP", "TCP");
    ok(se && se->s_port == htons(80) && !strcmp(se->s_proto, "tcp"), "upper-case lookup");
    se = getservbyname("domain", "udp");
    ok(se && se->s_port == htons(53) && !strcmp(se->s_proto, "udp"), "domain/udp");
    se = getservbyname("telnet", NULL);
    ok(se && se->s_port == htons(23) && !strcmp(se->s_name, "telnet"), "telnet, any protocol");
    se = getservbyname("ftp", "tcp");
    ok(se && se->s_port == htons(21), "ftp/tcp");

    WSASetLastError(0);
    se = getservbyname("no-such-service-x", "tcp");
    ok_wsa_fail(se, NULL, WSANO_DATA);
    WSASetLastError(0);
    se = getservbyname("http", "no-such-proto");
    ok_wsa_fail(se, NULL, WSANO_DATA);

    se = getservbyport(htons(80), "tcp");
    ok(se && !strcmp(se->s_name, "http") && se->s_port == htons(80), "getservbyport(80)");
    se = getservbyport(htons(53), "udp");
    ok(se && !strcmp(se->s_name, "domain") && !strcmp(se->s_proto, "udp"), "getservbyport(53, udp)");
    se = getservbyport(htons(23), NULL);
    ok(se && !strcmp(se->s_name, "telnet"), "getservbyport(23, any)");
    WSASetLastError(0);
    se = getservbyport(htons(65000), "tcp");
    ok_wsa_fail(se, NULL, WSANO_DATA);

    /* One structure per thread, reused while it fits. */
    se = getservbyname("domain", "udp");
    se2 = getservbyname("telnet", "tcp");
    ok(se == se2, "second lookup returned another structure");

    for (i = 0; i < SERV_THREADS; i++)
        ok(pthread_create(&threads[i], NULL, serv_thread_proc, &failures[i]) == 0, "pthread_create");
    for (i = 0; i < SERV_THREADS; i++) {
        pthread_join(threads[i], NULL);
        ok(failures[i] == 0, "thread %d: %d bad lookups", i, failures[i]);
    }
}

static const struct {
    int number;
    const char *name, *alias;
} protocols[] = {
    {0, "ip", "IP"},           {1, "icmp", "ICMP"},         {3, "ggp", "GGP"},
    {6, "tcp", "TCP"},         {8, "egp", "EGP"},           {12, "pup", "PUP"},
    {17, "udp", "UDP"},        {20, "hmp", "HMP"},          {22, "xns-idp", "XNS-IDP"},
    {27, "rdp", "RDP"},        {41, "ipv6", "IPv6"},        {43, "ipv6-route", "IPv6-Route"},
    {44, "ipv6-frag", "IPv6-Frag"}, {50, "esp", "ESP"},     {51, "ah", "AH"},
    {58, "ipv6-icmp", "IPv6-ICMP"}, {59, "ipv6-nonxt", "IPv6-NoNxt"}, {60, "ipv6-opts", "IPv6-Opts"},
    {66, "rvd", "RVD"},
};

static void test_protocols(void)
{
    unsigned int i;
    int n;
    struct protoent *pe;
    char upper[32];

    ok(offsetof(struct protoent, p_proto) == 16, "Win64 protoent layout");
    for (i = 0; i < sizeof(protocols) / sizeof(protocols[0]); i++) {
        size_t k;
        pe = getprotobyname(protocols[i].name);
        ok(pe && pe->p_proto == protocols[i].number, "getprotobyname(%s) = %d", protocols[i].name,
           pe ? pe->p_proto : -1);
        pe = getprotobyname(protocols[i].alias);
        ok(pe && pe->p_proto == protocols[i].number, "getprotobyname(%s) = %d", protocols[i].alias,
           pe ? pe->p_proto : -1);
        for (k = 0; protocols[i].name[k]; k++)
            upper[k] = (char)toupper((unsigned char)protocols[i].name[k]);
        upper[k] = 0;
        pe = getprotobyname(upper);
        ok(pe && pe->p_proto == protocols[i].number, "getprotobyname(%s)", upper);
    }
    WSASetLastError(0);
    pe = getprotobyname("no-such-protocol");
    ok_wsa_fail(pe, NULL, WSANO_DATA);

    for (n = -1; n <= 256; n++) {
        const char *name = NULL, *alias = NULL;
        for (i = 0; i < sizeof(protocols) / sizeof(protocols[0]); i++)
            if (protocols[i].number == n) {
                name = protocols[i].name;
                alias = protocols[i].alias;
            }
        WSASetLastError(0);
        pe = getprotobynumber(n);
        if (!name) {
            ok(pe == NULL && WSAGetLastError() == WSANO_DATA, "getprotobynumber(%d) = %s, error %d", n,
               pe ? pe->p_name : "(null)", WSAGetLastError());
            continue;
        }
        ok(pe && !strcmp(pe->p_name, name), "getprotobynumber(%d) = %s", n, pe ? pe->p_name : "(null)");
        ok(pe && pe->p_aliases && pe->p_aliases[0] && !strcmp(pe->p_aliases[0], alias) && !pe->p_aliases[1],
           "getprotobynumber(%d) aliases", n);
        ok(pe && pe->p_proto == n, "getprotobynumber(%d) number %d", n, pe ? pe->p_proto : -1);
    }
}

int main(void)
{
    test_before_startup();
    tu_startup();
    test_gethostname();
    test_gethostbyname();
    test_gethostbyaddr();
    test_services();
    test_protocols();
    WSACleanup();
    return test_done();
}
