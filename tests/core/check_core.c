/*
 * check_core: checks a core dump written by `wdb-run --core-on-trap` or
 * wdb's `gcore` against the module it came from, with a parser of its own
 * (it shares no code with the writer, debug-engine/src/wde_coredump.c, so
 * a mistake in one is not hidden by the other).
 *
 *   check_core CORE MODULE [options]
 *
 * Always checked: the Wasm header and section framing; exactly one each of
 * the custom sections core, coremodules, coreinstances, corestack, with the
 * layouts of tool-conventions Coredump.md; the executable and module name
 * (the module file's base name); coreinstances' memory and global indices
 * against the Memory and Global sections; every Global an immutable
 * constant; every data segment active, inside its memory, not overlapping
 * another, and without a 4 KiB chunk that is all zero (those must be left
 * out); every frame of instance 0, in a defined function, its code offset
 * inside the function's body (offsets from the local declarations, DWARF's
 * low_pc) and, for every frame but the innermost, at a call or
 * call_indirect; `wdb.module` (version 1, the module's size and FNV-1a-64)
 * and `wdb.trap` (a message and a kind); at most one `wdb.args` (a vector
 * of names).
 *
 * Options:
 *   --func NAME        the innermost frame is in function NAME (name section)
 *   --caller NAME      frame 1 is in function NAME
 *   --frames N         exactly N frames
 *   --min-frames N     at least N frames
 *   --opcode X[,Y...]  the byte at the innermost frame's offset is one of these (hex)
 *   --kind N           wdb.trap's kind (a wr_trap_kind value)
 *   --msg TEXT         wdb.trap's message
 *   --local I=V        local I of the innermost frame is the i32 V
 *   --stack-top F=V    the top of frame F's operand stack is the i64 V
 *   --no-values        every frame has empty locals and stack (written after
 *                      the frames unwound)
 *   --no-stack         every frame has an empty operand stack (a stub that
 *                      cannot read it)
 *   --min-data N       at least N data segments (default 1)
 *   --max-size BYTES   the core file is at most BYTES long
 *   --min-size BYTES   ... and at least BYTES
 *   --args TEXT        `wdb.args` holds the program's arguments TEXT (its
 *                      names joined by spaces, argv[0] first)
 *   --no-args          there is no `wdb.args` (the writer did not know
 *                      them: a program attached to)
 * Prints "N passed, M failed"; exits 1 on any failure.
 *
 *   check_core --strip-wdb CORE OUT
 *
 * writes CORE without its `wdb.*` custom sections to OUT: a core as any
 * runtime following Coredump.md writes it (no module hash, no trap
 * message), for the tests that open foreign cores.
 */
#include "wdb/wasmfmt.h"
#include "wdb_check.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FUNCS 100000
#define MAX_LOCAL_CHECKS 16

/* ------------------------------------------------------------- reading */

typedef struct rd {
    const uint8_t *p, *end;
    bool bad;
} rd;

static uint8_t rd_u8(rd *r)
{
    if (r->p >= r->end) {
        r->bad = true;
        return 0;
    }
    return *r->p++;
}

/* LEB128 through the project's one reader (wdb/wasmfmt.h). */
static uint64_t rd_leb(rd *r, bool sign)
{
    uint64_t v = 0;
    if (r->bad || wf_leb_read(&r->p, r->end, 64, sign, &v)) {
        r->bad = true;
        r->p = r->end;
        return 0;
    }
    return v;
}

static uint64_t rd_uleb(rd *r)
{
    return rd_leb(r, false);
}

static int64_t rd_sleb(rd *r)
{
    return (int64_t)rd_leb(r, true);
}

static const uint8_t *rd_bytes(rd *r, uint64_t n)
{
    if ((uint64_t)(r->end - r->p) < n) {
        r->bad = true;
        r->p = r->end;
        return NULL;
    }
    const uint8_t *p = r->p;
    r->p += n;
    return p;
}

/* A name into buf (truncated to cap - 1 bytes). */
static void rd_name(rd *r, char *buf, size_t cap)
{
    uint64_t n = rd_uleb(r);
    const uint8_t *p = rd_bytes(r, n);
    size_t k = p ? (n < cap - 1 ? (size_t)n : cap - 1) : 0;
    if (k) memcpy(buf, p, k);
    buf[k] = '\0';
}

static uint8_t *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    uint8_t *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 1 << 16;
            uint8_t *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) break;
    }
    fclose(f);
    *len = n;
    return buf;
}

static uint64_t fnv1a64(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

/* ------------------------------------------------------------- module */

typedef struct module {
    const uint8_t *bytes;
    size_t len;
    uint32_t nimports; /* imported functions */
    uint32_t nbodies;
    size_t body_at[MAX_FUNCS];    /* file offset of the local declarations */
    uint32_t body_len[MAX_FUNCS]; /* from there to the body's end */
    char *names[MAX_FUNCS];       /* function index -> name, or NULL */
} module;

static void skip_limits(rd *r)
{
    uint8_t flags = rd_u8(r);
    rd_uleb(r);
    if (flags & 1) rd_uleb(r);
}

static void parse_imports(module *m, rd *r)
{
    uint64_t n = rd_uleb(r);
    for (uint64_t i = 0; i < n && !r->bad; i++) {
        char tmp[256];
        rd_name(r, tmp, sizeof tmp);
        rd_name(r, tmp, sizeof tmp);
        switch (rd_u8(r)) {
        case 0:
            rd_uleb(r);
            m->nimports++;
            break;
        case 1:
            rd_u8(r);
            skip_limits(r);
            break;
        case 2: skip_limits(r); break;
        case 3:
            rd_u8(r);
            rd_u8(r);
            break;
        default: r->bad = true; break;
        }
    }
}

static void parse_code(module *m, rd *r)
{
    uint64_t n = rd_uleb(r);
    for (uint64_t i = 0; i < n && !r->bad && i < MAX_FUNCS; i++) {
        uint64_t size = rd_uleb(r);
        m->body_at[i] = (size_t)(r->p - m->bytes);
        m->body_len[i] = (uint32_t)size;
        rd_bytes(r, size);
        m->nbodies++;
    }
}

static void parse_names(module *m, rd *r)
{
    while (r->p < r->end && !r->bad) {
        uint8_t id = rd_u8(r);
        uint64_t size = rd_uleb(r);
        rd sub = {r->p, r->p + size, false};
        if (!rd_bytes(r, size)) return;
        if (id != 1) continue; /* function names */
        uint64_t n = rd_uleb(&sub);
        for (uint64_t i = 0; i < n && !sub.bad; i++) {
            uint64_t idx = rd_uleb(&sub);
            char name[512];
            rd_name(&sub, name, sizeof name);
            if (idx < MAX_FUNCS && !m->names[idx]) m->names[idx] = strdup(name);
        }
    }
}

static bool parse_module(module *m)
{
    rd r = {m->bytes, m->bytes + m->len, false};
    const uint8_t *hdr = rd_bytes(&r, 8);
    if (!hdr || memcmp(hdr, "\0asm\1\0\0\0", 8) != 0) return false;
    while (r.p < r.end && !r.bad) {
        uint8_t id = rd_u8(&r);
        uint64_t size = rd_uleb(&r);
        rd s = {r.p, r.p + size, false};
        if (!rd_bytes(&r, size)) return false;
        char name[64];
        switch (id) {
        case 0:
            rd_name(&s, name, sizeof name);
            if (!strcmp(name, "name")) parse_names(m, &s);
            break;
        case 2: parse_imports(m, &s); break;
        case 10: parse_code(m, &s); break;
        default: break;
        }
        if (s.bad) return false;
    }
    return !r.bad;
}

static int64_t func_by_name(const module *m, const char *name)
{
    for (uint32_t i = 0; i < MAX_FUNCS; i++)
        if (m->names[i] && !strcmp(m->names[i], name)) return i;
    return -1;
}

/* --------------------------------------------------------------- core */

typedef struct frame {
    uint32_t inst, func, off;
    uint32_t nlocals, nstack;
    /* the first locals, as (tag, i32 value) */
    uint8_t tag[8];
    int64_t val[8];
    uint8_t top_tag; /* the operand stack's top, if nstack > 0 */
    int64_t top_val;
} frame;

typedef struct core {
    int ncore, nmodules, ninstances, nstacks, nwdbmod, nwdbtrap, nwdbargs;
    char args[1024]; /* wdb.args, joined by spaces */
    char exe[512], modname[512];
    uint32_t inst_mems, inst_globals;
    uint32_t nmem, nglobal, ndata;
    uint64_t mem_pages[16];
    frame *frames;
    uint32_t nframes;
    char trap_msg[512];
    uint32_t trap_kind;
    uint32_t wdb_version;
    uint64_t wdb_size, wdb_hash;
} core;

/* value ::= 0x01 | 0x7F i32 | 0x7E i64 | 0x7D f32 | 0x7C f64 */
static void rd_value(rd *r, uint8_t *tag, int64_t *v)
{
    *tag = rd_u8(r);
    *v = 0;
    switch (*tag) {
    case 0x01: break;
    case 0x7f: *v = rd_sleb(r); break;
    case 0x7e: *v = rd_sleb(r); break;
    case 0x7d: rd_bytes(r, 4); break;
    case 0x7c: rd_bytes(r, 8); break;
    default: r->bad = true; break;
    }
}

static void parse_corestack(core *c, rd *r)
{
    char thread[64];
    CHECK_EQ(rd_u8(r), 0);
    rd_name(r, thread, sizeof thread);
    CHECK(thread[0] != '\0');
    uint64_t n = rd_uleb(r);
    if (n > 10000000) {
        r->bad = true;
        return;
    }
    c->frames = calloc(n ? n : 1, sizeof *c->frames);
    for (uint64_t i = 0; i < n && !r->bad; i++) {
        frame *f = &c->frames[i];
        CHECK_EQ(rd_u8(r), 0);
        f->inst = (uint32_t)rd_uleb(r);
        f->func = (uint32_t)rd_uleb(r);
        f->off = (uint32_t)rd_uleb(r);
        f->nlocals = (uint32_t)rd_uleb(r);
        for (uint32_t k = 0; k < f->nlocals && !r->bad; k++) {
            uint8_t tag;
            int64_t v;
            rd_value(r, &tag, &v);
            if (k < 8) {
                f->tag[k] = tag;
                f->val[k] = v;
            }
        }
        f->nstack = (uint32_t)rd_uleb(r);
        for (uint32_t k = 0; k < f->nstack && !r->bad; k++) {
            uint8_t tag;
            int64_t v;
            rd_value(r, &tag, &v);
            f->top_tag = tag;
            f->top_val = v;
        }
        c->nframes++;
    }
}

/* Data segments: active, inside their memory, no overlap, no all-zero 4 KiB
 * chunk. */
typedef struct seg {
    uint32_t mem;
    uint64_t off, len;
    const uint8_t *bytes;
} seg;

static int cmp_seg(const void *a, const void *b)
{
    const seg *x = a, *y = b;
    if (x->mem != y->mem) return x->mem < y->mem ? -1 : 1;
    return x->off < y->off ? -1 : x->off > y->off;
}

static void check_data(core *c, rd *r)
{
    uint64_t n = rd_uleb(r);
    seg *v = calloc(n ? n : 1, sizeof *v);
    uint32_t k = 0;
    for (uint64_t i = 0; i < n && !r->bad; i++) {
        uint64_t flags = rd_uleb(r);
        seg *s = &v[k];
        CHECK_MSG(flags == 0 || flags == 2, "segment %" PRIu64 " flags %" PRIu64, i, flags);
        s->mem = flags == 2 ? (uint32_t)rd_uleb(r) : 0;
        CHECK_EQ(rd_u8(r), 0x41); /* i32.const */
        s->off = (uint32_t)(int32_t)rd_sleb(r);
        CHECK_EQ(rd_u8(r), 0x0b);
        s->len = rd_uleb(r);
        s->bytes = rd_bytes(r, s->len);
        if (!s->bytes) break;
        k++;
    }
    c->ndata = k;
    qsort(v, k, sizeof *v, cmp_seg);
    uint64_t zero_chunks = 0;
    for (uint32_t i = 0; i < k; i++) {
        seg *s = &v[i];
        CHECK_MSG(s->mem < c->nmem, "segment in memory %" PRIu32, s->mem);
        if (s->mem < c->nmem && s->mem < 16)
            CHECK_MSG(s->off + s->len <= c->mem_pages[s->mem] * 65536,
                      "segment [0x%" PRIx64 ", +0x%" PRIx64 ") past the memory", s->off, s->len);
        if (i > 0 && v[i - 1].mem == s->mem)
            CHECK_MSG(v[i - 1].off + v[i - 1].len <= s->off, "segments overlap at 0x%" PRIx64,
                      s->off);
        /* every whole 4 KiB page of the memory inside the segment has a
         * non-zero byte */
        for (uint64_t p = (s->off + 4095) & ~4095ull; p + 4096 <= s->off + s->len; p += 4096) {
            const uint8_t *b = s->bytes + (p - s->off);
            bool nz = false;
            for (size_t j = 0; j < 4096 && !nz; j++)
                nz = b[j] != 0;
            if (!nz) zero_chunks++;
        }
    }
    CHECK_MSG(zero_chunks == 0, "%" PRIu64 " all-zero 4 KiB pages written", zero_chunks);
    free(v);
}

static void parse_global(core *c, rd *r)
{
    uint64_t n = rd_uleb(r);
    c->nglobal = (uint32_t)n;
    for (uint64_t i = 0; i < n && !r->bad; i++) {
        uint8_t t = rd_u8(r);
        CHECK_EQ(rd_u8(r), 0); /* immutable */
        uint8_t op = rd_u8(r);
        switch (op) {
        case 0x41:
            CHECK_EQ(t, 0x7f);
            rd_sleb(r);
            break;
        case 0x42:
            CHECK_EQ(t, 0x7e);
            rd_sleb(r);
            break;
        case 0x43:
            CHECK_EQ(t, 0x7d);
            rd_bytes(r, 4);
            break;
        case 0x44:
            CHECK_EQ(t, 0x7c);
            rd_bytes(r, 8);
            break;
        case 0xd0: CHECK_EQ(rd_u8(r), t); break;
        default: CHECK_FAILED("global %" PRIu64 ": init op 0x%02x", i, op); break;
        }
        CHECK_EQ(rd_u8(r), 0x0b);
    }
}

static bool parse_core(core *c, const uint8_t *bytes, size_t len)
{
    rd r = {bytes, bytes + len, false};
    const uint8_t *hdr = rd_bytes(&r, 8);
    if (!hdr || memcmp(hdr, "\0asm\1\0\0\0", 8) != 0) return false;
    int last_id = 0;
    while (r.p < r.end && !r.bad) {
        uint8_t id = rd_u8(&r);
        uint64_t size = rd_uleb(&r);
        rd s = {r.p, r.p + size, false};
        if (!rd_bytes(&r, size)) return false;
        if (id != 0) {
            CHECK_MSG(id > last_id, "section %d after %d", id, last_id);
            last_id = id;
        }
        char name[64];
        switch (id) {
        case 0:
            rd_name(&s, name, sizeof name);
            if (!strcmp(name, "core")) {
                c->ncore++;
                CHECK_EQ(rd_u8(&s), 0);
                rd_name(&s, c->exe, sizeof c->exe);
            } else if (!strcmp(name, "coremodules")) {
                c->nmodules++;
                CHECK_EQ(rd_uleb(&s), 1);
                CHECK_EQ(rd_u8(&s), 0);
                rd_name(&s, c->modname, sizeof c->modname);
            } else if (!strcmp(name, "coreinstances")) {
                c->ninstances++;
                CHECK_EQ(rd_uleb(&s), 1);
                CHECK_EQ(rd_u8(&s), 0);
                CHECK_EQ(rd_uleb(&s), 0); /* module 0 */
                c->inst_mems = (uint32_t)rd_uleb(&s);
                for (uint32_t i = 0; i < c->inst_mems; i++)
                    CHECK_EQ(rd_uleb(&s), i);
                c->inst_globals = (uint32_t)rd_uleb(&s);
                for (uint32_t i = 0; i < c->inst_globals; i++)
                    CHECK_EQ(rd_uleb(&s), i);
            } else if (!strcmp(name, "corestack")) {
                c->nstacks++;
                parse_corestack(c, &s);
            } else if (!strcmp(name, "wdb.module")) {
                c->nwdbmod++;
                c->wdb_version = (uint32_t)rd_uleb(&s);
                c->wdb_size = rd_uleb(&s);
                const uint8_t *h = rd_bytes(&s, 8);
                for (int i = 7; h && i >= 0; i--)
                    c->wdb_hash = c->wdb_hash << 8 | h[i];
            } else if (!strcmp(name, "wdb.trap")) {
                c->nwdbtrap++;
                rd_name(&s, c->trap_msg, sizeof c->trap_msg);
                c->trap_kind = (uint32_t)rd_uleb(&s);
            } else if (!strcmp(name, "wdb.args")) {
                c->nwdbargs++;
                uint64_t n = rd_uleb(&s);
                for (uint64_t i = 0; i < n && !s.bad; i++) {
                    char a[512];
                    size_t at = strlen(c->args);
                    rd_name(&s, a, sizeof a);
                    snprintf(c->args + at, sizeof c->args - at, "%s%s", i ? " " : "", a);
                }
            } else {
                CHECK_FAILED("unexpected custom section \"%s\"", name);
                s.p = s.end;
            }
            break;
        case 5: {
            c->nmem = (uint32_t)rd_uleb(&s);
            for (uint32_t i = 0; i < c->nmem && !s.bad; i++) {
                CHECK_EQ(rd_u8(&s), 0); /* min only */
                uint64_t pages = rd_uleb(&s);
                if (i < 16) c->mem_pages[i] = pages;
            }
            break;
        }
        case 6: parse_global(c, &s); break;
        case 11: check_data(c, &s); break;
        default:
            CHECK_FAILED("unexpected section id %d", id);
            s.p = s.end;
            break;
        }
        CHECK_MSG(!s.bad, "section %d is malformed", id);
        CHECK_MSG(s.p == s.end, "section %d has %td bytes left over", id, s.end - s.p);
    }
    return !r.bad;
}

/* ------------------------------------------------------------- checks */

static uint64_t num(const char *s)
{
    return strtoull(s, NULL, 0);
}

/* --strip-wdb: copies the sections that are not custom `wdb.*` ones. */
static int strip_wdb(const char *in, const char *out)
{
    size_t len = 0;
    uint8_t *b = read_all(in, &len);
    if (!b || len < 8 || memcmp(b, "\0asm\1\0\0\0", 8) != 0) {
        fprintf(stderr, "check_core: %s is not a Wasm file\n", in);
        free(b);
        return 2;
    }
    FILE *f = fopen(out, "wb");
    if (!f) {
        fprintf(stderr, "check_core: cannot write %s\n", out);
        free(b);
        return 2;
    }
    fwrite(b, 1, 8, f);
    rd r = {b + 8, b + len, false};
    int dropped = 0;
    while (r.p < r.end && !r.bad) {
        const uint8_t *start = r.p;
        uint8_t id = rd_u8(&r);
        uint64_t size = rd_uleb(&r);
        const uint8_t *payload = rd_bytes(&r, size);
        if (r.bad || !payload) break;
        bool ours = false;
        if (id == 0) {
            rd n = {payload, payload + size, false};
            char name[64];
            rd_name(&n, name, sizeof name);
            ours = !n.bad && strncmp(name, "wdb.", 4) == 0;
        }
        if (ours)
            dropped++;
        else
            fwrite(start, 1, (size_t)(r.p - start), f);
    }
    bool ok = !r.bad && fclose(f) == 0;
    free(b);
    if (!ok) {
        fprintf(stderr, "check_core: %s: bad section framing\n", in);
        return 2;
    }
    printf("check_core: %d wdb sections left out\n", dropped);
    return dropped > 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "--strip-wdb") == 0) return strip_wdb(argv[2], argv[3]);
    if (argc < 3) {
        fprintf(stderr, "usage: check_core CORE MODULE [options] (see the source)\n");
        return 2;
    }
    const char *core_path = argv[1], *mod_path = argv[2];
    const char *func = NULL, *caller = NULL, *msg = NULL, *opcodes = NULL, *args = NULL;
    int64_t frames = -1, min_frames = -1, kind = -1;
    uint64_t max_size = 0, min_size = 0, min_data = 1;
    bool no_values = false, no_stack = false, no_args = false;
    struct {
        uint32_t index;
        int64_t value;
    } locals[MAX_LOCAL_CHECKS];
    int nlocals = 0;
    struct {
        uint32_t frame;
        int64_t value;
    } tops[MAX_LOCAL_CHECKS];
    int ntops = 0;
    for (int i = 3; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes = strcmp(a, "--no-values") != 0 && strcmp(a, "--no-stack") != 0 &&
                     strcmp(a, "--no-args") != 0;
        if (takes && !v) {
            fprintf(stderr, "check_core: %s needs a value\n", a);
            return 2;
        }
        if (!strcmp(a, "--func"))
            func = v;
        else if (!strcmp(a, "--caller"))
            caller = v;
        else if (!strcmp(a, "--frames"))
            frames = (int64_t)num(v);
        else if (!strcmp(a, "--min-frames"))
            min_frames = (int64_t)num(v);
        else if (!strcmp(a, "--opcode"))
            opcodes = v;
        else if (!strcmp(a, "--kind"))
            kind = (int64_t)num(v);
        else if (!strcmp(a, "--msg"))
            msg = v;
        else if (!strcmp(a, "--max-size"))
            max_size = num(v);
        else if (!strcmp(a, "--min-size"))
            min_size = num(v);
        else if (!strcmp(a, "--min-data"))
            min_data = num(v);
        else if (!strcmp(a, "--args"))
            args = v;
        else if (!strcmp(a, "--no-args"))
            no_args = true;
        else if (!strcmp(a, "--no-values"))
            no_values = true;
        else if (!strcmp(a, "--no-stack"))
            no_stack = true;
        else if (!strcmp(a, "--local") && nlocals < MAX_LOCAL_CHECKS && strchr(v, '=')) {
            locals[nlocals].index = (uint32_t)num(v);
            locals[nlocals].value = strtoll(strchr(v, '=') + 1, NULL, 0);
            nlocals++;
        } else if (!strcmp(a, "--stack-top") && ntops < MAX_LOCAL_CHECKS && strchr(v, '=')) {
            tops[ntops].frame = (uint32_t)num(v);
            tops[ntops].value = strtoll(strchr(v, '=') + 1, NULL, 0);
            ntops++;
        } else {
            fprintf(stderr, "check_core: bad option %s\n", a);
            return 2;
        }
        if (takes) i++;
    }

    size_t core_len = 0;
    module *m = calloc(1, sizeof *m);
    core c;
    memset(&c, 0, sizeof c);
    uint8_t *cb = read_all(core_path, &core_len);
    uint8_t *mb = m ? read_all(mod_path, &m->len) : NULL;
    if (!cb || !mb) {
        fprintf(stderr, "check_core: cannot read %s\n", !cb ? core_path : mod_path);
        return 1;
    }
    m->bytes = mb;
    CHECK_MSG(parse_module(m), "%s: not a module this checker can read", mod_path);
    CHECK_MSG(parse_core(&c, cb, core_len), "%s: malformed", core_path);

    /* the sections */
    CHECK_EQ(c.ncore, 1);
    CHECK_EQ(c.nmodules, 1);
    CHECK_EQ(c.ninstances, 1);
    CHECK_EQ(c.nstacks, 1);
    CHECK_EQ(c.nwdbmod, 1);
    CHECK_EQ(c.nwdbtrap, 1);
    const char *base = strrchr(mod_path, '/');
    base = base ? base + 1 : mod_path;
    CHECK_STR(c.exe, base);
    CHECK_STR(c.modname, base);
    CHECK_EQ(c.inst_mems, c.nmem);
    CHECK_EQ(c.inst_globals, c.nglobal);
    CHECK_MSG(c.ndata >= min_data, "%" PRIu32 " data segments", c.ndata);
    if (max_size) CHECK_MSG(core_len <= max_size, "core is %zu bytes", core_len);
    if (min_size) CHECK_MSG(core_len >= min_size, "core is %zu bytes", core_len);

    /* wdb.module and wdb.trap */
    CHECK_EQ(c.wdb_version, 1);
    CHECK_EQ(c.wdb_size, m->len);
    CHECK_MSG(c.wdb_hash == fnv1a64(m->bytes, m->len), "wdb.module hash %016" PRIx64, c.wdb_hash);
    CHECK(c.trap_msg[0] != '\0');
    if (kind >= 0) CHECK_EQ(c.trap_kind, kind);
    if (msg) CHECK_STR(c.trap_msg, msg);

    /* wdb.args */
    CHECK(c.nwdbargs <= 1);
    if (args) {
        CHECK_EQ(c.nwdbargs, 1);
        CHECK_STR(c.args, args);
    }
    if (no_args) CHECK_EQ(c.nwdbargs, 0);

    /* the frames */
    if (frames >= 0) CHECK_EQ(c.nframes, frames);
    if (min_frames >= 0) CHECK_MSG(c.nframes >= min_frames, "%" PRIu32 " frames", c.nframes);
    CHECK(c.nframes > 0);
    for (uint32_t i = 0; i < c.nframes; i++) {
        const frame *f = &c.frames[i];
        CHECK_EQ(f->inst, 0);
        uint32_t body = f->func - m->nimports;
        if (f->func < m->nimports || body >= m->nbodies) {
            CHECK_FAILED("frame %" PRIu32 ": funcidx %" PRIu32 " is no defined function", i,
                         f->func);
            continue;
        }
        CHECK_MSG(f->off > 0 && f->off < m->body_len[body],
                  "frame %" PRIu32 " (%s): offset 0x%" PRIx32 " outside the body (0x%" PRIx32
                  " bytes)",
                  i, m->names[f->func] ? m->names[f->func] : "?", f->off, m->body_len[body]);
        if (f->off >= m->body_len[body]) continue;
        uint8_t op = m->bytes[m->body_at[body] + f->off];
        if (i > 0)
            CHECK_MSG(op == 0x10 || op == 0x11, "frame %" PRIu32 ": opcode 0x%02x is no call", i,
                      op);
        if (no_values) CHECK_MSG(f->nlocals == 0 && f->nstack == 0, "frame %" PRIu32, i);
        if (no_stack) CHECK_MSG(f->nstack == 0, "frame %" PRIu32 " has an operand stack", i);
    }
    if (c.nframes > 0) {
        const frame *f0 = &c.frames[0];
        if (func) {
            int64_t want = func_by_name(m, func);
            CHECK_MSG(want >= 0, "no function %s in the name section", func);
            CHECK_MSG(f0->func == want, "innermost frame in %s (%" PRIu32 "), expected %s",
                      m->names[f0->func] ? m->names[f0->func] : "?", f0->func, func);
        }
        if (caller && c.nframes > 1) CHECK_STR(m->names[c.frames[1].func], caller);
        uint32_t body = f0->func - m->nimports;
        if (opcodes && f0->func >= m->nimports && body < m->nbodies &&
            f0->off < m->body_len[body]) {
            uint8_t op = m->bytes[m->body_at[body] + f0->off];
            bool found = false;
            for (const char *p = opcodes; *p;) {
                char *end;
                unsigned long want = strtoul(p, &end, 16);
                if (end == p) break;
                found |= want == op;
                p = *end == ',' ? end + 1 : end;
            }
            CHECK_MSG(found, "innermost opcode 0x%02x, expected one of %s", op, opcodes);
        }
        if (!no_values) CHECK(f0->nlocals > 0 || !nlocals);
        for (int k = 0; k < nlocals; k++) {
            uint32_t idx = locals[k].index;
            CHECK_MSG(idx < f0->nlocals && idx < 8 && f0->tag[idx] == 0x7f &&
                          f0->val[idx] == locals[k].value,
                      "local %" PRIu32 " is not the i32 %" PRId64, idx, locals[k].value);
        }
    }
    for (int k = 0; k < ntops; k++) {
        const frame *f = tops[k].frame < c.nframes ? &c.frames[tops[k].frame] : NULL;
        CHECK_MSG(f && f->nstack > 0 && f->top_tag == 0x7e && f->top_val == tops[k].value,
                  "the operand stack of frame %" PRIu32 " does not end in the i64 %" PRId64,
                  tops[k].frame, tops[k].value);
    }
    printf("%s: %" PRIu32 " frames, %" PRIu32 " data segments, %zu bytes\n", core_path, c.nframes,
           c.ndata, core_len);
    free(c.frames);
    for (uint32_t i = 0; i < MAX_FUNCS; i++)
        free(m->names[i]);
    free(m);
    free(cb);
    free(mb);
    return wdb_check_summary();
}
