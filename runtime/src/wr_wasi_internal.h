/*
 * Test entry points of the WASI layer (wr_wasi.c). Not part of the public
 * API: unit tests call the WASI functions directly on a plain byte buffer
 * standing in for linear memory, without a module or an interpreter.
 */
#ifndef WR_WASI_INTERNAL_H
#define WR_WASI_INTERNAL_H

#include "wdb/runtime.h"

/* Calls the wasi_snapshot_preview1 function `name` with raw slots, exactly as
 * the interpreter would (see wr_host_fn), against `mem`/`memlen` as memory 0
 * (mem may be NULL when memlen is 0). Returns WR_NOT_FOUND for an unknown
 * name, WR_ERR_EXIT after proc_exit (code in wr_wasi_exit_code), otherwise
 * WR_OK with the WASI errno in results[0] (functions with no result leave
 * results alone). */
wr_status wr_wasi_call_raw(wr_wasi *w, const char *name, uint8_t *mem, uint64_t memlen,
                           const uint64_t *args, uint64_t *results);

/* The code of the last proc_exit made through wr_wasi_call_raw (0 before). */
int wr_wasi_exit_code(const wr_wasi *w);

/* Told of a range [ptr, ptr + len) of guest memory a WASI call writes. A
 * call from Wasm tells the trace while recording (wr_trace_note_write);
 * calls through wr_wasi_call_raw tell the hook set here (NULL: none), so
 * a test can check that every byte a call changes is told. */
typedef void (*wr_wasi_write_fn)(void *user, uint64_t ptr, uint64_t len);
void wr_wasi_set_write_hook(wr_wasi *w, wr_wasi_write_fn fn, void *user);

#endif
