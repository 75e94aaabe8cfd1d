/* iocp_server: a TCP echo server on an I/O completion port with a blocking accept loop, the
 * Winsock "iocp/server" sample form. The main thread accepts with WSAAccept, associates each new
 * socket with the port (the completion key is the connection's context), adds the context to a
 * list guarded by a CRITICAL_SECTION and posts its first WSARecv; worker threads (two per
 * processor) in GetQueuedCompletionStatus echo with WSASend and post the next WSARecv. After
 * COUNT connections the main thread waits for them to close, posts one quit packet per worker
 * (PostQueuedCompletionStatus), joins them with WaitForMultipleObjects and closes the port.
 * A console control handler (SetConsoleCtrlHandler: Ctrl-C, Ctrl-Break, closing the console)
 * stops it early the same way: it sets the end flag and closes the listening socket, which ends
 * the accept loop. Contexts come from the process heap (HeapAlloc/HeapFree), the worker count
 * from GetSystemInfo, error text from FormatMessageA.
 *
 * Usage: iocp_server [-e PORT] [-i INTERFACE] [-n COUNT] [-t THREADS]
 *   -e  port (default 5001; 0 picks a free one)   -i  local address (default: wildcard)
 *   -n  connections to serve (default 1)          -t  worker threads (default: 2 per processor,
 *                                                     from GetSystemInfo)
 * Exits 0 when COUNT connections were served (or it was stopped from the console) without an
 * error.
 *
 * A program can include this file with IOCP_SERVER_NO_MAIN defined and call iocp_server_run.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IS_BUFSIZE 4096
#define IS_MAX_WORKERS 64
#define IS_IDLE_MS 20000

enum is_op { IS_OP_READ, IS_OP_WRITE };

/* Per-I/O context: the OVERLAPPED first, so the OVERLAPPED* of a packet is the context. */
struct is_io {
    WSAOVERLAPPED overlapped;
    enum is_op op;
    char buffer[IS_BUFSIZE];
    WSABUF wsabuf;
    DWORD total, sent;
};

/* Per-socket context: the completion key. */
struct is_conn {
    SOCKET s;
    struct is_io io;
    struct is_conn *next, *prev;
};

struct is_state {
    HANDLE port;
    HANDLE all_closed;
    CRITICAL_SECTION lock; /* guards the list and the counters */
    struct is_conn *head;
    int count, accepted, closed, errors;
    unsigned long long bytes;
};

/* Console control: the handler sets the end flag, wakes the main thread and closes the listening
 * socket so that a blocking WSAAccept returns. One server per process listens to it. */
static volatile LONG is_end_server;
static volatile LONG is_listener_closed;
static SOCKET is_listen_socket = INVALID_SOCKET;
static HANDLE is_stop_event;

/* Close the listening socket once, whoever comes first (the handler or the main thread). */
static void is_close_listener(void)
{
    SOCKET s = is_listen_socket;
    if (s != INVALID_SOCKET && InterlockedExchange(&is_listener_closed, 1) == 0)
        closesocket(s);
}

static BOOL WINAPI is_console_handler(DWORD ctrl)
{
    switch (ctrl) {
    case CTRL_C_EVENT:
    case CTRL_BREAK_EVENT:
    case CTRL_CLOSE_EVENT:
        InterlockedExchange(&is_end_server, 1);
        if (is_stop_event != NULL)
            SetEvent(is_stop_event);
        is_close_listener();
        return TRUE;
    default:
        return FALSE;
    }
}

/* Print "WHAT failed with error N: TEXT" with the system's text for the error. */
static void is_print_error(const char *what, DWORD err)
{
    LPSTR text = NULL;
    DWORD len = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS |
                                   FORMAT_MESSAGE_ALLOCATE_BUFFER,
                               NULL, err, 0, (LPSTR)&text, 0, NULL);
    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r' || text[len - 1] == ' '))
        text[--len] = '\0';
    fprintf(stderr, "%s failed with error %lu: %s\n", what, (unsigned long)err,
            len > 0 ? text : "no description");
    if (text != NULL)
        LocalFree(text);
}

static void is_error(struct is_state *st, const char *what, int err)
{
    is_print_error(what, (DWORD)err);
    EnterCriticalSection(&st->lock);
    st->errors++;
    LeaveCriticalSection(&st->lock);
}

static void is_close(struct is_state *st, struct is_conn *c)
{
    int last;
    EnterCriticalSection(&st->lock);
    if (c->prev != NULL)
        c->prev->next = c->next;
    else
        st->head = c->next;
    if (c->next != NULL)
        c->next->prev = c->prev;
    st->closed++;
    last = st->closed == st->count;
    LeaveCriticalSection(&st->lock);
    closesocket(c->s);
    HeapFree(GetProcessHeap(), 0, c);
    if (last)
        SetEvent(st->all_closed);
}

static void is_post_recv(struct is_state *st, struct is_conn *c)
{
    DWORD flags = 0, n = 0;
    memset(&c->io.overlapped, 0, sizeof(c->io.overlapped));
    c->io.op = IS_OP_READ;
    c->io.wsabuf.buf = c->io.buffer;
    c->io.wsabuf.len = IS_BUFSIZE;
    if (WSARecv(c->s, &c->io.wsabuf, 1, &n, &flags, &c->io.overlapped, NULL) == SOCKET_ERROR &&
        WSAGetLastError() != WSA_IO_PENDING) {
        is_error(st, "WSARecv", WSAGetLastError());
        is_close(st, c);
    }
}

static void is_post_send(struct is_state *st, struct is_conn *c)
{
    DWORD n = 0;
    memset(&c->io.overlapped, 0, sizeof(c->io.overlapped));
    c->io.op = IS_OP_WRITE;
    c->io.wsabuf.buf = c->io.buffer + c->io.sent;
    c->io.wsabuf.len = c->io.total - c->io.sent;
    if (WSASend(c->s, &c->io.wsabuf, 1, &n, 0, &c->io.overlapped, NULL) == SOCKET_ERROR &&
        WSAGetLastError() != WSA_IO_PENDING) {
        is_error(st, "WSASend", WSAGetLastError());
        is_close(st, c);
    }
}

static DWORD WINAPI is_worker(LPVOID param)
{
    struct is_state *st = (struct is_state *)param;
    for (;;) {
        DWORD n = 0;
        ULONG_PTR key = 0;
        LPOVERLAPPED ov = NULL;
        struct is_conn *c;
        BOOL success = GetQueuedCompletionStatus(st->port, &n, &key, &ov, INFINITE);
        if (key == 0 && ov == NULL)
            return success ? 0 : 1; /* the quit packet (or the port is gone) */
        c = (struct is_conn *)key;
        if (!success || (n == 0 && c->io.op == IS_OP_READ)) {
            int err = success ? 0 : (int)GetLastError();
            if (err != 0 && err != ERROR_NETNAME_DELETED && err != WSAECONNRESET &&
                !is_end_server)
                is_error(st, "overlapped I/O", err);
            is_close(st, c);
            continue;
        }
        if (c->io.op == IS_OP_READ) {
            EnterCriticalSection(&st->lock);
            st->bytes += n;
            LeaveCriticalSection(&st->lock);
            c->io.total = n;
            c->io.sent = 0;
            is_post_send(st, c);
        } else {
            c->io.sent += n;
            if (c->io.sent < c->io.total)
                is_post_send(st, c); /* the rest of a short send */
            else
                is_post_recv(st, c);
        }
    }
}

/* Run the server. port_out (if not NULL) receives the bound port and `ready` (if not NULL) is
 * set once it listens. Returns 0 when `count` connections were served without an error. */
static int iocp_server_run(const char *iface, const char *port, int count, int workers,
                           unsigned short *port_out, HANDLE ready)
{
    struct is_state st;
    struct addrinfo hints, *res = NULL;
    struct sockaddr_storage bound;
    int boundlen = sizeof(bound), nthreads = 0, i, result = 1;
    char host[NI_MAXHOST], serv[NI_MAXSERV];
    HANDLE threads[IS_MAX_WORKERS], waits[2];
    SOCKET listener = INVALID_SOCKET;

    memset(&st, 0, sizeof(st));
    st.count = count;
    InitializeCriticalSection(&st.lock);
    is_end_server = 0;
    is_listener_closed = 0;
    is_listen_socket = INVALID_SOCKET;
    st.all_closed = CreateEventA(NULL, TRUE, FALSE, NULL);
    is_stop_event = CreateEventA(NULL, TRUE, FALSE, NULL);
    if (st.all_closed == NULL || is_stop_event == NULL) {
        is_print_error("CreateEvent", GetLastError());
        goto out;
    }
    if (!SetConsoleCtrlHandler(is_console_handler, TRUE))
        is_print_error("SetConsoleCtrlHandler", GetLastError());
    st.port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    if (st.port == NULL) {
        is_print_error("CreateIoCompletionPort", GetLastError());
        goto out;
    }
    for (i = 0; i < workers && i < IS_MAX_WORKERS; i++) {
        threads[i] = CreateThread(NULL, 0, is_worker, &st, 0, NULL);
        if (threads[i] == NULL) {
            is_print_error("CreateThread", GetLastError());
            goto stop;
        }
        nthreads++;
    }

    memset(&hints, 0, sizeof(hints));
    hints.ai_flags = iface != NULL ? 0 : AI_PASSIVE;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    if (getaddrinfo(iface, port, &hints, &res) != 0 || res == NULL) {
        is_print_error("getaddrinfo", (DWORD)WSAGetLastError());
        goto stop;
    }
    listener = WSASocketW(res->ai_family, res->ai_socktype, res->ai_protocol, NULL, 0,
                          WSA_FLAG_OVERLAPPED);
    if (listener == INVALID_SOCKET || bind(listener, res->ai_addr, (int)res->ai_addrlen) != 0 ||
        listen(listener, 5) != 0 || getsockname(listener, (SOCKADDR *)&bound, &boundlen) != 0 ||
        getnameinfo((SOCKADDR *)&bound, boundlen, host, NI_MAXHOST, serv, NI_MAXSERV,
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
        is_print_error("creating the listening socket", (DWORD)WSAGetLastError());
        goto stop;
    }
    is_listen_socket = listener;
    if (is_end_server) /* stopped before the socket was published */
        goto stop;
    printf("listening on %s:%s with %d worker threads\n", host, serv, nthreads);
    fflush(stdout);
    if (port_out != NULL)
        *port_out = (unsigned short)atoi(serv);
    if (ready != NULL)
        SetEvent(ready);

    /* The accept loop: blocking WSAAccept, then hand the socket to the completion port. */
    while (st.accepted < count && !is_end_server) {
        struct is_conn *c;
        SOCKET s = WSAAccept(listener, NULL, NULL, NULL, 0);
        if (s == INVALID_SOCKET) {
            if (!is_end_server) /* not the console handler closing the listener */
                is_error(&st, "WSAAccept", WSAGetLastError());
            goto stop;
        }
        c = (struct is_conn *)HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*c));
        if (c == NULL) {
            closesocket(s);
            is_error(&st, "HeapAlloc", ERROR_NOT_ENOUGH_MEMORY);
            goto stop;
        }
        c->s = s;
        if (CreateIoCompletionPort((HANDLE)s, st.port, (ULONG_PTR)c, 0) != st.port) {
            is_error(&st, "CreateIoCompletionPort", (int)GetLastError());
            closesocket(s);
            HeapFree(GetProcessHeap(), 0, c);
            goto stop;
        }
        EnterCriticalSection(&st.lock);
        c->next = st.head;
        if (st.head != NULL)
            st.head->prev = c;
        st.head = c;
        st.accepted++;
        LeaveCriticalSection(&st.lock);
        printf("socket %d connected\n", st.accepted);
        fflush(stdout);
        is_post_recv(&st, c);
    }
    waits[0] = st.all_closed;
    waits[1] = is_stop_event;
    if (!is_end_server &&
        WaitForMultipleObjects(2, waits, FALSE, IS_IDLE_MS) == WAIT_TIMEOUT)
        is_error(&st, "waiting for the clients to close", WAIT_TIMEOUT);

stop:
    if (is_end_server) {
        printf("stop requested from the console\n");
        fflush(stdout);
    }
    /* Close what is still open: its pending operations complete with an error, and the workers
     * free those contexts. Then one quit packet per worker, and join them. */
    EnterCriticalSection(&st.lock);
    {
        struct is_conn *c;
        for (c = st.head; c != NULL; c = c->next)
            shutdown(c->s, SD_BOTH);
    }
    LeaveCriticalSection(&st.lock);
    for (i = 0; i < 100; i++) {
        int open;
        EnterCriticalSection(&st.lock);
        open = st.head != NULL;
        LeaveCriticalSection(&st.lock);
        if (!open)
            break;
        Sleep(50);
    }
    for (i = 0; i < nthreads; i++)
        PostQueuedCompletionStatus(st.port, 0, 0, NULL);
    if (nthreads > 0 && WaitForMultipleObjects((DWORD)nthreads, threads, TRUE, 10000) != WAIT_OBJECT_0)
        is_error(&st, "joining the workers", WAIT_TIMEOUT);
    for (i = 0; i < nthreads; i++)
        CloseHandle(threads[i]);
    printf("%d connections served, %llu bytes echoed, %d errors\n", st.closed, st.bytes, st.errors);
    fflush(stdout);
    result = st.errors == 0 && (is_end_server ? st.closed == st.accepted : st.closed == count)
                 ? 0
                 : 1;
out:
    SetConsoleCtrlHandler(is_console_handler, FALSE);
    if (listener != INVALID_SOCKET) {
        is_listen_socket = listener;
        is_close_listener();
    }
    is_listen_socket = INVALID_SOCKET;
    if (is_stop_event != NULL) {
        CloseHandle(is_stop_event);
        is_stop_event = NULL;
    }
    if (res != NULL)
        freeaddrinfo(res);
    if (st.port != NULL)
        CloseHandle(st.port);
    if (st.all_closed != NULL)
        CloseHandle(st.all_closed);
    DeleteCriticalSection(&st.lock);
    return result;
}

#ifndef IOCP_SERVER_NO_MAIN
int main(int argc, char **argv)
{
    const char *iface = NULL, *port = "5001";
    int count = 1, workers, i, r;
    SYSTEM_INFO si;
    WSADATA wsa;

    GetSystemInfo(&si);
    workers = 2 * (int)si.dwNumberOfProcessors;

    for (i = 1; i < argc; i++) {
        if ((argv[i][0] != '-' && argv[i][0] != '/') || i + 1 >= argc) {
            fprintf(stderr, "usage: %s [-e PORT] [-i INTERFACE] [-n COUNT] [-t THREADS]\n", argv[0]);
            return 2;
        }
        switch (argv[i][1]) {
        case 'i': iface = argv[++i]; break;
        case 'e': port = argv[++i]; break;
        case 'n': count = atoi(argv[++i]); break;
        case 't': workers = atoi(argv[++i]); break;
        default:
            fprintf(stderr, "usage: %s [-e PORT] [-i INTERFACE] [-n COUNT] [-t THREADS]\n", argv[0]);
            return 2;
        }
    }
    if (workers < 1)
        workers = 1;
    if (count < 1)
        count = 1;
    r = WSAStartup(MAKEWORD(2, 2), &wsa);
    if (r != 0) {
        fprintf(stderr, "WSAStartup failed with error %d\n", r);
        return 1;
    }
    r = iocp_server_run(iface, port, count, workers, NULL, NULL);
    WSACleanup();
    return r;
}
#endif
