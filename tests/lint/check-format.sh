#!/usr/bin/env bash
# The C files changed since tests/lint/format-base.txt (the commit that
# started the rule) must be as .clang-format says: a file is formatted
# whole when it is next touched, so the tree converges without one noisy
# reformat. Compares the working tree with that commit, so it checks
# uncommitted changes too.
#
#   check-format.sh ROOT CLANG_FORMAT
#
# Fix a file with: CLANG_FORMAT -i FILE
set -euo pipefail
root=$1 cf=$2
base=$(cat "$root/tests/lint/format-base.txt")
git -C "$root" cat-file -e "$base^{commit}" 2>/dev/null ||
    { echo "FAIL: base commit $base is not in this clone's history"; exit 1; }
mapfile -t files < <(git -C "$root" diff --name-only --diff-filter=ACMR "$base" -- '*.c' '*.h' |
    grep -v '^tests/fuzz/corpus/')
mapfile -t -O "${#files[@]}" files < <(git -C "$root" ls-files --others --exclude-standard -- '*.c' '*.h')
bad=0
for f in "${files[@]}"; do
    [ -f "$root/$f" ] || continue
    if ! "$cf" --style=file --dry-run -Werror "$root/$f" >/dev/null 2>&1; then
        echo "not formatted: $f (fix: $cf -i $f)"
        bad=1
    fi
done
echo "${#files[@]} C files changed since ${base:0:12} checked"
exit $bad
