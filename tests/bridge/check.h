/* Minimal assertions for the bridge's unit tests. */
#ifndef WDB_TEST_CHECK_H
#define WDB_TEST_CHECK_H
#include <stdio.h>

static int check_failures;
static int check_count;
#define CHECK(cond)                                                                   \
    do {                                                                              \
        check_count++;                                                                \
        if (!(cond)) {                                                                \
            check_failures++;                                                         \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);  \
        }                                                                             \
    } while (0)
#define CHECK_DONE(name)                                                              \
    (printf("%s: %d checks, %d failed\n", name, check_count, check_failures),         \
     check_failures ? 1 : 0)
#endif
