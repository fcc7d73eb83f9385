/*
 * wdb-run's core dumps (see wdb_core.h): an adapter from the runtime's
 * public API to the core dump format's writer (wdb/coredump.h, the one
 * home of the format). What is runtime-specific stays here: which frames
 * are live, the runtime's code offsets turned into the format's
 * function-relative ones, wr_val turned into the format's values, and the
 * linear memories read in place.
 */
#include "wdb_core.h"

#include "wdb/coredump.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The format fixes the `wdb.trap` kinds and value tags to the runtime's
 * numbers: a change on either side must show here (the kinds come from one
 * list, wdb/wasm_traps.h). */
_Static_assert(WCD_TRAP_NONE == (int)WR_TRAP_NONE && WCD_TRAP_KIND_COUNT == (int)WR_TRAP_KIND_COUNT,
               "wdb.trap kinds are the runtime's wr_trap_kind values (both from wdb/wasm_traps.h)");
_Static_assert(WCD_VAL_I32 == (int)WR_I32 && WCD_VAL_I64 == (int)WR_I64 &&
                   WCD_VAL_F32 == (int)WR_F32 && WCD_VAL_F64 == (int)WR_F64 &&
                   WCD_VAL_FUNCREF == (int)WR_FUNCREF && WCD_VAL_EXTERNREF == (int)WR_EXTERNREF,
               "the format's value tags are the Wasm valtype bytes, as wr_valtype");

/* A runtime value for the format. References keep their type (a global
 * is written as ref.null of it; in a frame the writer makes it missing). */
static wcd_value value_of(const wr_val *v)
{
    switch (v->type) {
    case WR_I32:
    case WR_F32: return (wcd_value){(uint8_t)v->type, v->of.u32};
    case WR_I64:
    case WR_F64: return (wcd_value){(uint8_t)v->type, v->of.u64};
    case WR_V128: return (wcd_value){WCD_VAL_MISSING, 0}; /* a core value holds 64 bits */
    default: return (wcd_value){(uint8_t)v->type, 0};
    }
}

static const wcd_value missing = {WCD_VAL_MISSING, 0};

/* The frame's code offset relative to its function: from the body's local
 * declarations (DWARF's DW_AT_low_pc for the function), i.e. just past the
 * body's size field, where wr_module_func_range starts. */
static uint32_t func_relative(wr_module *m, uint32_t func, uint32_t code_offset)
{
    uint32_t start, end;
    size_t len;
    const uint8_t *bytes = wr_module_bytes(m, &len);
    if (wr_module_func_range(m, func, &start, &end) != WR_OK) return code_offset;
    size_t p = (size_t)wr_module_code_section_offset(m) + start;
    size_t q = p;
    while (q < len && (bytes[q] & 0x80) && q - p < 4)
        q++;
    uint32_t low = start + (uint32_t)(q + 1 - p);
    return code_offset >= low ? code_offset - low : 0;
}

/* The frames: live ones inside the debug hook (with locals and operand
 * stacks), else where wr_store_last_trap saw them (no values). *frames
 * and *values are malloc'd; -1 when out of memory. */
static int collect_frames(wr_store *s, wr_module *m, const wr_trap_info *ti, wcd_frame **frames,
                          uint32_t *nframes, wcd_value **values)
{
    uint32_t n = wr_debug_frame_count(s);
    *frames = NULL;
    *values = NULL;
    *nframes = 0;
    if (n == 0) {
        /* after unwinding: where each frame was, no values */
        if (!(*frames = calloc(ti->nframes ? ti->nframes : 1, sizeof **frames))) return -1;
        for (uint32_t i = 0; i < ti->nframes; i++) {
            (*frames)[i].func = ti->frames[i].func_index;
            (*frames)[i].code_offset =
                func_relative(m, ti->frames[i].func_index, ti->frames[i].code_offset);
        }
        *nframes = ti->nframes;
        return 0;
    }
    size_t nvalues = 0;
    for (uint32_t i = 0; i < n; i++)
        nvalues += (size_t)wr_debug_local_count(s, i) + wr_debug_stack_depth(s, i);
    if (!(*frames = calloc(n, sizeof **frames)) ||
        !(*values = calloc(nvalues ? nvalues : 1, sizeof **values)))
        return -1;
    wcd_value *v = *values;
    for (uint32_t i = 0; i < n; i++) {
        wcd_frame *f = &(*frames)[i];
        wr_frame_info fi;
        wr_val x;
        if (wr_debug_frame(s, i, &fi) != WR_OK) memset(&fi, 0, sizeof fi);
        f->func = fi.func_index;
        f->code_offset = func_relative(m, fi.func_index, fi.code_offset);
        f->nlocals = wr_debug_local_count(s, i);
        f->locals = v;
        for (uint32_t k = 0; k < f->nlocals; k++)
            *v++ = wr_debug_local(s, i, k, &x) == WR_OK ? value_of(&x) : missing;
        /* the runtime keeps no operand types: raw 64-bit slots as i64 */
        f->nstack = wr_debug_stack_depth(s, i);
        f->stack = v;
        for (uint32_t k = 0; k < f->nstack; k++)
            *v++ = wr_debug_stack_value(s, i, k, &x) == WR_OK ? value_of(&x) : missing;
    }
    *nframes = n;
    return 0;
}

/* wcd_read_fn over the instance's linear memories, in place. */
static int read_memory(void *user, uint32_t memory, uint64_t offset, void *buf, size_t len)
{
    wr_memory *mem = wr_instance_memory(user, memory);
    if (!mem || offset > wr_memory_size(mem) || len > wr_memory_size(mem) - offset) return -EFAULT;
    memcpy(buf, wr_memory_data(mem) + offset, len);
    return 0;
}

int wcore_write(wr_store *s, wr_module *m, wr_instance *inst, const char *module_path, int argc,
                const char *const *argv, const char *out_path, char *err, size_t errlen)
{
    int rc = -1;
    wcd_frame *frames = NULL;
    wcd_value *values = NULL, *globals = NULL;
    uint64_t *sizes = NULL;
    const wr_trap_info *ti = wr_store_last_trap(s);
    wcd_state st;
    memset(&st, 0, sizeof st);

    if (!inst) {
        wr_frame_info fi;
        if (wr_debug_frame(s, 0, &fi) == WR_OK)
            inst = fi.inst;
        else if (ti->nframes > 0)
            inst = ti->frames[0].inst;
    }
    if (!inst) {
        snprintf(err, errlen, "no instance to dump (the program never ran)");
        return -1;
    }
    if (!m) m = wr_instance_module(inst);
    const char *name = strrchr(module_path, '/');
    st.module_name = name ? name + 1 : module_path;
    size_t mlen;
    const uint8_t *mbytes = wr_module_bytes(m, &mlen);
    st.module_size = mlen;
    st.module_hash = wcd_fnv1a64(mbytes, mlen);
    st.trap_message = ti->msg[0] ? ti->msg : wr_trap_message(ti->kind);
    st.trap_kind = (uint32_t)ti->kind;
    st.argc = argc > 0 ? (uint32_t)argc : 0;
    st.argv = argv;

    if (collect_frames(s, m, ti, &frames, &st.nframes, &values) != 0) goto nomem;
    st.frames = frames;

    st.nglobals = wr_instance_global_count(inst);
    if (!(globals = calloc(st.nglobals ? st.nglobals : 1, sizeof *globals))) goto nomem;
    for (uint32_t i = 0; i < st.nglobals; i++) {
        wr_val v;
        wr_global_get(wr_instance_global(inst, i), &v);
        globals[i] = value_of(&v);
    }
    st.globals = globals;

    while (wr_instance_memory(inst, st.nmemories))
        st.nmemories++;
    if (!(sizes = calloc(st.nmemories ? st.nmemories : 1, sizeof *sizes))) goto nomem;
    for (uint32_t i = 0; i < st.nmemories; i++)
        sizes[i] = wr_memory_size(wr_instance_memory(inst, i));
    st.memory_sizes = sizes;
    st.read_memory = read_memory;
    st.user = inst;
    st.read_once = false; /* reading is a memcpy: nothing to keep */

    rc = wcd_write(&st, out_path, err, errlen) == WCD_OK ? 0 : -1;
    goto done;
nomem:
    snprintf(err, errlen, "out of memory");
done:
    free(frames);
    free(values);
    free(globals);
    free(sizes);
    return rc;
}
