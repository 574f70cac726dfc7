#!/usr/bin/env bash
# Ingest rate and size per record of the hub's store, on SQLite and (if MASHLINK_BENCH_POSTGRES_URL
# is set; .ci/postgres.sh prints one) PostgreSQL: FEBRL-like rows are tokenised into one signed
# batch, then ingested by `mashlink-hub ingest` (release build), timed with /usr/bin/time.
#
#   scripts/bench-store.sh [ROWS]      (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
work=${BENCH_DIR:-/tmp/mashlink-bench-store}
swift build -c release --product mashlink-agency >/dev/null
swift build -c release --product mashlink-hub >/dev/null
bin=$(swift build -c release --show-bin-path)
rm -rf "$work" && mkdir -p "$work"
export MASHLINK_PASSPHRASE=bench-only-passphrase
python3 Benchmarks/make_febrl_like.py --rows "$rows" --out "$work/rows.csv" >/dev/null
"$bin/mashlink-agency" keygen linkage --out "$work/linkage.key" >/dev/null
"$bin/mashlink-agency" keygen signing --out "$work/signing.key" >/dev/null
"$bin/mashlink-hub" init --database "sqlite://$work/hub.db" --keys "$work/hub-keys" >/dev/null
"$bin/mashlink-agency" tokenise --input "$work/rows.csv" --agency febrl --schema examples/febrl/schema.json \
  --linkage-key "$work/linkage.key" --signing-key "$work/signing.key" --hub-key "$work/hub-keys/hub-release.pub.pem" \
  --output "$work/batch.mlb" --rejects "$work/rejects.csv" --quiet
echo "batch: $(du -m "$work/batch.mlb" | cut -f1) MB, $rows rows"
run() {
  local url=$1
  "$bin/mashlink-hub" agency add febrl --signing-key "$work/signing.pub.pem" --database "$url" >/dev/null
  /usr/bin/time -f "%e s wall, %M KB max RSS" "$bin/mashlink-hub" ingest "$work/batch.mlb" --database "$url" 2>&1
}
echo "== sqlite"; run "sqlite://$work/hub.db"
"$bin/mashlink-hub" check --database "sqlite://$work/hub.db"
echo "sqlite size: $(du -cb "$work"/hub.db* | tail -1 | cut -f1) bytes"
if [ -n "${MASHLINK_BENCH_POSTGRES_URL:-}" ]; then
  echo "== postgres"; run "$MASHLINK_BENCH_POSTGRES_URL"
  "$bin/mashlink-hub" check --database "$MASHLINK_BENCH_POSTGRES_URL"
fi
