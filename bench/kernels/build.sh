# shellcheck shell=bash disable=SC2154
# The CPU kernels of this directory and how each is built, sourced by
# bench/run.sh, bench/attached.sh and bench/record.sh (not run by itself).
# A kernel is NAME.c (C) or NAME.cpp (C++); most build with plain -O2,
# these with flags of their own, the same in every script:
#   simd        Wasm: -msimd128 (native: the host's SSE2 at -O2)
#   longjmp     Wasm: -mllvm -wasm-enable-sjlj, runtime/guest/sjlj's setjmp.h and
#               libwdb-sjlj.a
#   exceptions  C++; Wasm: clang++-22 -fwasm-exceptions and libwdb-cxxabi.a
# The guest libraries come from the build tree: kernel_wasm builds them
# (cmake --build) when missing.
#
# The caller sets root (the repository) and build (its build tree).

# kernel_names: every kernel, one a line, in name order
kernel_names() {
  local f
  for f in "$root"/bench/kernels/*.c "$root"/bench/kernels/*.cpp; do
    [ -f "$f" ] || continue
    f=${f##*/}
    echo "${f%.*}"
  done | sort
}

# kernel_src NAME: its source file; fails, saying so, if there is none
kernel_src() {
  local f
  for f in "$root/bench/kernels/$1.c" "$root/bench/kernels/$1.cpp"; do
    if [ -f "$f" ]; then
      echo "$f"
      return 0
    fi
  done
  echo "bench: no kernel bench/kernels/$1.c or .cpp" >&2
  return 1
}

# kernel_guest_lib NAME: prints the path of the build tree's libNAME.a
# (runtime/guest/), building it if it is missing
kernel_guest_lib() {
  local lib=$build/runtime/guest/lib$1.a
  if [ ! -f "$lib" ]; then
    cmake --build "$build" --target "$1" -j2 >/dev/null 2>&1 || {
      echo "bench: cannot build $lib (cmake --build $build --target $1)" >&2
      return 1
    }
  fi
  echo "$lib"
}

# kernel_wasm NAME OUT [FLAG...]: compiles kernel NAME to the Wasm module
# OUT with clang-22 -O2, the kernel's own flags and FLAGs
kernel_wasm() {
  local k=$1 out=$2 src lib
  shift 2
  src=$(kernel_src "$k") || return 1
  case $k in
  simd) clang-22 --target=wasm32-wasi -Wno-deprecated -O2 -msimd128 "$@" "$src" -o "$out" ;;
  longjmp)
    lib=$(kernel_guest_lib wdb-sjlj) || return 1
    clang-22 --target=wasm32-wasi -Wno-deprecated -O2 -mllvm -wasm-enable-sjlj \
      -I"$root/runtime/guest/sjlj" "$@" "$src" -o "$out" "$lib"
    ;;
  exceptions)
    lib=$(kernel_guest_lib wdb-cxxabi) || return 1
    clang++-22 --target=wasm32-wasi -Wno-deprecated -O2 -fwasm-exceptions "$@" "$src" -o "$out" "$lib"
    ;;
  *) clang-22 --target=wasm32-wasi -Wno-deprecated -O2 "$@" "$src" -o "$out" -lm ;;
  esac
}

# kernel_native NAME OUT: compiles kernel NAME natively, -O2 (CC, default
# cc; C++: CXX, default g++)
kernel_native() {
  local src
  src=$(kernel_src "$1") || return 1
  case $src in
  *.cpp) "${CXX:-g++}" -O2 "$src" -o "$2" ;;
  *) "${CC:-cc}" -O2 "$src" -o "$2" -lm ;;
  esac
}

# kernel_count_arg NAME: the argument (argv[1]) of a short run of kernel
# NAME, for instruction counts under valgrind (bench/run.sh BENCH_COUNT=1);
# bytevm cannot be made shorter than its default
kernel_count_arg() {
  case $1 in
  bytevm) echo 1 ;;
  crc32 | quicksort | sieve | strings) echo 2 ;;
  exceptions) echo 5000 ;;
  fib) echo 27 ;;
  longjmp) echo 50000 ;;
  matmul) echo 100 ;;
  nbody) echo 200000 ;;
  simd) echo 20 ;;
  *)
    echo "bench: no count size for kernel $1: add it to kernel_count_arg in bench/kernels/build.sh" >&2
    return 1
    ;;
  esac
}
