/*
 * The bridge's RSP client (lldb-bridge/session/wb_rsp.c) against a real
 * wdb-run: handshake and features, stop replies, single steps, the Wasm
 * call stack, locals/globals, memory, breakpoints, watchpoints, range
 * stepping, interrupts, exit and kill; and the serial transport
 * (--gdb-tty) over a pseudo-terminal, as a device's UART would carry it.
 * And the reverse execution contract (ReverseStep+/ReverseContinue+, bs,
 * bc, replaylog:begin) against a scripted stub, until wdb-run has it.
 *
 *   test_rsp_client WDB_RUN counter.wasm
 */
#define _GNU_SOURCE
#include "wb_rsp.h"
#include "wdb/rsp.h"
#include "wdb_check.h"
#include "wdbrun_child.h"

#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static uint32_t u32le(const uint8_t *b)
{
    return b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24;
}

static void session_counter(const char *wdb_run, const char *module)
{
    int port = free_port();
    pid_t pid = start_wdb_run(wdb_run, "-g", port, module, NULL, NULL);
    wb_rsp *c = connect_wdb_run(pid, port);
    if (!c) return;
    wb_rsp_set_timeout(c, 5000);
    CHECK_MSG(wb_rsp_handshake(c) == 0, "handshake: %s", wb_rsp_last_error(c));
    const wb_rsp_features *f = wb_rsp_features_of(c);
    CHECK_MSG(f->no_ack && f->vcont && f->vcont_range && f->libraries && f->watchpoints,
              "features: noack=%d vcont=%d r=%d lib=%d watch=%d", f->no_ack, f->vcont,
              f->vcont_range, f->libraries, f->watchpoints);
    CHECK_MSG(!strncmp(f->triple, "wasm32", 6), "triple '%s'", f->triple);

    wb_rsp_stop st;
    CHECK_MSG(wb_rsp_query_stop(c, &st) == 0 && st.kind == WB_STOP_SIGNAL && st.code == 5 &&
                  st.have_pc && (st.pc >> 62) == 1,
              "entry stop: kind %d sig %d pc %llx", st.kind, st.code, (unsigned long long)st.pc);
    uint64_t pcs[16];
    size_t n = 0;
    CHECK_MSG(wb_rsp_call_stack(c, pcs, 16, &n) == 0 && n == 1 && pcs[0] == st.pc,
              "entry call stack: n=%zu", n);

    /* step into $inc: the call stack grows to 2 frames */
    uint64_t inc_pc = 0, last = st.pc;
    for (int i = 0; i < 20 && !inc_pc; i++) {
        CHECK_MSG(wb_rsp_step(c) == 0, "step");
        CHECK_MSG(wb_rsp_wait_stop(c, &st, 5000) == 0 && st.kind == WB_STOP_SIGNAL &&
                      !strcmp(st.reason, "trace") && st.pc != last,
                  "step %d: reason '%s'", i, st.reason);
        last = st.pc;
        if (wb_rsp_call_stack(c, pcs, 16, &n) == 0 && n == 2) inc_pc = st.pc;
    }
    CHECK_MSG(inc_pc != 0, "never entered $inc");
    uint8_t v[16];
    size_t vl;
    CHECK_MSG(wb_rsp_wasm_value(c, "Local", 0, 0, v, sizeof v, &vl) == 0 && vl == 4 &&
                  u32le(v) == 0,
              "x in the first call: len %zu", vl);

    /* a breakpoint at $inc's first instruction: the second call hits it */
    CHECK_MSG(wb_rsp_breakpoint(c, 0, inc_pc, 1, true) == 0, "Z0: %s", wb_rsp_last_error(c));
    CHECK_MSG(wb_rsp_continue(c) == 0, "continue");
    CHECK_MSG(wb_rsp_wait_stop(c, &st, 5000) == 0 && !strcmp(st.reason, "breakpoint") &&
                  st.pc == inc_pc,
              "breakpoint: reason '%s' pc %llx", st.reason, (unsigned long long)st.pc);
    CHECK_MSG(wb_rsp_wasm_value(c, "Local", 0, 0, v, sizeof v, &vl) == 0 && u32le(v) == 1,
              "x == 1");
    CHECK_MSG(wb_rsp_wasm_value(c, "Local", 1, 0, v, sizeof v, &vl) == 0 && u32le(v) == 1,
              "caller's i == 1");
    CHECK_MSG(wb_rsp_wasm_value(c, "Global", 0, 0, v, sizeof v, &vl) == 0 && u32le(v) == 1,
              "g == 1");
    uint8_t mem[4];
    size_t got;
    CHECK_MSG(wb_rsp_read(c, 64, mem, 4, &got) == 0 && got == 4 && u32le(mem) == 1, "mem[64] == 1");
    CHECK_MSG(wb_rsp_read(c, 0x10000 - 2, mem, 4, &got) != 0 && got == 2,
              "read across the end: got %zu", got);
    uint8_t code[4];
    CHECK_MSG(wb_rsp_read(c, 1ull << 62, code, 4, &got) == 0 && !memcmp(code, "\0asm", 4),
              "module bytes at code address 0");
    CHECK_MSG(wb_rsp_write(c, 128, "\x2a\0\0\0", 4) == 0 &&
                  wb_rsp_read(c, 128, mem, 4, &got) == 0 && u32le(mem) == 42,
              "write then read");
    CHECK_MSG(wb_rsp_write(c, 1ull << 62, "\0\0", 2) == -EIO, "writing code is refused");

    /* a watchpoint on the store at 64 */
    CHECK_MSG(wb_rsp_breakpoint(c, 0, inc_pc, 1, false) == 0, "z0");
    CHECK_MSG(wb_rsp_breakpoint(c, 2, 64, 4, true) == 0, "Z2: %s", wb_rsp_last_error(c));
    CHECK_MSG(wb_rsp_continue(c) == 0, "continue");
    CHECK_MSG(wb_rsp_wait_stop(c, &st, 5000) == 0 && !strcmp(st.reason, "watchpoint") &&
                  st.watch_addr == 64,
              "watchpoint: reason '%s' addr %llu", st.reason, (unsigned long long)st.watch_addr);
    CHECK_MSG(wb_rsp_read(c, 64, mem, 4, &got) == 0 && u32le(mem) == 2,
              "mem[64] == 2 after the write");
    CHECK_MSG(wb_rsp_breakpoint(c, 2, 64, 4, false) == 0, "z2");

    /* range step over the rest of $inc: stops when it returns */
    uint64_t here = st.pc;
    CHECK_MSG(wb_rsp_range_step(c, here, here + 0x1000) == 0, "vCont;r");
    CHECK_MSG(wb_rsp_wait_stop(c, &st, 5000) == 0 && !strcmp(st.reason, "trace"),
              "range step stop '%s'", st.reason);
    CHECK_MSG(wb_rsp_call_stack(c, pcs, 16, &n) == 0 && n == 1, "back in _start: %zu frames", n);

    CHECK_MSG(wb_rsp_continue(c) == 0, "continue");
    CHECK_MSG(wb_rsp_wait_stop(c, &st, 5000) == 0 && st.kind == WB_STOP_EXITED && st.code == 7,
              "exit: kind %d code %d", st.kind, st.code);
    wb_rsp_close(c);
    CHECK_MSG(wait_exit(pid, 5000) == 7, "wdb-run's exit status");
}

static void session_spin(const char *wdb_run, const char *module)
{
    int port = free_port();
    pid_t pid = start_wdb_run(wdb_run, "--gdb-listen", port, module, "--invoke=spin", NULL);
    wb_rsp *c = connect_wdb_run(pid, port);
    if (!c) return;
    CHECK_MSG(wb_rsp_handshake(c) == 0, "handshake");
    wb_rsp_stop st;
    /* attaching to a running program stops it */
    CHECK_MSG(wb_rsp_query_stop(c, &st) == 0 && st.kind == WB_STOP_SIGNAL && st.code == 2,
              "attach stop: sig %d", st.code);
    CHECK_MSG(wb_rsp_continue(c) == 0, "continue");
    CHECK_MSG(wb_rsp_wait_stop(c, &st, 200) == -ETIMEDOUT, "still running after 200 ms");
    CHECK_MSG(wb_rsp_interrupt(c) == 0, "interrupt");
    CHECK_MSG(wb_rsp_wait_stop(c, &st, 5000) == 0 && st.code == 2 && !strcmp(st.reason, "signal"),
              "interrupted: sig %d reason '%s'", st.code, st.reason);
    CHECK_MSG(wb_rsp_kill(c) == 0, "kill");
    wb_rsp_close(c);
    int status = wait_exit(pid, 5000);
    CHECK_MSG(status != -1 && status != 0, "wdb-run ended after kill: %d", status);
}

/* The serial transport: wdb-run serves the debugger on the slave side of a
 * pseudo-terminal (--gdb-tty), the client talks on the master side. A
 * breakpoint, a few steps and the exit status go through it. */
static void session_tty(const char *wdb_run, const char *module)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    CHECK_MSG(master >= 0 && grantpt(master) == 0 && unlockpt(master) == 0, "openpt");
    if (master < 0) return;
    struct termios tio;
    if (tcgetattr(master, &tio) == 0) {
        cfmakeraw(&tio);
        tcsetattr(master, TCSANOW, &tio);
    }
    char slave[128], opt[160];
    snprintf(slave, sizeof slave, "%s", ptsname(master));
    snprintf(opt, sizeof opt, "--gdb-tty=%s", slave);
    /* The slave in raw mode before wdb-run opens it: otherwise the line
     * discipline echoes the handshake back at us while wdb-run is still
     * starting (seen under ASan). Kept open until the end so the mode
     * stays. */
    int sfd = open(slave, O_RDWR | O_NOCTTY);
    struct termios stio;
    if (sfd >= 0 && tcgetattr(sfd, &stio) == 0) {
        cfmakeraw(&stio);
        tcsetattr(sfd, TCSANOW, &stio);
    }
    pid_t pid = fork();
    if (pid == 0) {
        close(master);
        if (sfd >= 0) close(sfd);
        execl(wdb_run, wdb_run, opt, "--gdb-baud=115200", module, (char *)NULL);
        _exit(127);
    }
    wb_rsp *c = wb_rsp_from_fd(master);
    CHECK_MSG(c != NULL, "client on the pty");
    if (!c) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        if (sfd >= 0) close(sfd);
        return;
    }
    wb_rsp_set_timeout(c, 5000);
    CHECK_MSG(wb_rsp_handshake(c) == 0, "handshake over the pty: %s", wb_rsp_last_error(c));
    wb_rsp_stop st;
    CHECK_MSG(wb_rsp_query_stop(c, &st) == 0 && st.kind == WB_STOP_SIGNAL && st.code == 5,
              "entry stop over the pty");
    uint64_t first = st.pc;
    for (int i = 0; i < 3; i++) {
        CHECK_MSG(wb_rsp_step(c) == 0 && wb_rsp_wait_stop(c, &st, 5000) == 0 &&
                      !strcmp(st.reason, "trace"),
                  "step %d over the pty", i);
    }
    CHECK_MSG(st.pc != first, "the pc moved");
    uint8_t code[4];
    size_t got;
    CHECK_MSG(wb_rsp_read(c, 1ull << 62, code, 4, &got) == 0 && !memcmp(code, "\0asm", 4),
              "module bytes over the pty");
    CHECK_MSG(wb_rsp_continue(c) == 0, "continue");
    CHECK_MSG(wb_rsp_wait_stop(c, &st, 5000) == 0 && st.kind == WB_STOP_EXITED && st.code == 7,
              "exit over the pty: kind %d code %d", st.kind, st.code);
    wb_rsp_close(c);
    CHECK_MSG(wait_exit(pid, 5000) == 7, "wdb-run's exit status");
    if (sfd >= 0) close(sfd);
}

/* A scripted stub on fd: each element of `script` is "REQUEST=>REPLY";
 * the packet received must be REQUEST (else it answers E99 and exits 1).
 * Acks are off from the start (the client's QStartNoAckMode is scripted). */
static int scripted_stub(int fd, const char *const *script)
{
    uint8_t buf[4096];
    rsp_parser p;
    rsp_parser_init(&p, buf, sizeof buf);
    for (size_t i = 0; script[i];) {
        uint8_t b;
        if (read(fd, &b, 1) != 1) return 1;
        if (rsp_feed(&p, b) != RSP_EV_PACKET) continue;
        const char *arrow = strstr(script[i], "=>");
        bool ok = (size_t)(arrow - script[i]) == p.len && !memcmp(buf, script[i], p.len);
        const char *reply = ok ? arrow + 2 : "E99";
        char out[4200];
        size_t n = rsp_frame(reply, strlen(reply), out, sizeof out);
        if (write(fd, out, n) != (ssize_t)n || !ok) {
            fprintf(stderr, "stub: got '%s', script wants '%s'\n", (char *)buf, script[i]);
            return 1;
        }
        i++;
    }
    return 0;
}

/* The reverse execution contract (docs/PROTOCOL.md; LLDB's lldbreverse.py):
 * the features from qSupported, `bs`/`bc` sent as such, a stop reply with
 * replaylog:begin read as the start of the history; a stub without the
 * features is never sent them. */
static void session_reverse_contract(void)
{
    static const char *const handshake[] = {
        "QStartNoAckMode=>OK",
        "qSupported:xmlRegisters=i386,arm,mips;swbreak+;hwbreak+=>PacketSize=1000;"
        "ReverseStep+;ReverseContinue+",
        "vCont?=>vCont;c;C;s;S",
        "qHostInfo=>",
        "qWatchpointSupportInfo:=>",
        "bs=>T05thread:1;thread-pcs:4000000000000010;reason:trace;",
        "bc=>T05thread:1;thread-pcs:4000000000000008;reason:trace;replaylog:begin;",
        "bc=>T05thread:1;thread-pcs:4000000000000008;replaylog:begin;",
        NULL,
    };
    static const char *const plain[] = {
        "QStartNoAckMode=>OK",
        "qSupported:xmlRegisters=i386,arm,mips;swbreak+;hwbreak+=>PacketSize=1000;ReverseStep+",
        "vCont?=>",
        "qHostInfo=>",
        "qWatchpointSupportInfo:=>",
        "?=>S05",
        NULL,
    };
    for (int round = 0; round < 2; round++) {
        int sv[2];
        if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) {
            perror("socketpair");
            exit(2);
        }
        pid_t pid = fork();
        if (pid == 0) {
            close(sv[0]);
            _exit(scripted_stub(sv[1], round == 0 ? handshake : plain));
        }
        close(sv[1]);
        wb_rsp *c = wb_rsp_from_fd(sv[0]);
        CHECK_MSG(wb_rsp_handshake(c) == 0, "handshake with the scripted stub");
        const wb_rsp_features *f = wb_rsp_features_of(c);
        wb_rsp_stop st;
        if (round == 0) {
            CHECK_MSG(f->reverse_step && f->reverse_continue, "ReverseStep+;ReverseContinue+ read");
            CHECK_MSG(wb_rsp_reverse_step(c) == 0, "bs sent");
            CHECK_MSG(wb_rsp_wait_stop(c, &st, 5000) == 0 && st.have_pc &&
                          st.pc == 0x4000000000000010ull && !strcmp(st.reason, "trace") &&
                          !st.history_begin && !st.history_end,
                      "bs: a step back, not the start of the history");
            CHECK_MSG(wb_rsp_reverse_continue(c) == 0, "bc sent");
            CHECK_MSG(wb_rsp_wait_stop(c, &st, 5000) == 0 && st.history_begin && !st.history_end,
                      "bc: replaylog:begin is the start of the history");
            CHECK_MSG(wb_rsp_reverse_continue(c) == 0 && wb_rsp_wait_stop(c, &st, 5000) == 0 &&
                          st.history_begin && !st.reason[0],
                      "replaylog:begin without a reason");
        } else {
            CHECK_MSG(f->reverse_step && !f->reverse_continue, "only ReverseStep+ offered");
            CHECK_MSG(wb_rsp_reverse_continue(c) == -ENOTSUP, "bc not sent to a stub without it");
            /* the next packet the stub sees is `?`: bc never reached it */
            CHECK_MSG(wb_rsp_query_stop(c, &st) == 0, "the stub saw no bc");
        }
        wb_rsp_close(c);
        int status;
        waitpid(pid, &status, 0);
        CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                  "the stub's script ran as written");
    }
    /* stop replies as parsed */
    wb_rsp_stop st;
    const char *end = "T05thread:1;replaylog:end;";
    CHECK_MSG(wb_rsp_parse_stop(end, strlen(end), &st) == 0 && st.history_end && !st.history_begin,
              "replaylog:end");
    const char *other = "T05thread:1;replaylog:beginning;";
    CHECK_MSG(wb_rsp_parse_stop(other, strlen(other), &st) == 0 && !st.history_end &&
                  !st.history_begin,
              "another replaylog value is neither end");
    const char *bad = "T05replaylog:begin";
    CHECK_MSG(wb_rsp_parse_stop(bad, strlen(bad), &st) == -EPROTO, "a field without its ';'");
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: test_rsp_client WDB_RUN MODULE.wasm\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    session_reverse_contract();
    session_counter(argv[1], argv[2]);
    session_spin(argv[1], argv[2]);
    session_tty(argv[1], argv[2]);
    return wdb_check_summary();
}
