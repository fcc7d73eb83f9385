/*
 * wb_wasm: a read-only view of a WebAssembly module's structure, as the
 * debugger needs it: section framing, the Code section and its function
 * bodies, imported-function count, the `name` section and custom sections
 * by name (the DWARF `.debug_*` sections).
 *
 * It validates the header and the framing of every section (and the
 * structure of the import, function and code sections); it does not
 * validate instructions. Malformed input gives WB_ERROR with the section
 * and file offset in the message, never a crash. A malformed `name`
 * section is ignored (custom sections may not make a module invalid).
 */
#ifndef WB_WASM_H
#define WB_WASM_H

#include "wb_common.h"

#include <stdbool.h>

typedef struct wb_wasm wb_wasm;

/* Section ids of the core spec (section 5.5.2). */
enum {
    WB_SEC_CUSTOM = 0,
    WB_SEC_TYPE = 1,
    WB_SEC_IMPORT = 2,
    WB_SEC_FUNCTION = 3,
    WB_SEC_CODE = 10,
};

typedef struct wb_section {
    uint8_t id;
    const char *name;   /* custom sections: their name (NUL-terminated copy);
                           other sections: the spec's name ("code", ...) */
    wb_file_off offset; /* file offset of the contents (after id and size;
                           for custom sections, after the name too) */
    uint32_t size;      /* size of those contents */
} wb_section;

typedef struct wb_func {
    uint32_t index;     /* in the function index space (imports first) */
    wb_code_off header; /* code offset of the body's size field */
    wb_code_off start;  /* code offset of the body (local declarations):
                           what clang's DW_AT_low_pc holds */
    wb_code_off end;    /* code offset one past the body's `end` opcode */
    const char *name;   /* from the name section (a Rust name demangled,
                           wb_demangle.h), or NULL */
} wb_func;

/* Reads and validates the module in `path`. On WB_OK *out owns a copy of
 * the bytes; free it with wb_wasm_close. On WB_ERROR err says why (file
 * errors included). */
wb_status wb_wasm_open_file(const char *path, wb_wasm **out, wb_error *err);

/* Same over bytes in memory; the bytes are copied. */
wb_status wb_wasm_open_bytes(const uint8_t *data, size_t size, wb_wasm **out, wb_error *err);

/* Frees everything; every pointer obtained from `w` becomes invalid. NULL is
 * accepted. */
void wb_wasm_close(wb_wasm *w);

/* Sections in file order. `i` < wb_wasm_section_count(w); the pointer lives
 * as long as `w`. */
size_t wb_wasm_section_count(const wb_wasm *w);
const wb_section *wb_wasm_section(const wb_wasm *w, size_t i);

/* The contents of the first custom section called `name` (".debug_info",
 * ...). The bytes live as long as `w`. WB_NOT_FOUND if there is none. */
wb_status wb_wasm_custom_section(const wb_wasm *w, const char *name, const uint8_t **data,
                                 size_t *size);

/* Whether the module has a Code section; its contents' file offset and size
 * (both 0 without one). */
bool wb_wasm_has_code(const wb_wasm *w);
wb_file_off wb_wasm_code_offset(const wb_wasm *w);
uint32_t wb_wasm_code_size(const wb_wasm *w);
/* The whole module's bytes (*size of them); they live as long as `w`. */
const uint8_t *wb_wasm_bytes(const wb_wasm *w, size_t *size);
/* The Code section's contents (code offset 0 at [0], wb_wasm_code_size
 * bytes), or NULL without one. Lives as long as `w`. */
const uint8_t *wb_wasm_code(const wb_wasm *w);

/* The only conversions between code offsets and file offsets.
 * wb_wasm_file_to_code gives WB_NOT_FOUND for file offsets outside the
 * Code section's contents. */
wb_file_off wb_wasm_code_to_file(const wb_wasm *w, wb_code_off off);
wb_status wb_wasm_file_to_code(const wb_wasm *w, wb_file_off off, wb_code_off *out);

/* Imported functions (they come first in the function index space) and
 * defined functions (bodies in the Code section, in order). */
uint32_t wb_wasm_import_func_count(const wb_wasm *w);
uint32_t wb_wasm_func_count(const wb_wasm *w);
/* The i-th defined function (0-based, i < wb_wasm_func_count); lives as
 * long as `w`. */
const wb_func *wb_wasm_func(const wb_wasm *w, uint32_t i);

/* The defined function whose body [header, end) contains `off`, or
 * WB_NOT_FOUND. */
wb_status wb_wasm_func_at(const wb_wasm *w, wb_code_off off, const wb_func **out);

/* The function at `elem` of table 0 as the active element segments fill
 * it at instantiation (5.5.12; offsets `i32.const N`): what a C function
 * pointer (a table index) calls. WB_NOT_FOUND: no segment sets it, or the
 * element section is not understood (segments with other offsets or
 * element expressions other than `ref.func`). */
wb_status wb_wasm_table_func(const wb_wasm *w, uint32_t elem, uint32_t *func);

/* The reverse: the first element of table 0 that holds function `func`
 * (function index space): its C function pointer value. WB_NOT_FOUND when
 * none does (a function whose address the program never takes). */
wb_status wb_wasm_func_table_index(const wb_wasm *w, uint32_t func, uint32_t *elem);

/* The name-section name of function `index` (function index space,
 * imports included), or NULL; a Rust name demangled ("hello::main", not
 * "_ZN5hello4main17h...E"), as gdb shows minimal symbols. */
const char *wb_wasm_func_name(const wb_wasm *w, uint32_t index);
/* The first defined function the name section calls `name` (demangled or
 * as written), or NULL. */
const wb_func *wb_wasm_func_named(const wb_wasm *w, const char *name);

/* An active data segment of memory 0 (5.5.14) whose offset is `i32.const
 * N`: where it puts its bytes in linear memory. */
typedef struct wb_data_segment {
    uint32_t addr;    /* linear-memory address of its first byte */
    uint32_t size;    /* bytes */
    const char *name; /* from the name section's data segment names
                         (subsection 9 of the extended name section, as
                         wasm-ld writes them: ".rodata", ".data"), or NULL */
} wb_data_segment;

/* The module's active data segments of memory 0 with a constant offset,
 * in the Data section's order (passive segments and other offset
 * expressions are left out; a Data section that cannot be read gives
 * none: it is not the debugger's to refuse). `i` < the count; the pointer
 * lives as long as `w`. */
size_t wb_wasm_data_segment_count(const wb_wasm *w);
const wb_data_segment *wb_wasm_data_segment(const wb_wasm *w, size_t i);

/* The index of the global the name section calls `name` (its global
 * names: wasm-ld writes them, __stack_pointer among them). WB_NOT_FOUND
 * when no global has that name, or the module has no global names. */
wb_status wb_wasm_global_named(const wb_wasm *w, const char *name, uint32_t *index);

/* The value types of the locals of the i-th defined function (0-based, as
 * wb_wasm_func): its parameters (from its type) then the body's declared
 * locals, as valtype bytes (0x7f i32, 0x7e i64, 0x7d f32, 0x7c f64, 0x7b
 * v128, 0x70 funcref, 0x6f externref; a typed reference (0x63/0x64 + heap
 * type) as its first byte). These are the locals qWasmLocal numbers. On
 * WB_OK *types is malloc'd (free(); NULL when *n is 0). WB_ERROR for a bad
 * index, malformed type, function or code sections, types other than
 * plain function types (GC), more than 50000 locals. */
wb_status wb_wasm_func_local_types(const wb_wasm *w, uint32_t i, uint8_t **types, uint32_t *n,
                                   wb_error *err);
/* The same, how many of them are parameters (*nparams) and the type of
 * its result (*result: 0 for none or several); both may be NULL. */
wb_status wb_wasm_func_locals(const wb_wasm *w, uint32_t i, uint8_t **types, uint32_t *n,
                              uint32_t *nparams, uint8_t *result, wb_error *err);

/* The name section's name of local `local` of function `index` (function
 * index space; subsection 2, local names, as AssemblyScript and wasm-opt
 * write them), or NULL. Lives as long as `w`. */
const char *wb_wasm_local_name(const wb_wasm *w, uint32_t index, uint32_t local);

/* The value types of the module's globals in the global index space:
 * imported globals first, then the Global section's; bytes as for
 * wb_wasm_func_local_types. On WB_OK *types is malloc'd (free(); NULL
 * when *n is 0); WB_ERROR for malformed import or global sections. */
wb_status wb_wasm_global_types(const wb_wasm *w, uint8_t **types, uint32_t *n, wb_error *err);

#endif
