/*
 * loadgen: loopback TCP echo load generator.
 *
 *   loadgen [-t threads] host port connections msg_size duration_s [warmup_s]
 *
 * Opens `connections` TCP connections to host:port, spread round-robin over
 * `threads` client threads (default 1). Every connection keeps exactly one
 * message in flight: it sends msg_size bytes, reads msg_size bytes back,
 * checks a few of them, records the round-trip time and sends the next one.
 * Each thread drives its connections with a level-triggered epoll loop on
 * non-blocking sockets.
 *
 * Messages completed during the first warmup_s seconds (default 1) are not
 * counted. At the end one line is printed on stdout:
 *
 *   conns=N size=S msgs_per_s=X p50_us=Y p99_us=Z errors=E
 *
 * errors counts connections that failed (connect failure, reset, early EOF,
 * echoed bytes that do not match). Exit status is 0 when errors == 0 and at
 * least one message was measured, 1 otherwise, 2 on bad usage.
 *
 * Latencies go into a fixed log-linear histogram per thread (64 sub-buckets
 * per power of two of nanoseconds, about 1.6 % resolution); nothing is
 * allocated per message.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

#define SUB_BITS 6
#define SUB_COUNT (1u << SUB_BITS)
#define MAX_EXP 42 /* up to 2^42 ns, about 73 minutes */
#define HIST_SIZE ((MAX_EXP + 1) * SUB_COUNT)

struct conn {
    int fd;
    int dead;
    uint32_t id;
    size_t sent;     /* bytes of the current message sent */
    size_t rcvd;     /* bytes of the current message received */
    uint64_t seq;    /* sequence number of the current message */
    uint64_t t0;     /* send time of the current message, ns */
    int want_out;    /* EPOLLOUT currently registered */
    unsigned char *sbuf;
    unsigned char *rbuf;
};

struct worker {
    pthread_t th;
    int index;
    struct conn *conns;
    int nconns;
    int epfd;
    uint64_t measured;   /* messages completed inside the measured window */
    uint64_t errors;
    uint64_t hist[HIST_SIZE];
};

static struct sockaddr_storage g_addr;
static socklen_t g_addrlen;
static size_t g_size;
static uint64_t g_start_ns, g_warm_end_ns, g_end_ns;
static pthread_barrier_t g_barrier;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static unsigned hist_index(uint64_t v)
{
    if (v < SUB_COUNT)
        return (unsigned)v;
    unsigned msb = 63u - (unsigned)__builtin_clzll(v);      /* >= SUB_BITS */
    unsigned exp = msb - SUB_BITS + 1;                      /* >= 1 */
    if (exp > MAX_EXP)
        return HIST_SIZE - 1;
    unsigned sub = (unsigned)(v >> (exp - 1)) & (SUB_COUNT - 1);
    return exp * SUB_COUNT + sub;
}

/* Midpoint of a bucket, in ns. */
static double hist_value(unsigned idx)
{
    unsigned exp = idx / SUB_COUNT, sub = idx % SUB_COUNT;
    if (exp == 0)
        return (double)sub;
    double lo = (double)((uint64_t)(SUB_COUNT + sub) << (exp - 1));
    double width = (double)(1ull << (exp - 1));
    return lo + width / 2.0;
}

/* Byte i of connection c's message payload; positions 0..7 carry the seq. */
static unsigned char pattern_byte(uint32_t c, size_t i)
{
    return (unsigned char)((c * 131u + (uint32_t)i * 7u + 11u) & 0xff);
}

static void stamp_message(struct conn *c)
{
    size_t n = g_size < 8 ? g_size : 8;
    memcpy(c->sbuf, &c->seq, n);
    if (g_size > 8)
        c->sbuf[g_size - 1] = (unsigned char)(pattern_byte(c->id, g_size - 1) ^ (unsigned char)c->seq);
}

static int verify_message(const struct conn *c)
{
    size_t n = g_size < 8 ? g_size : 8;
    if (memcmp(c->rbuf, &c->seq, n) != 0)
        return 0;
    if (g_size > 8) {
        if (c->rbuf[g_size - 1] != (unsigned char)(pattern_byte(c->id, g_size - 1) ^ (unsigned char)c->seq))
            return 0;
        size_t mid = 8 + (g_size - 9) / 2;
        if (mid < g_size - 1 && c->rbuf[mid] != pattern_byte(c->id, mid))
            return 0;
    }
    return 1;
}

static void conn_kill(struct worker *w, struct conn *c, const char *why, int err)
{
    if (c->dead)
        return;
    c->dead = 1;
    w->errors++;
    if (w->errors <= 5)
        fprintf(stderr, "loadgen: conn %u: %s%s%s\n", c->id, why, err ? ": " : "", err ? strerror(err) : "");
    if (c->fd >= 0) {
        epoll_ctl(w->epfd, EPOLL_CTL_DEL, c->fd, NULL);
        close(c->fd);
        c->fd = -1;
    }
}

static void set_out_interest(struct worker *w, struct conn *c, int on)
{
    if (c->want_out == on)
        return;
    struct epoll_event ev;
    ev.events = EPOLLIN | (on ? EPOLLOUT : 0);
    ev.data.ptr = c;
    if (epoll_ctl(w->epfd, EPOLL_CTL_MOD, c->fd, &ev) == 0)
        c->want_out = on;
}

/* Push the rest of the current message; returns 0 on success (done or would block). */
static int do_send(struct worker *w, struct conn *c)
{
    while (c->sent < g_size) {
        ssize_t n = send(c->fd, c->sbuf + c->sent, g_size - c->sent, MSG_NOSIGNAL);
        if (n > 0) {
            c->sent += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            set_out_interest(w, c, 1);
            return 0;
        }
        conn_kill(w, c, "send", n < 0 ? errno : 0);
        return -1;
    }
    set_out_interest(w, c, 0);
    return 0;
}

static void start_message(struct worker *w, struct conn *c)
{
    c->seq++;
    c->sent = 0;
    c->rcvd = 0;
    stamp_message(c);
    c->t0 = now_ns();
    do_send(w, c);
}

static void do_recv(struct worker *w, struct conn *c)
{
    for (;;) {
        if (c->rcvd >= g_size)
            return; /* last message of the run: nothing more is sent */
        ssize_t n = recv(c->fd, c->rbuf + c->rcvd, g_size - c->rcvd, 0);
        if (n > 0) {
            c->rcvd += (size_t)n;
            if (c->rcvd > c->sent) {
                conn_kill(w, c, "received more bytes than sent", 0);
                return;
            }
            if (c->rcvd == g_size) {
                uint64_t t1 = now_ns();
                if (!verify_message(c)) {
                    conn_kill(w, c, "echoed bytes differ from the message sent", 0);
                    return;
                }
                if (t1 >= g_warm_end_ns && t1 < g_end_ns) {
                    w->measured++;
                    w->hist[hist_index(t1 - c->t0)]++;
                }
                if (t1 >= g_end_ns)
                    return;
                /* Level-triggered: the echo comes back through epoll. */
                start_message(w, c);
                return;
            }
            continue;
        }
        if (n == 0) {
            conn_kill(w, c, "server closed the connection", 0);
            return;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return;
        conn_kill(w, c, "recv", errno);
        return;
    }
}

static int open_conn(struct worker *w, struct conn *c)
{
    int fd = socket(g_addr.ss_family, SOCK_STREAM, 0);
    if (fd < 0) {
        conn_kill(w, c, "socket", errno);
        return -1;
    }
    c->fd = fd;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    /* A blocking connect on loopback returns once the handshake is done. */
    int r;
    do {
        r = connect(fd, (struct sockaddr *)&g_addr, g_addrlen);
    } while (r < 0 && errno == EINTR);
    if (r < 0) {
        conn_kill(w, c, "connect", errno);
        return -1;
    }
    int fl = fcntl(fd, F_GETFL, 0);
    fcntl(fd, F_SETFL, fl | O_NONBLOCK);
    struct epoll_event ev;
    ev.events = EPOLLIN;
    ev.data.ptr = c;
    if (epoll_ctl(w->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
        conn_kill(w, c, "epoll_ctl", errno);
        return -1;
    }
    return 0;
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    for (int i = 0; i < w->nconns; i++)
        open_conn(w, &w->conns[i]);

    /* All threads start sending together, after every connection is up. */
    pthread_barrier_wait(&g_barrier);
    pthread_barrier_wait(&g_barrier); /* main sets the clock between the two */

    for (int i = 0; i < w->nconns; i++)
        if (!w->conns[i].dead)
            start_message(w, &w->conns[i]);

    struct epoll_event evs[256];
    for (;;) {
        uint64_t t = now_ns();
        if (t >= g_end_ns)
            break;
        int timeout_ms = (int)((g_end_ns - t) / 1000000ull) + 1;
        int n = epoll_wait(w->epfd, evs, 256, timeout_ms);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            perror("loadgen: epoll_wait");
            break;
        }
        for (int i = 0; i < n; i++) {
            struct conn *c = evs[i].data.ptr;
            if (c->dead)
                continue;
            if (evs[i].events & EPOLLOUT) {
                do_send(w, c);
                if (c->dead)
                    continue;
            }
            if (evs[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP))
                do_recv(w, c);
        }
    }
    for (int i = 0; i < w->nconns; i++)
        if (w->conns[i].fd >= 0) {
            close(w->conns[i].fd);
            w->conns[i].fd = -1;
        }
    return NULL;
}

static void usage(void)
{
    fprintf(stderr, "usage: loadgen [-t threads] host port connections msg_size duration_s [warmup_s]\n");
    exit(2);
}

static void raise_nofile(long need)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return;
    if ((long)rl.rlim_cur >= need)
        return;
    rlim_t want = (rlim_t)need;
    if (rl.rlim_max != RLIM_INFINITY && want > rl.rlim_max)
        want = rl.rlim_max;
    rl.rlim_cur = want;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0 || (long)want < need)
        fprintf(stderr, "loadgen: warning: could only raise the open file limit to %ld (need %ld)\n",
                (long)want, need);
}

int main(int argc, char **argv)
{
    int nthreads = 1;
    int opt;
    while ((opt = getopt(argc, argv, "t:")) != -1) {
        if (opt == 't')
            nthreads = atoi(optarg);
        else
            usage();
    }
    argc -= optind;
    argv += optind;
    if (argc < 5 || argc > 6)
        usage();
    const char *host = argv[0], *port = argv[1];
    long nconns = atol(argv[2]);
    long size = atol(argv[3]);
    double duration = atof(argv[4]);
    double warmup = argc == 6 ? atof(argv[5]) : 1.0;
    if (nconns < 1 || size < 1 || size > (64l << 20) || duration <= 0 || warmup < 0 || nthreads < 1)
        usage();
    if (nthreads > nconns)
        nthreads = (int)nconns;
    g_size = (size_t)size;

    signal(SIGPIPE, SIG_IGN);
    raise_nofile(nconns + nthreads + 64);

    struct addrinfo hints, *ai;
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    int gr = getaddrinfo(host, port, &hints, &ai);
    if (gr != 0) {
        fprintf(stderr, "loadgen: %s:%s: %s\n", host, port, gai_strerror(gr));
        return 2;
    }
    memcpy(&g_addr, ai->ai_addr, ai->ai_addrlen);
    g_addrlen = ai->ai_addrlen;
    freeaddrinfo(ai);

    struct conn *conns = calloc((size_t)nconns, sizeof *conns);
    unsigned char *bufs = malloc((size_t)nconns * 2 * g_size);
    struct worker *ws = calloc((size_t)nthreads, sizeof *ws);
    if (!conns || !bufs || !ws) {
        fprintf(stderr, "loadgen: out of memory\n");
        return 2;
    }
    for (long i = 0; i < nconns; i++) {
        struct conn *c = &conns[i];
        c->fd = -1;
        c->id = (uint32_t)i;
        c->sbuf = bufs + (size_t)i * 2 * g_size;
        c->rbuf = c->sbuf + g_size;
        for (size_t k = 0; k < g_size; k++)
            c->sbuf[k] = pattern_byte(c->id, k);
    }
    /* Connections are spread round-robin: group them per thread. */
    struct conn *sorted = calloc((size_t)nconns, sizeof *sorted);
    if (!sorted)
        return 2;
    long pos = 0;
    for (int t = 0; t < nthreads; t++) {
        ws[t].index = t;
        ws[t].conns = &sorted[pos];
        for (long i = t; i < nconns; i += nthreads)
            sorted[pos++] = conns[i];
        ws[t].nconns = (int)(&sorted[pos] - ws[t].conns);
        ws[t].epfd = epoll_create1(EPOLL_CLOEXEC);
        if (ws[t].epfd < 0) {
            perror("loadgen: epoll_create1");
            return 2;
        }
    }
    free(conns);

    pthread_barrier_init(&g_barrier, NULL, (unsigned)nthreads + 1);
    /* Far-future end until the real clock is set, so no thread stops early. */
    g_end_ns = UINT64_MAX;
    g_warm_end_ns = UINT64_MAX;
    for (int t = 0; t < nthreads; t++)
        if (pthread_create(&ws[t].th, NULL, worker_main, &ws[t]) != 0) {
            fprintf(stderr, "loadgen: pthread_create failed\n");
            return 2;
        }
    pthread_barrier_wait(&g_barrier);
    g_start_ns = now_ns();
    g_warm_end_ns = g_start_ns + (uint64_t)(warmup * 1e9);
    g_end_ns = g_warm_end_ns + (uint64_t)(duration * 1e9);
    pthread_barrier_wait(&g_barrier);

    uint64_t measured = 0, errors = 0;
    static uint64_t hist[HIST_SIZE];
    for (int t = 0; t < nthreads; t++) {
        pthread_join(ws[t].th, NULL);
        measured += ws[t].measured;
        errors += ws[t].errors;
        for (unsigned i = 0; i < HIST_SIZE; i++)
            hist[i] += ws[t].hist[i];
    }
    double secs = (double)(g_end_ns - g_warm_end_ns) / 1e9;
    double p50 = 0, p99 = 0;
    if (measured > 0) {
        uint64_t r50 = (measured * 50 + 99) / 100, r99 = (measured * 99 + 99) / 100;
        uint64_t acc = 0;
        int got50 = 0;
        for (unsigned i = 0; i < HIST_SIZE; i++) {
            acc += hist[i];
            if (!got50 && acc >= r50) {
                p50 = hist_value(i);
                got50 = 1;
            }
            if (acc >= r99) {
                p99 = hist_value(i);
                break;
            }
        }
    }
    printf("conns=%ld size=%ld msgs_per_s=%.0f p50_us=%.1f p99_us=%.1f errors=%llu\n", nconns, size,
           (double)measured / secs, p50 / 1000.0, p99 / 1000.0, (unsigned long long)errors);
    fflush(stdout);
    free(sorted);
    free(bufs);
    free(ws);
    return (errors == 0 && measured > 0) ? 0 : 1;
}
