#!/usr/bin/env bash
# Installs what the VS Code end-to-end suite (label vscode) drives:
#   - code-server (VS Code in the browser) from the npm registry, into a
#     cache shared by build directories (build/, build-asan/): CS_HOME,
#     default ${XDG_CACHE_HOME:-$HOME/.cache}/wdb/code-server-$CS_VERSION;
#     done once, reused while its stamp file is there;
#   - Debian's chromium (and the packages code-server's native modules
#     build with), through apt-get when missing (root, or sudo);
#   - playwright-core, from this folder's package-lock.json, into NODE_DIR
#     (the build directory).
#
#   setup.sh --node-dir DIR
#
# Offline-friendly: the machine reaches only the npm registry and the Debian
# mirror. A plain `npm install -g code-server` fails there: the postinstall
# of @vscode/ripgrep downloads rg from GitHub. So every install script is
# skipped (--ignore-scripts), Debian's rg is put where @vscode/ripgrep looks
# (node_modules/@vscode/ripgrep/bin/rg), and the rest of code-server's
# postinstall.sh is done here: `npm rebuild` of the native modules against
# the local node headers (no prebuilt downloads), the node_modules.asar and
# helper symlinks, `npm install` of the built-in extensions' dependencies.
# Anything missing fails the run: nothing is skipped.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
node_dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --node-dir) node_dir="$2"; shift 2 ;;
    *) echo "setup.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$node_dir" ] || { echo "setup.sh: --node-dir is required" >&2; exit 2; }

CS_VERSION=4.100.3 # the last code-server (VS Code 1.100) for Node 20
CS_HOME="${CS_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/wdb/code-server-$CS_VERSION}"
T0=$(date +%s)
log() { echo "[vscode setup +$(( $(date +%s) - T0 ))s] $*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

command -v node >/dev/null || fail "node not found (scripts/install-deps.sh)"
command -v npm >/dev/null || fail "npm not found (scripts/install-deps.sh)"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" = 20 ] || fail "code-server $CS_VERSION needs Node.js 20 (found $(node -v))"

# --- Debian packages ----------------------------------------------------
PKGS=(build-essential python3 pkg-config libkrb5-dev libx11-dev libxkbfile-dev
      libsecret-1-dev ripgrep chromium fonts-liberation)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v chromium >/dev/null || fail "chromium not found after apt-get install chromium"
command -v rg >/dev/null || fail "rg not found after apt-get install ripgrep"

# --- playwright-core into the build directory ---------------------------
if [ ! -f "$node_dir/node_modules/playwright-core/package.json" ] ||
   ! cmp -s "$here/package-lock.json" "$node_dir/package-lock.json"; then
  log "npm ci (playwright-core) in $node_dir"
  mkdir -p "$node_dir"
  cp "$here/package.json" "$here/package-lock.json" "$node_dir/"
  (cd "$node_dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi

# --- code-server ------------------------------------------------------------
stamp="$CS_HOME/.wdb-installed"
mkdir -p "$(dirname "$CS_HOME")"
exec 9>"$CS_HOME.lock"
flock 9 # one installer at a time (two build directories' ctest runs)
if [ -f "$stamp" ] && [ -x "$CS_HOME/node_modules/.bin/code-server" ]; then
  log "code-server $CS_VERSION already installed in $CS_HOME"
  exit 0
fi
# node-gyp: the installed node headers, never a download.
node_prefix="$(dirname "$(dirname "$(command -v node)")")"
if [ -f /usr/include/node/node.h ]; then
  export npm_config_nodedir=/usr
elif [ -f "$node_prefix/include/node/node.h" ]; then
  export npm_config_nodedir="$node_prefix"
else
  fail "node headers not found (include/node/node.h next to node)"
fi
export npm_config_build_from_source=true   # argon2, kerberos: build, don't fetch
export npm_config_yes=true                 # node-pty's postinstall runs npx node-gyp
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

rm -rf "$CS_HOME"
mkdir -p "$CS_HOME"
cd "$CS_HOME"
echo '{ "name": "wdb-code-server", "private": true }' > package.json
log "npm install --ignore-scripts code-server@$CS_VERSION in $CS_HOME"
npm install --ignore-scripts --no-package-lock --loglevel=error "code-server@$CS_VERSION"
log "npm rebuild argon2"
npm rebuild --no-package-lock --loglevel=error argon2 >/dev/null

VS="$CS_HOME/node_modules/code-server/lib/vscode"
cd "$VS"
log "npm install --omit=dev --ignore-scripts in lib/vscode"
npm install --omit=dev --ignore-scripts --loglevel=error
mkdir -p node_modules/@vscode/ripgrep/bin
cp -f "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
chmod 755 node_modules/@vscode/ripgrep/bin/rg
log "npm rebuild in lib/vscode (native modules)"
npm rebuild --loglevel=error >/dev/null
rm -rf node_modules.asar && ln -s node_modules node_modules.asar
(cd bin/remote-cli && rm -rf code-server && ln -s code-linux.sh code-server)
(cd bin/helpers && rm -rf browser.sh && ln -s browser-linux.sh browser.sh)
cd "$VS/extensions"
log "npm install --omit=dev in lib/vscode/extensions"
npm install --omit=dev --loglevel=error

cd "$VS"
log "checking the native modules load"
node -e '["@vscode/spdlog","node-pty","kerberos","native-watchdog","@parcel/watcher","@vscode/deviceid"].forEach((m) => require(m))'
(cd "$CS_HOME" && node -e 'require("argon2")')
XDG_CONFIG_HOME="$CS_HOME/.xdg/config" XDG_DATA_HOME="$CS_HOME/.xdg/data" \
  "$CS_HOME/node_modules/.bin/code-server" --version | head -1
touch "$stamp"
log "code-server installed in $CS_HOME ($(du -sh "$CS_HOME" | cut -f1))"
