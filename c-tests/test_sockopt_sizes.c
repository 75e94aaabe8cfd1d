/* Option lengths: which options accept 1- and 2-byte buffers, how many bytes getsockopt writes
 * and the optlen it reports, 0 and negative lengths, lengths larger than needed, and values
 * that do not fit the option. One table row per option, checked the same way for each. */
#include "testutil.h"

struct optsize {
    int af, type, level, name;
    const char *label;
    BOOL short_len_ok;        /* setsockopt/getsockopt accept optlen 1 and 2 */
    int sizes[3];             /* optlen reported back for requests of 1, 2 and 4 bytes */
    DWORD values[3];          /* buffer contents after getsockopt of 1, 2, 4 bytes (0: derived) */
    BOOL large_value_ok;      /* setting 0x100 is accepted */
    BOOL is_bool;             /* the option is a BOOL */
};

static const struct optsize table[] = {
    {AF_INET, SOCK_DGRAM, SOL_SOCKET, SO_BROADCAST, "SO_BROADCAST", TRUE, {1, 1, 4}, {0, 0xdead0001, 0}, TRUE, TRUE},
    {AF_INET, SOCK_STREAM, SOL_SOCKET, SO_DONTLINGER, "SO_DONTLINGER", TRUE, {1, 1, 4}, {0, 0xdead0001, 0}, TRUE, TRUE},
    {AF_INET, SOCK_STREAM, SOL_SOCKET, SO_LINGER, "SO_LINGER", FALSE, {1, 2, 4}, {0xdeadbe00, 0xdead0000, 0}, TRUE, FALSE},
    {AF_INET, SOCK_STREAM, SOL_SOCKET, SO_OOBINLINE, "SO_OOBINLINE", TRUE, {1, 1, 4}, {0, 0xdead0001, 0}, TRUE, TRUE},
    {AF_INET, SOCK_STREAM, SOL_SOCKET, SO_RCVBUF, "SO_RCVBUF", FALSE, {1, 2, 4}, {0xdeadbe00, 0xdead0000, 0}, TRUE, FALSE},
    {AF_INET, SOCK_STREAM, SOL_SOCKET, SO_KEEPALIVE, "SO_KEEPALIVE", TRUE, {1, 1, 1}, {0, 0, 0}, TRUE, FALSE},
    {AF_INET, SOCK_STREAM, SOL_SOCKET, SO_DONTROUTE, "SO_DONTROUTE", TRUE, {1, 1, 1}, {0, 0, 0}, TRUE, FALSE},
    {AF_INET, SOCK_STREAM, SOL_SOCKET, SO_RCVTIMEO, "SO_RCVTIMEO", FALSE, {1, 2, 4}, {0, 0, 0}, TRUE, FALSE},
    {AF_INET, SOCK_STREAM, SOL_SOCKET, SO_REUSEADDR, "SO_REUSEADDR", TRUE, {1, 1, 4}, {0, 0xdead0001, 0}, TRUE, TRUE},
    {AF_INET, SOCK_STREAM, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, "SO_EXCLUSIVEADDRUSE", TRUE, {1, 1, 4}, {0, 0xdead0001, 0}, TRUE, TRUE},
    {AF_INET, SOCK_STREAM, SOL_SOCKET, SO_SNDBUF, "SO_SNDBUF", FALSE, {1, 2, 4}, {0xdeadbe00, 0xdead0000, 0}, TRUE, FALSE},
    {AF_INET, SOCK_STREAM, SOL_SOCKET, SO_SNDTIMEO, "SO_SNDTIMEO", FALSE, {1, 2, 4}, {0, 0, 0}, TRUE, FALSE},
    {AF_INET, SOCK_STREAM, IPPROTO_TCP, TCP_NODELAY, "TCP_NODELAY", TRUE, {1, 1, 1}, {0, 0, 0}, TRUE, FALSE},
    {AF_INET, SOCK_DGRAM, IPPROTO_IP, IP_MULTICAST_LOOP, "IP_MULTICAST_LOOP", TRUE, {1, 1, 4}, {0, 0, 0}, TRUE, TRUE},
    {AF_INET, SOCK_DGRAM, IPPROTO_IP, IP_MULTICAST_TTL, "IP_MULTICAST_TTL", TRUE, {1, 1, 4}, {0, 0, 0}, FALSE, FALSE},
    {AF_INET, SOCK_DGRAM, IPPROTO_IP, IP_TOS, "IP_TOS", TRUE, {1, 1, 4}, {0, 0, 0}, FALSE, FALSE},
    {AF_INET, SOCK_DGRAM, IPPROTO_IP, IP_TTL, "IP_TTL", TRUE, {1, 1, 4}, {0, 0, 0}, FALSE, FALSE},
    {AF_INET6, SOCK_DGRAM, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, "IPV6_MULTICAST_HOPS", TRUE, {1, 1, 4}, {0, 0, 0}, FALSE, FALSE},
    {AF_INET6, SOCK_DGRAM, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, "IPV6_MULTICAST_LOOP", TRUE, {1, 1, 4}, {0, 0, 0}, TRUE, TRUE},
    {AF_INET6, SOCK_DGRAM, IPPROTO_IPV6, IPV6_UNICAST_HOPS, "IPV6_UNICAST_HOPS", TRUE, {1, 1, 4}, {0, 0, 0}, FALSE, FALSE},
    {AF_INET6, SOCK_DGRAM, IPPROTO_IPV6, IPV6_V6ONLY, "IPV6_V6ONLY", TRUE, {1, 1, 1}, {0, 0, 0}, TRUE, FALSE},
};

static void check_row(const struct optsize *t)
{
    const char *n = t->label;
    DWORD saved, value, expect_value;
    unsigned long long value64;
    int size, r, e, j, expect_ret, expect_err, expect_size;
    SOCKET s = socket(t->af, t->type, 0);

    if (s == INVALID_SOCKET) {
        ok(0, "%s: socket failed %d", n, WSAGetLastError());
        return;
    }

    saved = 0;
    size = sizeof(saved);
    r = getsockopt(s, t->level, t->name, (char *)&saved, &size);
    ok(r == 0, "%s: initial get failed %d", n, WSAGetLastError());

    /* An 8-byte buffer is accepted for set, and get reports the option's own size. */
    value64 = 0xffffffff00000001ULL;
    WSASetLastError(0xdeadbeef);
    r = setsockopt(s, t->level, t->name, (char *)&value64, sizeof(value64));
    e = WSAGetLastError();
    ok(r == 0 && e == 0, "%s: set len 8: r %d err %d", n, r, e);
    size = sizeof(value64);
    r = getsockopt(s, t->level, t->name, (char *)&value64, &size);
    ok(r == 0, "%s: get len 8 err %d", n, WSAGetLastError());
    ok(size == t->sizes[2], "%s: get len 8 reports %d", n, size);

    /* optlen -1 on set: SOL_SOCKET options wider than a byte take it, the rest say WSAENOBUFS. */
    value = 1;
    WSASetLastError(0xdeadbeef);
    r = setsockopt(s, t->level, t->name, (char *)&value, -1);
    e = WSAGetLastError();
    if (t->sizes[2] == 1 || t->level != SOL_SOCKET)
        ok(r == SOCKET_ERROR && e == WSAENOBUFS, "%s: set len -1: r %d err %d", n, r, e);
    else
        ok(r == 0 && e == 0, "%s: set len -1: r %d err %d", n, r, e);

    /* optlen -1 on get: WSAEFAULT and optlen untouched. */
    size = -1;
    value = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    r = getsockopt(s, t->level, t->name, (char *)&value, &size);
    e = WSAGetLastError();
    ok(r == SOCKET_ERROR && e == WSAEFAULT, "%s: get len -1: r %d err %d", n, r, e);
    ok(size == -1, "%s: get len -1 reports %d", n, size);

    /* optlen 0 on set: only the SOL_SOCKET BOOL options take it. */
    value = 1;
    WSASetLastError(0xdeadbeef);
    r = setsockopt(s, t->level, t->name, (char *)&value, 0);
    e = WSAGetLastError();
    if (t->level == SOL_SOCKET && t->is_bool)
        ok(r == 0 && e == 0, "%s: set len 0: r %d err %d", n, r, e);
    else
        ok(r == SOCKET_ERROR && e == WSAEFAULT, "%s: set len 0: r %d err %d", n, r, e);

    /* optlen 0 on get: WSAEFAULT. */
    size = 0;
    WSASetLastError(0xdeadbeef);
    r = getsockopt(s, t->level, t->name, (char *)&value, &size);
    e = WSAGetLastError();
    ok(r == SOCKET_ERROR && e == WSAEFAULT, "%s: get len 0: r %d err %d", n, r, e);

    /* 0x100: accepted or WSAEINVAL; BOOLs read back 1, byte-sized options read back the low byte. */
    value = 0x100;
    WSASetLastError(0xdeadbeef);
    r = setsockopt(s, t->level, t->name, (char *)&value, 4);
    e = WSAGetLastError();
    if (t->large_value_ok) {
        ok(r == 0 && e == 0, "%s: set 0x100: r %d err %d", n, r, e);
        value = 0xdeadbeef;
        size = 4;
        r = getsockopt(s, t->level, t->name, (char *)&value, &size);
        ok(r == 0, "%s: get after 0x100 err %d", n, WSAGetLastError());
        if (t->sizes[2] == 1)
            expect_value = 0xdeadbe00;
        else
            expect_value = t->is_bool ? 1 : 0x100;
#ifndef WS2_URING
        /* Wine's own test marks the SO_DONTROUTE and SO_LINGER values here as differing from Windows. */
        if (t->name != SO_DONTROUTE && t->name != SO_LINGER)
#endif
            ok(value == expect_value, "%s: after 0x100 got %#x want %#x", n, (unsigned)value,
               (unsigned)expect_value);
        ok(size == t->sizes[2], "%s: after 0x100 optlen %d", n, size);
    } else {
        ok(r == SOCKET_ERROR && e == WSAEINVAL, "%s: set 0x100: r %d err %d", n, r, e);
    }

    /* Requests of 1, 2 and 4 bytes. */
    for (j = 0; j < 3; j++) {
        size = 1 << j;
        value = 1;
        expect_size = t->sizes[j];
        if (t->short_len_ok || size == 4) {
            expect_ret = 0;
            expect_err = 0;
            if (t->values[j]) {
                expect_value = t->values[j];
            } else {
                expect_value = 0xdeadbeef;
                memcpy(&expect_value, &value, (size_t)expect_size);
            }
        } else {
            expect_ret = SOCKET_ERROR;
            expect_err = WSAEFAULT;
            expect_value = t->values[j] ? t->values[j] : 0xdeadbeef;
        }

        WSASetLastError(0xdeadbeef);
        r = setsockopt(s, t->level, t->name, (char *)&value, size);
        e = WSAGetLastError();
        ok(r == expect_ret && e == expect_err, "%s: set len %d: r %d err %d", n, size, r, e);

        value = 0xdeadbeef;
        WSASetLastError(0xdeadbeef);
        r = getsockopt(s, t->level, t->name, (char *)&value, &size);
        e = WSAGetLastError();
        ok(r == expect_ret && e == expect_err, "%s: get len %d: r %d err %d", n, 1 << j, r, e);
        ok(value == expect_value, "%s: get len %d: value %#x want %#x", n, 1 << j, (unsigned)value,
           (unsigned)expect_value);
        ok(size == expect_size, "%s: get len %d: optlen %d want %d", n, 1 << j, size, expect_size);
    }

    r = setsockopt(s, t->level, t->name, (char *)&saved, sizeof(saved));
    ok(r == 0, "%s: restore failed %d", n, WSAGetLastError());
    closesocket(s);
}

int main(void)
{
    unsigned int i;

    tu_startup();
    for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
        check_row(&table[i]);
    WSACleanup();
    return test_done();
}
