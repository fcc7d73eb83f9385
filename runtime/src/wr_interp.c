/* placeholder until the interpreter lands */
#include "wr_internal.h"
wr_status wr_invoke(wr_func *f, uint64_t *slots, wr_error *err)
{
    (void)f; (void)slots;
    return wr_fail(err, WR_ERR_TRAP, NULL, 0, "interpreter not implemented yet");
}
