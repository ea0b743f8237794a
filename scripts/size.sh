#!/usr/bin/env bash
# Prints the shipped size (.wasm + JS glue, gzip -9) of the `browser` build (the whole SDK as a
# page loads it), the `jwe` build (payload encryption alone, points-activity/jwe) and the `web`
# build (browser + OAuth1Signer, for workers), and fails if any is over its budget.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
# Budgets in KiB (the sound-core issue): browser 84, web 92, jwe 60; standard pipeline, the
# default allocator, wasm-bindgen-futures and the RustCrypto crates included. web is 94 KiB
# since the client signs in-process for edge workers (`signer`, the worker issue): measured
# +2,314 bytes over 93,150; 94.25 KiB since the text limits became options (the sandbox issue:
# +408 bytes, 95,941 → 96,349); 95.25 KiB since the crate keeps the JS rules' reading (the
# worker-in-the-package issue: Retry-After's three HTTP-date forms, options from own properties,
# U+FFFD refused; and one error registry per realm in the glue: +824 bytes, 96,411 → 97,235;
# the browser build stayed within its 84 KiB, 85,815). Edge workers load the web build once
# per isolate. The browser build has no signer; the credential options (the JWE field names of
# each direction, several decryption keys by kid) took it to 86 KiB, and with RSA-PSS the web
# build to 97.75 KiB (DEVELOPING.md, Size, has the measurements). PKCS#12 is in no budgeted build.
BUDGET=${SIZE_BUDGET:-88064}
JWE_BUDGET=${JWE_SIZE_BUDGET:-61440}
WEB_BUDGET=${WEB_SIZE_BUDGET:-100096}
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
printf '%-22s %8s %10d  (budget %d; +%d for OAuth1Signer)\n' "  total" "" "$total" "$WEB_BUDGET" "$((total - browser))"
web=$total
[ "$browser" -le "$BUDGET" ] || { echo "the browser build is over the size budget by $((browser - BUDGET)) bytes" >&2; exit 1; }
[ "$jwe" -le "$JWE_BUDGET" ] || { echo "the jwe build is over the size budget by $((jwe - JWE_BUDGET)) bytes" >&2; exit 1; }
[ "$web" -le "$WEB_BUDGET" ] || { echo "the web build is over the size budget by $((web - WEB_BUDGET)) bytes" >&2; exit 1; }
