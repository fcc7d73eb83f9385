/*
 * wdb runtime: a WebAssembly 2.0 interpreter with an embedding API.
 *
 * This is the only public header of runtime/. Everything lives in a store:
 * modules, instances and the memories, tables, globals and functions they
 * create or import. Destroying the store frees all of it. There is no global
 * mutable state: a process may hold any number of stores, and objects of one
 * store must never be used with another. A store is not thread safe; the only
 * call allowed from another thread is wr_store_interrupt().
 *
 * Prefix: wr_ (runtime).
 */
#ifndef WDB_RUNTIME_H
#define WDB_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wdb/wasm_traps.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct wr_store wr_store;
typedef struct wr_module wr_module;
typedef struct wr_instance wr_instance;
typedef struct wr_linker wr_linker;
typedef struct wr_func wr_func;
typedef struct wr_memory wr_memory;
typedef struct wr_table wr_table;
typedef struct wr_global wr_global;
typedef struct wr_tag wr_tag; /* an exception tag (exception handling) */
typedef struct wr_exn wr_exn; /* a thrown Wasm exception (an exnref) */

/* Outcome of every fallible call. WR_NOT_FOUND is a normal "no such thing"
 * answer for lookups, not an error. */
typedef enum wr_status {
    WR_OK = 0,
    WR_NOT_FOUND,
    WR_ERR_MALFORMED,  /* binary format error (decoding) */
    WR_ERR_INVALID,    /* validation error */
    WR_ERR_UNLINKABLE, /* an import could not be resolved or has the wrong type */
    WR_ERR_TRAP,       /* execution trapped: see wr_error.trap and wr_store_last_trap() */
    WR_ERR_EXIT,       /* the program asked to exit (WASI proc_exit): see wr_store_exit_code() */
    WR_ERR_NOMEM,      /* host allocation failed */
    WR_ERR_ARG,        /* bad argument from the embedder (wrong count or type of values...) */
    WR_ERR_LIMIT,      /* a configured limit was exceeded (memory limit at instantiation...) */
} wr_status;

/* Why execution trapped: the kinds of wdb/wasm_traps.h (WR_TRAP_UNREACHABLE,
 * WR_TRAP_MEMORY_OOB, ..., WR_TRAP_HOST: a host function failed, the
 * message says why). wr_trap_message() gives the spec's wording. */
typedef enum wr_trap_kind {
    WR_TRAP_NONE = 0,
#define WR_X(id, ...) WR_TRAP_##id,
    WASM_TRAPS(WR_X)
#undef WR_X
        WR_TRAP_KIND_COUNT
} wr_trap_kind;

/* The spec's message for a trap kind ("integer divide by zero", ...). */
const char *wr_trap_message(wr_trap_kind kind);
/* A short stable identifier for a trap kind ("unreachable", "div_by_zero", ...). */
const char *wr_trap_name(wr_trap_kind kind);

/* Fixed-width SIMD (v128 values, the 0xfd instructions): on, unless the
 * build defines WR_NO_SIMD (the firmware does, for flash).
 * It changes wr_val, so the runtime and its embedders must agree: this
 * header decides for both. */
#if !defined(WR_NO_SIMD) && !defined(WR_FEATURE_SIMD)
#define WR_FEATURE_SIMD 1
#endif

typedef enum wr_valtype {
    WR_I32 = 0x7f,
    WR_I64 = 0x7e,
    WR_F32 = 0x7d,
    WR_F64 = 0x7c,
    WR_V128 = 0x7b,
    WR_FUNCREF = 0x70,
    WR_EXTERNREF = 0x6f,
    WR_EXNREF = 0x69, /* exception handling (a runtime built with WR_FEATURE_EH) */
} wr_valtype;

/* A typed value. Floats are carried as bits (u32/u64) so NaN payloads
 * survive; f32/f64 alias them for convenience. A null reference is NULL.
 * A v128 (builds with WR_FEATURE_SIMD, see above) is 16 bytes in memory
 * order (lane 0 first, little-endian lanes). */
typedef struct wr_val {
    wr_valtype type;
    union {
        uint32_t u32;
        uint64_t u64;
        int32_t i32;
        int64_t i64;
        float f32;
        double f64;
        wr_func *func; /* WR_FUNCREF */
        void *ext;     /* WR_EXTERNREF: an opaque host value */
        wr_exn *exn;   /* WR_EXNREF: a Wasm exception, valid while the store lives */
#ifdef WR_FEATURE_SIMD
        uint8_t v128[16]; /* WR_V128 */
#endif
    } of;
} wr_val;

/* A function type. Arrays are owned by whoever built the type (the module
 * for types returned by the runtime). */
typedef struct wr_functype {
    uint32_t nparams;
    uint32_t nresults;
    const wr_valtype *params;
    const wr_valtype *results;
} wr_functype;

typedef enum wr_extern_kind {
    WR_EXTERN_FUNC = 0,
    WR_EXTERN_TABLE = 1,
    WR_EXTERN_MEMORY = 2,
    WR_EXTERN_GLOBAL = 3,
    WR_EXTERN_TAG = 4, /* an exception tag (exception handling) */
} wr_extern_kind;

typedef struct wr_extern {
    wr_extern_kind kind;
    union {
        wr_func *func;
        wr_table *table;
        wr_memory *memory;
        wr_global *global;
        wr_tag *tag;
    } of;
} wr_extern;

/* Details of a failure. `section` names the module section being decoded
 * ("code", "import", ...) or is NULL; `offset` is the byte offset in the
 * module file where decoding or validation failed (valid when section is set).
 * `trap` is set when status is WR_ERR_TRAP. */
typedef struct wr_error {
    wr_status status;
    wr_trap_kind trap;
    const char *section;
    size_t offset;
    char msg[256];
} wr_error;

/* ---------------------------------------------------------------- store */

typedef struct wr_config {
    size_t value_stack_bytes;  /* locals+operand stack per store; 0 = 8 MiB */
    uint32_t max_call_depth;   /* 0 = 65536 frames */
    uint64_t max_memory_bytes; /* upper bound for any linear memory, and for the
                                * store's tables together (a pointer an
                                * element); 0 = 4 GiB */
} wr_config;

/* Creates a store. cfg may be NULL for defaults; it is copied. */
wr_store *wr_store_new(const wr_config *cfg);
/* Frees the store and every object created in it. */
void wr_store_free(wr_store *store);

/* The exit code passed to proc_exit after a call returned WR_ERR_EXIT. */
int wr_store_exit_code(const wr_store *store);

/* Asks the running code of this store to stop at the next function entry or
 * loop back-edge with WR_ERR_TRAP/WR_TRAP_HOST "interrupted", or, when a debug
 * hook is set, to report WR_DEBUG_STOP_INTERRUPT to it. Safe to call from
 * another thread or a signal handler. */
void wr_store_interrupt(wr_store *store);
/* Drops an interrupt asked for with wr_store_interrupt() and not taken yet.
 * For a debug hook reporting another stop: that stop answers the request,
 * and an interrupt left pending would stop the program again, unasked, after
 * it resumes. */
void wr_store_cancel_interrupt(wr_store *store);

/* Service: how an embedder without threads runs its own work (serving a
 * debugger's channel) on the program's thread while the program runs.
 * wr_store_request_service() is safe from an interrupt or signal handler:
 * it makes the next poll point (a function entry or loop head) call
 * fn(store, user) once, on the program's thread. fn may call
 * wr_store_interrupt() (the same poll then stops the program) but must not
 * call into Wasm. It costs nothing while no service is requested. */
typedef void (*wr_service_fn)(wr_store *store, void *user);
void wr_store_set_service(wr_store *store, wr_service_fn fn, void *user);
void wr_store_request_service(wr_store *store);

/* Fuel: a deterministic bound on what the store's code runs. Every function
 * entry and every loop iteration (the places the store polls) uses one unit;
 * with none left the running call traps with WR_TRAP_HOST "out of fuel".
 * 0 (the default) means no bound. Set it between calls, not from another
 * thread while one runs (wr_store_interrupt is for that). wr_store_fuel:
 * the units left (0 when unbounded or used up). */
void wr_store_set_fuel(wr_store *store, uint64_t fuel);
uint64_t wr_store_fuel(const wr_store *store);

/* --------------------------------------------------------------- module */

/* Decodes, validates and prepares a module. The bytes are copied: they need
 * not outlive the call. The module belongs to the store. On failure *out is
 * NULL and err (if not NULL) says what and where. */
wr_status wr_module_new(wr_store *store, const uint8_t *bytes, size_t len, wr_module **out,
                        wr_error *err);

/* The same without the copy, for bytes in read-only memory (a module linked
 * into a device's flash): the module keeps a pointer to them. The caller
 * must keep the bytes alive and unchanged for the module's lifetime (until
 * wr_store_free); the runtime never writes to them and never frees them. */
wr_status wr_module_new_static(wr_store *store, const uint8_t *bytes, size_t len, wr_module **out,
                               wr_error *err);

/* The module's file bytes as loaded (owned by the module, or the caller's
 * after wr_module_new_static). */
const uint8_t *wr_module_bytes(const wr_module *mod, size_t *len);

typedef struct wr_import_desc {
    const char *module; /* owned by the module */
    const char *name;
    wr_extern_kind kind;
    const wr_functype *functype; /* WR_EXTERN_FUNC: the type it must have (owned by
                                  * the module); NULL for other kinds */
} wr_import_desc;
typedef struct wr_export_desc {
    const char *name; /* owned by the module */
    wr_extern_kind kind;
    uint32_t index;
} wr_export_desc;

uint32_t wr_module_import_count(const wr_module *mod);
wr_status wr_module_import(const wr_module *mod, uint32_t i, wr_import_desc *out);
uint32_t wr_module_export_count(const wr_module *mod);
wr_status wr_module_export(const wr_module *mod, uint32_t i, wr_export_desc *out);

/* Number of functions (imported ones first, as in the function index space). */
uint32_t wr_module_func_count(const wr_module *mod);
/* The function's name from the `name` custom section, or NULL: *len bytes
 * of valid UTF-8 in the module's bytes (wr_module_bytes), not
 * NUL-terminated, as long as the module lives. */
const char *wr_module_func_name(const wr_module *mod, uint32_t func_index, size_t *len);
/* Code offsets (from the start of the Code section's contents, the DWARF
 * convention) of a defined function's body: [start, end). start is the
 * offset of the body's size field. WR_NOT_FOUND for imported functions. */
wr_status wr_module_func_range(const wr_module *mod, uint32_t func_index, uint32_t *start,
                               uint32_t *end);
/* File offset of the Code section's contents (0 if there is none). */
uint32_t wr_module_code_section_offset(const wr_module *mod);
/* The function containing a code offset, or WR_NOT_FOUND. */
wr_status wr_module_func_at(const wr_module *mod, uint32_t code_offset, uint32_t *func_index);

/* --------------------------------------------------------------- linker */

/* A host function. args and results are raw 64-bit slots in the order of the
 * function type: i32 zero-extended, f32/f64 as bits, references as pointers.
 * Return WR_OK, or the value of wr_trap_host()/wr_exit(). `caller` is the
 * instance whose code made the call (its memory 0 is the usual target). */
typedef wr_status (*wr_host_fn)(wr_instance *caller, void *user, const uint64_t *args,
                                uint64_t *results);

/* Makes a trap from inside a host function: returns WR_ERR_TRAP to be
 * returned by the host function. */
wr_status wr_trap_host(wr_instance *caller, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Ends the program from inside a host function (WASI proc_exit): returns
 * WR_ERR_EXIT to be returned by the host function. */
wr_status wr_exit(wr_instance *caller, int code);

/* For a host function that waits (a sleep, a read from a terminal): call it
 * between bounded waits, on the program's thread. It takes what a poll point
 * of the calling code would take while the program sits in the call: the
 * service (wr_store_request_service) and an interrupt, which stops in the
 * debug hook (WR_DEBUG_INTERRUPT) with the Wasm frame that made the call on
 * top; when the hook resumes, this returns and the call goes on waiting, so
 * a sleep still ends at its deadline and a read still gets the bytes. It
 * uses no fuel. Returns WR_OK to wait on, or the status the host function
 * must return at once: a trap, "interrupted" (wr_store_interrupt without a
 * hook) or "killed by the debugger" (WR_DEBUG_KILL). A stepping request
 * made at that stop is taken at the caller's next poll point or return. */
wr_status wr_host_poll(wr_instance *caller);

/* A linker maps (module, name) to externs. It belongs to the store. */
wr_linker *wr_linker_new(wr_store *store);
/* Defines a host function. params/results are type strings, one letter per
 * value: i=i32 I=i64 f=f32 F=f64 r=funcref e=externref (e.g. "iiii", "i"). */
wr_status wr_linker_define_func(wr_linker *l, const char *module, const char *name,
                                const char *params, const char *results, wr_host_fn fn, void *user);
wr_status wr_linker_define(wr_linker *l, const char *module, const char *name,
                           const wr_extern *ext);
/* Makes every export of inst importable under `module`. */
wr_status wr_linker_define_instance(wr_linker *l, const char *module, wr_instance *inst);

/* ------------------------------------------------------------- instance */

/* Instantiates mod: resolves imports through l (may be NULL when there are
 * none), allocates memories/tables/globals, applies segments and runs the
 * start function. A trap in the start function returns WR_ERR_TRAP; the
 * effects of segments applied before it stay (spec 2.0). */
wr_status wr_instance_new(wr_store *store, wr_module *mod, wr_linker *l, wr_instance **out,
                          wr_error *err);
/* wr_instance_new without running the start function, for an embedder that
 * must see the instance before any of its code runs (a debugger that stops
 * at the first instruction, also of a start function that never returns).
 * *out is the instance, owned by the store; call wr_instance_start next. */
wr_status wr_instance_new_unstarted(wr_store *store, wr_module *mod, wr_linker *l,
                                    wr_instance **out, wr_error *err);
/* Runs the start function of an instance made by wr_instance_new_unstarted
 * (WR_OK when the module has none). Call it once. */
wr_status wr_instance_start(wr_instance *inst, wr_error *err);
wr_module *wr_instance_module(const wr_instance *inst);
/* Looks up an export by name: WR_OK or WR_NOT_FOUND. */
wr_status wr_instance_export(wr_instance *inst, const char *name, wr_extern *out);
/* The same for a name of `len` bytes: Wasm names are any UTF-8 string, and
 * may contain U+0000. */
wr_status wr_instance_export_n(wr_instance *inst, const char *name, size_t len, wr_extern *out);
/* The instance's memory `index` (imported ones first) or NULL. */
wr_memory *wr_instance_memory(wr_instance *inst, uint32_t index);
wr_global *wr_instance_global(wr_instance *inst, uint32_t index);
uint32_t wr_instance_global_count(const wr_instance *inst);
/* The embedder's pointer attached to an instance (e.g. the WASI context). */
void wr_instance_set_user(wr_instance *inst, void *user);
void *wr_instance_user(const wr_instance *inst);

/* ----------------------------------------------------------- functions */

const wr_functype *wr_func_type(const wr_func *f);
/* Calls f. args must match the parameter types; results receives
 * nresults values. On a trap: WR_ERR_TRAP, err->trap and err->msg set. */
wr_status wr_func_call(wr_func *f, const wr_val *args, size_t nargs, wr_val *results,
                       size_t nresults, wr_error *err);

/* ------------------------------------------------------------- memories */

/* Creates a memory outside any instance (for a host "spectest" module). */
wr_memory *wr_memory_new(wr_store *store, uint32_t min_pages, uint32_t max_pages, bool has_max);
uint8_t *wr_memory_data(wr_memory *m);
uint64_t wr_memory_size(const wr_memory *m); /* in bytes */
/* Grows by delta pages; *old_pages receives the previous size. WR_ERR_LIMIT
 * when the maximum or the configured memory limit would be exceeded. */
wr_status wr_memory_grow(wr_memory *m, uint32_t delta, uint32_t *old_pages);

wr_table *wr_table_new(wr_store *store, wr_valtype elem, uint32_t min, uint32_t max, bool has_max);
uint32_t wr_table_size(const wr_table *t);

wr_global *wr_global_new(wr_store *store, const wr_val *init, bool mutable_);
void wr_global_get(const wr_global *g, wr_val *out);
/* WR_ERR_ARG for an immutable global or a value of the wrong type. */
wr_status wr_global_set(wr_global *g, const wr_val *v);

/* ---------------------------------------------------------------- traps */

/* Frames a trap keeps (wr_trap_info; nframes_total counts them all): 64 on
 * 64-bit hosts, 20 on 32-bit targets, where the store's RAM counts and a
 * trap report shows 20. Build the runtime and its users alike. */
/* Watchpoints a store holds at once (wr_debug_watch_set answers
 * WR_ERR_LIMIT past them): 32 on 64-bit hosts, 8 on 32-bit targets, where
 * each costs RAM in the runtime and the debug engine. */
#if UINTPTR_MAX > 0xffffffffu
#define WR_MAX_WATCHPOINTS 32
#else
#define WR_MAX_WATCHPOINTS 8
#endif

#ifndef WR_TRAP_MAX_FRAMES
#if UINTPTR_MAX > 0xffffffffu
#define WR_TRAP_MAX_FRAMES 64
#else
#define WR_TRAP_MAX_FRAMES 20
#endif
#endif

/* One activation on the Wasm call stack. code_offset is the DWARF-convention
 * offset of the instruction executing (innermost frame) or of the call
 * instruction (outer frames). */
typedef struct wr_frame_info {
    wr_instance *inst;
    uint32_t func_index;
    uint32_t code_offset;
} wr_frame_info;

/* The last trap of the store: kind, message and the call stack at the trap,
 * innermost first (at most WR_TRAP_MAX_FRAMES kept; nframes_total counts all). */
typedef struct wr_trap_info {
    wr_trap_kind kind;
    char msg[256];
    uint32_t nframes;
    uint32_t nframes_total;
    wr_frame_info frames[WR_TRAP_MAX_FRAMES];
} wr_trap_info;

const wr_trap_info *wr_store_last_trap(const wr_store *store);

/* ----------------------------------------------------------------- WASI */

/* wasi_snapshot_preview1 (the witx definitions of WASI preview 1), enough for
 * programs built with wasi-libc. A wr_wasi holds one program's view of the
 * world: arguments, environment, and a table of file descriptors (0, 1, 2 are
 * the stdio fds lent by the embedder, preopened directories follow from 3,
 * then files the program opens).
 *
 * Sandbox: the preopened directories are the only roots. A guest path is
 * always resolved relative to a directory fd and never leaves it: absolute
 * paths are refused, `..` cannot climb above that directory, and symbolic
 * links are resolved by the runtime itself, one component at a time, under
 * the same rules (a link pointing outside is refused with ENOTCAPABLE). */
typedef struct wr_wasi wr_wasi;

typedef struct wr_wasi_preopen {
    const char *host_path;  /* a directory on the host */
    const char *guest_path; /* the name the guest sees ("/data", "."); NULL = host_path */
} wr_wasi_preopen;

/* Everything is copied by wr_wasi_new: the config need not outlive the call.
 * The stdio fds are lent, not given: wr_wasi never closes them (a guest's
 * fd_close only forgets them). A negative fd leaves that guest fd closed. */
typedef struct wr_wasi_config {
    int argc;
    const char *const *argv; /* argv[0] is the program name */
    int envc;
    const char *const *envp; /* "NAME=VALUE" strings */
    uint32_t npreopens;
    const wr_wasi_preopen *preopens;
    int stdin_fd, stdout_fd, stderr_fd; /* host fds for guest fds 0, 1, 2 */
} wr_wasi_config;

/* Fills cfg with an empty program (no args, env or preopens) using the
 * process's own stdio fds 0, 1, 2. Call it first, then set what you need. */
void wr_wasi_config_init(wr_wasi_config *cfg);
/* Creates a WASI context: opens the preopened directories. On failure
 * (WR_ERR_ARG: a directory cannot be opened or an env string has no '=';
 * WR_ERR_NOMEM) *out is NULL and errbuf (if not NULL) says why. */
wr_status wr_wasi_new(const wr_wasi_config *cfg, wr_wasi **out, char *errbuf, size_t errlen);
/* Closes every fd the context opened (not the lent stdio fds) and frees it.
 * NULL is fine. Call it only after the store using it is done running code. */
void wr_wasi_free(wr_wasi *w);
/* Whether the program was refused something outside its sandbox (WASI
 * errno ENOTCAPABLE), for a hint after a run that failed: *path is the
 * first path the runtime refused (`..` above a preopened directory, an
 * absolute symbolic link), as the program named it (owned by w), or NULL
 * when the runtime refused none itself but the program wrote wasi-libc's
 * text for that errno, "Capabilities insufficient", to its stdout or
 * stderr: wasi-libc refuses a path under no preopened directory without
 * asking the runtime, and perror and strerror then say so. */
bool wr_wasi_denied(const wr_wasi *w, const char **path);
/* Defines every wasi_snapshot_preview1 function in l. The functions keep a
 * pointer to w: w must outlive every instance linked through l. They act on
 * the calling instance's memory 0; a pointer outside it gives the guest
 * errno EFAULT, never a trap. proc_exit returns wr_exit(caller, code). */
wr_status wr_wasi_define(wr_wasi *w, wr_linker *l);

/* ---------------------------------------------------- record and replay
 *
 * Host builds only (the firmware leaves it out). A trace holds everything
 * a run got from its host functions (docs/TRACE.md): recording writes it
 * while the store runs; replaying runs the same module again from it
 * without calling any host function, so the run is the same even where
 * the host is not (files gone, another clock). Start either after
 * wr_module_new and before any code of the module runs, and end it with
 * wr_trace_finish after the run. While a trace is active the store counts
 * its poll points with fuel (UINT64_MAX units when none was set).
 * Only calls from Wasm code are traced, not wr_func_call of a host
 * function. */

/* Starts recording the store's host calls into file `path` for module mod.
 * WR_ERR_ARG (cannot write it) or WR_ERR_NOMEM, with errbuf saying why. */
wr_status wr_trace_record(wr_store *store, wr_module *mod, const char *path, char *errbuf,
                          size_t errlen);
/* Starts replaying trace file `path`, which must be of module mod (its size
 * and hash), of this format version and whole: WR_ERR_MALFORMED otherwise,
 * with one line in errbuf saying what is wrong and where. */
wr_status wr_trace_replay(wr_store *store, wr_module *mod, const char *path, char *errbuf,
                          size_t errlen);
/* Ends the store's trace (WR_OK when there is none). `run` is the status of
 * the run (the last wr_func_call or wr_instance_*). Recording: writes the
 * outcome; WR_ERR_ARG when the file could not be written. Replaying:
 * WR_ERR_ARG with a one-line message when the run diverged from the trace
 * (a call other than recorded, or another end); a call that diverged made
 * the run trap with the same message. */
wr_status wr_trace_finish(wr_store *store, wr_status run, char *errbuf, size_t errlen);
/* Starts recording like wr_trace_record, into memory only (path NULL is
 * the same): what reverse execution replays from (wdb-run -g). */
wr_status wr_trace_record_memory(wr_store *store, wr_module *mod, char *errbuf, size_t errlen);
/* Whether the store records or replays a trace. */
bool wr_trace_active(const wr_store *store);

/* ------------------------------------------------------------ debugging
 *
 * The interpreter is always debuggable. A debugger (the debug engine) sets a
 * hook on the store; the interpreter calls it on the thread running the code
 * whenever execution stops: at a breakpoint, after a step, on an interrupt,
 * on a trap (before unwinding), on a watchpoint hit, and on entry when asked.
 * While the hook runs, the program is paused and the wr_debug_* inspection
 * calls are valid; the hook says how to resume in `resume`.
 *
 * Cost: breakpoints and stepping cost nothing in functions that have none;
 * a function with a breakpoint, or being stepped through, runs its debug
 * translation (a check before every instruction). Watchpoints switch every
 * function to its debug translation while any is set.
 */

typedef enum wr_debug_reason {
    WR_DEBUG_ENTRY = 0,  /* before the first instruction (wr_debug_stop_at_entry) */
    WR_DEBUG_BREAKPOINT, /* at a breakpoint, before the instruction runs */
    WR_DEBUG_STEP,       /* a step finished */
    WR_DEBUG_INTERRUPT,  /* wr_store_interrupt() while a hook is set */
    WR_DEBUG_TRAP,       /* the program trapped; it unwinds when the hook returns */
    WR_DEBUG_WATCH,      /* a watched memory range was accessed (after the access) */
} wr_debug_reason;

typedef enum wr_watch_kind {
    WR_WATCH_WRITE = 1,
    WR_WATCH_READ = 2,
    WR_WATCH_ACCESS = 3,
} wr_watch_kind;

typedef struct wr_debug_event {
    wr_debug_reason reason;
    wr_trap_kind trap;    /* WR_DEBUG_TRAP */
    const char *trap_msg; /* WR_DEBUG_TRAP; valid during the hook */
    uint64_t watch_addr;  /* WR_DEBUG_WATCH: the watchpoint's address */
    uint32_t watch_len;
    wr_watch_kind watch_kind; /* the kind of the access that hit */
    bool alarm;               /* WR_DEBUG_INTERRUPT from wr_debug_alarm (host builds) */
} wr_debug_event;

typedef enum wr_debug_action {
    WR_DEBUG_CONTINUE = 0,
    WR_DEBUG_STEP_INSN,      /* stop before the next instruction, entering calls */
    WR_DEBUG_STEP_OVER_INSN, /* stop before the next instruction of this frame or a caller */
    WR_DEBUG_STEP_RANGE,     /* run while the pc stays in [range_start, range_end) in this
                              * frame (calls run at full speed); stop when it leaves the
                              * range or the frame returns */
    WR_DEBUG_STEP_OUT,       /* stop right after the current frame returns */
    WR_DEBUG_KILL,           /* end the program: the call returns WR_ERR_TRAP "killed" */
} wr_debug_action;

/* A step in progress ends when the call into Wasm that runs it returns to
 * the embedder (or traps): it never stops a later call. */
typedef struct wr_debug_resume {
    wr_debug_action action;
    uint32_t range_start, range_end; /* code offsets, WR_DEBUG_STEP_RANGE */
} wr_debug_resume;

typedef void (*wr_debug_hook)(wr_store *store, const wr_debug_event *ev, wr_debug_resume *resume,
                              void *user);

/* Sets (or with NULL removes) the store's debug hook. */
void wr_debug_set_hook(wr_store *store, wr_debug_hook hook, void *user);
/* Makes the next call into Wasm stop with WR_DEBUG_ENTRY before its first
 * instruction. */
void wr_debug_stop_at_entry(wr_store *store, bool on);

/* Breakpoints are per module (all instances of it). code_offset must be an
 * instruction boundary inside a function body; wr_debug_insn_at() resolves
 * any offset to one. WR_ERR_ARG otherwise. Setting one twice is fine. */
wr_status wr_debug_break_set(wr_store *store, wr_module *mod, uint32_t code_offset);
wr_status wr_debug_break_clear(wr_store *store, wr_module *mod, uint32_t code_offset);
/* The first instruction boundary at or after code_offset in the same
 * function (WR_NOT_FOUND outside function bodies or past the last one). */
wr_status wr_debug_insn_at(wr_store *store, wr_module *mod, uint32_t code_offset,
                           uint32_t *insn_offset);

/* Watchpoints on the linear memory 0 of the instance being debugged
 * (at most 32 at once). */
wr_status wr_debug_watch_set(wr_store *store, uint64_t addr, uint32_t len, wr_watch_kind kind);
wr_status wr_debug_watch_clear(wr_store *store, uint64_t addr, uint32_t len, wr_watch_kind kind);

/* Inspection, valid only inside the hook. Frame 0 is the innermost. */
uint32_t wr_debug_frame_count(wr_store *store);
wr_status wr_debug_frame(wr_store *store, uint32_t frame, wr_frame_info *out);
/* Locals (params first) with their declared types. */
uint32_t wr_debug_local_count(wr_store *store, uint32_t frame);
wr_status wr_debug_local(wr_store *store, uint32_t frame, uint32_t index, wr_val *out);
wr_status wr_debug_set_local(wr_store *store, uint32_t frame, uint32_t index, const wr_val *v);
/* The frame's operand stack: index 0 is the bottom (the oldest value).
 * Types are not tracked at run time: values come back as raw i64 bits. */
uint32_t wr_debug_stack_depth(wr_store *store, uint32_t frame);
wr_status wr_debug_stack_value(wr_store *store, uint32_t frame, uint32_t index, wr_val *out);

/* ---------------------------------------------------- reverse execution
 *
 * Host builds only (WR_TRACE; docs/TRACE.md "Reverse execution"). Needs an
 * active trace (its poll count is the position's clock and its log makes
 * host calls replayable). Every call is valid only inside the hook, at a
 * stop other than a trap.
 *
 * Position: (poll count, call depth, code offset). Between two poll points
 * there is no back-edge and every call polls at its entry, so at one depth
 * the pc only grows while the count stays: the triple names one point of
 * the run. */
typedef struct wr_position {
    uint64_t count;  /* poll points so far (the trace's clock) */
    uint32_t depth;  /* call-stack entries (wr_interp_depth) */
    uint32_t offset; /* code offset of the instruction about to run */
} wr_position;
wr_status wr_debug_position(wr_store *store, wr_position *out);
/* Makes the poll point that brings the count to `count` (> now) stop with
 * WR_DEBUG_INTERRUPT and ev.alarm set; 0 cancels. One alarm at a time. */
wr_status wr_debug_alarm(wr_store *store, uint64_t count);

/* A snapshot of the whole execution state at a stop: frames and operand
 * stack, memories (4 KiB pages; pages equal to `prev`'s are shared with
 * it), globals, tables, dropped segments, fuel and the trace's place.
 * *acct counts the bytes snapshots hold: each adds what it allocates, and
 * wr_snapshot_free takes off what it frees (the same counter for all). */
typedef struct wr_snapshot wr_snapshot;
wr_snapshot *wr_debug_snapshot(wr_store *store, const wr_snapshot *prev, size_t *acct);
/* Puts the store back into snapshot s (taken in the same wr_invoke): when
 * the hook returns the program runs on from there, its host calls replayed
 * from the trace until the end of what it recorded. */
wr_status wr_debug_restore(wr_store *store, const wr_snapshot *s);
const wr_position *wr_snapshot_position(const wr_snapshot *s);
/* Bytes [addr, addr + len) of memory m as the snapshot holds them. */
wr_status wr_snapshot_read(const wr_snapshot *s, const wr_memory *m, uint64_t addr, void *buf,
                           size_t len);
/* Sets the watchpoints aside (pause) or back: a re-execution that knows the
 * watched bytes do not change runs without their per-instruction checks. */
wr_status wr_debug_watch_pause(wr_store *store, bool pause);
void wr_snapshot_free(wr_snapshot *s);

#ifdef __cplusplus
}
#endif
#endif
