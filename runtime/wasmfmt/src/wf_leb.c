/* LEB128, read and written; section names; UTF-8 (wdb/wasmfmt.h). */
#include "wdb/wasmfmt.h"

const char *wf_leb_read(const uint8_t **pp, const uint8_t *end, unsigned bits, bool sign,
                        uint64_t *out)
{
    const uint8_t *p = *pp;
    uint64_t result = 0;
    unsigned shift = 0;
    unsigned maxbytes = (bits + 6) / 7;
    uint8_t byte;
    for (unsigned i = 0;; i++) {
        if (p >= end) {
            *pp = p;
            return "unexpected end";
        }
        byte = *p++;
        if (i == maxbytes - 1) {
            /* the last byte allowed: `used` value bits, the rest padding */
            unsigned used = bits - shift;
            *pp = p;
            if (byte & 0x80) return "integer representation too long";
            if (!sign) {
                if (used < 7 && (byte >> used) != 0) return "integer too large";
            } else if (used < 7) {
                uint8_t rest = (uint8_t)((byte & 0x7f) >> (used - 1));
                uint8_t all = (uint8_t)(0x7f >> (used - 1));
                if (rest != 0 && rest != all) return "integer too large";
            }
        }
        result |= (uint64_t)(byte & 0x7f) << shift;
        shift += 7;
        if (!(byte & 0x80)) break;
    }
    if (sign && shift < 64 && (byte & 0x40)) result |= ~(uint64_t)0 << shift;
    *pp = p;
    *out = result;
    return NULL;
}

size_t wf_leb_write(uint8_t *p, uint64_t v)
{
    size_t n = 0;
    do {
        uint8_t b = (uint8_t)(v & 0x7f);
        v >>= 7;
        if (p) p[n] = (uint8_t)(b | (v ? 0x80 : 0));
        n++;
    } while (v);
    return n;
}

size_t wf_sleb_write(uint8_t *p, int64_t v)
{
    size_t n = 0;
    for (;;) {
        uint8_t b = (uint8_t)(v & 0x7f);
        v >>= 7; /* arithmetic: GCC and Clang define it */
        bool last = (v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40));
        if (p) p[n] = (uint8_t)(b | (last ? 0 : 0x80));
        n++;
        if (last) return n;
    }
}

const char *wf_section_name(unsigned id)
{
    static const char *const names[] = {
        "custom", "type", "import", "function", "table", "memory", "global",
        "export", "start", "element", "code", "data", "data count", "tag",
    };
    return id < sizeof names / sizeof names[0] ? names[id] : NULL;
}

bool wf_utf8_valid(const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        size_t len;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            len = 2;
            cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            len = 3;
            cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            len = 4;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (n - i < len) return false;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80) return false;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000))
            return false;
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
        i += len;
    }
    return true;
}
