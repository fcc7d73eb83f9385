/*
 * wdb debug engine: run state, stop reasons and thread hand-over between the
 * program's thread (running Wasm in the runtime) and a debugger front end
 * (the GDB stub's thread).
 *
 * The program's thread runs the code; at every stop the runtime calls the
 * engine's hook on that thread, which records why it stopped, tells the
 * listener (the stub) and blocks until the debugger resumes it. While the
 * program is stopped, the debugger thread may inspect and change it through
 * this API; every call takes the engine's lock. Calls that need a stopped
 * program return -EBUSY while it runs. Without threads (a device) the
 * debugger is served on the program's thread instead: wde_set_server.
 *
 * Addresses here are code offsets (DWARF convention) and linear memory
 * offsets; RSP addresses are converted by wdb/wasm_rsp.h (the one place).
 *
 * Prefix: wde_.
 */
#ifndef WDB_DEBUG_ENGINE_H
#define WDB_DEBUG_ENGINE_H

#include "wdb/runtime.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct wde_engine wde_engine;

/* WDE_REVERSE=1 (host builds: wdb::debug_engine's interface): reverse
 * execution (wde_reverse...). The firmware leaves it out. */
#ifndef WDE_REVERSE
#define WDE_REVERSE 0
#endif

typedef enum wde_state {
    WDE_RUNNING = 0,
    WDE_STOPPED,
    WDE_EXITED, /* the program ended (exit code or trap after the last stop) */
} wde_state;

typedef struct wde_stop {
    wde_state state;
    wr_debug_reason reason; /* when STOPPED */
    uint32_t code_offset;   /* pc of the innermost frame (code offset) */
    wr_trap_kind trap;      /* reason == WR_DEBUG_TRAP */
    char trap_msg[256];
    uint64_t watch_addr; /* reason == WR_DEBUG_WATCH */
    wr_watch_kind watch_kind;
    int exit_code;       /* when EXITED */
    bool exited_by_trap; /* when EXITED: the program trapped */
#if WDE_REVERSE
    bool history_begin; /* a reverse request reached the start of history */
#endif
} wde_stop;

/* Creates an engine debugging `inst` (of module `mod`) in `store` and sets
 * the store's debug hook. The objects must outlive the engine. */
wde_engine *wde_new(wr_store *store, wr_module *mod, wr_instance *inst);
/* Removes the hook and frees the engine. The program must not be running
 * (its thread has returned from the runtime). */
void wde_free(wde_engine *e);

/* Called from the program's thread whenever the program stops or exits,
 * after the engine's state changed (so a stub can send a stop reply). */
void wde_set_listener(wde_engine *e, void (*fn)(void *user), void *user);

/* Single-threaded mode (a device; wdb-run --gdb-single-thread): there is
 * no debugger thread. At every stop the hook, on the program's thread,
 * tells the listener and then calls serve(user) until the debugger resumes,
 * detaches or kills the program; serve reads the debugger's channel
 * (waiting for bytes) and runs what came, calling this API. A negative
 * return means the channel is gone for good: the engine detaches. While
 * the program runs, the embedder serves the channel from the runtime's
 * poll points (wr_store_set_service). NULL returns to the threaded mode. */
void wde_set_server(wde_engine *e, int (*serve)(void *user), void *user);

/* Whether a debugger is attached. While none is, stops other than a
 * requested interrupt (wde_interrupt) do not block, the entry stop included:
 * the program runs on (traps unwind as usual). */
void wde_set_attached(wde_engine *e, bool attached);
/* Stop before the first instruction of the next call into Wasm. */
void wde_stop_at_entry(wde_engine *e, bool on);

/* Program thread: report that the program ended (after wr_func_call
 * returned). */
void wde_notify_exit(wde_engine *e, int exit_code, bool by_trap);

/* Snapshot of the current state. */
void wde_get_stop(wde_engine *e, wde_stop *out);
/* Waits until the program is stopped or exited (timeout_ms < 0: forever).
 * Returns the state. */
wde_state wde_wait_stop(wde_engine *e, int timeout_ms);

/* Run control. resume: -EBUSY unless stopped. */
int wde_resume(wde_engine *e, wr_debug_action action, uint32_t range_start, uint32_t range_end);
#if WDE_REVERSE
/* Reverse execution (host builds; needs the store's trace, docs/TRACE.md):
 * resumes backwards. step: to the previous instruction; else to the last
 * breakpoint or watchpoint hit before now (reported as that hit). With
 * nothing before, the program stays or goes to the first point recorded,
 * and the stop says history_begin. Later forward runs replay the trace
 * until its end, then run live. -EBUSY unless stopped; -ENOTSUP when not
 * recording (or the firmware). */
int wde_reverse(wde_engine *e, bool step);
/* Whether reverse execution is available (true before the first stop if
 * it may be). */
bool wde_can_reverse(wde_engine *e);
/* Bytes snapshots may hold (0, the default: twice the linear memory, or
 * 64 KiB for a program without one). */
void wde_set_history_limit(wde_engine *e, size_t bytes);
/* What the history holds: snapshots, their bytes, the limit in force, and
 * the positions (poll counts) of the first and the last snapshot. */
typedef struct wde_history {
    size_t snapshots, bytes, limit;
    uint64_t first, last;
} wde_history;
void wde_history_info(wde_engine *e, wde_history *out);
#endif
/* Asks a running program to stop (any thread). */
int wde_interrupt(wde_engine *e);
/* Ends the program (stopped or running). The request ends with the run
 * (wde_notify_exit). */
int wde_kill(wde_engine *e);
/* Removes the breakpoints and watchpoints inserted through the engine and
 * lets the program run on (while it runs they are removed at its next
 * stop). */
int wde_detach(wde_engine *e);

/* Breakpoints at code offsets; any offset inside a function body is moved
 * to the next instruction boundary (*actual, may be NULL). */
int wde_break(wde_engine *e, uint32_t code_offset, bool insert, uint32_t *actual);
int wde_watch(wde_engine *e, uint64_t addr, uint32_t len, wr_watch_kind kind, bool insert);

/* Inspection while stopped. Frame 0 is the innermost. */
/* The code offsets of frames first .. first+max-1 (fewer at the bottom of
 * the stack: *n set) and the stack's whole depth (*total, may be NULL). */
int wde_call_stack(wde_engine *e, size_t first, uint32_t *code_offsets, size_t max, size_t *n,
                   size_t *total);
/* Values as little-endian bytes of their type's size (*len set; a v128
 * 16 bytes, lane 0 first: buf holds 16). */
int wde_local(wde_engine *e, uint32_t frame, uint32_t index, uint8_t *buf, size_t *len);
int wde_global(wde_engine *e, uint32_t index, uint8_t *buf, size_t *len);
int wde_stack_value(wde_engine *e, uint32_t frame, uint32_t index, uint8_t *buf, size_t *len);
/* Linear memory 0: reads/writes only inside it (-EFAULT otherwise; *got
 * tells how many bytes were readable from the start). */
int wde_read_memory(wde_engine *e, uint64_t addr, uint8_t *buf, size_t len, size_t *got);
int wde_write_memory(wde_engine *e, uint64_t addr, const uint8_t *buf, size_t len);
uint64_t wde_memory_size(wde_engine *e);
/* The module's original bytes (file offsets), whatever breakpoints exist. */
int wde_read_module(wde_engine *e, uint64_t file_offset, uint8_t *buf, size_t len, size_t *got);

/* ---------------------------------------------------- code offsets
 * Code addresses on the wire carry FILE offsets in the .wasm (their
 * encoding: wdb/wasm_rsp.h); the runtime speaks code offsets. */
/* code offset <-> file offset for a module whose Code section contents
 * start at code_section_file_offset */
uint32_t wde_code_to_file(uint32_t code_section_file_offset, uint32_t code_offset);
/* false when the file offset is before the Code section */
bool wde_file_to_code(uint32_t code_section_file_offset, uint32_t file_offset,
                      uint32_t *code_offset);

#ifdef __cplusplus
}
#endif
#endif
