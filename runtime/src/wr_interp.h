/*
 * Execution state of a store: the value stack, the call stack and the
 * debugger's state. Private to runtime/ (wr_interp.c, wr_debug.c).
 */
#ifndef WR_INTERP_H
#define WR_INTERP_H

#include "wr_code.h"

/* A saved caller: where it continues when the callee returns. An entry with
 * code == NULL marks the boundary of a wr_invoke (host -> Wasm). */
typedef struct wr_cframe {
    const wr_op *ret_ip;
    uint64_t *fp;
    wr_code *code;
    wr_instance *inst;
} wr_cframe;

/* Bits of wr_store.interrupt, the word polled at function entries and loop
 * heads. */
enum {
    WR_POLL_INTERRUPT = 1, /* wr_store_interrupt() */
    WR_POLL_STEP = 2,      /* a debugger step is in progress */
    WR_POLL_FUEL = 4,      /* wr_store_set_fuel: every poll uses a unit */
    WR_POLL_SERVICE = 8,   /* wr_store_request_service: call the store's service */
};

#define WR_MAX_WATCH WR_MAX_WATCHPOINTS

typedef struct wr_watch {
    uint64_t addr;
    uint32_t len;
    wr_watch_kind kind;
} wr_watch;

typedef struct wr_interp {
    uint64_t *stack, *stack_end;
    void *stack_block; /* the allocation holding the stack (WR_STACK_SKEW) */
    uint64_t *top;     /* first free slot for a nested wr_invoke */
    wr_cframe *cs, *cs_end;
    wr_cframe *csp;  /* next free call-stack entry */
    wr_cframe *base; /* first entry above the innermost wr_invoke's boundary: the
                      * frames of that invocation are base..csp-1 plus the one
                      * in the interpreter's registers (O(1) frame lookup) */

    /* the innermost frame while the hook runs (or at a trap) */
    const wr_op *ip;
    uint64_t *fp;
    wr_code *code;
    wr_instance *inst;
    bool paused; /* inside the hook: inspection calls are valid */

    /* debugger */
    wr_debug_hook hook;
    void *hook_user;
    bool stop_at_entry;
    bool entry_pending; /* stop with WR_DEBUG_ENTRY at the next function entry */
    wr_debug_action step;
    uint32_t step_depth; /* call depth when the step started */
    uint32_t range_start, range_end;
    /* the pc-map position of the last dbg op a step looked up (wr_debug.c
     * step_offset): a step's next lookup decodes on from there. Reset by
     * every resume: translations only change while stopped. */
    const struct wr_ops *seek_ops;
    wr_pc seek_pc;
    bool frames_debug; /* every frame of the stack runs a debug translation and
                        * only STEP_INSN ran since: stop() need not walk them */
    uint32_t nwatch;
    wr_watch watch[WR_MAX_WATCH];
    bool watch_hit;
    wr_watch watch_event;
    wr_watch_kind watch_access;
    bool killed;
    bool out_of_fuel; /* the poll that ended the call found no fuel */
#ifdef WR_TRACE
    bool alarm;                        /* wr_debug_alarm armed: fuel running out means the alarm */
    bool rewound;                      /* wr_debug_restore ran in the hook: the frames changed */
    uint64_t invocation, ninvocations; /* the running wr_invoke's number */
    uint32_t watch_paused;             /* wr_debug_watch_pause: nwatch set aside */
#endif
} wr_interp;

/* Creates the store's execution state on first use. */
wr_interp *wr_interp_get(wr_store *store);
void wr_interp_free(wr_interp *it);

/* Call depth: entries on the call stack (boundaries included), the measure
 * stepping compares (it only grows with calls and shrinks with returns) */
uint32_t wr_interp_depth(const wr_interp *it);

/* Debug slow paths, called by the interpreter with it->ip/fp/code/inst saved;
 * they may move frames to another translation, so the interpreter reloads
 * its registers afterwards. Return false to kill the program. */
bool wr_debug_on_dbg(wr_store *store, wr_interp *it);
bool wr_debug_on_brk(wr_store *store, wr_interp *it);
bool wr_debug_on_poll(wr_store *store, wr_interp *it, bool at_entry);
void wr_debug_on_trap(wr_store *store, wr_interp *it, wr_trap_kind kind, const char *msg);
/* The outermost wr_invoke returned (to the embedder): a step in progress
 * ends there, so it cannot stop a later, unrelated call. */
void wr_debug_on_exit(wr_store *store, wr_interp *it);
#ifdef WR_TRACE
/* After wr_debug_restore: every frame to its debug translation, so that
 * breakpoints and watchpoints set since the snapshot are seen. */
void wr_debug_after_restore(wr_interp *it);
#endif
/* Checks a memory access against the watchpoints (debug translations only). */
void wr_debug_check_access(wr_interp *it, uint64_t addr, uint64_t len, bool write);

/* Offset of the frame position ip in code (the op containing ip - 1 for a
 * return address when `ret` is set). */
uint32_t wr_code_offset_of(const wr_code *code, const wr_op *ip, bool ret);

#endif
