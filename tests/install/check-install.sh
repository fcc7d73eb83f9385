#!/usr/bin/env bash
# `cmake --install` into a temporary prefix, then use what it holds with no
# path into the build tree: the tools run a module and print their
# versions, an embedder compiles against the installed header and library
# and runs a function, the example and documents are there, and Wasm
# programs with setjmp/longjmp and C++ exceptions build against the
# installed guest libraries (clang-22, clang++-22) and run.
#
#   check-install.sh BUILD_DIR MODULE.wasm [EMBEDDER_CFLAGS]
set -uo pipefail
. "$(dirname "$0")/common.sh"
build=$1 wasm=$2
# the embedder's compiler flags: a sanitizer build's libraries need the
# same sanitizers (-fsanitize=...) at link time
read -r -a embed_flags <<<"${3:-}"
prefix=$work/prefix
mkdir -p "$prefix"

cmake --install "$build" --prefix "$prefix" >"$prefix.log" 2>&1 || { bad "cmake --install: $(tail -3 "$prefix.log")"; exit 1; }
rm -f "$prefix.log"
for f in bin/wdb bin/wdb-run include/wdb/runtime.h include/wdb/wasm_traps.h include/wdb/wasmfmt.h \
         share/wdb/examples/hello.c share/wdb/doc/README.md share/wdb/doc/ARCHITECTURE.md \
         share/man/man1/wdb.1 share/man/man1/wdb-run.1 share/bash-completion/completions/wdb \
         share/bash-completion/completions/wdb-run; do
    [ -e "$prefix/$f" ] && ok "installed $f" || bad "missing $f"
done
ls "$prefix"/lib*/libwdb_runtime.a >/dev/null 2>&1 && ok "installed libwdb_runtime.a" || bad "missing libwdb_runtime.a"
# no installed tool names the build tree (debug information aside: the
# stripped copies are searched)
named=""
for t in wdb wdb-run; do
    strip -o "$prefix/$t.stripped" "$prefix/bin/$t" &&
        grep -qF "$(cd "$build" && pwd)" "$prefix/$t.stripped" && named="$named $t"
done
[ -z "$named" ] && ok "no path into the build tree in bin/" || bad "names the build tree:$named"
"$prefix/bin/wdb" --version | grep -q '^wdb ' && ok "wdb --version" || bad "wdb --version"
"$prefix/bin/wdb-run" --version | grep -q '^wdb-run ' && ok "wdb-run --version" || bad "wdb-run --version"
out=$("$prefix/bin/wdb-run" "$wasm" 2>&1)
[ $? -eq 0 ] && ok "wdb-run runs a module: ${out:0:40}" || bad "wdb-run $wasm: $out"
# an embedder of the runtime, built from the installed files only
cat >"$prefix/embed.c" <<'C'
#include <wdb/runtime.h>
#include <stdio.h>
int main(void)
{
    /* (module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)) */
    static const unsigned char m[] = {0, 'a', 's', 'm', 1, 0, 0, 0, 1, 7, 1, 0x60, 2, 0x7f, 0x7f, 1,
        0x7f, 3, 2, 1, 0, 7, 7, 1, 3, 'a', 'd', 'd', 0, 0, 10, 9, 1, 7, 0, 0x20, 0, 0x20, 1, 0x6a,
        0x0b};
    wr_store *s = wr_store_new(NULL);
    wr_module *mod;
    wr_instance *inst;
    wr_error err;
    wr_extern add;
    if (!s || wr_module_new(s, m, sizeof m, &mod, &err) != WR_OK ||
        wr_instance_new(s, mod, wr_linker_new(s), &inst, &err) != WR_OK ||
        wr_instance_export(inst, "add", &add) != WR_OK)
        return 1;
    wr_val args[2] = {{.type = WR_I32, .of.i32 = 40}, {.type = WR_I32, .of.i32 = 2}}, res;
    if (wr_func_call(add.of.func, args, 2, &res, 1, &err) != WR_OK) return 1;
    printf("%d\n", res.of.i32);
    wr_store_free(s);
    return 0;
}
C
libdir=$(dirname "$(ls "$prefix"/lib*/libwdb_runtime.a | head -1)")
if cc -std=gnu11 "${embed_flags[@]}" -I"$prefix/include" "$prefix/embed.c" "$libdir/libwdb_runtime.a" \
      "$libdir/libwdb_wasmfmt.a" -lm -o "$prefix/embed" 2>"$prefix/cc.err" &&
   [ "$("$prefix/embed")" = 42 ]; then
    ok "an embedder built from the installed header and libraries adds 40 + 2"
else
    bad "embedder: $(head -5 "$prefix/cc.err")"
fi
# setjmp/longjmp and C++ exceptions in Wasm programs (runtime/guest/), with the
# compile lines of README.md and the installed files only
for f in lib/wasm32-wasi/libwdb-sjlj.a lib/wasm32-wasi/libwdb-cxxabi.a share/wdb/sjlj/setjmp.h; do
    [ -e "$prefix/$f" ] && ok "installed $f" || bad "missing $f"
done
cat >"$prefix/jump.c" <<'C'
#include <setjmp.h>
#include <stdio.h>
static jmp_buf env;
static void deep(int n) { if (n == 0) longjmp(env, 42); deep(n - 1); }
int main(void)
{
    int r = setjmp(env);
    if (r == 0) deep(100);
    printf("setjmp returned %d\n", r);
    return 0;
}
C
cat >"$prefix/throw.cpp" <<'C'
#include <cstdio>
#include <stdexcept>
int main()
{
    try {
        throw std::runtime_error("thrown");
    } catch (const std::exception &e) {
        std::printf("caught %s\n", e.what());
    }
}
C
if clang-22 --target=wasm32-wasi -Wno-deprecated -mllvm -wasm-enable-sjlj \
      -I"$prefix/share/wdb/sjlj" "$prefix/jump.c" -L"$prefix/lib/wasm32-wasi" -lwdb-sjlj \
      -o "$prefix/jump.wasm" 2>"$prefix/cc.err" &&
   [ "$("$prefix/bin/wdb-run" "$prefix/jump.wasm")" = "setjmp returned 42" ]; then
    ok "a C program with setjmp/longjmp built against the installed libwdb-sjlj.a runs"
else
    bad "setjmp program: $(head -5 "$prefix/cc.err")"
fi
if clang++-22 --target=wasm32-wasi -Wno-deprecated -fwasm-exceptions "$prefix/throw.cpp" \
      -L"$prefix/lib/wasm32-wasi" -lwdb-cxxabi -o "$prefix/throw.wasm" 2>"$prefix/cc.err" &&
   [ "$("$prefix/bin/wdb-run" "$prefix/throw.wasm")" = "caught thrown" ]; then
    ok "a C++ program that throws, built against the installed libwdb-cxxabi.a, runs"
else
    bad "C++ exceptions program: $(head -5 "$prefix/cc.err")"
fi
exit $fail
