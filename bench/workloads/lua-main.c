/* The bench's Lua 5.4 host program (bench/workloads.sh): runs the script
 * argv[1] in a fresh state with the base, coroutine, table, string, math
 * and utf8 libraries (no io, os or package: what the scripts use is the
 * same under WASI and natively), and exits 1 with Lua's message if it
 * fails. Lua itself is built from Debian's lua5.4 source package
 * (scripts/lua-build.sh): for the bench with shim/bench-lua.h, for
 * tests/eh with Lua's own error handling (setjmp/longjmp). */
#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"

#include <stdio.h>
#include <stdlib.h>

/* A Lua error in the bench's build (bench-lua.h): the message, and the
 * end. */
_Noreturn void bench_lua_throw(lua_State *L)
{
    const char *msg = lua_tostring(L, -1);
    fprintf(stderr, "lua-main: %s\n", msg ? msg : "an error object that is not a string");
    exit(1);
}

int main(int argc, char **argv)
{
    static const luaL_Reg libs[] = {
        {LUA_GNAME, luaopen_base},       {LUA_COLIBNAME, luaopen_coroutine},
        {LUA_TABLIBNAME, luaopen_table}, {LUA_STRLIBNAME, luaopen_string},
        {LUA_MATHLIBNAME, luaopen_math}, {LUA_UTF8LIBNAME, luaopen_utf8},
    };
    if (argc != 2) {
        fprintf(stderr, "usage: lua-main SCRIPT.lua\n");
        return 2;
    }
    lua_State *L = luaL_newstate();
    if (!L) return 1;
    for (size_t i = 0; i < sizeof libs / sizeof libs[0]; i++) {
        luaL_requiref(L, libs[i].name, libs[i].func, 1);
        lua_pop(L, 1);
    }
    if (luaL_dofile(L, argv[1]) != LUA_OK) {
        fprintf(stderr, "lua-main: %s\n", lua_tostring(L, -1));
        lua_close(L);
        return 1;
    }
    lua_close(L);
    return 0;
}
