#!/usr/bin/env bash
# Issue 9: for each encoding configuration, in one run, the attacks' re-identification rates
# (mashlink-attack, playing an honest-but-curious hub) and the linkage quality (match band precision
# and recall, as scripts/eval.sh measures it) on FEBRL4 and the UK-style synthetic data.
#
#   scripts/privacy.sh [CONFIG...]        (default: every configuration below)
#   scripts/privacy.sh --table [CONFIG...] (re-render results.md from the JSON a run left, measuring nothing)
#
# Attacked batches and reference lists (the attacker's public list, same distribution, other people):
#   FEBRL4: the batch of febrl4_a (5,000 records); reference: febrl3.csv (5,000 records made by the
#           same FEBRL generator from the same name tables).
#   UK:     the health agency's batch of the six-agency set (seed 2026, UK_PERSONS persons); reference:
#           the health extract of a population made with another seed (2027).
# Results: $PRIVACY_DIR/results.md (a markdown table) and the raw JSON beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${FEBRL_DIR:-../shared/data/febrl}
work=${PRIVACY_DIR:-/tmp/mashlink-privacy}
persons=${UK_PERSONS:-20000}
bin=$(swift build -c release --show-bin-path)
export MASHLINK_PASSPHRASE=privacy-eval-only-passphrase
mkdir -p "$work"

# name → the schema's "hardening" object
declare -A configs=(
  [none]='{"saltWithBirthYear": false}'
  [salt-birth-year]='{"saltWithBirthYear": true}'
  [xor-fold]='{"saltWithBirthYear": false, "xorFold": true}'
  [blip-eps4]='{"saltWithBirthYear": false, "flipEpsilon": 4}'
  [blip-eps2]='{"saltWithBirthYear": false, "flipEpsilon": 2}'
  [record-filter-only]='{"saltWithBirthYear": false, "recordFilterOnly": true}'
  [salt+xor-fold]='{"saltWithBirthYear": true, "xorFold": true}'
  [salt-name-tokens]='{"saltWithBirthYear": false, "saltNameTokens": true}'
  [salt-name-tokens+blip-eps4]='{"saltWithBirthYear": false, "saltNameTokens": true, "flipEpsilon": 4}'
)
order=(none salt-birth-year xor-fold blip-eps4 blip-eps2 record-filter-only salt+xor-fold salt-name-tokens salt-name-tokens+blip-eps4)
table_only=0
if [ "${1:-}" = --table ]; then table_only=1; shift; fi
[ $# -gt 0 ] && order=("$@")

if [ "$table_only" = 0 ]; then
swift build -c release --product mashlink-agency >/dev/null
swift build -c release --product mashlink-hub >/dev/null
swift build -c release --product mashlink-attack >/dev/null

# Data: the UK-style sets are generated once (same arguments, byte-identical output).
[ -f "$work/uk/truth.csv" ] || python3 Benchmarks/make_uk_agencies.py --persons "$persons" --out "$work/uk" --quiet
[ -f "$work/uk-ref/health.csv" ] || python3 Benchmarks/make_uk_agencies.py --persons "$persons" --seed 2027 --out "$work/uk-ref" --quiet

# Throwaway keys: one hub release key pair, one signing key per agency; a fresh linkage key per configuration.
[ -f "$work/hub-release.pub.pem" ] || {
  openssl genpkey -algorithm X25519 -out "$work/hub-release.pem"
  openssl pkey -in "$work/hub-release.pem" -pubout -out "$work/hub-release.pub.pem"
}
fi

# run CASE CONFIG: tokenise every agency with the hardened schema, link, evaluate, attack one batch.
run() {
  local case_name=$1 config=$2 hardening=${configs[$2]}
  local dir="$work/$1/$2" inputs=() truth attacked ref_csv ref_schema
  rm -rf "$dir" && mkdir -p "$dir"
  case $case_name in
    febrl4) inputs=("febrl-a $data/febrl4_a.csv examples/febrl/schema.json" "febrl-b $data/febrl4_b.csv examples/febrl/schema.json")
            truth=$data/febrl4_links.csv attacked=febrl-a ref_csv=$data/febrl3.csv ref_schema=examples/febrl/schema.json ;;
    uk)     for a in police health education probation childrens_social_care adult_social_care; do
              inputs+=("$a $work/uk/$a.csv $work/uk/$a.schema.json")
            done
            truth=$work/uk/truth.csv attacked=health ref_csv=$work/uk-ref/health.csv ref_schema=$work/uk-ref/health.schema.json ;;
  esac
  "$bin/mashlink-agency" keygen linkage --out "$dir/linkage.key" >/dev/null
  local refs=() batches=() keys=() agency csv schema
  for line in "${inputs[@]}"; do
    read -r agency csv schema <<<"$line"
    jq --argjson h "$hardening" '.hardening = $h' "$schema" >"$dir/$agency.schema.json"
    "$bin/mashlink-agency" keygen signing --out "$dir/$agency-signing.key" >/dev/null
    "$bin/mashlink-agency" tokenise --input "$csv" --agency "$agency" --schema "$dir/$agency.schema.json" \
      --linkage-key "$dir/linkage.key" --signing-key "$dir/$agency-signing.key" --hub-key "$work/hub-release.pub.pem" \
      --output "$dir/$agency.mlb" --rejects "$dir/$agency-rejects.csv" --batch-date 2026-12-01 --quiet
    refs+=(--refs "$agency=$dir/$agency.mlb.refs.csv")
    batches+=("$dir/$agency.mlb")
    keys+=(--agency-key "$dir/$agency-signing.pub.pem")
  done
  "$bin/mashlink-hub" link "${batches[@]}" "${keys[@]}" --out "$dir/out" >"$dir/link.log" 2>&1
  "$bin/mashlink-hub" evaluate --links "$dir/out/links.csv" --clusters "$dir/out/clusters.csv" --truth "$truth" "${refs[@]}" --json >"$dir/quality.json"
  local csv_of=""
  for line in "${inputs[@]}"; do read -r agency csv schema <<<"$line"; [ "$agency" = "$attacked" ] && csv_of=$csv; done
  "$bin/mashlink-attack" --batch "$dir/$attacked.mlb" --agency-key "$dir/$attacked-signing.pub.pem" --refs "$dir/$attacked.mlb.refs.csv" \
    --truth "$csv_of" --truth-schema "$dir/$attacked.schema.json" --reference "$ref_csv" --reference-schema "$ref_schema" \
    --linkage-key "$dir/linkage.key" --json >"$dir/attacks.json"
}

# One markdown row per configuration and case: match band precision / recall (false matches), then for
# each attack "full name (given, surname)" at the first guess, and the worst full-name figure of the hub's attacks.
row() {
  local config=$1 case_name=$2 dir="$work/$2/$1"
  jq -r --arg c "$config" --arg d "$case_name" --slurpfile q "$dir/quality.json" '
    def pct: . * 1000 | round / 10 | tostring + "%";
    def cell($n): (map(select(.attack == $n)) | if length == 0 then "—" else .[0] |
      "\(.fullNameFirst | pct) (g \(.givenFirst | pct), s \(.surnameFirst | pct))" end);
    ($q[0].matchBand) as $m
    | "| \($c) | \($d) | \($m.truePositives / ([$m.truePositives + $m.falsePositives, 1] | max) * 10000 | round / 10000) / \($m.truePositives / ($m.truePositives + $m.falseNegatives) * 10000 | round / 10000) (\($m.falsePositives)) | "
    + cell("frequency/tokens") + " | " + cell("frequency/field-filters") + " | " + cell("frequency/record-filter") + " | "
    + cell("pattern-mining/field-filters") + " | " + cell("pattern-mining/record-filter") + " | " + cell("graph-matching/field-filters") + " | "
    + (map(select(.attack | startswith("dictionary") | not)) | map(.fullNameFirst) | max | pct) + " | "
    + cell("dictionary/with-linkage-key") + " |"' "$dir/attacks.json"
}
{
  echo "| configuration | data | match band P / R (false matches) | frequency, tokens | frequency, field filters | frequency, record filter | pattern mining, field filters | pattern mining, record filter | graph matching, field filters | worst hub attack, full name | insider with the key |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
} >"$work/results.md"
for config in "${order[@]}"; do
  for case_name in febrl4 uk; do
    if [ "$table_only" = 0 ]; then
      echo "== $config / $case_name" >&2
      run "$case_name" "$config"
    fi
    row "$config" "$case_name" | tee -a "$work/results.md"
  done
done
echo "results: $work/results.md" >&2
