/*
 * The debug engine: a monitor between the program's thread (blocked in the
 * runtime's debug hook while stopped) and the debugger's thread.
 */
#include "wdb/debug_engine.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* WDE_THREADS=0 builds the engine for a system without threads (a device):
 * only the single-threaded mode (wde_set_server) exists there, and the
 * lock is not needed. */
#ifndef WDE_THREADS
#define WDE_THREADS 1
#endif
#if WDE_THREADS
#include <pthread.h>
#include <time.h>
#define LOCK(e) pthread_mutex_lock(&(e)->mu)
#define UNLOCK(e) pthread_mutex_unlock(&(e)->mu)
#define BROADCAST(e) pthread_cond_broadcast(&(e)->cv)
#else
#define LOCK(e) ((void)0)
#define UNLOCK(e) ((void)0)
#define BROADCAST(e) ((void)0)
#endif

struct wde_engine {
    wr_store *store;
    wr_module *mod;
    wr_instance *inst;
#if WDE_THREADS
    pthread_mutex_t mu;
    pthread_cond_t cv; /* state changes, both directions */
#endif
    /* single-threaded mode: serves the debugger while the program is
     * stopped (wde_set_server) */
    int (*serve)(void *user);
    void *serve_user;
    wde_stop stop;
    bool attached;
    bool kill_requested;
    bool interrupt_requested;
    bool entry_expected; /* wde_stop_at_entry: the first stop is on its way */
    /* set by wde_resume for the blocked hook */
    bool resumed;
    wr_debug_action action;
    uint32_t range_start, range_end;
    void (*listener)(void *user);
    void *listener_user;
    /* what the debugger inserted, removed again by wde_detach */
    uint32_t *bps;
    size_t nbps, cap_bps;
    struct {
        uint64_t addr;
        uint32_t len;
        wr_watch_kind kind;
    } watches[WR_MAX_WATCHPOINTS];
    size_t nwatches;
    bool clear_pending; /* detached while running: the next stop removes them */
};

/* Removes every breakpoint and watchpoint inserted through the engine. Only
 * while the program cannot run (stopped, in the hook, or not started). */
static void clear_all(wde_engine *e)
{
    for (size_t i = 0; i < e->nbps; i++)
        wr_debug_break_clear(e->store, e->mod, e->bps[i]);
    e->nbps = 0;
    for (size_t i = 0; i < e->nwatches; i++)
        wr_debug_watch_clear(e->store, e->watches[i].addr, e->watches[i].len, e->watches[i].kind);
    e->nwatches = 0;
    e->clear_pending = false;
}

static void notify(wde_engine *e)
{
    if (e->listener) e->listener(e->listener_user);
}

/* The runtime's hook: runs on the program's thread. */
static void hook(wr_store *store, const wr_debug_event *ev, wr_debug_resume *r, void *user)
{
    wde_engine *e = user;
    LOCK(e);
    if (e->kill_requested) {
        r->action = WR_DEBUG_KILL;
        UNLOCK(e);
        return;
    }
    if (e->clear_pending) {
        clear_all(e);
        /* a breakpoint or watchpoint of the debugger that detached while
         * the program ran: not a stop for anyone, even if a new debugger
         * attached meanwhile (its interrupt, if it asked for one, stays
         * pending and stops the program at the next poll) */
        if (ev->reason == WR_DEBUG_BREAKPOINT || ev->reason == WR_DEBUG_WATCH) {
            r->action = WR_DEBUG_CONTINUE;
            UNLOCK(e);
            return;
        }
    }
    bool requested = ev->reason == WR_DEBUG_INTERRUPT && e->interrupt_requested;
    /* An interrupt asked for while the program reached another stop (its
     * entry, a breakpoint): this stop answers it. wde_interrupt sets the
     * runtime's flag under the lock, so it is set by now and is dropped
     * here, or it would stop the program again, unasked, after a resume. */
    if (e->interrupt_requested && !requested) wr_store_cancel_interrupt(store);
    e->interrupt_requested = false;
    if (!e->attached && !requested) {
        /* nobody is looking: run on */
        r->action = WR_DEBUG_CONTINUE;
        UNLOCK(e);
        return;
    }
    e->entry_expected = false;
    wde_stop *s = &e->stop;
    memset(s, 0, sizeof *s);
    s->state = WDE_STOPPED;
    s->reason = ev->reason;
    wr_frame_info fi;
    if (wr_debug_frame(store, 0, &fi) == WR_OK) s->code_offset = fi.code_offset;
    s->trap = ev->trap;
    if (ev->trap_msg) snprintf(s->trap_msg, sizeof s->trap_msg, "%s", ev->trap_msg);
    s->watch_addr = ev->watch_addr;
    s->watch_kind = ev->watch_kind;
    e->resumed = false;
    BROADCAST(e);
    UNLOCK(e);
    notify(e);

    if (e->serve) {
        /* single-threaded: the debugger is served here, on the program's
         * thread, until it resumes, detaches or kills the program; a
         * server that fails (the channel is gone for good) detaches */
        while (!e->resumed && !e->kill_requested)
            if (e->serve(e->serve_user) < 0) wde_detach(e);
    }
    LOCK(e);
#if WDE_THREADS
    while (!e->resumed && !e->kill_requested)
        pthread_cond_wait(&e->cv, &e->mu);
#endif
    if (e->kill_requested) {
        r->action = WR_DEBUG_KILL;
    } else {
        r->action = e->action;
        r->range_start = e->range_start;
        r->range_end = e->range_end;
    }
    e->stop.state = WDE_RUNNING;
    BROADCAST(e);
    UNLOCK(e);
}

wde_engine *wde_new(wr_store *store, wr_module *mod, wr_instance *inst)
{
    wde_engine *e = calloc(1, sizeof *e);
    if (!e) return NULL;
    e->store = store;
    e->mod = mod;
    e->inst = inst;
#if WDE_THREADS
    pthread_mutex_init(&e->mu, NULL);
    pthread_cond_init(&e->cv, NULL);
#endif
    e->stop.state = WDE_RUNNING;
    e->resumed = true; /* running until the first stop */
    wr_debug_set_hook(store, hook, e);
    return e;
}

void wde_free(wde_engine *e)
{
    if (!e) return;
    wr_debug_set_hook(e->store, NULL, NULL);
    free(e->bps);
#if WDE_THREADS
    pthread_cond_destroy(&e->cv);
    pthread_mutex_destroy(&e->mu);
#endif
    free(e);
}

void wde_set_server(wde_engine *e, int (*serve)(void *user), void *user)
{
    LOCK(e);
    e->serve = serve;
    e->serve_user = user;
    UNLOCK(e);
}

void wde_set_listener(wde_engine *e, void (*fn)(void *user), void *user)
{
    LOCK(e);
    e->listener = fn;
    e->listener_user = user;
    UNLOCK(e);
}

void wde_set_attached(wde_engine *e, bool attached)
{
    LOCK(e);
    e->attached = attached;
    UNLOCK(e);
}

void wde_stop_at_entry(wde_engine *e, bool on)
{
    LOCK(e);
    e->entry_expected = on;
    UNLOCK(e);
    wr_debug_stop_at_entry(e->store, on);
}

void wde_notify_exit(wde_engine *e, int exit_code, bool by_trap)
{
    LOCK(e);
    memset(&e->stop, 0, sizeof e->stop);
    e->stop.state = WDE_EXITED;
    e->stop.exit_code = exit_code;
    e->stop.exited_by_trap = by_trap;
    /* requests for this run end with it */
    e->kill_requested = false;
    e->interrupt_requested = false;
    e->entry_expected = false;
    BROADCAST(e);
    UNLOCK(e);
    notify(e);
}

void wde_get_stop(wde_engine *e, wde_stop *out)
{
    LOCK(e);
    *out = e->stop;
    UNLOCK(e);
}

#if WDE_THREADS
/* The CLOCK_REALTIME time ms milliseconds from now, for
 * pthread_cond_timedwait. */
static struct timespec deadline_in(int ms)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    t.tv_sec += ms / 1000;
    t.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}
#endif
wde_state wde_wait_stop(wde_engine *e, int timeout_ms)
{
#if WDE_THREADS
    struct timespec until = deadline_in(timeout_ms < 0 ? 0 : timeout_ms);
    LOCK(e);
    while (e->stop.state == WDE_RUNNING) {
        if (timeout_ms < 0) {
            pthread_cond_wait(&e->cv, &e->mu);
        } else if (pthread_cond_timedwait(&e->cv, &e->mu, &until) == ETIMEDOUT) {
            break;
        }
    }
    wde_state s = e->stop.state;
    UNLOCK(e);
    return s;
#else
    (void)timeout_ms; /* nothing else runs the program: it is as it is */
    return e->stop.state;
#endif
}

/* Locks the engine and checks the program is stopped (0) or not (-EBUSY,
 * unlocked again). */
static int lock_stopped(wde_engine *e)
{
    LOCK(e);
#if WDE_THREADS
    /* a program on its way to its entry stop (wdb-run -g) is as good as
     * stopped: a debugger's first request (a `c` right after connecting)
     * may come before the program's thread gets there, so wait for that
     * stop (at most 5 s) rather than answer "running" */
    if (e->stop.state == WDE_RUNNING && e->entry_expected) {
        struct timespec until = deadline_in(5000);
        while (e->stop.state == WDE_RUNNING && e->entry_expected)
            if (pthread_cond_timedwait(&e->cv, &e->mu, &until) == ETIMEDOUT) break;
    }
#endif
    if (e->stop.state != WDE_STOPPED) {
        UNLOCK(e);
        return -EBUSY;
    }
    return 0;
}

int wde_resume(wde_engine *e, wr_debug_action action, uint32_t range_start, uint32_t range_end)
{
    int rc = lock_stopped(e);
    if (rc) return rc;
    e->action = action;
    e->range_start = range_start;
    e->range_end = range_end;
    e->resumed = true;
    e->stop.state = WDE_RUNNING;
    BROADCAST(e);
    UNLOCK(e);
    return 0;
}

int wde_interrupt(wde_engine *e)
{
    LOCK(e);
    /* the runtime's flag is set under the lock: the hook, which takes it,
     * sees the request and the flag together (see hook). A program on its
     * way to its entry stop is not interrupted: that stop answers (a
     * debugger's first `?` to `wdb-run -g` then always sees the entry). */
    if (e->stop.state == WDE_RUNNING && !e->entry_expected) {
        e->interrupt_requested = true;
        wr_store_interrupt(e->store);
    }
    UNLOCK(e);
    return 0;
}

int wde_kill(wde_engine *e)
{
    LOCK(e);
    bool exited = e->stop.state == WDE_EXITED;
    bool running = e->stop.state == WDE_RUNNING;
    if (!exited) e->kill_requested = true;
    /* a stopped program is woken to die: it is not stopped any more (a
     * wde_wait_stop right after must wait for the exit) */
    if (e->stop.state == WDE_STOPPED) e->stop.state = WDE_RUNNING;
    BROADCAST(e);
    UNLOCK(e);
    /* a running program notices at its next poll and the hook kills it; a
     * stopped one is woken above. Interrupting a stopped program would leave
     * the request pending for the next run. */
    if (running) wr_store_interrupt(e->store);
    return 0;
}

int wde_detach(wde_engine *e)
{
    LOCK(e);
    e->attached = false;
    bool stopped = e->stop.state == WDE_STOPPED;
    if (e->stop.state == WDE_RUNNING)
        e->clear_pending = true; /* the program thread clears them at its next stop */
    else
        clear_all(e);
    if (stopped) {
        e->action = WR_DEBUG_CONTINUE;
        e->resumed = true;
        e->stop.state = WDE_RUNNING;
    }
    BROADCAST(e);
    UNLOCK(e);
    return 0;
}

static int status_errno(wr_status st)
{
    switch (st) {
    case WR_OK: return 0;
    case WR_NOT_FOUND: return -ENOENT;
    case WR_ERR_NOMEM: return -ENOMEM;
    case WR_ERR_LIMIT: return -ENOSPC;
    default: return -EINVAL;
    }
}

/* Remembers an inserted breakpoint (once) or forgets a removed one. */
static void track_break(wde_engine *e, uint32_t at, bool insert)
{
    size_t i = 0;
    while (i < e->nbps && e->bps[i] != at)
        i++;
    if (!insert) {
        if (i < e->nbps) e->bps[i] = e->bps[--e->nbps];
        return;
    }
    if (i < e->nbps) return;
    if (e->nbps == e->cap_bps) {
        size_t nc = e->cap_bps ? 2 * e->cap_bps : 16;
        uint32_t *p = realloc(e->bps, nc * sizeof *p);
        if (!p) return; /* it stays set; detach cannot remove it */
        e->bps = p;
        e->cap_bps = nc;
    }
    e->bps[e->nbps++] = at;
}

int wde_break(wde_engine *e, uint32_t code_offset, bool insert, uint32_t *actual)
{
    /* breakpoints may be changed before the program starts and while stopped */
    LOCK(e);
    if (e->stop.state == WDE_RUNNING) {
        UNLOCK(e);
        return -EBUSY;
    }
    uint32_t at = code_offset;
    wr_status st = wr_debug_insn_at(e->store, e->mod, code_offset, &at);
    if (st == WR_OK)
        st = insert ? wr_debug_break_set(e->store, e->mod, at)
                    : wr_debug_break_clear(e->store, e->mod, at);
    if (st == WR_OK) track_break(e, at, insert);
    UNLOCK(e);
    if (st == WR_OK && actual) *actual = at;
    return status_errno(st);
}

int wde_watch(wde_engine *e, uint64_t addr, uint32_t len, wr_watch_kind kind, bool insert)
{
    LOCK(e);
    if (e->stop.state == WDE_RUNNING) {
        UNLOCK(e);
        return -EBUSY;
    }
    wr_memory *m = wr_instance_memory(e->inst, 0);
    wr_status st;
    if (!m || len == 0 || addr + len > wr_memory_size(m))
        st = WR_ERR_ARG;
    else
        st = insert ? wr_debug_watch_set(e->store, addr, len, kind)
                    : wr_debug_watch_clear(e->store, addr, len, kind);
    if (st == WR_OK) {
        size_t i = 0;
        while (i < e->nwatches && !(e->watches[i].addr == addr && e->watches[i].len == len &&
                                    e->watches[i].kind == kind))
            i++;
        if (!insert && i < e->nwatches) {
            e->watches[i] = e->watches[--e->nwatches];
        } else if (insert && i == e->nwatches && i < sizeof e->watches / sizeof e->watches[0]) {
            e->watches[i].addr = addr;
            e->watches[i].len = len;
            e->watches[i].kind = kind;
            e->nwatches++;
        }
    }
    UNLOCK(e);
    return st == WR_ERR_ARG ? -EFAULT : status_errno(st);
}

int wde_call_stack(wde_engine *e, size_t first, uint32_t *code_offsets, size_t max, size_t *n,
                   size_t *total)
{
    int rc = lock_stopped(e);
    if (rc) return rc;
    uint32_t count = wr_debug_frame_count(e->store);
    if (total) *total = count;
    size_t k = 0;
    for (size_t i = first; i < count && k < max; i++) {
        wr_frame_info fi;
        if (wr_debug_frame(e->store, (uint32_t)i, &fi) != WR_OK) break;
        code_offsets[k++] = fi.code_offset;
    }
    *n = k;
    UNLOCK(e);
    return 0;
}

static size_t val_bytes(const wr_val *v, uint8_t *buf)
{
    switch (v->type) {
    case WR_I32:
    case WR_F32: memcpy(buf, &v->of.u32, 4); return 4;
#ifdef WR_FEATURE_SIMD
    case WR_V128: memcpy(buf, v->of.v128, 16); return 16;
#endif
    default: memcpy(buf, &v->of.u64, 8); return 8;
    }
}

int wde_local(wde_engine *e, uint32_t frame, uint32_t index, uint8_t *buf, size_t *len)
{
    int rc = lock_stopped(e);
    if (rc) return rc;
    wr_val v;
    wr_status st = wr_debug_local(e->store, frame, index, &v);
    if (st == WR_OK) *len = val_bytes(&v, buf);
    UNLOCK(e);
    return status_errno(st);
}

int wde_global(wde_engine *e, uint32_t index, uint8_t *buf, size_t *len)
{
    int rc = lock_stopped(e);
    if (rc) return rc;
    wr_global *g =
        index < wr_instance_global_count(e->inst) ? wr_instance_global(e->inst, index) : NULL;
    if (g) {
        wr_val v;
        wr_global_get(g, &v);
        *len = val_bytes(&v, buf);
    }
    UNLOCK(e);
    return g ? 0 : -ENOENT;
}

int wde_stack_value(wde_engine *e, uint32_t frame, uint32_t index, uint8_t *buf, size_t *len)
{
    int rc = lock_stopped(e);
    if (rc) return rc;
    wr_val v;
    wr_status st = wr_debug_stack_value(e->store, frame, index, &v);
    if (st == WR_OK) *len = val_bytes(&v, buf);
    UNLOCK(e);
    return status_errno(st);
}

uint64_t wde_memory_size(wde_engine *e)
{
    wr_memory *m = wr_instance_memory(e->inst, 0);
    return m ? wr_memory_size(m) : 0;
}

int wde_read_memory(wde_engine *e, uint64_t addr, uint8_t *buf, size_t len, size_t *got)
{
    int rc = lock_stopped(e);
    if (rc) return rc;
    wr_memory *m = wr_instance_memory(e->inst, 0);
    uint64_t size = m ? wr_memory_size(m) : 0;
    size_t n = addr >= size ? 0 : (size - addr < len ? (size_t)(size - addr) : len);
    if (n) memcpy(buf, wr_memory_data(m) + addr, n);
    *got = n;
    UNLOCK(e);
    return n == len ? 0 : -EFAULT;
}

int wde_write_memory(wde_engine *e, uint64_t addr, const uint8_t *buf, size_t len)
{
    int rc = lock_stopped(e);
    if (rc) return rc;
    wr_memory *m = wr_instance_memory(e->inst, 0);
    uint64_t size = m ? wr_memory_size(m) : 0;
    bool ok = addr <= size && len <= size - addr;
    if (ok && len) memcpy(wr_memory_data(m) + addr, buf, len);
    UNLOCK(e);
    return ok ? 0 : -EFAULT;
}

int wde_read_module(wde_engine *e, uint64_t file_offset, uint8_t *buf, size_t len, size_t *got)
{
    size_t size;
    const uint8_t *bytes = wr_module_bytes(e->mod, &size);
    size_t n =
        file_offset >= size ? 0 : (size - file_offset < len ? (size_t)(size - file_offset) : len);
    if (n) memcpy(buf, bytes + file_offset, n);
    *got = n;
    return n == len ? 0 : -EFAULT;
}

/* ---------------------------------------------------- RSP addresses */

/* RSP addresses themselves: wdb/wasm_rsp.h */

uint32_t wde_code_to_file(uint32_t code_section_file_offset, uint32_t code_offset)
{
    return code_section_file_offset + code_offset;
}

bool wde_file_to_code(uint32_t code_section_file_offset, uint32_t file_offset,
                      uint32_t *code_offset)
{
    if (file_offset < code_section_file_offset) return false;
    *code_offset = file_offset - code_section_file_offset;
    return true;
}
