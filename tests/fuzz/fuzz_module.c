/*
 * libFuzzer target: decode + validate + instantiate + run a module.
 *
 * Every input is loaded into a fresh store with small limits (1 MiB value
 * stack, 1000 frames, 16 MiB of linear memory). Imports are satisfied by a
 * host function per imported function that returns zeros, and by fresh
 * memories, tables and globals, so instantiation (segments, start function)
 * is reached for most inputs. Then every exported function is called with
 * zero arguments. Execution is bounded by fuel (wr_store_set_fuel):
 * FUEL function entries and loop iterations for instantiation and again for
 * each export, so an infinite loop ends as an "out of fuel" trap, the same
 * way on every run and machine, never as a fuzzer time-out.
 *
 * Build: cmake -DWDB_FUZZ=ON -DCMAKE_C_COMPILER=clang-22; run bench/fuzz.sh.
 */
#include "wdb/runtime.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FUEL 100000

static wr_status zero_host(wr_instance *caller, void *user, const uint64_t *args, uint64_t *results)
{
    (void)caller, (void)user, (void)args, (void)results; /* results arrive zeroed */
    return WR_OK;
}

/* The type string of a function type for wr_linker_define_func. */
static bool type_string(const wr_valtype *t, uint32_t n, char *out, size_t cap)
{
    if (n + 1 > cap) return false;
    for (uint32_t i = 0; i < n; i++) {
        switch (t[i]) {
        case WR_I32: out[i] = 'i'; break;
        case WR_I64: out[i] = 'I'; break;
        case WR_F32: out[i] = 'f'; break;
        case WR_F64: out[i] = 'F'; break;
        case WR_FUNCREF: out[i] = 'r'; break;
        case WR_EXTERNREF: out[i] = 'e'; break;
        default: return false;
        }
    }
    out[n] = 0;
    return true;
}

/* Defines something of the right kind for every import: functions of the
 * expected type that return zeros, fresh memories, tables and globals (whose
 * types may not match: then linking is refused, which is a path too). */
static void define_imports(wr_store *s, wr_module *m, wr_linker *l)
{
    uint32_t n = wr_module_import_count(m);
    for (uint32_t i = 0; i < n; i++) {
        wr_import_desc d;
        if (wr_module_import(m, i, &d) != WR_OK) continue;
        wr_extern ext;
        memset(&ext, 0, sizeof ext);
        ext.kind = d.kind;
        switch (d.kind) {
        case WR_EXTERN_FUNC: {
            char ps[64], rs[64];
            if (type_string(d.functype->params, d.functype->nparams, ps, sizeof ps) &&
                type_string(d.functype->results, d.functype->nresults, rs, sizeof rs))
                wr_linker_define_func(l, d.module, d.name, ps, rs, zero_host, NULL);
            continue;
        }
        case WR_EXTERN_MEMORY: ext.of.memory = wr_memory_new(s, 1, 2, true); break;
        case WR_EXTERN_TABLE: ext.of.table = wr_table_new(s, WR_FUNCREF, 10, 20, true); break;
        case WR_EXTERN_GLOBAL: {
            wr_val v = {.type = WR_I32, .of.u64 = 0};
            ext.of.global = wr_global_new(s, &v, false);
            break;
        }
        case WR_EXTERN_TAG: break; /* no host tags: linking is refused */
        }
        if (ext.of.memory) wr_linker_define(l, d.module, d.name, &ext);
    }
}

static void call_exports(wr_store *s, wr_instance *inst, wr_module *m)
{
    uint32_t n = wr_module_export_count(m);
    for (uint32_t i = 0; i < n; i++) {
        wr_export_desc d;
        wr_extern ext;
        if (wr_module_export(m, i, &d) != WR_OK || d.kind != WR_EXTERN_FUNC) continue;
        if (wr_instance_export(inst, d.name, &ext) != WR_OK) continue;
        const wr_functype *ft = wr_func_type(ext.of.func);
        char sig[64];
        if (!type_string(ft->params, ft->nparams, sig, sizeof sig)) continue;
        wr_val args[64], res[64];
        if (ft->nparams > 64 || ft->nresults > 64) continue;
        memset(args, 0, sizeof args);
        for (uint32_t k = 0; k < ft->nparams; k++)
            args[k].type = ft->params[k];
        wr_error err;
        wr_store_set_fuel(s, FUEL); /* each export gets its own */
        wr_func_call(ext.of.func, args, ft->nparams, res, ft->nresults, &err);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wr_config cfg = {
        .value_stack_bytes = 1u << 20, .max_call_depth = 1000, .max_memory_bytes = 16u << 20};
    wr_store *s = wr_store_new(&cfg);
    if (!s) return 0;
    wr_module *m = NULL;
    wr_error err;
    if (wr_module_new(s, data, size, &m, &err) == WR_OK) {
        wr_linker *l = wr_linker_new(s);
        define_imports(s, m, l);
        wr_store_set_fuel(s, FUEL); /* the start function's */
        wr_instance *inst = NULL;
        if (wr_instance_new(s, m, l, &inst, &err) == WR_OK) call_exports(s, inst, m);
    }
    wr_store_free(s);
    return 0;
}
