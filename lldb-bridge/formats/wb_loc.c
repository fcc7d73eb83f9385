/*
 * DWARF location expressions for Wasm (wb_loc.h): a small stack machine
 * over 64-bit values (DWARF 5, 2.5) that also keeps Wasm places on its
 * stack.
 *
 * DW_OP_WASM_location (tool-conventions Debugging.md) names a local,
 * global or operand-stack entry: it pushes a *place*. What a place left on
 * top of the stack at the end of the expression (or of a piece) means
 * follows clang and LLDB (the reference reader): under DW_OP_stack_value
 * the object's value is the place's value (`DW_OP_WASM_location 0 N,
 * DW_OP_stack_value`: the value of local N, reported as that local so it
 * can be written, and likewise for a place ending a DW_OP_piece); for a
 * whole expression without it the place holds the object's *address* in
 * linear memory, as any value left on a DWARF stack is a memory location
 * (clang describes a struct passed by value, i.e. by pointer, as
 * `DW_OP_WASM_location 0 N`, and a frame base the same way). Any
 * operation that needs a number (arithmetic, deref, DW_OP_fbreg's frame
 * base) reads the place through the target callbacks first.
 *
 * Addresses are wasm32: a memory place and the operand of DW_OP_deref are
 * taken modulo 2^32 (so DW_OP_fbreg -16 wraps as the target's i32.add
 * does), while values keep 64 bits (i64 constants under stack_value).
 */
#include "wdb/wasmfmt.h"
#include "wb_loc.h"

#include "wb_sbuf.h"
#include "wb_types.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Deepest stack: real expressions use two or three entries. */
#define MAX_STACK 64
/* Operations executed per evaluation: ends DW_OP_skip/bra loops. */
#define MAX_OPS 10000

#define OP_ADDR 0x03
#define OP_DEREF 0x06
#define OP_CONST1U 0x08
#define OP_CONST1S 0x09
#define OP_CONST2U 0x0a
#define OP_CONST2S 0x0b
#define OP_CONST4U 0x0c
#define OP_CONST4S 0x0d
#define OP_CONST8U 0x0e
#define OP_CONST8S 0x0f
#define OP_CONSTU 0x10
#define OP_CONSTS 0x11
#define OP_DUP 0x12
#define OP_DROP 0x13
#define OP_OVER 0x14
#define OP_PICK 0x15
#define OP_SWAP 0x16
#define OP_ROT 0x17
#define OP_ABS 0x19
#define OP_AND 0x1a
#define OP_DIV 0x1b
#define OP_MINUS 0x1c
#define OP_MOD 0x1d
#define OP_MUL 0x1e
#define OP_NEG 0x1f
#define OP_NOT 0x20
#define OP_OR 0x21
#define OP_PLUS 0x22
#define OP_PLUS_UCONST 0x23
#define OP_SHL 0x24
#define OP_SHR 0x25
#define OP_SHRA 0x26
#define OP_XOR 0x27
#define OP_BRA 0x28
#define OP_EQ 0x29
#define OP_GE 0x2a
#define OP_GT 0x2b
#define OP_LE 0x2c
#define OP_LT 0x2d
#define OP_NE 0x2e
#define OP_SKIP 0x2f
#define OP_LIT0 0x30
#define OP_LIT31 0x4f
#define OP_REG0 0x50
#define OP_REG31 0x6f
#define OP_BREG0 0x70
#define OP_BREG31 0x8f
#define OP_REGX 0x90
#define OP_FBREG 0x91
#define OP_BREGX 0x92
#define OP_PIECE 0x93
#define OP_DEREF_SIZE 0x94
#define OP_NOP 0x96
#define OP_IMPLICIT_VALUE 0x9e
#define OP_STACK_VALUE 0x9f
#define OP_WASM_LOCATION 0xed

/* A stack entry: a number, or a Wasm place not read yet. */
enum { E_VALUE, E_LOCAL, E_GLOBAL, E_STACK };

typedef struct entry {
    int kind;
    uint64_t v; /* the number, or the place's index */
} entry;

typedef struct machine {
    const uint8_t *p, *end, *start;
    const wb_loc_target *t;
    entry stack[MAX_STACK];
    size_t sp;
    wb_error *err;
} machine;

static const char *op_name(uint8_t op)
{
    switch (op) {
    case OP_REGX: return "DW_OP_regx";
    case OP_BREGX: return "DW_OP_bregx";
    case 0x95: return "DW_OP_xderef_size";
    case 0x97: return "DW_OP_push_object_address";
    case 0x98: return "DW_OP_call2";
    case 0x99: return "DW_OP_call4";
    case 0x9a: return "DW_OP_call_ref";
    case 0x9b: return "DW_OP_form_tls_address";
    case 0x9c: return "DW_OP_call_frame_cfa";
    case 0x9d: return "DW_OP_bit_piece";
    case 0xa0: return "DW_OP_implicit_pointer";
    case 0xa1: return "DW_OP_addrx";
    case 0xa2: return "DW_OP_constx";
    case 0xa3: return "DW_OP_entry_value";
    case 0xa4: return "DW_OP_const_type";
    case 0xa5: return "DW_OP_regval_type";
    case 0xa6: return "DW_OP_deref_type";
    case 0xa8: return "DW_OP_convert";
    case 0xa9: return "DW_OP_reinterpret";
    case 0xe0: return "DW_OP_GNU_push_tls_address";
    case 0xf3: return "DW_OP_GNU_entry_value";
    default: return "DW_OP_?";
    }
}

static wb_status need(machine *m, size_t n)
{
    if ((size_t)(m->end - m->p) < n)
        return wb_fail(m->err, "DWARF expression truncated at byte %zu", (size_t)(m->p - m->start));
    return WB_OK;
}

/* DWARF's LEB128 numbers, up to 64 bits, with the project's one reader
 * (wdb/wasmfmt.h) */
static wb_status read_leb(machine *m, bool sign, uint64_t *out)
{
    const char *why = wf_leb_read(&m->p, m->end, 64, sign, out);
    if (why && m->p >= m->end) return need(m, 1); /* truncated */
    if (why) return wb_fail(m->err, "DWARF expression: LEB128 number: %s", why);
    return WB_OK;
}

static wb_status read_uleb(machine *m, uint64_t *out)
{
    return read_leb(m, false, out);
}

static wb_status read_sleb(machine *m, int64_t *out)
{
    uint64_t v;
    if (read_leb(m, true, &v) != WB_OK) return WB_ERROR;
    *out = (int64_t)v;
    return WB_OK;
}

/* n bytes little-endian, zero-extended (n <= 8). */
static wb_status read_fixed(machine *m, size_t n, uint64_t *out)
{
    if (need(m, n) != WB_OK) return WB_ERROR;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v |= (uint64_t)m->p[i] << (8 * i);
    m->p += n;
    *out = v;
    return WB_OK;
}

static uint64_t sign_extend(uint64_t v, size_t bytes)
{
    if (bytes >= 8) return v;
    unsigned bits = (unsigned)bytes * 8;
    uint64_t sign = (uint64_t)1 << (bits - 1);
    v &= (sign << 1) - 1;
    return (v ^ sign) - sign;
}

/* The operand size of DW_OP_const1u .. DW_OP_const8s, 0 for other
 * operations. */
static size_t const_size(uint8_t op)
{
    if (op < OP_CONST1U || op > OP_CONST8S) return 0;
    return op <= OP_CONST1S ? 1 : op <= OP_CONST2S ? 2 : op <= OP_CONST4S ? 4 : 8;
}

/* The operand of a DW_OP_constNx, sign-extended for the ...s forms (the
 * odd opcodes). */
static wb_status read_const(machine *m, uint8_t op, uint64_t *out)
{
    size_t n = const_size(op);
    if (read_fixed(m, n, out) != WB_OK) return WB_ERROR;
    if (op & 1) *out = sign_extend(*out, n);
    return WB_OK;
}

static wb_status push(machine *m, int kind, uint64_t v)
{
    if (m->sp >= MAX_STACK) return wb_fail(m->err, "DWARF expression: stack overflow");
    m->stack[m->sp].kind = kind;
    m->stack[m->sp].v = v;
    m->sp++;
    return WB_OK;
}

/* Reads a place's current value (an entry that is a number is returned
 * as is). */
static wb_status entry_value(const wb_loc_target *t, const entry *e, uint64_t *out, wb_error *err)
{
    wb_status (*fn)(void *, uint32_t, uint64_t *, wb_error *) = NULL;
    const char *what = "";
    switch (e->kind) {
    case E_VALUE: *out = e->v; return WB_OK;
    case E_LOCAL:
        fn = t ? t->read_local : NULL;
        what = "local";
        break;
    case E_GLOBAL:
        fn = t ? t->read_global : NULL;
        what = "global";
        break;
    default:
        fn = t ? t->read_stack : NULL;
        what = "operand stack entry";
        break;
    }
    if (e->v > UINT32_MAX)
        return wb_fail(err, "Wasm %s index %llu is out of range", what, (unsigned long long)e->v);
    if (!fn) return wb_fail(err, "cannot read Wasm %s %u here", what, (unsigned)e->v);
    wb_error why = {""};
    if (fn(t->user, (uint32_t)e->v, out, &why) != WB_OK)
        return wb_fail(err, "reading Wasm %s %u failed: %s", what, (unsigned)e->v, why.msg);
    return WB_OK;
}

/* Pops one number (reading a place if needed). */
static wb_status pop(machine *m, uint64_t *out)
{
    if (m->sp == 0) return wb_fail(m->err, "DWARF expression: stack underflow");
    m->sp--;
    return entry_value(m->t, &m->stack[m->sp], out, m->err);
}

static wb_status read_mem(machine *m, uint64_t addr, size_t n, uint64_t *out)
{
    uint8_t buf[8] = {0};
    addr &= UINT32_MAX;
    if (!m->t || !m->t->read_memory)
        return wb_fail(m->err, "cannot read memory at 0x%llx here", (unsigned long long)addr);
    wb_error why = {""};
    if (m->t->read_memory(m->t->user, addr, buf, n, &why) != WB_OK)
        return wb_fail(m->err, "reading %zu bytes of memory at 0x%llx failed: %s", n,
                       (unsigned long long)addr, why.msg);
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v |= (uint64_t)buf[i] << (8 * i);
    *out = v;
    return WB_OK;
}

/* The frame base: DW_AT_frame_base evaluated on its own (no DW_OP_fbreg
 * inside it); a Wasm place gives its value, a memory place its address,
 * a computed value itself. */
static wb_status frame_base(machine *m, uint64_t *out)
{
    if (!m->t || !m->t->frame_base || m->t->frame_base_len == 0)
        return wb_fail(m->err, "DW_OP_fbreg without a frame base (DW_AT_frame_base)");
    wb_loc_target inner = *m->t;
    inner.frame_base = NULL;
    inner.frame_base_len = 0;
    wb_location loc;
    if (wb_loc_eval(m->t->frame_base, m->t->frame_base_len, &inner, &loc, m->err) != WB_OK)
        return WB_ERROR;
    if (loc.npieces != 1 || loc.pieces[0].size != 0)
        return wb_fail(m->err, "unsupported DW_AT_frame_base (not a single location)");
    const wb_piece *p = &loc.pieces[0];
    entry e = {E_VALUE, p->where};
    switch (p->kind) {
    case WB_PLACE_MEMORY: *out = p->where; return WB_OK;
    case WB_PLACE_VALUE: *out = p->value; return WB_OK;
    case WB_PLACE_LOCAL: e.kind = E_LOCAL; break;
    case WB_PLACE_GLOBAL: e.kind = E_GLOBAL; break;
    case WB_PLACE_STACK: e.kind = E_STACK; break;
    default: return wb_fail(m->err, "DW_AT_frame_base has no location here");
    }
    return entry_value(m->t, &e, out, m->err);
}

/* Ends a piece (or the whole expression): the stack's top is the
 * location; `as_value` after DW_OP_stack_value. */
static wb_status finish_piece(machine *m, wb_location *out, bool as_value, uint32_t size)
{
    if (out->npieces >= WB_LOC_MAX_PIECES)
        return wb_fail(m->err, "DWARF expression: more than %d pieces", WB_LOC_MAX_PIECES);
    wb_piece *pc = &out->pieces[out->npieces];
    memset(pc, 0, sizeof *pc);
    pc->size = size;
    if (m->sp == 0) {
        if (as_value) return wb_fail(m->err, "DW_OP_stack_value on an empty stack");
        pc->kind = WB_PLACE_EMPTY;
    } else {
        const entry *top = &m->stack[m->sp - 1];
        if (!as_value && size == 0 && out->npieces == 0 &&
            (top->kind == E_LOCAL || top->kind == E_GLOBAL || top->kind == E_STACK)) {
            /* the place holds the object's address (see the top comment);
             * inside DW_OP_piece a place is the piece itself, as LLDB
             * reads it */
            uint64_t addr;
            if (entry_value(m->t, top, &addr, m->err) != WB_OK) return WB_ERROR;
            pc->kind = WB_PLACE_MEMORY;
            pc->where = addr & UINT32_MAX;
            out->npieces++;
            m->sp = 0;
            return WB_OK;
        }
        switch (top->kind) {
        case E_LOCAL:
            pc->kind = WB_PLACE_LOCAL;
            pc->where = top->v;
            break;
        case E_GLOBAL:
            pc->kind = WB_PLACE_GLOBAL;
            pc->where = top->v;
            break;
        case E_STACK:
            pc->kind = WB_PLACE_STACK;
            pc->where = top->v;
            break;
        default:
            if (as_value) {
                pc->kind = WB_PLACE_VALUE;
                pc->value = top->v;
            } else {
                pc->kind = WB_PLACE_MEMORY;
                pc->where = top->v & UINT32_MAX;
            }
            break;
        }
    }
    out->npieces++;
    m->sp = 0;
    return WB_OK;
}

/* After DW_OP_stack_value or DW_OP_implicit_value only DW_OP_piece or the
 * end may follow (DWARF 5, 2.6.1.1.4). */
static wb_status after_value(machine *m, uint32_t *piece_size, bool *has_piece)
{
    *has_piece = false;
    *piece_size = 0;
    if (m->p == m->end) return WB_OK;
    if (*m->p != OP_PIECE)
        return wb_fail(m->err, "DWARF expression: operation 0x%02x after a value", *m->p);
    m->p++;
    uint64_t n = 0;
    if (read_uleb(m, &n) != WB_OK) return WB_ERROR;
    if (n == 0 || n > UINT32_MAX) return wb_fail(m->err, "DWARF expression: bad piece size");
    *piece_size = (uint32_t)n;
    *has_piece = true;
    return WB_OK;
}

static wb_status binary(machine *m, uint8_t op)
{
    uint64_t b, a;
    if (pop(m, &b) != WB_OK || pop(m, &a) != WB_OK) return WB_ERROR;
    int64_t sa = (int64_t)a, sb = (int64_t)b;
    uint64_t r = 0;
    switch (op) {
    case OP_AND: r = a & b; break;
    case OP_OR: r = a | b; break;
    case OP_XOR: r = a ^ b; break;
    case OP_PLUS: r = a + b; break;
    case OP_MINUS: r = a - b; break;
    case OP_MUL: r = a * b; break;
    case OP_DIV:
        if (b == 0) return wb_fail(m->err, "DWARF expression: division by zero");
        if (sa == INT64_MIN && sb == -1)
            r = a;
        else
            r = (uint64_t)(sa / sb);
        break;
    case OP_MOD:
        if (b == 0) return wb_fail(m->err, "DWARF expression: division by zero");
        r = a % b;
        break;
    case OP_SHL: r = b >= 64 ? 0 : a << b; break;
    case OP_SHR: r = b >= 64 ? 0 : a >> b; break;
    case OP_SHRA:
        if (b >= 64)
            r = sa < 0 ? ~(uint64_t)0 : 0;
        else
            r = sa < 0 ? ~(~a >> b) : a >> b;
        break;
    case OP_EQ: r = sa == sb; break;
    case OP_NE: r = sa != sb; break;
    case OP_LT: r = sa < sb; break;
    case OP_LE: r = sa <= sb; break;
    case OP_GT: r = sa > sb; break;
    case OP_GE: r = sa >= sb; break;
    default: return wb_fail(m->err, "DWARF expression: internal error");
    }
    return push(m, E_VALUE, r);
}

/* A branch target: `off` bytes from the end of the branch operation; it
 * must land on the expression (its end included). */
static wb_status jump(machine *m, int16_t off)
{
    ptrdiff_t pos = (m->p - m->start) + off;
    if (pos < 0 || pos > m->end - m->start)
        return wb_fail(m->err, "DWARF expression: branch outside the expression");
    m->p = m->start + pos;
    return WB_OK;
}

wb_status wb_loc_eval(const uint8_t *expr, size_t len, const wb_loc_target *t, wb_location *out,
                      wb_error *err)
{
    machine m;
    m.p = m.start = expr;
    m.end = expr + len;
    m.t = t;
    m.sp = 0;
    m.err = err;
    out->npieces = 0;
    if (len == 0) return WB_OK;
    if (!expr) return wb_fail(err, "DWARF expression: no bytes");
    unsigned ops = 0;
    while (m.p < m.end) {
        if (++ops > MAX_OPS)
            return wb_fail(err, "DWARF expression: more than %d operations (a loop?)", MAX_OPS);
        uint8_t op = *m.p++;
        uint64_t u = 0, a = 0, b = 0, c = 0;
        int64_t s = 0;
        wb_status st = WB_OK;
        if (op >= OP_LIT0 && op <= OP_LIT31) {
            st = push(&m, E_VALUE, (uint64_t)(op - OP_LIT0));
        } else if (const_size(op)) {
            if ((st = read_const(&m, op, &u)) == WB_OK) st = push(&m, E_VALUE, u);
        } else if ((op >= OP_REG0 && op <= OP_REG31) || op == OP_REGX ||
                   (op >= OP_BREG0 && op <= OP_BREG31) || op == OP_BREGX) {
            return wb_fail(err,
                           "DWARF expression: register operation 0x%02x has no meaning "
                           "in Wasm",
                           op);
        } else {
            switch (op) {
            case OP_ADDR:
                /* wasm32: 4-byte addresses */
                if ((st = read_fixed(&m, 4, &u)) == WB_OK) st = push(&m, E_VALUE, u);
                break;
            case OP_CONSTU:
                if ((st = read_uleb(&m, &u)) == WB_OK) st = push(&m, E_VALUE, u);
                break;
            case OP_CONSTS:
                if ((st = read_sleb(&m, &s)) == WB_OK) st = push(&m, E_VALUE, (uint64_t)s);
                break;
            case OP_DUP:
                if (m.sp == 0) return wb_fail(err, "DWARF expression: stack underflow");
                st = push(&m, m.stack[m.sp - 1].kind, m.stack[m.sp - 1].v);
                break;
            case OP_DROP:
                if (m.sp == 0) return wb_fail(err, "DWARF expression: stack underflow");
                m.sp--;
                break;
            case OP_OVER:
            case OP_PICK:
                u = 1;
                if (op == OP_PICK && (st = read_fixed(&m, 1, &u)) != WB_OK) break;
                if (u >= m.sp) return wb_fail(err, "DWARF expression: stack underflow");
                st = push(&m, m.stack[m.sp - 1 - u].kind, m.stack[m.sp - 1 - u].v);
                break;
            case OP_SWAP: {
                if (m.sp < 2) return wb_fail(err, "DWARF expression: stack underflow");
                entry e = m.stack[m.sp - 1];
                m.stack[m.sp - 1] = m.stack[m.sp - 2];
                m.stack[m.sp - 2] = e;
                break;
            }
            case OP_ROT: {
                if (m.sp < 3) return wb_fail(err, "DWARF expression: stack underflow");
                entry e = m.stack[m.sp - 1];
                m.stack[m.sp - 1] = m.stack[m.sp - 2];
                m.stack[m.sp - 2] = m.stack[m.sp - 3];
                m.stack[m.sp - 3] = e;
                break;
            }
            case OP_DEREF:
            case OP_DEREF_SIZE:
                u = 4;
                if (op == OP_DEREF_SIZE && (st = read_fixed(&m, 1, &u)) != WB_OK) break;
                if (u == 0 || u > 8) return wb_fail(err, "DW_OP_deref_size %u", (unsigned)u);
                if ((st = pop(&m, &a)) != WB_OK) break;
                if ((st = read_mem(&m, a, (size_t)u, &b)) != WB_OK) break;
                st = push(&m, E_VALUE, b);
                break;
            case OP_ABS:
            case OP_NEG:
            case OP_NOT:
                if ((st = pop(&m, &a)) != WB_OK) break;
                if (op == OP_ABS)
                    a = (int64_t)a < 0 ? 0 - a : a;
                else if (op == OP_NEG)
                    a = 0 - a;
                else
                    a = ~a;
                st = push(&m, E_VALUE, a);
                break;
            case OP_PLUS_UCONST:
                if ((st = read_uleb(&m, &u)) != WB_OK || (st = pop(&m, &a)) != WB_OK) break;
                st = push(&m, E_VALUE, a + u);
                break;
            case OP_AND:
            case OP_DIV:
            case OP_MINUS:
            case OP_MOD:
            case OP_MUL:
            case OP_OR:
            case OP_PLUS:
            case OP_SHL:
            case OP_SHR:
            case OP_SHRA:
            case OP_XOR:
            case OP_EQ:
            case OP_GE:
            case OP_GT:
            case OP_LE:
            case OP_LT:
            case OP_NE: st = binary(&m, op); break;
            case OP_SKIP:
            case OP_BRA:
                if ((st = read_fixed(&m, 2, &u)) != WB_OK) break;
                if (op == OP_BRA) {
                    if ((st = pop(&m, &a)) != WB_OK) break;
                    if (a == 0) break;
                }
                st = jump(&m, (int16_t)(uint16_t)u);
                break;
            case OP_FBREG:
                if ((st = read_sleb(&m, &s)) != WB_OK || (st = frame_base(&m, &a)) != WB_OK) break;
                st = push(&m, E_VALUE, (a + (uint64_t)s) & UINT32_MAX);
                break;
            case OP_NOP: break;
            case OP_WASM_LOCATION:
                if ((st = read_fixed(&m, 1, &a)) != WB_OK) break;
                if (a == 3)
                    st = read_fixed(&m, 4, &u);
                else if (a <= 2)
                    st = read_uleb(&m, &u);
                else
                    return wb_fail(err, "DW_OP_WASM_location: unknown kind %u", (unsigned)a);
                if (st != WB_OK) break;
                st = push(&m, a == 0 ? E_LOCAL : a == 2 ? E_STACK : E_GLOBAL, u);
                break;
            case OP_PIECE:
                if ((st = read_uleb(&m, &u)) != WB_OK) break;
                if (u == 0 || u > UINT32_MAX)
                    return wb_fail(err, "DWARF expression: bad piece size");
                st = finish_piece(&m, out, false, (uint32_t)u);
                break;
            case OP_STACK_VALUE: {
                bool piece;
                uint32_t size;
                if ((st = after_value(&m, &size, &piece)) != WB_OK) break;
                st = finish_piece(&m, out, true, size);
                break;
            }
            case OP_IMPLICIT_VALUE: {
                bool piece;
                uint32_t size;
                if ((st = read_uleb(&m, &u)) != WB_OK) break;
                if (u > 8)
                    return wb_fail(err,
                                   "DW_OP_implicit_value of %llu bytes (at most 8 "
                                   "supported)",
                                   (unsigned long long)u);
                if ((st = read_fixed(&m, (size_t)u, &c)) != WB_OK) break;
                if ((st = after_value(&m, &size, &piece)) != WB_OK) break;
                m.sp = 0;
                if ((st = push(&m, E_VALUE, c)) != WB_OK) break;
                st = finish_piece(&m, out, true, size ? size : (uint32_t)u);
                break;
            }
            default:
                return wb_fail(err, "unsupported DWARF operation %s (0x%02x)", op_name(op), op);
            }
        }
        if (st != WB_OK) return st;
    }
    /* the end of the expression ends its last (or only) piece; after a
     * DW_OP_piece with nothing following there is nothing more */
    if (m.sp == 0) return WB_OK; /* nothing pushed: no location (or all in pieces) */
    if (out->npieces > 0) return wb_fail(err, "DWARF expression: operations after the last piece");
    return finish_piece(&m, out, false, 0);
}

wb_status wb_loc_select(const struct wb_var *v, wb_code_off pc, const uint8_t **expr, size_t *len)
{
    for (size_t i = 0; i < v->nlocs; i++) {
        const wb_loc_range *r = &v->locs[i];
        if ((r->lo == 0 && r->hi == UINT32_MAX) || (r->lo <= pc && pc < r->hi)) {
            *expr = r->expr;
            *len = r->len;
            return WB_OK;
        }
    }
    return WB_NOT_FOUND;
}

/* ---------------------------------------------------------- describing */

bool wb_loc_static_address(const uint8_t *expr, size_t len, uint32_t *addr)
{
    if (len != 5 || expr[0] != OP_ADDR) return false;
    *addr = (uint32_t)expr[1] | (uint32_t)expr[2] << 8 | (uint32_t)expr[3] << 16 |
            (uint32_t)expr[4] << 24;
    return true;
}

/* The names of DWARF 5's operations (7.7.1, table 7.9) from 0x03 on, for
 * the disassembly; NULL where the table has a gap. */
static const char *const op_names[] = {
    [0x03] = "DW_OP_addr",
    [0x06] = "DW_OP_deref",
    [0x08] = "DW_OP_const1u",
    [0x09] = "DW_OP_const1s",
    [0x0a] = "DW_OP_const2u",
    [0x0b] = "DW_OP_const2s",
    [0x0c] = "DW_OP_const4u",
    [0x0d] = "DW_OP_const4s",
    [0x0e] = "DW_OP_const8u",
    [0x0f] = "DW_OP_const8s",
    [0x10] = "DW_OP_constu",
    [0x11] = "DW_OP_consts",
    [0x12] = "DW_OP_dup",
    [0x13] = "DW_OP_drop",
    [0x14] = "DW_OP_over",
    [0x15] = "DW_OP_pick",
    [0x16] = "DW_OP_swap",
    [0x17] = "DW_OP_rot",
    [0x18] = "DW_OP_xderef",
    [0x19] = "DW_OP_abs",
    [0x1a] = "DW_OP_and",
    [0x1b] = "DW_OP_div",
    [0x1c] = "DW_OP_minus",
    [0x1d] = "DW_OP_mod",
    [0x1e] = "DW_OP_mul",
    [0x1f] = "DW_OP_neg",
    [0x20] = "DW_OP_not",
    [0x21] = "DW_OP_or",
    [0x22] = "DW_OP_plus",
    [0x23] = "DW_OP_plus_uconst",
    [0x24] = "DW_OP_shl",
    [0x25] = "DW_OP_shr",
    [0x26] = "DW_OP_shra",
    [0x27] = "DW_OP_xor",
    [0x28] = "DW_OP_bra",
    [0x29] = "DW_OP_eq",
    [0x2a] = "DW_OP_ge",
    [0x2b] = "DW_OP_gt",
    [0x2c] = "DW_OP_le",
    [0x2d] = "DW_OP_lt",
    [0x2e] = "DW_OP_ne",
    [0x2f] = "DW_OP_skip",
    [0x90] = "DW_OP_regx",
    [0x91] = "DW_OP_fbreg",
    [0x92] = "DW_OP_bregx",
    [0x93] = "DW_OP_piece",
    [0x94] = "DW_OP_deref_size",
    [0x95] = "DW_OP_xderef_size",
    [0x96] = "DW_OP_nop",
    [0x97] = "DW_OP_push_object_address",
    [0x98] = "DW_OP_call2",
    [0x99] = "DW_OP_call4",
    [0x9a] = "DW_OP_call_ref",
    [0x9b] = "DW_OP_form_tls_address",
    [0x9c] = "DW_OP_call_frame_cfa",
    [0x9d] = "DW_OP_bit_piece",
    [0x9e] = "DW_OP_implicit_value",
    [0x9f] = "DW_OP_stack_value",
    [0xa0] = "DW_OP_implicit_pointer",
    [0xa1] = "DW_OP_addrx",
    [0xa2] = "DW_OP_constx",
    [0xa3] = "DW_OP_entry_value",
    [0xa4] = "DW_OP_const_type",
    [0xa5] = "DW_OP_regval_type",
    [0xa6] = "DW_OP_deref_type",
    [0xa7] = "DW_OP_xderef_type",
    [0xa8] = "DW_OP_convert",
    [0xa9] = "DW_OP_reinterpret",
    [0xed] = "DW_OP_WASM_location",
};

/* Disassembles from m->p, one operation a line as gdb does ("  %4d: NAME
 * OPERANDS"), up to the end or, unless `all`, a DW_OP_piece. False when
 * the bytes are malformed (the text says so). */
static bool disassemble(machine *m, wb_sbuf *out, bool all)
{
    while (m->p < m->end && (all || *m->p != OP_PIECE)) {
        long at = (long)(m->p - m->start);
        uint8_t op = *m->p++;
        uint64_t u = 0, v = 0;
        int64_t sv = 0;
        char name[24];
        const char *n = op < sizeof op_names / sizeof op_names[0] ? op_names[op] : NULL;
        if (op >= OP_LIT0 && op <= OP_LIT31) {
            snprintf(name, sizeof name, "DW_OP_lit%d", op - OP_LIT0);
            n = name;
        } else if (op >= OP_REG0 && op <= OP_REG31) {
            snprintf(name, sizeof name, "DW_OP_reg%d", op - OP_REG0);
            n = name;
        } else if (op >= OP_BREG0 && op <= OP_BREG31) {
            snprintf(name, sizeof name, "DW_OP_breg%d", op - OP_BREG0);
            n = name;
        }
        if (!n) {
            wb_sb_addf(out, "  %4ld: unknown DWARF operation 0x%02x\n", at, op);
            return false;
        }
        wb_sb_addf(out, "  %4ld: %s", at, n);
        bool ok = true;
        switch (op) {
        case OP_ADDR:
            if ((ok = read_fixed(m, 4, &u) == WB_OK)) wb_sb_addf(out, " 0x%" PRIx64, u);
            break;
        case OP_PICK:
        case OP_DEREF_SIZE:
        case 0x95: /* xderef_size */
            if ((ok = read_fixed(m, 1, &u) == WB_OK)) wb_sb_addf(out, " %" PRIu64, u);
            break;
        case OP_SKIP:
        case OP_BRA:
            if ((ok = read_fixed(m, 2, &u) == WB_OK))
                wb_sb_addf(out, " to %ld", (long)(m->p - m->start) + (int16_t)(uint16_t)u);
            break;
        case OP_CONSTS:
        case OP_FBREG:
            if ((ok = read_sleb(m, &sv) == WB_OK)) wb_sb_addf(out, " %" PRId64, sv);
            break;
        case OP_CONSTU:
        case OP_PLUS_UCONST:
        case OP_REGX:
        case 0xa1: /* addrx */
        case 0xa2: /* constx */
        case 0xa8: /* convert */
        case 0xa9: /* reinterpret */
            if ((ok = read_uleb(m, &u) == WB_OK)) wb_sb_addf(out, " %" PRIu64, u);
            break;
        case OP_PIECE:
            if ((ok = read_uleb(m, &u) == WB_OK)) wb_sb_addf(out, " %" PRIu64 " (bytes)", u);
            break;
        case OP_BREGX:
            if ((ok = read_uleb(m, &u) == WB_OK && read_sleb(m, &sv) == WB_OK))
                wb_sb_addf(out, " register %" PRIu64 " offset %" PRId64, u, sv);
            break;
        case 0x9d: /* bit_piece */
            if ((ok = read_uleb(m, &u) == WB_OK && read_uleb(m, &v) == WB_OK))
                wb_sb_addf(out, " size %" PRIu64 " offset %" PRIu64 " (bits)", u, v);
            break;
        case 0x98: /* call2 */
        case 0x99: /* call4 */
        case 0x9a: /* call_ref (32-bit DWARF) */
            if ((ok = read_fixed(m, op == 0x98 ? 2 : 4, &u) == WB_OK))
                wb_sb_addf(out, " offset %" PRIu64, u);
            break;
        case OP_IMPLICIT_VALUE:
        case 0xa3: /* entry_value: a block */
            if (!(ok = read_uleb(m, &u) == WB_OK)) break;
            if (!(ok = u <= (uint64_t)(m->end - m->p))) break;
            m->p += u;
            wb_sb_addf(out, " %" PRIu64, u);
            break;
        case OP_WASM_LOCATION:
            if (!(ok = read_fixed(m, 1, &u) == WB_OK)) break;
            ok = (u == 3 ? read_fixed(m, 4, &v) : read_uleb(m, &v)) == WB_OK;
            if (ok) wb_sb_addf(out, " %" PRIu64 " %" PRIu64, u, v);
            break;
        default:
            if (const_size(op)) {
                if (!(ok = read_const(m, op, &u) == WB_OK)) break;
                if (op & 1)
                    wb_sb_addf(out, " %" PRId64, (int64_t)u);
                else
                    wb_sb_addf(out, " %" PRIu64, u);
                break;
            }
            /* operands not shown (and the rest not read) for the operations
             * clang does not emit for Wasm */
            if (op >= 0xa0 || op == 0x9b) {
                wb_sb_add(out, " ...\n");
                return false;
            }
            break;
        }
        wb_sb_add(out, "\n");
        if (!ok) return false;
    }
    return true;
}

/* A Wasm place `DW_OP_WASM_location K N` at m->p: "Wasm local N". */
static bool wasm_place(machine *m, char *buf, size_t cap)
{
    uint64_t k = 0, n = 0;
    if (m->p >= m->end || *m->p != OP_WASM_LOCATION) return false;
    m->p++;
    if (read_fixed(m, 1, &k) != WB_OK || k > 3 ||
        (k == 3 ? read_fixed(m, 4, &n) : read_uleb(m, &n)) != WB_OK)
        return false;
    snprintf(buf, cap, "Wasm %s %" PRIu64,
             k == 0   ? "local"
             : k == 2 ? "operand stack entry"
                      : "global",
             n);
    return true;
}

/* The frame base as a place ("Wasm local 1"), when it is one. */
static bool frame_base_place(const uint8_t *fb, size_t fblen, char *buf, size_t cap)
{
    wb_error e;
    machine m = {fb, fb + fblen, fb, NULL, {{0}}, 0, &e};
    if (!fb || !wasm_place(&m, buf, cap)) return false;
    if (m.p < m.end && *m.p == OP_STACK_VALUE) m.p++;
    return m.p == m.end;
}

/* One piece that reads as a sentence (gdb's
 * locexpr_describe_location_piece): m->p moves past it when it does. */
static bool describe_piece(machine *m, const uint8_t *fb, size_t fblen, bool whole, wb_sbuf *out)
{
    const uint8_t *at = m->p;
    char place[64], base[64];
    int64_t off = 0;
    uint64_t addr = 0;
    if (wasm_place(m, place, sizeof place)) {
        bool value = m->p < m->end && *m->p == OP_STACK_VALUE;
        uint64_t k = 0;
        if (value) m->p++;
        if (m->p == m->end || *m->p == OP_PIECE) {
            /* a whole expression that is a place holds the address (see
             * the top comment); in a piece the place is the piece */
            wb_sb_addf(out, "a variable %s %s", value || !whole ? "in" : "at the address in",
                       place);
            return true;
        }
        /* the place's value plus a constant: an address (gdb's "at
         * offset N from base reg $R" for DW_OP_bregN) */
        if (!value && *m->p == OP_PLUS_UCONST) {
            m->p++;
            if (read_uleb(m, &k) == WB_OK && (m->p == m->end || *m->p == OP_PIECE)) {
                wb_sb_addf(out, "a variable at offset %" PRIu64 " from the address in %s", k,
                           place);
                return true;
            }
        }
    } else if (m->p < m->end && *m->p == OP_FBREG) {
        m->p++;
        if (read_sleb(m, &off) == WB_OK && (m->p == m->end || *m->p == OP_PIECE) &&
            frame_base_place(fb, fblen, base, sizeof base)) {
            wb_sb_addf(out, "a variable at offset %" PRId64 " from the frame base in %s", off,
                       base);
            return true;
        }
    } else if (m->p < m->end && *m->p == OP_ADDR) {
        m->p++;
        if (read_fixed(m, 4, &addr) == WB_OK && (m->p == m->end || *m->p == OP_PIECE)) {
            wb_sb_addf(out, "static storage at address 0x%" PRIx64, addr);
            return true;
        }
    }
    m->p = at;
    return false;
}

void wb_loc_describe(const uint8_t *expr, size_t len, const uint8_t *fb, size_t fblen, wb_sbuf *out)
{
    wb_error e;
    machine m = {expr, expr + len, expr, NULL, {{0}}, 0, &e};
    bool whole = true;
    for (const uint8_t *q = expr; q < expr + len; q++)
        whole = whole && *q != OP_PIECE;
    while (m.p < m.end) {
        const uint8_t *here = m.p;
        bool disasm = !describe_piece(&m, fb, fblen, whole, out) && *m.p != OP_PIECE;
        if (disasm) {
            wb_sb_add(out, "a complex DWARF expression:\n");
            m.start = m.p; /* gdb counts the offsets from the piece's start */
            if (!disassemble(&m, out, false)) return;
        }
        if (m.p < m.end) {
            uint64_t bytes = 0;
            bool empty = m.p == here;
            if (disasm) wb_sb_add(out, "   ");
            if (*m.p != OP_PIECE) return; /* describe_piece stops at a piece or the end */
            m.p++;
            if (read_uleb(&m, &bytes) != WB_OK) return;
            if (empty)
                wb_sb_addf(out, "an empty %" PRIu64 "-byte piece", bytes);
            else
                wb_sb_addf(out, " [%" PRIu64 "-byte piece]", bytes);
        }
        if (m.p < m.end) wb_sb_add(out, ", and ");
    }
}
