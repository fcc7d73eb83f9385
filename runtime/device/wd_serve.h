/*
 * Single-threaded debugger serving: the GDB stub on a byte channel
 * (platform.h's wp_chan: a device's UART, or a socket for `wdb-run
 * --gdb-single-thread`), driven entirely from the program's thread:
 *   - at every stop, from the debug engine's hook (wde_set_server): it
 *     reads the channel and answers until the debugger resumes;
 *   - while the program runs, from the runtime's poll points
 *     (wr_store_set_service): the channel's receive notification (a UART
 *     interrupt, SIGIO) requests a service call, which feeds what arrived
 *     (an interrupt byte, a packet) to the session.
 * There is no lock, thread or descriptor here: a port needs only
 * platform.h.
 *
 * A serial line has no connect or hang-up: a debugger "attaches" when its
 * first bytes arrive, and a new handshake (QStartNoAckMode) on the line
 * starts over. After `D`, or when the channel reports a hang-up, the
 * program runs on and the next debugger gets a fresh session.
 *
 * Prefix: wd_.
 */
#ifndef WD_SERVE_H
#define WD_SERVE_H

#include "wd_target.h"
#include "wdb/platform.h"

typedef struct wd_serve wd_serve;

typedef struct wd_serve_config {
    /* Stop the program before its first instruction and treat a debugger
     * as attached from the start (wdb-run -g, a firmware built to wait). */
    bool wait;
    /* > 0: after a stop reply, this long without a single byte from the
     * debugger means it has gone (a serial line cannot tell): it is
     * detached and the program runs on. A debugger always answers a stop
     * at once with its queries. 0: wait for ever. */
    int stop_timeout_ms;
    /* Called on the program's thread at a trap stop, before the debugger
     * hears of it (frames live): a core dump. NULL for none. */
    void (*on_trap)(void *user, wr_store *store);
    void *on_trap_user;
    /* Optional packet log, one line per packet. */
    void (*log)(void *user, const char *line);
    void *log_user;
} wd_serve_config;

/* Serves t's program on c. t and c must outlive it. Sets the engine's
 * server and listener, the store's service and the channel's receive
 * notification. NULL when out of memory. */
wd_serve *wd_serve_new(wd_target *t, wp_chan *c, const wd_serve_config *cfg);
/* The program ended with this status: tells the debugger if it waits for
 * it. Call before wd_serve_free. */
void wd_serve_exited(wd_serve *s, int status);
/* Takes every hook back and frees s. NULL is fine. */
void wd_serve_free(wd_serve *s);
/* How many bytes went each way on the channel (for the footprint bench). */
void wd_serve_traffic(const wd_serve *s, uint64_t *in, uint64_t *out);
/* Resets the counters. */
void wd_serve_traffic_reset(wd_serve *s);

#endif
