/* A Windows I/O completion port echo server, in the usual form:
 *   - one completion port; worker threads (one per processor) in GetQueuedCompletionStatus;
 *   - AcceptEx (found with WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER)) pre-posted on the
 *     listener, each with a receive buffer, so an accept completes with the client's first data;
 *     SO_UPDATE_ACCEPT_CONTEXT on every accepted socket, which is then associated with the port;
 *   - per-I/O context structs holding the OVERLAPPED; WSARecv and WSASend posted over and over;
 *   - a CRITICAL_SECTION around the shared counters;
 *   - per-socket and per-I/O contexts from the process heap (HeapAlloc(GetProcessHeap(),
 *     HEAP_ZERO_MEMORY, ..) / HeapFree); error text from FormatMessageA;
 *   - clean shutdown: after serving CLIENTS connections, or when a console control handler
 *     (SetConsoleCtrlHandler: Ctrl-C, Ctrl-Break, closing the console) asks it to stop, the main
 *     thread closes the listener and the open connections, posts one quit packet per worker
 *     with PostQueuedCompletionStatus, joins the workers with WaitForMultipleObjects and closes
 *     the port.
 *
 * Portable Windows C: builds unchanged with mingw-w64 / MSVC for Windows and, on Linux, against
 * ws2-uring:  cc -I include examples/echo_server.c -o echo_server -L target/release -lws2_32
 *
 * Usage: echo_server PORT [CLIENTS] [ADDRESS] [WORKERS]
 *   PORT     port to listen on; 0 picks a free one (the chosen port is printed)
 *   CLIENTS  serve this many connections, then exit once they have all closed (default 1)
 *   ADDRESS  address to bind (default: every local address, via AI_PASSIVE)
 *   WORKERS  worker threads (default: one per processor, from GetSystemInfo)
 * The first line printed is "listening on ADDRESS:PORT". Exits 0 when every connection was served
 * without an error, or when stopped from the console (Ctrl-C) without an error.
 *
 * This is also the example of the Winsock "iocp/serverex" sample form (completion port + AcceptEx).
 * A program can include this file with ECHO_SERVER_NO_MAIN defined and call echo_server_run.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <windows.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SRV_BUFSIZE 16384
#define SRV_ADDRLEN ((DWORD)sizeof(struct sockaddr_storage) + 16)
#define SRV_MAX_PENDING_ACCEPTS 16
#define SRV_MAX_WORKERS 64
#define SRV_IDLE_LIMIT_MS 30000 /* give up if no connection closes for this long */

enum srv_op { SRV_OP_ACCEPT, SRV_OP_RECV, SRV_OP_SEND };

/* One outstanding operation. The OVERLAPPED comes first: the OVERLAPPED* a completion packet
 * returns is the address of its context. */
struct srv_io {
    OVERLAPPED ov;
    enum srv_op op;
    WSABUF wsabuf;
    SOCKET accepted;               /* SRV_OP_ACCEPT: the socket AcceptEx fills */
    DWORD off, len;                /* SRV_OP_SEND: buf[off..len) still to go */
    char buf[SRV_BUFSIZE + 2 * SRV_ADDRLEN];
};

/* One connection: its socket and its single operation in flight (receive, then send back
 * everything received, then receive again). */
struct srv_conn {
    SOCKET s;
    unsigned long long bytes;
    struct srv_io io;
    struct srv_conn *next, *prev; /* the list of open connections */
};

struct srv_state {
    HANDLE port;
    SOCKET listener;
    int family;
    int max_clients;
    LPFN_ACCEPTEX pAcceptEx;
    LPFN_GETACCEPTEXSOCKADDRS pGetAcceptExSockaddrs;
    HANDLE all_done; /* set when the last connection closed */
    CRITICAL_SECTION lock; /* guards everything below */
    int accepts_posted, accepted, closed, errors;
    int accepts_pending; /* AcceptEx posted and not completed yet */
    int stopping;        /* the server is shutting down: aborted operations are not errors */
    struct srv_conn *head;
    unsigned long long bytes;
};

/* Set by the console control handler; one server per process listens to it. */
static HANDLE srv_stop_event;

/* The console control handler: Ctrl-C, Ctrl-Break or closing the console stop the server the way
 * reaching CLIENTS connections does. Called on its own thread. */
static BOOL WINAPI srv_console_handler(DWORD ctrl)
{
    switch (ctrl) {
    case CTRL_C_EVENT:
    case CTRL_BREAK_EVENT:
    case CTRL_CLOSE_EVENT:
        if (srv_stop_event != NULL)
            SetEvent(srv_stop_event);
        return TRUE;
    default:
        return FALSE;
    }
}

/* Print "echo_server: WHAT failed: error N (TEXT)" with the system's text for the error. */
static void srv_print_error(const char *what, DWORD err)
{
    LPSTR text = NULL;
    DWORD len = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS |
                                   FORMAT_MESSAGE_ALLOCATE_BUFFER,
                               NULL, err, 0, (LPSTR)&text, 0, NULL);
    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r' || text[len - 1] == ' '))
        text[--len] = '\0';
    fprintf(stderr, "echo_server: %s failed: error %lu (%s)\n", what, (unsigned long)err,
            len > 0 ? text : "no description");
    if (text != NULL)
        LocalFree(text);
}

#define SRV_KEY_LISTENER ((ULONG_PTR)1)
#define SRV_KEY_CONN ((ULONG_PTR)2)
#define SRV_KEY_QUIT ((ULONG_PTR)0)

static void srv_error(struct srv_state *st, const char *what, int err)
{
    srv_print_error(what, (DWORD)err);
    EnterCriticalSection(&st->lock);
    st->errors++;
    LeaveCriticalSection(&st->lock);
}

static void srv_close_conn(struct srv_state *st, struct srv_conn *c)
{
    int last;
    closesocket(c->s);
    EnterCriticalSection(&st->lock);
    if (c->prev != NULL)
        c->prev->next = c->next;
    else
        st->head = c->next;
    if (c->next != NULL)
        c->next->prev = c->prev;
    st->closed++;
    st->bytes += c->bytes;
    last = st->closed == st->max_clients;
    LeaveCriticalSection(&st->lock);
    HeapFree(GetProcessHeap(), 0, c);
    if (last)
        SetEvent(st->all_done);
}

/* Post an AcceptEx with a receive buffer on the listener; 0 on success. */
static int srv_post_accept(struct srv_state *st)
{
    struct srv_io *io = (struct srv_io *)HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*io));
    DWORD got = 0;
    if (io == NULL)
        return -1;
    io->op = SRV_OP_ACCEPT;
    io->accepted = WSASocketW(st->family, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    if (io->accepted == INVALID_SOCKET) {
        srv_error(st, "WSASocket", WSAGetLastError());
        HeapFree(GetProcessHeap(), 0, io);
        return -1;
    }
    EnterCriticalSection(&st->lock);
    st->accepts_pending++;
    LeaveCriticalSection(&st->lock);
    if (!st->pAcceptEx(st->listener, io->accepted, io->buf, SRV_BUFSIZE, SRV_ADDRLEN, SRV_ADDRLEN,
                       &got, &io->ov) &&
        WSAGetLastError() != ERROR_IO_PENDING) {
        srv_error(st, "AcceptEx", WSAGetLastError());
        closesocket(io->accepted);
        HeapFree(GetProcessHeap(), 0, io);
        EnterCriticalSection(&st->lock);
        st->accepts_pending--;
        LeaveCriticalSection(&st->lock);
        return -1;
    }
    return 0;
}

/* Post the connection's next receive; on failure the connection is closed. */
static void srv_post_recv(struct srv_state *st, struct srv_conn *c)
{
    DWORD flags = 0;
    memset(&c->io.ov, 0, sizeof(c->io.ov));
    c->io.op = SRV_OP_RECV;
    c->io.wsabuf.buf = c->io.buf;
    c->io.wsabuf.len = SRV_BUFSIZE;
    if (WSARecv(c->s, &c->io.wsabuf, 1, NULL, &flags, &c->io.ov, NULL) == SOCKET_ERROR &&
        WSAGetLastError() != WSA_IO_PENDING) {
        srv_error(st, "WSARecv", WSAGetLastError());
        srv_close_conn(st, c);
    }
}

/* Post a send of buf[off..len); on failure the connection is closed. */
static void srv_post_send(struct srv_state *st, struct srv_conn *c)
{
    memset(&c->io.ov, 0, sizeof(c->io.ov));
    c->io.op = SRV_OP_SEND;
    c->io.wsabuf.buf = c->io.buf + c->io.off;
    c->io.wsabuf.len = c->io.len - c->io.off;
    if (WSASend(c->s, &c->io.wsabuf, 1, NULL, 0, &c->io.ov, NULL) == SOCKET_ERROR &&
        WSAGetLastError() != WSA_IO_PENDING) {
        srv_error(st, "WSASend", WSAGetLastError());
        srv_close_conn(st, c);
    }
}

static void srv_on_accept(struct srv_state *st, struct srv_io *io, BOOL success, DWORD n)
{
    struct sockaddr *local = NULL, *remote = NULL;
    int local_len = 0, remote_len = 0, repost = 0, id;
    char host[64] = "?", serv[16] = "?";
    struct srv_conn *c;
    int stopping;

    EnterCriticalSection(&st->lock);
    st->accepts_pending--;
    stopping = st->stopping;
    LeaveCriticalSection(&st->lock);
    if (!success || stopping) {
        /* Closing the listener at shutdown aborts the pending accepts: not an error then. */
        if (!stopping)
            srv_error(st, "AcceptEx completion", (int)GetLastError());
        closesocket(io->accepted);
        HeapFree(GetProcessHeap(), 0, io);
        return;
    }
    /* Until SO_UPDATE_ACCEPT_CONTEXT, the accepted socket does not inherit the listener's
     * properties (getpeername, shutdown, ... do not work on it). */
    if (setsockopt(io->accepted, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&st->listener,
                   sizeof(st->listener)) == SOCKET_ERROR) {
        srv_error(st, "setsockopt(SO_UPDATE_ACCEPT_CONTEXT)", WSAGetLastError());
        closesocket(io->accepted);
        HeapFree(GetProcessHeap(), 0, io);
        return;
    }
    st->pGetAcceptExSockaddrs(io->buf, SRV_BUFSIZE, SRV_ADDRLEN, SRV_ADDRLEN, &local, &local_len,
                              &remote, &remote_len);
    if (remote != NULL)
        getnameinfo(remote, remote_len, host, sizeof(host), serv, sizeof(serv),
                    NI_NUMERICHOST | NI_NUMERICSERV);

    EnterCriticalSection(&st->lock);
    id = ++st->accepted;
    if (st->accepts_posted < st->max_clients) {
        st->accepts_posted++;
        repost = 1;
    }
    LeaveCriticalSection(&st->lock);
    printf("connection %d from %s:%s (AcceptEx with %lu bytes of first data)\n", id, host, serv,
           (unsigned long)n);
    fflush(stdout);
    if (repost && srv_post_accept(st) != 0) {
        EnterCriticalSection(&st->lock);
        st->accepts_posted--;
        LeaveCriticalSection(&st->lock);
    }

    c = (struct srv_conn *)HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*c));
    if (c == NULL) {
        srv_error(st, "HeapAlloc", ERROR_NOT_ENOUGH_MEMORY);
        closesocket(io->accepted);
        HeapFree(GetProcessHeap(), 0, io);
        return;
    }
    c->s = io->accepted;
    EnterCriticalSection(&st->lock);
    c->next = st->head;
    if (st->head != NULL)
        st->head->prev = c;
    st->head = c;
    LeaveCriticalSection(&st->lock);
    if (CreateIoCompletionPort((HANDLE)c->s, st->port, SRV_KEY_CONN, 0) != st->port) {
        srv_error(st, "CreateIoCompletionPort", (int)GetLastError());
        HeapFree(GetProcessHeap(), 0, io);
        srv_close_conn(st, c);
        return;
    }
    /* The first data AcceptEx received is at the start of its buffer: echo it first. */
    memcpy(c->io.buf, io->buf, n);
    HeapFree(GetProcessHeap(), 0, io);
    c->bytes += n;
    c->io.off = 0;
    c->io.len = n;
    if (n > 0)
        srv_post_send(st, c);
    else
        srv_post_recv(st, c);
}

static void srv_on_conn_io(struct srv_state *st, struct srv_conn *c, BOOL success, DWORD n)
{
    if (!success) {
        int err = (int)GetLastError(), stopping;
        EnterCriticalSection(&st->lock);
        stopping = st->stopping;
        LeaveCriticalSection(&st->lock);
        /* A reset by the peer ends the connection like a close does; so does our own shutdown. */
        if (err != ERROR_NETNAME_DELETED && err != WSAECONNRESET && !stopping)
            srv_error(st, c->io.op == SRV_OP_RECV ? "WSARecv completion" : "WSASend completion",
                      err);
        srv_close_conn(st, c);
        return;
    }
    if (c->io.op == SRV_OP_RECV) {
        if (n == 0) { /* orderly close by the client */
            srv_close_conn(st, c);
            return;
        }
        c->bytes += n;
        c->io.off = 0;
        c->io.len = n;
        srv_post_send(st, c);
    } else {
        c->io.off += n;
        if (c->io.off < c->io.len)
            srv_post_send(st, c); /* short send: the rest */
        else
            srv_post_recv(st, c);
    }
}

static DWORD WINAPI srv_worker(LPVOID arg)
{
    struct srv_state *st = (struct srv_state *)arg;
    for (;;) {
        DWORD n = 0;
        ULONG_PTR key = 0;
        OVERLAPPED *ov = NULL;
        BOOL success = GetQueuedCompletionStatus(st->port, &n, &key, &ov, INFINITE);
        if (ov == NULL) {
            if (success && key == SRV_KEY_QUIT)
                return 0; /* the quit packet */
            srv_error(st, "GetQueuedCompletionStatus", (int)GetLastError());
            return 1;
        }
        if (key == SRV_KEY_LISTENER)
            srv_on_accept(st, (struct srv_io *)ov, success, n);
        else
            srv_on_conn_io(st, (struct srv_conn *)((char *)ov - offsetof(struct srv_conn, io)),
                           success, n);
    }
}

static int srv_get_extension(SOCKET s, GUID guid, void *fn, size_t fn_size)
{
    DWORD got = 0;
    return WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), fn, (DWORD)fn_size,
                    &got, NULL, NULL);
}

/* Run the server: listen on address:port, serve max_clients connections with `workers` threads
 * (or until the console control handler asks it to stop), then shut down. When port_out is not
 * NULL, the bound port is stored there and `ready` (if not NULL) is set once the server accepts
 * connections. Returns 0 when every connection was served without an error. WSAStartup must
 * have been called. */
static int echo_server_run(const char *port, const char *address, int max_clients, int workers,
                           unsigned short *port_out, HANDLE ready)
{
    struct srv_state st;
    struct addrinfo hints, *res = NULL;
    struct sockaddr_storage bound;
    int boundlen = sizeof(bound);
    char host[64], serv[16];
    HANDLE threads[SRV_MAX_WORKERS];
    int nthreads = 0, i, r, result = 1;
    GUID guid_acceptex = WSAID_ACCEPTEX, guid_sockaddrs = WSAID_GETACCEPTEXSOCKADDRS;
    DWORD w;
    HANDLE waits[2];
    int stopped = 0;

    memset(&st, 0, sizeof(st));
    st.listener = INVALID_SOCKET;
    st.max_clients = max_clients;
    InitializeCriticalSection(&st.lock);
    st.all_done = CreateEventA(NULL, TRUE, FALSE, NULL);
    srv_stop_event = CreateEventA(NULL, TRUE, FALSE, NULL);
    if (st.all_done == NULL || srv_stop_event == NULL) {
        srv_print_error("CreateEvent", GetLastError());
        goto out;
    }
    if (!SetConsoleCtrlHandler(srv_console_handler, TRUE))
        srv_print_error("SetConsoleCtrlHandler", GetLastError());

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    r = getaddrinfo(address, port, &hints, &res);
    if (r != 0) {
        fprintf(stderr, "echo_server: getaddrinfo failed: %d\n", r);
        goto out;
    }
    st.family = res->ai_family;
    st.listener = WSASocketW(res->ai_family, res->ai_socktype, res->ai_protocol, NULL, 0,
                             WSA_FLAG_OVERLAPPED);
    if (st.listener == INVALID_SOCKET) {
        srv_print_error("WSASocket", (DWORD)WSAGetLastError());
        goto out;
    }
    if (bind(st.listener, res->ai_addr, (int)res->ai_addrlen) == SOCKET_ERROR ||
        listen(st.listener, SOMAXCONN) == SOCKET_ERROR ||
        getsockname(st.listener, (struct sockaddr *)&bound, &boundlen) == SOCKET_ERROR) {
        srv_print_error("bind/listen", (DWORD)WSAGetLastError());
        goto out;
    }
    if (srv_get_extension(st.listener, guid_acceptex, &st.pAcceptEx, sizeof(st.pAcceptEx)) ||
        srv_get_extension(st.listener, guid_sockaddrs, &st.pGetAcceptExSockaddrs,
                          sizeof(st.pGetAcceptExSockaddrs))) {
        srv_print_error("WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER)", (DWORD)WSAGetLastError());
        goto out;
    }

    st.port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, (DWORD)workers);
    if (st.port == NULL ||
        CreateIoCompletionPort((HANDLE)st.listener, st.port, SRV_KEY_LISTENER, 0) != st.port) {
        srv_print_error("CreateIoCompletionPort", GetLastError());
        goto out;
    }
    for (i = 0; i < workers; i++) {
        threads[i] = CreateThread(NULL, 0, srv_worker, &st, 0, NULL);
        if (threads[i] == NULL) {
            srv_print_error("CreateThread", GetLastError());
            goto stop;
        }
        nthreads++;
    }

    /* Pre-post the accepts (each further accept is posted as one completes). */
    for (i = 0; i < max_clients && i < SRV_MAX_PENDING_ACCEPTS; i++) {
        EnterCriticalSection(&st.lock);
        st.accepts_posted++;
        LeaveCriticalSection(&st.lock);
        if (srv_post_accept(&st) != 0) {
            EnterCriticalSection(&st.lock);
            st.accepts_posted--;
            LeaveCriticalSection(&st.lock);
            goto stop;
        }
    }

    getnameinfo((struct sockaddr *)&bound, boundlen, host, sizeof(host), serv, sizeof(serv),
                NI_NUMERICHOST | NI_NUMERICSERV);
    printf("listening on %s:%s\n", host, serv);
    printf("%d worker threads on one completion port, %d AcceptEx posted, serving %d connections\n",
           nthreads, i, max_clients);
    fflush(stdout);
    if (port_out != NULL)
        *port_out = (unsigned short)atoi(serv);
    if (ready != NULL)
        SetEvent(ready);

    waits[0] = st.all_done;
    waits[1] = srv_stop_event;
    for (;;) {
        int closed_before, closed_after;
        EnterCriticalSection(&st.lock);
        closed_before = st.closed;
        LeaveCriticalSection(&st.lock);
        w = WaitForMultipleObjects(2, waits, FALSE, SRV_IDLE_LIMIT_MS);
        if (w == WAIT_OBJECT_0)
            break;
        if (w == WAIT_OBJECT_0 + 1) {
            printf("stop requested from the console\n");
            fflush(stdout);
            stopped = 1;
            break;
        }
        EnterCriticalSection(&st.lock);
        closed_after = st.closed;
        LeaveCriticalSection(&st.lock);
        if (closed_after == closed_before) {
            fprintf(stderr, "echo_server: no progress for %d s, giving up\n",
                    SRV_IDLE_LIMIT_MS / 1000);
            srv_error(&st, "waiting for the clients", WAIT_TIMEOUT);
            break;
        }
    }

stop:
    /* Close the listener (its pending AcceptEx complete, aborted) and the connections still open
     * (their pending operations complete with an error and the workers free them); wait for
     * those completions, then one quit packet per worker, and join them all. */
    EnterCriticalSection(&st.lock);
    st.stopping = 1;
    {
        struct srv_conn *c;
        for (c = st.head; c != NULL; c = c->next)
            shutdown(c->s, SD_BOTH);
    }
    LeaveCriticalSection(&st.lock);
    if (st.listener != INVALID_SOCKET) {
        closesocket(st.listener);
        st.listener = INVALID_SOCKET;
    }
    for (i = 0; i < 200 && nthreads > 0; i++) {
        int busy;
        EnterCriticalSection(&st.lock);
        busy = st.head != NULL || st.accepts_pending > 0;
        LeaveCriticalSection(&st.lock);
        if (!busy)
            break;
        Sleep(25);
    }
    for (i = 0; i < nthreads; i++)
        PostQueuedCompletionStatus(st.port, 0, SRV_KEY_QUIT, NULL);
    if (nthreads > 0) {
        w = WaitForMultipleObjects((DWORD)nthreads, threads, TRUE, 10000);
        if (w == WAIT_TIMEOUT)
            srv_error(&st, "joining the workers", WAIT_TIMEOUT);
    }
    for (i = 0; i < nthreads; i++) {
        DWORD code = 1;
        GetExitCodeThread(threads[i], &code);
        if (code != 0)
            srv_error(&st, "a worker thread", (int)code);
        CloseHandle(threads[i]);
    }
    printf("served %d connections, echoed %llu bytes, %d errors\n", st.closed, st.bytes, st.errors);
    fflush(stdout);
    if (st.errors == 0 && (stopped ? st.closed == st.accepted
                                   : st.closed == max_clients && st.accepted == max_clients))
        result = 0;

out:
    if (st.listener != INVALID_SOCKET)
        closesocket(st.listener);
    if (st.port != NULL)
        CloseHandle(st.port);
    if (res != NULL)
        freeaddrinfo(res);
    SetConsoleCtrlHandler(srv_console_handler, FALSE);
    if (srv_stop_event != NULL) {
        CloseHandle(srv_stop_event);
        srv_stop_event = NULL;
    }
    if (st.all_done != NULL)
        CloseHandle(st.all_done);
    DeleteCriticalSection(&st.lock);
    return result;
}

#ifndef ECHO_SERVER_NO_MAIN
int main(int argc, char **argv)
{
    const char *port = argc > 1 ? argv[1] : "5555";
    int clients = argc > 2 ? atoi(argv[2]) : 1;
    const char *address = argc > 3 && argv[3][0] != '\0' ? argv[3] : NULL;
    SYSTEM_INFO si;
    int workers;
    WSADATA wsa;
    int r;

    GetSystemInfo(&si);
    workers = argc > 4 ? atoi(argv[4]) : (int)si.dwNumberOfProcessors;

    if (clients < 1) {
        fprintf(stderr, "echo_server: CLIENTS must be at least 1\n");
        return 2;
    }
    if (workers < 1)
        workers = 1;
    if (workers > SRV_MAX_WORKERS)
        workers = SRV_MAX_WORKERS;
    r = WSAStartup(MAKEWORD(2, 2), &wsa);
    if (r != 0) {
        fprintf(stderr, "echo_server: WSAStartup failed: %d\n", r);
        return 1;
    }
    r = echo_server_run(port, address, clients, workers, NULL, NULL);
    WSACleanup();
    return r;
}
#endif
