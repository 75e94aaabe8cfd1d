/* wsapoll: a non-blocking TCP client and echo server driven by WSAPoll in one thread, the Winsock
 * "wsapoll" sample form. A listening socket and a client socket are made non-blocking with
 * ioctlsocket(FIONBIO); the client connects (WSAEWOULDBLOCK, then POLLWRNORM says it is
 * connected), the listener's POLLRDNORM says a connection can be accepted, and from there on one
 * WSAPoll call watches all three sockets: the client sends its stream when writable, the server
 * end echoes what it reads, the client checks every byte it gets back. At the end the client
 * shuts its sending side down and both ends see the orderly close.
 *
 * Usage: wsapoll [-i ADDRESS] [-e PORT] [-n BYTES]
 *   -i  loopback address to use (default 127.0.0.1; ::1 for IPv6)
 *   -e  port (default 0: a free one)   -n  bytes to send through (default 1000000)
 * Exits 0 when every byte came back intact.
 *
 * A program can include this file with WSAPOLL_NO_MAIN defined and call wsapoll_run.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WP_BUFSIZE 8192
#define WP_POLL_MS 10000 /* nothing ready for this long is an error */

static char wp_pattern(long long i)
{
    return (char)((i * 7 + (i >> 10)) & 0xff);
}

/* Returns 0 when all `total` bytes were echoed and verified. */
static int wsapoll_run(const char *address, const char *port, long long total)
{
    struct addrinfo hints, *res = NULL;
    struct sockaddr_storage bound;
    int boundlen = sizeof(bound), result = 1, r, i;
    SOCKET lsock = INVALID_SOCKET, csock = INVALID_SOCKET, asock = INVALID_SOCKET;
    u_long nonblocking = 1;
    WSAPOLLFD fds[3], none, *lfd, *cfd, *afd;
    ULONG nfds;
    char cbuf[WP_BUFSIZE], sbuf[WP_BUFSIZE];
    long long sent = 0, received = 0;
    int pending = 0, pending_off = 0; /* server side: echo bytes not yet sent */
    int connected = 0, client_shut = 0, server_closed = 0, polls = 0;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    hints.ai_flags = AI_NUMERICHOST;
    r = getaddrinfo(address, port, &hints, &res);
    if (r != 0) {
        fprintf(stderr, "getaddrinfo failed: %d\n", r);
        return 1;
    }
    lsock = socket(res->ai_family, SOCK_STREAM, IPPROTO_TCP);
    csock = socket(res->ai_family, SOCK_STREAM, IPPROTO_TCP);
    if (lsock == INVALID_SOCKET || csock == INVALID_SOCKET) {
        fprintf(stderr, "socket failed: %d\n", WSAGetLastError());
        goto out;
    }
    if (bind(lsock, res->ai_addr, (int)res->ai_addrlen) == SOCKET_ERROR ||
        listen(lsock, 1) == SOCKET_ERROR ||
        getsockname(lsock, (SOCKADDR *)&bound, &boundlen) == SOCKET_ERROR) {
        fprintf(stderr, "bind/listen failed: %d\n", WSAGetLastError());
        goto out;
    }
    if (ioctlsocket(lsock, FIONBIO, &nonblocking) == SOCKET_ERROR ||
        ioctlsocket(csock, FIONBIO, &nonblocking) == SOCKET_ERROR) {
        fprintf(stderr, "ioctlsocket(FIONBIO) failed: %d\n", WSAGetLastError());
        goto out;
    }
    printf("listening; the client connects without blocking\n");
    if (connect(csock, (SOCKADDR *)&bound, boundlen) == SOCKET_ERROR &&
        WSAGetLastError() != WSAEWOULDBLOCK) {
        fprintf(stderr, "connect failed: %d\n", WSAGetLastError());
        goto out;
    }

    while (!(server_closed && client_shut == 2 && received == total)) {
        int n = 0;
        /* The array holds only the sockets of interest now: the listener until it accepted,
         * the client, the server end until it closed. */
        memset(fds, 0, sizeof(fds));
        memset(&none, 0, sizeof(none));
        nfds = 0;
        lfd = afd = &none;
        if (asock == INVALID_SOCKET) {
            lfd = &fds[nfds++];
            lfd->fd = lsock;
            lfd->events = POLLRDNORM;
        }
        cfd = &fds[nfds++];
        cfd->fd = csock;
        cfd->events = (SHORT)(!connected || sent < total ? POLLWRNORM : 0);
        if (connected)
            cfd->events |= POLLRDNORM;
        if (asock != INVALID_SOCKET && !server_closed) {
            afd = &fds[nfds++];
            afd->fd = asock;
            afd->events = (SHORT)(pending > 0 ? POLLWRNORM : POLLRDNORM);
        }

        n = WSAPoll(fds, nfds, WP_POLL_MS);
        polls++;
        if (n == SOCKET_ERROR) {
            fprintf(stderr, "WSAPoll failed: %d\n", WSAGetLastError());
            goto out;
        }
        if (n == 0) {
            fprintf(stderr, "WSAPoll: nothing ready for %d ms\n", WP_POLL_MS);
            goto out;
        }
        for (i = 0; i < (int)nfds; i++)
            if (fds[i].revents & (POLLERR | POLLNVAL)) {
                fprintf(stderr, "WSAPoll: socket %d reports revents 0x%x\n", i, fds[i].revents);
                goto out;
            }

        /* the listener: accept the connection */
        if (lfd->revents & POLLRDNORM) {
            asock = accept(lsock, NULL, NULL);
            if (asock == INVALID_SOCKET) {
                fprintf(stderr, "accept failed: %d\n", WSAGetLastError());
                goto out;
            }
            if (ioctlsocket(asock, FIONBIO, &nonblocking) == SOCKET_ERROR) {
                fprintf(stderr, "ioctlsocket(FIONBIO) failed: %d\n", WSAGetLastError());
                goto out;
            }
            printf("server: accepted the connection\n");
        }

        /* the client: connected, then sending, then reading the echo */
        if ((cfd->revents & POLLWRNORM) && !connected) {
            connected = 1;
            printf("client: connected\n");
        } else if ((cfd->revents & POLLWRNORM) && sent < total) {
            int len = (int)(total - sent < WP_BUFSIZE ? total - sent : WP_BUFSIZE), k;
            for (k = 0; k < len; k++)
                cbuf[k] = wp_pattern(sent + k);
            r = send(csock, cbuf, len, 0);
            if (r == SOCKET_ERROR && WSAGetLastError() != WSAEWOULDBLOCK) {
                fprintf(stderr, "client send failed: %d\n", WSAGetLastError());
                goto out;
            }
            if (r > 0)
                sent += r;
        }
        if (cfd->revents & (POLLRDNORM | POLLHUP)) {
            r = recv(csock, cbuf, WP_BUFSIZE, 0);
            if (r == SOCKET_ERROR && WSAGetLastError() != WSAEWOULDBLOCK) {
                fprintf(stderr, "client recv failed: %d\n", WSAGetLastError());
                goto out;
            }
            if (r == 0) {
                if (received != total) {
                    fprintf(stderr, "client: the server closed after %lld of %lld bytes\n",
                            received, total);
                    goto out;
                }
                client_shut = 2; /* both directions are closed */
                printf("client: the server closed too\n");
            }
            for (i = 0; i < r; i++, received++)
                if (cbuf[i] != wp_pattern(received)) {
                    fprintf(stderr, "client: byte %lld of the echo differs\n", received);
                    goto out;
                }
        }
        if (received == total && sent == total && client_shut == 0) {
            shutdown(csock, SD_SEND);
            client_shut = 1;
            printf("client: all %lld bytes verified, sending side shut down\n", received);
        }

        /* the server end: read, then echo what was read */
        if (afd->revents & (POLLRDNORM | POLLHUP)) {
            r = recv(asock, sbuf, WP_BUFSIZE, 0);
            if (r == SOCKET_ERROR && WSAGetLastError() != WSAEWOULDBLOCK) {
                fprintf(stderr, "server recv failed: %d\n", WSAGetLastError());
                goto out;
            }
            if (r == 0) {
                printf("server: the client closed; closing\n");
                shutdown(asock, SD_SEND);
                server_closed = 1;
            } else if (r > 0) {
                pending = r;
                pending_off = 0;
            }
        } else if ((afd->revents & POLLWRNORM) && pending > 0) {
            r = send(asock, sbuf + pending_off, pending, 0);
            if (r == SOCKET_ERROR && WSAGetLastError() != WSAEWOULDBLOCK) {
                fprintf(stderr, "server send failed: %d\n", WSAGetLastError());
                goto out;
            }
            if (r > 0) {
                pending -= r;
                pending_off += r;
            }
        }
    }
    printf("%lld bytes echoed and verified in %d WSAPoll calls\n", received, polls);
    result = 0;
out:
    fflush(stdout);
    if (asock != INVALID_SOCKET)
        closesocket(asock);
    if (csock != INVALID_SOCKET)
        closesocket(csock);
    if (lsock != INVALID_SOCKET)
        closesocket(lsock);
    freeaddrinfo(res);
    return result;
}

#ifndef WSAPOLL_NO_MAIN
int main(int argc, char **argv)
{
    const char *address = "127.0.0.1", *port = "0";
    long long total = 1000000;
    int i, r;
    WSADATA wsa;

    for (i = 1; i < argc; i++) {
        if ((argv[i][0] != '-' && argv[i][0] != '/') || i + 1 >= argc) {
            fprintf(stderr, "usage: %s [-i ADDRESS] [-e PORT] [-n BYTES]\n", argv[0]);
            return 2;
        }
        switch (argv[i][1]) {
        case 'i': address = argv[++i]; break;
        case 'e': port = argv[++i]; break;
        case 'n': total = atoll(argv[++i]); break;
        default:
            fprintf(stderr, "usage: %s [-i ADDRESS] [-e PORT] [-n BYTES]\n", argv[0]);
            return 2;
        }
    }
    r = WSAStartup(MAKEWORD(2, 2), &wsa);
    if (r != 0) {
        fprintf(stderr, "WSAStartup failed with error %d\n", r);
        return 1;
    }
    r = wsapoll_run(address, port, total);
    WSACleanup();
    return r;
}
#endif
