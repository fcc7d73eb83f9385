/*
 * wb_sbuf: a growable string for the bridge's text builders (type
 * spelling, value printing). On allocation failure `oom` is set and every
 * later append is dropped; wb_sb_take then gives NULL. Start from
 * `wb_sbuf b = {0};`.
 */
#ifndef WB_SBUF_H
#define WB_SBUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct wb_sbuf {
    char *s;
    size_t len, cap;
    bool oom;
} wb_sbuf;

/* Inserts n bytes of text at byte `at` (<= len). */
void wb_sb_insert(wb_sbuf *b, size_t at, const char *text, size_t n);
void wb_sb_addn(wb_sbuf *b, const char *text, size_t n);
void wb_sb_add(wb_sbuf *b, const char *text);
void wb_sb_prepend(wb_sbuf *b, const char *text);
void wb_sb_addf(wb_sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The finished string (malloc'd, "" when nothing was added; the caller
 * frees it), or NULL when memory ran out (the buffer is freed). */
char *wb_sb_take(wb_sbuf *b);

#endif
