/*
 * Unit tests of the console's API (lldb-bridge/console/wb_console.h), no
 * program run: which lines are commands, the run control the DAP console
 * hands to its editor, an embedded console's refusals and captured output,
 * streamed output and error lines, command files (stop at the first
 * failure, gdb's "Error in sourced command file"), quit, and a module
 * loaded without running (break, info breakpoints, list).
 *
 *   test_console APP.wasm    (a module with DWARF and a main in a .c file)
 */
#define _GNU_SOURCE /* open_memstream */
#include "check.h"
#include "wb_console.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_is_command(void)
{
    CHECK(wb_console_is_command("bt"));
    CHECK(wb_console_is_command("  info locals"));
    CHECK(wb_console_is_command("x/4xw &a"));
    CHECK(wb_console_is_command("b main"));        /* an alias */
    CHECK(wb_console_is_command("disas"));         /* a unique prefix */
    CHECK(!wb_console_is_command("con"));          /* condition, continue */
    CHECK(!wb_console_is_command("frobnicate 1")); /* none */
    CHECK(!wb_console_is_command(""));
    CHECK(!wb_console_is_command("/x"));
}

static void test_run_control(void)
{
    wb_run how = WB_RUN_CONTINUE;
    bool rev = true;
    char *where = (char *)"unset";
    wb_error err;
    CHECK(wb_console_run_control("next", &how, &rev, &where, &err) == WB_OK);
    CHECK(how == WB_RUN_NEXT && where == NULL && !rev);
    CHECK(wb_console_run_control("rs", &how, &rev, &where, &err) == WB_OK);
    CHECK(how == WB_RUN_STEP && rev && where == NULL);
    CHECK(wb_console_run_control("reverse-finish", &how, &rev, &where, &err) == WB_OK);
    CHECK(how == WB_RUN_FINISH && rev);
    CHECK(wb_console_run_control("rc 2", &how, &rev, &where, &err) == WB_ERROR);
    CHECK(wb_console_run_control(" fin ", &how, &rev, &where, &err) == WB_OK);
    CHECK(how == WB_RUN_FINISH && where == NULL);
    CHECK(wb_console_run_control("c", &how, &rev, &where, &err) == WB_OK);
    CHECK(how == WB_RUN_CONTINUE && !rev);
    CHECK(wb_console_run_control("until 40  ", &how, &rev, &where, &err) == WB_OK);
    CHECK(how == WB_RUN_UNTIL);
    CHECK_STR(where, "40");
    free(where);
    CHECK(wb_console_run_control("advance", &how, &rev, &where, &err) == WB_ERROR);
    CHECK_STR(err.msg, "Argument required (a location).");
    CHECK(wb_console_run_control("next 3", &how, &rev, &where, &err) == WB_ERROR);
    CHECK(strstr(err.msg, "without a count or argument") != NULL);
    CHECK(wb_console_run_control("bt", &how, &rev, &where, &err) == WB_NOT_FOUND);
    CHECK(wb_console_run_control("", &how, &rev, &where, &err) == WB_NOT_FOUND);
}

/* The DAP console's way: one line, output and errors captured together. */
static void test_embedded(void)
{
    wb_console_opts o = {.embedded = true};
    wb_console *c = wb_console_new(&o);
    CHECK(c != NULL);
    if (!c) return;
    char *text = NULL;
    wb_error err;
    CHECK(wb_console_capture(c, "bt", false, &text, &err) == WB_ERROR);
    CHECK_STR(text, "No symbol table is loaded.  Use the \"file\" command.\n");
    CHECK_STR(err.msg, "No symbol table is loaded.  Use the \"file\" command.");
    free(text);
    CHECK(wb_console_capture(c, "run", false, &text, &err) == WB_ERROR);
    CHECK_STR(text, "\"run\" is not available in the debug console: use the debugger's "
                    "controls.\n");
    free(text);
    CHECK(wb_console_capture(c, "file /nonexistent.wasm", false, &text, &err) == WB_ERROR);
    CHECK(strstr(text, "\"file\" is not available") != NULL);
    free(text);
    CHECK(wb_console_capture(c, "echo a\\tb\\n", false, &text, &err) == WB_OK);
    CHECK_STR(text, "a\tb\n");
    free(text);
    CHECK(wb_console_capture(c, "help next", false, &text, &err) == WB_OK);
    CHECK_STR(text, "next [N] -- the next source line, stepping over calls\nAliases: n\n");
    free(text);
    CHECK(wb_console_capture(c, "frob", false, &text, &err) == WB_ERROR);
    CHECK_STR(err.msg, "Undefined command: \"frob\".  Try \"help\".");
    free(text);
    wb_console_free(c);
}

typedef struct streams {
    FILE *out, *err;
    char *out_text, *err_text;
    size_t out_len, err_len;
} streams;

static void streams_open(streams *s)
{
    memset(s, 0, sizeof *s);
    s->out = open_memstream(&s->out_text, &s->out_len);
    s->err = open_memstream(&s->err_text, &s->err_len);
}

/* A console writing into fresh streams s (NULL, checked, if it cannot be
 * made: the streams are then closed). */
static wb_console *console_on(streams *s)
{
    streams_open(s);
    wb_console_opts o = {.out = s->out, .err = s->err};
    wb_console *c = wb_console_new(&o);
    CHECK(c != NULL);
    if (!c) {
        fclose(s->out);
        fclose(s->err);
        free(s->out_text);
        free(s->err_text);
    }
    return c;
}

static void streams_close(streams *s)
{
    fclose(s->out);
    fclose(s->err);
}

static void test_streams_and_files(void)
{
    char path[] = "/tmp/wdb-test-console-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0) return;
    static const char cmds[] = "echo one\\n\n# a comment\n\nfrob\necho never\\n\n";
    CHECK(write(fd, cmds, sizeof cmds - 1) == (ssize_t)(sizeof cmds - 1));
    close(fd);

    streams s;
    wb_console *c = console_on(&s);
    if (!c) return;
    wb_error err;
    CHECK(wb_console_execute(c, "echo start\\n", true, &err) == WB_OK);
    CHECK(wb_console_execute(c, "   ", true, &err) == WB_OK);
    CHECK(wb_console_source(c, path, &err) == WB_ERROR);
    CHECK_STR(err.msg, "Undefined command: \"frob\".  Try \"help\".");
    wb_console_state st = wb_console_get_state(c);
    CHECK(st.last_failed && !st.quit && !st.exited && !st.trapped);
    CHECK(wb_console_source(c, "/nonexistent/cmds", &err) == WB_OK); /* a warning */
    CHECK(wb_console_open_core(c, "/nonexistent/core", &err) == WB_ERROR);
    CHECK_STR(err.msg, "a core file needs its module: wdb -c CORE APP.wasm");
    CHECK(wb_console_execute(c, "quit 3", true, &err) == WB_OK);
    st = wb_console_get_state(c);
    CHECK(st.quit && st.quit_code == 3);
    wb_console_free(c);
    streams_close(&s);
    CHECK_STR(s.out_text, "start\none\n");
    char want[512];
    snprintf(want, sizeof want,
             "%s:4: Error in sourced command file:\n"
             "Undefined command: \"frob\".  Try \"help\".\n"
             "warning: /nonexistent/cmds: No such file or directory\n"
             "a core file needs its module: wdb -c CORE APP.wasm\n",
             path);
    CHECK_STR(s.err_text, want);
    free(s.out_text);
    free(s.err_text);
    unlink(path);
}

static void test_module(const char *wasm)
{
    streams s;
    wb_console *c = console_on(&s);
    if (!c) return;
    wb_error err;
    CHECK(wb_console_load(c, "/nonexistent/app.wasm", &err) == WB_ERROR);
    CHECK(strstr(err.msg, "/nonexistent/app.wasm") != NULL);
    CHECK(wb_console_load(c, wasm, &err) == WB_OK);
    CHECK(wb_console_execute(c, "break main", false, &err) == WB_OK);
    CHECK(wb_console_execute(c, "info breakpoints", false, &err) == WB_OK);
    CHECK(wb_console_execute(c, "list 1,2", false, &err) == WB_OK);
    CHECK(wb_console_execute(c, "next", false, &err) == WB_ERROR);
    CHECK_STR(err.msg, "The program is not being run.");
    wb_console_free(c);
    streams_close(&s);
    char want[256];
    snprintf(want, sizeof want, "Reading symbols from %s...\nBreakpoint 1 at 0x", wasm);
    CHECK_MSG(strncmp(s.out_text, want, strlen(want)) == 0, "out: %s", s.out_text);
    CHECK(strstr(s.out_text, "Num     Type           Disp Enb Address    What\n") != NULL);
    CHECK(strstr(s.out_text, "keep y   0x") != NULL);
    CHECK(strstr(s.out_text, " in main at ") != NULL);
    CHECK(strstr(s.out_text, "\n1\t") != NULL && strstr(s.out_text, "\n2\t") != NULL);
    CHECK_MSG(strstr(s.err_text, "No such file") != NULL, "err: %s", s.err_text);
    free(s.out_text);
    free(s.err_text);
}

static void test_baud(void)
{
    unsigned b = 0;
    CHECK(wb_console_parse_baud("115200", &b) && b == 115200);
    CHECK(!wb_console_parse_baud("0", &b));
    CHECK(!wb_console_parse_baud("fast", &b));
    CHECK(!wb_console_parse_baud("4000001", &b));
    CHECK(!wb_console_parse_baud("", &b));
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_console APP.wasm\n");
        return 2;
    }
    test_is_command();
    test_run_control();
    test_embedded();
    test_streams_and_files();
    test_module(argv[1]);
    test_baud();
    return CHECK_DONE("test_console");
}
