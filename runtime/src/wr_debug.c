/*
 * The runtime's debugging support: breakpoints, stepping, watchpoints,
 * frame inspection, and the slow paths the interpreter calls.
 *
 * Stops only happen in debug translations (wr_code.h), at a `dbg` op that
 * precedes the instruction about to run, so every stop is "before
 * instruction X" with the whole operand stack materialized. Resuming skips
 * that `dbg` op. A frame moves from the normal to the debug translation of
 * its function only at sync points (entry, loop head, call return), where
 * both translations have the same frame layout.
 */
#include "wr_interp.h"
#include "wdb/wasm_ops.h"

#include <string.h>

static const void *H(wr_opcode op)
{
    return WR_HANDLER(wr_interp_handlers(), op);
}

static wr_interp *paused(wr_store *store)
{
    wr_interp *it = store->interp;
    return it && it->paused ? it : NULL;
}

/* A position in code's normal translation, moved to the same sync point of
 * its debug translation; other positions are returned unchanged. */
static const wr_op *to_debug(wr_code *code, const wr_op *ip)
{
    if (!code->dbg || !code->normal.ops || ip < code->normal.ops ||
        ip > code->normal.ops + code->normal.nops)
        return ip;
    const wr_ops *n = wr_code_normal_map(code); /* the normal translation keeps no sync list */
    if (!n) return ip;
    uint32_t ir = (uint32_t)(ip - code->normal.ops);
    uint32_t lo = 0, hi = n->nsyncs;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (n->syncs[mid] < ir)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < n->nsyncs && n->syncs[lo] == ir && lo < code->dbg->nsyncs)
        return code->dbg->ops + code->dbg->syncs[lo];
    return ip;
}

/* Moves the frames of `only` (or of every function when NULL) to debug
 * translations, making them as needed. */
static void frames_to_debug(wr_interp *it, wr_code *only)
{
    if (it->code && (!only || it->code == only) && wr_code_make_debug(it->code, NULL) == WR_OK)
        it->ip = to_debug(it->code, it->ip);
    for (wr_cframe *c = it->cs; c < it->csp; c++)
        if (c->code && (!only || c->code == only) && wr_code_make_debug(c->code, NULL) == WR_OK)
            c->ret_ip = to_debug(c->code, c->ret_ip);
}

#ifdef WR_TRACE
void wr_debug_after_restore(wr_interp *it)
{
    frames_to_debug(it, NULL);
}
#endif

/* Moves the innermost frame (at a sync point) to its debug translation. */
static void current_to_debug(wr_interp *it)
{
    if (it->code && wr_code_make_debug(it->code, NULL) == WR_OK)
        it->ip = to_debug(it->code, it->ip);
}

static void set_poll_step(wr_store *store, bool on)
{
    if (on)
        __atomic_or_fetch(&store->interrupt, WR_POLL_STEP, __ATOMIC_SEQ_CST);
    else
        __atomic_and_fetch(&store->interrupt, ~WR_POLL_STEP, __ATOMIC_SEQ_CST);
}

/* ------------------------------------------------------ watchpoints */

/* Bytes accessed by the load/store op at ip, 0 for other ops. */
static uint32_t access_size(const wr_op *ip, bool *write)
{
    const void *h = ip->h;
#define XL(name, N, ...)                                                                           \
    if (h == H(WR_OP_##name)) {                                                                    \
        *write = false;                                                                            \
        return N;                                                                                  \
    }
#define XS(name, N)                                                                                \
    if (h == H(WR_OP_##name)) {                                                                    \
        *write = true;                                                                             \
        return N;                                                                                  \
    }
    WR_LOADS(XL)
    WR_STORES(XS)
#undef XL
#undef XS
#ifdef WR_FEATURE_SIMD
    if (h == H(WR_OP_simd_mem)) return wr_simd_mem_size((uint32_t)ip[3].s.b & 0xffu, write);
#endif
    return 0;
}

void wr_debug_check_access(wr_interp *it, uint64_t addr, uint64_t len, bool write)
{
    for (uint32_t i = 0; i < it->nwatch; i++) {
        wr_watch *w = &it->watch[i];
        if (!(w->kind & (write ? WR_WATCH_WRITE : WR_WATCH_READ))) continue;
        if (addr < w->addr + w->len && w->addr < addr + len) {
            it->watch_hit = true;
            it->watch_event = *w;
            it->watch_access = write ? WR_WATCH_WRITE : WR_WATCH_READ;
            return;
        }
    }
}

/* Leaves the dbg op at it->ip: checks the instruction it guards against the
 * watchpoints, then moves past it. */
static void leave_dbg(wr_interp *it)
{
    if (it->ip->h != H(WR_OP_dbg) && it->ip->h != H(WR_OP_brk)) return;
    if (it->nwatch) {
        bool write = false;
        uint32_t n = access_size(it->ip + 1, &write);
        if (n) {
            uint64_t ea = (uint64_t)(uint32_t)it->fp[it->ip[2].s.b] + it->ip[3].u;
            wr_debug_check_access(it, ea, n, write);
        }
    }
    it->ip += 1;
}

/* ------------------------------------------------------ stops */

/* The code offset of the instruction at it->ip (wr_code_offset_of), for
 * the checks a step makes at every instruction: from the position of the
 * previous lookup when ip is at or past it (straight-line code), so a step
 * over a line costs no pc-map search per instruction. */
static uint32_t step_offset(wr_interp *it)
{
    const wr_ops *o = wr_code_ops_of(it->code, it->ip);
    if (!o) return 0;
    uint32_t ir = (uint32_t)(it->ip - o->ops);
    if (!o->debug) return wr_ops_offset_at(o, ir); /* a rebuilt map: not kept */
    wr_pc pc = it->seek_pc;
    bool from = o == it->seek_ops && pc.ir <= ir;
    if (!(from ? wr_pc_seek_ir_from(o, ir, &pc) : wr_pc_seek_ir(o, ir, &pc))) return 0;
    it->seek_ops = o;
    it->seek_pc = pc;
    return pc.off;
}

/* A tail call (return_call*) replaces the stepped frame with the callee's,
 * at the same depth. Stepping over one, an instruction or a line that ends
 * in one, runs until that frame would have returned, as a step out does:
 * otherwise the step would end at the callee's first instruction when it
 * runs its debug translation and after the return when not. Called at the
 * dbg op before the instruction about to run. */
static void step_over_tail_call(wr_interp *it)
{
    if (!it->code || (it->step != WR_DEBUG_STEP_OVER_INSN && it->step != WR_DEBUG_STEP_RANGE) ||
        wr_interp_depth(it) != it->step_depth)
        return;
    const wr_module *m = it->code->mod;
    uint32_t at = m->code_section_offset + step_offset(it);
    if (at < m->len &&
        (m->bytes[at] == WASM_OP_return_call || m->bytes[at] == WASM_OP_return_call_indirect))
        it->step = WR_DEBUG_STEP_OUT;
}

/* Ends any step in progress. */
static void step_off(wr_store *store, wr_interp *it)
{
    it->step = WR_DEBUG_CONTINUE;
    it->frames_debug = false;
    set_poll_step(store, it->entry_pending);
}

static inline __attribute__((always_inline)) void apply_resume(wr_store *store, wr_interp *it,
                                                               wr_debug_resume *r, bool leave);

/* Reports a stop to the hook and applies its answer. `leave`: resume past
 * the dbg/brk op at it->ip (false when another stop at the same op follows). */
static void stop_at(wr_store *store, wr_interp *it, wr_debug_event *ev, bool leave)
{
    if (!it->hook) {
        /* the hook went away while a step or an entry stop was pending */
        step_off(store, it);
        if (leave) leave_dbg(it);
        return;
    }
    wr_debug_resume r;
    memset(&r, 0, sizeof r);
#ifdef WR_TRACE
    it->rewound = false;
#endif
    it->paused = true;
    it->hook(store, ev, &r, it->hook_user);
    it->paused = false;
    apply_resume(store, it, &r, leave);
}

/* Applies the hook's answer at a stop. */
static inline __attribute__((always_inline)) void apply_resume(wr_store *store, wr_interp *it,
                                                               wr_debug_resume *r, bool leave)
{
#ifdef WR_TRACE
    if (it->rewound) leave = true; /* wr_debug_restore: resume past its stop */
#endif
    if (r->action == WR_DEBUG_KILL) {
        it->killed = true;
        step_off(store, it);
        return;
    }
    /* unsigned: enums may be one unsigned byte (arm-none-eabi short enums) */
    if ((unsigned)r->action > WR_DEBUG_KILL) r->action = WR_DEBUG_CONTINUE;
    it->step = r->action;
    it->step_depth = wr_interp_depth(it);
    it->range_start = r->range_start;
    it->range_end = r->range_end;
    it->seek_ops = NULL;
    set_poll_step(store, r->action == WR_DEBUG_STEP_INSN || it->entry_pending);
    if (r->action != WR_DEBUG_CONTINUE) {
        /* every caller must come back through a dbg op to end the step
         * there. While only STEP_INSN runs, every frame entered or returned
         * to is in its debug translation already (entries switch through the
         * poll word), so the walk over the whole stack is needed once. */
        if (!it->frames_debug) frames_to_debug(it, NULL);
        it->frames_debug = r->action == WR_DEBUG_STEP_INSN;
        step_over_tail_call(it);
    } else {
        it->frames_debug = false;
    }
    if (leave) leave_dbg(it);
}

static void stop(wr_store *store, wr_interp *it, wr_debug_event *ev)
{
    stop_at(store, it, ev, true);
}

static bool stop_simple(wr_store *store, wr_interp *it, wr_debug_reason reason)
{
    wr_debug_event ev;
    memset(&ev, 0, sizeof ev);
    ev.reason = reason;
    stop(store, it, &ev);
    return !it->killed;
}

/* Reports the watchpoint hit by the previous instruction. */
static void stop_watch(wr_store *store, wr_interp *it, bool leave)
{
    it->watch_hit = false;
    wr_debug_event ev;
    memset(&ev, 0, sizeof ev);
    ev.reason = WR_DEBUG_WATCH;
    ev.watch_addr = it->watch_event.addr;
    ev.watch_len = it->watch_event.len;
    ev.watch_kind = it->watch_access;
    stop_at(store, it, &ev, leave);
}

bool wr_debug_on_dbg(wr_store *store, wr_interp *it)
{
    if (it->watch_hit) {
        stop_watch(store, it, true);
        return !it->killed;
    }
    bool now = false;
    uint32_t depth = wr_interp_depth(it);
    switch (it->step) {
    case WR_DEBUG_STEP_INSN: now = true; break;
    case WR_DEBUG_STEP_OVER_INSN: now = depth <= it->step_depth; break;
    case WR_DEBUG_STEP_RANGE:
        if (depth < it->step_depth) {
            now = true;
        } else if (depth == it->step_depth) {
            uint32_t off = step_offset(it);
            now = off < it->range_start || off >= it->range_end;
        }
        break;
    case WR_DEBUG_STEP_OUT: now = depth < it->step_depth; break;
    default: break;
    }
    if (now) return stop_simple(store, it, WR_DEBUG_STEP);
    step_over_tail_call(it);
    leave_dbg(it);
    return true;
}

bool wr_debug_on_brk(wr_store *store, wr_interp *it)
{
    if (!it->hook) {
        it->watch_hit = false;
        leave_dbg(it);
        return true;
    }
    if (it->watch_hit) {
        /* the previous instruction hit a watchpoint: report both, in order */
        stop_watch(store, it, false);
        if (it->killed) return false;
#ifdef WR_TRACE
        if (it->rewound) return true; /* the hook moved the program elsewhere */
#endif
    }
    return stop_simple(store, it, WR_DEBUG_BREAKPOINT);
}

bool wr_debug_on_poll(wr_store *store, wr_interp *it, bool at_entry)
{
    int p = __atomic_load_n(&store->interrupt, __ATOMIC_SEQ_CST);
    if ((p & WR_POLL_SERVICE) && !(at_entry && it->entry_pending)) {
        /* cleared before the call: a request made while it runs (bytes
         * that arrived after it read the channel) is served at the next
         * poll. It may ask for an interrupt, which this poll then takes.
         * Not before an entry stop due here: the debugger's first packets
         * (a `c`) are for the stopped program, and the stop serves them. */
        __atomic_and_fetch(&store->interrupt, ~WR_POLL_SERVICE, __ATOMIC_SEQ_CST);
        if (store->service) store->service(store, store->service_user);
        p = __atomic_load_n(&store->interrupt, __ATOMIC_SEQ_CST);
    }
#ifdef WR_TRACE
    bool alarm = false;
    if ((p & WR_POLL_FUEL) && store->fuel == 0 && it->alarm) {
        /* wr_debug_alarm: the fuel held back comes back, and this poll,
         * the one that reaches the count asked for, stops */
        store->fuel = store->fuel_reserve;
        store->fuel_reserve = 0;
        it->alarm = false;
        alarm = true;
    }
#endif
    if (p & WR_POLL_FUEL) {
        if (store->fuel == 0) {
            it->out_of_fuel = true;
            return false; /* traps: "out of fuel" */
        }
        store->fuel--;
    }
#ifdef WR_TRACE
    if (alarm && it->hook) {
        /* a step in progress goes on after an alarm the hook answers with
         * CONTINUE (a snapshot was taken, nothing else happened) */
        wr_debug_action step = it->step;
        uint32_t depth = it->step_depth, rs = it->range_start, re = it->range_end;
        bool fd = it->frames_debug;
        wr_debug_event ev;
        memset(&ev, 0, sizeof ev);
        ev.reason = WR_DEBUG_INTERRUPT;
        ev.alarm = true;
        const wr_op *ip = it->ip; /* where it ran before current_to_debug */
        wr_code *code = it->code;
        current_to_debug(it);
        /* not past the instruction it stopped before: a step may end there */
        stop_at(store, it, &ev, false);
        if (!it->killed && !it->rewound && step == WR_DEBUG_CONTINUE &&
            it->step == WR_DEBUG_CONTINUE && it->code == code) {
            /* nothing changed: on in the translation it ran (a snapshot
             * must not leave a loop in the slower debug translation) */
            it->ip = ip;
        } else if (!it->killed && !it->rewound && it->step == WR_DEBUG_CONTINUE &&
                   step != WR_DEBUG_CONTINUE) {
            it->step = step;
            it->step_depth = depth;
            it->range_start = rs;
            it->range_end = re;
            it->frames_debug = fd;
            set_poll_step(store, step == WR_DEBUG_STEP_INSN || it->entry_pending);
            if (!fd) frames_to_debug(it, NULL);
        }
        return !it->killed;
    }
#endif
    if (p & WR_POLL_INTERRUPT) {
        __atomic_and_fetch(&store->interrupt, ~WR_POLL_INTERRUPT, __ATOMIC_SEQ_CST);
        if (!it->hook) {
            it->killed = false;
            return false;
        }
        /* The program stops before the entry stop it was to make: that
         * stop is this one. Left pending, it would come at the next call
         * after a continue, a stop nobody asked for (a debugger attaching
         * to `wdb-run -g` interrupts when its first query finds the
         * program not yet at its entry). */
        it->entry_pending = false;
        current_to_debug(it);
        return stop_simple(store, it, WR_DEBUG_INTERRUPT);
    }
    if (at_entry && it->entry_pending) {
        it->entry_pending = false;
        set_poll_step(store, it->step == WR_DEBUG_STEP_INSN);
        if (!it->hook) return true;
        current_to_debug(it);
        return stop_simple(store, it, WR_DEBUG_ENTRY);
    }
    if (at_entry && it->step == WR_DEBUG_STEP_INSN) {
        /* stepping into a call: continue in the debug translation so the
         * first instruction's dbg op stops */
        current_to_debug(it);
    }
    return true;
}

void wr_debug_on_trap(wr_store *store, wr_interp *it, wr_trap_kind kind, const char *msg)
{
    wr_debug_event ev;
    memset(&ev, 0, sizeof ev);
    ev.reason = WR_DEBUG_TRAP;
    ev.trap = kind;
    ev.trap_msg = msg;
    wr_debug_resume r;
    memset(&r, 0, sizeof r);
#ifdef WR_TRACE
    it->rewound = false;
#endif
    it->paused = true;
    it->hook(store, &ev, &r, it->hook_user);
    it->paused = false;
#ifdef WR_TRACE
    if (it->rewound) {
        /* wr_debug_restore: the program runs on from the snapshot (the
         * interpreter sees rewound and does not unwind) */
        apply_resume(store, it, &r, true);
        return;
    }
#endif
    /* the frames unwind: no step survives, nor an access the trap stopped */
    it->watch_hit = false;
    step_off(store, it);
}

void wr_debug_on_exit(wr_store *store, wr_interp *it)
{
    it->watch_hit = false;
    it->killed = false;
    if (it->step != WR_DEBUG_CONTINUE) step_off(store, it);
}

/* ------------------------------------------------------ public API */

void wr_debug_set_hook(wr_store *store, wr_debug_hook hook, void *user)
{
    wr_interp *it = wr_interp_get(store);
    if (!it) return;
    it->hook = hook;
    it->hook_user = user;
    if (!hook) {
        it->entry_pending = false;
        it->stop_at_entry = false;
        step_off(store, it);
    }
}

void wr_debug_stop_at_entry(wr_store *store, bool on)
{
    wr_interp *it = wr_interp_get(store);
    if (it) it->stop_at_entry = on;
}

/* The defined function of mod containing code_offset, with its debug
 * translation (made now if needed: also for a function never called). */
static wr_code *code_at(wr_module *mod, uint32_t code_offset)
{
    uint32_t fi;
    if (wr_module_func_at(mod, code_offset, &fi) != WR_OK) return NULL;
    if (fi >= mod->nfuncs || fi < mod->nfunc_imports) return NULL;
    wr_code *code = wr_code_get(mod, fi);
    if (!code) return NULL;
    if (wr_code_make_debug(code, NULL) != WR_OK) return NULL;
    return code;
}

/* Positions *pc at the first pcmap entry of the debug translation whose
 * instruction starts at or after code_offset and is guarded by a dbg/brk op;
 * false if there is none. The one-pass translator emits in source order, so
 * offsets never decrease along the pcmap. */
static bool first_insn_from(const wr_code *code, uint32_t code_offset, wr_pc *pc)
{
    const wr_ops *o = code->dbg;
    const void *hd = H(WR_OP_dbg), *hb = H(WR_OP_brk);
    if (!wr_pc_seek_off(o, code_offset, pc)) return false;
    do {
        const void *h = o->ops[pc->ir].h;
        if (h == hd || h == hb) return true;
    } while (wr_pc_next(o, pc));
    return false;
}

/* Index in the debug translation of the dbg/brk op for code_offset, or -1. */
static int64_t dbg_op_at(const wr_code *code, uint32_t code_offset)
{
    wr_pc pc;
    if (!first_insn_from(code, code_offset, &pc) || pc.off != code_offset) return -1;
    return pc.ir;
}

wr_status wr_debug_insn_at(wr_store *store, wr_module *mod, uint32_t code_offset,
                           uint32_t *insn_offset)
{
    (void)store;
    wr_code *code = code_at(mod, code_offset);
    wr_pc pc;
    if (!code || !first_insn_from(code, code_offset, &pc)) return WR_NOT_FOUND;
    *insn_offset = pc.off;
    return WR_OK;
}

static bool watching(wr_store *store)
{
    return store->interp && store->interp->nwatch > 0;
}

wr_status wr_debug_break_set(wr_store *store, wr_module *mod, uint32_t code_offset)
{
    wr_code *code = code_at(mod, code_offset);
    if (!code) return WR_ERR_ARG;
    int64_t ir = dbg_op_at(code, code_offset);
    if (ir < 0) return WR_ERR_ARG;
    wr_op *op = &code->dbg->ops[ir];
    if (op->h == H(WR_OP_brk)) return WR_OK;
    op->h = H(WR_OP_brk);
    code->nbreaks++;
    code->active = code->dbg->ops;
    if (store->interp) frames_to_debug(store->interp, code);
    return WR_OK;
}

wr_status wr_debug_break_clear(wr_store *store, wr_module *mod, uint32_t code_offset)
{
    wr_code *code = code_at(mod, code_offset);
    if (!code) return WR_ERR_ARG;
    int64_t ir = dbg_op_at(code, code_offset);
    if (ir < 0) return WR_ERR_ARG;
    wr_op *op = &code->dbg->ops[ir];
    if (op->h != H(WR_OP_brk)) return WR_NOT_FOUND;
    op->h = H(WR_OP_dbg);
    code->nbreaks--;
    if (code->nbreaks == 0 && !watching(store)) wr_code_use_normal(code);
    return WR_OK;
}

/* Points every function of the store at its debug translation (on) or back
 * to the normal one where no breakpoint needs the debug one (off). */
static void all_debug(wr_store *store, bool on)
{
    for (wr_module *m = store->modules; m; m = m->next_in_store)
        for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++) {
            wr_code *code = m->funcs[i].code;
            if (!code) continue;
            if (on) {
                if (wr_code_make_debug(code, NULL) == WR_OK) code->active = code->dbg->ops;
            } else if (code->nbreaks == 0) {
                wr_code_use_normal(code);
            }
        }
}

wr_status wr_debug_watch_set(wr_store *store, uint64_t addr, uint32_t len, wr_watch_kind kind)
{
    wr_interp *it = wr_interp_get(store);
    if (!it) return WR_ERR_NOMEM;
    if (len == 0 || !(kind & WR_WATCH_ACCESS)) return WR_ERR_ARG;
    for (uint32_t i = 0; i < it->nwatch; i++)
        if (it->watch[i].addr == addr && it->watch[i].len == len && it->watch[i].kind == kind)
            return WR_OK;
    if (it->nwatch == WR_MAX_WATCH) return WR_ERR_LIMIT;
    it->watch[it->nwatch].addr = addr;
    it->watch[it->nwatch].len = len;
    it->watch[it->nwatch].kind = kind;
    if (it->nwatch++ == 0) {
        all_debug(store, true);
        frames_to_debug(it, NULL);
    }
    return WR_OK;
}

wr_status wr_debug_watch_clear(wr_store *store, uint64_t addr, uint32_t len, wr_watch_kind kind)
{
    wr_interp *it = store->interp;
    if (!it) return WR_NOT_FOUND;
    for (uint32_t i = 0; i < it->nwatch; i++) {
        wr_watch *w = &it->watch[i];
        if (w->addr == addr && w->len == len && w->kind == kind) {
            *w = it->watch[--it->nwatch];
            if (it->nwatch == 0) {
                it->watch_hit = false;
                all_debug(store, false);
            }
            return WR_OK;
        }
    }
    return WR_NOT_FOUND;
}

#ifdef WR_TRACE
wr_status wr_debug_watch_pause(wr_store *store, bool pause)
{
    wr_interp *it = store->interp;
    if (!it) return WR_ERR_ARG;
    if (pause && !it->watch_paused && it->nwatch) {
        it->watch_paused = it->nwatch;
        it->nwatch = 0;
        it->watch_hit = false;
    } else if (!pause && it->watch_paused) {
        it->nwatch = it->watch_paused;
        it->watch_paused = 0;
        /* functions first called meanwhile got normal translations */
        all_debug(store, true);
        frames_to_debug(it, NULL);
    }
    return WR_OK;
}
#endif

/* ------------------------------------------------------ inspection */

typedef struct fref {
    wr_code *code;
    const wr_op *ip;
    bool ret; /* ip is a return address (an outer frame) */
    uint64_t *fp;
    wr_instance *inst;
} fref;

static bool get_frame(wr_store *store, uint32_t n, fref *out)
{
    wr_interp *it = paused(store);
    if (!it || !it->code) return false;
    if (n == 0) {
        out->code = it->code;
        out->ip = it->ip;
        out->ret = false;
        out->fp = it->fp;
        out->inst = it->inst;
        return true;
    }
    /* the invocation's frames are base..csp-1, innermost last, no boundary
     * among them */
    if (!it->base || n > (uint64_t)(it->csp - it->base)) return false;
    const wr_cframe *c = it->csp - n;
    out->code = c->code;
    out->ip = c->ret_ip;
    out->ret = true;
    out->fp = c->fp;
    out->inst = c->inst;
    return true;
}

uint32_t wr_debug_frame_count(wr_store *store)
{
    wr_interp *it = paused(store);
    if (!it || !it->code || !it->base) return 0;
    return (uint32_t)(it->csp - it->base) + 1;
}

/* Locals of a frame that lie inside the value stack: all of them, except in
 * a function whose entry trapped because its frame did not fit. */
static uint32_t frame_locals(wr_store *store, const fref *f)
{
    uint64_t room = (uint64_t)(store->interp->stack_end - f->fp) / WR_VSLOTS;
    return f->code->nlocals < room ? f->code->nlocals : (uint32_t)room;
}

wr_status wr_debug_frame(wr_store *store, uint32_t frame, wr_frame_info *out)
{
    fref f;
    if (!get_frame(store, frame, &f)) return WR_NOT_FOUND;
    out->inst = f.inst;
    out->func_index = f.code->func_index;
    out->code_offset = wr_code_offset_of(f.code, f.ip, f.ret);
    return WR_OK;
}

uint32_t wr_debug_local_count(wr_store *store, uint32_t frame)
{
    fref f;
    return get_frame(store, frame, &f) ? frame_locals(store, &f) : 0;
}

static wr_valtype local_type(const wr_code *code, uint32_t i)
{
    if (i < code->type->nparams) return code->type->params[i];
    const wr_module *mod = code->mod;
    return (wr_valtype)wr_func_local_types(mod, &mod->funcs[code->func_index], NULL,
                                           i - code->type->nparams);
}

static void to_val(wr_valtype t, uint64_t bits, wr_val *out)
{
    memset(out, 0, sizeof *out);
    out->type = t;
    switch (t) {
    case WR_I32:
    case WR_F32: out->of.u32 = (uint32_t)bits; break;
    case WR_FUNCREF: out->of.func = (wr_func *)(uintptr_t)bits; break;
    case WR_EXTERNREF: out->of.ext = (void *)(uintptr_t)bits; break;
#if WR_FEATURE_EH
    case WR_EXNREF: out->of.exn = (wr_exn *)(uintptr_t)bits; break;
#endif
    default: out->of.u64 = bits; break;
    }
}

/* The value of type t in the value's slots at s (a v128: both). */
static void slots_to_val(wr_valtype t, const uint64_t *s, wr_val *out)
{
    to_val(t, s[0], out);
#ifdef WR_FEATURE_SIMD
    if (t == WR_V128) memcpy(out->of.v128, s, 16);
#endif
}

wr_status wr_debug_local(wr_store *store, uint32_t frame, uint32_t index, wr_val *out)
{
    fref f;
    if (!get_frame(store, frame, &f) || index >= frame_locals(store, &f)) return WR_NOT_FOUND;
    slots_to_val(local_type(f.code, index), &f.fp[index * WR_VSLOTS], out);
    return WR_OK;
}

wr_status wr_debug_set_local(wr_store *store, uint32_t frame, uint32_t index, const wr_val *v)
{
    fref f;
    if (!get_frame(store, frame, &f) || index >= frame_locals(store, &f)) return WR_NOT_FOUND;
    if (!v) return WR_ERR_ARG;
    wr_valtype t = local_type(f.code, index);
    if (v->type != t) return WR_ERR_ARG;
    index *= WR_VSLOTS;
    if (t == WR_I32 || t == WR_F32)
        f.fp[index] = v->of.u32;
    else if (t == WR_FUNCREF)
        f.fp[index] = (uint64_t)(uintptr_t)v->of.func;
    else if (t == WR_EXTERNREF)
        f.fp[index] = (uint64_t)(uintptr_t)v->of.ext;
#if WR_FEATURE_EH
    else if (t == WR_EXNREF)
        f.fp[index] = (uint64_t)(uintptr_t)v->of.exn;
#endif
#ifdef WR_FEATURE_SIMD
    else if (t == WR_V128)
        memcpy(&f.fp[index], v->of.v128, 16);
#endif
    else
        f.fp[index] = v->of.u64;
    return WR_OK;
}

static uint32_t frame_depth(const fref *f)
{
    const wr_op *at = f->ret ? f->ip - 1 : f->ip;
    const wr_ops *o = wr_code_ops_of(f->code, at);
    if (!o) return 0;
    wr_pc pc;
    if (!wr_pc_seek_ir(o, (uint32_t)(at - o->ops), &pc)) return 0;
    if (f->ret) {
        /* a call op: its args start at the canonical slot of the depth below them */
        int32_t base = o->ops[pc.ir + 1].s.a / (int32_t)WR_VSLOTS;
        return base >= (int32_t)f->code->nlocals ? (uint32_t)base - f->code->nlocals : 0;
    }
    if (!o->depths) return 0;
    /* at a trap ip is the instruction's own op, translated after its
     * operands were popped: the depth before the instruction is the one of
     * its dbg/brk op, the last one up to here at the same offset */
    const void *hd = H(WR_OP_dbg), *hb = H(WR_OP_brk);
    uint32_t depth = o->depths[pc.i];
    wr_pc q;
    if (wr_pc_seek_off(o, pc.off, &q)) {
        for (;;) {
            const void *h = o->ops[q.ir].h;
            if (h == hd || h == hb) depth = o->depths[q.i];
            if (q.i >= pc.i || !wr_pc_next(o, &q)) break;
        }
    }
    return depth;
}

uint32_t wr_debug_stack_depth(wr_store *store, uint32_t frame)
{
    fref f;
    return get_frame(store, frame, &f) ? frame_depth(&f) : 0;
}

wr_status wr_debug_stack_value(wr_store *store, uint32_t frame, uint32_t index, wr_val *out)
{
    fref f;
    if (!get_frame(store, frame, &f) || index >= frame_depth(&f)) return WR_NOT_FOUND;
    /* the operand stack's types are not kept: a value's first slot, as an
     * i64 (a v128's low half) */
    to_val(WR_I64, f.fp[(f.code->nlocals + index) * WR_VSLOTS], out);
    return WR_OK;
}
