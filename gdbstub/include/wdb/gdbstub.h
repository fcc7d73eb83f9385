/*
 * wdb's GDB remote protocol server, in LLDB's WebAssembly dialect
 * (../shared/design/PROTOCOL.md). It knows nothing of the runtime: it talks
 * to the debuggee through the callback table gs_target, in RSP terms (RSP
 * addresses, frames, locals by index). runtime/cli/ wires it to the debug
 * engine.
 *
 * One session at a time per gs_serve() call: the caller hands over a
 * connected file descriptor (a TCP socket or a serial line); gs_serve reads
 * packets, runs commands and returns when the debugger detaches, kills the
 * program, disconnects or the program exits.
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
#define GS_MAX_PACKET 16384

typedef enum gs_state { GS_RUNNING = 0, GS_STOPPED, GS_EXITED } gs_state;

typedef enum gs_reason {
    GS_REASON_ENTRY = 0, /* before the first instruction */
    GS_REASON_BREAKPOINT,
    GS_REASON_STEP,
    GS_REASON_INTERRUPT,
    GS_REASON_TRAP,      /* the program trapped: description says how */
    GS_REASON_WATCHPOINT,
} gs_reason;

typedef struct gs_stop {
    gs_state state;
    gs_reason reason;        /* GS_STOPPED */
    uint64_t pc;             /* GS_STOPPED: RSP code address */
    char description[256];   /* GS_REASON_TRAP: the trap's message */
    uint64_t watch_addr;     /* GS_REASON_WATCHPOINT: RSP memory address */
    int watch_kind;          /* 2 write, 3 read, 4 access (as in Z2..Z4) */
    int exit_code;           /* GS_EXITED */
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
    /* A descriptor that becomes readable when the program's state may have
     * changed (it stopped or exited). The stub drains it. */
    int wake_fd;

    void (*get_stop)(void *user, gs_stop *out);
    int (*resume)(void *user, gs_action action, uint64_t start, uint64_t end);
    int (*interrupt)(void *user); /* any state; the stop arrives through wake_fd */
    int (*kill)(void *user);
    int (*detach)(void *user);    /* remove breakpoints/watchpoints and run on */

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
} gs_target;

typedef enum gs_end {
    GS_END_DETACH = 0, /* `D`: the program runs on */
    GS_END_KILL,       /* `k`: the program was ended */
    GS_END_DISCONNECT, /* the connection closed or failed: the target was detached */
    GS_END_EXITED,     /* the program exited and the debugger was told */
} gs_end;

/* Serves one debugger on fd (not closed here). Optional log: every packet
 * in and out is written to it (NULL for none). */
gs_end gs_serve(const gs_target *t, int fd, void *log_file);

/* ----------------------------------------------------------- transports */

/* Parses "ADDR:PORT", ":PORT" or "PORT" (ADDR default 127.0.0.1; "[::1]:P"
 * for IPv6) and listens there. A non-loopback address is refused unless
 * allow_remote. Returns a listening fd, or -1 with errbuf set. The actual
 * port (for PORT 0) goes to *port_out if not NULL. */
int gs_listen_tcp(const char *spec, bool allow_remote, int *port_out, char *errbuf, size_t errlen);
/* Accepts one connection (blocking); -1 on error. Sets TCP_NODELAY. */
int gs_accept(int listen_fd);
/* Opens a serial device in raw 8N1 mode at `baud` (0 = leave the speed as
 * it is). -1 with errbuf set on error. */
int gs_open_tty(const char *path, unsigned baud, char *errbuf, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
