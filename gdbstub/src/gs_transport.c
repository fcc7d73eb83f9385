/*
 * Transports for the stub: a TCP listener (loopback unless asked) and a
 * serial line in raw mode. gs_serve() takes any connected descriptor.
 */
#define _GNU_SOURCE
#include "wdb/gdbstub.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

static bool is_loopback(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
    }
    return false;
}

int gs_listen_tcp(const char *spec, bool allow_remote, int *port_out, char *errbuf, size_t errlen)
{
    char host[256] = "127.0.0.1";
    const char *port = spec;
    const char *colon = strrchr(spec, ':');
    if (spec[0] == '[') { /* [v6]:port */
        const char *close = strchr(spec, ']');
        if (!close || close[1] != ':' || (size_t)(close - spec - 1) >= sizeof host) {
            snprintf(errbuf, errlen, "bad address '%s': expected [ADDR]:PORT", spec);
            return -1;
        }
        memcpy(host, spec + 1, (size_t)(close - spec - 1));
        host[close - spec - 1] = 0;
        port = close + 2;
    } else if (colon) {
        size_t hl = (size_t)(colon - spec);
        if (hl >= sizeof host) {
            snprintf(errbuf, errlen, "bad address '%s'", spec);
            return -1;
        }
        if (hl) {
            memcpy(host, spec, hl);
            host[hl] = 0;
        }
        port = colon + 1;
    }
    char *end;
    long pn = strtol(port, &end, 10);
    if (!*port || *end || pn < 0 || pn > 65535) {
        snprintf(errbuf, errlen, "bad port in '%s': expected a number 0-65535", spec);
        return -1;
    }
    struct addrinfo hints, *ai = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    char pbuf[16];
    snprintf(pbuf, sizeof pbuf, "%ld", pn);
    int gai = getaddrinfo(host, pbuf, &hints, &ai);
    if (gai != 0) {
        snprintf(errbuf, errlen, "cannot resolve '%s': %s", host, gai_strerror(gai));
        return -1;
    }
    if (!allow_remote && !is_loopback(ai->ai_addr)) {
        snprintf(errbuf, errlen,
                 "refusing to listen on non-loopback address '%s': a debugger can read and "
                 "change everything in the program; pass --gdb-allow-remote to allow it",
                 host);
        freeaddrinfo(ai);
        return -1;
    }
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) {
        snprintf(errbuf, errlen, "socket: %s", strerror(errno));
        freeaddrinfo(ai);
        return -1;
    }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 1) != 0) {
        snprintf(errbuf, errlen, "cannot listen on %s:%ld: %s", host, pn, strerror(errno));
        close(fd);
        freeaddrinfo(ai);
        return -1;
    }
    freeaddrinfo(ai);
    if (port_out) {
        struct sockaddr_storage ss;
        socklen_t sl = sizeof ss;
        *port_out = (int)pn;
        if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0) {
            if (ss.ss_family == AF_INET) *port_out = ntohs(((struct sockaddr_in *)&ss)->sin_port);
            if (ss.ss_family == AF_INET6) *port_out = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
        }
    }
    return fd;
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

static speed_t baud_const(unsigned baud, bool *ok)
{
    *ok = true;
    switch (baud) {
    case 9600: return B9600;
    case 19200: return B19200;
    case 38400: return B38400;
    case 57600: return B57600;
    case 115200: return B115200;
    case 230400: return B230400;
    case 460800: return B460800;
    case 921600: return B921600;
    case 1000000: return B1000000;
    case 2000000: return B2000000;
    default: *ok = false; return B0;
    }
}

int gs_open_tty(const char *path, unsigned baud, char *errbuf, size_t errlen)
{
    int fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(errbuf, errlen, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    struct termios tio;
    if (tcgetattr(fd, &tio) != 0) {
        snprintf(errbuf, errlen, "%s is not a terminal device: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    cfmakeraw(&tio);
    tio.c_cflag |= CLOCAL | CREAD;
    tio.c_cc[VMIN] = 1;
    tio.c_cc[VTIME] = 0;
    if (baud) {
        bool ok;
        speed_t sp = baud_const(baud, &ok);
        if (!ok) {
            snprintf(errbuf, errlen, "unsupported baud rate %u", baud);
            close(fd);
            return -1;
        }
        cfsetispeed(&tio, sp);
        cfsetospeed(&tio, sp);
    }
    if (tcsetattr(fd, TCSANOW, &tio) != 0) {
        snprintf(errbuf, errlen, "cannot configure %s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}
