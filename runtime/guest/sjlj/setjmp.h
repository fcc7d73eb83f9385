/* setjmp/longjmp for C programs compiled to Wasm with clang's lowering
 * (`-mllvm -wasm-enable-sjlj`), which wasi-libc does not have: part of wdb's
 * libwdb-sjlj.a (runtime/guest/sjlj/). The compiler turns setjmp and longjmp calls
 * into Wasm exception handling and calls to __wasm_setjmp,
 * __wasm_setjmp_test and __wasm_longjmp (the runtime ABI of the
 * WebAssembly tool-conventions' SetjmpLongjmp.md), which the library
 * defines, with the exception tag __c_longjmp. See README.md, "setjmp,
 * longjmp and C++ exceptions", for the compile line. */
#ifndef WDB_SJLJ_SETJMP_H
#define WDB_SJLJ_SETJMP_H

#if defined(__wasm__) && !defined(__WASM_EXCEPTIONS__)
#error "wdb's setjmp.h needs clang's lowering: compile with -mllvm -wasm-enable-sjlj"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* The first 6 words of a jmp_buf belong to the runtime (SetjmpLongjmp.md);
 * their contents are private to runtime/guest/sjlj/sjlj.c. */
typedef struct __wdb_jmp_buf {
    void *__wdb_words[6];
} jmp_buf[1];

int setjmp(jmp_buf env);
_Noreturn void longjmp(jmp_buf env, int val);

/* POSIX's variants that leave the signal mask alone: WASI has none, so they
 * are the same (Lua's LUA_USE_POSIX build uses them) */
#define _setjmp(env) setjmp(env)
#define _longjmp(env, val) longjmp(env, val)

#ifdef __cplusplus
}
#endif
#endif
