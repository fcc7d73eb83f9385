#!/bin/bash
# Setup of the Lua tests of tests/eh (a ctest fixture): fetches Debian 12's
# lua5.4 source package (scripts/debsrc.sh, a private apt configuration in
# OUT/apt; kept and reused) and builds Lua with its own error handling
# natively and for Wasm with libwdb-sjlj.a (scripts/lua-build.sh):
# OUT/lua.native and OUT/lua.wasm.
#
#   lua-setup.sh OUT GUEST_LIB_DIR
#
# A failed download or build fails the setup, and so every test that needs
# it: nothing is skipped.
set -u
out=${1:?usage: lua-setup.sh OUT GUEST_LIB_DIR} guest=${2:?usage: lua-setup.sh OUT GUEST_LIB_DIR}
root=$(cd "$(dirname "$0")/../.." && pwd)
bash "$root/scripts/debsrc.sh" --out "$out" lua5.4 || exit 1
. "$root/scripts/lua-build.sh"
lua_build "$out/src/lua5.4" "$out/lua" sjlj "$guest" || { echo "FAIL: building Lua"; exit 1; }
echo "built $out/lua.native and $out/lua.wasm from $(cat "$out/src/versions")"
