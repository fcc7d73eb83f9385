/*
 * Check macros shared by the C tests (tests/unit, tests/protocol,
 * tests/rspclient, tests/bridge).
 *
 * A failed check prints "FILE:LINE: ..." to stderr (with the expression, or
 * the values compared, or a message) and the run goes on; at the end
 * wdb_check_summary() prints "N passed, M failed" and gives the exit status.
 *
 * The counters live in wdb_check.c (the wdb_check library), so they exist
 * once per test program however many of its .c files use the macros.
 */
#ifndef WDB_CHECK_H
#define WDB_CHECK_H

#include <stdio.h>
#include <string.h>

extern int wdb_check_passed; /* checks that held */
extern int wdb_check_failed; /* checks that did not (and other failures) */
/* When not NULL, failure messages start with "[context] " (a scenario name). */
extern const char *wdb_check_context;

/* Counts a failure and prints "[context] FILE:LINE: message". */
void wdb_check_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Counts a failure and prints "[context] FILE:LINE: check failed: EXPR: message". */
void wdb_check_fail_expr(const char *file, int line, const char *expr, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Prints "N passed, M failed" on stdout; returns the exit status (1 if M > 0). */
int wdb_check_summary(void);

/* A check made elsewhere (by a helper function for its caller's line). */
#define CHECK_AT(file, line, cond, ...)                                                        \
    do {                                                                                       \
        if (cond)                                                                              \
            wdb_check_passed++;                                                                \
        else                                                                                   \
            wdb_check_fail(file, line, __VA_ARGS__);                                           \
    } while (0)

/* cond must hold; otherwise prints the printf-style message. */
#define CHECK_ELSE(cond, ...) CHECK_AT(__FILE__, __LINE__, cond, __VA_ARGS__)

/* cond must hold; otherwise prints it. */
#define CHECK(cond) CHECK_ELSE(cond, "check failed: %s", #cond)

/* cond must hold; otherwise prints it and the printf-style message. */
#define CHECK_MSG(cond, ...)                                                                   \
    do {                                                                                       \
        if (cond)                                                                              \
            wdb_check_passed++;                                                                \
        else                                                                                   \
            wdb_check_fail_expr(__FILE__, __LINE__, #cond, __VA_ARGS__);                       \
    } while (0)

/* Integers a and b (as long long) must be equal. */
#define CHECK_EQ(a, b)                                                                         \
    do {                                                                                       \
        long long a_ = (long long)(a), b_ = (long long)(b);                                    \
        CHECK_ELSE(a_ == b_, "%s == %lld, expected %s == %lld", #a, a_, #b, b_);               \
    } while (0)

/* Strings a and b must both be there and equal. */
#define CHECK_STR(a, b)                                                                        \
    do {                                                                                       \
        const char *a_ = (a), *b_ = (b);                                                       \
        CHECK_ELSE(a_ && b_ && !strcmp(a_, b_), "%s == \"%s\", expected \"%s\"", #a,           \
                   a_ ? a_ : "(null)", b_ ? b_ : "(null)");                                    \
    } while (0)

/* A failure found without a check (a fixture that cannot be set up...). */
#define CHECK_FAILED(...) wdb_check_fail(__FILE__, __LINE__, __VA_ARGS__)

#endif
