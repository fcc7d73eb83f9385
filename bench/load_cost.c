/*
 * What a module's functions cost the host to load and instantiate
 * (bench/load-cost.sh; issue 14 item 4: a module of millions of empty
 * functions must not take gigabytes).
 *
 *   load_cost N
 *
 * Makes a module of N empty functions (type [] -> [], body `end`: 4 bytes
 * of module each), loads it with wr_module_new (decode + validate every
 * body) and instantiates it, and prints "NAME VALUE" lines:
 *   funcs          N
 *   module_bytes   the module's size
 *   load_bytes     heap bytes live after wr_module_new, less the module's own
 *                  copy of the file (glibc's mallinfo2: what malloc handed out)
 *   load_peak      the process's peak resident set grew by this during the
 *                  load (temporaries included; getrusage)
 *   inst_bytes     heap bytes the instance added
 *   load_ns        wall-clock nanoseconds of wr_module_new
 *   inst_ns        of wr_instance_new
 */
#include "wdb/runtime.h"
#include "wdb/wasmfmt.h"

#include <malloc.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static size_t heap_used(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

static size_t peak_rss(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (size_t)ru.ru_maxrss * 1024;
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* section id, then its size and contents */
static size_t put_section(uint8_t *p, uint8_t id, const uint8_t *body, size_t len)
{
    size_t n = 0;
    p[n++] = id;
    n += wf_leb_write(p + n, len);
    memcpy(p + n, body, len);
    return n + len;
}

int main(int argc, char **argv)
{
    long n = argc == 2 ? strtol(argv[1], NULL, 10) : 0;
    if (n <= 0 || n > 50000000) {
        fprintf(stderr, "usage: load_cost N (1..50000000)\n");
        return 2;
    }
    /* function section: count, then a type index (0) each; code section:
     * count, then each body: size 2, no locals, end */
    uint8_t *funcsec = malloc((size_t)n + 16), *codesec = malloc((size_t)n * 3 + 16);
    uint8_t *mod = malloc((size_t)n * 4 + 128);
    if (!funcsec || !codesec || !mod) return 1;
    size_t fl = wf_leb_write(funcsec, (uint64_t)n), cl = wf_leb_write(codesec, (uint64_t)n);
    for (long i = 0; i < n; i++) {
        funcsec[fl++] = 0;
        codesec[cl++] = 2;
        codesec[cl++] = 0;
        codesec[cl++] = 0x0b;
    }
    static const uint8_t header[] = {0, 'a', 's', 'm', 1, 0, 0, 0};
    static const uint8_t types[] = {1, 0x60, 0, 0};
    size_t len = 0;
    memcpy(mod, header, sizeof header);
    len += sizeof header;
    len += put_section(mod + len, 1, types, sizeof types);
    len += put_section(mod + len, 3, funcsec, fl);
    len += put_section(mod + len, 10, codesec, cl);
    free(funcsec);
    free(codesec);

    wr_store *store = wr_store_new(NULL);
    wr_linker *linker = wr_linker_new(store);
    if (!store || !linker) return 1;
    wr_module *m;
    wr_instance *inst;
    wr_error err;
    size_t before = heap_used(), rss_before = peak_rss();
    uint64_t t0 = now_ns();
    if (wr_module_new(store, mod, len, &m, &err) != WR_OK) {
        fprintf(stderr, "load_cost: %s\n", err.msg);
        return 1;
    }
    uint64_t t1 = now_ns();
    size_t loaded = heap_used();
    size_t peak = peak_rss() - rss_before;
    if (wr_instance_new(store, m, linker, &inst, &err) != WR_OK) {
        fprintf(stderr, "load_cost: %s\n", err.msg);
        return 1;
    }
    uint64_t t2 = now_ns();
    size_t instantiated = heap_used();
    printf("funcs %ld\nmodule_bytes %zu\nload_bytes %zu\nload_peak %zu\ninst_bytes %zu\n"
           "load_ns %llu\ninst_ns %llu\n",
           n, len, loaded - before - len, peak, instantiated - loaded,
           (unsigned long long)(t1 - t0), (unsigned long long)(t2 - t1));
    wr_store_free(store);
    free(mod);
    return 0;
}
