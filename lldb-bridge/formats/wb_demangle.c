/*
 * Rust symbol demangling (wb_demangle.h). Written from the two schemes'
 * definitions: the legacy one (an Itanium-style nested name of
 * length-prefixed components, `$`-escapes, a trailing `h<16 hex>` hash)
 * and v0 (RFC 2603: a prefix grammar with base-62 numbers and back
 * references). Both parsers are bounded: they read only up to the NUL,
 * recurse at most MAX_DEPTH deep and follow a back reference only to an
 * earlier position, so a hostile name cannot loop or overflow.
 */
#include "wb_demangle.h"

#include <ctype.h>

#include <stdint.h>
#include <string.h>

enum { MAX_DEPTH = 64 };

/* ---------------------------------------------------------------- output */

typedef struct out {
    char *buf;
    size_t cap, len;
    bool full;
} out;

static void put_n(out *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n && !o->full; i++) {
        if (o->len + 4 >= o->cap) { /* room for "..." and the NUL */
            memcpy(o->buf + o->len, "...", 3);
            o->len += 3;
            o->full = true;
            break;
        }
        o->buf[o->len++] = s[i];
    }
}

static void put(out *o, const char *s)
{
    put_n(o, s, strlen(s));
}

static void put_u64(out *o, uint64_t v)
{
    char b[24];
    size_t n = sizeof b;
    do {
        b[--n] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    put_n(o, b + n, sizeof b - n);
}

/* ---------------------------------------------------------------- legacy */

/* One `$...$` escape of the legacy scheme at s (past the first `$`):
 * its character, *used the bytes up to and including the closing `$`;
 * 0 when it is not one. */
static char legacy_escape(const char *s, size_t n, size_t *used)
{
    static const struct {
        const char *code;
        char c;
    } esc[] = {{"SP", '@'}, {"BP", '*'}, {"RF", '&'}, {"LT", '<'},
               {"GT", '>'}, {"LP", '('}, {"RP", ')'}, {"C", ','}};
    const char *end = memchr(s, '$', n);
    if (!end) return 0;
    size_t k = (size_t)(end - s);
    *used = k + 1;
    for (size_t i = 0; i < sizeof esc / sizeof esc[0]; i++)
        if (strlen(esc[i].code) == k && memcmp(s, esc[i].code, k) == 0) return esc[i].c;
    /* $uXX$: a character by its hex code */
    if (k >= 2 && k <= 3 && s[0] == 'u') {
        unsigned v = 0;
        for (size_t i = 1; i < k; i++) {
            char c = s[i];
            v = v * 16 + (unsigned)(c >= '0' && c <= '9'   ? c - '0'
                                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                                           : 99);
            if (v > 0x7f) return 0;
        }
        return v >= 0x20 ? (char)v : 0;
    }
    return 0;
}

static bool is_hash(const char *s, size_t n)
{
    if (n != 17 || s[0] != 'h') return false;
    for (size_t i = 1; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return false;
    return true;
}

static bool legacy(const char *p, out *o)
{
    if (p[0] == '_' && p[1] == 'Z' && p[2] == 'N')
        p += 3;
    else if (p[0] == 'Z' && p[1] == 'N')
        p += 2;
    else
        return false;
    /* check the whole name first, then print: no output for a bad one */
    size_t ncomp = 0;
    const char *q = p;
    while (*q != 'E') {
        if (*q < '0' || *q > '9') return false;
        size_t n = 0;
        while (*q >= '0' && *q <= '9') {
            n = n * 10 + (size_t)(*q++ - '0');
            if (n > 4096) return false;
        }
        if (n == 0 || strnlen(q, n) < n) return false;
        q += n;
        ncomp++;
    }
    if (ncomp == 0) return false;
    bool first = true;
    for (size_t c = 0; c < ncomp; c++) {
        size_t n = 0;
        while (*p >= '0' && *p <= '9')
            n = n * 10 + (size_t)(*p++ - '0');
        const char *s = p;
        p += n;
        if (c == ncomp - 1 && ncomp > 1 && is_hash(s, n)) break;
        if (!first) put(o, "::");
        first = false;
        if (n >= 2 && s[0] == '_' && s[1] == '$') s++, n--;
        for (size_t i = 0; i < n;) {
            size_t used;
            char ch;
            if (s[i] == '$' && (ch = legacy_escape(s + i + 1, n - i - 1, &used))) {
                put_n(o, &ch, 1);
                i += 1 + used;
            } else if (s[i] == '.' && i + 1 < n && s[i + 1] == '.') {
                put(o, "::");
                i += 2;
            } else {
                put_n(o, s + i, 1);
                i++;
            }
        }
    }
    return true;
}

/* -------------------------------------------------------------------- v0 */

typedef struct v0 {
    const char *s; /* past "_R" */
    size_t len, pos;
    int depth;
    bool bad;
    out *o;
} v0;

static char peek(const v0 *p)
{
    return p->pos < p->len ? p->s[p->pos] : 0;
}

static bool eat(v0 *p, char c)
{
    if (peek(p) != c) return false;
    p->pos++;
    return true;
}

static void fail(v0 *p)
{
    p->bad = true;
}

/* <base-62-number>: {0-9a-zA-Z} "_", the value plus one ("_" alone: 0) */
static uint64_t base62(v0 *p)
{
    if (eat(p, '_')) return 0;
    uint64_t v = 0;
    for (;;) {
        char c = peek(p);
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'z')
            d = 10u + (unsigned)(c - 'a');
        else if (c >= 'A' && c <= 'Z')
            d = 36u + (unsigned)(c - 'A');
        else if (c == '_')
            break;
        else {
            fail(p);
            return 0;
        }
        p->pos++;
        if (v > (UINT64_MAX - d) / 62) {
            fail(p);
            return 0;
        }
        v = v * 62 + d;
    }
    p->pos++; /* '_' */
    return v + 1;
}

static uint64_t decimal(v0 *p)
{
    uint64_t v = 0;
    if (peek(p) < '0' || peek(p) > '9') {
        fail(p);
        return 0;
    }
    if (peek(p) == '0') { /* no leading zeros */
        p->pos++;
        return 0;
    }
    while (peek(p) >= '0' && peek(p) <= '9') {
        v = v * 10 + (uint64_t)(p->s[p->pos++] - '0');
        if (v > p->len) {
            fail(p);
            return 0;
        }
    }
    return v;
}

/* <const-data>'s digits: {hex digit} "_" (the sign, "n", comes before) */
static uint64_t const_data(v0 *p)
{
    uint64_t v = 0;
    while (!p->bad && !eat(p, '_')) {
        char c = peek(p);
        unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                                            : 99;
        if (d > 15) {
            fail(p);
            return 0;
        }
        p->pos++;
        v = v * 16 + d;
    }
    return v;
}

/* <undisambiguated-identifier>: ["u"] <decimal> ["_"] <bytes>; punycode
 * identifiers ("u") are shown as they are encoded, in `punycode{...}`. */
static void ident(v0 *p, const char **s, size_t *n, bool *puny)
{
    *puny = eat(p, 'u');
    uint64_t len = decimal(p);
    eat(p, '_');
    if (p->bad || len > p->len - p->pos) {
        fail(p);
        *s = "";
        *n = 0;
        return;
    }
    *s = p->s + p->pos;
    *n = (size_t)len;
    p->pos += (size_t)len;
}

static void put_ident(v0 *p, const char *s, size_t n, bool puny)
{
    if (puny) put(p->o, "punycode{");
    put_n(p->o, s, n);
    if (puny) put(p->o, "}");
}

static void path(v0 *p, bool in_value);
static void type(v0 *p);

/* Runs fn at the back reference's position, then resumes here. */
static void backref(v0 *p, void (*fn)(v0 *), size_t start)
{
    uint64_t at = base62(p);
    if (p->bad || at >= start) { /* only backwards: no loops */
        fail(p);
        return;
    }
    size_t saved = p->pos;
    p->pos = (size_t)at;
    fn(p);
    p->pos = saved;
}

/* Parses what fn parses without printing it. */
static void skip(v0 *p, void (*fn)(v0 *))
{
    out *saved = p->o;
    char scratch[64];
    out tmp = {scratch, sizeof scratch, 0, false};
    p->o = &tmp;
    fn(p);
    p->o = saved;
}

static bool enter(v0 *p)
{
    if (++p->depth > MAX_DEPTH) {
        fail(p);
        return false;
    }
    return true;
}

static void path_value(v0 *p)
{
    path(p, true);
}

static void path_type(v0 *p)
{
    path(p, false);
}

static void lifetime_skip(v0 *p)
{
    if (eat(p, 'L')) base62(p);
}

static void generic_args(v0 *p)
{
    bool first = true;
    while (!p->bad && !eat(p, 'E')) {
        if (peek(p) == 0) {
            fail(p);
            return;
        }
        if (peek(p) == 'L') { /* lifetimes are not shown */
            lifetime_skip(p);
            continue;
        }
        if (!first) put(p->o, ", ");
        first = false;
        if (eat(p, 'K')) {
            /* const generic: <type> <const-data>, "p" or a back reference */
            if (eat(p, 'p')) {
                put(p->o, "_");
            } else {
                skip(p, type); /* its type: not shown */
                bool neg = eat(p, 'n');
                uint64_t v = const_data(p);
                if (p->bad) return;
                if (neg) put(p->o, "-");
                put_u64(p->o, v);
            }
        } else {
            type(p);
        }
    }
}

/* <path>; in_value: generic arguments print as `::<...>` (a value path),
 * else `<...>` (a type). */
static void path(v0 *p, bool in_value)
{
    size_t start = p->pos;
    if (!enter(p)) return;
    char c = peek(p);
    p->pos++;
    switch (c) {
    case 'C': { /* crate root: its name, without the disambiguator */
        const char *s;
        size_t n;
        bool puny;
        if (eat(p, 's')) base62(p);
        ident(p, &s, &n, &puny);
        put_ident(p, s, n, puny);
        break;
    }
    case 'N': { /* nested: namespace, parent path, identifier */
        char ns = peek(p);
        p->pos++;
        if (!((ns >= 'A' && ns <= 'Z') || (ns >= 'a' && ns <= 'z'))) {
            fail(p);
            break;
        }
        path(p, in_value);
        uint64_t dis = 0;
        if (eat(p, 's')) dis = base62(p);
        const char *s;
        size_t n;
        bool puny;
        ident(p, &s, &n, &puny);
        if (ns >= 'A' && ns <= 'Z') {
            /* special namespaces: {closure#N}, {shim:NAME#N}, ... */
            put(p->o, "::{");
            if (ns == 'C')
                put(p->o, "closure");
            else if (ns == 'S')
                put(p->o, "shim");
            else
                put_n(p->o, &ns, 1);
            if (n) {
                put(p->o, ":");
                put_ident(p, s, n, puny);
            }
            put(p->o, "#");
            put_u64(p->o, dis);
            put(p->o, "}");
        } else if (n) {
            put(p->o, "::");
            put_ident(p, s, n, puny);
        }
        break;
    }
    case 'M': /* <T>: an inherent impl */
        if (eat(p, 's')) base62(p);
        skip(p, path_type); /* the impl's own path is not shown */
        put(p->o, "<");
        type(p);
        put(p->o, ">");
        break;
    case 'X': /* <T as Trait>: a trait impl */
        if (eat(p, 's')) base62(p);
        skip(p, path_type);
        put(p->o, "<");
        type(p);
        put(p->o, " as ");
        path(p, false);
        put(p->o, ">");
        break;
    case 'Y': /* <T as Trait>: a trait definition */
        put(p->o, "<");
        type(p);
        put(p->o, " as ");
        path(p, false);
        put(p->o, ">");
        break;
    case 'I': /* generic arguments */
        path(p, in_value);
        put(p->o, in_value ? "::<" : "<");
        generic_args(p);
        put(p->o, ">");
        break;
    case 'B': backref(p, in_value ? path_value : path_type, start); break;
    default: fail(p);
    }
    p->depth--;
}

static const char *basic_type(char c)
{
    switch (c) {
    case 'a': return "i8";
    case 'b': return "bool";
    case 'c': return "char";
    case 'd': return "f64";
    case 'e': return "str";
    case 'f': return "f32";
    case 'h': return "u8";
    case 'i': return "isize";
    case 'j': return "usize";
    case 'l': return "i32";
    case 'm': return "u32";
    case 'n': return "i128";
    case 'o': return "u128";
    case 's': return "i16";
    case 't': return "u16";
    case 'u': return "()";
    case 'v': return "...";
    case 'x': return "i64";
    case 'y': return "u64";
    case 'z': return "!";
    case 'p': return "_";
    default: return NULL;
    }
}

static void type_list(v0 *p, const char *sep)
{
    bool first = true;
    while (!p->bad && !eat(p, 'E')) {
        if (peek(p) == 0) {
            fail(p);
            return;
        }
        if (!first) put(p->o, sep);
        first = false;
        type(p);
    }
}

static void type(v0 *p)
{
    size_t start = p->pos;
    if (!enter(p)) return;
    char c = peek(p);
    const char *b = basic_type(c);
    if (b) {
        p->pos++;
        put(p->o, b);
        p->depth--;
        return;
    }
    switch (c) {
    case 'A': /* [T; N] */
        p->pos++;
        put(p->o, "[");
        type(p);
        put(p->o, "; ");
        if (eat(p, 'p')) {
            put(p->o, "_");
        } else {
            skip(p, type); /* the length's type, usize: not shown */
            uint64_t v = const_data(p);
            if (!p->bad) put_u64(p->o, v);
        }
        put(p->o, "]");
        break;
    case 'S': /* [T] */
        p->pos++;
        put(p->o, "[");
        type(p);
        put(p->o, "]");
        break;
    case 'R': /* &T */
    case 'Q': /* &mut T */
        p->pos++;
        put(p->o, c == 'R' ? "&" : "&mut ");
        lifetime_skip(p);
        type(p);
        break;
    case 'P': /* *const T */
    case 'O': /* *mut T */
        p->pos++;
        put(p->o, c == 'P' ? "*const " : "*mut ");
        type(p);
        break;
    case 'T': /* (A, B) */
        p->pos++;
        put(p->o, "(");
        {
            size_t before = p->o->len;
            type_list(p, ", ");
            /* a one-element tuple keeps its comma */
            if (!p->o->full && p->o->len > before &&
                !memchr(p->o->buf + before, ',', p->o->len - before))
                put(p->o, ",");
        }
        put(p->o, ")");
        break;
    case 'F': { /* fn(A) -> R */
        p->pos++;
        if (eat(p, 'G')) base62(p);
        if (eat(p, 'U')) put(p->o, "unsafe ");
        if (eat(p, 'K')) {
            put(p->o, "extern \"");
            if (eat(p, 'C')) {
                put(p->o, "C");
            } else {
                const char *s;
                size_t n;
                bool puny;
                ident(p, &s, &n, &puny);
                for (size_t i = 0; i < n; i++)
                    put_n(p->o, s[i] == '_' ? "-" : s + i, 1);
            }
            put(p->o, "\" ");
        }
        put(p->o, "fn(");
        type_list(p, ", ");
        put(p->o, ")");
        if (peek(p) == 'u') {
            p->pos++;
        } else {
            put(p->o, " -> ");
            type(p);
        }
        break;
    }
    case 'D': /* dyn Trait + ... */
        p->pos++;
        if (eat(p, 'G')) base62(p);
        put(p->o, "dyn ");
        {
            bool first = true;
            while (!p->bad && !eat(p, 'E')) {
                if (peek(p) == 0) {
                    fail(p);
                    break;
                }
                if (!first) put(p->o, " + ");
                first = false;
                path(p, false);
                while (!p->bad && eat(p, 'p')) { /* Trait<Assoc = T> */
                    const char *s;
                    size_t n;
                    bool puny;
                    ident(p, &s, &n, &puny);
                    put(p->o, "<");
                    put_ident(p, s, n, puny);
                    put(p->o, " = ");
                    type(p);
                    put(p->o, ">");
                }
            }
        }
        lifetime_skip(p);
        break;
    case 'B':
        p->pos++;
        backref(p, type, start);
        break;
    default: path(p, false); break;
    }
    p->depth--;
}

static bool v0_name(const char *sym, out *o)
{
    if (sym[0] == '_' && sym[1] == 'R')
        sym += 2;
    else if (sym[0] == 'R')
        sym += 1;
    else
        return false;
    v0 p = {sym, strlen(sym), 0, 0, false, o};
    /* a version number: only 0 (implied) is known */
    if (peek(&p) >= '0' && peek(&p) <= '9') return false;
    path(&p, true);
    if (p.bad) return false;
    /* an instantiating crate may follow, and a vendor suffix after '.' */
    if (p.pos < p.len && p.s[p.pos] != '.') {
        skip(&p, path_type);
        if (p.bad || (p.pos < p.len && p.s[p.pos] != '.')) return false;
    }
    return true;
}

/* ------------------------------------------------------------------ API */

size_t wb_rust_hash_suffix_at(const char *name)
{
    size_t n = strlen(name);
    if (n < 20 || memcmp(name + n - 19, "::", 2) != 0 || !is_hash(name + n - 17, 17)) return 0;
    return n - 19;
}

bool wb_rust_mangled(const char *sym)
{
    char tmp[8];
    return sym && wb_rust_demangle(sym, tmp, sizeof tmp);
}

bool wb_rust_demangle(const char *sym, char *buf, size_t cap)
{
    if (!sym || cap < 8) return false;
    char local[1024];
    out o = {local, sizeof local, 0, false};
    bool ok;
    if (sym[0] == '_' && sym[1] == 'R')
        ok = v0_name(sym, &o);
    else if ((sym[0] == '_' && sym[1] == 'Z' && sym[2] == 'N') || (sym[0] == 'Z' && sym[1] == 'N'))
        ok = legacy(sym, &o);
    else
        ok = false;
    /* a legacy name is Rust's only with its hash (C++ uses _ZN too) */
    if (ok && sym[1] != 'R') {
        const char *e = strrchr(sym, 'E');
        if (!e || e - sym < 20 || !is_hash(e - 17, 17) || e[-18] != '7' || e[-19] != '1')
            ok = false;
    }
    if (!ok) return false;
    local[o.len < sizeof local ? o.len : sizeof local - 1] = 0;
    size_t n = strlen(local);
    if (n >= cap) {
        memcpy(buf, local, cap - 4);
        memcpy(buf + cap - 4, "...", 4);
    } else {
        memcpy(buf, local, n + 1);
    }
    return true;
}

/* ------------------------------------------------ C++ type names */

/* <source-name> ::= <length> <identifier> */
static const char *cxx_source_name(const char *p, out *o)
{
    size_t n = 0;
    if (!isdigit((unsigned char)*p)) return NULL;
    while (isdigit((unsigned char)*p)) {
        n = n * 10 + (size_t)(*p++ - '0');
        if (n > 1024) return NULL;
    }
    if (strnlen(p, n) < n) return NULL;
    put_n(o, p, n);
    return p + n;
}

static const char *cxx_type(const char *p, out *o, int depth)
{
    static const struct {
        char code;
        const char *name;
    } builtins[] = {
        {'v', "void"},        {'w', "wchar_t"},
        {'b', "bool"},        {'c', "char"},
        {'a', "signed char"}, {'h', "unsigned char"},
        {'s', "short"},       {'t', "unsigned short"},
        {'i', "int"},         {'j', "unsigned int"},
        {'l', "long"},        {'m', "unsigned long"},
        {'x', "long long"},   {'y', "unsigned long long"},
        {'n', "__int128"},    {'o', "unsigned __int128"},
        {'f', "float"},       {'d', "double"},
        {'e', "long double"},
    };
    if (depth > MAX_DEPTH) return NULL;
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
        if (*p == builtins[i].code) {
            put_n(o, builtins[i].name, strlen(builtins[i].name));
            return p + 1;
        }
    switch (*p) {
    case 'P':
    case 'R':
    case 'O':
    case 'K':
    case 'V': {
        const char *q = cxx_type(p + 1, o, depth + 1);
        const char *suffix = *p == 'P'   ? "*"
                             : *p == 'R' ? "&"
                             : *p == 'O' ? "&&"
                             : *p == 'K' ? " const"
                                         : " volatile";
        if (q) put_n(o, suffix, strlen(suffix));
        return q;
    }
    case 'D':
        if (p[1] == 'n') {
            put_n(o, "decltype(nullptr)", 17);
            return p + 2;
        }
        return NULL;
    case 'S':
        if (p[1] != 't') return NULL; /* substitutions, std::string... */
        put_n(o, "std::", 5);
        return cxx_source_name(p + 2, o);
    case 'N': {
        p++;
        bool first = true;
        if (p[0] == 'S' && p[1] == 't') {
            put_n(o, "std", 3);
            p += 2;
            first = false;
        }
        while (*p != 'E') {
            if (!first) put_n(o, "::", 2);
            first = false;
            if (!(p = cxx_source_name(p, o))) return NULL;
        }
        return first ? NULL : p + 1;
    }
    default: return cxx_source_name(p, o);
    }
}

bool wb_cxx_type_demangle(const char *name, char *buf, size_t cap)
{
    char local[512];
    out o = {local, sizeof local, 0, false};
    if (!name || !cap) return false;
    const char *end = cxx_type(name, &o, 0);
    if (!end || *end || o.full || o.len >= cap) return false;
    memcpy(buf, local, o.len);
    buf[o.len] = 0;
    return true;
}
