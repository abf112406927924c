#!/usr/bin/env bash
# The production profile on real servers (scripts/replicas/replicas.test.mjs): Debian's
# PostgreSQL and Redis on free loopback ports, the Google Cloud fake, and two backend replicas
# with app-config.production.yaml. Installs postgresql and redis-server with apt-get when they
# are missing and running as root. Writes REPORT_DIR/replicas.json for scripts/test-summary.mjs.
# Usage: scripts/test-replicas.sh [REPORT_DIR]   (./portal yarn test:replicas)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
reports="${1:-.toolchain/reports}"
mkdir -p "$reports"

have_servers() {
  compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null && command -v redis-server >/dev/null &&
    command -v psql >/dev/null
}
if ! have_servers && [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
  echo "replicas: installing Debian's postgresql and redis-server (one time)" >&2
  # The packages' own services are not wanted: the suite starts its servers itself.
  { apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql redis-server; } >/tmp/replicas-apt.log 2>&1 ||
    echo "replicas: apt-get install failed, see /tmp/replicas-apt.log" >&2
fi
if ! have_servers; then
  echo "replicas: PostgreSQL or Redis is missing; install Debian's packages (apt-get install -y postgresql redis-server)" >&2
  exit 1
fi

exec node --test --test-concurrency=1 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=./scripts/replicas/summaryReporter.mjs --test-reporter-destination="$reports/replicas.json" \
  scripts/replicas/replicas.test.mjs
