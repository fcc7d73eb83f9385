/*
 * The POSIX port of the platform layer (wdb/platform.h): Linux and other
 * POSIX systems. What the interface leaves to a port is how a debugger
 * channel is made: here over file descriptors (a socket, a pipe, a serial
 * line), with receive notification through SIGIO (wp_posix.c).
 *
 * Clocks: CLOCK_MONOTONIC and CLOCK_REALTIME. Random: getrandom(2).
 * Console: stream 2 is fd 2, anything else fd 1. Heap peak: 0 (unknown;
 * the allocator is the system's).
 */
#ifndef WP_POSIX_H
#define WP_POSIX_H

#include "wdb/platform.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A channel over the connected descriptor fd, which is lent: the caller
 * keeps it open while the channel exists and closes it after
 * wp_posix_chan_free. After the other side hangs up, reads give -EPIPE
 * once, then -ENOTCONN. NULL when out of memory. */
wp_chan *wp_posix_chan_new(int fd);

/* A channel that accepts its connections on listen_fd (a listening socket,
 * lent like fd above). first_fd is a connection accepted already, or -1:
 * then a read waits for one within its timeout. A connection accepted here
 * is closed here: when it hangs up (the read gives -EPIPE), and by
 * wp_posix_chan_free; the next read accepts the next one. first_fd is lent
 * like the listening socket. NULL when out of memory. */
wp_chan *wp_posix_chan_new_listen(int listen_fd, int first_fd);

/* Stops the channel's receive notification (wp_chan_on_rx) and frees it,
 * closing only what it accepted itself. NULL is fine. */
void wp_posix_chan_free(wp_chan *c);

#ifdef __cplusplus
}
#endif
#endif
