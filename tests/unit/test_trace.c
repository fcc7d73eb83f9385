/*
 * Unit tests of recording the memory a host call writes (runtime/src/
 * wr_trace.c, docs/TRACE.md): a host function marked notes_writes (as
 * WASI's are) is recorded from the ranges it notes with
 * wr_trace_note_write, merged into spans; any other from a compare of
 * memory 0 with a copy; WDB_TRACE_VERIFY=1 stops a run whose noted host
 * function wrote a byte it did not note.
 *
 * The module imports env.w(addr, len) and its export "run" calls
 * w(100, 8). What w writes and notes depends on the scenario.
 */
#include "wdb/runtime.h"
#include "wr_internal.h"
#include "wr_trace.h"

#include "wdb_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const uint8_t module[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
                                 /* type: (i32 i32) -> (), () -> () */
                                 0x01, 0x09, 0x02, 0x60, 0x02, 0x7f, 0x7f, 0x00, 0x60, 0x00, 0x00,
                                 /* import env.w: type 0 */
                                 0x02, 0x09, 0x01, 0x03, 'e', 'n', 'v', 0x01, 'w', 0x00, 0x00,
                                 /* function 1: type 1 */
                                 0x03, 0x02, 0x01, 0x01,
                                 /* memory 0: one page */
                                 0x05, 0x03, 0x01, 0x00, 0x01,
                                 /* export run (func 1), memory (memory 0) */
                                 0x07, 0x10, 0x02, 0x03, 'r', 'u', 'n', 0x00, 0x01, 0x06, 'm', 'e',
                                 'm', 'o', 'r', 'y', 0x02, 0x00,
                                 /* code: i32.const 100, i32.const 8, call 0, end */
                                 0x0a, 0x0b, 0x01, 0x09, 0x00, 0x41, 0xe4, 0x00, 0x41, 0x08, 0x10,
                                 0x00, 0x0b};

/* What env.w does in a scenario. */
enum scenario {
    HONEST, /* writes [a, a+8), [120, 124), [1000, 1004); notes them out of order */
    LIAR,   /* writes [a, a+8) and the byte at 300; notes [a, a+8) only */
    REPLAY, /* must not be called: a replay calls no host function */
};
static enum scenario scenario;
static int host_calls;

static void note(wr_instance *caller, uint64_t addr, uint64_t len)
{
    wr_trace_note_write(caller->store->trace, addr, len);
}

static wr_status host_w(wr_instance *caller, void *user, const uint64_t *args, uint64_t *res)
{
    (void)user;
    (void)res;
    host_calls++;
    uint8_t *mem = wr_memory_data(wr_instance_memory(caller, 0));
    uint32_t a = (uint32_t)args[0], n = (uint32_t)args[1];
    switch (scenario) {
    case HONEST:
        for (uint32_t i = 0; i < n; i++)
            mem[a + i] = (uint8_t)(0xa0 + i);
        memcpy(mem + 120, "WXYZ", 4);
        memcpy(mem + 1000, "data", 4);
        note(caller, a + 4, n - 4); /* out of order, touching: one range */
        note(caller, 1000, 4);
        note(caller, a, 4);
        note(caller, 120, 4); /* 12 bytes after a + 8: the same span */
        break;
    case LIAR:
        memset(mem + a, 0x11, n);
        mem[300] = 0x77;
        note(caller, a, n);
        break;
    case REPLAY: break;
    }
    return WR_OK;
}

typedef struct run {
    wr_store *store;
    wr_instance *inst;
    wr_status st;       /* of calling run */
    wr_status finished; /* of wr_trace_finish */
    char msg[512];
} run;

/* Instantiates the module with env.w (marked notes_writes or not), starts
 * a trace (record into path, or replay it) and calls run. */
static void run_module(run *r, bool notes_writes, bool replay, const char *path)
{
    memset(r, 0, sizeof *r);
    wr_error err;
    wr_module *mod = NULL;
    wr_linker *l = NULL;
    r->store = wr_store_new(NULL);
    if (!r->store || wr_module_new(r->store, module, sizeof module, &mod, &err) != WR_OK ||
        !(l = wr_linker_new(r->store)) ||
        wr_linker_define_func(l, "env", "w", "ii", "", host_w, NULL) != WR_OK) {
        CHECK_FAILED("cannot set up the module");
        return;
    }
    r->store->funcs->notes_writes = notes_writes; /* the function just defined */
    if (wr_instance_new(r->store, mod, l, &r->inst, &err) != WR_OK) {
        CHECK_FAILED("cannot instantiate: %s", err.msg);
        return;
    }
    wr_status t = replay ? wr_trace_replay(r->store, mod, path, r->msg, sizeof r->msg)
                         : wr_trace_record(r->store, mod, path, r->msg, sizeof r->msg);
    CHECK_MSG(t == WR_OK, "starting the trace: %s", r->msg);
    wr_extern ext;
    CHECK_EQ(wr_instance_export(r->inst, "run", &ext), WR_OK);
    r->st = wr_func_call(ext.of.func, NULL, 0, NULL, 0, &err);
    r->msg[0] = '\0';
    r->finished = wr_trace_finish(r->store, r->st, r->msg, sizeof r->msg);
}

static uint8_t *memory(run *r)
{
    return wr_memory_data(wr_instance_memory(r->inst, 0));
}

static void done(run *r)
{
    wr_store_free(r->store);
}

/* The spans of the trace's first CALL record (a call with no results):
 * up to 8 (addr, len) pairs; returns their count, -1 if unreadable. */
static int first_spans(const char *path, uint32_t addr[8], uint32_t len[8])
{
    uint8_t b[4096];
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(b, 1, sizeof b, f) : 0;
    if (f) fclose(f);
    /* header 32; 'C', import u32, count u64, checksum u64, outcome u8,
     * results u32 (0), then the spans */
    size_t p = WR_TRACE_HEADER_SIZE + 1 + 4 + 8 + 8 + 1 + 4;
    if (n < p + 4 || b[WR_TRACE_HEADER_SIZE] != WR_TREC_CALL) return -1;
#define RD32(q)                                                                                    \
    ((uint32_t)b[q] | (uint32_t)b[q + 1] << 8 | (uint32_t)b[q + 2] << 16 | (uint32_t)b[q + 3] << 24)
    uint32_t count = RD32(p);
    p += 4;
    for (uint32_t i = 0; i < count; i++) {
        if (i >= 8 || n < p + 8) return -1;
        addr[i] = RD32(p);
        len[i] = RD32(p + 4);
        p += 8 + len[i];
    }
#undef RD32
    return (int)count;
}

/* The noted ranges make the spans: sorted, touching ones and ones less
 * than 16 bytes apart joined; verification finds nothing to say. */
static void test_noted(const char *path)
{
    wdb_check_context = "noted";
    setenv("WDB_TRACE_VERIFY", "1", 1);
    scenario = HONEST;
    host_calls = 0;
    run r;
    run_module(&r, true, false, path);
    CHECK_EQ(r.st, WR_OK);
    CHECK_MSG(r.finished == WR_OK, "%s", r.msg);
    CHECK_EQ(host_calls, 1);
    done(&r);
    uint32_t addr[8], len[8];
    int n = first_spans(path, addr, len);
    CHECK_EQ(n, 2);
    if (n == 2) {
        CHECK_EQ(addr[0], 100);
        CHECK_EQ(len[0], 24); /* [100, 108) and [120, 124) */
        CHECK_EQ(addr[1], 1000);
        CHECK_EQ(len[1], 4);
    }
    /* the replay writes them back without calling w */
    scenario = REPLAY;
    run_module(&r, true, true, path);
    CHECK_EQ(r.st, WR_OK);
    CHECK_MSG(r.finished == WR_OK, "%s", r.msg);
    CHECK_EQ(host_calls, 1);
    if (r.inst) {
        uint8_t *m = memory(&r);
        CHECK_EQ(m[100], 0xa0);
        CHECK_EQ(m[107], 0xa7);
        CHECK(!memcmp(m + 120, "WXYZ", 4));
        CHECK(!memcmp(m + 1000, "data", 4));
    }
    done(&r);
}

/* A noted function that writes a byte it does not note: WDB_TRACE_VERIFY
 * stops the run there, naming the function and the byte. */
static void test_verify_catches(const char *path)
{
    wdb_check_context = "verify";
    setenv("WDB_TRACE_VERIFY", "1", 1);
    scenario = LIAR;
    run r;
    run_module(&r, true, false, path);
    CHECK_EQ(r.st, WR_ERR_TRAP);
    CHECK_EQ(r.finished, WR_ERR_ARG);
    CHECK_MSG(strstr(r.msg, "host function w ") && strstr(r.msg, "at 0x12c (0x00 -> 0x77)") &&
                  strstr(r.msg, "(1 such bytes)"),
              "message: %s", r.msg);
    done(&r);

    /* without the check the write goes unrecorded: the replay lacks it */
    unsetenv("WDB_TRACE_VERIFY");
    run_module(&r, true, false, path);
    CHECK_EQ(r.st, WR_OK);
    CHECK_MSG(r.finished == WR_OK, "%s", r.msg);
    done(&r);
    scenario = REPLAY;
    run_module(&r, true, true, path);
    CHECK_MSG(r.finished == WR_OK, "%s", r.msg);
    if (r.inst) {
        CHECK_EQ(memory(&r)[100], 0x11);
        CHECK_EQ(memory(&r)[300], 0);
    }
    done(&r);
}

/* A host function that notes nothing (an embedder's) is recorded by the
 * compare: every byte it changed, noted or not. */
static void test_compared(const char *path)
{
    wdb_check_context = "compared";
    setenv("WDB_TRACE_VERIFY", "1", 1);
    scenario = LIAR;
    run r;
    run_module(&r, false, false, path);
    CHECK_EQ(r.st, WR_OK);
    CHECK_MSG(r.finished == WR_OK, "%s", r.msg);
    done(&r);
    uint32_t addr[8], len[8];
    int n = first_spans(path, addr, len);
    CHECK_EQ(n, 2);
    if (n == 2) {
        CHECK_EQ(addr[0], 100);
        CHECK_EQ(len[0], 8);
        CHECK_EQ(addr[1], 300);
        CHECK_EQ(len[1], 1);
    }
    scenario = REPLAY;
    run_module(&r, false, true, path);
    CHECK_MSG(r.finished == WR_OK, "%s", r.msg);
    if (r.inst) CHECK_EQ(memory(&r)[300], 0x77);
    done(&r);
}

int main(void)
{
    char path[] = "/tmp/wdb-test-trace.XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        CHECK_FAILED("mkstemp failed");
        return wdb_check_summary();
    }
    close(fd);
    test_noted(path);
    test_verify_catches(path);
    test_compared(path);
    unlink(path);
    return wdb_check_summary();
}
