/*
 * Reset and the vector table of the MPS2 AN385 firmware (Cortex-M3).
 *
 * The vector table sits at 0x0 (the linker script's .vectors), where the
 * core reads the initial stack pointer and the reset handler. Reset copies
 * .data from its load address in flash, zeroes .bss, paints the stack for
 * the high-water mark and calls main(); main() ends through board_exit().
 * The C library's own start-up code (crt0) is not used (-nostartfiles):
 * nothing here needs constructors.
 */
#include "board.h"

#include <stdint.h>
#include <string.h>

/* From the linker script (mps2-an385.ld). */
extern uint32_t __stack_top[];
extern uint32_t __data_load[], __data_start[], __data_end[];
extern uint32_t __bss_start[], __bss_end[];
extern uint32_t __tls_base[];

/* picolibc: copy the thread-local block's initial values and set the
 * thread pointer (errno lives there). */
void _init_tls(void *tls);
void _set_tls(void *tls);

int main(void);
void board_reset_handler(void);

__attribute__((noreturn)) void board_reset_handler(void)
{
    memcpy(__data_start, __data_load, (size_t)((char *)__data_end - (char *)__data_start));
    memset(__bss_start, 0, (size_t)((char *)__bss_end - (char *)__bss_start));
    _init_tls(__tls_base);
    _set_tls(__tls_base);
    board_paint_stack();
    board_exit(main());
}

/* AN385 has 32 external interrupts (QEMU: num-irq 32). */
#define NUM_IRQS 32
#define IRQ_UART1_RX 2
#define IRQ_TIMER0 8
#define IRQ_TIMER1 9

typedef void (*vector)(void);

/* [0] the initial stack pointer, [1] reset, [2..15] the core's exceptions,
 * then the external interrupts. Every slot not named goes to the fault
 * handler, which reports it and ends the run. */
__attribute__((section(".vectors"), used)) static const vector vectors[16 + NUM_IRQS] = {
    [0] = (vector)(uintptr_t)__stack_top,
    [1] = board_reset_handler,
    [2 ... 15] = board_fault_handler,
    [16 ... 16 + IRQ_UART1_RX - 1] = board_fault_handler,
    [16 + IRQ_UART1_RX] = board_uart1_rx_handler,
    [16 + IRQ_UART1_RX + 1 ... 16 + IRQ_TIMER0 - 1] = board_fault_handler,
    [16 + IRQ_TIMER0] = board_timer0_handler,
    [16 + IRQ_TIMER1] = board_timer1_handler,
    [16 + IRQ_TIMER1 + 1 ... 16 + NUM_IRQS - 1] = board_fault_handler,
};
