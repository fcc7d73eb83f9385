/*
 * The Wasm object reader. Binary format: WebAssembly Core Specification 2.0,
 * section 5 (modules: 5.5; LEB128 integers: 5.2.2; names: 5.2.4), and the
 * `name` custom section of its appendix (7.4).
 */
#include "wdb/wasmfmt.h"
#include "wb_wasm.h"
#include "wb_demangle.h"
#include "wb_cursor.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct wb_wasm {
    uint8_t *bytes;
    size_t size;
    wb_section *sections;
    size_t nsections;
    char *names; /* custom section names, NUL-separated */
    bool has_code;
    wb_file_off code_offset;
    uint32_t code_size;
    uint32_t nimported;
    wb_func *funcs;
    uint32_t nfuncs;
    /* name section names of functions, globals and data segments, sorted
     * by index */
    struct wb_name_map {
        struct wb_name_entry {
            uint32_t index;
            const char *name; /* as shown: a Rust name demangled */
            const char *raw;  /* as the section has it */
        } * v;
        uint32_t n;
        char *text;
        char **owned; /* the demangled names */
        uint32_t nowned;
    } fnames, gnames, dnames;
    /* name section local names (subsection 2), sorted by function, local */
    struct wb_local_names {
        struct wb_local_name {
            uint32_t func, local;
            const char *name;
        } * v;
        uint32_t n;
        char *text;
    } lnames;
    wb_data_segment *segs;
    size_t nsegs;
};

/* A name (5.2.4): length + bytes. *s points into the module, not terminated. */
static wb_status read_name(wb_cursor *c, const uint8_t **s, uint32_t *len, wb_error *err)
{
    if (wb_cur_u32(c, len, err) != WB_OK) return WB_ERROR;
    if (*len > c->end - c->pos) return wb_cur_fail(c, err, "name extends past its section");
    *s = c->base + c->pos;
    c->pos += *len;
    return WB_OK;
}

static wb_status skip_limits(wb_cursor *c, wb_error *err)
{
    uint8_t flags = 0;
    uint64_t v;
    if (wb_cur_u8(c, &flags, err) != WB_OK) return WB_ERROR;
    if (flags > 7) return wb_cur_fail(c, err, "bad limits flags");
    unsigned bits = (flags & 4) ? 64 : 32; /* memory64 proposal */
    if (wb_cur_leb(c, bits, false, &v, err) != WB_OK) return WB_ERROR;
    if ((flags & 1) && wb_cur_leb(c, bits, false, &v, err) != WB_OK) return WB_ERROR;
    return WB_OK;
}

/* Import section (5.5.5): only counts the imported functions, but checks
 * every entry's shape so the count can be trusted. */
static wb_status read_valtype(wb_cursor *c, uint8_t *t, wb_error *err);

static wb_status parse_imports(wb_wasm *w, wb_cursor *c, wb_error *err)
{
    uint32_t n;
    if (wb_cur_u32(c, &n, err) != WB_OK) return WB_ERROR;
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *s;
        uint32_t len, idx;
        uint8_t kind = 0, b = 0;
        if (read_name(c, &s, &len, err) != WB_OK || read_name(c, &s, &len, err) != WB_OK ||
            wb_cur_u8(c, &kind, err) != WB_OK)
            return WB_ERROR;
        switch (kind) {
        case 0: /* func: typeidx */
            if (wb_cur_u32(c, &idx, err) != WB_OK) return WB_ERROR;
            w->nimported++;
            break;
        case 1: /* table: reftype limits */
            if (wb_cur_u8(c, &b, err) != WB_OK || skip_limits(c, err) != WB_OK) return WB_ERROR;
            break;
        case 2: /* memory: limits */
            if (skip_limits(c, err) != WB_OK) return WB_ERROR;
            break;
        case 3: /* global: valtype mut */
            if (read_valtype(c, &b, err) != WB_OK || wb_cur_u8(c, &b, err) != WB_OK)
                return WB_ERROR;
            break;
        case 4: /* tag (exception handling proposal): attribute typeidx */
            if (wb_cur_u8(c, &b, err) != WB_OK || wb_cur_u32(c, &idx, err) != WB_OK)
                return WB_ERROR;
            break;
        default: return wb_cur_fail(c, err, "unknown import kind");
        }
    }
    if (c->pos != c->end) return wb_cur_fail(c, err, "section size mismatch");
    return WB_OK;
}

/* Code section (5.5.13): a vector of sized bodies. */
static wb_status parse_code(wb_wasm *w, wb_cursor *c, wb_error *err)
{
    uint32_t n;
    if (wb_cur_u32(c, &n, err) != WB_OK) return WB_ERROR;
    /* each body takes at least 2 bytes (size + its `end`), so a count larger
     * than the section cannot be true: refuse it before allocating */
    if (n > (c->end - c->pos) / 2 + 1) return wb_cur_fail(c, err, "function count too large");
    w->funcs = calloc(n ? n : 1, sizeof *w->funcs);
    if (!w->funcs) return wb_fail(err, "out of memory");
    for (uint32_t i = 0; i < n; i++) {
        wb_func *f = &w->funcs[i];
        uint32_t size;
        f->header = (wb_code_off)(c->pos - w->code_offset.off);
        if (wb_cur_u32(c, &size, err) != WB_OK) return WB_ERROR;
        if (size == 0) return wb_cur_fail(c, err, "empty function body");
        if (size > c->end - c->pos)
            return wb_cur_fail(c, err, "function body extends past the section");
        f->start = (wb_code_off)(c->pos - w->code_offset.off);
        c->pos += size;
        f->end = (wb_code_off)(c->pos - w->code_offset.off);
        w->nfuncs++;
    }
    if (c->pos != c->end) return wb_cur_fail(c, err, "section size mismatch");
    return WB_OK;
}

static int cmp_name_entry(const void *a, const void *b)
{
    const struct wb_name_entry *x = a, *y = b;
    return (x->index > y->index) - (x->index < y->index);
}

/* A name map (appendix 7.4.1: vec(index name)) from the subsection `sub`
 * into m. Returns false when it is malformed or a second one. */
static bool parse_name_map(wb_cursor *sub, struct wb_name_map *m)
{
    uint32_t n;
    if (m->v) return false; /* duplicate subsection */
    if (wb_cur_u32(sub, &n, NULL) != WB_OK) return false;
    if (n > (sub->end - sub->pos) / 2) return false; /* index + length: 2 bytes at least */
    m->v = calloc(n ? n : 1, sizeof *m->v);
    m->text = malloc(sub->end - sub->pos + 1);
    if (!m->v || !m->text) return false;
    char *text = m->text;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t idx = 0, len = 0;
        const uint8_t *s = NULL;
        if (wb_cur_u32(sub, &idx, NULL) != WB_OK || read_name(sub, &s, &len, NULL) != WB_OK)
            return false;
        memcpy(text, s, len);
        text[len] = 0;
        m->v[i].index = idx;
        m->v[i].name = m->v[i].raw = text;
        char shown[1024];
        size_t keep = wb_rust_hash_suffix_at(text);
        if (keep && keep < sizeof shown) {
            memcpy(shown, text, keep);
            shown[keep] = 0;
        }
        if ((keep && keep < sizeof shown) || wb_rust_demangle(text, shown, sizeof shown)) {
            if (!m->owned && !(m->owned = calloc(n, sizeof *m->owned))) return false;
            if (!(m->owned[m->nowned] = strdup(shown))) return false;
            m->v[i].name = m->owned[m->nowned++];
        }
        text += len + 1;
        m->n++;
    }
    /* the spec asks for increasing indices; sort anyway so lookups can
     * bisect whatever a producer wrote */
    qsort(m->v, m->n, sizeof *m->v, cmp_name_entry);
    return true;
}

static void name_map_free(struct wb_name_map *m)
{
    for (uint32_t i = 0; i < m->nowned; i++)
        free(m->owned[i]);
    free(m->owned);
    free(m->v);
    free(m->text);
    *m = (struct wb_name_map){0};
}

static int cmp_local_name(const void *a, const void *b)
{
    const struct wb_local_name *x = a, *y = b;
    if (x->func != y->func) return (x->func > y->func) - (x->func < y->func);
    return (x->local > y->local) - (x->local < y->local);
}

/* The local names (appendix 7.4.1: an indirect name map, vec(index
 * vec(index name))) from the subsection `sub` into m. Returns false when
 * it is malformed or a second one. */
static bool parse_local_names(wb_cursor *sub, struct wb_local_names *m)
{
    uint32_t nfuncs;
    size_t cap = 0;
    if (m->text) return false; /* duplicate subsection */
    if (wb_cur_u32(sub, &nfuncs, NULL) != WB_OK) return false;
    if (!(m->text = malloc(sub->end - sub->pos + 1))) return false;
    char *text = m->text;
    for (uint32_t f = 0; f < nfuncs; f++) {
        uint32_t func = 0, n = 0;
        if (wb_cur_u32(sub, &func, NULL) != WB_OK || wb_cur_u32(sub, &n, NULL) != WB_OK)
            return false;
        if (n > (sub->end - sub->pos) / 2) return false; /* index + length: 2 bytes at least */
        for (uint32_t i = 0; i < n; i++) {
            uint32_t idx = 0, len = 0;
            const uint8_t *s = NULL;
            if (wb_cur_u32(sub, &idx, NULL) != WB_OK || read_name(sub, &s, &len, NULL) != WB_OK)
                return false;
            if (!wb_grow((void **)&m->v, &cap, (size_t)m->n + 1, sizeof *m->v)) return false;
            memcpy(text, s, len);
            text[len] = 0;
            m->v[m->n++] = (struct wb_local_name){func, idx, text};
            text += len + 1;
        }
    }
    if (m->n) qsort(m->v, m->n, sizeof *m->v, cmp_local_name); /* no names: m->v is NULL */
    return true;
}

static void local_names_free(struct wb_local_names *m)
{
    free(m->v);
    free(m->text);
    *m = (struct wb_local_names){0};
}

/* The `name` section (appendix 7.4): subsections 1, function names, 2,
 * local names, 7,
 * global names and 9, data segment names (the extended name section
 * proposal, which wasm-ld writes). Returns false when it is malformed; the
 * caller then drops it. */
static bool parse_names(wb_wasm *w, wb_cursor *c)
{
    while (c->pos < c->end) {
        uint8_t id;
        uint32_t size;
        if (wb_cur_u8(c, &id, NULL) != WB_OK || wb_cur_u32(c, &size, NULL) != WB_OK) return false;
        if (size > c->end - c->pos) return false;
        wb_cursor sub = {c->base, c->pos, c->pos + size, "name", "module"};
        c->pos += size;
        if ((id == 1 && !parse_name_map(&sub, &w->fnames)) ||
            (id == 2 && !parse_local_names(&sub, &w->lnames)) ||
            (id == 7 && !parse_name_map(&sub, &w->gnames)) ||
            (id == 9 && !parse_name_map(&sub, &w->dnames)))
            return false;
    }
    return true;
}

static const char *name_in(const struct wb_name_map *m, uint32_t index)
{
    uint32_t lo = 0, hi = m->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (m->v[mid].index < index)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < m->n && m->v[lo].index == index ? m->v[lo].name : NULL;
}

static wb_status skip_const_expr(wb_cursor *c, wb_error *err);
static bool read_i32_offset(wb_cursor *c, uint32_t *out, wb_error *err);

/* Data section (5.5.14): the active segments of memory 0 at constant
 * offsets, named from the name section (read before). Returns false when
 * it cannot be read (the caller keeps none). */
static bool parse_data(wb_wasm *w, wb_cursor *c)
{
    uint32_t n;
    if (wb_cur_u32(c, &n, NULL) != WB_OK) return false;
    /* each segment takes at least 2 bytes (flags + an empty vector) */
    if (n > (c->end - c->pos) / 2) return false;
    w->segs = calloc(n ? n : 1, sizeof *w->segs);
    if (!w->segs) return false;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t flags, mem = 0, offset = 0, size;
        bool constant = false;
        if (wb_cur_u32(c, &flags, NULL) != WB_OK || flags > 2) return false;
        if (flags == 2 && wb_cur_u32(c, &mem, NULL) != WB_OK) return false;
        if (flags != 1) {
            size_t at = c->pos;
            constant = read_i32_offset(c, &offset, NULL);
            if (!constant) {
                c->pos = at;
                if (skip_const_expr(c, NULL) != WB_OK) return false;
            }
        }
        if (wb_cur_u32(c, &size, NULL) != WB_OK || size > c->end - c->pos) return false;
        c->pos += size;
        if (!constant || mem != 0) continue;
        wb_data_segment *d = &w->segs[w->nsegs++];
        d->addr = offset;
        d->size = size;
        d->name = name_in(&w->dnames, i);
    }
    return true;
}

static wb_status parse_module(wb_wasm *w, wb_error *err)
{
    static const uint8_t magic[8] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
    wb_cursor c = {w->bytes, 0, w->size, "header", "module"};
    size_t cap = 0, names_len = 0;
    bool seen[14] = {false};
    uint32_t declared_funcs = 0;
    bool have_funcsec = false;
    wb_cursor name_sec = {NULL, 0, 0, "name", "module"};
    wb_cursor data_sec = {NULL, 0, 0, "data", "module"};

    if (w->size < 4 || memcmp(w->bytes, magic, 4) != 0)
        return wb_fail(err, "not a WebAssembly module (bad magic number)");
    if (w->size < 8 || memcmp(w->bytes + 4, magic + 4, 4) != 0)
        return wb_fail(err, "unsupported WebAssembly version (only version 1 is known)");
    c.pos = 8;
    /* names of custom sections are copied into one buffer; the module size
     * bounds its length */
    w->names = malloc(w->size + 1);
    if (!w->names) return wb_fail(err, "out of memory");

    while (c.pos < c.end) {
        uint8_t id;
        uint32_t size;
        size_t start = c.pos;
        c.what = "header";
        if (wb_cur_u8(&c, &id, err) != WB_OK) return WB_ERROR;
        if (id > 13) {
            c.pos = start;
            return wb_fail(err, "malformed module: unknown section id %u at offset 0x%zx", id,
                           start);
        }
        c.what = wf_section_name(id);
        if (wb_cur_u32(&c, &size, err) != WB_OK) return WB_ERROR;
        if (size > c.end - c.pos)
            return wb_fail(err,
                           "malformed module: %s section at offset 0x%zx has size %u but only "
                           "%zu bytes remain",
                           wf_section_name(id), start, size, c.end - c.pos);
        if (id != WB_SEC_CUSTOM && seen[id])
            return wb_fail(err, "malformed module: duplicate %s section at offset 0x%zx",
                           wf_section_name(id), start);
        seen[id] = true;
        wb_cursor body = {w->bytes, c.pos, c.pos + size, wf_section_name(id), "module"};
        c.pos += size;

        if (!wb_grow((void **)&w->sections, &cap, w->nsections + 1, sizeof *w->sections))
            return wb_fail(err, "out of memory");
        wb_section *s = &w->sections[w->nsections];
        s->id = id;
        s->name = wf_section_name(id);
        if (id == WB_SEC_CUSTOM) {
            const uint8_t *nm = NULL;
            uint32_t len = 0;
            if (read_name(&body, &nm, &len, err) != WB_OK) return WB_ERROR;
            memcpy(w->names + names_len, nm, len);
            w->names[names_len + len] = 0;
            s->name = w->names + names_len; /* `names` never moves */
            names_len += len + 1;
            if (len == 4 && memcmp(nm, "name", 4) == 0 && !name_sec.base) name_sec = body;
        }
        s->offset = (wb_file_off){(uint32_t)body.pos};
        s->size = (uint32_t)(body.end - body.pos);
        w->nsections++;

        switch (id) {
        case WB_SEC_IMPORT:
            if (parse_imports(w, &body, err) != WB_OK) return WB_ERROR;
            break;
        case WB_SEC_FUNCTION:
            if (wb_cur_u32(&body, &declared_funcs, err) != WB_OK) return WB_ERROR;
            have_funcsec = true;
            break;
        case WB_SEC_CODE:
            w->has_code = true;
            w->code_offset = (wb_file_off){(uint32_t)body.pos};
            w->code_size = (uint32_t)(body.end - body.pos);
            if (parse_code(w, &body, err) != WB_OK) return WB_ERROR;
            break;
        case 11: data_sec = body; break;
        default: break;
        }
    }
    if ((have_funcsec ? declared_funcs : 0) != w->nfuncs)
        return wb_fail(err,
                       "malformed module: the function section declares %u functions but the "
                       "code section has %u bodies",
                       have_funcsec ? declared_funcs : 0, w->nfuncs);
    if (name_sec.base && !parse_names(w, &name_sec)) {
        name_map_free(&w->fnames);
        name_map_free(&w->gnames);
        name_map_free(&w->dnames);
        local_names_free(&w->lnames);
    }
    if (data_sec.base && !parse_data(w, &data_sec)) w->nsegs = 0;
    for (uint32_t i = 0; i < w->nfuncs; i++) {
        w->funcs[i].index = w->nimported + i;
        w->funcs[i].name = wb_wasm_func_name(w, w->nimported + i);
    }
    return WB_OK;
}

/* Takes ownership of `bytes` (malloc'd, freed on failure too). */
static wb_status open_owned(uint8_t *bytes, size_t size, wb_wasm **out, wb_error *err)
{
    wb_wasm *w = NULL;
    *out = NULL;
    if (size > UINT32_MAX) {
        free(bytes);
        return wb_fail(err, "module too large (over 4 GiB)");
    }
    w = calloc(1, sizeof *w);
    if (!w) {
        free(bytes);
        return wb_fail(err, "out of memory");
    }
    w->bytes = bytes;
    w->size = size;
    if (parse_module(w, err) != WB_OK) goto fail;
    *out = w;
    return WB_OK;
fail:
    wb_wasm_close(w);
    return WB_ERROR;
}

wb_status wb_wasm_open_bytes(const uint8_t *data, size_t size, wb_wasm **out, wb_error *err)
{
    *out = NULL;
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy) return wb_fail(err, "out of memory");
    if (size) memcpy(copy, data, size);
    return open_owned(copy, size, out, err);
}

wb_status wb_wasm_open_file(const char *path, wb_wasm **out, wb_error *err)
{
    uint8_t *buf;
    size_t len;
    *out = NULL;
    if (wb_read_file(path, WDB_FILE_MODULE_MAX, "not a WebAssembly module (bad magic number)", &buf,
                     &len, err) != WB_OK)
        return WB_ERROR;
    /* the buffer becomes the module's own bytes: the file is held once */
    wb_status st = open_owned(buf, len, out, err);
    if (st != WB_OK) wb_error_prefix(err, path);
    return st;
}

void wb_wasm_close(wb_wasm *w)
{
    if (!w) return;
    free(w->bytes);
    free(w->sections);
    free(w->names);
    free(w->funcs);
    name_map_free(&w->fnames);
    name_map_free(&w->gnames);
    name_map_free(&w->dnames);
    local_names_free(&w->lnames);
    free(w->segs);
    free(w);
}

size_t wb_wasm_section_count(const wb_wasm *w)
{
    return w->nsections;
}

const wb_section *wb_wasm_section(const wb_wasm *w, size_t i)
{
    return i < w->nsections ? &w->sections[i] : NULL;
}

wb_status wb_wasm_custom_section(const wb_wasm *w, const char *name, const uint8_t **data,
                                 size_t *size)
{
    for (size_t i = 0; i < w->nsections; i++) {
        const wb_section *s = &w->sections[i];
        if (s->id == WB_SEC_CUSTOM && strcmp(s->name, name) == 0) {
            *data = w->bytes + s->offset.off;
            *size = s->size;
            return WB_OK;
        }
    }
    return WB_NOT_FOUND;
}

bool wb_wasm_has_code(const wb_wasm *w)
{
    return w->has_code;
}
wb_file_off wb_wasm_code_offset(const wb_wasm *w)
{
    return w->code_offset;
}
uint32_t wb_wasm_code_size(const wb_wasm *w)
{
    return w->code_size;
}

const uint8_t *wb_wasm_bytes(const wb_wasm *w, size_t *size)
{
    *size = w->size;
    return w->bytes;
}

const uint8_t *wb_wasm_code(const wb_wasm *w)
{
    return w->has_code ? w->bytes + w->code_offset.off : NULL;
}

wb_file_off wb_wasm_code_to_file(const wb_wasm *w, wb_code_off off)
{
    return (wb_file_off){w->code_offset.off + off};
}

wb_status wb_wasm_file_to_code(const wb_wasm *w, wb_file_off off, wb_code_off *out)
{
    if (!w->has_code || off.off < w->code_offset.off ||
        off.off - w->code_offset.off >= w->code_size)
        return WB_NOT_FOUND;
    *out = off.off - w->code_offset.off;
    return WB_OK;
}

uint32_t wb_wasm_import_func_count(const wb_wasm *w)
{
    return w->nimported;
}
uint32_t wb_wasm_func_count(const wb_wasm *w)
{
    return w->nfuncs;
}

const wb_func *wb_wasm_func(const wb_wasm *w, uint32_t i)
{
    return i < w->nfuncs ? &w->funcs[i] : NULL;
}

wb_status wb_wasm_func_at(const wb_wasm *w, wb_code_off off, const wb_func **out)
{
    /* bodies are in increasing order: bisect on the last header <= off */
    uint32_t lo = 0, hi = w->nfuncs;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (w->funcs[mid].header <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0 || off >= w->funcs[lo - 1].end) return WB_NOT_FOUND;
    *out = &w->funcs[lo - 1];
    return WB_OK;
}

const char *wb_wasm_func_name(const wb_wasm *w, uint32_t index)
{
    return name_in(&w->fnames, index);
}

const wb_func *wb_wasm_func_named(const wb_wasm *w, const char *name)
{
    /* by the name shown or the one the section has (a mangled name) */
    for (uint32_t i = 0; i < w->fnames.n; i++) {
        const struct wb_name_entry *e = &w->fnames.v[i];
        if ((strcmp(e->name, name) == 0 || strcmp(e->raw, name) == 0) && e->index >= w->nimported &&
            e->index - w->nimported < w->nfuncs)
            return &w->funcs[e->index - w->nimported];
    }
    return NULL;
}

size_t wb_wasm_data_segment_count(const wb_wasm *w)
{
    return w->nsegs;
}

const wb_data_segment *wb_wasm_data_segment(const wb_wasm *w, size_t i)
{
    return i < w->nsegs ? &w->segs[i] : NULL;
}

wb_status wb_wasm_global_named(const wb_wasm *w, const char *name, uint32_t *index)
{
    for (uint32_t i = 0; i < w->gnames.n; i++)
        if (strcmp(w->gnames.v[i].name, name) == 0) {
            *index = w->gnames.v[i].index;
            return WB_OK;
        }
    return WB_NOT_FOUND;
}

/* ------------------------------------------------- locals and globals */

/* A cursor over the first section with id `id`; false without one. */
static bool section_cursor(const wb_wasm *w, uint8_t id, wb_cursor *c)
{
    for (size_t i = 0; i < w->nsections; i++) {
        if (w->sections[i].id != id) continue;
        *c = (wb_cursor){w->bytes, w->sections[i].offset.off,
                         (size_t)w->sections[i].offset.off + w->sections[i].size,
                         wf_section_name(id), "module"};
        return true;
    }
    return false;
}

/* Skips a LEB128 integer of at most `bits` bits (its value not needed). */
static wb_status skip_leb(wb_cursor *c, unsigned bits, bool sign, wb_error *err)
{
    uint64_t v;
    return wb_cur_leb(c, bits, sign, &v, err);
}

/* A value type (5.3.1; typed references of the function references
 * proposal: 0x63/0x64 and a heap type, an s33). */
static wb_status read_valtype(wb_cursor *c, uint8_t *t, wb_error *err)
{
    if (wb_cur_u8(c, t, err) != WB_OK) return WB_ERROR;
    if (*t == 0x63 || *t == 0x64) {
        /* (ref null? ht): a value of the heap type's kind, a type index
         * being a function type's (funcref) */
        uint64_t h;
        if (wb_cur_leb(c, 33, true, &h, err) != WB_OK) return WB_ERROR;
        *t = (int64_t)h >= 0 ? 0x70 : (uint8_t)(h & 0x7f);
        if (*t == 0x70 || *t == 0x6f || *t == 0x69) return WB_OK;
        return wb_cur_fail(c, err, "unknown heap type");
    }
    if ((*t >= 0x7b && *t <= 0x7f) || *t == 0x70 || *t == 0x6f || *t == 0x69) return WB_OK;
    c->pos--;
    return wb_cur_fail(c, err, "unknown value type");
}

enum { MAX_LOCALS = 50000 }; /* the JS API's limit (and V8's, wabt's) */

const char *wb_wasm_local_name(const wb_wasm *w, uint32_t index, uint32_t local)
{
    uint32_t lo = 0, hi = w->lnames.n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        const struct wb_local_name *e = &w->lnames.v[mid];
        if (e->func < index || (e->func == index && e->local < local))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < w->lnames.n && w->lnames.v[lo].func == index && w->lnames.v[lo].local == local)
        return w->lnames.v[lo].name;
    return NULL;
}

wb_status wb_wasm_func_local_types(const wb_wasm *w, uint32_t i, uint8_t **types, uint32_t *n,
                                   wb_error *err)
{
    return wb_wasm_func_locals(w, i, types, n, NULL, NULL, err);
}

wb_status wb_wasm_func_locals(const wb_wasm *w, uint32_t i, uint8_t **types, uint32_t *n,
                              uint32_t *nparams, uint8_t *result, wb_error *err)
{
    if (result) *result = 0;
    wb_cursor c;
    uint32_t cnt, typeidx = 0;
    uint8_t *t = NULL;
    size_t nt = 0;
    *types = NULL;
    *n = 0;
    if (i >= w->nfuncs) return wb_fail(err, "no function %u in the module", i);
    /* its type index: entry i of the function section */
    if (!section_cursor(w, WB_SEC_FUNCTION, &c) || wb_cur_u32(&c, &cnt, err) != WB_OK)
        return wb_fail(err, "malformed module: no function section");
    if (i >= cnt) return wb_cur_fail(&c, err, "function index out of range");
    for (uint32_t k = 0; k <= i; k++)
        if (wb_cur_u32(&c, &typeidx, err) != WB_OK) return WB_ERROR;
    /* its parameters: vec(functype), functype ::= 0x60 vec(valtype) vec(valtype) */
    /* Wasm 3.0: vec(rectype), rectype ::= 0x4E vec(subtype) | subtype,
     * subtype ::= (0x50 | 0x4F) vec(typeidx) comptype | comptype; type
     * indices count the subtypes */
    uint32_t ngroups, groups_read = 0, left_in_group = 0;
    if (!section_cursor(w, WB_SEC_TYPE, &c) || wb_cur_u32(&c, &ngroups, err) != WB_OK)
        return wb_fail(err, "malformed module: no type section");
    for (uint32_t k = 0; k <= typeidx;) {
        uint8_t form = 0, vt;
        if (left_in_group == 0) {
            if (groups_read++ == ngroups) {
                wb_cur_fail(&c, err, "type index out of range");
                goto fail;
            }
            if (c.pos < c.end && c.base[c.pos] == 0x4e) {
                c.pos++;
                if (wb_cur_u32(&c, &left_in_group, err) != WB_OK) goto fail;
                continue; /* an empty group defines no type */
            }
            left_in_group = 1;
        }
        if (wb_cur_u8(&c, &form, err) != WB_OK) goto fail;
        if (form == 0x50 || form == 0x4f) { /* sub: its supertypes, then the type */
            uint32_t nsup, sup;
            if (wb_cur_u32(&c, &nsup, err) != WB_OK) goto fail;
            for (uint32_t q = 0; q < nsup; q++)
                if (wb_cur_u32(&c, &sup, err) != WB_OK) goto fail;
            if (wb_cur_u8(&c, &form, err) != WB_OK) goto fail;
        }
        if (form != 0x60) {
            c.pos--;
            wb_cur_fail(&c, err,
                        "not a function type (GC struct and array types are not supported)");
            goto fail;
        }
        for (int part = 0; part < 2; part++) {
            if (wb_cur_u32(&c, &cnt, err) != WB_OK) goto fail;
            if (cnt > MAX_LOCALS) {
                wb_cur_fail(&c, err, "too many parameters");
                goto fail;
            }
            if (k == typeidx && part == 0 && !(t = malloc(cnt ? cnt : 1)))
                return wb_fail(err, "out of memory");
            for (uint32_t v = 0; v < cnt; v++) {
                if (read_valtype(&c, &vt, err) != WB_OK) goto fail;
                if (k == typeidx && part == 0) t[nt++] = vt;
                if (k == typeidx && part == 1 && result) *result = cnt == 1 ? vt : 0;
            }
        }
        left_in_group--;
        k++;
    }
    if (nparams) *nparams = (uint32_t)nt;
    /* the body's declarations: vec(count valtype) */
    const wb_func *f = &w->funcs[i];
    c = (wb_cursor){w->bytes, (size_t)w->code_offset.off + f->start,
                    (size_t)w->code_offset.off + f->end, "code", "module"};
    if (wb_cur_u32(&c, &cnt, err) != WB_OK) goto fail;
    for (uint32_t d = 0; d < cnt; d++) {
        uint32_t k;
        uint8_t vt;
        if (wb_cur_u32(&c, &k, err) != WB_OK || read_valtype(&c, &vt, err) != WB_OK) goto fail;
        if (k > MAX_LOCALS - nt) {
            wb_cur_fail(&c, err, "more than 50000 locals");
            goto fail;
        }
        uint8_t *nt_buf = realloc(t, nt + k ? nt + k : 1);
        if (!nt_buf) {
            wb_fail(err, "out of memory");
            goto fail;
        }
        t = nt_buf;
        memset(t + nt, vt, k);
        nt += k;
    }
    if (nt == 0) {
        free(t);
        t = NULL;
    }
    *types = t;
    *n = (uint32_t)nt;
    return WB_OK;
fail:
    free(t);
    return WB_ERROR;
}

/* Skips a constant expression up to its `end` (5.4.9 and 3.3.10, with
 * the extended-const proposal's i32/i64 add, sub and mul). */
static wb_status skip_const_expr(wb_cursor *c, wb_error *err)
{
    for (;;) {
        uint8_t op = 0;
        if (wb_cur_u8(c, &op, err) != WB_OK) return WB_ERROR;
        switch (op) {
        case 0x0b: return WB_OK; /* end */
        case 0x41:
            if (skip_leb(c, 32, true, err) != WB_OK) return WB_ERROR;
            break; /* i32.const */
        case 0x42:
            if (skip_leb(c, 64, true, err) != WB_OK) return WB_ERROR;
            break; /* i64.const */
        case 0x43: /* f32.const */
        case 0x44: /* f64.const */
            if (c->end - c->pos < (op == 0x43 ? 4u : 8u))
                return wb_cur_fail(c, err, "unexpected end");
            c->pos += op == 0x43 ? 4 : 8;
            break;
        case 0x23: /* global.get */
        case 0xd2:
            if (skip_leb(c, 32, false, err) != WB_OK) return WB_ERROR;
            break; /* ref.func */
        case 0xd0:
            if (skip_leb(c, 33, true, err) != WB_OK) return WB_ERROR;
            break; /* ref.null */
        case 0x6a:
        case 0x6b:
        case 0x6c:
        case 0x7c:
        case 0x7d:
        case 0x7e: break;
        case 0xfd: { /* v128.const */
            uint32_t sub;
            if (wb_cur_u32(c, &sub, err) != WB_OK) return WB_ERROR;
            if (sub != 12 || c->end - c->pos < 16) return wb_cur_fail(c, err, "bad constant");
            c->pos += 16;
            break;
        }
        default: c->pos--; return wb_cur_fail(c, err, "unsupported constant expression");
        }
    }
}

/* An offset expression `i32.const N end`; anything else is refused. */
static bool read_i32_offset(wb_cursor *c, uint32_t *out, wb_error *err)
{
    uint8_t op = 0, b = 0;
    if (wb_cur_u8(c, &op, err) != WB_OK || op != 0x41) return false;
    uint32_t v = 0;
    unsigned shift = 0;
    do {
        if (wb_cur_u8(c, &b, err) != WB_OK || shift > 28) return false;
        v |= (uint32_t)(b & 0x7f) << shift;
        shift += 7;
    } while (b & 0x80);
    if (shift < 32 && (b & 0x40)) v |= ~0u << shift; /* sign extension */
    *out = v;
    return wb_cur_u8(c, &op, err) == WB_OK && op == 0x0b;
}

/* Calls fn(elem, func, ctx) for each element the active segments put in
 * table 0, in segment order (a later one overwrites an earlier one's
 * element). false when the element section is not understood (segments
 * with other offsets, element expressions other than `ref.func`). */
static bool each_table0_elem(const wb_wasm *w, void (*fn)(uint32_t elem, uint32_t func, void *ctx),
                             void *ctx)
{
    wb_cursor c;
    wb_error e;
    uint32_t nseg;
    if (!section_cursor(w, 9, &c) || wb_cur_u32(&c, &nseg, &e) != WB_OK) return false;
    for (uint32_t i = 0; i < nseg; i++) {
        uint32_t flags, table = 0, offset = 0, count;
        uint8_t kind = 0;
        if (wb_cur_u32(&c, &flags, &e) != WB_OK || flags > 7) return false;
        bool active = !(flags & 1), exprs = flags & 4;
        if ((flags & 3) == 2 && wb_cur_u32(&c, &table, &e) != WB_OK) return false;
        if (active && !read_i32_offset(&c, &offset, &e)) return false;
        /* elemkind (0x00 funcref) or reftype, unless flags 0 or 4 */
        if ((flags & 3) != 0 && wb_cur_u8(&c, &kind, &e) != WB_OK) return false;
        if (wb_cur_u32(&c, &count, &e) != WB_OK) return false;
        for (uint32_t k = 0; k < count; k++) {
            uint32_t f;
            uint8_t op = 0xd2, end = 0x0b;
            if (exprs && wb_cur_u8(&c, &op, &e) != WB_OK) return false;
            if (op == 0xd0) { /* ref.null t */
                if (wb_cur_u8(&c, &kind, &e) != WB_OK || wb_cur_u8(&c, &end, &e) != WB_OK)
                    return false;
                continue;
            }
            if (op != 0xd2 || wb_cur_u32(&c, &f, &e) != WB_OK) return false;
            if (exprs && (wb_cur_u8(&c, &end, &e) != WB_OK || end != 0x0b)) return false;
            if (active && table == 0 && (uint64_t)offset + k <= UINT32_MAX) fn(offset + k, f, ctx);
        }
    }
    return true;
}

typedef struct table_query {
    uint32_t elem, func;
    bool found;
} table_query;

static void match_elem(uint32_t elem, uint32_t func, void *ctx)
{
    table_query *q = ctx;
    if (elem == q->elem) {
        q->func = func;
        q->found = true;
    }
}

wb_status wb_wasm_table_func(const wb_wasm *w, uint32_t elem, uint32_t *func)
{
    table_query q = {.elem = elem};
    if (!each_table0_elem(w, match_elem, &q) || !q.found) return WB_NOT_FOUND;
    *func = q.func;
    return WB_OK;
}

static void match_func(uint32_t elem, uint32_t func, void *ctx)
{
    table_query *q = ctx;
    if (func == q->func && !q->found) {
        q->elem = elem;
        q->found = true;
    }
}

wb_status wb_wasm_func_table_index(const wb_wasm *w, uint32_t func, uint32_t *elem)
{
    table_query q = {.func = func};
    if (!each_table0_elem(w, match_func, &q) || !q.found) return WB_NOT_FOUND;
    /* the element may have been overwritten by a later segment */
    uint32_t now;
    if (wb_wasm_table_func(w, q.elem, &now) != WB_OK || now != func) return WB_NOT_FOUND;
    *elem = q.elem;
    return WB_OK;
}

wb_status wb_wasm_global_types(const wb_wasm *w, uint8_t **types, uint32_t *n, wb_error *err)
{
    wb_cursor c;
    uint32_t cnt;
    uint8_t *t = NULL, vt, mut;
    size_t nt = 0, cap = 0;
    *types = NULL;
    *n = 0;
    /* imported globals: import ::= module:name name:name kind desc */
    if (section_cursor(w, WB_SEC_IMPORT, &c)) {
        if (wb_cur_u32(&c, &cnt, err) != WB_OK) return WB_ERROR;
        for (uint32_t i = 0; i < cnt; i++) {
            const uint8_t *s;
            uint32_t len, idx;
            uint8_t kind = 0, b = 0;
            if (read_name(&c, &s, &len, err) != WB_OK || read_name(&c, &s, &len, err) != WB_OK ||
                wb_cur_u8(&c, &kind, err) != WB_OK)
                goto fail;
            if (kind == 0 && wb_cur_u32(&c, &idx, err) != WB_OK) goto fail;
            if (kind == 1 && (read_valtype(&c, &b, err) != WB_OK || skip_limits(&c, err) != WB_OK))
                goto fail;
            if (kind == 2 && skip_limits(&c, err) != WB_OK) goto fail;
            if (kind == 4 &&
                (wb_cur_u8(&c, &b, err) != WB_OK || wb_cur_u32(&c, &idx, err) != WB_OK))
                goto fail;
            if (kind > 4) {
                wb_cur_fail(&c, err, "unknown import kind");
                goto fail;
            }
            if (kind != 3) continue;
            if (read_valtype(&c, &vt, err) != WB_OK || wb_cur_u8(&c, &mut, err) != WB_OK) goto fail;
            if (nt == cap) {
                cap = cap ? cap * 2 : 16;
                uint8_t *x = realloc(t, cap);
                if (!x) goto oom;
                t = x;
            }
            t[nt++] = vt;
        }
    }
    /* the module's own: global ::= valtype mut expr */
    if (section_cursor(w, 6 /* global */, &c)) {
        if (wb_cur_u32(&c, &cnt, err) != WB_OK) goto fail;
        /* each takes at least 3 bytes: refuse counts the section cannot hold */
        if (cnt > (c.end - c.pos) / 3) {
            wb_cur_fail(&c, err, "global count too large");
            goto fail;
        }
        uint8_t *x = realloc(t, nt + cnt ? nt + cnt : 1);
        if (!x) goto oom;
        t = x;
        for (uint32_t i = 0; i < cnt; i++) {
            if (read_valtype(&c, &vt, err) != WB_OK || wb_cur_u8(&c, &mut, err) != WB_OK ||
                skip_const_expr(&c, err) != WB_OK)
                goto fail;
            t[nt++] = vt;
        }
    }
    if (nt == 0) {
        free(t);
        t = NULL;
    }
    *types = t;
    *n = (uint32_t)nt;
    return WB_OK;
oom:
    wb_fail(err, "out of memory");
fail:
    free(t);
    return WB_ERROR;
}
