/*
 * event_server: TCP echo server in portable Windows C, overlapped I/O with
 * event objects.
 *
 *   event_server port
 *
 * Structure (the classic Winsock event-object design):
 * - The main thread is the accept thread: a blocking accept() loop. Each new
 *   socket is handed to a worker thread through that worker's small
 *   mutex-protected queue, and the worker's wake event is set.
 * - One wait covers at most WSA_MAXIMUM_WAIT_EVENTS (64) events, so a worker
 *   owns at most 63 connections plus its wake event in slot 0; a new worker
 *   thread is started whenever every existing one is full. N connections use
 *   ceil(N / 63) workers.
 * - Every connection has one event object and one OVERLAPPED and exactly one
 *   operation in flight: WSARecv; when it completes with n > 0, WSASend of
 *   those n bytes (the rest re-sent after a short send); when that completes,
 *   WSARecv again. n == 0 or an error closes the socket.
 * - A worker blocks in WSAWaitForMultipleEvents(fWaitAll = FALSE). It serves
 *   the returned (lowest signalled) slot, then looks at the higher slots with
 *   HasOverlappedIoCompleted so that one wait serves every connection that is
 *   ready, and no low slot can starve a high one.
 * - A slot's event is reset before its OVERLAPPED is examined: a completion
 *   stores its status before it sets the event, so a completion that lands
 *   after the check sets the event again and is seen by the next wait. A
 *   leftover signal for an operation already handled only causes a wait that
 *   finds the new operation still pending.
 * - An operation that completes at once (the call returns 0) is handled
 *   inline, up to a few times in a row, then left to the event (which
 *   Windows sets for it as well).
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

#define SLOTS WSA_MAXIMUM_WAIT_EVENTS /* slot 0 is the wake event */
#define PER_WORKER (SLOTS - 1)
#define MAX_WORKERS 256
#define BUF_SIZE 65536
#define INLINE_LIMIT 8

struct conn {
    WSAOVERLAPPED ov;
    SOCKET s;
    int sending;     /* the operation in flight: 0 WSARecv, 1 WSASend */
    DWORD off, len;  /* while sending: buf[off..len) still to go */
    char buf[BUF_SIZE];
};

struct worker {
    pthread_t th;
    pthread_mutex_t lock;
    int assigned;               /* connections owned or queued (under lock) */
    int nqueued;                /* sockets handed over, not yet adopted (under lock) */
    SOCKET queue[PER_WORKER];
    WSAEVENT wake;
    /* Owned by the worker thread. */
    DWORD n;                    /* slots in use, including slot 0 */
    WSAEVENT events[SLOTS];
    struct conn *conns[SLOTS];
};

static struct worker *g_workers[MAX_WORKERS];
static int g_nworkers;

static void fatal(const char *what)
{
    fprintf(stderr, "event_server: %s failed: %d\n", what, WSAGetLastError());
    exit(1);
}

/* Close the connection in slot i; the last slot moves into i. */
static void drop(struct worker *w, DWORD i)
{
    struct conn *c = w->conns[i];
    closesocket(c->s);
    WSACloseEvent(w->events[i]);
    free(c);
    w->n--;
    w->events[i] = w->events[w->n];
    w->conns[i] = w->conns[w->n];
    w->events[w->n] = NULL;
    w->conns[w->n] = NULL;
    pthread_mutex_lock(&w->lock);
    w->assigned--;
    pthread_mutex_unlock(&w->lock);
}

/*
 * Post the next operation of c. Returns 1 when it is pending, 0 when it
 * completed at once (*bytes holds its count), -1 on error.
 */
static int post(struct conn *c, DWORD *bytes)
{
    WSABUF wb;
    int r;
    HANDLE ev = c->ov.hEvent;
    memset(&c->ov, 0, sizeof c->ov);
    c->ov.hEvent = ev;
    if (c->sending) {
        wb.buf = c->buf + c->off;
        wb.len = c->len - c->off;
        r = WSASend(c->s, &wb, 1, bytes, 0, &c->ov, NULL);
    } else {
        DWORD flags = 0;
        wb.buf = c->buf;
        wb.len = BUF_SIZE;
        r = WSARecv(c->s, &wb, 1, bytes, &flags, &c->ov, NULL);
    }
    if (r == 0)
        return 0;
    return WSAGetLastError() == WSA_IO_PENDING ? 1 : -1;
}

/*
 * The operation of c completed with `bytes` (ok says whether it succeeded):
 * decide and post the next one, following immediate completions inline.
 * Returns 0 to keep the connection, -1 to close it.
 */
static int advance(struct conn *c, BOOL ok, DWORD bytes)
{
    for (int round = 0;; round++) {
        if (!ok)
            return -1;
        if (c->sending) {
            c->off += bytes;
            if (c->off >= c->len)
                c->sending = 0;
        } else {
            if (bytes == 0)
                return -1; /* graceful close by the peer */
            c->sending = 1;
            c->off = 0;
            c->len = bytes;
        }
        int r = post(c, &bytes);
        if (r < 0)
            return -1;
        if (r == 1 || round >= INLINE_LIMIT)
            return 0; /* pending, or left to its event */
        ok = TRUE;
    }
}

/* Serve slot i whose event may be signalled. Returns 1 if slot i was dropped. */
static int serve(struct worker *w, DWORD i)
{
    struct conn *c = w->conns[i];
    WSAResetEvent(w->events[i]);
    if (!HasOverlappedIoCompleted(&c->ov))
        return 0; /* leftover signal; the operation in flight is still pending */
    DWORD bytes = 0, flags = 0;
    BOOL ok = WSAGetOverlappedResult(c->s, &c->ov, &bytes, FALSE, &flags);
    if (advance(c, ok, bytes) < 0) {
        drop(w, i);
        return 1;
    }
    return 0;
}

static void adopt(struct worker *w)
{
    SOCKET q[PER_WORKER];
    int nq;
    WSAResetEvent(w->wake);
    pthread_mutex_lock(&w->lock);
    nq = w->nqueued;
    memcpy(q, w->queue, (size_t)nq * sizeof q[0]);
    w->nqueued = 0;
    pthread_mutex_unlock(&w->lock);

    for (int k = 0; k < nq; k++) {
        struct conn *c = malloc(sizeof *c);
        WSAEVENT ev = WSACreateEvent();
        if (c == NULL || ev == WSA_INVALID_EVENT) {
            fprintf(stderr, "event_server: out of memory or events\n");
            exit(1);
        }
        memset(&c->ov, 0, sizeof c->ov);
        c->ov.hEvent = ev;
        c->s = q[k];
        c->sending = 0;
        c->off = c->len = 0;
        DWORD i = w->n++;
        w->events[i] = ev;
        w->conns[i] = c;
        DWORD bytes = 0;
        int r = post(c, &bytes);
        if (r < 0 || (r == 0 && advance(c, TRUE, bytes) < 0))
            drop(w, i);
    }
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    for (;;) {
        DWORD r = WSAWaitForMultipleEvents(w->n, w->events, FALSE, WSA_INFINITE, FALSE);
        if (r == WSA_WAIT_FAILED)
            fatal("WSAWaitForMultipleEvents");
        if (r >= WSA_WAIT_EVENT_0 + w->n)
            continue; /* not an event index (cannot happen without alertable/timeout) */
        DWORD i = r - WSA_WAIT_EVENT_0;
        if (i == 0) {
            adopt(w);
            i = 1;
        } else if (!serve(w, i)) {
            i++;
        }
        /* Every higher slot whose operation is done is served in the same pass. */
        while (i < w->n) {
            if (HasOverlappedIoCompleted(&w->conns[i]->ov) && serve(w, i))
                continue; /* slot i now holds the connection moved from the end */
            i++;
        }
    }
    return NULL;
}

static struct worker *new_worker(void)
{
    if (g_nworkers == MAX_WORKERS) {
        fprintf(stderr, "event_server: too many connections\n");
        return NULL;
    }
    struct worker *w = calloc(1, sizeof *w);
    if (w == NULL)
        return NULL;
    pthread_mutex_init(&w->lock, NULL);
    w->wake = WSACreateEvent();
    if (w->wake == WSA_INVALID_EVENT)
        fatal("WSACreateEvent");
    w->events[0] = w->wake;
    w->n = 1;
    if (pthread_create(&w->th, NULL, worker_main, w) != 0) {
        fprintf(stderr, "event_server: pthread_create failed\n");
        exit(1);
    }
    g_workers[g_nworkers++] = w;
    return w;
}

/* Give s to the first worker with a free slot, starting one if all are full. */
static void hand_over(SOCKET s)
{
    for (int k = 0; k <= g_nworkers; k++) {
        struct worker *w = k < g_nworkers ? g_workers[k] : new_worker();
        if (w == NULL)
            break;
        pthread_mutex_lock(&w->lock);
        if (w->assigned < PER_WORKER) {
            w->assigned++;
            w->queue[w->nqueued++] = s;
            pthread_mutex_unlock(&w->lock);
            WSASetEvent(w->wake);
            return;
        }
        pthread_mutex_unlock(&w->lock);
    }
    closesocket(s);
}

int main(int argc, char **argv)
{
    WSADATA wsa;
    if (argc != 2) {
        fprintf(stderr, "usage: event_server port\n");
        return 2;
    }
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
        fprintf(stderr, "event_server: WSAStartup failed\n");
        return 1;
    }
    SOCKET ls = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    if (ls == INVALID_SOCKET)
        fatal("WSASocket");
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((u_short)atoi(argv[1]));
    sa.sin_addr.s_addr = htonl(INADDR_ANY);
    if (bind(ls, (struct sockaddr *)&sa, sizeof sa) == SOCKET_ERROR)
        fatal("bind");
    if (listen(ls, SOMAXCONN) == SOCKET_ERROR)
        fatal("listen");

    for (;;) {
        SOCKET s = accept(ls, NULL, NULL);
        if (s == INVALID_SOCKET) {
            int e = WSAGetLastError();
            if (e == WSAECONNRESET || e == WSAEINTR || e == WSAEMFILE || e == WSAENOBUFS)
                continue;
            fatal("accept");
        }
        BOOL one = TRUE;
        setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof one);
        hand_over(s);
    }
}
