/*
 * Unit tests of the DWARF reader (lldb-bridge/formats/wb_dwarf.c) on modules
 * clang-22 built from tests/bridge/programs:
 *
 *   test_dwarf C_O0_DWARF4.wasm C_O2_DWARF5.wasm CXX_O0_DWARF5.wasm
 *
 * Lines, breakpoint sites, scopes, inlined chains, prologues, C++ names;
 * then the same modules without DWARF, with .debug_info bytes flipped all
 * along the section and with .debug_line truncated: every query must give
 * one of the three outcomes, never crash.
 */
#include "check.h"
#include "mutate.h"
#include "wb_dwarf.h"
#include "wb_wasm.h"

#include <stdlib.h>
#include <string.h>

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

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

/* Opens the module at path and its DWARF (a check each, the second only if
 * the first held); false unless both opened. */
static bool open_dwarf(const char *path, wb_wasm **w, wb_dwarf **d, wb_error *err)
{
    CHECK_MSG(wb_wasm_open_file(path, w, err) == WB_OK, "%s", path);
    if (!*w) return false;
    CHECK_MSG(wb_dwarf_open(*w, d, err) == WB_OK, "%s", path);
    return *d != NULL;
}

/* -O0, DWARF 4 */
static void test_c_o0(const char *path)
{
    wb_wasm *w = NULL;
    wb_dwarf *d = NULL;
    wb_error err;
    if (!open_dwarf(path, &w, &d, &err)) goto out;

    /* fold: declared at line 32, first statement at 34 */
    const wb_scope *fn = NULL;
    wb_code_off entry = 0;
    CHECK(wb_dwarf_function_named(d, "fold", &fn, &entry, &err) == WB_OK);
    if (fn) {
        CHECK(fn->kind == WB_SCOPE_FUNCTION && strcmp(fn->name, "fold") == 0);
        CHECK(fn->decl_line == 32 && fn->decl_file && ends_with(fn->decl_file, "/inline_math.c"));
        CHECK(fn->frame_base && fn->frame_base_len > 0);
        CHECK(entry > fn->low_pc && entry < fn->high_pc);
        wb_line row;
        CHECK(wb_dwarf_line_at(d, entry, &row, &err) == WB_OK && row.line == 34 && row.is_stmt &&
              ends_with(row.file, "/tests/bridge/programs/inline_math.c"));
        CHECK(wb_dwarf_line_at(d, fn->low_pc, &row, &err) == WB_OK && row.line == 33);
        const wb_scope *at = NULL;
        CHECK(wb_dwarf_function_at(d, entry, &at, &err) == WB_OK && at == fn);
        /* the line range around the entry: [start, end) holds it, and the
         * next address is on another line */
        wb_code_off s = 0, e = 0;
        CHECK(wb_dwarf_line_range(d, entry, &s, &e, &err) == WB_OK && s <= entry && entry < e);
        CHECK(wb_dwarf_line_at(d, e, &row, &err) == WB_OK && row.line != 34);
        /* a lexical block (the loop) inside fold */
        wb_scope_chain c;
        wb_line_sites sites;
        CHECK(wb_dwarf_line_sites(d, "inline_math.c", 36, &sites, &err) == WB_OK);
        if (sites.count) {
            CHECK(wb_dwarf_scopes_at(d, sites.sites[0].addr, &c, &err) == WB_OK);
            CHECK(c.count >= 2 && c.scopes[0]->kind == WB_SCOPE_BLOCK &&
                  c.scopes[c.count - 1] == fn);
            wb_scope_chain_free(&c);
            wb_line_sites_free(&sites);
        }
    }
    /* file matching: base name, path suffix, full path; no code on line 1;
     * line 12 moves to 15 (clamp is declared one line later, allowed) */
    wb_line_sites s1, s2;
    CHECK(wb_dwarf_line_sites(d, "inline_math.c", 15, &s1, &err) == WB_OK);
    CHECK(wb_dwarf_line_sites(d, "programs/inline_math.c", 15, &s2, &err) == WB_OK);
    CHECK(s1.count == 1 && s2.count == 1 && s1.sites[0].addr == s2.sites[0].addr);
    CHECK(s1.line == 15 && s1.sites[0].line == 15);
    wb_line_sites_free(&s2);
    CHECK(wb_dwarf_line_sites(d, s1.file, 15, &s2, &err) == WB_OK && s2.count == 1);
    wb_line_sites_free(&s2);
    CHECK(wb_dwarf_line_sites(d, "ms/inline_math.c", 15, &s2, &err) == WB_NOT_FOUND);
    CHECK(wb_dwarf_line_sites(d, "nothere.c", 15, &s2, &err) == WB_NOT_FOUND);
    CHECK(wb_dwarf_line_sites(d, "inline_math.c", 1, &s2, &err) == WB_NOT_FOUND);
    /* line 12 moves to clamp's line 14 (its "{"), the function's first row, which
     * is then moved past the prologue */
    CHECK(wb_dwarf_line_sites(d, "inline_math.c", 12, &s2, &err) == WB_OK && s2.line == 14 &&
          s2.count == 1 && s2.sites[0].line == 15);
    wb_line_sites_free(&s2);
    CHECK(wb_dwarf_line_sites(d, "inline_math.c", 9999, &s2, &err) == WB_NOT_FOUND);
    /* a site on the line with a function's opening is moved past the
     * prologue (clamp's "{" is line 14) */
    CHECK(wb_dwarf_line_sites(d, "inline_math.c", 13, &s2, &err) == WB_OK);
    if (s2.count) CHECK(s2.sites[0].addr == s1.sites[0].addr && s2.sites[0].line == 15);
    wb_line_sites_free(&s2);
    wb_line_sites_free(&s1);

    /* rows: sorted within each unit, and a row lookup outside the code */
    size_t nunits = 0;
    CHECK(wb_dwarf_unit_count(d, &nunits, &err) == WB_OK && nunits > 1);
    for (size_t u = 0; u < nunits; u++) {
        const char *name;
        const wb_line *rows;
        size_t n;
        if (wb_dwarf_unit_lines(d, u, &name, &rows, &n, &err) != WB_OK) continue;
        for (size_t i = 1; i < n; i++)
            if (!rows[i - 1].end_sequence && rows[i].addr < rows[i - 1].addr) {
                CHECK(!"rows out of order");
                break;
            }
    }
    wb_line row;
    CHECK(wb_dwarf_line_at(d, 0, &row, &err) == WB_NOT_FOUND);
    CHECK(wb_dwarf_line_at(d, 0xfffffff0u, &row, &err) == WB_NOT_FOUND);
    wb_scope_chain c;
    CHECK(wb_dwarf_scopes_at(d, 0, &c, &err) == WB_NOT_FOUND);
    CHECK(wb_dwarf_function_named(d, "no_such_function", &fn, &entry, &err) == WB_NOT_FOUND);
out:
    wb_dwarf_close(d);
    wb_wasm_close(w);
}

/* -O2, DWARF 5: inlined chains */
static void test_c_o2(const char *path)
{
    wb_wasm *w = NULL;
    wb_dwarf *d = NULL;
    wb_error err;
    if (!open_dwarf(path, &w, &d, &err)) goto out;
    /* clamp's line 15 is inlined into classify (inlined into main) and
     * into scaled <- acc_add <- fold */
    wb_line_sites s;
    CHECK(wb_dwarf_line_sites(d, "inline_math.c", 15, &s, &err) == WB_OK && s.count >= 2);
    int nested = 0;
    for (size_t i = 0; i < s.count; i++) {
        wb_scope_chain c;
        if (wb_dwarf_scopes_at(d, s.sites[i].addr, &c, &err) != WB_OK) continue;
        CHECK(c.scopes[0]->kind == WB_SCOPE_INLINED && strcmp(c.scopes[0]->name, "clamp") == 0);
        CHECK(c.scopes[0]->call_line > 0 && c.scopes[0]->call_file &&
              ends_with(c.scopes[0]->call_file, "inline_math.c"));
        CHECK(c.scopes[0]->decl_line == 13);
        CHECK(c.scopes[c.count - 1]->kind == WB_SCOPE_FUNCTION);
        if (c.count >= 3) nested++;
        wb_scope_chain_free(&c);
    }
    CHECK(nested > 0);
    wb_line_sites_free(&s);
    const wb_scope *fn;
    wb_code_off entry;
    CHECK(wb_dwarf_function_named(d, "main", &fn, &entry, &err) == WB_OK);
    CHECK(wb_dwarf_function_named(d, "__main_argc_argv", &fn, &entry, &err) == WB_OK);
out:
    wb_dwarf_close(d);
    wb_wasm_close(w);
}

/* C++: qualified names through namespaces, classes, specifications */
static void test_cxx(const char *path)
{
    wb_wasm *w = NULL;
    wb_dwarf *d = NULL;
    wb_error err;
    if (!open_dwarf(path, &w, &d, &err)) goto out;
    const wb_scope *fn = NULL;
    wb_code_off entry;
    CHECK(wb_dwarf_function_named(d, "geo::Rect::area", &fn, &entry, &err) == WB_OK);
    if (fn) {
        CHECK(strcmp(fn->name, "area") == 0 && fn->linkage_name &&
              strcmp(fn->linkage_name, "_ZNK3geo4Rect4areaEv") == 0);
        wb_line row;
        CHECK(wb_dwarf_line_at(d, entry, &row, &err) == WB_OK && row.line == 29);
    }
    CHECK(wb_dwarf_function_named(d, "_ZNK3geo4Rect4areaEv", &fn, &entry, &err) == WB_OK);
    CHECK(wb_dwarf_function_named(d, "(anonymous namespace)::count_inside", &fn, &entry, &err) ==
          WB_OK);
    CHECK(wb_dwarf_function_named(d, "geo::detail::sum_of<int>", &fn, &entry, &err) == WB_OK);
    CHECK(wb_dwarf_function_named(d, "geo::Point::manhattan", &fn, &entry, &err) == WB_OK);
out:
    wb_dwarf_close(d);
    wb_wasm_close(w);
}

/* Every query, for robustness runs: only the outcome's shape is checked. */
static int exercise(wb_dwarf *d, const wb_wasm *w)
{
    wb_error err;
    int errors = 0;
    uint32_t step = wb_wasm_code_size(w) / 64 + 1;
    for (wb_code_off a = 0; a < wb_wasm_code_size(w); a += step) {
        wb_line row;
        wb_code_off s, e;
        wb_scope_chain c;
        wb_status st = wb_dwarf_line_at(d, a, &row, &err);
        CHECK(st == WB_OK || st == WB_NOT_FOUND || (st == WB_ERROR && err.msg[0]));
        errors += st == WB_ERROR;
        st = wb_dwarf_line_range(d, a, &s, &e, &err);
        CHECK(st != WB_OK || (s <= a && a < e));
        st = wb_dwarf_scopes_at(d, a, &c, &err);
        errors += st == WB_ERROR;
        if (st == WB_OK) wb_scope_chain_free(&c);
    }
    wb_line_sites sites;
    if (wb_dwarf_line_sites(d, "inline_math.c", 35, &sites, &err) == WB_OK)
        wb_line_sites_free(&sites);
    const wb_scope *fn;
    wb_code_off entry;
    errors += wb_dwarf_function_named(d, "fold", &fn, &entry, &err) == WB_ERROR;
    return errors;
}

static void test_bad_dwarf(const char *path)
{
    size_t n = 0, mn = 0;
    uint8_t *bytes = slurp(path, &n);
    CHECK(bytes != NULL);
    if (!bytes) return;
    wb_wasm *w = NULL;
    wb_dwarf *d = NULL;
    wb_error err;

    /* no DWARF at all: NOT_FOUND, not an error */
    uint8_t *m = mut_rebuild(bytes, n, ".debug_", MUT_DROP, 0, &mn);
    CHECK(m && wb_wasm_open_bytes(m, mn, &w, &err) == WB_OK);
    if (w) CHECK(wb_dwarf_open(w, &d, &err) == WB_NOT_FOUND && d == NULL);
    wb_wasm_close(w);
    free(m);

    /* flipped bytes all along .debug_info (headers, abbreviation codes,
     * attribute values, strings) */
    const uint8_t *info;
    size_t info_size = 0;
    CHECK(wb_wasm_open_bytes(bytes, n, &w, &err) == WB_OK);
    if (w) wb_wasm_custom_section(w, ".debug_info", &info, &info_size);
    wb_wasm_close(w);
    int opened = 0, errors = 0;
    for (size_t off = 0; off < info_size; off += info_size / 97 + 1) {
        m = mut_rebuild(bytes, n, ".debug_info", MUT_FLIP, off, &mn);
        w = NULL;
        d = NULL;
        if (m && wb_wasm_open_bytes(m, mn, &w, &err) == WB_OK) {
            wb_status st = wb_dwarf_open(w, &d, &err);
            CHECK(st == WB_OK || (st == WB_ERROR && err.msg[0]));
            if (d) {
                opened++;
                errors += exercise(d, w);
            }
        }
        wb_dwarf_close(d);
        wb_wasm_close(w);
        free(m);
    }
    CHECK(opened > 0);
    CHECK(errors > 0); /* some corruption must be noticed and reported */

    /* .debug_line cut short: the line table of some unit is corrupt */
    const size_t keeps[] = {0, 5, 40, 300, 2000};
    for (size_t k = 0; k < sizeof keeps / sizeof keeps[0]; k++) {
        m = mut_rebuild(bytes, n, ".debug_line", MUT_TRUNCATE, keeps[k], &mn);
        w = NULL;
        d = NULL;
        if (m && wb_wasm_open_bytes(m, mn, &w, &err) == WB_OK &&
            wb_dwarf_open(w, &d, &err) == WB_OK) {
            size_t nunits = 0, bad = 0;
            if (wb_dwarf_unit_count(d, &nunits, &err) == WB_OK)
                for (size_t u = 0; u < nunits; u++) {
                    const char *name;
                    const wb_line *rows;
                    size_t nrows;
                    if (wb_dwarf_unit_lines(d, u, &name, &rows, &nrows, &err) == WB_ERROR) {
                        CHECK(strstr(err.msg, "DWARF") != NULL);
                        bad++;
                    }
                }
            CHECK(bad > 0);
            exercise(d, w);
        }
        wb_dwarf_close(d);
        wb_wasm_close(w);
        free(m);
    }
    free(bytes);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: test_dwarf C_O0_DWARF4.wasm C_O2_DWARF5.wasm CXX.wasm\n");
        return 2;
    }
    test_c_o0(argv[1]);
    test_c_o2(argv[2]);
    test_cxx(argv[3]);
    test_bad_dwarf(argv[1]);
    test_bad_dwarf(argv[2]);
    return CHECK_DONE("test_dwarf");
}
