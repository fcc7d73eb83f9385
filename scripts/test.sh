#!/usr/bin/env bash
# Quick start 2: install, build and run every test (ctest, all labels).
# Extra args go to ctest (e.g. -L unit).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
cd build
ctest -j"$(nproc)" --output-on-failure "$@"
