/*
 * Single-threaded debugger serving (wd_serve.h).
 */
#include "wd_serve.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Bytes read from the channel per call: a small stack buffer, since a
 * device's stack is small and a packet may span several reads. */
#define WD_READ_CHUNK 256

struct wd_serve {
    wd_target *t;
    wp_chan *chan;
    wd_serve_config cfg;
    wr_store *store;
    gs_session *session;
    bool chan_dead; /* the channel hung up for good */
    uint64_t bytes_in, bytes_out;
};

static int chan_write(void *user, const void *buf, size_t len)
{
    wd_serve *s = user;
    s->bytes_out += len;
    return wp_chan_write(s->chan, buf, len);
}

static void chan_log(void *user, const char *line)
{
    wd_serve *s = user;
    s->cfg.log(s->cfg.log_user, line);
}

/* A session that ended (detach, disconnect, kill) is replaced by a fresh
 * one for the next debugger on the same line. The engine was detached by
 * the session (or the program is on its way out). */
static void renew_if_ended(wd_serve *s)
{
    gs_end how;
    if (!gs_session_ended(s->session, &how) || s->chan_dead) return;
    if (how == GS_END_DETACH || how == GS_END_KILL || how == GS_END_EXITED) wp_chan_hangup(s->chan);
    gs_session_free(s->session);
    gs_io io = {.user = s, .write = chan_write, .log = s->cfg.log ? chan_log : NULL};
    s->session = gs_session_new(wd_target_gs(s->t), &io);
}

/* Feeds n bytes; the first bytes of a session attach the debugger. */
static void feed(wd_serve *s, const uint8_t *buf, size_t n)
{
    if (!s->session) return;
    s->bytes_in += n;
    wde_set_attached(wd_target_engine(s->t), true);
    gs_session_feed(s->session, buf, n);
    renew_if_ended(s);
}

static void hangup(wd_serve *s, bool for_good)
{
    if (for_good) s->chan_dead = true;
    if (s->session && !gs_session_ended(s->session, NULL)) gs_session_hangup(s->session);
    if (!for_good) renew_if_ended(s);
}

/* One read of the channel, waiting at most timeout_ms: what came is fed,
 * and a hang-up ends the session (-EPIPE: this debugger hung up, a
 * listening channel takes the next one later; any other error: the channel
 * is gone). Returns wp_chan_read's result. */
static long read_once(wd_serve *s, int timeout_ms)
{
    uint8_t buf[WD_READ_CHUNK];
    long n = wp_chan_read(s->chan, buf, sizeof buf, timeout_ms);
    if (n > 0)
        feed(s, buf, (size_t)n);
    else if (n < 0 && n != -EAGAIN && n != -EINTR)
        hangup(s, n != -EPIPE);
    return n;
}

/* The store's service, at a poll point while the program runs: whatever
 * arrived is fed without waiting. A debugger that hung up is followed at
 * once by a look for the next one: its connection may be queued already,
 * and the notification that announced it was spent on this one (a
 * listening socket signals once per arrival, not while one waits). */
static void service(wr_store *store, void *user)
{
    (void)store;
    wd_serve *s = user;
    while (!s->chan_dead && s->session) {
        long n = read_once(s, 0);
        if (n <= 0 && n != -EPIPE) break;
    }
}

/* The engine's server, at a stop: waits for the debugger's bytes. After a
 * stop reply nobody answered for stop_timeout_ms the debugger has gone (a
 * serial line has no hang-up): the session detaches, the program runs on. */
static int serve_stopped(void *user)
{
    wd_serve *s = user;
    if (s->chan_dead || !s->session) return -1;
    bool checking = s->cfg.stop_timeout_ms > 0 && gs_session_stop_unanswered(s->session);
    if (read_once(s, checking ? s->cfg.stop_timeout_ms : -1) == 0 && checking) hangup(s, false);
    return 0;
}

/* The engine's listener: the program stopped or exited (its thread). */
static void listener(void *user)
{
    wd_serve *s = user;
    wde_engine *e = wd_target_engine(s->t);
    if (s->cfg.on_trap) {
        wde_stop st;
        wde_get_stop(e, &st);
        if (st.state == WDE_STOPPED && st.reason == WR_DEBUG_TRAP)
            s->cfg.on_trap(s->cfg.on_trap_user, s->store);
    }
    if (!s->session) return;
    gs_session_notify(s->session);
    renew_if_ended(s);
}

static void on_rx(void *user)
{
    wd_serve *s = user;
    wr_store_request_service(s->store);
}

wd_serve *wd_serve_new(wd_target *t, wp_chan *c, const wd_serve_config *cfg)
{
    wd_serve *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->t = t;
    s->chan = c;
    s->cfg = *cfg;
    s->store = wd_target_store(t);
    gs_io io = {.user = s, .write = chan_write, .log = cfg->log ? chan_log : NULL};
    if (!(s->session = gs_session_new(wd_target_gs(t), &io))) {
        free(s);
        return NULL;
    }
    wde_engine *e = wd_target_engine(t);
    wde_set_listener(e, listener, s);
    wde_set_server(e, serve_stopped, s);
    wr_store_set_service(s->store, service, s);
    if (cfg->wait) {
        wde_set_attached(e, true);
        wde_stop_at_entry(e, true);
    }
    wp_chan_on_rx(c, on_rx, s);
    /* bytes that came before the notification was set up */
    wr_store_request_service(s->store);
    return s;
}

void wd_serve_exited(wd_serve *s, int status)
{
    if (s) wde_notify_exit(wd_target_engine(s->t), status, false);
}

void wd_serve_free(wd_serve *s)
{
    if (!s) return;
    wp_chan_on_rx(s->chan, NULL, NULL);
    wr_store_set_service(s->store, NULL, NULL);
    wde_engine *e = wd_target_engine(s->t);
    wde_set_server(e, NULL, NULL);
    wde_set_listener(e, NULL, NULL);
    gs_session_free(s->session);
    free(s);
}

void wd_serve_traffic(const wd_serve *s, uint64_t *in, uint64_t *out)
{
    *in = s->bytes_in;
    *out = s->bytes_out;
}

void wd_serve_traffic_reset(wd_serve *s)
{
    s->bytes_in = s->bytes_out = 0;
}
