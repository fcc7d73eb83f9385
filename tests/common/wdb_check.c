/* The counters and reporting of wdb_check.h: one copy per test program. */
#include "wdb_check.h"

#include <stdarg.h>

int wdb_check_passed;
int wdb_check_failed;
const char *wdb_check_context;

static void begin(const char *file, int line)
{
    wdb_check_failed++;
    if (wdb_check_context) fprintf(stderr, "[%s] ", wdb_check_context);
    fprintf(stderr, "%s:%d: ", file, line);
}

void wdb_check_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    begin(file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void wdb_check_fail_expr(const char *file, int line, const char *expr, const char *fmt, ...)
{
    va_list ap;
    begin(file, line);
    fprintf(stderr, "check failed: %s: ", expr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int wdb_check_summary(void)
{
    printf("%d passed, %d failed\n", wdb_check_passed, wdb_check_failed);
    return wdb_check_failed ? 1 : 0;
}
