#!/usr/bin/env bash
# Prints the shipped size (.wasm + JS glue, gzip -9) of the `browser` build, the whole SDK as a
# page loads it, and of the `jwe` build, payload encryption alone (points-activity/jwe), and
# fails if either is over its budget; then, for information, of the `web` build, which adds
# OAuth1Signer for workers.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
# 64 KB: the budget of the whole SDK (issue 3); 40 KB: the foundation's, JWE alone (issue 2).
BUDGET=${SIZE_BUDGET:-65536}
JWE_BUDGET=${JWE_SIZE_BUDGET:-40960}
gz() { gzip -9 -c "$1" | wc -c; }
report() { # report BUILD: prints the table, sets $total
  local dir=pkg/$1
  [ -f "$dir/points_activity_bg.wasm" ] || { echo "no build in $dir: run scripts/build.sh" >&2; exit 1; }
  local wasm_raw wasm_gz glue_raw=0 glue_gz=0 f
  wasm_raw=$(wc -c <"$dir/points_activity_bg.wasm"); wasm_gz=$(gz "$dir/points_activity_bg.wasm")
  for f in "$dir/points_activity.js" $(find "$dir/snippets" -name '*.js' 2>/dev/null); do
    glue_raw=$((glue_raw + $(wc -c <"$f"))); glue_gz=$((glue_gz + $(gz "$f")))
  done
  total=$((wasm_gz + glue_gz))
  printf '%-22s %8s %10s\n' "pkg/$1" "bytes" "gzip -9"
  printf '%-22s %8d %10d\n' "  .wasm" "$wasm_raw" "$wasm_gz" "  JS glue" "$glue_raw" "$glue_gz"
}
report browser
printf '%-22s %8s %10d  (budget %d)\n' "  total" "" "$total" "$BUDGET"
browser=$total
report jwe
printf '%-22s %8s %10d  (budget %d)\n' "  total" "" "$total" "$JWE_BUDGET"
jwe=$total
report web
printf '%-22s %8s %10d  (+%d for OAuth1Signer)\n' "  total" "" "$total" "$((total - browser))"
[ "$browser" -le "$BUDGET" ] || { echo "the browser build is over the size budget by $((browser - BUDGET)) bytes" >&2; exit 1; }
[ "$jwe" -le "$JWE_BUDGET" ] || { echo "the jwe build is over the size budget by $((jwe - JWE_BUDGET)) bytes" >&2; exit 1; }
