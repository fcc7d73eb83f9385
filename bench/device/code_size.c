/*
 * What a module's translation costs (bench/device.sh): loads a module with
 * the host runtime and sums the internal code of every function. The words
 * of the internal code are 8 bytes and the pc-map entries 8 bytes on every
 * host, so the figures hold for the 32-bit firmware too.
 *
 *   code_size MODULE.wasm
 * Prints "NAME BYTES" lines: wasm_code, ops, pcmap, syncs, funcs.
 *
 * It reads the runtime's private structures (runtime/src/wr_code.h): a
 * measuring tool, not an embedder.
 */
#include "wr_code.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    static uint8_t buf[16 << 20];
    wr_store *store = NULL;
    wr_module *mod;
    wr_error err;
    size_t len;
    FILE *f = argc == 2 ? fopen(argv[1], "rb") : NULL;
    if (!f) {
        fprintf(stderr, "usage: code_size MODULE.wasm\n");
        return 2;
    }
    len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    store = wr_store_new(NULL);
    if (!store || wr_module_new(store, buf, len, &mod, &err) != WR_OK) {
        fprintf(stderr, "code_size: %s\n", store ? err.msg : "out of memory");
        wr_store_free(store);
        return 1;
    }
    uint64_t code = 0, ops = 0, pcmap = 0, syncs = 0;
    for (uint32_t i = mod->nfunc_imports; i < mod->nfuncs; i++) {
        const wr_func_decl *d = &mod->funcs[i];
        code += d->body_end - d->body_start;
        ops += (uint64_t)d->code->normal.nops * sizeof(wr_op);
        pcmap += (uint64_t)d->code->normal.npc * sizeof(wr_pcmap);
        syncs += (uint64_t)d->code->normal.nsyncs * sizeof(uint32_t);
    }
    printf("wasm_code %llu\nops %llu\npcmap %llu\nsyncs %llu\nfuncs %u\n",
           (unsigned long long)code, (unsigned long long)ops, (unsigned long long)pcmap,
           (unsigned long long)syncs, (unsigned)(mod->nfuncs - mod->nfunc_imports));
    wr_store_free(store);
    return 0;
}
