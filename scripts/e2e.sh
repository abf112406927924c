#!/usr/bin/env bash
# Runs the Playwright end-to-end tests on free loopback ports, in the machine's Chromium.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

chromium="${CHROMIUM_PATH:-$(command -v chromium || true)}"
if [[ -z "$chromium" && "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
  echo "e2e: installing Debian's Chromium (one time)" >&2
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/tmp/e2e-apt.log 2>&1 ||
    echo "e2e: apt-get install chromium failed, see /tmp/e2e-apt.log" >&2
  chromium="$(command -v chromium || true)"
fi
if [[ -z "$chromium" ]]; then
  echo "e2e: Chromium is missing; install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH" >&2
  exit 1
fi
export CHROMIUM_PATH="$chromium"

free_port() {
  node -e 'const s=require("node:net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}
export E2E_APP_PORT="${E2E_APP_PORT:-$(free_port)}"
export E2E_BACKEND_PORT="${E2E_BACKEND_PORT:-$(free_port)}"
export E2E_FAKE_PORT="${E2E_FAKE_PORT:-$(free_port)}"
mkdir -p e2e-artifacts
exec yarn playwright test "$@"
