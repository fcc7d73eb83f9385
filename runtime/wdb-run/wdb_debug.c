/*
 * wdb-run's debugger drivers (see wdb_debug.h) over the stub's view of the
 * program (runtime/device/wd_target.c):
 *   - threaded (the default): the program runs on wdb-run's main thread;
 *     one server thread accepts connections (or opens the serial line) and
 *     runs gs_serve(). The engine's listener wakes the server through a
 *     pipe whenever the program stops or exits.
 *   - single-threaded (--gdb-single-thread, WDB_RUN_SINGLE_THREAD=1): the
 *     device's way (runtime/device/wd_serve.c) on a POSIX channel: served
 *     from the program's stops and, through SIGIO, from its poll points.
 */
#define _GNU_SOURCE
#include "wdb_debug.h"

#include "wd_serve.h"
#include "wd_target.h"
#include "wdb/debug_engine.h"
#include "wdb/gdbstub.h"
#include "wdb/rsp_serial.h"
#include "wp_posix.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct wdbg {
    wdbg_opts opts;
    wd_target *tgt;
    wde_engine *eng;
    wr_store *store;
    int wake[2];
    int listen_fd;
    int first_fd; /* the connection accepted before the program started */
    pthread_t thread;
    pthread_t program_thread; /* the one running Wasm (wdbg_start's caller) */
    bool thread_started;
    volatile bool stopping;
    FILE *log;
    /* --gdb-single-thread */
    wp_chan *chan;
    wd_serve *serve;
};

/* The engine's listener. On the program's thread at a trap stop it first
 * runs opts.on_trap: the engine calls it from its hook, so the frames are
 * still live, and the stub has not been woken yet. */
static void wake(void *user)
{
    wdbg *d = user;
    if (d->opts.on_trap && pthread_equal(pthread_self(), d->program_thread)) {
        wde_stop s;
        wde_get_stop(d->eng, &s);
        if (s.state == WDE_STOPPED && s.reason == WR_DEBUG_TRAP)
            d->opts.on_trap(d->opts.on_trap_user, d->store);
    }
    char b = 1;
    (void)!write(d->wake[1], &b, 1);
}

/* ------------------------------------------------------------ threads */

static gs_end serve_one(wdbg *d, int fd)
{
    wde_set_attached(d->eng, true);
    gs_end how = gs_serve(wd_target_gs(d->tgt), fd, d->log);
    if (how != GS_END_KILL && how != GS_END_EXITED) wde_set_attached(d->eng, false);
    return how;
}

/* Ends the process when a kill cannot reach the program (blocked in a host
 * call such as a read from a terminal): give it a moment to unwind first. */
static void after_kill(wdbg *d)
{
    for (int i = 0; i < 100; i++) {
        wde_stop s;
        wde_get_stop(d->eng, &s);
        if (s.state == WDE_EXITED) return;
        struct timespec ts = {0, 20 * 1000000L};
        nanosleep(&ts, NULL);
    }
    if (d->opts.fd < 0) fprintf(stderr, "wdb-run: killed by the debugger\n");
    _exit(137); /* EXIT_KILLED in wdb-run.c */
}

static void *server_main(void *arg)
{
    wdbg *d = arg;
    int fd = d->first_fd;
    d->first_fd = -1;
    for (;;) {
        if (fd < 0 && d->listen_fd >= 0 && !d->stopping) fd = gs_accept(d->listen_fd);
        if (fd < 0) break;
        gs_end how = serve_one(d, fd);
        if (how == GS_END_KILL) {
            close(fd);
            after_kill(d);
            break;
        }
        wde_stop s;
        wde_get_stop(d->eng, &s);
        bool over = how == GS_END_EXITED || s.state == WDE_EXITED;
        if (d->opts.tty && !over) {
            /* a serial line stays: the next debugger comes on the same
             * line (it has no connect), after a detach or a hang-up; a
             * line that fails (a pty whose other end closed) is tried
             * again at a slow pace */
            if (how == GS_END_DISCONNECT) {
                struct timespec ts = {0, 100 * 1000000L};
                nanosleep(&ts, NULL);
            }
            continue;
        }
        close(fd);
        fd = -1;
        if (over || !d->opts.listen || d->opts.tty || d->opts.fd >= 0) break;
    }
    return NULL;
}

/* ------------------------------------------------------------ single thread */

static void log_line(void *user, const char *line)
{
    wdbg *d = user;
    fprintf(d->log, "%s\n", line);
    fflush(d->log);
}

/* The device's way: wd_serve on a POSIX channel. -g and --gdb-fd serve the
 * one debugger that connected; --gdb-listen accepts one after another (the
 * channel accepts the next when one hangs up); a serial line is one
 * channel for ever, whoever is at the other end. */
static bool start_single(wdbg *d, char *errbuf, size_t errlen)
{
    int fd = d->first_fd;
    d->first_fd = -1;
    d->chan = d->opts.listen && d->listen_fd >= 0 ? wp_posix_chan_new_listen(d->listen_fd, fd)
                                                  : wp_posix_chan_new(fd);
    if (!d->chan) {
        if (fd >= 0) close(fd);
        snprintf(errbuf, errlen, "out of memory");
        return false;
    }
    d->first_fd = fd; /* closed in wdbg_finish (the channel only borrows it) */
    wd_serve_config cfg = {
        .wait = !d->opts.listen,
        .on_trap = d->opts.on_trap,
        .on_trap_user = d->opts.on_trap_user,
        .log = d->log ? log_line : NULL,
        .log_user = d,
    };
    if (!(d->serve = wd_serve_new(d->tgt, d->chan, &cfg))) {
        snprintf(errbuf, errlen, "out of memory");
        return false;
    }
    return true;
}

wdbg *wdbg_start(const wdbg_opts *opts, wr_store *store, wr_module *mod, wr_instance *inst,
                 const char *module_path, char *errbuf, size_t errlen)
{
    wdbg *d = calloc(1, sizeof *d);
    if (!d) {
        snprintf(errbuf, errlen, "out of memory");
        return NULL;
    }
    d->opts = *opts;
    d->program_thread = pthread_self();
    d->store = store;
    d->listen_fd = d->first_fd = -1;
    d->wake[0] = d->wake[1] = -1;
    char path[4096];
    if (!realpath(module_path, path)) snprintf(path, sizeof path, "%s", module_path);
    if (opts->log_path && !(d->log = fopen(opts->log_path, "w"))) {
        snprintf(errbuf, errlen, "cannot open packet log %s: %s", opts->log_path, strerror(errno));
        goto fail;
    }
    if (!(d->tgt = wd_target_new(store, mod, inst, path))) {
        snprintf(errbuf, errlen, "out of memory");
        goto fail;
    }
    d->eng = wd_target_engine(d->tgt);
    wde_set_history_limit(d->eng, (size_t)opts->history_limit);

    if (opts->fd >= 0) {
        /* `wdb app.wasm` starts us with one end of a socketpair: no port to
         * choose, nobody else can connect. One debugger, like a tty. */
        d->first_fd = opts->fd;
    } else if (opts->tty) {
        d->first_fd = rsp_open_serial(opts->tty, opts->baud, errbuf, errlen);
        if (d->first_fd < 0) goto fail;
        if (!opts->listen) fprintf(stderr, "wdb-run: waiting for a debugger on %s\n", opts->tty);
    } else {
        int port = 0;
        d->listen_fd = gs_listen_tcp(opts->tcp, opts->allow_remote, &port, errbuf, errlen);
        if (d->listen_fd < 0) goto fail;
        if (!opts->listen) {
            fprintf(stderr, "wdb-run: waiting for a debugger on port %d\n", port);
            d->first_fd = gs_accept(d->listen_fd);
            if (d->first_fd < 0) {
                snprintf(errbuf, errlen, "accept: %s", strerror(errno));
                goto fail;
            }
        } else {
            fprintf(stderr, "wdb-run: debugger port %d\n", port);
        }
    }
    if (opts->single_thread) {
        if (!start_single(d, errbuf, errlen)) goto fail;
        return d;
    }
    if (pipe2(d->wake, O_CLOEXEC | O_NONBLOCK) != 0) {
        snprintf(errbuf, errlen, "pipe: %s", strerror(errno));
        goto fail;
    }
    wd_target_set_wake_fd(d->tgt, d->wake[0]);
    wde_set_listener(d->eng, wake, d);
    if (!opts->listen) {
        wde_set_attached(d->eng, true);
        wde_stop_at_entry(d->eng, true);
    }
    if (pthread_create(&d->thread, NULL, server_main, d) != 0) {
        snprintf(errbuf, errlen, "cannot start the debugger thread");
        goto fail;
    }
    d->thread_started = true;
    return d;
fail:
    wdbg_finish(d);
    return NULL;
}

bool wdbg_killed(const wdbg *d)
{
    return d && wd_target_killed(d->tgt);
}

void wdbg_program_exited(wdbg *d, int status)
{
    if (!d || !d->eng) return;
    if (d->serve)
        wd_serve_exited(d->serve, status);
    else
        wde_notify_exit(d->eng, status, false);
}

void wdbg_finish(wdbg *d)
{
    if (!d) return;
    d->stopping = true;
    if (d->listen_fd >= 0) shutdown(d->listen_fd, SHUT_RDWR); /* wakes accept() */
    if (d->thread_started) pthread_join(d->thread, NULL);
    wd_serve_free(d->serve);
    wp_posix_chan_free(d->chan);
    if (d->first_fd >= 0) close(d->first_fd); /* never served, or lent to the channel */
    if (d->listen_fd >= 0) close(d->listen_fd);
    wd_target_free(d->tgt);
    if (d->wake[0] >= 0) close(d->wake[0]);
    if (d->wake[1] >= 0) close(d->wake[1]);
    if (d->log) fclose(d->log);
    free(d);
}
