/*
 * wb_disasm: function bodies to text-format instructions. The opcode
 * tables follow the core spec, section 5.4 (binary instructions); the
 * bridge does not link the runtime, so it has its own.
 */
#include "wdb/wasmfmt.h"
#include "wb_disasm.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Immediate shapes (5.4). */
enum imm {
    IMM_NONE = 0,
    IMM_BLOCK,    /* blocktype: block, loop, if */
    IMM_LABEL,    /* br, br_if */
    IMM_BR_TABLE, /* vec(labelidx) labelidx */
    IMM_FUNC,     /* funcidx, name appended */
    IMM_CALL_IND, /* typeidx tableidx */
    IMM_INDEX,    /* one u32 printed as is: local, global, table */
    IMM_MEMARG,   /* align offset */
    IMM_MEMIDX,   /* memory index, printed only when not 0 */
    IMM_I32,
    IMM_I64,
    IMM_F32,
    IMM_F64,
    IMM_SELECT_T, /* vec(valtype) */
    IMM_REFTYPE,  /* ref.null */
    /* 0xfc forms */
    IMM_MEM_INIT,   /* dataidx memidx */
    IMM_MEM_COPY,   /* memidx memidx */
    IMM_TABLE_INIT, /* elemidx tableidx */
    IMM_TABLE_COPY, /* tableidx tableidx */
};

typedef struct op {
    const char *name;
    uint8_t imm;
    uint8_t align; /* natural alignment (log2) of memory instructions */
} op;

#define OP(code, n, i) [code] = {n, i, 0}
#define MEM(code, n, a) [code] = {n, IMM_MEMARG, a}

static const op ops[256] = {
    OP(0x00, "unreachable", IMM_NONE),
    OP(0x01, "nop", IMM_NONE),
    OP(0x02, "block", IMM_BLOCK),
    OP(0x03, "loop", IMM_BLOCK),
    OP(0x04, "if", IMM_BLOCK),
    OP(0x05, "else", IMM_NONE),
    OP(0x0b, "end", IMM_NONE),
    OP(0x0c, "br", IMM_LABEL),
    OP(0x0d, "br_if", IMM_LABEL),
    OP(0x0e, "br_table", IMM_BR_TABLE),
    OP(0x0f, "return", IMM_NONE),
    OP(0x10, "call", IMM_FUNC),
    OP(0x11, "call_indirect", IMM_CALL_IND),
    /* Tail calls (a Wasm 3.0 feature; cheap to show). */
    OP(0x12, "return_call", IMM_FUNC),
    OP(0x13, "return_call_indirect", IMM_CALL_IND),
    OP(0x1a, "drop", IMM_NONE),
    OP(0x1b, "select", IMM_NONE),
    OP(0x1c, "select", IMM_SELECT_T),
    OP(0x20, "local.get", IMM_INDEX),
    OP(0x21, "local.set", IMM_INDEX),
    OP(0x22, "local.tee", IMM_INDEX),
    OP(0x23, "global.get", IMM_INDEX),
    OP(0x24, "global.set", IMM_INDEX),
    OP(0x25, "table.get", IMM_INDEX),
    OP(0x26, "table.set", IMM_INDEX),
    MEM(0x28, "i32.load", 2),
    MEM(0x29, "i64.load", 3),
    MEM(0x2a, "f32.load", 2),
    MEM(0x2b, "f64.load", 3),
    MEM(0x2c, "i32.load8_s", 0),
    MEM(0x2d, "i32.load8_u", 0),
    MEM(0x2e, "i32.load16_s", 1),
    MEM(0x2f, "i32.load16_u", 1),
    MEM(0x30, "i64.load8_s", 0),
    MEM(0x31, "i64.load8_u", 0),
    MEM(0x32, "i64.load16_s", 1),
    MEM(0x33, "i64.load16_u", 1),
    MEM(0x34, "i64.load32_s", 2),
    MEM(0x35, "i64.load32_u", 2),
    MEM(0x36, "i32.store", 2),
    MEM(0x37, "i64.store", 3),
    MEM(0x38, "f32.store", 2),
    MEM(0x39, "f64.store", 3),
    MEM(0x3a, "i32.store8", 0),
    MEM(0x3b, "i32.store16", 1),
    MEM(0x3c, "i64.store8", 0),
    MEM(0x3d, "i64.store16", 1),
    MEM(0x3e, "i64.store32", 2),
    OP(0x3f, "memory.size", IMM_MEMIDX),
    OP(0x40, "memory.grow", IMM_MEMIDX),
    OP(0x41, "i32.const", IMM_I32),
    OP(0x42, "i64.const", IMM_I64),
    OP(0x43, "f32.const", IMM_F32),
    OP(0x44, "f64.const", IMM_F64),
    OP(0x45, "i32.eqz", IMM_NONE),
    OP(0x46, "i32.eq", IMM_NONE),
    OP(0x47, "i32.ne", IMM_NONE),
    OP(0x48, "i32.lt_s", IMM_NONE),
    OP(0x49, "i32.lt_u", IMM_NONE),
    OP(0x4a, "i32.gt_s", IMM_NONE),
    OP(0x4b, "i32.gt_u", IMM_NONE),
    OP(0x4c, "i32.le_s", IMM_NONE),
    OP(0x4d, "i32.le_u", IMM_NONE),
    OP(0x4e, "i32.ge_s", IMM_NONE),
    OP(0x4f, "i32.ge_u", IMM_NONE),
    OP(0x50, "i64.eqz", IMM_NONE),
    OP(0x51, "i64.eq", IMM_NONE),
    OP(0x52, "i64.ne", IMM_NONE),
    OP(0x53, "i64.lt_s", IMM_NONE),
    OP(0x54, "i64.lt_u", IMM_NONE),
    OP(0x55, "i64.gt_s", IMM_NONE),
    OP(0x56, "i64.gt_u", IMM_NONE),
    OP(0x57, "i64.le_s", IMM_NONE),
    OP(0x58, "i64.le_u", IMM_NONE),
    OP(0x59, "i64.ge_s", IMM_NONE),
    OP(0x5a, "i64.ge_u", IMM_NONE),
    OP(0x5b, "f32.eq", IMM_NONE),
    OP(0x5c, "f32.ne", IMM_NONE),
    OP(0x5d, "f32.lt", IMM_NONE),
    OP(0x5e, "f32.gt", IMM_NONE),
    OP(0x5f, "f32.le", IMM_NONE),
    OP(0x60, "f32.ge", IMM_NONE),
    OP(0x61, "f64.eq", IMM_NONE),
    OP(0x62, "f64.ne", IMM_NONE),
    OP(0x63, "f64.lt", IMM_NONE),
    OP(0x64, "f64.gt", IMM_NONE),
    OP(0x65, "f64.le", IMM_NONE),
    OP(0x66, "f64.ge", IMM_NONE),
    OP(0x67, "i32.clz", IMM_NONE),
    OP(0x68, "i32.ctz", IMM_NONE),
    OP(0x69, "i32.popcnt", IMM_NONE),
    OP(0x6a, "i32.add", IMM_NONE),
    OP(0x6b, "i32.sub", IMM_NONE),
    OP(0x6c, "i32.mul", IMM_NONE),
    OP(0x6d, "i32.div_s", IMM_NONE),
    OP(0x6e, "i32.div_u", IMM_NONE),
    OP(0x6f, "i32.rem_s", IMM_NONE),
    OP(0x70, "i32.rem_u", IMM_NONE),
    OP(0x71, "i32.and", IMM_NONE),
    OP(0x72, "i32.or", IMM_NONE),
    OP(0x73, "i32.xor", IMM_NONE),
    OP(0x74, "i32.shl", IMM_NONE),
    OP(0x75, "i32.shr_s", IMM_NONE),
    OP(0x76, "i32.shr_u", IMM_NONE),
    OP(0x77, "i32.rotl", IMM_NONE),
    OP(0x78, "i32.rotr", IMM_NONE),
    OP(0x79, "i64.clz", IMM_NONE),
    OP(0x7a, "i64.ctz", IMM_NONE),
    OP(0x7b, "i64.popcnt", IMM_NONE),
    OP(0x7c, "i64.add", IMM_NONE),
    OP(0x7d, "i64.sub", IMM_NONE),
    OP(0x7e, "i64.mul", IMM_NONE),
    OP(0x7f, "i64.div_s", IMM_NONE),
    OP(0x80, "i64.div_u", IMM_NONE),
    OP(0x81, "i64.rem_s", IMM_NONE),
    OP(0x82, "i64.rem_u", IMM_NONE),
    OP(0x83, "i64.and", IMM_NONE),
    OP(0x84, "i64.or", IMM_NONE),
    OP(0x85, "i64.xor", IMM_NONE),
    OP(0x86, "i64.shl", IMM_NONE),
    OP(0x87, "i64.shr_s", IMM_NONE),
    OP(0x88, "i64.shr_u", IMM_NONE),
    OP(0x89, "i64.rotl", IMM_NONE),
    OP(0x8a, "i64.rotr", IMM_NONE),
    OP(0x8b, "f32.abs", IMM_NONE),
    OP(0x8c, "f32.neg", IMM_NONE),
    OP(0x8d, "f32.ceil", IMM_NONE),
    OP(0x8e, "f32.floor", IMM_NONE),
    OP(0x8f, "f32.trunc", IMM_NONE),
    OP(0x90, "f32.nearest", IMM_NONE),
    OP(0x91, "f32.sqrt", IMM_NONE),
    OP(0x92, "f32.add", IMM_NONE),
    OP(0x93, "f32.sub", IMM_NONE),
    OP(0x94, "f32.mul", IMM_NONE),
    OP(0x95, "f32.div", IMM_NONE),
    OP(0x96, "f32.min", IMM_NONE),
    OP(0x97, "f32.max", IMM_NONE),
    OP(0x98, "f32.copysign", IMM_NONE),
    OP(0x99, "f64.abs", IMM_NONE),
    OP(0x9a, "f64.neg", IMM_NONE),
    OP(0x9b, "f64.ceil", IMM_NONE),
    OP(0x9c, "f64.floor", IMM_NONE),
    OP(0x9d, "f64.trunc", IMM_NONE),
    OP(0x9e, "f64.nearest", IMM_NONE),
    OP(0x9f, "f64.sqrt", IMM_NONE),
    OP(0xa0, "f64.add", IMM_NONE),
    OP(0xa1, "f64.sub", IMM_NONE),
    OP(0xa2, "f64.mul", IMM_NONE),
    OP(0xa3, "f64.div", IMM_NONE),
    OP(0xa4, "f64.min", IMM_NONE),
    OP(0xa5, "f64.max", IMM_NONE),
    OP(0xa6, "f64.copysign", IMM_NONE),
    OP(0xa7, "i32.wrap_i64", IMM_NONE),
    OP(0xa8, "i32.trunc_f32_s", IMM_NONE),
    OP(0xa9, "i32.trunc_f32_u", IMM_NONE),
    OP(0xaa, "i32.trunc_f64_s", IMM_NONE),
    OP(0xab, "i32.trunc_f64_u", IMM_NONE),
    OP(0xac, "i64.extend_i32_s", IMM_NONE),
    OP(0xad, "i64.extend_i32_u", IMM_NONE),
    OP(0xae, "i64.trunc_f32_s", IMM_NONE),
    OP(0xaf, "i64.trunc_f32_u", IMM_NONE),
    OP(0xb0, "i64.trunc_f64_s", IMM_NONE),
    OP(0xb1, "i64.trunc_f64_u", IMM_NONE),
    OP(0xb2, "f32.convert_i32_s", IMM_NONE),
    OP(0xb3, "f32.convert_i32_u", IMM_NONE),
    OP(0xb4, "f32.convert_i64_s", IMM_NONE),
    OP(0xb5, "f32.convert_i64_u", IMM_NONE),
    OP(0xb6, "f32.demote_f64", IMM_NONE),
    OP(0xb7, "f64.convert_i32_s", IMM_NONE),
    OP(0xb8, "f64.convert_i32_u", IMM_NONE),
    OP(0xb9, "f64.convert_i64_s", IMM_NONE),
    OP(0xba, "f64.convert_i64_u", IMM_NONE),
    OP(0xbb, "f64.promote_f32", IMM_NONE),
    OP(0xbc, "i32.reinterpret_f32", IMM_NONE),
    OP(0xbd, "i64.reinterpret_f64", IMM_NONE),
    OP(0xbe, "f32.reinterpret_i32", IMM_NONE),
    OP(0xbf, "f64.reinterpret_i64", IMM_NONE),
    OP(0xc0, "i32.extend8_s", IMM_NONE),
    OP(0xc1, "i32.extend16_s", IMM_NONE),
    OP(0xc2, "i64.extend8_s", IMM_NONE),
    OP(0xc3, "i64.extend16_s", IMM_NONE),
    OP(0xc4, "i64.extend32_s", IMM_NONE),
    OP(0xd0, "ref.null", IMM_REFTYPE),
    OP(0xd1, "ref.is_null", IMM_NONE),
    OP(0xd2, "ref.func", IMM_FUNC),
};

/* The 0xfc prefix, sub-opcode as u32 (5.4.1, 5.4.5, 5.4.6, 5.4.7). */
static const op ops_fc[18] = {
    OP(0, "i32.trunc_sat_f32_s", IMM_NONE), OP(1, "i32.trunc_sat_f32_u", IMM_NONE),
    OP(2, "i32.trunc_sat_f64_s", IMM_NONE), OP(3, "i32.trunc_sat_f64_u", IMM_NONE),
    OP(4, "i64.trunc_sat_f32_s", IMM_NONE), OP(5, "i64.trunc_sat_f32_u", IMM_NONE),
    OP(6, "i64.trunc_sat_f64_s", IMM_NONE), OP(7, "i64.trunc_sat_f64_u", IMM_NONE),
    OP(8, "memory.init", IMM_MEM_INIT),     OP(9, "data.drop", IMM_INDEX),
    OP(10, "memory.copy", IMM_MEM_COPY),    OP(11, "memory.fill", IMM_MEMIDX),
    OP(12, "table.init", IMM_TABLE_INIT),   OP(13, "elem.drop", IMM_INDEX),
    OP(14, "table.copy", IMM_TABLE_COPY),   OP(15, "table.grow", IMM_INDEX),
    OP(16, "table.size", IMM_INDEX),        OP(17, "table.fill", IMM_INDEX),
};

#undef OP
#undef MEM

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
    switch ((enum imm)o->imm) {
    case IMM_NONE: return WB_OK;
    case IMM_BLOCK: {
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
    case IMM_LABEL:
    case IMM_INDEX:
        if (read_u32(c, &a, err) != WB_OK) return WB_ERROR;
        put(t, " %" PRIu32, a);
        return WB_OK;
    case IMM_BR_TABLE:
        if (read_u32(c, &a, err) != WB_OK) return WB_ERROR;
        /* count targets plus the default; each read is bounds-checked, so a
         * huge count stops at the end of the body. */
        for (uint64_t i = 0; i <= a; i++) {
            if (read_u32(c, &b, err) != WB_OK) return WB_ERROR;
            put(t, " %" PRIu32, b);
        }
        return WB_OK;
    case IMM_FUNC:
        if (read_u32(c, &a, err) != WB_OK) return WB_ERROR;
        put(t, " %" PRIu32, a);
        put_func_name(t, w, a);
        return WB_OK;
    case IMM_CALL_IND:
        if (read_u32(c, &a, err) != WB_OK || read_u32(c, &b, err) != WB_OK) return WB_ERROR;
        if (b) put(t, " %" PRIu32, b);
        put(t, " (type %" PRIu32 ")", a);
        return WB_OK;
    case IMM_MEMARG: return put_memarg(t, c, o, err);
    case IMM_MEMIDX:
        if (read_u32(c, &a, err) != WB_OK) return WB_ERROR;
        if (a) put(t, " %" PRIu32, a);
        return WB_OK;
    case IMM_I32:
        if (read_leb(c, 32, true, &v, err) != WB_OK) return WB_ERROR;
        put(t, " %" PRId64, (int64_t)v);
        return WB_OK;
    case IMM_I64:
        if (read_leb(c, 64, true, &v, err) != WB_OK) return WB_ERROR;
        put(t, " %" PRId64, (int64_t)v);
        return WB_OK;
    case IMM_F32:
        if (read_bytes(c, raw, 4, err) != WB_OK) return WB_ERROR;
        put(t, " ");
        put_float(t,
                  (uint64_t)raw[0] | (uint64_t)raw[1] << 8 | (uint64_t)raw[2] << 16 |
                      (uint64_t)raw[3] << 24,
                  23, 8);
        return WB_OK;
    case IMM_F64:
        if (read_bytes(c, raw, 8, err) != WB_OK) return WB_ERROR;
        v = 0;
        for (int i = 7; i >= 0; i--)
            v = v << 8 | raw[i];
        put(t, " ");
        put_float(t, v, 52, 11);
        return WB_OK;
    case IMM_SELECT_T:
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
    case IMM_REFTYPE:
        if (read_u8(c, &byte, err) != WB_OK) return WB_ERROR;
        if (byte == 0x70)
            put(t, " func");
        else if (byte == 0x6f)
            put(t, " extern");
        else
            return cur_fail(c, err, "bad reference type");
        return WB_OK;
    case IMM_MEM_INIT:
        if (read_u32(c, &a, err) != WB_OK || read_u32(c, &b, err) != WB_OK) return WB_ERROR;
        if (b) put(t, " %" PRIu32, b);
        put(t, " %" PRIu32, a);
        return WB_OK;
    case IMM_MEM_COPY:
        if (read_u32(c, &a, err) != WB_OK || read_u32(c, &b, err) != WB_OK) return WB_ERROR;
        if (a || b) put(t, " %" PRIu32 " %" PRIu32, a, b);
        return WB_OK;
    case IMM_TABLE_INIT:
        /* Binary order elemidx tableidx; the text format writes the table
         * first. */
        if (read_u32(c, &a, err) != WB_OK || read_u32(c, &b, err) != WB_OK) return WB_ERROR;
        put(t, " %" PRIu32 " %" PRIu32, b, a);
        return WB_OK;
    case IMM_TABLE_COPY:
        if (read_u32(c, &a, err) != WB_OK || read_u32(c, &b, err) != WB_OK) return WB_ERROR;
        put(t, " %" PRIu32 " %" PRIu32, a, b);
        return WB_OK;
    }
    return cur_fail(c, err, "internal: bad immediate kind");
}

/* SIMD (0xfd, 5.4.8) is not disassembled, but its immediates are skipped
 * so the rest of the body still is. The sub-opcodes with immediates:
 * memarg 0x00-0x0b and 0x5c-0x5d, 16 bytes 0x0c-0x0d (v128.const,
 * i8x16.shuffle), a lane byte 0x15-0x22, memarg and lane 0x54-0x5b. The
 * others up to 0xff, and relaxed SIMD 0x100-0x113, have none. */
static wb_status skip_simd(cursor *c, uint32_t sub, wb_error *err)
{
    static const op dummy = {"v128", IMM_MEMARG, 0};
    uint8_t raw[16];
    text scratch;
    char buf[64];
    scratch.buf = buf;
    scratch.cap = sizeof buf;
    scratch.len = 0;
    scratch.cut = false;
    buf[0] = 0;
    if (sub <= 0x0b || sub == 0x5c || sub == 0x5d) return put_memarg(&scratch, c, &dummy, err);
    if (sub <= 0x0d) return read_bytes(c, raw, 16, err);
    if (sub >= 0x15 && sub <= 0x22) return read_bytes(c, raw, 1, err);
    if (sub >= 0x54 && sub <= 0x5b) {
        if (put_memarg(&scratch, c, &dummy, err) != WB_OK) return WB_ERROR;
        return read_bytes(c, raw, 1, err);
    }
    if (sub <= 0x113) return WB_OK;
    return cur_fail(c, err, "unknown SIMD opcode");
}

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
    c->insn = c->pos;
    in->off = (wb_code_off)c->pos;
    if (read_u8(c, &opc, err) != WB_OK) return WB_ERROR;
    if (opc == 0xfc) {
        if (read_u32(c, &sub, err) != WB_OK) return WB_ERROR;
        if (sub >= sizeof ops_fc / sizeof ops_fc[0]) return cur_fail(c, err, "unknown 0xfc opcode");
        o = &ops_fc[sub];
    } else if (opc == 0xfd) {
        if (read_u32(c, &sub, err) != WB_OK) return WB_ERROR;
        if (skip_simd(c, sub, err) != WB_OK) return WB_ERROR;
        put(&t, "unknown 0xfd %" PRIu32, sub);
        in->len = (uint32_t)(c->pos - c->insn);
        return WB_OK;
    } else {
        o = &ops[opc];
        if (!o->name) {
            char why[40];
            snprintf(why, sizeof why, "unknown opcode 0x%02x", opc);
            c->pos = c->insn; /* the fault is the opcode itself */
            return cur_fail(c, err, why);
        }
    }
    put(&t, "%s", o->name);
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
        if (opc == 0x0b) {
            if (depth == 0)
                done = true;
            else
                depth--;
        }
        /* `else` sits at its `if`'s depth; outside any block it is
         * invalid, but is shown at 0 rather than refused. */
        in.depth = (opc == 0x05 && depth > 0) ? depth - 1 : depth;
        if (opc == 0x02 || opc == 0x03 || opc == 0x04) depth++;
        if (nv == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            wb_insn *nvp = realloc(v, ncap * sizeof *v);
            if (!nvp) {
                wb_fail(err, "out of memory disassembling function %" PRIu32, f->index);
                goto fail;
            }
            v = nvp;
            cap = ncap;
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
