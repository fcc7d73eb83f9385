/*
 * Unit tests of the debug engine (debug-engine/src/wde_engine.c): a program
 * thread runs calls into Wasm while this thread drives it as a debugger
 * would through wde_* (entry stop, breakpoints, inspection, steps, range
 * steps, interrupt, kill, detach, the exit notification), and the RSP
 * address conversions with edge values. The module is test_debug.c's
 * (debug_module.c).
 */
#include "wdb/debug_engine.h"

#include "debug_module.h"
#include "wdb_check.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------ the program thread */

typedef struct program {
    wr_store *store;
    wr_module *mod;
    wr_instance *inst;
    wde_engine *eng;
    wr_func *f[NFUNCS];
    int func;
    int32_t arg, result;
    wr_status status;
    wr_error err;
    pthread_t thread;
    int notified; /* listener calls */
    pthread_mutex_t mu;
} program;

static void listener(void *user)
{
    program *p = user;
    pthread_mutex_lock(&p->mu);
    p->notified++;
    pthread_mutex_unlock(&p->mu);
}

static void *program_main(void *arg)
{
    program *p = arg;
    wr_val a = {.type = WR_I32, .of.i32 = p->arg}, r;
    memset(&r, 0, sizeof r);
    const wr_functype *ft = wr_func_type(p->f[p->func]);
    p->status = wr_func_call(p->f[p->func], &a, ft->nparams, &r, ft->nresults, &p->err);
    p->result = r.of.i32;
    wde_notify_exit(p->eng, p->status == WR_OK ? 0 : 1, p->status == WR_ERR_TRAP);
    return NULL;
}

/* Loads the module under a new engine; a failure counts as a failed check. */
static bool program_new(program *p)
{
    wr_error err = {0};
    memset(p, 0, sizeof *p);
    pthread_mutex_init(&p->mu, NULL);
    p->store = wr_store_new(NULL);
    if (p->store && debug_module_load(p->store, &p->mod, &p->inst, p->f, &err))
        p->eng = wde_new(p->store, p->mod, p->inst);
    if (!p->eng) {
        CHECK_FAILED("cannot set up the test module: %s", err.msg);
        return false;
    }
    wde_set_listener(p->eng, listener, p);
    return true;
}

static void program_start(program *p, int func, int32_t arg)
{
    p->func = func;
    p->arg = arg;
    if (pthread_create(&p->thread, NULL, program_main, p) != 0) {
        fprintf(stderr, "pthread_create failed\n");
        exit(1);
    }
}

static void program_free(program *p)
{
    wde_free(p->eng);
    wr_store_free(p->store);
    pthread_mutex_destroy(&p->mu);
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Waits for the next stop and checks where it is. */
static bool stopped_at(program *p, wr_debug_reason reason, int f, int i)
{
    wde_stop s;
    if (wde_wait_stop(p->eng, 5000) != WDE_STOPPED) {
        fprintf(stderr, "  no stop (expected reason %d at %d/%d)\n", reason, f, i);
        return false;
    }
    wde_get_stop(p->eng, &s);
    if (s.reason != reason || (f >= 0 && s.code_offset != off(f, i))) {
        fprintf(stderr, "  stop reason %d at %u, expected %d at %u\n", s.reason, s.code_offset,
                reason, f >= 0 ? off(f, i) : 0);
        return false;
    }
    return true;
}

/* Interrupts the spinning function and checks the stop is in its loop.
 * The interrupt is asynchronous: on a loaded machine the program's thread
 * may not have entered the function yet, and the interrupt then stops at
 * the function's entry (its first poll point); that is right too, so go
 * on and interrupt again until the stop is in the loop. */
static bool interrupt_in_spin(program *p)
{
    for (int tries = 0; tries < 100; tries++) {
        sleep_ms(20);
        if (wde_interrupt(p->eng) != 0) return false;
        wde_stop s;
        if (wde_wait_stop(p->eng, 5000) != WDE_STOPPED) {
            fprintf(stderr, "  no stop after an interrupt\n");
            return false;
        }
        wde_get_stop(p->eng, &s);
        if (s.reason == WR_DEBUG_INTERRUPT && s.code_offset == off(F_SPIN, 1)) return true;
        if (s.reason != WR_DEBUG_INTERRUPT || s.code_offset != off(F_SPIN, 0)) {
            fprintf(stderr, "  stop reason %d at %u, expected an interrupt at %u or %u\n", s.reason,
                    s.code_offset, off(F_SPIN, 0), off(F_SPIN, 1));
            return false;
        }
        if (wde_resume(p->eng, WR_DEBUG_CONTINUE, 0, 0) != 0) return false;
    }
    fprintf(stderr, "  the interrupts never stopped in the loop\n");
    return false;
}

static uint32_t u32_of(const uint8_t *b)
{
    uint32_t v;
    memcpy(&v, b, 4);
    return v;
}

/* ------------------------------------------------------ tests */

static void test_session(void)
{
    program p;
    if (!program_new(&p)) return;
    uint8_t buf[16];
    size_t len = 0, n = 0, got = 0;
    uint32_t stack[8], actual = 0;

    /* nothing to inspect before the program stops */
    CHECK_EQ(wde_call_stack(p.eng, 0, stack, 8, &n, NULL), -EBUSY);
    CHECK_EQ(wde_resume(p.eng, WR_DEBUG_CONTINUE, 0, 0), -EBUSY);

    wde_set_attached(p.eng, true);
    wde_stop_at_entry(p.eng, true);
    program_start(&p, F_MAIN, 2);
    CHECK(stopped_at(&p, WR_DEBUG_ENTRY, F_MAIN, 0));

    /* a breakpoint inside an instruction moves to the next boundary */
    CHECK_EQ(wde_break(p.eng, off(F_MAIN, 10) + 1, true, &actual), 0);
    CHECK_EQ(actual, off(F_MAIN, 12));
    CHECK_EQ(wde_break(p.eng, off(F_MAIN, 12), false, NULL), 0);
    CHECK_EQ(wde_break(p.eng, 0, true, NULL), -ENOENT);
    CHECK_EQ(wde_break(p.eng, off(F_ADD, 2), true, &actual), 0);
    CHECK_EQ(actual, off(F_ADD, 2));
    CHECK_EQ(wde_resume(p.eng, WR_DEBUG_CONTINUE, 0, 0), 0);
    CHECK(stopped_at(&p, WR_DEBUG_BREAKPOINT, F_ADD, 2));

    /* inspection: add(sum = 0, n = 2) called from main's call */
    CHECK_EQ(wde_call_stack(p.eng, 0, stack, 8, &n, NULL), 0);
    CHECK_EQ(n, 2);
    CHECK_EQ(stack[0], off(F_ADD, 2));
    CHECK_EQ(stack[1], off(F_MAIN, 14));
    CHECK_EQ(wde_local(p.eng, 0, 1, buf, &len), 0);
    CHECK_EQ(len, 4);
    CHECK_EQ(u32_of(buf), 2);
    CHECK_EQ(wde_local(p.eng, 1, 0, buf, &len), 0);
    CHECK_EQ(u32_of(buf), 2);
    CHECK_EQ(wde_local(p.eng, 0, 5, buf, &len), -ENOENT);
    CHECK_EQ(wde_stack_value(p.eng, 0, 1, buf, &len), 0);
    CHECK_EQ(len, 8);
    CHECK_EQ(u32_of(buf), 2);
    CHECK_EQ(wde_stack_value(p.eng, 0, 2, buf, &len), -ENOENT);
    CHECK_EQ(wde_global(p.eng, 0, buf, &len), -ENOENT);

    /* memory */
    static const uint8_t pat[4] = {1, 2, 3, 4};
    CHECK_EQ(wde_memory_size(p.eng), 65536);
    CHECK_EQ(wde_write_memory(p.eng, 100, pat, 4), 0);
    CHECK_EQ(wde_read_memory(p.eng, 100, buf, 4, &got), 0);
    CHECK_EQ(got, 4);
    CHECK(!memcmp(buf, pat, 4));
    CHECK_EQ(wde_read_memory(p.eng, 65534, buf, 4, &got), -EFAULT);
    CHECK_EQ(got, 2);
    CHECK_EQ(wde_read_memory(p.eng, UINT64_MAX, buf, 4, &got), -EFAULT);
    CHECK_EQ(got, 0);
    CHECK_EQ(wde_write_memory(p.eng, 65534, pat, 4), -EFAULT);
    CHECK_EQ(wde_write_memory(p.eng, UINT64_MAX - 1, pat, 4), -EFAULT);
    CHECK_EQ(wde_read_module(p.eng, 0, buf, 4, &got), 0);
    CHECK(!memcmp(buf, "\0asm", 4));
    CHECK_EQ(wde_read_module(p.eng, debug_module_len - 2, buf, 4, &got), -EFAULT);
    CHECK_EQ(got, 2);
    CHECK_EQ(wde_watch(p.eng, 65534, 4, WR_WATCH_WRITE, true), -EFAULT);

    /* step, step out, range step */
    CHECK_EQ(wde_resume(p.eng, WR_DEBUG_STEP_INSN, 0, 0), 0);
    CHECK(stopped_at(&p, WR_DEBUG_STEP, F_ADD, 3));
    CHECK_EQ(wde_resume(p.eng, WR_DEBUG_STEP_OUT, 0, 0), 0);
    CHECK(stopped_at(&p, WR_DEBUG_STEP, F_MAIN, 15));
    CHECK_EQ(wde_resume(p.eng, WR_DEBUG_STEP_RANGE, off(F_MAIN, 15), off(F_MAIN, 22)), 0);
    CHECK(stopped_at(&p, WR_DEBUG_STEP, F_MAIN, 2));
    /* a watchpoint and a breakpoint stay until detach */
    CHECK_EQ(wde_watch(p.eng, 16, 4, WR_WATCH_WRITE, true), 0);
    CHECK_EQ(wde_break(p.eng, off(F_MAIN, 17), true, NULL), 0);
    CHECK_EQ(wde_resume(p.eng, WR_DEBUG_CONTINUE, 0, 0), 0);
    CHECK(stopped_at(&p, WR_DEBUG_BREAKPOINT, F_MAIN, 17));

    /* detach: everything removed, the program runs to its end */
    CHECK_EQ(wde_detach(p.eng), 0);
    CHECK_EQ(wde_wait_stop(p.eng, 5000), WDE_EXITED);
    pthread_join(p.thread, NULL);
    CHECK_EQ(p.status, WR_OK);
    CHECK_EQ(p.result, 2);
    wde_stop s;
    wde_get_stop(p.eng, &s);
    CHECK_EQ(s.state, WDE_EXITED);
    CHECK_EQ(s.exit_code, 0);
    CHECK(!s.exited_by_trap);
    pthread_mutex_lock(&p.mu);
    CHECK_EQ(p.notified, 7); /* 6 stops and the exit */
    pthread_mutex_unlock(&p.mu);
    /* the breakpoints are gone: attached again, a run does not stop */
    wde_set_attached(p.eng, true);
    program_start(&p, F_MAIN, 4);
    pthread_join(p.thread, NULL);
    CHECK_EQ(p.status, WR_OK);
    CHECK_EQ(p.result, 6);
    CHECK_EQ(wde_wait_stop(p.eng, 0), WDE_EXITED);
    program_free(&p);
}

/* `wdb-run -g`: a debugger's first query can find the program on its way to
 * the entry stop and ask for an interrupt. The entry stop answers it: one
 * stop, at the entry, and a continue then runs to the end (no second,
 * unasked stop at the next call: main calls add). */
static void test_interrupt_before_entry(void)
{
    program p;
    if (!program_new(&p)) return;
    wde_set_attached(p.eng, true);
    wde_stop_at_entry(p.eng, true);
    CHECK_EQ(wde_interrupt(p.eng), 0); /* not stopped yet: counts as running */
    program_start(&p, F_MAIN, 2);
    CHECK(stopped_at(&p, WR_DEBUG_ENTRY, F_MAIN, 0));
    CHECK_EQ(wde_resume(p.eng, WR_DEBUG_CONTINUE, 0, 0), 0);
    CHECK_EQ(wde_wait_stop(p.eng, 5000), WDE_EXITED);
    pthread_join(p.thread, NULL);
    CHECK_EQ(p.status, WR_OK);
    CHECK_EQ(p.result, 2);
    pthread_mutex_lock(&p.mu);
    CHECK_EQ(p.notified, 2); /* the stop and the exit */
    pthread_mutex_unlock(&p.mu);
    program_free(&p);
}

static void test_interrupt_kill(void)
{
    program p;
    if (!program_new(&p)) return;
    wde_set_attached(p.eng, true);
    program_start(&p, F_SPIN, 0);
    CHECK(interrupt_in_spin(&p));
    CHECK_EQ(wde_resume(p.eng, WR_DEBUG_STEP_INSN, 0, 0), 0);
    CHECK(stopped_at(&p, WR_DEBUG_STEP, F_SPIN, 1));
    CHECK_EQ(wde_resume(p.eng, WR_DEBUG_CONTINUE, 0, 0), 0);
    sleep_ms(20);
    CHECK_EQ(wde_interrupt(p.eng), 0);
    CHECK(stopped_at(&p, WR_DEBUG_INTERRUPT, F_SPIN, 1));
    /* kill while stopped */
    CHECK_EQ(wde_kill(p.eng), 0);
    CHECK_EQ(wde_wait_stop(p.eng, 5000), WDE_EXITED);
    pthread_join(p.thread, NULL);
    CHECK_EQ(p.status, WR_ERR_TRAP);
    wde_stop s;
    wde_get_stop(p.eng, &s);
    CHECK(s.exited_by_trap);

    /* the kill ended with that run: the next one runs to its end */
    program_start(&p, F_MAIN, 4);
    pthread_join(p.thread, NULL);
    CHECK_EQ(p.status, WR_OK);
    CHECK_EQ(p.result, 6);

    program_free(&p);

    /* kill while running (an engine follows one run: after the exit
     * notification it says EXITED, so a fresh one) */
    if (!program_new(&p)) return;
    wde_set_attached(p.eng, true);
    program_start(&p, F_SPIN, 0);
    sleep_ms(20);
    CHECK_EQ(wde_kill(p.eng), 0);
    pthread_join(p.thread, NULL);
    CHECK_EQ(p.status, WR_ERR_TRAP);
    CHECK_EQ(wde_wait_stop(p.eng, 0), WDE_EXITED);

    program_free(&p);

    /* detached: an interrupt still stops (someone asked), a trap does not */
    if (!program_new(&p)) return;
    program_start(&p, F_SPIN, 0);
    CHECK(interrupt_in_spin(&p));
    CHECK_EQ(wde_kill(p.eng), 0);
    pthread_join(p.thread, NULL);
    CHECK_EQ(p.status, WR_ERR_TRAP);
    program_start(&p, F_CALL_DIV, 0);
    pthread_join(p.thread, NULL);
    CHECK_EQ(p.status, WR_ERR_TRAP);
    CHECK_EQ(p.err.trap, WR_TRAP_DIV_BY_ZERO);
    program_free(&p);
}

/* code offsets <-> file offsets (the RSP encoding itself: test_rsp.c) */
static void test_addresses(void)
{
    uint32_t co = 12345;
    CHECK_EQ(wde_code_to_file(0x20, 0), 0x20);
    CHECK_EQ(wde_code_to_file(0x20, 0x10), 0x30);
    CHECK(wde_file_to_code(0x20, 0x20, &co));
    CHECK_EQ(co, 0);
    CHECK(wde_file_to_code(0x20, 0x31, &co));
    CHECK_EQ(co, 0x11);
    co = 12345;
    CHECK(!wde_file_to_code(0x20, 0x1f, &co));
    CHECK_EQ(co, 12345);
    CHECK(!wde_file_to_code(0x20, 0, &co));
    CHECK(wde_file_to_code(0, 0, &co));
    CHECK_EQ(co, 0);
    CHECK(wde_file_to_code(0, UINT32_MAX, &co));
    CHECK_EQ(co, UINT32_MAX);
    CHECK(wde_file_to_code(UINT32_MAX, UINT32_MAX, &co));
    CHECK_EQ(co, 0);
    for (uint32_t f = 0x20; f < 0x30; f++) {
        CHECK(wde_file_to_code(0x20, f, &co));
        CHECK_EQ(wde_code_to_file(0x20, co), f);
    }
}

int main(void)
{
    debug_module_build();
    test_session();
    test_interrupt_kill();
    test_interrupt_before_entry();
    test_addresses();
    return wdb_check_summary();
}
