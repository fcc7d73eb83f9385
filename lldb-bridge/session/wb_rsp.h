/*
 * The bridge's GDB remote protocol client: one connection to a stub that
 * speaks LLDB's WebAssembly dialect (ours, or another LLDB-compatible one).
 * It shares only the packet codec (wdb/rsp.h) with the stub.
 *
 * Requests are synchronous: wb_rsp_request() sends a packet and waits for
 * its reply. Resuming is split in two: wb_rsp_resume() sends the packet and
 * returns, wb_rsp_wait_stop() waits for the stop reply (with a timeout), and
 * wb_rsp_interrupt() may be called in between (from the same thread, e.g.
 * after a timeout, or from a signal-driven loop).
 *
 * Feature discovery: after wb_rsp_handshake(), `features` says what the
 * stub offers; callers fall back when something is missing (no `vCont;r`:
 * single steps; no watchpoints: say so).
 *
 * Errors: this is the bridge's protocol layer and, as QEMU's gdbstub does
 * inside, it speaks negative errno values: functions return 0, or
 * -ETIMEDOUT, -ECONNRESET, -EPROTO for a reply that does not parse, -EIO
 * for an `Exx` reply (the stub's message, if any, is in
 * wb_rsp_last_error()). wb_session converts them to wb_status + wb_error
 * where it calls them. Only opening a connection, which has no handle to
 * keep a message in yet, fails as the bridge's constructors do: NULL and
 * a wb_error.
 *
 * Prefix: wb_rsp_.
 */
#ifndef WB_RSP_H
#define WB_RSP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wb_common.h"
#include "wdb/wasm_rsp.h"

typedef struct wb_rsp wb_rsp;

typedef struct wb_rsp_features {
    size_t packet_size;    /* PacketSize, or a default of 4096 */
    bool no_ack;           /* QStartNoAckMode accepted */
    bool vcont;            /* vCont? answered */
    bool vcont_range;      /* vCont;r (range stepping) */
    bool libraries;        /* qXfer:libraries:read */
    bool wasm_call_stack;  /* qWasmCallStack answered (checked lazily) */
    bool paged_call_stack; /* qWdbCallStack+ (wdb-run's): stacks deeper than
                              one qWasmCallStack reply read in pages */
    bool watchpoints;      /* qWatchpointSupportInfo gave a count > 0 */
    unsigned watch_slots;
    bool reverse_step;     /* ReverseStep+: `bs` steps one instruction back */
    bool reverse_continue; /* ReverseContinue+: `bc` runs backward */
    char triple[64];       /* from qHostInfo, decoded */
} wb_rsp_features;

typedef enum wb_rsp_stop_kind {
    WB_STOP_SIGNAL = 0, /* T/S: the program is stopped */
    WB_STOP_EXITED,     /* W: exit code in `code` */
    WB_STOP_KILLED,     /* X: signal in `code` */
} wb_rsp_stop_kind;

typedef struct wb_rsp_stop {
    wb_rsp_stop_kind kind;
    int code;    /* exit code (W), signal (T/S/X) */
    uint64_t pc; /* T: from thread-pcs or register 00, if given */
    bool have_pc;
    char reason[32];       /* "breakpoint", "trace", "watchpoint", "exception", "signal", ... */
    char description[256]; /* decoded from hex */
    uint64_t watch_addr;   /* reason watchpoint: first number of the description */
    uint64_t tid;
    /* replaylog:begin / replaylog:end (gdb's record targets, LLDB's
     * lldbreverse.py): a reverse (or replayed forward) run reached the
     * start (end) of the recorded history */
    bool history_begin, history_end;
} wb_rsp_stop;

/* Connects to HOST:PORT (":PORT" or "PORT" mean 127.0.0.1), retrying until
 * timeout_ms passes (a stub that is still starting). NULL with err set. */
wb_rsp *wb_rsp_connect(const char *host_port, int timeout_ms, wb_error *err);
/* Opens a serial line to a stub (raw 8N1; baud 0 leaves the speed as it
 * is) and drops what the line held. NULL with err set. */
wb_rsp *wb_rsp_open_serial(const char *path, unsigned baud, wb_error *err);
/* Takes over a connected descriptor (closed by wb_rsp_close). */
wb_rsp *wb_rsp_from_fd(int fd);
void wb_rsp_close(wb_rsp *c);
/* Writes every packet in and out to f (NULL: none). */
void wb_rsp_set_log(wb_rsp *c, void *f);
/* The default time a request waits for its reply (ms). */
void wb_rsp_set_timeout(wb_rsp *c, int timeout_ms);

/* Negotiates: ack mode off, qSupported, vCont?, qHostInfo. */
int wb_rsp_handshake(wb_rsp *c);
const wb_rsp_features *wb_rsp_features_of(const wb_rsp *c);
/* The text of the last `Exx;MSG` error, or of the last failure. */
const char *wb_rsp_last_error(const wb_rsp *c);

/* Sends one packet and waits for the reply. *reply (owned by c, valid until
 * the next call) is NUL-terminated; *len its length. An empty reply is
 * "unsupported" and returns 0 with *len == 0. `Exx` replies return -EIO. */
int wb_rsp_request(wb_rsp *c, const char *packet, const char **reply, size_t *len);
/* printf-style convenience. */
int wb_rsp_requestf(wb_rsp *c, const char **reply, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Run control. */
int wb_rsp_query_stop(wb_rsp *c, wb_rsp_stop *out); /* `?` */
int wb_rsp_continue(wb_rsp *c);
int wb_rsp_step(wb_rsp *c);
/* vCont;r: step while the pc is in [start, end); -ENOTSUP without it. */
int wb_rsp_range_step(wb_rsp *c, uint64_t start, uint64_t end);
/* Reverse execution (ReverseStep+/ReverseContinue+): `bs` one
 * instruction back, `bc` back until a breakpoint, a watchpoint or the
 * start of the history (history_begin); -ENOTSUP when not offered. */
int wb_rsp_reverse_step(wb_rsp *c);
int wb_rsp_reverse_continue(wb_rsp *c);
/* What the stub's history holds (WRSP_HISTORY): -ENOTSUP when the stub
 * has no such query, -EIO when the program is not recorded. */
typedef struct wb_rsp_history {
    unsigned long long snapshots, bytes, limit;
} wb_rsp_history;
int wb_rsp_history_info(wb_rsp *c, wb_rsp_history *out);
int wb_rsp_interrupt(wb_rsp *c);
/* Waits for the stop reply owed after a resume; timeout_ms < 0 waits
 * forever. -ETIMEDOUT leaves the program running (interrupt, then wait). */
int wb_rsp_wait_stop(wb_rsp *c, wb_rsp_stop *out, int timeout_ms);
int wb_rsp_detach(wb_rsp *c);
int wb_rsp_kill(wb_rsp *c);

/* Parses a stop reply packet. 0 or -EPROTO. */
int wb_rsp_parse_stop(const char *pkt, size_t len, wb_rsp_stop *out);

/* Breakpoints (type 0) and watchpoints (2 write, 3 read, 4 access). */
int wb_rsp_breakpoint(wb_rsp *c, int type, uint64_t addr, uint32_t kind, bool insert);

/* Memory: reads len bytes, splitting into packets; *got = bytes read before
 * the first error. */
int wb_rsp_read(wb_rsp *c, uint64_t addr, void *buf, size_t len, size_t *got);
int wb_rsp_write(wb_rsp *c, uint64_t addr, const void *buf, size_t len);

/* Wasm dialect: the call stack's pcs (innermost first); values of locals,
 * globals and operand stack entries as little-endian bytes. */
int wb_rsp_call_stack(wb_rsp *c, uint64_t *pcs, size_t max, size_t *n);
int wb_rsp_wasm_value(wb_rsp *c, const char *what /* "Local", "Global", "StackValue" */,
                      uint32_t frame, uint32_t index, uint8_t *buf, size_t cap, size_t *len);

/* RSP addresses: wdb/wasm_rsp.h (wrsp_addr_*), the same as the stub's. */

#endif
