#!/usr/bin/env bash
# The demo (sandbox + signing proxy + sample page) arrives with the sample page. Until then this
# sets up and builds the package, so the command stays valid on a fresh machine.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/setup.sh
bash scripts/build.sh
echo
echo "The demo stack (sandbox, signing proxy, sample page) arrives with the sample page."
echo "Built packages are in pkg/web, pkg/nodejs and pkg/bundler."
