/*
 * wd-host-run: the firmware program (runtime/device/wd_main.c) on the host,
 * over the POSIX port: the device WASI and wd_run's reports without QEMU,
 * so the device tests can tell a problem of the device code from one of
 * the Cortex-M3 build.
 *
 *   wd-host-run MODULE.wasm [ARGS...]
 *
 * The module is read into memory and run in place (wr_module_new_static),
 * with the firmware's defaults unless WD_MAX_MEMORY=BYTES is set. The
 * reports and the program's argv[0] name the module by its base name, as
 * the firmware does.
 */
#include "wd_main.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    long n;
    if (!f) return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) goto fail;
    buf = malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) goto fail;
    fclose(f);
    *len = (size_t)n;
    return buf;
fail:
    fclose(f);
    free(buf);
    return NULL;
}

int main(int argc, char **argv)
{
    size_t len;
    uint8_t *bytes;
    if (argc < 2) {
        fprintf(stderr, "usage: wd-host-run MODULE.wasm [ARGS...]\n");
        return 2;
    }
    if (!(bytes = read_file(argv[1], &len))) {
        perror(argv[1]);
        return 1;
    }
    const char *base = strrchr(argv[1], '/');
    wd_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.prog = "wdb-firmware";
    cfg.module_name = base ? base + 1 : argv[1];
    argv[1] = (char *)cfg.module_name; /* argv[0] as the firmware's: the base name */
    cfg.argc = argc - 1;
    cfg.argv = (const char *const *)argv + 1;
    const char *mm = getenv("WD_MAX_MEMORY");
    if (mm) cfg.max_memory_bytes = strtoull(mm, NULL, 0);
    int status = wd_run(bytes, len, &cfg);
    free(bytes);
    return status;
}
