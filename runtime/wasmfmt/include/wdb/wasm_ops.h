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
 *   id     a C identifier: WASM_OP_<id>, WASM_OP_FC_<id>
 *   name   the text format's
 *   imm    the immediates' shape (WF_IMM_<imm>)
 *   align  natural alignment (log2) of loads and stores, else 0
 *   flags  WF_OPF_* bits
 *   traps  the traps it may raise: WF_TRAP_BIT(ID) of wdb/wasm_traps.h
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
    WF_IMM_BLOCK,      /* blocktype: block, loop, if */
    WF_IMM_LABEL,      /* br, br_if */
    WF_IMM_BR_TABLE,   /* vec(labelidx) labelidx */
    WF_IMM_FUNC,       /* funcidx */
    WF_IMM_CALL_IND,   /* typeidx tableidx */
    WF_IMM_INDEX,      /* one u32: local, global, table, data, elem */
    WF_IMM_MEMARG,     /* align offset */
    WF_IMM_MEMIDX,     /* memory index */
    WF_IMM_I32,        /* signed LEB128 */
    WF_IMM_I64,        /* signed LEB128 */
    WF_IMM_F32,        /* 4 bytes */
    WF_IMM_F64,        /* 8 bytes */
    WF_IMM_SELECT_T,   /* vec(valtype) */
    WF_IMM_REFTYPE,    /* ref.null */
    WF_IMM_MEM_INIT,   /* dataidx memidx */
    WF_IMM_MEM_COPY,   /* memidx memidx */
    WF_IMM_TABLE_INIT, /* elemidx tableidx */
    WF_IMM_TABLE_COPY, /* tableidx tableidx */
    WF_IMM_TRY_TABLE,  /* blocktype vec(catch): try_table (exception handling) */
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
/* clang-format on */

/* The prefix of the saturating truncations and bulk memory/table ops. */
#define WASM_OP_PREFIX_FC 0xfcu

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

typedef struct wf_op {
    const char *name;
    uint8_t imm;    /* wf_imm */
    uint8_t align;  /* loads and stores: natural alignment, log2 */
    uint8_t flags;  /* WF_OPF_* */
    uint32_t traps; /* WF_TRAP_BIT()s */
} wf_op;

/* The instruction with opcode `code` / 0xfc `sub`, or NULL when Wasm 2.0
 * has none (SIMD's 0xfd prefix included). */
const wf_op *wf_op_info(uint8_t code);
const wf_op *wf_op_fc_info(uint32_t sub);

#ifdef __cplusplus
}
#endif

#endif
