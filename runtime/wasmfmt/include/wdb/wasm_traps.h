/*
 * Wasm traps: the one list. The runtime's wr_trap_kind (wdb/runtime.h),
 * the core format's wcd_trap_kind (wdb/coredump.h), the stub's stop
 * descriptions ("trap: MESSAGE (NAME)", written from wr_trap_message and
 * wr_trap_name) and the DAP exception filters
 * (lldb-bridge/frontends/dap/wb_dap.c) are all made from WASM_TRAPS, so
 * their numbers, names and wording cannot drift. Header-only and
 * dependency-free (the wdb::wasmfmt interface target).
 *
 * X(ID, name, message, label), in the order of the kinds' numbers (1, 2,
 * ...; 0 is "no trap"), which the core format fixes: never reorder, only
 * append.
 *   ID       the enum suffix (WR_TRAP_ID, WCD_TRAP_ID)
 *   name     a short stable identifier, as a C identifier: the wire's
 *            (stop descriptions, cores' kind names, DAP filter ids)
 *   message  the spec's wording (what the spec tests' assert_trap expects)
 *   label    a phrase for people (exception filters in an IDE)
 */
#ifndef WDB_WASM_TRAPS_H
#define WDB_WASM_TRAPS_H

#define WASM_TRAPS(X)                                                                              \
    X(UNREACHABLE, unreachable, "unreachable", "unreachable executed")                             \
    X(MEMORY_OOB, memory_oob, "out of bounds memory access", "out of bounds memory access")        \
    X(DIV_BY_ZERO, div_by_zero, "integer divide by zero", "integer divide by zero")                \
    X(INT_OVERFLOW, int_overflow, "integer overflow", "integer overflow")                          \
    X(INVALID_CONVERSION, invalid_conversion, "invalid conversion to integer",                     \
      "invalid conversion to integer")                                                             \
    X(STACK_EXHAUSTED, stack_exhausted, "call stack exhausted", "call stack exhausted")            \
    X(UNDEFINED_ELEMENT, undefined_element, "undefined element", "undefined table element")        \
    X(UNINIT_ELEMENT, uninit_element, "uninitialized element", "uninitialized table element")      \
    X(INDIRECT_MISMATCH, indirect_mismatch, "indirect call type mismatch",                         \
      "indirect call type mismatch")                                                               \
    X(TABLE_OOB, table_oob, "out of bounds table access", "out of bounds table access")            \
    X(HOST, host, "host trap", "host function failed")                                             \
    X(UNCAUGHT_EXCEPTION, uncaught_exception, "uncaught exception", "uncaught Wasm exception")     \
    X(NULL_EXNREF, null_exnref, "null exception reference", "throw_ref of a null exception")

#endif
