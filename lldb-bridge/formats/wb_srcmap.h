/*
 * wb_srcmap: the source map of a Wasm module (Source Map Revision 3, as
 * AssemblyScript's `asc --sourceMap` and Emscripten write them), named by
 * the module's `sourceMappingURL` custom section (tool-conventions
 * Debugging.md).
 *
 * For Wasm a mapping's "generated column" is a byte offset in the whole
 * module file (its generated line is 0); here every one is converted to a
 * code offset with wb_wasm_file_to_code, the one conversion, so a source
 * map and DWARF share an address space. Mappings outside the Code section
 * are dropped.
 *
 * The URL: `data:application/json;base64,...` (embedded), or a path
 * (a relative one, or a `file://` URL, resolved against the module's
 * directory; when the module is a symbolic link and no map is there, the
 * directory of the file it names). The source names: resolved against the map's directory
 * (and its `sourceRoot` when that names an existing directory; asc writes
 * one that does not), normalized; names starting with `~` (asc's
 * standard library, "~lib/...") are kept as they are.
 *
 * Bad input (malformed JSON, base64 or VLQ, indices out of range, numbers
 * past 32 bits, a map larger than WDB_FILE_TEXT_MAX, more than 16 Mi
 * mappings) gives WB_ERROR with a message; nothing is trusted.
 */
#ifndef WB_SRCMAP_H
#define WB_SRCMAP_H

#include "wb_common.h"
#include "wb_wasm.h"

typedef struct wb_srcmap wb_srcmap;

typedef struct wb_srcmap_row {
    wb_code_off addr;
    uint32_t source; /* index in the sources */
    uint32_t line;   /* 1-based */
    uint32_t column; /* 1-based */
} wb_srcmap_row;

/* The source map the module's sourceMappingURL section names.
 * module_path: where the module was read from (for relative URLs; NULL:
 * the current directory). WB_NOT_FOUND: the module has no such section.
 * WB_ERROR: the section, the file or the map is bad (err says which). */
wb_status wb_srcmap_open(const wb_wasm *w, const char *module_path, wb_srcmap **out, wb_error *err);

/* Parses map text (`len` bytes) for module `w`; source names are resolved
 * against `base_dir` (NULL: kept as written). */
wb_status wb_srcmap_parse(const wb_wasm *w, const char *json, size_t len, const char *base_dir,
                          wb_srcmap **out, wb_error *err);

void wb_srcmap_close(wb_srcmap *m);

/* The mappings with a source, sorted by address (one row an address: the
 * first one the map lists when it lists them in order); the array lives until close. */
size_t wb_srcmap_rows(const wb_srcmap *m, const wb_srcmap_row **rows);

/* Source `i` (resolved path), or NULL past the end. */
const char *wb_srcmap_source(const wb_srcmap *m, uint32_t i);
uint32_t wb_srcmap_source_count(const wb_srcmap *m);
/* Source `i`'s text as the map embeds it (`sourcesContent`: asc embeds
 * every source, its library's included), or NULL. */
const char *wb_srcmap_source_content(const wb_srcmap *m, uint32_t i);

/* The mapping covering `addr`: the last one at or before it inside the
 * same function body (wb_wasm_func_at). WB_NOT_FOUND: none. */
wb_status wb_srcmap_line_at(const wb_srcmap *m, wb_code_off addr, const char **file, uint32_t *line,
                            uint32_t *column);

#endif
