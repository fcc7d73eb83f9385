/*
 * wb_disasm: a WebAssembly 2.0 disassembler for `wdb`'s `disassemble`
 * command. It decodes one function body into instructions whose text is in
 * the Wasm text format (core spec section 6.5); the caller composes the
 * gdb-style listing (addresses, "=>" marker, indentation from `depth`).
 *
 * Text conventions (those of the text format, as wasm2wat prints them):
 *   - integers in decimal, i32/i64.const signed ("i32.const -2");
 *     f32/f64.const as exact hex floats ("f64.const 0x1.8p+0"), "inf",
 *     "nan", "nan:0x200000" (non-canonical payload), with a leading '-';
 *   - memory instructions omit offset=0 and the natural alignment:
 *     "i32.load", "i32.load offset=4 align=2" (align in bytes);
 *   - indices are numbers; "call 3 <fib>" and "ref.func 3 <fib>" add the
 *     name-section name when there is one;
 *   - "block", "block (result i32)", "block (type 2)";
 *     "select (result i32)"; "call_indirect (type 2)" (table 0 omitted,
 *     "call_indirect 1 (type 2)" otherwise); "br_table 0 1 2" (the last
 *     is the default label);
 *   - memory index 0 is implicit ("memory.size", "memory.copy",
 *     "memory.init 2"); table indices are always written ("table.get 0",
 *     "table.init 0 1" = table 0, element segment 1, in text order).
 * Covered: every Wasm 2.0 instruction except SIMD, plus the 0xfc prefix
 * (saturating truncation, bulk memory, table instructions) and tail calls.
 * SIMD (0xfd prefix) is skipped by its immediate rules and shown as
 * "unknown 0xfd N" (N the sub-opcode in decimal); an unknown opcode stops
 * decoding with an error (its length cannot be known).
 *
 * Nothing is validated beyond what decoding needs (no type checking);
 * bytes are never read outside [f->start, f->end) of the code given.
 */
#ifndef WB_DISASM_H
#define WB_DISASM_H

#include "wdb/wasm_ops.h"
#include "wb_common.h"
#include "wb_wasm.h"

/* Listings indent an instruction by its depth up to this many levels
 * (two spaces each): deeper nesting is shown at this indentation, so the
 * output stays linear in the code's size however deep the blocks go. */
#define WB_DISASM_MAX_INDENT 32u

typedef struct wb_insn {
    wb_code_off off; /* code offset of the opcode */
    uint32_t len;    /* bytes, opcode and immediates */
    uint32_t depth;  /* enclosing blocks: 0 at the top of the function;
                        `else` and `end` have the depth of their `if` or
                        `block` (so the last `end` has 0) */
    char text[128];  /* NUL-terminated; longer text (big br_table, long
                        names) is cut and ends in "..." */
    const wf_op *op; /* what it is (wdb/wasm_ops.h); NULL for SIMD */
} wb_insn;

/* Disassembles the body of `f`, a function of `w`, from the first
 * instruction after the local declarations to the final `end` included.
 *
 * `code` is the Code section's contents (code offset 0 at code[0]) and
 * `code_size` its length (wb_wasm_code and wb_wasm_code_size give them for
 * a module; a core's reader passes its own copy).
 * `w` is only used for names (wb_wasm_func_name); it may be NULL.
 *
 * On WB_OK, *out is a malloc'd array of *n instructions (free it with
 * free()). On WB_ERROR (truncated immediate, bad LEB128, unknown opcode,
 * bytes after the final `end`, body outside the code), err says what and
 * at which code offset, and *out / *n still hold the instructions decoded
 * before the fault (possibly none, *out then NULL): a listing can show
 * them followed by the error. Allocation failure is a WB_ERROR too. */
wb_status wb_disasm_func(const wb_wasm *w, const uint8_t *code, size_t code_size, const wb_func *f,
                         wb_insn **out, size_t *n, wb_error *err);

/* The code offset of f's first instruction (after its local
 * declarations): where a call enters it. WB_ERROR on malformed
 * declarations. `code` and `code_size` as for wb_disasm_func. */
wb_status wb_disasm_first_insn(const uint8_t *code, size_t code_size, const wb_func *f,
                               wb_code_off *out, wb_error *err);

/* The local declarations of `f` in the text format, types expanded in
 * order: "(local i32 i32 f64)", or "" when it has none. On WB_OK *out is a
 * malloc'd string (free()); on WB_ERROR (malformed declarations, more than
 * 50000 locals, allocation failure) *out is NULL. `code` and `code_size`
 * as for wb_disasm_func. */
wb_status wb_disasm_locals(const uint8_t *code, size_t code_size, const wb_func *f, char **out,
                           wb_error *err);

#endif
