/*
 * wdb-run: runs a WebAssembly module as a WASI command.
 *
 *   wdb-run [options] MODULE.wasm [ARGS...]
 *
 * A thin layer over the runtime's embedding API (wdb/runtime.h): parse the
 * command line, load the module, give it WASI (wr_wasi_*), run _start (or
 * --invoke=NAME) and turn the outcome into an exit status:
 *   - the program's exit code: proc_exit's code, or 0 when _start returns;
 *   - 1 when wdb-run itself fails (cannot read, decode, validate, link...);
 *   - 2 for a bad command line;
 *   - 134 when the program traps. 134 = 128 + SIGABRT is what a shell shows
 *     for a native program that crashed with abort(), so scripts and CI treat
 *     a trap like a crash; no ordinary WASI program exits with it.
 *
 * Options live in one table (opt_table) with their argument and help text.
 *
 * Core dumps (--core-on-trap=PATH or WDB_CORE_ON_TRAP=PATH): written at the
 * trap, while the frames are live, by wdb_core.c. Without a debugger a debug
 * hook of our own does it; it costs nothing while the program runs (the
 * interpreter looks at the hook only at a trap, at entry stops it was asked
 * for and at interrupts). With a debugger the engine owns the hook and
 * wdb_debug.c calls us back at the trap stop.
 *
 * Record and replay (--record=FILE or WDB_RECORD=FILE, --replay=FILE): the
 * runtime's trace (wr_trace_*, docs/TRACE.md). A replay does not give the
 * program the --dir directories (it touches no host file: every call's
 * result comes from the trace) and takes its arguments and environment
 * from the trace too. A trace that is bad or a replay that diverges is a
 * failure of wdb-run: one error line, exit status 1.
 */
#include "wdb/runtime.h"
#include "wd_report.h"
#include "wb_srcmap.h"
#include "wdb_core.h"
#include "wdb_debug.h"
#include "wdb/file.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef WDB_VERSION
#define WDB_VERSION "0.0.0"
#endif

#define EXIT_ERROR 1
#define EXIT_USAGE 2
#define EXIT_TRAP 134   /* 128 + SIGABRT: see the top of the file */
#define EXIT_KILLED 137 /* 128 + SIGKILL: a debugger ended the program */

/* Everything the command line says. Arrays are sized for the worst case
 * (every argument an option), so no option needs to grow them. */
typedef struct run_opts {
    wr_wasi_preopen *dirs;
    uint32_t ndirs;
    const char **envs;
    int nenvs;
    wr_config cfg;
    const char *invoke; /* NULL: run _start */
    wdbg_opts dbg;
    bool debug;            /* some debugger option was given */
    const char *core_path; /* --core-on-trap or WDB_CORE_ON_TRAP; NULL: none */
    const char *module_path;
    int prog_argc; /* module path + its arguments */
    char **prog_argv;
    bool help, version;
    uint64_t fuel;      /* --fuel; 0: unbounded */
    const char *record; /* --record or WDB_RECORD; NULL: none */
    const char *replay; /* --replay; NULL: none */
    bool no_history;    /* --no-history: no recording in memory under a debugger */
    bool mem_trace;     /* recording in memory for reverse execution */
} run_opts;

/* ----------------------------------------------------------- options */

typedef enum opt_arg { ARG_NONE, ARG_REQUIRED, ARG_OPTIONAL /* only as --name=VALUE */ } opt_arg;

/* An option handler: value is NULL for ARG_NONE options. Returns 0, or -1
 * after printing one error line. */
typedef int (*opt_fn)(run_opts *o, const char *name, const char *value);

typedef struct opt_def {
    const char *long_name; /* "dir" for --dir; NULL if there is none */
    char short_name;       /* 'h' for -h; 0 if there is none */
    opt_arg arg;
    opt_fn fn;
    const char *metavar; /* for the help text */
    const char *help;
} opt_def;

/* Prints one "wdb-run: error: ..." line. */
static void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("wdb-run: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs("\n", stderr);
    va_end(ap);
}

/* Parses a byte count with an optional k/m/g suffix (powers of 1024). */
static int parse_size(const char *s, uint64_t *out)
{
    char *end;
    if (*s < '0' || *s > '9') return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s) return -1;
    unsigned shift = 0;
    switch (*end) {
    case '\0': break;
    case 'k':
    case 'K':
        shift = 10;
        end++;
        break;
    case 'm':
    case 'M':
        shift = 20;
        end++;
        break;
    case 'g':
    case 'G':
        shift = 30;
        end++;
        break;
    default: return -1;
    }
    if (*end == 'b' || *end == 'B') end++;
    if (*end != '\0' || (shift && v > (UINT64_MAX >> shift))) return -1;
    *out = (uint64_t)v << shift;
    return 0;
}

static int opt_dir(run_opts *o, const char *name, const char *value)
{
    (void)name;
    const char *sep = strstr(value, "::");
    wr_wasi_preopen *p = &o->dirs[o->ndirs];
    if (!*value || sep == value || (sep && !sep[2])) {
        cli_error("--dir: expected HOST[::GUEST], got '%s'", value);
        return -1;
    }
    if (sep) {
        /* The host part is copied out of argv so it can be NUL-terminated. */
        char *host = strndup(value, (size_t)(sep - value));
        if (!host) {
            cli_error("out of memory");
            return -1;
        }
        p->host_path = host;
        p->guest_path = sep + 2;
    } else {
        p->host_path = value;
        p->guest_path = value;
    }
    o->ndirs++;
    return 0;
}

static int opt_env(run_opts *o, const char *name, const char *value)
{
    (void)name;
    const char *eq = strchr(value, '=');
    if (!eq || eq == value) {
        cli_error("--env: expected NAME=VALUE, got '%s'", value);
        return -1;
    }
    o->envs[o->nenvs++] = value;
    return 0;
}

static int opt_stack_size(run_opts *o, const char *name, const char *value)
{
    uint64_t v;
    if (parse_size(value, &v) != 0 || v == 0 || v > SIZE_MAX) {
        cli_error("%s: bad size '%s'", name, value);
        return -1;
    }
    o->cfg.value_stack_bytes = (size_t)v;
    return 0;
}

static int opt_max_call_depth(run_opts *o, const char *name, const char *value)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(value, &end, 10);
    if (errno || end == value || *end || value[0] == '-' || v == 0 || v > UINT32_MAX) {
        cli_error("%s: bad number '%s'", name, value);
        return -1;
    }
    o->cfg.max_call_depth = (uint32_t)v;
    return 0;
}

static int opt_fuel(run_opts *o, const char *name, const char *value)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(value, &end, 10);
    if (errno || end == value || *end || value[0] == '-' || v == 0) {
        cli_error("%s: bad number '%s'", name, value);
        return -1;
    }
    o->fuel = v;
    return 0;
}

static int opt_max_memory(run_opts *o, const char *name, const char *value)
{
    uint64_t v;
    if (parse_size(value, &v) != 0 || v == 0) {
        cli_error("%s: bad size '%s'", name, value);
        return -1;
    }
    o->cfg.max_memory_bytes = v;
    return 0;
}

static int opt_invoke(run_opts *o, const char *name, const char *value)
{
    (void)name;
    o->invoke = value;
    return 0;
}

static int opt_help(run_opts *o, const char *name, const char *value)
{
    (void)name;
    (void)value;
    o->help = true;
    return 0;
}

static int opt_version(run_opts *o, const char *name, const char *value)
{
    (void)name;
    (void)value;
    o->version = true;
    return 0;
}

static int opt_gdb(run_opts *o, const char *name, const char *value)
{
    (void)name;
    o->dbg.tcp = value;
    o->debug = true;
    return 0;
}

static int opt_gdb_listen(run_opts *o, const char *name, const char *value)
{
    (void)name;
    o->dbg.listen = true;
    if (value) o->dbg.tcp = value;
    o->debug = true;
    return 0;
}

static int opt_gdb_tty(run_opts *o, const char *name, const char *value)
{
    (void)name;
    o->dbg.tty = value;
    o->debug = true;
    return 0;
}

static int opt_gdb_fd(run_opts *o, const char *name, const char *value)
{
    char *end;
    long v = strtol(value, &end, 10);
    if (!*value || *end || v < 3 || v > INT32_MAX || fcntl((int)v, F_GETFD) < 0) {
        cli_error("%s: '%s' is not an open descriptor (3 or above)", name, value);
        return -1;
    }
    o->dbg.fd = (int)v;
    o->debug = true;
    return 0;
}

static int opt_gdb_baud(run_opts *o, const char *name, const char *value)
{
    char *end;
    unsigned long v = strtoul(value, &end, 10);
    if (!*value || *end || v == 0 || v > 4000000) {
        cli_error("%s: bad baud rate '%s'", name, value);
        return -1;
    }
    o->dbg.baud = (unsigned)v;
    return 0;
}

static int opt_gdb_allow_remote(run_opts *o, const char *name, const char *value)
{
    (void)name;
    (void)value;
    o->dbg.allow_remote = true;
    return 0;
}

static int opt_gdb_log(run_opts *o, const char *name, const char *value)
{
    (void)name;
    o->dbg.log_path = value;
    return 0;
}

static int opt_gdb_single_thread(run_opts *o, const char *name, const char *value)
{
    (void)name;
    (void)value;
    o->dbg.single_thread = true;
    return 0;
}

static int opt_core_on_trap(run_opts *o, const char *name, const char *value)
{
    if (!*value) {
        cli_error("%s: needs a file name", name);
        return -1;
    }
    o->core_path = value;
    return 0;
}

static int opt_record(run_opts *o, const char *name, const char *value)
{
    if (!*value) {
        cli_error("%s: needs a file name", name);
        return -1;
    }
    o->record = value;
    return 0;
}

static int opt_replay(run_opts *o, const char *name, const char *value)
{
    if (!*value) {
        cli_error("%s: needs a file name", name);
        return -1;
    }
    o->replay = value;
    return 0;
}

static int opt_no_history(run_opts *o, const char *name, const char *value)
{
    (void)name;
    (void)value;
    o->no_history = true;
    return 0;
}

static int opt_history_limit(run_opts *o, const char *name, const char *value)
{
    uint64_t v;
    if (parse_size(value, &v) != 0 || v == 0) {
        cli_error("%s: bad size '%s'", name, value);
        return -1;
    }
    o->dbg.history_limit = v;
    return 0;
}

static const opt_def opt_table[] = {
    {"dir", 0, ARG_REQUIRED, opt_dir, "HOST[::GUEST]",
     "let the program use directory HOST, which it sees\nas GUEST (default: HOST); repeatable"},
    {"env", 0, ARG_REQUIRED, opt_env, "NAME=VALUE",
     "set a variable in the program's environment;\nrepeatable (nothing is inherited)"},
    {"invoke", 0, ARG_REQUIRED, opt_invoke, "NAME",
     "call export NAME instead of _start with ARGS as\nits (numeric) arguments; print its results"},
    {"stack-size", 0, ARG_REQUIRED, opt_stack_size, "BYTES",
     "size of the value stack (locals and operands\nof all frames; default 8m)"},
    {"max-call-depth", 0, ARG_REQUIRED, opt_max_call_depth, "N",
     "maximum depth of Wasm calls (default 65536)"},
    {"fuel", 0, ARG_REQUIRED, opt_fuel, "N",
     "stop the program after N function calls and\nloop iterations with the trap \"out of "
     "fuel\"\n(a deterministic bound; default none)"},
    {"max-memory", 0, ARG_REQUIRED, opt_max_memory, "BYTES",
     "limit for any linear memory, and for all\ntables together (8 bytes an element;\ndefault 4g); "
     "BYTES may end in k, m or g"},
    {"gdb", 'g', ARG_REQUIRED, opt_gdb, "ADDR:PORT",
     "wait for a debugger (lldb-22, wdb) on ADDR:PORT\n(ADDR defaults to 127.0.0.1) and stop "
     "before\nthe first instruction"},
    {"gdb-listen", 0, ARG_OPTIONAL, opt_gdb_listen, "ADDR:PORT",
     "run at once and accept debuggers later, again\nafter each detach (address from -g if not "
     "given)"},
    {"gdb-tty", 0, ARG_REQUIRED, opt_gdb_tty, "DEV", "serve the debugger over serial device DEV"},
    {"gdb-fd", 0, ARG_REQUIRED, opt_gdb_fd, "N",
     "serve the debugger on inherited descriptor N, a\nconnected socket (how `wdb app.wasm` starts "
     "us)"},
    {"gdb-baud", 0, ARG_REQUIRED, opt_gdb_baud, "N", "baud rate for --gdb-tty"},
    {"gdb-allow-remote", 0, ARG_NONE, opt_gdb_allow_remote, NULL,
     "allow a non-loopback debugger address (anyone\nwho connects controls the program)"},
    {"gdb-log", 0, ARG_REQUIRED, opt_gdb_log, "FILE", "log every debugger packet to FILE"},
    {"gdb-single-thread", 0, ARG_NONE, opt_gdb_single_thread, NULL,
     "serve the debugger from the program's thread, as a device does\n"
     "(also WDB_RUN_SINGLE_THREAD=1)"},
    {"core-on-trap", 0, ARG_REQUIRED, opt_core_on_trap, "PATH",
     "write a core dump (Wasm coredump format) to\nPATH when the program traps; the "
     "environment\nvariable WDB_CORE_ON_TRAP=PATH does the same"},
    {"record", 0, ARG_REQUIRED, opt_record, "FILE",
     "record everything the program gets from the host\n(WASI results and the memory they "
     "wrote) into\nFILE, for --replay; the environment variable\nWDB_RECORD=FILE does the same"},
    {"replay", 0, ARG_REQUIRED, opt_replay, "FILE",
     "run the program again from trace FILE (made by\n--record), without touching the host: the "
     "same\noutput and exit status; exit status 1 when FILE\nis bad or the run diverges from it"},
    {"no-history", 0, ARG_NONE, opt_no_history, NULL,
     "under a debugger, do not record the run in\nmemory (by default it is, for reverse "
     "execution:\nbs/bc, `process continue --reverse`)"},
    {"history-limit", 0, ARG_REQUIRED, opt_history_limit, "BYTES",
     "memory for reverse execution's snapshots\n(default twice the program's linear memory,\n"
     "64k without one); BYTES may end in k, m or g"},
    {"help", 'h', ARG_NONE, opt_help, NULL, "show this help"},
    {"version", 0, ARG_NONE, opt_version, NULL, "show the version"},
};
#define NOPTS (sizeof opt_table / sizeof opt_table[0])

static void print_help(FILE *f)
{
    fputs("usage: wdb-run [options] MODULE.wasm [ARGS...]\n"
          "\n"
          "Runs a WebAssembly module as a WASI command: calls its _start export with\n"
          "ARGS as the program's arguments. The program sees only the directories\n"
          "given with --dir and the variables given with --env.\n"
          "\n"
          "options:\n",
          f);
    for (size_t i = 0; i < NOPTS; i++) {
        const opt_def *d = &opt_table[i];
        char left[64];
        const char *eq = d->arg == ARG_REQUIRED ? "=" : d->arg == ARG_OPTIONAL ? "[=" : "";
        const char *mv = d->metavar ? d->metavar : "";
        if (d->arg == ARG_OPTIONAL)
            snprintf(left, sizeof left, "--%s[=%s]", d->long_name, mv);
        else if (d->short_name && d->long_name)
            snprintf(left, sizeof left, "-%c%s%s, --%s%s%s", d->short_name, eq, mv, d->long_name,
                     eq, mv);
        else if (d->long_name)
            snprintf(left, sizeof left, "--%s%s%s", d->long_name, eq, mv);
        else
            snprintf(left, sizeof left, "-%c%s%s", d->short_name, eq, mv);
        /* The help text may hold '\n': continuation lines line up. */
        if (strlen(left) > 24) {
            fprintf(f, "  %s\n", left);
            left[0] = '\0';
        }
        const char *h = d->help;
        do {
            const char *nl = strchr(h, '\n');
            int n = nl ? (int)(nl - h) : (int)strlen(h);
            fprintf(f, "  %-24s  %.*s\n", left, n, h);
            left[0] = '\0';
            h = nl ? nl + 1 : NULL;
        } while (h);
    }
    fputs("\n"
          "exit status:\n"
          "  the program's exit code (from proc_exit, or 0 when _start returns)\n"
          "  1    wdb-run could not read, load, link or start the module\n"
          "  2    bad command line\n"
          "  134  the program trapped: a report and a backtrace go to stderr.\n"
          "       134 = 128 + SIGABRT, what a shell shows for a crashed native program;\n"
          "       no ordinary WASI program exits with it\n"
          "  137  a debugger killed the program (128 + SIGKILL)\n",
          f);
}

/* Finds the option for argument `arg` (which starts with '-'); *value gets
 * the text after '=' (or NULL). */
static const opt_def *find_opt(const char *arg, const char **value, size_t *namelen)
{
    *value = NULL;
    if (arg[1] == '-') {
        const char *name = arg + 2;
        const char *eq = strchr(name, '=');
        size_t n = eq ? (size_t)(eq - name) : strlen(name);
        *namelen = n + 2;
        for (size_t i = 0; i < NOPTS; i++) {
            const char *ln = opt_table[i].long_name;
            if (ln && strlen(ln) == n && strncmp(ln, name, n) == 0) {
                *value = eq ? eq + 1 : NULL;
                return &opt_table[i];
            }
        }
        return NULL;
    }
    /* -x, -x=VALUE (as LLDB passes -g=ADDR:PORT) or -xVALUE */
    *namelen = 2;
    for (size_t i = 0; i < NOPTS; i++) {
        if (opt_table[i].short_name && opt_table[i].short_name == arg[1]) {
            if (arg[2] == '=')
                *value = arg + 3;
            else if (arg[2] != '\0')
                *value = arg + 2;
            return &opt_table[i];
        }
    }
    return NULL;
}

/* Parses argv into o. Returns 0, or -1 after printing an error line. */
static int parse_args(int argc, char **argv, run_opts *o)
{
    int i = 1;
    for (; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--") == 0) {
            i++;
            break;
        }
        if (arg[0] != '-' || arg[1] == '\0')
            break; /* the module: everything after it belongs to the program */
        const char *value;
        size_t namelen;
        const opt_def *d = find_opt(arg, &value, &namelen);
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(namelen < 63 ? namelen : 63), arg);
        if (!d) {
            cli_error("%s: unknown option (see --help)", name);
            return -1;
        }
        if (d->arg == ARG_NONE && value) {
            cli_error("%s: takes no value", name);
            return -1;
        }
        if (d->arg == ARG_OPTIONAL && value && arg[1] != '-') {
            cli_error("%s: give the value as --%s=VALUE", name, d->long_name);
            return -1;
        }
        if (d->arg == ARG_REQUIRED && !value) {
            if (i + 1 >= argc) {
                cli_error("%s: needs a value", name);
                return -1;
            }
            value = argv[++i];
        }
        if (d->fn(o, name, value) != 0) return -1;
        if (o->help || o->version) return 0;
    }
    if (i >= argc) {
        cli_error("no module given (see --help)");
        return -1;
    }
    if ((o->dbg.fd >= 0) + !!o->dbg.tcp + !!o->dbg.tty > 1) {
        cli_error("choose one debugger transport: TCP (-g), serial (--gdb-tty) or --gdb-fd");
        return -1;
    }
    if (o->debug && !o->dbg.tcp && !o->dbg.tty && o->dbg.fd < 0) {
        cli_error("--gdb-listen needs an address: --gdb-listen=ADDR:PORT (or -g, --gdb-tty)");
        return -1;
    }
    /* the whole test suite can run in the device's mode this way */
    const char *st = getenv("WDB_RUN_SINGLE_THREAD");
    if (st && *st && strcmp(st, "0") != 0) o->dbg.single_thread = true;
    o->module_path = argv[i];
    o->prog_argc = argc - i;
    o->prog_argv = argv + i;
    return 0;
}

/* ------------------------------------------------------------ running */

/* Reads the module file through the bounded reader (include/wdb/file.h:
 * a regular file starting with the Wasm magic, at most WDB_FILE_MODULE_MAX
 * bytes). Returns NULL after printing an error line. */
static uint8_t *read_module(const char *path, size_t *len)
{
    static const uint8_t magic[4] = {0x00, 0x61, 0x73, 0x6d};
    uint8_t *buf;
    char msg[512];
    switch (
        wdb_file_read(path, WDB_FILE_MODULE_MAX, magic, sizeof magic, &buf, len, msg, sizeof msg)) {
    case WDB_FILE_OK: return buf;
    case WDB_FILE_BAD_MAGIC:
        /* the runtime's own wording for a bad magic (wr_decode.c) */
        fprintf(stderr,
                "wdb-run: error: %s: header section at offset 0x0: magic header not detected\n",
                path);
        return NULL;
    default: fprintf(stderr, "wdb-run: error: %s\n", msg); return NULL;
    }
}

/* wd_write_fn for the reports (wd_report.h): they go to stderr. */
static void write_stderr(void *user, const char *text, size_t len)
{
    (void)user;
    fwrite(text, 1, len, stderr);
}

/* One line for a failure that is not a trap, in the module's terms. */
static void report_error(const char *path, const wr_error *err)
{
    wd_report_error("wdb-run", path, err, write_stderr, NULL);
}

/* The source map of a module without DWARF (AssemblyScript's), for the
 * trap report's FILE:LINE: read only when the program traps, by the
 * bridge's reader (host only: the firmware reports code offsets). */
typedef struct srcmap_ctx {
    wb_wasm *wasm;
    wb_srcmap *map;
} srcmap_ctx;

static bool locate_line(void *user, uint32_t code_offset, char *buf, size_t cap)
{
    srcmap_ctx *c = user;
    const char *file;
    uint32_t line, column;
    if (wb_srcmap_line_at(c->map, code_offset, &file, &line, &column) != WB_OK) return false;
    snprintf(buf, cap, "%s:%" PRIu32, file, line);
    return true;
}

/* The trap report: what and where, one screen at most. */
static void report_trap(const char *path, wr_store *store, wr_module *mod, wr_instance *inst,
                        const wr_error *err)
{
    srcmap_ctx c = {NULL, NULL};
    wb_error e;
    const uint8_t *dbg;
    size_t dbg_size;
    /* DWARF wins (`wdb symbolize` reads it); else a source map */
    if (wb_wasm_open_file(path, &c.wasm, &e) == WB_OK &&
        wb_wasm_custom_section(c.wasm, ".debug_info", &dbg, &dbg_size) != WB_OK &&
        wb_srcmap_open(c.wasm, path, &c.map, &e) == WB_ERROR)
        fprintf(stderr, "wdb-run: note: cannot read the source map: %s\n", e.msg);
    wd_report_trap("wdb-run", path, store, mod, inst, err, write_stderr, NULL,
                   c.map ? locate_line : NULL, &c);
    wb_srcmap_close(c.map);
    wb_wasm_close(c.wasm);
}

/* Parses text as a value of type t for --invoke. */
static int parse_val(const char *s, wr_valtype t, wr_val *out)
{
    char *end;
    errno = 0;
    out->type = t;
    switch (t) {
    case WR_I32:
    case WR_I64: {
        uint64_t bits;
        if (s[0] == '-') {
            long long v = strtoll(s, &end, 0);
            if (t == WR_I32 && v < INT32_MIN) return -1;
            bits = (uint64_t)v;
        } else {
            unsigned long long v = strtoull(s, &end, 0);
            if (t == WR_I32 && v > UINT32_MAX) return -1;
            bits = v;
        }
        if (errno || end == s || *end) return -1;
        if (t == WR_I32)
            out->of.u32 = (uint32_t)bits;
        else
            out->of.u64 = bits;
        return 0;
    }
    case WR_F32: out->of.f32 = strtof(s, &end); return (end == s || *end) ? -1 : 0;
    case WR_F64: out->of.f64 = strtod(s, &end); return (end == s || *end) ? -1 : 0;
    default: return -1;
    }
}

static void print_val(const wr_val *v)
{
    switch (v->type) {
    case WR_I32: printf("%" PRId32 "\n", v->of.i32); break;
    case WR_I64: printf("%" PRId64 "\n", v->of.i64); break;
    case WR_F32: printf("%.9g\n", (double)v->of.f32); break;
    case WR_F64: printf("%.17g\n", v->of.f64); break;
    case WR_FUNCREF:
    case WR_EXTERNREF: printf("%s\n", v->of.ext ? "ref" : "null"); break;
#ifdef WR_FEATURE_SIMD
    case WR_V128: { /* as the text format writes a v128.const */
        uint32_t w[4];
        memcpy(w, v->of.v128, 16);
        printf("i32x4 0x%08" PRIx32 " 0x%08" PRIx32 " 0x%08" PRIx32 " 0x%08" PRIx32 "\n", w[0],
               w[1], w[2], w[3]);
        break;
    }
#endif
    default: printf("?\n"); break;
    }
}

/* Finds an exported function. */
static wr_func *export_func(wr_instance *inst, const char *name)
{
    wr_extern ext;
    if (wr_instance_export(inst, name, &ext) != WR_OK || ext.kind != WR_EXTERN_FUNC) return NULL;
    return ext.of.func;
}

/* ---------------------------------------------------------- core dumps */

/* The core dump of this run: written once, at the first trap. */
typedef struct core_ctx {
    const char *path; /* NULL: no core wanted */
    const char *module_path;
    int argc; /* the program's arguments, argv[0] first */
    const char *const *argv;
    wr_module *mod;
    wr_instance *inst; /* NULL until wr_instance_new_unstarted returned it */
    bool attempted;
    bool ok;
    char err[256];
    double ms; /* wall time of the write */
} core_ctx;

/* Writes the core now: at the trap (inside a debug hook) when possible,
 * else after the call unwound (see wcore_write for what is then lost). */
static void core_write(core_ctx *c, wr_store *store)
{
    struct timespec t0, t1;
    if (!c->path || c->attempted) return;
    c->attempted = true;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    c->ok = wcore_write(store, c->mod, c->inst, c->module_path, c->argc, c->argv, c->path, c->err,
                        sizeof c->err) == 0;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    c->ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
}

/* The debug hook when no debugger is attached: only traps matter. */
static void core_hook(wr_store *store, const wr_debug_event *ev, wr_debug_resume *resume,
                      void *user)
{
    if (ev->reason == WR_DEBUG_TRAP) core_write(user, store);
    resume->action = WR_DEBUG_CONTINUE;
}

/* wdbg_opts.on_trap: the trap stop of a debugged program. */
static void core_on_debug_trap(void *user, wr_store *store)
{
    core_write(user, store);
}

/* The last line of a trap report. WDB_CORE_TIMING=1 adds the write time. */
static void report_core(const core_ctx *c)
{
    if (!c->attempted) return;
    if (c->ok)
        fprintf(stderr, "wdb-run: core dumped to %s\n", c->path);
    else
        fprintf(stderr, "wdb-run: cannot write core %s: %s\n", c->path, c->err);
    const char *t = getenv("WDB_CORE_TIMING");
    if (t && *t && strcmp(t, "0") != 0)
        fprintf(stderr, "wdb-run: core write took %.3f ms\n", c->ms);
}

/* After a run that failed: when the program was refused a path outside
 * its sandbox (wr_wasi_denied), which option gives it one. Said before a
 * debugger hears of the exit, so wdb shows it before "[Inferior 1 ...
 * exited ...]"; --dir is the same option in wdb. */
static void sandbox_hint(const wr_wasi *wasi)
{
    const char *path;
    if (!wr_wasi_denied(wasi, &path)) return;
    if (path)
        fprintf(stderr,
                "wdb-run: hint: the program was refused \"%s\", outside the directories it "
                "was given (ENOTCAPABLE): give it one with --dir=HOST[::GUEST]\n",
                path);
    else
        fprintf(stderr, "wdb-run: hint: \"Capabilities insufficient\" (ENOTCAPABLE): the program "
                        "can only reach the directories given with --dir=HOST[::GUEST]\n");
}

/* Maps the outcome of a call to an exit status, reporting failures. */
static int outcome(const run_opts *o, wr_status st, wr_store *store, wr_module *mod,
                   const wr_error *err, wdbg *dbg, core_ctx *core)
{
    char tmsg[512];
    if ((o->record || o->replay || o->mem_trace) &&
        wr_trace_finish(store, st, tmsg, sizeof tmsg) != WR_OK) {
        fflush(stdout);
        fprintf(stderr, "wdb-run: error: %s\n", tmsg);
        return EXIT_ERROR;
    }
    if (st == WR_ERR_TRAP && dbg && wdbg_killed(dbg)) {
        fflush(stdout);
        /* a debugger that started us (--gdb-fd) reports the kill itself */
        if (o->dbg.fd < 0) fprintf(stderr, "wdb-run: killed by the debugger\n");
        report_core(core); /* a trap stop before the kill may have written one */
        return EXIT_KILLED;
    }
    switch (st) {
    case WR_OK: return 0;
    case WR_ERR_EXIT: return wr_store_exit_code(store) & 0xff; /* what a shell would see */
    case WR_ERR_TRAP:
        fflush(stdout);
        /* no hook saw the trap (a debugger listening but not attached, a
         * trap before the first frame): the frames have unwound, the
         * memories and globals are still there */
        core_write(core, store);
        report_trap(o->module_path, store, mod, core->inst, err);
        report_core(core);
        return EXIT_TRAP;
    default: report_error(o->module_path, err); return EXIT_ERROR;
    }
}

static int run(run_opts *o)
{
    int status = EXIT_ERROR;
    uint8_t *bytes = NULL;
    size_t len = 0;
    wr_store *store = NULL;
    wr_wasi *wasi = NULL;
    wr_module *mod = NULL;
    wr_instance *inst = NULL;
    wr_linker *linker;
    wr_val *args = NULL, *results = NULL;
    wdbg *dbg = NULL;
    core_ctx core = {.path = o->core_path,
                     .module_path = o->module_path,
                     .argc = o->prog_argc,
                     .argv = (const char *const *)o->prog_argv};
    wr_error err;
    wr_status st;
    char msg[512];

    memset(&err, 0, sizeof err);
    if (!(bytes = read_module(o->module_path, &len))) goto done;
    if (!(store = wr_store_new(&o->cfg))) {
        fprintf(stderr, "wdb-run: error: out of memory\n");
        goto done;
    }
    wr_store_set_fuel(store, o->fuel);
    /* in place: the bytes outlive the store (freed after it, below), and a
     * copy would double the module's share of the peak resident set */
    if ((st = wr_module_new_static(store, bytes, len, &mod, &err)) != WR_OK) {
        report_error(o->module_path, &err);
        goto done;
    }
    if (o->replay && wr_trace_replay(store, mod, o->replay, msg, sizeof msg) != WR_OK) {
        fprintf(stderr, "wdb-run: error: %s\n", msg);
        goto done;
    }
    if (o->record && wr_trace_record(store, mod, o->record, msg, sizeof msg) != WR_OK) {
        fprintf(stderr, "wdb-run: error: %s\n", msg);
        goto done;
    }
    /* under a debugger the run is recorded in memory: reverse execution
     * re-executes from snapshots with the host calls replayed from it */
    o->mem_trace = o->debug && !o->record && !o->replay && !o->no_history;
    if (o->mem_trace && wr_trace_record_memory(store, mod, msg, sizeof msg) != WR_OK) {
        fprintf(stderr, "wdb-run: error: %s\n", msg);
        goto done;
    }

    wr_wasi_config wc;
    wr_wasi_config_init(&wc);
    wc.argc = o->prog_argc;
    wc.argv = (const char *const *)o->prog_argv;
    wc.envc = o->nenvs;
    wc.envp = o->envs;
    wc.npreopens = o->replay ? 0 : o->ndirs; /* a replay touches no host file */
    wc.preopens = o->dirs;
    if (wr_wasi_new(&wc, &wasi, msg, sizeof msg) != WR_OK) {
        fprintf(stderr, "wdb-run: error: %s\n", msg);
        goto done;
    }
    if (!(linker = wr_linker_new(store)) || wr_wasi_define(wasi, linker) != WR_OK) {
        fprintf(stderr, "wdb-run: error: cannot set up WASI\n");
        goto done;
    }
    core.mod = mod;
    if (core.path) {
        /* before instantiation: a trap in the start function counts too */
        wr_debug_set_hook(store, core_hook, &core);
    }
    /* The start function runs after the debugger is set up: it stops at
     * its first instruction, and one that never returns is served too. */
    if ((st = wr_instance_new_unstarted(store, mod, linker, &inst, &err)) != WR_OK) {
        /* a segment may have trapped */
        status = outcome(o, st, store, mod, &err, dbg, &core);
        goto done;
    }
    wr_instance_set_user(inst, wasi);
    core.inst = inst;
    if (o->debug) {
        if (core.path) {
            /* the engine takes over the hook: it calls us at trap stops */
            o->dbg.on_trap = core_on_debug_trap;
            o->dbg.on_trap_user = &core;
        }
        dbg = wdbg_start(&o->dbg, store, mod, inst, o->module_path, msg, sizeof msg);
        if (!dbg) {
            fprintf(stderr, "wdb-run: error: debugger: %s\n", msg);
            goto done;
        }
    }
    if ((st = wr_instance_start(inst, &err)) != WR_OK) {
        status = outcome(o, st, store, mod, &err, dbg, &core);
        goto done;
    }

    if (!o->invoke) {
        wr_func *start = export_func(inst, "_start");
        if (!start) {
            fprintf(
                stderr,
                "wdb-run: error: %s: no _start export: not a WASI command (use --invoke=NAME)\n",
                o->module_path);
            goto done;
        }
        st = wr_func_call(start, NULL, 0, NULL, 0, &err);
        status = outcome(o, st, store, mod, &err, dbg, &core);
        goto done;
    }

    /* --invoke: a WASI reactor is initialised first, as its ABI asks. */
    wr_func *f = export_func(inst, o->invoke);
    if (!f) {
        fprintf(stderr, "wdb-run: error: %s: no exported function '%s'\n", o->module_path,
                o->invoke);
        goto done;
    }
    wr_func *init = export_func(inst, "_initialize");
    if (init) {
        st = wr_func_call(init, NULL, 0, NULL, 0, &err);
        if (st != WR_OK) {
            status = outcome(o, st, store, mod, &err, dbg, &core);
            goto done;
        }
    }
    const wr_functype *ft = wr_func_type(f);
    if ((uint32_t)(o->prog_argc - 1) != ft->nparams) {
        fprintf(stderr, "wdb-run: error: %s takes %" PRIu32 " argument(s), %d given\n", o->invoke,
                ft->nparams, o->prog_argc - 1);
        status = EXIT_USAGE;
        goto done;
    }
    args = calloc(ft->nparams + 1, sizeof *args);
    results = calloc(ft->nresults + 1, sizeof *results);
    if (!args || !results) {
        fprintf(stderr, "wdb-run: error: out of memory\n");
        goto done;
    }
    for (uint32_t i = 0; i < ft->nparams; i++) {
        if (parse_val(o->prog_argv[i + 1], ft->params[i], &args[i]) != 0) {
            fprintf(stderr, "wdb-run: error: %s: argument %" PRIu32 " '%s' is not a valid %s\n",
                    o->invoke, i + 1, o->prog_argv[i + 1],
                    ft->params[i] == WR_I32   ? "i32"
                    : ft->params[i] == WR_I64 ? "i64"
                    : ft->params[i] == WR_F32 ? "f32"
                    : ft->params[i] == WR_F64 ? "f64"
                                              : "value (only numbers can be passed)");
            status = EXIT_USAGE;
            goto done;
        }
    }
    st = wr_func_call(f, args, ft->nparams, results, ft->nresults, &err);
    if (st == WR_OK)
        for (uint32_t i = 0; i < ft->nresults; i++)
            print_val(&results[i]);
    status = outcome(o, st, store, mod, &err, dbg, &core);

done:
    fflush(stdout);
    if (status != 0 && status != EXIT_KILLED) sandbox_hint(wasi);
    if (dbg) {
        /* the debugger hears how it ended, then goes, before the store does */
        wdbg_program_exited(dbg, status);
        wdbg_finish(dbg);
    }
    free(args);
    free(results);
    wr_store_free(store); /* before the WASI context its functions point to */
    wr_wasi_free(wasi);
    free(bytes);
    return status;
}

int main(int argc, char **argv)
{
    run_opts o;
    int status;
    memset(&o, 0, sizeof o);
    o.dbg.fd = -1;
    o.dirs = calloc((size_t)argc + 1, sizeof *o.dirs);
    o.envs = calloc((size_t)argc + 1, sizeof *o.envs);
    if (!o.dirs || !o.envs) {
        fprintf(stderr, "wdb-run: error: out of memory\n");
        status = EXIT_ERROR;
    } else if (parse_args(argc, argv, &o) != 0) {
        status = EXIT_USAGE;
    } else if (o.help) {
        print_help(stdout);
        status = 0;
    } else if (o.version) {
        printf("wdb-run %s\n", WDB_VERSION);
        status = 0;
    } else {
        const char *env = getenv("WDB_CORE_ON_TRAP"); /* the option wins */
        if (!o.core_path && env && *env) o.core_path = env;
        env = getenv("WDB_RECORD");
        if (!o.record && !o.replay && env && *env) o.record = env;
        if (o.record && o.replay) {
            cli_error("--record and --replay cannot be used together");
            status = EXIT_USAGE;
            goto out;
        }
        status = run(&o);
    }
out:
    if (o.dirs)
        for (uint32_t i = 0; i < o.ndirs; i++)
            if (o.dirs[i].host_path != o.dirs[i].guest_path) free((char *)o.dirs[i].host_path);
    free(o.dirs);
    free(o.envs);
    return status;
}
