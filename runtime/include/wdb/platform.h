/*
 * wdb platform layer: everything the device side (runtime, debug engine,
 * stub, device WASI) needs from the system it runs on, in one small
 * interface. The runtime core itself needs only the C library (memory
 * functions, snprintf, the malloc family and libm); what is here is what a
 * C library does not give portably.
 *
 * Implementations ("ports"), one file each:
 *   runtime/port/posix/wp_posix.c        Linux and other POSIX systems
 *   runtime/port/mps2-an385/wp_mps2.c    bare metal, Arm MPS2 AN385
 *                                        (Cortex-M3, CMSDK UARTs and timers)
 * Porting to an RTOS (Zephyr, NuttX, FreeRTOS, ESP-IDF) is one more file
 * implementing these functions over the RTOS's drivers; see
 * docs/ARCHITECTURE.md, "Porting".
 *
 * Allocation is the C library's malloc/calloc/realloc/free: a port provides
 * their backing store (bare metal: _sbrk over a region of the linker
 * script) and may report its high-water mark (wp_heap_peak).
 *
 * Threads: none are needed. The debugger is served on the program's thread,
 * from its stops and from the interpreter's poll points (function entries,
 * loop heads), which the port asks for from its receive interrupt (or, on
 * POSIX, a SIGIO handler) through the callback given to wp_chan_on_rx.
 *
 * Prefix: wp_.
 */
#ifndef WDB_PLATFORM_H
#define WDB_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------- clocks */

/* Nanoseconds since an arbitrary point (boot), never going backwards. */
uint64_t wp_clock_monotonic_ns(void);
/* Nanoseconds since 1970-01-01 UTC (a device without a real-time clock
 * counts from its build time or from boot: a port says which). */
uint64_t wp_clock_realtime_ns(void);
/* The resolution of both clocks in nanoseconds. */
uint64_t wp_clock_resolution_ns(void);

/* ------------------------------------------------------------ entropy */

/* Fills buf with random bytes. 0, or a negative errno value. */
int wp_random(void *buf, size_t len);

/* ------------------------------------------------------------ console */

/* Writes the program's output: stream 1 is stdout, 2 is stderr (a device
 * may send both to one UART). Returns len, or a negative errno value. */
long wp_console_write(int stream, const void *buf, size_t len);

/* --------------------------------------------------- debugger channel
 * A byte stream to the host debugger: a UART, a TCP connection, a pipe. */
typedef struct wp_chan wp_chan;

/* Reads what is there, up to cap bytes, waiting at most timeout_ms for the
 * first one (0: do not wait; < 0: wait for ever). Returns the count, 0 when
 * nothing came in time, -EPIPE once when the other side hung up (a channel
 * that takes connections then waits for the next one in later reads), or
 * another negative errno value when the channel failed for good. A UART
 * never hangs up. */
long wp_chan_read(wp_chan *c, uint8_t *buf, size_t cap, int timeout_ms);
/* Writes all of buf. 0, or a negative errno value. */
int wp_chan_write(wp_chan *c, const uint8_t *buf, size_t len);
/* Ends the current connection after the debugger detached or killed the
 * program: a socket is closed (a listening channel then waits for the next
 * debugger); a UART has nothing to end. */
void wp_chan_hangup(wp_chan *c);
/* Asks the port to call fn(user) whenever bytes arrive while the program
 * runs (from an interrupt handler or a signal handler: fn may only do what
 * is safe there, i.e. wr_store_request_service). NULL stops the calls. */
void wp_chan_on_rx(wp_chan *c, void (*fn)(void *user), void *user);

/* ------------------------------------------------------------- memory */

/* The most heap the C library's allocator has taken so far, in bytes, or 0
 * when the port cannot tell. */
size_t wp_heap_peak(void);

#ifdef __cplusplus
}
#endif
#endif
