/* inet_ntop / InetNtopW: Windows' text for IPv4 and IPv6 addresses (zero-run compression,
 * embedded IPv4 forms), buffer-size rules and error codes. */
#include "testutil.h"

/* What Windows leaves in the last error for a NULL, empty or short buffer (an NTSTATUS). */
#define STATUS_INVALID_PARAMETER_CODE ((int)0xC000000D)

static const struct {
    unsigned short w[8];
    const char *text;
} v6_tests[] = {
    {{0, 0, 0, 0, 0, 0, 0, 1}, "::1"},
    {{0, 0, 0, 0, 0, 0, 0, 0}, "::"},
    {{0, 0, 0, 0, 0, 0xfffe, 0xcc98, 0xbd74}, "::fffe:cc98:bd74"},
    {{0x2030, 0xa4b1, 0, 0, 0, 0, 0, 0}, "2030:a4b1::"},
    {{0, 0, 0, 0, 0, 0, 0xcc98, 0xbd74}, "::204.152.189.116"},
    {{0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304}, "::ffff:1.2.3.4"},
    {{0, 0, 0, 0, 0, 0xffff, 0x7f00, 0x0001}, "::ffff:127.0.0.1"},
    {{0x20ab, 0, 0, 0, 0, 0, 0, 1}, "20ab::1"},
    {{0x2001, 0xdb8, 0, 0, 0, 0, 0x1428, 0x57ab}, "2001:db8::1428:57ab"},
    {{0x2001, 0xdb8, 0x85a3, 0, 0, 0x8a2e, 0x370, 0x7334}, "2001:db8:85a3::8a2e:370:7334"},
    {{1, 0, 2, 0, 0, 3, 0, 0}, "1:0:2::3:0:0"},
    {{1, 0, 0, 2, 0, 0, 3, 4}, "1::2:0:0:3:4"},
    {{1, 2, 3, 4, 5, 6, 7, 0}, "1:2:3:4:5:6:7:0"},
    {{0, 1, 2, 3, 4, 5, 6, 7}, "0:1:2:3:4:5:6:7"},
    {{1, 2, 3, 4, 5, 6, 7, 8}, "1:2:3:4:5:6:7:8"},
    {{0xfe80, 0, 0, 0, 0xfc, 0xff, 0xfe00, 1}, "fe80::fc:ff:fe00:1"},
    {{0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff}, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
    {{0xabcd, 0, 0, 0, 0, 0, 0, 0}, "abcd::"},
    {{0x1000, 0x0100, 0x0010, 0x0001, 0, 0, 0, 0x0a0b}, "1000:100:10:1::a0b"},
};

static void test_ipv4(void)
{
    char dst[16];
    const char *p;
    struct in_addr in;

    in.s_addr = htonl(0x15102020);
    WSASetLastError(1234);
    p = inet_ntop(AF_INET, &in, dst, sizeof(dst));
    ok(p == dst, "inet_ntop returned %p, want the buffer", (const void *)p);
    ok(!strcmp(dst, "21.16.32.32"), "inet_ntop = %s", dst);
    ok(WSAGetLastError() == 1234, "success touched the last error: %d", WSAGetLastError());

    in.s_addr = 0;
    p = inet_ntop(AF_INET, &in, dst, sizeof(dst));
    ok(p && !strcmp(p, "0.0.0.0"), "inet_ntop(0) = %s", p ? p : "(null)");
    in.s_addr = INADDR_NONE;
    p = inet_ntop(AF_INET, &in, dst, sizeof(dst));
    ok(p && !strcmp(p, "255.255.255.255"), "inet_ntop(none) = %s", p ? p : "(null)");

    in.s_addr = htonl(0x15102020);
    WSASetLastError(0);
    p = inet_ntop(1, &in, dst, sizeof(dst));
    ok_wsa_fail(p, NULL, WSAEAFNOSUPPORT);
    WSASetLastError(0);
    p = inet_ntop(AF_UNSPEC, &in, dst, sizeof(dst));
    ok_wsa_fail(p, NULL, WSAEAFNOSUPPORT);

    WSASetLastError(0);
    p = inet_ntop(AF_INET, &in, NULL, sizeof(dst));
    ok_wsa_fail(p, NULL, STATUS_INVALID_PARAMETER_CODE);
    WSASetLastError(0);
    p = inet_ntop(AF_INET, &in, dst, 0);
    ok_wsa_fail(p, NULL, STATUS_INVALID_PARAMETER_CODE);
    /* "21.16.32.32" is 11 characters: 11 bytes are one short, 12 are enough. */
    WSASetLastError(0);
    p = inet_ntop(AF_INET, &in, dst, 11);
    ok_wsa_fail(p, NULL, STATUS_INVALID_PARAMETER_CODE);
    WSASetLastError(0);
    p = inet_ntop(AF_INET, &in, dst, 6);
    ok_wsa_fail(p, NULL, STATUS_INVALID_PARAMETER_CODE);
    memset(dst, 'x', sizeof(dst));
    p = inet_ntop(AF_INET, &in, dst, 12);
    ok(p == dst && !strcmp(dst, "21.16.32.32"), "inet_ntop with an exact buffer = %s", p ? p : "(null)");
    p = inet_ntop(AF_INET, &in, dst, sizeof(dst) + 1);
    ok(p == dst && !strcmp(dst, "21.16.32.32"), "inet_ntop with a larger size = %s", p ? p : "(null)");
}

static void test_ipv6(void)
{
    char dst[64];
    unsigned char a[16];
    const char *p;
    unsigned int i;

    for (i = 0; i < sizeof(v6_tests) / sizeof(v6_tests[0]); i++) {
        tu_words_to_bytes(a, v6_tests[i].w);
        memset(dst, 'x', sizeof(dst));
        p = inet_ntop(AF_INET6, a, dst, sizeof(dst));
        ok(p == dst, "inet_ntop6 #%u failed: %d", i, WSAGetLastError());
        ok(!strcmp(dst, v6_tests[i].text), "inet_ntop6 = %s, want %s", dst, v6_tests[i].text);
    }

    /* "::fffe:cc98:bd74" is 16 characters: 16 bytes fail, 17 are enough. */
    tu_words_to_bytes(a, v6_tests[2].w);
    WSASetLastError(0);
    p = inet_ntop(AF_INET6, a, dst, 16);
    ok_wsa_fail(p, NULL, STATUS_INVALID_PARAMETER_CODE);
    WSASetLastError(0);
    p = inet_ntop(AF_INET6, a, dst, 0);
    ok_wsa_fail(p, NULL, STATUS_INVALID_PARAMETER_CODE);
    WSASetLastError(0);
    p = inet_ntop(AF_INET6, a, NULL, sizeof(dst));
    ok_wsa_fail(p, NULL, STATUS_INVALID_PARAMETER_CODE);
    p = inet_ntop(AF_INET6, a, dst, 17);
    ok(p == dst && !strcmp(dst, "::fffe:cc98:bd74"), "inet_ntop6 with an exact buffer = %s", p ? p : "(null)");
    p = inet_ntop(AF_INET6, a, dst, 18);
    ok(p == dst, "inet_ntop6 with a larger buffer failed");

    /* The A spelling is the same function. */
    p = InetNtopA(AF_INET6, a, dst, sizeof(dst));
    ok(p == dst && !strcmp(dst, "::fffe:cc98:bd74"), "InetNtopA = %s", p ? p : "(null)");
}

static void test_wide(void)
{
    WCHAR dst[64], want[64];
    unsigned char a[16];
    const WCHAR *p;
    struct in_addr in;
    unsigned int i;

    in.s_addr = htonl(0x7f000001);
    WSASetLastError(1234);
    p = InetNtopW(AF_INET, &in, dst, 64);
    ok(p == dst && tu_wide_eq(dst, "127.0.0.1"), "InetNtopW(127.0.0.1) failed");
    ok(WSAGetLastError() == 1234, "success touched the last error: %d", WSAGetLastError());

    for (i = 0; i < sizeof(v6_tests) / sizeof(v6_tests[0]); i++) {
        tu_words_to_bytes(a, v6_tests[i].w);
        tu_widen(want, v6_tests[i].text);
        p = InetNtopW(AF_INET6, a, dst, 64);
        ok(p == dst && tu_wide_eq(dst, v6_tests[i].text), "InetNtopW6 #%u differs from %s", i, v6_tests[i].text);
    }

    WSASetLastError(0);
    p = InetNtopW(1, &in, dst, 64);
    ok_wsa_fail(p, NULL, WSAEAFNOSUPPORT);
    /* "127.0.0.1" needs 10 characters. */
    p = InetNtopW(AF_INET, &in, dst, 9);
    ok(p == NULL, "InetNtopW with 9 characters succeeded");
    p = InetNtopW(AF_INET, &in, dst, 10);
    ok(p == dst && tu_wide_eq(dst, "127.0.0.1"), "InetNtopW with 10 characters failed");
}

int main(void)
{
    tu_startup();
    test_ipv4();
    test_ipv6();
    test_wide();
    WSACleanup();
    return test_done();
}
