/*
 * The stub's view of a program under the debug engine: the gs_target
 * callbacks (RSP addresses, frames, values) over a wde_engine. The one
 * place where the runtime, the debug engine and the GDB stub meet; both
 * drivers use it: wdb-run's threads (runtime/wdb-run/wdb_debug.c) and the
 * single-threaded server of a device or `wdb-run --gdb-single-thread`
 * (wd_serve.c). Portable: the C library and the three components only.
 *
 * Prefix: wd_.
 */
#ifndef WD_TARGET_H
#define WD_TARGET_H

#include "wdb/debug_engine.h"
#include "wdb/gdbstub.h"
#include "wdb/runtime.h"
#include "wdb/wasm_rsp.h"

#include <stdbool.h>

typedef struct wd_target wd_target;

/* Creates the engine for inst (of mod, in store) and the callbacks over it.
 * module_path is named to the debugger (qXfer:libraries:read) and its last
 * component is the thread's name; it is copied. The objects must outlive
 * the target. NULL when out of memory. */
wd_target *wd_target_new(wr_store *store, wr_module *mod, wr_instance *inst,
                         const char *module_path);
/* Removes the engine's hook and frees everything. The program must not be
 * running. NULL is fine. */
void wd_target_free(wd_target *t);

wde_engine *wd_target_engine(wd_target *t);
wr_store *wd_target_store(wd_target *t);
/* The callback table for gs_session_new / gs_serve; valid while t lives.
 * Its wake_fd is -1: a threaded driver sets its own (wd_target_set_wake_fd). */
const gs_target *wd_target_gs(wd_target *t);
void wd_target_set_wake_fd(wd_target *t, int fd);
/* Whether a debugger asked to kill the program (its call then ends in a
 * trap "killed"). */
bool wd_target_killed(const wd_target *t);

#endif
