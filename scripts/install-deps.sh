#!/usr/bin/env bash
# Installs what building and testing wdb needs on Debian 12, as root.
# Idempotent: packages already present are skipped quickly.
set -euo pipefail
PKGS=(
  cmake make gcc pkg-config
  clang-22 lld-22 libclang-rt-22-dev-wasm32 wasi-libc   # C -> Wasm with DWARF
  libc++-22-dev-wasm32 libc++abi-22-dev-wasm32 g++      # C++ -> Wasm with exceptions (tests/eh; compared with g++'s build)
  libclang-rt-22-dev                                    # libFuzzer + sanitizers (-DWDB_FUZZ=ON)
  lldb-22                                               # reference debugger client
  time                                                  # /usr/bin/time (bench/footprint.sh)
  wabt                                                  # wast2json for the spec suite
  libdwarf-dev libelf-dev libcjson-dev libwebsockets-dev
  nodejs                                                # DAP tests (tests/dap: npm ci, node --test), vscode-extension/, tests/asc (npm ci of asc)
  gdb
  rustc libstd-rust-dev-wasm32 lld-14                   # tests/rust: rustc 1.63 -> wasm32-wasi (wasm-ld-14)
  dpkg-dev debian-archive-keyring                       # tests/thirdparty, bench/workloads.sh: apt-get source (dpkg-source), deb-src signatures
  tcl                                                   # bench/workloads.sh: SQLite's own build makes its amalgamation with tclsh
  socat                                                 # pty pairs: serial-line tests (tests/wdb/attach.sh)
  gcc-arm-none-eabi libnewlib-arm-none-eabi picolibc-arm-none-eabi  # the Cortex-M firmware
  qemu-system-arm                                       # runs it: mps2-an385 (tests/device)
  python3                                               # tests/device/line-faults.py, device-as-wdb-run.sh
  clang-format                                          # tests/lint: changed C files as .clang-format says
  git                                                   # tests/lint compares with a base commit
  man-db groff-base bsdextrautils                       # tests/install: the manual pages render (man, groff, col)
)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# Debian's nodejs comes without npm (a package of its own); NodeSource's
# includes it.
if ! command -v npm >/dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends npm
fi
