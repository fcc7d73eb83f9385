/*
 * Unit tests of the RSP packet codec (gdbstub/src/rsp_codec.c, wdb/rsp.h),
 * fed one byte at a time as the stub feeds it: framing, checksums, escapes,
 * run-length encoding, interrupts, acks, garbage, restarts, oversize
 * packets, rsp_frame round trips and the hex helpers.
 */
#include "wdb/rsp.h"
#include "wdb/wasm_rsp.h"

#include "wdb_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The events one feed produced, in order (RSP_EV_NONE left out), and the
 * payloads of the packets among them. */
typedef struct trace {
    rsp_event ev[64];
    int n;
    char pkt[8][512];
    size_t pktlen[8];
    int npkt;
} trace;

static void feed_bytes(rsp_parser *p, const void *data, size_t len, trace *t)
{
    const uint8_t *b = data;
    memset(t, 0, sizeof *t);
    for (size_t i = 0; i < len; i++) {
        rsp_event e = rsp_feed(p, b[i]);
        if (e == RSP_EV_NONE) continue;
        if (t->n < 64) t->ev[t->n++] = e;
        if (e == RSP_EV_PACKET && t->npkt < 8) {
            size_t l = p->len < 511 ? p->len : 511;
            memcpy(t->pkt[t->npkt], p->buf, l);
            t->pkt[t->npkt][l] = 0;
            t->pktlen[t->npkt++] = p->len;
        }
    }
}

static void feed_str(rsp_parser *p, const char *s, trace *t) { feed_bytes(p, s, strlen(s), t); }

/* The single event and packet of feeding s into a fresh parser. */
static rsp_event one(const char *s, char *payload, size_t *len)
{
    static uint8_t buf[1024];
    rsp_parser p;
    trace t;
    rsp_parser_init(&p, buf, sizeof buf);
    feed_str(&p, s, &t);
    if (t.n != 1) return (rsp_event)-1;
    if (t.ev[0] == RSP_EV_PACKET) {
        memcpy(payload, t.pkt[0], t.pktlen[0] + 1);
        *len = t.pktlen[0];
        /* the codec promises a NUL after the payload */
        if (buf[p.len] != 0) return (rsp_event)-2;
    }
    return t.ev[0];
}

#define CHECK_PACKET(wire, want)                                                               \
    do {                                                                                       \
        char pl_[1024];                                                                        \
        size_t l_ = 0;                                                                         \
        rsp_event e_ = one(wire, pl_, &l_);                                                    \
        CHECK_EQ(e_, RSP_EV_PACKET);                                                           \
        if (e_ == RSP_EV_PACKET) {                                                             \
            CHECK_EQ(l_, strlen(want));                                                        \
            CHECK_ELSE(!strcmp(pl_, want), "payload \"%s\", expected \"%s\"", pl_, want);      \
        }                                                                                      \
    } while (0)

static uint8_t sum_of(const char *s, size_t n)
{
    uint8_t sum = 0;
    for (size_t i = 0; i < n; i++) sum = (uint8_t)(sum + (uint8_t)s[i]);
    return sum;
}

/* "$raw#cc" with the right checksum of raw (already escaped/encoded). */
static void wire(char *out, size_t cap, const char *raw)
{
    snprintf(out, cap, "$%s#%02x", raw, sum_of(raw, strlen(raw)));
}

/* CHECK_PACKET of raw framed as a packet ("$raw#checksum"). */
#define CHECK_FRAMED(raw, want)                                                                \
    do {                                                                                       \
        char w_[256];                                                                          \
        wire(w_, sizeof w_, raw);                                                              \
        CHECK_PACKET(w_, want);                                                                \
    } while (0)

static void test_good_packets(void)
{
    CHECK_PACKET("$#00", "");
    CHECK_PACKET("$OK#9a", "OK");
    CHECK_PACKET("$qSupported#37", "qSupported");
    CHECK_PACKET("$g#67", "g");
    CHECK_PACKET("$OK#9A", "OK"); /* upper-case checksum digits */
    CHECK_FRAMED("m4000000000000544,10", "m4000000000000544,10");
    CHECK_FRAMED("qWasmLocal:0;2", "qWasmLocal:0;2");
    /* 0x03 inside a packet is payload (binary X data), not an interrupt */
    char bin[] = "$X0,1:\x03#00";
    bin[sizeof bin - 3] = "0123456789abcdef"[sum_of("X0,1:\x03", 6) >> 4];
    bin[sizeof bin - 2] = "0123456789abcdef"[sum_of("X0,1:\x03", 6) & 15];
    CHECK_PACKET(bin, "X0,1:\x03");
}

static void test_checksums(void)
{
    char pl[1024];
    size_t l;
    CHECK_EQ(one("$OK#9b", pl, &l), RSP_EV_BAD_CHECKSUM);
    CHECK_EQ(one("$OK#00", pl, &l), RSP_EV_BAD_CHECKSUM);
    CHECK_EQ(one("$OK#9g", pl, &l), RSP_EV_BAD_CHECKSUM);  /* non-hex low digit */
    CHECK_EQ(one("$OK#x9a", pl, &l), RSP_EV_BAD_CHECKSUM); /* non-hex high digit */
    CHECK_EQ(one("$OK#-a", pl, &l), RSP_EV_BAD_CHECKSUM);
    CHECK_EQ(one("$#01", pl, &l), RSP_EV_BAD_CHECKSUM);

    /* after a bad packet, the next good one is delivered */
    uint8_t buf[64];
    rsp_parser p;
    trace t;
    rsp_parser_init(&p, buf, sizeof buf);
    feed_str(&p, "$OK#00$OK#9a", &t);
    CHECK_EQ(t.n, 2);
    CHECK_EQ(t.ev[0], RSP_EV_BAD_CHECKSUM);
    CHECK_EQ(t.ev[1], RSP_EV_PACKET);
    CHECK(t.npkt == 1 && !strcmp(t.pkt[0], "OK"));
}

static void test_escapes(void)
{
    /* '}' then the byte xor 0x20; the checksum covers the raw bytes */
    CHECK_FRAMED("a}\x03"
                 "b", /* '#' */
                 "a#b");
    CHECK_FRAMED("}\x04", "$");   /* '$' */
    CHECK_FRAMED("}]", "}");       /* '}' */
    CHECK_FRAMED("x}\x0a", "x*"); /* '*' : an escaped star is a literal, not RLE */
    CHECK_FRAMED("}\x03}\x04}]}\x0a", "#$}*");
    /* an escaped byte can be repeated */
    CHECK_FRAMED("}\x03* ", "####");
}

static void test_rle(void)
{
    char want[256];
    /* the smallest count: ' ' (32) = 3 more copies */
    CHECK_FRAMED("0* ", "0000");
    /* GDB's example: "0* " is "0000" and a count of '"' (34) gives 5 more */
    CHECK_FRAMED("a*\"b", "aaaaaab");
    /* the largest printable count: '~' (126) = 97 more copies */
    memset(want, 'z', 98);
    want[98] = 0;
    CHECK_FRAMED("z*~", want);
    /* several runs, and text after them */
    CHECK_FRAMED("1*!2*#3", "1111122222223"); /* '!' = 4 more, '#' = 6 more */
    /* a '*' with nothing before it is a literal */
    CHECK_FRAMED("*a", "*a");
    /* a run right after a run repeats the last byte again */
    CHECK_FRAMED("q* * ", "qqqqqqq");
    /* a typical register reply: 16 zeros */
    memset(want, '0', 15);
    want[15] = 0;
    CHECK_FRAMED("0*+", want);
}

static void test_between_packets(void)
{
    uint8_t buf[128];
    rsp_parser p;
    trace t;
    rsp_parser_init(&p, buf, sizeof buf);
    /* acks, nacks, interrupts and noise around packets */
    feed_str(&p, "+\x03$OK#9a-+garbage\r\n\x03$g#67+", &t);
    CHECK_EQ(t.n, 8);
    CHECK_EQ(t.ev[0], RSP_EV_ACK);
    CHECK_EQ(t.ev[1], RSP_EV_INTERRUPT);
    CHECK_EQ(t.ev[2], RSP_EV_PACKET);
    CHECK_EQ(t.ev[3], RSP_EV_NACK);
    CHECK_EQ(t.ev[4], RSP_EV_ACK);
    CHECK_EQ(t.ev[5], RSP_EV_INTERRUPT);
    CHECK_EQ(t.ev[6], RSP_EV_PACKET);
    CHECK_EQ(t.ev[7], RSP_EV_ACK);
    CHECK(t.npkt == 2 && !strcmp(t.pkt[0], "OK") && !strcmp(t.pkt[1], "g"));
    /* noise alone produces nothing; a lone '#' or checksum-looking text too */
    feed_str(&p, "hello#00 world 9a\n", &t);
    CHECK_EQ(t.n, 0);
    feed_str(&p, "$OK#9a", &t);
    CHECK(t.n == 1 && t.ev[0] == RSP_EV_PACKET && !strcmp(t.pkt[0], "OK"));
}

static void test_restart(void)
{
    uint8_t buf[128];
    rsp_parser p;
    trace t;
    rsp_parser_init(&p, buf, sizeof buf);
    /* a '$' in the middle of a packet starts a new one: the old is dropped */
    feed_str(&p, "$m0,4$OK#9a", &t);
    CHECK(t.n == 1 && t.ev[0] == RSP_EV_PACKET && !strcmp(t.pkt[0], "OK"));
    /* also after an escape or a run-length count in the old packet */
    feed_str(&p, "$ab}]c*!$g#67", &t);
    CHECK(t.n == 1 && t.ev[0] == RSP_EV_PACKET && !strcmp(t.pkt[0], "g"));
    /* in the checksum: "$OK#" then a resent packet */
    feed_str(&p, "$OK#$g#67", &t);
    CHECK(t.n == 1 && t.ev[0] == RSP_EV_PACKET && !strcmp(t.pkt[0], "g"));
    feed_str(&p, "$OK#9$g#67", &t);
    CHECK(t.n == 1 && t.ev[0] == RSP_EV_PACKET && !strcmp(t.pkt[0], "g"));
    /* right after an escape character or a run-length star */
    feed_str(&p, "$a}$g#67", &t);
    CHECK(t.n == 1 && t.ev[0] == RSP_EV_PACKET && !strcmp(t.pkt[0], "g"));
    feed_str(&p, "$a*$g#67", &t);
    CHECK(t.n == 1 && t.ev[0] == RSP_EV_PACKET && !strcmp(t.pkt[0], "g"));
    /* and after an overflowing start */
    uint8_t small[8];
    rsp_parser_init(&p, small, sizeof small);
    feed_str(&p, "$0123456789abcdef$OK#9a", &t);
    CHECK(t.n == 1 && t.ev[0] == RSP_EV_PACKET && !strcmp(t.pkt[0], "OK"));
}

static void test_overflow(void)
{
    uint8_t buf[8]; /* payloads of up to 7 bytes (plus the NUL) */
    rsp_parser p;
    trace t;
    char w[256];
    rsp_parser_init(&p, buf, sizeof buf);
    wire(w, sizeof w, "1234567");
    feed_str(&p, w, &t);
    CHECK(t.n == 1 && t.ev[0] == RSP_EV_PACKET && !strcmp(t.pkt[0], "1234567"));
    wire(w, sizeof w, "12345678");
    feed_str(&p, w, &t);
    CHECK(t.n == 1 && t.ev[0] == RSP_EV_OVERFLOW);
    /* recovery: the next packet is whole */
    feed_str(&p, "$OK#9a", &t);
    CHECK(t.n == 1 && t.ev[0] == RSP_EV_PACKET && !strcmp(t.pkt[0], "OK"));
    /* an overflow by run-length expansion; then recovery */
    wire(w, sizeof w, "a*~");
    feed_str(&p, w, &t);
    CHECK(t.n == 1 && t.ev[0] == RSP_EV_OVERFLOW);
    feed_str(&p, "$g#67", &t);
    CHECK(t.n == 1 && t.ev[0] == RSP_EV_PACKET && !strcmp(t.pkt[0], "g"));
    /* an overflowing packet with a bad checksum is still an overflow (it
     * was dropped whole either way), and nothing in it leaks out */
    feed_str(&p, "$0123456789#00+", &t);
    CHECK(t.n == 2 && t.ev[0] == RSP_EV_OVERFLOW && t.ev[1] == RSP_EV_ACK);
    /* a run expanding exactly to the capacity is fine */
    wire(w, sizeof w, "ab*\""); /* '"' = 5 more: 7 bytes */
    feed_str(&p, w, &t);
    CHECK(t.n == 1 && t.ev[0] == RSP_EV_PACKET && !strcmp(t.pkt[0], "abbbbbb"));
    /* a large packet in a large buffer */
    static uint8_t big[20000];
    static char bigw[20000];
    rsp_parser_init(&p, big, sizeof big);
    static char raw[17000];
    memset(raw, 'A', 16384);
    raw[16384] = 0;
    wire(bigw, sizeof bigw, raw);
    feed_str(&p, bigw, &t);
    CHECK(t.n == 1 && t.ev[0] == RSP_EV_PACKET && t.pktlen[0] == 16384);
}

static void test_frame(void)
{
    char out[1024];
    size_t n = rsp_frame("OK", 2, out, sizeof out);
    CHECK(n == 6 && !memcmp(out, "$OK#9a", 6));
    n = rsp_frame("", 0, out, sizeof out);
    CHECK(n == 4 && !memcmp(out, "$#00", 4));
    n = rsp_frame("a#b$c}d*", 8, out, sizeof out);
    CHECK(n == 4 + 12 && !memcmp(out, "$a}\x03"
                                      "b}\x04"
                                      "c}]d}\x0a#",
                                 14));

    /* every byte value round-trips, alone and all together */
    uint8_t all[256], pbuf[600];
    rsp_parser p;
    trace t;
    int bad = 0;
    for (int b = 0; b < 256; b++) {
        uint8_t byte = (uint8_t)b;
        all[b] = byte;
        n = rsp_frame(&byte, 1, out, sizeof out);
        rsp_parser_init(&p, pbuf, sizeof pbuf);
        feed_bytes(&p, out, n, &t);
        if (!(n >= 5 && t.n == 1 && t.ev[0] == RSP_EV_PACKET && p.len == 1 && pbuf[0] == byte)) {
            bad++;
            fprintf(stderr, "byte 0x%02x does not round-trip\n", b);
        }
    }
    CHECK_EQ(bad, 0);
    n = rsp_frame(all, 256, out, sizeof out);
    CHECK(n > 0 && n <= rsp_frame_max(256));
    rsp_parser_init(&p, pbuf, sizeof pbuf);
    feed_bytes(&p, out, n, &t);
    CHECK(t.n == 1 && t.ev[0] == RSP_EV_PACKET && p.len == 256 && !memcmp(pbuf, all, 256));
    /* reversed order, and runs of special bytes */
    uint8_t rev[256];
    for (int i = 0; i < 256; i++) rev[i] = (uint8_t)(255 - i);
    n = rsp_frame(rev, 256, out, sizeof out);
    rsp_parser_init(&p, pbuf, sizeof pbuf);
    feed_bytes(&p, out, n, &t);
    CHECK(t.n == 1 && p.len == 256 && !memcmp(pbuf, rev, 256));
    uint8_t stars[100];
    memset(stars, '*', sizeof stars);
    n = rsp_frame(stars, sizeof stars, out, sizeof out);
    CHECK_EQ(n, rsp_frame_max(sizeof stars));
    rsp_parser_init(&p, pbuf, sizeof pbuf);
    feed_bytes(&p, out, n, &t);
    CHECK(t.n == 1 && p.len == 100 && !memcmp(pbuf, stars, 100));
    /* repeated ordinary bytes followed by '*' data must not become RLE */
    uint8_t mix[] = {'0', '*', ' ', '0'};
    n = rsp_frame(mix, 4, out, sizeof out);
    rsp_parser_init(&p, pbuf, sizeof pbuf);
    feed_bytes(&p, out, n, &t);
    CHECK(t.n == 1 && p.len == 4 && !memcmp(pbuf, mix, 4));
}

static void test_frame_small(void)
{
    char out[64];
    /* exact fits: "$OK#9a" is 6 bytes */
    CHECK_EQ(rsp_frame("OK", 2, out, 6), 6);
    CHECK_EQ(rsp_frame("OK", 2, out, 5), 0);
    CHECK_EQ(rsp_frame("", 0, out, 4), 4);
    CHECK_EQ(rsp_frame("", 0, out, 3), 0);
    CHECK_EQ(rsp_frame("", 0, out, 0), 0);
    CHECK_EQ(rsp_frame("a", 1, out, 4), 0);
    /* an escaped byte needs two: "$}]#cc" is 6 */
    CHECK_EQ(rsp_frame("}", 1, out, 6), 6);
    CHECK_EQ(rsp_frame("}", 1, out, 5), 0);
    /* nothing is written past cap */
    memset(out, 'Z', sizeof out);
    CHECK_EQ(rsp_frame("abcdefgh", 8, out, 10), 0);
    CHECK(out[10] == 'Z');
    /* the worst case always fits rsp_frame_max */
    CHECK_EQ(rsp_frame("####", 4, out, rsp_frame_max(4)), rsp_frame_max(4));
    CHECK_EQ(rsp_frame("####", 4, out, rsp_frame_max(4) - 1), 0);
}

static void test_hex(void)
{
    char h[16];
    uint8_t b[8];
    rsp_hex_encode((const uint8_t *)"\x00\x7f\x80\xff\x0a", 5, h);
    CHECK(!memcmp(h, "007f80ff0a", 10));
    CHECK(rsp_hex_decode("007F80fF0a", 5, b) && !memcmp(b, "\x00\x7f\x80\xff\x0a", 5));
    CHECK(!rsp_hex_decode("0g", 1, b));
    CHECK(!rsp_hex_decode("g0", 1, b));
    CHECK(!rsp_hex_decode("0 ", 1, b));
    CHECK(rsp_hex_decode("", 0, b));
    CHECK_EQ(rsp_hex_digit('0'), 0);
    CHECK_EQ(rsp_hex_digit('9'), 9);
    CHECK_EQ(rsp_hex_digit('a'), 10);
    CHECK_EQ(rsp_hex_digit('F'), 15);
    CHECK_EQ(rsp_hex_digit('g'), -1);
    CHECK_EQ(rsp_hex_digit('/'), -1);
    CHECK_EQ(rsp_hex_digit(':'), -1);
    CHECK_EQ(rsp_hex_digit(0), -1);

    const char *s = "4000000000000544,1";
    uint64_t v = 0;
    CHECK(rsp_parse_hex(&s, &v) && v == 0x4000000000000544ull && *s == ',');
    s = "ffffffffffffffff";
    CHECK(rsp_parse_hex(&s, &v) && v == UINT64_MAX && *s == 0);
    s = "1ffffffffffffffff"; /* 17 digits */
    const char *before = s;
    CHECK(!rsp_parse_hex(&s, &v) && s == before);
    s = ",1";
    CHECK(!rsp_parse_hex(&s, &v) && *s == ',');
    s = "0";
    CHECK(rsp_parse_hex(&s, &v) && v == 0);
    s = "00000000000000000001"; /* leading zeros count as digits */
    CHECK(!rsp_parse_hex(&s, &v));
}

/* LLDB's Wasm addresses (wdb/wasm_rsp.h), the one conversion both sides use */
static void test_wasm_addresses(void)
{
    CHECK_EQ(wrsp_addr_code(0, 0), 0x4000000000000000ull);
    CHECK_EQ(wrsp_addr_code(1, 0x1234), 0x4000000100001234ull);
    CHECK_EQ(wrsp_addr_code(0xffffff, 0xffffffffu), 0x40ffffffffffffffull);
    CHECK_EQ(wrsp_addr_code(0x1000000, 5), 0x4000000000000005ull); /* id masked to 24 bits */
    CHECK_EQ(wrsp_addr_memory(0, 0), 0);
    CHECK_EQ(wrsp_addr_memory(2, 0xffffffffu), 0x00000002ffffffffull);
    CHECK_EQ(wrsp_addr_space(0), WRSP_SPACE_MEMORY);
    CHECK_EQ(wrsp_addr_space(0x3fffffffffffffffull), WRSP_SPACE_MEMORY);
    CHECK_EQ(wrsp_addr_space(0x4000000000000000ull), WRSP_SPACE_CODE);
    CHECK_EQ(wrsp_addr_space(0x7fffffffffffffffull), WRSP_SPACE_CODE);
    CHECK_EQ(wrsp_addr_space(0x8000000000000000ull), WRSP_SPACE_INVALID);
    CHECK_EQ(wrsp_addr_space(UINT64_MAX), WRSP_SPACE_INVALID);
    CHECK_EQ(wrsp_addr_module(wrsp_addr_code(0xabcdef, 7)), 0xabcdef);
    CHECK_EQ(wrsp_addr_offset(wrsp_addr_code(0xabcdef, 7)), 7);
    CHECK_EQ(wrsp_addr_module(wrsp_addr_memory(3, 0xffffffffu)), 3);
    CHECK_EQ(wrsp_addr_offset(wrsp_addr_memory(3, 0xffffffffu)), 0xffffffffu);
    CHECK_EQ(wrsp_addr_module(0x3f00000100000000ull), 1); /* bits 56-61 are not the id */
    for (uint32_t m = 0; m < 3; m++)
        for (uint32_t o = 0; o < 3; o++) {
            uint64_t a = wrsp_addr_code(m * 0x7fffff, o * 0x7fffffffu);
            CHECK_EQ(wrsp_addr_space(a), WRSP_SPACE_CODE);
            CHECK_EQ(wrsp_addr_module(a), m * 0x7fffff);
            CHECK_EQ(wrsp_addr_offset(a), o * 0x7fffffffu);
        }

    CHECK_EQ(WRSP_CODE_BASE, wrsp_addr_code(0, 0));
    CHECK_EQ(strtoull(WRSP_CODE_BASE_HEX, NULL, 16), WRSP_CODE_BASE);
}

/* trap descriptions (wdb/wasm_rsp.h): written by the stub's target, split
 * by the client */
static void test_trap_descriptions(void)
{
    char buf[256];
    const char *msg, *name;
    size_t ml, nl;
    wrsp_trap_description(buf, sizeof buf, "integer divide by zero", "div_by_zero");
    CHECK_STR(buf, "trap: integer divide by zero (div_by_zero)");
    wrsp_trap_split(buf, &msg, &ml, &name, &nl);
    CHECK(ml == 22 && memcmp(msg, "integer divide by zero", ml) == 0);
    CHECK(name && nl == 11 && memcmp(name, "div_by_zero", nl) == 0);
    /* another stub's bare message: all of it, no name */
    wrsp_trap_split("out of bounds memory access", &msg, &ml, &name, &nl);
    CHECK(name == NULL && ml == strlen("out of bounds memory access"));
    /* parentheses inside the message are part of it */
    wrsp_trap_split("trap: f(x) failed", &msg, &ml, &name, &nl);
    CHECK(name == NULL && ml == strlen("f(x) failed"));
    wrsp_trap_split("trap: host (x) (host)", &msg, &ml, &name, &nl);
    CHECK(name && nl == 4 && ml == strlen("host (x)"));
}

int main(void)
{
    test_good_packets();
    test_checksums();
    test_escapes();
    test_rle();
    test_between_packets();
    test_restart();
    test_overflow();
    test_frame();
    test_frame_small();
    test_hex();
    test_wasm_addresses();
    test_trap_descriptions();
    return wdb_check_summary();
}
