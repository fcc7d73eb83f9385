/*
 * Record and replay of host calls (wr_trace.c): the trace format's
 * constants and the runtime's internal entry points. The format is
 * documented in docs/TRACE.md. Host builds only (WR_TRACE): the firmware
 * leaves it out.
 */
#ifndef WR_TRACE_H
#define WR_TRACE_H

#include "wr_internal.h"

typedef struct wr_trace wr_trace;

#define WR_TRACE_MAGIC "WDBTRACE"
#define WR_TRACE_VERSION 1u
#define WR_TRACE_HEADER_SIZE 32u /* magic 8, version 4, flags 4, module size 8, hash 8 */

/* Record kinds (the first byte of a record). */
enum { WR_TREC_CALL = 'C', WR_TREC_END = 'E' };

/* How a host call or the run ended (a byte in CALL and END records). */
enum { WR_TOUT_OK = 0, WR_TOUT_EXIT = 1, WR_TOUT_TRAP = 2, WR_TOUT_ERROR = 3 };

/* The funnel's hook (wr_interp.c, wr_host_call): records or replays one
 * call from Wasm instance `caller` to host function f. raw runs the host
 * function itself (record mode). */
typedef wr_status (*wr_host_raw_fn)(wr_func *f, wr_instance *caller, uint64_t *slots);
wr_status wr_trace_host_call(wr_trace *t, wr_func *f, wr_instance *caller, uint64_t *slots,
                             wr_host_raw_fn raw);

/* A host function marked notes_writes (wr_func) calls this for every range
 * of memory 0 of its caller it writes (before or after writing it), so
 * that recording its call copies those bytes only. t may be NULL; a no-op
 * unless t is recording such a call. A write not noted is not recorded,
 * and a replay then diverges: WDB_TRACE_VERIFY=1 checks (docs/TRACE.md). */
void wr_trace_note_write(wr_trace *t, uint64_t addr, uint64_t len);

/* Reverse execution (wr_snap.c): a place in the trace's log, and going
 * back to one. Calls after a rewound place are replayed from the log (the
 * host is not called) until its end; then a recording records again. */
typedef struct wr_trace_mark {
    size_t pos;
    uint64_t ncalls, chk;
} wr_trace_mark;
void wr_trace_get_mark(const wr_trace *t, wr_trace_mark *m);
void wr_trace_rewind(wr_trace *t, const wr_trace_mark *m);
/* The poll count now (fuel used since the trace started). */
uint64_t wr_trace_count(const wr_trace *t);

/* Frees a trace (wr_store_free). */
void wr_trace_free(wr_trace *t);

/* Checks a whole trace held in memory, as wr_trace_replay does before a
 * run: header, every record's bounds and checksum, the END record. With
 * mod NULL the module check is skipped (the fuzz target). WR_OK, or
 * WR_ERR_MALFORMED with one line in errbuf. */
wr_status wr_trace_check(const uint8_t *bytes, size_t len, const wr_module *mod, char *errbuf,
                         size_t errlen);

#endif
