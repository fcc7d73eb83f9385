/*
 * Checks of the MPS2 AN385 port (runtime/port/mps2-an385/wp_mps2.c) on
 * QEMU, without the runtime: run with UART 1's input from a file holding
 * "ping\n" (run-device.sh --uart1-input). One line per check on UART 0,
 * "ok: ..." or "FAIL: ...", and exit status 0 when every check passed.
 *
 * With -DPORT_TEST_FAULT it instead executes an undefined instruction, and
 * with -DPORT_TEST_FLASH_WRITE it writes to flash (read-only through the
 * MPU): the fault handler must say where and end the run with
 * BOARD_EXIT_FAULT.
 */
#include "board.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined PORT_TEST_FAULT
int main(void)
{
    board_init();
    __asm__ volatile("udf #0");
    return 0;
}
#elif defined PORT_TEST_FLASH_WRITE
static const uint32_t in_flash = 1; /* .rodata */

int main(void)
{
    board_init();
    *(volatile uint32_t *)(uintptr_t)&in_flash = 0;
    return (int)in_flash;
}
#else
static int failures;

static void say(const char *s) { wp_console_write(1, s, strlen(s)); }

static void check(int ok, const char *what)
{
    say(ok ? "ok: " : "FAIL: ");
    say(what);
    say("\n");
    if (!ok) failures++;
}

static volatile int rx_calls;

/* wp_chan_on_rx's callback: runs in the UART's interrupt handler. */
static void on_rx(void *user)
{
    (void)user;
    rx_calls++;
}

int main(void)
{
    board_init();
    check(wp_clock_resolution_ns() == 40, "the clock ticks at 25 MHz");

    uint64_t prev = wp_clock_monotonic_ns(), first = prev;
    int monotonic = 1;
    for (int i = 0; i < 20000; i++) {
        uint64_t t = wp_clock_monotonic_ns();
        if (t < prev) monotonic = 0;
        prev = t;
    }
    check(monotonic && prev > first, "the monotonic clock goes forward");

    /* the 32-bit counter wraps every 172 s: move timer 0 (VALUE, 0x40000004)
     * to 100 us before its wrap and read the clock until 1 ms has passed:
     * it must get there (no wrap lost: it would stand still or go back)
     * without a jump of a whole period (a wrap counted twice) */
    volatile uint32_t *timer0_value = (volatile uint32_t *)0x40000004u;
    *timer0_value = 2500;
    prev = wp_clock_monotonic_ns();
    first = prev;
    monotonic = 1;
    for (long i = 0; i < 50000000 && prev - first < 1000000u; i++) {
        uint64_t t = wp_clock_monotonic_ns();
        if (t < prev) monotonic = 0;
        prev = t;
    }
    check(monotonic && prev - first >= 1000000u && prev - first < 100000000u &&
              *timer0_value > 2500,
          "the clock goes on past the counter's wrap");
    check(wp_clock_realtime_ns() > (uint64_t)1600000000 * 1000000000u,
          "the real-time clock starts at the build's time");

    /* UART 1: "ping\n" arrives through the receive interrupt */
    wp_chan *c = board_debug_chan();
    wp_chan_on_rx(c, on_rx, NULL);
    char got[16] = {0};
    size_t n = 0;
    while (n < 5) {
        long r = wp_chan_read(c, (uint8_t *)got + n, sizeof got - 1 - n, 2000);
        if (r <= 0) break;
        n += (size_t)r;
    }
    check(n == 5 && memcmp(got, "ping\n", 5) == 0, "UART 1 received \"ping\"");
    check(rx_calls > 0, "the receive callback ran");

    /* nothing more comes: a timed read times out, after its time */
    uint8_t b;
    uint64_t t0 = wp_clock_monotonic_ns();
    long r = wp_chan_read(c, &b, 1, 100);
    uint64_t ms = (wp_clock_monotonic_ns() - t0) / 1000000u;
    check(r == 0 && ms >= 100 && ms < 5000, "a read times out after 100 ms");
    check(wp_chan_read(c, &b, 1, 0) == 0, "a read without waiting returns at once");
    check(wp_chan_write(c, (const uint8_t *)"pong\n", 5) == 0, "UART 1 sends");
    wp_chan_on_rx(c, NULL, NULL);

    uint8_t r1[16], r2[16], zero[16] = {0};
    check(wp_random(r1, sizeof r1) == 0 && wp_random(r2, sizeof r2) == 0 &&
              memcmp(r1, r2, sizeof r1) != 0 && memcmp(r1, zero, sizeof r1) != 0,
          "random bytes differ");

    size_t before = wp_heap_peak();
    void *p = malloc(4000);
    check(p && wp_heap_peak() >= before + 4000, "the heap's peak counts an allocation");
    free(p);
    check(malloc(board_heap_size() + 1) == NULL, "an allocation larger than the heap fails");
    /* errno is thread-local (picolibc): its block must be room of its own,
     * not the first bytes of .bss (a failed malloc wrote ENOMEM there) */
    extern char __bss_start[], __bss_end[], __data_start[], __data_end[];
    uintptr_t e = (uintptr_t)&errno;
    check(!(e >= (uintptr_t)__bss_start && e < (uintptr_t)__bss_end) &&
              !(e >= (uintptr_t)__data_start && e < (uintptr_t)__data_end),
          "errno has a thread-local block of its own");

    size_t sp = board_stack_peak();
    check(sp > 0 && sp < board_stack_size(), "the stack's high-water mark is known");
    return failures ? 1 : 0;
}
#endif
