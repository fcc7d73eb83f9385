/* ADDR:PORT and the loopback rule (wdb/net.h). */
#include "wdb/net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

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
