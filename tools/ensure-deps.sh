#!/usr/bin/env bash
# Installs what the project needs when it is missing, so `npm test` and `npm start` work on a
# new machine: Node 24 (tools/use-node.sh), node_modules (npm ci), the MongoDB-compatible launcher (Go build of
# tools/mongo-compat) unless MONGO_URL is set, Debian's redis-server unless REDIS_URL is set, and
# Debian's chromium for the console's browser tests, and Debian's prometheus for promtool.
set -euo pipefail
cd "$(dirname "$0")/.."
# First: Node 24 on PATH (installed into .local/ when the system Node is older).
source tools/use-node.sh

log() { printf '[ensure-deps] %s\n' "$*" >&2; }

# node_modules: install when missing or older than the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund >&2
fi

# Debian packages, installed once when their command is missing.
apt_install() {
  local SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "${APT_UPDATED:-}" ]; then $SUDO apt-get update -qq >&2; APT_UPDATED=1; fi
  $SUDO apt-get install -y -qq "$@" >&2
}

if [ -z "${REDIS_URL:-}" ] && ! command -v redis-server >/dev/null 2>&1; then
  log "installing redis-server from Debian's packages"
  apt_install redis-server
  # Debian starts a system-wide instance on 6379; the project runs its own on a free port.
  (systemctl disable --now redis-server >/dev/null 2>&1 || service redis-server stop >/dev/null 2>&1 || true)
fi

# kubectl renders k8s/ for the manifest tests (test/k8s).
if ! command -v kubectl >/dev/null 2>&1; then
  log "installing kubernetes-client (kubectl) from Debian's packages"
  apt_install kubernetes-client
fi

# openssl makes the throwaway self-signed certificate of the api-ssl (TLS) tests.
if ! command -v openssl >/dev/null 2>&1; then
  log "installing openssl from Debian's packages"
  apt_install openssl
fi

# promtool (in Debian's prometheus package) checks deploy/prometheus/rules.yaml (test/metrics).
if ! command -v promtool >/dev/null 2>&1; then
  log "installing prometheus (for promtool) from Debian's packages"
  apt_install prometheus
  # Only the tool is wanted: the packaged server is not run.
  (systemctl disable --now prometheus >/dev/null 2>&1 || service prometheus stop >/dev/null 2>&1 || true)
fi

# Chromium drives the console's browser tests (playwright-core, never a downloaded browser).
if [ ! -x /usr/bin/chromium ]; then
  log "installing chromium from Debian's packages (console browser tests)"
  apt_install chromium
fi

# The FerretDB-based MongoDB-compatible server, built from the Go module registry.
BIN=.local/bin/mongo-compat
if [ -z "${MONGO_URL:-}" ]; then
  stale=0
  for src in tools/mongo-compat/*.go tools/mongo-compat/go.sum; do [ "$src" -nt "$BIN" ] && stale=1; done
  if [ ! -x "$BIN" ] || [ "$stale" = 1 ]; then
    command -v go >/dev/null 2>&1 || { log "Go is required to build tools/mongo-compat (or set MONGO_URL)"; exit 1; }
    log "building tools/mongo-compat (FerretDB 1.24, SQLite backend); the first build takes a few minutes"
    mkdir -p .local/bin
    (cd tools/mongo-compat && go build -tags ferretdb_no_postgresql -o ../../$BIN .) >&2
  fi
fi
