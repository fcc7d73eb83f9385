/* placeholder until the compiler lands */
#include "wr_internal.h"
wr_status wr_compile_function(wr_module *mod, uint32_t func_index, wr_error *err)
{
    (void)mod; (void)func_index;
    return wr_fail(err, WR_ERR_INVALID, "code", 0, "compiler not implemented yet");
}
void wr_code_free(struct wr_code *code) { (void)code; }
