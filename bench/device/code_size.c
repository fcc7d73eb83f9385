/*
 * What a module's translation costs (bench/device.sh): loads a module with
 * the host runtime, runs it as a WASI command (its output thrown away) and
 * sums what the runtime keeps of the functions it translated. Functions are
 * translated on their first call, so these are the ones that ran; the run is
 * the device's (same module, same arguments: none).
 *
 *   code_size MODULE.wasm
 * Prints "NAME VALUE" lines:
 *   funcs       defined functions
 *   translated  of them translated (they ran)
 *   wasm_code   bytes of the Code section bodies, all functions
 *   wasm_run    of them, of the translated functions
 *   words       words of internal code (ops + operands)
 *   consts      of them, constants past 32 bits (one word more with 4-byte words)
 *   ops32       bytes of internal code with 4-byte words (a 32-bit device)
 *   pcmap       bytes of the pc maps kept (none: rebuilt on demand)
 *   syncs       bytes of the sync point lists kept (none: rebuilt on demand)
 *
 * It reads the runtime's private structures (runtime/src/wr_code.h): a
 * measuring tool, not an embedder. Built with -DWR_PACK=1 against the
 * runtime of the same (wdb_runtime_packed), it translates as a 32-bit
 * device does (packed ops, no i64 comparison immediates). On a 64-bit host
 * words are 8 bytes and a constant's immediate one word; on a 32-bit
 * device 4 bytes, and two words for a constant past 32 bits (const64,
 * wr_code.h), which ops32 accounts for. A 32-bit build also refuses 64-bit
 * immediates that do not fit 32 bits in `_ri` ops and immediates past 16
 * bits in fused branches; those rare ops are counted as here.
 */
#include "wr_code.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    static uint8_t buf[16 << 20];
    wr_store *store = NULL;
    wr_module *mod;
    wr_linker *linker;
    wr_instance *inst;
    wr_wasi *wasi = NULL;
    wr_wasi_config wc;
    wr_extern start;
    wr_error err;
    size_t len;
    int status = 1;
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
        goto done;
    }
    wr_wasi_config_init(&wc);
    wc.stdout_fd = wc.stderr_fd = open("/dev/null", O_WRONLY);
    wc.stdin_fd = -1;
    if (wr_wasi_new(&wc, &wasi, NULL, 0) != WR_OK || !(linker = wr_linker_new(store)) ||
        wr_wasi_define(wasi, linker) != WR_OK ||
        wr_instance_new(store, mod, linker, &inst, &err) != WR_OK ||
        wr_instance_export(inst, "_start", &start) != WR_OK) {
        fprintf(stderr, "code_size: cannot run the module\n");
        goto done;
    }
    wr_status st = wr_func_call(start.of.func, NULL, 0, NULL, 0, &err);
    if (st != WR_OK && st != WR_ERR_EXIT) {
        fprintf(stderr, "code_size: the module failed: %s\n", err.msg);
        goto done;
    }
    const void *hconst = WR_HANDLER(wr_interp_handlers(), WR_OP_const);
    uint64_t code = 0, run = 0, words = 0, consts = 0, pcmap = 0, syncs = 0;
    uint32_t translated = 0;
    for (uint32_t i = mod->nfunc_imports; i < mod->nfuncs; i++) {
        const wr_func_decl *d = &mod->funcs[i];
        code += d->body_end - d->body_start;
        if (!d->code || !d->code->normal.ops) continue;
        /* the pc map is rebuilt on demand (not kept): read it to count the consts */
        const wr_ops *o = wr_code_normal_map(d->code);
        if (!o) continue;
        translated++;
        run += d->body_end - d->body_start;
        words += o->nops;
        /* every entry: count the consts; the last one ends the map's bytes */
        wr_pc pc;
        bool ok = wr_pc_seek_ir(o, 0, &pc);
        for (; ok; ok = wr_pc_next(o, &pc))
            if (o->ops[pc.ir].h == hconst && o->ops[pc.ir + 2].u > 0xffffffffu) consts++;
        /* normal translations keep no pc map or sync points: pcmap, syncs 0 */
    }
    printf("funcs %u\ntranslated %u\nwasm_code %llu\nwasm_run %llu\nwords %llu\nconsts %llu\n"
           "ops32 %llu\npcmap %llu\nsyncs %llu\n",
           (unsigned)(mod->nfuncs - mod->nfunc_imports), (unsigned)translated,
           (unsigned long long)code, (unsigned long long)run, (unsigned long long)words,
           (unsigned long long)consts, (unsigned long long)((words + consts) * 4),
           (unsigned long long)pcmap, (unsigned long long)syncs);
    status = 0;
done:
    wr_store_free(store);
    wr_wasi_free(wasi);
    return status;
}
