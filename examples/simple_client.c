/* simple_client: the blocking TCP or UDP client of the Winsock "simple" sample form. getaddrinfo
 * resolves the server name (IPv4 or IPv6); the client tries each address until connect succeeds
 * (TCP), then sends LOOP buffers and checks each echo byte for byte (UDP: sendto/recvfrom, each
 * datagram checked whole). Every wait is bounded by SO_RCVTIMEO.
 *
 * Usage: simple_client [-p TCP|UDP] [-n SERVER] [-e PORT] [-4] [-6] [-l LOOP] [-b SIZE]
 *   -p  protocol (default TCP)            -n  server name or address (default localhost)
 *   -e  port (default 5001)               -4 / -6  IPv4 or IPv6 only
 *   -l  buffers to send (default 5)       -b  bytes per buffer (default 512, at most 4096)
 * Exits 0 when every echo came back intact.
 *
 * A program can include this file with SIMPLE_CLIENT_NO_MAIN defined and call simple_client_run.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SC_MAX_BUFFER 4096
#define SC_TIMEOUT_MS 10000

/* Returns 0 when every buffer was echoed intact. */
static int simple_client_run(int socket_type, int family, const char *server, const char *port,
                             int loops, int size)
{
    struct addrinfo hints, *results = NULL, *ai;
    SOCKET s = INVALID_SOCKET;
    char out[SC_MAX_BUFFER], in[SC_MAX_BUFFER], host[NI_MAXHOST], serv[NI_MAXSERV];
    static const DWORD timeout = SC_TIMEOUT_MS;
    int i, r, loop, result = 1;
    struct sockaddr_storage peer;
    int peerlen = 0;

    if (size < 1 || size > SC_MAX_BUFFER || loops < 1) {
        fprintf(stderr, "simple_client: bad buffer size or loop count\n");
        return 2;
    }
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = family;
    hints.ai_socktype = socket_type;
    hints.ai_protocol = socket_type == SOCK_DGRAM ? IPPROTO_UDP : IPPROTO_TCP;
    r = getaddrinfo(server, port, &hints, &results);
    if (r != 0) {
        fprintf(stderr, "getaddrinfo failed: %d\n", r);
        return 1;
    }
    for (ai = results; ai != NULL; ai = ai->ai_next) {
        s = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (s == INVALID_SOCKET) {
            fprintf(stderr, "socket failed: %d\n", WSAGetLastError());
            continue;
        }
        if (getnameinfo(ai->ai_addr, (int)ai->ai_addrlen, host, NI_MAXHOST, serv, NI_MAXSERV,
                        NI_NUMERICHOST | NI_NUMERICSERV) == 0)
            printf("Client attempting connection to: %s port: %s\n", host, serv);
        if (socket_type == SOCK_DGRAM || connect(s, ai->ai_addr, (int)ai->ai_addrlen) == 0) {
            memcpy(&peer, ai->ai_addr, ai->ai_addrlen);
            peerlen = (int)ai->ai_addrlen;
            break;
        }
        fprintf(stderr, "connect failed: %d\n", WSAGetLastError());
        closesocket(s);
        s = INVALID_SOCKET;
    }
    freeaddrinfo(results);
    if (s == INVALID_SOCKET) {
        fprintf(stderr, "Unable to establish connection\n");
        return 1;
    }
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&timeout, sizeof(timeout));

    for (loop = 0; loop < loops; loop++) {
        int got = 0;
        for (i = 0; i < size; i++)
            out[i] = (char)('a' + (i + loop) % 26);
        if (socket_type == SOCK_STREAM) {
            for (i = 0; i < size;) {
                r = send(s, out + i, size - i, 0);
                if (r == SOCKET_ERROR) {
                    fprintf(stderr, "send failed: %d\n", WSAGetLastError());
                    goto done;
                }
                i += r;
            }
            printf("wrote %d bytes\n", size);
            while (got < size) {
                r = recv(s, in + got, size - got, 0);
                if (r == SOCKET_ERROR || r == 0) {
                    fprintf(stderr, "recv failed: %d (returned %d)\n", WSAGetLastError(), r);
                    goto done;
                }
                got += r;
            }
        } else {
            struct sockaddr_storage from;
            int fromlen = sizeof(from);
            r = sendto(s, out, size, 0, (SOCKADDR *)&peer, peerlen);
            if (r != size) {
                fprintf(stderr, "sendto failed: %d\n", WSAGetLastError());
                goto done;
            }
            printf("wrote %d bytes\n", size);
            got = recvfrom(s, in, SC_MAX_BUFFER, 0, (SOCKADDR *)&from, &fromlen);
            if (got == SOCKET_ERROR) {
                fprintf(stderr, "recvfrom failed: %d\n", WSAGetLastError());
                goto done;
            }
            if (got != size) {
                fprintf(stderr, "datagram of %d bytes, sent %d\n", got, size);
                goto done;
            }
        }
        if (memcmp(in, out, (size_t)size) != 0) {
            fprintf(stderr, "echo %d differs from what was sent\n", loop);
            goto done;
        }
        printf("read %d bytes, verified\n", got);
    }
    if (socket_type == SOCK_STREAM) {
        /* orderly close: our FIN, then the server's (recv returns 0) */
        shutdown(s, SD_SEND);
        r = recv(s, in, 1, 0);
        if (r != 0) {
            fprintf(stderr, "expected the server's close, recv returned %d (%d)\n", r,
                    WSAGetLastError());
            goto done;
        }
    }
    printf("%d buffers of %d bytes echoed and verified\n", loops, size);
    result = 0;
done:
    fflush(stdout);
    closesocket(s);
    return result;
}

#ifndef SIMPLE_CLIENT_NO_MAIN
static void sc_usage(const char *prog)
{
    fprintf(stderr,
            "usage: %s [-p TCP|UDP] [-n SERVER] [-e PORT] [-4] [-6] [-l LOOP] [-b SIZE]\n", prog);
    exit(2);
}

int main(int argc, char **argv)
{
    int socket_type = SOCK_STREAM, family = AF_UNSPEC, loops = 5, size = 512, i, r;
    const char *server = "localhost", *port = "5001";
    WSADATA wsa;

    for (i = 1; i < argc; i++) {
        if (strlen(argv[i]) != 2 || (argv[i][0] != '-' && argv[i][0] != '/'))
            sc_usage(argv[0]);
        if (argv[i][1] == '4') {
            family = AF_INET;
            continue;
        }
        if (argv[i][1] == '6') {
            family = AF_INET6;
            continue;
        }
        if (i + 1 >= argc)
            sc_usage(argv[0]);
        switch (argv[i][1]) {
        case 'p':
            i++;
            if (strcmp(argv[i], "TCP") == 0 || strcmp(argv[i], "tcp") == 0)
                socket_type = SOCK_STREAM;
            else if (strcmp(argv[i], "UDP") == 0 || strcmp(argv[i], "udp") == 0)
                socket_type = SOCK_DGRAM;
            else
                sc_usage(argv[0]);
            break;
        case 'n': server = argv[++i]; break;
        case 'e': port = argv[++i]; break;
        case 'l': loops = atoi(argv[++i]); break;
        case 'b': size = atoi(argv[++i]); break;
        default: sc_usage(argv[0]);
        }
    }
    r = WSAStartup(MAKEWORD(2, 2), &wsa);
    if (r != 0) {
        fprintf(stderr, "WSAStartup failed with error %d\n", r);
        return 1;
    }
    r = simple_client_run(socket_type, family, server, port, loops, size);
    WSACleanup();
    return r;
}
#endif
