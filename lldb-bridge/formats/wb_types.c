/*
 * wb_types: helpers over the type model (see wb_types.h).
 *
 * The spelling follows gdb's C type printer (gdb/c-typeprint.c in
 * behaviour, checked against gdb 13.1's `whatis`): the base type first,
 * then the declarator built from the outside in, with a space between
 * them: "int *", "char [16]", "int (*)(int, char *)", "char * const",
 * "void (*[4])(void)", "struct {...} *".
 */
#include "wb_types.h"

#include "wb_sbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bounds the walk down a chain of types: malformed DWARF can make a
 * cycle (a pointer whose target is itself), which must not hang. */
#define WB_TYPE_MAX_DEPTH 64

const wb_type *wb_type_strip(const wb_type *t)
{
    for (int i = 0; t && i < WB_TYPE_MAX_DEPTH; i++) {
        if (t->kind != WB_TYPE_TYPEDEF && t->kind != WB_TYPE_CONST && t->kind != WB_TYPE_VOLATILE)
            return t;
        t = t->target;
    }
    return t && (t->kind == WB_TYPE_TYPEDEF || t->kind == WB_TYPE_CONST ||
                 t->kind == WB_TYPE_VOLATILE)
               ? NULL
               : t;
}

const wb_type *wb_type_strip_cv(const wb_type *t)
{
    for (int i = 0; t && i < WB_TYPE_MAX_DEPTH; i++) {
        if (t->kind != WB_TYPE_CONST && t->kind != WB_TYPE_VOLATILE) return t;
        t = t->target;
    }
    return t && (t->kind == WB_TYPE_CONST || t->kind == WB_TYPE_VOLATILE) ? NULL : t;
}

static uint64_t mul_sat(uint64_t a, uint64_t b)
{
    if (a && b > UINT64_MAX / a) return UINT64_MAX;
    return a * b;
}

static uint64_t size_at(const wb_type *t, int depth)
{
    t = wb_type_strip(t);
    if (!t || depth > WB_TYPE_MAX_DEPTH) return 0;
    switch (t->kind) {
    case WB_TYPE_ARRAY: {
        uint64_t n = 1;
        if (t->ndims == 0) return t->size;
        for (size_t i = 0; i < t->ndims; i++)
            n = mul_sat(n, t->dims[i]);
        if (n == 0) return 0;
        uint64_t el = size_at(t->target, depth + 1);
        /* DWARF may give the array a byte size of its own (and an element
         * type without one): trust it then. */
        if (el == 0) return t->size;
        return mul_sat(n, el);
    }
    case WB_TYPE_POINTER:
    case WB_TYPE_REFERENCE: return t->size ? t->size : 4;
    case WB_TYPE_ENUM:
        if (t->size == 0 && t->target) return size_at(t->target, depth + 1);
        return t->size;
    case WB_TYPE_VOID:
    case WB_TYPE_FUNCTION: return 0;
    default: return t->size;
    }
}

uint64_t wb_type_size(const wb_type *t)
{
    return size_at(t, 0);
}

/* ------------------------------------------------------------- spelling */

static void spell_into(const wb_type *t, wb_sbuf *decl, int depth, bool expand);

/* The base part: "int", "struct point", "const char", "struct {...}". */
static void base_name(const wb_type *t, wb_sbuf *out)
{
    const char *n = t ? (t->qualified_name ? t->qualified_name : t->name) : NULL;
    const char *kw = NULL;
    if (!t) {
        wb_sb_add(out, "void");
        return;
    }
    switch (t->kind) {
    case WB_TYPE_VOID: wb_sb_add(out, n ? n : "void"); return;
    case WB_TYPE_STRUCT: kw = t->is_class ? "class" : "struct"; break;
    case WB_TYPE_UNION: kw = "union"; break;
    case WB_TYPE_ENUM: kw = "enum"; break;
    default: wb_sb_add(out, n ? n : "<unknown type>"); return;
    }
    /* C++ classes print without the keyword, as gdb does in C++ mode. */
    if (t->is_class && n) {
        wb_sb_add(out, n);
        return;
    }
    wb_sb_add(out, kw);
    wb_sb_add(out, " ");
    wb_sb_add(out, n ? n : "{...}");
}

static void add_params(const wb_type *f, wb_sbuf *decl, int depth)
{
    wb_sb_add(decl, "(");
    for (size_t i = 0; i < f->nparams; i++) {
        wb_sbuf p = {0};
        if (i) wb_sb_add(decl, ", ");
        spell_into(f->params ? f->params[i] : NULL, &p, depth + 1, false);
        if (p.oom)
            decl->oom = true;
        else if (p.s)
            wb_sb_add(decl, p.s);
        free(p.s);
    }
    if (f->varargs)
        wb_sb_add(decl, f->nparams ? ", ..." : "...");
    else if (f->nparams == 0 && !f->no_prototype)
        wb_sb_add(decl, "void");
    wb_sb_add(decl, ")");
}

/* Spells `t` around the declarator already in `decl` (the name, or what
 * the enclosing types made of it) and leaves the whole in `decl`; with
 * `expand`, typedefs of anything but a struct, union or enum are seen
 * through (as ptype does). */
static void spell_into(const wb_type *t, wb_sbuf *decl, int depth, bool expand)
{
    bool is_const = false, is_volatile = false;
    for (;;) {
        if (depth++ > WB_TYPE_MAX_DEPTH) {
            wb_sb_prepend(decl, decl->len ? "<type too deep> " : "<type too deep>");
            return;
        }
        if (expand && t && t->kind == WB_TYPE_TYPEDEF) {
            const wb_type *s = wb_type_strip(t);
            if (s && s->kind != WB_TYPE_STRUCT && s->kind != WB_TYPE_UNION &&
                s->kind != WB_TYPE_ENUM) {
                t = t->target;
                continue;
            }
        }
        if (t && (t->kind == WB_TYPE_CONST || t->kind == WB_TYPE_VOLATILE)) {
            if (t->kind == WB_TYPE_CONST)
                is_const = true;
            else
                is_volatile = true;
            t = t->target;
            continue;
        }
        if (t && (t->kind == WB_TYPE_POINTER || t->kind == WB_TYPE_REFERENCE)) {
            const char *op = t->kind == WB_TYPE_POINTER ? "*" : "&";
            /* A qualified pointer: "char * const p", "int * const *". */
            if (is_const || is_volatile) {
                if (decl->len) wb_sb_prepend(decl, " ");
                if (is_volatile) wb_sb_prepend(decl, " volatile");
                if (is_const) wb_sb_prepend(decl, " const");
                is_const = is_volatile = false;
            }
            wb_sb_prepend(decl, op);
            const wb_type *tt = expand ? wb_type_strip(t->target) : wb_type_strip_cv(t->target);
            if (tt && (tt->kind == WB_TYPE_ARRAY || tt->kind == WB_TYPE_FUNCTION)) {
                wb_sb_prepend(decl, "(");
                wb_sb_add(decl, ")");
            }
            t = t->target;
            continue;
        }
        if (t && t->kind == WB_TYPE_ARRAY && t->vector && t->ndims == 1) {
            /* gdb counts elements where GCC's attribute counts bytes */
            wb_sb_addf(decl, " __attribute__ ((vector_size(%llu)))",
                       (unsigned long long)t->dims[0]);
            t = t->target;
            continue;
        }
        if (t && t->kind == WB_TYPE_ARRAY) {
            char n[32];
            if (t->ndims == 0) wb_sb_add(decl, "[]");
            for (size_t i = 0; i < t->ndims; i++) {
                if (t->dims[i])
                    snprintf(n, sizeof n, "[%llu]", (unsigned long long)t->dims[i]);
                else
                    snprintf(n, sizeof n, "[]");
                wb_sb_add(decl, n);
            }
            t = t->target;
            continue;
        }
        if (t && t->kind == WB_TYPE_FUNCTION) {
            add_params(t, decl, depth);
            t = t->target;
            continue;
        }
        break;
    }
    wb_sbuf base = {0};
    if (is_const) wb_sb_add(&base, "const ");
    if (is_volatile) wb_sb_add(&base, "volatile ");
    base_name(t, &base);
    if (decl->len && decl->s[0] != ' ') wb_sb_add(&base, " ");
    if (base.oom) {
        decl->oom = true;
        free(base.s);
        return;
    }
    wb_sb_prepend(decl, base.s ? base.s : "");
    free(base.s);
}

/* A type from Rust as gdb's Rust mode spells it: pointers and references
 * as "*mut T" (DWARF does not say which of & / &mut / *const / *mut),
 * arrays "[T; N]", functions "fn (A, B) -> R", others by their qualified
 * name ("values::Point", "core::option::Option<i32>", "&[i32]"). */
static void spell_rust(const wb_type *t, const char *name, wb_sbuf *out, int depth)
{
    if (depth > WB_TYPE_MAX_DEPTH) {
        wb_sb_add(out, "<type too deep>");
        return;
    }
    t = wb_type_strip_cv(t);
    if (!t || t->kind == WB_TYPE_VOID) {
        wb_sb_add(out, "()");
        return;
    }
    switch (t->kind) {
    case WB_TYPE_POINTER:
    case WB_TYPE_REFERENCE:
        wb_sb_add(out, "*mut ");
        spell_rust(t->target, NULL, out, depth + 1);
        return;
    case WB_TYPE_ARRAY:
        for (size_t i = 0; i < t->ndims; i++)
            wb_sb_add(out, "[");
        spell_rust(t->target, NULL, out, depth + 1);
        for (size_t i = t->ndims; i-- > 0;)
            wb_sb_addf(out, "; %llu]", (unsigned long long)t->dims[i]);
        return;
    case WB_TYPE_FUNCTION:
        wb_sb_add(out, name ? "fn " : "fn (");
        if (name) wb_sb_addf(out, "%s(", name);
        for (size_t i = 0; i < t->nparams; i++) {
            if (i) wb_sb_add(out, ", ");
            spell_rust(t->params ? t->params[i] : NULL, NULL, out, depth + 1);
        }
        wb_sb_add(out, ")");
        if (t->target && wb_type_strip(t->target) &&
            wb_type_strip(t->target)->kind != WB_TYPE_VOID) {
            wb_sb_add(out, " -> ");
            spell_rust(t->target, NULL, out, depth + 1);
        }
        return;
    default: {
        const char *n = t->qualified_name ? t->qualified_name : t->name;
        wb_sb_add(out, n ? n : "<unknown type>");
        return;
    }
    }
}

static size_t spell(const wb_type *t, const char *name, char *buf, size_t cap, bool expand)
{
    wb_sbuf d = {0};
    const wb_type *st = wb_type_strip_cv(t);
    if (st && st->rust) {
        spell_rust(t, name, &d, 0);
        if (name && st->kind != WB_TYPE_FUNCTION) wb_sb_addf(&d, " %s", name);
    } else {
        if (name) wb_sb_add(&d, name);
        spell_into(t, &d, 0, expand);
    }
    const char *s = d.oom || !d.s ? "" : d.s;
    size_t n = strlen(s);
    if (cap) {
        size_t k = n < cap - 1 ? n : cap - 1;
        memcpy(buf, s, k);
        buf[k] = 0;
    }
    free(d.s);
    return n;
}

size_t wb_type_spell(const wb_type *t, const char *name, char *buf, size_t cap)
{
    return spell(t, name, buf, cap, false);
}

size_t wb_type_spell_expanded(const wb_type *t, const char *name, char *buf, size_t cap)
{
    return spell(t, name, buf, cap, true);
}

static bool rust_tuple_like(const wb_type *s)
{
    return s->nmembers > 0 && s->members[0].name && strcmp(s->members[0].name, "__0") == 0;
}

/* The fields of a struct as a variant shows them in a body: "(T, U)" for
 * tuple fields, "{a: T, b: U}" for named ones, nothing for none. */
static void rust_variant_fields(const wb_type *vs, wb_sbuf *out)
{
    if (!vs || vs->nmembers == 0) return;
    bool tuple = rust_tuple_like(vs);
    wb_sb_add(out, tuple ? "(" : "{");
    for (size_t i = 0; i < vs->nmembers; i++) {
        if (i) wb_sb_add(out, ", ");
        if (!tuple) wb_sb_addf(out, "%s: ", vs->members[i].name ? vs->members[i].name : "?");
        spell_rust(vs->members[i].type, NULL, out, 1);
    }
    wb_sb_add(out, tuple ? ")" : "}");
}

char *wb_type_rust_ptype(const wb_type *t)
{
    wb_sbuf o = {0};
    const wb_type *s = wb_type_strip(t);
    const char *name = s ? (s->qualified_name ? s->qualified_name : s->name) : NULL;
    if (s && s->kind == WB_TYPE_STRUCT && s->has_variants) {
        wb_sb_addf(&o, "enum %s {\n", name ? name : "?");
        for (size_t i = 0; i < s->nvariants; i++) {
            const wb_variant *va = &s->variants[i];
            wb_sb_addf(&o, "  %s", va->member.name ? va->member.name : "?");
            rust_variant_fields(wb_type_strip(va->member.type), &o);
            wb_sb_add(&o, ",\n");
        }
        wb_sb_add(&o, "}");
    } else if (s && (s->kind == WB_TYPE_STRUCT || s->kind == WB_TYPE_UNION) && name &&
               name[0] != '(') {
        bool tuple = rust_tuple_like(s);
        wb_sb_addf(&o, "%s %s %s\n", s->kind == WB_TYPE_UNION ? "union" : "struct", name,
                   tuple ? "(" : "{");
        for (size_t i = 0; i < s->nmembers; i++) {
            wb_sb_add(&o, "  ");
            if (!tuple) wb_sb_addf(&o, "%s: ", s->members[i].name ? s->members[i].name : "?");
            spell_rust(s->members[i].type, NULL, &o, 1);
            wb_sb_add(&o, ",\n");
        }
        wb_sb_add(&o, tuple ? ")" : "}");
    } else {
        spell_rust(t, NULL, &o, 0);
    }
    if (o.oom) {
        free(o.s);
        return NULL;
    }
    return wb_sb_take(&o);
}
