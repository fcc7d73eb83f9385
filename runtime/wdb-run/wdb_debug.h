/*
 * wdb-run's debugger support: listens for a debugger (TCP or a serial
 * line) and runs the stub on its own thread, or, single-threaded, from the
 * program's own stops and poll points as a device does. The stub's view of
 * the program is runtime/device/wd_target.c.
 */
#ifndef WDB_RUN_DEBUG_H
#define WDB_RUN_DEBUG_H

#include "wdb/runtime.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct wdbg wdbg;

typedef struct wdbg_opts {
    const char *tcp;      /* "ADDR:PORT" or NULL */
    const char *tty;      /* serial device or NULL */
    int fd;               /* an already connected descriptor (a socket
                             inherited from the debugger that started
                             us), or -1 */
    unsigned baud;        /* for tty; 0 = as configured */
    bool listen;          /* run at once, accept debuggers later (again after detach) */
    bool allow_remote;    /* allow a non-loopback TCP address */
    const char *log_path; /* packet log, or NULL */
    bool single_thread;   /* serve the debugger from the program's thread,
                             as a device does (no server thread) */
    /* Called when the program traps while a debugger is attached, on the
     * program's thread inside the runtime's debug hook (frames live, the
     * wr_debug_* inspection calls valid), before the debugger hears of the
     * stop; NULL for none. wdb-run writes its core dump here. */
    void (*on_trap)(void *user, wr_store *store);
    void *on_trap_user;
    uint64_t history_limit; /* bytes of snapshots for reverse execution; 0: default */
} wdbg_opts;

/* Sets up debugging of inst. Without opts->listen it waits for the first
 * debugger and makes the program stop before its first instruction. Returns
 * NULL after writing one line to errbuf. The objects must outlive it. */
wdbg *wdbg_start(const wdbg_opts *opts, wr_store *store, wr_module *mod, wr_instance *inst,
                 const char *module_path, char *errbuf, size_t errlen);
/* Whether a debugger killed the program (its call then ends in a trap). */
bool wdbg_killed(const wdbg *d);
/* The program ended with this exit status (the one wdb-run exits with). */
void wdbg_program_exited(wdbg *d, int status);
/* Waits until the debugger has been told and has gone, then frees it. */
void wdbg_finish(wdbg *d);

#endif
