/*
 * The Wasm dialect of the GDB remote protocol as wdb speaks it
 * (docs/PROTOCOL.md): what the two sides must agree on, in one place. The
 * stubs and their targets (gdbstub/src/gs_server.c,
 * runtime/device/wd_target.c) and the client (lldb-bridge/src/wb_rsp.c,
 * wb_session.c) include it. Header-only and dependency-free; part of
 * wdb::rsp's interface. Tested by tests/unit/test_rsp.c.
 *
 * Prefix: wrsp_ (WRSP_ for constants).
 */
#ifndef WDB_WASM_RSP_H
#define WDB_WASM_RSP_H

#include <stdint.h>

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
    return WRSP_CODE_BASE | (uint64_t)(module & WRSP_MODULE_MASK) << WRSP_MODULE_SHIFT | file_offset;
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

static inline uint32_t wrsp_addr_offset(uint64_t a) { return (uint32_t)a; }

#ifdef __cplusplus
}
#endif

#endif
