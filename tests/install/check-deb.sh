#!/usr/bin/env bash
# The Debian package (issue 20): built with cpack from the build tree, its
# metadata and contents as they should be, and its files, extracted under
# a temporary folder, run a module with no path into the build tree.
#
#   check-deb.sh BUILD_DIR MODULE.wasm VERSION
set -uo pipefail
. "$(dirname "$0")/common.sh"
build=$1 wasm=$2 version=$3

arch=$(dpkg --print-architecture)
(cd "$build" && cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1) ||
    { echo "FAIL: cpack: $(tail -5 "$work/cpack.log")"; exit 1; }
deb=$work/out/wdb_${version}_${arch}.deb
[ -f "$deb" ] && ok "built $(basename "$deb")" || { echo "FAIL: no $deb: $(ls "$work/out")"; exit 1; }
info=$(dpkg-deb -I "$deb")
for want in "Package: wdb" "Version: $version" "Architecture: $arch" \
            "Depends: libc6 (>= 2.36), libdwarf1, libelf1, libcjson1, libwebsockets17" \
            "Recommends: clang-22, wasi-libc, lldb-22"; do
    grep -qF "$want" <<<"$info" && ok "metadata: $want" || bad "metadata lacks '$want'"
done
list=$(dpkg-deb -c "$deb")
for f in ./usr/bin/wdb ./usr/bin/wdb-run ./usr/include/wdb/runtime.h ./usr/share/man/man1/wdb.1 \
         ./usr/share/bash-completion/completions/wdb ./usr/share/wdb/examples/hello.c; do
    grep -qE " $f\$" <<<"$list" && ok "contains $f" || bad "lacks $f"
done
dpkg-deb -x "$deb" "$work/root" || { bad "dpkg-deb -x"; exit 1; }
"$work/root/usr/bin/wdb-run" --version | grep -q "^wdb-run $version " && ok "extracted wdb-run --version" ||
    bad "extracted wdb-run --version"
out=$("$work/root/usr/bin/wdb-run" "$wasm" 2>&1) && ok "extracted wdb-run runs a module" || bad "wdb-run: $out"
# wdb finds the wdb-run beside it: a batch session through the package's tools only
out=$(env -u WDB_RUN "$work/root/usr/bin/wdb" -batch -ex 'break main' -ex run -ex bt "$wasm" 2>&1)
grep -q "^#0 .*main" <<<"$out" && ok "extracted wdb debugs with the package's wdb-run" ||
    bad "extracted wdb: $(head -c 300 <<<"$out")"
exit $fail
