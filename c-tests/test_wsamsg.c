/* WSARecvMsg and WSASendMsg (through SIO_GET_EXTENSION_FUNCTION_POINTER) on UDP over 127.0.0.1 and
 * ::1:
 * - with IP_PKTINFO / IPV6_PKTINFO on, WSARecvMsg returns one control message in Windows'
 *   WSACMSGHDR layout (read with WSA_CMSG_FIRSTHDR / WSA_CMSG_NXTHDR / WSA_CMSG_DATA):
 *   level IPPROTO_IP / IPPROTO_IPV6, type IP_PKTINFO / IPV6_PKTINFO, cmsg_len WSA_CMSG_LEN(size),
 *   IN_PKTINFO ipi_addr 127.0.0.1 / IN6_PKTINFO ::1 with an interface index > 0; Control.len is
 *   set to the length used, namelen and name to the sender, dwFlags 0;
 * - without the option Control.len comes back 0;
 * - a control buffer too small for the message: SOCKET_ERROR WSAEMSGSIZE with MSG_CTRUNC in
 *   dwFlags, the datagram consumed;
 * - a datagram larger than the buffers: SOCKET_ERROR WSAEMSGSIZE, MSG_TRUNC in dwFlags (our side
 *   only: Wine 8.0 leaves dwFlags 0), the buffer filled with the datagram's start, the rest gone;
 * - WSASendMsg with a destination (name), and with IN_PKTINFO control data choosing the source;
 *   the byte count is reported; the receiver gets the data from the sender's address;
 * - overlapped WSARecvMsg with an event: pending, then the event, WSAGetOverlappedResult with the
 *   count, and the WSAMSG's Control.len/dwFlags/namelen written at completion.
 * Not checked: WSARecvMsg on a TCP socket (the docs say it is for datagram and raw sockets, but
 * give no error for a stream socket; Wine 8.0 just receives).
 * Sources: MS docs LPFN_WSARECVMSG, WSASendMsg, WSACMSGHDR, IP_PKTINFO; Wine
 * dlls/ws2_32/tests/sock.c test_WSARecvMsg / test_ipv4_cmsg / test_ipv6_cmsg. */
#include "testutil.h"
#include <mswsock.h>

#define WAIT_MS 3000

static LPFN_WSARECVMSG pWSARecvMsg;
static LPFN_WSASENDMSG pWSASendMsg;

static void load(void)
{
    GUID g1 = WSAID_WSARECVMSG, g2 = WSAID_WSASENDMSG;
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    DWORD n = 0;
    int r;
    r = WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &g1, sizeof(g1), &pWSARecvMsg, sizeof(pWSARecvMsg), &n,
                 NULL, NULL);
    ok(r == 0 && pWSARecvMsg, "WSAID_WSARECVMSG: got %d error %d", r, WSAGetLastError());
    r = WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &g2, sizeof(g2), &pWSASendMsg, sizeof(pWSASendMsg), &n,
                 NULL, NULL);
    ok(r == 0 && pWSASendMsg, "WSAID_WSASENDMSG: got %d error %d", r, WSAGetLastError());
    closesocket(s);
    if (!pWSARecvMsg || !pWSASendMsg) {
        test_done();
        exit(1);
    }
}

static void set_int(SOCKET s, int level, int name, int v)
{
    ok(setsockopt(s, level, name, (char *)&v, sizeof(v)) == 0, "setsockopt(%d, %d): error %d", level, name,
       WSAGetLastError());
}

static void prep(WSAMSG *m, struct sockaddr_storage *from, WSABUF *wb, char *buf, ULONG len, char *ctl, ULONG clen)
{
    memset(m, 0, sizeof(*m));
    memset(from, 0xcc, sizeof(*from));
    wb->buf = buf;
    wb->len = len;
    m->name = (struct sockaddr *)from;
    m->namelen = sizeof(*from);
    m->lpBuffers = wb;
    m->dwBufferCount = 1;
    m->Control.buf = ctl;
    m->Control.len = clen;
    m->dwFlags = 0;
}

static void test_ipv4(void)
{
    struct sockaddr_in ra, sa;
    SOCKET r = tu_udp_socket(&ra), s = tu_udp_socket(&sa);
    WSAMSG m;
    WSABUF wb;
    struct sockaddr_storage from;
    char buf[64], ctl[256];
    WSACMSGHDR *cm;
    IN_PKTINFO pi;
    DWORD n;
    int ret;

    /* without IP_PKTINFO: no control data */
    ok(sendto(s, "plain", 5, 0, (struct sockaddr *)&ra, sizeof(ra)) == 5, "sendto: error %d", WSAGetLastError());
    prep(&m, &from, &wb, buf, sizeof(buf), ctl, sizeof(ctl));
    n = 0xdeadbeef;
    ret = pWSARecvMsg(r, &m, &n, NULL, NULL);
    ok(ret == 0 && n == 5 && !memcmp(buf, "plain", 5), "WSARecvMsg: got %d count %u error %d", ret, (unsigned)n,
       WSAGetLastError());
    ok(m.Control.len == 0, "no IP_PKTINFO: Control.len %u, want 0", (unsigned)m.Control.len);
    ok(m.dwFlags == 0, "dwFlags %#x", (unsigned)m.dwFlags);
    ok(m.namelen == (INT)sizeof(struct sockaddr_in) && ((struct sockaddr_in *)&from)->sin_port == sa.sin_port &&
           ((struct sockaddr_in *)&from)->sin_addr.s_addr == htonl(INADDR_LOOPBACK),
       "source: namelen %d", m.namelen);

    /* with IP_PKTINFO */
    set_int(r, IPPROTO_IP, IP_PKTINFO, 1);
    ok(sendto(s, "hello", 5, 0, (struct sockaddr *)&ra, sizeof(ra)) == 5, "sendto: error %d", WSAGetLastError());
    prep(&m, &from, &wb, buf, sizeof(buf), ctl, sizeof(ctl));
    memset(ctl, 0xcc, sizeof(ctl));
    n = 0xdeadbeef;
    ret = pWSARecvMsg(r, &m, &n, NULL, NULL);
    ok(ret == 0 && n == 5 && !memcmp(buf, "hello", 5), "WSARecvMsg: got %d count %u error %d", ret, (unsigned)n,
       WSAGetLastError());
    ok(m.dwFlags == 0, "dwFlags %#x", (unsigned)m.dwFlags);
    ok(m.Control.len == WSA_CMSG_SPACE(sizeof(IN_PKTINFO)), "Control.len %u, want %u", (unsigned)m.Control.len,
       (unsigned)WSA_CMSG_SPACE(sizeof(IN_PKTINFO)));
    cm = WSA_CMSG_FIRSTHDR(&m);
    ok(cm != NULL, "no control message");
    if (cm) {
        ok(cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_PKTINFO &&
               cm->cmsg_len == WSA_CMSG_LEN(sizeof(IN_PKTINFO)),
           "cmsg level %d type %d len %u, want %d %d %u", cm->cmsg_level, cm->cmsg_type, (unsigned)cm->cmsg_len,
           IPPROTO_IP, IP_PKTINFO, (unsigned)WSA_CMSG_LEN(sizeof(IN_PKTINFO)));
        memcpy(&pi, WSA_CMSG_DATA(cm), sizeof(pi));
        ok(pi.ipi_addr.s_addr == htonl(INADDR_LOOPBACK), "ipi_addr %#x, want 127.0.0.1",
           (unsigned)ntohl(pi.ipi_addr.s_addr));
        ok(pi.ipi_ifindex > 0, "ipi_ifindex %u", (unsigned)pi.ipi_ifindex);
        ok(WSA_CMSG_NXTHDR(&m, cm) == NULL, "a second control message");
    }

    /* control buffer too small: SOCKET_ERROR WSAEMSGSIZE with MSG_CTRUNC (Wine's test_ip_pktinfo,
     * run on Windows); the datagram is consumed */
    ok(sendto(s, "small", 5, 0, (struct sockaddr *)&ra, sizeof(ra)) == 5, "sendto: error %d", WSAGetLastError());
    ok(tu_wait_for(r, 'r', WAIT_MS) == 1, "datagram not readable");
    prep(&m, &from, &wb, buf, sizeof(buf), ctl, 1);
    WSASetLastError(0xdeadbeef);
    ret = pWSARecvMsg(r, &m, &n, NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEMSGSIZE,
       "WSARecvMsg small control: got %d error %d, want SOCKET_ERROR WSAEMSGSIZE", ret, WSAGetLastError());
    ok(m.dwFlags & MSG_CTRUNC, "small control buffer: dwFlags %#x, want MSG_CTRUNC", (unsigned)m.dwFlags);
    ok(tu_wait_for(r, 'r', 100) == 0, "the datagram with the truncated control data is still queued");

    /* datagram larger than the buffer */
    ok(sendto(s, "0123456789", 10, 0, (struct sockaddr *)&ra, sizeof(ra)) == 10, "sendto: error %d",
       WSAGetLastError());
    prep(&m, &from, &wb, buf, 4, ctl, sizeof(ctl));
    memset(buf, 0, sizeof(buf));
    n = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    ret = pWSARecvMsg(r, &m, &n, NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEMSGSIZE, "truncated: got %d error %d, want WSAEMSGSIZE", ret,
       WSAGetLastError());
    /* MSG_TRUNC: "the datagram was truncated" (LPFN_WSARECVMSG, dwFlags). Wine 8.0 leaves dwFlags
     * 0, so this is asserted on our side only. */
#ifdef WS2_URING
    ok(m.dwFlags & MSG_TRUNC, "truncated: dwFlags %#x, want MSG_TRUNC", (unsigned)m.dwFlags);
#endif
    ok(!memcmp(buf, "0123", 4) && buf[4] == 0, "truncated data '%.5s'", buf);
    ok(tu_wait_for(r, 'r', 100) == 0, "the rest of the truncated datagram is still queued");

    /* WSASendMsg with a destination */
    {
        WSAMSG sm;
        WSABUF sb[2];
        char sctl[WSA_CMSG_SPACE(sizeof(IN_PKTINFO))];
        WSACMSGHDR *h;
        IN_PKTINFO spi;
        memset(&sm, 0, sizeof(sm));
        sb[0].buf = (char *)"send";
        sb[0].len = 4;
        sb[1].buf = (char *)"msg";
        sb[1].len = 3;
        sm.name = (struct sockaddr *)&ra;
        sm.namelen = sizeof(ra);
        sm.lpBuffers = sb;
        sm.dwBufferCount = 2;
        n = 0xdeadbeef;
        ret = pWSASendMsg(s, &sm, 0, &n, NULL, NULL);
        ok(ret == 0 && n == 7, "WSASendMsg: got %d count %u error %d, want 0 7", ret, (unsigned)n, WSAGetLastError());
        prep(&m, &from, &wb, buf, sizeof(buf), ctl, sizeof(ctl));
        ok(tu_wait_for(r, 'r', WAIT_MS) == 1, "WSASendMsg datagram not readable");
        ret = pWSARecvMsg(r, &m, &n, NULL, NULL);
        ok(ret == 0 && n == 7 && !memcmp(buf, "sendmsg", 7), "received %u bytes '%.7s'", (unsigned)n, buf);
        ok(((struct sockaddr_in *)&from)->sin_port == sa.sin_port, "WSASendMsg datagram from the wrong port");

        /* with IN_PKTINFO control data: source 127.0.0.1 */
        memset(sctl, 0, sizeof(sctl));
        h = (WSACMSGHDR *)sctl;
        h->cmsg_len = WSA_CMSG_LEN(sizeof(IN_PKTINFO));
        h->cmsg_level = IPPROTO_IP;
        h->cmsg_type = IP_PKTINFO;
        memset(&spi, 0, sizeof(spi));
        spi.ipi_addr.s_addr = htonl(INADDR_LOOPBACK);
        memcpy(WSA_CMSG_DATA(h), &spi, sizeof(spi));
        sm.Control.buf = sctl;
        sm.Control.len = sizeof(sctl);
        n = 0xdeadbeef;
        ret = pWSASendMsg(s, &sm, 0, &n, NULL, NULL);
        ok(ret == 0 && n == 7, "WSASendMsg with IN_PKTINFO: got %d count %u error %d", ret, (unsigned)n,
           WSAGetLastError());
        prep(&m, &from, &wb, buf, sizeof(buf), ctl, sizeof(ctl));
        ok(tu_wait_for(r, 'r', WAIT_MS) == 1, "WSASendMsg datagram not readable");
        ret = pWSARecvMsg(r, &m, &n, NULL, NULL);
        ok(ret == 0 && n == 7 && ((struct sockaddr_in *)&from)->sin_addr.s_addr == htonl(INADDR_LOOPBACK),
           "datagram sent with IN_PKTINFO: got %d count %u", ret, (unsigned)n);
    }

    closesocket(r);
    closesocket(s);
}

static void test_ipv6(void)
{
    static const unsigned char lo6[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    struct sockaddr_in6 ra = tu_addr6(lo6, 0), sa = tu_addr6(lo6, 0);
    SOCKET r = socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP), s = socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
    int len = sizeof(ra), ret;
    WSAMSG m;
    WSABUF wb;
    struct sockaddr_storage from;
    char buf[64], ctl[256];
    WSACMSGHDR *cm;
    IN6_PKTINFO pi;
    DWORD n;

    ok(bind(r, (struct sockaddr *)&ra, sizeof(ra)) == 0, "bind [::1]: error %d", WSAGetLastError());
    getsockname(r, (struct sockaddr *)&ra, &len);
    len = sizeof(sa);
    ok(bind(s, (struct sockaddr *)&sa, sizeof(sa)) == 0, "bind [::1]: error %d", WSAGetLastError());
    getsockname(s, (struct sockaddr *)&sa, &len);
    set_int(r, IPPROTO_IPV6, IPV6_PKTINFO, 1);
    ok(sendto(s, "six", 3, 0, (struct sockaddr *)&ra, sizeof(ra)) == 3, "sendto [::1]: error %d", WSAGetLastError());
    prep(&m, &from, &wb, buf, sizeof(buf), ctl, sizeof(ctl));
    n = 0xdeadbeef;
    ret = pWSARecvMsg(r, &m, &n, NULL, NULL);
    ok(ret == 0 && n == 3 && !memcmp(buf, "six", 3), "WSARecvMsg [::1]: got %d count %u error %d", ret, (unsigned)n,
       WSAGetLastError());
    ok(m.namelen == (INT)sizeof(struct sockaddr_in6) && ((struct sockaddr_in6 *)&from)->sin6_port == sa.sin6_port,
       "source: namelen %d", m.namelen);
    ok(m.Control.len == WSA_CMSG_SPACE(sizeof(IN6_PKTINFO)), "Control.len %u, want %u", (unsigned)m.Control.len,
       (unsigned)WSA_CMSG_SPACE(sizeof(IN6_PKTINFO)));
    cm = WSA_CMSG_FIRSTHDR(&m);
    ok(cm != NULL, "no control message");
    if (cm) {
        ok(cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_PKTINFO &&
               cm->cmsg_len == WSA_CMSG_LEN(sizeof(IN6_PKTINFO)),
           "cmsg level %d type %d len %u", cm->cmsg_level, cm->cmsg_type, (unsigned)cm->cmsg_len);
        memcpy(&pi, WSA_CMSG_DATA(cm), sizeof(pi));
        ok(!memcmp(&pi.ipi6_addr, lo6, 16), "ipi6_addr is not ::1");
        ok(pi.ipi6_ifindex > 0, "ipi6_ifindex %u", (unsigned)pi.ipi6_ifindex);
        ok(WSA_CMSG_NXTHDR(&m, cm) == NULL, "a second control message");
    }
    closesocket(r);
    closesocket(s);
}

static void test_overlapped(void)
{
    struct sockaddr_in ra, sa;
    SOCKET r = tu_udp_socket(&ra), s = tu_udp_socket(&sa);
    WSAMSG m;
    WSABUF wb;
    struct sockaddr_storage from;
    char buf[64], ctl[256];
    OVERLAPPED ov;
    DWORD n = 0xdeadbeef, fl = 0;
    WSACMSGHDR *cm;
    BOOL b;
    int ret;

    set_int(r, IPPROTO_IP, IP_PKTINFO, 1);
    init_ov(&ov, CreateEventA(NULL, TRUE, FALSE, NULL));
    prep(&m, &from, &wb, buf, sizeof(buf), ctl, sizeof(ctl));
    WSASetLastError(0xdeadbeef);
    ret = pWSARecvMsg(r, &m, &n, &ov, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, "overlapped WSARecvMsg: got %d error %d", ret,
       WSAGetLastError());
    ok(WaitForSingleObject(ov.hEvent, 100) == WAIT_TIMEOUT, "completed without data");
    ok(sendto(s, "async", 5, 0, (struct sockaddr *)&ra, sizeof(ra)) == 5, "sendto: error %d", WSAGetLastError());
    ok(WaitForSingleObject(ov.hEvent, WAIT_MS) == WAIT_OBJECT_0, "overlapped WSARecvMsg did not complete");
    n = 0xdeadbeef;
    b = WSAGetOverlappedResult(r, &ov, &n, FALSE, &fl);
    ok(b && n == 5 && !memcmp(buf, "async", 5), "WSAGetOverlappedResult: got %d count %u error %d", b, (unsigned)n,
       WSAGetLastError());
    ok(m.Control.len == WSA_CMSG_SPACE(sizeof(IN_PKTINFO)) && m.dwFlags == 0 &&
           m.namelen == (INT)sizeof(struct sockaddr_in),
       "at completion: Control.len %u dwFlags %#x namelen %d", (unsigned)m.Control.len, (unsigned)m.dwFlags,
       m.namelen);
    cm = WSA_CMSG_FIRSTHDR(&m);
    ok(cm && cm->cmsg_type == IP_PKTINFO, "overlapped: no IP_PKTINFO control message");
    ok(((struct sockaddr_in *)&from)->sin_port == sa.sin_port, "overlapped: wrong source port");
    CloseHandle(ov.hEvent);
    closesocket(r);
    closesocket(s);
}

int main(void)
{
    tu_startup();
    load();
    test_ipv4();
    test_ipv6();
    test_overlapped();
    WSACleanup();
    return test_done();
}
