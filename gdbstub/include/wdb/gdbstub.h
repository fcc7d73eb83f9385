/*
 * wdb's GDB remote protocol server, in LLDB's WebAssembly dialect
 * (../shared/design/PROTOCOL.md). It knows nothing of the runtime: it talks
 * to the debuggee through the callback table gs_target, in RSP terms (RSP
 * addresses, frames, locals by index). runtime/wdb-run/ wires it to the debug
 * engine.
 *
 * A session (gs_session) is fed the bytes that arrive from the debugger and
 * writes its replies through a gs_io; it knows no descriptor, thread or
 * clock. Two ways to drive one:
 *   - gs_serve() (POSIX, gs_transport.c): a thread of its own polls a
 *     connected descriptor (a TCP socket or a serial line) and the target's
 *     wake_fd until the session ends;
 *   - single-threaded (a device, or wdb-run --gdb-single-thread): the
 *     program's thread feeds the session from its stops and, while it
 *     runs, from the interpreter's poll points, and calls
 *     gs_session_notify() when the program stops or exits.
 *
 * Prefix: gs_.
 */
#ifndef WDB_GDBSTUB_H
#define WDB_GDBSTUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Largest packet payload the stub accepts and sends (advertised as
 * PacketSize). A memory read reply is 2 hex digits per byte, so one `m`
 * returns at most (GS_MAX_PACKET - 1) / 2 bytes; LLDB splits its reads to fit. */
#ifndef GS_MAX_PACKET
#define GS_MAX_PACKET 16384
#endif

/* Reverse execution (bs, bc; wdb/wasm_rsp.h): host builds define
 * GS_REVERSE=1 (wdb::gdbstub's interface); the firmware leaves it out. */
#ifndef GS_REVERSE
#define GS_REVERSE 0
#endif

typedef enum gs_state { GS_RUNNING = 0, GS_STOPPED, GS_EXITED } gs_state;

typedef enum gs_reason {
    GS_REASON_ENTRY = 0, /* before the first instruction */
    GS_REASON_BREAKPOINT,
    GS_REASON_STEP,
    GS_REASON_INTERRUPT,
    GS_REASON_TRAP, /* the program trapped: description says how */
    GS_REASON_WATCHPOINT,
} gs_reason;

typedef struct gs_stop {
    gs_state state;
    gs_reason reason;      /* GS_STOPPED */
    uint64_t pc;           /* GS_STOPPED: RSP code address */
    char description[256]; /* GS_REASON_TRAP: the trap's message */
    uint64_t watch_addr;   /* GS_REASON_WATCHPOINT: RSP memory address */
    int watch_kind;        /* 2 write, 3 read, 4 access (as in Z2..Z4) */
    int exit_code;         /* GS_EXITED */
#if GS_REVERSE
    bool history_begin; /* GS_STOPPED at the start of the recorded history */
#endif
} gs_stop;

typedef enum gs_action {
    GS_CONTINUE = 0,
    GS_STEP,       /* one instruction */
    GS_RANGE_STEP, /* while pc in [start, end) in this frame (vCont;r) */
} gs_action;

/* The debuggee. Every function returns 0 or a negative errno value (sent as
 * an `Exx` reply). `user` is passed back to each. Addresses are RSP
 * addresses (PROTOCOL.md "Addresses"). Calls that need a stopped program are
 * only made while the last reported state is GS_STOPPED. */
typedef struct gs_target {
    void *user;
    const char *module_path;  /* named in qXfer:libraries:read */
    const char *process_name; /* thread name in stop replies */
    uint32_t max_watchpoints; /* how many it holds (qWatchpointSupportInfo) */
    /* For gs_serve: a descriptor that becomes readable when the program's
     * state may have changed (it stopped or exited). gs_serve drains it.
     * Single-threaded drivers call gs_session_notify instead (-1 here). */
    int wake_fd;

    void (*get_stop)(void *user, gs_stop *out);
    int (*resume)(void *user, gs_action action, uint64_t start, uint64_t end);
    int (*interrupt)(void *user); /* any state; the stop arrives through wake_fd */
    int (*kill)(void *user);
    int (*detach)(void *user); /* remove breakpoints/watchpoints and run on */

    int (*breakpoint)(void *user, uint64_t addr, bool insert);
    /* kind: 2 write, 3 read, 4 access */
    int (*watchpoint)(void *user, int kind, uint64_t addr, uint32_t len, bool insert);

    /* pcs of frames first .. first+max-1 of the call stack, innermost
     * first (*n set), and the whole stack's depth (*total) */
    int (*call_stack)(void *user, size_t first, uint64_t *pcs, size_t max, size_t *n,
                      size_t *total);
    /* a value's little-endian bytes (*len set, at most 16) */
    int (*wasm_local)(void *user, uint32_t frame, uint32_t index, uint8_t *buf, size_t *len);
    int (*wasm_global)(void *user, uint32_t frame, uint32_t index, uint8_t *buf, size_t *len);
    int (*wasm_stack_value)(void *user, uint32_t frame, uint32_t index, uint8_t *buf, size_t *len);

    /* reads up to len bytes; *got = how many were readable from addr on
     * (0 -> an error reply) */
    int (*read_memory)(void *user, uint64_t addr, uint8_t *buf, size_t len, size_t *got);
    int (*write_memory)(void *user, uint64_t addr, const uint8_t *buf, size_t len);
    /* the region containing addr: start/size and "rw", "rx" or "" (no
     * access: then start/size describe the unmapped gap up to the next
     * region, as LLDB expects) */
    int (*memory_region)(void *user, uint64_t addr, uint64_t *start, uint64_t *size,
                         const char **perms);
#if GS_REVERSE
    /* Optional (NULL: not offered): resume backwards, one instruction
     * (step) or to the previous breakpoint/watchpoint hit; the stop comes
     * like a forward one's. -ENOTSUP when the program is not recorded. */
    int (*reverse)(void *user, bool step);
    bool (*can_reverse)(void *user);
    /* Optional: what the history holds (WRSP_HISTORY). */
    int (*history)(void *user, size_t *snapshots, size_t *bytes, size_t *limit);
#endif
} gs_target;

typedef enum gs_end {
    GS_END_DETACH = 0, /* `D`: the program runs on */
    GS_END_KILL,       /* `k`: the program was ended */
    GS_END_DISCONNECT, /* the connection closed or failed: the target was detached */
    GS_END_EXITED,     /* the program exited and the debugger was told */
} gs_end;

/* Where a session's bytes go. */
typedef struct gs_io {
    void *user;
    /* Writes all of buf: 0, or a negative errno value (the connection
     * failed: the session ends as GS_END_DISCONNECT). */
    int (*write)(void *user, const void *buf, size_t len);
    /* Optional: one line per packet in ("-> ...") and out ("<- ..."). */
    void (*log)(void *user, const char *line);
} gs_io;

typedef struct gs_session gs_session;

/* A session serving one debugger. t and everything it points to must
 * outlive it; io is copied. NULL when out of memory. Its size is about
 * 4 * GS_MAX_PACKET bytes (receive, reply and framing buffers). */
gs_session *gs_session_new(const gs_target *t, const gs_io *io);
void gs_session_free(gs_session *s);
/* Bytes from the debugger: every packet they complete is answered. */
void gs_session_feed(gs_session *s, const uint8_t *buf, size_t len);
/* The program's state may have changed (it stopped or exited): sends the
 * stop reply the debugger waits for, if it waits for one. */
void gs_session_notify(gs_session *s);
/* The connection is gone: detaches the target (its breakpoints are removed
 * and it runs on); the session ends as GS_END_DISCONNECT. */
void gs_session_hangup(gs_session *s);
/* Whether the session is over (then how it ended, if how is not NULL). A
 * session that ended is only freed; a new debugger gets a new one. */
bool gs_session_ended(const gs_session *s, gs_end *how);
/* Whether the debugger resumed the program and waits for a stop reply. */
bool gs_session_waiting(const gs_session *s);
/* Whether a stop reply was sent (gs_session_notify) and no byte has come
 * in since: a debugger always answers a stop with queries at once, so
 * silence for long after one on a serial line (which has no hang-up)
 * means it has gone. */
bool gs_session_stop_unanswered(const gs_session *s);

/* POSIX: serves one debugger on fd (not closed here) from the calling
 * thread until the session ends. Optional log: a FILE * that every packet
 * in and out is written to (NULL for none). */
gs_end gs_serve(const gs_target *t, int fd, void *log_file);

/* ----------------------------------------------------------- transports */

/* Parses "ADDR:PORT", ":PORT" or "PORT" (ADDR default 127.0.0.1; "[::1]:P"
 * for IPv6) and listens there. A non-loopback address is refused unless
 * allow_remote. Returns a listening fd, or -1 with errbuf set. The actual
 * port (for PORT 0) goes to *port_out if not NULL. */
int gs_listen_tcp(const char *spec, bool allow_remote, int *port_out, char *errbuf, size_t errlen);
/* Accepts one connection (blocking); -1 on error. Sets TCP_NODELAY. */
int gs_accept(int listen_fd);
/* Serial lines: rsp_open_serial (wdb/rsp_serial.h). */

#ifdef __cplusplus
}
#endif
#endif
