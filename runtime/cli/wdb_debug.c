/*
 * wdb-run's debugger support (see wdb_debug.h): the gs_target callbacks over
 * the debug engine, and the threads that serve debuggers.
 *
 * Threads: the program runs on wdb-run's main thread; one server thread
 * accepts connections (or opens the serial line) and runs gs_serve(). The
 * engine's listener wakes the server through a pipe whenever the program
 * stops or exits.
 */
#define _GNU_SOURCE
#include "wdb_debug.h"

#include "wdb/debug_engine.h"
#include "wdb/gdbstub.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_BREAKS 1024

/* LLDB may set a breakpoint at an address that is no instruction boundary;
 * the engine moves it to the next one, and the stop must then report the
 * address LLDB asked for (PROTOCOL.md). */
typedef struct break_map {
    uint32_t requested; /* file offset LLDB asked for */
    uint32_t actual;    /* code offset of the instruction */
} break_map;

struct wdbg {
    wdbg_opts opts;
    wde_engine *eng;
    wr_store *store;
    wr_module *mod;
    const uint8_t *bytes;
    size_t len;
    uint32_t code_sec; /* file offset of the Code section's contents */
    int wake[2];
    gs_target target;
    char name[64];
    char path[4096];
    break_map breaks[MAX_BREAKS];
    size_t nbreaks;
    pthread_mutex_t mu; /* breaks */
    int listen_fd;
    int first_fd; /* the connection accepted before the program started */
    pthread_t thread;
    pthread_t program_thread; /* the one running Wasm (wdbg_start's caller) */
    bool thread_started;
    volatile bool stopping;
    volatile bool killed; /* a debugger asked for kill */
    FILE *log;
};

/* ------------------------------------------------------------ addresses */

static uint64_t code_addr(wdbg *d, uint32_t code_offset)
{
    return wde_addr_code(0, wde_code_to_file(d->code_sec, code_offset));
}

/* An RSP code address of module 0 -> code offset; false otherwise. */
static bool addr_to_code(wdbg *d, uint64_t addr, uint32_t *code_offset)
{
    if (wde_addr_space(addr) != WDE_SPACE_CODE || wde_addr_module(addr) != 0) return false;
    if (addr & 0x3f00000000000000ull) return false; /* bits LLDB never sets */
    return wde_file_to_code(d->code_sec, wde_addr_offset(addr), code_offset);
}

/* The length of the call instruction at code offset off (call or
 * call_indirect: opcode + LEB128 immediates), 1 if it cannot be read. */
static uint32_t call_length(wdbg *d, uint32_t off)
{
    size_t at = (size_t)d->code_sec + off;
    if (at >= d->len) return 1;
    uint8_t op = d->bytes[at];
    int nimm = op == 0x10 ? 1 : op == 0x11 ? 2 : 0;
    size_t p = at + 1;
    for (int i = 0; i < nimm; i++) {
        int k = 0;
        while (p < d->len && (d->bytes[p] & 0x80) && k < 5) p++, k++;
        p++;
    }
    return (uint32_t)(p - at);
}

/* The address LLDB knows as the start of the function whose first
 * instruction is at code offset off: the function's DWARF low_pc, the
 * offset of its local declarations just past the body's size field. A
 * native function's entry pc equals its low_pc, and LLDB relies on that:
 * ThreadPlanStepInRange skips the prologue (runs to the line table's
 * prologue_end) only when a step into a function stops exactly at the
 * function's start address; stopped at the first instruction instead,
 * `step` shows the opening line with the frame base not yet set up, so
 * every variable read through it is garbage. (LLDB 22 still does not skip
 * the prologue: it gives every Wasm frame the same CFA, so the new frame
 * does not look younger; later LLDBs do.) Returns off itself when it is
 * not a function's first instruction. */
static uint32_t entry_alias(wdbg *d, uint32_t off)
{
    uint32_t func, start, end, first;
    if (wr_module_func_at(d->mod, off, &func) != WR_OK) return off;
    if (wr_module_func_range(d->mod, func, &start, &end) != WR_OK) return off;
    size_t p = (size_t)d->code_sec + start; /* the body's size: a LEB128 */
    while (p < d->len && (d->bytes[p] & 0x80)) p++;
    uint32_t low = start + (uint32_t)(p + 1 - ((size_t)d->code_sec + start));
    if (low >= off) return off;
    if (wr_debug_insn_at(d->store, d->mod, low, &first) != WR_OK || first != off) return off;
    return low;
}

/* ------------------------------------------------------------ target */

static void t_get_stop(void *user, gs_stop *out)
{
    wdbg *d = user;
    wde_stop s;
    wde_get_stop(d->eng, &s);
    memset(out, 0, sizeof *out);
    switch (s.state) {
    case WDE_RUNNING: out->state = GS_RUNNING; return;
    case WDE_EXITED:
        out->state = GS_EXITED;
        out->exit_code = s.exit_code;
        return;
    case WDE_STOPPED: break;
    }
    out->state = GS_STOPPED;
    out->pc = code_addr(d, s.code_offset);
    switch (s.reason) {
    case WR_DEBUG_ENTRY: out->reason = GS_REASON_ENTRY; break;
    case WR_DEBUG_BREAKPOINT: {
        out->reason = GS_REASON_BREAKPOINT;
        pthread_mutex_lock(&d->mu);
        for (size_t i = 0; i < d->nbreaks; i++) {
            if (d->breaks[i].actual == s.code_offset) {
                out->pc = wde_addr_code(0, d->breaks[i].requested);
                if (d->breaks[i].requested == wde_code_to_file(d->code_sec, s.code_offset)) break;
            }
        }
        pthread_mutex_unlock(&d->mu);
        break;
    }
    case WR_DEBUG_STEP:
        /* a step into a function: report its start, as a native target
         * would (traps and interrupts keep the instruction's own line) */
        out->reason = GS_REASON_STEP;
        out->pc = code_addr(d, entry_alias(d, s.code_offset));
        break;
    case WR_DEBUG_INTERRUPT: out->reason = GS_REASON_INTERRUPT; break;
    case WR_DEBUG_TRAP:
        out->reason = GS_REASON_TRAP;
        snprintf(out->description, sizeof out->description, "trap: %.200s (%s)", s.trap_msg,
                 wr_trap_name(s.trap));
        break;
    case WR_DEBUG_WATCH:
        out->reason = GS_REASON_WATCHPOINT;
        out->watch_addr = wde_addr_memory(0, (uint32_t)s.watch_addr);
        out->watch_kind = s.watch_kind == WR_WATCH_WRITE ? 2 : s.watch_kind == WR_WATCH_READ ? 3 : 4;
        break;
    }
}

static int t_resume(void *user, gs_action action, uint64_t start, uint64_t end)
{
    wdbg *d = user;
    switch (action) {
    case GS_CONTINUE: return wde_resume(d->eng, WR_DEBUG_CONTINUE, 0, 0);
    case GS_STEP: return wde_resume(d->eng, WR_DEBUG_STEP_INSN, 0, 0);
    case GS_RANGE_STEP: {
        uint32_t s, e;
        if (!addr_to_code(d, start, &s) || !addr_to_code(d, end, &e) || e < s) return -EINVAL;
        return wde_resume(d->eng, WR_DEBUG_STEP_RANGE, s, e);
    }
    }
    return -EINVAL;
}

static int t_interrupt(void *user) { return wde_interrupt(((wdbg *)user)->eng); }
static int t_kill(void *user)
{
    wdbg *d = user;
    d->killed = true;
    return wde_kill(d->eng);
}

static int t_detach(void *user)
{
    wdbg *d = user;
    pthread_mutex_lock(&d->mu);
    for (size_t i = 0; i < d->nbreaks; i++) wde_break(d->eng, d->breaks[i].actual, false, NULL);
    d->nbreaks = 0;
    pthread_mutex_unlock(&d->mu);
    return wde_detach(d->eng);
}

static int t_breakpoint(void *user, uint64_t addr, bool insert)
{
    wdbg *d = user;
    uint32_t off, actual = 0;
    if (!addr_to_code(d, addr, &off)) return -EINVAL;
    uint32_t file = wde_addr_offset(addr);
    pthread_mutex_lock(&d->mu);
    int rc = 0;
    if (insert) {
        if (d->nbreaks == MAX_BREAKS) {
            rc = -ENOSPC;
        } else {
            rc = wde_break(d->eng, off, true, &actual);
            if (rc == 0) d->breaks[d->nbreaks++] = (break_map){file, actual};
        }
    } else {
        rc = -ENOENT;
        for (size_t i = 0; i < d->nbreaks; i++) {
            if (d->breaks[i].requested != file) continue;
            actual = d->breaks[i].actual;
            d->breaks[i] = d->breaks[--d->nbreaks];
            rc = 0;
            /* another request may share the instruction: keep it then */
            bool shared = false;
            for (size_t k = 0; k < d->nbreaks; k++) shared |= d->breaks[k].actual == actual;
            if (!shared) rc = wde_break(d->eng, actual, false, NULL);
            break;
        }
    }
    pthread_mutex_unlock(&d->mu);
    return rc;
}

static int t_watchpoint(void *user, int kind, uint64_t addr, uint32_t len, bool insert)
{
    wdbg *d = user;
    if (wde_addr_space(addr) != WDE_SPACE_MEMORY || wde_addr_module(addr) != 0) return -EINVAL;
    wr_watch_kind k = kind == 2 ? WR_WATCH_WRITE : kind == 3 ? WR_WATCH_READ : WR_WATCH_ACCESS;
    return wde_watch(d->eng, wde_addr_offset(addr), len, k, insert);
}

static int t_call_stack(void *user, size_t first, uint64_t *pcs, size_t max, size_t *n,
                        size_t *total)
{
    wdbg *d = user;
    uint32_t offs[1024];
    size_t count = 0;
    if (max > 1024) max = 1024;
    int rc = wde_call_stack(d->eng, first, offs, max, &count, total);
    if (rc < 0) return rc;
    gs_stop st;
    t_get_stop(d, &st);
    for (size_t i = 0; i < count; i++) {
        if (first + i == 0) {
            pcs[i] = st.pc; /* as in the stop reply (a breakpoint's requested address) */
        } else {
            /* callers: the return address, just past the call instruction,
             * as for native frames; LLDB looks up pc - 1 for them */
            pcs[i] = code_addr(d, offs[i] + call_length(d, offs[i]));
        }
    }
    *n = count;
    return 0;
}

static int t_local(void *user, uint32_t frame, uint32_t index, uint8_t *buf, size_t *len)
{
    return wde_local(((wdbg *)user)->eng, frame, index, buf, len);
}

static int t_global(void *user, uint32_t frame, uint32_t index, uint8_t *buf, size_t *len)
{
    (void)frame; /* one instance: every frame sees the same globals */
    return wde_global(((wdbg *)user)->eng, index, buf, len);
}

static int t_stack_value(void *user, uint32_t frame, uint32_t index, uint8_t *buf, size_t *len)
{
    return wde_stack_value(((wdbg *)user)->eng, frame, index, buf, len);
}

static int t_read_memory(void *user, uint64_t addr, uint8_t *buf, size_t len, size_t *got)
{
    wdbg *d = user;
    *got = 0;
    if (wde_addr_module(addr) != 0) return -EFAULT;
    switch (wde_addr_space(addr)) {
    case WDE_SPACE_CODE:
        if (addr & 0x3f00000000000000ull) return -EFAULT;
        wde_read_module(d->eng, wde_addr_offset(addr), buf, len, got);
        return 0;
    case WDE_SPACE_MEMORY:
        wde_read_memory(d->eng, wde_addr_offset(addr), buf, len, got);
        return 0;
    default: return -EFAULT;
    }
}

static int t_write_memory(void *user, uint64_t addr, const uint8_t *buf, size_t len)
{
    wdbg *d = user;
    /* code is not writable: breakpoints are the way to change it */
    if (wde_addr_space(addr) != WDE_SPACE_MEMORY || wde_addr_module(addr) != 0) return -EFAULT;
    return wde_write_memory(d->eng, wde_addr_offset(addr), buf, len);
}

static int t_region(void *user, uint64_t addr, uint64_t *start, uint64_t *size, const char **perms)
{
    wdbg *d = user;
    if (wde_addr_space(addr) == WDE_SPACE_MEMORY && wde_addr_module(addr) == 0) {
        uint64_t msize = wde_memory_size(d->eng), off = wde_addr_offset(addr);
        if (off < msize) {
            *start = 0;
            *size = msize;
            *perms = "rw";
        } else {
            *start = msize;
            *size = 0x100000000ull - msize;
            *perms = "";
        }
        return 0;
    }
    uint64_t code0 = wde_addr_code(0, 0);
    if (addr >= code0 && addr < code0 + d->len) {
        *start = code0;
        *size = d->len;
        *perms = "rx";
        return 0;
    }
    /* unmapped: up to the code space, or to the end */
    *start = addr;
    *size = addr < code0 ? code0 - addr : 1;
    *perms = "";
    return 0;
}

/* The engine's listener. On the program's thread at a trap stop it first
 * runs opts.on_trap: the engine calls it from its hook, so the frames are
 * still live, and the stub has not been woken yet. */
static void wake(void *user)
{
    wdbg *d = user;
    if (d->opts.on_trap && pthread_equal(pthread_self(), d->program_thread)) {
        wde_stop s;
        wde_get_stop(d->eng, &s);
        if (s.state == WDE_STOPPED && s.reason == WR_DEBUG_TRAP)
            d->opts.on_trap(d->opts.on_trap_user, d->store);
    }
    char b = 1;
    (void)!write(d->wake[1], &b, 1);
}

/* ------------------------------------------------------------ threads */

static gs_end serve_one(wdbg *d, int fd)
{
    wde_set_attached(d->eng, true);
    gs_end how = gs_serve(&d->target, fd, d->log);
    if (how != GS_END_KILL && how != GS_END_EXITED) wde_set_attached(d->eng, false);
    return how;
}

/* Ends the process when a kill cannot reach the program (blocked in a host
 * call such as a read from a terminal): give it a moment to unwind first. */
static void after_kill(wdbg *d)
{
    for (int i = 0; i < 100; i++) {
        wde_stop s;
        wde_get_stop(d->eng, &s);
        if (s.state == WDE_EXITED) return;
        struct timespec ts = {0, 20 * 1000000L};
        nanosleep(&ts, NULL);
    }
    if (d->opts.fd < 0) fprintf(stderr, "wdb-run: killed by the debugger\n");
    _exit(137); /* EXIT_KILLED in wdb-run.c */
}

static void *server_main(void *arg)
{
    wdbg *d = arg;
    int fd = d->first_fd;
    d->first_fd = -1;
    for (;;) {
        if (fd < 0 && d->listen_fd >= 0 && !d->stopping) fd = gs_accept(d->listen_fd);
        if (fd < 0) break;
        gs_end how = serve_one(d, fd);
        close(fd);
        fd = -1;
        if (how == GS_END_KILL) {
            after_kill(d);
            break;
        }
        if (how == GS_END_EXITED || !d->opts.listen || d->opts.tty || d->opts.fd >= 0) break;
        wde_stop s;
        wde_get_stop(d->eng, &s);
        if (s.state == WDE_EXITED) break;
    }
    return NULL;
}

wdbg *wdbg_start(const wdbg_opts *opts, wr_store *store, wr_module *mod, wr_instance *inst,
                 const char *module_path, char *errbuf, size_t errlen)
{
    wdbg *d = calloc(1, sizeof *d);
    if (!d) {
        snprintf(errbuf, errlen, "out of memory");
        return NULL;
    }
    d->opts = *opts;
    d->program_thread = pthread_self();
    d->store = store;
    d->mod = mod;
    d->bytes = wr_module_bytes(mod, &d->len);
    d->code_sec = wr_module_code_section_offset(mod);
    d->listen_fd = d->first_fd = -1;
    d->wake[0] = d->wake[1] = -1;
    pthread_mutex_init(&d->mu, NULL);
    if (!realpath(module_path, d->path)) snprintf(d->path, sizeof d->path, "%s", module_path);
    const char *base = strrchr(module_path, '/');
    snprintf(d->name, sizeof d->name, "%s", base ? base + 1 : module_path);
    for (char *p = d->name; *p; p++)
        if (*p == ';' || *p == ':' || *p == '#' || *p == '$' || *p == '}' || *p == '*') *p = '_';
    if (opts->log_path && !(d->log = fopen(opts->log_path, "w"))) {
        snprintf(errbuf, errlen, "cannot open packet log %s: %s", opts->log_path, strerror(errno));
        goto fail;
    }
    if (pipe2(d->wake, O_CLOEXEC | O_NONBLOCK) != 0) {
        snprintf(errbuf, errlen, "pipe: %s", strerror(errno));
        goto fail;
    }
    if (!(d->eng = wde_new(store, mod, inst))) {
        snprintf(errbuf, errlen, "out of memory");
        goto fail;
    }
    wde_set_listener(d->eng, wake, d);
    d->target = (gs_target){
        .user = d,
        .module_path = d->path,
        .process_name = d->name,
        .wake_fd = d->wake[0],
        .get_stop = t_get_stop,
        .resume = t_resume,
        .interrupt = t_interrupt,
        .kill = t_kill,
        .detach = t_detach,
        .breakpoint = t_breakpoint,
        .watchpoint = t_watchpoint,
        .call_stack = t_call_stack,
        .wasm_local = t_local,
        .wasm_global = t_global,
        .wasm_stack_value = t_stack_value,
        .read_memory = t_read_memory,
        .write_memory = t_write_memory,
        .memory_region = t_region,
    };

    if (opts->fd >= 0) {
        /* `wdb app.wasm` starts us with one end of a socketpair: no port to
         * choose, nobody else can connect. One debugger, like a tty. */
        d->first_fd = opts->fd;
    } else if (opts->tty) {
        d->first_fd = gs_open_tty(opts->tty, opts->baud, errbuf, errlen);
        if (d->first_fd < 0) goto fail;
        if (!opts->listen) fprintf(stderr, "wdb-run: waiting for a debugger on %s\n", opts->tty);
    } else {
        int port = 0;
        d->listen_fd = gs_listen_tcp(opts->tcp, opts->allow_remote, &port, errbuf, errlen);
        if (d->listen_fd < 0) goto fail;
        if (!opts->listen) {
            fprintf(stderr, "wdb-run: waiting for a debugger on port %d\n", port);
            d->first_fd = gs_accept(d->listen_fd);
            if (d->first_fd < 0) {
                snprintf(errbuf, errlen, "accept: %s", strerror(errno));
                goto fail;
            }
        } else {
            fprintf(stderr, "wdb-run: debugger port %d\n", port);
        }
    }
    if (!opts->listen) {
        wde_set_attached(d->eng, true);
        wde_stop_at_entry(d->eng, true);
    }
    if (pthread_create(&d->thread, NULL, server_main, d) != 0) {
        snprintf(errbuf, errlen, "cannot start the debugger thread");
        goto fail;
    }
    d->thread_started = true;
    return d;
fail:
    wdbg_finish(d);
    return NULL;
}

bool wdbg_killed(const wdbg *d) { return d && d->killed; }

void wdbg_program_exited(wdbg *d, int status)
{
    if (d && d->eng) wde_notify_exit(d->eng, status, false);
}

void wdbg_finish(wdbg *d)
{
    if (!d) return;
    d->stopping = true;
    if (d->listen_fd >= 0) shutdown(d->listen_fd, SHUT_RDWR); /* wakes accept() */
    if (d->thread_started) pthread_join(d->thread, NULL);
    if (d->first_fd >= 0) close(d->first_fd); /* never served */
    if (d->listen_fd >= 0) close(d->listen_fd);
    if (d->eng) wde_free(d->eng);
    if (d->wake[0] >= 0) close(d->wake[0]);
    if (d->wake[1] >= 0) close(d->wake[1]);
    if (d->log) fclose(d->log);
    pthread_mutex_destroy(&d->mu);
    free(d);
}
