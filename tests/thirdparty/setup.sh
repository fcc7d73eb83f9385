#!/bin/bash
# Setup of the third-party differential tests (ctest fixture of the
# thirdparty label): fetches Debian 12 source packages and builds each code
# base twice, for wasm32-wasi (clang, -g -O0) and natively (gcc, -g -O0),
# from the same absolute source paths, for vs-gdb.sh to compare wdb with gdb.
#
#   setup.sh --out DIR --clang CLANG [--cc CC]
#
# The sources come from `apt-get source` through a private apt configuration
# in DIR/apt: a deb-src entry for bookworm main, its own package lists and
# cache. The system's sources, lists and cache are neither read nor changed,
# and no root rights are needed. Downloaded: the Sources index of bookworm
# main (about 10 MB) and the source packages below (about 1.6 MB), unpacked
# and patched by dpkg-source (dpkg-dev) into DIR/src/PACKAGE; DIR/src/versions
# says which versions. A complete download is kept (DIR/src/.complete) and
# reused by later runs; `rm -rf DIR/src` fetches again. A failed download
# fails the setup, and so every test that needs it: nothing is skipped.
#
# Built (DIR/bin):
#   zlib:  the library and its own test program test/example.c
#          (zlib.wasm, zlib.native); it writes foo.gz in its current
#          directory.
#   cjson: cJSON.c and cjson-driver.c beside this script (cjson.wasm,
#          cjson.native).
set -u
out= clang= cc=gcc
while [ $# -gt 0 ]; do
    case "$1" in
    --out) out=$2; shift 2 ;;
    --clang) clang=$2; shift 2 ;;
    --cc) cc=$2; shift 2 ;;
    *) echo "setup.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
if [ -z "$out" ] || [ -z "$clang" ]; then echo "setup.sh: --out and --clang are required" >&2; exit 2; fi
here=$(cd "$(dirname "$0")" && pwd)
pkgs=(zlib cjson)
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
fail() { echo "FAIL: $*"; exit 1; }

for t in apt-get dpkg-source "$clang" "$cc"; do
    command -v "$t" >/dev/null || fail "$t not found: scripts/install-deps.sh installs it"
done
[ -r "$keyring" ] || fail "$keyring not found: scripts/install-deps.sh installs debian-archive-keyring"

fetch() {
    local apt=$out/apt tmp=$out/src.tmp p d
    rm -rf "$apt" "$tmp" "$out/src"
    mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$tmp" || fail "cannot create $apt"
    cat >"$apt/debsrc.sources" <<EOF
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: $keyring
EOF
    local opts=(-q -o "Dir::Etc::SourceList=$apt/debsrc.sources" -o Dir::Etc::SourceParts=/dev/null
        -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache")
    # as root apt would hand the download to the _apt user, who may not
    # write into the build tree
    [ "$(id -u)" = 0 ] && opts+=(-o APT::Sandbox::User=root)
    echo "fetching the Debian source packages ${pkgs[*]} (deb-src bookworm main, private apt configuration in $apt)"
    # --error-on=any: a failed download is an error, not a warning; and
    # the index must be there
    if ! apt-get "${opts[@]}" --error-on=any update >"$apt/update.log" 2>&1 ||
        ! compgen -G "$apt/lists/*_Sources*" >/dev/null; then
        cat "$apt/update.log"
        fail "apt-get update of the private deb-src configuration failed (no network access to deb.debian.org?)"
    fi
    if ! (cd "$tmp" && apt-get "${opts[@]}" source "${pkgs[@]}") >"$apt/source.log" 2>&1; then
        cat "$apt/source.log"
        fail "apt-get source ${pkgs[*]} failed"
    fi
    : >"$tmp/versions"
    for p in "${pkgs[@]}"; do
        d=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d -name "$p-*")
        if [ -z "$d" ] || [ "$(printf '%s\n' "$d" | wc -l)" != 1 ]; then
            fail "apt-get source $p did not leave one directory $p-*: $(ls "$tmp")"
        fi
        mv "$d" "$tmp/$p" || fail "cannot rename $d"
        # shellcheck disable=SC2012 # the .dsc's name gives the version
        ls "$tmp" | sed -n "s/^${p}_\(.*\)\.dsc$/$p \1/p" >>"$tmp/versions"
    done
    # only the unpacked trees are kept (the index alone is 10 MB)
    rm -rf "$tmp"/*.dsc "$tmp"/*.tar.* "$apt/lists" "$apt/cache"
    : >"$tmp/.complete"
    mv "$tmp" "$out/src" || fail "cannot move $tmp to $out/src"
}

[ -e "$out/src/.complete" ] || fetch
echo "sources in $out/src: $(paste -sd ' ' "$out/src/versions")"

# build NAME FLAGS... -- SOURCES...: DIR/bin/NAME.wasm and DIR/bin/NAME.native.
# Warnings are off: the code is not ours (zlib's K&R definitions alone
# give hundreds).
build() {
    local name=$1 flags=() srcs=()
    shift
    while [ "$1" != -- ]; do flags+=("$1"); shift; done
    shift
    srcs=("$@")
    mkdir -p "$out/bin"
    "$clang" --target=wasm32-wasi -w -g -O0 "${flags[@]}" "${srcs[@]}" -o "$out/bin/$name.wasm" ||
        fail "$clang could not build $name for wasm32-wasi"
    "$cc" -w -g -O0 "${flags[@]}" "${srcs[@]}" -o "$out/bin/$name.native" ||
        fail "$cc could not build $name"
}

z=$out/src/zlib
zsrcs=()
for f in adler32 compress crc32 deflate gzclose gzlib gzread gzwrite infback inffast inflate \
    inftrees trees uncompr zutil test/example; do
    zsrcs+=("$z/$f.c")
done
# Z_HAVE_UNISTD_H: what zlib's configure finds on Linux and in wasi-libc
build zlib -DZ_HAVE_UNISTD_H "-I$z" -- "${zsrcs[@]}"
build cjson "-I$out/src/cjson" -- "$out/src/cjson/cJSON.c" "$here/cjson-driver.c"
echo "built: $(cd "$out/bin" && echo *)"
