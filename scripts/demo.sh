#!/usr/bin/env bash
# The demo, one command on a fresh machine: installs what is missing, builds the package, the
# sandbox and the sample page (each only when its sources changed), then starts the sandbox, the
# edge worker in workerd, the page and its demo sign-in, prints the URL, and stops everything
# on Ctrl-C. Ports: SANDBOX_PORT (8080), WORKER_PORT (8788), WEB_PORT (5173).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/setup.sh

# Newer than the stamp? Then rebuild.
changed() { # changed STAMP PATH...
  [ -f "$1" ] || return 0
  local stamp=$1; shift
  [ -n "$(find "$@" -newer "$stamp" -type f -print -quit 2>/dev/null)" ]
}
if changed pkg/npm/package.json src Cargo.toml Cargo.lock packaging scripts/build.sh scripts/minify-web.mjs scripts/package.mjs; then
  echo "[demo] building the package"
  bash scripts/build.sh
  node scripts/package.mjs
fi
echo "[demo] building the sandbox"
cargo build -q -p points-sandbox
if [ ! -d www/node_modules ] || changed www/node_modules/.stamp www/package.json; then
  echo "[demo] installing the page's dependencies"
  (cd www && npm install --no-audit --no-fund --silent && touch node_modules/.stamp)
fi
if changed www/dist/index.html www/index.html www/*.js www/style.css pkg/npm; then
  echo "[demo] building the page"
  (cd www && node_modules/.bin/vite build)
fi
exec node scripts/demo.mjs
