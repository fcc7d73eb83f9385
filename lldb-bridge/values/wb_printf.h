/*
 * wb_printf: gdb's `printf "FORMAT", EXPR...`, with gdb 13's rules and
 * messages:
 *
 *   - the format is a C string in double quotes with the escapes \n \t \"
 *     \\ \a \b \e \f \r \v (others: "Unrecognized escape character \q in
 *     format string."); after it, nothing or `,` and the arguments, split
 *     at the commas outside parentheses, brackets and quotes;
 *   - conversions d i u o x X c s e f g E G p and %%, with the flags
 *     0 - + space #, a width, a precision and the lengths h l ll z (and L
 *     for the floating ones), checked as gdb checks them ("Inappropriate
 *     modifiers to format specifier 'p' in printf", "Unrecognized format
 *     specifier 'q' in printf", "`*' not supported for precision or width
 *     in printf", "Format specifier `n' not supported in printf");
 *   - every argument is evaluated before anything is printed, then their
 *     number checked ("Wrong number of arguments for specified
 *     format-string");
 *   - integers are converted as gdb converts them (the host's int, long,
 *     long long: %ld is 64 bits wide as in a gdb on a 64-bit host), a
 *     floating conversion takes a float or double argument's value, the
 *     bits of another 4- or 8-byte argument as a float or a double, and
 *     the value of any other scalar; %s reads a NUL-terminated string from
 *     linear memory at the argument ("(null)" for 0; a char array is read
 *     from where it lives); %p prints 0x... or (nil);
 *   - each conversion's text ends at a NUL it holds (%c of 0 prints
 *     nothing), as gdb's does.
 * Not supported: the wide %lc and %ls (an error says so) and the decimal
 * float lengths H D DD.
 */
#ifndef WB_PRINTF_H
#define WB_PRINTF_H

#include "wb_common.h"
#include "wb_sbuf.h"
#include "wb_value.h"

/* Evaluates one argument expression (the text between commas, not
 * NUL-terminated: `len` bytes). */
typedef wb_status (*wb_printf_eval)(void *user, const char *expr, size_t len, wb_value *out,
                                    wb_error *err);

/* Formats `args` (what follows the command: `"FORMAT", EXPR, ...`) into
 * out. `eval` evaluates the arguments; env reads linear memory for %s (may
 * be NULL when there is no program: %s then fails). On WB_ERROR, out holds
 * what gdb would have printed before the error (conversions before a %s
 * whose string cannot be read), err the message. */
wb_status wb_printf(const char *args, wb_printf_eval eval, void *user, const wb_eval_env *env,
                    wb_sbuf *out, wb_error *err);

#endif
