/*
 * The console's commands that load and run programs (wb_console.h):
 * `file`, `run`/`start`/`starti`, `continue`/`next`/`step`/... (the
 * session's run control), `target remote`, `kill`, `detach`, core files
 * and `gcore`; and how a stop is reported, as gdb words it (with the
 * displays, and --annotate=github's line).
 */
#define _GNU_SOURCE
#include "wb_console_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void do_displays(cli *c)
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
        const wb_bp *b = wb_session_bp_by_number(c->s, st->bp);
        if (b && b->catch_event) {
            const char *ev = b->catch_event;
            out(c, "\nCatchpoint %d (exception %s), ", st->bp,
                strcmp(ev, "throw") == 0     ? "thrown"
                : strcmp(ev, "rethrow") == 0 ? "rethrown"
                                             : "caught");
            show_frame(c, 0, false, true);
            break;
        }
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
        char *cxx = !panic && strncmp(msg, "uncaught exception", 18) == 0
                        ? wb_session_cxx_uncaught(c->s)
                        : NULL;
        if (panic)
            out(c, "\nProgram panicked%s (Wasm trap: %s).\n", panic, msg);
        else
            out(c, "\nProgram stopped by a Wasm trap: %s.\n", msg);
        /* a C++ exception no handler took: what libstdc++'s terminate
         * handler would say, and where it was thrown */
        if (cxx) out(c, "The uncaught C++ exception: an instance of %s.\n", cxx);
        free(cxx);
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
    case WB_WHY_NO_HISTORY:
        out(c, "\nNo more reverse-execution history.\n");
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

void resume(cli *c, wb_run how, const char *where)
{
    resume_dir(c, how, false, where);
}

void resume_dir(cli *c, wb_run how, bool reverse, const char *where)
{
    if (!need_stopped(c)) return;
    wb_stop st;
    wb_error e;
    fflush(c->out);
    if (c->poll) c->poll(c->poll_user); /* a Ctrl-C while stopped is spent */
    c->insn_step = how == WB_RUN_STEPI || how == WB_RUN_NEXTI;
    if (wb_session_resume_dir(c->s, how, reverse, c->frame, where, &st, &e) != WB_OK) {
        error_line(c, "%s", e.msg);
        if (wb_session_state(c->s) != WB_PROC_STOPPED) c->frame = 0;
        return;
    }
    report_stop(c, &st);
    if (reverse) {
        wb_stop_free(&st); /* reverse-finish: no value (gdb prints none) */
        return;
    }
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

void cmd_run(cli *c, const char *args, char fmt)
{
    (void)fmt;
    set_program_args(c, args);
    start_program(c, false);
}

void cmd_starti(cli *c, const char *args, char fmt)
{
    (void)fmt;
    set_program_args(c, args);
    start_program(c, true);
}

void cmd_start(cli *c, const char *args, char fmt)
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

unsigned count_arg(cli *c, const char *args, bool *ok)
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

static void repeat_run_dir(cli *c, const char *args, wb_run how, bool reverse)
{
    bool ok;
    unsigned n = count_arg(c, args, &ok);
    if (!ok) return;
    for (unsigned i = 0; i < n; i++) {
        if (!need_stopped(c)) return;
        c->last_failed = false;
        resume_dir(c, how, reverse, NULL);
        if (c->last_failed || wb_session_state(c->s) != WB_PROC_STOPPED) return;
    }
}

static void repeat_run(cli *c, const char *args, wb_run how)
{
    repeat_run_dir(c, args, how, false);
}

/* What gdb says of an ignore count set (`ignore`, `continue N`), without
 * the end of the line. */
void say_ignore(cli *c, int bp, unsigned long count)
{
    if (count == 0)
        out(c, "Will stop next time breakpoint %d is reached.", bp);
    else if (count == 1)
        out(c, "Will ignore next crossing of breakpoint %d.", bp);
    else
        out(c, "Will ignore next %lu crossings of breakpoint %d.", count, bp);
}

void cmd_continue(cli *c, const char *args, char fmt)
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

void cmd_next(cli *c, const char *a, char f)
{
    (void)f;
    repeat_run(c, a, WB_RUN_NEXT);
}
void cmd_step(cli *c, const char *a, char f)
{
    (void)f;
    repeat_run(c, a, WB_RUN_STEP);
}
void cmd_stepi(cli *c, const char *a, char f)
{
    (void)f;
    repeat_run(c, a, WB_RUN_STEPI);
}
void cmd_nexti(cli *c, const char *a, char f)
{
    (void)f;
    repeat_run(c, a, WB_RUN_NEXTI);
}

void cmd_finish(cli *c, const char *args, char fmt)
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

/* gdb's reverse execution commands: the same run control backward (the
 * stub's bs/bc; wb_session_resume_dir). gdb's refusal, before anything is
 * sent, when the target cannot run backward. */
static bool need_reverse(cli *c)
{
    if (!need_stopped(c)) return false;
    if (wb_session_can_reverse(c->s)) return true;
    error_line(c, "Target does not support this command.");
    return false;
}

void cmd_reverse_step(cli *c, const char *a, char f)
{
    (void)f;
    if (need_reverse(c)) repeat_run_dir(c, a, WB_RUN_STEP, true);
}
void cmd_reverse_next(cli *c, const char *a, char f)
{
    (void)f;
    if (need_reverse(c)) repeat_run_dir(c, a, WB_RUN_NEXT, true);
}
void cmd_reverse_stepi(cli *c, const char *a, char f)
{
    (void)f;
    if (need_reverse(c)) repeat_run_dir(c, a, WB_RUN_STEPI, true);
}
void cmd_reverse_nexti(cli *c, const char *a, char f)
{
    (void)f;
    if (need_reverse(c)) repeat_run_dir(c, a, WB_RUN_NEXTI, true);
}

void cmd_reverse_continue(cli *c, const char *args, char fmt)
{
    (void)args;
    (void)fmt;
    if (!need_reverse(c)) return;
    if (c->from_tty) out(c, "Continuing.\n");
    resume_dir(c, WB_RUN_CONTINUE, true, NULL);
}

void cmd_reverse_finish(cli *c, const char *args, char fmt)
{
    (void)args;
    (void)fmt;
    if (!need_reverse(c)) return;
    if (c->frame + 1 >= wb_session_frame_count(c->s)) {
        error_line(c, "\"finish\" not meaningful in the outermost frame.");
        return;
    }
    if (c->from_tty) {
        out(c, "Run back to call of ");
        print_frame_line(c, c->frame, true);
    }
    resume_dir(c, WB_RUN_FINISH, true, NULL);
}

void cmd_until(cli *c, const char *args, char fmt)
{
    (void)fmt;
    args = skip_ws(args);
    resume(c, WB_RUN_UNTIL, *args ? args : NULL);
}

void cmd_advance(cli *c, const char *args, char fmt)
{
    (void)fmt;
    args = skip_ws(args);
    if (!*args) {
        error_line(c, "Argument required (a location).");
        return;
    }
    resume(c, WB_RUN_ADVANCE, args);
}

void cmd_target(cli *c, const char *args, char fmt)
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

void cmd_kill(cli *c, const char *args, char fmt)
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

void cmd_detach(cli *c, const char *args, char fmt)
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

/* Shows a core file as gdb does: what made it, why it ended, where. */
void open_core(cli *c, const char *path)
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

void cmd_core_file(cli *c, const char *args, char fmt)
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
void cmd_gcore(cli *c, const char *args, char fmt)
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

void cli_load(cli *c, const char *path)
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
    if (c->poll) wb_session_set_poll(c->s, c->poll, c->poll_user);
    if (c->log) wb_session_set_log(c->s, c->log);
    out(c, "Reading symbols from %s...\n", path);
    if (note) out(c, "(%s)\n", note);
    c->list_file = NULL;
}

void cmd_file(cli *c, const char *args, char fmt)
{
    (void)fmt;
    args = skip_ws(args);
    if (!*args) {
        error_line(c, "Argument required (a .wasm file).");
        return;
    }
    cli_load(c, args);
}
