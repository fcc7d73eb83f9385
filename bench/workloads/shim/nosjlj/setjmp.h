/* ldo.c includes <setjmp.h>, which wasi-libc does not have: the bench
 * builds Lua without it (bench-lua.h), natively too. */
