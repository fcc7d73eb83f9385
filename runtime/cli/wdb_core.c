/*
 * wdb-run's core dumps (see wdb_core.h): the Wasm coredump format of the
 * WebAssembly tool-conventions (Coredump.md), written from the runtime's
 * public API only.
 *
 * Layout of the file, in this order (custom sections may go anywhere; the
 * known ones must come in section id order):
 *   header, `core`, `coremodules`, `coreinstances`, `corestack`,
 *   Memory (5), Global (6), Data (11), `wdb.module`, `wdb.trap`.
 * Everything but the Data section is small and built in memory first (a
 * section's size comes before its contents); the Data section's size is
 * computed from the list of non-zero runs, then the memory is streamed from
 * the linear memory itself without a copy.
 */
#include "wdb_core.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Granularity of the zero scan: all-zero chunks are left out of the Data
 * section. 4 KiB (a host page) keeps a sparse 64 MiB memory small while
 * the per-segment overhead (a few bytes) stays negligible. */
#define CHUNK 4096u
/* A data segment's length is a u32: split runs well below that. */
#define MAX_SEGMENT (1ull << 30)
#define WASM_PAGE 65536u

/* Section ids (Wasm 2.0 binary format, 5.5.2). */
enum { SEC_CUSTOM = 0, SEC_MEMORY = 5, SEC_GLOBAL = 6, SEC_DATA = 11 };
/* Value encodings in corestack (Coredump.md, "Stack frames"). */
enum { VAL_MISSING = 0x01, VAL_I32 = 0x7f, VAL_I64 = 0x7e, VAL_F32 = 0x7d, VAL_F64 = 0x7c };
/* Version of the `wdb.module` section's layout. */
#define WDB_MODULE_VERSION 1u

/* ------------------------------------------------------------ buffers */

/* A growable byte buffer; `oom` sticks after a failed allocation, so the
 * writers need no checks and the caller checks once. */
typedef struct buf {
    uint8_t *p;
    size_t len, cap;
    bool oom;
} buf;

static void put(buf *b, const void *src, size_t n)
{
    if (b->oom) return;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n) cap *= 2;
        uint8_t *np = realloc(b->p, cap);
        if (!np) {
            b->oom = true;
            return;
        }
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->len, src, n);
    b->len += n;
}

static void put_u8(buf *b, uint8_t v) { put(b, &v, 1); }

static void put_uleb(buf *b, uint64_t v)
{
    uint8_t t[10];
    size_t n = 0;
    do {
        uint8_t byte = v & 0x7f;
        v >>= 7;
        t[n++] = byte | (v ? 0x80 : 0);
    } while (v);
    put(b, t, n);
}

static void put_sleb(buf *b, int64_t v)
{
    uint8_t t[10];
    size_t n = 0;
    for (;;) {
        uint8_t byte = (uint8_t)(v & 0x7f);
        v >>= 7; /* arithmetic shift: gcc and clang define it */
        bool done = (v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40));
        t[n++] = done ? byte : (uint8_t)(byte | 0x80);
        if (done) break;
    }
    put(b, t, n);
}

static void put_le(buf *b, uint64_t v, unsigned n)
{
    uint8_t t[8];
    for (unsigned i = 0; i < n; i++) t[i] = (uint8_t)(v >> (8 * i));
    put(b, t, n);
}

/* A Wasm name: LEB128 length, then the UTF-8 bytes. */
static void put_name(buf *b, const char *s)
{
    size_t n = strlen(s);
    put_uleb(b, n);
    put(b, s, n);
}

static size_t uleb_len(uint64_t v)
{
    size_t n = 1;
    while (v >>= 7) n++;
    return n;
}

static size_t sleb_len(int64_t v)
{
    buf b = {0};
    uint8_t t[10];
    b.p = t;
    b.cap = sizeof t;
    put_sleb(&b, v);
    return b.len;
}

/* ------------------------------------------------------------- output */

typedef struct out {
    FILE *f;
    bool failed; /* a write failed: errno kept in err */
    int err;
} out;

static void out_write(out *o, const void *p, size_t n)
{
    if (o->failed || n == 0) return;
    if (fwrite(p, 1, n, o->f) != n) {
        o->failed = true;
        o->err = errno ? errno : EIO;
    }
}

/* A section whose contents are in b (for a custom section, b starts with
 * the section's name). */
static void out_section(out *o, uint8_t id, const buf *b)
{
    if (b->oom && !o->failed) {
        o->failed = true;
        o->err = ENOMEM;
    }
    buf h = {0};
    uint8_t t[16];
    h.p = t;
    h.cap = sizeof t;
    put_u8(&h, id);
    put_uleb(&h, b->len);
    out_write(o, h.p, h.len);
    out_write(o, b->p, b->len);
}

/* ------------------------------------------------------------- values */

/* One corestack value. References have no encoding there: "missing". */
static void put_value(buf *b, const wr_val *v)
{
    switch (v->type) {
    case WR_I32: put_u8(b, VAL_I32); put_sleb(b, v->of.i32); break;
    case WR_I64: put_u8(b, VAL_I64); put_sleb(b, v->of.i64); break;
    case WR_F32: put_u8(b, VAL_F32); put_le(b, v->of.u32, 4); break;
    case WR_F64: put_u8(b, VAL_F64); put_le(b, v->of.u64, 8); break;
    default: put_u8(b, VAL_MISSING); break;
    }
}

/* A global's value as a constant expression (Wasm 2.0, 5.4.9 and 3.3.10). */
static void put_const_expr(buf *b, const wr_val *v)
{
    switch (v->type) {
    case WR_I32: put_u8(b, 0x41); put_sleb(b, v->of.i32); break;
    case WR_I64: put_u8(b, 0x42); put_sleb(b, v->of.i64); break;
    case WR_F32: put_u8(b, 0x43); put_le(b, v->of.u32, 4); break;
    case WR_F64: put_u8(b, 0x44); put_le(b, v->of.u64, 8); break;
    default: put_u8(b, 0xd0); put_u8(b, (uint8_t)v->type); break; /* ref.null t */
    }
    put_u8(b, 0x0b); /* end */
}

/* ---------------------------------------------------------------- code */

/* The frame's code offset relative to its function: from the body's local
 * declarations (DWARF's DW_AT_low_pc for the function), i.e. just past the
 * body's size field, where wr_module_func_range starts. */
static uint32_t func_relative(wr_module *m, uint32_t func, uint32_t code_offset)
{
    uint32_t start, end;
    size_t len;
    const uint8_t *bytes = wr_module_bytes(m, &len);
    if (wr_module_func_range(m, func, &start, &end) != WR_OK) return code_offset;
    size_t p = (size_t)wr_module_code_section_offset(m) + start;
    size_t q = p;
    while (q < len && (bytes[q] & 0x80) && q - p < 4) q++;
    uint32_t low = start + (uint32_t)(q + 1 - p);
    return code_offset >= low ? code_offset - low : 0;
}

/* One frame ::= 0x00 instanceidx funcidx codeoffset locals stack. */
static void put_frame_head(buf *b, wr_module *m, uint32_t func, uint32_t code_offset)
{
    put_u8(b, 0x00);
    put_uleb(b, 0); /* the one instance */
    put_uleb(b, func);
    put_uleb(b, func_relative(m, func, code_offset));
}

/* The `corestack` section contents for the program's thread. */
static void build_corestack(buf *b, wr_store *s, wr_module *m, const wr_trap_info *ti)
{
    put_name(b, "corestack");
    put_u8(b, 0x00);
    put_name(b, "main");
    uint32_t n = wr_debug_frame_count(s);
    if (n > 0) {
        /* inside the hook: live frames */
        put_uleb(b, n);
        for (uint32_t i = 0; i < n; i++) {
            wr_frame_info fi;
            wr_val v;
            if (wr_debug_frame(s, i, &fi) != WR_OK) memset(&fi, 0, sizeof fi);
            put_frame_head(b, m, fi.func_index, fi.code_offset);
            uint32_t nl = wr_debug_local_count(s, i);
            put_uleb(b, nl);
            for (uint32_t k = 0; k < nl; k++) {
                if (wr_debug_local(s, i, k, &v) != WR_OK) v.type = WR_FUNCREF;
                put_value(b, &v);
            }
            /* the runtime keeps no operand types: raw 64-bit slots as i64 */
            uint32_t nd = wr_debug_stack_depth(s, i);
            put_uleb(b, nd);
            for (uint32_t k = 0; k < nd; k++) {
                if (wr_debug_stack_value(s, i, k, &v) != WR_OK) v.type = WR_FUNCREF;
                put_value(b, &v);
            }
        }
        return;
    }
    /* after unwinding: where each frame was, no values */
    put_uleb(b, ti->nframes);
    for (uint32_t i = 0; i < ti->nframes; i++) {
        put_frame_head(b, m, ti->frames[i].func_index, ti->frames[i].code_offset);
        put_uleb(b, 0);
        put_uleb(b, 0);
    }
}

/* ------------------------------------------------------------- memory */

typedef struct run {
    uint32_t mem;
    uint64_t off, len;
} run;

typedef struct runs {
    run *v;
    size_t n, cap;
} runs;

static bool chunk_zero(const uint8_t *p, size_t n)
{
    uint64_t acc = 0;
    for (size_t i = 0; i < n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        acc |= w;
    }
    return acc == 0;
}

static int add_run(runs *r, uint32_t mem, uint64_t off, uint64_t len)
{
    if (r->n && r->v[r->n - 1].mem == mem && r->v[r->n - 1].off + r->v[r->n - 1].len == off &&
        r->v[r->n - 1].len + len <= MAX_SEGMENT) {
        r->v[r->n - 1].len += len;
        return 0;
    }
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        run *nv = realloc(r->v, cap * sizeof *nv);
        if (!nv) return -1;
        r->v = nv;
        r->cap = cap;
    }
    r->v[r->n++] = (run){mem, off, len};
    return 0;
}

/* The non-zero parts of memory `mem`, CHUNK granular, adjacent ones merged. */
static int scan_memory(runs *r, uint32_t mem, const uint8_t *data, uint64_t size)
{
    for (uint64_t off = 0; off < size; off += CHUNK) {
        uint64_t n = size - off < CHUNK ? size - off : CHUNK;
        if (!chunk_zero(data + off, (size_t)(n & ~7ull)) ||
            (n & 7 && memcmp(data + off + (n & ~7ull), "\0\0\0\0\0\0\0", (size_t)(n & 7)) != 0))
            if (add_run(r, mem, off, n) != 0) return -1;
    }
    return 0;
}

/* Header of one active data segment: 0x00 (memory 0) or 0x02 memidx
 * (Wasm 2.0, 5.5.12), the offset as `i32.const N end`, the byte count. */
static void put_segment_head(buf *b, const run *sg)
{
    if (sg->mem == 0) {
        put_u8(b, 0x00);
    } else {
        put_u8(b, 0x02);
        put_uleb(b, sg->mem);
    }
    put_u8(b, 0x41);
    put_sleb(b, (int32_t)(uint32_t)sg->off); /* i32.const: the offset's bits, signed */
    put_u8(b, 0x0b);
    put_uleb(b, sg->len);
}

static size_t segment_head_len(const run *sg)
{
    return 1 + (sg->mem ? uleb_len(sg->mem) : 0) + 1 + sleb_len((int32_t)(uint32_t)sg->off) + 1 +
           uleb_len(sg->len);
}

/* ------------------------------------------------------------- hashing */

uint64_t wcore_fnv1a64(const uint8_t *p, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

/* ----------------------------------------------------------- the core */

int wcore_write(wr_store *s, wr_module *m, wr_instance *inst, const char *module_path,
                const char *out_path, char *err, size_t errlen)
{
    int rc = -1;
    char *tmp = NULL;
    int fd = -1;
    out o = {0};
    buf b = {0};
    runs r = {0};
    wr_memory **mems = NULL;
    const wr_trap_info *ti = wr_store_last_trap(s);

    if (!inst) {
        wr_frame_info fi;
        if (wr_debug_frame(s, 0, &fi) == WR_OK)
            inst = fi.inst;
        else if (ti->nframes > 0)
            inst = ti->frames[0].inst;
    }
    if (!inst) {
        snprintf(err, errlen, "no instance to dump (the program never ran)");
        return -1;
    }
    if (!m) m = wr_instance_module(inst);
    const char *name = strrchr(module_path, '/');
    name = name ? name + 1 : module_path;

    uint32_t nmem = 0;
    while (wr_instance_memory(inst, nmem)) nmem++;
    if (nmem && !(mems = calloc(nmem, sizeof *mems))) goto nomem;
    for (uint32_t i = 0; i < nmem; i++) {
        mems[i] = wr_instance_memory(inst, i);
        if (scan_memory(&r, i, wr_memory_data(mems[i]), wr_memory_size(mems[i])) != 0) goto nomem;
    }

    size_t n = strlen(out_path);
    if (!(tmp = malloc(n + sizeof ".tmpXXXXXX"))) goto nomem;
    memcpy(tmp, out_path, n);
    memcpy(tmp + n, ".tmpXXXXXX", sizeof ".tmpXXXXXX");
    if ((fd = mkstemp(tmp)) < 0) {
        snprintf(err, errlen, "%s", strerror(errno));
        free(tmp);
        tmp = NULL;
        goto done;
    }
    if (!(o.f = fdopen(fd, "wb"))) goto io;
    fd = -1;
    setvbuf(o.f, NULL, _IOFBF, 1 << 16);

    static const uint8_t header[8] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
    out_write(&o, header, sizeof header);

    /* core ::= 0x00 executable-name */
    b.len = 0;
    put_name(&b, "core");
    put_u8(&b, 0x00);
    put_name(&b, name);
    out_section(&o, SEC_CUSTOM, &b);

    /* coremodules ::= vec(0x00 module-name) */
    b.len = 0;
    put_name(&b, "coremodules");
    put_uleb(&b, 1);
    put_u8(&b, 0x00);
    put_name(&b, name);
    out_section(&o, SEC_CUSTOM, &b);

    /* coreinstances ::= vec(0x00 moduleidx memories:vec(u32) globals:vec(u32)) */
    uint32_t nglob = wr_instance_global_count(inst);
    b.len = 0;
    put_name(&b, "coreinstances");
    put_uleb(&b, 1);
    put_u8(&b, 0x00);
    put_uleb(&b, 0);
    put_uleb(&b, nmem);
    for (uint32_t i = 0; i < nmem; i++) put_uleb(&b, i);
    put_uleb(&b, nglob);
    for (uint32_t i = 0; i < nglob; i++) put_uleb(&b, i);
    out_section(&o, SEC_CUSTOM, &b);

    b.len = 0;
    build_corestack(&b, s, m, ti);
    out_section(&o, SEC_CUSTOM, &b);

    /* memories at their current size, no maximum */
    if (nmem) {
        b.len = 0;
        put_uleb(&b, nmem);
        for (uint32_t i = 0; i < nmem; i++) {
            put_u8(&b, 0x00);
            put_uleb(&b, wr_memory_size(mems[i]) / WASM_PAGE);
        }
        out_section(&o, SEC_MEMORY, &b);
    }

    if (nglob) {
        b.len = 0;
        put_uleb(&b, nglob);
        for (uint32_t i = 0; i < nglob; i++) {
            wr_val v;
            wr_global_get(wr_instance_global(inst, i), &v);
            put_u8(&b, (uint8_t)v.type);
            put_u8(&b, 0x00); /* immutable */
            put_const_expr(&b, &v);
        }
        out_section(&o, SEC_GLOBAL, &b);
    }

    if (r.n) {
        uint64_t size = uleb_len(r.n);
        for (size_t i = 0; i < r.n; i++) size += segment_head_len(&r.v[i]) + r.v[i].len;
        if (size > UINT32_MAX) {
            snprintf(err, errlen, "memory too large for one data section");
            goto done;
        }
        b.len = 0;
        put_u8(&b, SEC_DATA);
        put_uleb(&b, size);
        put_uleb(&b, r.n);
        out_write(&o, b.p, b.len);
        for (size_t i = 0; i < r.n && !b.oom; i++) {
            b.len = 0;
            put_segment_head(&b, &r.v[i]);
            out_write(&o, b.p, b.len);
            out_write(&o, wr_memory_data(mems[r.v[i].mem]) + r.v[i].off, (size_t)r.v[i].len);
        }
        if (b.oom && !o.failed) {
            o.failed = true;
            o.err = ENOMEM;
        }
    }

    /* wdb.module ::= version:u32 size:u64 fnv1a64:8 bytes LE */
    size_t mlen;
    const uint8_t *mbytes = wr_module_bytes(m, &mlen);
    b.len = 0;
    put_name(&b, "wdb.module");
    put_uleb(&b, WDB_MODULE_VERSION);
    put_uleb(&b, mlen);
    put_le(&b, wcore_fnv1a64(mbytes, mlen), 8);
    out_section(&o, SEC_CUSTOM, &b);

    /* wdb.trap ::= message:name kind:u32 (wr_trap_kind) */
    b.len = 0;
    put_name(&b, "wdb.trap");
    put_name(&b, ti->msg[0] ? ti->msg : wr_trap_message(ti->kind));
    put_uleb(&b, (uint32_t)ti->kind);
    out_section(&o, SEC_CUSTOM, &b);

    if (!o.failed && fflush(o.f) != 0) {
        o.failed = true;
        o.err = errno;
    }
    FILE *f = o.f;
    o.f = NULL;
    if (fclose(f) != 0 && !o.failed) {
        o.failed = true;
        o.err = errno;
    }
    if (o.failed) {
        errno = o.err;
        goto io;
    }
    if (rename(tmp, out_path) != 0) goto io;
    free(tmp);
    tmp = NULL; /* nothing to remove */
    rc = 0;
    goto done;

nomem:
    snprintf(err, errlen, "out of memory");
    goto done;
io:
    snprintf(err, errlen, "%s", strerror(errno ? errno : EIO));
done:
    if (o.f) fclose(o.f);
    if (fd >= 0) close(fd);
    if (tmp) {
        unlink(tmp);
        free(tmp);
    }
    free(b.p);
    free(r.v);
    free(mems);
    return rc;
}
