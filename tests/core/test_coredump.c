/*
 * Unit tests of the core dump writer (wdb/coredump.h), label unit:
 *   - the `wdb.trap` kinds' names agree with the runtime's (wr_trap_name):
 *     the format fixes the runtime's numbering and gcore reads kinds by
 *     name from the stub's stop replies;
 *   - FNV-1a-64 test vectors;
 *   - a synthetic state written and read back with the bridge's reader
 *     (wb_core.c): frames, every value type, globals, memory with zero
 *     chunks left out, a `wdb.trap` of kind NONE; read_once and re-reading
 *     give the same bytes, and read_once reads each byte once;
 *   - failures leave nothing behind: a missing directory, a path that is a
 *     directory (the rename fails after the whole file was written), a
 *     memory read failing in either pass, a global without a value.
 */
#include "wb_core.h"
#include "wdb/coredump.h"
#include "wdb/runtime.h"
#include "wdb_check.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MEM_SIZE (3u * 65536u)

typedef struct src {
    uint8_t mem[MEM_SIZE];
    uint64_t bytes_read;
    int fail_call; /* the read call (1-based) that fails; 0: none */
    int calls;
} src;

static int read_mem(void *user, uint32_t memory, uint64_t offset, void *buf, size_t len)
{
    src *s = user;
    s->calls++;
    if (memory != 0 || offset > MEM_SIZE || len > MEM_SIZE - offset) return -EFAULT;
    if (s->fail_call && s->calls == s->fail_call) return -EIO;
    memcpy(buf, s->mem + offset, len);
    s->bytes_read += len;
    return 0;
}

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = malloc(n > 0 ? (size_t)n : 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return b;
}

/* Entries of dir other than . and .. */
static int dir_entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    if (!d) return -1;
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    closedir(d);
    return n;
}

static const wcd_value locals0[] = {
    {WCD_VAL_I32, 0xffffffffu}, {WCD_VAL_I64, 0x8000000000000000ull},
    {WCD_VAL_F32, 0x3fc00000u}, {WCD_VAL_F64, 0x3ff8000000000000ull},
    {WCD_VAL_MISSING, 0},       {WCD_VAL_FUNCREF, 7},
};
static const wcd_value stack0[] = {{WCD_VAL_I64, 42}, {WCD_VAL_I32, 0x80000000u}};
static const wcd_value locals1[] = {{WCD_VAL_I32, 5}};
static const wcd_value globals[] = {
    {WCD_VAL_I32, 0x10000u},    {WCD_VAL_I64, (uint64_t)-2},
    {WCD_VAL_F32, 0x40490fdbu}, {WCD_VAL_F64, 0x400921fb54442d18ull},
    {WCD_VAL_FUNCREF, 0},
};

static wcd_state make_state(src *s, const wcd_frame *frames, const uint64_t *sizes)
{
    wcd_state st;
    memset(&st, 0, sizeof st);
    st.module_name = "app.wasm";
    st.module_size = 1234;
    st.module_hash = 0x0123456789abcdefull;
    st.trap_message = "breakpoint";
    st.trap_kind = WCD_TRAP_NONE;
    st.frames = frames;
    st.nframes = 2;
    st.globals = globals;
    st.nglobals = sizeof globals / sizeof *globals;
    st.memory_sizes = sizes;
    st.nmemories = 1;
    st.read_memory = read_mem;
    st.user = s;
    static const char *const argv[] = {"app.wasm", "two words", ""};
    st.argv = argv;
    st.argc = 3;
    return st;
}

static void check_read_back(const char *path)
{
    wb_core *c = NULL;
    wb_error e;
    CHECK(wb_core_open_file(path, &c, &e) == WB_OK);
    if (!c) {
        fprintf(stderr, "%s\n", e.msg);
        return;
    }
    CHECK_STR(wb_core_executable(c), "app.wasm");
    /* wdb.args, joined as gdb shows a core's command line */
    CHECK_STR(wb_core_command(c), "app.wasm two words ");
    CHECK_EQ(wb_core_frame_count(c, 0), 2);
    const wb_core_frame *f = wb_core_frame_at(c, 0, 0);
    if (f) {
        CHECK_EQ(f->func, 3);
        CHECK_EQ(f->code_offset, 0x21);
        CHECK_EQ(f->nlocals, 6);
        CHECK_EQ(f->nstack, 2);
        static const struct {
            uint8_t type;
            uint64_t bits;
        } want[] = {{WB_CORE_I32, 0xffffffffu}, {WB_CORE_I64, 0x8000000000000000ull},
                    {WB_CORE_F32, 0x3fc00000u}, {WB_CORE_F64, 0x3ff8000000000000ull},
                    {WB_CORE_MISSING, 0},       {WB_CORE_MISSING, 0}};
        for (size_t i = 0; i < 6 && i < f->nlocals; i++) {
            CHECK_EQ(f->locals[i].type, want[i].type);
            CHECK_EQ(f->locals[i].bits, want[i].bits);
        }
        if (f->nstack == 2) {
            CHECK(f->stack[0].type == WB_CORE_I64 && f->stack[0].bits == 42);
            CHECK(f->stack[1].type == WB_CORE_I32 && f->stack[1].bits == 0x80000000u);
        }
    }
    f = wb_core_frame_at(c, 0, 1);
    if (f) {
        CHECK_EQ(f->func, 9);
        CHECK_EQ(f->code_offset, 0x1234);
        CHECK(f->nlocals == 1 && f->locals[0].bits == 5 && f->nstack == 0);
    }
    CHECK_EQ(wb_core_global_count(c, 0), 5);
    wb_core_value v;
    CHECK(wb_core_global(c, 0, 0, &v) == WB_OK && v.type == WB_CORE_I32 && v.bits == 0x10000u);
    CHECK(wb_core_global(c, 0, 1, &v) == WB_OK && v.type == WB_CORE_I64 && v.bits == (uint64_t)-2);
    CHECK(wb_core_global(c, 0, 2, &v) == WB_OK && v.type == WB_CORE_F32 && v.bits == 0x40490fdbu);
    CHECK(wb_core_global(c, 0, 3, &v) == WB_OK && v.type == WB_CORE_F64 &&
          v.bits == 0x400921fb54442d18ull);
    CHECK(wb_core_global(c, 0, 4, &v) == WB_OK && v.type == WB_CORE_FUNCREF &&
          v.bits == WB_CORE_NULL_REF);
    uint64_t size = 0;
    CHECK(wb_core_memory_size(c, 0, 0, &size) == WB_OK && size == MEM_SIZE);
    /* chunks 0 and 5 and the last one: the rest is left out */
    CHECK_EQ(wb_core_memory_captured(c, 0, 0, 0, MEM_SIZE), 3 * 4096);
    uint8_t b[4];
    CHECK(wb_core_read_memory(c, 0, 0, 0x10, b, 1, NULL) == WB_OK && b[0] == 0xaa);
    CHECK(wb_core_read_memory(c, 0, 0, 0x5000, b, 2, NULL) == WB_OK && b[0] == 0xbb && b[1] == 0);
    CHECK(wb_core_read_memory(c, 0, 0, MEM_SIZE - 1, b, 1, NULL) == WB_OK && b[0] == 0xcc);
    uint64_t msize, hash;
    CHECK(wb_core_module_identity(c, &msize, &hash) && msize == 1234 &&
          hash == 0x0123456789abcdefull);
    const char *msg;
    uint32_t kind;
    CHECK(wb_core_trap(c, &msg, &kind) && kind == WCD_TRAP_NONE && !strcmp(msg, "breakpoint"));
    wb_core_close(c);
}

int main(void)
{
    /* the kinds and their names are the runtime's */
    CHECK_EQ(WCD_TRAP_KIND_COUNT, WR_TRAP_KIND_COUNT);
    for (uint32_t k = 0; k < WR_TRAP_KIND_COUNT; k++) {
        CHECK_STR(wcd_trap_kind_name(k), wr_trap_name((wr_trap_kind)k));
        const char *n = wr_trap_name((wr_trap_kind)k);
        CHECK_EQ(wcd_trap_kind_by_name(n, strlen(n)), k);
    }
    CHECK_EQ(wcd_trap_kind_by_name("div_by_zero!", 11), WCD_TRAP_DIV_BY_ZERO);
    CHECK_EQ(wcd_trap_kind_by_name("div_by", 6), WCD_TRAP_UNKNOWN);
    CHECK_STR(wcd_trap_kind_name(WCD_TRAP_UNKNOWN), "unknown");

    CHECK(wcd_fnv1a64("", 0) == 0xcbf29ce484222325ull);
    CHECK(wcd_fnv1a64("a", 1) == 0xaf63dc4c8601ec8cull);
    CHECK(wcd_fnv1a64("foobar", 6) == 0x85944171f73967e8ull);

    char dir[] = "/tmp/wdb-coredump-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    char p1[128], p2[128], bad[160], isdir[128];
    snprintf(p1, sizeof p1, "%s/once.core", dir);
    snprintf(p2, sizeof p2, "%s/twice.core", dir);
    snprintf(bad, sizeof bad, "%s/missing/x.core", dir);
    snprintf(isdir, sizeof isdir, "%s/adir", dir);

    src *s = calloc(1, sizeof *s);
    if (!s) return 1;
    s->mem[0x10] = 0xaa;
    s->mem[0x5000] = 0xbb;
    s->mem[MEM_SIZE - 1] = 0xcc;
    const wcd_frame frames[2] = {
        {3, 0x21, 6, locals0, 2, stack0},
        {9, 0x1234, 1, locals1, 0, NULL},
    };
    const uint64_t sizes[1] = {MEM_SIZE};
    wcd_state st = make_state(s, frames, sizes);
    char err[200] = "";

    /* read_once: every byte read once */
    st.read_once = true;
    CHECK(wcd_write(&st, p1, err, sizeof err) == WCD_OK);
    CHECK_EQ(s->bytes_read, MEM_SIZE);
    check_read_back(p1);
    /* re-reading: the non-zero chunks twice, the same bytes */
    s->bytes_read = 0;
    st.read_once = false;
    CHECK(wcd_write(&st, p2, err, sizeof err) == WCD_OK);
    CHECK_EQ(s->bytes_read, MEM_SIZE + 3 * 4096);
    size_t l1 = 0, l2 = 0;
    uint8_t *b1 = slurp(p1, &l1), *b2 = slurp(p2, &l2);
    CHECK(b1 && b2 && l1 == l2 && memcmp(b1, b2, l1) == 0);
    free(b1);
    free(b2);
    /* an existing file is replaced */
    CHECK(wcd_write(&st, p1, err, sizeof err) == WCD_OK);
    check_read_back(p1);
    /* without arguments, no wdb.args: a reader has no command line */
    st.argc = 0;
    CHECK(wcd_write(&st, p2, err, sizeof err) == WCD_OK);
    wb_core *noargs = NULL;
    wb_error e;
    CHECK(wb_core_open_file(p2, &noargs, &e) == WB_OK);
    if (noargs) CHECK(wb_core_command(noargs) == NULL);
    wb_core_close(noargs);
    st.argc = 3;
    CHECK_EQ(dir_entries(dir), 2);

    /* failures leave nothing */
    CHECK(wcd_write(&st, bad, err, sizeof err) == WCD_ERROR);
    CHECK_STR(err, "No such file or directory");
    CHECK(mkdir(isdir, 0700) == 0);
    CHECK(wcd_write(&st, isdir, err, sizeof err) == WCD_ERROR);
    CHECK_STR(err, "Is a directory");
    CHECK_EQ(dir_entries(dir), 3); /* once, twice, adir: no temporary file */
    char p3[128];
    snprintf(p3, sizeof p3, "%s/fail.core", dir);
    s->calls = 0;
    s->fail_call = 6; /* the scan: chunk 5 */
    CHECK(wcd_write(&st, p3, err, sizeof err) == WCD_ERROR);
    CHECK_STR(err, "cannot read memory 0 at 0x5000: Input/output error");
    s->calls = 0;
    s->fail_call = 48 + 2; /* the write pass's second read (chunk 5 again) */
    CHECK(wcd_write(&st, p3, err, sizeof err) == WCD_ERROR);
    CHECK_STR(err, "cannot read memory 0 at 0x5000: Input/output error");
    CHECK_EQ(dir_entries(dir), 3);
    s->fail_call = 0;
    wcd_value g2[2] = {{WCD_VAL_I32, 1}, {WCD_VAL_MISSING, 0}};
    st.globals = g2;
    st.nglobals = 2;
    CHECK(wcd_write(&st, p3, err, sizeof err) == WCD_ERROR);
    CHECK_STR(err, "global 1 has no value");
    CHECK_EQ(dir_entries(dir), 3);

    unlink(p1);
    unlink(p2);
    rmdir(isdir);
    rmdir(dir);
    free(s);
    return wdb_check_summary();
}
