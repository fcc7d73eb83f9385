/*
 * Unit tests of values, gdb-style printing and the C expression evaluator
 * (lldb-bridge/formats/wb_types.c, wb_value.c, wb_expr.c) on hand-built types
 * and a fake program: 64 KB of linear memory, a symbol table, a Wasm local.
 *
 * Strings marked "gdb 13.1" were printed by native gdb 13.1 for the same
 * values in a C program built with gcc -g (tests/bridge/test_value.c has
 * the declarations in the comments); only outputs that do not depend on
 * the native pointer size are used.
 */
#include "check.h"
#include "wb_loc.h"
#include "wb_printf.h"
#include "wb_value.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------- types */

#define BASE(n, sz, e)                                                                             \
    {                                                                                              \
        .kind = WB_TYPE_BASE, .name = n, .qualified_name = n, .size = sz, .enc = e                 \
    }
static const wb_type t_void = {.kind = WB_TYPE_VOID, .name = "void"};
static const wb_type t_int = BASE("int", 4, WB_ENC_SIGNED);
static const wb_type t_uint = BASE("unsigned int", 4, WB_ENC_UNSIGNED);
static const wb_type t_long = BASE("long", 4, WB_ENC_SIGNED);
static const wb_type t_short = BASE("short", 2, WB_ENC_SIGNED);
static const wb_type t_ushort = BASE("unsigned short", 2, WB_ENC_UNSIGNED);
static const wb_type t_ll = BASE("long long", 8, WB_ENC_SIGNED);
static const wb_type t_char = BASE("char", 1, WB_ENC_SIGNED_CHAR);
static const wb_type t_schar = BASE("signed char", 1, WB_ENC_SIGNED_CHAR);
static const wb_type t_uchar = BASE("unsigned char", 1, WB_ENC_UNSIGNED_CHAR);
static const wb_type t_float = BASE("float", 4, WB_ENC_FLOAT);
static const wb_type t_double = BASE("double", 8, WB_ENC_FLOAT);
static const wb_type t_ldouble = BASE("long double", 16, WB_ENC_FLOAT);
static const wb_type t_bool = BASE("_Bool", 1, WB_ENC_BOOL);
#undef BASE

#define PTR(to)                                                                                    \
    {                                                                                              \
        .kind = WB_TYPE_POINTER, .size = 4, .target = to                                           \
    }
static const wb_type t_pint = PTR(&t_int);
static const wb_type t_pchar = PTR(&t_char);
static const wb_type t_ppchar = PTR(&t_pchar);
static const wb_type t_cchar = {.kind = WB_TYPE_CONST, .target = &t_char};
static const wb_type t_pcchar = PTR(&t_cchar);
static const wb_type t_pcchar_c = {.kind = WB_TYPE_CONST, .target = &t_pcchar};
static const wb_type t_pchar_c = {.kind = WB_TYPE_CONST, .target = &t_pchar};
static const wb_type t_ppchar_c = PTR(&t_pchar_c);
static const wb_type t_puchar = PTR(&t_uchar);
static const wb_type t_pvoid = PTR(&t_void);
static const wb_type t_cvint_v = {.kind = WB_TYPE_VOLATILE, .target = &t_int};
static const wb_type t_cvint = {.kind = WB_TYPE_CONST, .target = &t_cvint_v};
static const wb_type t_str = {.kind = WB_TYPE_TYPEDEF, .name = "str", .target = &t_pchar};
static const wb_type t_myint = {.kind = WB_TYPE_TYPEDEF, .name = "myint", .target = &t_int};
/* a pc: void (*)(), holding a code offset */
static const wb_type t_code = {.kind = WB_TYPE_FUNCTION, .no_prototype = true};
static const wb_type t_pcreg = {
    .kind = WB_TYPE_POINTER, .size = 4, .target = &t_code, .code_offset = true};

/* struct point { int x, y; } */
static const wb_member m_point[] = {{"x", &t_int, 0, 0, 0, false}, {"y", &t_int, 4, 0, 0, false}};
static const wb_type t_point = {
    .kind = WB_TYPE_STRUCT, .name = "point", .size = 8, .nmembers = 2, .members = m_point};
static const wb_type t_point_t = {.kind = WB_TYPE_TYPEDEF, .name = "point_t", .target = &t_point};
static const wb_type t_ppoint = PTR(&t_point);
static const wb_type t_ppoint_t = PTR(&t_point_t);

/* struct outer { struct point p; int n; char name[8]; } */
static const uint64_t d8[] = {8};
static const wb_type t_char8 = {.kind = WB_TYPE_ARRAY, .target = &t_char, .ndims = 1, .dims = d8};
static const wb_member m_outer[] = {{"p", &t_point, 0, 0, 0, false},
                                    {"n", &t_int, 8, 0, 0, false},
                                    {"name", &t_char8, 12, 0, 0, false}};
static const wb_type t_outer = {
    .kind = WB_TYPE_STRUCT, .name = "outer", .size = 20, .nmembers = 3, .members = m_outer};

/* enum color { RED, GREEN, BLUE }; enum flags { FA = 1, FB = 2, FC = 4 };
 * enum mflags { MA = 1, MB = 6 }; */
static const wb_enumerator e_color[] = {{"RED", 0}, {"GREEN", 1}, {"BLUE", 2}};
static const wb_type t_color = {.kind = WB_TYPE_ENUM,
                                .name = "color",
                                .size = 4,
                                .enc = WB_ENC_UNSIGNED,
                                .nenumerators = 3,
                                .enumerators = e_color};
static const wb_enumerator e_flags[] = {{"FA", 1}, {"FB", 2}, {"FC", 4}};
static const wb_type t_flags = {.kind = WB_TYPE_ENUM,
                                .name = "flags",
                                .size = 4,
                                .enc = WB_ENC_UNSIGNED,
                                .nenumerators = 3,
                                .enumerators = e_flags};
static const wb_enumerator e_mflags[] = {{"MA", 1}, {"MB", 6}};
static const wb_type t_mflags = {.kind = WB_TYPE_ENUM,
                                 .name = "mflags",
                                 .size = 4,
                                 .enc = WB_ENC_UNSIGNED,
                                 .nenumerators = 2,
                                 .enumerators = e_mflags};
static const wb_enumerator e_neg[] = {{"NEG", -1}, {"POS", 1}};
static const wb_type t_neg = {.kind = WB_TYPE_ENUM,
                              .name = "neg",
                              .size = 4,
                              .enc = WB_ENC_SIGNED,
                              .nenumerators = 2,
                              .enumerators = e_neg};

/* union u { int i; float f; } */
static const wb_member m_u[] = {{"i", &t_int, 0, 0, 0, false}, {"f", &t_float, 0, 0, 0, false}};
static const wb_type t_union = {
    .kind = WB_TYPE_UNION, .name = "u", .size = 4, .nmembers = 2, .members = m_u};

/* struct bf { unsigned a:3; int b:5; unsigned c:1; } */
static const wb_member m_bf[] = {
    {"a", &t_uint, 0, 3, 0, false}, {"b", &t_int, 0, 5, 3, false}, {"c", &t_uint, 0, 1, 8, false}};
static const wb_type t_bf = {
    .kind = WB_TYPE_STRUCT, .name = "bf", .size = 4, .nmembers = 3, .members = m_bf};

/* struct anon { int a; union { int b; float c; }; struct { int d; } s; } */
static const wb_member m_anon_u[] = {{"b", &t_int, 0, 0, 0, false},
                                     {"c", &t_float, 0, 0, 0, false}};
static const wb_type t_anon_u = {
    .kind = WB_TYPE_UNION, .size = 4, .nmembers = 2, .members = m_anon_u};
static const wb_member m_anon_s[] = {{"d", &t_int, 0, 0, 0, false}};
static const wb_type t_anon_s = {
    .kind = WB_TYPE_STRUCT, .size = 4, .nmembers = 1, .members = m_anon_s};
static const wb_member m_anon[] = {{"a", &t_int, 0, 0, 0, false},
                                   {NULL, &t_anon_u, 4, 0, 0, false},
                                   {"s", &t_anon_s, 8, 0, 0, false}};
static const wb_type t_anon = {
    .kind = WB_TYPE_STRUCT, .name = "anon", .size = 12, .nmembers = 3, .members = m_anon};
static const wb_type t_empty = {.kind = WB_TYPE_STRUCT, .name = "empty", .size = 0};
static const wb_type t_incomplete = {.kind = WB_TYPE_STRUCT, .name = "opaque", .declaration = true};
static const wb_type t_pincomplete = PTR(&t_incomplete);

/* C++: struct Base { int a; }; struct Derived : Base { int b; }; int & */
static const wb_member m_base[] = {{"a", &t_int, 0, 0, 0, false}};
static const wb_type t_base = {
    .kind = WB_TYPE_STRUCT, .name = "Base", .size = 4, .nmembers = 1, .members = m_base};
static const wb_member m_derived[] = {{NULL, &t_base, 0, 0, 0, true},
                                      {"b", &t_int, 4, 0, 0, false}};
static const wb_type t_derived = {
    .kind = WB_TYPE_STRUCT, .name = "Derived", .size = 8, .nmembers = 2, .members = m_derived};
static const wb_type t_rint = {.kind = WB_TYPE_REFERENCE, .size = 4, .target = &t_int};
static const wb_member m_withref[] = {{"r", &t_rint, 0, 0, 0, false},
                                      {"p", &t_pint, 4, 0, 0, false}};
static const wb_type t_withref = {
    .kind = WB_TYPE_STRUCT, .name = "S", .size = 8, .nmembers = 2, .members = m_withref};

/* Functions: int (int), int (int, char *), void (void), int (int, ...), int () */
static const wb_type *const p_int[] = {&t_int};
static const wb_type *const p_int_pchar[] = {&t_int, &t_pchar};
static const wb_type t_fn_int = {
    .kind = WB_TYPE_FUNCTION, .target = &t_int, .nparams = 1, .params = p_int};
static const wb_type t_fn2 = {
    .kind = WB_TYPE_FUNCTION, .target = &t_int, .nparams = 2, .params = p_int_pchar};
static const wb_type t_fn_void = {.kind = WB_TYPE_FUNCTION};
static const wb_type t_fn_var = {
    .kind = WB_TYPE_FUNCTION, .target = &t_int, .nparams = 1, .params = p_int, .varargs = true};
static const wb_type t_pfn_int = PTR(&t_fn_int);
static const wb_type t_pfn2 = PTR(&t_fn2);
static const wb_type t_ppfn2 = PTR(&t_pfn2);
static const wb_type t_pfn_void = PTR(&t_fn_void);
static const wb_type t_pfn_var = PTR(&t_fn_var);
static const uint64_t d4[] = {4};
static const wb_type t_fps = {.kind = WB_TYPE_ARRAY, .target = &t_pfn_void, .ndims = 1, .dims = d4};
static const wb_type t_pfps = PTR(&t_fps);
static const wb_member m_withptr[] = {{"p", &t_pint, 0, 0, 0, false},
                                      {"s", &t_pchar, 4, 0, 0, false},
                                      {"f", &t_pfn_int, 8, 0, 0, false}};
static const wb_type t_withptr = {
    .kind = WB_TYPE_STRUCT, .name = "withptr", .size = 12, .nmembers = 3, .members = m_withptr};

/* Arrays */
#define ARR(el, d)                                                                                 \
    {                                                                                              \
        .kind = WB_TYPE_ARRAY, .target = el, .ndims = sizeof d / sizeof d[0], .dims = d            \
    }
static const uint64_t d3[] = {3}, d15[] = {15}, d10[] = {10}, d11[] = {11}, d14[] = {14},
                      d300[] = {300}, d16[] = {16}, d250[] = {250}, d2x3[] = {2, 3}, d12[] = {12},
                      d0[] = {0}, d2x3x2[] = {2, 3, 2}, d20[] = {20}, d5[] = {5},
                      dhuge[] = {0x40000000};
static const wb_type t_int3 = ARR(&t_int, d3);
static const wb_type t_int15 = ARR(&t_int, d15);
static const wb_type t_int10 = ARR(&t_int, d10);
static const wb_type t_int11 = ARR(&t_int, d11);
static const wb_type t_int14 = ARR(&t_int, d14);
static const wb_type t_int300 = ARR(&t_int, d300);
static const wb_type t_char16 = ARR(&t_char, d16);
static const wb_type t_char4 = ARR(&t_char, d4);
static const wb_type t_char250 = ARR(&t_char, d250);
static const wb_type t_char20 = ARR(&t_char, d20);
static const wb_type t_char5 = ARR(&t_char, d5);
static const wb_type t_int2x3 = ARR(&t_int, d2x3);
static const wb_type t_int2x3x2 = ARR(&t_int, d2x3x2);
/* GNU C vectors (DW_AT_GNU_vector): int __attribute__((vector_size(16))) */
static const wb_type t_v4i = {
    .kind = WB_TYPE_ARRAY, .target = &t_int, .ndims = 1, .dims = d4, .vector = true};
static const wb_type t_v16c = {
    .kind = WB_TYPE_ARRAY, .target = &t_char, .ndims = 1, .dims = d16, .vector = true};
static const wb_type t_pv4i = PTR(&t_v4i);
static const wb_type t_v4i_t = {.kind = WB_TYPE_TYPEDEF, .name = "v4i", .target = &t_v4i};
static const wb_type t_pv4i_t = PTR(&t_v4i_t);
static const wb_type t_point12 = ARR(&t_point, d12);
static const wb_type t_intflex = ARR(&t_int, d0);
static const wb_type t_bool12 = ARR(&t_bool, d12);
static const wb_type t_huge = ARR(&t_int, dhuge);
static const wb_type t_pint3 = PTR(&t_int3);
static const wb_type t_ppoint2 = ARR(&t_ppoint_t, d2x3); /* point_t *[2][3] */
#undef ARR
#undef PTR

/* --------------------------------------------------------- fake program */

#define MEM_SIZE 0x10000

typedef struct sym {
    const char *name;
    const wb_type *type;
    uint32_t addr; /* in memory, or: */
    int local;     /* >= 0: lives in Wasm local `local` */
} sym;

typedef struct prog {
    uint8_t mem[MEM_SIZE];
    uint64_t locals[4];
    sym syms[128];
    size_t nsyms;
    uint32_t next; /* allocation pointer in mem */
    int writes, place_writes;
    bool place_readonly;
} prog;

static wb_status p_read(void *u, uint64_t addr, void *buf, size_t len, wb_error *err)
{
    prog *p = u;
    if (addr < 0x100 || addr > MEM_SIZE || len > MEM_SIZE - addr)
        return wb_fail(err, "%s",
                       strerror(EFAULT)); /* the first 256 bytes stand for unmapped memory */
    if (len) memcpy(buf, p->mem + addr, len);
    return WB_OK;
}

static wb_status p_write(void *u, uint64_t addr, const void *buf, size_t len, wb_error *err)
{
    prog *p = u;
    if (addr < 0x100 || addr > MEM_SIZE || len > MEM_SIZE - addr)
        return wb_fail(err, "%s", strerror(EFAULT));
    memcpy(p->mem + addr, buf, len);
    p->writes++;
    return WB_OK;
}

static wb_status p_write_place(void *u, wb_place_kind k, uint64_t idx, const void *buf, size_t len,
                               wb_error *err)
{
    prog *p = u;
    if (p->place_readonly) return WB_NOT_FOUND;
    if (k != WB_PLACE_LOCAL || idx >= 4 || len > 8) return wb_fail(err, "%s", strerror(EINVAL));
    uint64_t v = 0;
    memcpy(&v, buf, len);
    p->locals[idx] = v;
    p->place_writes++;
    return WB_OK;
}

static wb_status p_lookup(void *u, const char *name, wb_value *out, wb_error *err)
{
    prog *p = u;
    for (size_t i = 0; i < p->nsyms; i++) {
        const sym *s = &p->syms[i];
        if (strcmp(s->name, name) != 0) continue;
        if (s->local >= 0) {
            if (wb_value_from_bytes(s->type, &p->locals[s->local], 8, out, err) != WB_OK)
                return WB_ERROR;
            out->kind = WB_VAL_REGISTER;
            out->place = WB_PLACE_LOCAL;
            out->place_index = (uint64_t)s->local;
            return WB_OK;
        }
        if (wb_value_from_bytes(s->type, NULL, 0, out, err) != WB_OK) return WB_ERROR;
        if (p_read(p, s->addr, out->bytes, out->size, NULL) != WB_OK) {
            wb_value_free(out);
            return wb_fail(err, "Cannot access memory at address 0x%x", s->addr);
        }
        out->kind = WB_VAL_MEMORY;
        out->addr = s->addr;
        return WB_OK;
    }
    return WB_NOT_FOUND;
}

static wb_status p_type_named(void *u, const char *name, const wb_type **out, wb_error *err)
{
    (void)u;
    (void)err;
    static const struct {
        const char *name;
        const wb_type *t;
    } types[] = {{"struct point", &t_point},
                 {"point_t", &t_point_t},
                 {"myint", &t_myint},
                 {"str", &t_str},
                 {"enum color", &t_color},
                 {"union u", &t_union},
                 {"struct outer", &t_outer},
                 {"struct bf", &t_bf},
                 {"i", &t_int}};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strcmp(types[i].name, name) == 0) {
            *out = types[i].t;
            return WB_OK;
        }
    return WB_NOT_FOUND;
}

static const char *p_function_name(void *u, uint64_t idx)
{
    (void)u;
    return idx == 1 ? "fib" : idx == 2 ? "main" : NULL;
}

/* The variables test_print_data_symbols names: i at 0x1000, pt at
 * 0x108c (8 bytes), arr at 0x10a8 (12 bytes). */
static const char *p_data_symbol(void *u, uint64_t addr, uint64_t *offset)
{
    static const struct {
        uint64_t addr, size;
        const char *name;
    } vars[] = {{0x1000, 4, "i"}, {0x108c, 8, "pt"}, {0x10a8, 12, "arr"}};
    (void)u;
    for (size_t k = 0; k < sizeof vars / sizeof vars[0]; k++)
        if (addr - vars[k].addr < vars[k].size) {
            *offset = addr - vars[k].addr;
            return vars[k].name;
        }
    return NULL;
}

/* Code offsets 0x10 to 0x3f are fib's */
static const char *p_code_symbol(void *u, uint64_t off, char *buf, size_t len)
{
    (void)u;
    if (off < 0x10 || off >= 0x40) return NULL;
    snprintf(buf, len, off == 0x10 ? "fib" : "fib+%u", (unsigned)(off - 0x10));
    return buf;
}

static prog *P;
static wb_eval_env ENV;
static wb_eval *EV;

/* Places a variable in memory (4-byte aligned) and returns its address. */
static uint32_t var(const char *name, const wb_type *t, const void *init, size_t len)
{
    uint32_t a = P->next;
    uint64_t size = wb_type_size(t);
    if (size < len) size = len;
    if (init) memcpy(P->mem + a, init, len);
    P->next = (uint32_t)((a + size + 3) & ~3u);
    if (P->next == a) P->next += 4;
    P->syms[P->nsyms++] = (sym){name, t, a, -1};
    return a;
}

static void var_at(const char *name, const wb_type *t, uint32_t addr)
{
    P->syms[P->nsyms++] = (sym){name, t, addr, -1};
}

static void var_local(const char *name, const wb_type *t, int local, uint64_t value)
{
    P->locals[local] = value;
    P->syms[P->nsyms++] = (sym){name, t, 0, local};
}

static uint32_t cstr(const char *s)
{
    uint32_t a = P->next;
    memcpy(P->mem + a, s, strlen(s) + 1);
    P->next = (uint32_t)((a + strlen(s) + 1 + 3) & ~3u);
    return a;
}

static void i32s(uint8_t *b, const int32_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        memcpy(b + 4 * i, &v[i], 4);
}

static void setup(void)
{
    P = calloc(1, sizeof *P);
    P->next = 0x1000;
    ENV = (wb_eval_env){P,
                        p_lookup,
                        p_read,
                        p_write,
                        p_write_place,
                        p_type_named,
                        p_function_name,
                        p_code_symbol,
                        NULL,
                        false};
    EV = wb_eval_new();

    /* int i = -5; unsigned u32 = 4000000000u; long long ll = -1234567890123LL; */
    int32_t i = -5;
    uint32_t u32 = 4000000000u;
    int64_t ll = -1234567890123LL;
    var("i", &t_int, &i, 4);
    var("u32", &t_uint, &u32, 4);
    var("ll", &t_ll, &ll, 8);
    /* char c = 'a', cnl = '\n', cq = '\'', cdq = '"', cbs = '\\', c0 = 0, cesc = 27;
     * signed char sc = -1; unsigned char uc = 200; */
    static const struct {
        const char *n;
        char v;
    } chars[] = {{"c", 'a'},    {"cnl", '\n'}, {"cq", '\''}, {"cdq", '"'},
                 {"cbs", '\\'}, {"c0", 0},     {"cesc", 27}};
    for (size_t k = 0; k < sizeof chars / sizeof chars[0]; k++)
        var(chars[k].n, &t_char, &chars[k].v, 1);
    int8_t sc = -1;
    uint8_t uc = 200;
    var("sc", &t_schar, &sc, 1);
    var("uc", &t_uchar, &uc, 1);
    /* float f = 0.1f, f15 = 1.5f; double d = 0.1, d1 = 1.0, dbig = 1e300, dneg = -2.5e-10; */
    float f = 0.1f, f15 = 1.5f, ff = 2.5f;
    double d = 0.1, d1 = 1.0, dbig = 1e300, dneg = -2.5e-10;
    var("f", &t_float, &f, 4);
    var("f15", &t_float, &f15, 4);
    var("ff", &t_float, &ff, 4);
    var("d", &t_double, &d, 8);
    var("d1", &t_double, &d1, 8);
    var("dbig", &t_double, &dbig, 8);
    var("dneg", &t_double, &dneg, 8);
    uint8_t t1 = 1, t0 = 0;
    var("bt", &t_bool, &t1, 1);
    var("bf0", &t_bool, &t0, 1);
    uint32_t e1 = 1, e7 = 7, e5 = 5, ez = 0, e9 = 9, e16 = 16;
    var("col", &t_color, &e1, 4);
    var("colbad", &t_color, &e7, 4);
    var("fl", &t_flags, &e5, 4);
    var("fl0", &t_flags, &ez, 4);
    var("flu", &t_flags, &e9, 4);
    var("flu2", &t_flags, &e16, 4);
    var("mfl", &t_mflags, &e7, 4);
    int32_t m1 = -1, three = 3;
    var("ng", &t_neg, &m1, 4);
    var("ng3", &t_neg, &three, 4);
    int32_t pt[2] = {1, 2};
    uint32_t pt_addr = var("pt", &t_point, pt, 8);
    int32_t o[5] = {3, 4, 5, 0, 0};
    uint32_t oa = var("o", &t_outer, o, 20);
    memcpy(P->mem + oa + 12, "abc", 3);
    int32_t arr[3] = {1, 2, 3};
    uint32_t arr_addr = var("arr", &t_int3, arr, 12);
    var("zeros", &t_int15, NULL, 0);
    var("rep10", &t_int10, NULL, 0);
    var("rep11", &t_int11, NULL, 0);
    int32_t mixed[14] = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5};
    var("mixed", &t_int14, mixed, sizeof mixed);
    uint32_t big = var("big", &t_int300, NULL, 0);
    uint32_t bigz = var("bigz", &t_int300, NULL, 0);
    (void)bigz;
    for (int32_t k = 0; k < 300; k++)
        memcpy(P->mem + big + 4 * k, &k, 4);
    var("buf", &t_char16, "hi", 3);
    var("full", &t_char4, "abcd", 4);
    var("zbuf", &t_char4, NULL, 0);
    uint32_t longs = var("longs", &t_char250, NULL, 0);
    memset(P->mem + longs, 'x', 250);
    uint32_t cyc = var("cyc", &t_char250, NULL, 0);
    for (int k = 0; k < 250; k++)
        P->mem[cyc + k] = (uint8_t)('a' + k % 26);
    var("esc", &t_char5, "a\"b\\\t", 5);
    var("s2", &t_char20, "abc\0\0\0\0\0\0\0\0\0\0\0\0xyz\0", 20);
    int32_t m2[6] = {1, 2, 3, 4, 5, 6};
    var("m2", &t_int2x3, m2, sizeof m2);
    var("m3", &t_int2x3x2, NULL, 0);
    var("pts", &t_point12, NULL, 0);
    var("flags", &t_bool12, NULL, 0);
    uint32_t z = 0;
    var("np", &t_pint, &z, 4);
    uint32_t ip = 0x1000; /* &i */
    var("ip", &t_pint, &ip, 4);
    var("vp", &t_pvoid, &ip, 4);
    uint32_t text = cstr("text");
    var("cp", &t_pchar, &text, 4);
    uint32_t cnst = cstr("const");
    var("ccp", &t_pcchar, &cnst, 4);
    var("ccpc", &t_pcchar_c, &cnst, 4);
    uint32_t ucs = cstr("uc");
    var("ucp", &t_puchar, &ucs, 4);
    uint32_t tdf = cstr("typedef");
    var("sp", &t_str, &tdf, 4);
    uint32_t empty = cstr("");
    var("cpe", &t_pchar, &empty, 4);
    uint32_t x = cstr("x");
    var("cpc", &t_pchar_c, &x, 4);
    uint32_t bad = 0x10;
    var("cpbad", &t_pchar, &bad, 4);
    uint32_t fib = 1, nofn = 7;
    var("fp", &t_pfn_int, &fib, 4);
    uint32_t pc = 0x12, pc2 = 0x10;
    var("pcreg", &t_pcreg, &pc, 4);
    var("pcreg2", &t_pcreg, &pc2, 4);
    var("fp7", &t_pfn_int, &nofn, 4);
    var("fpv", &t_pfn_var, &z, 4);
    var("fpp", &t_ppfn2, &z, 4);
    var("ptp", &t_ppoint, &pt_addr, 4);
    var("ptpt", &t_ppoint_t, &pt_addr, 4);
    var("opq", &t_pincomplete, &pt_addr, 4);
    uint32_t un = 0x3f800000;
    var("un", &t_union, &un, 4);
    uint32_t bits = 5u | ((uint32_t)(-3 & 31) << 3) | (1u << 8);
    var("bits", &t_bf, &bits, 4);
    uint32_t wp[3] = {ip, text + 3, 1};
    var("wp", &t_withptr, wp, 12);
    var("fps", &t_fps, NULL, 0);
    var("parr", &t_pint3, &arr_addr, 4);
    uint32_t many = var("many_a", &t_char16, NULL, 0);
    memset(P->mem + many, 'a', 12);
    int32_t an[3] = {1, 2, 3};
    var("an", &t_anon, an, 12);
    var("em", &t_empty, NULL, 0);
    int32_t dd[2] = {1, 2};
    var("dd", &t_derived, dd, 8);
    var("ref", &t_rint, &ip, 4);
    uint32_t sref[2] = {ip, ip};
    var("sref", &t_withref, sref, 8);
    uint16_t us = 65535;
    int16_t ss = -2;
    var("us", &t_ushort, &us, 2);
    var("ss", &t_short, &ss, 2);
    var("mi", &t_myint, &three, 4);
    var("lg", &t_long, &three, 4);
    var("cvi", &t_cvint, &three, 4);
    var("pp", &t_point_t, pt, 8);
    uint8_t ld[16] = {0};
    ld[14] = 0xff;
    ld[15] = 0x3f; /* 1.0L in binary128 */
    var("ld", &t_ldouble, ld, 16);
    var("ppa", &t_ppoint2, NULL, 0);
    var_at("huge", &t_huge, 0x2000);
    var_at("unmapped", &t_int, 0x10);
    var_local("loc", &t_int, 0, 42);
    var_local("locd", &t_double, 1, 0x4004000000000000ull); /* 2.5 */
    var("argvp", &t_ppchar, &z, 4);
    var("cpcp", &t_ppchar_c, &z, 4);
    uint32_t fl2[2] = {0, 0};
    var("flexs", &t_intflex, fl2, 0);
    (void)i32s;
}

/* ------------------------------------------------------------ helpers */

static char *eval_fmt(const char *expr, char fmt, char *err_out, size_t cap)
{
    wb_value v;
    wb_error err = {{0}};
    if (wb_eval_expr(EV, &ENV, expr, &v, &err) != WB_OK) {
        snprintf(err_out, cap, "%s", err.msg);
        return NULL;
    }
    char *s = wb_value_format(&v, &ENV, fmt);
    wb_value_free(&v);
    return s;
}

/* print/FMT EXPR must show `want`. */
static void check_print_at(int line, const char *expr, char fmt, const char *want)
{
    char e[300] = "";
    char *got = eval_fmt(expr, fmt, e, sizeof e);
    CHECK_AT(__FILE__, line, got && strcmp(got, want) == 0,
             "print/%c %s: got \"%s\", expected \"%s\"", fmt ? fmt : ' ', expr, got ? got : e,
             want);
    free(got);
}
#define PR(expr, want) check_print_at(__LINE__, expr, 0, want)
#define PRF(fmt, expr, want) check_print_at(__LINE__, expr, fmt, want)

/* EXPR must fail with message `want`. */
static void check_error_at(int line, const char *expr, const char *want)
{
    char e[300] = "";
    char *got = eval_fmt(expr, 0, e, sizeof e);
    CHECK_AT(__FILE__, line, !got && strcmp(e, want) == 0,
             "print %s: got %s \"%s\", expected error \"%s\"", expr, got ? "value" : "error",
             got ? got : e, want);
    free(got);
}
#define ERR(expr, want) check_error_at(__LINE__, expr, want)

/* whatis EXPR must be `want`. */
static void check_whatis_at(int line, const char *expr, const char *want)
{
    wb_value v;
    wb_error err = {{0}};
    char got[256] = "";
    if (wb_eval_expr(EV, &ENV, expr, &v, &err) == WB_OK) {
        wb_type_spell(v.type, NULL, got, sizeof got);
        wb_value_free(&v);
    } else {
        snprintf(got, sizeof got, "error: %s", err.msg);
    }
    CHECK_AT(__FILE__, line, strcmp(got, want) == 0, "whatis %s: got \"%s\", expected \"%s\"", expr,
             got, want);
}
#define WHATIS(expr, want) check_whatis_at(__LINE__, expr, want)

static void check_spell_at(int line, const wb_type *t, const char *name, const char *want)
{
    char got[256];
    size_t n = wb_type_spell(t, name, got, sizeof got);
    CHECK_AT(__FILE__, line, strcmp(got, want) == 0 && n == strlen(want),
             "spell: got \"%s\", expected \"%s\"", got, want);
}
#define SPELL(t, name, want) check_spell_at(__LINE__, t, name, want)

/* -------------------------------------------------------------- tests */

static void test_types(void)
{
    /* gdb 13.1 `whatis` of the same declarations. */
    SPELL(&t_int, NULL, "int");
    SPELL(&t_pint, NULL, "int *");
    SPELL(&t_pint, "p", "int *p");
    SPELL(&t_point, NULL, "struct point");
    SPELL(&t_ppoint, NULL, "struct point *");
    SPELL(&t_char16, NULL, "char [16]");
    SPELL(&t_char16, "buf", "char buf[16]");
    SPELL(&t_int2x3, NULL, "int [2][3]");
    SPELL(&t_int2x3x2, NULL, "int [2][3][2]");
    SPELL(&t_v4i, NULL, "int __attribute__ ((vector_size(4)))");
    SPELL(&t_v4i, "v", "int v __attribute__ ((vector_size(4)))");
    SPELL(&t_pv4i, NULL, "int (*) __attribute__ ((vector_size(4)))");
    {
        char buf[64];
        wb_type_spell_expanded(&t_ppoint_t, NULL, buf, sizeof buf); /* keeps struct names */
        CHECK_STR(buf, "point_t *");
        wb_type_spell_expanded(&t_pv4i_t, NULL, buf, sizeof buf); /* gdb 13.1 ptype */
        CHECK_STR(buf, "int (*) __attribute__ ((vector_size(4)))");
        wb_type_spell(&t_pv4i_t, NULL, buf, sizeof buf); /* whatis */
        CHECK_STR(buf, "v4i *");
    }
    SPELL(&t_pfn2, NULL, "int (*)(int, char *)");
    SPELL(&t_pfn2, "fp", "int (*fp)(int, char *)");
    SPELL(&t_ppfn2, NULL, "int (**)(int, char *)");
    SPELL(&t_pcchar, NULL, "const char *");
    SPELL(&t_pchar_c, NULL, "char * const");
    SPELL(&t_pchar_c, "p", "char * const p");
    SPELL(&t_pcchar_c, NULL, "const char * const");
    SPELL(&t_ppchar_c, NULL, "char * const *");
    SPELL(&t_fps, NULL, "void (*[4])(void)");
    SPELL(&t_pfps, NULL, "void (*(*)[4])(void)");
    SPELL(&t_pint3, NULL, "int (*)[3]");
    SPELL(&t_pfn_var, NULL, "int (*)(int, ...)");
    SPELL(&t_fn_int, NULL, "int (int)");
    SPELL(&t_cvint, NULL, "const volatile int");
    SPELL(&t_rint, NULL, "int &");
    SPELL(&t_str, NULL, "str");
    SPELL(&t_ppoint_t, NULL, "point_t *");
    SPELL(&t_ppoint2, NULL, "point_t *[2][3]");
    SPELL(&t_anon_s, NULL, "struct {...}");
    SPELL(&t_color, NULL, "enum color");
    SPELL(&t_union, NULL, "union u");
    SPELL(&t_intflex, NULL, "int []");
    SPELL(NULL, NULL, "void");
    SPELL(&t_ppchar, "argv", "char **argv");

    /* Truncation: returns the length needed. */
    char small[6];
    CHECK_EQ(wb_type_spell(&t_pfn2, NULL, small, sizeof small), strlen("int (*)(int, char *)"));
    CHECK_STR(small, "int (");

    CHECK(wb_type_strip(&t_cvint) == &t_int);
    CHECK(wb_type_strip(&t_myint) == &t_int);
    CHECK(wb_type_strip_cv(&t_cvint) == &t_int);
    CHECK(wb_type_strip_cv(&t_myint) == &t_myint);
    CHECK(wb_type_strip(NULL) == NULL);
    CHECK_EQ(wb_type_size(&t_int2x3), 24);
    CHECK_EQ(wb_type_size(&t_myint), 4);
    CHECK_EQ(wb_type_size(&t_point12), 96);
    CHECK_EQ(wb_type_size(&t_intflex), 0);
    CHECK_EQ(wb_type_size(&t_pint), 4);
    CHECK_EQ(wb_type_size(&t_fn_int), 0);
    CHECK_EQ(wb_type_size(&t_color), 4);

    /* A cycle (corrupt DWARF) must not hang. */
    wb_type loop = {.kind = WB_TYPE_TYPEDEF, .name = "loop"};
    loop.target = &loop;
    CHECK(wb_type_strip(&loop) == NULL);
    wb_type ploop = {.kind = WB_TYPE_POINTER, .size = 4};
    ploop.target = &ploop;
    char buf[512];
    wb_type_spell(&ploop, NULL, buf, sizeof buf);
    CHECK(strstr(buf, "<type too deep>") != NULL);
}

static void test_print_scalars(void)
{
    /* gdb 13.1 */
    PR("i", "-5");
    PR("u32", "4000000000");
    PR("ll", "-1234567890123");
    PR("c", "97 'a'");
    PR("cnl", "10 '\\n'");
    PR("cq", "39 '\\''");
    PR("cdq", "34 '\"'");
    PR("cbs", "92 '\\\\'");
    PR("c0", "0 '\\000'");
    PR("cesc", "27 '\\033'");
    PR("sc", "-1 '\\377'");
    PR("uc", "200 '\\310'");
    PR("f", "0.100000001");
    PR("f15", "1.5");
    PR("d", "0.10000000000000001");
    PR("d1", "1");
    PR("dbig", "1.0000000000000001e+300");
    PR("dneg", "-2.5000000000000002e-10");
    PR("bt", "true");
    PR("bf0", "false");
    PR("col", "GREEN");
    PR("colbad", "(GREEN | BLUE | unknown: 0x4)");
    PR("fl", "(FA | FC)");
    PR("fl0", "0");
    PR("flu", "(FA | unknown: 0x8)");
    PR("flu2", "(unknown: 0x10)");
    PR("mfl", "7");
    PR("ng", "NEG");
    PR("ng3", "3");
    PR("us", "65535");
    PR("ss", "-2");
    PR("mi", "3");
    PR("cvi", "3");
    PR("ld", "0x3fff0000000000000000000000000000");
    PR("loc", "42");
    PR("locd", "2.5");

    /* Formats (gdb 13.1) */
    PRF('x', "i", "0xfffffffb");
    PRF('o', "i", "037777777773");
    PRF('t', "i", "11111111111111111111111111111011");
    PRF('t', "0", "0");
    PRF('o', "0", "0");
    PRF('z', "i", "0xfffffffb");
    PRF('z', "5", "0x00000005");
    PRF('d', "u32", "-294967296");
    PRF('u', "i", "4294967291");
    PRF('c', "97", "97 'a'");
    PRF('c', "321", "65 'A'");
    PRF('c', "i", "-5 '\\373'");
    PRF('c', "200", "-56 '\\310'");
    PRF('c', "200u", "200 '\\310'");
    PRF('c', "ff", "2 '\\002'");
    PRF('x', "d1", "0x3ff0000000000000");
    PRF('x', "f15", "0x3fc00000");
    PRF('x', "1.5", "0x3ff8000000000000");
    PRF('x', "-1.5", "0xbff8000000000000");
    PRF('f', "i", "-nan(0x7ffffb)");
    PRF('f', "3", "4.20389539e-45");
    PRF('f', "ll", "-nan(0xffee08e04fb35)");
    PRF('f', "1078530011", "3.14159274");
    PRF('f', "us", "65535");
    PRF('f', "ff", "2.5");
    PRF('f', "bt", "1");
    PRF('d', "ff", "1075838976");
    PRF('x', "c", "0x61");
    PRF('d', "c", "97");
    PRF('x', "bt", "0x1");
    PRF('x', "col", "0x1");
    PRF('a', "0x10", "0x10");
    PRF('x', "-1", "0xffffffff");
    PRF('d', "uc", "-56");
    PRF('u', "sc", "255");
    PRF('x', "sc", "0xff");
    PRF('t', "c", "1100001");
    PRF('z', "c", "0x61");
    PRF('o', "c", "0141");
    PRF('x', "ll", "0xfffffee08e04fb35");
    PRF('x', "fl", "0x5");
    PRF('d', "fl", "5");
    PRF('x', "ss", "0xfffe");
    PRF('o', "ss", "0177776");
    PRF('t', "ss", "1111111111111110");
    PRF('u', "ss", "65534");
    PRF('d', "us", "-1");
    PRF('s', "i", "-5");
    PRF('x', "(char)-1", "0xff");
    PRF('z', "0", "0x00000000");
    PRF('o', "8", "010");
    PRF('t', "8", "1000");

    /* Floats as gdb prints them (gdb 13.1) */
    PR("1.0/3", "0.33333333333333331");
    PR("10.0f", "10");
    PR("1.5e10", "15000000000");
    PR("100000000000000000000.0", "1e+20");
    PR("1.0/0", "inf");
    PR("-1.0/0", "-inf");
    PR("(float)1/3", "0.333333343");
    PR("2.5e-10f", "2.49999993e-10");
    PR("1e-5", "1.0000000000000001e-05");
    PR("123456789.0", "123456789");
    PR("1.0e16", "10000000000000000");
    PR("1e17", "1e+17");
    PR("(float)(1.0/0)", "inf");
    PR("0x1p4", "16");
    PR("1.5l", "1.5");
}

static void test_print_aggregates(void)
{
    /* gdb 13.1 */
    PR("pt", "{x = 1, y = 2}");
    PR("o", "{p = {x = 3, y = 4}, n = 5, name = \"abc\\000\\000\\000\\000\"}");
    PR("arr", "{1, 2, 3}");
    PR("zeros", "{0 <repeats 15 times>}");
    PR("rep10", "{0, 0, 0, 0, 0, 0, 0, 0, 0, 0}");
    PR("rep11", "{0 <repeats 11 times>}");
    PR("mixed", "{1, 0 <repeats 12 times>, 5}");
    PR("bigz", "{0 <repeats 300 times>}");
    PR("buf", "\"hi\", '\\000' <repeats 13 times>");
    PR("full", "\"abcd\"");
    PR("zbuf", "\"\\000\\000\\000\"");
    PR("longs", "'x' <repeats 250 times>");
    PR("esc", "\"a\\\"b\\\\\\t\"");
    PR("s2", "\"abc\", '\\000' <repeats 12 times>, \"xyz\\000\"");
    PR("m2", "{{1, 2, 3}, {4, 5, 6}}");
    PR("m3", "{{{0, 0}, {0, 0}, {0, 0}}, {{0, 0}, {0, 0}, {0, 0}}}");
    PR("pts", "{{x = 0, y = 0} <repeats 12 times>}");
    PR("flags", "{false <repeats 12 times>}");
    PR("un", "{i = 1065353216, f = 1}");
    PR("bits", "{a = 5, b = -3, c = 1}");
    PR("an", "{a = 1, {b = 2, c = 2.80259693e-45}, s = {d = 3}}");
    PR("em", "{<No data fields>}");
    PR("dd", "{<Base> = {a = 1}, b = 2}");
    PR("many_a", "'a' <repeats 12 times>, \"\\000\\000\\000\"");
    PR("fps", "{0x0, 0x0, 0x0, 0x0}");
    PR("ppa", "{{0x0, 0x0, 0x0}, {0x0, 0x0, 0x0}}");
    PRF('x', "pt", "{x = 0x1, y = 0x2}");
    PRF('x', "arr", "{0x1, 0x2, 0x3}");
    PRF('x', "buf", "{0x68, 0x69, 0x0 <repeats 14 times>}");
    PRF('s', "buf", "\"hi\", '\\000' <repeats 13 times>");
    PRF('c', "arr", "{1 '\\001', 2 '\\002', 3 '\\003'}");
    PRF('x', "un", "{i = 0x3f800000, f = 0x3f800000}");
    PRF('x', "dd", "{<Base> = {a = 0x1}, b = 0x2}");
    PRF('x', "m2", "{{0x1, 0x2, 0x3}, {0x4, 0x5, 0x6}}");
    PRF('d', "full", "{97, 98, 99, 100}");

    /* The 200-element limit: `big` holds 0..299 (gdb 13.1). */
    char want[2000];
    size_t n = 0;
    n += (size_t)snprintf(want + n, sizeof want - n, "{");
    for (int k = 0; k < 200; k++)
        n += (size_t)snprintf(want + n, sizeof want - n, "%s%d", k ? ", " : "", k);
    snprintf(want + n, sizeof want - n, "...}");
    PR("big", want);
    /* 250 characters cycling a..z: 200 of them, then "..." (gdb 13.1). */
    n = 0;
    want[n++] = '"';
    for (int k = 0; k < 200; k++)
        want[n++] = (char)('a' + k % 26);
    strcpy(want + n, "\"...");
    PR("cyc", want);
    /* gdb 13.1, "p cyc + 60": the 190 characters up to the NUL after the
     * array; "p cyc + 1": 200 characters, then "...". */
    wb_value v;
    wb_error err;
    int64_t cyc = 0;
    CHECK(wb_eval_expr(EV, &ENV, "(long)cyc", &v, &err) == WB_OK &&
          wb_value_as_i64(&v, &cyc, &err) == WB_OK);
    wb_value_free(&v);
    n = (size_t)snprintf(want, sizeof want, "0x%x \"", (unsigned)cyc + 60);
    for (int k = 60; k < 250; k++)
        want[n++] = (char)('a' + k % 26);
    strcpy(want + n, "\"");
    PR("cyc + 60", want);
    n = (size_t)snprintf(want, sizeof want, "0x%x \"", (unsigned)cyc + 1);
    for (int k = 1; k < 201; k++)
        want[n++] = (char)('a' + k % 26);
    strcpy(want + n, "\"...");
    PR("cyc + 1", want);
    n = (size_t)snprintf(want, sizeof want, "0x%x 'x' <repeats 200 times>...", (unsigned)cyc - 252);
    PR("(char *)longs", want);
}

static void test_print_pointers(void)
{
    /* Native gdb prints addresses of its own; these follow its forms. */
    PR("np", "(int *) 0x0");
    PR("ip", "(int *) 0x1000");
    PRF('x', "ip", "0x1000");
    PRF('d', "ip", "4096");
    PR("vp", "(void *) 0x1000");
    PR("*ip", "-5");
    char want[300];
    wb_value v;
    wb_error err;
    CHECK(wb_eval_expr(EV, &ENV, "cp", &v, &err) == WB_OK);
    uint32_t text = (uint32_t)v.bytes[0] | (uint32_t)v.bytes[1] << 8;
    wb_value_free(&v);
    snprintf(want, sizeof want, "0x%x \"text\"", text);
    PR("cp", want);
    PRF('s', "cp", want);
    snprintf(want, sizeof want, "0x%x", text);
    PRF('x', "cp", want);
    snprintf(want, sizeof want, "0x%x \"ext\"", text + 1);
    PR("cp + 1", want);
    PR("*cp", "116 't'");
    PR("cp[1]", "101 'e'");
    PRF('c', "cp", "-56 '\\310'"); /* the low byte of the address */
    snprintf(want, sizeof want, "0x%x \"\"", text + 0x30);
    PR("cpe", want);
    PR("cpbad", "0x10 <error: Cannot access memory at address 0x10>");
    PR("fp", "(int (*)(int)) 0x1 <fib>");
    /* a pc ($pc): a code offset, not a table index, in gdb's words */
    PR("pcreg", "(void (*)()) 0x12 <fib+2>");
    PR("pcreg2", "(void (*)()) 0x10 <fib>");
    PRF('x', "pcreg", "0x12");
    char tn[64];
    wb_type_spell(&t_pcreg, NULL, tn, sizeof tn);
    CHECK_STR(tn, "void (*)()");
    PR("fp7", "(int (*)(int)) 0x7");
    PR("fpv", "(int (*)(int, ...)) 0x0");
    PR("fpp", "(int (**)(int, char *)) 0x0");
    PR("*fp", "{int (int)} 0x1 <fib>");
    PR("&*fp", "(int (*)(int)) 0x1 <fib>");
    PR("ptp", "(struct point *) 0x108c");
    PR("ptpt", "(point_t *) 0x108c");
    PR("*ptp", "{x = 1, y = 2}");
    PR("ptp->y", "2");
    PR("opq", "(struct opaque *) 0x108c");
    PR("*opq", "<incomplete type>");
    PR("ref", "(int &) @0x1000: -5");
    PRF('x', "ref", "(int &) @0x1000: 0xfffffffb");
    PR("sref", "{r = @0x1000, p = 0x1000}");
    snprintf(want, sizeof want, "0x%x \"x\"", text + 0x38);
    PR("cpc", want);
    PR("argvp", "(char **) 0x0");
    PR("parr", "(int (*)[3]) 0x10a8");
    PR("*parr", "{1, 2, 3}");
    PR("(*parr)[2]", "3");
    PR("&arr", "(int (*)[3]) 0x10a8");
    PR("&arr[1]", "(int *) 0x10ac");
    PR("arr + 1", "(int *) 0x10ac");
    PR("*arr", "1");
    PR("&pt", "(struct point *) 0x108c");
    PR("&pt.y", "(int *) 0x1090");
    PR("&m2[1]", "(int (*)[3]) 0x1d14");
    PR("m2[1]", "{4, 5, 6}");
    PR("m2[1][2]", "6");
    PR("*m2[1]", "4");
    PR("sizeof(m2[1])", "12");
    PR("&((struct point *)0)->y", "(int *) 0x4");
    ERR("((struct point *)0)->y", "Cannot access memory at address 0x4");
    PR("(struct point *)0", "(struct point *) 0x0");
    PR("*(struct point *)&pt", "{x = 1, y = 2}");
    PR("ip + 1", "(int *) 0x1004");
    PR("ip - 1", "(int *) 0xffc");
    PR("(ip + 3) - ip", "3");
    WHATIS("(ip + 3) - ip", "long");
    PR("ip == ip", "1");
    PR("ip < ip + 1", "1");
    PR("np == 0", "1");
    PR("!np", "1");
    PR("(char *)ip + 1", "0x1001 \"\\377\\377\\377\"");
    PR("(long)ip", "4096");
    PR("(int *)4096", "(int *) 0x1000");
    PR("*(int *)4096", "-5");
    PR("*4096", "-5");
    PR("big[5]@3", "{5, 6, 7}");
    PR("*big@3", "{0, 1, 2}");
    WHATIS("big[5]@3", "int [3]");
    ERR("3@2", "Only values in memory can be extended with '@'.");
    snprintf(want, sizeof want, "{p = 0x1000, s = 0x%x \"t\", f = 0x1 <fib>}", text + 3);
    PR("wp", want);
}

/* With data symbols, a data pointer names the variable it points into
 * as gdb does; function pointers, null pointers, /x and references do
 * not change. */
static void test_print_data_symbols(void)
{
    ENV.data_symbol = p_data_symbol;
    PR("ip", "(int *) 0x1000 <i>");
    PR("&arr", "(int (*)[3]) 0x10a8 <arr>");
    PR("&arr[1]", "(int *) 0x10ac <arr+4>");
    PR("arr + 3", "(int *) 0x10b4");
    PR("&pt.y", "(int *) 0x1090 <pt+4>");
    PR("ptpt", "(point_t *) 0x108c <pt>");
    PR("(char *)ip + 1", "0x1001 <i+1> \"\\377\\377\\377\"");
    PR("sref", "{r = @0x1000, p = 0x1000 <i>}");
    PR("ref", "(int &) @0x1000: -5");
    PRF('x', "ip", "0x1000");
    PR("np", "(int *) 0x0");
    PR("fp", "(int (*)(int)) 0x1 <fib>");
    ENV.data_symbol = NULL;
}

static void test_strings_and_chars(void)
{
    PR("'a'", "97 'a'");
    PR("'\\n'", "10 '\\n'");
    PR("'\\x41'", "65 'A'");
    PR("'\\101'", "65 'A'");
    PR("'\\0'", "0 '\\000'");
    PR("'\\e'", "27 '\\033'");
    PR("'a' + 1", "98");
    PR("\"abc\"", "\"abc\"");
    PR("\"a\\nb\"", "\"a\\nb\"");
    PR("sizeof(\"abc\")", "4");
    PR("\"ab\" \"cd\"", "\"abcd\"");
    WHATIS("\"abc\"", "char [4]");
    PR("(char)65", "65 'A'");
    PR("(char)200", "-56 '\\310'");
    PR("(unsigned char)200", "200 '\\310'");
    PR("(unsigned char)300", "44 ','");
    ERR("'ab'", "Invalid character constant.");
    ERR("''", "A character constant must contain at least one character.");
    ERR("'a", "Unmatched single quote.");
    ERR("\"abc", "Unterminated string in expression.");
}

static void test_arithmetic(void)
{
    /* gdb 13.1 (on 64-bit Linux; values that agree with wasm32) */
    PR("10/3", "3");
    PR("-5 / 2", "-2");
    PR("-5 % 2", "-1");
    PR("5 / -2", "-2");
    PR("1 + 2 * 3", "7");
    PR("(1 + 2) * 3", "9");
    PR("3 > 2", "1");
    PR("1 ? 2 : 3", "2");
    PR("0 ? 2 : 3.0", "3");
    PR("1 ? 2 : 3.0", "2");
    PR("!5", "0");
    PR("~0", "-1");
    PR("~5", "-6");
    PR("-2147483648", "-2147483648");
    PR("0x80000000", "2147483648");
    PR("10u", "10");
    PR("1 == 1.0", "1");
    PR("5 - 10u", "4294967291");
    PR("-1 < 0u", "0");
    PR("1 << 31", "-2147483648");
    PR("1 << 40", "0");
    PR("1LL << 40", "1099511627776");
    PR("1 << 31 >> 31", "-1");
    PR("0x80000000 >> 1", "1073741824");
    PR("-8 >> 1", "-4");
    PR("07", "7");
    PR("1.5 + 2", "3.5");
    PR("3.0f * 2", "6");
    PR("1.0f / 3", "0.333333343");
    PR("3 - 5u", "4294967294");
    PR("(char)1 - 2", "-1");
    PR("ss * 2", "-4");
    PR("1 && 2", "1");
    PR("0 || 0", "0");
    PR("5 & 3", "1");
    PR("5 ^ 3", "6");
    PR("5 | 3", "7");
    PR("1 < 2 < 3", "1");
    PR("!0 + !!5", "2");
    PR("-uc", "-200");
    PR("+uc", "200");
    PR("-(unsigned char)1", "-1");
    PR("0x7fffffffffffffff", "9223372036854775807");
    PR("0xffffffffffffffff", "18446744073709551615");
    PR("18446744073709551615", "18446744073709551615");
    PR("pt.x + pt.y * 10", "21");
    PR("(((((((1)))))))", "1");
    PR("1, 2", "2");
    PR("ff / 0", "inf");
    PR("lg + 1", "4");
    PR("ll + 1", "-1234567890122");
    PR("u32 + 1", "4000000001");
    PR("-0x80000000", "2147483648");
    PR("2147483647 + 1", "-2147483648");
    PR("-2147483648 / -1", "2147483648");        /* a long long in ILP32 */
    PR("(-2147483647 - 1) / -1", "-2147483648"); /* int overflow wraps, no trap */
    PR("-9223372036854775807LL - 1", "-9223372036854775808");
    PR("(-9223372036854775807LL - 1) / -1", "-9223372036854775808");
    PR("(-9223372036854775807LL - 1) % -1", "0");
    PR("col + 1", "2");
    PR("bt + 1", "2");
    PR("1 ? ip : 0", "(int *) 0x1000");

    /* Types of results (gdb 13.1, adapted to ILP32 where long is 4 bytes) */
    WHATIS("1u", "unsigned int");
    WHATIS("1ul", "unsigned long");
    WHATIS("1ll", "long long");
    WHATIS("1.0f", "float");
    WHATIS("'a'", "char");
    WHATIS("1 + 'a'", "int");
    WHATIS("us + 1", "int");
    WHATIS("1 == 1", "int");
    WHATIS("sizeof(int)", "int");
    WHATIS("2147483648", "long long");
    WHATIS("4294967296", "long long");
    WHATIS("0x80000000", "unsigned int");
    WHATIS("0xffffffff", "unsigned int");
    WHATIS("0x100000000", "long long");
    WHATIS("10l", "long");
    WHATIS("-1u", "unsigned int");
    WHATIS("1.5 + 1", "double");
    WHATIS("ff * 2", "float");
    WHATIS("ff * 2.0", "double");
    WHATIS("bt + 1", "int");
    WHATIS("!1.5", "int");
    WHATIS("~uc", "int");
    WHATIS("-uc", "int");
    WHATIS("1 ? uc : 2.0", "unsigned char");
    WHATIS("lg + 1", "long");
    WHATIS("lg + 1u", "unsigned long");
    WHATIS("ll + u32", "long long");
    WHATIS("pt", "struct point");
    WHATIS("pp", "point_t");
    WHATIS("&pp", "point_t *");
    WHATIS("an.s", "struct {...}");
    WHATIS("&an.s", "struct {...} *");
    WHATIS("m3[0]", "int [3][2]");
    WHATIS("&m3", "int (*)[2][3][2]");
    WHATIS("&fps", "void (*(*)[4])(void)");
    WHATIS("cp + 1", "char *");
}

static void test_casts_and_sizeof(void)
{
    WHATIS("(char)1", "char");
    WHATIS("(unsigned)1", "unsigned int");
    WHATIS("(long unsigned int)1", "unsigned long");
    WHATIS("(unsigned char *)0", "unsigned char *");
    WHATIS("(signed char)0", "signed char");
    WHATIS("(short int)0", "short");
    WHATIS("(long long unsigned)0", "unsigned long long");
    WHATIS("(point_t *)0", "point_t *");
    WHATIS("(struct point **)0", "struct point **");
    WHATIS("(char (*)[4])0", "char (*)[4]");
    WHATIS("(int (*)(int))0", "int (*)(int)");
    WHATIS("(int (*)(int, char *))0", "int (*)(int, char *)");
    WHATIS("(void (*[4])(void))0", "error: Invalid cast.");
    WHATIS("(_Bool)1", "_Bool");
    WHATIS("(const char *)0", "const char *");
    WHATIS("(char * const)0", "char * const");
    WHATIS("(myint)5", "myint");
    WHATIS("(enum color)1", "enum color");
    PR("(enum color)2", "BLUE");
    PR("(myint)5", "5");
    PR("(point_t)pp", "{x = 1, y = 2}");
    PR("(float)1", "1");
    PR("(int)2.9", "2");
    PR("(int)-2.9", "-2");
    PR("(_Bool)5", "true");
    PR("(_Bool)0.5", "true");
    PR("(unsigned short)-1", "65535");
    PR("(long long)-1", "-1");
    PR("(unsigned long long)-1", "18446744073709551615");
    PR("(double)3", "3");
    PR("(void)0", "void");
    PR("(char)c", "97 'a'");
    ERR("(struct point)1", "Invalid cast.");
    ERR("(struct nosuch *)0", "No struct type named nosuch.");
    ERR("(union nosuch *)0", "No union type named nosuch.");
    ERR("(float *)1.5", "Invalid cast.");

    PR("sizeof(int)", "4");
    PR("sizeof i", "4");
    PR("sizeof(pt)", "8");
    PR("sizeof(char)", "1");
    PR("sizeof(m3)", "48");
    PR("sizeof m3[0]", "24");
    PR("sizeof(point_t)", "8");
    PR("sizeof(int *)", "4");
    PR("sizeof(long)", "4");
    PR("sizeof(long long)", "8");
    PR("sizeof(double)", "8");
    PR("sizeof 1.0f", "4");
    PR("sizeof(char[10])", "10");
    PR("sizeof (int (*)(int))", "4");
    PR("sizeof(struct point)", "8");
    PR("sizeof(void)", "1");
    PR("sizeof(myint)", "4");
    /* sizeof does not evaluate: no read of memory at 0 */
    PR("sizeof(*np)", "4");
    PR("sizeof(1/0)", "4");
    /* A variable shadows a typedef of the same name (`i` is both here). */
    PR("sizeof(i)", "4");
    PR("(i)", "-5");
    PR("(i) + 1", "-4");

    const wb_type *t;
    wb_error err;
    char buf[128];
    CHECK(wb_eval_type(EV, &ENV, "struct point *", &t, &err) == WB_OK);
    wb_type_spell(t, NULL, buf, sizeof buf);
    CHECK_STR(buf, "struct point *");
    CHECK(wb_eval_type(EV, &ENV, "unsigned int", &t, &err) == WB_OK);
    wb_type_spell(t, NULL, buf, sizeof buf);
    CHECK_STR(buf, "unsigned int");
    CHECK(wb_eval_type(EV, &ENV, "char **", &t, &err) == WB_OK);
    wb_type_spell(t, NULL, buf, sizeof buf);
    CHECK_STR(buf, "char **");
    CHECK(wb_eval_type(EV, &ENV, "int (*)(int, ...)", &t, &err) == WB_OK);
    wb_type_spell(t, NULL, buf, sizeof buf);
    CHECK_STR(buf, "int (*)(int, ...)");
    CHECK(wb_eval_type(EV, &ENV, "void (*[4])(void)", &t, &err) == WB_OK);
    wb_type_spell(t, NULL, buf, sizeof buf);
    CHECK_STR(buf, "void (*[4])(void)");
    CHECK(wb_eval_type(EV, &ENV, "int [2][3]", &t, &err) == WB_OK);
    CHECK_EQ(wb_type_size(t), 24);
    CHECK(wb_eval_type(EV, &ENV, "point_t", &t, &err) == WB_OK && t == &t_point_t);
    CHECK(wb_eval_type(EV, &ENV, "pt", &t, &err) == WB_NOT_FOUND);
    CHECK(wb_eval_type(EV, &ENV, "pt + 1", &t, &err) == WB_NOT_FOUND);
    CHECK(wb_eval_type(EV, &ENV, "struct nosuch", &t, &err) == WB_ERROR);
    CHECK_STR(err.msg, "No struct type named nosuch.");
    CHECK(wb_eval_type(EV, &ENV, "long long long", &t, &err) == WB_ERROR);
    /* The same pointer type is made once. */
    const wb_type *t2;
    CHECK(wb_eval_type(EV, &ENV, "struct point *", &t, &err) == WB_OK);
    CHECK(wb_eval_type(EV, &ENV, "struct point*", &t2, &err) == WB_OK);
    CHECK(t == t2);
}

static void test_members_and_index(void)
{
    PR("pt.x", "1");
    PR("ptp->x", "1");
    PR("pt->x", "1"); /* gdb 13.1 accepts -> on a struct */
    PR("ptp.x", "1"); /* and . on a pointer */
    PR("o.p.y", "4");
    PR("o.name", "\"abc\\000\\000\\000\\000\"");
    PR("o.name[1]", "98 'b'");
    PR("*o.name", "97 'a'");
    PR("an.b", "2");
    PR("an.s.d", "3");
    PR("dd.a", "1");
    PR("dd.b", "2");
    PR("bits.a", "5");
    PR("bits.b", "-3");
    PR("bits.c", "1");
    PR("arr[1]", "2");
    PR("arr[1 + 1]", "3");
    PR("cyc[25]", "122 'z'");
    PR("ip[0]", "-5");
    PR("\"abc\"[1]", "98 'b'");
    ERR("pt.z", "There is no member named z.");
    ERR("i.x", "Attempt to extract a component of a value that is not a structure.");
    ERR("i->x", "Attempt to extract a component of a value that is not a structure pointer.");
    ERR("i[0]", "cannot subscript something of type `int'");
    ERR("1[arr]", "cannot subscript something of type `int'");
    ERR("*pt", "Attempt to take contents of a non-pointer value.");
    ERR("*vp", "Attempt to take contents of a non-pointer value.");
    ERR("*np", "Cannot access memory at address 0x0");
    ERR("*(int*)0x12345678", "Cannot access memory at address 0x12345678");
    ERR("unmapped", "Cannot access memory at address 0x10");
    ERR("huge", "value requires 4294967296 bytes, which is more than max-value-size");
    ERR("*(int (*)[100000])ip", "value requires 400000 bytes, which is more than max-value-size");
    ERR("&1", "Attempt to take address of value not located in memory.");
    ERR("&loc", "Attempt to take address of value not located in memory.");
    ERR("&bits.a", "Attempt to take address of value not located in memory.");
    ERR("fib(3)", "No symbol \"fib\" in current context.");
    ERR("pt(3)", "Calling functions is not supported.");
}

static void test_errors(void)
{
    ERR("1/0", "Division by zero");
    ERR("1%0", "Division by zero");
    ERR("1.5 % 2", "Integer-only operation on floating point number.");
    ERR("nosuch", "No symbol \"nosuch\" in current context.");
    ERR("99999999999999999999", "Numeric constant too large.");
    ERR("18446744073709551616", "Numeric constant too large.");
    ERR("1 +", "A syntax error in expression, near `'.");
    ERR("(1", "A syntax error in expression, near `'.");
    ERR("1 2", "A syntax error in expression, near `2'.");
    ERR(")", "A syntax error in expression, near `)'.");
    ERR("1 ? 2", "A syntax error in expression, near `'.");
    ERR("1.5.3", "Invalid number \"1.5.3\".");
    ERR("", "A syntax error in expression, near `'.");
    ERR("1 = 2", "Left operand of assignment is not an lvalue.");
    ERR("08", "Invalid number \"08\".");
    ERR("0x", "Invalid number \"0x\".");
    ERR("10x", "Invalid number \"10x\".");
    ERR("12abc", "Invalid number \"12abc\".");
    ERR("1 # 2", "Invalid character '#' in expression.");
    ERR("pt + 1", "Argument to arithmetic operation not a number or boolean.");
    ERR("ip * 2", "Argument to arithmetic operation not a number or boolean.");
    ERR("~1.5", "Argument to complement operation not an integer, boolean.");
    ERR("ld + 1", "long double arithmetic is not supported");
    ERR("int", "A syntax error in expression, near `int'.");
    ERR("sizeof", "A syntax error in expression, near `'.");
    ERR("pt.", "A syntax error in expression, near `'.");
    ERR("a::", "A syntax error in expression, near `a::'.");

    /* Deep nesting is refused, not a stack overflow. */
    char deep[4000];
    memset(deep, '(', 1000);
    strcpy(deep + 1000, "1");
    memset(deep + 1001, ')', 1000);
    deep[2001] = 0;
    ERR(deep, "Expression nested too deeply.");
    memset(deep, '-', 3000);
    strcpy(deep + 3000, "1");
    ERR(deep, "Expression nested too deeply.");
    memset(deep, '(', 1000);
    strcpy(deep + 1000, "int)1");
    ERR(deep, "Expression nested too deeply.");
    /* 200 levels are fine */
    memset(deep, '(', 200);
    strcpy(deep + 200, "7");
    memset(deep + 201, ')', 200);
    deep[401] = 0;
    PR(deep, "7");
    /* Very long input: refused cleanly. */
    char *lng = malloc(40000);
    for (int k = 0; k < 10000; k++)
        memcpy(lng + 4 * k, "1 + ", 4);
    strcpy(lng + 39996, "1");
    ERR(lng, "Expression too long.");
    free(lng);
    /* Junk bytes never crash. */
    static const char *junk[] = {"\x01",
                                 "$$$$",
                                 "(((",
                                 ")))",
                                 "[[",
                                 "->",
                                 "...",
                                 "@@",
                                 "'\\",
                                 "\"\\",
                                 "(int",
                                 "(int)",
                                 "(struct)",
                                 "(struct point",
                                 "sizeof(",
                                 "*&*&",
                                 "1?:2",
                                 "::",
                                 "a.b.c.d",
                                 "$$99999999999",
                                 "(char (*)[",
                                 "(int (*)(int",
                                 "(int[9999999999999999999])0"};
    for (size_t k = 0; k < sizeof junk / sizeof junk[0]; k++) {
        wb_value v;
        wb_error err;
        if (wb_eval_expr(EV, &ENV, junk[k], &v, &err) == WB_OK) wb_value_free(&v);
        CHECK(1);
    }
    /* Random token soup (fixed seed): every outcome is a value or an
     * error; values format. Run under ASan+UBSan in CI. Assignments are
     * left out so that the program's variables stay as the tests expect. */
    static const char *const toks[] = {"(",
                                       ")",
                                       "[",
                                       "]",
                                       "*",
                                       "&",
                                       "-",
                                       "!",
                                       "~",
                                       "+",
                                       "/",
                                       "%",
                                       "<<",
                                       ">>",
                                       "<",
                                       "==",
                                       "&&",
                                       "||",
                                       "?",
                                       ":",
                                       ",",
                                       ".",
                                       "->",
                                       "@",
                                       "sizeof",
                                       "int",
                                       "char",
                                       "unsigned",
                                       "struct point",
                                       "point_t",
                                       "0",
                                       "1",
                                       "-1",
                                       "0x7fffffff",
                                       "2.5",
                                       "'a'",
                                       "\"s\"",
                                       "i",
                                       "pt",
                                       "ptp",
                                       "arr",
                                       "m2",
                                       "cp",
                                       "np",
                                       "ip",
                                       "big",
                                       "bits",
                                       "fp",
                                       "ref",
                                       "$",
                                       "$1",
                                       "x",
                                       "y",
                                       "ld",
                                       "huge",
                                       "un",
                                       "loc",
                                       "an",
                                       "dd"};
    uint32_t seed = 12345;
    int values = 0;
    for (int k = 0; k < 3000; k++) {
        char text[256];
        size_t len = 0;
        seed = seed * 1103515245u + 12345u;
        int ntok = 1 + (int)((seed >> 16) % 9);
        for (int t = 0; t < ntok; t++) {
            seed = seed * 1103515245u + 12345u;
            const char *w = toks[(seed >> 16) % (sizeof toks / sizeof toks[0])];
            len += (size_t)snprintf(text + len, sizeof text - len, "%s ", w);
        }
        wb_value v;
        wb_error err;
        if (wb_eval_expr(EV, &ENV, text, &v, &err) == WB_OK) {
            values++;
            static const char fmts[] = {0, 'x', 'd', 'c', 'f', 's', 'z', 't'};
            for (size_t f = 0; f < sizeof fmts; f++) {
                char *str = wb_value_format(&v, &ENV, fmts[f]);
                CHECK_MSG(str != NULL, "%s", text);
                free(str);
            }
            char *sum = wb_value_summary(&v, &ENV, 0);
            free(sum);
            wb_value_free(&v);
        } else {
            CHECK_MSG(err.msg[0] != 0, "%s: no message", text);
        }
    }
    CHECK(values > 100);
}

static void test_assignment(void)
{
    /* gdb 13.1: p i = 7, p pt.x = 9, p bits.b = 3, p arr[1] = 42 ... */
    PR("i = 7", "7");
    PR("i", "7");
    PR("pt.x = 9", "9");
    PR("pt", "{x = 9, y = 2}");
    PR("bits.b = 3", "3");
    PR("bits", "{a = 5, b = 3, c = 1}");
    PR("bits.a = 9", "1"); /* 9 does not fit in 3 bits */
    PR("bits", "{a = 1, b = 3, c = 1}");
    PR("bits.b = -16", "-16");
    PR("bits", "{a = 1, b = -16, c = 1}");
    PR("arr[1] = 42", "42");
    PR("arr", "{1, 42, 3}");
    PR("ss = 70000", "4464");
    PR("ss", "4464");
    PR("us += 1", "0");
    PR("us", "0");
    PR("mi *= 3", "9");
    PR("mi++", "9");
    PR("mi", "10");
    PR("--mi", "9");
    PR("ff = 3", "3");
    PR("ff", "3");
    PR("pp = pp", "{x = 1, y = 2}");
    PR("ptp->y = 5", "5");
    PR("pt.y", "5");
    PR("*ip = -5", "-5");
    PR("i", "-5");
    PR("i = i + 1, i", "-4");
    PR("i = -5", "-5");
    PR("c = 'b'", "98 'b'");
    PR("d = 1", "1");
    PR("col = 2", "BLUE");
    PR("bt = 7", "true");
    PR("i == 5 || (i = 3)", "1");
    PR("i", "3");
    PR("1 || (i = 4)", "1");
    PR("i", "3");
    PR("0 && (i = 4)", "0");
    PR("i", "3");
    PR("1 ? 5 : (i = 4)", "5");
    PR("i", "3");
    PR("sizeof(i = 4)", "4");
    PR("i", "3");
    PR("i = -5", "-5");
    /* Registers (Wasm locals) go through write_place. */
    int before = P->place_writes;
    PR("loc = 43", "43");
    CHECK_EQ(P->place_writes, before + 1);
    CHECK_EQ(P->locals[0], 43);
    PR("loc", "43");
    PR("locd = 1.5", "1.5");
    PR("locd", "1.5");
    P->place_readonly = true;
    ERR("loc = 1", "Cannot write Wasm local 0: the target does not support it.");
    P->place_readonly = false;
    ERR("pt = 1", "Invalid cast.");
    ERR("arr + 1 = 2", "Left operand of assignment is not an lvalue.");
    ERR("unmapped = 1", "Cannot access memory at address 0x10");
    ERR("*(int *)0x10 = 1", "Cannot access memory at address 0x10");
}

static void test_history(void)
{
    wb_eval *e = wb_eval_new();
    wb_value v;
    wb_error err;
    char *s;
    CHECK(wb_eval_expr(e, &ENV, "$", &v, &err) == WB_ERROR);
    CHECK_STR(err.msg, "The history is empty.");
    CHECK(wb_eval_expr(e, &ENV, "$$", &v, &err) == WB_ERROR);
    CHECK_STR(err.msg, "History does not go back to $$1.");
    CHECK(wb_eval_expr(e, &ENV, "$1", &v, &err) == WB_ERROR);
    CHECK_STR(err.msg, "History has not yet reached $1.");
    static const char *vals[] = {"5", "pt", "6"};
    for (unsigned k = 0; k < 3; k++) {
        CHECK(wb_eval_expr(e, &ENV, vals[k], &v, &err) == WB_OK);
        CHECK_EQ(wb_eval_record(e, &v), k + 1);
        wb_value_free(&v);
    }
    static const struct {
        const char *expr, *want;
    } h[] = {{"$", "6"},
             {"$$", "{x = 9, y = 5}"},
             {"$$0", "6"},
             {"$$2", "5"},
             {"$1", "5"},
             {"$2.y", "5"},
             {"$1 + $3", "11"},
             {"$_", "void"},
             {"$nonexistent", "void"}};
    for (size_t k = 0; k < sizeof h / sizeof h[0]; k++) {
        CHECK_MSG(wb_eval_expr(e, &ENV, h[k].expr, &v, &err) == WB_OK, "%s: %s", h[k].expr,
                  err.msg);
        s = wb_value_format(&v, &ENV, 0);
        CHECK_MSG(s && strcmp(s, h[k].want) == 0, "%s = %s, expected %s", h[k].expr, s, h[k].want);
        free(s);
        wb_value_free(&v);
    }
    CHECK(wb_eval_expr(e, &ENV, "$9", &v, &err) == WB_ERROR);
    CHECK_STR(err.msg, "History has not yet reached $9.");
    CHECK(wb_eval_expr(e, &ENV, "$$4", &v, &err) == WB_ERROR);
    CHECK_STR(err.msg, "History does not go back to $$4.");
    /* History values keep their contents when the program changes. */
    CHECK(wb_eval_expr(e, &ENV, "pt.x = 100", &v, &err) == WB_OK);
    wb_value_free(&v);
    CHECK(wb_eval_expr(e, &ENV, "$2", &v, &err) == WB_OK);
    s = wb_value_format(&v, &ENV, 0);
    CHECK_STR(s, "{x = 9, y = 5}");
    free(s);
    wb_value_free(&v);
    CHECK(wb_eval_expr(e, &ENV, "pt.x = 9", &v, &err) == WB_OK);
    wb_value_free(&v);
    /* A multi-dimensional row (with its own type) survives the history. */
    CHECK(wb_eval_expr(e, &ENV, "m2[1]", &v, &err) == WB_OK);
    unsigned n = wb_eval_record(e, &v);
    wb_value_free(&v);
    char expr[16];
    snprintf(expr, sizeof expr, "$%u", n);
    CHECK(wb_eval_expr(e, &ENV, expr, &v, &err) == WB_OK);
    s = wb_value_format(&v, &ENV, 0);
    CHECK_STR(s, "{4, 5, 6}");
    free(s);
    wb_value_free(&v);
    wb_eval_free(e);
    wb_eval_free(NULL);
}

static void test_children_and_summary(void)
{
    wb_value v, *kids;
    char **names;
    size_t n, total;
    wb_error err;
    char *s;

    CHECK(wb_eval_expr(EV, &ENV, "o", &v, &err) == WB_OK);
    s = wb_value_summary(&v, &ENV, 0);
    CHECK_STR(s, "{...}");
    free(s);
    CHECK(wb_value_children(&v, &ENV, 0, 100, &kids, &names, &n, &total, &err) == WB_OK);
    CHECK_EQ(n, 3);
    CHECK_EQ(total, 3);
    if (n == 3) {
        CHECK_STR(names[0], "p");
        CHECK_STR(names[2], "name");
        CHECK_EQ(kids[1].kind, WB_VAL_MEMORY);
        CHECK_EQ(kids[1].addr, v.addr + 8);
        s = wb_value_summary(&kids[0], &ENV, 0);
        CHECK_STR(s, "{...}");
        free(s);
        s = wb_value_summary(&kids[2], &ENV, 0);
        CHECK_STR(s, "\"abc\\000\\000\\000\\000\"");
        free(s);
        s = wb_value_format(&kids[1], &ENV, 0);
        CHECK_STR(s, "5");
        free(s);
    }
    for (size_t k = 0; k < n; k++) {
        wb_value_free(&kids[k]);
        free(names[k]);
    }
    free(kids);
    free(names);
    wb_value_free(&v);

    /* Arrays: paging through the elements. */
    CHECK(wb_eval_expr(EV, &ENV, "big", &v, &err) == WB_OK);
    s = wb_value_summary(&v, &ENV, 0);
    CHECK_STR(s, "[300]");
    free(s);
    CHECK(wb_value_children(&v, &ENV, 100, 10, &kids, &names, &n, &total, &err) == WB_OK);
    CHECK_EQ(n, 10);
    CHECK_EQ(total, 300);
    if (n == 10) {
        CHECK_STR(names[0], "[100]");
        s = wb_value_format(&kids[9], &ENV, 0);
        CHECK_STR(s, "109");
        free(s);
    }
    for (size_t k = 0; k < n; k++) {
        wb_value_free(&kids[k]);
        free(names[k]);
    }
    free(kids);
    free(names);
    CHECK(wb_value_children(&v, &ENV, 300, 10, &kids, &names, &n, &total, &err) == WB_OK);
    CHECK_EQ(n, 0);
    wb_value_free(&v);

    /* Multi-dimensional arrays: rows with their own type. */
    CHECK(wb_eval_expr(EV, &ENV, "m2", &v, &err) == WB_OK);
    CHECK(wb_value_children(&v, &ENV, 0, 10, &kids, &names, &n, &total, &err) == WB_OK);
    CHECK_EQ(n, 2);
    if (n == 2) {
        s = wb_value_format(&kids[1], &ENV, 0);
        CHECK_STR(s, "{4, 5, 6}");
        free(s);
        char tn[64];
        wb_type_spell(kids[1].type, NULL, tn, sizeof tn);
        CHECK_STR(tn, "int [3]");
        wb_value c;
        CHECK(wb_value_copy(&c, &kids[1], &err) == WB_OK);
        CHECK(c.type == c.own_type && c.own_type != kids[1].own_type);
        wb_value_free(&c);
    }
    for (size_t k = 0; k < n; k++) {
        wb_value_free(&kids[k]);
        free(names[k]);
    }
    free(kids);
    free(names);
    wb_value_free(&v);

    /* Pointers: one child, the pointee. */
    CHECK(wb_eval_expr(EV, &ENV, "ptp", &v, &err) == WB_OK);
    s = wb_value_summary(&v, &ENV, 0);
    CHECK_STR(s, "0x108c");
    free(s);
    CHECK(wb_value_children(&v, &ENV, 0, 10, &kids, &names, &n, &total, &err) == WB_OK);
    CHECK_EQ(n, 1);
    if (n == 1) {
        CHECK_STR(names[0], "*p");
        s = wb_value_format(&kids[0], &ENV, 0);
        CHECK_STR(s, "{x = 9, y = 5}");
        free(s);
        free(names[0]);
        wb_value_free(&kids[0]);
    }
    free(kids);
    free(names);
    wb_value_free(&v);
    /* void * and scalars: no children; a bad pointer: an error. */
    CHECK(wb_eval_expr(EV, &ENV, "vp", &v, &err) == WB_OK);
    CHECK(wb_value_children(&v, &ENV, 0, 10, &kids, &names, &n, &total, &err) == WB_OK);
    CHECK_EQ(total, 0);
    wb_value_free(&v);
    CHECK(wb_eval_expr(EV, &ENV, "np", &v, &err) == WB_OK);
    CHECK(wb_value_children(&v, &ENV, 0, 10, &kids, &names, &n, &total, &err) == WB_ERROR);
    CHECK_STR(err.msg, "Cannot access memory at address 0x0");
    wb_value_free(&v);
    /* Bitfield children keep their place. */
    CHECK(wb_eval_expr(EV, &ENV, "bits", &v, &err) == WB_OK);
    CHECK(wb_value_children(&v, &ENV, 0, 10, &kids, &names, &n, &total, &err) == WB_OK);
    CHECK_EQ(n, 3);
    if (n == 3) {
        CHECK_EQ(kids[1].bit_size, 5);
        CHECK_EQ(kids[1].bit_offset, 3);
        s = wb_value_format(&kids[1], &ENV, 0);
        CHECK_STR(s, "-16");
        free(s);
    }
    for (size_t k = 0; k < n; k++) {
        wb_value_free(&kids[k]);
        free(names[k]);
    }
    free(kids);
    free(names);
    wb_value_free(&v);
    /* References show their referee. */
    CHECK(wb_eval_expr(EV, &ENV, "ref", &v, &err) == WB_OK);
    s = wb_value_summary(&v, &ENV, 0);
    CHECK_STR(s, "@0x1000: -5");
    free(s);
    wb_value_free(&v);
    CHECK(wb_eval_expr(EV, &ENV, "cp", &v, &err) == WB_OK);
    s = wb_value_summary(&v, &ENV, 0);
    CHECK(s && strstr(s, " \"text\"") && s[0] == '0');
    free(s);
    wb_value_free(&v);
}

static void test_scalar_views(void)
{
    wb_value v;
    wb_error err;
    int64_t i;
    double d;
    bool t;
    CHECK(wb_value_from_bytes(&t_short, "\xfe\xff", 2, &v, &err) == WB_OK);
    CHECK(wb_value_as_i64(&v, &i, &err) == WB_OK && i == -2);
    CHECK(wb_value_as_double(&v, &d, &err) == WB_OK && d == -2);
    CHECK(wb_value_truth(&v, &t, &err) == WB_OK && t);
    wb_value_free(&v);
    CHECK(wb_value_from_bytes(&t_ushort, "\xfe\xff", 2, &v, &err) == WB_OK);
    CHECK(wb_value_as_i64(&v, &i, &err) == WB_OK && i == 65534);
    wb_value_free(&v);
    float f = 2.75f;
    CHECK(wb_value_from_bytes(&t_float, &f, 4, &v, &err) == WB_OK);
    CHECK(wb_value_as_double(&v, &d, &err) == WB_OK && d == 2.75);
    CHECK(wb_value_as_i64(&v, &i, &err) == WB_OK && i == 2);
    wb_value_free(&v);
    CHECK(wb_value_from_bytes(&t_point, NULL, 0, &v, &err) == WB_OK);
    CHECK(wb_value_as_i64(&v, &i, &err) == WB_ERROR);
    CHECK(wb_value_truth(&v, &t, &err) == WB_ERROR);
    wb_value_free(&v);
    CHECK(wb_value_from_bytes(&t_huge, NULL, 0, &v, &err) == WB_ERROR);
    CHECK(wb_value_from_bytes(&t_color, "\x02\0\0\0", 4, &v, &err) == WB_OK);
    CHECK(wb_value_as_i64(&v, &i, &err) == WB_OK && i == 2);
    char *s = wb_value_format(&v, &ENV, 0);
    CHECK_STR(s, "BLUE");
    free(s);
    wb_value_free(&v);
    wb_value opt = {.type = &t_int, .kind = WB_VAL_OPTIMIZED};
    s = wb_value_format(&opt, &ENV, 0);
    CHECK_STR(s, "<optimized out>");
    free(s);
    CHECK(wb_value_as_i64(&opt, &i, &err) == WB_ERROR);
    CHECK_STR(err.msg, "value has been optimized out");
    wb_value_free(&opt);
    /* Partly optimized out: the missing members say so. */
    uint8_t bytes[8] = {1, 0, 0, 0, 0, 0, 0, 0}, miss[8] = {0, 0, 0, 0, 1, 1, 1, 1};
    wb_value part = {.type = &t_point,
                     .kind = WB_VAL_RVALUE,
                     .size = 8,
                     .bytes = bytes,
                     .partial = true,
                     .missing = miss};
    s = wb_value_format(&part, &ENV, 0);
    CHECK_STR(s, "{x = 1, y = <optimized out>}");
    free(s);
    wb_value cpy;
    CHECK(wb_value_copy(&cpy, &part, &err) == WB_OK);
    CHECK(cpy.missing && cpy.missing != miss && cpy.missing[4] == 1);
    wb_value_free(&cpy);
}

/* A v128 local: all 16 bytes (lanes 1 2 -1 7), or none (error). */
static wb_status t_rd_bytes(void *u, wb_place_kind k, uint32_t i, uint8_t buf[16], size_t *len,
                            wb_error *err)
{
    (void)u;
    static const uint8_t b[16] = {1, 0, 0, 0, 2, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 7, 0, 0, 0};
    if (k != WB_PLACE_LOCAL || i != 2) return wb_fail(err, "%s", strerror(EINVAL));
    memcpy(buf, b, 16);
    *len = 16;
    return WB_OK;
}

/* wb_value_of_var through the real location evaluator (wb_loc.c). */
static wb_status t_rd_local(void *u, uint32_t i, uint64_t *v, wb_error *err)
{
    prog *p = u;
    if (i >= 4) return wb_fail(err, "%s", strerror(EINVAL));
    *v = p->locals[i];
    return WB_OK;
}

static void test_of_var(void)
{
    wb_loc_target t = {.user = P, .read_local = t_rd_local, .read_memory = p_read};
    wb_value v;
    wb_error err;
    char *s;
    /* DW_OP_addr 0x108c (pt) */
    static const uint8_t e_addr[] = {0x03, 0x8c, 0x10, 0x00, 0x00};
    wb_loc_range r_addr = {0, UINT32_MAX, e_addr, sizeof e_addr};
    wb_var pt = {.name = "pt", .type = &t_point, .nlocs = 1, .locs = &r_addr};
    CHECK(wb_value_of_var(&pt, 0x10, &t, &v, &err) == WB_OK);
    CHECK_EQ(v.kind, WB_VAL_MEMORY);
    CHECK_EQ(v.addr, 0x108c);
    s = wb_value_format(&v, &ENV, 0);
    CHECK_STR(s, "{x = 9, y = 5}");
    free(s);
    wb_value_free(&v);
    /* DW_OP_WASM_location 0 (local) 0, DW_OP_stack_value: the local's value */
    static const uint8_t e_loc[] = {0xed, 0x00, 0x00, 0x9f};
    wb_loc_range r_loc = {0, UINT32_MAX, e_loc, sizeof e_loc};
    wb_var lv = {.name = "loc", .type = &t_int, .nlocs = 1, .locs = &r_loc};
    P->locals[0] = 0xffffffffull; /* -1 as an i32 */
    CHECK(wb_value_of_var(&lv, 0x10, &t, &v, &err) == WB_OK);
    CHECK_EQ(v.kind, WB_VAL_REGISTER);
    CHECK_EQ(v.place, WB_PLACE_LOCAL);
    s = wb_value_format(&v, &ENV, 0);
    CHECK_STR(s, "-1");
    free(s);
    wb_value_free(&v);
    /* A vector in a v128 local: read whole when the target can (not the
     * 64-bit value and zeros), also as a piece; chars of a vector print as
     * numbers, not text. */
    static const uint8_t e_v128[] = {0xed, 0x00, 0x02, 0x9f};
    wb_loc_range r_v128 = {0, UINT32_MAX, e_v128, sizeof e_v128};
    wb_var vq = {.name = "v", .type = &t_v4i, .nlocs = 1, .locs = &r_v128};
    t.read_bytes = t_rd_bytes;
    CHECK_MSG(wb_value_of_var(&vq, 0x10, &t, &v, &err) == WB_OK, "%s", err.msg);
    s = wb_value_format(&v, &ENV, 0);
    CHECK_STR(s, "{1, 2, -1, 7}");
    free(s);
    wb_value_free(&v);
    static const uint8_t e_v128p[] = {0xed, 0x00, 0x02, 0x93, 0x10};
    wb_loc_range r_v128p = {0, UINT32_MAX, e_v128p, sizeof e_v128p};
    wb_var vc = {.name = "c", .type = &t_v16c, .nlocs = 1, .locs = &r_v128p};
    CHECK_MSG(wb_value_of_var(&vc, 0x10, &t, &v, &err) == WB_OK, "%s", err.msg);
    s = wb_value_format(&v, &ENV, 0);
    CHECK_STR(s, "{1, 0, 0, 0, 2, 0, 0, 0, -1, -1, -1, -1, 7, 0, 0, 0}");
    free(s);
    wb_value_free(&v);
    wb_var vbad = {.name = "v", .type = &t_v4i, .nlocs = 1, .locs = &r_loc};
    CHECK(wb_value_of_var(&vbad, 0x10, &t, &v, &err) == WB_ERROR);
    CHECK_STR(err.msg, "Cannot read Wasm local 0");
    t.read_bytes = NULL;
    P->locals[2] = 0x0000000200000001ull; /* no read_bytes: the low 8 bytes */
    CHECK(wb_value_of_var(&vq, 0x10, &t, &v, &err) == WB_OK);
    s = wb_value_format(&v, &ENV, 0);
    CHECK_STR(s, "{1, 2, 0, 0}");
    free(s);
    wb_value_free(&v);
    /* A location list that does not cover pc: optimized out. */
    wb_loc_range r_part = {0x100, 0x200, e_loc, sizeof e_loc};
    wb_var lv2 = {.name = "loc", .type = &t_int, .nlocs = 1, .locs = &r_part};
    CHECK(wb_value_of_var(&lv2, 0x10, &t, &v, &err) == WB_OK);
    CHECK_EQ(v.kind, WB_VAL_OPTIMIZED);
    s = wb_value_format(&v, &ENV, 0);
    CHECK_STR(s, "<optimized out>");
    free(s);
    wb_value_free(&v);
    /* No location at all; a constant. */
    wb_var none = {.name = "gone", .type = &t_int};
    CHECK(wb_value_of_var(&none, 0, &t, &v, &err) == WB_OK && v.kind == WB_VAL_OPTIMIZED);
    wb_value_free(&v);
    static const uint8_t cb[] = {7, 0, 0, 0};
    wb_var cv = {.name = "k", .type = &t_int, .has_const = true, .const_bytes = cb, .const_len = 4};
    CHECK(wb_value_of_var(&cv, 0, &t, &v, &err) == WB_OK && v.kind == WB_VAL_RVALUE);
    s = wb_value_format(&v, &ENV, 0);
    CHECK_STR(s, "7");
    free(s);
    wb_value_free(&v);
    /* Pieces: x in local 1, y optimized out (DW_OP_piece 4, DW_OP_piece 4). */
    static const uint8_t e_pieces[] = {0xed, 0x00, 0x01, 0x93, 0x04, 0x93, 0x04};
    wb_loc_range r_pieces = {0, UINT32_MAX, e_pieces, sizeof e_pieces};
    wb_var pv = {.name = "pt", .type = &t_point, .nlocs = 1, .locs = &r_pieces};
    P->locals[1] = 77;
    CHECK_MSG(wb_value_of_var(&pv, 0, &t, &v, &err) == WB_OK, "%s", err.msg);
    s = wb_value_format(&v, &ENV, 0);
    CHECK_STR(s, "{x = 77, y = <optimized out>}");
    free(s);
    CHECK(v.partial);
    wb_value_free(&v);
    /* DW_OP_lit5 DW_OP_stack_value */
    static const uint8_t e_val[] = {0x35, 0x9f};
    wb_loc_range r_val = {0, UINT32_MAX, e_val, sizeof e_val};
    wb_var vv = {.name = "five", .type = &t_int, .nlocs = 1, .locs = &r_val};
    CHECK_MSG(wb_value_of_var(&vv, 0, &t, &v, &err) == WB_OK, "%s", err.msg);
    CHECK_EQ(v.kind, WB_VAL_RVALUE);
    s = wb_value_format(&v, &ENV, 0);
    CHECK_STR(s, "5");
    free(s);
    wb_value_free(&v);
    /* Unreadable memory and a huge type: errors, no allocation. */
    static const uint8_t e_bad[] = {0x03, 0x10, 0x00, 0x00, 0x00};
    wb_loc_range r_bad = {0, UINT32_MAX, e_bad, sizeof e_bad};
    wb_var bv = {.name = "bad", .type = &t_int, .nlocs = 1, .locs = &r_bad};
    CHECK(wb_value_of_var(&bv, 0, &t, &v, &err) == WB_ERROR);
    CHECK_STR(err.msg, "Cannot access memory at address 0x10");
    wb_var hv = {.name = "huge", .type = &t_huge, .nlocs = 1, .locs = &r_addr};
    CHECK(wb_value_of_var(&hv, 0, &t, &v, &err) == WB_ERROR);
    CHECK_STR(err.msg, "value requires 4294967296 bytes, which is more than max-value-size");
    P->locals[0] = 42;
    P->locals[1] = 0x4004000000000000ull;
}

static wb_status pf_eval(void *u, const char *expr, size_t len, wb_value *out, wb_error *err)
{
    (void)u;
    char *t = strndup(expr, len);
    wb_status st = wb_eval_expr(EV, &ENV, t, out, err);
    free(t);
    return st;
}

/* What printf ARGS prints, then "ERR: message" on an error. */
static char *pf(const char *args)
{
    wb_sbuf o = {0};
    wb_error err;
    if (wb_printf(args, pf_eval, NULL, &ENV, &o, &err) != WB_OK) {
        wb_sb_add(&o, "ERR: ");
        wb_sb_add(&o, err.msg);
    }
    return wb_sb_take(&o);
}

#define CHECK_PF(args, want)                                                                       \
    do {                                                                                           \
        char *got_ = pf(args);                                                                     \
        CHECK_STR(got_, want);                                                                     \
        free(got_);                                                                                \
    } while (0)

/* gdb's printf (wb_printf.c): what the differential test (tests/wdb/cases/
 * printf.vs-gdb) cannot show, memory that is not there among it. */
static void test_printf(void)
{
    /* %s: a char *, a char array, a literal, 0; precision and width */
    CHECK_PF("\"%s|%s|%5.2s|%s|%.3s|\", cp, buf, cp, \"lit\", 0", "text|hi|   te|lit|(nu|");
    /* what was printed before an unreadable string stays printed */
    CHECK_PF("\"[%d] %s|\", 1, cpbad", "[1] ERR: Cannot access memory at address 0x10");
    /* the arguments are split at commas outside (), [] and quotes */
    CHECK_PF("\"%d %d %s %c%c %d\", (1, 2), buf[1], \"a,b\", 'a', ',', -5", "2 105 a,b a, -5");
    CHECK_PF("\"%p %p %-6p|\", 0, 16, 16", "(nil) 0x10 0x10  |");
    /* floating conversions: a float's value, a narrow integer's value, the
     * bits of 4- and 8-byte others (an int, a struct point {1, 2}) */
    var("pf_pt", &t_point, (const int32_t[]){1, 2}, 8);
    CHECK_PF("\"%f %f %g %g\", f15, uc, 1, pf_pt", "1.500000 200.000000 1.4013e-45 4.24399e-314");
    CHECK_PF("\"%d\", pt", "ERR: Value can't be converted to integer.");
    CHECK_PF("\"%f\", o", "ERR: Invalid cast.");
    CHECK_PF("\"%d\", nosuch", "ERR: No symbol \"nosuch\" in current context.");
    CHECK_PF("\"%ls\", 0", "ERR: wdb's printf has no wide characters (%ls)");
    CHECK_PF("\"\"", "");
    CHECK_PF("  \"%%|%c|\\t\"", "ERR: Wrong number of arguments for specified format-string");
    CHECK_PF("\"%%|%c|\\t\", 0", "%||\t");
}

/* ------------------------------------------------------------ Rust */

/* Types as rustc 1.63 describes them (see tests/rust for the real ones). */
#define RBASE(n, sz, e)                                                                            \
    {                                                                                              \
        .kind = WB_TYPE_BASE, .name = n, .qualified_name = n, .size = sz, .enc = e, .rust = true   \
    }
static const wb_type r_i32 = RBASE("i32", 4, WB_ENC_SIGNED);
static const wb_type r_u32 = RBASE("u32", 4, WB_ENC_UNSIGNED);
static const wb_type r_u8 = RBASE("u8", 1, WB_ENC_UNSIGNED);
static const wb_type r_i64 = RBASE("i64", 8, WB_ENC_SIGNED);
static const wb_type r_usize = RBASE("usize", 4, WB_ENC_UNSIGNED);
static const wb_type r_char = RBASE("char", 4, WB_ENC_UTF);
static const wb_member rm_point[] = {{"x", &r_i32, 0, 0, 0, false}, {"y", &r_i32, 4, 0, 0, false}};
static const wb_type r_point = {.kind = WB_TYPE_STRUCT,
                                .name = "Point",
                                .qualified_name = "values::Point",
                                .size = 8,
                                .nmembers = 2,
                                .members = rm_point,
                                .rust = true};
static const wb_type r_ppoint = {
    .kind = WB_TYPE_POINTER, .size = 4, .target = &r_point, .rust = true};
static const wb_member rm_tuple[] = {{"__0", &r_u8, 0, 0, 0, false},
                                     {"__1", &r_i64, 8, 0, 0, false}};
static const wb_type r_tuple = {.kind = WB_TYPE_STRUCT,
                                .name = "(u8, i64)",
                                .qualified_name = "(u8, i64)",
                                .size = 16,
                                .nmembers = 2,
                                .members = rm_tuple,
                                .rust = true};
/* Option<i32>: a u32 discriminant at 0, Some's value at 4 */
static const wb_type r_none = {.kind = WB_TYPE_STRUCT, .name = "None", .size = 8, .rust = true};
static const wb_member rm_some[] = {{"__0", &r_i32, 4, 0, 0, false}};
static const wb_type r_some = {.kind = WB_TYPE_STRUCT,
                               .name = "Some",
                               .size = 8,
                               .nmembers = 1,
                               .members = rm_some,
                               .rust = true};
static const wb_member rm_discr = {NULL, &r_u32, 0, 0, 0, false};
static const wb_variant rv_opt[] = {{true, 0, {"None", &r_none, 0, 0, 0, false}},
                                    {true, 1, {"Some", &r_some, 0, 0, 0, false}}};
static const wb_type r_opt = {.kind = WB_TYPE_STRUCT,
                              .name = "Option<i32>",
                              .qualified_name = "core::option::Option<i32>",
                              .size = 8,
                              .rust = true,
                              .has_variants = true,
                              .discr = &rm_discr,
                              .nvariants = 2,
                              .variants = rv_opt};
/* Option<&Point>: a niche, the pointer is the discriminant; Some is the
 * default variant */
static const wb_type r_none4 = {.kind = WB_TYPE_STRUCT, .name = "None", .size = 4, .rust = true};
static const wb_member rm_some4[] = {{"__0", &r_ppoint, 0, 0, 0, false}};
static const wb_type r_some4 = {.kind = WB_TYPE_STRUCT,
                                .name = "Some",
                                .size = 4,
                                .nmembers = 1,
                                .members = rm_some4,
                                .rust = true};
static const wb_variant rv_optref[] = {{true, 0, {"None", &r_none4, 0, 0, 0, false}},
                                       {false, 0, {"Some", &r_some4, 0, 0, 0, false}}};
static const wb_type r_optref = {.kind = WB_TYPE_STRUCT,
                                 .name = "Option<&values::Point>",
                                 .qualified_name = "core::option::Option<&values::Point>",
                                 .size = 4,
                                 .rust = true,
                                 .has_variants = true,
                                 .discr = &rm_discr,
                                 .nvariants = 2,
                                 .variants = rv_optref};
/* a user enum with a struct variant: Shape::Circle{r: i32} | Shape::Empty */
static const wb_member rm_circle[] = {{"r", &r_i32, 4, 0, 0, false}};
static const wb_type r_circle = {.kind = WB_TYPE_STRUCT,
                                 .name = "Circle",
                                 .size = 8,
                                 .nmembers = 1,
                                 .members = rm_circle,
                                 .rust = true};
static const wb_variant rv_shape[] = {{true, 0, {"Circle", &r_circle, 0, 0, 0, false}},
                                      {true, 1, {"Empty", &r_none, 0, 0, 0, false}}};
static const wb_type r_shape = {.kind = WB_TYPE_STRUCT,
                                .name = "Shape",
                                .qualified_name = "values::Shape",
                                .size = 8,
                                .rust = true,
                                .has_variants = true,
                                .discr = &rm_discr,
                                .nvariants = 2,
                                .variants = rv_shape};
/* &str, &[i32], Vec<i32> (buf holds the pointer, as RawVec's ptr does) */
static const wb_type r_pu8 = {.kind = WB_TYPE_POINTER, .size = 4, .target = &r_u8, .rust = true};
static const wb_type r_pi32 = {.kind = WB_TYPE_POINTER, .size = 4, .target = &r_i32, .rust = true};
static const wb_member rm_str[] = {{"data_ptr", &r_pu8, 0, 0, 0, false},
                                   {"length", &r_usize, 4, 0, 0, false}};
static const wb_type r_str = {.kind = WB_TYPE_STRUCT,
                              .name = "&str",
                              .qualified_name = "&str",
                              .size = 8,
                              .nmembers = 2,
                              .members = rm_str,
                              .rust = true};
static const wb_member rm_slice[] = {{"data_ptr", &r_pi32, 0, 0, 0, false},
                                     {"length", &r_usize, 4, 0, 0, false}};
static const wb_type r_slice = {.kind = WB_TYPE_STRUCT,
                                .name = "&[i32]",
                                .qualified_name = "&[i32]",
                                .size = 8,
                                .nmembers = 2,
                                .members = rm_slice,
                                .rust = true};
static const wb_member rm_raw[] = {{"ptr", &r_pi32, 0, 0, 0, false},
                                   {"cap", &r_usize, 4, 0, 0, false}};
static const wb_type r_raw = {.kind = WB_TYPE_STRUCT,
                              .name = "RawVec<i32>",
                              .qualified_name = "alloc::raw_vec::RawVec<i32>",
                              .size = 8,
                              .nmembers = 2,
                              .members = rm_raw,
                              .rust = true};
static const wb_member rm_vec[] = {{"buf", &r_raw, 0, 0, 0, false},
                                   {"len", &r_usize, 8, 0, 0, false}};
static const wb_type r_vec = {.kind = WB_TYPE_STRUCT,
                              .name = "Vec<i32>",
                              .qualified_name = "alloc::vec::Vec<i32>",
                              .size = 12,
                              .nmembers = 2,
                              .members = rm_vec,
                              .rust = true};
static const wb_type r_arr = {.kind = WB_TYPE_ARRAY,
                              .target = &r_i32,
                              .ndims = 1,
                              .dims = (const uint64_t[]){3},
                              .rust = true};

static void test_rust(void)
{
    int32_t pt[2] = {1, 2};
    uint32_t pa = var("rp", &r_point, pt, 8);
    uint8_t tu[16] = {7};
    int64_t m3 = -3;
    memcpy(tu + 8, &m3, 8);
    var("rt", &r_tuple, tu, 16);
    uint32_t some[2] = {1, 5}, none[2] = {0, 99}, bad[2] = {7, 0};
    var("rsome", &r_opt, some, 8);
    var("rnone", &r_opt, none, 8);
    var("rbad", &r_opt, bad, 8);
    var("rref", &r_optref, &pa, 4);
    uint32_t z = 0;
    var("rnull", &r_optref, &z, 4);
    uint32_t circle[2] = {0, 3}, empty[2] = {1, 0};
    var("rc", &r_shape, circle, 8);
    var("re", &r_shape, empty, 8);
    uint32_t text = cstr("hello, world");
    uint32_t str[2] = {text, 5};
    var("rs", &r_str, str, 8);
    int32_t els[3] = {1, 2, 3};
    uint32_t ea = var("relems", &r_arr, els, 12);
    uint32_t sl[2] = {ea + 4, 2};
    var("rsl", &r_slice, sl, 8);
    uint32_t vec[3] = {ea, 3, 3};
    var("rv", &r_vec, vec, 12);
    uint32_t ch = 'z';
    var("rch", &r_char, &ch, 4);
    char want[160];

    /* as gdb 13's Rust mode prints them (tests/rust compares with gdb) */
    PR("rp", "values::Point {x: 1, y: 2}");
    PR("rt", "(7, -3)");
    PR("rt.0", "7");
    PR("rt.1", "-3");
    PR("rsome", "core::option::Option<i32>::Some(5)");
    PR("rnone", "core::option::Option<i32>::None");
    PR("rsome.0", "5");
    PR("rbad", "<error: invalid enum discriminant>");
    snprintf(want, sizeof want, "core::option::Option<&values::Point>::Some(0x%x)", pa);
    PR("rref", want);
    PR("rnull", "core::option::Option<&values::Point>::None");
    PR("*rref.0", "values::Point {x: 1, y: 2}");
    PR("rc", "values::Shape::Circle{r: 3}");
    PR("re", "values::Shape::Empty");
    PR("rs", "\"hello\"");
    PR("relems", "[1, 2, 3]");
    PR("rsl", "&[i32] [2, 3]");
    PR("rsl[1]", "3");
    PR("rch", "122 'z'");
    snprintf(want, sizeof want, "(*mut values::Point) 0x%x", pa);
    PR("&rp", want);
    /* String and Vec as rust-gdb's printers; /r raw, as plain gdb */
    PR("rv", "Vec(size=3) = {1, 2, 3}");
    snprintf(want, sizeof want,
             "alloc::vec::Vec<i32> {buf: alloc::raw_vec::RawVec<i32> {ptr: 0x%x, cap: 3}, len: 3}",
             ea);
    PRF('r', "rv", want);
    ERR("rsl[3]", "Index greater than length");
    ERR("rv[0]", "Cannot subscript non-array type");
    ERR("rnone.0", "Cannot access field 0 of variant core::option::Option<i32>::None, there are "
                   "only 0 fields");
    ERR("rp.0", "Attempting to access anonymous field 0 of values::Point, which is not a tuple, "
                "tuple struct, or tuple-like variant");
    ERR("rt.5", "Cannot access field 5 of (u8, i64), there are only 2 fields");
    ERR("rsome.x", "Attempting to access named field x of tuple variant "
                   "core::option::Option<i32>::Some, which has only anonymous fields");
    ERR("rp.z", "There is no member named z.");

    /* ptype and the children DAP shows */
    char *pt_opt = wb_type_rust_ptype(&r_shape);
    CHECK(pt_opt && strcmp(pt_opt, "enum values::Shape {\n  Circle{r: i32},\n  Empty,\n}") == 0);
    free(pt_opt);
    char *pt_p = wb_type_rust_ptype(&r_point);
    CHECK(pt_p && strcmp(pt_p, "struct values::Point {\n  x: i32,\n  y: i32,\n}") == 0);
    free(pt_p);
    wb_value v, *kids = NULL;
    char **names = NULL;
    size_t n = 0, total = 0;
    wb_error err;
    /* a discriminant optimized out: no variant to show */
    wb_value pv;
    CHECK(wb_value_from_bytes(&r_opt, some, 8, &pv, &err) == WB_OK);
    pv.partial = true;
    pv.missing = calloc(8, 1);
    if (pv.missing) memset(pv.missing, 1, 4);
    char *ps = wb_value_format(&pv, &ENV, 0);
    CHECK(ps && strcmp(ps, "<optimized out>") == 0);
    free(ps);
    wb_value_free(&pv);
    CHECK(wb_eval_expr(EV, &ENV, "rsome", &v, &err) == WB_OK);
    CHECK(wb_value_children(&v, &ENV, 0, 10, &kids, &names, &n, &total, &err) == WB_OK);
    CHECK(n == 1 && strcmp(names[0], "0") == 0);
    char *k0 = n == 1 ? wb_value_format(&kids[0], &ENV, 0) : NULL;
    CHECK(k0 && strcmp(k0, "5") == 0);
    free(k0);
    for (size_t i = 0; i < n; i++) {
        wb_value_free(&kids[i]);
        free(names[i]);
    }
    free(kids);
    free(names);
    wb_value_free(&v);
    CHECK(wb_eval_expr(EV, &ENV, "rv", &v, &err) == WB_OK);
    CHECK(wb_value_children(&v, &ENV, 0, 10, &kids, &names, &n, &total, &err) == WB_OK);
    CHECK(n == 3 && total == 3 && strcmp(names[2], "[2]") == 0);
    char *k2 = n == 3 ? wb_value_format(&kids[2], &ENV, 0) : NULL;
    CHECK(k2 && strcmp(k2, "3") == 0);
    free(k2);
    for (size_t i = 0; i < n; i++) {
        wb_value_free(&kids[i]);
        free(names[i]);
    }
    free(kids);
    free(names);
    wb_value_free(&v);
}

/* A Wasm v128 (a wdb-run local) as gdb prints a vector register. */
static void test_v128(void)
{
    static const uint8_t b[16] = {0, 0, 0xc0, 0x3f, 0, 0, 0, 0xc0}; /* f32x4 1.5 -2 0 0 */
    char *s = wb_value_format_v128(b, 0);
    CHECK_STR(s, "{v4_float = {1.5, -2, 0, 0}, v2_double = {-2.0000004749745131, 0}, "
                 "v16_int8 = {0, 0, -64, 63, 0, 0, 0, -64, 0, 0, 0, 0, 0, 0, 0, 0}, "
                 "v8_int16 = {0, 16320, 0, -16384, 0, 0, 0, 0}, "
                 "v4_int32 = {1069547520, -1073741824, 0, 0}, "
                 "v2_int64 = {-4611686017357840384, 0}, uint128 = 13835058056351711232}");
    free(s);
    static const uint8_t z[16] = {0};
    s = wb_value_format_v128(z, 'x');
    CHECK_STR(s, "{v4_float = {0x0, 0x0, 0x0, 0x0}, v2_double = {0x0, 0x0}, "
                 "v16_int8 = {0x0 <repeats 16 times>}, v8_int16 = {0x0, 0x0, 0x0, 0x0, 0x0, "
                 "0x0, 0x0, 0x0}, v4_int32 = {0x0, 0x0, 0x0, 0x0}, v2_int64 = {0x0, 0x0}, "
                 "uint128 = 0x0}");
    free(s);
    /* a value of the Wasm type v128 (a name-section local) prints so too */
    static const wb_type t_v128 = {
        .kind = WB_TYPE_BASE, .name = "v128", .size = 16, .enc = WB_ENC_V128};
    wb_value v;
    wb_error err;
    CHECK(wb_value_from_bytes(&t_v128, b, 16, &v, &err) == WB_OK);
    s = wb_value_format(&v, &ENV, 'x');
    CHECK(s && strstr(s, "{v4_float = {0x3fc00000, 0xc0000000, 0x0, 0x0}, ") == s &&
          strstr(s, ", uint128 = 0xc00000003fc00000}"));
    free(s);
    wb_value_free(&v);
    static const uint8_t m[16] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    s = wb_value_format_v128(m, 0);
    CHECK(
        s && strstr(s, "v16_int8 = {-1 <repeats 16 times>}") &&
        strstr(s, "v4_float = {-nan(0x7fffff), -nan(0x7fffff), -nan(0x7fffff), -nan(0x7fffff)}") &&
        strstr(s, "uint128 = 340282366920938463463374607431768211455}"));
    free(s);
}

int main(void)
{
    setup();
    test_v128();
    test_types();
    test_print_scalars();
    test_print_aggregates();
    test_print_pointers();
    test_print_data_symbols();
    test_strings_and_chars();
    test_arithmetic();
    test_casts_and_sizeof();
    test_members_and_index();
    test_errors();
    test_assignment();
    test_history();
    test_children_and_summary();
    test_scalar_views();
    test_of_var();
    test_printf();
    test_rust();
    wb_eval_free(EV);
    free(P);
    return CHECK_DONE("test_value");
}
