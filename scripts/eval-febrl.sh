#!/usr/bin/env bash
# From raw FEBRL CSV to linkage metrics, the way agencies and the hub would run it: each file is
# tokenised by its own "agency" under a shared linkage key, the hub links the signed batches, and
# `mashlink-hub evaluate` measures the links against FEBRL's truth. Thresholds come from the model;
# the truth is read only by `evaluate`.
#
#   scripts/eval-febrl.sh [febrl4|febrl4-no-ssn|febrl3] [debug|release]
set -euo pipefail
cd "$(dirname "$0")/.."
case_name=${1:-febrl4}
config=${2:-release}
data=${FEBRL_DIR:-../shared/data/febrl}
work=${EVAL_DIR:-/tmp/mashlink-eval-$case_name}
swift build -c "$config" --product mashlink-agency >/dev/null
swift build -c "$config" --product mashlink-hub >/dev/null
bin=$(swift build -c "$config" --show-bin-path)
rm -rf "$work" && mkdir -p "$work"
export MASHLINK_PASSPHRASE=eval-only-passphrase

schema=examples/febrl/schema.json
if [ "$case_name" = febrl4-no-ssn ]; then
  python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); [c.pop("field",None) for c in s["columns"] if c["column"]=="soc_sec_id"]; json.dump(s,open(sys.argv[2],"w"),indent=2)' "$schema" "$work/schema.json"
  schema=$work/schema.json
fi
case $case_name in
  febrl4|febrl4-no-ssn) agencies="a b"; truth=$data/febrl4_links.csv ;;
  febrl3) agencies="a"; truth=$data/febrl3_links.csv ;;
  *) echo "unknown case $case_name" >&2; exit 2 ;;
esac

# A hub release key pair for sealing (throwaway), a shared linkage key, one signing key per agency.
"$bin/mashlink-agency" keygen linkage --out "$work/linkage.key" >/dev/null
python3 - "$work" <<'PY'
import subprocess, sys
w = sys.argv[1]
subprocess.run(["openssl", "genpkey", "-algorithm", "X25519", "-out", f"{w}/hub-release.pem"], check=True)
subprocess.run(["openssl", "pkey", "-in", f"{w}/hub-release.pem", "-pubout", "-out", f"{w}/hub-release.pub.pem"], check=True)
PY
refs=()
batches=()
keys=()
for agency in $agencies; do
  input=$data/febrl4_$agency.csv
  [ "$case_name" = febrl3 ] && input=$data/febrl3.csv
  "$bin/mashlink-agency" keygen signing --out "$work/$agency-signing.key" >/dev/null
  "$bin/mashlink-agency" tokenise --input "$input" --agency "febrl-$agency" --schema "$schema" \
    --linkage-key "$work/linkage.key" --signing-key "$work/$agency-signing.key" --hub-key "$work/hub-release.pub.pem" \
    --output "$work/$agency.mlb" --rejects "$work/$agency-rejects.csv" --batch-date 2026-12-01 --quiet
  refs+=(--refs "febrl-$agency=$work/$agency.mlb.refs.csv")
  batches+=("$work/$agency.mlb")
  keys+=(--agency-key "$work/$agency-signing.pub.pem")
done
"$bin/mashlink-hub" link "${batches[@]}" "${keys[@]}" --out "$work/out" --model-out "$work/out/model.json"
"$bin/mashlink-hub" evaluate --links "$work/out/links.csv" --clusters "$work/out/clusters.csv" --truth "$truth" "${refs[@]}"
