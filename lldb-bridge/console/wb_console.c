/*
 * wb_console: `wdb`'s gdb command interpreter (see wb_console.h), its
 * core: the output and error lines (gdb's order and sourced-file
 * prefixes), source files, frame and stop lines, the command table and
 * the line parser, command files, the settings (`set`, `show`), and the
 * public API. The commands themselves are grouped by family:
 * wb_console_run.c (running and loading programs, stops),
 * wb_console_break.c (breakpoints, watchpoints), wb_console_info.c (the
 * stack, `info`, symbols), wb_console_data.c (values, memory, source and
 * code listings, echo/printf). Run control and data come from
 * wb_session; the console only parses and prints.
 */
#define _GNU_SOURCE
#include "wb_console_impl.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

#ifndef WDB_VERSION
#define WDB_VERSION "0"
#endif

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
void error_line(cli *c, const char *fmt, ...)
{
    fflush(c->out);
    if (!c->last_failed)
        for (size_t i = 0; i < c->nfiles; i++)
            fprintf(c->err, "%s:%u: Error in sourced command file:\n", c->files[i].path,
                    c->files[i].line);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->last_error, sizeof c->last_error, fmt, ap); /* for the API's wb_error */
    va_end(ap);
    va_start(ap, fmt);
    vmessage(c, fmt, ap);
    va_end(ap);
    c->last_failed = true;
}

/* What gdb reports without failing the command (a breakpoint location that
 * matches nothing, in batch mode): said on stderr, and the command file
 * goes on. */
void error_soft(cli *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(c, fmt, ap);
    va_end(ap);
}

void out(cli *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(c->out, fmt, ap);
    va_end(ap);
}

void out_char(cli *c, int ch)
{
    fputc(ch, c->out);
}

char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return (char *)p;
}

void rtrim(char *p)
{
    size_t n = strlen(p);
    while (n && isspace((unsigned char)p[n - 1]))
        p[--n] = 0;
}

const char *show_file(const cli *c, const char *path)
{
    if (!path) return "??";
    if (c->fname == FNAME_BASENAME) {
        const char *b = strrchr(path, '/');
        return b ? b + 1 : path;
    }
    return path;
}

/* ------------------------------------------------------------- sources */

source *source_get(cli *c, const char *path)
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
    if (wb_session_read_source(c->s, path, &text, &len, &rerr) != WB_OK) {
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
char *format_plain(cli *c, const wb_value *v, char fmt)
{
    return wb_value_format_flags(v, wb_session_env(c->s, c->frame), fmt,
                                 WB_FMT_PLAIN | (c->pretty ? WB_FMT_PRETTY : 0));
}

/* A value as `print` shows it after "$N = ", its memory read in `frame`. */
char *format_value(cli *c, const wb_value *v, size_t frame, char fmt)
{
    return wb_value_format_flags(v, wb_session_env(c->s, frame), fmt,
                                 c->pretty ? WB_FMT_PRETTY : 0);
}

static bool is_scalar(const wb_value *v)
{
    const wb_type *t = wb_type_strip(v->type);
    if (t && t->kind == WB_TYPE_REFERENCE) t = wb_type_strip(t->target);
    /* a Wasm v128 prints as a union of vectors: not a scalar for gdb */
    return t && t->kind != WB_TYPE_STRUCT && t->kind != WB_TYPE_UNION && t->kind != WB_TYPE_ARRAY &&
           !(t->kind == WB_TYPE_BASE && t->enc == WB_ENC_V128);
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
void print_frame_line(cli *c, size_t i, bool with_level)
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
void show_frame(cli *c, size_t i, bool with_level, bool frame_line)
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

void print_stop_location(cli *c, bool frame_line)
{
    show_frame(c, c->frame, false, frame_line);
}

bool need_session(cli *c)
{
    if (c->s) return true;
    error_line(c, "No symbol table is loaded.  Use the \"file\" command.");
    return false;
}

bool need_stopped(cli *c)
{
    if (!need_session(c)) return false;
    if (wb_session_state(c->s) == WB_PROC_STOPPED) return true;
    error_line(c, "The program is not being run.");
    return false;
}

void free_args(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* Splits ARGS as a shell would for simple cases: words, quotes. */
char **split_words(const char *p, size_t *n)
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

const char *default_file(cli *c)
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

/* A baud rate for `set serial baud N` and -b N: 0 when it is not one. */
static unsigned parse_baud(const char *text)
{
    char *end;
    unsigned long v = strtoul(text, &end, 10);
    return *text && !*skip_ws(end) && v > 0 && v <= 4000000 ? (unsigned)v : 0;
}

bool wb_console_parse_baud(const char *text, unsigned *baud)
{
    *baud = parse_baud(text);
    return *baud != 0;
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

static void cmd_quit(cli *c, const char *args, char fmt)
{
    (void)fmt;
    args = skip_ws(args);
    c->quit = true;
    c->quit_code = *args ? (int)strtol(args, NULL, 0) : -1;
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
    {"catch", NULL, cmd_catch,
     "catch throw|rethrow|catch -- stop where a C++ exception is thrown, rethrown or "
     "caught (libwdb-cxxabi.a)",
     false},
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
     "display|sources|program|record|sharedlibrary|registers [pc|sp|fp]|threads, info "
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
    {"reverse-continue", "rc", cmd_reverse_continue,
     "reverse-continue -- run backward to a breakpoint, a watchpoint or the start of the "
     "history (with a stub that runs backward)",
     false},
    {"reverse-finish", NULL, cmd_reverse_finish,
     "reverse-finish -- run backward to the call of the selected frame", false},
    {"reverse-next", "rn", cmd_reverse_next,
     "reverse-next [N] -- back to the previous source line, stepping over calls", false},
    {"reverse-nexti", "rni", cmd_reverse_nexti,
     "reverse-nexti [N] -- one instruction back, stepping over calls", false},
    {"reverse-step", "rs", cmd_reverse_step,
     "reverse-step [N] -- back to the previous source line, into calls", false},
    {"reverse-stepi", "rsi", cmd_reverse_stepi,
     "reverse-stepi [N] -- one instruction back, into calls", false},
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
    if (c->embedded && (cmd->run == cmd_run || cmd->run == cmd_start || cmd->run == cmd_starti ||
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

/* ---------------------------------------------------------- public API */

/* A copy of a NULL-terminated list of strings (NULL: none); false when out
 * of memory. */
static bool copy_words(const char *const *from, char ***v, size_t *n)
{
    size_t cap = 0;
    *v = NULL;
    *n = 0;
    for (size_t i = 0; from && from[i]; i++) {
        if (!wb_grow((void **)v, &cap, *n + 2, sizeof **v)) return false;
        if (!((*v)[*n] = strdup(from[i]))) return false;
        (*n)++;
        (*v)[*n] = NULL;
    }
    return true;
}

wb_console *wb_console_new(const wb_console_opts *o)
{
    cli *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->out = o->out ? o->out : stdout;
    c->err = o->err ? o->err : stderr;
    c->s = o->session;
    c->embedded = o->embedded;
    c->frame = o->frame;
    c->listsize = 10;
    c->baud = o->baud;
    c->annotate_github = o->annotate_github;
    c->log = o->rsp_log;
    c->poll = o->poll;
    c->poll_user = o->poll_user;
    if ((o->runtime && !(c->runtime = strdup(o->runtime))) ||
        !copy_words(o->args, &c->args, &c->nargs) ||
        !copy_words(o->runtime_args, &c->rt_args, &c->nrt_args)) {
        wb_console_free(c);
        return NULL;
    }
    return c;
}

void wb_console_free(wb_console *c)
{
    if (!c) return;
    if (!c->embedded) wb_session_free(c->s); /* kills a program still stopped */
    cli_free(c);
    free(c);
}

/* WB_ERROR with the last error line when the command just run failed. */
static wb_status outcome(cli *c, wb_error *err)
{
    if (!c->last_failed) return WB_OK;
    return wb_fail(err, "%s", c->last_error);
}

wb_status wb_console_execute(wb_console *c, const char *line, bool from_tty, wb_error *err)
{
    const char *p = skip_ws(line);
    if (!*p || *p == '#') return WB_OK;
    c->from_tty = from_tty;
    execute(c, line);
    return outcome(c, err);
}

wb_status wb_console_source(wb_console *c, const char *path, wb_error *err)
{
    c->from_tty = false;
    c->last_failed = false;
    run_file(c, path);
    return outcome(c, err);
}

wb_status wb_console_capture(wb_console *c, const char *line, bool from_tty, char **text,
                             wb_error *err)
{
    size_t len = 0;
    *text = NULL;
    FILE *mem = open_memstream(text, &len);
    if (!mem) return wb_fail(err, "out of memory");
    FILE *out = c->out, *errs = c->err;
    c->out = c->err = mem;
    c->from_tty = from_tty;
    c->last_failed = false;
    execute(c, line);
    c->out = out;
    c->err = errs;
    if (fclose(mem) != 0 || !*text) {
        free(*text);
        *text = NULL;
        return wb_fail(err, "out of memory");
    }
    return outcome(c, err);
}

wb_status wb_console_load(wb_console *c, const char *path, wb_error *err)
{
    c->last_failed = false;
    cli_load(c, path);
    return outcome(c, err);
}

wb_status wb_console_open_core(wb_console *c, const char *path, wb_error *err)
{
    c->last_failed = false;
    if (!c->s)
        error_line(c, "a core file needs its module: wdb -c CORE APP.wasm");
    else
        open_core(c, path);
    return outcome(c, err);
}

wb_console_state wb_console_get_state(const wb_console *c)
{
    return (wb_console_state){c->quit,      c->quit_code, c->exited,
                              c->exit_code, c->trapped,   c->last_failed};
}

wb_status wb_console_run_control(const char *line, wb_run *how, bool *reverse, char **where,
                                 wb_error *err)
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
        bool reverse;
    } map[] = {
        {cmd_continue, WB_RUN_CONTINUE, 0, false},
        {cmd_next, WB_RUN_NEXT, 0, false},
        {cmd_step, WB_RUN_STEP, 0, false},
        {cmd_stepi, WB_RUN_STEPI, 0, false},
        {cmd_nexti, WB_RUN_NEXTI, 0, false},
        {cmd_finish, WB_RUN_FINISH, 0, false},
        {cmd_until, WB_RUN_UNTIL, 1, false},
        {cmd_advance, WB_RUN_ADVANCE, 2, false},
        {cmd_reverse_continue, WB_RUN_CONTINUE, 0, true},
        {cmd_reverse_next, WB_RUN_NEXT, 0, true},
        {cmd_reverse_step, WB_RUN_STEP, 0, true},
        {cmd_reverse_stepi, WB_RUN_STEPI, 0, true},
        {cmd_reverse_nexti, WB_RUN_NEXTI, 0, true},
        {cmd_reverse_finish, WB_RUN_FINISH, 0, true},
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
    *how = map[k].how;
    *reverse = map[k].reverse;
    return WB_OK;
}

bool wb_console_is_command(const char *line)
{
    cli c;
    memset(&c, 0, sizeof c);
    line = skip_ws(line);
    size_t len = strcspn(line, " \t/");
    return len > 0 && find_cmd(&c, line, len, false) != NULL;
}
