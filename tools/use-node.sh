# Sourced (not run) by every project script before anything else: makes `node` on PATH the
# project's Node major (package.json "engines"). When the system Node is older, Node is installed
# once from the npm registry into .local/node<major> (the `node-<os>-<arch>` packages carry the
# official binary) and its bin dir goes first on PATH, so `npx jest`, `node tools/build.mjs`, the
# `#!/usr/bin/env node` bins (npm, npx, eslint, tsc) and children spawned with process.execPath
# all run on it. System npm keeps working: it is plain JavaScript run by whichever node is first.
# shellcheck shell=bash
ISP_NODE_MAJOR=24

isp_node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

isp_use_node() {
  local root dir pkg os arch bin
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  dir="$root/.local/node$ISP_NODE_MAJOR"
  case "$(uname -s)" in Linux) os=linux ;; Darwin) os=darwin ;; *) os="" ;; esac
  case "$(uname -m)" in x86_64 | amd64) arch=x64 ;; aarch64 | arm64) arch=arm64 ;; *) arch="" ;; esac
  pkg="node-$os-$arch"
  bin="$dir/node_modules/$pkg/bin"

  # Already on the right major (a Node 24 system, or a script re-entered with PATH set): nothing to do.
  if command -v node >/dev/null 2>&1 && [ "$(isp_node_major node)" -ge "$ISP_NODE_MAJOR" ]; then return 0; fi

  if [ ! -x "$bin/node" ] || [ "$(isp_node_major "$bin/node")" -ne "$ISP_NODE_MAJOR" ]; then
    if [ -z "$os" ] || [ -z "$arch" ]; then
      echo "[use-node] Node >= $ISP_NODE_MAJOR is required and none is packaged for $(uname -s)/$(uname -m); install it and retry" >&2
      return 1
    fi
    echo "[use-node] system Node is $(node -v 2>/dev/null || echo missing); installing Node $ISP_NODE_MAJOR ($pkg@$ISP_NODE_MAJOR from the npm registry) into ${dir#"$root"/}" >&2
    mkdir -p "$dir"
    # A private prefix with its own package.json so the install never touches the project's tree.
    [ -f "$dir/package.json" ] || echo '{"private":true}' >"$dir/package.json"
    npm install --prefix "$dir" --no-audit --no-fund --no-save --loglevel=error "$pkg@$ISP_NODE_MAJOR" >&2
  fi
  export PATH="$bin:$PATH"
}

isp_use_node
