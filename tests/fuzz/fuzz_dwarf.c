/*
 * libFuzzer target: the host bridge's Wasm reader and DWARF reader
 * (lldb-bridge/formats/wb_wasm.c, wb_dwarf.c) on mutated modules.
 *
 * Every input that reads as a module has its DWARF opened and queried:
 * every unit's line table, line and scope lookups at addresses spread over
 * the Code section, breakpoint sites for each file seen in the line
 * tables, functions by the name section's names, the symbol lists (info
 * functions|variables|types) with each type spelled and each variable's
 * locations described (info scope), files by name, the data segments.
 * Any outcome is fine
 * (OK, NOT_FOUND, ERROR); crashes, leaks and sanitizer reports are not.
 * Seeds (corpus/dwarf): small modules built with clang-22 -g, see
 * tests/bridge/programs/dwarf_seed.c.
 *
 * Build: cmake -DWDB_FUZZ=ON -DCMAKE_C_COMPILER=clang-22; run bench/fuzz.sh.
 */
#include "wb_dwarf.h"
#include "wb_loc.h"
#include "wb_sbuf.h"
#include "wb_wasm.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Every location of `v` in words (info scope), against the frame base of
 * `fn` (may be NULL). */
static void describe(const wb_var *v, const wb_scope *fn)
{
    for (size_t k = 0; k < v->nlocs; k++) {
        wb_sbuf b = {0};
        wb_loc_describe(v->locs[k].expr, v->locs[k].len, fn ? fn->frame_base : NULL,
                        fn ? fn->frame_base_len : 0, &b);
        free(wb_sb_take(&b));
    }
}

static void query(wb_dwarf *d, const wb_wasm *w)
{
    wb_error err;
    size_t nunits = 0;
    const char *files[8];
    size_t nfiles = 0;
    if (wb_dwarf_unit_count(d, &nunits, &err) == WB_OK) {
        for (size_t u = 0; u < nunits && u < 64; u++) {
            const char *name;
            const wb_line *rows;
            size_t n;
            if (wb_dwarf_unit_lines(d, u, &name, &rows, &n, &err) != WB_OK) continue;
            if (n && rows[0].file && nfiles < 8) files[nfiles++] = rows[0].file;
        }
    }
    uint32_t size = wb_wasm_code_size(w);
    uint32_t step = size / 128 + 1;
    for (uint32_t a = 0; a < size; a += step) {
        wb_line row;
        wb_code_off s, e;
        wb_scope_chain c;
        const wb_scope *fn;
        wb_dwarf_line_at(d, a, &row, &err);
        wb_dwarf_line_range(d, a, &s, &e, &err);
        if (wb_dwarf_scopes_at(d, a, &c, &err) == WB_OK) wb_scope_chain_free(&c);
        if (wb_dwarf_function_at(d, a, &fn, &err) == WB_OK) {
            wb_code_off entry;
            wb_dwarf_skip_prologue(d, fn, &entry, &err);
        }
    }
    for (size_t i = 0; i < nfiles; i++) {
        wb_line_sites sites;
        for (uint32_t line = 1; line < 40; line += 7)
            if (wb_dwarf_line_sites(d, files[i], line, &sites, &err) == WB_OK)
                wb_line_sites_free(&sites);
    }
    for (uint32_t i = 0; i < wb_wasm_func_count(w) && i < 16; i++) {
        const wb_func *f = wb_wasm_func(w, i);
        const wb_scope *fn;
        wb_code_off entry;
        if (f->name) wb_dwarf_function_named(d, f->name, &fn, &entry, &err);
    }
    for (int kind = WB_SYM_FUNCTION; kind <= WB_SYM_TYPE; kind++) {
        const wb_symbol *syms;
        size_t n;
        if (wb_dwarf_symbols(d, (wb_sym_kind)kind, &syms, &n, &err) != WB_OK) continue;
        for (size_t i = 0; i < n && i < 256; i++) {
            char buf[128];
            wb_type_spell(syms[i].type, syms[i].name, buf, sizeof buf);
            if (syms[i].var) describe(syms[i].var, NULL);
            const wb_var *const *vars;
            size_t nv;
            if (syms[i].fn && wb_dwarf_scope_vars(d, syms[i].fn, &vars, &nv, &err) == WB_OK)
                for (size_t k = 0; k < nv; k++)
                    describe(vars[k], syms[i].fn);
        }
    }
    for (size_t i = 0; i < nfiles; i++) {
        const char **paths;
        size_t n;
        if (wb_dwarf_source_files_named(d, files[i], &paths, &n, &err) == WB_OK) free(paths);
    }
    for (size_t i = 0; i < wb_wasm_data_segment_count(w); i++)
        (void)wb_wasm_data_segment(w, i);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wb_wasm *w = NULL;
    wb_dwarf *d = NULL;
    wb_error err;
    if (wb_wasm_open_bytes(data, size, &w, &err) != WB_OK) return 0;
    if (wb_dwarf_open(w, &d, &err) == WB_OK) query(d, w);
    wb_dwarf_close(d);
    wb_wasm_close(w);
    return 0;
}
