/*
 * The firmware program (wd_main.h): wdb-run's run() for a device. No files,
 * no command line: the module is given as bytes that stay where they are,
 * the arguments come from the config, and every line goes to the console.
 */
#include "wd_main.h"

#include "wd_report.h"
#include "wd_wasi.h"
#include "wdb/platform.h"

#include <stdio.h>
#include <string.h>

/* wd_write_fn: wd_run's own lines share stream 2 with the program's stderr. */
static void write_console(void *user, const char *text, size_t len)
{
    (void)user;
    wp_console_write(2, text, len);
}

/* One error line that is not the runtime's: "PROG: error: MODULE: MSG". */
static void error_line(const wd_config *c, const char *msg)
{
    wr_error e;
    memset(&e, 0, sizeof e);
    snprintf(e.msg, sizeof e.msg, "%s", msg);
    wd_report_error(c->prog, c->module_name, &e, write_console, NULL);
}

/* Maps the outcome of instantiation or the call of _start to an exit
 * status, reporting failures (wdb-run's mapping). */
static int outcome(const wd_config *c, wr_status st, wr_store *store, wr_module *mod,
                   wr_instance *inst, const wr_error *err)
{
    switch (st) {
    case WR_OK: return 0;
    case WR_ERR_EXIT: return wr_store_exit_code(store) & 0xff; /* what a shell would see */
    case WR_ERR_TRAP:
        wd_report_trap(c->prog, c->module_name, store, mod, inst, err, write_console, NULL, NULL,
                       NULL);
        return WD_EXIT_TRAP;
    default:
        wd_report_error(c->prog, c->module_name, err, write_console, NULL);
        return WD_EXIT_ERROR;
    }
}

int wd_run(const uint8_t *wasm, size_t len, const wd_config *cfg)
{
    wd_config c = *cfg;
    wd_stats stats;
    wr_store *store = NULL;
    wr_module *mod = NULL;
    wr_instance *inst = NULL;
    wr_linker *linker;
    wr_extern start;
    wd_wasi wasi;
    wr_error err;
    wr_status st;
    bool attached = false;
    int status = WD_EXIT_ERROR;

    memset(&stats, 0, sizeof stats);
    memset(&err, 0, sizeof err);
    if (!c.prog) c.prog = "wdb-firmware";
    if (!c.module_name) c.module_name = "module.wasm";
    if (!c.value_stack_bytes) c.value_stack_bytes = WD_DEFAULT_VALUE_STACK_BYTES;
    if (!c.max_call_depth) c.max_call_depth = WD_DEFAULT_MAX_CALL_DEPTH;
    if (!c.max_memory_bytes) c.max_memory_bytes = WD_DEFAULT_MAX_MEMORY_BYTES;
    const char *argv0[1] = {c.module_name};
    wd_wasi_config wc = {c.argc, c.argv, c.envc, c.envp};
    if (wc.argc <= 0 || !wc.argv) {
        wc.argc = 1;
        wc.argv = argv0;
    }
    stats.heap_start = wp_heap_peak();
    stats.value_stack_bytes = c.value_stack_bytes;
    stats.max_call_depth = c.max_call_depth;

    wr_config rc = {.value_stack_bytes = c.value_stack_bytes,
                    .max_call_depth = c.max_call_depth,
                    .max_memory_bytes = c.max_memory_bytes};
    if (!(store = wr_store_new(&rc))) {
        error_line(&c, "out of memory");
        goto done;
    }
    if ((st = wr_module_new_static(store, wasm, len, &mod, &err)) != WR_OK) {
        wd_report_error(c.prog, c.module_name, &err, write_console, NULL);
        goto done;
    }
    stats.heap_module = wp_heap_peak();

    wd_wasi_init(&wasi, &wc);
    if (!(linker = wr_linker_new(store)) || wd_wasi_define(&wasi, linker, mod) != WR_OK) {
        error_line(&c, "cannot set up WASI: out of memory");
        goto done;
    }
    stats.heap_linked = wp_heap_peak();
    /* the start function runs after the debugger is there: one that never
     * returns can still be stopped */
    if ((st = wr_instance_new_unstarted(store, mod, linker, &inst, &err)) != WR_OK) {
        status = outcome(&c, st, store, mod, inst, &err);
        goto done;
    }
    stats.heap_instance = wp_heap_peak();

    if (c.debug_attach) {
        if (c.debug_attach(c.debug_user, store, mod, inst) != 0) goto done;
        attached = true;
    }
    if ((st = wr_instance_start(inst, &err)) != WR_OK) {
        if (st == WR_ERR_TRAP && c.debug_killed && c.debug_killed(c.debug_user))
            status = WD_EXIT_KILLED;
        else
            status = outcome(&c, st, store, mod, inst, &err);
        goto done;
    }
    if (wr_instance_export(inst, "_start", &start) != WR_OK || start.kind != WR_EXTERN_FUNC) {
        error_line(&c, "no _start export: not a WASI command");
        goto done;
    }
    st = wr_func_call(start.of.func, NULL, 0, NULL, 0, &err);
    if (st == WR_ERR_TRAP && c.debug_killed && c.debug_killed(c.debug_user))
        status = WD_EXIT_KILLED; /* the debugger said so already */
    else
        status = outcome(&c, st, store, mod, inst, &err);

done:
    if (c.stats) {
        wr_memory *m = inst ? wr_instance_memory(inst, 0) : NULL;
        stats.heap_peak = wp_heap_peak();
        stats.memory_bytes = m ? wr_memory_size(m) : 0;
        *c.stats = stats;
    }
    if (attached && c.debug_exited) c.debug_exited(c.debug_user, store, status);
    wr_store_free(store);
    return status;
}
