/*
 * Unit tests of the variables and types reader (wb_dwarf.c) and of the
 * location evaluator (wb_loc.c):
 *
 *   test_vars TYPES_O0_DWARF3 TYPES_O0_DWARF4 TYPES_O0_DWARF5 TYPES_O2_DWARF4
 *             TYPES_O2_DWARF5 SHAPES_O0_DWARF5 SHAPES_O2_DWARF4
 *
 * wb_loc_eval on hand-written expressions (Wasm locations, the frame base,
 * pieces, arithmetic, malformed input) and wb_loc_describe's words for
 * them (info scope, info address); then type shapes, variables per
 * scope, globals, statics, location lists and the symbol lists (info
 * functions|variables|types) of tests/bridge/programs/types.c (+
 * types_other.c) and shapes.cpp as clang-22 builds them; then a
 * module whose .debug_line header is corrupt in the way that made
 * libdwarf 20210528 ask for ~768 GB.
 */
#include "check.h"
#include "wb_dwarf.h"
#include "wb_loc.h"
#include "wb_sbuf.h"
#include "wb_wasm.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static bool ends_with(const char *s, const char *suffix)
{
    if (!s) return false;
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* ------------------------------------------------------- fake target */

typedef struct fake {
    uint64_t locals[8], globals[4], stack[4];
    uint8_t mem[0x100];
    uint64_t mem_base;
    int reads;
} fake;

static wb_status rd_local(void *u, uint32_t i, uint64_t *v, wb_error *err)
{
    fake *f = u;
    f->reads++;
    if (i >= 8) return wb_fail(err, "%s", strerror(EINVAL));
    *v = f->locals[i];
    return WB_OK;
}

static wb_status rd_global(void *u, uint32_t i, uint64_t *v, wb_error *err)
{
    fake *f = u;
    f->reads++;
    if (i >= 4) return wb_fail(err, "%s", strerror(EINVAL));
    *v = f->globals[i];
    return WB_OK;
}

static wb_status rd_stack(void *u, uint32_t i, uint64_t *v, wb_error *err)
{
    fake *f = u;
    f->reads++;
    if (i >= 4) return wb_fail(err, "%s", strerror(EINVAL));
    *v = f->stack[i];
    return WB_OK;
}

static wb_status rd_mem(void *u, uint64_t addr, void *buf, size_t len, wb_error *err)
{
    fake *f = u;
    f->reads++;
    if (addr < f->mem_base || addr - f->mem_base + len > sizeof f->mem)
        return wb_fail(err, "%s", strerror(EFAULT));
    memcpy(buf, f->mem + (addr - f->mem_base), len);
    return WB_OK;
}

static wb_loc_target target(fake *f, const uint8_t *fb, size_t fblen)
{
    wb_loc_target t = {f, rd_local, rd_global, rd_stack, rd_mem, fb, fblen, NULL};
    return t;
}

#define EVAL(bytes, t, loc, err) wb_loc_eval(bytes, sizeof bytes, t, loc, err)

/* --------------------------------------------------- wb_loc unit tests */

static void test_loc_eval(void)
{
    fake f;
    memset(&f, 0, sizeof f);
    f.locals[2] = 0x5000;
    f.globals[0] = 0x8000;
    f.stack[1] = 77;
    f.mem_base = 0x100;
    f.mem[0] = 0x78; /* 0x100: a pointer 0x12345678 */
    f.mem[1] = 0x56;
    f.mem[2] = 0x34;
    f.mem[3] = 0x12;
    static const uint8_t fb_local[] = {0xed, 0x00, 0x02, 0x9f};        /* local 2, stack_value */
    static const uint8_t fb_global[] = {0xed, 0x03, 0, 0, 0, 0, 0x9f}; /* global 0 (u32) */
    wb_loc_target t = target(&f, fb_local, sizeof fb_local);
    wb_location loc;
    wb_error err;

    static const uint8_t addr[] = {0x03, 0x00, 0x10, 0x00, 0x00};
    CHECK(EVAL(addr, &t, &loc, &err) == WB_OK && loc.npieces == 1);
    CHECK(loc.pieces[0].kind == WB_PLACE_MEMORY && loc.pieces[0].where == 0x1000 &&
          loc.pieces[0].size == 0);

    /* -O0 locals: fbreg against DW_OP_WASM_location local 2 */
    static const uint8_t fb12[] = {0x91, 0x0c};
    CHECK(EVAL(fb12, &t, &loc, &err) == WB_OK && loc.npieces == 1);
    CHECK(loc.pieces[0].kind == WB_PLACE_MEMORY && loc.pieces[0].where == 0x500c);
    static const uint8_t fbneg[] = {0x91, 0x70}; /* fbreg -16 */
    f.locals[2] = 8;
    CHECK(EVAL(fbneg, &t, &loc, &err) == WB_OK && loc.pieces[0].where == 0xfffffff8u);
    t = target(&f, fb_global, sizeof fb_global);
    CHECK(EVAL(fb12, &t, &loc, &err) == WB_OK && loc.pieces[0].where == 0x800c);

    /* -O2 values in Wasm locals, globals and the operand stack */
    static const uint8_t local5[] = {0xed, 0x00, 0x05, 0x9f};
    CHECK(EVAL(local5, &t, &loc, &err) == WB_OK && loc.npieces == 1 &&
          loc.pieces[0].kind == WB_PLACE_LOCAL && loc.pieces[0].where == 5);
    static const uint8_t global_uleb[] = {0xed, 0x01, 0x81, 0x01, 0x9f};
    CHECK(EVAL(global_uleb, &t, &loc, &err) == WB_OK && loc.pieces[0].kind == WB_PLACE_GLOBAL &&
          loc.pieces[0].where == 129);
    static const uint8_t stack1[] = {0xed, 0x02, 0x01, 0x9f};
    CHECK(EVAL(stack1, &t, &loc, &err) == WB_OK && loc.pieces[0].kind == WB_PLACE_STACK &&
          loc.pieces[0].where == 1);
    /* without DW_OP_stack_value a place holds the object's address (clang's
     * struct passed by value; LLDB reads it so) */
    static const uint8_t local5_addr[] = {0xed, 0x00, 0x05};
    f.locals[5] = 0x2468;
    CHECK(EVAL(local5_addr, &t, &loc, &err) == WB_OK && loc.npieces == 1 &&
          loc.pieces[0].kind == WB_PLACE_MEMORY && loc.pieces[0].where == 0x2468);
    /* a place used as a number is read */
    static const uint8_t stack_plus[] = {0xed, 0x02, 0x01, 0x23, 0x03, 0x9f};
    CHECK(EVAL(stack_plus, &t, &loc, &err) == WB_OK && loc.pieces[0].kind == WB_PLACE_VALUE &&
          loc.pieces[0].value == 80);

    /* computed values */
    static const uint8_t arith[] = {0x33, 0x34, 0x22, 0x32, 0x1e, 0x9f}; /* (3+4)*2 */
    CHECK(EVAL(arith, &t, &loc, &err) == WB_OK && loc.pieces[0].kind == WB_PLACE_VALUE &&
          loc.pieces[0].value == 14);
    static const uint8_t consts[] = {0x11, 0x7e, 0x9f}; /* consts -2 */
    CHECK(EVAL(consts, &t, &loc, &err) == WB_OK && loc.pieces[0].value == (uint64_t)-2);
    static const uint8_t big[] = {0x0e, 1, 2, 3, 4, 5, 6, 7, 8, 0x9f}; /* const8u */
    CHECK(EVAL(big, &t, &loc, &err) == WB_OK && loc.pieces[0].value == 0x0807060504030201ull);
    /* 16 dup mul lit1 shl (512); lit3 lit5 swap minus (2); plus */
    static const uint8_t ops[] = {0x08, 0x10, 0x12, 0x1e, 0x31, 0x24,
                                  0x33, 0x35, 0x16, 0x1c, 0x22, 0x9f};
    CHECK(EVAL(ops, &t, &loc, &err) == WB_OK && loc.pieces[0].value == 514);
    /* a < b ? 11 : 10 with bra and skip */
    static const uint8_t cond_false[] = {0x35, 0x33, 0x2d, 0x28, 0x04, 0x00,
                                         0x3a, 0x2f, 0x01, 0x00, 0x3b, 0x9f};
    CHECK(EVAL(cond_false, &t, &loc, &err) == WB_OK && loc.pieces[0].value == 10);
    static const uint8_t cond_true[] = {0x33, 0x35, 0x2d, 0x28, 0x04, 0x00,
                                        0x3a, 0x2f, 0x01, 0x00, 0x3b, 0x9f};
    CHECK(EVAL(cond_true, &t, &loc, &err) == WB_OK && loc.pieces[0].value == 11);
    static const uint8_t implicit[] = {0x9e, 0x04, 0x00, 0x00, 0xc0, 0x3f};
    CHECK(EVAL(implicit, &t, &loc, &err) == WB_OK && loc.pieces[0].kind == WB_PLACE_VALUE &&
          loc.pieces[0].value == 0x3fc00000 && loc.pieces[0].size == 4);
    static const uint8_t deref[] = {0x03, 0x00, 0x01, 0x00, 0x00, 0x06};
    CHECK(EVAL(deref, &t, &loc, &err) == WB_OK && loc.pieces[0].kind == WB_PLACE_MEMORY &&
          loc.pieces[0].where == 0x12345678);
    static const uint8_t deref1[] = {0x03, 0x01, 0x01, 0x00, 0x00, 0x94, 0x01, 0x9f};
    CHECK(EVAL(deref1, &t, &loc, &err) == WB_OK && loc.pieces[0].value == 0x56);

    /* pieces: a 64-bit value split over two locals, a missing piece */
    static const uint8_t pieces[] = {0xed, 0x00, 0x01, 0x93, 0x04, 0x93,
                                     0x02, 0x35, 0x9f, 0x93, 0x02};
    CHECK(EVAL(pieces, &t, &loc, &err) == WB_OK && loc.npieces == 3);
    CHECK(loc.pieces[0].kind == WB_PLACE_LOCAL && loc.pieces[0].where == 1 &&
          loc.pieces[0].size == 4);
    CHECK(loc.pieces[1].kind == WB_PLACE_EMPTY && loc.pieces[1].size == 2);
    CHECK(loc.pieces[2].kind == WB_PLACE_VALUE && loc.pieces[2].value == 5 &&
          loc.pieces[2].size == 2);

    /* empty: optimized out */
    CHECK(wb_loc_eval(NULL, 0, &t, &loc, &err) == WB_OK && loc.npieces == 0);

    /* malformed and unsupported: an error with a message, never a read
     * past the bytes (ASan would tell) */
    struct bad {
        const uint8_t *b;
        size_t n;
        const char *msg;
    };
    static const uint8_t trunc_leb[] = {0x10, 0x80, 0x80};
    static const uint8_t trunc_addr[] = {0x03, 0x00, 0x10};
    static const uint8_t long_leb[] = {0x10, 0x80, 0x80, 0x80, 0x80, 0x80,
                                       0x80, 0x80, 0x80, 0x80, 0x80, 0x01};
    static const uint8_t underflow[] = {0x22};
    static const uint8_t underflow2[] = {0x30, 0x16};
    static const uint8_t unknown[] = {0xe0};
    static const uint8_t reserved[] = {0x01};
    static const uint8_t reg[] = {0x50};
    static const uint8_t loop[] = {0x2f, 0xfd, 0xff}; /* skip -3: itself */
    static const uint8_t outside[] = {0x2f, 0x10, 0x00};
    static const uint8_t kind4[] = {0xed, 0x04, 0x00};
    static const uint8_t kind3_short[] = {0xed, 0x03, 0x00, 0x00};
    static const uint8_t divzero[] = {0x31, 0x30, 0x1b, 0x9f};
    static const uint8_t after_value[] = {0x31, 0x9f, 0x31};
    static const uint8_t big_implicit[] = {0x9e, 0x10, 0x00};
    static const uint8_t short_implicit[] = {0x9e, 0x04, 0x00};
    static const uint8_t bad_local[] = {0xed, 0x00, 0x09, 0x23, 0x01};
    static const uint8_t bad_mem[] = {0x30, 0x06};
    static const uint8_t pick[] = {0x30, 0x15, 0x05};
    uint8_t overflow[80];
    memset(overflow, 0x30, sizeof overflow);
    const struct bad bads[] = {
        {trunc_leb, sizeof trunc_leb, "truncated"},
        {trunc_addr, sizeof trunc_addr, "truncated"},
        {long_leb, sizeof long_leb, "too long"},
        {underflow, sizeof underflow, "underflow"},
        {underflow2, sizeof underflow2, "underflow"},
        {unknown, sizeof unknown, "DW_OP_GNU_push_tls_address"},
        {reserved, sizeof reserved, "0x01"},
        {reg, sizeof reg, "Wasm"},
        {loop, sizeof loop, "loop"},
        {outside, sizeof outside, "outside"},
        {kind4, sizeof kind4, "kind 4"},
        {kind3_short, sizeof kind3_short, "truncated"},
        {divzero, sizeof divzero, "division by zero"},
        {after_value, sizeof after_value, "after a value"},
        {big_implicit, sizeof big_implicit, "at most 8"},
        {short_implicit, sizeof short_implicit, "truncated"},
        {bad_local, sizeof bad_local, "local 9"},
        {bad_mem, sizeof bad_mem, "memory at 0x0"},
        {pick, sizeof pick, "underflow"},
        {overflow, sizeof overflow, "overflow"},
    };
    for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
        /* a heap copy of exactly n bytes: reads past it are ASan errors */
        uint8_t *copy = malloc(bads[i].n);
        memcpy(copy, bads[i].b, bads[i].n);
        err.msg[0] = 0;
        wb_status st = wb_loc_eval(copy, bads[i].n, &t, &loc, &err);
        CHECK_MSG(st == WB_ERROR && strstr(err.msg, bads[i].msg), "case %zu: %d \"%s\"", i, st,
                  err.msg);
        free(copy);
    }
    /* fbreg without a frame base, and a frame base using fbreg itself */
    wb_loc_target nofb = target(&f, NULL, 0);
    CHECK(EVAL(fb12, &nofb, &loc, &err) == WB_ERROR && strstr(err.msg, "frame base"));
    static const uint8_t fb_self[] = {0x91, 0x00};
    wb_loc_target selffb = target(&f, fb_self, sizeof fb_self);
    CHECK(EVAL(fb12, &selffb, &loc, &err) == WB_ERROR);
    /* no callbacks: reads fail cleanly */
    wb_loc_target none;
    memset(&none, 0, sizeof none);
    CHECK(EVAL(stack_plus, &none, &loc, &err) == WB_ERROR && strstr(err.msg, "operand stack"));
    CHECK(EVAL(local5, &none, &loc, &err) == WB_OK); /* a place needs no read */

    /* wb_loc_select */
    static const uint8_t e1[] = {0x30, 0x9f}, e2[] = {0x31, 0x9f};
    wb_loc_range rs[2] = {{0x10, 0x20, e1, 2}, {0x20, 0x28, e2, 2}};
    wb_var v;
    memset(&v, 0, sizeof v);
    v.nlocs = 2;
    v.locs = rs;
    const uint8_t *x;
    size_t xl;
    CHECK(wb_loc_select(&v, 0x10, &x, &xl) == WB_OK && x == e1 && xl == 2);
    CHECK(wb_loc_select(&v, 0x20, &x, &xl) == WB_OK && x == e2);
    CHECK(wb_loc_select(&v, 0x28, &x, &xl) == WB_NOT_FOUND);
    CHECK(wb_loc_select(&v, 0x0f, &x, &xl) == WB_NOT_FOUND);
    wb_loc_range all = {0, UINT32_MAX, e1, 2};
    v.nlocs = 1;
    v.locs = &all;
    CHECK(wb_loc_select(&v, 0x1234, &x, &xl) == WB_OK && x == e1);
    v.nlocs = 0;
    CHECK(wb_loc_select(&v, 0x1234, &x, &xl) == WB_NOT_FOUND);
}

/* ------------------------------------------------------ DWARF helpers */

static const wb_var *find_var(const wb_var *const *v, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (v[i]->name && strcmp(v[i]->name, name) == 0) return v[i];
    return NULL;
}

static const wb_member *find_member(const wb_type *t, const char *name)
{
    for (size_t i = 0; t && i < t->nmembers; i++)
        if (t->members[i].name && strcmp(t->members[i].name, name) == 0) return &t->members[i];
    return NULL;
}

static const wb_type *strip(const wb_type *t)
{
    for (int i = 0; t && i < 64; i++) {
        if (t->kind != WB_TYPE_TYPEDEF && t->kind != WB_TYPE_CONST && t->kind != WB_TYPE_VOLATILE)
            return t;
        t = t->target;
    }
    return t;
}

/* ------------------------------------------------------- describing */

static void check_describe(const uint8_t *e, size_t n, const uint8_t *fb, size_t fbn,
                           const char *want, int line)
{
    wb_sbuf b = {0};
    wb_loc_describe(e, n, fb, fbn, &b);
    char *got = wb_sb_take(&b);
    CHECK_MSG(got && strcmp(got, want) == 0, "line %d: \"%s\"", line, got ? got : "(null)");
    free(got);
}
#define DESCRIBE(e, want) check_describe(e, sizeof e, NULL, 0, want, __LINE__)
#define DESCRIBE_FB(e, fb, want) check_describe(e, sizeof e, fb, sizeof fb, want, __LINE__)

static void test_loc_describe(void)
{
    static const uint8_t fb_local[] = {0xed, 0x00, 0x01};              /* -O0 */
    static const uint8_t fb_global[] = {0xed, 0x03, 0, 0, 0, 0, 0x9f}; /* -O2 */
    static const uint8_t local3[] = {0xed, 0x00, 0x03, 0x9f};
    DESCRIBE(local3, "a variable in Wasm local 3");
    static const uint8_t global5[] = {0xed, 0x01, 0x05, 0x9f};
    DESCRIBE(global5, "a variable in Wasm global 5");
    static const uint8_t stack1[] = {0xed, 0x02, 0x01, 0x9f};
    DESCRIBE(stack1, "a variable in Wasm operand stack entry 1");
    /* a place as the whole expression holds the object's address */
    static const uint8_t byref[] = {0xed, 0x00, 0x00};
    DESCRIBE(byref, "a variable at the address in Wasm local 0");
    static const uint8_t plus[] = {0xed, 0x00, 0x02, 0x23, 0x20};
    DESCRIBE(plus, "a variable at offset 32 from the address in Wasm local 2");
    static const uint8_t fb12[] = {0x91, 0x0c};
    DESCRIBE_FB(fb12, fb_local, "a variable at offset 12 from the frame base in Wasm local 1");
    static const uint8_t fbneg[] = {0x91, 0x70};
    DESCRIBE_FB(fbneg, fb_global, "a variable at offset -16 from the frame base in Wasm global 0");
    /* a frame base that is no place: the expression as it is */
    DESCRIBE_FB(fb12, plus, "a complex DWARF expression:\n     0: DW_OP_fbreg 12\n");
    static const uint8_t addr[] = {0x03, 0xf0, 0x0a, 0x01, 0x00};
    DESCRIBE(addr, "static storage at address 0x10af0");
    uint32_t a = 0;
    CHECK(wb_loc_static_address(addr, sizeof addr, &a) && a == 0x10af0);
    CHECK(!wb_loc_static_address(fb12, sizeof fb12, &a));
    /* pieces: places in pieces are the pieces themselves */
    static const uint8_t pieces[] = {0xed, 0x00, 0x01, 0x93, 0x04, 0xed, 0x00, 0x02, 0x93, 0x04};
    DESCRIBE(pieces,
             "a variable in Wasm local 1 [4-byte piece], and a variable in Wasm local 2 [4-byte "
             "piece]");
    static const uint8_t holes[] = {0x93, 0x1c, 0x30, 0x9f, 0x93, 0x01};
    DESCRIBE(holes,
             "an empty 28-byte piece, and a complex DWARF expression:\n     0: DW_OP_lit0\n     "
             "1: DW_OP_stack_value\n    [1-byte piece]");
    static const uint8_t sum[] = {0xed, 0x00, 0x01, 0xed, 0x00, 0x02, 0x22, 0x11,
                                  0x7f, 0x1c, 0x0c, 0x00, 0x01, 0x00, 0x00, 0x9f};
    DESCRIBE(sum, "a complex DWARF expression:\n     0: DW_OP_WASM_location 0 1\n     3: "
                  "DW_OP_WASM_location 0 2\n     6: DW_OP_plus\n     7: DW_OP_consts -1\n     9: "
                  "DW_OP_minus\n    10: DW_OP_const4u 256\n    15: DW_OP_stack_value\n");
    static const uint8_t bra[] = {0x30, 0x28, 0x01, 0x00, 0x31, 0x9f};
    DESCRIBE(bra,
             "a complex DWARF expression:\n     0: DW_OP_lit0\n     1: DW_OP_bra to 5\n     4: "
             "DW_OP_lit1\n     5: DW_OP_stack_value\n");
    /* malformed: what was read, then nothing more */
    static const uint8_t cut[] = {0x91};
    DESCRIBE_FB(cut, fb_local, "a complex DWARF expression:\n     0: DW_OP_fbreg\n");
    static const uint8_t unknown[] = {0x31, 0xff};
    DESCRIBE(unknown,
             "a complex DWARF expression:\n     0: DW_OP_lit1\n     1: unknown DWARF operation "
             "0xff\n");
}

static bool open_dwarf(const char *path, wb_wasm **w, wb_dwarf **d, wb_error *err)
{
    *w = NULL;
    *d = NULL;
    CHECK_MSG(wb_wasm_open_file(path, w, err) == WB_OK, "%s", path);
    if (!*w) return false;
    CHECK_MSG(wb_dwarf_open(*w, d, err) == WB_OK, "%s", path);
    return *d != NULL;
}

/* Every location of v evaluates (with any target) to something. */
static void check_locs_eval(const wb_var *v, const wb_scope *fn)
{
    fake f;
    memset(&f, 0, sizeof f);
    f.locals[2] = 0x1000;
    f.globals[0] = 0x2000;
    wb_loc_target t = target(&f, fn ? fn->frame_base : NULL, fn ? fn->frame_base_len : 0);
    for (size_t i = 0; i < v->nlocs; i++) {
        wb_location loc;
        wb_error err;
        const wb_loc_range *r = &v->locs[i];
        CHECK_MSG(r->lo < r->hi && r->len > 0, "%s: range %zu [0x%x, 0x%x)", v->name, i, r->lo,
                  r->hi);
        wb_status st = wb_loc_eval(r->expr, r->len, &t, &loc, &err);
        CHECK_MSG(st == WB_OK, "%s: location %zu: %s", v->name, i, err.msg);
        if (fn && !(r->lo == 0 && r->hi == UINT32_MAX))
            CHECK_MSG(r->lo >= fn->low_pc && r->hi <= fn->high_pc, "%s: range outside %s", v->name,
                      fn->name);
    }
}

/* ------------------------------------------------------ types program */

static void check_shape_type(const wb_type *shape, int dwarf)
{
    CHECK(shape && shape->kind == WB_TYPE_STRUCT && shape->size == 0x44);
    if (!shape) return;
    CHECK_STR(shape->name, "shape");
    CHECK(shape->nmembers == 6 && !shape->declaration && !shape->is_class);
    const wb_member *m = find_member(shape, "corners");
    CHECK(m && m->offset == 0 && m->bit_size == 0);
    if (m) {
        const wb_type *a = m->type;
        CHECK(a->kind == WB_TYPE_ARRAY && a->ndims == 2 && a->dims[0] == 2 && a->dims[1] == 3 &&
              a->size == 48 && a->name == NULL);
        CHECK(a->target->kind == WB_TYPE_TYPEDEF);
        CHECK_STR(a->target->name, "point_t");
        const wb_type *pt = a->target->target;
        CHECK(pt->kind == WB_TYPE_STRUCT && pt->size == 8 && pt->nmembers == 2);
        CHECK_STR(pt->name, "point");
        CHECK(find_member(pt, "y") && find_member(pt, "y")->offset == 4);
    }
    m = find_member(shape, "color");
    CHECK(m && m->offset == 0x30);
    if (m) {
        const wb_type *e = m->type;
        CHECK(e->kind == WB_TYPE_ENUM && e->size == 4 && e->nenumerators == 3 &&
              e->enc == WB_ENC_SIGNED);
        CHECK_STR(e->name, "color");
        if (e->nenumerators == 3) {
            CHECK_STR(e->enumerators[0].name, "RED");
            CHECK(e->enumerators[0].value == 0 && e->enumerators[1].value == 5 &&
                  e->enumerators[2].value == -2);
            CHECK_STR(e->enumerators[2].name, "BLUE");
        }
        if (dwarf >= 4) CHECK(e->target && e->target->kind == WB_TYPE_BASE);
    }
    m = find_member(shape, "n");
    CHECK(m && m->offset == 0x34 && m->type->kind == WB_TYPE_UNION && m->type->size == 4 &&
          m->type->nmembers == 3);
    if (m) {
        const wb_member *bytes = find_member(m->type, "bytes");
        CHECK(bytes && bytes->offset == 0 && bytes->type->kind == WB_TYPE_ARRAY &&
              bytes->type->dims[0] == 4 && bytes->type->target->enc == WB_ENC_UNSIGNED_CHAR);
        const wb_member *fl = find_member(m->type, "f");
        CHECK(fl && fl->type->kind == WB_TYPE_BASE && fl->type->enc == WB_ENC_FLOAT);
    }
    m = find_member(shape, "fl");
    CHECK(m && m->offset == 0x38);
    if (m) {
        const wb_type *fl = m->type;
        const wb_member *a = find_member(fl, "a"), *b = find_member(fl, "b"),
                        *c = find_member(fl, "c"), *tail = find_member(fl, "tail");
        CHECK(fl->size == 4 && a && b && c && tail);
        if (a && b && c && tail) {
            CHECK_MSG(a->offset == 0 && a->bit_size == 3 && a->bit_offset == 0, "a %llu %u %u",
                      (unsigned long long)a->offset, a->bit_size, a->bit_offset);
            CHECK_MSG(b->offset == 0 && b->bit_size == 5 && b->bit_offset == 3, "b %llu %u %u",
                      (unsigned long long)b->offset, b->bit_size, b->bit_offset);
            CHECK_MSG(c->offset == 0 && c->bit_size == 7 && c->bit_offset == 8, "c %llu %u %u",
                      (unsigned long long)c->offset, c->bit_size, c->bit_offset);
            CHECK(c->type->enc == WB_ENC_SIGNED && a->type->enc == WB_ENC_UNSIGNED);
            CHECK(tail->offset == 2 && tail->bit_size == 0);
        }
    }
    m = find_member(shape, "op");
    CHECK(m && m->offset == 0x3c);
    if (m) {
        const wb_type *t = m->type;
        CHECK(t->kind == WB_TYPE_TYPEDEF);
        CHECK_STR(t->name, "binop");
        const wb_type *p = t->target;
        CHECK(p->kind == WB_TYPE_POINTER && p->size == 4);
        const wb_type *fn = p->target;
        CHECK(fn->kind == WB_TYPE_FUNCTION && fn->nparams == 2 && !fn->varargs && fn->target &&
              fn->target->kind == WB_TYPE_BASE && fn->params[1]->kind == WB_TYPE_BASE);
    }
    m = find_member(shape, "label");
    CHECK(m && m->offset == 0x40);
    if (m) {
        const wb_type *p = m->type;
        CHECK(p->kind == WB_TYPE_POINTER && p->target->kind == WB_TYPE_CONST &&
              p->target->target->kind == WB_TYPE_BASE &&
              p->target->target->enc == WB_ENC_SIGNED_CHAR);
    }
}

/* ------------------------------------------------------------ symbols */

/* The symbol of `kind` called `name` declared in a file ending with
 * `file`, or NULL. */
static const wb_symbol *find_symbol(wb_dwarf *d, wb_sym_kind kind, const char *name,
                                    const char *file)
{
    const wb_symbol *v = NULL;
    size_t n = 0;
    wb_error err;
    CHECK(wb_dwarf_symbols(d, kind, &v, &n, &err) == WB_OK);
    for (size_t i = 0; i < n; i++)
        if (v[i].kind == kind && strcmp(v[i].name, name) == 0 && ends_with(v[i].file, file))
            return &v[i];
    return NULL;
}

/* How `info functions` spells a symbol's declaration. */
static void check_spelling(const wb_symbol *s, const char *want)
{
    char buf[256];
    if (!s) return;
    wb_type_spell(s->type, s->kind == WB_SYM_TYPE ? NULL : s->name, buf, sizeof buf);
    CHECK_MSG(strcmp(buf, want) == 0, "%s: \"%s\"", s->name, buf);
}

/* wb_dwarf_symbols (info functions|variables|types, rbreak) and
 * wb_dwarf_source_files_named (FILE:FUNCTION, list FILE:LINE). */
static void check_symbols(wb_dwarf *d, int opt)
{
    wb_error err;
    const wb_symbol *s = find_symbol(d, WB_SYM_FUNCTION, "area", "/programs/types.c");
    CHECK(s && s->line == 64 && !s->is_static && s->fn && s->fn->kind == WB_SCOPE_FUNCTION);
    check_spelling(s, "int area(const struct point *, int)");
    s = find_symbol(d, WB_SYM_FUNCTION, "mul", "/programs/types.c");
    CHECK(s && s->line == 62 && s->is_static);
    check_spelling(s, "int mul(int, int)");
    s = find_symbol(d, WB_SYM_FUNCTION, "other_count", "/programs/types_other.c");
    CHECK(s && !s->is_static);
    check_spelling(s, "int other_count(void)");
    check_spelling(find_symbol(d, WB_SYM_FUNCTION, "main", "/programs/types.c"),
                   "int main(int, char **)");
    /* the libc's functions have DWARF too */
    CHECK(find_symbol(d, WB_SYM_FUNCTION, "_start", "crt1-command.c"));

    s = find_symbol(d, WB_SYM_VARIABLE, "g_counter", "/programs/types.c");
    CHECK(s && s->line == 51 && !s->is_static && s->var && s->var->nlocs == 1);
    check_spelling(s, "int g_counter");
    check_spelling(find_symbol(d, WB_SYM_VARIABLE, "g_names", "/programs/types.c"),
                   "const char * const g_names[3]");
    /* two file statics of one name, each in its file (at -O2 constants,
     * which gdb does not list as variables) */
    s = find_symbol(d, WB_SYM_VARIABLE, "s_shared", "/programs/types.c");
    CHECK(opt ? !s : s && s->is_static && s->line == 57);
    CHECK(opt || find_symbol(d, WB_SYM_VARIABLE, "s_shared", "/programs/types_other.c"));
    /* a function's static is not a CU-level variable */
    CHECK(!find_symbol(d, WB_SYM_VARIABLE, "calls", "/programs/types.c"));

    s = find_symbol(d, WB_SYM_TYPE, "point", "/programs/types.c");
    CHECK(s && s->line == 8 && s->type && s->type->kind == WB_TYPE_STRUCT);
    s = find_symbol(d, WB_SYM_TYPE, "binop", "/programs/types.c");
    CHECK(s && s->line == 29 && s->type && s->type->kind == WB_TYPE_TYPEDEF);
    /* base types have no line: they are listed under their unit's file */
    s = find_symbol(d, WB_SYM_TYPE, "int", "/programs/types.c");
    CHECK(s && s->line == 0 && s->type && s->type->kind == WB_TYPE_BASE);
    /* struct node is only declared in types_other.c: listed where defined */
    CHECK(find_symbol(d, WB_SYM_TYPE, "node", "/programs/types.c"));
    CHECK(!find_symbol(d, WB_SYM_TYPE, "node", "/programs/types_other.c"));

    const char **paths = NULL;
    size_t np = 0;
    CHECK(wb_dwarf_source_files_named(d, "types.c", &paths, &np, &err) == WB_OK && np == 1 &&
          ends_with(paths[0], "/tests/bridge/programs/types.c"));
    const char *full = np ? paths[0] : "";
    free(paths);
    CHECK(wb_dwarf_source_files_named(d, full, &paths, &np, &err) == WB_OK && np == 1);
    free(paths);
    CHECK(wb_dwarf_source_files_named(d, "programs/types_other.c", &paths, &np, &err) == WB_OK &&
          np == 1);
    free(paths);
    CHECK(wb_dwarf_source_files_named(d, "pes.c", &paths, &np, &err) == WB_NOT_FOUND);
    CHECK(wb_dwarf_source_files_named(d, "nosuch/types.c", &paths, &np, &err) == WB_NOT_FOUND);
}

static void test_types(const char *path, int opt, int dwarf)
{
    wb_wasm *w;
    wb_dwarf *d;
    wb_error err;
    char ctx[256];
    snprintf(ctx, sizeof ctx, "%s", path);
    wdb_check_context = ctx;
    if (!open_dwarf(path, &w, &d, &err)) goto out;

    /* globals */
    const wb_var *g = NULL;
    CHECK(wb_dwarf_global_named(d, "g_shape", UINT32_MAX, &g, &err) == WB_OK);
    if (g) {
        CHECK(g->is_global && !g->is_param && g->nlocs == 1 && g->locs[0].lo == 0 &&
              g->locs[0].hi == UINT32_MAX);
        CHECK(ends_with(g->decl_file, "/programs/types.c") && g->decl_line == 54);
        check_shape_type(g->type, dwarf);
        wb_location loc;
        CHECK(wb_loc_eval(g->locs[0].expr, g->locs[0].len, NULL, &loc, &err) == WB_OK &&
              loc.npieces == 1 && loc.pieces[0].kind == WB_PLACE_MEMORY &&
              loc.pieces[0].where >= 1024);
    }
    const wb_var *g2 = NULL;
    CHECK(wb_dwarf_global_named(d, "g_shape", 0, &g2, &err) == WB_OK && g2 == g);
    CHECK(wb_dwarf_global_named(d, "g_holder", UINT32_MAX, &g, &err) == WB_OK);
    if (g) {
        const wb_type *h = g->type;
        const wb_member *first = find_member(h, "first"), *cv = find_member(h, "cv");
        CHECK(h->size == 8 && first && cv);
        if (first && cv) {
            const wb_type *node = first->type->target;
            CHECK(first->type->kind == WB_TYPE_POINTER && node->kind == WB_TYPE_STRUCT &&
                  node->size == 8 && node->nmembers == 2);
            const wb_member *next = find_member(node, "next");
            /* recursive type: the same object */
            CHECK(next && next->type->kind == WB_TYPE_POINTER && next->type->target == node);
            CHECK(cv->offset == 4 && cv->type->kind == WB_TYPE_CONST &&
                  cv->type->target->kind == WB_TYPE_VOLATILE &&
                  cv->type->target->target->kind == WB_TYPE_BASE);
        }
    }
    CHECK(wb_dwarf_global_named(d, "s_scale", UINT32_MAX, &g, &err) == WB_OK);
    if (g)
        CHECK(g->type->kind == WB_TYPE_BASE && g->type->enc == WB_ENC_FLOAT && g->type->size == 8 &&
              g->is_global);
    CHECK(wb_dwarf_global_named(d, "g_names", UINT32_MAX, &g, &err) == WB_OK);
    if (g) {
        const wb_type *a = g->type;
        CHECK(a->kind == WB_TYPE_ARRAY && a->dims[0] == 3 && a->size == 12 &&
              a->target->kind == WB_TYPE_CONST && a->target->target->kind == WB_TYPE_POINTER);
    }
    CHECK(wb_dwarf_global_named(d, "g_ticks", UINT32_MAX, &g, &err) == WB_OK);
    if (g) CHECK(g->type->kind == WB_TYPE_VOLATILE && strip(g->type)->size == 4);
    /* a function-local static */
    CHECK(wb_dwarf_global_named(d, "calls", UINT32_MAX, &g, &err) == WB_OK);
    if (g) CHECK(g->is_global && g->nlocs == 1 && g->locs[0].expr[0] == 0x03 /* addr */);
    /* locals are no globals */
    CHECK(wb_dwarf_global_named(d, "sum", UINT32_MAX, &g, &err) == WB_NOT_FOUND);
    CHECK(wb_dwarf_global_named(d, "no_such_thing", UINT32_MAX, &g, &err) == WB_NOT_FOUND);

    /* two units: the incomplete struct node of types_other.c, and the file
     * static s_shared of each unit chosen by `near` */
    const wb_scope *other = NULL, *mainfn = NULL;
    wb_code_off entry = 0;
    CHECK(wb_dwarf_function_named(d, "other_count", &other, &entry, &err) == WB_OK);
    CHECK(wb_dwarf_function_named(d, "main", &mainfn, &entry, &err) == WB_OK);
    if (other && mainfn) {
        CHECK(wb_dwarf_global_named(d, "s_shared", other->low_pc, &g, &err) == WB_OK &&
              ends_with(g->decl_file, "types_other.c"));
        CHECK(wb_dwarf_global_named(d, "s_shared", mainfn->low_pc, &g, &err) == WB_OK &&
              ends_with(g->decl_file, "/types.c"));
        CHECK(wb_dwarf_global_named(d, "g_list", other->low_pc, &g, &err) == WB_OK);
        if (g) {
            const wb_type *node = g->type->target;
            CHECK(node && node->kind == WB_TYPE_STRUCT && !node->declaration &&
                  node->nmembers == 2 && node->size == 8);
        }
        const wb_var *const *gv = NULL;
        size_t ng = 0;
        CHECK(wb_dwarf_unit_globals(d, mainfn->low_pc, &gv, &ng, &err) == WB_OK);
        const char *want[] = {"g_counter", "s_scale", "g_names", "g_shape",
                              "g_holder",  "g_ticks", "s_shared"};
        for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
            CHECK_MSG(find_var(gv, ng, want[i]) != NULL, "%s", want[i]);
        CHECK(find_var(gv, ng, "calls") == NULL && find_var(gv, ng, "g_list") == NULL);
        for (size_t i = 0; i < ng; i++)
            CHECK(gv[i]->is_global);
        CHECK(wb_dwarf_unit_globals(d, other->low_pc, &gv, &ng, &err) == WB_OK &&
              find_var(gv, ng, "g_list") && find_var(gv, ng, "s_shared") &&
              !find_var(gv, ng, "g_shape"));
    }

    /* named types */
    const wb_type *t = NULL;
    CHECK(wb_dwarf_type_named(d, "struct point", UINT32_MAX, &t, &err) == WB_OK && t &&
          t->kind == WB_TYPE_STRUCT && t->size == 8);
    CHECK(wb_dwarf_type_named(d, "point_t", UINT32_MAX, &t, &err) == WB_OK && t &&
          t->kind == WB_TYPE_TYPEDEF && t->target->size == 8);
    CHECK(wb_dwarf_type_named(d, "union num", UINT32_MAX, &t, &err) == WB_OK && t &&
          t->kind == WB_TYPE_UNION);
    CHECK(wb_dwarf_type_named(d, "enum color", UINT32_MAX, &t, &err) == WB_OK && t &&
          t->kind == WB_TYPE_ENUM);
    CHECK(wb_dwarf_type_named(d, "binop", UINT32_MAX, &t, &err) == WB_OK && t &&
          t->kind == WB_TYPE_TYPEDEF);
    CHECK(wb_dwarf_type_named(d, "unsigned int", UINT32_MAX, &t, &err) == WB_OK && t &&
          t->kind == WB_TYPE_BASE && t->enc == WB_ENC_UNSIGNED && t->size == 4);
    CHECK(wb_dwarf_type_named(d, "unsigned", UINT32_MAX, &t, &err) == WB_OK && t &&
          t->kind == WB_TYPE_BASE && t->size == 4);
    CHECK(wb_dwarf_type_named(d, "struct node", other ? other->low_pc : UINT32_MAX, &t, &err) ==
              WB_OK &&
          t && t->nmembers == 2 && !t->declaration);
    /* C: a struct tag is no type name on its own */
    CHECK(wb_dwarf_type_named(d, "point", UINT32_MAX, &t, &err) == WB_NOT_FOUND);
    CHECK(wb_dwarf_type_named(d, "struct nothere", UINT32_MAX, &t, &err) == WB_NOT_FOUND);

    /* scopes and their variables */
    const wb_scope *area = NULL;
    CHECK(wb_dwarf_function_named(d, "area", &area, &entry, &err) == WB_OK);
    if (area) {
        const wb_var *const *v = NULL;
        size_t n = 0;
        CHECK(wb_dwarf_scope_vars(d, area, &v, &n, &err) == WB_OK);
        CHECK(n >= 3 && v[0]->is_param && v[1]->is_param);
        if (n >= 2) {
            CHECK_STR(v[0]->name, "p");
            CHECK_STR(v[1]->name, "scale");
            const wb_type *p = v[0]->type;
            CHECK(p->kind == WB_TYPE_POINTER && p->target->kind == WB_TYPE_CONST &&
                  p->target->target->kind == WB_TYPE_STRUCT && p->target->target->size == 8);
            CHECK(v[0]->decl_line == 64 && ends_with(v[0]->decl_file, "types.c"));
        }
        const wb_var *calls = find_var(v, n, "calls");
        CHECK(calls && calls->is_global && !calls->is_param);
        const wb_var *const *v2 = NULL;
        size_t n2 = 0;
        CHECK(wb_dwarf_scope_vars(d, area, &v2, &n2, &err) == WB_OK && v2 == v && n2 == n);
        const wb_type *rt = NULL;
        CHECK(wb_dwarf_scope_return_type(d, area, &rt, &err) == WB_OK && rt &&
              rt->kind == WB_TYPE_BASE && rt->size == 4);
        for (size_t i = 0; i < n; i++)
            check_locs_eval(v[i], area);
        if (opt == 0) {
            const wb_var *wv = find_var(v, n, "w");
            CHECK(wv && wv->nlocs == 1 && wv->decl_line == 68 && !wv->is_global);
            if (wv) {
                /* DW_OP_fbreg against local 2 (the frame pointer copy) */
                fake f;
                memset(&f, 0, sizeof f);
                f.locals[2] = 0x10000;
                wb_loc_target tg = target(&f, area->frame_base, area->frame_base_len);
                wb_location loc;
                CHECK(wb_loc_eval(wv->locs[0].expr, wv->locs[0].len, &tg, &loc, &err) == WB_OK &&
                      loc.npieces == 1 && loc.pieces[0].kind == WB_PLACE_MEMORY &&
                      loc.pieces[0].where > 0x10000 && loc.pieces[0].where < 0x10040);
            }
        }
    }
    /* lexical blocks: pt inside j inside i inside main */
    wb_line_sites sites;
    CHECK(wb_dwarf_line_sites(d, "types.c", 99, &sites, &err) == WB_OK);
    if (sites.count) {
        wb_scope_chain c;
        CHECK(wb_dwarf_scopes_at(d, sites.sites[0].addr, &c, &err) == WB_OK);
        bool seen_pt = false, seen_i = false, seen_argc = false;
        for (size_t k = 0; k < c.count; k++) {
            const wb_var *const *v = NULL;
            size_t n = 0;
            CHECK(wb_dwarf_scope_vars(d, c.scopes[k], &v, &n, &err) == WB_OK);
            const wb_scope *fn = c.scopes[c.count - 1];
            for (size_t i = 0; i < n; i++)
                check_locs_eval(v[i], fn);
            if (find_var(v, n, "pt")) {
                seen_pt = true;
                CHECK(c.scopes[k]->kind == WB_SCOPE_BLOCK);
                const wb_type *pt = find_var(v, n, "pt")->type;
                CHECK(pt->kind == WB_TYPE_POINTER && pt->target->kind == WB_TYPE_TYPEDEF);
            }
            if (find_var(v, n, "i")) seen_i = c.scopes[k]->kind == WB_SCOPE_BLOCK;
            if (find_var(v, n, "argc")) {
                seen_argc = c.scopes[k]->kind == WB_SCOPE_FUNCTION;
                CHECK(find_var(v, n, "pt") == NULL && find_var(v, n, "sum") != NULL);
            }
        }
        CHECK(seen_i && seen_argc);
        if (opt == 0) CHECK(seen_pt);
        wb_scope_chain_free(&c);
        wb_line_sites_free(&sites);
    }
    /* -O2: location lists (DWARF 4 .debug_loc, DWARF 5 .debug_loclists) */
    if (opt == 2 && mainfn) {
        wb_scope_chain c;
        size_t lists = 0;
        for (wb_code_off a = mainfn->low_pc; a < mainfn->high_pc; a += 3) {
            if (wb_dwarf_scopes_at(d, a, &c, &err) != WB_OK) continue;
            for (size_t k = 0; k < c.count; k++) {
                const wb_var *const *v = NULL;
                size_t n = 0;
                if (wb_dwarf_scope_vars(d, c.scopes[k], &v, &n, &err) != WB_OK) continue;
                for (size_t i = 0; i < n; i++) {
                    if (v[i]->nlocs > 1) lists++;
                    const uint8_t *x;
                    size_t xl;
                    if (wb_loc_select(v[i], a, &x, &xl) == WB_OK) {
                        fake f;
                        memset(&f, 0, sizeof f);
                        wb_loc_target tg = target(&f, mainfn->frame_base, mainfn->frame_base_len);
                        wb_location loc;
                        CHECK_MSG(wb_loc_eval(x, xl, &tg, &loc, &err) == WB_OK, "%s at 0x%x: %s",
                                  v[i]->name, a, err.msg);
                    }
                }
            }
            wb_scope_chain_free(&c);
        }
        CHECK(lists > 0);
        const wb_var *const *v = NULL;
        size_t n = 0;
        CHECK(wb_dwarf_scope_vars(d, mainfn, &v, &n, &err) == WB_OK);
        const wb_var *argc = find_var(v, n, "argc");
        CHECK(argc && argc->is_param && argc->nlocs >= 1);
        if (argc) check_locs_eval(argc, mainfn);
    }

    /* source files: sorted, unique, both units there */
    const char *const *files = NULL;
    size_t nf = 0;
    CHECK(wb_dwarf_source_files(d, &files, &nf, &err) == WB_OK && nf > 2);
    bool types_c = false, other_c = false;
    for (size_t i = 0; i < nf; i++) {
        if (i) CHECK(strcmp(files[i - 1], files[i]) < 0);
        types_c |= ends_with(files[i], "/tests/bridge/programs/types.c");
        other_c |= ends_with(files[i], "/tests/bridge/programs/types_other.c");
    }
    CHECK(types_c && other_c);
    check_symbols(d, opt);
out:
    wdb_check_context = NULL;
    wb_dwarf_close(d);
    wb_wasm_close(w);
}

/* ----------------------------------------------------------------- C++ */

static void test_cxx(const char *path, int opt)
{
    wb_wasm *w;
    wb_dwarf *d;
    wb_error err;
    char ctx[256];
    snprintf(ctx, sizeof ctx, "%s", path);
    wdb_check_context = ctx;
    if (!open_dwarf(path, &w, &d, &err)) goto out;
    const wb_type *t = NULL;
    CHECK(wb_dwarf_type_named(d, "geo::Rect", UINT32_MAX, &t, &err) == WB_OK);
    if (t) {
        CHECK(t->kind == WB_TYPE_STRUCT && t->is_class && t->size == 16);
        CHECK_STR(t->qualified_name, "geo::Rect");
        CHECK_STR(t->name, "Rect");
        const wb_member *hi = find_member(t, "hi_");
        CHECK(hi && hi->offset == 8);
        if (hi) CHECK_STR(hi->type->qualified_name, "geo::Point");
    }
    CHECK(wb_dwarf_type_named(d, "Point", UINT32_MAX, &t, &err) == WB_OK && t &&
          t->kind == WB_TYPE_STRUCT && !t->is_class);
    CHECK(wb_dwarf_type_named(d, "class geo::Rect", UINT32_MAX, &t, &err) == WB_OK);
    CHECK(wb_dwarf_type_named(d, "geo::Nope", UINT32_MAX, &t, &err) == WB_NOT_FOUND);

    /* symbols: qualified names; a method's type without `this`; an
     * out-of-line definition at its own line, not its class's (at -O2
     * the linker dropped area() and count_inside() is only inlined) */
    const wb_symbol *sy = find_symbol(d, WB_SYM_FUNCTION, "geo::Rect::area", "/shapes.cpp");
    CHECK(opt || (sy && sy->line == 27 && !sy->is_static && sy->fn));
    check_spelling(sy, "int geo::Rect::area(void)");
    check_spelling(find_symbol(d, WB_SYM_FUNCTION, "geo::Rect::contains", "/shapes.cpp"),
                   "bool geo::Rect::contains(const struct geo::Point &)");
    sy = find_symbol(d, WB_SYM_FUNCTION, "(anonymous namespace)::count_inside", "/shapes.cpp");
    CHECK(opt || (sy && sy->is_static));
    sy = find_symbol(d, WB_SYM_TYPE, "geo::Rect", "/shapes.cpp");
    CHECK(sy && sy->line == 14 && sy->type && sy->type->is_class);

    const wb_scope *fn = NULL;
    wb_code_off entry;
    CHECK(wb_dwarf_function_named(d, "(anonymous namespace)::count_inside", &fn, &entry, &err) ==
          WB_OK);
    if (fn) {
        const wb_var *const *v = NULL;
        size_t n = 0;
        CHECK(wb_dwarf_scope_vars(d, fn, &v, &n, &err) == WB_OK && n >= 3);
        const wb_var *r = find_var(v, n, "r");
        CHECK(r && r->is_param && r->type->kind == WB_TYPE_REFERENCE && r->type->size == 4 &&
              r->type->target->kind == WB_TYPE_CONST);
        if (r) CHECK_STR(strip(r->type->target)->qualified_name, "geo::Rect");
        for (size_t i = 0; i < n; i++)
            check_locs_eval(v[i], fn);
    }
    if (opt == 0) {
        CHECK(wb_dwarf_function_named(d, "geo::Rect::area", &fn, &entry, &err) == WB_OK);
        if (fn) {
            const wb_var *const *v = NULL;
            size_t n = 0;
            CHECK(wb_dwarf_scope_vars(d, fn, &v, &n, &err) == WB_OK && n == 3);
            if (n == 3) {
                CHECK_STR(v[0]->name, "this");
                CHECK(v[0]->is_artificial && v[0]->is_param && v[0]->type->kind == WB_TYPE_POINTER);
                CHECK_STR(strip(v[0]->type->target)->qualified_name, "geo::Rect");
                CHECK_STR(v[1]->name, "w");
                CHECK(v[1]->decl_line == 29);
            }
            const wb_type *rt = NULL;
            CHECK(wb_dwarf_scope_return_type(d, fn, &rt, &err) == WB_OK && rt &&
                  rt->kind == WB_TYPE_BASE);
        }
        CHECK(wb_dwarf_function_named(d, "geo::detail::sum_of<int>", &fn, &entry, &err) == WB_OK);
        if (fn) {
            const wb_var *const *v = NULL;
            size_t n = 0;
            CHECK(wb_dwarf_scope_vars(d, fn, &v, &n, &err) == WB_OK);
            const wb_var *pv = find_var(v, n, "v");
            CHECK(pv && pv->type->kind == WB_TYPE_POINTER &&
                  pv->type->target->kind == WB_TYPE_CONST);
        }
    } else {
        /* inlined copies: names and types from the abstract origin */
        size_t inl = 0, named = 0;
        CHECK(wb_dwarf_function_named(d, "main", &fn, &entry, &err) == WB_OK);
        for (wb_code_off a = fn ? fn->low_pc : 0; fn && a < fn->high_pc; a++) {
            wb_scope_chain c;
            if (wb_dwarf_scopes_at(d, a, &c, &err) != WB_OK) continue;
            if (c.scopes[0]->kind == WB_SCOPE_INLINED) {
                const wb_var *const *v = NULL;
                size_t n = 0;
                inl++;
                CHECK(wb_dwarf_scope_vars(d, c.scopes[0], &v, &n, &err) == WB_OK);
                for (size_t i = 0; i < n; i++) {
                    named += v[i]->name != NULL && v[i]->type && v[i]->decl_line > 0;
                    check_locs_eval(v[i], fn);
                }
                const wb_type *rt = NULL;
                CHECK(wb_dwarf_scope_return_type(d, c.scopes[0], &rt, &err) == WB_OK);
            }
            wb_scope_chain_free(&c);
        }
        CHECK(inl > 0 && named > 0);
    }
out:
    wdb_check_context = NULL;
    wb_dwarf_close(d);
    wb_wasm_close(w);
}

/* --------------------------------------------- a corrupt line header */

static uint8_t *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = malloc(len > 0 ? (size_t)len : 1);
    if (b && fread(b, 1, (size_t)len, f) != (size_t)len) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *n = (size_t)len;
    return b;
}

/* The file offset and size of custom section `name` of the module in
 * bytes (wb_wasm copies the bytes: found by content). false if absent. */
static bool section_at(const uint8_t *bytes, size_t n, const char *name, size_t *at, size_t *size)
{
    wb_wasm *w = NULL;
    wb_error err;
    const uint8_t *sec = NULL;
    bool found = false;
    if (wb_wasm_open_bytes(bytes, n, &w, &err) != WB_OK) return false;
    if (wb_wasm_custom_section(w, name, &sec, size) == WB_OK && *size > 0) {
        size_t k = *size < 64 ? *size : 64;
        for (size_t i = 0; i + *size <= n && !found; i++)
            if (memcmp(bytes + i, sec, k) == 0 && memcmp(bytes + i, sec, *size) == 0) {
                *at = i;
                found = true;
            }
    }
    wb_wasm_close(w);
    return found;
}

/* DWARF 5 line tables of the module get a directory count of 2^32 - 1 with
 * no entry formats (written over their directory_entry_format_count byte
 * and what follows, as a 5-byte ULEB): libdwarf 20210528 would allocate by
 * that count. The guard in wb_dwarf.c must reject such a header with its
 * own message before libdwarf sees it; the other queries go on. */
static void test_bad_line_header(const char *path)
{
    size_t n = 0;
    uint8_t *bytes = slurp(path, &n);
    CHECK(bytes != NULL);
    if (!bytes) return;
    wb_wasm *w = NULL;
    wb_dwarf *d = NULL;
    wb_error err;
    size_t line_at = 0, line_size = 0;
    CHECK(section_at(bytes, n, ".debug_line", &line_at, &line_size));
    size_t patched = 0;
    if (line_size) {
        uint8_t *p = bytes + line_at;
        for (size_t pos = 0; pos + 12 <= line_size;) {
            uint32_t len = (uint32_t)p[pos] | (uint32_t)p[pos + 1] << 8 |
                           (uint32_t)p[pos + 2] << 16 | (uint32_t)p[pos + 3] << 24;
            uint16_t version = (uint16_t)(p[pos + 4] | p[pos + 5] << 8);
            if (len > line_size - pos - 4) break;
            if (version == 5) {
                /* unit_length 4, version 2, address_size 1, seg 1,
                 * header_length 4, 6 single bytes, then opcode_base - 1
                 * standard_opcode_lengths */
                size_t ob = pos + 4 + 2 + 2 + 4 + 5;
                size_t fmt = ob + 1 + (p[ob] ? p[ob] - 1u : 0u);
                if (fmt + 6 <= pos + 4 + len) {
                    const uint8_t evil[6] = {0x00, 0xff, 0xff, 0xff, 0xff, 0x0f};
                    memcpy(p + fmt, evil, sizeof evil);
                    patched++;
                }
            }
            pos += 4 + (size_t)len;
        }
    }
    CHECK(patched > 0);
    if (wb_wasm_open_bytes(bytes, n, &w, &err) == WB_OK && wb_dwarf_open(w, &d, &err) == WB_OK) {
        size_t nunits = 0, guarded = 0;
        CHECK(wb_dwarf_unit_count(d, &nunits, &err) == WB_OK);
        for (size_t u = 0; u < nunits; u++) {
            const char *name;
            const wb_line *rows;
            size_t nrows;
            wb_status st = wb_dwarf_unit_lines(d, u, &name, &rows, &nrows, &err);
            CHECK(st == WB_OK || st == WB_ERROR);
            if (st == WB_ERROR) {
                CHECK_MSG(strstr(err.msg, "corrupt DWARF") != NULL, "%s", err.msg);
                guarded += strstr(err.msg, "line table header") != NULL;
            }
        }
        CHECK(guarded > 0);
        /* everything else still answers */
        const wb_var *g = NULL;
        CHECK(wb_dwarf_global_named(d, "g_counter", UINT32_MAX, &g, &err) == WB_OK);
        const char *const *files;
        size_t nf;
        CHECK(wb_dwarf_source_files(d, &files, &nf, &err) == WB_OK);
        const wb_scope *fn;
        wb_code_off entry;
        wb_status st = wb_dwarf_function_named(d, "area", &fn, &entry, &err);
        CHECK(st == WB_OK || st == WB_ERROR);
    } else {
        CHECK_FAILED("cannot open the patched module");
    }
    wb_dwarf_close(d);
    wb_wasm_close(w);
    free(bytes);
}

/* Flipped bytes all along .debug_info and .debug_loclists: every query
 * of this module gives one of the three outcomes, never a crash. */
static void test_flipped(const char *path)
{
    size_t n = 0;
    uint8_t *orig = slurp(path, &n);
    CHECK(orig != NULL);
    if (!orig) return;
    const char *secs[] = {".debug_info", ".debug_loclists", ".debug_loc", ".debug_addr"};
    for (size_t s = 0; s < sizeof secs / sizeof secs[0]; s++) {
        wb_wasm *w = NULL;
        wb_error err;
        size_t at = 0, size = 0;
        if (!section_at(orig, n, secs[s], &at, &size)) continue;
        for (size_t off = 0; off < size; off += size / 61 + 1) {
            uint8_t *m = malloc(n);
            memcpy(m, orig, n);
            for (size_t k = off; k < off + 16 && k < size; k++)
                m[at + k] ^= 0xff;
            wb_dwarf *d = NULL;
            w = NULL;
            if (wb_wasm_open_bytes(m, n, &w, &err) == WB_OK &&
                wb_dwarf_open(w, &d, &err) == WB_OK) {
                const char *names[] = {"g_shape", "g_holder", "calls", "s_shared", "g_list"};
                for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
                    const wb_var *g;
                    wb_status st = wb_dwarf_global_named(d, names[i], UINT32_MAX, &g, &err);
                    CHECK(st == WB_OK || st == WB_NOT_FOUND || (st == WB_ERROR && err.msg[0]));
                }
                const wb_type *t;
                wb_dwarf_type_named(d, "struct shape", UINT32_MAX, &t, &err);
                const wb_var *const *v;
                size_t nv;
                uint32_t step = wb_wasm_code_size(w) / 40 + 1;
                for (wb_code_off a = 0; a < wb_wasm_code_size(w); a += step) {
                    wb_scope_chain c;
                    if (wb_dwarf_scopes_at(d, a, &c, &err) != WB_OK) continue;
                    for (size_t k = 0; k < c.count; k++) {
                        const wb_type *rt;
                        if (wb_dwarf_scope_vars(d, c.scopes[k], &v, &nv, &err) == WB_OK)
                            for (size_t i = 0; i < nv; i++) {
                                wb_location loc;
                                for (size_t j = 0; j < v[i]->nlocs; j++)
                                    wb_loc_eval(v[i]->locs[j].expr, v[i]->locs[j].len, NULL, &loc,
                                                &err);
                            }
                        wb_dwarf_scope_return_type(d, c.scopes[k], &rt, &err);
                    }
                    wb_dwarf_unit_globals(d, a, &v, &nv, &err);
                    wb_scope_chain_free(&c);
                }
                const char *const *files;
                wb_dwarf_source_files(d, &files, &nv, &err);
            }
            wb_dwarf_close(d);
            wb_wasm_close(w);
            free(m);
        }
    }
    free(orig);
}

int main(int argc, char **argv)
{
    if (argc != 8) {
        fprintf(stderr, "usage: test_vars TYPES_O0_DWARF3 TYPES_O0_DWARF4 TYPES_O0_DWARF5 "
                        "TYPES_O2_DWARF4 TYPES_O2_DWARF5 SHAPES_O0_DWARF5 SHAPES_O2_DWARF4\n");
        return 2;
    }
    test_loc_eval();
    test_loc_describe();
    test_types(argv[1], 0, 3);
    test_types(argv[2], 0, 4);
    test_types(argv[3], 0, 5);
    test_types(argv[4], 2, 4);
    test_types(argv[5], 2, 5);
    test_cxx(argv[6], 0);
    test_cxx(argv[7], 2);
    test_bad_line_header(argv[3]);
    test_flipped(argv[5]);
    test_flipped(argv[2]);
    return CHECK_DONE("test_vars");
}
