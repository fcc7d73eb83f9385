/*
 * Wasm instructions: the one table (core spec 5.4, binary format). The
 * runtime's decoder and translator name opcodes by it (WASM_OP_*), the
 * bridge's disassembler reads names and immediates from it, and the
 * debugger asks it what an instruction may trap with and whether it calls
 * or branches. Header-only X-macros plus wf_op()/wf_op_fc() in the
 * wdb::wasmfmt library (the table itself, for those that need names: the
 * runtime uses only the constants, so a firmware carries no names).
 *
 * X(code, id, name, imm, align, flags, traps):
 *   code   the opcode byte (WASM_OPS) or the u32 after 0xfc (WASM_OPS_FC)
 *          or 0xfd (WASM_OPS_FD, fixed-width SIMD)
 *   id     a C identifier: WASM_OP_<id>, WASM_OP_FC_<id>, WASM_OP_FD_<id>
 *   name   the text format's
 *   imm    the immediates' shape (WF_IMM_<imm>)
 *   align  natural alignment (log2) of loads and stores, the lane size
 *          (log2) of SIMD lane ops (extract/replace_lane), else 0
 *   flags  WF_OPF_* bits
 *   traps  the traps it may raise: WF_TRAP_BIT(ID) of wdb/wasm_traps.h
 *   sig    WASM_OPS_FD only: its operand types, then `_`, then its result
 *          type: i (i32), l (i64), f (f32), d (f64), v (v128); "iv_v" pops
 *          an i32 and a v128 (on top) and pushes a v128
 * The tail calls (0x12, 0x13, Wasm 3.0) both call and leave the function:
 * the callee replaces the caller's frame.
 *
 * Prefix: wf_ (types, functions), WASM_OP (constants), WF_ (flags).
 */
#ifndef WDB_WASM_OPS_H
#define WDB_WASM_OPS_H

#include "wdb/wasm_traps.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Immediate shapes (5.4). */
typedef enum wf_imm {
    WF_IMM_NONE = 0,
    WF_IMM_BLOCK,       /* blocktype: block, loop, if */
    WF_IMM_LABEL,       /* br, br_if */
    WF_IMM_BR_TABLE,    /* vec(labelidx) labelidx */
    WF_IMM_FUNC,        /* funcidx */
    WF_IMM_CALL_IND,    /* typeidx tableidx */
    WF_IMM_INDEX,       /* one u32: local, global, table, data, elem */
    WF_IMM_MEMARG,      /* align offset */
    WF_IMM_MEMIDX,      /* memory index */
    WF_IMM_I32,         /* signed LEB128 */
    WF_IMM_I64,         /* signed LEB128 */
    WF_IMM_F32,         /* 4 bytes */
    WF_IMM_F64,         /* 8 bytes */
    WF_IMM_SELECT_T,    /* vec(valtype) */
    WF_IMM_REFTYPE,     /* ref.null */
    WF_IMM_MEM_INIT,    /* dataidx memidx */
    WF_IMM_MEM_COPY,    /* memidx memidx */
    WF_IMM_TABLE_INIT,  /* elemidx tableidx */
    WF_IMM_TABLE_COPY,  /* tableidx tableidx */
    WF_IMM_V128,        /* 16 bytes: v128.const */
    WF_IMM_SHUFFLE,     /* 16 lane indices (bytes): i8x16.shuffle */
    WF_IMM_LANE,        /* one lane index (byte) */
    WF_IMM_MEMARG_LANE, /* align offset lane: v128.load8_lane... */
    WF_IMM_TRY_TABLE,   /* blocktype vec(catch): try_table (exception handling) */
} wf_imm;

/* Flags. */
#define WF_OPF_BRANCH 1u /* leaves the instruction sequence: br, br_if, br_table, return */
#define WF_OPF_CALL 2u   /* calls a function */
#define WF_OPF_MEMORY 4u /* reads, writes or resizes linear memory */

/* A trap kind of wdb/wasm_traps.h as a bit (kinds count from 1). */
enum wf_trap_number {
    WF_TRAP_NUMBER_NONE,
#define WF_TRAP_NUMBER(ID, name, message, label) WF_TRAP_NUMBER_##ID,
    WASM_TRAPS(WF_TRAP_NUMBER)
#undef WF_TRAP_NUMBER
};
#define WF_TRAP_BIT(ID) (1u << WF_TRAP_NUMBER_##ID)

/* clang-format off */
#define WASM_OPS(X) \
    X(0x00, unreachable, "unreachable", NONE, 0, 0, WF_TRAP_BIT(UNREACHABLE)) \
    X(0x01, nop, "nop", NONE, 0, 0, 0) \
    X(0x02, block, "block", BLOCK, 0, 0, 0) \
    X(0x03, loop, "loop", BLOCK, 0, 0, 0) \
    X(0x04, if, "if", BLOCK, 0, 0, 0) \
    X(0x05, else, "else", NONE, 0, 0, 0) \
    X(0x06, try, "try", BLOCK, 0, 0, 0) \
    X(0x07, catch, "catch", INDEX, 0, 0, 0) \
    X(0x08, throw, "throw", INDEX, 0, WF_OPF_BRANCH, WF_TRAP_BIT(UNCAUGHT_EXCEPTION)) \
    X(0x09, rethrow, "rethrow", LABEL, 0, WF_OPF_BRANCH, WF_TRAP_BIT(UNCAUGHT_EXCEPTION)) \
    X(0x0a, throw_ref, "throw_ref", NONE, 0, WF_OPF_BRANCH, WF_TRAP_BIT(UNCAUGHT_EXCEPTION) | WF_TRAP_BIT(NULL_EXNREF)) \
    X(0x0b, end, "end", NONE, 0, 0, 0) \
    X(0x0c, br, "br", LABEL, 0, WF_OPF_BRANCH, 0) \
    X(0x0d, br_if, "br_if", LABEL, 0, WF_OPF_BRANCH, 0) \
    X(0x0e, br_table, "br_table", BR_TABLE, 0, WF_OPF_BRANCH, 0) \
    X(0x0f, return, "return", NONE, 0, WF_OPF_BRANCH, 0) \
    X(0x10, call, "call", FUNC, 0, WF_OPF_CALL, WF_TRAP_BIT(STACK_EXHAUSTED) | WF_TRAP_BIT(HOST)) \
    X(0x11, call_indirect, "call_indirect", CALL_IND, 0, WF_OPF_CALL, WF_TRAP_BIT(UNDEFINED_ELEMENT) | WF_TRAP_BIT(UNINIT_ELEMENT) | WF_TRAP_BIT(INDIRECT_MISMATCH) | WF_TRAP_BIT(STACK_EXHAUSTED) | WF_TRAP_BIT(HOST)) \
    X(0x12, return_call, "return_call", FUNC, 0, WF_OPF_CALL | WF_OPF_BRANCH, WF_TRAP_BIT(STACK_EXHAUSTED) | WF_TRAP_BIT(HOST)) \
    X(0x13, return_call_indirect, "return_call_indirect", CALL_IND, 0, WF_OPF_CALL | WF_OPF_BRANCH, WF_TRAP_BIT(UNDEFINED_ELEMENT) | WF_TRAP_BIT(UNINIT_ELEMENT) | WF_TRAP_BIT(INDIRECT_MISMATCH) | WF_TRAP_BIT(STACK_EXHAUSTED) | WF_TRAP_BIT(HOST)) \
    X(0x18, delegate, "delegate", LABEL, 0, 0, 0) \
    X(0x19, catch_all, "catch_all", NONE, 0, 0, 0) \
    X(0x1a, drop, "drop", NONE, 0, 0, 0) \
    X(0x1b, select, "select", NONE, 0, 0, 0) \
    X(0x1c, select_t, "select", SELECT_T, 0, 0, 0) \
    X(0x1f, try_table, "try_table", TRY_TABLE, 0, 0, 0) \
    X(0x20, local_get, "local.get", INDEX, 0, 0, 0) \
    X(0x21, local_set, "local.set", INDEX, 0, 0, 0) \
    X(0x22, local_tee, "local.tee", INDEX, 0, 0, 0) \
    X(0x23, global_get, "global.get", INDEX, 0, 0, 0) \
    X(0x24, global_set, "global.set", INDEX, 0, 0, 0) \
    X(0x25, table_get, "table.get", INDEX, 0, 0, WF_TRAP_BIT(TABLE_OOB)) \
    X(0x26, table_set, "table.set", INDEX, 0, 0, WF_TRAP_BIT(TABLE_OOB)) \
    X(0x28, i32_load, "i32.load", MEMARG, 2, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB)) \
    X(0x29, i64_load, "i64.load", MEMARG, 3, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB)) \
    X(0x2a, f32_load, "f32.load", MEMARG, 2, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB)) \
    X(0x2b, f64_load, "f64.load", MEMARG, 3, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB)) \
    X(0x2c, i32_load8_s, "i32.load8_s", MEMARG, 0, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB)) \
    X(0x2d, i32_load8_u, "i32.load8_u", MEMARG, 0, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB)) \
    X(0x2e, i32_load16_s, "i32.load16_s", MEMARG, 1, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB)) \
    X(0x2f, i32_load16_u, "i32.load16_u", MEMARG, 1, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB)) \
    X(0x30, i64_load8_s, "i64.load8_s", MEMARG, 0, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB)) \
    X(0x31, i64_load8_u, "i64.load8_u", MEMARG, 0, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB)) \
    X(0x32, i64_load16_s, "i64.load16_s", MEMARG, 1, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB)) \
    X(0x33, i64_load16_u, "i64.load16_u", MEMARG, 1, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB)) \
    X(0x34, i64_load32_s, "i64.load32_s", MEMARG, 2, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB)) \
    X(0x35, i64_load32_u, "i64.load32_u", MEMARG, 2, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB)) \
    X(0x36, i32_store, "i32.store", MEMARG, 2, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB)) \
    X(0x37, i64_store, "i64.store", MEMARG, 3, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB)) \
    X(0x38, f32_store, "f32.store", MEMARG, 2, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB)) \
    X(0x39, f64_store, "f64.store", MEMARG, 3, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB)) \
    X(0x3a, i32_store8, "i32.store8", MEMARG, 0, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB)) \
    X(0x3b, i32_store16, "i32.store16", MEMARG, 1, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB)) \
    X(0x3c, i64_store8, "i64.store8", MEMARG, 0, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB)) \
    X(0x3d, i64_store16, "i64.store16", MEMARG, 1, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB)) \
    X(0x3e, i64_store32, "i64.store32", MEMARG, 2, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB)) \
    X(0x3f, memory_size, "memory.size", MEMIDX, 0, WF_OPF_MEMORY, 0) \
    X(0x40, memory_grow, "memory.grow", MEMIDX, 0, WF_OPF_MEMORY, 0) \
    X(0x41, i32_const, "i32.const", I32, 0, 0, 0) \
    X(0x42, i64_const, "i64.const", I64, 0, 0, 0) \
    X(0x43, f32_const, "f32.const", F32, 0, 0, 0) \
    X(0x44, f64_const, "f64.const", F64, 0, 0, 0) \
    X(0x45, i32_eqz, "i32.eqz", NONE, 0, 0, 0) \
    X(0x46, i32_eq, "i32.eq", NONE, 0, 0, 0) \
    X(0x47, i32_ne, "i32.ne", NONE, 0, 0, 0) \
    X(0x48, i32_lt_s, "i32.lt_s", NONE, 0, 0, 0) \
    X(0x49, i32_lt_u, "i32.lt_u", NONE, 0, 0, 0) \
    X(0x4a, i32_gt_s, "i32.gt_s", NONE, 0, 0, 0) \
    X(0x4b, i32_gt_u, "i32.gt_u", NONE, 0, 0, 0) \
    X(0x4c, i32_le_s, "i32.le_s", NONE, 0, 0, 0) \
    X(0x4d, i32_le_u, "i32.le_u", NONE, 0, 0, 0) \
    X(0x4e, i32_ge_s, "i32.ge_s", NONE, 0, 0, 0) \
    X(0x4f, i32_ge_u, "i32.ge_u", NONE, 0, 0, 0) \
    X(0x50, i64_eqz, "i64.eqz", NONE, 0, 0, 0) \
    X(0x51, i64_eq, "i64.eq", NONE, 0, 0, 0) \
    X(0x52, i64_ne, "i64.ne", NONE, 0, 0, 0) \
    X(0x53, i64_lt_s, "i64.lt_s", NONE, 0, 0, 0) \
    X(0x54, i64_lt_u, "i64.lt_u", NONE, 0, 0, 0) \
    X(0x55, i64_gt_s, "i64.gt_s", NONE, 0, 0, 0) \
    X(0x56, i64_gt_u, "i64.gt_u", NONE, 0, 0, 0) \
    X(0x57, i64_le_s, "i64.le_s", NONE, 0, 0, 0) \
    X(0x58, i64_le_u, "i64.le_u", NONE, 0, 0, 0) \
    X(0x59, i64_ge_s, "i64.ge_s", NONE, 0, 0, 0) \
    X(0x5a, i64_ge_u, "i64.ge_u", NONE, 0, 0, 0) \
    X(0x5b, f32_eq, "f32.eq", NONE, 0, 0, 0) \
    X(0x5c, f32_ne, "f32.ne", NONE, 0, 0, 0) \
    X(0x5d, f32_lt, "f32.lt", NONE, 0, 0, 0) \
    X(0x5e, f32_gt, "f32.gt", NONE, 0, 0, 0) \
    X(0x5f, f32_le, "f32.le", NONE, 0, 0, 0) \
    X(0x60, f32_ge, "f32.ge", NONE, 0, 0, 0) \
    X(0x61, f64_eq, "f64.eq", NONE, 0, 0, 0) \
    X(0x62, f64_ne, "f64.ne", NONE, 0, 0, 0) \
    X(0x63, f64_lt, "f64.lt", NONE, 0, 0, 0) \
    X(0x64, f64_gt, "f64.gt", NONE, 0, 0, 0) \
    X(0x65, f64_le, "f64.le", NONE, 0, 0, 0) \
    X(0x66, f64_ge, "f64.ge", NONE, 0, 0, 0) \
    X(0x67, i32_clz, "i32.clz", NONE, 0, 0, 0) \
    X(0x68, i32_ctz, "i32.ctz", NONE, 0, 0, 0) \
    X(0x69, i32_popcnt, "i32.popcnt", NONE, 0, 0, 0) \
    X(0x6a, i32_add, "i32.add", NONE, 0, 0, 0) \
    X(0x6b, i32_sub, "i32.sub", NONE, 0, 0, 0) \
    X(0x6c, i32_mul, "i32.mul", NONE, 0, 0, 0) \
    X(0x6d, i32_div_s, "i32.div_s", NONE, 0, 0, WF_TRAP_BIT(DIV_BY_ZERO) | WF_TRAP_BIT(INT_OVERFLOW)) \
    X(0x6e, i32_div_u, "i32.div_u", NONE, 0, 0, WF_TRAP_BIT(DIV_BY_ZERO)) \
    X(0x6f, i32_rem_s, "i32.rem_s", NONE, 0, 0, WF_TRAP_BIT(DIV_BY_ZERO)) \
    X(0x70, i32_rem_u, "i32.rem_u", NONE, 0, 0, WF_TRAP_BIT(DIV_BY_ZERO)) \
    X(0x71, i32_and, "i32.and", NONE, 0, 0, 0) \
    X(0x72, i32_or, "i32.or", NONE, 0, 0, 0) \
    X(0x73, i32_xor, "i32.xor", NONE, 0, 0, 0) \
    X(0x74, i32_shl, "i32.shl", NONE, 0, 0, 0) \
    X(0x75, i32_shr_s, "i32.shr_s", NONE, 0, 0, 0) \
    X(0x76, i32_shr_u, "i32.shr_u", NONE, 0, 0, 0) \
    X(0x77, i32_rotl, "i32.rotl", NONE, 0, 0, 0) \
    X(0x78, i32_rotr, "i32.rotr", NONE, 0, 0, 0) \
    X(0x79, i64_clz, "i64.clz", NONE, 0, 0, 0) \
    X(0x7a, i64_ctz, "i64.ctz", NONE, 0, 0, 0) \
    X(0x7b, i64_popcnt, "i64.popcnt", NONE, 0, 0, 0) \
    X(0x7c, i64_add, "i64.add", NONE, 0, 0, 0) \
    X(0x7d, i64_sub, "i64.sub", NONE, 0, 0, 0) \
    X(0x7e, i64_mul, "i64.mul", NONE, 0, 0, 0) \
    X(0x7f, i64_div_s, "i64.div_s", NONE, 0, 0, WF_TRAP_BIT(DIV_BY_ZERO) | WF_TRAP_BIT(INT_OVERFLOW)) \
    X(0x80, i64_div_u, "i64.div_u", NONE, 0, 0, WF_TRAP_BIT(DIV_BY_ZERO)) \
    X(0x81, i64_rem_s, "i64.rem_s", NONE, 0, 0, WF_TRAP_BIT(DIV_BY_ZERO)) \
    X(0x82, i64_rem_u, "i64.rem_u", NONE, 0, 0, WF_TRAP_BIT(DIV_BY_ZERO)) \
    X(0x83, i64_and, "i64.and", NONE, 0, 0, 0) \
    X(0x84, i64_or, "i64.or", NONE, 0, 0, 0) \
    X(0x85, i64_xor, "i64.xor", NONE, 0, 0, 0) \
    X(0x86, i64_shl, "i64.shl", NONE, 0, 0, 0) \
    X(0x87, i64_shr_s, "i64.shr_s", NONE, 0, 0, 0) \
    X(0x88, i64_shr_u, "i64.shr_u", NONE, 0, 0, 0) \
    X(0x89, i64_rotl, "i64.rotl", NONE, 0, 0, 0) \
    X(0x8a, i64_rotr, "i64.rotr", NONE, 0, 0, 0) \
    X(0x8b, f32_abs, "f32.abs", NONE, 0, 0, 0) \
    X(0x8c, f32_neg, "f32.neg", NONE, 0, 0, 0) \
    X(0x8d, f32_ceil, "f32.ceil", NONE, 0, 0, 0) \
    X(0x8e, f32_floor, "f32.floor", NONE, 0, 0, 0) \
    X(0x8f, f32_trunc, "f32.trunc", NONE, 0, 0, 0) \
    X(0x90, f32_nearest, "f32.nearest", NONE, 0, 0, 0) \
    X(0x91, f32_sqrt, "f32.sqrt", NONE, 0, 0, 0) \
    X(0x92, f32_add, "f32.add", NONE, 0, 0, 0) \
    X(0x93, f32_sub, "f32.sub", NONE, 0, 0, 0) \
    X(0x94, f32_mul, "f32.mul", NONE, 0, 0, 0) \
    X(0x95, f32_div, "f32.div", NONE, 0, 0, 0) \
    X(0x96, f32_min, "f32.min", NONE, 0, 0, 0) \
    X(0x97, f32_max, "f32.max", NONE, 0, 0, 0) \
    X(0x98, f32_copysign, "f32.copysign", NONE, 0, 0, 0) \
    X(0x99, f64_abs, "f64.abs", NONE, 0, 0, 0) \
    X(0x9a, f64_neg, "f64.neg", NONE, 0, 0, 0) \
    X(0x9b, f64_ceil, "f64.ceil", NONE, 0, 0, 0) \
    X(0x9c, f64_floor, "f64.floor", NONE, 0, 0, 0) \
    X(0x9d, f64_trunc, "f64.trunc", NONE, 0, 0, 0) \
    X(0x9e, f64_nearest, "f64.nearest", NONE, 0, 0, 0) \
    X(0x9f, f64_sqrt, "f64.sqrt", NONE, 0, 0, 0) \
    X(0xa0, f64_add, "f64.add", NONE, 0, 0, 0) \
    X(0xa1, f64_sub, "f64.sub", NONE, 0, 0, 0) \
    X(0xa2, f64_mul, "f64.mul", NONE, 0, 0, 0) \
    X(0xa3, f64_div, "f64.div", NONE, 0, 0, 0) \
    X(0xa4, f64_min, "f64.min", NONE, 0, 0, 0) \
    X(0xa5, f64_max, "f64.max", NONE, 0, 0, 0) \
    X(0xa6, f64_copysign, "f64.copysign", NONE, 0, 0, 0) \
    X(0xa7, i32_wrap_i64, "i32.wrap_i64", NONE, 0, 0, 0) \
    X(0xa8, i32_trunc_f32_s, "i32.trunc_f32_s", NONE, 0, 0, WF_TRAP_BIT(INVALID_CONVERSION) | WF_TRAP_BIT(INT_OVERFLOW)) \
    X(0xa9, i32_trunc_f32_u, "i32.trunc_f32_u", NONE, 0, 0, WF_TRAP_BIT(INVALID_CONVERSION) | WF_TRAP_BIT(INT_OVERFLOW)) \
    X(0xaa, i32_trunc_f64_s, "i32.trunc_f64_s", NONE, 0, 0, WF_TRAP_BIT(INVALID_CONVERSION) | WF_TRAP_BIT(INT_OVERFLOW)) \
    X(0xab, i32_trunc_f64_u, "i32.trunc_f64_u", NONE, 0, 0, WF_TRAP_BIT(INVALID_CONVERSION) | WF_TRAP_BIT(INT_OVERFLOW)) \
    X(0xac, i64_extend_i32_s, "i64.extend_i32_s", NONE, 0, 0, 0) \
    X(0xad, i64_extend_i32_u, "i64.extend_i32_u", NONE, 0, 0, 0) \
    X(0xae, i64_trunc_f32_s, "i64.trunc_f32_s", NONE, 0, 0, WF_TRAP_BIT(INVALID_CONVERSION) | WF_TRAP_BIT(INT_OVERFLOW)) \
    X(0xaf, i64_trunc_f32_u, "i64.trunc_f32_u", NONE, 0, 0, WF_TRAP_BIT(INVALID_CONVERSION) | WF_TRAP_BIT(INT_OVERFLOW)) \
    X(0xb0, i64_trunc_f64_s, "i64.trunc_f64_s", NONE, 0, 0, WF_TRAP_BIT(INVALID_CONVERSION) | WF_TRAP_BIT(INT_OVERFLOW)) \
    X(0xb1, i64_trunc_f64_u, "i64.trunc_f64_u", NONE, 0, 0, WF_TRAP_BIT(INVALID_CONVERSION) | WF_TRAP_BIT(INT_OVERFLOW)) \
    X(0xb2, f32_convert_i32_s, "f32.convert_i32_s", NONE, 0, 0, 0) \
    X(0xb3, f32_convert_i32_u, "f32.convert_i32_u", NONE, 0, 0, 0) \
    X(0xb4, f32_convert_i64_s, "f32.convert_i64_s", NONE, 0, 0, 0) \
    X(0xb5, f32_convert_i64_u, "f32.convert_i64_u", NONE, 0, 0, 0) \
    X(0xb6, f32_demote_f64, "f32.demote_f64", NONE, 0, 0, 0) \
    X(0xb7, f64_convert_i32_s, "f64.convert_i32_s", NONE, 0, 0, 0) \
    X(0xb8, f64_convert_i32_u, "f64.convert_i32_u", NONE, 0, 0, 0) \
    X(0xb9, f64_convert_i64_s, "f64.convert_i64_s", NONE, 0, 0, 0) \
    X(0xba, f64_convert_i64_u, "f64.convert_i64_u", NONE, 0, 0, 0) \
    X(0xbb, f64_promote_f32, "f64.promote_f32", NONE, 0, 0, 0) \
    X(0xbc, i32_reinterpret_f32, "i32.reinterpret_f32", NONE, 0, 0, 0) \
    X(0xbd, i64_reinterpret_f64, "i64.reinterpret_f64", NONE, 0, 0, 0) \
    X(0xbe, f32_reinterpret_i32, "f32.reinterpret_i32", NONE, 0, 0, 0) \
    X(0xbf, f64_reinterpret_i64, "f64.reinterpret_i64", NONE, 0, 0, 0) \
    X(0xc0, i32_extend8_s, "i32.extend8_s", NONE, 0, 0, 0) \
    X(0xc1, i32_extend16_s, "i32.extend16_s", NONE, 0, 0, 0) \
    X(0xc2, i64_extend8_s, "i64.extend8_s", NONE, 0, 0, 0) \
    X(0xc3, i64_extend16_s, "i64.extend16_s", NONE, 0, 0, 0) \
    X(0xc4, i64_extend32_s, "i64.extend32_s", NONE, 0, 0, 0) \
    X(0xd0, ref_null, "ref.null", REFTYPE, 0, 0, 0) \
    X(0xd1, ref_is_null, "ref.is_null", NONE, 0, 0, 0) \
    X(0xd2, ref_func, "ref.func", FUNC, 0, 0, 0)

#define WASM_OPS_FC(X) \
    X(0, i32_trunc_sat_f32_s, "i32.trunc_sat_f32_s", NONE, 0, 0, 0) \
    X(1, i32_trunc_sat_f32_u, "i32.trunc_sat_f32_u", NONE, 0, 0, 0) \
    X(2, i32_trunc_sat_f64_s, "i32.trunc_sat_f64_s", NONE, 0, 0, 0) \
    X(3, i32_trunc_sat_f64_u, "i32.trunc_sat_f64_u", NONE, 0, 0, 0) \
    X(4, i64_trunc_sat_f32_s, "i64.trunc_sat_f32_s", NONE, 0, 0, 0) \
    X(5, i64_trunc_sat_f32_u, "i64.trunc_sat_f32_u", NONE, 0, 0, 0) \
    X(6, i64_trunc_sat_f64_s, "i64.trunc_sat_f64_s", NONE, 0, 0, 0) \
    X(7, i64_trunc_sat_f64_u, "i64.trunc_sat_f64_u", NONE, 0, 0, 0) \
    X(8, memory_init, "memory.init", MEM_INIT, 0, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB)) \
    X(9, data_drop, "data.drop", INDEX, 0, 0, 0) \
    X(10, memory_copy, "memory.copy", MEM_COPY, 0, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB)) \
    X(11, memory_fill, "memory.fill", MEMIDX, 0, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB)) \
    X(12, table_init, "table.init", TABLE_INIT, 0, 0, WF_TRAP_BIT(TABLE_OOB)) \
    X(13, elem_drop, "elem.drop", INDEX, 0, 0, 0) \
    X(14, table_copy, "table.copy", TABLE_COPY, 0, 0, WF_TRAP_BIT(TABLE_OOB)) \
    X(15, table_grow, "table.grow", INDEX, 0, 0, 0) \
    X(16, table_size, "table.size", INDEX, 0, 0, 0) \
    X(17, table_fill, "table.fill", INDEX, 0, 0, WF_TRAP_BIT(TABLE_OOB))

/* Fixed-width SIMD (Wasm 2.0): the u32 after 0xfd. */
#define WASM_OPS_FD(X) \
    X(0x00, v128_load, "v128.load", MEMARG, 4, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB), "i_v") \
    X(0x01, v128_load8x8_s, "v128.load8x8_s", MEMARG, 3, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB), "i_v") \
    X(0x02, v128_load8x8_u, "v128.load8x8_u", MEMARG, 3, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB), "i_v") \
    X(0x03, v128_load16x4_s, "v128.load16x4_s", MEMARG, 3, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB), "i_v") \
    X(0x04, v128_load16x4_u, "v128.load16x4_u", MEMARG, 3, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB), "i_v") \
    X(0x05, v128_load32x2_s, "v128.load32x2_s", MEMARG, 3, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB), "i_v") \
    X(0x06, v128_load32x2_u, "v128.load32x2_u", MEMARG, 3, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB), "i_v") \
    X(0x07, v128_load8_splat, "v128.load8_splat", MEMARG, 0, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB), "i_v") \
    X(0x08, v128_load16_splat, "v128.load16_splat", MEMARG, 1, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB), "i_v") \
    X(0x09, v128_load32_splat, "v128.load32_splat", MEMARG, 2, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB), "i_v") \
    X(0x0a, v128_load64_splat, "v128.load64_splat", MEMARG, 3, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB), "i_v") \
    X(0x0b, v128_store, "v128.store", MEMARG, 4, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB), "iv_") \
    X(0x0c, v128_const, "v128.const", V128, 0, 0, 0, "_v") \
    X(0x0d, i8x16_shuffle, "i8x16.shuffle", SHUFFLE, 0, 0, 0, "vv_v") \
    X(0x0e, i8x16_swizzle, "i8x16.swizzle", NONE, 0, 0, 0, "vv_v") \
    X(0x0f, i8x16_splat, "i8x16.splat", NONE, 0, 0, 0, "i_v") \
    X(0x10, i16x8_splat, "i16x8.splat", NONE, 0, 0, 0, "i_v") \
    X(0x11, i32x4_splat, "i32x4.splat", NONE, 0, 0, 0, "i_v") \
    X(0x12, i64x2_splat, "i64x2.splat", NONE, 0, 0, 0, "l_v") \
    X(0x13, f32x4_splat, "f32x4.splat", NONE, 0, 0, 0, "f_v") \
    X(0x14, f64x2_splat, "f64x2.splat", NONE, 0, 0, 0, "d_v") \
    X(0x15, i8x16_extract_lane_s, "i8x16.extract_lane_s", LANE, 0, 0, 0, "v_i") \
    X(0x16, i8x16_extract_lane_u, "i8x16.extract_lane_u", LANE, 0, 0, 0, "v_i") \
    X(0x17, i8x16_replace_lane, "i8x16.replace_lane", LANE, 0, 0, 0, "vi_v") \
    X(0x18, i16x8_extract_lane_s, "i16x8.extract_lane_s", LANE, 1, 0, 0, "v_i") \
    X(0x19, i16x8_extract_lane_u, "i16x8.extract_lane_u", LANE, 1, 0, 0, "v_i") \
    X(0x1a, i16x8_replace_lane, "i16x8.replace_lane", LANE, 1, 0, 0, "vi_v") \
    X(0x1b, i32x4_extract_lane, "i32x4.extract_lane", LANE, 2, 0, 0, "v_i") \
    X(0x1c, i32x4_replace_lane, "i32x4.replace_lane", LANE, 2, 0, 0, "vi_v") \
    X(0x1d, i64x2_extract_lane, "i64x2.extract_lane", LANE, 3, 0, 0, "v_l") \
    X(0x1e, i64x2_replace_lane, "i64x2.replace_lane", LANE, 3, 0, 0, "vl_v") \
    X(0x1f, f32x4_extract_lane, "f32x4.extract_lane", LANE, 2, 0, 0, "v_f") \
    X(0x20, f32x4_replace_lane, "f32x4.replace_lane", LANE, 2, 0, 0, "vf_v") \
    X(0x21, f64x2_extract_lane, "f64x2.extract_lane", LANE, 3, 0, 0, "v_d") \
    X(0x22, f64x2_replace_lane, "f64x2.replace_lane", LANE, 3, 0, 0, "vd_v") \
    X(0x23, i8x16_eq, "i8x16.eq", NONE, 0, 0, 0, "vv_v") \
    X(0x24, i8x16_ne, "i8x16.ne", NONE, 0, 0, 0, "vv_v") \
    X(0x25, i8x16_lt_s, "i8x16.lt_s", NONE, 0, 0, 0, "vv_v") \
    X(0x26, i8x16_lt_u, "i8x16.lt_u", NONE, 0, 0, 0, "vv_v") \
    X(0x27, i8x16_gt_s, "i8x16.gt_s", NONE, 0, 0, 0, "vv_v") \
    X(0x28, i8x16_gt_u, "i8x16.gt_u", NONE, 0, 0, 0, "vv_v") \
    X(0x29, i8x16_le_s, "i8x16.le_s", NONE, 0, 0, 0, "vv_v") \
    X(0x2a, i8x16_le_u, "i8x16.le_u", NONE, 0, 0, 0, "vv_v") \
    X(0x2b, i8x16_ge_s, "i8x16.ge_s", NONE, 0, 0, 0, "vv_v") \
    X(0x2c, i8x16_ge_u, "i8x16.ge_u", NONE, 0, 0, 0, "vv_v") \
    X(0x2d, i16x8_eq, "i16x8.eq", NONE, 0, 0, 0, "vv_v") \
    X(0x2e, i16x8_ne, "i16x8.ne", NONE, 0, 0, 0, "vv_v") \
    X(0x2f, i16x8_lt_s, "i16x8.lt_s", NONE, 0, 0, 0, "vv_v") \
    X(0x30, i16x8_lt_u, "i16x8.lt_u", NONE, 0, 0, 0, "vv_v") \
    X(0x31, i16x8_gt_s, "i16x8.gt_s", NONE, 0, 0, 0, "vv_v") \
    X(0x32, i16x8_gt_u, "i16x8.gt_u", NONE, 0, 0, 0, "vv_v") \
    X(0x33, i16x8_le_s, "i16x8.le_s", NONE, 0, 0, 0, "vv_v") \
    X(0x34, i16x8_le_u, "i16x8.le_u", NONE, 0, 0, 0, "vv_v") \
    X(0x35, i16x8_ge_s, "i16x8.ge_s", NONE, 0, 0, 0, "vv_v") \
    X(0x36, i16x8_ge_u, "i16x8.ge_u", NONE, 0, 0, 0, "vv_v") \
    X(0x37, i32x4_eq, "i32x4.eq", NONE, 0, 0, 0, "vv_v") \
    X(0x38, i32x4_ne, "i32x4.ne", NONE, 0, 0, 0, "vv_v") \
    X(0x39, i32x4_lt_s, "i32x4.lt_s", NONE, 0, 0, 0, "vv_v") \
    X(0x3a, i32x4_lt_u, "i32x4.lt_u", NONE, 0, 0, 0, "vv_v") \
    X(0x3b, i32x4_gt_s, "i32x4.gt_s", NONE, 0, 0, 0, "vv_v") \
    X(0x3c, i32x4_gt_u, "i32x4.gt_u", NONE, 0, 0, 0, "vv_v") \
    X(0x3d, i32x4_le_s, "i32x4.le_s", NONE, 0, 0, 0, "vv_v") \
    X(0x3e, i32x4_le_u, "i32x4.le_u", NONE, 0, 0, 0, "vv_v") \
    X(0x3f, i32x4_ge_s, "i32x4.ge_s", NONE, 0, 0, 0, "vv_v") \
    X(0x40, i32x4_ge_u, "i32x4.ge_u", NONE, 0, 0, 0, "vv_v") \
    X(0x41, f32x4_eq, "f32x4.eq", NONE, 0, 0, 0, "vv_v") \
    X(0x42, f32x4_ne, "f32x4.ne", NONE, 0, 0, 0, "vv_v") \
    X(0x43, f32x4_lt, "f32x4.lt", NONE, 0, 0, 0, "vv_v") \
    X(0x44, f32x4_gt, "f32x4.gt", NONE, 0, 0, 0, "vv_v") \
    X(0x45, f32x4_le, "f32x4.le", NONE, 0, 0, 0, "vv_v") \
    X(0x46, f32x4_ge, "f32x4.ge", NONE, 0, 0, 0, "vv_v") \
    X(0x47, f64x2_eq, "f64x2.eq", NONE, 0, 0, 0, "vv_v") \
    X(0x48, f64x2_ne, "f64x2.ne", NONE, 0, 0, 0, "vv_v") \
    X(0x49, f64x2_lt, "f64x2.lt", NONE, 0, 0, 0, "vv_v") \
    X(0x4a, f64x2_gt, "f64x2.gt", NONE, 0, 0, 0, "vv_v") \
    X(0x4b, f64x2_le, "f64x2.le", NONE, 0, 0, 0, "vv_v") \
    X(0x4c, f64x2_ge, "f64x2.ge", NONE, 0, 0, 0, "vv_v") \
    X(0x4d, v128_not, "v128.not", NONE, 0, 0, 0, "v_v") \
    X(0x4e, v128_and, "v128.and", NONE, 0, 0, 0, "vv_v") \
    X(0x4f, v128_andnot, "v128.andnot", NONE, 0, 0, 0, "vv_v") \
    X(0x50, v128_or, "v128.or", NONE, 0, 0, 0, "vv_v") \
    X(0x51, v128_xor, "v128.xor", NONE, 0, 0, 0, "vv_v") \
    X(0x52, v128_bitselect, "v128.bitselect", NONE, 0, 0, 0, "vvv_v") \
    X(0x53, v128_any_true, "v128.any_true", NONE, 0, 0, 0, "v_i") \
    X(0x54, v128_load8_lane, "v128.load8_lane", MEMARG_LANE, 0, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB), "iv_v") \
    X(0x55, v128_load16_lane, "v128.load16_lane", MEMARG_LANE, 1, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB), "iv_v") \
    X(0x56, v128_load32_lane, "v128.load32_lane", MEMARG_LANE, 2, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB), "iv_v") \
    X(0x57, v128_load64_lane, "v128.load64_lane", MEMARG_LANE, 3, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB), "iv_v") \
    X(0x58, v128_store8_lane, "v128.store8_lane", MEMARG_LANE, 0, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB), "iv_") \
    X(0x59, v128_store16_lane, "v128.store16_lane", MEMARG_LANE, 1, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB), "iv_") \
    X(0x5a, v128_store32_lane, "v128.store32_lane", MEMARG_LANE, 2, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB), "iv_") \
    X(0x5b, v128_store64_lane, "v128.store64_lane", MEMARG_LANE, 3, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB), "iv_") \
    X(0x5c, v128_load32_zero, "v128.load32_zero", MEMARG, 2, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB), "i_v") \
    X(0x5d, v128_load64_zero, "v128.load64_zero", MEMARG, 3, WF_OPF_MEMORY, WF_TRAP_BIT(MEMORY_OOB), "i_v") \
    X(0x5e, f32x4_demote_f64x2_zero, "f32x4.demote_f64x2_zero", NONE, 0, 0, 0, "v_v") \
    X(0x5f, f64x2_promote_low_f32x4, "f64x2.promote_low_f32x4", NONE, 0, 0, 0, "v_v") \
    X(0x60, i8x16_abs, "i8x16.abs", NONE, 0, 0, 0, "v_v") \
    X(0x61, i8x16_neg, "i8x16.neg", NONE, 0, 0, 0, "v_v") \
    X(0x62, i8x16_popcnt, "i8x16.popcnt", NONE, 0, 0, 0, "v_v") \
    X(0x63, i8x16_all_true, "i8x16.all_true", NONE, 0, 0, 0, "v_i") \
    X(0x64, i8x16_bitmask, "i8x16.bitmask", NONE, 0, 0, 0, "v_i") \
    X(0x65, i8x16_narrow_i16x8_s, "i8x16.narrow_i16x8_s", NONE, 0, 0, 0, "vv_v") \
    X(0x66, i8x16_narrow_i16x8_u, "i8x16.narrow_i16x8_u", NONE, 0, 0, 0, "vv_v") \
    X(0x67, f32x4_ceil, "f32x4.ceil", NONE, 0, 0, 0, "v_v") \
    X(0x68, f32x4_floor, "f32x4.floor", NONE, 0, 0, 0, "v_v") \
    X(0x69, f32x4_trunc, "f32x4.trunc", NONE, 0, 0, 0, "v_v") \
    X(0x6a, f32x4_nearest, "f32x4.nearest", NONE, 0, 0, 0, "v_v") \
    X(0x6b, i8x16_shl, "i8x16.shl", NONE, 0, 0, 0, "vi_v") \
    X(0x6c, i8x16_shr_s, "i8x16.shr_s", NONE, 0, 0, 0, "vi_v") \
    X(0x6d, i8x16_shr_u, "i8x16.shr_u", NONE, 0, 0, 0, "vi_v") \
    X(0x6e, i8x16_add, "i8x16.add", NONE, 0, 0, 0, "vv_v") \
    X(0x6f, i8x16_add_sat_s, "i8x16.add_sat_s", NONE, 0, 0, 0, "vv_v") \
    X(0x70, i8x16_add_sat_u, "i8x16.add_sat_u", NONE, 0, 0, 0, "vv_v") \
    X(0x71, i8x16_sub, "i8x16.sub", NONE, 0, 0, 0, "vv_v") \
    X(0x72, i8x16_sub_sat_s, "i8x16.sub_sat_s", NONE, 0, 0, 0, "vv_v") \
    X(0x73, i8x16_sub_sat_u, "i8x16.sub_sat_u", NONE, 0, 0, 0, "vv_v") \
    X(0x74, f64x2_ceil, "f64x2.ceil", NONE, 0, 0, 0, "v_v") \
    X(0x75, f64x2_floor, "f64x2.floor", NONE, 0, 0, 0, "v_v") \
    X(0x76, i8x16_min_s, "i8x16.min_s", NONE, 0, 0, 0, "vv_v") \
    X(0x77, i8x16_min_u, "i8x16.min_u", NONE, 0, 0, 0, "vv_v") \
    X(0x78, i8x16_max_s, "i8x16.max_s", NONE, 0, 0, 0, "vv_v") \
    X(0x79, i8x16_max_u, "i8x16.max_u", NONE, 0, 0, 0, "vv_v") \
    X(0x7a, f64x2_trunc, "f64x2.trunc", NONE, 0, 0, 0, "v_v") \
    X(0x7b, i8x16_avgr_u, "i8x16.avgr_u", NONE, 0, 0, 0, "vv_v") \
    X(0x7c, i16x8_extadd_pairwise_i8x16_s, "i16x8.extadd_pairwise_i8x16_s", NONE, 0, 0, 0, "v_v") \
    X(0x7d, i16x8_extadd_pairwise_i8x16_u, "i16x8.extadd_pairwise_i8x16_u", NONE, 0, 0, 0, "v_v") \
    X(0x7e, i32x4_extadd_pairwise_i16x8_s, "i32x4.extadd_pairwise_i16x8_s", NONE, 0, 0, 0, "v_v") \
    X(0x7f, i32x4_extadd_pairwise_i16x8_u, "i32x4.extadd_pairwise_i16x8_u", NONE, 0, 0, 0, "v_v") \
    X(0x80, i16x8_abs, "i16x8.abs", NONE, 0, 0, 0, "v_v") \
    X(0x81, i16x8_neg, "i16x8.neg", NONE, 0, 0, 0, "v_v") \
    X(0x82, i16x8_q15mulr_sat_s, "i16x8.q15mulr_sat_s", NONE, 0, 0, 0, "vv_v") \
    X(0x83, i16x8_all_true, "i16x8.all_true", NONE, 0, 0, 0, "v_i") \
    X(0x84, i16x8_bitmask, "i16x8.bitmask", NONE, 0, 0, 0, "v_i") \
    X(0x85, i16x8_narrow_i32x4_s, "i16x8.narrow_i32x4_s", NONE, 0, 0, 0, "vv_v") \
    X(0x86, i16x8_narrow_i32x4_u, "i16x8.narrow_i32x4_u", NONE, 0, 0, 0, "vv_v") \
    X(0x87, i16x8_extend_low_i8x16_s, "i16x8.extend_low_i8x16_s", NONE, 0, 0, 0, "v_v") \
    X(0x88, i16x8_extend_high_i8x16_s, "i16x8.extend_high_i8x16_s", NONE, 0, 0, 0, "v_v") \
    X(0x89, i16x8_extend_low_i8x16_u, "i16x8.extend_low_i8x16_u", NONE, 0, 0, 0, "v_v") \
    X(0x8a, i16x8_extend_high_i8x16_u, "i16x8.extend_high_i8x16_u", NONE, 0, 0, 0, "v_v") \
    X(0x8b, i16x8_shl, "i16x8.shl", NONE, 0, 0, 0, "vi_v") \
    X(0x8c, i16x8_shr_s, "i16x8.shr_s", NONE, 0, 0, 0, "vi_v") \
    X(0x8d, i16x8_shr_u, "i16x8.shr_u", NONE, 0, 0, 0, "vi_v") \
    X(0x8e, i16x8_add, "i16x8.add", NONE, 0, 0, 0, "vv_v") \
    X(0x8f, i16x8_add_sat_s, "i16x8.add_sat_s", NONE, 0, 0, 0, "vv_v") \
    X(0x90, i16x8_add_sat_u, "i16x8.add_sat_u", NONE, 0, 0, 0, "vv_v") \
    X(0x91, i16x8_sub, "i16x8.sub", NONE, 0, 0, 0, "vv_v") \
    X(0x92, i16x8_sub_sat_s, "i16x8.sub_sat_s", NONE, 0, 0, 0, "vv_v") \
    X(0x93, i16x8_sub_sat_u, "i16x8.sub_sat_u", NONE, 0, 0, 0, "vv_v") \
    X(0x94, f64x2_nearest, "f64x2.nearest", NONE, 0, 0, 0, "v_v") \
    X(0x95, i16x8_mul, "i16x8.mul", NONE, 0, 0, 0, "vv_v") \
    X(0x96, i16x8_min_s, "i16x8.min_s", NONE, 0, 0, 0, "vv_v") \
    X(0x97, i16x8_min_u, "i16x8.min_u", NONE, 0, 0, 0, "vv_v") \
    X(0x98, i16x8_max_s, "i16x8.max_s", NONE, 0, 0, 0, "vv_v") \
    X(0x99, i16x8_max_u, "i16x8.max_u", NONE, 0, 0, 0, "vv_v") \
    X(0x9b, i16x8_avgr_u, "i16x8.avgr_u", NONE, 0, 0, 0, "vv_v") \
    X(0x9c, i16x8_extmul_low_i8x16_s, "i16x8.extmul_low_i8x16_s", NONE, 0, 0, 0, "vv_v") \
    X(0x9d, i16x8_extmul_high_i8x16_s, "i16x8.extmul_high_i8x16_s", NONE, 0, 0, 0, "vv_v") \
    X(0x9e, i16x8_extmul_low_i8x16_u, "i16x8.extmul_low_i8x16_u", NONE, 0, 0, 0, "vv_v") \
    X(0x9f, i16x8_extmul_high_i8x16_u, "i16x8.extmul_high_i8x16_u", NONE, 0, 0, 0, "vv_v") \
    X(0xa0, i32x4_abs, "i32x4.abs", NONE, 0, 0, 0, "v_v") \
    X(0xa1, i32x4_neg, "i32x4.neg", NONE, 0, 0, 0, "v_v") \
    X(0xa3, i32x4_all_true, "i32x4.all_true", NONE, 0, 0, 0, "v_i") \
    X(0xa4, i32x4_bitmask, "i32x4.bitmask", NONE, 0, 0, 0, "v_i") \
    X(0xa7, i32x4_extend_low_i16x8_s, "i32x4.extend_low_i16x8_s", NONE, 0, 0, 0, "v_v") \
    X(0xa8, i32x4_extend_high_i16x8_s, "i32x4.extend_high_i16x8_s", NONE, 0, 0, 0, "v_v") \
    X(0xa9, i32x4_extend_low_i16x8_u, "i32x4.extend_low_i16x8_u", NONE, 0, 0, 0, "v_v") \
    X(0xaa, i32x4_extend_high_i16x8_u, "i32x4.extend_high_i16x8_u", NONE, 0, 0, 0, "v_v") \
    X(0xab, i32x4_shl, "i32x4.shl", NONE, 0, 0, 0, "vi_v") \
    X(0xac, i32x4_shr_s, "i32x4.shr_s", NONE, 0, 0, 0, "vi_v") \
    X(0xad, i32x4_shr_u, "i32x4.shr_u", NONE, 0, 0, 0, "vi_v") \
    X(0xae, i32x4_add, "i32x4.add", NONE, 0, 0, 0, "vv_v") \
    X(0xb1, i32x4_sub, "i32x4.sub", NONE, 0, 0, 0, "vv_v") \
    X(0xb5, i32x4_mul, "i32x4.mul", NONE, 0, 0, 0, "vv_v") \
    X(0xb6, i32x4_min_s, "i32x4.min_s", NONE, 0, 0, 0, "vv_v") \
    X(0xb7, i32x4_min_u, "i32x4.min_u", NONE, 0, 0, 0, "vv_v") \
    X(0xb8, i32x4_max_s, "i32x4.max_s", NONE, 0, 0, 0, "vv_v") \
    X(0xb9, i32x4_max_u, "i32x4.max_u", NONE, 0, 0, 0, "vv_v") \
    X(0xba, i32x4_dot_i16x8_s, "i32x4.dot_i16x8_s", NONE, 0, 0, 0, "vv_v") \
    X(0xbc, i32x4_extmul_low_i16x8_s, "i32x4.extmul_low_i16x8_s", NONE, 0, 0, 0, "vv_v") \
    X(0xbd, i32x4_extmul_high_i16x8_s, "i32x4.extmul_high_i16x8_s", NONE, 0, 0, 0, "vv_v") \
    X(0xbe, i32x4_extmul_low_i16x8_u, "i32x4.extmul_low_i16x8_u", NONE, 0, 0, 0, "vv_v") \
    X(0xbf, i32x4_extmul_high_i16x8_u, "i32x4.extmul_high_i16x8_u", NONE, 0, 0, 0, "vv_v") \
    X(0xc0, i64x2_abs, "i64x2.abs", NONE, 0, 0, 0, "v_v") \
    X(0xc1, i64x2_neg, "i64x2.neg", NONE, 0, 0, 0, "v_v") \
    X(0xc3, i64x2_all_true, "i64x2.all_true", NONE, 0, 0, 0, "v_i") \
    X(0xc4, i64x2_bitmask, "i64x2.bitmask", NONE, 0, 0, 0, "v_i") \
    X(0xc7, i64x2_extend_low_i32x4_s, "i64x2.extend_low_i32x4_s", NONE, 0, 0, 0, "v_v") \
    X(0xc8, i64x2_extend_high_i32x4_s, "i64x2.extend_high_i32x4_s", NONE, 0, 0, 0, "v_v") \
    X(0xc9, i64x2_extend_low_i32x4_u, "i64x2.extend_low_i32x4_u", NONE, 0, 0, 0, "v_v") \
    X(0xca, i64x2_extend_high_i32x4_u, "i64x2.extend_high_i32x4_u", NONE, 0, 0, 0, "v_v") \
    X(0xcb, i64x2_shl, "i64x2.shl", NONE, 0, 0, 0, "vi_v") \
    X(0xcc, i64x2_shr_s, "i64x2.shr_s", NONE, 0, 0, 0, "vi_v") \
    X(0xcd, i64x2_shr_u, "i64x2.shr_u", NONE, 0, 0, 0, "vi_v") \
    X(0xce, i64x2_add, "i64x2.add", NONE, 0, 0, 0, "vv_v") \
    X(0xd1, i64x2_sub, "i64x2.sub", NONE, 0, 0, 0, "vv_v") \
    X(0xd5, i64x2_mul, "i64x2.mul", NONE, 0, 0, 0, "vv_v") \
    X(0xd6, i64x2_eq, "i64x2.eq", NONE, 0, 0, 0, "vv_v") \
    X(0xd7, i64x2_ne, "i64x2.ne", NONE, 0, 0, 0, "vv_v") \
    X(0xd8, i64x2_lt_s, "i64x2.lt_s", NONE, 0, 0, 0, "vv_v") \
    X(0xd9, i64x2_gt_s, "i64x2.gt_s", NONE, 0, 0, 0, "vv_v") \
    X(0xda, i64x2_le_s, "i64x2.le_s", NONE, 0, 0, 0, "vv_v") \
    X(0xdb, i64x2_ge_s, "i64x2.ge_s", NONE, 0, 0, 0, "vv_v") \
    X(0xdc, i64x2_extmul_low_i32x4_s, "i64x2.extmul_low_i32x4_s", NONE, 0, 0, 0, "vv_v") \
    X(0xdd, i64x2_extmul_high_i32x4_s, "i64x2.extmul_high_i32x4_s", NONE, 0, 0, 0, "vv_v") \
    X(0xde, i64x2_extmul_low_i32x4_u, "i64x2.extmul_low_i32x4_u", NONE, 0, 0, 0, "vv_v") \
    X(0xdf, i64x2_extmul_high_i32x4_u, "i64x2.extmul_high_i32x4_u", NONE, 0, 0, 0, "vv_v") \
    X(0xe0, f32x4_abs, "f32x4.abs", NONE, 0, 0, 0, "v_v") \
    X(0xe1, f32x4_neg, "f32x4.neg", NONE, 0, 0, 0, "v_v") \
    X(0xe3, f32x4_sqrt, "f32x4.sqrt", NONE, 0, 0, 0, "v_v") \
    X(0xe4, f32x4_add, "f32x4.add", NONE, 0, 0, 0, "vv_v") \
    X(0xe5, f32x4_sub, "f32x4.sub", NONE, 0, 0, 0, "vv_v") \
    X(0xe6, f32x4_mul, "f32x4.mul", NONE, 0, 0, 0, "vv_v") \
    X(0xe7, f32x4_div, "f32x4.div", NONE, 0, 0, 0, "vv_v") \
    X(0xe8, f32x4_min, "f32x4.min", NONE, 0, 0, 0, "vv_v") \
    X(0xe9, f32x4_max, "f32x4.max", NONE, 0, 0, 0, "vv_v") \
    X(0xea, f32x4_pmin, "f32x4.pmin", NONE, 0, 0, 0, "vv_v") \
    X(0xeb, f32x4_pmax, "f32x4.pmax", NONE, 0, 0, 0, "vv_v") \
    X(0xec, f64x2_abs, "f64x2.abs", NONE, 0, 0, 0, "v_v") \
    X(0xed, f64x2_neg, "f64x2.neg", NONE, 0, 0, 0, "v_v") \
    X(0xef, f64x2_sqrt, "f64x2.sqrt", NONE, 0, 0, 0, "v_v") \
    X(0xf0, f64x2_add, "f64x2.add", NONE, 0, 0, 0, "vv_v") \
    X(0xf1, f64x2_sub, "f64x2.sub", NONE, 0, 0, 0, "vv_v") \
    X(0xf2, f64x2_mul, "f64x2.mul", NONE, 0, 0, 0, "vv_v") \
    X(0xf3, f64x2_div, "f64x2.div", NONE, 0, 0, 0, "vv_v") \
    X(0xf4, f64x2_min, "f64x2.min", NONE, 0, 0, 0, "vv_v") \
    X(0xf5, f64x2_max, "f64x2.max", NONE, 0, 0, 0, "vv_v") \
    X(0xf6, f64x2_pmin, "f64x2.pmin", NONE, 0, 0, 0, "vv_v") \
    X(0xf7, f64x2_pmax, "f64x2.pmax", NONE, 0, 0, 0, "vv_v") \
    X(0xf8, i32x4_trunc_sat_f32x4_s, "i32x4.trunc_sat_f32x4_s", NONE, 0, 0, 0, "v_v") \
    X(0xf9, i32x4_trunc_sat_f32x4_u, "i32x4.trunc_sat_f32x4_u", NONE, 0, 0, 0, "v_v") \
    X(0xfa, f32x4_convert_i32x4_s, "f32x4.convert_i32x4_s", NONE, 0, 0, 0, "v_v") \
    X(0xfb, f32x4_convert_i32x4_u, "f32x4.convert_i32x4_u", NONE, 0, 0, 0, "v_v") \
    X(0xfc, i32x4_trunc_sat_f64x2_s_zero, "i32x4.trunc_sat_f64x2_s_zero", NONE, 0, 0, 0, "v_v") \
    X(0xfd, i32x4_trunc_sat_f64x2_u_zero, "i32x4.trunc_sat_f64x2_u_zero", NONE, 0, 0, 0, "v_v") \
    X(0xfe, f64x2_convert_low_i32x4_s, "f64x2.convert_low_i32x4_s", NONE, 0, 0, 0, "v_v") \
    X(0xff, f64x2_convert_low_i32x4_u, "f64x2.convert_low_i32x4_u", NONE, 0, 0, 0, "v_v")
/* clang-format on */

/* The prefix of the saturating truncations and bulk memory/table ops. */
#define WASM_OP_PREFIX_FC 0xfcu
/* The prefix of fixed-width SIMD. */
#define WASM_OP_PREFIX_FD 0xfdu

enum wasm_op {
#define WF_OP_CONST(code, id, name, imm, align, flags, traps) WASM_OP_##id = code,
    WASM_OPS(WF_OP_CONST)
#undef WF_OP_CONST
};

enum wasm_op_fc {
#define WF_OP_CONST(code, id, name, imm, align, flags, traps) WASM_OP_FC_##id = code,
    WASM_OPS_FC(WF_OP_CONST)
#undef WF_OP_CONST
};

enum wasm_op_fd {
#define WF_OP_CONST(code, id, name, imm, align, flags, traps, sig) WASM_OP_FD_##id = code,
    WASM_OPS_FD(WF_OP_CONST)
#undef WF_OP_CONST
};

typedef struct wf_op {
    const char *name;
    uint8_t imm;    /* wf_imm */
    uint8_t align;  /* loads and stores: natural alignment, log2 */
    uint8_t flags;  /* WF_OPF_* */
    uint32_t traps; /* WF_TRAP_BIT()s */
} wf_op;

/* The instruction with opcode `code` / 0xfc `sub` / 0xfd `sub`, or NULL
 * when Wasm 2.0 has none. */
const wf_op *wf_op_info(uint8_t code);
const wf_op *wf_op_fc_info(uint32_t sub);
const wf_op *wf_op_fd_info(uint32_t sub);

#ifdef __cplusplus
}
#endif

#endif
