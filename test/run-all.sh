#!/usr/bin/env bash
# The whole test suite, as README.md documents it: type check, lint, then every
# vitest test (unit, component and system tests against real servers on loopback).
# Installs the Debian packages the tests need when they are missing and we are root.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests drive for real (mosquitto: an existing broker for external mode;
# socat: pty pairs standing in for RS-485 serial lines; influxdb: a real influxd 1.x;
# chromium: the staff console and signage pages, driven by playwright-core; fonts-wqy-microhei:
# a small CJK font, so screenshots show the Chinese text instead of empty boxes;
# debootstrap: a fresh Debian root that deploy/install.sh is tested in; systemd: systemd-notify,
# which the gateway notifies systemd through, and systemd-analyze for the unit; python3: a stand-in
# for systemd's notification socket, which Node cannot open).
DEBIAN_PACKAGES=(mosquitto socat influxdb chromium fonts-wqy-microhei openssl debootstrap systemd python3)

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "missing Debian packages: ${missing[*]} (run as root, or apt-get install them)" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

[ -d node_modules ] || npm ci

echo "== type check"
npm run --silent typecheck
echo "== lint"
npm run --silent lint
echo "== tests"
report=$(mktemp)
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" || status=$?
# One plain closing line that any CI reads: "N passed, N failed".
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))
  const skipped = r.numPendingTests + r.numTodoTests
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""))
' "$report" || true
rm -f "$report"
exit "$status"
