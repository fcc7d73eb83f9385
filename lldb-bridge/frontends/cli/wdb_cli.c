/*
 * `wdb`'s gdb-style terminal front end (see wdb_cli.h): the command line
 * of the CLI mode, the banner, the `(wdb) ` prompt with its line editor
 * and history, Ctrl-C, and the exit status. The commands themselves are
 * the console's (lldb-bridge/console/wb_console.c).
 */
#include "wdb_cli.h"

#include "wb_console.h"
#include "wb_linedit.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef WDB_VERSION
#define WDB_VERSION "0"
#endif

static volatile sig_atomic_t g_interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    g_interrupted = 1;
}

/* The console's poll: a Ctrl-C since the last call. */
static bool poll_interrupt(void *user)
{
    (void)user;
    if (g_interrupted) {
        g_interrupted = 0;
        return true;
    }
    return false;
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: wdb [OPTIONS] [APP.wasm [ARGS...]]\n"
            "       wdb [OPTIONS] --args APP.wasm ARGS...\n"
            "       wdb core CORE APP.wasm            (post-mortem: as wdb -c CORE APP.wasm)\n"
            "       wdb symbolize|lines|resolve ...   (see wdb help)\n\n"
            "options:\n"
            "  -ex CMD, --eval-command=CMD   run CMD (repeatable, in order)\n"
            "  -x FILE, --command=FILE       run the commands in FILE (up to one that fails)\n"
            "  -batch, --batch               run the commands, then exit (implies -q)\n"
            "  --args                        the rest are the program and its arguments\n"
            "  --runtime=PATH                wdb-run to start the program with\n"
            "  --dir=HOST[::GUEST], --env=NAME=VALUE\n"
            "                                passed to wdb-run (the program's sandbox)\n"
            "  --runtime-arg=OPT             any other wdb-run option (--max-call-depth=300)\n"
            "  --rsp-log=FILE                log every packet to FILE\n"
            "  -b BAUD, --baud=BAUD          serial line speed for target remote /dev/ttyX\n"
            "  --annotate=github             on a trap, also print a GitHub ::error line\n"
            "  -c CORE, --core=CORE          debug a core file (wdb-run --core-on-trap)\n"
            "  --replay=TRACE                run the program again from a trace of\n"
            "                                wdb-run --record (WDB_RECORD) to where it\n"
            "                                ended; reverse-step & co. when the stub has them\n"
            "  --dap                         serve the Debug Adapter Protocol on stdio\n"
            "  --dap-ws=ADDR:PORT            serve DAP over websockets (token in\n"
            "                                WDB_DAP_TOKEN or --dap-token; --dap-ws=X --help)\n"
            "  -q, -quiet, -nx               no banner\n"
            "  --version, --help\n\n"
            "exit status (batch): the program's exit code if it exited, 134 if it stopped at\n"
            "a trap, 1 if the last command failed, else 0.\n");
}

typedef struct pending {
    bool is_file;
    const char *text;
} pending;

/* The CLI mode's command line. */
typedef struct cli_opts {
    wb_console_opts console;
    pending *todo; /* -ex and -x, in order */
    size_t ntodo;
    /* the program's arguments and wdb-run's, NULL-terminated: pointers
     * into argv */
    const char **args, **rt_args;
    size_t nargs, nrt_args;
    bool quiet, batch;
    const char *program, *core_path;
    char *replay_opt; /* "--replay=TRACE" for wdb-run (malloc'd), or NULL */
} cli_opts;

/* Reads the command line into o (whose arrays hold argc entries). -1: go
 * on; else the exit status (--help, --version, a usage error). */
static int parse_options(int argc, char **argv, cli_opts *o)
{
    int i = 1;
    /* Options may come before or after the program, as getopt permutes
     * them for gdb; words that are not options are the program and its
     * arguments; `--args` ends the options. */
    bool args_mode = false;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || !a[1]) {
            if (!o->program)
                o->program = a;
            else
                o->args[o->nargs++] = a;
            continue;
        }
        if (a[1] == '-' && a[2] != '-' && a[2]) a++; /* --batch == -batch */
        if (strcmp(a, "-ex") == 0 || strcmp(a, "-eval-command") == 0) {
            if (++i >= argc) {
                fprintf(stderr, "wdb: option '%s' requires an argument\n", argv[i - 1]);
                return 2;
            }
            o->todo[o->ntodo++] = (pending){false, argv[i]};
        } else if (strncmp(a, "-eval-command=", 14) == 0) {
            o->todo[o->ntodo++] = (pending){false, a + 14};
        } else if (strcmp(a, "-x") == 0 || strcmp(a, "-command") == 0) {
            if (++i >= argc) {
                fprintf(stderr, "wdb: option '%s' requires an argument\n", argv[i - 1]);
                return 2;
            }
            o->todo[o->ntodo++] = (pending){true, argv[i]};
        } else if (strncmp(a, "-command=", 9) == 0) {
            o->todo[o->ntodo++] = (pending){true, a + 9};
        } else if (strcmp(a, "-batch") == 0) {
            o->batch = true;
            o->quiet = true;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "-quiet") == 0 || strcmp(a, "-silent") == 0 ||
                   strcmp(a, "-nx") == 0 || strcmp(a, "-n") == 0) {
            o->quiet = true;
        } else if (strcmp(a, "-args") == 0) {
            i++;
            args_mode = true;
            break;
        } else if (strcmp(a, "-c") == 0 || strcmp(a, "-core") == 0) {
            if (++i >= argc) {
                fprintf(stderr, "wdb: option '%s' requires an argument\n", argv[i - 1]);
                return 2;
            }
            o->core_path = argv[i];
        } else if (strncmp(a, "-core=", 6) == 0) {
            o->core_path = a + 6;
        } else if (strcmp(a, "-replay") == 0 || strncmp(a, "-replay=", 8) == 0) {
            const char *v = a[7] == '=' ? a + 8 : NULL;
            if (!v && ++i >= argc) {
                fprintf(stderr, "wdb: option '%s' requires an argument\n", argv[i - 1]);
                return 2;
            }
            if (!v) v = argv[i];
            if (!*v) {
                fprintf(stderr, "wdb: option '--replay' needs a trace file\n");
                return 2;
            }
            free(o->replay_opt);
            size_t len = strlen(v) + 10;
            if (!(o->replay_opt = malloc(len))) return 1;
            snprintf(o->replay_opt, len, "--replay=%s", v);
        } else if (strncmp(a, "-annotate=", 10) == 0) {
            if (strcmp(a + 10, "github") != 0) {
                fprintf(stderr, "wdb: unknown annotation style '%s' (known: github)\n", a + 10);
                return 2;
            }
            o->console.annotate_github = true;
        } else if (strcmp(a, "-b") == 0 || strcmp(a, "-baud") == 0 ||
                   strncmp(a, "-baud=", 6) == 0) {
            const char *v = strncmp(a, "-baud=", 6) == 0 ? a + 6 : NULL;
            if (!v && ++i >= argc) {
                fprintf(stderr, "wdb: option '%s' requires an argument\n", argv[i - 1]);
                return 2;
            }
            if (!v) v = argv[i];
            if (!wb_console_parse_baud(v, &o->console.baud)) {
                fprintf(stderr, "wdb: bad baud rate '%s'\n", v);
                return 2;
            }
        } else if (strncmp(a, "-runtime=", 9) == 0) {
            o->console.runtime = a + 9;
        } else if (strncmp(a, "-dir=", 5) == 0 || strncmp(a, "-env=", 5) == 0) {
            o->rt_args[o->nrt_args++] = argv[i];
        } else if (strncmp(a, "-runtime-arg=", 13) == 0) {
            o->rt_args[o->nrt_args++] = a + 13;
        } else if (strncmp(a, "-rsp-log=", 9) == 0) {
            if (o->console.rsp_log) fclose(o->console.rsp_log);
            o->console.rsp_log = fopen(a + 9, "w");
            if (!o->console.rsp_log) {
                fprintf(stderr, "wdb: cannot open %s: %s\n", a + 9, strerror(errno));
                return 2;
            }
        } else if (strcmp(a, "-help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "-version") == 0) {
            printf("wdb %s\n", WDB_VERSION);
            return 0;
        } else {
            fprintf(stderr,
                    "wdb: unrecognized option '%s'\nUse `wdb --help' for a complete list "
                    "of options.\n",
                    argv[i]);
            return 2;
        }
    }
    if (o->replay_opt) {
        if (o->core_path) {
            fprintf(stderr, "wdb: --replay and --core cannot be used together\n");
            return 2;
        }
        o->rt_args[o->nrt_args++] = o->replay_opt;
    }
    if (args_mode) {
        if (i < argc && !o->program)
            o->program = argv[i++];
        else if (i < argc && o->program)
            o->args[o->nargs++] = argv[i++];
        for (; i < argc; i++)
            o->args[o->nargs++] = argv[i];
    }
    if (o->replay_opt && !o->program) {
        fprintf(stderr, "wdb: --replay needs the program it recorded: wdb --replay=TRACE "
                        "APP.wasm\n");
        return 2;
    }
    return -1;
}

/* The prompt until `quit` or the end of the input. An empty line repeats
 * the last command at a terminal, as in gdb. */
static void prompt(wb_console *c)
{
    wb_linedit *le = wb_linedit_new(0, 1);
    char *last = NULL;
    wb_error e;
    while (!wb_console_get_state(c).quit) {
        fflush(stdout);
        char *line = le ? wb_linedit_read(le, "(wdb) ") : NULL;
        if (!line) {
            if (isatty(0)) printf("quit\n");
            break;
        }
        const char *run_line = line;
        bool blank = !line[strspn(line, " \t")];
        if (blank && last && isatty(0)) run_line = last;
        wb_console_execute(c, run_line, true, &e);
        if (!blank) {
            free(last);
            last = strdup(line);
        }
        free(line);
    }
    free(last);
    wb_linedit_free(le);
}

/* See wdb_cli.h. */
static int exit_status(const wb_console *c, bool batch)
{
    wb_console_state st = wb_console_get_state(c);
    if (st.quit && st.quit_code >= 0) return st.quit_code;
    if (!batch) return 0;
    if (st.exited) return st.exit_code;
    if (st.trapped) return 134;
    return st.last_failed ? 1 : 0;
}

/* Runs the console as the options say: the banner, the program and its
 * core, the -ex and -x commands, then the prompt unless -batch. */
static int run(cli_opts *o)
{
    o->console.poll = poll_interrupt;
    o->console.args = o->args;
    o->console.runtime_args = o->rt_args;
    wb_console *c = wb_console_new(&o->console);
    if (!c) {
        fprintf(stderr, "wdb: out of memory\n");
        return 1;
    }
    wb_error e;
    if (!o->quiet && !o->batch)
        printf("wdb %s: a source-level debugger for WebAssembly.\nType \"help\" for a list of "
               "commands.\n",
               WDB_VERSION);
    if (o->program) wb_console_load(c, o->program, &e);
    if (o->core_path) wb_console_open_core(c, o->core_path, &e);
    /* a replay runs to where the recorded run ended (its trap, its exit) */
    if (o->replay_opt && o->program) wb_console_execute(c, "run", true, &e);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    for (size_t k = 0; k < o->ntodo && !wb_console_get_state(c).quit; k++) {
        if (o->todo[k].is_file)
            wb_console_source(c, o->todo[k].text, &e);
        else /* from_tty as gdb decides it */
            wb_console_execute(c, o->todo[k].text, !o->batch, &e);
    }
    if (!o->batch && !wb_console_get_state(c).quit) prompt(c);
    int status = exit_status(c, o->batch);
    fflush(stdout);
    wb_console_free(c); /* kills a program still stopped */
    return status;
}

int wdb_cli_main(int argc, char **argv)
{
    cli_opts o;
    memset(&o, 0, sizeof o);
    o.todo = calloc((size_t)argc + 1, sizeof *o.todo);
    o.args = calloc((size_t)argc + 1, sizeof *o.args);
    o.rt_args = calloc((size_t)argc + 1, sizeof *o.rt_args);
    int status = 1;
    if (o.todo && o.args && o.rt_args) {
        status = parse_options(argc, argv, &o);
        if (status < 0) status = run(&o);
    }
    free(o.todo);
    free(o.args);
    free(o.rt_args);
    free(o.replay_opt);
    if (o.console.rsp_log) fclose(o.console.rsp_log);
    return status;
}
