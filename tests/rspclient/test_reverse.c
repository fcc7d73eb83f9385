/*
 * Reverse execution (bs, bc) against a real wdb-run -g, which records the
 * run in memory (docs/TRACE.md "Reverse execution"):
 *   - steps: N single steps of a corpus program, each one's pc, call depth
 *     and local 0; then N-1 reverse steps must see the same, in reverse
 *     order; the stop before the first says replaylog:begin;
 *   - breakpoints: reverse-continue stops at the previous hits (one made
 *     while stepping too), then at the start of history; going forward
 *     again replays the host calls (the output is not written twice) and
 *     runs live past the end of history (the last line is written once);
 *   - watchpoints: reverse-continue stops after the last write before now,
 *     with the new value in memory; one reverse step shows the old one;
 *   - --no-history: not offered, bs answers an error; bad packets;
 *   - back from a trap stop (TRAPS.wasm div: tests/lldb/programs/traps.c).
 *
 *   test_reverse WDB_RUN reverse.wasm CORPUS.wasm LONG.wasm TRAPS.wasm
 *
 * LONG.wasm runs long enough to be interrupted after 150 ms: the steps
 * session runs there too, with many snapshots and host calls behind it.
 */
#define _GNU_SOURCE
#include "wb_rsp.h"
#include "wdb_check.h"
#include "wdbrun_child.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static wb_rsp *connect_to(pid_t pid, int port)
{
    wb_rsp *c = connect_wdb_run(pid, port);
    if (!c) return NULL;
    wb_rsp_set_timeout(c, 20000);
    CHECK_MSG(wb_rsp_handshake(c) == 0, "handshake: %s", wb_rsp_last_error(c));
    return c;
}

static uint32_t u32le(const uint8_t *b)
{
    return (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) | ((uint32_t)b[3] << 24);
}

/* Sends bs or bc; the stop reply is the packet's reply. */
static int back(wb_rsp *c, const char *pkt, wb_rsp_stop *st, bool *begin)
{
    const char *r;
    size_t n;
    int rc = wb_rsp_request(c, pkt, &r, &n);
    if (rc != 0 || n == 0) return rc ? rc : -ENOTSUP;
    *begin = strstr(r, "replaylog:begin;") != NULL;
    return wb_rsp_parse_stop(r, n, st);
}

static int step(wb_rsp *c, wb_rsp_stop *st)
{
    if (wb_rsp_step(c) != 0) return -1;
    return wb_rsp_wait_stop(c, st, 20000);
}

static int cont(wb_rsp *c, wb_rsp_stop *st)
{
    if (wb_rsp_continue(c) != 0) return -1;
    return wb_rsp_wait_stop(c, st, 20000);
}

static uint32_t local0(wb_rsp *c, int *rc)
{
    uint8_t v[16];
    size_t vl = 0;
    *rc = wb_rsp_wasm_value(c, "Local", 0, 0, v, sizeof v, &vl);
    return *rc == 0 && vl >= 4 ? u32le(v) : 0xdeadbeef;
}

static uint32_t mem32(wb_rsp *c, uint64_t addr)
{
    uint8_t m[4];
    size_t got;
    return wb_rsp_read(c, addr, m, 4, &got) == 0 && got == 4 ? u32le(m) : 0xdeadbeef;
}

typedef struct point {
    uint64_t pc;
    size_t depth;
    uint32_t local;
    int local_rc;
} point;

static point here(wb_rsp *c, const wb_rsp_stop *st)
{
    point p = {.pc = st->pc};
    uint64_t pcs[64];
    if (wb_rsp_call_stack(c, pcs, 64, &p.depth) != 0) p.depth = (size_t)-1;
    p.local = local0(c, &p.local_rc);
    return p;
}

/* ------------------------------------------------------------ sessions */

/* deep_ms > 0: first run that long and interrupt (many snapshots and host
 * calls lie behind), then step and go back; else from the entry. */
static void session_steps(const char *wdb_run, const char *module, int n, int deep_ms)
{
    int port = free_port();
    pid_t pid = start_wdb_run(wdb_run, "-g", port, module, NULL, "/dev/null");
    wb_rsp *c = connect_to(pid, port);
    if (!c) return;
    const char *r;
    size_t len;
    CHECK_MSG(wb_rsp_request(c, "qSupported:swbreak+", &r, &len) == 0 &&
                  strstr(r, "ReverseStep+") && strstr(r, "ReverseContinue+"),
              "qSupported offers reverse execution: %s", len ? r : "(empty)");
    wb_rsp_stop st;
    CHECK(wb_rsp_query_stop(c, &st) == 0 && st.have_pc);
    uint64_t entry_pc = st.pc;
    if (deep_ms > 0) {
        CHECK(wb_rsp_continue(c) == 0);
        struct timespec ts = {deep_ms / 1000, (deep_ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
        CHECK(wb_rsp_interrupt(c) == 0);
        CHECK_MSG(wb_rsp_wait_stop(c, &st, 20000) == 0 && st.kind == WB_STOP_SIGNAL,
                  "interrupted after %d ms (not ended)", deep_ms);
    }
    point *hist = calloc((size_t)n, sizeof *hist);
    int steps = 0;
    for (; steps < n; steps++) {
        if (step(c, &st) != 0 || st.kind != WB_STOP_SIGNAL) break;
        hist[steps] = here(c, &st);
    }
    CHECK_MSG(steps == n, "%d forward steps (wanted %d)", steps, n);
    int bad = 0;
    bool begin = false;
    for (int i = steps - 2; i >= 0; i--) {
        if (back(c, "bs", &st, &begin) != 0) {
            CHECK_MSG(0, "bs at step %d: %s", i, wb_rsp_last_error(c));
            bad++;
            break;
        }
        point p = here(c, &st);
        if (p.pc != hist[i].pc || p.depth != hist[i].depth || p.local_rc != hist[i].local_rc ||
            p.local != hist[i].local || begin) {
            if (bad < 5)
                CHECK_MSG(0,
                          "back at step %d: pc %llx depth %zu local %u (%d); forward: pc %llx "
                          "depth %zu local %u (%d)",
                          i, (unsigned long long)p.pc, p.depth, p.local, p.local_rc,
                          (unsigned long long)hist[i].pc, hist[i].depth, hist[i].local,
                          hist[i].local_rc);
            bad++;
        }
    }
    CHECK_MSG(bad == 0, "%d of %d reverse steps differ from the forward run", bad, steps - 1);
    if (deep_ms > 0) goto forward;
    /* one more: the entry (where stepping began); then nothing before */
    CHECK_MSG(back(c, "bs", &st, &begin) == 0 && !begin, "bs to the entry");
    uint64_t entry_back = st.pc;
    CHECK_MSG(back(c, "bs", &st, &begin) == 0 && begin && st.pc == entry_back,
              "bs at the start of history: replaylog:begin, pc %llx stays %llx",
              (unsigned long long)st.pc, (unsigned long long)entry_back);
    CHECK_MSG(entry_back >> 62 == 1 && (entry_back - entry_pc) + 2 <= 4,
              "the start is the entry stop: %llx vs %llx", (unsigned long long)entry_back,
              (unsigned long long)entry_pc);
    /* forward again: the same steps */
forward:
    /* deep: at step 0 now; else at the entry, before it */
    for (int i = deep_ms > 0 ? 1 : 0; i < 20 && i < steps; i++) {
        if (step(c, &st) != 0) break;
        point p = here(c, &st);
        CHECK_MSG(p.pc == hist[i].pc && p.local == hist[i].local, "replayed step %d", i);
    }
    free(hist);
    wb_rsp_kill(c);
    wb_rsp_close(c);
    wait_exit(pid, 5000);
}

/* Steps from the entry into $say (the call stack grows to 2 frames). */
static uint64_t find_say(wb_rsp *c)
{
    wb_rsp_stop st;
    uint64_t pcs[16];
    size_t n = 0;
    for (int i = 0; i < 40; i++) {
        if (step(c, &st) != 0) return 0;
        if (wb_rsp_call_stack(c, pcs, 16, &n) == 0 && n == 2) return st.pc;
    }
    return 0;
}

static void session_breakpoints(const char *wdb_run, const char *module)
{
    int port = free_port();
    char out[] = "/tmp/wdb-reverse-outXXXXXX";
    int ofd = mkstemp(out);
    if (ofd >= 0) close(ofd);
    pid_t pid = start_wdb_run(wdb_run, "-g", port, module, NULL, out);
    wb_rsp *c = connect_to(pid, port);
    if (!c) return;
    wb_rsp_stop st;
    bool begin;
    int rc;
    uint64_t say = find_say(c);
    CHECK_MSG(say != 0, "stepped into $say");
    CHECK_MSG(local0(c, &rc) == 1, "n == 1 in the first call");
    CHECK(wb_rsp_breakpoint(c, 0, say, 1, true) == 0);
    CHECK_MSG(cont(c, &st) == 0 && !strcmp(st.reason, "breakpoint") && local0(c, &rc) == 2,
              "forward: second call");
    CHECK_MSG(cont(c, &st) == 0 && !strcmp(st.reason, "breakpoint") && local0(c, &rc) == 3 &&
                  mem32(c, 64) == 2,
              "forward: third call");
    CHECK_MSG(back(c, "bc", &st, &begin) == 0 && !strcmp(st.reason, "breakpoint") && st.pc == say &&
                  !begin && local0(c, &rc) == 2 && mem32(c, 64) == 1,
              "bc: the second call again (reason '%s', n %u, mem %u)", st.reason, local0(c, &rc),
              mem32(c, 64));
    CHECK_MSG(back(c, "bc", &st, &begin) == 0 && !strcmp(st.reason, "breakpoint") && st.pc == say &&
                  !begin && local0(c, &rc) == 1 && mem32(c, 64) == 0,
              "bc: the first call, reached by steps before the breakpoint was set (n %u)",
              local0(c, &rc));
    CHECK_MSG(back(c, "bc", &st, &begin) == 0 && begin, "bc with no hit before: replaylog:begin");
    /* forward from the start: replayed, then live */
    CHECK_MSG(cont(c, &st) == 0 && !strcmp(st.reason, "breakpoint") && local0(c, &rc) == 1,
              "forward again: first call");
    CHECK_MSG(cont(c, &st) == 0 && local0(c, &rc) == 2, "second call");
    CHECK_MSG(cont(c, &st) == 0 && local0(c, &rc) == 3, "third call");
    CHECK(wb_rsp_breakpoint(c, 0, say, 1, false) == 0);
    CHECK_MSG(cont(c, &st) == 0 && st.kind == WB_STOP_EXITED && st.code == 0, "exit 0");
    wb_rsp_close(c);
    CHECK_MSG(wait_exit(pid, 5000) == 0, "wdb-run's exit status");
    char buf[256] = {0};
    FILE *f = fopen(out, "r");
    size_t got = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f) fclose(f);
    unlink(out);
    buf[got] = 0;
    CHECK_MSG(!strcmp(buf, "line 1\nline 2\nline 3\n"),
              "each line written once (replayed calls write nothing): \"%s\"", buf);
}

static void session_watch(const char *wdb_run, const char *module)
{
    int port = free_port();
    pid_t pid = start_wdb_run(wdb_run, "-g", port, module, NULL, "/dev/null");
    wb_rsp *c = connect_to(pid, port);
    if (!c) return;
    wb_rsp_stop st;
    bool begin;
    CHECK(wb_rsp_breakpoint(c, 2, 64, 4, true) == 0);
    for (uint32_t k = 1; k <= 3; k++)
        CHECK_MSG(cont(c, &st) == 0 && !strcmp(st.reason, "watchpoint") && mem32(c, 64) == k,
                  "forward write %u", k);
    CHECK_MSG(back(c, "bc", &st, &begin) == 0 && !strcmp(st.reason, "watchpoint") &&
                  st.watch_addr == 64 && mem32(c, 64) == 2 && !begin,
              "bc: after the write of 2 (reason '%s', addr %llu, mem %u)", st.reason,
              (unsigned long long)st.watch_addr, mem32(c, 64));
    CHECK_MSG(back(c, "bs", &st, &begin) == 0 && mem32(c, 64) == 1,
              "bs: before it, the old value 1 (mem %u)", mem32(c, 64));
    CHECK_MSG(back(c, "bc", &st, &begin) == 0 && !strcmp(st.reason, "watchpoint") &&
                  mem32(c, 64) == 1,
              "bc: after the write of 1");
    CHECK_MSG(back(c, "bc", &st, &begin) == 0 && begin && mem32(c, 64) == 0,
              "bc: start of history, before any write");
    CHECK_MSG(cont(c, &st) == 0 && !strcmp(st.reason, "watchpoint") && mem32(c, 64) == 1,
              "forward again: the write of 1");
    CHECK(wb_rsp_breakpoint(c, 2, 64, 4, false) == 0);
    CHECK_MSG(cont(c, &st) == 0 && st.kind == WB_STOP_EXITED && st.code == 0, "exit 0");
    wb_rsp_close(c);
    CHECK_MSG(wait_exit(pid, 5000) == 0, "wdb-run's exit status");
}

/* Back from a trap: to the instruction that trapped, before it ran, and
 * the one before; forward it traps again, then the program ends. */
static void session_trap(const char *wdb_run, const char *module)
{
    int port = free_port();
    char opt[64];
    snprintf(opt, sizeof opt, "-g=127.0.0.1:%d", port);
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        execl(wdb_run, wdb_run, opt, module, "div", (char *)NULL);
        _exit(127);
    }
    wb_rsp *c = connect_to(pid, port);
    if (!c) return;
    wb_rsp_stop st;
    bool begin;
    CHECK_MSG(cont(c, &st) == 0 && !strcmp(st.reason, "exception"), "the trap");
    uint64_t trap_pc = st.pc;
    CHECK_MSG(back(c, "bs", &st, &begin) == 0 && !strcmp(st.reason, "trace") && st.pc == trap_pc,
              "bs from the trap: its instruction, before it ran (pc %llx)",
              (unsigned long long)st.pc);
    CHECK_MSG(back(c, "bs", &st, &begin) == 0 && st.pc != trap_pc && !begin, "bs: the one before");
    CHECK_MSG(step(c, &st) == 0 && st.pc == trap_pc && !strcmp(st.reason, "trace"),
              "s: the trapping instruction again");
    CHECK_MSG(cont(c, &st) == 0 && !strcmp(st.reason, "exception") && st.pc == trap_pc,
              "c: it traps again");
    CHECK_MSG(cont(c, &st) == 0 && st.kind == WB_STOP_EXITED, "then the program ends");
    wb_rsp_close(c);
    CHECK_MSG(wait_exit(pid, 5000) == 134, "wdb-run's exit status after the trap");
}

static void session_no_history(const char *wdb_run, const char *module)
{
    int port = free_port();
    pid_t pid = start_wdb_run(wdb_run, "-g", port, module, "--no-history", "/dev/null");
    wb_rsp *c = connect_to(pid, port);
    if (!c) return;
    const char *r;
    size_t len;
    CHECK_MSG(wb_rsp_request(c, "qSupported:swbreak+", &r, &len) == 0 && !strstr(r, "Reverse"),
              "--no-history: not offered");
    CHECK_MSG(wb_rsp_request(c, "bs", &r, &len) == -EIO, "bs without history: an error reply");
    CHECK_MSG(wb_rsp_request(c, "bc", &r, &len) == -EIO, "bc without history: an error reply");
    CHECK_MSG(wb_rsp_request(c, "bsx", &r, &len) == 0 && len == 0, "bsx: unsupported");
    CHECK_MSG(wb_rsp_request(c, "b", &r, &len) == 0 && len == 0, "b: unsupported");
    wb_rsp_stop st;
    CHECK_MSG(cont(c, &st) == 0 && st.kind == WB_STOP_EXITED, "runs to its end");
    wb_rsp_close(c);
    CHECK_MSG(wait_exit(pid, 5000) == 0, "wdb-run's exit status");
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr,
                "usage: test_reverse WDB_RUN reverse.wasm CORPUS.wasm LONG.wasm TRAPS.wasm\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    session_steps(argv[1], argv[3], 400, 0);
    session_steps(argv[1], argv[4], 300, 150);
    session_breakpoints(argv[1], argv[2]);
    session_watch(argv[1], argv[2]);
    session_no_history(argv[1], argv[2]);
    session_trap(argv[1], argv[5]);
    return wdb_check_summary();
}
