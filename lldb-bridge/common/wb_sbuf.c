/* wb_sbuf: see wb_sbuf.h. */
#include "wb_sbuf.h"
#include "wb_common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void wb_sb_insert(wb_sbuf *b, size_t at, const char *text, size_t n)
{
    if (b->oom || n == 0) return;
    if (!wb_grow((void **)&b->s, &b->cap, b->len + n + 1, 1)) {
        b->oom = true;
        return;
    }
    memmove(b->s + at + n, b->s + at, b->len - at);
    memcpy(b->s + at, text, n);
    b->len += n;
    b->s[b->len] = 0;
}

void wb_sb_addn(wb_sbuf *b, const char *text, size_t n)
{
    wb_sb_insert(b, b->len, text, n);
}
void wb_sb_add(wb_sbuf *b, const char *text)
{
    wb_sb_insert(b, b->len, text, strlen(text));
}
void wb_sb_prepend(wb_sbuf *b, const char *text)
{
    wb_sb_insert(b, 0, text, strlen(text));
}

void wb_sb_addf(wb_sbuf *b, const char *fmt, ...)
{
    char tmp[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof tmp) {
        wb_sb_addn(b, tmp, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        b->oom = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    wb_sb_addn(b, big, (size_t)n);
    free(big);
}

char *wb_sb_take(wb_sbuf *b)
{
    if (b->oom) {
        free(b->s);
        return NULL;
    }
    if (!b->s) return calloc(1, 1);
    return b->s;
}
