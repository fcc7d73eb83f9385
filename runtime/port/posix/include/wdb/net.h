/* Addresses of the TCP servers and clients of wdb and wdb-run: the one
 * home of the ADDR:PORT syntax and of the loopback policy (docs/SECURITY.md:
 * the GDB stub and the DAP websocket server listen on loopback only unless
 * told otherwise). Used by gdbstub/src/gs_transport.c (wdb-run -g,
 * --gdb-listen), lldb-bridge/frontends/dap/wdb_dap_ws.c (wdb --dap-ws) and
 * lldb-bridge/session/wb_rsp.c (target remote HOST:PORT). Dependency-free: C
 * library and POSIX. The two servers listen through wdb_net_listen, so the
 * loopback check is written once.
 *
 * Prefix: wdb_net_. */
#ifndef WDB_NET_H
#define WDB_NET_H

#include <stdbool.h>
#include <stddef.h>

struct sockaddr;

/* Splits "ADDR:PORT", "[IPV6]:PORT", ":PORT" or "PORT" into host (cap
 * bytes, NUL-terminated; 127.0.0.1 when the spec names none) and port
 * (0-65535; its text into port_text, 8 bytes). An unbracketed address with
 * a colon in it (IPv6) is refused: the port would be ambiguous. Returns 0,
 * or -1 with the reason in errbuf ("bad address '...': ...", "bad port in
 * '...': ..."). */
int wdb_net_split(const char *spec, char *host, size_t cap, char port_text[8], char *errbuf,
                  size_t errlen);

/* Whether sa is a loopback address: 127.0.0.0/8, ::1, or ::ffff:127.x.y.z. */
bool wdb_net_is_loopback(const struct sockaddr *sa);

/* How a server listens (wdb_net_listen). */
typedef struct wdb_net_listen_opts {
    bool allow_remote; /* false: a non-loopback address is refused */
    const char *what;  /* the server, for the refusal ("listen", "serve DAP") */
    const char *risk;  /* why it is refused and how to allow it anyway */
    int backlog;       /* listen(2)'s queue */
    bool nonblock;     /* the listening descriptor non-blocking */
} wdb_net_listen_opts;

/* Resolves spec (wdb_net_split's syntax), refuses a non-loopback address
 * unless allowed ("refusing to WHAT on non-loopback address 'HOST': RISK"),
 * and binds and listens (SO_REUSEADDR, close-on-exec). Returns the
 * descriptor, the bound address's text (bound, INET6_ADDRSTRLEN bytes,
 * or NULL) and port (port_out, or NULL: port 0 asks for any), whether it
 * is loopback (*loopback, or NULL); or -1 with the reason in errbuf. */
int wdb_net_listen(const char *spec, const wdb_net_listen_opts *opts, char *bound, int *port_out,
                   bool *loopback, char *errbuf, size_t errlen);

#endif
