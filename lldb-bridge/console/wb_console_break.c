/*
 * The console's breakpoint commands (wb_console.h): `break`, `tbreak`,
 * `watch`/`rwatch`/`awatch`, `delete`/`enable`/`disable`, `condition`,
 * `ignore`, `save breakpoints`, `info breakpoints`. The breakpoints
 * themselves are the session's.
 */
#define _GNU_SOURCE
#include "wb_console_impl.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first address a location (as `break` takes them) resolves to; false
 * after saying why there is none. */
bool resolve_first(cli *c, const char *spec, wb_code_off *pc)
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

void set_break(cli *c, const char *args, bool temporary)
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

void cmd_break(cli *c, const char *a, char f)
{
    (void)f;
    set_break(c, a, false);
}
void cmd_tbreak(cli *c, const char *a, char f)
{
    (void)f;
    set_break(c, a, true);
}

/* The C++ runtime's function a catchpoint stops in, per event. */
static const struct {
    const char *event, *function;
} catch_events[] = {
    {"throw", "__cxa_throw"},
    {"rethrow", "__cxa_rethrow"},
    {"catch", "__cxa_begin_catch"},
};

/* catch throw|rethrow|catch: gdb's catchpoints, as breakpoints on the C++
 * runtime's functions (libwdb-cxxabi.a's) marked as catchpoints */
void cmd_catch(cli *c, const char *args, char fmt)
{
    (void)fmt;
    args = skip_ws(args);
    size_t len = strcspn(args, " \t");
    if (!len) {
        error_line(c, "List of catch subcommands:\n\ncatch catch -- Catch an exception, when "
                      "caught.\ncatch rethrow -- Catch an exception, when rethrown.\ncatch "
                      "throw -- Catch an exception, when thrown.");
        return;
    }
    size_t k = 0;
    while (k < sizeof catch_events / sizeof catch_events[0] &&
           (strlen(catch_events[k].event) != len || strncmp(args, catch_events[k].event, len)))
        k++;
    if (k == sizeof catch_events / sizeof catch_events[0]) {
        error_line(c, "Undefined catch command: \"%.*s\".  Try \"help catch\".", (int)len, args);
        return;
    }
    if (*skip_ws(args + len)) {
        error_line(c, "catch %s with a type filter (REGEXP) is not supported",
                   catch_events[k].event);
        return;
    }
    if (!need_session(c)) return;
    const wb_bp *b;
    wb_error e;
    if (wb_session_break(c->s, catch_events[k].function, NULL, false, &b, &e) != WB_OK) {
        wb_bp_loc *locs;
        size_t n;
        if (wb_session_resolve(c->s, "__cxa_throw", NULL, &locs, &n, &e) == WB_OK) {
            free(locs); /* a runtime, but this part of it was not linked in */
            error_line(c, "The program has no %s (it never %ss an exception): nothing to catch",
                       catch_events[k].function, catch_events[k].event);
        } else {
            error_line(c,
                       "No C++ exception runtime in this program (no %s): catchpoints need one "
                       "(clang++ -fwasm-exceptions ... -lwdb-cxxabi)",
                       catch_events[k].function);
        }
        return;
    }
    wb_session_set_catch(c->s, b->number, catch_events[k].event, &e);
    out(c, "Catchpoint %d (%s)\n", b->number, catch_events[k].event);
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

void cmd_watch(cli *c, const char *a, char f)
{
    (void)f;
    set_watch(c, a, WB_BP_WATCH);
}
void cmd_rwatch(cli *c, const char *a, char f)
{
    (void)f;
    set_watch(c, a, WB_BP_RWATCH);
}
void cmd_awatch(cli *c, const char *a, char f)
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

void cmd_delete(cli *c, const char *a, char f)
{
    (void)f;
    each_bp(c, a, NULL, false);
}
void cmd_enable(cli *c, const char *a, char f)
{
    (void)f;
    each_bp(c, a, wb_session_enable, true);
}
void cmd_disable(cli *c, const char *a, char f)
{
    (void)f;
    each_bp(c, a, wb_session_enable, false);
}

void cmd_condition(cli *c, const char *args, char fmt)
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

void cmd_ignore(cli *c, const char *args, char fmt)
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
        if (b->catch_event)
            fprintf(f, "catch %s\n", b->catch_event);
        else
            fprintf(f, "%s %s\n",
                    b->type == WB_BP_BREAK && b->temporary ? "tbreak" : kinds[b->type], b->spec);
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

void cmd_save(cli *c, const char *args, char fmt)
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

void info_breakpoints(cli *c, bool watch_only)
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
        const char *type = b->catch_event            ? "catchpoint"
                           : b->type == WB_BP_BREAK  ? "breakpoint"
                           : b->type == WB_BP_WATCH  ? "hw watchpoint"
                           : b->type == WB_BP_RWATCH ? "read watchpoint"
                                                     : "acc watchpoint";
        out(c, "%-7d %-*s %-4s %-3s ", b->number, tw, type, b->temporary ? "del" : "keep",
            b->enabled ? "y" : "n");
        if (b->catch_event) {
            out(c, "%-10s exception %s\n", "", b->catch_event);
        } else if (b->type != WB_BP_BREAK) {
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
            out(c, "\t%s already hit %u time%s\n", b->catch_event ? "catchpoint" : "breakpoint",
                b->hits, b->hits == 1 ? "" : "s");
        if (b->ignore) out(c, "\tignore next %u hits\n", b->ignore); /* gdb 13's words */
        if (b->nlocs > 1 && !b->catch_event)
            for (size_t k = 0; k < b->nlocs; k++)
                out(c, "%d.%-5zu %-*s %-4s %-3s 0x%08x in %s at %s:%u\n", b->number, k + 1, tw, "",
                    "", b->enabled ? "y" : "n", b->locs[k].addr, b->locs[k].function,
                    show_file(c, b->locs[k].file), b->locs[k].line);
    }
}
