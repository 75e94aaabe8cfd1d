/*
 * routine_server: TCP echo server in portable Windows C, overlapped I/O with
 * completion routines.
 *
 *   routine_server port
 *
 * Structure (the classic Winsock completion-routine design):
 * - Completion routines run only on the thread that issued the operation,
 *   and only while it is in an alertable wait. One I/O thread issues every
 *   operation and spends its idle time in an alertable wait.
 * - New connections come from an accept thread (blocking accept()). Handing
 *   a socket to the I/O thread needs something that ends the I/O thread's
 *   wait: QueueUserAPC would do it, but it needs a real handle to the I/O
 *   thread, and GetCurrentThread() only yields a pseudo handle meaning "the
 *   calling thread". So the accept thread puts the socket in a
 *   mutex-protected queue and sets an auto-reset event; the I/O thread's
 *   alertable wait is WSAWaitForMultipleEvents(1, &that_event, FALSE,
 *   WSA_INFINITE, TRUE), which returns WSA_WAIT_IO_COMPLETION after running
 *   queued completion routines, or WSA_WAIT_EVENT_0 when sockets are queued.
 *   (With no new connections this is the same alertable wait as
 *   SleepEx(INFINITE, TRUE).)
 * - Every connection has one operation in flight. The routine of a WSARecv
 *   posts the WSASend of the bytes received (n == 0 or an error closes the
 *   socket); the routine of the WSASend posts the rest after a short send,
 *   else the next WSARecv. An operation that completes at once still has its
 *   routine queued, so the result is always handled in the routine.
 *
 * Threads are pthreads (winpthreads under mingw-w64). Builds with mingw-w64
 * against Windows' headers and on Linux against ws2-uring's headers.
 * Prints nothing once running.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUF_SIZE 65536
#define QUEUE_MAX 8192

struct conn {
    WSAOVERLAPPED ov; /* first: the routine gets &ov back and casts it */
    SOCKET s;
    DWORD off, len;   /* while sending: buf[off..len) still to go */
    char buf[BUF_SIZE];
};

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static SOCKET g_queue[QUEUE_MAX];
static int g_nqueued;
static WSAEVENT g_wake;
static SOCKET g_listener;

static void fatal(const char *what)
{
    fprintf(stderr, "routine_server: %s failed: %d\n", what, WSAGetLastError());
    exit(1);
}

static void CALLBACK recv_done(DWORD err, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags);
static void CALLBACK send_done(DWORD err, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags);

static void conn_close(struct conn *c)
{
    closesocket(c->s);
    free(c);
}

static void post_recv(struct conn *c)
{
    WSABUF wb;
    DWORD flags = 0;
    wb.buf = c->buf;
    wb.len = BUF_SIZE;
    memset(&c->ov, 0, sizeof c->ov);
    if (WSARecv(c->s, &wb, 1, NULL, &flags, &c->ov, recv_done) == SOCKET_ERROR &&
        WSAGetLastError() != WSA_IO_PENDING)
        conn_close(c);
}

static void post_send(struct conn *c)
{
    WSABUF wb;
    wb.buf = c->buf + c->off;
    wb.len = c->len - c->off;
    memset(&c->ov, 0, sizeof c->ov);
    if (WSASend(c->s, &wb, 1, NULL, 0, &c->ov, send_done) == SOCKET_ERROR &&
        WSAGetLastError() != WSA_IO_PENDING)
        conn_close(c);
}

static void CALLBACK recv_done(DWORD err, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    struct conn *c = (struct conn *)ov;
    (void)flags;
    if (err != 0 || bytes == 0) {
        conn_close(c);
        return;
    }
    c->off = 0;
    c->len = bytes;
    post_send(c);
}

static void CALLBACK send_done(DWORD err, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    struct conn *c = (struct conn *)ov;
    (void)flags;
    if (err != 0) {
        conn_close(c);
        return;
    }
    c->off += bytes;
    if (c->off < c->len)
        post_send(c);
    else
        post_recv(c);
}

static void *accept_main(void *arg)
{
    (void)arg;
    for (;;) {
        SOCKET s = accept(g_listener, NULL, NULL);
        if (s == INVALID_SOCKET) {
            int e = WSAGetLastError();
            if (e == WSAECONNRESET || e == WSAEINTR || e == WSAEMFILE || e == WSAENOBUFS)
                continue;
            fatal("accept");
        }
        BOOL one = TRUE;
        setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof one);
        pthread_mutex_lock(&g_lock);
        int room = g_nqueued < QUEUE_MAX;
        if (room)
            g_queue[g_nqueued++] = s;
        pthread_mutex_unlock(&g_lock);
        if (room)
            WSASetEvent(g_wake);
        else
            closesocket(s);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    WSADATA wsa;
    if (argc != 2) {
        fprintf(stderr, "usage: routine_server port\n");
        return 2;
    }
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
        fprintf(stderr, "routine_server: WSAStartup failed\n");
        return 1;
    }
    g_listener = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    if (g_listener == INVALID_SOCKET)
        fatal("WSASocket");
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((u_short)atoi(argv[1]));
    sa.sin_addr.s_addr = htonl(INADDR_ANY);
    if (bind(g_listener, (struct sockaddr *)&sa, sizeof sa) == SOCKET_ERROR)
        fatal("bind");
    if (listen(g_listener, SOMAXCONN) == SOCKET_ERROR)
        fatal("listen");
    /* Auto-reset: one wake per batch of queued sockets. */
    g_wake = CreateEventA(NULL, FALSE, FALSE, NULL);
    if (g_wake == NULL)
        fatal("CreateEventA");

    pthread_t th;
    if (pthread_create(&th, NULL, accept_main, NULL) != 0) {
        fprintf(stderr, "routine_server: pthread_create failed\n");
        return 1;
    }

    /* The I/O thread: every WSARecv/WSASend is issued here, so every routine runs here. */
    for (;;) {
        DWORD r = WSAWaitForMultipleEvents(1, &g_wake, FALSE, WSA_INFINITE, TRUE);
        if (r == WSA_WAIT_IO_COMPLETION)
            continue;
        if (r != WSA_WAIT_EVENT_0)
            fatal("WSAWaitForMultipleEvents");
        static SOCKET q[QUEUE_MAX];
        pthread_mutex_lock(&g_lock);
        int nq = g_nqueued;
        memcpy(q, g_queue, (size_t)nq * sizeof q[0]);
        g_nqueued = 0;
        pthread_mutex_unlock(&g_lock);
        for (int k = 0; k < nq; k++) {
            struct conn *c = malloc(sizeof *c);
            if (c == NULL) {
                closesocket(q[k]);
                continue;
            }
            c->s = q[k];
            c->off = c->len = 0;
            post_recv(c);
        }
    }
}
