/*
 * The core dump reader. Format: WebAssembly tool-conventions, Coredump.md
 * (sections `core`, `coremodules`, `coreinstances`, `corestack`), over the
 * Wasm binary format of the Core Specification 2.0, section 5 (LEB128
 * integers: 5.2.2; names: 5.2.4; memory section: 5.5.8; global section:
 * 5.5.9; data section: 5.5.14; constant expressions: 3.3.10 and 5.4).
 * Proposals whose encodings a core of a program using them may contain are
 * read too: memory64 and custom-page-sizes (limits flags 4 and 8),
 * multi-memory (data segment flag 2), function references / GC (reference
 * types 0x63/0x64 with a heap type).
 *
 * Parsing runs in two steps: a first walk over the file checks the framing
 * of every section and notes where the ones the reader knows are; then
 * they are parsed in dependency order (the format says section order does
 * not matter, but data segments need their memory's type and size, and
 * frames and instances need the number of instances, memories, globals).
 */
#include "wdb/wasmfmt.h"
#include "wb_core.h"
#include "wb_cursor.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct core_mem {
    uint64_t size; /* in bytes: minimum pages * page size */
    bool mem64;
    size_t first, nsegs; /* its segments: c->segs[first .. first + nsegs) */
} core_mem;

typedef struct core_seg {
    uint32_t mem; /* index into c->mems */
    uint64_t addr;
    size_t pos; /* file offset of the captured bytes */
    size_t len;
    size_t at; /* file offset of the segment, for messages */
} core_seg;

typedef struct core_inst {
    uint32_t module;
    uint32_t nmems, nglobals;
    uint32_t *mems;    /* instance memory index -> index into c->mems */
    uint32_t *globals; /* instance global index -> index into c->globals */
} core_inst;

typedef struct core_thread {
    char *name;
    wb_core_frame *frames;
    size_t nframes;
    wb_core_value *values; /* every frame's locals and stack */
} core_thread;

struct wb_core {
    uint8_t *bytes;
    size_t size;
    char *exe;
    char **modules;
    size_t nmodules;
    core_mem *mems;
    uint32_t nmems;
    core_seg *segs;
    size_t nsegs;
    wb_core_value *globals;
    uint32_t nglobals;
    core_inst *insts;
    size_t ninsts;
    core_thread *threads;
    size_t nthreads;
    bool has_identity;
    uint64_t mod_size, mod_hash;
    bool has_trap;
    char *trap_msg;
    uint32_t trap_kind;
    char *command; /* `wdb.args` joined by spaces, or NULL */
};

/* ---------------------------------------------------------------- wb_cursor */

/* A 0x00 byte: the format puts one before every record, to leave room for
 * other encodings later. */
static wb_status read_zero(wb_cursor *c, const char *record, wb_error *err)
{
    uint8_t b = 0;
    if (wb_cur_u8(c, &b, err) != WB_OK) return WB_ERROR;
    if (b == 0) return WB_OK;
    c->pos--;
    char why[96];
    snprintf(why, sizeof why, "unknown %s kind 0x%02x", record, b);
    return wb_cur_fail(c, err, why);
}

static wb_status read_sleb(wb_cursor *c, unsigned bits, int64_t *out, wb_error *err)
{
    uint64_t v;
    if (wb_cur_leb(c, bits, true, &v, err) != WB_OK) return WB_ERROR;
    *out = (int64_t)v;
    return WB_OK;
}

static wb_status read_le(wb_cursor *c, unsigned nbytes, uint64_t *out, wb_error *err)
{
    if (wb_cur_left(c) < nbytes) return wb_cur_fail(c, err, "unexpected end in a constant");
    uint64_t v = 0;
    for (unsigned i = 0; i < nbytes; i++)
        v |= (uint64_t)c->base[c->pos + i] << (8 * i);
    c->pos += nbytes;
    *out = v;
    return WB_OK;
}

/* A vector length (5.1.3) whose entries take at least `min_entry` bytes
 * each: refused when the section cannot hold that many, so that no count
 * read from the file sizes an allocation beyond the file's own size. */
static wb_status read_count(wb_cursor *c, size_t min_entry, const char *of, uint32_t *n,
                            wb_error *err)
{
    size_t at = c->pos;
    if (wb_cur_u32(c, n, err) != WB_OK) return WB_ERROR;
    if (*n > wb_cur_left(c) / min_entry) {
        c->pos = at;
        char why[128];
        snprintf(why, sizeof why, "%s count %" PRIu32 " too large for the %zu bytes left", of, *n,
                 wb_cur_left(c));
        return wb_cur_fail(c, err, why);
    }
    return WB_OK;
}

static wb_status expect_end(const wb_cursor *c, wb_error *err)
{
    if (c->pos != c->end) return wb_cur_fail(c, err, "unexpected bytes before the section's end");
    return WB_OK;
}

/* A name (5.2.4), left in place. */
static wb_status read_name_span(wb_cursor *c, const uint8_t **s, uint32_t *len, wb_error *err)
{
    size_t at = c->pos;
    if (wb_cur_u32(c, len, err) != WB_OK) return WB_ERROR;
    if (*len > wb_cur_left(c)) {
        c->pos = at;
        return wb_cur_fail(c, err, "name extends past the section's end");
    }
    *s = c->base + c->pos;
    if (!wf_utf8_valid(*s, *len) || memchr(*s, 0, *len)) {
        c->pos = at;
        return wb_cur_fail(c, err, "name is not valid UTF-8 (or holds a NUL)");
    }
    c->pos += *len;
    return WB_OK;
}

/* A name, copied NUL-terminated into *out (which the caller frees). */
static wb_status read_name(wb_cursor *c, char **out, wb_error *err)
{
    const uint8_t *s;
    uint32_t len;
    if (read_name_span(c, &s, &len, err) != WB_OK) return WB_ERROR;
    *out = malloc((size_t)len + 1);
    if (!*out) return wb_fail(err, "out of memory");
    memcpy(*out, s, len);
    (*out)[len] = 0;
    return WB_OK;
}

/* -------------------------------------------------------------- sections */

/* `core` (Coredump.md, "Process information"). */
static wb_status parse_process(wb_core *c, wb_cursor *s, wb_error *err)
{
    if (read_zero(s, "process-info", err) != WB_OK || read_name(s, &c->exe, err) != WB_OK)
        return WB_ERROR;
    return expect_end(s, err);
}

/* `coremodules`: vec(0x00 name). */
static wb_status parse_modules(wb_core *c, wb_cursor *s, wb_error *err)
{
    uint32_t n;
    if (read_count(s, 2, "module", &n, err) != WB_OK) return WB_ERROR;
    c->modules = calloc(n ? n : 1, sizeof *c->modules);
    if (!c->modules) return wb_fail(err, "out of memory");
    for (uint32_t i = 0; i < n; i++) {
        if (read_zero(s, "module", err) != WB_OK) return WB_ERROR;
        if (read_name(s, &c->modules[i], err) != WB_OK) return WB_ERROR;
        c->nmodules++;
    }
    return expect_end(s, err);
}

/* Memory section (5.5.8): each memory's limits; its minimum is the size
 * the memory had. */
static wb_status parse_memories(wb_core *c, wb_cursor *s, wb_error *err)
{
    uint32_t n;
    if (read_count(s, 2, "memory", &n, err) != WB_OK) return WB_ERROR;
    c->mems = calloc(n ? n : 1, sizeof *c->mems);
    if (!c->mems) return wb_fail(err, "out of memory");
    for (uint32_t i = 0; i < n; i++) {
        core_mem *m = &c->mems[i];
        uint8_t flags = 0;
        uint64_t min, max;
        uint32_t log2 = 16;
        size_t at = s->pos;
        if (wb_cur_u8(s, &flags, err) != WB_OK) return WB_ERROR;
        /* 1: has a maximum; 2: shared (threads); 4: 64-bit (memory64);
         * 8: explicit page size (custom-page-sizes) */
        if (flags > 15) {
            s->pos = at;
            return wb_cur_fail(s, err, "unknown memory limits flags");
        }
        m->mem64 = flags & 4;
        unsigned bits = m->mem64 ? 64 : 32;
        if (wb_cur_leb(s, bits, false, &min, err) != WB_OK) return WB_ERROR;
        if ((flags & 1) && wb_cur_leb(s, bits, false, &max, err) != WB_OK) return WB_ERROR;
        if (flags & 8) {
            at = s->pos;
            if (wb_cur_u32(s, &log2, err) != WB_OK) return WB_ERROR;
            if (log2 != 0 && log2 != 16) {
                s->pos = at;
                return wb_cur_fail(s, err, "unsupported page size");
            }
        }
        /* memory64: a 64-bit minimum of 64 KiB pages may not fit in 64
         * bits of bytes; memory32: 4 GiB is the most there can be */
        if (min > UINT64_MAX >> log2 || (!m->mem64 && (min << log2) > (uint64_t)1 << 32)) {
            s->pos = at;
            return wb_cur_fail(s, err, "memory size too large");
        }
        m->size = min << log2;
        c->nmems++;
    }
    return expect_end(s, err);
}

/* Whether valtype `t` (with heap type `ht` for 0x63/0x64) is a reference
 * type; *as gets the value type globals of it read as. */
static bool ref_type(uint8_t t, int64_t ht, uint8_t *as)
{
    switch (t) {
    case 0x70: *as = WB_CORE_FUNCREF; return true;
    case 0x6f: *as = WB_CORE_EXTERNREF; return true;
    case 0x63:
    case 0x64:
        /* abstract heap types are negative s33s: func is -16 (0x70),
         * extern -17 (0x6f); other references are not readable values */
        *as = ht == -16 ? WB_CORE_FUNCREF : ht == -17 ? WB_CORE_EXTERNREF : WB_CORE_MISSING;
        return true;
    default: return false;
    }
}

/* A global's constant initialiser (3.3.10): one constant instruction and
 * `end`, of the global's type. */
static wb_status read_const(wb_cursor *s, uint8_t t, int64_t ht, wb_core_value *v, wb_error *err)
{
    uint8_t op = 0, as = 0;
    int64_t iv;
    uint64_t uv = 0;
    uint32_t sub;
    size_t at = s->pos;
    bool ok;
    if (wb_cur_u8(s, &op, err) != WB_OK) return WB_ERROR;
    switch (op) {
    case 0x41: /* i32.const */
        if (read_sleb(s, 32, &iv, err) != WB_OK) return WB_ERROR;
        *v = (wb_core_value){WB_CORE_I32, (uint32_t)iv};
        ok = t == 0x7f;
        break;
    case 0x42: /* i64.const */
        if (read_sleb(s, 64, &iv, err) != WB_OK) return WB_ERROR;
        *v = (wb_core_value){WB_CORE_I64, (uint64_t)iv};
        ok = t == 0x7e;
        break;
    case 0x43: /* f32.const */
        if (read_le(s, 4, &uv, err) != WB_OK) return WB_ERROR;
        *v = (wb_core_value){WB_CORE_F32, uv};
        ok = t == 0x7d;
        break;
    case 0x44: /* f64.const */
        if (read_le(s, 8, &uv, err) != WB_OK) return WB_ERROR;
        *v = (wb_core_value){WB_CORE_F64, uv};
        ok = t == 0x7c;
        break;
    case 0xd0: /* ref.null heaptype */
        if (read_sleb(s, 33, &iv, err) != WB_OK) return WB_ERROR;
        ok = ref_type(t, ht, &as);
        *v = (wb_core_value){as, as == WB_CORE_MISSING ? 0 : WB_CORE_NULL_REF};
        break;
    case 0xd2: /* ref.func funcidx */
        if (wb_cur_leb(s, 32, false, &uv, err) != WB_OK) return WB_ERROR;
        ok = ref_type(t, ht, &as);
        *v = (wb_core_value){as, as == WB_CORE_MISSING ? 0 : uv};
        break;
    case 0xfd: /* v128.const (0xfd 12 and 16 bytes): not representable */
        if (wb_cur_u32(s, &sub, err) != WB_OK) return WB_ERROR;
        if (sub != 12) {
            s->pos = at;
            return wb_cur_fail(s, err, "unsupported constant expression");
        }
        if (wb_cur_left(s) < 16) return wb_cur_fail(s, err, "unexpected end in a constant");
        s->pos += 16;
        *v = (wb_core_value){WB_CORE_MISSING, 0};
        ok = t == 0x7b;
        break;
    default: s->pos = at; return wb_cur_fail(s, err, "unsupported constant expression");
    }
    if (!ok) {
        s->pos = at;
        return wb_cur_fail(s, err, "constant of the wrong type for its global");
    }
    if (wb_cur_u8(s, &op, err) != WB_OK) return WB_ERROR;
    if (op != 0x0b) {
        s->pos--;
        return wb_cur_fail(s, err, "constant expression without `end`");
    }
    return WB_OK;
}

/* Global section (5.5.9): globaltype (valtype, mut) and a constant. */
static wb_status parse_globals(wb_core *c, wb_cursor *s, wb_error *err)
{
    uint32_t n;
    /* the shortest: valtype, mut, opcode, 1-byte immediate, end */
    if (read_count(s, 5, "global", &n, err) != WB_OK) return WB_ERROR;
    c->globals = calloc(n ? n : 1, sizeof *c->globals);
    if (!c->globals) return wb_fail(err, "out of memory");
    for (uint32_t i = 0; i < n; i++) {
        uint8_t t = 0, mut = 0, as;
        int64_t ht = 0;
        size_t at = s->pos;
        if (wb_cur_u8(s, &t, err) != WB_OK) return WB_ERROR;
        if ((t == 0x63 || t == 0x64) && read_sleb(s, 33, &ht, err) != WB_OK) return WB_ERROR;
        if (!(t >= 0x7b && t <= 0x7f) && !ref_type(t, ht, &as)) {
            s->pos = at;
            return wb_cur_fail(s, err, "unknown global type");
        }
        at = s->pos;
        if (wb_cur_u8(s, &mut, err) != WB_OK) return WB_ERROR;
        if (mut > 1) {
            s->pos = at;
            return wb_cur_fail(s, err, "bad global mutability");
        }
        if (read_const(s, t, ht, &c->globals[i], err) != WB_OK) return WB_ERROR;
        c->nglobals++;
    }
    return expect_end(s, err);
}

/* A vec(u32) of indices below `limit` (an instance's memories or
 * globals), into a new array. */
static wb_status read_index_vec(wb_cursor *s, uint32_t limit, const char *of, uint32_t **out,
                                uint32_t *n, wb_error *err)
{
    if (read_count(s, 1, of, n, err) != WB_OK) return WB_ERROR;
    *out = calloc(*n ? *n : 1, sizeof **out);
    if (!*out) return wb_fail(err, "out of memory");
    for (uint32_t i = 0; i < *n; i++) {
        size_t at = s->pos;
        if (wb_cur_u32(s, &(*out)[i], err) != WB_OK) return WB_ERROR;
        if ((*out)[i] >= limit) {
            s->pos = at;
            char why[96];
            snprintf(why, sizeof why, "%s index %" PRIu32 " out of range (%" PRIu32 " in the file)",
                     of, (*out)[i], limit);
            return wb_cur_fail(s, err, why);
        }
    }
    return WB_OK;
}

/* `coreinstances`: vec(0x00 moduleidx memories:vec(u32) globals:vec(u32)). */
static wb_status parse_instances(wb_core *c, wb_cursor *s, wb_error *err)
{
    uint32_t n;
    if (read_count(s, 4, "instance", &n, err) != WB_OK) return WB_ERROR;
    c->insts = calloc(n ? n : 1, sizeof *c->insts);
    if (!c->insts) return wb_fail(err, "out of memory");
    for (uint32_t i = 0; i < n; i++) {
        core_inst *in = &c->insts[i];
        c->ninsts++; /* counted first: close frees what is half read */
        if (read_zero(s, "instance", err) != WB_OK) return WB_ERROR;
        size_t at = s->pos;
        if (wb_cur_u32(s, &in->module, err) != WB_OK) return WB_ERROR;
        if (in->module >= c->nmodules) {
            s->pos = at;
            return wb_cur_fail(s, err, "module index out of range");
        }
        if (read_index_vec(s, c->nmems, "memory", &in->mems, &in->nmems, err) != WB_OK ||
            read_index_vec(s, c->nglobals, "global", &in->globals, &in->nglobals, err) != WB_OK)
            return WB_ERROR;
    }
    return expect_end(s, err);
}

/* Without `coreinstances`: one instance of module 0 owning everything. */
static wb_status default_instance(wb_core *c, wb_error *err)
{
    c->insts = calloc(1, sizeof *c->insts);
    if (!c->insts) return wb_fail(err, "out of memory");
    c->ninsts = 1;
    core_inst *in = c->insts;
    in->mems = calloc(c->nmems ? c->nmems : 1, sizeof *in->mems);
    in->globals = calloc(c->nglobals ? c->nglobals : 1, sizeof *in->globals);
    if (!in->mems || !in->globals) return wb_fail(err, "out of memory");
    for (uint32_t i = 0; i < c->nmems; i++)
        in->mems[i] = i;
    for (uint32_t i = 0; i < c->nglobals; i++)
        in->globals[i] = i;
    in->nmems = c->nmems;
    in->nglobals = c->nglobals;
    return WB_OK;
}

static int cmp_seg(const void *a, const void *b)
{
    const core_seg *x = a, *y = b;
    if (x->mem != y->mem) return x->mem < y->mem ? -1 : 1;
    return (x->addr > y->addr) - (x->addr < y->addr);
}

/* Data section (5.5.14): the active segments are the captured memory. */
static wb_status parse_data(wb_core *c, wb_cursor *s, wb_error *err)
{
    uint32_t n;
    /* the shortest: a passive segment, flag and empty vector */
    if (read_count(s, 2, "data segment", &n, err) != WB_OK) return WB_ERROR;
    c->segs = calloc(n ? n : 1, sizeof *c->segs);
    if (!c->segs) return wb_fail(err, "out of memory");
    for (uint32_t i = 0; i < n; i++) {
        core_seg g = {0};
        uint32_t flag, len;
        size_t at = s->pos;
        g.at = at;
        if (wb_cur_u32(s, &flag, err) != WB_OK) return WB_ERROR;
        if (flag > 2) {
            s->pos = at;
            return wb_cur_fail(s, err, "unknown data segment kind");
        }
        if (flag == 2) {
            at = s->pos;
            if (wb_cur_u32(s, &g.mem, err) != WB_OK) return WB_ERROR;
        }
        if (flag != 1 && g.mem >= c->nmems) {
            s->pos = at;
            return wb_cur_fail(s, err, "data segment for a memory the file does not declare");
        }
        if (flag != 1) {
            /* offset: i32.const N end, i64.const N end for memory64 */
            const core_mem *m = &c->mems[g.mem];
            uint8_t op = 0;
            int64_t off;
            at = s->pos;
            if (wb_cur_u8(s, &op, err) != WB_OK) return WB_ERROR;
            if (op != (m->mem64 ? 0x42 : 0x41)) {
                s->pos = at;
                return wb_cur_fail(s, err,
                                   m->mem64 ? "data segment offset is not i64.const"
                                            : "data segment offset is not i32.const");
            }
            if (read_sleb(s, m->mem64 ? 64 : 32, &off, err) != WB_OK) return WB_ERROR;
            g.addr = m->mem64 ? (uint64_t)off : (uint32_t)off;
            if (wb_cur_u8(s, &op, err) != WB_OK) return WB_ERROR;
            if (op != 0x0b) {
                s->pos--;
                return wb_cur_fail(s, err, "data segment offset without `end`");
            }
        }
        at = s->pos;
        if (wb_cur_u32(s, &len, err) != WB_OK) return WB_ERROR;
        if (len > wb_cur_left(s)) {
            s->pos = at;
            return wb_cur_fail(s, err, "data segment extends past the section's end");
        }
        g.pos = s->pos;
        g.len = len;
        s->pos += len;
        if (flag == 1 || len == 0) continue; /* passive or empty: no memory */
        const core_mem *m = &c->mems[g.mem];
        if (g.addr > m->size || len > m->size - g.addr)
            return wb_fail(err,
                           "malformed core dump: data segment at offset 0x%zx (memory %" PRIu32
                           ", [0x%" PRIx64 ", +0x%" PRIx32 ")) extends beyond the memory's "
                           "size 0x%" PRIx64,
                           g.at, g.mem, g.addr, len, m->size);
        c->segs[c->nsegs++] = g;
    }
    if (expect_end(s, err) != WB_OK) return WB_ERROR;

    /* reads bisect each memory's segments: sort them, and refuse overlaps
     * (instantiation would let the later one win; no writer has a reason
     * to write them, and sorted disjoint segments keep reads simple) */
    qsort(c->segs, c->nsegs, sizeof *c->segs, cmp_seg);
    for (size_t i = 0; i < c->nsegs; i++) {
        const core_seg *g = &c->segs[i];
        if (i > 0 && g[-1].mem == g->mem && g[-1].addr + g[-1].len > g->addr)
            return wb_fail(err,
                           "malformed core dump: data segments at offsets 0x%zx and 0x%zx "
                           "overlap (memory %" PRIu32 ", address 0x%" PRIx64 ")",
                           g[-1].at, g->at, g->mem, g->addr);
        core_mem *m = &c->mems[g->mem];
        if (m->nsegs == 0) m->first = i;
        m->nsegs++;
    }
    return WB_OK;
}

/* A value (Coredump.md, "Thread(s) and stack frames"). */
static wb_status read_value(wb_cursor *s, wb_core_value *v, wb_error *err)
{
    uint8_t t = 0;
    int64_t iv;
    uint64_t uv = 0;
    size_t at = s->pos;
    if (wb_cur_u8(s, &t, err) != WB_OK) return WB_ERROR;
    switch (t) {
    case WB_CORE_MISSING: break;
    case WB_CORE_I32:
        if (read_sleb(s, 32, &iv, err) != WB_OK) return WB_ERROR;
        uv = (uint32_t)iv;
        break;
    case WB_CORE_I64:
        if (read_sleb(s, 64, &iv, err) != WB_OK) return WB_ERROR;
        uv = (uint64_t)iv;
        break;
    case WB_CORE_F32:
        if (read_le(s, 4, &uv, err) != WB_OK) return WB_ERROR;
        break;
    case WB_CORE_F64:
        if (read_le(s, 8, &uv, err) != WB_OK) return WB_ERROR;
        break;
    default: s->pos = at; return wb_cur_fail(s, err, "unknown value type");
    }
    v->type = t;
    v->bits = uv;
    return WB_OK;
}

/* One `corestack` section, frames with instance indices or without. With
 * t NULL, only checks and counts (*nframes, *nvalues); with t, whose
 * frames and values arrays the counting walk sized, stores. */
static wb_status parse_stack(const wb_core *c, wb_cursor s, bool with_inst, core_thread *t,
                             size_t *nframes, size_t *nvalues, wb_error *err)
{
    uint32_t n;
    size_t nv = 0;
    const uint8_t *name;
    uint32_t name_len;
    if (read_zero(&s, "thread-info", err) != WB_OK ||
        read_name_span(&s, &name, &name_len, err) != WB_OK)
        return WB_ERROR;
    /* the shortest frame: 0x00, (instance,) function, offset, two empty
     * vectors */
    if (read_count(&s, with_inst ? 6 : 5, "frame", &n, err) != WB_OK) return WB_ERROR;
    for (uint32_t i = 0; i < n; i++) {
        wb_core_frame f = {0};
        uint32_t cnt;
        if (read_zero(&s, "frame", err) != WB_OK) return WB_ERROR;
        if (with_inst) {
            size_t at = s.pos;
            if (wb_cur_u32(&s, &f.instance, err) != WB_OK) return WB_ERROR;
            if (f.instance >= c->ninsts) {
                s.pos = at;
                return wb_cur_fail(&s, err, "instance index out of range");
            }
        }
        if (wb_cur_u32(&s, &f.func, err) != WB_OK || wb_cur_u32(&s, &f.code_offset, err) != WB_OK)
            return WB_ERROR;
        for (int part = 0; part < 2; part++) {
            if (read_count(&s, 1, part ? "stack value" : "local", &cnt, err) != WB_OK)
                return WB_ERROR;
            if (t) {
                if (part == 0)
                    f.locals = t->values + nv;
                else
                    f.stack = t->values + nv;
            }
            for (uint32_t k = 0; k < cnt; k++) {
                wb_core_value v;
                if (read_value(&s, &v, err) != WB_OK) return WB_ERROR;
                if (t) t->values[nv] = v;
                nv++;
            }
            if (part == 0)
                f.nlocals = cnt;
            else
                f.nstack = cnt;
        }
        if (t) t->frames[i] = f;
    }
    if (expect_end(&s, err) != WB_OK) return WB_ERROR;
    *nframes = n;
    *nvalues = nv;
    return WB_OK;
}

/* A thread: decides the frame format (see the header), then stores. */
static wb_status parse_thread(wb_core *c, wb_cursor s, bool have_instances, wb_error *err)
{
    wb_error err_new, err_old;
    size_t nf_new = 0, nv_new = 0, nf_old = 0, nv_old = 0;
    bool ok_new = parse_stack(c, s, true, NULL, &nf_new, &nv_new, &err_new) == WB_OK;
    bool ok_old = parse_stack(c, s, false, NULL, &nf_old, &nv_old, &err_old) == WB_OK;
    bool with_inst = ok_new && ok_old ? have_instances
                     : ok_new         ? true
                     : ok_old         ? false
                                      : have_instances;
    if (!ok_new && !ok_old) {
        if (err) *err = with_inst ? err_new : err_old;
        return WB_ERROR;
    }
    core_thread *t = &c->threads[c->nthreads];
    size_t nframes = with_inst ? nf_new : nf_old, nvalues = with_inst ? nv_new : nv_old;
    memset(t, 0, sizeof *t);
    c->nthreads++;
    t->frames = calloc(nframes ? nframes : 1, sizeof *t->frames);
    t->values = calloc(nvalues ? nvalues : 1, sizeof *t->values);
    if (!t->frames || !t->values) return wb_fail(err, "out of memory");
    if (parse_stack(c, s, with_inst, t, &t->nframes, &nvalues, err) != WB_OK) return WB_ERROR;
    /* the name: after the 0x00 the counting walk checked */
    wb_cursor n = s;
    n.pos++;
    return read_name(&n, &t->name, err);
}

/* `wdb.module`: version 1, module size (u64), FNV-1a-64 (8 bytes LE). */
static wb_status parse_identity(wb_core *c, wb_cursor *s, wb_error *err)
{
    uint32_t version;
    if (wb_cur_u32(s, &version, err) != WB_OK) return WB_ERROR;
    if (version != WCD_MODULE_VERSION) return WB_OK; /* a later layout: not ours to read */
    if (wb_cur_leb(s, 64, false, &c->mod_size, err) != WB_OK ||
        read_le(s, 8, &c->mod_hash, err) != WB_OK || expect_end(s, err) != WB_OK)
        return WB_ERROR;
    c->has_identity = true;
    return WB_OK;
}

/* `wdb.trap`: message (a name), kind (u32). */
static wb_status parse_trap(wb_core *c, wb_cursor *s, wb_error *err)
{
    if (read_name(s, &c->trap_msg, err) != WB_OK || wb_cur_u32(s, &c->trap_kind, err) != WB_OK ||
        expect_end(s, err) != WB_OK)
        return WB_ERROR;
    c->has_trap = true;
    return WB_OK;
}

/* `wdb.args`: vec(name), the program's arguments; kept joined by spaces
 * (gdb shows a core's command line so). */
static wb_status parse_args(wb_core *c, wb_cursor *s, wb_error *err)
{
    uint32_t n;
    if (wb_cur_u32(s, &n, err) != WB_OK) return WB_ERROR;
    if (n > wb_cur_left(s)) return wb_cur_fail(s, err, "more arguments than bytes");
    if (!(c->command = malloc(wb_cur_left(s) + 1))) return wb_fail(err, "out of memory");
    size_t len = 0;
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *a;
        uint32_t alen;
        if (read_name_span(s, &a, &alen, err) != WB_OK) return WB_ERROR;
        if (i) c->command[len++] = ' ';
        memcpy(c->command + len, a, alen);
        len += alen;
    }
    c->command[len] = 0;
    return expect_end(s, err);
}

/* The sections parse_core reads, by their index here. */
enum {
    S_CORE,
    S_MODULES,
    S_INSTANCES,
    S_IDENTITY,
    S_TRAP,
    S_ARGS,
    S_MEMORY,
    S_GLOBAL,
    S_DATA,
    S_N
};
static const char *const known_custom[] = {WCD_SECTION_CORE,      WCD_SECTION_MODULES,
                                           WCD_SECTION_INSTANCES, WCD_SECTION_MODULE,
                                           WCD_SECTION_TRAP,      WCD_SECTION_ARGS};

static wb_status parse_core(wb_core *c, wb_error *err)
{
    static const uint8_t magic[8] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
    wb_cursor f = {c->bytes, 0, c->size, "header", "core dump"};
    wb_cursor secs[S_N];
    bool seen[S_N] = {false};
    bool seen_std[14] = {false};
    wb_cursor *stacks = NULL;
    size_t nstacks = 0, cap = 0;
    wb_status st = WB_ERROR;

    if (c->size < 4 || memcmp(c->bytes, magic, 4) != 0)
        return wb_fail(err, "not a WebAssembly core dump (bad magic number)");
    if (c->size < 8 || memcmp(c->bytes + 4, magic + 4, 4) != 0)
        return wb_fail(err, "unsupported WebAssembly version (only version 1 is known)");
    f.pos = 8;

    while (f.pos < f.end) {
        uint8_t id;
        uint32_t size;
        size_t start = f.pos;
        f.what = "header";
        if (wb_cur_u8(&f, &id, err) != WB_OK) goto done;
        if (id > 13) {
            wb_fail(err, "malformed core dump: unknown section id %u at offset 0x%zx", id, start);
            goto done;
        }
        f.what = wf_section_name(id);
        if (wb_cur_u32(&f, &size, err) != WB_OK) goto done;
        if (size > wb_cur_left(&f)) {
            wb_fail(err,
                    "malformed core dump: %s section at offset 0x%zx has size %" PRIu32
                    " but only %zu bytes remain",
                    wf_section_name(id), start, size, wb_cur_left(&f));
            goto done;
        }
        wb_cursor body = {c->bytes, f.pos, f.pos + size, wf_section_name(id), "core dump"};
        f.pos += size;
        int which = -1;
        if (id == 0) { /* custom section */
            const uint8_t *nm;
            uint32_t len;
            if (read_name_span(&body, &nm, &len, err) != WB_OK) goto done;
            if (len == strlen(WCD_SECTION_STACK) && memcmp(nm, WCD_SECTION_STACK, len) == 0) {
                if (!wb_grow((void **)&stacks, &cap, nstacks + 1, sizeof *stacks)) {
                    wb_fail(err, "out of memory");
                    goto done;
                }
                body.what = WCD_SECTION_STACK;
                stacks[nstacks++] = body;
                continue;
            }
            for (int k = 0; k < (int)(sizeof known_custom / sizeof *known_custom); k++)
                if (strlen(known_custom[k]) == len && memcmp(nm, known_custom[k], len) == 0)
                    which = k;
            if (which < 0) continue; /* other custom sections: not ours */
            body.what = known_custom[which];
        } else {
            if (seen_std[id]) {
                wb_fail(err, "malformed core dump: duplicate %s section at offset 0x%zx",
                        wf_section_name(id), start);
                goto done;
            }
            seen_std[id] = true;
            which = id == 5 ? S_MEMORY : id == 6 ? S_GLOBAL : id == 11 ? S_DATA : -1;
            if (which < 0) continue; /* the rest of a module: not part of a core */
        }
        if (seen[which]) {
            wb_fail(err, "malformed core dump: duplicate %s section at offset 0x%zx", body.what,
                    start);
            goto done;
        }
        seen[which] = true;
        secs[which] = body;
    }

    if (!seen[S_CORE]) {
        wb_fail(err, "not a WebAssembly core dump: no `core` section (a module rather than "
                     "a core?)");
        goto done;
    }
    if (parse_process(c, &secs[S_CORE], err) != WB_OK) goto done;
    if (seen[S_MODULES]) {
        if (parse_modules(c, &secs[S_MODULES], err) != WB_OK) goto done;
    } else {
        /* older writers: one module, named by `core` */
        c->modules = calloc(1, sizeof *c->modules);
        if (!c->modules || !(c->modules[0] = strdup(c->exe))) {
            wb_fail(err, "out of memory");
            goto done;
        }
        c->nmodules = 1;
    }
    if (seen[S_MEMORY] && parse_memories(c, &secs[S_MEMORY], err) != WB_OK) goto done;
    if (seen[S_GLOBAL] && parse_globals(c, &secs[S_GLOBAL], err) != WB_OK) goto done;
    if (seen[S_INSTANCES] ? parse_instances(c, &secs[S_INSTANCES], err) != WB_OK
                          : default_instance(c, err) != WB_OK)
        goto done;
    if (seen[S_DATA] && parse_data(c, &secs[S_DATA], err) != WB_OK) goto done;
    c->threads = calloc(nstacks ? nstacks : 1, sizeof *c->threads);
    if (!c->threads) {
        wb_fail(err, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < nstacks; i++)
        if (parse_thread(c, stacks[i], seen[S_INSTANCES], err) != WB_OK) goto done;
    if (seen[S_IDENTITY] && parse_identity(c, &secs[S_IDENTITY], err) != WB_OK) goto done;
    if (seen[S_TRAP] && parse_trap(c, &secs[S_TRAP], err) != WB_OK) goto done;
    if (seen[S_ARGS] && parse_args(c, &secs[S_ARGS], err) != WB_OK) goto done;
    st = WB_OK;
done:
    free(stacks);
    return st;
}

/* ------------------------------------------------------------------- API */

/* Takes ownership of `bytes` (malloc'd, freed on failure too). */
static wb_status open_owned(uint8_t *bytes, size_t size, wb_core **out, wb_error *err)
{
    wb_core *c = calloc(1, sizeof *c);
    if (!c) {
        free(bytes);
        return wb_fail(err, "out of memory");
    }
    c->bytes = bytes;
    c->size = size;
    if (parse_core(c, err) != WB_OK) {
        wb_core_close(c);
        return WB_ERROR;
    }
    *out = c;
    return WB_OK;
}

wb_status wb_core_open_bytes(const uint8_t *data, size_t size, wb_core **out, wb_error *err)
{
    *out = NULL;
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy) return wb_fail(err, "out of memory");
    if (size) memcpy(copy, data, size);
    return open_owned(copy, size, out, err);
}

wb_status wb_core_open_file(const char *path, wb_core **out, wb_error *err)
{
    uint8_t *buf;
    size_t len;
    *out = NULL;
    if (wb_read_file(path, WDB_FILE_MODULE_MAX, "not a WebAssembly core dump (bad magic number)",
                     &buf, &len, err) != WB_OK)
        return WB_ERROR;
    wb_status st = open_owned(buf, len, out, err);
    if (st != WB_OK) wb_error_prefix(err, path);
    return st;
}

void wb_core_close(wb_core *c)
{
    if (!c) return;
    free(c->bytes);
    free(c->exe);
    for (size_t i = 0; i < c->nmodules; i++)
        free(c->modules[i]);
    free(c->modules);
    free(c->mems);
    free(c->segs);
    free(c->globals);
    for (size_t i = 0; i < c->ninsts; i++) {
        free(c->insts[i].mems);
        free(c->insts[i].globals);
    }
    free(c->insts);
    for (size_t i = 0; i < c->nthreads; i++) {
        free(c->threads[i].name);
        free(c->threads[i].frames);
        free(c->threads[i].values);
    }
    free(c->threads);
    free(c->trap_msg);
    free(c->command);
    free(c);
}

const char *wb_core_executable(const wb_core *c)
{
    return c->exe;
}

const char *wb_core_command(const wb_core *c)
{
    return c->command;
}
size_t wb_core_module_count(const wb_core *c)
{
    return c->nmodules;
}

const char *wb_core_module_name(const wb_core *c, size_t module)
{
    return module < c->nmodules ? c->modules[module] : NULL;
}

size_t wb_core_instance_count(const wb_core *c)
{
    return c->ninsts;
}

uint32_t wb_core_instance_module(const wb_core *c, size_t instance)
{
    return instance < c->ninsts ? c->insts[instance].module : UINT32_MAX;
}

size_t wb_core_thread_count(const wb_core *c)
{
    return c->nthreads;
}

const char *wb_core_thread_name(const wb_core *c, size_t thread)
{
    return thread < c->nthreads ? c->threads[thread].name : NULL;
}

size_t wb_core_frame_count(const wb_core *c, size_t thread)
{
    return thread < c->nthreads ? c->threads[thread].nframes : 0;
}

const wb_core_frame *wb_core_frame_at(const wb_core *c, size_t thread, size_t i)
{
    if (thread >= c->nthreads || i >= c->threads[thread].nframes) return NULL;
    return &c->threads[thread].frames[i];
}

static const core_mem *find_mem(const wb_core *c, uint32_t instance, uint32_t memory)
{
    if (instance >= c->ninsts || memory >= c->insts[instance].nmems) return NULL;
    return &c->mems[c->insts[instance].mems[memory]];
}

uint32_t wb_core_memory_count(const wb_core *c, uint32_t instance)
{
    return instance < c->ninsts ? c->insts[instance].nmems : 0;
}

wb_status wb_core_memory_size(const wb_core *c, uint32_t instance, uint32_t memory, uint64_t *size)
{
    const core_mem *m = find_mem(c, instance, memory);
    if (!m) return WB_NOT_FOUND;
    *size = m->size;
    return WB_OK;
}

/* The first of m's segments that ends after addr (segments are sorted and
 * disjoint, so their ends increase too). */
static size_t first_seg_after(const wb_core *c, const core_mem *m, uint64_t addr)
{
    size_t lo = m->first, hi = m->first + m->nsegs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->segs[mid].addr + c->segs[mid].len <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

wb_status wb_core_read_memory(const wb_core *c, uint32_t instance, uint32_t memory, uint64_t addr,
                              void *buf, size_t len, wb_error *err)
{
    const core_mem *m = find_mem(c, instance, memory);
    if (!m) return WB_NOT_FOUND;
    if (addr > m->size || len > m->size - addr)
        return wb_fail(err, "Cannot access memory at address 0x%" PRIx64, addr);
    if (len == 0) return WB_OK;
    uint8_t *out = buf;
    uint64_t end = addr + len;
    memset(out, 0, len);
    for (size_t i = first_seg_after(c, m, addr); i < m->first + m->nsegs; i++) {
        const core_seg *g = &c->segs[i];
        if (g->addr >= end) break;
        uint64_t from = g->addr > addr ? g->addr : addr;
        uint64_t to = g->addr + g->len < end ? g->addr + g->len : end;
        memcpy(out + (from - addr), c->bytes + g->pos + (from - g->addr), (size_t)(to - from));
    }
    return WB_OK;
}

uint64_t wb_core_memory_captured(const wb_core *c, uint32_t instance, uint32_t memory,
                                 uint64_t addr, uint64_t len)
{
    const core_mem *m = find_mem(c, instance, memory);
    if (!m) return 0;
    uint64_t end = len > UINT64_MAX - addr ? UINT64_MAX : addr + len, n = 0;
    for (size_t i = first_seg_after(c, m, addr); i < m->first + m->nsegs; i++) {
        const core_seg *g = &c->segs[i];
        if (g->addr >= end) break;
        uint64_t from = g->addr > addr ? g->addr : addr;
        uint64_t to = g->addr + g->len < end ? g->addr + g->len : end;
        n += to - from;
    }
    return n;
}

uint32_t wb_core_global_count(const wb_core *c, uint32_t instance)
{
    return instance < c->ninsts ? c->insts[instance].nglobals : 0;
}

wb_status wb_core_global(const wb_core *c, uint32_t instance, uint32_t index, wb_core_value *out)
{
    if (instance >= c->ninsts || index >= c->insts[instance].nglobals) return WB_NOT_FOUND;
    *out = c->globals[c->insts[instance].globals[index]];
    return WB_OK;
}

bool wb_core_module_identity(const wb_core *c, uint64_t *size, uint64_t *fnv1a)
{
    if (!c->has_identity) return false;
    if (size) *size = c->mod_size;
    if (fnv1a) *fnv1a = c->mod_hash;
    return true;
}

const char *wb_core_trap_message(const wb_core *c)
{
    return c->has_trap ? c->trap_msg : NULL;
}

bool wb_core_trap(const wb_core *c, const char **message, uint32_t *kind)
{
    if (!c->has_trap) return false;
    if (message) *message = c->trap_msg;
    if (kind) *kind = c->trap_kind;
    return true;
}

uint64_t wb_core_fnv1a64(const void *data, size_t size)
{
    return wcd_fnv1a64(data, size);
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Whether a and b name the same file, by base name, ignoring a ".wasm"
 * suffix on either (module names from a name section have none). */
static bool same_module_name(const char *a, const char *b)
{
    a = base_name(a);
    b = base_name(b);
    size_t la = strlen(a), lb = strlen(b);
    if (la >= 5 && strcmp(a + la - 5, ".wasm") == 0) la -= 5;
    if (lb >= 5 && strcmp(b + lb - 5, ".wasm") == 0) lb -= 5;
    return la == lb && memcmp(a, b, la) == 0;
}

wb_status wb_core_check_module(const wb_core *c, const uint8_t *module, size_t module_size,
                               const char *module_path, wb_error *err)
{
    if (c->has_identity) {
        uint64_t h = wb_core_fnv1a64(module, module_size);
        if (c->mod_size == module_size && c->mod_hash == h) return WB_OK;
        return wb_fail(err,
                       "core file is for another module: it was written for %" PRIu64
                       " bytes with FNV-1a 0x%016" PRIx64 ", %s has %zu bytes with 0x%016" PRIx64,
                       c->mod_size, c->mod_hash,
                       module_path ? base_name(module_path) : "this module", module_size, h);
    }
    if (!module_path) return WB_OK;
    if (same_module_name(c->exe, module_path)) return WB_OK;
    for (size_t i = 0; i < c->nmodules; i++)
        if (same_module_name(c->modules[i], module_path)) return WB_OK;
    wb_fail(err,
            "core file names module '%.80s', not '%.80s' (it has no wdb.module identity to "
            "check)",
            c->nmodules ? c->modules[0] : c->exe, base_name(module_path));
    return WB_NOT_FOUND;
}
