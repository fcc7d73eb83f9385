/*
 * Unit tests of the WASI layer (runtime/src/wr_wasi.c), calling the
 * wasi_snapshot_preview1 functions directly through wr_wasi_call_raw on a
 * plain buffer standing in for linear memory. Covers the functions' results
 * and struct layouts, the sandbox (`..`, absolute paths, symlinks leading
 * out of a preopen) and bad guest pointers.
 */
#define _GNU_SOURCE

#include "wdb/runtime.h"
#include "wr_wasi_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* WASI values the tests compare against (witx). */
enum {
    E_OK = 0,
    E_BADF = 8,
    E_EXIST = 20,
    E_FAULT = 21,
    E_INVAL = 28,
    E_ISDIR = 31,
    E_LOOP = 32,
    E_NOENT = 44,
    E_NOTDIR = 54,
    E_NOTEMPTY = 55,
    E_NOTSOCK = 57,
    E_NOTSUP = 58,
    E_SPIPE = 70,
    E_NOTCAPABLE = 76,
};
enum { FT_DIR = 3, FT_REG = 4, FT_LNK = 7 };
#define R_READ (UINT64_C(1) << 1)
#define R_WRITE (UINT64_C(1) << 6)
#define R_READDIR (UINT64_C(1) << 14)
#define R_SEEK (UINT64_C(1) << 2)
#define R_TELL (UINT64_C(1) << 5)
#define R_PATH_OPEN (UINT64_C(1) << 13)
#define R_PATH_FILESTAT_SET_SIZE (UINT64_C(1) << 19)
#define R_PATH_SYMLINK (UINT64_C(1) << 24)
#define R_ALL ((UINT64_C(1) << 30) - 1) /* bits 0..29 are defined */
/* all but those that make path_open open for writing: FD_WRITE,
 * FD_ALLOCATE (8), FD_FILESTAT_SET_SIZE (22) */
#define R_RD (R_ALL & ~(R_WRITE | (UINT64_C(1) << 8) | (UINT64_C(1) << 22)))
#define O_CREAT_ 1u
#define O_DIR_ 2u
#define O_EXCL_ 4u
#define O_TRUNC_ 8u
#define FOLLOW 1u

#define MEMLEN 65536u
/* Scratch areas in the fake memory. */
#define P_PATH 1024u  /* a guest path */
#define P_PATH2 2048u /* a second guest path */
#define P_OUT 4096u   /* results */
#define P_IOV 8192u   /* iovecs */
#define P_BUF 12288u  /* data */

typedef struct t_ctx {
    wr_wasi *w;
    uint8_t *mem;
    char root[64]; /* temporary directory holding box/ and outside.txt */
    char box[128]; /* the preopened directory */
    int failures;
    int checks;
} t_ctx;

#define CHECK(t, cond)                                                                             \
    do {                                                                                           \
        (t)->checks++;                                                                             \
        if (!(cond)) {                                                                             \
            (t)->failures++;                                                                       \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
        }                                                                                          \
    } while (0)
#define CHECK_EQ(t, a, b)                                                                          \
    do {                                                                                           \
        long long a_ = (long long)(a), b_ = (long long)(b);                                        \
        (t)->checks++;                                                                             \
        if (a_ != b_) {                                                                            \
            (t)->failures++;                                                                       \
            fprintf(stderr, "%s:%d: %s == %lld, expected %s == %lld\n", __FILE__, __LINE__, #a,    \
                    a_, #b, b_);                                                                   \
        }                                                                                          \
    } while (0)

/* The ranges of guest memory a call said it writes (wr_wasi_set_write_hook). */
typedef struct noted {
    uint64_t lo[512], hi[512];
    int n;
} noted;

static void on_write(void *user, uint64_t ptr, uint64_t len)
{
    noted *nt = user;
    if (nt->n < 512) {
        nt->lo[nt->n] = ptr;
        nt->hi[nt->n] = ptr + len;
    }
    nt->n++;
}

/* wr_wasi_call_raw, checking that the call told every byte of memory it
 * changed (what a recording of it copies, docs/TRACE.md): a byte it did
 * not tell would be missing from the trace, and the replay would differ.
 * Every WASI call of these tests goes through here. */
static wr_status raw_call(t_ctx *t, wr_wasi *w, const char *name, uint8_t *mem, uint64_t memlen,
                          const uint64_t *args, uint64_t *res)
{
    static uint8_t before[MEMLEN];
    static noted nt;
    nt.n = 0;
    if (mem) memcpy(before, mem, memlen);
    wr_wasi_set_write_hook(w, on_write, &nt);
    wr_status st = wr_wasi_call_raw(w, name, mem, memlen, args, res);
    wr_wasi_set_write_hook(w, NULL, NULL);
    t->checks++;
    if (nt.n > 512) {
        t->failures++;
        fprintf(stderr, "%s: told %d ranges, more than the test keeps\n", name, nt.n);
        return st;
    }
    for (uint64_t i = 0; mem && i < memlen; i++) {
        if (mem[i] == before[i]) continue;
        int k = 0;
        while (k < nt.n && !(nt.lo[k] <= i && i < nt.hi[k]))
            k++;
        if (k == nt.n) {
            t->failures++;
            fprintf(stderr, "%s changed guest byte %#llx (%#x -> %#x) without telling it\n", name,
                    (unsigned long long)i, before[i], mem[i]);
            break;
        }
    }
    return st;
}

/* Calls a WASI function with n i32/i64 arguments; returns its errno. */
static uint32_t call(t_ctx *t, const char *name, int n, ...)
{
    uint64_t args[16] = {0}, res[1] = {0xdeadbeef};
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n && i < 16; i++)
        args[i] = va_arg(ap, uint64_t);
    va_end(ap);
    wr_status st = raw_call(t, t->w, name, t->mem, MEMLEN, args, res);
    if (st != WR_OK) {
        fprintf(stderr, "call %s: status %d\n", name, (int)st);
        t->failures++;
    }
    return (uint32_t)res[0];
}
#define U(x) ((uint64_t)(x))

static uint32_t rd32(t_ctx *t, uint32_t p)
{
    const uint8_t *m = t->mem + p;
    return (uint32_t)m[0] | ((uint32_t)m[1] << 8) | ((uint32_t)m[2] << 16) | ((uint32_t)m[3] << 24);
}
static uint64_t rd64(t_ctx *t, uint32_t p)
{
    return rd32(t, p) | ((uint64_t)rd32(t, p + 4) << 32);
}
static void wr32(t_ctx *t, uint32_t p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        t->mem[p + i] = (uint8_t)(v >> (8 * i));
}
static void wr64(t_ctx *t, uint32_t p, uint64_t v)
{
    wr32(t, p, (uint32_t)v);
    wr32(t, p + 4, (uint32_t)(v >> 32));
}
/* Puts a path at P_PATH and returns its length. */
static uint32_t path(t_ctx *t, const char *s)
{
    size_t n = strlen(s);
    memcpy(t->mem + P_PATH, s, n);
    return (uint32_t)n;
}
static uint32_t path2(t_ctx *t, const char *s)
{
    size_t n = strlen(s);
    memcpy(t->mem + P_PATH2, s, n);
    return (uint32_t)n;
}

/* path_open relative to dirfd; returns errno, the fd in *fd. */
static uint32_t open_at(t_ctx *t, uint32_t dirfd, const char *p, uint32_t lookup, uint32_t oflags,
                        uint64_t rights, uint32_t *fd)
{
    uint32_t n = path(t, p);
    wr32(t, P_OUT, 0xffffffffu);
    uint32_t e = call(t, "path_open", 9, U(dirfd), U(lookup), U(P_PATH), U(n), U(oflags), rights,
                      rights, U(0), U(P_OUT));
    *fd = rd32(t, P_OUT);
    return e;
}

static uint32_t open_box(t_ctx *t, const char *p, uint32_t lookup, uint32_t *fd)
{
    return open_at(t, 3, p, lookup, 0, R_RD, fd);
}

static void write_host_file(const char *dir, const char *name, const char *text)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static bool host_exists(const char *dir, const char *name)
{
    char p[256];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return lstat(p, &st) == 0;
}

static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(p);
}

static int setup_tree(t_ctx *t)
{
    char p[256], q[256];
    strcpy(t->root, "/tmp/wdb-wasi-test-XXXXXX");
    if (!mkdtemp(t->root)) return -1;
    snprintf(t->box, sizeof t->box, "%s/box", t->root);
    if (mkdir(t->box, 0755) != 0) return -1;
    write_host_file(t->root, "outside.txt", "secret\n");
    write_host_file(t->box, "hello.txt", "hello world\n");
    snprintf(p, sizeof p, "%s/sub", t->box);
    if (mkdir(p, 0755) != 0) return -1;
    write_host_file(p, "inner.txt", "inner\n");
    snprintf(q, sizeof q, "%s/outside.txt", t->root);
    struct {
        const char *target, *link;
    } links[] = {
        {"../outside.txt", "link_out"},
        {q, "link_abs"},
        {"sub", "link_in"},
        {"..", "link_up"},
        {"link_loop", "link_loop"},
        {"../..", "sub/link_up2"},
        {"../hello.txt", "sub/link_sib"},
        {"sub/../../outside.txt", "link_lex"},
    };
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", t->box, links[i].link);
        if (symlink(links[i].target, p) != 0) return -1;
    }
    return 0;
}

static void test_args_env(t_ctx *t)
{
    CHECK_EQ(t, call(t, "args_sizes_get", 2, U(P_OUT), U(P_OUT + 4)), E_OK);
    CHECK_EQ(t, rd32(t, P_OUT), 3);
    CHECK_EQ(t, rd32(t, P_OUT + 4), strlen("prog") + strlen("one") + strlen("two words") + 3);
    CHECK_EQ(t, call(t, "args_get", 2, U(P_OUT), U(P_BUF)), E_OK);
    CHECK_EQ(t, rd32(t, P_OUT), P_BUF);
    CHECK(t, strcmp((char *)t->mem + rd32(t, P_OUT), "prog") == 0);
    CHECK(t, strcmp((char *)t->mem + rd32(t, P_OUT + 8), "two words") == 0);
    CHECK_EQ(t, call(t, "environ_sizes_get", 2, U(P_OUT), U(P_OUT + 4)), E_OK);
    CHECK_EQ(t, rd32(t, P_OUT), 2);
    CHECK_EQ(t, rd32(t, P_OUT + 4), strlen("A=1") + strlen("PATH=/x") + 2);
    CHECK_EQ(t, call(t, "environ_get", 2, U(P_OUT), U(P_BUF)), E_OK);
    CHECK(t, strcmp((char *)t->mem + rd32(t, P_OUT + 4), "PATH=/x") == 0);
    /* bad pointers: the array or the buffer past the end of memory */
    CHECK_EQ(t, call(t, "args_get", 2, U(MEMLEN - 8), U(P_BUF)), E_FAULT);
    CHECK_EQ(t, call(t, "args_get", 2, U(P_OUT), U(MEMLEN - 4)), E_FAULT);
    CHECK_EQ(t, call(t, "args_sizes_get", 2, U(MEMLEN - 2), U(P_OUT)), E_FAULT);
    CHECK_EQ(t, call(t, "environ_get", 2, U(0xfffffffcu), U(P_BUF)), E_FAULT);
}

static void test_clock_random(t_ctx *t)
{
    CHECK_EQ(t, call(t, "clock_time_get", 3, U(1), U(0), U(P_OUT)), E_OK);
    uint64_t t0 = rd64(t, P_OUT);
    CHECK(t, t0 > 0);
    CHECK_EQ(t, call(t, "clock_time_get", 3, U(0), U(1000), U(P_OUT)), E_OK);
    CHECK(t, rd64(t, P_OUT) > UINT64_C(1600000000) * 1000000000u); /* after 2020 */
    CHECK_EQ(t, call(t, "clock_time_get", 3, U(2), U(0), U(P_OUT)), E_OK);
    CHECK_EQ(t, call(t, "clock_time_get", 3, U(3), U(0), U(P_OUT)), E_OK);
    CHECK_EQ(t, call(t, "clock_time_get", 3, U(9), U(0), U(P_OUT)), E_INVAL);
    CHECK_EQ(t, call(t, "clock_time_get", 3, U(1), U(0), U(MEMLEN - 7)), E_FAULT);
    CHECK_EQ(t, call(t, "clock_res_get", 2, U(1), U(P_OUT)), E_OK);
    CHECK(t, rd64(t, P_OUT) > 0);

    memset(t->mem + P_BUF, 0, 64);
    CHECK_EQ(t, call(t, "random_get", 2, U(P_BUF), U(64)), E_OK);
    int nonzero = 0;
    for (int i = 0; i < 64; i++)
        nonzero += t->mem[P_BUF + i] != 0;
    CHECK(t, nonzero > 32);
    CHECK_EQ(t, call(t, "random_get", 2, U(MEMLEN - 10), U(11)), E_FAULT);
    CHECK_EQ(t, call(t, "random_get", 2, U(MEMLEN), U(0)), E_OK);
}

static void test_prestat(t_ctx *t)
{
    memset(t->mem + P_OUT, 0xaa, 8);
    CHECK_EQ(t, call(t, "fd_prestat_get", 2, U(3), U(P_OUT)), E_OK);
    CHECK_EQ(t, t->mem[P_OUT], 0);
    CHECK_EQ(t, rd32(t, P_OUT + 4), 4);
    CHECK_EQ(t, call(t, "fd_prestat_dir_name", 3, U(3), U(P_BUF), U(4)), E_OK);
    CHECK(t, memcmp(t->mem + P_BUF, "/box", 4) == 0);
    CHECK(t, call(t, "fd_prestat_dir_name", 3, U(3), U(P_BUF), U(2)) != E_OK);
    CHECK_EQ(t, call(t, "fd_prestat_dir_name", 3, U(3), U(MEMLEN - 2), U(4)), E_FAULT);
    CHECK_EQ(t, call(t, "fd_prestat_get", 2, U(4), U(P_OUT)), E_BADF);
    CHECK_EQ(t, call(t, "fd_prestat_get", 2, U(1), U(P_OUT)), E_BADF);
    CHECK_EQ(t, call(t, "fd_prestat_get", 2, U(3), U(MEMLEN - 4)), E_FAULT);

    CHECK_EQ(t, call(t, "fd_fdstat_get", 2, U(3), U(P_OUT)), E_OK);
    CHECK_EQ(t, t->mem[P_OUT], FT_DIR);
    CHECK(t, rd64(t, P_OUT + 16) & R_READ); /* inheriting rights allow reading files */
    CHECK_EQ(t, call(t, "fd_fdstat_get", 2, U(3), U(MEMLEN - 23)), E_FAULT);
}

static void test_files(t_ctx *t)
{
    uint32_t fd;
    CHECK_EQ(t, open_box(t, "hello.txt", 0, &fd), E_OK);
    CHECK(t, fd > 3);

    /* fd_read with two iovecs: 5 bytes, then the rest */
    wr32(t, P_IOV, P_BUF);
    wr32(t, P_IOV + 4, 5);
    wr32(t, P_IOV + 8, P_BUF + 100);
    wr32(t, P_IOV + 12, 100);
    CHECK_EQ(t, call(t, "fd_read", 4, U(fd), U(P_IOV), U(2), U(P_OUT)), E_OK);
    CHECK_EQ(t, rd32(t, P_OUT), 12);
    CHECK(t, memcmp(t->mem + P_BUF, "hello", 5) == 0);
    CHECK(t, memcmp(t->mem + P_BUF + 100, " world\n", 7) == 0);

    CHECK_EQ(t, call(t, "fd_tell", 2, U(fd), U(P_OUT)), E_OK);
    CHECK_EQ(t, rd64(t, P_OUT), 12);
    CHECK_EQ(t, call(t, "fd_seek", 4, U(fd), U((uint64_t)-6), U(2), U(P_OUT)), E_OK);
    CHECK_EQ(t, rd64(t, P_OUT), 6);
    CHECK_EQ(t, call(t, "fd_seek", 4, U(fd), U(0), U(7), U(P_OUT)), E_INVAL);
    CHECK_EQ(t, call(t, "fd_seek", 4, U(fd), U(0), U(0), U(MEMLEN - 4)), E_FAULT);

    wr32(t, P_IOV, P_BUF);
    wr32(t, P_IOV + 4, 5);
    CHECK_EQ(t, call(t, "fd_pread", 5, U(fd), U(P_IOV), U(1), U(6), U(P_OUT)), E_OK);
    CHECK_EQ(t, rd32(t, P_OUT), 5);
    CHECK(t, memcmp(t->mem + P_BUF, "world", 5) == 0);

    CHECK_EQ(t, call(t, "fd_filestat_get", 2, U(fd), U(P_OUT)), E_OK);
    CHECK_EQ(t, t->mem[P_OUT + 16], FT_REG);
    CHECK_EQ(t, rd64(t, P_OUT + 32), 12);
    CHECK(t, rd64(t, P_OUT + 48) > 0);
    CHECK_EQ(t, call(t, "fd_filestat_get", 2, U(fd), U(MEMLEN - 63)), E_FAULT);
    CHECK_EQ(t, call(t, "fd_fdstat_get", 2, U(fd), U(P_OUT)), E_OK);
    CHECK_EQ(t, t->mem[P_OUT], FT_REG);
    CHECK_EQ(t, call(t, "fd_advise", 4, U(fd), U(0), U(0), U(1)), E_OK);

    /* bad iovecs: array past the end, buffer past the end, huge count */
    CHECK_EQ(t, call(t, "fd_read", 4, U(fd), U(MEMLEN - 4), U(1), U(P_OUT)), E_FAULT);
    wr32(t, P_IOV, MEMLEN - 2);
    wr32(t, P_IOV + 4, 3);
    CHECK_EQ(t, call(t, "fd_read", 4, U(fd), U(P_IOV), U(1), U(P_OUT)), E_FAULT);
    wr32(t, P_IOV, 0xfffffff0u);
    wr32(t, P_IOV + 4, 0x20);
    CHECK_EQ(t, call(t, "fd_pread", 5, U(fd), U(P_IOV), U(1), U(0), U(P_OUT)), E_FAULT);
    CHECK_EQ(t, call(t, "fd_read", 4, U(fd), U(P_IOV), U(0x20000000u), U(P_OUT)), E_FAULT);
    CHECK_EQ(t, call(t, "fd_read", 4, U(fd), U(P_IOV), U(0), U(MEMLEN)), E_FAULT);

    /* a path lookup relative to a file is refused */
    uint32_t fd2;
    CHECK_EQ(t, open_at(t, fd, "x", 0, 0, R_RD, &fd2), E_NOTDIR);

    CHECK_EQ(t, call(t, "fd_close", 1, U(fd)), E_OK);
    CHECK_EQ(t, call(t, "fd_close", 1, U(fd)), E_BADF);
    CHECK_EQ(t, call(t, "fd_read", 4, U(fd), U(P_IOV), U(1), U(P_OUT)), E_BADF);
    CHECK_EQ(t, call(t, "fd_write", 4, U(999), U(P_IOV), U(1), U(P_OUT)), E_BADF);

    /* create, write, pwrite, size, then check on the host */
    CHECK_EQ(t, open_at(t, 3, "new.txt", 0, O_CREAT_ | O_TRUNC_, R_ALL, &fd), E_OK);
    memcpy(t->mem + P_BUF, "abcXYZ", 6);
    wr32(t, P_IOV, P_BUF);
    wr32(t, P_IOV + 4, 3);
    CHECK_EQ(t, call(t, "fd_write", 4, U(fd), U(P_IOV), U(1), U(P_OUT)), E_OK);
    CHECK_EQ(t, rd32(t, P_OUT), 3);
    wr32(t, P_IOV, P_BUF + 3);
    CHECK_EQ(t, call(t, "fd_pwrite", 5, U(fd), U(P_IOV), U(1), U(10), U(P_OUT)), E_OK);
    CHECK_EQ(t, call(t, "fd_filestat_get", 2, U(fd), U(P_OUT)), E_OK);
    CHECK_EQ(t, rd64(t, P_OUT + 32), 13);
    CHECK_EQ(t, call(t, "fd_filestat_set_size", 2, U(fd), U(4)), E_OK);
    CHECK_EQ(t, call(t, "fd_sync", 1, U(fd)), E_OK);
    CHECK_EQ(t, call(t, "fd_datasync", 1, U(fd)), E_OK);
    CHECK_EQ(
        t,
        call(t, "fd_filestat_set_times", 4, U(fd), U(UINT64_C(1000000000) * 1000), U(0), U(1 | 8)),
        E_OK);
    CHECK_EQ(t, call(t, "fd_filestat_set_times", 4, U(fd), U(0), U(0), U(1 | 2)), E_INVAL);
    CHECK_EQ(t, call(t, "fd_close", 1, U(fd)), E_OK);
    char hp[256];
    struct stat st;
    snprintf(hp, sizeof hp, "%s/new.txt", t->box);
    CHECK(t, stat(hp, &st) == 0 && st.st_size == 4 && st.st_atime == 1000);
    CHECK_EQ(t, open_at(t, 3, "new.txt", 0, O_CREAT_ | O_EXCL_, R_ALL, &fd), E_EXIST);

    /* append */
    CHECK_EQ(t, open_at(t, 3, "new.txt", 0, 0, R_ALL, &fd), E_OK);
    CHECK_EQ(t, call(t, "fd_fdstat_set_flags", 2, U(fd), U(1)), E_OK);
    CHECK_EQ(t, call(t, "fd_fdstat_get", 2, U(fd), U(P_OUT)), E_OK);
    CHECK_EQ(t, t->mem[P_OUT + 2] & 1, 1);
    wr32(t, P_IOV, P_BUF);
    wr32(t, P_IOV + 4, 2);
    CHECK_EQ(t, call(t, "fd_write", 4, U(fd), U(P_IOV), U(1), U(P_OUT)), E_OK);
    CHECK_EQ(t, call(t, "fd_fdstat_set_flags", 2, U(fd), U(0x100)), E_INVAL);

    /* renumber onto another open fd */
    uint32_t other;
    CHECK_EQ(t, open_box(t, "hello.txt", 0, &other), E_OK);
    CHECK_EQ(t, call(t, "fd_renumber", 2, U(fd), U(other)), E_OK);
    CHECK_EQ(t, call(t, "fd_close", 1, U(fd)), E_BADF);
    CHECK_EQ(t, call(t, "fd_filestat_get", 2, U(other), U(P_OUT)), E_OK);
    CHECK_EQ(t, rd64(t, P_OUT + 32), 6); /* new.txt: 4 bytes + 2 appended */
    CHECK_EQ(t, call(t, "fd_renumber", 2, U(other), U(777)), E_BADF);
    CHECK_EQ(t, call(t, "fd_close", 1, U(other)), E_OK);

    /* a directory cannot be read like a file */
    CHECK_EQ(t, open_box(t, "sub", 0, &fd), E_OK);
    wr32(t, P_IOV, P_BUF);
    wr32(t, P_IOV + 4, 10);
    CHECK_EQ(t, call(t, "fd_read", 4, U(fd), U(P_IOV), U(1), U(P_OUT)), E_ISDIR);
    CHECK_EQ(t, call(t, "fd_close", 1, U(fd)), E_OK);
    CHECK_EQ(t, open_at(t, 3, "hello.txt", 0, O_DIR_, R_RD, &fd), E_NOTDIR);
    CHECK_EQ(t, open_box(t, "hello.txt/", 0, &fd), E_NOTDIR);
    CHECK_EQ(t, open_box(t, "missing.txt", 0, &fd), E_NOENT);
}

static void test_paths(t_ctx *t)
{
    uint32_t n, n2;
    n = path(t, "newdir");
    CHECK_EQ(t, call(t, "path_create_directory", 3, U(3), U(P_PATH), U(n)), E_OK);
    CHECK(t, host_exists(t->box, "newdir"));
    CHECK_EQ(t, call(t, "path_create_directory", 3, U(3), U(P_PATH), U(n)), E_EXIST);
    CHECK_EQ(t, call(t, "path_filestat_get", 5, U(3), U(0), U(P_PATH), U(n), U(P_OUT)), E_OK);
    CHECK_EQ(t, t->mem[P_OUT + 16], FT_DIR);

    n = path(t, "new.txt");
    n2 = path2(t, "newdir/moved.txt");
    CHECK_EQ(t, call(t, "path_rename", 6, U(3), U(P_PATH), U(n), U(3), U(P_PATH2), U(n2)), E_OK);
    CHECK(t, host_exists(t->box, "newdir/moved.txt"));
    CHECK(t, !host_exists(t->box, "new.txt"));

    n = path(t, "newdir");
    CHECK_EQ(t, call(t, "path_remove_directory", 3, U(3), U(P_PATH), U(n)), E_NOTEMPTY);
    n = path(t, "newdir/moved.txt");
    n2 = path2(t, "newdir/hard.txt");
    CHECK_EQ(t, call(t, "path_link", 7, U(3), U(0), U(P_PATH), U(n), U(3), U(P_PATH2), U(n2)),
             E_OK);
    CHECK_EQ(t, call(t, "path_unlink_file", 3, U(3), U(P_PATH), U(n)), E_OK);
    n = path(t, "newdir/hard.txt");
    CHECK_EQ(t, call(t, "path_unlink_file", 3, U(3), U(P_PATH), U(n)), E_OK);
    CHECK_EQ(t, call(t, "path_unlink_file", 3, U(3), U(P_PATH), U(n)), E_NOENT);
    n = path(t, "newdir/");
    CHECK_EQ(t, call(t, "path_remove_directory", 3, U(3), U(P_PATH), U(n)), E_OK);
    CHECK(t, !host_exists(t->box, "newdir"));

    /* symlinks inside the box */
    n = path(t, "sub/inner.txt");
    n2 = path2(t, "mylink");
    CHECK_EQ(t, call(t, "path_symlink", 5, U(P_PATH), U(n), U(3), U(P_PATH2), U(n2)), E_OK);
    uint32_t fd;
    CHECK_EQ(t, open_box(t, "mylink", FOLLOW, &fd), E_OK);
    CHECK_EQ(t, call(t, "fd_close", 1, U(fd)), E_OK);
    CHECK_EQ(t, open_box(t, "mylink", 0, &fd), E_LOOP); /* O_NOFOLLOW on a link */
    n = path(t, "mylink");
    CHECK_EQ(t, call(t, "path_readlink", 6, U(3), U(P_PATH), U(n), U(P_BUF), U(100), U(P_OUT)),
             E_OK);
    CHECK_EQ(t, rd32(t, P_OUT), strlen("sub/inner.txt"));
    CHECK(t, memcmp(t->mem + P_BUF, "sub/inner.txt", 13) == 0);
    CHECK_EQ(t, call(t, "path_readlink", 6, U(3), U(P_PATH), U(n), U(P_BUF), U(3), U(P_OUT)), E_OK);
    CHECK_EQ(t, rd32(t, P_OUT), 3); /* truncated */
    CHECK_EQ(t, call(t, "path_readlink", 6, U(3), U(P_PATH), U(n), U(MEMLEN - 2), U(100), U(P_OUT)),
             E_FAULT);
    CHECK_EQ(t, call(t, "path_filestat_get", 5, U(3), U(0), U(P_PATH), U(n), U(P_OUT)), E_OK);
    CHECK_EQ(t, t->mem[P_OUT + 16], FT_LNK);
    CHECK_EQ(t, call(t, "path_filestat_get", 5, U(3), U(FOLLOW), U(P_PATH), U(n), U(P_OUT)), E_OK);
    CHECK_EQ(t, t->mem[P_OUT + 16], FT_REG);
    CHECK_EQ(t, rd64(t, P_OUT + 32), 6);
    CHECK_EQ(t,
             call(t, "path_filestat_set_times", 7, U(3), U(FOLLOW), U(P_PATH), U(n), U(0),
                  U(UINT64_C(5000000000)), U(4)),
             E_OK);
    CHECK_EQ(t, call(t, "path_unlink_file", 3, U(3), U(P_PATH), U(n)), E_OK);
    CHECK(t, host_exists(t->box, "sub/inner.txt"));

    /* links that stay inside, and `..` that stays inside */
    CHECK_EQ(t, open_box(t, "link_in/inner.txt", 0, &fd), E_OK);
    call(t, "fd_close", 1, U(fd));
    CHECK_EQ(t, open_box(t, "sub/link_sib", FOLLOW, &fd), E_OK);
    CHECK_EQ(t, call(t, "fd_filestat_get", 2, U(fd), U(P_OUT)), E_OK);
    CHECK_EQ(t, rd64(t, P_OUT + 32), 12); /* hello.txt */
    call(t, "fd_close", 1, U(fd));
    CHECK_EQ(t, open_box(t, "sub/../hello.txt", 0, &fd), E_OK);
    call(t, "fd_close", 1, U(fd));
    CHECK_EQ(t, open_box(t, "./sub//./inner.txt", 0, &fd), E_OK);
    call(t, "fd_close", 1, U(fd));
    CHECK_EQ(t, open_box(t, "sub/..", 0, &fd), E_OK);
    CHECK_EQ(t, call(t, "fd_fdstat_get", 2, U(fd), U(P_OUT)), E_OK);
    CHECK_EQ(t, t->mem[P_OUT], FT_DIR);
    call(t, "fd_close", 1, U(fd));
    CHECK_EQ(t, open_box(t, ".", 0, &fd), E_OK);
    call(t, "fd_close", 1, U(fd));
    CHECK_EQ(t, open_box(t, "link_in/../link_in/inner.txt", 0, &fd), E_OK);
    call(t, "fd_close", 1, U(fd));
    CHECK_EQ(t, open_box(t, "", 0, &fd), E_NOENT);
}

/* The sandbox: nothing outside the preopen is reachable. */
static void test_escapes(t_ctx *t)
{
    uint32_t fd, n, n2;
    const char *denied = "?";
    CHECK(t, !wr_wasi_denied(t->w, &denied) && !denied);
    const char *escapes[] = {
        "..",
        "../outside.txt",
        "../box/../outside.txt",
        "sub/../../outside.txt",
        "sub/../..",
        "./../outside.txt",
        "/etc/passwd",
        "/",
        "//etc/passwd",
        "link_up/outside.txt",
        "link_up/box/hello.txt",
        "sub/link_up2/outside.txt",
        "link_in/../../outside.txt",
        "link_lex",
        "link_out",
        "link_abs",
        "link_out/",
    };
    for (size_t i = 0; i < sizeof escapes / sizeof escapes[0]; i++) {
        uint32_t e = open_box(t, escapes[i], FOLLOW, &fd);
        if (e != E_NOTCAPABLE) fprintf(stderr, "escape \"%s\": errno %u\n", escapes[i], e);
        CHECK_EQ(t, e, E_NOTCAPABLE);
        n = path(t, escapes[i]);
        CHECK_EQ(t, call(t, "path_filestat_get", 5, U(3), U(FOLLOW), U(P_PATH), U(n), U(P_OUT)),
                 E_NOTCAPABLE);
    }
    /* the first refusal is kept, as the program named it (the preopen's
     * guest name, then the path relative to it) */
    CHECK(t, wr_wasi_denied(t->w, &denied) && denied && strcmp(denied, "/box/..") == 0);
    /* without following, a final link is the link itself: open refuses it */
    CHECK_EQ(t, open_box(t, "link_out", 0, &fd), E_LOOP);
    CHECK_EQ(t, open_box(t, "link_abs", 0, &fd), E_LOOP);
    CHECK_EQ(t, open_box(t, "link_loop", FOLLOW, &fd), E_LOOP);
    CHECK_EQ(t, open_box(t, "link_loop/x", 0, &fd), E_LOOP);

    /* a path with a NUL inside is invalid, not truncated */
    memcpy(t->mem + P_PATH, "hello.txt\0../x", 14);
    CHECK_EQ(
        t,
        call(t, "path_open", 9, U(3), U(0), U(P_PATH), U(14), U(0), R_READ, R_READ, U(0), U(P_OUT)),
        E_INVAL);

    /* creating, renaming, linking and removing outside are refused too */
    n = path(t, "../evil");
    CHECK_EQ(t, call(t, "path_create_directory", 3, U(3), U(P_PATH), U(n)), E_NOTCAPABLE);
    CHECK(t, !host_exists(t->root, "evil"));
    CHECK_EQ(t, open_at(t, 3, "../evil.txt", 0, O_CREAT_, R_ALL, &fd), E_NOTCAPABLE);
    CHECK_EQ(t, open_at(t, 3, "link_up/evil.txt", FOLLOW, O_CREAT_, R_ALL, &fd), E_NOTCAPABLE);
    CHECK(t, !host_exists(t->root, "evil.txt"));
    n = path(t, "hello.txt");
    n2 = path2(t, "../stolen.txt");
    CHECK_EQ(t, call(t, "path_rename", 6, U(3), U(P_PATH), U(n), U(3), U(P_PATH2), U(n2)),
             E_NOTCAPABLE);
    CHECK_EQ(t, call(t, "path_link", 7, U(3), U(0), U(P_PATH), U(n), U(3), U(P_PATH2), U(n2)),
             E_NOTCAPABLE);
    CHECK(t, !host_exists(t->root, "stolen.txt"));
    CHECK(t, host_exists(t->box, "hello.txt"));
    n = path(t, "../outside.txt");
    n2 = path2(t, "copy.txt");
    CHECK_EQ(t, call(t, "path_rename", 6, U(3), U(P_PATH), U(n), U(3), U(P_PATH2), U(n2)),
             E_NOTCAPABLE);
    CHECK_EQ(t, call(t, "path_unlink_file", 3, U(3), U(P_PATH), U(n)), E_NOTCAPABLE);
    n = path(t, "link_out");
    CHECK_EQ(t, call(t, "path_link", 7, U(3), U(FOLLOW), U(P_PATH), U(n), U(3), U(P_PATH2), U(n2)),
             E_NOTCAPABLE);
    CHECK(t, host_exists(t->root, "outside.txt"));
    n = path(t, "link_up/outside.txt");
    CHECK_EQ(t,
             call(t, "path_filestat_set_times", 7, U(3), U(0), U(P_PATH), U(n), U(0), U(0), U(2)),
             E_NOTCAPABLE);
    n = path(t, "..");
    CHECK_EQ(t, call(t, "path_remove_directory", 3, U(3), U(P_PATH), U(n)), E_NOTCAPABLE);
    n = path(t, "sub/..");
    CHECK(t, call(t, "path_remove_directory", 3, U(3), U(P_PATH), U(n)) != E_OK);
    CHECK(t, host_exists(t->root, "box"));

    /* an absolute symlink target is refused at creation; a relative one that
     * points outside may be created but never followed */
    n = path(t, "/etc/passwd");
    n2 = path2(t, "abs");
    CHECK_EQ(t, call(t, "path_symlink", 5, U(P_PATH), U(n), U(3), U(P_PATH2), U(n2)), E_NOTCAPABLE);
    n = path(t, "../outside.txt");
    n2 = path2(t, "rel");
    CHECK_EQ(t, call(t, "path_symlink", 5, U(P_PATH), U(n), U(3), U(P_PATH2), U(n2)), E_OK);
    CHECK_EQ(t, open_box(t, "rel", FOLLOW, &fd), E_NOTCAPABLE);
    n = path(t, "rel");
    CHECK_EQ(t, call(t, "path_unlink_file", 3, U(3), U(P_PATH), U(n)), E_OK);
    n = path(t, "x");
    n2 = path2(t, "../x");
    CHECK_EQ(t, call(t, "path_symlink", 5, U(P_PATH), U(n), U(3), U(P_PATH2), U(n2)), E_NOTCAPABLE);

    /* a directory fd is a root of its own: `..` cannot leave it either */
    uint32_t sub;
    CHECK_EQ(t, open_box(t, "sub", 0, &sub), E_OK);
    CHECK_EQ(t, open_at(t, sub, "inner.txt", 0, 0, R_RD, &fd), E_OK);
    call(t, "fd_close", 1, U(fd));
    CHECK_EQ(t, open_at(t, sub, "../hello.txt", 0, 0, R_RD, &fd), E_NOTCAPABLE);
    CHECK_EQ(t, open_at(t, sub, "link_sib", FOLLOW, 0, R_RD, &fd), E_NOTCAPABLE);
    CHECK_EQ(t, call(t, "fd_close", 1, U(sub)), E_OK);

    /* guest path pointers out of bounds */
    CHECK_EQ(t,
             call(t, "path_open", 9, U(3), U(0), U(0xfffffff0u), U(100), U(0), R_READ, R_READ, U(0),
                  U(P_OUT)),
             E_FAULT);
    CHECK_EQ(t,
             call(t, "path_open", 9, U(3), U(0), U(MEMLEN - 2), U(3), U(0), R_READ, R_READ, U(0),
                  U(P_OUT)),
             E_FAULT);
    n = path(t, "hello.txt");
    CHECK_EQ(t,
             call(t, "path_open", 9, U(3), U(0), U(P_PATH), U(n), U(0), R_READ, R_READ, U(0),
                  U(MEMLEN - 3)),
             E_FAULT);
    CHECK_EQ(t, call(t, "path_create_directory", 3, U(3), U(MEMLEN), U(1)), E_FAULT);
    CHECK_EQ(
        t,
        call(t, "path_open", 9, U(0), U(0), U(P_PATH), U(n), U(0), R_READ, R_READ, U(0), U(P_OUT)),
        E_NOTDIR);
    CHECK_EQ(
        t,
        call(t, "path_open", 9, U(55), U(0), U(P_PATH), U(n), U(0), R_READ, R_READ, U(0), U(P_OUT)),
        E_BADF);
}

/* Reads the whole box directory with a buffer of bufsize bytes, following
 * cookies as wasi-libc does, and checks each name appears exactly once. */
static void readdir_all(t_ctx *t, uint32_t bufsize)
{
    uint32_t fd;
    CHECK_EQ(t, open_box(t, ".", 0, &fd), E_OK);
    int seen_hello = 0, seen_sub = 0, seen_dot = 0, seen_link = 0, total = 0;
    uint64_t cookie = 0;
    for (int rounds = 0; rounds < 1000; rounds++) {
        CHECK_EQ(t, call(t, "fd_readdir", 5, U(fd), U(P_BUF), U(bufsize), cookie, U(P_OUT)), E_OK);
        uint32_t used = rd32(t, P_OUT), off = 0;
        bool progressed = false;
        while (off + 24 <= used) {
            uint32_t namlen = rd32(t, P_BUF + off + 16);
            if (off + 24 + namlen > used) break; /* truncated: ask again from its cookie */
            const char *name = (const char *)t->mem + P_BUF + off + 24;
            uint8_t type = t->mem[P_BUF + off + 20];
            if (namlen == 9 && memcmp(name, "hello.txt", 9) == 0) {
                seen_hello++;
                CHECK_EQ(t, type, FT_REG);
            }
            if (namlen == 3 && memcmp(name, "sub", 3) == 0) {
                seen_sub++;
                CHECK_EQ(t, type, FT_DIR);
            }
            if (namlen == 7 && memcmp(name, "link_in", 7) == 0) {
                seen_link++;
                CHECK_EQ(t, type, FT_LNK);
            }
            seen_dot += namlen == 1 && name[0] == '.';
            cookie = rd64(t, P_BUF + off);
            off += 24 + namlen;
            total++;
            progressed = true;
        }
        if (used < bufsize) break; /* end of directory */
        if (!progressed && bufsize < 24 + 16) {
            break; /* buffer too small for any entry: the caller must grow it */
        }
    }
    CHECK_EQ(t, seen_hello, 1);
    CHECK_EQ(t, seen_sub, 1);
    CHECK_EQ(t, seen_link, 1);
    CHECK_EQ(t, seen_dot, 1);
    CHECK(t, total >= 10); /* ., .., hello.txt, sub and six links */
    /* reading again from cookie 0 starts over */
    CHECK_EQ(t, call(t, "fd_readdir", 5, U(fd), U(P_BUF), U(4096), U(0), U(P_OUT)), E_OK);
    CHECK(t, rd32(t, P_OUT) > 24);
    CHECK_EQ(t, call(t, "fd_readdir", 5, U(fd), U(P_BUF), U(4096), U(1000000), U(P_OUT)), E_OK);
    CHECK_EQ(t, rd32(t, P_OUT), 0);
    CHECK_EQ(t, call(t, "fd_readdir", 5, U(fd), U(MEMLEN - 10), U(100), U(0), U(P_OUT)), E_FAULT);
    CHECK_EQ(t, call(t, "fd_readdir", 5, U(fd), U(P_BUF), U(100), U(0), U(MEMLEN - 1)), E_FAULT);
    CHECK_EQ(t, call(t, "fd_close", 1, U(fd)), E_OK);
    CHECK_EQ(t, open_box(t, "hello.txt", 0, &fd), E_OK);
    CHECK_EQ(t, call(t, "fd_readdir", 5, U(fd), U(P_BUF), U(100), U(0), U(P_OUT)), E_NOTDIR);
    call(t, "fd_close", 1, U(fd));
}

static void test_readdir(t_ctx *t)
{
    readdir_all(t, 4096);
    readdir_all(t, 64); /* most entries truncated at least once */
    readdir_all(t, 40);
}

static void test_poll(t_ctx *t)
{
    /* one relative 2 ms clock subscription */
    uint8_t *s = t->mem + P_BUF;
    memset(s, 0, 96);
    wr64(t, P_BUF, 0x1234);
    s[8] = 0; /* clock */
    wr32(t, P_BUF + 16, 1);
    wr64(t, P_BUF + 24, 2000000);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    CHECK_EQ(t, call(t, "poll_oneoff", 4, U(P_BUF), U(P_BUF + 1024), U(1), U(P_OUT)), E_OK);
    clock_gettime(CLOCK_MONOTONIC, &b);
    long long ns = (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
    CHECK(t, ns >= 2000000);
    CHECK_EQ(t, rd32(t, P_OUT), 1);
    CHECK_EQ(t, rd64(t, P_BUF + 1024), 0x1234);
    CHECK_EQ(t, t->mem[P_BUF + 1024 + 8], 0);  /* error */
    CHECK_EQ(t, t->mem[P_BUF + 1024 + 10], 0); /* type clock */

    /* a clock far away and a readable file: the file wins at once */
    uint32_t fd;
    CHECK_EQ(t, open_box(t, "hello.txt", 0, &fd), E_OK);
    wr64(t, P_BUF + 24, UINT64_C(60) * 1000000000u);
    wr64(t, P_BUF + 48, 77);
    s[48 + 8] = 1; /* fd_read */
    wr32(t, P_BUF + 48 + 16, fd);
    CHECK_EQ(t, call(t, "poll_oneoff", 4, U(P_BUF), U(P_BUF + 1024), U(2), U(P_OUT)), E_OK);
    CHECK_EQ(t, rd32(t, P_OUT), 1);
    CHECK_EQ(t, rd64(t, P_BUF + 1024), 77);
    CHECK_EQ(t, t->mem[P_BUF + 1024 + 10], 1);
    CHECK_EQ(t, rd64(t, P_BUF + 1024 + 16), 12); /* bytes available */
    call(t, "fd_close", 1, U(fd));

    /* a bad fd gives an event with BADF, not a failure */
    wr32(t, P_BUF + 48 + 16, 999);
    CHECK_EQ(t, call(t, "poll_oneoff", 4, U(P_BUF), U(P_BUF + 1024), U(2), U(P_OUT)), E_OK);
    CHECK_EQ(t, rd32(t, P_OUT), 1);
    CHECK_EQ(t, t->mem[P_BUF + 1024 + 8], E_BADF);

    CHECK_EQ(t, call(t, "poll_oneoff", 4, U(P_BUF), U(P_BUF + 1024), U(0), U(P_OUT)), E_INVAL);
    CHECK_EQ(t, call(t, "poll_oneoff", 4, U(P_BUF), U(MEMLEN - 40), U(2), U(P_OUT)), E_FAULT);
    CHECK_EQ(t, call(t, "poll_oneoff", 4, U(MEMLEN - 40), U(P_BUF + 1024), U(1), U(P_OUT)),
             E_FAULT);
    CHECK_EQ(t, call(t, "poll_oneoff", 4, U(P_BUF), U(P_BUF + 1024), U(1), U(MEMLEN)), E_FAULT);
}

static void test_misc(t_ctx *t)
{
    uint64_t args[2] = {7, 0}, res[1] = {0};
    CHECK_EQ(t, raw_call(t, t->w, "proc_exit", t->mem, MEMLEN, args, res), WR_ERR_EXIT);
    CHECK_EQ(t, wr_wasi_exit_code(t->w), 7);
    CHECK_EQ(t, raw_call(t, t->w, "no_such_function", t->mem, MEMLEN, args, res), WR_NOT_FOUND);
    /* proc_raise: a terminating signal ends the program (a trap); ignored
     * signals and 0 do nothing; unknown numbers are EINVAL */
    args[0] = 6;
    CHECK_EQ(t, raw_call(t, t->w, "proc_raise", t->mem, MEMLEN, args, res), WR_ERR_TRAP);
    CHECK_EQ(t, call(t, "proc_raise", 1, U(17)), E_OK);
    CHECK_EQ(t, call(t, "proc_raise", 1, U(0)), E_OK);
    CHECK_EQ(t, call(t, "proc_raise", 1, U(99)), E_INVAL);
    CHECK_EQ(t, call(t, "sched_yield", 0), E_OK);

    /* with no memory at all, every pointer is a fault */
    uint64_t a4[4] = {1, 0, 0, 0}, r1[1] = {0};
    CHECK_EQ(t, raw_call(t, t->w, "fd_write", NULL, 0, a4, r1), WR_OK);
    CHECK_EQ(t, r1[0], E_FAULT);
    uint64_t a2[2] = {0, 0};
    CHECK_EQ(t, raw_call(t, t->w, "args_sizes_get", NULL, 0, a2, r1), WR_OK);
    CHECK_EQ(t, r1[0], E_FAULT);
}

/* stdio fds are lent: the guest writes through them, and closing them in the
 * guest leaves the host fd open. */
static void test_stdio(t_ctx *t)
{
    int p[2];
    if (pipe(p) != 0) {
        CHECK(t, false);
        return;
    }
    wr_wasi_config cfg;
    wr_wasi_config_init(&cfg);
    cfg.stdin_fd = -1;
    cfg.stdout_fd = p[1];
    cfg.stderr_fd = p[1];
    wr_wasi *saved = t->w, *w = NULL;
    char err[128];
    CHECK_EQ(t, wr_wasi_new(&cfg, &w, err, sizeof err), WR_OK);
    if (!w) return;
    t->w = w;
    memcpy(t->mem + P_BUF, "hi!", 3);
    wr32(t, P_IOV, P_BUF);
    wr32(t, P_IOV + 4, 3);
    CHECK_EQ(t, call(t, "fd_write", 4, U(1), U(P_IOV), U(1), U(P_OUT)), E_OK);
    CHECK_EQ(t, rd32(t, P_OUT), 3);
    CHECK_EQ(t, call(t, "fd_fdstat_get", 2, U(1), U(P_OUT)), E_OK);
    CHECK_EQ(t, t->mem[P_OUT], 0);                           /* a pipe: unknown */
    CHECK_EQ(t, rd64(t, P_OUT + 8) & (UINT64_C(1) << 2), 0); /* no seek */
    CHECK_EQ(t, call(t, "fd_read", 4, U(0), U(P_IOV), U(1), U(P_OUT)), E_BADF);
    CHECK_EQ(t, call(t, "fd_close", 1, U(1)), E_OK);
    CHECK_EQ(t, call(t, "fd_write", 4, U(1), U(P_IOV), U(1), U(P_OUT)), E_BADF);
    CHECK_EQ(t, call(t, "fd_prestat_get", 2, U(3), U(P_OUT)), E_BADF);
    wr_wasi_free(w);
    t->w = saved;
    char buf[8] = {0};
    CHECK_EQ(t, read(p[0], buf, sizeof buf), 3);
    CHECK(t, memcmp(buf, "hi!", 3) == 0);
    CHECK_EQ(t, write(p[1], "x", 1), 1); /* still open */
    close(p[0]);
    close(p[1]);
}

/* wasi-libc refuses a path under no preopen itself; the runtime hears of
 * it only in the program's words for ENOTCAPABLE on stdout or stderr. */
static void test_denied_text(t_ctx *t)
{
    int null = open("/dev/null", O_WRONLY);
    wr_wasi_config cfg;
    wr_wasi_config_init(&cfg);
    cfg.stdout_fd = cfg.stderr_fd = null;
    wr_wasi *saved = t->w, *w = NULL;
    char err[128];
    CHECK_EQ(t, wr_wasi_new(&cfg, &w, err, sizeof err), WR_OK);
    if (!w) {
        close(null);
        return;
    }
    t->w = w;
    const char *denied = "?";
    static const char *const said[] = {"/etc/x: No such file\n",
                                       "/etc/x: Capabilities insufficient\n"};
    for (int i = 0; i < 2; i++) {
        CHECK(t, !wr_wasi_denied(w, &denied));
        memcpy(t->mem + P_BUF, said[i], strlen(said[i]));
        wr32(t, P_IOV, P_BUF);
        wr32(t, P_IOV + 4, (uint32_t)strlen(said[i]));
        CHECK_EQ(t, call(t, "fd_write", 4, U(2), U(P_IOV), U(1), U(P_OUT)), E_OK);
    }
    CHECK(t, wr_wasi_denied(w, &denied) && !denied);
    wr_wasi_free(w);
    t->w = saved;
    close(null);
}

static void test_config_errors(t_ctx *t)
{
    wr_wasi_config cfg;
    wr_wasi *w = (wr_wasi *)1;
    char err[256] = "";
    wr_wasi_preopen po = {"/nonexistent/wdb-test-dir", "/x"};
    wr_wasi_config_init(&cfg);
    cfg.npreopens = 1;
    cfg.preopens = &po;
    CHECK_EQ(t, wr_wasi_new(&cfg, &w, err, sizeof err), WR_ERR_ARG);
    CHECK(t, w == NULL);
    CHECK(t, strstr(err, "/nonexistent/wdb-test-dir") != NULL);

    const char *bad_env[] = {"NOEQUALS"};
    wr_wasi_config_init(&cfg);
    cfg.envc = 1;
    cfg.envp = bad_env;
    CHECK_EQ(t, wr_wasi_new(&cfg, &w, err, sizeof err), WR_ERR_ARG);
    CHECK(t, strstr(err, "NOEQUALS") != NULL);
    wr_wasi_free(NULL);
}

/* fd_fdstat_get's rights: base in *base, inheriting in *inh. */
static uint32_t fdstat(t_ctx *t, uint32_t fd, uint8_t *type, uint64_t *base, uint64_t *inh)
{
    memset(t->mem + P_OUT, 0xaa, 24);
    uint32_t e = call(t, "fd_fdstat_get", 2, U(fd), U(P_OUT));
    *type = t->mem[P_OUT];
    *base = rd64(t, P_OUT + 8);
    *inh = rd64(t, P_OUT + 16);
    return e;
}

static uint32_t set_rights(t_ctx *t, uint32_t fd, uint64_t base, uint64_t inh)
{
    return call(t, "fd_fdstat_set_rights", 3, U(fd), base, inh);
}

static uint32_t write_str(t_ctx *t, uint32_t fd, const char *s)
{
    memcpy(t->mem + P_BUF, s, strlen(s));
    wr32(t, P_IOV, P_BUF);
    wr32(t, P_IOV + 4, (uint32_t)strlen(s));
    return call(t, "fd_write", 4, U(fd), U(P_IOV), U(1), U(P_OUT));
}

/* Rights are enforced: a call needs the rights witx names for it, a right
 * dropped with fd_fdstat_set_rights stays dropped, and an fd path_open
 * makes has no more than its directory's inheriting rights. */
static void test_rights(t_ctx *t)
{
    uint32_t fd, dir, fd2;
    uint8_t type;
    uint64_t base, inh;
    CHECK_EQ(t, open_at(t, 3, "rights.txt", 0, O_CREAT_, R_ALL, &fd), E_OK);
    CHECK_EQ(t, fdstat(t, fd, &type, &base, &inh), E_OK);
    CHECK_EQ(t, type, FT_REG);
    CHECK(t, (base & (R_READ | R_WRITE | R_SEEK | R_TELL)) == (R_READ | R_WRITE | R_SEEK | R_TELL));
    CHECK_EQ(t, base & R_PATH_OPEN, 0); /* a directory's right: not a file's */
    CHECK_EQ(t, write_str(t, fd, "abcdef"), E_OK);
    /* drop FD_WRITE: writing fails, the rest still works */
    CHECK_EQ(t, set_rights(t, fd, base & ~R_WRITE, 0), E_OK);
    CHECK_EQ(t, fdstat(t, fd, &type, &base, &inh), E_OK);
    CHECK_EQ(t, base & R_WRITE, 0);
    CHECK_EQ(t, inh, 0);
    CHECK_EQ(t, write_str(t, fd, "x"), E_NOTCAPABLE);
    CHECK_EQ(t, call(t, "fd_pwrite", 5, U(fd), U(P_IOV), U(1), U(0), U(P_OUT)), E_NOTCAPABLE);
    CHECK_EQ(t, call(t, "fd_seek", 4, U(fd), U(1), U(0), U(P_OUT)), E_OK);
    wr32(t, P_IOV, P_BUF);
    wr32(t, P_IOV + 4, 2);
    CHECK_EQ(t, call(t, "fd_read", 4, U(fd), U(P_IOV), U(1), U(P_OUT)), E_OK);
    CHECK_EQ(t, rd32(t, P_OUT), 2);
    CHECK(t, memcmp(t->mem + P_BUF, "bc", 2) == 0);
    /* rights only shrink */
    CHECK_EQ(t, set_rights(t, fd, base | R_WRITE, 0), E_NOTCAPABLE);
    CHECK_EQ(t, set_rights(t, fd, base, R_READ), E_NOTCAPABLE);
    CHECK_EQ(t, write_str(t, fd, "x"), E_NOTCAPABLE);
    /* without FD_SEEK, seeking fails; telling (0 from the current
     * position) needs FD_TELL only, and fails without it */
    CHECK_EQ(t, set_rights(t, fd, base & ~R_SEEK, 0), E_OK);
    CHECK_EQ(t, call(t, "fd_seek", 4, U(fd), U(0), U(0), U(P_OUT)), E_NOTCAPABLE);
    CHECK_EQ(t, call(t, "fd_seek", 4, U(fd), U(0), U(1), U(P_OUT)), E_OK);
    CHECK_EQ(t, rd64(t, P_OUT), 3);
    CHECK_EQ(t, call(t, "fd_pread", 5, U(fd), U(P_IOV), U(1), U(0), U(P_OUT)), E_NOTCAPABLE);
    CHECK_EQ(t, set_rights(t, fd, base & ~(R_SEEK | R_TELL), 0), E_OK);
    CHECK_EQ(t, call(t, "fd_tell", 2, U(fd), U(P_OUT)), E_NOTCAPABLE);
    CHECK_EQ(t, call(t, "fd_seek", 4, U(fd), U(0), U(1), U(P_OUT)), E_NOTCAPABLE);
    /* no rights at all: even fd_filestat_get; fdstat and close need none */
    CHECK_EQ(t, set_rights(t, fd, 0, 0), E_OK);
    CHECK_EQ(t, call(t, "fd_filestat_get", 2, U(fd), U(P_OUT)), E_NOTCAPABLE);
    CHECK_EQ(t, call(t, "fd_sync", 1, U(fd)), E_NOTCAPABLE);
    CHECK_EQ(t, call(t, "fd_read", 4, U(fd), U(P_IOV), U(1), U(P_OUT)), E_NOTCAPABLE);
    CHECK_EQ(t, fdstat(t, fd, &type, &base, &inh), E_OK);
    CHECK_EQ(t, base, 0);
    CHECK_EQ(t, call(t, "fd_close", 1, U(fd)), E_OK);
    CHECK_EQ(t, call(t, "fd_write", 4, U(fd), U(P_IOV), U(1), U(P_OUT)), E_BADF);

    /* a directory without PATH_FILESTAT_SET_SIZE cannot open with O_TRUNC */
    CHECK_EQ(t, fdstat(t, 3, &type, &base, &inh), E_OK);
    uint32_t n = path(t, ".");
    CHECK_EQ(
        t,
        call(t, "path_open", 9, U(3), U(0), U(P_PATH), U(n), U(O_DIR_), base, inh, U(0), U(P_OUT)),
        E_OK);
    dir = rd32(t, P_OUT);
    CHECK_EQ(t, call(t, "fd_fdstat_set_rights", 3, U(dir), base & ~R_PATH_FILESTAT_SET_SIZE, inh),
             E_OK);
    n = path(t, "rights.txt");
    CHECK_EQ(t,
             call(t, "path_open", 9, U(dir), U(0), U(P_PATH), U(n), U(O_TRUNC_), R_ALL, R_ALL, U(0),
                  U(P_OUT)),
             E_NOTCAPABLE);
    struct stat st;
    char hp[256];
    snprintf(hp, sizeof hp, "%s/rights.txt", t->box);
    CHECK(t, stat(hp, &st) == 0 && st.st_size == 6); /* not truncated */
    CHECK_EQ(
        t,
        call(t, "path_open", 9, U(dir), U(0), U(P_PATH), U(n), U(0), R_ALL, R_ALL, U(0), U(P_OUT)),
        E_OK);
    CHECK_EQ(t, call(t, "fd_close", 1, U(rd32(t, P_OUT))), E_OK);
    /* the preopen itself still can */
    CHECK_EQ(t, open_at(t, 3, "rights.txt", 0, O_TRUNC_, R_ALL, &fd2), E_OK);
    CHECK(t, stat(hp, &st) == 0 && st.st_size == 0);
    CHECK_EQ(t, call(t, "fd_close", 1, U(fd2)), E_OK);
    /* nor can it look up paths without PATH_OPEN, or make links without
     * PATH_SYMLINK */
    CHECK_EQ(
        t,
        set_rights(t, dir, base & ~(R_PATH_FILESTAT_SET_SIZE | R_PATH_OPEN | R_PATH_SYMLINK), inh),
        E_OK);
    CHECK_EQ(t, open_at(t, dir, "rights.txt", 0, 0, R_RD, &fd2), E_NOTCAPABLE);
    n = path(t, "hello.txt");
    uint32_t n2 = path2(t, "rights_link");
    CHECK_EQ(t, call(t, "path_symlink", 5, U(P_PATH), U(n), U(dir), U(P_PATH2), U(n2)),
             E_NOTCAPABLE);
    CHECK(t, !host_exists(t->box, "rights_link"));
    CHECK_EQ(t, call(t, "fd_close", 1, U(dir)), E_OK);

    /* inheriting rights: a file opened below a directory whose inheriting
     * rights lack FD_WRITE has no FD_WRITE, whatever it asks for */
    CHECK_EQ(t, open_at(t, 3, "sub", 0, O_DIR_, R_RD, &dir), E_OK);
    CHECK_EQ(t, open_at(t, dir, "inner.txt", 0, 0, R_ALL, &fd), E_OK);
    CHECK_EQ(t, fdstat(t, fd, &type, &base, &inh), E_OK);
    CHECK_EQ(t, base & R_WRITE, 0);
    CHECK(t, base & R_READ);
    CHECK_EQ(t, write_str(t, fd, "x"), E_NOTCAPABLE);
    CHECK_EQ(t, call(t, "fd_close", 1, U(fd)), E_OK);
    CHECK_EQ(t, call(t, "fd_close", 1, U(dir)), E_OK);
    unlink(hp);
}

/* fd_seek and fd_tell on a directory fail with EBADF, as wasmtime's do,
 * and a directory has no FD_SEEK/FD_TELL rights; a pipe says ESPIPE. */
static void test_dir_seek(t_ctx *t)
{
    uint32_t fd;
    uint8_t type;
    uint64_t base, inh;
    CHECK_EQ(t, open_at(t, 3, "sub", 0, O_DIR_, R_ALL, &fd), E_OK);
    CHECK_EQ(t, fdstat(t, fd, &type, &base, &inh), E_OK);
    CHECK_EQ(t, type, FT_DIR);
    CHECK_EQ(t, base & (R_SEEK | R_TELL), 0);
    CHECK_EQ(t, call(t, "fd_seek", 4, U(fd), U(0), U(1), U(P_OUT)), E_BADF);
    CHECK_EQ(t, call(t, "fd_seek", 4, U(fd), U(5), U(0), U(P_OUT)), E_BADF);
    CHECK_EQ(t, call(t, "fd_tell", 2, U(fd), U(P_OUT)), E_BADF);
    CHECK_EQ(t, call(t, "fd_close", 1, U(fd)), E_OK);
    CHECK_EQ(t, call(t, "fd_seek", 4, U(3), U(0), U(1), U(P_OUT)), E_BADF); /* the preopen */
    CHECK_EQ(t, call(t, "fd_tell", 2, U(3), U(P_OUT)), E_BADF);

    int p[2];
    if (pipe(p) != 0) {
        CHECK(t, false);
        return;
    }
    wr_wasi_config cfg;
    wr_wasi_config_init(&cfg);
    cfg.stdin_fd = p[0];
    wr_wasi *saved = t->w, *w = NULL;
    CHECK_EQ(t, wr_wasi_new(&cfg, &w, NULL, 0), WR_OK);
    if (w) {
        t->w = w;
        CHECK_EQ(t, call(t, "fd_seek", 4, U(0), U(0), U(1), U(P_OUT)), E_SPIPE);
        CHECK_EQ(t, call(t, "fd_tell", 2, U(0), U(P_OUT)), E_SPIPE);
        wr_wasi_free(w);
        t->w = saved;
    }
    close(p[0]);
    close(p[1]);
}

/* A trailing '/' asks for a directory: a path with one that names a file
 * or nothing fails path_link, path_symlink and path_unlink_file with the
 * errno of the host's call for that path (what wasmtime gives). */
static void test_trailing_slash(t_ctx *t)
{
    char hp[256];
    write_host_file(t->box, "ts_file", "f\n");
    snprintf(hp, sizeof hp, "%s/ts_dir", t->box);
    CHECK(t, mkdir(hp, 0755) == 0);
    struct {
        const char *path;
        uint32_t want;
    } unl[] = {
        {"ts_file/", E_NOTDIR}, {"ts_dir/", E_ISDIR}, {"ts_none/", E_NOENT}, {"ts_dir", E_ISDIR}};
    for (size_t i = 0; i < sizeof unl / sizeof unl[0]; i++) {
        uint32_t n = path(t, unl[i].path);
        uint32_t e = call(t, "path_unlink_file", 3, U(3), U(P_PATH), U(n));
        if (e != unl[i].want)
            fprintf(stderr, "path_unlink_file \"%s\": %u, expected %u\n", unl[i].path, e,
                    unl[i].want);
        CHECK_EQ(t, e, unl[i].want);
    }
    CHECK(t, host_exists(t->box, "ts_file") && host_exists(t->box, "ts_dir"));
    struct {
        const char *from, *to;
        uint32_t want;
    } lnk[] = {
        {"ts_file/", "ts_l1", E_NOTDIR}, /* the source names a file */
        {"ts_none/", "ts_l1", E_NOENT},  /* the source names nothing */
        {"ts_file", "ts_l1/", E_NOENT},  /* the new name: nothing there */
        {"ts_file", "ts_dir/", E_EXIST}, /* something there */
    };
    for (size_t i = 0; i < sizeof lnk / sizeof lnk[0]; i++) {
        uint32_t n = path(t, lnk[i].from), n2 = path2(t, lnk[i].to);
        uint32_t e = call(t, "path_link", 7, U(3), U(0), U(P_PATH), U(n), U(3), U(P_PATH2), U(n2));
        if (e != lnk[i].want)
            fprintf(stderr, "path_link \"%s\" \"%s\": %u, expected %u\n", lnk[i].from, lnk[i].to, e,
                    lnk[i].want);
        CHECK_EQ(t, e, lnk[i].want);
    }
    CHECK(t, !host_exists(t->box, "ts_l1"));
    struct {
        const char *to;
        uint32_t want;
    } sym[] = {{"ts_s1/", E_NOENT}, {"ts_dir/", E_EXIST}, {"ts_file/", E_EXIST}};
    for (size_t i = 0; i < sizeof sym / sizeof sym[0]; i++) {
        uint32_t n = path(t, "ts_file"), n2 = path2(t, sym[i].to);
        uint32_t e = call(t, "path_symlink", 5, U(P_PATH), U(n), U(3), U(P_PATH2), U(n2));
        if (e != sym[i].want)
            fprintf(stderr, "path_symlink \"%s\": %u, expected %u\n", sym[i].to, e, sym[i].want);
        CHECK_EQ(t, e, sym[i].want);
    }
    CHECK(t, !host_exists(t->box, "ts_s1"));
    /* without the slash, the same calls work */
    uint32_t n = path(t, "ts_file"), n2 = path2(t, "ts_l1");
    CHECK_EQ(t, call(t, "path_link", 7, U(3), U(0), U(P_PATH), U(n), U(3), U(P_PATH2), U(n2)),
             E_OK);
    CHECK_EQ(t, call(t, "path_unlink_file", 3, U(3), U(P_PATH2), U(n2)), E_OK);
    CHECK_EQ(t, call(t, "path_unlink_file", 3, U(3), U(P_PATH), U(n)), E_OK);
    CHECK(t, !host_exists(t->box, "ts_file") && !host_exists(t->box, "ts_l1"));
    rmdir(hp);
}

/* Opening `.` of a preopen with the preopen's own rights gives a
 * directory, with O_DIRECTORY or without. */
static void test_preopen_dot(t_ctx *t)
{
    uint8_t type;
    uint64_t base, inh, b2, i2;
    CHECK_EQ(t, fdstat(t, 3, &type, &base, &inh), E_OK);
    CHECK_EQ(t, type, FT_DIR);
    CHECK(t, base & R_PATH_OPEN);
    for (uint32_t of = 0; of <= O_DIR_; of += O_DIR_) {
        uint32_t n = path(t, ".");
        wr32(t, P_OUT, 0xffffffffu);
        CHECK_EQ(
            t,
            call(t, "path_open", 9, U(3), U(0), U(P_PATH), U(n), U(of), base, inh, U(0), U(P_OUT)),
            E_OK);
        uint32_t fd = rd32(t, P_OUT);
        CHECK_EQ(t, fdstat(t, fd, &type, &b2, &i2), E_OK);
        CHECK_EQ(t, type, FT_DIR);
        CHECK_EQ(t, b2, base);
        CHECK_EQ(t, i2, inh);
        CHECK_EQ(t, call(t, "fd_readdir", 5, U(fd), U(P_BUF), U(256), U(0), U(P_OUT)), E_OK);
        CHECK(t, rd32(t, P_OUT) > 0);
        CHECK_EQ(t, call(t, "fd_close", 1, U(fd)), E_OK);
    }
}

/* The socket calls check their fd first: EBADF when it is not open,
 * ENOTSOCK when it is no socket; only a socket gets ENOTSUP. */
static void test_sockets(t_ctx *t)
{
    static const struct {
        const char *name;
        int nargs;
    } calls[] = {{"sock_recv", 6}, {"sock_send", 5}, {"sock_accept", 3}, {"sock_shutdown", 2}};
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) {
        CHECK(t, false);
        return;
    }
    wr_wasi_config cfg;
    wr_wasi_config_init(&cfg);
    cfg.stdin_fd = sv[0];
    cfg.npreopens = 1;
    wr_wasi_preopen po = {t->box, "/box"};
    cfg.preopens = &po;
    wr_wasi *saved = t->w, *w = NULL;
    CHECK_EQ(t, wr_wasi_new(&cfg, &w, NULL, 0), WR_OK);
    if (w) {
        t->w = w;
        for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
            uint64_t args[6] = {0};
            uint64_t want[3][2] = {{77, E_BADF}, {3, E_NOTSOCK}, {0, E_NOTSUP}};
            for (int k = 0; k < 3; k++) {
                args[0] = want[k][0];
                uint64_t res[1] = {0xdead};
                CHECK_EQ(t, raw_call(t, w, calls[i].name, t->mem, MEMLEN, args, res), WR_OK);
                if (res[0] != want[k][1])
                    fprintf(stderr, "%s(fd %u): %u, expected %u\n", calls[i].name,
                            (unsigned)want[k][0], (unsigned)res[0], (unsigned)want[k][1]);
                CHECK_EQ(t, res[0], want[k][1]);
            }
        }
        wr_wasi_free(w);
        t->w = saved;
    }
    close(sv[0]);
    close(sv[1]);
}

/* Open host fds of this process (-1 when /proc is not there), to check that
 * lookups and fd_close leak nothing. */
static int count_fds(void)
{
    int n = 0;
    char p[64];
    for (int fd = 0; fd < 1024; fd++) {
        snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
        n += access(p, F_OK) == 0;
    }
    return access("/proc/self/fd", F_OK) == 0 ? n : -1;
}

int main(void)
{
    int fds_before = count_fds();
    t_ctx t;
    memset(&t, 0, sizeof t);
    t.mem = calloc(1, MEMLEN);
    if (!t.mem || setup_tree(&t) != 0) {
        perror("test_wasi: setup");
        return 1;
    }
    const char *argv[] = {"prog", "one", "two words"};
    const char *envp[] = {"A=1", "PATH=/x"};
    wr_wasi_preopen po = {t.box, "/box"};
    wr_wasi_config cfg;
    wr_wasi_config_init(&cfg);
    cfg.argc = 3;
    cfg.argv = argv;
    cfg.envc = 2;
    cfg.envp = envp;
    cfg.npreopens = 1;
    cfg.preopens = &po;
    char err[256];
    if (wr_wasi_new(&cfg, &t.w, err, sizeof err) != WR_OK) {
        fprintf(stderr, "test_wasi: wr_wasi_new: %s\n", err);
        return 1;
    }

    test_args_env(&t);
    test_clock_random(&t);
    test_prestat(&t);
    test_files(&t);
    test_paths(&t);
    test_escapes(&t);
    test_readdir(&t);
    test_poll(&t);
    test_misc(&t);
    test_stdio(&t);
    test_denied_text(&t);
    test_config_errors(&t);
    test_rights(&t);
    test_dir_seek(&t);
    test_trailing_slash(&t);
    test_preopen_dot(&t);
    test_sockets(&t);

    wr_wasi_free(t.w);
    if (fds_before >= 0) CHECK_EQ(&t, count_fds(), fds_before);
    nftw(t.root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(t.mem);
    printf("test_wasi: %d checks, %d failures\n", t.checks, t.failures);
    return t.failures ? 1 : 0;
}
