/*
 * wb_session: see wb_session.h. Sections: module, program (launch,
 * attach, stop state), breakpoints (the desired set, synced to the stub
 * before every resume), frames, values, run control.
 */
#define _GNU_SOURCE /* pipe2, accept4-style flags on socketpair */
#include "wb_session.h"

#include "wdb/wasm_ops.h"
#include "wdb/wasmfmt.h"

#include "wb_core.h"
#include "wb_demangle.h"
#include "wb_disasm.h"
#include "wb_loc.h"
#include "wb_sbuf.h"
#include "wdb/coredump.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

enum { MAX_PHYS_FRAMES = 65536, MAX_STEP_ROUNDS = 1000000, POLL_MS = 100 };

typedef struct frame_rec {
    wb_frame pub;
    wb_scope_chain chain; /* scopes at lookup_pc (owned by the first
                             virtual frame of a physical frame) */
    size_t first, count;  /* this frame's part of chain.scopes */
    bool owns_chain;      /* the first frame kept of its physical frame */
} frame_rec;

struct wb_session {
    char *path;
    wb_wasm *wasm;
    wb_dwarf *dwarf;
    char note[320];
    FILE *log;

    wb_rsp *rsp;
    wb_core *core;       /* post-mortem: the state comes from here, not a stub */
    char core_trap[160]; /* the trap a core does not name, inferred */
    pid_t pid;
    pid_t last_pid; /* of the last program started, for messages after it ended */
    char **argv;    /* the arguments of the program we started, argv[0] the
                       module's path as wdb-run got it (gcore's `wdb.args`);
                       argc 0 for a program attached to */
    uint32_t argc;
    uint32_t module_id;
    unsigned serial_baud; /* for attaching to a serial line; 0: as it is */
    wb_proc_state state;
    char missing[160];
    bool warned_no_range;

    wb_bp **bps;
    size_t nbps, capbps;
    int next_bp;
    uint64_t *inserted; /* code offsets with a Z0 in the stub */
    size_t ninserted, capinserted;
    wb_code_off *internal; /* temporary internal breakpoints (finish, ...) */
    size_t ninternal, capinternal;
    /* C++ throws (wb_session_cxx_uncaught): a breakpoint nobody sees at
     * libwdb-cxxabi's __wdb_cxa_throw_hook (throw_hook_state 0: not looked
     * up yet, 1: the program has none, 2: at throw_hook), and where the
     * last objects were thrown (a ring) */
    int throw_hook_state;
    wb_code_off throw_hook;
    struct cxx_throw {
        uint64_t obj;
        char *site; /* "fail at f.cpp:16" */
    } throws[16];
    size_t next_throw;

    /* stop state */
    wb_code_off stop_pc;
    bool stop_pc_valid;
    wb_rsp_stop last_stop; /* as the stub reported it (gcore: why it stopped) */
    bool first_stop;       /* last_stop is the one found on connecting */
    bool frames_valid;
    bool pcs_valid; /* pcs[0..nphys) read at this stop: one qWasmCallStack a stop */
    frame_rec *frames;
    size_t nframes;
    size_t nphys;
    uint64_t *pcs;
    /* Inlined calls that start at the stop's pc and are not shown (gdb's
     * skipped inline frames): frame 0 is their caller, at the call's line,
     * so `next` runs over them and `step` enters them without running. Set
     * once per stop (inline_skip_known), from the innermost out. */
    size_t inline_skip;
    bool inline_skip_known;

    wb_eval *eval;
    struct env_ctx {
        wb_session *s;
        size_t frame;
        bool in_this; /* looking up a member through `this` */
    } env_ctx;
    wb_eval_env env;
    int main_rust; /* the program's main is in Rust: 1, not: 0, unknown: -1 */

    wb_log_fn on_log;
    void *log_user;
    bool (*poll)(void *user);
    void *poll_user;
    bool reverse; /* the resume under way runs backward (bs/bc) */
};

static const wb_eval_env *make_env(wb_session *s, size_t frame);

/* ------------------------------------------------------------- module */

wb_session *wb_session_new(const char *module_path, const char **note, wb_error *err)
{
    *note = NULL;
    wb_session *s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(module_path)) || !(s->eval = wb_eval_new())) {
        wb_fail(err, "out of memory");
        goto fail;
    }
    s->main_rust = -1;
    if (wb_wasm_open_file(module_path, &s->wasm, err) != WB_OK) goto fail;
    wb_error derr;
    const char *what;
    wb_status st = wb_dwarf_open_module(s->wasm, module_path, &s->dwarf, &what, &derr);
    if (st == WB_NOT_FOUND) {
        snprintf(s->note, sizeof s->note,
                 "no debugging symbols found in %s (no DWARF: build with -g); "
                 "function names and addresses only",
                 module_path);
        *note = s->note;
    } else if (st == WB_ERROR) {
        snprintf(s->note, sizeof s->note,
                 "cannot read the %s of %s: %.200s; function names and "
                 "addresses only",
                 what, module_path, derr.msg);
        *note = s->note;
        s->dwarf = NULL;
    }
    if (s->dwarf) {
        /* read the list of units now: damage there is worth saying before
         * the first command runs into it */
        size_t nunits;
        if (wb_dwarf_unit_count(s->dwarf, &nunits, &derr) != WB_OK) {
            snprintf(s->note, sizeof s->note,
                     "cannot read the DWARF of %s: %s; function names "
                     "and addresses only",
                     module_path, derr.msg);
            *note = s->note;
            wb_dwarf_close(s->dwarf);
            s->dwarf = NULL;
        } else if (wb_dwarf_warning(s->dwarf)) {
            snprintf(s->note, sizeof s->note, "warning: the DWARF of %s is damaged: %s",
                     module_path, wb_dwarf_warning(s->dwarf));
            *note = s->note;
        }
    }
    s->next_bp = 1;
    return s;
fail:
    wb_session_free(s);
    return NULL;
}

wb_status wb_session_read_source(wb_session *s, const char *path, char **text, size_t *len,
                                 wb_error *err)
{
    wb_status st = wb_read_text(path, text, len, err);
    if (st == WB_OK) return st;
    /* not on this machine: the text the debugging information embeds */
    const char *emb = s ? wb_dwarf_source_text(s->dwarf, path) : NULL;
    if (!emb || strstr(err->msg, ": not a regular file") || strstr(err->msg, ": too large ("))
        return st;
    if (!(*text = strdup(emb))) return wb_fail(err, "out of memory");
    *len = strlen(emb);
    return WB_OK;
}

static void bp_free(wb_bp *b)
{
    if (!b) return;
    free(b->spec);
    free(b->condition);
    free(b->locs);
    free(b->log_message);
    wb_value_free(&b->old_value);
    free(b);
}

static void frames_clear(wb_session *s)
{
    for (size_t i = 0; i < s->nframes; i++)
        if (s->frames[i].owns_chain) wb_scope_chain_free(&s->frames[i].chain);
    free(s->frames);
    s->frames = NULL;
    s->nframes = s->nphys = 0;
    s->frames_valid = false;
    s->pcs_valid = false;
}

static void reap(wb_session *s)
{
    if (s->pid <= 0) return;
    int status;
    for (int i = 0; i < 200; i++) {
        pid_t r = waitpid(s->pid, &status, WNOHANG);
        if (r == s->pid || (r < 0 && errno == ECHILD)) {
            s->pid = 0;
            return;
        }
        usleep(10000);
    }
    kill(s->pid, SIGKILL);
    waitpid(s->pid, &status, 0);
    s->pid = 0;
}

static void disconnect(wb_session *s)
{
    wb_rsp_close(s->rsp);
    s->rsp = NULL;
    s->state = WB_PROC_NONE;
    s->ninserted = 0;
    frames_clear(s);
    reap(s);
}

/* The program's arguments as it sees them (argv[0] first), kept for gcore;
 * (NULL, 0) forgets them. */
static void set_argv(wb_session *s, const char *const *argv, uint32_t argc)
{
    for (uint32_t i = 0; i < s->argc; i++)
        free(s->argv[i]);
    free(s->argv);
    s->argv = NULL;
    s->argc = 0;
    if (!argc || !(s->argv = calloc(argc, sizeof *s->argv))) return;
    for (; s->argc < argc; s->argc++)
        if (!(s->argv[s->argc] = strdup(argv[s->argc]))) break;
}

void wb_session_free(wb_session *s)
{
    if (!s) return;
    wb_error e;
    if (s->rsp && s->pid > 0) {
        wb_session_kill(s, &e);
    } else if (s->rsp) {
        /* a program we attached to (a device) is detached, as gdb does
         * at quit: its breakpoints go and it runs on. A serial line
         * cannot tell the stub we left, so closing is not enough. */
        wb_session_detach(s, &e);
    }
    disconnect(s);
    wb_core_close(s->core);
    for (size_t i = 0; i < s->nbps; i++)
        bp_free(s->bps[i]);
    free(s->bps);
    free(s->inserted);
    free(s->internal);
    for (size_t i = 0; i < sizeof s->throws / sizeof s->throws[0]; i++)
        free(s->throws[i].site);
    free(s->pcs);
    set_argv(s, NULL, 0);
    wb_eval_free(s->eval);
    wb_dwarf_close(s->dwarf);
    wb_wasm_close(s->wasm);
    free(s->path);
    free(s);
}

const wb_wasm *wb_session_wasm(const wb_session *s)
{
    return s->wasm;
}
wb_dwarf *wb_session_dwarf(const wb_session *s)
{
    return s->dwarf;
}
const char *wb_session_module_path(const wb_session *s)
{
    return s->path;
}
void wb_session_set_log(wb_session *s, FILE *log)
{
    s->log = log;
}
wb_proc_state wb_session_state(const wb_session *s)
{
    return s->state;
}
pid_t wb_session_pid(const wb_session *s)
{
    return s->pid ? s->pid : s->last_pid;
}
void wb_session_on_log(wb_session *s, wb_log_fn fn, void *user)
{
    s->on_log = fn;
    s->log_user = user;
}
void wb_session_set_poll(wb_session *s, bool (*poll)(void *user), void *user)
{
    s->poll = poll;
    s->poll_user = user;
}

const char *wb_session_missing_features(const wb_session *s)
{
    return s->missing[0] ? s->missing : NULL;
}

/* ------------------------------------------------------------ addresses */

/* Code offsets <-> RSP addresses: file offsets through wb_wasm, the
 * encoding through wdb/wasm_rsp.h (the two conversion points). */
static uint64_t code_addr(const wb_session *s, wb_code_off off)
{
    return wrsp_addr_code(s->module_id, wb_wasm_code_to_file(s->wasm, off).off);
}

static bool code_off_of(const wb_session *s, uint64_t a, wb_code_off *out)
{
    if (wrsp_addr_space(a) != WRSP_SPACE_CODE) return false;
    return wb_wasm_file_to_code(s->wasm, (wb_file_off){wrsp_addr_offset(a)}, out) == WB_OK;
}

static uint64_t mem_addr(const wb_session *s, uint64_t addr)
{
    return wrsp_addr_memory(s->module_id, (uint32_t)addr);
}

/* -------------------------------------------------------------- program */

static wb_status rsp_fail(wb_session *s, wb_error *err, int rc, const char *what)
{
    const char *detail = s->rsp ? wb_rsp_last_error(s->rsp) : "";
    if (rc == -ECONNRESET || rc == -EPIPE)
        return wb_fail(err, "%s: the connection to the stub was lost", what);
    if (rc == -ETIMEDOUT) return wb_fail(err, "%s: the stub did not answer in time", what);
    if (detail && *detail) return wb_fail(err, "%s: %s", what, detail);
    return wb_fail(err, "%s: %s", what, strerror(-rc));
}

/* Reads the stop the stub reports for the first time and notes what the
 * stub lacks. */
static wb_status after_connect(wb_session *s, wb_error *err)
{
    const wb_rsp_features *f = wb_rsp_features_of(s->rsp);
    s->missing[0] = 0;
    if (!f->vcont)
        snprintf(s->missing, sizeof s->missing,
                 "vCont (plain c and s are used; source steps "
                 "are single instruction steps)");
    else if (!f->vcont_range)
        snprintf(s->missing, sizeof s->missing,
                 "range stepping (vCont;r: source steps use "
                 "single instruction steps)");
    if (!f->watchpoints)
        snprintf(s->missing + strlen(s->missing), sizeof s->missing - strlen(s->missing),
                 "%swatchpoints", s->missing[0] ? ", " : "");
    wb_rsp_stop st;
    int rc = wb_rsp_query_stop(s->rsp, &st);
    if (rc < 0) return rsp_fail(s, err, rc, "reading the program's state");
    if (st.kind != WB_STOP_SIGNAL) {
        disconnect(s);
        return wb_fail(err, "the program has already ended");
    }
    if (st.have_pc && wrsp_addr_space(st.pc) != WRSP_SPACE_INVALID)
        s->module_id = wrsp_addr_module(st.pc);
    s->state = WB_PROC_STOPPED;
    s->stop_pc_valid = st.have_pc && code_off_of(s, st.pc, &s->stop_pc);
    s->last_stop = st;
    s->first_stop = true;
    frames_clear(s);
    s->inline_skip_known = false;
    return WB_OK;
}

static const char *find_runtime(char *buf, size_t cap)
{
    const char *env = getenv("WDB_RUN");
    if (env && *env) return env;
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) {
        self[n] = 0;
        char *slash = strrchr(self, '/');
        if (slash) {
            *slash = 0;
            snprintf(buf, cap, "%s/wdb-run", self);
            if (access(buf, X_OK) == 0) return buf;
        }
    }
    return "wdb-run"; /* from PATH */
}

/* ------------------------------------------------------------ core files */

static wb_status load_pcs(wb_session *s, wb_error *err);

static void infer_core_trap(wb_session *s);

wb_status wb_session_open_core(wb_session *s, const char *core_path, wb_error *warning,
                               wb_error *err)
{
    if (warning) warning->msg[0] = 0;
    if (s->rsp) return wb_fail(err, "a program is being debugged: kill or detach it first");
    wb_core *c;
    if (wb_core_open_file(core_path, &c, err) != WB_OK) return WB_ERROR;
    size_t size;
    const uint8_t *bytes = wb_wasm_bytes(s->wasm, &size);
    wb_error check;
    wb_status st = wb_core_check_module(c, bytes, size, s->path, &check);
    if (st == WB_ERROR) {
        wb_core_close(c);
        return wb_fail(err, "%s: %s", core_path, check.msg);
    }
    if (st == WB_NOT_FOUND && warning) *warning = check;
    if (wb_core_thread_count(c) == 0 || wb_core_frame_count(c, 0) == 0) {
        wb_core_close(c);
        return wb_fail(err, "%s: the core file has no stack frames", core_path);
    }
    wb_core_close(s->core);
    s->core = c;
    s->state = WB_PROC_STOPPED;
    frames_clear(s);
    s->inline_skip_known = false;
    s->stop_pc_valid = false;
    wb_error e;
    if (load_pcs(s, &e) == WB_OK && s->nphys) {
        s->stop_pc_valid = code_off_of(s, s->pcs[0], &s->stop_pc);
    }
    infer_core_trap(s);
    return WB_OK;
}

bool wb_session_is_core(const wb_session *s)
{
    return s->core != NULL;
}
/* What instruction `op` can trap with, in the runtime's words ("integer
 * divide by zero or integer overflow"), into buf; false when it cannot trap
 * (or is not known). */
static bool traps_of(const wf_op *op, char *buf, size_t cap)
{
    static const char *const messages[] = {NULL,
#define TRAP_MESSAGE(ID, name, message, label) message,
                                           WASM_TRAPS(TRAP_MESSAGE)
#undef TRAP_MESSAGE
    };
    size_t len = 0;
    buf[0] = 0;
    for (size_t k = 1; op && k < sizeof messages / sizeof messages[0]; k++) {
        if (!(op->traps & (1u << k))) continue;
        int n = snprintf(buf + len, cap - len, "%s%s", len ? " or " : "", messages[k]);
        if (n < 0 || (size_t)n >= cap - len) break;
        len += (size_t)n;
    }
    return len > 0;
}

/* A core from another runtime need not say which trap it was (the
 * tool-conventions format has no place for it): s->core_trap gets what the
 * innermost frame's instruction (at s->stop_pc) can trap with. */
static void infer_core_trap(wb_session *s)
{
    const wb_func *f;
    s->core_trap[0] = 0;
    if (wb_core_trap_message(s->core) || !s->stop_pc_valid ||
        wb_wasm_func_at(s->wasm, s->stop_pc, &f) != WB_OK)
        return;
    wb_insn *ins = NULL;
    size_t n = 0;
    wb_error e;
    wb_disasm_func(s->wasm, wb_wasm_code(s->wasm), wb_wasm_code_size(s->wasm), f, &ins, &n, &e);
    for (size_t i = 0; i < n; i++) {
        if (ins[i].off != s->stop_pc) continue;
        char what[160];
        bool traps = traps_of(ins[i].op, what, sizeof what);
        char op[48];
        snprintf(op, sizeof op, "%.*s", (int)strcspn(ins[i].text, " "), ins[i].text);
        if (traps)
            snprintf(s->core_trap, sizeof s->core_trap, "%s (the core does not say; at %s)", what,
                     op);
        else
            snprintf(s->core_trap, sizeof s->core_trap, "not named by the core (at %s)", op);
        break;
    }
    free(ins);
}

const char *wb_session_core_trap(const wb_session *s)
{
    if (!s->core) return NULL;
    const char *named;
    uint32_t kind;
    if (wb_core_trap(s->core, &named, &kind))
        return kind == WCD_TRAP_NONE ? NULL : named; /* NONE: a gcore of a stop */
    return s->core_trap[0] ? s->core_trap : NULL;
}

const char *wb_session_core_stop(const wb_session *s)
{
    const char *msg;
    uint32_t kind;
    if (!s->core || !wb_core_trap(s->core, &msg, &kind) || kind != WCD_TRAP_NONE) return NULL;
    return msg;
}

const char *wb_session_core_command(const wb_session *s)
{
    if (!s->core) return NULL;
    const char *cmd = wb_core_command(s->core);
    return cmd ? cmd : wb_core_executable(s->core);
}

wb_status wb_session_launch(wb_session *s, const wb_launch *l, wb_error *err)
{
    if (s->rsp) return wb_fail(err, "the program is already running (kill it first)");
    if (s->core) {
        /* running the program replaces the core's state, as in gdb */
        wb_core_close(s->core);
        s->core = NULL;
        s->state = WB_PROC_NONE;
        frames_clear(s);
    }
    char found[PATH_MAX + 16];
    const char *runtime = l->runtime ? l->runtime : find_runtime(found, sizeof found);
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return wb_fail(err, "socketpair: %s", strerror(errno));
    size_t nargs = 0, nrt = 0;
    while (l->args && l->args[nargs])
        nargs++;
    while (l->runtime_args && l->runtime_args[nrt])
        nrt++;
    const char **argv = calloc(nargs + nrt + 6, sizeof *argv);
    int errpipe[2] = {-1, -1};
    if (!argv || pipe2(errpipe, O_CLOEXEC) != 0) {
        free(argv);
        close(sv[0]);
        close(sv[1]);
        return wb_fail(err, "out of resources starting %s", runtime);
    }
    size_t k = 0;
    argv[k++] = runtime;
    argv[k++] = "--gdb-fd=3";
    for (size_t i = 0; i < nrt; i++)
        argv[k++] = l->runtime_args[i];
    argv[k++] = s->path;
    for (size_t i = 0; i < nargs; i++)
        argv[k++] = l->args[i];
    argv[k] = NULL;
    set_argv(s, argv + 2 + nrt, (uint32_t)(nargs + 1));
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        /* child: the socket becomes fd 3 (without CLOEXEC), output as asked.
         * Ctrl-C at the terminal is the debugger's (it interrupts the
         * program through the stub), so the runtime ignores SIGINT. */
        signal(SIGINT, SIG_IGN);
        if (l->stdout_fd >= 0) dup2(l->stdout_fd, 1);
        if (l->stderr_fd >= 0) dup2(l->stderr_fd, 2);
        if (dup2(sv[1], 3) < 0) _exit(127);
        /* the error pipe carries {stage, errno}: 0 = chdir, 1 = exec, so a
         * missing working directory is not reported as a missing runtime */
        if (l->cwd && chdir(l->cwd) != 0) {
            int e[2] = {0, errno};
            (void)!write(errpipe[1], e, sizeof e);
            _exit(127);
        }
        execvp(runtime, (char *const *)argv);
        int e[2] = {1, errno};
        (void)!write(errpipe[1], e, sizeof e);
        _exit(127);
    }
    free(argv);
    close(sv[1]);
    close(errpipe[1]);
    if (pid < 0) {
        close(sv[0]);
        close(errpipe[0]);
        return wb_fail(err, "fork: %s", strerror(errno));
    }
    int child[2] = {0, 0};
    ssize_t got = read(errpipe[0], child, sizeof child);
    close(errpipe[0]);
    s->pid = s->last_pid = pid;
    if (got == (ssize_t)sizeof child) {
        int child_errno = child[1];
        close(sv[0]);
        reap(s);
        if (child[0] == 0)
            return wb_fail(err, "cannot use the working directory %s: %s", l->cwd,
                           strerror(child_errno));
        if (l->cwd && child_errno != ENOENT)
            return wb_fail(err, "cannot start %s in %s: %s", runtime, l->cwd,
                           strerror(child_errno));
        return wb_fail(err,
                       "cannot start the runtime %s: %s (set WDB_RUN or put wdb-run on "
                       "PATH)",
                       runtime, strerror(child_errno));
    }
    s->rsp = wb_rsp_from_fd(sv[0]);
    if (!s->rsp) {
        close(sv[0]);
        reap(s);
        return wb_fail(err, "out of memory");
    }
    wb_rsp_set_log(s->rsp, s->log);
    int rc = wb_rsp_handshake(s->rsp);
    if (rc < 0) {
        wb_status r = rsp_fail(s, err, rc, "starting the program");
        disconnect(s);
        return r;
    }
    return after_connect(s, err);
}

void wb_session_set_serial_baud(wb_session *s, unsigned baud)
{
    s->serial_baud = baud;
}

wb_status wb_session_attach(wb_session *s, const char *host_port, wb_error *err)
{
    if (s->rsp) return wb_fail(err, "already debugging a program (detach or kill it first)");
    s->last_pid = 0;
    set_argv(s, NULL, 0); /* what the stub runs, it does not say */
    /* a path is a serial line (a device's UART, a USB adapter) */
    if (host_port[0] == '/')
        s->rsp = wb_rsp_open_serial(host_port, s->serial_baud, err);
    else
        s->rsp = wb_rsp_connect(host_port, 3000, err);
    if (!s->rsp) return WB_ERROR;
    wb_rsp_set_log(s->rsp, s->log);
    int rc = wb_rsp_handshake(s->rsp);
    if (rc < 0) {
        wb_status r = rsp_fail(s, err, rc, host_port);
        disconnect(s);
        return r;
    }
    /* a --gdb-listen stub lets the program run: stop it */
    wb_rsp_stop st;
    rc = wb_rsp_query_stop(s->rsp, &st);
    if (rc == 0 && st.kind == WB_STOP_SIGNAL && !st.have_pc) {
        wb_rsp_interrupt(s->rsp);
        wb_rsp_wait_stop(s->rsp, &st, 5000);
    }
    return after_connect(s, err);
}

wb_status wb_session_detach(wb_session *s, wb_error *err)
{
    if (!s->rsp) return wb_fail(err, "The program is not being run.");
    /* remove our breakpoints so the program runs on unhindered */
    for (size_t i = 0; i < s->ninserted; i++)
        wb_rsp_breakpoint(s->rsp, 0, code_addr(s, (wb_code_off)s->inserted[i]), 1, false);
    for (size_t i = 0; i < s->nbps; i++)
        if (s->bps[i]->type != WB_BP_BREAK && s->bps[i]->watch_len)
            wb_rsp_breakpoint(s->rsp, (int)s->bps[i]->type + 1, mem_addr(s, s->bps[i]->watch_addr),
                              s->bps[i]->watch_len, false);
    int rc = wb_rsp_detach(s->rsp);
    pid_t pid = s->pid;
    s->pid = 0; /* a detached program is not ours to reap or kill */
    s->last_pid = pid;
    disconnect(s);
    if (pid > 0) waitpid(pid, NULL, WNOHANG);
    if (rc < 0) return wb_fail(err, "detach: the stub did not confirm");
    return WB_OK;
}

wb_status wb_session_kill(wb_session *s, wb_error *err)
{
    if (!s->rsp) return wb_fail(err, "The program is not being run.");
    wb_rsp_kill(s->rsp);
    if (s->pid > 0) kill(s->pid, SIGKILL);
    disconnect(s);
    return WB_OK;
}

/* --------------------------------------------------------- breakpoints */

static bool bp_push(wb_session *s, wb_bp *b)
{
    if (!wb_grow((void **)&s->bps, &s->capbps, s->nbps + 1, sizeof *s->bps)) return false;
    s->bps[s->nbps++] = b;
    return true;
}

static bool addr_push(uint64_t **v, size_t *n, size_t *cap, uint64_t a)
{
    if (!wb_grow((void **)v, cap, *n + 1, sizeof **v)) return false;
    (*v)[(*n)++] = a;
    return true;
}

static bool internal_push(wb_session *s, wb_code_off a)
{
    if (!wb_grow((void **)&s->internal, &s->capinternal, s->ninternal + 1, sizeof *s->internal))
        return false;
    s->internal[s->ninternal++] = a;
    return true;
}

static const char *func_display_name(wb_session *s, wb_code_off pc, const wb_scope *fn)
{
    if (fn) return fn->qualified_name ? fn->qualified_name : fn->name ? fn->name : "??";
    const wb_func *f;
    if (wb_wasm_func_at(s->wasm, pc, &f) == WB_OK && f->name) return f->name;
    return "??";
}

static void fill_loc(wb_session *s, wb_bp_loc *l, wb_code_off addr)
{
    l->addr = addr;
    l->file = NULL;
    l->line = 0;
    l->function = NULL;
    wb_error e;
    const wb_scope *fn = NULL;
    if (s->dwarf) {
        wb_line row;
        if (wb_dwarf_line_at(s->dwarf, addr, &row, &e) == WB_OK && row.line) {
            l->file = row.file;
            l->line = row.line;
        }
        /* the innermost function, inlined or not, as gdb names locations */
        wb_scope_chain chain;
        if (wb_dwarf_scopes_at(s->dwarf, addr, &chain, &e) == WB_OK) {
            for (size_t i = 0; i < chain.count && !fn; i++)
                if (chain.scopes[i]->kind != WB_SCOPE_BLOCK) fn = chain.scopes[i];
            wb_scope_chain_free(&chain);
        }
    }
    l->function = func_display_name(s, addr, fn);
}

/* Parses "*ADDR": hex with 0x, else decimal. */
static bool parse_addr(const char *p, wb_code_off *out)
{
    while (*p == ' ')
        p++;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(p, &end, 0);
    if (end == p || errno || v > UINT32_MAX) return false;
    while (*end == ' ')
        end++;
    if (*end) return false;
    *out = (wb_code_off)v;
    return true;
}

/* Where an inlined call starts running: its entry, or its function's
 * first instruction when the entry lies before it (clang starts a call
 * inlined at the top of its caller's body with the body, at the local
 * declarations). */
static wb_code_off inline_entry(const wb_session *s, wb_code_off entry)
{
    const wb_func *f;
    wb_code_off first;
    wb_error e;
    if (wb_wasm_func_at(s->wasm, entry, &f) == WB_OK &&
        wb_disasm_first_insn(wb_wasm_code(s->wasm), wb_wasm_code_size(s->wasm), f, &first, &e) ==
            WB_OK &&
        entry < first)
        return first;
    return entry;
}

/* A function by name without DWARF: the name section. The breakpoint goes
 * to the body's start; the stub moves it to the first instruction. */
static bool function_by_symbol(wb_session *s, const char *name, wb_code_off *out)
{
    const wb_func *f = wb_wasm_func_named(s->wasm, name);
    if (f) *out = f->start;
    return f != NULL;
}

/* Whether a line table names `file` (full path, path suffix or base
 * name, as breakpoints match files). */
static bool source_known(wb_session *s, const char *file)
{
    const char **paths;
    size_t n;
    wb_error e;
    if (wb_dwarf_source_files_named(s->dwarf, file, &paths, &n, &e) != WB_OK) return false;
    free(paths);
    return true;
}

const char *wb_location_file_colon(const char *spec)
{
    for (const char *p = strchr(spec, ':'); p; p = strchr(p, ':')) {
        if (p[1] == ':') {
            p += 2;
            continue;
        }
        return p > spec && p[1] ? p : NULL;
    }
    return NULL;
}

/* FILE:FUNCTION: the entries of the functions called FUNCTION (plain,
 * qualified or linkage name) declared in the files FILE names, as gdb's
 * linespecs restrict a function to a file. */
static wb_status function_in_file(wb_session *s, const char *file, const char *func,
                                  wb_code_off **addrs, size_t *n, wb_error *err)
{
    const char **paths = NULL;
    size_t np = 0, cap = 0;
    const wb_symbol *syms;
    size_t ns;
    wb_status st =
        s->dwarf ? wb_dwarf_source_files_named(s->dwarf, file, &paths, &np, err) : WB_NOT_FOUND;
    if (st == WB_NOT_FOUND) wb_fail(err, "No source file named %s.", file);
    if (st != WB_OK) return st;
    if ((st = wb_dwarf_symbols(s->dwarf, WB_SYM_FUNCTION, &syms, &ns, err)) != WB_OK) {
        free(paths);
        return st;
    }
    for (size_t i = 0; i < ns && st == WB_OK; i++) {
        const wb_scope *fn = syms[i].fn;
        bool named = wb_scope_named(fn, func);
        bool here = false;
        for (size_t k = 0; k < np && named && !here; k++)
            here = strcmp(paths[k], syms[i].file) == 0;
        if (!here) continue;
        if (!wb_grow((void **)addrs, &cap, *n + 1, sizeof **addrs)) {
            st = wb_fail(err, "out of memory");
            break;
        }
        st = wb_dwarf_skip_prologue(s->dwarf, fn, &(*addrs)[*n], err);
        if (st == WB_OK) (*n)++;
    }
    free(paths);
    if (st == WB_OK && *n == 0) {
        wb_fail(err, "Function \"%s\" not defined in \"%s\".", func, file);
        st = WB_NOT_FOUND;
    }
    if (st != WB_OK) {
        free(*addrs);
        *addrs = NULL;
        *n = 0;
    }
    return st;
}

/* Whether instruction `in` is the one with opcode `code`. */
static bool insn_is(const wb_insn *in, uint8_t code)
{
    return in->op && in->op == wf_op_info(code);
}

/* A line's site that is only the structure opening a loop (`block`,
 * `loop`, no code: `while (c) {` at -O0 has its one statement row on the
 * `block` before the `loop`) is passed once per call, since the back branch
 * goes to the loop's first instruction. gdb stops at a loop's line on every
 * iteration (native loops start the line at the loop head), so the site
 * moves to the first instruction after the last `loop` of that run, which
 * every iteration passes. A site with code before the loop (`for (i = 0;
 * ...)`) stays: gdb stops there once per call too. */
wb_code_off wb_session_loop_head_site(wb_session *s, wb_code_off addr)
{
    const wb_func *f;
    if (wb_wasm_func_at(s->wasm, addr, &f) != WB_OK) return addr;
    wb_insn *ins = NULL;
    size_t n = 0;
    wb_error e;
    wb_disasm_func(s->wasm, wb_wasm_code(s->wasm), wb_wasm_code_size(s->wasm), f, &ins, &n, &e);
    wb_code_off r = addr;
    size_t i = 0;
    while (i < n && ins[i].off < addr)
        i++;
    for (; i + 1 < n && ins[i].off >= addr; i++) {
        if (insn_is(&ins[i], WASM_OP_loop))
            r = ins[i + 1].off;
        else if (!insn_is(&ins[i], WASM_OP_block) && !insn_is(&ins[i], WASM_OP_nop))
            break;
    }
    free(ins);
    return r;
}

/* Resolves a location spec to code offsets. */
static wb_status resolve_spec(wb_session *s, const char *spec, const char *default_file,
                              wb_code_off **addrs, uint32_t **lines, size_t *n, wb_error *err)
{
    *addrs = NULL;
    if (lines) *lines = NULL;
    *n = 0;
    while (*spec == ' ')
        spec++;
    if (!*spec) return wb_fail(err, "no location given");
    wb_code_off a;
    if (spec[0] == '*') {
        if (!parse_addr(spec + 1, &a)) return wb_fail(err, "bad address '%s'", spec + 1);
        if (!(*addrs = malloc(sizeof **addrs))) return wb_fail(err, "out of memory");
        (*addrs)[0] = a;
        *n = 1;
        return WB_OK;
    }
    const char *colon = strrchr(spec, ':');
    const char *file = NULL;
    char *filebuf = NULL;
    unsigned long line = 0;
    char *end;
    bool all_digits = strspn(spec, "0123456789") == strlen(spec);
    if (all_digits) {
        if (!default_file) return wb_fail(err, "No default source file: give FILE:LINE");
        file = default_file;
        line = strtoul(spec, &end, 10);
    } else if (colon && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1) &&
               colon > spec && colon[-1] != ':') {
        filebuf = strndup(spec, (size_t)(colon - spec));
        if (!filebuf) return wb_fail(err, "out of memory");
        file = filebuf;
        line = strtoul(colon + 1, &end, 10);
    }
    if (file) {
        wb_status st = WB_NOT_FOUND;
        if (!s->dwarf) {
            free(filebuf);
            return wb_fail(err, "No line information: the module has no DWARF (use a function "
                                "name or *ADDR)");
        }
        wb_line_sites sites;
        if (line == 0 || line > UINT32_MAX) {
            free(filebuf);
            return wb_fail(err, "bad line number in '%s'", spec);
        }
        st = wb_dwarf_line_sites(s->dwarf, file, (uint32_t)line, &sites, err);
        if (st == WB_NOT_FOUND) {
            /* a unit skipped for its damage may be the one asked for (said
             * here unless the warning at load said it already) */
            const char *damage = wb_dwarf_warning(s->dwarf);
            char why[300] = "";
            if (damage && !strstr(s->note, damage))
                snprintf(why, sizeof why, " (damaged DWARF was skipped: %s)", damage);
            if (source_known(s, file))
                wb_fail(err, "No line %lu in file \"%s\".%s", line, file, why);
            else
                wb_fail(err, "No source file named %s.%s", file, why);
        }
        free(filebuf);
        if (st != WB_OK) return st == WB_NOT_FOUND ? WB_NOT_FOUND : WB_ERROR;
        *addrs = malloc((sites.count ? sites.count : 1) * sizeof **addrs);
        if (!*addrs) {
            wb_line_sites_free(&sites);
            return wb_fail(err, "out of memory");
        }
        /* the line each site is for (a site inside inlined code has
         * another line in the table: gdb announces the line asked for) */
        if (lines && !(*lines = malloc((sites.count ? sites.count : 1) * sizeof **lines))) {
            free(*addrs);
            *addrs = NULL;
            wb_line_sites_free(&sites);
            return wb_fail(err, "out of memory");
        }
        for (size_t i = 0; i < sites.count; i++) {
            (*addrs)[i] = wb_session_loop_head_site(s, sites.sites[i].addr);
            if (lines) (*lines)[i] = sites.sites[i].line;
        }
        *n = sites.count;
        wb_line_sites_free(&sites);
        return *n ? WB_OK : WB_NOT_FOUND;
    }
    const char *fc = wb_location_file_colon(spec);
    if (fc) {
        char *fname = strndup(spec, (size_t)(fc - spec));
        if (!fname) return wb_fail(err, "out of memory");
        wb_status st = function_in_file(s, fname, fc + 1, addrs, n, err);
        free(fname);
        return st;
    }
    /* a function */
    if (s->dwarf) {
        const wb_scope *fn;
        wb_error derr;
        wb_status st = wb_dwarf_function_named(s->dwarf, spec, &fn, &a, &derr);
        /* damaged DWARF: the name section still knows the function */
        if (st == WB_ERROR && !function_by_symbol(s, spec, &a)) {
            wb_fail(err, "%s", derr.msg);
            return WB_ERROR;
        }
        if (st != WB_NOT_FOUND) {
            if (!(*addrs = malloc(sizeof **addrs))) return wb_fail(err, "out of memory");
            (*addrs)[0] = a;
            *n = 1;
            return WB_OK;
        }
    }
    if (s->dwarf) {
        /* a function that only exists inlined: a location per copy */
        wb_error derr;
        if (wb_dwarf_inlined_named(s->dwarf, spec, addrs, n, &derr) == WB_OK) {
            for (size_t i = 0; i < *n; i++)
                (*addrs)[i] = inline_entry(s, (*addrs)[i]);
            return WB_OK;
        }
    }
    if (function_by_symbol(s, spec, &a)) {
        if (!(*addrs = malloc(sizeof **addrs))) return wb_fail(err, "out of memory");
        (*addrs)[0] = a;
        *n = 1;
        return WB_OK;
    }
    wb_fail(err, "Function \"%s\" not defined.", spec);
    return WB_NOT_FOUND;
}

/* The number of a breakpoint or watchpoint being made; it is also gdb's
 * $bpnum, which saved breakpoints (`save breakpoints`) name. */
static int new_bp_number(wb_session *s)
{
    wb_eval_set_int(s->eval, "bpnum", s->next_bp);
    return s->next_bp++;
}

wb_status wb_session_break(wb_session *s, const char *spec, const char *default_file,
                           bool temporary, const wb_bp **out, wb_error *err)
{
    wb_code_off *addrs;
    uint32_t *lines;
    size_t n;
    WB_TRY(resolve_spec(s, spec, default_file, &addrs, &lines, &n, err));
    wb_bp *b = calloc(1, sizeof *b);
    if (!b || !(b->spec = strdup(spec)) || !(b->locs = calloc(n, sizeof *b->locs)) ||
        !bp_push(s, b)) {
        if (b) bp_free(b);
        free(addrs);
        free(lines);
        return wb_fail(err, "out of memory");
    }
    b->number = new_bp_number(s);
    b->type = WB_BP_BREAK;
    b->temporary = temporary;
    b->enabled = true;
    b->nlocs = n;
    for (size_t i = 0; i < n; i++) {
        fill_loc(s, &b->locs[i], addrs[i]);
        if (lines && lines[i]) b->locs[i].line = lines[i];
    }
    free(addrs);
    free(lines);
    *out = b;
    return WB_OK;
}

wb_status wb_session_resolve(wb_session *s, const char *spec, const char *default_file,
                             wb_bp_loc **locs, size_t *n, wb_error *err)
{
    wb_code_off *addrs;
    uint32_t *lines;
    *locs = NULL;
    WB_TRY(resolve_spec(s, spec, default_file, &addrs, &lines, n, err));
    if (!(*locs = calloc(*n ? *n : 1, sizeof **locs))) {
        free(addrs);
        free(lines);
        return wb_fail(err, "out of memory");
    }
    for (size_t i = 0; i < *n; i++) {
        fill_loc(s, &(*locs)[i], addrs[i]);
        if (lines && lines[i]) (*locs)[i].line = lines[i];
    }
    free(addrs);
    free(lines);
    return WB_OK;
}

static size_t bp_index(const wb_session *s, int number)
{
    for (size_t i = 0; i < s->nbps; i++)
        if (s->bps[i]->number == number) return i;
    return SIZE_MAX;
}

static int watch_type(wb_bp_type t)
{
    return t == WB_BP_WATCH ? 2 : t == WB_BP_RWATCH ? 3 : 4;
}

static void watch_remove(wb_session *s, wb_bp *b)
{
    if (b->type != WB_BP_BREAK && s->rsp && b->watch_len)
        wb_rsp_breakpoint(s->rsp, watch_type(b->type), mem_addr(s, b->watch_addr), b->watch_len,
                          false);
}

wb_status wb_session_delete(wb_session *s, int number, wb_error *err)
{
    size_t i = bp_index(s, number);
    if (i == SIZE_MAX) return wb_fail(err, "No breakpoint number %d.", number);
    watch_remove(s, s->bps[i]);
    bp_free(s->bps[i]);
    memmove(&s->bps[i], &s->bps[i + 1], (s->nbps - i - 1) * sizeof *s->bps);
    s->nbps--;
    return WB_OK;
}

wb_status wb_session_enable(wb_session *s, int number, bool on, wb_error *err)
{
    size_t i = bp_index(s, number);
    if (i == SIZE_MAX) return wb_fail(err, "No breakpoint number %d.", number);
    wb_bp *b = s->bps[i];
    if (b->type != WB_BP_BREAK && b->enabled != on && s->rsp && b->watch_len) {
        int rc = wb_rsp_breakpoint(s->rsp, watch_type(b->type), mem_addr(s, b->watch_addr),
                                   b->watch_len, on);
        if (rc < 0) return rsp_fail(s, err, rc, "watchpoint");
    }
    b->enabled = on;
    return WB_OK;
}

wb_status wb_session_condition(wb_session *s, int number, const char *cond, wb_error *err)
{
    size_t i = bp_index(s, number);
    if (i == SIZE_MAX) return wb_fail(err, "No breakpoint number %d.", number);
    char *c = NULL;
    if (cond && *cond && !(c = strdup(cond))) return wb_fail(err, "out of memory");
    free(s->bps[i]->condition);
    s->bps[i]->condition = c;
    return WB_OK;
}

wb_status wb_session_ignore(wb_session *s, int number, unsigned count, wb_error *err)
{
    size_t i = bp_index(s, number);
    if (i == SIZE_MAX) return wb_fail(err, "No breakpoint number %d.", number);
    s->bps[i]->ignore = count;
    return WB_OK;
}

wb_status wb_session_set_catch(wb_session *s, int number, const char *event, wb_error *err)
{
    size_t i = bp_index(s, number);
    if (i == SIZE_MAX) return wb_fail(err, "No breakpoint number %d.", number);
    s->bps[i]->catch_event = event;
    return WB_OK;
}

wb_status wb_session_set_log_message(wb_session *s, int number, const char *msg, wb_error *err)
{
    size_t i = bp_index(s, number);
    if (i == SIZE_MAX) return wb_fail(err, "No breakpoint number %d.", number);
    char *m = NULL;
    if (msg && !(m = strdup(msg))) return wb_fail(err, "out of memory");
    free(s->bps[i]->log_message);
    s->bps[i]->log_message = m;
    return WB_OK;
}

size_t wb_session_bp_count(const wb_session *s)
{
    return s->nbps;
}
const wb_bp *wb_session_bp(const wb_session *s, size_t i)
{
    return i < s->nbps ? s->bps[i] : NULL;
}
const wb_bp *wb_session_bp_by_number(const wb_session *s, int number)
{
    size_t i = bp_index(s, number);
    return i == SIZE_MAX ? NULL : s->bps[i];
}

static bool in_list(const uint64_t *v, size_t n, uint64_t a)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == a) return true;
    return false;
}

/* Where libwdb-cxxabi's throw hook is, looked up once (a program without
 * it gets no breakpoint). */
static void find_throw_hook(wb_session *s)
{
    if (s->throw_hook_state) return;
    s->throw_hook_state = 1;
    /* the name section first: a program without the hook costs no DWARF */
    if (!s->wasm || !wb_wasm_func_named(s->wasm, "__wdb_cxa_throw_hook")) return;
    wb_bp_loc *locs;
    size_t n;
    wb_error e;
    if (wb_session_resolve(s, "__wdb_cxa_throw_hook", NULL, &locs, &n, &e) != WB_OK) return;
    if (n == 1) {
        s->throw_hook = locs[0].addr;
        s->throw_hook_state = 2;
    }
    free(locs);
}

/* Makes the stub's Z0 set equal to enabled user locations + internal
 * breakpoints (+ the throw hook). */
static wb_status sync_breakpoints(wb_session *s, wb_error *err)
{
    uint64_t *want = NULL;
    size_t nwant = 0, capwant = 0;
    if (!s->core) find_throw_hook(s);
    if (s->throw_hook_state == 2 && !addr_push(&want, &nwant, &capwant, s->throw_hook)) goto oom;
    for (size_t i = 0; i < s->nbps; i++) {
        const wb_bp *b = s->bps[i];
        if (b->type != WB_BP_BREAK || !b->enabled) continue;
        for (size_t k = 0; k < b->nlocs; k++)
            if (!in_list(want, nwant, b->locs[k].addr) &&
                !addr_push(&want, &nwant, &capwant, b->locs[k].addr))
                goto oom;
    }
    for (size_t i = 0; i < s->nbps; i++) {
        const wb_bp *b = s->bps[i];
        if (b->type != WB_BP_BREAK && b->scope_depth && !in_list(want, nwant, b->scope_ret) &&
            !addr_push(&want, &nwant, &capwant, b->scope_ret))
            goto oom;
    }
    for (size_t i = 0; i < s->ninternal; i++)
        if (!in_list(want, nwant, s->internal[i]) &&
            !addr_push(&want, &nwant, &capwant, s->internal[i]))
            goto oom;
    for (size_t i = 0; i < s->ninserted;) {
        if (in_list(want, nwant, s->inserted[i])) {
            i++;
            continue;
        }
        int rc = wb_rsp_breakpoint(s->rsp, 0, code_addr(s, (wb_code_off)s->inserted[i]), 1, false);
        if (rc < 0 && rc != -EIO) {
            free(want);
            return rsp_fail(s, err, rc, "removing a breakpoint");
        }
        s->inserted[i] = s->inserted[--s->ninserted];
    }
    for (size_t i = 0; i < nwant; i++) {
        if (in_list(s->inserted, s->ninserted, want[i])) continue;
        int rc = wb_rsp_breakpoint(s->rsp, 0, code_addr(s, (wb_code_off)want[i]), 1, true);
        if (rc < 0) {
            free(want);
            return rsp_fail(s, err, rc, "inserting a breakpoint");
        }
        if (!addr_push(&s->inserted, &s->ninserted, &s->capinserted, want[i])) goto oom;
    }
    free(want);
    return WB_OK;
oom:
    free(want);
    return wb_fail(err, "out of memory");
}

/* --------------------------------------------------------------- frames */

/* The instruction of a listing (in address order) that ends at `ret`, as
 * a call ends at its return address; ret - 1 if there is none (a stub
 * reporting something else than return addresses). */
static wb_code_off insn_ending_at(const wb_insn *insns, size_t n, wb_code_off ret)
{
    size_t lo = 0, hi = n; /* bisect for the last starting before ret */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (insns[mid].off < ret)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo > 0 && insns[lo - 1].off + insns[lo - 1].len == ret) return insns[lo - 1].off;
    return ret > 0 ? ret - 1 : 0;
}

/* The call instruction a return address follows (where a reverse step out
 * of the callee stops), or the function's entry when the call is its
 * first instruction. */
static wb_code_off call_before_ret(const wb_session *s, wb_code_off ret)
{
    const wb_func *f;
    if (ret == 0 || wb_wasm_func_at(s->wasm, ret - 1, &f) != WB_OK) return ret ? ret - 1 : 0;
    wb_insn *ins = NULL;
    size_t n = 0;
    wb_error e;
    wb_disasm_func(s->wasm, wb_wasm_code(s->wasm), wb_wasm_code_size(s->wasm), f, &ins, &n, &e);
    wb_code_off at = insn_ending_at(ins, n, ret);
    /* a stub stops at a function's entry on its body (DW_AT_low_pc, as a
     * breakpoint on the function is placed), never on the first
     * instruction itself: a call that starts the body is reached there */
    if (n > 0 && at == ins[0].off) at = f->start;
    free(ins);
    return at;
}

/* The offset after the call instruction at `off` (call, call_indirect and
 * their return_ forms); off + 1 for anything else. */
static wb_code_off after_call(const wb_session *s, wb_code_off off)
{
    const uint8_t *code = wb_wasm_code(s->wasm);
    uint32_t size = wb_wasm_code_size(s->wasm);
    if (!code || off >= size) return off + 1;
    const wf_op *op = wf_op_info(code[off]);
    if (!op || !(op->flags & WF_OPF_CALL)) return off + 1;
    /* call: funcidx; call_indirect: typeidx tableidx */
    int lebs = op->imm == WF_IMM_CALL_IND ? 2 : 1;
    wb_code_off p = off + 1;
    for (int k = 0; k < lebs; k++) {
        const uint8_t *q = code + p;
        uint64_t v;
        if (wf_leb_read(&q, code + size, 32, false, &v)) return off + 1;
        p = (wb_code_off)(q - code);
    }
    return p;
}

static wb_status load_pcs(wb_session *s, wb_error *err)
{
    if (!s->pcs && !(s->pcs = malloc(MAX_PHYS_FRAMES * sizeof *s->pcs)))
        return wb_fail(err, "out of memory");
    size_t n = 0;
    if (s->core) {
        /* a core frame is a function index and an offset in its body */
        size_t nf = wb_core_frame_count(s->core, 0);
        uint32_t nimp = wb_wasm_import_func_count(s->wasm);
        for (size_t i = 0; i < nf && n < MAX_PHYS_FRAMES; i++) {
            const wb_core_frame *f = wb_core_frame_at(s->core, 0, i);
            const wb_func *fn = f->func >= nimp && f->func - nimp < wb_wasm_func_count(s->wasm)
                                    ? wb_wasm_func(s->wasm, f->func - nimp)
                                    : NULL;
            /* outside the module's code: an address no frame lookup knows */
            wb_code_off off = fn ? fn->start + f->code_offset : 0;
            /* a caller's frame records its call; live stops report the
             * return address: show the same pcs either way */
            if (fn && i > 0) off = after_call(s, off);
            s->pcs[n++] = fn ? code_addr(s, off) : UINT64_MAX;
        }
        s->nphys = n;
        return WB_OK;
    }
    if (s->pcs_valid) return WB_OK; /* the stack of this stop, read already */
    int rc = wb_rsp_call_stack(s->rsp, s->pcs, MAX_PHYS_FRAMES, &n);
    if (rc == -ENOTSUP && s->stop_pc_valid) {
        /* a stub without qWasmCallStack: the innermost frame only */
        s->pcs[0] = code_addr(s, s->stop_pc);
        n = 1;
        rc = 0;
    }
    if (rc < 0) return rsp_fail(s, err, rc, "reading the call stack");
    s->nphys = n;
    s->pcs_valid = true;
    return WB_OK;
}

static bool frames_push(wb_session *s, size_t *cap, const frame_rec *f)
{
    if (!wb_grow((void **)&s->frames, cap, s->nframes + 1, sizeof *s->frames)) return false;
    s->frames[s->nframes++] = *f;
    return true;
}

/* Whether a user breakpoint at `pc` names a function around inlined call
 * `sc` rather than `sc` itself ("break caller" whose first instruction is
 * the inlined call's): gdb then shows the caller. A line or an address is
 * the innermost function's, as a breakpoint on `sc` by name is. */
static bool bp_names_outer(const wb_session *s, const wb_scope_chain *c, const wb_scope *sc,
                           wb_code_off pc)
{
    for (size_t i = 0; i < s->nbps; i++) {
        const wb_bp *b = s->bps[i];
        bool here = false;
        for (size_t k = 0; k < b->nlocs; k++)
            here |= b->locs[k].addr == pc;
        if (b->type != WB_BP_BREAK || !b->enabled || !here) continue;
        /* the function part of "FUNC" or "FILE:FUNC" (not "ns::f") */
        const char *name = b->spec;
        for (const char *q = b->spec; *q; q++)
            if (q[0] == ':' && q[1] != ':' && (q == b->spec || q[-1] != ':')) name = q + 1;
        bool outer = false, inside = false;
        for (size_t j = 0; j < c->count; j++) {
            const wb_scope *o = c->scopes[j];
            if (o == sc) inside = true;
            if (o == sc || o->kind == WB_SCOPE_BLOCK) continue;
            bool named = (o->name && strcmp(o->name, name) == 0) ||
                         (o->qualified_name && strcmp(o->qualified_name, name) == 0);
            if (named) {
                outer = inside;
                break;
            }
        }
        if (!outer) return false;
    }
    return true;
}

/* How many inlined calls of chain `c` start at `pc`, from the innermost
 * out: gdb presents a stop there in their caller (see inline_skip), unless
 * a user breakpoint there was set on the inlined function itself. */
static size_t inline_calls_at_entry(const wb_session *s, const wb_scope_chain *c, wb_code_off pc)
{
    bool at_bp = strcmp(s->last_stop.reason, "breakpoint") == 0;
    size_t n = 0;
    for (size_t i = 0; i < c->count; i++) {
        const wb_scope *sc = c->scopes[i];
        if (sc->kind == WB_SCOPE_BLOCK) continue;
        if (sc->kind != WB_SCOPE_INLINED || inline_entry(s, sc->entry_pc) != pc) break;
        if (at_bp && !bp_names_outer(s, c, sc, pc)) break;
        n++;
    }
    return n;
}

static wb_status load_frames(wb_session *s, wb_error *err)
{
    if (s->frames_valid) return WB_OK;
    /* the frames go, the stack's pcs of this stop stay */
    bool pcs_valid = s->pcs_valid;
    size_t nphys = s->nphys;
    frames_clear(s);
    s->pcs_valid = pcs_valid;
    s->nphys = pcs_valid ? nphys : 0;
    if (s->state != WB_PROC_STOPPED) return WB_OK;
    if (load_pcs(s, err) != WB_OK) return WB_ERROR;
    size_t cap = 0;
    for (size_t p = 0; p < s->nphys; p++) {
        frame_rec f;
        memset(&f, 0, sizeof f);
        f.pub.phys = p;
        f.pub.has_pc = code_off_of(s, s->pcs[p], &f.pub.pc);
        /* a caller's pc is its return address: look up the call before it */
        f.pub.lookup_pc = p > 0 && f.pub.pc > 0 ? f.pub.pc - 1 : f.pub.pc;
        f.pub.function = "??";
        wb_error e;
        if (f.pub.has_pc && s->dwarf &&
            wb_dwarf_scopes_at(s->dwarf, f.pub.lookup_pc, &f.chain, &e) == WB_OK && f.chain.count) {
            /* split the chain at inlined calls: one frame each */
            size_t start = 0, hide = 0;
            const char *call_file = NULL;
            uint32_t call_line = 0, call_col = 0;
            bool owner = true;
            if (p == 0) {
                if (!s->inline_skip_known) {
                    s->inline_skip = inline_calls_at_entry(s, &f.chain, f.pub.pc);
                    s->inline_skip_known = true;
                }
                hide = s->inline_skip;
            }
            for (size_t i = 0; i < f.chain.count; i++) {
                const wb_scope *sc = f.chain.scopes[i];
                if (sc->kind == WB_SCOPE_BLOCK) continue;
                if (hide > 0 && sc->kind == WB_SCOPE_INLINED) {
                    /* a hidden inlined call: its caller is frame 0 */
                    hide--;
                    call_file = sc->call_file;
                    call_line = sc->call_line;
                    call_col = sc->call_column;
                    start = i + 1;
                    continue;
                }
                frame_rec v = f;
                v.owns_chain = owner;
                owner = false;
                v.first = start;
                v.count = i - start + 1;
                v.pub.fn = sc;
                v.pub.inner = f.chain.scopes[start];
                v.pub.function = func_display_name(s, f.pub.lookup_pc, sc);
                v.pub.inlined = sc->kind == WB_SCOPE_INLINED;
                if (start == 0) {
                    wb_line row;
                    if (wb_dwarf_line_at(s->dwarf, f.pub.lookup_pc, &row, &e) == WB_OK &&
                        row.line) {
                        v.pub.file = row.file;
                        v.pub.line = row.line;
                        v.pub.column = row.column;
                    }
                } else {
                    v.pub.file = call_file;
                    v.pub.line = call_line;
                    v.pub.column = call_col;
                }
                call_file = sc->call_file;
                call_line = sc->call_line;
                call_col = sc->call_column;
                if (!frames_push(s, &cap, &v)) goto oom;
                start = i + 1;
            }
            continue;
        }
        if (f.pub.has_pc) {
            f.pub.function = func_display_name(s, f.pub.lookup_pc, NULL);
            wb_line row;
            if (s->dwarf && wb_dwarf_line_at(s->dwarf, f.pub.lookup_pc, &row, &e) == WB_OK &&
                row.line) {
                f.pub.file = row.file;
                f.pub.line = row.line;
                f.pub.column = row.column;
            }
        }
        wb_scope_chain_free(&f.chain);
        memset(&f.chain, 0, sizeof f.chain);
        if (!frames_push(s, &cap, &f)) goto oom;
    }
    s->frames_valid = true;
    return WB_OK;
oom:
    return wb_fail(err, "out of memory");
}

size_t wb_session_frame_count(wb_session *s)
{
    wb_error e;
    if (load_frames(s, &e) != WB_OK) return 0;
    return s->nframes;
}

const wb_frame *wb_session_frame(wb_session *s, size_t i)
{
    wb_error e;
    if (load_frames(s, &e) != WB_OK || i >= s->nframes) return NULL;
    return &s->frames[i].pub;
}

/* --------------------------------------------------------------- values */

/* The reads and writes below return 0 or a negative errno, the RSP
 * client's convention; the target callbacks (errno_status) and the public
 * functions convert at the edge. */
static int read_mem(wb_session *s, uint64_t addr, void *buf, size_t len)
{
    if (s->core) {
        wb_status st = wb_core_read_memory(s->core, 0, 0, addr, buf, len, NULL);
        return st == WB_OK ? 0 : st == WB_NOT_FOUND ? -EINVAL : -EFAULT;
    }
    if (!s->rsp) return -ESRCH;
    if (addr > UINT32_MAX || len > UINT32_MAX - addr + 1) return -EFAULT;
    size_t got;
    int rc = wb_rsp_read(s->rsp, mem_addr(s, addr), buf, len, &got);
    if (rc < 0) return rc;
    return got == len ? 0 : -EFAULT;
}

wb_status wb_session_read_memory(wb_session *s, uint64_t addr, void *buf, size_t len, wb_error *err)
{
    if (read_mem(s, addr, buf, len) != 0)
        return wb_fail(err, "Cannot access memory at address 0x%" PRIx64, addr);
    return WB_OK;
}

static int wasm_value(wb_session *s, const char *what, size_t phys, uint32_t index,
                      uint64_t *value);

bool wb_session_stack_overflowed(wb_session *s, uint32_t *sp)
{
    uint64_t v;
    uint8_t b;
    if (wasm_value(s, "Global", 0, 0, &v) < 0) return false;
    /* wrapped: in the upper half, and no memory there (a 4 GiB memory
     * would be readable) */
    if ((uint32_t)v < 0x80000000u || read_mem(s, (uint32_t)v, &b, 1) == 0) return false;
    *sp = (uint32_t)v;
    return true;
}

static int write_mem(wb_session *s, uint64_t addr, const void *buf, size_t len)
{
    if (s->core) return -EROFS;
    if (!s->rsp) return -ESRCH;
    if (addr > UINT32_MAX || len > UINT32_MAX - addr + 1) return -EFAULT;
    /* All or nothing: wb_rsp_write sends chunks of a few KiB, and the stub
     * refuses only the chunk that crosses the end of memory, after the ones
     * before it were written. Memory is one range from 0, so a readable
     * last byte means the whole range is inside it. */
    if (len > 1) {
        uint8_t last;
        int rc = read_mem(s, addr + len - 1, &last, 1);
        if (rc < 0) return rc;
    }
    return wb_rsp_write(s->rsp, mem_addr(s, addr), buf, len);
}

wb_status wb_session_write_memory(wb_session *s, uint64_t addr, const void *buf, size_t len,
                                  wb_error *err)
{
    int rc = write_mem(s, addr, buf, len);
    if (rc == -EROFS) return wb_fail(err, "A core file cannot be written.");
    if (rc != 0) return wb_fail(err, "Cannot access memory at address 0x%" PRIx64, addr);
    return WB_OK;
}

static int wasm_value(wb_session *s, const char *what, size_t phys, uint32_t index, uint64_t *value)
{
    if (s->core) {
        if (phys >= wb_core_frame_count(s->core, 0)) return -EINVAL;
        const wb_core_frame *f = wb_core_frame_at(s->core, 0, phys);
        wb_core_value v;
        if (strcmp(what, "Global") == 0) {
            if (wb_core_global(s->core, f->instance, index, &v) != WB_OK) return -EINVAL;
        } else if (strcmp(what, "Local") == 0) {
            if (index >= f->nlocals) return -EINVAL;
            v = f->locals[index];
        } else {
            if (index >= f->nstack) return -EINVAL;
            v = f->stack[index];
        }
        if (v.type == WB_CORE_MISSING) return -ENODATA; /* the runtime did not keep it */
        *value = v.bits;
        return 0;
    }
    if (!s->rsp) return -ESRCH;
    uint8_t b[16];
    size_t n;
    int rc = wb_rsp_wasm_value(s->rsp, what, (uint32_t)phys, index, b, sizeof b, &n);
    if (rc < 0) return rc;
    uint64_t v = 0;
    for (size_t i = n < 8 ? n : 8; i-- > 0;)
        v = v << 8 | b[i];
    *value = v;
    return 0;
}

wb_status wb_session_wasm_bytes(wb_session *s, const char *what, size_t phys, uint32_t index,
                                uint8_t buf[16], size_t *len, wb_error *err)
{
    int rc;
    if (s->core || !s->rsp) { /* a core keeps 64-bit values */
        uint64_t v = 0;
        rc = wasm_value(s, what, phys, index, &v);
        for (size_t i = 0; i < 8; i++)
            buf[i] = (uint8_t)(v >> (8 * i));
        *len = 8;
    } else {
        rc = wb_rsp_wasm_value(s->rsp, what, (uint32_t)phys, index, buf, 16, len);
    }
    if (rc != 0) return wb_fail(err, "Cannot read Wasm %s %u: %s", what, index, strerror(-rc));
    return WB_OK;
}

wb_status wb_session_wasm_value(wb_session *s, const char *what, size_t phys, uint32_t index,
                                uint64_t *value, wb_error *err)
{
    int rc = wasm_value(s, what, phys, index, value);
    if (rc != 0) return wb_fail(err, "Cannot read Wasm %s %u: %s", what, index, strerror(-rc));
    return WB_OK;
}

typedef struct loc_user {
    wb_session *s;
    size_t phys;
} loc_user;

/* The target callbacks of wb_loc_target and wb_eval_env: the reads and
 * writes above (a negative errno, the RSP client's convention) converted
 * to wb_status, the errno's text as the reason. */
static wb_status errno_status(int rc, wb_error *err)
{
    return rc == 0 ? WB_OK : wb_fail(err, "%s", strerror(rc < 0 ? -rc : rc));
}
static wb_status t_local(void *u, uint32_t i, uint64_t *v, wb_error *err)
{
    loc_user *x = u;
    return errno_status(wasm_value(x->s, "Local", x->phys, i, v), err);
}
static wb_status t_global(void *u, uint32_t i, uint64_t *v, wb_error *err)
{
    loc_user *x = u;
    return errno_status(wasm_value(x->s, "Global", x->phys, i, v), err);
}
static wb_status t_stack(void *u, uint32_t i, uint64_t *v, wb_error *err)
{
    loc_user *x = u;
    return errno_status(wasm_value(x->s, "StackValue", x->phys, i, v), err);
}
static wb_status t_bytes(void *u, wb_place_kind k, uint32_t i, uint8_t buf[16], size_t *len,
                         wb_error *err)
{
    loc_user *x = u;
    const char *what = k == WB_PLACE_LOCAL    ? "Local"
                       : k == WB_PLACE_GLOBAL ? "Global"
                                              : "StackValue";
    return wb_session_wasm_bytes(x->s, what, x->phys, i, buf, len, err);
}
static wb_status t_mem(void *u, uint64_t a, void *buf, size_t len, wb_error *err)
{
    loc_user *x = u;
    return errno_status(read_mem(x->s, a, buf, len), err);
}

/* The out-of-line function of a physical frame (for its frame base). */
static const wb_scope *phys_function(const frame_rec *f)
{
    return f->chain.count ? f->chain.scopes[f->chain.count - 1] : NULL;
}

static wb_loc_target loc_target(wb_session *s, const frame_rec *f, loc_user *u)
{
    wb_loc_target t = {u, t_local, t_global, t_stack, t_mem, NULL, 0, t_bytes};
    u->s = s;
    u->phys = f ? f->pub.phys : 0;
    const wb_scope *fn = f ? phys_function(f) : NULL;
    if (fn) {
        t.frame_base = fn->frame_base;
        t.frame_base_len = fn->frame_base_len;
    }
    return t;
}

static frame_rec *frame_at(wb_session *s, size_t i)
{
    wb_error e;
    if (load_frames(s, &e) != WB_OK || i >= s->nframes) return NULL;
    return &s->frames[i];
}

wb_status wb_session_frame_vars(wb_session *s, size_t frame, bool args, wb_named_value **out,
                                size_t *n, wb_error *err)
{
    *out = NULL;
    *n = 0;
    if (s->state != WB_PROC_STOPPED) return wb_fail(err, "No frame selected.");
    frame_rec *f = frame_at(s, frame);
    if (!f) return wb_fail(err, "No frame selected.");
    if (!f->pub.fn) return wb_fail(err, "No symbol table info available.");
    size_t cap = 0;
    loc_user u;
    wb_loc_target t = loc_target(s, f, &u);
    for (size_t i = f->first; i < f->first + f->count; i++) {
        const wb_scope *sc = f->chain.scopes[i];
        const wb_var *const *vars;
        size_t nv;
        if (wb_dwarf_scope_vars(s->dwarf, sc, &vars, &nv, err) != WB_OK) goto fail;
        for (size_t k = 0; k < nv; k++) {
            if (vars[k]->is_param != args || !vars[k]->name) continue;
            if (!wb_grow((void **)out, &cap, *n + 1, sizeof **out)) {
                wb_fail(err, "out of memory");
                goto fail;
            }
            wb_named_value *nv1 = &(*out)[(*n)++];
            memset(nv1, 0, sizeof *nv1);
            nv1->name = vars[k]->name;
            nv1->var = vars[k];
            if (wb_value_of_var(vars[k], f->pub.lookup_pc, &t, &nv1->value, &nv1->error) != WB_OK) {
                if (!nv1->error.msg[0]) snprintf(nv1->error.msg, sizeof nv1->error.msg, "error");
            }
        }
    }
    return WB_OK;
fail:
    wb_session_vars_free(*out, *n);
    *out = NULL;
    *n = 0;
    return WB_ERROR;
}

void wb_session_vars_free(wb_named_value *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        wb_value_free(&v[i].value);
    free(v);
}

wb_status wb_session_lookup_var(wb_session *s, size_t frame, const char *name, const wb_var **out,
                                const wb_scope **fn, wb_error *err)
{
    if (fn) *fn = NULL;
    if (!s->dwarf) return WB_NOT_FOUND;
    frame_rec *f = s->state == WB_PROC_STOPPED ? frame_at(s, frame) : NULL;
    if (f && f->pub.fn) {
        for (size_t i = f->first; i < f->first + f->count; i++) {
            const wb_var *const *vars;
            size_t nv;
            if (wb_dwarf_scope_vars(s->dwarf, f->chain.scopes[i], &vars, &nv, err) != WB_OK)
                return WB_ERROR;
            for (size_t k = 0; k < nv; k++)
                if (vars[k]->name && strcmp(vars[k]->name, name) == 0) {
                    *out = vars[k];
                    if (fn) *fn = phys_function(f);
                    return WB_OK;
                }
        }
    }
    return wb_dwarf_global_named(s->dwarf, name, f ? f->pub.lookup_pc : UINT32_MAX, out, err);
}

/* env callbacks: s->env_ctx says which frame */
/* A function by name, as a value of its function type (print FUNCTION):
 * its table index when the function table holds it (what the program's
 * function pointers to it are, so `&f == fp` compares as in C), else its
 * code offset (fn_code). */
static wb_status function_value(wb_session *s, const char *name, wb_value *out, wb_error *err)
{
    const wb_scope *fn;
    wb_code_off entry;
    const wb_type *ft;
    const wb_func *f;
    wb_error e;
    if (wb_dwarf_function_named(s->dwarf, name, &fn, &entry, &e) != WB_OK) return WB_NOT_FOUND;
    if (wb_dwarf_function_type(s->dwarf, fn, &ft, err) != WB_OK) return WB_ERROR;
    memset(out, 0, sizeof *out);
    out->type = ft;
    out->kind = WB_VAL_RVALUE;
    uint32_t elem;
    if (wb_wasm_func_at(s->wasm, fn->low_pc, &f) == WB_OK &&
        wb_wasm_func_table_index(s->wasm, f->index, &elem) == WB_OK) {
        out->addr = elem;
    } else {
        out->addr = fn->low_pc;
        out->fn_code = true;
    }
    return WB_OK;
}

static wb_status e_lookup(void *user, const char *name, wb_value *out, wb_error *err)
{
    struct env_ctx *c = user;
    wb_session *s = c->s;
    if (name[0] == '$') return wb_session_register(s, c->frame, name + 1, out, err);
    if (!s->dwarf) return WB_NOT_FOUND;
    frame_rec *f = s->state == WB_PROC_STOPPED ? frame_at(s, c->frame) : NULL;
    loc_user u;
    wb_loc_target t = loc_target(s, f, &u);
    const wb_var *g;
    wb_status st = wb_session_lookup_var(s, c->frame, name, &g, NULL, err);
    if (st == WB_NOT_FOUND) {
        /* an enumerator: a constant of its enumeration type */
        const wb_type *et;
        int64_t ev;
        if (wb_dwarf_enumerator_named(s->dwarf, name, f ? f->pub.lookup_pc : UINT32_MAX, &et, &ev,
                                      err) == WB_OK) {
            uint8_t b[8];
            for (int i = 0; i < 8; i++)
                b[i] = (uint8_t)((uint64_t)ev >> (8 * i));
            size_t sz = (size_t)wb_type_size(et);
            return wb_value_from_bytes(et, b, sz && sz <= 8 ? sz : 4, out, err);
        }
    }
    if (st == WB_NOT_FOUND && f && f->pub.fn && strcmp(name, "this") != 0 &&
        (isalpha((unsigned char)name[0]) || name[0] == '_') && !c->in_this) {
        /* C++: a member of the object the method runs on (this->name) */
        wb_value self;
        wb_error e2;
        c->in_this = true;
        wb_status st2 = e_lookup(user, "this", &self, &e2);
        if (st2 == WB_OK) {
            wb_value_free(&self);
            char expr[300];
            snprintf(expr, sizeof expr, "this->%s", name);
            st2 = wb_eval_expr(s->eval, &s->env, expr, out, &e2);
        }
        c->in_this = false;
        if (st2 == WB_OK) return WB_OK;
        return function_value(s, name, out, err);
    }
    if (st == WB_NOT_FOUND) return function_value(s, name, out, err);
    if (st != WB_OK) return st;
    return wb_value_of_var(g, f ? f->pub.lookup_pc : 0, &t, out, err);
}

static wb_status e_read(void *user, uint64_t addr, void *buf, size_t len, wb_error *err)
{
    struct env_ctx *c = user;
    return errno_status(read_mem(c->s, addr, buf, len), err);
}

static wb_status e_write(void *user, uint64_t addr, const void *buf, size_t len, wb_error *err)
{
    struct env_ctx *c = user;
    return errno_status(write_mem(c->s, addr, buf, len), err);
}

static wb_status e_type(void *user, const char *name, const wb_type **out, wb_error *err)
{
    struct env_ctx *c = user;
    wb_session *s = c->s;
    if (!s->dwarf) return WB_NOT_FOUND;
    frame_rec *f = s->state == WB_PROC_STOPPED ? frame_at(s, c->frame) : NULL;
    return wb_dwarf_type_named(s->dwarf, name, f ? f->pub.lookup_pc : UINT32_MAX, out, err);
}

/* A function pointer is a table index: the function table 0 holds there
 * (its DWARF name, else the name section's). */
static const char *e_function_name(void *user, uint64_t table_index)
{
    struct env_ctx *c = user;
    wb_session *s = c->s;
    uint32_t fi;
    uint32_t nimp = wb_wasm_import_func_count(s->wasm);
    if (table_index > UINT32_MAX ||
        wb_wasm_table_func(s->wasm, (uint32_t)table_index, &fi) != WB_OK)
        return NULL;
    if (fi < nimp || fi - nimp >= wb_wasm_func_count(s->wasm))
        return wb_wasm_func_name(s->wasm, fi);
    const wb_func *f = wb_wasm_func(s->wasm, fi - nimp);
    const wb_scope *fn = NULL;
    wb_error e;
    if (s->dwarf && wb_dwarf_function_at(s->dwarf, f->start, &fn, &e) != WB_OK) fn = NULL;
    const char *name = func_display_name(s, f->start, fn);
    return strcmp(name, "??") == 0 ? NULL : name;
}

static const char *e_data_symbol(void *user, uint64_t addr, uint64_t *offset)
{
    struct env_ctx *c = user;
    const char *name = NULL;
    wb_error e;
    if (!c->s->dwarf || wb_dwarf_data_symbol(c->s->dwarf, addr, &name, offset, &e) != WB_OK)
        return NULL;
    return name;
}

bool wb_session_code_symbol(wb_session *s, wb_code_off off, char *buf, size_t len)
{
    const wb_func *f;
    const wb_scope *fn = NULL;
    wb_error e;
    if (wb_wasm_func_at(s->wasm, off, &f) != WB_OK) return false;
    if (s->dwarf && wb_dwarf_function_at(s->dwarf, f->start, &fn, &e) != WB_OK) fn = NULL;
    const char *name = func_display_name(s, f->start, fn);
    if (strcmp(name, "??") == 0) return false;
    if (off == f->start)
        snprintf(buf, len, "%s", name);
    else
        snprintf(buf, len, "%s+%u", name, off - f->start);
    return true;
}

static const char *e_code_symbol(void *user, uint64_t off, char *buf, size_t len)
{
    struct env_ctx *c = user;
    return off <= UINT32_MAX && wb_session_code_symbol(c->s, (wb_code_off)off, buf, len) ? buf
                                                                                         : NULL;
}

/* The registers' types: gdb's for the pc and the stack and frame
 * pointers. Immutable, shared by every session. */
static const wb_type reg_void = {.kind = WB_TYPE_VOID, .name = "void"};
static const wb_type reg_code = {.kind = WB_TYPE_FUNCTION, .no_prototype = true};
static const wb_type reg_pc = {
    .kind = WB_TYPE_POINTER, .size = 4, .target = &reg_code, .code_offset = true};
static const wb_type reg_ptr = {.kind = WB_TYPE_POINTER, .size = 4, .target = &reg_void};

wb_status wb_session_register(wb_session *s, size_t frame, const char *name, wb_value *out,
                              wb_error *err)
{
    uint32_t sp_global = 0;
    bool pc = strcmp(name, "pc") == 0, fp = strcmp(name, "fp") == 0;
    bool sp = strcmp(name, "sp") == 0 &&
              wb_wasm_global_named(s->wasm, "__stack_pointer", &sp_global) == WB_OK;
    if (!pc && !fp && !sp) return WB_NOT_FOUND;
    frame_rec *f = s->state == WB_PROC_STOPPED ? frame_at(s, frame) : NULL;
    if (!f) return wb_fail(err, "No registers.");
    uint64_t v = f->pub.pc;
    if (sp) {
        /* a global: its value now is frame 0's; nothing keeps a caller's */
        if (f->pub.phys != 0)
            return wb_fail(err,
                           "The stack pointer of frame %zu was not saved: Wasm keeps "
                           "__stack_pointer's value only for the innermost frame.",
                           frame);
        int rc = wasm_value(s, "Global", 0, sp_global, &v);
        if (rc < 0)
            return wb_fail(err, "Cannot read __stack_pointer (global %u): %s", sp_global,
                           strerror(-rc));
    } else if (fp) {
        /* DW_OP_fbreg 0: the frame base itself */
        static const uint8_t fbreg0[] = {0x91, 0x00};
        const wb_scope *fn = phys_function(f);
        if (!fn || !fn->frame_base)
            return wb_fail(err, "No frame base: %s has no DW_AT_frame_base.", f->pub.function);
        loc_user u;
        wb_loc_target t = loc_target(s, f, &u);
        wb_location loc;
        if (wb_loc_eval(fbreg0, sizeof fbreg0, &t, &loc, err) != WB_OK) return WB_ERROR;
        if (loc.npieces != 1 || loc.pieces[0].kind != WB_PLACE_MEMORY)
            return wb_fail(err, "The frame base of %s is not an address.", f->pub.function);
        v = loc.pieces[0].where;
    }
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    return wb_value_from_bytes(pc ? &reg_pc : &reg_ptr, b, 4, out, err);
}

static const wb_eval_env *make_env(wb_session *s, size_t frame)
{
    s->env_ctx.s = s;
    s->env_ctx.frame = frame;
    s->env_ctx.in_this = false;
    s->env = (wb_eval_env){&s->env_ctx, e_lookup,        e_read,        e_write,       NULL,
                           e_type,      e_function_name, e_code_symbol, e_data_symbol, false};
    /* the frame's language: its function's type comes from its unit */
    const wb_frame *f = wb_session_state(s) == WB_PROC_STOPPED ? wb_session_frame(s, frame) : NULL;
    const wb_type *ft = NULL;
    wb_error e;
    if (f && f->fn && s->dwarf && wb_dwarf_function_type(s->dwarf, f->fn, &ft, &e) == WB_OK) {
        s->env.rust = ft && ft->rust;
    } else if (!f && s->dwarf) {
        /* no frame: the language of main, as gdb's `set language auto` */
        if (s->main_rust < 0) {
            const wb_scope *m = NULL;
            wb_code_off entry;
            s->main_rust = wb_dwarf_function_named(s->dwarf, "main", &m, &entry, &e) == WB_OK &&
                           m && wb_dwarf_function_type(s->dwarf, m, &ft, &e) == WB_OK && ft &&
                           ft->rust;
        }
        s->env.rust = s->main_rust > 0;
    }
    return &s->env;
}

const wb_eval_env *wb_session_env(wb_session *s, size_t frame)
{
    return make_env(s, frame);
}

wb_status wb_session_eval(wb_session *s, size_t frame, const char *expr, wb_value *out,
                          wb_error *err)
{
    return wb_eval_expr(s->eval, make_env(s, frame), expr, out, err);
}

wb_status wb_session_eval_type(wb_session *s, size_t frame, const char *text, const wb_type **out,
                               wb_error *err)
{
    return wb_eval_type(s->eval, make_env(s, frame), text, out, err);
}

unsigned wb_session_record(wb_session *s, const wb_value *v)
{
    return wb_eval_record(s->eval, v);
}

wb_status wb_session_watch(wb_session *s, wb_bp_type type, const char *expr, size_t frame,
                           const wb_bp **out, wb_error *err)
{
    if (s->state != WB_PROC_STOPPED || !s->rsp)
        return wb_fail(err, "Cannot watch an expression without a running program.");
    if (!wb_rsp_features_of(s->rsp)->watchpoints)
        return wb_fail(err, "The stub does not support watchpoints.");
    wb_value v;
    if (wb_session_eval(s, frame, expr, &v, err) != WB_OK) return WB_ERROR;
    if (v.kind != WB_VAL_MEMORY || v.bit_size) {
        wb_value_free(&v);
        return wb_fail(err, "Cannot watch constant value `%s': it is not in linear memory.", expr);
    }
    uint64_t len = wb_type_size(v.type);
    if (len == 0 || len > 8) {
        wb_value_free(&v);
        return wb_fail(err, "Expression `%s' is %llu bytes: watchpoints cover 1 to 8 bytes.", expr,
                       (unsigned long long)len);
    }
    wb_bp *b = calloc(1, sizeof *b);
    if (!b || !(b->spec = strdup(expr))) {
        free(b);
        wb_value_free(&v);
        return wb_fail(err, "out of memory");
    }
    b->type = type;
    b->enabled = true;
    b->watch_addr = v.addr;
    b->watch_len = (uint32_t)len;
    b->old_value = v;
    /* an expression that means something else (or nothing) without the
     * frame's locals is scoped to that frame: it ends when the frame
     * returns to its caller */
    wb_value g;
    wb_error ge;
    bool global = wb_eval_expr(s->eval, make_env(s, SIZE_MAX), expr, &g, &ge) == WB_OK &&
                  g.kind == WB_VAL_MEMORY && g.addr == v.addr;
    if (global) wb_value_free(&g);
    const frame_rec *fr = global ? NULL : frame_at(s, frame);
    if (fr && fr->pub.phys + 1 < s->nphys &&
        code_off_of(s, s->pcs[fr->pub.phys + 1], &b->scope_ret))
        b->scope_depth = s->nphys - fr->pub.phys;
    int rc = wb_rsp_breakpoint(s->rsp, watch_type(type), mem_addr(s, v.addr), (uint32_t)len, true);
    if (rc < 0) {
        bp_free(b);
        return rsp_fail(s, err, rc, "setting the watchpoint");
    }
    if (!bp_push(s, b)) {
        bp_free(b);
        return wb_fail(err, "out of memory");
    }
    b->number = new_bp_number(s);
    *out = b;
    return WB_OK;
}

/* ---------------------------------------------------------- run control */

void wb_stop_free(wb_stop *st)
{
    wb_value_free(&st->value);
    wb_value_free(&st->watch_old);
    wb_value_free(&st->watch_new);
    memset(st, 0, sizeof *st);
}

void wb_session_interrupt(wb_session *s)
{
    if (s->rsp) wb_rsp_interrupt(s->rsp);
}

typedef enum raw_kind { RAW_STOP, RAW_EXIT, RAW_KILLED } raw_kind;

/* One resume packet and its stop, with polling for an interrupt. */
typedef struct raw_stop {
    raw_kind kind;
    wb_rsp_stop rsp;
    wb_code_off pc;
    bool pc_valid;
} raw_stop;

static void note_stop(wb_session *s, raw_stop *r)
{
    frames_clear(s);
    s->inline_skip_known = false;
    if (r->kind == RAW_STOP) {
        r->pc_valid = r->rsp.have_pc && code_off_of(s, r->rsp.pc, &r->pc);
        s->stop_pc = r->pc;
        s->stop_pc_valid = r->pc_valid;
        s->last_stop = r->rsp;
        s->first_stop = false;
        s->state = WB_PROC_STOPPED;
    } else {
        s->state = WB_PROC_NONE;
    }
}

static wb_status wait_raw(wb_session *s, raw_stop *r, wb_error *err)
{
    bool interrupted = false;
    for (;;) {
        int rc = wb_rsp_wait_stop(s->rsp, &r->rsp, POLL_MS);
        if (rc == -ETIMEDOUT) {
            if (!interrupted && s->poll && s->poll(s->poll_user)) {
                wb_rsp_interrupt(s->rsp);
                interrupted = true;
            }
            continue;
        }
        if (rc < 0) {
            wb_status st = rsp_fail(s, err, rc, "waiting for the program");
            disconnect(s);
            return st;
        }
        break;
    }
    r->kind = r->rsp.kind == WB_STOP_EXITED   ? RAW_EXIT
              : r->rsp.kind == WB_STOP_KILLED ? RAW_KILLED
                                              : RAW_STOP;
    /* the end of the recorded history is no step's end, whatever reason
     * the stub gives with it: every "trace" check sees another stop */
    if (r->rsp.history_begin || r->rsp.history_end)
        snprintf(r->rsp.reason, sizeof r->rsp.reason, "replaylog");
    note_stop(s, r);
    if (r->kind != RAW_STOP) {
        wb_rsp_close(s->rsp);
        s->rsp = NULL;
        s->ninserted = 0;
        reap(s);
    }
    return WB_OK;
}

typedef enum raw_action { ACT_CONT, ACT_STEP, ACT_RANGE } raw_action;

static wb_status go_raw(wb_session *s, raw_action a, wb_code_off lo, wb_code_off hi, raw_stop *r,
                        wb_error *err);

/* vCont;r done with single steps, for stubs without range stepping: it
 * stops where the stub would (the first pc outside [lo, hi), or any other
 * stop), so source steps see the same pcs either way. Calls are entered;
 * the caller's depth check steps back out of them. */
static wb_status range_by_steps(wb_session *s, wb_code_off lo, wb_code_off hi, raw_stop *r,
                                wb_error *err)
{
    for (long n = 0; n < 100000000L; n++) {
        if (go_raw(s, ACT_STEP, 0, 0, r, err) != WB_OK) return WB_ERROR;
        if (r->kind != RAW_STOP || strcmp(r->rsp.reason, "trace") != 0 || !r->pc_valid ||
            r->pc < lo || r->pc >= hi)
            return WB_OK;
        if ((n & 1023) == 1023 && s->poll && s->poll(s->poll_user)) return WB_OK;
    }
    return WB_OK;
}

static wb_status go_raw(wb_session *s, raw_action a, wb_code_off lo, wb_code_off hi, raw_stop *r,
                        wb_error *err)
{
    int rc;
    /* no reverse range step in the protocol: backward, single steps */
    if (a == ACT_RANGE && (s->reverse || !wb_rsp_features_of(s->rsp)->vcont_range))
        return range_by_steps(s, lo, hi, r, err);
    if (a == ACT_CONT)
        rc = s->reverse ? wb_rsp_reverse_continue(s->rsp) : wb_rsp_continue(s->rsp);
    else if (a == ACT_STEP)
        rc = s->reverse ? wb_rsp_reverse_step(s->rsp) : wb_rsp_step(s->rsp);
    else
        rc = wb_rsp_range_step(s->rsp, code_addr(s, lo), code_addr(s, hi));
    if (rc < 0) {
        wb_status st = rsp_fail(s, err, rc, "resuming");
        disconnect(s);
        return st;
    }
    frames_clear(s);
    return wait_raw(s, r, err);
}

static bool is_inserted(const wb_session *s, wb_code_off pc)
{
    return in_list(s->inserted, s->ninserted, pc);
}

/* Resumes from a breakpoint address: the stub would report the breakpoint
 * again at once, so step one instruction with it removed first (what gdb
 * and lldb do). *moved is false when that step already stopped for another
 * reason (r holds it). */
static wb_status step_off(wb_session *s, raw_stop *r, bool *moved, wb_error *err)
{
    *moved = true;
    if (!s->stop_pc_valid || !is_inserted(s, s->stop_pc)) return WB_OK;
    wb_code_off pc = s->stop_pc;
    int rc = wb_rsp_breakpoint(s->rsp, 0, code_addr(s, pc), 1, false);
    if (rc < 0) return rsp_fail(s, err, rc, "removing a breakpoint");
    WB_TRY(go_raw(s, ACT_STEP, 0, 0, r, err));
    if (r->kind != RAW_STOP) {
        *moved = false;
        return WB_OK;
    }
    rc = wb_rsp_breakpoint(s->rsp, 0, code_addr(s, pc), 1, true);
    if (rc < 0) return rsp_fail(s, err, rc, "inserting a breakpoint");
    /* a trap or watchpoint during that instruction is a stop of its own */
    if (strcmp(r->rsp.reason, "trace") != 0) *moved = false;
    return WB_OK;
}

static size_t depth_now(wb_session *s, wb_error *err, bool *ok)
{
    *ok = load_pcs(s, err) == WB_OK;
    return s->nphys;
}

/* Evaluates a breakpoint's condition in frame 0; errors stop (gdb does). */
static bool condition_true(wb_session *s, const wb_bp *b, wb_stop *out)
{
    if (!b->condition) return true;
    wb_value v;
    wb_error e;
    bool truth = true;
    if (wb_session_eval(s, 0, b->condition, &v, &e) != WB_OK ||
        wb_value_truth(&v, &truth, &e) != WB_OK) {
        snprintf(out->description, sizeof out->description,
                 "Error in testing condition for breakpoint %d: %.180s", b->number, e.msg);
        wb_value_free(&v);
        return true;
    }
    wb_value_free(&v);
    return truth;
}

/* Expands "{expr}" in a logpoint message. */
static char *format_log(wb_session *s, const char *msg)
{
    wb_sbuf b = {0};
    for (const char *p = msg; *p;) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        if (!close) {
            wb_sb_addn(&b, p++, 1);
            continue;
        }
        char *expr = strndup(p + 1, (size_t)(close - p - 1));
        wb_value v;
        wb_error e = {"out of memory"};
        if (expr && wb_session_eval(s, 0, expr, &v, &e) == WB_OK) {
            char *val = wb_value_format(&v, make_env(s, 0), 0);
            wb_value_free(&v);
            if (val) wb_sb_add(&b, val);
            free(val);
        } else {
            wb_sb_addf(&b, "<%s>", e.msg);
        }
        free(expr);
        p = close + 1;
    }
    return wb_sb_take(&b);
}

typedef enum verdict { V_IGNORE, V_REPORT } verdict;

/* Decides what a breakpoint stop at pc means for user breakpoints: the
 * first enabled one whose condition holds and whose ignore count is used
 * up is reported (temporary ones are deleted). Logpoints print and go on. */
static verdict user_breakpoint(wb_session *s, wb_code_off pc, wb_stop *out)
{
    for (size_t i = 0; i < s->nbps; i++) {
        wb_bp *b = s->bps[i];
        if (b->type != WB_BP_BREAK || !b->enabled) continue;
        bool here = false;
        for (size_t k = 0; k < b->nlocs; k++)
            here |= b->locs[k].addr == pc;
        if (!here || !condition_true(s, b, out)) continue;
        if (b->ignore) {
            b->ignore--;
            b->hits++;
            continue;
        }
        b->hits++;
        if (b->log_message) {
            char *text = format_log(s, b->log_message);
            if (text && s->on_log) s->on_log(s->log_user, text);
            free(text);
            continue;
        }
        out->why = WB_WHY_BREAKPOINT;
        out->bp = b->number;
        out->bp_temporary = b->temporary;
        if (b->temporary) {
            wb_error e;
            wb_session_delete(s, b->number, &e);
        }
        return V_REPORT;
    }
    return V_IGNORE;
}

static bool same_bytes(const wb_value *a, const wb_value *b)
{
    return a->size == b->size && (a->size == 0 || memcmp(a->bytes, b->bytes, a->size) == 0);
}

/* A watchpoint stop: which watchpoint, old and new values. V_IGNORE when a
 * write left the value unchanged (gdb's software check for `watch`). */
/* The watched value now (its type .type NULL when it cannot be read):
 * the expression, or out of its scope the same bytes with the old type. */
static bool read_watched(wb_session *s, const wb_bp *b, wb_value *now)
{
    wb_error e;
    if (wb_session_eval(s, 0, b->spec, now, &e) != WB_OK || now->kind != WB_VAL_MEMORY ||
        now->addr != b->watch_addr) {
        wb_value_free(now);
        uint8_t buf[8];
        if (read_mem(s, b->watch_addr, buf, b->watch_len) != 0 ||
            wb_value_from_bytes(b->old_value.type, buf, b->watch_len, now, &e) != WB_OK)
            memset(now, 0, sizeof *now);
    }
    return now->type != NULL;
}

static verdict watch_hit(wb_session *s, const raw_stop *r, wb_stop *out)
{
    uint64_t a = r->rsp.watch_addr & 0xffffffffu;
    for (size_t i = 0; i < s->nbps; i++) {
        wb_bp *b = s->bps[i];
        if (b->type == WB_BP_BREAK || !b->enabled) continue;
        if (a < b->watch_addr || a >= b->watch_addr + b->watch_len) continue;
        wb_value now;
        read_watched(s, b, &now);
        if (b->type == WB_BP_WATCH && now.type && same_bytes(&now, &b->old_value) && s->reverse) {
            /* backward, a stub may stop where the write is done (where a
             * forward run reports it: wdb-run does) rather than before
             * it (gdb's record targets): one instruction back is the
             * write, with the value before it */
            raw_stop back;
            wb_error e2;
            wb_value before;
            memset(&before, 0, sizeof before);
            if (go_raw(s, ACT_STEP, 0, 0, &back, &e2) == WB_OK && back.kind == RAW_STOP &&
                strcmp(back.rsp.reason, "trace") == 0 && read_watched(s, b, &before) &&
                !same_bytes(&before, &b->old_value)) {
                wb_value_free(&now);
                now = before;
            } else {
                wb_value_free(&before);
            }
        }
        if (b->type == WB_BP_WATCH && now.type && same_bytes(&now, &b->old_value)) {
            wb_value_free(&now);
            return V_IGNORE;
        }
        b->hits++;
        out->why = WB_WHY_WATCHPOINT;
        out->bp = b->number;
        out->watch_has_old = b->type != WB_BP_RWATCH;
        out->watch_old = b->old_value;
        memset(&b->old_value, 0, sizeof b->old_value);
        if (now.type) {
            wb_error e2;
            wb_value_copy(&b->old_value, &now, &e2);
        }
        out->watch_new = now;
        return V_REPORT;
    }
    /* a watchpoint we do not know: report it plainly */
    out->why = WB_WHY_WATCHPOINT;
    return V_REPORT;
}

/* A stop at the return address of a watched local's frame, that frame
 * gone: the watchpoint is deleted and the stop reported (gdb's
 * watchpoint_scope breakpoint). V_IGNORE: no such watchpoint here. */
static verdict watch_scope_left(wb_session *s, wb_code_off pc, wb_stop *out)
{
    size_t d = 0;
    bool have_depth = false;
    for (size_t i = 0; i < s->nbps; i++) {
        wb_bp *b = s->bps[i];
        if (b->type == WB_BP_BREAK || !b->scope_depth || b->scope_ret != pc) continue;
        if (!have_depth) {
            wb_error e;
            bool ok;
            d = depth_now(s, &e, &ok);
            if (!ok) return V_IGNORE;
            have_depth = true;
        }
        if (d >= b->scope_depth) continue; /* a deeper call returning */
        int number = b->number;
        wb_error e;
        if (wb_session_delete(s, number, &e) != WB_OK) return V_IGNORE;
        out->why = WB_WHY_WATCH_SCOPE;
        out->bp = number;
        out->new_function = true;
        return V_REPORT;
    }
    return V_IGNORE;
}

/* A C string of the program at the address `expr` evaluates to in frame
 * 0 (at most 255 bytes), or NULL. */
static char *target_string(wb_session *s, const char *expr)
{
    wb_value v;
    wb_error e;
    int64_t a;
    if (wb_session_eval(s, 0, expr, &v, &e) != WB_OK) return NULL;
    wb_status st = wb_value_as_i64(&v, &a, &e);
    wb_value_free(&v);
    char buf[256];
    size_t got = 0;
    if (st != WB_OK || a <= 0) return NULL;
    /* in pieces: the string may end near the end of memory */
    while (got < sizeof buf - 1 && !memchr(buf, 0, got)) {
        size_t n = sizeof buf - 1 - got < 32 ? sizeof buf - 1 - got : 32;
        if (wb_session_read_memory(s, (uint64_t)a + got, buf + got, n, &e) != WB_OK) break;
        got += n;
    }
    buf[got] = 0;
    return got && memchr(buf, 0, got + 1) ? strdup(buf) : NULL;
}

/* A stop at the throw hook: notes the thrown object and its thrower's
 * frame (2: the hook, __cxa_throw or __cxa_rethrow, then the thrower). */
static void note_throw(wb_session *s)
{
    wb_value v;
    wb_error e;
    int64_t obj;
    if (wb_session_eval(s, 0, "obj", &v, &e) != WB_OK) return;
    wb_status st = wb_value_as_i64(&v, &obj, &e);
    wb_value_free(&v);
    const wb_frame *f = wb_session_frame(s, 2);
    if (st != WB_OK || !f) return;
    wb_sbuf site = {0};
    wb_sb_add(&site, f->function ? f->function : "??");
    if (f->file) wb_sb_addf(&site, " at %s:%u", f->file, f->line);
    if (site.oom) {
        free(site.s);
        return;
    }
    struct cxx_throw *t = &s->throws[s->next_throw++ % (sizeof s->throws / sizeof s->throws[0])];
    free(t->site);
    t->obj = (uint64_t)obj;
    t->site = wb_sb_take(&site);
}

char *wb_session_cxx_uncaught(wb_session *s)
{
    wb_value v;
    wb_error e;
    int64_t obj;
    if (wb_session_eval(s, 0, "__wdb_cxa_in_flight", &v, &e) != WB_OK) return NULL;
    wb_status st = wb_value_as_i64(&v, &obj, &e);
    wb_value_free(&v);
    if (st != WB_OK || obj == 0) return NULL;
    char *mangled = target_string(s, "__wdb_cxa_in_flight_type->name");
    if (!mangled) return NULL;
    char type[256];
    if (!wb_cxx_type_demangle(mangled, type, sizeof type))
        snprintf(type, sizeof type, "%s", mangled);
    free(mangled);
    const char *site = NULL;
    for (size_t i = 0; i < sizeof s->throws / sizeof s->throws[0]; i++)
        if (s->throws[i].site && s->throws[i].obj == (uint64_t)obj) site = s->throws[i].site;
    wb_sbuf o = {0};
    wb_sb_addf(&o, "'%s'", type);
    if (site) wb_sb_addf(&o, ", thrown in %s", site);
    if (o.oom) {
        free(o.s);
        return NULL;
    }
    return wb_sb_take(&o);
}

/* Classifies a stop that is not the expected end of a step. Returns
 * V_REPORT with *out filled, or V_IGNORE (a breakpoint whose condition
 * failed, a logpoint, an unchanged watched value, an internal breakpoint:
 * the caller decides). */
static verdict classify(wb_session *s, const raw_stop *r, wb_stop *out)
{
    if (r->kind == RAW_EXIT) {
        out->why = WB_WHY_EXITED;
        out->exit_code = r->rsp.code;
        return V_REPORT;
    }
    if (r->kind == RAW_KILLED) {
        out->why = WB_WHY_KILLED;
        out->exit_code = r->rsp.code;
        return V_REPORT;
    }
    const char *why = r->rsp.reason;
    if (r->rsp.history_begin || r->rsp.history_end) {
        out->why = WB_WHY_NO_HISTORY;
        return V_REPORT;
    }
    if (strcmp(why, "exception") == 0) {
        out->why = WB_WHY_TRAP;
        snprintf(out->description, sizeof out->description, "%s", r->rsp.description);
        return V_REPORT;
    }
    if (strcmp(why, "watchpoint") == 0) return watch_hit(s, r, out);
    if (strcmp(why, "breakpoint") == 0 && r->pc_valid) {
        if (s->throw_hook_state == 2 && r->pc == s->throw_hook) note_throw(s);
        if (watch_scope_left(s, r->pc, out) == V_REPORT) return V_REPORT;
        if (user_breakpoint(s, r->pc, out) == V_REPORT) return V_REPORT;
        return V_IGNORE;
    }
    if (strcmp(why, "signal") == 0 || r->rsp.code == 2) {
        out->why = WB_WHY_INTERRUPT;
        return V_REPORT;
    }
    if (strcmp(why, "trace") == 0) return V_IGNORE;
    out->why = WB_WHY_SIGNAL;
    snprintf(out->description, sizeof out->description, "%s", r->rsp.description);
    return V_REPORT;
}

/* Where one raw step of a source-level step ended (moved: it left the
 * stop pc): at the step's end, or at a stop not worth reporting (a
 * breakpoint whose condition is false): go on; at a stop to report
 * (classify set *out); or at no stop (the program ended: *out says so). */
typedef enum landing { LAND_ON, LAND_REPORT, LAND_GONE } landing;
static landing step_landing(wb_session *s, const raw_stop *r, bool moved, wb_stop *out)
{
    if (moved && r->kind == RAW_STOP && strcmp(r->rsp.reason, "trace") == 0) return LAND_ON;
    if (classify(s, r, out) == V_REPORT) return LAND_REPORT;
    return r->kind == RAW_STOP ? LAND_ON : LAND_GONE;
}

/* One instruction from the stop pc: off a breakpoint inserted there
 * (step_off), else the stub's single step. */
static wb_status single_step(wb_session *s, raw_stop *r, bool *moved, wb_error *err)
{
    *moved = true;
    if (s->stop_pc_valid && is_inserted(s, s->stop_pc)) return step_off(s, r, moved, err);
    return go_raw(s, ACT_STEP, 0, 0, r, err);
}

/* After a line step's round went on (LAND_ON): the user's interrupt, or a
 * pc outside the code, end the step (1, *out set); else *depth is the
 * depth now (0), or -1 on an error. */
static int step_round_end(wb_session *s, const raw_stop *r, size_t *depth, wb_stop *out,
                          wb_error *err)
{
    if (s->poll && s->poll(s->poll_user)) {
        out->why = WB_WHY_INTERRUPT;
        return 1;
    }
    bool ok;
    *depth = depth_now(s, err, &ok);
    if (!ok) return -1;
    if (!r->pc_valid) {
        out->why = WB_WHY_STEP;
        return 1;
    }
    return 0;
}

/* Continues until a stop to report; internal breakpoints at `until_pc`
 * (depth-checked: only when the call stack is at most `max_depth` deep)
 * end it with *reached. */
static wb_status run_to(wb_session *s, wb_stop *out, bool *reached, size_t max_depth, wb_error *err)
{
    *reached = false;
    for (;;) {
        raw_stop r;
        bool moved;
        if (sync_breakpoints(s, err) != WB_OK) return WB_ERROR;
        if (step_off(s, &r, &moved, err) != WB_OK) return WB_ERROR;
        if (moved) {
            if (go_raw(s, ACT_CONT, 0, 0, &r, err) != WB_OK) return WB_ERROR;
        }
        if (r.kind == RAW_STOP && strcmp(r.rsp.reason, "breakpoint") == 0 && r.pc_valid &&
            s->ninternal) {
            bool internal = false;
            for (size_t i = 0; i < s->ninternal; i++)
                internal |= s->internal[i] == r.pc;
            if (internal) {
                bool ok;
                size_t d = depth_now(s, err, &ok);
                if (!ok) return WB_ERROR;
                if (d <= max_depth) {
                    /* a user breakpoint at the same place is reported too */
                    if (user_breakpoint(s, r.pc, out) == V_REPORT) return WB_OK;
                    *reached = true;
                    return WB_OK;
                }
            }
        }
        if (classify(s, &r, out) == V_REPORT) return WB_OK;
    }
}

/* The top of frame 0's operand stack, by probing upward (the height is not
 * in the protocol). */
static int stack_top(wb_session *s, uint64_t *value)
{
    uint64_t v, last = 0;
    bool any = false;
    for (uint32_t i = 0; i < 1024; i++) {
        if (wasm_value(s, "StackValue", 0, i, &v) < 0) break;
        last = v;
        any = true;
    }
    if (!any) return -ENOENT;
    *value = last;
    return 0;
}

static wb_status step_out_to(wb_session *s, size_t depth, wb_stop *out, bool *reached,
                             wb_error *err);

static bool scope_has(const wb_scope *sc, wb_code_off pc)
{
    for (size_t i = 0; i < sc->nranges; i++)
        if (pc >= sc->ranges[i].lo && pc < sc->ranges[i].hi) return true;
    return sc->nranges == 0 && pc >= sc->low_pc && pc < sc->high_pc;
}

/* `finish` in an inlined call: step (range by range, calls run) until the
 * pc leaves the inlined code in the same physical frame. No value: an
 * inlined call has no return to read it from. */
static wb_status finish_inlined(wb_session *s, const wb_scope *sc, size_t depth, wb_stop *out,
                                wb_error *err)
{
    for (int round = 0; round < MAX_STEP_ROUNDS; round++) {
        wb_code_off pc = s->stop_pc;
        if (!s->stop_pc_valid || !scope_has(sc, pc)) break;
        wb_code_off hi = pc + 1;
        for (size_t i = 0; i < sc->nranges; i++)
            if (pc >= sc->ranges[i].lo && pc < sc->ranges[i].hi) hi = sc->ranges[i].hi;
        if (sc->nranges == 0) hi = sc->high_pc;
        raw_stop r;
        bool moved = true;
        if (is_inserted(s, pc)) {
            if (step_off(s, &r, &moved, err) != WB_OK) return WB_ERROR;
        } else if (go_raw(s, ACT_RANGE, pc, hi, &r, err) != WB_OK) {
            return WB_ERROR;
        }
        if (step_landing(s, &r, moved, out) != LAND_ON) return WB_OK;
        bool ok;
        size_t d = depth_now(s, err, &ok);
        if (!ok) return WB_ERROR;
        if (d > depth) {
            bool reached;
            if (step_out_to(s, depth, out, &reached, err) != WB_OK) return WB_ERROR;
            if (!reached) return WB_OK;
        } else if (d < depth) {
            break;
        }
    }
    out->why = WB_WHY_STEP;
    out->new_function = true;
    return WB_OK;
}

/* The type clang's wasm32 C ABI returns a value of type t as, directly on
 * the operand stack: t itself when it is a scalar, the one scalar inside a
 * struct or union of a single element (nested single-element structs and
 * one-element arrays unwrapped: clang's isSingleElementStruct); NULL for the
 * other aggregates, which come back through memory: the caller passes
 * their address as the callee's first Wasm parameter (sret). */
static const wb_type *returned_as(const wb_type *t)
{
    for (int depth = 0; depth < 16; depth++) {
        t = wb_type_strip(t);
        if (!t) return NULL;
        if (t->kind == WB_TYPE_ARRAY && t->ndims == 1 && t->dims[0] == 1) {
            t = t->target;
            continue;
        }
        if (t->kind != WB_TYPE_STRUCT && t->kind != WB_TYPE_UNION) return t;
        const wb_type *only = NULL;
        size_t n = 0;
        for (size_t i = 0; i < t->nmembers; i++) {
            if (wb_type_size(t->members[i].type) == 0) continue; /* empty: ignored */
            only = t->members[i].type;
            n++;
        }
        if (n != 1 || wb_type_size(only) != wb_type_size(t)) return NULL;
        t = only;
    }
    return NULL;
}

static wb_status finish(wb_session *s, size_t frame, wb_stop *out, wb_error *err)
{
    frame_rec *f = frame_at(s, frame);
    if (!f) return wb_fail(err, "No stack.");
    if (f->pub.inlined && frame == 0) {
        if (sync_breakpoints(s, err) != WB_OK) return WB_ERROR;
        return finish_inlined(s, f->pub.fn, s->nphys, out, err);
    }
    size_t phys = f->pub.phys;
    if (phys + 1 >= s->nphys)
        return wb_fail(err, "\"finish\" not meaningful in the outermost frame.");
    const wb_scope *fn = f->pub.fn;
    size_t depth = s->nphys - phys; /* frames from the outermost up to this one */
    wb_code_off ret;
    if (!code_off_of(s, s->pcs[phys + 1], &ret))
        return wb_fail(err, "Cannot find the caller of the selected frame.");
    /* a struct returned through memory: where, read before the frame goes */
    const wb_type *rt = NULL;
    wb_error e;
    if (fn && s->dwarf && wb_dwarf_scope_return_type(s->dwarf, fn, &rt, &e) != WB_OK) rt = NULL;
    if (rt && wb_type_strip(rt)->kind == WB_TYPE_VOID) rt = NULL;
    uint64_t sret = 0;
    bool have_sret = rt && !returned_as(rt) && wb_type_size(rt) > 0 &&
                     wasm_value(s, "Local", phys, 0, &sret) == 0;
    s->ninternal = 0;
    internal_push(s, ret);
    bool reached;
    wb_status st = run_to(s, out, &reached, depth - 1, err);
    s->ninternal = 0;
    if (st != WB_OK || !reached) return st;
    out->why = WB_WHY_STEP;
    out->new_function = true;
    if (!rt) return WB_OK;
    size_t size = (size_t)wb_type_size(rt);
    if (have_sret) {
        /* the object the caller passed the address of, now filled in */
        /* (wb_value_from_bytes refuses sizes past max-value-size) */
        if (wb_value_from_bytes(rt, NULL, 0, &out->value, &e) == WB_OK) {
            if (read_mem(s, (uint32_t)sret, out->value.bytes, size) == 0)
                out->has_value = true; /* a copy, as gdb's value history keeps */
            else
                wb_value_free(&out->value);
        }
    } else if (returned_as(rt)) {
        uint64_t v;
        if (size && size <= 8 && stack_top(s, &v) == 0) {
            uint8_t b[8];
            for (int i = 0; i < 8; i++)
                b[i] = (uint8_t)(v >> (8 * i));
            if (wb_value_from_bytes(rt, b, size, &out->value, &e) == WB_OK) out->has_value = true;
        }
    }
    if (!out->has_value) out->value_type = rt;
    return WB_OK;
}

/* The line row at pc (with a line), or false. */
static bool row_at(wb_session *s, wb_code_off pc, wb_line *row)
{
    wb_error e;
    return s->dwarf && wb_dwarf_line_at(s->dwarf, pc, row, &e) == WB_OK && row->line;
}

static bool has_line_info(wb_session *s, wb_code_off pc)
{
    wb_line row;
    return row_at(s, pc, &row);
}

/* The range a source step may run through without stopping: the rows of
 * the line at pc, widened over neighbouring rows of the same line and of
 * line 0 (compiler-made code, which a step never stops in), so a loop on
 * one line whose code -O2 interleaves with line-0 rows is still one range
 * and one round trip. */
static bool step_range(wb_session *s, wb_code_off pc, wb_code_off *lo, wb_code_off *hi)
{
    wb_error e;
    wb_line row0;
    if (!s->dwarf || wb_dwarf_line_range(s->dwarf, pc, lo, hi, &e) != WB_OK || pc >= *hi)
        return false;
    if (wb_dwarf_line_at(s->dwarf, pc, &row0, &e) != WB_OK) return true;
    for (int guard = 0; guard < 4096; guard++) {
        wb_line r;
        wb_code_off a, b;
        if (wb_dwarf_line_at(s->dwarf, *hi, &r, &e) != WB_OK || r.addr != *hi) break;
        bool same = r.line == 0 ||
                    (r.line == row0.line && r.file && row0.file && strcmp(r.file, row0.file) == 0);
        if (!same || wb_dwarf_line_range(s->dwarf, *hi, &a, &b, &e) != WB_OK || b <= *hi) break;
        *hi = b;
    }
    for (int guard = 0; guard < 4096 && *lo > 0; guard++) {
        wb_line r;
        wb_code_off a, b;
        if (wb_dwarf_line_at(s->dwarf, *lo - 1, &r, &e) != WB_OK) break;
        bool same = r.line == 0 ||
                    (r.line == row0.line && r.file && row0.file && strcmp(r.file, row0.file) == 0);
        if (!same || wb_dwarf_line_range(s->dwarf, *lo - 1, &a, &b, &e) != WB_OK || a >= *lo ||
            b != *lo)
            break;
        *lo = a;
    }
    return true;
}

/* Whether the instruction at `off` is a tail call (return_call*: it both
 * calls and leaves the function; the callee's frame replaces this one). */
static bool is_tail_call(const wb_session *s, wb_code_off off)
{
    const uint8_t *code = wb_wasm_code(s->wasm);
    if (!code || off >= wb_wasm_code_size(s->wasm)) return false;
    const wf_op *op = wf_op_info(code[off]);
    return op && (op->flags & (WF_OPF_CALL | WF_OPF_BRANCH)) == (WF_OPF_CALL | WF_OPF_BRANCH);
}

/* For `step`: the first call instruction in [from, to), or `to`. */
static wb_code_off next_call(wb_session *s, wb_code_off from, wb_code_off to)
{
    const wb_func *f;
    if (wb_wasm_func_at(s->wasm, from, &f) != WB_OK) return to;
    wb_insn *ins = NULL;
    size_t n = 0;
    wb_error e;
    if (wb_disasm_func(s->wasm, wb_wasm_code(s->wasm), wb_wasm_code_size(s->wasm), f, &ins, &n,
                       &e) != WB_OK) {
        free(ins);
        return to;
    }
    wb_code_off r = to;
    for (size_t i = 0; i < n; i++) {
        if (ins[i].off < from || ins[i].off >= to) continue;
        if (ins[i].op && (ins[i].op->flags & WF_OPF_CALL)) {
            r = ins[i].off;
            break;
        }
    }
    free(ins);
    return r;
}

/* Steps out of frame 0 back to depth `depth` (a function without line
 * info, or a call a single step entered). */
static wb_status step_out_to(wb_session *s, size_t depth, wb_stop *out, bool *reached,
                             wb_error *err)
{
    bool ok;
    size_t d = depth_now(s, err, &ok);
    if (!ok) return WB_ERROR;
    *reached = false;
    if (d <= depth) {
        *reached = true;
        return WB_OK;
    }
    /* return address into the frame at `depth`; backward, the call
     * instruction before it */
    wb_code_off ret;
    if (!code_off_of(s, s->pcs[d - depth], &ret))
        return wb_fail(err, "cannot find where the call returns");
    if (s->reverse) ret = call_before_ret(s, ret);
    s->ninternal = 0;
    internal_push(s, ret);
    wb_status st = run_to(s, out, reached, depth, err);
    s->ninternal = 0;
    return st;
}

/* Where a source step is, inlined calls considered: the innermost
 * function or inlined call at pc (*cur) and whether it is `scope` (0), a
 * call inlined into `scope` (1: *callee is the one made from `scope`
 * itself, *ncalls the inlined calls from *cur out to it), or outside
 * `scope` (-1: the step left it). */
static int scope_relation(wb_session *s, wb_code_off pc, const wb_scope *scope,
                          wb_scope_chain *chain, const wb_scope **cur, const wb_scope **callee,
                          size_t *ncalls)
{
    wb_error e;
    *cur = *callee = NULL;
    *ncalls = 0;
    memset(chain, 0, sizeof *chain);
    if (!scope || !s->dwarf || wb_dwarf_scopes_at(s->dwarf, pc, chain, &e) != WB_OK) return 0;
    for (size_t i = 0; i < chain->count; i++) {
        const wb_scope *sc = chain->scopes[i];
        if (sc->kind == WB_SCOPE_BLOCK) continue;
        if (!*cur) *cur = sc;
        if (sc == scope) return *cur == scope ? 0 : 1;
        *callee = sc;
        ++*ncalls;
    }
    return -1;
}

/* Runs until the call stack is at most `depth` deep by range steps over
 * whole functions. Unlike step_out_to's breakpoint at a return address, it
 * also ends where an exception thrown below lands: a handler in the frame
 * at `depth` or in a caller (the runtime ends a range step at any
 * instruction of a shallower frame). *reached false: another stop to
 * report (in *out). */
static wb_status step_out_ranged(wb_session *s, size_t depth, wb_stop *out, bool *reached,
                                 wb_error *err)
{
    *reached = false;
    for (int round = 0; round < MAX_STEP_ROUNDS; round++) {
        bool ok;
        size_t d = depth_now(s, err, &ok);
        if (!ok) return WB_ERROR;
        if (d <= depth) {
            *reached = true;
            return WB_OK;
        }
        const wb_func *f;
        if (!s->stop_pc_valid || wb_wasm_func_at(s->wasm, s->stop_pc, &f) != WB_OK)
            return step_out_to(s, depth, out, reached, err);
        raw_stop r;
        bool moved = true;
        if (is_inserted(s, s->stop_pc)) {
            if (step_off(s, &r, &moved, err) != WB_OK) return WB_ERROR;
        } else if (go_raw(s, ACT_RANGE, f->start, f->end, &r, err) != WB_OK) {
            return WB_ERROR;
        }
        if (step_landing(s, &r, moved, out) != LAND_ON) return WB_OK;
    }
    return wb_fail(err, "the step did not leave the called functions");
}

static wb_status step_line(wb_session *s, wb_run how, wb_stop *out, wb_error *err)
{
    bool into = how == WB_RUN_STEP;
    bool ok;
    size_t depth = depth_now(s, err, &ok);
    if (!ok) return WB_ERROR;
    if (!s->stop_pc_valid) return wb_fail(err, "Cannot step: the pc is not in the module's code.");
    wb_line row;
    const char *file = NULL;
    uint32_t line = 0;
    wb_code_off start_pc = s->stop_pc;
    const frame_rec *f0 = frame_at(s, 0);
    const wb_scope *start_scope = f0 ? f0->pub.fn : NULL;
    if (into && s->inline_skip > 0 && f0) {
        /* at a hidden inlined call: `step` enters it without running */
        s->inline_skip--;
        s->frames_valid = false;
        out->why = WB_WHY_STEP;
        out->new_function = true;
        return WB_OK;
    }
    if (row_at(s, s->stop_pc, &row)) {
        /* frame 0's line: the call's when an inlined call is hidden */
        file = f0 && f0->pub.line ? f0->pub.file : row.file;
        line = f0 && f0->pub.line ? f0->pub.line : row.line;
    } else {
        /* no line info: gdb runs until the function returns */
        bool reached;
        if (step_out_to(s, depth - 1, out, &reached, err) != WB_OK) return WB_ERROR;
        if (!reached) return WB_OK;
        out->why = WB_WHY_STEP;
        out->new_function = true;
        return WB_OK;
    }
    const wb_scope *step_scope = start_scope; /* the frame being stepped */
    bool returned = false;                    /* from the frame it started in */
    wb_error e;
    if (sync_breakpoints(s, err) != WB_OK) return WB_ERROR;
    for (int round = 0; round < MAX_STEP_ROUNDS; round++) {
        raw_stop r;
        bool moved = true;
        wb_code_off pc = s->stop_pc;
        if (!into && is_tail_call(s, pc)) {
            /* `next` over a tail call: the callee replaces the frame, so
             * run until it returns, as the runtime's range step does */
            bool reached;
            if (step_out_to(s, depth - 1, out, &reached, err) != WB_OK) return WB_ERROR;
            if (!reached) return WB_OK;
            continue;
        }
        /* a single step from a tail call enters the callee at this depth */
        bool tail = false;
        if (is_inserted(s, pc)) {
            tail = is_tail_call(s, pc);
            if (step_off(s, &r, &moved, err) != WB_OK) return WB_ERROR;
        } else {
            wb_code_off lo, hi;
            if (step_range(s, pc, &lo, &hi)) {
                if (into) hi = next_call(s, pc, hi);
                tail = hi == pc && is_tail_call(s, pc);
                if (hi == pc) {
                    if (go_raw(s, ACT_STEP, 0, 0, &r, err) != WB_OK) return WB_ERROR;
                } else {
                    /* `step` must not run over a call before pc: start at pc */
                    if (go_raw(s, ACT_RANGE, into ? pc : lo, hi, &r, err) != WB_OK) return WB_ERROR;
                }
            } else {
                tail = is_tail_call(s, pc);
                if (go_raw(s, ACT_STEP, 0, 0, &r, err) != WB_OK) return WB_ERROR;
            }
        }
        if (step_landing(s, &r, moved, out) != LAND_ON) return WB_OK;
        size_t d;
        int end = step_round_end(s, &r, &d, out, err);
        if (end) return end < 0 ? WB_ERROR : WB_OK;
        /* into the callee of a tail call, which replaced the stepped frame
         * at its depth: `step` enters it as any callee */
        bool tail_entry = tail && into && d == depth;
        if (d > depth || tail_entry) {
            /* in a callee (a single step, or a breakpoint with a false
             * condition inside a call) */
            const wb_scope *callee = NULL;
            if (into && s->dwarf && wb_dwarf_function_at(s->dwarf, r.pc, &callee, &e) == WB_OK &&
                has_line_info(s, r.pc)) {
                wb_code_off entry;
                if (r.pc == callee->low_pc &&
                    wb_dwarf_skip_prologue(s->dwarf, callee, &entry, &e) == WB_OK &&
                    entry != r.pc) {
                    s->ninternal = 0;
                    internal_push(s, entry);
                    bool reached;
                    wb_status st = run_to(s, out, &reached, d, err);
                    s->ninternal = 0;
                    if (st != WB_OK || !reached) return st;
                }
                out->why = WB_WHY_STEP;
                out->new_function = true;
                return WB_OK;
            }
            /* a callee without line info: back to the stepped frame, or
             * for a tail call's, to its caller; from a throw (the throw
             * hook's stop) to where the exception lands, which may be no
             * return address */
            bool reached;
            size_t to = tail_entry ? depth - 1 : depth;
            bool throwing = s->throw_hook_state == 2 && r.pc == s->throw_hook;
            if ((throwing ? step_out_ranged(s, to, out, &reached, err)
                          : step_out_to(s, to, out, &reached, err)) != WB_OK)
                return WB_ERROR;
            if (!reached) return WB_OK;
            continue;
        }
        if (d < depth) {
            /* returned to the caller: gdb goes on to the start of a line
             * there (the rest of the line that made the call runs); from a
             * caller without line rows it steps out to the next one that
             * has them (a row of line 0 is code of no line: the step then
             * goes on to any line's start) */
            wb_line at;
            wb_code_off back = r.pc;
            bool rows = s->dwarf && wb_dwarf_line_at(s->dwarf, back, &at, &e) == WB_OK;
            if (!rows) {
                bool reached;
                if (step_out_to(s, d - 1, out, &reached, err) != WB_OK) return WB_ERROR;
                if (!reached) return WB_OK;
                d = depth_now(s, err, &ok);
                if (!ok) return WB_ERROR;
                back = s->stop_pc;
                rows = s->stop_pc_valid && s->dwarf &&
                       wb_dwarf_line_at(s->dwarf, back, &at, &e) == WB_OK;
            }
            out->why = WB_WHY_STEP;
            out->new_function = true;
            if (!rows || (at.line && at.addr == back && at.is_stmt)) return WB_OK;
            const frame_rec *caller = frame_at(s, 0);
            if (!caller) return WB_OK;
            depth = d;
            returned = true;
            step_scope = caller->pub.fn;
            file = at.line ? at.file : NULL;
            line = at.line;
            continue;
        }
        wb_line now;
        if (!row_at(s, r.pc, &now)) continue; /* line 0 or none: keep going */
        bool other = now.line != line || !now.file || !file || strcmp(now.file, file) != 0;
        wb_scope_chain ch;
        const wb_scope *cur, *callee;
        size_t ncalls;
        int rel = scope_relation(s, r.pc, step_scope, &ch, &cur, &callee, &ncalls);
        /* at the entry of the call made from the stepped frame (and of
         * every call inside it that starts there) */
        bool entry = rel == 1 && inline_calls_at_entry(s, &ch, r.pc) >= ncalls;
        wb_scope_chain_free(&ch);
        if (rel == 1) {
            /* in a call inlined into the stepped frame: a call, for gdb.
             * At its entry, from another line: stop at the call's line
             * (the call is hidden). `step` enters it (at once when the
             * call is on the line being stepped); `next` runs through. */
            bool call_here = callee->call_line == line && callee->call_file && file &&
                             strcmp(callee->call_file, file) == 0;
            if (entry && !call_here && how != WB_RUN_UNTIL) {
                out->why = WB_WHY_STEP;
                out->new_function = returned;
                return WB_OK;
            }
            if (!into) continue;
            if (entry) {
                s->inline_skip = ncalls - 1;
                s->inline_skip_known = true;
            }
            out->why = WB_WHY_STEP;
            out->new_function = true;
            return WB_OK;
        }
        if (rel == -1) {
            /* out of an inlined call: a line's start there ends the step;
             * anywhere else the step goes on, the line it left unchanged */
            if (other && now.addr == r.pc && now.is_stmt) {
                out->why = WB_WHY_STEP;
                out->new_function = true;
                return WB_OK;
            }
            continue;
        }
        if (other && now.addr == r.pc && now.is_stmt) {
            if (how == WB_RUN_UNTIL && now.line < line && r.pc < start_pc) continue;
            out->why = WB_WHY_STEP;
            out->new_function = returned || cur != start_scope;
            return WB_OK;
        }
        if (other && how != WB_RUN_UNTIL && now.addr != r.pc) {
            /* the middle of another line: that line is now the one to
             * leave. At the start of a row that is not a statement the line
             * stays (gdb ignores such rows: -O2 interleaves lines). */
            file = now.file;
            line = now.line;
        }
    }
    return wb_fail(err, "step did not finish after %d rounds", MAX_STEP_ROUNDS);
}

/* One instruction, forward or (s->reverse) back: a call stepped into (a
 * callee's last instruction, backward) is stepped over with `over`. */
static wb_status step_insn(wb_session *s, bool over, wb_stop *out, wb_error *err)
{
    bool ok;
    size_t depth = depth_now(s, err, &ok);
    if (!ok) return WB_ERROR;
    if (sync_breakpoints(s, err) != WB_OK) return WB_ERROR;
    raw_stop r;
    bool moved;
    if (single_step(s, &r, &moved, err) != WB_OK) return WB_ERROR;
    if (step_landing(s, &r, moved, out) != LAND_ON) return WB_OK;
    size_t d = depth_now(s, err, &ok);
    if (!ok) return WB_ERROR;
    if (over && d > depth) {
        bool reached;
        if (step_out_to(s, depth, out, &reached, err) != WB_OK) return WB_ERROR;
        if (!reached) return WB_OK;
    }
    out->why = WB_WHY_STEP;
    out->new_function = d != depth;
    return WB_OK;
}

static wb_status advance(wb_session *s, size_t frame, const char *where, wb_stop *out,
                         wb_error *err)
{
    frame_rec *f = frame_at(s, frame);
    if (!f) return wb_fail(err, "No stack.");
    const char *deffile = f->pub.file;
    wb_code_off *addrs;
    size_t n;
    if (resolve_spec(s, where, deffile, &addrs, NULL, &n, err) != WB_OK) return WB_ERROR;
    s->ninternal = 0;
    for (size_t i = 0; i < n; i++)
        internal_push(s, addrs[i]);
    size_t phys = f->pub.phys;
    size_t depth = s->nphys - phys; /* the selected frame's call depth */
    wb_code_off ret = 0;
    bool has_ret = phys + 1 < s->nphys && code_off_of(s, s->pcs[phys + 1], &ret);
    if (has_ret) internal_push(s, ret);
    bool reached;
    wb_status st;
    /* the location may be in a callee (any depth); the caller's return
     * address counts only once the selected frame has returned (a deeper
     * recursive call returning there does not) */
    for (;;) {
        st = run_to(s, out, &reached, SIZE_MAX, err);
        if (st != WB_OK || !reached) break;
        bool at_location = false;
        for (size_t i = 0; i < n; i++)
            at_location |= addrs[i] == s->stop_pc;
        if (at_location || !has_ret || s->stop_pc != ret || s->nphys < depth) break;
    }
    free(addrs);
    s->ninternal = 0;
    if (st != WB_OK || !reached) return st;
    out->why = WB_WHY_STEP;
    out->new_function = true;
    return WB_OK;
}

/* reverse-finish: back to the call of the selected frame, i.e. the call
 * instruction in its caller (gdb stops there, in the middle of the
 * caller's line). */
static wb_status finish_back(wb_session *s, size_t frame, wb_stop *out, wb_error *err)
{
    frame_rec *f = frame_at(s, frame);
    if (!f) return wb_fail(err, "No stack.");
    size_t phys = f->pub.phys;
    if (phys + 1 >= s->nphys)
        return wb_fail(err, "\"finish\" not meaningful in the outermost frame.");
    size_t depth = s->nphys - phys;
    wb_code_off ret;
    if (!code_off_of(s, s->pcs[phys + 1], &ret))
        return wb_fail(err, "Cannot find the caller of the selected frame.");
    s->ninternal = 0;
    internal_push(s, call_before_ret(s, ret));
    bool reached;
    wb_status st = run_to(s, out, &reached, depth - 1, err);
    s->ninternal = 0;
    if (st != WB_OK || !reached) return st;
    out->why = WB_WHY_STEP;
    out->new_function = true;
    return WB_OK;
}

/* Forward again until the pc is `pc` at call depth `depth` (over calls
 * at that depth): a reverse source step that went one instruction past
 * the start of its line comes back to it. */
static wb_status forward_to(wb_session *s, wb_code_off pc, size_t depth, wb_stop *out,
                            wb_error *err)
{
    s->reverse = false;
    wb_status st = WB_OK;
    bool ok;
    size_t d = depth_now(s, err, &ok);
    for (int i = 0; i < 4096 && ok && st == WB_OK; i++) {
        memset(out, 0, sizeof *out);
        /* into the call when the pc is in the callee (back out of its
         * entry), over calls at its depth */
        st = step_insn(s, d >= depth, out, err);
        if (st != WB_OK || out->why != WB_WHY_STEP || s->state != WB_PROC_STOPPED) break;
        d = depth_now(s, err, &ok);
        if (s->stop_pc_valid && s->stop_pc == pc && d == depth) break;
    }
    if (!ok) st = WB_ERROR;
    s->reverse = true;
    return st;
}

/* Whether pc is in a function's prologue: from its entry to where a
 * forward `step` into it stops (wb_dwarf_skip_prologue). A reverse step
 * does not stop there (gdb goes on back to the caller's line). */
static bool in_prologue(wb_session *s, wb_code_off pc)
{
    const wb_scope *fn;
    wb_code_off entry;
    wb_error e;
    return s->dwarf && wb_dwarf_function_at(s->dwarf, pc, &fn, &e) == WB_OK &&
           wb_dwarf_skip_prologue(s->dwarf, fn, &entry, &e) == WB_OK && pc >= fn->low_pc &&
           pc < entry;
}

/* Whether pc starts a statement row: where a forward source step stops
 * (at another line than it started on). */
static bool line_start(wb_session *s, wb_code_off pc)
{
    wb_line row;
    return row_at(s, pc, &row) && row.addr == pc && row.is_stmt;
}

/* reverse-step / reverse-next (gdb): back to the start of the previous
 * source line executed. Single steps back (the protocol has no reverse
 * range step) through the line stopped in, then through the line before
 * it until one more step would leave it: that step is taken and undone
 * (forward_to), so the stop is the line's first instruction of that pass,
 * where a forward `step` stops, when that is the start of a statement
 * row; a pass that began mid-line (a loop's branch back into it) is no
 * stop forward and none backward: the search goes on from the line
 * before. A call made by the line: `reverse-next` goes back over it to
 * its call instruction (step_out_to, backward), `reverse-step` enters it
 * at the start of its last line. The start of the function: back in the
 * caller, to the start of the line of the call. Inlined calls are not
 * told apart from their caller here. */
static wb_status step_line_back(wb_session *s, wb_run how, wb_stop *out, wb_error *err)
{
    bool into = how == WB_RUN_STEP;
    bool ok;
    size_t depth = depth_now(s, err, &ok);
    if (!ok) return WB_ERROR;
    if (!s->stop_pc_valid) return wb_fail(err, "Cannot step: the pc is not in the module's code.");
    wb_line row;
    if (!row_at(s, s->stop_pc, &row)) {
        /* no line info: back to the call */
        bool reached;
        if (step_out_to(s, depth - 1, out, &reached, err) != WB_OK) return WB_ERROR;
        if (!reached) return WB_OK;
        out->why = WB_WHY_STEP;
        out->new_function = true;
        return WB_OK;
    }
    const char *file = row.file;
    uint32_t line = row.line;
    /* in the line to stop at, looking for its start: from the middle of a
     * line (a reverse-finish, a breakpoint on an address) that is the
     * line's own start, as gdb's step range is */
    bool entered = !line_start(s, s->stop_pc);
    bool moved_frame = false;
    wb_code_off first = s->stop_pc; /* the earliest pc of that line so far */
    if (sync_breakpoints(s, err) != WB_OK) return WB_ERROR;
    for (int round = 0; round < MAX_STEP_ROUNDS; round++) {
        raw_stop r;
        bool moved;
        if (single_step(s, &r, &moved, err) != WB_OK) return WB_ERROR;
        landing l = step_landing(s, &r, moved, out);
        if (l == LAND_REPORT) out->new_function |= moved_frame;
        if (l != LAND_ON) return WB_OK;
        size_t d;
        int end = step_round_end(s, &r, &d, out, err);
        if (end) return end < 0 ? WB_ERROR : WB_OK;
        wb_line now;
        bool rows = row_at(s, r.pc, &now);
        if (d > depth) {
            /* back into a callee, at its last instruction */
            if (into && rows && !in_prologue(s, r.pc)) {
                depth = d;
                file = now.file;
                line = now.line;
                first = r.pc;
                entered = moved_frame = true;
                continue;
            }
            bool reached;
            if (step_out_to(s, depth, out, &reached, err) != WB_OK) return WB_ERROR;
            if (!reached) return WB_OK;
            rows = row_at(s, s->stop_pc, &now);
        } else if (d < depth && entered && line_start(s, first)) {
            /* the line looked for starts the function: back to its entry */
            if (forward_to(s, first, depth, out, err) != WB_OK) return WB_ERROR;
            if (out->why != WB_WHY_STEP) return WB_OK;
            memset(out, 0, sizeof *out);
            out->why = WB_WHY_STEP;
            out->new_function = moved_frame;
            return WB_OK;
        } else if (d < depth) {
            /* back out of the function's entry, at the call in the caller */
            depth = d;
            moved_frame = true;
            if (!rows) {
                bool reached;
                if (step_out_to(s, d - 1, out, &reached, err) != WB_OK) return WB_ERROR;
                if (!reached) return WB_OK;
                depth = depth_now(s, err, &ok);
                if (!ok) return WB_ERROR;
                rows = row_at(s, s->stop_pc, &now);
            }
            if (!rows) {
                out->why = WB_WHY_STEP;
                out->new_function = true;
                return WB_OK;
            }
            file = now.file;
            line = now.line;
            first = s->stop_pc;
            entered = true;
            continue;
        }
        /* line 0 (code of no line) and the prologue: no line to stop in */
        bool prologue = rows && in_prologue(s, s->stop_pc);
        if (!rows || (prologue && !entered)) continue;
        bool same =
            !prologue && now.line == line && now.file && file && strcmp(now.file, file) == 0;
        if (same) {
            first = s->stop_pc;
            continue;
        }
        if (!entered) {
            file = now.file;
            line = now.line;
            first = s->stop_pc;
            entered = true;
            continue;
        }
        if (!line_start(s, first) && !prologue) {
            /* the pass through the line began in its middle (a branch
             * into it, a return to it): no stop for a forward step, none
             * backward; the line now entered is the one looked for */
            file = now.file;
            line = now.line;
            first = s->stop_pc;
            continue;
        }
        /* one step too far: forward again to the line's first pc */
        if (forward_to(s, first, depth, out, err) != WB_OK) return WB_ERROR;
        if (out->why != WB_WHY_STEP) return WB_OK;
        memset(out, 0, sizeof *out);
        out->why = WB_WHY_STEP;
        out->new_function = moved_frame;
        return WB_OK;
    }
    return wb_fail(err, "reverse step did not finish after %d rounds", MAX_STEP_ROUNDS);
}

bool wb_session_can_reverse(const wb_session *s)
{
    if (!s->rsp) return false;
    const wb_rsp_features *f = wb_rsp_features_of(s->rsp);
    return f->reverse_step && f->reverse_continue;
}

bool wb_session_history(wb_session *s, wb_rsp_history *out)
{
    if (!s->rsp || s->state != WB_PROC_STOPPED) return false;
    return wb_rsp_history_info(s->rsp, out) == 0;
}

wb_status wb_session_resume(wb_session *s, wb_run how, size_t frame, const char *where,
                            wb_stop *out, wb_error *err)
{
    return wb_session_resume_dir(s, how, false, frame, where, out, err);
}

wb_status wb_session_resume_dir(wb_session *s, wb_run how, bool reverse, size_t frame,
                                const char *where, wb_stop *out, wb_error *err)
{
    memset(out, 0, sizeof *out);
    if (s->state != WB_PROC_STOPPED || !s->rsp)
        return wb_fail(err, "The program is not being run.");
    if (reverse && !wb_session_can_reverse(s))
        return wb_fail(err, "Target does not support this command.");
    /* backward: the same run control, the stub running backward
     * (s->reverse), but for source steps and finish, which retrace; gdb
     * has no reverse until/advance */
    s->reverse = reverse;
    wb_status st;
    switch (how) {
    case WB_RUN_CONTINUE: {
        bool reached;
        s->ninternal = 0;
        st = run_to(s, out, &reached, 0, err);
        break;
    }
    case WB_RUN_STEP:
    case WB_RUN_NEXT:
        st = reverse ? step_line_back(s, how, out, err) : step_line(s, how, out, err);
        break;
    case WB_RUN_UNTIL:
        if (reverse) goto unsupported;
        st = where ? advance(s, frame, where, out, err) : step_line(s, how, out, err);
        break;
    case WB_RUN_ADVANCE:
        if (reverse) goto unsupported;
        st = advance(s, frame, where ? where : "", out, err);
        break;
    case WB_RUN_STEPI:
    case WB_RUN_NEXTI: st = step_insn(s, how == WB_RUN_NEXTI, out, err); break;
    case WB_RUN_FINISH:
        st = reverse ? finish_back(s, frame, out, err) : finish(s, frame, out, err);
        break;
    default:
        if (reverse) goto unsupported;
        st = wb_fail(err, "unknown run mode");
    }
    s->reverse = false;
    return st;
unsupported:
    s->reverse = false;
    return wb_fail(err, "Target does not support this command.");
}

/* ---------------------------------------------------------------- gcore */

/* The state gathered for one gcore. values[] grows while frames are read,
 * so frames keep positions in it (locals_at, stack_at) until all are read;
 * wb_session_gcore then points them into it. */
typedef struct gcore_ctx {
    wb_session *s;
    wcd_frame *frames;
    size_t *locals_at, *stack_at; /* per frame: where its values start */
    wcd_value *values;
    size_t nvalues, capvalues;
    const wb_func *dis_fn; /* the function disassembled last (callers of a
                              recursion share it) */
    wb_insn *insns;
    size_t ninsns;
    char stop_msg[300];
} gcore_ctx;

static bool gcore_push(gcore_ctx *g, wcd_value v)
{
    if (!wb_grow((void **)&g->values, &g->capvalues, g->nvalues + 1, sizeof *g->values))
        return false;
    g->values[g->nvalues++] = v;
    return true;
}

/* The code offset of the call instruction a caller's return address `ret`
 * follows (the core records callers at their call, wdb-run's cores too;
 * the reader's after_call turns it back into `ret`). The instruction
 * ending at `ret` in the disassembly of fn; ret - 1 if there is none (a
 * stub reporting something else than return addresses). */
static wb_code_off call_before(gcore_ctx *g, const wb_func *fn, wb_code_off ret)
{
    wb_session *s = g->s;
    if (g->dis_fn != fn) {
        wb_error e;
        free(g->insns);
        g->insns = NULL;
        g->ninsns = 0;
        wb_disasm_func(s->wasm, wb_wasm_code(s->wasm), wb_wasm_code_size(s->wasm), fn, &g->insns,
                       &g->ninsns, &e); /* a partial listing is still of use */
        g->dis_fn = fn;
    }
    return insn_ending_at(g->insns, g->ninsns, ret);
}

/* A value read with qWasmLocal/qWasmGlobal/qWasmStackValue as the type
 * `t` says (the stub sends little-endian bytes: 4 for i32/f32, 8 for
 * i64/f64, 8 raw bytes for wdb-run's untyped operand stack). */
static wcd_value gcore_value(uint8_t t, const uint8_t *b, size_t len)
{
    uint64_t v = 0;
    for (size_t i = len < 8 ? len : 8; i-- > 0;)
        v = v << 8 | b[i];
    if ((t == WCD_VAL_I32 || t == WCD_VAL_F32) && len >= 4) return (wcd_value){t, (uint32_t)v};
    if ((t == WCD_VAL_I64 || t == WCD_VAL_F64) && len >= 8) return (wcd_value){t, v};
    return (wcd_value){WCD_VAL_MISSING, 0};
}

/* One qWasm* read. 0 with the value; 1 when the stub has no such value
 * (an `Exx` reply, or no support); < 0 when the connection failed. */
static int gcore_read(gcore_ctx *g, const char *what, size_t frame, uint32_t index, uint8_t *b,
                      size_t *len)
{
    int rc = wb_rsp_wasm_value(g->s->rsp, what, (uint32_t)frame, index, b, 16, len);
    if (rc == -EIO || rc == -ENOTSUP || rc == -EPROTO) return 1;
    return rc;
}

/* Frame p: where it is, its locals and its operand stack. */
static wb_status gcore_frame(gcore_ctx *g, size_t p, wb_error *err)
{
    enum { MAX_STACK = 65536 }; /* a stub that never says "no more" */
    wb_session *s = g->s;
    wcd_frame *f = &g->frames[p];
    wb_code_off off;
    const wb_func *fn = NULL;
    uint8_t b[16];
    size_t len;
    int rc;
    g->locals_at[p] = g->stack_at[p] = g->nvalues;
    if (!code_off_of(s, s->pcs[p], &off) || wb_wasm_func_at(s->wasm, off, &fn) != WB_OK) {
        /* outside the module's code: no function to name (the reader
         * shows "??" for an index it does not know) */
        f->func = UINT32_MAX;
        return WB_OK;
    }
    if (p > 0) off = call_before(g, fn, off);
    f->func = fn->index;
    f->code_offset = off >= fn->start ? off - fn->start : 0;

    uint8_t *types = NULL;
    uint32_t ntypes = 0;
    if (wb_wasm_func_local_types(s->wasm, fn->index - wb_wasm_import_func_count(s->wasm), &types,
                                 &ntypes, err) != WB_OK)
        return WB_ERROR;
    for (uint32_t k = 0; k < ntypes; k++) {
        wcd_value v = {WCD_VAL_MISSING, 0};
        bool numeric = types[k] >= WCD_VAL_F64 && types[k] <= WCD_VAL_I32;
        if (numeric && (rc = gcore_read(g, "Local", p, k, b, &len)) < 0) {
            free(types);
            return rsp_fail(s, err, rc, "reading a local");
        }
        if (numeric && rc == 0) v = gcore_value(types[k], b, len);
        if (!gcore_push(g, v)) {
            free(types);
            return wb_fail(err, "out of memory");
        }
    }
    free(types);
    f->nlocals = ntypes;

    g->stack_at[p] = g->nvalues;
    for (uint32_t k = 0; k < MAX_STACK; k++) {
        if ((rc = gcore_read(g, "StackValue", p, k, b, &len)) < 0)
            return rsp_fail(s, err, rc, "reading the operand stack");
        if (rc > 0) break;
        /* untyped at run time (wdb-run): 8 bytes are an i64, as in
         * wdb-run's own cores */
        if (!gcore_push(g, gcore_value(len >= 8 ? WCD_VAL_I64 : WCD_VAL_I32, b, len)))
            return wb_fail(err, "out of memory");
        f->nstack++;
    }
    return WB_OK;
}

/* `wdb.trap` for the current stop: a trap's message and kind, or kind
 * NONE and how the program stopped. */
static void gcore_why(gcore_ctx *g, wcd_state *st)
{
    const wb_rsp_stop *r = &g->s->last_stop;
    char *m = g->stop_msg;
    if (strcmp(r->reason, "exception") == 0) {
        /* wdb's stubs: "trap: MESSAGE (KIND)"; other stubs: a message */
        const char *msg, *name;
        size_t msg_len, name_len;
        wrsp_trap_split(r->description, &msg, &msg_len, &name, &name_len);
        uint32_t k = name ? wcd_trap_kind_by_name(name, name_len) : WCD_TRAP_UNKNOWN;
        if (k == WCD_TRAP_NONE) k = WCD_TRAP_UNKNOWN;
        if (k == WCD_TRAP_UNKNOWN) msg_len = strlen(msg); /* not a kind: part of the message */
        st->trap_kind = k;
        snprintf(m, sizeof g->stop_msg, "%.*s", (int)msg_len, msg);
        if (!m[0]) snprintf(m, sizeof g->stop_msg, "trap");
    } else {
        st->trap_kind = WCD_TRAP_NONE;
        size_t cap = sizeof g->stop_msg;
        if (strcmp(r->reason, "breakpoint") == 0)
            snprintf(m, cap, "breakpoint");
        else if (strcmp(r->reason, "watchpoint") == 0)
            snprintf(m, cap, "watchpoint");
        else if (strcmp(r->reason, "signal") == 0 || r->code == 2)
            snprintf(m, cap, "interrupt");
        else if (strcmp(r->reason, "trace") == 0)
            snprintf(m, cap, "%s", g->s->first_stop ? "entry" : "step");
        else if (r->description[0])
            snprintf(m, cap, "%s", r->description);
        else
            snprintf(m, cap, "signal %d", r->code);
    }
    st->trap_message = m;
}

/* The size of linear memory 0 from qMemoryRegionInfo: 0 when the stub says
 * the region at 0 is not readable (no memory). */
static wb_status gcore_memory_size(wb_session *s, uint64_t *size, wb_error *err)
{
    const char *r;
    size_t len;
    *size = 0;
    int rc = wb_rsp_requestf(s->rsp, &r, &len, "qMemoryRegionInfo:%llx",
                             (unsigned long long)mem_addr(s, 0));
    if (rc < 0) return rsp_fail(s, err, rc, "reading the memory's size");
    if (len == 0)
        return wb_fail(err, "the stub does not say how large the memory is (no qMemoryRegionInfo)");
    const char *start = strstr(r, "start:"), *sz = strstr(r, "size:");
    const char *perms = strstr(r, "permissions:");
    if (!start || !sz) return wb_fail(err, "bad qMemoryRegionInfo reply: %.60s", r);
    /* readable: an 'r' among the permissions (before the next ';') */
    bool readable = perms && perms[12 + strcspn(perms + 12, "r;")] == 'r';
    if (strtoull(start + 6, NULL, 16) != 0 || !readable) return WB_OK; /* no memory at 0 */
    *size = strtoull(sz + 5, NULL, 16);
    return WB_OK;
}

/* wcd_read_fn over the stub's `m` packets (wb_rsp_read splits them by the
 * stub's PacketSize). */
static int gcore_read_memory(void *user, uint32_t memory, uint64_t offset, void *buf, size_t len)
{
    wb_session *s = user;
    size_t got = 0;
    if (memory != 0 || offset > UINT32_MAX) return -EFAULT;
    int rc = wb_rsp_read(s->rsp, mem_addr(s, offset), buf, len, &got);
    if (rc < 0) return rc;
    return got == len ? 0 : -EFAULT;
}

wb_status wb_session_gcore(wb_session *s, const char *path, wb_error *err)
{
    wb_status ret = WB_ERROR;
    gcore_ctx g;
    wcd_state st;
    wcd_value *globals = NULL;
    uint8_t *gtypes = NULL;
    uint64_t memsize = 0;
    memset(&g, 0, sizeof g);
    memset(&st, 0, sizeof st);
    g.s = s;
    if (s->core || !s->rsp || s->state != WB_PROC_STOPPED)
        return wb_fail(err, "The program is not being run.");
    if (load_frames(s, err) != WB_OK) return WB_ERROR;
    if (s->nphys == 0) return wb_fail(err, "the stub reports no stack frames");

    g.frames = calloc(s->nphys, sizeof *g.frames);
    g.locals_at = calloc(s->nphys, sizeof *g.locals_at);
    g.stack_at = calloc(s->nphys, sizeof *g.stack_at);
    if (!g.frames || !g.locals_at || !g.stack_at) {
        wb_fail(err, "out of memory");
        goto done;
    }
    for (size_t p = 0; p < s->nphys; p++)
        if (gcore_frame(&g, p, err) != WB_OK) goto done;
    for (size_t p = 0; p < s->nphys; p++) {
        g.frames[p].locals = g.values + g.locals_at[p];
        g.frames[p].stack = g.values + g.stack_at[p];
    }
    st.frames = g.frames;
    st.nframes = (uint32_t)s->nphys;

    if (wb_wasm_global_types(s->wasm, &gtypes, &st.nglobals, err) != WB_OK) goto done;
    if (!(globals = calloc(st.nglobals ? st.nglobals : 1, sizeof *globals))) {
        wb_fail(err, "out of memory");
        goto done;
    }
    for (uint32_t i = 0; i < st.nglobals; i++) {
        uint8_t b[16];
        size_t len;
        globals[i] = (wcd_value){gtypes[i], 0}; /* references: ref.null */
        if (gtypes[i] < WCD_VAL_F64 || gtypes[i] > WCD_VAL_I32) continue;
        int rc = wb_rsp_wasm_value(s->rsp, "Global", 0, i, b, sizeof b, &len);
        if (rc < 0) {
            char what[48];
            snprintf(what, sizeof what, "reading global %u", i);
            rsp_fail(s, err, rc, what);
            goto done;
        }
        globals[i] = gcore_value(gtypes[i], b, len);
        if (globals[i].type == WCD_VAL_MISSING) {
            wb_fail(err, "reading global %u: a value of %zu bytes for its type", i, len);
            goto done;
        }
    }
    st.globals = globals;

    if (gcore_memory_size(s, &memsize, err) != WB_OK) goto done;
    st.nmemories = memsize ? 1 : 0;
    st.memory_sizes = &memsize;
    st.read_memory = gcore_read_memory;
    st.user = s;
    st.read_once = true; /* a device behind a serial line: read each byte once */

    size_t msize;
    const uint8_t *mbytes = wb_wasm_bytes(s->wasm, &msize);
    const char *base = strrchr(s->path, '/');
    st.module_name = base ? base + 1 : s->path;
    st.module_size = msize;
    st.module_hash = wcd_fnv1a64(mbytes, msize);
    st.argv = (const char *const *)s->argv;
    st.argc = s->argc;
    gcore_why(&g, &st);

    char msg[200];
    if (wcd_write(&st, path, msg, sizeof msg) != WCD_OK) {
        wb_fail(err, "%s", msg);
        goto done;
    }
    ret = WB_OK;
done:
    free(g.frames);
    free(g.locals_at);
    free(g.stack_at);
    free(g.values);
    free(g.insns);
    free(globals);
    free(gtypes);
    return ret;
}

/* ------------------------------------------------------------ Rust panics */

/* An expression's value at a frame, as `print` shows it (NULL on error). */
static char *panic_text(wb_session *s, size_t frame, const char *expr)
{
    wb_value v;
    wb_error err;
    if (wb_session_eval(s, frame, expr, &v, &err) != WB_OK) return NULL;
    char *t = wb_value_format_plain(&v, make_env(s, frame), 0);
    wb_value_free(&v);
    return t;
}

static bool panic_int(wb_session *s, size_t frame, const char *expr, int64_t *out)
{
    wb_value v;
    wb_error err;
    if (wb_session_eval(s, frame, expr, &v, &err) != WB_OK) return false;
    wb_status st = wb_value_as_i64(&v, out, &err);
    wb_value_free(&v);
    return st == WB_OK;
}

/* A quoted string as wb_value_format prints a &str: its text when it is
 * one simple quoted run. */
static void add_unquoted(wb_sbuf *o, const char *q)
{
    size_t n = q ? strlen(q) : 0;
    if (n >= 2 && q[0] == '"' && q[n - 1] == '"')
        wb_sb_addf(o, "%.*s", (int)(n - 2), q + 1);
    else if (q)
        wb_sb_add(o, q);
}

/* One argument of a panic's fmt::Arguments (value: a pointer to the
 * argument, formatter: the table index of its fmt function): the value
 * of the type the formatter's `self` points to, printed as `print` does
 * (numbers as Display prints them; strings without their quotes), or
 * "{..}" when that type is unknown. */
static void panic_arg(wb_session *s, size_t frame, size_t k, wb_sbuf *o)
{
    char expr[96];
    int64_t addr = 0, fidx = 0;
    uint32_t fi = 0, nimp = wb_wasm_import_func_count(s->wasm);
    const wb_scope *fn = NULL;
    const wb_var *const *vars = NULL;
    size_t nv = 0;
    wb_error e;
    snprintf(expr, sizeof expr, "info.message.0.args[%zu].value", k);
    bool ok = panic_int(s, frame, expr, &addr);
    snprintf(expr, sizeof expr, "info.message.0.args[%zu].formatter", k);
    ok =
        ok && panic_int(s, frame, expr, &fidx) && s->dwarf &&
        wb_wasm_table_func(s->wasm, (uint32_t)fidx, &fi) == WB_OK && fi >= nimp &&
        fi - nimp < wb_wasm_func_count(s->wasm) &&
        wb_dwarf_function_at(s->dwarf, wb_wasm_func(s->wasm, fi - nimp)->start, &fn, &e) == WB_OK &&
        fn && wb_dwarf_scope_vars(s->dwarf, fn, &vars, &nv, &e) == WB_OK && nv > 0 &&
        vars[0]->is_param;
    const wb_type *pt = ok ? wb_type_strip(vars[0]->type) : NULL;
    const wb_type *t = pt && pt->kind == WB_TYPE_POINTER ? pt->target : NULL;
    uint64_t size = t ? wb_type_size(t) : 0;
    uint8_t buf[64];
    const wb_eval_env *env = make_env(s, frame);
    wb_value v;
    if (!t || size == 0 || size > sizeof buf ||
        env->read_memory(env->user, (uint64_t)addr & 0xffffffffu, buf, (size_t)size, &e) != WB_OK ||
        wb_value_from_bytes(t, buf, (size_t)size, &v, &e) != WB_OK) {
        wb_sb_add(o, "{..}");
        return;
    }
    char *text = wb_value_format_plain(&v, env, 0);
    wb_value_free(&v);
    add_unquoted(o, text ? text : "{..}");
    free(text);
}

char *wb_session_rust_panic(wb_session *s)
{
    size_t n = wb_session_frame_count(s), h = n;
    bool panicking = false; /* std's panic path, seen without its DWARF */
    static const char *const path[] = {"rust_begin_unwind", "std::panicking::rust_panic_with_hook",
                                       "rust_panic", "__rust_start_panic",
                                       "panic_abort::__rust_start_panic"};
    for (size_t i = 0; i < n && i < 32; i++) {
        const wb_frame *f = wb_session_frame(s, i);
        if (!f || !f->function) continue;
        if (strcmp(f->function, "std::panicking::begin_panic_handler") == 0) {
            h = i;
            break;
        }
        for (size_t k = 0; k < sizeof path / sizeof path[0]; k++)
            panicking |= strcmp(f->function, path[k]) == 0;
    }
    if (h == n) return panicking ? strdup("") : NULL;
    wb_sbuf o = {0};
    int64_t np = 0, na = 0, line = 0, col = 0;
    wb_sb_add(&o, " at '");
    if (panic_int(s, h, "info.message.0.pieces.length", &np) && np >= 0 && np < 64) {
        if (!panic_int(s, h, "info.message.0.args.length", &na) || na < 0 || na > 64) na = 0;
        for (int64_t k = 0; k < np || k < na; k++) {
            char expr[96];
            if (k < np) {
                snprintf(expr, sizeof expr, "info.message.0.pieces[%" PRId64 "]", k);
                char *t = panic_text(s, h, expr);
                add_unquoted(&o, t ? t : "");
                free(t);
            }
            if (k < na) panic_arg(s, h, (size_t)k, &o);
        }
    } else {
        wb_sb_add(&o, "Box<dyn Any>"); /* a payload without a message */
    }
    wb_sb_add(&o, "'");
    char *file = panic_text(s, h, "info.location.file");
    if (file && panic_int(s, h, "info.location.line", &line) &&
        panic_int(s, h, "info.location.col", &col)) {
        wb_sb_add(&o, ", ");
        add_unquoted(&o, file);
        wb_sb_addf(&o, ":%" PRId64 ":%" PRId64, line, col);
    }
    free(file);
    if (o.oom) {
        free(o.s);
        return NULL;
    }
    return wb_sb_take(&o);
}
