/* getaddrinfo / GetAddrInfoW / freeaddrinfo / FreeAddrInfoW with Windows layouts and
 * rules: NULL and empty names, localhost, the machine's own name, numeric IPv4 and IPv6
 * (brackets, scope), services, hints echoed into results, error codes returned and set as
 * the last error; gai_strerror. No real DNS: only numeric names, localhost and our name. */
#include "testutil.h"
#include <stddef.h>

static int count(const ADDRINFOA *ai)
{
    int n = 0;
    for (; ai; ai = ai->ai_next)
        n++;
    return n;
}

/* Same list, entry by entry (the Windows tests' comparison). */
static int same_list(const ADDRINFOA *a, const ADDRINFOA *b)
{
    for (; a && b; a = a->ai_next, b = b->ai_next) {
        if (a->ai_flags != b->ai_flags || a->ai_family != b->ai_family || a->ai_socktype != b->ai_socktype ||
            a->ai_protocol != b->ai_protocol || a->ai_addrlen != b->ai_addrlen ||
            memcmp(a->ai_addr, b->ai_addr, a->ai_addrlen))
            return 0;
        if ((a->ai_canonname == NULL) != (b->ai_canonname == NULL))
            return 0;
        if (a->ai_canonname && strcmp(a->ai_canonname, b->ai_canonname))
            return 0;
    }
    return !a && !b;
}

/* Every entry is a well-formed IPv4 or IPv6 entry; returns 0 and reports otherwise. */
static int well_formed(const ADDRINFOA *ai, const char *what)
{
    int good = 1;
    for (; ai; ai = ai->ai_next) {
        if (ai->ai_family == AF_INET)
            good &= ai->ai_addrlen == sizeof(struct sockaddr_in) && ai->ai_addr && ai->ai_addr->sa_family == AF_INET;
        else if (ai->ai_family == AF_INET6)
            good &= ai->ai_addrlen == sizeof(struct sockaddr_in6) && ai->ai_addr &&
                    ai->ai_addr->sa_family == AF_INET6;
        else
            good = 0;
    }
    ok(good, "%s: malformed entry", what);
    return good;
}

static unsigned short port_of(const ADDRINFOA *ai)
{
    return ai->ai_family == AF_INET ? ntohs(((const struct sockaddr_in *)ai->ai_addr)->sin_port)
                                    : ntohs(((const struct sockaddr_in6 *)ai->ai_addr)->sin6_port);
}

static void test_layout(void)
{
    ok(sizeof(ADDRINFOA) == 48 && offsetof(ADDRINFOA, ai_addrlen) == 16 && offsetof(ADDRINFOA, ai_canonname) == 24 &&
           offsetof(ADDRINFOA, ai_addr) == 32 && offsetof(ADDRINFOA, ai_next) == 40,
       "Win64 ADDRINFOA layout");
    ok(sizeof(ADDRINFOW) == 48 && offsetof(ADDRINFOW, ai_canonname) == 24 && offsetof(ADDRINFOW, ai_next) == 40,
       "Win64 ADDRINFOW layout");
    ok(AI_PASSIVE == 1 && AI_CANONNAME == 2 && AI_NUMERICHOST == 4 && AI_NUMERICSERV == 8 && AI_ALL == 0x100 &&
           AI_ADDRCONFIG == 0x400 && AI_V4MAPPED == 0x800,
       "AI_* values");
    ok(EAI_NONAME == WSAHOST_NOT_FOUND && EAI_SERVICE == WSATYPE_NOT_FOUND && EAI_FAMILY == WSAEAFNOSUPPORT &&
           EAI_SOCKTYPE == WSAESOCKTNOSUPPORT && EAI_AGAIN == WSATRY_AGAIN && EAI_FAIL == WSANO_RECOVERY &&
           EAI_MEMORY == WSA_NOT_ENOUGH_MEMORY && EAI_BADFLAGS == WSAEINVAL,
       "EAI_* values");
}

static void test_basic(void)
{
    ADDRINFOA *res, *res2, hint;
    char name[256];
    int ret;

    memset(&hint, 0, sizeof(hint));
    ok(gethostname(name, sizeof(name)) == 0, "gethostname");

    res = (ADDRINFOA *)(ULONG_PTR)0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    ret = getaddrinfo(NULL, NULL, NULL, &res);
    ok(ret == WSAHOST_NOT_FOUND, "NULL/NULL: ret %d", ret);
    ok(WSAGetLastError() == WSAHOST_NOT_FOUND, "NULL/NULL: error %d", WSAGetLastError());
    ok(res == NULL, "NULL/NULL: result not cleared");

    res = NULL;
    WSASetLastError(0xdeadbeef);
    ret = getaddrinfo("", NULL, NULL, &res);
    ok(ret == 0 && res != NULL, "\"\": ret %d", ret);
    ok(WSAGetLastError() == 0, "\"\": success left error %d", WSAGetLastError());
    well_formed(res, "\"\"");
    freeaddrinfo(res);

    res = res2 = NULL;
    ret = getaddrinfo(NULL, "0", NULL, &res);
    ok(ret == 0 && res != NULL, "NULL/\"0\": ret %d", ret);
    ret = getaddrinfo(NULL, "", NULL, &res2);
    ok(ret == 0 && res2 != NULL, "NULL/\"\": ret %d", ret);
    ok(same_list(res, res2), "NULL with \"0\" and \"\" differ");
    freeaddrinfo(res);
    freeaddrinfo(res2);

    res = res2 = NULL;
    WSASetLastError(0xdeadbeef);
    ret = getaddrinfo("", "0", NULL, &res);
    ok(ret == 0 && res != NULL && WSAGetLastError() == 0, "\"\"/\"0\": ret %d error %d", ret, WSAGetLastError());
    ret = getaddrinfo("", "", NULL, &res2);
    ok(ret == 0 && same_list(res, res2), "\"\" with \"0\" and \"\" differ");
    freeaddrinfo(res);
    freeaddrinfo(res2);

    ret = getaddrinfo("localhost", NULL, NULL, &res);
    ok(ret == 0 && well_formed(res, "localhost"), "localhost: ret %d", ret);
    freeaddrinfo(res);
    ret = getaddrinfo("localhost", "", NULL, &res);
    ok(ret == 0, "localhost/\"\": ret %d", ret);
    freeaddrinfo(res);
    ret = getaddrinfo("localhost", "0", NULL, &res);
    ok(ret == 0, "localhost/\"0\": ret %d", ret);
    freeaddrinfo(res);
    ret = getaddrinfo("localhost", "80", NULL, &res);
    ok(ret == 0 && res && port_of(res) == 80, "localhost/80: ret %d", ret);
    freeaddrinfo(res);
    ret = getaddrinfo("localhost", NULL, &hint, &res);
    ok(ret == 0, "localhost with zero hints: ret %d", ret);
    freeaddrinfo(res);
    WSASetLastError(0xdeadbeef);
    ret = getaddrinfo("localhost", "80", &hint, &res);
    ok(ret == 0 && WSAGetLastError() == 0, "localhost/80 with hints: ret %d error %d", ret, WSAGetLastError());
    freeaddrinfo(res);

    hint.ai_flags = AI_NUMERICHOST;
    res = (ADDRINFOA *)(ULONG_PTR)0xdeadbeef;
    ret = getaddrinfo("localhost", "80", &hint, &res);
    ok(ret == WSAHOST_NOT_FOUND && WSAGetLastError() == WSAHOST_NOT_FOUND, "AI_NUMERICHOST localhost: ret %d", ret);
    ok(res == NULL, "AI_NUMERICHOST localhost: result not cleared");
    hint.ai_flags = 0;

    /* The machine's own name gives what "" gives. */
    ret = getaddrinfo(name, NULL, NULL, &res);
    ok(ret == 0 && res != NULL, "own name: ret %d", ret);
    ret = getaddrinfo("", NULL, NULL, &res2);
    ok(ret == 0 && same_list(res, res2), "own name and \"\" differ");
    freeaddrinfo(res);
    freeaddrinfo(res2);
    ret = getaddrinfo(name, "", NULL, &res);
    ok(ret == 0, "own name/\"\": ret %d", ret);
    ret = getaddrinfo("", "", NULL, &res2);
    ok(ret == 0 && same_list(res, res2), "own name/\"\" and \"\"/\"\" differ");
    freeaddrinfo(res);
    freeaddrinfo(res2);

    hint.ai_family = AF_INET;
    ret = getaddrinfo(name, "7", &hint, &res);
    ok(ret == 0 && res && well_formed(res, "own name AF_INET"), "own name AF_INET: ret %d", ret);
    for (res2 = res; res2; res2 = res2->ai_next)
        ok(res2->ai_family == AF_INET && port_of(res2) == 7, "own name AF_INET entry family %d", res2->ai_family);
    freeaddrinfo(res);
    hint.ai_family = AF_UNSPEC;

    freeaddrinfo(NULL);
}

static void test_numeric(void)
{
    ADDRINFOA *res, hint;
    struct sockaddr_in *sin;
    struct sockaddr_in6 *sin6;
    char buf[64];
    int ret;

    res = NULL;
    ret = getaddrinfo("192.168.1.253", NULL, NULL, &res);
    ok(ret == 0 && res, "192.168.1.253: ret %d", ret);
    if (res) {
        ok(res->ai_family == AF_INET && res->ai_addrlen == sizeof(struct sockaddr_in), "family %d len %d",
           res->ai_family, (int)res->ai_addrlen);
        sin = (struct sockaddr_in *)res->ai_addr;
        ok(sin->sin_family == AF_INET && sin->sin_port == 0, "sin family %d port %d", sin->sin_family, sin->sin_port);
        ok(!strcmp(inet_ntoa(sin->sin_addr), "192.168.1.253"), "address %s", inet_ntoa(sin->sin_addr));
        ok(res->ai_canonname == NULL, "canonical name without AI_CANONNAME");
        freeaddrinfo(res);
    }

    memset(&hint, 0, sizeof(hint));
    hint.ai_flags = AI_NUMERICHOST;
    res = NULL;
    ret = getaddrinfo("192.168.1.253:1024", NULL, &hint, &res);
    ok(ret == WSAHOST_NOT_FOUND && res == NULL, "address with port: ret %d", ret);
    ret = getaddrinfo("10.0.0.1", "1234", &hint, &res);
    ok(ret == 0 && res && port_of(res) == 1234 && count(res) == 1, "AI_NUMERICHOST 10.0.0.1: ret %d", ret);
    freeaddrinfo(res);

    res = NULL;
    ret = getaddrinfo("2a00:2039:dead:beef:cafe::6666", NULL, NULL, &res);
    ok(ret == 0 && res, "IPv6: ret %d", ret);
    if (res) {
        ok(res->ai_family == AF_INET6 && res->ai_addrlen == sizeof(struct sockaddr_in6), "IPv6 family %d len %d",
           res->ai_family, (int)res->ai_addrlen);
        sin6 = (struct sockaddr_in6 *)res->ai_addr;
        ok(sin6->sin6_family == AF_INET6 && sin6->sin6_port == 0, "IPv6 sockaddr family %d", sin6->sin6_family);
        ok(inet_ntop(AF_INET6, &sin6->sin6_addr, buf, sizeof(buf)) && !strcmp(buf, "2a00:2039:dead:beef:cafe::6666"),
           "IPv6 address %s", buf);
        freeaddrinfo(res);
    }

    /* Brackets, with or without something after them, when IPv6 is allowed. */
    ret = getaddrinfo("[beef::cafe]", NULL, NULL, &res);
    ok(ret == 0 && res && res->ai_family == AF_INET6, "[beef::cafe]: ret %d", ret);
    if (!ret) {
        sin6 = (struct sockaddr_in6 *)res->ai_addr;
        ok(inet_ntop(AF_INET6, &sin6->sin6_addr, buf, sizeof(buf)) && !strcmp(buf, "beef::cafe"), "%s", buf);
        freeaddrinfo(res);
    }
    memset(&hint, 0, sizeof(hint));
    hint.ai_flags = AI_NUMERICHOST;
    hint.ai_family = AF_INET6;
    ret = getaddrinfo("[beef::cafe]", NULL, &hint, &res);
    ok(ret == 0 && res && res->ai_family == AF_INET6, "[beef::cafe] AF_INET6: ret %d", ret);
    if (!ret)
        freeaddrinfo(res);
    hint.ai_family = AF_INET;
    ret = getaddrinfo("[beef::cafe]", NULL, &hint, &res);
    ok(ret == WSAHOST_NOT_FOUND, "[beef::cafe] AF_INET: ret %d", ret);
    ret = getaddrinfo("[beef::cafe]:10239", NULL, NULL, &res);
    ok(ret == 0 && res && port_of(res) == 0, "[beef::cafe]:10239: ret %d", ret);
    if (!ret)
        freeaddrinfo(res);
    hint.ai_family = AF_UNSPEC;
    ret = getaddrinfo("[beef::cafe", NULL, &hint, &res);
    ok(ret == WSAHOST_NOT_FOUND, "[beef::cafe: ret %d", ret);
    ret = getaddrinfo("beef::cafe]", NULL, &hint, &res);
    ok(ret == WSAHOST_NOT_FOUND, "beef::cafe]: ret %d", ret);

    /* A numeric scope id. */
    ret = getaddrinfo("fe80::1%2", "22", &hint, &res);
    ok(ret == 0 && res, "fe80::1%%2: ret %d", ret);
    if (!ret) {
        sin6 = (struct sockaddr_in6 *)res->ai_addr;
        ok(sin6->sin6_scope_id == 2 && ntohs(sin6->sin6_port) == 22, "scope %u port %u",
           (unsigned int)sin6->sin6_scope_id, ntohs(sin6->sin6_port));
        freeaddrinfo(res);
    }

#ifdef WS2_URING
    /* Family mismatch (Wine passes glibc's EAI_ADDRFAMILY through unmapped). */
    hint.ai_family = AF_INET6;
    ret = getaddrinfo("127.0.0.1", NULL, &hint, &res);
    ok(ret == WSAHOST_NOT_FOUND, "IPv4 text with AF_INET6 and AI_NUMERICHOST: ret %d", ret);
#endif
}

static const struct {
    int family, socktype, protocol, error;
} hint_tests[] = {
    {AF_UNSPEC, SOCK_STREAM, IPPROTO_TCP, 0},
    {AF_UNSPEC, SOCK_STREAM, IPPROTO_UDP, 0},
    {AF_UNSPEC, SOCK_STREAM, IPPROTO_IPV6, 0},
    {AF_UNSPEC, SOCK_DGRAM, IPPROTO_TCP, 0},
    {AF_UNSPEC, SOCK_DGRAM, IPPROTO_UDP, 0},
    {AF_UNSPEC, SOCK_DGRAM, IPPROTO_IPV6, 0},
    {AF_INET, SOCK_STREAM, IPPROTO_TCP, 0},
    {AF_INET, SOCK_STREAM, IPPROTO_UDP, 0},
    {AF_INET, SOCK_STREAM, IPPROTO_IPV6, 0},
    {AF_INET, SOCK_DGRAM, IPPROTO_TCP, 0},
    {AF_INET, SOCK_DGRAM, IPPROTO_UDP, 0},
    {AF_INET, SOCK_DGRAM, IPPROTO_IPV6, 0},
    {AF_UNSPEC, 0, IPPROTO_TCP, 0},
    {AF_UNSPEC, 0, IPPROTO_UDP, 0},
    {AF_UNSPEC, 0, IPPROTO_IPV6, 0},
    {AF_UNSPEC, SOCK_STREAM, 0, 0},
    {AF_UNSPEC, SOCK_DGRAM, 0, 0},
    {AF_INET, 0, IPPROTO_TCP, 0},
    {AF_INET, 0, IPPROTO_UDP, 0},
    {AF_INET, 0, IPPROTO_IPV6, 0},
    {AF_INET, SOCK_STREAM, 0, 0},
    {AF_INET, SOCK_DGRAM, 0, 0},
    {AF_UNSPEC, 999, IPPROTO_TCP, WSAESOCKTNOSUPPORT},
    {AF_UNSPEC, 999, IPPROTO_UDP, WSAESOCKTNOSUPPORT},
    {AF_INET, 999, IPPROTO_TCP, WSAESOCKTNOSUPPORT},
    {AF_INET, 999, IPPROTO_IPV6, WSAESOCKTNOSUPPORT},
    {AF_UNSPEC, SOCK_STREAM, 999, 0},
    {AF_INET, SOCK_DGRAM, 999, 0},
    {12345, SOCK_STREAM, 0, WSAEAFNOSUPPORT},
};

static void test_hints(void)
{
    ADDRINFOA *res, *p, hint;
    unsigned int i;
    int ret;

    for (i = 0; i < sizeof(hint_tests) / sizeof(hint_tests[0]); i++) {
        memset(&hint, 0, sizeof(hint));
        hint.ai_family = hint_tests[i].family;
        hint.ai_socktype = hint_tests[i].socktype;
        hint.ai_protocol = hint_tests[i].protocol;
        res = NULL;
        WSASetLastError(0xdeadbeef);
        ret = getaddrinfo("localhost", NULL, &hint, &res);
        ok(ret == hint_tests[i].error, "hint %u: ret %d, want %d", i, ret, hint_tests[i].error);
        ok(WSAGetLastError() == hint_tests[i].error, "hint %u: error %d", i, WSAGetLastError());
        if (ret)
            continue;
        for (p = res; p; p = p->ai_next) {
            if (hint_tests[i].family == AF_UNSPEC)
                ok(p->ai_family == AF_INET || p->ai_family == AF_INET6, "hint %u: family %d", i, p->ai_family);
            else
                ok(p->ai_family == hint_tests[i].family, "hint %u: family %d", i, p->ai_family);
            /* Windows echoes the hints, even combinations it would not create a socket for. */
            ok(p->ai_socktype == hint_tests[i].socktype, "hint %u: socktype %d", i, p->ai_socktype);
            ok(p->ai_protocol == hint_tests[i].protocol, "hint %u: protocol %d", i, p->ai_protocol);
        }
        freeaddrinfo(res);
    }

    /* Services. */
    memset(&hint, 0, sizeof(hint));
    ret = getaddrinfo(NULL, "nonexistentservice", &hint, &res);
    ok(ret == WSATYPE_NOT_FOUND && WSAGetLastError() == WSATYPE_NOT_FOUND, "unknown service: ret %d", ret);
    hint.ai_socktype = SOCK_STREAM;
    ret = getaddrinfo("127.0.0.1", "http", &hint, &res);
    ok(ret == 0 && res && port_of(res) == 80, "http: ret %d", ret);
    if (!ret)
        freeaddrinfo(res);
    ret = getaddrinfo("127.0.0.1", "65535", &hint, &res);
    ok(ret == 0 && res && port_of(res) == 65535, "65535: ret %d", ret);
    if (!ret)
        freeaddrinfo(res);

    /* NULL node: wildcard with AI_PASSIVE, loopback without. */
    memset(&hint, 0, sizeof(hint));
    hint.ai_family = AF_INET;
    hint.ai_socktype = SOCK_STREAM;
    hint.ai_protocol = IPPROTO_TCP;
    hint.ai_flags = AI_PASSIVE;
    ret = getaddrinfo(NULL, "8080", &hint, &res);
    ok(ret == 0 && res && count(res) == 1, "passive AF_INET: ret %d", ret);
    if (!ret) {
        struct sockaddr_in *sin = (struct sockaddr_in *)res->ai_addr;
        ok(sin->sin_addr.s_addr == htonl(INADDR_ANY) && sin->sin_port == htons(8080), "passive address %s:%u",
           inet_ntoa(sin->sin_addr), ntohs(sin->sin_port));
        ok(res->ai_socktype == SOCK_STREAM && res->ai_protocol == IPPROTO_TCP, "passive types");
        freeaddrinfo(res);
    }
    hint.ai_flags = 0;
    ret = getaddrinfo(NULL, "8080", &hint, &res);
    ok(ret == 0 && res && count(res) == 1, "active AF_INET: ret %d", ret);
    if (!ret) {
        struct sockaddr_in *sin = (struct sockaddr_in *)res->ai_addr;
        ok(sin->sin_addr.s_addr == htonl(INADDR_LOOPBACK), "active address %s", inet_ntoa(sin->sin_addr));
        freeaddrinfo(res);
    }
    hint.ai_family = AF_INET6;
    hint.ai_flags = AI_PASSIVE;
    ret = getaddrinfo(NULL, "0", &hint, &res);
    ok(ret == 0 && res && res->ai_family == AF_INET6, "passive AF_INET6: ret %d", ret);
    if (!ret) {
        static const unsigned char any[16];
        ok(!memcmp(((struct sockaddr_in6 *)res->ai_addr)->sin6_addr.s6_addr, any, 16), "passive IPv6 is not ::");
        freeaddrinfo(res);
    }

    /* One entry per address, and the canonical name only on the first. */
    memset(&hint, 0, sizeof(hint));
    ret = getaddrinfo("127.0.0.1", "80", &hint, &res);
    ok(ret == 0 && count(res) == 1 && res->ai_socktype == 0 && res->ai_protocol == 0,
       "127.0.0.1 with zero hints: ret %d, %d entries", ret, ret ? 0 : count(res));
    if (!ret)
        freeaddrinfo(res);
    hint.ai_flags = AI_CANONNAME;
    hint.ai_family = AF_INET;
    ret = getaddrinfo("localhost", NULL, &hint, &res);
    ok(ret == 0 && res && res->ai_canonname && res->ai_canonname[0], "AI_CANONNAME: ret %d", ret);
    if (!ret) {
        for (p = res->ai_next; p; p = p->ai_next)
            ok(p->ai_canonname == NULL, "canonical name on a later entry");
        freeaddrinfo(res);
    }
}

#ifdef WS2_URING
/* Windows behaviour that Wine does not have (Wine asks the host resolver and copies its
 * answers): checked on our side only. */
static void test_windows_only(void)
{
    ADDRINFOA *res, *p, hint;
    int ret, v4 = 0, v6 = 0;

    /* localhost is ::1 and 127.0.0.1 whatever /etc/hosts says, IPv6 first. */
    ret = getaddrinfo("localhost", "80", NULL, &res);
    ok(ret == 0 && res, "localhost: ret %d", ret);
    for (p = res; p; p = p->ai_next) {
        if (p->ai_family == AF_INET)
            v4++;
        if (p->ai_family == AF_INET6)
            v6++;
        ok(p->ai_flags == 0, "result ai_flags %#x", p->ai_flags);
        ok(p->ai_socktype == 0 && p->ai_protocol == 0, "NULL hints: socktype %d protocol %d", p->ai_socktype,
           p->ai_protocol);
    }
    ok(v4 == 1 && v6 == 1, "localhost: %d IPv4, %d IPv6 entries", v4, v6);
    ok(res && res->ai_family == AF_INET6, "localhost: IPv6 not first");
    freeaddrinfo(res);
    memset(&hint, 0, sizeof(hint));
    hint.ai_family = AF_INET6;
    ret = getaddrinfo("localhost", NULL, &hint, &res);
    ok(ret == 0 && count(res) == 1 && res->ai_family == AF_INET6, "localhost AF_INET6: ret %d", ret);
    if (!ret)
        freeaddrinfo(res);

    /* Without hints: one entry per address, socktype and protocol 0. */
    ret = getaddrinfo("127.0.0.1", NULL, NULL, &res);
    ok(ret == 0 && count(res) == 1 && res->ai_socktype == 0 && res->ai_protocol == 0,
       "127.0.0.1 without hints: %d entries", ret ? 0 : count(res));
    if (!ret)
        freeaddrinfo(res);

    /* Result ai_flags are 0 whatever the hints asked. */
    hint.ai_family = AF_UNSPEC;
    hint.ai_flags = AI_CANONNAME | AI_ALL | AI_PASSIVE;
    ret = getaddrinfo("127.0.0.1", NULL, &hint, &res);
    ok(ret == 0 && res && res->ai_flags == 0, "flags echoed into the result: %#x", ret ? -1 : res->ai_flags);
    if (!ret)
        freeaddrinfo(res);

    /* AI_CANONNAME needs a node name (documented as WSANO_RECOVERY), and AI_FQDN together
     * with AI_CANONNAME is EAI_BADFLAGS. */
    hint.ai_flags = AI_CANONNAME;
    res = (ADDRINFOA *)(ULONG_PTR)1;
    ret = getaddrinfo(NULL, "80", &hint, &res);
    ok(ret == WSANO_RECOVERY && res == NULL, "AI_CANONNAME without a node: ret %d", ret);
    hint.ai_flags = AI_CANONNAME | AI_FQDN;
    ret = getaddrinfo("localhost", NULL, &hint, &res);
    ok(ret == WSAEINVAL && WSAGetLastError() == WSAEINVAL, "AI_CANONNAME|AI_FQDN: ret %d", ret);

    /* Hints' output fields must be zero (documented as WSANO_RECOVERY). */
    memset(&hint, 0, sizeof(hint));
    hint.ai_addrlen = 16;
    ret = getaddrinfo("localhost", NULL, &hint, &res);
    ok(ret == WSANO_RECOVERY, "hints with ai_addrlen: ret %d", ret);

    /* freeaddrinfo ignores what is not a list getaddrinfo returned. */
    ret = getaddrinfo("127.0.0.1", NULL, NULL, &res);
    ok(ret == 0, "ret %d", ret);
    if (!ret) {
        freeaddrinfo((ADDRINFOA *)((char *)res + 8));
        ok(res->ai_family == AF_INET, "list damaged by a bad free");
        freeaddrinfo(res);
    }
}

static void test_before_startup(void)
{
    ADDRINFOA *res = (ADDRINFOA *)(ULONG_PTR)1;
    int ret = getaddrinfo("localhost", NULL, NULL, &res);
    ok(ret == WSANOTINITIALISED && res == NULL && WSAGetLastError() == WSANOTINITIALISED,
       "before WSAStartup: ret %d", ret);
}
#endif

static void test_wide(void)
{
    WCHAR localhost[16], port[8], empty[1] = {0}, zero[2], name[256], nxhost[64];
    char nameA[256];
    ADDRINFOW *res, *res2, *p, hint;
    ADDRINFOA *resA, *q, hintA;
    unsigned int i;
    int ret;

    tu_widen(localhost, "localhost");
    tu_widen(port, "80");
    tu_widen(zero, "0");
    ok(gethostname(nameA, sizeof(nameA)) == 0, "gethostname");
    tu_widen(name, nameA);

    res = (ADDRINFOW *)(ULONG_PTR)0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    ret = GetAddrInfoW(NULL, NULL, NULL, &res);
    ok(ret == WSAHOST_NOT_FOUND && WSAGetLastError() == WSAHOST_NOT_FOUND && res == NULL, "W NULL/NULL: ret %d", ret);

    res = NULL;
    WSASetLastError(0xdeadbeef);
    ret = GetAddrInfoW(empty, NULL, NULL, &res);
    ok(ret == 0 && res && WSAGetLastError() == 0, "W \"\": ret %d error %d", ret, WSAGetLastError());
    FreeAddrInfoW(res);

    ret = GetAddrInfoW(NULL, zero, NULL, &res);
    ok(ret == 0 && res, "W NULL/0: ret %d", ret);
    ret = GetAddrInfoW(NULL, empty, NULL, &res2);
    ok(ret == 0 && res2, "W NULL/\"\": ret %d", ret);
    for (p = res; p && res2; p = p->ai_next, res2 = res2->ai_next)
        ok(p->ai_family == res2->ai_family && !memcmp(p->ai_addr, res2->ai_addr, p->ai_addrlen), "W lists differ");
    FreeAddrInfoW(res);

    ret = GetAddrInfoW(localhost, port, NULL, &res);
    ok(ret == 0 && res, "W localhost/80: ret %d", ret);
    FreeAddrInfoW(res);

    ret = GetAddrInfoW(name, NULL, NULL, &res);
    ok(ret == 0 && res, "W own name: ret %d", ret);
    FreeAddrInfoW(res);

    /* Same answers as the narrow form. */
    memset(&hint, 0, sizeof(hint));
    memset(&hintA, 0, sizeof(hintA));
    hint.ai_family = hintA.ai_family = AF_INET;
    hint.ai_socktype = hintA.ai_socktype = SOCK_DGRAM;
    hint.ai_flags = hintA.ai_flags = AI_CANONNAME;
    ret = GetAddrInfoW(localhost, port, &hint, &res);
    ok(ret == 0 && res, "W localhost AF_INET: ret %d", ret);
    ret = getaddrinfo("localhost", "80", &hintA, &resA);
    ok(ret == 0 && resA, "A localhost AF_INET: ret %d", ret);
    for (p = res, q = resA; p && q; p = p->ai_next, q = q->ai_next) {
        ok(p->ai_family == q->ai_family && p->ai_socktype == q->ai_socktype && p->ai_protocol == q->ai_protocol &&
               p->ai_addrlen == q->ai_addrlen && !memcmp(p->ai_addr, q->ai_addr, q->ai_addrlen),
           "W and A entries differ");
        ok((p->ai_canonname == NULL) == (q->ai_canonname == NULL), "W and A canonical names differ");
        if (p->ai_canonname && q->ai_canonname) {
            for (i = 0; q->ai_canonname[i] && p->ai_canonname[i] == (WCHAR)(unsigned char)q->ai_canonname[i]; i++)
                ;
            ok(!q->ai_canonname[i] && !p->ai_canonname[i], "W canonical name differs from %s", q->ai_canonname);
        }
    }
    ok(!p && !q, "W and A lists have different lengths");
    FreeAddrInfoW(res);
    freeaddrinfo(resA);

    for (i = 0; i < sizeof(hint_tests) / sizeof(hint_tests[0]); i++) {
        memset(&hint, 0, sizeof(hint));
        hint.ai_family = hint_tests[i].family;
        hint.ai_socktype = hint_tests[i].socktype;
        hint.ai_protocol = hint_tests[i].protocol;
        res = NULL;
        ret = GetAddrInfoW(localhost, NULL, &hint, &res);
        ok(ret == hint_tests[i].error, "W hint %u: ret %d", i, ret);
        for (p = res; p; p = p->ai_next)
            ok(p->ai_socktype == hint_tests[i].socktype && p->ai_protocol == hint_tests[i].protocol,
               "W hint %u: socktype %d protocol %d", i, p->ai_socktype, p->ai_protocol);
        FreeAddrInfoW(res);
    }

    memset(&hint, 0, sizeof(hint));
    hint.ai_flags = AI_NUMERICHOST;
    tu_widen(nxhost, "[::1]:99");
    ret = GetAddrInfoW(nxhost, NULL, &hint, &res);
    ok(ret == 0 && res && res->ai_family == AF_INET6, "W [::1]:99: ret %d", ret);
    if (!ret)
        FreeAddrInfoW(res);
    FreeAddrInfoW(NULL);
}

static void test_gai_strerror(void)
{
    static const int codes[] = {EAI_AGAIN, EAI_BADFLAGS, EAI_FAIL, EAI_FAMILY, EAI_MEMORY,
                                EAI_NONAME, EAI_SERVICE, EAI_SOCKTYPE};
    char texts[8][256];
    unsigned int i, j;

    for (i = 0; i < 8; i++) {
        const char *a = gai_strerrorA(codes[i]);
        const WCHAR *w = gai_strerrorW(codes[i]);
        size_t k;
        ok(a && a[0], "gai_strerrorA(%d) empty", codes[i]);
        ok(w && w[0], "gai_strerrorW(%d) empty", codes[i]);
        if (!a || !w)
            continue;
        snprintf(texts[i], sizeof(texts[i]), "%s", a);
        for (k = 0; a[k] && (WCHAR)(unsigned char)a[k] == w[k]; k++)
            ;
        ok(!a[k] && !w[k], "gai_strerrorA and W differ for %d", codes[i]);
#ifdef WS2_URING
        /* Windows has a distinct message for each (Wine lacks some and repeats). */
        for (j = 0; j < i; j++)
            ok(strcmp(texts[i], texts[j]), "codes %d and %d share a message", codes[i], codes[j]);
#else
        (void)j;
#endif
    }
#ifdef WS2_URING
    /* Windows' own message texts: the system message with its line break turned into a
     * space by FORMAT_MESSAGE_MAX_WIDTH_MASK (Wine has its own wording). */
    ok(!strcmp(gai_strerrorA(WSAHOST_NOT_FOUND), "No such host is known. "), "11001: %s",
       gai_strerrorA(WSAHOST_NOT_FOUND));
    ok(!strncmp(gai_strerrorA(WSATYPE_NOT_FOUND), "The specified class was not found.", 34), "10109: %s",
       gai_strerrorA(WSATYPE_NOT_FOUND));
    ok(!strncmp(gai_strerrorA(WSAEINVAL), "An invalid argument was supplied.", 33), "10022: %s",
       gai_strerrorA(WSAEINVAL));
#endif
}

int main(void)
{
#ifdef WS2_URING
    test_before_startup();
#endif
    tu_startup();
    test_layout();
    test_basic();
    test_numeric();
    test_hints();
#ifdef WS2_URING
    test_windows_only();
#endif
    test_wide();
    test_gai_strerror();
    WSACleanup();
    return test_done();
}
