#!/usr/bin/env bash
# `npm run bench -- <name>` runs one benchmark; `npm run bench` runs them all (see bench/run.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/ensure-deps.sh
node tools/build.mjs
exec node dist/bench/run.js "$@"
