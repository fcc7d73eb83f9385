/*
 * Serial lines for the GDB remote protocol, shared by the stub (wdb-run
 * --gdb-tty) and the host debugger (wdb's `target remote /dev/ttyX`). POSIX
 * termios; the only I/O in the codec library.
 */
#ifndef WDB_RSP_SERIAL_H
#define WDB_RSP_SERIAL_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Opens a serial device in raw 8N1 mode (no echo, no line discipline, no
 * modem control) at `baud` (0 = leave the speed as it is; the standard
 * rates from 50 to 4000000). Returns the descriptor, or -1 with errbuf
 * set ("cannot open ...", "... is not a terminal device", "unsupported
 * baud rate N"). */
int rsp_open_serial(const char *path, unsigned baud, char *errbuf, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
