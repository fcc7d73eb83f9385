/*
 * `wdb`'s gdb-style front end: see wdb_cli.h. One table of commands
 * (`commands`), each with its gdb name, its fixed abbreviations and help;
 * everything the user sees is worded and laid out as gdb does it, so that
 * gdb habits and scripts carry over. Run control and data come from
 * wb_session; this file only parses and prints.
 */
#define _GNU_SOURCE
#include "wdb_cli.h"
#include "wdb_dap_stdio.h"

#include "wb_disasm.h"
#include "wb_linedit.h"
#include "wb_loc.h"
#include "wb_sbuf.h"
#include "wb_printf.h"
#include "wb_session.h"
#include "wdb_dap_ws.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef WDB_VERSION
#define WDB_VERSION "0"
#endif

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

typedef struct cli {
    wb_session *s;
    FILE *out, *err; /* stdout and stderr, or one memory stream (DAP console) */
    bool borrowed;   /* s belongs to someone else (wdb_cli_run_command) */
    char *runtime;
    unsigned baud; /* serial lines for `target remote /dev/ttyX`; 0: as set */
    char **args;   /* the program's arguments */
    size_t nargs;
    char **rt_args; /* extra wdb-run options (--dir=, --env=) */
    size_t nrt_args;
    size_t frame; /* selected frame */
    bool batch;
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
    wb_linedit *le;
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
} cli;

static volatile sig_atomic_t g_interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    g_interrupted = 1;
}

static bool poll_interrupt(void *user)
{
    (void)user;
    if (g_interrupted) {
        g_interrupted = 0;
        return true;
    }
    return false;
}

static void vmessage(cli *c, const char *fmt, va_list ap)
{
    fflush(c->out);
    vfprintf(c->err, fmt, ap);
    fputc('\n', c->err);
    fflush(c->err);
}

/* Errors go to stderr after stdout is flushed, so a transcript of both
 * keeps their order. A failed command marks the batch status and ends the
 * command files running it: the first error of a command inside them is
 * introduced by where it happened, file by file (gdb's words). */
static void error_line(cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void error_line(cli *c, const char *fmt, ...)
{
    fflush(c->out);
    if (!c->last_failed)
        for (size_t i = 0; i < c->nfiles; i++)
            fprintf(c->err, "%s:%u: Error in sourced command file:\n", c->files[i].path,
                    c->files[i].line);
    va_list ap;
    va_start(ap, fmt);
    vmessage(c, fmt, ap);
    va_end(ap);
    c->last_failed = true;
}

/* What gdb reports without failing the command (a breakpoint location that
 * matches nothing, in batch mode): said on stderr, and the command file
 * goes on. */
static void error_soft(cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void error_soft(cli *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(c, fmt, ap);
    va_end(ap);
}

static void out(cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void out(cli *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(c->out, fmt, ap);
    va_end(ap);
}

static void out_char(cli *c, int ch)
{
    fputc(ch, c->out);
}

static char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return (char *)p;
}

static void rtrim(char *p)
{
    size_t n = strlen(p);
    while (n && isspace((unsigned char)p[n - 1]))
        p[--n] = 0;
}

static const char *show_file(const cli *c, const char *path)
{
    if (!path) return "??";
    if (c->fname == FNAME_BASENAME) {
        const char *b = strrchr(path, '/');
        return b ? b + 1 : path;
    }
    return path;
}

/* ------------------------------------------------------------- sources */

static source *source_get(cli *c, const char *path)
{
    for (size_t i = 0; i < c->nsources; i++)
        if (strcmp(c->sources[i].path, path) == 0) return &c->sources[i];
    if (!wb_grow((void **)&c->sources, &c->capsources, c->nsources + 1, sizeof *c->sources))
        return NULL;
    source *s = &c->sources[c->nsources++];
    memset(s, 0, sizeof *s);
    s->path = strdup(path);
    char *text;
    size_t len;
    wb_error rerr;
    if (wb_read_text(path, &text, &len, &rerr) != WB_OK) {
        s->missing = true;
        if (strstr(rerr.msg, ": not a regular file") || strstr(rerr.msg, ": too large (")) {
            s->refused = true;
            s->text = strdup(rerr.msg);
        }
        return s;
    }
    s->text = text;
    size_t nl = 1;
    for (size_t i = 0; i < len; i++)
        nl += text[i] == '\n';
    s->lines = malloc(nl * sizeof *s->lines);
    if (!s->lines) {
        s->missing = true;
        return s;
    }
    char *p = text;
    while (*p || p == text) {
        s->lines[s->nlines++] = p;
        char *e = strchr(p, '\n');
        if (!e) break;
        *e = 0;
        if (e > p && e[-1] == '\r') e[-1] = 0;
        p = e + 1;
        if (!*p) break;
    }
    return s;
}

/* Prints "LINE\tTEXT" as gdb does; a missing file is said once, then
 * "LINE\tin FILE". */
static void print_source_line(cli *c, const char *path, uint32_t line)
{
    source *s = path ? source_get(c, path) : NULL;
    if (!s) return;
    if (s->missing) {
        if (!s->reported && s->refused && s->text) {
            out(c, "%u\t%s.\n", line, s->text);
            s->reported = true;
        } else if (!s->reported) {
            out(c, "%u\t%s: No such file or directory.\n", line, show_file(c, path));
            s->reported = true;
        } else {
            out(c, "%u\tin %s\n", line, show_file(c, path));
        }
        return;
    }
    if (line == 0 || line > s->nlines) {
        out(c, "Line number %u out of range; %s has %zu lines.\n", line, show_file(c, path),
            s->nlines);
        return;
    }
    out(c, "%u\t%s\n", line, s->lines[line - 1]);
}

/* -------------------------------------------------------------- values */

/* gdb prints pointers and references without their "(type) " prefix
 * everywhere but at the top of `print`. */
static char *format_plain(cli *c, const wb_value *v, char fmt)
{
    return wb_value_format_flags(v, wb_session_env(c->s, c->frame), fmt,
                                 WB_FMT_PLAIN | (c->pretty ? WB_FMT_PRETTY : 0));
}

/* A value as `print` shows it after "$N = ", its memory read in `frame`. */
static char *format_value(cli *c, const wb_value *v, size_t frame, char fmt)
{
    return wb_value_format_flags(v, wb_session_env(c->s, frame), fmt,
                                 c->pretty ? WB_FMT_PRETTY : 0);
}

static bool is_scalar(const wb_value *v)
{
    const wb_type *t = wb_type_strip(v->type);
    if (t && t->kind == WB_TYPE_REFERENCE) t = wb_type_strip(t->target);
    return t && t->kind != WB_TYPE_STRUCT && t->kind != WB_TYPE_UNION && t->kind != WB_TYPE_ARRAY;
}

/* "fib (n=10, s=...)": gdb's default `print frame-arguments scalars`. */
static void print_frame_args(cli *c, size_t frame)
{
    wb_named_value *v = NULL;
    size_t n = 0;
    wb_error e;
    out(c, " (");
    if (wb_session_frame_vars(c->s, frame, true, &v, &n, &e) == WB_OK) {
        for (size_t i = 0; i < n; i++) {
            out(c, "%s%s=", i ? ", " : "", v[i].name);
            if (v[i].error.msg[0]) {
                out(c, "<error: %s>", v[i].error.msg);
            } else if (v[i].value.kind == WB_VAL_OPTIMIZED) {
                out(c, "<optimized out>");
            } else if (!is_scalar(&v[i].value)) {
                out(c, "...");
            } else {
                char *t = format_plain(c, &v[i].value, 0);
                out(c, "%s", t ? t : "?");
                free(t);
            }
        }
        wb_session_vars_free(v, n);
    }
    out(c, ")");
}

/* Whether `pc` is where a breakpoint on the line whose statement row starts
 * at `row` was placed at its loop head: for that breakpoint the line starts
 * there (natively a loop's line starts at the loop head). */
static bool at_loop_head_bp(cli *c, wb_code_off row, wb_code_off pc)
{
    bool is_loc = false;
    for (size_t i = 0; i < wb_session_bp_count(c->s) && !is_loc; i++) {
        const wb_bp *b = wb_session_bp(c->s, i);
        for (size_t k = 0; b->type == WB_BP_BREAK && k < b->nlocs; k++)
            is_loc |= b->locs[k].addr == pc;
    }
    return is_loc && wb_session_loop_head_site(c->s, row) == pc;
}

/* "#1  0x000001c3 in fib (n=2) at fib.c:7"; with_level false for stop
 * lines ("fib (n=9) at fib.c:6"). */
static void print_frame_line(cli *c, size_t i, bool with_level)
{
    const wb_frame *f = wb_session_frame(c->s, i);
    if (!f) return;
    if (with_level) out(c, "#%-2zu ", i); /* gdb: "#0  f", "#10 f", "#100 f" */
    /* gdb shows the pc when it is not at the start of a line: callers
     * (at their return address), and a frame stopped mid-line (finish) */
    bool show_pc = false;
    if (i > 0) {
        show_pc = !wb_session_frame(c->s, i - 1)->inlined;
    } else if (!f->file) {
        show_pc = true;
    } else if (!f->inlined) {
        wb_line row;
        wb_error e;
        wb_dwarf *d = wb_session_dwarf(c->s);
        show_pc = d && wb_dwarf_line_at(d, f->pc, &row, &e) == WB_OK &&
                  (row.addr != f->pc || !row.is_stmt) &&
                  !(row.is_stmt && row.addr != f->pc && at_loop_head_bp(c, row.addr, f->pc));
    }
    if (show_pc) out(c, "0x%08x in ", f->pc);
    out(c, "%s", f->function);
    if (f->fn)
        print_frame_args(c, i);
    else
        out(c, " ()");
    if (f->file) out(c, " at %s:%u", show_file(c, f->file), f->line);
    out(c, "\n");
}

/* Shows frame i as gdb shows a stop or a selected frame: its frame line
 * (`#1  ` first with_level; always printed when the frame has no source
 * line), then its source line, where `list` then starts. */
static void show_frame(cli *c, size_t i, bool with_level, bool frame_line)
{
    const wb_frame *f = wb_session_frame(c->s, i);
    if (!f) return;
    if (frame_line || !f->file) print_frame_line(c, i, with_level);
    if (!f->file) return;
    print_source_line(c, f->file, f->line);
    c->list_file = f->file;
    c->list_line = 0;
    c->list_first = f->line;
}

static void print_stop_location(cli *c, bool frame_line)
{
    show_frame(c, c->frame, false, frame_line);
}

static void do_displays(cli *c)
{
    for (size_t i = 0; i < c->ndisplays; i++) {
        display *d = &c->displays[i];
        if (!d->enabled) continue;
        wb_value v;
        wb_error e;
        if (wb_session_eval(c->s, c->frame, d->expr, &v, &e) != WB_OK) continue;
        char *t = format_value(c, &v, c->frame, d->fmt);
        if (d->fmt)
            out(c, "%d: /%c %s = %s\n", d->number, d->fmt, d->expr, t ? t : "?");
        else
            out(c, "%d: %s = %s\n", d->number, d->expr, t ? t : "?");
        free(t);
        wb_value_free(&v);
    }
}

/* GitHub workflow commands: `%`, CR, LF escaped in the message, and also
 * `:` and `,` in properties. */
static void gh_escape(FILE *f, const char *t, bool property)
{
    for (; *t; t++) {
        if (*t == '%')
            fputs("%25", f);
        else if (*t == '\r')
            fputs("%0D", f);
        else if (*t == '\n')
            fputs("%0A", f);
        else if (property && *t == ':')
            fputs("%3A", f);
        else if (property && *t == ',')
            fputs("%2C", f);
        else
            fputc(*t, f);
    }
}

/* --annotate=github: one `::error file=F,line=N,title=...::MESSAGE` line
 * on the innermost frame whose source is on this machine (a trap inside
 * libc points at the caller in the project), the backtrace in the message.
 * Paths under the current directory are made relative to it, as GitHub
 * resolves annotation paths against the checkout. */
static void annotate_trap(cli *c, const char *msg)
{
    size_t n = wb_session_frame_count(c->s), pick = SIZE_MAX;
    for (size_t i = 0; i < n && pick == SIZE_MAX; i++) {
        const wb_frame *f = wb_session_frame(c->s, i);
        source *src = f->file ? source_get(c, f->file) : NULL;
        if (src && !src->missing) pick = i;
    }
    if (pick == SIZE_MAX) pick = 0;
    const wb_frame *f = wb_session_frame(c->s, pick);
    if (!f) return;
    char cwd[4096];
    const char *file = f->file;
    if (file && getcwd(cwd, sizeof cwd)) {
        size_t l = strlen(cwd);
        if (strncmp(file, cwd, l) == 0 && file[l] == '/') file += l + 1;
    }
    fflush(c->out);
    out(c, "::error ");
    if (file) {
        out(c, "file=");
        gh_escape(c->out, file, true);
        out(c, ",line=%u,", f->line);
    }
    out(c, "title=");
    gh_escape(c->out, "Wasm trap", true);
    out(c, "::");
    char line[512];
    snprintf(line, sizeof line, "%s in %s\n", msg, f->function);
    gh_escape(c->out, line, false);
    for (size_t i = 0; i < n && i < 32; i++) {
        const wb_frame *g = wb_session_frame(c->s, i);
        if (g->file)
            snprintf(line, sizeof line, "#%zu %s at %s:%u\n", i, g->function, g->file, g->line);
        else
            snprintf(line, sizeof line, "#%zu %s\n", i, g->function);
        gh_escape(c->out, line, false);
    }
    out(c, "\n");
}

/* An out-of-bounds access by a C stack that ran out reads like a bad
 * pointer: say what it was. */
static void stack_hint(cli *c, const char *trap)
{
    uint32_t sp;
    if (strncmp(trap, "out of bounds memory access", 27) == 0 &&
        wb_session_stack_overflowed(c->s, &sp))
        out(c,
            "The stack pointer (global 0) is 0x%08x, below 0: the C stack in linear memory "
            "ran out (deep recursion?).\n",
            sp);
}

/* Reports a stop as gdb does. */
static void report_stop(cli *c, wb_stop *st)
{
    c->frame = 0;
    c->trapped = false;
    switch (st->why) {
    case WB_WHY_EXITED:
        if (wb_session_pid(c->s))
            out(c, "[Inferior 1 (process %d) ", (int)wb_session_pid(c->s));
        else
            out(c, "[Inferior 1 (remote) ");
        if (st->exit_code == 0)
            out(c, "exited normally]\n");
        else
            out(c, "exited with code %02o]\n", (unsigned)st->exit_code);
        c->exited = true;
        c->exit_code = st->exit_code;
        return;
    case WB_WHY_KILLED:
        out(c, "\nProgram terminated with signal %d.\nThe program no longer exists.\n",
            st->exit_code);
        c->exited = true;
        c->exit_code = 128 + st->exit_code;
        return;
    case WB_WHY_BREAKPOINT: {
        if (st->description[0]) out(c, "%s\n", st->description);
        out(c, "\n%s %d, ", st->bp_temporary ? "Temporary breakpoint" : "Breakpoint", st->bp);
        show_frame(c, 0, false, true);
        break;
    }
    case WB_WHY_WATCHPOINT: {
        const wb_bp *b = wb_session_bp_by_number(c->s, st->bp);
        const char *kind = !b                        ? "Watchpoint"
                           : b->type == WB_BP_RWATCH ? "Hardware read watchpoint"
                           : b->type == WB_BP_AWATCH ? "Hardware access (read/write) watchpoint"
                                                     : "Hardware watchpoint";
        out(c, "\n%s %d: %s\n\n", kind, st->bp, b ? b->spec : "?");
        if (st->watch_has_old && st->watch_old.type) {
            char *o = format_value(c, &st->watch_old, 0, 0);
            out(c, "Old value = %s\n", o ? o : "?");
            free(o);
        }
        if (st->watch_new.type) {
            char *n = format_value(c, &st->watch_new, 0, 0);
            out(c, "%s = %s\n", st->watch_has_old ? "New value" : "Value", n ? n : "?");
            free(n);
        }
        print_stop_location(c, true);
        break;
    }
    case WB_WHY_WATCH_SCOPE:
        out(c,
            "\nWatchpoint %d deleted because the program has left the block in\n"
            "which its expression is valid.\n",
            st->bp);
        print_stop_location(c, true);
        break;
    case WB_WHY_TRAP: {
        size_t pl = sizeof WRSP_TRAP_PREFIX - 1;
        const char *msg = strncmp(st->description, WRSP_TRAP_PREFIX, pl) == 0 ? st->description + pl
                                                                              : st->description;
        char *panic = wb_session_rust_panic(c->s); /* a Rust panic (abort) */
        if (panic)
            out(c, "\nProgram panicked%s (Wasm trap: %s).\n", panic, msg);
        else
            out(c, "\nProgram stopped by a Wasm trap: %s.\n", msg);
        stack_hint(c, msg);
        c->trapped = true;
        print_stop_location(c, true);
        char what[400];
        if (panic) snprintf(what, sizeof what, "panicked%s", panic);
        if (c->annotate_github) annotate_trap(c, panic ? what : msg);
        free(panic);
        break;
    }
    case WB_WHY_INTERRUPT:
        out(c, "\nProgram received signal SIGINT, Interrupt.\n");
        print_stop_location(c, true);
        break;
    case WB_WHY_SIGNAL:
        out(c, "\nProgram stopped: %s\n", st->description[0] ? st->description : "signal");
        print_stop_location(c, true);
        break;
    case WB_WHY_ENTRY: print_stop_location(c, true); break;
    case WB_WHY_STEP: {
        const wb_frame *f = wb_session_frame(c->s, 0);
        if (f && f->file && !st->new_function && c->insn_step) {
            /* stepi inside a line: gdb prefixes the pc */
            wb_line row;
            wb_error e;
            wb_dwarf *d = wb_session_dwarf(c->s);
            if (d && wb_dwarf_line_at(d, f->pc, &row, &e) == WB_OK &&
                (row.addr != f->pc || !row.is_stmt))
                out(c, "0x%08x\t", f->pc);
        }
        print_stop_location(c, st->new_function || !f || !f->file);
        break;
    }
    }
    do_displays(c);
}

/* ----------------------------------------------------------- commands */

typedef struct command {
    const char *name;
    const char *aliases; /* space-separated fixed abbreviations */
    void (*run)(cli *c, const char *args, char fmt);
    const char *help;
    bool takes_format; /* print/FMT, x/FMT, display/FMT */
} command;

static bool need_session(cli *c)
{
    if (c->s) return true;
    error_line(c, "No symbol table is loaded.  Use the \"file\" command.");
    return false;
}

static bool need_stopped(cli *c)
{
    if (!need_session(c)) return false;
    if (wb_session_state(c->s) == WB_PROC_STOPPED) return true;
    error_line(c, "The program is not being run.");
    return false;
}

static void free_args(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* Splits ARGS as a shell would for simple cases: words, quotes. */
static char **split_words(const char *p, size_t *n)
{
    char **v = NULL;
    size_t cap = 0;
    *n = 0;
    while (*(p = skip_ws(p))) {
        char *w = malloc(strlen(p) + 1);
        if (!w) break;
        size_t k = 0;
        char q = 0;
        for (; *p && (q || (*p != ' ' && *p != '\t')); p++) {
            if (!q && (*p == '"' || *p == '\''))
                q = *p;
            else if (q && *p == q)
                q = 0;
            else if (*p == '\\' && p[1] && q != '\'')
                w[k++] = *++p;
            else
                w[k++] = *p;
        }
        w[k] = 0;
        if (!wb_grow((void **)&v, &cap, *n + 2, sizeof *v)) {
            free(w);
            break;
        }
        v[(*n)++] = w;
        v[*n] = NULL;
    }
    return v;
}

static void resume(cli *c, wb_run how, const char *where)
{
    if (!need_stopped(c)) return;
    wb_stop st;
    wb_error e;
    fflush(c->out);
    g_interrupted = 0;
    c->insn_step = how == WB_RUN_STEPI || how == WB_RUN_NEXTI;
    if (wb_session_resume(c->s, how, c->frame, where, &st, &e) != WB_OK) {
        error_line(c, "%s", e.msg);
        if (wb_session_state(c->s) != WB_PROC_STOPPED) c->frame = 0;
        return;
    }
    report_stop(c, &st);
    if (how == WB_RUN_FINISH && st.why == WB_WHY_STEP && st.has_value) {
        unsigned n = wb_session_record(c->s, &st.value);
        char *t = format_value(c, &st.value, 0, 0);
        out(c, "Value returned is $%u = %s\n", n, t ? t : "?");
        free(t);
    } else if (how == WB_RUN_FINISH && st.why == WB_WHY_STEP && st.value_type) {
        /* gdb's words for a value it cannot fetch (a struct returned
         * through memory; here also a stub without operand stack reads) */
        char tn[256];
        wb_type_spell(st.value_type, NULL, tn, sizeof tn);
        out(c, "Value returned has type: %s. Cannot determine contents\n", tn);
    }
    wb_stop_free(&st);
}

static void start_program(cli *c, bool stop_at_entry)
{
    if (!need_session(c)) return;
    if (wb_session_state(c->s) == WB_PROC_STOPPED) {
        wb_error e;
        wb_session_kill(c->s, &e);
    }
    const char **argv = calloc(c->nargs + 1, sizeof *argv);
    const char **rt = calloc(c->nrt_args + 1, sizeof *rt);
    if (!argv || !rt) {
        free(argv);
        free(rt);
        error_line(c, "out of memory");
        return;
    }
    for (size_t i = 0; i < c->nargs; i++)
        argv[i] = c->args[i];
    for (size_t i = 0; i < c->nrt_args; i++)
        rt[i] = c->rt_args[i];
    wb_launch l = {c->runtime, argv, rt, NULL, -1, -1};
    wb_error e;
    c->exited = false;
    c->trapped = false;
    wb_status st = wb_session_launch(c->s, &l, &e);
    free(argv);
    free(rt);
    if (st != WB_OK) {
        error_line(c, "%s", e.msg);
        return;
    }
    if (c->from_tty) {
        /* gdb's "%s %s": the program, a space, the arguments */
        out(c, "Starting program: %s ", wb_session_module_path(c->s));
        for (size_t i = 0; i < c->nargs; i++)
            out(c, "%s%s", i ? " " : "", c->args[i]);
        out(c, "\n");
    }
    const char *missing = wb_session_missing_features(c->s);
    if (missing) out(c, "warning: the stub lacks %s\n", missing);
    c->frame = 0;
    if (stop_at_entry) {
        wb_stop s0 = {.why = WB_WHY_ENTRY};
        out(c, "\nProgram stopped.\n");
        report_stop(c, &s0);
        return;
    }
    resume(c, WB_RUN_CONTINUE, NULL);
}

static void set_program_args(cli *c, const char *args)
{
    args = skip_ws(args);
    if (!*args) return;
    free_args(c->args, c->nargs);
    c->args = split_words(args, &c->nargs);
}

static void cmd_run(cli *c, const char *args, char fmt)
{
    (void)fmt;
    set_program_args(c, args);
    start_program(c, false);
}

static void cmd_starti(cli *c, const char *args, char fmt)
{
    (void)fmt;
    set_program_args(c, args);
    start_program(c, true);
}

static void cmd_start(cli *c, const char *args, char fmt)
{
    (void)fmt;
    if (!need_session(c)) return;
    const wb_bp *b;
    wb_error e;
    if (wb_session_break(c->s, "main", NULL, true, &b, &e) != WB_OK) {
        error_line(c, "%s", e.msg);
        return;
    }
    out(c, "Temporary breakpoint %d at 0x%x", b->number, b->locs[0].addr);
    if (b->locs[0].file)
        out(c, ": file %s, line %u.", show_file(c, b->locs[0].file), b->locs[0].line);
    out(c, "\n");
    set_program_args(c, args);
    start_program(c, false);
}

static unsigned count_arg(cli *c, const char *args, bool *ok)
{
    args = skip_ws(args);
    *ok = true;
    if (!*args) return 1;
    char *end;
    unsigned long n = strtoul(args, &end, 0);
    if (*skip_ws(end) || n == 0 || n > 1000000) {
        error_line(c, "Invalid number \"%s\".", args);
        *ok = false;
    }
    return (unsigned)n;
}

static void repeat_run(cli *c, const char *args, wb_run how)
{
    bool ok;
    unsigned n = count_arg(c, args, &ok);
    if (!ok) return;
    for (unsigned i = 0; i < n; i++) {
        if (!need_stopped(c)) return;
        c->last_failed = false;
        resume(c, how, NULL);
        if (c->last_failed || wb_session_state(c->s) != WB_PROC_STOPPED) return;
    }
}

/* What gdb says of an ignore count set (`ignore`, `continue N`), without
 * the end of the line. */
static void say_ignore(cli *c, int bp, unsigned long count)
{
    if (count == 0)
        out(c, "Will stop next time breakpoint %d is reached.", bp);
    else if (count == 1)
        out(c, "Will ignore next crossing of breakpoint %d.", bp);
    else
        out(c, "Will ignore next %lu crossings of breakpoint %d.", count, bp);
}

static void cmd_continue(cli *c, const char *args, char fmt)
{
    (void)fmt;
    if (!need_stopped(c)) return;
    args = skip_ws(args);
    if (*args) {
        /* continue N: ignore the breakpoints we are stopped at N-1 more
         * times; gdb's words on one line, then "Continuing." */
        unsigned long n = strtoul(args, NULL, 10);
        const wb_frame *f = wb_session_frame(c->s, 0);
        bool at_bp = false;
        for (size_t i = 0; f && n > 0 && i < wb_session_bp_count(c->s); i++) {
            const wb_bp *b = wb_session_bp(c->s, i);
            for (size_t k = 0; k < b->nlocs; k++)
                if (b->locs[k].addr == f->pc) {
                    wb_error e;
                    wb_session_ignore(c->s, b->number, (unsigned)(n - 1), &e);
                    if (c->from_tty) {
                        say_ignore(c, b->number, n - 1);
                        out(c, "  ");
                    }
                    at_bp = true;
                    break;
                }
        }
        if (!at_bp && c->from_tty) out(c, "Not stopped at any breakpoint; argument ignored.\n");
    }
    if (c->from_tty) out(c, "Continuing.\n");
    resume(c, WB_RUN_CONTINUE, NULL);
}

static void cmd_next(cli *c, const char *a, char f)
{
    (void)f;
    repeat_run(c, a, WB_RUN_NEXT);
}
static void cmd_step(cli *c, const char *a, char f)
{
    (void)f;
    repeat_run(c, a, WB_RUN_STEP);
}
static void cmd_stepi(cli *c, const char *a, char f)
{
    (void)f;
    repeat_run(c, a, WB_RUN_STEPI);
}
static void cmd_nexti(cli *c, const char *a, char f)
{
    (void)f;
    repeat_run(c, a, WB_RUN_NEXTI);
}

static void cmd_finish(cli *c, const char *args, char fmt)
{
    (void)args;
    (void)fmt;
    if (!need_stopped(c)) return;
    if (c->frame + 1 >= wb_session_frame_count(c->s)) {
        error_line(c, "\"finish\" not meaningful in the outermost frame.");
        return;
    }
    if (c->from_tty) {
        out(c, "Run till exit from ");
        print_frame_line(c, c->frame, true);
    }
    resume(c, WB_RUN_FINISH, NULL);
}

static void cmd_until(cli *c, const char *args, char fmt)
{
    (void)fmt;
    args = skip_ws(args);
    resume(c, WB_RUN_UNTIL, *args ? args : NULL);
}

static void cmd_advance(cli *c, const char *args, char fmt)
{
    (void)fmt;
    args = skip_ws(args);
    if (!*args) {
        error_line(c, "Argument required (a location).");
        return;
    }
    resume(c, WB_RUN_ADVANCE, args);
}

static const char *default_file(cli *c)
{
    if (c->s && wb_session_state(c->s) == WB_PROC_STOPPED) {
        const wb_frame *f = wb_session_frame(c->s, c->frame);
        if (f && f->file) return f->file;
    }
    if (!c->list_file && c->s && wb_session_dwarf(c->s)) {
        /* before the program runs, gdb's default is the file with main */
        wb_dwarf *d = wb_session_dwarf(c->s);
        const wb_scope *fn;
        wb_code_off entry;
        wb_line row;
        wb_error e;
        if (wb_dwarf_function_named(d, "main", &fn, &entry, &e) == WB_OK &&
            wb_dwarf_line_at(d, entry, &row, &e) == WB_OK && row.line) {
            c->list_file = row.file;
            c->list_first = row.line;
            c->list_line = 0;
        }
    }
    return c->list_file;
}

/* The first address a location (as `break` takes them) resolves to; false
 * after saying why there is none. */
static bool resolve_first(cli *c, const char *spec, wb_code_off *pc)
{
    wb_bp_loc *locs;
    size_t nl;
    wb_error e;
    if (wb_session_resolve(c->s, spec, default_file(c), &locs, &nl, &e) != WB_OK) {
        error_line(c, "%s", e.msg);
        return false;
    }
    *pc = locs[0].addr;
    free(locs);
    return true;
}

static void print_bp_set(cli *c, const wb_bp *b)
{
    out(c, "%s %d at ", b->temporary ? "Temporary breakpoint" : "Breakpoint", b->number);
    if (b->nlocs == 1) {
        out(c, "0x%x", b->locs[0].addr);
        if (b->locs[0].file)
            out(c, ": file %s, line %u.", show_file(c, b->locs[0].file), b->locs[0].line);
    } else {
        out(c, "0x%x: %s. (%zu locations)", b->locs[0].addr, b->spec, b->nlocs);
    }
    out(c, "\n");
}

static void set_break(cli *c, const char *args, bool temporary)
{
    if (!need_session(c)) return;
    char *spec = strdup(skip_ws(args));
    if (!spec) return;
    char *cond = NULL;
    /* "LOC if COND" */
    for (char *p = spec; *p; p++)
        if ((p == spec || p[-1] == ' ') && strncmp(p, "if", 2) == 0 &&
            (p[2] == ' ' || p[2] == '(' || !p[2])) {
            cond = skip_ws(p + 2);
            *p = 0;
            break;
        }
    rtrim(spec);
    if (!*spec) {
        /* no location: the current pc, as gdb does */
        const wb_frame *f = c->s && wb_session_state(c->s) == WB_PROC_STOPPED
                                ? wb_session_frame(c->s, c->frame)
                                : NULL;
        if (!f) {
            error_line(c, "No default breakpoint location now selected.");
            free(spec);
            return;
        }
        char buf[32];
        snprintf(buf, sizeof buf, "*0x%x", f->pc);
        free(spec);
        spec = strdup(buf);
        if (!spec) return;
    }
    const wb_bp *b;
    wb_error e;
    wb_status st = wb_session_break(c->s, spec, default_file(c), temporary, &b, &e);
    if (st != WB_OK) {
        /* gdb asks whether to make the breakpoint pending, and in batch
         * mode or without a terminal the answer is no: not an error */
        if (st == WB_NOT_FOUND)
            error_soft(c, "%s", e.msg);
        else
            error_line(c, "%s", e.msg);
        free(spec);
        return;
    }
    if (cond && *cond) wb_session_condition(c->s, b->number, cond, &e);
    print_bp_set(c, b);
    free(spec);
}

static void cmd_break(cli *c, const char *a, char f)
{
    (void)f;
    set_break(c, a, false);
}
static void cmd_tbreak(cli *c, const char *a, char f)
{
    (void)f;
    set_break(c, a, true);
}

static void set_watch(cli *c, const char *args, wb_bp_type type)
{
    if (!need_stopped(c)) return;
    args = skip_ws(args);
    if (!*args) {
        error_line(c, "Argument required (expression to compute).");
        return;
    }
    const wb_bp *b;
    wb_error e;
    if (wb_session_watch(c->s, type, args, c->frame, &b, &e) != WB_OK) {
        error_line(c, "%s", e.msg);
        return;
    }
    out(c, "%s %d: %s\n",
        type == WB_BP_WATCH    ? "Hardware watchpoint"
        : type == WB_BP_RWATCH ? "Hardware read watchpoint"
                               : "Hardware access (read/write) watchpoint",
        b->number, b->spec);
}

static void cmd_watch(cli *c, const char *a, char f)
{
    (void)f;
    set_watch(c, a, WB_BP_WATCH);
}
static void cmd_rwatch(cli *c, const char *a, char f)
{
    (void)f;
    set_watch(c, a, WB_BP_RWATCH);
}
static void cmd_awatch(cli *c, const char *a, char f)
{
    (void)f;
    set_watch(c, a, WB_BP_AWATCH);
}

/* A breakpoint number at *pp, as gdb reads one: digits, or a $variable
 * holding an integer (saved breakpoints say `condition $bpnum ...`). *pp
 * moves past it. Returns 0 when there is no number there, -1 after an
 * error line, 1 with it in *n. */
static int bp_number(cli *c, const char **pp, long *n)
{
    const char *p = skip_ws(*pp);
    if (*p != '$') {
        char *end;
        *n = strtol(p, &end, 10);
        if (end == p) return 0;
        *pp = end;
        return 1;
    }
    size_t len = 1;
    while (isalnum((unsigned char)p[len]) || p[len] == '_' || p[len] == '$')
        len++;
    char *name = strndup(p, len);
    wb_value v;
    wb_error e;
    int64_t i = 0;
    bool ok = name && c->s && wb_session_eval(c->s, c->frame, name, &v, &e) == WB_OK;
    free(name);
    if (ok) {
        const wb_type *t = wb_type_strip(v.type);
        ok = t &&
             (t->kind == WB_TYPE_ENUM || (t->kind == WB_TYPE_BASE && t->enc != WB_ENC_FLOAT)) &&
             wb_value_as_i64(&v, &i, &e) == WB_OK;
        wb_value_free(&v);
    }
    if (!ok) {
        error_line(c, "Convenience variable must have integer value.");
        return -1;
    }
    *n = i;
    *pp = p + len;
    return 1;
}

/* Runs fn on each breakpoint number in ARGS (all when empty). */
static void each_bp(cli *c, const char *args, wb_status (*fn)(wb_session *, int, bool, wb_error *),
                    bool on)
{
    if (!need_session(c)) return;
    args = skip_ws(args);
    if (strncmp(args, "breakpoints", 11) == 0) args = skip_ws(args + 11);
    wb_error e;
    if (!*args) {
        while (fn == NULL && wb_session_bp_count(c->s))
            wb_session_delete(c->s, wb_session_bp(c->s, 0)->number, &e);
        for (size_t i = 0; fn && i < wb_session_bp_count(c->s); i++)
            fn(c->s, wb_session_bp(c->s, i)->number, on, &e);
        return;
    }
    while (*args) {
        long n, hi;
        int got = bp_number(c, &args, &n);
        if (got == 0)
            error_line(c, "Convenience variable must have integer value.\nArgs must be numbers "
                          "or '$' variables.");
        if (got <= 0) return;
        hi = n;
        if (*args == '-') {
            args++;
            if (bp_number(c, &args, &hi) < 0) return;
        }
        for (long k = n; k <= hi; k++) {
            wb_status st = fn ? fn(c->s, (int)k, on, &e) : wb_session_delete(c->s, (int)k, &e);
            if (st != WB_OK) out(c, "%s\n", e.msg); /* gdb: said, not an error */
        }
        args = skip_ws(args);
    }
}

static void cmd_delete(cli *c, const char *a, char f)
{
    (void)f;
    each_bp(c, a, NULL, false);
}
static void cmd_enable(cli *c, const char *a, char f)
{
    (void)f;
    each_bp(c, a, wb_session_enable, true);
}
static void cmd_disable(cli *c, const char *a, char f)
{
    (void)f;
    each_bp(c, a, wb_session_enable, false);
}

static void cmd_condition(cli *c, const char *args, char fmt)
{
    (void)fmt;
    if (!need_session(c)) return;
    long n;
    int got = bp_number(c, &args, &n);
    if (got == 0) error_line(c, "Argument required (breakpoint number).");
    if (got <= 0) return;
    wb_error e;
    const char *cond = skip_ws(args);
    if (wb_session_condition(c->s, (int)n, cond, &e) != WB_OK)
        error_line(c, "%s", e.msg);
    else if (!*cond && c->from_tty)
        out(c, "Breakpoint %ld now unconditional.\n", n);
}

static void cmd_ignore(cli *c, const char *args, char fmt)
{
    (void)fmt;
    if (!need_session(c)) return;
    long n, count;
    int got = bp_number(c, &args, &n);
    char *end;
    if (got > 0) {
        count = strtol(args, &end, 10);
        if (end == args || count < 0) got = 0;
    }
    if (got == 0) error_line(c, "Argument required (a breakpoint number and a count).");
    if (got <= 0) return;
    wb_error e;
    if (wb_session_ignore(c->s, (int)n, (unsigned)count, &e) != WB_OK) {
        error_line(c, "%s", e.msg);
        return;
    }
    if (c->from_tty) {
        say_ignore(c, (int)n, (unsigned long)count);
        out(c, "\n");
    }
}

/* save breakpoints FILE: the breakpoints and watchpoints as commands that
 * make them again (`source FILE`, -x FILE), as gdb writes them: the
 * location or expression as given, then the condition, the ignore count
 * and the disabling of the one just made ($bpnum). */
static void save_breakpoints(cli *c, const char *path)
{
    size_t n = c->s ? wb_session_bp_count(c->s) : 0, saved = 0;
    for (size_t i = 0; i < n; i++)
        saved += !wb_session_bp(c->s, i)->log_message;
    if (!saved) {
        error_soft(c, "warning: Nothing to save.");
        return;
    }
    FILE *f = fopen(path, "w");
    if (!f) {
        error_line(c, "Unable to open file '%s' for saving (%s)", path, strerror(errno));
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const wb_bp *b = wb_session_bp(c->s, i);
        if (b->log_message) continue; /* a DAP logpoint: no command makes one */
        static const char *const kinds[] = {"break", "watch", "rwatch", "awatch"};
        fprintf(f, "%s %s\n", b->type == WB_BP_BREAK && b->temporary ? "tbreak" : kinds[b->type],
                b->spec);
        if (b->condition) fprintf(f, "  condition $bpnum %s\n", b->condition);
        if (b->ignore) fprintf(f, "  ignore $bpnum %u\n", b->ignore);
        if (!b->enabled) fprintf(f, "disable $bpnum\n");
    }
    if (fclose(f) != 0) {
        error_line(c, "Unable to write file '%s' (%s)", path, strerror(errno));
        return;
    }
    if (c->from_tty) out(c, "Saved to file '%s'.\n", path);
}

static void cmd_save(cli *c, const char *args, char fmt)
{
    (void)fmt;
    args = skip_ws(args);
    size_t len = strcspn(args, " \t");
    if (!len) {
        out(c, "List of save subcommands:\n\nsave breakpoints -- Save current breakpoint "
               "definitions as a script.\n");
        return;
    }
    if (len > strlen("breakpoints") || strncmp(args, "breakpoints", len) != 0) {
        error_line(c, "Undefined save command: \"%s\".  Try \"help save\".", args);
        return;
    }
    const char *path = skip_ws(args + len);
    if (!*path) {
        error_line(c, "Argument required (file name in which to save)");
        return;
    }
    save_breakpoints(c, path);
}

static void info_breakpoints(cli *c, bool watch_only)
{
    if (!c->s || wb_session_bp_count(c->s) == 0) {
        out(c, watch_only ? "No watchpoints.\n" : "No breakpoints or watchpoints.\n");
        return;
    }
    /* gdb widens the Type column only for the longest type names */
    int tw = 14;
    for (size_t i = 0; i < wb_session_bp_count(c->s); i++) {
        wb_bp_type t = wb_session_bp(c->s, i)->type;
        if ((!watch_only || t != WB_BP_BREAK) && (t == WB_BP_RWATCH || t == WB_BP_AWATCH)) tw = 15;
    }
    out(c, "Num     %-*s Disp Enb Address    What\n", tw, "Type");
    for (size_t i = 0; i < wb_session_bp_count(c->s); i++) {
        const wb_bp *b = wb_session_bp(c->s, i);
        if (watch_only && b->type == WB_BP_BREAK) continue;
        const char *type = b->type == WB_BP_BREAK    ? "breakpoint"
                           : b->type == WB_BP_WATCH  ? "hw watchpoint"
                           : b->type == WB_BP_RWATCH ? "read watchpoint"
                                                     : "acc watchpoint";
        out(c, "%-7d %-*s %-4s %-3s ", b->number, tw, type, b->temporary ? "del" : "keep",
            b->enabled ? "y" : "n");
        if (b->type != WB_BP_BREAK) {
            out(c, "%-10s %s\n", "", b->spec);
        } else if (b->nlocs == 1) {
            out(c, "0x%08x ", b->locs[0].addr);
            if (b->locs[0].file)
                out(c, "in %s at %s:%u\n", b->locs[0].function, show_file(c, b->locs[0].file),
                    b->locs[0].line);
            else
                out(c, "<%s>\n", b->locs[0].function);
        } else {
            out(c, "%-10s\n", "<MULTIPLE>");
        }
        if (b->condition) out(c, "\tstop only if %s\n", b->condition);
        if (b->hits)
            out(c, "\tbreakpoint already hit %u time%s\n", b->hits, b->hits == 1 ? "" : "s");
        if (b->ignore) out(c, "\tignore next %u hits\n", b->ignore); /* gdb 13's words */
        if (b->nlocs > 1)
            for (size_t k = 0; k < b->nlocs; k++)
                out(c, "%d.%-5zu %-*s %-4s %-3s 0x%08x in %s at %s:%u\n", b->number, k + 1, tw, "",
                    "", b->enabled ? "y" : "n", b->locs[k].addr, b->locs[k].function,
                    show_file(c, b->locs[k].file), b->locs[k].line);
    }
}

static void cmd_backtrace(cli *c, const char *args, char fmt)
{
    (void)fmt;
    if (!need_stopped(c)) return;
    size_t n = wb_session_frame_count(c->s);
    if (n == 0) {
        error_line(c, "No stack.");
        return;
    }
    bool full = false;
    long limit = 0;
    char **w;
    size_t nw;
    w = split_words(args, &nw);
    for (size_t i = 0; i < nw; i++) {
        if (strcmp(w[i], "full") == 0 || strcmp(w[i], "-full") == 0)
            full = true;
        else
            limit = strtol(w[i], NULL, 10);
    }
    free_args(w, nw);
    size_t from = 0, to = n;
    if (limit > 0 && (size_t)limit < n) to = (size_t)limit;
    if (limit < 0 && (size_t)-limit < n) from = n - (size_t)-limit;
    for (size_t i = from; i < to; i++) {
        print_frame_line(c, i, true);
        if (full) {
            wb_named_value *v;
            size_t nv;
            wb_error e;
            if (wb_session_frame_vars(c->s, i, false, &v, &nv, &e) == WB_OK) {
                if (nv == 0) out(c, "No locals.\n");
                for (size_t k = 0; k < nv; k++) {
                    char *t = v[k].error.msg[0] ? NULL : format_plain(c, &v[k].value, 0);
                    out(c, "        %s = ", v[k].name);
                    /* a pretty value's lines are indented as its name */
                    for (const char *p = t ? t : v[k].error.msg; *p; p++)
                        out(c, *p == '\n' ? "\n        " : "%c", *p);
                    out(c, "\n");
                    free(t);
                }
                wb_session_vars_free(v, nv);
            }
        }
    }
    if (to < n && c->from_tty) out(c, "(More stack frames follow...)\n");
}

static void select_frame(cli *c, size_t i, bool print)
{
    c->frame = i;
    if (print) show_frame(c, i, true, true);
}

/* Whether frame `f` runs the function `name` (as frames name it, or as a
 * user may name it). */
static bool frame_runs(const wb_frame *f, const char *name)
{
    return strcmp(f->function, name) == 0 || (f->fn && wb_scope_named(f->fn, name));
}

/* frame function NAME: the innermost frame running NAME. */
static void frame_function(cli *c, const char *name)
{
    if (!*name) {
        error_line(c, "Missing function name argument");
        return;
    }
    for (size_t i = 0; i < wb_session_frame_count(c->s); i++)
        if (frame_runs(wb_session_frame(c->s, i), name)) {
            select_frame(c, i, true);
            return;
        }
    wb_code_off pc;
    if (resolve_first(c, name, &pc)) error_line(c, "No frame for function \"%s\".", name);
}

static void cmd_frame(cli *c, const char *args, char fmt)
{
    (void)fmt;
    if (!need_stopped(c)) return;
    args = skip_ws(args);
    if (strncmp(args, "function", 8) == 0 && (!args[8] || args[8] == ' ')) {
        char *name = strdup(skip_ws(args + 8));
        if (!name) return;
        rtrim(name);
        frame_function(c, name);
        free(name);
        return;
    }
    if (strncmp(args, "level", 5) == 0) args = skip_ws(args + 5);
    size_t i = c->frame;
    if (*args) {
        char *end;
        long n = strtol(args, &end, 10);
        if (end == args || n < 0) {
            error_line(c, "Invalid frame specification \"%s\".", args);
            return;
        }
        i = (size_t)n;
    }
    if (i >= wb_session_frame_count(c->s)) {
        error_line(c, "No frame at level %s.", args);
        return;
    }
    select_frame(c, i, true);
}

static void cmd_up(cli *c, const char *args, char fmt)
{
    (void)fmt;
    if (!need_stopped(c)) return;
    bool ok;
    unsigned n = count_arg(c, args, &ok);
    if (!ok) return;
    size_t total = wb_session_frame_count(c->s);
    if (c->frame + 1 >= total) {
        error_line(c, "Initial frame selected; you cannot go up.");
        return;
    }
    size_t i = c->frame + n < total ? c->frame + n : total - 1;
    select_frame(c, i, true);
}

static void cmd_down(cli *c, const char *args, char fmt)
{
    (void)fmt;
    if (!need_stopped(c)) return;
    bool ok;
    unsigned n = count_arg(c, args, &ok);
    if (!ok) return;
    if (c->frame == 0) {
        error_line(c, "Bottom (innermost) frame selected; you cannot go down.");
        return;
    }
    select_frame(c, c->frame >= n ? c->frame - n : 0, true);
}

static void print_vars(cli *c, bool args)
{
    if (!need_stopped(c)) return;
    wb_named_value *v;
    size_t n;
    wb_error e;
    if (wb_session_frame_vars(c->s, c->frame, args, &v, &n, &e) != WB_OK) {
        error_line(c, "%s", e.msg);
        return;
    }
    if (n == 0) out(c, args ? "No arguments.\n" : "No locals.\n");
    for (size_t i = 0; i < n; i++) {
        if (v[i].error.msg[0]) {
            out(c, "%s = <error: %s>\n", v[i].name, v[i].error.msg);
            continue;
        }
        char *t = format_plain(c, &v[i].value, 0);
        out(c, "%s = %s\n", v[i].name, t ? t : "?");
        free(t);
    }
    wb_session_vars_free(v, n);
}

static void info_frame(cli *c)
{
    if (!need_stopped(c)) return;
    const wb_frame *f = wb_session_frame(c->s, c->frame);
    if (!f) {
        error_line(c, "No stack.");
        return;
    }
    out(c, "Stack level %zu, Wasm frame %zu:\n", c->frame, f->phys);
    out(c, " pc = 0x%08x in %s", f->pc, f->function);
    if (f->file) out(c, " (%s:%u)", show_file(c, f->file), f->line);
    const wb_frame *up = wb_session_frame(c->s, c->frame + 1);
    if (up) out(c, "; saved pc = 0x%08x", up->pc);
    out(c, "\n");
    if (f->inlined) out(c, " inlined into frame %zu\n", c->frame + 1);
    if (up) out(c, " called by frame at level %zu\n", c->frame + 1);
    if (c->frame > 0) out(c, " caller of frame at level %zu\n", c->frame - 1);
    const wb_func *fn;
    if (wb_wasm_func_at(wb_session_wasm(c->s), f->pc, &fn) == WB_OK)
        out(c, " Wasm function %u, body at 0x%08x-0x%08x\n", fn->index, fn->start, fn->end);
    if (f->fn && f->fn->frame_base && f->fn->frame_base_len >= 3 && f->fn->frame_base[0] == 0xed &&
        f->fn->frame_base[1] == 0) {
        uint64_t v;
        uint32_t local = f->fn->frame_base[2] & 0x7f;
        if (wb_session_wasm_value(c->s, "Local", f->phys, local, &v, NULL) == WB_OK)
            out(c, " frame base: Wasm local %u = 0x%" PRIx64 "\n", local, v);
    }
}

static void info_source(cli *c)
{
    const char *f = default_file(c);
    if (!f) {
        out(c, "No current source file.\n");
        return;
    }
    out(c, "Current source file is %s\n", f);
    source *s = source_get(c, f);
    if (s && !s->missing)
        out(c, "Contains %zu lines.\n", s->nlines);
    else
        out(c, "The source file is not readable on this machine.\n");
}

static void info_line(cli *c, const char *args)
{
    if (!need_session(c)) return;
    wb_dwarf *d = wb_session_dwarf(c->s);
    args = skip_ws(args);
    wb_code_off pc;
    wb_error e;
    if (!*args) {
        const wb_frame *f =
            wb_session_state(c->s) == WB_PROC_STOPPED ? wb_session_frame(c->s, c->frame) : NULL;
        if (!f) {
            error_line(c, "No line number information available.");
            return;
        }
        pc = f->lookup_pc;
    } else if (!resolve_first(c, args, &pc)) {
        return;
    }
    wb_line row;
    wb_code_off lo, hi;
    if (!d || wb_dwarf_line_at(d, pc, &row, &e) != WB_OK || !row.line ||
        wb_dwarf_line_range(d, pc, &lo, &hi, &e) != WB_OK) {
        out(c, "No line number information available for address 0x%x\n", pc);
        return;
    }
    out(c, "Line %u of \"%s\" starts at address 0x%x and ends at 0x%x.\n", row.line,
        show_file(c, row.file), lo, hi);
}

static void info_display(cli *c)
{
    if (c->ndisplays == 0) {
        out(c, "There are no auto-display expressions now.\n");
        return;
    }
    out(c, "Auto-display expressions now in effect:\nNum Enb Expression\n");
    for (size_t i = 0; i < c->ndisplays; i++)
        if (c->displays[i].fmt)
            out(c, "%d:   %c  /%c %s\n", c->displays[i].number, c->displays[i].enabled ? 'y' : 'n',
                c->displays[i].fmt, c->displays[i].expr);
        else
            out(c, "%d:   %c  %s\n", c->displays[i].number, c->displays[i].enabled ? 'y' : 'n',
                c->displays[i].expr);
}

static void info_sources(cli *c)
{
    if (!need_session(c)) return;
    wb_dwarf *d = wb_session_dwarf(c->s);
    const char *const *files;
    size_t n;
    wb_error e;
    if (!d || wb_dwarf_source_files(d, &files, &n, &e) != WB_OK) {
        out(c, "No symbol table is loaded.\n");
        return;
    }
    for (size_t i = 0; i < n; i++)
        out(c, "%s%s", i ? ", " : "", files[i]);
    out(c, "\n");
}

static void info_program(cli *c)
{
    if (!c->s || wb_session_state(c->s) != WB_PROC_STOPPED) {
        out(c, "The program being debugged is not being run.\n");
        return;
    }
    const wb_frame *f = wb_session_frame(c->s, 0);
    out(c, "\tUsing the running image of %s process %d.\nProgram stopped at 0x%x.\n",
        wb_session_pid(c->s) ? "child" : "remote", (int)wb_session_pid(c->s), f ? f->pc : 0);
    const char *m = wb_session_missing_features(c->s);
    if (m) out(c, "The stub lacks: %s.\n", m);
}

/* ------------------------------------------------------------- symbols */

/* A symbol regexp as gdb compiles it: POSIX basic syntax (REG_NOSUB and
 * nothing else in gdb's symtab.c), so "a\|b" alternates and "a|b" does
 * not. */
static bool compile_regex(cli *c, const char *text, regex_t *re)
{
    int rc = regcomp(re, text, REG_NOSUB);
    if (rc == 0) return true;
    char msg[160];
    regerror(rc, re, msg, sizeof msg);
    error_line(c, "Invalid regexp: %s", msg);
    return false;
}

/* gdb's order of search results: by file, then by name; a struct before
 * a typedef of the same name (the one gdb keeps of the two). */
static int cmp_symbol(const void *a, const void *b)
{
    const wb_symbol *x = *(const wb_symbol *const *)a, *y = *(const wb_symbol *const *)b;
    int r = strcmp(x->file ? x->file : "", y->file ? y->file : "");
    if (!r) r = strcmp(x->name, y->name);
    if (!r)
        r = (x->type && x->type->kind == WB_TYPE_TYPEDEF) -
            (y->type && y->type->kind == WB_TYPE_TYPEDEF);
    return r;
}

/* The symbols of `kind` whose names match `re` (NULL: all), declared in
 * one of `files` (NULL: any), sorted as gdb lists them, one per file and
 * name. *out is malloc'd (free()); false after an error was said. */
static bool symbol_search(cli *c, wb_sym_kind kind, const regex_t *re, const char *const *files,
                          size_t nfiles, const wb_symbol ***out, size_t *n)
{
    const wb_symbol *all;
    size_t na;
    wb_error e;
    *out = NULL;
    *n = 0;
    wb_dwarf *d = wb_session_dwarf(c->s);
    if (!d) return true;
    if (wb_dwarf_symbols(d, kind, &all, &na, &e) != WB_OK) {
        error_line(c, "%s", e.msg);
        return false;
    }
    *out = malloc((na ? na : 1) * sizeof **out);
    if (!*out) return false;
    for (size_t i = 0; i < na; i++) {
        bool in = !files;
        for (size_t k = 0; k < nfiles && !in; k++)
            in = all[i].file && strcmp(all[i].file, files[k]) == 0;
        if (in && (!re || regexec(re, all[i].name, 0, NULL, 0) == 0)) (*out)[(*n)++] = &all[i];
    }
    qsort(*out, *n, sizeof **out, cmp_symbol);
    size_t k = 0;
    for (size_t i = 0; i < *n; i++)
        if (k == 0 || strcmp((*out)[k - 1]->name, (*out)[i]->name) != 0 ||
            strcmp((*out)[k - 1]->file ? (*out)[k - 1]->file : "",
                   (*out)[i]->file ? (*out)[i]->file : "") != 0)
            (*out)[k++] = (*out)[i];
    *n = k;
    return true;
}

/* A function the name section knows and DWARF does not (gdb's
 * non-debugging symbols). */
typedef struct plain_func {
    wb_code_off addr;
    const char *name;
} plain_func;

static int cmp_plain_func(const void *a, const void *b)
{
    const plain_func *x = a, *y = b;
    if (x->addr != y->addr) return x->addr < y->addr ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* The defined functions without DWARF whose names match `re` (NULL: all),
 * by address as gdb sorts them; *out is malloc'd (free()). Imports have no
 * code to show. */
static size_t plain_functions(cli *c, const regex_t *re, plain_func **out)
{
    const wb_wasm *w = wb_session_wasm(c->s);
    wb_dwarf *d = wb_session_dwarf(c->s);
    size_t n = 0;
    *out = malloc((wb_wasm_func_count(w) + 1) * sizeof **out);
    if (!*out) return 0;
    for (uint32_t i = 0; i < wb_wasm_func_count(w); i++) {
        const wb_func *f = wb_wasm_func(w, i);
        const wb_scope *fn;
        wb_error e;
        if (!f->name || (re && regexec(re, f->name, 0, NULL, 0) != 0)) continue;
        if (d && wb_dwarf_function_at(d, f->start, &fn, &e) == WB_OK) continue;
        (*out)[n].addr = f->start;
        (*out)[n++].name = f->name;
    }
    qsort(*out, n, sizeof **out, cmp_plain_func);
    return n;
}

/* A symbol as gdb's symbol_to_info_string says it: "static int f(int);",
 * "int g_grid[2][3];", "typedef struct {...} item;", "struct point;",
 * "int" (a base type, without the semicolon). malloc'd. */
static char *symbol_decl(const wb_symbol *sym)
{
    wb_sbuf b = {0};
    const wb_type *t = sym->type;
    bool tag =
        t && (t->kind == WB_TYPE_STRUCT || t->kind == WB_TYPE_UNION || t->kind == WB_TYPE_ENUM);
    if (sym->kind != WB_SYM_TYPE && sym->is_static) wb_sb_add(&b, "static ");
    if (sym->kind == WB_SYM_TYPE && t && t->kind == WB_TYPE_TYPEDEF) wb_sb_add(&b, "typedef ");
    const wb_type *spelt =
        sym->kind == WB_SYM_TYPE && t && t->kind == WB_TYPE_TYPEDEF ? t->target : t;
    const char *name =
        sym->kind != WB_SYM_TYPE || (t && t->kind == WB_TYPE_TYPEDEF) ? sym->name : NULL;
    if (sym->kind == WB_SYM_FUNCTION && !t) {
        wb_sb_add(&b, sym->name);
    } else {
        size_t need = wb_type_spell(spelt, name, NULL, 0);
        char *text = malloc(need + 1);
        if (text) {
            wb_type_spell(spelt, name, text, need + 1);
            wb_sb_add(&b, text);
            free(text);
        }
    }
    if (sym->kind != WB_SYM_TYPE || tag || (t && t->kind == WB_TYPE_TYPEDEF)) wb_sb_add(&b, ";");
    return wb_sb_take(&b);
}

/* info functions|variables|types [-n] [REGEX]: gdb's layout, "File F:"
 * blocks of "LINE:\tDECLARATION", then the functions without DWARF. */
static void info_symbols(cli *c, wb_sym_kind kind, const char *args)
{
    static const char *const what[] = {"functions", "variables", "types"};
    if (!need_session(c)) return;
    args = skip_ws(args);
    bool plain = kind == WB_SYM_FUNCTION;
    if (strncmp(args, "-n", 2) == 0 && (args[2] == 0 || args[2] == ' ')) {
        plain = false; /* gdb's -n: no non-debugging symbols */
        args = skip_ws(args + 2);
    }
    regex_t re;
    if (*args && !compile_regex(c, args, &re)) return;
    const wb_symbol **v;
    size_t n;
    if (symbol_search(c, kind, *args ? &re : NULL, NULL, 0, &v, &n)) {
        if (*args)
            out(c, "All %s matching regular expression \"%s\":\n", what[kind], args);
        else
            out(c, "All defined %s:\n", what[kind]);
        for (size_t i = 0; i < n; i++) {
            if (i == 0 ||
                strcmp(v[i - 1]->file ? v[i - 1]->file : "", v[i]->file ? v[i]->file : "") != 0)
                out(c, "\nFile %s:\n", show_file(c, v[i]->file));
            char *decl = symbol_decl(v[i]);
            if (v[i]->line)
                out(c, "%u:\t%s\n", v[i]->line, decl ? decl : "?");
            else
                out(c, "\t%s\n", decl ? decl : "?");
            free(decl);
        }
        free(v);
        plain_func *pf;
        size_t np = plain ? plain_functions(c, *args ? &re : NULL, &pf) : 0;
        if (np) out(c, "\nNon-debugging symbols:\n");
        for (size_t i = 0; i < np; i++)
            out(c, "0x%08x  %s\n", pf[i].addr, pf[i].name);
        if (plain) free(pf);
    }
    if (*args) regfree(&re);
}

/* gdb's words for where a variable lives (info scope: `scope`; info
 * address), without the final period; "optimized out" and constants
 * worded as gdb words them for each command. fn: the function whose
 * frame base DW_OP_fbreg counts from (NULL for globals). */
static char *describe_var(const wb_var *v, const wb_scope *fn, bool scope)
{
    wb_sbuf b = {0};
    uint32_t a;
    const uint8_t *fb = fn ? fn->frame_base : NULL;
    size_t fblen = fn ? fn->frame_base_len : 0;
    if (v->nlocs == 0 && v->has_const) {
        wb_value val;
        wb_error e;
        int64_t k;
        bool num = false;
        if (scope &&
            wb_value_from_bytes(v->type, v->const_bytes, v->const_len, &val, &e) == WB_OK) {
            num = wb_value_as_i64(&val, &k, &e) == WB_OK;
            wb_value_free(&val);
        }
        if (!scope) {
            wb_sb_add(&b, "constant");
        } else if (num) {
            wb_sb_addf(&b, "a constant with value %" PRId64 " (0x%" PRIx64 ")", k, (uint64_t)k);
        } else {
            wb_sb_add(&b, "constant bytes: ");
            for (size_t i = 0; i < v->const_len; i++)
                wb_sb_addf(&b, " %02x", v->const_bytes[i]);
        }
    } else if (v->nlocs == 0) {
        wb_sb_add(&b, "optimized out");
    } else if (v->nlocs == 1 && v->locs[0].lo == 0 && v->locs[0].hi == UINT32_MAX) {
        if (scope && wb_loc_static_address(v->locs[0].expr, v->locs[0].len, &a))
            wb_sb_addf(&b, "in static storage at address 0x%x", a);
        else
            wb_loc_describe(v->locs[0].expr, v->locs[0].len, fb, fblen, &b);
    } else {
        wb_sb_add(&b, "multi-location:\n");
        for (size_t i = 0; i < v->nlocs; i++) {
            wb_sb_addf(&b, "  Range 0x%x-0x%x: ", v->locs[i].lo, v->locs[i].hi);
            wb_loc_describe(v->locs[i].expr, v->locs[i].len, fb, fblen, &b);
            wb_sb_add(&b, "\n");
        }
    }
    return wb_sb_take(&b);
}

/* info scope LOCATION: the variables visible at LOCATION, from its
 * innermost block out to its function (gdb's info_scope_command). */
static void info_scope(cli *c, const char *args)
{
    if (!need_session(c)) return;
    args = skip_ws(args);
    if (!*args) {
        error_line(c, "requires an argument (function, line or *addr) to define a scope");
        return;
    }
    wb_code_off pc;
    wb_error e;
    if (!resolve_first(c, args, &pc)) return;
    wb_dwarf *d = wb_session_dwarf(c->s);
    wb_scope_chain chain = {0, NULL};
    unsigned count = 0;
    if (d && wb_dwarf_scopes_at(d, pc, &chain, &e) == WB_OK) {
        const wb_scope *fn = chain.count ? chain.scopes[chain.count - 1] : NULL;
        for (size_t i = 0; i < chain.count; i++) {
            const wb_var *const *vars;
            size_t nv;
            if (wb_dwarf_scope_vars(d, chain.scopes[i], &vars, &nv, &e) != WB_OK) {
                error_line(c, "%s", e.msg);
                break;
            }
            for (size_t k = 0; k < nv; k++) {
                if (!vars[k]->name || !*vars[k]->name) continue;
                if (count++ == 0) out(c, "Scope for %s:\n", args);
                char *where = describe_var(vars[k], fn, true);
                if (vars[k]->nlocs == 0 && !vars[k]->has_const)
                    out(c, "Symbol %s is optimized out.\n", vars[k]->name);
                else
                    out(c, "Symbol %s is %s, length %" PRIu64 ".\n", vars[k]->name,
                        where ? where : "?", wb_type_size(vars[k]->type));
                free(where);
            }
            if (chain.scopes[i]->kind != WB_SCOPE_BLOCK) break; /* up to the function */
        }
        wb_scope_chain_free(&chain);
    }
    if (count == 0) out(c, "Scope for %s contains no locals or arguments.\n", args);
}

/* The function a name names: DWARF's (*fn set) or the name section's;
 * false when neither knows it. *addr: its first address. */
static bool function_named(cli *c, const char *name, const wb_scope **fn, wb_code_off *addr)
{
    wb_dwarf *d = wb_session_dwarf(c->s);
    const wb_func *f = wb_wasm_func_named(wb_session_wasm(c->s), name);
    wb_code_off entry;
    wb_error e;
    *fn = NULL;
    if (d && wb_dwarf_function_named(d, name, fn, &entry, &e) == WB_OK) {
        *addr = (*fn)->low_pc;
        return true;
    }
    if (f) *addr = f->start;
    return f != NULL;
}

/* info address SYMBOL: where a variable or function is (gdb's
 * info_address_command). */
static void info_address(cli *c, const char *args)
{
    if (!need_session(c)) return;
    char *name = strdup(skip_ws(args));
    if (!name) return;
    rtrim(name);
    const wb_var *v;
    const wb_scope *fn;
    wb_code_off addr;
    wb_error e;
    if (!*name) {
        error_line(c, "Argument required.");
    } else if (wb_session_lookup_var(c->s, c->frame, name, &v, &fn, &e) == WB_OK) {
        char *where = describe_var(v, fn, false);
        out(c, "Symbol \"%s\" is %s.\n", name, where ? where : "?");
        free(where);
    } else if (function_named(c, name, &fn, &addr)) {
        if (fn)
            out(c, "Symbol \"%s\" is a function at address 0x%x.\n", name, addr);
        else
            out(c, "Symbol \"%s\" is at 0x%x in a file compiled without debugging.\n", name, addr);
    } else {
        error_line(c, "No symbol \"%s\" in current context.", name);
    }
    free(name);
}

/* The name of the function at code offset `pc` as frames show it (DWARF's,
 * else the name section's), and its first address; NULL outside every
 * function body. */
static const char *function_at(cli *c, wb_code_off pc, wb_code_off *start)
{
    const wb_func *f;
    const wb_scope *fn;
    wb_error e;
    if (wb_wasm_func_at(wb_session_wasm(c->s), pc, &f) != WB_OK || pc < f->start) return NULL;
    *start = f->start;
    wb_dwarf *d = wb_session_dwarf(c->s);
    if (d && wb_dwarf_function_at(d, pc, &fn, &e) == WB_OK && (fn->qualified_name || fn->name)) {
        *start = fn->low_pc;
        return fn->qualified_name ? fn->qualified_name : fn->name;
    }
    return f->name;
}

/* The data segment holding linear-memory address `addr`, by its name
 * (".rodata", ".data"); past the last segment ".bss", where wasm-ld puts
 * zero-initialized data without writing it into the module. */
static const char *data_section(cli *c, uint64_t addr)
{
    const wb_wasm *w = wb_session_wasm(c->s);
    uint64_t end = 0;
    for (size_t i = 0; i < wb_wasm_data_segment_count(w); i++) {
        const wb_data_segment *g = wb_wasm_data_segment(w, i);
        if (addr >= g->addr && addr < (uint64_t)g->addr + g->size)
            return g->name ? g->name : "data";
        if ((uint64_t)g->addr + g->size > end) end = (uint64_t)g->addr + g->size;
    }
    return addr >= end ? ".bss" : "data";
}

/* info symbol ADDR: the symbol at ADDR and the offset into it (gdb's
 * info_symbol_command). Code offsets and linear-memory addresses are two
 * address spaces in Wasm: a number is looked up in both (gdb too prints a
 * line for each section that matches), a function or a function pointer
 * in the code, a data pointer in linear memory. */
static void info_symbol(cli *c, const char *args)
{
    if (!need_session(c)) return;
    char *arg = strdup(skip_ws(args));
    if (!arg) return;
    rtrim(arg);
    uint64_t addr = 0;
    bool code = true, data = true, ok = true;
    char *end;
    const wb_scope *fn;
    wb_code_off fa;
    errno = 0;
    unsigned long long num = strtoull(arg, &end, 0);
    if (!*arg) {
        error_line(c, "Argument required (address).");
        ok = false;
    } else if (end != arg && !*end && !errno) {
        addr = num;
    } else if (function_named(c, arg, &fn, &fa)) {
        addr = fa;
        data = false;
    } else {
        wb_value v;
        wb_error e;
        int64_t k;
        ok = wb_session_eval(c->s, c->frame, arg, &v, &e) == WB_OK;
        if (!ok) {
            error_line(c, "%s", e.msg);
        } else {
            const wb_type *t = wb_type_strip(v.type);
            const wb_type *to = t && t->kind == WB_TYPE_POINTER ? wb_type_strip(t->target) : NULL;
            const wb_wasm *w = wb_session_wasm(c->s);
            uint32_t func, nimp = wb_wasm_import_func_count(w);
            if (t && t->kind == WB_TYPE_ARRAY && v.kind == WB_VAL_MEMORY) {
                k = (int64_t)v.addr; /* an array is its address, as in C */
                t = NULL;
                code = false;
            } else if (!(ok = wb_value_as_i64(&v, &k, &e) == WB_OK)) {
                error_line(c, "%s", e.msg);
            }
            addr = (uint64_t)k & UINT32_MAX;
            if (ok && to && to->kind == WB_TYPE_FUNCTION) {
                /* a function pointer is an index into the table */
                data = false;
                if (wb_wasm_table_func(w, (uint32_t)addr, &func) == WB_OK && func >= nimp)
                    addr = wb_wasm_func(w, func - nimp)->start;
                else
                    code = false;
            } else if (t && t->kind == WB_TYPE_POINTER) {
                code = false;
            }
            wb_value_free(&v);
        }
    }
    bool found = false;
    wb_code_off start;
    const char *name =
        ok && code && addr <= UINT32_MAX ? function_at(c, (wb_code_off)addr, &start) : NULL;
    if (name) {
        if (addr > start)
            out(c, "%s + %u in section code\n", name, (unsigned)(addr - start));
        else
            out(c, "%s in section code\n", name);
        found = true;
    }
    const wb_symbol *vars;
    size_t nv;
    wb_error e;
    wb_dwarf *d = wb_session_dwarf(c->s);
    if (ok && data && d && wb_dwarf_symbols(d, WB_SYM_VARIABLE, &vars, &nv, &e) == WB_OK) {
        for (size_t i = 0; i < nv; i++) {
            const wb_var *v = vars[i].var;
            uint32_t a;
            uint64_t size = wb_type_size(v->type);
            if (v->nlocs != 1 || !wb_loc_static_address(v->locs[0].expr, v->locs[0].len, &a) ||
                addr < a || addr >= a + (size ? size : 1))
                continue;
            if (addr > a)
                out(c, "%s + %u in section %s\n", vars[i].name, (unsigned)(addr - a),
                    data_section(c, addr));
            else
                out(c, "%s in section %s\n", vars[i].name, data_section(c, addr));
            found = true;
            break;
        }
    }
    if (ok && !found) out(c, "No symbol matches %s.\n", arg);
    free(arg);
}

/* info sharedlibrary: gdb's table of loaded modules. A Wasm program is
 * one module, listed with its code (code offsets, the Code section's
 * contents) while it runs or a core shows it. */
static void info_sharedlibrary(cli *c)
{
    if (!c->s || wb_session_state(c->s) != WB_PROC_STOPPED) {
        out(c, "No shared libraries loaded at this time.\n");
        return;
    }
    /* gdb: "0x", two spaces and two hex digits per byte of an address */
    bool debug = wb_session_dwarf(c->s) != NULL;
    out(c, "From        To          Syms Read   Shared Object Library\n");
    out(c, "0x%08x  0x%08x  %-11s %s\n", 0u, wb_wasm_code_size(wb_session_wasm(c->s)),
        debug ? "Yes" : "Yes (*)", wb_session_module_path(c->s));
    if (!debug) out(c, "(*): Shared library is missing debugging information.\n");
}

/* rbreak [FILE:]REGEX: a breakpoint on every function whose name matches,
 * each announced then declared as gdb's rbreak_command does; functions
 * without DWARF ("<function, no debug info> NAME;") unless FILE is given. */
static void cmd_rbreak(cli *c, const char *args, char fmt)
{
    (void)fmt;
    if (!need_session(c)) return;
    args = skip_ws(args);
    char *file = NULL;
    const char **files = NULL;
    size_t nfiles = 0;
    const char *colon = wb_location_file_colon(args);
    if (colon) {
        wb_error e;
        file = strndup(args, (size_t)(colon - args));
        if (!file) return;
        rtrim(file);
        args = skip_ws(colon + 1);
        /* a file no line table names: nothing matches (gdb says nothing) */
        if (!wb_session_dwarf(c->s) || wb_dwarf_source_files_named(wb_session_dwarf(c->s), file,
                                                                   &files, &nfiles, &e) != WB_OK) {
            free(file);
            return;
        }
    }
    regex_t re;
    const wb_symbol **v;
    size_t n;
    if (!compile_regex(c, args, &re)) {
        free(file);
        free(files);
        return;
    }
    if (symbol_search(c, WB_SYM_FUNCTION, &re, files, nfiles, &v, &n)) {
        for (size_t i = 0; i < n; i++) {
            /* FILE:FUNCTION with the full path: this function, no other */
            wb_sbuf spec = {0};
            wb_sb_addf(&spec, "%s:%s", v[i]->file ? v[i]->file : "", v[i]->name);
            char *text = wb_sb_take(&spec);
            char *decl = symbol_decl(v[i]);
            if (text && decl) {
                set_break(c, v[i]->file ? text : v[i]->name, false);
                out(c, "%s\n", decl);
            }
            free(text);
            free(decl);
        }
        free(v);
        plain_func *pf;
        size_t np = file ? 0 : plain_functions(c, &re, &pf);
        for (size_t i = 0; i < np; i++) {
            set_break(c, pf[i].name, false);
            out(c, "<function, no debug info> %s;\n", pf[i].name);
        }
        if (!file) free(pf);
    }
    regfree(&re);
    free(file);
    free(files);
}

/* One line of `info registers`: gdb's columns (name in 15, raw hex in
 * 20, then the natural value), or "<not saved>". */
static void print_register(cli *c, const char *name)
{
    wb_value v;
    wb_error e;
    wb_status st = wb_session_register(c->s, c->frame, name, &v, &e);
    if (st == WB_NOT_FOUND) {
        error_line(c, "Invalid register `%s'", name);
        return;
    }
    if (st != WB_OK) {
        out(c, "%-15s<not saved>\n", name);
        return;
    }
    char hex[32];
    int64_t raw = 0;
    wb_value_as_i64(&v, &raw, &e);
    snprintf(hex, sizeof hex, "0x%" PRIx64, (uint64_t)raw);
    char *natural = wb_value_format_plain(&v, wb_session_env(c->s, c->frame), 0);
    out(c, "%-15s%-20s%s\n", name, hex, natural ? natural : "?");
    free(natural);
    wb_value_free(&v);
}

/* info registers [NAME...]: the Wasm pc and, when the module has it, the C
 * stack pointer __stack_pointer (NAME may also be fp, the frame base; a
 * leading $ is allowed, as in gdb). */
static void info_registers(cli *c, const char *args)
{
    if (!c->s || wb_session_state(c->s) != WB_PROC_STOPPED) {
        error_line(c, "The program has no registers now.");
        return;
    }
    args = skip_ws(args);
    if (!*args) {
        uint32_t sp;
        print_register(c, "pc");
        if (wb_wasm_global_named(wb_session_wasm(c->s), "__stack_pointer", &sp) == WB_OK)
            print_register(c, "sp");
        return;
    }
    while (*args) {
        size_t len = strcspn(args, " \t");
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)len, *args == '$' ? args + 1 : args);
        if (*args == '$') name[len ? len - 1 : 0] = 0;
        c->last_failed = false;
        print_register(c, name);
        if (c->last_failed) return;
        args = skip_ws(args + len);
    }
}

/* info threads: gdb's table, for the one thread a Wasm program has; its
 * Target Id column as wide as its widest entry. */
static void info_threads(cli *c)
{
    if (!c->s || wb_session_state(c->s) != WB_PROC_STOPPED || !wb_session_frame_count(c->s)) {
        out(c, "No threads.\n");
        return;
    }
    const char *id = "Thread 1";
    int w = (int)strlen(id) > 9 ? (int)strlen(id) : 9;
    out(c, "  Id   %-*s Frame \n", w, "Target Id");
    out(c, "* 1    %-*s ", w, id);
    print_frame_line(c, 0, false);
}

static void cmd_info(cli *c, const char *args, char fmt)
{
    (void)fmt;
    args = skip_ws(args);
    size_t len = strcspn(args, " \t");
    const char *rest = skip_ws(args + len);
    struct {
        const char *name;
        size_t min;
    } subs[] = {{"breakpoints", 1},   {"watchpoints", 3}, {"locals", 2},    {"args", 2},
                {"frame", 1},         {"source", 2},      {"line", 2},      {"display", 1},
                {"sources", 7},       {"program", 3},     {"functions", 2}, {"variables", 2},
                {"types", 2},         {"scope", 2},       {"symbol", 2},    {"address", 2},
                {"sharedlibrary", 2}, {"registers", 1},   {"threads", 2}};
    if (len == 0) {
        error_line(c, "List of info subcommands:\n\ninfo address, info args, info breakpoints, "
                      "info display, info frame, info functions, info line, info locals, "
                      "info program, info registers, info scope, info sharedlibrary, info source, "
                      "info sources, info symbol, info threads, info types, info variables, "
                      "info watchpoints");
        return;
    }
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
        if (len < subs[i].min || len > strlen(subs[i].name) ||
            strncmp(args, subs[i].name, len) != 0)
            continue;
        switch (i) {
        case 0: info_breakpoints(c, false); return;
        case 1: info_breakpoints(c, true); return;
        case 2: print_vars(c, false); return;
        case 3: print_vars(c, true); return;
        case 4: info_frame(c); return;
        case 5: info_source(c); return;
        case 6: info_line(c, rest); return;
        case 7: info_display(c); return;
        case 8: info_sources(c); return;
        case 9: info_program(c); return;
        case 10: info_symbols(c, WB_SYM_FUNCTION, rest); return;
        case 11: info_symbols(c, WB_SYM_VARIABLE, rest); return;
        case 12: info_symbols(c, WB_SYM_TYPE, rest); return;
        case 13: info_scope(c, rest); return;
        case 14: info_symbol(c, rest); return;
        case 15: info_address(c, rest); return;
        case 16: info_sharedlibrary(c); return;
        case 17: info_registers(c, rest); return;
        case 18: info_threads(c); return;
        }
    }
    error_line(c, "Undefined info command: \"%.*s\".  Try \"help info\".", (int)len, args);
}

/* print[/FMT] EXPR: "$N = VALUE" */
static void cmd_print(cli *c, const char *args, char fmt)
{
    if (!need_session(c)) return;
    args = skip_ws(args);
    wb_value v;
    wb_error e;
    if (!*args) args = "$";
    if (wb_session_eval(c->s, c->frame, args, &v, &e) != WB_OK) {
        error_line(c, "%s", e.msg);
        return;
    }
    unsigned n = wb_session_record(c->s, &v);
    char *t = format_value(c, &v, c->frame, fmt);
    out(c, "$%u = %s\n", n, t ? t : "?");
    free(t);
    wb_value_free(&v);
}

static void cmd_output(cli *c, const char *args, char fmt)
{
    if (!need_session(c)) return;
    wb_value v;
    wb_error e;
    if (wb_session_eval(c->s, c->frame, skip_ws(args), &v, &e) != WB_OK) {
        error_line(c, "%s", e.msg);
        return;
    }
    char *t = format_value(c, &v, c->frame, fmt);
    out(c, "%s", t ? t : "?");
    free(t);
    wb_value_free(&v);
}

static void cmd_call(cli *c, const char *args, char fmt)
{
    (void)args;
    (void)fmt;
    error_line(c, "Calling functions in the program is not supported by the Wasm stub.");
}

/* The members of a struct or union for ptype, `indent` spaces in; an
 * anonymous struct or union member is expanded in place, as gdb does. */
static void print_members(cli *c, const wb_type *s, int indent, int depth)
{
    char buf[512];
    for (size_t i = 0; i < s->nmembers; i++) {
        const wb_member *m = &s->members[i];
        if (m->is_base) continue;
        const wb_type *mt = m->type;
        if (depth < 8 && mt && (mt->kind == WB_TYPE_STRUCT || mt->kind == WB_TYPE_UNION) &&
            !mt->name && !mt->qualified_name) {
            out(c, "%*s%s {\n", indent, "", mt->kind == WB_TYPE_UNION ? "union" : "struct");
            print_members(c, mt, indent + 4, depth + 1);
            out(c, "%*s}%s%s;\n", indent, "", m->name ? " " : "", m->name ? m->name : "");
            continue;
        }
        wb_type_spell(mt, m->name ? m->name : "", buf, sizeof buf);
        if (m->bit_size)
            out(c, "%*s%s : %u;\n", indent, "", buf, m->bit_size);
        else
            out(c, "%*s%s;\n", indent, "", buf);
    }
}

static void type_command(cli *c, const char *args, bool expand)
{
    if (!need_session(c)) return;
    args = skip_ws(args);
    const wb_type *t = NULL;
    wb_error e;
    wb_value v;
    bool have_v = false;
    if (wb_session_eval_type(c->s, c->frame, args, &t, &e) != WB_OK) {
        if (wb_session_eval(c->s, c->frame, args, &v, &e) != WB_OK) {
            error_line(c, "%s", e.msg);
            return;
        }
        t = v.type;
        have_v = true;
    }
    char buf[512];
    char *rust =
        expand && wb_type_strip(t) && wb_type_strip(t)->rust ? wb_type_rust_ptype(t) : NULL;
    if (rust) { /* Rust: gdb's Rust syntax, no looking through pointers */
        out(c, "type = %s\n", rust);
        free(rust);
        if (have_v) wb_value_free(&v);
        return;
    }
    /* ptype looks through pointers, arrays and qualifiers to the struct,
     * union or enum inside and prints its body with the declarator after
     * it, as gdb does ("const struct item {...} *"); a const before a
     * pointer qualifies the pointer ("struct item {...} * const") */
    if (expand) {
        const wb_type *in = t;
        char suffix[64] = "";
        bool is_const = false;
        for (int guard = 0; in && guard < 32; guard++) {
            if (in->kind == WB_TYPE_TYPEDEF)
                in = in->target;
            else if (in->kind == WB_TYPE_CONST)
                is_const = true, in = in->target;
            else if (in->kind == WB_TYPE_VOLATILE)
                in = in->target;
            else if (in->kind == WB_TYPE_POINTER && strlen(suffix) < 30) {
                const char *ptr = !is_const ? "*" : suffix[0] ? "* const " : "* const";
                memmove(suffix + strlen(ptr), suffix, strlen(suffix) + 1);
                memcpy(suffix, ptr, strlen(ptr));
                is_const = false;
                in = in->target;
            } else
                break;
        }
        if (in != wb_type_strip(t) && in &&
            (in->kind == WB_TYPE_STRUCT || in->kind == WB_TYPE_UNION)) {
            const char *name = in->qualified_name ? in->qualified_name : in->name;
            out(c, "type = %s%s%s%s {\n", is_const ? "const " : "",
                in->kind == WB_TYPE_UNION ? "union"
                : in->is_class            ? "class"
                                          : "struct",
                name ? " " : "", name ? name : "");
            print_members(c, in, 4, 0);
            out(c, "} %s\n", suffix);
            if (have_v) wb_value_free(&v);
            return;
        }
    }
    /* whatis TYPENAME unrolls one level of typedef, as gdb does */
    if (!expand && !have_v && t && t->kind == WB_TYPE_TYPEDEF && t->target) t = t->target;
    const wb_type *s = expand ? wb_type_strip(t) : t;
    if (expand && s && (s->kind == WB_TYPE_STRUCT || s->kind == WB_TYPE_UNION)) {
        const char *name = s->qualified_name ? s->qualified_name : s->name;
        out(c, "type = %s%s%s {\n",
            s->kind == WB_TYPE_UNION ? "union"
            : s->is_class            ? "class"
                                     : "struct",
            name ? " " : "", name ? name : "");
        print_members(c, s, 4, 0);
        out(c, "}\n");
    } else if (expand && s && s->kind == WB_TYPE_ENUM) {
        out(c, "type = enum %s%s{", s->name ? s->name : "", s->name ? " " : "");
        int64_t next = 0;
        for (size_t i = 0; i < s->nenumerators; i++) {
            const wb_enumerator *en = &s->enumerators[i];
            out(c, "%s%s", i ? ", " : "", en->name);
            if (en->value != next) out(c, " = %" PRId64, en->value);
            next = en->value + 1;
        }
        out(c, "}\n");
    } else {
        wb_type_spell(expand ? s : t, NULL, buf, sizeof buf);
        out(c, "type = %s\n", buf);
    }
    if (have_v) wb_value_free(&v);
}

static void cmd_ptype(cli *c, const char *a, char f)
{
    (void)f;
    type_command(c, a, true);
}
static void cmd_whatis(cli *c, const char *a, char f)
{
    (void)f;
    type_command(c, a, false);
}

/* A baud rate for `set serial baud N` and -b N: 0 when it is not one. */
static unsigned parse_baud(const char *text)
{
    char *end;
    unsigned long v = strtoul(text, &end, 10);
    return *text && !*skip_ws(end) && v > 0 && v <= 4000000 ? (unsigned)v : 0;
}

/* A setting's on/off value as gdb reads it: on 1 yes enable, off 0 no
 * disable, or a prefix of only one of them; nothing is on. -1: neither. */
static int parse_on_off(const char *v)
{
    static const char *const words[] = {"on", "1", "yes", "enable", "off", "0", "no", "disable"};
    size_t n = strlen(v);
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    if (!n) return 1;
    int found = -1;
    for (int i = 0; i < 8; i++)
        if (strlen(words[i]) >= n && strncmp(words[i], v, n) == 0) {
            if (found >= 0 && found != (i < 4)) return -1; /* "o": on or off */
            found = i < 4;
        }
    return found;
}

static void cmd_set(cli *c, const char *args, char fmt)
{
    (void)fmt;
    args = skip_ws(args);
    size_t len = strcspn(args, " \t");
    const char *rest = skip_ws(args + len);
    if ((len == 3 && strncmp(args, "var", 3) == 0) ||
        (len == 8 && strncmp(args, "variable", 8) == 0)) {
        if (!need_session(c)) return;
        wb_value v;
        wb_error e;
        if (wb_session_eval(c->s, c->frame, rest, &v, &e) != WB_OK)
            error_line(c, "%s", e.msg);
        else
            wb_value_free(&v);
        return;
    }
    if (len == 4 && strncmp(args, "args", 4) == 0) {
        free_args(c->args, c->nargs);
        c->args = split_words(rest, &c->nargs);
        return;
    }
    if (len == 8 && strncmp(args, "listsize", 8) == 0) {
        long n = strtol(rest, NULL, 10);
        c->listsize = n > 0 && n < 100000 ? (uint32_t)n : 10;
        return;
    }
    if (len == 16 && strncmp(args, "filename-display", 16) == 0) {
        if (strcmp(rest, "basename") == 0)
            c->fname = FNAME_BASENAME;
        else if (strcmp(rest, "absolute") == 0 || strcmp(rest, "relative") == 0)
            c->fname = FNAME_ABSOLUTE;
        else
            error_line(c, "Undefined item: \"%s\".", rest);
        return;
    }
    if ((len == 7 && strncmp(args, "confirm", 7) == 0) ||
        (len == 10 && strncmp(args, "pagination", 10) == 0) ||
        (len == 5 && strncmp(args, "width", 5) == 0) ||
        (len == 6 && strncmp(args, "height", 6) == 0))
        return; /* no pager and no questions: accepted for gdb scripts */
    if ((len == 6 && strncmp(args, "serial", 6) == 0) ||
        (len == 10 && strncmp(args, "remotebaud", 10) == 0)) {
        const char *v = rest;
        if (len == 6) {
            size_t wl = strcspn(rest, " \t");
            if (wl != 4 || strncmp(rest, "baud", 4) != 0) {
                error_line(c, "Undefined set serial command: \"%.*s\".  Try \"help set serial\".",
                           (int)wl, rest);
                return;
            }
            v = skip_ws(rest + wl);
        }
        unsigned b = parse_baud(v);
        if (!b) {
            error_line(c, "Invalid baud rate \"%s\".", v);
            return;
        }
        c->baud = b;
        return;
    }
    if ((len == 5 && strncmp(args, "print", 5) == 0) || (len == 1 && args[0] == 'p')) {
        size_t wl = strcspn(rest, " \t");
        if (wl != 6 || strncmp(rest, "pretty", 6) != 0) {
            error_line(c, "Undefined set print command: \"%s\".  Try \"help set print\".", rest);
            return;
        }
        int on = parse_on_off(skip_ws(rest + wl));
        if (on < 0)
            error_line(c, "\"on\" or \"off\" expected.");
        else
            c->pretty = on;
        return;
    }
    if (len == 7 && strncmp(args, "runtime", 7) == 0) {
        free(c->runtime);
        c->runtime = *rest ? strdup(rest) : NULL;
        return;
    }
    /* `set X = 3` is `set var X = 3` when X is not a setting */
    if (strchr(args, '=') && c->s) {
        wb_value v;
        wb_error e;
        if (wb_session_eval(c->s, c->frame, args, &v, &e) != WB_OK)
            error_line(c, "%s", e.msg);
        else
            wb_value_free(&v);
        return;
    }
    error_line(c, "Undefined set command: \"%.*s\".  Try \"help set\".", (int)len, args);
}

static void cmd_show(cli *c, const char *args, char fmt)
{
    (void)fmt;
    args = skip_ws(args);
    if (strcmp(args, "args") == 0) {
        out(c, "Argument list to give program being debugged when it is started is \"");
        for (size_t i = 0; i < c->nargs; i++)
            out(c, "%s%s", i ? " " : "", c->args[i]);
        out(c, "\".\n");
    } else if (strcmp(args, "version") == 0) {
        out(c, "wdb %s: a debugger for WebAssembly\n", WDB_VERSION);
    } else if (strcmp(args, "serial baud") == 0 || strcmp(args, "remotebaud") == 0) {
        if (c->baud)
            out(c, "Baud rate for remote serial I/O is %u.\n", c->baud);
        else
            out(c, "Baud rate for remote serial I/O is as the line is set.\n");
    } else if (strcmp(args, "listsize") == 0) {
        out(c, "Number of source lines gdb will list by default is %u.\n", c->listsize);
    } else if (strcmp(args, "print pretty") == 0 || strcmp(args, "p pretty") == 0) {
        out(c, "Pretty formatting of structures is %s.\n", c->pretty ? "on" : "off");
    } else {
        error_line(c, "Undefined show command: \"%s\".  Try \"help show\".", args);
    }
}

static void cmd_display(cli *c, const char *args, char fmt)
{
    args = skip_ws(args);
    if (!*args) {
        if (c->s && wb_session_state(c->s) == WB_PROC_STOPPED) do_displays(c);
        return;
    }
    if (!wb_grow((void **)&c->displays, &c->capdisplays, c->ndisplays + 1, sizeof *c->displays))
        return;
    display *d = &c->displays[c->ndisplays++];
    d->number = ++c->next_display;
    d->expr = strdup(args);
    d->fmt = fmt;
    d->enabled = true;
    if (c->s && wb_session_state(c->s) == WB_PROC_STOPPED) {
        wb_value v;
        wb_error e;
        if (wb_session_eval(c->s, c->frame, args, &v, &e) != WB_OK) {
            error_line(c, "%s", e.msg);
            return;
        }
        if (!c->from_tty) { /* gdb shows it now only to a person */
            wb_value_free(&v);
            return;
        }
        char *t = format_value(c, &v, c->frame, fmt);
        if (fmt)
            out(c, "%d: /%c %s = %s\n", d->number, fmt, args, t ? t : "?");
        else
            out(c, "%d: %s = %s\n", d->number, args, t ? t : "?");
        free(t);
        wb_value_free(&v);
    }
}

static void cmd_undisplay(cli *c, const char *args, char fmt)
{
    (void)fmt;
    args = skip_ws(args);
    if (!*args) {
        for (size_t i = 0; i < c->ndisplays; i++)
            free(c->displays[i].expr);
        c->ndisplays = 0;
        return;
    }
    while (*args) {
        char *end;
        long n = strtol(args, &end, 10);
        if (end == args) {
            error_line(c, "Arguments must be display numbers.");
            return;
        }
        bool found = false;
        for (size_t i = 0; i < c->ndisplays; i++)
            if (c->displays[i].number == n) {
                free(c->displays[i].expr);
                memmove(&c->displays[i], &c->displays[i + 1],
                        (c->ndisplays - i - 1) * sizeof *c->displays);
                c->ndisplays--;
                found = true;
                break;
            }
        if (!found) out(c, "No display number %ld.\n", n);
        args = skip_ws(end);
    }
}

/* x/NFU ADDR */
/* x/Ni ADDR: N instructions from code offset ADDR on (into the next
 * functions if need be), laid out as gdb's x/i: "=> " at the selected
 * frame's pc, the address and <function+offset>, the instruction. At a
 * function's start (its local declarations) the listing starts with its
 * first instruction. */
static void examine_code(cli *c, uint64_t addr, unsigned count)
{
    const wb_wasm *w = wb_session_wasm(c->s);
    const wb_frame *f =
        wb_session_state(c->s) == WB_PROC_STOPPED ? wb_session_frame(c->s, c->frame) : NULL;
    const wb_func *fn = NULL;
    if (addr > UINT32_MAX || wb_wasm_func_at(w, (wb_code_off)addr, &fn) != WB_OK) {
        error_line(c, "Cannot access memory at address 0x%" PRIx64, addr);
        return;
    }
    uint32_t nimp = wb_wasm_import_func_count(w);
    for (unsigned done = 0; fn && done < count;
         fn = wb_wasm_func(w, fn->index - nimp + 1), addr = fn ? fn->start : 0) {
        wb_insn *ins = NULL;
        size_t n = 0, k = 0;
        wb_error e;
        wb_status st = wb_disasm_func(w, wb_wasm_code(w), wb_wasm_code_size(w), fn, &ins, &n, &e);
        while (k < n && ins[k].off < addr)
            k++;
        if (addr > fn->start && k < n && ins[k].off != addr) {
            error_line(c, "0x%" PRIx64 " is inside the instruction at 0x%x.", addr, ins[k - 1].off);
            free(ins);
            return;
        }
        for (; k < n && done < count; k++, done++) {
            char sym[256];
            out(c, "%s0x%x", f && f->pc == ins[k].off ? "=> " : "   ", ins[k].off);
            if (wb_session_code_symbol(c->s, ins[k].off, sym, sizeof sym)) out(c, " <%s>", sym);
            out(c, ":\t%s\n", ins[k].text);
        }
        free(ins);
        if (st != WB_OK && done < count) {
            error_line(c, "%s", e.msg);
            return;
        }
    }
}

static void cmd_x(cli *c, const char *args, char fmt_unused)
{
    (void)fmt_unused;
    if (!need_session(c)) return;
    /* the command word left "/NFU ..." in args when a format was given */
    unsigned count = 1;
    char fmt = 'x', unit = 'w';
    const char *p = args;
    if (*p == '/') {
        p++;
        if (isdigit((unsigned char)*p)) {
            char *end;
            count = (unsigned)strtoul(p, &end, 10);
            p = end;
        }
        for (; *p && *p != ' '; p++) {
            if (strchr("bhwg", *p))
                unit = *p;
            else if (strchr("xduotacfsiz", *p))
                fmt = *p;
            else {
                error_line(c, "Invalid format letter '%c'.", *p);
                return;
            }
        }
        if (fmt == 'c' && !strchr(args, 'b') && !strchr(args, 'h') && !strchr(args, 'g'))
            unit = 'b';
        if (fmt == 'a') unit = 'w';
    }
    /* instructions come from the module: no program needed */
    if (fmt != 'i' && !need_stopped(c)) return;
    p = skip_ws(p);
    if (!*p) {
        error_line(c, "Argument required (starting display address).");
        return;
    }
    wb_value v;
    wb_error e;
    if (wb_session_eval(c->s, c->frame, p, &v, &e) != WB_OK) {
        error_line(c, "%s", e.msg);
        return;
    }
    int64_t addr_i = 0;
    const wb_type *vt = wb_type_strip(v.type);
    if (vt && vt->kind == WB_TYPE_ARRAY && v.kind == WB_VAL_MEMORY)
        addr_i = (int64_t)v.addr;
    else if (wb_value_as_i64(&v, &addr_i, &e) != WB_OK) {
        wb_value_free(&v);
        error_line(c, "%s", e.msg);
        return;
    }
    wb_value_free(&v);
    uint64_t addr = (uint64_t)addr_i & 0xffffffffu;
    if (count > 4096) count = 4096;
    if (fmt == 'i') {
        examine_code(c, addr, count);
        return;
    }
    if (fmt == 's') {
        for (unsigned i = 0; i < count; i++) {
            char buf[201];
            size_t k = 0;
            for (; k < 200; k++) {
                if (wb_session_read_memory(c->s, addr + k, &buf[k], 1, &e) != WB_OK) {
                    error_line(c, "%s", e.msg);
                    return;
                }
                if (!buf[k]) break;
            }
            buf[k] = 0;
            out(c, "0x%" PRIx64 ":\t\"", addr);
            for (size_t j = 0; j < k; j++) {
                unsigned char ch = (unsigned char)buf[j];
                if (ch == '"' || ch == '\\')
                    out(c, "\\%c", ch);
                else if (isprint(ch))
                    out_char(c, ch);
                else
                    out(c, "\\%03o", ch);
            }
            out(c, "\"\n");
            addr += k + 1;
        }
        return;
    }
    unsigned size = unit == 'b' ? 1 : unit == 'h' ? 2 : unit == 'w' ? 4 : 8;
    unsigned per_line = fmt == 'c' ? 8 : size == 8 ? 2 : size == 4 ? 4 : 8;
    if (fmt == 'f' && size < 4) size = 4;
    /* one read for the whole block (a unit at a time would be a round
     * trip each); on failure fall back to units to find the first bad one */
    uint8_t *block = malloc((size_t)count * size);
    bool block_ok =
        block && wb_session_read_memory(c->s, addr, block, (size_t)count * size, NULL) == WB_OK;
    for (unsigned i = 0; i < count; i++) {
        uint8_t b[8] = {0};
        if (block_ok) {
            memcpy(b, block + (size_t)i * size, size);
        } else if (wb_session_read_memory(c->s, addr + (uint64_t)i * size, b, size, &e) != WB_OK) {
            if (i % per_line) out(c, "\n");
            error_line(c, "%s", e.msg);
            free(block);
            return;
        }
        if (i % per_line == 0) out(c, "%s0x%" PRIx64 ":", i ? "\n" : "", addr + (uint64_t)i * size);
        uint64_t u = 0;
        for (unsigned k = size; k-- > 0;)
            u = u << 8 | b[k];
        int64_t sv = size == 8 ? (int64_t)u : (int64_t)(u << (64 - 8 * size)) >> (64 - 8 * size);
        switch (fmt) {
        case 'x': out(c, "\t0x%0*" PRIx64, (int)size * 2, u); break;
        case 'z': out(c, "\t0x%0*" PRIx64, (int)size * 2, u); break;
        case 'd': out(c, "\t%" PRId64, sv); break;
        case 'u': out(c, "\t%" PRIu64, u); break;
        case 'o': out(c, "\t0%" PRIo64, u); break;
        case 'a': out(c, "\t0x%" PRIx64, u); break;
        case 't': {
            out(c, "\t");
            for (int k = (int)size * 8 - 1; k >= 0; k--)
                out_char(c, (u >> k) & 1 ? '1' : '0');
            break;
        }
        case 'c': {
            int ch = (int)(int8_t)b[0];
            if (isprint(ch))
                out(c, "\t%d '%c'", ch, ch);
            else
                out(c, "\t%d '\\%03o'", ch, (unsigned)(uint8_t)b[0]);
            break;
        }
        case 'f': {
            if (size == 4) {
                float fv;
                memcpy(&fv, b, 4);
                out(c, "\t%.9g", (double)fv);
            } else {
                double dv;
                memcpy(&dv, b, 8);
                out(c, "\t%.17g", dv);
            }
            break;
        }
        default: out(c, "\t0x%0*" PRIx64, (int)size * 2, u);
        }
    }
    free(block);
    out(c, "\n");
}

/* list: around the stop, then onwards; list N; list FUNC; list FILE:N
 * (any line of the file, as gdb: a comment or a blank line too);
 * list FILE:FUNC; list A,B */
static void cmd_list(cli *c, const char *args, char fmt)
{
    (void)fmt;
    args = skip_ws(args);
    uint32_t size = c->listsize;
    uint32_t first, last;
    const char *file = c->list_file;
    if (!*args) {
        if (!file) {
            if (c->s && wb_session_dwarf(c->s)) {
                (void)default_file(c); /* the file with main */
                file = c->list_file;
            }
            if (!file) {
                error_line(c, "No symbol table is loaded.  Use the \"file\" command.");
                return;
            }
        }
        if (c->list_line) {
            first = c->list_line;
        } else {
            first = c->list_first > size / 2 ? c->list_first - size / 2 : 1;
        }
        last = first + size - 1;
    } else {
        const char *comma = strchr(args, ',');
        char *spec = strndup(args, comma ? (size_t)(comma - args) : strlen(args));
        if (!spec) return;
        rtrim(spec);
        uint32_t center = 0;
        if (*spec) {
            if (!need_session(c)) {
                free(spec);
                return;
            }
            wb_bp_loc *locs;
            size_t nl;
            wb_error e;
            bool digits = strspn(spec, "0123456789") == strlen(spec);
            const char *fc = wb_location_file_colon(spec);
            wb_dwarf *d = wb_session_dwarf(c->s);
            if (digits) {
                center = (uint32_t)strtoul(spec, NULL, 10);
                if (!file) {
                    error_line(c, "No default source file.");
                    free(spec);
                    return;
                }
            } else if (fc && strspn(fc + 1, "0123456789") == strlen(fc + 1)) {
                /* FILE:LINE: any line of the file, code or not, as gdb */
                const char **paths = NULL;
                size_t np;
                spec[fc - spec] = 0;
                if (!d || wb_dwarf_source_files_named(d, spec, &paths, &np, &e) != WB_OK) {
                    error_line(c, "No source file named %s.", spec);
                    free(spec);
                    return;
                }
                file = paths[0];
                center = (uint32_t)strtoul(fc + 1, NULL, 10);
                free(paths);
            } else if (wb_session_resolve(c->s, spec, default_file(c), &locs, &nl, &e) == WB_OK) {
                file = locs[0].file;
                center = locs[0].line;
                /* gdb centres a function's listing on its declaration */
                const wb_scope *fn;
                const char *func = fc ? fc + 1 : spec;
                if (d && wb_dwarf_function_at(d, locs[0].addr, &fn, &e) == WB_OK && fn->decl_line &&
                    fn->decl_file && wb_scope_named(fn, func))
                    center = fn->decl_line;
                free(locs);
            } else {
                error_line(c, "%s", e.msg);
                free(spec);
                return;
            }
        }
        free(spec);
        if (!file) {
            error_line(c, "No line information.");
            return;
        }
        if (comma) {
            first = center ? center : 1;
            const char *q = skip_ws(comma + 1);
            last = *q ? (uint32_t)strtoul(q, NULL, 10) : first + size - 1;
        } else {
            first = center > size / 2 ? center - size / 2 : 1;
            last = first + size - 1;
        }
    }
    source *s = file ? source_get(c, file) : NULL;
    if (!s || s->missing) {
        error_line(c, "%u\tin %s", first, show_file(c, file));
        return;
    }
    if (first > s->nlines) {
        error_line(c, "Line number %u out of range; %s has %zu lines.", first, show_file(c, file),
                   s->nlines);
        return;
    }
    if (last > s->nlines) last = (uint32_t)s->nlines;
    for (uint32_t l = first; l <= last; l++)
        out(c, "%u\t%s\n", l, s->lines[l - 1]);
    c->list_file = file;
    c->list_line = last + 1;
}

static void cmd_disassemble(cli *c, const char *args, char fmt)
{
    (void)fmt;
    if (!need_session(c)) return;
    args = skip_ws(args);
    bool raw = false;
    if (strncmp(args, "/r", 2) == 0) {
        raw = true;
        args = skip_ws(args + 2);
    }
    const wb_wasm *w = wb_session_wasm(c->s);
    wb_code_off pc = 0;
    bool have_pc = false;
    const wb_frame *f = NULL;
    if (wb_session_state(c->s) == WB_PROC_STOPPED) f = wb_session_frame(c->s, c->frame);
    if (*args) {
        if (!resolve_first(c, args, &pc)) return;
    } else if (f) {
        pc = f->pc;
        have_pc = true;
    } else {
        error_line(c, "No frame selected.");
        return;
    }
    const wb_func *fn;
    if (wb_wasm_func_at(w, pc, &fn) != WB_OK) {
        error_line(c, "No function contains specified address.");
        return;
    }
    wb_insn *ins = NULL;
    size_t n = 0;
    wb_error e;
    wb_status st = wb_disasm_func(w, wb_wasm_code(w), wb_wasm_code_size(w), fn, &ins, &n, &e);
    const char *name = fn->name;
    const wb_scope *sc = NULL;
    if (wb_session_dwarf(c->s) &&
        wb_dwarf_function_at(wb_session_dwarf(c->s), pc, &sc, &e) == WB_OK && sc->name)
        name = sc->qualified_name ? sc->qualified_name : sc->name;
    out(c, "Dump of assembler code for function %s:\n", name ? name : "??");
    char *locals = NULL;
    wb_error e2;
    if (wb_disasm_locals(wb_wasm_code(w), wb_wasm_code_size(w), fn, &locals, &e2) == WB_OK &&
        locals && *locals)
        out(c, "   %s\n", locals);
    free(locals);
    const uint8_t *code = wb_wasm_code(w);
    for (size_t i = 0; i < n; i++) {
        bool here = have_pc && ins[i].off == pc;
        out(c, "%s0x%08x <+%u>:\t", here ? "=> " : "   ", ins[i].off, ins[i].off - fn->start);
        if (raw) {
            for (uint32_t k = 0; k < ins[i].len && k < 12; k++)
                out(c, "%02x ", code[ins[i].off + k]);
            out(c, "\t");
        }
        uint32_t indent = ins[i].depth < WB_DISASM_MAX_INDENT ? ins[i].depth : WB_DISASM_MAX_INDENT;
        out(c, "%*s%s\n", (int)(2 * indent), "", ins[i].text);
    }
    if (st != WB_OK) out(c, "<%s>\n", e.msg);
    out(c, "End of assembler dump.\n");
    free(ins);
}

static void cmd_target(cli *c, const char *args, char fmt)
{
    (void)fmt;
    args = skip_ws(args);
    size_t len = strcspn(args, " \t");
    if (!((len == 6 && strncmp(args, "remote", 6) == 0) ||
          (len == 15 && strncmp(args, "extended-remote", 15) == 0))) {
        error_line(c, "Undefined target command: \"%.*s\".  Try \"help target\".", (int)len, args);
        return;
    }
    const char *where = skip_ws(args + len);
    if (!*where) {
        error_line(c, "To open a remote debug connection, you need to specify what\nserial "
                      "device is attached to the remote system\n(e.g. host:port).");
        return;
    }
    if (!need_session(c)) return;
    wb_error e;
    wb_session_set_serial_baud(c->s, c->baud);
    if (wb_session_attach(c->s, where, &e) != WB_OK) {
        error_line(c, "%s: %s", where, e.msg);
        return;
    }
    out(c, "Remote debugging using %s\n", where);
    const char *missing = wb_session_missing_features(c->s);
    if (missing) out(c, "warning: the stub lacks %s\n", missing);
    c->exited = false;
    c->frame = 0;
    wb_stop st = {.why = WB_WHY_ENTRY};
    report_stop(c, &st);
}

static void cmd_kill(cli *c, const char *args, char fmt)
{
    (void)args;
    (void)fmt;
    if (!need_stopped(c)) return;
    int pid = (int)wb_session_pid(c->s);
    wb_error e;
    if (wb_session_kill(c->s, &e) != WB_OK)
        error_line(c, "%s", e.msg);
    else if (pid)
        out(c, "[Inferior 1 (process %d) killed]\n", pid);
    else
        out(c, "[Inferior 1 (remote) killed]\n");
}

static void cmd_detach(cli *c, const char *args, char fmt)
{
    (void)args;
    (void)fmt;
    if (!need_stopped(c)) return;
    int pid = (int)wb_session_pid(c->s);
    wb_error e;
    if (wb_session_detach(c->s, &e) != WB_OK)
        error_line(c, "%s", e.msg);
    else if (pid)
        out(c, "[Inferior 1 (process %d) detached]\n", pid);
    else
        out(c, "[Inferior 1 (remote) detached]\n");
}

static void cmd_file(cli *c, const char *args, char fmt);

/* Shows a core file as gdb does: what made it, why it ended, where. */
static void open_core(cli *c, const char *path)
{
    if (!need_session(c)) return;
    wb_error warning, e;
    if (wb_session_open_core(c->s, path, &warning, &e) != WB_OK) {
        error_line(c, "%s", e.msg);
        return;
    }
    if (warning.msg[0]) out(c, "warning: %s\n", warning.msg);
    const char *cmd = wb_session_core_command(c->s);
    out(c, "Core was generated by `%s'.\n", cmd && *cmd ? cmd : "?");
    const char *trap = wb_session_core_trap(c->s);
    const char *stop = wb_session_core_stop(c->s);
    char *panic = trap ? wb_session_rust_panic(c->s) : NULL; /* a Rust panic (abort) */
    if (panic)
        out(c, "Program terminated by a panic%s (Wasm trap: %s).\n", panic, trap);
    else if (trap)
        out(c, "Program terminated with a Wasm trap: %s.\n", trap);
    else if (stop)
        out(c, "Program stopped: %s.\n", stop); /* a gcore: no trap */
    else
        out(c, "Program terminated.\n");
    free(panic);
    if (trap) stack_hint(c, trap);
    c->frame = 0;
    c->exited = false;
    c->trapped = false; /* post-mortem: not a trap of this session's run */
    show_frame(c, 0, true, true);
}

static void cmd_core_file(cli *c, const char *args, char fmt)
{
    (void)fmt;
    args = skip_ws(args);
    if (!*args) {
        error_line(c, "No core file now.");
        return;
    }
    open_core(c, args);
}

/* gcore [FILE] (gdb's generate-core-file): the stopped program's state as
 * a core file for `wdb -c FILE APP.wasm`, written through the stub
 * (wb_session_gcore). The default name is gdb's core.PID when wdb started
 * the program, core.wasm when it attached to a stub (no pid). */
static void cmd_gcore(cli *c, const char *args, char fmt)
{
    (void)fmt;
    /* gdb's words for every case of nothing to save (no module, no
     * program, a core file) */
    if (!c->s || wb_session_state(c->s) != WB_PROC_STOPPED || wb_session_is_core(c->s)) {
        error_line(c, "The program is not being run.");
        return;
    }
    args = skip_ws(args);
    size_t len = strlen(args);
    while (len && (args[len - 1] == ' ' || args[len - 1] == '\t'))
        len--;
    char path[4096];
    if (len >= sizeof path) {
        error_line(c, "File name too long.");
        return;
    }
    if (len)
        snprintf(path, sizeof path, "%.*s", (int)len, args);
    else if (wb_session_pid(c->s))
        snprintf(path, sizeof path, "core.%d", (int)wb_session_pid(c->s));
    else
        snprintf(path, sizeof path, "core.wasm");
    wb_error e;
    if (wb_session_gcore(c->s, path, &e) != WB_OK) {
        error_line(c, "Failed to save corefile %s: %s", path, e.msg);
        return;
    }
    out(c, "Saved corefile %s\n", path);
}

static void cmd_quit(cli *c, const char *args, char fmt)
{
    (void)fmt;
    args = skip_ws(args);
    c->quit = true;
    c->quit_code = *args ? (int)strtol(args, NULL, 0) : -1;
}

/* The character a backslash sequence of `echo` stands for (*pp: after the
 * backslash, not at the end; moved past the sequence), or -1 for none:
 * gdb 13's escapes \a \b \f \n \r \t \v, up to three octal digits, a
 * backslash-newline for nothing; any other character stands for itself. */
static int echo_escape(const char **pp)
{
    static const char from[] = "abfnrtv", to[] = "\a\b\f\n\r\t\v";
    const char *p = *pp;
    int ch = (unsigned char)*p++, v = ch;
    const char *k = strchr(from, ch);
    if (k) {
        v = to[k - from];
    } else if (ch == '\n') {
        v = -1;
    } else if (ch >= '0' && ch <= '7') {
        v = ch - '0';
        for (int n = 1; n < 3 && *p >= '0' && *p <= '7'; n++)
            v = v * 8 + (*p++ - '0');
    }
    *pp = p;
    return v;
}

/* echo TEXT, as gdb's: escapes as echo_escape says, a NUL prints nothing,
 * a backslash at the end ends the text (so spaces before it are kept). */
static void cmd_echo(cli *c, const char *args, char fmt)
{
    (void)fmt;
    for (const char *p = args; *p;) {
        int ch = (unsigned char)*p++;
        if (ch == '\\') {
            if (!*p) break;
            ch = echo_escape(&p);
        }
        if (ch > 0) out_char(c, ch);
    }
}

/* wb_printf's arguments, in the selected frame */
static wb_status printf_eval(void *user, const char *expr, size_t len, wb_value *v, wb_error *err)
{
    cli *c = user;
    if (!c->s) return wb_fail(err, "No symbol table is loaded.  Use the \"file\" command.");
    char *text = strndup(expr, len);
    if (!text) return wb_fail(err, "out of memory");
    wb_status st = wb_session_eval(c->s, c->frame, text, v, err);
    free(text);
    return st;
}

/* printf "FORMAT", ARGS...: gdb's (wb_printf.h); what came before an
 * error is printed, as gdb prints it. */
static void cmd_printf(cli *c, const char *args, char fmt)
{
    (void)fmt;
    wb_sbuf o = {0};
    wb_error e;
    wb_status st =
        wb_printf(args, printf_eval, c, c->s ? wb_session_env(c->s, c->frame) : NULL, &o, &e);
    if (o.s) out(c, "%s", o.s);
    free(o.s);
    if (st != WB_OK) error_line(c, "%s", e.msg);
}

static void cmd_help(cli *c, const char *args, char fmt);
static void cmd_source(cli *c, const char *args, char fmt);

/* maintenance time 0|1: gdb's per-command timing (bench/wdb-next.sh) */
static void cmd_maintenance(cli *c, const char *args, char fmt)
{
    (void)fmt;
    args = skip_ws(args);
    if (strncmp(args, "time", 4) == 0) {
        c->timing = strtol(skip_ws(args + 4), NULL, 10) != 0;
        return;
    }
    error_line(c, "Undefined maintenance command: \"%s\".  Try \"help maintenance\".", args);
}

static const command commands[] = {
    {"advance", NULL, cmd_advance,
     "advance LOCATION -- run until LOCATION or the current "
     "function returns",
     false},
    {"awatch", NULL, cmd_awatch, "awatch EXPR -- stop when EXPR is read or written", false},
    {"backtrace", "bt where", cmd_backtrace,
     "backtrace [N|-N] [full] -- the call stack, "
     "innermost first (full: with locals)",
     false},
    {"break", "b br bre brea", cmd_break,
     "break [FILE:LINE|LINE|FUNCTION|FILE:FUNCTION|*ADDR] [if COND] -- "
     "set a breakpoint (ADDR is a code offset)",
     false},
    {"call", NULL, cmd_call, "call FUNC(ARGS) -- not supported on Wasm stubs", false},
    {"condition", NULL, cmd_condition,
     "condition N [COND] -- stop at breakpoint N only if "
     "COND is true (no COND: always)",
     false},
    {"continue", "c fg", cmd_continue,
     "continue [N] -- resume the program (N: ignore this "
     "breakpoint N-1 more times)",
     false},
    {"core-file", "core", cmd_core_file,
     "core-file CORE -- debug a core file of the program "
     "(wdb-run --core-on-trap): bt, frame, info locals, print, x, list",
     false},
    {"delete", "d", cmd_delete, "delete [N...] -- delete breakpoints (all without N)", false},
    {"detach", NULL, cmd_detach, "detach -- let the program run on without the debugger", false},
    {"disable", "disa dis", cmd_disable, "disable [N...] -- disable breakpoints", false},
    {"disassemble", NULL, cmd_disassemble,
     "disassemble [/r] [FUNCTION|*ADDR] -- the Wasm "
     "code of a function, the pc marked with =>",
     false},
    {"display", NULL, cmd_display, "display[/FMT] EXPR -- print EXPR at every stop", true},
    {"down", "do dow", cmd_down, "down [N] -- select the frame N levels down (callee)", false},
    {"echo", NULL, cmd_echo,
     "echo TEXT -- print TEXT: C escapes (\\n, \\t, \\\", \\\\, \\NNN octal), a \\ at the end "
     "keeps the spaces before it",
     false},
    {"enable", "en", cmd_enable, "enable [N...] -- enable breakpoints", false},
    {"file", NULL, cmd_file, "file APP.wasm -- debug this module", false},
    {"finish", "fin", cmd_finish,
     "finish -- run until the selected frame returns; print the "
     "value returned",
     false},
    {"frame", "f", cmd_frame,
     "frame [N|level N|function NAME] -- select frame N (or the innermost running "
     "NAME) and print it",
     false},
    {"generate-core-file", "gcore", cmd_gcore,
     "generate-core-file [FILE] -- save the stopped "
     "program as a core file for wdb -c (default core.PID)",
     false},
    {"help", "h", cmd_help, "help [COMMAND] -- list commands, or describe one", false},
    {"ignore", NULL, cmd_ignore,
     "ignore N COUNT -- do not stop at breakpoint N the next "
     "COUNT times",
     false},
    {"info", "i inf", cmd_info,
     "info breakpoints|watchpoints|locals|args|frame|source|line|"
     "display|sources|program|sharedlibrary|registers [pc|sp|fp]|threads, info "
     "functions|variables|types [-n] [REGEX], info scope LOCATION, info symbol ADDR, info "
     "address SYMBOL",
     false},
    {"kill", "k", cmd_kill, "kill -- end the program", false},
    {"list", "l", cmd_list,
     "list [LINE|FUNCTION|FILE:LINE|FILE:FUNCTION|FIRST,LAST] -- show source lines (any line "
     "of a file, with code or not)",
     false},
    {"maintenance", "mt", cmd_maintenance,
     "maintenance time 0|1 -- print the time every "
     "command takes",
     false},
    {"next", "n", cmd_next, "next [N] -- the next source line, stepping over calls", false},
    {"nexti", "ni", cmd_nexti, "nexti [N] -- one instruction, stepping over calls", false},
    {"output", NULL, cmd_output, "output[/FMT] EXPR -- print a value, with no newline", true},
    {"print", "p inspect", cmd_print,
     "print[/FMT] EXPR -- evaluate a C expression; formats "
     "x d u o t c f a s z",
     true},
    {"printf", NULL, cmd_printf,
     "printf \"FORMAT\", EXPR... -- print values as C's printf (d i u o x c s f e g p, "
     "with l ll h z L; %s reads a string from memory)",
     false},
    {"ptype", NULL, cmd_ptype, "ptype EXPR|TYPE -- the type, with struct members", false},
    {"quit", "q exit", cmd_quit, "quit [CODE] -- leave wdb (kills a program it started)", false},
    {"rbreak", NULL, cmd_rbreak,
     "rbreak [FILE:]REGEX -- a breakpoint on every function whose name matches REGEX "
     "(POSIX basic syntax, as gdb's)",
     false},
    {"run", "r", cmd_run, "run [ARGS] -- start the program under wdb-run", false},
    {"rwatch", NULL, cmd_rwatch, "rwatch EXPR -- stop when EXPR is read", false},
    {"save", NULL, cmd_save,
     "save breakpoints FILE -- write the breakpoints and watchpoints as commands for "
     "source FILE",
     false},
    {"set", NULL, cmd_set,
     "set var EXPR=VALUE | set args ARGS | set listsize N | set "
     "filename-display basename|absolute | set print pretty on|off | set runtime PATH",
     false},
    {"show", NULL, cmd_show, "show args|version|listsize|print pretty", false},
    {"source", NULL, cmd_source,
     "source FILE -- run the commands in FILE (stops at the first that fails)", false},
    {"start", NULL, cmd_start, "start [ARGS] -- run to the beginning of main", false},
    {"starti", NULL, cmd_starti,
     "starti [ARGS] -- start and stop before the first "
     "instruction",
     false},
    {"step", "s", cmd_step, "step [N] -- the next source line, into calls", false},
    {"stepi", "si", cmd_stepi, "stepi [N] -- one instruction, into calls", false},
    {"target", NULL, cmd_target,
     "target remote HOST:PORT|/dev/ttyX -- attach to a stub (a device, or "
     "wdb-run -g / --gdb-listen)",
     false},
    {"tbreak", "tb", cmd_tbreak,
     "tbreak LOCATION -- a breakpoint deleted when hit (LOCATION as for break)", false},
    {"undisplay", NULL, cmd_undisplay, "undisplay [N...] -- stop displaying expressions", false},
    {"until", "u", cmd_until,
     "until [LOCATION] -- next, but not back into a loop; or run "
     "to LOCATION",
     false},
    {"up", NULL, cmd_up, "up [N] -- select the frame N levels up (caller)", false},
    {"watch", NULL, cmd_watch,
     "watch EXPR -- stop when EXPR changes (1 to 8 bytes of linear "
     "memory)",
     false},
    {"whatis", NULL, cmd_whatis, "whatis EXPR|TYPE -- the type's name", false},
    {"x", NULL, cmd_x,
     "x/NFU ADDR -- examine linear memory: N units, format F (x d u o t a c "
     "f s z), unit U (b h w g)",
     true},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static bool has_alias(const command *cmd, const char *word, size_t len)
{
    if (!cmd->aliases) return false;
    const char *p = cmd->aliases;
    while (*p) {
        size_t l = strcspn(p, " ");
        if (l == len && strncmp(p, word, len) == 0) return true;
        p += l;
        while (*p == ' ')
            p++;
    }
    return false;
}

/* Exact name or alias first, then a unique prefix, as gdb resolves. */
static const command *find_cmd(cli *c, const char *word, size_t len, bool report)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if ((strlen(commands[i].name) == len && strncmp(commands[i].name, word, len) == 0) ||
            has_alias(&commands[i], word, len))
            return &commands[i];
    const command *found = NULL;
    size_t matches = 0;
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strncmp(commands[i].name, word, len) == 0) {
            found = &commands[i];
            matches++;
        }
    if (matches == 1) return found;
    if (!report) return NULL;
    if (matches > 1) {
        char list[512] = "";
        size_t off = 0;
        for (size_t i = 0; i < NCOMMANDS && off < sizeof list - 40; i++)
            if (strncmp(commands[i].name, word, len) == 0)
                off += (size_t)snprintf(list + off, sizeof list - off, "%s%s", off ? ", " : "",
                                        commands[i].name);
        error_line(c, "Ambiguous command \"%.*s\": %s.", (int)len, word, list);
    } else {
        error_line(c, "Undefined command: \"%.*s\".  Try \"help\".", (int)len, word);
    }
    return NULL;
}

static void cmd_help(cli *c, const char *args, char fmt)
{
    (void)fmt;
    args = skip_ws(args);
    if (*args) {
        size_t len = strcspn(args, " \t/");
        const command *cmd = find_cmd(c, args, len, true);
        if (!cmd) return;
        out(c, "%s\n", cmd->help);
        if (cmd->aliases) out(c, "Aliases: %s\n", cmd->aliases);
        return;
    }
    out(c, "wdb: a source-level debugger for WebAssembly (gdb's commands and "
           "abbreviations).\n\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        out(c, "  %s\n", commands[i].help);
    out(c, "\nType \"help\" followed by a command name for its description.\n");
}

static void cli_load(cli *c, const char *path)
{
    if (c->s) {
        wb_session_free(c->s);
        c->s = NULL;
    }
    const char *note;
    wb_error e;
    c->s = wb_session_new(path, &note, &e);
    if (!c->s) {
        error_line(c, "%s", e.msg);
        return;
    }
    wb_session_set_poll(c->s, poll_interrupt, NULL);
    if (c->log) wb_session_set_log(c->s, c->log);
    out(c, "Reading symbols from %s...\n", path);
    if (note) out(c, "(%s)\n", note);
    c->list_file = NULL;
}

static void cmd_file(cli *c, const char *args, char fmt)
{
    (void)fmt;
    args = skip_ws(args);
    if (!*args) {
        error_line(c, "Argument required (a .wasm file).");
        return;
    }
    cli_load(c, args);
}

/* Runs one command line. Empty lines repeat the last run-control
 * command interactively, as in gdb. */
static void execute(cli *c, const char *line)
{
    line = skip_ws(line);
    if (!*line || *line == '#') return;
    c->last_failed = false;
    size_t len = strcspn(line, " \t/");
    if (len == 0) len = 1; /* e.g. a lone "/" */
    const command *cmd = find_cmd(c, line, len, true);
    if (!cmd) return;
    if (c->borrowed && (cmd->run == cmd_run || cmd->run == cmd_start || cmd->run == cmd_starti ||
                        cmd->run == cmd_continue || cmd->run == cmd_next || cmd->run == cmd_step ||
                        cmd->run == cmd_stepi || cmd->run == cmd_nexti || cmd->run == cmd_finish ||
                        cmd->run == cmd_until || cmd->run == cmd_advance || cmd->run == cmd_kill ||
                        cmd->run == cmd_detach || cmd->run == cmd_target || cmd->run == cmd_file ||
                        cmd->run == cmd_core_file || cmd->run == cmd_quit)) {
        /* the editor owns run control: its toolbar and events stay right */
        error_line(c,
                   "\"%s\" is not available in the debug console: use the debugger's "
                   "controls.",
                   cmd->name);
        return;
    }
    const char *rest = line + len;
    char fmt = 0;
    if (*rest == '/') {
        if (cmd->run == cmd_x) {
            cmd->run(c, rest, 0);
            fflush(c->out);
            return;
        }
        if (!cmd->takes_format) {
            error_line(c, "Invalid format for \"%s\".", cmd->name);
            return;
        }
        rest++;
        fmt = *rest;
        if (!fmt || !strchr("xduotcfaszr", fmt)) {
            error_line(c, "Undefined output format \"%c\".", fmt ? fmt : ' ');
            return;
        }
        while (*rest && *rest != ' ')
            rest++;
    }
    struct timespec w0, w1, c0, c1;
    clock_gettime(CLOCK_MONOTONIC, &w0);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    cmd->run(c, skip_ws(rest), fmt);
    if (c->timing) {
        clock_gettime(CLOCK_MONOTONIC, &w1);
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
        out(c, "Command execution time: %.6f (cpu), %.6f (wall)\n",
            (double)(c1.tv_sec - c0.tv_sec) + (double)(c1.tv_nsec - c0.tv_nsec) / 1e9,
            (double)(w1.tv_sec - w0.tv_sec) + (double)(w1.tv_nsec - w0.tv_nsec) / 1e9);
    }
    fflush(c->out);
}

/* Runs a command file (`-x`, `source`) as gdb does: its commands with
 * from_tty off, up to the first that fails (which fails the `source` or
 * ends the -x; the -ex and -x after it run). A file that cannot be read
 * is a warning, as in gdb. Read whole through the bounded reader (at most
 * WDB_FILE_TEXT_MAX, regular files only), then line by line, so a line of
 * any length is one command. */
static void run_file(cli *c, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || S_ISDIR(st.st_mode)) {
        error_soft(c, "warning: %s: %s", path,
                   S_ISDIR(st.st_mode) ? strerror(EISDIR) : strerror(errno));
        return;
    }
    char *text;
    size_t len;
    wb_error e;
    if (wb_read_text(path, &text, &len, &e) != WB_OK) {
        error_soft(c, "warning: %s.", e.msg);
        return;
    }
    if (c->nfiles == MAX_SOURCE_DEPTH) {
        error_line(c, "%s: command files nested %d deep: does a file source itself?", path,
                   MAX_SOURCE_DEPTH);
        free(text);
        return;
    }
    struct sourcing *f = &c->files[c->nfiles++];
    *f = (struct sourcing){path, 0};
    bool from_tty = c->from_tty;
    c->from_tty = false;
    c->last_failed = false;
    char *p = text, *end = text + len;
    while (!c->quit && !c->last_failed && p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        if (nl) *nl = 0;
        f->line++;
        if (strlen(p) != (size_t)((nl ? nl : end) - p)) {
            /* a NUL inside a line would cut it silently: refuse the rest */
            error_line(c, "%s: a line holds a NUL byte; the file is not run further.", path);
            break;
        }
        rtrim(p);
        execute(c, p);
        if (!nl) break;
        p = nl + 1;
    }
    c->from_tty = from_tty;
    c->nfiles--;
    free(text);
}

/* source FILE: gdb's */
static void cmd_source(cli *c, const char *args, char fmt)
{
    (void)fmt;
    args = skip_ws(args);
    if (!*args) {
        error_line(c, "source command requires file name of file to source.");
        return;
    }
    run_file(c, args);
}

/* Frees what a cli holds besides its session and streams. */
static void cli_free(cli *c)
{
    free_args(c->args, c->nargs);
    free_args(c->rt_args, c->nrt_args);
    for (size_t k = 0; k < c->ndisplays; k++)
        free(c->displays[k].expr);
    free(c->displays);
    for (size_t k = 0; k < c->nsources; k++) {
        free(c->sources[k].path);
        free(c->sources[k].text);
        free(c->sources[k].lines);
    }
    free(c->sources);
    free(c->runtime);
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: wdb [OPTIONS] [APP.wasm [ARGS...]]\n"
            "       wdb [OPTIONS] --args APP.wasm ARGS...\n"
            "       wdb core CORE APP.wasm            (post-mortem: as wdb -c CORE APP.wasm)\n"
            "       wdb symbolize|lines|resolve ...   (see wdb help)\n\n"
            "options:\n"
            "  -ex CMD, --eval-command=CMD   run CMD (repeatable, in order)\n"
            "  -x FILE, --command=FILE       run the commands in FILE (up to one that fails)\n"
            "  -batch, --batch               run the commands, then exit (implies -q)\n"
            "  --args                        the rest are the program and its arguments\n"
            "  --runtime=PATH                wdb-run to start the program with\n"
            "  --dir=HOST[::GUEST], --env=NAME=VALUE\n"
            "                                passed to wdb-run (the program's sandbox)\n"
            "  --runtime-arg=OPT             any other wdb-run option (--max-call-depth=300)\n"
            "  --rsp-log=FILE                log every packet to FILE\n"
            "  -b BAUD, --baud=BAUD          serial line speed for target remote /dev/ttyX\n"
            "  --annotate=github             on a trap, also print a GitHub ::error line\n"
            "  -c CORE, --core=CORE          debug a core file (wdb-run --core-on-trap)\n"
            "  --dap                         serve the Debug Adapter Protocol on stdio\n"
            "  --dap-ws=ADDR:PORT            serve DAP over websockets (token in\n"
            "                                WDB_DAP_TOKEN or --dap-token; --dap-ws=X --help)\n"
            "  -q, -quiet, -nx               no banner\n"
            "  --version, --help\n\n"
            "exit status (batch): the program's exit code if it exited, 134 if it stopped at\n"
            "a trap, 1 if the last command failed, else 0.\n");
}

typedef struct pending {
    bool is_file;
    const char *text;
} pending;

static bool push_str(char ***v, size_t *n, const char *s)
{
    char **x = realloc(*v, (*n + 2) * sizeof *x);
    if (!x) return false;
    *v = x;
    if (!((*v)[*n] = strdup(s))) return false;
    (*n)++;
    (*v)[*n] = NULL;
    return true;
}

int wdb_cli_main(int argc, char **argv)
{
    /* `wdb [OPTIONS] --dap`: the DAP server (wdb_dap_stdio.c) instead of the CLI */
    for (int k = 1; k < argc && argv[k][0] == '-' && strcmp(argv[k], "--args") != 0; k++)
        if (strcmp(argv[k], "--dap") == 0) return wdb_dap_stdio_main(argc, argv);
    cli c;
    memset(&c, 0, sizeof c);
    c.out = stdout;
    c.err = stderr;
    c.listsize = 10;
    int status = 0;
    pending *todo = calloc((size_t)argc + 1, sizeof *todo);
    size_t ntodo = 0;
    bool quiet = false;
    const char *program = NULL;
    const char *core_path = NULL;
    int i = 1;
    if (!todo) return 1;
    /* Options may come before or after the program, as getopt permutes
     * them for gdb; words that are not options are the program and its
     * arguments; `--args` ends the options. */
    bool args_mode = false;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || !a[1]) {
            if (!program)
                program = a;
            else
                push_str(&c.args, &c.nargs, a);
            continue;
        }
        if (a[1] == '-' && a[2] != '-' && a[2]) a++; /* --batch == -batch */
        if (strcmp(a, "-ex") == 0 || strcmp(a, "-eval-command") == 0) {
            if (++i >= argc) {
                fprintf(stderr, "wdb: option '%s' requires an argument\n", argv[i - 1]);
                free(todo);
                return 2;
            }
            todo[ntodo++] = (pending){false, argv[i]};
        } else if (strncmp(a, "-eval-command=", 14) == 0) {
            todo[ntodo++] = (pending){false, a + 14};
        } else if (strcmp(a, "-x") == 0 || strcmp(a, "-command") == 0) {
            if (++i >= argc) {
                fprintf(stderr, "wdb: option '%s' requires an argument\n", argv[i - 1]);
                free(todo);
                return 2;
            }
            todo[ntodo++] = (pending){true, argv[i]};
        } else if (strncmp(a, "-command=", 9) == 0) {
            todo[ntodo++] = (pending){true, a + 9};
        } else if (strcmp(a, "-batch") == 0) {
            c.batch = true;
            quiet = true;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "-quiet") == 0 || strcmp(a, "-silent") == 0 ||
                   strcmp(a, "-nx") == 0 || strcmp(a, "-n") == 0) {
            quiet = true;
        } else if (strcmp(a, "-args") == 0) {
            i++;
            args_mode = true;
            break;
        } else if (strcmp(a, "-c") == 0 || strcmp(a, "-core") == 0) {
            if (++i >= argc) {
                fprintf(stderr, "wdb: option '%s' requires an argument\n", argv[i - 1]);
                free(todo);
                return 2;
            }
            core_path = argv[i];
        } else if (strncmp(a, "-core=", 6) == 0) {
            core_path = a + 6;
        } else if (strncmp(a, "-annotate=", 10) == 0) {
            if (strcmp(a + 10, "github") != 0) {
                fprintf(stderr, "wdb: unknown annotation style '%s' (known: github)\n", a + 10);
                free(todo);
                return 2;
            }
            c.annotate_github = true;
        } else if (strcmp(a, "-b") == 0 || strcmp(a, "-baud") == 0 ||
                   strncmp(a, "-baud=", 6) == 0) {
            const char *v = strncmp(a, "-baud=", 6) == 0 ? a + 6 : NULL;
            if (!v && ++i >= argc) {
                fprintf(stderr, "wdb: option '%s' requires an argument\n", argv[i - 1]);
                free(todo);
                return 2;
            }
            if (!v) v = argv[i];
            if (!(c.baud = parse_baud(v))) {
                fprintf(stderr, "wdb: bad baud rate '%s'\n", v);
                free(todo);
                return 2;
            }
        } else if (strncmp(a, "-runtime=", 9) == 0) {
            c.runtime = strdup(a + 9);
        } else if (strncmp(a, "-dir=", 5) == 0 || strncmp(a, "-env=", 5) == 0) {
            push_str(&c.rt_args, &c.nrt_args, argv[i]);
        } else if (strncmp(a, "-runtime-arg=", 13) == 0) {
            push_str(&c.rt_args, &c.nrt_args, a + 13);
        } else if (strncmp(a, "-rsp-log=", 9) == 0) {
            c.log = fopen(a + 9, "w");
            if (!c.log) {
                fprintf(stderr, "wdb: cannot open %s: %s\n", a + 9, strerror(errno));
                free(todo);
                return 2;
            }
        } else if (wb_dap_ws_is_option(argv[i])) {
            /* `wdb --dap-ws`: the DAP websocket server reads the whole
             * command line itself (wdb_dap_ws.c) */
            free(todo);
            free_args(c.args, c.nargs);
            free_args(c.rt_args, c.nrt_args);
            free(c.runtime);
            if (c.log) fclose(c.log);
            return wb_dap_ws_cli(argc, argv);
        } else if (strcmp(a, "-help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            free(todo);
            return 0;
        } else if (strcmp(a, "-version") == 0) {
            printf("wdb %s\n", WDB_VERSION);
            free(todo);
            return 0;
        } else {
            fprintf(stderr,
                    "wdb: unrecognized option '%s'\nUse `wdb --help' for a complete list "
                    "of options.\n",
                    argv[i]);
            free(todo);
            return 2;
        }
    }
    if (args_mode) {
        if (i < argc && !program)
            program = argv[i++];
        else if (i < argc && program)
            push_str(&c.args, &c.nargs, argv[i++]);
        for (; i < argc; i++)
            push_str(&c.args, &c.nargs, argv[i]);
    }
    if (!quiet && !c.batch)
        printf("wdb %s: a source-level debugger for WebAssembly.\nType \"help\" for a list of "
               "commands.\n",
               WDB_VERSION);
    if (program) cli_load(&c, program);
    if (core_path) {
        if (!c.s)
            error_line(&c, "a core file needs its module: wdb -c CORE APP.wasm");
        else
            open_core(&c, core_path);
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    for (size_t k = 0; k < ntodo && !c.quit; k++) {
        c.from_tty = !todo[k].is_file && !c.batch; /* as gdb decides it */
        if (todo[k].is_file)
            run_file(&c, todo[k].text);
        else
            execute(&c, todo[k].text);
    }
    c.from_tty = true;
    free(todo);
    if (!c.batch && !c.quit) {
        c.le = wb_linedit_new(0, 1);
        char *last = NULL;
        while (!c.quit) {
            fflush(stdout);
            char *line = c.le ? wb_linedit_read(c.le, "(wdb) ") : NULL;
            if (!line) {
                if (isatty(0)) printf("quit\n");
                break;
            }
            const char *run_line = line;
            if (!*skip_ws(line) && last && isatty(0)) run_line = last;
            execute(&c, run_line);
            if (*skip_ws(line)) {
                free(last);
                last = strdup(line);
            }
            free(line);
        }
        free(last);
        wb_linedit_free(c.le);
    }
    if (c.quit && c.quit_code >= 0)
        status = c.quit_code;
    else if (!c.batch)
        status = 0;
    else if (c.exited)
        status = c.exit_code;
    else if (c.trapped)
        status = 134;
    else if (c.last_failed)
        status = 1;
    fflush(stdout);
    wb_session_free(c.s); /* kills a program still stopped */
    cli_free(&c);
    if (c.log) fclose(c.log);
    return status;
}

char *wdb_cli_run_command(wb_session *s, size_t frame, const char *line)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem) return NULL;
    cli c;
    memset(&c, 0, sizeof c);
    c.s = s;
    c.borrowed = true;
    c.out = c.err = mem;
    c.listsize = 10;
    c.frame = frame;
    execute(&c, line);
    fflush(mem);
    fclose(mem);
    cli_free(&c);
    return text;
}

wb_status wdb_cli_run_control(const char *line, int *how, char **where, wb_error *err)
{
    cli c;
    memset(&c, 0, sizeof c);
    line = skip_ws(line);
    size_t len = strcspn(line, " \t/");
    const command *cmd = len ? find_cmd(&c, line, len, false) : NULL;
    if (!cmd) return WB_NOT_FOUND;
    static const struct {
        void (*run)(cli *, const char *, char);
        wb_run how;
        int location; /* 0 none, 1 optional, 2 required */
    } map[] = {
        {cmd_continue, WB_RUN_CONTINUE, 0}, {cmd_next, WB_RUN_NEXT, 0},
        {cmd_step, WB_RUN_STEP, 0},         {cmd_stepi, WB_RUN_STEPI, 0},
        {cmd_nexti, WB_RUN_NEXTI, 0},       {cmd_finish, WB_RUN_FINISH, 0},
        {cmd_until, WB_RUN_UNTIL, 1},       {cmd_advance, WB_RUN_ADVANCE, 2},
    };
    size_t k = 0;
    while (k < sizeof map / sizeof map[0] && map[k].run != cmd->run)
        k++;
    if (k == sizeof map / sizeof map[0]) return WB_NOT_FOUND;
    const char *args = skip_ws(line + len);
    size_t n = strlen(args);
    while (n && (args[n - 1] == ' ' || args[n - 1] == '\t'))
        n--;
    *where = NULL;
    if (map[k].location == 0 && n) {
        return wb_fail(err,
                       "\"%s %.*s\": the debug console runs \"%s\" without a count or "
                       "argument.",
                       cmd->name, (int)n, args, cmd->name);
    }
    if (map[k].location == 2 && !n) {
        return wb_fail(err, "Argument required (a location).");
    }
    if (n) {
        *where = strndup(args, n);
        if (!*where) return wb_fail(err, "out of memory");
    }
    *how = (int)map[k].how;
    return WB_OK;
}

bool wdb_cli_is_command(const char *line)
{
    cli c;
    memset(&c, 0, sizeof c);
    line = skip_ws(line);
    size_t len = strcspn(line, " \t/");
    return len > 0 && find_cmd(&c, line, len, false) != NULL;
}
