#!/bin/bash
# Fetches Debian 12 source packages, unpacked and patched, without touching
# the system's apt configuration: the one way the project gets third-party
# code bases (tests/thirdparty/setup.sh, bench/workloads.sh).
#
#   scripts/debsrc.sh --out DIR PACKAGE...
#
# Leaves DIR/src/PACKAGE (the tree dpkg-source unpacked and patched) for
# each PACKAGE and DIR/src/versions ("PACKAGE VERSION" lines). The sources
# come from `apt-get source` through a private apt configuration in
# DIR/apt: a deb-src entry for bookworm main, its own package lists and
# cache; the system's sources, lists and cache are neither read nor
# changed, and no root rights are needed. Downloaded: the Sources index of
# bookworm main (about 10 MB) and the packages. A complete download of the
# same packages is kept (DIR/src/.complete names them) and reused by later
# runs; `rm -rf DIR/src` fetches again. Any failure exits 1 with a line
# that says what failed: a caller fails with it, nothing is skipped.
set -u
out=
pkgs=()
while [ $# -gt 0 ]; do
    case "$1" in
    --out) out=$2; shift 2 ;;
    -*) echo "debsrc.sh: unknown option $1" >&2; exit 2 ;;
    *) pkgs+=("$1"); shift ;;
    esac
done
if [ -z "$out" ] || [ ${#pkgs[@]} = 0 ]; then
    echo "usage: debsrc.sh --out DIR PACKAGE..." >&2
    exit 2
fi
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
fail() { echo "FAIL: $*"; exit 1; }

want="${pkgs[*]}"
if [ -e "$out/src/.complete" ] && [ "$(cat "$out/src/.complete")" = "$want" ]; then
    echo "sources in $out/src: $(paste -sd ' ' "$out/src/versions")"
    exit 0
fi

for t in apt-get dpkg-source; do
    command -v "$t" >/dev/null || fail "$t not found: scripts/install-deps.sh installs it"
done
[ -r "$keyring" ] || fail "$keyring not found: scripts/install-deps.sh installs debian-archive-keyring"

apt=$out/apt tmp=$out/src.tmp
rm -rf "$apt" "$tmp" "$out/src"
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$tmp" || fail "cannot create $apt"
cat >"$apt/debsrc.sources" <<EOF
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: $keyring
EOF
opts=(-q -o "Dir::Etc::SourceList=$apt/debsrc.sources" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache")
# as root apt would hand the download to the _apt user, who may not write
# into the build tree
[ "$(id -u)" = 0 ] && opts+=(-o APT::Sandbox::User=root)
echo "fetching the Debian source packages $want (deb-src bookworm main, private apt configuration in $apt)"
# --error-on=any: a failed download is an error, not a warning; and the
# index must be there
if ! apt-get "${opts[@]}" --error-on=any update >"$apt/update.log" 2>&1 ||
    ! compgen -G "$apt/lists/*_Sources*" >/dev/null; then
    cat "$apt/update.log"
    fail "apt-get update of the private deb-src configuration failed (no network access to deb.debian.org?)"
fi
if ! (cd "$tmp" && apt-get "${opts[@]}" source "${pkgs[@]}") >"$apt/source.log" 2>&1; then
    cat "$apt/source.log"
    fail "apt-get source $want failed"
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
rm -rf "$tmp"/*.dsc "$tmp"/*.tar.* "$tmp"/*.diff.* "$apt/lists" "$apt/cache"
echo "$want" >"$tmp/.complete"
mv "$tmp" "$out/src" || fail "cannot move $tmp to $out/src"
echo "sources in $out/src: $(paste -sd ' ' "$out/src/versions")"
