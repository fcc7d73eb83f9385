/*
 * wb_dap: one Debug Adapter Protocol session (the protocol of VS Code's
 * debugger UI: https://microsoft.github.io/debug-adapter-protocol/) over a
 * wb_session. Transport-free: a transport (stdio with Content-Length
 * framing, `wdb --dap`; a websocket, `wdb --dap-ws`) hands it each
 * incoming message's JSON text and sends what it produces.
 *
 * Threads: wb_dap_receive may be called from the transport's thread at
 * any time; the session runs on a thread of its own (started by
 * wb_dap_new), so a `pause` can interrupt a running program and events
 * (output, stopped, exited) are sent while requests wait. `send` is called
 * from the session's thread (and from its output reader): the transport
 * must accept calls from other threads than its own (queue and wake).
 */
#ifndef WB_DAP_H
#define WB_DAP_H

#include "wb_common.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct wb_dap wb_dap;
struct wb_session;

/* Sends one complete DAP message (a JSON object, not NUL-terminated). */
typedef void (*wb_dap_send_fn)(void *user, const char *json, size_t len);

typedef struct wb_dap_opts {
    const char *runtime;           /* wdb-run for `launch` (NULL: as wb_session) */
    const char *const *source_map; /* NULL-terminated pairs "FROM", "TO"
                                      (path prefixes) from the command line;
                                      launch/attach may add their own */
    FILE *log;                     /* every message in and out, or NULL */
} wb_dap_opts;

/* Starts a session; NULL when out of memory. */
wb_dap *wb_dap_new(const wb_dap_opts *opts, wb_dap_send_fn send, void *user);

/* One incoming message (any JSON; malformed JSON and unknown requests get
 * an error response, never a crash). Copies the text. */
void wb_dap_receive(wb_dap *d, const char *json, size_t len);

/* Waits until every message received so far has been handled (at most
 * timeout_ms; a request that runs the program is handled when it stops):
 * a transport whose input ended calls it so that the requests already sent
 * still get their responses. True when idle. */
bool wb_dap_wait_idle(wb_dap *d, int timeout_ms);

/* The client went away: ends (or detaches from, after `attach`) the
 * program and stops the session's thread, then frees everything. */
void wb_dap_free(wb_dap *d);

/* True once the session sent `terminated` and answered `disconnect`: the
 * transport may close the connection. */
bool wb_dap_done(const wb_dap *d);

#endif
