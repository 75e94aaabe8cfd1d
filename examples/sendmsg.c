/* sendmsg: UDP datagrams with packet information, the Winsock "sendmsg" sample form. A receiver
 * socket turns on IP_PKTINFO (IPv4) or IPV6_PKTINFO (IPv6) and receives with an overlapped
 * WSARecvMsg (found with WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER)), waiting on the
 * OVERLAPPED's event and reading the result with WSAGetOverlappedResult; a sender socket sends
 * each datagram with WSASendMsg, its control buffer (built with WSA_CMSG_FIRSTHDR, WSA_CMSG_LEN,
 * WSA_CMSG_SPACE, WSA_CMSG_DATA) holding an IN_PKTINFO / IN6_PKTINFO that chooses the source
 * address. For each datagram the receiver walks the control messages (WSA_CMSG_NXTHDR) and checks
 * the destination address they report, the sender's address and every payload byte.
 *
 * Usage: sendmsg [-i ADDRESS] [-n COUNT] [-b SIZE]
 *   -i  loopback address (default 127.0.0.1; ::1 for IPv6)
 *   -n  datagrams (default 10)   -b  bytes per datagram (default 512, at most 8192)
 * Exits 0 when every datagram arrived intact with the expected packet information.
 *
 * A program can include this file with SENDMSG_NO_MAIN defined and call sendmsg_run.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SM_MAX_SIZE 8192
#define SM_WAIT_MS 5000

/* The address part of a sockaddr (IPv4 or IPv6) equals `addr` (an IN_ADDR or IN6_ADDR). */
static int sm_same_addr(const SOCKADDR *sa, const void *addr)
{
    if (sa->sa_family == AF_INET)
        return memcmp(&((const SOCKADDR_IN *)sa)->sin_addr, addr, sizeof(IN_ADDR)) == 0;
    return memcmp(&((const SOCKADDR_IN6 *)sa)->sin6_addr, addr, sizeof(IN6_ADDR)) == 0;
}

/* Returns 0 when every datagram was verified. */
static int sendmsg_run(const char *address, int count, int size)
{
    struct addrinfo hints, *res = NULL;
    SOCKET rs = INVALID_SOCKET, ss = INVALID_SOCKET;
    SOCKADDR_STORAGE raddr, saddr, from;
    int raddrlen = sizeof(raddr), saddrlen = sizeof(saddr), family, i, k, r, result = 1;
    DWORD on = 1, bytes = 0, flags = 0;
    GUID guid = WSAID_WSARECVMSG;
    LPFN_WSARECVMSG pWSARecvMsg = NULL;
    WSAOVERLAPPED ov;
    WSAEVENT ev = WSA_INVALID_EVENT;
    char out[SM_MAX_SIZE], in[SM_MAX_SIZE];
    /* Control buffers: room for one packet-information message (the IPv6 one is the larger),
     * kept WSACMSGHDR-aligned by the union. */
    union {
        WSACMSGHDR align;
        char buf[WSA_CMSG_SPACE(sizeof(IN6_PKTINFO))];
    } sctl, rctl;
    WSAMSG smsg, rmsg;
    WSABUF sbuf, rbuf;
    WSACMSGHDR *cmsg;

    if (size < 1 || size > SM_MAX_SIZE || count < 1) {
        fprintf(stderr, "sendmsg: bad size or count\n");
        return 2;
    }
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_protocol = IPPROTO_UDP;
    hints.ai_flags = AI_NUMERICHOST;
    r = getaddrinfo(address, "0", &hints, &res);
    if (r != 0) {
        fprintf(stderr, "getaddrinfo failed: %d\n", r);
        return 1;
    }
    family = res->ai_family;
    rs = WSASocketW(family, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);
    ss = WSASocketW(family, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);
    if (rs == INVALID_SOCKET || ss == INVALID_SOCKET) {
        fprintf(stderr, "WSASocket failed: %d\n", WSAGetLastError());
        goto out;
    }
    if (bind(rs, res->ai_addr, (int)res->ai_addrlen) == SOCKET_ERROR ||
        bind(ss, res->ai_addr, (int)res->ai_addrlen) == SOCKET_ERROR ||
        getsockname(rs, (SOCKADDR *)&raddr, &raddrlen) == SOCKET_ERROR ||
        getsockname(ss, (SOCKADDR *)&saddr, &saddrlen) == SOCKET_ERROR) {
        fprintf(stderr, "bind failed: %d\n", WSAGetLastError());
        goto out;
    }
    /* Ask for the packet information of every datagram received. */
    if (setsockopt(rs, family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6,
                   family == AF_INET ? IP_PKTINFO : IPV6_PKTINFO, (const char *)&on,
                   sizeof(on)) == SOCKET_ERROR) {
        fprintf(stderr, "setsockopt(%s) failed: %d\n", family == AF_INET ? "IP_PKTINFO" : "IPV6_PKTINFO",
                WSAGetLastError());
        goto out;
    }
    if (WSAIoctl(rs, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), &pWSARecvMsg,
                 sizeof(pWSARecvMsg), &bytes, NULL, NULL) == SOCKET_ERROR) {
        fprintf(stderr, "WSAIoctl(WSAID_WSARECVMSG) failed: %d\n", WSAGetLastError());
        goto out;
    }
    ev = WSACreateEvent();
    if (ev == WSA_INVALID_EVENT) {
        fprintf(stderr, "WSACreateEvent failed: %d\n", WSAGetLastError());
        goto out;
    }
    printf("%d datagrams of %d bytes over %s with %s\n", count, size, address,
           family == AF_INET ? "IP_PKTINFO" : "IPV6_PKTINFO");

    for (i = 0; i < count; i++) {
        const void *dst_addr = NULL;
        int found = 0;

        /* The receive first: an overlapped WSARecvMsg, pending until the datagram comes. */
        memset(&rmsg, 0, sizeof(rmsg));
        memset(&rctl, 0, sizeof(rctl));
        rbuf.buf = in;
        rbuf.len = sizeof(in);
        rmsg.name = (LPSOCKADDR)&from;
        rmsg.namelen = sizeof(from);
        rmsg.lpBuffers = &rbuf;
        rmsg.dwBufferCount = 1;
        rmsg.Control.buf = rctl.buf;
        rmsg.Control.len = sizeof(rctl.buf);
        memset(&ov, 0, sizeof(ov));
        ov.hEvent = ev;
        WSAResetEvent(ev);
        if (pWSARecvMsg(rs, &rmsg, NULL, &ov, NULL) == SOCKET_ERROR &&
            WSAGetLastError() != WSA_IO_PENDING) {
            fprintf(stderr, "WSARecvMsg failed: %d\n", WSAGetLastError());
            goto out;
        }

        /* The send: WSASendMsg with the source address in IN_PKTINFO / IN6_PKTINFO. */
        for (k = 0; k < size; k++)
            out[k] = (char)(i * 13 + k);
        memset(&smsg, 0, sizeof(smsg));
        memset(&sctl, 0, sizeof(sctl));
        sbuf.buf = out;
        sbuf.len = (ULONG)size;
        smsg.name = (LPSOCKADDR)&raddr;
        smsg.namelen = raddrlen;
        smsg.lpBuffers = &sbuf;
        smsg.dwBufferCount = 1;
        smsg.Control.buf = sctl.buf;
        cmsg = WSA_CMSG_FIRSTHDR(&smsg);
        if (family == AF_INET) {
            IN_PKTINFO *pi;
            smsg.Control.len = WSA_CMSG_SPACE(sizeof(IN_PKTINFO));
            cmsg = WSA_CMSG_FIRSTHDR(&smsg);
            cmsg->cmsg_level = IPPROTO_IP;
            cmsg->cmsg_type = IP_PKTINFO;
            cmsg->cmsg_len = WSA_CMSG_LEN(sizeof(IN_PKTINFO));
            pi = (IN_PKTINFO *)WSA_CMSG_DATA(cmsg);
            pi->ipi_addr = ((SOCKADDR_IN *)&saddr)->sin_addr;
            pi->ipi_ifindex = 0;
        } else {
            IN6_PKTINFO *pi;
            smsg.Control.len = WSA_CMSG_SPACE(sizeof(IN6_PKTINFO));
            cmsg = WSA_CMSG_FIRSTHDR(&smsg);
            cmsg->cmsg_level = IPPROTO_IPV6;
            cmsg->cmsg_type = IPV6_PKTINFO;
            cmsg->cmsg_len = WSA_CMSG_LEN(sizeof(IN6_PKTINFO));
            pi = (IN6_PKTINFO *)WSA_CMSG_DATA(cmsg);
            pi->ipi6_addr = ((SOCKADDR_IN6 *)&saddr)->sin6_addr;
            pi->ipi6_ifindex = 0;
        }
        bytes = 0;
        if (WSASendMsg(ss, &smsg, 0, &bytes, NULL, NULL) == SOCKET_ERROR) {
            fprintf(stderr, "WSASendMsg failed: %d\n", WSAGetLastError());
            goto out;
        }
        if (bytes != (DWORD)size) {
            fprintf(stderr, "WSASendMsg sent %lu bytes of %d\n", (unsigned long)bytes, size);
            goto out;
        }

        /* Wait for the receive and check what came. */
        if (WSAWaitForMultipleEvents(1, &ev, FALSE, SM_WAIT_MS, FALSE) != WSA_WAIT_EVENT_0) {
            fprintf(stderr, "datagram %d did not arrive\n", i);
            CancelIo((HANDLE)rs);
            WSAWaitForMultipleEvents(1, &ev, FALSE, SM_WAIT_MS, FALSE);
            goto out;
        }
        bytes = 0;
        if (!WSAGetOverlappedResult(rs, &ov, &bytes, FALSE, &flags)) {
            fprintf(stderr, "WSARecvMsg completed with error %d\n", WSAGetLastError());
            goto out;
        }
        if (bytes != (DWORD)size || memcmp(in, out, (size_t)size) != 0) {
            fprintf(stderr, "datagram %d: %lu bytes, or different bytes than sent\n", i,
                    (unsigned long)bytes);
            goto out;
        }
        if (rmsg.dwFlags & (MSG_CTRUNC | MSG_TRUNC)) {
            fprintf(stderr, "datagram %d: truncated (dwFlags 0x%lx)\n", i, (unsigned long)rmsg.dwFlags);
            goto out;
        }
        if (!sm_same_addr((SOCKADDR *)&from, family == AF_INET
                                                 ? (const void *)&((SOCKADDR_IN *)&saddr)->sin_addr
                                                 : (const void *)&((SOCKADDR_IN6 *)&saddr)->sin6_addr) ||
            (family == AF_INET ? ((SOCKADDR_IN *)&from)->sin_port != ((SOCKADDR_IN *)&saddr)->sin_port
                               : ((SOCKADDR_IN6 *)&from)->sin6_port != ((SOCKADDR_IN6 *)&saddr)->sin6_port)) {
            fprintf(stderr, "datagram %d: not from the sender's address\n", i);
            goto out;
        }
        for (cmsg = WSA_CMSG_FIRSTHDR(&rmsg); cmsg != NULL; cmsg = WSA_CMSG_NXTHDR(&rmsg, cmsg)) {
            if (family == AF_INET && cmsg->cmsg_level == IPPROTO_IP && cmsg->cmsg_type == IP_PKTINFO) {
                IN_PKTINFO *pi = (IN_PKTINFO *)WSA_CMSG_DATA(cmsg);
                dst_addr = &pi->ipi_addr;
                found++;
            } else if (family == AF_INET6 && cmsg->cmsg_level == IPPROTO_IPV6 &&
                       cmsg->cmsg_type == IPV6_PKTINFO) {
                IN6_PKTINFO *pi = (IN6_PKTINFO *)WSA_CMSG_DATA(cmsg);
                dst_addr = &pi->ipi6_addr;
                found++;
            }
        }
        if (found != 1 || !sm_same_addr((SOCKADDR *)&raddr, dst_addr)) {
            fprintf(stderr, "datagram %d: %d packet-information messages, or another destination\n",
                    i, found);
            goto out;
        }
        if (i == 0 || i == count - 1)
            printf("datagram %d: %lu bytes verified, packet information names the destination %s\n",
                   i, (unsigned long)bytes, address);
    }
    printf("%d datagrams verified\n", count);
    result = 0;
out:
    fflush(stdout);
    if (ev != WSA_INVALID_EVENT)
        WSACloseEvent(ev);
    if (rs != INVALID_SOCKET)
        closesocket(rs);
    if (ss != INVALID_SOCKET)
        closesocket(ss);
    freeaddrinfo(res);
    return result;
}

#ifndef SENDMSG_NO_MAIN
int main(int argc, char **argv)
{
    const char *address = "127.0.0.1";
    int count = 10, size = 512, i, r;
    WSADATA wsa;

    for (i = 1; i < argc; i++) {
        if ((argv[i][0] != '-' && argv[i][0] != '/') || i + 1 >= argc) {
            fprintf(stderr, "usage: %s [-i ADDRESS] [-n COUNT] [-b SIZE]\n", argv[0]);
            return 2;
        }
        switch (argv[i][1]) {
        case 'i': address = argv[++i]; break;
        case 'n': count = atoi(argv[++i]); break;
        case 'b': size = atoi(argv[++i]); break;
        default:
            fprintf(stderr, "usage: %s [-i ADDRESS] [-n COUNT] [-b SIZE]\n", argv[0]);
            return 2;
        }
    }
    r = WSAStartup(MAKEWORD(2, 2), &wsa);
    if (r != 0) {
        fprintf(stderr, "WSAStartup failed with error %d\n", r);
        return 1;
    }
    r = sendmsg_run(address, count, size);
    WSACleanup();
    return r;
}
#endif
