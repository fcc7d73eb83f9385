/*
 * rsp-filter: a test-only GDB remote protocol proxy that makes wdb-run look
 * like a less capable LLDB-compatible Wasm stub, so that tests can check
 * that `wdb` works against such a stub and says what it lacks.
 *
 *   rsp-filter --listen PORT_OR_0 --upstream HOST:PORT [--no-range-step]
 *              [--no-watchpoints] [--ack-mode] [--packet-size N]
 *              [--no-jthreads] [--no-libraries] [--nack-every N]
 *              [--corrupt-every N] [--no-vcont] [--no-stack-values] [--log FILE]
 *
 * It accepts one client on 127.0.0.1:PORT (with 0 it prints "listening on
 * PORT" on stdout), connects upstream, and forwards whole packets both ways:
 * every packet is decoded (escapes, run-length encoding) with the shared
 * codec and framed again, so a rewrite never has to work on raw bytes.
 *
 * Acknowledgements (GDB manual, "Packet Acknowledgment") end at the proxy
 * on both sides. Upstream, the proxy asks for no-ack mode itself before it
 * reads anything from the client (and acks by hand if the stub refuses).
 * Toward the client it plays a stub: '+' for every packet received, a resend
 * of the last packet on '-', and no-ack mode only when the client asks and
 * --ack-mode is not given. In ack mode it also checks the client: every
 * packet sent must be acknowledged before the client's next request.
 * --nack-every N answers '-' instead of '+' to every Nth client packet (as
 * if it arrived damaged; the client must send it again) and --corrupt-every
 * N sends every Nth packet to the client with a wrong checksum first (the
 * client must answer '-' and take the resend): line noise, in ack mode only.
 *
 * Restrictions: --no-range-step removes `r` from the `vCont?` reply;
 * --no-watchpoints answers qWatchpointSupportInfo and Z2/Z3/Z4 (and z)
 * empty, i.e. unsupported; --ack-mode answers QStartNoAckMode empty and
 * drops QStartNoAckMode+ from qSupported; --packet-size N (decimal) replaces
 * qSupported's PacketSize and rejects client packets longer than N and
 * memory reads whose reply would be longer than N; --no-jthreads answers
 * jThreadsInfo empty; --no-libraries answers qXfer:libraries empty and drops
 * it from qSupported; --no-vcont answers `vCont?` and every vCont packet
 * empty (a stub of `c`/`s` only: a vCont sent anyway is a violation);
 * --no-stack-values answers qWasmStackValue empty (a stub that cannot read
 * the operand stack).
 *
 * What the client did wrong (a packet the stub said it does not take) is
 * answered as such a stub would and logged as a line starting "VIOLATION";
 * the log ends with a "summary:" line of counters. Tests grep both.
 *
 * Exit status: 0 when either side closed the connection, 1 on a setup or
 * I/O error, 2 on bad arguments.
 */
#define _GNU_SOURCE
#include "wdb/rsp.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* The largest packet either side may send us (the bridge accepts 1 MiB). */
#define RF_MAX_PACKET (1u << 20)
#define RF_HANDSHAKE_MS 10000

typedef struct rf_opts {
    const char *listen;
    const char *upstream;
    const char *log_path;
    bool no_range_step, no_watchpoints, ack_mode, no_jthreads, no_libraries;
    bool no_vcont, no_stack_values;
    unsigned long packet_size; /* 0: keep the stub's */
    unsigned long nack_every, corrupt_every;
} rf_opts;

/* One side of the proxy: its socket, its receive state, the last packet
 * sent to it (for a resend on '-') and whether acks are still in use. */
typedef struct rf_peer {
    int fd;
    rsp_parser parser;
    uint8_t *in;
    char *last;
    size_t last_len;
    bool ack;
} rf_peer;

/* What the reply to the request being forwarded needs. */
typedef enum rf_pending { PEND_NONE, PEND_SUPPORTED, PEND_VCONT_QUERY } rf_pending;

typedef struct rf_stats {
    unsigned long from_client, to_client, from_stub, to_stub, local;
    unsigned long client_acks, client_nacks, stray_acks, unacked;
    unsigned long injected_nacks, injected_corruptions;
    unsigned long interrupts, mem_reads, max_mem_read, violations;
} rf_stats;

typedef struct rf {
    rf_opts o;
    rf_peer client, stub;
    rf_pending pending;
    rf_stats st;
    FILE *log;
    char *frame; /* framing scratch: rsp_frame_max(RF_MAX_PACKET) */
    size_t frame_cap;
} rf;

static void logf_(rf *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logf_(rf *f, const char *fmt, ...)
{
    if (!f->log) return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f->log, fmt, ap);
    va_end(ap);
    fputc('\n', f->log);
    fflush(f->log);
}

static void log_packet(rf *f, const char *dir, const void *data, size_t len)
{
    char text[448];
    logf_(f, "%s %s", dir, rsp_printable(data, len, text, sizeof text));
}

static void violation(rf *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void violation(rf *f, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    f->st.violations++;
    logf_(f, "VIOLATION: %s", msg);
    fprintf(stderr, "rsp-filter: VIOLATION: %s\n", msg);
}

static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Frames payload and sends it to peer, keeping the frame for a resend.
 * corrupt: send it first with a wrong checksum (the good frame is what a
 * '-' brings). */
static int send_to(rf *f, rf_peer *p, const void *payload, size_t len, bool corrupt)
{
    size_t n = rsp_frame(payload, len, f->frame, f->frame_cap);
    if (!n) return -1;
    char *copy = realloc(p->last, n);
    if (!copy) return -1;
    memcpy(copy, f->frame, n);
    p->last = copy;
    p->last_len = n;
    if (corrupt) {
        /* flip the last checksum digit to another hex digit */
        f->frame[n - 1] = f->frame[n - 1] == '0' ? '1' : '0';
    }
    return write_all(p->fd, f->frame, n);
}

/* A reply to the client. Counts what an ack-mode client owes us. */
static int reply_client(rf *f, const char *payload, size_t len)
{
    bool corrupt = false;
    f->st.to_client++;
    if (f->client.ack) {
        f->st.unacked++;
        if (f->o.corrupt_every && f->st.to_client % f->o.corrupt_every == 0) {
            corrupt = true;
            f->st.injected_corruptions++;
            logf_(f, "note: sending packet %lu to the client with a bad checksum", f->st.to_client);
        }
    }
    log_packet(f, "proxy->client", payload, len);
    return send_to(f, &f->client, payload, len, corrupt);
}

/* A reply made by the proxy itself (the stub never sees the request). */
static int answer_locally(rf *f, const char *payload)
{
    f->st.local++;
    logf_(f, "note: answered by the proxy");
    return reply_client(f, payload, strlen(payload));
}

static bool starts(const char *s, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && !memcmp(s, prefix, n);
}

/* Does a vCont packet ask for range stepping (an action `r`)? */
static bool vcont_has_range(const char *p, size_t len)
{
    for (size_t i = 5; i + 1 < len; i++)
        if (p[i] == ';' && p[i + 1] == 'r') return true;
    return false;
}

/* The length of an `mADDR,LEN` or `xADDR,LEN` read, or false. */
static bool read_length(const char *p, uint64_t *len)
{
    const char *s = p + 1;
    uint64_t addr;
    if (!rsp_parse_hex(&s, &addr) || *s != ',') return false;
    s++;
    return rsp_parse_hex(&s, len) && *s == 0;
}

/* One packet from the client: answered here, or forwarded upstream. */
static int from_client(rf *f, const char *p, size_t len)
{
    f->st.from_client++;
    log_packet(f, "client->proxy", p, len);
    if (f->client.ack && f->st.unacked) {
        violation(f, "the client sent a packet with %lu of our packets unacknowledged",
                  f->st.unacked);
        f->st.unacked = 0;
    }
    if (f->o.packet_size && len > f->o.packet_size) {
        violation(f, "a packet of %zu bytes, PacketSize is %lu", len, f->o.packet_size);
        return answer_locally(f, "E01");
    }
    if (!strcmp(p, "QStartNoAckMode")) {
        if (f->o.ack_mode) return answer_locally(f, "");
        /* the OK is acknowledged under the old mode (GDB manual,
         * "Packet Acknowledgment"); acks after it are ignored */
        int rc = answer_locally(f, "OK");
        f->client.ack = false;
        f->st.unacked = 0;
        return rc;
    }
    if (f->o.no_watchpoints) {
        if (starts(p, len, "qWatchpointSupportInfo")) return answer_locally(f, "");
        if ((p[0] == 'Z' || p[0] == 'z') && len > 1 && p[1] >= '2' && p[1] <= '4')
            return answer_locally(f, "");
    }
    if (f->o.no_jthreads && starts(p, len, "jThreadsInfo")) return answer_locally(f, "");
    if (f->o.no_vcont && starts(p, len, "vCont")) {
        if (strcmp(p, "vCont?") != 0) violation(f, "vCont sent, vCont? was not answered: %s", p);
        return answer_locally(f, "");
    }
    if (f->o.no_stack_values && starts(p, len, "qWasmStackValue")) return answer_locally(f, "");
    if (f->o.no_libraries && starts(p, len, "qXfer:libraries")) return answer_locally(f, "");
    if (f->o.no_range_step && starts(p, len, "vCont;") && vcont_has_range(p, len)) {
        violation(f, "range stepping requested, vCont? did not offer it: %s", p);
        return answer_locally(f, "");
    }
    if ((p[0] == 'm' || p[0] == 'x') && len > 1) {
        uint64_t n;
        if (read_length(p, &n)) {
            f->st.mem_reads++;
            if (n > f->st.max_mem_read) f->st.max_mem_read = (unsigned long)n;
            /* GDB's reading of PacketSize: the reply must fit too. Hex
             * takes two bytes a byte (x: up to two, with escapes). LLDB
             * reads more (it sizes its reads by its own buffer). */
            if (f->o.packet_size && 2 * n > f->o.packet_size) {
                violation(f, "a read of %llu bytes needs a reply longer than PacketSize %lu",
                          (unsigned long long)n, f->o.packet_size);
                return answer_locally(f, "E01");
            }
        }
    }
    if (starts(p, len, "qSupported"))
        f->pending = PEND_SUPPORTED;
    else if (!strcmp(p, "vCont?"))
        f->pending = PEND_VCONT_QUERY;
    else
        f->pending = PEND_NONE;
    f->st.to_stub++;
    log_packet(f, "proxy->stub", p, len);
    return send_to(f, &f->stub, p, len, false);
}

/* Rebuilds a ';'-separated list without the items drop() rejects; extra
 * (if not NULL) is appended as one more item. */
static size_t filter_list(rf *f, const char *in, size_t len, char *out,
                          bool (*drop)(rf *f, const char *item, size_t n), const char *extra)
{
    size_t o = 0;
    const char *s = in, *end = in + len;
    while (s < end) {
        const char *semi = memchr(s, ';', (size_t)(end - s));
        size_t n = semi ? (size_t)(semi - s) : (size_t)(end - s);
        if (n && !drop(f, s, n)) {
            if (o) out[o++] = ';';
            memcpy(out + o, s, n);
            o += n;
        }
        s += n + 1;
    }
    if (extra) {
        if (o) out[o++] = ';';
        size_t n = strlen(extra);
        memcpy(out + o, extra, n);
        o += n;
    }
    return o;
}

static bool item_is(const char *item, size_t n, const char *what)
{
    return n == strlen(what) && !memcmp(item, what, n);
}

static bool drop_feature(rf *f, const char *item, size_t n)
{
    if (f->o.packet_size && n > 11 && !memcmp(item, "PacketSize=", 11)) return true;
    if (f->o.ack_mode && item_is(item, n, "QStartNoAckMode+")) return true;
    if (f->o.no_libraries && n > 15 && !memcmp(item, "qXfer:libraries", 15)) return true;
    return false;
}

static bool drop_vcont_action(rf *f, const char *item, size_t n)
{
    return f->o.no_range_step && (item_is(item, n, "r") || item_is(item, n, "R"));
}

/* One packet from the stub: rewritten if it answers a query we filter,
 * then passed to the client. */
static int from_stub(rf *f, const char *p, size_t len)
{
    f->st.from_stub++;
    log_packet(f, "stub->proxy", p, len);
    rf_pending pend = f->pending;
    f->pending = PEND_NONE;
    if (pend == PEND_SUPPORTED) {
        char extra[48], *out = malloc(len + sizeof extra + 2);
        if (!out) return -1;
        if (f->o.packet_size) snprintf(extra, sizeof extra, "PacketSize=%lx", f->o.packet_size);
        size_t n = filter_list(f, p, len, out, drop_feature, f->o.packet_size ? extra : NULL);
        int rc = reply_client(f, out, n);
        free(out);
        return rc;
    }
    if (pend == PEND_VCONT_QUERY && starts(p, len, "vCont")) {
        char *out = malloc(len + 2);
        if (!out) return -1;
        size_t n = filter_list(f, p, len, out, drop_vcont_action, NULL);
        int rc = reply_client(f, out, n);
        free(out);
        return rc;
    }
    if (f->o.packet_size && len > f->o.packet_size)
        logf_(f, "note: a reply of %zu bytes, longer than PacketSize", len);
    return reply_client(f, p, len);
}

/* Feeds bytes the client sent. -1 ends the session. */
static int client_bytes(rf *f, const uint8_t *b, size_t n)
{
    rf_peer *c = &f->client;
    for (size_t i = 0; i < n; i++) {
        switch (rsp_feed(&c->parser, b[i])) {
        case RSP_EV_PACKET:
            if (c->ack && f->o.nack_every &&
                (f->st.from_client + f->st.injected_nacks + 1) % f->o.nack_every == 0) {
                /* pretend it arrived damaged: the client must send it again */
                f->st.injected_nacks++;
                log_packet(f, "client->proxy (answered '-' on purpose)", c->in, c->parser.len);
                if (write_all(c->fd, "-", 1) < 0) return -1;
                break;
            }
            if (c->ack && write_all(c->fd, "+", 1) < 0) return -1;
            if (from_client(f, (const char *)c->in, c->parser.len) < 0) return -1;
            break;
        case RSP_EV_BAD_CHECKSUM:
            logf_(f, "client->proxy (bad checksum)");
            if (c->ack) {
                if (write_all(c->fd, "-", 1) < 0) return -1;
            } else if (answer_locally(f, "E02") < 0) {
                return -1;
            }
            break;
        case RSP_EV_OVERFLOW:
            violation(f, "a packet longer than %u bytes", RF_MAX_PACKET);
            if (c->ack && write_all(c->fd, "+", 1) < 0) return -1;
            if (answer_locally(f, "E01") < 0) return -1;
            break;
        case RSP_EV_INTERRUPT:
            f->st.interrupts++;
            logf_(f, "client->proxy->stub ^C");
            if (write_all(f->stub.fd, "\x03", 1) < 0) return -1;
            break;
        case RSP_EV_ACK:
            if (!c->ack || !f->st.unacked) {
                /* the first '+' before any packet is customary */
                if (f->st.to_client) f->st.stray_acks++;
            } else {
                f->st.client_acks++;
                f->st.unacked--;
            }
            break;
        case RSP_EV_NACK:
            f->st.client_nacks++;
            logf_(f, "client->proxy '-': resending");
            if (c->ack && c->last_len && write_all(c->fd, c->last, c->last_len) < 0) return -1;
            break;
        case RSP_EV_NONE: break;
        }
    }
    return 0;
}

/* Feeds bytes the stub sent. -1 ends the session. */
static int stub_bytes(rf *f, const uint8_t *b, size_t n)
{
    rf_peer *s = &f->stub;
    for (size_t i = 0; i < n; i++) {
        switch (rsp_feed(&s->parser, b[i])) {
        case RSP_EV_PACKET:
            if (s->ack && write_all(s->fd, "+", 1) < 0) return -1;
            if (from_stub(f, (const char *)s->in, s->parser.len) < 0) return -1;
            break;
        case RSP_EV_BAD_CHECKSUM:
            logf_(f, "stub->proxy (bad checksum)");
            if (s->ack && write_all(s->fd, "-", 1) < 0) return -1;
            break;
        case RSP_EV_OVERFLOW:
            logf_(f, "stub->proxy (a packet longer than %u bytes, dropped)", RF_MAX_PACKET);
            break;
        case RSP_EV_NACK:
            if (s->ack && s->last_len && write_all(s->fd, s->last, s->last_len) < 0) return -1;
            break;
        case RSP_EV_INTERRUPT:
        case RSP_EV_ACK:
        case RSP_EV_NONE: break;
        }
    }
    return 0;
}

/* Asks the stub for no-ack mode before the client's traffic starts. Leaves
 * stub.ack true if the stub declines. */
static int stub_no_ack(rf *f)
{
    static const char pkt[] = "QStartNoAckMode";
    if (write_all(f->stub.fd, "+", 1) < 0 || send_to(f, &f->stub, pkt, sizeof pkt - 1, false) < 0)
        return -1;
    log_packet(f, "proxy->stub", pkt, sizeof pkt - 1);
    for (;;) {
        struct pollfd pf = {.fd = f->stub.fd, .events = POLLIN};
        int r = poll(&pf, 1, RF_HANDSHAKE_MS);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) {
            fprintf(stderr, "rsp-filter: no answer to QStartNoAckMode from the stub\n");
            return -1;
        }
        uint8_t b;
        ssize_t n = read(f->stub.fd, &b, 1);
        if (n <= 0) {
            if (n < 0 && errno == EINTR) continue;
            fprintf(stderr, "rsp-filter: the stub closed the connection\n");
            return -1;
        }
        rsp_event ev = rsp_feed(&f->stub.parser, b);
        if (ev == RSP_EV_NACK) {
            if (write_all(f->stub.fd, f->stub.last, f->stub.last_len) < 0) return -1;
        } else if (ev == RSP_EV_PACKET) {
            log_packet(f, "stub->proxy", f->stub.in, f->stub.parser.len);
            /* the OK is acknowledged under the old mode */
            if (write_all(f->stub.fd, "+", 1) < 0) return -1;
            f->stub.ack = strcmp((const char *)f->stub.in, "OK") != 0;
            logf_(f, "note: the stub is in %s mode", f->stub.ack ? "ack" : "no-ack");
            return 0;
        }
    }
}

static int listen_on(const char *port_text, int *port)
{
    char *end;
    long pn = strtol(port_text, &end, 10);
    if (!*port_text || *end || pn < 0 || pn > 65535) {
        fprintf(stderr, "rsp-filter: bad port '%s'\n", port_text);
        return -1;
    }
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)pn)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t al = sizeof a;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 1) < 0 ||
        getsockname(fd, (struct sockaddr *)&a, &al) < 0) {
        fprintf(stderr, "rsp-filter: cannot listen on port %ld: %s\n", pn, strerror(errno));
        close(fd);
        return -1;
    }
    *port = ntohs(a.sin_port);
    return fd;
}

static int connect_to(const char *host_port)
{
    char host[256];
    const char *colon = strrchr(host_port, ':');
    if (!colon || (size_t)(colon - host_port) >= sizeof host) {
        fprintf(stderr, "rsp-filter: --upstream wants HOST:PORT, not '%s'\n", host_port);
        return -1;
    }
    memcpy(host, host_port, (size_t)(colon - host_port));
    host[colon - host_port] = 0;
    struct addrinfo hints = {
        .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV};
    struct addrinfo *ai = NULL;
    int gai = getaddrinfo(host, colon + 1, &hints, &ai);
    if (gai) {
        fprintf(stderr, "rsp-filter: cannot resolve %s: %s\n", host_port, gai_strerror(gai));
        return -1;
    }
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
        fprintf(stderr, "rsp-filter: cannot connect to %s: %s\n", host_port, strerror(errno));
        close(fd);
        fd = -1;
    }
    freeaddrinfo(ai);
    return fd;
}

static int usage(void)
{
    fprintf(stderr, "usage: rsp-filter --listen PORT_OR_0 --upstream HOST:PORT [--no-range-step]\n"
                    "       [--no-watchpoints] [--ack-mode] [--packet-size N] [--no-jthreads]\n"
                    "       [--no-libraries] [--nack-every N] [--corrupt-every N] [--no-vcont]\n"
                    "       [--no-stack-values] [--log FILE]\n");
    return 2;
}

static bool parse_count(const char *s, unsigned long min, unsigned long *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (!*s || *end || errno || v < min) return false;
    *out = v;
    return true;
}

static int parse_args(int argc, char **argv, rf_opts *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--no-range-step"))
            o->no_range_step = true;
        else if (!strcmp(a, "--no-vcont"))
            o->no_vcont = true;
        else if (!strcmp(a, "--no-stack-values"))
            o->no_stack_values = true;
        else if (!strcmp(a, "--no-watchpoints"))
            o->no_watchpoints = true;
        else if (!strcmp(a, "--ack-mode"))
            o->ack_mode = true;
        else if (!strcmp(a, "--no-jthreads"))
            o->no_jthreads = true;
        else if (!strcmp(a, "--no-libraries"))
            o->no_libraries = true;
        else if (!v)
            return -1;
        else if (!strcmp(a, "--listen"))
            o->listen = argv[++i];
        else if (!strcmp(a, "--upstream"))
            o->upstream = argv[++i];
        else if (!strcmp(a, "--log"))
            o->log_path = argv[++i];
        /* below 64 not even a stop reply fits */
        else if (!strcmp(a, "--packet-size")) {
            if (!parse_count(argv[++i], 64, &o->packet_size)) return -1;
        } else if (!strcmp(a, "--nack-every")) {
            if (!parse_count(argv[++i], 2, &o->nack_every)) return -1;
        } else if (!strcmp(a, "--corrupt-every")) {
            if (!parse_count(argv[++i], 2, &o->corrupt_every)) return -1;
        } else
            return -1;
    }
    return o->listen && o->upstream ? 0 : -1;
}

/* Moves bytes until one side closes. After the stub closes, the client
 * still has the last packet to acknowledge: read it for a while longer. */
static int relay(rf *f)
{
    uint8_t buf[65536];
    bool stub_gone = false;
    for (;;) {
        struct pollfd pf[2] = {{.fd = f->client.fd, .events = POLLIN},
                               {.fd = stub_gone ? -1 : f->stub.fd, .events = POLLIN}};
        int r = poll(pf, 2, stub_gone ? 2000 : -1);
        if (r < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (r == 0) {
            logf_(f, "note: the client stayed after the stub closed");
            return 0;
        }
        for (int k = 0; k < 2; k++) {
            if (!(pf[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            ssize_t n = read(pf[k].fd, buf, sizeof buf);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                logf_(f, "note: the %s closed the connection", k ? "stub" : "client");
                if (!k) return 0;
                stub_gone = true;
                continue;
            }
            int rc = k ? stub_bytes(f, buf, (size_t)n) : client_bytes(f, buf, (size_t)n);
            if (rc < 0) {
                logf_(f, "note: write failed: %s", strerror(errno));
                return 0; /* the other side went away while we wrote */
            }
        }
    }
}

static void summary(rf *f)
{
    const rf_stats *s = &f->st;
    logf_(f,
          "summary: from_client=%lu to_stub=%lu from_stub=%lu to_client=%lu local=%lu "
          "client_acks=%lu client_nacks=%lu stray_acks=%lu unacked=%lu injected_nacks=%lu "
          "injected_corruptions=%lu interrupts=%lu mem_reads=%lu max_mem_read=%lu "
          "violations=%lu",
          s->from_client, s->to_stub, s->from_stub, s->to_client, s->local, s->client_acks,
          s->client_nacks, s->stray_acks, s->unacked, s->injected_nacks, s->injected_corruptions,
          s->interrupts, s->mem_reads, s->max_mem_read, s->violations);
}

int main(int argc, char **argv)
{
    rf f;
    memset(&f, 0, sizeof f);
    f.client = (rf_peer){.fd = -1, .ack = true};
    f.stub = (rf_peer){.fd = -1, .ack = true};
    int lfd = -1, status = 1;
    if (parse_args(argc, argv, &f.o) < 0) return usage();
    signal(SIGPIPE, SIG_IGN);
    f.frame_cap = rsp_frame_max(RF_MAX_PACKET);
    f.frame = malloc(f.frame_cap);
    f.client.in = malloc(RF_MAX_PACKET + 1);
    f.stub.in = malloc(RF_MAX_PACKET + 1);
    if (!f.frame || !f.client.in || !f.stub.in) goto done;
    rsp_parser_init(&f.client.parser, f.client.in, RF_MAX_PACKET + 1);
    rsp_parser_init(&f.stub.parser, f.stub.in, RF_MAX_PACKET + 1);
    if (f.o.log_path && !(f.log = fopen(f.o.log_path, "w"))) {
        fprintf(stderr, "rsp-filter: cannot write %s: %s\n", f.o.log_path, strerror(errno));
        goto done;
    }
    int port = 0;
    if ((lfd = listen_on(f.o.listen, &port)) < 0) goto done;
    printf("listening on %d\n", port);
    fflush(stdout);
    do
        f.client.fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
    while (f.client.fd < 0 && errno == EINTR);
    if (f.client.fd < 0) {
        fprintf(stderr, "rsp-filter: accept: %s\n", strerror(errno));
        goto done;
    }
    close(lfd);
    lfd = -1;
    if ((f.stub.fd = connect_to(f.o.upstream)) < 0) goto done;
    int one = 1;
    setsockopt(f.client.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(f.stub.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    logf_(&f, "note: client connected, upstream %s", f.o.upstream);
    if (stub_no_ack(&f) < 0) goto done;
    if (relay(&f) == 0) status = 0;
done:
    summary(&f);
    if (lfd >= 0) close(lfd);
    if (f.client.fd >= 0) close(f.client.fd);
    if (f.stub.fd >= 0) close(f.stub.fd);
    if (f.log) fclose(f.log);
    free(f.client.last);
    free(f.stub.last);
    free(f.client.in);
    free(f.stub.in);
    free(f.frame);
    return status;
}
