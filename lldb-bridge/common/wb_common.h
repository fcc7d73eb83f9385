/*
 * Types shared by every part of the host bridge (`wb_` prefix): lookup
 * outcomes, error details and the address types.
 */
#ifndef WB_COMMON_H
#define WB_COMMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wdb/file.h"

/* Three outcomes for every lookup, as libdwarf has them: "no line for this
 * address" is a normal answer (WB_NOT_FOUND), not an error. */
typedef enum wb_status {
    WB_OK = 0,
    WB_NOT_FOUND = 1,
    WB_ERROR = -1,
} wb_status;

/* The bridge's one propagation macro: evaluates `expr` (a wb_status) once
 * and returns it from the calling function unless it is WB_OK. WB_NOT_FOUND
 * passes through as it is; a caller that must turn it into an error tests
 * the status itself. (runtime/ has its own TRY for wr_status.) */
#define WB_TRY(expr)                                                                               \
    do {                                                                                           \
        wb_status wb_try_st_ = (expr);                                                             \
        if (wb_try_st_ != WB_OK) return wb_try_st_;                                                \
    } while (0)

/* Details of a WB_ERROR: one human-readable line. Callers own the struct
 * (usually on the stack); functions that fail fill `msg`. */
typedef struct wb_error {
    char msg[256];
} wb_error;

/* Makes room for `need` elements of `elem` bytes in the array *p of
 * capacity *cap, doubling it (from 8): appends cost O(1) amortized, not a
 * realloc each. false, with *p and *cap unchanged, when out of memory or
 * the size would overflow. */
bool wb_grow(void **p, size_t *cap, size_t need, size_t elem);

/* Formats into err->msg (if err is not NULL) and returns WB_ERROR. */
wb_status wb_fail(wb_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Reads the whole regular file at `path`, at most `max` bytes
 * (WDB_FILE_MODULE_MAX, WDB_FILE_TEXT_MAX: include/wdb/file.h, the one home
 * of the rule), into *data (malloc'd with a NUL after the bytes; the caller
 * frees it) and *size. When `not_magic` is not NULL the file must start
 * with the Wasm magic "\0asm", checked before anything else is read, else
 * WB_ERROR with "PATH: `not_magic`". Other errors: "cannot open/read PATH:
 * ...", "PATH: not a regular file", "PATH: too large (N bytes; the limit is
 * M)", "PATH: out of memory". */
wb_status wb_read_file(const char *path, uint64_t max, const char *not_magic, uint8_t **data,
                       size_t *size, wb_error *err);

/* wb_read_file for text of at most WDB_FILE_TEXT_MAX bytes: *text is
 * NUL-terminated (*len without the NUL). */
wb_status wb_read_text(const char *path, char **text, size_t *len, wb_error *err);

/* Prefixes err->msg with "PATH: " (keeping the message; err may be NULL). */
void wb_error_prefix(wb_error *err, const char *path);

/* A code offset: from the start of the Code section's contents. This is
 * what DWARF line tables and DW_AT_low_pc hold for Wasm, and what
 * `wdb-run`'s trap report prints. */
typedef uint32_t wb_code_off;

/* A file offset: from the start of the .wasm file. A struct, so that the
 * compiler refuses a file offset where a code offset is meant and the
 * other way round: convert with wb_wasm_code_to_file / wb_wasm_file_to_code
 * only; `.off` is the number, for reading the file's bytes and for the RSP
 * address encoding (wdb/wasm_rsp.h), which both count from the file's
 * start. */
typedef struct wb_file_off {
    uint32_t off;
} wb_file_off;

#endif
