/*
 * wb_linedit: the line editor of the `(wdb) ` prompt, without readline.
 *
 * On a terminal (isatty(in_fd)) a line is edited in raw mode, on one screen
 * row that scrolls sideways when the line is wider than the terminal:
 *   Left/Right, Ctrl-B/Ctrl-F      move by one character (UTF-8 aware)
 *   Home/End, Ctrl-A/Ctrl-E        start / end of the line
 *   Backspace (DEL or Ctrl-H)      delete before the cursor
 *   Delete (ESC [ 3 ~)             delete under the cursor
 *   Ctrl-D                         same as Delete; on an empty line: EOF
 *   Ctrl-K / Ctrl-U                delete to the end / to the start
 *   Ctrl-W                         delete the word before the cursor
 *   Ctrl-L                         clear the screen, redraw the line
 *   Up/Down, Ctrl-P/Ctrl-N         older / newer history entry; below the
 *                                  newest is the line being typed
 *   Ctrl-C                         cancel: prints "^C", returns ""
 *   Enter (CR or LF)               accept the line
 * Other control bytes and unknown escape sequences are ignored. The prompt
 * is counted one column per byte (no colour codes in it).
 *
 * When in_fd is not a terminal, lines are read buffered, of any length,
 * the last one with or without a newline ("\r\n" ends a line too); the
 * prompt is written as given (pass NULL for none) and nothing else is
 * written: no escape sequence ever. This is the path of batch tests.
 *
 * Accepted non-blank lines go into the history (both modes), except a line
 * equal to the newest entry; the oldest entries are dropped beyond the
 * maximum (1000 unless set).
 *
 * A handle is used by one thread; several handles may coexist (no global
 * state), but two handles on one terminal must not read at once.
 */
#ifndef WB_LINEDIT_H
#define WB_LINEDIT_H

#include "wb_common.h"

typedef struct wb_linedit wb_linedit;

/* A line editor reading in_fd and echoing to out_fd (usually 0 and 1). The
 * fds stay the caller's: they are not closed. NULL when out of memory. */
wb_linedit *wb_linedit_new(int in_fd, int out_fd);

/* Restores the terminal if needed and frees everything. NULL is accepted. */
void wb_linedit_free(wb_linedit *le);

/* Writes `prompt` and reads one line. Returns it malloc'd (the caller frees
 * it), without its newline; "" for an empty line or a line cancelled with
 * Ctrl-C. Returns NULL at end of input (Ctrl-D on an empty line, or EOF of
 * a pipe or file after its last line) and on a read error. The terminal
 * mode is restored before every return. */
char *wb_linedit_read(wb_linedit *le, const char *prompt);

/* Puts the terminal back in the mode it had before wb_linedit_read entered
 * raw mode; does nothing when not in raw mode. Async-signal-safe (only
 * tcsetattr): call it from a SIGTERM/SIGSEGV handler or before exec. */
void wb_linedit_restore(wb_linedit *le);

/* History. Entries are numbered from 0 (oldest). add() copies `line` and
 * applies the rules above (blank lines and repeats of the newest entry are
 * not stored). set_max(0) disables history and clears it. */
void wb_linedit_history_add(wb_linedit *le, const char *line);
void wb_linedit_history_set_max(wb_linedit *le, size_t max);
size_t wb_linedit_history_count(const wb_linedit *le);
/* Entry i (i < count), or NULL; lives until the history changes. */
const char *wb_linedit_history_get(const wb_linedit *le, size_t i);

/* Appends the lines of the file at `path` to the history (as add() does).
 * WB_NOT_FOUND if the file does not exist; WB_ERROR with err filled on
 * other failures. */
wb_status wb_linedit_history_load(wb_linedit *le, const char *path, wb_error *err);

/* Writes the history to `path`, one entry a line, oldest first, replacing
 * the file (created with mode 0600: commands may hold secrets). */
wb_status wb_linedit_history_save(const wb_linedit *le, const char *path, wb_error *err);

#endif
