/*
 * The DWARF reader: every libdwarf call of the bridge is in this file.
 *
 * libdwarf (Debian's 20210528) has no Wasm reader, so the module's
 * `.debug_*` custom sections are handed to it through its object access
 * interface (Dwarf_Obj_Access_Interface, libdwarf.h): section 0 is an empty
 * dummy (libdwarf skips index 0, the ELF convention), addresses are 4 bytes,
 * little endian, no relocations (linked modules have none to apply).
 *
 * No libdwarf call may abort: every call gets a Dwarf_Error pointer, and
 * an error handler is installed for the calls libdwarf makes internally
 * without one (it only counts, in the handle).
 *
 * Data kept per compilation unit (`unit`), each part built on first use:
 *   - the CU DIE and its address ranges (all CUs, on the first query);
 *   - the file table and line rows (`load_lines`);
 *   - the scope index: every subprogram, inlined subroutine and lexical
 *     block with code, plus every subprogram declaration for name lookups
 *     through DW_AT_specification / DW_AT_abstract_origin (`load_scopes`).
 * A later variables/types module starts from wb_scope.die_offset
 * (dwarf_offdie_b) and adds its own per-unit caches here.
 */
#include "wb_dwarf.h"

#include <libdwarf/dwarf.h>
#include <libdwarf/libdwarf.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Deepest DIE nesting followed; deeper trees are treated as corrupt (keeps
 * the recursive walk's stack bounded on hostile input). */
#define MAX_DIE_DEPTH 200
/* Longest chain of DW_AT_abstract_origin / DW_AT_specification followed. */
#define MAX_ORIGIN_DEPTH 8

/* -------------------------------------------------------------- arena */

typedef struct chunk {
    struct chunk *next;
    size_t used, cap;
    max_align_t data[];
} chunk;

/* Per-handle bump allocator for strings and arrays that live until
 * wb_dwarf_close. */
typedef struct arena {
    chunk *head;
} arena;

static void *arena_alloc(arena *a, size_t n)
{
    n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
    if (!a->head || a->head->cap - a->head->used < n) {
        size_t cap = n > 65536 ? n : 65536;
        chunk *c = malloc(sizeof *c + cap);
        if (!c) return NULL;
        c->next = a->head;
        c->used = 0;
        c->cap = cap;
        a->head = c;
    }
    void *p = (char *)a->head->data + a->head->used;
    a->head->used += n;
    return p;
}

static void arena_free(arena *a)
{
    while (a->head) {
        chunk *next = a->head->next;
        free(a->head);
        a->head = next;
    }
}

/* Joins up to three parts with '/' (NULL or "" parts skipped); NULL when
 * out of memory. */
static const char *arena_path(arena *a, const char *p1, const char *p2, const char *p3)
{
    const char *parts[3] = {p1, p2, p3};
    size_t len = 1;
    for (int i = 0; i < 3; i++)
        if (parts[i]) len += strlen(parts[i]) + 1;
    char *s = arena_alloc(a, len);
    if (!s) return NULL;
    size_t n = 0;
    for (int i = 0; i < 3; i++) {
        if (!parts[i] || !parts[i][0]) continue;
        if (n > 0 && s[n - 1] != '/') s[n++] = '/';
        size_t k = strlen(parts[i]);
        memcpy(s + n, parts[i], k);
        n += k;
    }
    s[n] = 0;
    return s;
}

/* Drops "." components and repeated slashes in place, as LLVM's path
 * normalization does ("./build/./x.c" -> "build/x.c"). ".." is kept: it
 * cannot be folded without the file system (symbolic links). */
static void path_normalize(char *p)
{
    char *out = p;
    const char *in = p;
    bool abs = *in == '/';
    if (abs) *out++ = *in++;
    while (*in) {
        while (*in == '/') in++;
        const char *c = in;
        while (*in && *in != '/') in++;
        size_t n = (size_t)(in - c);
        if (n == 0 || (n == 1 && c[0] == '.')) continue;
        if (out > p && out[-1] != '/') *out++ = '/';
        memmove(out, c, n);
        out += n;
    }
    if (out == p) *out++ = '.';
    *out = 0;
}

static const char *arena_str(arena *a, const char *s)
{
    return s ? arena_path(a, s, NULL, NULL) : NULL;
}

/* ------------------------------------------------------------ handle */

typedef struct seq {
    wb_code_off lo, hi; /* [first row, end_sequence row) */
    size_t first, count; /* rows, end_sequence row included */
} seq;

/* A subprogram DIE (definition or declaration), for names. */
typedef struct decl {
    uint64_t off;
    uint64_t origin; /* DW_AT_specification or DW_AT_abstract_origin, or 0 */
    const char *name, *qname, *linkage, *decl_file;
    uint32_t decl_line;
    uint8_t resolving, resolved;
} decl;

typedef struct scope_rec {
    wb_scope pub;
    uint32_t parent; /* index in the unit's scopes, or NO_PARENT */
    uint64_t origin; /* abstract origin / specification, or 0 */
} scope_rec;
#define NO_PARENT UINT32_MAX

enum { ST_NONE = 0, ST_BUSY, ST_OK, ST_BAD };

typedef struct unit {
    Dwarf_Die die; /* the CU DIE, kept until close */
    uint64_t off, end; /* .debug_info range of the unit */
    uint16_t version;
    const char *name, *comp_dir;
    uint64_t base; /* DW_AT_low_pc of the CU: base for .debug_ranges */
    wb_range *ranges;
    size_t nranges;
    bool ranges_known;

    int lines_state;
    const char **files; /* by raw file number - files_base */
    int64_t files_base;
    size_t nfiles;
    wb_line *rows;
    size_t nrows;
    seq *seqs;
    size_t nseqs;

    int scopes_state;
    scope_rec *scopes;
    size_t nscopes;
    decl *decls; /* sorted by offset */
    size_t ndecls;
    char err[256]; /* why lines or scopes are ST_BAD */
} unit;

struct wb_dwarf {
    const wb_wasm *wasm;
    uint32_t code_size;
    Dwarf_Obj_Access_Interface iface;
    struct dsec {
        const char *name;
        const uint8_t *data;
        size_t size;
    } *secs;
    unsigned nsecs;
    Dwarf_Debug dbg;
    unsigned handler_hits; /* errors libdwarf raised without an error pointer */
    arena mem;
    int units_state;
    char units_err[256];
    unit *units;
    size_t nunits;
};

/* -------------------------------------------------- object access */

static int oa_section_info(void *obj, Dwarf_Half idx, Dwarf_Obj_Access_Section *out, int *error)
{
    wb_dwarf *d = obj;
    (void)error;
    if (idx >= d->nsecs) return DW_DLV_NO_ENTRY;
    memset(out, 0, sizeof *out);
    out->type = 1; /* SHT_PROGBITS */
    out->size = d->secs[idx].size;
    out->name = d->secs[idx].name;
    return DW_DLV_OK;
}

static Dwarf_Endianness oa_byte_order(void *obj)
{
    (void)obj;
    return DW_OBJECT_LSB;
}

static Dwarf_Small oa_length_size(void *obj)
{
    (void)obj;
    return 4;
}

static Dwarf_Small oa_pointer_size(void *obj)
{
    (void)obj;
    return 4; /* wasm32 */
}

static Dwarf_Unsigned oa_section_count(void *obj) { return ((wb_dwarf *)obj)->nsecs; }

static int oa_load_section(void *obj, Dwarf_Half idx, Dwarf_Small **data, int *error)
{
    wb_dwarf *d = obj;
    (void)error;
    if (idx >= d->nsecs || idx == 0) return DW_DLV_NO_ENTRY;
    /* libdwarf only reads section data; the cast drops const for its API */
    *data = (Dwarf_Small *)(uintptr_t)d->secs[idx].data;
    return DW_DLV_OK;
}

static const Dwarf_Obj_Access_Methods oa_methods = {
    oa_section_info, oa_byte_order, oa_length_size, oa_pointer_size,
    oa_section_count, oa_load_section, NULL,
};

static void on_dwarf_error(Dwarf_Error e, Dwarf_Ptr arg)
{
    (void)e;
    ((wb_dwarf *)arg)->handler_hits++;
}

/* Fills err from a libdwarf error and releases it. */
static wb_status dw_fail(wb_dwarf *d, Dwarf_Error e, wb_error *err, const char *what)
{
    const char *m = e ? dwarf_errmsg(e) : "unknown libdwarf error";
    wb_fail(err, "corrupt DWARF: %s: %s", what, m ? m : "?");
    if (e && d->dbg) dwarf_dealloc_error(d->dbg, e);
    return WB_ERROR;
}

/* Releases an error after a failed call whose failure is tolerated. */
static void dw_drop(wb_dwarf *d, Dwarf_Error *e)
{
    if (*e && d->dbg) dwarf_dealloc_error(d->dbg, *e);
    *e = NULL;
}

/* Whether a DWARF 5 .debug_rnglists / .debug_loclists section is a clean
 * sequence of table headers (DWARF 5, 7.28 and 7.29): 32-bit unit length
 * inside the section, version 5, address size 4 or 8, no segment
 * selectors, the offset array and its offsets inside the table. libdwarf 20210528 reads
 * these headers as soon as .debug_info is used and frees memory twice on
 * some malformed ones (found by tests/fuzz/fuzz_dwarf.c), so such a section
 * is withheld from it: the ranges or locations in it are then reported as
 * errors instead. */
static bool list_tables_ok(const uint8_t *p, size_t n)
{
    size_t pos = 0;
    while (pos < n) {
        if (n - pos < 12) return false;
        uint32_t len = (uint32_t)p[pos] | (uint32_t)p[pos + 1] << 8 |
                       (uint32_t)p[pos + 2] << 16 | (uint32_t)p[pos + 3] << 24;
        if (len < 8 || len > n - pos - 4) return false;
        uint16_t version = (uint16_t)(p[pos + 4] | p[pos + 5] << 8);
        uint8_t addr_size = p[pos + 6], seg = p[pos + 7];
        uint32_t count = (uint32_t)p[pos + 8] | (uint32_t)p[pos + 9] << 8 |
                         (uint32_t)p[pos + 10] << 16 | (uint32_t)p[pos + 11] << 24;
        if (version != 5 || (addr_size != 4 && addr_size != 8) || seg != 0) return false;
        if (count > (len - 8) / 4) return false;
        /* every offset must point inside its table, after the array */
        size_t body = (size_t)len - 8 - (size_t)count * 4;
        for (uint32_t i = 0; i < count; i++) {
            const uint8_t *q = p + pos + 12 + (size_t)i * 4;
            uint32_t o = (uint32_t)q[0] | (uint32_t)q[1] << 8 | (uint32_t)q[2] << 16 |
                         (uint32_t)q[3] << 24;
            if (o < (size_t)count * 4 || o - (size_t)count * 4 >= body) return false;
        }
        pos += 4 + (size_t)len;
    }
    return true;
}

wb_status wb_dwarf_open(const wb_wasm *w, wb_dwarf **out, wb_error *err)
{
    wb_dwarf *d = NULL;
    Dwarf_Error e = NULL;
    size_t n = wb_wasm_section_count(w);
    bool have_info = false;
    *out = NULL;

    d = calloc(1, sizeof *d);
    if (!d) return wb_fail(err, "out of memory");
    d->wasm = w;
    d->code_size = wb_wasm_code_size(w);
    d->secs = calloc(n + 1, sizeof *d->secs);
    if (!d->secs) {
        wb_fail(err, "out of memory");
        goto fail;
    }
    d->secs[0].name = "";
    d->nsecs = 1;
    for (size_t i = 0; i < n; i++) {
        const wb_section *s = wb_wasm_section(w, i);
        if (s->id != WB_SEC_CUSTOM || strncmp(s->name, ".debug_", 7) != 0) continue;
        if (d->nsecs >= 0xffff) break; /* Dwarf_Half indices */
        if (wb_wasm_custom_section(w, s->name, &d->secs[d->nsecs].data,
                                   &d->secs[d->nsecs].size) != WB_OK)
            continue;
        /* a duplicate section name: the first one wins (as the lookup) */
        bool dup = false;
        for (unsigned k = 1; k < d->nsecs; k++)
            if (strcmp(d->secs[k].name, s->name) == 0) dup = true;
        if (dup) continue;
        if ((strcmp(s->name, ".debug_rnglists") == 0 ||
             strcmp(s->name, ".debug_loclists") == 0) &&
            !list_tables_ok(d->secs[d->nsecs].data, d->secs[d->nsecs].size))
            continue;
        d->secs[d->nsecs].name = s->name;
        if (strcmp(s->name, ".debug_info") == 0 && s->size > 0) have_info = true;
        d->nsecs++;
    }
    if (!have_info) {
        free(d->secs);
        free(d);
        return WB_NOT_FOUND;
    }
    d->iface.object = d;
    d->iface.methods = &oa_methods;
    int rc = dwarf_object_init_b(&d->iface, on_dwarf_error, d, DW_GROUPNUMBER_ANY, &d->dbg, &e);
    if (rc == DW_DLV_NO_ENTRY) {
        free(d->secs);
        free(d);
        return WB_NOT_FOUND;
    }
    if (rc != DW_DLV_OK) {
        wb_fail(err, "corrupt DWARF: %s", e ? dwarf_errmsg(e) : "libdwarf cannot open it");
        /* the error is not tied to a Dwarf_Debug that exists: release it
         * through libdwarf's NULL-dbg path */
        if (e) dwarf_dealloc(NULL, e, DW_DLA_ERROR);
        d->dbg = NULL;
        goto fail;
    }
    *out = d;
    return WB_OK;
fail:
    wb_dwarf_close(d);
    return WB_ERROR;
}

void wb_dwarf_close(wb_dwarf *d)
{
    if (!d) return;
    for (size_t i = 0; i < d->nunits; i++) {
        unit *u = &d->units[i];
        if (u->die) dwarf_dealloc_die(u->die);
        free(u->ranges);
        free(u->files);
        free(u->rows);
        free(u->seqs);
        free(u->scopes);
        free(u->decls);
    }
    free(d->units);
    if (d->dbg) {
        Dwarf_Error e = NULL;
        dwarf_object_finish(d->dbg, &e);
    }
    arena_free(&d->mem);
    free(d->secs);
    free(d);
}

/* -------------------------------------------------- attribute helpers */

/* Each returns WB_OK, WB_NOT_FOUND (attribute absent) or WB_ERROR with
 * err filled. */

static wb_status attr_get(wb_dwarf *d, Dwarf_Die die, Dwarf_Half at, Dwarf_Attribute *out,
                          wb_error *err)
{
    Dwarf_Error e = NULL;
    int rc = dwarf_attr(die, at, out, &e);
    if (rc == DW_DLV_NO_ENTRY) return WB_NOT_FOUND;
    if (rc != DW_DLV_OK) return dw_fail(d, e, err, "reading an attribute");
    return WB_OK;
}

static wb_status attr_udata(wb_dwarf *d, Dwarf_Die die, Dwarf_Half at, uint64_t *out,
                            wb_error *err)
{
    Dwarf_Attribute a = NULL;
    Dwarf_Error e = NULL;
    Dwarf_Unsigned v = 0;
    wb_status st = attr_get(d, die, at, &a, err);
    if (st != WB_OK) return st;
    int rc = dwarf_formudata(a, &v, &e);
    if (rc != DW_DLV_OK) {
        /* some producers write small constants with a signed form */
        Dwarf_Signed sv = 0;
        dw_drop(d, &e);
        rc = dwarf_formsdata(a, &sv, &e);
        v = (Dwarf_Unsigned)sv;
    }
    dwarf_dealloc_attribute(a);
    if (rc != DW_DLV_OK) return dw_fail(d, e, err, "reading a constant attribute");
    *out = v;
    return WB_OK;
}

static wb_status attr_string(wb_dwarf *d, Dwarf_Die die, Dwarf_Half at, const char **out,
                             wb_error *err)
{
    Dwarf_Attribute a = NULL;
    Dwarf_Error e = NULL;
    char *s = NULL;
    wb_status st = attr_get(d, die, at, &a, err);
    if (st != WB_OK) return st;
    int rc = dwarf_formstring(a, &s, &e);
    dwarf_dealloc_attribute(a);
    if (rc != DW_DLV_OK) return dw_fail(d, e, err, "reading a string attribute");
    *out = s; /* points into a section: lives as long as the module */
    return WB_OK;
}

static wb_status attr_ref(wb_dwarf *d, Dwarf_Die die, Dwarf_Half at, uint64_t *out, wb_error *err)
{
    Dwarf_Attribute a = NULL;
    Dwarf_Error e = NULL;
    Dwarf_Off off = 0;
    wb_status st = attr_get(d, die, at, &a, err);
    if (st != WB_OK) return st;
    int rc = dwarf_global_formref(a, &off, &e);
    dwarf_dealloc_attribute(a);
    if (rc != DW_DLV_OK) return dw_fail(d, e, err, "reading a reference attribute");
    *out = off;
    return WB_OK;
}

static wb_status attr_exprloc(wb_dwarf *d, Dwarf_Die die, Dwarf_Half at, const uint8_t **out,
                              size_t *len, wb_error *err)
{
    Dwarf_Attribute a = NULL;
    Dwarf_Error e = NULL;
    Dwarf_Unsigned n = 0;
    Dwarf_Ptr p = NULL;
    wb_status st = attr_get(d, die, at, &a, err);
    if (st != WB_OK) return st;
    int rc = dwarf_formexprloc(a, &n, &p, &e);
    if (rc != DW_DLV_OK) {
        /* DWARF 2/3 blocks */
        Dwarf_Block *b = NULL;
        dw_drop(d, &e);
        rc = dwarf_formblock(a, &b, &e);
        if (rc == DW_DLV_OK) {
            n = b->bl_len;
            p = b->bl_data;
            dwarf_dealloc(d->dbg, b, DW_DLA_BLOCK);
        }
    }
    dwarf_dealloc_attribute(a);
    if (rc != DW_DLV_OK) return dw_fail(d, e, err, "reading an expression attribute");
    *out = p; /* points into .debug_info */
    *len = (size_t)n;
    return WB_OK;
}

/* ------------------------------------------------------------- ranges */

typedef struct range_vec {
    wb_range *v;
    size_t n, cap;
} range_vec;

/* Adds [lo, hi) unless empty or outside the Code section: wasm-ld writes
 * tombstones (0, -1, -2) for the code of discarded functions. Code offset
 * 0 is the section's function count, never code. */
static bool range_add(wb_dwarf *d, range_vec *r, uint64_t lo, uint64_t hi)
{
    if (lo >= hi || lo == 0 || hi > d->code_size) return true;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 4;
        wb_range *nv = realloc(r->v, cap * sizeof *nv);
        if (!nv) return false;
        r->v = nv;
        r->cap = cap;
    }
    r->v[r->n].lo = (wb_code_off)lo;
    r->v[r->n].hi = (wb_code_off)hi;
    r->n++;
    return true;
}

static int cmp_range(const void *a, const void *b)
{
    const wb_range *x = a, *y = b;
    return (x->lo > y->lo) - (x->lo < y->lo);
}

/* DW_AT_ranges in DWARF 5 (.debug_rnglists, DW_FORM_rnglistx or
 * sec_offset): libdwarf applies base addresses and .debug_addr ("cooked"
 * values). */
static wb_status ranges_v5(wb_dwarf *d, Dwarf_Attribute a, range_vec *r, wb_error *err)
{
    Dwarf_Error e = NULL;
    Dwarf_Half form = 0;
    Dwarf_Unsigned val = 0, count = 0, global = 0;
    Dwarf_Rnglists_Head head = NULL;
    if (dwarf_whatform(a, &form, &e) != DW_DLV_OK) return dw_fail(d, e, err, "DW_AT_ranges form");
    int rc;
    if (form == DW_FORM_rnglistx) {
        rc = dwarf_formudata(a, &val, &e);
    } else {
        Dwarf_Off off = 0;
        rc = dwarf_global_formref(a, &off, &e);
        val = off;
    }
    if (rc != DW_DLV_OK) return dw_fail(d, e, err, "DW_AT_ranges value");
    if (form != DW_FORM_rnglistx) {
        /* libdwarf 20210528 does not bound this offset (fuzz finding 02) */
        size_t size = 0;
        for (unsigned k = 1; k < d->nsecs; k++)
            if (strcmp(d->secs[k].name, ".debug_rnglists") == 0) size = d->secs[k].size;
        if (val >= size)
            return wb_fail(err, "corrupt DWARF: DW_AT_ranges offset 0x%llx is past "
                                ".debug_rnglists", (unsigned long long)val);
    }
    rc = dwarf_rnglists_get_rle_head(a, form, val, &head, &count, &global, &e);
    if (rc == DW_DLV_NO_ENTRY) return WB_OK;
    if (rc != DW_DLV_OK) return dw_fail(d, e, err, "reading .debug_rnglists");
    wb_status st = WB_OK;
    for (Dwarf_Unsigned i = 0; i < count; i++) {
        unsigned len = 0, code = 0;
        Dwarf_Unsigned raw1 = 0, raw2 = 0, lo = 0, hi = 0;
        Dwarf_Bool unavailable = 0;
        rc = dwarf_get_rnglists_entry_fields_a(head, i, &len, &code, &raw1, &raw2, &unavailable,
                                               &lo, &hi, &e);
        if (rc != DW_DLV_OK) {
            st = dw_fail(d, e, err, "reading a .debug_rnglists entry");
            break;
        }
        if (unavailable) continue;
        switch (code) {
        case DW_RLE_startx_endx:
        case DW_RLE_startx_length:
        case DW_RLE_offset_pair:
        case DW_RLE_start_end:
        case DW_RLE_start_length:
            if (!range_add(d, r, lo, hi)) st = wb_fail(err, "out of memory");
            break;
        default: break;
        }
        if (st != WB_OK) break;
    }
    dwarf_dealloc_rnglists_head(head);
    return st;
}

/* DW_AT_ranges in DWARF 2-4 (.debug_ranges): pairs relative to the CU's
 * base address, which base-address-selection entries change (DWARF 4,
 * 2.17.3). */
static wb_status ranges_v4(wb_dwarf *d, Dwarf_Die die, Dwarf_Attribute a, uint64_t base,
                           range_vec *r, wb_error *err)
{
    Dwarf_Error e = NULL;
    Dwarf_Off off = 0, real = 0;
    Dwarf_Ranges *list = NULL;
    Dwarf_Signed count = 0;
    Dwarf_Unsigned bytes = 0;
    int rc = dwarf_global_formref(a, &off, &e);
    if (rc != DW_DLV_OK) {
        Dwarf_Unsigned u = 0;
        dw_drop(d, &e);
        rc = dwarf_formudata(a, &u, &e);
        off = u;
    }
    if (rc != DW_DLV_OK) return dw_fail(d, e, err, "DW_AT_ranges value");
    rc = dwarf_get_ranges_b(d->dbg, off, die, &real, &list, &count, &bytes, &e);
    if (rc == DW_DLV_NO_ENTRY) return WB_OK;
    if (rc != DW_DLV_OK) return dw_fail(d, e, err, "reading .debug_ranges");
    wb_status st = WB_OK;
    for (Dwarf_Signed i = 0; i < count && st == WB_OK; i++) {
        if (list[i].dwr_type == DW_RANGES_ADDRESS_SELECTION)
            base = list[i].dwr_addr2;
        else if (list[i].dwr_type == DW_RANGES_ENTRY &&
                 !range_add(d, r, base + list[i].dwr_addr1, base + list[i].dwr_addr2))
            st = wb_fail(err, "out of memory");
    }
    dwarf_ranges_dealloc(d->dbg, list, count);
    return st;
}

/* The code ranges of a DIE: low_pc/high_pc or DW_AT_ranges. An absent pc
 * gives no range (WB_OK, r->n unchanged). */
static wb_status die_ranges(wb_dwarf *d, const unit *u, Dwarf_Die die, uint16_t version,
                            range_vec *r, wb_error *err)
{
    Dwarf_Error e = NULL;
    Dwarf_Addr lo = 0, hi = 0;
    Dwarf_Half form = 0;
    enum Dwarf_Form_Class cls = DW_FORM_CLASS_UNKNOWN;
    Dwarf_Attribute a = NULL;
    wb_status st = attr_get(d, die, DW_AT_ranges, &a, err);
    if (st == WB_ERROR) return st;
    if (st == WB_OK) {
        if (version >= 5)
            st = ranges_v5(d, a, r, err);
        else
            st = ranges_v4(d, die, a, u ? u->base : 0, r, err);
        dwarf_dealloc_attribute(a);
        return st;
    }
    int rc = dwarf_lowpc(die, &lo, &e);
    if (rc == DW_DLV_NO_ENTRY) return WB_OK;
    if (rc != DW_DLV_OK) return dw_fail(d, e, err, "DW_AT_low_pc");
    rc = dwarf_highpc_b(die, &hi, &form, &cls, &e);
    if (rc == DW_DLV_NO_ENTRY) hi = lo + 1; /* a single address (DWARF 4, 2.17.1) */
    else if (rc != DW_DLV_OK) return dw_fail(d, e, err, "DW_AT_high_pc");
    else if (cls == DW_FORM_CLASS_CONSTANT) hi += lo;
    if (!range_add(d, r, lo, hi)) return wb_fail(err, "out of memory");
    return WB_OK;
}

/* -------------------------------------------------------------- units */

/* Reads every CU header and CU DIE (not their children). */
static wb_status load_units(wb_dwarf *d, wb_error *err)
{
    Dwarf_Error e = NULL;
    size_t cap = 0;
    uint64_t off = 0;
    if (d->units_state == ST_OK) return WB_OK;
    if (d->units_state == ST_BAD) return wb_fail(err, "%s", d->units_err);
    for (;;) {
        Dwarf_Unsigned hlen = 0, typeoff = 0, next = 0;
        Dwarf_Half version = 0, addr_size = 0, len_size = 0, ext_size = 0, cu_type = 0;
        Dwarf_Off abbrev = 0;
        Dwarf_Sig8 sig;
        Dwarf_Die die = NULL;
        int rc = dwarf_next_cu_header_d(d->dbg, 1, &hlen, &version, &abbrev, &addr_size,
                                        &len_size, &ext_size, &sig, &typeoff, &next, &cu_type,
                                        &e);
        if (rc == DW_DLV_NO_ENTRY) break;
        if (rc != DW_DLV_OK) {
            /* keep the units before the damage: a later unit's corruption
             * must not hide the earlier ones */
            wb_error tmp;
            dw_fail(d, e, &tmp, "reading a unit header in .debug_info");
            if (d->nunits == 0) {
                snprintf(d->units_err, sizeof d->units_err, "%s", tmp.msg);
                d->units_state = ST_BAD;
                return wb_fail(err, "%s", tmp.msg);
            }
            break;
        }
        rc = dwarf_siblingof_b(d->dbg, NULL, 1, &die, &e);
        if (rc != DW_DLV_OK) {
            dw_drop(d, &e);
            off = next;
            continue; /* a header without a DIE: nothing to index */
        }
        if (d->nunits == cap) {
            cap = cap ? cap * 2 : 16;
            unit *nu = realloc(d->units, cap * sizeof *nu);
            if (!nu) {
                dwarf_dealloc_die(die);
                return wb_fail(err, "out of memory");
            }
            d->units = nu;
        }
        unit *u = &d->units[d->nunits++];
        memset(u, 0, sizeof *u);
        u->die = die;
        u->off = off;
        u->end = next;
        u->version = version;
        off = next;
        wb_error tmp;
        const char *s = NULL;
        u->name = attr_string(d, die, DW_AT_name, &s, &tmp) == WB_OK ? s : "";
        u->comp_dir = attr_string(d, die, DW_AT_comp_dir, &s, &tmp) == WB_OK ? s : NULL;
        Dwarf_Addr base = 0;
        if (dwarf_lowpc(die, &base, &e) == DW_DLV_OK)
            u->base = base;
        else
            dw_drop(d, &e);
        range_vec r = {0};
        if (die_ranges(d, u, die, version, &r, &tmp) == WB_OK && r.n > 0) {
            qsort(r.v, r.n, sizeof *r.v, cmp_range);
            u->ranges = r.v;
            u->nranges = r.n;
            u->ranges_known = true;
        } else {
            /* no usable ranges: the line table will tell (load_lines) */
            free(r.v);
        }
    }
    d->units_state = ST_OK;
    return WB_OK;
}

/* ------------------------------------------------------------- lines */

static int cmp_seq(const void *a, const void *b)
{
    const seq *x = a, *y = b;
    if (x->lo != y->lo) return (x->lo > y->lo) - (x->lo < y->lo);
    return (x->hi > y->hi) - (x->hi < y->hi);
}

/* The file table: full paths by raw file number. DWARF 4 (6.2.4): files
 * from 1, directory 0 is the compilation directory, 1.. the
 * include_directories. DWARF 5 (6.2.4.1): files and directories from 0,
 * directory 0 being the compilation directory; relative directories are
 * relative to it. */
static wb_status load_files(wb_dwarf *d, unit *u, Dwarf_Line_Context lc, wb_error *err)
{
    Dwarf_Error e = NULL;
    Dwarf_Signed base = 0, count = 0, end = 0, ndirs = 0;
    const char *comp_dir = u->comp_dir;
    if (dwarf_srclines_files_indexes(lc, &base, &count, &end, &e) != DW_DLV_OK)
        return dw_fail(d, e, err, "line table file list");
    if (dwarf_srclines_include_dir_count(lc, &ndirs, &e) != DW_DLV_OK)
        return dw_fail(d, e, err, "line table directory list");
    if (count < 0 || end < base || (uint64_t)(end - base) > (1u << 24))
        return wb_fail(err, "corrupt DWARF: bad line table file count");
    u->files = calloc((size_t)(end - base) + 1, sizeof *u->files);
    if (!u->files) return wb_fail(err, "out of memory");
    u->files_base = base;
    u->nfiles = (size_t)(end - base);
    /* libdwarf's include_dir_data index is the DWARF directory index for
     * DWARF 5, where entry 0 (the compilation directory, not reachable
     * through it) is replaced by DW_AT_comp_dir; for DWARF 2-4 the list
     * starts at 1 as the format's does */
    for (Dwarf_Signed i = base; i < end; i++) {
        const char *name = NULL, *dir = NULL;
        Dwarf_Unsigned diridx = 0, mtime = 0, flen = 0;
        Dwarf_Form_Data16 *md5 = NULL;
        if (dwarf_srclines_files_data_b(lc, i, &name, &diridx, &mtime, &flen, &md5, &e) !=
            DW_DLV_OK) {
            dw_drop(d, &e);
            continue;
        }
        if (!name) continue;
        if (name[0] != '/') {
            if (diridx > 0 && diridx <= (Dwarf_Unsigned)ndirs &&
                dwarf_srclines_include_dir_data(lc, (Dwarf_Signed)diridx, &dir, &e) !=
                    DW_DLV_OK) {
                dw_drop(d, &e);
                dir = NULL;
            }
            if (!dir) dir = comp_dir;
        }
        const char *path;
        if (name[0] == '/' || !dir)
            path = arena_str(&d->mem, name);
        else if (dir[0] == '/' || !comp_dir || dir == comp_dir)
            path = arena_path(&d->mem, dir, name, NULL);
        else
            path = arena_path(&d->mem, comp_dir, dir, name);
        if (!path) return wb_fail(err, "out of memory");
        path_normalize((char *)path); /* arena memory: ours to change */
        u->files[i - base] = path;
    }
    return WB_OK;
}

static const char *unit_file(const unit *u, uint64_t raw)
{
    if ((int64_t)raw < u->files_base) return NULL;
    uint64_t i = raw - (uint64_t)u->files_base;
    return i < u->nfiles ? u->files[i] : NULL;
}

static wb_status lines_fail(unit *u, wb_error *err, const char *msg)
{
    snprintf(u->err, sizeof u->err, "%s", msg);
    u->lines_state = ST_BAD;
    return wb_fail(err, "%s", msg);
}

/* Loads the CU's file table and rows (sequences sorted by address). */
static wb_status load_lines(wb_dwarf *d, unit *u, wb_error *err)
{
    Dwarf_Error e = NULL;
    Dwarf_Unsigned version = 0;
    Dwarf_Small ntables = 0;
    Dwarf_Line_Context lc = NULL;
    Dwarf_Line *lines = NULL;
    Dwarf_Signed nlines = 0;
    wb_line *rows = NULL;
    seq *seqs = NULL;
    size_t nrows = 0, nseqs = 0;
    wb_error tmp;

    if (u->lines_state == ST_OK) return WB_OK;
    if (u->lines_state == ST_BAD) return wb_fail(err, "%s", u->err);
    int rc = dwarf_srclines_b(u->die, &version, &ntables, &lc, &e);
    if (rc == DW_DLV_NO_ENTRY) {
        /* normal for a unit without DW_AT_stmt_list; with one, the table
         * it points to is missing (libdwarf says "no entry" when
         * .debug_line is empty or too short) */
        Dwarf_Bool has = 0;
        if (dwarf_hasattr(u->die, DW_AT_stmt_list, &has, &e) != DW_DLV_OK) dw_drop(d, &e);
        if (has)
            return lines_fail(u, err,
                              "corrupt DWARF: the unit's line table (DW_AT_stmt_list) is "
                              "missing from .debug_line");
        u->lines_state = ST_OK;
        return WB_OK;
    }
    if (rc != DW_DLV_OK) {
        dw_fail(d, e, &tmp, "reading .debug_line");
        return lines_fail(u, err, tmp.msg);
    }
    if (load_files(d, u, lc, &tmp) != WB_OK) goto fail;
    if (dwarf_srclines_from_linecontext(lc, &lines, &nlines, &e) != DW_DLV_OK) {
        dw_fail(d, e, &tmp, "reading .debug_line rows");
        goto fail;
    }
    rows = calloc(nlines > 0 ? (size_t)nlines : 1, sizeof *rows);
    seqs = calloc(nlines > 0 ? (size_t)nlines : 1, sizeof *seqs);
    if (!rows || !seqs) {
        wb_fail(&tmp, "out of memory");
        goto fail;
    }
    size_t seq_start = 0;
    bool seq_ok = true;
    for (Dwarf_Signed i = 0; i < nlines; i++) {
        Dwarf_Addr addr = 0;
        Dwarf_Unsigned line = 0, col = 0, fileno = 0, isa = 0, discr = 0;
        Dwarf_Bool stmt = 0, endseq = 0, pe = 0, eb = 0;
        Dwarf_Line l = lines[i];
        if (dwarf_lineaddr(l, &addr, &e) != DW_DLV_OK || dwarf_lineno(l, &line, &e) != DW_DLV_OK ||
            dwarf_lineoff_b(l, &col, &e) != DW_DLV_OK ||
            dwarf_linebeginstatement(l, &stmt, &e) != DW_DLV_OK ||
            dwarf_lineendsequence(l, &endseq, &e) != DW_DLV_OK ||
            dwarf_prologue_end_etc(l, &pe, &eb, &isa, &discr, &e) != DW_DLV_OK ||
            dwarf_line_srcfileno(l, &fileno, &e) != DW_DLV_OK) {
            dw_fail(d, e, &tmp, "reading a .debug_line row");
            goto fail;
        }
        wb_line *r = &rows[nrows];
        r->addr = (wb_code_off)addr;
        r->file = unit_file(u, fileno);
        r->line = line > UINT32_MAX ? 0 : (uint32_t)line;
        r->column = col > UINT32_MAX ? 0 : (uint32_t)col;
        r->is_stmt = stmt != 0;
        r->prologue_end = pe != 0;
        r->end_sequence = endseq != 0;
        /* a sequence must stay inside the Code section and not go
         * backwards; otherwise (tombstoned code of a discarded function,
         * or corruption) it is dropped whole */
        if (addr >= d->code_size + (endseq ? 1u : 0u) ||
            (nrows > seq_start && addr < rows[nrows - 1].addr))
            seq_ok = false;
        nrows++;
        if (endseq) {
            if (seq_ok && nrows - seq_start >= 2 && rows[seq_start].addr != 0 &&
                rows[seq_start].addr < r->addr) {
                seqs[nseqs].lo = rows[seq_start].addr;
                seqs[nseqs].hi = r->addr;
                seqs[nseqs].first = seq_start;
                seqs[nseqs].count = nrows - seq_start;
                nseqs++;
            }
            seq_start = nrows;
            seq_ok = true;
        }
    }
    /* rows after the last end_sequence belong to no sequence: dropped */
    qsort(seqs, nseqs, sizeof *seqs, cmp_seq);
    /* lay the rows out in sequence order */
    u->rows = malloc((nrows ? nrows : 1) * sizeof *u->rows);
    if (!u->rows) {
        wb_fail(&tmp, "out of memory");
        goto fail;
    }
    u->nrows = 0;
    for (size_t s = 0; s < nseqs; s++) {
        memcpy(u->rows + u->nrows, rows + seqs[s].first, seqs[s].count * sizeof *rows);
        seqs[s].first = u->nrows;
        u->nrows += seqs[s].count;
    }
    free(rows);
    u->seqs = seqs;
    u->nseqs = nseqs;
    dwarf_srclines_dealloc_b(lc);
    if (!u->ranges_known) {
        /* a CU without DW_AT_ranges/low_pc: its sequences are its ranges */
        u->ranges = calloc(nseqs ? nseqs : 1, sizeof *u->ranges);
        if (u->ranges) {
            for (size_t s = 0; s < nseqs; s++) {
                u->ranges[s].lo = seqs[s].lo;
                u->ranges[s].hi = seqs[s].hi;
            }
            u->nranges = nseqs;
        }
        u->ranges_known = true;
    }
    u->lines_state = ST_OK;
    return WB_OK;
fail:
    free(rows);
    free(seqs);
    free(u->rows);
    free(u->files);
    u->rows = NULL;
    u->files = NULL;
    u->nrows = u->nfiles = 0;
    if (lc) dwarf_srclines_dealloc_b(lc);
    return lines_fail(u, err, tmp.msg);
}

static bool unit_covers(const unit *u, wb_code_off addr)
{
    for (size_t i = 0; i < u->nranges; i++)
        if (u->ranges[i].lo <= addr && addr < u->ranges[i].hi) return true;
    return false;
}

/* Calls `fn` for each unit whose ranges contain addr (units without
 * known ranges get their line table loaded first), until it returns
 * something else than WB_NOT_FOUND. Errors of single units are remembered
 * and returned only if no unit answered. */
typedef wb_status (*unit_fn)(wb_dwarf *d, unit *u, wb_code_off addr, void *ctx, wb_error *err);

static wb_status for_units_at(wb_dwarf *d, wb_code_off addr, unit_fn fn, void *ctx,
                              wb_error *err)
{
    wb_status st = load_units(d, err);
    bool failed = false;
    wb_error first;
    if (st != WB_OK) return st;
    for (size_t i = 0; i < d->nunits; i++) {
        unit *u = &d->units[i];
        if (!u->ranges_known) {
            wb_error tmp;
            if (load_lines(d, u, &tmp) != WB_OK) {
                if (!failed) first = tmp;
                failed = true;
                continue;
            }
        }
        if (!unit_covers(u, addr)) continue;
        wb_error tmp;
        st = fn(d, u, addr, ctx, &tmp);
        if (st == WB_OK) return WB_OK;
        if (st == WB_ERROR) {
            if (!failed) first = tmp;
            failed = true;
        }
    }
    if (failed) {
        if (err) *err = first;
        return WB_ERROR;
    }
    return WB_NOT_FOUND;
}

/* Index of the row covering addr in u, or -1. */
static ptrdiff_t row_index_at(const unit *u, wb_code_off addr)
{
    /* last sequence with lo <= addr; sequences may overlap only in corrupt
     * input, so one step back is enough for the common case */
    size_t lo = 0, hi = u->nseqs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (u->seqs[mid].lo <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t k = lo; k > 0; k--) {
        const seq *s = &u->seqs[k - 1];
        if (addr >= s->hi) {
            if (k == lo) continue;
            break;
        }
        /* last row with row.addr <= addr, the end_sequence row excluded */
        size_t a = s->first, b = s->first + s->count - 1;
        while (a < b) {
            size_t mid = a + (b - a) / 2;
            if (u->rows[mid].addr <= addr)
                a = mid + 1;
            else
                b = mid;
        }
        return (ptrdiff_t)a - 1;
    }
    return -1;
}

static wb_status line_in_unit(wb_dwarf *d, unit *u, wb_code_off addr, void *ctx, wb_error *err)
{
    wb_status st = load_lines(d, u, err);
    if (st != WB_OK) return st;
    ptrdiff_t i = row_index_at(u, addr);
    if (i < 0) return WB_NOT_FOUND;
    *(const wb_line **)ctx = &u->rows[i];
    return WB_OK;
}

wb_status wb_dwarf_line_at(wb_dwarf *d, wb_code_off addr, wb_line *out, wb_error *err)
{
    const wb_line *row = NULL;
    wb_status st = for_units_at(d, addr, line_in_unit, &row, err);
    if (st == WB_OK) *out = *row;
    return st;
}

static bool same_line(const wb_line *a, const wb_line *b)
{
    return a->line == b->line && (a->file == b->file || (a->file && b->file &&
                                                         strcmp(a->file, b->file) == 0));
}

typedef struct range_ctx {
    wb_code_off start, end;
} range_ctx;

static wb_status range_in_unit(wb_dwarf *d, unit *u, wb_code_off addr, void *ctx, wb_error *err)
{
    range_ctx *rc = ctx;
    wb_status st = load_lines(d, u, err);
    if (st != WB_OK) return st;
    ptrdiff_t i = row_index_at(u, addr);
    if (i < 0) return WB_NOT_FOUND;
    /* the row's sequence bounds the walk */
    size_t s = 0;
    while (s < u->nseqs && !(u->seqs[s].first <= (size_t)i &&
                             (size_t)i < u->seqs[s].first + u->seqs[s].count))
        s++;
    size_t first = u->seqs[s].first, last = first + u->seqs[s].count - 1;
    size_t a = (size_t)i, b = (size_t)i;
    while (a > first && same_line(&u->rows[a - 1], &u->rows[i])) a--;
    while (b + 1 < last && same_line(&u->rows[b + 1], &u->rows[i])) b++;
    rc->start = u->rows[a].addr;
    rc->end = u->rows[b + 1].addr;
    return WB_OK;
}

wb_status wb_dwarf_line_range(wb_dwarf *d, wb_code_off addr, wb_code_off *start,
                              wb_code_off *end, wb_error *err)
{
    range_ctx rc = {0, 0};
    wb_status st = for_units_at(d, addr, range_in_unit, &rc, err);
    if (st == WB_OK) {
        *start = rc.start;
        *end = rc.end;
    }
    return st;
}

wb_status wb_dwarf_unit_count(wb_dwarf *d, size_t *count, wb_error *err)
{
    wb_status st = load_units(d, err);
    if (st == WB_OK) *count = d->nunits;
    return st;
}

wb_status wb_dwarf_unit_lines(wb_dwarf *d, size_t i, const char **name, const wb_line **rows,
                              size_t *nrows, wb_error *err)
{
    wb_status st = load_units(d, err);
    if (st != WB_OK) return st;
    if (i >= d->nunits) return WB_NOT_FOUND;
    unit *u = &d->units[i];
    st = load_lines(d, u, err);
    if (st != WB_OK) return st;
    *name = u->name;
    *rows = u->rows;
    *nrows = u->nrows;
    return WB_OK;
}

/* ------------------------------------------------------------- scopes */

typedef struct walk {
    wb_dwarf *d;
    unit *u;
    scope_rec *scopes;
    size_t nscopes, cap;
    decl *decls;
    size_t ndecls, dcap;
    char qual[1024]; /* enclosing namespaces/classes, "a::b::" */
    wb_error *err;
} walk;

static bool walk_push_decl(walk *w, const decl *x)
{
    if (w->ndecls == w->dcap) {
        size_t cap = w->dcap ? w->dcap * 2 : 64;
        decl *nd = realloc(w->decls, cap * sizeof *nd);
        if (!nd) return false;
        w->decls = nd;
        w->dcap = cap;
    }
    w->decls[w->ndecls++] = *x;
    return true;
}

/* Records one DIE of interest and walks its children. */
static wb_status walk_die(walk *w, Dwarf_Die die, uint32_t parent, int depth);

static wb_status walk_children(walk *w, Dwarf_Die die, uint32_t parent, int depth)
{
    wb_dwarf *d = w->d;
    Dwarf_Error e = NULL;
    Dwarf_Die child = NULL;
    int rc = dwarf_child(die, &child, &e);
    if (rc == DW_DLV_NO_ENTRY) return WB_OK;
    if (rc != DW_DLV_OK) return dw_fail(d, e, w->err, "reading DIE children");
    while (child) {
        wb_status st = walk_die(w, child, parent, depth + 1);
        Dwarf_Die sib = NULL;
        if (st == WB_OK) {
            rc = dwarf_siblingof_b(d->dbg, child, 1, &sib, &e);
            if (rc == DW_DLV_ERROR) st = dw_fail(d, e, w->err, "reading DIE siblings");
        }
        dwarf_dealloc_die(child);
        if (st != WB_OK) {
            if (sib) dwarf_dealloc_die(sib);
            return st;
        }
        child = rc == DW_DLV_OK ? sib : NULL;
    }
    return WB_OK;
}

static wb_status walk_die(walk *w, Dwarf_Die die, uint32_t parent, int depth)
{
    wb_dwarf *d = w->d;
    Dwarf_Error e = NULL;
    Dwarf_Half tag = 0;
    Dwarf_Off off = 0;
    wb_status st;
    if (depth > MAX_DIE_DEPTH) return wb_fail(w->err, "corrupt DWARF: DIEs nested too deeply");
    if (dwarf_tag(die, &tag, &e) != DW_DLV_OK) return dw_fail(d, e, w->err, "reading a DIE tag");
    if (dwarf_dieoffset(die, &off, &e) != DW_DLV_OK)
        return dw_fail(d, e, w->err, "reading a DIE offset");

    switch (tag) {
    case DW_TAG_namespace:
    case DW_TAG_class_type:
    case DW_TAG_structure_type:
    case DW_TAG_union_type: {
        const char *name = NULL;
        size_t len = strlen(w->qual);
        st = attr_string(d, die, DW_AT_name, &name, w->err);
        if (st == WB_ERROR) return st;
        if (!name) name = tag == DW_TAG_namespace ? "(anonymous namespace)" : "(anonymous)";
        snprintf(w->qual + len, sizeof w->qual - len, "%s::", name);
        st = walk_children(w, die, parent, depth);
        w->qual[len] = 0;
        return st;
    }
    case DW_TAG_subprogram:
    case DW_TAG_inlined_subroutine:
    case DW_TAG_lexical_block: break;
    default: return WB_OK; /* variables, types, parameters: not scopes */
    }

    uint64_t origin = 0, u64 = 0;
    const char *name = NULL, *linkage = NULL;
    decl x;
    memset(&x, 0, sizeof x);
    x.off = off;
    if (tag != DW_TAG_lexical_block) {
        if ((st = attr_string(d, die, DW_AT_name, &name, w->err)) == WB_ERROR) return st;
        if ((st = attr_string(d, die, DW_AT_linkage_name, &linkage, w->err)) == WB_ERROR)
            return st;
        if (!linkage &&
            (st = attr_string(d, die, DW_AT_MIPS_linkage_name, &linkage, w->err)) == WB_ERROR)
            return st;
        if ((st = attr_ref(d, die, DW_AT_abstract_origin, &origin, w->err)) == WB_ERROR) return st;
        if (st == WB_NOT_FOUND &&
            (st = attr_ref(d, die, DW_AT_specification, &origin, w->err)) == WB_ERROR)
            return st;
        x.origin = origin;
        x.name = name;
        x.linkage = linkage;
        if (name) {
            if (w->qual[0]) {
                size_t n = strlen(w->qual) + strlen(name) + 1;
                char *q = arena_alloc(&d->mem, n);
                if (!q) return wb_fail(w->err, "out of memory");
                snprintf(q, n, "%s%s", w->qual, name);
                x.qname = q;
            } else {
                x.qname = name;
            }
        }
        if ((st = attr_udata(d, die, DW_AT_decl_file, &u64, w->err)) == WB_ERROR) return st;
        if (st == WB_OK) x.decl_file = unit_file(w->u, u64);
        if ((st = attr_udata(d, die, DW_AT_decl_line, &u64, w->err)) == WB_ERROR) return st;
        if (st == WB_OK) x.decl_line = (uint32_t)u64;
        if (tag == DW_TAG_subprogram && !walk_push_decl(w, &x))
            return wb_fail(w->err, "out of memory");
    }

    range_vec r = {0};
    st = die_ranges(d, w->u, die, w->u->version, &r, w->err);
    if (st != WB_OK) {
        free(r.v);
        return st;
    }
    uint32_t self = parent;
    if (r.n > 0) {
        if (w->nscopes == w->cap) {
            size_t cap = w->cap ? w->cap * 2 : 64;
            scope_rec *ns = realloc(w->scopes, cap * sizeof *ns);
            if (!ns) {
                free(r.v);
                return wb_fail(w->err, "out of memory");
            }
            w->scopes = ns;
            w->cap = cap;
        }
        qsort(r.v, r.n, sizeof *r.v, cmp_range);
        wb_range *kept = arena_alloc(&d->mem, r.n * sizeof *kept);
        if (!kept) {
            free(r.v);
            return wb_fail(w->err, "out of memory");
        }
        memcpy(kept, r.v, r.n * sizeof *kept);
        scope_rec *s = &w->scopes[w->nscopes];
        memset(s, 0, sizeof *s);
        s->parent = parent;
        s->origin = origin;
        s->pub.kind = tag == DW_TAG_subprogram          ? WB_SCOPE_FUNCTION
                      : tag == DW_TAG_inlined_subroutine ? WB_SCOPE_INLINED
                                                         : WB_SCOPE_BLOCK;
        s->pub.die_offset = off;
        s->pub.name = x.name;
        s->pub.qualified_name = x.qname;
        s->pub.linkage_name = x.linkage;
        s->pub.decl_file = x.decl_file;
        s->pub.decl_line = x.decl_line;
        s->pub.ranges = kept;
        s->pub.nranges = r.n;
        s->pub.low_pc = kept[0].lo;
        for (size_t i = 0; i < r.n; i++)
            if (kept[i].hi > s->pub.high_pc) s->pub.high_pc = kept[i].hi;
        if (tag == DW_TAG_inlined_subroutine) {
            if ((st = attr_udata(d, die, DW_AT_call_file, &u64, w->err)) == WB_ERROR) goto out;
            if (st == WB_OK) s->pub.call_file = unit_file(w->u, u64);
            if ((st = attr_udata(d, die, DW_AT_call_line, &u64, w->err)) == WB_ERROR) goto out;
            if (st == WB_OK) s->pub.call_line = (uint32_t)u64;
            if ((st = attr_udata(d, die, DW_AT_call_column, &u64, w->err)) == WB_ERROR) goto out;
            if (st == WB_OK) s->pub.call_column = (uint32_t)u64;
        }
        if (tag == DW_TAG_subprogram) {
            st = attr_exprloc(d, die, DW_AT_frame_base, &s->pub.frame_base,
                              &s->pub.frame_base_len, w->err);
            if (st == WB_ERROR) goto out;
        }
        self = (uint32_t)w->nscopes++;
    }
    st = walk_children(w, die, self, depth);
out:
    free(r.v);
    return st;
}

static int cmp_decl(const void *a, const void *b)
{
    const decl *x = a, *y = b;
    return (x->off > y->off) - (x->off < y->off);
}

static wb_status load_scopes(wb_dwarf *d, unit *u, wb_error *err);

/* The unit whose .debug_info range holds `off`. */
static unit *unit_of_offset(wb_dwarf *d, uint64_t off)
{
    for (size_t i = 0; i < d->nunits; i++)
        if (d->units[i].off <= off && off < d->units[i].end) return &d->units[i];
    return NULL;
}

/* Resolves names and declaration places through abstract origins and
 * specifications; returns NULL when `off` is no known subprogram. */
static decl *resolve_decl(wb_dwarf *d, uint64_t off, int depth)
{
    unit *u = unit_of_offset(d, off);
    wb_error tmp;
    if (!u || depth > MAX_ORIGIN_DEPTH) return NULL;
    if (u->scopes_state != ST_OK && u->scopes_state != ST_BUSY &&
        load_scopes(d, u, &tmp) != WB_OK)
        return NULL;
    size_t lo = 0, hi = u->ndecls;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (u->decls[mid].off < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo >= u->ndecls || u->decls[lo].off != off) return NULL;
    decl *x = &u->decls[lo];
    if (x->resolved || x->resolving) return x;
    x->resolving = 1;
    if (x->origin) {
        decl *o = resolve_decl(d, x->origin, depth + 1);
        if (o) {
            if (!x->name) {
                x->name = o->name;
                x->qname = o->qname;
            }
            if (!x->linkage) x->linkage = o->linkage;
            if (!x->decl_file) {
                x->decl_file = o->decl_file;
                x->decl_line = o->decl_line;
            }
        }
    }
    x->resolving = 0;
    x->resolved = 1;
    return x;
}

static wb_status load_scopes(wb_dwarf *d, unit *u, wb_error *err)
{
    walk w;
    wb_error tmp;
    if (u->scopes_state == ST_OK || u->scopes_state == ST_BUSY) return WB_OK;
    if (u->scopes_state == ST_BAD) return wb_fail(err, "%s", u->err);
    /* decl_file and call_file index the line table's files */
    if (load_lines(d, u, &tmp) != WB_OK) { /* names still work without it */ }
    memset(&w, 0, sizeof w);
    w.d = d;
    w.u = u;
    w.err = &tmp;
    u->scopes_state = ST_BUSY;
    wb_status st = walk_children(&w, u->die, NO_PARENT, 0);
    if (st != WB_OK) {
        free(w.scopes);
        free(w.decls);
        snprintf(u->err, sizeof u->err, "%s", tmp.msg);
        u->scopes_state = ST_BAD;
        return wb_fail(err, "%s", tmp.msg);
    }
    if (w.ndecls) qsort(w.decls, w.ndecls, sizeof *w.decls, cmp_decl);
    u->scopes = w.scopes;
    u->nscopes = w.nscopes;
    u->decls = w.decls;
    u->ndecls = w.ndecls;
    u->scopes_state = ST_OK;
    /* names of inlined copies and out-of-line definitions come from their
     * declarations, possibly in another unit */
    for (size_t i = 0; i < u->nscopes; i++) {
        scope_rec *s = &u->scopes[i];
        if (s->pub.kind == WB_SCOPE_BLOCK) continue;
        decl *x = NULL;
        if (s->pub.kind == WB_SCOPE_FUNCTION) x = resolve_decl(d, s->pub.die_offset, 0);
        if (!x && s->origin) x = resolve_decl(d, s->origin, 0);
        if (!x) continue;
        if (!s->pub.name) {
            s->pub.name = x->name;
            s->pub.qualified_name = x->qname;
        } else if (s->pub.qualified_name == s->pub.name && x->qname) {
            s->pub.qualified_name = x->qname;
        }
        if (!s->pub.linkage_name) s->pub.linkage_name = x->linkage;
        if (!s->pub.decl_file) {
            s->pub.decl_file = x->decl_file;
            s->pub.decl_line = x->decl_line;
        }
    }
    return WB_OK;
}

static bool scope_covers(const wb_scope *s, wb_code_off addr)
{
    for (size_t i = 0; i < s->nranges; i++)
        if (s->ranges[i].lo <= addr && addr < s->ranges[i].hi) return true;
    return false;
}

static wb_status chain_in_unit(wb_dwarf *d, unit *u, wb_code_off addr, void *ctx, wb_error *err)
{
    wb_scope_chain *c = ctx;
    wb_status st = load_scopes(d, u, err);
    if (st != WB_OK) return st;
    /* scopes are in DIE pre-order, so the last one containing addr is the
     * innermost */
    size_t inner = SIZE_MAX;
    for (size_t i = u->nscopes; i > 0; i--)
        if (scope_covers(&u->scopes[i - 1].pub, addr)) {
            inner = i - 1;
            break;
        }
    if (inner == SIZE_MAX) return WB_NOT_FOUND;
    size_t n = 0;
    for (uint32_t k = (uint32_t)inner; k != NO_PARENT && n <= u->nscopes; k = u->scopes[k].parent)
        n++;
    c->scopes = calloc(n, sizeof *c->scopes);
    if (!c->scopes) return wb_fail(err, "out of memory");
    c->count = 0;
    for (uint32_t k = (uint32_t)inner; k != NO_PARENT && c->count < n; k = u->scopes[k].parent)
        c->scopes[c->count++] = &u->scopes[k].pub;
    return WB_OK;
}

wb_status wb_dwarf_scopes_at(wb_dwarf *d, wb_code_off addr, wb_scope_chain *out, wb_error *err)
{
    out->count = 0;
    out->scopes = NULL;
    return for_units_at(d, addr, chain_in_unit, out, err);
}

void wb_scope_chain_free(wb_scope_chain *c)
{
    free(c->scopes);
    c->scopes = NULL;
    c->count = 0;
}

wb_status wb_dwarf_function_at(wb_dwarf *d, wb_code_off addr, const wb_scope **out,
                               wb_error *err)
{
    wb_scope_chain c;
    wb_status st = wb_dwarf_scopes_at(d, addr, &c, err);
    if (st != WB_OK) return st;
    st = WB_NOT_FOUND;
    for (size_t i = c.count; i > 0; i--)
        if (c.scopes[i - 1]->kind == WB_SCOPE_FUNCTION) {
            *out = c.scopes[i - 1];
            st = WB_OK;
            break;
        }
    wb_scope_chain_free(&c);
    return st;
}

wb_status wb_dwarf_skip_prologue(wb_dwarf *d, const wb_scope *fn, wb_code_off *entry,
                                 wb_error *err)
{
    wb_code_off lo = fn->low_pc;
    const unit *owner = NULL;
    wb_status st = load_units(d, err);
    if (st != WB_OK) return st;
    for (size_t i = 0; i < d->nunits && !owner; i++)
        if (d->units[i].off <= fn->die_offset && fn->die_offset < d->units[i].end)
            owner = &d->units[i];
    *entry = lo;
    if (!owner) return WB_OK;
    st = load_lines(d, (unit *)owner, err);
    if (st != WB_OK) return st;
    ptrdiff_t i = row_index_at(owner, lo);
    if (i < 0) return WB_OK;
    /* the first prologue_end row inside the function's first range */
    wb_code_off end = fn->ranges[0].hi;
    for (size_t k = (size_t)i; k < owner->nrows && owner->rows[k].addr < end; k++) {
        if (owner->rows[k].end_sequence) break;
        if (owner->rows[k].prologue_end && owner->rows[k].addr >= lo) {
            *entry = owner->rows[k].addr;
            return WB_OK;
        }
    }
    /* otherwise the second row (first one at a higher address) */
    for (size_t k = (size_t)i + 1; k < owner->nrows && owner->rows[k].addr < end; k++) {
        if (owner->rows[k].end_sequence) break;
        if (owner->rows[k].addr > lo) {
            *entry = owner->rows[k].addr;
            break;
        }
    }
    return WB_OK;
}

wb_status wb_dwarf_function_named(wb_dwarf *d, const char *name, const wb_scope **fn,
                                  wb_code_off *entry, wb_error *err)
{
    wb_status st = load_units(d, err);
    const wb_scope *found = NULL;
    if (st != WB_OK) return st;
    /* the name section is an index that costs nothing: try it first */
    uint32_t n = wb_wasm_func_count(d->wasm);
    for (uint32_t i = 0; i < n && !found; i++) {
        const wb_func *f = wb_wasm_func(d->wasm, i);
        const wb_scope *s = NULL;
        wb_error tmp;
        if (f->name && strcmp(f->name, name) == 0 &&
            wb_dwarf_function_at(d, f->start, &s, &tmp) == WB_OK)
            found = s;
    }
    /* then every unit's scopes: qualified names and DWARF-only names */
    for (int pass = 0; pass < 3 && !found; pass++) {
        for (size_t i = 0; i < d->nunits && !found; i++) {
            unit *u = &d->units[i];
            wb_error tmp;
            if (load_scopes(d, u, &tmp) != WB_OK) continue;
            for (size_t k = 0; k < u->nscopes && !found; k++) {
                const wb_scope *s = &u->scopes[k].pub;
                const char *cand = pass == 0   ? s->linkage_name
                                   : pass == 1 ? s->qualified_name
                                               : s->name;
                if (s->kind == WB_SCOPE_FUNCTION && cand && strcmp(cand, name) == 0) found = s;
            }
        }
    }
    if (!found) return WB_NOT_FOUND;
    *fn = found;
    return wb_dwarf_skip_prologue(d, found, entry, err);
}

/* ---------------------------------------------------- file:line sites */

/* How well `path` matches the user's `want`: 3 the same path, 2 a suffix
 * on a component boundary, 1 the same base name (`want` being a bare base
 * name), 0 no match. */
static int file_match(const char *want, const char *path)
{
    size_t wl = strlen(want), pl = strlen(path);
    if (strcmp(want, path) == 0) return 3;
    if (pl > wl && strcmp(path + pl - wl, want) == 0 && path[pl - wl - 1] == '/') return 2;
    /* a bare base name matches any directory; a name with directories
     * only matches through them (as gdb does) */
    if (strchr(want, '/')) return 0;
    const char *pb = strrchr(path, '/');
    pb = pb ? pb + 1 : path;
    if (want[0] && strcmp(want, pb) == 0) return 1;
    return 0;
}

static int cmp_site(const void *a, const void *b)
{
    const wb_line_site *x = a, *y = b;
    return (x->addr > y->addr) - (x->addr < y->addr);
}

/* A row that starts code for (file, line): is_stmt, and the previous row
 * of the sequence is another line (or none). */
static bool row_is_site(const unit *u, size_t k, const seq *s)
{
    const wb_line *r = &u->rows[k];
    if (!r->is_stmt || r->end_sequence) return false;
    if (k > s->first && same_line(&u->rows[k - 1], r) && u->rows[k - 1].is_stmt) return false;
    return true;
}

struct site_scope {
    wb_line_site site;
    uint64_t scope; /* die offset of the innermost scope, or the sequence */
};

typedef struct site_vec {
    struct site_scope *v;
    size_t n, cap;
} site_vec;

/* Keeps the lowest address per scope key. false when out of memory. */
static bool site_add(site_vec *c, uint64_t key, wb_code_off addr, uint32_t line)
{
    for (size_t j = 0; j < c->n; j++)
        if (c->v[j].scope == key) {
            if (addr < c->v[j].site.addr) c->v[j].site.addr = addr;
            return true;
        }
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 8;
        struct site_scope *nv = realloc(c->v, cap * sizeof *nv);
        if (!nv) return false;
        c->v = nv;
        c->cap = cap;
    }
    c->v[c->n].site.addr = addr;
    c->v[c->n].site.line = line;
    c->v[c->n].scope = key;
    c->n++;
    return true;
}

/* Whether a site at `addr` for (`file`, `best`) may stand for a request of
 * line `want`; sets *key to its innermost scope. A breakpoint moved to a
 * later line must not land in a function declared after the line asked
 * for ("b f.c:1" is no breakpoint in the file's first function). As lldb
 * does, one line before the declaration still counts: the return type
 * often stands on the line above the name. For an inlined call site
 * (`inlined` = its DIE), the function checked is the caller. */
static bool site_scope_ok(wb_dwarf *d, wb_code_off addr, const char *file, uint32_t want,
                          uint32_t best, uint64_t inlined, uint64_t *key)
{
    wb_scope_chain c;
    wb_error tmp;
    bool ok = true;
    if (wb_dwarf_scopes_at(d, addr, &c, &tmp) != WB_OK) return true;
    size_t q = 0;
    if (inlined) {
        while (q < c.count && c.scopes[q]->die_offset != inlined) q++;
        q++; /* the caller's scopes */
    } else {
        *key = c.scopes[0]->die_offset;
    }
    const wb_scope *fn = NULL;
    for (; q < c.count && !fn; q++)
        if (c.scopes[q]->kind != WB_SCOPE_BLOCK) fn = c.scopes[q];
    if (best != want && fn && fn->decl_file && fn->decl_line > want + 1 &&
        strcmp(fn->decl_file, file) == 0)
        ok = false;
    wb_scope_chain_free(&c);
    return ok;
}

wb_status wb_dwarf_line_sites(wb_dwarf *d, const char *file, uint32_t line, wb_line_sites *out,
                              wb_error *err)
{
    wb_status st = load_units(d, err);
    int best_kind = 0;
    const char *matched = NULL;
    uint32_t best_line = UINT32_MAX;
    memset(out, 0, sizeof *out);
    if (st != WB_OK) return st;

    /* pass 1: the best kind of file match and the file tables to use */
    bool *hit = calloc(d->nunits ? d->nunits : 1, sizeof *hit);
    if (!hit) return wb_fail(err, "out of memory");
    for (size_t i = 0; i < d->nunits; i++) {
        unit *u = &d->units[i];
        wb_error tmp;
        if (load_lines(d, u, &tmp) != WB_OK) continue;
        for (size_t f = 0; f < u->nfiles; f++)
            if (u->files[f]) {
                int k = file_match(file, u->files[f]);
                if (k > best_kind) best_kind = k;
            }
    }
    for (size_t i = 0; i < d->nunits && best_kind; i++) {
        unit *u = &d->units[i];
        wb_error tmp;
        for (size_t f = 0; f < u->nfiles && !hit[i]; f++)
            hit[i] = u->files[f] && file_match(file, u->files[f]) == best_kind;
        /* inlined call sites count as code of their call line (a line
         * whose code was all inlined from elsewhere, as lldb has it) */
        if (hit[i] && load_scopes(d, u, &tmp) != WB_OK) hit[i] = false;
    }

    /* pass 2: the first line >= `line` with code in a matching file: an
     * is_stmt row, or the call site of an inlined copy */
    for (size_t i = 0; i < d->nunits; i++) {
        unit *u = &d->units[i];
        if (!hit[i] || u->lines_state != ST_OK) continue;
        for (size_t k = 0; k < u->nrows; k++) {
            const wb_line *r = &u->rows[k];
            if (!r->file || r->line < line || r->line >= best_line || r->line == 0 ||
                !r->is_stmt || r->end_sequence || file_match(file, r->file) != best_kind)
                continue;
            best_line = r->line;
            matched = r->file;
        }
        for (size_t k = 0; k < u->nscopes; k++) {
            const wb_scope *sc = &u->scopes[k].pub;
            if (sc->kind != WB_SCOPE_INLINED || !sc->call_file || sc->call_line < line ||
                sc->call_line >= best_line || file_match(file, sc->call_file) != best_kind)
                continue;
            best_line = sc->call_line;
            matched = sc->call_file;
        }
    }
    if (!matched) {
        free(hit);
        return WB_NOT_FOUND;
    }

    /* pass 3: the lowest site address in each innermost scope */
    site_vec cand = {NULL, 0, 0};
    for (size_t i = 0; i < d->nunits; i++) {
        unit *u = &d->units[i];
        if (!hit[i] || u->lines_state != ST_OK) continue;
        for (size_t s = 0; s < u->nseqs; s++)
            for (size_t k = u->seqs[s].first; k < u->seqs[s].first + u->seqs[s].count; k++) {
                const wb_line *r = &u->rows[k];
                if (r->line != best_line || !r->file || file_match(file, r->file) != best_kind ||
                    !row_is_site(u, k, &u->seqs[s]))
                    continue;
                uint64_t key = ((uint64_t)1 << 63) | (i << 20) | s; /* no scope: per sequence */
                if (site_scope_ok(d, r->addr, r->file, line, best_line, 0, &key) &&
                    !site_add(&cand, key, r->addr, best_line)) {
                    free(hit);
                    free(cand.v);
                    return wb_fail(err, "out of memory");
                }
            }
    }
    /* no row on the line: the entries of copies inlined there (lldb-22
     * does the same; rows win when there are any) */
    for (size_t i = 0; i < d->nunits && cand.n == 0; i++) {
        unit *u = &d->units[i];
        if (!hit[i] || u->scopes_state != ST_OK) continue;
        for (size_t k = 0; k < u->nscopes; k++) {
            const scope_rec *sc = &u->scopes[k];
            if (sc->pub.kind != WB_SCOPE_INLINED || sc->pub.call_line != best_line ||
                !sc->pub.call_file || file_match(file, sc->pub.call_file) != best_kind)
                continue;
            /* the call belongs to the caller's block */
            uint64_t key = sc->parent != NO_PARENT ? u->scopes[sc->parent].pub.die_offset
                                                   : sc->pub.die_offset;
            if (site_scope_ok(d, sc->pub.low_pc, sc->pub.call_file, line, best_line,
                              sc->pub.die_offset, &key) &&
                !site_add(&cand, key, sc->pub.low_pc, best_line)) {
                free(hit);
                free(cand.v);
                return wb_fail(err, "out of memory");
            }
        }
    }
    free(hit);
    struct site_scope *cands = cand.v;
    size_t ncand = cand.n;
    out->sites = calloc(ncand ? ncand : 1, sizeof *out->sites);
    if (!out->sites) {
        free(cands);
        return wb_fail(err, "out of memory");
    }
    for (size_t j = 0; j < ncand; j++) {
        wb_line_site s = cands[j].site;
        /* at a function's first address: past its prologue, as gdb does */
        const wb_scope *fn = NULL;
        wb_error tmp;
        if (wb_dwarf_function_at(d, s.addr, &fn, &tmp) == WB_OK && fn->low_pc == s.addr) {
            wb_code_off entry;
            wb_line row;
            if (wb_dwarf_skip_prologue(d, fn, &entry, &tmp) == WB_OK) {
                s.addr = entry;
                if (wb_dwarf_line_at(d, entry, &row, &tmp) == WB_OK) s.line = row.line;
            }
        }
        out->sites[out->count++] = s;
    }
    free(cands);
    if (out->count == 0) {
        wb_line_sites_free(out);
        return WB_NOT_FOUND;
    }
    qsort(out->sites, out->count, sizeof *out->sites, cmp_site);
    /* moving past prologues can make two sites one */
    size_t m = 0;
    for (size_t j = 0; j < out->count; j++)
        if (m == 0 || out->sites[m - 1].addr != out->sites[j].addr) out->sites[m++] = out->sites[j];
    out->count = m;
    out->file = matched;
    out->line = best_line;
    return WB_OK;
}

void wb_line_sites_free(wb_line_sites *s)
{
    free(s->sites);
    memset(s, 0, sizeof *s);
}
