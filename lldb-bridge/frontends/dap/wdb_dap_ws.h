/*
 * wdb_dap_ws: the websocket transport of the DAP server, `wdb --dap-ws
 * ADDR:PORT` (libwebsockets). Each connection is one wb_dap session; one
 * DAP JSON message travels in one websocket text message. The security
 * rules (loopback by default, a token on every connection, the Origin
 * check, size limits) are in docs/SECURITY.md, "DAP websocket server".
 *
 * Command line (wb_dap_ws_cli):
 *   wdb --dap-ws=ADDR:PORT [--dap-token=TOKEN] [--dap-origin=ORIGIN]...
 *       [--dap-allow-remote] [--runtime=PATH] [--source-map=FROM::TO]...
 *       [--dap-log=FILE]
 * (--runtime, --source-map and --dap-log as for `wdb --dap`; the log gets
 * the messages of every session.)
 * The token may come from the environment variable WDB_DAP_TOKEN instead
 * (better: command lines are visible to other users in ps). ADDR defaults
 * to 127.0.0.1; port 0 picks a free port. When listening, one line goes to
 * stderr: `wdb: DAP websocket server on ws://ADDR:PORT (token required)`
 * with the actual port. SIGINT or SIGTERM end the server; the exit status
 * is then 0 (1 when the server could not start, 2 for usage errors).
 */
#ifndef WDB_DAP_WS_H
#define WDB_DAP_WS_H

#include "wb_dap.h"

#include <stdbool.h>

/* Limits (bytes). A message over WB_DAP_WS_MAX_MESSAGE closes the
 * connection with 1009; a client that lets more than WB_DAP_WS_MAX_QUEUE
 * of outgoing messages pile up is dropped (1008). */
#define WB_DAP_WS_MAX_MESSAGE (16u * 1024 * 1024)
#define WB_DAP_WS_MAX_QUEUE (64u * 1024 * 1024)
/* Shortest token accepted: guessing must stay hopeless. */
#define WB_DAP_WS_MIN_TOKEN 16

/* Runs the server until SIGINT/SIGTERM; returns the process exit status.
 * addr_port: "ADDR:PORT", "[V6ADDR]:PORT", ":PORT" or "PORT". token: the
 * shared secret every connection must present (at least
 * WB_DAP_WS_MIN_TOKEN printable ASCII characters, no spaces).
 * allowed_origins: NULL-terminated list of browser Origins accepted besides
 * the built-in ones (or NULL). allow_remote: permit a non-loopback ADDR.
 * o: options of every session; it and everything it points to must stay
 * alive until the call returns. Installs SIGINT/SIGTERM/SIGPIPE handlers
 * for its duration (restored on return): one server per process. */
int wb_dap_ws_main(const char *addr_port, const char *token, const char *const *allowed_origins,
                   bool allow_remote, const wb_dap_opts *o);

/* True if arg (as on the command line: "--dap-ws=...", "-dap-ws", ...) is
 * one of the websocket server's own options; wdb_main.c then hands the
 * whole command line to wb_dap_ws_cli. */
bool wb_dap_ws_is_option(const char *arg);

/* Parses the whole command line (argv[0] is the program) for the options
 * above, refuses any other word, and runs wb_dap_ws_main. Returns the
 * process exit status. */
int wb_dap_ws_cli(int argc, char **argv);

#endif
