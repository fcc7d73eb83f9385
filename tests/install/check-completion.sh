#!/usr/bin/env bash
# The bash completions (docs/completion): they load in bash and complete
# options (from the tools' own --help) and modules.
#
#   check-completion.sh COMPLETION_DIR BIN_DIR
set -uo pipefail
. "$(dirname "$0")/common.sh"
dir=$(cd "$1" && pwd) bin=$(cd "$2" && pwd)
touch "$work/app.wasm" "$work/notes.txt"
# complete WORDS...: what bash offers for the last word
complete_words() {
    (cd "$work" && PATH="$bin:$PATH" bash --norc -c '
        shopt -s extglob
        . "$1/wdb" && . "$1/wdb-run" || exit 9
        shift
        COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
        compopt() { :; }
        case $1 in wdb) _wdb ;; wdb-run) _wdb_run ;; esac
        printf "%s\n" "${COMPREPLY[@]}"' _ "$dir" "$@")
}
r=$(complete_words wdb-run --gdb-li)
[ "$r" = "--gdb-listen" ] && ok "wdb-run --gdb-li -> --gdb-listen" || bad "wdb-run --gdb-li: '$r'"
r=$(complete_words wdb-run --max-m)
[ "$r" = "--max-memory=" ] && ok "wdb-run --max-m -> --max-memory=" || bad "wdb-run --max-m: '$r'"
r=$(complete_words wdb-run a)
[ "$r" = "app.wasm" ] && ok "wdb-run a -> app.wasm" || bad "wdb-run a: '$r'"
r=$(complete_words wdb --dap-w)
[ "$r" = "--dap-ws=" ] && ok "wdb --dap-w -> --dap-ws=" || bad "wdb --dap-w: '$r'"
r=$(complete_words wdb sym)
[ "$r" = "symbolize" ] && ok "wdb sym -> symbolize" || bad "wdb sym: '$r'"
r=$(complete_words wdb -batch ap)
[ "$r" = "app.wasm" ] && ok "wdb -batch ap -> app.wasm" || bad "wdb -batch ap: '$r'"
exit $fail
