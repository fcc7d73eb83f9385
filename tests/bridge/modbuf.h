/* Hand-assembling Wasm modules in the bridge's unit tests (test_wasm.c,
 * test_srcmap.c): a fixed buffer, bytes, LEB128 through the project's
 * codec (wdb/wasmfmt.h), names and sections. No bounds checks: the tests
 * write small modules they size themselves. */
#ifndef WDB_TEST_MODBUF_H
#define WDB_TEST_MODBUF_H
#include "wdb/wasmfmt.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct buf {
    uint8_t b[8192];
    size_t n;
} buf;

static inline void put(buf *m, const void *p, size_t n)
{
    memcpy(m->b + m->n, p, n);
    m->n += n;
}

static inline void put_u8(buf *m, uint8_t v)
{
    m->b[m->n++] = v;
}

static inline void put_leb(buf *m, uint32_t v)
{
    m->n += wf_leb_write(m->b + m->n, v);
}

static inline void put_name(buf *m, const char *s)
{
    put_leb(m, (uint32_t)strlen(s));
    put(m, s, strlen(s));
}

static inline void section(buf *m, uint8_t id, const buf *contents)
{
    put_u8(m, id);
    put_leb(m, (uint32_t)contents->n);
    put(m, contents->b, contents->n);
}
#endif
