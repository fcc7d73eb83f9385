/*
 * The console's commands about values, memory and code (wb_console.h):
 * `print`, `output`, `call`, `ptype`, `whatis`, `display`/`undisplay`,
 * `x`, `list`, `disassemble`, `echo`, `printf`.
 */
#define _GNU_SOURCE
#include "wb_console_impl.h"

#include "wb_disasm.h"
#include "wb_sbuf.h"
#include "wb_printf.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* print[/FMT] EXPR: "$N = VALUE" */
void cmd_print(cli *c, const char *args, char fmt)
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

void cmd_output(cli *c, const char *args, char fmt)
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

void cmd_call(cli *c, const char *args, char fmt)
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
        if (expand)
            wb_type_spell_expanded(s, NULL, buf, sizeof buf);
        else
            wb_type_spell(t, NULL, buf, sizeof buf);
        out(c, "type = %s\n", buf);
    }
    if (have_v) wb_value_free(&v);
}

void cmd_ptype(cli *c, const char *a, char f)
{
    (void)f;
    type_command(c, a, true);
}
void cmd_whatis(cli *c, const char *a, char f)
{
    (void)f;
    type_command(c, a, false);
}

void cmd_display(cli *c, const char *args, char fmt)
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

void cmd_undisplay(cli *c, const char *args, char fmt)
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

void cmd_x(cli *c, const char *args, char fmt_unused)
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
void cmd_list(cli *c, const char *args, char fmt)
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

void cmd_disassemble(cli *c, const char *args, char fmt)
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
void cmd_echo(cli *c, const char *args, char fmt)
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
void cmd_printf(cli *c, const char *args, char fmt)
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
