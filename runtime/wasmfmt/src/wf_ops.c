/*
 * The instruction table (wdb/wasm_ops.h) for those that need names and
 * immediates: the disassembler and the debugger.
 */
#include "wdb/wasm_ops.h"

#include <stddef.h>

#define WF_OP_ROW(code, id, name, imm, align, flags, traps)                                        \
    [code] = {name, WF_IMM_##imm, align, flags, traps},

static const wf_op ops[256] = {WASM_OPS(WF_OP_ROW)};
static const wf_op ops_fc[] = {WASM_OPS_FC(WF_OP_ROW)};
#define WF_OP_ROW_FD(code, id, name, imm, align, flags, traps, sig)                                \
    WF_OP_ROW(code, id, name, imm, align, flags, traps)
static const wf_op ops_fd[256] = {WASM_OPS_FD(WF_OP_ROW_FD)};
#undef WF_OP_ROW_FD

#undef WF_OP_ROW

const wf_op *wf_op_info(uint8_t code)
{
    return ops[code].name ? &ops[code] : NULL;
}

const wf_op *wf_op_fc_info(uint32_t sub)
{
    if (sub >= sizeof ops_fc / sizeof ops_fc[0] || !ops_fc[sub].name) return NULL;
    return &ops_fc[sub];
}

const wf_op *wf_op_fd_info(uint32_t sub)
{
    if (sub >= sizeof ops_fd / sizeof ops_fd[0] || !ops_fd[sub].name) return NULL;
    return &ops_fd[sub];
}
