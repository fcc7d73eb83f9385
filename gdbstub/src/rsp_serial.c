/*
 * Serial lines for the GDB remote protocol (wdb/rsp_serial.h): raw 8N1, no
 * modem control, one byte at a time. Used by both ends: wdb-run's
 * --gdb-tty and wdb's `target remote /dev/ttyX`.
 */
#define _GNU_SOURCE
#include "wdb/rsp_serial.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static speed_t baud_const(unsigned baud, bool *ok)
{
    *ok = true;
    switch (baud) {
    case 9600: return B9600;
    case 19200: return B19200;
    case 38400: return B38400;
    case 57600: return B57600;
    case 115200: return B115200;
    case 230400: return B230400;
    case 460800: return B460800;
    case 921600: return B921600;
    case 1000000: return B1000000;
    case 2000000: return B2000000;
    default: *ok = false; return B0;
    }
}

int rsp_open_serial(const char *path, unsigned baud, char *errbuf, size_t errlen)
{
    int fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(errbuf, errlen, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    struct termios tio;
    if (tcgetattr(fd, &tio) != 0) {
        snprintf(errbuf, errlen, "%s is not a terminal device: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    cfmakeraw(&tio);
    tio.c_cflag |= CLOCAL | CREAD;
    tio.c_cc[VMIN] = 1;
    tio.c_cc[VTIME] = 0;
    if (baud) {
        bool ok;
        speed_t sp = baud_const(baud, &ok);
        if (!ok) {
            snprintf(errbuf, errlen, "unsupported baud rate %u", baud);
            close(fd);
            return -1;
        }
        cfsetispeed(&tio, sp);
        cfsetospeed(&tio, sp);
    }
    if (tcsetattr(fd, TCSANOW, &tio) != 0) {
        snprintf(errbuf, errlen, "cannot configure %s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

