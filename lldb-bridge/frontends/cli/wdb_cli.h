/*
 * The gdb-style terminal front end of `wdb` (wdb_cli.c): the command
 * line (`wdb [OPTIONS] APP.wasm [ARGS]`, `-ex`, `-x`, `-batch`, `--args`),
 * the `(wdb) ` prompt with line editing, and the commands, worded as gdb
 * words them.
 */
#ifndef WDB_CLI_H
#define WDB_CLI_H

#include "wb_common.h"

#include <stdbool.h>
#include <stddef.h>

/* Runs the debugger; returns the process exit status: `quit N` gives N;
 * in batch mode the program's exit code when it exited, 134 when it is
 * stopped at a trap, 1 when the last command failed, else 0; interactive
 * sessions end with 0. */
int wdb_cli_main(int argc, char **argv);

struct wb_session;

/* Runs one gdb-style command line (`bt`, `info locals`, `x/4x &a`, ...)
 * against an existing session with frame `frame` selected, as the DAP
 * debug console does: the output and the error lines together, malloc'd
 * (NULL when out of memory). Commands that would load another program or
 * leave (`file`, `quit`) act on the console's own state only. */
char *wdb_cli_run_command(struct wb_session *s, size_t frame, const char *line);
/* Whether the first word of `line` is a command (name, alias or unique
 * prefix). */
bool wdb_cli_is_command(const char *line);

/* Whether `line` is a run-control command that the debug console hands to
 * its editor rather than running it itself: `continue`, `next`, `step`,
 * `stepi`, `nexti`, `finish`, `until [LOCATION]`, `advance LOCATION` and
 * their abbreviations. WB_OK with *how (a wb_run) and *where (the
 * location, malloc'd, or NULL); WB_NOT_FOUND when it is something else;
 * WB_ERROR when it is one but cannot be run as written (a count, a missing
 * location): err says why. */
wb_status wdb_cli_run_control(const char *line, int *how, char **where, wb_error *err);

#endif
