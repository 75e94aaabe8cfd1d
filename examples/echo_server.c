/* A Windows-style TCP echo server: one thread, select() over the listening socket and every
 * connected client, echoing back whatever each client sends.
 *
 * Portable Windows C: builds unchanged with mingw-w64 / MSVC for Windows and, on Linux, against
 * ws2-uring:  cc -I include examples/echo_server.c -o echo_server -L target/release -lws2_32
 *
 * Usage: echo_server PORT [CLIENTS] [ADDRESS]
 *   PORT     port to listen on; 0 picks a free one (the chosen port is printed)
 *   CLIENTS  serve this many connections, then exit once they have all disconnected (default 1)
 *   ADDRESS  address to bind (default: every local address, via AI_PASSIVE)
 * The first line printed is "listening on ADDRESS:PORT". Exits 0 when every client was served.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CLIENTS 32
#define IDLE_LIMIT_SECONDS 30 /* give up if nothing happens for this long */

struct client {
    SOCKET s;
    int id;
    char peer[96];
    unsigned long long bytes;
    unsigned long reads;
};

static void describe(const struct sockaddr *sa, int len, char *out, size_t outlen)
{
    char host[64], port[16]; /* numeric forms only */
    if (getnameinfo(sa, len, host, sizeof(host), port, sizeof(port),
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
        snprintf(out, outlen, "?");
        return;
    }
    snprintf(out, outlen, "%s:%s", host, port);
}

/* send() until all of buf is gone; 0 on success. */
static int send_all(SOCKET s, const char *buf, int len)
{
    while (len > 0) {
        int n = send(s, buf, len, 0);
        if (n == SOCKET_ERROR)
            return -1;
        buf += n;
        len -= n;
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *port = argc > 1 ? argv[1] : "5555";
    int max_clients = argc > 2 ? atoi(argv[2]) : 1;
    const char *address = argc > 3 ? argv[3] : NULL;
    struct client clients[MAX_CLIENTS];
    int nclients = 0, accepted = 0, served = 0, failed = 0;
    static char buf[65536];
    struct addrinfo hints, *res = NULL;
    struct sockaddr_storage local;
    int locallen = sizeof(local);
    char where[96];
    SOCKET listener;
    WSADATA wsa;
    int r, i;

    if (max_clients < 1 || max_clients > MAX_CLIENTS) {
        fprintf(stderr, "echo_server: CLIENTS must be 1..%d\n", MAX_CLIENTS);
        return 2;
    }
    r = WSAStartup(MAKEWORD(2, 2), &wsa);
    if (r != 0) {
        fprintf(stderr, "echo_server: WSAStartup failed: %d\n", r);
        return 1;
    }

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    hints.ai_flags = AI_PASSIVE;
    r = getaddrinfo(address, port, &hints, &res);
    if (r != 0) {
        fprintf(stderr, "echo_server: getaddrinfo(%s, %s) failed: %d\n",
                address ? address : "(passive)", port, r);
        WSACleanup();
        return 1;
    }
    listener = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
    if (listener == INVALID_SOCKET) {
        fprintf(stderr, "echo_server: socket failed: %d\n", WSAGetLastError());
        freeaddrinfo(res);
        WSACleanup();
        return 1;
    }
    if (bind(listener, res->ai_addr, (int)res->ai_addrlen) == SOCKET_ERROR ||
        listen(listener, SOMAXCONN) == SOCKET_ERROR ||
        getsockname(listener, (struct sockaddr *)&local, &locallen) == SOCKET_ERROR) {
        fprintf(stderr, "echo_server: bind/listen on port %s failed: %d\n", port,
                WSAGetLastError());
        closesocket(listener);
        freeaddrinfo(res);
        WSACleanup();
        return 1;
    }
    freeaddrinfo(res);
    describe((struct sockaddr *)&local, locallen, where, sizeof(where));
    printf("listening on %s\n", where);
    fflush(stdout);

    /* Until every expected client has come and gone. */
    while (accepted < max_clients || nclients > 0) {
        fd_set readable;
        struct timeval tv;
        FD_ZERO(&readable);
        if (listener != INVALID_SOCKET)
            FD_SET(listener, &readable);
        for (i = 0; i < nclients; i++)
            FD_SET(clients[i].s, &readable);
        tv.tv_sec = IDLE_LIMIT_SECONDS;
        tv.tv_usec = 0;
        r = select(0, &readable, NULL, NULL, &tv);
        if (r == SOCKET_ERROR) {
            fprintf(stderr, "echo_server: select failed: %d\n", WSAGetLastError());
            failed = 1;
            break;
        }
        if (r == 0) {
            fprintf(stderr, "echo_server: nothing happened for %d s, giving up\n",
                    IDLE_LIMIT_SECONDS);
            failed = 1;
            break;
        }

        if (listener != INVALID_SOCKET && FD_ISSET(listener, &readable)) {
            struct sockaddr_storage peer;
            int peerlen = sizeof(peer);
            SOCKET s = accept(listener, (struct sockaddr *)&peer, &peerlen);
            if (s == INVALID_SOCKET) {
                fprintf(stderr, "echo_server: accept failed: %d\n", WSAGetLastError());
            } else {
                struct client *c = &clients[nclients++];
                c->s = s;
                c->id = ++accepted;
                c->bytes = 0;
                c->reads = 0;
                describe((struct sockaddr *)&peer, peerlen, c->peer, sizeof(c->peer));
                printf("client %d connected from %s\n", c->id, c->peer);
                fflush(stdout);
                if (accepted == max_clients) {
                    /* Nobody else is expected. */
                    closesocket(listener);
                    listener = INVALID_SOCKET;
                }
            }
        }

        for (i = 0; i < nclients; i++) {
            struct client *c = &clients[i];
            int n;
            if (!FD_ISSET(c->s, &readable))
                continue;
            n = recv(c->s, buf, (int)sizeof(buf), 0);
            if (n > 0) {
                c->bytes += (unsigned long long)n;
                c->reads++;
                if (send_all(c->s, buf, n) == 0)
                    continue;
                fprintf(stderr, "echo_server: client %d: send failed: %d\n", c->id,
                        WSAGetLastError());
                failed = 1;
            } else if (n == 0) {
                printf("client %d disconnected: echoed %llu bytes in %lu reads\n", c->id,
                       c->bytes, c->reads);
                fflush(stdout);
                served++;
            } else {
                fprintf(stderr, "echo_server: client %d: recv failed: %d\n", c->id,
                        WSAGetLastError());
                failed = 1;
            }
            closesocket(c->s);
            clients[i--] = clients[--nclients];
        }
    }

    for (i = 0; i < nclients; i++)
        closesocket(clients[i].s);
    if (listener != INVALID_SOCKET)
        closesocket(listener);
    WSACleanup();
    printf("served %d of %d clients%s\n", served, max_clients, failed ? ", with errors" : "");
    return failed || served != max_clients ? 1 : 0;
}
