#!/usr/bin/env bash
# Incremental linking at scale (issue 6): a store of six UK-style agencies (Benchmarks/make_uk_agencies.py,
# about 2 records a person) is built the way a hub builds it — a full link of a first 5,000-row extract
# from each agency (which trains the model), then each agency's whole extract ingested and linked
# incrementally — and then a new 5,000-record batch from a seventh agency is linked incrementally
# against it. Every step is timed (release build, /usr/bin/time for RSS).
#
#   scripts/bench-incremental.sh [PERSONS] [DATABASE_URL]   (default 500000 persons ≈ 1,000,000 records; SQLite)
#
# BUILD=full builds the store faster, as an operator re-link would: every whole extract ingested, then
# one `link --full` (trains the model on everything); the last step, the new 5,000-record batch linked
# incrementally, is the same either way.
set -euo pipefail
cd "$(dirname "$0")/.."
persons=${1:-500000}
work=${BENCH_DIR:-/tmp/mashlink-bench-incremental}
swift build -c release --product mashlink-agency >/dev/null
swift build -c release --product mashlink-hub >/dev/null
bin=$(swift build -c release --show-bin-path)
rm -rf "$work" && mkdir -p "$work"
db=${2:-sqlite://$work/hub.db}
export MASHLINK_PASSPHRASE=bench-only-passphrase
agencies=(police health education probation childrens_social_care adult_social_care)
python3 Benchmarks/make_uk_agencies.py --persons "$persons" --out "$work/data" --quiet
"$bin/mashlink-agency" keygen linkage --out "$work/linkage.key" >/dev/null
"$bin/mashlink-hub" init --database "$db" --keys "$work/hub-keys" >/dev/null
tokenise() { # agency csv schema out
  "$bin/mashlink-agency" tokenise --input "$2" --agency "$1" --schema "$3" --linkage-key "$work/linkage.key" \
    --signing-key "$work/$1-signing.key" --hub-key "$work/hub-keys/hub-release.pub.pem" --output "$4" \
    --rejects "$4.rejects.csv" --batch-date 2026-12-01 --quiet
}
# The seventh agency's batch: 5,000 rows of children's social care's extract, as a new agency would send.
head -n 5001 "$work/data/childrens_social_care.csv" >"$work/early_help.csv"
cp "$work/data/childrens_social_care.schema.json" "$work/data/early_help.schema.json"
for a in "${agencies[@]}" early_help; do
  "$bin/mashlink-agency" keygen signing --out "$work/$a-signing.key" >/dev/null
  "$bin/mashlink-hub" agency add "$a" --signing-key "$work/$a-signing.pub.pem" --database "$db" >/dev/null
done
total=0
for a in "${agencies[@]}"; do
  tokenise "$a" "$work/data/$a.csv" "$work/data/$a.schema.json" "$work/$a.mlb"
  total=$((total + $(wc -l <"$work/data/$a.csv") - 1))
  [ "${BUILD:-incremental}" = full ] && continue
  head -n 5001 "$work/data/$a.csv" >"$work/$a-first.csv"
  tokenise "$a" "$work/$a-first.csv" "$work/data/$a.schema.json" "$work/$a-first.mlb"
  "$bin/mashlink-hub" ingest "$work/$a-first.mlb" --database "$db" >/dev/null
done
tokenise early_help "$work/early_help.csv" "$work/data/early_help.schema.json" "$work/early_help.mlb"
echo "== $persons persons, $total records in the six agencies' extracts"
measure() { /usr/bin/time -f "  (%e s wall, %M KB max RSS)" "$@" 2>&1; }
if [ "${BUILD:-incremental}" = full ]; then
  echo "== each agency's whole extract ingested, then one full link (trains the model)"
  for a in "${agencies[@]}"; do measure "$bin/mashlink-hub" ingest "$work/$a.mlb" --database "$db"; done
  measure "$bin/mashlink-hub" link --database "$db" --full --out "$work/out"
else
  echo "== full link of the first 5,000 rows of each agency (trains the model)"
  measure "$bin/mashlink-hub" link --database "$db" --out "$work/out"
  echo "== each agency's whole extract, ingested and linked incrementally"
  for a in "${agencies[@]}"; do
    measure "$bin/mashlink-hub" ingest "$work/$a.mlb" --database "$db"
    measure "$bin/mashlink-hub" link --database "$db" --out "$work/out"
  done
fi
echo "== a new 5,000-record batch linked incrementally against the store"
measure "$bin/mashlink-hub" ingest "$work/early_help.mlb" --database "$db"
measure "$bin/mashlink-hub" link --database "$db" --out "$work/out"
"$bin/mashlink-hub" check --database "$db"
case $db in sqlite://*) echo "sqlite size: $(du -cb "${db#sqlite://}"* | tail -1 | cut -f1) bytes" ;; esac
