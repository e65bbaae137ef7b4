/*
 * A minimal epoll echo server in C: the reference the nettool engines are measured
 * against by bench/echo.sh. One thread, level-triggered epoll, non-blocking sockets;
 * a connection whose echo could not be written in full keeps the rest in a buffer and
 * waits for EPOLLOUT instead of reading more (so memory per connection is bounded).
 *
 * usage: c_echo [PORT]   (listens on 127.0.0.1; PORT 0 or absent picks a free one)
 * Prints "listening on 127.0.0.1:PORT" on stderr, as nettool servers do. SIGTERM ends it.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
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

#define BUF 65536

struct conn {
    char *pending; /* unsent echo, NULL when none */
    size_t off, len;
};

static struct conn *conns;
static size_t nconns;

static void die(const char *what) {
    perror(what);
    exit(1);
}

static void drop(int ep, int fd) {
    epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
    close(fd);
    free(conns[fd].pending);
    memset(&conns[fd], 0, sizeof conns[fd]);
}

static void watch(int ep, int op, int fd, unsigned events) {
    struct epoll_event ev = {.events = events, .data.fd = fd};
    if (epoll_ctl(ep, op, fd, &ev) < 0) die("epoll_ctl");
}

/* Write what is pending; returns -1 on error, 0 if some is left, 1 when all is sent. */
static int flush(int fd) {
    struct conn *c = &conns[fd];
    while (c->off < c->len) {
        ssize_t n = write(fd, c->pending + c->off, c->len - c->off);
        if (n < 0) {
            if (errno == EINTR) continue;
            return (errno == EAGAIN) ? 0 : -1;
        }
        c->off += (size_t)n;
    }
    free(c->pending);
    c->pending = NULL;
    c->off = c->len = 0;
    return 1;
}

int main(int argc, char **argv) {
    signal(SIGPIPE, SIG_IGN);
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    nconns = (size_t)rl.rlim_cur;
    conns = calloc(nconns, sizeof *conns);
    if (!conns) die("calloc");

    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (lfd < 0) die("socket");
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(argc > 1 ? atoi(argv[1]) : 0)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(lfd, (struct sockaddr *)&a, sizeof a) < 0) die("bind");
    if (listen(lfd, 4096) < 0) die("listen");
    socklen_t alen = sizeof a;
    getsockname(lfd, (struct sockaddr *)&a, &alen);
    fprintf(stderr, "listening on 127.0.0.1:%d\n", ntohs(a.sin_port));

    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) die("epoll_create1");
    watch(ep, EPOLL_CTL_ADD, lfd, EPOLLIN);
    static char buf[BUF];
    struct epoll_event evs[256];
    for (;;) {
        int n = epoll_wait(ep, evs, 256, -1);
        if (n < 0) {
            if (errno == EINTR) continue;
            die("epoll_wait");
        }
        for (int i = 0; i < n; i++) {
            int fd = evs[i].data.fd;
            if (fd == lfd) {
                for (;;) {
                    int c = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
                    if (c < 0) break; /* EAGAIN, or EMFILE: try again on the next event */
                    if ((size_t)c >= nconns) { close(c); continue; }
                    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    watch(ep, EPOLL_CTL_ADD, c, EPOLLIN | EPOLLRDHUP);
                }
                continue;
            }
            if (conns[fd].pending) { /* EPOLLOUT: finish the echo, then read again */
                int r = flush(fd);
                if (r < 0) drop(ep, fd);
                else if (r > 0) watch(ep, EPOLL_CTL_MOD, fd, EPOLLIN | EPOLLRDHUP);
                continue;
            }
            ssize_t got = read(fd, buf, BUF);
            if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) {
                drop(ep, fd);
                continue;
            }
            if (got < 0) continue;
            ssize_t put = 0;
            while (put < got) {
                ssize_t w = write(fd, buf + put, (size_t)(got - put));
                if (w < 0) {
                    if (errno == EINTR) continue;
                    break;
                }
                put += w;
            }
            if (put < got) {
                if (errno != EAGAIN) { drop(ep, fd); continue; }
                struct conn *c = &conns[fd];
                c->len = (size_t)(got - put);
                c->off = 0;
                c->pending = malloc(c->len);
                if (!c->pending) die("malloc");
                memcpy(c->pending, buf + put, c->len);
                watch(ep, EPOLL_CTL_MOD, fd, EPOLLOUT);
            }
        }
    }
}
