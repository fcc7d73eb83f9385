/*
 * main() of the MPS2 AN385 firmware: runs the Wasm module linked into the
 * image (module.S.in: wdb_module_start..wdb_module_end, read in place from
 * flash) with wd_run and leaves QEMU with its exit status.
 *
 * Compiled once per image (wdb_firmware_image() in CMakeLists.txt), with:
 *   WDB_FW_MODULE_NAME   the module's name in reports ("hello.wasm")
 *   WDB_FW_MAX_MEMORY    the linear memory limit in bytes (0: wd_run's)
 *   WDB_FW_VALUE_STACK   the value stack in bytes (0: wd_run's)
 *   WDB_FW_CALL_DEPTH    the call depth limit (0: wd_run's)
 *   WDB_FW_REPORT_RAM    1: print what the run used on UART 0 at the end
 *   WDB_FIRMWARE_DEBUGGER 1: attach the debugger (board_debug_attach)
 */
#include "board.h"
#include "wd_main.h"

#include <stdio.h>
#include <string.h>

#ifndef WDB_FW_MODULE_NAME
#define WDB_FW_MODULE_NAME "module.wasm"
#endif
#ifndef WDB_FW_MAX_MEMORY
#define WDB_FW_MAX_MEMORY 0
#endif
#ifndef WDB_FW_VALUE_STACK
#define WDB_FW_VALUE_STACK 0
#endif
#ifndef WDB_FW_CALL_DEPTH
#define WDB_FW_CALL_DEPTH 0
#endif
#ifndef WDB_FW_REPORT_RAM
#define WDB_FW_REPORT_RAM 0
#endif
#ifndef WDB_FIRMWARE_DEBUGGER
#define WDB_FIRMWARE_DEBUGGER 0
#endif

/* The module and its arguments (module.S.in). */
extern const uint8_t wdb_module_start[], wdb_module_end[];
extern const char wdb_fw_args[];

#define WDB_FW_MAX_ARGS 16


#if WDB_FW_REPORT_RAM
/* One line per figure, "wdb-firmware: ram: NAME BYTES", for bench/device.sh. */
static void report_ram(const wd_stats *s)
{
    char line[96];
    const struct {
        const char *name;
        unsigned long v;
    } f[] = {
        {"heap_module", (unsigned long)(s->heap_module - s->heap_start)},
        {"heap_wasi", (unsigned long)(s->heap_linked - s->heap_module)},
        {"heap_instance", (unsigned long)(s->heap_instance - s->heap_linked)},
        {"heap_run", (unsigned long)(s->heap_peak - s->heap_instance)},
        {"heap_peak", (unsigned long)s->heap_peak},
        {"linear_memory", (unsigned long)s->memory_bytes},
        {"value_stack", (unsigned long)s->value_stack_bytes},
        {"call_depth", (unsigned long)s->max_call_depth},
        {"stack_peak", (unsigned long)board_stack_peak()},
        {"stack_size", (unsigned long)board_stack_size()},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        int n = snprintf(line, sizeof line, "wdb-firmware: ram: %s %lu\n", f[i].name, f[i].v);
        if (n > 0) wp_console_write(2, line, (size_t)n);
    }
}
#endif

int main(void)
{
    wd_config cfg;
    board_init();
    memset(&cfg, 0, sizeof cfg);
    cfg.prog = "wdb-firmware";
    cfg.module_name = WDB_FW_MODULE_NAME;
    /* argv: the module's name, then the strings linked in after it */
    const char *argv[WDB_FW_MAX_ARGS + 1];
    int argc = 0;
    argv[argc++] = WDB_FW_MODULE_NAME;
    for (const char *a = wdb_fw_args; *a && argc < WDB_FW_MAX_ARGS; a += strlen(a) + 1)
        argv[argc++] = a;
    argv[argc] = NULL;
    cfg.argc = argc;
    cfg.argv = argv;
    cfg.max_memory_bytes = WDB_FW_MAX_MEMORY;
    cfg.value_stack_bytes = WDB_FW_VALUE_STACK;
    cfg.max_call_depth = WDB_FW_CALL_DEPTH;
#if WDB_FIRMWARE_DEBUGGER
    cfg.debug_attach = board_debug_attach;
    cfg.debug_exited = board_debug_exited;
    cfg.debug_killed = board_debug_killed;
#endif
#if WDB_FW_REPORT_RAM
    wd_stats stats;
    cfg.stats = &stats;
#endif
    int status = wd_run(wdb_module_start, (size_t)(wdb_module_end - wdb_module_start), &cfg);
#if WDB_FW_REPORT_RAM
    report_ram(&stats);
#endif
    return status;
}
