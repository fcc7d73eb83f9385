/*
 * Rust symbol names, demangled as gdb and rustc-demangle's alternate form
 * show them (no hashes): the legacy scheme (`_ZN...17h<hash>E`, the
 * default of rustc 1.63) and the v0 scheme (`_R...`, RFC 2603). And the
 * simple C++ type names a type_info holds (an exception's type).
 *
 * Prefix: wb_.
 */
#ifndef WB_DEMANGLE_H
#define WB_DEMANGLE_H

#include <stdbool.h>
#include <stddef.h>

/* Whether `sym` is a Rust mangled name (legacy or v0). */
bool wb_rust_mangled(const char *sym);

/* The demangled form of a Rust symbol into out (cap bytes, NUL-terminated,
 * cut with "..." if longer): "my_crate::module::function",
 * "<alloc::vec::Vec<u8> as core::ops::drop::Drop>::drop",
 * "foo::bar::{closure#0}". Returns false, with out untouched, when `sym` is
 * not a Rust name or is malformed; never reads past its NUL. */
bool wb_rust_demangle(const char *sym, char *out, size_t cap);

/* A name a linker already demangled, hash included, as wasm-ld writes the
 * name section ("hello::main::h0123456789abcdef"): the length of the name
 * without its "::h<16 hex digits>", or 0 when it has no such hash. */
size_t wb_rust_hash_suffix_at(const char *name);

/* A C++ type as a type_info's name holds it (Itanium mangling without
 * `_Z`) into out as `c++filt -t` prints it: "St13runtime_error" is
 * "std::runtime_error", "PKc" "char const*", "N2ns5ErrorE" "ns::Error".
 * Builtin types, pointers, references, const/volatile, and names (nested,
 * std::) only: false, with out untouched, for anything else (templates,
 * substitutions) or a malformed or too long name. */
bool wb_cxx_type_demangle(const char *name, char *out, size_t cap);

#endif
