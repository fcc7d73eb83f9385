/*
 * The gdb-style terminal front end of `wdb` (wdb_cli.c): the command
 * line (`wdb [OPTIONS] APP.wasm [ARGS]`, `-ex`, `-x`, `-batch`, `--args`),
 * the `(wdb) ` prompt with line editing, and the exit status. The
 * commands are the console's (wb_console.h).
 */
#ifndef WDB_CLI_H
#define WDB_CLI_H

/* Runs the debugger; returns the process exit status: `quit N` gives N;
 * in batch mode the program's exit code when it exited, 134 when it is
 * stopped at a trap, 1 when the last command failed, else 0; interactive
 * sessions end with 0. */
int wdb_cli_main(int argc, char **argv);

#endif
