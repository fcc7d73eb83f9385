/*
 * Unit tests of the source map reader (lldb-bridge/formats/wb_srcmap.c)
 * and of the line table, scopes and variables wb_dwarf_open_srcmap makes
 * from it, on a hand-assembled module; then malformed maps and URLs, each
 * of which must give a clear error.
 */
#include "check.h"
#include "modbuf.h"
#include "wb_dwarf.h"
#include "wb_srcmap.h"
#include "wb_wasm.h"
#include "wdb/wasmfmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* base64 and VLQ encoders: the test writes maps the way asc does */
static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void vlq_put(char *out, int64_t v)
{
    uint64_t u = v < 0 ? ((uint64_t)(-v) << 1) | 1 : (uint64_t)v << 1;
    char *p = out + strlen(out);
    do {
        unsigned d = u & 31;
        u >>= 5;
        if (u) d |= 32;
        *p++ = b64[d];
    } while (u);
    *p = 0;
}

static char *base64(const char *s)
{
    size_t n = strlen(s);
    char *o = malloc(n / 3 * 4 + 8), *p = o;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)(uint8_t)s[i] << 16;
        if (i + 1 < n) v |= (uint32_t)(uint8_t)s[i + 1] << 8;
        if (i + 2 < n) v |= (uint8_t)s[i + 2];
        *p++ = b64[v >> 18 & 63];
        *p++ = b64[v >> 12 & 63];
        *p++ = i + 1 < n ? b64[v >> 6 & 63] : '=';
        *p++ = i + 2 < n ? b64[v & 63] : '=';
    }
    *p = 0;
    return o;
}

/* The module: type 0 (i32) -> i32, type 1 () -> (); function 0 "m/add"
 * (param x i32) (local y i32, local i32 unnamed, local f64 z):
 * local.get 0 local.set 1 local.get 1 end; function 1 "m/Foo#bar": nop
 * end. A sourceMappingURL section with `url` when not NULL. *insn gets
 * the file offsets of function 0's three instructions and function 1's
 * nop. */
static void module(buf *m, const char *url, uint32_t insn[4])
{
    buf s;
    static const uint8_t h[8] = {0, 'a', 's', 'm', 1, 0, 0, 0};
    m->n = 0;
    put(m, h, 8);
    s.n = 0;
    put_leb(&s, 2);
    put_u8(&s, 0x60), put_leb(&s, 1), put_u8(&s, 0x7f), put_leb(&s, 1), put_u8(&s, 0x7f);
    put_u8(&s, 0x60), put_leb(&s, 0), put_leb(&s, 0);
    section(m, 1, &s);
    s.n = 0;
    put_leb(&s, 2), put_leb(&s, 0), put_leb(&s, 1);
    section(m, 3, &s);
    s.n = 0;
    put_leb(&s, 2);
    /* body 0: 3 local groups (i32 x2, f64), 3 instructions + end */
    buf b = {.n = 0};
    put_leb(&b, 2), put_leb(&b, 2), put_u8(&b, 0x7f), put_leb(&b, 1), put_u8(&b, 0x7c);
    size_t i0 = b.n;
    put_u8(&b, 0x20), put_leb(&b, 0), put_u8(&b, 0x21), put_leb(&b, 1), put_u8(&b, 0x20),
        put_leb(&b, 1), put_u8(&b, 0x0b);
    put_leb(&s, (uint32_t)b.n);
    size_t body0 = s.n;
    put(&s, b.b, b.n);
    size_t body1 = s.n + 1;
    put_leb(&s, 3), put_leb(&s, 0), put_u8(&s, 0x01), put_u8(&s, 0x0b);
    uint8_t tmp[10];
    size_t code_start = m->n + 1 + wf_leb_write(tmp, s.n);
    insn[0] = (uint32_t)(code_start + body0 + i0);
    insn[1] = insn[0] + 2;
    insn[2] = insn[0] + 4;
    insn[3] = (uint32_t)(code_start + body1 + 1);
    section(m, 10, &s);
    /* name section: function names, local names of function 0 */
    s.n = 0;
    put_name(&s, "name");
    buf sub = {.n = 0};
    put_leb(&sub, 2), put_leb(&sub, 0), put_name(&sub, "m/add"), put_leb(&sub, 1),
        put_name(&sub, "m/Foo#bar");
    put_u8(&s, 1), put_leb(&s, (uint32_t)sub.n), put(&s, sub.b, sub.n);
    sub.n = 0;
    put_leb(&sub, 1), put_leb(&sub, 0), put_leb(&sub, 3), put_leb(&sub, 0), put_name(&sub, "x"),
        put_leb(&sub, 1), put_name(&sub, "y"), put_leb(&sub, 3), put_name(&sub, "z");
    put_u8(&s, 2), put_leb(&s, (uint32_t)sub.n), put(&s, sub.b, sub.n);
    section(m, 0, &s);
    if (url) {
        s.n = 0;
        put_name(&s, "sourceMappingURL");
        put_name(&s, url);
        section(m, 0, &s);
    }
}

/* A map: sources a.ts and ~lib/b.ts; function 0's instructions at
 * a.ts:10:3, a.ts:11:5, a.ts:11:7; function 1's nop at ~lib/b.ts:3:1;
 * a mapping at file offset 0 (outside the Code section: dropped) and an
 * unmapped one-field segment. */
static char *good_map(const uint32_t insn[4])
{
    static char json[1024];
    char map[256] = "";
    int64_t col = 0, src = 0, line = 0, scol = 0;
    struct {
        int64_t col, src, line, scol;
    } segs[] = {{0, 0, 0, 0},
                {insn[0], 0, 9, 2},
                {insn[1], 0, 10, 4},
                {insn[2], 0, 10, 6},
                {insn[3], 1, 2, 0}};
    for (size_t i = 0; i < sizeof segs / sizeof segs[0]; i++) {
        if (i) strcat(map, ",");
        vlq_put(map, segs[i].col - col);
        vlq_put(map, segs[i].src - src);
        vlq_put(map, segs[i].line - line);
        vlq_put(map, segs[i].scol - scol);
        col = segs[i].col, src = segs[i].src, line = segs[i].line, scol = segs[i].scol;
    }
    strcat(map, ",");
    vlq_put(map, 1); /* one field: no source */
    snprintf(json, sizeof json,
             "{\"version\":3,\"sources\":[\"a.ts\",\"~lib/b.ts\"],\"names\":[],"
             "\"sourcesContent\":[\"// a.ts\\n\",null],"
             "\"sourceRoot\":\"./nowhere\",\"mappings\":\"%s\"}",
             map);
    return json;
}

static wb_wasm *open_module(const char *url, uint32_t insn[4])
{
    static buf m;
    wb_wasm *w = NULL;
    wb_error err;
    module(&m, url, insn);
    CHECK_MSG(wb_wasm_open_bytes(m.b, m.n, &w, &err) == WB_OK, "module: %s", err.msg);
    return w;
}

static void test_embedded(void)
{
    uint32_t insn[4];
    wb_wasm *w0 = open_module(NULL, insn);
    char *enc = base64(good_map(insn));
    char *url = malloc(strlen(enc) + 64);
    sprintf(url, "data:application/json;base64,%s", enc);
    wb_wasm_close(w0);
    wb_wasm *w = open_module(url, insn);
    wb_srcmap *sm = NULL;
    wb_error err;
    if (!w) return;
    CHECK_MSG(wb_srcmap_open(w, "/d/m.wasm", &sm, &err) == WB_OK, "open: %s", err.msg);
    if (sm) {
        const wb_srcmap_row *rows;
        CHECK_EQ(wb_srcmap_rows(sm, &rows), 4);
        CHECK_STR(wb_srcmap_source(sm, 0), "/d/a.ts"); /* sourceRoot names no directory */
        CHECK_STR(wb_srcmap_source(sm, 1), "~lib/b.ts");
        const char *file;
        uint32_t line, col;
        wb_code_off off;
        CHECK(wb_wasm_file_to_code(w, (wb_file_off){insn[1] + 1}, &off) == WB_OK);
        CHECK(wb_srcmap_line_at(sm, off, &file, &line, &col) == WB_OK);
        CHECK_STR(file, "/d/a.ts");
        CHECK_EQ(line, 11);
        CHECK_EQ(col, 5);
    }
    /* the wb_dwarf interface over it */
    wb_dwarf *d = NULL;
    CHECK(sm && wb_dwarf_open_srcmap(w, sm, &d, &err) == WB_OK);
    wb_srcmap_close(sm);
    if (d) {
        CHECK(wb_dwarf_is_srcmap(d));
        wb_code_off off, lo, hi;
        wb_line row;
        CHECK(wb_wasm_file_to_code(w, (wb_file_off){insn[2]}, &off) == WB_OK);
        CHECK(wb_dwarf_line_at(d, off, &row, &err) == WB_OK);
        CHECK_EQ(row.line, 11);
        CHECK_EQ(row.column, 7);
        CHECK(wb_dwarf_line_range(d, off, &lo, &hi, &err) == WB_OK);
        wb_code_off i1;
        CHECK(wb_wasm_file_to_code(w, (wb_file_off){insn[1]}, &i1) == WB_OK);
        CHECK_EQ(lo, i1);
        wb_line_sites sites;
        CHECK(wb_dwarf_line_sites(d, "a.ts", 11, &sites, &err) == WB_OK);
        CHECK_EQ(sites.count, 1);
        if (sites.count) CHECK_EQ(sites.sites[0].addr, i1);
        wb_line_sites_free(&sites);
        CHECK(wb_dwarf_line_sites(d, "a.ts", 12, &sites, &err) == WB_NOT_FOUND);
        /* functions by short and whole name; past the prologue */
        const wb_scope *fn;
        wb_code_off entry, i0;
        CHECK(wb_wasm_file_to_code(w, (wb_file_off){insn[0]}, &i0) == WB_OK);
        CHECK(wb_dwarf_function_named(d, "add", &fn, &entry, &err) == WB_OK);
        CHECK_EQ(entry, i0);
        CHECK(wb_dwarf_function_named(d, "m/add", &fn, &entry, &err) == WB_OK);
        CHECK_STR(fn->name, "add");
        CHECK_STR(fn->qualified_name, "m/add");
        CHECK(wb_dwarf_function_named(d, "Foo#bar", &fn, &entry, &err) == WB_OK);
        CHECK(wb_dwarf_function_named(d, "nope", &fn, &entry, &err) == WB_NOT_FOUND);
        /* variables: the named locals with their Wasm types */
        CHECK(wb_dwarf_function_named(d, "add", &fn, &entry, &err) == WB_OK);
        const wb_var *const *vars;
        size_t nv = 0;
        CHECK(wb_dwarf_scope_vars(d, fn, &vars, &nv, &err) == WB_OK);
        CHECK_EQ(nv, 3);
        if (nv == 3) {
            CHECK_STR(vars[0]->name, "x");
            CHECK(vars[0]->is_param);
            CHECK_STR(vars[0]->type->name, "i32");
            CHECK_STR(vars[1]->name, "y");
            CHECK(!vars[1]->is_param);
            CHECK_STR(vars[2]->name, "z");
            CHECK_STR(vars[2]->type->name, "f64");
            CHECK_EQ(vars[2]->type->size, 8);
        }
        const wb_type *rt = NULL;
        CHECK(wb_dwarf_scope_return_type(d, fn, &rt, &err) == WB_OK);
        CHECK(rt && strcmp(rt->name, "i32") == 0);
        const char *const *files;
        size_t nf;
        CHECK(wb_dwarf_source_files(d, &files, &nf, &err) == WB_OK);
        CHECK_EQ(nf, 2);
        const wb_var *g;
        CHECK(wb_dwarf_global_named(d, "x", UINT32_MAX, &g, &err) == WB_NOT_FOUND);
        /* embedded sources */
        const char *text = wb_dwarf_source_text(d, "/d/a.ts");
        CHECK(text && strcmp(text, "// a.ts\n") == 0);
        CHECK(wb_dwarf_source_text(d, "~lib/b.ts") == NULL);
        CHECK(wb_dwarf_source_text(d, "/d/other.ts") == NULL);
        wb_dwarf_close(d);
    }
    wb_wasm_close(w);
    free(enc);
    free(url);
}

/* A map in a file next to the module, and through wb_dwarf_open_module;
 * a missing one is an error that names the path. */
static void test_file(void)
{
    uint32_t insn[4];
    char dir[] = "/tmp/wdb-srcmap-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    wb_wasm *w = open_module("./m.wasm.map", insn);
    char path[128], mpath[128];
    snprintf(path, sizeof path, "%s/m.wasm.map", dir);
    snprintf(mpath, sizeof mpath, "%s/m.wasm", dir);
    wb_srcmap *sm = NULL;
    wb_error err;
    CHECK(wb_srcmap_open(w, mpath, &sm, &err) == WB_ERROR);
    CHECK_MSG(strstr(err.msg, "m.wasm.map") != NULL, "missing map: %s", err.msg);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs(good_map(insn), f);
        fclose(f);
    }
    CHECK_MSG(wb_srcmap_open(w, mpath, &sm, &err) == WB_OK, "file map: %s", err.msg);
    if (sm) {
        char want[160];
        snprintf(want, sizeof want, "%s/a.ts", dir);
        CHECK_STR(wb_srcmap_source(sm, 0), want);
        wb_srcmap_close(sm);
    }
    wb_dwarf *d = NULL;
    const char *what = NULL;
    CHECK(wb_dwarf_open_module(w, mpath, &d, &what, &err) == WB_OK);
    CHECK(what && strcmp(what, "source map") == 0);
    CHECK(wb_dwarf_is_srcmap(d));
    wb_dwarf_close(d);
    wb_wasm_close(w);
    /* DWARF and a source map: DWARF wins (this .debug_info is garbage, so
     * opening it may fail, but it is what is tried) */
    {
        buf m;
        wb_wasm *wd = NULL;
        module(&m, "./m.wasm.map", insn);
        buf s = {.n = 0};
        put_name(&s, ".debug_info");
        put(&s, "\x07\x00\x00\x00\x04\x00", 6);
        section(&m, 0, &s);
        CHECK(wb_wasm_open_bytes(m.b, m.n, &wd, &err) == WB_OK);
        wb_status st = wb_dwarf_open_module(wd, mpath, &d, &what, &err);
        CHECK(st != WB_NOT_FOUND);
        CHECK(what && strcmp(what, "DWARF") == 0);
        CHECK(!wb_dwarf_is_srcmap(d));
        wb_dwarf_close(d);
        d = NULL;
        wb_wasm_close(wd);
    }
    unlink(path);
    rmdir(dir);
    /* no section at all */
    w = open_module(NULL, insn);
    CHECK(wb_srcmap_open(w, mpath, &sm, &err) == WB_NOT_FOUND);
    CHECK(wb_dwarf_open_module(w, mpath, &d, &what, &err) == WB_NOT_FOUND);
    wb_wasm_close(w);
}

/* Bad maps and URLs: WB_ERROR with a message, never a crash. */
static void test_bad(void)
{
    uint32_t insn[4];
    wb_wasm *w = open_module(NULL, insn);
    static const char *const bad_json[] = {
        "",
        "not json",
        "[]",
        "{\"version\":2,\"sources\":[],\"mappings\":\"\"}",
        "{\"version\":3,\"mappings\":\"\"}",
        "{\"version\":3,\"sources\":[],\"mappings\":7}",
        "{\"version\":3,\"sources\":[\"a\"],\"mappings\":\"AAAA\"}",   /* offset 0: dropped: OK */
        "{\"version\":3,\"sources\":[\"a\"],\"mappings\":\"ACAA\"}",   /* source 1 of 1 */
        "{\"version\":3,\"sources\":[\"a\"],\"mappings\":\"AA\"}",     /* 2 fields */
        "{\"version\":3,\"sources\":[\"a\"],\"mappings\":\"AAAAAA\"}", /* 6 fields */
        "{\"version\":3,\"sources\":[\"a\"],\"mappings\":\"A!AA\"}",
        "{\"version\":3,\"sources\":[\"a\"],\"mappings\":\"g\"}",            /* unfinished VLQ */
        "{\"version\":3,\"sources\":[\"a\"],\"mappings\":\"gggggggggggA\"}", /* too long */
        "{\"version\":3,\"sources\":[\"a\"],\"mappings\":\"AADA\"}",         /* line -1 */
        "{\"version\":3,\"sources\":[\"a\"],\"mappings\":\"D\"}",            /* column -1 */
        "{\"version\":3,\"sources\":[\"a\"],\"mappings\":\"//////D\"}",      /* past 32 bits */
    };
    for (size_t i = 0; i < sizeof bad_json / sizeof bad_json[0]; i++) {
        wb_srcmap *sm = NULL;
        wb_error err = {{0}};
        wb_status st = wb_srcmap_parse(w, bad_json[i], strlen(bad_json[i]), "/d", &sm, &err);
        if (i == 6) {
            CHECK_MSG(st == WB_OK, "map %zu: %s", i, err.msg);
            const wb_srcmap_row *rows;
            if (sm) CHECK_EQ(wb_srcmap_rows(sm, &rows), 0);
        } else {
            CHECK_MSG(st == WB_ERROR && err.msg[0], "map %zu (%s) accepted", i, bad_json[i]);
        }
        wb_srcmap_close(sm);
    }
    wb_wasm_close(w);
    static const char *const bad_urls[] = {
        "data:application/json;base64,!!!!",
        "data:application/json;base64,bm90IGpzb24=", /* "not json" */
        "data:text/plain,{}",
        "http://example.com/m.wasm.map",
        "\x01x",
        "/nonexistent/dir/m.wasm.map",
    };
    for (size_t i = 0; i < sizeof bad_urls / sizeof bad_urls[0]; i++) {
        wb_srcmap *sm = NULL;
        wb_error err = {{0}};
        w = open_module(bad_urls[i], insn);
        CHECK_MSG(wb_srcmap_open(w, "m.wasm", &sm, &err) == WB_ERROR && err.msg[0],
                  "URL %zu accepted", i);
        wb_srcmap_close(sm);
        wb_wasm_close(w);
    }
}

int main(void)
{
    test_embedded();
    test_file();
    test_bad();
    return CHECK_DONE("test_srcmap");
}
