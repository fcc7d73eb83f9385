/*
 * The GDB remote serial protocol's packet codec, shared by the stub
 * (gdbstub/) and the host debugger (lldb-bridge/). Pure: no I/O, no
 * allocation. Bytes go in one at a time, from wherever they come (TCP, a
 * UART, a test's array), and whole packets come out.
 *
 * Framing (GDB manual, "Overview" of the remote protocol):
 *   $payload#cc   cc = two hex digits, the sum of the payload bytes mod 256
 *   '}' escapes the next byte (xor 0x20): '#', '$', '}' and '*' in payloads
 *   'x*n' repeats x (n - 29) more times (run-length encoding)
 *   '+' / '-' acknowledge / ask for a resend (until no-ack mode)
 *   0x03 outside a packet is an interrupt request (Ctrl-C)
 *
 * Prefix: rsp_.
 */
#ifndef WDB_RSP_H
#define WDB_RSP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What one byte completed. */
typedef enum rsp_event {
    RSP_EV_NONE = 0,     /* nothing yet */
    RSP_EV_PACKET,       /* a packet with a good checksum: rsp_parser.buf/len */
    RSP_EV_BAD_CHECKSUM, /* a packet arrived damaged: answer '-' (if acks are on) */
    RSP_EV_OVERFLOW,     /* a packet longer than the buffer: it was dropped whole */
    RSP_EV_INTERRUPT,    /* 0x03 outside a packet */
    RSP_EV_ACK,          /* '+' */
    RSP_EV_NACK,         /* '-' */
} rsp_event;

/* The receive state machine. buf/cap are the caller's: the payload of the
 * last RSP_EV_PACKET is buf[0..len), NUL-terminated (cap includes the NUL),
 * with escapes and run-length encoding already undone. */
typedef struct rsp_parser {
    uint8_t *buf;
    size_t cap, len;
    int state;
    uint8_t sum;      /* running checksum of the raw payload bytes */
    uint8_t csum_hi;  /* first checksum digit */
    bool overflow;    /* the current packet no longer fits */
    bool have_prev;   /* a byte exists that '*' may repeat */
} rsp_parser;

/* buf must hold at least 2 bytes and stay alive while the parser is used. */
void rsp_parser_init(rsp_parser *p, uint8_t *buf, size_t cap);
rsp_event rsp_feed(rsp_parser *p, uint8_t byte);

/* Frames payload[0..len) as $...#cc into out (escaping '#', '$', '}', '*').
 * Returns the framed length, or 0 when out (size cap) is too small. */
size_t rsp_frame(const void *payload, size_t len, char *out, size_t cap);

/* The same frame written through put(user, bytes, n) in pieces of at most
 * piece_cap (>= 4) bytes built in piece, so a device's stub needs no
 * buffer of the frame's size. false as soon as put fails. */
bool rsp_frame_to(const void *payload, size_t len, char *piece, size_t piece_cap,
                  bool (*put)(void *user, const char *bytes, size_t n), void *user);

/* Worst-case framed size of a payload of len bytes. */
static inline size_t rsp_frame_max(size_t len) { return 2 * len + 4; }

/* A packet made printable for a log: control and non-ASCII bytes become '.',
 * and past 400 bytes it ends with "...(N bytes)". Writes at most cap bytes
 * including the NUL (cap >= 440 keeps every packet's head); returns out. */
char *rsp_printable(const void *data, size_t len, char *out, size_t cap);

/* Hex helpers. rsp_hex_encode writes 2*len chars (no NUL). rsp_hex_decode
 * reads 2*len chars; false on a non-hex digit. */
void rsp_hex_encode(const uint8_t *bytes, size_t len, char *out);
bool rsp_hex_decode(const char *hex, size_t len, uint8_t *out);
int rsp_hex_digit(int c); /* value of a hex digit or -1 */

/* Parses a hex number of at most 16 digits from *s, advancing it. false if
 * there is no digit or more than 16. */
bool rsp_parse_hex(const char **s, uint64_t *out);

#ifdef __cplusplus
}
#endif
#endif
