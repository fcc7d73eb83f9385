#!/usr/bin/env bash
# A new user's clone (issue 20): `git clone` into a folder with no test
# suite beside it configures (the spec tier listed as not run, with how to
# get the suite), builds the tools and runs the bundled example, in
# wdb-run and under wdb, as the README's first command does.
#
#   check-clone.sh SOURCE_DIR CLANG22
set -uo pipefail
. "$(dirname "$0")/common.sh"
src=$1 clang=$2

git clone -q "$src" "$work/wdb" || { echo "FAIL: git clone $src"; exit 1; }
[ ! -e "$work/shared" ] || { echo "FAIL: $work/shared exists"; exit 1; }
# a user's shell, not CI's: CI=true makes a missing suite fatal on purpose
if env -u CI cmake -S "$work/wdb" -B "$work/wdb/build" >"$work/configure.log" 2>&1; then
    ok "configure succeeds without the spec suite"
else
    bad "configure: $(tail -5 "$work/configure.log")"
    exit 1
fi
tr -s ' \n' ' ' <"$work/configure.log" | grep -q "WebAssembly/testsuite repository at commit e25ae15" &&
    ok "configure says how to get the suite" || bad "no hint about the suite in the configure output"
(cd "$work/wdb/build" && ctest -R '^spec\.' >"$work/ctest.log" 2>&1)
grep -q "spec.suite-not-found-set-WDB_SPEC_DIR.*Not Run" "$work/ctest.log" &&
    ok "the spec tier is listed as not run" || bad "spec tier: $(grep -m3 spec "$work/ctest.log")"
if cmake --build "$work/wdb/build" --target wdb wdb-run -j2 >"$work/build.log" 2>&1; then
    ok "wdb and wdb-run build"
else
    bad "build: $(tail -5 "$work/build.log")"
    exit 1
fi
b=$work/wdb/build
"$clang" --target=wasm32-wasi -Wno-deprecated -g -O0 "$work/wdb/examples/hello.c" -o "$b/hello.wasm" ||
    { bad "compiling the example"; exit 1; }
out=$("$b/bin/wdb-run" "$b/hello.wasm" world 2>&1)
grep -q "world" <<<"$out" && ok "wdb-run runs the example: $(head -1 <<<"$out")" || bad "wdb-run: $out"
out=$("$b/bin/wdb" -batch -ex 'break main' -ex run -ex bt --args "$b/hello.wasm" world 2>&1)
grep -q "^#0 .*main" <<<"$out" && ok "wdb stops in main of the example" || bad "wdb: $(head -c 400 <<<"$out")"
exit $fail
