/* WSAStringToAddressA/W and WSAAddressToStringA/W: ports, brackets and scope ids as Windows
 * reads and writes them, the length rules (WSAEFAULT with the size needed), and what the
 * sockaddr holds after a failed conversion. */
#include "testutil.h"

static const struct {
    const char *in;
    unsigned int addr; /* host-order a.b.c.d, what sin_addr holds even on failure */
    unsigned short port;
    int error;
} v4_tests[] = {
    {"", 0, 0, WSAEINVAL},
    {" ", 0, 0, WSAEINVAL},
    {"1.1.1.1", 0x01010101, 0, 0},
    {"0.0.0.0", 0, 0, 0},
    {"127.127.127.127", 0x7f7f7f7f, 0, 0},
    {"127.127.127.127:", 0x7f7f7f7f, 0, WSAEINVAL},
    {"127.127.127.127:0", 0x7f7f7f7f, 0, WSAEINVAL},
    {"127.127.127.127:123", 0x7f7f7f7f, 123, 0},
    {"127.127.127.127:65535", 0x7f7f7f7f, 65535, 0},
    {"127.127.127.127:65537", 0x7f7f7f7f, 0, WSAEINVAL},
    {"127.127.127.127::1", 0x7f7f7f7f, 0, WSAEINVAL},
    {"127.127.127.127:0xAbCd", 0x7f7f7f7f, 43981, 0},
    {"127.127.127.127:0x", 0x7f7f7f7f, 0, WSAEINVAL},
    {"127.127.127.127:0x10000", 0x7f7f7f7f, 0, WSAEINVAL},
    {"127.127.127.127:010", 0x7f7f7f7f, 8, 0},
    {"127.127.127.127:007", 0x7f7f7f7f, 7, 0},
    {"127.127.127.127:08", 0x7f7f7f7f, 0, WSAEINVAL},
    {"127.127.127.127:0a", 0x7f7f7f7f, 0, WSAEINVAL},
    {"255.255.255.255", 0xffffffff, 0, 0},
    {"255.255.255.255:123", 0xffffffff, 123, 0},
    {"255.255.255.256", 0, 0, WSAEINVAL},
    {"a", 0, 0, WSAEINVAL},
    {"1.1.1.0xaA", 0x010101aa, 0, 0},
    {"1.1.1.0x", 0, 0, WSAEINVAL},
    {"1.1.1.0xff", 0x010101ff, 0, 0},
    {"1.1.1.0x100", 0, 0, WSAEINVAL},
    {"1.1.1.010", 0x01010108, 0, 0},
    {"1.1.1.007", 0x01010107, 0, 0},
    {"1.1.1.08", 0, 0, WSAEINVAL},
    {"1.1.1.008", 0x01010100, 0, WSAEINVAL},
    {"1.1.1.0a", 0x01010100, 0, WSAEINVAL},
    {"1.1.1.-2", 0, 0, WSAEINVAL},
    {"1", 0x00000001, 0, 0},
    {"-1", 0, 0, WSAEINVAL},
    {"1:1", 0x00000001, 1, 0},
    {"1.2", 0x01000002, 0, 0},
    {"1.2:1", 0x01000002, 1, 0},
    {"1000.2000", 0, 0, WSAEINVAL},
    {"1.2.", 0, 0, WSAEINVAL},
    {"1..2", 0, 0, WSAEINVAL},
    {"1.2.3", 0x01020003, 0, 0},
    {"1.2.3:1", 0x01020003, 1, 0},
    {"203569230", 0x0c22384e, 0, 0},
    {"203569230:123", 0x0c22384e, 123, 0},
    {"2001::1", 0x000007d1, 0, WSAEINVAL},
    {"1.223756", 0x01036a0c, 0, 0},
    {"3.4.756", 0x030402f4, 0, 0},
    {"756.3.4", 0, 0, WSAEINVAL},
    {"3.4.65536", 0, 0, WSAEINVAL},
    {"3.4.5.6.7", 0, 0, WSAEINVAL},
    {" 3.4.5.6", 0, 0, WSAEINVAL},
    {"3.4.5.6 ", 0x03040506, 0, WSAEINVAL},
    {"3.4.5.6:7 ", 0x03040506, 0, WSAEINVAL},
    {"3.4.5.6: 7", 0x03040506, 0, WSAEINVAL},
    {"[0.1.2.3]", 0, 0, WSAEINVAL},
    {"0x00010203", 0x00010203, 0, 0},
    {"0x00010203:10", 0x00010203, 10, 0},
    {"0x123456789", 0x23456789, 0, 0},
    {"0x00010Q03", 0x00000010, 0, WSAEINVAL},
    {"1234BEEF", 0x000004d2, 0, WSAEINVAL},
    {"017700000001", 0x7f000001, 0, 0},
    {"0777:10", 0x000001ff, 10, 0},
    {"::1", 0, 0, WSAEINVAL},
};

static const struct {
    const char *in;
    unsigned short w[8]; /* host-order words, what sin6_addr holds even on failure */
    unsigned short port;
    unsigned int scope;
    int error;
} v6_tests[] = {
    {"::1", {0, 0, 0, 0, 0, 0, 0, 1}, 0, 0, 0},
    {"[::1]", {0, 0, 0, 0, 0, 0, 0, 1}, 0, 0, 0},
    {"[::1]:65535", {0, 0, 0, 0, 0, 0, 0, 1}, 65535, 0, 0},
    {"[::1]:80", {0, 0, 0, 0, 0, 0, 0, 1}, 80, 0, 0},
    {"2001::1", {0x2001, 0, 0, 0, 0, 0, 0, 1}, 0, 0, 0},
    {"::1]:65535", {0, 0, 0, 0, 0, 0, 0, 1}, 0, 0, WSAEINVAL},
    {"001::1", {1, 0, 0, 0, 0, 0, 0, 1}, 0, 0, 0},
    {"1.2.3.4", {0x0102, 0x0300, 0, 0, 0, 0, 0, 0}, 0, 0, WSAEINVAL},
    {"1:2:3:", {1, 2, 3, 0, 0, 0, 0, 0}, 0, 0, WSAEINVAL},
    {"", {0, 0, 0, 0, 0, 0, 0, 0}, 0, 0, WSAEINVAL},
    {"fe80::1%4", {0xfe80, 0, 0, 0, 0, 0, 0, 1}, 0, 4, 0},
    {"[fe80::1%4]:443", {0xfe80, 0, 0, 0, 0, 0, 0, 1}, 443, 4, 0},
    {"[::1]:0", {0, 0, 0, 0, 0, 0, 0, 1}, 0, 0, WSAEINVAL},
    {"[::1]:65536", {0, 0, 0, 0, 0, 0, 0, 1}, 0, 0, WSAEINVAL},
    {"::ffff:1.2.3.4", {0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304}, 0, 0, 0},
    {"[::1]x", {0, 0, 0, 0, 0, 0, 0, 1}, 0, 0, WSAEINVAL},
};

static void test_string_to_address(void)
{
    struct sockaddr_in sin;
    struct sockaddr_in6 sin6;
    WCHAR wide[64];
    unsigned int i, pass;
    int len, ret;

    /* Too small a length: WSAEFAULT and the size needed. */
    len = 0;
    WSASetLastError(0);
    ret = WSAStringToAddressA((char *)"1.2.3.4", AF_INET, NULL, (struct sockaddr *)&sin, &len);
    ok_wsa_fail(ret, SOCKET_ERROR, WSAEFAULT);
    ok(len == (int)sizeof(sin), "needed length %d, want %d", len, (int)sizeof(sin));
    len = sizeof(sin6) - 1;
    WSASetLastError(0);
    ret = WSAStringToAddressA((char *)"::1", AF_INET6, NULL, (struct sockaddr *)&sin6, &len);
    ok_wsa_fail(ret, SOCKET_ERROR, WSAEFAULT);
    ok(len == (int)sizeof(sin6), "needed length %d, want %d", len, (int)sizeof(sin6));

    /* Only AF_INET and AF_INET6. */
    len = sizeof(sin6);
    WSASetLastError(0);
    ret = WSAStringToAddressA((char *)"1.2.3.4", AF_UNSPEC, NULL, (struct sockaddr *)&sin6, &len);
    ok_wsa_fail(ret, SOCKET_ERROR, WSAEINVAL);
    WSASetLastError(0);
    ret = WSAStringToAddressA(NULL, AF_INET, NULL, (struct sockaddr *)&sin6, &len);
    ok_wsa_fail(ret, SOCKET_ERROR, WSAEINVAL);

    for (pass = 0; pass < 2; pass++) {
        for (i = 0; i < sizeof(v4_tests) / sizeof(v4_tests[0]); i++) {
            int want_len;
            len = sizeof(sin) + 10;
            want_len = v4_tests[i].error ? len : (int)sizeof(sin);
            memset(&sin, 0xab, sizeof(sin));
            WSASetLastError(0);
            if (pass == 0) {
                ret = WSAStringToAddressA((char *)v4_tests[i].in, AF_INET, NULL, (struct sockaddr *)&sin, &len);
            } else {
                tu_widen(wide, v4_tests[i].in);
                ret = WSAStringToAddressW(wide, AF_INET, NULL, (struct sockaddr *)&sin, &len);
            }
            ok(ret == (v4_tests[i].error ? SOCKET_ERROR : 0), "%c \"%s\": ret %d", "AW"[pass], v4_tests[i].in, ret);
            ok(WSAGetLastError() == v4_tests[i].error, "%c \"%s\": error %d", "AW"[pass], v4_tests[i].in,
               WSAGetLastError());
            ok(sin.sin_family == (v4_tests[i].error ? 0 : AF_INET), "%c \"%s\": family %d", "AW"[pass],
               v4_tests[i].in, sin.sin_family);
            ok(sin.sin_addr.s_addr == htonl(v4_tests[i].addr), "%c \"%s\": addr %08lx", "AW"[pass],
               v4_tests[i].in, (unsigned long)ntohl(sin.sin_addr.s_addr));
            ok(sin.sin_port == htons(v4_tests[i].port), "%c \"%s\": port %u", "AW"[pass], v4_tests[i].in,
               ntohs(sin.sin_port));
            ok(len == want_len, "%c \"%s\": len %d", "AW"[pass], v4_tests[i].in, len);
        }

        for (i = 0; i < sizeof(v6_tests) / sizeof(v6_tests[0]); i++) {
            int want_len;
            len = sizeof(sin6) + 10;
            want_len = v6_tests[i].error ? len : (int)sizeof(sin6);
            memset(&sin6, 0xab, sizeof(sin6));
            WSASetLastError(0);
            if (pass == 0) {
                ret = WSAStringToAddressA((char *)v6_tests[i].in, AF_INET6, NULL, (struct sockaddr *)&sin6, &len);
            } else {
                tu_widen(wide, v6_tests[i].in);
                ret = WSAStringToAddressW(wide, AF_INET6, NULL, (struct sockaddr *)&sin6, &len);
            }
            ok(ret == (v6_tests[i].error ? SOCKET_ERROR : 0), "%c \"%s\": ret %d", "AW"[pass], v6_tests[i].in, ret);
            ok(WSAGetLastError() == v6_tests[i].error, "%c \"%s\": error %d", "AW"[pass], v6_tests[i].in,
               WSAGetLastError());
            ok(sin6.sin6_family == (v6_tests[i].error ? 0 : AF_INET6), "%c \"%s\": family %d", "AW"[pass],
               v6_tests[i].in, sin6.sin6_family);
            ok(tu_words_match(sin6.sin6_addr.s6_addr, v6_tests[i].w), "%c \"%s\": address", "AW"[pass], v6_tests[i].in);
            ok(sin6.sin6_port == htons(v6_tests[i].port), "%c \"%s\": port %u", "AW"[pass], v6_tests[i].in,
               ntohs(sin6.sin6_port));
            ok(sin6.sin6_scope_id == v6_tests[i].scope, "%c \"%s\": scope %u", "AW"[pass], v6_tests[i].in,
               (unsigned int)sin6.sin6_scope_id);
            ok(sin6.sin6_flowinfo == 0, "%c \"%s\": flowinfo %u", "AW"[pass], v6_tests[i].in,
               (unsigned int)sin6.sin6_flowinfo);
            ok(len == want_len, "%c \"%s\": len %d", "AW"[pass], v6_tests[i].in, len);
        }
    }
}

static const struct {
    unsigned int addr;
    unsigned short port;
    const char *text;
} v4_out[] = {
    {0, 0, "0.0.0.0"},
    {0xffffffff, 0, "255.255.255.255"},
    {0, 0xffff, "0.0.0.0:65535"},
    {0xffffffff, 0xffff, "255.255.255.255:65535"},
    {0x7f000001, 80, "127.0.0.1:80"},
    {0x0a000102, 1, "10.0.1.2:1"},
};

static const struct {
    unsigned short w[8];
    unsigned int scope;
    unsigned short port;
    const char *text;
} v6_out[] = {
    {{0, 0, 0, 0, 0, 0, 0, 1}, 0, 0, "::1"},
    {{0x20ab, 0, 0, 0, 0, 0, 0, 1}, 0, 0, "20ab::1"},
    {{0x20ab, 0, 0, 0, 0, 0, 0, 0x2001}, 0, 33274, "[20ab::2001]:33274"},
    {{0x20ab, 0, 0, 0, 0, 0, 0, 0x2001}, 0x1234, 33274, "[20ab::2001%4660]:33274"},
    {{0x20ab, 0, 0, 0, 0, 0, 0, 0x2001}, 0x1234, 0, "20ab::2001%4660"},
    {{0, 0, 0, 0, 0, 0xffff, 0x7f00, 1}, 0, 8080, "[::ffff:127.0.0.1]:8080"},
    {{0xfe80, 0, 0, 0, 0, 0, 0, 2}, 3, 0, "fe80::2%3"},
    {{0, 0, 0, 0, 0, 0, 0, 0}, 0, 0, "::"},
};

static void test_address_to_string(void)
{
    struct sockaddr_in sin;
    struct sockaddr_in6 sin6;
    char out[64];
    WCHAR outw[64];
    DWORD len;
    unsigned int i;
    int k, ret;

    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;

    /* Too small: WSAEFAULT and the length needed, terminating NUL included. */
    len = 0;
    WSASetLastError(0);
    ret = WSAAddressToStringA((struct sockaddr *)&sin, sizeof(sin), NULL, out, &len);
    ok_wsa_fail(ret, SOCKET_ERROR, WSAEFAULT);
    ok(len == 8, "needed %u, want 8", (unsigned int)len);
    len = 7;
    WSASetLastError(0);
    ret = WSAAddressToStringA((struct sockaddr *)&sin, sizeof(sin), NULL, out, &len);
    ok_wsa_fail(ret, SOCKET_ERROR, WSAEFAULT);
    ok(len == 8, "needed %u, want 8", (unsigned int)len);
    len = 0;
    WSASetLastError(0);
    ret = WSAAddressToStringW((struct sockaddr *)&sin, sizeof(sin), NULL, NULL, &len);
    ok_wsa_fail(ret, SOCKET_ERROR, WSAEFAULT);
    ok(len == 8, "needed %u characters, want 8", (unsigned int)len);
    len = 8;
    ret = WSAAddressToStringA((struct sockaddr *)&sin, sizeof(sin), NULL, out, &len);
    ok(ret == 0 && !strcmp(out, "0.0.0.0") && len == 8, "exact buffer: ret %d \"%s\" len %u", ret, out,
       (unsigned int)len);
    len = 64;
    ret = WSAAddressToStringW((struct sockaddr *)&sin, sizeof(sin), NULL, outw, &len);
    ok(ret == 0 && tu_wide_eq(outw, "0.0.0.0") && len == 8, "wide: ret %d len %u", ret, (unsigned int)len);

    for (i = 0; i < sizeof(v4_out) / sizeof(v4_out[0]); i++) {
        sin.sin_family = AF_INET;
        sin.sin_addr.s_addr = htonl(v4_out[i].addr);
        sin.sin_port = htons(v4_out[i].port);
        len = sizeof(out);
        memset(out, 0, sizeof(out));
        WSASetLastError(1234);
        ret = WSAAddressToStringA((struct sockaddr *)&sin, sizeof(sin), NULL, out, &len);
        ok(ret == 0, "A #%u: error %d", i, WSAGetLastError());
        ok(!strcmp(out, v4_out[i].text), "A #%u: \"%s\", want \"%s\"", i, out, v4_out[i].text);
        ok(len == strlen(v4_out[i].text) + 1, "A #%u: len %u", i, (unsigned int)len);
        len = sizeof(outw) / sizeof(outw[0]);
        ret = WSAAddressToStringW((struct sockaddr *)&sin, sizeof(sin), NULL, outw, &len);
        ok(ret == 0 && tu_wide_eq(outw, v4_out[i].text), "W #%u: ret %d", i, ret);
        ok(len == strlen(v4_out[i].text) + 1, "W #%u: len %u", i, (unsigned int)len);
    }

    for (i = 0; i < sizeof(v6_out) / sizeof(v6_out[0]); i++) {
        memset(&sin6, 0, sizeof(sin6));
        sin6.sin6_family = AF_INET6;
        sin6.sin6_scope_id = v6_out[i].scope;
        sin6.sin6_port = htons(v6_out[i].port);
        for (k = 0; k < 8; k++) {
            sin6.sin6_addr.s6_addr[2 * k] = (unsigned char)(v6_out[i].w[k] >> 8);
            sin6.sin6_addr.s6_addr[2 * k + 1] = (unsigned char)v6_out[i].w[k];
        }
        len = sizeof(out);
        ret = WSAAddressToStringA((struct sockaddr *)&sin6, sizeof(sin6), NULL, out, &len);
        ok(ret == 0, "A6 #%u: error %d", i, WSAGetLastError());
        ok(!strcmp(out, v6_out[i].text), "A6 #%u: \"%s\", want \"%s\"", i, out, v6_out[i].text);
        ok(len == strlen(v6_out[i].text) + 1, "A6 #%u: len %u", i, (unsigned int)len);
        len = sizeof(outw) / sizeof(outw[0]);
        ret = WSAAddressToStringW((struct sockaddr *)&sin6, sizeof(sin6), NULL, outw, &len);
        ok(ret == 0 && tu_wide_eq(outw, v6_out[i].text), "W6 #%u: ret %d", i, ret);
        ok(len == strlen(v6_out[i].text) + 1, "W6 #%u: len %u", i, (unsigned int)len);
    }

    /* Unknown family. */
    memset(&sin6, 0, sizeof(sin6));
    sin6.sin6_family = 12345;
    len = sizeof(out);
    WSASetLastError(0);
    ret = WSAAddressToStringA((struct sockaddr *)&sin6, sizeof(sin6), NULL, out, &len);
    ok_wsa_fail(ret, SOCKET_ERROR, WSAEINVAL);

    /* Round trip through both directions. */
    {
        struct sockaddr_in6 back;
        int blen = sizeof(back);
        memset(&sin6, 0, sizeof(sin6));
        sin6.sin6_family = AF_INET6;
        sin6.sin6_port = htons(4321);
        sin6.sin6_scope_id = 7;
        sin6.sin6_addr.s6_addr[0] = 0xfe;
        sin6.sin6_addr.s6_addr[1] = 0x80;
        sin6.sin6_addr.s6_addr[15] = 9;
        len = sizeof(out);
        ret = WSAAddressToStringA((struct sockaddr *)&sin6, sizeof(sin6), NULL, out, &len);
        ok(ret == 0 && !strcmp(out, "[fe80::9%7]:4321"), "round trip text \"%s\"", out);
        ret = WSAStringToAddressA(out, AF_INET6, NULL, (struct sockaddr *)&back, &blen);
        ok(ret == 0 && !memcmp(&back, &sin6, sizeof(sin6)), "round trip back: ret %d", ret);
    }
}

int main(void)
{
    tu_startup();
    test_string_to_address();
    test_address_to_string();
    WSACleanup();
    return test_done();
}
