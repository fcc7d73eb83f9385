/*
 * Unit tests of the Wasm object reader (lldb-bridge/formats/wb_wasm.c) on
 * hand-assembled modules, well-formed and malformed.
 */
#include "check.h"
#include "modbuf.h"
#include "wb_wasm.h"
#include "wdb/wasmfmt.h"

#include <stdlib.h>
#include <string.h>

static void header(buf *m)
{
    static const uint8_t h[8] = {0, 'a', 's', 'm', 1, 0, 0, 0};
    m->n = 0;
    put(m, h, 8);
}

/* A module with 2 imported functions (and a memory, a global and a table
 * import in between), 2 defined functions, a .debug_info custom section and
 * a name section naming functions 1, 2 and 3 and global 0. *code_start gets the file
 * offset of the Code section's contents. */
static void good_module(buf *m, size_t *code_start)
{
    buf s;
    header(m);
    /* type: (func) */
    s.n = 0;
    put_leb(&s, 1);
    put_u8(&s, 0x60), put_leb(&s, 0), put_leb(&s, 0);
    section(m, 1, &s);
    /* imports */
    s.n = 0;
    put_leb(&s, 5);
    put_name(&s, "env"), put_name(&s, "f0"), put_u8(&s, 0), put_leb(&s, 0);
    put_name(&s, "env"), put_name(&s, "mem"), put_u8(&s, 2), put_u8(&s, 1), put_leb(&s, 1),
        put_leb(&s, 300);
    put_name(&s, "env"), put_name(&s, "g"), put_u8(&s, 3), put_u8(&s, 0x7f), put_u8(&s, 0);
    put_name(&s, "env"), put_name(&s, "t"), put_u8(&s, 1), put_u8(&s, 0x70), put_u8(&s, 0),
        put_leb(&s, 1);
    put_name(&s, "env"), put_name(&s, "f1"), put_u8(&s, 0), put_leb(&s, 0);
    section(m, 2, &s);
    /* function */
    s.n = 0;
    put_leb(&s, 2), put_leb(&s, 0), put_leb(&s, 0);
    section(m, 3, &s);
    /* code: body 1 = (no locals) nop end; body 2 = 1 local i32, nop nop end */
    s.n = 0;
    put_leb(&s, 2);
    put_leb(&s, 3), put_leb(&s, 0), put_u8(&s, 0x01), put_u8(&s, 0x0b);
    put_leb(&s, 6), put_leb(&s, 1), put_leb(&s, 1), put_u8(&s, 0x7f), put_u8(&s, 0x01),
        put_u8(&s, 0x01), put_u8(&s, 0x0b);
    *code_start = m->n + 2; /* id + 1-byte size */
    section(m, 10, &s);
    /* custom .debug_info */
    s.n = 0;
    put_name(&s, ".debug_info");
    put(&s, "xyz", 3);
    section(m, 0, &s);
    /* name section: subsection 1, function names (out of order on purpose) */
    buf sub;
    sub.n = 0;
    put_leb(&sub, 3);
    put_leb(&sub, 3), put_name(&sub, "second");
    put_leb(&sub, 1), put_name(&sub, "imported_f1");
    put_leb(&sub, 2), put_name(&sub, "first");
    s.n = 0;
    put_name(&s, "name");
    put_u8(&s, 0); /* module name subsection, skipped */
    put_leb(&s, 2), put_leb(&s, 1), put_u8(&s, 'm');
    put_u8(&s, 1);
    put_leb(&s, (uint32_t)sub.n);
    put(&s, sub.b, sub.n);
    /* subsection 7, global names: the imported global 0 */
    sub.n = 0;
    put_leb(&sub, 1);
    put_leb(&sub, 0), put_name(&sub, "__stack_pointer");
    put_u8(&s, 7);
    put_leb(&s, (uint32_t)sub.n);
    put(&s, sub.b, sub.n);
    section(m, 0, &s);
}

static void test_good(void)
{
    buf m;
    size_t code_start;
    wb_wasm *w = NULL;
    wb_error err;
    good_module(&m, &code_start);
    CHECK(wb_wasm_open_bytes(m.b, m.n, &w, &err) == WB_OK);
    if (!w) return;
    CHECK(wb_wasm_section_count(w) == 6);
    CHECK(wb_wasm_section(w, 0)->id == 1);
    CHECK(strcmp(wb_wasm_section(w, 4)->name, ".debug_info") == 0);
    CHECK(strcmp(wb_wasm_section(w, 3)->name, "code") == 0);
    CHECK(wb_wasm_section(w, 6) == NULL);
    CHECK(wb_wasm_has_code(w));
    CHECK(wb_wasm_code_offset(w).off == code_start);
    CHECK(wb_wasm_code_size(w) == 12);
    CHECK(wb_wasm_import_func_count(w) == 2);
    CHECK(wb_wasm_func_count(w) == 2);
    const wb_func *f0 = wb_wasm_func(w, 0), *f1 = wb_wasm_func(w, 1);
    CHECK(f0->index == 2 && f1->index == 3);
    /* code offsets: count at 0, body 1 size at 1, locals at 2.. end at 5 */
    CHECK(f0->header == 1 && f0->start == 2 && f0->end == 5);
    CHECK(f1->header == 5 && f1->start == 6 && f1->end == 12);
    CHECK(f0->name && strcmp(f0->name, "first") == 0);
    CHECK(f1->name && strcmp(f1->name, "second") == 0);
    CHECK(strcmp(wb_wasm_func_name(w, 1), "imported_f1") == 0);
    CHECK(wb_wasm_func_name(w, 0) == NULL);
    uint32_t gi = 99;
    CHECK(wb_wasm_global_named(w, "__stack_pointer", &gi) == WB_OK && gi == 0);
    CHECK(wb_wasm_global_named(w, "first", &gi) == WB_NOT_FOUND);
    CHECK(wb_wasm_func(w, 2) == NULL);
    CHECK(wb_wasm_func_named(w, "second") == f1 && wb_wasm_func_named(w, "first") == f0);
    CHECK(wb_wasm_func_named(w, "imported_f1") == NULL && wb_wasm_func_named(w, "x") == NULL);
    const wb_func *f = NULL;
    CHECK(wb_wasm_func_at(w, 0, &f) == WB_NOT_FOUND);
    CHECK(wb_wasm_func_at(w, 1, &f) == WB_OK && f == f0);
    CHECK(wb_wasm_func_at(w, 4, &f) == WB_OK && f == f0);
    CHECK(wb_wasm_func_at(w, 5, &f) == WB_OK && f == f1);
    CHECK(wb_wasm_func_at(w, 11, &f) == WB_OK && f == f1);
    CHECK(wb_wasm_func_at(w, 12, &f) == WB_NOT_FOUND);
    const uint8_t *data;
    size_t size;
    CHECK(wb_wasm_custom_section(w, ".debug_info", &data, &size) == WB_OK && size == 3 &&
          memcmp(data, "xyz", 3) == 0);
    CHECK(wb_wasm_custom_section(w, ".debug_line", &data, &size) == WB_NOT_FOUND);
    /* the one conversion between code and file offsets */
    CHECK(wb_wasm_code_to_file(w, 6).off == code_start + 6);
    wb_code_off c;
    CHECK(wb_wasm_file_to_code(w, (wb_file_off){code_start + 6}, &c) == WB_OK && c == 6);
    CHECK(wb_wasm_file_to_code(w, (wb_file_off){code_start - 1}, &c) == WB_NOT_FOUND);
    CHECK(wb_wasm_file_to_code(w, (wb_file_off){code_start + 12}, &c) == WB_NOT_FOUND);
    wb_wasm_close(w);
}

static void test_empty(void)
{
    buf m;
    wb_wasm *w = NULL;
    wb_error err;
    header(&m);
    CHECK(wb_wasm_open_bytes(m.b, m.n, &w, &err) == WB_OK);
    if (!w) return;
    CHECK(!wb_wasm_has_code(w) && wb_wasm_func_count(w) == 0 && wb_wasm_section_count(w) == 0);
    const wb_func *f;
    CHECK(wb_wasm_func_at(w, 0, &f) == WB_NOT_FOUND);
    wb_wasm_close(w);
    wb_wasm_close(NULL);
}

/* Opens bytes that must be refused; the message must contain `want`. */
static void expect_bad(const uint8_t *b, size_t n, const char *want, int line)
{
    wb_wasm *w = NULL;
    wb_error err;
    memset(&err, 0, sizeof err);
    wb_status st = wb_wasm_open_bytes(b, n, &w, &err);
    CHECK_AT(__FILE__, line, st == WB_ERROR && w == NULL && strstr(err.msg, want),
             "expected an error with \"%s\", got %d \"%s\"", want, (int)st, err.msg);
    wb_wasm_close(w);
}
#define EXPECT_BAD(b, n, want) expect_bad(b, n, want, __LINE__)

static void test_malformed(void)
{
    buf m, s;
    size_t code_start;
    EXPECT_BAD((const uint8_t *)"", 0, "bad magic");
    EXPECT_BAD((const uint8_t *)"\0asm", 4, "version");
    EXPECT_BAD((const uint8_t *)"\0asm\2\0\0\0", 8, "version");
    EXPECT_BAD((const uint8_t *)"\x7f"
                                "ELF\1\0\0\0",
               8, "bad magic");

    /* a section longer than the file */
    header(&m);
    put_u8(&m, 1), put_leb(&m, 100), put_u8(&m, 0);
    EXPECT_BAD(m.b, m.n, "type section at offset 0x8 has size 100");
    /* a size LEB cut by the end of the file */
    header(&m);
    put_u8(&m, 1), put_u8(&m, 0x80);
    EXPECT_BAD(m.b, m.n, "offset 0xa (type section)");
    /* an over-long LEB */
    header(&m);
    put_u8(&m, 1);
    put(&m, "\x80\x80\x80\x80\x80\x00", 6);
    EXPECT_BAD(m.b, m.n, "integer");
    /* unknown section id */
    header(&m);
    put_u8(&m, 42), put_leb(&m, 0);
    EXPECT_BAD(m.b, m.n, "unknown section id 42 at offset 0x8");
    /* custom section whose name runs past it */
    header(&m);
    put_u8(&m, 0), put_leb(&m, 2), put_leb(&m, 9), put_u8(&m, 'x');
    EXPECT_BAD(m.b, m.n, "name extends past its section");
    /* function and code counts differ */
    header(&m);
    s.n = 0;
    put_leb(&s, 2), put_leb(&s, 0), put_leb(&s, 0);
    section(&m, 3, &s);
    s.n = 0;
    put_leb(&s, 1), put_leb(&s, 2), put_leb(&s, 0), put_u8(&s, 0x0b);
    section(&m, 10, &s);
    EXPECT_BAD(m.b, m.n, "declares 2 functions but the code section has 1");
    /* a body past the end of the code section */
    header(&m);
    s.n = 0;
    put_leb(&s, 1), put_leb(&s, 9), put_leb(&s, 0), put_u8(&s, 0x0b);
    section(&m, 10, &s);
    EXPECT_BAD(m.b, m.n, "function body extends past the section");
    /* a huge body count */
    header(&m);
    s.n = 0;
    put_leb(&s, 0x7fffffff);
    section(&m, 10, &s);
    EXPECT_BAD(m.b, m.n, "function count too large");
    /* duplicate code sections */
    good_module(&m, &code_start);
    s.n = 0;
    put_leb(&s, 0);
    section(&m, 10, &s);
    EXPECT_BAD(m.b, m.n, "duplicate code section");
    /* import of an unknown kind */
    header(&m);
    s.n = 0;
    put_leb(&s, 1), put_name(&s, "a"), put_name(&s, "b"), put_u8(&s, 9);
    section(&m, 2, &s);
    EXPECT_BAD(m.b, m.n, "unknown import kind");
    /* every truncation of a good module is refused cleanly, or (cut at a
     * section boundary) accepted */
    good_module(&m, &code_start);
    for (size_t n = 0; n < m.n; n++) {
        wb_wasm *w = NULL;
        wb_error err;
        wb_status st = wb_wasm_open_bytes(m.b, n, &w, &err);
        CHECK(st == WB_OK || (st == WB_ERROR && w == NULL && err.msg[0]));
        wb_wasm_close(w);
    }
}

static void test_bad_name_section(void)
{
    buf m, s;
    wb_wasm *w = NULL;
    wb_error err;
    header(&m);
    s.n = 0;
    put_name(&s, "name");
    put_u8(&s, 1), put_leb(&s, 50), put_leb(&s, 1); /* subsection longer than the section */
    section(&m, 0, &s);
    /* a malformed custom section does not make the module invalid */
    CHECK(wb_wasm_open_bytes(m.b, m.n, &w, &err) == WB_OK);
    if (w) CHECK(wb_wasm_func_name(w, 0) == NULL);
    wb_wasm_close(w);
}

/* Data segments: active ones of memory 0 at constant offsets, named from
 * the name section's subsection 9; a Data section that cannot be read
 * leaves the module usable, without segments. */
static void test_data_segments(void)
{
    buf m, s, sub;
    wb_wasm *w = NULL;
    wb_error err;
    header(&m);
    s.n = 0;
    put_leb(&s, 4);
    put_leb(&s, 0), put_u8(&s, 0x41), put_leb(&s, 1024), put_u8(&s, 0x0b), put_name(&s, "ab");
    put_leb(&s, 1), put_name(&s, "xyz"); /* passive */
    put_leb(&s, 2), put_leb(&s, 0), put_u8(&s, 0x41), put_leb(&s, 2048), put_u8(&s, 0x0b),
        put_name(&s, "cde");
    /* global.get 0: not a constant offset */
    put_leb(&s, 0), put_u8(&s, 0x23), put_leb(&s, 0), put_u8(&s, 0x0b), put_name(&s, "q");
    section(&m, 11, &s);
    sub.n = 0;
    put_leb(&sub, 2);
    put_leb(&sub, 2), put_name(&sub, ".data");
    put_leb(&sub, 0), put_name(&sub, ".rodata");
    s.n = 0;
    put_name(&s, "name");
    put_u8(&s, 9);
    put_leb(&s, (uint32_t)sub.n);
    put(&s, sub.b, sub.n);
    section(&m, 0, &s);
    CHECK(wb_wasm_open_bytes(m.b, m.n, &w, &err) == WB_OK);
    if (!w) return;
    CHECK(wb_wasm_data_segment_count(w) == 2);
    const wb_data_segment *d0 = wb_wasm_data_segment(w, 0), *d1 = wb_wasm_data_segment(w, 1);
    CHECK(d0 && d0->addr == 1024 && d0->size == 2 && d0->name && strcmp(d0->name, ".rodata") == 0);
    CHECK(d1 && d1->addr == 2048 && d1->size == 3 && d1->name && strcmp(d1->name, ".data") == 0);
    CHECK(wb_wasm_data_segment(w, 2) == NULL);
    wb_wasm_close(w);

    /* a segment running past the section */
    header(&m);
    s.n = 0;
    put_leb(&s, 1);
    put_leb(&s, 0), put_u8(&s, 0x41), put_leb(&s, 16), put_u8(&s, 0x0b), put_leb(&s, 40);
    section(&m, 11, &s);
    CHECK(wb_wasm_open_bytes(m.b, m.n, &w, &err) == WB_OK);
    if (w) CHECK(wb_wasm_data_segment_count(w) == 0);
    wb_wasm_close(w);
}

/* Wasm 3.0 type sections: a rec group of two function types, a sub type,
 * typed references and exnref as parameter and local types; a struct
 * type is refused with a clear error, not misread. */
static void test_rec_groups(void)
{
    buf m, s;
    wb_wasm *w = NULL;
    wb_error err;
    header(&m);
    s.n = 0;
    put_leb(&s, 2); /* 2 entries, 3 types */
    put_u8(&s, 0x4e), put_leb(&s, 2);
    put_u8(&s, 0x60), put_leb(&s, 0), put_leb(&s, 0);                   /* 0: (func) */
    put_u8(&s, 0x60), put_leb(&s, 1), put_u8(&s, 0x64), put_leb(&s, 0), /* 1: (ref 0) */
        put_leb(&s, 0);
    put_u8(&s, 0x50), put_leb(&s, 0), put_u8(&s, 0x60), put_leb(&s, 2), /* 2: sub */
        put_u8(&s, 0x63), put_u8(&s, 0x6f), put_u8(&s, 0x7e), put_leb(&s, 1), put_u8(&s, 0x7f);
    section(&m, 1, &s);
    s.n = 0;
    put_leb(&s, 2), put_leb(&s, 1), put_leb(&s, 2);
    section(&m, 3, &s);
    /* bodies: one local exnref; one local (ref null func) */
    s.n = 0;
    put_leb(&s, 2);
    put_leb(&s, 4), put_leb(&s, 1), put_leb(&s, 1), put_u8(&s, 0x69), put_u8(&s, 0x0b);
    put_leb(&s, 5), put_leb(&s, 1), put_leb(&s, 1), put_u8(&s, 0x63), put_u8(&s, 0x70),
        put_u8(&s, 0x0b);
    section(&m, 10, &s);
    CHECK(wb_wasm_open_bytes(m.b, m.n, &w, &err) == WB_OK);
    if (!w) return;
    uint8_t *t = NULL, res = 0;
    uint32_t n = 0, np = 0;
    CHECK(wb_wasm_func_locals(w, 0, &t, &n, &np, &res, &err) == WB_OK);
    CHECK(n == 2 && np == 1 && t && t[0] == 0x70 && t[1] == 0x69 && res == 0);
    free(t);
    t = NULL;
    CHECK(wb_wasm_func_locals(w, 1, &t, &n, &np, &res, &err) == WB_OK);
    CHECK(n == 3 && np == 2 && t && t[0] == 0x6f && t[1] == 0x7e && t[2] == 0x70 && res == 0x7f);
    free(t);
    wb_wasm_close(w);

    /* a struct type in the group: the function typed after it is refused */
    header(&m);
    s.n = 0;
    put_leb(&s, 1);
    put_u8(&s, 0x4e), put_leb(&s, 2);
    put_u8(&s, 0x5f), put_leb(&s, 0);                 /* 0: (struct) */
    put_u8(&s, 0x60), put_leb(&s, 0), put_leb(&s, 0); /* 1: (func) */
    section(&m, 1, &s);
    s.n = 0;
    put_leb(&s, 1), put_leb(&s, 1);
    section(&m, 3, &s);
    s.n = 0;
    put_leb(&s, 1), put_leb(&s, 2), put_leb(&s, 0), put_u8(&s, 0x0b);
    section(&m, 10, &s);
    w = NULL;
    CHECK(wb_wasm_open_bytes(m.b, m.n, &w, &err) == WB_OK);
    if (!w) return;
    t = NULL;
    CHECK(wb_wasm_func_locals(w, 0, &t, &n, &np, &res, &err) == WB_ERROR);
    CHECK(strstr(err.msg, "GC struct and array types are not supported") != NULL);
    CHECK(t == NULL);
    wb_wasm_close(w);
}

static void test_file(void)
{
    wb_wasm *w = NULL;
    wb_error err;
    CHECK(wb_wasm_open_file("/nonexistent/x.wasm", &w, &err) == WB_ERROR);
    CHECK(strstr(err.msg, "/nonexistent/x.wasm") && strstr(err.msg, "No such file"));
}

int main(void)
{
    test_good();
    test_empty();
    test_malformed();
    test_bad_name_section();
    test_data_segments();
    test_rec_groups();
    test_file();
    return CHECK_DONE("test_wasm");
}
