/*
 * wb_linedit: a small line editor (see wb_linedit.h). The terminal side
 * uses only ECMA-48 sequences every terminal emulator knows: CR, "ESC [ K"
 * (erase to the end of the row), "ESC [ n C" (cursor right), and
 * "ESC [ H ESC [ 2 J" for Ctrl-L.
 */
#include "wb_linedit.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

enum { DEFAULT_HISTORY_MAX = 1000, INBUF_SIZE = 4096 };

struct wb_linedit {
    int in_fd, out_fd;
    bool tty;
    /* Raw mode: `saved` is the mode to go back to; `raw` is read by
     * wb_linedit_restore, possibly from a signal handler. */
    struct termios saved;
    volatile sig_atomic_t raw;
    /* Input buffer, shared by both modes: bytes read but not yet used stay
     * here for the next line. */
    unsigned char in[INBUF_SIZE];
    size_t in_pos, in_len;
    bool in_eof;
    /* History, oldest first; hist_cap entries allocated. */
    char **hist;
    size_t nhist, hist_cap, hist_max;
};

/* A growable byte string. */
typedef struct str {
    char *s;
    size_t len, cap;
} str;

static bool str_reserve(str *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap) return true;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *s = realloc(b->s, cap);
    if (!s) return false;
    b->s = s;
    b->cap = cap;
    return true;
}

static bool str_insert(str *b, size_t at, const char *p, size_t n)
{
    if (!str_reserve(b, n)) return false;
    memmove(b->s + at + n, b->s + at, b->len - at);
    memcpy(b->s + at, p, n);
    b->len += n;
    b->s[b->len] = 0;
    return true;
}

static void str_erase(str *b, size_t at, size_t n)
{
    memmove(b->s + at, b->s + at + n, b->len - at - n);
    b->len -= n;
    b->s[b->len] = 0;
}

static bool str_set(str *b, const char *p)
{
    b->len = 0;
    return str_insert(b, 0, p, strlen(p));
}

static bool str_append(str *b, const char *p, size_t n)
{
    return str_insert(b, b->len, p, n);
}

/* ---- creation ------------------------------------------------------------ */

wb_linedit *wb_linedit_new(int in_fd, int out_fd)
{
    wb_linedit *le = calloc(1, sizeof *le);
    if (!le) return NULL;
    le->in_fd = in_fd;
    le->out_fd = out_fd;
    le->tty = isatty(in_fd) == 1;
    le->hist_max = DEFAULT_HISTORY_MAX;
    return le;
}

void wb_linedit_free(wb_linedit *le)
{
    if (!le) return;
    wb_linedit_restore(le);
    for (size_t i = 0; i < le->nhist; i++)
        free(le->hist[i]);
    free(le->hist);
    free(le);
}

void wb_linedit_restore(wb_linedit *le)
{
    if (le && le->raw) {
        tcsetattr(le->in_fd, TCSADRAIN, &le->saved);
        le->raw = 0;
    }
}

/* Raw mode as the editor needs it: bytes one at a time, no echo, no signal
 * keys (Ctrl-C is a key here), no CR-to-NL or flow control. Output
 * processing is left as it is. */
static bool enter_raw(wb_linedit *le)
{
    struct termios t;
    if (tcgetattr(le->in_fd, &le->saved) != 0) return false;
    t = le->saved;
    t.c_iflag &= ~(tcflag_t)(BRKINT | ICRNL | INPCK | ISTRIP | IXON);
    t.c_cflag |= CS8;
    t.c_lflag &= ~(tcflag_t)(ECHO | ICANON | IEXTEN | ISIG);
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    if (tcsetattr(le->in_fd, TCSADRAIN, &t) != 0) return false;
    le->raw = 1;
    return true;
}

/* ---- I/O ------------------------------------------------------------------- */

static void write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return; /* nothing sensible to do about a dead terminal */
        p += k;
        n -= (size_t)k;
    }
}

/* The next input byte: 1, or 0 at EOF, -1 on error. */
static int next_byte(wb_linedit *le, unsigned char *c)
{
    while (le->in_pos == le->in_len) {
        ssize_t k;
        if (le->in_eof) return 0;
        k = read(le->in_fd, le->in, sizeof le->in);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) return -1;
        if (k == 0) {
            le->in_eof = true;
            return 0;
        }
        le->in_pos = 0;
        le->in_len = (size_t)k;
    }
    *c = le->in[le->in_pos++];
    return 1;
}

/* The non-terminal path: one line of any length, no output but the
 * prompt. */
static char *read_plain(wb_linedit *le, const char *prompt)
{
    str b = {0};
    int r;
    unsigned char c;
    if (prompt) write_all(le->out_fd, prompt, strlen(prompt));
    if (!str_reserve(&b, 0)) return NULL;
    b.s[0] = 0;
    for (;;) {
        /* Copy up to the next newline in one go. */
        if (le->in_pos < le->in_len) {
            unsigned char *start = le->in + le->in_pos;
            unsigned char *nl = memchr(start, '\n', le->in_len - le->in_pos);
            size_t n = nl ? (size_t)(nl - start) : le->in_len - le->in_pos;
            if (!str_append(&b, (const char *)start, n)) goto fail;
            le->in_pos += n + (nl ? 1 : 0);
            if (nl) break;
        }
        r = next_byte(le, &c);
        if (r < 0) goto fail;
        if (r == 0) {
            if (b.len == 0) goto fail; /* EOF: no last line */
            break;
        }
        le->in_pos--; /* put it back; the copy above takes it */
    }
    if (b.len > 0 && b.s[b.len - 1] == '\r') b.s[--b.len] = 0;
    wb_linedit_history_add(le, b.s);
    return b.s;
fail:
    free(b.s);
    return NULL;
}

/* ---- the terminal editor ------------------------------------------------- */

typedef struct edit {
    wb_linedit *le;
    const char *prompt;
    size_t plen; /* prompt width */
    str buf;     /* the line */
    size_t pos;  /* cursor, a byte index at a character start */
    size_t cols;
    /* History browsing: hidx == nhist is the line being typed, kept in
     * `typed` while another entry is shown. */
    size_t hidx;
    str typed;
} edit;

static bool is_cont(unsigned char c)
{
    return (c & 0xc0) == 0x80;
}

/* Characters (UTF-8 sequences count one) in s[from, to). */
static size_t width(const char *s, size_t from, size_t to)
{
    size_t w = 0;
    for (size_t i = from; i < to; i++)
        w += !is_cont((unsigned char)s[i]);
    return w;
}

static size_t prev_char(const edit *e, size_t i)
{
    if (i == 0) return 0;
    do
        i--;
    while (i > 0 && is_cont((unsigned char)e->buf.s[i]));
    return i;
}

static size_t next_char(const edit *e, size_t i)
{
    if (i >= e->buf.len) return e->buf.len;
    do
        i++;
    while (i < e->buf.len && is_cont((unsigned char)e->buf.s[i]));
    return i;
}

static size_t term_cols(int fd)
{
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
    return 80;
}

/* Redraws prompt and line on the current row. When they do not fit, the
 * line scrolls so the cursor stays visible (one column is kept free so the
 * cursor never wraps). */
static void refresh(edit *e)
{
    str out = {0};
    char seq[32];
    size_t avail;
    e->cols = term_cols(e->le->out_fd); /* cheap; follows window resizes */
    avail = e->cols > e->plen + 1 ? e->cols - e->plen - 1 : 1;
    size_t start = 0, end, shown = 0;
    size_t w = width(e->buf.s, 0, e->pos);
    for (; w > avail; w--)
        start = next_char(e, start);
    for (end = start; end < e->buf.len && shown < avail; shown++)
        end = next_char(e, end);
    str_append(&out, "\r", 1);
    str_append(&out, e->prompt, strlen(e->prompt));
    str_append(&out, e->buf.s + start, end - start);
    str_append(&out, "\x1b[K\r", 4);
    size_t col = e->plen + w;
    if (col > 0) {
        int n = snprintf(seq, sizeof seq, "\x1b[%zuC", col);
        str_append(&out, seq, (size_t)n);
    }
    if (out.s) write_all(e->le->out_fd, out.s, out.len);
    free(out.s);
}

/* Shows history entry `idx` (nhist: the typed line). */
static void history_move(edit *e, size_t idx)
{
    wb_linedit *le = e->le;
    if (idx > le->nhist || idx == e->hidx) return;
    if (e->hidx == le->nhist) str_set(&e->typed, e->buf.s ? e->buf.s : "");
    e->hidx = idx;
    str_set(&e->buf, idx == le->nhist ? (e->typed.s ? e->typed.s : "") : le->hist[idx]);
    e->pos = e->buf.len;
    refresh(e);
}

/* Reads the rest of an escape sequence (after ESC) and returns a key code:
 * 'A'..'D' arrows, 'H' home, 'F' end, 'X' delete, 0 for anything else. */
static int read_escape(wb_linedit *le)
{
    unsigned char c, p;
    char param[16];
    size_t np = 0;
    if (next_byte(le, &c) != 1) return 0;
    if (c == 'O') { /* SS3: application cursor keys */
        if (next_byte(le, &c) != 1) return 0;
        return strchr("ABCDHF", c) ? c : 0;
    }
    if (c != '[') return 0;
    /* CSI: parameter bytes 0x30-0x3f, intermediates 0x20-0x2f, then a
     * final byte 0x40-0x7e (ECMA-48 5.4). */
    for (;;) {
        if (next_byte(le, &p) != 1) return 0;
        if (p >= 0x40 && p <= 0x7e) break;
        if (np < sizeof param - 1) param[np++] = (char)p;
    }
    param[np] = 0;
    if (p == '~') {
        /* vt220 keys: 1/7 home, 4/8 end, 3 delete */
        if (!strcmp(param, "1") || !strcmp(param, "7")) return 'H';
        if (!strcmp(param, "4") || !strcmp(param, "8")) return 'F';
        if (!strcmp(param, "3")) return 'X';
        return 0;
    }
    if (np == 0 && strchr("ABCDHF", p)) return p;
    return 0;
}

#define KEY_CTRL(k) ((k)&0x1f)

/* The editing loop. Returns the line (malloc'd), or NULL at EOF. */
static char *edit_line(wb_linedit *le, const char *prompt)
{
    edit e = {0};
    char *line = NULL;
    e.le = le;
    e.prompt = prompt ? prompt : "";
    e.plen = strlen(e.prompt);
    e.hidx = le->nhist;
    if (!str_set(&e.buf, "")) return NULL;
    refresh(&e);
    for (;;) {
        unsigned char c;
        int key;
        int r = next_byte(le, &c);
        if (r != 1) {
            /* EOF or error on a terminal: give back what was typed, if
             * anything, else EOF. */
            if (e.buf.len > 0) break;
            goto eof;
        }
        key = c;
        if (c == 0x1b) {
            key = read_escape(le);
            switch (key) {
            case 'A': key = KEY_CTRL('P'); break;
            case 'B': key = KEY_CTRL('N'); break;
            case 'C': key = KEY_CTRL('F'); break;
            case 'D': key = KEY_CTRL('B'); break;
            case 'H': key = KEY_CTRL('A'); break;
            case 'F': key = KEY_CTRL('E'); break;
            case 'X': key = 0x100; break; /* Delete */
            default: continue;
            }
        }
        switch (key) {
        case '\r':
        case '\n': goto done;
        case KEY_CTRL('C'):
            write_all(le->out_fd, "^C\r\n", 4);
            e.buf.len = 0;
            e.buf.s[0] = 0;
            line = e.buf.s;
            free(e.typed.s);
            return line;
        case KEY_CTRL('D'):
            if (e.buf.len == 0) goto eof;
            /* fall through: delete under the cursor */
            __attribute__((fallthrough));
        case 0x100:
            if (e.pos < e.buf.len) {
                str_erase(&e.buf, e.pos, next_char(&e, e.pos) - e.pos);
                refresh(&e);
            }
            break;
        case 0x7f:
        case KEY_CTRL('H'):
            if (e.pos > 0) {
                size_t p = prev_char(&e, e.pos);
                str_erase(&e.buf, p, e.pos - p);
                e.pos = p;
                refresh(&e);
            }
            break;
        case KEY_CTRL('A'): e.pos = 0, refresh(&e); break;
        case KEY_CTRL('E'): e.pos = e.buf.len, refresh(&e); break;
        case KEY_CTRL('B'): e.pos = prev_char(&e, e.pos), refresh(&e); break;
        case KEY_CTRL('F'): e.pos = next_char(&e, e.pos), refresh(&e); break;
        case KEY_CTRL('K'):
            str_erase(&e.buf, e.pos, e.buf.len - e.pos);
            refresh(&e);
            break;
        case KEY_CTRL('U'):
            str_erase(&e.buf, 0, e.pos);
            e.pos = 0;
            refresh(&e);
            break;
        case KEY_CTRL('W'): {
            size_t p = e.pos;
            while (p > 0 && e.buf.s[p - 1] == ' ')
                p--;
            while (p > 0 && e.buf.s[p - 1] != ' ')
                p--;
            str_erase(&e.buf, p, e.pos - p);
            e.pos = p;
            refresh(&e);
            break;
        }
        case KEY_CTRL('L'):
            write_all(le->out_fd, "\x1b[H\x1b[2J", 7);
            refresh(&e);
            break;
        case KEY_CTRL('P'):
            if (e.hidx > 0) history_move(&e, e.hidx - 1);
            break;
        case KEY_CTRL('N'): history_move(&e, e.hidx + 1); break;
        default:
            if (key >= 0x20 && key < 0x100 && key != 0x7f) {
                char ch = (char)key;
                if (!str_insert(&e.buf, e.pos, &ch, 1)) goto eof;
                e.pos++;
                /* Mid UTF-8 sequence the cursor must not stop there:
                 * move past the continuation bytes already typed. */
                e.pos = e.pos < e.buf.len && is_cont((unsigned char)e.buf.s[e.pos])
                            ? next_char(&e, e.pos)
                            : e.pos;
                refresh(&e);
            }
            break;
        }
    }
done:
    e.pos = e.buf.len;
    refresh(&e);
    write_all(le->out_fd, "\r\n", 2);
    free(e.typed.s);
    wb_linedit_history_add(le, e.buf.s);
    return e.buf.s;
eof:
    free(e.buf.s);
    free(e.typed.s);
    return NULL;
}

char *wb_linedit_read(wb_linedit *le, const char *prompt)
{
    char *line;
    if (!le->tty || !enter_raw(le)) return read_plain(le, prompt);
    line = edit_line(le, prompt);
    wb_linedit_restore(le);
    return line;
}

/* ---- history --------------------------------------------------------------- */

void wb_linedit_history_add(wb_linedit *le, const char *line)
{
    char *copy;
    if (le->hist_max == 0 || line[strspn(line, " \t")] == 0) return;
    if (le->nhist > 0 && !strcmp(le->hist[le->nhist - 1], line)) return;
    if (le->nhist == le->hist_cap && le->nhist < le->hist_max) {
        size_t cap = le->hist_cap ? le->hist_cap * 2 : 16;
        char **h;
        if (cap > le->hist_max) cap = le->hist_max;
        if (!(h = realloc(le->hist, cap * sizeof *h))) return;
        le->hist = h;
        le->hist_cap = cap;
    }
    if (!(copy = strdup(line))) return;
    if (le->nhist == le->hist_max) {
        free(le->hist[0]);
        memmove(le->hist, le->hist + 1, (le->nhist - 1) * sizeof *le->hist);
        le->nhist--;
    }
    le->hist[le->nhist++] = copy;
}

void wb_linedit_history_set_max(wb_linedit *le, size_t max)
{
    size_t drop = le->nhist > max ? le->nhist - max : 0;
    for (size_t i = 0; i < drop; i++)
        free(le->hist[i]);
    if (drop) memmove(le->hist, le->hist + drop, (le->nhist - drop) * sizeof *le->hist);
    le->nhist -= drop;
    if (max == 0) {
        free(le->hist);
        le->hist = NULL;
        le->hist_cap = 0;
    }
    /* A bigger array than needed is kept; add() never fills past max. */
    le->hist_max = max;
}

size_t wb_linedit_history_count(const wb_linedit *le)
{
    return le->nhist;
}

const char *wb_linedit_history_get(const wb_linedit *le, size_t i)
{
    return i < le->nhist ? le->hist[i] : NULL;
}

wb_status wb_linedit_history_load(wb_linedit *le, const char *path, wb_error *err)
{
    char *text;
    size_t len;
    /* through the bounded reader: a regular file of at most WDB_FILE_TEXT_MAX */
    if (access(path, F_OK) != 0 && errno == ENOENT) return WB_NOT_FOUND;
    if (wb_read_text(path, &text, &len, err) != WB_OK) return WB_ERROR;
    char *p = text, *end = text + len;
    while (p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *e = nl ? nl : end;
        *e = 0;
        while (e > p && e[-1] == '\r')
            *--e = 0;
        wb_linedit_history_add(le, p);
        if (!nl) break;
        p = nl + 1;
    }
    free(text);
    return WB_OK;
}

wb_status wb_linedit_history_save(const wb_linedit *le, const char *path, wb_error *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    FILE *f;
    bool ok = true;
    if (fd < 0) return wb_fail(err, "%s: %s", path, strerror(errno));
    if (!(f = fdopen(fd, "w"))) {
        close(fd);
        return wb_fail(err, "%s: %s", path, strerror(errno));
    }
    for (size_t i = 0; i < le->nhist && ok; i++)
        ok = fprintf(f, "%s\n", le->hist[i]) >= 0;
    if (fclose(f) != 0) ok = false;
    return ok ? WB_OK : wb_fail(err, "%s: write error", path);
}
