#!/usr/bin/env bash
# From raw CSV to linkage metrics, the way agencies and the hub run it: each file is tokenised by
# its own agency under a shared linkage key, the hub links the signed batches, and
# `mashlink-hub evaluate` measures links and clusters against the truth. Thresholds come from the
# model; the truth is read only by `evaluate`.
#
#   scripts/eval.sh febrl4|febrl4-no-ssn|febrl3|uk|uk-independent [debug|release]
#
# `uk` generates six UK-style agency extracts (Benchmarks/make_uk_agencies.py, UK_PERSONS persons,
# default 20000) with households, twins, nicknames, moves and surname changes.
set -euo pipefail
cd "$(dirname "$0")/.."
case_name=${1:?usage: scripts/eval.sh febrl4|febrl4-no-ssn|febrl3|uk|uk-independent [debug|release]}
config=${2:-release}
data=${FEBRL_DIR:-../shared/data/febrl}
work=${EVAL_DIR:-/tmp/mashlink-eval-$case_name}
swift build -c "$config" --product mashlink-agency >/dev/null
swift build -c "$config" --product mashlink-hub >/dev/null
bin=$(swift build -c "$config" --show-bin-path)
rm -rf "$work" && mkdir -p "$work"
export MASHLINK_PASSPHRASE=eval-only-passphrase

# inputs: lines of "agency csv schema"
inputs=()
case $case_name in
  febrl4) inputs=("febrl-a $data/febrl4_a.csv examples/febrl/schema.json" "febrl-b $data/febrl4_b.csv examples/febrl/schema.json")
          truth=$data/febrl4_links.csv ;;
  febrl4-no-ssn)
          python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); [c.pop("field",None) for c in s["columns"] if c["column"]=="soc_sec_id"]; json.dump(s,open(sys.argv[2],"w"),indent=2)' \
            examples/febrl/schema.json "$work/schema.json"
          inputs=("febrl-a $data/febrl4_a.csv $work/schema.json" "febrl-b $data/febrl4_b.csv $work/schema.json")
          truth=$data/febrl4_links.csv ;;
  febrl3) inputs=("febrl3 $data/febrl3.csv examples/febrl/schema.json"); truth=$data/febrl3_links.csv ;;
  uk)     python3 Benchmarks/make_uk_agencies.py --persons "${UK_PERSONS:-20000}" --out "$work/data" >/dev/null
          for a in police health education probation childrens_social_care adult_social_care; do
            inputs+=("$a $work/data/$a.csv $work/data/$a.schema.json")
          done
          truth=$work/data/truth.csv ;;
  # An independent generator (written without reading make_uk_agencies.py): each agency's own
  # column names and date formats. Schemas are what `schema suggest` writes, with only the notes
  # column given its tier, as an officer would.
  uk-independent)
          python3 Benchmarks/make_uk_agencies_independent.py --persons "${UK_PERSONS:-15000}" --out "$work/data" >/dev/null
          for a in police:OccurrenceNotes:cp health:safeguarding_notes:cin education:DSL_Notes:cin probation:RiskSummary:cp \
                   childrens_social_care:CaseNotes:cp "adult_social_care:Safeguarding Concern:s42"; do
            IFS=: read -r agency notes tier <<<"$a"
            "$bin/mashlink-agency" schema suggest "$work/data/$agency.csv" --out "$work/$agency.schema.json" >/dev/null 2>&1
            python3 -c 'import json,sys; p,col,t=sys.argv[1:]; s=json.load(open(p)); [c.update(tier=t) for c in s["columns"] if c["column"]==col]; json.dump(s,open(p,"w"),indent=2)' \
              "$work/$agency.schema.json" "$notes" "$tier"
            inputs+=("$agency $work/data/$agency.csv $work/$agency.schema.json")
          done
          truth=$work/data/truth.csv ;;
  *) echo "unknown case $case_name" >&2; exit 2 ;;
esac

# A throwaway hub release key pair (payloads are sealed to it), a shared linkage key, one signing key per agency.
"$bin/mashlink-agency" keygen linkage --out "$work/linkage.key" >/dev/null
openssl genpkey -algorithm X25519 -out "$work/hub-release.pem"
openssl pkey -in "$work/hub-release.pem" -pubout -out "$work/hub-release.pub.pem"
refs=() batches=() keys=()
for line in "${inputs[@]}"; do
  read -r agency csv schema <<<"$line"
  "$bin/mashlink-agency" keygen signing --out "$work/$agency-signing.key" >/dev/null
  "$bin/mashlink-agency" tokenise --input "$csv" --agency "$agency" --schema "$schema" \
    --linkage-key "$work/linkage.key" --signing-key "$work/$agency-signing.key" --hub-key "$work/hub-release.pub.pem" \
    --output "$work/$agency.mlb" --rejects "$work/$agency-rejects.csv" --batch-date 2026-12-01 --quiet
  refs+=(--refs "$agency=$work/$agency.mlb.refs.csv")
  batches+=("$work/$agency.mlb")
  keys+=(--agency-key "$work/$agency-signing.pub.pem")
done
"$bin/mashlink-hub" link "${batches[@]}" "${keys[@]}" --out "$work/out" --model-out "$work/out/model.json"
"$bin/mashlink-hub" evaluate --links "$work/out/links.csv" --clusters "$work/out/clusters.csv" --truth "$truth" "${refs[@]}"
