/*
 * libFuzzer target: the GDB stub's packet parser and command handlers
 * (gdbstub/src/gs_server.c, gdbstub/src/rsp_codec.c).
 *
 * gs_serve() runs on one end of a socketpair against a fake gs_target: 256
 * bytes of linear memory at 0, 64 bytes of read-only code at the code base,
 * three frames with four locals each, two globals, one operand-stack value,
 * up to 16 breakpoints and 4 watchpoints (recorded, refused when full or
 * outside the code / memory). Resuming is instant: a step stops one byte
 * further, a continue stops at the first breakpoint or watchpoint, or else
 * runs until an interrupt (0x03), or (every third time) exits. A thread
 * writes the input to the other end, reads and discards every reply, and
 * half-closes the connection when the input is written: the stub must then
 * end the session (GS_END_DISCONNECT) or have ended it earlier (`D`, `k`, an
 * exit). No input may hang the stub: nothing here waits for a reply.
 *
 * Input format (so that command handlers are reached, not only framing):
 *   - first byte 'R': the rest is sent as it is (raw bytes: framing, acks,
 *     escapes, run-length encoding, interrupts and garbage);
 *   - otherwise the rest is split at '\n' into packets, each framed as
 *     $PAYLOAD#CS with a correct checksum (rsp_frame escapes what needs
 *     it); a line starting with '!' is sent raw without its '!' (acks,
 *     0x03, a damaged packet). First byte 'N': the session begins with
 *     QStartNoAckMode. Seeds (corpus/rsp) are packets from tests/protocol.
 *
 * WDB_FUZZ_VERBOSE=1 in the environment logs every packet in and out.
 *
 * Build: cmake -DWDB_FUZZ=ON -DCMAKE_C_COMPILER=clang-22; run bench/fuzz.sh.
 */
#define _GNU_SOURCE
#include "wdb/gdbstub.h"
#include "wdb/rsp.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CODE_BASE 0x4000000000000000ull
#define MEM_SIZE 256
#define CODE_SIZE 64
#define NFRAMES 3
#define MAX_BPS 16
#define MAX_WPS 4

typedef struct fake {
    gs_stop stop;
    int wake[2];
    uint8_t mem[MEM_SIZE];
    uint64_t bps[MAX_BPS];
    size_t nbps;
    uint64_t wps[MAX_WPS];
    size_t nwps;
    unsigned continues;
} fake;

static void wake(fake *f)
{
    char b = 1;
    (void)!write(f->wake[1], &b, 1);
}

static void stop_at(fake *f, gs_reason reason, uint64_t pc)
{
    f->stop.state = GS_STOPPED;
    f->stop.reason = reason;
    f->stop.pc = pc;
    if (reason == GS_REASON_TRAP) strcpy(f->stop.description, "integer divide by zero");
    wake(f);
}

static bool in_code(uint64_t a) { return a >= CODE_BASE && a < CODE_BASE + CODE_SIZE; }

static void f_get_stop(void *u, gs_stop *out) { *out = ((fake *)u)->stop; }

static int f_resume(void *u, gs_action action, uint64_t start, uint64_t end)
{
    fake *f = u;
    if (f->stop.state != GS_STOPPED) return -EBUSY;
    f->stop.state = GS_RUNNING;
    switch (action) {
    case GS_STEP:
        stop_at(f, GS_REASON_STEP, in_code(f->stop.pc + 1) ? f->stop.pc + 1 : CODE_BASE);
        break;
    case GS_RANGE_STEP:
        stop_at(f, GS_REASON_STEP, in_code(end) ? end : in_code(start) ? start : f->stop.pc);
        break;
    case GS_CONTINUE:
        f->continues++;
        if (f->nbps) {
            stop_at(f, GS_REASON_BREAKPOINT, f->bps[f->continues % f->nbps]);
        } else if (f->nwps) {
            f->stop.watch_addr = f->wps[0];
            f->stop.watch_kind = 2;
            stop_at(f, GS_REASON_WATCHPOINT, CODE_BASE + 7);
        } else if (f->continues % 5 == 4) {
            stop_at(f, GS_REASON_TRAP, CODE_BASE + 9);
        } else if (f->continues % 3 == 2) {
            f->stop.state = GS_EXITED;
            f->stop.exit_code = (int)f->continues;
            wake(f);
        }
        /* else: it runs until interrupted */
        break;
    }
    return 0;
}

static int f_interrupt(void *u)
{
    fake *f = u;
    if (f->stop.state == GS_RUNNING) stop_at(f, GS_REASON_INTERRUPT, CODE_BASE + 3);
    return 0;
}

static int f_kill(void *u)
{
    fake *f = u;
    f->stop.state = GS_EXITED;
    f->stop.exit_code = 137;
    wake(f);
    return 0;
}

static int f_detach(void *u)
{
    fake *f = u;
    f->nbps = f->nwps = 0;
    if (f->stop.state == GS_STOPPED) f->stop.state = GS_RUNNING;
    return 0;
}

static int f_breakpoint(void *u, uint64_t addr, bool insert)
{
    fake *f = u;
    if (!in_code(addr)) return -EINVAL;
    for (size_t i = 0; i < f->nbps; i++) {
        if (f->bps[i] != addr) continue;
        if (!insert) f->bps[i] = f->bps[--f->nbps];
        return 0;
    }
    if (!insert) return -ENOENT;
    if (f->nbps == MAX_BPS) return -ENOSPC;
    f->bps[f->nbps++] = addr;
    return 0;
}

static int f_watchpoint(void *u, int kind, uint64_t addr, uint32_t len, bool insert)
{
    fake *f = u;
    if (kind < 2 || kind > 4 || addr >= MEM_SIZE || len > MEM_SIZE - addr) return -EINVAL;
    for (size_t i = 0; i < f->nwps; i++) {
        if (f->wps[i] != addr) continue;
        if (!insert) f->wps[i] = f->wps[--f->nwps];
        return 0;
    }
    if (!insert) return -ENOENT;
    if (f->nwps == MAX_WPS) return -ENOSPC;
    f->wps[f->nwps++] = addr;
    return 0;
}

static int f_call_stack(void *u, size_t first, uint64_t *pcs, size_t max, size_t *n,
                        size_t *total)
{
    fake *f = u;
    *n = 0;
    *total = NFRAMES;
    for (size_t i = first; i < NFRAMES && *n < max; i++)
        pcs[(*n)++] = i ? CODE_BASE + 20 * i : f->stop.pc;
    return 0;
}

static int value(uint32_t frame, uint32_t index, uint32_t nframes, uint32_t count, uint8_t *buf,
                 size_t *len)
{
    if (frame >= nframes || index >= count) return -ENOENT;
    for (int i = 0; i < 4; i++) buf[i] = (uint8_t)(frame * 16 + index + i);
    *len = index % 2 ? 8 : 4;
    if (*len == 8) memset(buf + 4, 0xee, 4);
    return 0;
}

static int f_local(void *u, uint32_t frame, uint32_t index, uint8_t *buf, size_t *len)
{
    (void)u;
    return value(frame, index, NFRAMES, 4, buf, len);
}

static int f_global(void *u, uint32_t frame, uint32_t index, uint8_t *buf, size_t *len)
{
    (void)u;
    return value(frame, index, NFRAMES, 2, buf, len);
}

static int f_stack_value(void *u, uint32_t frame, uint32_t index, uint8_t *buf, size_t *len)
{
    (void)u;
    return value(frame, index, 1, 1, buf, len);
}

static int f_read_memory(void *u, uint64_t addr, uint8_t *buf, size_t len, size_t *got)
{
    fake *f = u;
    *got = 0;
    if (addr < MEM_SIZE) {
        size_t n = MEM_SIZE - addr < len ? MEM_SIZE - (size_t)addr : len;
        memcpy(buf, f->mem + addr, n);
        *got = n;
    } else if (in_code(addr)) {
        size_t off = (size_t)(addr - CODE_BASE);
        size_t n = CODE_SIZE - off < len ? CODE_SIZE - off : len;
        for (size_t i = 0; i < n; i++) buf[i] = (uint8_t)(0x20 + off + i);
        *got = n;
    }
    return *got ? 0 : -EFAULT;
}

static int f_write_memory(void *u, uint64_t addr, const uint8_t *buf, size_t len)
{
    fake *f = u;
    if (addr >= MEM_SIZE || len > MEM_SIZE - addr) return -EFAULT;
    memcpy(f->mem + addr, buf, len);
    return 0;
}

static int f_region(void *u, uint64_t addr, uint64_t *start, uint64_t *size, const char **perms)
{
    (void)u;
    if (addr < MEM_SIZE) {
        *start = 0, *size = MEM_SIZE, *perms = "rw";
    } else if (in_code(addr)) {
        *start = CODE_BASE, *size = CODE_SIZE, *perms = "rx";
    } else {
        *start = addr;
        *size = addr < CODE_BASE ? CODE_BASE - addr : 1;
        *perms = "";
    }
    return 0;
}

/* ------------------------------------------------------------ the peer */

typedef struct peer {
    int fd;
    const uint8_t *out;
    size_t len, done;
} peer;

/* Writes the input and reads (discards) replies until the stub's end is
 * closed, so neither side can block on a full socket buffer. */
static void *peer_main(void *arg)
{
    peer *p = arg;
    char sink[8192];
    bool open_w = true;
    for (;;) {
        if (open_w && p->done == p->len) {
            shutdown(p->fd, SHUT_WR); /* the stub sees the end of input */
            open_w = false;
        }
        struct pollfd pf = {.fd = p->fd, .events = POLLIN | (open_w ? POLLOUT : 0)};
        if (poll(&pf, 1, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (pf.revents & POLLIN) {
            ssize_t n = read(p->fd, sink, sizeof sink);
            if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) break;
        }
        if (open_w && (pf.revents & POLLOUT)) {
            ssize_t n =
                send(p->fd, p->out + p->done, p->len - p->done, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n > 0) {
                p->done += (size_t)n;
            } else if (n < 0 && errno != EINTR && errno != EAGAIN) {
                open_w = false; /* the stub hung up: keep reading to the end */
            }
        } else if (pf.revents & (POLLHUP | POLLERR) && !(pf.revents & POLLIN)) {
            break;
        }
    }
    return NULL;
}

/* Appends to a growing buffer; false when out of memory. */
static bool put(uint8_t **buf, size_t *len, size_t *cap, const void *data, size_t n)
{
    if (*len + n > *cap) {
        size_t nc = (*cap ? *cap * 2 : 4096) + n;
        uint8_t *nb = realloc(*buf, nc);
        if (!nb) return false;
        *buf = nb;
        *cap = nc;
    }
    memcpy(*buf + *len, data, n);
    *len += n;
    return true;
}

/* The bytes to send for an input (see the format above). */
static uint8_t *wire(const uint8_t *data, size_t size, size_t *outlen)
{
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    char frame[2 * GS_MAX_PACKET + 8]; /* 32 KiB: fits the stack */
    *outlen = 0;
    if (size == 0) return NULL;
    if (data[0] == 'R') {
        if (!put(&buf, &len, &cap, data + 1, size - 1)) goto fail;
        *outlen = len;
        return buf;
    }
    if (data[0] == 'N') {
        size_t n = rsp_frame("QStartNoAckMode", 15, frame, sizeof frame);
        if (!put(&buf, &len, &cap, "+", 1) || !put(&buf, &len, &cap, frame, n)) goto fail;
    }
    for (size_t i = 1; i < size;) {
        const uint8_t *nl = memchr(data + i, '\n', size - i);
        size_t end = nl ? (size_t)(nl - data) : size;
        const uint8_t *line = data + i;
        size_t ll = end - i;
        if (ll && line[0] == '!') {
            if (!put(&buf, &len, &cap, line + 1, ll - 1)) goto fail;
        } else {
            /* 0 when too long to frame here: such a line is left out */
            size_t n = rsp_frame(line, ll, frame, sizeof frame);
            if (n && !put(&buf, &len, &cap, frame, n)) goto fail;
        }
        i = end + 1;
    }
    *outlen = len;
    return buf;
fail:
    free(buf);
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t pattern[] = "wdb fuzz memory";
    fake f;
    int sv[2] = {-1, -1};
    size_t len = 0;
    uint8_t *bytes = wire(data, size, &len);
    memset(&f, 0, sizeof f);
    f.wake[0] = f.wake[1] = -1;
    f.stop.state = GS_STOPPED;
    f.stop.reason = GS_REASON_ENTRY;
    f.stop.pc = CODE_BASE + 1;
    for (size_t i = 0; i < MEM_SIZE; i++) f.mem[i] = pattern[i % (sizeof pattern - 1)];
    if (pipe2(f.wake, O_CLOEXEC | O_NONBLOCK) != 0) goto out;
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) goto out;
    gs_target t = {
        .user = &f,
        .module_path = "/fuzz/app<&>\".wasm",
        .process_name = "app.wasm",
        .max_watchpoints = 32,
        .wake_fd = f.wake[0],
        .get_stop = f_get_stop,
        .resume = f_resume,
        .interrupt = f_interrupt,
        .kill = f_kill,
        .detach = f_detach,
        .breakpoint = f_breakpoint,
        .watchpoint = f_watchpoint,
        .call_stack = f_call_stack,
        .wasm_local = f_local,
        .wasm_global = f_global,
        .wasm_stack_value = f_stack_value,
        .read_memory = f_read_memory,
        .write_memory = f_write_memory,
        .memory_region = f_region,
    };
    peer p = {.fd = sv[1], .out = bytes, .len = len};
    pthread_t th;
    if (pthread_create(&th, NULL, peer_main, &p) != 0) goto out;
    gs_serve(&t, sv[0], getenv("WDB_FUZZ_VERBOSE") ? stderr : NULL);
    /* the stub is done: closing its end ends the peer's reads */
    close(sv[0]);
    sv[0] = -1;
    pthread_join(th, NULL);
out:
    for (int i = 0; i < 2; i++) {
        if (sv[i] >= 0) close(sv[i]);
        if (f.wake[i] >= 0) close(f.wake[i]);
    }
    free(bytes);
    return 0;
}
