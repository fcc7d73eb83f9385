/*
 * wb_symbolize: code offsets to source frames, addr2line style (what
 * `wdb symbolize` prints, and later the crash reports of `wdb -batch`).
 */
#ifndef WB_SYMBOLIZE_H
#define WB_SYMBOLIZE_H

#include "wb_dwarf.h"
#include "wb_wasm.h"

#include <stdbool.h>
#include <stdio.h>

typedef struct wb_symbolize_opts {
    bool functions; /* -f: "FUNC at " before each location */
    bool inlines;   /* -i: the inlined chain, one line per frame */
    bool demangle;  /* -C: C++ names as "ns::f" (qualified DWARF names)
                       instead of linkage names */
    bool addresses; /* -a: the address on its own line first */
} wb_symbolize_opts;

/* Prints the frames of `addr`, innermost first, one line each:
 *   [FUNC at ]FILE:LINE[:COL]            (COL omitted when 0)
 *   (inlined by) [FUNC at ]FILE:LINE[:COL]
 * Unknown parts print as "??" and "??:0". `d` may be NULL (no DWARF):
 * function names then come from the name section. Returns WB_ERROR when a
 * DWARF lookup failed (corrupt DWARF): the fallback line is printed all the
 * same and err says what failed. */
wb_status wb_symbolize(const wb_wasm *w, wb_dwarf *d, wb_code_off addr, const wb_symbolize_opts *o,
                       FILE *out, wb_error *err);

#endif
