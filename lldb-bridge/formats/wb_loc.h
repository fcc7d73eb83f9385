/*
 * wb_loc: evaluation of DWARF location expressions for Wasm (DWARF 5
 * section 2.5 and 2.6, plus DW_OP_WASM_location from the tool-conventions
 * Debugging.md). Pure: the target is reached through callbacks, so the
 * same code serves a live stop (values over RSP) and a core file.
 *
 * Supported: DW_OP_WASM_location (0xed) kinds 0 local, 1 global
 * (ULEB index), 2 operand stack, 3 global (u32 index); DW_OP_fbreg against
 * the function's DW_AT_frame_base (which is itself a DW_OP_WASM_location,
 * usually the local holding __stack_pointer's copy); DW_OP_addr,
 * DW_OP_lit*, const*, plus_uconst, arithmetic and logic, dup/drop/over/
 * pick/swap/rot, deref/deref_size (linear memory), DW_OP_piece,
 * DW_OP_stack_value, DW_OP_implicit_value, DW_OP_regN is not meaningful in
 * Wasm (error). Anything else gives WB_ERROR naming the opcode.
 *
 * Result: a list of pieces, each a place (linear memory address, Wasm
 * local/global/operand-stack entry, or a computed value) with a size. A
 * location without DW_OP_piece has one piece with size 0 ("the whole
 * object"). An empty expression means optimized out (zero pieces).
 */
#ifndef WB_LOC_H
#define WB_LOC_H

#include "wb_common.h"

#include <stdbool.h>

typedef enum wb_place_kind {
    WB_PLACE_MEMORY, /* linear memory at `where` */
    WB_PLACE_LOCAL,  /* Wasm local `where` of the frame */
    WB_PLACE_GLOBAL, /* Wasm global `where` */
    WB_PLACE_STACK,  /* operand stack entry `where` of the frame (index
                        from the bottom, as qWasmStackValue counts) */
    WB_PLACE_VALUE,  /* a computed value: `value` (DW_OP_stack_value,
                        DW_OP_implicit_value up to 8 bytes) */
    WB_PLACE_EMPTY,  /* a piece with no location (optimized out part) */
} wb_place_kind;

typedef struct wb_piece {
    wb_place_kind kind;
    uint64_t where;
    uint64_t value; /* WB_PLACE_VALUE, little-endian */
    uint32_t size;  /* bytes; 0: the whole object */
} wb_piece;

#define WB_LOC_MAX_PIECES 16

typedef struct wb_location {
    size_t npieces; /* 0: optimized out */
    wb_piece pieces[WB_LOC_MAX_PIECES];
} wb_location;

/* What the expression may read from the target. Each callback returns
 * WB_OK, or WB_ERROR with why in err (err may be NULL: a caller that words
 * the failure itself passes none); NULL callbacks make such reads fail.
 * Values of locals, globals and stack entries come as 64-bit
 * little-endian numbers (i32 zero-extended). */
typedef struct wb_loc_target {
    void *user;
    wb_status (*read_local)(void *user, uint32_t index, uint64_t *value, wb_error *err);
    wb_status (*read_global)(void *user, uint32_t index, uint64_t *value, wb_error *err);
    wb_status (*read_stack)(void *user, uint32_t index, uint64_t *value, wb_error *err);
    wb_status (*read_memory)(void *user, uint64_t addr, void *buf, size_t len, wb_error *err);
    const uint8_t *frame_base; /* DW_AT_frame_base of the function, or NULL */
    size_t frame_base_len;
    /* Optional: a local, global or operand stack entry (kind
     * WB_PLACE_LOCAL, _GLOBAL, _STACK) as all its bytes, *len of them (16
     * for a v128), for a variable wider than 8 bytes placed there (a
     * vector). Without it such a variable gets the 64-bit value and zeros. */
    wb_status (*read_bytes)(void *user, wb_place_kind kind, uint32_t index, uint8_t buf[16],
                            size_t *len, wb_error *err);
} wb_loc_target;

/* Evaluates `expr` (len bytes). WB_ERROR with a message for malformed or
 * unsupported expressions and for failed reads (the message says which
 * read failed). Never reads past expr + len; stack depth and the number
 * of operations executed are bounded (a loop through DW_OP_skip/bra ends
 * with an error). */
wb_status wb_loc_eval(const uint8_t *expr, size_t len, const wb_loc_target *t, wb_location *out,
                      wb_error *err);

/* A lone DW_OP_addr: the object lives at a fixed linear-memory address (a
 * global, a static): true with *addr. */
bool wb_loc_static_address(const uint8_t *expr, size_t len, uint32_t *addr);

/* Says where `expr` puts an object, in the words of gdb's `info scope` and
 * `info address` (gdb/dwarf2/loc.c, locexpr_describe_location_1) adapted
 * to Wasm places: "a variable in Wasm local 3" (a place under
 * DW_OP_stack_value, or a piece), "a variable at the address in Wasm
 * local 0" (a place as the whole expression: it holds the address),
 * "a variable at offset 32 from the address in Wasm local 0" (a place
 * plus DW_OP_plus_uconst),
 * "a variable at offset 16 from the frame base in Wasm local 1"
 * (DW_OP_fbreg, `fb` being the function's DW_AT_frame_base), "static
 * storage at address 0x10af0"; pieces joined as "X [4-byte piece], and Y
 * [8-byte piece]", "an empty 4-byte piece"; anything else as "a complex
 * DWARF expression:" and its operations, one a line, as gdb disassembles
 * them ("     0: DW_OP_lit0\n     1: DW_OP_stack_value\n"). Appends to
 * `out`; malformed bytes end the text with what was read. */
struct wb_sbuf;
void wb_loc_describe(const uint8_t *expr, size_t len, const uint8_t *fb, size_t fblen,
                     struct wb_sbuf *out);

/* Picks the expression of a variable valid at `pc` (code offset): the
 * single expression, or the list entry covering pc. WB_NOT_FOUND: no
 * entry covers pc (the variable is optimized out there). */
struct wb_var;
wb_status wb_loc_select(const struct wb_var *v, wb_code_off pc, const uint8_t **expr, size_t *len);

#endif
