/*
 * wb_disasm: function bodies to text-format instructions. Names and
 * immediates come from the project's one instruction table
 * (wdb/wasm_ops.h).
 */
#include "wdb/wasm_ops.h"
#include "wdb/wasmfmt.h"
#include "wb_disasm.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef wf_op op;

/* A bounded cursor over [pos, end) of the code; offsets are code offsets. */
typedef struct cursor {
    const uint8_t *code;
    size_t pos, end;
    size_t insn; /* offset of the instruction being decoded, for messages */
} cursor;

static wb_status cur_fail(const cursor *c, wb_error *err, const char *why)
{
    return wb_fail(err, "malformed code: %s at code offset 0x%zx (instruction at 0x%zx)", why,
                   c->pos, c->insn);
}

static wb_status read_u8(cursor *c, uint8_t *out, wb_error *err)
{
    if (c->pos >= c->end) return cur_fail(c, err, "unexpected end of the body");
    *out = c->code[c->pos++];
    return WB_OK;
}

/* LEB128 (5.2.2) of at most `bits` bits, the project's one reader
 * (wdb/wasmfmt.h): the padded 5-byte indices wasm-ld writes are fine. */
static wb_status read_leb(cursor *c, unsigned bits, bool is_signed, uint64_t *out, wb_error *err)
{
    const uint8_t *p = c->code + c->pos;
    const char *why = wf_leb_read(&p, c->code + c->end, bits, is_signed, out);
    c->pos = (size_t)(p - c->code);
    return why ? cur_fail(c, err, why) : WB_OK;
}

static wb_status read_u32(cursor *c, uint32_t *out, wb_error *err)
{
    uint64_t v = 0;
    if (read_leb(c, 32, false, &v, err) != WB_OK) return WB_ERROR;
    *out = (uint32_t)v;
    return WB_OK;
}

static wb_status read_bytes(cursor *c, uint8_t *out, size_t n, wb_error *err)
{
    if (c->end - c->pos < n) return cur_fail(c, err, "unexpected end of the body");
    memcpy(out, c->code + c->pos, n);
    c->pos += n;
    return WB_OK;
}

/* Text of one instruction; appends past the end are dropped and the text
 * then ends in "...". */
typedef struct text {
    char *buf;
    size_t cap, len;
    bool cut;
} text;

__attribute__((format(printf, 2, 3))) static void put(text *t, const char *fmt, ...)
{
    va_list ap;
    int k;
    if (t->cut) return;
    va_start(ap, fmt);
    k = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
    va_end(ap);
    if (k < 0 || (size_t)k >= t->cap - t->len) {
        t->cut = true;
        t->len = t->cap - 1;
        memcpy(t->buf + t->cap - 4, "...", 4);
        return;
    }
    t->len += (size_t)k;
}

/* Value types (5.3.1-5.3.3), NULL when `b` is none. */
static const char *valtype_name(uint8_t b)
{
    switch (b) {
    case 0x7f: return "i32";
    case 0x7e: return "i64";
    case 0x7d: return "f32";
    case 0x7c: return "f64";
    case 0x7b: return "v128";
    case 0x70: return "funcref";
    case 0x6f: return "externref";
    case 0x69: return "exnref";
    default: return NULL;
    }
}

/* Floats as the text format writes them (6.3.2): exact hex for finite
 * values, inf, nan with its payload when not the canonical one. */
static void put_float(text *t, uint64_t bits, unsigned mant_bits, unsigned exp_bits)
{
    uint64_t mant = bits & (((uint64_t)1 << mant_bits) - 1);
    uint64_t exp = (bits >> mant_bits) & (((uint64_t)1 << exp_bits) - 1);
    bool neg = (bits >> (mant_bits + exp_bits)) & 1;
    if (exp == ((uint64_t)1 << exp_bits) - 1) {
        if (mant == 0)
            put(t, "%sinf", neg ? "-" : "");
        else if (mant == (uint64_t)1 << (mant_bits - 1))
            put(t, "%snan", neg ? "-" : "");
        else
            put(t, "%snan:0x%" PRIx64, neg ? "-" : "", mant);
        return;
    }
    if (mant_bits == 23) {
        float f;
        uint32_t b32 = (uint32_t)bits;
        memcpy(&f, &b32, sizeof f);
        put(t, "%a", (double)f);
    } else {
        double d;
        memcpy(&d, &bits, sizeof d);
        put(t, "%a", d);
    }
}

/* " <name>" after a function index, when the name section has one. */
static void put_func_name(text *t, const wb_wasm *w, uint32_t idx)
{
    const char *name = w ? wb_wasm_func_name(w, idx) : NULL;
    if (name) put(t, " <%s>", name);
}

/* memarg (5.4.6): align (log2; bit 6 announces a memory index, from the
 * multi-memory proposal) then offset (u64 to show memory64 too). */
static wb_status put_memarg(text *t, cursor *c, const op *o, wb_error *err)
{
    uint32_t align, mem = 0;
    uint64_t offset;
    if (read_u32(c, &align, err) != WB_OK) return WB_ERROR;
    if (align & 0x40) {
        if (read_u32(c, &mem, err) != WB_OK) return WB_ERROR;
        align &= ~(uint32_t)0x40;
    }
    if (align >= 64) return cur_fail(c, err, "alignment too large");
    if (read_leb(c, 64, false, &offset, err) != WB_OK) return WB_ERROR;
    if (mem) put(t, " %" PRIu32, mem);
    if (offset) put(t, " offset=%" PRIu64, offset);
    if (align != o->align) put(t, " align=%" PRIu64, (uint64_t)1 << align);
    return WB_OK;
}

/* Decodes the immediates of `o` from c, appending their text to t. */
static wb_status decode_imm(const wb_wasm *w, const op *o, cursor *c, text *t, wb_error *err)
{
    uint32_t a = 0, b = 0;
    uint64_t v = 0;
    uint8_t byte = 0, raw[8];
    switch ((wf_imm)o->imm) {
    case WF_IMM_NONE: return WB_OK;
    case WF_IMM_BLOCK: {
        /* blocktype (5.4.1): 0x40, a value type, or a type index as s33. */
        const char *vt;
        if (c->pos >= c->end) return cur_fail(c, err, "unexpected end of the body");
        byte = c->code[c->pos];
        if (byte == 0x40) {
            c->pos++;
            return WB_OK;
        }
        if ((vt = valtype_name(byte)) != NULL) {
            c->pos++;
            put(t, " (result %s)", vt);
            return WB_OK;
        }
        if (read_leb(c, 33, true, &v, err) != WB_OK) return WB_ERROR;
        if ((int64_t)v < 0) return cur_fail(c, err, "bad block type");
        put(t, " (type %" PRIu64 ")", v);
        return WB_OK;
    }
    case WF_IMM_LABEL:
    case WF_IMM_INDEX:
        if (read_u32(c, &a, err) != WB_OK) return WB_ERROR;
        put(t, " %" PRIu32, a);
        return WB_OK;
    case WF_IMM_BR_TABLE:
        if (read_u32(c, &a, err) != WB_OK) return WB_ERROR;
        /* count targets plus the default; each read is bounds-checked, so a
         * huge count stops at the end of the body. */
        for (uint64_t i = 0; i <= a; i++) {
            if (read_u32(c, &b, err) != WB_OK) return WB_ERROR;
            put(t, " %" PRIu32, b);
        }
        return WB_OK;
    case WF_IMM_FUNC:
        if (read_u32(c, &a, err) != WB_OK) return WB_ERROR;
        put(t, " %" PRIu32, a);
        put_func_name(t, w, a);
        return WB_OK;
    case WF_IMM_CALL_IND:
        if (read_u32(c, &a, err) != WB_OK || read_u32(c, &b, err) != WB_OK) return WB_ERROR;
        if (b) put(t, " %" PRIu32, b);
        put(t, " (type %" PRIu32 ")", a);
        return WB_OK;
    case WF_IMM_MEMARG: return put_memarg(t, c, o, err);
    case WF_IMM_MEMIDX:
        if (read_u32(c, &a, err) != WB_OK) return WB_ERROR;
        if (a) put(t, " %" PRIu32, a);
        return WB_OK;
    case WF_IMM_I32:
        if (read_leb(c, 32, true, &v, err) != WB_OK) return WB_ERROR;
        put(t, " %" PRId64, (int64_t)v);
        return WB_OK;
    case WF_IMM_I64:
        if (read_leb(c, 64, true, &v, err) != WB_OK) return WB_ERROR;
        put(t, " %" PRId64, (int64_t)v);
        return WB_OK;
    case WF_IMM_F32:
        if (read_bytes(c, raw, 4, err) != WB_OK) return WB_ERROR;
        put(t, " ");
        put_float(t,
                  (uint64_t)raw[0] | (uint64_t)raw[1] << 8 | (uint64_t)raw[2] << 16 |
                      (uint64_t)raw[3] << 24,
                  23, 8);
        return WB_OK;
    case WF_IMM_F64:
        if (read_bytes(c, raw, 8, err) != WB_OK) return WB_ERROR;
        v = 0;
        for (int i = 7; i >= 0; i--)
            v = v << 8 | raw[i];
        put(t, " ");
        put_float(t, v, 52, 11);
        return WB_OK;
    case WF_IMM_SELECT_T:
        if (read_u32(c, &a, err) != WB_OK) return WB_ERROR;
        if (a) put(t, " (result");
        for (uint32_t i = 0; i < a; i++) {
            const char *vt;
            if (read_u8(c, &byte, err) != WB_OK) return WB_ERROR;
            if (!(vt = valtype_name(byte))) return cur_fail(c, err, "bad value type");
            put(t, " %s", vt);
        }
        if (a) put(t, ")");
        return WB_OK;
    case WF_IMM_REFTYPE:
        if (read_u8(c, &byte, err) != WB_OK) return WB_ERROR;
        if (byte == 0x70)
            put(t, " func");
        else if (byte == 0x6f)
            put(t, " extern");
        else if (byte == 0x69)
            put(t, " exn");
        else
            return cur_fail(c, err, "bad reference type");
        return WB_OK;
    case WF_IMM_TRY_TABLE: {
        /* blocktype, then vec(catch): catch x l, catch_ref x l, catch_all l,
         * catch_all_ref l */
        static const char *const kinds[] = {"catch", "catch_ref", "catch_all", "catch_all_ref"};
        op blk = *o;
        blk.imm = WF_IMM_BLOCK;
        if (decode_imm(w, &blk, c, t, err) != WB_OK || read_u32(c, &a, err) != WB_OK)
            return WB_ERROR;
        for (uint64_t i = 0; i < a; i++) {
            if (read_u8(c, &byte, err) != WB_OK) return WB_ERROR;
            if (byte > 3) return cur_fail(c, err, "bad catch clause");
            put(t, " (%s", kinds[byte]);
            if (byte < 2) {
                if (read_u32(c, &b, err) != WB_OK) return WB_ERROR;
                put(t, " %" PRIu32, b);
            }
            if (read_u32(c, &b, err) != WB_OK) return WB_ERROR;
            put(t, " %" PRIu32 ")", b);
        }
        return WB_OK;
    }
    case WF_IMM_MEM_INIT:
        if (read_u32(c, &a, err) != WB_OK || read_u32(c, &b, err) != WB_OK) return WB_ERROR;
        if (b) put(t, " %" PRIu32, b);
        put(t, " %" PRIu32, a);
        return WB_OK;
    case WF_IMM_MEM_COPY:
        if (read_u32(c, &a, err) != WB_OK || read_u32(c, &b, err) != WB_OK) return WB_ERROR;
        if (a || b) put(t, " %" PRIu32 " %" PRIu32, a, b);
        return WB_OK;
    case WF_IMM_TABLE_INIT:
        /* Binary order elemidx tableidx; the text format writes the table
         * first. */
        if (read_u32(c, &a, err) != WB_OK || read_u32(c, &b, err) != WB_OK) return WB_ERROR;
        put(t, " %" PRIu32 " %" PRIu32, b, a);
        return WB_OK;
    case WF_IMM_TABLE_COPY:
        if (read_u32(c, &a, err) != WB_OK || read_u32(c, &b, err) != WB_OK) return WB_ERROR;
        put(t, " %" PRIu32 " %" PRIu32, a, b);
        return WB_OK;
    case WF_IMM_V128: {
        uint8_t b16[16];
        if (read_bytes(c, b16, 16, err) != WB_OK) return WB_ERROR;
        put(t, " i32x4");
        for (int i = 0; i < 16; i += 4)
            put(t, " 0x%08" PRIx32,
                (uint32_t)b16[i] | (uint32_t)b16[i + 1] << 8 | (uint32_t)b16[i + 2] << 16 |
                    (uint32_t)b16[i + 3] << 24);
        return WB_OK;
    }
    case WF_IMM_SHUFFLE: {
        uint8_t b16[16];
        if (read_bytes(c, b16, 16, err) != WB_OK) return WB_ERROR;
        for (int i = 0; i < 16; i++)
            put(t, " %u", (unsigned)b16[i]);
        return WB_OK;
    }
    case WF_IMM_LANE:
        if (read_u8(c, &byte, err) != WB_OK) return WB_ERROR;
        put(t, " %u", (unsigned)byte);
        return WB_OK;
    case WF_IMM_MEMARG_LANE:
        if (put_memarg(t, c, o, err) != WB_OK || read_u8(c, &byte, err) != WB_OK) return WB_ERROR;
        put(t, " %u", (unsigned)byte);
        return WB_OK;
    }
    return cur_fail(c, err, "internal: bad immediate kind");
}

/* Relaxed SIMD (0xfd 0x100-0x113, Wasm 3.0) is not disassembled; none of
 * its instructions has immediates. */
#define RELAXED_SIMD_LAST 0x113u

/* Decodes one instruction at c->pos into *in (text and len; the caller
 * sets depth). */
static wb_status decode_one(const wb_wasm *w, cursor *c, wb_insn *in, wb_error *err)
{
    text t;
    uint8_t opc = 0;
    uint32_t sub = 0;
    const op *o;
    t.buf = in->text;
    t.cap = sizeof in->text;
    t.len = 0;
    t.cut = false;
    in->text[0] = 0;
    in->op = NULL;
    c->insn = c->pos;
    in->off = (wb_code_off)c->pos;
    if (read_u8(c, &opc, err) != WB_OK) return WB_ERROR;
    if (opc == 0xfc) {
        if (read_u32(c, &sub, err) != WB_OK) return WB_ERROR;
        if (!(o = wf_op_fc_info(sub))) return cur_fail(c, err, "unknown 0xfc opcode");
    } else if (opc == 0xfd) {
        if (read_u32(c, &sub, err) != WB_OK) return WB_ERROR;
        if (!(o = wf_op_fd_info(sub))) {
            if (sub > RELAXED_SIMD_LAST) return cur_fail(c, err, "unknown SIMD opcode");
            put(&t, "unknown 0xfd %" PRIu32, sub);
            in->len = (uint32_t)(c->pos - c->insn);
            return WB_OK;
        }
    } else {
        if (!(o = wf_op_info(opc))) {
            char why[40];
            snprintf(why, sizeof why, "unknown opcode 0x%02x", opc);
            c->pos = c->insn; /* the fault is the opcode itself */
            return cur_fail(c, err, why);
        }
    }
    put(&t, "%s", o->name);
    in->op = o;
    if (decode_imm(w, o, c, &t, err) != WB_OK) return WB_ERROR;
    in->len = (uint32_t)(c->pos - c->insn);
    return WB_OK;
}

/* Sets *c to the body of f after its local declarations. */
static wb_status skip_locals(cursor *c, const uint8_t *code, size_t code_size, const wb_func *f,
                             wb_error *err)
{
    uint32_t ngroups = 0, count = 0;
    uint8_t type = 0;
    c->code = code;
    c->pos = c->insn = f->start;
    c->end = f->end;
    if (f->start > f->end || f->end > code_size)
        return wb_fail(err,
                       "function %" PRIu32 ": body [0x%" PRIx32 ", 0x%" PRIx32
                       ") outside the code (0x%zx bytes)",
                       f->index, f->start, f->end, code_size);
    if (read_u32(c, &ngroups, err) != WB_OK) return WB_ERROR;
    for (uint32_t i = 0; i < ngroups; i++) {
        if (read_u32(c, &count, err) != WB_OK || read_u8(c, &type, err) != WB_OK) return WB_ERROR;
    }
    return WB_OK;
}

wb_status wb_disasm_first_insn(const uint8_t *code, size_t code_size, const wb_func *f,
                               wb_code_off *out, wb_error *err)
{
    cursor c;
    if (skip_locals(&c, code, code_size, f, err) != WB_OK) return WB_ERROR;
    *out = (wb_code_off)c.pos;
    return WB_OK;
}

wb_status wb_disasm_func(const wb_wasm *w, const uint8_t *code, size_t code_size, const wb_func *f,
                         wb_insn **out, size_t *n, wb_error *err)
{
    cursor c;
    wb_insn *v = NULL;
    size_t nv = 0, cap = 0;
    uint32_t depth = 0;
    bool done = false;
    *out = NULL;
    *n = 0;
    if (skip_locals(&c, code, code_size, f, err) != WB_OK) return WB_ERROR;
    while (!done) {
        wb_insn in;
        uint8_t opc;
        if (c.pos >= c.end) {
            c.insn = c.pos;
            cur_fail(&c, err, "body ends before its final end");
            goto fail;
        }
        if (decode_one(w, &c, &in, err) != WB_OK) goto fail;
        opc = code[in.off];
        if (opc == 0x0b || opc == 0x18) { /* end; delegate ends its try */
            if (depth == 0)
                done = opc == 0x0b;
            else
                depth--;
        }
        /* `else`, `catch` and `catch_all` sit at their `if`'s or `try`'s
         * depth; outside any block they are invalid, but are shown at 0
         * rather than refused. */
        bool mid = opc == 0x05 || opc == 0x07 || opc == 0x19;
        in.depth = (mid && depth > 0) ? depth - 1 : depth;
        /* block, loop, if, try, try_table */
        if ((opc >= 0x02 && opc <= 0x04) || opc == 0x06 || opc == 0x1f) depth++;
        if (!wb_grow((void **)&v, &cap, nv + 1, sizeof *v)) {
            wb_fail(err, "out of memory disassembling function %" PRIu32, f->index);
            goto fail;
        }
        v[nv++] = in;
    }
    *out = v;
    *n = nv;
    if (c.pos != c.end) {
        return wb_fail(err, "malformed code: %zu bytes after the final end at code offset 0x%zx",
                       c.end - c.pos, c.pos);
    }
    return WB_OK;
fail:
    *out = v;
    *n = nv;
    return WB_ERROR;
}

wb_status wb_disasm_locals(const uint8_t *code, size_t code_size, const wb_func *f, char **out,
                           wb_error *err)
{
    enum { MAX_LOCALS = 50000 }; /* the JS API's limit (and V8's, wabt's) */
    cursor c;
    uint32_t ngroups = 0, count = 0;
    uint64_t total = 0;
    uint8_t type = 0;
    char *s = NULL;
    size_t len = 0;
    *out = NULL;
    if (skip_locals(&c, code, code_size, f, err) != WB_OK) return WB_ERROR;
    /* First pass (skip_locals) checked the framing; read again to count
     * and print. */
    c.pos = f->start;
    if (read_u32(&c, &ngroups, err) != WB_OK) return WB_ERROR;
    {
        cursor c2 = c;
        for (uint32_t i = 0; i < ngroups; i++) {
            if (read_u32(&c2, &count, err) != WB_OK || read_u8(&c2, &type, err) != WB_OK)
                return WB_ERROR;
            if (!valtype_name(type)) return cur_fail(&c2, err, "bad local type");
            total += count;
            if (total > MAX_LOCALS)
                return wb_fail(err, "function %" PRIu32 ": more than %d locals", f->index,
                               MAX_LOCALS);
        }
    }
    /* "(local" + " externref" (10) per local + ")" + NUL */
    s = malloc(total ? 6 + 10 * total + 2 : 1);
    if (!s) return wb_fail(err, "out of memory");
    s[0] = 0;
    if (total) {
        memcpy(s, "(local", 6);
        len = 6;
        for (uint32_t i = 0; i < ngroups; i++) {
            const char *name;
            if (read_u32(&c, &count, err) != WB_OK || read_u8(&c, &type, err) != WB_OK) {
                free(s);
                return WB_ERROR;
            }
            name = valtype_name(type);
            for (uint32_t k = 0; k < count; k++) {
                size_t nl = strlen(name);
                s[len++] = ' ';
                memcpy(s + len, name, nl);
                len += nl;
            }
        }
        s[len++] = ')';
        s[len] = 0;
    }
    *out = s;
    return WB_OK;
}
