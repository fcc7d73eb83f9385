/*
 * What a module's functions cost the host to load and instantiate
 * (bench/load-cost.sh; issue 14 item 4: a module of millions of empty
 * functions must not take gigabytes).
 *
 *   load_cost N [BODY [FILE]]
 *
 * Makes a module of N empty functions (type [] -> [], body `end`: 4 bytes
 * of module each), or with BODY > 4 of N functions of about BODY bytes of
 * ordinary code each (type [i32] -> [i32]: four i32 locals, arithmetic,
 * loads and stores, a loop, a call of the next function; exports "first",
 * whose call runs them all, and "last", which calls none), loads it with
 * wr_module_new (decode + validate every body) and instantiates it (FILE:
 * also writes the module there, for running it elsewhere), and prints
 * "NAME VALUE" lines:
 *   funcs          N
 *   module_bytes   the module's size
 *   load_bytes     heap bytes live after wr_module_new, less the module's own
 *                  copy of the file (glibc's mallinfo2: what malloc handed out)
 *   load_peak      the process's peak resident set grew by this during the
 *                  load (temporaries included; getrusage)
 *   peak_rss       the process's peak resident set after instantiating
 *                  (the module's bytes, made here, included)
 *   inst_bytes     heap bytes the instance added
 *   load_ns        wall-clock nanoseconds of wr_module_new
 *   inst_ns        of wr_instance_new
 */
#include "wdb/file.h"
#include "wdb/runtime.h"
#include "wdb/wasmfmt.h"

#include <inttypes.h>
#include <malloc.h>
#include <stdbool.h>
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

/* The body of function i of n with about `want` bytes of code (type
 * [i32] -> [i32], locals 1..4 i32), into b; returns its length. A block of
 * straight-line code (arithmetic, a load and a store) and a counted loop,
 * repeated, then a call of the next function (none from the last). */
static size_t make_body(uint8_t *b, size_t want, long i, long n)
{
    static const uint8_t straight[] = {
        0x20, 0x00, 0x41, 0x05, 0x6a, 0x21, 0x01,       /* l1 = l0 + 5 */
        0x20, 0x01, 0x20, 0x00, 0x6c, 0x21, 0x02,       /* l2 = l1 * l0 */
        0x20, 0x02, 0x41, 0xff, 0x01, 0x71, 0x21, 0x03, /* l3 = l2 & 255 */
        0x20, 0x03, 0x28, 0x02, 0x10, 0x21, 0x04,       /* l4 = i32.load offset=16 (l3) */
        0x20, 0x03, 0x20, 0x04, 0x20, 0x01, 0x6a, 0x36, 0x02, 0x20, /* store offset=32 */
        0x20, 0x04, 0x20, 0x02, 0x73, 0x21, 0x00,                   /* l0 = l4 ^ l2 */
    };
    static const uint8_t loop[] = {
        0x41, 0x08, 0x21, 0x01,                                     /* l1 = 8 */
        0x02, 0x40, 0x03, 0x40,                                     /* block loop */
        0x20, 0x01, 0x45, 0x0d, 0x01,                               /* br_if 1 (l1 == 0) */
        0x20, 0x00, 0x41, 0x03, 0x74, 0x20, 0x01, 0x6a, 0x21, 0x00, /* l0 = (l0 << 3) + l1 */
        0x20, 0x01, 0x41, 0x01, 0x6b, 0x21, 0x01,                   /* l1 -= 1 */
        0x0c, 0x00, 0x0b, 0x0b,                                     /* br 0 end end */
    };
    size_t k = 0;
    b[k++] = 0x01; /* one local declaration: 4 i32 */
    b[k++] = 0x04;
    b[k++] = 0x7f;
    while (k + sizeof straight + sizeof loop + 16 <= want) {
        memcpy(b + k, straight, sizeof straight);
        k += sizeof straight;
        memcpy(b + k, loop, sizeof loop);
        k += sizeof loop;
    }
    bool last = i == n - 1;
    size_t tail = last ? 4 : 7 + wf_leb_write(NULL, (uint64_t)(i + 1));
    while (k + tail < want)
        b[k++] = 0x01; /* nop up to the size asked for */
    b[k++] = 0x20;     /* the next function of l0 (the last: l0), then + l1 */
    b[k++] = 0x00;
    if (!last) {
        b[k++] = 0x10;
        k += wf_leb_write(b + k, (uint64_t)(i + 1));
    }
    b[k++] = 0x20;
    b[k++] = 0x01;
    b[k++] = 0x6a;
    b[k++] = 0x0b;
    return k;
}

/* load_cost --run FILE: FILE read into memory and loaded in place
 * (wr_module_new_static, as wdb-run does), instantiated, its export "last"
 * called with 3 (one function translated); prints the figures of a fresh
 * process: the peak resident set is the whole process's. */
static int run_file(const char *path)
{
    uint8_t *mod = NULL;
    size_t len = 0;
    char msg[512];
    if (wdb_file_read(path, WDB_FILE_MODULE_MAX, NULL, 0, &mod, &len, msg, sizeof msg) !=
        WDB_FILE_OK) {
        fprintf(stderr, "load_cost: %s\n", msg[0] ? msg : path);
        return 1;
    }
    wr_store *store = wr_store_new(NULL);
    wr_linker *linker = wr_linker_new(store);
    if (!store || !linker) return 1;
    wr_module *m;
    wr_instance *inst;
    wr_error err;
    wr_extern last;
    size_t before = heap_used();
    uint64_t t0 = now_ns();
    if (wr_module_new_static(store, mod, len, &m, &err) != WR_OK) {
        fprintf(stderr, "load_cost: %s\n", err.msg);
        return 1;
    }
    uint64_t t1 = now_ns();
    size_t loaded = heap_used();
    if (wr_instance_new(store, m, linker, &inst, &err) != WR_OK ||
        wr_instance_export(inst, "last", &last) != WR_OK || last.kind != WR_EXTERN_FUNC) {
        fprintf(stderr, "load_cost: %s\n", err.msg);
        return 1;
    }
    uint64_t t2 = now_ns();
    size_t instantiated = heap_used();
    wr_val arg = {.type = WR_I32, .of.i32 = 3}, res;
    if (wr_func_call(last.of.func, &arg, 1, &res, 1, &err) != WR_OK) {
        fprintf(stderr, "load_cost: %s\n", err.msg);
        return 1;
    }
    uint64_t t3 = now_ns();
    printf("funcs %" PRIu32 "\nmodule_bytes %zu\nload_bytes %zu\ninst_bytes %zu\n"
           "call_bytes %zu\nload_ns %llu\ninst_ns %llu\ncall_ns %llu\npeak_rss %zu\n",
           wr_module_func_count(m), len, loaded - before, instantiated - loaded,
           heap_used() - instantiated, (unsigned long long)(t1 - t0), (unsigned long long)(t2 - t1),
           (unsigned long long)(t3 - t2), peak_rss());
    wr_store_free(store);
    free(mod);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "--run")) return run_file(argv[2]);
    long n = argc >= 2 && argc <= 4 ? strtol(argv[1], NULL, 10) : 0;
    long body = argc >= 3 ? strtol(argv[2], NULL, 10) : 0;
    if (n <= 0 || n > 50000000 || body < 0 || body > 1000000 || (body > 4 && n > 1000000)) {
        fprintf(stderr, "usage: load_cost N [BODY [FILE]] (N 1..50000000; BODY bytes, N up "
                        "to 1000000 with a BODY)\n");
        return 2;
    }
    bool full = body > 4; /* else empty functions */
    size_t blen = full ? (size_t)body + 32 : 3;
    /* function section: count, then a type index (0) each; code section:
     * count, then each body: its size and contents (empty: size 2, no
     * locals, end) */
    uint8_t *funcsec = malloc((size_t)n + 16), *codesec = malloc((size_t)n * (blen + 5) + 16);
    uint8_t *bbuf = malloc(blen);
    uint8_t *mod = malloc((size_t)n * (blen + 6) + 128);
    if (!funcsec || !codesec || !mod || !bbuf) return 1;
    size_t fl = wf_leb_write(funcsec, (uint64_t)n), cl = wf_leb_write(codesec, (uint64_t)n);
    for (long i = 0; i < n; i++) {
        funcsec[fl++] = 0;
        if (!full) {
            codesec[cl++] = 2;
            codesec[cl++] = 0;
            codesec[cl++] = 0x0b;
            continue;
        }
        size_t k = make_body(bbuf, (size_t)body, i, n);
        cl += wf_leb_write(codesec + cl, k);
        memcpy(codesec + cl, bbuf, k);
        cl += k;
    }
    free(bbuf);
    static const uint8_t header[] = {0, 'a', 's', 'm', 1, 0, 0, 0};
    static const uint8_t types[] = {1, 0x60, 0, 0}, types_full[] = {1, 0x60, 1, 0x7f, 1, 0x7f};
    static const uint8_t memsec[] = {1, 0, 1}; /* one memory of one page */
    size_t len = 0;
    memcpy(mod, header, sizeof header);
    len += sizeof header;
    if (full)
        len += put_section(mod + len, 1, types_full, sizeof types_full);
    else
        len += put_section(mod + len, 1, types, sizeof types);
    len += put_section(mod + len, 3, funcsec, fl);
    if (full) {
        uint8_t exps[32];
        size_t el = 0;
        exps[el++] = 2;
        exps[el++] = 5;
        memcpy(exps + el, "first", 5);
        el += 5;
        exps[el++] = 0; /* a function */
        exps[el++] = 0;
        exps[el++] = 4;
        memcpy(exps + el, "last", 4);
        el += 4;
        exps[el++] = 0;
        el += wf_leb_write(exps + el, (uint64_t)(n - 1));
        len += put_section(mod + len, 5, memsec, sizeof memsec);
        len += put_section(mod + len, 7, exps, el);
    }
    len += put_section(mod + len, 10, codesec, cl);
    free(funcsec);
    free(codesec);
    if (argc == 4) {
        FILE *f = fopen(argv[3], "wb");
        if (!f || fwrite(mod, 1, len, f) != len || fclose(f) != 0) {
            fprintf(stderr, "load_cost: cannot write %s\n", argv[3]);
            return 1;
        }
        free(mod);
        return 0;
    }

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
           "load_ns %llu\ninst_ns %llu\npeak_rss %zu\n",
           n, len, loaded - before - len, peak, instantiated - loaded,
           (unsigned long long)(t1 - t0), (unsigned long long)(t2 - t1), peak_rss());
    wr_store_free(store);
    free(mod);
    return 0;
}
