/*
 * `wdb --dap`: the Debug Adapter Protocol on stdin/stdout (wdb_dap_stdio.c),
 * each message framed as DAP's base protocol says: "Content-Length: N"
 * header lines, an empty line, N bytes of JSON.
 */
#ifndef WDB_DAP_STDIO_H
#define WDB_DAP_STDIO_H

/* Runs one DAP session over stdio; argv is wdb's whole command line
 * (--dap and its options: --runtime=PATH, --source-map=FROM::TO,
 * --dap-log=FILE). Returns the process exit status: 0 after the client
 * disconnected or closed stdin, 1 on a malformed frame (said on stderr),
 * 2 on usage errors. */
int wdb_dap_stdio_main(int argc, char **argv);

#endif
