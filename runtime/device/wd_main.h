/*
 * The firmware program: runs one WASI command module on a device, the way
 * wdb-run runs it on a host, with limits for a small part. Portable: the
 * C library, wdb/platform.h and the runtime. A board's main() fills a
 * wd_config, calls wd_run with the module it links in and ends with the
 * status wd_run returns.
 *
 * Output: the program's stdout and stderr go to wp_console_write (device
 * WASI); wd_run's own lines (load errors, the trap report) go to stream 2,
 * worded as wdb-run's (wd_report.h) with cfg->prog in place of "wdb-run".
 *
 * Prefix: wd_ (device).
 */
#ifndef WD_MAIN_H
#define WD_MAIN_H

#include "wdb/runtime.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Defaults sized for a part with 128 KiB of RAM: a 64 KiB linear memory
 * plus what the runtime needs beside it.
 * The value stack holds only the scalars of Wasm frames (locals, operand
 * stacks): C code keeps its arrays and address-taken variables on its own
 * stack in linear memory (-z stack-size). 4 KiB is 512 slots; a printf
 * hello world peaks at 90 slots over 11 frames (printf_core's frame alone
 * is 50), so about five times that. Call frames are 16 bytes; every Wasm
 * frame takes at least one slot and a typical one four or more, so 512
 * slots run out near 128 frames, the depth allowed (2 KiB). A program that
 * recurses deeper traps "call stack exhausted" with a clean report;
 * wd_config (VALUE_STACK and CALL_DEPTH of a firmware image) raises both. */
#define WD_DEFAULT_VALUE_STACK_BYTES 4096u /* plain numbers: tests/device reads them */
#define WD_DEFAULT_MAX_CALL_DEPTH 128u
#define WD_DEFAULT_MAX_MEMORY_BYTES 65536u

/* Exit statuses besides the program's own exit code (wdb-run's). */
#define WD_EXIT_ERROR 1  /* the module could not be loaded, linked or started */
#define WD_EXIT_TRAP 134 /* the program trapped (128 + SIGABRT) */
#define WD_EXIT_KILLED 137 /* a debugger ended the program (128 + SIGKILL), no report */

/* What wd_run measured (see wd_config.stats): heap levels after each step
 * (wp_heap_peak: the most the allocator has taken so far, in bytes), so
 * their differences say what each step costs. */
typedef struct wd_stats {
    size_t heap_start;        /* before the store exists */
    size_t heap_module;       /* after loading (decoding and translating) the module */
    size_t heap_linked;       /* after the WASI definitions */
    size_t heap_instance;     /* after instantiation (memories, tables, globals) */
    size_t heap_peak;         /* at the end of the run, before anything is freed */
    uint64_t memory_bytes;    /* linear memory 0 at the end of the run */
    size_t value_stack_bytes; /* the configured value stack */
    uint32_t max_call_depth;
} wd_stats;

/* ----------------------------------------------------------- debugger
 * THE DEBUGGER ATTACH POINT. A firmware built with a debugger
 * (WDB_FIRMWARE_DEBUGGER=ON) sets these; without one they stay NULL and
 * cost nothing.
 *
 * attach: called once the instance exists, before _start runs, on the
 * program's thread. It may set the store's debug hook and service
 * (wr_debug_set_hook, wr_store_set_service), ask for an entry stop, and
 * arm the debugger channel's receive notification (wp_chan_on_rx calling
 * wr_store_request_service). 0 to run the program; anything else ends
 * wd_run with WD_EXIT_ERROR (attach has said why).
 * exited: called after the program ended, with the status wd_run is about
 * to return, while the store still exists (the debugger hears how it
 * ended and lets go of the store). */
typedef int (*wd_debug_attach_fn)(void *user, wr_store *store, wr_module *mod, wr_instance *inst);
typedef void (*wd_debug_exited_fn)(void *user, wr_store *store, int status);
/* killed: whether the trap that ended the call was a debugger's kill
 * (wd_run then returns WD_EXIT_KILLED without a trap report). */
typedef bool (*wd_debug_killed_fn)(void *user);

typedef struct wd_config {
    const char *prog;        /* starts every line wd_run prints: "wdb-firmware" */
    const char *module_name; /* the module in reports ("app.wasm"); also argv[0] when
                              * argc is 0 */
    int argc;                /* the program's arguments and environment (device WASI); */
    const char *const *argv; /* borrowed: they must outlive the call */
    int envc;
    const char *const *envp;
    size_t value_stack_bytes;  /* 0: WD_DEFAULT_VALUE_STACK_BYTES */
    uint32_t max_call_depth;   /* 0: WD_DEFAULT_MAX_CALL_DEPTH */
    uint64_t max_memory_bytes; /* 0: WD_DEFAULT_MAX_MEMORY_BYTES */
    wd_stats *stats;           /* filled when not NULL */
    /* the debugger (see above) */
    wd_debug_attach_fn debug_attach;
    wd_debug_exited_fn debug_exited;
    wd_debug_killed_fn debug_killed;
    void *debug_user;
} wd_config;

/* Runs the WASI command in wasm[0, len): loads it in place with
 * wr_module_new_static (the bytes must stay alive and unchanged during the
 * call: flash), links the device WASI, instantiates it and calls _start.
 * Returns the exit status: the program's exit code (0 when _start
 * returns), WD_EXIT_TRAP after printing the trap report, WD_EXIT_ERROR
 * after one error line (malformed, invalid, unlinkable, over a limit, out
 * of memory). Everything it allocated is freed before it returns. */
int wd_run(const uint8_t *wasm, size_t len, const wd_config *cfg);

#ifdef __cplusplus
}
#endif
#endif
