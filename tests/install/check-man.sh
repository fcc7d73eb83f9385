#!/usr/bin/env bash
# The manual pages (docs/man): they render with man -l and groff reports
# nothing, and every long option a tool's --help lists is in its page.
#
#   check-man.sh DOCS_MAN_DIR WDB WDB_RUN
set -uo pipefail
. "$(dirname "$0")/common.sh"
dir=$1 wdb=$2 wdbrun=$3
for page in wdb wdb-run; do
    src=$dir/$page.1
    [ -n "$(man -l "$src" 2>/dev/null)" ] && ok "$page.1 renders" || bad "$page.1 does not render"
    # the text to search: no hyphenation, long lines
    text=$(groff -man -Tutf8 -rHY=0 -rLL=300n "$src" 2>/dev/null | col -bx)
    warn=$(groff -man -Tutf8 -ww -z "$src" 2>&1)
    [ -z "$warn" ] && ok "$page.1: groff says nothing" || bad "$page.1: $warn"
    case $page in
    wdb) help=$("$wdb" --help 2>&1; "$wdb" --dap-ws=x --help 2>&1; "$wdb" --dap --help 2>&1) ;;
    *) help=$("$wdbrun" --help 2>&1) ;;
    esac
    missing=""
    for opt in $(grep -oE -- '--[a-z][a-z-]*' <<<"$help" | sort -u); do
        grep -qF -- "$opt" <<<"$text" || missing="$missing $opt"
    done
    [ -z "$missing" ] && ok "$page.1 has every option of --help" || bad "$page.1 lacks:$missing"
done
exit $fail
