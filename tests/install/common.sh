# Sourced by tests/install/check-*.sh: a work folder removed at exit,
# ok/bad lines, and `fail`, the exit status of the check.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
