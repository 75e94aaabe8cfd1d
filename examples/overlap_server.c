/* overlap_server: a TCP echo server on overlapped I/O with event notification, the Winsock
 * "overlap" sample form. One thread; an array of event handles, each with a parallel state entry:
 * entry 0 is an AcceptEx (found with WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER)) pending on the
 * listener, the others are connections alternating an overlapped WSARecv and WSASend. The loop
 * waits with WSAWaitForMultipleEvents, resets the signalled event (WSAResetEvent), reads the result
 * with WSAGetOverlappedResult and posts the next operation; a finished connection is closed and
 * the arrays compacted.
 *
 * Usage: overlap_server [-e PORT] [-i INTERFACE] [-n COUNT]
 *   -e  port (default 5001; 0 picks a free one)   -i  local address to bind (default: wildcard)
 *   -n  exit after COUNT connections were served (default 1)
 * Exits 0 when COUNT connections were served without an error.
 *
 * A program can include this file with OVERLAP_SERVER_NO_MAIN defined and call
 * overlap_server_run.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OS_MAX_IO_PEND 10 /* events watched at once: the listener plus 9 connections */
#define OS_BUFSIZE 4096
#define OS_ADDRLEN ((DWORD)sizeof(SOCKADDR_STORAGE) + 16)
#define OS_IDLE_MS 20000 /* nothing completing for this long is an error */

enum { OS_OP_ACCEPT, OS_OP_READ, OS_OP_WRITE };

struct os_entry {
    WSAOVERLAPPED *overlap;
    SOCKET sock;          /* the listener for entry 0, else the connection */
    SOCKET sock_accepted; /* entry 0: the socket AcceptEx fills */
    int op;
    DWORD off, len;       /* OS_OP_WRITE: buffer[off..len) still to send */
    char buffer[OS_BUFSIZE];
    WSABUF databuf;
};

struct os_state {
    WSAEVENT handles[OS_MAX_IO_PEND];
    /* Entries are allocated one by one: an operation in flight points into its entry's buffer,
     * so compaction moves the pointers, never the entries. */
    struct os_entry *list[OS_MAX_IO_PEND];
    int curr_size;
    int family;
    LPFN_ACCEPTEX pfnAcceptEx;
    char accept_buffer[2 * OS_ADDRLEN];
    int served, errors;
    int accept_pending;
};

/* Contexts come from the process heap (HeapAlloc with HEAP_ZERO_MEMORY); NULL is allowed here. */
static void os_free(void *p)
{
    if (p != NULL)
        HeapFree(GetProcessHeap(), 0, p);
}

static void os_err(struct os_state *st, const char *what, int err)
{
    fprintf(stderr, "%s failed with error: %d\n", what, err);
    st->errors++;
}

/* Queue an AcceptEx on entry 0 (which keeps its OVERLAPPED and event). */
static int os_post_accept(struct os_state *st)
{
    struct os_entry *e = st->list[0];
    DWORD bytes = 0;
    e->sock_accepted = WSASocketW(st->family, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    if (e->sock_accepted == INVALID_SOCKET) {
        os_err(st, "WSASocket", WSAGetLastError());
        return -1;
    }
    memset(e->overlap, 0, sizeof(*e->overlap));
    e->overlap->hEvent = st->handles[0];
    e->op = OS_OP_ACCEPT;
    if (!st->pfnAcceptEx(e->sock, e->sock_accepted, st->accept_buffer, 0, OS_ADDRLEN, OS_ADDRLEN,
                         &bytes, e->overlap) &&
        WSAGetLastError() != WSA_IO_PENDING) {
        os_err(st, "AcceptEx", WSAGetLastError());
        closesocket(e->sock_accepted);
        e->sock_accepted = INVALID_SOCKET;
        return -1;
    }
    st->accept_pending = 1;
    return 0;
}

static int os_post_recv(struct os_state *st, struct os_entry *e, WSAEVENT ev)
{
    DWORD bytes = 0, flags = 0;
    memset(e->overlap, 0, sizeof(*e->overlap));
    e->overlap->hEvent = ev;
    e->op = OS_OP_READ;
    e->databuf.buf = e->buffer;
    e->databuf.len = OS_BUFSIZE;
    if (WSARecv(e->sock, &e->databuf, 1, &bytes, &flags, e->overlap, NULL) == SOCKET_ERROR &&
        WSAGetLastError() != WSA_IO_PENDING) {
        os_err(st, "WSARecv", WSAGetLastError());
        return -1;
    }
    return 0;
}

static int os_post_send(struct os_state *st, struct os_entry *e, WSAEVENT ev)
{
    DWORD bytes = 0;
    memset(e->overlap, 0, sizeof(*e->overlap));
    e->overlap->hEvent = ev;
    e->op = OS_OP_WRITE;
    e->databuf.buf = e->buffer + e->off;
    e->databuf.len = e->len - e->off;
    if (WSASend(e->sock, &e->databuf, 1, &bytes, 0, e->overlap, NULL) == SOCKET_ERROR &&
        WSAGetLastError() != WSA_IO_PENDING) {
        os_err(st, "WSASend", WSAGetLastError());
        return -1;
    }
    return 0;
}

/* Close connection `index` and move the last entry into its place, so that the first curr_size
 * handles stay valid for WSAWaitForMultipleEvents. With `pending`, an operation is still in
 * flight: closing the socket cancels it, and its completion (which writes the OVERLAPPED and
 * signals the event) is waited for before the OVERLAPPED is freed. */
static void os_remove(struct os_state *st, int index, int pending)
{
    closesocket(st->list[index]->sock);
    if (pending)
        WSAWaitForMultipleEvents(1, &st->handles[index], FALSE, 5000, FALSE);
    WSACloseEvent(st->handles[index]);
    os_free(st->list[index]->overlap);
    os_free(st->list[index]);
    st->curr_size--;
    if (index != st->curr_size) {
        st->handles[index] = st->handles[st->curr_size];
        st->list[index] = st->list[st->curr_size];
    }
    st->handles[st->curr_size] = WSA_INVALID_EVENT;
}

static void os_handle_event(struct os_state *st, int index)
{
    struct os_entry *e = st->list[index];
    DWORD bytes = 0, flags = 0;
    BOOL okay;

    if (!WSAResetEvent(st->handles[index]))
        os_err(st, "WSAResetEvent", WSAGetLastError());
    okay = WSAGetOverlappedResult(e->sock, e->overlap, &bytes, FALSE, &flags);

    if (index == 0) { /* a connection arrived on the listener */
        SOCKET s = e->sock_accepted;
        e->sock_accepted = INVALID_SOCKET;
        st->accept_pending = 0;
        if (!okay) {
            os_err(st, "AcceptEx (WSAGetOverlappedResult)", WSAGetLastError());
            closesocket(s);
        } else if (setsockopt(s, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&e->sock,
                              sizeof(e->sock)) == SOCKET_ERROR) {
            os_err(st, "setsockopt(SO_UPDATE_ACCEPT_CONTEXT)", WSAGetLastError());
            closesocket(s);
        } else if (st->curr_size >= OS_MAX_IO_PEND) {
            fprintf(stderr, "Too many pending requests: connection refused\n");
            closesocket(s);
            st->errors++;
        } else {
            int n = st->curr_size;
            struct os_entry *c = (struct os_entry *)HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY,
                                                              sizeof(struct os_entry));
            if (c != NULL)
                c->overlap = (WSAOVERLAPPED *)HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY,
                                                        sizeof(WSAOVERLAPPED));
            st->handles[n] = WSACreateEvent();
            if (c == NULL || c->overlap == NULL || st->handles[n] == WSA_INVALID_EVENT) {
                os_err(st, "HeapAlloc/WSACreateEvent", WSAGetLastError());
                if (st->handles[n] != WSA_INVALID_EVENT)
                    WSACloseEvent(st->handles[n]);
                st->handles[n] = WSA_INVALID_EVENT;
                if (c != NULL)
                    os_free(c->overlap);
                os_free(c);
                closesocket(s);
            } else {
                c->sock = s;
                st->list[n] = c;
                st->curr_size++;
                printf("accepted a connection (%d open)\n", st->curr_size - 1);
                if (os_post_recv(st, c, st->handles[n]) != 0)
                    os_remove(st, n, 0);
            }
        }
        os_post_accept(st);
        return;
    }

    if (!okay) {
        os_err(st, e->op == OS_OP_READ ? "WSARecv (WSAGetOverlappedResult)"
                                       : "WSASend (WSAGetOverlappedResult)",
               WSAGetLastError());
        os_remove(st, index, 0);
        return;
    }
    if (e->op == OS_OP_READ) {
        if (bytes == 0) { /* the client closed */
            st->served++;
            printf("connection closed by the client (%d served)\n", st->served);
            os_remove(st, index, 0);
            return;
        }
        e->off = 0;
        e->len = bytes;
        if (os_post_send(st, e, st->handles[index]) != 0)
            os_remove(st, index, 0);
    } else {
        e->off += bytes;
        if ((e->off < e->len ? os_post_send(st, e, st->handles[index])
                             : os_post_recv(st, e, st->handles[index])) != 0)
            os_remove(st, index, 0);
    }
}

/* Run the server. port_out (if not NULL) receives the bound port and `ready` (if not NULL) is
 * set once it listens. Returns 0 when `count` connections were served without an error. */
static int overlap_server_run(const char *iface, const char *port, int count,
                              unsigned short *port_out, HANDLE ready)
{
    struct os_state *st =
        (struct os_state *)HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(struct os_state));
    struct addrinfo hints, *local = NULL;
    struct sockaddr_storage bound;
    int boundlen = sizeof(bound), i, result = 1;
    char host[NI_MAXHOST], serv[NI_MAXSERV];
    GUID acceptex_guid = WSAID_ACCEPTEX;
    DWORD bytes = 0;
    SOCKET listen_socket = INVALID_SOCKET;

    if (st == NULL)
        return 1;
    for (i = 0; i < OS_MAX_IO_PEND; i++)
        st->handles[i] = WSA_INVALID_EVENT;
    st->list[0] =
        (struct os_entry *)HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(struct os_entry));
    if (st->list[0] == NULL) {
        os_free(st);
        return 1;
    }
    st->list[0]->sock_accepted = INVALID_SOCKET;
    memset(&hints, 0, sizeof(hints));
    hints.ai_flags = iface != NULL ? 0 : AI_PASSIVE;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    if (getaddrinfo(iface, port, &hints, &local) != 0 || local == NULL) {
        os_err(st, "getaddrinfo", WSAGetLastError());
        goto out;
    }
    st->family = local->ai_family;
    listen_socket = WSASocketW(local->ai_family, local->ai_socktype, local->ai_protocol, NULL, 0,
                               WSA_FLAG_OVERLAPPED);
    if (listen_socket == INVALID_SOCKET) {
        os_err(st, "WSASocket", WSAGetLastError());
        goto out;
    }
    if (bind(listen_socket, local->ai_addr, (int)local->ai_addrlen) == SOCKET_ERROR ||
        listen(listen_socket, 5) == SOCKET_ERROR ||
        getsockname(listen_socket, (SOCKADDR *)&bound, &boundlen) == SOCKET_ERROR) {
        os_err(st, "bind/listen", WSAGetLastError());
        goto out;
    }
    if (getnameinfo((SOCKADDR *)&bound, boundlen, host, NI_MAXHOST, serv, NI_MAXSERV,
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
        os_err(st, "getnameinfo", WSAGetLastError());
        goto out;
    }
    if (WSAIoctl(listen_socket, SIO_GET_EXTENSION_FUNCTION_POINTER, &acceptex_guid,
                 sizeof(acceptex_guid), &st->pfnAcceptEx, sizeof(st->pfnAcceptEx), &bytes, NULL,
                 NULL) == SOCKET_ERROR) {
        os_err(st, "WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER)", WSAGetLastError());
        goto out;
    }
    st->list[0]->sock = listen_socket;
    st->list[0]->overlap =
        (WSAOVERLAPPED *)HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(WSAOVERLAPPED));
    st->handles[0] = WSACreateEvent();
    if (st->list[0]->overlap == NULL || st->handles[0] == WSA_INVALID_EVENT) {
        os_err(st, "WSACreateEvent", WSAGetLastError());
        goto out;
    }
    st->curr_size = 1;
    if (os_post_accept(st) != 0)
        goto out;
    printf("Listening on %s:%s\n", host, serv);
    fflush(stdout);
    if (port_out != NULL)
        *port_out = (unsigned short)atoi(serv);
    if (ready != NULL)
        SetEvent(ready);

    while (st->served < count && st->errors == 0) {
        DWORD w = WSAWaitForMultipleEvents((DWORD)st->curr_size, st->handles, FALSE, OS_IDLE_MS,
                                           FALSE);
        if (w == WSA_WAIT_FAILED) {
            os_err(st, "WSAWaitForMultipleEvents", WSAGetLastError());
            break;
        }
        if (w == WSA_WAIT_TIMEOUT) {
            os_err(st, "WSAWaitForMultipleEvents (nothing happened)", WSA_WAIT_TIMEOUT);
            break;
        }
        os_handle_event(st, (int)(w - WSA_WAIT_EVENT_0));
        fflush(stdout);
    }
    printf("%d connections served, %d errors\n", st->served, st->errors);
    fflush(stdout);
    result = st->served == count && st->errors == 0 ? 0 : 1;

out:
    /* Closing the sockets cancels what is still pending; then the events and OVERLAPPEDs go. */
    while (st->curr_size > 1)
        os_remove(st, st->curr_size - 1, 1);
    if (listen_socket != INVALID_SOCKET)
        closesocket(listen_socket);
    if (st->accept_pending) /* the AcceptEx is cancelled by the close: wait for its completion */
        WSAWaitForMultipleEvents(1, &st->handles[0], FALSE, 5000, FALSE);
    if (st->list[0]->sock_accepted != INVALID_SOCKET)
        closesocket(st->list[0]->sock_accepted);
    if (st->handles[0] != WSA_INVALID_EVENT)
        WSACloseEvent(st->handles[0]);
    os_free(st->list[0]->overlap);
    os_free(st->list[0]);
    if (local != NULL)
        freeaddrinfo(local);
    os_free(st);
    return result;
}

#ifndef OVERLAP_SERVER_NO_MAIN
int main(int argc, char **argv)
{
    const char *iface = NULL, *port = "5001";
    int count = 1, i, r;
    WSADATA wsa;

    for (i = 1; i < argc; i++) {
        if ((argv[i][0] != '-' && argv[i][0] != '/') || i + 1 >= argc) {
            fprintf(stderr, "usage: %s [-e PORT] [-i INTERFACE] [-n COUNT]\n", argv[0]);
            return 2;
        }
        switch (argv[i][1]) {
        case 'i': iface = argv[++i]; break;
        case 'e': port = argv[++i]; break;
        case 'n': count = atoi(argv[++i]); break;
        default:
            fprintf(stderr, "usage: %s [-e PORT] [-i INTERFACE] [-n COUNT]\n", argv[0]);
            return 2;
        }
    }
    r = WSAStartup(MAKEWORD(2, 2), &wsa);
    if (r != 0) {
        fprintf(stderr, "WSAStartup failed with error %d\n", r);
        return 1;
    }
    r = overlap_server_run(iface, port, count, NULL, NULL);
    WSACleanup();
    return r;
}
#endif
