/* The hand-assembled module of test_debug.c and test_engine.c (debug_module.h). */
#include "debug_module.h"

#include <stdio.h>
#include <string.h>


typedef struct insn {
    uint8_t b[4];
    uint8_t n;
} insn;

#define I1(a) {{a}, 1}
#define I2(a, b) {{a, b}, 2}
#define I3(a, b, c) {{a, b, c}, 3}
#define I4(a, b, c, d) {{a, b, c, d}, 4}

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

uint8_t debug_module_wasm[1024];
size_t debug_module_len;
static uint32_t insn_off[NFUNCS][32]; /* code offsets of each instruction */

static void put(const void *p, size_t n)
{
    memcpy(debug_module_wasm + debug_module_len, p, n);
    debug_module_len += n;
}
static void put1(uint8_t b) { put(&b, 1); }

/* Sizes stay below 128: one-byte LEBs everywhere. */
static void section(uint8_t id, const uint8_t *p, size_t n)
{
    put1(id);
    put1((uint8_t)n);
    put(p, n);
}

void debug_module_build(void)
{
    static const uint8_t hdr[8] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
    static const uint8_t types[] = {3,    0x60, 2, 0x7f, 0x7f, 1, 0x7f, 0x60, 1,
                                    0x7f, 1,    0x7f, 0x60, 0, 0};
    static const uint8_t mem[] = {1, 0, 1};
    uint8_t fsec[16], exp[128], code[512];
    size_t nf = 0, ne = 0, nc = 0;

    debug_module_len = 0;
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


uint32_t off(int f, int i) { return insn_off[f][i]; }

bool debug_module_load(wr_store *store, wr_module **mod, wr_instance **inst,
                       wr_func *f[NFUNCS], wr_error *err)
{
    if (wr_module_new(store, debug_module_wasm, debug_module_len, mod, err) != WR_OK ||
        wr_instance_new(store, *mod, NULL, inst, err) != WR_OK)
        return false;
    for (int i = 0; i < NFUNCS; i++) {
        wr_extern ext;
        if (wr_instance_export(*inst, funcs[i].name, &ext) != WR_OK) {
            snprintf(err->msg, sizeof err->msg, "no export %s", funcs[i].name);
            return false;
        }
        f[i] = ext.of.func;
    }
    return true;
}
