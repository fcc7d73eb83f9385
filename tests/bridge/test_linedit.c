/*
 * Unit tests of the line editor (lldb-bridge/frontends/cli/wb_linedit.c).
 *
 * The terminal path runs on a pseudo-terminal: the keystrokes of each case
 * are written to the master side, wb_linedit_read runs on the slave, and a
 * child process copies everything the editor writes from the master into a
 * file (so the editor never blocks on a full pty buffer), checked at the
 * end. Because keystrokes are queued before wb_linedit_read switches to
 * raw mode, the slave starts in a non-canonical, no-echo, no-signal mode
 * (else the line discipline would act on ^C, ^U, ^W as they arrive); one
 * case starts from the canonical mode and types only once the editor has
 * switched, to see that mode restored. The non-terminal path runs on pipes.
 */
#define _GNU_SOURCE /* posix_openpt, ptsname */
#include "check.h"
#include "wb_linedit.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static void write_str(int fd, const char *s)
{
    size_t n = strlen(s);
    while (n > 0) {
        ssize_t k = write(fd, s, n);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return;
        s += k;
        n -= (size_t)k;
    }
}

typedef struct pty {
    int master, slave;
    pid_t drainer;
    FILE *out; /* what the editor wrote */
} pty;

static bool pty_open(pty *p, unsigned short cols)
{
    struct winsize ws = {.ws_row = 24, .ws_col = cols};
    struct termios t;
    memset(p, 0, sizeof *p);
    p->master = posix_openpt(O_RDWR | O_NOCTTY);
    if (p->master < 0 || grantpt(p->master) || unlockpt(p->master)) return false;
    p->slave = open(ptsname(p->master), O_RDWR | O_NOCTTY);
    if (p->slave < 0) return false;
    ioctl(p->slave, TIOCSWINSZ, &ws);
    /* Queued keystrokes must reach the editor unprocessed (see above). */
    tcgetattr(p->slave, &t);
    t.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG | IEXTEN);
    tcsetattr(p->slave, TCSANOW, &t);
    p->out = tmpfile();
    if (!p->out) return false;
    p->drainer = fork();
    if (p->drainer < 0) return false;
    if (p->drainer == 0) {
        char buf[4096];
        ssize_t k;
        close(p->slave);
        while ((k = read(p->master, buf, sizeof buf)) > 0 || (k < 0 && errno == EINTR))
            if (k > 0) fwrite(buf, 1, (size_t)k, p->out);
        fflush(p->out);
        _exit(0);
    }
    return true;
}

/* Closes the slave, lets the drainer finish, returns the editor's output
 * (malloc'd). */
static char *pty_close(pty *p)
{
    char *s;
    long n;
    close(p->slave);
    waitpid(p->drainer, NULL, 0);
    close(p->master);
    fseek(p->out, 0, SEEK_END);
    n = ftell(p->out);
    s = calloc(1, (size_t)(n > 0 ? n : 0) + 1);
    rewind(p->out);
    if (n > 0 && fread(s, 1, (size_t)n, p->out) != (size_t)n) s[0] = 0;
    fclose(p->out);
    return s;
}

/* Types `keys` and reads one line; checks it is `want` (NULL: EOF). */
static void expect_line_at(int line, wb_linedit *le, pty *p, const char *keys, const char *want)
{
    char *got;
    write_str(p->master, keys);
    got = wb_linedit_read(le, "(wdb) ");
    if (want)
        CHECK_AT(__FILE__, line, got && !strcmp(got, want), "got \"%s\", expected \"%s\"",
                 got ? got : "(null)", want);
    else
        CHECK_AT(__FILE__, line, got == NULL, "got \"%s\", expected EOF", got);
    free(got);
}
#define EXPECT(le, p, keys, want) expect_line_at(__LINE__, le, p, keys, want)

static bool same_mode(int fd, const struct termios *before)
{
    struct termios now;
    tcgetattr(fd, &now);
    return now.c_lflag == before->c_lflag && now.c_iflag == before->c_iflag &&
           now.c_oflag == before->c_oflag && now.c_cflag == before->c_cflag;
}

#define UP "\x1b[A"
#define DOWN "\x1b[B"
#define RIGHT "\x1b[C"
#define LEFT "\x1b[D"

static void test_editing(void)
{
    pty p;
    wb_linedit *le;
    struct termios before;
    char *out;
    if (!pty_open(&p, 80)) {
        CHECK_FAILED("no pseudo-terminal: %s", strerror(errno));
        return;
    }
    le = wb_linedit_new(p.slave, p.slave);
    tcgetattr(p.slave, &before);

    EXPECT(le, &p, "hello\r", "hello");
    CHECK(same_mode(p.slave, &before));
    EXPECT(le, &p, "\r", "");
    EXPECT(le, &p, "abc" LEFT LEFT "X\n", "aXbc");
    EXPECT(le, &p, "abc\x02\x02Y\x06Z\r", "aYbZc");                    /* Ctrl-B, Ctrl-F */
    EXPECT(le, &p, "mid\x01<\x05>\r", "<mid>");                        /* Ctrl-A, Ctrl-E */
    EXPECT(le, &p, "mid\x1b[H[\x1b[F]\r", "[mid]");                    /* Home, End */
    EXPECT(le, &p, "mid\x1b[1~(\x1b[4~)\r", "(mid)");                  /* vt220 Home, End */
    EXPECT(le, &p, "mid\x1bOH{\x1bOF}\r", "{mid}");                    /* SS3 Home, End */
    EXPECT(le, &p, "abcd\x7f\x7f\x08x\r", "ax");                       /* Backspace, Ctrl-H */
    EXPECT(le, &p, "abcd\x01\x1b[3~\x1b[3~\r", "cd");                  /* Delete */
    EXPECT(le, &p, "abcd\x01\x04\r", "bcd");                           /* Ctrl-D deletes */
    EXPECT(le, &p, "hello world" LEFT LEFT LEFT "\x0b\r", "hello wo"); /* Ctrl-K */
    EXPECT(le, &p, "hello world" LEFT LEFT "\x15\r", "ld");            /* Ctrl-U */
    EXPECT(le, &p, "break main.c:12  \x17\r", "break ");               /* Ctrl-W */
    EXPECT(le, &p, "a b\x17\x17\x17\r", "");
    EXPECT(le, &p,
           "ab\x0c"
           "c\r",
           "abc");                                    /* Ctrl-L */
    EXPECT(le, &p, "x\x1b[1;5Cy\x1b[200~z\r", "xyz"); /* unknown CSI ignored */
    EXPECT(le, &p, "\x01\x02\x1b[3~\x06\x7f\x0b\x15\x17" LEFT RIGHT "ok\r", "ok"); /* at edges */
    EXPECT(le, &p, "caf\xc3\xa9" LEFT "\x7f" RIGHT "!\r", "ca\xc3\xa9!");          /* UTF-8 */
    EXPECT(le, &p, "\xc3\xa9t\xc3\xa9\x7f\r", "\xc3\xa9t");
    EXPECT(le, &p, "typed\x03", ""); /* Ctrl-C */
    CHECK(same_mode(p.slave, &before));
    EXPECT(le, &p, "\x04", NULL); /* Ctrl-D: EOF */
    CHECK(same_mode(p.slave, &before));

    /* History: cleared, then these lines (each accepted line is added,
     * unless it repeats the newest entry or is blank). */
    wb_linedit_history_set_max(le, 0);
    wb_linedit_history_set_max(le, 100);
    EXPECT(le, &p, "first\r", "first");
    EXPECT(le, &p, "second\r", "second");
    EXPECT(le, &p, "second\r", "second");
    EXPECT(le, &p, "   \r", "   ");
    CHECK_EQ(wb_linedit_history_count(le), 2);
    EXPECT(le, &p, UP UP "\r", "first"); /* [f s f] */
    EXPECT(le, &p, UP "\r", "first");    /* not stored */
    CHECK_EQ(wb_linedit_history_count(le), 3);
    EXPECT(le, &p, "\x10\x10\r", "second");           /* Ctrl-P: [f s f s] */
    EXPECT(le, &p, UP UP UP UP UP UP "\r", "first");  /* stops at the oldest */
    EXPECT(le, &p, "new" UP DOWN "!\r", "new!");      /* back to the typed line */
    EXPECT(le, &p, "new" UP UP "\x0e\r", "new!");     /* Ctrl-N */
    EXPECT(le, &p, "new" UP "\x0e\x0e\x0e\r", "new"); /* below the newest */
    EXPECT(le, &p, "x" UP "\x05 more\r", "new more"); /* edit a recalled line */
    CHECK_EQ(wb_linedit_history_count(le), 8);
    CHECK_STR(wb_linedit_history_get(le, 0), "first");
    CHECK_STR(wb_linedit_history_get(le, 1), "second");
    CHECK_STR(wb_linedit_history_get(le, 5), "new!");
    CHECK_STR(wb_linedit_history_get(le, 6), "new");
    CHECK_STR(wb_linedit_history_get(le, 7), "new more");
    CHECK(wb_linedit_history_get(le, 8) == NULL);
    wb_linedit_free(le);
    CHECK(same_mode(p.slave, &before));

    out = pty_close(&p);
    CHECK_ELSE(strstr(out, "(wdb) hello") != NULL, "no prompt and line in the output");
    CHECK_ELSE(strstr(out, "^C\r") != NULL, "no ^C in the output");
    CHECK_ELSE(strstr(out, "\x1b[H\x1b[2J") != NULL, "Ctrl-L did not clear the screen");
    free(out);
}

/* A line longer than the terminal scrolls; what is returned is whole. */
static void test_long_line(void)
{
    pty p;
    wb_linedit *le;
    char keys[700], want[700];
    char *out;
    size_t k = 0;
    if (!pty_open(&p, 20)) {
        CHECK_FAILED("no pseudo-terminal");
        return;
    }
    le = wb_linedit_new(p.slave, p.slave);
    for (int i = 0; i < 300; i++)
        want[k] = keys[k] = (char)('a' + i % 26), k++;
    want[k] = 0;
    keys[k] = 0;
    strcat(keys, "\x01X\r");
    memmove(want + 1, want, k + 1);
    want[0] = 'X';
    EXPECT(le, &p, keys, want);
    wb_linedit_free(le);
    out = pty_close(&p);
    /* Every redraw fits the 20 columns: no row of output is longer. */
    {
        size_t longest = 0, cur = 0;
        for (const char *s = out; *s; s++) {
            if (*s == '\r' || *s == '\n')
                cur = 0;
            else if (*s == '\x1b') {
                while (s[1] && !(s[1] >= 0x40 && s[1] <= 0x7e && s[1] != '['))
                    s++;
                if (s[1]) s++;
            } else if (++cur > longest)
                longest = cur;
        }
        CHECK_ELSE(longest < 20, "a row of %zu columns on a 20-column terminal", longest);
    }
    free(out);
}

/* From the canonical mode (the shell's): the editor switches to raw mode
 * and back. Keys are typed by a child once the switch happened. */
static void test_mode_switch(void)
{
    pty p;
    wb_linedit *le;
    struct termios cooked;
    pid_t typist;
    char *got;
    if (!pty_open(&p, 80)) {
        CHECK_FAILED("no pseudo-terminal");
        return;
    }
    tcgetattr(p.slave, &cooked);
    cooked.c_lflag |= ICANON | ECHO | ISIG | IEXTEN;
    cooked.c_iflag |= ICRNL;
    tcsetattr(p.slave, TCSANOW, &cooked);
    tcgetattr(p.slave, &cooked);
    le = wb_linedit_new(p.slave, p.slave);
    typist = fork();
    if (typist == 0) {
        struct termios t;
        for (int i = 0; i < 5000; i++) { /* up to 5 s */
            struct timespec ms = {0, 1000000};
            tcgetattr(p.slave, &t);
            if (!(t.c_lflag & ICANON)) break;
            nanosleep(&ms, NULL);
        }
        write_str(p.master, "ab\x15xy\x03");
        _exit(0);
    }
    got = wb_linedit_read(le, "(wdb) ");
    CHECK_STR(got, "");
    free(got);
    waitpid(typist, NULL, 0);
    CHECK(same_mode(p.slave, &cooked));
    /* restore() outside raw mode does nothing. */
    wb_linedit_restore(le);
    CHECK(same_mode(p.slave, &cooked));
    wb_linedit_free(le);
    free(pty_close(&p));
}

/* ---- the non-terminal path --------------------------------------------- */

static void test_pipe(void)
{
    int in[2], out[2];
    wb_linedit *le;
    char *l;
    static char big[20001], outbuf[256];
    ssize_t n;
    pid_t writer;
    if (pipe(in) || pipe(out)) {
        CHECK_FAILED("pipe");
        return;
    }
    memset(big, 'q', sizeof big - 1);
    /* A writer process: the input is bigger than a pipe's buffer. */
    writer = fork();
    if (writer == 0) {
        close(in[0]);
        write_str(in[1], "one\ntwo\r\n\n");
        write_str(in[1], big);
        write_str(in[1], "\n  spaced  \nlast");
        _exit(0);
    }
    close(in[1]);
    le = wb_linedit_new(in[0], out[1]);
    l = wb_linedit_read(le, NULL);
    CHECK_STR(l, "one");
    free(l);
    l = wb_linedit_read(le, NULL);
    CHECK_STR(l, "two");
    free(l);
    l = wb_linedit_read(le, "(wdb) ");
    CHECK_STR(l, "");
    free(l);
    l = wb_linedit_read(le, NULL);
    CHECK(l && strlen(l) == sizeof big - 1 && l[0] == 'q' && l[sizeof big - 2] == 'q');
    free(l);
    l = wb_linedit_read(le, NULL);
    CHECK_STR(l, "  spaced  ");
    free(l);
    l = wb_linedit_read(le, NULL);
    CHECK_STR(l, "last");
    free(l);
    CHECK(wb_linedit_read(le, NULL) == NULL);
    CHECK(wb_linedit_read(le, "(wdb) ") == NULL);
    CHECK_EQ(wb_linedit_history_count(le), 5);
    CHECK_STR(wb_linedit_history_get(le, 4), "last");
    wb_linedit_free(le);
    waitpid(writer, NULL, 0);
    close(out[1]);
    n = read(out[0], outbuf, sizeof outbuf - 1);
    outbuf[n > 0 ? n : 0] = 0;
    CHECK_STR(outbuf, "(wdb) (wdb) "); /* the prompts given, nothing else */
    close(in[0]);
    close(out[0]);

    /* Empty input: EOF at once. */
    if (pipe(in) == 0) {
        close(in[1]);
        le = wb_linedit_new(in[0], -1);
        CHECK(wb_linedit_read(le, NULL) == NULL);
        wb_linedit_free(le);
        close(in[0]);
    }
}

static void test_history_file(void)
{
    char path[] = "/tmp/wdb_linedit_XXXXXX";
    int fd = mkstemp(path);
    wb_linedit *a = wb_linedit_new(-1, -1), *b = wb_linedit_new(-1, -1);
    wb_error err;
    if (fd < 0) {
        CHECK_FAILED("mkstemp");
        return;
    }
    close(fd);
    wb_linedit_history_add(a, "break main");
    wb_linedit_history_add(a, "run");
    wb_linedit_history_add(a, "run");
    wb_linedit_history_add(a, "");
    wb_linedit_history_add(a, "print x");
    CHECK(wb_linedit_history_save(a, path, &err) == WB_OK);
    CHECK(wb_linedit_history_load(b, path, &err) == WB_OK);
    CHECK_EQ(wb_linedit_history_count(b), 3);
    CHECK_STR(wb_linedit_history_get(b, 0), "break main");
    CHECK_STR(wb_linedit_history_get(b, 2), "print x");
    /* Bounded: the oldest go. */
    wb_linedit_history_set_max(b, 2);
    CHECK_EQ(wb_linedit_history_count(b), 2);
    CHECK_STR(wb_linedit_history_get(b, 0), "run");
    for (int i = 0; i < 50; i++) {
        char s[16];
        snprintf(s, sizeof s, "cmd %d", i);
        wb_linedit_history_add(b, s);
    }
    CHECK_EQ(wb_linedit_history_count(b), 2);
    CHECK_STR(wb_linedit_history_get(b, 1), "cmd 49");
    wb_linedit_history_set_max(b, 1000);
    for (int i = 0; i < 1500; i++) {
        char s[16];
        snprintf(s, sizeof s, "cmd %d", i);
        wb_linedit_history_add(b, s);
    }
    CHECK_EQ(wb_linedit_history_count(b), 1000);
    CHECK_STR(wb_linedit_history_get(b, 0), "cmd 500");
    unlink(path);
    CHECK(wb_linedit_history_load(b, path, &err) == WB_NOT_FOUND);
    CHECK(wb_linedit_history_save(b, "/nonexistent-dir/x", &err) == WB_ERROR);
    CHECK(strstr(err.msg, "/nonexistent-dir/x") != NULL);
    wb_linedit_free(a);
    wb_linedit_free(b);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    test_pipe();
    test_history_file();
    test_editing();
    test_long_line();
    test_mode_switch();
    return CHECK_DONE("test_linedit");
}
