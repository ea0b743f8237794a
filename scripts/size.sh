#!/usr/bin/env bash
# Prints the shipped size of the web build (.wasm + JS glue, gzip -9) and fails over budget.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
# 64 KB: the budget of the whole SDK (issue 3); the JWE foundation alone had 40 KB (issue 2).
BUDGET=${SIZE_BUDGET:-65536}
dir=pkg/${1:-web}
[ -f "$dir/points_activity_bg.wasm" ] || { echo "no build in $dir: run scripts/build.sh" >&2; exit 1; }
gz() { gzip -9 -c "$1" | wc -c; }
wasm_raw=$(wc -c <"$dir/points_activity_bg.wasm"); wasm_gz=$(gz "$dir/points_activity_bg.wasm")
glue_raw=0; glue_gz=0
for f in "$dir/points_activity.js" "$dir"/points_activity_bg.js $(find "$dir/snippets" -name '*.js' 2>/dev/null); do
  [ -f "$f" ] || continue
  glue_raw=$((glue_raw + $(wc -c <"$f"))); glue_gz=$((glue_gz + $(gz "$f")))
done
total=$((wasm_gz + glue_gz))
printf '%-12s %8s %10s\n' "" "bytes" "gzip -9"
printf '%-12s %8d %10d\n' ".wasm" "$wasm_raw" "$wasm_gz" "JS glue" "$glue_raw" "$glue_gz"
printf '%-12s %8s %10d  (budget %d)\n' "total" "" "$total" "$BUDGET"
[ "$total" -le "$BUDGET" ] || { echo "over the size budget by $((total - BUDGET)) bytes" >&2; exit 1; }
