/*
 * The platform layer on POSIX systems (wdb/platform.h, wp_posix.h): Linux
 * clocks, getrandom(2), stdio descriptors, and debugger channels over
 * descriptors whose arrival of bytes is signalled with SIGIO (O_ASYNC), the
 * POSIX counterpart of a UART's receive interrupt.
 */
#define _GNU_SOURCE
#include "wp_posix.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------- clocks */

static uint64_t clock_ns(clockid_t id)
{
    struct timespec ts;
    if (clock_gettime(id, &ts) != 0) return 0;
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t wp_clock_monotonic_ns(void) { return clock_ns(CLOCK_MONOTONIC); }
uint64_t wp_clock_realtime_ns(void) { return clock_ns(CLOCK_REALTIME); }

uint64_t wp_clock_resolution_ns(void)
{
    struct timespec ts;
    if (clock_getres(CLOCK_MONOTONIC, &ts) != 0) return 1;
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ------------------------------------------------------------ entropy */

int wp_random(void *buf, size_t len)
{
    uint8_t *p = buf;
    while (len > 0) {
        ssize_t n = getrandom(p, len, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -errno;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* ------------------------------------------------------------ console */

long wp_console_write(int stream, const void *buf, size_t len)
{
    int fd = stream == 2 ? 2 : 1;
    const char *p = buf;
    size_t left = len;
    while (left > 0) {
        ssize_t n = write(fd, p, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -errno;
        }
        p += n;
        left -= (size_t)n;
    }
    return (long)len;
}

/* --------------------------------------------------- debugger channel */

struct wp_chan {
    int fd;         /* the connection, or -1 */
    int listen_fd;  /* accepts the next connection, or -1 */
    bool own_fd;    /* fd was accepted here: closed here */
    bool hung_up;   /* -EPIPE was reported for the connection */
    void (*on_rx)(void *user);
    void *on_rx_user;
};

/* SIGIO carries no pointer: the one channel that asked for notifications
 * is kept here. A process serves one debugger channel (wdb-run), so one
 * slot is enough; a second wp_chan_on_rx replaces the first. */
static wp_chan *volatile sigio_chan;

static void on_sigio(int sig)
{
    (void)sig;
    int saved = errno;
    wp_chan *c = sigio_chan;
    if (c && c->on_rx) c->on_rx(c->on_rx_user);
    errno = saved;
}

/* Asks for SIGIO when fd becomes readable (data, a connection, a hang-up). */
static void async_on(int fd, bool on)
{
    if (fd < 0) return;
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0) return;
    if (on) {
        (void)fcntl(fd, F_SETOWN, getpid());
        (void)fcntl(fd, F_SETFL, fl | O_ASYNC);
    } else {
        (void)fcntl(fd, F_SETFL, fl & ~O_ASYNC);
    }
}

static wp_chan *chan_new(int fd, int listen_fd)
{
    wp_chan *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->fd = fd;
    c->listen_fd = listen_fd;
    return c;
}

wp_chan *wp_posix_chan_new(int fd) { return chan_new(fd, -1); }
wp_chan *wp_posix_chan_new_listen(int listen_fd, int first_fd) { return chan_new(first_fd, listen_fd); }

void wp_posix_chan_free(wp_chan *c)
{
    if (!c) return;
    wp_chan_on_rx(c, NULL, NULL);
    if (c->own_fd && c->fd >= 0) close(c->fd);
    free(c);
}

/* Waits for fd to be readable: 1 readable (or hung up), 0 timed out, -errno. */
static int wait_readable(int fd, int timeout_ms)
{
    for (;;) {
        struct pollfd pf = {.fd = fd, .events = POLLIN};
        int r = poll(&pf, 1, timeout_ms);
        if (r < 0 && errno == EINTR) {
            if (timeout_ms == 0) return 0;
            continue; /* a SIGIO of our own; the deadline is approximate */
        }
        if (r < 0) return -errno;
        return r > 0;
    }
}

/* A listening channel without a connection: accepts one if it comes
 * within the timeout. */
static int accept_next(wp_chan *c, int timeout_ms)
{
    int r = wait_readable(c->listen_fd, timeout_ms);
    if (r <= 0) return r;
    int fd = accept4(c->listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0) return errno == EAGAIN || errno == EINTR || errno == ECONNABORTED ? 0 : -errno;
    int one = 1;
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    c->fd = fd;
    c->own_fd = true;
    c->hung_up = false;
    if (c->on_rx) async_on(fd, true);
    return 1;
}

long wp_chan_read(wp_chan *c, uint8_t *buf, size_t cap, int timeout_ms)
{
    if (c->fd < 0) {
        if (c->listen_fd < 0) return -ENOTCONN;
        int r = accept_next(c, timeout_ms);
        if (r <= 0) return r;
    }
    int r = wait_readable(c->fd, timeout_ms);
    if (r <= 0) return r;
    ssize_t n = read(c->fd, buf, cap);
    if (n > 0) return (long)n;
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return 0;
    /* end of file or a failed connection: the debugger has gone */
    if (c->listen_fd >= 0) {
        if (c->own_fd) close(c->fd);
        c->fd = -1;
        c->own_fd = false;
        return -EPIPE;
    }
    if (c->hung_up) return -ENOTCONN;
    c->hung_up = true;
    return -EPIPE;
}

int wp_chan_write(wp_chan *c, const uint8_t *buf, size_t len)
{
    if (c->fd < 0) return -ENOTCONN;
    while (len > 0) {
        ssize_t n = send(c->fd, buf, len, MSG_NOSIGNAL);
        if (n < 0 && errno == ENOTSOCK) n = write(c->fd, buf, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN) {
                struct pollfd pf = {.fd = c->fd, .events = POLLOUT};
                if (poll(&pf, 1, 10000) > 0) continue;
            }
            return -errno;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

void wp_chan_hangup(wp_chan *c)
{
    if (c->fd < 0) return;
    if (c->listen_fd >= 0 && c->own_fd) {
        close(c->fd);
        c->fd = -1;
        c->own_fd = false;
    } else {
        /* a lent descriptor is closed by its owner; the peer sees the end */
        shutdown(c->fd, SHUT_RDWR);
        if (c->listen_fd >= 0) c->fd = -1;
        else c->hung_up = true;
    }
}

void wp_chan_on_rx(wp_chan *c, void (*fn)(void *user), void *user)
{
    if (fn) {
        c->on_rx = fn;
        c->on_rx_user = user;
        sigio_chan = c;
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_sigio;
        sa.sa_flags = SA_RESTART;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGIO, &sa, NULL);
        async_on(c->fd, true);
        async_on(c->listen_fd, true);
    } else {
        async_on(c->fd, false);
        async_on(c->listen_fd, false);
        if (sigio_chan == c) sigio_chan = NULL;
        c->on_rx = NULL;
        c->on_rx_user = NULL;
    }
}

/* ------------------------------------------------------------- memory */

size_t wp_heap_peak(void) { return 0; /* the C library's allocator does not say */ }
