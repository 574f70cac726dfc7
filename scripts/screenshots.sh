#!/usr/bin/env bash
# Screenshots of each console page of the demo (issue 8), made by headless Chromium (Debian's
# `chromium` package) through its DevTools protocol: `scripts/screenshots.sh [OUT]` (default
# docs/screenshots). Runs `mashlink-hub demo --serve` on a spare port, logs in as each demo user,
# loads each page and saves a PNG; docs/console.md shows them.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/screenshots}
port=${PORT:-8091}
command -v chromium >/dev/null || { echo "needs chromium: apt-get install -y chromium" >&2; exit 2; }
venv=${VENV:-/tmp/mashlink-screens-venv}
[ -x "$venv/bin/python" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q websocket-client==1.8.0; }
swift build --product mashlink-hub >/dev/null
bin=$(swift build --show-bin-path)
demo=$(mktemp -d /tmp/mashlink-screens-demo.XXXX)
"$bin/mashlink-hub" demo --serve --port "$port" --out "$demo/hub" >"$demo/demo.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$demo" /tmp/mashlink-screens-profile' EXIT
for _ in $(seq 1 240); do grep -q "Serving until" "$demo/demo.log" && break; sleep 0.5; done
grep -q "Serving until" "$demo/demo.log" || { cat "$demo/demo.log" >&2; exit 1; }
mkdir -p "$out"
"$venv/bin/python" scripts/screenshots.py "http://127.0.0.1:$port" "$demo/hub/demo-users.txt" "$out"
