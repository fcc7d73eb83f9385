/*
 * wb_types: the debugger's model of source-level types and variables.
 *
 * wb_dwarf builds these from DWARF (cached per DIE, living until
 * wb_dwarf_close); the expression evaluator (wb_value) also makes its own
 * (literal types, casts), which live as long as the evaluator that made
 * them. The structures are plain data: anybody may read every field.
 *
 * Wasm32: pointers are 4 bytes, little-endian, and point into linear
 * memory; function pointers are indices into the function table.
 */
#ifndef WB_TYPES_H
#define WB_TYPES_H

#include "wb_common.h"

#include <stdbool.h>

typedef enum wb_type_kind {
    WB_TYPE_VOID,      /* also an absent DW_AT_type */
    WB_TYPE_BASE,      /* DW_TAG_base_type: see `enc` */
    WB_TYPE_POINTER,   /* target: pointee */
    WB_TYPE_REFERENCE, /* C++ & and &&: target: referee; size 4 */
    WB_TYPE_CONST,     /* target: the qualified type */
    WB_TYPE_VOLATILE,  /* target: the qualified type */
    WB_TYPE_TYPEDEF,   /* name: the typedef's; target: the aliased type */
    WB_TYPE_STRUCT,    /* struct and class: members */
    WB_TYPE_UNION,     /* members */
    WB_TYPE_ARRAY,     /* target: element type; dims */
    WB_TYPE_ENUM,      /* enumerators; target: underlying type or NULL */
    WB_TYPE_FUNCTION,  /* DW_TAG_subroutine_type: target: return type
                          (NULL for void); params */
    WB_TYPE_UNKNOWN,   /* a DWARF type the model does not cover (name set
                          to the tag's name) */
} wb_type_kind;

/* DW_ATE_* boiled down to what printing and arithmetic need. */
typedef enum wb_base_enc {
    WB_ENC_SIGNED,
    WB_ENC_UNSIGNED,
    WB_ENC_SIGNED_CHAR,   /* char, signed char */
    WB_ENC_UNSIGNED_CHAR, /* unsigned char, char8_t */
    WB_ENC_BOOL,
    WB_ENC_FLOAT, /* size 4 or 8 (16: long double, printed as hex) */
    WB_ENC_UTF,   /* char16_t, char32_t */
    WB_ENC_V128,  /* a Wasm v128 (size 16: a name-section local of a module
                     without DWARF), printed as gdb's vector register union */
} wb_base_enc;

typedef struct wb_type wb_type;

typedef struct wb_member {
    const char *name; /* NULL for anonymous struct/union members */
    const wb_type *type;
    uint64_t offset;     /* byte offset of the member's storage */
    uint32_t bit_size;   /* bitfields: width in bits; 0 otherwise */
    uint32_t bit_offset; /* bitfields: offset of the lowest bit from the
                            start of the storage at `offset`, counting
                            from the least significant bit (Wasm is
                            little-endian; DW_AT_data_bit_offset and the
                            DWARF 2 DW_AT_bit_offset are both converted) */
    bool is_base;        /* C++ base class (DW_TAG_inheritance) */
} wb_member;

/* One variant of a Rust enum (DW_TAG_variant): chosen when the
 * discriminant equals `value`, or, for the variant without a value (the
 * default: a niche layout's dataful variant), when no other matches.
 * `member` is the variant's struct, named after the variant ("Some"),
 * at its offset in the enum. */
typedef struct wb_variant {
    bool has_value;
    uint64_t value;
    wb_member member;
} wb_variant;

typedef struct wb_enumerator {
    const char *name;
    int64_t value;
} wb_enumerator;

struct wb_type {
    wb_type_kind kind;
    const char *name;           /* "int", "point" (without "struct"), typedef
                                   name, NULL for anonymous types and derived
                                   types (pointers, arrays...) */
    const char *qualified_name; /* C++: with namespaces/classes ("ns::S"),
                                   else same as name */
    uint64_t size;              /* bytes; 0 when unknown (incomplete types,
                                   void, functions) */
    bool declaration;           /* an incomplete type (DW_AT_declaration) whose
                                   definition was not found */
    bool is_class;              /* WB_TYPE_STRUCT from DW_TAG_class_type */
    wb_base_enc enc;            /* WB_TYPE_BASE (and enums: sign of values) */
    const wb_type *target;      /* see the kinds above */
    size_t nmembers;            /* struct, union; base classes come first */
    const wb_member *members;
    size_t ndims;         /* arrays: dimensions, outermost first */
    const uint64_t *dims; /* element counts; 0 = unknown (int a[]) */
    size_t nenumerators;
    const wb_enumerator *enumerators;
    size_t nparams; /* functions */
    const wb_type *const *params;
    bool varargs;
    bool no_prototype;      /* functions: C's `f()`, parameters unknown,
                               spelled "()" (else none is "(void)") */
    bool code_offset;       /* pointers to functions: hold a code offset
                               (the pc), not a table index */
    bool rust;              /* from a compile unit in Rust (DW_LANG_Rust):
                               printed with Rust syntax */
    bool vector;            /* WB_TYPE_ARRAY of the GNU C vector extension
                               (DW_AT_GNU_vector: vector_size, wasm_simd128.h's
                               v128_t): one dimension, spelled and printed
                               as gdb does (see wb_type_name, wb_value_format) */
    bool has_variants;      /* WB_TYPE_STRUCT holding a DW_TAG_variant_part
                               (a Rust enum): `variants` */
    const wb_member *discr; /* the variant part's discriminant (its
                               storage), or NULL: one variant only */
    size_t nvariants;
    const wb_variant *variants;
    uint64_t die_offset; /* 0 for types made by the evaluator */
};

/* Where a variable is, as a DWARF location: one expression for the whole
 * scope, or a list of [lo, hi) code ranges each with its expression. */
typedef struct wb_loc_range {
    wb_code_off lo, hi; /* lo == 0 && hi == UINT32_MAX: everywhere */
    const uint8_t *expr;
    size_t len;
} wb_loc_range;

typedef struct wb_var {
    const char *name;
    const wb_type *type;
    bool is_param;         /* DW_TAG_formal_parameter */
    bool is_global;        /* a CU-level or static variable: its location
                              does not need a frame */
    bool is_artificial;    /* DW_AT_artificial (`this`) */
    bool is_external;      /* DW_AT_external: visible outside its unit */
    const char *decl_file; /* NULL when unknown */
    uint32_t decl_line;
    size_t nlocs; /* 0: no location (optimized out), unless
                     has_const */
    const wb_loc_range *locs;
    bool has_const;             /* DW_AT_const_value */
    const uint8_t *const_bytes; /* its value, little-endian, type->size
                                   bytes (or const_len) */
    size_t const_len;
    uint64_t die_offset;
} wb_var;

/* Helpers over the model (wb_types.c). */

/* Strips typedefs, const and volatile. NULL stays NULL. */
const wb_type *wb_type_strip(const wb_type *t);
/* Strips const and volatile only. */
const wb_type *wb_type_strip_cv(const wb_type *t);
/* Size in bytes after following typedefs/cv; arrays: elements x dims. */
uint64_t wb_type_size(const wb_type *t);
/* The C spelling of a type with an optional declarator name, as gdb's
 * `ptype`/`whatis` print it: "int", "struct point *", "char [16]",
 * "int __attribute__ ((vector_size(4)))" (a vector of 4 ints: gdb's count),
 * "int (*)(int, char *)", "const char *". `name` may be NULL. Writes at
 * most cap bytes (NUL included) and returns the length it needed. */
size_t wb_type_spell(const wb_type *t, const char *name, char *buf, size_t cap);
/* The same as `ptype` spells it: typedefs under pointers, arrays and
 * function returns seen through, but for structs, unions and enums
 * ("myint *" is "int *", "v4i *" "int (*) __attribute__ ((...))"). */
size_t wb_type_spell_expanded(const wb_type *t, const char *name, char *buf, size_t cap);

/* What gdb's `ptype` prints after "type = " for a type from Rust: a
 * struct's or union's body with its fields one a line ("struct
 * values::Point {\n  x: i32,\n  y: i32,\n}"), an enum's variants
 * ("enum values::Shape {\n  Circle{r: f64},\n  Square(u32),\n  Empty,\n}"),
 * other types spelled. Malloc'd; NULL when out of memory. */
char *wb_type_rust_ptype(const wb_type *t);

#endif
