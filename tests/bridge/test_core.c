/*
 * Unit tests of the core dump reader (lldb-bridge/formats/wb_core.c) on cores
 * assembled here: the tool-conventions format (Coredump.md) in its latest
 * and older forms, wdb's own sections, and malformed files (truncation at
 * every offset, byte mutations, absurd counts, inconsistent segments).
 *
 * `test_core --write-seeds DIR` writes the well-formed cores to DIR: that
 * is how tests/fuzz/corpus/core was made.
 */
#include "check.h"
#include "wb_core.h"
#include "wdb/wasmfmt.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---------------------------------------------------------------- writer */

typedef struct buf {
    uint8_t *b;
    size_t n, cap;
} buf;

static void put(buf *m, const void *p, size_t n)
{
    if (m->n + n > m->cap) {
        size_t cap = m->cap ? m->cap : 256;
        while (cap < m->n + n)
            cap *= 2;
        uint8_t *nb = realloc(m->b, cap);
        if (!nb) {
            fprintf(stderr, "test_core: out of memory\n");
            exit(2);
        }
        m->b = nb;
        m->cap = cap;
    }
    if (n) memcpy(m->b + m->n, p, n);
    m->n += n;
}

static void put_u8(buf *m, uint8_t v)
{
    put(m, &v, 1);
}

static void put_uleb(buf *m, uint64_t v)
{
    uint8_t b[10];
    put(m, b, wf_leb_write(b, v));
}

static void put_sleb(buf *m, int64_t v)
{
    uint8_t b[10];
    put(m, b, wf_sleb_write(b, v));
}

static void put_le(buf *m, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        put_u8(m, (uint8_t)(v >> (8 * i)));
}

static void put_name(buf *m, const char *s)
{
    put_uleb(m, strlen(s));
    put(m, s, strlen(s));
}

static void buf_free(buf *m)
{
    free(m->b);
    *m = (buf){0};
}

/* Appends section `id` with `contents` and empties contents. */
static void section(buf *m, uint8_t id, buf *contents)
{
    put_u8(m, id);
    put_uleb(m, contents->n);
    put(m, contents->b, contents->n);
    contents->n = 0;
}

static void custom(buf *m, const char *name, buf *contents)
{
    buf s = {0};
    put_name(&s, name);
    put(&s, contents->b, contents->n);
    section(m, 0, &s);
    buf_free(&s);
    contents->n = 0;
}

static void header(buf *m)
{
    static const uint8_t h[8] = {0, 'a', 's', 'm', 1, 0, 0, 0};
    m->n = 0;
    put(m, h, 8);
}

static void val_i32(buf *m, int32_t v)
{
    put_u8(m, 0x7f), put_sleb(m, v);
}
static void val_i64(buf *m, int64_t v)
{
    put_u8(m, 0x7e), put_sleb(m, v);
}
static void val_f32(buf *m, uint32_t bits)
{
    put_u8(m, 0x7d), put_le(m, bits, 4);
}
static void val_f64(buf *m, uint64_t bits)
{
    put_u8(m, 0x7c), put_le(m, bits, 8);
}
static void val_missing(buf *m)
{
    put_u8(m, 0x01);
}

/* A frame's header: 0x00 [instanceidx] funcidx codeoffset. */
static void frame_head(buf *m, bool with_inst, uint32_t inst, uint32_t func, uint32_t off)
{
    put_u8(m, 0);
    if (with_inst) put_uleb(m, inst);
    put_uleb(m, func);
    put_uleb(m, off);
}

/* -------------------------------------------------------------- the core */

#define F32_1_5 0x3fc00000u
#define F64_M2_25 0xc002000000000000u
#define F64_1 0x3ff0000000000000u
#define F32_PI 0x40490fdbu
#define F64_E 0x4005bf0a8b145769u

static const uint8_t the_module[] = {0, 'a', 's', 'm', 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0};

typedef struct opts {
    bool modules;     /* coremodules */
    bool instances;   /* coreinstances */
    bool inst_frames; /* frames with instanceidx */
    bool identity;    /* wdb.module */
    uint64_t id_size, id_hash;
    bool trap;  /* wdb.trap */
    bool extra; /* unrelated sections a reader must skip */
} opts;

/* The main thread's stack: 2 frames, locals of every value type, missing
 * ones included, and stack values. */
static void main_stack(buf *m, bool with_inst)
{
    buf s = {0};
    put_u8(&s, 0);
    put_name(&s, "main");
    put_uleb(&s, 2);
    frame_head(&s, with_inst, 0, 5, 0x10);
    put_uleb(&s, 6);
    val_i32(&s, -1);
    val_i64(&s, -0x123456789ll);
    val_f32(&s, F32_1_5);
    val_f64(&s, F64_M2_25);
    val_missing(&s);
    val_i32(&s, INT32_MIN);
    put_uleb(&s, 3);
    val_i32(&s, 42);
    val_i64(&s, INT64_MAX);
    val_missing(&s);
    frame_head(&s, with_inst, 0, 2, 3);
    put_uleb(&s, 0);
    put_uleb(&s, 1);
    val_f64(&s, F64_1);
    custom(m, "corestack", &s);
    buf_free(&s);
}

/* A second thread without frames. */
static void idle_stack(buf *m)
{
    buf s = {0};
    put_u8(&s, 0);
    put_name(&s, "worker");
    put_uleb(&s, 0);
    custom(m, "corestack", &s);
    buf_free(&s);
}

/* One memory of 2 pages; segments at 0xfffc (8 bytes, across the page
 * boundary, flag 2) and 0x100 ("hello, core", flag 0), out of address
 * order, and a passive one. Globals: i32, i64, f32, f64, funcref null,
 * funcref of function 3, externref null. */
static void memory_and_globals(buf *m)
{
    buf s = {0};
    put_uleb(&s, 1);
    put_u8(&s, 0);
    put_uleb(&s, 2);
    section(m, 5, &s);

    put_uleb(&s, 7);
    put_u8(&s, 0x7f), put_u8(&s, 1), put_u8(&s, 0x41), put_sleb(&s, 0x1234), put_u8(&s, 0x0b);
    put_u8(&s, 0x7e), put_u8(&s, 0), put_u8(&s, 0x42), put_sleb(&s, -5), put_u8(&s, 0x0b);
    put_u8(&s, 0x7d), put_u8(&s, 0), put_u8(&s, 0x43), put_le(&s, F32_PI, 4), put_u8(&s, 0x0b);
    put_u8(&s, 0x7c), put_u8(&s, 0), put_u8(&s, 0x44), put_le(&s, F64_E, 8), put_u8(&s, 0x0b);
    put_u8(&s, 0x70), put_u8(&s, 0), put_u8(&s, 0xd0), put_u8(&s, 0x70), put_u8(&s, 0x0b);
    put_u8(&s, 0x70), put_u8(&s, 0), put_u8(&s, 0xd2), put_uleb(&s, 3), put_u8(&s, 0x0b);
    put_u8(&s, 0x6f), put_u8(&s, 1), put_u8(&s, 0xd0), put_u8(&s, 0x6f), put_u8(&s, 0x0b);
    section(m, 6, &s);

    put_uleb(&s, 3);
    put_uleb(&s, 2); /* flag 2: memory index, offset, bytes */
    put_uleb(&s, 0);
    put_u8(&s, 0x41), put_sleb(&s, 0xfffc), put_u8(&s, 0x0b);
    put_uleb(&s, 8);
    for (uint8_t i = 1; i <= 8; i++)
        put_u8(&s, i);
    put_uleb(&s, 1); /* passive: not memory */
    put_name(&s, "passive");
    put_uleb(&s, 0); /* flag 0: memory 0, offset, bytes */
    put_u8(&s, 0x41), put_sleb(&s, 0x100), put_u8(&s, 0x0b);
    put_name(&s, "hello, core");
    section(m, 11, &s);
    buf_free(&s);
}

static void build_core(buf *m, const opts *o)
{
    buf s = {0};
    header(m);
    if (o->extra) {
        put_uleb(&s, 0); /* an empty type section */
        section(m, 1, &s);
        put(&s, "\x01\x02\x03", 3);
        custom(m, "producers", &s);
    }
    put_u8(&s, 0);
    put_name(&s, "prog.wasm");
    custom(m, "core", &s);
    if (o->modules) {
        put_uleb(&s, 1);
        put_u8(&s, 0);
        put_name(&s, "prog");
        custom(m, "coremodules", &s);
    }
    if (o->instances) {
        put_uleb(&s, 1);
        put_u8(&s, 0);
        put_uleb(&s, 0);                  /* module 0 */
        put_uleb(&s, 1), put_uleb(&s, 0); /* memories: [0] */
        put_uleb(&s, 7);                  /* globals: [0..6] */
        for (uint32_t i = 0; i < 7; i++)
            put_uleb(&s, i);
        custom(m, "coreinstances", &s);
    }
    main_stack(m, o->inst_frames);
    idle_stack(m);
    memory_and_globals(m);
    if (o->identity) {
        put_uleb(&s, 1);
        put_uleb(&s, o->id_size);
        put_le(&s, o->id_hash, 8);
        custom(m, "wdb.module", &s);
    }
    if (o->trap) {
        put_name(&s, "integer divide by zero");
        put_uleb(&s, 4);
        custom(m, "wdb.trap", &s);
    }
    buf_free(&s);
}

static const opts full_opts = {
    .modules = true,
    .instances = true,
    .inst_frames = true,
    .identity = true,
    .id_size = sizeof the_module,
    .id_hash = 0, /* set by full_core */
    .trap = true,
    .extra = true,
};

static void full_core(buf *m)
{
    opts o = full_opts;
    o.id_hash = wb_core_fnv1a64(the_module, sizeof the_module);
    build_core(m, &o);
}

/* ------------------------------------------------------------- helpers */

static wb_core *open_ok(const buf *m, const char *what)
{
    wb_core *c = NULL;
    wb_error err = {{0}};
    wb_status st = wb_core_open_bytes(m->b, m->n, &c, &err);
    CHECK_MSG(st == WB_OK, "%s: %s", what, err.msg);
    return st == WB_OK ? c : NULL;
}

/* Expects WB_ERROR with a message containing each of the `want` strings. */
static void open_bad(const buf *m, const char *what, const char *want1, const char *want2)
{
    wb_core *c = NULL;
    wb_error err = {{0}};
    wb_status st = wb_core_open_bytes(m->b, m->n, &c, &err);
    CHECK_MSG(st == WB_ERROR, "%s: opened", what);
    CHECK_MSG(c == NULL, "%s: handle set on error", what);
    if (want1)
        CHECK_MSG(strstr(err.msg, want1), "%s: message \"%s\" lacks \"%s\"", what, err.msg, want1);
    if (want2)
        CHECK_MSG(strstr(err.msg, want2), "%s: message \"%s\" lacks \"%s\"", what, err.msg, want2);
    wb_core_close(c);
}

static void check_value(const wb_core_value *v, uint8_t type, uint64_t bits, const char *what)
{
    CHECK_MSG(v->type == type && v->bits == bits,
              "%s: type 0x%02x bits 0x%llx, expected 0x%02x 0x%llx", what, v->type,
              (unsigned long long)v->bits, type, (unsigned long long)bits);
}

/* The main thread's frames as main_stack wrote them. */
static void check_main_thread(const wb_core *c)
{
    CHECK_EQ(wb_core_thread_count(c), 2);
    CHECK_STR(wb_core_thread_name(c, 0), "main");
    CHECK_STR(wb_core_thread_name(c, 1), "worker");
    CHECK(wb_core_thread_name(c, 2) == NULL);
    CHECK_EQ(wb_core_frame_count(c, 0), 2);
    CHECK_EQ(wb_core_frame_count(c, 1), 0);
    CHECK_EQ(wb_core_frame_count(c, 9), 0);
    CHECK(wb_core_frame_at(c, 0, 2) == NULL);
    CHECK(wb_core_frame_at(c, 1, 0) == NULL);
    const wb_core_frame *f = wb_core_frame_at(c, 0, 0);
    if (!f) {
        CHECK_FAILED("no frame 0");
        return;
    }
    CHECK_EQ(f->instance, 0);
    CHECK_EQ(f->func, 5);
    CHECK_EQ(f->code_offset, 0x10);
    CHECK_EQ(f->nlocals, 6);
    CHECK_EQ(f->nstack, 3);
    if (f->nlocals == 6) {
        check_value(&f->locals[0], WB_CORE_I32, 0xffffffffu, "local 0");
        check_value(&f->locals[1], WB_CORE_I64, (uint64_t)-0x123456789ll, "local 1");
        check_value(&f->locals[2], WB_CORE_F32, F32_1_5, "local 2");
        check_value(&f->locals[3], WB_CORE_F64, F64_M2_25, "local 3");
        check_value(&f->locals[4], WB_CORE_MISSING, 0, "local 4");
        check_value(&f->locals[5], WB_CORE_I32, 0x80000000u, "local 5");
    }
    if (f->nstack == 3) {
        check_value(&f->stack[0], WB_CORE_I32, 42, "stack 0");
        check_value(&f->stack[1], WB_CORE_I64, INT64_MAX, "stack 1");
        check_value(&f->stack[2], WB_CORE_MISSING, 0, "stack 2");
    }
    f = wb_core_frame_at(c, 0, 1);
    if (!f) {
        CHECK_FAILED("no frame 1");
        return;
    }
    CHECK_EQ(f->instance, 0);
    CHECK_EQ(f->func, 2);
    CHECK_EQ(f->code_offset, 3);
    CHECK_EQ(f->nlocals, 0);
    CHECK_EQ(f->nstack, 1);
    if (f->nstack == 1) check_value(&f->stack[0], WB_CORE_F64, F64_1, "frame 1 stack 0");
}

static void check_memory_and_globals(const wb_core *c)
{
    uint8_t b[32];
    uint64_t size = 0;
    CHECK_EQ(wb_core_memory_count(c, 0), 1);
    CHECK(wb_core_memory_size(c, 0, 0, &size) == WB_OK);
    CHECK_EQ(size, 0x20000);
    CHECK(wb_core_memory_size(c, 0, 1, &size) == WB_NOT_FOUND);

    /* inside a segment, at its edges, across two pages, outside any */
    CHECK_EQ(wb_core_read_memory(c, 0, 0, 0x100, b, 11, NULL), WB_OK);
    CHECK(memcmp(b, "hello, core", 11) == 0);
    memset(b, 0xaa, sizeof b);
    CHECK_EQ(wb_core_read_memory(c, 0, 0, 0xfe, b, 4, NULL), WB_OK);
    CHECK(memcmp(b, "\0\0he", 4) == 0);
    CHECK_EQ(wb_core_read_memory(c, 0, 0, 0x109, b, 4, NULL), WB_OK);
    CHECK(memcmp(b, "re\0\0", 4) == 0);
    memset(b, 0xaa, sizeof b);
    CHECK_EQ(wb_core_read_memory(c, 0, 0, 0xfffa, b, 12, NULL), WB_OK);
    CHECK(memcmp(b, "\0\0\1\2\3\4\5\6\7\x08\0\0", 12) == 0);
    CHECK_EQ(wb_core_read_memory(c, 0, 0, 0x10002, b, 2, NULL), WB_OK);
    CHECK(b[0] == 7 && b[1] == 8);
    memset(b, 0xaa, sizeof b);
    CHECK_EQ(wb_core_read_memory(c, 0, 0, 0x5000, b, 32, NULL), WB_OK);
    CHECK(b[0] == 0 && b[31] == 0);
    /* a read spanning both segments */
    uint8_t *big = malloc(0x10000);
    if (big) {
        CHECK_EQ(wb_core_read_memory(c, 0, 0, 0x100, big, 0xff00, NULL), WB_OK);
        CHECK(memcmp(big, "hello, core", 11) == 0 && big[11] == 0);
        CHECK(big[0xfffc - 0x100] == 1 && big[0xff00 - 1] == 4);
        free(big);
    }

    /* the memory's end */
    CHECK_EQ(wb_core_read_memory(c, 0, 0, 0x20000 - 4, b, 4, NULL), WB_OK);
    CHECK_EQ(wb_core_read_memory(c, 0, 0, 0x20000 - 4, b, 5, NULL), WB_ERROR);
    CHECK_EQ(wb_core_read_memory(c, 0, 0, 0x20000, b, 0, NULL), WB_OK);
    wb_error e;
    CHECK_EQ(wb_core_read_memory(c, 0, 0, 0x20000, b, 1, &e), WB_ERROR);
    CHECK(strcmp(e.msg, "Cannot access memory at address 0x20000") == 0);
    CHECK_EQ(wb_core_read_memory(c, 0, 0, 0x20001, b, 0, NULL), WB_ERROR);
    CHECK_EQ(wb_core_read_memory(c, 0, 0, UINT64_MAX, b, 2, NULL), WB_ERROR);
    CHECK_EQ(wb_core_read_memory(c, 0, 0, 0x100, b, SIZE_MAX, NULL), WB_ERROR);
    CHECK_EQ(wb_core_read_memory(c, 0, 1, 0, b, 1, NULL), WB_NOT_FOUND);
    CHECK_EQ(wb_core_read_memory(c, 1, 0, 0, b, 1, NULL), WB_NOT_FOUND);

    CHECK_EQ(wb_core_memory_captured(c, 0, 0, 0, 0x20000), 19);
    CHECK_EQ(wb_core_memory_captured(c, 0, 0, 0xfe, 4), 2);
    CHECK_EQ(wb_core_memory_captured(c, 0, 0, 0x10000, UINT64_MAX), 4);
    CHECK_EQ(wb_core_memory_captured(c, 0, 0, 0x200, 0x100), 0);

    wb_core_value v;
    CHECK_EQ(wb_core_global_count(c, 0), 7);
    CHECK(wb_core_global(c, 0, 0, &v) == WB_OK);
    check_value(&v, WB_CORE_I32, 0x1234, "global 0");
    CHECK(wb_core_global(c, 0, 1, &v) == WB_OK);
    check_value(&v, WB_CORE_I64, (uint64_t)-5, "global 1");
    CHECK(wb_core_global(c, 0, 2, &v) == WB_OK);
    check_value(&v, WB_CORE_F32, F32_PI, "global 2");
    CHECK(wb_core_global(c, 0, 3, &v) == WB_OK);
    check_value(&v, WB_CORE_F64, F64_E, "global 3");
    CHECK(wb_core_global(c, 0, 4, &v) == WB_OK);
    check_value(&v, WB_CORE_FUNCREF, WB_CORE_NULL_REF, "global 4");
    CHECK(wb_core_global(c, 0, 5, &v) == WB_OK);
    check_value(&v, WB_CORE_FUNCREF, 3, "global 5");
    CHECK(wb_core_global(c, 0, 6, &v) == WB_OK);
    check_value(&v, WB_CORE_EXTERNREF, WB_CORE_NULL_REF, "global 6");
    CHECK(wb_core_global(c, 0, 7, &v) == WB_NOT_FOUND);
    CHECK(wb_core_global(c, 1, 0, &v) == WB_NOT_FOUND);
}

/* --------------------------------------------------------------- tests */

static void test_full(void)
{
    buf m = {0};
    full_core(&m);
    wb_core *c = open_ok(&m, "full core");
    if (c) {
        CHECK_STR(wb_core_executable(c), "prog.wasm");
        CHECK_EQ(wb_core_module_count(c), 1);
        CHECK_STR(wb_core_module_name(c, 0), "prog");
        CHECK(wb_core_module_name(c, 1) == NULL);
        CHECK_EQ(wb_core_instance_count(c), 1);
        CHECK_EQ(wb_core_instance_module(c, 0), 0);
        CHECK_EQ(wb_core_instance_module(c, 1), UINT32_MAX);
        check_main_thread(c);
        check_memory_and_globals(c);
        uint64_t size = 0, hash = 0;
        CHECK(wb_core_module_identity(c, &size, &hash));
        CHECK_EQ(size, sizeof the_module);
        CHECK(hash == wb_core_fnv1a64(the_module, sizeof the_module));
        CHECK_STR(wb_core_trap_message(c), "integer divide by zero");
        const char *msg = NULL;
        uint32_t kind = 0;
        CHECK(wb_core_trap(c, &msg, &kind));
        CHECK_EQ(kind, 4);
    }
    wb_core_close(c);
    buf_free(&m);
}

/* What an older writer leaves out: coremodules, coreinstances, instance
 * indices in frames, and wdb's sections. */
static void test_older_format(void)
{
    buf m = {0};
    opts o = {0};
    build_core(&m, &o);
    wb_core *c = open_ok(&m, "older core");
    if (c) {
        CHECK_EQ(wb_core_module_count(c), 1);
        CHECK_STR(wb_core_module_name(c, 0), "prog.wasm");
        CHECK_EQ(wb_core_instance_count(c), 1);
        CHECK_EQ(wb_core_instance_module(c, 0), 0);
        check_main_thread(c);
        check_memory_and_globals(c);
        CHECK(!wb_core_module_identity(c, NULL, NULL));
        CHECK(wb_core_trap_message(c) == NULL);
        CHECK(!wb_core_trap(c, NULL, NULL));
    }
    wb_core_close(c);

    /* old frames in a file that has coreinstances: the format with
     * instance indices does not parse, so the older one is taken */
    o.instances = true;
    o.modules = true;
    build_core(&m, &o);
    c = open_ok(&m, "old frames with coreinstances");
    if (c) check_main_thread(c);
    wb_core_close(c);

    /* new frames without coreinstances (instance 0 is the implicit one) */
    o = (opts){.inst_frames = true};
    build_core(&m, &o);
    c = open_ok(&m, "new frames without coreinstances");
    if (c) check_main_thread(c);
    wb_core_close(c);
    buf_free(&m);
}

/* A stack section that reads exactly both ways: the header's rule picks
 * the format (with instances when coreinstances is present). */
static void test_ambiguous_frames(void)
{
    static const uint8_t frames[] = {1, 0, 0, 0, 2, 1, 1, 0};
    for (int with_instances = 0; with_instances < 2; with_instances++) {
        buf m = {0}, s = {0};
        header(&m);
        put_u8(&s, 0);
        put_name(&s, "p");
        custom(&m, "core", &s);
        if (with_instances) {
            put_uleb(&s, 1), put_u8(&s, 0), put_uleb(&s, 0), put_uleb(&s, 0), put_uleb(&s, 0);
            custom(&m, "coreinstances", &s);
        }
        put_u8(&s, 0);
        put_name(&s, "t");
        put(&s, frames, sizeof frames);
        custom(&m, "corestack", &s);
        wb_core *c = open_ok(&m, "ambiguous frames");
        const wb_core_frame *f = c ? wb_core_frame_at(c, 0, 0) : NULL;
        if (f && with_instances) {
            /* 0x00 inst 0 func 0 off 2 locals [missing] stack [] */
            CHECK_EQ(f->code_offset, 2);
            CHECK_EQ(f->nlocals, 1);
        } else if (f) {
            /* 0x00 func 0 off 0 locals [missing, missing] stack [] */
            CHECK_EQ(f->code_offset, 0);
            CHECK_EQ(f->nlocals, 2);
        } else {
            CHECK_FAILED("no frame (with_instances %d)", with_instances);
        }
        wb_core_close(c);
        buf_free(&m);
        buf_free(&s);
    }
}

/* Two modules, two instances, two memories (instance 1's memory 0 is the
 * file's memory 1, filled by a flag-2 segment) and a memory64. */
static void test_multi(void)
{
    buf m = {0}, s = {0};
    header(&m);
    put_u8(&s, 0), put_name(&s, "host");
    custom(&m, "core", &s);
    put_uleb(&s, 2);
    put_u8(&s, 0), put_name(&s, "a.wasm");
    put_u8(&s, 0), put_name(&s, "b.wasm");
    custom(&m, "coremodules", &s);
    put_uleb(&s, 2);
    put_u8(&s, 0), put_uleb(&s, 0), put_uleb(&s, 1), put_uleb(&s, 0), put_uleb(&s, 1),
        put_uleb(&s, 1);
    put_u8(&s, 0), put_uleb(&s, 1), put_uleb(&s, 2), put_uleb(&s, 1), put_uleb(&s, 2),
        put_uleb(&s, 0);
    custom(&m, "coreinstances", &s);
    put_u8(&s, 0), put_name(&s, "t0"), put_uleb(&s, 2);
    frame_head(&s, true, 1, 7, 9), put_uleb(&s, 0), put_uleb(&s, 0);
    frame_head(&s, true, 0, 1, 2), put_uleb(&s, 0), put_uleb(&s, 0);
    custom(&m, "corestack", &s);
    /* memories: 1 page; 3 pages with a maximum; memory64 of 2^20 pages */
    put_uleb(&s, 3);
    put_u8(&s, 0), put_uleb(&s, 1);
    put_u8(&s, 1), put_uleb(&s, 3), put_uleb(&s, 10);
    put_u8(&s, 4), put_uleb(&s, 1u << 20);
    section(&m, 5, &s);
    put_uleb(&s, 2);
    put_u8(&s, 0x7f), put_u8(&s, 0), put_u8(&s, 0x41), put_sleb(&s, 11), put_u8(&s, 0x0b);
    put_u8(&s, 0x7f), put_u8(&s, 0), put_u8(&s, 0x41), put_sleb(&s, 22), put_u8(&s, 0x0b);
    section(&m, 6, &s);
    put_uleb(&s, 3);
    put_uleb(&s, 2), put_uleb(&s, 1), put_u8(&s, 0x41), put_sleb(&s, 0x2fffe), put_u8(&s, 0x0b);
    put_name(&s, "xy");
    put_uleb(&s, 0), put_u8(&s, 0x41), put_sleb(&s, 0), put_u8(&s, 0x0b);
    put_name(&s, "zz");
    put_uleb(&s, 2), put_uleb(&s, 2), put_u8(&s, 0x42), put_sleb(&s, 0xffffffff0ll),
        put_u8(&s, 0x0b);
    put_name(&s, "far");
    section(&m, 11, &s);

    wb_core *c = open_ok(&m, "multi-memory core");
    if (c) {
        uint8_t b[4];
        uint64_t size = 0;
        wb_core_value v;
        CHECK_EQ(wb_core_module_count(c), 2);
        CHECK_STR(wb_core_module_name(c, 1), "b.wasm");
        CHECK_EQ(wb_core_instance_count(c), 2);
        CHECK_EQ(wb_core_instance_module(c, 1), 1);
        const wb_core_frame *f = wb_core_frame_at(c, 0, 0);
        CHECK(f && f->instance == 1 && f->func == 7 && f->code_offset == 9);
        CHECK_EQ(wb_core_memory_count(c, 0), 1);
        CHECK_EQ(wb_core_memory_count(c, 1), 2);
        CHECK(wb_core_memory_size(c, 1, 0, &size) == WB_OK && size == 0x30000);
        CHECK(wb_core_memory_size(c, 1, 1, &size) == WB_OK && size == (uint64_t)1 << 36);
        CHECK_EQ(wb_core_read_memory(c, 1, 0, 0x2fffe, b, 2, NULL), WB_OK);
        CHECK(memcmp(b, "xy", 2) == 0);
        CHECK_EQ(wb_core_read_memory(c, 1, 0, 0x2fffe, b, 3, NULL), WB_ERROR);
        CHECK_EQ(wb_core_read_memory(c, 0, 0, 0, b, 2, NULL), WB_OK);
        CHECK(memcmp(b, "zz", 2) == 0);
        CHECK_EQ(wb_core_read_memory(c, 1, 1, 0xffffffff1ll, b, 3, NULL), WB_OK);
        CHECK(memcmp(b, "ar\0", 3) == 0);
        CHECK(wb_core_global(c, 0, 0, &v) == WB_OK && v.bits == 22);
        CHECK(wb_core_global(c, 1, 0, &v) == WB_NOT_FOUND);
    }
    wb_core_close(c);
    buf_free(&m);
    buf_free(&s);
}

/* A 4 GiB memory with one segment at its very end opens without a 4 GiB
 * allocation (under ASan too). */
static void big_core(buf *m)
{
    buf s = {0};
    header(m);
    put_u8(&s, 0), put_name(&s, "big");
    custom(m, "core", &s);
    put_uleb(&s, 1), put_u8(&s, 0), put_uleb(&s, 65536);
    section(m, 5, &s);
    put_uleb(&s, 1), put_uleb(&s, 0), put_u8(&s, 0x41), put_sleb(&s, (int32_t)0xfffffff0),
        put_u8(&s, 0x0b);
    put_uleb(&s, 16);
    for (uint8_t i = 0; i < 16; i++)
        put_u8(&s, (uint8_t)(0xf0 + i));
    section(m, 11, &s);
    buf_free(&s);
}

static void test_big_memory(void)
{
    buf m = {0};
    big_core(&m);
    wb_core *c = open_ok(&m, "4 GiB memory");
    if (c) {
        uint8_t b[8];
        uint64_t size = 0;
        CHECK(wb_core_memory_size(c, 0, 0, &size) == WB_OK && size == (uint64_t)1 << 32);
        CHECK_EQ(wb_core_read_memory(c, 0, 0, 0xfffffffc, b, 4, NULL), WB_OK);
        CHECK(b[0] == 0xfc && b[3] == 0xff);
        CHECK_EQ(wb_core_read_memory(c, 0, 0, 0xfffffffc, b, 5, NULL), WB_ERROR);
        CHECK_EQ(wb_core_read_memory(c, 0, 0, 0x80000000u, b, 8, NULL), WB_OK);
        CHECK(b[0] == 0 && b[7] == 0);
        CHECK_EQ(wb_core_memory_captured(c, 0, 0, 0, UINT64_MAX), 16);
    }
    wb_core_close(c);
    buf_free(&m);
}

static void test_check_module(void)
{
    buf m = {0};
    wb_error err = {{0}};
    opts o = full_opts;
    o.id_hash = wb_core_fnv1a64(the_module, sizeof the_module);

    /* known FNV-1a-64 vectors */
    CHECK(wb_core_fnv1a64("", 0) == 0xcbf29ce484222325u);
    CHECK(wb_core_fnv1a64("a", 1) == 0xaf63dc4c8601ec8cu);
    CHECK(wb_core_fnv1a64("foobar", 6) == 0x85944171f73967e8u);

    build_core(&m, &o);
    wb_core *c = open_ok(&m, "identity core");
    if (c) {
        CHECK(wb_core_check_module(c, the_module, sizeof the_module, "/x/other.wasm", &err) ==
              WB_OK);
        CHECK(wb_core_check_module(c, the_module, sizeof the_module - 1, NULL, &err) == WB_ERROR);
        CHECK_MSG(strncmp(err.msg, "core file is for another module: ", 33) == 0, "%s", err.msg);
        uint8_t changed[sizeof the_module];
        memcpy(changed, the_module, sizeof changed);
        changed[sizeof changed - 1] ^= 1;
        CHECK(wb_core_check_module(c, changed, sizeof changed, "/x/prog.wasm", &err) == WB_ERROR);
        CHECK_MSG(strncmp(err.msg, "core file is for another module: ", 33) == 0, "%s", err.msg);
    }
    wb_core_close(c);

    /* wrong size recorded */
    o.id_size = sizeof the_module + 1;
    build_core(&m, &o);
    c = open_ok(&m, "identity core, wrong size");
    if (c) {
        CHECK(wb_core_check_module(c, the_module, sizeof the_module, NULL, &err) == WB_ERROR);
        CHECK_MSG(strstr(err.msg, "another module"), "%s", err.msg);
    }
    wb_core_close(c);

    /* wrong hash recorded */
    o.id_size = sizeof the_module;
    o.id_hash ^= 0x100;
    build_core(&m, &o);
    c = open_ok(&m, "identity core, wrong hash");
    if (c) CHECK(wb_core_check_module(c, the_module, sizeof the_module, NULL, &err) == WB_ERROR);
    wb_core_close(c);

    /* no identity: names. `core` says prog.wasm, coremodules prog. */
    o.identity = false;
    build_core(&m, &o);
    c = open_ok(&m, "core without identity");
    if (c) {
        CHECK(wb_core_check_module(c, the_module, sizeof the_module, "/x/prog.wasm", &err) ==
              WB_OK);
        CHECK(wb_core_check_module(c, the_module, sizeof the_module, "prog", &err) == WB_OK);
        CHECK(wb_core_check_module(c, the_module, sizeof the_module, NULL, &err) == WB_OK);
        err.msg[0] = 0;
        CHECK(wb_core_check_module(c, the_module, sizeof the_module, "/x/other.wasm", &err) ==
              WB_NOT_FOUND);
        CHECK_MSG(strstr(err.msg, "'prog'") && strstr(err.msg, "'other.wasm'"), "%s", err.msg);
    }
    wb_core_close(c);

    /* a version of wdb.module this reader does not know: no identity */
    header(&m);
    buf s = {0};
    put_u8(&s, 0), put_name(&s, "p.wasm");
    custom(&m, "core", &s);
    put_uleb(&s, 2), put(&s, "whatever", 8);
    custom(&m, "wdb.module", &s);
    c = open_ok(&m, "wdb.module version 2");
    if (c) {
        CHECK(!wb_core_module_identity(c, NULL, NULL));
        CHECK(wb_core_check_module(c, the_module, sizeof the_module, "p.wasm", &err) == WB_OK);
    }
    wb_core_close(c);
    buf_free(&s);
    buf_free(&m);
}

static void test_open_file(void)
{
    buf m = {0};
    wb_core *c = NULL;
    wb_error err = {{0}};
    char path[] = "/tmp/test_core_XXXXXX";
    full_core(&m);
    int fd = mkstemp(path);
    if (fd < 0) {
        CHECK_FAILED("mkstemp: %s", strerror(errno));
        buf_free(&m);
        return;
    }
    CHECK(write(fd, m.b, m.n) == (ssize_t)m.n);
    close(fd);
    CHECK_MSG(wb_core_open_file(path, &c, &err) == WB_OK, "%s", err.msg);
    if (c) check_main_thread(c);
    wb_core_close(c);
    c = NULL;

    /* a truncated file: the message names the file */
    fd = open(path, O_WRONLY | O_TRUNC);
    if (fd >= 0) {
        CHECK(write(fd, m.b, m.n - 3) == (ssize_t)(m.n - 3));
        close(fd);
        CHECK(wb_core_open_file(path, &c, &err) == WB_ERROR);
        CHECK_MSG(strstr(err.msg, path) && strstr(err.msg, "offset 0x"), "%s", err.msg);
    }
    unlink(path);
    CHECK(wb_core_open_file(path, &c, &err) == WB_ERROR);
    CHECK_MSG(strstr(err.msg, "cannot open"), "%s", err.msg);
    CHECK(c == NULL);
    buf_free(&m);
}

/* Every accessor on a handle from mutated input: no crash, no sanitizer
 * report. */
static void exercise(const wb_core *c)
{
    uint8_t b[64];
    wb_core_value v;
    uint64_t size;
    (void)wb_core_executable(c);
    for (size_t i = 0; i < wb_core_module_count(c); i++)
        (void)wb_core_module_name(c, i);
    for (size_t t = 0; t < wb_core_thread_count(c); t++) {
        (void)wb_core_thread_name(c, t);
        for (size_t i = 0; i < wb_core_frame_count(c, t); i++) {
            const wb_core_frame *f = wb_core_frame_at(c, t, i);
            for (size_t k = 0; k < f->nlocals; k++)
                (void)f->locals[k].bits;
            for (size_t k = 0; k < f->nstack; k++)
                (void)f->stack[k].bits;
        }
    }
    for (uint32_t in = 0; in < wb_core_instance_count(c); in++) {
        for (uint32_t mi = 0; mi < wb_core_memory_count(c, in); mi++) {
            if (wb_core_memory_size(c, in, mi, &size) != WB_OK) continue;
            for (uint64_t a = 0; a < size && a < 0x40000; a += 0x7ff)
                (void)wb_core_read_memory(c, in, mi, a, b, sizeof b, NULL);
            (void)wb_core_read_memory(c, in, mi, size - (size > 8 ? 8 : size), b, 8, NULL);
            (void)wb_core_memory_captured(c, in, mi, 0, UINT64_MAX);
        }
        for (uint32_t g = 0; g < wb_core_global_count(c, in); g++)
            (void)wb_core_global(c, in, g, &v);
    }
    (void)wb_core_trap_message(c);
    (void)wb_core_check_module(c, the_module, sizeof the_module, "prog.wasm", NULL);
}

static void test_truncation(void)
{
    buf m = {0};
    int ok = 0, bad = 0;
    full_core(&m);
    for (size_t len = 0; len < m.n; len++) {
        /* a copy of exactly len bytes, so ASan sees any read past it */
        uint8_t *p = malloc(len ? len : 1);
        wb_core *c = NULL;
        wb_error err = {{0}};
        memcpy(p, m.b, len);
        wb_status st = wb_core_open_bytes(p, len, &c, &err);
        if (st == WB_OK) {
            ok++;
            exercise(c);
        } else {
            bad++;
            CHECK_MSG(st == WB_ERROR && err.msg[0], "truncated to %zu: status %d", len, st);
        }
        wb_core_close(c);
        free(p);
    }
    /* a cut inside a section is always an error; only cuts between the
     * trailing sections after `core` can still read */
    CHECK(bad > (int)m.n - 20);
    printf("truncation: %zu lengths, %d opened, %d refused\n", m.n, ok, bad);
    buf_free(&m);
}

static void test_mutations(void)
{
    static const uint8_t how[] = {0x01, 0x80, 0xff, 0x40, 0x7f};
    buf m = {0};
    int ok = 0, bad = 0;
    full_core(&m);
    uint8_t *p = malloc(m.n);
    for (size_t i = 0; i < m.n; i++) {
        for (size_t k = 0; k < sizeof how + 2; k++) {
            memcpy(p, m.b, m.n);
            p[i] = k < sizeof how ? p[i] ^ how[k] : k == sizeof how ? 0x00 : 0xff;
            wb_core *c = NULL;
            wb_error err = {{0}};
            wb_status st = wb_core_open_bytes(p, m.n, &c, &err);
            if (st == WB_OK) {
                ok++;
                exercise(c);
            } else {
                bad++;
                CHECK_MSG(st == WB_ERROR && err.msg[0], "byte %zu mutated: status %d", i, st);
            }
            wb_core_close(c);
        }
    }
    printf("mutations: %d opened, %d refused\n", ok, bad);
    free(p);
    buf_free(&m);
}

/* A core with only the `core` section and `extra` custom or standard
 * section contents after it. */
static void core_with(buf *m, const char *custom_name, uint8_t id, buf *contents)
{
    buf s = {0};
    header(m);
    put_u8(&s, 0), put_name(&s, "p");
    custom(m, "core", &s);
    if (custom_name)
        custom(m, custom_name, contents);
    else
        section(m, id, contents);
    buf_free(&s);
}

static void test_bad_input(void)
{
    buf m = {0}, s = {0};

    put(&m, "\0asn\1\0\0\0", 8);
    open_bad(&m, "bad magic", "magic", NULL);
    put(&s, "\0asm\2\0\0\0", 8);
    open_bad(&s, "bad version", "version", NULL);
    s.n = 0;
    header(&m);
    open_bad(&m, "no core section", "no `core` section", NULL);

    /* absurd counts: each refused before allocating */
    put_u8(&s, 0), put_name(&s, "t"), put_uleb(&s, 0xffffffffu);
    core_with(&m, "corestack", 0, &s);
    open_bad(&m, "frame count", "frame count 4294967295", "corestack");

    put_u8(&s, 0), put_name(&s, "t"), put_uleb(&s, 1);
    frame_head(&s, false, 0, 1, 2), put_uleb(&s, 0xfffffff);
    core_with(&m, "corestack", 0, &s);
    open_bad(&m, "locals count", "local count", "corestack");

    put_uleb(&s, 0x7fffffff);
    core_with(&m, "coremodules", 0, &s);
    open_bad(&m, "module count", "module count", "coremodules");

    put_uleb(&s, 1), put_u8(&s, 0), put_uleb(&s, 0), put_uleb(&s, 0xffffff);
    core_with(&m, "coreinstances", 0, &s);
    open_bad(&m, "instance memory count", "memory count", "coreinstances");

    put_uleb(&s, 1), put_u8(&s, 0), put_uleb(&s, 0), put_uleb(&s, 1), put_uleb(&s, 0),
        put_uleb(&s, 0);
    core_with(&m, "coreinstances", 0, &s);
    open_bad(&m, "instance memory index", "memory index 0 out of range", NULL);

    put_uleb(&s, 1), put_u8(&s, 0), put_uleb(&s, 3), put_uleb(&s, 0), put_uleb(&s, 0);
    core_with(&m, "coreinstances", 0, &s);
    open_bad(&m, "instance module index", "module index", NULL);

    put_uleb(&s, 0xffffffffu);
    core_with(&m, NULL, 5, &s);
    open_bad(&m, "memory count", "memory count", "memory section");

    put_uleb(&s, 100000);
    core_with(&m, NULL, 6, &s);
    open_bad(&m, "global count", "global count", "global section");

    put_uleb(&s, 5000);
    core_with(&m, NULL, 11, &s);
    open_bad(&m, "data segment count", "data segment count", "data section");

    /* a segment longer than its section, one beyond the memory, one for a
     * memory that is not there, overlapping segments */
    header(&m);
    put_u8(&s, 0), put_name(&s, "p");
    custom(&m, "core", &s);
    put_uleb(&s, 1), put_u8(&s, 0), put_uleb(&s, 1);
    section(&m, 5, &s);
    size_t base = m.n;
    put_uleb(&s, 1), put_uleb(&s, 0), put_u8(&s, 0x41), put_sleb(&s, 0), put_u8(&s, 0x0b),
        put_uleb(&s, 0x7fffffff);
    section(&m, 11, &s);
    open_bad(&m, "segment length", "extends past the section", "data section");
    m.n = base;
    put_uleb(&s, 1), put_uleb(&s, 0), put_u8(&s, 0x41), put_sleb(&s, 0xfffe), put_u8(&s, 0x0b),
        put_name(&s, "abc");
    section(&m, 11, &s);
    open_bad(&m, "segment beyond memory", "beyond the memory's size 0x10000", NULL);
    m.n = base;
    put_uleb(&s, 1), put_uleb(&s, 0), put_u8(&s, 0x41), put_sleb(&s, -1), put_u8(&s, 0x0b),
        put_name(&s, "abc");
    section(&m, 11, &s);
    open_bad(&m, "segment at 0xffffffff", "beyond the memory's size", NULL);
    m.n = base;
    put_uleb(&s, 1), put_uleb(&s, 2), put_uleb(&s, 1), put_u8(&s, 0x41), put_sleb(&s, 0),
        put_u8(&s, 0x0b), put_name(&s, "abc");
    section(&m, 11, &s);
    open_bad(&m, "segment for memory 1", "memory the file does not declare", NULL);
    m.n = base;
    put_uleb(&s, 2);
    put_uleb(&s, 0), put_u8(&s, 0x41), put_sleb(&s, 10), put_u8(&s, 0x0b), put_name(&s, "abcd");
    put_uleb(&s, 0), put_u8(&s, 0x41), put_sleb(&s, 12), put_u8(&s, 0x0b), put_name(&s, "ef");
    section(&m, 11, &s);
    open_bad(&m, "overlapping segments", "overlap", NULL);
    m.n = base;
    put_uleb(&s, 1), put_uleb(&s, 0), put_u8(&s, 0x23), put_uleb(&s, 0), put_u8(&s, 0x0b),
        put_name(&s, "abc");
    section(&m, 11, &s);
    open_bad(&m, "global.get offset", "not i32.const", NULL);
    m.n = base;
    /* data before memory in the file: order does not matter */
    header(&m);
    put_u8(&s, 0), put_name(&s, "p");
    custom(&m, "core", &s);
    put_uleb(&s, 1), put_uleb(&s, 0), put_u8(&s, 0x41), put_sleb(&s, 4), put_u8(&s, 0x0b),
        put_name(&s, "abc");
    section(&m, 11, &s);
    put_uleb(&s, 1), put_u8(&s, 0), put_uleb(&s, 1);
    section(&m, 5, &s);
    wb_core *c = open_ok(&m, "data before memory");
    uint8_t b[3] = {0};
    if (c) CHECK(wb_core_read_memory(c, 0, 0, 4, b, 3, NULL) == WB_OK && memcmp(b, "abc", 3) == 0);
    wb_core_close(c);

    /* memory sizes */
    put_uleb(&s, 1), put_u8(&s, 0), put_uleb(&s, 65537);
    core_with(&m, NULL, 5, &s);
    open_bad(&m, "memory over 4 GiB", "memory size too large", NULL);
    put_uleb(&s, 1), put_u8(&s, 4), put_uleb(&s, (uint64_t)1 << 50);
    core_with(&m, NULL, 5, &s);
    open_bad(&m, "memory64 over 2^64 bytes", "memory size too large", NULL);
    put_uleb(&s, 1), put_u8(&s, 0x10), put_uleb(&s, 1);
    core_with(&m, NULL, 5, &s);
    open_bad(&m, "limits flags", "limits flags", NULL);

    /* LEB128 limits: 6 bytes for a u32, a fifth byte with high bits */
    put_u8(&s, 0), put_name(&s, "t"), put_uleb(&s, 1), put_u8(&s, 0);
    put(&s, "\x80\x80\x80\x80\x80\x00", 6);
    core_with(&m, "corestack", 0, &s);
    open_bad(&m, "u32 of 6 bytes", "too long", "corestack");
    put_u8(&s, 0), put_name(&s, "t"), put_uleb(&s, 1), put_u8(&s, 0);
    put(&s, "\xff\xff\xff\xff\x7f", 5);
    core_with(&m, "corestack", 0, &s);
    open_bad(&m, "u32 too large", "too large", "corestack");
    put_u8(&s, 0), put_name(&s, "t"), put_uleb(&s, 1);
    frame_head(&s, false, 0, 1, 2), put_uleb(&s, 1), put(&s, "\x7f\xff\xff\xff\xff\x4f", 6),
        put_uleb(&s, 0);
    core_with(&m, "corestack", 0, &s);
    open_bad(&m, "i32 of 6 bytes", "corestack", NULL);
    put_u8(&s, 0), put_name(&s, "t"), put_uleb(&s, 1);
    frame_head(&s, false, 0, 1, 2), put_uleb(&s, 1), put(&s, "\x7f\xff\xff\xff\xff\x0f", 6),
        put_uleb(&s, 0);
    core_with(&m, "corestack", 0, &s);
    open_bad(&m, "i32 with bad sign bits", "corestack", NULL);
    /* i32 -1 in 5 bytes: the last byte 0x7f has proper sign bits */
    put_u8(&s, 0), put_name(&s, "t"), put_uleb(&s, 1);
    frame_head(&s, false, 0, 1, 2), put_uleb(&s, 1), put(&s, "\x7f\xff\xff\xff\xff\x7f", 6),
        put_uleb(&s, 0);
    core_with(&m, "corestack", 0, &s);
    c = open_ok(&m, "i32 -1 in 5 bytes");
    if (c && wb_core_frame_at(c, 0, 0))
        check_value(&wb_core_frame_at(c, 0, 0)->locals[0], WB_CORE_I32, 0xffffffffu, "-1");
    wb_core_close(c);

    /* values and frames */
    put_u8(&s, 0), put_name(&s, "t"), put_uleb(&s, 1);
    frame_head(&s, false, 0, 1, 2), put_uleb(&s, 1), put_u8(&s, 0x7b), put_uleb(&s, 0);
    core_with(&m, "corestack", 0, &s);
    open_bad(&m, "v128 value", "unknown value type", "corestack");
    put_u8(&s, 0), put_name(&s, "t"), put_uleb(&s, 1);
    frame_head(&s, false, 0, 1, 2), put_uleb(&s, 0), put_uleb(&s, 0), put_u8(&s, 0);
    core_with(&m, "corestack", 0, &s);
    open_bad(&m, "trailing byte", "corestack", NULL);
    put_u8(&s, 0), put_name(&s, "t"), put_uleb(&s, 1);
    frame_head(&s, true, 3, 1, 2), put_uleb(&s, 0), put_uleb(&s, 0);
    core_with(&m, "corestack", 0, &s);
    open_bad(&m, "instance index out of range", "corestack", NULL);
    put_u8(&s, 1), put_name(&s, "t"), put_uleb(&s, 0);
    core_with(&m, "corestack", 0, &s);
    open_bad(&m, "thread-info kind", "thread-info kind 0x01", NULL);
    put_u8(&s, 0), put_uleb(&s, 2), put(&s, "\xc0\x80", 2), put_uleb(&s, 0);
    core_with(&m, "corestack", 0, &s);
    open_bad(&m, "overlong UTF-8", "UTF-8", NULL);

    /* globals */
    put_uleb(&s, 1), put_u8(&s, 0x7f), put_u8(&s, 0), put_u8(&s, 0x42), put_sleb(&s, 1),
        put_u8(&s, 0x0b);
    core_with(&m, NULL, 6, &s);
    open_bad(&m, "i64.const for an i32 global", "wrong type", "global section");
    put_uleb(&s, 1), put_u8(&s, 0x7f), put_u8(&s, 0), put_u8(&s, 0x41), put_sleb(&s, 1),
        put_u8(&s, 0x0f);
    core_with(&m, NULL, 6, &s);
    open_bad(&m, "global without end", "without `end`", NULL);
    put_uleb(&s, 1), put_u8(&s, 0x7f), put_u8(&s, 2), put_u8(&s, 0x41), put_sleb(&s, 1),
        put_u8(&s, 0x0b);
    core_with(&m, NULL, 6, &s);
    open_bad(&m, "global mutability", "mutability", NULL);
    /* a v128 global reads as missing */
    put_uleb(&s, 1), put_u8(&s, 0x7b), put_u8(&s, 0), put_u8(&s, 0xfd), put_uleb(&s, 12);
    put(&s, "0123456789abcdef", 16), put_u8(&s, 0x0b);
    core_with(&m, NULL, 6, &s);
    c = open_ok(&m, "v128 global");
    wb_core_value v = {0, 1};
    if (c) CHECK(wb_core_global(c, 0, 0, &v) == WB_OK && v.type == WB_CORE_MISSING);
    wb_core_close(c);

    /* sections that may appear once */
    full_core(&m);
    put_u8(&s, 0), put_name(&s, "again");
    custom(&m, "core", &s);
    open_bad(&m, "two core sections", "duplicate core section", NULL);
    full_core(&m);
    put_uleb(&s, 0);
    custom(&m, "coremodules", &s);
    open_bad(&m, "two coremodules sections", "duplicate coremodules", NULL);
    full_core(&m);
    put_uleb(&s, 0);
    custom(&m, "coreinstances", &s);
    open_bad(&m, "two coreinstances sections", "duplicate coreinstances", NULL);
    full_core(&m);
    put_uleb(&s, 0);
    section(&m, 5, &s);
    open_bad(&m, "two memory sections", "duplicate memory section", NULL);
    full_core(&m);
    put_name(&s, "x"), put_uleb(&s, 0);
    custom(&m, "wdb.trap", &s);
    open_bad(&m, "two wdb.trap sections", "duplicate wdb.trap", NULL);

    /* framing */
    full_core(&m);
    put_u8(&m, 0), put_uleb(&m, 100), put_u8(&m, 1);
    open_bad(&m, "section past the end", "only 1 bytes remain", NULL);
    full_core(&m);
    put_u8(&m, 14), put_uleb(&m, 0);
    open_bad(&m, "unknown section id", "unknown section id 14", NULL);
    buf_free(&m);
    buf_free(&s);
}

static int write_seeds(const char *dir)
{
    buf m = {0};
    opts o = {0};
    int bad = 0;
    for (int i = 0; i < 4; i++) {
        const char *name;
        switch (i) {
        case 0: full_core(&m), name = "full.core"; break;
        case 1: build_core(&m, &o), name = "older.core"; break;
        case 2: big_core(&m), name = "big-memory.core"; break;
        default:
            o = (opts){.inst_frames = true, .modules = true, .trap = true};
            build_core(&m, &o), name = "no-instances.core";
            break;
        }
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(m.b, 1, m.n, f) != m.n) bad++;
        if (f) fclose(f);
    }
    buf_free(&m);
    return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--write-seeds") == 0) return write_seeds(argv[2]);
    test_full();
    test_older_format();
    test_ambiguous_frames();
    test_multi();
    test_big_memory();
    test_check_module();
    test_open_file();
    test_truncation();
    test_mutations();
    test_bad_input();
    return CHECK_DONE("test_core");
}
