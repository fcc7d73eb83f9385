/*
 * wb_core: a reader of WebAssembly core dump files, in the format of the
 * WebAssembly tool-conventions (Coredump.md, latest revision: with the
 * `coremodules` and `coreinstances` sections and an instance index in every
 * frame), plus two optional sections only wdb's runtime writes
 * (`wdb.module`, `wdb.trap`).
 *
 * A core dump is a Wasm module that is never instantiated:
 *   - custom `core`: 0x00 executable-name:name (exactly once, required);
 *   - custom `coremodules`: vec(0x00 name) (at most once; absent in cores
 *     from older writers: then there is one module, named by `core`);
 *   - custom `coreinstances`: vec(0x00 moduleidx memories:vec(u32)
 *     globals:vec(u32)) (at most once; absent: one instance, of module 0,
 *     owning every memory and every global of the file in index order);
 *   - custom `corestack`, one per thread: 0x00 thread-name:name vec(frame),
 *     frame ::= 0x00 instanceidx funcidx codeoffset locals:vec(value)
 *     stack:vec(value), youngest frame first. Older writers leave out
 *     instanceidx; see "frame formats" below;
 *   - the Memory section gives each memory's size (its minimum), the Data
 *     section's active segments its captured contents (bytes no segment
 *     covers read as zero: a partial core may capture only some ranges);
 *   - the Global section holds each global's value as a constant.
 *
 * Frame formats: a `corestack` section is parsed both with and without
 * instance indices. A parse counts only if it consumes the section exactly
 * and (with indices) every index names an existing instance. If both
 * parses count, the format with indices wins when the file has a
 * `coreinstances` section and the older one wins otherwise (writers that
 * know about instances write that section). If neither counts, the error
 * of the format the same rule prefers is reported.
 *
 * Everything is bounded by the file: counts are checked against the bytes
 * left before anything is allocated, LEB128 integers against their width,
 * and a memory's contents are never materialised (a 4 GiB memory with a
 * few segments costs the segments' bytes, which stay in the file buffer).
 * Malformed input gives WB_ERROR with a message naming the section and the
 * file offset, never a crash. Sections that may appear only once (`core`,
 * `coremodules`, `coreinstances`, `wdb.module`, `wdb.trap` and the
 * standard sections) are an error when repeated. Data segments that
 * overlap, extend beyond their memory's size or use an offset expression
 * other than i32.const (i64.const for a 64-bit memory) are errors too.
 *
 * Lifetimes: every string, frame and value array returned lives until
 * wb_core_close. A handle is immutable after opening: queries may run from
 * several threads at once.
 */
#ifndef WB_CORE_H
#define WB_CORE_H

#include "wb_common.h"
#include "wdb/coredump.h" /* the format's constants (its one home) */

#include <stdbool.h>

typedef struct wb_core wb_core;

/* Value types (`type` of wb_core_value). The numeric ones are the Wasm
 * valtype bytes, as the format encodes them; WB_CORE_MISSING is the
 * format's "no value" (optimised out by the engine). */
enum {
    WB_CORE_I32 = WCD_VAL_I32,
    WB_CORE_I64 = WCD_VAL_I64,
    WB_CORE_F32 = WCD_VAL_F32,
    WB_CORE_F64 = WCD_VAL_F64,
    WB_CORE_MISSING = WCD_VAL_MISSING,
    /* globals only: reference types. bits is the function index of a
     * ref.func, WB_CORE_NULL_REF for ref.null. */
    WB_CORE_FUNCREF = WCD_VAL_FUNCREF,
    WB_CORE_EXTERNREF = WCD_VAL_EXTERNREF,
};
#define WB_CORE_NULL_REF UINT64_MAX

/* A value. bits: i32 and f32 in the low 32 bits (zero-extended; f32 as its
 * IEEE bit pattern), i64 and f64 in all 64; 0 when missing. v128 globals
 * and globals of GC reference types read as WB_CORE_MISSING. */
typedef struct wb_core_value {
    uint8_t type;
    uint64_t bits;
} wb_core_value;

typedef struct wb_core_frame {
    uint32_t instance;    /* index into the core's instances (0 for frames
                             in the older format) */
    uint32_t func;        /* function index in that instance's module */
    uint32_t code_offset; /* of the instruction, from the start of the
                             function's body (its size field excluded: the
                             local declarations are at offset 0) */
    size_t nlocals;
    const wb_core_value *locals; /* parameters first, as the format has them */
    size_t nstack;
    const wb_core_value *stack; /* operand stack, bottom first */
} wb_core_frame;

/* Reads the core dump in `path`. On WB_OK *out owns a copy of the file;
 * free it with wb_core_close. On WB_ERROR err says why, file errors
 * included, and *out is NULL. */
wb_status wb_core_open_file(const char *path, wb_core **out, wb_error *err);

/* Same over bytes in memory; the bytes are copied. */
wb_status wb_core_open_bytes(const uint8_t *data, size_t size, wb_core **out, wb_error *err);

/* Frees everything; every pointer obtained from `c` becomes invalid. NULL is
 * accepted. */
void wb_core_close(wb_core *c);

/* The executable name of the `core` section. */
const char *wb_core_executable(const wb_core *c);
/* The program's command line from `wdb.args` (its arguments as it saw
 * them, argv[0] first, joined by spaces as gdb shows a core's), or NULL
 * for a core without that section (an older wdb's, another runtime's). */
const char *wb_core_command(const wb_core *c);

/* Modules (from `coremodules`, or the one named by `core`) and instances
 * (from `coreinstances`, or the one owning everything). Out-of-range
 * indices give NULL / UINT32_MAX. */
size_t wb_core_module_count(const wb_core *c);
const char *wb_core_module_name(const wb_core *c, size_t module);
size_t wb_core_instance_count(const wb_core *c);
uint32_t wb_core_instance_module(const wb_core *c, size_t instance);

/* Threads, one per `corestack` section in file order, and their frames,
 * youngest first. A bad thread or frame index gives NULL / 0. */
size_t wb_core_thread_count(const wb_core *c);
const char *wb_core_thread_name(const wb_core *c, size_t thread);
size_t wb_core_frame_count(const wb_core *c, size_t thread);
/* (Not `wb_core_frame`: that is the type's name.) */
const wb_core_frame *wb_core_frame_at(const wb_core *c, size_t thread, size_t i);

/* Memories of an instance (`memory` is the instance's own memory index).
 * wb_core_memory_size gives WB_NOT_FOUND for a bad instance or memory. */
uint32_t wb_core_memory_count(const wb_core *c, uint32_t instance);
wb_status wb_core_memory_size(const wb_core *c, uint32_t instance, uint32_t memory, uint64_t *size);

/* Copies [addr, addr + len) of an instance's memory into buf: captured
 * bytes from the data segments, zeros elsewhere. WB_ERROR "Cannot access
 * memory at address 0xADDR" when the range goes beyond the memory's size
 * (nothing is copied), WB_NOT_FOUND for a bad instance or memory index. */
wb_status wb_core_read_memory(const wb_core *c, uint32_t instance, uint32_t memory, uint64_t addr,
                              void *buf, size_t len, wb_error *err);

/* How many bytes of [addr, addr + len) the core captured (a partial core
 * may not have them all; the others read as zero). 0 for bad indices. */
uint64_t wb_core_memory_captured(const wb_core *c, uint32_t instance, uint32_t memory,
                                 uint64_t addr, uint64_t len);

/* Globals of an instance (`index` is the instance's own global index).
 * wb_core_global gives WB_NOT_FOUND for a bad instance or index. */
uint32_t wb_core_global_count(const wb_core *c, uint32_t instance);
wb_status wb_core_global(const wb_core *c, uint32_t instance, uint32_t index, wb_core_value *out);

/* The `wdb.module` identity of the module that ran: its file size and the
 * FNV-1a-64 of its bytes. False when the section is absent (or of a
 * version this reader does not know: the section starts with a version
 * number, 1 today). */
bool wb_core_module_identity(const wb_core *c, uint64_t *size, uint64_t *fnv1a);

/* The `wdb.trap` message, or NULL without that section; wb_core_trap also
 * gives the trap kind (a wcd_trap_kind: the runtime's trap code). Kind
 * WCD_TRAP_NONE is not a trap: a core saved by `gcore` while the program
 * was stopped (at a breakpoint, a step, an interrupt); the message then
 * says how it had stopped. */
const char *wb_core_trap_message(const wb_core *c);
bool wb_core_trap(const wb_core *c, const char **message, uint32_t *kind);

/* FNV-1a, 64 bits: the hash `wdb.module` holds (wcd_fnv1a64). */
uint64_t wb_core_fnv1a64(const void *data, size_t size);

/* Whether the core was written for `module` (its bytes; module_path, which
 * may be NULL, is only used for its base name).
 *   - With `wdb.module`: WB_OK if size and hash agree, else WB_ERROR
 *     "core file is for another module: ...".
 *   - Without it: the base name of module_path is compared with the names
 *     the core gives (each `coremodules` name and the `core` executable
 *     name, compared by base name, with or without a ".wasm" suffix).
 *     WB_OK when one agrees or when there is nothing to compare (no path);
 *     WB_NOT_FOUND when none agrees: err then holds a warning to show ("core
 *     file names module ..., not ..."), as a renamed file is no proof. */
wb_status wb_core_check_module(const wb_core *c, const uint8_t *module, size_t module_size,
                               const char *module_path, wb_error *err);

#endif
