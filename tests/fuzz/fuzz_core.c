/*
 * libFuzzer target: the host bridge's core dump reader
 * (lldb-bridge/formats/wb_core.c) on mutated core files.
 *
 * Every input that opens is queried through the whole API: modules,
 * instances, every thread's frames and their values, reads spread over
 * each memory and at its end, captured-byte counts, globals, wdb's
 * sections and the module check (against the input itself). Any outcome is
 * fine (OK, NOT_FOUND, ERROR); crashes, leaks and sanitizer reports are
 * not. Seeds (corpus/core): written by `test_core --write-seeds DIR`
 * (tests/bridge/test_core.c), and wdb-run-div.core, a core `wdb-run
 * --core-on-trap` wrote for tests/core/programs/traps.c (`div`, -O0 -g).
 *
 * Build: cmake -DWDB_FUZZ=ON -DCMAKE_C_COMPILER=clang-22; run bench/fuzz.sh.
 */
#include "wb_core.h"

#include <stdint.h>
#include <string.h>

static void query(const wb_core *c, const uint8_t *data, size_t size)
{
    uint8_t buf[256];
    uint64_t sum = 0;
    wb_core_value v;
    wb_error err;
    sum += strlen(wb_core_executable(c));
    if (wb_core_command(c)) sum += strlen(wb_core_command(c));
    for (size_t i = 0; i < wb_core_module_count(c); i++)
        sum += strlen(wb_core_module_name(c, i));
    for (size_t t = 0; t < wb_core_thread_count(c); t++) {
        sum += strlen(wb_core_thread_name(c, t));
        for (size_t i = 0; i < wb_core_frame_count(c, t); i++) {
            const wb_core_frame *f = wb_core_frame_at(c, t, i);
            sum += f->instance + f->func + f->code_offset;
            for (size_t k = 0; k < f->nlocals; k++)
                sum += f->locals[k].bits;
            for (size_t k = 0; k < f->nstack; k++)
                sum += f->stack[k].bits;
        }
    }
    for (uint32_t in = 0; in < wb_core_instance_count(c) && in < 16; in++) {
        sum += wb_core_instance_module(c, in);
        for (uint32_t m = 0; m < wb_core_memory_count(c, in) && m < 8; m++) {
            uint64_t msize;
            if (wb_core_memory_size(c, in, m, &msize) != WB_OK) continue;
            uint64_t step = msize / 64 + 1;
            for (uint64_t a = 0; a < msize; a += step)
                if (wb_core_read_memory(c, in, m, a, buf, sizeof buf, NULL) == WB_OK) sum += buf[0];
            wb_core_read_memory(c, in, m, msize > 3 ? msize - 3 : 0, buf, 3, NULL);
            wb_core_read_memory(c, in, m, msize, buf, 1, NULL);
            sum += wb_core_memory_captured(c, in, m, 0, UINT64_MAX);
        }
        for (uint32_t g = 0; g < wb_core_global_count(c, in) && g < 256; g++)
            if (wb_core_global(c, in, g, &v) == WB_OK) sum += v.bits;
    }
    uint64_t isize, ihash;
    const char *msg;
    uint32_t kind;
    if (wb_core_module_identity(c, &isize, &ihash)) sum += isize ^ ihash;
    if (wb_core_trap(c, &msg, &kind)) sum += strlen(msg) + kind;
    wb_core_check_module(c, data, size, "fuzz.wasm", &err);
    (void)sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wb_core *c = NULL;
    wb_error err;
    if (wb_core_open_bytes(data, size, &c, &err) != WB_OK) return 0;
    query(c, data, size);
    wb_core_close(c);
    return 0;
}
