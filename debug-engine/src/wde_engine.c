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

/* WDE_REVERSE (wdb/debug_engine.h; host builds, with the runtime's
 * WR_TRACE): snapshots and reverse execution. */
#if WDE_REVERSE
#include <time.h>

/* Snapshots kept at most (older ones are thinned out beyond it). */
#define RV_MAX_SNAPS 512
/* Polls between snapshots at first (doubled when thinning). */
#define RV_FIRST_INTERVAL 4096u
/* the default limit of a program without linear memory */
#define RV_MIN_LIMIT (64u << 10)

typedef enum rv_mode { RV_NONE = 0, RV_SCAN, RV_GOTO } rv_mode;

/* A stop seen while re-executing: where, and what it reports. */
typedef struct rv_hit {
    wr_position pos;
    wr_debug_reason reason;
    uint64_t watch_addr;
    uint32_t watch_len;
    wr_watch_kind watch_kind;
} rv_hit;

typedef struct wde_rev {
    bool started, on;    /* the first stop was seen; snapshots work */
    wr_snapshot **snaps; /* by position, the first at the first stop */
    size_t n, cap;
    size_t bytes, limit;  /* held by snapshots; allowed (0: 2x memory) */
    uint64_t interval;    /* polls between snapshots */
    struct timespec last; /* when the last snapshot was taken */
    /* a request in progress */
    rv_mode mode;
    bool step;       /* reverse-stepi; else reverse-continue */
    bool stepping;   /* single steps (after the alarm) */
    size_t seg;      /* scanning from snapshot seg ... */
    wr_position end; /* ... to end (exclusive) */
    bool have_prev;  /* step: the last stop before end */
    wr_position prev;
    bool have_hit; /* continue: the last hit before end */
    rv_hit hit;
    rv_hit final;     /* goto: what the stop at final.pos reports */
    wr_snapshot *tmp; /* taken at a scan's alarm: a goto starts there */
    bool final_begin; /* ... and that it is the start of history */
} wde_rev;
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
#if WDE_REVERSE
    int rev_request; /* wde_reverse: 1 step, 2 continue, for the blocked hook */
    wde_rev rev;
#endif
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

#if WDE_REVERSE
/* ---------------------------------------------------- reverse execution
 *
 * All of it runs on the program's thread inside the hook, the lock held.
 * Snapshots are taken at the first stop and then every `interval` polls
 * (an alarm, wr_debug_alarm). Going back restores the latest snapshot
 * before the goal and re-executes (host calls replayed from the trace):
 *   - reverse-stepi: to the alarm one poll before the goal, then single
 *     steps; the last stop before the goal is the answer;
 *   - reverse-continue: forward from each snapshot (the latest first) to
 *     where the previous scan began, collecting breakpoint and watchpoint
 *     stops; the last one is the answer; with none before the first
 *     snapshot, its position is the start of history;
 *   - the answer is reached by restoring again and running to it (goto).
 * The debugger sees only the final stop. */

static bool pos_eq(const wr_position *a, const wr_position *b)
{
    return a->count == b->count && a->depth == b->depth && a->offset == b->offset;
}

static const wr_position *snap_pos(const wde_rev *v, size_t i)
{
    return wr_snapshot_position(v->snaps[i]);
}

static bool is_bp(const wde_engine *e, uint32_t offset)
{
    for (size_t i = 0; i < e->nbps; i++)
        if (e->bps[i] == offset) return true;
    return false;
}

static double secs(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* Arms the alarm of the next snapshot. */
static void rv_arm(wde_engine *e)
{
    wde_rev *v = &e->rev;
    wr_position now;
    if (!v->on || wr_debug_position(e->store, &now) != WR_OK) return;
    uint64_t next = snap_pos(v, v->n - 1)->count + v->interval;
    if (next <= now.count) next = now.count + v->interval;
    wr_debug_alarm(e->store, next);
}

/* The bytes snapshots may hold: the set limit, else twice the linear
 * memory (64 KiB without one). */
static size_t rv_limit(wde_engine *e)
{
    if (e->rev.limit) return e->rev.limit;
    uint64_t mem = wde_memory_size(e);
    return mem ? (size_t)(2 * mem) : (size_t)RV_MIN_LIMIT;
}

/* Thins the snapshots out (every other one, the first and the last kept)
 * while they hold more than allowed. */
static void rv_trim(wde_engine *e)
{
    wde_rev *v = &e->rev;
    size_t limit = rv_limit(e);
    while ((v->bytes > limit || v->n > RV_MAX_SNAPS) && v->n > 2) {
        size_t w = 1;
        for (size_t i = 1; i < v->n; i++) {
            if (i % 2 == 1 && i != v->n - 1) {
                wr_snapshot_free(v->snaps[i]);
                continue;
            }
            v->snaps[w++] = v->snaps[i];
        }
        v->n = w;
        v->interval *= 2;
    }
}

/* Takes a snapshot here (after the last one in the run). */
static void rv_snapshot(wde_engine *e)
{
    wde_rev *v = &e->rev;
    if (v->n == v->cap) {
        size_t nc = v->cap ? 2 * v->cap : 64;
        wr_snapshot **p = realloc(v->snaps, nc * sizeof *p);
        if (!p) return;
        v->snaps = p;
        v->cap = nc;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    wr_snapshot *prev = v->n ? v->snaps[v->n - 1] : NULL;
    wr_snapshot *sn = wr_debug_snapshot(e->store, prev, &v->bytes);
    if (!sn) return;
    if (prev && wr_snapshot_position(sn)->count <= snap_pos(v, v->n - 1)->count) {
        wr_snapshot_free(sn); /* not after the last: history has it */
        return;
    }
    v->snaps[v->n++] = sn;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    /* snapshots take at most about a tenth of the run's time */
    if (prev && secs(&v->last, &t0) < 10 * secs(&t0, &t1)) v->interval *= 2;
    v->last = t1;
    rv_trim(e);
}

/* The index of the latest snapshot strictly before p (or at it, when
 * `at_too`), or -1. Positions at one count follow the snapshot at it. */
static long rv_before(const wde_rev *v, const wr_position *p, bool at_too)
{
    for (size_t i = v->n; i-- > 0;) {
        const wr_position *q = snap_pos(v, i);
        if (q->count < p->count || (q->count == p->count && (at_too || !pos_eq(q, p))))
            return (long)i;
    }
    return -1;
}

/* Back from re-execution: the watchpoints are checked again. */
static void rv_done(wde_engine *e)
{
    wde_rev *v = &e->rev;
    v->mode = RV_NONE;
    wr_debug_watch_pause(e->store, false);
    wr_snapshot_free(v->tmp);
    v->tmp = NULL;
}

/* Whether every watched range holds the same bytes in snapshot a and in b
 * (NULL: memory now): then no write changed them in between. */
static bool rv_watched_same(wde_engine *e, const wr_snapshot *a, const wr_snapshot *b)
{
    wr_memory *m = wr_instance_memory(e->inst, 0);
    uint8_t x[64], y[64];
    for (size_t i = 0; i < e->nwatches; i++) {
        uint64_t at = e->watches[i].addr;
        for (uint64_t left = e->watches[i].len; left;) {
            size_t n = left < sizeof x ? (size_t)left : sizeof x;
            if (!m || wr_snapshot_read(a, m, at, x, n) != WR_OK) return false;
            if (b) {
                if (wr_snapshot_read(b, m, at, y, n) != WR_OK) return false;
            } else {
                if (at + n > wr_memory_size(m)) return false;
                memcpy(y, wr_memory_data(m) + at, n);
            }
            if (memcmp(x, y, n)) return false;
            at += n;
            left -= n;
        }
    }
    return true;
}

static void rv_final_here(wde_engine *e, wr_debug_event *fin)
{
    wde_rev *v = &e->rev;
    rv_done(e);
    memset(fin, 0, sizeof *fin);
    fin->reason = v->final.reason;
    fin->watch_addr = v->final.watch_addr;
    fin->watch_len = v->final.watch_len;
    fin->watch_kind = v->final.watch_kind;
    v->mode = RV_NONE;
    rv_arm(e);
}

/* Restores snapshot sn and sets how to run on (to the alarm of count
 * `alarm` first when that is later than the snapshot). */
static bool rv_restore(wde_engine *e, const wr_snapshot *sn, uint64_t alarm, wr_debug_resume *r)
{
    wde_rev *v = &e->rev;
    if (wr_debug_restore(e->store, sn) != WR_OK) return false;
    const wr_position *q = wr_snapshot_position(sn);
    v->stepping = alarm <= q->count;
    if (!v->stepping) wr_debug_alarm(e->store, alarm);
    r->action = v->stepping ? WR_DEBUG_STEP_INSN : WR_DEBUG_CONTINUE;
    return true;
}

/* Runs to position t (goto). 1: on the way; 2: there now (fin set). */
static int rv_goto(wde_engine *e, const rv_hit *t, bool begin, wr_debug_resume *r,
                   wr_debug_event *fin)
{
    wde_rev *v = &e->rev;
    v->final = *t;
    v->final_begin = begin;
    /* no watchpoint matters on the way to a known point */
    wr_debug_watch_pause(e->store, true);
    long i = rv_before(v, &t->pos, true);
    const wr_snapshot *sn = i >= 0 ? v->snaps[i] : NULL;
    if (v->tmp && wr_snapshot_position(v->tmp)->count <= t->pos.count &&
        (!sn || wr_snapshot_position(v->tmp)->count >= wr_snapshot_position(sn)->count))
        sn = v->tmp;
    if (!sn || !rv_restore(e, sn, t->pos.count, r)) {
        v->final_begin = true; /* cannot go there: stay, at the edge of history */
        rv_final_here(e, fin);
        return 2;
    }
    v->mode = RV_GOTO;
    if (pos_eq(wr_snapshot_position(sn), &t->pos)) {
        rv_final_here(e, fin);
        return 2;
    }
    return 1;
}

/* Scans forward from snapshot seg to v->end. */
static int rv_scan(wde_engine *e, size_t seg, wr_debug_resume *r, wr_debug_event *fin)
{
    wde_rev *v = &e->rev;
    v->mode = RV_SCAN;
    v->seg = seg;
    /* watchpoints only where a watched byte changed (a write of the same
     * value elsewhere is not seen): their checks slow every instruction */
    const wr_snapshot *endsn =
        seg + 1 < v->n && pos_eq(&v->end, snap_pos(v, seg + 1)) ? v->snaps[seg + 1] : NULL;
    wr_debug_watch_pause(e->store, v->step || rv_watched_same(e, v->snaps[seg], endsn));
    uint64_t alarm = v->step && v->end.count > 0 ? v->end.count - 1 : v->end.count;
    if (!rv_restore(e, v->snaps[seg], alarm, r)) {
        rv_hit here = {.reason = WR_DEBUG_STEP};
        wr_debug_position(e->store, &here.pos);
        v->final = here;
        v->final_begin = true;
        rv_final_here(e, fin);
        return 2;
    }
    const wr_position *q = snap_pos(v, seg);
    /* the snapshot's own stop: an instruction, maybe at a breakpoint (the
     * restore resumes past it, so it is not reported again) */
    v->have_prev = true;
    v->prev = *q;
    if (!v->step && is_bp(e, q->offset)) {
        v->have_hit = true;
        memset(&v->hit, 0, sizeof v->hit);
        v->hit.pos = *q;
        v->hit.reason = WR_DEBUG_BREAKPOINT;
    }
    return 1;
}

/* The scan reached v->end. */
static int rv_scan_done(wde_engine *e, wr_debug_resume *r, wr_debug_event *fin)
{
    wde_rev *v = &e->rev;
    if (v->step) {
        rv_hit t = {.pos = v->prev, .reason = WR_DEBUG_STEP};
        return rv_goto(e, &t, false, r, fin);
    }
    if (v->have_hit) {
        rv_hit t = v->hit;
        return rv_goto(e, &t, false, r, fin);
    }
    if (v->seg == 0) {
        rv_hit t = {.pos = *snap_pos(v, 0), .reason = WR_DEBUG_STEP};
        return rv_goto(e, &t, true, r, fin);
    }
    v->end = *snap_pos(v, v->seg);
    return rv_scan(e, v->seg - 1, r, fin);
}

/* A reverse request at the stop the hook reported. */
static int rv_begin(wde_engine *e, int req, wr_debug_resume *r, wr_debug_event *fin)
{
    wde_rev *v = &e->rev;
    wr_position now;
    v->step = req == 1;
    v->have_hit = v->have_prev = false;
    if (!v->on || wr_debug_position(e->store, &now) != WR_OK) {
        memset(fin, 0, sizeof *fin);
        fin->reason = WR_DEBUG_STEP;
        v->final_begin = true;
        return 2;
    }
    if (v->step && e->stop.reason == WR_DEBUG_TRAP) {
        /* back from a trap: to just before the instruction that trapped */
        rv_hit t = {.pos = now, .reason = WR_DEBUG_STEP};
        return rv_goto(e, &t, false, r, fin);
    }
    long i = rv_before(v, &now, false);
    if (i < 0) {
        /* nothing before: stay, at the start of history */
        v->final.reason = WR_DEBUG_STEP;
        v->final_begin = true;
        memset(fin, 0, sizeof *fin);
        fin->reason = WR_DEBUG_STEP;
        return 2;
    }
    v->end = now;
    return rv_scan(e, (size_t)i, r, fin);
}

/* Every stop comes here first. 0: an ordinary stop; 1: handled, resume as
 * r says; 2: report fin (a reverse request ended). */
static int rv_on_stop(wde_engine *e, const wr_debug_event *ev, wr_debug_resume *r,
                      wr_debug_event *fin)
{
    wde_rev *v = &e->rev;
    if (!v->started) {
        v->started = true;
        v->interval = RV_FIRST_INTERVAL;
        clock_gettime(CLOCK_MONOTONIC, &v->last);
        rv_snapshot(e);
        v->on = v->n > 0;
        if (v->on) rv_arm(e);
    }
    if (!v->on) return 0;
    if (v->mode == RV_NONE) {
        if (!ev->alarm) return 0;
        rv_snapshot(e);
        rv_arm(e);
        r->action = WR_DEBUG_CONTINUE;
        return 1;
    }
    if (ev->reason == WR_DEBUG_TRAP || ev->reason == WR_DEBUG_ENTRY) {
        /* re-execution cannot trap where the run did not */
        rv_done(e);
        return 0;
    }
    wr_position pos;
    if (wr_debug_position(e->store, &pos) != WR_OK) {
        rv_done(e);
        return 0;
    }
    if (ev->alarm) {
        v->stepping = true;
        if (v->mode == RV_SCAN) {
            /* the goto that follows the scan starts here, not at a snapshot
             * further back */
            wr_snapshot_free(v->tmp);
            v->tmp = wr_debug_snapshot(e->store, v->n ? v->snaps[v->n - 1] : NULL, &v->bytes);
        }
    }
    if (v->mode == RV_GOTO) {
        if (pos_eq(&pos, &v->final.pos)) {
            rv_final_here(e, fin);
            return 2;
        }
    } else if (pos_eq(&pos, &v->end)) {
        int rc = rv_scan_done(e, r, fin);
        if (rc == 2) return 2;
        return 1;
    } else {
        if (v->stepping) {
            v->have_prev = true;
            v->prev = pos;
        }
        if (!v->step && !ev->alarm &&
            (ev->reason == WR_DEBUG_BREAKPOINT || ev->reason == WR_DEBUG_WATCH)) {
            v->have_hit = true;
            v->hit.pos = pos;
            v->hit.reason = ev->reason;
            v->hit.watch_addr = ev->watch_addr;
            v->hit.watch_len = ev->watch_len;
            v->hit.watch_kind = ev->watch_kind;
        }
    }
    r->action = v->stepping ? WR_DEBUG_STEP_INSN : WR_DEBUG_CONTINUE;
    return 1;
}

static void rv_free(wde_engine *e)
{
    wr_snapshot_free(e->rev.tmp);
    for (size_t i = 0; i < e->rev.n; i++)
        wr_snapshot_free(e->rev.snaps[i]);
    free(e->rev.snaps);
}
#endif

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
#if WDE_REVERSE
    wr_debug_event fin;
    bool begin = false;
    switch (rv_on_stop(e, ev, r, &fin)) {
    case 1: UNLOCK(e); return;
    case 2:
        ev = &fin;
        begin = e->rev.final_begin;
        e->interrupt_requested = false;
        goto report;
    default: break;
    }
#endif
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
#if WDE_REVERSE
report:;
#endif
    wde_stop *s = &e->stop;
    memset(s, 0, sizeof *s);
    s->state = WDE_STOPPED;
#if WDE_REVERSE
    s->history_begin = begin;
#endif
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
#if WDE_REVERSE
    if (!e->kill_requested && e->rev_request) {
        int req = e->rev_request;
        e->rev_request = 0;
        int rc = rv_begin(e, req, r, &fin);
        if (rc == 2) {
            ev = &fin;
            begin = e->rev.final_begin;
            goto report;
        }
        e->stop.state = WDE_RUNNING;
        BROADCAST(e);
        UNLOCK(e);
        return;
    }
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
#if WDE_REVERSE
    rv_free(e);
#endif
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

#if WDE_REVERSE
int wde_reverse(wde_engine *e, bool step)
{
    int rc = lock_stopped(e);
    if (rc) return rc;
    if (!e->rev.on) {
        UNLOCK(e);
        return -ENOTSUP;
    }
    e->rev_request = step ? 1 : 2;
    e->resumed = true;
    e->stop.state = WDE_RUNNING;
    BROADCAST(e);
    UNLOCK(e);
    return 0;
}

bool wde_can_reverse(wde_engine *e)
{
    LOCK(e);
    bool on = e->rev.started ? e->rev.on : wr_trace_active(e->store);
    UNLOCK(e);
    return on;
}

void wde_set_history_limit(wde_engine *e, size_t bytes)
{
    LOCK(e);
    e->rev.limit = bytes;
    UNLOCK(e);
}

void wde_history_info(wde_engine *e, wde_history *out)
{
    LOCK(e);
    memset(out, 0, sizeof *out);
    out->snapshots = e->rev.n;
    out->bytes = e->rev.bytes;
    out->limit = rv_limit(e);
    if (e->rev.n) {
        out->first = snap_pos(&e->rev, 0)->count;
        out->last = snap_pos(&e->rev, e->rev.n - 1)->count;
    }
    UNLOCK(e);
}
#endif

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
