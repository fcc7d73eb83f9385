/*
 * wb_console: `wdb`'s gdb command interpreter, the bridge layer between
 * the session and the front ends. One table of commands, each with its
 * gdb name, its fixed abbreviations and help; everything the user sees is
 * worded and laid out as gdb does it, so that gdb habits and scripts carry
 * over. Run control and data come from wb_session; the console parses,
 * keeps what gdb keeps beside a session (breakpoint numbering lives in the
 * session; displays, `list`'s position, the settings, the command files
 * being run), and prints.
 *
 * Two uses: the terminal front end (frontends/cli/wdb_cli.c) owns a
 * console that loads programs (`file`, `run`, `target remote`, core files)
 * and streams its output; the DAP debug console (frontends/dap/wb_dap.c)
 * runs single lines against the adapter's own session (`embedded`), where
 * the commands that run or replace the program are refused.
 */
#ifndef WB_CONSOLE_H
#define WB_CONSOLE_H

#include "wb_common.h"
#include "wb_session.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct wb_console wb_console;
typedef struct wb_console_opts {
    FILE *out, *err; /* output and error lines (NULL: stdout, stderr); errors
                        are written after out is flushed, so a transcript
                        of both keeps their order */
    /* Embedded in a front end that owns the program (the DAP debug
     * console): session is its session (not freed; NULL: none yet) and
     * the commands that run the program, load another or leave are
     * refused. Otherwise session is NULL and the console loads its own
     * (wb_console_load, `file`). */
    bool embedded;
    wb_session *session;
    size_t frame;                    /* the selected frame of an embedded console */
    const char *runtime;             /* wdb-run to launch with (NULL: wb_session's) */
    const char *const *args;         /* the program's arguments, NULL-terminated */
    const char *const *runtime_args; /* extra wdb-run options (--dir=, --env=) */
    unsigned baud;                   /* serial speed for `target remote /dev/ttyX` */
    bool annotate_github;            /* on a trap, also a GitHub `::error` line */
    FILE *rsp_log;                   /* every packet of the sessions it loads */
    /* Polled while the program runs: true to interrupt it (Ctrl-C). Also
     * called (its answer dropped) before each resume, so an interrupt that
     * came while stopped does not stop the next run. */
    bool (*poll)(void *user);
    void *poll_user;
} wb_console_opts;

/* A console; NULL when out of memory. o is copied (the strings too; the
 * streams and the session are kept). */
wb_console *wb_console_new(const wb_console_opts *o);

/* Kills a program it started, closes its session (not an embedded one's),
 * frees everything. NULL is fine. */
void wb_console_free(wb_console *c);

/* Runs one command line (`bt`, `info locals`, `x/4x &a`, `# comment`).
 * from_tty: a person typed it (gdb's from_tty: the prompt, -ex without
 * -batch), which decides some messages ("Continuing.", "Starting
 * program:"). WB_ERROR when the command failed: it said why on err, and
 * *err holds that last error line. An empty line does nothing. */
wb_status wb_console_execute(wb_console *c, const char *line, bool from_tty, wb_error *err);

/* Runs a command file (`-x`, `source`) as gdb does: its commands with
 * from_tty off, up to the first that fails (WB_ERROR, "FILE:LINE: Error in
 * sourced command file:" first). A file that cannot be read is a warning
 * (WB_OK). */
wb_status wb_console_source(wb_console *c, const char *path, wb_error *err);

/* Runs one line as wb_console_execute does, its output and error lines
 * together in *text (malloc'd; NULL and WB_ERROR when out of memory)
 * instead of the console's streams: the DAP debug console. */
wb_status wb_console_capture(wb_console *c, const char *line, bool from_tty, char **text,
                             wb_error *err);

/* Loads a module as `file PATH` does ("Reading symbols from PATH..."). */
wb_status wb_console_load(wb_console *c, const char *path, wb_error *err);

/* Opens a core file of the loaded module as `core-file PATH` does (the
 * CLI's -c CORE). */
wb_status wb_console_open_core(wb_console *c, const char *path, wb_error *err);

/* Where the console stands, for a front end's exit status. */
typedef struct wb_console_state {
    bool quit;        /* `quit` ran */
    int quit_code;    /* its CODE; -1 when none was given */
    bool exited;      /* the program exited (or was killed by a signal) */
    int exit_code;    /* then its code (128 + signal when killed) */
    bool trapped;     /* it is stopped at a Wasm trap */
    bool last_failed; /* the last command failed */
} wb_console_state;
wb_console_state wb_console_get_state(const wb_console *c);

/* Whether the first word of `line` is a command (name, alias or unique
 * prefix). */
bool wb_console_is_command(const char *line);

/* Whether `line` is a run-control command that the debug console hands to
 * its editor rather than running it itself: `continue`, `next`, `step`,
 * `stepi`, `nexti`, `finish`, `until [LOCATION]`, `advance LOCATION`, the
 * reverse-* ones (*reverse true) and their abbreviations. WB_OK with *how,
 * *reverse and *where (the location, malloc'd, or NULL); WB_NOT_FOUND when
 * it is something else; WB_ERROR when it is one but cannot be run as
 * written (a count, a missing location): err says why. */
wb_status wb_console_run_control(const char *line, wb_run *how, bool *reverse, char **where,
                                 wb_error *err);

/* A baud rate for -b N and `set serial baud N`: false when it is not one. */
bool wb_console_parse_baud(const char *text, unsigned *baud);

#endif
