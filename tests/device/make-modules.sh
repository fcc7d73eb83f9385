#!/usr/bin/env bash
# Writes the modules the firmware must refuse, each with one error line:
#   invalid.wasm    validates badly: a function declared to return an i32
#                   whose body leaves an i64 (code section)
#   bigmem.wasm     valid, but its memory (100 pages, 6.25 MiB) is over the
#                   device's memory limit
#   truncated.wasm  the first 200 bytes of GOOD (malformed)
#   simd.wasm       valid, but uses fixed-width SIMD (v128.const), which the
#                   firmware is built without (WR_FEATURE_SIMD)
#
#   make-modules.sh OUTDIR GOOD_WASM
set -eu
out=$1 good=$2
mkdir -p "$out"
hdr='\000asm\001\000\000\000'
# type 0: () -> i32; func 0: type 0; code: no locals, i64.const 0, end
printf "${hdr}"'\001\005\001\140\000\001\177''\003\002\001\000''\012\006\001\004\000\102\000\013' \
  >"$out/invalid.wasm"
# type 0: () -> (); func 0; memory min 100; export "_start"; code: end
printf "${hdr}"'\001\004\001\140\000\000''\003\002\001\000''\005\003\001\000\144' \
  >"$out/bigmem.wasm"
printf '\007\012\001\006_start\000\000''\012\004\001\002\000\013' >>"$out/bigmem.wasm"
head -c 200 "$good" >"$out/truncated.wasm"
# type 0: () -> (); func 0; export "_start"; code: v128.const 0, drop, end
printf "${hdr}"'\001\004\001\140\000\000''\003\002\001\000''\007\012\001\006_start\000\000' >"$out/simd.wasm"
printf '\012\027\001\025\000\375\014''\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000''\032\013' \
  >>"$out/simd.wasm"
