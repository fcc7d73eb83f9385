/* Test helper: rebuilds a Wasm module with custom sections changed
 * (corrupt DWARF for the bad-input tests). */
#ifndef WDB_TEST_MUTATE_H
#define WDB_TEST_MUTATE_H

#include <stddef.h>
#include <stdint.h>

typedef enum mut_mode {
    MUT_FLIP,     /* xor 0xff over 16 bytes of the contents from `arg` */
    MUT_TRUNCATE, /* keep the first `arg` bytes of the contents */
    MUT_DROP,     /* remove every custom section whose name starts with
                     `name` (".debug_" strips DWARF) */
} mut_mode;

/* A malloc'd copy of `in` with the custom section(s) `name` changed, or
 * NULL if the input is not a module this helper can walk. */
uint8_t *mut_rebuild(const uint8_t *in, size_t n, const char *name, mut_mode mode, size_t arg,
                     size_t *out_n);

#endif
