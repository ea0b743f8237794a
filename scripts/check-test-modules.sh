#!/usr/bin/env bash
# Fails if a wasm test binary would load more than 4 JS modules of ours in headless Chromium.
#
# Why: wasm-bindgen-test-runner serves the test page with tiny_http, which keeps 4 worker
# threads and holds one per open keep-alive connection. Chromium fetches a page's modules in
# parallel, one connection each; a fifth connection can be queued behind the idle ones and never
# answered, and the runner then waits out its 300 s page-load limit. Measured here: with 5 modules
# 7 runs in 19 hung, with 4 none in 23.
set -euo pipefail
cd "$(dirname "$0")/.."
LIMIT=4
modules() { { grep -hoE 'module = "/[^"]+"|inline_js' "$@" || true; } | sort -u | wc -l; }
ours=$(modules -r src)
status=0
for test in tests/*.rs; do
  total=$((ours + $(modules "$test")))
  echo "$test: $total JS modules (src: $ours)"
  if [ "$total" -gt "$LIMIT" ]; then
    echo "$test loads $total JS modules; the browser test runner hangs above $LIMIT: merge some" >&2
    status=1
  fi
done
exit $status
