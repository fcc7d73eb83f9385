/*
 * The hand-assembled module of the debugging tests (test_debug.c and
 * test_engine.c): six exported functions built from instruction lists, so
 * the tests know the code offset of every instruction (off(F, i) is
 * instruction i of function F).
 *
 *   add(a, b)     a + b
 *   main(n)       sum of the even numbers in 1..n (calls add from a br_table)
 *   spin()        loops forever
 *   div(x)        100 / x (traps on 0)
 *   call_div(x)   div(x)
 *   store_load(a) mem[a] = 42; return mem[a]
 */
#ifndef WDB_TEST_DEBUG_MODULE_H
#define WDB_TEST_DEBUG_MODULE_H

#include "wdb/runtime.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { F_ADD, F_MAIN, F_SPIN, F_DIV, F_CALL_DIV, F_STORE_LOAD, NFUNCS };

extern uint8_t debug_module_wasm[1024]; /* the module's bytes, after debug_module_build() */
extern size_t debug_module_len;

/* Assembles the module and records the offset of each instruction. */
void debug_module_build(void);

/* The code offset of instruction i of function f. */
uint32_t off(int f, int i);

/* Compiles and instantiates the module in store and looks up its exports
 * (f[F_ADD]...). false (err->msg says why) if any step fails. */
bool debug_module_load(wr_store *store, wr_module **mod, wr_instance **inst,
                       wr_func *f[NFUNCS], wr_error *err);

#endif
