#!/usr/bin/env bash
# Runs mashlink's benchmarks and their anchors back to back on this machine, so the figures in
# docs/benchmarks.md come from one run. Usage: bash Benchmarks/run_all.sh [ROWS]   (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
csv=/tmp/febrl_like_${rows}.csv
echo "# $(date -u +%FT%TZ) on $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB"
[ -f "$csv" ] || python3 Benchmarks/make_febrl_like.py --rows "$rows" --out "$csv"
swift build -c release --product mashlink-bench >/dev/null
echo "## mashlink tokenise ($rows rows, all cores, payload sealing included)"
/usr/bin/time -f "# wall %e s, max RSS %M KB" .build/release/mashlink-bench tokenise --input "$csv"
echo "## clkhash (one core; 100,000 rows cached and uncached)"
[ -x /tmp/mashlink-anchors-venv/bin/python ] || bash ../shared/anchors/setup.sh >/dev/null
head -100001 "$csv" > /tmp/febrl_like_100k_anchor.csv
taskset -c 0 /tmp/mashlink-anchors-venv/bin/python Benchmarks/clkhash_encode.py --csv /tmp/febrl_like_100k_anchor.csv | grep '^clkhash'
taskset -c 0 /tmp/mashlink-anchors-venv/bin/python Benchmarks/clkhash_encode.py --csv /tmp/febrl_like_100k_anchor.csv --nocache | grep '^clkhash'
echo "## crypto"
.build/release/mashlink-bench crypto
python3 Benchmarks/python/crypto_bench.py
