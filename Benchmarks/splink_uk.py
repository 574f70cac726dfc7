"""Clear-text Splink anchor on the six synthetic agency extracts of make_uk_agencies.py.

Does what a typical Splink user would do with six differently-shaped extracts:
harmonise them into one table (unique_id = the agency record id, source_dataset
= the agency), light cleaning (lower-case and trimmed names and address,
postcode upper-cased with one space before the inward code, sex to M/F, each
agency's date format parsed to ISO yyyy-mm-dd, unparseable dates to null), then
a Splink 5 + DuckDB link_and_dedupe model in the style of the shared FEBRL
anchors (../shared/anchors/splink_febrl4.py):

  comparisons  NameComparison(first_name) + TF, NameComparison(surname) + TF
               (both Jaro-Winkler at 0.92/0.88/0.7), DateOfBirthComparison(dob),
               PostcodeComparison(postcode), JaroWinklerAtThresholds(address,
               [0.95, 0.88]), ExactMatch(sex); with --nhs also ExactMatch(nhs)
               --location joint replaces the separate postcode and address
               comparisons by one "location" comparison over both (address and
               postcode exact / address similar and postcode exact / postcode
               exact / address similar / same sector / same district / else):
               address and postcode are strongly dependent, and as two
               independent comparisons their evidence is counted twice, which
               links household members (same surname, same address) at p > 0.5.
  blocking     first_name+surname, dob, postcode (with --nhs also nhs)
  training     lambda from the deterministic rule first_name+surname+dob
               (recall 0.7), u by random sampling (max_pairs 5e6, seed 1),
               EM on block_on(dob) then block_on(first_name, surname)
               (--em names, default). --em demo uses block_on(postcode) for the
               second EM pass, as the FEBRL demos do: on household data that
               pass learns "lives at the same address" as the match class
               (dob m-probabilities fall to their u-probabilities) and
               precision collapses, so it is kept only for comparison.
  prediction   every blocked pair scored; pairwise P/R/F1 at p >= 0.5 and the
               best F1 over thresholds

Truth: every pair of rows that truth.csv assigns to the same person. Reported
for all pairs, for cross-agency pairs only and for within-agency duplicate
pairs only, plus recall per agency pair.

    /tmp/mashlink-anchors-venv/bin/python Benchmarks/splink_uk.py --data /tmp/uk6
"""
import argparse
import collections
import csv
import logging
import os
import resource
import sys
import time

import duckdb
import numpy as np
import pandas as pd

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import ColumnExpression, DuckDBAPI, Linker, SettingsCreator, block_on

AGENCIES = ["police", "health", "education", "probation", "childrens_social_care", "adult_social_care"]

# agency -> (date format, {standard column: agency column})
HARMONISE = {
    "police": ("%d/%m/%Y", dict(unique_id="nominal_ref", first_name="forename", middle_name="other_forenames",
                                surname="surname", dob="dob", sex="gender", address="last_known_address",
                                postcode="post_code")),
    "health": ("%Y-%m-%d", dict(unique_id="patient_id", first_name="first_name", middle_name="middle_name",
                                surname="last_name", dob="date_of_birth", sex="sex", address="address_line_1",
                                postcode="postcode", nhs="nhs_number")),
    "education": ("%d/%m/%Y", dict(unique_id="upn", first_name="legal_forename", middle_name="middle_names",
                                   surname="legal_surname", dob="birth_date", sex="gender", address="home_address",
                                   postcode="home_postcode")),
    "probation": ("%d-%b-%Y", dict(unique_id="crn", first_name="first_name", middle_name="second_name",
                                   surname="family_name", dob="date_of_birth", sex="sex", address="address",
                                   postcode="postcode")),
    "childrens_social_care": ("%d/%m/%Y", dict(unique_id="person_id", first_name="forename",
                                               middle_name="middle_name", surname="surname", dob="dob",
                                               sex="gender", address="address_line", postcode="postcode",
                                               nhs="nhs_no")),
    "adult_social_care": ("%Y-%m-%d", dict(unique_id="client_id", first_name="given_name",
                                           middle_name="middle_names", surname="family_name", dob="birth_date",
                                           sex="gender", address="address_1", postcode="post_code",
                                           nhs="nhs_number")),
}
STD_COLS = ["unique_id", "source_dataset", "first_name", "middle_name", "surname", "dob", "sex", "address",
            "postcode", "nhs"]
SEX = {"m": "M", "male": "M", "1": "M", "f": "F", "female": "F", "2": "F"}


class Timer:
    def __init__(self, label):
        self.label = label

    def __enter__(self):
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.t0
        print(f"[time] {self.label}: wall={self.wall:.2f}s", flush=True)


def clean_text(s):
    s = s.str.strip().str.lower().str.replace(r"\s+", " ", regex=True)
    return s.replace({"": None})


def load_agency(data, agency):
    fmt, cols = HARMONISE[agency]
    raw = pd.read_csv(os.path.join(data, f"{agency}.csv"), dtype=str, keep_default_na=False, encoding="utf-8")
    df = pd.DataFrame({std: raw[src] for std, src in cols.items()})
    df["source_dataset"] = agency
    if "nhs" not in df:
        df["nhs"] = None
    for c in ("first_name", "middle_name", "surname", "address"):
        df[c] = clean_text(df[c])
    pc = df["postcode"].str.upper().str.replace(r"\s+", "", regex=True)
    df["postcode"] = np.where(pc.str.len() >= 5, pc.str[:-3] + " " + pc.str[-3:], None)
    df["sex"] = df["sex"].str.strip().str.lower().map(SEX)
    dob = pd.to_datetime(df["dob"].str.strip(), format=fmt, errors="coerce")
    df["dob"] = dob.dt.strftime("%Y-%m-%d")
    df["nhs"] = df["nhs"].fillna("").str.replace(r"[\s-]", "", regex=True).replace({"": None})
    return df[STD_COLS]


def load_truth(data):
    """record -> person, and the set of true pairs split into cross- and within-agency."""
    by_person = collections.defaultdict(list)
    rec_agency = {}
    with open(os.path.join(data, "truth.csv"), newline="", encoding="utf-8") as f:
        r = csv.reader(f)
        next(r)
        for agency, rec, person in r:
            by_person[person].append(rec)
            rec_agency[rec] = agency
    cross, within = set(), set()
    for recs in by_person.values():
        for i in range(len(recs)):
            for j in range(i + 1, len(recs)):
                pair = frozenset((recs[i], recs[j]))
                (within if rec_agency[recs[i]] == rec_agency[recs[j]] else cross).add(pair)
    return cross, within, rec_agency


def prf(pred, truth):
    tp = len(pred & truth)
    p = tp / len(pred) if pred else 0.0
    r = tp / len(truth) if truth else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return dict(n_pred=len(pred), tp=tp, fp=len(pred) - tp, fn=len(truth) - tp, precision=p, recall=r, f1=f1)


def fmt(m):
    return (f"pred={m['n_pred']} tp={m['tp']} fp={m['fp']} fn={m['fn']} "
            f"P={m['precision']:.4f} R={m['recall']:.4f} F1={m['f1']:.4f}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="/tmp/uk6", help="directory written by make_uk_agencies.py")
    ap.add_argument("--nhs", action="store_true", help="also compare and block on NHS number where present")
    ap.add_argument("--threads", type=int, default=None, help="DuckDB threads (default: DuckDB's own)")
    ap.add_argument("--em", choices=["names", "demo"], default="names",
                    help="second EM pass blocked on first_name+surname (default) or on postcode (FEBRL demo style)")
    ap.add_argument("--location", choices=["separate", "joint"], default="separate",
                    help="postcode and address as two comparisons (default) or as one joint comparison")
    ap.add_argument("--show-params", action="store_true", help="print the trained m and u probabilities")
    args = ap.parse_args()
    logging.getLogger("splink").setLevel(logging.WARNING)
    import importlib.metadata as md
    print(f"python={sys.version.split()[0]} splink={md.version('splink')} duckdb={md.version('duckdb')} "
          f"pandas={md.version('pandas')} data={args.data} nhs={args.nhs} em={args.em} location={args.location}")

    t_all = time.perf_counter()
    with Timer("load + harmonise six csv"):
        df = pd.concat([load_agency(args.data, a) for a in AGENCIES], ignore_index=True)
    print(f"records={len(df)}; null dob={df['dob'].isna().sum()} null postcode={df['postcode'].isna().sum()} "
          f"with nhs={df['nhs'].notna().sum()}")
    with Timer("load truth"):
        cross, within, rec_agency = load_truth(args.data)
    truth = cross | within
    print(f"true pairs={len(truth)} (cross-agency {len(cross)}, within-agency {len(within)})")

    con = duckdb.connect()
    if args.threads:
        con.execute(f"set threads = {args.threads}")
    threads = con.execute("select current_setting('threads')").fetchall()[0][0]
    print(f"duckdb threads={threads} (cores visible {os.cpu_count()})")
    db_api = DuckDBAPI(connection=con)

    blocking = [block_on("first_name", "surname"), block_on("dob"), block_on("postcode")]
    comparisons = [
        cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
        cl.NameComparison("surname").configure(term_frequency_adjustments=True),
        cl.DateOfBirthComparison("dob", input_is_string=True, datetime_format="%Y-%m-%d",
                                 invalid_dates_as_null=True),
        cl.ExactMatch("sex"),
    ]
    if args.location == "separate":
        comparisons[3:3] = [cl.PostcodeComparison("postcode"), cl.JaroWinklerAtThresholds("address", [0.95, 0.88])]
    else:
        pc = ColumnExpression("postcode")
        comparisons.insert(3, cl.CustomComparison(output_column_name="location", comparison_levels=[
            cll.And(cll.NullLevel("postcode"), cll.NullLevel("address")).configure(
                is_null_level=True, label_for_charts="postcode and address both null"),
            cll.And(cll.ExactMatchLevel("address"), cll.ExactMatchLevel("postcode")).configure(
                label_for_charts="address and postcode exact"),
            cll.And(cll.JaroWinklerLevel("address", 0.88), cll.ExactMatchLevel("postcode")).configure(
                label_for_charts="address JW >= 0.88 and postcode exact"),
            cll.ExactMatchLevel("postcode").configure(label_for_charts="postcode exact"),
            cll.JaroWinklerLevel("address", 0.92).configure(label_for_charts="address JW >= 0.92"),
            cll.ExactMatchLevel(pc.regex_extract(cl.PostcodeComparison.SECTOR_REGEX)).configure(
                label_for_charts="same postcode sector"),
            cll.ExactMatchLevel(pc.regex_extract(cl.PostcodeComparison.DISTRICT_REGEX)).configure(
                label_for_charts="same postcode district"),
            cll.ElseLevel(),
        ]))
    if args.nhs:
        blocking.append(block_on("nhs"))
        comparisons.append(cl.ExactMatch("nhs"))
    settings = SettingsCreator(
        unique_id_column_name="unique_id",
        source_dataset_column_name="source_dataset",
        link_type="link_and_dedupe",
        blocking_rules_to_generate_predictions=blocking,
        comparisons=comparisons,
        retain_intermediate_calculation_columns=False,
    )
    sdf = db_api.register(df, dataset_display_name="agencies")
    linker = Linker(sdf, settings, log_level=logging.WARNING)
    with Timer("train: lambda from first_name+surname+dob (recall=0.7)") as t1:
        linker.training.estimate_probability_two_random_records_match(
            [block_on("first_name", "surname", "dob")], recall=0.7)
    with Timer("train: u by random sampling (max_pairs=5e6, seed=1)") as t2:
        linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    second = block_on("first_name", "surname") if args.em == "names" else block_on("postcode")
    with Timer(f"train: EM block_on(dob), then {'block_on(first_name, surname)' if args.em == 'names' else 'block_on(postcode)'}") as t3:
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("dob"), estimate_without_term_frequencies=True)
        linker.training.estimate_parameters_using_expectation_maximisation(
            second, estimate_without_term_frequencies=True)
    if args.show_params:
        for c in linker._settings_obj.comparisons:
            for lv in c.comparison_levels:
                if not lv.is_null_level:
                    print(f"  {c.output_column_name:12s} {lv.label_for_charts[:48]:48s} "
                          f"m={lv.m_probability or 0:.4f} u={lv.u_probability or 0:.6f}")
    lam = linker._settings_obj._probability_two_random_records_match
    n = len(df)
    print(f"estimated probability_two_random_records_match={lam:.6g} (true {len(truth) / (n * (n - 1) / 2):.6g})")
    with Timer("predict (all blocked pairs scored)") as t4:
        predictions = linker.inference.predict()
        pred = con.execute(f"select unique_id_l, unique_id_r, match_probability from "
                           f"{predictions.physical_name}").df()
    total = time.perf_counter() - t_all
    print(f"TIME total load->predictions wall={total:.2f}s (train {t1.wall + t2.wall + t3.wall:.2f}s, "
          f"predict {t4.wall:.2f}s)")

    pairs = [frozenset(p) for p in zip(pred["unique_id_l"], pred["unique_id_r"])]
    probs = pred["match_probability"].to_numpy()
    blocked = set(pairs)
    print(f"blocked pairs scored={len(pred)}; blocking recall (max reachable): all "
          f"{len(blocked & truth) / len(truth):.4f}, cross-agency {len(blocked & cross) / len(cross):.4f}"
          + (f", within-agency {len(blocked & within) / len(within):.4f}" if within else ""))

    def split(sel):
        s = set(sel)
        is_within = {p for p in s if len({rec_agency[x] for x in p}) == 1}
        return s, s - is_within, is_within

    at05 = [p for p, pr in zip(pairs, probs) if pr >= 0.5]
    allp, crossp, withinp = split(at05)
    print(f"RESULT all pairs     p>=0.5: {fmt(prf(allp, truth))}")
    print(f"RESULT cross-agency  p>=0.5: {fmt(prf(crossp, cross))}")
    if within:
        print(f"RESULT within-agency p>=0.5: {fmt(prf(withinp, within))}")
    order = np.argsort(-probs)
    best = None
    for t in sorted(set(np.round(np.concatenate([np.linspace(0.01, 0.99, 99), [0.001, 0.995, 0.999]]), 4))):
        m = prf({pairs[i] for i in order[: int((probs >= t).sum())]}, truth)
        if best is None or m["f1"] > best[1]["f1"]:
            best = (t, m)
    print(f"RESULT all pairs best F1 at p>={best[0]}: {fmt(best[1])}")

    # what the false positives at 0.5 look like (clear-text attributes after harmonisation)
    attrs = df.set_index("unique_id")[["first_name", "surname", "dob", "postcode"]].to_dict("index")
    kinds = collections.Counter()
    for p in allp - truth:
        a, b = (attrs[x] for x in p)
        same = lambda k: a[k] is not None and a[k] == b[k]
        if same("dob") and same("surname") and same("postcode") and not same("first_name"):
            kinds["twin-like: same dob, surname, postcode; other first name"] += 1
        elif same("postcode") and same("surname") and not same("dob"):
            kinds["household-like: same postcode and surname, other dob"] += 1
        elif same("postcode") and not same("dob"):
            kinds["same postcode, other dob (surname differs)"] += 1
        elif same("first_name") and same("surname") and same("dob"):
            kinds["same first name, surname and dob (different person)"] += 1
        else:
            kinds["other"] += 1
    print(f"false positives at p>=0.5: {len(allp - truth)}")
    for k, v in kinds.most_common():
        print(f"  {v:7d}  {k}")

    # recall per agency pair at 0.5
    tp_by, tot_by = collections.Counter(), collections.Counter()
    for p in truth:
        key = tuple(sorted(rec_agency[x] for x in p))
        tot_by[key] += 1
        if p in allp:
            tp_by[key] += 1
    print("recall at p>=0.5 by agency pair:")
    for key in sorted(tot_by, key=lambda k: -tot_by[k]):
        print(f"  {key[0]:>22s} - {key[1]:<22s} {tp_by[key]:6d}/{tot_by[key]:<6d} {tp_by[key] / tot_by[key]:.4f}")
    print(f"peak RSS (ru_maxrss) = {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
