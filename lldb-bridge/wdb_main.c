/*
 * `wdb`, the host debugger's command line and its only mode dispatcher:
 * the subcommands of one table (`commands`: symbolize, lines, resolve,
 * help), `wdb core CORE APP.wasm` (the CLI's -c), the DAP server on stdio
 * (`--dap`, wdb_dap_stdio.c) or over websockets (`--dap-ws`, wdb_dap_ws.c),
 * and otherwise the gdb-style CLI (wdb_cli.c).
 *
 * Exit status: 0 success, 1 unreadable or malformed input, 2 usage errors.
 */
#include "wb_dwarf.h"
#include "wb_symbolize.h"
#include "wb_wasm.h"
#include "wdb_cli.h"
#include "wdb_dap_stdio.h"
#include "wdb_dap_ws.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct command {
    const char *name;
    const char *args;
    const char *summary;
    int (*run)(int argc, char **argv); /* argv[0] is the command name */
} command;

static int cmd_symbolize(int argc, char **argv);
static int cmd_lines(int argc, char **argv);
static int cmd_resolve(int argc, char **argv);
static int cmd_help(int argc, char **argv);

static const command commands[] = {
    {"symbolize", "[-a] [-f] [-i] [-C] APP.wasm OFFSET...",
     "code offsets (hex, as wdb-run's trap report prints them) to FILE:LINE:COL; -f "
     "function names, -i inlined frames, -C C++ names with namespaces, -a print the offset",
     cmd_symbolize},
    {"lines", "APP.wasm", "dump the DWARF line table: ADDR FILE:LINE:COL and row flags", cmd_lines},
    {"resolve", "APP.wasm FILE:LINE|FUNCTION...",
     "where breakpoints on these locations would go (code offsets), without running", cmd_resolve},
    {"help", "", "this text", cmd_help},
};

static const command *find_command(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, name) == 0) return &commands[i];
    return NULL;
}

static void usage(FILE *out)
{
    fprintf(out, "tools (no program is run):\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %s %s\n      %s\n", commands[i].name, commands[i].args,
                commands[i].summary);
}

static int cmd_help(int argc, char **argv)
{
    (void)argc, (void)argv;
    usage(stdout);
    return 0;
}

/* Opens the module (exit-status 1 and one line on failure) and its DWARF:
 * *d is NULL when there is none or it cannot be opened (with a note on
 * stderr, unless quiet_missing). */
static bool open_module(const char *path, wb_wasm **w, wb_dwarf **d, bool note_missing)
{
    wb_error err;
    *d = NULL;
    if (wb_wasm_open_file(path, w, &err) != WB_OK) {
        fprintf(stderr, "wdb: %s\n", err.msg);
        return false;
    }
    wb_status st = wb_dwarf_open(*w, d, &err);
    if (st == WB_NOT_FOUND && note_missing)
        fprintf(stderr, "wdb: no DWARF in %s: build with -g\n", path);
    else if (st == WB_ERROR)
        fprintf(stderr, "wdb: %s: %s; using function names only\n", path, err.msg);
    return true;
}

/* open_module for commands that cannot work without DWARF: false (with
 * nothing left open) when the module has none or it is unreadable. */
static bool open_module_dwarf(const char *path, wb_wasm **w, wb_dwarf **d)
{
    if (!open_module(path, w, d, true)) return false;
    if (*d) return true;
    wb_wasm_close(*w);
    *w = NULL;
    return false;
}

static bool parse_offset(const char *s, wb_code_off *out)
{
    char *end = NULL;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s += 2;
    if (!*s || *s == '-' || *s == '+') return false;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 16);
    if (errno || *end || v > UINT32_MAX) return false;
    *out = (wb_code_off)v;
    return true;
}

static int cmd_symbolize(int argc, char **argv)
{
    wb_symbolize_opts o = {false, false, false, false};
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        for (const char *p = argv[i] + 1; *p; p++) {
            switch (*p) {
            case 'f': o.functions = true; break;
            case 'i': o.inlines = true; break;
            case 'C': o.demangle = true; break;
            case 'a': o.addresses = true; break;
            default: fprintf(stderr, "wdb symbolize: unknown option -%c\n", *p); return 2;
            }
        }
    }
    if (argc - i < 2) {
        fprintf(stderr, "usage: wdb symbolize %s\n", commands[0].args);
        return 2;
    }
    const char *path = argv[i++];
    wb_code_off *offs = calloc((size_t)(argc - i), sizeof *offs);
    if (!offs) return 1;
    for (int k = i; k < argc; k++)
        if (!parse_offset(argv[k], &offs[k - i])) {
            fprintf(stderr, "wdb symbolize: bad offset '%s': expected a hex code offset\n",
                    argv[k]);
            free(offs);
            return 2;
        }
    wb_wasm *w = NULL;
    wb_dwarf *d = NULL;
    if (!open_module(path, &w, &d, true)) {
        free(offs);
        return 1;
    }
    char last[sizeof((wb_error *)0)->msg] = "";
    for (int k = i; k < argc; k++) {
        wb_error err;
        if (wb_symbolize(w, d, offs[k - i], &o, stdout, &err) == WB_ERROR &&
            strcmp(err.msg, last) != 0) {
            /* each distinct DWARF problem once, not once per address */
            fprintf(stderr, "wdb: %s: %s\n", path, err.msg);
            snprintf(last, sizeof last, "%s", err.msg);
        }
    }
    free(offs);
    wb_dwarf_close(d);
    wb_wasm_close(w);
    return 0;
}

static int cmd_lines(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: wdb lines %s\n", commands[1].args);
        return 2;
    }
    wb_wasm *w = NULL;
    wb_dwarf *d = NULL;
    int rc = 0;
    if (!open_module_dwarf(argv[1], &w, &d)) return 1;
    size_t n = 0;
    wb_error err;
    if (wb_dwarf_unit_count(d, &n, &err) != WB_OK) {
        fprintf(stderr, "wdb: %s: %s\n", argv[1], err.msg);
        rc = 1;
    }
    for (size_t u = 0; u < n; u++) {
        const char *name;
        const wb_line *rows;
        size_t nrows;
        if (wb_dwarf_unit_lines(d, u, &name, &rows, &nrows, &err) != WB_OK) {
            fprintf(stderr, "wdb: %s: unit %zu: %s\n", argv[1], u, err.msg);
            rc = 1;
            continue;
        }
        printf("unit %s\n", name);
        for (size_t r = 0; r < nrows; r++)
            printf("0x%08x %s:%u:%u%s%s%s\n", rows[r].addr, rows[r].file ? rows[r].file : "??",
                   rows[r].line, rows[r].column, rows[r].is_stmt ? " stmt" : "",
                   rows[r].prologue_end ? " prologue_end" : "",
                   rows[r].end_sequence ? " end_sequence" : "");
    }
    wb_dwarf_close(d);
    wb_wasm_close(w);
    return rc;
}

/* Prints "LOCATION: 0xADDR FILE:LINE" per site, or "LOCATION: not found". */
static int cmd_resolve(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: wdb resolve %s\n", commands[2].args);
        return 2;
    }
    wb_wasm *w = NULL;
    wb_dwarf *d = NULL;
    int rc = 0;
    if (!open_module_dwarf(argv[1], &w, &d)) return 1;
    for (int i = 2; i < argc; i++) {
        const char *loc = argv[i];
        const char *colon = strrchr(loc, ':');
        wb_error err;
        wb_status st;
        char *endp = NULL;
        unsigned long line = colon ? strtoul(colon + 1, &endp, 10) : 0;
        if (colon && colon[1] && endp && !*endp) {
            size_t flen = (size_t)(colon - loc);
            char *file = malloc(flen + 1);
            if (!file) return 1;
            memcpy(file, loc, flen);
            file[flen] = 0;
            wb_line_sites sites;
            st = wb_dwarf_line_sites(d, file, (uint32_t)line, &sites, &err);
            free(file);
            if (st == WB_OK) {
                for (size_t k = 0; k < sites.count; k++)
                    printf("%s: 0x%x %s:%u\n", loc, sites.sites[k].addr, sites.file,
                           sites.sites[k].line);
                wb_line_sites_free(&sites);
            }
        } else {
            const wb_scope *fn = NULL;
            wb_code_off entry = 0;
            st = wb_dwarf_function_named(d, loc, &fn, &entry, &err);
            if (st == WB_OK) {
                wb_line row;
                wb_error tmp;
                if (wb_dwarf_line_at(d, entry, &row, &tmp) == WB_OK && row.file)
                    printf("%s: 0x%x %s:%u\n", loc, entry, row.file, row.line);
                else
                    printf("%s: 0x%x\n", loc, entry);
            }
        }
        if (st == WB_NOT_FOUND) printf("%s: not found\n", loc);
        if (st == WB_ERROR) {
            fprintf(stderr, "wdb: %s: %s\n", argv[1], err.msg);
            rc = 1;
        }
    }
    wb_dwarf_close(d);
    wb_wasm_close(w);
    return rc;
}

/* The mode the options select, among those before the program or
 * `--args`: `--dap` among the leading options, `--dap-ws` (and its own
 * options) anywhere before `--args`; each reads the whole command line. */
static int (*dap_mode(int argc, char **argv))(int, char **)
{
    for (int k = 1; k < argc && argv[k][0] == '-' && strcmp(argv[k], "--args") != 0; k++)
        if (strcmp(argv[k], "--dap") == 0) return wdb_dap_stdio_main;
    for (int k = 1; k < argc; k++) {
        const char *a = argv[k];
        if (strcmp(a, "--args") == 0 || strcmp(a, "-args") == 0) break;
        if (a[0] == '-' && wb_dap_ws_is_option(a)) return wb_dap_ws_cli;
    }
    return NULL;
}

int main(int argc, char **argv)
{
    /* `wdb symbolize ...` and friends; everything else is the debugger
     * (`wdb`, `wdb app.wasm`, `wdb -batch -ex ... --args app.wasm ...`) */
    const command *c = argc >= 2 ? find_command(argv[1]) : NULL;
    if (c) return c->run(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "core") == 0) {
        /* `wdb core CORE APP.wasm [OPTIONS]` is `wdb -c CORE [OPTIONS] APP.wasm` */
        if (argc < 4) {
            fprintf(stderr, "usage: wdb core CORE APP.wasm [-ex CMD]...\n");
            return 2;
        }
        char **v = calloc((size_t)argc + 2, sizeof *v);
        if (!v) return 1;
        int k = 0;
        v[k++] = argv[0];
        v[k++] = "-c";
        v[k++] = argv[2];
        for (int i = 4; i < argc; i++)
            v[k++] = argv[i];
        v[k++] = argv[3];
        int rc = wdb_cli_main(k, v);
        free(v);
        return rc;
    }
    int (*dap)(int, char **) = dap_mode(argc, argv);
    if (dap) return dap(argc, argv);
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        int rc = wdb_cli_main(argc, argv);
        printf("\n");
        usage(stdout);
        return rc;
    }
    return wdb_cli_main(argc, argv);
}
