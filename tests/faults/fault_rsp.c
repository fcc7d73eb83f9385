/*
 * A small scriptable GDB-remote-protocol client for the fault and soak
 * tests (faults.sh, soak.sh): connect, do what the arguments say in
 * order, then close the connection abruptly, wherever the script ends
 * (that is the fault being tested). Packets go through the codec (wdb/rsp.h).
 *
 *   fault_rsp [--wasm APP.wasm] [--timeout MS] PORT ACTION...
 *
 * Actions:
 *   p:PAYLOAD   send a packet, wait for its reply, print "<- REPLY"
 *   a:PAYLOAD   send a packet, do not wait (`c`, then `w` or raw:\x03)
 *   w           wait for one reply (a stop reply) and print it
 *   raw:TEXT    send TEXT unframed; \xNN escapes (0x03, half packets)
 *   sleep:MS    wait
 *   expect:ERE  the last reply must match ERE (POSIX extended)
 *   soak:OFF:HITS:STEPS:PID
 *               a breakpoint at code offset OFF, HITS continues that must
 *               each stop there, the breakpoint removed, STEPS single
 *               steps; prints the counts, the time and PID's VmRSS (kB)
 *               before the first hit, after it, after the hits and after
 *               the steps
 * In payloads, {OFF} (OFF a code offset as `wdb resolve` prints it, e.g.
 * {0x1f}) becomes the RSP address of that code (0x4000000000000000 | file
 * offset, needs --wasm to find the Code section).
 *
 * Exit status: 0, or 1 when an expectation failed, a reply did not come
 * within the timeout (default 10 s) or the connection was lost; 2 on usage
 * errors. Acknowledgements are handled (QStartNoAckMode turns them off).
 */
#define _GNU_SOURCE
#include "wdb/rsp.h"
#include "wdb/wasmfmt.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CODE_BASE UINT64_C(0x4000000000000000)
#define MAXP 70000

typedef struct client {
    int fd;
    bool noack;
    int timeout_ms;
    uint32_t code_sec; /* file offset of the Code section's contents */
    uint8_t in[4096];
    size_t in_len, in_pos;
    uint8_t pbuf[MAXP];
    rsp_parser parser;
    char reply[MAXP];
    size_t reply_len;
} client;

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* The Code section's contents offset in the module file, or 0. */
static uint32_t code_section(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    static uint8_t b[1 << 24];
    size_t len = fread(b, 1, sizeof b, f);
    fclose(f);
    size_t p = 8;
    while (p < len) {
        uint8_t id = b[p++];
        uint64_t size = 0;
        const uint8_t *q = b + p;
        if (wf_leb_read(&q, b + len, 32, false, &size)) return 0;
        p = (size_t)(q - b);
        if (id == 10) return (uint32_t)p;
        p += size;
    }
    return 0;
}

static bool send_all(client *c, const void *data, size_t len)
{
    const char *p = data;
    while (len) {
        ssize_t n = send(c->fd, p, len, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            fprintf(stderr, "fault_rsp: send: %s\n", strerror(errno));
            return false;
        }
        p += n;
        len -= (size_t)n;
    }
    return true;
}

static bool send_packet(client *c, const char *payload, size_t len)
{
    static char frame[2 * MAXP + 8];
    size_t n = rsp_frame(payload, len, frame, sizeof frame);
    return n && send_all(c, frame, n);
}

/* Waits for the next packet; false on a timeout or a lost connection. */
static bool recv_reply(client *c)
{
    long long until = now_ms() + c->timeout_ms;
    for (;;) {
        while (c->in_pos < c->in_len) {
            rsp_event ev = rsp_feed(&c->parser, c->in[c->in_pos++]);
            if (ev != RSP_EV_PACKET) continue;
            if (!c->noack && !send_all(c, "+", 1)) return false;
            c->reply_len = c->parser.len;
            memcpy(c->reply, c->pbuf, c->reply_len);
            c->reply[c->reply_len] = 0;
            return true;
        }
        long long left = until - now_ms();
        if (left <= 0) {
            fprintf(stderr, "fault_rsp: no reply within %d ms\n", c->timeout_ms);
            return false;
        }
        struct pollfd pf = {.fd = c->fd, .events = POLLIN};
        if (poll(&pf, 1, (int)left) <= 0) continue;
        ssize_t n = read(c->fd, c->in, sizeof c->in);
        if (n <= 0) {
            if (n < 0 && errno == EINTR) continue;
            fprintf(stderr, "fault_rsp: the connection closed\n");
            return false;
        }
        c->in_len = (size_t)n;
        c->in_pos = 0;
    }
}

/* payload with {OFF} replaced by code addresses; false if malformed. */
static bool expand(const client *c, const char *in, char *out, size_t cap)
{
    size_t o = 0;
    for (const char *p = in; *p;) {
        if (*p == '{') {
            char *end;
            unsigned long off = strtoul(p + 1, &end, 0);
            if (*end != '}' || !c->code_sec) return false;
            uint64_t addr = CODE_BASE | (c->code_sec + off);
            int n = snprintf(out + o, cap - o, "%" PRIx64, addr);
            if (n < 0 || (size_t)n >= cap - o) return false;
            o += (size_t)n;
            p = end + 1;
            continue;
        }
        if (o + 1 >= cap) return false;
        out[o++] = *p++;
    }
    out[o] = 0;
    return true;
}

static bool ask(client *c, const char *payload)
{
    if (!send_packet(c, payload, strlen(payload)) || !recv_reply(c)) return false;
    if (!strcmp(payload, "QStartNoAckMode") && !strcmp(c->reply, "OK")) c->noack = true;
    return true;
}

static long vm_rss_kb(int pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    FILE *f = fopen(path, "r");
    long kb = -1;
    if (!f) return -1;
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "VmRSS:", 6)) kb = strtol(line + 6, NULL, 10);
    fclose(f);
    return kb;
}

static bool soak(client *c, const char *spec)
{
    long off;
    unsigned long hits, steps;
    int pid;
    if (sscanf(spec, "%li:%lu:%lu:%d", &off, &hits, &steps, &pid) != 4 || off < 0 || !c->code_sec ||
        hits == 0) {
        fprintf(stderr, "fault_rsp: soak:OFF:HITS:STEPS:PID (with --wasm)\n");
        return false;
    }
    char z[64], zr[64];
    uint64_t addr = CODE_BASE | (c->code_sec + (uint64_t)off);
    snprintf(z, sizeof z, "Z0,%" PRIx64 ",1", addr);
    snprintf(zr, sizeof zr, "z0,%" PRIx64 ",1", addr);
    if (!ask(c, z) || strcmp(c->reply, "OK")) {
        fprintf(stderr, "fault_rsp: soak: %s -> %s\n", z, c->reply);
        return false;
    }
    long rss0 = vm_rss_kb(pid), rss1 = -1;
    long long t0 = now_ms();
    for (unsigned long i = 0; i < hits; i++) {
        if (!ask(c, "c") || !strstr(c->reply, "reason:breakpoint")) {
            fprintf(stderr, "fault_rsp: soak: hit %lu: %s\n", i + 1, c->reply);
            return false;
        }
        if (i == 0) rss1 = vm_rss_kb(pid);
    }
    long long t1 = now_ms();
    long rss2 = vm_rss_kb(pid);
    if (!ask(c, zr) || strcmp(c->reply, "OK")) return false;
    for (unsigned long i = 0; i < steps; i++) {
        if (!ask(c, "s") || !strstr(c->reply, "reason:trace")) {
            fprintf(stderr, "fault_rsp: soak: step %lu: %s\n", i + 1, c->reply);
            return false;
        }
    }
    long long t2 = now_ms();
    long rss3 = vm_rss_kb(pid);
    printf("soak: %lu breakpoint hits in %.2f s, %lu single steps in %.2f s\n", hits,
           (t1 - t0) / 1000.0, steps, (t2 - t1) / 1000.0);
    printf("soak: VmRSS kB: start %ld, after the first hit %ld, after the hits %ld, after the "
           "steps %ld\n",
           rss0, rss1, rss2, rss3);
    return true;
}

/* raw:TEXT with \xNN escapes */
static bool send_raw(client *c, const char *text)
{
    char out[4096];
    size_t o = 0;
    for (const char *p = text; *p && o < sizeof out; p++) {
        if (p[0] == '\\' && p[1] == 'x' && p[2] && p[3]) {
            int hi = rsp_hex_digit(p[2]), lo = rsp_hex_digit(p[3]);
            if (hi >= 0 && lo >= 0) {
                out[o++] = (char)(hi * 16 + lo);
                p += 3;
                continue;
            }
        }
        out[o++] = *p;
    }
    return send_all(c, out, o);
}

static int connect_port(int port, int ms)
{
    long long until = now_ms() + ms;
    do {
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) return -1;
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0) {
            int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            return fd;
        }
        close(fd);
        sleep_ms(20);
    } while (now_ms() < until);
    return -1;
}

int main(int argc, char **argv)
{
    static client c;
    int i = 1;
    c.timeout_ms = 10000;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
        if (!strcmp(argv[i], "--wasm") && i + 1 < argc) {
            c.code_sec = code_section(argv[++i]);
            if (!c.code_sec) {
                fprintf(stderr, "fault_rsp: %s: no Code section\n", argv[i]);
                return 2;
            }
        } else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
            c.timeout_ms = atoi(argv[++i]);
        } else {
            break;
        }
    }
    if (i >= argc) {
        fprintf(stderr, "usage: fault_rsp [--wasm APP.wasm] [--timeout MS] PORT ACTION...\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    rsp_parser_init(&c.parser, c.pbuf, sizeof c.pbuf);
    c.fd = connect_port(atoi(argv[i++]), 10000);
    if (c.fd < 0) {
        fprintf(stderr, "fault_rsp: cannot connect to port %s\n", argv[i - 1]);
        return 1;
    }
    int status = 0;
    for (; i < argc && status == 0; i++) {
        const char *a = argv[i];
        char payload[MAXP];
        if (!strncmp(a, "p:", 2) || !strncmp(a, "a:", 2)) {
            if (!expand(&c, a + 2, payload, sizeof payload)) {
                fprintf(stderr, "fault_rsp: bad payload %s\n", a + 2);
                return 2;
            }
            if (a[0] == 'a') {
                if (!send_packet(&c, payload, strlen(payload))) status = 1;
                continue;
            }
            if (!ask(&c, payload))
                status = 1;
            else
                printf("<- %s\n", c.reply);
        } else if (!strcmp(a, "w")) {
            if (!recv_reply(&c))
                status = 1;
            else
                printf("<- %s\n", c.reply);
        } else if (!strncmp(a, "raw:", 4)) {
            if (!send_raw(&c, a + 4)) status = 1;
        } else if (!strncmp(a, "sleep:", 6)) {
            sleep_ms(atoi(a + 6));
        } else if (!strncmp(a, "expect:", 7)) {
            regex_t re;
            if (regcomp(&re, a + 7, REG_EXTENDED | REG_NOSUB) != 0) {
                fprintf(stderr, "fault_rsp: bad pattern %s\n", a + 7);
                return 2;
            }
            if (regexec(&re, c.reply, 0, NULL, 0) != 0) {
                fprintf(stderr, "fault_rsp: reply '%.200s' does not match %s\n", c.reply, a + 7);
                status = 1;
            }
            regfree(&re);
        } else if (!strncmp(a, "soak:", 5)) {
            if (!soak(&c, a + 5)) status = 1;
        } else {
            fprintf(stderr, "fault_rsp: unknown action %s\n", a);
            return 2;
        }
        fflush(stdout);
    }
    close(c.fd); /* abruptly, wherever the script ended */
    return status;
}
