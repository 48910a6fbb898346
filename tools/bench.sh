#!/usr/bin/env bash
# `npm run bench -- <name>` runs one benchmark; `npm run bench` runs them all (see bench/run.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
# First: Node 24 on PATH (installed into .local/ when the system Node is older).
source tools/use-node.sh
bash tools/ensure-deps.sh
node tools/build.mjs
exec node dist/bench/run.js "$@"
