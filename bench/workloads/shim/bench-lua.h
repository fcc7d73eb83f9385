/* Included into every file of the bench's Lua (bench/workloads.sh), for the
 * Wasm and the native build alike: Lua without setjmp/longjmp (wasi-libc has
 * neither). A protected call runs its body directly, and an error ends the
 * program with Lua's message (bench_lua_throw in lua-main.c): the bench's
 * scripts raise none. */
#ifndef WDB_BENCH_LUA_H
#define WDB_BENCH_LUA_H
struct lua_State;
_Noreturn void bench_lua_throw(struct lua_State *L);
#define LUAI_THROW(L, c) bench_lua_throw(L)
#define LUAI_TRY(L, c, a) \
    {                     \
        a                 \
    }
#define luai_jmpbuf int
/* string hashes seeded alike in every run (Lua seeds them from the time
 * and addresses), so that both builds do the same work */
#define luai_makeseed(L) 0x2545u
#endif
