/*
 * Unit tests of the Wasm format library (runtime/wasmfmt, wdb/wasmfmt.h):
 * the one LEB128 reader and writer, against the spec's rules (5.2.2: the
 * byte limit, padding bits, signs) and as DWARF numbers (64 bits), and the
 * trap list's shape (wdb/wasm_traps.h).
 */
#include "wdb/wasm_ops.h"
#include "wdb/wasm_traps.h"
#include "wdb/wasmfmt.h"

#include "wdb_check.h"

#include <string.h>

/* reads the n bytes b as a LEB of `bits` bits; *used gets the bytes read */
static const char *rd(const uint8_t *b, size_t n, unsigned bits, bool sign, uint64_t *v,
                      size_t *used)
{
    const uint8_t *p = b;
    const char *why = wf_leb_read(&p, b + n, bits, sign, v);
    *used = (size_t)(p - b);
    return why;
}

static void test_read(void)
{
    uint64_t v = 0;
    size_t used = 0;
    static const uint8_t zero[] = {0x00}, u624485[] = {0xe5, 0x8e, 0x26};
    CHECK(rd(zero, 1, 32, false, &v, &used) == NULL && v == 0 && used == 1);
    CHECK(rd(u624485, 3, 32, false, &v, &used) == NULL && v == 624485 && used == 3);
    /* wasm-ld's padded 5-byte indices */
    static const uint8_t pad5[] = {0x81, 0x80, 0x80, 0x80, 0x00};
    CHECK(rd(pad5, 5, 32, false, &v, &used) == NULL && v == 1 && used == 5);
    /* the largest u32, and one bit more in the fifth byte */
    static const uint8_t umax[] = {0xff, 0xff, 0xff, 0xff, 0x0f},
                         ubig[] = {0xff, 0xff, 0xff, 0xff, 0x1f};
    CHECK(rd(umax, 5, 32, false, &v, &used) == NULL && v == 0xffffffffu);
    CHECK(rd(ubig, 5, 32, false, &v, &used) != NULL &&
          strcmp(rd(ubig, 5, 32, false, &v, &used), "integer too large") == 0);
    /* a sixth byte for a u32 */
    static const uint8_t long6[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
    CHECK(strcmp(rd(long6, 6, 32, false, &v, &used), "integer representation too long") == 0);
    CHECK_EQ(used, 5);
    /* the bytes end inside the number */
    static const uint8_t cut[] = {0x80, 0x80};
    CHECK(strcmp(rd(cut, 2, 32, false, &v, &used), "unexpected end") == 0);
    CHECK_EQ(used, 2);
    /* signed: -1, -123456, the s32 extremes, bad sign padding */
    static const uint8_t m1[] = {0x7f}, m123456[] = {0xc0, 0xbb, 0x78};
    CHECK(rd(m1, 1, 32, true, &v, &used) == NULL && (int64_t)v == -1);
    CHECK(rd(m123456, 3, 32, true, &v, &used) == NULL && (int64_t)v == -123456);
    static const uint8_t smin[] = {0x80, 0x80, 0x80, 0x80, 0x78},
                         smax[] = {0xff, 0xff, 0xff, 0xff, 0x07};
    CHECK(rd(smin, 5, 32, true, &v, &used) == NULL && (int64_t)v == INT32_MIN);
    CHECK(rd(smax, 5, 32, true, &v, &used) == NULL && (int64_t)v == INT32_MAX);
    static const uint8_t sbad[] = {0xff, 0xff, 0xff, 0xff, 0x4f};
    CHECK(strcmp(rd(sbad, 5, 32, true, &v, &used), "integer too large") == 0);
    /* s33 (block types, heap types): 0x70 is -16 */
    static const uint8_t h70[] = {0x70};
    CHECK(rd(h70, 1, 33, true, &v, &used) == NULL && (int64_t)v == -16);
    /* 64 bits (i64 immediates, DWARF): the tenth byte holds one bit */
    static const uint8_t u64max[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
    static const uint8_t u64big[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x03};
    CHECK(rd(u64max, 10, 64, false, &v, &used) == NULL && v == UINT64_MAX);
    CHECK(strcmp(rd(u64big, 10, 64, false, &v, &used), "integer too large") == 0);
    static const uint8_t s64min[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f};
    CHECK(rd(s64min, 10, 64, true, &v, &used) == NULL && (int64_t)v == INT64_MIN);
}

static void test_write(void)
{
    uint8_t b[10];
    CHECK_EQ(wf_leb_write(b, 0), 1);
    CHECK_EQ(b[0], 0);
    CHECK_EQ(wf_leb_write(b, 624485), 3);
    CHECK(b[0] == 0xe5 && b[1] == 0x8e && b[2] == 0x26);
    CHECK_EQ(wf_leb_write(NULL, UINT64_MAX), 10);
    CHECK_EQ(wf_sleb_write(b, -123456), 3);
    CHECK(b[0] == 0xc0 && b[1] == 0xbb && b[2] == 0x78);
    CHECK_EQ(wf_sleb_write(b, 63), 1);
    CHECK_EQ(wf_sleb_write(b, 64), 2); /* bit 6 would read as the sign */
    CHECK_EQ(wf_sleb_write(NULL, INT64_MIN), 10);
    /* round trips through the reader, at every size */
    for (int k = 0; k < 64; k++) {
        uint64_t u = (uint64_t)1 << k, got = 0;
        int64_t s = -(int64_t)(u >> 1) - 1;
        const uint8_t *p = b;
        size_t n = wf_leb_write(b, u);
        CHECK(wf_leb_read(&p, b + n, 64, false, &got) == NULL && got == u && p == b + n);
        n = wf_sleb_write(b, s);
        p = b;
        CHECK(wf_leb_read(&p, b + n, 64, true, &got) == NULL && (int64_t)got == s && p == b + n);
    }
}

static void test_traps(void)
{
    /* every entry has a name, a message and a label; names are distinct */
    static const char *const names[] = {
#define X(id, name, message, label) #name,
        WASM_TRAPS(X)
#undef X
    };
    static const char *const messages[] = {
#define X(id, name, message, label) message,
        WASM_TRAPS(X)
#undef X
    };
    size_t n = sizeof names / sizeof names[0];
    CHECK_EQ(n, 13);
    CHECK(strcmp(names[0], "unreachable") == 0 &&
          strcmp(messages[2], "integer divide by zero") == 0);
    /* exception handling's, appended (the core format fixes the numbers) */
    CHECK(strcmp(names[11], "uncaught_exception") == 0 &&
          strcmp(messages[11], "uncaught exception") == 0 && strcmp(names[12], "null_exnref") == 0);
    for (size_t i = 0; i < n; i++)
        for (size_t k = i + 1; k < n; k++)
            CHECK(strcmp(names[i], names[k]) != 0);
}

/* The instruction table (wdb/wasm_ops.h): lookups, shapes and facts the
 * runtime and the debugger rely on. */
static void test_ops(void)
{
    const wf_op *o = wf_op_info(WASM_OP_local_get);
    CHECK(o && strcmp(o->name, "local.get") == 0 && o->imm == WF_IMM_INDEX);
    CHECK_EQ(WASM_OP_local_get, 0x20);
    CHECK_EQ(WASM_OP_i64_extend32_s, 0xc4);
    CHECK(wf_op_info(0x27) == NULL && wf_op_info(0xfd) == NULL && wf_op_info(0xff) == NULL);
    /* loads and stores: a memarg, their natural alignment, may trap */
    o = wf_op_info(WASM_OP_i64_load16_u);
    CHECK(o && o->imm == WF_IMM_MEMARG && o->align == 1 && (o->flags & WF_OPF_MEMORY) &&
          o->traps == WF_TRAP_BIT(MEMORY_OOB));
    CHECK(wf_op_info(WASM_OP_f64_store)->align == 3);
    /* calls, branches, traps */
    CHECK(wf_op_info(WASM_OP_call)->flags & WF_OPF_CALL);
    CHECK(wf_op_info(WASM_OP_call_indirect)->imm == WF_IMM_CALL_IND);
    CHECK(wf_op_info(WASM_OP_br_table)->flags & WF_OPF_BRANCH);
    CHECK(wf_op_info(WASM_OP_i32_div_s)->traps ==
          (WF_TRAP_BIT(DIV_BY_ZERO) | WF_TRAP_BIT(INT_OVERFLOW)));
    CHECK(wf_op_info(WASM_OP_i32_rem_s)->traps == WF_TRAP_BIT(DIV_BY_ZERO));
    CHECK(wf_op_info(WASM_OP_i32_add)->traps == 0 && wf_op_info(WASM_OP_i32_add)->flags == 0);
    CHECK(wf_op_info(WASM_OP_return_call)->flags == (WF_OPF_CALL | WF_OPF_BRANCH));
    CHECK(wf_op_info(WASM_OP_return_call_indirect)->imm == WF_IMM_CALL_IND);
    /* exception handling: both forms */
    CHECK(wf_op_info(WASM_OP_try_table)->imm == WF_IMM_TRY_TABLE && WASM_OP_try_table == 0x1f);
    CHECK(wf_op_info(WASM_OP_try)->imm == WF_IMM_BLOCK && WASM_OP_delegate == 0x18);
    CHECK(wf_op_info(WASM_OP_throw)->traps == WF_TRAP_BIT(UNCAUGHT_EXCEPTION) &&
          (wf_op_info(WASM_OP_throw_ref)->traps & WF_TRAP_BIT(NULL_EXNREF)) &&
          (wf_op_info(WASM_OP_rethrow)->flags & WF_OPF_BRANCH));
    /* the 0xfc forms */
    o = wf_op_fc_info(WASM_OP_FC_memory_copy);
    CHECK(o && strcmp(o->name, "memory.copy") == 0 && o->imm == WF_IMM_MEM_COPY);
    CHECK(wf_op_fc_info(WASM_OP_FC_i32_trunc_sat_f32_s)->traps == 0);
    CHECK(wf_op_fc_info(18) == NULL && wf_op_fc_info(UINT32_MAX) == NULL);
    /* the 0xfd (SIMD) forms: 236 of them, with their immediates */
    unsigned nfd = 0;
    for (uint32_t sub = 0; sub < 0x120; sub++)
        nfd += wf_op_fd_info(sub) != NULL;
    CHECK_EQ(nfd, 236);
    o = wf_op_fd_info(WASM_OP_FD_v128_const);
    CHECK(o && o->imm == WF_IMM_V128 && strcmp(o->name, "v128.const") == 0);
    CHECK_EQ(WASM_OP_FD_i8x16_shuffle, 0x0d);
    CHECK_EQ(WASM_OP_FD_f64x2_convert_low_i32x4_u, 0xff);
    o = wf_op_fd_info(WASM_OP_FD_v128_load16_lane);
    CHECK(o && o->imm == WF_IMM_MEMARG_LANE && o->align == 1 && (o->flags & WF_OPF_MEMORY));
    CHECK(wf_op_fd_info(WASM_OP_FD_v128_load)->align == 4);
    CHECK(wf_op_fd_info(WASM_OP_FD_i64x2_extract_lane)->imm == WF_IMM_LANE);
    CHECK(wf_op_fd_info(0x9a) == NULL && wf_op_fd_info(0x100) == NULL);
    /* every opcode below 0xd3 that has an entry has a distinct name... */
    for (unsigned a = 0; a < 256; a++)
        for (unsigned b = a + 1; b < 256; b++) {
            const wf_op *x = wf_op_info((uint8_t)a), *y = wf_op_info((uint8_t)b);
            if (x && y && !(a == WASM_OP_select && b == WASM_OP_select_t))
                CHECK(strcmp(x->name, y->name) != 0);
        }
    /* ...and the traps it names are kinds of the trap list */
    for (unsigned a = 0; a < 256; a++) {
        const wf_op *x = wf_op_info((uint8_t)a);
        if (x) CHECK((x->traps & ~((2u << WF_TRAP_NUMBER_NULL_EXNREF) - 2)) == 0);
    }
}

int main(void)
{
    test_read();
    test_write();
    test_traps();
    test_ops();
    return wdb_check_summary();
}
