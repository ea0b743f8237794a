#!/usr/bin/env bash
# Runs every cargo-fuzz target (fuzz/fuzz_targets/) for SECONDS each (default 5): first it
# replays the inputs that once failed (fuzz/regressions/<target>/), then it fuzzes from the
# committed seeds (fuzz/seeds/<target>/) into a corpus of its own (target/fuzz-corpus/, not in
# git). Prints each target's executions; a crash fails the run and is left in
# target/fuzz-artifacts/<target>/. The long run of the hardening issue: bash scripts/fuzz.sh 600
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
each=${1:-5}
targets=(json base64 compact_jwe key_containers pkcs12 envelope_retry oauth_url sandbox_request)
cargo +nightly fuzz build -O >/dev/null 2>&1 || cargo +nightly fuzz build -O
for t in "${targets[@]}"; do
  corpus="target/fuzz-corpus/$t"
  artifacts="target/fuzz-artifacts/$t/"
  mkdir -p "$corpus" "$artifacts"
  if [ -d "fuzz/regressions/$t" ]; then
    cargo +nightly fuzz run -O "$t" fuzz/regressions/"$t"/* -- -runs=1 >/dev/null 2>&1 ||
      { echo "fuzz: $t fails a regression input again"; exit 1; }
  fi
  out=$(cargo +nightly fuzz run -O "$t" "$corpus" "fuzz/seeds/$t" -- \
    -max_total_time="$each" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$artifacts" 2>&1) ||
    { echo "$out" | tail -30; echo "fuzz: $t crashed (input in $artifacts)"; exit 1; }
  runs=$(echo "$out" | sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 executions in \2 s/p' | tail -1)
  echo "fuzz: $t: ${runs:-?}, no crash"
done
