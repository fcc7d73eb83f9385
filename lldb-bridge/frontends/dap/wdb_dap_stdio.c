/*
 * `wdb --dap`: see wdb_dap_stdio.h. The stdio transport of wb_dap.
 *
 * File descriptors: the protocol moves to private descriptors (close on
 * exec) and fd 0 becomes /dev/null, fd 1 stderr, so neither a program
 * started under wdb-run (which inherits fd 0) nor a stray write can touch
 * the protocol stream.
 *
 * Framing (DAP "Base protocol"): header lines end in CRLF (a bare LF is
 * accepted), an empty line ends the header, Content-Length is required and
 * other header fields are ignored. Limits, each a clear error on stderr and
 * exit status 1: a header longer than 8 KiB, a header line without a
 * colon, a Content-Length that is not a decimal number, and bodies over
 * 16 MiB (DAP messages are JSON requests of a few KiB; a writeMemory of a
 * 1 MiB block is under 1.4 MiB in base64, so 16 MiB leaves room without
 * letting a broken client make us allocate without bound).
 */
#define _GNU_SOURCE
#include "wdb_dap_stdio.h"

#include "wb_dap.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { MAX_HEADER = 8 << 10, MAX_BODY = 16 << 20, POLL_MS = 100, EOF_DRAIN_MS = 2000 };

typedef struct stdio_out {
    int fd;
    pthread_mutex_t mu;
    bool broken;
} stdio_out;

static bool write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

static void send_stdout(void *user, const char *json, size_t len)
{
    stdio_out *o = user;
    char head[64];
    int hl = snprintf(head, sizeof head, "Content-Length: %zu\r\n\r\n", len);
    pthread_mutex_lock(&o->mu);
    if (!o->broken && (!write_all(o->fd, head, (size_t)hl) || !write_all(o->fd, json, len)))
        o->broken = true;
    pthread_mutex_unlock(&o->mu);
}

/* The body length of a complete header (hdr[0..n), without the blank
 * line), or -1 with the reason on stderr. */
static long header_length(const char *hdr, size_t n)
{
    long length = -1;
    size_t i = 0;
    while (i < n) {
        size_t e = i;
        while (e < n && hdr[e] != '\n')
            e++;
        size_t le = e;
        if (le > i && hdr[le - 1] == '\r') le--;
        const char *colon = memchr(hdr + i, ':', le - i);
        if (!colon) {
            fprintf(stderr, "wdb --dap: malformed header line (no ':'): %.*s\n",
                    (int)(le - i > 200 ? 200 : le - i), hdr + i);
            return -1;
        }
        size_t nl = (size_t)(colon - (hdr + i));
        if (nl == 14 && strncasecmp(hdr + i, "Content-Length", 14) == 0) {
            const char *v = colon + 1;
            while (v < hdr + le && *v == ' ')
                v++;
            long val = 0;
            const char *p = v;
            for (; p < hdr + le && *p >= '0' && *p <= '9'; p++) {
                val = val * 10 + (*p - '0');
                if (val > MAX_BODY) {
                    fprintf(stderr,
                            "wdb --dap: message of more than %d bytes refused (the limit "
                            "is 16 MiB)\n",
                            MAX_BODY);
                    return -1;
                }
            }
            while (p < hdr + le && *p == ' ')
                p++;
            if (p == v || p != hdr + le) {
                fprintf(stderr, "wdb --dap: Content-Length is not a number: %.*s\n",
                        (int)(hdr + le - v > 100 ? 100 : hdr + le - v), v);
                return -1;
            }
            length = val;
        }
        i = e + 1;
    }
    if (length < 0) fprintf(stderr, "wdb --dap: a message header without Content-Length\n");
    return length;
}

/* Finds the end of the header in buf[0..n): the index just after the
 * blank line, its own length in *hlen; 0 when not there yet. */
static size_t header_end(const char *buf, size_t n, size_t *hlen)
{
    for (size_t i = 0; i + 1 < n; i++) {
        if (buf[i] != '\n') continue;
        if (buf[i + 1] == '\n') {
            *hlen = i;
            return i + 2;
        }
        if (buf[i + 1] == '\r' && i + 2 < n && buf[i + 2] == '\n') {
            *hlen = i;
            return i + 3;
        }
    }
    return 0;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: wdb --dap [--runtime=PATH] [--source-map=FROM::TO]... [--dap-log=FILE]\n"
               "  the Debug Adapter Protocol on stdin/stdout (VS Code and other DAP clients)\n");
}

int wdb_dap_stdio_main(int argc, char **argv)
{
    wb_dap_opts o = {NULL, NULL, NULL};
    const char **map = calloc((size_t)argc * 2 + 1, sizeof *map);
    size_t nmap = 0;
    int status = 0;
    if (!map) return 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--dap") == 0) continue;
        if (strncmp(a, "--runtime=", 10) == 0) {
            o.runtime = a + 10;
        } else if (strncmp(a, "--source-map=", 13) == 0) {
            const char *sep = strstr(a + 13, "::");
            if (!sep) {
                fprintf(stderr, "wdb --dap: --source-map needs FROM::TO\n");
                free(map);
                return 2;
            }
            map[nmap++] = strndup(a + 13, (size_t)(sep - (a + 13)));
            map[nmap++] = sep + 2;
        } else if (strncmp(a, "--dap-log=", 10) == 0) {
            if (o.log) fclose(o.log);
            o.log = fopen(a + 10, "w");
            if (!o.log) {
                fprintf(stderr, "wdb --dap: cannot open %s: %s\n", a + 10, strerror(errno));
                status = 2;
                goto out;
            }
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            goto out;
        } else {
            fprintf(stderr, "wdb --dap: unrecognized option '%s'\n", a);
            usage(stderr);
            status = 2;
            goto out;
        }
    }
    o.source_map = map;
    signal(SIGPIPE, SIG_IGN);
    /* the protocol on private descriptors; see the file comment */
    int in = fcntl(0, F_DUPFD_CLOEXEC, 3);
    int outfd = fcntl(1, F_DUPFD_CLOEXEC, 3);
    int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (in < 0 || outfd < 0 || devnull < 0) {
        fprintf(stderr, "wdb --dap: %s\n", strerror(errno));
        status = 1;
        goto out;
    }
    dup2(devnull, 0);
    dup2(2, 1);
    close(devnull);
    stdio_out so = {outfd, PTHREAD_MUTEX_INITIALIZER, false};
    wb_dap *d = wb_dap_new(&o, send_stdout, &so);
    if (!d) {
        fprintf(stderr, "wdb --dap: out of memory\n");
        status = 1;
        goto out;
    }
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap);
    while (buf && !wb_dap_done(d) && !so.broken) {
        /* complete messages in the buffer first */
        size_t hlen, start = header_end(buf, len, &hlen);
        if (!start && len > MAX_HEADER) {
            fprintf(stderr, "wdb --dap: message header longer than %d bytes: not DAP framing\n",
                    MAX_HEADER);
            status = 1;
            break;
        }
        if (start) {
            long body = header_length(buf, hlen);
            if (body < 0) {
                status = 1;
                break;
            }
            size_t total = start + (size_t)body;
            if (len >= total) {
                wb_dap_receive(d, buf + start, (size_t)body);
                memmove(buf, buf + total, len - total);
                len -= total;
                continue;
            }
            if (total > cap) {
                char *x = realloc(buf, total);
                if (!x) {
                    fprintf(stderr, "wdb --dap: out of memory for a %ld-byte message\n", body);
                    status = 1;
                    break;
                }
                buf = x;
                cap = total;
            }
        }
        if (len == cap) {
            char *x = realloc(buf, cap * 2);
            if (!x) break;
            buf = x;
            cap *= 2;
        }
        struct pollfd p = {in, POLLIN, 0};
        int pr = poll(&p, 1, POLL_MS);
        if (pr < 0 && errno != EINTR) break;
        if (pr <= 0) continue;
        ssize_t n = read(in, buf + len, cap - len);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (n <= 0) {
            if (len) fprintf(stderr, "wdb --dap: input ended inside a message\n");
            /* the client is done sending: what it sent is still answered
             * (a script piping requests in), then the session ends */
            wb_dap_wait_idle(d, EOF_DRAIN_MS);
            break;
        }
        len += (size_t)n;
    }
    free(buf);
    wb_dap_free(d);
    close(in);
    close(outfd);
out:
    for (size_t i = 0; i < nmap; i += 2)
        free((char *)map[i]);
    free(map);
    if (o.log) fclose(o.log);
    return status;
}
