#!/usr/bin/env bash
# The hub service under load (issue 8): referral match queries against a ~1,000,000-record SQLite
# store, driven from a second process on loopback at a fixed rate for a fixed time (open loop;
# latency from when each request was due), then one large signed batch upload.
#
#   scripts/bench-service.sh [RATE] [SECONDS]      (default 200/s for 60 s)
#
# Needs the store scripts/bench-incremental.sh builds (BENCH_DIR, default /tmp/mashlink-bench-incremental):
# six agencies, 1,004,852 records, linked, with the agencies' keys. Release build.
set -euo pipefail
cd "$(dirname "$0")/.."
rate=${1:-200}
seconds=${2:-60}
work=${BENCH_DIR:-/tmp/mashlink-bench-incremental}
port=${PORT:-8095}
[ -f "$work/hub.db" ] || { echo "no store at $work/hub.db: run scripts/bench-incremental.sh first" >&2; exit 2; }
swift build -c release --product mashlink-hub >/dev/null
swift build -c release --product mashlink-bench >/dev/null
swift build -c release --product mashlink-agency >/dev/null
bin=$(swift build -c release --show-bin-path)
export MASHLINK_PASSPHRASE=bench-only-passphrase
# A fresh extract from health (its whole extract again: a new batch) for the upload.
rm -f "$work/health-again.mlb" "$work/health-again.rejects.csv"
"$bin/mashlink-agency" tokenise --input "$work/data/health.csv" --agency health --schema "$work/data/health.schema.json" \
  --linkage-key "$work/linkage.key" --signing-key "$work/health-signing.key" --hub-key "$work/hub-keys/hub-release.pub.pem" \
  --output "$work/health-again.mlb" --rejects "$work/health-again.rejects.csv" --batch-date 2026-12-01 --quiet
"$bin/mashlink-hub" serve --database "sqlite://$work/hub.db" --keys "$work/hub-keys" --port "$port" >"$work/serve.log" 2>&1 &
hub=$!
trap 'kill $hub 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.5; done
echo "== hub: $(curl -s "http://127.0.0.1:$port/health"); machine: $(nproc) cores, $(grep MemTotal /proc/meminfo | awk '{print $2/1048576 " GiB"}')"
"$bin/mashlink-bench" service --url "http://127.0.0.1:$port" --agency police --signing-key "$work/police-signing.key" \
  --linkage-key "$work/linkage.key" --input "$work/data/police.csv" --schema "$work/data/police.schema.json" \
  --rate "$rate" --duration "$seconds" \
  --upload-batch "$work/health-again.mlb" --upload-agency health --upload-key "$work/health-signing.key"
echo "== hub peak RSS: $(grep VmHWM /proc/$hub/status | awk '{print $2/1024 " MB"}')"
