# Sourced by bench/workloads.sh and tests/eh/lua-setup.sh: the one recipe
# that builds Lua 5.4 from Debian's lua5.4 source package (fetched by
# scripts/debsrc.sh), natively (cc -O2) and to Wasm (clang-22 -O2).
#
#   lua_build SRC OUT shim         OUT.native and OUT.wasm without
#                                  setjmp/longjmp (the bench's shim: an error
#                                  ends the program)
#   lua_build SRC OUT sjlj GUEST   Lua's own error handling: the Wasm build
#                                  with clang's -mllvm -wasm-enable-sjlj,
#                                  GUEST/libwdb-sjlj.a and runtime/guest/sjlj's
#                                  setjmp.h; the native one with the C
#                                  library's setjmp
#
# SRC is the unpacked package (SRC/src/*.c). Both builds are all of Lua but
# the stand-alone programs and the io, os and package libraries, with the
# host program bench/workloads/lua-main.c (runs one script; the base,
# coroutine, table, string, math and utf8 libraries). A build is redone
# only when a file it is made of changed. A failure prints a line saying
# what failed and returns 1.

lua_build_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# newer TARGET FILE...: whether TARGET is missing or older than a FILE
newer() {
  local t=$1 f
  shift
  [ -e "$t" ] || return 0
  for f in "$@"; do [ "$f" -nt "$t" ] && return 0; done
  return 1
}

lua_build() {
  local src=$1/src out=$2 mode=$3 guest=${4:-} cc=${CC:-cc} clang=clang-22 f
  local wl=$lua_build_root/bench/workloads files=() flags=() wflags=() wlibs=() deps=()
  for f in "$src"/*.c; do
    case $(basename "$f") in lua.c | luac.c | linit.c | loslib.c | liolib.c | loadlib.c) ;;
    *) files+=("$f") ;;
    esac
  done
  deps=("${files[@]}" "$wl/lua-main.c" "${BASH_SOURCE[0]}")
  case $mode in
  shim)
    # nosjlj/: an empty setjmp.h for ldo.c's #include (wasi-libc has none)
    flags=(-I"$wl/shim/nosjlj" -I"$wl/shim" -include "$wl/shim/bench-lua.h")
    deps+=("$wl/shim/bench-lua.h")
    ;;
  sjlj)
    local inc=$lua_build_root/runtime/guest/sjlj
    [ -e "$guest/libwdb-sjlj.a" ] || { echo "lua_build: no $guest/libwdb-sjlj.a" >&2; return 1; }
    # shim/ for Debian's multiarch header (luaconf.h includes it)
    wflags=(-mllvm -wasm-enable-sjlj -I"$inc")
    wlibs=("$guest/libwdb-sjlj.a")
    flags=(-I"$wl/shim")
    deps+=("$inc/setjmp.h" "$guest/libwdb-sjlj.a")
    ;;
  *) echo "lua_build: unknown mode '$mode'" >&2; return 1 ;;
  esac
  flags=(-O2 -w "${flags[@]}" -I"$src")
  if newer "$out.native" "${deps[@]}"; then
    "$cc" "${flags[@]}" "${files[@]}" "$wl/lua-main.c" -o "$out.native" -lm ||
      { echo "lua_build: native build of Lua failed" >&2; return 1; }
  fi
  if newer "$out.wasm" "${deps[@]}"; then
    # signal.h's sig_atomic_t and clock() are WASI emulations
    "$clang" --target=wasm32-wasi -Wno-deprecated "${wflags[@]}" "${flags[@]}" \
      -D_WASI_EMULATED_SIGNAL -D_WASI_EMULATED_PROCESS_CLOCKS "${files[@]}" "$wl/lua-main.c" \
      "${wlibs[@]}" -o "$out.wasm" -lm -lwasi-emulated-process-clocks ||
      { echo "lua_build: Wasm build of Lua failed" >&2; return 1; }
  fi
}
