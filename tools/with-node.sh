#!/usr/bin/env bash
# Runs one command with the project's Node first on PATH (see tools/use-node.sh): the package.json
# scripts that run node go through it, since npm itself may have been started by an older Node.
set -euo pipefail
source "$(dirname "$0")/use-node.sh"
exec "$@"
