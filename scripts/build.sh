#!/usr/bin/env bash
# Builds the release packages into pkg/<build>/: the three wasm-pack targets, and `browser`.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
command -v wasm-opt >/dev/null || { echo "wasm-opt missing: run scripts/setup.sh" >&2; exit 1; }
# Panic locations carry source paths: dependencies' become relative to the registry, so the
# shipped .wasm does not embed the builder's home directory (and is 77 bytes smaller).
for dir in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do
  [ -d "$dir" ] && RUSTFLAGS="${RUSTFLAGS:-} --remap-path-prefix=$dir="
done
export RUSTFLAGS
# The wasm features wasm-opt must be told of: the same list as the release profile's.
read -r -a WASM_FEATURES <<<"$(grep -o -- '--enable-[a-z-]*' Cargo.toml | tr '\n' ' ')"
# `browser` is the `web` target without OAuth1Signer: what pages load. `jwe` is the payload
# encryption alone (no client, no std): points-activity/jwe. See Cargo.toml, [features].
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
  # Panic and formatting code out (scripts/snip-wasm.mjs), then a last pass that removes what
  # only it reached and the names and producer sections nobody downloads them for.
  wasm="pkg/$build/points_activity_bg.wasm"
  node scripts/snip-wasm.mjs "$wasm" >/dev/null
  wasm-opt -Oz "${WASM_FEATURES[@]}" --strip-debug --strip-producers --strip-target-features "$wasm" -o "$wasm"
  # The JSDoc that wasm-bindgen copies into the JS glue repeats the .d.ts word for word (editors
  # read the .d.ts): drop it from the .js, which browsers download, and keep it in the .d.ts.
  for glue in "pkg/$build"/points_activity*.js; do
    awk '/^[ \t]*\/\*\*/ { skip = 1 } !skip { print } skip && /\*\// { skip = 0 }' "$glue" >"$glue.tmp"
    mv "$glue.tmp" "$glue"
    ! grep -q '/\*\*' "$glue" || { echo "JSDoc left in $glue" >&2; exit 1; }
  done
  # What browsers and workers download: binding names shortened, glue minified (scripts/minify-web.mjs).
  [ "$target" = web ] && node scripts/minify-web.mjs "pkg/$build"
  echo "[build] pkg/$build"
done
