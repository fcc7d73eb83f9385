/*
 * Types shared by every part of the host bridge (`wb_` prefix): lookup
 * outcomes, error details and the address types.
 */
#ifndef WB_COMMON_H
#define WB_COMMON_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Three outcomes for every lookup, as libdwarf has them: "no line for this
 * address" is a normal answer (WB_NOT_FOUND), not an error. */
typedef enum wb_status {
    WB_OK = 0,
    WB_NOT_FOUND = 1,
    WB_ERROR = -1,
} wb_status;

/* Details of a WB_ERROR: one human-readable line. Callers own the struct
 * (usually on the stack); functions that fail fill `msg`. */
typedef struct wb_error {
    char msg[256];
} wb_error;

/* Formats into err->msg (if err is not NULL) and returns WB_ERROR. */
wb_status wb_fail(wb_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Reads the whole file at `path` into *data (malloc'd, sized to fit; the
 * caller frees it) and *size. WB_ERROR with "cannot open/read PATH: ..."
 * or "out of memory reading PATH". */
wb_status wb_read_file(const char *path, uint8_t **data, size_t *size, wb_error *err);

/* wb_read_file for text: *text is NUL-terminated (*len without the NUL). */
wb_status wb_read_text(const char *path, char **text, size_t *len, wb_error *err);

/* Prefixes err->msg with "PATH: " (keeping the message; err may be NULL). */
void wb_error_prefix(wb_error *err, const char *path);

/* A code offset: from the start of the Code section's contents. This is
 * what DWARF line tables and DW_AT_low_pc hold for Wasm, and what
 * `wdb-run`'s trap report prints. */
typedef uint32_t wb_code_off;

/* A file offset: from the start of the .wasm file. Convert with
 * wb_wasm_code_to_file / wb_wasm_file_to_code only. */
typedef uint32_t wb_file_off;

#endif
