/*
 * The runtime's reports, one home for their wording: a load failure in one
 * line, and the trap report (what and where, one screen at most). wdb-run
 * prints them on stderr, the firmware on its console; both get the same
 * bytes apart from the program name that starts each line.
 *
 * Portable: only the C library and wdb/runtime.h. Text goes out through a
 * writer callback, a line at a time (a line longer than the internal
 * buffer goes out in pieces, never truncated).
 *
 * Prefix: wd_ (device).
 */
#ifndef WD_REPORT_H
#define WD_REPORT_H

#include "wdb/runtime.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Receives report text: len bytes, not NUL-terminated. */
typedef void (*wd_write_fn)(void *user, const char *text, size_t len);

/* One line for a failure that is not a trap (decode, validation, link,
 * limits), in the module's terms:
 *   PROG: error: PATH: SECTION section at offset 0xOFF: MESSAGE
 *   PROG: error: PATH: MESSAGE */
void wd_report_error(const char *prog, const char *path, const wr_error *err, wd_write_fn write,
                     void *user);

/* Where a code offset (wr_frame_info's) is in the source, for the trap
 * report: writes "FILE:LINE" (NUL-terminated, at most cap bytes) and
 * returns true, or returns false when it does not know. */
typedef bool (*wd_locate_fn)(void *user, uint32_t code_offset, char *buf, size_t cap);

/* The trap report of the store's last trap (err: what the failing call
 * returned, used when the store recorded nothing): the message and trap
 * name, a hint when the C stack in linear memory ran out (needs inst, may
 * be NULL), at most 20 frames with function names and offsets (and " at
 * FILE:LINE" where `locate`, which may be NULL, knows it: wdb-run reads a
 * source map with it), and, unless `locate` placed every frame, a hint to
 * symbolize them with `wdb symbolize PATH`. mod names the frames whose
 * instance is unknown (may be NULL). */
void wd_report_trap(const char *prog, const char *path, wr_store *store, wr_module *mod,
                    wr_instance *inst, const wr_error *err, wd_write_fn write, void *user,
                    wd_locate_fn locate, void *locate_user);

#ifdef __cplusplus
}
#endif
#endif
