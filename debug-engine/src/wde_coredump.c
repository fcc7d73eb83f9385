/*
 * The Wasm core dump writer (see wdb/coredump.h): the WebAssembly
 * tool-conventions format (Coredump.md) over the Wasm binary format of the
 * Core Specification 2.0, section 5 (LEB128: 5.2.2; names: 5.2.4; memory
 * section: 5.5.8; global section: 5.5.9; data section: 5.5.14; constant
 * expressions: 3.3.10 and 5.4.9).
 *
 * Everything but the Data section is small and built in memory first (a
 * section's size comes before its contents); the Data section's size is
 * computed from the list of non-zero runs found by a first pass over the
 * memories, then the runs are streamed out (re-read, or from the copies
 * the first pass kept with read_once).
 */
#include "wdb/coredump.h"
#include "wdb/wasmfmt.h"

#include <errno.h>
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
/* Buffer for re-reading runs when they are written. */
#define STREAM 65536u

/* Section ids (Wasm 2.0 binary format, 5.5.2). */
enum { SEC_CUSTOM = 0, SEC_MEMORY = 5, SEC_GLOBAL = 6, SEC_DATA = 11 };

/* ---------------------------------------------------------- trap kinds */

/* the names of wdb/wasm_traps.h, as wr_trap_name spells them */
static const char *const kind_names[WCD_TRAP_KIND_COUNT] = {[WCD_TRAP_NONE] = "none",
#define X(id, name, message, label) [WCD_TRAP_##id] = #name,
                                                            WASM_TRAPS(X)
#undef X
};

const char *wcd_trap_kind_name(uint32_t kind)
{
    return kind < WCD_TRAP_KIND_COUNT ? kind_names[kind] : "unknown";
}

uint32_t wcd_trap_kind_by_name(const char *name, size_t len)
{
    for (uint32_t k = 0; k < WCD_TRAP_KIND_COUNT; k++)
        if (strlen(kind_names[k]) == len && memcmp(kind_names[k], name, len) == 0) return k;
    return WCD_TRAP_UNKNOWN;
}

uint64_t wcd_fnv1a64(const void *data, size_t len)
{
    const uint8_t *p = data;
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

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
        while (cap < b->len + n)
            cap *= 2;
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

static void put_u8(buf *b, uint8_t v)
{
    put(b, &v, 1);
}

static void put_uleb(buf *b, uint64_t v)
{
    uint8_t t[10];
    put(b, t, wf_leb_write(t, v));
}

static void put_sleb(buf *b, int64_t v)
{
    uint8_t t[10];
    put(b, t, wf_sleb_write(t, v));
}

static void put_le(buf *b, uint64_t v, unsigned n)
{
    uint8_t t[8];
    for (unsigned i = 0; i < n; i++)
        t[i] = (uint8_t)(v >> (8 * i));
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
    return wf_leb_write(NULL, v);
}
static size_t sleb_len(int64_t v)
{
    return wf_sleb_write(NULL, v);
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

/* One corestack value. Anything but the four numeric types has no
 * encoding there: "missing". */
static void put_value(buf *b, const wcd_value *v)
{
    switch (v->type) {
    case WCD_VAL_I32:
        put_u8(b, WCD_VAL_I32);
        put_sleb(b, (int32_t)(uint32_t)v->bits);
        break;
    case WCD_VAL_I64:
        put_u8(b, WCD_VAL_I64);
        put_sleb(b, (int64_t)v->bits);
        break;
    case WCD_VAL_F32:
        put_u8(b, WCD_VAL_F32);
        put_le(b, v->bits, 4);
        break;
    case WCD_VAL_F64:
        put_u8(b, WCD_VAL_F64);
        put_le(b, v->bits, 8);
        break;
    default: put_u8(b, WCD_VAL_MISSING); break;
    }
}

/* A global's value as a constant expression (Wasm 2.0, 5.4.9 and 3.3.10);
 * other types as ref.null of the type. */
static void put_const_expr(buf *b, const wcd_value *v)
{
    switch (v->type) {
    case WCD_VAL_I32:
        put_u8(b, 0x41);
        put_sleb(b, (int32_t)(uint32_t)v->bits);
        break;
    case WCD_VAL_I64:
        put_u8(b, 0x42);
        put_sleb(b, (int64_t)v->bits);
        break;
    case WCD_VAL_F32:
        put_u8(b, 0x43);
        put_le(b, v->bits, 4);
        break;
    case WCD_VAL_F64:
        put_u8(b, 0x44);
        put_le(b, v->bits, 8);
        break;
    default:
        put_u8(b, 0xd0);
        put_u8(b, v->type);
        break; /* ref.null t */
    }
    put_u8(b, 0x0b); /* end */
}

/* The `corestack` section contents: thread-info ::= 0x00 name
 * vec(frame), frame ::= 0x00 instanceidx funcidx codeoffset
 * locals:vec(value) stack:vec(value). */
static void build_corestack(buf *b, const wcd_state *st)
{
    put_name(b, WCD_SECTION_STACK);
    put_u8(b, 0x00);
    put_name(b, "main");
    put_uleb(b, st->nframes);
    for (uint32_t i = 0; i < st->nframes; i++) {
        const wcd_frame *f = &st->frames[i];
        put_u8(b, 0x00);
        put_uleb(b, 0); /* the one instance */
        put_uleb(b, f->func);
        put_uleb(b, f->code_offset);
        put_uleb(b, f->nlocals);
        for (uint32_t k = 0; k < f->nlocals; k++)
            put_value(b, &f->locals[k]);
        put_uleb(b, f->nstack);
        for (uint32_t k = 0; k < f->nstack; k++)
            put_value(b, &f->stack[k]);
    }
}

/* ------------------------------------------------------------- memory */

typedef struct run {
    uint32_t mem;
    uint64_t off, len;
} run;

/* The non-zero parts of the memories, in order, and (read_once) their
 * bytes, concatenated in the same order. */
typedef struct runs {
    run *v;
    size_t n, cap;
    buf copy;
} runs;

static bool chunk_zero(const uint8_t *p, size_t n)
{
    uint64_t acc = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        acc |= w;
    }
    for (; i < n; i++)
        acc |= p[i];
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
        if (!nv) return -ENOMEM;
        r->v = nv;
        r->cap = cap;
    }
    r->v[r->n++] = (run){mem, off, len};
    return 0;
}

/* Reads memory `mem` once, CHUNK at a time, and notes its non-zero chunks
 * (adjacent ones merged). Returns 0, or a negative errno value with *at
 * the offset that could not be read. */
static int scan_memory(const wcd_state *st, runs *r, uint32_t mem, uint8_t *chunk, uint64_t *at)
{
    uint64_t size = st->memory_sizes[mem];
    for (uint64_t off = 0; off < size; off += CHUNK) {
        size_t n = (size_t)(size - off < CHUNK ? size - off : CHUNK);
        int rc = st->read_memory(st->user, mem, off, chunk, n);
        if (rc < 0) {
            *at = off;
            return rc;
        }
        if (chunk_zero(chunk, n)) continue;
        if (add_run(r, mem, off, n) != 0) return -ENOMEM;
        if (st->read_once) {
            put(&r->copy, chunk, n);
            if (r->copy.oom) return -ENOMEM;
        }
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

/* ----------------------------------------------------------- the core */

wcd_status wcd_write(const wcd_state *st, const char *out_path, char *err, size_t errlen)
{
    wcd_status rc = WCD_ERROR;
    char *tmp = NULL;
    int fd = -1;
    out o = {0};
    buf b = {0};
    runs r = {0};
    uint8_t *chunk = NULL;

    for (uint32_t i = 0; i < st->nglobals; i++) {
        if (st->globals[i].type == WCD_VAL_MISSING) {
            snprintf(err, errlen, "global %u has no value", i);
            return WCD_ERROR;
        }
    }
    if (!(chunk = malloc(STREAM))) goto nomem;
    for (uint32_t i = 0; i < st->nmemories; i++) {
        uint64_t at = 0;
        int e = scan_memory(st, &r, i, chunk, &at);
        if (e == -ENOMEM) goto nomem;
        if (e < 0) {
            snprintf(err, errlen, "cannot read memory %u at 0x%llx: %s", i, (unsigned long long)at,
                     strerror(-e));
            goto done;
        }
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
    put_name(&b, WCD_SECTION_CORE);
    put_u8(&b, 0x00);
    put_name(&b, st->module_name);
    out_section(&o, SEC_CUSTOM, &b);

    /* coremodules ::= vec(0x00 module-name) */
    b.len = 0;
    put_name(&b, WCD_SECTION_MODULES);
    put_uleb(&b, 1);
    put_u8(&b, 0x00);
    put_name(&b, st->module_name);
    out_section(&o, SEC_CUSTOM, &b);

    /* coreinstances ::= vec(0x00 moduleidx memories:vec(u32) globals:vec(u32)) */
    b.len = 0;
    put_name(&b, WCD_SECTION_INSTANCES);
    put_uleb(&b, 1);
    put_u8(&b, 0x00);
    put_uleb(&b, 0);
    put_uleb(&b, st->nmemories);
    for (uint32_t i = 0; i < st->nmemories; i++)
        put_uleb(&b, i);
    put_uleb(&b, st->nglobals);
    for (uint32_t i = 0; i < st->nglobals; i++)
        put_uleb(&b, i);
    out_section(&o, SEC_CUSTOM, &b);

    b.len = 0;
    build_corestack(&b, st);
    out_section(&o, SEC_CUSTOM, &b);

    /* memories at their current size, no maximum */
    if (st->nmemories) {
        b.len = 0;
        put_uleb(&b, st->nmemories);
        for (uint32_t i = 0; i < st->nmemories; i++) {
            put_u8(&b, 0x00);
            put_uleb(&b, st->memory_sizes[i] / WASM_PAGE);
        }
        out_section(&o, SEC_MEMORY, &b);
    }

    if (st->nglobals) {
        b.len = 0;
        put_uleb(&b, st->nglobals);
        for (uint32_t i = 0; i < st->nglobals; i++) {
            put_u8(&b, st->globals[i].type);
            put_u8(&b, 0x00); /* immutable */
            put_const_expr(&b, &st->globals[i]);
        }
        out_section(&o, SEC_GLOBAL, &b);
    }

    if (r.n) {
        uint64_t size = uleb_len(r.n);
        for (size_t i = 0; i < r.n; i++)
            size += segment_head_len(&r.v[i]) + r.v[i].len;
        if (size > UINT32_MAX) {
            snprintf(err, errlen, "memory too large for one data section");
            goto done;
        }
        b.len = 0;
        put_u8(&b, SEC_DATA);
        put_uleb(&b, size);
        put_uleb(&b, r.n);
        out_write(&o, b.p, b.len);
        size_t copied = 0; /* read_once: position in r.copy */
        for (size_t i = 0; i < r.n && !b.oom && !o.failed; i++) {
            const run *sg = &r.v[i];
            b.len = 0;
            put_segment_head(&b, sg);
            out_write(&o, b.p, b.len);
            if (st->read_once) {
                out_write(&o, r.copy.p + copied, (size_t)sg->len);
                copied += (size_t)sg->len;
                continue;
            }
            for (uint64_t pos = 0; pos < sg->len && !o.failed;) {
                size_t want = (size_t)(sg->len - pos < STREAM ? sg->len - pos : STREAM);
                int e = st->read_memory(st->user, sg->mem, sg->off + pos, chunk, want);
                if (e < 0) {
                    snprintf(err, errlen, "cannot read memory %u at 0x%llx: %s", sg->mem,
                             (unsigned long long)(sg->off + pos), strerror(-e));
                    goto done;
                }
                out_write(&o, chunk, want);
                pos += want;
            }
        }
        if (b.oom && !o.failed) {
            o.failed = true;
            o.err = ENOMEM;
        }
    }

    /* wdb.module ::= version:u32 size:u64 fnv1a64:8 bytes LE */
    b.len = 0;
    put_name(&b, WCD_SECTION_MODULE);
    put_uleb(&b, WCD_MODULE_VERSION);
    put_uleb(&b, st->module_size);
    put_le(&b, st->module_hash, 8);
    out_section(&o, SEC_CUSTOM, &b);

    /* wdb.trap ::= message:name kind:u32 */
    if (st->trap_message) {
        b.len = 0;
        put_name(&b, WCD_SECTION_TRAP);
        put_name(&b, st->trap_message);
        put_uleb(&b, st->trap_kind);
        out_section(&o, SEC_CUSTOM, &b);
    }

    /* wdb.args ::= vec(name) */
    if (st->argc) {
        b.len = 0;
        put_name(&b, WCD_SECTION_ARGS);
        put_uleb(&b, st->argc);
        for (uint32_t i = 0; i < st->argc; i++)
            put_name(&b, st->argv[i]);
        out_section(&o, SEC_CUSTOM, &b);
    }

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
    rc = WCD_OK;
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
    free(r.copy.p);
    free(chunk);
    return rc;
}
