/* A completion-port echo server in the usual Windows form, driven by 16 ConnectEx clients:
 * - server: one port; 4 worker threads in GetQueuedCompletionStatus; 16 AcceptEx posted at once on
 *   the listener (associated with the port), half with a 512-byte receive buffer (completing with
 *   the first data), half without; every accepted socket gets SO_UPDATE_ACCEPT_CONTEXT and is
 *   associated with the port; one operation in flight per connection, each in a per-I/O context
 *   struct holding the OVERLAPPED: WSARecv, then WSASend of what came (re-posted after a short
 *   send), then WSARecv again; 0 bytes or an error closes the connection;
 * - clients: 16 threads, each a bound socket connected with ConnectEx, waited for through an event
 *   (even clients) or the client's own completion port (odd ones); every fourth client sends its
 *   first message as ConnectEx's send data; 125 messages each, 2000 in all, of 1..8192 bytes of
 *   deterministic pseudo-random content, every echoed byte compared;
 * - orderly shutdown: the clients close, the server sees 0-byte receives and closes its sockets,
 *   then PostQueuedCompletionStatus with a quit key stops the workers; every thread is joined,
 *   every socket closed. Bounded: fails if not done within 20 s (and every wait is bounded).
 * Sources: MS docs AcceptEx, ConnectEx, GetQueuedCompletionStatus, PostQueuedCompletionStatus,
 * SO_UPDATE_ACCEPT_CONTEXT, SO_UPDATE_CONNECT_CONTEXT. */
#include "testutil.h"
#include <mswsock.h>
#include <pthread.h>

#define NWORKERS 4
#define NCLIENTS 16
#define MSGS_PER_CLIENT 125
#define MAX_MSG 8192
#define ACCEPT_RECV 512
#define ADDRLEN ((DWORD)sizeof(struct sockaddr_in) + 16)
#define DEADLINE_MS 20000
#define KEY_LISTEN ((ULONG_PTR)1)
#define KEY_CONN ((ULONG_PTR)2)
#define KEY_QUIT ((ULONG_PTR)3)

enum { OP_ACCEPT, OP_RECV, OP_SEND };

struct io {
    OVERLAPPED ov; /* first: the OVERLAPPED* a packet gives is the struct's address */
    int op;
    SOCKET s;
    DWORD rlen;    /* OP_ACCEPT: receive length passed to AcceptEx */
    DWORD off, len; /* OP_SEND: buf[off..len) still to go */
    char buf[MAX_MSG + 2 * ADDRLEN];
};

static LPFN_ACCEPTEX pAcceptEx;
static LPFN_CONNECTEX pConnectEx;
static HANDLE g_port;
static SOCKET g_listener;
static struct sockaddr_in g_addr;
static unsigned long long g_start;
static struct io g_accepts[NCLIENTS];

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static int g_accepted, g_closed, g_server_errors, g_bad_packets;
static long long g_echoed;

static void count(int *c, int d)
{
    pthread_mutex_lock(&g_lock);
    *c += d;
    pthread_mutex_unlock(&g_lock);
}

static int get(int *c)
{
    int v;
    pthread_mutex_lock(&g_lock);
    v = *c;
    pthread_mutex_unlock(&g_lock);
    return v;
}

static int expired(void)
{
    return tu_now_ms() - g_start > DEADLINE_MS;
}

static void close_conn(struct io *c)
{
    closesocket(c->s);
    free(c);
    count(&g_closed, 1);
}

/* Post the connection's next operation; closes it when the call fails at once. A call that
 * completes at once still posts its packet, which drives the next step. */
static void post_recv(struct io *c)
{
    WSABUF wb;
    DWORD flags = 0;
    memset(&c->ov, 0, sizeof(c->ov));
    c->op = OP_RECV;
    wb.buf = c->buf;
    wb.len = MAX_MSG;
    if (WSARecv(c->s, &wb, 1, NULL, &flags, &c->ov, NULL) == SOCKET_ERROR && WSAGetLastError() != WSA_IO_PENDING) {
        count(&g_server_errors, 1);
        close_conn(c);
    }
}

static void post_send(struct io *c)
{
    WSABUF wb;
    memset(&c->ov, 0, sizeof(c->ov));
    c->op = OP_SEND;
    wb.buf = c->buf + c->off;
    wb.len = c->len - c->off;
    if (WSASend(c->s, &wb, 1, NULL, 0, &c->ov, NULL) == SOCKET_ERROR && WSAGetLastError() != WSA_IO_PENDING) {
        count(&g_server_errors, 1);
        close_conn(c);
    }
}

static void on_accept(struct io *a, BOOL okay, DWORD n)
{
    struct io *c;
    if (!okay) {
        count(&g_server_errors, 1);
        closesocket(a->s);
        return;
    }
    if (setsockopt(a->s, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&g_listener, sizeof(g_listener)) ||
        CreateIoCompletionPort((HANDLE)a->s, g_port, KEY_CONN, 0) != g_port) {
        count(&g_server_errors, 1);
        closesocket(a->s);
        return;
    }
    count(&g_accepted, 1);
    c = calloc(1, sizeof(*c));
    c->s = a->s;
    if (n > 0) {
        /* the data AcceptEx received is at the buffer's start: echo it first */
        memcpy(c->buf, a->buf, n);
        c->off = 0;
        c->len = n;
        pthread_mutex_lock(&g_lock);
        g_echoed += n;
        pthread_mutex_unlock(&g_lock);
        post_send(c);
    } else {
        post_recv(c);
    }
}

static void *worker(void *arg)
{
    (void)arg;
    for (;;) {
        DWORD n = 0;
        ULONG_PTR key = 0;
        OVERLAPPED *o = NULL;
        BOOL b = GetQueuedCompletionStatus(g_port, &n, &key, &o, 500);
        struct io *c;
        if (!o) {
            if (!b && GetLastError() == WAIT_TIMEOUT && !expired())
                continue;
            if (b && key == KEY_QUIT)
                break;
            count(&g_bad_packets, 1); /* a failure without a packet, or the deadline */
            break;
        }
        c = (struct io *)o;
        if (key == KEY_LISTEN && c->op == OP_ACCEPT) {
            on_accept(c, b, n);
        } else if (key == KEY_CONN && c->op == OP_RECV) {
            if (!b || n == 0) {
                if (!b)
                    count(&g_server_errors, 1);
                close_conn(c);
            } else {
                c->off = 0;
                c->len = n;
                pthread_mutex_lock(&g_lock);
                g_echoed += n;
                pthread_mutex_unlock(&g_lock);
                post_send(c);
            }
        } else if (key == KEY_CONN && c->op == OP_SEND) {
            if (!b) {
                count(&g_server_errors, 1);
                close_conn(c);
            } else {
                c->off += n;
                if (c->off < c->len)
                    post_send(c);
                else
                    post_recv(c);
            }
        } else {
            count(&g_bad_packets, 1);
        }
    }
    return NULL;
}

/* ---- clients ---- */

struct client {
    int id;
    pthread_t th;
    int msgs_ok;
    long long bytes;
    char err[160];
};

static unsigned int rnd(unsigned int *st)
{
    unsigned int x = *st;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *st = x;
}

static void fill(char *p, int len, unsigned int seed)
{
    int i;
    for (i = 0; i < len; i++) {
        seed = seed * 1103515245u + 12345u;
        p[i] = (char)(seed >> 16);
    }
}

static int send_all(SOCKET s, const char *p, int len)
{
    int done = 0;
    while (done < len) {
        int r = send(s, p + done, len - done, 0);
        if (r <= 0)
            return -1;
        done += r;
    }
    return 0;
}

static void *client_thread(void *arg)
{
    struct client *cl = arg;
    static const DWORD tmo = 5000;
    struct sockaddr_in lo = tu_lo4(0);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    char *out = malloc(MAX_MSG), *in = malloc(MAX_MSG);
    unsigned int st = 0x9e3779b9u ^ (unsigned int)(cl->id * 7919 + 1);
    int m, first_len = 0, len;
    OVERLAPPED ov;
    HANDLE cport = NULL;
    DWORD n = 0;
    BOOL b;

    memset(&ov, 0, sizeof(ov));
    if (bind(s, (struct sockaddr *)&lo, sizeof(lo))) {
        snprintf(cl->err, sizeof(cl->err), "bind: error %d", WSAGetLastError());
        goto out;
    }
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&tmo, sizeof(tmo));
    setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, (const char *)&tmo, sizeof(tmo));
    if (cl->id % 2)
        cport = CreateIoCompletionPort((HANDLE)s, NULL, 100 + cl->id, 0);
    else
        ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    /* the first message's size and content */
    len = 1 + (int)(rnd(&st) % MAX_MSG);
    fill(out, len, rnd(&st));
    if (cl->id % 4 == 0)
        first_len = len; /* sent with ConnectEx */
    b = pConnectEx(s, (struct sockaddr *)&g_addr, sizeof(g_addr), first_len ? out : NULL, (DWORD)first_len, &n, &ov);
    if (!b && WSAGetLastError() != ERROR_IO_PENDING) {
        snprintf(cl->err, sizeof(cl->err), "ConnectEx: error %d", WSAGetLastError());
        goto out;
    }
    if (cport) {
        ULONG_PTR key = 0;
        OVERLAPPED *o = NULL;
        b = GetQueuedCompletionStatus(cport, &n, &key, &o, 5000);
        if (!b || o != &ov || key != (ULONG_PTR)(100 + cl->id) || n != (DWORD)first_len) {
            snprintf(cl->err, sizeof(cl->err), "ConnectEx packet: got %d ov ok %d key %llu bytes %u error %u", b,
                     o == &ov, (unsigned long long)key, (unsigned)n, (unsigned)GetLastError());
            goto out;
        }
    } else {
        if (WaitForSingleObject(ov.hEvent, 5000) != WAIT_OBJECT_0 || !GetOverlappedResult((HANDLE)s, &ov, &n, FALSE) ||
            n != (DWORD)first_len) {
            snprintf(cl->err, sizeof(cl->err), "ConnectEx: not completed (bytes %u error %u)", (unsigned)n,
                     (unsigned)GetLastError());
            goto out;
        }
    }
    if (setsockopt(s, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0)) {
        snprintf(cl->err, sizeof(cl->err), "SO_UPDATE_CONNECT_CONTEXT: error %d", WSAGetLastError());
        goto out;
    }
    for (m = 0; m < MSGS_PER_CLIENT; m++) {
        int got;
        if (m > 0) {
            len = 1 + (int)(rnd(&st) % MAX_MSG);
            fill(out, len, rnd(&st));
        }
        if (!(m == 0 && first_len) && send_all(s, out, len)) {
            snprintf(cl->err, sizeof(cl->err), "message %d: send error %d", m, WSAGetLastError());
            break;
        }
        got = tu_recv_all(s, in, len);
        if (got != len) {
            snprintf(cl->err, sizeof(cl->err), "message %d: received %d of %d bytes (error %d)", m, got, len,
                     WSAGetLastError());
            break;
        }
        if (memcmp(in, out, len)) {
            snprintf(cl->err, sizeof(cl->err), "message %d: echoed bytes differ", m);
            break;
        }
        cl->msgs_ok++;
        cl->bytes += len;
        if (expired()) {
            snprintf(cl->err, sizeof(cl->err), "deadline passed after %d messages", m + 1);
            break;
        }
    }
out:
    closesocket(s);
    if (cport)
        CloseHandle(cport);
    if (ov.hEvent)
        CloseHandle(ov.hEvent);
    free(out);
    free(in);
    return NULL;
}

int main(void)
{
    GUID ga = WSAID_ACCEPTEX, gc = WSAID_CONNECTEX;
    pthread_t workers[NWORKERS];
    struct client *cl = calloc(NCLIENTS, sizeof(*cl));
    DWORD n;
    int i, total_ok = 0;
    long long total_bytes = 0;

    tu_startup();
    g_start = tu_now_ms();
    g_listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSAIoctl(g_listener, SIO_GET_EXTENSION_FUNCTION_POINTER, &ga, sizeof(ga), &pAcceptEx, sizeof(pAcceptEx), &n,
             NULL, NULL);
    WSAIoctl(g_listener, SIO_GET_EXTENSION_FUNCTION_POINTER, &gc, sizeof(gc), &pConnectEx, sizeof(pConnectEx), &n,
             NULL, NULL);
    ok(pAcceptEx && pConnectEx, "extension functions: AcceptEx %p ConnectEx %p", (void *)pAcceptEx,
       (void *)pConnectEx);
    if (!pAcceptEx || !pConnectEx)
        return test_done();
    g_addr = tu_lo4(0);
    ok(bind(g_listener, (struct sockaddr *)&g_addr, sizeof(g_addr)) == 0, "bind: error %d", WSAGetLastError());
    ok(listen(g_listener, SOMAXCONN) == 0, "listen: error %d", WSAGetLastError());
    {
        int len = sizeof(g_addr);
        getsockname(g_listener, (struct sockaddr *)&g_addr, &len);
    }
    g_port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    ok(g_port != NULL, "CreateIoCompletionPort: error %u", (unsigned)GetLastError());
    ok(CreateIoCompletionPort((HANDLE)g_listener, g_port, KEY_LISTEN, 0) == g_port, "associate listener: error %u",
       (unsigned)GetLastError());
    for (i = 0; i < NWORKERS; i++)
        pthread_create(&workers[i], NULL, worker, NULL);

    for (i = 0; i < NCLIENTS; i++) {
        struct io *a = &g_accepts[i];
        BOOL b;
        memset(a, 0, sizeof(*a));
        a->op = OP_ACCEPT;
        a->s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        a->rlen = (i % 2) ? ACCEPT_RECV : 0;
        n = 0;
        b = pAcceptEx(g_listener, a->s, a->buf, a->rlen, ADDRLEN, ADDRLEN, &n, &a->ov);
        ok(!b && WSAGetLastError() == ERROR_IO_PENDING, "AcceptEx %d: got %d error %d", i, b, WSAGetLastError());
    }

    for (i = 0; i < NCLIENTS; i++) {
        cl[i].id = i;
        pthread_create(&cl[i].th, NULL, client_thread, &cl[i]);
    }
    for (i = 0; i < NCLIENTS; i++) {
        pthread_join(cl[i].th, NULL);
        ok(cl[i].msgs_ok == MSGS_PER_CLIENT && !cl[i].err[0], "client %d: %d messages echoed%s%s", i, cl[i].msgs_ok,
           cl[i].err[0] ? ": " : "", cl[i].err);
        total_ok += cl[i].msgs_ok;
        total_bytes += cl[i].bytes;
    }
    ok(total_ok == NCLIENTS * MSGS_PER_CLIENT, "%d messages echoed, want %d", total_ok, NCLIENTS * MSGS_PER_CLIENT);

    /* the server closes its side once each client's close arrives */
    while (get(&g_closed) < NCLIENTS && !expired())
        tu_sleep_ms(10);
    ok(get(&g_accepted) == NCLIENTS && get(&g_closed) == NCLIENTS, "server: %d accepted, %d closed, want %d",
       get(&g_accepted), get(&g_closed), NCLIENTS);
    pthread_mutex_lock(&g_lock);
    ok(g_echoed == total_bytes, "server echoed %lld bytes, clients got %lld", g_echoed, total_bytes);
    pthread_mutex_unlock(&g_lock);

    for (i = 0; i < NWORKERS; i++)
        ok(PostQueuedCompletionStatus(g_port, 0, KEY_QUIT, NULL), "post quit: error %u", (unsigned)GetLastError());
    for (i = 0; i < NWORKERS; i++)
        pthread_join(workers[i], NULL);
    ok(get(&g_server_errors) == 0, "server: %d operations failed", get(&g_server_errors));
    ok(get(&g_bad_packets) == 0, "server: %d unexpected packets or wait failures", get(&g_bad_packets));
    ok(!expired(), "not done within %d ms (%llu ms)", DEADLINE_MS, tu_now_ms() - g_start);

    ok(closesocket(g_listener) == 0, "closesocket(listener): error %d", WSAGetLastError());
    ok(CloseHandle(g_port), "CloseHandle(port): error %u", (unsigned)GetLastError());
    free(cl);
    printf("%d messages, %lld bytes echoed in %llu ms\n", total_ok, total_bytes, tu_now_ms() - g_start);
    WSACleanup();
    return test_done();
}
