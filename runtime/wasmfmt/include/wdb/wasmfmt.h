/*
 * The Wasm binary format's small pieces every layer reads or writes: the
 * one LEB128 reader and writer of the project (the runtime's decoder and
 * translator, the bridge's module, disassembly, core and DWARF readers,
 * the core writer), section names and UTF-8 names. Dependency-free (the wdb::wasmfmt target, also built
 * into the firmware). The trap list is wdb/wasm_traps.h.
 *
 * Prefix: wf_.
 */
#ifndef WDB_WASMFMT_H
#define WDB_WASMFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Reads a LEB128 integer of at most `bits` bits (1..64) at *pp, before
 * end, as the Wasm spec (5.2.2) reads them: at most ceil(bits/7) bytes,
 * the unused bits of the last byte zero (unsigned) or copies of the sign
 * bit (signed; the value comes out sign-extended to 64 bits). DWARF's
 * LEB128 numbers are read the same way with bits = 64. Returns NULL and
 * sets *out, or the reason ("unexpected end", "integer representation too
 * long", "integer too large"). *pp moves past what was read either way. */
const char *wf_leb_read(const uint8_t **pp, const uint8_t *end, unsigned bits, bool sign,
                        uint64_t *out);

/* Writes v as unsigned (wf_leb_write) or signed (wf_sleb_write) LEB128 at
 * p, in the fewest bytes (at most 10); returns the byte count. p NULL:
 * only counts. */
size_t wf_leb_write(uint8_t *p, uint64_t v);
size_t wf_sleb_write(uint8_t *p, int64_t v);

/* The name of section id (5.5.2: "custom", "type", ... "data count"; 13
 * "tag", of the exception handling proposal), NULL for any other id. */
const char *wf_section_name(unsigned id);

/* Whether s[0..n) is well-formed UTF-8, as names must be (5.2.4): no
 * overlong forms, no surrogates, nothing above U+10FFFF. */
bool wf_utf8_valid(const uint8_t *s, size_t n);

#ifdef __cplusplus
}
#endif

#endif
