/*
 * A bounded cursor over a file's bytes, for the bridge's readers of
 * Wasm-format files: modules (wb_wasm.c) and core dumps (wb_core.c). The
 * primitives fail with one message shape, "malformed FILE: WHY at offset
 * 0x.. (WHAT section)"; numbers go through the project's one LEB128
 * reader (wdb/wasmfmt.h).
 */
#ifndef WB_CURSOR_H
#define WB_CURSOR_H

#include "wb_common.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* [pos, end) of base. `what` names the section being read and `file` the
 * kind of file ("module", "core dump"), for messages; positions are file
 * offsets. */
typedef struct wb_cursor {
    const uint8_t *base;
    size_t pos, end;
    const char *what;
    const char *file;
} wb_cursor;

static inline size_t wb_cur_left(const wb_cursor *c)
{
    return c->end - c->pos;
}
wb_status wb_cur_fail(const wb_cursor *c, wb_error *err, const char *why);
wb_status wb_cur_u8(wb_cursor *c, uint8_t *out, wb_error *err);
/* LEB128 of at most `bits` bits (5.2.2) */
wb_status wb_cur_leb(wb_cursor *c, unsigned bits, bool sign, uint64_t *out, wb_error *err);
wb_status wb_cur_u32(wb_cursor *c, uint32_t *out, wb_error *err);

#endif
