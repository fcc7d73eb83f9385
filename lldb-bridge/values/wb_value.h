/*
 * wb_value: typed values, gdb-style printing and the C expression
 * evaluator of `print`, `set var`, `display`, `watch`, breakpoint
 * conditions and DAP's evaluate/variables.
 *
 * The evaluator knows nothing about RSP, frames or core files: it reaches
 * the program through a wb_eval_env (identifiers, memory, named types).
 * Values are read eagerly into owned bytes; a value that came from linear
 * memory remembers its address (an lvalue: `&x`, assignment, watch).
 *
 * Expressions (C subset): identifiers (locals, args, globals, statics;
 * C++ `this` and qualified names ns::x), integer literals (dec, 0x, 0,
 * suffixes u/l/ul/ll), floating literals, character literals ('a',
 * '\n', '\0', '\x41'), string literals (only as printf-free rvalues:
 * compared / printed), $N history values ($ = last, $$ = one before,
 * $$N), unary - + ! ~ * & sizeof, casts to base types, pointer types,
 * typedefs and struct/union/enum pointers ((struct p *)x, (char)c,
 * (unsigned long)y), binary * / % + - << >> < > <= >= == != & ^ | && ||,
 * ?:, = (assignment, for `set var` and `print x = 3`), . -> [] and
 * parentheses, pointer arithmetic (scaled), array decay, comparisons of
 * pointers, usual arithmetic conversions of C (int promotion, wasm32
 * sizes: int/long/pointer 4 bytes, long long 8).
 *
 * Errors are one line as gdb words them where it has a wording:
 *   No symbol "foo" in current context.
 *   Division by zero
 *   Cannot access memory at address 0x12345678
 *   Attempt to take address of value not located in memory.
 *   A syntax error in expression, near `...'.
 *   There is no member named z.
 *   value has been optimized out
 */
#ifndef WB_VALUE_H
#define WB_VALUE_H

#include "wb_common.h"
#include "wb_dwarf.h"
#include "wb_loc.h"
#include "wb_types.h"

#include <stdbool.h>

typedef enum wb_value_kind {
    WB_VAL_RVALUE,    /* computed: bytes only */
    WB_VAL_MEMORY,    /* lives in linear memory at `addr` (+ bitfield) */
    WB_VAL_REGISTER,  /* lives in a Wasm local/global/stack entry:
                         readable, not addressable (place says which) */
    WB_VAL_OPTIMIZED, /* no location at this pc */
} wb_value_kind;

typedef struct wb_value {
    const wb_type *type; /* never NULL */
    wb_value_kind kind;
    uint64_t addr;     /* WB_VAL_MEMORY: linear memory address */
    uint32_t bit_size; /* bitfield lvalues: width and offset of the
                          lowest bit in the storage at addr */
    uint32_t bit_offset;
    wb_place_kind place;  /* WB_VAL_REGISTER: which kind of register */
    uint64_t place_index; /* and its index */
    size_t size;          /* bytes in `bytes` (the type's size; a
                             bitfield's value is stored extracted) */
    uint8_t *bytes;       /* owned (wb_value_free); NULL if size is 0 or
                             WB_VAL_OPTIMIZED */
    bool partial;         /* some pieces were optimized out (printed as
                             <optimized out> members) */
    uint8_t *missing;     /* owned; when partial: `size` flags, nonzero
                             for each byte that is optimized out; or NULL */
    wb_type *own_type;    /* owned; a type made for this value alone (the
                             rows of a multi-dimensional array, `*p@n`),
                             which `type` then points to; or NULL */
    bool fn_code;         /* a function: addr is its code offset, not a
                             table index (no table entry holds it: the
                             program never takes its address) */
} wb_value;

void wb_value_free(wb_value *v);
/* Deep copy: dst owns its own bytes. */
wb_status wb_value_copy(wb_value *dst, const wb_value *src, wb_error *err);

/* What the evaluator may ask of the program. Memory addresses are linear
 * memory offsets (the env adds any address-space encoding). The reads and
 * writes return WB_OK, or WB_ERROR with why in err (err may be NULL: the
 * evaluator words failures as gdb does, "Cannot access memory at address
 * 0x10"). */
typedef struct wb_eval_env {
    void *user;
    /* The value of an identifier as the current frame sees it (locals of
     * the innermost scope first, then enclosing scopes, then globals and
     * statics). WB_NOT_FOUND: no such symbol. */
    wb_status (*lookup)(void *user, const char *name, wb_value *out, wb_error *err);
    wb_status (*read_memory)(void *user, uint64_t addr, void *buf, size_t len, wb_error *err);
    wb_status (*write_memory)(void *user, uint64_t addr, const void *buf, size_t len,
                              wb_error *err);
    /* Writing a Wasm local/global: NULL, or WB_NOT_FOUND, when the target
     * cannot write such places at all (the error says so). */
    wb_status (*write_place)(void *user, wb_place_kind place, uint64_t index, const void *buf,
                             size_t len, wb_error *err);
    /* A named type ("struct p", "uint32_t"). WB_NOT_FOUND if none. */
    wb_status (*type_named)(void *user, const char *name, const wb_type **out, wb_error *err);
    /* The name of the function a function pointer (table index) refers
     * to, or NULL. May be NULL. */
    const char *(*function_name)(void *user, uint64_t table_index);
    /* Where a code offset is, as gdb's <symbol+offset> says it ("fib+12"):
     * written into buf (len bytes) and returned, or NULL. May be NULL. */
    const char *(*code_symbol)(void *user, uint64_t code_off, char *buf, size_t len);
    /* The global or static variable holding linear-memory address `addr`
     * and addr's offset in it, or NULL (printed after a data pointer as
     * gdb does: "0x1040 <table+8>"). May be NULL. */
    const char *(*data_symbol)(void *user, uint64_t addr, uint64_t *offset);
    /* The current frame is in Rust: errors take the wording of gdb's
     * Rust mode (No symbol 'x' in current context). */
    bool rust;
} wb_eval_env;

/* Reading a variable through its location (used by `lookup`
 * implementations and `info locals`). `t` provides the reads; pc selects
 * the location-list entry. Missing location: WB_OK with
 * WB_VAL_OPTIMIZED. */
wb_status wb_value_of_var(const wb_var *v, wb_code_off pc, const wb_loc_target *t, wb_value *out,
                          wb_error *err);

/* The evaluator: owns the types it makes and the value history ($1, $2). */
typedef struct wb_eval wb_eval;

wb_eval *wb_eval_new(void);
void wb_eval_free(wb_eval *e);

/* Parses and evaluates `expr`. Side effects (assignments) go through
 * env. On WB_ERROR err holds the gdb-style message. */
wb_status wb_eval_expr(wb_eval *e, const wb_eval_env *env, const char *expr, wb_value *out,
                       wb_error *err);

/* Parses a type name for `ptype`/`whatis`/sizeof/casts ("struct p *",
 * "unsigned int", "char **"). WB_NOT_FOUND: not a type. */
wb_status wb_eval_type(wb_eval *e, const wb_eval_env *env, const char *text, const wb_type **out,
                       wb_error *err);

/* Adds a value to the history and returns its number ($N). The history
 * keeps its own copy. */
unsigned wb_eval_record(wb_eval *e, const wb_value *v);

/* Sets the convenience variable $name (name without the $, at most 31
 * bytes) to an int: what the debugger records for the user, as gdb's
 * $bpnum (the last breakpoint made). Read after env->lookup has said
 * WB_NOT_FOUND. false when out of memory or the name is too long. */
bool wb_eval_set_int(wb_eval *e, const char *name, int64_t value);

/* Formats as gdb's `print` does after "$N = ".
 * fmt: 0 natural, 'x' hex, 'd' signed, 'u' unsigned, 'o' octal,
 * 't' binary, 'c' char, 'f' float, 'a' address, 's' string, 'z' zero-
 * padded hex, 'r' raw (natural, without the String/Vec printing of Rust
 * values: gdb's /r, which bypasses pretty-printers). Values of Rust types
 * print with Rust syntax (see fmt_rust in wb_value.c). Natural formatting follows gdb: integers in
 * decimal, char as `97 'a'`, bool true/false, enums by name (or `(A | B)`, or the number), floats
 * with %.9g / %.17g, pointers as `(int *) 0x10`, char pointers as `0x10 "text"` (string read from
 * memory, up to 200 chars), function pointers as `(int (*)(int)) 0x1 <fib>`, structs as
 * `{x = 1, y = 2}` (nested, base classes as `<Base> = {...}`), arrays as
 * `{1, 2, 3}` with runs of 10 or more identical elements as
 * `0 <repeats 15 times>` and a limit of 200 elements (`...`), char arrays
 * as strings (`"hi", '\000' <repeats 14 times>`), references as
 * `@0x10: 5`, optimized out as `<optimized out>`. Memory read failures
 * inside print as `<error: Cannot access memory at address 0x..>`.
 * Returns a malloc'd string. */
char *wb_value_format(const wb_value *v, const wb_eval_env *env, char fmt);
/* A Wasm v128 value (16 bytes, lane 0 first) as gdb prints a vector
 * register: {v4_float = {..}, v2_double = .., v16_int8 = .., v8_int16 = ..,
 * v4_int32 = .., v2_int64 = .., uint128 = N}; fmt 'x' shows every lane's
 * bits in hex. Malloc'd; NULL when out of memory. */
char *wb_value_format_v128(const uint8_t bytes[16], char fmt);

/* wb_value_format without the "(type) " gdb puts before a pointer or a
 * reference only at the top of `print`: how `info locals`, `info args`
 * and frame lines show them ("p = 0x10", "r = @0x10: {...}"). */
char *wb_value_format_plain(const wb_value *v, const wb_eval_env *env, char fmt);

/* wb_value_format with options: WB_FMT_PLAIN (wb_value_format_plain's
 * layout), WB_FMT_PRETTY (gdb's `set print pretty on`: a struct opens a
 * line per member, indented two spaces a level, arrays counting as a level;
 * its closing brace on a line of its own:
 *   {
 *     pos = {
 *       x = 3,
 *       y = -4
 *     },
 *     pts = {{
 *         x = 1,
 *         y = 2
 *       }}
 *   }
 * arrays of scalars stay on their line). */
enum { WB_FMT_PLAIN = 1, WB_FMT_PRETTY = 2 };
char *wb_value_format_flags(const wb_value *v, const wb_eval_env *env, char fmt, unsigned flags);

/* Like wb_value_format but for DAP's variables view: one level only,
 * aggregates as a summary ("{...}" for structs, "[4]" style for arrays,
 * pointers as "0x10", char pointers with their string). */
char *wb_value_summary(const wb_value *v, const wb_eval_env *env, char fmt);

/* Children of an aggregate, for DAP's variables view and gdb's
 * pretty printing: struct/union members (base classes first), array
 * elements (outer dimension), the pointee of a non-void pointer
 * (one child, name "*p"). n = 0 for scalars. Each child is a value of
 * its own (free each, then the array with free()). Names are malloc'd
 * ("x", "[3]", "*p"). */
wb_status wb_value_children(const wb_value *v, const wb_eval_env *env, size_t first, size_t max,
                            wb_value **children, char ***names, size_t *n, size_t *total,
                            wb_error *err);

/* Reads the NUL-terminated string at addr (linear memory, through env) into
 * buf: at most max bytes, in chunks (one read per chunk matters over RSP),
 * byte by byte only near an unreadable end. Returns the bytes before the
 * NUL; *nul says whether it was found; *failed that memory could not be
 * read at addr + the returned length. */
size_t wb_value_read_cstring(const wb_eval_env *env, uint64_t addr, uint8_t *buf, size_t max,
                             bool *nul, bool *failed);

/* The active variant of a Rust enum (t->has_variants) whose bytes are
 * `bytes`, or NULL when the discriminant matches no variant. */
const wb_variant *wb_value_rust_variant(const wb_type *t, const uint8_t *bytes, size_t n);

/* Integer and float views of a scalar value (after typedefs, enums,
 * bools, chars and pointers). WB_ERROR for aggregates. */
wb_status wb_value_as_i64(const wb_value *v, int64_t *out, wb_error *err);
wb_status wb_value_as_double(const wb_value *v, double *out, wb_error *err);
/* Truth of a scalar (conditions). */
wb_status wb_value_truth(const wb_value *v, bool *out, wb_error *err);

/* Makes a value from raw bytes (e.g. `finish`'s return value from the
 * operand stack, `x` command units). The bytes are copied. */
wb_status wb_value_from_bytes(const wb_type *t, const void *bytes, size_t len, wb_value *out,
                              wb_error *err);

#endif
