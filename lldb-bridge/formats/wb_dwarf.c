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
#include "wdb/wasmfmt.h"
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

static const char *arena_str(arena *a, const char *s)
{
    return s ? arena_path(a, s, NULL, NULL) : NULL;
}

/* ------------------------------------------------------------ handle */

typedef struct seq {
    wb_code_off lo, hi;  /* [first row, end_sequence row) */
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
    Dwarf_Die die;     /* the CU DIE, kept until close */
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

    /* variables and types (see "variables and types" below) */
    int syms_state;
    struct sym *syms; /* named types and variables, by offset */
    size_t nsyms;
    char syms_err[256];
    uint64_t lang;                     /* DW_AT_language */
    uint64_t addr_base, loclists_base; /* DWARF 5 (defaults 8 and 12) */
    bool globals_done;
    const wb_var **globals;
    size_t nglobals;
    const char *primary; /* the unit's own source file (unit_primary_file) */
} unit;

struct wb_dwarf {
    const wb_wasm *wasm;
    uint32_t code_size;
    Dwarf_Obj_Access_Interface iface;
    struct dsec {
        const char *name;
        const uint8_t *data;
        size_t size;
    } * secs;
    unsigned nsecs;
    Dwarf_Debug dbg;
    unsigned handler_hits; /* errors libdwarf raised without an error pointer */
    arena mem;
    int units_state;
    char units_err[256];
    char warning[256]; /* wb_dwarf_warning */
    unit *units;
    size_t nunits;

    /* variables and types: caches by DIE offset (see below) */
    struct omap {
        uint64_t *keys; /* offset + 1; 0 = empty slot */
        void **vals;
        size_t cap, n;
    } types, vars, scope_vars;
    struct tqueue {
        struct tnode **v;
        size_t n, cap;
    } pending, done, copies;
    wb_type *void_type;
    bool files_done;
    const char **files;
    size_t nfiles;
    /* wb_dwarf_data_symbol: variables at fixed addresses, by address */
    bool dsyms_done;
    struct dsym {
        uint64_t addr, size;
        const char *name;
    } * dsyms;
    size_t ndsyms;
    /* wb_dwarf_symbols, by wb_sym_kind (arena) */
    bool syms_done[3];
    wb_symbol *syms[3];
    size_t nsyms[3];
    /* made from a source map (wb_dwarf_open_srcmap): no libdwarf */
    bool srcmap;
    const wb_type *sm_types[5]; /* i32, i64, f32, f64, v128 */
    const char **sm_texts;      /* embedded sources, by unit 0's files */
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

static Dwarf_Unsigned oa_section_count(void *obj)
{
    return ((wb_dwarf *)obj)->nsecs;
}

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
    oa_section_info,  oa_byte_order,   oa_length_size, oa_pointer_size,
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
        uint32_t len = (uint32_t)p[pos] | (uint32_t)p[pos + 1] << 8 | (uint32_t)p[pos + 2] << 16 |
                       (uint32_t)p[pos + 3] << 24;
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
            uint32_t o =
                (uint32_t)q[0] | (uint32_t)q[1] << 8 | (uint32_t)q[2] << 16 | (uint32_t)q[3] << 24;
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
        if (wb_wasm_custom_section(w, s->name, &d->secs[d->nsecs].data, &d->secs[d->nsecs].size) !=
            WB_OK)
            continue;
        /* a duplicate section name: the first one wins (as the lookup) */
        bool dup = false;
        for (unsigned k = 1; k < d->nsecs; k++)
            if (strcmp(d->secs[k].name, s->name) == 0) dup = true;
        if (dup) continue;
        if ((strcmp(s->name, ".debug_rnglists") == 0 || strcmp(s->name, ".debug_loclists") == 0) &&
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
        free(u->syms);
    }
    free(d->units);
    struct omap *maps[] = {&d->types, &d->vars, &d->scope_vars};
    for (size_t i = 0; i < sizeof maps / sizeof maps[0]; i++) {
        free(maps[i]->keys);
        free(maps[i]->vals);
    }
    free(d->pending.v);
    free(d->done.v);
    free(d->copies.v);
    free(d->dsyms);
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

static wb_status attr_udata(wb_dwarf *d, Dwarf_Die die, Dwarf_Half at, uint64_t *out, wb_error *err)
{
    Dwarf_Attribute a = NULL;
    Dwarf_Error e = NULL;
    Dwarf_Unsigned v = 0;
    WB_TRY(attr_get(d, die, at, &a, err));
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
    WB_TRY(attr_get(d, die, at, &a, err));
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
    WB_TRY(attr_get(d, die, at, &a, err));
    int rc = dwarf_global_formref(a, &off, &e);
    dwarf_dealloc_attribute(a);
    if (rc != DW_DLV_OK) return dw_fail(d, e, err, "reading a reference attribute");
    *out = off;
    return WB_OK;
}

/* DW_AT_entry_pc: an address, or (DWARF 5) a constant offset from the
 * scope's low_pc. Left as it is when absent or out of the scope's code. */
static wb_status attr_entry_pc(wb_dwarf *d, Dwarf_Die die, wb_code_off low, wb_code_off *out,
                               wb_error *err)
{
    Dwarf_Attribute a = NULL;
    Dwarf_Error e = NULL;
    Dwarf_Addr addr = 0;
    Dwarf_Half form = 0;
    wb_status st = attr_get(d, die, DW_AT_entry_pc, &a, err);
    if (st != WB_OK) return st == WB_NOT_FOUND ? WB_OK : st;
    int rc = dwarf_whatform(a, &form, &e);
    if (rc == DW_DLV_OK && (form == DW_FORM_addr || form == DW_FORM_addrx ||
                            (form >= DW_FORM_addrx1 && form <= DW_FORM_addrx4))) {
        rc = dwarf_formaddr(a, &addr, &e);
    } else if (rc == DW_DLV_OK) {
        Dwarf_Unsigned v = 0;
        rc = dwarf_formudata(a, &v, &e);
        addr = low + v;
    }
    dwarf_dealloc_attribute(a);
    if (rc != DW_DLV_OK) {
        dw_drop(d, &e);
        return WB_OK; /* a damaged entry pc: keep the first range's start */
    }
    if (addr <= UINT32_MAX) *out = (wb_code_off)addr;
    return WB_OK;
}

/* Where a DIE's declaration continues: DW_AT_abstract_origin, else
 * DW_AT_specification (WB_NOT_FOUND: neither). */
static wb_status die_origin(wb_dwarf *d, Dwarf_Die die, uint64_t *out, wb_error *err)
{
    wb_status st = attr_ref(d, die, DW_AT_abstract_origin, out, err);
    if (st == WB_NOT_FOUND) st = attr_ref(d, die, DW_AT_specification, out, err);
    return st;
}

static wb_status attr_exprloc(wb_dwarf *d, Dwarf_Die die, Dwarf_Half at, const uint8_t **out,
                              size_t *len, wb_error *err)
{
    Dwarf_Attribute a = NULL;
    Dwarf_Error e = NULL;
    Dwarf_Unsigned n = 0;
    Dwarf_Ptr p = NULL;
    WB_TRY(attr_get(d, die, at, &a, err));
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
    if (!wb_grow((void **)&r->v, &r->cap, r->n + 1, sizeof *r->v)) return false;
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
            return wb_fail(err,
                           "corrupt DWARF: DW_AT_ranges offset 0x%llx is past "
                           ".debug_rnglists",
                           (unsigned long long)val);
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
    if (rc == DW_DLV_NO_ENTRY)
        hi = lo + 1; /* a single address (DWARF 4, 2.17.1) */
    else if (rc != DW_DLV_OK)
        return dw_fail(d, e, err, "DW_AT_high_pc");
    else if (cls == DW_FORM_CLASS_CONSTANT)
        hi += lo;
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
        int rc = dwarf_next_cu_header_d(d->dbg, 1, &hlen, &version, &abbrev, &addr_size, &len_size,
                                        &ext_size, &sig, &typeoff, &next, &cu_type, &e);
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
            snprintf(d->warning, sizeof d->warning, "%.200s; the units after it are ignored",
                     tmp.msg);
            break;
        }
        rc = dwarf_siblingof_b(d->dbg, NULL, 1, &die, &e);
        if (rc != DW_DLV_OK) {
            dw_drop(d, &e);
            off = next;
            continue; /* a header without a DIE: nothing to index */
        }
        if (!wb_grow((void **)&d->units, &cap, d->nunits + 1, sizeof *d->units)) {
            dwarf_dealloc_die(die);
            return wb_fail(err, "out of memory");
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

/* The bytes of section `name` handed to libdwarf, or NULL. */
static const struct dsec *sec_named(const wb_dwarf *d, const char *name)
{
    for (unsigned k = 1; k < d->nsecs; k++)
        if (strcmp(d->secs[k].name, name) == 0) return &d->secs[k];
    return NULL;
}

/* A section offset attribute (DW_FORM_sec_offset, or data4/data8 in
 * DWARF 2-3). */
static wb_status attr_secoff(wb_dwarf *d, Dwarf_Die die, Dwarf_Half at, uint64_t *out,
                             wb_error *err)
{
    Dwarf_Attribute a = NULL;
    Dwarf_Error e = NULL;
    Dwarf_Off off = 0;
    WB_TRY(attr_get(d, die, at, &a, err));
    int rc = dwarf_global_formref(a, &off, &e);
    if (rc != DW_DLV_OK) {
        Dwarf_Unsigned u = 0;
        dw_drop(d, &e);
        rc = dwarf_formudata(a, &u, &e);
        off = u;
    }
    dwarf_dealloc_attribute(a);
    if (rc != DW_DLV_OK) return dw_fail(d, e, err, "reading a section offset attribute");
    *out = off;
    return WB_OK;
}

/* A bounded reader over section bytes for the checks below. */
typedef struct rd {
    const uint8_t *p;
    size_t pos, end;
    bool bad;
} rd;

static uint64_t rd_fixed(rd *r, size_t n)
{
    uint64_t v = 0;
    if (r->bad || r->end - r->pos < n) {
        r->bad = true;
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        v |= (uint64_t)r->p[r->pos + i] << (8 * i);
    r->pos += n;
    return v;
}

static uint64_t rd_uleb(rd *r)
{
    uint64_t v = 0;
    if (r->bad) return 0;
    const uint8_t *p = r->p + r->pos;
    if (wf_leb_read(&p, r->p + r->end, 64, false, &v)) { /* wdb/wasmfmt.h */
        r->bad = true;
        return 0;
    }
    r->pos = (size_t)(p - r->p);
    return v;
}

static void rd_skip(rd *r, uint64_t n)
{
    if (r->bad || r->end - r->pos < n)
        r->bad = true;
    else
        r->pos += (size_t)n;
}

static void rd_cstr(rd *r)
{
    while (!r->bad && r->pos < r->end && r->p[r->pos])
        r->pos++;
    rd_skip(r, 1);
}

/* One DWARF 5 line header entry format list and its entries (6.2.4.1,
 * items 14-20): every form must be one the format allows, and the entries
 * must fit in the header. NULL when fine, else what is wrong. */
static const char *line_entries_ok(rd *r, uint8_t offsize)
{
    uint64_t fmt[2 * 32];
    unsigned nfmt = (unsigned)rd_fixed(r, 1);
    if (nfmt > 32) return "too many entry formats";
    for (unsigned i = 0; i < nfmt; i++) {
        fmt[2 * i] = rd_uleb(r);
        fmt[2 * i + 1] = rd_uleb(r);
        switch (fmt[2 * i + 1]) {
        case DW_FORM_string:
        case DW_FORM_line_strp:
        case DW_FORM_strp:
        case DW_FORM_strx:
        case DW_FORM_strx1:
        case DW_FORM_strx2:
        case DW_FORM_strx3:
        case DW_FORM_strx4:
        case DW_FORM_udata:
        case DW_FORM_data1:
        case DW_FORM_data2:
        case DW_FORM_data4:
        case DW_FORM_data8:
        case DW_FORM_data16:
        case DW_FORM_block: break;
        default: return "an entry format with a form not allowed there";
        }
    }
    uint64_t count = rd_uleb(r);
    if (r->bad) return "it ends inside an entry format list";
    /* every entry takes at least one byte per format: the count is
     * bounded by the header's size (libdwarf allocates by it) */
    if (count > 0 && nfmt == 0) return "entries without a format";
    if (count > r->end - r->pos) return "more entries than the header has bytes";
    for (uint64_t k = 0; k < count && !r->bad; k++)
        for (unsigned i = 0; i < nfmt; i++) {
            switch (fmt[2 * i + 1]) {
            case DW_FORM_string: rd_cstr(r); break;
            case DW_FORM_line_strp:
            case DW_FORM_strp: rd_skip(r, offsize); break;
            case DW_FORM_strx:
            case DW_FORM_udata: rd_uleb(r); break;
            case DW_FORM_strx1:
            case DW_FORM_data1: rd_skip(r, 1); break;
            case DW_FORM_strx2:
            case DW_FORM_data2: rd_skip(r, 2); break;
            case DW_FORM_strx3: rd_skip(r, 3); break;
            case DW_FORM_strx4:
            case DW_FORM_data4: rd_skip(r, 4); break;
            case DW_FORM_data8: rd_skip(r, 8); break;
            case DW_FORM_data16: rd_skip(r, 16); break;
            default: rd_skip(r, rd_uleb(r)); break; /* DW_FORM_block */
            }
        }
    return r->bad ? "entries past the end of the header" : NULL;
}

/* Whether the line table header at `off` of .debug_line is sound enough
 * for libdwarf (DWARF 4 6.2.4, DWARF 5 6.2.4): lengths inside the
 * section, a known version, a nonzero line_range, standard_opcode_lengths,
 * directory and file lists inside header_length. libdwarf 20210528 sizes
 * allocations by the counts in this header without checking them against
 * the section (a corrupt DWARF 5 count made it calloc about 768 GB, which
 * aborts under ASan), so a table that fails here is never handed to it.
 * NULL when fine, else what is wrong. */
static const char *line_header_ok(const uint8_t *p, size_t n, uint64_t off)
{
    rd r = {p, 0, n, false};
    if (off >= n) return "offset past the end of .debug_line";
    r.pos = (size_t)off;
    uint8_t offsize = 4;
    uint64_t len = rd_fixed(&r, 4);
    if (len == 0xffffffffu) {
        offsize = 8;
        len = rd_fixed(&r, 8);
    } else if (len >= 0xfffffff0u) {
        return "reserved unit length";
    }
    if (r.bad || len > r.end - r.pos) return "unit length past the end of the section";
    r.end = r.pos + (size_t)len;
    uint64_t version = rd_fixed(&r, 2);
    if (r.bad || version < 2 || version > 5) return "unknown version";
    if (version >= 5) {
        uint64_t asz = rd_fixed(&r, 1), seg = rd_fixed(&r, 1);
        if (asz != 4 && asz != 8) return "bad address size";
        if (seg != 0) return "segment selectors";
    }
    uint64_t hlen = rd_fixed(&r, offsize);
    if (r.bad || hlen > r.end - r.pos) return "header length past the end of the unit";
    r.end = r.pos + (size_t)hlen;
    uint64_t min_inst = rd_fixed(&r, 1);
    uint64_t max_ops = version >= 4 ? rd_fixed(&r, 1) : 1;
    rd_fixed(&r, 1); /* default_is_stmt */
    rd_fixed(&r, 1); /* line_base */
    uint64_t line_range = rd_fixed(&r, 1);
    uint64_t opcode_base = rd_fixed(&r, 1);
    if (r.bad) return "header too short";
    if (min_inst == 0 || max_ops == 0 || line_range == 0 || opcode_base == 0)
        return "zero instruction length, line range or opcode base";
    rd_skip(&r, opcode_base - 1); /* standard_opcode_lengths */
    if (r.bad) return "standard_opcode_lengths past the end of the header";
    if (version >= 5) {
        const char *why = line_entries_ok(&r, offsize);
        if (!why) why = line_entries_ok(&r, offsize);
        return why;
    }
    /* DWARF 2-4: include_directories, then file_names, each ended by an
     * empty string */
    while (!r.bad && r.pos < r.end && p[r.pos])
        rd_cstr(&r);
    rd_skip(&r, 1);
    while (!r.bad && r.pos < r.end && p[r.pos]) {
        rd_cstr(&r);
        rd_uleb(&r);
        rd_uleb(&r);
        rd_uleb(&r);
    }
    rd_skip(&r, 1);
    return r.bad ? "directory or file list past the end of the header" : NULL;
}

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
                dwarf_srclines_include_dir_data(lc, (Dwarf_Signed)diridx, &dir, &e) != DW_DLV_OK) {
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
        wb_path_normalize((char *)path); /* arena memory: ours to change */
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

static wb_status lines_fail(wb_dwarf *d, unit *u, wb_error *err, const char *msg)
{
    snprintf(u->err, sizeof u->err, "%s", msg);
    u->lines_state = ST_BAD;
    /* the first damage is worth saying where a lookup that skipped this
     * unit comes back empty (wb_dwarf_warning) */
    if (!d->warning[0]) snprintf(d->warning, sizeof d->warning, "%.200s", msg);
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
    uint64_t stmt_off = 0;
    const struct dsec *ls = sec_named(d, ".debug_line");
    if (ls && attr_secoff(d, u->die, DW_AT_stmt_list, &stmt_off, &tmp) == WB_OK &&
        stmt_off < ls->size) {
        const char *why = line_header_ok(ls->data, ls->size, stmt_off);
        if (why) {
            snprintf(tmp.msg, sizeof tmp.msg,
                     "corrupt DWARF: the line table header at .debug_line offset 0x%llx is "
                     "malformed: %s",
                     (unsigned long long)stmt_off, why);
            return lines_fail(d, u, err, tmp.msg);
        }
    }
    int rc = dwarf_srclines_b(u->die, &version, &ntables, &lc, &e);
    if (rc == DW_DLV_NO_ENTRY) {
        /* normal for a unit without DW_AT_stmt_list; with one, the table
         * it points to is missing (libdwarf says "no entry" when
         * .debug_line is empty or too short) */
        Dwarf_Bool has = 0;
        if (dwarf_hasattr(u->die, DW_AT_stmt_list, &has, &e) != DW_DLV_OK) dw_drop(d, &e);
        if (has)
            return lines_fail(d, u, err,
                              "corrupt DWARF: the unit's line table (DW_AT_stmt_list) is "
                              "missing from .debug_line");
        u->lines_state = ST_OK;
        return WB_OK;
    }
    if (rc != DW_DLV_OK) {
        dw_fail(d, e, &tmp, "reading .debug_line");
        return lines_fail(d, u, err, tmp.msg);
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
    return lines_fail(d, u, err, tmp.msg);
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

static wb_status for_units_at(wb_dwarf *d, wb_code_off addr, unit_fn fn, void *ctx, wb_error *err)
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
    WB_TRY(load_lines(d, u, err));
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
    return a->line == b->line &&
           (a->file == b->file || (a->file && b->file && strcmp(a->file, b->file) == 0));
}

typedef struct range_ctx {
    wb_code_off start, end;
} range_ctx;

static wb_status range_in_unit(wb_dwarf *d, unit *u, wb_code_off addr, void *ctx, wb_error *err)
{
    range_ctx *rc = ctx;
    WB_TRY(load_lines(d, u, err));
    ptrdiff_t i = row_index_at(u, addr);
    if (i < 0) return WB_NOT_FOUND;
    /* the row's sequence bounds the walk */
    size_t s = 0;
    while (s < u->nseqs &&
           !(u->seqs[s].first <= (size_t)i && (size_t)i < u->seqs[s].first + u->seqs[s].count))
        s++;
    size_t first = u->seqs[s].first, last = first + u->seqs[s].count - 1;
    size_t a = (size_t)i, b = (size_t)i;
    while (a > first && same_line(&u->rows[a - 1], &u->rows[i]))
        a--;
    while (b + 1 < last && same_line(&u->rows[b + 1], &u->rows[i]))
        b++;
    rc->start = u->rows[a].addr;
    rc->end = u->rows[b + 1].addr;
    return WB_OK;
}

wb_status wb_dwarf_line_range(wb_dwarf *d, wb_code_off addr, wb_code_off *start, wb_code_off *end,
                              wb_error *err)
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
    if (!wb_grow((void **)&w->decls, &w->dcap, w->ndecls + 1, sizeof *w->decls)) return false;
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
        if ((st = attr_string(d, die, DW_AT_linkage_name, &linkage, w->err)) == WB_ERROR) return st;
        if (!linkage &&
            (st = attr_string(d, die, DW_AT_MIPS_linkage_name, &linkage, w->err)) == WB_ERROR)
            return st;
        if ((st = die_origin(d, die, &origin, w->err)) == WB_ERROR) return st;
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
        if (!wb_grow((void **)&w->scopes, &w->cap, w->nscopes + 1, sizeof *w->scopes)) {
            free(r.v);
            return wb_fail(w->err, "out of memory");
        }
        wb_code_off entry = r.v[0].lo;
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
        s->pub.kind = tag == DW_TAG_subprogram           ? WB_SCOPE_FUNCTION
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
        s->pub.entry_pc = entry;
        if ((st = attr_entry_pc(d, die, s->pub.low_pc, &s->pub.entry_pc, w->err)) == WB_ERROR)
            goto out;
        if (tag == DW_TAG_inlined_subroutine) {
            if ((st = attr_udata(d, die, DW_AT_call_file, &u64, w->err)) == WB_ERROR) goto out;
            if (st == WB_OK) s->pub.call_file = unit_file(w->u, u64);
            if ((st = attr_udata(d, die, DW_AT_call_line, &u64, w->err)) == WB_ERROR) goto out;
            if (st == WB_OK) s->pub.call_line = (uint32_t)u64;
            if ((st = attr_udata(d, die, DW_AT_call_column, &u64, w->err)) == WB_ERROR) goto out;
            if (st == WB_OK) s->pub.call_column = (uint32_t)u64;
        }
        if (tag == DW_TAG_subprogram) {
            st = attr_exprloc(d, die, DW_AT_frame_base, &s->pub.frame_base, &s->pub.frame_base_len,
                              w->err);
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
    if (u->scopes_state != ST_OK && u->scopes_state != ST_BUSY && load_scopes(d, u, &tmp) != WB_OK)
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
    if (load_lines(d, u, &tmp) != WB_OK) { /* names still work without it */
    }
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
    WB_TRY(load_scopes(d, u, err));
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

wb_status wb_dwarf_function_at(wb_dwarf *d, wb_code_off addr, const wb_scope **out, wb_error *err)
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

wb_status wb_dwarf_skip_prologue(wb_dwarf *d, const wb_scope *fn, wb_code_off *entry, wb_error *err)
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
    wb_code_off end = fn->nranges ? fn->ranges[0].hi : fn->high_pc;
    ptrdiff_t i = row_index_at(owner, lo);
    if (i < 0) {
        /* clang -O2 may start the function's sequence after its low pc
         * (the local declarations have no row): take the first sequence
         * that starts inside the function */
        for (size_t k = 0; k < owner->nseqs; k++)
            if (owner->seqs[k].lo >= lo && owner->seqs[k].lo < end &&
                (i < 0 || owner->seqs[k].lo < owner->rows[i].addr))
                i = (ptrdiff_t)owner->seqs[k].first;
        if (i < 0) return WB_OK;
    }
    /* the first prologue_end row inside the function's first range */
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

bool wb_scope_named(const wb_scope *s, const char *name)
{
    return (s->name && strcmp(s->name, name) == 0) ||
           (s->qualified_name && strcmp(s->qualified_name, name) == 0) ||
           (s->linkage_name && strcmp(s->linkage_name, name) == 0);
}

static int cmp_code_off(const void *a, const void *b)
{
    wb_code_off x = *(const wb_code_off *)a, y = *(const wb_code_off *)b;
    return x < y ? -1 : x > y;
}

wb_status wb_dwarf_inlined_named(wb_dwarf *d, const char *name, wb_code_off **addrs, size_t *n,
                                 wb_error *err)
{
    *addrs = NULL;
    *n = 0;
    WB_TRY(load_units(d, err));
    size_t cap = 0;
    for (size_t i = 0; i < d->nunits; i++) {
        unit *u = &d->units[i];
        wb_error tmp;
        if (load_scopes(d, u, &tmp) != WB_OK) continue;
        for (size_t k = 0; k < u->nscopes; k++) {
            const wb_scope *sc = &u->scopes[k].pub;
            if (sc->kind != WB_SCOPE_INLINED || sc->nranges == 0) continue;
            if (!wb_scope_named(sc, name)) continue;
            if (!wb_grow((void **)addrs, &cap, *n + 1, sizeof **addrs)) {
                free(*addrs);
                *addrs = NULL;
                *n = 0;
                return wb_fail(err, "out of memory");
            }
            (*addrs)[(*n)++] = sc->entry_pc;
        }
    }
    if (*n == 0) {
        free(*addrs);
        *addrs = NULL;
        return WB_NOT_FOUND;
    }
    qsort(*addrs, *n, sizeof **addrs, cmp_code_off);
    size_t k = 0;
    for (size_t i = 0; i < *n; i++)
        if (k == 0 || (*addrs)[k - 1] != (*addrs)[i]) (*addrs)[k++] = (*addrs)[i];
    *n = k;
    return WB_OK;
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
    if (!wb_grow((void **)&c->v, &c->cap, c->n + 1, sizeof *c->v)) return false;
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
        while (q < c.count && c.scopes[q]->die_offset != inlined)
            q++;
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
            if (!r->file || r->line < line || r->line >= best_line || r->line == 0 || !r->is_stmt ||
                r->end_sequence || file_match(file, r->file) != best_kind)
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
            uint64_t key =
                sc->parent != NO_PARENT ? u->scopes[sc->parent].pub.die_offset : sc->pub.die_offset;
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

/* ------------------------------------------------- variables and types */

/* Types are built from their DIEs without recursion: type_ref() returns
 * the object cached for a DIE offset, registering an empty one and queueing
 * it when there is none; type_get() then fills queued objects until the
 * queue is empty (filling a struct queues its member types, which may be
 * the struct itself: it is already registered, so recursive types end).
 * A restrict/atomic qualifier (not in the model) and an incomplete struct
 * whose definition is elsewhere become copies of the type they stand for,
 * made after the queue is drained; then sizes of arrays, bitfield storage
 * and enum signedness are computed, and chains of pointers, qualifiers,
 * typedefs and arrays are checked to end (corrupt DWARF can make them
 * cycles, which every consumer would follow forever). */

/* Longest target chain (typedef, cv, pointer, array) accepted. */
#define MAX_TYPE_CHAIN 64
/* Subranges per array, members per struct, entries per location list. */
#define MAX_DIMS 32
#define MAX_LIST 100000

typedef struct tnode {
    wb_type t; /* first: a wb_type * is a tnode * */
    bool filled;
    struct tnode *copy_of; /* see above */
    uint64_t *bitpos;      /* per member: DW_AT_data_bit_offset, or UINT64_MAX */
} tnode;

enum {
    SYM_DECL = 1,  /* DW_AT_declaration */
    SYM_LOCAL = 2, /* inside a function */
    SYM_LOC = 4,   /* a variable with DW_AT_location or DW_AT_const_value */
};

typedef struct sym {
    uint64_t off;
    uint64_t spec;   /* DW_AT_specification, or 0 */
    uint64_t parent; /* DW_TAG_enumerator: its enumeration type's offset */
    const char *name, *qname;
    uint16_t tag;
    uint8_t flags;
} sym;

typedef struct var_list {
    const wb_var **v;
    size_t n;
} var_list;

static wb_status srcmap_vars(wb_dwarf *d, const wb_scope *s, var_list **out, wb_error *err);
static const wb_type *srcmap_valtype(wb_dwarf *d, uint8_t vt);

/* ---- offset maps (open addressing, malloc'd, freed by wb_dwarf_close) */

static size_t omap_slot(const struct omap *m, uint64_t key)
{
    return (size_t)((key * 0x9E3779B97F4A7C15ull) >> 17) & (m->cap - 1);
}

static void *omap_get(const struct omap *m, uint64_t off)
{
    if (!m->cap) return NULL;
    uint64_t key = off + 1;
    for (size_t i = omap_slot(m, key);; i = (i + 1) & (m->cap - 1)) {
        if (m->keys[i] == key) return m->vals[i];
        if (m->keys[i] == 0) return NULL;
    }
}

static bool omap_put(struct omap *m, uint64_t off, void *val)
{
    if ((m->n + 1) * 2 > m->cap) {
        struct omap g = {NULL, NULL, m->cap ? m->cap * 2 : 256, 0};
        g.keys = calloc(g.cap, sizeof *g.keys);
        g.vals = calloc(g.cap, sizeof *g.vals);
        if (!g.keys || !g.vals) {
            free(g.keys);
            free(g.vals);
            return false;
        }
        for (size_t i = 0; i < m->cap; i++)
            if (m->keys[i]) {
                size_t j = omap_slot(&g, m->keys[i]);
                while (g.keys[j])
                    j = (j + 1) & (g.cap - 1);
                g.keys[j] = m->keys[i];
                g.vals[j] = m->vals[i];
                g.n++;
            }
        free(m->keys);
        free(m->vals);
        *m = g;
    }
    uint64_t key = off + 1;
    size_t i = omap_slot(m, key);
    while (m->keys[i] && m->keys[i] != key)
        i = (i + 1) & (m->cap - 1);
    if (!m->keys[i]) m->n++;
    m->keys[i] = key;
    m->vals[i] = val;
    return true;
}

static bool tq_push(struct tqueue *q, tnode *n)
{
    if (!wb_grow((void **)&q->v, &q->cap, q->n + 1, sizeof *q->v)) return false;
    q->v[q->n++] = n;
    return true;
}

/* ---- DIE access */

/* The DIE at a .debug_info offset, checked to lie inside a unit's DIEs
 * first (libdwarf follows any offset it is given). */
static wb_status die_at(wb_dwarf *d, uint64_t off, Dwarf_Die *out, unit **uo, wb_error *err)
{
    Dwarf_Error e = NULL;
    unit *u = unit_of_offset(d, off);
    *out = NULL;
    if (!u || off < u->off + 11)
        return wb_fail(err, "corrupt DWARF: DIE reference 0x%llx is outside every unit",
                       (unsigned long long)off);
    int rc = dwarf_offdie_b(d->dbg, off, 1, out, &e);
    if (rc == DW_DLV_NO_ENTRY)
        return wb_fail(err, "corrupt DWARF: no DIE at offset 0x%llx", (unsigned long long)off);
    if (rc != DW_DLV_OK) return dw_fail(d, e, err, "reading a DIE by offset");
    if (uo) *uo = u;
    return WB_OK;
}

static wb_status die_tag(wb_dwarf *d, Dwarf_Die die, Dwarf_Half *tag, wb_error *err)
{
    Dwarf_Error e = NULL;
    if (dwarf_tag(die, tag, &e) != DW_DLV_OK) return dw_fail(d, e, err, "reading a DIE tag");
    return WB_OK;
}

static wb_status die_off(wb_dwarf *d, Dwarf_Die die, uint64_t *off, wb_error *err)
{
    Dwarf_Error e = NULL;
    Dwarf_Off o = 0;
    if (dwarf_dieoffset(die, &o, &e) != DW_DLV_OK)
        return dw_fail(d, e, err, "reading a DIE offset");
    *off = o;
    return WB_OK;
}

static bool has_attr(wb_dwarf *d, Dwarf_Die die, Dwarf_Half at)
{
    Dwarf_Error e = NULL;
    Dwarf_Bool has = 0;
    if (dwarf_hasattr(die, at, &has, &e) != DW_DLV_OK) {
        dw_drop(d, &e);
        return false;
    }
    return has != 0;
}

/* A flag attribute: false when absent or unreadable. */
static bool attr_flag(wb_dwarf *d, Dwarf_Die die, Dwarf_Half at)
{
    Dwarf_Attribute a = NULL;
    Dwarf_Error e = NULL;
    Dwarf_Bool v = 0;
    wb_error tmp;
    if (attr_get(d, die, at, &a, &tmp) != WB_OK) return false;
    if (dwarf_formflag(a, &v, &e) != DW_DLV_OK) {
        dw_drop(d, &e);
        v = 1; /* DW_FORM_flag_present and friends: being there is the flag */
    }
    dwarf_dealloc_attribute(a);
    return v != 0;
}

/* A signed constant (DW_AT_const_value of enumerators, bounds). */
static wb_status attr_sdata(wb_dwarf *d, Dwarf_Die die, Dwarf_Half at, int64_t *out,
                            Dwarf_Half *form_out, wb_error *err)
{
    Dwarf_Attribute a = NULL;
    Dwarf_Error e = NULL;
    Dwarf_Half form = 0;
    WB_TRY(attr_get(d, die, at, &a, err));
    int rc = dwarf_whatform(a, &form, &e);
    if (rc == DW_DLV_OK) {
        if (form == DW_FORM_sdata || form == DW_FORM_implicit_const) {
            Dwarf_Signed v = 0;
            rc = dwarf_formsdata(a, &v, &e);
            *out = v;
        } else {
            Dwarf_Unsigned v = 0;
            rc = dwarf_formudata(a, &v, &e);
            *out = (int64_t)v;
        }
    }
    dwarf_dealloc_attribute(a);
    if (rc != DW_DLV_OK) return dw_fail(d, e, err, "reading a constant attribute");
    if (form_out) *form_out = form;
    return WB_OK;
}

/* Calls fn for each child of `die` (offsets must grow: a corrupt sibling
 * chain must not loop). */
typedef wb_status (*child_fn)(wb_dwarf *d, Dwarf_Die child, Dwarf_Half tag, uint64_t off, void *ctx,
                              wb_error *err);

static wb_status each_child(wb_dwarf *d, Dwarf_Die die, child_fn fn, void *ctx, wb_error *err)
{
    Dwarf_Error e = NULL;
    Dwarf_Die child = NULL;
    uint64_t last = 0;
    int rc = dwarf_child(die, &child, &e);
    if (rc == DW_DLV_NO_ENTRY) return WB_OK;
    if (rc != DW_DLV_OK) return dw_fail(d, e, err, "reading DIE children");
    while (child) {
        Dwarf_Half tag = 0;
        uint64_t off = 0;
        wb_status st = die_tag(d, child, &tag, err);
        if (st == WB_OK) st = die_off(d, child, &off, err);
        if (st == WB_OK && off <= last)
            st = wb_fail(err, "corrupt DWARF: DIE siblings out of order at 0x%llx",
                         (unsigned long long)off);
        last = off;
        if (st == WB_OK) st = fn(d, child, tag, off, ctx, err);
        Dwarf_Die sib = NULL;
        if (st == WB_OK) {
            rc = dwarf_siblingof_b(d->dbg, child, 1, &sib, &e);
            if (rc == DW_DLV_ERROR) st = dw_fail(d, e, err, "reading DIE siblings");
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

/* ---- the per-unit index of named types and variables */

typedef struct sym_walk {
    unit *u;
    struct sym *v;
    size_t n, cap;
    char qual[1024];
    int depth;
    bool in_func;
    uint64_t enum_off; /* the enumeration type whose enumerators are read */
} sym_walk;

static wb_status sym_child(wb_dwarf *d, Dwarf_Die die, Dwarf_Half tag, uint64_t off, void *ctx,
                           wb_error *err);

/* An enumerator child of the enumeration type w->enum_off. */
static wb_status sym_enumerator(wb_dwarf *d, Dwarf_Die die, Dwarf_Half tag, uint64_t off, void *ctx,
                                wb_error *err)
{
    sym_walk *w = ctx;
    const char *name = NULL;
    if (tag != DW_TAG_enumerator) return WB_OK;
    wb_status st = attr_string(d, die, DW_AT_name, &name, err);
    if (st == WB_ERROR) return st;
    if (!name) return WB_OK;
    if (!wb_grow((void **)&w->v, &w->cap, w->n + 1, sizeof *w->v))
        return wb_fail(err, "out of memory");
    sym *sy = &w->v[w->n++];
    memset(sy, 0, sizeof *sy);
    sy->off = off;
    sy->tag = tag;
    sy->name = sy->qname = name;
    sy->parent = w->enum_off;
    return WB_OK;
}

static wb_status sym_children(wb_dwarf *d, sym_walk *w, Dwarf_Die die, const char *scope,
                              bool in_func, wb_error *err)
{
    size_t len = strlen(w->qual);
    bool was = w->in_func;
    if (++w->depth > MAX_DIE_DEPTH) return wb_fail(err, "corrupt DWARF: DIEs nested too deeply");
    if (scope && !in_func) snprintf(w->qual + len, sizeof w->qual - len, "%s::", scope);
    w->in_func = in_func;
    wb_status st = each_child(d, die, sym_child, w, err);
    w->qual[len] = 0;
    w->in_func = was;
    w->depth--;
    return st;
}

static wb_status sym_child(wb_dwarf *d, Dwarf_Die die, Dwarf_Half tag, uint64_t off, void *ctx,
                           wb_error *err)
{
    sym_walk *w = ctx;
    bool record = false, descend = false, func = false;
    switch (tag) {
    case DW_TAG_namespace: descend = true; break;
    case DW_TAG_structure_type:
    case DW_TAG_class_type:
    case DW_TAG_union_type: record = descend = true; break;
    case DW_TAG_enumeration_type:
    case DW_TAG_typedef:
    case DW_TAG_base_type:
    case DW_TAG_unspecified_type:
    case DW_TAG_variable: record = true; break;
    case DW_TAG_member:
        /* DWARF 4 static data members: declarations that definitions
         * name through DW_AT_specification */
        record = has_attr(d, die, DW_AT_declaration);
        break;
    case DW_TAG_subprogram:
    case DW_TAG_lexical_block: descend = func = true; break;
    default: break;
    }
    const char *name = NULL;
    wb_status st;
    if (record || tag == DW_TAG_namespace) {
        if ((st = attr_string(d, die, DW_AT_name, &name, err)) == WB_ERROR) return st;
    }
    if (record) {
        if (!wb_grow((void **)&w->v, &w->cap, w->n + 1, sizeof *w->v))
            return wb_fail(err, "out of memory");
        sym *s = &w->v[w->n];
        memset(s, 0, sizeof *s);
        s->off = off;
        s->tag = tag;
        s->name = name;
        s->qname = name;
        if (name && w->qual[0] && !w->in_func) {
            size_t n = strlen(w->qual) + strlen(name) + 1;
            char *q = arena_alloc(&d->mem, n);
            if (!q) return wb_fail(err, "out of memory");
            snprintf(q, n, "%s%s", w->qual, name);
            s->qname = q;
        }
        if (has_attr(d, die, DW_AT_declaration)) s->flags |= SYM_DECL;
        if (w->in_func) s->flags |= SYM_LOCAL;
        if (tag == DW_TAG_variable || tag == DW_TAG_member) {
            if (has_attr(d, die, DW_AT_location) || has_attr(d, die, DW_AT_const_value))
                s->flags |= SYM_LOC;
            uint64_t spec = 0;
            if ((st = attr_ref(d, die, DW_AT_specification, &spec, err)) == WB_ERROR) return st;
            if (st == WB_OK) s->spec = spec;
        }
        w->n++;
    }
    if (tag == DW_TAG_enumeration_type) {
        /* enumerators are names of the enclosing scope (`print RED`) */
        w->enum_off = off;
        return each_child(d, die, sym_enumerator, w, err);
    }
    if (!descend) return WB_OK;
    if (!name && !func && (tag == DW_TAG_namespace))
        name = "(anonymous namespace)";
    else if (!name && !func)
        name = "(anonymous)";
    return sym_children(d, w, die, func ? NULL : name, func || w->in_func, err);
}

static int cmp_sym(const void *a, const void *b)
{
    const sym *x = a, *y = b;
    return (x->off > y->off) - (x->off < y->off);
}

static wb_status load_syms(wb_dwarf *d, unit *u, wb_error *err);

/* The indexed DIE at `off` (any unit), or NULL. */
static sym *sym_at(wb_dwarf *d, uint64_t off)
{
    unit *u = unit_of_offset(d, off);
    wb_error tmp;
    if (!u || (u->syms_state != ST_OK && load_syms(d, u, &tmp) != WB_OK)) return NULL;
    size_t lo = 0, hi = u->nsyms;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (u->syms[mid].off < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < u->nsyms && u->syms[lo].off == off ? &u->syms[lo] : NULL;
}

static wb_status load_syms(wb_dwarf *d, unit *u, wb_error *err)
{
    sym_walk w;
    wb_error tmp;
    if (u->syms_state == ST_OK || u->syms_state == ST_BUSY) return WB_OK;
    if (u->syms_state == ST_BAD) return wb_fail(err, "%s", u->syms_err);
    memset(&w, 0, sizeof w);
    w.u = u;
    u->syms_state = ST_BUSY;
    uint64_t v = 0;
    if (attr_udata(d, u->die, DW_AT_language, &v, &tmp) == WB_OK) u->lang = v;
    u->addr_base = attr_secoff(d, u->die, DW_AT_addr_base, &v, &tmp) == WB_OK ? v : 8;
    u->loclists_base = attr_secoff(d, u->die, DW_AT_loclists_base, &v, &tmp) == WB_OK ? v : 12;
    wb_status st = sym_children(d, &w, u->die, NULL, false, &tmp);
    if (st != WB_OK) {
        free(w.v);
        snprintf(u->syms_err, sizeof u->syms_err, "%s", tmp.msg);
        u->syms_state = ST_BAD;
        return wb_fail(err, "%s", tmp.msg);
    }
    /* pre-order: already sorted, unless the walk met out-of-order DIEs */
    if (w.n) qsort(w.v, w.n, sizeof *w.v, cmp_sym);
    u->syms = w.v;
    u->nsyms = w.n;
    u->syms_state = ST_OK;
    /* definitions named through their declarations (C++ static members,
     * namespace variables defined out of line): the name from the first
     * DIE of the chain that has one, the qualified name from the last */
    for (size_t i = 0; i < u->nsyms; i++) {
        sym *s = &u->syms[i];
        const sym *x = s;
        for (int k = 0; k < MAX_ORIGIN_DEPTH && x->spec; k++) {
            const sym *y = sym_at(d, x->spec);
            if (!y || y == x) break;
            x = y;
            if (!s->name) s->name = x->name;
            if (x->qname) s->qname = x->qname;
        }
    }
    return WB_OK;
}

/* ---- types */

static wb_type *void_type(wb_dwarf *d)
{
    if (!d->void_type) {
        d->void_type = arena_alloc(&d->mem, sizeof *d->void_type);
        if (d->void_type) {
            memset(d->void_type, 0, sizeof *d->void_type);
            d->void_type->kind = WB_TYPE_VOID;
            d->void_type->name = d->void_type->qualified_name = "void";
        }
    }
    return d->void_type;
}

/* The type object for the DIE at `off`, queued for filling when new. */
static tnode *type_ref(wb_dwarf *d, uint64_t off, wb_error *err)
{
    tnode *n = omap_get(&d->types, off);
    if (n) return n;
    n = arena_alloc(&d->mem, sizeof *n);
    if (!n) return wb_fail(err, "out of memory"), NULL;
    memset(n, 0, sizeof *n);
    n->t.kind = WB_TYPE_UNKNOWN;
    n->t.die_offset = off;
    if (!omap_put(&d->types, off, n) || !tq_push(&d->pending, n))
        return wb_fail(err, "out of memory"), NULL;
    return n;
}

/* The type named by DW_AT_type of `die`: void when absent. */
static wb_status type_attr(wb_dwarf *d, Dwarf_Die die, const wb_type **out, wb_error *err)
{
    uint64_t off = 0;
    wb_status st = attr_ref(d, die, DW_AT_type, &off, err);
    if (st == WB_ERROR) return st;
    if (st == WB_NOT_FOUND) {
        *out = void_type(d);
        return *out ? WB_OK : wb_fail(err, "out of memory");
    }
    tnode *n = type_ref(d, off, err);
    if (!n) return WB_ERROR;
    *out = &n->t;
    return WB_OK;
}

static wb_base_enc base_enc(uint64_t ate, uint64_t size)
{
    switch (ate) {
    case DW_ATE_boolean: return WB_ENC_BOOL;
    case DW_ATE_float: return WB_ENC_FLOAT;
    case DW_ATE_signed_char: return WB_ENC_SIGNED_CHAR;
    case DW_ATE_unsigned_char: return size == 1 ? WB_ENC_UNSIGNED_CHAR : WB_ENC_UNSIGNED;
    case DW_ATE_UTF: return size == 1 ? WB_ENC_UNSIGNED_CHAR : WB_ENC_UTF;
    case DW_ATE_signed: return WB_ENC_SIGNED;
    default: return WB_ENC_UNSIGNED;
    }
}

/* An incomplete struct/union/class/enum's definition: a DIE of the same
 * tag and qualified name with members, in this unit first. 0: none. */
static uint64_t find_definition(wb_dwarf *d, unit *home, Dwarf_Half tag, const char *qname)
{
    wb_error tmp;
    if (!qname) return 0;
    for (size_t pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < d->nunits; i++) {
            unit *u = &d->units[i];
            if ((pass == 0) != (u == home)) continue;
            if (load_syms(d, u, &tmp) != WB_OK) continue;
            for (size_t k = 0; k < u->nsyms; k++) {
                const sym *s = &u->syms[k];
                bool same = s->tag == tag ||
                            ((s->tag == DW_TAG_class_type || s->tag == DW_TAG_structure_type) &&
                             (tag == DW_TAG_class_type || tag == DW_TAG_structure_type));
                if (same && !(s->flags & SYM_DECL) && s->qname && !(s->flags & SYM_LOCAL) &&
                    strcmp(s->qname, qname) == 0)
                    return s->off;
            }
        }
    return 0;
}

typedef struct fill_ctx {
    tnode *n;
    wb_member *members;
    uint64_t *bitpos;
    size_t nmembers, mcap;
    uint64_t dims[MAX_DIMS];
    size_t ndims;
    wb_enumerator *enums;
    size_t nenums, ecap;
    const wb_type **params;
    size_t nparams, pcap;
    bool subprogram;    /* a function's own DIE: artificial parameters (C++
                           `this`) are not part of its type as gdb prints it */
    uint64_t discr_die; /* a Rust enum's DW_AT_discr, its discriminant, */
    bool have_discr;    /* read into discr */
    wb_member discr;
    wb_variant *variants;
    size_t nvariants, vcap;
} fill_ctx;

/* DW_AT_data_member_location: a constant, or (DWARF 2) an expression
 * DW_OP_plus_uconst N. */
static wb_status member_offset(wb_dwarf *d, Dwarf_Die die, uint64_t *out, wb_error *err)
{
    Dwarf_Attribute a = NULL;
    Dwarf_Error e = NULL;
    Dwarf_Half form = 0;
    *out = 0;
    wb_status st = attr_get(d, die, DW_AT_data_member_location, &a, err);
    if (st != WB_OK) return st == WB_NOT_FOUND ? WB_OK : st; /* unions: 0 */
    int rc = dwarf_whatform(a, &form, &e);
    dwarf_dealloc_attribute(a);
    if (rc != DW_DLV_OK) return dw_fail(d, e, err, "DW_AT_data_member_location form");
    if (form == DW_FORM_exprloc || form == DW_FORM_block1 || form == DW_FORM_block2 ||
        form == DW_FORM_block4 || form == DW_FORM_block) {
        const uint8_t *p = NULL;
        size_t len = 0;
        if ((st = attr_exprloc(d, die, DW_AT_data_member_location, &p, &len, err)) != WB_OK)
            return st;
        rd r = {p, 1, len, false};
        if (len < 2 || p[0] != DW_OP_plus_uconst)
            return wb_fail(err, "unsupported DW_AT_data_member_location expression");
        *out = rd_uleb(&r);
        if (r.bad || r.pos != len)
            return wb_fail(err, "unsupported DW_AT_data_member_location expression");
        return WB_OK;
    }
    return attr_udata(d, die, DW_AT_data_member_location, out, err);
}

/* One DW_TAG_member or DW_TAG_inheritance into *m; *pos_out: its
 * DW_AT_data_bit_offset, or UINT64_MAX. */
static wb_status member_read(wb_dwarf *d, Dwarf_Die die, Dwarf_Half tag, wb_member *m,
                             uint64_t *pos_out, wb_error *err)
{
    wb_status st;
    memset(m, 0, sizeof *m);
    m->is_base = tag == DW_TAG_inheritance;
    if (!m->is_base && (st = attr_string(d, die, DW_AT_name, &m->name, err)) == WB_ERROR) return st;
    if ((st = type_attr(d, die, &m->type, err)) != WB_OK) return st;
    if ((st = member_offset(d, die, &m->offset, err)) != WB_OK) return st;
    uint64_t bits = 0, bitoff = 0, bytes = 0, pos = UINT64_MAX;
    if ((st = attr_udata(d, die, DW_AT_bit_size, &bits, err)) == WB_ERROR) return st;
    if (st == WB_OK) {
        if (bits == 0 || bits > 64)
            return wb_fail(err, "corrupt DWARF: bit size %llu", (unsigned long long)bits);
        m->bit_size = (uint32_t)bits;
        if ((st = attr_udata(d, die, DW_AT_data_bit_offset, &pos, err)) == WB_ERROR) return st;
        if (st == WB_NOT_FOUND) {
            /* DWARF 2/3: DW_AT_bit_offset counts from the most
             * significant bit of DW_AT_byte_size bytes at the member
             * location (5.7.6 of DWARF 3); little-endian storage puts
             * the lowest bit at size*8 - bit_offset - bit_size */
            pos = UINT64_MAX;
            if ((st = attr_udata(d, die, DW_AT_bit_offset, &bitoff, err)) == WB_ERROR) return st;
            if ((st = attr_udata(d, die, DW_AT_byte_size, &bytes, err)) == WB_ERROR) return st;
            if (bytes == 0 || bytes > 8 || bitoff + bits > bytes * 8)
                return wb_fail(err, "corrupt DWARF: bitfield without a usable "
                                    "DW_AT_byte_size/DW_AT_bit_offset");
            m->bit_offset = (uint32_t)(bytes * 8 - bitoff - bits);
        } else if (pos > UINT32_MAX * 8ull) {
            return wb_fail(err, "corrupt DWARF: bit offset %llu", (unsigned long long)pos);
        }
    }
    *pos_out = pos;
    return WB_OK;
}

/* The children of a DW_TAG_variant: the variant's member. */
static wb_status variant_child(wb_dwarf *d, Dwarf_Die die, Dwarf_Half tag, uint64_t off, void *ctx,
                               wb_error *err)
{
    fill_ctx *c = ctx;
    (void)off;
    if (tag != DW_TAG_member) return WB_OK;
    if (c->nvariants && c->variants[c->nvariants - 1].member.type)
        return wb_fail(err, "corrupt DWARF: a variant with two members");
    uint64_t pos = UINT64_MAX;
    return member_read(d, die, tag, &c->variants[c->nvariants - 1].member, &pos, err);
}

/* The children of a DW_TAG_variant_part: the discriminant's member and
 * the variants. */
static wb_status variant_part_child(wb_dwarf *d, Dwarf_Die die, Dwarf_Half tag, uint64_t off,
                                    void *ctx, wb_error *err)
{
    fill_ctx *c = ctx;
    wb_status st;
    uint64_t pos = UINT64_MAX;
    if (tag == DW_TAG_member) {
        if (off != c->discr_die || c->have_discr) return WB_OK;
        c->have_discr = true;
        return member_read(d, die, tag, &c->discr, &pos, err);
    }
    if (tag != DW_TAG_variant) return WB_OK;
    if (!wb_grow((void **)&c->variants, &c->vcap, c->nvariants + 1, sizeof *c->variants))
        return wb_fail(err, "out of memory");
    wb_variant *v = &c->variants[c->nvariants++];
    memset(v, 0, sizeof *v);
    int64_t val = 0;
    if ((st = attr_sdata(d, die, DW_AT_discr_value, &val, NULL, err)) == WB_ERROR) return st;
    v->has_value = st == WB_OK;
    v->value = (uint64_t)val;
    if ((st = each_child(d, die, variant_child, c, err)) != WB_OK) return st;
    if (!v->member.type) c->nvariants--; /* no member: nothing to show */
    return WB_OK;
}

static wb_status fill_child(wb_dwarf *d, Dwarf_Die die, Dwarf_Half tag, uint64_t off, void *ctx,
                            wb_error *err)
{
    fill_ctx *c = ctx;
    wb_type *t = &c->n->t;
    wb_status st;
    (void)off;
    if ((t->kind == WB_TYPE_STRUCT || t->kind == WB_TYPE_UNION) &&
        (tag == DW_TAG_member || tag == DW_TAG_inheritance)) {
        /* static data members (DWARF 4: DW_TAG_member declarations) are
         * variables, not storage */
        if (tag == DW_TAG_member && has_attr(d, die, DW_AT_declaration)) return WB_OK;
        if (!wb_grow((void **)&c->members, &c->mcap, c->nmembers + 1, sizeof *c->members))
            return wb_fail(err, "out of memory");
        uint64_t pos = UINT64_MAX;
        if ((st = member_read(d, die, tag, &c->members[c->nmembers], &pos, err)) != WB_OK)
            return st;
        /* bitpos grows with members (same capacity) */
        uint64_t *nb = realloc(c->bitpos, c->mcap * sizeof *nb);
        if (!nb) return wb_fail(err, "out of memory");
        c->bitpos = nb;
        c->bitpos[c->nmembers] = pos;
        c->nmembers++;
        return WB_OK;
    }
    if (t->kind == WB_TYPE_STRUCT && tag == DW_TAG_variant_part) {
        /* a Rust enum: its discriminant and variants (one part only) */
        if (t->has_variants) return wb_fail(err, "corrupt DWARF: two variant parts in one type");
        t->has_variants = true;
        c->discr_die = 0;
        if ((st = attr_ref(d, die, DW_AT_discr, &c->discr_die, err)) == WB_ERROR) return st;
        return each_child(d, die, variant_part_child, c, err);
    }
    if (t->kind == WB_TYPE_ARRAY &&
        (tag == DW_TAG_subrange_type || tag == DW_TAG_enumeration_type)) {
        if (c->ndims >= MAX_DIMS) return wb_fail(err, "corrupt DWARF: too many array dimensions");
        int64_t count = 0, lo = 0, hi = 0;
        Dwarf_Half form = 0;
        st = attr_sdata(d, die, DW_AT_count, &count, &form, err);
        if (st == WB_ERROR) return st;
        if (st == WB_NOT_FOUND) {
            count = 0;
            if ((st = attr_sdata(d, die, DW_AT_lower_bound, &lo, NULL, err)) == WB_ERROR) return st;
            if ((st = attr_sdata(d, die, DW_AT_upper_bound, &hi, &form, err)) == WB_ERROR)
                return st;
            if (st == WB_OK && hi >= lo && hi - lo < INT64_MAX) count = hi - lo + 1;
        }
        /* -1 or a non-constant (VLA) bound: unknown */
        c->dims[c->ndims++] = count > 0 ? (uint64_t)count : 0;
        return WB_OK;
    }
    if (t->kind == WB_TYPE_ENUM && tag == DW_TAG_enumerator) {
        if (!wb_grow((void **)&c->enums, &c->ecap, c->nenums + 1, sizeof *c->enums))
            return wb_fail(err, "out of memory");
        wb_enumerator *en = &c->enums[c->nenums];
        memset(en, 0, sizeof *en);
        if ((st = attr_string(d, die, DW_AT_name, &en->name, err)) == WB_ERROR) return st;
        if (!en->name) en->name = "?";
        if ((st = attr_sdata(d, die, DW_AT_const_value, &en->value, NULL, err)) == WB_ERROR)
            return st;
        c->nenums++;
        return WB_OK;
    }
    if (t->kind == WB_TYPE_FUNCTION) {
        if (tag == DW_TAG_unspecified_parameters) t->varargs = true;
        if (tag != DW_TAG_formal_parameter) return WB_OK;
        if (c->subprogram && attr_flag(d, die, DW_AT_artificial)) return WB_OK;
        if (!wb_grow((void **)&c->params, &c->pcap, c->nparams + 1, sizeof *c->params))
            return wb_fail(err, "out of memory");
        if ((st = type_attr(d, die, &c->params[c->nparams], err)) != WB_OK) return st;
        c->nparams++;
    }
    return WB_OK;
}

/* Copies a malloc'd array into the arena. */
static const void *arena_copy(wb_dwarf *d, const void *p, size_t bytes)
{
    if (!bytes) return NULL;
    void *q = arena_alloc(&d->mem, bytes);
    if (q) memcpy(q, p, bytes);
    return q;
}

/* Fills one queued type from its DIE. */
static wb_status type_fill(wb_dwarf *d, tnode *n, wb_error *err)
{
    Dwarf_Die die = NULL;
    Dwarf_Half tag = 0;
    unit *u = NULL;
    wb_type *t = &n->t;
    fill_ctx c;
    memset(&c, 0, sizeof c);
    c.n = n;
    wb_status st = die_at(d, t->die_offset, &die, &u, err);
    if (st != WB_OK) return st;
    if ((st = die_tag(d, die, &tag, err)) != WB_OK) goto out;
    const char *name = NULL;
    if ((st = attr_string(d, die, DW_AT_name, &name, err)) == WB_ERROR) goto out;
    uint64_t size = 0;
    if ((st = attr_udata(d, die, DW_AT_byte_size, &size, err)) == WB_ERROR) goto out;
    const sym *s = name ? sym_at(d, t->die_offset) : NULL;
    t->name = name;
    t->qualified_name = s && s->qname ? s->qname : name;
    t->size = size;
    t->rust = u && u->lang == DW_LANG_Rust;
    st = WB_OK;
    bool children = false;
    switch (tag) {
    case DW_TAG_base_type: {
        uint64_t ate = 0;
        t->kind = WB_TYPE_BASE;
        if ((st = attr_udata(d, die, DW_AT_encoding, &ate, err)) == WB_ERROR) goto out;
        t->enc = base_enc(ate, size);
        st = WB_OK;
        break;
    }
    case DW_TAG_unspecified_type: /* decltype(nullptr) */ t->kind = WB_TYPE_VOID; break;
    case DW_TAG_pointer_type:
    case DW_TAG_reference_type:
    case DW_TAG_rvalue_reference_type:
        t->kind = tag == DW_TAG_pointer_type ? WB_TYPE_POINTER : WB_TYPE_REFERENCE;
        t->name = t->qualified_name = NULL;
        if (!t->size) t->size = 4; /* wasm32 */
        st = type_attr(d, die, &t->target, err);
        break;
    case DW_TAG_const_type:
    case DW_TAG_volatile_type:
        t->kind = tag == DW_TAG_const_type ? WB_TYPE_CONST : WB_TYPE_VOLATILE;
        st = type_attr(d, die, &t->target, err);
        break;
    case DW_TAG_restrict_type:
    case DW_TAG_atomic_type: {
        /* not in the model: the same as the qualified type */
        const wb_type *target = NULL;
        if ((st = type_attr(d, die, &target, err)) != WB_OK) goto out;
        n->copy_of = (tnode *)(uintptr_t)target; /* every target is a tnode or void */
        if (target == d->void_type) {
            *t = *target;
            n->copy_of = NULL;
        }
        break;
    }
    case DW_TAG_typedef:
        t->kind = WB_TYPE_TYPEDEF;
        if (!t->name) t->name = t->qualified_name = "?";
        st = type_attr(d, die, &t->target, err);
        break;
    case DW_TAG_structure_type:
    case DW_TAG_class_type:
    case DW_TAG_union_type:
    case DW_TAG_enumeration_type:
        t->kind = tag == DW_TAG_union_type         ? WB_TYPE_UNION
                  : tag == DW_TAG_enumeration_type ? WB_TYPE_ENUM
                                                   : WB_TYPE_STRUCT;
        t->is_class = tag == DW_TAG_class_type;
        t->enc = WB_ENC_SIGNED;
        if (has_attr(d, die, DW_AT_declaration)) {
            uint64_t def = find_definition(d, u, tag, t->qualified_name);
            t->declaration = true;
            if (def && def != t->die_offset) {
                tnode *dn = type_ref(d, def, err);
                if (!dn) {
                    st = WB_ERROR;
                    goto out;
                }
                n->copy_of = dn;
                break;
            }
        }
        if (tag == DW_TAG_enumeration_type) {
            const wb_type *under = NULL;
            uint64_t toff = 0;
            if ((st = attr_ref(d, die, DW_AT_type, &toff, err)) == WB_ERROR) goto out;
            if (st == WB_OK && (st = type_attr(d, die, &under, err)) != WB_OK) goto out;
            t->target = under;
            st = WB_OK;
        }
        children = true;
        break;
    case DW_TAG_array_type:
        t->kind = WB_TYPE_ARRAY;
        t->name = t->qualified_name = NULL;
        t->vector = has_attr(d, die, DW_AT_GNU_vector);
        st = type_attr(d, die, &t->target, err);
        children = true;
        break;
    case DW_TAG_subprogram: /* wb_dwarf_symbols: a function's type */
        c.subprogram = true;
        __attribute__((fallthrough));
    case DW_TAG_subroutine_type: {
        uint64_t toff = 0;
        t->kind = WB_TYPE_FUNCTION;
        t->name = t->qualified_name = NULL;
        t->size = 0;
        if ((st = attr_ref(d, die, DW_AT_type, &toff, err)) == WB_ERROR) goto out;
        if (st == WB_OK && (st = type_attr(d, die, &t->target, err)) != WB_OK) goto out;
        st = WB_OK;
        children = true;
        break;
    }
    default: {
        const char *tn = NULL;
        t->kind = WB_TYPE_UNKNOWN;
        if (dwarf_get_TAG_name(tag, &tn) != DW_DLV_OK) tn = "DW_TAG_?";
        t->name = t->qualified_name = tn;
        break;
    }
    }
    if (st != WB_OK) goto out;
    if (children && (st = each_child(d, die, fill_child, &c, err)) != WB_OK) goto out;
    if (c.nmembers) {
        t->members = arena_copy(d, c.members, c.nmembers * sizeof *c.members);
        t->nmembers = c.nmembers;
        bool any = false;
        for (size_t i = 0; i < c.nmembers; i++)
            any |= c.bitpos[i] != UINT64_MAX;
        if (any)
            n->bitpos =
                (uint64_t *)(uintptr_t)arena_copy(d, c.bitpos, c.nmembers * sizeof *c.bitpos);
        if (!t->members || (any && !n->bitpos)) st = wb_fail(err, "out of memory");
        /* base classes first (DWARF lists them first anyway) */
        wb_member *m = (wb_member *)(uintptr_t)t->members;
        for (size_t i = 1; i < c.nmembers && st == WB_OK; i++)
            for (size_t j = i; j > 0 && m[j].is_base && !m[j - 1].is_base; j--) {
                wb_member x = m[j];
                m[j] = m[j - 1];
                m[j - 1] = x;
                if (n->bitpos) {
                    uint64_t b = n->bitpos[j];
                    n->bitpos[j] = n->bitpos[j - 1];
                    n->bitpos[j - 1] = b;
                }
            }
    }
    if (c.ndims) {
        t->dims = arena_copy(d, c.dims, c.ndims * sizeof *c.dims);
        t->ndims = c.ndims;
        if (!t->dims) st = wb_fail(err, "out of memory");
    } else if (t->kind == WB_TYPE_ARRAY) {
        static const uint64_t unknown = 0;
        t->dims = &unknown; /* int a[]: one dimension of unknown size */
        t->ndims = 1;
    }
    if (c.nenums) {
        t->enumerators = arena_copy(d, c.enums, c.nenums * sizeof *c.enums);
        t->nenumerators = c.nenums;
        if (!t->enumerators) st = wb_fail(err, "out of memory");
    }
    if (c.nvariants) {
        t->variants = arena_copy(d, c.variants, c.nvariants * sizeof *c.variants);
        t->nvariants = c.nvariants;
        if (!t->variants) st = wb_fail(err, "out of memory");
    }
    if (c.have_discr && !(t->discr = arena_copy(d, &c.discr, sizeof c.discr)))
        st = wb_fail(err, "out of memory");
    if (c.nparams) {
        t->params = arena_copy(d, c.params, c.nparams * sizeof *c.params);
        t->nparams = c.nparams;
        if (!t->params) st = wb_fail(err, "out of memory");
    }
out:
    free(c.members);
    free(c.bitpos);
    free(c.enums);
    free(c.params);
    free(c.variants);
    dwarf_dealloc_die(die);
    return st;
}

static bool chain_kind(wb_type_kind k)
{
    return k == WB_TYPE_POINTER || k == WB_TYPE_REFERENCE || k == WB_TYPE_CONST ||
           k == WB_TYPE_VOLATILE || k == WB_TYPE_TYPEDEF || k == WB_TYPE_ARRAY;
}

/* Size in bytes (typedefs and qualifiers followed, arrays multiplied
 * out); 0 when unknown or absurd. Chains are bounded (checked first). */
static uint64_t tsize(const wb_type *t)
{
    uint64_t mult = 1;
    for (int i = 0; t && i <= MAX_TYPE_CHAIN; i++) {
        switch (t->kind) {
        case WB_TYPE_TYPEDEF:
        case WB_TYPE_CONST:
        case WB_TYPE_VOLATILE: t = t->target; continue;
        case WB_TYPE_ARRAY:
            if (t->size) return t->size <= UINT32_MAX / mult ? t->size * mult : 0;
            for (size_t k = 0; k < t->ndims; k++) {
                if (t->dims[k] == 0) return 0; /* int a[]: unknown */
                if (mult > UINT32_MAX / t->dims[k]) return 0;
                mult *= t->dims[k];
            }
            t = t->target;
            continue;
        default:
            if (t->size && mult > UINT32_MAX / t->size) return 0;
            return t->size * mult;
        }
    }
    return 0;
}

static void mark_corrupt(wb_type *t, const char *why)
{
    memset(t, 0, offsetof(wb_type, die_offset));
    t->kind = WB_TYPE_UNKNOWN;
    t->name = t->qualified_name = why;
}

/* The work after a drain (see the comment at the top of this part). */
static void types_finish(wb_dwarf *d)
{
    /* copies, in dependency order; what is left is a cycle */
    for (bool progress = true; progress;) {
        progress = false;
        for (size_t i = 0; i < d->copies.n; i++) {
            tnode *n = d->copies.v[i];
            if (n->filled || !n->copy_of->filled) continue;
            uint64_t off = n->t.die_offset;
            bool was_decl = n->t.declaration;
            n->t = n->copy_of->t;
            if (n->t.kind == WB_TYPE_STRUCT || n->t.kind == WB_TYPE_UNION ||
                n->t.kind == WB_TYPE_ENUM)
                n->t.declaration = n->t.declaration && was_decl;
            else
                n->t.die_offset = off;
            n->filled = progress = true;
        }
    }
    for (size_t i = 0; i < d->copies.n; i++) {
        tnode *n = d->copies.v[i];
        if (!n->filled) {
            mark_corrupt(&n->t, "<corrupt DWARF: type cycle>");
            n->filled = true;
        }
        if (!tq_push(&d->done, n)) mark_corrupt(&n->t, "<out of memory>");
    }
    d->copies.n = 0;
    /* chains that do not end */
    for (size_t i = 0; i < d->done.n; i++) {
        const wb_type *t = &d->done.v[i]->t;
        int k = 0;
        while (t && chain_kind(t->kind) && k <= MAX_TYPE_CHAIN) {
            t = t->target;
            k++;
        }
        if (k > MAX_TYPE_CHAIN) mark_corrupt(&d->done.v[i]->t, "<corrupt DWARF: type cycle>");
    }
    for (size_t i = 0; i < d->done.n; i++) {
        tnode *n = d->done.v[i];
        wb_type *t = &n->t;
        if (t->kind == WB_TYPE_ARRAY && !t->size) t->size = tsize(t);
        if (t->kind == WB_TYPE_ENUM) {
            const wb_type *b = t->target;
            for (int k = 0; b && k < MAX_TYPE_CHAIN && chain_kind(b->kind) &&
                            b->kind != WB_TYPE_POINTER && b->kind != WB_TYPE_ARRAY;
                 k++)
                b = b->target;
            if (b && b->kind == WB_TYPE_BASE)
                t->enc = b->enc == WB_ENC_UNSIGNED || b->enc == WB_ENC_UNSIGNED_CHAR ||
                                 b->enc == WB_ENC_BOOL || b->enc == WB_ENC_UTF
                             ? WB_ENC_UNSIGNED
                             : WB_ENC_SIGNED;
            /* values read unsigned from data forms: sign-extend by size */
            if (t->enc == WB_ENC_SIGNED && t->size > 0 && t->size < 8) {
                wb_enumerator *e = (wb_enumerator *)(uintptr_t)t->enumerators;
                uint64_t sign = (uint64_t)1 << (t->size * 8 - 1);
                for (size_t k = 0; k < t->nenumerators; k++) {
                    uint64_t v = (uint64_t)e[k].value;
                    if (v < (sign << 1)) e[k].value = (int64_t)((v ^ sign) - sign);
                }
            }
        }
        if (n->bitpos) {
            /* DW_AT_data_bit_offset counts from the start of the struct:
             * the storage is the aligned unit of the member type's size
             * holding the field, or the byte holding its first bit when
             * the field straddles units (packed structs) */
            wb_member *m = (wb_member *)(uintptr_t)t->members;
            for (size_t k = 0; k < t->nmembers; k++) {
                uint64_t pos = n->bitpos[k];
                if (pos == UINT64_MAX) continue;
                uint64_t sz = tsize(m[k].type);
                uint64_t unit_bits = sz * 8;
                if ((sz == 1 || sz == 2 || sz == 4 || sz == 8) &&
                    pos % unit_bits + m[k].bit_size <= unit_bits &&
                    (!t->size || pos / unit_bits * sz + sz <= t->size)) {
                    m[k].offset = pos / unit_bits * sz;
                    m[k].bit_offset = (uint32_t)(pos % unit_bits);
                } else {
                    m[k].offset = pos / 8;
                    m[k].bit_offset = (uint32_t)(pos % 8);
                }
            }
        }
    }
    d->done.n = 0;
}

/* The type at DIE offset `off`, complete with everything it reaches. */
static wb_status type_get(wb_dwarf *d, uint64_t off, const wb_type **out, wb_error *err)
{
    wb_status st = WB_OK;
    tnode *top = type_ref(d, off, err);
    if (!top) return WB_ERROR;
    /* FIFO: a bounded amount of work per new DIE */
    for (size_t i = 0; i < d->pending.n; i++) {
        tnode *n = d->pending.v[i];
        wb_error tmp;
        if (type_fill(d, n, &tmp) != WB_OK) {
            if (st == WB_OK) *err = tmp;
            st = WB_ERROR;
            mark_corrupt(&n->t, "<corrupt DWARF>");
            n->copy_of = NULL;
        }
        if (n->copy_of) {
            if (!tq_push(&d->copies, n)) mark_corrupt(&n->t, "<out of memory>");
            continue;
        }
        n->filled = true;
        if (!tq_push(&d->done, n)) {
            mark_corrupt(&n->t, "<out of memory>");
            st = wb_fail(err, "out of memory");
        }
    }
    d->pending.n = 0;
    types_finish(d);
    *out = &top->t;
    return st;
}

/* ---- locations */

typedef struct loc_vec {
    wb_loc_range *v;
    size_t n, cap;
} loc_vec;

static wb_status addr_at(wb_dwarf *d, unit *u, uint64_t idx, uint64_t *out, wb_error *err)
{
    const struct dsec *s = sec_named(d, ".debug_addr");
    uint64_t asz = 4;
    if (!s) return wb_fail(err, "corrupt DWARF: no .debug_addr for an address index");
    if (u->addr_base >= 8 && u->addr_base <= s->size) asz = s->data[u->addr_base - 2];
    if (asz != 4 && asz != 8) return wb_fail(err, "corrupt DWARF: .debug_addr address size");
    if (idx > (s->size / asz) || u->addr_base > s->size || idx * asz + asz > s->size - u->addr_base)
        return wb_fail(err, "corrupt DWARF: address index %llu is past .debug_addr",
                       (unsigned long long)idx);
    rd r = {s->data, (size_t)(u->addr_base + idx * asz), s->size, false};
    *out = rd_fixed(&r, (size_t)asz);
    return WB_OK;
}

/* DW_OP_addrx / DW_OP_constx at the start of an expression (how clang
 * writes DWARF 5 global locations) become DW_OP_addr / DW_OP_const4u, so
 * the evaluator (which has no .debug_addr) can run them. */
static wb_status expr_fix(wb_dwarf *d, unit *u, const uint8_t **expr, size_t *len, wb_error *err)
{
    const uint8_t *p = *expr;
    if (*len == 0 || (p[0] != DW_OP_addrx && p[0] != DW_OP_constx && p[0] != DW_OP_GNU_addr_index))
        return WB_OK;
    rd r = {p, 1, *len, false};
    uint64_t idx = rd_uleb(&r), addr = 0;
    if (r.bad) return wb_fail(err, "corrupt DWARF: truncated DW_OP_addrx");
    if (addr_at(d, u, idx, &addr, err) != WB_OK) return WB_ERROR;
    size_t rest = *len - r.pos;
    uint8_t *q = arena_alloc(&d->mem, 5 + rest);
    if (!q) return wb_fail(err, "out of memory");
    q[0] = p[0] == DW_OP_constx ? DW_OP_const4u : DW_OP_addr;
    for (int i = 0; i < 4; i++)
        q[1 + i] = (uint8_t)(addr >> (8 * i));
    memcpy(q + 5, p + r.pos, rest);
    *expr = q;
    *len = 5 + rest;
    return WB_OK;
}

/* Adds [lo, hi) with its expression: empty ranges, ranges outside the
 * Code section and ranges of tombstoned code (wasm-ld writes 0 or -2 as
 * the address of discarded functions) are dropped. */
static wb_status loc_add(wb_dwarf *d, unit *u, loc_vec *lv, uint64_t lo, uint64_t hi,
                         const uint8_t *expr, size_t len, wb_error *err)
{
    bool everywhere = lo == 0 && hi == UINT32_MAX;
    if (!everywhere && (lo >= hi || lo == 0 || hi > d->code_size)) return WB_OK;
    if (lv->n >= MAX_LIST) return wb_fail(err, "corrupt DWARF: location list too long");
    if (expr_fix(d, u, &expr, &len, err) != WB_OK) return WB_ERROR;
    if (!wb_grow((void **)&lv->v, &lv->cap, lv->n + 1, sizeof *lv->v))
        return wb_fail(err, "out of memory");
    wb_loc_range *r = &lv->v[lv->n++];
    r->lo = (wb_code_off)lo;
    r->hi = (wb_code_off)hi;
    r->expr = expr;
    r->len = len;
    return WB_OK;
}

/* A DWARF 2-4 location list in .debug_loc (DWARF 4, 2.6.2): address pairs
 * relative to the unit's base address, a base selection entry (-1, addr),
 * an end-of-list entry (0, 0); each pair has a 2-byte expression length. */
static wb_status loc_v4(wb_dwarf *d, unit *u, uint64_t off, loc_vec *lv, wb_error *err)
{
    const struct dsec *s = sec_named(d, ".debug_loc");
    if (!s || off >= s->size)
        return wb_fail(err, "corrupt DWARF: location list offset 0x%llx is past .debug_loc",
                       (unsigned long long)off);
    rd r = {s->data, (size_t)off, s->size, false};
    uint64_t base = u->base;
    for (size_t k = 0; k < MAX_LIST; k++) {
        uint64_t a = rd_fixed(&r, 4), b = rd_fixed(&r, 4);
        if (r.bad) return wb_fail(err, "corrupt DWARF: location list runs past .debug_loc");
        if (a == 0 && b == 0) return WB_OK;
        if (a == 0xffffffffu) {
            base = b;
            continue;
        }
        uint64_t len = rd_fixed(&r, 2);
        size_t at = r.pos;
        rd_skip(&r, len);
        if (r.bad) return wb_fail(err, "corrupt DWARF: location expression past .debug_loc");
        if (loc_add(d, u, lv, base + a, base + b, s->data + at, (size_t)len, err) != WB_OK)
            return WB_ERROR;
    }
    return wb_fail(err, "corrupt DWARF: location list too long");
}

/* A DWARF 5 location list in .debug_loclists (DWARF 5, 2.6.2 and 7.7.3). */
static wb_status loc_v5(wb_dwarf *d, unit *u, uint64_t off, loc_vec *lv, wb_error *err)
{
    const struct dsec *s = sec_named(d, ".debug_loclists");
    if (!s) return wb_fail(err, "corrupt DWARF: no usable .debug_loclists");
    /* the table holding the list gives its end and address size */
    size_t pos = 0, end = 0;
    uint64_t asz = 0;
    while (s->size - pos >= 12) {
        rd h = {s->data, pos, s->size, false};
        uint64_t len = rd_fixed(&h, 4);
        if (len < 8 || len > s->size - pos - 4) break;
        if (off >= pos + 12 && off < pos + 4 + len) {
            asz = s->data[pos + 6];
            end = pos + 4 + (size_t)len;
            break;
        }
        pos += 4 + (size_t)len;
    }
    if (!end || (asz != 4 && asz != 8))
        return wb_fail(err,
                       "corrupt DWARF: location list offset 0x%llx is in no "
                       ".debug_loclists table",
                       (unsigned long long)off);
    rd r = {s->data, (size_t)off, end, false};
    uint64_t base = u->base;
    bool base_dead = false;
    loc_vec defaults = {NULL, 0, 0};
    wb_status st = WB_OK;
    size_t k = 0;
    for (; k < MAX_LIST && st == WB_OK; k++) {
        uint8_t kind = (uint8_t)rd_fixed(&r, 1);
        uint64_t a = 0, b = 0, lo = 0, hi = 0;
        bool entry = true, dead = false;
        if (r.bad) break;
        switch (kind) {
        case DW_LLE_end_of_list: entry = false; break;
        case DW_LLE_base_addressx:
            a = rd_uleb(&r);
            if (!r.bad && (st = addr_at(d, u, a, &base, err)) != WB_OK) break;
            base_dead = base == 0;
            entry = false;
            break;
        case DW_LLE_startx_endx:
            a = rd_uleb(&r);
            b = rd_uleb(&r);
            if (r.bad || (st = addr_at(d, u, a, &lo, err)) != WB_OK ||
                (st = addr_at(d, u, b, &hi, err)) != WB_OK)
                break;
            break;
        case DW_LLE_startx_length:
            a = rd_uleb(&r);
            b = rd_uleb(&r);
            if (r.bad || (st = addr_at(d, u, a, &lo, err)) != WB_OK) break;
            hi = lo + b;
            break;
        case DW_LLE_offset_pair:
            a = rd_uleb(&r);
            b = rd_uleb(&r);
            lo = base + a;
            hi = base + b;
            dead = base_dead;
            break;
        case DW_LLE_default_location:
            lo = 0;
            hi = UINT32_MAX;
            break;
        case DW_LLE_base_address:
            base = rd_fixed(&r, (size_t)asz);
            base_dead = base == 0;
            entry = false;
            break;
        case DW_LLE_start_end:
            lo = rd_fixed(&r, (size_t)asz);
            hi = rd_fixed(&r, (size_t)asz);
            break;
        case DW_LLE_start_length:
            lo = rd_fixed(&r, (size_t)asz);
            hi = lo + rd_uleb(&r);
            break;
        default:
            st = wb_fail(err, "corrupt DWARF: unknown location list entry kind 0x%02x", kind);
            break;
        }
        if (st != WB_OK || r.bad) break;
        if (kind == DW_LLE_end_of_list) break;
        if (!entry) continue;
        uint64_t len = rd_uleb(&r);
        size_t at = r.pos;
        rd_skip(&r, len);
        if (r.bad) break;
        if (dead) continue;
        st = loc_add(d, u, kind == DW_LLE_default_location ? &defaults : lv, lo, hi, s->data + at,
                     (size_t)len, err);
    }
    if (st == WB_OK && r.bad)
        st = wb_fail(err, "corrupt DWARF: location list runs past its .debug_loclists table");
    if (st == WB_OK && k >= MAX_LIST) st = wb_fail(err, "corrupt DWARF: location list too long");
    /* default entries last: wb_loc_select takes the first match */
    for (size_t i = 0; i < defaults.n && st == WB_OK; i++) {
        if (!wb_grow((void **)&lv->v, &lv->cap, lv->n + 1, sizeof *lv->v))
            st = wb_fail(err, "out of memory");
        else
            lv->v[lv->n++] = defaults.v[i];
    }
    free(defaults.v);
    return st;
}

/* DW_AT_location of a variable DIE: one expression or a location list. */
static wb_status var_locations(wb_dwarf *d, unit *u, Dwarf_Die die, wb_var *v, wb_error *err)
{
    Dwarf_Attribute a = NULL;
    Dwarf_Error e = NULL;
    Dwarf_Half form = 0;
    loc_vec lv = {NULL, 0, 0};
    wb_status st = attr_get(d, die, DW_AT_location, &a, err);
    if (st != WB_OK) return st == WB_NOT_FOUND ? WB_OK : st;
    int rc = dwarf_whatform(a, &form, &e);
    uint64_t val = 0;
    if (rc == DW_DLV_OK && form == DW_FORM_loclistx) {
        Dwarf_Unsigned x = 0;
        rc = dwarf_formudata(a, &x, &e);
        val = x;
    }
    dwarf_dealloc_attribute(a);
    if (rc != DW_DLV_OK) return dw_fail(d, e, err, "reading DW_AT_location");
    switch (form) {
    case DW_FORM_exprloc:
    case DW_FORM_block1:
    case DW_FORM_block2:
    case DW_FORM_block4:
    case DW_FORM_block: {
        const uint8_t *p = NULL;
        size_t len = 0;
        if ((st = attr_exprloc(d, die, DW_AT_location, &p, &len, err)) != WB_OK) return st;
        if (len == 0) return WB_OK; /* empty: optimized out */
        st = loc_add(d, u, &lv, 0, UINT32_MAX, p, len, err);
        break;
    }
    case DW_FORM_loclistx: {
        /* an index into the offsets after the unit's table header
         * (DW_AT_loclists_base); the offset is relative to that base */
        const struct dsec *s = sec_named(d, ".debug_loclists");
        uint64_t b = u->loclists_base;
        if (!s || b < 12 || b > s->size || val >= (s->size - b) / 4)
            return wb_fail(err,
                           "corrupt DWARF: location list index %llu is past "
                           ".debug_loclists",
                           (unsigned long long)val);
        rd r = {s->data, (size_t)(b - 4), s->size, false};
        uint64_t count = rd_fixed(&r, 4);
        if (val >= count)
            return wb_fail(err, "corrupt DWARF: location list index %llu of %llu",
                           (unsigned long long)val, (unsigned long long)count);
        r.pos = (size_t)(b + 4 * val);
        uint64_t rel = rd_fixed(&r, 4);
        st = loc_v5(d, u, b + rel, &lv, err);
        break;
    }
    case DW_FORM_sec_offset:
    case DW_FORM_data4:
    case DW_FORM_data8:
        if ((st = attr_secoff(d, die, DW_AT_location, &val, err)) != WB_OK) return st;
        st = u->version >= 5 ? loc_v5(d, u, val, &lv, err) : loc_v4(d, u, val, &lv, err);
        break;
    default: st = wb_fail(err, "corrupt DWARF: DW_AT_location with form 0x%x", form); break;
    }
    if (st == WB_OK && lv.n) {
        v->locs = arena_copy(d, lv.v, lv.n * sizeof *lv.v);
        v->nlocs = lv.n;
        if (!v->locs) st = wb_fail(err, "out of memory");
    }
    free(lv.v);
    return st;
}

/* DW_AT_const_value as little-endian bytes. */
static wb_status var_const(wb_dwarf *d, Dwarf_Die die, wb_var *v, wb_error *err)
{
    Dwarf_Attribute a = NULL;
    Dwarf_Error e = NULL;
    Dwarf_Half form = 0;
    WB_TRY(attr_get(d, die, DW_AT_const_value, &a, err));
    int rc = dwarf_whatform(a, &form, &e);
    uint64_t size = tsize(v->type);
    size_t n = 0;
    uint64_t x = 0;
    const uint8_t *bytes = NULL;
    if (rc == DW_DLV_OK) switch (form) {
        case DW_FORM_block1:
        case DW_FORM_block2:
        case DW_FORM_block4:
        case DW_FORM_block:
        case DW_FORM_exprloc: {
            Dwarf_Block *b = NULL;
            rc = dwarf_formblock(a, &b, &e);
            if (rc == DW_DLV_OK) {
                bytes = b->bl_data;
                n = (size_t)b->bl_len;
                dwarf_dealloc(d->dbg, b, DW_DLA_BLOCK);
            }
            break;
        }
        case DW_FORM_data16: {
            Dwarf_Form_Data16 v16;
            rc = dwarf_formdata16(a, &v16, &e);
            if (rc == DW_DLV_OK) {
                bytes = arena_copy(d, v16.fd_data, 16);
                n = 16;
            }
            break;
        }
        case DW_FORM_string:
        case DW_FORM_strp:
        case DW_FORM_line_strp:
        case DW_FORM_strx:
        case DW_FORM_strx1:
        case DW_FORM_strx2:
        case DW_FORM_strx3:
        case DW_FORM_strx4: {
            char *str = NULL;
            rc = dwarf_formstring(a, &str, &e);
            if (rc == DW_DLV_OK) {
                bytes = (const uint8_t *)str;
                n = strlen(str) + 1;
            }
            break;
        }
        case DW_FORM_sdata:
        case DW_FORM_implicit_const: {
            Dwarf_Signed sv = 0;
            rc = dwarf_formsdata(a, &sv, &e);
            x = (uint64_t)sv;
            n = size >= 1 && size <= 8 ? (size_t)size : 8;
            break;
        }
        default: {
            Dwarf_Unsigned uv = 0;
            rc = dwarf_formudata(a, &uv, &e);
            x = uv;
            n = form == DW_FORM_data1    ? 1
                : form == DW_FORM_data2  ? 2
                : form == DW_FORM_data4  ? 4
                : form == DW_FORM_data8  ? 8
                : size >= 1 && size <= 8 ? (size_t)size
                                         : 8;
            break;
        }
        }
    dwarf_dealloc_attribute(a);
    if (rc != DW_DLV_OK) return dw_fail(d, e, err, "reading DW_AT_const_value");
    if (!bytes) {
        uint8_t *q = arena_alloc(&d->mem, 8);
        if (!q) return wb_fail(err, "out of memory");
        for (size_t i = 0; i < 8; i++)
            q[i] = (uint8_t)(x >> (8 * i));
        bytes = q;
    }
    v->has_const = true;
    v->const_bytes = bytes;
    v->const_len = n;
    return WB_OK;
}

/* The variable or parameter at `off`. `in_func`: declared in a function
 * (it needs a frame unless its location is an address). Name, type,
 * declaration place and artificial flag may come from the abstract origin
 * or specification; the location is the DIE's own. Cached. */
static wb_status var_get(wb_dwarf *d, uint64_t off, bool in_func, const wb_var **out, wb_error *err)
{
    Dwarf_Die chain[MAX_ORIGIN_DEPTH + 1];
    unit *units[MAX_ORIGIN_DEPTH + 1];
    size_t nchain = 0;
    wb_var *v = omap_get(&d->vars, off);
    if (v) {
        *out = v;
        return WB_OK;
    }
    v = arena_alloc(&d->mem, sizeof *v);
    if (!v) return wb_fail(err, "out of memory");
    memset(v, 0, sizeof *v);
    v->die_offset = off;
    wb_status st = die_at(d, off, &chain[0], &units[0], err);
    if (st != WB_OK) return st;
    nchain = 1;
    Dwarf_Half tag = 0;
    if ((st = die_tag(d, chain[0], &tag, err)) != WB_OK) goto out;
    if (tag != DW_TAG_variable && tag != DW_TAG_formal_parameter) {
        st = wb_fail(err, "corrupt DWARF: DIE 0x%llx is not a variable", (unsigned long long)off);
        goto out;
    }
    v->is_param = tag == DW_TAG_formal_parameter;
    while (nchain <= MAX_ORIGIN_DEPTH) {
        uint64_t o = 0;
        if ((st = die_origin(d, chain[nchain - 1], &o, err)) == WB_ERROR) goto out;
        if (st == WB_NOT_FOUND) break;
        if (nchain == MAX_ORIGIN_DEPTH + 1) {
            st = wb_fail(err, "corrupt DWARF: abstract origins chained too deep");
            goto out;
        }
        if ((st = die_at(d, o, &chain[nchain], &units[nchain], err)) != WB_OK) goto out;
        nchain++;
    }
    st = WB_OK;
    bool have_type = false, have_decl = false;
    for (size_t i = 0; i < nchain && st != WB_ERROR; i++) {
        uint64_t u64 = 0, toff = 0;
        if (!v->name && (st = attr_string(d, chain[i], DW_AT_name, &v->name, err)) == WB_ERROR)
            break;
        if (!have_type) {
            if ((st = attr_ref(d, chain[i], DW_AT_type, &toff, err)) == WB_ERROR) break;
            if (st == WB_OK) {
                if ((st = type_get(d, toff, &v->type, err)) != WB_OK) break;
                have_type = true;
            }
        }
        if (!have_decl) {
            if ((st = attr_udata(d, chain[i], DW_AT_decl_file, &u64, err)) == WB_ERROR) break;
            if (st == WB_OK) {
                wb_error tmp;
                have_decl = true;
                if (load_lines(d, units[i], &tmp) == WB_OK) v->decl_file = unit_file(units[i], u64);
                if ((st = attr_udata(d, chain[i], DW_AT_decl_line, &u64, err)) == WB_ERROR) break;
                if (st == WB_OK) v->decl_line = u64 > UINT32_MAX ? 0 : (uint32_t)u64;
            }
        }
        if (attr_flag(d, chain[i], DW_AT_artificial)) v->is_artificial = true;
        if (attr_flag(d, chain[i], DW_AT_external)) v->is_external = true;
        st = WB_OK;
    }
    if (st == WB_ERROR) goto out;
    if (!have_type) v->type = void_type(d);
    if (!v->type) {
        st = wb_fail(err, "out of memory");
        goto out;
    }
    if ((st = var_locations(d, units[0], chain[0], v, err)) != WB_OK) goto out;
    for (size_t i = 0; i < nchain && !v->has_const; i++)
        if ((st = var_const(d, chain[i], v, err)) == WB_ERROR) goto out;
    st = WB_OK;
    /* a frame is needed unless the variable is at a fixed address */
    v->is_global = !in_func ||
                   (v->nlocs == 1 && v->locs[0].lo == 0 && v->locs[0].hi == UINT32_MAX &&
                    v->locs[0].len > 0 && v->locs[0].expr[0] == DW_OP_addr) ||
                   (v->nlocs == 0 && v->has_const && !v->is_param && !in_func);
    if (!omap_put(&d->vars, off, v)) st = wb_fail(err, "out of memory");
out:
    for (size_t i = 0; i < nchain; i++)
        dwarf_dealloc_die(chain[i]);
    if (st == WB_OK) *out = v;
    return st;
}

/* ---- queries */

typedef struct vars_ctx {
    const wb_var **v;
    size_t n, cap;
    uint64_t *origin; /* scope_var_child: each one's DW_AT_abstract_origin, or 0 */
    size_t origin_cap;
} vars_ctx;

static wb_status scope_var_child(wb_dwarf *d, Dwarf_Die die, Dwarf_Half tag, uint64_t off,
                                 void *ctx, wb_error *err)
{
    vars_ctx *c = ctx;
    const wb_var *v = NULL;
    uint64_t o = 0;
    if (tag != DW_TAG_variable && tag != DW_TAG_formal_parameter) return WB_OK;
    if (var_get(d, off, true, &v, err) != WB_OK) return WB_ERROR;
    wb_status st = attr_ref(d, die, DW_AT_abstract_origin, &o, err);
    if (st == WB_ERROR) return st;
    if (!wb_grow((void **)&c->v, &c->cap, c->n + 1, sizeof *c->v) ||
        !wb_grow((void **)&c->origin, &c->origin_cap, c->n + 1, sizeof *c->origin))
        return wb_fail(err, "out of memory");
    c->origin[c->n] = st == WB_OK ? o : 0;
    c->v[c->n++] = v;
    return WB_OK;
}

/* An inlined call or a concrete out-of-line copy lists only the variables
 * the compiler kept (clang -O2 drops an inlined call's parameters whose
 * value is gone); the others are its abstract origin's, with no location:
 * they show as <optimized out>, as gdb shows them. The result is in the
 * origin's order, each replaced by its concrete DIE where there is one,
 * then concrete ones that name no origin. Replaces c's array. */
static wb_status inherit_abstract_vars(wb_dwarf *d, Dwarf_Die die, vars_ctx *c, wb_error *err)
{
    uint64_t o = 0;
    Dwarf_Die odie = NULL;
    wb_status st = attr_ref(d, die, DW_AT_abstract_origin, &o, err);
    if (st != WB_OK) return st == WB_NOT_FOUND ? WB_OK : st;
    if ((st = die_at(d, o, &odie, NULL, err)) != WB_OK) return st;
    vars_ctx a = {0};
    st = each_child(d, odie, scope_var_child, &a, err);
    dwarf_dealloc_die(odie);
    const wb_var **m = NULL;
    bool *used = calloc(c->n ? c->n : 1, sizeof *used);
    size_t n = 0, cap = 0;
    if (st == WB_OK && !used) st = wb_fail(err, "out of memory");
    for (size_t i = 0; st == WB_OK && i < a.n + c->n; i++) {
        const wb_var *v = NULL;
        if (i < a.n) {
            v = a.v[i];
            for (size_t k = 0; k < c->n; k++)
                if (!used[k] && c->origin[k] == a.v[i]->die_offset) {
                    used[k] = true;
                    v = c->v[k];
                    break;
                }
        } else if (!used[i - a.n]) {
            v = c->v[i - a.n];
        }
        if (!v) continue;
        if (!wb_grow((void **)&m, &cap, n + 1, sizeof *m))
            st = wb_fail(err, "out of memory");
        else
            m[n++] = v;
    }
    free(used);
    free(a.v);
    free(a.origin);
    if (st != WB_OK) {
        free(m);
        return st;
    }
    free(c->v);
    c->v = m;
    c->n = n;
    c->cap = cap;
    return WB_OK;
}

wb_status wb_dwarf_scope_vars(wb_dwarf *d, const wb_scope *s, const wb_var *const **vars, size_t *n,
                              wb_error *err)
{
    if (d->srcmap && !omap_get(&d->scope_vars, s->die_offset)) {
        var_list *sl = NULL;
        WB_TRY(srcmap_vars(d, s, &sl, err));
        if (!omap_put(&d->scope_vars, s->die_offset, sl)) return wb_fail(err, "out of memory");
    }
    var_list *l = omap_get(&d->scope_vars, s->die_offset);
    if (l) {
        *vars = l->v;
        *n = l->n;
        return WB_OK;
    }
    wb_status st = load_units(d, err);
    if (st != WB_OK) return st;
    Dwarf_Die die = NULL;
    if ((st = die_at(d, s->die_offset, &die, NULL, err)) != WB_OK) return st;
    vars_ctx c = {0};
    st = each_child(d, die, scope_var_child, &c, err);
    if (st == WB_OK) st = inherit_abstract_vars(d, die, &c, err);
    dwarf_dealloc_die(die);
    l = st == WB_OK ? arena_alloc(&d->mem, sizeof *l) : NULL;
    if (st == WB_OK && !l) st = wb_fail(err, "out of memory");
    if (st == WB_OK) {
        /* parameters first, each group in DIE order (a function's statics
         * may come before its parameters) */
        const wb_var **a = arena_alloc(&d->mem, (c.n ? c.n : 1) * sizeof *a);
        size_t k = 0;
        if (!a) {
            st = wb_fail(err, "out of memory");
        } else {
            for (int pass = 0; pass < 2; pass++)
                for (size_t i = 0; i < c.n; i++)
                    if (c.v[i]->is_param == (pass == 0)) a[k++] = c.v[i];
            l->v = a;
            l->n = c.n;
            if (!omap_put(&d->scope_vars, s->die_offset, l)) st = wb_fail(err, "out of memory");
        }
    }
    free(c.v);
    free(c.origin);
    if (st != WB_OK) return st;
    *vars = l->v;
    *n = l->n;
    return WB_OK;
}

wb_status wb_dwarf_function_type(wb_dwarf *d, const wb_scope *fn, const wb_type **out,
                                 wb_error *err)
{
    if (d->srcmap) return WB_NOT_FOUND; /* no types or data symbols */
    uint64_t off = fn->die_offset;
    wb_status st = load_units(d, err);
    if (st != WB_OK) return st;
    /* a concrete copy names its declaration (abstract origin, C++
     * specification), which has the return type and the parameters */
    for (int k = 0; k < MAX_ORIGIN_DEPTH; k++) {
        Dwarf_Die die = NULL;
        uint64_t o = 0;
        if ((st = die_at(d, off, &die, NULL, err)) != WB_OK) return st;
        bool typed = has_attr(d, die, DW_AT_type);
        st = typed ? WB_NOT_FOUND : attr_ref(d, die, DW_AT_abstract_origin, &o, err);
        if (st == WB_NOT_FOUND && !typed) st = attr_ref(d, die, DW_AT_specification, &o, err);
        dwarf_dealloc_die(die);
        if (st == WB_ERROR) return st;
        if (st == WB_NOT_FOUND) break;
        off = o;
    }
    return type_get(d, off, out, err);
}

wb_status wb_dwarf_scope_return_type(wb_dwarf *d, const wb_scope *s, const wb_type **out,
                                     wb_error *err)
{
    if (d->srcmap) {
        /* the Wasm result type */
        uint8_t *types = NULL, rt = 0;
        uint32_t n = 0;
        if (s->die_offset == 0) return WB_NOT_FOUND;
        WB_TRY(
            wb_wasm_func_locals(d->wasm, (uint32_t)s->die_offset - 1, &types, &n, NULL, &rt, err));
        free(types);
        *out = rt ? srcmap_valtype(d, rt) : NULL;
        return WB_OK;
    }
    uint64_t off = s->die_offset;
    wb_status st = load_units(d, err);
    if (st != WB_OK) return st;
    *out = NULL;
    for (int k = 0; k <= MAX_ORIGIN_DEPTH; k++) {
        Dwarf_Die die = NULL;
        uint64_t toff = 0, o = 0;
        if ((st = die_at(d, off, &die, NULL, err)) != WB_OK) return st;
        st = attr_ref(d, die, DW_AT_type, &toff, err);
        if (st == WB_NOT_FOUND) {
            st = die_origin(d, die, &o, err);
            if (st == WB_OK)
                st = WB_NOT_FOUND;
            else if (st == WB_NOT_FOUND)
                st = WB_OK; /* no type anywhere: void */
        } else if (st == WB_OK) {
            st = type_get(d, toff, out, err);
            if (st == WB_OK && *out && (*out)->kind == WB_TYPE_VOID && !(*out)->die_offset)
                *out = NULL;
        }
        dwarf_dealloc_die(die);
        if (st != WB_NOT_FOUND) return st;
        off = o;
    }
    return wb_fail(err, "corrupt DWARF: abstract origins chained too deep");
}

/* The units in the order name lookups try them: those containing `near`
 * first. Fills order[] (d->nunits entries). */
static void units_by_nearness(wb_dwarf *d, wb_code_off near, size_t *order)
{
    size_t k = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < d->nunits; i++) {
            unit *u = &d->units[i];
            if (near != UINT32_MAX && !u->ranges_known) {
                wb_error tmp;
                (void)load_lines(d, u, &tmp); /* learns the unit's ranges */
            }
            bool here = near != UINT32_MAX && unit_covers(u, near);
            if (here == (pass == 0)) order[k++] = i;
        }
}

static bool name_is(const sym *s, const char *name)
{
    return (s->name && strcmp(s->name, name) == 0) || (s->qname && strcmp(s->qname, name) == 0);
}

wb_status wb_dwarf_global_named(wb_dwarf *d, const char *name, wb_code_off near, const wb_var **out,
                                wb_error *err)
{
    if (d->srcmap) return WB_NOT_FOUND; /* no types or data symbols */
    wb_status st = load_units(d, err);
    if (st != WB_OK) return st;
    size_t *order = malloc((d->nunits ? d->nunits : 1) * sizeof *order);
    if (!order) return wb_fail(err, "out of memory");
    units_by_nearness(d, near, order);
    bool failed = false;
    wb_error first;
    st = WB_NOT_FOUND;
    for (size_t i = 0; i < d->nunits && st == WB_NOT_FOUND; i++) {
        unit *u = &d->units[order[i]];
        wb_error tmp;
        if (load_syms(d, u, &tmp) != WB_OK) {
            if (!failed) first = tmp;
            failed = true;
            continue;
        }
        for (size_t k = 0; k < u->nsyms && st == WB_NOT_FOUND; k++) {
            const sym *s = &u->syms[k];
            const wb_var *v = NULL;
            if (s->tag != DW_TAG_variable || (s->flags & SYM_DECL) || !(s->flags & SYM_LOC) ||
                !name_is(s, name))
                continue;
            if (var_get(d, s->off, (s->flags & SYM_LOCAL) != 0, &v, &tmp) != WB_OK) {
                if (!failed) first = tmp;
                failed = true;
                continue;
            }
            if (!v->is_global || (v->nlocs == 0 && !v->has_const)) continue;
            *out = v;
            st = WB_OK;
        }
    }
    free(order);
    if (st == WB_NOT_FOUND && failed) {
        if (err) *err = first;
        return WB_ERROR;
    }
    return st;
}

wb_status wb_dwarf_type_named(wb_dwarf *d, const char *name, wb_code_off near, const wb_type **out,
                              wb_error *err)
{
    if (d->srcmap) return WB_NOT_FOUND; /* no types or data symbols */
    static const struct {
        const char *prefix;
        Dwarf_Half tag;
    } prefixes[] = {{"struct ", DW_TAG_structure_type},
                    {"class ", DW_TAG_class_type},
                    {"union ", DW_TAG_union_type},
                    {"enum ", DW_TAG_enumeration_type}};
    static const char *const aliases[][2] = {
        {"unsigned", "unsigned int"},
        {"signed", "int"},
        {"signed int", "int"},
        {"short int", "short"},
        {"long int", "long"},
        {"long long int", "long long"},
        {"unsigned short int", "unsigned short"},
        {"unsigned long int", "unsigned long"},
        {"unsigned long long int", "unsigned long long"},
        {"signed char", "signed char"},
        {"bool", "_Bool"},
        {"_Bool", "bool"},
    };
    Dwarf_Half want = 0;
    while (*name == ' ')
        name++;
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        size_t n = strlen(prefixes[i].prefix);
        if (strncmp(name, prefixes[i].prefix, n) == 0) {
            want = prefixes[i].tag;
            name += n;
            while (*name == ' ')
                name++;
            break;
        }
    }
    char buf[256];
    snprintf(buf, sizeof buf, "%s", name);
    for (size_t n = strlen(buf); n > 0 && buf[n - 1] == ' ';)
        buf[--n] = 0;
    WB_TRY(load_units(d, err));
    size_t *order = malloc((d->nunits ? d->nunits : 1) * sizeof *order);
    if (!order) return wb_fail(err, "out of memory");
    units_by_nearness(d, near, order);
    const char *look = buf;
    uint64_t found = 0, decl_off = 0;
    bool failed = false;
    wb_error first;
    for (size_t alias = 0; alias <= sizeof aliases / sizeof aliases[0] && !found; alias++) {
        if (alias > 0) {
            if (want || strcmp(buf, aliases[alias - 1][0]) != 0) continue;
            look = aliases[alias - 1][1];
        }
        for (size_t i = 0; i < d->nunits && !found; i++) {
            unit *u = &d->units[order[i]];
            wb_error tmp;
            if (load_syms(d, u, &tmp) != WB_OK) {
                if (!failed) first = tmp;
                failed = true;
                continue;
            }
            bool cxx = u->lang == DW_LANG_C_plus_plus || u->lang == DW_LANG_C_plus_plus_03 ||
                       u->lang == DW_LANG_C_plus_plus_11 || u->lang == DW_LANG_C_plus_plus_14 ||
                       u->lang == 0x21 /* C++17 */ || u->lang == 0x2a /* C++20 */ ||
                       u->lang == DW_LANG_Rust; /* aggregates named without a keyword */
            for (size_t k = 0; k < u->nsyms && !found; k++) {
                const sym *s = &u->syms[k];
                bool aggregate = s->tag == DW_TAG_structure_type || s->tag == DW_TAG_class_type ||
                                 s->tag == DW_TAG_union_type || s->tag == DW_TAG_enumeration_type;
                bool ok;
                if (want == DW_TAG_structure_type || want == DW_TAG_class_type)
                    ok = s->tag == DW_TAG_structure_type || s->tag == DW_TAG_class_type;
                else if (want)
                    ok = s->tag == want;
                else
                    ok = s->tag == DW_TAG_typedef || s->tag == DW_TAG_base_type ||
                         s->tag == DW_TAG_unspecified_type || (aggregate && cxx);
                if (!ok || !name_is(s, look)) continue;
                if (aggregate && (s->flags & SYM_DECL)) {
                    if (!decl_off) decl_off = s->off;
                    continue;
                }
                found = s->off;
            }
        }
    }
    free(order);
    if (!found) found = decl_off;
    if (!found) {
        if (failed) {
            if (err) *err = first;
            return WB_ERROR;
        }
        return WB_NOT_FOUND;
    }
    return type_get(d, found, out, err);
}

wb_status wb_dwarf_enumerator_named(wb_dwarf *d, const char *name, wb_code_off near,
                                    const wb_type **type, int64_t *value, wb_error *err)
{
    if (d->srcmap) return WB_NOT_FOUND; /* no types or data symbols */
    wb_status st = load_units(d, err);
    if (st != WB_OK) return st;
    size_t *order = malloc((d->nunits ? d->nunits : 1) * sizeof *order);
    if (!order) return wb_fail(err, "out of memory");
    units_by_nearness(d, near, order);
    st = WB_NOT_FOUND;
    for (size_t i = 0; i < d->nunits && st == WB_NOT_FOUND; i++) {
        unit *u = &d->units[order[i]];
        wb_error tmp;
        if (load_syms(d, u, &tmp) != WB_OK) continue;
        for (size_t k = 0; k < u->nsyms && st == WB_NOT_FOUND; k++) {
            const sym *sy = &u->syms[k];
            if (sy->tag != DW_TAG_enumerator || strcmp(sy->name, name) != 0) continue;
            const wb_type *t;
            if (type_get(d, sy->parent, &t, &tmp) != WB_OK || t->kind != WB_TYPE_ENUM) continue;
            for (size_t e = 0; e < t->nenumerators; e++)
                if (strcmp(t->enumerators[e].name, name) == 0) {
                    *type = t;
                    *value = t->enumerators[e].value;
                    st = WB_OK;
                    break;
                }
        }
    }
    free(order);
    return st;
}

/* A variable defined at CU or namespace level (not inside a function),
 * with a location or a constant value. */
static bool unit_level_variable(const sym *s)
{
    return s->tag == DW_TAG_variable && !(s->flags & (SYM_DECL | SYM_LOCAL)) &&
           (s->flags & SYM_LOC) && s->name;
}

static wb_status globals_in_unit(wb_dwarf *d, unit *u, wb_code_off addr, void *ctx, wb_error *err)
{
    (void)addr;
    (void)ctx;
    if (u->globals_done) return WB_OK;
    wb_status st = load_syms(d, u, err);
    if (st != WB_OK) return st;
    vars_ctx c = {0};
    for (size_t k = 0; k < u->nsyms && st == WB_OK; k++) {
        const sym *s = &u->syms[k];
        const wb_var *v = NULL;
        if (!unit_level_variable(s)) continue;
        if ((st = var_get(d, s->off, false, &v, err)) != WB_OK) break;
        if (!v->name) continue;
        if (!wb_grow((void **)&c.v, &c.cap, c.n + 1, sizeof *c.v))
            st = wb_fail(err, "out of memory");
        else
            c.v[c.n++] = v;
    }
    if (st == WB_OK) {
        u->globals = c.n ? (const wb_var **)(uintptr_t)arena_copy(d, c.v, c.n * sizeof *c.v) : NULL;
        if (c.n && !u->globals) st = wb_fail(err, "out of memory");
        u->nglobals = c.n;
        u->globals_done = st == WB_OK;
    }
    free(c.v);
    return st;
}

typedef struct globals_ctx {
    unit *u;
} globals_ctx;

static wb_status globals_at(wb_dwarf *d, unit *u, wb_code_off addr, void *ctx, wb_error *err)
{
    wb_status st = globals_in_unit(d, u, addr, NULL, err);
    if (st == WB_OK) ((globals_ctx *)ctx)->u = u;
    return st;
}

wb_status wb_dwarf_unit_globals(wb_dwarf *d, wb_code_off near, const wb_var *const **vars,
                                size_t *n, wb_error *err)
{
    if (d->srcmap) {
        *vars = NULL;
        *n = 0;
        return WB_OK;
    }
    globals_ctx c = {NULL};
    WB_TRY(for_units_at(d, near, globals_at, &c, err));
    *vars = c.u->globals;
    *n = c.u->nglobals;
    return WB_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

wb_status wb_dwarf_source_files(wb_dwarf *d, const char *const **files, size_t *n, wb_error *err)
{
    if (!d->files_done) {
        WB_TRY(load_units(d, err));
        size_t total = 0;
        for (size_t i = 0; i < d->nunits; i++) {
            wb_error tmp;
            if (load_lines(d, &d->units[i], &tmp) == WB_OK) total += d->units[i].nfiles;
        }
        const char **v = arena_alloc(&d->mem, (total ? total : 1) * sizeof *v);
        if (!v) return wb_fail(err, "out of memory");
        size_t k = 0;
        for (size_t i = 0; i < d->nunits; i++) {
            const unit *u = &d->units[i];
            if (u->lines_state != ST_OK) continue;
            for (size_t f = 0; f < u->nfiles && k < total; f++)
                if (u->files[f]) v[k++] = u->files[f];
        }
        qsort(v, k, sizeof *v, cmp_str);
        size_t m = 0;
        for (size_t i = 0; i < k; i++)
            if (m == 0 || strcmp(v[m - 1], v[i]) != 0) v[m++] = v[i];
        d->files = v;
        d->nfiles = m;
        d->files_done = true;
    }
    *files = d->files;
    *n = d->nfiles;
    return WB_OK;
}

static int cmp_dsym(const void *a, const void *b)
{
    const struct dsym *x = a, *y = b;
    return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* Indexes every variable, global or static, whose location is one
 * DW_OP_addr, by address. Units whose DIEs cannot be read add nothing
 * (this only names addresses). wasm-ld gives the variables it discarded
 * the address -1 (older ones 0, where no data lives): left out. */
static wb_status load_dsyms(wb_dwarf *d, wb_error *err)
{
    WB_TRY(load_units(d, err));
    size_t cap = 0;
    d->ndsyms = 0; /* a failed attempt may have left some */
    for (size_t i = 0; i < d->nunits; i++) {
        unit *u = &d->units[i];
        wb_error tmp;
        if (load_syms(d, u, &tmp) != WB_OK) continue;
        for (size_t k = 0; k < u->nsyms; k++) {
            const sym *sy = &u->syms[k];
            const wb_var *v = NULL;
            if (sy->tag != DW_TAG_variable || (sy->flags & SYM_DECL) || !(sy->flags & SYM_LOC) ||
                var_get(d, sy->off, (sy->flags & SYM_LOCAL) != 0, &v, &tmp) != WB_OK ||
                !v->is_global || !v->name || v->nlocs != 1)
                continue;
            const wb_loc_range *l = &v->locs[0];
            if ((l->len != 5 && l->len != 9) || l->expr[0] != DW_OP_addr) continue;
            uint64_t addr = 0, tombstone = l->len == 5 ? UINT32_MAX : UINT64_MAX;
            for (size_t b = l->len - 1; b > 0; b--)
                addr = addr << 8 | l->expr[b];
            if (!addr || addr == tombstone) continue;
            if (!wb_grow((void **)&d->dsyms, &cap, d->ndsyms + 1, sizeof *d->dsyms))
                return wb_fail(err, "out of memory");
            d->dsyms[d->ndsyms++] = (struct dsym){addr, wb_type_size(v->type), v->name};
        }
    }
    qsort(d->dsyms, d->ndsyms, sizeof *d->dsyms, cmp_dsym);
    d->dsyms_done = true;
    return WB_OK;
}

wb_status wb_dwarf_data_symbol(wb_dwarf *d, uint64_t addr, const char **name, uint64_t *offset,
                               wb_error *err)
{
    if (d->srcmap) return WB_NOT_FOUND; /* no types or data symbols */
    if (!d->dsyms_done) {
        WB_TRY(load_dsyms(d, err));
    }
    /* the last variable starting at or before addr */
    size_t lo = 0, hi = d->ndsyms;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->dsyms[mid].addr <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    /* several may start there (a zero-sized one, then one with a size) */
    for (size_t i = lo; i > 0 && d->dsyms[i - 1].addr == d->dsyms[lo - 1].addr; i--) {
        const struct dsym *ds = &d->dsyms[i - 1];
        if (addr - ds->addr < ds->size || addr == ds->addr) {
            *name = ds->name;
            *offset = addr - ds->addr;
            return WB_OK;
        }
    }
    return WB_NOT_FOUND;
}

wb_status wb_dwarf_source_files_named(wb_dwarf *d, const char *file, const char ***paths, size_t *n,
                                      wb_error *err)
{
    const char *const *files;
    size_t nf;
    int best = 0;
    *paths = NULL;
    *n = 0;
    WB_TRY(wb_dwarf_source_files(d, &files, &nf, err));
    for (size_t i = 0; i < nf; i++) {
        int k = file_match(file, files[i]);
        if (k > best) best = k;
    }
    if (!best) return WB_NOT_FOUND;
    *paths = malloc(nf * sizeof **paths);
    if (!*paths) return wb_fail(err, "out of memory");
    for (size_t i = 0; i < nf; i++)
        if (file_match(file, files[i]) == best) (*paths)[(*n)++] = files[i];
    return WB_OK;
}

/* ------------------------------------------------------------- symbols */

/* The unit's own source file: DW_AT_name, joined with DW_AT_comp_dir
 * when relative and normalized as line-table files are (load_files). */
static const char *unit_primary_file(wb_dwarf *d, unit *u)
{
    if (!u->primary && u->name && u->name[0]) {
        char *p = (char *)(uintptr_t)arena_path(&d->mem, u->name[0] == '/' ? NULL : u->comp_dir,
                                                u->name, NULL);
        if (p) wb_path_normalize(p);
        u->primary = p;
    }
    return u->primary;
}

/* The declaration place of a DIE (its own DW_AT_decl_file/line). */
static void die_decl(wb_dwarf *d, unit *u, Dwarf_Die die, const char **file, uint32_t *line)
{
    uint64_t v = 0;
    wb_error tmp;
    *file = NULL;
    *line = 0;
    if (attr_udata(d, die, DW_AT_decl_file, &v, &tmp) == WB_OK && load_lines(d, u, &tmp) == WB_OK)
        *file = unit_file(u, v);
    if (attr_udata(d, die, DW_AT_decl_line, &v, &tmp) == WB_OK && v <= UINT32_MAX)
        *line = (uint32_t)v;
}

/* A function's type and linkage: its declaration is complete at the end
 * of its abstract-origin/specification chain (an inlined function's
 * abstract instance, a C++ method's declaration in its class), and
 * DW_AT_external may be anywhere along it. */
static wb_status function_decl(wb_dwarf *d, uint64_t off, const wb_type **type, bool *external,
                               wb_error *err)
{
    *external = false;
    for (int k = 0; k <= MAX_ORIGIN_DEPTH; k++) {
        Dwarf_Die die = NULL;
        uint64_t o = 0;
        wb_status st = die_at(d, off, &die, NULL, err);
        if (st != WB_OK) return st;
        if (attr_flag(d, die, DW_AT_external)) *external = true;
        st = die_origin(d, die, &o, err);
        dwarf_dealloc_die(die);
        if (st == WB_ERROR) return st;
        if (st == WB_NOT_FOUND) return type_get(d, off, type, err);
        off = o;
    }
    return wb_fail(err, "corrupt DWARF: abstract origins chained too deep");
}

typedef struct sym_vec {
    wb_symbol *v;
    size_t n, cap;
} sym_vec;

static wb_symbol *sym_push(sym_vec *sv, wb_sym_kind kind)
{
    if (!wb_grow((void **)&sv->v, &sv->cap, sv->n + 1, sizeof *sv->v)) return NULL;
    wb_symbol *x = &sv->v[sv->n++];
    memset(x, 0, sizeof *x);
    x->kind = kind;
    return x;
}

static wb_status unit_functions(wb_dwarf *d, unit *u, sym_vec *sv, wb_error *err)
{
    WB_TRY(load_scopes(d, u, err));
    for (size_t k = 0; k < u->nscopes; k++) {
        const wb_scope *sc = &u->scopes[k].pub;
        const char *name = sc->qualified_name ? sc->qualified_name : sc->name;
        if (sc->kind != WB_SCOPE_FUNCTION || !name) continue;
        wb_symbol *x = sym_push(sv, WB_SYM_FUNCTION);
        if (!x) return wb_fail(err, "out of memory");
        bool external = false;
        wb_error tmp;
        Dwarf_Die die = NULL;
        if (function_decl(d, sc->die_offset, &x->type, &external, &tmp) != WB_OK) x->type = NULL;
        x->name = name;
        /* an out-of-line definition has a line of its own (a C++ method
         * defined after its class, often without DW_AT_decl_file: the
         * declaration's), which gdb lists; the scope keeps its
         * declaration's, which breakpoint placement compares with */
        if (die_at(d, sc->die_offset, &die, NULL, &tmp) == WB_OK) {
            die_decl(d, u, die, &x->file, &x->line);
            dwarf_dealloc_die(die);
        }
        if (!x->file) x->file = sc->decl_file ? sc->decl_file : unit_primary_file(d, u);
        if (!x->line) x->line = sc->decl_line;
        x->is_static = !external;
        x->fn = sc;
    }
    return WB_OK;
}

static wb_status unit_variables(wb_dwarf *d, unit *u, sym_vec *sv, wb_error *err)
{
    WB_TRY(load_syms(d, u, err));
    for (size_t k = 0; k < u->nsyms; k++) {
        const sym *s = &u->syms[k];
        const wb_var *v = NULL;
        wb_error tmp;
        if (!unit_level_variable(s) || var_get(d, s->off, false, &v, &tmp) != WB_OK) continue;
        if (v->nlocs == 0) continue; /* a constant (gdb's LOC_CONST) */
        wb_symbol *x = sym_push(sv, WB_SYM_VARIABLE);
        if (!x) return wb_fail(err, "out of memory");
        x->name = s->qname ? s->qname : s->name;
        x->file = v->decl_file ? v->decl_file : unit_primary_file(d, u);
        x->line = v->decl_line;
        x->is_static = !v->is_external;
        x->type = v->type;
        x->var = v;
    }
    return WB_OK;
}

static wb_status unit_types(wb_dwarf *d, unit *u, sym_vec *sv, wb_error *err)
{
    WB_TRY(load_syms(d, u, err));
    for (size_t k = 0; k < u->nsyms; k++) {
        const sym *s = &u->syms[k];
        bool typeish = s->tag == DW_TAG_base_type || s->tag == DW_TAG_typedef ||
                       s->tag == DW_TAG_structure_type || s->tag == DW_TAG_class_type ||
                       s->tag == DW_TAG_union_type || s->tag == DW_TAG_enumeration_type ||
                       s->tag == DW_TAG_unspecified_type;
        if (!typeish || (s->flags & (SYM_DECL | SYM_LOCAL)) || !s->name) continue;
        Dwarf_Die die = NULL;
        wb_error tmp;
        wb_symbol *x = sym_push(sv, WB_SYM_TYPE);
        if (!x) return wb_fail(err, "out of memory");
        if (type_get(d, s->off, &x->type, &tmp) != WB_OK ||
            die_at(d, s->off, &die, NULL, &tmp) != WB_OK) {
            sv->n--; /* this one is damaged: the others are listed */
            continue;
        }
        die_decl(d, u, die, &x->file, &x->line);
        dwarf_dealloc_die(die);
        if (!x->file) x->file = unit_primary_file(d, u);
        x->name = s->qname ? s->qname : s->name;
    }
    return WB_OK;
}

wb_status wb_dwarf_symbols(wb_dwarf *d, wb_sym_kind kind, const wb_symbol **syms, size_t *n,
                           wb_error *err)
{
    if (d->srcmap) {
        *syms = NULL;
        *n = 0;
        return WB_OK;
    }
    if ((unsigned)kind > WB_SYM_TYPE) return wb_fail(err, "bad symbol kind");
    if (!d->syms_done[kind]) {
        wb_status st = load_units(d, err);
        if (st != WB_OK) return st;
        sym_vec sv = {NULL, 0, 0};
        for (size_t i = 0; i < d->nunits; i++) {
            unit *u = &d->units[i];
            size_t before = sv.n;
            wb_error tmp;
            st = kind == WB_SYM_FUNCTION   ? unit_functions(d, u, &sv, &tmp)
                 : kind == WB_SYM_VARIABLE ? unit_variables(d, u, &sv, &tmp)
                                           : unit_types(d, u, &sv, &tmp);
            if (st != WB_OK) sv.n = before; /* a damaged unit: left out */
        }
        d->syms[kind] = (wb_symbol *)(uintptr_t)arena_copy(d, sv.v, sv.n * sizeof *sv.v);
        free(sv.v);
        if (sv.n && !d->syms[kind]) return wb_fail(err, "out of memory");
        d->nsyms[kind] = sv.n;
        d->syms_done[kind] = true;
    }
    *syms = d->syms[kind];
    *n = d->nsyms[kind];
    return WB_OK;
}

const char *wb_dwarf_warning(const wb_dwarf *d)
{
    return d->warning[0] ? d->warning : NULL;
}

/* --------------------------------------------------------- source maps */

/* A handle made from a source map (wb_dwarf_open_srcmap): no libdwarf at
 * all. One unit, already loaded: its rows are the map's mappings, one
 * sequence a function body (a first row at the body's start, the locals'
 * declarations, repeating the first mapped line, so that the mapped
 * instructions come after the "prologue"; the first mapped row is
 * prologue_end; an end_sequence row at the body's end); its scopes are the
 * defined functions, named from the name section; its variables (made on
 * demand, wb_dwarf_scope_vars) the functions' Wasm locals. The DIE offset
 * of a function's scope is its defined index + 1. */

static const wb_type *srcmap_valtype(wb_dwarf *d, uint8_t vt)
{
    static const struct {
        uint8_t vt;
        const char *name;
        uint64_t size;
        wb_base_enc enc;
    } map[] = {{0x7f, "i32", 4, WB_ENC_SIGNED},
               {0x7e, "i64", 8, WB_ENC_SIGNED},
               {0x7d, "f32", 4, WB_ENC_FLOAT},
               {0x7c, "f64", 8, WB_ENC_FLOAT},
               {0x7b, "v128", 16, WB_ENC_V128}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        if (map[i].vt != vt) continue;
        if (!d->sm_types[i]) {
            wb_type *t = arena_alloc(&d->mem, sizeof *t);
            if (!t) return NULL;
            memset(t, 0, sizeof *t);
            t->kind = WB_TYPE_BASE;
            t->name = t->qualified_name = map[i].name;
            t->size = map[i].size;
            t->enc = map[i].enc;
            d->sm_types[i] = t;
        }
        return d->sm_types[i];
    }
    return NULL; /* references: not shown */
}

/* The Wasm locals of function scope `s` that the name section names, as
 * variables: their Wasm types, DW_OP_WASM_location 0 N
 * DW_OP_stack_value as the location. */
static wb_status srcmap_vars(wb_dwarf *d, const wb_scope *s, var_list **out, wb_error *err)
{
    uint32_t i = (uint32_t)s->die_offset - 1, n = 0, nparams = 0;
    uint8_t *types = NULL;
    const wb_func *f = wb_wasm_func(d->wasm, i);
    if (!f || s->die_offset == 0) return wb_fail(err, "no function %u", i);
    WB_TRY(wb_wasm_func_locals(d->wasm, i, &types, &n, &nparams, NULL, err));
    var_list *l = arena_alloc(&d->mem, sizeof *l);
    const wb_var **a = arena_alloc(&d->mem, (n ? n : 1) * sizeof *a);
    if (!l || !a) {
        free(types);
        return wb_fail(err, "out of memory");
    }
    l->v = a;
    l->n = 0;
    for (uint32_t k = 0; k < n; k++) {
        const wb_type *t = srcmap_valtype(d, types[k]);
        /* a local without a name, or whose name no source could declare
         * (asc calls some temporaries "0", "1"...), is the compiler's:
         * left out, as DWARF leaves such locals out */
        const char *name = wb_wasm_local_name(d->wasm, f->index, k);
        if (!t || !name || !name[0] || (name[0] >= '0' && name[0] <= '9')) continue;
        wb_var *v = arena_alloc(&d->mem, sizeof *v);
        wb_loc_range *loc = arena_alloc(&d->mem, sizeof *loc);
        uint8_t *expr = arena_alloc(&d->mem, 8);
        if (!v || !loc || !expr) {
            free(types);
            return wb_fail(err, "out of memory");
        }
        /* DW_OP_WASM_location 0 (local) N, DW_OP_stack_value */
        size_t len = 0;
        expr[len++] = 0xed;
        expr[len++] = 0x00;
        uint32_t x = k;
        do {
            expr[len++] = (uint8_t)((x & 0x7f) | (x > 0x7f ? 0x80 : 0));
            x >>= 7;
        } while (x);
        expr[len++] = 0x9f;
        *loc = (wb_loc_range){0, UINT32_MAX, expr, len};
        memset(v, 0, sizeof *v);
        v->name = name;
        v->type = t;
        v->is_param = k < nparams;
        v->nlocs = 1;
        v->locs = loc;
        v->decl_file = s->decl_file;
        a[l->n++] = v;
    }
    free(types);
    *out = l;
    return WB_OK;
}

/* The part of an AssemblyScript name after its file ("loop/Point#dist2"
 * -> "Point#dist2"; "~lib/array/Array<~lib/string/String>#push" ->
 * "Array<~lib/string/String>#push"): the last '/' before any '<'. */
static const char *srcmap_short_name(const char *name)
{
    const char *cut = NULL;
    for (const char *p = name; *p && *p != '<'; p++)
        if (*p == '/') cut = p;
    return cut && cut[1] ? cut + 1 : name;
}

wb_status wb_dwarf_open_srcmap(const wb_wasm *w, const wb_srcmap *m, wb_dwarf **out, wb_error *err)
{
    *out = NULL;
    wb_dwarf *d = calloc(1, sizeof *d);
    if (!d) return wb_fail(err, "out of memory");
    d->wasm = w;
    d->code_size = wb_wasm_code_size(w);
    d->srcmap = true;
    d->units = calloc(1, sizeof *d->units);
    if (!d->units) goto oom;
    d->nunits = 1;
    d->units_state = ST_OK;
    unit *u = &d->units[0];
    u->off = 0;
    u->end = UINT64_MAX;
    u->name = "";
    u->syms_state = ST_OK;
    u->globals_done = true;

    uint32_t nsrc = wb_srcmap_source_count(m);
    u->files = calloc(nsrc ? nsrc : 1, sizeof *u->files);
    if (!u->files) goto oom;
    d->sm_texts = arena_alloc(&d->mem, (nsrc ? nsrc : 1) * sizeof *d->sm_texts);
    if (!d->sm_texts) goto oom;
    for (uint32_t i = 0; i < nsrc; i++) {
        const char *text = wb_srcmap_source_content(m, i);
        if (!(u->files[i] = arena_str(&d->mem, wb_srcmap_source(m, i)))) goto oom;
        d->sm_texts[i] = NULL;
        if (text) {
            size_t n = strlen(text) + 1;
            char *copy = arena_alloc(&d->mem, n);
            if (!copy) goto oom;
            memcpy(copy, text, n);
            d->sm_texts[i] = copy;
        }
    }
    u->nfiles = nsrc;

    const wb_srcmap_row *rows;
    size_t nrows = wb_srcmap_rows(m, &rows);
    uint32_t nf = wb_wasm_func_count(w);
    u->rows = calloc(nrows + 2 * (size_t)nf + 1, sizeof *u->rows);
    u->seqs = calloc(nf ? nf : 1, sizeof *u->seqs);
    u->ranges = calloc(nf ? nf : 1, sizeof *u->ranges);
    u->scopes = calloc(nf ? nf : 1, sizeof *u->scopes);
    if (!u->rows || !u->seqs || !u->ranges || !u->scopes) goto oom;
    size_t r = 0;
    for (uint32_t i = 0; i < nf; i++) {
        const wb_func *f = wb_wasm_func(w, i);
        /* the first mapping inside the body */
        size_t lo = 0, hi = nrows;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (rows[mid].addr < f->start)
                lo = mid + 1;
            else
                hi = mid;
        }
        scope_rec *sc = &u->scopes[u->nscopes++];
        wb_range *range = arena_alloc(&d->mem, sizeof *range);
        if (!range) goto oom;
        *range = (wb_range){f->start, f->end};
        memset(sc, 0, sizeof *sc);
        sc->parent = NO_PARENT;
        sc->pub.kind = WB_SCOPE_FUNCTION;
        sc->pub.die_offset = (uint64_t)i + 1;
        if (f->name) {
            sc->pub.qualified_name = sc->pub.linkage_name = f->name;
            sc->pub.name = srcmap_short_name(f->name);
        }
        sc->pub.low_pc = sc->pub.entry_pc = f->start;
        sc->pub.high_pc = f->end;
        sc->pub.nranges = 1;
        sc->pub.ranges = range;
        if (lo >= nrows || rows[lo].addr >= f->end) continue; /* nothing mapped */
        sc->pub.decl_file = u->files[rows[lo].source];
        sc->pub.decl_line = rows[lo].line;
        seq *s = &u->seqs[u->nseqs++];
        s->lo = f->start;
        s->hi = f->end;
        s->first = r;
        wb_line first = {
            f->start, u->files[rows[lo].source], rows[lo].line, rows[lo].column, true, false,
            false};
        if (rows[lo].addr > f->start) u->rows[r++] = first;
        const wb_line *last = NULL;
        for (size_t k = lo; k < nrows && rows[k].addr < f->end; k++) {
            wb_line *x = &u->rows[r++];
            *x = (wb_line){
                rows[k].addr, u->files[rows[k].source], rows[k].line, rows[k].column, true, k == lo,
                false};
            last = x;
        }
        u->rows[r] = *last;
        u->rows[r].addr = f->end;
        u->rows[r].is_stmt = u->rows[r].prologue_end = false;
        u->rows[r].end_sequence = true;
        r++;
        s->count = r - s->first;
        u->ranges[u->nranges++] = *range;
    }
    u->nrows = r;
    u->ranges_known = true;
    u->lines_state = ST_OK;
    u->scopes_state = ST_OK;
    *out = d;
    return WB_OK;
oom:
    wb_dwarf_close(d);
    return wb_fail(err, "out of memory");
}

const char *wb_dwarf_source_text(const wb_dwarf *d, const char *path)
{
    if (!d || !d->srcmap || !path) return NULL;
    const unit *u = &d->units[0];
    for (size_t i = 0; i < u->nfiles; i++)
        if (strcmp(u->files[i], path) == 0) return d->sm_texts[i];
    return NULL;
}

bool wb_dwarf_is_srcmap(const wb_dwarf *d)
{
    return d && d->srcmap;
}

wb_status wb_dwarf_open_module(const wb_wasm *w, const char *module_path, wb_dwarf **out,
                               const char **what, wb_error *err)
{
    *what = "DWARF";
    wb_status st = wb_dwarf_open(w, out, err);
    if (st != WB_NOT_FOUND) return st; /* DWARF wins */
    wb_srcmap *map = NULL;
    *what = "source map";
    st = wb_srcmap_open(w, module_path, &map, err);
    if (st != WB_OK) return st;
    st = wb_dwarf_open_srcmap(w, map, out, err);
    wb_srcmap_close(map);
    return st;
}
