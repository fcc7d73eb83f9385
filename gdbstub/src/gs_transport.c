/*
 * Transports for the stub: a TCP listener (loopback unless asked), and
 * gs_serve(), which serves any connected descriptor (a serial line is
 * opened by rsp_open_serial, shared with the host debugger).
 */
#define _GNU_SOURCE
#include "wdb/gdbstub.h"
#include "wdb/net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int gs_listen_tcp(const char *spec, bool allow_remote, int *port_out, char *errbuf, size_t errlen)
{
    const wdb_net_listen_opts opts = {
        .allow_remote = allow_remote,
        .what = "listen",
        .risk = "a debugger can read and change everything in the program; pass "
                "--gdb-allow-remote to allow it",
        .backlog = 1,
    };
    return wdb_net_listen(spec, &opts, NULL, port_out, NULL, errbuf, errlen);
}

int gs_accept(int listen_fd)
{
    for (;;) {
        int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0 && errno == EINTR) continue;
        if (fd < 0) return -1;
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        return fd;
    }
}

/* ------------------------------------------------------------ gs_serve */

typedef struct fd_io {
    int fd;
    bool not_socket; /* a serial line or a pipe: write(), not send() */
    FILE *log;
} fd_io;

/* Sockets are written with MSG_NOSIGNAL: a debugger that hangs up while a
 * reply is on its way must end the session (EPIPE), not the process with
 * SIGPIPE (wdb-run does not ignore it; the program runs on after a
 * disconnect). Serial lines and pipes (ENOTSOCK) take write(). */
static int fd_write(void *user, const void *data, size_t len)
{
    fd_io *f = user;
    const char *p = data;
    while (len > 0) {
        ssize_t n = f->not_socket ? -1 : send(f->fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && (f->not_socket || errno == ENOTSOCK)) {
            f->not_socket = true;
            n = write(f->fd, p, len);
        }
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                /* a descriptor left non-blocking by its owner: wait */
                struct pollfd pf = {.fd = f->fd, .events = POLLOUT};
                if (poll(&pf, 1, 10000) > 0) continue;
            }
            return -errno;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static void fd_log(void *user, const char *line)
{
    fd_io *f = user;
    fprintf(f->log, "%s\n", line);
    fflush(f->log);
}

gs_end gs_serve(const gs_target *t, int fd, void *log_file)
{
    fd_io f = {.fd = fd, .log = log_file};
    gs_io io = {.user = &f, .write = fd_write, .log = log_file ? fd_log : NULL};
    gs_session *s = gs_session_new(t, &io);
    if (!s) {
        t->detach(t->user);
        return GS_END_DISCONNECT;
    }
    uint8_t buf[4096];
    gs_end how = GS_END_DISCONNECT;
    while (!gs_session_ended(s, &how)) {
        struct pollfd pf[2] = {{.fd = fd, .events = POLLIN}, {.fd = t->wake_fd, .events = POLLIN}};
        int np = poll(pf, t->wake_fd >= 0 ? 2 : 1, gs_session_waiting(s) ? 100 : -1);
        if (np < 0) {
            if (errno == EINTR) continue;
            gs_session_hangup(s);
            break;
        }
        if (t->wake_fd >= 0 && (pf[1].revents & POLLIN)) {
            char drain[64];
            (void)!read(t->wake_fd, drain, sizeof drain);
        }
        gs_session_notify(s);
        if (gs_session_ended(s, NULL)) break;
        if (!(pf[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (n <= 0) {
            gs_session_hangup(s);
            break;
        }
        gs_session_feed(s, buf, (size_t)n);
    }
    gs_session_ended(s, &how);
    gs_session_free(s);
    return how;
}
