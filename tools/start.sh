#!/usr/bin/env bash
# `npm start`: installs what is missing, builds, and runs the whole system on embedded defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
# First: Node 24 on PATH (installed into .local/ when the system Node is older).
source tools/use-node.sh
bash tools/ensure-deps.sh
node tools/build.mjs
exec node tools/start.js "$@"
