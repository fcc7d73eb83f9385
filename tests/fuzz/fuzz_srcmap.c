/*
 * libFuzzer target: the source map reader (lldb-bridge/formats/wb_srcmap.c)
 * and the line table, scopes and variables wb_dwarf_open_srcmap makes from
 * it, on mutated source map JSON.
 *
 * The module is fixed and made here: two functions with named locals
 * whose bodies (nops) cover file offsets 0x20 to about 0x400, so most
 * generated columns a mutation writes land in the Code section. Each input
 * that parses is then queried: a line lookup at every code offset,
 * breakpoint sites for every source at a few lines, functions by name,
 * each function's variables and return type, the source files. Any outcome
 * is fine (OK, NOT_FOUND, ERROR); crashes, leaks and sanitizer reports are
 * not. Seeds: corpus/srcmap (hand-written maps).
 *
 * Build: cmake -DWDB_FUZZ=ON -DCMAKE_C_COMPILER=clang-22; run bench/fuzz.sh.
 */
#include "wb_dwarf.h"
#include "wb_srcmap.h"
#include "wb_wasm.h"
#include "wdb/wasmfmt.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint8_t mod[2048];
static size_t mod_len;

static void put(const void *p, size_t n)
{
    memcpy(mod + mod_len, p, n);
    mod_len += n;
}
static void put_u8(uint8_t v)
{
    mod[mod_len++] = v;
}
static void put_leb(uint32_t v)
{
    mod_len += wf_leb_write(mod + mod_len, v);
}
/* (i32) -> i32 with locals "a" (param), "b" i32, f64; () -> () */
static void build_module(void)
{
    static const uint8_t h[8] = {0, 'a', 's', 'm', 1, 0, 0, 0};
    uint8_t body[1024];
    size_t nb = 0;
    put(h, 8);
    put_u8(1), put_leb(9), put_leb(2);
    put_u8(0x60), put_leb(1), put_u8(0x7f), put_leb(1), put_u8(0x7f);
    put_u8(0x60), put_leb(0), put_leb(0);
    put_u8(3), put_leb(3), put_leb(2), put_leb(0), put_leb(1);
    /* code: body 0 = locals, 480 nops, local.get 0, end; body 1 = 400 nops, end */
    uint8_t b0[600], b1[500];
    size_t n0 = 0, n1 = 0;
    b0[n0++] = 2, b0[n0++] = 1, b0[n0++] = 0x7f, b0[n0++] = 1, b0[n0++] = 0x7c;
    for (int i = 0; i < 480; i++)
        b0[n0++] = 0x01;
    b0[n0++] = 0x20, b0[n0++] = 0, b0[n0++] = 0x0b;
    b1[n1++] = 0;
    for (int i = 0; i < 400; i++)
        b1[n1++] = 0x01;
    b1[n1++] = 0x0b;
    body[nb++] = 2;
    nb += wf_leb_write(body + nb, n0);
    memcpy(body + nb, b0, n0), nb += n0;
    nb += wf_leb_write(body + nb, n1);
    memcpy(body + nb, b1, n1), nb += n1;
    put_u8(10), put_leb((uint32_t)nb), put(body, nb);
    /* name section */
    uint8_t names[128];
    size_t nn = 0;
    const char *const fnames[2] = {"m/f", "~lib/x/C<~lib/y/Z>#g"};
    uint8_t sub[96];
    size_t ns = 0;
    sub[ns++] = 2;
    for (uint32_t i = 0; i < 2; i++) {
        sub[ns++] = (uint8_t)i;
        sub[ns++] = (uint8_t)strlen(fnames[i]);
        memcpy(sub + ns, fnames[i], strlen(fnames[i])), ns += strlen(fnames[i]);
    }
    static const char nm[] = "name";
    names[nn++] = 4, memcpy(names + nn, nm, 4), nn += 4;
    names[nn++] = 1, names[nn++] = (uint8_t)ns, memcpy(names + nn, sub, ns), nn += ns;
    static const uint8_t locals[] = {1, 0, 2, 0, 1, 'a', 1, 1, 'b'};
    names[nn++] = 2, names[nn++] = sizeof locals, memcpy(names + nn, locals, sizeof locals),
    nn += sizeof locals;
    put_u8(0), put_leb((uint32_t)nn), put(names, nn);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wb_wasm *w = NULL;
    wb_srcmap *m = NULL;
    wb_dwarf *d = NULL;
    wb_error err;
    if (!mod_len) build_module();
    if (wb_wasm_open_bytes(mod, mod_len, &w, &err) != WB_OK) abort(); /* the fixed module */
    if (wb_srcmap_parse(w, (const char *)data, size, "/src", &m, &err) != WB_OK) goto out;
    const char *file;
    uint32_t line, col;
    uint32_t code = wb_wasm_code_size(w);
    for (wb_code_off a = 0; a <= code; a++)
        (void)wb_srcmap_line_at(m, a, &file, &line, &col);
    if (wb_dwarf_open_srcmap(w, m, &d, &err) != WB_OK) goto out;
    for (wb_code_off a = 0; a <= code; a += 7) {
        wb_line row;
        wb_code_off lo, hi;
        const wb_scope *fn;
        (void)wb_dwarf_line_at(d, a, &row, &err);
        (void)wb_dwarf_line_range(d, a, &lo, &hi, &err);
        if (wb_dwarf_function_at(d, a, &fn, &err) == WB_OK) {
            const wb_var *const *vars;
            size_t nv;
            const wb_type *rt;
            (void)wb_dwarf_scope_vars(d, fn, &vars, &nv, &err);
            (void)wb_dwarf_scope_return_type(d, fn, &rt, &err);
        }
    }
    for (uint32_t i = 0; i < wb_srcmap_source_count(m) && i < 8; i++) {
        const char *text = wb_dwarf_source_text(d, wb_srcmap_source(m, i));
        if (text) (void)strlen(text);
        for (uint32_t l = 0; l < 6; l++) {
            wb_line_sites s;
            if (wb_dwarf_line_sites(d, wb_srcmap_source(m, i), l * 3, &s, &err) == WB_OK)
                wb_line_sites_free(&s);
        }
    }
    const char *names[] = {"f", "m/f", "C<~lib/y/Z>#g", "nope"};
    for (size_t i = 0; i < 4; i++) {
        const wb_scope *fn;
        wb_code_off entry;
        (void)wb_dwarf_function_named(d, names[i], &fn, &entry, &err);
    }
    const char *const *files;
    size_t nf;
    (void)wb_dwarf_source_files(d, &files, &nf, &err);
out:
    wb_dwarf_close(d);
    wb_srcmap_close(m);
    wb_wasm_close(w);
    return 0;
}
