/*
 * wdb/coredump.h: the Wasm core dump format, the one place it is written.
 *
 * The format is the WebAssembly tool-conventions' (Coredump.md): a Wasm
 * binary module that is read, never instantiated:
 *   - custom sections `core`, `coremodules`, `coreinstances` and one
 *     `corestack` (the program's one thread, frames innermost first);
 *   - a Memory section with each memory's current size and a Data section
 *     of active segments holding its contents (all-zero 4 KiB chunks left
 *     out: they read as zero anyway);
 *   - a Global section: every global, immutable, with its value as a
 *     constant initializer (ref.null for references);
 *   - wdb custom sections other readers ignore (docs/ARCHITECTURE.md,
 *     "Core dumps"): `wdb.module` (which module file the core belongs to),
 *     `wdb.trap` (why the program stopped) and `wdb.args` (the program's
 *     arguments).
 *
 * Who uses it: wdb-run's cores on trap (runtime/wdb-run/wdb_core.c, from the
 * runtime's API) and wdb's `gcore` (lldb-bridge/session/wb_session.c, from any
 * stub over RSP) write through wcd_write; the reader
 * (lldb-bridge/formats/wb_core.c) takes the format's constants from here.
 * The library is source-agnostic and depends on the C library only: the
 * program's state comes in a wcd_state description.
 *
 * Prefix: wcd_.
 */
#ifndef WDB_COREDUMP_H
#define WDB_COREDUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wdb/wasm_traps.h"

/* ------------------------------------------------------------ constants */

/* Custom section names (Coredump.md; the last three are wdb's). */
#define WCD_SECTION_CORE "core"
#define WCD_SECTION_MODULES "coremodules"
#define WCD_SECTION_INSTANCES "coreinstances"
#define WCD_SECTION_STACK "corestack"
#define WCD_SECTION_MODULE "wdb.module"
#define WCD_SECTION_TRAP "wdb.trap"
#define WCD_SECTION_ARGS "wdb.args"

/* Value tags: in `corestack` (Coredump.md, "Stack frames": the Wasm
 * valtype bytes, and 0x01 for a value the writer does not have) and, for
 * the reference types, as global types. */
enum {
    WCD_VAL_MISSING = 0x01,
    WCD_VAL_I32 = 0x7f,
    WCD_VAL_I64 = 0x7e,
    WCD_VAL_F32 = 0x7d,
    WCD_VAL_F64 = 0x7c,
    WCD_VAL_FUNCREF = 0x70,
    WCD_VAL_EXTERNREF = 0x6f,
};

/* `wdb.module` ::= version:u32 size:u64 fnv1a64:8 bytes (little endian);
 * the layout's version. A reader skips a version it does not know. */
#define WCD_MODULE_VERSION 1u

/* `wdb.trap` ::= message:name kind:u32. The kinds are those of
 * wdb/wasm_traps.h, numbered as the runtime's wr_trap_kind (both are made
 * from that list), fixed by the format: append only.
 *
 * WCD_TRAP_NONE is a core of a program that did not trap: `gcore` at a
 * breakpoint, a step, an interrupt. The message then says how the program
 * stopped ("breakpoint", "interrupt", ...), and readers must not present
 * the core as a trap. WCD_TRAP_UNKNOWN: a trap whose kind the writer does
 * not know (a stub that gives only a message). */
typedef enum wcd_trap_kind {
    WCD_TRAP_NONE = 0,
#define WCD_X(id, ...) WCD_TRAP_##id,
    WASM_TRAPS(WCD_X) /* wdb/wasm_traps.h: the runtime's list */
#undef WCD_X
    WCD_TRAP_KIND_COUNT,
    WCD_TRAP_UNKNOWN = 0x7fffffff,
} wcd_trap_kind;

/* The short name of a kind ("div_by_zero"), as wdb-run's stub writes it in
 * a trap stop's description ("trap: MESSAGE (NAME)"), wr_trap_name's
 * spelling; "unknown" outside the enum. */
const char *wcd_trap_kind_name(uint32_t kind);

/* The kind named by the len bytes at name (not NUL-terminated);
 * WCD_TRAP_UNKNOWN when no kind has that name. */
uint32_t wcd_trap_kind_by_name(const char *name, size_t len);

/* FNV-1a, 64 bits (offset basis 0xcbf29ce484222325, prime 0x100000001b3)
 * of len bytes: the module hash `wdb.module` holds. */
uint64_t wcd_fnv1a64(const void *data, size_t len);

/* ---------------------------------------------------------- the writer */

/* A value. type is a WCD_VAL_* tag. bits: i32 and f32 in the low 32 bits
 * (f32 as its IEEE bit pattern), i64 and f64 in all 64; unused otherwise. */
typedef struct wcd_value {
    uint8_t type;
    uint64_t bits;
} wcd_value;

/* One frame of the thread's stack. */
typedef struct wcd_frame {
    uint32_t func;        /* function index (imports included) */
    uint32_t code_offset; /* of the instruction, from the start of the
                             function's body: its local declarations, what
                             DWARF's DW_AT_low_pc holds (the body's size
                             field excluded). Callers: their call
                             instruction, not the return address. */
    uint32_t nlocals;
    const wcd_value *locals; /* parameters first; anything but i32, i64,
                                f32 and f64 is written as missing */
    uint32_t nstack;
    const wcd_value *stack; /* the operand stack, bottom first; likewise */
} wcd_frame;

/* Reads len bytes at offset of memory `memory` into buf. Returns 0 or a
 * negative errno value. */
typedef int (*wcd_read_fn)(void *user, uint32_t memory, uint64_t offset, void *buf, size_t len);

/* Everything a core holds. The writer only reads it; pointers must stay
 * valid during wcd_write. */
typedef struct wcd_state {
    const char *module_name;  /* the `core` executable name and the one
                                 module's name: the module file's base name */
    uint64_t module_size;     /* `wdb.module`: the module file's length and */
    uint64_t module_hash;     /* wcd_fnv1a64 of its bytes */
    const char *trap_message; /* `wdb.trap`: the trap's message (or, for
                                 WCD_TRAP_NONE, how the program stopped);
                                 NULL: no `wdb.trap` section */
    uint32_t trap_kind;       /* a wcd_trap_kind */
    /* `wdb.args` ::= vec(name): the program's arguments as it saw them,
     * argv[0] first (what gdb's "Core was generated by" shows); argc 0:
     * no `wdb.args` section (the writer does not know them) */
    const char *const *argv;
    uint32_t argc;

    const wcd_frame *frames; /* innermost first */
    uint32_t nframes;

    /* Every global of the instance (imports first). Numeric types are
     * written as their value; WCD_VAL_FUNCREF, WCD_VAL_EXTERNREF and any
     * other valtype byte as ref.null of that type (the value cannot be
     * written); WCD_VAL_MISSING is refused (a global needs a value). */
    const wcd_value *globals;
    uint32_t nglobals;

    /* The instance's memories: their sizes in bytes (multiples of the
     * 64 KiB page), and their bytes through read_memory(user, ...). The
     * writer first reads each memory once, in 4 KiB chunks from its start,
     * to leave out the all-zero ones; then, to write them, the non-zero
     * chunks again in increasing order. With read_once set it instead
     * keeps the non-zero chunks in memory between the two passes, so every
     * byte is read once (a stub behind a slow link); without it nothing is
     * copied but one 64 KiB buffer (a runtime's own memory, where reading
     * is a memcpy). */
    const uint64_t *memory_sizes;
    uint32_t nmemories;
    wcd_read_fn read_memory;
    void *user;
    bool read_once;
} wcd_state;

typedef enum wcd_status { WCD_OK = 0, WCD_ERROR = -1 } wcd_status;

/* Writes the core of `st` to out_path. Layout, in this order (custom
 * sections may go anywhere; the known ones must come in section id order):
 * header, `core`, `coremodules`, `coreinstances`, `corestack`, Memory (5),
 * Global (6), Data (11), `wdb.module`, `wdb.trap`, `wdb.args`. One instance (index 0,
 * of module 0, owning every memory and global) and one thread ("main");
 * every frame belongs to that instance. Memory and Global sections are
 * left out when there are none, the Data section when every chunk is
 * zero.
 *
 * The core is written to a temporary file next to out_path (out_path
 * followed by ".tmpXXXXXX", mode 0600) and renamed over it at the end:
 * out_path never holds a half-written core, and on failure the temporary
 * file is removed. Returns WCD_OK, or WCD_ERROR with one line (no path, no
 * trailing newline: "No such file or directory", "cannot read memory 0 at
 * 0x10000: Bad address") in err. */
wcd_status wcd_write(const wcd_state *st, const char *out_path, char *err, size_t errlen);

#endif
