#include "mutate.h"

#include "wdb/wasmfmt.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool uleb(const uint8_t *p, size_t n, size_t *pos, uint32_t *out)
{
    const uint8_t *q = p + *pos;
    uint64_t v = 0;
    if (wf_leb_read(&q, p + n, 32, false, &v)) return false;
    *pos = (size_t)(q - p);
    *out = (uint32_t)v;
    return true;
}

static size_t put_uleb(uint8_t *p, uint32_t v)
{
    return wf_leb_write(p, v);
}

uint8_t *mut_rebuild(const uint8_t *in, size_t n, const char *name, mut_mode mode, size_t arg,
                     size_t *out_n)
{
    if (n < 8) return NULL;
    uint8_t *out = malloc(n + 16);
    if (!out) return NULL;
    memcpy(out, in, 8);
    size_t o = 8, pos = 8;
    while (pos < n) {
        uint8_t id = in[pos++];
        uint32_t size, nlen;
        if (!uleb(in, n, &pos, &size) || size > n - pos) goto fail;
        size_t end = pos + size, c = pos;
        bool hit = false;
        if (id == 0) {
            if (!uleb(in, n, &c, &nlen) || nlen > end - c) goto fail;
            hit = mode == MUT_DROP ? nlen >= strlen(name) && memcmp(in + c, name, strlen(name)) == 0
                                   : nlen == strlen(name) && memcmp(in + c, name, nlen) == 0;
            c += nlen; /* contents after the name */
        }
        if (!hit) {
            out[o++] = id;
            o += put_uleb(out + o, size);
            memcpy(out + o, in + pos, size);
            o += size;
        } else if (mode == MUT_FLIP) {
            out[o++] = id;
            o += put_uleb(out + o, size);
            memcpy(out + o, in + pos, size);
            for (size_t k = 0; k < 16 && c - pos + arg + k < size; k++)
                out[o + (c - pos) + arg + k] ^= 0xff;
            o += size;
        } else if (mode == MUT_TRUNCATE) {
            size_t keep = arg < end - c ? arg : end - c;
            uint32_t nsize = (uint32_t)(c - pos + keep);
            out[o++] = id;
            o += put_uleb(out + o, nsize);
            memcpy(out + o, in + pos, nsize);
            o += nsize;
        } /* MUT_DROP: nothing */
        pos = end;
    }
    *out_n = o;
    return out;
fail:
    free(out);
    return NULL;
}
