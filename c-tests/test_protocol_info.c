/* getsockopt(SO_PROTOCOL_INFOA/W) for TCP and UDP over IPv4 and IPv6: the fields Windows fills
 * (family, type, protocol, address sizes, version, base-provider chain, byte order, service and
 * provider flags, message size, a protocol name the A and W forms agree on), buffer size rules;
 * and WSASocketA/W with FROM_PROTOCOL_INFO (all three, or the family given) creating a socket of
 * the same family, type, protocol and catalog entry. */
#include "testutil.h"
#include <stddef.h>

struct combo {
    int af, type, proto, addrlen;
};

static const struct combo combos[] = {
    {AF_INET, SOCK_STREAM, IPPROTO_TCP, 16},
    {AF_INET, SOCK_DGRAM, IPPROTO_UDP, 16},
    {AF_INET6, SOCK_STREAM, IPPROTO_TCP, 28},
    {AF_INET6, SOCK_DGRAM, IPPROTO_UDP, 28},
};

static void check_fields(const char *what, const struct combo *c, int af, int type, int proto,
                         int maxaddr, int minaddr, int version, int chainlen, int byteorder,
                         unsigned flags1, unsigned pflags, unsigned msgsize)
{
    ok(af == c->af && type == c->type && proto == c->proto,
       "%s: family %d type %d protocol %d, want %d %d %d", what, af, type, proto, c->af, c->type,
       c->proto);
    ok(maxaddr == c->addrlen && minaddr == c->addrlen, "%s: iMaxSockAddr %d iMinSockAddr %d, want %d",
       what, maxaddr, minaddr, c->addrlen);
    ok(version == 2, "%s: iVersion %d, want 2", what, version);
    ok(chainlen == BASE_PROTOCOL, "%s: ProtocolChain.ChainLen %d, want %d (base provider)", what,
       chainlen, BASE_PROTOCOL);
    ok(byteorder == BIGENDIAN, "%s: iNetworkByteOrder %d, want BIGENDIAN", what, byteorder);
    /* Protocol 0 in socket() selects these entries. */
    ok(pflags & PFL_MATCHES_PROTOCOL_ZERO, "%s: dwProviderFlags %#x lacks PFL_MATCHES_PROTOCOL_ZERO",
       what, pflags);
    ok(flags1 & XP1_IFS_HANDLES, "%s: dwServiceFlags1 %#x lacks XP1_IFS_HANDLES", what, flags1);
    if (c->type == SOCK_STREAM) {
        ok((flags1 & (XP1_GUARANTEED_DELIVERY | XP1_GUARANTEED_ORDER | XP1_GRACEFUL_CLOSE |
                      XP1_EXPEDITED_DATA)) ==
               (XP1_GUARANTEED_DELIVERY | XP1_GUARANTEED_ORDER | XP1_GRACEFUL_CLOSE | XP1_EXPEDITED_DATA),
           "%s: TCP dwServiceFlags1 %#x lacks delivery/order/graceful close/expedited data", what,
           flags1);
        ok(!(flags1 & (XP1_CONNECTIONLESS | XP1_MESSAGE_ORIENTED | XP1_SUPPORT_BROADCAST)),
           "%s: TCP dwServiceFlags1 %#x claims connectionless/message/broadcast", what, flags1);
        /* A stream protocol has no message size. */
        ok(msgsize == 0, "%s: TCP dwMessageSize %u, want 0", what, msgsize);
    } else {
        ok((flags1 & (XP1_CONNECTIONLESS | XP1_MESSAGE_ORIENTED | XP1_SUPPORT_BROADCAST |
                      XP1_SUPPORT_MULTIPOINT)) ==
               (XP1_CONNECTIONLESS | XP1_MESSAGE_ORIENTED | XP1_SUPPORT_BROADCAST | XP1_SUPPORT_MULTIPOINT),
           "%s: UDP dwServiceFlags1 %#x lacks connectionless/message/broadcast/multipoint", what,
           flags1);
        ok(!(flags1 & (XP1_GUARANTEED_DELIVERY | XP1_GUARANTEED_ORDER | XP1_GRACEFUL_CLOSE)),
           "%s: UDP dwServiceFlags1 %#x claims guaranteed delivery/order/graceful close", what, flags1);
        ok(msgsize > 0 && msgsize <= 65535, "%s: UDP dwMessageSize %u, want a datagram maximum",
           what, msgsize);
    }
}

static int get_info_a(SOCKET s, WSAPROTOCOL_INFOA *info)
{
    int len = sizeof(*info), r;
    memset(info, 0xcc, sizeof(*info));
    WSASetLastError(0xdeadbeef);
    r = getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOA, (char *)info, &len);
    ok(r == 0 && len == (int)sizeof(*info), "getsockopt(SO_PROTOCOL_INFOA): got %d len %d error %d", r,
       len, WSAGetLastError());
    return r;
}

static int get_info_w(SOCKET s, WSAPROTOCOL_INFOW *info)
{
    int len = sizeof(*info), r;
    memset(info, 0xcc, sizeof(*info));
    WSASetLastError(0xdeadbeef);
    r = getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)info, &len);
    ok(r == 0 && len == (int)sizeof(*info), "getsockopt(SO_PROTOCOL_INFOW): got %d len %d error %d", r,
       len, WSAGetLastError());
    return r;
}

/* The socket made from protocol info: its type, the family of its name after bind, and its
 * protocol info (same catalog entry as the source). */
static void check_made(const char *what, SOCKET s, const struct combo *c, DWORD catalog)
{
    WSAPROTOCOL_INFOA info;
    SOCKADDR_STORAGE st;
    int v = -1, len = sizeof(v);

    ok(s != INVALID_SOCKET, "%s: WSASocket failed with error %d", what, WSAGetLastError());
    if (s == INVALID_SOCKET)
        return;
    ok(getsockopt(s, SOL_SOCKET, SO_TYPE, (char *)&v, &len) == 0 && v == c->type,
       "%s: SO_TYPE %d, want %d (error %d)", what, v, c->type, WSAGetLastError());

    memset(&st, 0, sizeof(st));
    st.ss_family = (short)c->af;
    ok(bind(s, (struct sockaddr *)&st, c->addrlen) == 0, "%s: bind to the wildcard address: error %d",
       what, WSAGetLastError());
    memset(&st, 0xcc, sizeof(st));
    len = sizeof(st);
    ok(getsockname(s, (struct sockaddr *)&st, &len) == 0 && st.ss_family == c->af && len == c->addrlen,
       "%s: getsockname family %d len %d, want %d %d (error %d)", what, st.ss_family, len, c->af,
       c->addrlen, WSAGetLastError());

    if (get_info_a(s, &info) == 0) {
        ok(info.iAddressFamily == c->af && info.iSocketType == c->type && info.iProtocol == c->proto,
           "%s: new socket info %d %d %d", what, info.iAddressFamily, info.iSocketType,
           info.iProtocol);
        ok(info.dwCatalogEntryId == catalog, "%s: catalog entry %u, want %u", what,
           (unsigned)info.dwCatalogEntryId, (unsigned)catalog);
    }
    closesocket(s);
}

static void test_combo(const struct combo *c)
{
    WSAPROTOCOL_INFOA ia, copy_a;
    WSAPROTOCOL_INFOW iw;
    char what[64], buf[2 * sizeof(WSAPROTOCOL_INFOW)];
    SOCKET s, s0;
    int len, i, r;

    snprintf(what, sizeof(what), "af %d type %d", c->af, c->type);
    s = socket(c->af, c->type, c->proto);
    ok(s != INVALID_SOCKET, "%s: socket: error %d", what, WSAGetLastError());
    if (s == INVALID_SOCKET)
        return;

    if (get_info_a(s, &ia) == 0) {
        check_fields(what, c, ia.iAddressFamily, ia.iSocketType, ia.iProtocol, ia.iMaxSockAddr,
                     ia.iMinSockAddr, ia.iVersion, ia.ProtocolChain.ChainLen, ia.iNetworkByteOrder,
                     (unsigned)ia.dwServiceFlags1, (unsigned)ia.dwProviderFlags,
                     (unsigned)ia.dwMessageSize);
        ok(ia.szProtocol[0] != 0 && memchr(ia.szProtocol, 0, sizeof(ia.szProtocol)) != NULL,
           "%s: szProtocol empty or unterminated", what);
    }
    if (get_info_w(s, &iw) == 0) {
        check_fields(what, c, iw.iAddressFamily, iw.iSocketType, iw.iProtocol, iw.iMaxSockAddr,
                     iw.iMinSockAddr, iw.iVersion, iw.ProtocolChain.ChainLen, iw.iNetworkByteOrder,
                     (unsigned)iw.dwServiceFlags1, (unsigned)iw.dwProviderFlags,
                     (unsigned)iw.dwMessageSize);
        /* The same entry in both forms: every field before the name is equal, and the names
         * agree (ASCII). */
        ok(!memcmp(&ia, &iw, offsetof(WSAPROTOCOL_INFOA, szProtocol)) &&
               offsetof(WSAPROTOCOL_INFOA, szProtocol) == offsetof(WSAPROTOCOL_INFOW, szProtocol),
           "%s: A and W infos differ (catalog %u/%u)", what, (unsigned)ia.dwCatalogEntryId,
           (unsigned)iw.dwCatalogEntryId);
        for (i = 0; i <= WSAPROTOCOL_LEN; i++) {
            if ((unsigned)iw.szProtocol[i] != (unsigned char)ia.szProtocol[i])
                break;
            if (!ia.szProtocol[i]) {
                i = -1;
                break;
            }
        }
        ok(i == -1, "%s: A name \"%s\" and W name differ at %d", what, ia.szProtocol, i);
    }

    /* Protocol 0 picks the same entry. */
    s0 = socket(c->af, c->type, 0);
    if (get_info_a(s0, &copy_a) == 0)
        ok(copy_a.iProtocol == c->proto && copy_a.dwCatalogEntryId == ia.dwCatalogEntryId,
           "%s: protocol 0 socket reports protocol %d catalog %u", what, copy_a.iProtocol,
           (unsigned)copy_a.dwCatalogEntryId);
    closesocket(s0);

    /* Buffer rules: too short or NULL is WSAEFAULT, and optlen tells the size needed; a larger
     * buffer is fine. */
    len = sizeof(WSAPROTOCOL_INFOA) - 1;
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOA, (char *)&copy_a, &len), SOCKET_ERROR,
                WSAEFAULT);
    ok(len == (int)sizeof(WSAPROTOCOL_INFOA), "%s: optlen after short A buffer %d", what, len);
    len = sizeof(WSAPROTOCOL_INFOW) - 1;
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, buf, &len), SOCKET_ERROR, WSAEFAULT);
    ok(len == (int)sizeof(WSAPROTOCOL_INFOW), "%s: optlen after short W buffer %d", what, len);
    /* The A size is too short for the W form. */
    len = sizeof(WSAPROTOCOL_INFOA);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, buf, &len), SOCKET_ERROR, WSAEFAULT);
    len = sizeof(WSAPROTOCOL_INFOA);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOA, NULL, &len), SOCKET_ERROR, WSAEFAULT);
    /* A larger buffer is filled and optlen is left as it was. */
    memset(buf, 0, sizeof(buf));
    len = 2 * sizeof(WSAPROTOCOL_INFOA);
    WSASetLastError(0xdeadbeef);
    r = getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOA, buf, &len);
    ok(r == 0 && !memcmp(buf, &ia, sizeof(ia)), "%s: larger buffer: got %d error %d", what, r,
       WSAGetLastError());
    ok(len == 2 * (int)sizeof(WSAPROTOCOL_INFOA), "%s: optlen after a larger buffer %d", what, len);

    /* Sockets made from the info. */
    snprintf(what, sizeof(what), "af %d type %d WSASocketA(FROM x3)", c->af, c->type);
    copy_a = ia;
    check_made(what, WSASocketA(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &copy_a, 0,
                                WSA_FLAG_OVERLAPPED),
               c, ia.dwCatalogEntryId);
    ok(!memcmp(&copy_a, &ia, sizeof(ia)), "%s: the info was changed", what);
    snprintf(what, sizeof(what), "af %d type %d WSASocketW(FROM x3)", c->af, c->type);
    check_made(what, WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &iw, 0,
                                WSA_FLAG_OVERLAPPED),
               c, ia.dwCatalogEntryId);
    snprintf(what, sizeof(what), "af %d type %d WSASocketA(af, FROM x2)", c->af, c->type);
    check_made(what, WSASocketA(c->af, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &copy_a, 0,
                                WSA_FLAG_OVERLAPPED),
               c, ia.dwCatalogEntryId);
    snprintf(what, sizeof(what), "af %d type %d WSASocketW(af, FROM x2)", c->af, c->type);
    check_made(what, WSASocketW(c->af, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &iw, 0, 0), c,
               ia.dwCatalogEntryId);
    snprintf(what, sizeof(what), "af %d type %d WSASocketA(all given)", c->af, c->type);
    check_made(what, WSASocketA(c->af, c->type, c->proto, &copy_a, 0, WSA_FLAG_OVERLAPPED), c,
               ia.dwCatalogEntryId);

    closesocket(s);
}

/* A socket from WSASocket(FROM_PROTOCOL_INFO) works: a TCP connection over loopback. */
static void test_made_socket_works(void)
{
    WSAPROTOCOL_INFOA info;
    struct sockaddr_in a;
    SOCKET l, c, s;
    char buf[8];

    l = tu_listener(&a);
    if (get_info_a(l, &info) != 0) {
        closesocket(l);
        return;
    }
    c = WSASocketA(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0,
                   WSA_FLAG_OVERLAPPED);
    ok(c != INVALID_SOCKET, "WSASocketA(FROM_PROTOCOL_INFO): error %d", WSAGetLastError());
    ok(connect(c, (struct sockaddr *)&a, sizeof(a)) == 0, "connect: error %d", WSAGetLastError());
    s = accept(l, NULL, NULL);
    ok(s != INVALID_SOCKET, "accept: error %d", WSAGetLastError());
    ok(send(c, "info", 4, 0) == 4, "send: error %d", WSAGetLastError());
    ok(recv(s, buf, sizeof(buf), 0) == 4 && !memcmp(buf, "info", 4), "recv: error %d",
       WSAGetLastError());
    closesocket(s);
    closesocket(c);
    closesocket(l);
}

static void test_errors(void)
{
    WSAPROTOCOL_INFOA info;
    int len = sizeof(info);
    SOCKET s;

    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getsockopt(INVALID_SOCKET, SOL_SOCKET, SO_PROTOCOL_INFOA, NULL, NULL), SOCKET_ERROR,
                WSAENOTSOCK);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getsockopt(INVALID_SOCKET, SOL_SOCKET, SO_PROTOCOL_INFOA, (char *)&info, &len),
                SOCKET_ERROR, WSAENOTSOCK);
    ok(len == (int)sizeof(info), "optlen after WSAENOTSOCK %d", len);

    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOA, NULL, NULL), SOCKET_ERROR, WSAEFAULT);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOA, (char *)&info, NULL), SOCKET_ERROR,
                WSAEFAULT);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, NULL, NULL), SOCKET_ERROR, WSAEFAULT);
    closesocket(s);
}

int main(void)
{
    unsigned i;
    tu_startup();
    for (i = 0; i < sizeof(combos) / sizeof(combos[0]); i++)
        test_combo(&combos[i]);
    test_made_socket_works();
    test_errors();
    WSACleanup();
    return test_done();
}
