#!/usr/bin/env bash
# Sets up what is missing, then runs every check and test: formatting, clippy, native tests,
# wasm tests in Node and headless Chromium, the release builds, their size, and the JS suites.
# Ends with one line: "N passed, N failed".
set -uo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/setup.sh || exit 1

logs=target/test-logs
mkdir -p "$logs"
passed=0; failed=0; broken=()

# Adds one runner's counts to the totals (no subshell: the totals must survive) and prints them.
last=0
tally() { # tally LABEL PASSED FAILED
  last=$2; passed=$((passed + $2)); failed=$((failed + $3))
  echo "   $1: $2 passed, $3 failed"
}
count_cargo() { # cargo test / wasm-bindgen-test: "test result: ok. 7 passed; 0 failed"
  tally "$2" "$(grep -Eo 'test result: [A-Za-z]+\. [0-9]+ passed' "$1" | awk '{s+=$4} END {print s+0}')" \
    "$(grep -Eo '; [0-9]+ failed' "$1" | awk '{s+=$2} END {print s+0}')"
}
count_node() { # node --test: "# pass 16" / "# fail 0"
  tally "$2" "$(awk '/^# pass /{s+=$3} END {print s+0}' "$1")" "$(awk '/^# fail /{s+=$3} END {print s+0}' "$1")"
}
step() { # step NAME COMMAND...: runs it, logs it, records a broken step on non-zero exit
  local name=$1; shift
  echo "== $name"
  if ! "$@" >"$logs/$name.log" 2>&1; then
    broken+=("$name"); tail -40 "$logs/$name.log"
  fi
}

step fmt cargo fmt --all --check
# Dependencies point down only: a cycle between the crate's modules, top-level or one level in, fails.
step module-cycles node scripts/check-module-cycles.mjs --depth 2
step clippy cargo clippy --all-targets -- -D warnings
step clippy-wasm cargo clippy --target wasm32-unknown-unknown --all-targets -- -D warnings
# The web, browser and jwe builds' configurations: no Node backend, no signer in browsers, and
# the JWE alone without std (Cargo.toml, [features]).
step clippy-wasm-web cargo clippy --target wasm32-unknown-unknown --no-default-features --features signer -- -D warnings
step clippy-wasm-browser cargo clippy --target wasm32-unknown-unknown --no-default-features --features client -- -D warnings
step clippy-wasm-jwe cargo clippy --target wasm32-unknown-unknown --no-default-features -- -D warnings
step native cargo test
count_cargo "$logs/native.log" native
# The sandbox (a workspace member): its clippy, its tests, and the binary the JS suites start.
step clippy-sandbox cargo clippy -p points-sandbox --all-targets -- -D warnings
step sandbox cargo test -p points-sandbox
count_cargo "$logs/sandbox.log" sandbox
step sandbox-build cargo build -p points-sandbox
step wasm-node wasm-pack test --mode no-install --node
count_cargo "$logs/wasm-node.log" "wasm in Node"
# More than 4 JS modules per test binary hang the browser runner's server (the script says why).
step test-modules bash scripts/check-test-modules.sh
step wasm-chrome env WASM_BINDGEN_USE_BROWSER=1 wasm-pack test --mode no-install --headless --chrome --chromedriver "$(command -v chromedriver)"
count_cargo "$logs/wasm-chrome.log" "wasm in Chromium"
# wasm-pack exits 0 having run nothing when the browser is not really used: refuse that.
[ "$last" -gt 0 ] || broken+=("wasm-chrome-ran-no-tests")
step build bash scripts/build.sh
# The browser and jwe builds' sizes against their budgets (DEVELOPING.md, "Size"), and the web build's.
step size bash scripts/size.sh
cat "$logs/size.log"
# The npm package: assembled and packed (sizes printed), linted, its types checked per resolver,
# then installed by name into throwaway Node, Vite + Chromium, workerd and TypeScript projects.
step package node scripts/package.mjs
cat "$logs/package.log"
step publint node_modules/.bin/publint --strict pkg/npm
tgz="pkg/points-activity-$(awk -F'"' '/^version = /{print $2; exit}' Cargo.toml).tgz"
step attw node_modules/.bin/attw "$tgz" --exclude-entrypoints ./wasm ./operations.json ./jwe ./worker-client ./worker
# points-activity/jwe (top-level await), points-activity/worker-client (for pages) and points-activity/worker (Workers) are ESM
# only: checked as such.
step attw-jwe node_modules/.bin/attw "$tgz" --entrypoints ./jwe ./worker-client ./worker --profile esm-only
step package-smoke node --test tests/package/smoke.test.mjs
count_node "$logs/package-smoke.log" "package smoke tests"
# The installed package in Node 20 and 22, Deno (no permission flags), Bun and Vercel's Edge
# Runtime with wasm compilation off, error classes compared across its entries.
step package-runtimes node --test tests/package/runtimes.test.mjs
count_node "$logs/package-runtimes.log" "package in Node 20/22, Deno, Bun, Vercel Edge"
# The sample page, built with Vite from the package by name, then driven in Chromium against the
# real demo stack; and the demo command itself from a fresh clone.
step www-build bash -c "cd www && npm install --no-audit --no-fund --silent && node_modules/.bin/vite build"
step browser node --test tests/browser/
count_node "$logs/browser.log" "page and demo"
# The generated .d.ts must type real use and refuse wrong use (tests/types/client.ts).
step types node_modules/.bin/tsc -p tests/types
# The API reference from the package's declarations: every export documented (warnings are errors).
step api-docs .tools/typedoc/node_modules/.bin/typedoc
step js node --test tests/js/
count_node "$logs/js.log" "JS suites (node:crypto backend)"
# The same suites against the WebCrypto backend, which browsers and workers use.
step js-webcrypto node --import ./tests/js/force-webcrypto.mjs --test tests/js/
count_node "$logs/js-webcrypto.log" "JS suites (WebCrypto backend)"
# The JWE suites against the JWE-only build (points-activity/jwe: no std, no client).
step js-jwe env PA_BUILD=jwe node --test tests/js/jwe-interop.test.mjs tests/js/jwe-errors.test.mjs
count_node "$logs/js-jwe.log" "JWE suites (jwe build)"
# Every fuzz target: its regression inputs, then a few seconds from its seeds (scripts/fuzz.sh).
step fuzz bash scripts/fuzz.sh 5
cat "$logs/fuzz.log"
# The end-to-end suite again with every sandbox answer encrypted (the loyalty APIs may encrypt GETs).
step e2e-encrypt-all env E2E_ENCRYPT=all node --test tests/js/e2e.test.mjs
count_node "$logs/e2e-encrypt-all.log" "end to end, every answer encrypted"

if [ ${#broken[@]} -gt 0 ]; then
  echo "broken steps: ${broken[*]}"
fi
echo "$passed passed, $failed failed"
[ ${#broken[@]} -eq 0 ] && [ "$failed" -eq 0 ]
