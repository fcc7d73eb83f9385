/*
 * The firmware's debugger (wd_debugger.h).
 */
#include "wd_debugger.h"


int wd_debugger_attach(void *user, wr_store *store, wr_module *mod, wr_instance *inst)
{
    wd_debugger *d = user;
    static const char oom[] = "wdb-firmware: error: the debugger: out of memory\n";
    if (!(d->target = wd_target_new(store, mod, inst, d->module_name ? d->module_name : "app.wasm")))
        goto fail;
    if (!(d->serve = wd_serve_new(d->target, d->chan, &d->cfg))) goto fail;
    return 0;
fail:
    wp_console_write(2, oom, sizeof oom - 1);
    wd_target_free(d->target);
    d->target = NULL;
    return -1;
}

void wd_debugger_exited(void *user, wr_store *store, int status)
{
    (void)store;
    wd_debugger *d = user;
    wd_serve_exited(d->serve, status);
    wd_serve_free(d->serve);
    wd_target_free(d->target);
    d->serve = NULL;
    d->target = NULL;
}

bool wd_debugger_killed(void *user)
{
    wd_debugger *d = user;
    return wd_target_killed(d->target);
}
