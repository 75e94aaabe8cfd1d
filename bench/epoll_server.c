/*
 * epoll_server: baseline TCP echo server, plain Linux epoll.
 *
 *   epoll_server port
 *
 * Single thread, non-blocking sockets, level-triggered epoll. For each
 * readable connection: read what is there, write it back. When the write is
 * short, the rest stays in the connection's buffer, reading stops and
 * EPOLLOUT is watched until the buffer is drained. Listens on 0.0.0.0:port.
 * Prints nothing once running.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUF_SIZE 65536

struct conn {
    int fd;
    size_t off, len; /* pending bytes buf[off..len) still to be written */
    unsigned char buf[BUF_SIZE];
};

static int g_ep;

static void conn_close(struct conn *c)
{
    close(c->fd); /* also removes it from the epoll set */
    free(c);
}

static void watch(struct conn *c, unsigned events)
{
    struct epoll_event ev;
    ev.events = events;
    ev.data.ptr = c;
    epoll_ctl(g_ep, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Write buf[off..len). Returns 1 when drained, 0 when it would block, -1 on error. */
static int flush(struct conn *c)
{
    while (c->off < c->len) {
        ssize_t n = send(c->fd, c->buf + c->off, c->len - c->off, MSG_NOSIGNAL);
        if (n > 0) {
            c->off += (size_t)n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return 0;
        } else {
            return -1;
        }
    }
    c->off = c->len = 0;
    return 1;
}

static void on_readable(struct conn *c)
{
    ssize_t n = recv(c->fd, c->buf, BUF_SIZE, 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
        conn_close(c);
        return;
    }
    if (n < 0)
        return;
    c->off = 0;
    c->len = (size_t)n;
    int r = flush(c);
    if (r < 0)
        conn_close(c);
    else if (r == 0)
        watch(c, EPOLLOUT); /* stop reading until the echo is out */
}

static void on_writable(struct conn *c)
{
    int r = flush(c);
    if (r < 0)
        conn_close(c);
    else if (r == 1)
        watch(c, EPOLLIN);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: epoll_server port\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }

    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)atoi(argv[1]));
    sa.sin_addr.s_addr = htonl(INADDR_ANY);
    if (bind(lfd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(lfd, SOMAXCONN) < 0) {
        perror("epoll_server: bind/listen");
        return 1;
    }
    g_ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev;
    ev.events = EPOLLIN;
    ev.data.ptr = NULL; /* NULL marks the listener */
    epoll_ctl(g_ep, EPOLL_CTL_ADD, lfd, &ev);

    struct epoll_event evs[256];
    for (;;) {
        int n = epoll_wait(g_ep, evs, 256, -1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            perror("epoll_server: epoll_wait");
            return 1;
        }
        for (int i = 0; i < n; i++) {
            struct conn *c = evs[i].data.ptr;
            if (c == NULL) {
                for (;;) {
                    int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
                    if (fd < 0)
                        break;
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    struct conn *nc = malloc(sizeof *nc);
                    if (!nc) {
                        close(fd);
                        continue;
                    }
                    nc->fd = fd;
                    nc->off = nc->len = 0;
                    struct epoll_event cev;
                    cev.events = EPOLLIN;
                    cev.data.ptr = nc;
                    if (epoll_ctl(g_ep, EPOLL_CTL_ADD, fd, &cev) < 0) {
                        close(fd);
                        free(nc);
                    }
                }
                continue;
            }
            if (c->len > c->off)
                on_writable(c);
            else
                on_readable(c);
        }
    }
}
