/*
 * Unit tests of the runtime's debugging support (the wr_debug_* API of
 * runtime/include/wdb/runtime.h, runtime/src/wr_debug.c and the debug
 * translation of wr_compile.c): breakpoints, golden instruction-by-instruction
 * step sequences (as Lua's hook tests do), step over/range/out, frame
 * inspection, changing a local, watchpoints, traps, interrupts from another
 * thread and killing.
 *
 * The module is hand-assembled from instruction lists (debug_module.c), so the
 * test knows the code offset of every instruction (off(F, i) is instruction i
 * of function F).
 * A few checks look at the runtime's private state (runtime/src) to prove a
 * function is back on its normal translation.
 */
#include "wdb/runtime.h"
#include "wr_code.h"

#include "debug_module.h"
#include "wdb_check.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------ the hook */

typedef struct stop_rec {
    wr_debug_reason reason;
    uint32_t func, off, nframes;
    wr_trap_kind trap;
    uint64_t waddr;
    wr_watch_kind wkind;
} stop_rec;

#define MAX_STOPS 256

typedef struct recorder {
    stop_rec stops[MAX_STOPS];
    int n;                         /* recorded (at most MAX_STOPS) */
    long total;                    /* all stops */
    wr_debug_action dflt;          /* answer when the script has none */
    const wr_debug_resume *script; /* answers for the first nscript stops */
    int nscript;
    void (*inspect)(wr_store *store, struct recorder *r, int k, const wr_debug_event *ev);
} recorder;

static void rec_hook(wr_store *store, const wr_debug_event *ev, wr_debug_resume *res, void *user)
{
    recorder *r = user;
    int k = r->n;
    if (k < MAX_STOPS) {
        stop_rec *s = &r->stops[k];
        wr_frame_info fi;
        memset(s, 0, sizeof *s);
        s->reason = ev->reason;
        s->nframes = wr_debug_frame_count(store);
        if (wr_debug_frame(store, 0, &fi) == WR_OK) {
            s->func = fi.func_index;
            s->off = fi.code_offset;
        } else {
            s->func = UINT32_MAX;
        }
        s->trap = ev->trap;
        s->waddr = ev->watch_addr;
        s->wkind = ev->watch_kind;
        r->n++;
    }
    if (r->inspect) r->inspect(store, r, k, ev);
    __atomic_add_fetch(&r->total, 1, __ATOMIC_SEQ_CST); /* interrupt_main reads it */
    if (k < r->nscript)
        *res = r->script[k];
    else
        res->action = r->dflt;
}

static void rec_reset(recorder *r)
{
    memset(r, 0, sizeof *r);
    r->dflt = WR_DEBUG_CONTINUE;
}

/* ------------------------------------------------------ fixtures */

typedef struct fixture {
    wr_store *store;
    wr_module *mod;
    wr_instance *inst;
    wr_func *f[NFUNCS];
    recorder rec;
} fixture;

/* Loads the module in a new store; a failure counts as a failed check. */
static bool fixture_new(fixture *fx)
{
    wr_error err = {0};
    memset(fx, 0, sizeof *fx);
    fx->store = wr_store_new(NULL);
    if (!fx->store || !debug_module_load(fx->store, &fx->mod, &fx->inst, fx->f, &err)) {
        CHECK_FAILED("cannot load the test module: %s", err.msg);
        return false;
    }
    rec_reset(&fx->rec);
    wr_debug_set_hook(fx->store, rec_hook, &fx->rec);
    return true;
}

static void fixture_free(fixture *fx)
{
    wr_store_free(fx->store);
}

/* Calls a one-result function with one or two i32 args. */
static wr_status call(fixture *fx, int f, int nargs, int32_t a, int32_t b, int32_t *result,
                      wr_error *err)
{
    wr_val args[2], res[1];
    wr_error e;
    args[0].type = args[1].type = WR_I32;
    args[0].of.i32 = a;
    args[1].of.i32 = b;
    memset(res, 0, sizeof res);
    const wr_functype *ft = wr_func_type(fx->f[f]);
    wr_status st = wr_func_call(fx->f[f], args, (size_t)nargs, res, ft->nresults, err ? err : &e);
    if (result) *result = res[0].of.i32;
    return st;
}

static bool stop_is(const stop_rec *s, wr_debug_reason reason, int f, int i)
{
    bool ok = s->reason == reason && s->func == (uint32_t)f && s->off == off(f, i);
    if (!ok)
        fprintf(stderr, "  stop: reason %d func %u off %u, expected reason %d func %d off %u\n",
                s->reason, s->func, s->off, reason, f, off(f, i));
    return ok;
}

/* ------------------------------------------------------ tests */

static void test_breakpoints(void)
{
    fixture fx;
    if (!fixture_new(&fx)) return;
    uint32_t at = 0, start = 0, end = 0;
    int32_t r = 0;

    /* instruction boundaries */
    CHECK_EQ(wr_module_func_range(fx.mod, F_MAIN, &start, &end), WR_OK);
    CHECK_EQ(wr_debug_insn_at(fx.store, fx.mod, start, &at), WR_OK);
    CHECK_EQ(at, off(F_MAIN, 0));
    CHECK_EQ(wr_debug_insn_at(fx.store, fx.mod, off(F_MAIN, 10) + 1, &at), WR_OK);
    CHECK_EQ(at, off(F_MAIN, 12)); /* 11 is dead code: no boundary there */
    CHECK_EQ(wr_debug_insn_at(fx.store, fx.mod, off(F_MAIN, 22), &at), WR_OK);
    CHECK_EQ(at, off(F_MAIN, 23));
    CHECK_EQ(wr_debug_insn_at(fx.store, fx.mod, off(F_MAIN, 25), &at), WR_OK);
    CHECK_EQ(at, off(F_MAIN, 25));
    CHECK_EQ(wr_debug_insn_at(fx.store, fx.mod, end, &at), WR_OK); /* next function's start */
    CHECK_EQ(at, off(F_SPIN, 0));
    CHECK_EQ(wr_debug_insn_at(fx.store, fx.mod, 0, &at), WR_NOT_FOUND); /* the count */
    CHECK_EQ(wr_debug_insn_at(fx.store, fx.mod, 100000, &at), WR_NOT_FOUND);
    CHECK_EQ(wr_debug_break_set(fx.store, fx.mod, off(F_MAIN, 10) + 1), WR_ERR_ARG);
    CHECK_EQ(wr_debug_break_set(fx.store, fx.mod, off(F_MAIN, 11)), WR_ERR_ARG);
    CHECK_EQ(wr_debug_break_clear(fx.store, fx.mod, off(F_MAIN, 14)), WR_NOT_FOUND);

    /* a breakpoint on the call: hit once in main(2) (n = 2 is even) */
    CHECK_EQ(wr_debug_break_set(fx.store, fx.mod, off(F_MAIN, 14)), WR_OK);
    CHECK_EQ(wr_debug_break_set(fx.store, fx.mod, off(F_MAIN, 14)), WR_OK); /* twice is fine */
    CHECK_EQ(call(&fx, F_MAIN, 1, 2, 0, &r, NULL), WR_OK);
    CHECK_EQ(r, 2);
    CHECK_EQ(fx.rec.n, 1);
    CHECK(stop_is(&fx.rec.stops[0], WR_DEBUG_BREAKPOINT, F_MAIN, 14));
    CHECK_EQ(fx.rec.stops[0].nframes, 1);
    rec_reset(&fx.rec);
    CHECK_EQ(call(&fx, F_MAIN, 1, 6, 0, &r, NULL), WR_OK);
    CHECK_EQ(r, 12);
    CHECK_EQ(fx.rec.n, 3);

    /* in the callee: two frames, the caller at its call */
    rec_reset(&fx.rec);
    CHECK_EQ(wr_debug_break_set(fx.store, fx.mod, off(F_ADD, 2)), WR_OK);
    CHECK_EQ(wr_debug_break_clear(fx.store, fx.mod, off(F_MAIN, 14)), WR_OK);
    CHECK_EQ(wr_debug_break_clear(fx.store, fx.mod, off(F_MAIN, 14)), WR_NOT_FOUND);
    CHECK_EQ(call(&fx, F_MAIN, 1, 2, 0, &r, NULL), WR_OK);
    CHECK_EQ(r, 2);
    CHECK_EQ(fx.rec.n, 1);
    CHECK(stop_is(&fx.rec.stops[0], WR_DEBUG_BREAKPOINT, F_ADD, 2));
    CHECK_EQ(fx.rec.stops[0].nframes, 2);

    /* cleared: no stop, and the functions run their normal translations */
    CHECK_EQ(wr_debug_break_clear(fx.store, fx.mod, off(F_ADD, 2)), WR_OK);
    rec_reset(&fx.rec);
    CHECK_EQ(call(&fx, F_MAIN, 1, 4, 0, &r, NULL), WR_OK);
    CHECK_EQ(r, 6);
    CHECK_EQ(fx.rec.n, 0);
    for (int f = 0; f < NFUNCS; f++) {
        const wr_code *code = fx.f[f]->decl->code; /* NULL: never needed, runs normal */
        CHECK(!code || wr_code_runs_normal(code));
    }
    fixture_free(&fx);
}

/* Outer frames report their call instruction. */
static void frame1_inspect(wr_store *store, recorder *r, int k, const wr_debug_event *ev)
{
    (void)r;
    (void)k;
    (void)ev;
    wr_frame_info fi;
    wr_val v;
    CHECK_EQ(wr_debug_frame(store, 1, &fi), WR_OK);
    CHECK_EQ(fi.func_index, F_MAIN);
    CHECK_EQ(fi.code_offset, off(F_MAIN, 14));
    CHECK_EQ(wr_debug_frame(store, 2, &fi), WR_NOT_FOUND);
    /* main's locals at its first call: n = 2, sum = 0; no values below the args */
    CHECK_EQ(wr_debug_local_count(store, 1), 2);
    CHECK_EQ(wr_debug_local(store, 1, 0, &v), WR_OK);
    CHECK_EQ(v.of.i32, 2);
    CHECK_EQ(wr_debug_local(store, 1, 1, &v), WR_OK);
    CHECK_EQ(v.of.i32, 0);
    CHECK_EQ(wr_debug_stack_depth(store, 1), 0);
}

/* The golden sequence of stops of main(2) stepped instruction by
 * instruction, calls entered. */
static void test_step_golden(void)
{
    static const int8_t golden[][2] = {
        {F_MAIN, 0},  {F_MAIN, 1},  {F_MAIN, 2},  {F_MAIN, 3},  {F_MAIN, 4},  {F_MAIN, 5},
        {F_MAIN, 6},  {F_MAIN, 7},  {F_MAIN, 8},  {F_MAIN, 9},  {F_MAIN, 10}, /* br_table 0 */
        {F_MAIN, 12}, {F_MAIN, 13}, {F_MAIN, 14}, {F_ADD, 0},   {F_ADD, 1},   {F_ADD, 2},
        {F_ADD, 3},   {F_MAIN, 15}, {F_MAIN, 16}, {F_MAIN, 17}, {F_MAIN, 18}, {F_MAIN, 19},
        {F_MAIN, 20}, {F_MAIN, 21}, /* br 0 */
        {F_MAIN, 2},  {F_MAIN, 3},  {F_MAIN, 4},  {F_MAIN, 5},  {F_MAIN, 6},  {F_MAIN, 7},
        {F_MAIN, 8},  {F_MAIN, 9},  {F_MAIN, 10}, /* br_table default */
        {F_MAIN, 17}, {F_MAIN, 18}, {F_MAIN, 19}, {F_MAIN, 20}, {F_MAIN, 21}, {F_MAIN, 2},
        {F_MAIN, 3},  {F_MAIN, 4}, /* br_if 1 taken */
        {F_MAIN, 24}, {F_MAIN, 25},
    };
    const int ng = (int)(sizeof golden / sizeof golden[0]);
    fixture fx;
    if (!fixture_new(&fx)) return;
    int32_t r = 0;
    for (int round = 0; round < 2; round++) {
        /* round 1: a breakpoint in add must not change the sequence */
        if (round == 1) CHECK_EQ(wr_debug_break_set(fx.store, fx.mod, off(F_ADD, 1)), WR_OK);
        rec_reset(&fx.rec);
        fx.rec.dflt = WR_DEBUG_STEP_INSN;
        wr_debug_stop_at_entry(fx.store, true);
        CHECK_EQ(call(&fx, F_MAIN, 1, 2, 0, &r, NULL), WR_OK);
        CHECK_EQ(r, 2);
        CHECK_EQ(fx.rec.n, ng);
        bool same = fx.rec.n == ng;
        for (int i = 0; i < ng && i < fx.rec.n; i++) {
            const stop_rec *s = &fx.rec.stops[i];
            wr_debug_reason want = i == 0 ? WR_DEBUG_ENTRY : WR_DEBUG_STEP;
            if (round == 1 && golden[i][0] == F_ADD && golden[i][1] == 1)
                want = WR_DEBUG_BREAKPOINT;
            if (!stop_is(s, want, golden[i][0], golden[i][1])) {
                fprintf(stderr, "  (golden step %d, round %d)\n", i, round);
                same = false;
                break;
            }
            CHECK_EQ(s->nframes, golden[i][0] == F_ADD ? 2 : 1);
        }
        CHECK(same);
    }

    /* the step ended with the call: the next call runs without stopping */
    CHECK_EQ(wr_debug_break_clear(fx.store, fx.mod, off(F_ADD, 1)), WR_OK);
    rec_reset(&fx.rec);
    CHECK_EQ(call(&fx, F_MAIN, 1, 2, 0, &r, NULL), WR_OK);
    CHECK_EQ(fx.rec.n, 0);

    /* stepping into add from its entry */
    rec_reset(&fx.rec);
    fx.rec.dflt = WR_DEBUG_STEP_INSN;
    wr_debug_stop_at_entry(fx.store, true);
    CHECK_EQ(call(&fx, F_ADD, 2, 5, 6, &r, NULL), WR_OK);
    CHECK_EQ(r, 11);
    CHECK_EQ(fx.rec.n, 4);
    CHECK(stop_is(&fx.rec.stops[0], WR_DEBUG_ENTRY, F_ADD, 0));
    CHECK(stop_is(&fx.rec.stops[3], WR_DEBUG_STEP, F_ADD, 3));

    /* an interrupt that comes before the entry stop replaces it: one stop,
     * then a continue runs to the end (main calls add: a pending entry
     * stop would come there) */
    rec_reset(&fx.rec);
    wr_debug_stop_at_entry(fx.store, true);
    wr_store_interrupt(fx.store);
    CHECK_EQ(call(&fx, F_MAIN, 1, 2, 0, &r, NULL), WR_OK);
    CHECK_EQ(r, 2);
    CHECK_EQ(fx.rec.n, 1);
    CHECK(fx.rec.n >= 1 && stop_is(&fx.rec.stops[0], WR_DEBUG_INTERRUPT, F_MAIN, 0));
    fixture_free(&fx);
}

static void test_step_over_range_out(void)
{
    fixture fx;
    if (!fixture_new(&fx)) return;
    int32_t r = 0;

    /* STEP_OVER_INSN over the call */
    static const wr_debug_resume over[] = {{WR_DEBUG_STEP_OVER_INSN, 0, 0},
                                           {WR_DEBUG_STEP_OVER_INSN, 0, 0},
                                           {WR_DEBUG_CONTINUE, 0, 0}};
    CHECK_EQ(wr_debug_break_set(fx.store, fx.mod, off(F_MAIN, 14)), WR_OK);
    fx.rec.script = over;
    fx.rec.nscript = 3;
    CHECK_EQ(call(&fx, F_MAIN, 1, 2, 0, &r, NULL), WR_OK);
    CHECK_EQ(r, 2);
    CHECK_EQ(fx.rec.n, 3);
    CHECK(stop_is(&fx.rec.stops[0], WR_DEBUG_BREAKPOINT, F_MAIN, 14));
    CHECK(stop_is(&fx.rec.stops[1], WR_DEBUG_STEP, F_MAIN, 15));
    CHECK(stop_is(&fx.rec.stops[2], WR_DEBUG_STEP, F_MAIN, 16));
    CHECK_EQ(wr_debug_break_clear(fx.store, fx.mod, off(F_MAIN, 14)), WR_OK);

    /* STEP_RANGE: over [12, 16) the call runs inside; over [17, 22) the
     * back edge leaves the range */
    wr_debug_resume range[5];
    memset(range, 0, sizeof range);
    range[0].action = WR_DEBUG_STEP_RANGE;
    range[0].range_start = off(F_MAIN, 12);
    range[0].range_end = off(F_MAIN, 16);
    range[2].action = WR_DEBUG_STEP_RANGE;
    range[2].range_start = off(F_MAIN, 17);
    range[2].range_end = off(F_MAIN, 22);
    CHECK_EQ(wr_debug_break_set(fx.store, fx.mod, off(F_MAIN, 12)), WR_OK);
    CHECK_EQ(wr_debug_break_set(fx.store, fx.mod, off(F_MAIN, 17)), WR_OK);
    rec_reset(&fx.rec);
    fx.rec.script = range;
    fx.rec.nscript = 5;
    CHECK_EQ(call(&fx, F_MAIN, 1, 2, 0, &r, NULL), WR_OK);
    CHECK_EQ(r, 2);
    CHECK_EQ(fx.rec.n, 5);
    CHECK(stop_is(&fx.rec.stops[0], WR_DEBUG_BREAKPOINT, F_MAIN, 12));
    CHECK(stop_is(&fx.rec.stops[1], WR_DEBUG_STEP, F_MAIN, 16));
    CHECK(stop_is(&fx.rec.stops[2], WR_DEBUG_BREAKPOINT, F_MAIN, 17));
    CHECK(stop_is(&fx.rec.stops[3], WR_DEBUG_STEP, F_MAIN, 2));
    CHECK(stop_is(&fx.rec.stops[4], WR_DEBUG_BREAKPOINT, F_MAIN, 17));
    CHECK_EQ(wr_debug_break_clear(fx.store, fx.mod, off(F_MAIN, 12)), WR_OK);
    CHECK_EQ(wr_debug_break_clear(fx.store, fx.mod, off(F_MAIN, 17)), WR_OK);

    /* STEP_RANGE ending because the frame returns: stop in the caller */
    wr_debug_resume ret[2];
    memset(ret, 0, sizeof ret);
    ret[0].action = WR_DEBUG_STEP_RANGE;
    ret[0].range_start = off(F_ADD, 0);
    ret[0].range_end = off(F_ADD, 3) + 1;
    CHECK_EQ(wr_debug_break_set(fx.store, fx.mod, off(F_ADD, 0)), WR_OK);
    rec_reset(&fx.rec);
    fx.rec.script = ret;
    fx.rec.nscript = 2;
    CHECK_EQ(call(&fx, F_MAIN, 1, 2, 0, &r, NULL), WR_OK);
    CHECK_EQ(fx.rec.n, 2);
    CHECK(stop_is(&fx.rec.stops[0], WR_DEBUG_BREAKPOINT, F_ADD, 0));
    CHECK(stop_is(&fx.rec.stops[1], WR_DEBUG_STEP, F_MAIN, 15));
    CHECK_EQ(wr_debug_break_clear(fx.store, fx.mod, off(F_ADD, 0)), WR_OK);

    /* STEP_OUT: back in main right after the call */
    static const wr_debug_resume out[] = {{WR_DEBUG_STEP_OUT, 0, 0}, {WR_DEBUG_CONTINUE, 0, 0}};
    CHECK_EQ(wr_debug_break_set(fx.store, fx.mod, off(F_ADD, 1)), WR_OK);
    rec_reset(&fx.rec);
    fx.rec.script = out;
    fx.rec.nscript = 2;
    CHECK_EQ(call(&fx, F_MAIN, 1, 2, 0, &r, NULL), WR_OK);
    CHECK_EQ(r, 2);
    CHECK_EQ(fx.rec.n, 2);
    CHECK(stop_is(&fx.rec.stops[0], WR_DEBUG_BREAKPOINT, F_ADD, 1));
    CHECK_EQ(fx.rec.stops[0].nframes, 2);
    CHECK(stop_is(&fx.rec.stops[1], WR_DEBUG_STEP, F_MAIN, 15));
    CHECK_EQ(fx.rec.stops[1].nframes, 1);

    /* STEP_OUT of the outermost frame ends with the call */
    rec_reset(&fx.rec);
    fx.rec.dflt = WR_DEBUG_STEP_OUT;
    CHECK_EQ(call(&fx, F_ADD, 2, 1, 2, &r, NULL), WR_OK);
    CHECK_EQ(r, 3);
    CHECK_EQ(fx.rec.n, 1);
    CHECK_EQ(wr_debug_break_clear(fx.store, fx.mod, off(F_ADD, 1)), WR_OK);

    /* the callers' frames stay right after stepping moved them */
    CHECK_EQ(wr_debug_break_set(fx.store, fx.mod, off(F_ADD, 2)), WR_OK);
    rec_reset(&fx.rec);
    fx.rec.inspect = frame1_inspect;
    CHECK_EQ(call(&fx, F_MAIN, 1, 2, 0, &r, NULL), WR_OK);
    CHECK_EQ(r, 2);
    CHECK_EQ(fx.rec.n, 1);
    fixture_free(&fx);
}

static void values_inspect(wr_store *store, recorder *r, int k, const wr_debug_event *ev)
{
    (void)ev;
    wr_val v;
    const stop_rec *s = &r->stops[k];
    if (s->func == F_ADD && s->off == off(F_ADD, 2)) {
        /* add(3, 4) before i32.add: locals 3, 4; stack [3, 4] */
        CHECK_EQ(wr_debug_local_count(store, 0), 2);
        CHECK_EQ(wr_debug_local(store, 0, 0, &v), WR_OK);
        CHECK_EQ(v.type, WR_I32);
        CHECK_EQ(v.of.i32, 3);
        CHECK_EQ(wr_debug_local(store, 0, 1, &v), WR_OK);
        CHECK_EQ(v.of.i32, 4);
        CHECK_EQ(wr_debug_local(store, 0, 2, &v), WR_NOT_FOUND);
        CHECK_EQ(wr_debug_stack_depth(store, 0), 2);
        CHECK_EQ(wr_debug_stack_value(store, 0, 0, &v), WR_OK);
        CHECK_EQ(v.type, WR_I64);
        CHECK_EQ(v.of.i64, 3);
        CHECK_EQ(wr_debug_stack_value(store, 0, 1, &v), WR_OK);
        CHECK_EQ(v.of.i64, 4);
        CHECK_EQ(wr_debug_stack_value(store, 0, 2, &v), WR_NOT_FOUND);
    } else if (s->func == F_ADD && s->off == off(F_ADD, 3)) {
        CHECK_EQ(wr_debug_stack_depth(store, 0), 1);
        CHECK_EQ(wr_debug_stack_value(store, 0, 0, &v), WR_OK);
        CHECK_EQ(v.of.i64, 7);
    } else if (s->func == F_MAIN && s->off == off(F_MAIN, 9)) {
        /* main(5) before i32.and, hit k: stack [n, 1] with n = 5 - k;
         * sum so far 0, 0, 4, 4, 6 */
        static const int32_t sums[5] = {0, 0, 4, 4, 6};
        CHECK_EQ(wr_debug_stack_depth(store, 0), 2);
        CHECK_EQ(wr_debug_stack_value(store, 0, 0, &v), WR_OK);
        CHECK_EQ(v.of.i64, 5 - k);
        CHECK_EQ(wr_debug_stack_value(store, 0, 1, &v), WR_OK);
        CHECK_EQ(v.of.i64, 1);
        CHECK_EQ(wr_debug_local(store, 0, 0, &v), WR_OK);
        CHECK_EQ(v.of.i32, 5 - k);
        CHECK_EQ(wr_debug_local(store, 0, 1, &v), WR_OK);
        CHECK_EQ(v.of.i32, k < 5 ? sums[k] : -1);
    } else if (s->func == F_ADD && s->off == off(F_ADD, 0)) {
        /* add(1, 2): make it add(1, 100) */
        wr_val nv;
        memset(&nv, 0, sizeof nv);
        nv.type = WR_I64;
        nv.of.i64 = 100;
        CHECK_EQ(wr_debug_set_local(store, 0, 1, &nv), WR_ERR_ARG); /* wrong type */
        nv.type = WR_I32;
        CHECK_EQ(wr_debug_set_local(store, 0, 1, &nv), WR_OK);
        CHECK_EQ(wr_debug_set_local(store, 0, 2, &nv), WR_NOT_FOUND);
        CHECK_EQ(wr_debug_local(store, 0, 1, &v), WR_OK);
        CHECK_EQ(v.of.i32, 100);
    } else {
        CHECK(!"unexpected stop");
    }
}

static void test_values(void)
{
    fixture fx;
    if (!fixture_new(&fx)) return;
    int32_t r = 0;
    wr_val v;
    fx.rec.inspect = values_inspect;
    CHECK_EQ(wr_debug_break_set(fx.store, fx.mod, off(F_ADD, 2)), WR_OK);
    CHECK_EQ(wr_debug_break_set(fx.store, fx.mod, off(F_ADD, 3)), WR_OK);
    CHECK_EQ(call(&fx, F_ADD, 2, 3, 4, &r, NULL), WR_OK);
    CHECK_EQ(r, 7);
    CHECK_EQ(fx.rec.n, 2);
    CHECK_EQ(wr_debug_break_clear(fx.store, fx.mod, off(F_ADD, 2)), WR_OK);
    CHECK_EQ(wr_debug_break_clear(fx.store, fx.mod, off(F_ADD, 3)), WR_OK);

    rec_reset(&fx.rec);
    fx.rec.inspect = values_inspect;
    CHECK_EQ(wr_debug_break_set(fx.store, fx.mod, off(F_MAIN, 9)), WR_OK);
    CHECK_EQ(call(&fx, F_MAIN, 1, 5, 0, &r, NULL), WR_OK);
    CHECK_EQ(r, 6);
    CHECK_EQ(fx.rec.n, 5);
    CHECK_EQ(wr_debug_break_clear(fx.store, fx.mod, off(F_MAIN, 9)), WR_OK);

    /* wr_debug_set_local changes the result */
    rec_reset(&fx.rec);
    fx.rec.inspect = values_inspect;
    wr_debug_stop_at_entry(fx.store, true);
    CHECK_EQ(call(&fx, F_ADD, 2, 1, 2, &r, NULL), WR_OK);
    CHECK_EQ(fx.rec.n, 1);
    CHECK_EQ(r, 101);

    /* outside the hook nothing is inspectable */
    CHECK_EQ(wr_debug_frame_count(fx.store), 0);
    CHECK_EQ(wr_debug_local(fx.store, 0, 0, &v), WR_NOT_FOUND);
    CHECK_EQ(wr_debug_stack_depth(fx.store, 0), 0);
    fixture_free(&fx);
}

static bool all_normal(fixture *fx)
{
    for (int f = 0; f < NFUNCS; f++) {
        const wr_code *code = fx->f[f]->decl->code; /* NULL: never needed */
        if (code && !wr_code_runs_normal(code)) return false;
    }
    return true;
}

static void test_watchpoints(void)
{
    fixture fx;
    if (!fixture_new(&fx)) return;
    int32_t r = 0;
    CHECK_EQ(wr_debug_watch_set(fx.store, 16, 0, WR_WATCH_WRITE), WR_ERR_ARG);
    CHECK_EQ(wr_debug_watch_clear(fx.store, 16, 4, WR_WATCH_WRITE), WR_NOT_FOUND);

    /* write */
    CHECK_EQ(wr_debug_watch_set(fx.store, 16, 4, WR_WATCH_WRITE), WR_OK);
    CHECK_EQ(call(&fx, F_STORE_LOAD, 1, 16, 0, &r, NULL), WR_OK);
    CHECK_EQ(r, 42);
    /* its wr_code was made by that first call, which made the debug
     * translation since a watchpoint is set */
    CHECK(!all_normal(&fx));
    CHECK_EQ(fx.rec.n, 1);
    CHECK(stop_is(&fx.rec.stops[0], WR_DEBUG_WATCH, F_STORE_LOAD, 3)); /* after the store */
    CHECK_EQ(fx.rec.stops[0].waddr, 16);
    CHECK_EQ(fx.rec.stops[0].wkind, WR_WATCH_WRITE);
    rec_reset(&fx.rec);
    CHECK_EQ(call(&fx, F_STORE_LOAD, 1, 19, 0, &r, NULL), WR_OK); /* overlaps [16, 20) */
    CHECK_EQ(fx.rec.n, 1);
    rec_reset(&fx.rec);
    CHECK_EQ(call(&fx, F_STORE_LOAD, 1, 20, 0, &r, NULL), WR_OK); /* just past it */
    CHECK_EQ(fx.rec.n, 0);
    CHECK_EQ(wr_debug_watch_clear(fx.store, 16, 4, WR_WATCH_WRITE), WR_OK);
    CHECK(all_normal(&fx));

    /* read */
    rec_reset(&fx.rec);
    CHECK_EQ(wr_debug_watch_set(fx.store, 18, 1, WR_WATCH_READ), WR_OK);
    CHECK_EQ(call(&fx, F_STORE_LOAD, 1, 16, 0, &r, NULL), WR_OK);
    CHECK_EQ(fx.rec.n, 1);
    CHECK(stop_is(&fx.rec.stops[0], WR_DEBUG_WATCH, F_STORE_LOAD, 5));
    CHECK_EQ(fx.rec.stops[0].waddr, 18);
    CHECK_EQ(fx.rec.stops[0].wkind, WR_WATCH_READ);
    CHECK_EQ(wr_debug_watch_clear(fx.store, 18, 1, WR_WATCH_READ), WR_OK);

    /* access: both, each with its kind */
    rec_reset(&fx.rec);
    CHECK_EQ(wr_debug_watch_set(fx.store, 16, 4, WR_WATCH_ACCESS), WR_OK);
    CHECK_EQ(call(&fx, F_STORE_LOAD, 1, 16, 0, &r, NULL), WR_OK);
    CHECK_EQ(fx.rec.n, 2);
    CHECK(stop_is(&fx.rec.stops[0], WR_DEBUG_WATCH, F_STORE_LOAD, 3));
    CHECK_EQ(fx.rec.stops[0].wkind, WR_WATCH_WRITE);
    CHECK(stop_is(&fx.rec.stops[1], WR_DEBUG_WATCH, F_STORE_LOAD, 5));
    CHECK_EQ(fx.rec.stops[1].wkind, WR_WATCH_READ);

    /* a breakpoint right after the access: both stops, the watch first */
    CHECK_EQ(wr_debug_break_set(fx.store, fx.mod, off(F_STORE_LOAD, 3)), WR_OK);
    rec_reset(&fx.rec);
    CHECK_EQ(call(&fx, F_STORE_LOAD, 1, 16, 0, &r, NULL), WR_OK);
    CHECK_EQ(fx.rec.n, 3);
    CHECK(stop_is(&fx.rec.stops[0], WR_DEBUG_WATCH, F_STORE_LOAD, 3));
    CHECK(stop_is(&fx.rec.stops[1], WR_DEBUG_BREAKPOINT, F_STORE_LOAD, 3));
    CHECK(stop_is(&fx.rec.stops[2], WR_DEBUG_WATCH, F_STORE_LOAD, 5));
    CHECK_EQ(wr_debug_break_clear(fx.store, fx.mod, off(F_STORE_LOAD, 3)), WR_OK);

    /* an access that traps reports the trap, and nothing later */
    rec_reset(&fx.rec);
    CHECK_EQ(wr_debug_watch_set(fx.store, 65532, 4, WR_WATCH_WRITE), WR_OK);
    CHECK_EQ(call(&fx, F_STORE_LOAD, 1, 65534, 0, &r, NULL), WR_ERR_TRAP);
    CHECK_EQ(fx.rec.n, 1);
    CHECK_EQ(fx.rec.stops[0].reason, WR_DEBUG_TRAP);
    CHECK_EQ(wr_debug_watch_clear(fx.store, 65532, 4, WR_WATCH_WRITE), WR_OK);
    rec_reset(&fx.rec);
    CHECK_EQ(call(&fx, F_STORE_LOAD, 1, 100, 0, &r, NULL), WR_OK);
    CHECK_EQ(fx.rec.n, 0);

    /* cleared: costs nothing, every function is back on its normal code */
    CHECK_EQ(wr_debug_watch_clear(fx.store, 16, 4, WR_WATCH_ACCESS), WR_OK);
    CHECK(all_normal(&fx));
    rec_reset(&fx.rec);
    CHECK_EQ(call(&fx, F_STORE_LOAD, 1, 16, 0, &r, NULL), WR_OK);
    CHECK_EQ(fx.rec.n, 0);
    fixture_free(&fx);
}

static void trap_inspect(wr_store *store, recorder *r, int k, const wr_debug_event *ev)
{
    (void)r;
    (void)k;
    wr_frame_info fi;
    wr_val v;
    CHECK_EQ(ev->reason, WR_DEBUG_TRAP);
    CHECK_EQ(ev->trap, WR_TRAP_DIV_BY_ZERO);
    CHECK(ev->trap_msg && !strcmp(ev->trap_msg, "integer divide by zero"));
    CHECK_EQ(wr_debug_frame_count(store), 2);
    CHECK_EQ(wr_debug_frame(store, 0, &fi), WR_OK);
    CHECK_EQ(fi.func_index, F_DIV);
    CHECK_EQ(fi.code_offset, off(F_DIV, 2));
    CHECK_EQ(wr_debug_frame(store, 1, &fi), WR_OK);
    CHECK_EQ(fi.func_index, F_CALL_DIV);
    CHECK_EQ(fi.code_offset, off(F_CALL_DIV, 1));
    CHECK_EQ(wr_debug_local(store, 0, 0, &v), WR_OK);
    CHECK_EQ(v.of.i32, 0);
    CHECK_EQ(wr_debug_local(store, 1, 0, &v), WR_OK);
    CHECK_EQ(v.of.i32, 0);
}

static void trap_inspect_dbg(wr_store *store, recorder *r, int k, const wr_debug_event *ev)
{
    wr_val v;
    if (ev->reason == WR_DEBUG_BREAKPOINT) return;
    trap_inspect(store, r, k, ev);
    /* in the debug translation the operands are there: [100, 0] */
    CHECK_EQ(wr_debug_stack_depth(store, 0), 2);
    CHECK_EQ(wr_debug_stack_value(store, 0, 0, &v), WR_OK);
    CHECK_EQ(v.of.i64, 100);
}

static void test_trap(void)
{
    fixture fx;
    if (!fixture_new(&fx)) return;
    int32_t r = 0;
    wr_error err;
    fx.rec.inspect = trap_inspect;
    CHECK_EQ(call(&fx, F_CALL_DIV, 1, 0, 0, &r, &err), WR_ERR_TRAP);
    CHECK_EQ(err.trap, WR_TRAP_DIV_BY_ZERO);
    CHECK_EQ(fx.rec.n, 1);
    CHECK_EQ(fx.rec.stops[0].trap, WR_TRAP_DIV_BY_ZERO);
    CHECK_EQ(call(&fx, F_CALL_DIV, 1, 5, 0, &r, &err), WR_OK);
    CHECK_EQ(r, 20);

    rec_reset(&fx.rec);
    fx.rec.inspect = trap_inspect_dbg;
    CHECK_EQ(wr_debug_break_set(fx.store, fx.mod, off(F_DIV, 0)), WR_OK);
    CHECK_EQ(call(&fx, F_CALL_DIV, 1, 0, 0, &r, &err), WR_ERR_TRAP);
    CHECK_EQ(err.trap, WR_TRAP_DIV_BY_ZERO);
    CHECK_EQ(fx.rec.n, 2);
    CHECK_EQ(fx.rec.stops[1].reason, WR_DEBUG_TRAP);

    /* a trap while stepping ends the step */
    rec_reset(&fx.rec);
    fx.rec.dflt = WR_DEBUG_STEP_INSN;
    CHECK_EQ(call(&fx, F_CALL_DIV, 1, 0, 0, &r, &err), WR_ERR_TRAP);
    CHECK_EQ(fx.rec.n, 4); /* brk, 2 steps, trap */
    CHECK_EQ(wr_debug_break_clear(fx.store, fx.mod, off(F_DIV, 0)), WR_OK);
    rec_reset(&fx.rec);
    CHECK_EQ(call(&fx, F_CALL_DIV, 1, 4, 0, &r, &err), WR_OK);
    CHECK_EQ(r, 25);
    CHECK_EQ(fx.rec.n, 0);
    fixture_free(&fx);
}

typedef struct interrupter {
    wr_store *store;
    const recorder *rec; /* the stops so far */
    int times;
} interrupter;

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void *interrupt_main(void *arg)
{
    interrupter *in = arg;
    for (int i = 0; i < in->times; i++) {
        /* interrupt i+1 only once interrupt i has stopped the program:
         * two interrupts pending at one poll are one stop (under load the
         * program may not even have started 30 ms after this thread), and
         * the test would then spin for ever */
        for (int waited = 0;
             i > 0 && __atomic_load_n(&in->rec->total, __ATOMIC_SEQ_CST) < i && waited < 10000;
             waited++)
            sleep_ms(1);
        sleep_ms(30);
        wr_store_interrupt(in->store);
    }
    return NULL;
}

static void spin_inspect(wr_store *store, recorder *r, int k, const wr_debug_event *ev)
{
    (void)r;
    (void)k;
    wr_frame_info fi;
    CHECK_EQ(ev->reason, WR_DEBUG_INTERRUPT);
    CHECK_EQ(wr_debug_frame(store, 0, &fi), WR_OK);
    CHECK_EQ(fi.func_index, F_SPIN);
    /* in its loop, or at its entry when the interrupt came before the call */
    CHECK(fi.code_offset == off(F_SPIN, 1) || fi.code_offset == off(F_SPIN, 0));
}

static void test_interrupt_kill(void)
{
    fixture fx;
    if (!fixture_new(&fx)) return;
    int32_t r = 0;
    wr_error err;
    pthread_t th;

    /* interrupted twice: continue, then kill */
    static const wr_debug_resume script[] = {{WR_DEBUG_CONTINUE, 0, 0}, {WR_DEBUG_KILL, 0, 0}};
    interrupter in = {fx.store, &fx.rec, 2};
    fx.rec.script = script;
    fx.rec.nscript = 2;
    fx.rec.inspect = spin_inspect;
    CHECK_EQ(pthread_create(&th, NULL, interrupt_main, &in), 0);
    CHECK_EQ(call(&fx, F_SPIN, 0, 0, 0, NULL, &err), WR_ERR_TRAP);
    pthread_join(th, NULL);
    CHECK_EQ(fx.rec.n, 2);
    CHECK_EQ(err.trap, WR_TRAP_HOST);
    CHECK(strstr(err.msg, "killed") != NULL);

    /* interrupt, then step: the stop is in spin's loop */
    static const wr_debug_resume step[] = {
        {WR_DEBUG_STEP_INSN, 0, 0}, {WR_DEBUG_STEP_INSN, 0, 0}, {WR_DEBUG_KILL, 0, 0}};
    rec_reset(&fx.rec);
    fx.rec.script = step;
    fx.rec.nscript = 3;
    in.times = 1;
    CHECK_EQ(pthread_create(&th, NULL, interrupt_main, &in), 0);
    CHECK_EQ(call(&fx, F_SPIN, 0, 0, 0, NULL, &err), WR_ERR_TRAP);
    pthread_join(th, NULL);
    CHECK_EQ(fx.rec.n, 3);
    CHECK(stop_is(&fx.rec.stops[0], WR_DEBUG_INTERRUPT, F_SPIN, 1) ||
          stop_is(&fx.rec.stops[0], WR_DEBUG_INTERRUPT, F_SPIN, 0)); /* see spin_inspect */
    CHECK(stop_is(&fx.rec.stops[1], WR_DEBUG_STEP, F_SPIN, 1));      /* br 0 to the loop head */
    CHECK(stop_is(&fx.rec.stops[2], WR_DEBUG_STEP, F_SPIN, 1));

    /* the kill does not outlive its call */
    rec_reset(&fx.rec);
    CHECK_EQ(call(&fx, F_MAIN, 1, 4, 0, &r, &err), WR_OK);
    CHECK_EQ(r, 6);
    CHECK_EQ(fx.rec.n, 0);

    /* kill from a breakpoint; the next call runs normally */
    static const wr_debug_resume kill[] = {{WR_DEBUG_KILL, 0, 0}};
    CHECK_EQ(wr_debug_break_set(fx.store, fx.mod, off(F_ADD, 2)), WR_OK);
    rec_reset(&fx.rec);
    fx.rec.script = kill;
    fx.rec.nscript = 1;
    CHECK_EQ(call(&fx, F_MAIN, 1, 4, 0, &r, &err), WR_ERR_TRAP);
    CHECK_EQ(fx.rec.n, 1);
    CHECK_EQ(err.trap, WR_TRAP_HOST);
    rec_reset(&fx.rec);
    CHECK_EQ(call(&fx, F_MAIN, 1, 4, 0, &r, &err), WR_OK);
    CHECK_EQ(r, 6);
    CHECK_EQ(fx.rec.n, 2);
    CHECK_EQ(wr_debug_break_clear(fx.store, fx.mod, off(F_ADD, 2)), WR_OK);

    /* without a hook an interrupt is a trap */
    wr_debug_set_hook(fx.store, NULL, NULL);
    in.times = 1;
    CHECK_EQ(pthread_create(&th, NULL, interrupt_main, &in), 0);
    CHECK_EQ(call(&fx, F_SPIN, 0, 0, 0, NULL, &err), WR_ERR_TRAP);
    pthread_join(th, NULL);
    CHECK_EQ(err.trap, WR_TRAP_HOST);
    CHECK(strstr(err.msg, "interrupted") != NULL);
    fixture_free(&fx);
}

/* Fuel bounds a call deterministically: a loop that never ends traps "out
 * of fuel" after as many iterations as units, a call that fits runs, and
 * unbounded (0) leaves the poll word as it was. */
static void test_fuel(void)
{
    fixture fx;
    if (!fixture_new(&fx)) return;
    wr_debug_set_hook(fx.store, NULL, NULL);
    int32_t r = 0;
    wr_error err;
    CHECK_EQ(wr_store_fuel(fx.store), 0);
    wr_store_set_fuel(fx.store, 1000);
    CHECK_EQ(wr_store_fuel(fx.store), 1000);
    CHECK_EQ(call(&fx, F_SPIN, 0, 0, 0, NULL, &err), WR_ERR_TRAP);
    CHECK_EQ(err.trap, WR_TRAP_HOST);
    CHECK(strstr(err.msg, "out of fuel") != NULL);
    CHECK_EQ(wr_store_fuel(fx.store), 0);
    /* used up: the next call traps at its entry */
    CHECK_EQ(call(&fx, F_MAIN, 1, 2, 0, &r, &err), WR_ERR_TRAP);
    CHECK(strstr(err.msg, "out of fuel") != NULL);
    /* enough for main(4): it runs and uses a few units, the same each time */
    wr_store_set_fuel(fx.store, 100);
    CHECK_EQ(call(&fx, F_MAIN, 1, 4, 0, &r, &err), WR_OK);
    CHECK_EQ(r, 6);
    uint64_t used = 100 - wr_store_fuel(fx.store);
    CHECK(used > 0 && used < 100);
    wr_store_set_fuel(fx.store, 100);
    CHECK_EQ(call(&fx, F_MAIN, 1, 4, 0, &r, &err), WR_OK);
    CHECK_EQ(100 - wr_store_fuel(fx.store), used);
    /* unbounded again */
    wr_store_set_fuel(fx.store, 0);
    CHECK_EQ(call(&fx, F_MAIN, 1, 4, 0, &r, &err), WR_OK);
    CHECK_EQ(wr_store_fuel(fx.store), 0);
    fixture_free(&fx);
}

/* A deep recursion stepped instruction by instruction stays fast (the
 * frames are not walked at every stop). */
static void test_deep_recursion(void)
{
    /* rec(n) = n == 0 ? 0 : rec(n - 1) */
    static const uint8_t mod[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01,
                                  0x60, 0x01, 0x7f, 0x01, 0x7f, 0x03, 0x02, 0x01, 0x00, 0x07, 0x07,
                                  0x01, 0x03, 'r',  'e',  'c',  0x00, 0x00, 0x0a, 0x14, 0x01, 0x12,
                                  0x00, 0x20, 0x00, 0x45, 0x04, 0x7f, 0x41, 0x00, 0x05, 0x20, 0x00,
                                  0x41, 0x01, 0x6b, 0x10, 0x00, 0x0b, 0x0b};
    wr_store *store = wr_store_new(NULL);
    wr_module *m = NULL;
    wr_instance *inst = NULL;
    wr_extern ext;
    wr_error err;
    recorder rec;
    CHECK_EQ(wr_module_new(store, mod, sizeof mod, &m, &err), WR_OK);
    if (!m) {
        wr_store_free(store);
        return;
    }
    CHECK_EQ(wr_instance_new(store, m, NULL, &inst, &err), WR_OK);
    CHECK_EQ(wr_instance_export(inst, "rec", &ext), WR_OK);
    rec_reset(&rec);
    rec.dflt = WR_DEBUG_STEP_INSN;
    wr_debug_set_hook(store, rec_hook, &rec);
    wr_debug_stop_at_entry(store, true);
    wr_val arg = {.type = WR_I32, .of.i32 = 20000}, res;
    clock_t t0 = clock();
    CHECK_EQ(wr_func_call(ext.of.func, &arg, 1, &res, 1, &err), WR_OK);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    CHECK_EQ(res.of.i32, 0);
    /* 9 stops per level (the call's 7, then the if's end and the function's
     * end after it returns); the last level: 0..3, else, end */
    CHECK_EQ(rec.total, 20000L * 9 + 6);
    CHECK(secs < 5.0);
    wr_store_free(store);
}

/* Functions are translated at their first call: none of a fresh module's
 * has a translation; the debugger finds instruction boundaries and sets
 * breakpoints in functions that never ran (their debug translation only);
 * once the breakpoint is cleared, the next call makes the normal one. */
static void test_lazy(void)
{
    fixture fx;
    if (!fixture_new(&fx)) return;
    int32_t r = 0;
    uint32_t at = 0;
    /* loading makes no wr_code: each is made at its first need */
    for (int f = 0; f < NFUNCS; f++)
        CHECK(fx.f[f]->decl->code == NULL);
    CHECK_EQ(call(&fx, F_DIV, 1, 5, 0, &r, NULL), WR_OK);
    CHECK_EQ(r, 20);
    const wr_code *dv = fx.f[F_DIV]->decl->code;
    CHECK(dv && dv->normal.ops != NULL && dv->active == dv->normal.ops);
    CHECK(fx.f[F_ADD]->decl->code == NULL);

    /* add never ran: a breakpoint in it makes its wr_code and debug translation */
    CHECK_EQ(wr_debug_insn_at(fx.store, fx.mod, off(F_ADD, 0), &at), WR_OK);
    CHECK_EQ(at, off(F_ADD, 0));
    CHECK_EQ(wr_debug_break_set(fx.store, fx.mod, off(F_ADD, 2)), WR_OK);
    const wr_code *add = fx.f[F_ADD]->decl->code;
    CHECK(add && add->normal.ops == NULL && add->dbg != NULL);
    CHECK_EQ(call(&fx, F_MAIN, 1, 2, 0, &r, NULL), WR_OK); /* main's first call too */
    CHECK_EQ(r, 2);
    CHECK_EQ(fx.rec.n, 1);
    CHECK(stop_is(&fx.rec.stops[0], WR_DEBUG_BREAKPOINT, F_ADD, 2));
    CHECK_EQ(fx.rec.stops[0].nframes, 2);
    CHECK(add->normal.ops == NULL);

    CHECK_EQ(wr_debug_break_clear(fx.store, fx.mod, off(F_ADD, 2)), WR_OK);
    CHECK(wr_code_runs_normal(add) && add->normal.ops == NULL);
    rec_reset(&fx.rec);
    CHECK_EQ(call(&fx, F_ADD, 2, 3, 4, &r, NULL), WR_OK);
    CHECK_EQ(r, 7);
    CHECK_EQ(fx.rec.n, 0);
    CHECK(add->normal.ops != NULL && add->active == add->normal.ops);
    fixture_free(&fx);
}

/* Tail calls: a return_call replaces the caller's frame. The module (wat2wasm
 * --enable-tail-call):
 *   (type $t (func (param i32) (result i32)))  (memory 1)
 *   (table 1 funcref)  (elem (i32.const 0) $leaf)
 *   (func $leaf (param i32) (result i32) local.get 0  i32.const 1  i32.add)
 *   (func $mid (param i32) (result i32)
 *     local.get 0  i32.const 2  i32.mul  return_call $leaf)
 *   (func $top (export "top") (param i32) (result i32)
 *     local.get 0  call $mid  i32.const 100  i32.add)
 *   (func $midi (param i32) (result i32)
 *     local.get 0  i32.const 2  i32.mul  i32.const 0
 *     return_call_indirect (type $t))
 *   (func $topi (export "topi") (param i32) (result i32)
 *     local.get 0  call $midi  i32.const 100  i32.add)
 * Code offsets (from the Code section's contents): leaf 3 (first), mid's
 * return_call 0x10, top's `i32.const 100` 0x19; midi's
 * return_call_indirect 0x27, topi's `i32.const 100` 0x31. */
static const uint8_t tail_mod[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01,
    0x7f, 0x03, 0x06, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x04, 0x01, 0x70, 0x00, 0x01,
    0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x0e, 0x02, 0x03, 0x74, 0x6f, 0x70, 0x00, 0x02, 0x04,
    0x74, 0x6f, 0x70, 0x69, 0x00, 0x04, 0x09, 0x07, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x01, 0x00,
    0x0a, 0x36, 0x05, 0x07, 0x00, 0x20, 0x00, 0x41, 0x01, 0x6a, 0x0b, 0x09, 0x00, 0x20, 0x00,
    0x41, 0x02, 0x6c, 0x12, 0x00, 0x0b, 0x0a, 0x00, 0x20, 0x00, 0x10, 0x01, 0x41, 0xe4, 0x00,
    0x6a, 0x0b, 0x0c, 0x00, 0x20, 0x00, 0x41, 0x02, 0x6c, 0x41, 0x00, 0x13, 0x00, 0x00, 0x0b,
    0x0a, 0x00, 0x20, 0x00, 0x10, 0x03, 0x41, 0xe4, 0x00, 0x6a, 0x0b};

static bool tail_stop(const stop_rec *s, wr_debug_reason reason, uint32_t func, uint32_t off,
                      uint32_t nframes)
{
    bool ok = s->reason == reason && s->func == func && s->off == off && s->nframes == nframes;
    if (!ok)
        fprintf(stderr,
                "  stop: reason %d func %u off %#x frames %u, expected reason %d func %u off %#x "
                "frames %u\n",
                s->reason, s->func, s->off, s->nframes, reason, func, off, nframes);
    return ok;
}

/* At a stop in leaf, frame 1 is top at its call: mid's frame is gone. */
static void tail_inspect(wr_store *store, recorder *r, int k, const wr_debug_event *ev)
{
    (void)ev;
    wr_frame_info fi;
    if (r->stops[k].func != 0) return;
    CHECK_EQ(wr_debug_frame(store, 1, &fi), WR_OK);
    CHECK(fi.func_index == 2 || fi.func_index == 4);
    CHECK_EQ(fi.code_offset, fi.func_index == 2 ? 0x17u : 0x2fu); /* the call */
    CHECK_EQ(wr_debug_frame(store, 2, &fi), WR_NOT_FOUND);
}

static void test_tail_calls(void)
{
    wr_store *store = wr_store_new(NULL);
    wr_module *m = NULL;
    wr_instance *inst = NULL;
    wr_extern ext[2];
    wr_error err;
    recorder rec;
    CHECK_EQ(wr_module_new(store, tail_mod, sizeof tail_mod, &m, &err), WR_OK);
    if (!m) {
        wr_store_free(store);
        return;
    }
    CHECK_EQ(wr_instance_new(store, m, NULL, &inst, &err), WR_OK);
    CHECK_EQ(wr_instance_export(inst, "top", &ext[0]), WR_OK);
    CHECK_EQ(wr_instance_export(inst, "topi", &ext[1]), WR_OK);
    wr_debug_set_hook(store, rec_hook, &rec);
    /* direct (mid, top) and indirect (midi, topi) */
    static const struct {
        uint32_t mid, tail_off, top, after_call;
    } via[2] = {{1, 0x10, 2, 0x19}, {3, 0x27, 4, 0x31}};
    for (int v = 0; v < 2; v++) {
        /* without a debugger, and with each way of stepping from a
         * breakpoint on the tail call; with watchpoints set (every
         * function then runs its debug translation) and without */
        for (int watch = 0; watch < 2; watch++) {
            if (watch) CHECK_EQ(wr_debug_watch_set(store, 60000, 4, WR_WATCH_WRITE), WR_OK);
            CHECK_EQ(wr_debug_break_set(store, m, via[v].tail_off), WR_OK);
            for (int how = 0; how < 4; how++) {
                static const wr_debug_action first[4] = {WR_DEBUG_STEP_OVER_INSN,
                                                         WR_DEBUG_STEP_RANGE, WR_DEBUG_STEP_INSN,
                                                         WR_DEBUG_STEP_INSN};
                wr_debug_resume script[3];
                memset(script, 0, sizeof script);
                script[0].action = first[how];
                /* the range: mid's whole body */
                script[0].range_start = via[v].tail_off - 5;
                script[0].range_end = via[v].tail_off + 3;
                /* after stepping into leaf: out of it, back to top */
                script[1].action = how == 3 ? WR_DEBUG_STEP_OUT : WR_DEBUG_CONTINUE;
                rec_reset(&rec);
                rec.script = script;
                rec.nscript = 3;
                rec.inspect = tail_inspect;
                wr_val arg = {.type = WR_I32, .of.i32 = 5}, res;
                CHECK_EQ(wr_func_call(ext[v].of.func, &arg, 1, &res, 1, &err), WR_OK);
                CHECK_EQ(res.of.i32, 111);
                CHECK(
                    tail_stop(&rec.stops[0], WR_DEBUG_BREAKPOINT, via[v].mid, via[v].tail_off, 2));
                if (how < 2) {
                    /* stepping over the tail call ends where mid would have
                     * returned to: in top, after its call */
                    CHECK_EQ(rec.n, 2);
                    CHECK(
                        tail_stop(&rec.stops[1], WR_DEBUG_STEP, via[v].top, via[v].after_call, 1));
                } else {
                    /* into it: leaf's first instruction, called from top */
                    CHECK_EQ(rec.n, how == 3 ? 3 : 2);
                    CHECK(tail_stop(&rec.stops[1], WR_DEBUG_STEP, 0, 3, 2));
                    if (how == 3)
                        CHECK(tail_stop(&rec.stops[2], WR_DEBUG_STEP, via[v].top, via[v].after_call,
                                        1));
                }
            }
            CHECK_EQ(wr_debug_break_clear(store, m, via[v].tail_off), WR_OK);
            if (watch) CHECK_EQ(wr_debug_watch_clear(store, 60000, 4, WR_WATCH_WRITE), WR_OK);
        }
    }
    wr_store_free(store);
}

int main(void)
{
    debug_module_build();
    test_breakpoints();
    test_step_golden();
    test_step_over_range_out();
    test_values();
    test_watchpoints();
    test_trap();
    test_interrupt_kill();
    test_fuel();
    test_deep_recursion();
    test_lazy();
    test_tail_calls();
    return wdb_check_summary();
}
