/*
 * iocp_server: TCP echo server in portable Windows C, overlapped I/O with an
 * I/O completion port.
 *
 *   iocp_server port [threads]
 *
 * Structure (the classic Winsock completion-port design):
 * - One completion port. The listening socket is associated with it; the
 *   main thread posts ACCEPTS AcceptEx calls at once (no receive buffer, so
 *   each completes on its connection) and then only joins the workers.
 * - `threads` worker threads (default: the number of CPUs the process may
 *   run on; bench/run.sh pins the server to one CPU, so one worker there)
 *   block in GetQueuedCompletionStatus. A completed AcceptEx: the accepted
 *   socket gets SO_UPDATE_ACCEPT_CONTEXT and TCP_NODELAY, is associated with
 *   the port and gets its first WSARecv; a new AcceptEx is posted with a fresh
 *   socket into the same context, so ACCEPTS stay pending.
 * - Every connection has one per-I/O context (the OVERLAPPED is its first
 *   member, so the OVERLAPPED* of a packet is the context) and exactly one
 *   operation in flight: WSARecv; when it completes with n > 0, WSASend of
 *   those n bytes (the rest re-sent after a short send); when that completes,
 *   WSARecv again. n == 0 or a failed packet closes the socket. With one
 *   operation in flight per connection, the worker that dequeues a packet owns
 *   the connection until it posts the next operation: no locks.
 * - An operation that completes at once still posts its packet (the port is
 *   used without FILE_SKIP_COMPLETION_PORT_ON_SUCCESS), so every step goes
 *   through the port.
 *
 * Threads are pthreads (winpthreads under mingw-w64). AcceptEx is obtained
 * with WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER). Builds with mingw-w64
 * against Windows' headers and on Linux against ws2-uring's headers.
 * Prints nothing once running.
 */
#ifndef _WIN32
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include <sched.h>
#endif
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <mswsock.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUF_SIZE 65536
#define ACCEPTS 64
#define MAX_THREADS 64
#define ADDRLEN ((DWORD)sizeof(struct sockaddr_in) + 16)
#define KEY_LISTEN ((ULONG_PTR)1)
#define KEY_CONN ((ULONG_PTR)2)

enum { OP_ACCEPT, OP_RECV, OP_SEND };

struct acceptor {
    OVERLAPPED ov; /* first member */
    int op;        /* OP_ACCEPT */
    SOCKET s;      /* the socket being accepted into */
    char addrs[2 * ADDRLEN];
};

struct conn {
    OVERLAPPED ov; /* first member */
    int op;        /* OP_RECV or OP_SEND */
    SOCKET s;
    DWORD off, len; /* while sending: buf[off..len) still to go */
    char buf[BUF_SIZE];
};

static HANDLE g_port;
static SOCKET g_listener;
static LPFN_ACCEPTEX g_AcceptEx;

static void fatal(const char *what)
{
    fprintf(stderr, "iocp_server: %s failed: %d\n", what, WSAGetLastError());
    exit(1);
}

static void close_conn(struct conn *c)
{
    closesocket(c->s);
    free(c);
}

static void post_recv(struct conn *c)
{
    WSABUF wb;
    DWORD flags = 0;
    memset(&c->ov, 0, sizeof c->ov);
    c->op = OP_RECV;
    wb.buf = c->buf;
    wb.len = BUF_SIZE;
    if (WSARecv(c->s, &wb, 1, NULL, &flags, &c->ov, NULL) == SOCKET_ERROR && WSAGetLastError() != WSA_IO_PENDING)
        close_conn(c);
}

static void post_send(struct conn *c)
{
    WSABUF wb;
    memset(&c->ov, 0, sizeof c->ov);
    c->op = OP_SEND;
    wb.buf = c->buf + c->off;
    wb.len = c->len - c->off;
    if (WSASend(c->s, &wb, 1, NULL, 0, &c->ov, NULL) == SOCKET_ERROR && WSAGetLastError() != WSA_IO_PENDING)
        close_conn(c);
}

/* Post an AcceptEx into a with a fresh socket. */
static void post_accept(struct acceptor *a)
{
    DWORD n = 0;
    memset(&a->ov, 0, sizeof a->ov);
    a->op = OP_ACCEPT;
    a->s = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    if (a->s == INVALID_SOCKET)
        fatal("WSASocket");
    if (!g_AcceptEx(g_listener, a->s, a->addrs, 0, ADDRLEN, ADDRLEN, &n, &a->ov) &&
        WSAGetLastError() != ERROR_IO_PENDING)
        fatal("AcceptEx");
}

static void on_accept(struct acceptor *a, BOOL ok)
{
    SOCKET s = a->s;
    BOOL one = TRUE;
    struct conn *c;
    post_accept(a); /* keep ACCEPTS pending */
    if (!ok) {
        closesocket(s);
        return;
    }
    setsockopt(s, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (const char *)&g_listener, sizeof g_listener);
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof one);
    if (CreateIoCompletionPort((HANDLE)s, g_port, KEY_CONN, 0) != g_port) {
        closesocket(s);
        return;
    }
    c = malloc(sizeof *c);
    if (!c) {
        closesocket(s);
        return;
    }
    c->s = s;
    post_recv(c);
}

static void *worker(void *arg)
{
    (void)arg;
    for (;;) {
        DWORD n = 0;
        ULONG_PTR key = 0;
        OVERLAPPED *o = NULL;
        BOOL ok = GetQueuedCompletionStatus(g_port, &n, &key, &o, INFINITE);
        if (!o) {
            if (!ok && GetLastError() == WAIT_TIMEOUT)
                continue;
            fprintf(stderr, "iocp_server: GetQueuedCompletionStatus failed: %u\n", (unsigned)GetLastError());
            exit(1);
        }
        if (key == KEY_LISTEN) {
            on_accept((struct acceptor *)o, ok);
            continue;
        }
        struct conn *c = (struct conn *)o;
        if (!ok) {
            close_conn(c);
        } else if (c->op == OP_RECV) {
            if (n == 0) {
                close_conn(c); /* graceful close by the peer */
            } else {
                c->off = 0;
                c->len = n;
                post_send(c);
            }
        } else {
            c->off += n;
            if (c->off < c->len)
                post_send(c);
            else
                post_recv(c);
        }
    }
    return NULL;
}

/* The number of CPUs this process may run on. */
static int cpu_count(void)
{
#ifdef _WIN32
    DWORD_PTR proc = 0, sys = 0;
    int n = 0;
    if (GetProcessAffinityMask(GetCurrentProcess(), &proc, &sys))
        for (; proc; proc &= proc - 1)
            n++;
    return n > 0 ? n : 1;
#else
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return CPU_COUNT(&set);
    return 1;
#endif
}

int main(int argc, char **argv)
{
    WSADATA wsa;
    GUID guid = WSAID_ACCEPTEX;
    DWORD n = 0;
    int threads, i;
    pthread_t th[MAX_THREADS];
    static struct acceptor acceptors[ACCEPTS];
    struct sockaddr_in sa;

    if (argc != 2 && argc != 3) {
        fprintf(stderr, "usage: iocp_server port [threads]\n");
        return 2;
    }
    threads = argc == 3 ? atoi(argv[2]) : cpu_count();
    if (threads < 1)
        threads = 1;
    if (threads > MAX_THREADS)
        threads = MAX_THREADS;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
        fprintf(stderr, "iocp_server: WSAStartup failed\n");
        return 1;
    }
    g_listener = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    if (g_listener == INVALID_SOCKET)
        fatal("WSASocket");
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((u_short)atoi(argv[1]));
    sa.sin_addr.s_addr = htonl(INADDR_ANY);
    if (bind(g_listener, (struct sockaddr *)&sa, sizeof sa) == SOCKET_ERROR)
        fatal("bind");
    if (listen(g_listener, SOMAXCONN) == SOCKET_ERROR)
        fatal("listen");
    if (WSAIoctl(g_listener, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof guid, &g_AcceptEx, sizeof g_AcceptEx,
                 &n, NULL, NULL) == SOCKET_ERROR)
        fatal("WSAIoctl(WSAID_ACCEPTEX)");

    g_port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, (DWORD)threads);
    if (!g_port)
        fatal("CreateIoCompletionPort");
    if (CreateIoCompletionPort((HANDLE)g_listener, g_port, KEY_LISTEN, 0) != g_port)
        fatal("CreateIoCompletionPort(listener)");
    for (i = 0; i < ACCEPTS; i++)
        post_accept(&acceptors[i]);
    for (i = 0; i < threads; i++)
        if (pthread_create(&th[i], NULL, worker, NULL) != 0) {
            fprintf(stderr, "iocp_server: pthread_create failed\n");
            return 1;
        }
    for (i = 0; i < threads; i++)
        pthread_join(th[i], NULL);
    return 0;
}
