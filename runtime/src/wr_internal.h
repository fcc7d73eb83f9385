/*
 * Private structures of the runtime, shared by its source files:
 *   wr_decode.c   binary decoding and validation of everything but code
 *   wr_compile.c  validation of function bodies + translation to internal
 *                 code (its format: wr_code.h)
 *   wr_interp.c   the interpreter (its state: wr_interp.h)
 *   wr_debug.c    breakpoints, stepping, watchpoints, frame inspection
 *   wr_instance.c store, linker, instantiation, embedding API glue
 *   wr_wasi.c     the host's WASI (wr_wasi_internal.h)
 * LEB128, section names and the trap list are the format library's
 * (runtime/wasmfmt, wdb/wasmfmt.h and wdb/wasm_traps.h). Nothing here is
 * visible outside runtime/.
 */
#ifndef WR_INTERNAL_H
#define WR_INTERNAL_H

#include "wdb/runtime.h"
#include "wdb/wasmfmt.h"

#include <inttypes.h> /* PRIu32: uint32_t is unsigned long on arm-none-eabi */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>

/* Exception handling (tags, throw, try_table, the legacy try/catch/
 * delegate/rethrow, exnref): host builds define WR_FEATURE_EH=1
 * (runtime/CMakeLists.txt); the firmware leaves it out for flash and loads
 * modules using it with a clear error. */
#ifndef WR_FEATURE_EH
#define WR_FEATURE_EH 0
#endif
#define WR_NO_EH "exception handling is not supported by this build"
/* Typed function references and recursive type groups of function types
 * (Wasm 3.0: (ref null ht), (ref ht), rec, sub): host builds define
 * WR_FEATURE_FUNCREFS=1 (runtime/CMakeLists.txt); the firmware leaves it
 * out for flash: its decoder refuses them as malformed types.
 *
 * A value type with a typed reference is a wr_valtype above 0xff, used by
 * validation only: its low byte is its run-time kind (WR_FUNCREF,
 * WR_EXTERNREF, WR_EXNREF: at run time a (ref $t) is a funcref),
 * WR_VT_NONNULL marks (ref ht), and a concrete heap type's index + 1 is
 * kept from bit WR_VT_IDX_SHIFT. (ref null func) and the like stay their
 * plain byte. Run-time arrays (wr_type params/results, globals, tables,
 * the public API) hold kinds only; the full types are wr_type.full. */
#ifndef WR_FEATURE_FUNCREFS
#define WR_FEATURE_FUNCREFS 0
#endif
#define WR_MAX_SUBTYPE_DEPTH 63 /* supertypes above a type, at most */
#define WR_VT_NONNULL 0x100u
#define WR_VT_IDX_SHIFT 9
#define WR_VT_KIND(t) ((wr_valtype)((uint32_t)(t)&0xffu))
#define WR_VT_IDX(t) ((uint32_t)(t) >> WR_VT_IDX_SHIFT) /* type index + 1, 0: abstract */
/* Fixed-width SIMD (v128): WR_FEATURE_SIMD, which wdb/runtime.h defines
 * unless WR_NO_SIMD (the firmware: it refuses v128 at load). With it every
 * value takes WR_VSLOTS = 2 frame slots (a v128 both, any other value the
 * first): slot numbers are scaled by the translator, so scalar ops run
 * exactly as without it. */
#ifdef WR_FEATURE_SIMD
#define WR_VSLOTS 2u
#else
#define WR_VSLOTS 1u
#endif

#define WR_PAGE_SIZE 65536u
#define WR_MAX_PAGES 65536u

/* ------------------------------------------------------------ the module */

typedef struct wr_type {
    uint32_t nparams, nresults;
    wr_valtype *params;  /* owned */
    wr_valtype *results; /* owned */
    wr_functype pub;     /* view of the above for the public API */
#if WR_FEATURE_FUNCREFS
    /* owned, or NULL: the nparams + nresults full value types (WR_VT_*)
     * when one of them is a typed reference; params/results hold kinds */
    wr_valtype *full;
    /* 0 for a plain function type (a final type alone in its rec group, no
     * typed reference, no supertype: compared structurally as in Wasm 2.0);
     * else its store-wide canonical id + 1 (wr_type_canon): two such types
     * are equal (iso-recursively) exactly when their ids are */
    uint32_t canon;
    uint32_t plain_id; /* a plain type named by a canonical one: the id + 1 a
                        * group of it alone has (wr_decode.c, plain_id) */
    uint32_t super;    /* its declared supertype's index + 1, 0 for none */
    bool final;        /* not a `sub` without final: no type may name it as its supertype */
    uint8_t depth;     /* the number of supertypes above it (<= WR_MAX_SUBTYPE_DEPTH) */
#endif
} wr_type;
#if WR_FEATURE_FUNCREFS
#define WR_TPARAMS(t) ((t)->full ? (t)->full : (t)->params)
#define WR_TRESULTS(t) ((t)->full ? (t)->full + (t)->nparams : (t)->results)
#else
#define WR_TPARAMS(t) ((t)->params)
#define WR_TRESULTS(t) ((t)->results)
#endif

typedef struct wr_limits {
    uint32_t min, max;
    bool has_max;
} wr_limits;

typedef struct wr_table_type {
    wr_valtype elem; /* WR_FUNCREF or WR_EXTERNREF */
    wr_limits limits;
} wr_table_type;

typedef struct wr_global_type {
    wr_valtype type;
    bool mut;
} wr_global_type;

/* A constant expression. Wasm 2.0 allows exactly one instruction + end. */
typedef enum wr_const_kind {
    WR_CONST_VALUE,      /* bits holds the value (i32/i64/f32/f64 bits) */
    WR_CONST_GLOBAL_GET, /* index = global */
    WR_CONST_REF_NULL,   /* type = reference type */
    WR_CONST_REF_FUNC,   /* index = function */
} wr_const_kind;

typedef struct wr_constexpr {
    wr_const_kind kind;
    wr_valtype type; /* the expression's result type */
    uint32_t index;
    uint64_t bits;
#ifdef WR_FEATURE_SIMD
    uint64_t hi; /* a v128's upper 64 bits */
#endif
} wr_constexpr;

typedef struct wr_import {
    char *module,
        *name; /* owned, NUL-terminated (names may contain NUL: then invalid UTF-8 check applies) */
    wr_extern_kind kind;
    uint32_t type_index;   /* WR_EXTERN_FUNC */
    wr_table_type table;   /* WR_EXTERN_TABLE */
    wr_limits memory;      /* WR_EXTERN_MEMORY */
    wr_global_type global; /* WR_EXTERN_GLOBAL */
    /* WR_EXTERN_TAG: type_index, the tag's function type */
} wr_import;

typedef struct wr_export {
    char *name; /* owned, NUL-terminated; may contain NUL: name_len is the length */
    uint32_t name_len;
    wr_extern_kind kind;
    uint32_t index;
} wr_export;

struct wr_code;                       /* a function body's translations: see wr_code.h */
typedef struct wr_scratch wr_scratch; /* the translator's arrays (wr_compile.c) */

/* A function of the module (imported when its index is below
 * mod->nfunc_imports): what loading keeps of it, 32 bytes on 64-bit hosts. */
typedef struct wr_func_decl {
    uint32_t type_index;
    /* defined functions only: */
    uint32_t body_start;  /* file offset of the body's size field */
    uint32_t code_start;  /* file offset of the first byte after the local declarations */
    uint32_t body_end;    /* file offset one past the body's final `end` */
    uint32_t nlocals;     /* declared locals, not counting parameters; their types
                           * are read from the body (wr_func_local_types) */
    uint32_t frame_slots; /* params + locals + operand depth, from validation */
    struct wr_code *code; /* owned; NULL until needed (wr_code_get) */
} wr_func_decl;

typedef struct wr_global_decl {
    wr_global_type type;
    bool imported;
    wr_constexpr init; /* defined globals */
} wr_global_decl;

typedef enum wr_seg_mode { WR_SEG_ACTIVE, WR_SEG_PASSIVE, WR_SEG_DECLARATIVE } wr_seg_mode;

typedef struct wr_elem_seg {
    wr_seg_mode mode;
    wr_valtype type; /* WR_FUNCREF or WR_EXTERNREF */
    uint32_t table;
    wr_constexpr offset;
    uint32_t count;
    wr_constexpr *items; /* owned; count entries (ref.func / ref.null / global.get) */
} wr_elem_seg;

typedef struct wr_data_seg {
    wr_seg_mode mode; /* ACTIVE or PASSIVE */
    uint32_t memory;
    wr_constexpr offset;
    uint32_t file_offset; /* of the data bytes in the module file */
    uint32_t len;
} wr_data_seg;

typedef struct wr_custom_section {
    char *name;           /* owned */
    uint32_t file_offset; /* of the contents (after the name) */
    uint32_t size;
} wr_custom_section;

struct wr_module {
    wr_store *store;
    const uint8_t *bytes; /* the file; nothing in the runtime writes to it */
    uint8_t *owned_bytes; /* bytes when wr_module_new copied them, else NULL
                           * (wr_module_new_static: the embedder's) */
    size_t len;

    uint32_t ntypes;
    wr_type *types;
    uint32_t nimports;
    wr_import *imports;
    uint32_t nfuncs, nfunc_imports; /* function index space */
    wr_func_decl *funcs;
    uint32_t ntables, ntable_imports;
    wr_table_type *tables;
    uint32_t nmems, nmem_imports;
    wr_limits *mems;
    uint32_t nglobals, nglobal_imports;
    wr_global_decl *globals;
    uint32_t ntags, ntag_imports;
    uint32_t *tags; /* each tag's function type index */
    uint32_t nexports;
    wr_export *exports;
    bool has_start;
    uint32_t start;
    uint32_t nelems;
    wr_elem_seg *elems;
    uint32_t ndatas;
    wr_data_seg *datas;
    bool has_datacount;
    uint32_t datacount;
    /* functions referenced outside function bodies (exports, elems, global
     * inits): the only ones ref.func may name inside a body (spec C.ref). */
    bool *func_declared; /* nfuncs entries */

    /* owned: the pc map and sync points of one normal translation, rebuilt
     * on demand (wr_code_ops_of); normal translations keep none */
    struct wr_ops *pc_cache;
    /* owned: the translator's working arrays while the bodies are validated
     * at load (wr_compile_function), then freed (wr_scratch_free) */
    wr_scratch *scratch;

    uint32_t code_section_offset; /* file offset of Code contents, 0 if none */
    uint32_t code_section_end;

    char *module_name;      /* from the name section, or NULL */
    uint32_t *func_name_at; /* nfuncs entries: file offset of each function's name
                             * (its length, then its bytes; validated), 0 for
                             * none; NULL if no name section */
    uint32_t ncustoms;
    wr_custom_section *customs;

    wr_module *next_in_store;
};

/* Decodes everything, validates all but function bodies, then calls
 * wr_compile_function for each defined function. On error fills err. */
wr_status wr_decode_module(wr_module *mod, wr_error *err);
/* Validates the body of defined function `func_index` (the translator's
 * measuring pass without the pc map, P_VALIDATE: nothing is kept but the
 * frame size in its wr_func_decl; its wr_code and translation are made at
 * the first need, wr_code_get). Needs everything but the code section
 * decoded. Keeps its working arrays in mod->scratch for the next body:
 * wr_scratch_free(mod) after the last. Errors name the "code" section and
 * file offset. */
wr_status wr_compile_function(wr_module *mod, uint32_t func_index, wr_error *err);
void wr_scratch_free(wr_module *mod);
/* A defined function's wr_code, made at the first need (a call to it
 * translated, a call through a wr_func, a breakpoint in it): a module of
 * many functions that never run costs only their wr_func_decls. NULL when
 * out of memory. */
struct wr_code *wr_code_get(wr_module *mod, uint32_t func_index);
/* Frees a function's wr_code and its translations (NULL is fine). */
void wr_code_free(struct wr_code *code);
/* A declared local's full value type (WR_VT_*: validation) */
#if WR_FEATURE_FUNCREFS
typedef uint32_t wr_ltype;
#else
typedef uint8_t wr_ltype;
#endif
/* The types of defined function d's declared locals (d->nlocals of them),
 * read from its body's local declarations (validated at load): into out
 * (d->nlocals entries, full wr_valtype values) when out is not NULL;
 * returns the run-time kind of local `want` (counted from the first
 * declared local), 0 past them. */
uint8_t wr_func_local_types(const wr_module *mod, const wr_func_decl *d, wr_ltype *out,
                            uint32_t want);
/* Frees the module's pc-map cache (wr_code_ops_of). */
void wr_pc_cache_free(wr_module *mod);

/* Frees everything a decoded (or partially decoded) module owns, not the
 * struct itself. */
void wr_module_release(wr_module *mod);

/* Records an error: status, section, file offset and a formatted message.
 * Returns status, so callers can write `return wr_fail(...)`. */
wr_status wr_fail(wr_error *err, wr_status status, const char *section, size_t offset,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* ---------------------------------------------------------- the store */

/* One per function of each instance (48 bytes on 64-bit hosts): the
 * instance's own are in its defined_funcs. */
struct wr_func {
    const wr_type *type; /* host functions own theirs */
    wr_instance *inst;   /* NULL for host functions */
    wr_host_fn host;     /* NULL for Wasm functions */
    uint32_t index;      /* index in inst->module's function space */
#ifdef WR_TRACE
    /* a host function that tells the trace every byte of memory it writes
     * (wr_trace_note_write): recording it costs those bytes, not a copy
     * and compare of memory 0 (WASI's; wr_trace.c). In the padding after
     * index on 64-bit hosts. */
    bool notes_writes;
#endif
    union {
        const wr_func_decl *decl; /* Wasm functions */
        struct {                  /* host functions (wr_linker_define_func) */
            void *host_user;
            wr_func *next_in_store;
        };
    };
};

struct wr_memory {
    uint8_t *data;
    uint64_t size; /* bytes */
    uint32_t pages, max_pages;
    bool has_max;
    wr_store *store;
    wr_memory *next_in_store;
};

/* A host-memory bound on one table's size (see table_fits, wr_instance.c). */
#define WR_MAX_TABLE_ELEMS 10000000u

struct wr_table {
    wr_store *store; /* whose table budget it counts against */
    wr_valtype elem;
    uint32_t size, max;
    bool has_max;
    void **elems; /* wr_func* for funcref, host pointer for externref; NULL = null */
    wr_table *next_in_store;
};

struct wr_global {
    wr_valtype type;
    bool mut;
    uint64_t bits; /* value as a raw slot (see wr_host_fn) */
#ifdef WR_FEATURE_SIMD
    uint64_t hi; /* a v128's upper 64 bits (bits, hi: the value's two slots) */
#endif
    wr_global *next_in_store;
};

/* An exception tag: its identity is the object (spec: a tag address). */
struct wr_tag {
    const wr_type *type; /* params: the payload; no results */
};

/* A thrown exception (an exnref is a pointer to one), in the store's list.
 * When the list has grown enough, a throw frees the ones nothing can reach
 * any more (wr_interp.c, exn_collect); those the host was given (pinned)
 * stay until the store is deleted. */
struct wr_exn {
    wr_tag *tag;
    wr_exn *next_in_store;
    uint32_t n;
    bool pinned;
    uint64_t vals[]; /* the payload, raw slots */
};

struct wr_instance {
    wr_store *store;
    wr_module *module;
    wr_func **funcs;        /* module->nfuncs entries */
    wr_func *defined_funcs; /* the functions it defines (funcs[nfunc_imports..]), one
                             * allocation, owned */
    wr_table **tables;
    wr_memory **mems;
    wr_global **globals;
    wr_tag **tags;        /* module->ntags entries */
    wr_tag *defined_tags; /* the tags it defines (tags[ntag_imports..]), owned */
    bool *elem_dropped;   /* module->nelems entries */
    bool *data_dropped;   /* module->ndatas entries */
    void *user;
    wr_instance *next_in_store;
};

typedef struct wr_linker_entry {
    char *module, *name;
    wr_extern ext;
} wr_linker_entry;

struct wr_linker {
    wr_store *store;
    uint32_t n, cap;
    wr_linker_entry *entries;
    wr_linker *next_in_store;
};

struct wr_interp; /* execution state: wr_interp.h */

struct wr_store {
    wr_config cfg;
    wr_module *modules;
    wr_instance *instances;
    wr_func *funcs;
    wr_memory *memories;
    wr_table *tables;
    wr_global *globals;
    wr_exn *exns;            /* the exceptions thrown and maybe reachable (wr_exn) */
    size_t nexns, exn_gc_at; /* their number; collect when it reaches exn_gc_at */
    wr_linker *linkers;
    int exit_code;
    uint64_t table_bytes; /* of all its tables' elements: bounded by the memory limit */
    wr_trap_info last_trap;
    struct wr_interp *interp; /* lazily created execution state */
    volatile int interrupt;   /* set by wr_store_interrupt */
    uint64_t fuel;            /* units left while WR_POLL_FUEL is set */
#ifdef WR_TRACE
    uint64_t fuel_reserve; /* wr_debug_alarm: fuel held back until fuel runs out */
#endif
    wr_service_fn service; /* wr_store_set_service */
    void *service_user;
    struct wr_trace *trace; /* recording or replaying host calls (wr_trace.c), or NULL */
#if WR_FEATURE_FUNCREFS
    /* the canonical rec groups of the modules loaded (wr_type_canon): each
     * group's key (words: see canon_key in wr_decode.c) and first id; a
     * hash table of group numbers + 1; each canonical type's supertype id + 1 */
    struct wr_canon_group *groups;
    uint32_t ngroups, gcap, *ghash, ghcap, *csuper, ncanon, csupcap;
#endif
};

/* Memory growth shared by memory.grow and the API: returns the old page count
 * or -1 when the limit or the store's memory limit forbids it. */
int64_t wr_memory_grow_pages(wr_memory *m, uint32_t delta);

/* Table growth shared by table.grow and the API: grows t by n elements set
 * to init; returns the old size, or -1 when its maximum, WR_MAX_TABLE_ELEMS
 * or the store's budget (the memory limit) forbids it or memory runs out. */
int64_t wr_table_grow_elems(wr_table *t, uint32_t n, void *init);

#if WR_FEATURE_FUNCREFS
/* Function type matching (Wasm 3.0): a is b or a subtype of it (for
 * plain types, structural equality as in Wasm 2.0). */
bool wr_type_match(const wr_store *s, const wr_type *a, const wr_type *b);
void wr_canon_free(wr_store *s);
/* Value type subtyping in mod (validation; full types, WR_VT_*). */
bool wr_vt_sub(const wr_module *mod, wr_valtype a, wr_valtype b);
#endif

/* Runs a function with raw slots (see wr_host_fn): args in slots[0..nparams),
 * results written to slots[0..nresults). Used by wr_func_call and for start
 * functions. Sets store->last_trap and err on a trap. */
wr_status wr_invoke(wr_func *f, uint64_t *slots, wr_error *err);

#endif
