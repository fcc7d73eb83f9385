/*
 * Raw GDB-remote-protocol tests of wdb-run's stub (gdbstub/), without LLDB.
 *
 * Each scenario starts a real `wdb-run -g=127.0.0.1:PORT` (or
 * --gdb-listen) on target.wasm (target.c at -O0 -g), connects over TCP and
 * speaks LLDB's Wasm dialect (../../../shared/design/PROTOCOL.md) through
 * the codec (wdb/rsp.h). Addresses come from the module itself: the test
 * parses its sections (code bodies, function names, exports, data) so every
 * expected pc and memory address is exact.
 *
 * Bounded: every read has a timeout, a watchdog alarm ends the whole run,
 * and every wdb-run started is waited for or killed.
 *
 * Usage: rsp_client --wdb-run PATH --wasm PATH [SCENARIO...]
 * Prints "N passed, M failed" last.
 */
#define _GNU_SOURCE
#include "wdb/rsp.h"
#include "wdb/wasmfmt.h"

#include "wdb_check.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TIMEOUT_MS 10000 /* any single reply */
#define WATCHDOG_S 200   /* the whole run */
#define CODE_BASE 0x4000000000000000ull

/* ------------------------------------------------------------ formatting */

static char *fmt(char *buf, size_t cap, const char *f, ...) __attribute__((format(printf, 3, 4)));
static char *fmt(char *buf, size_t cap, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    vsnprintf(buf, cap, f, ap);
    va_end(ap);
    return buf;
}

/* v as 16 hex digits, little-endian byte order (the pc register). */
static char *le64(char *out, uint64_t v)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    rsp_hex_encode(b, 8, out);
    out[16] = 0;
    return out;
}

static char *hexstr(char *out, const char *s)
{
    rsp_hex_encode((const uint8_t *)s, strlen(s), out);
    out[2 * strlen(s)] = 0;
    return out;
}

static bool match(const char *text, const char *pattern)
{
    regex_t re;
    if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0) {
        fprintf(stderr, "bad test pattern %s\n", pattern);
        return false;
    }
    bool ok = regexec(&re, text, 0, NULL, 0) == 0;
    regfree(&re);
    return ok;
}

/* ------------------------------------------------------------ the module */

typedef struct func_info {
    uint32_t index;  /* function index (imports first) */
    uint32_t body;   /* file offset of the body's size */
    uint32_t locals; /* file offset of the local declarations */
    uint32_t first;  /* file offset of the first instruction */
    uint32_t end;    /* file offset just past the body */
    char name[64];
} func_info;

typedef struct module {
    uint8_t *bytes;
    size_t len;
    char path[PATH_MAX];
    uint32_t nimports; /* imported functions */
    func_info funcs[512];
    uint32_t nfuncs;
    uint32_t start_index; /* the function exported as _start */
    uint32_t code_end;    /* end of the Code section */
    uint32_t g_addr;      /* linear address of target.c's `g` */
} module;

static module M;

/* LEB128 through the project's one reader (wdb/wasmfmt.h). */
static bool leb_read(const uint8_t *b, size_t len, size_t *p, bool sign, uint64_t *out)
{
    const uint8_t *q = b + *p;
    const char *why = wf_leb_read(&q, b + len, 64, sign, out);
    *p = (size_t)(q - b);
    return why == NULL;
}

static bool leb_u(const uint8_t *b, size_t len, size_t *p, uint64_t *out)
{
    return leb_read(b, len, p, false, out);
}

static bool leb_s(const uint8_t *b, size_t len, size_t *p, int64_t *out)
{
    uint64_t v = 0;
    if (!leb_read(b, len, p, true, &v)) return false;
    *out = (int64_t)v;
    return true;
}

static func_info *func_named(const char *name)
{
    for (uint32_t i = 0; i < M.nfuncs; i++)
        if (!strcmp(M.funcs[i].name, name)) return &M.funcs[i];
    return NULL;
}

static func_info *func_by_index(uint32_t index)
{
    for (uint32_t i = 0; i < M.nfuncs; i++)
        if (M.funcs[i].index == index) return &M.funcs[i];
    return NULL;
}

/* The function whose body holds file offset off. */
static func_info *func_at(uint32_t off)
{
    for (uint32_t i = 0; i < M.nfuncs; i++)
        if (off >= M.funcs[i].body && off < M.funcs[i].end) return &M.funcs[i];
    return NULL;
}

/* Length of the instruction at file offset off, for the opcodes -O0 code
 * starts functions with; 0 for anything else. */
static uint32_t insn_len(uint32_t off)
{
    size_t p = off + 1;
    uint64_t u;
    int64_t sv;
    uint8_t op = M.bytes[off];
    if (op >= 0x20 && op <= 0x24) return leb_u(M.bytes, M.len, &p, &u) ? (uint32_t)(p - off) : 0;
    if (op == 0x41 || op == 0x42) return leb_s(M.bytes, M.len, &p, &sv) ? (uint32_t)(p - off) : 0;
    if (op >= 0x28 && op <= 0x3e)
        return leb_u(M.bytes, M.len, &p, &u) && leb_u(M.bytes, M.len, &p, &u) ? (uint32_t)(p - off)
                                                                              : 0;
    if (op >= 0x45 && op <= 0xc4) return 1;
    return 0;
}

static bool load_module(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    M.bytes = malloc((size_t)n);
    if (!M.bytes || fread(M.bytes, 1, (size_t)n, f) != (size_t)n) {
        fclose(f);
        return false;
    }
    fclose(f);
    M.len = (size_t)n;
    if (!realpath(path, M.path)) return false;
    const uint8_t *b = M.bytes;
    size_t p = 8;
    uint64_t u;
    bool have_start = false;
    while (p < M.len) {
        uint8_t id = b[p++];
        uint64_t size;
        if (!leb_u(b, M.len, &p, &size) || p + size > M.len) return false;
        size_t q = p, end = p + size;
        if (id == 2) { /* imports: count the functions */
            uint64_t count;
            leb_u(b, end, &q, &count);
            for (uint64_t i = 0; i < count; i++) {
                for (int k = 0; k < 2; k++) { /* module, field */
                    leb_u(b, end, &q, &u);
                    q += u;
                }
                uint8_t kind = b[q++];
                if (kind == 0) {
                    leb_u(b, end, &q, &u);
                    M.nimports++;
                } else if (kind == 1) { /* table: reftype + limits */
                    q++;
                    uint8_t fl = b[q++];
                    leb_u(b, end, &q, &u);
                    if (fl & 1) leb_u(b, end, &q, &u);
                } else if (kind == 2) { /* memory */
                    uint8_t fl = b[q++];
                    leb_u(b, end, &q, &u);
                    if (fl & 1) leb_u(b, end, &q, &u);
                } else { /* global */
                    q += 2;
                }
            }
        } else if (id == 7) { /* exports */
            uint64_t count;
            leb_u(b, end, &q, &count);
            for (uint64_t i = 0; i < count; i++) {
                uint64_t nl;
                leb_u(b, end, &q, &nl);
                bool is_start = nl == 6 && !memcmp(b + q, "_start", 6);
                q += nl;
                uint8_t kind = b[q++];
                leb_u(b, end, &q, &u);
                if (kind == 0 && is_start) {
                    M.start_index = (uint32_t)u;
                    have_start = true;
                }
            }
        } else if (id == 10) { /* code */
            uint64_t count;
            leb_u(b, end, &q, &count);
            for (uint64_t i = 0; i < count && M.nfuncs < 512; i++) {
                func_info *fi = &M.funcs[M.nfuncs++];
                fi->index = M.nimports + (uint32_t)i;
                fi->body = (uint32_t)q;
                uint64_t bsize;
                leb_u(b, end, &q, &bsize);
                fi->locals = (uint32_t)q;
                fi->end = (uint32_t)(q + bsize);
                uint64_t ndecl;
                leb_u(b, end, &q, &ndecl);
                for (uint64_t k = 0; k < ndecl; k++) {
                    leb_u(b, end, &q, &u);
                    q++;
                }
                fi->first = (uint32_t)q;
                q = fi->end;
            }
            M.code_end = (uint32_t)end;
        } else if (id == 11) { /* data: find g by its marker */
            uint64_t count;
            leb_u(b, end, &q, &count);
            for (uint64_t i = 0; i < count; i++) {
                uint64_t flags, dlen;
                int64_t base = 0;
                leb_u(b, end, &q, &flags);
                if (flags == 2) leb_u(b, end, &q, &u);
                if (flags != 1) { /* i32.const N end */
                    q++;
                    leb_s(b, end, &q, &base);
                    q++;
                }
                leb_u(b, end, &q, &dlen);
                for (uint64_t k = 0; k + 4 <= dlen; k += 4)
                    if (!memcmp(b + q + k, "\x0d\xf0\xed\x5e", 4))
                        M.g_addr = (uint32_t)(base + (int64_t)k);
                q += dlen;
            }
        } else if (id == 0) { /* custom: "name" */
            uint64_t nl;
            leb_u(b, end, &q, &nl);
            if (nl == 4 && !memcmp(b + q, "name", 4)) {
                q += nl;
                while (q < end) {
                    uint8_t sub = b[q++];
                    uint64_t ssize;
                    leb_u(b, end, &q, &ssize);
                    size_t send = q + ssize;
                    if (sub == 1) {
                        uint64_t cnt;
                        leb_u(b, send, &q, &cnt);
                        for (uint64_t i = 0; i < cnt; i++) {
                            uint64_t idx, sl;
                            leb_u(b, send, &q, &idx);
                            leb_u(b, send, &q, &sl);
                            func_info *fi = func_by_index((uint32_t)idx);
                            if (fi)
                                snprintf(fi->name, sizeof fi->name, "%.*s",
                                         (int)(sl < 63 ? sl : 63), (const char *)b + q);
                            q += sl;
                        }
                    }
                    q = send;
                }
            }
        }
        p = end;
    }
    return have_start && M.nfuncs > 0 && M.g_addr != 0 && func_named("add") && func_named("main") &&
           func_named("trap_here");
}

/* ------------------------------------------------------------ processes */

static pid_t live[8];

static void forget(pid_t pid)
{
    for (int i = 0; i < 8; i++)
        if (live[i] == pid) live[i] = 0;
}

static void watchdog(int sig)
{
    (void)sig;
    for (int i = 0; i < 8; i++)
        if (live[i] > 0) kill(live[i], SIGKILL);
    static const char msg[] = "rsp_client: watchdog: the run took too long\n";
    (void)!write(2, msg, sizeof msg - 1);
    _exit(2);
}

static const char *g_wdb_run;

/* Starts wdb-run with extra options before the module and mode after it;
 * stdout/stderr go to files named after the scenario. */
static pid_t spawn(const char *opt1, const char *opt2, const char *mode, const char *outfile)
{
    const char *argv[8];
    int n = 0;
    argv[n++] = g_wdb_run;
    argv[n++] = opt1;
    if (opt2) argv[n++] = opt2;
    argv[n++] = M.path;
    argv[n++] = mode;
    argv[n] = NULL;
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(outfile, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        char errfile[PATH_MAX];
        int efd = open(fmt(errfile, sizeof errfile, "%s.err", outfile),
                       O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || efd < 0) _exit(126);
        dup2(fd, 1);
        dup2(efd, 2);
        execv(g_wdb_run, (char *const *)argv);
        _exit(127);
    }
    for (int i = 0; i < 8 && pid > 0; i++)
        if (!live[i]) {
            live[i] = pid;
            break;
        }
    return pid;
}

/* Waits up to ms for pid to end; its wait status, or -1 if it did not. */
static int wait_exit(pid_t pid, int ms)
{
    for (int t = 0; t <= ms; t += 10) {
        int st;
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid) {
            forget(pid);
            return st;
        }
        if (r < 0) return -1;
        struct timespec ts = {0, 10 * 1000000L};
        nanosleep(&ts, NULL);
    }
    return -1;
}

static void reap(pid_t pid)
{
    if (pid <= 0) return;
    if (wait_exit(pid, 0) != -1) return;
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    forget(pid);
}

static bool alive(pid_t pid)
{
    return waitpid(pid, NULL, WNOHANG) == 0;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static char *read_file(const char *path, char *buf, size_t cap)
{
    buf[0] = 0;
    FILE *f = fopen(path, "r");
    if (!f) return buf;
    size_t n = fread(buf, 1, cap - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

/* A port that was free a moment ago (bind to 0, read it, close). */
static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    int port = -1;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &al) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0) close(fd);
    return port;
}

/* ------------------------------------------------------------ connection */

typedef struct conn {
    int fd;
    bool ack; /* acknowledgments still on */
    rsp_parser p;
    uint8_t pbuf[70000];
    uint8_t rbuf[4096];
    size_t rpos, rlen;
} conn;

static conn C;

/* Connects to 127.0.0.1:port, retrying while wdb-run starts (up to ms). */
static bool conn_open(conn *c, int port, int ms)
{
    c->fd = -1;
    c->ack = true;
    c->rpos = c->rlen = 0;
    rsp_parser_init(&c->p, c->pbuf, sizeof c->pbuf);
    for (int t = 0; t <= ms; t += 20) {
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct sockaddr_in a = {.sin_family = AF_INET,
                                .sin_port = htons((uint16_t)port),
                                .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0) {
            int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            c->fd = fd;
            return true;
        }
        if (fd >= 0) close(fd);
        sleep_ms(20);
    }
    return false;
}

static void conn_close(conn *c)
{
    if (c->fd >= 0) close(c->fd);
    c->fd = -1;
}

static bool send_raw(conn *c, const void *data, size_t len)
{
    const char *p = data;
    while (len) {
        ssize_t n = write(c->fd, p, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        p += n;
        len -= (size_t)n;
    }
    return true;
}

/* One byte from the connection: the byte, -1 on timeout, -2 when closed. */
static int next_byte(conn *c, int ms)
{
    if (c->rpos == c->rlen) {
        struct pollfd pf = {.fd = c->fd, .events = POLLIN};
        int r = poll(&pf, 1, ms);
        if (r <= 0) return -1;
        ssize_t n = read(c->fd, c->rbuf, sizeof c->rbuf);
        if (n <= 0) return -2;
        c->rpos = 0;
        c->rlen = (size_t)n;
    }
    return c->rbuf[c->rpos++];
}

/* The next codec event (not NONE); -1 timeout, -2 closed. */
static int next_event(conn *c, int ms)
{
    for (;;) {
        int b = next_byte(c, ms);
        if (b < 0) return b;
        rsp_event e = rsp_feed(&c->p, (uint8_t)b);
        if (e != RSP_EV_NONE) return (int)e;
    }
}

static char R[70000]; /* the last reply, NUL-terminated */
static size_t RL;

/* Waits for a packet: true with it in R/RL; acknowledges it in ack mode. */
static bool recv_reply(conn *c, int ms)
{
    R[0] = 0;
    RL = 0;
    for (;;) {
        int e = next_event(c, ms);
        if (e < 0) {
            snprintf(R, sizeof R, e == -1 ? "<timeout>" : "<closed>");
            return false;
        }
        if (e == RSP_EV_PACKET) {
            memcpy(R, c->pbuf, c->p.len + 1);
            RL = c->p.len;
            if (c->ack) send_raw(c, "+", 1);
            return true;
        }
        if (e == RSP_EV_BAD_CHECKSUM) {
            snprintf(R, sizeof R, "<bad checksum from the stub>");
            return false;
        }
    }
}

/* Sends one packet; in ack mode waits for the stub's '+'. */
static bool send_packet(conn *c, const void *payload, size_t len)
{
    static char frame[2 * 70000 + 8];
    size_t n = rsp_frame(payload, len, frame, sizeof frame);
    if (!n || !send_raw(c, frame, n)) return false;
    if (!c->ack) return true;
    int e = next_event(c, TIMEOUT_MS);
    return e == RSP_EV_ACK;
}

/* Sends req and waits for the reply (in R). */
static const char *ask(const char *req)
{
    if (!send_packet(&C, req, strlen(req))) {
        snprintf(R, sizeof R, "<send failed>");
        return R;
    }
    recv_reply(&C, TIMEOUT_MS);
    return R;
}

#define EXPECT(req, want)                                                                          \
    do {                                                                                           \
        const char *r_ = ask(req);                                                                 \
        CHECK_ELSE(!strcmp(r_, want), "%s -> \"%.300s\", expected \"%.300s\"", req, r_, want);     \
    } while (0)

#define EXPECT_RE(req, pattern)                                                                    \
    do {                                                                                           \
        const char *r_ = ask(req);                                                                 \
        CHECK_ELSE(match(r_, pattern), "%s -> \"%.300s\", expected /%s/", req, r_, pattern);       \
    } while (0)

/* The stop reply wdb-run sends, exactly (thread name = the module's file
 * name). extra: what follows "reason:...;" (description etc.). */
static char *stop_reply(char *out, size_t cap, int sig, uint64_t pc, const char *reason)
{
    char le[17];
    return fmt(out, cap,
               "T%02xthread:1;name:target.wasm;threads:1;thread-pcs:%" PRIx64 ";00:%s;reason:%s;",
               sig, pc, le64(le, pc), reason);
}

/* The pc of a stop reply in R (from thread-pcs), 0 if none. */
static uint64_t reply_pc(void)
{
    const char *t = strstr(R, "thread-pcs:");
    return t ? strtoull(t + 11, NULL, 16) : 0;
}

/* A little-endian hex value reply (up to 8 bytes) as a number. */
static uint64_t le_value(const char *hex)
{
    uint8_t b[8] = {0};
    size_t n = strlen(hex) / 2;
    if (n > 8 || !rsp_hex_decode(hex, n, b)) return UINT64_MAX;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v |= (uint64_t)b[i] << (8 * i);
    return v;
}

/* The connection start LLDB makes, up to no-ack mode. */
static bool start_session(int port)
{
    if (!conn_open(&C, port, 10000)) {
        CHECK_FAILED("cannot connect to wdb-run on port %d", port);
        return false;
    }
    send_raw(&C, "+", 1);
    EXPECT("QStartNoAckMode", "OK");
    C.ack = false;
    return true;
}

/* Starts `wdb-run -g=127.0.0.1:PORT target.wasm mode` and connects. */
static pid_t start_debug(const char *mode, const char *outfile, bool noack)
{
    int port = free_port();
    char opt[64], logopt[PATH_MAX + 16];
    fmt(opt, sizeof opt, "-g=127.0.0.1:%d", port);
    fmt(logopt, sizeof logopt, "--gdb-log=%s.log", outfile);
    pid_t pid = spawn(opt, logopt, mode, outfile);
    if (pid < 0) return pid;
    if (noack) {
        if (!start_session(port)) {
            reap(pid);
            return -1;
        }
    } else if (!conn_open(&C, port, 10000)) {
        CHECK_FAILED("cannot connect to wdb-run on port %d", port);
        reap(pid);
        return -1;
    }
    return pid;
}

/* ------------------------------------------------------------ scenarios */

static uint64_t code(uint32_t file_offset)
{
    return CODE_BASE | file_offset;
}

/* The LLDB connection sequence, queries, errors and memory at the entry
 * stop; then breakpoints, locals, steps, a range step and a watchpoint;
 * the program runs to its end. */
static void s_session(void)
{
    char b[1024], b2[1024], le[17];
    pid_t pid = start_debug("run", "proto-session.out", false);
    if (pid < 0) return;

    /* ack mode: '+' first, then a damaged packet is refused with '-' and
     * its resend works */
    send_raw(&C, "+", 1);
    send_raw(&C, "$qC#00", 6);
    CHECK(next_event(&C, TIMEOUT_MS) == RSP_EV_NACK);
    send_raw(&C, "$qC#b4", 6);
    CHECK(next_event(&C, TIMEOUT_MS) == RSP_EV_ACK);
    CHECK(recv_reply(&C, TIMEOUT_MS) && !strcmp(R, "QC1"));
    /* our '-' makes the stub send its last reply again */
    send_raw(&C, "-", 1);
    CHECK(recv_reply(&C, TIMEOUT_MS) && !strcmp(R, "QC1"));
    EXPECT("QStartNoAckMode", "OK");
    C.ack = false;

    EXPECT("qSupported:xmlRegisters=i386,arm,mips;swbreak+;hwbreak+",
           "PacketSize=4000;qXfer:libraries:read+;vContSupported+;QStartNoAckMode+;"
           "QThreadSuffixSupported+;QListThreadsInStopReply+;swbreak+;hwbreak-;qWdbCallStack+;"
           "ReverseStep+;ReverseContinue+"); /* -g records in memory: bs, bc */
    EXPECT("QThreadSuffixSupported", "OK");
    EXPECT("QListThreadsInStopReply", "OK");
    char host[512], triple[64];
    fmt(host, sizeof host,
        "vendor:unknown;ostype:wasi;arch:wasm32;triple:%s;endian:little;ptrsize:4;",
        hexstr(triple, "wasm32-unknown-wasi-wasm"));
    EXPECT("qHostInfo", host);
    EXPECT("vCont?", "vCont;c;C;s;S;r");
    EXPECT("qProcessInfo", fmt(b, sizeof b, "pid:1;parent-pid:1;%s", host));

    /* the entry stop: before the first instruction of _start */
    func_info *start = func_by_index(M.start_index);
    CHECK(start != NULL);
    if (!start) goto out;
    uint64_t entry = code(start->first);
    EXPECT("?", stop_reply(b, sizeof b, 5, entry, "trace"));
    EXPECT("qRegisterInfo0", "name:pc;alt-name:pc;bitsize:64;offset:0;encoding:uint;format:hex;"
                             "set:General Purpose Registers;gcc:16;dwarf:16;generic:pc;");
    EXPECT("qRegisterInfo1", "E02");
    char doc[PATH_MAX + 256];
    fmt(doc, sizeof doc,
        "<library-list><library name=\"%s\"><section address=\"0x4000000000000000\"/></library>"
        "</library-list>",
        M.path);
    EXPECT("qXfer:libraries:read::0,fff", fmt(b, sizeof b, "l%s", doc));
    EXPECT("qXfer:libraries:read::10,20", fmt(b, sizeof b, "m%.32s", doc + 16));
    EXPECT(fmt(b2, sizeof b2, "qXfer:libraries:read::%zx,100", strlen(doc)), "l");
    EXPECT("qfThreadInfo", "m1");
    EXPECT("qsThreadInfo", "l");
    EXPECT("Hg1", "OK");
    EXPECT("qC", "QC1");
    EXPECT("p0", le64(le, entry));
    EXPECT("p0;thread:1;", le64(le, entry));
    EXPECT("g", le64(le, entry));
    EXPECT("p1", "E02");
    EXPECT("qWasmCallStack:1", le64(le, entry));
    EXPECT("qThreadStopInfo1", stop_reply(b, sizeof b, 5, entry, "trace"));
    EXPECT_RE("qWasmGlobal:0;0", "^[0-9a-f]{8}$"); /* __stack_pointer */
    EXPECT("qWasmGlobal:0;100000", "E02");
    EXPECT_RE("qWasmStackValue:0;0", "^E[0-9a-f]{2}$"); /* empty operand stack */
    EXPECT_RE("qWasmLocal:0;1000", "^E[0-9a-f]{2}$");
    EXPECT_RE("qWasmLocal:5;0", "^E[0-9a-f]{2}$"); /* no such frame */
    EXPECT("qWatchpointSupportInfo:", "num:32;");
    EXPECT("qWatchpointSupportInfo", "num:32;");
    EXPECT("jThreadsInfo",
           fmt(b, sizeof b,
               "[{\"tid\":1,\"name\":\"target.wasm\",\"reason\":\"trace\",\"signal\":5,"
               "\"registers\":{\"0\":\"%s\"}}]",
               le64(le, entry)));

    /* memory regions */
    EXPECT_RE("qMemoryRegionInfo:0", "^start:0;size:[0-9a-f]+0000;permissions:rw;$");
    uint64_t msize = strtoull(R + strlen("start:0;size:"), NULL, 16);
    CHECK(msize >= 0x20000 && msize % 0x10000 == 0);
    EXPECT(fmt(b2, sizeof b2, "qMemoryRegionInfo:%" PRIx64, msize),
           fmt(b, sizeof b, "start:%" PRIx64 ";size:%" PRIx64 ";", msize,
               (uint64_t)0x100000000ull - msize));
    EXPECT("qMemoryRegionInfo:4000000000000000",
           fmt(b, sizeof b, "start:4000000000000000;size:%zx;permissions:rx;", M.len));
    EXPECT(fmt(b2, sizeof b2, "qMemoryRegionInfo:%" PRIx64, code(start->first)),
           fmt(b, sizeof b, "start:4000000000000000;size:%zx;permissions:rx;", M.len));

    /* unknown packets: the empty reply */
    EXPECT("qFooBar", "");
    EXPECT("vMustReplyEmpty", "");
    EXPECT("jFoo:{}", "");
    EXPECT("Z9,0,1", ""); /* an unknown breakpoint type */
    /* malformed arguments: E16 (EINVAL) */
    EXPECT("mZZ,1", "E16");
    EXPECT("m", "E16");
    EXPECT("m10", "E16");
    EXPECT("m10,", "E16");
    EXPECT("m10,4x", "E16");
    EXPECT("m11111111111111111,1", "E16"); /* 17 digits */
    EXPECT("Z0,", "E16");
    EXPECT("Z0,4000000000000000", "E16");
    EXPECT("z0,,1", "E16");
    EXPECT("qWasmLocal:x;y", "E16");
    EXPECT("qWasmLocal:0", "E16");
    EXPECT("qWasmLocal:0;1;2", "E16");
    EXPECT("qWasmGlobal:-1;0", "E16");
    EXPECT("qRegisterInfoZ", "E16");
    EXPECT("M0,4:zz", "E16");
    EXPECT("M0,2:zzzz", "E16");
    EXPECT("vCont;r1", "E16");
    EXPECT("vCont;q", "E16");
    EXPECT("P0=0000000000000000", "E01");
    /* an oversize packet: an error, and the session goes on */
    {
        static char big[20001];
        memset(big, 'a', 20000);
        big[0] = 'q';
        big[20000] = 0;
        EXPECT(big, "E5a");
        EXPECT("qC", "QC1");
    }
    /* a damaged packet in no-ack mode: an error, not silence */
    send_raw(&C, "$qC#00", 6);
    CHECK(recv_reply(&C, TIMEOUT_MS) && !strcmp(R, "E4a"));
    EXPECT("qC", "QC1");
    /* garbage and acks between packets are ignored */
    send_raw(&C, "+-garbage\r\n", 11);
    EXPECT("qC", "QC1");

    /* linear memory: g = {0x5eedf00d, 0, 0} */
    uint32_t g = M.g_addr;
    EXPECT(fmt(b2, sizeof b2, "m%x,4", g), "0df0ed5e");
    EXPECT(fmt(b2, sizeof b2, "m%x,c", g), "0df0ed5e0000000000000000");
    EXPECT(fmt(b2, sizeof b2, "m%x,0", g), "");
    EXPECT("x0,0", "OK");
    ask(fmt(b2, sizeof b2, "x%x,4", g));
    CHECK(RL == 4 && !memcmp(R, "\x0d\xf0\xed\x5e", 4));
    EXPECT(fmt(b2, sizeof b2, "M%x,4:2a000000", g + 4), "OK");
    EXPECT(fmt(b2, sizeof b2, "m%x,4", g + 4), "2a000000");
    EXPECT(fmt(b2, sizeof b2, "M%x,4:00000000", g + 4), "OK");
    EXPECT(fmt(b2, sizeof b2, "M%x,0:", g + 4), "OK");
    EXPECT(fmt(b2, sizeof b2, "m%x,4", g + 4), "00000000");
    /* binary transfers with the bytes the framing escapes */
    {
        char xp[64];
        size_t n = (size_t)snprintf(xp, sizeof xp, "X%x,4:", g + 4);
        memcpy(xp + n, "#$}*", 4);
        CHECK(send_packet(&C, xp, n + 4) && recv_reply(&C, TIMEOUT_MS) && !strcmp(R, "OK"));
        EXPECT(fmt(b2, sizeof b2, "m%x,4", g + 4), "23247d2a");
        ask(fmt(b2, sizeof b2, "x%x,4", g + 4));
        CHECK(RL == 4 && !memcmp(R, "#$}*", 4));
        EXPECT(fmt(b2, sizeof b2, "X%x,0:", g + 4), "OK");
        EXPECT(fmt(b2, sizeof b2, "X%x,2:a", g + 4), "E16"); /* length mismatch */
        EXPECT(fmt(b2, sizeof b2, "M%x,4:00000000", g + 4), "OK");
    }
    /* the largest read fits one reply; larger ones are cut to it */
    ask("m0,1fff");
    CHECK(RL == 2 * 0x1fff);
    ask("m0,10000");
    CHECK(RL == 2 * 0x1fff);
    /* at the end of memory: a partial read, then nothing */
    EXPECT(fmt(b2, sizeof b2, "M%" PRIx64 ",2:abcd", msize - 2), "OK");
    EXPECT(fmt(b2, sizeof b2, "m%" PRIx64 ",4", msize - 2), "abcd");
    EXPECT(fmt(b2, sizeof b2, "m%" PRIx64 ",4", msize), "E0e");
    EXPECT("mffffffff,1", "E0e");
    EXPECT("m100000000,4", "E0e"); /* module 1 */
    EXPECT("m8000000000000000,4", "E0e");
    EXPECT("mc000000000000000,4", "E0e");
    /* writes outside memory change nothing */
    EXPECT(fmt(b2, sizeof b2, "M%" PRIx64 ",4:11223344", msize - 2), "E0e");
    EXPECT(fmt(b2, sizeof b2, "m%" PRIx64 ",2", msize - 2), "abcd");
    EXPECT(fmt(b2, sizeof b2, "M%" PRIx64 ",1:11", msize), "E0e");
    EXPECT("M100000000,1:11", "E0e");
    EXPECT(fmt(b2, sizeof b2, "M%" PRIx64 ",2:0000", msize - 2), "OK");

    /* breakpoints: inside code, at the first instruction of add */
    func_info *add = func_named("add"), *mainf = func_named("main");
    uint64_t bp = code(add->first);
    EXPECT(fmt(b2, sizeof b2, "Z0,%" PRIx64 ",1", bp), "OK");
    /* code reads return the file's bytes, breakpoint or not, and M on
     * code is refused without changing anything */
    {
        int bad = 0;
        static char hex[2 * 4096 + 1];
        for (size_t off = 0; off < M.len; off += 4096) {
            size_t n = M.len - off < 4096 ? M.len - off : 4096;
            ask(fmt(b2, sizeof b2, "m%" PRIx64 ",%zx", code((uint32_t)off), n));
            rsp_hex_encode(M.bytes + off, n, hex);
            hex[2 * n] = 0;
            if (strcmp(R, hex)) {
                bad++;
                fprintf(stderr, "[%s] code read at %zx differs from the file\n", wdb_check_context,
                        off);
            }
        }
        CHECK(bad == 0);
        /* a read past the module's end is cut short there */
        rsp_hex_encode(M.bytes + M.len - 2, 2, hex);
        hex[4] = 0;
        EXPECT(fmt(b2, sizeof b2, "m%" PRIx64 ",10", code((uint32_t)M.len - 2)), hex);
        EXPECT(fmt(b2, sizeof b2, "m%" PRIx64 ",1", code((uint32_t)M.len)), "E0e");
        EXPECT(fmt(b2, sizeof b2, "M%" PRIx64 ",1:00", bp), "E0e");
        EXPECT(fmt(b2, sizeof b2, "M%" PRIx64 ",1:00", code(0)), "E0e");
        rsp_hex_encode(M.bytes + add->first, 4, hex);
        hex[8] = 0;
        EXPECT(fmt(b2, sizeof b2, "m%" PRIx64 ",4", bp), hex);
        ask(fmt(b2, sizeof b2, "x%" PRIx64 ",4", bp));
        CHECK(RL == 4 && !memcmp(R, M.bytes + add->first, 4));
    }
    /* outside any function: before the Code section, past it, module 1 */
    EXPECT("Z0,4000000000000000,1", "E16");
    EXPECT_RE(fmt(b2, sizeof b2, "Z0,%" PRIx64 ",1", code(M.code_end + 1)), "^E[0-9a-f]{2}$");
    EXPECT_RE(fmt(b2, sizeof b2, "Z0,%" PRIx64 ",1", code((uint32_t)M.len + 100)),
              "^E[0-9a-f]{2}$");
    EXPECT("Z0,4000000100000100,1", "E16");
    EXPECT("Z0,100,1", "E16"); /* a memory address */

    /* run to the breakpoint */
    EXPECT("c", stop_reply(b, sizeof b, 5, bp, "breakpoint"));
    EXPECT("p0", le64(le, bp));
    EXPECT("qWasmLocal:0;0", "02000000"); /* add(2, 3) */
    EXPECT("qWasmLocal:0;1", "03000000");
    /* the call stack: add, then its callers up to _start */
    ask("qWasmCallStack:1");
    {
        size_t nf = RL / 16;
        CHECK(RL % 16 == 0 && nf >= 3);
        CHECK(RL >= 16 && !strncmp(R, le64(le, bp), 16));
        static char frames[sizeof R];
        memcpy(frames, R, RL + 1);
        int outside = 0;
        for (size_t i = 0; i < nf; i++) {
            char one[17];
            memcpy(one, frames + 16 * i, 16);
            one[16] = 0;
            uint64_t pc = le_value(one);
            func_info *fi = (pc & CODE_BASE) ? func_at((uint32_t)pc) : NULL;
            if (!fi) outside++;
            if (i == 1) CHECK(fi == mainf);
            if (i == nf - 1) CHECK(fi == start);
        }
        CHECK(outside == 0);
        /* qWdbCallStack (ours): "TOTAL;" then the frames from FIRST on;
         * from 0 the same frames, from 1 all but the first, past the end
         * none; bad arguments refused */
        char want[sizeof R + 32];
        snprintf(want, sizeof want, "%zx;%s", nf, frames);
        EXPECT("qWdbCallStack:1;0", want);
        snprintf(want, sizeof want, "%zx;%s", nf, frames + 16);
        EXPECT("qWdbCallStack:1;1", want);
        snprintf(want, sizeof want, "%zx;", nf);
        EXPECT(fmt(b2, sizeof b2, "qWdbCallStack:1;%zx", nf), want);
        EXPECT_RE("qWdbCallStack:1;zz", "^E[0-9a-f]{2}$");
        EXPECT_RE("qWdbCallStack:1", "^E[0-9a-f]{2}$");
    }
    /* one instruction: `s`, then `vCont;s:1` */
    uint32_t l0 = insn_len(add->first);
    CHECK(l0 > 0);
    uint64_t pc1 = bp + l0;
    EXPECT("s", stop_reply(b, sizeof b, 5, pc1, "trace"));
    EXPECT("p0", le64(le, pc1));
    /* global.get __stack_pointer pushed the stack pointer */
    ask("qWasmGlobal:0;0");
    char sp[32] = "";
    if (RL < sizeof sp) memcpy(sp, R, RL + 1);
    /* the runtime does not track operand types (runtime.h): an i32 may come
     * back as its 8-byte slot, zero-extended */
    EXPECT_RE("qWasmStackValue:0;0", fmt(b2, sizeof b2, "^%s(00000000)?$", sp));
    uint32_t l1 = insn_len((uint32_t)pc1);
    CHECK(l1 > 0);
    uint64_t pc2 = pc1 + l1;
    EXPECT("vCont;s:1", stop_reply(b, sizeof b, 5, pc2, "trace"));
    /* range stepping over the next three instructions */
    uint32_t l2 = insn_len((uint32_t)pc2), l3 = insn_len((uint32_t)pc2 + l2);
    uint32_t l4 = insn_len((uint32_t)pc2 + l2 + l3);
    CHECK(l2 && l3 && l4);
    uint64_t rend = pc2 + l2 + l3 + l4;
    EXPECT(fmt(b2, sizeof b2, "vCont;r%" PRIx64 ",%" PRIx64 ":1", pc2, rend),
           stop_reply(b, sizeof b, 5, rend, "trace"));
    EXPECT(fmt(b2, sizeof b2, "z0,%" PRIx64 ",1", bp), "OK");
    EXPECT(fmt(b2, sizeof b2, "z0,%" PRIx64 ",1", bp), "E02");

    /* a write watchpoint on g.counter: main stores add's result there */
    uint64_t waddr = (uint64_t)g + 4;
    EXPECT(fmt(b2, sizeof b2, "Z2,%" PRIx64 ",4", waddr), "OK");
    EXPECT(fmt(b2, sizeof b2, "Z2,%" PRIx64 ",0", waddr), "E16");
    EXPECT(fmt(b2, sizeof b2, "Z2,%" PRIx64 ",4", code(add->first)), "E16");
    char desc[64], dhex[160];
    fmt(desc, sizeof desc, "%" PRIu64 " %" PRIu64, waddr, waddr);
    EXPECT_RE("c",
              fmt(b, sizeof b,
                  "^T05thread:1;name:target\\.wasm;threads:1;thread-pcs:40000000000[0-9a-f]{5};"
                  "00:[0-9a-f]{16};reason:watchpoint;description:%s;$",
                  hexstr(dhex, desc)));
    {
        uint64_t pc = reply_pc();
        CHECK(func_at((uint32_t)pc) == mainf);
        EXPECT("p0", le64(le, pc));
    }
    EXPECT(fmt(b2, sizeof b2, "m%" PRIx64 ",4", waddr), "05000000");
    EXPECT(fmt(b2, sizeof b2, "z2,%" PRIx64 ",4", waddr), "OK");
    /* with error strings: the message comes along in hex */
    {
        char msg[128];
        EXPECT("QEnableErrorStrings", "OK");
        EXPECT("mZZ,1", fmt(b, sizeof b, "E16;%s", hexstr(msg, "malformed arguments")));
        EXPECT("mffffffff,1", fmt(b, sizeof b, "E0e;%s", hexstr(msg, "cannot read memory there")));
        static char big[20001];
        memset(big, 'a', 20000);
        big[0] = 'q';
        big[20000] = 0;
        EXPECT(big, fmt(b, sizeof b, "E5a;%s", hexstr(msg, "packet too long")));
    }
    /* to the end: the exit status 7 */
    EXPECT("c", "W07");
    {
        int st = wait_exit(pid, 10000);
        CHECK(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 7);
        char out[256];
        CHECK(!strcmp(read_file("proto-session.out", out, sizeof out), "result 5\n"));
    }
out:
    conn_close(&C);
    reap(pid);
}

/* Breakpoints at addresses that are no instruction boundary: the stop
 * reports the address that was asked for. Then `D`: the program runs on to
 * its end. */
static void s_odd_breakpoints(void)
{
    char b[1024], b2[256], le[17];
    pid_t pid = start_debug("run", "proto-odd.out", true);
    if (pid < 0) return;
    func_info *add = func_named("add"), *mainf = func_named("main");
    /* inside main's first instruction (global.get with a padded LEB) */
    CHECK(insn_len(mainf->first) > 2);
    uint64_t mid = code(mainf->first + 2);
    /* inside add's local declarations */
    CHECK(add->locals + 1 < add->first);
    uint64_t decl = code(add->locals + 1);
    EXPECT(fmt(b2, sizeof b2, "Z0,%" PRIx64 ",1", mid), "OK");
    EXPECT(fmt(b2, sizeof b2, "Z0,%" PRIx64 ",0", decl), "OK"); /* kind 0 too */
    EXPECT("c", stop_reply(b, sizeof b, 5, mid, "breakpoint"));
    EXPECT("p0", le64(le, mid));
    ask("qWasmCallStack:1");
    CHECK(RL >= 16 && !strncmp(R, le64(le, mid), 16));
    EXPECT(fmt(b2, sizeof b2, "z0,%" PRIx64 ",1", mid), "OK");
    EXPECT("c", stop_reply(b, sizeof b, 5, decl, "breakpoint"));
    EXPECT("qWasmLocal:0;0", "02000000");
    /* detach: breakpoints go, the program runs to its end */
    EXPECT(fmt(b2, sizeof b2, "Z0,%" PRIx64 ",1", mid), "OK");
    EXPECT("D", "OK");
    CHECK(next_event(&C, 5000) == -2); /* the stub closes the connection */
    int st = wait_exit(pid, 10000);
    CHECK(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 7);
    char out[256];
    CHECK(!strcmp(read_file("proto-odd.out", out, sizeof out), "result 5\n"));
    conn_close(&C);
    reap(pid);
}

/* A stop reply for an interrupt anywhere: T02 with reason:signal. */
#define INTERRUPT_RE                                                                               \
    "^T02thread:1;name:target\\.wasm;threads:1;thread-pcs:40000000000[0-9a-f]{5};"                 \
    "00:[0-9a-f]{16};reason:signal;$"

static uint64_t read_u32(uint64_t addr)
{
    char b[64];
    ask(fmt(b, sizeof b, "m%" PRIx64 ",4", addr));
    return RL == 8 ? le_value(R) : UINT64_MAX;
}

/* 0x03 stops a busy loop with T02; the program is changed and ends. */
static void s_interrupt(void)
{
    char b[256];
    pid_t pid = start_debug("loop", "proto-interrupt.out", true);
    if (pid < 0) return;
    uint32_t g = M.g_addr;
    CHECK(send_packet(&C, "c", 1));
    CHECK(!recv_reply(&C, 300) && !strcmp(R, "<timeout>")); /* running: no reply */
    EXPECT("qC", "E10");                                    /* busy while it runs */
    send_raw(&C, "\x03", 1);
    CHECK(recv_reply(&C, TIMEOUT_MS) && match(R, INTERRUPT_RE));
    CHECK(func_at((uint32_t)reply_pc()) == func_named("main"));
    uint64_t n1 = read_u32(g + 4);
    CHECK(n1 > 0 && n1 != UINT64_MAX);
    /* 0x03 while stopped is ignored */
    send_raw(&C, "\x03", 1);
    EXPECT("qC", "QC1");
    /* it runs on when continued */
    CHECK(send_packet(&C, "c", 1));
    sleep_ms(100);
    send_raw(&C, "\x03", 1);
    CHECK(recv_reply(&C, TIMEOUT_MS) && match(R, INTERRUPT_RE));
    uint64_t n2 = read_u32(g + 4);
    CHECK(n2 > n1 && n2 != UINT64_MAX);
    /* a read watchpoint on g.stop: the loop reads it at once */
    {
        char desc[64], dhex[160];
        uint64_t a = (uint64_t)g + 8;
        fmt(desc, sizeof desc, "%" PRIu64 " %" PRIu64, a, a);
        EXPECT(fmt(b, sizeof b, "Z3,%" PRIx64 ",4", a), "OK");
        char re[512];
        EXPECT_RE("c",
                  fmt(re, sizeof re,
                      "^T05thread:1;name:target\\.wasm;threads:1;thread-pcs:40000000000[0-9a-f]{5};"
                      "00:[0-9a-f]{16};reason:watchpoint;description:%s;$",
                      hexstr(dhex, desc)));
        CHECK(func_at((uint32_t)reply_pc()) == func_named("main"));
        EXPECT(fmt(b, sizeof b, "z3,%" PRIx64 ",4", a), "OK");
    }
    /* set g.stop: the loop ends, the program exits 3 */
    EXPECT(fmt(b, sizeof b, "M%x,4:01000000", g + 8), "OK");
    EXPECT("c", "W03");
    int st = wait_exit(pid, 10000);
    CHECK(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 3);
    char out[256];
    CHECK(!strcmp(read_file("proto-interrupt.out", out, sizeof out), "loop done\n"));
    conn_close(&C);
    reap(pid);
}

/* A trap stops with reason:exception naming it. */
static void s_trap(void)
{
    char b[512], dhex[512];
    pid_t pid = start_debug("trap", "proto-trap.out", true);
    if (pid < 0) return;
    ask("c");
    CHECK(match(R, "^T05thread:1;name:target\\.wasm;threads:1;thread-pcs:40000000000[0-9a-f]{5};"
                   "00:[0-9a-f]{16};reason:exception;description:[0-9a-f]+;$"));
    uint64_t pc = reply_pc();
    func_info *th = func_named("trap_here");
    CHECK(func_at((uint32_t)pc) == th);
    CHECK(pc > 0 && M.bytes[(uint32_t)pc] == 0x00); /* the unreachable instruction */
    const char *d = strstr(R, "description:");
    size_t dl = 0;
    if (d) {
        d += 12;
        dl = (size_t)(strchr(d, ';') - d) / 2;
        if (dl >= sizeof dhex) dl = sizeof dhex - 1;
        rsp_hex_decode(d, dl, (uint8_t *)dhex);
    }
    dhex[dl] = 0;
    CHECK(strstr(dhex, "unreachable") != NULL);
    fmt(b, sizeof b, "%s", dhex);
    ask("jThreadsInfo");
    CHECK(strstr(R, "\"reason\":\"exception\"") && strstr(R, b));
    /* continuing ends the program as a trap does */
    EXPECT("c", "W86");
    int st = wait_exit(pid, 10000);
    CHECK(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 134);
    conn_close(&C);
    reap(pid);
}

/* --gdb-listen: attach to a running program, disconnect while it runs, it
 * keeps running, attach again; `k` ends wdb-run. */
static void s_listen(void)
{
    char opt[64], logopt[64];
    int port = free_port();
    pid_t pid =
        spawn(fmt(opt, sizeof opt, "--gdb-listen=127.0.0.1:%d", port),
              fmt(logopt, sizeof logopt, "--gdb-log=proto-listen.log"), "loop", "proto-listen.out");
    if (pid < 0 || !start_session(port)) goto out;
    uint32_t g = M.g_addr;
    /* `?` while it runs: it is stopped, and the stop reply follows */
    EXPECT_RE("?", INTERRUPT_RE);
    uint64_t n1 = read_u32(g + 4);
    CHECK(n1 != UINT64_MAX);
    EXPECT("qfThreadInfo", "m1");
    /* continue, then hang up */
    CHECK(send_packet(&C, "c", 1));
    sleep_ms(50);
    conn_close(&C);
    sleep_ms(300);
    CHECK(alive(pid));
    /* a new debugger attaches and stops it again */
    if (!start_session(port)) goto out;
    EXPECT_RE("?", INTERRUPT_RE);
    uint64_t n2 = read_u32(g + 4);
    CHECK(n2 > n1 && n2 != UINT64_MAX);
    /* the same after a detach */
    EXPECT("D", "OK");
    CHECK(next_event(&C, 5000) == -2);
    conn_close(&C);
    sleep_ms(200);
    CHECK(alive(pid));
    if (!start_session(port)) goto out;
    EXPECT_RE("?", INTERRUPT_RE);
    uint64_t n3 = read_u32(g + 4);
    CHECK(n3 > n2 && n3 != UINT64_MAX);
    /* `k`: X09, the connection closes and wdb-run ends */
    EXPECT("k", "X09"); /* as lldb-server: ended by signal 9 */
    CHECK(next_event(&C, 5000) == -2);
    CHECK(wait_exit(pid, 10000) != -1);
out:
    conn_close(&C);
    reap(pid);
}

/* `k` while the program runs ends wdb-run too. */
static void s_kill(void)
{
    pid_t pid = start_debug("loop", "proto-kill.out", true);
    if (pid < 0) return;
    CHECK(send_packet(&C, "c", 1));
    sleep_ms(100);
    EXPECT("k", "X09"); /* as lldb-server: ended by signal 9 */
    CHECK(next_event(&C, 5000) == -2);
    CHECK(wait_exit(pid, 10000) != -1);
    char out[256];
    CHECK(!strcmp(read_file("proto-kill.out", out, sizeof out), ""));
    conn_close(&C);
    reap(pid);
}

/* Hanging up while stopped at a breakpoint (-g, not --gdb-listen): the
 * breakpoints go and the program runs to its end. */
static void s_disconnect(void)
{
    char b[256];
    pid_t pid = start_debug("run", "proto-disconnect.out", true);
    if (pid < 0) return;
    uint64_t bp = code(func_named("add")->first);
    EXPECT(fmt(b, sizeof b, "Z0,%" PRIx64 ",1", bp), "OK");
    ask("c");
    CHECK(reply_pc() == bp);
    conn_close(&C);
    int st = wait_exit(pid, 10000);
    CHECK(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 7);
    char out[256];
    CHECK(!strcmp(read_file("proto-disconnect.out", out, sizeof out), "result 5\n"));
    reap(pid);
}

/* `vKill` while the program runs: OK, and wdb-run ends. */
static void s_vkill(void)
{
    pid_t pid = start_debug("loop", "proto-vkill.out", true);
    if (pid < 0) return;
    CHECK(send_packet(&C, "c", 1));
    sleep_ms(100);
    EXPECT("vKill;1", "OK");
    CHECK(next_event(&C, 5000) == -2);
    CHECK(wait_exit(pid, 10000) != -1);
    conn_close(&C);
    reap(pid);
}

/* --gdb-listen: a debugger connected but idle (it sent nothing, so no stop
 * reply is owed) must not keep wdb-run from ending with its program. */
static void s_idle_exit(void)
{
    char opt[64];
    int port = free_port();
    pid_t pid = spawn(fmt(opt, sizeof opt, "--gdb-listen=127.0.0.1:%d", port), NULL, "count",
                      "proto-idle.out");
    if (pid < 0) return;
    if (!conn_open(&C, port, 10000)) {
        CHECK_FAILED("cannot connect to wdb-run on port %d", port);
        reap(pid);
        return;
    }
    int st = wait_exit(pid, 15000);
    CHECK(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 4);
    char out[256];
    CHECK(!strcmp(read_file("proto-idle.out", out, sizeof out), "counted\n"));
    conn_close(&C);
    reap(pid);
}

typedef struct scenario {
    const char *name;
    void (*fn)(void);
} scenario;

static const scenario scenarios[] = {
    {"session", s_session},       {"odd-breakpoints", s_odd_breakpoints},
    {"interrupt", s_interrupt},   {"trap", s_trap},
    {"listen", s_listen},         {"kill", s_kill},
    {"disconnect", s_disconnect}, {"vkill", s_vkill},
    {"idle-exit", s_idle_exit},
};

int main(int argc, char **argv)
{
    const char *wasm = NULL;
    int first = argc;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--wdb-run") && i + 1 < argc)
            g_wdb_run = argv[++i];
        else if (!strcmp(argv[i], "--wasm") && i + 1 < argc)
            wasm = argv[++i];
        else {
            first = i;
            break;
        }
    }
    if (!g_wdb_run || !wasm) {
        fprintf(stderr, "usage: rsp_client --wdb-run PATH --wasm PATH [SCENARIO...]\n");
        return 2;
    }
    if (!load_module(wasm)) {
        fprintf(stderr, "rsp_client: %s: not the module of target.c\n", wasm);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    signal(SIGALRM, watchdog);
    alarm(WATCHDOG_S);
    for (size_t k = 0; k < sizeof scenarios / sizeof scenarios[0]; k++) {
        bool run = first == argc;
        for (int i = first; i < argc; i++)
            run |= !strcmp(argv[i], scenarios[k].name);
        if (!run) continue;
        wdb_check_context = scenarios[k].name;
        int f0 = wdb_check_failed, p0 = wdb_check_passed;
        scenarios[k].fn();
        fprintf(stderr, "%s: %d passed, %d failed\n", wdb_check_context, wdb_check_passed - p0,
                wdb_check_failed - f0);
    }
    return wdb_check_summary();
}
