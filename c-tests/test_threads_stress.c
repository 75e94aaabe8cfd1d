/* Thread safety under load, bounded in time:
 * - 4 threads each run 300 rounds of socket/bind/listen/connect/accept/send/recv/closesocket on
 *   loopback with the bytes checked, while a 5th thread creates and closes sockets and checks that
 *   each handle it closed is no longer a socket (WSAENOTSOCK for getsockopt, send and a second
 *   closesocket); afterwards every handle used is closed and a fresh socket works.
 * - 8 threads move 256 KiB each way over 8 connections with blocking send/recv, every byte
 *   checked.
 * Windows reuses handle values, so a closed value may name a new socket once another thread
 * creates one. The closing thread therefore closes and checks inside a gate that the creating
 * threads pass (shared) around socket() and accept(): no socket can be created between its close
 * and its checks. (The gate is a mutex and a condition variable: winpthreads' rwlock, which the
 * Windows build would use, was seen letting a reader in beside the writer.) */
#define _POSIX_C_SOURCE 200809L
#include "testutil.h"
#include <pthread.h>

static pthread_mutex_t ok_lock = PTHREAD_MUTEX_INITIALIZER;

/* The creation gate: shared for creating threads, exclusive for the closing thread (which waits
 * for the shared holders to leave and keeps new ones out meanwhile). */
static pthread_mutex_t gate_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cv = PTHREAD_COND_INITIALIZER;
static int gate_shared, gate_excl;

static void shared_enter(void)
{
    pthread_mutex_lock(&gate_mu);
    while (gate_excl)
        pthread_cond_wait(&gate_cv, &gate_mu);
    gate_shared++;
    pthread_mutex_unlock(&gate_mu);
}

static void shared_leave(void)
{
    pthread_mutex_lock(&gate_mu);
    if (--gate_shared == 0)
        pthread_cond_broadcast(&gate_cv);
    pthread_mutex_unlock(&gate_mu);
}

static void excl_enter(void)
{
    pthread_mutex_lock(&gate_mu);
    while (gate_excl)
        pthread_cond_wait(&gate_cv, &gate_mu);
    gate_excl = 1;
    while (gate_shared)
        pthread_cond_wait(&gate_cv, &gate_mu);
    pthread_mutex_unlock(&gate_mu);
}

static void excl_leave(void)
{
    pthread_mutex_lock(&gate_mu);
    gate_excl = 0;
    pthread_cond_broadcast(&gate_cv);
    pthread_mutex_unlock(&gate_mu);
}

/* ok() from any thread. */
#define tok(cond, ...)                               \
    do {                                             \
        int tok_c_ = !!(cond);                       \
        pthread_mutex_lock(&ok_lock);                \
        ok(tok_c_, __VA_ARGS__);                     \
        pthread_mutex_unlock(&ok_lock);              \
    } while (0)

/* ------------------------------------------------------------------ churn */

#define CHURN_THREADS 4
#define CHURN_ROUNDS 300

struct churn {
    int id;
    int rounds_ok;
    SOCKET last[3];
};

static volatile int churn_running;

static SOCKET create_tcp(void)
{
    SOCKET s;
    shared_enter();
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    shared_leave();
    return s;
}

static void set_timeouts(SOCKET s)
{
    DWORD ms = 10000;
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&ms, sizeof(ms));
    setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, (const char *)&ms, sizeof(ms));
}

/* One round; returns 1 when every step worked. */
static int churn_round(struct churn *w, int round)
{
    struct sockaddr_in a;
    SOCKET l, c, s;
    char out[64], back[64], in[64];
    int len = sizeof(a), n, i, size, good = 1;

    l = create_tcp();
    c = create_tcp();
    if (l == INVALID_SOCKET || c == INVALID_SOCKET) {
        tok(0, "thread %d round %d: socket failed: error %d", w->id, round, WSAGetLastError());
        closesocket(l);
        closesocket(c);
        return 0;
    }
    a = tu_lo4(0);
    if (bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 1) ||
        getsockname(l, (struct sockaddr *)&a, &len)) {
        tok(0, "thread %d round %d: listener setup: error %d", w->id, round, WSAGetLastError());
        closesocket(l);
        closesocket(c);
        return 0;
    }
    set_timeouts(c);
    if (connect(c, (struct sockaddr *)&a, sizeof(a))) {
        tok(0, "thread %d round %d: connect: error %d", w->id, round, WSAGetLastError());
        closesocket(l);
        closesocket(c);
        return 0;
    }
    shared_enter();
    s = accept(l, NULL, NULL);
    shared_leave();
    if (s == INVALID_SOCKET) {
        tok(0, "thread %d round %d: accept: error %d", w->id, round, WSAGetLastError());
        closesocket(l);
        closesocket(c);
        return 0;
    }
    set_timeouts(s);

    size = 16 + (round * 7 + w->id * 13) % 48;
    for (i = 0; i < size; i++) {
        out[i] = (char)(w->id * 61 + round * 3 + i);
        back[i] = (char)~out[i];
    }
    n = send(c, out, size, 0);
    if (n != size) {
        tok(0, "thread %d round %d: send: got %d error %d", w->id, round, n, WSAGetLastError());
        good = 0;
    } else if ((n = tu_recv_all(s, in, size)) != size || memcmp(in, out, size)) {
        tok(0, "thread %d round %d: recv on the accepted socket: got %d bytes (want %d), %s",
            w->id, round, n, size, n == size ? "wrong bytes" : "short");
        good = 0;
    } else if ((n = send(s, back, size, 0)) != size) {
        tok(0, "thread %d round %d: reply send on %#llx: got %d error %d", w->id, round,
            (unsigned long long)s, n, WSAGetLastError());
        good = 0;
    } else if ((n = tu_recv_all(c, in, size)) != size || memcmp(in, back, size)) {
        tok(0, "thread %d round %d: reply recv: got %d bytes (want %d)", w->id, round, n, size);
        good = 0;
    }

    /* An abortive close of the accepted end (all bytes were read): no TIME_WAIT is left behind,
     * so 1200 rounds do not use up the loopback ports that port-0 binds draw from. */
    {
        struct linger lg;
        lg.l_onoff = 1;
        lg.l_linger = 0;
        if (setsockopt(s, SOL_SOCKET, SO_LINGER, (const char *)&lg, sizeof(lg))) {
            tok(0, "thread %d round %d: SO_LINGER: error %d", w->id, round, WSAGetLastError());
            good = 0;
        }
    }
    if (closesocket(s) || closesocket(c) || closesocket(l)) {
        tok(0, "thread %d round %d: closesocket (%#llx %#llx %#llx): error %d", w->id, round,
            (unsigned long long)s, (unsigned long long)c, (unsigned long long)l, WSAGetLastError());
        good = 0;
    }
    w->last[0] = l;
    w->last[1] = c;
    w->last[2] = s;
    return good;
}

static void *churn_thread(void *arg)
{
    struct churn *w = arg;
    int r;
    for (r = 0; r < CHURN_ROUNDS; r++)
        w->rounds_ok += churn_round(w, r);
    return NULL;
}

struct closer {
    int batches, closed, bad;
};

/* Creates sockets, then (holding the creation lock exclusively) closes them and checks that each
 * closed handle is not a socket any more. */
static void *closer_thread(void *arg)
{
    struct closer *k = arg;
    SOCKET h[8];
    char buf[4];
    int i, v, len, r, e;

    while (churn_running && k->batches < 2000) {
        for (i = 0; i < 8; i++)
            h[i] = socket(i & 1 ? AF_INET : AF_INET6, i & 2 ? SOCK_DGRAM : SOCK_STREAM, 0);
        excl_enter();
        for (i = 0; i < 8; i++) {
            if (h[i] == INVALID_SOCKET) {
                tok(0, "closer: socket failed: error %d", WSAGetLastError());
                k->bad++;
                continue;
            }
            if (closesocket(h[i]) != 0) {
                tok(0, "closer: closesocket: error %d", WSAGetLastError());
                k->bad++;
                continue;
            }
            k->closed++;
            len = sizeof(v);
            WSASetLastError(0xdeadbeef);
            r = getsockopt(h[i], SOL_SOCKET, SO_TYPE, (char *)&v, &len);
            e = WSAGetLastError();
            if (r != SOCKET_ERROR || e != WSAENOTSOCK) {
                tok(0, "closer: getsockopt on closed handle %#llx: got %d error %d, want WSAENOTSOCK",
                    (unsigned long long)h[i], r, e);
                k->bad++;
            }
            WSASetLastError(0xdeadbeef);
            r = send(h[i], buf, 1, 0);
            e = WSAGetLastError();
            if (r != SOCKET_ERROR || e != WSAENOTSOCK) {
                tok(0, "closer: send on closed handle: got %d error %d, want WSAENOTSOCK", r, e);
                k->bad++;
            }
            WSASetLastError(0xdeadbeef);
            r = closesocket(h[i]);
            e = WSAGetLastError();
            if (r != SOCKET_ERROR || e != WSAENOTSOCK) {
                tok(0, "closer: second closesocket: got %d error %d, want WSAENOTSOCK", r, e);
                k->bad++;
            }
        }
        excl_leave();
        k->batches++;
    }
    return NULL;
}

static void exchange_fresh(void)
{
    SOCKET c, s;
    char buf[8];
    ok(tu_tcp_pair(&c, &s) == 0, "fresh tcp pair after the churn: error %d", WSAGetLastError());
    ok(send(c, "fresh", 5, 0) == 5, "fresh send: error %d", WSAGetLastError());
    ok(tu_recv_all(s, buf, 5) == 5 && !memcmp(buf, "fresh", 5), "fresh recv");
    ok(closesocket(c) == 0 && closesocket(s) == 0, "fresh closesocket: error %d", WSAGetLastError());
}

static void test_churn(void)
{
    pthread_t t[CHURN_THREADS], kt;
    struct churn w[CHURN_THREADS];
    struct closer k;
    int i, j, v, len;

    memset(w, 0, sizeof(w));
    memset(&k, 0, sizeof(k));
    churn_running = 1;
    ok(pthread_create(&kt, NULL, closer_thread, &k) == 0, "pthread_create closer");
    for (i = 0; i < CHURN_THREADS; i++) {
        w[i].id = i;
        ok(pthread_create(&t[i], NULL, churn_thread, &w[i]) == 0, "pthread_create %d", i);
    }
    for (i = 0; i < CHURN_THREADS; i++)
        pthread_join(t[i], NULL);
    churn_running = 0;
    pthread_join(kt, NULL);

    for (i = 0; i < CHURN_THREADS; i++)
        ok(w[i].rounds_ok == CHURN_ROUNDS, "thread %d: %d of %d rounds worked", i, w[i].rounds_ok,
           CHURN_ROUNDS);
    ok(k.batches > 0 && k.closed == 8 * k.batches && k.bad == 0,
       "closer: %d batches, %d closed, %d bad", k.batches, k.closed, k.bad);

    /* Nothing is open now: every handle the threads used is gone. */
    for (i = 0; i < CHURN_THREADS; i++)
        for (j = 0; j < 3; j++) {
            len = sizeof(v);
            WSASetLastError(0xdeadbeef);
            ok_wsa_fail(getsockopt(w[i].last[j], SOL_SOCKET, SO_TYPE, (char *)&v, &len), SOCKET_ERROR,
                        WSAENOTSOCK);
        }
    exchange_fresh();
}

/* ------------------------------------------------------------------- bulk */

#define BULK_CONNS 8
#define BULK_BYTES (256 * 1024)
#define BULK_MAX_CHUNK 8192

/* ends[i][0] is the client end of connection i, ends[i][1] the accepted end. Direction 0 flows
 * client -> server, direction 1 server -> client. */
static SOCKET ends[BULK_CONNS][2];

static unsigned char pattern(int conn, int dir, unsigned off)
{
    return (unsigned char)(off * 131u + (off >> 9) + (unsigned)conn * 29u + (unsigned)dir * 77u);
}

static int chunk_size(int conn, int dir, int k)
{
    return 1 + (int)(((unsigned)k * 2654435761u + (unsigned)conn * 40503u + (unsigned)dir * 977u) %
                     BULK_MAX_CHUNK);
}

/* One direction of one connection as seen by one end. */
struct stream {
    int conn, dir, sending;
    SOCKET s;
    unsigned off;
    int k;
};

struct bulk {
    int id;
    struct stream st[4];
    unsigned long long moved;
    int errors;
};

/* One step of a stream: send or receive its next chunk. Returns 0 when it failed. */
static int step(struct bulk *b, struct stream *x, unsigned char *buf)
{
    int size = chunk_size(x->conn, x->dir, x->k), n, i;
    if (x->off + (unsigned)size > BULK_BYTES)
        size = (int)(BULK_BYTES - x->off);
    if (x->sending) {
        for (i = 0; i < size; i++)
            buf[i] = pattern(x->conn, x->dir, x->off + (unsigned)i);
        n = send(x->s, (const char *)buf, size, 0);
        if (n != size) {
            tok(0, "bulk thread %d: conn %d dir %d send at %u: got %d of %d, error %d", b->id, x->conn,
                x->dir, x->off, n, size, WSAGetLastError());
            return 0;
        }
    } else {
        n = tu_recv_all(x->s, (char *)buf, size);
        if (n != size) {
            tok(0, "bulk thread %d: conn %d dir %d recv at %u: got %d of %d, error %d", b->id, x->conn,
                x->dir, x->off, n, size, WSAGetLastError());
            return 0;
        }
        for (i = 0; i < size; i++)
            if (buf[i] != pattern(x->conn, x->dir, x->off + (unsigned)i)) {
                tok(0, "bulk: conn %d dir %d byte %u is %02x, want %02x", x->conn, x->dir,
                    x->off + (unsigned)i, buf[i], pattern(x->conn, x->dir, x->off + (unsigned)i));
                return 0;
            }
    }
    x->off += (unsigned)size;
    x->k++;
    b->moved += (unsigned)size;
    return 1;
}

/* Thread i owns the client end of connection i and the server end of connection i-1. Each round
 * it sends one chunk on each of its two outgoing streams, then receives one chunk on each of its
 * two incoming streams. The peers do the same, so at most two chunks per direction are in flight
 * and no blocking send can wait for a reader that is itself blocked. */
static void *bulk_thread(void *arg)
{
    struct bulk *b = arg;
    unsigned char *buf = malloc(BULK_MAX_CHUNK);
    int busy = 1, j;

    while (busy && buf) {
        busy = 0;
        for (j = 0; j < 4; j++) {
            struct stream *x = &b->st[j];
            if (x->off >= BULK_BYTES)
                continue;
            busy = 1;
            if (!step(b, x, buf)) {
                b->errors++;
                free(buf);
                return NULL;
            }
        }
    }
    free(buf);
    return NULL;
}

static void test_bulk(void)
{
    pthread_t t[BULK_CONNS];
    struct bulk b[BULK_CONNS];
    int i, prev;
    unsigned long long total = 0;

    for (i = 0; i < BULK_CONNS; i++) {
        ok(tu_tcp_pair(&ends[i][0], &ends[i][1]) == 0, "bulk pair %d: error %d", i, WSAGetLastError());
        set_timeouts(ends[i][0]);
        set_timeouts(ends[i][1]);
    }
    memset(b, 0, sizeof(b));
    for (i = 0; i < BULK_CONNS; i++) {
        prev = (i + BULK_CONNS - 1) % BULK_CONNS;
        b[i].id = i;
        /* Outgoing first (slots 0, 1), then incoming (slots 2, 3). */
        b[i].st[0] = (struct stream){i, 0, 1, ends[i][0], 0, 0};
        b[i].st[1] = (struct stream){prev, 1, 1, ends[prev][1], 0, 0};
        b[i].st[2] = (struct stream){i, 1, 0, ends[i][0], 0, 0};
        b[i].st[3] = (struct stream){prev, 0, 0, ends[prev][1], 0, 0};
    }
    for (i = 0; i < BULK_CONNS; i++)
        ok(pthread_create(&t[i], NULL, bulk_thread, &b[i]) == 0, "pthread_create bulk %d", i);
    for (i = 0; i < BULK_CONNS; i++) {
        pthread_join(t[i], NULL);
        ok(b[i].errors == 0, "bulk thread %d failed", i);
        total += b[i].moved;
    }
    /* Every byte counted once by its sender and once by its receiver. */
    ok(total == 2ull * 2 * BULK_CONNS * BULK_BYTES, "bulk moved %llu bytes, want %llu", total,
       2ull * 2 * BULK_CONNS * BULK_BYTES);

    /* Nothing extra arrived anywhere. */
    for (i = 0; i < BULK_CONNS; i++) {
        u_long avail = 1;
        ok(ioctlsocket(ends[i][0], FIONREAD, &avail) == 0 && avail == 0, "conn %d client: %lu extra bytes",
           i, (unsigned long)avail);
        avail = 1;
        ok(ioctlsocket(ends[i][1], FIONREAD, &avail) == 0 && avail == 0, "conn %d server: %lu extra bytes",
           i, (unsigned long)avail);
        ok(closesocket(ends[i][0]) == 0 && closesocket(ends[i][1]) == 0, "bulk closesocket %d", i);
    }
}

int main(void)
{
    tu_startup();
    test_churn();
    test_bulk();
    WSACleanup();
    return test_done();
}
