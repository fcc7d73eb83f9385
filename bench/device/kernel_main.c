/*
 * main() of the firmware programs of bench/device-kernels.sh: runs one CPU
 * kernel of bench/kernels on the MPS2 AN385 board (QEMU) and prints how
 * long it took on the board's monotonic clock, which under QEMU's
 * `-icount shift=0` is the number of ARM instructions executed (1 ns of
 * virtual time per instruction; the clock counts 40 ns ticks of 25 MHz).
 *
 * Built (with wdb_firmware_program, see the script) in one of two ways:
 *   KERNEL_WASM    the kernel's Wasm module is linked in (wdb_module_start..
 *                  wdb_module_end, from the port's module.S.in) and run with
 *                  wd_run, as the firmware runs a module (board_main.c);
 *                  KERNEL_MODULE_NAME names it, KERNEL_MAX_MEMORY is its
 *                  linear memory limit
 *   KERNEL_NATIVE  the kernel's C source is compiled into the image with
 *                  -Dmain=kernel_main -Dprintf=kernel_printf and called
 * The kernel's arguments come from QEMU's command line (-append), read with
 * Arm semihosting SYS_GET_CMDLINE: one image serves every input size.
 *
 *   --calibrate N   instead of the kernel: a loop of exactly 2 N
 *                   instructions (subs + bne), timed the same way, to check
 *                   that the clock counts instructions
 *
 * Output on UART 0: the kernel's own lines, then
 *   kernel-bench: ns NANOSECONDS status STATUS
 */
#include "board.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#if defined KERNEL_WASM
#include "wd_main.h"
extern const uint8_t wdb_module_start[], wdb_module_end[];
#ifndef KERNEL_MODULE_NAME
#define KERNEL_MODULE_NAME "kernel.wasm"
#endif
#ifndef KERNEL_MAX_MEMORY
#define KERNEL_MAX_MEMORY (2u << 20)
#endif
#elif defined KERNEL_NATIVE
int kernel_main(int argc, char **argv);
int kernel_printf(const char *fmt, ...);
#else
#error "define KERNEL_WASM or KERNEL_NATIVE"
#endif

#define MAX_ARGS 8

static void say(const char *s) { wp_console_write(1, s, strlen(s)); }

static const char *u64_str(uint64_t v, char *buf, size_t cap)
{
    char *p = buf + cap;
    *--p = 0;
    do *--p = (char)('0' + v % 10u);
    while ((v /= 10u) && p > buf);
    return p;
}

/* Arm semihosting SYS_GET_CMDLINE (0x15): the command line QEMU was given
 * (the kernel's file name, then -append's text). */
static int get_cmdline(char *buf, size_t cap)
{
    static uint32_t block[2];
    block[0] = (uint32_t)(uintptr_t)buf;
    block[1] = (uint32_t)cap;
    register uint32_t r0 __asm__("r0") = 0x15;
    register uint32_t r1 __asm__("r1") = (uint32_t)(uintptr_t)block;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0 == 0 ? (int)block[1] : -1;
}

static int split(char *s, char **argv, int max)
{
    int n = 0;
    while (*s && n < max) {
        while (*s == ' ') *s++ = 0;
        if (!*s) break;
        argv[n++] = s;
        while (*s && *s != ' ') s++;
    }
    argv[n] = NULL;
    return n;
}

#if defined KERNEL_NATIVE
/* The kernels print doubles: picolibc's vfprintf with floating point (the
 * firmware links the integer-only one as vfprintf, PICOLIBC_INTEGER_PRINTF_SCANF). */
int __d_vfprintf(FILE *f, const char *fmt, va_list ap);

static int console_putc(char c, FILE *f)
{
    (void)f;
    wp_console_write(1, &c, 1);
    return (unsigned char)c;
}

static FILE console = FDEV_SETUP_STREAM(console_putc, NULL, NULL, _FDEV_SETUP_WRITE);
FILE *const stdout = &console;
FILE *const stderr = &console;

int kernel_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = __d_vfprintf(&console, fmt, ap);
    va_end(ap);
    return n;
}
#endif

int main(void)
{
    static char cmdline[256];
    char *args[MAX_ARGS + 1];
    char num[24];
    board_init();
    if (get_cmdline(cmdline, sizeof cmdline - 1) < 0) {
        say("kernel-bench: no command line (semihosting)\n");
        return 1;
    }
    int argc = split(cmdline, args, MAX_ARGS); /* args[0]: the image's file name */
    uint64_t t0, t1;
    int status;
    if (argc >= 3 && strcmp(args[1], "--calibrate") == 0) {
        uint32_t n = 0;
        for (const char *p = args[2]; *p >= '0' && *p <= '9'; p++) n = n * 10u + (uint32_t)(*p - '0');
        if (!n) n = 1;
        t0 = wp_clock_monotonic_ns();
        __asm__ volatile("1: subs %0, %0, #1\n\tbne 1b" : "+r"(n)::"cc");
        t1 = wp_clock_monotonic_ns();
        status = 0;
    } else {
#if defined KERNEL_WASM
        wd_config cfg;
        memset(&cfg, 0, sizeof cfg);
        args[0] = (char *)KERNEL_MODULE_NAME;
        cfg.prog = "wdb-firmware";
        cfg.module_name = KERNEL_MODULE_NAME;
        cfg.argc = argc > 0 ? argc : 1;
        cfg.argv = (const char *const *)args;
        cfg.max_memory_bytes = KERNEL_MAX_MEMORY;
        t0 = wp_clock_monotonic_ns();
        status = wd_run(wdb_module_start, (size_t)(wdb_module_end - wdb_module_start), &cfg);
        t1 = wp_clock_monotonic_ns();
#else
        args[0] = (char *)"kernel";
        t0 = wp_clock_monotonic_ns();
        status = kernel_main(argc > 0 ? argc : 1, args);
        t1 = wp_clock_monotonic_ns();
#endif
    }
    say("kernel-bench: ns ");
    say(u64_str(t1 - t0, num, sizeof num));
    say(" status ");
    say(u64_str((uint64_t)(unsigned)status, num, sizeof num));
    say("\n");
    return status;
}
