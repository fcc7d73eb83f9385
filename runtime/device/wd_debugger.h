/*
 * The debugger of a firmware: wd_run's attach point (wd_main.h) filled with
 * the GDB stub served single-threaded on a debugger channel (wd_serve.h).
 * A board's main() sets cfg->debug_attach = wd_debugger_attach,
 * cfg->debug_exited = wd_debugger_exited, cfg->debug_killed =
 * wd_debugger_killed and cfg->debug_user to a wd_debugger it keeps
 * (static storage is fine: it is small).
 *
 * Prefix: wd_.
 */
#ifndef WD_DEBUGGER_H
#define WD_DEBUGGER_H

#include "wd_serve.h"
#include "wd_target.h"
#include "wdb/platform.h"

typedef struct wd_debugger {
    /* set by the board */
    wp_chan *chan;           /* the debugger's line (UART1 on mps2-an385) */
    const char *module_name; /* named to the debugger ("app.wasm") */
    wd_serve_config cfg;     /* wait for a debugger at the entry, stop timeout */
    /* set by wd_debugger_attach */
    wd_target *target;
    wd_serve *serve;
} wd_debugger;

/* wd_debug_attach_fn: creates the engine and the stub for the program.
 * 0, or -1 after an error line on the console (out of memory). */
int wd_debugger_attach(void *user, wr_store *store, wr_module *mod, wr_instance *inst);
/* wd_debug_exited_fn: tells the debugger how the program ended (if it
 * waits for it) and frees the engine and the stub. */
void wd_debugger_exited(void *user, wr_store *store, int status);
/* wd_debug_killed_fn: whether the debugger killed the program. */
bool wd_debugger_killed(void *user);

#endif
