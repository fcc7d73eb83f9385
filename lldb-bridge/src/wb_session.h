/*
 * wb_session: one debugging session of one module, shared by the terminal
 * front end and the DAP server. It owns the module (wb_wasm, wb_dwarf),
 * the connection to the stub (wb_rsp), the program's process when `wdb`
 * started it, the breakpoints, and the stop state with its frames.
 *
 * Source-level run control lives here: `next`/`step` range-step through
 * the current line inside the stub (vCont;r: one round trip per line, or
 * one per call when stepping in), `finish`/`until`/`advance` use temporary
 * breakpoints; without range stepping in the stub it falls back to single
 * steps and says so once.
 *
 * Frames: the stub's call stack (qWasmCallStack), each physical frame
 * expanded into its inlined calls as gdb shows them (innermost first).
 *
 * All functions are for one thread. Output is never printed here: events
 * and data are returned for the front end to format.
 */
#ifndef WB_SESSION_H
#define WB_SESSION_H

#include "wb_common.h"
#include "wb_dwarf.h"
#include "wb_rsp.h"
#include "wb_value.h"
#include "wb_wasm.h"

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

typedef struct wb_session wb_session;

/* Opens the module. *note is set (static or session-owned text) when the
 * session works without source information: no DWARF, or DWARF that cannot
 * be read; address-level debugging still works. NULL with err on a module
 * that cannot be read at all. */
wb_session *wb_session_new(const char *module_path, const char **note, wb_error *err);
void wb_session_free(wb_session *s); /* kills a program it started */

const wb_wasm *wb_session_wasm(const wb_session *s);
wb_dwarf *wb_session_dwarf(const wb_session *s); /* NULL without DWARF */
const char *wb_session_module_path(const wb_session *s);

/* Packet log for every connection (NULL: none). */
void wb_session_set_log(wb_session *s, FILE *log);

/* ---------------------------------------------------------- the program */

typedef enum wb_proc_state {
    WB_PROC_NONE,    /* no program: not started, exited, killed, detached */
    WB_PROC_STOPPED, /* stopped; frames and values can be read */
} wb_proc_state;

wb_proc_state wb_session_state(const wb_session *s);

typedef struct wb_launch {
    const char *runtime;             /* wdb-run to start; NULL: next to this
                                        executable, then $WDB_RUN, then PATH */
    const char *const *args;         /* the program's arguments (argv[1..]), NULL
                                        terminated; may be NULL */
    const char *const *runtime_args; /* extra wdb-run options (--dir=...,
                                        --env=...), NULL terminated */
    const char *cwd;                 /* NULL: ours */
    int stdout_fd, stderr_fd;        /* the program's output; -1: ours */
} wb_launch;

/* Starts the program under `wdb-run --gdb-fd` (a socketpair), connects,
 * and leaves it stopped before its first instruction. Breakpoints already
 * set are inserted. */
wb_status wb_session_launch(wb_session *s, const wb_launch *l, wb_error *err);
/* Connects to a stub at HOST:PORT (a device, or wdb-run -g/--gdb-listen),
 * or on a serial line when the target is a path (/dev/ttyUSB0), and stops
 * the program (it may be running: it is interrupted). */
wb_status wb_session_attach(wb_session *s, const char *host_port, wb_error *err);
/* The speed of serial lines opened by wb_session_attach (0: leave it). */
void wb_session_set_serial_baud(wb_session *s, unsigned baud);
/* Post-mortem: opens a core file (WebAssembly tool-conventions
 * Coredump.md) of this module. The session is then stopped at the trap,
 * read-only: frames, variables and memory come from the core; run control
 * says "The program is not being run.". A core of another module is an
 * error (checked by wdb's module hash, or by name with *warning set when
 * the core has no hash and its module name differs). */
wb_status wb_session_open_core(wb_session *s, const char *core_path, char *warning,
                               size_t warning_len, wb_error *err);
/* Whether the session shows a core file, and its trap message (or NULL)
 * and executable name. A core that does not name its trap (another
 * runtime's: the format has no place for it) gets what the innermost
 * frame's instruction can trap with, marked as inferred. */
bool wb_session_is_core(const wb_session *s);
const char *wb_session_core_trap(const wb_session *s);
const char *wb_session_core_executable(const wb_session *s);
/* A core saved while the program was stopped but had not trapped (`gcore`
 * at a breakpoint, a step, an interrupt: `wdb.trap` of kind
 * WCD_TRAP_NONE): how it had stopped ("breakpoint", "step", "interrupt",
 * "entry", "watchpoint", ...). NULL otherwise; wb_session_core_trap is
 * then NULL for it. */
const char *wb_session_core_stop(const wb_session *s);
/* gdb's gcore: writes the stopped program's state to `path` as a core file
 * (wdb/coredump.h, the format wdb-run --core-on-trap writes and
 * wb_session_open_core reads), through the stub: any stub speaking LLDB's
 * Wasm dialect, a device's too. What it holds:
 *   - the physical frames (qWasmCallStack), each as its function index
 *     and the offset in its body (callers: their call instruction, found
 *     from the return address, so that a core reopened shows the same
 *     pcs as the live stop); the locals as many as the function has
 *     (parameters + declared locals in the module, typed from it;
 *     qWasmLocal), the operand stack (qWasmStackValue until the stub has
 *     none; 8-byte values as i64, 4-byte ones as i32);
 *   - the globals (count and types from the module; qWasmGlobal), linear
 *     memory 0 (its size from qMemoryRegionInfo; `m` reads, each byte
 *     once; all-zero 4 KiB chunks left out);
 *   - `wdb.module` for the module file this session has (the stub cannot
 *     tell which one it runs) and `wdb.trap`: at a trap stop its message
 *     and kind (from the stop's description, "trap: MSG (KIND)"); at any
 *     other stop kind WCD_TRAP_NONE and how it stopped.
 * The file appears whole or not at all (temporary file + rename). Errors:
 * "The program is not being run." without a live stopped program (a
 * core file session included); the stub's or the file's error otherwise. */
wb_status wb_session_gcore(wb_session *s, const char *path, wb_error *err);
/* Lets the program run on without us / ends it. */
wb_status wb_session_detach(wb_session *s, wb_error *err);
wb_status wb_session_kill(wb_session *s, wb_error *err);
/* The pid of the program we started last (it may have ended), or 0. */
pid_t wb_session_pid(const wb_session *s);
/* What the stub lacks, as a sentence, or NULL ("range stepping (single
 * steps instead), watchpoints"). */
const char *wb_session_missing_features(const wb_session *s);

/* --------------------------------------------------------- breakpoints */

typedef enum wb_bp_type { WB_BP_BREAK, WB_BP_WATCH, WB_BP_RWATCH, WB_BP_AWATCH } wb_bp_type;

typedef struct wb_bp_loc {
    wb_code_off addr;
    const char *file; /* NULL without line info */
    uint32_t line;
    const char *function;
} wb_bp_loc;

typedef struct wb_bp {
    int number;
    wb_bp_type type;
    bool temporary, enabled;
    char *spec;      /* as the user wrote it: "fib.c:6", "fib", "*0x10", or
                        the watched expression */
    char *condition; /* NULL: none */
    unsigned ignore; /* hits still to ignore */
    unsigned hits;
    size_t nlocs;
    wb_bp_loc *locs;
    /* watchpoints: */
    uint64_t watch_addr;
    uint32_t watch_len;
    wb_value old_value; /* last value seen (write watchpoints) */
    /* a watchpoint on an expression with locals: the call depth of their
     * frame (0: the expression has no locals) and where that frame returns
     * to; the watchpoint is deleted when the frame returns (gdb) */
    size_t scope_depth;
    wb_code_off scope_ret;
    char *log_message; /* DAP logpoints: NULL for a breakpoint */
} wb_bp;

/* Sets a breakpoint: FILE:LINE, LINE (in `default_file`), FUNCTION, or
 * *ADDR (a code offset). WB_NOT_FOUND: nothing matches (err says why). */
wb_status wb_session_break(wb_session *s, const char *spec, const char *default_file,
                           bool temporary, const wb_bp **out, wb_error *err);
/* Where a breakpoint on `spec` would go, without setting one (`list`,
 * `info line`, `disassemble`): *locs is malloc'd (free()). */
wb_status wb_session_resolve(wb_session *s, const char *spec, const char *default_file,
                             wb_bp_loc **locs, size_t *n, wb_error *err);
/* Where a breakpoint on the line whose statement row starts at `addr`
 * goes: `addr`, or, when the row starts with only the `block`/`loop`
 * instructions opening a loop, the first instruction inside the last
 * `loop` (every iteration passes it; the row's start is passed once). */
wb_code_off wb_session_loop_head_site(wb_session *s, wb_code_off addr);
/* A watchpoint on an lvalue expression, evaluated in frame `frame`. */
wb_status wb_session_watch(wb_session *s, wb_bp_type type, const char *expr, size_t frame,
                           const wb_bp **out, wb_error *err);
wb_status wb_session_delete(wb_session *s, int number, wb_error *err);
wb_status wb_session_enable(wb_session *s, int number, bool on, wb_error *err);
wb_status wb_session_condition(wb_session *s, int number, const char *cond, wb_error *err);
wb_status wb_session_ignore(wb_session *s, int number, unsigned count, wb_error *err);
wb_status wb_session_set_log_message(wb_session *s, int number, const char *msg, wb_error *err);
size_t wb_session_bp_count(const wb_session *s);
const wb_bp *wb_session_bp(const wb_session *s, size_t i);
const wb_bp *wb_session_bp_by_number(const wb_session *s, int number);

/* ---------------------------------------------------------- run control */

typedef enum wb_run {
    WB_RUN_CONTINUE,
    WB_RUN_STEP,    /* source line, into calls with line info */
    WB_RUN_NEXT,    /* source line, over calls */
    WB_RUN_STEPI,   /* one instruction, into calls */
    WB_RUN_NEXTI,   /* one instruction, over calls */
    WB_RUN_FINISH,  /* until the selected frame returns */
    WB_RUN_UNTIL,   /* `next`, but not backwards into a loop */
    WB_RUN_ADVANCE, /* to a location, or until the current frame returns */
} wb_run;

typedef enum wb_stop_why {
    WB_WHY_ENTRY,       /* stopped before the first instruction */
    WB_WHY_BREAKPOINT,  /* bp */
    WB_WHY_WATCHPOINT,  /* bp; old and new values */
    WB_WHY_WATCH_SCOPE, /* bp: a watchpoint deleted as its frame returned */
    WB_WHY_STEP,        /* a step/next/finish/until/advance ended */
    WB_WHY_TRAP,        /* description: the trap's message */
    WB_WHY_INTERRUPT,   /* wb_session_interrupt or Ctrl-C */
    WB_WHY_SIGNAL,      /* another stop the stub reported (description) */
    WB_WHY_EXITED,      /* exit code */
    WB_WHY_KILLED,
} wb_stop_why;

typedef struct wb_stop {
    wb_stop_why why;
    int bp;            /* breakpoint/watchpoint number, or 0 */
    bool bp_temporary; /* it was a temporary one (now deleted) */
    int exit_code;
    char description[256];
    bool new_function; /* the stop is in another function or frame than
                          the one the resume started in (gdb prints
                          the frame line then) */
    /* finish: the value returned (has_value), and the frame that ran;
     * value_type (no value) when the function returns something that
     * cannot be read: a struct returned through memory, or a stub that
     * cannot read the operand stack */
    bool has_value;
    wb_value value;
    const wb_type *value_type;
    wb_value watch_old, watch_new; /* watchpoints (size 0 for rwatch) */
    bool watch_has_old;
} wb_stop;

void wb_stop_free(wb_stop *st);

/* Lets the program go until the next stop worth reporting (breakpoint
 * conditions and ignore counts, logpoints and internal stops handled
 * inside). `frame` is the selected frame for finish/until/advance; `where`
 * the location for until/advance (NULL otherwise). `on_log`, if not NULL,
 * receives logpoint messages. The stop is also kept: see below. */
typedef void (*wb_log_fn)(void *user, const char *text);
wb_status wb_session_resume(wb_session *s, wb_run how, size_t frame, const char *where,
                            wb_stop *out, wb_error *err);
void wb_session_on_log(wb_session *s, wb_log_fn fn, void *user);
/* Asks a running program to stop (async-signal-safe: only writes 0x03). */
void wb_session_interrupt(wb_session *s);
/* A stop check callback polled while the program runs (Ctrl-C in the
 * terminal, DAP pause): returns true to interrupt. May be NULL. */
void wb_session_set_poll(wb_session *s, bool (*poll)(void *user), void *user);

/* --------------------------------------------------------------- frames */

typedef struct wb_frame {
    size_t phys;           /* the stub's frame index */
    wb_code_off pc;        /* code offset: where the frame is (callers: the
                              return address) */
    wb_code_off lookup_pc; /* pc for line and scope lookups (callers:
                              pc - 1, inside the call instruction) */
    bool has_pc;           /* false for an address outside the Code
                              section */
    const wb_scope *fn;    /* function or inlined call, NULL without DWARF */
    const wb_scope *inner; /* innermost scope of this frame (block) */
    const char *function;  /* display name ("fib", "ns::S::f", "??") */
    const char *file;      /* NULL without line info */
    uint32_t line, column;
    bool inlined; /* an inlined call: shares phys with the next */
} wb_frame;

/* Frames of the current stop (innermost first); 0 when not stopped. The
 * pointer lives until the next resume. */
size_t wb_session_frame_count(wb_session *s);
const wb_frame *wb_session_frame(wb_session *s, size_t i);

/* The frame's variables: parameters (args) or locals of every scope from
 * the innermost block out to the function (innermost first, as gdb's
 * `info locals`). Each wb_value is read now; free with wb_session_vars_free. */
typedef struct wb_named_value {
    const char *name;
    const wb_var *var;
    wb_value value;
    wb_error error; /* error.msg[0] != 0 when reading failed */
} wb_named_value;

wb_status wb_session_frame_vars(wb_session *s, size_t frame, bool args, wb_named_value **out,
                                size_t *n, wb_error *err);
void wb_session_vars_free(wb_named_value *v, size_t n);

/* Expressions in the context of a frame (no frame: globals only). */
wb_status wb_session_eval(wb_session *s, size_t frame, const char *expr, wb_value *out,
                          wb_error *err);
wb_status wb_session_eval_type(wb_session *s, size_t frame, const char *text, const wb_type **out,
                               wb_error *err);
unsigned wb_session_record(wb_session *s, const wb_value *v);
/* An env for formatting values of frame `frame` (memory reads). Lives
 * until the next call. */
const wb_eval_env *wb_session_env(wb_session *s, size_t frame);

/* gdb's registers, as a Wasm program has them, in frame `frame` (also
 * what `$pc`, `$sp` and `$fp` evaluate to): "pc", the frame's code offset
 * (callers: their return address), a `void (*)()` printed with its place
 * ("0x3b <fib+29>"); "sp", the global the name section calls
 * __stack_pointer (wasm-ld's C stack pointer), a `void *`, in the
 * innermost frame only (no copy is kept for a caller: an error there);
 * "fp", the frame base (DW_AT_frame_base, what DW_OP_fbreg counts from), a
 * `void *`. WB_NOT_FOUND for other names, and for "sp" in a module without
 * that global; WB_ERROR "No registers." when the program is not stopped,
 * else why the value cannot be had. */
wb_status wb_session_register(wb_session *s, size_t frame, const char *name, wb_value *out,
                              wb_error *err);
/* "fib+12", into buf: the function holding code offset `off` (its DWARF
 * name, else the name section's) and how far in from its start (the
 * body's local declarations, DW_AT_low_pc), as gdb's <symbol+offset>;
 * false outside every function or without a name. */
bool wb_session_code_symbol(wb_session *s, wb_code_off off, char *buf, size_t len);

/* Linear memory and Wasm values of the stopped program. */
int wb_session_read_memory(wb_session *s, uint64_t addr, void *buf, size_t len);
/* After an out-of-bounds trap: whether the C stack ran out, i.e. global 0
 * (wasm-ld's __stack_pointer, an i32) points past the end of linear memory,
 * having wrapped below 0. True with its value in *sp. */
bool wb_session_stack_overflowed(wb_session *s, uint32_t *sp);
int wb_session_write_memory(wb_session *s, uint64_t addr, const void *buf, size_t len);
int wb_session_wasm_value(wb_session *s, const char *what, size_t phys, uint32_t index,
                          uint64_t *value);

#endif
