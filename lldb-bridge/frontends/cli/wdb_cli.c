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

int wdb_cli_main(int argc, char **argv)
{
    wb_console_opts o = {.poll = poll_interrupt};
    int status = 0;
    pending *todo = calloc((size_t)argc + 1, sizeof *todo);
    /* the program's arguments and wdb-run's, NULL-terminated: pointers
     * into argv */
    const char **args = calloc((size_t)argc + 1, sizeof *args);
    const char **rt_args = calloc((size_t)argc + 1, sizeof *rt_args);
    size_t ntodo = 0, nargs = 0, nrt_args = 0;
    bool quiet = false, batch = false;
    const char *program = NULL;
    const char *core_path = NULL;
    int i = 1;
    if (!todo || !args || !rt_args) {
        status = 1;
        goto out;
    }
    /* Options may come before or after the program, as getopt permutes
     * them for gdb; words that are not options are the program and its
     * arguments; `--args` ends the options. */
    bool args_mode = false;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || !a[1]) {
            if (!program)
                program = a;
            else
                args[nargs++] = a;
            continue;
        }
        if (a[1] == '-' && a[2] != '-' && a[2]) a++; /* --batch == -batch */
        if (strcmp(a, "-ex") == 0 || strcmp(a, "-eval-command") == 0) {
            if (++i >= argc) {
                fprintf(stderr, "wdb: option '%s' requires an argument\n", argv[i - 1]);
                status = 2;
                goto out;
            }
            todo[ntodo++] = (pending){false, argv[i]};
        } else if (strncmp(a, "-eval-command=", 14) == 0) {
            todo[ntodo++] = (pending){false, a + 14};
        } else if (strcmp(a, "-x") == 0 || strcmp(a, "-command") == 0) {
            if (++i >= argc) {
                fprintf(stderr, "wdb: option '%s' requires an argument\n", argv[i - 1]);
                status = 2;
                goto out;
            }
            todo[ntodo++] = (pending){true, argv[i]};
        } else if (strncmp(a, "-command=", 9) == 0) {
            todo[ntodo++] = (pending){true, a + 9};
        } else if (strcmp(a, "-batch") == 0) {
            batch = true;
            quiet = true;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "-quiet") == 0 || strcmp(a, "-silent") == 0 ||
                   strcmp(a, "-nx") == 0 || strcmp(a, "-n") == 0) {
            quiet = true;
        } else if (strcmp(a, "-args") == 0) {
            i++;
            args_mode = true;
            break;
        } else if (strcmp(a, "-c") == 0 || strcmp(a, "-core") == 0) {
            if (++i >= argc) {
                fprintf(stderr, "wdb: option '%s' requires an argument\n", argv[i - 1]);
                status = 2;
                goto out;
            }
            core_path = argv[i];
        } else if (strncmp(a, "-core=", 6) == 0) {
            core_path = a + 6;
        } else if (strncmp(a, "-annotate=", 10) == 0) {
            if (strcmp(a + 10, "github") != 0) {
                fprintf(stderr, "wdb: unknown annotation style '%s' (known: github)\n", a + 10);
                status = 2;
                goto out;
            }
            o.annotate_github = true;
        } else if (strcmp(a, "-b") == 0 || strcmp(a, "-baud") == 0 ||
                   strncmp(a, "-baud=", 6) == 0) {
            const char *v = strncmp(a, "-baud=", 6) == 0 ? a + 6 : NULL;
            if (!v && ++i >= argc) {
                fprintf(stderr, "wdb: option '%s' requires an argument\n", argv[i - 1]);
                status = 2;
                goto out;
            }
            if (!v) v = argv[i];
            if (!wb_console_parse_baud(v, &o.baud)) {
                fprintf(stderr, "wdb: bad baud rate '%s'\n", v);
                status = 2;
                goto out;
            }
        } else if (strncmp(a, "-runtime=", 9) == 0) {
            o.runtime = a + 9;
        } else if (strncmp(a, "-dir=", 5) == 0 || strncmp(a, "-env=", 5) == 0) {
            rt_args[nrt_args++] = argv[i];
        } else if (strncmp(a, "-runtime-arg=", 13) == 0) {
            rt_args[nrt_args++] = a + 13;
        } else if (strncmp(a, "-rsp-log=", 9) == 0) {
            if (o.rsp_log) fclose(o.rsp_log);
            o.rsp_log = fopen(a + 9, "w");
            if (!o.rsp_log) {
                fprintf(stderr, "wdb: cannot open %s: %s\n", a + 9, strerror(errno));
                status = 2;
                goto out;
            }
        } else if (strcmp(a, "-help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            goto out;
        } else if (strcmp(a, "-version") == 0) {
            printf("wdb %s\n", WDB_VERSION);
            goto out;
        } else {
            fprintf(stderr,
                    "wdb: unrecognized option '%s'\nUse `wdb --help' for a complete list "
                    "of options.\n",
                    argv[i]);
            status = 2;
            goto out;
        }
    }
    if (args_mode) {
        if (i < argc && !program)
            program = argv[i++];
        else if (i < argc && program)
            args[nargs++] = argv[i++];
        for (; i < argc; i++)
            args[nargs++] = argv[i];
    }
    o.args = args;
    o.runtime_args = rt_args;
    wb_console *c = wb_console_new(&o);
    if (!c) {
        fprintf(stderr, "wdb: out of memory\n");
        status = 1;
        goto out;
    }
    wb_error e;
    if (!quiet && !batch)
        printf("wdb %s: a source-level debugger for WebAssembly.\nType \"help\" for a list of "
               "commands.\n",
               WDB_VERSION);
    if (program) wb_console_load(c, program, &e);
    if (core_path) wb_console_open_core(c, core_path, &e);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    for (size_t k = 0; k < ntodo && !wb_console_get_state(c).quit; k++) {
        if (todo[k].is_file)
            wb_console_source(c, todo[k].text, &e);
        else /* from_tty as gdb decides it */
            wb_console_execute(c, todo[k].text, !batch, &e);
    }
    if (!batch && !wb_console_get_state(c).quit) {
        wb_linedit *le = wb_linedit_new(0, 1);
        char *last = NULL;
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
    wb_console_state st = wb_console_get_state(c);
    if (st.quit && st.quit_code >= 0)
        status = st.quit_code;
    else if (!batch)
        status = 0;
    else if (st.exited)
        status = st.exit_code;
    else if (st.trapped)
        status = 134;
    else if (st.last_failed)
        status = 1;
    fflush(stdout);
    wb_console_free(c); /* kills a program still stopped */
out:
    free(todo);
    free(args);
    free(rt_args);
    if (o.rsp_log) fclose(o.rsp_log);
    return status;
}
