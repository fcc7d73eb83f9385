/*
 * Unit tests of the debug engine (debug-engine/src/wde_engine.c): a program
 * thread runs calls into Wasm while this thread drives it as a debugger
 * would through wde_* (entry stop, breakpoints, inspection, steps, range
 * steps, interrupt, kill, detach, the exit notification), and the RSP
 * address conversions with edge values.
 */
#include "wdb/debug_engine.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int passed, failed;

#define CHECK(cond)                                                                            \
    do {                                                                                       \
        if (cond)                                                                              \
            passed++;                                                                          \
        else {                                                                                 \
            failed++;                                                                          \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);           \
        }                                                                                      \
    } while (0)
#define CHECK_EQ(a, b)                                                                         \
    do {                                                                                       \
        long long a_ = (long long)(a), b_ = (long long)(b);                                    \
        if (a_ == b_)                                                                          \
            passed++;                                                                          \
        else {                                                                                 \
            failed++;                                                                          \
            fprintf(stderr, "%s:%d: %s == %lld, expected %s == %lld\n", __FILE__, __LINE__, #a, \
                    a_, #b, b_);                                                               \
        }                                                                                      \
    } while (0)

/* ------------------------------------------------------ the module */

typedef struct insn {
    uint8_t b[4];
    uint8_t n;
} insn;

#define I1(a) {{a}, 1}
#define I2(a, b) {{a, b}, 2}
#define I3(a, b, c) {{a, b, c}, 3}
#define I4(a, b, c, d) {{a, b, c, d}, 4}

enum { F_ADD, F_MAIN, F_SPIN, F_DIV, F_CALL_DIV, F_STORE_LOAD, NFUNCS };

/* add(a, b) = a + b */
static const insn add_body[] = {I2(0x20, 0), I2(0x20, 1), I1(0x6a), I1(0x0b)};
/* main(n): sum of the even numbers in 1..n, counting n down; the even ones
 * go through a br_table to a call of add. */
static const insn main_body[] = {
    I2(0x02, 0x40),          /*  0 block */
    I2(0x03, 0x40),          /*  1   loop */
    I2(0x20, 0),             /*  2     local.get 0 */
    I1(0x45),                /*  3     i32.eqz */
    I2(0x0d, 1),             /*  4     br_if 1 */
    I2(0x02, 0x40),          /*  5     block */
    I2(0x02, 0x40),          /*  6       block */
    I2(0x20, 0),             /*  7         local.get 0 */
    I2(0x41, 1),             /*  8         i32.const 1 */
    I1(0x71),                /*  9         i32.and */
    I4(0x0e, 0x01, 0, 1),    /* 10         br_table 0 1 */
    I1(0x0b),                /* 11       end (dead) */
    I2(0x20, 1),             /* 12       local.get 1 */
    I2(0x20, 0),             /* 13       local.get 0 */
    I2(0x10, F_ADD),         /* 14       call add */
    I2(0x21, 1),             /* 15       local.set 1 */
    I1(0x0b),                /* 16     end */
    I2(0x20, 0),             /* 17     local.get 0 */
    I2(0x41, 1),             /* 18     i32.const 1 */
    I1(0x6b),                /* 19     i32.sub */
    I2(0x21, 0),             /* 20     local.set 0 */
    I2(0x0c, 0),             /* 21     br 0 */
    I1(0x0b),                /* 22   end (dead) */
    I1(0x0b),                /* 23 end */
    I2(0x20, 1),             /* 24 local.get 1 */
    I1(0x0b),                /* 25 end */
};
/* spin(): loop forever */
static const insn spin_body[] = {I2(0x03, 0x40), I2(0x0c, 0), I1(0x0b), I1(0x0b)};
/* div(x) = 100 / x */
static const insn div_body[] = {I3(0x41, 0xe4, 0x00), I2(0x20, 0), I1(0x6d), I1(0x0b)};
/* call_div(x) = div(x) */
static const insn call_div_body[] = {I2(0x20, 0), I2(0x10, F_DIV), I1(0x0b)};
/* store_load(a): mem[a] = 42; return mem[a] */
static const insn store_load_body[] = {I2(0x20, 0), I2(0x41, 42), I3(0x36, 2, 0),
                                       I2(0x20, 0), I3(0x28, 2, 0), I1(0x0b)};

static const struct {
    const insn *body;
    size_t n;
    uint8_t type;
    bool local; /* one declared i32 local */
    const char *name;
} funcs[NFUNCS] = {
    {add_body, sizeof add_body / sizeof add_body[0], 0, false, "add"},
    {main_body, sizeof main_body / sizeof main_body[0], 1, true, "main"},
    {spin_body, sizeof spin_body / sizeof spin_body[0], 2, false, "spin"},
    {div_body, sizeof div_body / sizeof div_body[0], 1, false, "div"},
    {call_div_body, sizeof call_div_body / sizeof call_div_body[0], 1, false, "call_div"},
    {store_load_body, sizeof store_load_body / sizeof store_load_body[0], 1, false, "store_load"},
};

static uint8_t wasm[1024];
static size_t wasm_len;
static uint32_t insn_off[NFUNCS][32]; /* code offsets of each instruction */

static void put(const void *p, size_t n)
{
    memcpy(wasm + wasm_len, p, n);
    wasm_len += n;
}
static void put1(uint8_t b) { put(&b, 1); }

/* Sizes stay below 128: one-byte LEBs everywhere. */
static void section(uint8_t id, const uint8_t *p, size_t n)
{
    put1(id);
    put1((uint8_t)n);
    put(p, n);
}

static void build_module(void)
{
    static const uint8_t hdr[8] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
    static const uint8_t types[] = {3,    0x60, 2, 0x7f, 0x7f, 1, 0x7f, 0x60, 1,
                                    0x7f, 1,    0x7f, 0x60, 0, 0};
    static const uint8_t mem[] = {1, 0, 1};
    uint8_t fsec[16], exp[128], code[512];
    size_t nf = 0, ne = 0, nc = 0;

    wasm_len = 0;
    put(hdr, sizeof hdr);
    section(1, types, sizeof types);
    fsec[nf++] = NFUNCS;
    for (int f = 0; f < NFUNCS; f++) fsec[nf++] = funcs[f].type;
    section(3, fsec, nf);
    section(5, mem, sizeof mem);
    exp[ne++] = NFUNCS;
    for (int f = 0; f < NFUNCS; f++) {
        size_t l = strlen(funcs[f].name);
        exp[ne++] = (uint8_t)l;
        memcpy(exp + ne, funcs[f].name, l);
        ne += l;
        exp[ne++] = 0;
        exp[ne++] = (uint8_t)f;
    }
    section(7, exp, ne);
    /* code section contents: offsets here are code offsets */
    code[nc++] = NFUNCS;
    for (int f = 0; f < NFUNCS; f++) {
        size_t size_at = nc++;
        if (funcs[f].local) {
            code[nc++] = 1;
            code[nc++] = 1;
            code[nc++] = 0x7f;
        } else {
            code[nc++] = 0;
        }
        for (size_t i = 0; i < funcs[f].n; i++) {
            insn_off[f][i] = (uint32_t)nc;
            memcpy(code + nc, funcs[f].body[i].b, funcs[f].body[i].n);
            nc += funcs[f].body[i].n;
        }
        code[size_at] = (uint8_t)(nc - size_at - 1);
    }
    put1(10);
    put1((uint8_t)(nc | 0x80)); /* two-byte LEB: nc < 16384 */
    put1((uint8_t)(nc >> 7));
    put(code, nc);
}

static uint32_t off(int f, int i) { return insn_off[f][i]; }


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

static bool program_new(program *p)
{
    wr_error err;
    memset(p, 0, sizeof *p);
    pthread_mutex_init(&p->mu, NULL);
    p->store = wr_store_new(NULL);
    if (!p->store || wr_module_new(p->store, wasm, wasm_len, &p->mod, &err) != WR_OK ||
        wr_instance_new(p->store, p->mod, NULL, &p->inst, &err) != WR_OK)
        return false;
    for (int i = 0; i < NFUNCS; i++) {
        wr_extern ext;
        if (wr_instance_export(p->inst, funcs[i].name, &ext) != WR_OK) return false;
        p->f[i] = ext.of.func;
    }
    p->eng = wde_new(p->store, p->mod, p->inst);
    if (!p->eng) return false;
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
    if (!program_new(&p)) {
        failed++;
        return;
    }
    uint8_t buf[16];
    size_t len = 0, n = 0, got = 0;
    uint32_t stack[8], actual = 0;

    /* nothing to inspect before the program stops */
    CHECK_EQ(wde_call_stack(p.eng, stack, 8, &n), -EBUSY);
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
    CHECK_EQ(wde_call_stack(p.eng, stack, 8, &n), 0);
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
    CHECK_EQ(wde_read_module(p.eng, wasm_len - 2, buf, 4, &got), -EFAULT);
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

static void test_interrupt_kill(void)
{
    program p;
    if (!program_new(&p)) {
        failed++;
        return;
    }
    wde_set_attached(p.eng, true);
    program_start(&p, F_SPIN, 0);
    sleep_ms(20);
    CHECK_EQ(wde_interrupt(p.eng), 0);
    CHECK(stopped_at(&p, WR_DEBUG_INTERRUPT, F_SPIN, 1));
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
    if (!program_new(&p)) {
        failed++;
        return;
    }
    wde_set_attached(p.eng, true);
    program_start(&p, F_SPIN, 0);
    sleep_ms(20);
    CHECK_EQ(wde_kill(p.eng), 0);
    pthread_join(p.thread, NULL);
    CHECK_EQ(p.status, WR_ERR_TRAP);
    CHECK_EQ(wde_wait_stop(p.eng, 0), WDE_EXITED);

    program_free(&p);

    /* detached: an interrupt still stops (someone asked), a trap does not */
    if (!program_new(&p)) {
        failed++;
        return;
    }
    program_start(&p, F_SPIN, 0);
    sleep_ms(20);
    CHECK_EQ(wde_interrupt(p.eng), 0);
    CHECK(stopped_at(&p, WR_DEBUG_INTERRUPT, F_SPIN, 1));
    CHECK_EQ(wde_kill(p.eng), 0);
    pthread_join(p.thread, NULL);
    CHECK_EQ(p.status, WR_ERR_TRAP);
    program_start(&p, F_CALL_DIV, 0);
    pthread_join(p.thread, NULL);
    CHECK_EQ(p.status, WR_ERR_TRAP);
    CHECK_EQ(p.err.trap, WR_TRAP_DIV_BY_ZERO);
    program_free(&p);
}

static void test_addresses(void)
{
    CHECK_EQ(wde_addr_code(0, 0), 0x4000000000000000ull);
    CHECK_EQ(wde_addr_code(1, 0x1234), 0x4000000100001234ull);
    CHECK_EQ(wde_addr_code(0xffffff, 0xffffffffu), 0x40ffffffffffffffull);
    CHECK_EQ(wde_addr_code(0x1000000, 5), 0x4000000000000005ull); /* id masked to 24 bits */
    CHECK_EQ(wde_addr_memory(0, 0), 0);
    CHECK_EQ(wde_addr_memory(2, 0xffffffffu), 0x00000002ffffffffull);
    CHECK_EQ(wde_addr_space(0), WDE_SPACE_MEMORY);
    CHECK_EQ(wde_addr_space(0x3fffffffffffffffull), WDE_SPACE_MEMORY);
    CHECK_EQ(wde_addr_space(0x4000000000000000ull), WDE_SPACE_CODE);
    CHECK_EQ(wde_addr_space(0x7fffffffffffffffull), WDE_SPACE_CODE);
    CHECK_EQ(wde_addr_space(0x8000000000000000ull), WDE_SPACE_INVALID);
    CHECK_EQ(wde_addr_space(UINT64_MAX), WDE_SPACE_INVALID);
    CHECK_EQ(wde_addr_module(wde_addr_code(0xabcdef, 7)), 0xabcdef);
    CHECK_EQ(wde_addr_offset(wde_addr_code(0xabcdef, 7)), 7);
    CHECK_EQ(wde_addr_module(wde_addr_memory(3, 0xffffffffu)), 3);
    CHECK_EQ(wde_addr_offset(wde_addr_memory(3, 0xffffffffu)), 0xffffffffu);
    CHECK_EQ(wde_addr_module(0x3f00000100000000ull), 1); /* bits 56-61 are not the id */
    for (uint32_t m = 0; m < 3; m++)
        for (uint32_t o = 0; o < 3; o++) {
            uint64_t a = wde_addr_code(m * 0x7fffff, o * 0x7fffffffu);
            CHECK_EQ(wde_addr_space(a), WDE_SPACE_CODE);
            CHECK_EQ(wde_addr_module(a), m * 0x7fffff);
            CHECK_EQ(wde_addr_offset(a), o * 0x7fffffffu);
        }

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
    build_module();
    test_session();
    test_interrupt_kill();
    test_addresses();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
