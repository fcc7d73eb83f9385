/*
 * wdb-run's core dumps: the state of a trapped program written as a Wasm
 * coredump (WebAssembly tool-conventions, Coredump.md), a Wasm binary module
 * that is read, never instantiated. The format is written by the
 * source-agnostic writer in wdb/coredump.h (wdb::coredump); this is the
 * adapter from the runtime's API to it. What a core holds:
 *   - custom sections `core`, `coremodules`, `coreinstances` and one
 *     `corestack` (the program's one thread, frames innermost first);
 *   - a Memory section with each memory's current size and a Data section
 *     of active segments holding its contents (all-zero 4 KiB chunks left
 *     out: they read as zero anyway);
 *   - a Global section: every global, immutable, with its value as a
 *     constant initializer (ref.null for references);
 *   - two wdb custom sections other readers ignore (docs/ARCHITECTURE.md):
 *     `wdb.module` (which module file the core belongs to) and `wdb.trap`
 *     (why it trapped).
 * Uses only the runtime's public API (wdb/runtime.h) and wdb/coredump.h.
 *
 * Prefix: wcore_.
 */
#ifndef WDB_RUN_CORE_H
#define WDB_RUN_CORE_H

#include "wdb/runtime.h"

#include <stddef.h>

/* Writes the core of the program that trapped in store s (module m,
 * instance inst) to out_path. module_path is the module file's name as the
 * user gave it (the core's executable and module names are its last path
 * component); argv (argc strings) the program's arguments as it sees them,
 * argv[0] first (`wdb.args`; argc 0: none).
 *
 * Call it at the trap, inside the store's debug hook (a WR_DEBUG_TRAP
 * event): the frames are then live and every frame's locals and operand
 * stack are written. Called after the trapping call returned, it falls back
 * to the frames of wr_store_last_trap() (at most WR_TRAP_MAX_FRAMES) with
 * empty locals and stacks; memories and globals are whole either way. The
 * trap's kind and message come from wr_store_last_trap().
 *
 * inst may be NULL (a trap in the start function, before wr_instance_new
 * returned it): the innermost frame's instance is dumped then. One instance
 * is dumped; every frame is taken to belong to it (wdb-run runs one).
 *
 * The core is written to a temporary file next to out_path and renamed over
 * it at the end: out_path never holds a half-written core. Returns 0, or -1
 * with one line (no path, no trailing newline) in err. */
int wcore_write(wr_store *s, wr_module *m, wr_instance *inst, const char *module_path, int argc,
                const char *const *argv, const char *out_path, char *err, size_t errlen);

#endif
