#!/usr/bin/env bash
# Builds the release packages into pkg/<build>/: the three wasm-pack targets, and `browser`.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
command -v wasm-opt >/dev/null || { echo "wasm-opt missing: run scripts/setup.sh" >&2; exit 1; }
# `browser` is the `web` target without OAuth1Signer: what pages load. `jwe` is the payload
# encryption alone (no client): points-activity/jwe. See Cargo.toml, [features].
for build in ${TARGETS:-web browser jwe nodejs bundler}; do
  log=$(mktemp)
  # wasm-pack leaves files of earlier builds (a snippet no longer used, say): start clean.
  rm -rf "pkg/$build"
  # Browsers and workers have no node:crypto: `web` and `browser` leave the Node backend out.
  case $build in
    web) target=web; features=(-- --no-default-features --features signer) ;;
    browser) target=web; features=(-- --no-default-features --features client) ;;
    jwe) target=web; features=(-- --no-default-features) ;;
    *) target=$build; features=() ;;
  esac
  if ! wasm-pack build --mode no-install --release --target "$target" --out-dir "pkg/$build" --out-name points_activity "${features[@]}" >"$log" 2>&1; then
    cat "$log" >&2; exit 1
  fi
  # In no-install mode wasm-pack silently skips wasm-opt when it cannot find it: make sure it ran.
  grep -q "Optimizing wasm binaries with \`wasm-opt\`" "$log" || { cat "$log" >&2; echo "wasm-opt did not run" >&2; exit 1; }
  rm -f "$log"
  # What browsers and workers download: the glue minified (scripts/minify-web.mjs).
  [ "$target" = web ] && node scripts/minify-web.mjs "pkg/$build"
  echo "[build] pkg/$build"
done
# The operations list (src/ops/list.rs) for the JS side: the package ships it, the proxy's
# route table reads it. Written here, from the crate itself, never by hand.
if [ -d pkg/web ]; then
  cargo run --quiet --example operations > pkg/web/operations.json
  echo "[build] pkg/web/operations.json"
fi
