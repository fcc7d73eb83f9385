/*
 * Private to console/: what the files of the command interpreter share
 * (wb_console.c and the command families, wb_console_*.c). Not part of the
 * layer's API (that is wb_console.h); other layers do not include it.
 */
#ifndef WB_CONSOLE_IMPL_H
#define WB_CONSOLE_IMPL_H

#include "wb_console.h"
#include "wb_session.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct display {
    int number;
    char *expr;
    char fmt;
    bool enabled;
} display;

typedef struct source {
    char *path;
    char *text;
    char **lines;
    size_t nlines;
    bool missing, reported;
    bool refused; /* exists but is not read: why in `text` (not a regular
                     file, too large: docs/SECURITY.md) */
} source;

typedef enum fname_mode { FNAME_ABSOLUTE, FNAME_BASENAME } fname_mode;

/* Command files sourcing command files: deeper is a loop (gdb would
 * recurse until it runs out of stack). */
#define MAX_SOURCE_DEPTH 32

typedef struct wb_console cli;

struct wb_console {
    wb_session *s;
    FILE *out, *err; /* stdout and stderr, or one memory stream (DAP console) */
    bool embedded;   /* s belongs to the front end (the DAP console) */
    char *runtime;
    unsigned baud; /* serial lines for `target remote /dev/ttyX`; 0: as set */
    char **args;   /* the program's arguments */
    size_t nargs;
    char **rt_args; /* extra wdb-run options (--dir=, --env=) */
    size_t nrt_args;
    size_t frame; /* selected frame */
    bool last_failed;
    bool exited;
    int exit_code;
    bool trapped;
    const char *list_file;
    uint32_t list_line; /* next line `list` shows; 0: around the stop */
    uint32_t list_first, list_last;
    uint32_t listsize;
    display *displays;
    size_t ndisplays, capdisplays;
    int next_display;
    source *sources;
    size_t nsources, capsources;
    fname_mode fname;
    bool quit;
    int quit_code;
    bool insn_step;       /* the resume being reported was stepi/nexti */
    bool timing;          /* maintenance time 1: time every command */
    bool annotate_github; /* --annotate=github: ::error lines for CI */
    bool pretty;          /* set print pretty on */
    bool from_tty;        /* the command came from a person (gdb's from_tty): -ex
                             without -batch, the prompt; not -x files or -batch */
    FILE *log;
    /* the command files being run (-x, `source`), outermost first, each
     * with the line of its command running now: an error names them all
     * ("FILE:LINE: Error in sourced command file:"), as gdb's does */
    struct sourcing {
        const char *path;
        unsigned line;
    } files[MAX_SOURCE_DEPTH];
    size_t nfiles;
    bool (*poll)(void *user); /* Ctrl-C (wb_console_opts) */
    void *poll_user;
    char last_error[sizeof((wb_error *)0)->msg]; /* the last error line */
};

/* One command of the table (wb_console.c, `commands`). */
typedef struct command {
    const char *name;
    const char *aliases; /* space-separated fixed abbreviations */
    void (*run)(cli *c, const char *args, char fmt);
    const char *help;
    bool takes_format; /* print/FMT, x/FMT, display/FMT */
} command;

/* ---- wb_console.c: output, sources, frames, settings, the command table */

/* An error line on err, after out is flushed: the command failed (which
 * ends the command files running it; the first error names them, file by
 * file, as gdb's do). */
void error_line(cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* What gdb reports without failing the command. */
void error_soft(cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Output. */
void out(cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void out_char(cli *c, int ch);
char *skip_ws(const char *p);
void rtrim(char *p);
const char *show_file(const cli *c, const char *path);
source *source_get(cli *c, const char *path);
/* gdb prints pointers and references without their "(type) " prefix
 * everywhere but at the top of `print`. */
char *format_plain(cli *c, const wb_value *v, char fmt);
/* A value as `print` shows it after "$N = ", its memory read in `frame`. */
char *format_value(cli *c, const wb_value *v, size_t frame, char fmt);
/* "#1  0x000001c3 in fib (n=2) at fib.c:7"; with_level false for stop
 * lines ("fib (n=9) at fib.c:6"). */
void print_frame_line(cli *c, size_t i, bool with_level);
/* Shows frame i as gdb shows a stop or a selected frame: its frame line
 * (`#1  ` first with_level; always printed when the frame has no source
 * line), then its source line, where `list` then starts. */
void show_frame(cli *c, size_t i, bool with_level, bool frame_line);
void print_stop_location(cli *c, bool frame_line);
bool need_session(cli *c);
bool need_stopped(cli *c);
void free_args(char **v, size_t n);
/* Splits ARGS as a shell would for simple cases: words, quotes. */
char **split_words(const char *p, size_t *n);
const char *default_file(cli *c);

/* ---- wb_console_run.c: programs and run control */

void do_displays(cli *c);
void resume(cli *c, wb_run how, const char *where);
/* The same, backward when `reverse` (gdb's reverse-* commands). */
void resume_dir(cli *c, wb_run how, bool reverse, const char *where);
void cmd_run(cli *c, const char *args, char fmt);
void cmd_starti(cli *c, const char *args, char fmt);
void cmd_start(cli *c, const char *args, char fmt);
unsigned count_arg(cli *c, const char *args, bool *ok);
/* What gdb says of an ignore count set (`ignore`, `continue N`), without
 * the end of the line. */
void say_ignore(cli *c, int bp, unsigned long count);
void cmd_continue(cli *c, const char *args, char fmt);
void cmd_next(cli *c, const char *a, char f);
void cmd_step(cli *c, const char *a, char f);
void cmd_stepi(cli *c, const char *a, char f);
void cmd_nexti(cli *c, const char *a, char f);
void cmd_finish(cli *c, const char *args, char fmt);
void cmd_until(cli *c, const char *args, char fmt);
void cmd_reverse_step(cli *c, const char *a, char f);
void cmd_reverse_next(cli *c, const char *a, char f);
void cmd_reverse_stepi(cli *c, const char *a, char f);
void cmd_reverse_nexti(cli *c, const char *a, char f);
void cmd_reverse_continue(cli *c, const char *args, char fmt);
void cmd_reverse_finish(cli *c, const char *args, char fmt);
void cmd_advance(cli *c, const char *args, char fmt);
void cmd_target(cli *c, const char *args, char fmt);
void cmd_kill(cli *c, const char *args, char fmt);
void cmd_detach(cli *c, const char *args, char fmt);
/* Shows a core file as gdb does: what made it, why it ended, where. */
void open_core(cli *c, const char *path);
void cmd_core_file(cli *c, const char *args, char fmt);
/* gcore [FILE] (gdb's generate-core-file): the stopped program's state as
 * a core file for `wdb -c FILE APP.wasm`, written through the stub
 * (wb_session_gcore). The default name is gdb's core.PID when wdb started
 * the program, core.wasm when it attached to a stub (no pid). */
void cmd_gcore(cli *c, const char *args, char fmt);
void cli_load(cli *c, const char *path);
void cmd_file(cli *c, const char *args, char fmt);

/* ---- wb_console_break.c: breakpoints */

/* The first address a location (as `break` takes them) resolves to; false
 * after saying why there is none. */
bool resolve_first(cli *c, const char *spec, wb_code_off *pc);
void set_break(cli *c, const char *args, bool temporary);
void cmd_break(cli *c, const char *a, char f);
void cmd_tbreak(cli *c, const char *a, char f);
void cmd_catch(cli *c, const char *a, char f);
void cmd_watch(cli *c, const char *a, char f);
void cmd_rwatch(cli *c, const char *a, char f);
void cmd_awatch(cli *c, const char *a, char f);
void cmd_delete(cli *c, const char *a, char f);
void cmd_enable(cli *c, const char *a, char f);
void cmd_disable(cli *c, const char *a, char f);
void cmd_condition(cli *c, const char *args, char fmt);
void cmd_ignore(cli *c, const char *args, char fmt);
void cmd_save(cli *c, const char *args, char fmt);
void info_breakpoints(cli *c, bool watch_only);

/* ---- wb_console_info.c: the stack, info, symbols */

void cmd_backtrace(cli *c, const char *args, char fmt);
void cmd_frame(cli *c, const char *args, char fmt);
void cmd_up(cli *c, const char *args, char fmt);
void cmd_down(cli *c, const char *args, char fmt);
/* rbreak [FILE:]REGEX: a breakpoint on every function whose name matches,
 * each announced then declared as gdb's rbreak_command does; functions
 * without DWARF ("<function, no debug info> NAME;") unless FILE is given. */
void cmd_rbreak(cli *c, const char *args, char fmt);
void cmd_info(cli *c, const char *args, char fmt);

/* ---- wb_console_data.c: values, memory, code */

/* print[/FMT] EXPR: "$N = VALUE" */
void cmd_print(cli *c, const char *args, char fmt);
void cmd_output(cli *c, const char *args, char fmt);
void cmd_call(cli *c, const char *args, char fmt);
void cmd_ptype(cli *c, const char *a, char f);
void cmd_whatis(cli *c, const char *a, char f);
void cmd_display(cli *c, const char *args, char fmt);
void cmd_undisplay(cli *c, const char *args, char fmt);
void cmd_x(cli *c, const char *args, char fmt_unused);
/* list: around the stop, then onwards; list N; list FUNC; list FILE:N
 * (any line of the file, as gdb: a comment or a blank line too);
 * list FILE:FUNC; list A,B */
void cmd_list(cli *c, const char *args, char fmt);
void cmd_disassemble(cli *c, const char *args, char fmt);
/* echo TEXT, as gdb's: escapes as echo_escape says, a NUL prints nothing,
 * a backslash at the end ends the text (so spaces before it are kept). */
void cmd_echo(cli *c, const char *args, char fmt);
/* printf "FORMAT", ARGS...: gdb's (wb_printf.h); what came before an
 * error is printed, as gdb prints it. */
void cmd_printf(cli *c, const char *args, char fmt);

#endif
