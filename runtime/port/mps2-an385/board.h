/*
 * The Arm MPS2 board with the AN385 FPGA image (Cortex-M3), as QEMU models
 * it (`qemu-system-arm -M mps2-an385`): what the firmware needs beside the
 * platform layer (wdb/platform.h, implemented in wp_mps2.c).
 *
 * Memory map (AN385; QEMU's `info mtree`):
 *   0x00000000  4 MiB  ZBT SSRAM1: the firmware's "flash" (code, read-only
 *                      data, the Wasm module); QEMU's -kernel loads it
 *   0x20000000  4 MiB  ZBT SSRAM2/3: RAM (stack, data, bss, heap)
 *   0x40000000         CMSDK timer 0 (IRQ 8): the monotonic clock
 *   0x40001000         CMSDK timer 1 (IRQ 9): wake-ups for timed waits
 *   0x40004000         CMSDK UART 0 (RX IRQ 0): the console
 *   0x40005000         CMSDK UART 1 (RX IRQ 2): the debugger's channel
 * Peripherals run from the 25 MHz system clock. QEMU connects UART n to the
 * n-th -serial option.
 *
 * Prefix: board_.
 */
#ifndef BOARD_H
#define BOARD_H

#include "wdb/platform.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The status after a CPU fault (a hard fault, an unexpected exception):
 * 128 + SIGSEGV, what a shell shows for a native program that crashed. */
#define BOARD_EXIT_FAULT 139

/* Sets up the clock timer, both UARTs and their interrupts, and makes the
 * flash read-only (an MPU region: the module is run in place from there,
 * and QEMU's SSRAM1 would take a write silently; now it is a fault). First
 * thing main() does; the platform functions work only after it. */
void board_init(void);

/* The debugger's byte channel: UART 1, 8N1, receive interrupt on. Bytes
 * that arrive go to a ring buffer from the interrupt handler, which then
 * calls the function given to wp_chan_on_rx (in handler mode: it may only
 * do what is safe there). */
wp_chan *board_debug_chan(void);

/* Ends the run: QEMU exits with `status` as its own exit status (Arm
 * semihosting SYS_EXIT_EXTENDED, ADP_Stopped_ApplicationExit; QEMU needs
 * -semihosting-config enable=on,target=native). Without semihosting the
 * CPU halts. */
__attribute__((noreturn)) void board_exit(int status);

/* The main stack: its size and the most of it used so far (the stack is
 * painted at reset; the deepest word changed since is the high-water
 * mark). */
size_t board_stack_size(void);
size_t board_stack_peak(void);

/* The heap the C library's malloc draws from (_sbrk): all RAM above .bss. */
size_t board_heap_size(void);

/* Exception handlers, for the vector table (startup.c). */
void board_fault_handler(void); /* HardFault and every exception not listed here */
void board_uart1_rx_handler(void);
void board_timer0_handler(void);
void board_timer1_handler(void);

/* Reset (startup.c): the stack is painted from here down to its bottom. */
void board_paint_stack(void);

/* The debugger (board_debug.c, in images built with it): the GDB stub
 * served on board_debug_chan(); wd_run's attach point (wd_config in
 * wd_main.h says what each must do). */
struct wr_store;
struct wr_module;
struct wr_instance;
int board_debug_attach(void *user, struct wr_store *store, struct wr_module *mod,
                       struct wr_instance *inst);
void board_debug_exited(void *user, struct wr_store *store, int status);
bool board_debug_killed(void *user);

#endif
