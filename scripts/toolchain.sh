# Sourced by ./portal and .ci/run. Makes `node` (22 or 24) and `yarn` available and keeps
# node_modules in step with yarn.lock. Everything it fetches comes from the npm registry
# that npm is configured with on this machine; nothing else is downloaded.

TOOLCHAIN_NODE_VERSION="22.23.5"
TOOLCHAIN_DIR="${ROOT:?}/.toolchain"

toolchain_die() {
  echo "portal: $*" >&2
  exit 1
}

toolchain_node_major() {
  command -v node >/dev/null 2>&1 || return 0
  node -e 'process.stdout.write(process.versions.node.split(".")[0])' 2>/dev/null || true
}

toolchain_registry() {
  if [[ -n "${YARN_NPM_REGISTRY_SERVER:-}" ]]; then
    echo "$YARN_NPM_REGISTRY_SERVER"
  elif command -v npm >/dev/null 2>&1; then
    npm config get registry 2>/dev/null | sed 's#/*$##'
  fi
}

# Node 22 from the registry package node-<os>-<arch>, unpacked into .toolchain/.
toolchain_install_node() {
  local dir="$1" os arch pkg tmp log
  case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    *) toolchain_die "Node 22 or 24 is required and cannot be installed automatically on $(uname -s); install it and re-run." ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) toolchain_die "Node 22 or 24 is required and cannot be installed automatically on $(uname -m); install it and re-run." ;;
  esac
  pkg="node-$os-$arch@$TOOLCHAIN_NODE_VERSION"
  command -v npm >/dev/null 2>&1 ||
    toolchain_die "Node 22 or 24 is required (found: $(node --version 2>/dev/null || echo none)) and npm is missing, so $pkg cannot be fetched: install Node 22/24 or npm and re-run."
  echo "portal: installing Node $TOOLCHAIN_NODE_VERSION from the npm registry package $pkg into .toolchain/ (one time)" >&2
  tmp="$(mktemp -d)"
  log="$tmp/npm-pack.log"
  if ! npm pack --loglevel=error "$pkg" --pack-destination "$tmp" >"$log" 2>&1; then
    toolchain_die "could not fetch $pkg from the npm registry $(toolchain_registry) ($(grep -m1 -E '^npm error (code|network|[0-9]{3})' "$log" | sed 's/^npm error //')). Check 'npm config get registry' and the network, or install Node 22/24 yourself."
  fi
  mkdir -p "$dir.partial"
  tar xzf "$tmp"/node-"$os"-"$arch"-*.tgz -C "$dir.partial" --strip-components=1 ||
    toolchain_die "could not unpack $pkg into $dir (disk full?)"
  rm -rf "$tmp" "$dir"
  mv "$dir.partial" "$dir"
}

toolchain_setup() {
  local major node_dir
  major="$(toolchain_node_major)"
  if [[ "$major" == 22 || "$major" == 24 ]] && [[ -z "${PORTAL_BUNDLED_NODE:-}" ]]; then
    : # the machine's own Node is good
  else
    node_dir="$TOOLCHAIN_DIR/node-v$TOOLCHAIN_NODE_VERSION"
    [[ -x "$node_dir/bin/node" ]] || toolchain_install_node "$node_dir"
    export PATH="$node_dir/bin:$PATH"
    # native modules (better-sqlite3) build against these headers instead of downloading them
    export npm_config_nodedir="$node_dir"
  fi

  local yarn_release
  yarn_release="$(sed -n 's/^yarnPath: *//p' "$ROOT/.yarnrc.yml")"
  [[ -f "$ROOT/$yarn_release" ]] || toolchain_die "the yarn release $yarn_release named in .yarnrc.yml is missing from the checkout"
  mkdir -p "$TOOLCHAIN_DIR/bin"
  printf '#!/bin/sh\nexec node "%s" "$@"\n' "$ROOT/$yarn_release" >"$TOOLCHAIN_DIR/bin/yarn"
  chmod +x "$TOOLCHAIN_DIR/bin/yarn"
  export PATH="$TOOLCHAIN_DIR/bin:$PATH"

  local registry
  registry="$(toolchain_registry)"
  [[ -n "$registry" ]] && export YARN_NPM_REGISTRY_SERVER="$registry"
  export YARN_ENABLE_TELEMETRY=0
  # Playwright drives the machine's Chromium; it must never try to download its own.
  export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
}

dependencies_stamp() {
  {
    node --version
    cat "$ROOT/yarn.lock" "$ROOT/.yarnrc.yml" "$ROOT/package.json"
    find "$ROOT/packages" "$ROOT/plugins" -mindepth 2 -maxdepth 2 -name package.json -print0 2>/dev/null |
      sort -z | xargs -0 cat
  } | sha256sum | cut -d' ' -f1
}

dependencies_install() {
  local stamp_file="$ROOT/node_modules/.portal-install-stamp" stamp log
  stamp="$(dependencies_stamp)"
  if [[ -f "$stamp_file" && "$(cat "$stamp_file")" == "$stamp" ]]; then
    return 0
  fi
  mkdir -p "$TOOLCHAIN_DIR"
  log="$TOOLCHAIN_DIR/yarn-install.log"
  echo "portal: installing dependencies (log: .toolchain/yarn-install.log)" >&2
  local args=()
  [[ -n "${CI:-}" ]] && args+=(--immutable)
  if ! yarn install "${args[@]}" >"$log" 2>&1; then
    local reason
    reason="$(grep -m1 -E 'YN[0-9]{4}: .*(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|getaddrinfo|Request Error|status code)' "$log" ||
      grep -m1 -E '➤ YN[0-9]{4}: .*(Error|error|failed)' "$log" || tail -n1 "$log")"
    toolchain_die "yarn install failed against the registry $(toolchain_registry): ${reason#*: }. Full log: .toolchain/yarn-install.log"
  fi
  echo "$stamp" >"$stamp_file"
}
