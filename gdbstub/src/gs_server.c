/*
 * The RSP server: one debugger session, fed the bytes that arrive and
 * writing its replies through the caller's gs_io. It knows no descriptor,
 * thread or clock, so the same code serves a TCP connection from its own
 * thread (gs_serve, gs_transport.c) and a device's UART from the program's
 * own stops and poll points.
 *
 * Bytes go through the codec's state machine (wdb/rsp.h); each complete
 * packet is looked up in the command table below. Every entry declares its
 * name and the shape of the arguments that follow it as a small pattern
 * (args_parse; an empty one: the name is the whole packet), so handlers
 * receive numbers and never scan text themselves.
 *
 * Errors inside are negative errno values; they become `Exx` (or, after
 * QEnableErrorStrings, `Exx;HEXMSG`) only in reply_error().
 */
#include "wdb/gdbstub.h"
#include "wdb/rsp.h"
#include "wdb/wasm_rsp.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GS_TID 1 /* the one thread */
/* qWasmCallStack frames that fill a packet: 16 hex digits each */
#define GS_MAX_FRAMES (GS_MAX_PACKET / 16)
#define GS_MAX_ARGS 4
/* Replies are framed into pieces of this size and written piece by piece:
 * the whole frame at once by default, small pieces on a device, where a
 * frame buffer (twice the packet size) would cost RAM. */
#ifndef GS_FRAME_PIECE
#define GS_FRAME_PIECE (2 * GS_MAX_PACKET + 8)
#endif

typedef struct gs_session session;

struct gs_session {
    const gs_target *t;
    gs_io io;
    bool noack;
    bool error_strings;
    bool running;           /* resumed, stop reply owed */
    bool exited_sent;       /* W was sent */
    bool closed;            /* the connection failed */
    bool end;               /* leave after this packet */
    bool detached_on_close; /* a failed connection has detached the target */
    bool unanswered;        /* a stop reply went out and no byte came in since */
    gs_end how;
    uint8_t in[GS_MAX_PACKET + 1];
    rsp_parser parser;
    char out[GS_MAX_PACKET + 1];
    size_t outlen;
    char piece[GS_FRAME_PIECE];
    /* the last packet sent is out[0..sentlen), for a resend on '-' (out is
     * only built again for the next request) */
    size_t sentlen;
};

/* ------------------------------------------------------------ output */

static void log_packet(session *s, const char *dir, const char *data, size_t len)
{
    if (!s->io.log) return;
    char text[448];
    char line[456];
    snprintf(line, sizeof line, "%s %s", dir, rsp_printable(data, len, text, sizeof text));
    s->io.log(s->io.user, line);
}

static bool write_all(session *s, const void *data, size_t len)
{
    if (s->closed) return false;
    if (s->io.write(s->io.user, data, len) < 0) {
        s->closed = true;
        return false;
    }
    return true;
}

/* Sends out[0..outlen) as one packet and clears it. */
static bool put_piece(void *user, const char *bytes, size_t n)
{
    return write_all(user, bytes, n);
}

static void send_frame(session *s, size_t len)
{
    rsp_frame_to(s->out, len, s->piece, sizeof s->piece, put_piece, s);
}

static void send_reply(session *s)
{
    log_packet(s, "<-", s->out, s->outlen);
    s->sentlen = s->outlen;
    s->outlen = 0;
    send_frame(s, s->sentlen);
}

static void out_raw(session *s, const void *data, size_t len)
{
    if (len > GS_MAX_PACKET - s->outlen) len = GS_MAX_PACKET - s->outlen;
    memcpy(s->out + s->outlen, data, len);
    s->outlen += len;
}

static void out_fmt(session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void out_fmt(session *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(s->out + s->outlen, GS_MAX_PACKET + 1 - s->outlen, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    s->outlen += (size_t)n;
    if (s->outlen > GS_MAX_PACKET) s->outlen = GS_MAX_PACKET;
}

static void out_hex(session *s, const void *data, size_t len)
{
    if (2 * len > GS_MAX_PACKET - s->outlen) len = (GS_MAX_PACKET - s->outlen) / 2;
    rsp_hex_encode(data, len, s->out + s->outlen);
    s->outlen += 2 * len;
}

static void out_hex_str(session *s, const char *str)
{
    out_hex(s, str, strlen(str));
}

/* 64-bit numbers are formatted here, not by printf: a device's C library
 * may print only 32-bit ones (picolibc's integer printf). */
static size_t u64_text(uint64_t v, unsigned base, char *out)
{
    char tmp[24];
    size_t n = 0;
    do {
        unsigned d = (unsigned)(v % base);
        tmp[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
        v /= base;
    } while (v);
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = 0;
    return n;
}

/* A number in hex without leading zeros. */
static void out_hex_num(session *s, uint64_t v)
{
    char t[24];
    out_raw(s, t, u64_text(v, 16, t));
}

/* A 64-bit value as 16 hex digits, little-endian byte order (register and
 * qWasmCallStack encoding). */
static void out_u64_le(session *s, uint64_t v)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    out_hex(s, b, 8);
}

/* errno -> `Exx`: the only place errors are encoded. */
static void reply_error(session *s, int err, const char *why)
{
    s->outlen = 0;
    int code = err < 0 ? -err : err;
    out_fmt(s, "E%02x", code & 0xff);
    if (s->error_strings && why) {
        out_raw(s, ";", 1);
        out_hex_str(s, why);
    }
}

static void reply_ok(session *s)
{
    out_fmt(s, "OK");
}

/* ------------------------------------------------------------ stop replies */

static const char *reason_name(gs_reason r)
{
    switch (r) {
    case GS_REASON_BREAKPOINT: return "breakpoint";
    case GS_REASON_WATCHPOINT: return "watchpoint";
    case GS_REASON_TRAP: return "exception";
    case GS_REASON_INTERRUPT: return "signal";
    case GS_REASON_ENTRY:
    case GS_REASON_STEP: return "trace";
    }
    return "trace";
}

/* The stop reply for the current state (PROTOCOL.md "Known facts"): T05 for
 * everything but an interrupt (T02), with threads, thread-pcs and the pc
 * register in every reply. */
static void out_stop_reply(session *s, const gs_stop *st)
{
    if (st->state == GS_EXITED) {
        out_fmt(s, "W%02x", st->exit_code & 0xff);
        return;
    }
    int sig = st->reason == GS_REASON_INTERRUPT ? 2 : 5;
    out_fmt(s, "T%02xthread:%x;name:%s;threads:%x;thread-pcs:", sig, GS_TID,
            s->t->process_name ? s->t->process_name : "wasm", GS_TID);
    out_hex_num(s, st->pc);
    out_fmt(s, ";00:");
    out_u64_le(s, st->pc);
    out_fmt(s, ";reason:%s;", reason_name(st->reason));
    if (st->reason == GS_REASON_TRAP) {
        out_fmt(s, "description:");
        out_hex_str(s, st->description);
        out_raw(s, ";", 1);
    } else if (st->reason == GS_REASON_WATCHPOINT) {
        /* LLDB reads "<watched addr> <hit addr>" (decimal) from description */
        char d[48];
        size_t n = u64_text(st->watch_addr, 10, d);
        d[n] = ' ';
        u64_text(st->watch_addr, 10, d + n + 1);
        out_fmt(s, "description:");
        out_hex_str(s, d);
        out_raw(s, ";", 1);
    }
#if GS_REVERSE
    if (st->history_begin) out_fmt(s, WRSP_REPLAYLOG_BEGIN);
#endif
}

/* ------------------------------------------------------------ arguments */

typedef struct args {
    uint64_t n[GS_MAX_ARGS];
    int count;
    const char *rest; /* 's' / 'b': the remaining text */
    size_t rest_len;
} args;

/* Parses text by pattern: 'x' a hex number, 'd' a decimal number, 's' the
 * rest of the packet, any other char that literal separator. Optional tail:
 * '?' makes everything after it optional (stop when the text ends there).
 * Returns false when the text does not fit. */
static bool args_parse(const char *pattern, const char *text, size_t len, args *a)
{
    const char *p = text, *end = text + len;
    bool optional = false;
    memset(a, 0, sizeof *a);
    for (const char *q = pattern; *q; q++) {
        if (*q == '?') {
            optional = true;
            continue;
        }
        if (optional && p == end) return true;
        switch (*q) {
        case 'x': {
            uint64_t v;
            if (a->count == GS_MAX_ARGS || !rsp_parse_hex(&p, &v)) return false;
            a->n[a->count++] = v;
            break;
        }
        case 'd': {
            uint64_t v = 0;
            int digits = 0;
            while (p < end && *p >= '0' && *p <= '9' && digits < 19) {
                v = v * 10 + (uint64_t)(*p++ - '0');
                digits++;
            }
            if (!digits || a->count == GS_MAX_ARGS || (p < end && *p >= '0' && *p <= '9'))
                return false;
            a->n[a->count++] = v;
            break;
        }
        case 's':
            a->rest = p;
            a->rest_len = (size_t)(end - p);
            p = end;
            break;
        default:
            if (p == end || *p != *q) return false;
            p++;
        }
    }
    return p == end;
}

/* ------------------------------------------------------------ commands */

typedef void (*cmd_fn)(session *s, const args *a);

static void need_stopped_reply(session *s)
{
    reply_error(s, -EBUSY, "the program is running");
}

static bool stopped(session *s)
{
    gs_stop st;
    s->t->get_stop(s->t->user, &st);
    return st.state == GS_STOPPED;
}

static void c_supported(session *s, const args *a)
{
    (void)a;
    out_fmt(s,
            "PacketSize=%x;qXfer:libraries:read+;vContSupported+;QStartNoAckMode+;"
            "QThreadSuffixSupported+;QListThreadsInStopReply+;swbreak+;hwbreak-;"
            "qWdbCallStack+",
            GS_MAX_PACKET);
#if GS_REVERSE
    if (s->t->reverse && (!s->t->can_reverse || s->t->can_reverse(s->t->user)))
        out_fmt(s, ";" WRSP_FEATURE_REVERSE);
#endif
}

static void c_noack(session *s, const args *a)
{
    (void)a;
    reply_ok(s);
    send_reply(s); /* acknowledged under the old mode */
    s->noack = true;
}

static void c_ok(session *s, const args *a)
{
    (void)a;
    reply_ok(s);
}

static void c_error_strings(session *s, const args *a)
{
    (void)a;
    s->error_strings = true;
    reply_ok(s);
}

static void out_host_fields(session *s)
{
    /* triple: hex-encoded ASCII (PROTOCOL.md) */
    out_fmt(s, "vendor:unknown;ostype:wasi;arch:wasm32;triple:");
    out_hex_str(s, "wasm32-unknown-wasi-wasm");
    out_fmt(s, ";endian:little;ptrsize:4;");
}

static void c_host_info(session *s, const args *a)
{
    (void)a;
    out_host_fields(s);
}

static void c_process_info(session *s, const args *a)
{
    (void)a;
    out_fmt(s, "pid:1;parent-pid:1;");
    out_host_fields(s);
}

static void c_vcont_query(session *s, const args *a)
{
    (void)a;
    out_fmt(s, "vCont;c;C;s;S;r");
}

static void c_stop_query(session *s, const args *a)
{
    (void)a;
    gs_stop st;
    s->t->get_stop(s->t->user, &st);
    if (st.state == GS_RUNNING) {
        /* a debugger attaching to a running program: stop it first */
        s->t->interrupt(s->t->user);
        s->running = true;
        return; /* the stop reply follows when the program stops */
    }
    out_stop_reply(s, &st);
    if (st.state == GS_EXITED) s->exited_sent = true;
}

static void c_register_info(session *s, const args *a)
{
    if (a->n[0] != 0) {
        reply_error(s, -ENOENT, "no such register");
        return;
    }
    out_fmt(s, "name:pc;alt-name:pc;bitsize:64;offset:0;encoding:uint;format:hex;"
               "set:General Purpose Registers;gcc:16;dwarf:16;generic:pc;");
}

static uint64_t current_pc(session *s)
{
    gs_stop st;
    s->t->get_stop(s->t->user, &st);
    return st.pc;
}

static void c_read_register(session *s, const args *a)
{
    if (!stopped(s)) return need_stopped_reply(s);
    if (a->n[0] != 0) {
        reply_error(s, -ENOENT, "no such register");
        return;
    }
    out_u64_le(s, current_pc(s));
}

static void c_read_registers(session *s, const args *a)
{
    (void)a;
    if (!stopped(s)) return need_stopped_reply(s);
    out_u64_le(s, current_pc(s));
}

static void c_write_register(session *s, const args *a)
{
    (void)a;
    reply_error(s, -EPERM, "the pc of a Wasm program cannot be changed");
}

static void c_libraries(session *s, const args *a)
{
    uint64_t off = a->n[0], len = a->n[1];
    char doc[4096];
    const char *path = s->t->module_path ? s->t->module_path : "";
    /* the path goes into an XML attribute: escape what XML needs */
    char esc[2048];
    size_t o = 0;
    for (const char *p = path; *p && o + 7 < sizeof esc; p++) {
        const char *rep = *p == '&'   ? "&amp;"
                          : *p == '<' ? "&lt;"
                          : *p == '>' ? "&gt;"
                          : *p == '"' ? "&quot;"
                                      : NULL;
        if (rep) {
            size_t rl = strlen(rep);
            memcpy(esc + o, rep, rl);
            o += rl;
        } else {
            esc[o++] = *p;
        }
    }
    esc[o] = 0;
    int n =
        snprintf(doc, sizeof doc,
                 "<library-list><library name=\"%s\"><section address=\"" WRSP_CODE_BASE_HEX "\"/>"
                 "</library></library-list>",
                 esc);
    size_t dl = n < 0 ? 0 : (size_t)n < sizeof doc ? (size_t)n : sizeof doc - 1;
    if (off >= dl) {
        out_raw(s, "l", 1);
        return;
    }
    size_t take = dl - off;
    if (len < take) take = (size_t)len;
    if (take > GS_MAX_PACKET - 1) take = GS_MAX_PACKET - 1;
    out_raw(s, off + take < dl ? "m" : "l", 1);
    out_raw(s, doc + off, take);
}

static void c_breakpoint(session *s, const args *a, bool insert)
{
    uint64_t type = a->n[0], addr = a->n[1], kind = a->n[2];
    int r;
    if (type == 0 || type == 1) {
        r = s->t->breakpoint(s->t->user, addr, insert);
    } else if (type >= 2 && type <= 4) {
        if (kind == 0 || kind > 0xffffffffu) {
            reply_error(s, -EINVAL, "bad watchpoint length");
            return;
        }
        r = s->t->watchpoint(s->t->user, (int)type, addr, (uint32_t)kind, insert);
    } else {
        return; /* unsupported type: empty reply */
    }
    if (r < 0)
        reply_error(s, r, insert ? "cannot insert" : "cannot remove");
    else
        reply_ok(s);
}

static void c_insert(session *s, const args *a)
{
    c_breakpoint(s, a, true);
}
static void c_remove(session *s, const args *a)
{
    c_breakpoint(s, a, false);
}

static void resume(session *s, gs_action action, uint64_t start, uint64_t end)
{
    gs_stop st;
    s->t->get_stop(s->t->user, &st);
    if (st.state == GS_EXITED) {
        out_stop_reply(s, &st);
        s->exited_sent = true;
        return;
    }
    int r = s->t->resume(s->t->user, action, start, end);
    if (r < 0) {
        reply_error(s, r, "cannot resume");
        return;
    }
    s->running = true;
}

static void c_continue(session *s, const args *a)
{
    (void)a; /* an address to resume at cannot be honoured in Wasm: ignored */
    resume(s, GS_CONTINUE, 0, 0);
}

static void c_step(session *s, const args *a)
{
    (void)a;
    resume(s, GS_STEP, 0, 0);
}

#if GS_REVERSE
/* bs / bc: resume backwards (wdb/wasm_rsp.h); the stop reply comes as for
 * a forward resume. */
static void reverse(session *s, bool step)
{
    gs_stop st;
    s->t->get_stop(s->t->user, &st);
    if (st.state == GS_EXITED) {
        reply_error(s, -ESRCH, "the program has exited");
        return;
    }
    int r = s->t->reverse ? s->t->reverse(s->t->user, step) : -ENOTSUP;
    if (r < 0) {
        reply_error(s, r, "cannot execute backwards (not recording?)");
        return;
    }
    s->running = true;
}

static void c_reverse_step(session *s, const args *a)
{
    (void)a;
    reverse(s, true);
}

static void c_history(session *s, const args *a)
{
    (void)a;
    size_t n, bytes, limit;
    int r = s->t->history ? s->t->history(s->t->user, &n, &bytes, &limit) : -ENOTSUP;
    if (r < 0) {
        reply_error(s, r, "no history: the program is not recorded");
        return;
    }
    out_fmt(s, "snapshots:%zu;bytes:%zu;limit:%zu;", n, bytes, limit);
}

static void c_reverse_continue(session *s, const args *a)
{
    (void)a;
    reverse(s, false);
}
#endif

/* vCont;ACTION[:TID][;ACTION[:TID]]...: with one thread the first action
 * decides. r START,END steps while the pc is in [START, END). */
static void c_vcont(session *s, const args *a)
{
    const char *p = a->rest, *end = a->rest + a->rest_len;
    if (p == end) {
        reply_error(s, -EINVAL, "empty vCont");
        return;
    }
    char kind = *p++;
    switch (kind) {
    case 'c':
    case 'C': resume(s, GS_CONTINUE, 0, 0); return;
    case 's':
    case 'S': resume(s, GS_STEP, 0, 0); return;
    case 'r': {
        uint64_t start, stop;
        if (!rsp_parse_hex(&p, &start) || p >= end || *p != ',' ||
            (p++, !rsp_parse_hex(&p, &stop))) {
            reply_error(s, -EINVAL, "bad vCont;r range");
            return;
        }
        resume(s, GS_RANGE_STEP, start, stop);
        return;
    }
    case 't':
        reply_ok(s); /* stopping a stopped thread */
        return;
    default: reply_error(s, -EINVAL, "unknown vCont action");
    }
}

static void c_read_memory(session *s, const args *a, bool binary)
{
    if (!stopped(s)) return need_stopped_reply(s);
    uint64_t addr = a->n[0], len = a->n[1];
    if (len > (GS_MAX_PACKET - 1) / 2) len = (GS_MAX_PACKET - 1) / 2;
    uint8_t buf[GS_MAX_PACKET / 2];
    size_t got = 0;
    int r = len ? s->t->read_memory(s->t->user, addr, buf, (size_t)len, &got) : 0;
    if (len && (r < 0 || got == 0)) {
        reply_error(s, r < 0 ? r : -EFAULT, "cannot read memory there");
        return;
    }
    if (binary) {
        /* LLDB probes with x0,0 and wants OK; data replies are the raw bytes
         * (as lldb-server sends them), escaped by the framing */
        if (len == 0)
            reply_ok(s);
        else
            out_raw(s, buf, got);
    } else {
        out_hex(s, buf, got);
    }
}

static void c_m(session *s, const args *a)
{
    c_read_memory(s, a, false);
}
static void c_x(session *s, const args *a)
{
    c_read_memory(s, a, true);
}

static void c_write_memory(session *s, const args *a)
{
    if (!stopped(s)) return need_stopped_reply(s);
    uint64_t addr = a->n[0], len = a->n[1];
    if (a->rest_len != 2 * len || len > GS_MAX_PACKET / 2) {
        reply_error(s, -EINVAL, "data length does not match");
        return;
    }
    uint8_t buf[GS_MAX_PACKET / 2];
    if (!rsp_hex_decode(a->rest, (size_t)len, buf)) {
        reply_error(s, -EINVAL, "bad hex data");
        return;
    }
    int r = s->t->write_memory(s->t->user, addr, buf, (size_t)len);
    if (r < 0)
        reply_error(s, r, "cannot write memory there");
    else
        reply_ok(s);
}

static void c_write_memory_bin(session *s, const args *a)
{
    if (!stopped(s)) return need_stopped_reply(s);
    uint64_t addr = a->n[0], len = a->n[1];
    if (a->rest_len != len) {
        reply_error(s, -EINVAL, "data length does not match");
        return;
    }
    int r = len ? s->t->write_memory(s->t->user, addr, (const uint8_t *)a->rest, (size_t)len) : 0;
    if (r < 0)
        reply_error(s, r, "cannot write memory there");
    else
        reply_ok(s);
}

static void c_region(session *s, const args *a)
{
    uint64_t start = 0, size = 0;
    const char *perms = "";
    int r = s->t->memory_region(s->t->user, a->n[0], &start, &size, &perms);
    if (r < 0) {
        reply_error(s, r, "no region information");
        return;
    }
    out_fmt(s, "start:");
    out_hex_num(s, start);
    out_fmt(s, ";size:");
    out_hex_num(s, size);
    out_raw(s, ";", 1);
    if (perms[0]) out_fmt(s, "permissions:%s;", perms);
}

/* Frames first.. of the call stack, as many as a packet holds: 16 hex
 * digits each (GS_MAX_FRAMES fill GS_MAX_PACKET). qWasmCallStack (LLDB's)
 * gives the innermost GS_MAX_FRAMES and no more; qWdbCallStack:TID;FIRST
 * (ours, offered in qSupported) answers "TOTAL;" then the frames from
 * FIRST on, so a deeper stack is read in pages. */
static void call_stack_reply(session *s, size_t first, bool with_total)
{
    if (!stopped(s)) return need_stopped_reply(s);
    size_t max = with_total ? GS_MAX_FRAMES - 2 : GS_MAX_FRAMES; /* room for "TOTAL;" */
    uint64_t *pcs = malloc(max * sizeof *pcs);
    size_t n = 0, total = 0;
    if (!pcs) {
        reply_error(s, -ENOMEM, "out of memory");
        return;
    }
    int r = s->t->call_stack(s->t->user, first, pcs, max, &n, &total);
    if (r < 0) {
        reply_error(s, r, "no call stack");
    } else {
        if (with_total) {
            out_hex_num(s, total);
            out_raw(s, ";", 1);
        }
        for (size_t i = 0; i < n; i++)
            out_u64_le(s, pcs[i]);
    }
    free(pcs);
}

static void c_call_stack(session *s, const args *a)
{
    (void)a;
    call_stack_reply(s, 0, false);
}

static void c_wdb_call_stack(session *s, const args *a)
{
    if (a->n[1] > SIZE_MAX) {
        reply_error(s, -EINVAL, "frame index out of range");
        return;
    }
    call_stack_reply(s, (size_t)a->n[1], true);
}

typedef int (*value_fn)(void *user, uint32_t frame, uint32_t index, uint8_t *buf, size_t *len);

static void wasm_value(session *s, const args *a, value_fn fn)
{
    if (!stopped(s)) return need_stopped_reply(s);
    if (a->n[0] > UINT32_MAX || a->n[1] > UINT32_MAX) {
        reply_error(s, -EINVAL, "index out of range");
        return;
    }
    uint8_t buf[16];
    size_t len = 0;
    int r = fn(s->t->user, (uint32_t)a->n[0], (uint32_t)a->n[1], buf, &len);
    if (r < 0)
        reply_error(s, r, "no such value");
    else
        out_hex(s, buf, len);
}

static void c_local(session *s, const args *a)
{
    wasm_value(s, a, s->t->wasm_local);
}
static void c_global(session *s, const args *a)
{
    wasm_value(s, a, s->t->wasm_global);
}
static void c_stack_value(session *s, const args *a)
{
    wasm_value(s, a, s->t->wasm_stack_value);
}

static void c_thread_first(session *s, const args *a)
{
    (void)a;
    gs_stop st;
    s->t->get_stop(s->t->user, &st);
    if (st.state == GS_EXITED)
        out_fmt(s, "l");
    else
        out_fmt(s, "m%x", GS_TID);
}

static void c_thread_next(session *s, const args *a)
{
    (void)a;
    out_fmt(s, "l");
}

static void c_current_thread(session *s, const args *a)
{
    (void)a;
    out_fmt(s, "QC%x", GS_TID);
}

static void c_thread_stop_info(session *s, const args *a)
{
    (void)a;
    gs_stop st;
    s->t->get_stop(s->t->user, &st);
    if (st.state == GS_RUNNING) return need_stopped_reply(s);
    out_stop_reply(s, &st);
}

/* str as the contents of a JSON string: quotes, backslashes and control
 * characters escaped (RFC 8259 section 7). */
static void out_json_str(session *s, const char *str)
{
    for (const unsigned char *p = (const unsigned char *)str; *p; p++) {
        if (*p == '"' || *p == '\\') {
            char e[2] = {'\\', (char)*p};
            out_raw(s, e, 2);
        } else if (*p < 32) {
            out_fmt(s, "\\u%04x", *p);
        } else {
            out_raw(s, p, 1);
        }
    }
}

/* jThreadsInfo: the stop information of every thread as JSON. */
static void c_threads_info(session *s, const args *a)
{
    (void)a;
    gs_stop st;
    s->t->get_stop(s->t->user, &st);
    if (st.state != GS_STOPPED) {
        out_fmt(s, "[]");
        return;
    }
    uint8_t b[8];
    char pc[17];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(st.pc >> (8 * i));
    rsp_hex_encode(b, 8, pc);
    pc[16] = 0;
    out_fmt(s, "[{\"tid\":%d,\"name\":\"", GS_TID);
    out_json_str(s, s->t->process_name ? s->t->process_name : "wasm");
    out_fmt(s, "\",\"reason\":\"%s\",\"signal\":%d,\"registers\":{\"0\":\"%s\"}",
            reason_name(st.reason), st.reason == GS_REASON_INTERRUPT ? 2 : 5, pc);
    if (st.reason == GS_REASON_TRAP) {
        out_fmt(s, ",\"description\":\"");
        out_json_str(s, st.description);
        out_fmt(s, "\"");
    }
    out_fmt(s, "}]");
}

static void c_watch_info(session *s, const args *a)
{
    (void)a;
    out_fmt(s, "num:%u;", (unsigned)s->t->max_watchpoints);
}

static void c_attached(session *s, const args *a)
{
    (void)a;
    out_fmt(s, "1");
}

static void c_detach(session *s, const args *a)
{
    (void)a;
    int r = s->t->detach(s->t->user);
    if (r < 0) {
        reply_error(s, r, "cannot detach");
        return;
    }
    reply_ok(s);
    s->end = true;
    s->how = GS_END_DETACH;
}

static void c_kill(session *s, const args *a)
{
    (void)a;
    s->t->kill(s->t->user);
    s->running = false; /* no stop reply is owed any more */
    s->end = true;
    s->how = GS_END_KILL;
    /* LLDB waits for an exit reply to `k` (ProcessGDBRemote::DoDestroy) and
     * says "failed to send k packet" without one; lldb-server answers X09
     * (ended by signal 9), which LLDB shows as status 9 */
    out_fmt(s, "X09");
}

static void c_vkill(session *s, const args *a)
{
    c_kill(s, a);
    s->outlen = 0;
    reply_ok(s); /* vKill;PID answers OK */
}

typedef struct cmd {
    const char *name;
    const char *shape; /* args_parse pattern for what follows the name; ""
                        * for a packet that is the name alone */
    cmd_fn fn;
} cmd;

/* Longer names first where one is a prefix of another ("vCont?" before
 * "vCont;"; "qWasmStackValue:" is distinct from "qWasmLocal:"). */
static const cmd commands[] = {
    {"qSupported", "s", c_supported},
    {"QStartNoAckMode", "", c_noack},
    {"QThreadSuffixSupported", "", c_ok},
    {"QListThreadsInStopReply", "", c_ok},
    {"QEnableErrorStrings", "", c_error_strings},
    {"qHostInfo", "", c_host_info},
    {"qProcessInfo", "", c_process_info},
    {"vCont?", "", c_vcont_query},
    {"vCont;", "s", c_vcont},
    {"vKill", "s", c_vkill},
    {"?", "", c_stop_query},
    {"qRegisterInfo", "x", c_register_info},
    {"p", "x?;s", c_read_register},
    {"P", "s", c_write_register},
    {"g", "s", c_read_registers},
    {"qXfer:libraries:read::", "x,x", c_libraries},
    {"Z", "x,x,x?;s", c_insert},
    {"z", "x,x,x?;s", c_remove},
    {"c", "?x", c_continue},
    {"C", "x?;x", c_continue},
    {"s", "?x", c_step},
#if GS_REVERSE
    {WRSP_REVERSE_STEP, "", c_reverse_step},
    {WRSP_REVERSE_CONTINUE, "", c_reverse_continue},
    {WRSP_HISTORY, "", c_history},
#endif
    {"S", "x?;x", c_step},
    {"m", "x,x", c_m},
    {"x", "x,x", c_x},
    {"M", "x,x:s", c_write_memory},
    {"X", "x,x:s", c_write_memory_bin},
    {"qMemoryRegionInfo:", "x", c_region},
    {"qWdbCallStack:", "x;x", c_wdb_call_stack},
    {"qWasmCallStack", "?:x", c_call_stack},
    {"qWasmLocal:", "d;d", c_local},
    {"qWasmGlobal:", "d;d", c_global},
    {"qWasmStackValue:", "d;d", c_stack_value},
    {"qfThreadInfo", "", c_thread_first},
    {"qsThreadInfo", "", c_thread_next},
    {"qC", "", c_current_thread},
    {"qThreadStopInfo", "x", c_thread_stop_info},
    {"jThreadsInfo", "", c_threads_info},
    {"qWatchpointSupportInfo", "s", c_watch_info},
    {"qAttached", "s", c_attached},
    {"Hg", "s", c_ok},
    {"Hc", "s", c_ok},
    {"T", "x", c_ok},
    {"D", "s", c_detach},
    {"k", "", c_kill},
};

/* Runs one packet. Unknown packets get the empty reply (GDB's "not
 * supported"); known ones with bad arguments get E16 (EINVAL). */
static void dispatch(session *s, const char *pkt, size_t len)
{
    log_packet(s, "->", pkt, len);
    s->outlen = 0;
    if (s->running && !(len == 1 && pkt[0] == 'k') && strncmp(pkt, "vKill", 5) != 0) {
        /* while the program runs only an interrupt (0x03) makes sense; LLDB
         * waits for the stop reply, so refuse anything else */
        reply_error(s, -EBUSY, "the program is running");
        send_reply(s);
        return;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        const cmd *c = &commands[i];
        size_t nl = strlen(c->name);
        if (len < nl || memcmp(pkt, c->name, nl) != 0) continue;
        if (!c->shape[0] && len != nl) continue;
        args a;
        if (!args_parse(c->shape, pkt + nl, len - nl, &a)) {
            /* a one-letter name followed by a letter that is no hex digit
             * is some other packet ("sQ...", "TZ"): keep looking. Not when
             * the command's arguments are a comma list and the packet has
             * one: "mZZ,1" is a malformed `m`, whose empty reply would tell
             * the debugger that memory reads are unsupported. */
            bool list = strchr(c->shape, ',') && memchr(pkt, ',', len);
            if (nl == 1 && len > 1 && !list &&
                ((pkt[1] >= 'g' && pkt[1] <= 'z') || (pkt[1] >= 'G' && pkt[1] <= 'Z')))
                continue;
            reply_error(s, -EINVAL, "malformed arguments");
            send_reply(s);
            return;
        }
        c->fn(s, &a);
        if (!s->running && c->fn != c_noack) send_reply(s);
        return;
    }
    send_reply(s); /* empty: unsupported */
}

/* The program's state may have changed: send the stop reply owed. */
static void check_stop(session *s)
{
    gs_stop st;
    s->t->get_stop(s->t->user, &st);
    if (!s->running) {
        /* the program ended while the debugger waited for nothing (it
         * attached with --gdb-listen and has not stopped it yet): there is
         * no reply to put the exit in, and staying would keep the process
         * alive for as long as the debugger stays idle. Hang up. */
        if (st.state == GS_EXITED) {
            s->end = true;
            s->how = GS_END_EXITED;
        }
        return;
    }
    if (st.state == GS_RUNNING) return;
    s->running = false;
    s->outlen = 0;
    out_stop_reply(s, &st);
    send_reply(s);
    s->unanswered = st.state != GS_EXITED;
    if (st.state == GS_EXITED) s->exited_sent = true;
}

/* A debugger starting its handshake on a line that had one before (a
 * serial line has no connect: the old debugger may have vanished without
 * `D`): acknowledgements are on again, as for any new debugger, and a stop
 * reply the old one was owed is forgotten. LLDB and wdb open every
 * connection with QStartNoAckMode; a debugger repeating qSupported within
 * its session stays in no-ack mode, so that packet is not taken as one. */
static void restart_if_handshake(session *s, const char *pkt, size_t len)
{
    if (len != 15 || memcmp(pkt, "QStartNoAckMode", 15) != 0) return;
    s->noack = false;
    s->error_strings = false;
    s->running = false;
}

static void finish_if_closed(session *s)
{
    if (!s->closed || s->detached_on_close) return;
    s->detached_on_close = true;
    s->end = true;
    s->how = GS_END_DISCONNECT;
    s->t->detach(s->t->user);
}

gs_session *gs_session_new(const gs_target *t, const gs_io *io)
{
    session *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->t = t;
    s->io = *io;
    s->how = GS_END_DISCONNECT;
    rsp_parser_init(&s->parser, s->in, sizeof s->in);
    return s;
}

void gs_session_free(gs_session *s)
{
    free(s);
}

bool gs_session_ended(const gs_session *s, gs_end *how)
{
    bool ended = s->end || s->closed || s->exited_sent;
    if (ended && how) *how = s->end || s->closed ? s->how : GS_END_EXITED;
    return ended;
}

bool gs_session_waiting(const gs_session *s)
{
    return s->running;
}

bool gs_session_stop_unanswered(const gs_session *s)
{
    return s->unanswered;
}

void gs_session_hangup(gs_session *s)
{
    s->closed = true;
    finish_if_closed(s);
}

void gs_session_notify(gs_session *s)
{
    if (s->end || s->closed) return;
    check_stop(s);
    finish_if_closed(s);
}

void gs_session_feed(gs_session *s, const uint8_t *buf, size_t n)
{
    const gs_target *t = s->t;
    if (n) s->unanswered = false;
    for (size_t i = 0; i < n && !s->end && !s->closed && !s->exited_sent; i++) {
        if (buf[i] == 0x03 && s->running) {
            /* While the program runs no packet may carry a raw 0x03 (all-stop:
             * the debugger waits for the stop reply), so it is the interrupt
             * even inside a packet: line noise that began one (a stray '$')
             * must not swallow the user's Ctrl-C. The broken packet goes. */
            log_packet(s, "->", "^C", 2);
            rsp_parser_init(&s->parser, s->in, sizeof s->in);
            t->interrupt(t->user);
            continue;
        }
        switch (rsp_feed(&s->parser, buf[i])) {
        case RSP_EV_PACKET:
            restart_if_handshake(s, (const char *)s->in, s->parser.len);
            if (!s->noack) write_all(s, "+", 1);
            dispatch(s, (const char *)s->in, s->parser.len);
            break;
        case RSP_EV_BAD_CHECKSUM:
            log_packet(s, "->", "(bad checksum)", 14);
            if (!s->noack) {
                write_all(s, "-", 1);
            } else {
                /* no-ack mode has no resend: a silent drop would leave
                 * the debugger waiting forever, running the damaged
                 * packet could do anything. Answer with an error. */
                reply_error(s, -EBADMSG, "bad checksum");
                send_reply(s);
            }
            break;
        case RSP_EV_OVERFLOW:
            log_packet(s, "->", "(packet too long)", 17);
            if (!s->noack) write_all(s, "+", 1);
            reply_error(s, -EMSGSIZE, "packet too long");
            send_reply(s);
            break;
        case RSP_EV_INTERRUPT:
            log_packet(s, "->", "^C", 2);
            if (s->running) t->interrupt(t->user);
            break;
        case RSP_EV_NACK:
            /* in no-ack mode a '-' is noise: resending would put an
             * extra reply in front of the debugger's next one */
            if (!s->noack && s->sentlen) send_frame(s, s->sentlen);
            break;
        case RSP_EV_ACK:
        case RSP_EV_NONE: break;
        }
    }
    finish_if_closed(s);
}
