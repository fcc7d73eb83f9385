# Sourced by the session scripts (run-wdb.sh, vs-gdb.sh, interop.sh,
# tests/device/debug-diff.sh). cmds_as_ex FILE sets the array ex_args to
# FILE's lines, each as its own -ex (blank lines and `#` comments left
# out): a failing command does not end the session there, where it would
# end a -x file (gdb's rule, and wdb's). In batch mode both run with
# from_tty off, so nothing else differs.
cmds_as_ex() {
    ex_args=()
    local c
    while IFS= read -r c; do
        [[ -z "${c// /}" || "$c" == \#* ]] || ex_args+=(-ex "$c")
    done <"$1"
}
