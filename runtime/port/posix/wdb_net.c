/* ADDR:PORT and the loopback rule (wdb/net.h). */
#include "wdb/net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int wdb_net_split(const char *spec, char *host, size_t cap, char port_text[8], char *errbuf,
                  size_t errlen)
{
    const char *port = spec;
    if (cap < sizeof "127.0.0.1") {
        snprintf(errbuf, errlen, "bad address '%s'", spec);
        return -1;
    }
    strcpy(host, "127.0.0.1");
    if (spec[0] == '[') { /* [v6]:port */
        const char *close = strchr(spec, ']');
        if (!close || close[1] != ':' || (size_t)(close - spec - 1) >= cap) {
            snprintf(errbuf, errlen, "bad address '%s': expected [ADDR]:PORT", spec);
            return -1;
        }
        memcpy(host, spec + 1, (size_t)(close - spec - 1));
        host[close - spec - 1] = 0;
        port = close + 2;
    } else {
        const char *colon = strrchr(spec, ':');
        if (colon) {
            size_t hl = (size_t)(colon - spec);
            if (hl >= cap || memchr(spec, ':', hl)) {
                snprintf(errbuf, errlen,
                         "bad address '%s': expected ADDR:PORT ([ADDR]:PORT for IPv6)", spec);
                return -1;
            }
            if (hl) {
                memcpy(host, spec, hl);
                host[hl] = 0;
            }
            port = colon + 1;
        }
    }
    char *end;
    errno = 0;
    long pn = strtol(port, &end, 10);
    if (!*port || *end || errno || pn < 0 || pn > 65535) {
        snprintf(errbuf, errlen, "bad port in '%s': expected a number 0-65535", spec);
        return -1;
    }
    snprintf(port_text, 8, "%ld", pn);
    return 0;
}

bool wdb_net_is_loopback(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
    if (sa->sa_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
        if (IN6_IS_ADDR_LOOPBACK(a)) return true;
        return IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127;
    }
    return false;
}

int wdb_net_listen(const char *spec, const wdb_net_listen_opts *opts, char *bound, int *port_out,
                   bool *loopback, char *errbuf, size_t errlen)
{
    char host[256], pbuf[8];
    if (wdb_net_split(spec, host, sizeof host, pbuf, errbuf, errlen) != 0) return -1;
    struct addrinfo hints, *ai = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    int gai = getaddrinfo(host, pbuf, &hints, &ai);
    if (gai != 0) {
        snprintf(errbuf, errlen, "cannot resolve '%s': %s", host, gai_strerror(gai));
        return -1;
    }
    if (!opts->allow_remote && !wdb_net_is_loopback(ai->ai_addr)) {
        snprintf(errbuf, errlen, "refusing to %s on non-loopback address '%s': %s", opts->what,
                 host, opts->risk);
        freeaddrinfo(ai);
        return -1;
    }
    int type = ai->ai_socktype | SOCK_CLOEXEC | (opts->nonblock ? SOCK_NONBLOCK : 0);
    int fd = socket(ai->ai_family, type, ai->ai_protocol);
    if (fd < 0) {
        snprintf(errbuf, errlen, "socket: %s", strerror(errno));
        freeaddrinfo(ai);
        return -1;
    }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, opts->backlog) != 0) {
        snprintf(errbuf, errlen, "cannot listen on %s:%s: %s", host, pbuf, strerror(errno));
        close(fd);
        freeaddrinfo(ai);
        return -1;
    }
    freeaddrinfo(ai);
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    int port = (int)strtol(pbuf, NULL, 10);
    bool lo = true;
    if (bound) strcpy(bound, "?");
    if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0) {
        lo = wdb_net_is_loopback((const struct sockaddr *)&ss);
        if (ss.ss_family == AF_INET) {
            const struct sockaddr_in *in = (const struct sockaddr_in *)&ss;
            if (bound) inet_ntop(AF_INET, &in->sin_addr, bound, INET6_ADDRSTRLEN);
            port = ntohs(in->sin_port);
        } else if (ss.ss_family == AF_INET6) {
            const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&ss;
            if (bound) inet_ntop(AF_INET6, &in6->sin6_addr, bound, INET6_ADDRSTRLEN);
            port = ntohs(in6->sin6_port);
        }
    }
    if (port_out) *port_out = port;
    if (loopback) *loopback = lo;
    return fd;
}
