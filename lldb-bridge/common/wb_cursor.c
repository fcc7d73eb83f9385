/* The bridge's bounded cursor (wb_cursor.h). */
#include "wb_cursor.h"

#include "wdb/wasmfmt.h"

wb_status wb_cur_fail(const wb_cursor *c, wb_error *err, const char *why)
{
    return wb_fail(err, "malformed %s: %s at offset 0x%zx (%s section)", c->file ? c->file : "file",
                   why, c->pos, c->what);
}

wb_status wb_cur_u8(wb_cursor *c, uint8_t *out, wb_error *err)
{
    if (c->pos >= c->end) return wb_cur_fail(c, err, "unexpected end");
    *out = c->base[c->pos++];
    return WB_OK;
}

wb_status wb_cur_leb(wb_cursor *c, unsigned bits, bool sign, uint64_t *out, wb_error *err)
{
    const uint8_t *p = c->base + c->pos;
    const char *why = wf_leb_read(&p, c->base + c->end, bits, sign, out);
    c->pos = (size_t)(p - c->base);
    return why ? wb_cur_fail(c, err, why) : WB_OK;
}

wb_status wb_cur_u32(wb_cursor *c, uint32_t *out, wb_error *err)
{
    uint64_t v;
    if (wb_cur_leb(c, 32, false, &v, err) != WB_OK) return WB_ERROR;
    *out = (uint32_t)v;
    return WB_OK;
}
