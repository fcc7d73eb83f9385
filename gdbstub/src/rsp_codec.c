/*
 * The RSP packet codec (see wdb/rsp.h for the framing rules).
 */
#include "wdb/rsp.h"

#include <stdio.h>
#include <string.h>

enum { S_IDLE, S_DATA, S_ESCAPE, S_RLE, S_CSUM1, S_CSUM2 };

void rsp_parser_init(rsp_parser *p, uint8_t *buf, size_t cap)
{
    memset(p, 0, sizeof *p);
    p->buf = buf;
    p->cap = cap;
    p->state = S_IDLE;
}

int rsp_hex_digit(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Appends a payload byte, keeping room for the terminating NUL. */
static void put(rsp_parser *p, uint8_t b)
{
    if (p->overflow) return;
    if (p->len + 1 >= p->cap) {
        p->overflow = true;
        return;
    }
    p->buf[p->len++] = b;
    p->have_prev = true;
}

/* Forgets the packet in progress and starts a new one. */
static void restart(rsp_parser *p)
{
    p->state = S_DATA;
    p->len = 0;
    p->sum = 0;
    p->overflow = false;
    p->have_prev = false;
}

rsp_event rsp_feed(rsp_parser *p, uint8_t c)
{
    /* '$' never occurs raw inside a packet: escapes hide it in payloads, the
     * run-length rules forbid it as a count and checksums are hex digits.
     * Seen anywhere after the start, the old packet was cut short (a
     * debugger that timed out and resent): drop it and start over. */
    if (c == '$' && p->state != S_IDLE) {
        restart(p);
        return RSP_EV_NONE;
    }
    switch (p->state) {
    case S_IDLE:
        if (c == '$') {
            restart(p);
        } else if (c == 0x03) {
            return RSP_EV_INTERRUPT;
        } else if (c == '+') {
            return RSP_EV_ACK;
        } else if (c == '-') {
            return RSP_EV_NACK;
        }
        return RSP_EV_NONE; /* noise between packets is ignored */
    case S_DATA:
        if (c == '#') {
            p->state = S_CSUM1;
            return RSP_EV_NONE;
        }
        p->sum = (uint8_t)(p->sum + c);
        if (c == '}')
            p->state = S_ESCAPE;
        else if (c == '*' && p->have_prev)
            p->state = S_RLE;
        else
            put(p, c);
        return RSP_EV_NONE;
    case S_ESCAPE:
        p->sum = (uint8_t)(p->sum + c);
        put(p, c ^ 0x20);
        p->state = S_DATA;
        return RSP_EV_NONE;
    case S_RLE: {
        p->sum = (uint8_t)(p->sum + c);
        /* the count byte is n + 29 with n the number of extra copies; GDB
         * never sends counts that would form '#' or '$' (n = 6, 7) */
        int n = (int)c - 29;
        if (n > 0 && p->len > 0) {
            uint8_t prev = p->buf[p->len - 1];
            for (int i = 0; i < n; i++) put(p, prev);
        }
        p->state = S_DATA;
        return RSP_EV_NONE;
    }
    case S_CSUM1:
        p->csum_hi = c;
        p->state = S_CSUM2;
        return RSP_EV_NONE;
    case S_CSUM2: {
        p->state = S_IDLE;
        int hi = rsp_hex_digit(p->csum_hi), lo = rsp_hex_digit(c);
        if (p->overflow) return RSP_EV_OVERFLOW;
        if (hi < 0 || lo < 0 || (uint8_t)(hi * 16 + lo) != p->sum) return RSP_EV_BAD_CHECKSUM;
        p->buf[p->len] = 0;
        return RSP_EV_PACKET;
    }
    }
    p->state = S_IDLE;
    return RSP_EV_NONE;
}

/* The one place packets are framed: the escaping rule and the checksum.
 * A frame is produced in pieces: each is handed to put() when its buffer
 * is full and at the end. */
typedef bool (*frame_put)(void *user, const char *bytes, size_t n);

static bool frame_pieces(const void *payload, size_t len, char *piece, size_t piece_cap,
                         frame_put emit, void *user)
{
    static const char hex[] = "0123456789abcdef";
    const uint8_t *s = payload;
    size_t o = 0;
    uint8_t sum = 0;
    piece[o++] = '$';
    for (size_t i = 0; i < len; i++) {
        if (o + 2 > piece_cap) {
            if (!emit(user, piece, o)) return false;
            o = 0;
        }
        uint8_t b = s[i];
        if (b == '#' || b == '$' || b == '}' || b == '*') {
            piece[o++] = '}';
            sum = (uint8_t)(sum + '}');
            b ^= 0x20;
        }
        piece[o++] = (char)b;
        sum = (uint8_t)(sum + b);
    }
    if (o + 3 > piece_cap) {
        if (!emit(user, piece, o)) return false;
        o = 0;
    }
    piece[o++] = '#';
    piece[o++] = hex[sum >> 4];
    piece[o++] = hex[sum & 15];
    return emit(user, piece, o);
}

/* rsp_frame: the whole frame built in out; put() only checks it fits. */
typedef struct frame_buf {
    char *out;
    size_t cap, len;
} frame_buf;

static bool put_buf(void *user, const char *bytes, size_t n)
{
    frame_buf *f = user;
    if (f->cap - f->len < n) return false;
    memcpy(f->out + f->len, bytes, n);
    f->len += n;
    return true;
}

size_t rsp_frame(const void *payload, size_t len, char *out, size_t cap)
{
    if (cap < 4) return 0;
    char piece[64];
    frame_buf f = {out, cap, 0};
    return frame_pieces(payload, len, piece, sizeof piece, put_buf, &f) ? f.len : 0;
}

bool rsp_frame_to(const void *payload, size_t len, char *piece, size_t piece_cap,
                  bool (*emit)(void *user, const char *bytes, size_t n), void *user)
{
    return piece_cap >= 4 && frame_pieces(payload, len, piece, piece_cap, emit, user);
}

void rsp_hex_encode(const uint8_t *bytes, size_t len, char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = hex[bytes[i] >> 4];
        out[2 * i + 1] = hex[bytes[i] & 15];
    }
}

bool rsp_hex_decode(const char *hex, size_t len, uint8_t *out)
{
    for (size_t i = 0; i < len; i++) {
        int hi = rsp_hex_digit((unsigned char)hex[2 * i]), lo = rsp_hex_digit((unsigned char)hex[2 * i + 1]);
        if (hi < 0 || lo < 0) return false;
        out[i] = (uint8_t)(hi * 16 + lo);
    }
    return true;
}

bool rsp_parse_hex(const char **s, uint64_t *out)
{
    const char *p = *s;
    uint64_t v = 0;
    int n = 0;
    int d;
    while ((d = rsp_hex_digit((unsigned char)*p)) >= 0) {
        if (++n > 16) return false;
        v = v << 4 | (uint64_t)d;
        p++;
    }
    if (n == 0) return false;
    *s = p;
    *out = v;
    return true;
}

char *rsp_printable(const void *data, size_t len, char *out, size_t cap)
{
    const unsigned char *d = data;
    size_t o = 0;
    if (cap == 0) return out;
    for (size_t i = 0; i < len && i < 400 && o + 1 < cap; i++)
        out[o++] = d[i] >= 32 && d[i] < 127 ? (char)d[i] : '.';
    out[o] = 0;
    if (len > 400) snprintf(out + o, cap - o, "...(%zu bytes)", len);
    return out;
}
