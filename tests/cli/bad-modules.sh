#!/usr/bin/env bash
# Bad input to wdb-run: every malformed or invalid module must give exactly
# one line on stderr naming the section and the byte offset, exit status 1,
# and never a crash (a signal) or a hang.
#
#   bad-modules.sh WDB_RUN WAST2JSON SPEC_DIR GOOD_WASM
#
# Inputs: every binary assert_malformed / assert_invalid module of the spec
# suite files that have them (converted here with wast2json), truncations
# of a real C program's module at many lengths, single-byte corruptions of
# it, random bytes, an empty file, a directory and a missing file.
set -u
wdb_run=$1 wast2json=$2 spec=$3 good=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
line_re='^wdb-run: error: .*: [a-z ]+ section at offset 0x[0-9a-f]+: .+$'

# check FILE KIND: KIND "module" wants the section+offset line, "file" any one line
check() {
  local f=$1 kind=$2 st
  timeout 20 "$wdb_run" "$f" >"$tmp/out" 2>"$tmp/err" </dev/null
  st=$?
  local n
  n=$(wc -l <"$tmp/err")
  if [ "$st" -ne 1 ] || [ "$n" -ne 1 ] ||
     { [ "$kind" = module ] && ! grep -Eq "$line_re" "$tmp/err"; }; then
    echo "FAIL: $f: exit $st, $n stderr lines:"
    head -3 "$tmp/err"
    fail=$((fail + 1))
  else
    pass=$((pass + 1))
  fi
}

# --version: the version and the commit built
if "$wdb_run" --version | grep -Eq '^wdb-run [0-9]+\.[0-9]+\.[0-9]+ \(commit ([0-9a-f]{12}|unknown)\)$'; then
    pass=$((pass + 1))
else
    echo "FAIL: wdb-run --version: $("$wdb_run" --version 2>&1 | head -1)"
    fail=$((fail + 1))
fi

# spec modules that must be refused
for w in binary binary-leb128 custom utf8-invalid-encoding utf8-custom-section-id utf8-import-field \
         utf8-import-module data elem global memory table func type start unreached-invalid \
         call_indirect br_table select; do
  [ -f "$spec/$w.wast" ] || continue
  mkdir -p "$tmp/$w"
  "$wast2json" --enable-all "$spec/$w.wast" -o "$tmp/$w/$w.json" >/dev/null 2>&1 ||
    { echo "FAIL: wast2json $w"; fail=$((fail + 1)); continue; }
  # the JSON lists one command per line: pick the binary modules of
  # assert_malformed and assert_invalid
  grep -E '"type": "assert_(malformed|invalid)"' "$tmp/$w/$w.json" | grep '"module_type": "binary"' |
    sed -E 's/.*"filename": "([^"]+)".*/\1/' >"$tmp/$w/list"
  while read -r m; do check "$tmp/$w/$m" module; done <"$tmp/$w/list"
done

# truncations and corruptions of a real module. A truncation that ends
# exactly where a section ends can be a valid module (the custom sections
# after the data are not needed to run), so at those lengths the module
# either runs as the whole one does or is refused as any truncation is;
# the section ends are wasm-objdump's (wabt, next to wast2json).
size=$(stat -c %s "$good")
step=$(( size / 150 + 1 ))
objdump=$(dirname "$(command -v "$wast2json")")/wasm-objdump
ends=" $("$objdump" -h "$good" | sed -nE 's/.* end=0x([0-9a-f]+) .*/\1/p' |
        while read -r e; do printf '%d ' "$((16#$e))"; done)"
if [ "$ends" = " " ]; then echo "FAIL: no section ends from $objdump"; fail=$((fail + 1)); fi
timeout 20 "$wdb_run" "$good" >"$tmp/good.out" 2>/dev/null </dev/null
for ((len = 0; len < size; len += step)); do
  head -c "$len" "$good" >"$tmp/trunc.wasm"
  if [[ "$ends" == *" $len "* ]] &&
     timeout 20 "$wdb_run" "$tmp/trunc.wasm" >"$tmp/out" 2>/dev/null </dev/null; then
    if cmp -s "$tmp/out" "$tmp/good.out"; then
      pass=$((pass + 1))
    else
      echo "FAIL: truncated at section end $len: ran with other output"; fail=$((fail + 1))
    fi
    continue
  fi
  check "$tmp/trunc.wasm" module
done
for ((i = 0; i < 60; i++)); do
  off=$(( (i * 7919) % size ))
  cp "$good" "$tmp/corrupt.wasm"
  printf '\xff' | dd of="$tmp/corrupt.wasm" bs=1 seek="$off" conv=notrunc status=none
  timeout 20 "$wdb_run" "$tmp/corrupt.wasm" >/dev/null 2>"$tmp/err" </dev/null
  st=$?
  # a corruption may still be a valid module (in a data segment, say): then
  # it runs; what must never happen is a crash or a hang
  if [ "$st" -ge 124 ] && [ "$st" -ne 134 ]; then
    echo "FAIL: corruption at $off: exit $st"; head -3 "$tmp/err"; fail=$((fail + 1))
  elif [ "$st" -eq 1 ] && ! grep -Eq "$line_re|unknown import|incompatible import" "$tmp/err"; then
    echo "FAIL: corruption at $off: unclear error:"; head -3 "$tmp/err"; fail=$((fail + 1))
  else
    pass=$((pass + 1))
  fi
done
head -c 4096 /dev/urandom >"$tmp/random.wasm"; check "$tmp/random.wasm" module
: >"$tmp/empty.wasm"; check "$tmp/empty.wasm" module
mkdir -p "$tmp/dir.wasm"; check "$tmp/dir.wasm" file
check "$tmp/missing.wasm" file

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
