#!/usr/bin/env bash
# `npm run bench -- <name>` runs one benchmark; `npm run bench` runs them all (see bench/run.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
# First: Node 24 on PATH (installed into .local/ when the system Node is older).
source tools/use-node.sh
bash tools/ensure-deps.sh
# The heartbeat benchmark's simulator holds two sockets per router (5,000 routers): soft limit up
# to the hard one, which an unprivileged shell may do.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
node tools/build.mjs
exec node dist/bench/run.js "$@"
