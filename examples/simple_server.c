/* simple_server: a blocking TCP or UDP echo server for IPv4 and IPv6, the Winsock "simple" sample
 * form. getaddrinfo resolves the local interface (AI_PASSIVE when none is given, which may
 * return both an IPv4 and an IPv6 wildcard); one socket is created and bound per address, and one
 * thread (CreateThread) serves each: TCP accepts one client at a time and echoes with recv/send,
 * UDP echoes each datagram to its source with recvfrom/sendto. The main thread waits for all
 * of them with WaitForMultipleObjects.
 *
 * Usage: simple_server [-p TCP|UDP] [-e PORT] [-i INTERFACE] [-4] [-6] [-n COUNT]
 *   -p  protocol (default TCP)          -e  port (default 5001; 0 picks a free one)
 *   -i  local address to bind           -4 / -6  IPv4 or IPv6 only
 *   -n  serve COUNT TCP connections or echo COUNT datagrams per socket, then exit (default 1)
 * Exits 0 when every socket served COUNT clients/datagrams without an error.
 *
 * A program can include this file with SIMPLE_SERVER_NO_MAIN defined and call simple_server_run.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SS_BUFFER_LEN 4096
#define SS_MAX_SOCKETS 8
#define SS_TIMEOUT_MS 20000 /* SO_RCVTIMEO: no client for this long is an error */

struct ss_socket {
    SOCKET s;
    int count;  /* connections / datagrams to serve */
    int result; /* 0 when served */
};

/* Serve one socket: the per-address thread. */
static DWORD WINAPI ss_thread(LPVOID param)
{
    struct ss_socket *ss = (struct ss_socket *)param;
    SOCKET sc = INVALID_SOCKET;
    SOCKADDR_STORAGE from;
    char buffer[SS_BUFFER_LEN], host[NI_MAXHOST], serv[NI_MAXSERV];
    int type = 0, len = sizeof(type), served = 0, n;
    static const DWORD timeout = SS_TIMEOUT_MS;

    ss->result = 1;
    if (getsockopt(ss->s, SOL_SOCKET, SO_TYPE, (char *)&type, &len) == SOCKET_ERROR) {
        fprintf(stderr, "getsockopt(SO_TYPE) failed: %d\n", WSAGetLastError());
        return 1;
    }
    setsockopt(ss->s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&timeout, sizeof(timeout));
    while (served < ss->count) {
        int fromlen = sizeof(from);
        if (type == SOCK_STREAM) {
            if (sc == INVALID_SOCKET) {
                sc = accept(ss->s, (SOCKADDR *)&from, &fromlen);
                if (sc == INVALID_SOCKET) {
                    fprintf(stderr, "accept failed: %d\n", WSAGetLastError());
                    return 1;
                }
                setsockopt(sc, SOL_SOCKET, SO_RCVTIMEO, (const char *)&timeout, sizeof(timeout));
                if (getnameinfo((SOCKADDR *)&from, fromlen, host, NI_MAXHOST, serv, NI_MAXSERV,
                                NI_NUMERICHOST | NI_NUMERICSERV) == 0)
                    printf("Accepted connection from host %s and port %s\n", host, serv);
                continue;
            }
            n = recv(sc, buffer, SS_BUFFER_LEN, 0);
            if (n == SOCKET_ERROR) {
                fprintf(stderr, "recv failed: %d\n", WSAGetLastError());
                closesocket(sc);
                return 1;
            }
            if (n == 0) { /* the client closed: close our side too */
                if (shutdown(sc, SD_SEND) == SOCKET_ERROR) {
                    fprintf(stderr, "shutdown failed: %d\n", WSAGetLastError());
                    closesocket(sc);
                    return 1;
                }
                closesocket(sc);
                sc = INVALID_SOCKET;
                served++;
                printf("client %d done\n", served);
                continue;
            }
            printf("read %d bytes\n", n);
            for (len = 0; len < n;) {
                int w = send(sc, buffer + len, n - len, 0);
                if (w == SOCKET_ERROR) {
                    fprintf(stderr, "send failed: %d\n", WSAGetLastError());
                    closesocket(sc);
                    return 1;
                }
                len += w;
            }
            printf("wrote %d bytes\n", n);
        } else {
            n = recvfrom(ss->s, buffer, SS_BUFFER_LEN, 0, (SOCKADDR *)&from, &fromlen);
            if (n == SOCKET_ERROR) {
                /* an ICMP port unreachable from an earlier sendto shows as WSAECONNRESET */
                if (WSAGetLastError() == WSAECONNRESET)
                    continue;
                fprintf(stderr, "recvfrom failed: %d\n", WSAGetLastError());
                return 1;
            }
            if (getnameinfo((SOCKADDR *)&from, fromlen, host, NI_MAXHOST, serv, NI_MAXSERV,
                            NI_NUMERICHOST | NI_NUMERICSERV) == 0)
                printf("read %d bytes from host %s and port %s\n", n, host, serv);
            if (sendto(ss->s, buffer, n, 0, (SOCKADDR *)&from, fromlen) != n) {
                fprintf(stderr, "sendto failed: %d\n", WSAGetLastError());
                return 1;
            }
            printf("wrote %d bytes\n", n);
            served++;
        }
        fflush(stdout);
    }
    ss->result = 0;
    return 0;
}

/* Run the server. port_out (if not NULL) receives the port of the first socket and `ready` (if
 * not NULL) is set once every socket is bound (and listening, for TCP). Returns 0 on success. */
static int simple_server_run(int socket_type, int family, const char *iface, const char *port,
                             int count, unsigned short *port_out, HANDLE ready)
{
    struct addrinfo hints, *results = NULL, *ai;
    struct ss_socket socks[SS_MAX_SOCKETS];
    HANDLE threads[SS_MAX_SOCKETS];
    char host[NI_MAXHOST], serv[NI_MAXSERV];
    int nsocks = 0, nthreads = 0, i, r, result = 1;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = family;
    hints.ai_socktype = socket_type;
    hints.ai_protocol = socket_type == SOCK_DGRAM ? IPPROTO_UDP : IPPROTO_TCP;
    hints.ai_flags = iface == NULL ? AI_PASSIVE : 0;
    r = getaddrinfo(iface, port, &hints, &results);
    if (r != 0) {
        fprintf(stderr, "getaddrinfo failed: %d\n", r);
        return 1;
    }
    for (ai = results; ai != NULL && nsocks < SS_MAX_SOCKETS; ai = ai->ai_next) {
        struct sockaddr_storage bound;
        int boundlen = sizeof(bound);
        SOCKET s = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (s == INVALID_SOCKET) {
            fprintf(stderr, "socket failed: %d\n", WSAGetLastError());
            goto cleanup;
        }
        socks[nsocks].s = s;
        socks[nsocks].count = count;
        socks[nsocks].result = 1;
        nsocks++;
        if (ai->ai_family == AF_INET6) {
            /* only IPv6 on this one: the IPv4 address gets its own socket */
            DWORD on = 1;
            setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, (const char *)&on, sizeof(on));
        }
        if (bind(s, ai->ai_addr, (int)ai->ai_addrlen) == SOCKET_ERROR) {
            fprintf(stderr, "bind failed: %d\n", WSAGetLastError());
            goto cleanup;
        }
        if (ai->ai_socktype == SOCK_STREAM && listen(s, 7) == SOCKET_ERROR) {
            fprintf(stderr, "listen failed: %d\n", WSAGetLastError());
            goto cleanup;
        }
        if (getsockname(s, (SOCKADDR *)&bound, &boundlen) == SOCKET_ERROR ||
            getnameinfo((SOCKADDR *)&bound, boundlen, host, NI_MAXHOST, serv, NI_MAXSERV,
                        NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
            fprintf(stderr, "getsockname/getnameinfo failed: %d\n", WSAGetLastError());
            goto cleanup;
        }
        printf("socket 0x%llx bound to address %s and port %s\n", (unsigned long long)s, host, serv);
        if (nsocks == 1 && port_out != NULL)
            *port_out = (unsigned short)atoi(serv);
    }
    fflush(stdout);
    if (ready != NULL)
        SetEvent(ready);

    for (i = 0; i < nsocks; i++) {
        threads[i] = CreateThread(NULL, 0, ss_thread, &socks[i], 0, NULL);
        if (threads[i] == NULL) {
            fprintf(stderr, "CreateThread failed: %lu\n", (unsigned long)GetLastError());
            break;
        }
        nthreads++;
    }
    if (nthreads > 0 &&
        WaitForMultipleObjects((DWORD)nthreads, threads, TRUE, INFINITE) == WAIT_FAILED)
        fprintf(stderr, "WaitForMultipleObjects failed: %lu\n", (unsigned long)GetLastError());
    result = nthreads == nsocks && nsocks > 0 ? 0 : 1;
    for (i = 0; i < nthreads; i++) {
        if (socks[i].result != 0)
            result = 1;
        CloseHandle(threads[i]);
    }

cleanup:
    for (i = 0; i < nsocks; i++)
        closesocket(socks[i].s);
    freeaddrinfo(results);
    return result;
}

#ifndef SIMPLE_SERVER_NO_MAIN
static void ss_usage(const char *prog)
{
    fprintf(stderr,
            "usage: %s [-p TCP|UDP] [-e PORT] [-i INTERFACE] [-4] [-6] [-n COUNT]\n"
            "  -p protocol TCP or UDP (default TCP)   -e port (default 5001)\n"
            "  -i local address (default every one)   -4 / -6 IPv4 or IPv6 only\n"
            "  -n serve COUNT connections or datagrams per socket (default 1)\n",
            prog);
    exit(2);
}

int main(int argc, char **argv)
{
    int socket_type = SOCK_STREAM, family = AF_UNSPEC, count = 1, i, r;
    const char *iface = NULL, *port = "5001";
    WSADATA wsa;

    for (i = 1; i < argc; i++) {
        if (strlen(argv[i]) != 2 || (argv[i][0] != '-' && argv[i][0] != '/'))
            ss_usage(argv[0]);
        switch (argv[i][1]) {
        case '4': family = AF_INET; break;
        case '6': family = AF_INET6; break;
        case 'p':
            if (i + 1 >= argc)
                ss_usage(argv[0]);
            i++;
            if (strcmp(argv[i], "TCP") == 0 || strcmp(argv[i], "tcp") == 0)
                socket_type = SOCK_STREAM;
            else if (strcmp(argv[i], "UDP") == 0 || strcmp(argv[i], "udp") == 0)
                socket_type = SOCK_DGRAM;
            else
                ss_usage(argv[0]);
            break;
        case 'i': if (i + 1 >= argc) ss_usage(argv[0]); iface = argv[++i]; break;
        case 'e': if (i + 1 >= argc) ss_usage(argv[0]); port = argv[++i]; break;
        case 'n': if (i + 1 >= argc) ss_usage(argv[0]); count = atoi(argv[++i]); break;
        default: ss_usage(argv[0]);
        }
    }
    if (count < 1)
        ss_usage(argv[0]);
    r = WSAStartup(MAKEWORD(2, 2), &wsa);
    if (r != 0) {
        fprintf(stderr, "WSAStartup failed with error %d\n", r);
        return 1;
    }
    r = simple_server_run(socket_type, family, iface, port, count, NULL, NULL);
    WSACleanup();
    return r;
}
#endif
