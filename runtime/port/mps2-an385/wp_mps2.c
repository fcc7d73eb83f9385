/*
 * The platform layer (wdb/platform.h) on the bare-metal MPS2 AN385
 * (board.h): CMSDK timers and UARTs, the C library's heap, faults and the
 * way out of QEMU.
 *
 * Global mutable state: the hardware is one of a kind, and so is what
 * tracks it: the clock's extension to 64 bits, the debugger channel's
 * receive ring (filled by an interrupt handler, which has no argument to
 * find it through), the heap's break and the random generator. All of it
 * is file-static here; nothing else in the firmware has any.
 *
 * Registers (Cortex-M System Design Kit TRM, ARM DDI 0479; QEMU's
 * cmsdk-apb-uart and cmsdk-apb-timer models agree):
 *   UART: DATA 0x0, STATE 0x4 (bit 0 TX full, bit 1 RX full), CTRL 0x8
 *         (TX enable, RX enable, TX int, RX int...), INTSTATUS/INTCLEAR
 *         0xC (write 1 to clear), BAUDDIV 0x10 (16 at least). One byte of
 *         buffer each way, no FIFO.
 *   Timer: CTRL 0x0 (enable, -, -, interrupt enable), VALUE 0x4 (counts
 *         down), RELOAD 0x8, INTSTATUS/INTCLEAR 0xC. The interrupt comes
 *         when VALUE goes from 1 to 0; then it reloads.
 */
#include "board.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#ifndef WDB_BUILD_EPOCH
#define WDB_BUILD_EPOCH 0 /* seconds since 1970 at build time: set by the build */
#endif

#define SYSCLK_HZ 25000000u
#define NS_PER_TICK 40u /* 1e9 / SYSCLK_HZ */
#define BAUD 115200u

typedef struct cmsdk_uart {
    volatile uint32_t data, state, ctrl, intstatus, bauddiv;
} cmsdk_uart;

typedef struct cmsdk_timer {
    volatile uint32_t ctrl, value, reload, intstatus;
} cmsdk_timer;

#define UART0 ((cmsdk_uart *)0x40004000u)
#define UART1 ((cmsdk_uart *)0x40005000u)
#define TIMER0 ((cmsdk_timer *)0x40000000u)
#define TIMER1 ((cmsdk_timer *)0x40001000u)
#define NVIC_ISER0 (*(volatile uint32_t *)0xE000E100u)
/* The MPU (ARMv7-M ARM, B3.5): control, region number, base, attributes. */
#define MPU_CTRL (*(volatile uint32_t *)0xE000ED94u)
#define MPU_RNR (*(volatile uint32_t *)0xE000ED98u)
#define MPU_RBAR (*(volatile uint32_t *)0xE000ED9Cu)
#define MPU_RASR (*(volatile uint32_t *)0xE000EDA0u)

enum { UART_TX_FULL = 1, UART_RX_FULL = 2 };
enum { UART_TX_EN = 1, UART_RX_EN = 2, UART_RX_INTEN = 8 };
enum { UART_INT_RX = 2 };
enum { TIMER_EN = 1, TIMER_IRQEN = 8 };
enum { IRQ_UART1_RX = 2, IRQ_TIMER0 = 8, IRQ_TIMER1 = 9 };

/* -------------------------------------------------------- interrupts */

static inline uint32_t irq_save(void)
{
    uint32_t primask;
    __asm__ volatile("mrs %0, primask\n\tcpsid i" : "=r"(primask)::"memory");
    return primask;
}

static inline void irq_restore(uint32_t primask)
{
    __asm__ volatile("msr primask, %0" ::"r"(primask) : "memory");
}

/* ------------------------------------------------------------ clocks */

/* Timer 0 counts down from 0xffffffff through 0 at 25 MHz, one period
 * every 2^32 ticks (172 s). Elapsed ticks within a period are -VALUE mod
 * 2^32, which starts at 0 when the counter reaches 0 and grows from there;
 * a 64-bit count is kept by noticing that this went down since the last
 * look. The timer's interrupt looks once per period, so no wrap is missed
 * even when nobody reads the clock; the interrupt flag itself is not
 * trusted for the count (QEMU raises it asynchronously to the counter). */
static uint32_t clock_hi, clock_last;

static uint64_t clock_ticks(void)
{
    uint32_t primask = irq_save();
    uint32_t e = 0u - TIMER0->value;
    if (e < clock_last) clock_hi++;
    clock_last = e;
    uint64_t t = ((uint64_t)clock_hi << 32) | e;
    irq_restore(primask);
    return t;
}

void board_timer0_handler(void)
{
    TIMER0->intstatus = 1;
    (void)clock_ticks();
}

uint64_t wp_clock_monotonic_ns(void) { return clock_ticks() * NS_PER_TICK; }

/* No real-time clock on the board: the build's time plus the time since
 * reset. */
uint64_t wp_clock_realtime_ns(void)
{
    return (uint64_t)WDB_BUILD_EPOCH * 1000000000u + wp_clock_monotonic_ns();
}

uint64_t wp_clock_resolution_ns(void) { return NS_PER_TICK; }

/* Timer 1 is a one-shot alarm: its interrupt only ends a WFI. */
static void alarm_in(uint64_t ns)
{
    uint64_t ticks = ns / NS_PER_TICK + 1;
    TIMER1->ctrl = 0;
    TIMER1->intstatus = 1;
    TIMER1->reload = ticks > UINT32_MAX ? UINT32_MAX : (uint32_t)ticks;
    TIMER1->ctrl = TIMER_EN | TIMER_IRQEN;
}

void board_timer1_handler(void)
{
    TIMER1->ctrl = 0;
    TIMER1->intstatus = 1;
}

/* ----------------------------------------------------------- entropy */

/* NOT cryptographic: xorshift64* (Vigna, "An experimental exploration of
 * Marsaglia's xorshift generators, scrambled", 2016), seeded on first use
 * from the low bits of the 25 MHz counter read around busy loops whose
 * length depends on the previous reading: the jitter of the clock against
 * the CPU (on QEMU, of the host's clock against emulation). Enough for
 * hash seeds and wasi-libc's arc4random; not for keys. A real part would
 * use its TRNG here. */
static uint64_t rng_state;

static void rng_seed(void)
{
    uint64_t s = 0x9e3779b97f4a7c15u;
    for (int i = 0; i < 16; i++) {
        uint32_t v = TIMER0->value;
        for (volatile uint32_t k = (v & 0xff) + 16; k; k--) {
        }
        s = (s ^ TIMER0->value ^ ((uint64_t)v << 32)) * 0xbf58476d1ce4e5b9u;
        s ^= s >> 31;
    }
    rng_state = s ? s : 1;
}

int wp_random(void *buf, size_t len)
{
    uint8_t *p = buf;
    if (!rng_state) rng_seed();
    while (len) {
        rng_state ^= rng_state >> 12;
        rng_state ^= rng_state << 25;
        rng_state ^= rng_state >> 27;
        uint64_t r = rng_state * 0x2545f4914f6cdd1du;
        for (int i = 0; i < 8 && len; i++, len--) *p++ = (uint8_t)(r >> (56 - 8 * i));
    }
    return 0;
}

/* ----------------------------------------------------------- console */

static void uart_put(cmsdk_uart *u, uint8_t b)
{
    while (u->state & UART_TX_FULL) {
    }
    u->data = b;
}

/* stdout and stderr share UART 0. */
long wp_console_write(int stream, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    if (stream != 1 && stream != 2) return -EBADF;
    for (size_t i = 0; i < len; i++) uart_put(UART0, p[i]);
    return (long)len;
}

/* -------------------------------------------------- debugger channel */

#define RX_RING 512 /* a power of two: bytes between two service calls */

struct wp_chan {
    cmsdk_uart *uart;
    volatile uint32_t head; /* written by the interrupt handler only */
    volatile uint32_t tail; /* written by wp_chan_read only */
    volatile uint32_t dropped; /* bytes lost to a full ring */
    void (*volatile on_rx)(void *user);
    void *volatile on_rx_user;
    uint8_t ring[RX_RING];
};

static wp_chan debug_chan = {.uart = UART1};

wp_chan *board_debug_chan(void) { return &debug_chan; }

/* UART 1 receive interrupt: the status is cleared before the data register
 * is drained, so a byte that arrives meanwhile raises it again. */
void board_uart1_rx_handler(void)
{
    wp_chan *c = &debug_chan;
    c->uart->intstatus = UART_INT_RX;
    while (c->uart->state & UART_RX_FULL) {
        uint8_t b = (uint8_t)c->uart->data;
        uint32_t h = c->head;
        if (h - c->tail < RX_RING) {
            c->ring[h % RX_RING] = b;
            __asm__ volatile("dmb" ::: "memory"); /* the byte before the index */
            c->head = h + 1;
        } else {
            c->dropped++;
        }
    }
    void (*fn)(void *) = c->on_rx;
    if (fn) fn(c->on_rx_user);
}

static size_t ring_take(wp_chan *c, uint8_t *buf, size_t cap)
{
    size_t n = 0;
    uint32_t t = c->tail;
    while (n < cap && t != c->head) buf[n++] = c->ring[t++ % RX_RING];
    __asm__ volatile("dmb" ::: "memory"); /* the bytes before the slots are given back */
    c->tail = t;
    return n;
}

/* Waits with WFI: interrupts are masked while the ring is checked, and
 * WFI still wakes for one that is pending, so a byte arriving between the
 * check and the WFI is not slept through. Timed waits arm timer 1. */
long wp_chan_read(wp_chan *c, uint8_t *buf, size_t cap, int timeout_ms)
{
    uint64_t deadline = 0;
    if (timeout_ms > 0) deadline = wp_clock_monotonic_ns() + (uint64_t)timeout_ms * 1000000u;
    for (;;) {
        size_t n = ring_take(c, buf, cap);
        if (n || cap == 0 || timeout_ms == 0) return (long)n;
        if (timeout_ms > 0) {
            uint64_t now = wp_clock_monotonic_ns();
            if (now >= deadline) return 0;
            alarm_in(deadline - now);
        }
        uint32_t primask = irq_save();
        if (c->head == c->tail) __asm__ volatile("wfi" ::: "memory");
        irq_restore(primask);
    }
}

int wp_chan_write(wp_chan *c, const uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) uart_put(c->uart, buf[i]);
    return 0;
}

/* A UART has no connection to end: the next debugger comes on the same
 * line. */
void wp_chan_hangup(wp_chan *c) { (void)c; }

void wp_chan_on_rx(wp_chan *c, void (*fn)(void *user), void *user)
{
    uint32_t primask = irq_save();
    c->on_rx_user = user;
    c->on_rx = fn;
    irq_restore(primask);
    /* bytes that came before: the caller hears of them at once */
    if (fn && c->head != c->tail) fn(user);
}

/* ------------------------------------------------------------ memory */

/* From the linker script: the heap is everything between .bss and the end
 * of RAM. */
extern char __heap_start[], __heap_end[];

static char *heap_brk = __heap_start;
static size_t heap_peak;

/* The C library's malloc grows its arena through here (picolibc calls
 * sbrk; this one replaces its own so the peak is known). */
void *sbrk(ptrdiff_t incr)
{
    char *old = heap_brk;
    if (incr > 0 ? (size_t)incr > (size_t)(__heap_end - old)
                 : (size_t)-incr > (size_t)(old - __heap_start)) {
        errno = ENOMEM;
        return (void *)-1;
    }
    heap_brk += incr;
    if ((size_t)(heap_brk - __heap_start) > heap_peak) heap_peak = (size_t)(heap_brk - __heap_start);
    return old;
}

size_t wp_heap_peak(void) { return heap_peak; }

size_t board_heap_size(void) { return (size_t)(__heap_end - __heap_start); }

/* ------------------------------------------------------------- stack */

extern uint32_t __stack_bottom[], __stack_top[];
#define STACK_PAINT 0xdeadbeefu

void board_paint_stack(void)
{
    uint32_t *sp;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    for (uint32_t *p = __stack_bottom; p < sp - 16; p++) *p = STACK_PAINT;
}

size_t board_stack_size(void) { return (size_t)((char *)__stack_top - (char *)__stack_bottom); }

size_t board_stack_peak(void)
{
    const uint32_t *p = __stack_bottom;
    while (p < __stack_top && *p == STACK_PAINT) p++;
    return (size_t)((const char *)__stack_top - (const char *)p);
}

/* -------------------------------------------------------------- board */

/* Makes the 4 MiB of "flash" read-only with MPU region 0: the runtime runs
 * the module from there in place and must never write to it, but QEMU's
 * SSRAM1 is RAM and would take a write silently. Now one is a fault (a
 * MemManage fault, escalated to a hard fault: reported, status 139).
 * Everything else keeps the default memory map (PRIVDEFENA). */
static void flash_read_only(void)
{
    MPU_RNR = 0;
    MPU_RBAR = 0x00000000u;
    MPU_RASR = (6u << 24)     /* AP: read-only, privileged and unprivileged */
               | (1u << 17)   /* C: normal memory, write-through */
               | (21u << 1)   /* SIZE: 2^(21+1) bytes, 4 MiB */
               | 1u;          /* enable */
    MPU_CTRL = (1u << 2) | 1u; /* PRIVDEFENA, ENABLE */
    __asm__ volatile("dsb\n\tisb" ::: "memory");
}

void board_init(void)
{
    flash_read_only();
    TIMER0->ctrl = 0;
    TIMER0->intstatus = 1;
    TIMER0->reload = UINT32_MAX;
    TIMER0->ctrl = TIMER_EN | TIMER_IRQEN;
    TIMER1->ctrl = 0;
    UART0->bauddiv = SYSCLK_HZ / BAUD;
    UART0->ctrl = UART_TX_EN | UART_RX_EN;
    UART1->bauddiv = SYSCLK_HZ / BAUD;
    UART1->intstatus = UART_INT_RX;
    UART1->ctrl = UART_TX_EN | UART_RX_EN | UART_RX_INTEN;
    NVIC_ISER0 = (1u << IRQ_UART1_RX) | (1u << IRQ_TIMER0) | (1u << IRQ_TIMER1);
    __asm__ volatile("cpsie i" ::: "memory");
}

/* -------------------------------------------------------- the way out */

static volatile bool exiting; /* a fault while leaving: halt, do not loop */

__attribute__((noreturn)) void board_exit(int status)
{
    /* Arm semihosting, SYS_EXIT_EXTENDED (0x20): r1 points to the reason
     * ADP_Stopped_ApplicationExit (0x20026) and the exit code. The plain
     * SYS_EXIT of AArch32 cannot carry a code (QEMU exits 0 or 1).
     * "Semihosting for AArch32 and AArch64", 6.5 and 6.21; M-profile
     * enters it with BKPT 0xAB. */
    static uint32_t block[2];
    if (!exiting) {
        exiting = true;
        block[0] = 0x20026;
        block[1] = (uint32_t)status;
        register uint32_t r0 __asm__("r0") = 0x20;
        register uint32_t *r1 __asm__("r1") = block;
        __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    }
    (void)irq_save();
    for (;;) __asm__ volatile("wfi");
}

/* Writes without the C library: the fault may have left it unusable. */
static void fault_puts(const char *s)
{
    while (*s) uart_put(UART0, (uint8_t)*s++);
}

static void fault_hex(uint32_t v)
{
    char s[11] = "0x";
    for (int i = 0; i < 8; i++) s[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 0xf];
    s[10] = '\0';
    fault_puts(s);
}

void board_fault(const uint32_t *frame, uint32_t ipsr);

/* frame: the exception frame the core pushed (r0-r3, r12, lr, pc, xpsr). */
__attribute__((noreturn, used)) void board_fault(const uint32_t *frame, uint32_t ipsr)
{
    uint32_t n = ipsr & 0x1ff;
    if (n == 3) {
        fault_puts("wdb-firmware: hard fault at pc ");
    } else {
        char num[4] = {(char)('0' + n / 100 % 10), (char)('0' + n / 10 % 10),
                       (char)('0' + n % 10), '\0'};
        fault_puts("wdb-firmware: unexpected exception ");
        fault_puts(num[0] != '0' ? num : num[1] != '0' ? num + 1 : num + 2);
        fault_puts(" at pc ");
    }
    fault_hex(frame[6]);
    fault_puts("\n");
    board_exit(BOARD_EXIT_FAULT);
}

/* The stacked frame is on the main or the process stack, as bit 2 of
 * EXC_RETURN (in lr) says. */
__attribute__((naked)) void board_fault_handler(void)
{
    __asm__ volatile("tst lr, #4\n\t"
                     "ite eq\n\t"
                     "mrseq r0, msp\n\t"
                     "mrsne r0, psp\n\t"
                     "mrs r1, ipsr\n\t"
                     "b board_fault\n\t");
}
