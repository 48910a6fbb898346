#!/usr/bin/env bash
# `npm test`: installs what is missing, then lint + strict type-check + every Jest suite (unit and
# integration against a real Redis and the MongoDB-compatible server, which Jest's global setup
# starts and stops). `npm test -- <path>` runs only the tests under that path (infrastructure
# included) and skips lint and type-check.
set -euo pipefail
cd "$(dirname "$0")/.."
# First: Node 24 on PATH (installed into .local/ when the system Node is older).
source tools/use-node.sh
bash tools/ensure-deps.sh

if [ "$#" -eq 0 ]; then
  echo "== lint"
  npx eslint . --max-warnings 0
  echo "== type-check (tsc --strict)"
  npx tsc -p tsconfig.json --noEmit
  npx tsc -p apps/console/tsconfig.json --noEmit
fi
# Some suites start the apps as processes (replicas, e2e): they run the build.
node tools/build.mjs
echo "== tests"
exec npx jest "$@"
