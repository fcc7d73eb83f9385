/*
 * The Wasm dialect of the GDB remote protocol as wdb speaks it
 * (docs/PROTOCOL.md): what the two sides must agree on, in one place. The
 * stubs and their targets (gdbstub/src/gs_server.c,
 * runtime/device/wd_target.c) and the client (lldb-bridge/session/wb_rsp.c,
 * wb_session.c) include it. Header-only and dependency-free; part of
 * wdb::rsp's interface. Tested by tests/unit/test_rsp.c.
 *
 * Prefix: wrsp_ (WRSP_ for constants).
 */
#ifndef WDB_WASM_RSP_H
#define WDB_WASM_RSP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------ addresses
 * LLDB's Wasm encoding (PROTOCOL.md "Addresses"): bits 62-63 the space (0
 * linear memory, 1 code; 2 and 3 are invalid), bits 32-61 the module id of
 * which LLDB keeps 24 bits (it masks with 0x00ffffff00000000), bits 0-31
 * the offset: a file offset in the .wasm for code, a linear address for
 * memory. These are the only conversions between RSP addresses and
 * offsets, on either side. */
#define WRSP_SPACE_SHIFT 62
#define WRSP_MODULE_SHIFT 32
#define WRSP_MODULE_MASK 0x00ffffffu

typedef enum wrsp_space {
    WRSP_SPACE_MEMORY = 0,
    WRSP_SPACE_CODE = 1,
    WRSP_SPACE_INVALID = 3,
} wrsp_space;

/* Module 0's code at file offset 0, where qXfer:libraries:read places the
 * module (a string for stubs that print no 64-bit numbers; the unit test
 * checks the two agree). */
#define WRSP_CODE_BASE ((uint64_t)WRSP_SPACE_CODE << WRSP_SPACE_SHIFT)
#define WRSP_CODE_BASE_HEX "0x4000000000000000"

static inline uint64_t wrsp_addr_code(uint32_t module, uint32_t file_offset)
{
    return WRSP_CODE_BASE | (uint64_t)(module & WRSP_MODULE_MASK) << WRSP_MODULE_SHIFT |
           file_offset;
}

static inline uint64_t wrsp_addr_memory(uint32_t module, uint32_t offset)
{
    return (uint64_t)(module & WRSP_MODULE_MASK) << WRSP_MODULE_SHIFT | offset;
}

static inline wrsp_space wrsp_addr_space(uint64_t a)
{
    unsigned s = (unsigned)(a >> WRSP_SPACE_SHIFT);
    return s == 0 ? WRSP_SPACE_MEMORY : s == 1 ? WRSP_SPACE_CODE : WRSP_SPACE_INVALID;
}

/* the module id (bits 56-61 are not part of it) */
static inline uint32_t wrsp_addr_module(uint64_t a)
{
    return (uint32_t)(a >> WRSP_MODULE_SHIFT) & WRSP_MODULE_MASK;
}

static inline uint32_t wrsp_addr_offset(uint64_t a)
{
    return (uint32_t)a;
}

/* ------------------------------------------------------------ reverse execution
 * GDB's packets, as LLDB (`process continue --reverse`) and wdb use them:
 * a stub that can go back offers both features in qSupported and answers
 * `bs` (back one instruction) and `bc` (back to the previous breakpoint or
 * watchpoint hit) with a stop reply. A stop at the start of the recorded
 * history (nothing before it) carries the key "replaylog" with the value
 * "begin" (LLDB reports it as a history boundary). Host builds only. */
#define WRSP_FEATURE_REVERSE "ReverseStep+;ReverseContinue+"
#define WRSP_REVERSE_STEP "bs"
#define WRSP_REVERSE_CONTINUE "bc"
#define WRSP_REPLAYLOG_KEY "replaylog"
#define WRSP_REPLAYLOG_BEGIN "replaylog:begin;"
/* wdb's query of the history kept for going back (wdb's `info record`,
 * bench/timetravel.sh): the reply is
 * "snapshots:N;bytes:B;limit:L;" (decimal): N snapshots holding B bytes,
 * at most L bytes allowed (--history-limit); an error when the program is
 * not recorded. */
#define WRSP_HISTORY "qWdbHistory"

/* ------------------------------------------------------------ trap stops
 * wdb's stubs stop on a trap with reason:exception and the description
 * "trap: MESSAGE (NAME)": MESSAGE the runtime's (wr_trap_message, or a host
 * function's), NAME the kind's name in wdb/wasm_traps.h. Other stubs send
 * a bare message, which the client shows as it is. */
#define WRSP_TRAP_PREFIX "trap: "

/* The description of a trap, into buf (cap bytes; the message cut at 200) */
static inline void wrsp_trap_description(char *buf, size_t cap, const char *message,
                                         const char *name)
{
    snprintf(buf, cap, WRSP_TRAP_PREFIX "%.200s (%s)", message, name);
}

/* Splits a description: *msg (*msg_len bytes) the message without the
 * prefix; *name (*name_len bytes) what the final " (...)" holds, NULL when
 * there is none (then the message is the whole text). */
static inline void wrsp_trap_split(const char *desc, const char **msg, size_t *msg_len,
                                   const char **name, size_t *name_len)
{
    size_t pl = sizeof WRSP_TRAP_PREFIX - 1;
    if (strncmp(desc, WRSP_TRAP_PREFIX, pl) == 0) desc += pl;
    size_t len = strlen(desc);
    const char *open = strrchr(desc, '(');
    *msg = desc;
    *msg_len = len;
    *name = NULL;
    *name_len = 0;
    if (open && open > desc && open[-1] == ' ' && len && desc[len - 1] == ')') {
        *name = open + 1;
        *name_len = (size_t)(desc + len - 1 - (open + 1));
        *msg_len = (size_t)(open - 1 - desc);
    }
}

#ifdef __cplusplus
}
#endif

#endif
