/*
 * uring_server: baseline TCP echo server, raw liburing.
 *
 *   uring_server port
 *
 * Single thread, one ring. A multishot accept delivers new connections
 * (re-armed if the kernel ends it). Every connection has exactly one
 * operation in flight: a recv into its own buffer; when it completes with
 * n > 0, a send of those n bytes (the rest re-sent after a short send); when
 * the send is done, the next recv. n == 0 or an error closes the socket.
 * The loop submits everything queued and waits for at least one completion
 * in one io_uring_submit_and_wait call, then reaps every available CQE.
 *
 * The ring is set up with IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN
 * (the recommended setup for a single-threaded server) when the kernel
 * accepts it, else with no flags. Environment URING_MODE selects another
 * setup for comparison: "plain" (no flags), "coop"
 * (IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG).
 * Prints nothing once running.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <liburing.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUF_SIZE 65536
#define RING_ENTRIES 4096

enum { OP_ACCEPT = 1, OP_RECV = 2, OP_SEND = 3 };

struct conn {
    int fd;
    unsigned off, len; /* bytes buf[off..len) still to be sent */
    unsigned char buf[BUF_SIZE];
};

static struct io_uring g_ring;
static int g_lfd;

/* user_data: the conn pointer (8-byte aligned) with the op in the low bits. */
static inline uint64_t tag(struct conn *c, unsigned op)
{
    return (uint64_t)(uintptr_t)c | op;
}

static struct io_uring_sqe *get_sqe(void)
{
    struct io_uring_sqe *sqe = io_uring_get_sqe(&g_ring);
    while (sqe == NULL) {
        /* Submission queue full: hand what is queued to the kernel. */
        io_uring_submit(&g_ring);
        sqe = io_uring_get_sqe(&g_ring);
    }
    return sqe;
}

static void post_accept(void)
{
    struct io_uring_sqe *sqe = get_sqe();
    io_uring_prep_multishot_accept(sqe, g_lfd, NULL, NULL, 0);
    io_uring_sqe_set_data64(sqe, tag(NULL, OP_ACCEPT));
}

static void post_recv(struct conn *c)
{
    struct io_uring_sqe *sqe = get_sqe();
    io_uring_prep_recv(sqe, c->fd, c->buf, BUF_SIZE, 0);
    io_uring_sqe_set_data64(sqe, tag(c, OP_RECV));
}

static void post_send(struct conn *c)
{
    struct io_uring_sqe *sqe = get_sqe();
    io_uring_prep_send(sqe, c->fd, c->buf + c->off, c->len - c->off, MSG_NOSIGNAL);
    io_uring_sqe_set_data64(sqe, tag(c, OP_SEND));
}

static void conn_close(struct conn *c)
{
    close(c->fd);
    free(c);
}

static void handle(struct io_uring_cqe *cqe)
{
    uint64_t ud = io_uring_cqe_get_data64(cqe);
    unsigned op = (unsigned)(ud & 7);
    struct conn *c = (struct conn *)(uintptr_t)(ud & ~(uint64_t)7);
    int res = cqe->res;

    switch (op) {
    case OP_ACCEPT:
        if (res >= 0) {
            int one = 1;
            setsockopt(res, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            struct conn *nc = malloc(sizeof *nc);
            if (nc == NULL) {
                close(res);
            } else {
                nc->fd = res;
                nc->off = nc->len = 0;
                post_recv(nc);
            }
        }
        if (!(cqe->flags & IORING_CQE_F_MORE))
            post_accept();
        break;
    case OP_RECV:
        if (res <= 0) {
            conn_close(c);
            break;
        }
        c->off = 0;
        c->len = (unsigned)res;
        post_send(c);
        break;
    case OP_SEND:
        if (res < 0) {
            conn_close(c);
            break;
        }
        c->off += (unsigned)res;
        if (c->off < c->len)
            post_send(c);
        else
            post_recv(c);
        break;
    }
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: uring_server port\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }

    g_lfd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(g_lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)atoi(argv[1]));
    sa.sin_addr.s_addr = htonl(INADDR_ANY);
    if (bind(g_lfd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(g_lfd, SOMAXCONN) < 0) {
        perror("uring_server: bind/listen");
        return 1;
    }

    struct io_uring_params p;
    memset(&p, 0, sizeof p);
    const char *mode = getenv("URING_MODE");
    int r = -EINVAL;
    if (mode == NULL || strcmp(mode, "defer") == 0)
        p.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
    else if (strcmp(mode, "coop") == 0)
        p.flags = IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG;
    if (p.flags != 0)
        r = io_uring_queue_init_params(RING_ENTRIES, &g_ring, &p);
    if (r < 0) {
        memset(&p, 0, sizeof p);
        r = io_uring_queue_init_params(RING_ENTRIES, &g_ring, &p);
    }
    if (r < 0) {
        fprintf(stderr, "uring_server: io_uring_queue_init: %s\n", strerror(-r));
        return 1;
    }

    post_accept();
    for (;;) {
        int s = io_uring_submit_and_wait(&g_ring, 1);
        if (s < 0 && s != -EINTR && s != -EAGAIN && s != -EBUSY) {
            fprintf(stderr, "uring_server: io_uring_submit_and_wait: %s\n", strerror(-s));
            return 1;
        }
        struct io_uring_cqe *cqe;
        unsigned head, count = 0;
        io_uring_for_each_cqe(&g_ring, head, cqe)
        {
            handle(cqe);
            count++;
        }
        io_uring_cq_advance(&g_ring, count);
    }
}
