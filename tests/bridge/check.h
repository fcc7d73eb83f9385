/* The bridge's unit tests use the shared check macros (tests/common/wdb_check.h)
 * and end with CHECK_DONE(name): "name: N checks, M failed", status 1 if M > 0. */
#ifndef WDB_TEST_CHECK_H
#define WDB_TEST_CHECK_H
#include "wdb_check.h"

#define CHECK_DONE(name)                                                                       \
    (printf("%s: %d checks, %d failed\n", name, wdb_check_passed + wdb_check_failed,           \
            wdb_check_failed),                                                                 \
     wdb_check_failed ? 1 : 0)
#endif
