/*
 * The bridge's RSP client (see wb_rsp.h).
 */
#define _GNU_SOURCE
#include "wb_rsp.h"
#include "wdb/net.h"

#include "wdb/rsp.h"
#include "wdb/rsp_serial.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <termios.h>
#include <unistd.h>

#define WB_RSP_BUF (1u << 20) /* largest reply we accept */
#define WB_DEFAULT_TIMEOUT_MS 10000

struct wb_rsp {
    int fd;
    FILE *log;
    int timeout_ms;
    bool ack; /* acks still in use */
    wb_rsp_features feat;
    rsp_parser parser;
    uint8_t *in; /* parser buffer: the last packet received */
    char *out;   /* framing buffer: the last packet sent, for a resend */
    size_t outcap, outlen;
    uint8_t rbuf[4096]; /* bytes read but not fed yet */
    size_t rpos, rlen;
    char error[256];
};

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void set_error(wb_rsp *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_error(wb_rsp *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->error, sizeof c->error, fmt, ap);
    va_end(ap);
}

static void log_packet(wb_rsp *c, const char *dir, const char *data, size_t len)
{
    if (!c->log) return;
    char text[448];
    fprintf(c->log, "%s %s\n", dir, rsp_printable(data, len, text, sizeof text));
    fflush(c->log);
}

wb_rsp *wb_rsp_from_fd(int fd)
{
    wb_rsp *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->in = malloc(WB_RSP_BUF + 1);
    c->outcap = rsp_frame_max(WB_RSP_BUF);
    c->out = malloc(c->outcap);
    if (!c->in || !c->out) {
        free(c->in);
        free(c->out);
        free(c);
        return NULL;
    }
    c->fd = fd;
    c->ack = true;
    c->timeout_ms = WB_DEFAULT_TIMEOUT_MS;
    c->feat.packet_size = 4096;
    rsp_parser_init(&c->parser, c->in, WB_RSP_BUF + 1);
    return c;
}

/* wb_rsp_from_fd, or NULL with "out of memory" (fd closed). */
static wb_rsp *from_fd_or_fail(int fd, wb_error *err)
{
    wb_rsp *c = wb_rsp_from_fd(fd);
    if (!c) {
        close(fd);
        wb_fail(err, "out of memory");
    }
    return c;
}

wb_rsp *wb_rsp_connect(const char *host_port, int timeout_ms, wb_error *err)
{
    char host[256], port[8];
    wb_error split;
    if (wdb_net_split(host_port, host, sizeof host, port, split.msg, sizeof split.msg) != 0) {
        wb_fail(err, "%s", split.msg);
        return NULL;
    }
    struct addrinfo hints, *ai = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    int gai = getaddrinfo(host, port, &hints, &ai);
    if (gai != 0) {
        wb_fail(err, "cannot resolve %s: %s", host_port, gai_strerror(gai));
        return NULL;
    }
    long long deadline = now_ms() + (timeout_ms < 0 ? 0 : timeout_ms);
    int fd = -1, last_errno = 0;
    for (;;) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            last_errno = errno;
            break;
        }
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) break;
        last_errno = errno;
        close(fd);
        fd = -1;
        if (now_ms() >= deadline) break;
        struct timespec ts = {0, 50 * 1000000L};
        nanosleep(&ts, NULL);
    }
    freeaddrinfo(ai);
    if (fd < 0) {
        wb_fail(err, "cannot connect to %s: %s", host_port, strerror(last_errno));
        return NULL;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return from_fd_or_fail(fd, err);
}

wb_rsp *wb_rsp_open_serial(const char *path, unsigned baud, wb_error *err)
{
    wb_error open_err;
    int fd = rsp_open_serial(path, baud, open_err.msg, sizeof open_err.msg);
    if (fd < 0) {
        wb_fail(err, "%s", open_err.msg);
        return NULL;
    }
    /* bytes a device sent before we came (a stop reply to nobody) */
    tcflush(fd, TCIFLUSH);
    return from_fd_or_fail(fd, err);
}

void wb_rsp_close(wb_rsp *c)
{
    if (!c) return;
    if (c->fd >= 0) close(c->fd);
    free(c->in);
    free(c->out);
    free(c);
}

void wb_rsp_set_log(wb_rsp *c, void *f)
{
    c->log = f;
}
void wb_rsp_set_timeout(wb_rsp *c, int timeout_ms)
{
    c->timeout_ms = timeout_ms;
}
const wb_rsp_features *wb_rsp_features_of(const wb_rsp *c)
{
    return &c->feat;
}
const char *wb_rsp_last_error(const wb_rsp *c)
{
    return c->error;
}

static int write_all(wb_rsp *c, const void *data, size_t len)
{
    const char *p = data;
    while (len) {
        ssize_t n = write(c->fd, p, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            set_error(c, "connection lost: %s", strerror(errno));
            return -ECONNRESET;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int send_packet(wb_rsp *c, const char *payload, size_t len)
{
    log_packet(c, "->", payload, len);
    size_t n = rsp_frame(payload, len, c->out, c->outcap);
    if (!n) {
        set_error(c, "packet too long");
        return -EMSGSIZE;
    }
    c->outlen = n;
    return write_all(c, c->out, n);
}

/* Reads until one packet arrives (acks and noise are skipped; damaged
 * packets are nacked in ack mode). *len = payload length in c->in. */
static int recv_packet(wb_rsp *c, size_t *len, int timeout_ms)
{
    long long deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
    for (;;) {
        while (c->rpos < c->rlen) {
            switch (rsp_feed(&c->parser, c->rbuf[c->rpos++])) {
            case RSP_EV_PACKET:
                if (c->ack) write_all(c, "+", 1);
                *len = c->parser.len;
                log_packet(c, "<-", (const char *)c->in, *len);
                return 0;
            case RSP_EV_BAD_CHECKSUM:
                if (c->ack) write_all(c, "-", 1);
                break;
            case RSP_EV_OVERFLOW:
                set_error(c, "reply longer than %u bytes", WB_RSP_BUF);
                return -EMSGSIZE;
            case RSP_EV_NACK:
                /* the stub got our last packet damaged: send it again (GDB
                 * manual, "Packet Acknowledgment"); in no-ack mode a '-'
                 * is noise */
                if (c->ack && c->outlen) {
                    log_packet(c, "->", "(resend)", 8);
                    int rc = write_all(c, c->out, c->outlen);
                    if (rc < 0) return rc;
                }
                break;
            default: break;
            }
        }
        int wait = -1;
        if (deadline >= 0) {
            long long left = deadline - now_ms();
            if (left <= 0) {
                set_error(c, "no reply from the stub");
                return -ETIMEDOUT;
            }
            wait = (int)left;
        }
        struct pollfd pf = {.fd = c->fd, .events = POLLIN};
        int r = poll(&pf, 1, wait);
        if (r < 0) {
            if (errno == EINTR) continue;
            return -errno;
        }
        if (r == 0) continue; /* the deadline check above ends it */
        ssize_t n = read(c->fd, c->rbuf, sizeof c->rbuf);
        if (n <= 0) {
            if (n < 0 && errno == EINTR) continue;
            set_error(c, "the stub closed the connection");
            return -ECONNRESET;
        }
        c->rpos = 0;
        c->rlen = (size_t)n;
    }
}

/* `Exx` or `Exx;HEXMSG` -> -EIO with the message kept. */
static bool is_error_reply(wb_rsp *c, const char *r, size_t len)
{
    if (len < 3 || r[0] != 'E' || rsp_hex_digit((unsigned char)r[1]) < 0 ||
        rsp_hex_digit((unsigned char)r[2]) < 0 || (len > 3 && r[3] != ';'))
        return false;
    char msg[128] = "";
    if (len > 4) {
        size_t n = (len - 4) / 2;
        if (n >= sizeof msg) n = sizeof msg - 1;
        if (rsp_hex_decode(r + 4, n, (uint8_t *)msg))
            msg[n] = 0;
        else
            msg[0] = 0;
    }
    set_error(c, "the stub answered error %.2s%s%s", r + 1, msg[0] ? ": " : "", msg);
    return true;
}

int wb_rsp_request(wb_rsp *c, const char *packet, const char **reply, size_t *len)
{
    size_t n = 0;
    int r = send_packet(c, packet, strlen(packet));
    if (r < 0) return r;
    if ((r = recv_packet(c, &n, c->timeout_ms)) < 0) return r;
    if (reply) *reply = (const char *)c->in;
    if (len) *len = n;
    if (is_error_reply(c, (const char *)c->in, n)) return -EIO;
    return 0;
}

int wb_rsp_requestf(wb_rsp *c, const char **reply, size_t *len, const char *fmt, ...)
{
    char pkt[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(pkt, sizeof pkt, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof pkt) return -EMSGSIZE;
    return wb_rsp_request(c, pkt, reply, len);
}

/* Finds "key:value;" in a qSupported-style or qHostInfo-style reply. */
static bool field(const char *r, const char *key, char *val, size_t cap)
{
    size_t kl = strlen(key);
    const char *p = r;
    while (p && *p) {
        if (!strncmp(p, key, kl) && (p[kl] == ':' || p[kl] == '=')) {
            const char *v = p + kl + 1, *e = strchr(v, ';');
            size_t n = e ? (size_t)(e - v) : strlen(v);
            if (n >= cap) n = cap - 1;
            memcpy(val, v, n);
            val[n] = 0;
            return true;
        }
        p = strchr(p, ';');
        if (p) p++;
    }
    return false;
}

int wb_rsp_handshake(wb_rsp *c)
{
    const char *r;
    size_t n;
    char v[128];
    /* a stub may have sent its first ack; QStartNoAckMode's own reply is
     * still acknowledged */
    write_all(c, "+", 1);
    if (wb_rsp_request(c, "QStartNoAckMode", &r, &n) == 0 && n == 2 && !memcmp(r, "OK", 2)) {
        c->ack = false;
        c->feat.no_ack = true;
    }
    int rc = wb_rsp_request(c, "qSupported:xmlRegisters=i386,arm,mips;swbreak+;hwbreak+", &r, &n);
    if (rc == -ETIMEDOUT || rc == -ECONNRESET) return rc;
    if (rc == 0) {
        if (field(r, "PacketSize", v, sizeof v)) {
            unsigned long ps = strtoul(v, NULL, 16);
            if (ps >= 64) c->feat.packet_size = ps > WB_RSP_BUF ? WB_RSP_BUF : ps;
        }
        c->feat.libraries = strstr(r, "qXfer:libraries:read+") != NULL;
        c->feat.paged_call_stack = strstr(r, "qWdbCallStack+") != NULL;
        /* WRSP_FEATURE_REVERSE's two features, in any order */
        c->feat.reverse_step = strstr(r, "ReverseStep+") != NULL;
        c->feat.reverse_continue = strstr(r, "ReverseContinue+") != NULL;
    }
    if (wb_rsp_request(c, "vCont?", &r, &n) == 0 && n > 5 && !strncmp(r, "vCont", 5)) {
        c->feat.vcont = true;
        c->feat.vcont_range = strstr(r, ";r") != NULL;
    }
    if (wb_rsp_request(c, "qHostInfo", &r, &n) == 0 && n && field(r, "triple", v, sizeof v)) {
        size_t tl = strlen(v) / 2;
        if (tl >= sizeof c->feat.triple) tl = sizeof c->feat.triple - 1;
        if (rsp_hex_decode(v, tl, (uint8_t *)c->feat.triple)) c->feat.triple[tl] = 0;
    }
    if (wb_rsp_request(c, "qWatchpointSupportInfo:", &r, &n) == 0 && field(r, "num", v, sizeof v)) {
        c->feat.watch_slots = (unsigned)strtoul(v, NULL, 0);
        c->feat.watchpoints = c->feat.watch_slots > 0;
    }
    return 0;
}

int wb_rsp_parse_stop(const char *pkt, size_t len, wb_rsp_stop *out)
{
    memset(out, 0, sizeof *out);
    if (len < 3) return -EPROTO;
    int hi = rsp_hex_digit((unsigned char)pkt[1]), lo = rsp_hex_digit((unsigned char)pkt[2]);
    if (hi < 0 || lo < 0) return -EPROTO;
    out->code = hi * 16 + lo;
    switch (pkt[0]) {
    case 'W': out->kind = WB_STOP_EXITED; return 0;
    case 'X': out->kind = WB_STOP_KILLED; return 0;
    case 'S': out->kind = WB_STOP_SIGNAL; return 0;
    case 'T': out->kind = WB_STOP_SIGNAL; break;
    default: return -EPROTO;
    }
    /* T: key:value; pairs */
    const char *p = pkt + 3, *end = pkt + len;
    while (p < end) {
        const char *colon = memchr(p, ':', (size_t)(end - p));
        const char *semi = memchr(p, ';', (size_t)(end - p));
        if (!colon || !semi || colon > semi) return -EPROTO;
        size_t kl = (size_t)(colon - p), vl = (size_t)(semi - colon - 1);
        const char *v = colon + 1;
        if (kl == 6 && !memcmp(p, "reason", 6)) {
            size_t n = vl < sizeof out->reason - 1 ? vl : sizeof out->reason - 1;
            memcpy(out->reason, v, n);
            out->reason[n] = 0;
        } else if (kl == 11 && !memcmp(p, "description", 11)) {
            size_t n = vl / 2 < sizeof out->description - 1 ? vl / 2 : sizeof out->description - 1;
            if (rsp_hex_decode(v, n, (uint8_t *)out->description)) out->description[n] = 0;
        } else if (kl == 10 && !memcmp(p, "thread-pcs", 10)) {
            const char *q = v;
            uint64_t pc;
            if (rsp_parse_hex(&q, &pc)) {
                out->pc = pc;
                out->have_pc = true;
            }
        } else if (kl == 2 && !memcmp(p, "00", 2) && vl == 16 && !out->have_pc) {
            uint8_t b[8];
            if (rsp_hex_decode(v, 8, b)) {
                out->pc = 0;
                for (int i = 7; i >= 0; i--)
                    out->pc = out->pc << 8 | b[i];
                out->have_pc = true;
            }
        } else if (kl == sizeof WRSP_REPLAYLOG_KEY - 1 &&
                   !memcmp(p, WRSP_REPLAYLOG_KEY, sizeof WRSP_REPLAYLOG_KEY - 1)) {
            out->history_begin = vl == 5 && !memcmp(v, "begin", 5);
            out->history_end = vl == 3 && !memcmp(v, "end", 3);
        } else if (kl == 6 && !memcmp(p, "thread", 6)) {
            const char *q = v;
            uint64_t t;
            if (rsp_parse_hex(&q, &t)) out->tid = t;
        }
        p = semi + 1;
    }
    if (!strcmp(out->reason, "watchpoint")) out->watch_addr = strtoull(out->description, NULL, 0);
    return 0;
}

int wb_rsp_query_stop(wb_rsp *c, wb_rsp_stop *out)
{
    const char *r;
    size_t n;
    int rc = wb_rsp_request(c, "?", &r, &n);
    if (rc < 0) return rc;
    if (wb_rsp_parse_stop(r, n, out) < 0) {
        set_error(c, "bad stop reply");
        return -EPROTO;
    }
    return 0;
}

static int resume_packet(wb_rsp *c, const char *pkt)
{
    return send_packet(c, pkt, strlen(pkt));
}

int wb_rsp_continue(wb_rsp *c)
{
    return resume_packet(c, c->feat.vcont ? "vCont;c" : "c");
}
int wb_rsp_step(wb_rsp *c)
{
    return resume_packet(c, c->feat.vcont ? "vCont;s:1" : "s");
}

int wb_rsp_range_step(wb_rsp *c, uint64_t start, uint64_t end)
{
    if (!c->feat.vcont_range) return -ENOTSUP;
    char pkt[80];
    snprintf(pkt, sizeof pkt, "vCont;r%llx,%llx:1", (unsigned long long)start,
             (unsigned long long)end);
    return resume_packet(c, pkt);
}

int wb_rsp_reverse_step(wb_rsp *c)
{
    return c->feat.reverse_step ? resume_packet(c, WRSP_REVERSE_STEP) : -ENOTSUP;
}
int wb_rsp_reverse_continue(wb_rsp *c)
{
    return c->feat.reverse_continue ? resume_packet(c, WRSP_REVERSE_CONTINUE) : -ENOTSUP;
}

int wb_rsp_history_info(wb_rsp *c, wb_rsp_history *out)
{
    const char *r;
    size_t n;
    if (!c->feat.reverse_step) return -ENOTSUP;
    int rc = wb_rsp_request(c, WRSP_HISTORY, &r, &n);
    if (rc) return rc;
    if (!n) return -ENOTSUP;
    char v[3][24];
    if (!field(r, "snapshots", v[0], sizeof v[0]) || !field(r, "bytes", v[1], sizeof v[1]) ||
        !field(r, "limit", v[2], sizeof v[2]))
        return -EPROTO;
    out->snapshots = strtoull(v[0], NULL, 10);
    out->bytes = strtoull(v[1], NULL, 10);
    out->limit = strtoull(v[2], NULL, 10);
    return 0;
}

int wb_rsp_interrupt(wb_rsp *c)
{
    log_packet(c, "->", "^C", 2);
    return write_all(c, "\x03", 1);
}

int wb_rsp_wait_stop(wb_rsp *c, wb_rsp_stop *out, int timeout_ms)
{
    size_t n;
    for (;;) {
        int rc = recv_packet(c, &n, timeout_ms);
        if (rc < 0) return rc;
        const char *r = (const char *)c->in;
        /* console output packets (O...) may precede the stop reply */
        if (n > 0 && r[0] == 'O' && n % 2 == 1) continue;
        if (is_error_reply(c, r, n)) return -EIO;
        if (wb_rsp_parse_stop(r, n, out) < 0) {
            set_error(c, "bad stop reply");
            return -EPROTO;
        }
        return 0;
    }
}

int wb_rsp_detach(wb_rsp *c)
{
    return wb_rsp_request(c, "D", NULL, NULL);
}

int wb_rsp_kill(wb_rsp *c)
{
    /* `k` has no reply in the GDB protocol; LLDB's vKill has one */
    const char *r;
    size_t n;
    int rc = wb_rsp_request(c, "vKill;1", &r, &n);
    if (rc == 0 && n > 0) return 0;
    return resume_packet(c, "k");
}

int wb_rsp_breakpoint(wb_rsp *c, int type, uint64_t addr, uint32_t kind, bool insert)
{
    const char *r;
    size_t n;
    int rc = wb_rsp_requestf(c, &r, &n, "%c%d,%llx,%x", insert ? 'Z' : 'z', type,
                             (unsigned long long)addr, kind);
    if (rc < 0) return rc;
    if (n == 0) {
        set_error(c, "the stub does not support %s", type == 0 ? "breakpoints" : "watchpoints");
        return -ENOTSUP;
    }
    return n == 2 && !memcmp(r, "OK", 2) ? 0 : -EPROTO;
}

int wb_rsp_read(wb_rsp *c, uint64_t addr, void *buf, size_t len, size_t *got)
{
    size_t chunk = (c->feat.packet_size - 4) / 2, done = 0;
    if (chunk > 4096) chunk = 4096;
    *got = 0;
    while (done < len) {
        size_t want = len - done < chunk ? len - done : chunk;
        const char *r;
        size_t n;
        int rc = wb_rsp_requestf(c, &r, &n, "m%llx,%zx", (unsigned long long)(addr + done), want);
        if (rc < 0) return rc;
        if (n == 0 || n % 2 || n / 2 > want) {
            set_error(c, "bad memory reply");
            return -EPROTO;
        }
        if (!rsp_hex_decode(r, n / 2, (uint8_t *)buf + done)) return -EPROTO;
        done += n / 2;
        *got = done;
        if (n / 2 < want) return -EFAULT; /* a partial read: the rest is not readable */
    }
    return 0;
}

int wb_rsp_write(wb_rsp *c, uint64_t addr, const void *buf, size_t len)
{
    size_t chunk = (c->feat.packet_size - 40) / 2, done = 0;
    if (chunk > 4096) chunk = 4096;
    char *pkt = malloc(2 * chunk + 64);
    if (!pkt) return -ENOMEM;
    int rc = 0;
    while (done < len && rc == 0) {
        size_t n = len - done < chunk ? len - done : chunk;
        int h = snprintf(pkt, 64, "M%llx,%zx:", (unsigned long long)(addr + done), n);
        rsp_hex_encode((const uint8_t *)buf + done, n, pkt + h);
        pkt[h + 2 * n] = 0;
        rc = wb_rsp_request(c, pkt, NULL, NULL);
        done += n;
    }
    free(pkt);
    return rc;
}

/* Appends the 16-hex-digit pcs of r[0..len) to pcs[*n..max). */
static int decode_pcs(const char *r, size_t len, uint64_t *pcs, size_t max, size_t *n)
{
    if (len % 16) return -EPROTO;
    for (size_t i = 0; i < len / 16 && *n < max; i++) {
        uint8_t b[8];
        if (!rsp_hex_decode(r + 16 * i, 8, b)) return -EPROTO;
        uint64_t pc = 0;
        for (int k = 7; k >= 0; k--)
            pc = pc << 8 | b[k];
        pcs[(*n)++] = pc;
    }
    return 0;
}

/* The stack through qWdbCallStack:1;FIRST pages ("TOTAL;" and frames). */
static int paged_call_stack(wb_rsp *c, uint64_t *pcs, size_t max, size_t *n)
{
    size_t total = SIZE_MAX;
    while (*n < max && *n < total) {
        char pkt[64];
        const char *r;
        size_t len;
        snprintf(pkt, sizeof pkt, "qWdbCallStack:1;%zx", *n);
        int rc = wb_rsp_request(c, pkt, &r, &len);
        if (rc < 0) return rc;
        const char *q = r; /* replies are NUL-terminated */
        uint64_t t;
        if (!rsp_parse_hex(&q, &t) || *q != ';') return -EPROTO;
        total = t > SIZE_MAX ? SIZE_MAX : (size_t)t;
        q++;
        size_t before = *n;
        rc = decode_pcs(q, len - (size_t)(q - r), pcs, max, n);
        if (rc < 0) return rc;
        if (*n == before) break; /* no progress: the stack changed under us */
    }
    return 0;
}

int wb_rsp_call_stack(wb_rsp *c, uint64_t *pcs, size_t max, size_t *n)
{
    const char *r;
    size_t len;
    *n = 0;
    if (c->feat.paged_call_stack) {
        c->feat.wasm_call_stack = true;
        return paged_call_stack(c, pcs, max, n);
    }
    int rc = wb_rsp_request(c, "qWasmCallStack:1", &r, &len);
    if (rc < 0) return rc;
    if (len == 0) {
        set_error(c, "the stub does not support qWasmCallStack");
        return -ENOTSUP;
    }
    if (len % 16) return -EPROTO;
    c->feat.wasm_call_stack = true;
    return decode_pcs(r, len, pcs, max, n);
}

int wb_rsp_wasm_value(wb_rsp *c, const char *what, uint32_t frame, uint32_t index, uint8_t *buf,
                      size_t cap, size_t *len)
{
    const char *r;
    size_t n;
    *len = 0;
    int rc = wb_rsp_requestf(c, &r, &n, "qWasm%s:%u;%u", what, frame, index);
    if (rc < 0) return rc;
    if (n == 0) {
        set_error(c, "the stub does not support qWasm%s", what);
        return -ENOTSUP;
    }
    if (n % 2 || n / 2 > cap || !rsp_hex_decode(r, n / 2, buf)) return -EPROTO;
    *len = n / 2;
    return 0;
}
