/*
 * The firmware's debugger on MPS2 AN385 (WDB_FIRMWARE_DEBUGGER=1): the GDB
 * stub served single-threaded on UART 1 (runtime/device/wd_debugger.h).
 *
 *   WDB_FW_WAIT          1: stop before the first instruction and wait for
 *                        a debugger (as wdb-run -g); 0: run at once, a
 *                        debugger attaches whenever it comes (--gdb-listen)
 *   WDB_FW_STOP_TIMEOUT  ms without a byte after a stop reply before the
 *                        debugger is taken to have gone (a UART has no
 *                        hang-up): it is detached and the program runs on
 */
#include "board.h"
#include "wd_debugger.h"

#ifndef WDB_FW_MODULE_NAME
#define WDB_FW_MODULE_NAME "module.wasm"
#endif
/* the module's path on the host that built the image, named to the
 * debugger (qXfer:libraries): LLDB loads the module from there */
#ifndef WDB_FW_MODULE_PATH
#define WDB_FW_MODULE_PATH WDB_FW_MODULE_NAME
#endif
#ifndef WDB_FW_WAIT
#define WDB_FW_WAIT 0
#endif
#ifndef WDB_FW_STOP_TIMEOUT
#define WDB_FW_STOP_TIMEOUT 5000
#endif

/* One program, one debugger: the firmware's only instance of it (static
 * storage because there is nothing to allocate it from before wd_run). */
static wd_debugger debugger;

int board_debug_attach(void *user, wr_store *store, wr_module *mod, wr_instance *inst)
{
    (void)user;
    debugger.chan = board_debug_chan();
    debugger.module_name = WDB_FW_MODULE_PATH;
    debugger.cfg.wait = WDB_FW_WAIT != 0;
    debugger.cfg.stop_timeout_ms = WDB_FW_STOP_TIMEOUT;
    return wd_debugger_attach(&debugger, store, mod, inst);
}

void board_debug_exited(void *user, wr_store *store, int status)
{
    (void)user;
    wd_debugger_exited(&debugger, store, status);
}

bool board_debug_killed(void *user)
{
    (void)user;
    return wd_debugger_killed(&debugger);
}
