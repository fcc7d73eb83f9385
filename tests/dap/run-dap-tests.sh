#!/usr/bin/env bash
# Runs one file of the DAP suite (node --test) against the real `wdb --dap`.
#   run-dap-tests.sh --node-dir DIR [--install] [--test FILE.test.js]
# --install: `npm ci` from the committed lockfile into DIR (the build
# directory: node_modules never goes into the source tree); the ctest
# fixture dap.npm-ci does this once before the other tests.
# The environment gives the test files what they drive: WDB, WDB_RUN,
# DAP_WASM_DIR (compiled programs), DAP_SRC_DIR (the repository).
# Anything missing (node, npm, the registry) fails the test: nothing skips.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
node_dir="" install=0 test=""
while [ $# -gt 0 ]; do
  case "$1" in
    --node-dir) node_dir="$2"; shift 2 ;;
    --install) install=1; shift ;;
    --test) test="$2"; shift 2 ;;
    *) echo "run-dap-tests.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$node_dir" ] || { echo "run-dap-tests.sh: --node-dir is required" >&2; exit 2; }
command -v node >/dev/null || { echo "FAIL: node not found: install Node.js >= 18 (scripts/install-deps.sh)" >&2; exit 1; }
if [ "$install" = 1 ]; then
  command -v npm >/dev/null || { echo "FAIL: npm not found (scripts/install-deps.sh)" >&2; exit 1; }
  mkdir -p "$node_dir"
  cp "$here/package.json" "$here/package-lock.json" "$node_dir/"
  (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error)
fi
if [ -n "$test" ]; then
  [ -d "$node_dir/node_modules/@vscode/debugadapter-testsupport" ] || {
    echo "FAIL: $node_dir/node_modules lacks the test client: run the dap.npm-ci test (npm ci)" >&2; exit 1; }
  export NODE_PATH="$node_dir/node_modules"
  exec node --test --test-reporter=spec "$here/$test"
fi
