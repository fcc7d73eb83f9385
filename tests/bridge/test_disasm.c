/*
 * Unit tests of the disassembler (lldb-bridge/formats/wb_disasm.c).
 *
 *   test_disasm WASM_OBJDUMP OPS_WASM [MODULE.wasm...]
 *
 * Every function of every module is disassembled and compared with
 * `wasm-objdump -d` (wabt): both sides are reduced to (file offset,
 * canonical text, depth), where the canonical text drops names and
 * rewrites the two syntaxes' differences (wabt prints memargs as
 * "ALIGN_LOG2 OFFSET", i32 constants unsigned, floats with its own hex
 * spelling, block types as "type[N]", ...). OPS_WASM is
 * programs/disasm_ops.wat, which holds every instruction form; its texts
 * are also checked exactly. Then truncated, corrupted and hand-made
 * malformed bodies, which must give WB_ERROR (or decode) without reading
 * outside the body: run it under the ASan build to make that check bite.
 */
#include "check.h"
#include "wb_disasm.h"
#include "wb_wasm.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- canonical texts ---------------------------------------------------- */

typedef struct toks {
    char s[32][48];
    int n;
} toks;

/* Splits `in` into tokens, dropping " <name>" parts (names may hold spaces
 * and angle brackets), brackets and the word "result". */
static void tokenize(const char *in, toks *t)
{
    char tmp[512];
    size_t k = 0;
    int depth = 0;
    for (const char *p = in; *p && k < sizeof tmp - 1; p++) {
        if (depth == 0 && *p == '<' && (p == in || p[-1] == ' ')) {
            depth = 1;
            continue;
        }
        if (depth > 0) {
            if (*p == '<') depth++;
            if (*p == '>') depth--;
            continue;
        }
        tmp[k++] = (*p == '(' || *p == ')' || *p == '[' || *p == ']') ? ' ' : *p;
    }
    tmp[k] = 0;
    t->n = 0;
    for (char *save = NULL, *w = strtok_r(tmp, " ", &save); w && t->n < 32;
         w = strtok_r(NULL, " ", &save)) {
        if (!strcmp(w, "result")) continue;
        snprintf(t->s[t->n++], sizeof t->s[0], "%s", w);
    }
}

/* Natural alignment (log2) of a load/store mnemonic. */
static unsigned natural_align(const char *mn)
{
    const char *p = strstr(mn, "load");
    p = p ? p + 4 : strstr(mn, "store") + 5;
    if (!strncmp(mn, "v128", 4)) {
        /* v128.load/store 16 bytes, loadNxM 8, the lane, splat, zero ones N bits */
        if (!*p) return 4;
        if (strchr(p, 'x')) return 3;
        unsigned bits = (unsigned)strtoul(p, NULL, 10), a = 0;
        while ((8u << a) < bits)
            a++;
        return a;
    }
    if (!strncmp(p, "8", 1)) return 0;
    if (!strncmp(p, "16", 2)) return 1;
    if (!strncmp(p, "32", 2)) return 2;
    return (mn[1] == '3') ? 2 : 3; /* i32/f32 or i64/f64 */
}

/* Bits of a float constant in either syntax. */
static uint64_t float_bits(const char *s, bool f32)
{
    bool neg = s[0] == '-';
    const char *p = neg ? s + 1 : s;
    unsigned mant_bits = f32 ? 23 : 52, exp_bits = f32 ? 8 : 11;
    uint64_t sign = (uint64_t)neg << (mant_bits + exp_bits);
    uint64_t exp_all = (((uint64_t)1 << exp_bits) - 1) << mant_bits;
    if (!strncmp(p, "nan", 3)) {
        uint64_t payload = (uint64_t)1 << (mant_bits - 1);
        if (p[3] == ':') payload = strtoull(p + 4, NULL, 16);
        return sign | exp_all | payload;
    }
    if (!strcmp(p, "inf")) return sign | exp_all;
    if (f32) {
        float f = strtof(s, NULL);
        uint32_t b;
        memcpy(&b, &f, 4);
        return b;
    }
    double d = strtod(s, NULL);
    uint64_t b;
    memcpy(&b, &d, 8);
    return b;
}

/* The canonical text of one instruction, from wasm-objdump (objdump=true)
 * or from wb_disasm. */
static void canon(const char *in, bool objdump, char *out, size_t cap)
{
    toks t;
    const char *mn;
    char imm[8][48];
    int ni = 0;
    tokenize(in, &t);
    if (t.n == 0) {
        snprintf(out, cap, "(empty)");
        return;
    }
    mn = t.s[0];
    if (strstr(mn, ".load") || strstr(mn, ".store")) {
        uint64_t align = natural_align(mn), offset = 0, mem = 0, lane = 0;
        int n = t.n;
        if (strstr(mn, "_lane")) lane = strtoull(t.s[--n], NULL, 10); /* the last immediate */
        if (objdump) {
            /* "ALIGN [MEM] OFFSET" */
            align = strtoull(t.s[1], NULL, 10);
            if (n == 4) mem = strtoull(t.s[2], NULL, 10);
            offset = strtoull(t.s[n - 1], NULL, 10);
        } else {
            for (int i = 1; i < n; i++) {
                if (!strncmp(t.s[i], "offset=", 7))
                    offset = strtoull(t.s[i] + 7, NULL, 10);
                else if (!strncmp(t.s[i], "align=", 6)) {
                    uint64_t a = strtoull(t.s[i] + 6, NULL, 10);
                    for (align = 0; ((uint64_t)1 << align) < a; align++)
                        continue;
                } else
                    mem = strtoull(t.s[i], NULL, 10);
            }
        }
        snprintf(out, cap, "%s mem=%" PRIu64 " align=%" PRIu64 " offset=%" PRIu64 " lane=%" PRIu64,
                 mn, mem, align, offset, lane);
        return;
    }
    if (!strcmp(mn, "i8x16.shuffle") && objdump && t.n == 5) {
        /* wabt prints the 16 lane indices as four little-endian i32 words */
        size_t len = (size_t)snprintf(out, cap, "%s", mn);
        for (int w = 1; w < 5; w++) {
            unsigned long v = strtoul(t.s[w], NULL, 16);
            for (int k = 0; k < 4 && len < cap; k++)
                len += (size_t)snprintf(out + len, cap - len, " %lu", (v >> (8 * k)) & 0xff);
        }
        return;
    }
    if (!strcmp(mn, "i8x16.shuffle")) { /* wb_disasm: the 16 lane indices */
        size_t len = (size_t)snprintf(out, cap, "%s", mn);
        for (int i = 1; i < t.n && len < cap; i++)
            len += (size_t)snprintf(out + len, cap - len, " %s", t.s[i]);
        return;
    }
    /* v128.const: wb_disasm writes the text format's shape, wabt not */
    int first =
        !objdump && !strcmp(mn, "v128.const") && t.n > 1 && !strcmp(t.s[1], "i32x4") ? 2 : 1;
    for (int i = first; i < t.n && ni < 8; i++)
        snprintf(imm[ni++], sizeof imm[0], "%s", t.s[i]);
    if (!objdump) {
        /* Put wb_disasm's text-format immediates into binary order, with
         * the implicit zeros written. */
        if (!strcmp(mn, "memory.size") || !strcmp(mn, "memory.grow") ||
            !strcmp(mn, "memory.fill")) {
            if (ni == 0) snprintf(imm[ni++], sizeof imm[0], "0");
        } else if (!strcmp(mn, "memory.copy")) {
            if (ni == 0) {
                snprintf(imm[ni++], sizeof imm[0], "0");
                snprintf(imm[ni++], sizeof imm[0], "0");
            }
        } else if (!strcmp(mn, "memory.init")) {
            if (ni == 1) {
                snprintf(imm[1], sizeof imm[0], "0");
                ni = 2;
            } else if (ni == 2) {
                char x[48];
                memcpy(x, imm[0], sizeof x);
                memcpy(imm[0], imm[1], sizeof x);
                memcpy(imm[1], x, sizeof x);
            }
        } else if (!strcmp(mn, "table.init") && ni == 2) {
            char x[48];
            memcpy(x, imm[0], sizeof x);
            memcpy(imm[0], imm[1], sizeof x);
            memcpy(imm[1], x, sizeof x);
        } else if (!strcmp(mn, "call_indirect") && ni == 2 && !strcmp(imm[0], "type")) {
            /* "type X" -> "0 type X" */
            memcpy(imm[2], imm[1], sizeof imm[0]);
            memcpy(imm[1], imm[0], sizeof imm[0]);
            snprintf(imm[0], sizeof imm[0], "0");
            ni = 3;
        } else if (!strcmp(mn, "return_call_indirect")) {
            /* wabt prints "TYPE TABLE" here, without the word "type". */
            const char *table = (ni == 3) ? imm[0] : "0";
            char type[48];
            snprintf(type, sizeof type, "%s", imm[ni - 1]);
            snprintf(imm[1], sizeof imm[0], "%s", table);
            snprintf(imm[0], sizeof imm[0], "%s", type);
            ni = 2;
        }
    }
    /* wabt prints one type of a typed select only. */
    if (!strcmp(mn, "select") && ni > 1) ni = 1;
    if (!strcmp(mn, "i32.const") && ni == 1) {
        long long v = strtoll(imm[0], NULL, 10);
        snprintf(imm[0], sizeof imm[0], "%" PRIu32, (uint32_t)v);
    }
    if ((!strcmp(mn, "f32.const") || !strcmp(mn, "f64.const")) && ni == 1)
        snprintf(imm[0], sizeof imm[0], "0x%" PRIx64, float_bits(imm[0], mn[1] == '3'));
    size_t k = (size_t)snprintf(out, cap, "%s", mn);
    for (int i = 0; i < ni && k < cap; i++)
        k += (size_t)snprintf(out + k, cap - k, " %s", imm[i]);
}

/* ---- the comparison with wasm-objdump ----------------------------------- */

typedef struct module {
    wb_wasm *w;
    uint8_t *code; /* exact-size copy of the Code section's contents */
    size_t code_size;
} module;

static bool load(const char *path, module *m)
{
    wb_error err;
    FILE *f = NULL;
    uint8_t *file = NULL;
    long size;
    memset(m, 0, sizeof *m);
    if (wb_wasm_open_file(path, &m->w, &err) != WB_OK) {
        CHECK_FAILED("%s: %s", path, err.msg);
        return false;
    }
    f = fopen(path, "rb");
    if (!f || fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) goto fail;
    file = malloc((size_t)size + 1);
    if (!file || fread(file, 1, (size_t)size, f) != (size_t)size) goto fail;
    m->code_size = wb_wasm_code_size(m->w);
    m->code = malloc(m->code_size + 1);
    if (!m->code) goto fail;
    memcpy(m->code, file + wb_wasm_code_offset(m->w).off, m->code_size);
    free(file);
    fclose(f);
    return true;
fail:
    CHECK_FAILED("%s: cannot read", path);
    free(file);
    if (f) fclose(f);
    return false;
}

static void unload(module *m)
{
    wb_wasm_close(m->w);
    free(m->code);
}

static void compare_with_objdump(const char *objdump, const char *path)
{
    module m;
    char cmd[4096], line[4096];
    FILE *p;
    uint32_t fi = 0;
    wb_insn *insns = NULL;
    size_t ni = 0, ii = 0;
    int mismatches = 0;
    size_t compared = 0;
    wb_error err;
    if (!load(path, &m)) return;
    snprintf(cmd, sizeof cmd, "'%s' -d '%s'", objdump, path);
    p = popen(cmd, "r");
    if (!p) {
        CHECK_FAILED("cannot run %s", cmd);
        unload(&m);
        return;
    }
    while (fgets(line, sizeof line, p)) {
        unsigned long off;
        char *bar, *txt, mine[256], theirs[256];
        unsigned depth = 0;
        line[strcspn(line, "\n")] = 0;
        if (line[0] != ' ' || sscanf(line, " %lx:", &off) != 1 || !(bar = strstr(line, "| ")))
            continue;
        txt = bar + 2;
        while (*txt == ' ')
            txt++, depth++;
        if (!*txt || !strncmp(txt, "local[", 6)) continue;
        depth /= 2;
        while (ii == ni) {
            /* Next function. */
            free(insns);
            insns = NULL;
            ni = ii = 0;
            if (fi >= wb_wasm_func_count(m.w)) break;
            if (wb_disasm_func(m.w, m.code, m.code_size, wb_wasm_func(m.w, fi), &insns, &ni,
                               &err) != WB_OK)
                CHECK_FAILED("%s: function %" PRIu32 ": %s", path, fi, err.msg);
            fi++;
        }
        if (ii == ni) {
            CHECK_FAILED("%s: objdump has more instructions (at 0x%lx)", path, off);
            break;
        }
        const wb_insn *in = &insns[ii++];
        compared++;
        if (wb_wasm_code_to_file(m.w, in->off).off != off) {
            CHECK_FAILED("%s: instruction at file offset 0x%x, objdump has 0x%lx (%s)", path,
                         (unsigned)wb_wasm_code_to_file(m.w, in->off).off, off, txt);
            mismatches++;
            break; /* out of step: the rest would only repeat it */
        }
        canon(in->text, false, mine, sizeof mine);
        canon(txt, true, theirs, sizeof theirs);
        if (strcmp(mine, theirs) || in->depth != depth) {
            if (mismatches++ < 20)
                CHECK_FAILED("%s at 0x%lx: \"%s\" depth %u (%s), objdump \"%s\" depth %u (%s)",
                             path, off, in->text, in->depth, mine, txt, depth, theirs);
        } else {
            wdb_check_passed++;
        }
    }
    pclose(p);
    CHECK_ELSE(ii == ni && fi == wb_wasm_func_count(m.w),
               "%s: wb_disasm has more instructions than objdump (function %" PRIu32 ")", path, fi);
    CHECK_ELSE(compared > 0, "%s: nothing compared", path);
    printf("%s: %zu instructions compared, %d differ\n", path, compared, mismatches);
    free(insns);
    unload(&m);
}

/* ---- exact texts on disasm_ops.wat -------------------------------------- */

static const wb_func *func_named(const wb_wasm *w, const char *name)
{
    for (uint32_t i = 0; i < wb_wasm_func_count(w); i++) {
        const wb_func *f = wb_wasm_func(w, i);
        if (f->name && !strcmp(f->name, name)) return f;
    }
    return NULL;
}

/* The texts of function `fname`, "\n"-joined, into buf. */
static void texts_of(const module *m, const char *fname, char *buf, size_t cap)
{
    const wb_func *f = func_named(m->w, fname);
    wb_insn *v = NULL;
    size_t n = 0, k = 0;
    wb_error err;
    buf[0] = 0;
    if (!f) {
        CHECK_FAILED("no function %s", fname);
        return;
    }
    CHECK_MSG(wb_disasm_func(m->w, m->code, m->code_size, f, &v, &n, &err) == WB_OK, "%s", err.msg);
    for (size_t i = 0; i < n && k < cap; i++)
        k += (size_t)snprintf(buf + k, cap - k, "%s\n", v[i].text);
    free(v);
}

static void expect_line(const char *all, const char *line)
{
    char want[200];
    snprintf(want, sizeof want, "\n%s\n", line);
    /* all starts without "\n": look at the first line separately. */
    bool first = !strncmp(all, want + 1, strlen(want + 1));
    CHECK_ELSE(first || strstr(all, want), "no line \"%s\"", line);
}

static void test_texts(const char *ops_path)
{
    static char buf[16384];
    module m;
    char *locals = NULL;
    wb_error err;
    if (!load(ops_path, &m)) return;
    texts_of(&m, "fib", buf, sizeof buf);
    expect_line(buf, "local.get 0");
    expect_line(buf, "if (result i32)");
    expect_line(buf, "call 1 <fib>");
    expect_line(buf, "i32.const -2");
    texts_of(&m, "control", buf, sizeof buf);
    expect_line(buf, "block (result i32)");
    expect_line(buf, "br_table 0 1 0");
    expect_line(buf, "block (type 1)");
    expect_line(buf, "loop");
    expect_line(buf, "call 0 <imported>");
    expect_line(buf, "call_indirect (type 0)");
    expect_line(buf, "call_indirect 1 (type 1)");
    expect_line(buf, "return_call 1 <fib>");
    expect_line(buf, "select (result i64 f32)");
    expect_line(buf, "ref.null extern");
    expect_line(buf, "ref.func 1 <fib>");
    expect_line(buf, "table.get 1");
    texts_of(&m, "memory", buf, sizeof buf);
    expect_line(buf, "i32.load");
    expect_line(buf, "i32.load offset=4 align=2");
    expect_line(buf, "f32.load offset=4294967295");
    expect_line(buf, "i64.store offset=16");
    expect_line(buf, "i32.load 1 offset=12");
    expect_line(buf, "memory.size");
    expect_line(buf, "memory.size 1");
    expect_line(buf, "memory.init 0");
    expect_line(buf, "memory.copy");
    expect_line(buf, "memory.copy 1 0");
    expect_line(buf, "table.init 1 0");
    expect_line(buf, "table.copy 1 0");
    texts_of(&m, "consts", buf, sizeof buf);
    expect_line(buf, "i32.const -2147483648");
    expect_line(buf, "i64.const -9223372036854775808");
    expect_line(buf, "f32.const 0x1.8p+0");
    expect_line(buf, "f32.const -0x0p+0");
    expect_line(buf, "f32.const -nan");
    expect_line(buf, "f32.const nan:0x200000");
    expect_line(buf, "f64.const -nan:0x1");
    expect_line(buf, "f64.const inf");
    texts_of(&m, "simd", buf, sizeof buf);
    expect_line(buf, "v128.const i32x4 0x00000001 0x00000002 0x00000003 0x00000004");
    expect_line(buf, "i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15");
    expect_line(buf, "i32x4.extract_lane 2");
    expect_line(buf, "v128.load8_lane 3");
    expect_line(buf, "v128.store64_lane offset=8 1");
    expect_line(buf, "i32.const 7");

    CHECK(wb_disasm_locals(m.code, m.code_size, func_named(m.w, "fib"), &locals, &err) == WB_OK);
    CHECK_STR(locals, "(local i64 f64 f64 externref)");
    free(locals);
    CHECK(wb_disasm_locals(m.code, m.code_size, func_named(m.w, "plain"), &locals, &err) == WB_OK);
    CHECK_STR(locals, "");
    free(locals);
    unload(&m);
}

/* ---- malformed bodies ---------------------------------------------------- */

/* Every prefix of every body (up to `max_body` bytes long) of the module:
 * WB_ERROR, and the instructions decoded so far are those of the whole
 * body. The prefix is copied to a buffer of its exact size. */
static void test_truncated(const char *path, size_t max_body)
{
    module m;
    size_t cases = 0;
    if (!load(path, &m)) return;
    for (uint32_t i = 0; i < wb_wasm_func_count(m.w); i++) {
        const wb_func *f = wb_wasm_func(m.w, i);
        wb_insn *full = NULL, *part = NULL;
        size_t nfull = 0, npart = 0;
        wb_error err;
        if (f->end - f->start > max_body) continue;
        if (wb_disasm_func(m.w, m.code, m.code_size, f, &full, &nfull, &err) != WB_OK) {
            CHECK_FAILED("%s: function %" PRIu32 ": %s", path, i, err.msg);
            free(full);
            continue;
        }
        for (wb_code_off k = f->start; k < f->end; k++) {
            wb_func g = *f;
            uint8_t *copy = malloc(k ? k : 1);
            wb_status st;
            bool same = true;
            memcpy(copy, m.code, k);
            g.end = k;
            err.msg[0] = 0;
            st = wb_disasm_func(m.w, copy, k, &g, &part, &npart, &err);
            cases++;
            CHECK_ELSE(st == WB_ERROR, "%s: function %" PRIu32 " cut at 0x%x decodes", path, i,
                       (unsigned)k);
            CHECK_ELSE(strstr(err.msg, "code offset") != NULL, "message \"%s\"", err.msg);
            CHECK_ELSE(npart < nfull, "%zu instructions from a cut body", npart);
            for (size_t j = 0; j < npart && j < nfull; j++)
                same = same && part[j].off == full[j].off && !strcmp(part[j].text, full[j].text);
            CHECK_ELSE(same, "%s: function %" PRIu32 " cut at 0x%x: decoded prefix differs", path,
                       i, (unsigned)k);
            free(part);
            part = NULL;
            free(copy);
        }
        free(full);
    }
    printf("%s: %zu truncated bodies\n", path, cases);
    unload(&m);
}

/* Each byte of each body replaced by a few troublesome values: no crash;
 * whatever decodes lies inside the body, in order. */
static void test_corrupted(const char *path, size_t max_body)
{
    static const uint8_t values[] = {0x00, 0x0b, 0x0e, 0x11, 0x1c, 0x80, 0xfc, 0xfd, 0xff};
    module m;
    size_t cases = 0, errors = 0;
    if (!load(path, &m)) return;
    for (uint32_t i = 0; i < wb_wasm_func_count(m.w); i++) {
        const wb_func *f = wb_wasm_func(m.w, i);
        if (f->end - f->start > max_body) continue;
        for (wb_code_off k = f->start; k < f->end; k++) {
            for (size_t vi = 0; vi < sizeof values; vi++) {
                uint8_t *copy = malloc(f->end);
                wb_insn *v = NULL;
                size_t n = 0;
                wb_error err;
                bool ok = true;
                memcpy(copy, m.code, f->end);
                copy[k] = values[vi];
                if (wb_disasm_func(NULL, copy, f->end, f, &v, &n, &err) != WB_OK) errors++;
                for (size_t j = 0; j < n; j++)
                    ok = ok && v[j].off >= f->start && v[j].off + v[j].len <= f->end &&
                         (j == 0 || v[j].off == v[j - 1].off + v[j - 1].len) &&
                         strlen(v[j].text) < sizeof v[j].text;
                CHECK_ELSE(ok, "function %" PRIu32 ", byte 0x%x = 0x%02x: bad instruction list", i,
                           (unsigned)k, values[vi]);
                cases++;
                free(v);
                free(copy);
            }
        }
    }
    printf("%s: %zu corrupted bodies, %zu rejected\n", path, cases, errors);
    unload(&m);
}

/* Disassembles `body` (local declarations included) placed at code offset
 * 0 of a code buffer of exactly its size. */
static wb_status run_body(const uint8_t *body, size_t len, wb_insn **v, size_t *n, wb_error *err)
{
    wb_func f = {.index = 7, .header = 0, .start = 0, .end = (wb_code_off)len, .name = NULL};
    uint8_t *copy = malloc(len ? len : 1);
    wb_status st;
    memcpy(copy, body, len);
    err->msg[0] = 0;
    st = wb_disasm_func(NULL, copy, len, &f, v, n, err);
    free(copy);
    return st;
}

#define BODY(...) (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__})

static void expect_error(const char *what, const uint8_t *body, size_t len, size_t ndecoded,
                         const char *msg_part)
{
    wb_insn *v = NULL;
    size_t n = 99;
    wb_error err;
    wdb_check_context = what;
    CHECK(run_body(body, len, &v, &n, &err) == WB_ERROR);
    CHECK_EQ(n, ndecoded);
    CHECK_ELSE(strstr(err.msg, msg_part) != NULL, "message \"%s\" lacks \"%s\"", err.msg, msg_part);
    free(v);
    wdb_check_context = NULL;
}

static void test_handmade(void)
{
    wb_insn *v = NULL;
    size_t n = 0;
    wb_error err;

    /* Padded LEBs (wasm-ld writes 5-byte indices) are fine. */
    CHECK(run_body(BODY(0x00, 0x20, 0x80, 0x80, 0x80, 0x80, 0x00, 0x41, 0xff, 0xff, 0xff, 0xff,
                        0x7f, 0x0b),
                   &v, &n, &err) == WB_OK);
    CHECK_EQ(n, 3);
    if (n == 3) {
        CHECK_STR(v[0].text, "local.get 0");
        CHECK_EQ(v[0].len, 6);
        CHECK_STR(v[1].text, "i32.const -1");
        CHECK_EQ(v[2].off, 13);
    }
    free(v);

    /* exception handling: try_table's clauses, the legacy forms */
    CHECK(run_body(BODY(0x00, 0x1f, 0x40, 0x02, 0x00, 0x03, 0x01, 0x03, 0x00, 0x0b, 0x06, 0x7f,
                        0x08, 0x00, 0x07, 0x00, 0x09, 0x00, 0x19, 0x0a, 0x0b, 0x0b),
                   &v, &n, &err) == WB_OK);
    CHECK_EQ(n, 10);
    if (n == 10) {
        CHECK_STR(v[0].text, "try_table (catch 3 1) (catch_all_ref 0)");
        CHECK_STR(v[2].text, "try (result i32)");
        CHECK_STR(v[3].text, "throw 0");
        CHECK_STR(v[4].text, "catch 0");
        CHECK_STR(v[5].text, "rethrow 0");
        CHECK_STR(v[6].text, "catch_all");
        CHECK_STR(v[7].text, "throw_ref");
    }
    free(v);

    expect_error("LEB too long", BODY(0x00, 0x01, 0x20, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0b),
                 1, "too long");
    expect_error("LEB too large", BODY(0x00, 0x20, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x0b), 0,
                 "too large");
    expect_error("LEB cut", BODY(0x00, 0x20, 0x80), 0, "unexpected end");
    expect_error("unknown opcode", BODY(0x00, 0x01, 0x27, 0x0b), 1, "unknown opcode 0x27");
    expect_error("unknown 0xfc", BODY(0x00, 0xfc, 0x12, 0x0b), 0, "unknown 0xfc");
    expect_error("unknown 0xfd", BODY(0x00, 0xfd, 0x80, 0x04, 0x0b), 0, "unknown SIMD");
    expect_error("f64 cut", BODY(0x00, 0x44, 0, 0, 0, 0, 0, 0, 0x0b), 0, "unexpected end");
    expect_error("v128.const cut", BODY(0x00, 0xfd, 0x0c, 1, 2, 3, 0x0b), 0, "unexpected end");
    expect_error("no final end", BODY(0x00, 0x02, 0x40, 0x0b), 2, "before its final end");
    expect_error("bytes after end", BODY(0x00, 0x0b, 0x01), 1, "after the final end");
    expect_error("bad block type", BODY(0x00, 0x02, 0x7a, 0x0b, 0x0b), 0, "bad block type");
    expect_error("bad ref type", BODY(0x00, 0xd0, 0x7f, 0x0b), 0, "bad reference type");
    expect_error("huge br_table", BODY(0x00, 0x0e, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x00, 0x0b), 0,
                 "unexpected end");
    expect_error("locals cut", BODY(0x02, 0x01, 0x7f), 0, "unexpected end");
    expect_error("empty body", BODY(0x00), 0, "before its final end");
    expect_error("alignment", BODY(0x00, 0x28, 0x80, 0x01, 0x00, 0x0b), 0, "alignment");

    /* A function outside the code. */
    {
        uint8_t code[4] = {0x00, 0x01, 0x0b, 0x0b};
        wb_func f = {.index = 1, .start = 1, .end = 9};
        n = 5;
        CHECK(wb_disasm_func(NULL, code, sizeof code, &f, &v, &n, &err) == WB_ERROR);
        CHECK(v == NULL && n == 0);
        char *s = NULL;
        CHECK(wb_disasm_locals(code, sizeof code, &f, &s, &err) == WB_ERROR);
        CHECK(s == NULL);
    }

    /* A long br_table is cut, with "...". */
    {
        uint8_t body[2 + 2 + 200 + 2];
        size_t k = 0;
        body[k++] = 0x00;
        body[k++] = 0x0e;
        body[k++] = 0xc7, body[k++] = 0x01; /* 199 targets + default */
        for (int i = 0; i < 200; i++)
            body[k++] = 0x05;
        body[k++] = 0x0b;
        CHECK(run_body(body, k, &v, &n, &err) == WB_OK);
        CHECK_EQ(n, 2);
        if (n == 2) {
            size_t len = strlen(v[0].text);
            CHECK(len == sizeof v[0].text - 1);
            CHECK(!strcmp(v[0].text + len - 3, "..."));
            CHECK(!strncmp(v[0].text, "br_table 5 5 5", 14));
            CHECK_EQ(v[0].len, 203);
        }
        free(v);
    }

    /* Depths: block/if/else/end. */
    CHECK(run_body(BODY(0x00, 0x02, 0x40, 0x04, 0x40, 0x01, 0x05, 0x01, 0x0b, 0x0b, 0x0b), &v, &n,
                   &err) == WB_OK);
    CHECK_EQ(n, 8);
    if (n == 8) {
        static const uint32_t depths[8] = {0, 1, 2, 1, 2, 1, 0, 0};
        for (int i = 0; i < 8; i++)
            CHECK_EQ(v[i].depth, depths[i]);
        CHECK_STR(v[3].text, "else");
    }
    free(v);

    /* Depths: try/catch/catch_all/end, try/delegate, try_table/end. */
    CHECK(run_body(BODY(0x00, 0x06, 0x40, 0x01, 0x07, 0x00, 0x1a, 0x19, 0x06, 0x40, 0x01, 0x18,
                        0x00, 0x0b, 0x1f, 0x40, 0x00, 0x0b, 0x0b),
                   &v, &n, &err) == WB_OK);
    CHECK_EQ(n, 12);
    if (n == 12) {
        /* try nop catch 0 drop catch_all try nop delegate 0 end try_table end end */
        static const uint32_t depths[12] = {0, 1, 0, 1, 0, 1, 2, 1, 0, 0, 0, 0};
        for (int i = 0; i < 12; i++)
            CHECK_EQ(v[i].depth, depths[i]);
        CHECK_STR(v[2].text, "catch 0");
        CHECK_STR(v[7].text, "delegate 0");
    }
    free(v);

    /* Locals: grouped declarations expanded; too many refused. */
    {
        char *s = NULL;
        uint8_t code[] = {0x03, 0x02, 0x7f, 0x01, 0x7c, 0x01, 0x70, 0x0b};
        wb_func f = {.index = 0, .start = 0, .end = sizeof code};
        CHECK(wb_disasm_locals(code, sizeof code, &f, &s, &err) == WB_OK);
        CHECK_STR(s, "(local i32 i32 f64 funcref)");
        free(s);
        uint8_t many[] = {0x01, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, 0x0b};
        f.end = sizeof many;
        CHECK(wb_disasm_locals(many, sizeof many, &f, &s, &err) == WB_ERROR);
        CHECK(s == NULL);
        uint8_t badtype[] = {0x01, 0x01, 0x40, 0x0b};
        f.end = sizeof badtype;
        CHECK(wb_disasm_locals(badtype, sizeof badtype, &f, &s, &err) == WB_ERROR);
    }
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test_disasm WASM_OBJDUMP OPS_WASM [MODULE.wasm...]\n");
        return 2;
    }
    test_handmade();
    test_texts(argv[2]);
    for (int i = 2; i < argc; i++)
        compare_with_objdump(argv[1], argv[i]);
    test_truncated(argv[2], 100000);
    test_corrupted(argv[2], 100000);
    for (int i = 3; i < argc; i++) {
        test_truncated(argv[i], 600);
        test_corrupted(argv[i], 300);
    }
    return CHECK_DONE("test_disasm");
}
