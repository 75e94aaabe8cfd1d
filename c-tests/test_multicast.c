/* IPv4 multicast options: IP_MULTICAST_TTL / IP_MULTICAST_LOOP / IP_MULTICAST_IF defaults and
 * round trips, IP_ADD_MEMBERSHIP / IP_DROP_MEMBERSHIP with ip_mreq on the loopback interface
 * (errors for joining twice and dropping a group not joined), and a datagram sent to the group
 * over loopback reaching a member, and no longer reaching it after it leaves. */
#include "testutil.h"

#define GROUP "239.255.42.99"

static SOCKET bound_udp(unsigned short *port)
{
    struct sockaddr_in a;
    int len = sizeof(a);
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);

    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    ok(bind(s, (struct sockaddr *)&a, sizeof(a)) == 0, "bind err %d", WSAGetLastError());
    ok(getsockname(s, (struct sockaddr *)&a, &len) == 0, "getsockname err %d", WSAGetLastError());
    if (port)
        *port = ntohs(a.sin_port);
    return s;
}

static int get_int(SOCKET s, int name, int *len)
{
    return tu_get_int(s, IPPROTO_IP, name, 0x5a5a5a5a, len);
}

static void test_options(void)
{
    static const int ttl_tests[] = {(int)0xffffff0a, (int)0xffff000b, (int)0xff00000c, 0x0000000d};
    SOCKET s = bound_udp(NULL);
    int v, len, i, r;
    DWORD ifaddr;

    /* Defaults: TTL 1, loopback on, default interface. */
    v = get_int(s, IP_MULTICAST_TTL, &len);
    ok(v == 1 && len == 4, "IP_MULTICAST_TTL default %d len %d", v, len);
    v = get_int(s, IP_MULTICAST_LOOP, &len);
    ok(v == 1 && len == 4, "IP_MULTICAST_LOOP default %d len %d", v, len);
    v = get_int(s, IP_MULTICAST_IF, &len);
    ok(v == 0 && len == 4, "IP_MULTICAST_IF default %#x len %d", v, len);

    v = 5;
    ok(setsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, (char *)&v, sizeof(v)) == 0, "set TTL err %d", WSAGetLastError());
    v = get_int(s, IP_MULTICAST_TTL, &len);
    ok(v == 5, "IP_MULTICAST_TTL %d", v);

    /* TTL taken from the first optlen bytes. */
    for (i = 0; i < 4; i++) {
        int want = i != 3 ? (int)((unsigned)ttl_tests[i] & ((1u << ((i + 1) * 8)) - 1)) : ttl_tests[i];
        r = setsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, (const char *)&ttl_tests[i], i + 1);
        ok(r == 0, "TTL len %d err %d", i + 1, WSAGetLastError());
        v = get_int(s, IP_MULTICAST_TTL, &len);
        ok(v == want, "TTL len %d: got %#x want %#x", i + 1, v, want);
    }

    /* Out of range TTL. */
    v = 256;
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(setsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, (char *)&v, sizeof(v)), SOCKET_ERROR, WSAEINVAL);

    v = 0;
    ok(setsockopt(s, IPPROTO_IP, IP_MULTICAST_LOOP, (char *)&v, sizeof(v)) == 0, "clear LOOP err %d",
       WSAGetLastError());
    v = get_int(s, IP_MULTICAST_LOOP, &len);
    ok(v == 0, "IP_MULTICAST_LOOP after clear %d", v);
    v = 1;
    ok(setsockopt(s, IPPROTO_IP, IP_MULTICAST_LOOP, (char *)&v, sizeof(v)) == 0, "set LOOP err %d",
       WSAGetLastError());
    v = get_int(s, IP_MULTICAST_LOOP, &len);
    ok(v == 1, "IP_MULTICAST_LOOP after set %d", v);

    /* The interface is an IPv4 address in network order. */
    ifaddr = inet_addr("127.0.0.1");
    ok(setsockopt(s, IPPROTO_IP, IP_MULTICAST_IF, (char *)&ifaddr, sizeof(ifaddr)) == 0, "set IF err %d",
       WSAGetLastError());
    v = get_int(s, IP_MULTICAST_IF, &len);
    ok((DWORD)v == ifaddr && len == 4, "IP_MULTICAST_IF %#x len %d", v, len);
    ifaddr = htonl(INADDR_ANY);
    ok(setsockopt(s, IPPROTO_IP, IP_MULTICAST_IF, (char *)&ifaddr, sizeof(ifaddr)) == 0, "reset IF err %d",
       WSAGetLastError());
    v = get_int(s, IP_MULTICAST_IF, &len);
    ok(v == 0, "IP_MULTICAST_IF after reset %#x", v);

    /* Membership options cannot be read back. */
    {
        struct ip_mreq m;
        len = sizeof(m);
        WSASetLastError(0xdeadbeef);
        ok_wsa_fail(getsockopt(s, IPPROTO_IP, IP_ADD_MEMBERSHIP, (char *)&m, &len), SOCKET_ERROR, WSAENOPROTOOPT);
        len = sizeof(m);
        WSASetLastError(0xdeadbeef);
        ok_wsa_fail(getsockopt(s, IPPROTO_IP, IP_DROP_MEMBERSHIP, (char *)&m, &len), SOCKET_ERROR, WSAENOPROTOOPT);
    }
    closesocket(s);

    /* On a TCP socket the multicast options do not apply. */
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    len = sizeof(v);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, (char *)&v, &len), SOCKET_ERROR, WSAEINVAL);
    len = sizeof(v);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getsockopt(s, IPPROTO_IP, IP_MULTICAST_LOOP, (char *)&v, &len), SOCKET_ERROR, WSAEINVAL);
    len = sizeof(v);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getsockopt(s, IPPROTO_IP, IP_MULTICAST_IF, (char *)&v, &len), SOCKET_ERROR, WSAEINVAL);
    closesocket(s);
}

static void test_membership(void)
{
    SOCKET s = bound_udp(NULL);
    struct ip_mreq m;
    int r, e;

    m.imr_multiaddr.s_addr = inet_addr(GROUP);
    m.imr_interface.s_addr = inet_addr("127.0.0.1");

    /* Leaving a group never joined. */
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(setsockopt(s, IPPROTO_IP, IP_DROP_MEMBERSHIP, (char *)&m, sizeof(m)), SOCKET_ERROR, WSAEINVAL);

    WSASetLastError(0xdeadbeef);
    r = setsockopt(s, IPPROTO_IP, IP_ADD_MEMBERSHIP, (char *)&m, sizeof(m));
    ok(r == 0, "join err %d", WSAGetLastError());

    /* Joining the same group on the same interface again. */
    WSASetLastError(0xdeadbeef);
    r = setsockopt(s, IPPROTO_IP, IP_ADD_MEMBERSHIP, (char *)&m, sizeof(m));
    e = WSAGetLastError();
    ok(r == SOCKET_ERROR, "second join succeeded");
    (void)e;
#ifdef WS2_URING
    /* Windows documents WSAEADDRNOTAVAIL here; Wine reports WSAEADDRINUSE. */
    ok(e == WSAEADDRNOTAVAIL, "second join err %d", e);
#endif

    ok(setsockopt(s, IPPROTO_IP, IP_DROP_MEMBERSHIP, (char *)&m, sizeof(m)) == 0, "leave err %d",
       WSAGetLastError());

    /* Leaving again: the group is no longer joined. */
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(setsockopt(s, IPPROTO_IP, IP_DROP_MEMBERSHIP, (char *)&m, sizeof(m)), SOCKET_ERROR, WSAEINVAL);

    /* Joining again after leaving works. */
    ok(setsockopt(s, IPPROTO_IP, IP_ADD_MEMBERSHIP, (char *)&m, sizeof(m)) == 0, "rejoin err %d",
       WSAGetLastError());
    closesocket(s);
}

static void test_delivery(void)
{
    unsigned short port;
    SOCKET rx = bound_udp(&port), tx = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    struct sockaddr_in to, from;
    struct ip_mreq m;
    DWORD ifaddr = inet_addr("127.0.0.1");
    char buf[32];
    int r, fromlen;

    m.imr_multiaddr.s_addr = inet_addr(GROUP);
    m.imr_interface.s_addr = inet_addr("127.0.0.1");
    ok(setsockopt(rx, IPPROTO_IP, IP_ADD_MEMBERSHIP, (char *)&m, sizeof(m)) == 0, "join err %d",
       WSAGetLastError());

    ok(setsockopt(tx, IPPROTO_IP, IP_MULTICAST_IF, (char *)&ifaddr, sizeof(ifaddr)) == 0, "IF err %d",
       WSAGetLastError());
    memset(&to, 0, sizeof(to));
    to.sin_family = AF_INET;
    to.sin_addr.s_addr = inet_addr(GROUP);
    to.sin_port = htons(port);
    r = sendto(tx, "group hello", 11, 0, (struct sockaddr *)&to, sizeof(to));
    ok(r == 11, "sendto group: %d err %d", r, WSAGetLastError());

    ok(tu_wait_for(rx, 'r', 2000) == 1, "member did not receive the datagram");
    memset(&from, 0, sizeof(from));
    fromlen = sizeof(from);
    r = recvfrom(rx, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen);
    ok(r == 11 && !memcmp(buf, "group hello", 11), "recvfrom %d", r);
    ok(from.sin_family == AF_INET && from.sin_addr.s_addr == inet_addr("127.0.0.1"), "from %#x",
       (unsigned)from.sin_addr.s_addr);

    /* After leaving, datagrams to the group no longer arrive. */
    ok(setsockopt(rx, IPPROTO_IP, IP_DROP_MEMBERSHIP, (char *)&m, sizeof(m)) == 0, "leave err %d",
       WSAGetLastError());
    r = sendto(tx, "late", 4, 0, (struct sockaddr *)&to, sizeof(to));
    ok(r == 4, "sendto after leave: %d err %d", r, WSAGetLastError());
    ok(tu_wait_for(rx, 'r', 300) != 1, "datagram arrived after leaving the group");

    closesocket(tx);
    closesocket(rx);
}

int main(void)
{
    tu_startup();
    test_options();
    test_membership();
    test_delivery();
    WSACleanup();
    return test_done();
}
