#!/usr/bin/env bash
# Installs whatever is missing to build (and, with --browser, to test) ScaleLab, skipping every
# tool whose right version is already there, so a warm run takes seconds. Nothing is downloaded
# at build time afterwards: Trunk runs offline with these tools on PATH.
#
#   source scripts/setup.sh [--browser]     # also exports PATH for the current shell
#
# Pinned versions (see ARCHITECTURE.md for why):
#   trunk 0.21.14            (0.22 needs a newer rustc than this machine has)
#   wasm-bindgen-cli = the wasm-bindgen crate in Cargo.lock (Trunk and the test runner require it)
#   wasm-opt from npm binaryen@132 (Debian's is too old for what rustc 1.95 emits)
#   chromium + chromium-driver from Debian (tests only)
#   axe-core from npm (tests only: the e2e accessibility audit injects it into each page)

TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132
AXE_VERSION=4.11.0
SCALELAB_TOOLS="${SCALELAB_TOOLS:-$HOME/.cache/scalelab-tools}"

_setup_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_want_browser=0
for _a in "$@"; do [ "$_a" = "--browser" ] && _want_browser=1; done

_say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }
_die() { printf '\033[1;31m[setup] %s\033[0m\n' "$*" >&2; return 1 2>/dev/null || exit 1; }

export PATH="$HOME/.cargo/bin:$SCALELAB_TOOLS/node_modules/.bin:$PATH"

_setup_main() {
  command -v cargo >/dev/null || _die "cargo not found: install Rust with rustup first (https://rustup.rs)" || return 1

  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    _say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown || return 1
  fi

  if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    _say "installing trunk $TRUNK_VERSION (about 7 minutes on 2 cores, once)"
    cargo install --locked "trunk@$TRUNK_VERSION" || return 1
  fi

  local wbg
  wbg="$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' "$_setup_root/Cargo.lock")"
  [ -n "$wbg" ] || _die "cannot read the wasm-bindgen version from Cargo.lock" || return 1
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wbg" ] \
     || ! command -v wasm-bindgen-test-runner >/dev/null; then
    _say "installing wasm-bindgen-cli $wbg (about 2 minutes, once)"
    # Not --locked: its lockfile pins a crate the registry no longer serves.
    cargo install --force wasm-bindgen-cli --version "$wbg" || return 1
  fi

  if ! wasm-opt --version 2>/dev/null | grep -q "version $BINARYEN_VERSION"; then
    _say "installing wasm-opt (npm binaryen@$BINARYEN_VERSION) into $SCALELAB_TOOLS"
    mkdir -p "$SCALELAB_TOOLS"
    npm install --prefix "$SCALELAB_TOOLS" --no-audit --no-fund --no-save "binaryen@$BINARYEN_VERSION" >/dev/null || return 1
  fi

  if [ "$_want_browser" = 1 ]; then
    if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
      _say "installing chromium and chromium-driver from Debian"
      local sudo=""
      [ "$(id -u)" = 0 ] || sudo="sudo"
      $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null || return 1
    fi
    export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"
    # Its own npm prefix: installing into binaryen's would prune binaryen.
    local axe_dir="$SCALELAB_TOOLS/axe"
    if [ "$(node -p "require('$axe_dir/node_modules/axe-core/package.json').version" 2>/dev/null)" != "$AXE_VERSION" ]; then
      _say "installing axe-core $AXE_VERSION into $axe_dir"
      mkdir -p "$axe_dir"
      npm install --prefix "$axe_dir" --no-audit --no-fund --no-save "axe-core@$AXE_VERSION" >/dev/null || return 1
    fi
    export AXE_JS="$axe_dir/node_modules/axe-core/axe.min.js"
  fi
  _say "tools ready: $(trunk --version), wasm-bindgen $wbg, wasm-opt $(wasm-opt --version | awk '{print $3}')"
}

_setup_main || { [ "${BASH_SOURCE[0]}" != "$0" ] && return 1; exit 1; }
