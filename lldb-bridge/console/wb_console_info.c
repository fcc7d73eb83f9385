/*
 * The console's commands about the stack and the program
 * (wb_console.h): `backtrace`, `frame`/`up`/`down`, and `info` (locals,
 * args, frame, source, line, display, sources, program, symbols,
 * functions/variables/types, scope, address, symbol, sharedlibrary,
 * registers, threads), with `rbreak`, which shares the symbol search.
 */
#define _GNU_SOURCE
#include "wb_console_impl.h"

#include "wb_loc.h"
#include "wb_sbuf.h"

#include <errno.h>
#include <inttypes.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cmd_backtrace(cli *c, const char *args, char fmt)
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

void cmd_frame(cli *c, const char *args, char fmt)
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

void cmd_up(cli *c, const char *args, char fmt)
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

void cmd_down(cli *c, const char *args, char fmt)
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

/* info record: the history the stub keeps for going back (gdb's command;
 * its answer when nothing is recorded). */
static void info_record(cli *c)
{
    wb_rsp_history h;
    if (!c->s || !wb_session_history(c->s, &h)) {
        out(c, "No recording is currently active.\n");
        return;
    }
    out(c, "Active record target: wdb-run (snapshots, host calls replayed).\n");
    out(c, "Snapshots: %llu, holding %llu bytes of at most %llu (wdb-run --history-limit).\n",
        h.snapshots, h.bytes, h.limit);
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
void cmd_rbreak(cli *c, const char *args, char fmt)
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

void cmd_info(cli *c, const char *args, char fmt)
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
                {"sharedlibrary", 2}, {"registers", 1},   {"threads", 2},   {"record", 3}};
    if (len == 0) {
        error_line(c, "List of info subcommands:\n\ninfo address, info args, info breakpoints, "
                      "info display, info frame, info functions, info line, info locals, "
                      "info program, info record, info registers, info scope, info sharedlibrary, "
                      "info source, "
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
        case 19: info_record(c); return;
        }
    }
    error_line(c, "Undefined info command: \"%.*s\".  Try \"help info\".", (int)len, args);
}
