/*
 * wb_dwarf: the DWARF of a Wasm module (DWARF 4 and 5, as clang emits
 * them), read with libdwarf through its object access interface. Every
 * libdwarf call of the bridge lives in wb_dwarf.c.
 *
 * Addresses are code offsets (wb_code_off), the DWARF convention for Wasm.
 *
 * Laziness: wb_dwarf_open only hands the sections to libdwarf. The list of
 * compilation units (one CU DIE each) is read on the first query; a CU's
 * line table and its index of scopes (functions, inlined calls, lexical
 * blocks) are built the first time a query needs that CU. Everything is
 * freed by wb_dwarf_close.
 *
 * Errors: corrupt DWARF gives WB_ERROR with a message (libdwarf's own when
 * it has one); it never aborts the process. A CU whose DWARF is corrupt is
 * remembered as such and skipped by later queries that can do without it
 * (an address lookup in another CU still works).
 *
 * Strings and arrays returned by queries live until wb_dwarf_close.
 * A handle must be used by one thread at a time (queries fill caches).
 */
#ifndef WB_DWARF_H
#define WB_DWARF_H

#include "wb_common.h"
#include "wb_srcmap.h"
#include "wb_types.h"
#include "wb_wasm.h"

#include <stdbool.h>

typedef struct wb_dwarf wb_dwarf;

/* Opens the DWARF of `w`, which must outlive the handle (section bytes are
 * used in place). WB_NOT_FOUND: the module has no DWARF (no .debug_info);
 * this is normal: address-level debugging still works. WB_ERROR: the DWARF
 * cannot even be opened (err says why). */
wb_status wb_dwarf_open(const wb_wasm *w, wb_dwarf **out, wb_error *err);

/* The same interface over a source map instead of DWARF (a module
 * compiled by AssemblyScript's asc: no DWARF, a source map and a name
 * section): the line table is the map's mappings (one sequence a function
 * body; is_stmt everywhere; the first mapped row of a function is its
 * prologue_end), the scopes are the defined functions (name: the name
 * section's name after its file, "Point#dist2"; qualified and linkage
 * name: the whole name, "loop/Point#dist2"), a function's variables are
 * its Wasm locals with the name section's local names and the Wasm types
 * i32, i64, f32 and f64 (others are left out, and so are locals the name section does not name,
 * or names with a digit first: the compiler's temporaries). There are no types,
 * globals or data symbols (those queries give WB_NOT_FOUND or nothing).
 * `m` may be closed once this returns. */
wb_status wb_dwarf_open_srcmap(const wb_wasm *w, const wb_srcmap *m, wb_dwarf **out, wb_error *err);
/* What a debugger opens for a module read from `module_path`: its DWARF
 * (wb_dwarf_open) when it has some, else its source map (wb_srcmap_open,
 * wb_dwarf_open_srcmap); *what says which ("DWARF", "source map") for
 * messages. WB_NOT_FOUND: neither. WB_ERROR: the one tried is bad. */
wb_status wb_dwarf_open_module(const wb_wasm *w, const char *module_path, wb_dwarf **out,
                               const char **what, wb_error *err);

/* The text of source file `path` (as the line table names it) when the
 * debugging information embeds it (a source map's `sourcesContent`), or
 * NULL. Lives until close. */
const char *wb_dwarf_source_text(const wb_dwarf *d, const char *path);

/* Whether `d` was made by wb_dwarf_open_srcmap. */
bool wb_dwarf_is_srcmap(const wb_dwarf *d);

/* Frees the handle and everything obtained from it. NULL is accepted. */
void wb_dwarf_close(wb_dwarf *d);

/* The first damage worked around so far (e.g. a corrupt unit header:
 * the units before it are kept), or NULL. Lives until close. */
const char *wb_dwarf_warning(const wb_dwarf *d);

/* ------------------------------------------------------------ line table */

typedef struct wb_line {
    wb_code_off addr;
    const char *file; /* full path: joined with the include directory and
                         the compilation directory as DWARF 4/5 define */
    uint32_t line;    /* 0: no source line (compiler-generated code) */
    uint32_t column;  /* 0: unknown */
    bool is_stmt;
    bool prologue_end;
    bool end_sequence; /* addr is one past the end of a sequence */
} wb_line;

/* The row covering `addr`: the last row at or before it in the sequence
 * that contains it. WB_NOT_FOUND outside every sequence. */
wb_status wb_dwarf_line_at(wb_dwarf *d, wb_code_off addr, wb_line *out, wb_error *err);

/* [start, end) of the line containing `addr`: the consecutive rows around
 * it with the same file and line (what `next` steps over). */
wb_status wb_dwarf_line_range(wb_dwarf *d, wb_code_off addr, wb_code_off *start, wb_code_off *end,
                              wb_error *err);

/* Breakpoint sites for FILE:LINE. */
typedef struct wb_line_site {
    wb_code_off addr;
    uint32_t line; /* the line of the row at addr: the chosen line, or a
                      later one when the site was moved past a prologue */
} wb_line_site;

typedef struct wb_line_sites {
    const char *file; /* full path of the matched file */
    uint32_t line;    /* the line chosen: the first line >= the one asked
                         that has is_stmt code, as gdb does */
    size_t count;
    wb_line_site *sites; /* sorted by address; owned, see wb_line_sites_free */
} wb_line_sites;

/* `file` matches a line-table file by full path, by suffix on a path
 * component boundary ("src/a.c" matches "/x/src/a.c"), or by base name;
 * the first of these kinds that matches any file wins. Among the matching
 * files the first line >= `line` with is_stmt rows is chosen; a line moved
 * forward may not enter a function declared more than one line after
 * `line`. Sites: the lowest address of such rows in each innermost scope
 * (function, inlined copy, lexical block), as gdb and lldb place one
 * location per block; a site at a function's first address is moved past
 * its prologue. WB_NOT_FOUND: no such file, or no code at or after the
 * line. On WB_OK free *out with wb_line_sites_free. */
wb_status wb_dwarf_line_sites(wb_dwarf *d, const char *file, uint32_t line, wb_line_sites *out,
                              wb_error *err);
void wb_line_sites_free(wb_line_sites *s);

/* Compilation units, for whole-table walks (`wdb lines`, tests). */
wb_status wb_dwarf_unit_count(wb_dwarf *d, size_t *count, wb_error *err);
/* The CU's name (DW_AT_name, or "") and its rows sorted by address
 * (sequences in address order, tombstoned sequences dropped). A corrupt
 * line table is WB_ERROR. */
wb_status wb_dwarf_unit_lines(wb_dwarf *d, size_t unit, const char **name, const wb_line **rows,
                              size_t *nrows, wb_error *err);

/* ---------------------------------------------------------------- scopes */

typedef enum wb_scope_kind {
    WB_SCOPE_FUNCTION, /* DW_TAG_subprogram with code */
    WB_SCOPE_INLINED,  /* DW_TAG_inlined_subroutine */
    WB_SCOPE_BLOCK,    /* DW_TAG_lexical_block */
} wb_scope_kind;

typedef struct wb_range {
    wb_code_off lo, hi; /* [lo, hi) */
} wb_range;

/* A DIE that owns code. Names come from the DIE or, through
 * DW_AT_abstract_origin / DW_AT_specification, from its declaration. */
typedef struct wb_scope {
    wb_scope_kind kind;
    uint64_t die_offset;        /* .debug_info offset: the handle a variables
                                   module starts from */
    const char *name;           /* functions, inlined: DW_AT_name or NULL */
    const char *qualified_name; /* with enclosing namespaces and classes
                                   ("ns::S::f"), NULL when name is */
    const char *linkage_name;   /* DW_AT_linkage_name or NULL */
    const char *decl_file;      /* NULL when unknown */
    uint32_t decl_line;
    const char *call_file; /* inlined: the call site, NULL when unknown */
    uint32_t call_line, call_column;
    wb_code_off low_pc, high_pc; /* lowest and one past highest address */
    wb_code_off entry_pc;        /* where a call enters it: DW_AT_entry_pc,
                                    else the start of the first range the
                                    DIE lists (not always the lowest) */
    size_t nranges;
    const wb_range *ranges;    /* sorted; DW_AT_low_pc/high_pc or
                                  DW_AT_ranges (.debug_ranges, .debug_rnglists) */
    const uint8_t *frame_base; /* functions: DW_AT_frame_base expression,
                                  NULL when absent */
    size_t frame_base_len;
} wb_scope;

/* The scopes containing an address, innermost first: lexical blocks and
 * inlined subroutines, ending with the (out-of-line) function. */
typedef struct wb_scope_chain {
    size_t count;
    const wb_scope **scopes; /* owned array; the scopes live as long as d */
} wb_scope_chain;

/* WB_NOT_FOUND when no function covers `addr`. On WB_OK free the chain
 * with wb_scope_chain_free. */
wb_status wb_dwarf_scopes_at(wb_dwarf *d, wb_code_off addr, wb_scope_chain *out, wb_error *err);
void wb_scope_chain_free(wb_scope_chain *c);

/* Whether `name` names scope `s`: its plain, qualified ("ns::f") or
 * linkage name, as a user may write a function's name. */
bool wb_scope_named(const wb_scope *s, const char *name);

/* The function (DW_TAG_subprogram) containing `addr`. */
wb_status wb_dwarf_function_at(wb_dwarf *d, wb_code_off addr, const wb_scope **out, wb_error *err);

/* A function by name: its linkage name, qualified name ("ns::f") or plain
 * name, the first definition found. *entry is its address after the
 * prologue: the first row with prologue_end in the function, else its
 * second row's address, else its low pc (what gdb and lldb do). */
wb_status wb_dwarf_function_named(wb_dwarf *d, const char *name, const wb_scope **fn,
                                  wb_code_off *entry, wb_error *err);

/* The entries of every inlined copy of function `name` (plain, qualified
 * or linkage name), sorted and distinct: where gdb puts the locations of
 * a breakpoint on a function that only exists inlined. Loads every unit's
 * scopes (slower than wb_dwarf_function_named). On WB_OK *addrs is
 * malloc'd (free()). */
wb_status wb_dwarf_inlined_named(wb_dwarf *d, const char *name, wb_code_off **addrs, size_t *n,
                                 wb_error *err);

/* The address after the prologue of function `fn` (as above). */
wb_status wb_dwarf_skip_prologue(wb_dwarf *d, const wb_scope *fn, wb_code_off *entry,
                                 wb_error *err);

/* ------------------------------------------------- variables and types */

/* The variables and parameters declared directly in scope `s` (not in its
 * nested lexical blocks or inlined calls: walk the chain from
 * wb_dwarf_scopes_at for those), in DIE order, parameters first as DWARF
 * lists them. For an inlined scope or a concrete out-of-line instance the
 * name, type and declaration come from the abstract origin, the location
 * from the concrete DIE. Types are resolved (cached by DIE offset; an
 * incomplete struct is replaced by a definition of the same name found
 * elsewhere when there is one). The array lives until wb_dwarf_close. */
wb_status wb_dwarf_scope_vars(wb_dwarf *d, const wb_scope *s, const wb_var *const **vars, size_t *n,
                              wb_error *err);

/* The type of function `fn` itself (WB_TYPE_FUNCTION: return type in
 * target, the parameters' types), as `print FUNCTION` shows it. */
wb_status wb_dwarf_function_type(wb_dwarf *d, const wb_scope *fn, const wb_type **out,
                                 wb_error *err);

/* Return type of function or inlined scope `s`; *out NULL for void. */
wb_status wb_dwarf_scope_return_type(wb_dwarf *d, const wb_scope *s, const wb_type **out,
                                     wb_error *err);

/* A variable that needs no frame: a CU-level variable (global or file
 * static) or a function-local static, by name (C++: plain or qualified
 * name "ns::x"). When several CUs define one (file statics), the one in the
 * CU containing `near` wins; pass UINT32_MAX for no preference. Only
 * definitions with a location or a constant value count. */
wb_status wb_dwarf_global_named(wb_dwarf *d, const char *name, wb_code_off near, const wb_var **out,
                                wb_error *err);

/* A named type for casts and sizeof: "struct point" / "union u" / "enum e"
 * (tag prefix), a typedef name, a base type name ("unsigned int"), or a
 * C++ class name (plain or qualified). Prefers the CU containing `near`. */
wb_status wb_dwarf_type_named(wb_dwarf *d, const char *name, wb_code_off near, const wb_type **out,
                              wb_error *err);

/* An enumerator by name (`print RED`): its enumeration type and value,
 * preferring the CU containing `near`. */
wb_status wb_dwarf_enumerator_named(wb_dwarf *d, const char *name, wb_code_off near,
                                    const wb_type **type, int64_t *value, wb_error *err);

/* Every CU-level variable (globals and statics) in the CU containing
 * `near` (`info variables`-style listing; used for DAP's Globals scope). */
wb_status wb_dwarf_unit_globals(wb_dwarf *d, wb_code_off near, const wb_var *const **vars,
                                size_t *n, wb_error *err);

/* The global or static variable whose storage holds linear-memory
 * address `addr` (gdb's `<name+offset>` after a pointer's value): *name
 * lives until wb_dwarf_close, *offset is addr's distance from its start.
 * WB_NOT_FOUND when no variable with a fixed address holds it (the heap,
 * the stack, string literals). The first call indexes every unit. */
wb_status wb_dwarf_data_symbol(wb_dwarf *d, uint64_t addr, const char **name, uint64_t *offset,
                               wb_error *err);

/* Every source file named by the line tables (full paths, deduplicated,
 * sorted): `info sources`, DAP loadedSources, path mapping. */
wb_status wb_dwarf_source_files(wb_dwarf *d, const char *const **files, size_t *n, wb_error *err);

/* The source files `file` names, matched as FILE:LINE breakpoints match
 * them (wb_dwarf_line_sites: full path, suffix on a component boundary,
 * base name; the best kind any file matches wins), sorted. On WB_OK
 * *paths is malloc'd (free(); the strings live until close).
 * WB_NOT_FOUND: no file matches. */
wb_status wb_dwarf_source_files_named(wb_dwarf *d, const char *file, const char ***paths, size_t *n,
                                      wb_error *err);

/* ------------------------------------------------------------- symbols */

/* What gdb's symbol search lists (`info functions|variables|types`,
 * `rbreak`): every function with code; every CU-level variable (global,
 * file static, C++ namespace or static member) with a location, not one
 * with only a constant value; every named type outside functions (base
 * types, typedefs, structs, unions, enums, classes), not an incomplete
 * declaration. */
typedef enum wb_sym_kind { WB_SYM_FUNCTION, WB_SYM_VARIABLE, WB_SYM_TYPE } wb_sym_kind;

typedef struct wb_symbol {
    wb_sym_kind kind;
    const char *name;    /* the search name: qualified in C++ ("ns::f"); a
                            struct's, union's or enum's without the keyword */
    const char *file;    /* the declaring file (full path), else the unit's
                            own source file (base types) */
    uint32_t line;       /* the declaration's line, 0 when unknown */
    bool is_static;      /* a function or variable without DW_AT_external */
    const wb_type *type; /* a function's type (WB_TYPE_FUNCTION, from its
                            declaration, without artificial parameters such
                            as `this`), NULL when it cannot be read; a
                            variable's type; the type itself */
    const wb_scope *fn;  /* functions */
    const wb_var *var;   /* variables */
} wb_symbol;

/* The symbols of `kind` in every unit, in DIE order (units and entries
 * whose DWARF is damaged are left out). The array lives until close. */
wb_status wb_dwarf_symbols(wb_dwarf *d, wb_sym_kind kind, const wb_symbol **syms, size_t *n,
                           wb_error *err);

#endif
